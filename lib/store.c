#include "store.h"

/*
 * The git store: opening and creating the repository, its configuration
 * and the acting person, reads from the base tree, and the branch's refs.
 * Writes are in store_write.c, the work tree in worktree.c, uc3.remote in
 * remote.c, history in history.c; the tickets are records.c's.
 */

#include <fcntl.h>
#include <ftw.h>
#include <git2/sys/repository.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "records.h"
#include "reserve.h"
#include "sign.h"
#include "store_int.h"
#include "xalloc.h"

/*MOVED:decl:static char *config_string(git_config *cfg, const char *name*/

/*MOVED:decl:static int write_file_atomic(const char *path, const char *d*/

bool
uc3_store__same_entry(const git_tree_entry *a, const git_tree_entry *b)
{
	return git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) &&
	       git_tree_entry_filemode(a) == git_tree_entry_filemode(b);
}

/* Copy libgit2's message at once, before anything else can replace it. */
int
uc3_store__git_fail(int code, const char *what)
{
	const git_error *e = git_error_last();

	return uc3_error_set(code, "%s: %s", what, e && e->message ? e->message : _("git error"));
}

/*
 * libgit2 as Debian builds it (TLS by mbedTLS) parses the whole system CA
 * bundle in git_libgit2_init: about 50 million instructions, four fifths
 * of a small command such as `uc3 show`. uc3 never opens a TLS connection
 * through libgit2 (a remote is reached by running git), so the store
 * defines the one function that load goes through, and it loads nothing.
 * A libgit2 built with another TLS library never calls it. Should libgit2
 * ever be asked for https here, it has no trusted certificate and refuses
 * the connection: it fails closed.
 */
struct mbedtls_x509_crt;

int mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path);

int
mbedtls_x509_crt_parse_file(struct mbedtls_x509_crt *chain, const char *path)
{
	(void)chain;
	(void)path;
	return -0x2880; /* MBEDTLS_ERR_X509_BAD_INPUT_DATA */
}

/*
 * The rest of that start-up is for connections uc3 never makes through
 * libgit2 either: seeding mbedTLS's random numbers, where Debian's build
 * also runs HAVEGE, a timing-based source that loops over a 32 KiB table
 * (a million instructions, a tenth of `uc3 show`); and libssh2_init,
 * which loads OpenSSL's engines and error strings (another million).
 * HAVEGE starts empty here: the pool still takes the system's random
 * source, which mbedTLS reads besides it. libssh2 is not started: libgit2
 * only starts it for an ssh:// transport, which uc3 leaves to git (the
 * OpenSSL uc3 uses itself, in sshsig.c, starts on its own first use).
 */
#if defined(__has_include)
#if __has_include(<mbedtls/havege.h>)
#include <mbedtls/havege.h>

void
mbedtls_havege_init(mbedtls_havege_state *hs)
{
	memset(hs, 0, sizeof(*hs));
}
#endif
#endif

int libssh2_init(int flags);

int
libssh2_init(int flags)
{
	(void)flags;
	return 0;
}

/*
 * libgit2 keeps no tree over 4 KiB in its object cache, and a month
 * folder of a busy year is 200 KiB: a write read it from the object
 * database, inflated and hashed, once to look the new file up and again
 * to rewrite the folder, a sixth of uc3 new. Trees up to 4 MiB are kept
 * (the cache as a whole stays within libgit2's 256 MiB).
 */
#define TREE_CACHE_LIMIT ((size_t)4 * 1024 * 1024)

static int
lib_init(void)
{
	static bool done;

	if (!done) {
		if (git_libgit2_init() < 0)
			return uc3_store__git_fail(UC3_ERROR, "cannot start libgit2");
		git_libgit2_opts(GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, TREE_CACHE_LIMIT);
		done = true;
	}
	return 0;
}

/* Release the base and read the branch tip again. */
int
uc3_store__load_tip(struct uc3_store *st)
{
	int rc;

	git_tree_free(st->tree);
	git_commit_free(st->base);
	st->tree = NULL;
	st->base = NULL;
	rc = git_reference_name_to_id(&st->tip, st->repo, st->refname);
	if (rc == GIT_ENOTFOUND) {
		git_treebuilder *tb;
		git_oid empty;

		st->unborn = true;
		if (git_treebuilder_new(&tb, st->repo, NULL) < 0)
			return uc3_store__git_fail(UC3_ERROR, "cannot make an empty tree");
		rc = git_treebuilder_write(&empty, tb);
		git_treebuilder_free(tb);
		if (rc < 0 || git_tree_lookup(&st->tree, st->repo, &empty) < 0)
			return uc3_store__git_fail(UC3_ERROR, "cannot make an empty tree");
		return 0;
	}
	if (rc < 0)
		return uc3_store__git_fail(UC3_ERROR, st->refname);
	st->unborn = false;
	if (git_commit_lookup(&st->base, st->repo, &st->tip) < 0 ||
	    git_commit_tree(&st->tree, st->base) < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot read the branch tip");
	return 0;
}

static bool
env_true(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0") && strcasecmp(v, "false") && strcasecmp(v, "no") &&
	       strcasecmp(v, "off");
}

static void
add_config_file(git_config *cfg, const char *path, git_config_level_t level,
		const git_repository *repo)
{
	if (path && *path && access(path, R_OK) == 0)
		git_config_add_file_ondisk(cfg, path, level, repo, 0);
	git_error_clear();
}

/*
 * git honours GIT_CONFIG_GLOBAL and GIT_CONFIG_NOSYSTEM; libgit2 1.5 does
 * not. So that uc3 and git agree on who the user is and how to sign, the
 * repository gets a configuration built as git builds it.
 */
static bool
git_like_config(void)
{
	return getenv("GIT_CONFIG_GLOBAL") || getenv("GIT_CONFIG_NOSYSTEM");
}

/* Build the configuration git would read; repo NULL: no local file. */
static int
build_config(git_config **out, git_repository *repo)
{
	const char *global = getenv("GIT_CONFIG_GLOBAL");
	git_config *cfg = NULL;
	git_buf p = GIT_BUF_INIT;

	if (git_config_new(&cfg) < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot read git configuration");
	if (!env_true("GIT_CONFIG_NOSYSTEM") && git_config_find_system(&p) == 0)
		add_config_file(cfg, p.ptr, GIT_CONFIG_LEVEL_SYSTEM, repo);
	git_buf_dispose(&p);
	if (global) {
		add_config_file(cfg, global, GIT_CONFIG_LEVEL_GLOBAL, repo);
	} else {
		if (git_config_find_xdg(&p) == 0)
			add_config_file(cfg, p.ptr, GIT_CONFIG_LEVEL_XDG, repo);
		git_buf_dispose(&p);
		if (git_config_find_global(&p) == 0)
			add_config_file(cfg, p.ptr, GIT_CONFIG_LEVEL_GLOBAL, repo);
		git_buf_dispose(&p);
	}
	if (repo) {
		struct uc3_buf local = UC3_BUF_INIT;

		uc3_buf_addf(&local, "%sconfig", git_repository_commondir(repo));
		add_config_file(cfg, local.ptr, GIT_CONFIG_LEVEL_LOCAL, repo);
		uc3_buf_release(&local);
	}
	git_error_clear();
	*out = cfg;
	return 0;
}

/*
 * git honours GIT_CONFIG_GLOBAL and GIT_CONFIG_NOSYSTEM; libgit2 1.5 does
 * not. So that uc3 and git agree on who the user is and how to sign, the
 * repository then gets a configuration built as git builds it.
 */
static int
setup_config(git_repository *repo)
{
	git_config *cfg = NULL;
	int rc;

	if (!git_like_config())
		return 0;
	if ((rc = build_config(&cfg, repo)) < 0)
		return rc;
	rc = git_repository_set_config(repo, cfg);
	git_config_free(cfg);
	git_error_clear();
	return rc < 0 ? UC3_ERROR : 0;
}

static int
open_repo(struct uc3_store **out, const char *dir)
{
	struct uc3_store *st;
	const char *path = dir;
	git_reference *head = NULL;
	int rc;

	if ((rc = lib_init()) < 0)
		return rc;
	if (!path || !*path)
		path = getenv("UC3_DIR");
	if (!path || !*path)
		path = ".";
	st = uc3_xcalloc(1, sizeof(*st));
	uc3_buf_init(&st->notes);
	if (git_repository_open_ext(&st->repo, path, 0, NULL) < 0) {
		uc3_store_free(st);
		return uc3_error_set(UC3_ENOTFOUND,
				     "not a records repository: no git repository at %s or above; "
				     "create one with uc3 init",
				     path);
	}
	if ((rc = setup_config(st->repo)) < 0)
		goto fail;
	if (git_reference_lookup(&head, st->repo, "HEAD") < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot read HEAD");
		goto fail;
	}
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		rc = uc3_error_set(UC3_ERROR,
				   "HEAD is detached; check out the records branch first");
		goto fail;
	}
	st->refname = uc3_xstrdup(git_reference_symbolic_target(head));
	git_reference_free(head);
	st->gitdir = uc3_xstrdup(git_repository_path(st->repo));
	if (!git_repository_is_bare(st->repo) && git_repository_workdir(st->repo))
		st->workdir = uc3_xstrdup(git_repository_workdir(st->repo));
	if ((rc = uc3_store__load_tip(st)) < 0)
		goto fail;
	*out = st;
	return 0;
fail:
	uc3_store_free(st);
	return rc;
}

int
uc3_store_open(struct uc3_store **out, const char *dir)
{
	struct uc3_store *st;
	struct uc3_buf data = UC3_BUF_INIT;
	int rc;

	if ((rc = open_repo(&st, dir)) < 0)
		return rc;
	{
		git_tree_entry *e = NULL;

		if (git_tree_entry_bypath(&e, st->tree, UC3_POLICY_FILE) == 0)
			git_oid_cpy(&st->policy_blob, git_tree_entry_id(e));
		git_tree_entry_free(e);
		git_error_clear();
	}
	rc = uc3_store_read(&data, st, UC3_POLICY_FILE);
	if (rc == UC3_ENOTFOUND) {
		rc = uc3_error_set(UC3_ENOTFOUND,
				   "not a records repository: %s has no %s on its branch; "
				   "create one with uc3 init",
				   st->workdir ? st->workdir : st->gitdir, UC3_POLICY_FILE);
		goto out;
	}
	if (rc < 0)
		goto out;
	rc = uc3_policy_parse(&st->policy, data.ptr, data.len, UC3_POLICY_FILE);
	/* Behind after a pull: git's allowed signers follow the policy. */
	if (rc == 0 && uc3_store_keep_signers(st, false) < 0)
		uc3_error_clear();
out:
	uc3_buf_release(&data);
	if (rc < 0) {
		uc3_store_free(st);
		return rc;
	}
	*out = st;
	return 0;
}

int
uc3_store_init(struct uc3_store **out, const char *dir, bool bare, bool *existed)
{
	git_repository *repo = NULL;
	git_repository_init_options opts;
	const char *path = dir && *dir ? dir : ".";
	bool created = false, made_dir;
	struct stat sb;
	int rc;

	if ((rc = lib_init()) < 0)
		return rc;
	made_dir = stat(path, &sb) < 0;
	git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	*existed = false;
	if (git_repository_open_ext(&repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) == 0) {
		*existed = !git_repository_head_unborn(repo);
		git_repository_free(repo);
	} else {
		git_config *cfg = NULL;
		char *branch = NULL;

		git_error_clear();
		opts.flags = GIT_REPOSITORY_INIT_MKPATH;
		if (bare)
			opts.flags |= GIT_REPOSITORY_INIT_BARE;
		/* init.defaultBranch from the configuration git would read. */
		if (git_like_config() && build_config(&cfg, NULL) == 0) {
			branch = uc3_store__config_string(cfg, "init.defaultBranch");
			git_config_free(cfg);
		}
		opts.initial_head = branch;
		rc = git_repository_init_ext(&repo, path, &opts);
		free(branch);
		if (rc < 0)
			return uc3_store__git_fail(UC3_ERROR, path);
		git_repository_free(repo);
		created = true;
	}
	if ((rc = open_repo(out, path)) < 0)
		return rc;
	(*out)->created = created;
	if (created && made_dir)
		(*out)->made_dir = uc3_xstrdup(path);
	return 0;
}

static int
rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)ftw;
	if (flag == FTW_DP)
		rmdir(p);
	else
		unlink(p);
	return 0;
}

void
uc3_store_init_abort(struct uc3_store *st)
{
	if (!st)
		return;
	/* A bare repository in a directory that was there: its files are not all ours. */
	if (st->created && (st->workdir || st->made_dir)) {
		nftw(st->gitdir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		if (st->made_dir)
			rmdir(st->made_dir);
	}
	uc3_store_free(st);
}

void
uc3_store_free(struct uc3_store *st)
{
	if (!st)
		return;
	if (st->mail_depth)
		close(st->mail_fd);
	git_tree_free(st->tree);
	git_commit_free(st->base);
	git_repository_free(st->repo);
	uc3_policy_free(st->policy);
	free(st->refname);
	free(st->actor_name);
	free(st->unreachable);
	free(st->actor_email);
	free(st->gitdir);
	free(st->workdir);
	free(st->timezone);
	free(st->made_dir);
	while (st->npins)
		free(st->pins[--st->npins].path);
	free(st->pins);
	uc3_buf_release(&st->notes);
	while (st->nretired)
		uc3_policy_free(st->retired[--st->nretired]);
	free(st->retired);
	free(st);
}

void
uc3_store_set_timezone(struct uc3_store *st, const char *tz)
{
	free(st->timezone);
	st->timezone = tz ? uc3_xstrdup(tz) : NULL;
}

const struct uc3_policy *
uc3_store_policy(const struct uc3_store *st)
{
	return st->policy;
}

bool
uc3_store_is_bare(const struct uc3_store *st)
{
	return st->workdir == NULL;
}

const char *
uc3_store_workdir(const struct uc3_store *st)
{
	return st->workdir;
}

const char *
uc3_store_gitdir(const struct uc3_store *st)
{
	return st->gitdir;
}

char *
uc3_store_cache_path(const struct uc3_store *st, const char *name)
{
	struct uc3_buf p = UC3_BUF_INIT;

	uc3_buf_addf(&p, "%suc3/%s", st->gitdir, name);
	return uc3_buf_detach(&p);
}

int
uc3_store_cache_write(const struct uc3_store *st, const char *name, const char *data, size_t len)
{
	char *path = uc3_store_cache_path(st, name);
	int rc = uc3_store__write_file(path, data, len, 0600);

	free(path);
	return rc;
}

/*
 * Signing setup: git's own checks (git log --show-signature, git
 * verify-commit) read ssh keys from gpg.ssh.allowedSignersFile. uc3 keeps
 * one in $GIT_DIR/uc3/allowed_signers, made from the people of the policy
 * at the tip; its first line names the uc3.yaml blob it was made from, so
 * a command that finds it behind (after a pull) makes it again.
 */
static int
write_signers(struct uc3_store *st, const struct uc3_policy *p, const git_oid *blob)
{
	struct uc3_buf path = UC3_BUF_INIT, text = UC3_BUF_INIT;
	char hex[GIT_OID_HEXSZ + 1];
	size_t i, j;
	int rc;

	git_oid_tostr(hex, sizeof(hex), blob);
	uc3_buf_addf(&text,
		     "# made by uc3 from uc3.yaml %s; uc3 makes it again when "
		     "the policy changes\n",
		     hex);
	for (i = 0; i < p->npeople; i++)
		for (j = 0; j < p->people[i].nkeys; j++)
			if (!strncmp(p->people[i].keys[j], "ssh-", 4) ||
			    !strncmp(p->people[i].keys[j], "ecdsa-", 6) ||
			    !strncmp(p->people[i].keys[j], "sk-", 3))
				uc3_buf_addf(&text, "%s namespaces=\"git\" %s\n",
					     p->people[i].email, p->people[i].keys[j]);
	uc3_buf_addf(&path, "%suc3", st->gitdir);
	mkdir(path.ptr, 0777);
	uc3_buf_adds(&path, "/allowed_signers");
	rc = uc3_store__write_file(path.ptr, text.ptr, text.len, 0644);
	uc3_buf_release(&path);
	uc3_buf_release(&text);
	return rc;
}

char *
uc3_store_signers_path(const struct uc3_store *st)
{
	struct uc3_buf p = UC3_BUF_INIT;

	uc3_buf_addf(&p, "%suc3/allowed_signers", st->gitdir);
	return uc3_buf_detach(&p);
}

int
uc3_store_keep_signers(struct uc3_store *st, bool create)
{
	char *path = uc3_store_signers_path(st);
	char line[200] = "", hex[GIT_OID_HEXSZ + 1];
	git_tree_entry *e = NULL;
	struct uc3_buf data = UC3_BUF_INIT;
	struct uc3_policy *p = NULL;
	git_oid blob;
	FILE *f;
	int rc = 0;

	f = fopen(path, "r");
	if (!f && !create)
		goto out;
	if (f) {
		if (!fgets(line, sizeof(line), f))
			line[0] = '\0';
		fclose(f);
	}
	if (!st->tree || git_tree_entry_bypath(&e, st->tree, UC3_POLICY_FILE) < 0) {
		git_error_clear();
		goto out;
	}
	git_oid_cpy(&blob, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_oid_tostr(hex, sizeof(hex), &blob);
	if (strstr(line, hex))
		goto out;
	if ((rc = uc3_store_read(&data, st, UC3_POLICY_FILE)) == 0 &&
	    (rc = uc3_policy_parse(&p, data.ptr, data.len, UC3_POLICY_FILE)) == 0)
		rc = write_signers(st, p, &blob);
	uc3_policy_free(p);
out:
	uc3_buf_release(&data);
	free(path);
	return rc;
}

int
uc3_store_config_set(struct uc3_store *st, const char *name, const char *value)
{
	git_config *cfg = NULL, *local = NULL;
	int rc = 0;

	if (git_repository_config(&cfg, st->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0 ||
	    git_config_set_string(local, name, value) < 0)
		rc = uc3_store__git_fail(UC3_ERROR, "cannot set git configuration");
	git_config_free(local);
	git_config_free(cfg);
	return rc;
}

int
uc3_store_clone(char **out, struct uc3_store *st, bool make)
{
	git_config *cfg = NULL, *local = NULL;
	unsigned char raw[6];
	char hex[13];
	char *v = NULL;
	ssize_t got = -1;
	int fd, rc = 0;
	size_t i;

	*out = NULL;
	if (git_repository_config(&cfg, st->repo) < 0 ||
	    git_config_open_level(&local, cfg, GIT_CONFIG_LEVEL_LOCAL) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot read git configuration");
		goto out;
	}
	if ((v = uc3_store__config_string(local, "uc3.clone"))) {
		if (!uc3_reserve_clone_ok(v))
			rc = uc3_error_set(UC3_EINVAL,
					   "git config uc3.clone '%s' is not 12 lowercase hex "
					   "digits; remove it (git config --unset uc3.clone) and "
					   "uc3 makes a new one",
					   v);
		goto out;
	}
	if (!make)
		goto out;
	if ((fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)) >= 0) {
		got = read(fd, raw, sizeof(raw));
		close(fd);
	}
	if (got != (ssize_t)sizeof(raw)) {
		rc = uc3_error_set(UC3_ERROR, "cannot read /dev/urandom for this clone's id");
		goto out;
	}
	for (i = 0; i < sizeof(raw); i++)
		snprintf(hex + 2 * i, 3, "%02x", raw[i]);
	if (git_config_set_string(local, "uc3.clone", hex) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot set git config uc3.clone");
		goto out;
	}
	v = uc3_xstrdup(hex);
out:
	git_error_clear();
	if (rc == 0)
		*out = v;
	else
		free(v);
	git_config_free(local);
	git_config_free(cfg);
	return rc;
}

int
uc3_store_public_key(char **out, struct uc3_store *st)
{
	git_config *cfg = NULL;
	struct uc3_sign_config sc = { 0 };
	struct uc3_buf ident = UC3_BUF_INIT;
	char *format, *key, *prog;
	const char *name, *email;
	int rc;

	*out = NULL;
	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		return rc;
	if (git_repository_config_snapshot(&cfg, st->repo) < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot read git configuration");
	format = uc3_store__config_string(cfg, "gpg.format");
	key = uc3_store__config_string(cfg, "user.signingkey");
	prog = uc3_store__config_string(cfg, (format && !strcmp(format, "ssh")) ? "gpg.ssh.program"
										: "gpg.program");
	git_config_free(cfg);
	uc3_buf_addf(&ident, "%s <%s>", name, email);
	sc.format = format;
	sc.key = key;
	sc.program = prog;
	sc.ident = ident.ptr;
	rc = uc3_sign_public_key(out, &sc);
	free(format);
	free(key);
	free(prog);
	uc3_buf_release(&ident);
	return rc;
}

char *
uc3_store__config_string(git_config *cfg, const char *name)
{
	git_buf b = GIT_BUF_INIT;
	char *s = NULL;

	if (git_config_get_string_buf(&b, cfg, name) == 0) {
		s = uc3_xstrdup(b.ptr);
		git_buf_dispose(&b);
	}
	git_error_clear();
	return s;
}

bool
uc3_store__config_bool(git_config *cfg, const char *name)
{
	int v = 0;

	if (git_config_get_bool(&v, cfg, name) < 0) {
		git_error_clear();
		return false;
	}
	return v != 0;
}

int
uc3_store_actor(const char **name, const char **email, struct uc3_store *st)
{
	if (!st->actor_email) {
		git_config *cfg = NULL;
		const char *en = getenv("GIT_AUTHOR_NAME");
		const char *ee = getenv("GIT_AUTHOR_EMAIL");

		if (git_repository_config_snapshot(&cfg, st->repo) < 0)
			return uc3_store__git_fail(UC3_ERROR, "cannot read git configuration");
		st->actor_name =
			en && *en ? uc3_xstrdup(en) : uc3_store__config_string(cfg, "user.name");
		st->actor_email =
			ee && *ee ? uc3_xstrdup(ee) : uc3_store__config_string(cfg, "user.email");
		git_config_free(cfg);
		if (!st->actor_email || !*st->actor_email) {
			free(st->actor_email);
			st->actor_email = NULL;
			return uc3_error_set(UC3_EINVAL,
					     "who are you? set your identity with "
					     "git config --global user.email you@example.com "
					     "(and user.name)");
		}
		if (!st->actor_name || !*st->actor_name) {
			free(st->actor_name);
			st->actor_name = uc3_xstrdup(st->actor_email);
		}
	}
	*name = st->actor_name;
	*email = st->actor_email;
	return 0;
}

char *
uc3_store_config(struct uc3_store *st, const char *name)
{
	git_config *cfg = NULL;
	char *v;

	if (git_repository_config_snapshot(&cfg, st->repo) < 0) {
		git_error_clear();
		return NULL;
	}
	v = uc3_store__config_string(cfg, name);
	git_config_free(cfg);
	return v;
}

/* The most a blob at path may hold for the store to read it at all. */
size_t
uc3_store__blob_limit(const char *path)
{
	if (!strcmp(path, UC3_POLICY_FILE))
		return UC3_POLICY_FILE_MAX;
	if (uc3_records_attachment_of(path, NULL))
		return UC3_ATTACHMENT_LIMIT_MAX;
	return UC3_STORE_FILE_MAX;
}

int
uc3_store__blob_size(size_t *size, struct uc3_store *st, const git_oid *id, const char *path)
{
	git_odb *odb = NULL;
	git_object_t type;
	int rc;

	*size = 0;
	if (git_repository_odb(&odb, st->repo) < 0)
		return uc3_store__git_fail(UC3_ERROR, path);
	rc = git_odb_read_header(size, &type, odb, id);
	git_odb_free(odb);
	if (rc < 0)
		return uc3_store__git_fail(UC3_ERROR, path);
	if (type != GIT_OBJECT_BLOB)
		return uc3_error_set(UC3_ERROR, "%s: not a file", path);
	return 0;
}

/*
 * Look up the blob id, the file at path (named in messages), sized first
 * from its object header: one over the limit for path is refused without
 * being inflated (a blob of a few megabytes in git may stand for
 * hundreds). *size (may be NULL) gets its size either way. Returns 0 and
 * *out (git_blob_free), UC3_EINVAL for a blob over the limit, UC3_ERROR
 * for an object that does not read as a blob.
 */
int
uc3_store__read_blob(git_blob **out, size_t *size, struct uc3_store *st, const git_oid *id,
		     const char *path)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t len = 0, limit = uc3_store__blob_limit(path);
	int rc;

	*out = NULL;
	if (size)
		*size = 0;
	if (git_repository_odb(&odb, st->repo) < 0)
		return uc3_store__git_fail(UC3_ERROR, path);
	rc = git_odb_read_header(&len, &type, odb, id);
	git_odb_free(odb);
	if (rc < 0)
		return uc3_store__git_fail(UC3_ERROR, path);
	if (size)
		*size = len;
	if (type != GIT_OBJECT_BLOB)
		return uc3_error_set(UC3_ERROR, "%s: not a file", path);
	if (len > limit)
		return uc3_error_set(UC3_EINVAL, "%s: %zu bytes, over the limit of %zu", path, len,
				     limit);
	if (git_blob_lookup(out, st->repo, id) < 0)
		return uc3_store__git_fail(UC3_ERROR, path);
	return 0;
}

int
uc3_store_read(struct uc3_buf *out, struct uc3_store *st, const char *path)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	int rc;

	rc = git_tree_entry_bypath(&e, st->tree, path);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return uc3_error_set(UC3_ENOTFOUND, "%s: not found", path);
	}
	if (rc < 0)
		return uc3_store__git_fail(UC3_ERROR, path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return uc3_error_set(UC3_ENOTFOUND, "%s: not a file", path);
	}
	rc = uc3_store__read_blob(&blob, NULL, st, git_tree_entry_id(e), path);
	git_tree_entry_free(e);
	if (rc < 0)
		return rc;
	uc3_buf_add(out, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
	git_blob_free(blob);
	return 0;
}

int
uc3_store_blob(char blob[41], struct uc3_store *st, const char *path)
{
	git_tree_entry *e = NULL;

	if (git_tree_entry_bypath(&e, st->tree, path) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		git_error_clear();
		return uc3_error_set(UC3_ENOTFOUND, "%s: not found", path);
	}
	git_oid_tostr(blob, 41, git_tree_entry_id(e));
	git_tree_entry_free(e);
	return 0;
}

int
uc3_store_hash(char blob[41], struct uc3_store *st, const char *data, size_t len)
{
	git_oid id;

	(void)st;
	if (git_odb_hash(&id, data, len, GIT_OBJECT_BLOB) < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot hash a file");
	git_oid_tostr(blob, 41, &id);
	return 0;
}

int
uc3_store_pin(char blob[41], struct uc3_store *st, const char *path)
{
	struct pin *pn;
	git_oid id;
	char hex[41];
	size_t i;
	int rc;

	for (i = 0; i < st->npins; i++)
		if (!strcmp(st->pins[i].path, path)) {
			if (blob)
				git_oid_tostr(blob, 41, &st->pins[i].blob);
			return 0;
		}
	if ((rc = uc3_store_blob(hex, st, path)) < 0)
		return rc;
	git_oid_fromstr(&id, hex);
	uc3_xgrow((void **)&st->pins, &st->apins, st->npins + 1, sizeof(*st->pins));
	pn = &st->pins[st->npins++];
	pn->path = uc3_xstrdup(path);
	git_oid_cpy(&pn->blob, &id);
	if (blob)
		memcpy(blob, hex, sizeof(hex));
	return 0;
}

/*
 * A write re-done on a new tip must see the policy of that tip: a change
 * of uc3.yaml committed meanwhile is read again. The old policy stays
 * alive until the store is freed, for callers that still point at it.
 */
int
uc3_store__refresh_policy(struct uc3_store *st)
{
	git_tree_entry *e = NULL;
	struct uc3_policy *p = NULL;
	struct uc3_buf data = UC3_BUF_INIT;
	int rc;

	if (!st->policy)
		return 0;
	if (git_tree_entry_bypath(&e, st->tree, UC3_POLICY_FILE) < 0) {
		git_error_clear();
		return uc3_error_set(UC3_EPOLICY, "uc3.yaml was removed from the branch");
	}
	if (git_oid_equal(&st->policy_blob, git_tree_entry_id(e))) {
		git_tree_entry_free(e);
		return 0;
	}
	git_oid_cpy(&st->policy_blob, git_tree_entry_id(e));
	git_tree_entry_free(e);
	if ((rc = uc3_store_read(&data, st, UC3_POLICY_FILE)) == 0)
		rc = uc3_policy_parse(&p, data.ptr, data.len, UC3_POLICY_FILE);
	uc3_buf_release(&data);
	if (rc < 0)
		return rc;
	st->retired = uc3_xrealloc(st->retired, (st->nretired + 1) * sizeof(*st->retired));
	st->retired[st->nretired++] = st->policy;
	st->policy = p;
	return 0;
}

int
uc3_store_parent(char out[41], struct uc3_store *st, const char *rev)
{
	git_oid id;
	git_commit *c = NULL;
	int rc = 0;

	if (git_oid_fromstr(&id, rev) < 0 || git_commit_lookup(&c, st->repo, &id) < 0)
		return uc3_store__git_fail(UC3_ERROR, rev);
	if (git_commit_parentcount(c) == 0)
		rc = uc3_error_set(UC3_ENOTFOUND, "%.7s has no parent", rev);
	else
		git_oid_tostr(out, 41, git_commit_parent_id(c, 0));
	git_commit_free(c);
	return rc;
}

bool
uc3_store_is_ancestor(struct uc3_store *st, const char *a, const char *b)
{
	git_oid x, y;

	if (git_oid_fromstr(&x, a) < 0 || git_oid_fromstr(&y, b) < 0)
		return false;
	if (git_oid_equal(&x, &y))
		return true;
	return git_graph_descendant_of(st->repo, &y, &x) == 1;
}

const char *
uc3_store_tip(struct uc3_store *st)
{
	static char hex[41];

	if (st->unborn)
		return "";
	git_oid_tostr(hex, sizeof(hex), &st->tip);
	return hex;
}

const char *
uc3_store_branch(const struct uc3_store *st)
{
	return st->refname;
}

int
uc3_store_resolve(char out[41], struct uc3_store *st, const char *rev)
{
	git_object *obj = NULL, *c = NULL;
	int rc = 0;

	if (git_revparse_single(&obj, st->repo, rev) < 0 ||
	    git_object_peel(&c, obj, GIT_OBJECT_COMMIT) < 0)
		rc = uc3_error_set(UC3_EINVAL, "'%s' names no commit of this repository", rev);
	else
		git_oid_tostr(out, 41, git_object_id(c));
	git_error_clear();
	git_object_free(obj);
	git_object_free(c);
	return rc;
}

int
uc3_store_note_add(struct uc3_store *st, const char *ref, const char *commit, const char *text,
		   time_t when)
{
	git_signature *who = NULL, *dflt = NULL;
	git_oid id, note;
	git_note *had = NULL;
	int rc = 0;

	if (git_oid_fromstr(&id, commit) < 0)
		return uc3_error_set(UC3_EINVAL, "'%s' is not a commit id", commit);
	if (git_note_read(&had, st->repo, ref, &id) == 0) {
		git_note_free(had);
		return 1;
	}
	git_error_clear();
	/* The account's identity, at the time given (the central's clock). */
	if (git_signature_default(&dflt, st->repo) == 0)
		rc = git_signature_new(&who, dflt->name, dflt->email, (git_time_t)when, 0);
	else
		rc = git_signature_new(&who, "uc3 central", "uc3@localhost", (git_time_t)when, 0);
	git_signature_free(dflt);
	if (rc < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot make the note's signature");
	if (git_note_create(&note, st->repo, ref, who, who, &id, text, 0) < 0)
		rc = uc3_store__git_fail(UC3_ERROR, "cannot write the note");
	git_signature_free(who);
	return rc;
}

int
uc3_store_note_read(char **out, struct uc3_store *st, const char *ref, const char *commit)
{
	git_note *n = NULL;
	git_oid id;
	int rc;

	*out = NULL;
	if (git_oid_fromstr(&id, commit) < 0)
		return uc3_error_set(UC3_EINVAL, "'%s' is not a commit id", commit);
	rc = git_note_read(&n, st->repo, ref, &id);
	if (rc == GIT_ENOTFOUND) {
		git_error_clear();
		return 0;
	}
	if (rc < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot read the notes");
	*out = uc3_xstrdup(git_note_message(n));
	git_note_free(n);
	return 0;
}
