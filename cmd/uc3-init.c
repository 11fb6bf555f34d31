/*
 * uc3 init: a new records repository, its policy (the SOP), README and
 * templates in one first commit.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "message.h"
#include "ops.h"
#include "opt.h"
#include "people.h"
#include "policy.h"
#include "store.h"
#include "tool.h"
#include "xalloc.h"

#define DATA_MAX (1024 * 1024)

struct seed {
	char *paths[64];
	struct uc3_buf data[64];
	size_t n;
	const char *office;
};

static int
load(struct seed *s, const char *src, const char *path)
{
	int fd, rc;

	if (s->n >= 64)
		return 0;
	fd = open(src, O_RDONLY);
	if (fd < 0)
		return uc3_error_set(UC3_ERROR, "cannot read %s: %s", src, strerror(errno));
	uc3_buf_init(&s->data[s->n]);
	rc = uc3_buf_read_limited(&s->data[s->n], fd, DATA_MAX, src);
	close(fd);
	if (rc < 0) {
		uc3_buf_release(&s->data[s->n]);
		return rc;
	}
	s->paths[s->n++] = uc3_xstrdup(path);
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
load_seed(struct seed *s, const char *datadir)
{
	struct uc3_buf p = UC3_BUF_INIT;
	char *names[64];
	size_t n = 0, i;
	DIR *d;
	struct dirent *de;
	int rc;

	uc3_buf_addf(&p, "%s/records/uc3.yaml", datadir);
	if ((rc = load(s, p.ptr, UC3_POLICY_FILE)) < 0)
		goto out;
	uc3_buf_reset(&p);
	uc3_buf_addf(&p, "%s/records/README.md", datadir);
	if ((rc = load(s, p.ptr, "README.md")) < 0)
		goto out;
	uc3_buf_reset(&p);
	uc3_buf_addf(&p, "%s/templates", datadir);
	d = opendir(p.ptr);
	while (d && (de = readdir(d)) && n < 64)
		if (de->d_name[0] != '.')
			names[n++] = uc3_xstrdup(de->d_name);
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (i = 0; i < n; i++) {
		struct uc3_buf src = UC3_BUF_INIT, dst = UC3_BUF_INIT;

		uc3_buf_addf(&src, "%s/templates/%s", datadir, names[i]);
		uc3_buf_addf(&dst, "templates/%s", names[i]);
		if (rc == 0)
			rc = load(s, src.ptr, dst.ptr);
		uc3_buf_release(&src);
		uc3_buf_release(&dst);
		free(names[i]);
	}
out:
	uc3_buf_release(&p);
	return rc;
}

/*
 * In a repository that already has commits, files it has already (its own
 * README, say) are kept as they are: init adds, it never overwrites.
 */
static int
init_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct seed *s = ctx;
	struct uc3_buf old = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < s->n; i++) {
		uc3_buf_reset(&old);
		if (uc3_store_read(&old, st, s->paths[i]) == 0)
			continue;
		uc3_buf_add(uc3_write_add(w, s->paths[i]), s->data[i].ptr, s->data[i].len);
	}
	uc3_buf_release(&old);
	uc3_error_clear();
	uc3_message_init(&w->message, s->office);
	return 0;
}

/* The public key git signs with for the caller, when it has one. */
static int
signing_key(char **key, struct uc3_store *st)
{
	char *sign = uc3_store_config(st, "commit.gpgsign");
	char *k = uc3_store_config(st, "user.signingkey");
	int rc = -1;

	if (k && *k && uc3_store_public_key(key, st) == 0)
		rc = 0;
	uc3_error_clear();
	free(sign);
	free(k);
	return rc;
}

/*
 * A signed start: the caller is the first person of the policy (in role,
 * default the top of the chain), signatures are required, and this
 * repository's git configuration signs and checks commits, so the first
 * commit is signed and is the root of trust.
 */
static int
signed_start(struct seed *s, struct uc3_store *st, const struct uc3_policy *p, const char *role,
	     const char *key_arg, char **key)
{
	struct uc3_person who = { 0 };
	struct uc3_buf text = UC3_BUF_INIT;
	const char *name, *email, *r = role ? role : p->roles[p->nroles - 1].id;
	char *format = NULL, *path = NULL;
	int rc;

	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		return rc;
	if (uc3_policy_role_index(p, r) < 0)
		return uc3_error_set(UC3_EINVAL, "unknown role '%s': not one of the chain", r);
	if (!uc3_people_email_ok(email))
		return uc3_error_set(UC3_EINVAL, "your git user.email '%s' is not an email address",
				     email);
	free(*key);
	*key = NULL;
	if (key_arg)
		rc = uc3_people_read_key(key, key_arg);
	else
		rc = uc3_store_public_key(key, st);
	if (rc < 0)
		return rc;
	who.email = (char *)email;
	who.name = name && strcmp(name, email) ? (char *)name : NULL;
	who.roles = (char **)&r;
	who.nroles = 1;
	who.keys = key;
	who.nkeys = 1;
	if ((rc = uc3_people_signed_policy(&text, s->data[0].ptr, s->data[0].len, &who)) < 0)
		goto out;
	uc3_buf_release(&s->data[0]);
	s->data[0] = text;
	uc3_buf_init(&text);
	/* Sign here whatever the global configuration says, and let git check. */
	format = uc3_store_config(st, "gpg.format");
	path = uc3_store_signers_path(st);
	if ((rc = uc3_store_config_set(st, "commit.gpgsign", "true")) < 0 ||
	    (rc = uc3_store_config_set(st, "gpg.format",
				       format			   ? format
				       : !strncmp(*key, "ssh-", 4) ? "ssh"
								   : "openpgp")) < 0 ||
	    (rc = uc3_store_config_set(st, "gpg.ssh.allowedSignersFile", path)) < 0)
		goto out;
out:
	free(format);
	free(path);
	uc3_buf_release(&text);
	return rc;
}

int
main(int argc, char **argv)
{
	struct seed seed = { 0 };
	struct uc3_policy *policy = NULL;
	struct uc3_store *st = NULL;
	struct uc3_write_result res = { 0 };
	struct uc3_buf target = UC3_BUF_INIT, probe = UC3_BUF_INIT;
	const char *dir = NULL, *datadir, *role = NULL, *key_arg = NULL;
	bool bare = false, existed;
	int sign = -1; /* -1: decide (terminal and a signing key), 0 no, 1 yes */
	char *key = NULL;
	size_t i;
	int rc;

	static const char *const usage[] = {
		"uc3 init [-C dir] [--bare] [--signed [--role role] [--key file] | --unsigned] "
		"[directory]",
		NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_BOOL(0, "bare", &bare, "a bare repository (a central copy, no work tree)"),
		UC3_OPT_STRING(0, "key", &key_arg, "FILE",
			       "with --signed: your public key (default: the key git\n"
			       "signs with)"),
		UC3_OPT_STRING(0, "role", &role, "ROLE",
			       "with --signed: your role (default: the top of the chain)"),
		UC3_OPT_SET_INT(0, "signed", &sign, 1,
				"you are the first person of the policy, signatures are\n"
				"required, and the first commit is signed (the default\n"
				"on a terminal when git has a signing key)"),
		UC3_OPT_SET_INT(0, "unsigned", &sign, 0,
				"single-user mode: no people, no signatures required"),
		UC3_OPT_STRING('C', NULL, &dir, "DIR", "run as if started in DIR"),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 init",
		usage,
		N_("Create a records repository in DIRECTORY (default: here): git init, the\n"
		   "policy uc3.yaml (the SOP), a README and templates/, in one first commit.\n"),
		N_("See uc3-init(1).\n"),
		options,
		0
	};

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	if ((role || key_arg) && sign == 0)
		return uc3_opt_usage_error(&cmd, "--role and --key are for --signed");
	if (role || key_arg)
		sign = 1;
	if (argc > 1)
		return uc3_opt_usage_error(&cmd, "too many arguments: one directory at most");
	if (dir && argc == 1 && argv[0][0] != '/')
		uc3_buf_addf(&target, "%s/%s", dir, argv[0]);
	else if (argc == 1)
		uc3_buf_adds(&target, argv[0]);
	else
		uc3_buf_adds(&target, dir ? dir : ".");
	datadir = uc3_tool_datadir();
	if (!datadir) {
		uc3_tool_error("cannot find uc3's installed data (share/uc3/records); "
			       "set UC3_DATADIR");
		return UC3_EXIT_ERROR;
	}
	if ((rc = load_seed(&seed, datadir)) < 0)
		goto fail;
	/* Never lay down a policy that the tools would refuse to read. */
	if ((rc = uc3_policy_parse(&policy, seed.data[0].ptr, seed.data[0].len,
				   "records/uc3.yaml")) < 0)
		goto fail;
	seed.office = policy->office;
	if ((rc = uc3_store_init(&st, target.ptr, bare, &existed)) < 0)
		goto fail;
	if (existed) {
		rc = uc3_store_read(&probe, st, UC3_POLICY_FILE);
		if (rc == 0) {
			rc = uc3_error_set(UC3_EINVAL, "%s is already a records repository",
					   uc3_store_workdir(st) ? uc3_store_workdir(st)
								 : uc3_store_gitdir(st));
			goto fail;
		}
		uc3_error_clear();
	}
	uc3_store_set_timezone(st, policy->timezone);
	if (sign == -1)
		sign = isatty(0) && signing_key(&key, st) == 0;
	if (sign == 1 && (rc = signed_start(&seed, st, policy, role, key_arg, &key)) < 0)
		goto fail;
	if ((rc = uc3_store_write(st, init_edit, &seed, &res)) < 0)
		goto fail;
	if (sign == 1 && uc3_store_keep_signers(st, true) < 0 && !res.warning) {
		struct uc3_buf w = UC3_BUF_INIT;

		uc3_buf_addf(&w, _("git's allowed signers file is not made: %s"), uc3_error_last());
		res.warning = uc3_buf_detach(&w);
	}
	/* TRANSLATORS: the directory of the new repository (as git init says it). */
	printf(bare ? (sign == 1 ? _("Initialized bare signed records repository in %s\n")
				 : _("Initialized bare records repository in %s\n"))
		    : (sign == 1 ? _("Initialized signed records repository in %s\n")
				 : _("Initialized records repository in %s\n")),
	       uc3_store_workdir(st) ? uc3_store_workdir(st) : uc3_store_gitdir(st));
	if (sign == 1) {
		const char *name, *email;

		uc3_store_actor(&name, &email, st);
		/* TRANSLATORS: the address, the role. */
		printf(_("%s is its first person, as %s; every commit is signed. Add the others "
			 "with uc3 person add.\n"),
		       email, role ? role : policy->roles[policy->nroles - 1].id);
	}
	if (res.warning)
		uc3_tool_warn("%s", res.warning);
	rc = 0;
	goto out;
fail:
	uc3_tool_fail();
	/* An error changes nothing: a repository made here goes again. */
	uc3_store_init_abort(st);
	st = NULL;
out:
	uc3_write_result_release(&res);
	for (i = 0; i < seed.n; i++) {
		free(seed.paths[i]);
		uc3_buf_release(&seed.data[i]);
	}
	uc3_policy_free(policy);
	uc3_store_free(st);
	uc3_buf_release(&target);
	uc3_buf_release(&probe);
	free(key);
	return rc < 0 ? UC3_EXIT_ERROR : uc3_tool_finish(0);
}
