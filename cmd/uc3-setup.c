/*
 * uc3 setup: a person joining an office, on a new machine: the records
 * cloned, git's identity, a signing key (made with ssh-keygen when there
 * is none, with their consent), git set to sign; then the one line the
 * head of the office runs to add them to the policy.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "opt.h"
#include "people.h"
#include "policy.h"
#include "run.h"
#include "sign.h"
#include "store.h"
#include "tool.h"

/* git config --global NAME: the value, or NULL (free()). */
static char *
config_get(const char *name)
{
	const char *argv[] = { "git", "config", "--global", "--get", name, NULL };
	struct uc3_buf out = UC3_BUF_INIT;
	int status;

	if (uc3_run(&status, argv, NULL, 0, &out, NULL) < 0 || status != 0 || !out.len ||
	    out.ptr[0] == '\n') {
		uc3_buf_release(&out);
		uc3_error_clear();
		return NULL;
	}
	out.ptr[strcspn(out.ptr, "\n")] = '\0';
	return uc3_buf_detach(&out);
}

static int
config_set(const char *name, const char *value)
{
	const char *argv[] = { "git", "config", "--global", name, value, NULL };
	struct uc3_buf err = UC3_BUF_INIT;
	int status, rc;

	rc = uc3_run(&status, argv, NULL, 0, NULL, &err);
	if (rc == 0 && status != 0)
		rc = uc3_error_set(UC3_ERROR, "git config --global %s failed: %s", name,
				   err.len ? err.ptr : _("no reason given"));
	uc3_buf_release(&err);
	return rc;
}

/* One line typed at the terminal, after a prompt on stderr; NULL at end of input. */
static char *
ask(const char *prompt)
{
	char line[512];

	fprintf(stderr, "%s", prompt);
	if (!fgets(line, sizeof(line), stdin))
		return NULL;
	line[strcspn(line, "\r\n")] = '\0';
	return strdup(line);
}

static bool
exists(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0;
}

/* A value for the shell's single quotes. */
static void
quoted(struct uc3_buf *b, const char *s)
{
	uc3_buf_adds(b, "'");
	for (; *s; s++) {
		if (*s == '\'')
			uc3_buf_adds(b, "'\\''");
		else
			uc3_buf_add(b, s, 1);
	}
	uc3_buf_adds(b, "'");
}

int
main(int argc, char **argv)
{
	const char *email_arg = NULL, *name_arg = NULL, *key_arg = NULL, *role = NULL;
	const char *url = NULL, *dir = NULL;
	char *name = NULL, *email = NULL, *pub = NULL;
	struct uc3_buf keypath = UC3_BUF_INIT, line = UC3_BUF_INIT, dest = UC3_BUF_INIT;
	struct uc3_store *st = NULL;
	bool new_key = false, tty = isatty(0) && isatty(2);
	int rc = 0, status;

	static const char *const usage[] = {
		"uc3 setup [--email email] [--key file | --new-key] [--name name] [--role role] "
		"[url [directory]]",
		NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "email", &email_arg, "EMAIL",
			       "your address (default: git's user.email)"),
		UC3_OPT_STRING(0, "key", &key_arg, "FILE",
			       "your ssh private key (its .pub beside it)"),
		UC3_OPT_STRING(0, "name", &name_arg, "NAME",
			       "your name (default: git's user.name)"),
		UC3_OPT_BOOL(0, "new-key", &new_key,
			     "make ~/.ssh/id_ed25519 without asking (no passphrase)"),
		UC3_OPT_STRING(0, "role", &role, "ROLE",
			       "the role to print in the line (default: the chain's\n"
			       "bottom)"),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 setup",
		usage,
		N_("Set up this account to work on an office's records: clone them from URL,\n"
		   "set git's identity and a signing key (made with ssh-keygen when you have\n"
		   "none), and have git sign every commit. Then print the uc3 person add line\n"
		   "that the head of the office runs to add you.\n"),
		N_("See uc3-setup(1).\n"),
		options,
		0
	};

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	if (argc > 2 || (key_arg && new_key))
		return uc3_opt_usage_error(
			&cmd, key_arg && new_key
				      ? N_("--key or --new-key, not both")
				      : N_("too many arguments: a url and a directory at most"));
	if (argc > 0)
		url = argv[0];
	if (argc > 1)
		dir = argv[1];
	/* Who: the options, else git's identity, else asked on a terminal. */
	name = name_arg ? strdup(name_arg) : config_get("user.name");
	email = email_arg ? strdup(email_arg) : config_get("user.email");
	if (!email && tty)
		email = ask(_("Your email address (as the office knows it): "));
	if (!name && tty)
		name = ask(_("Your name: "));
	if (!email || !*email || !name || !*name) {
		rc = uc3_error_set(UC3_EINVAL, "who are you? give --name and --email (git's "
					       "user.name and user.email are not set)");
		goto fail;
	}
	if (!uc3_people_email_ok(email)) {
		rc = uc3_error_set(UC3_EINVAL, "'%s' is not an email address", email);
		goto fail;
	}

	/* The key: --key, git's signing key, ~/.ssh/id_ed25519, or a new one. */
	if (key_arg) {
		uc3_buf_adds(&keypath, key_arg);
	} else {
		char *format = config_get("gpg.format"), *k = config_get("user.signingkey");

		if (k && format && !strcmp(format, "ssh"))
			uc3_buf_adds(&keypath, k);
		else if (getenv("HOME"))
			uc3_buf_addf(&keypath, "%s/.ssh/id_ed25519", getenv("HOME"));
		free(format);
		free(k);
	}
	if (!keypath.len || (!exists(keypath.ptr) && (key_arg || !getenv("HOME")))) {
		rc = uc3_error_set(UC3_EINVAL, "no signing key at %s",
				   keypath.len ? keypath.ptr
					       : _("~/.ssh/id_ed25519 (HOME is not set)"));
		goto fail;
	}
	if (!exists(keypath.ptr)) {
		char *yes = NULL;

		if (!new_key && tty) {
			fputs(_("You have no ssh key to sign with. "), stderr);
			/* TRANSLATORS: the answer is read as yes when empty or starting with y or
			 * Y. */
			yes = ask(_("Make one in ~/.ssh/id_ed25519 now? [Y/n] "));
			new_key = yes && (!*yes || *yes == 'y' || *yes == 'Y');
			free(yes);
		}
		if (!new_key) {
			rc = uc3_error_set(
				UC3_EINVAL,
				"you have no signing key: give --key FILE, or --new-key to "
				"make %s",
				keypath.ptr);
			goto fail;
		}
		{
			struct uc3_buf sshdir = UC3_BUF_INIT;
			const char *nopass[] = { "ssh-keygen", "-q",  "-t", "ed25519",	 "-N", "",
						 "-C",	       email, "-f", keypath.ptr, NULL };

			uc3_buf_addf(&sshdir, "%s/.ssh", getenv("HOME"));
			mkdir(sshdir.ptr, 0700);
			uc3_buf_release(&sshdir);
			if (tty) {
				/* On a terminal ssh-keygen asks for a passphrase itself. */
				struct uc3_buf cmd = UC3_BUF_INIT;

				uc3_buf_adds(&cmd, "ssh-keygen -q -t ed25519 -C ");
				quoted(&cmd, email);
				uc3_buf_adds(&cmd, " -f");
				rc = uc3_run_interactive(&status, cmd.ptr, keypath.ptr);
				uc3_buf_release(&cmd);
			} else {
				rc = uc3_run(&status, nopass, NULL, 0, NULL, NULL);
			}
			if (rc == 0 && status != 0)
				rc = uc3_error_set(UC3_ERROR, "ssh-keygen could not make %s",
						   keypath.ptr);
			if (rc < 0)
				goto fail;
			printf(_("made the signing key %s\n"), keypath.ptr);
		}
	}
	{
		struct uc3_sign_config sc = { 0 };

		sc.format = "ssh";
		sc.key = keypath.ptr;
		if ((rc = uc3_sign_public_key(&pub, &sc)) < 0)
			goto fail;
	}

	/* Git: who, and sign every commit with that key. */
	if ((rc = config_set("user.name", name)) < 0 ||
	    (rc = config_set("user.email", email)) < 0 ||
	    (rc = config_set("gpg.format", "ssh")) < 0 ||
	    (rc = config_set("user.signingkey", keypath.ptr)) < 0 ||
	    (rc = config_set("commit.gpgsign", "true")) < 0)
		goto fail;

	if (url) {
		const char *clone[] = { "git", "clone", "-q", url, dir, NULL };
		struct uc3_buf err = UC3_BUF_INIT;

		rc = uc3_run(&status, clone, NULL, 0, NULL, &err);
		if (rc == 0 && status != 0) {
			if (err.len)
				err.ptr[strcspn(err.ptr, "\n")] = '\0';
			rc = uc3_error_set(UC3_ERROR, "git clone %s failed: %s", url,
					   err.len ? err.ptr : _("no reason given"));
		}
		uc3_buf_release(&err);
		if (rc < 0)
			goto fail;
		if (dir) {
			uc3_buf_adds(&dest, dir);
		} else {
			const char *base = strrchr(url, '/') ? strrchr(url, '/') + 1 : url;
			size_t n = strlen(base);

			if (n > 4 && !strcmp(base + n - 4, ".git"))
				n -= 4;
			uc3_buf_add(&dest, base, n);
		}
		if (uc3_store_open(&st, dest.ptr) == 0) {
			const struct uc3_policy *p = uc3_store_policy(st);

			if (!role && p->nroles)
				role = p->roles[0].id;
			printf(_("cloned the records into %s\n"), dest.ptr);
		} else {
			uc3_tool_warn("%s", uc3_error_last());
		}
	}
	/* TRANSLATORS: the name, the address, the key file. */
	printf(_("%s <%s> signs every commit with %s\n"), name, email, keypath.ptr);
	printf("\n%s\n\n    ", _("Ask the head of the office to add you to the policy:"));
	uc3_buf_adds(&line, "uc3 person add ");
	uc3_buf_adds(&line, email);
	uc3_buf_adds(&line, " --name ");
	quoted(&line, name);
	uc3_buf_addf(&line, " --role %s --key ", role ? role : "staf");
	quoted(&line, pub);
	printf("%s\n", line.ptr);
	goto out;
fail:
	uc3_tool_fail();
out:
	uc3_store_free(st);
	free(name);
	free(email);
	free(pub);
	uc3_buf_release(&keypath);
	uc3_buf_release(&line);
	uc3_buf_release(&dest);
	return rc < 0 ? UC3_EXIT_ERROR : uc3_tool_finish(0);
}
