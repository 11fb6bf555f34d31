#include "sign.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "run.h"
#include "sshsig.h"
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

/*
 * What running the signer came to (run_rc from uc3_run; ok: it exited 0
 * and said it signed): the signature sig appended to out, or UC3_ESIGN
 * with the program's own complaint.
 */
static int
signer_result(struct uc3_buf *out, int run_rc, bool ok, const char *prog, const struct uc3_buf *err,
	      const struct uc3_buf *sig)
{
	char why[300];

	if (run_rc < 0)
		return uc3_error_prefix(UC3_ESIGN, "cannot sign");
	if (!ok || !sig->len) {
		first_line(why, sizeof(why), err);
		return uc3_error_set(UC3_ESIGN, "signing with %s failed%s%s", prog,
				     why[0] ? ": " : "", why);
	}
	uc3_buf_add(out, sig->ptr, sig->len);
	return 0;
}

static int
sign_gpg(struct uc3_buf *out, const char *payload, size_t len, const struct uc3_sign_config *cfg,
	 const char *defprog)
{
	const char *prog = cfg->program && *cfg->program ? cfg->program : defprog;
	const char *key = cfg->key && *cfg->key ? cfg->key : cfg->ident;
	const char *argv[] = { prog, "--status-fd=2", "-bsau", key, NULL };
	struct uc3_buf sig = UC3_BUF_INIT, err = UC3_BUF_INIT;
	int status, rc;

	if (!key)
		return uc3_error_set(UC3_ESIGN, "cannot sign: user.signingkey is not set");
	rc = uc3_run(&status, argv, payload, len, &sig, &err);
	rc = signer_result(out, rc,
			   rc >= 0 && status == 0 && strstr(err.ptr, "[GNUPG:] SIG_CREATED "), prog,
			   &err, &sig);
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
			return uc3_error_set(UC3_ESIGN, "cannot sign: %s: %s", path,
					     strerror(errno));
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
sign_ssh(struct uc3_buf *out, const char *payload, size_t len, const struct uc3_sign_config *cfg)
{
	const char *prog = cfg->program && *cfg->program ? cfg->program : "ssh-keygen";
	const char *key = cfg->key;
	char keytmp[4096] = "", datatmp[4096] = "", sigpath[4200];
	char keypath[4096];
	struct uc3_buf err = UC3_BUF_INIT, sig = UC3_BUF_INIT;
	bool literal = false;
	int status, rc;

	if (!key || !*key)
		return uc3_error_set(
			UC3_ESIGN, "cannot sign: gpg.format is ssh but user.signingkey is not set");
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
		const char *argv[] = { prog,
				       "-Y",
				       "sign",
				       "-n",
				       "git",
				       "-f",
				       keypath,
				       literal ? "-U" : datatmp,
				       literal ? datatmp : NULL,
				       NULL };

		rc = uc3_run(&status, argv, NULL, 0, NULL, &err);
	}
	rc = signer_result(out, rc, rc >= 0 && status == 0 && read_all(&sig, sigpath) == 0, prog,
			   &err, &sig);
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
uc3_sign(struct uc3_buf *out, const char *payload, size_t len, const struct uc3_sign_config *cfg)
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

static bool
is_ssh_key(const char *k)
{
	return !strncmp(k, "ssh-", 4) || !strncmp(k, "ecdsa-", 6) || !strncmp(k, "sk-", 3);
}

/* A fingerprint as gpg prints it: hex digits only, upper case. */
static void
norm_fpr(char *dst, size_t n, const char *src)
{
	size_t k = 0;

	for (; *src && k + 1 < n; src++)
		if (isxdigit((unsigned char)*src))
			dst[k++] = (char)toupper((unsigned char)*src);
	dst[k] = '\0';
}

static void
set_why(char **why, const char *fmt, const char *arg)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (!why)
		return;
	uc3_buf_addf(&b, fmt, arg);
	*why = uc3_buf_detach(&b);
}

int
uc3_sign_verify_ssh_keygen(enum uc3_sig *out, char **why, const char *payload, size_t len,
			   const char *sig, size_t siglen, const char *email,
			   const char *const *keys, size_t nkeys)
{
	struct uc3_buf allowed = UC3_BUF_INIT, err = UC3_BUF_INIT;
	char afile[4096] = "", sfile[4096] = "";
	size_t i;
	int status, rc;

	if (why)
		*why = NULL;
	for (i = 0; i < nkeys; i++)
		if (is_ssh_key(keys[i]))
			uc3_buf_addf(&allowed, "%s namespaces=\"git\" %s\n", email, keys[i]);
	if ((rc = write_tmp(sfile, sizeof(sfile), sig, siglen)) < 0)
		goto out;
	if (allowed.len) {
		const char *argv[] = { "ssh-keygen", "-Y", "verify", "-f", afile, "-I",
				       email,	     "-n", "git",    "-s", sfile, NULL };

		if ((rc = write_tmp(afile, sizeof(afile), allowed.ptr, allowed.len)) < 0)
			goto out;
		if ((rc = uc3_run(&status, argv, payload, len, NULL, &err)) < 0)
			goto out;
		if (status == 0) {
			*out = UC3_SIG_GOOD;
			goto out;
		}
	}
	/* Not one of the person's keys: is it a valid signature at all? */
	{
		const char *argv[] = { "ssh-keygen", "-Y", "check-novalidate", "-n", "git", "-s",
				       sfile,	     NULL };

		if ((rc = uc3_run(&status, argv, payload, len, NULL, NULL)) < 0)
			goto out;
		*out = status == 0 ? UC3_SIG_OTHER_KEY : UC3_SIG_BAD;
		set_why(why,
			status == 0 ? "signed with an ssh key the policy does not give to %s"
				    : "the ssh signature does not match the commit (%s)",
			email);
	}
out:
	if (afile[0])
		unlink(afile);
	if (sfile[0])
		unlink(sfile);
	uc3_buf_release(&allowed);
	uc3_buf_release(&err);
	return rc;
}

/*
 * In process when the signature and the keys are of the kinds sshsig.c
 * reads (ed25519, RSA), with the words the ssh-keygen path uses; through
 * ssh-keygen otherwise.
 */
static int
verify_ssh(enum uc3_sig *out, char **why, const char *payload, size_t len, const char *sig,
	   size_t siglen, const char *email, const char *const *keys, size_t nkeys)
{
	switch (uc3_sshsig_verify(payload, len, sig, siglen, email, keys, nkeys)) {
	case UC3_SSHSIG_GOOD:
		*out = UC3_SIG_GOOD;
		return 0;
	case UC3_SSHSIG_OTHER_KEY:
		*out = UC3_SIG_OTHER_KEY;
		set_why(why, "signed with an ssh key the policy does not give to %s", email);
		return 0;
	case UC3_SSHSIG_BAD:
		*out = UC3_SIG_BAD;
		set_why(why, "the ssh signature does not match the commit (%s)", email);
		return 0;
	case UC3_SSHSIG_UNHANDLED:
		break;
	}
	return uc3_sign_verify_ssh_keygen(out, why, payload, len, sig, siglen, email, keys, nkeys);
}

static int
verify_gpg(enum uc3_sig *out, char **why, const char *payload, size_t len, const char *sig,
	   size_t siglen, const char *email, const char *const *keys, size_t nkeys)
{
	struct uc3_buf st = UC3_BUF_INIT;
	char sfile[4096] = "";
	const char *p;
	int status, rc;

	if ((rc = write_tmp(sfile, sizeof(sfile), sig, siglen)) < 0)
		return rc;
	{
		const char *argv[] = { "gpg", "--batch", "--status-fd=1", "--verify", sfile,
				       "-",   NULL };

		rc = uc3_run(&status, argv, payload, len, &st, NULL);
	}
	unlink(sfile);
	if (rc < 0)
		goto out;
	if (strstr(st.ptr, "[GNUPG:] BADSIG")) {
		*out = UC3_SIG_BAD;
		set_why(why, "the OpenPGP signature does not match the commit (%s)", email);
		goto out;
	}
	p = strstr(st.ptr, "[GNUPG:] VALIDSIG ");
	if (!p) {
		*out = UC3_SIG_UNKNOWN;
		set_why(why, "%s",
			strstr(st.ptr, "NO_PUBKEY")
				? "cannot check the OpenPGP signature: its public key is not "
				  "in the keyring"
				: "cannot check the OpenPGP signature");
		goto out;
	}
	{
		/* VALIDSIG <fpr> <date> ... <primary-fpr>: either may be the one listed. */
		const char *end = strchr(p, '\n');
		char line[1024], sub[128], primary[128] = "", want[128];
		char *last;
		size_t i, n = end ? (size_t)(end - p) : strlen(p);

		snprintf(line, sizeof(line), "%.*s", (int)n, p + 18);
		sscanf(line, "%127s", sub);
		last = strrchr(line, ' ');
		if (last)
			snprintf(primary, sizeof(primary), "%s", last + 1);
		*out = UC3_SIG_OTHER_KEY;
		for (i = 0; i < nkeys; i++) {
			size_t wl, sl = strlen(sub), pl = strlen(primary);

			if (is_ssh_key(keys[i]))
				continue;
			norm_fpr(want, sizeof(want), keys[i]);
			wl = strlen(want);
			/* A full fingerprint, or a long key id (its last 16 digits). */
			if (wl >= 16 && ((sl >= wl && !strcmp(sub + sl - wl, want)) ||
					 (pl >= wl && !strcmp(primary + pl - wl, want)))) {
				*out = UC3_SIG_GOOD;
				break;
			}
		}
		if (*out != UC3_SIG_GOOD)
			set_why(why, "signed with an OpenPGP key the policy does not give to %s",
				email);
	}
out:
	uc3_buf_release(&st);
	return rc;
}

int
uc3_sign_verify(enum uc3_sig *out, char **why, const char *payload, size_t len, const char *sig,
		size_t siglen, const char *email, const char *const *keys, size_t nkeys)
{
	if (why)
		*why = NULL;
	if (siglen >= 29 && !strncmp(sig, "-----BEGIN SSH SIGNATURE-----", 29))
		return verify_ssh(out, why, payload, len, sig, siglen, email, keys, nkeys);
	if (siglen >= 29 && !strncmp(sig, "-----BEGIN PGP SIGNATURE-----", 29))
		return verify_gpg(out, why, payload, len, sig, siglen, email, keys, nkeys);
	*out = UC3_SIG_UNKNOWN;
	set_why(why, "%s", "cannot check a signature of this kind (only ssh and OpenPGP)");
	return 0;
}

/* Trim blanks and line breaks at both ends of s[0..len); a new string. */
static char *
trimmed(const char *s, size_t len)
{
	while (len && isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	while (len && isspace((unsigned char)s[len - 1]))
		len--;
	return uc3_xstrndup(s, len);
}

int
uc3_sign_key_normalize(char **out, const char *text)
{
	char *k = trimmed(text, strlen(text));
	char tmp[4096] = "";
	struct uc3_buf err = UC3_BUF_INIT;
	int status, rc = 0;

	*out = NULL;
	if (strstr(k, "PRIVATE KEY")) {
		rc = uc3_error_set(UC3_EINVAL, "that is a private key: give the public key "
					       "(the .pub file)");
		goto out;
	}
	if (!strncmp(k, "key::", 5))
		memmove(k, k + 5, strlen(k + 5) + 1);
	if (strpbrk(k, "\r\n")) {
		rc = uc3_error_set(UC3_EINVAL, "a key is one line: an ssh public key or an "
					       "OpenPGP fingerprint");
		goto out;
	}
	if (is_ssh_key(k)) {
		const char *argv[] = { "ssh-keygen", "-l", "-f", tmp, NULL };
		struct uc3_buf line = UC3_BUF_INIT;

		uc3_buf_addf(&line, "%s\n", k);
		rc = write_tmp(tmp, sizeof(tmp), line.ptr, line.len);
		uc3_buf_release(&line);
		if (rc < 0)
			goto out;
		if ((rc = uc3_run(&status, argv, NULL, 0, NULL, &err)) < 0) {
			rc = uc3_error_prefix(UC3_ERROR, "cannot check the key");
			goto out;
		}
		if (status != 0) {
			rc = uc3_error_set(UC3_EINVAL,
					   "'%.40s...' is not an ssh public key that "
					   "ssh-keygen can read",
					   k);
			goto out;
		}
		*out = k;
		k = NULL;
		goto out;
	}
	{
		char fpr[80];
		size_t digits = 0;
		const char *p;
		bool other = false;

		for (p = k; *p; p++) {
			if (isxdigit((unsigned char)*p))
				digits++;
			else if (*p != ' ')
				other = true;
		}
		if (other || (digits != 40 && digits != 64)) {
			rc = uc3_error_set(UC3_EINVAL,
					   "'%.40s' is not a public key: give an ssh "
					   "public key (ssh-ed25519 AAAA..., or its .pub "
					   "file) or an OpenPGP fingerprint",
					   k);
			goto out;
		}
		norm_fpr(fpr, sizeof(fpr), k);
		*out = uc3_xstrdup(fpr);
	}
out:
	if (tmp[0])
		unlink(tmp);
	uc3_buf_release(&err);
	free(k);
	return rc;
}

int
uc3_sign_public_key(char **out, const struct uc3_sign_config *cfg)
{
	const char *fmt = cfg->format && *cfg->format ? cfg->format : "openpgp";
	struct uc3_buf text = UC3_BUF_INIT, err = UC3_BUF_INIT, path = UC3_BUF_INIT;
	const char *key = cfg->key;
	int status, rc;

	*out = NULL;
	if (!strcmp(fmt, "ssh")) {
		if (!key || !*key)
			return uc3_error_set(UC3_EINVAL, "git has no signing key: user.signingkey "
							 "is not set (see uc3 setup)");
		if (!strncmp(key, "key::", 5) || is_ssh_key(key))
			return uc3_sign_key_normalize(out, key);
		if (key[0] == '~' && key[1] == '/' && getenv("HOME"))
			uc3_buf_addf(&path, "%s%s", getenv("HOME"), key + 1);
		else
			uc3_buf_adds(&path, key);
		/* The public half beside the private key, as ssh-keygen makes them. */
		if (path.len < 4 || strcmp(path.ptr + path.len - 4, ".pub")) {
			struct uc3_buf pub = UC3_BUF_INIT;

			uc3_buf_addf(&pub, "%s.pub", path.ptr);
			if (read_all(&text, pub.ptr) < 0) {
				const char *argv[] = { cfg->program && *cfg->program ? cfg->program
										     : "ssh-keygen",
						       "-y", "-f", path.ptr, NULL };

				uc3_buf_reset(&text);
				if (uc3_run(&status, argv, NULL, 0, &text, &err) < 0 || status != 0)
					uc3_buf_reset(&text);
			}
			uc3_buf_release(&pub);
		} else if (read_all(&text, path.ptr) < 0) {
			uc3_buf_reset(&text);
		}
		if (!text.len)
			rc = uc3_error_set(UC3_EINVAL,
					   "cannot read the public key of the signing key "
					   "%s: give it with --key FILE.pub",
					   path.ptr);
		else
			rc = uc3_sign_key_normalize(out, text.ptr);
	} else if (!strcmp(fmt, "openpgp")) {
		const char *who = key && *key ? key : cfg->ident;
		const char *argv[] = { cfg->program && *cfg->program ? cfg->program : "gpg",
				       "--batch",
				       "--with-colons",
				       "--fingerprint",
				       who,
				       NULL };
		char *line, *save = NULL;

		rc = UC3_EINVAL;
		if (!who || uc3_run(&status, argv, NULL, 0, &text, &err) < 0 || status != 0) {
			rc = uc3_error_set(UC3_EINVAL, "gpg knows no key for %s: give --key",
					   who ? who : _("you"));
			goto out;
		}
		for (line = strtok_r(text.ptr, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			if (!strncmp(line, "fpr:", 4)) {
				char *f = line;
				int field;

				for (field = 0; field < 9 && f; field++) {
					f = strchr(f, ':');
					if (f)
						f++;
				}
				if (f) {
					f[strcspn(f, ":")] = '\0';
					rc = uc3_sign_key_normalize(out, f);
				}
				break;
			}
		if (rc == UC3_EINVAL && !*out)
			rc = uc3_error_set(UC3_EINVAL, "gpg gives no fingerprint for %s", who);
	} else {
		rc = uc3_error_set(UC3_EINVAL,
				   "gpg.format %s: uc3 lists ssh keys and OpenPGP "
				   "fingerprints; give --key",
				   fmt);
	}
out:
	uc3_buf_release(&text);
	uc3_buf_release(&err);
	uc3_buf_release(&path);
	return rc;
}

const char *
uc3_sig_name(enum uc3_sig s)
{
	switch (s) {
	case UC3_SIG_NONE:
		return "none";
	case UC3_SIG_GOOD:
		return "good";
	case UC3_SIG_BAD:
		return "bad";
	case UC3_SIG_OTHER_KEY:
		return "another key";
	case UC3_SIG_UNKNOWN:
		break;
	}
	return "unknown";
}

static const char sig_letters[] = { [UC3_SIG_NONE] = 'n',
				    [UC3_SIG_GOOD] = 'g',
				    [UC3_SIG_BAD] = 'b',
				    [UC3_SIG_UNKNOWN] = 'u',
				    [UC3_SIG_OTHER_KEY] = 'o' };

char
uc3_sig_letter(enum uc3_sig s)
{
	return (size_t)s < sizeof(sig_letters) ? sig_letters[s] : 'u';
}

enum uc3_sig
uc3_sig_from_letter(char c)
{
	size_t i;

	for (i = 0; i < sizeof(sig_letters); i++)
		if (sig_letters[i] == c)
			return (enum uc3_sig)i;
	return UC3_SIG_UNKNOWN;
}
