#include "sign.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "run.h"
#include "xalloc.h"

/* The first non-empty line of a program's complaint, for a one-line error. */
static void
first_line(char *dst, size_t n, const struct uc3_buf *err)
{
	const char *p = err->ptr, *e;

	while (*p == '\n' || *p == ' ')
		p++;
	/* gpg's status lines are noise in a message meant for people. */
	while (!strncmp(p, "[GNUPG:]", 8)) {
		p = strchr(p, '\n');
		if (!p) {
			p = "";
			break;
		}
		p++;
	}
	e = strchr(p, '\n');
	snprintf(dst, n, "%.*s", (int)(e ? (size_t)(e - p) : strlen(p)), p);
}

static int
sign_gpg(struct uc3_buf *out, const char *payload, size_t len,
	 const struct uc3_sign_config *cfg, const char *defprog)
{
	const char *prog = cfg->program && *cfg->program ? cfg->program : defprog;
	const char *key = cfg->key && *cfg->key ? cfg->key : cfg->ident;
	const char *argv[] = { prog, "--status-fd=2", "-bsau", key, NULL };
	struct uc3_buf sig = UC3_BUF_INIT, err = UC3_BUF_INIT;
	char why[300];
	int status, rc;

	if (!key)
		return uc3_error_set(UC3_ESIGN, "cannot sign: user.signingkey is not set");
	rc = uc3_run(&status, argv, payload, len, &sig, &err);
	if (rc < 0) {
		rc = uc3_error_prefix(UC3_ESIGN, "cannot sign");
		goto out;
	}
	if (status != 0 || !strstr(err.ptr, "[GNUPG:] SIG_CREATED ") || !sig.len) {
		first_line(why, sizeof(why), &err);
		rc = uc3_error_set(UC3_ESIGN, "signing with %s failed%s%s", prog,
				   why[0] ? ": " : "", why);
		goto out;
	}
	uc3_buf_add(out, sig.ptr, sig.len);
	rc = 0;
out:
	uc3_buf_release(&sig);
	uc3_buf_release(&err);
	return rc;
}

static int
write_tmp(char *path, size_t n, const char *data, size_t len)
{
	const char *dir = getenv("TMPDIR");
	int fd;
	size_t done = 0;

	snprintf(path, n, "%s/uc3-sign-XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		return uc3_error_set(UC3_ESIGN, "cannot sign: cannot create a temporary file: %s",
				     strerror(errno));
	while (done < len) {
		ssize_t w = write(fd, data + done, len - done);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(path);
			return uc3_error_set(UC3_ESIGN, "cannot sign: %s: %s", path, strerror(errno));
		}
		done += (size_t)w;
	}
	close(fd);
	return 0;
}

static int
read_all(struct uc3_buf *out, const char *path)
{
	char chunk[8192];
	FILE *f = fopen(path, "rb");
	size_t n;

	if (!f)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		uc3_buf_add(out, chunk, n);
	fclose(f);
	return 0;
}

/*
 * As git does for gpg.format=ssh: the key is a file (private key, or a
 * public key whose private half is in the agent), or a literal public key
 * ("key::ssh-ed25519 ..." or "ssh-ed25519 ...") written to a temporary
 * file and used with -U (agent only).
 */
static int
sign_ssh(struct uc3_buf *out, const char *payload, size_t len,
	 const struct uc3_sign_config *cfg)
{
	const char *prog = cfg->program && *cfg->program ? cfg->program : "ssh-keygen";
	const char *key = cfg->key;
	char keytmp[4096] = "", datatmp[4096] = "", sigpath[4200];
	char keypath[4096];
	struct uc3_buf err = UC3_BUF_INIT, sig = UC3_BUF_INIT;
	bool literal = false;
	char why[300];
	int status, rc;

	if (!key || !*key)
		return uc3_error_set(UC3_ESIGN,
				     "cannot sign: gpg.format is ssh but user.signingkey is not set");
	if (!strncmp(key, "key::", 5)) {
		key += 5;
		literal = true;
	} else if (!strncmp(key, "ssh-", 4)) {
		literal = true;
	}
	if (literal) {
		if ((rc = write_tmp(keytmp, sizeof(keytmp), key, strlen(key))) < 0)
			return rc;
		snprintf(keypath, sizeof(keypath), "%s", keytmp);
	} else if (key[0] == '~' && key[1] == '/' && getenv("HOME")) {
		snprintf(keypath, sizeof(keypath), "%s%s", getenv("HOME"), key + 1);
	} else {
		snprintf(keypath, sizeof(keypath), "%s", key);
	}
	if ((rc = write_tmp(datatmp, sizeof(datatmp), payload, len)) < 0)
		goto out;
	snprintf(sigpath, sizeof(sigpath), "%s.sig", datatmp);
	{
		const char *argv[] = { prog, "-Y", "sign", "-n", "git", "-f", keypath,
				       literal ? "-U" : datatmp, literal ? datatmp : NULL,
				       NULL };

		rc = uc3_run(&status, argv, NULL, 0, NULL, &err);
	}
	if (rc < 0) {
		rc = uc3_error_prefix(UC3_ESIGN, "cannot sign");
		goto out;
	}
	if (status != 0 || read_all(&sig, sigpath) < 0 || !sig.len) {
		first_line(why, sizeof(why), &err);
		rc = uc3_error_set(UC3_ESIGN, "signing with %s failed%s%s", prog,
				   why[0] ? ": " : "", why);
		goto out;
	}
	uc3_buf_add(out, sig.ptr, sig.len);
	rc = 0;
out:
	if (keytmp[0])
		unlink(keytmp);
	if (datatmp[0]) {
		unlink(datatmp);
		unlink(sigpath);
	}
	uc3_buf_release(&err);
	uc3_buf_release(&sig);
	return rc;
}

int
uc3_sign(struct uc3_buf *out, const char *payload, size_t len,
	 const struct uc3_sign_config *cfg)
{
	const char *fmt = cfg->format && *cfg->format ? cfg->format : "openpgp";

	if (!strcmp(fmt, "openpgp"))
		return sign_gpg(out, payload, len, cfg, "gpg");
	if (!strcmp(fmt, "x509"))
		return sign_gpg(out, payload, len, cfg, "gpgsm");
	if (!strcmp(fmt, "ssh"))
		return sign_ssh(out, payload, len, cfg);
	return uc3_error_set(UC3_ESIGN, "cannot sign: unknown gpg.format '%s'", fmt);
}
