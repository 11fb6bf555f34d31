#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <git2.h>
#include <git2/sys/repository.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "run.h"
#include "sign.h"
#include "xalloc.h"

#define MAX_ATTEMPTS 64
#define INDEX_WAIT_MS 10000

struct uc3_store {
	git_repository *repo;
	char *refname;		/* the branch HEAD names: refs/heads/main */
	git_oid tip;		/* base commit id (when !unborn) */
	bool unborn;
	git_commit *base;	/* NULL when unborn */
	git_tree *tree;		/* base tree; the empty tree when unborn */
	struct uc3_policy *policy;
	char *actor_name, *actor_email;
	char *gitdir, *workdir;
	char *timezone;		/* for commit times while there is no policy (init) */
	git_oid policy_blob;	/* the uc3.yaml the policy was read from */
	struct uc3_policy **retired;	/* policies replaced during a write: callers may hold them */
	size_t nretired;
	bool created;		/* uc3_store_init made this repository */
	char *made_dir;		/* ... and this directory for it */
	struct pin {
		char *path;
		git_oid blob;
	} *pins;		/* what this command saw first: uc3_store_pin */
	size_t npins, apins;
	struct uc3_buf notes;	/* what the work-tree repair did, for the write's warning */
};

static char *config_string(git_config *cfg, const char *name);
static int write_file_atomic(const char *path, const char *data, size_t len);
typedef int (*diff_fn)(const char *path, const git_tree_entry *old, const git_tree_entry *new,
		       void *ctx);
static int diff_trees(struct uc3_store *st, const git_tree *a, const git_tree *b,
		      struct uc3_buf *path, int depth, diff_fn fn, void *ctx);

static bool
same_entry(const git_tree_entry *a, const git_tree_entry *b)
{
	return git_oid_equal(git_tree_entry_id(a), git_tree_entry_id(b)) &&
	       git_tree_entry_filemode(a) == git_tree_entry_filemode(b);
}

/* Copy libgit2's message at once, before anything else can replace it. */
static int
git_fail(int code, const char *what)
{
	const git_error *e = git_error_last();

	return uc3_error_set(code, "%s: %s", what, e && e->message ? e->message : "git error");
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
	return -0x2880;		/* MBEDTLS_ERR_X509_BAD_INPUT_DATA */
}

static int
lib_init(void)
{
	static bool done;

	if (!done) {
		if (git_libgit2_init() < 0)
			return git_fail(UC3_ERROR, "cannot start libgit2");
		done = true;
	}
	return 0;
}

/* Release the base and read the branch tip again. */
static int
load_tip(struct uc3_store *st)
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
			return git_fail(UC3_ERROR, "cannot make an empty tree");
		rc = git_treebuilder_write(&empty, tb);
		git_treebuilder_free(tb);
		if (rc < 0 || git_tree_lookup(&st->tree, st->repo, &empty) < 0)
			return git_fail(UC3_ERROR, "cannot make an empty tree");
		return 0;
	}
	if (rc < 0)
		return git_fail(UC3_ERROR, st->refname);
	st->unborn = false;
	if (git_commit_lookup(&st->base, st->repo, &st->tip) < 0 ||
	    git_commit_tree(&st->tree, st->base) < 0)
		return git_fail(UC3_ERROR, "cannot read the branch tip");
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
		return git_fail(UC3_ERROR, "cannot read git configuration");
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
				     "create one with uc3 init", path);
	}
	if ((rc = setup_config(st->repo)) < 0)
		goto fail;
	if (git_reference_lookup(&head, st->repo, "HEAD") < 0) {
		rc = git_fail(UC3_ERROR, "cannot read HEAD");
		goto fail;
	}
	if (git_reference_type(head) != GIT_REFERENCE_SYMBOLIC) {
		git_reference_free(head);
		rc = uc3_error_set(UC3_ERROR, "HEAD is detached; check out the records branch first");
		goto fail;
	}
	st->refname = uc3_xstrdup(git_reference_symbolic_target(head));
	git_reference_free(head);
	st->gitdir = uc3_xstrdup(git_repository_path(st->repo));
	if (!git_repository_is_bare(st->repo) && git_repository_workdir(st->repo))
		st->workdir = uc3_xstrdup(git_repository_workdir(st->repo));
	if ((rc = load_tip(st)) < 0)
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
			branch = config_string(cfg, "init.defaultBranch");
			git_config_free(cfg);
		}
		opts.initial_head = branch;
		rc = git_repository_init_ext(&repo, path, &opts);
		free(branch);
		if (rc < 0)
			return git_fail(UC3_ERROR, path);
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
	git_tree_free(st->tree);
	git_commit_free(st->base);
	git_repository_free(st->repo);
	uc3_policy_free(st->policy);
	free(st->refname);
	free(st->actor_name);
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
	uc3_buf_addf(&text, "# made by uc3 from uc3.yaml %s; uc3 makes it again when "
			    "the policy changes\n", hex);
	for (i = 0; i < p->npeople; i++)
		for (j = 0; j < p->people[i].nkeys; j++)
			if (!strncmp(p->people[i].keys[j], "ssh-", 4) ||
			    !strncmp(p->people[i].keys[j], "ecdsa-", 6) ||
			    !strncmp(p->people[i].keys[j], "sk-", 3))
				uc3_buf_addf(&text, "%s namespaces=\"git\" %s\n", p->people[i].email,
					     p->people[i].keys[j]);
	uc3_buf_addf(&path, "%suc3", st->gitdir);
	mkdir(path.ptr, 0777);
	uc3_buf_adds(&path, "/allowed_signers");
	rc = write_file_atomic(path.ptr, text.ptr, text.len);
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
		rc = git_fail(UC3_ERROR, "cannot set git configuration");
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
		return git_fail(UC3_ERROR, "cannot read git configuration");
	format = config_string(cfg, "gpg.format");
	key = config_string(cfg, "user.signingkey");
	prog = config_string(cfg, (format && !strcmp(format, "ssh")) ? "gpg.ssh.program"
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

static char *
config_string(git_config *cfg, const char *name)
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

static bool
config_bool(git_config *cfg, const char *name)
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
			return git_fail(UC3_ERROR, "cannot read git configuration");
		st->actor_name = en && *en ? uc3_xstrdup(en) : config_string(cfg, "user.name");
		st->actor_email = ee && *ee ? uc3_xstrdup(ee) : config_string(cfg, "user.email");
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
	v = config_string(cfg, name);
	git_config_free(cfg);
	return v;
}

/* The most a blob at path may hold for the store to read it at all. */
static size_t
blob_limit(const char *path)
{
	return !strcmp(path, UC3_POLICY_FILE) ? UC3_POLICY_FILE_MAX : UC3_TICKET_FILE_MAX;
}

/*
 * Look up the blob id, the file at path (named in messages), sized first
 * from its object header: one over the limit for path is refused without
 * being inflated (a blob of a few megabytes in git may stand for
 * hundreds). *size (may be NULL) gets its size either way. Returns 0 and
 * *out (git_blob_free), UC3_EINVAL for a blob over the limit, UC3_ERROR
 * for an object that does not read as a blob.
 */
static int
read_blob(git_blob **out, size_t *size, struct uc3_store *st, const git_oid *id,
	  const char *path)
{
	git_odb *odb = NULL;
	git_object_t type;
	size_t len = 0, limit = blob_limit(path);
	int rc;

	*out = NULL;
	if (size)
		*size = 0;
	if (git_repository_odb(&odb, st->repo) < 0)
		return git_fail(UC3_ERROR, path);
	rc = git_odb_read_header(&len, &type, odb, id);
	git_odb_free(odb);
	if (rc < 0)
		return git_fail(UC3_ERROR, path);
	if (size)
		*size = len;
	if (type != GIT_OBJECT_BLOB)
		return uc3_error_set(UC3_ERROR, "%s: not a file", path);
	if (len > limit)
		return uc3_error_set(UC3_EINVAL, "%s: %zu bytes, over the limit of %zu", path, len,
				     limit);
	if (git_blob_lookup(out, st->repo, id) < 0)
		return git_fail(UC3_ERROR, path);
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
		return git_fail(UC3_ERROR, path);
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_tree_entry_free(e);
		return uc3_error_set(UC3_ENOTFOUND, "%s: not a file", path);
	}
	rc = read_blob(&blob, NULL, st, git_tree_entry_id(e), path);
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

char *
uc3_store_ticket_path(const char *id, int year, int month)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_buf_addf(&b, "tickets/%04d/%02d/%s.yaml", year, month, id);
	return uc3_buf_detach(&b);
}

int
uc3_store_find_ticket(char **path, struct uc3_store *st, const char *id)
{
	const char *prefix = st->policy ? st->policy->id_prefix : NULL;
	int year, month;

	if (!uc3_ticket_id_parse(id, prefix, &year, NULL))
		return uc3_error_set(UC3_EINVAL,
				     "'%s' is not a ticket id (expected %s-YEAR-NNNN, as %s-2026-0042)",
				     id, prefix ? prefix : "PREFIX", prefix ? prefix : "UC3");
	for (month = 1; month <= 12; month++) {
		char *p = uc3_store_ticket_path(id, year, month);
		git_tree_entry *e = NULL;

		if (git_tree_entry_bypath(&e, st->tree, p) == 0) {
			git_tree_entry_free(e);
			*path = p;
			return 0;
		}
		free(p);
	}
	git_error_clear();
	return uc3_error_set(UC3_ENOTFOUND, "no ticket %s", id);
}

int
uc3_store_load_ticket(struct uc3_ticket **out, char **path, struct uc3_store *st,
		      const char *id)
{
	struct uc3_buf data = UC3_BUF_INIT;
	char *p = NULL;
	int rc;

	if ((rc = uc3_store_find_ticket(&p, st, id)) < 0)
		return rc;
	if ((rc = uc3_store_read(&data, st, p)) == 0)
		rc = uc3_ticket_parse(out, data.ptr, data.len, p);
	uc3_buf_release(&data);
	if (rc == 0 && path)
		*path = p;
	else
		free(p);
	return rc;
}

static int
lookup_subtree(git_tree **out, struct uc3_store *st, const git_tree_entry *e)
{
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return GIT_ENOTFOUND;
	return git_tree_lookup(out, st->repo, git_tree_entry_id(e));
}

/*
 * Walk tickets/YEAR/MONTH/FILE: three levels, entries in git's name order
 * (so months and years come in time order). Only blobs at the third level
 * are visited.
 */
int
uc3_store_foreach_ticket(struct uc3_store *st, uc3_store_visit_fn fn, void *ctx)
{
	git_tree_entry *te = NULL;
	git_tree *tickets = NULL;
	size_t i, j, k;
	int rc = 0;

	if (git_tree_entry_bypath(&te, st->tree, "tickets") < 0) {
		git_error_clear();
		return 0;
	}
	if (lookup_subtree(&tickets, st, te) < 0) {
		git_tree_entry_free(te);
		git_error_clear();
		return 0;
	}
	git_tree_entry_free(te);
	for (i = 0; rc == 0 && i < git_tree_entrycount(tickets); i++) {
		const git_tree_entry *ye = git_tree_entry_byindex(tickets, i);
		git_tree *yt = NULL;

		if (lookup_subtree(&yt, st, ye) < 0)
			continue;
		for (j = 0; rc == 0 && j < git_tree_entrycount(yt); j++) {
			const git_tree_entry *me = git_tree_entry_byindex(yt, j);
			git_tree *mt = NULL;

			if (lookup_subtree(&mt, st, me) < 0)
				continue;
			for (k = 0; rc == 0 && k < git_tree_entrycount(mt); k++) {
				const git_tree_entry *fe = git_tree_entry_byindex(mt, k);
				git_blob *blob = NULL;
				struct uc3_buf path = UC3_BUF_INIT;
				size_t size;

				if (git_tree_entry_type(fe) != GIT_OBJECT_BLOB)
					continue;
				uc3_buf_addf(&path, "tickets/%s/%s/%s", git_tree_entry_name(ye),
					     git_tree_entry_name(me), git_tree_entry_name(fe));
				rc = read_blob(&blob, &size, st, git_tree_entry_id(fe), path.ptr);
				if (rc == UC3_EINVAL)
					rc = fn(path.ptr, NULL, size, ctx);
				else if (rc == 0)
					rc = fn(path.ptr, git_blob_rawcontent(blob),
						(size_t)git_blob_rawsize(blob), ctx);
				git_blob_free(blob);
				uc3_buf_release(&path);
			}
			git_tree_free(mt);
		}
		git_tree_free(yt);
	}
	git_tree_free(tickets);
	git_error_clear();
	return rc;
}

/*
 * Finding the next id means reading every month tree of the year, which
 * on a busy year is most of the cost of `uc3 new`. Trees never change, so
 * the highest number found in a year tree is kept in $GIT_DIR/uc3/ids,
 * keyed by that tree's id: "YEAR TREE-ID MAX" a line. An entry can only be
 * stale by not matching, never by being wrong.
 */
static void
ids_path(struct uc3_buf *p, const struct uc3_store *st)
{
	uc3_buf_addf(p, "%suc3/ids", st->gitdir);
}

static bool
ids_lookup(unsigned long *max, const struct uc3_store *st, int year, const git_oid *tree)
{
	struct uc3_buf p = UC3_BUF_INIT;
	char line[128], hex[GIT_OID_HEXSZ + 1];
	bool found = false;
	FILE *f;

	ids_path(&p, st);
	f = fopen(p.ptr, "r");
	uc3_buf_release(&p);
	if (!f)
		return false;
	git_oid_tostr(hex, sizeof(hex), tree);
	while (!found && fgets(line, sizeof(line), f)) {
		char h[GIT_OID_HEXSZ + 1];
		unsigned long m;
		int y;

		if (sscanf(line, "%d %40s %lu", &y, h, &m) == 3 && y == year && !strcmp(h, hex)) {
			*max = m;
			found = true;
		}
	}
	fclose(f);
	return found;
}

static void
ids_store(const struct uc3_store *st, int year, const git_oid *tree, unsigned long max)
{
	struct uc3_buf p = UC3_BUF_INIT, tmp = UC3_BUF_INIT, out = UC3_BUF_INIT;
	char line[128], hex[GIT_OID_HEXSZ + 1];
	FILE *f;
	int fd;

	ids_path(&p, st);
	f = fopen(p.ptr, "r");
	while (f && fgets(line, sizeof(line), f)) {
		int y;

		if (sscanf(line, "%d", &y) == 1 && y != year && strchr(line, '\n'))
			uc3_buf_adds(&out, line);
	}
	if (f)
		fclose(f);
	git_oid_tostr(hex, sizeof(hex), tree);
	uc3_buf_addf(&out, "%d %s %lu\n", year, hex, max);
	uc3_buf_addf(&tmp, "%suc3", st->gitdir);
	mkdir(tmp.ptr, 0777);
	uc3_buf_reset(&tmp);
	uc3_buf_addf(&tmp, "%s.XXXXXX", p.ptr);
	fd = mkstemp(tmp.ptr);
	if (fd >= 0) {
		bool ok = write(fd, out.ptr, out.len) == (ssize_t)out.len;

		if (close(fd) < 0 || !ok || rename(tmp.ptr, p.ptr) < 0)
			unlink(tmp.ptr);
	}
	uc3_buf_release(&p);
	uc3_buf_release(&tmp);
	uc3_buf_release(&out);
}

/* Forget every remembered number: the next uc3_store_next_number reads the trees. */
static void
ids_forget(const struct uc3_store *st)
{
	struct uc3_buf p = UC3_BUF_INIT;

	ids_path(&p, st);
	unlink(p.ptr);
	uc3_buf_release(&p);
}

static bool
year_tree(git_oid *out, struct uc3_store *st, int year)
{
	git_tree_entry *te = NULL;
	char dir[32];
	bool ok;

	snprintf(dir, sizeof(dir), "tickets/%04d", year);
	ok = git_tree_entry_bypath(&te, st->tree, dir) == 0 &&
	     git_tree_entry_type(te) == GIT_OBJECT_TREE;
	if (ok)
		git_oid_cpy(out, git_tree_entry_id(te));
	git_tree_entry_free(te);
	git_error_clear();
	return ok;
}

static unsigned long
scan_year(struct uc3_store *st, const git_oid *tree, int year)
{
	const char *prefix = st->policy ? st->policy->id_prefix : NULL;
	git_tree *yt = NULL;
	unsigned long max = 0;
	size_t j, k;

	if (git_tree_lookup(&yt, st->repo, tree) < 0) {
		git_error_clear();
		return 0;
	}
	for (j = 0; j < git_tree_entrycount(yt); j++) {
		git_tree *mt = NULL;

		if (lookup_subtree(&mt, st, git_tree_entry_byindex(yt, j)) < 0)
			continue;
		for (k = 0; k < git_tree_entrycount(mt); k++) {
			const char *name = git_tree_entry_name(git_tree_entry_byindex(mt, k));
			size_t len = strlen(name);
			char id[256];
			unsigned long num;
			int y;

			if (len < 6 || len >= sizeof(id) || strcmp(name + len - 5, ".yaml"))
				continue;
			memcpy(id, name, len - 5);
			id[len - 5] = '\0';
			if (uc3_ticket_id_parse(id, prefix, &y, &num) && y == year && num > max)
				max = num;
		}
		git_tree_free(mt);
	}
	git_tree_free(yt);
	git_error_clear();
	return max;
}

int
uc3_store_next_number(unsigned long *out, struct uc3_store *st, int year)
{
	unsigned long max;
	git_oid tree;

	if (!year_tree(&tree, st, year)) {
		*out = 1;
		return 0;
	}
	if (!ids_lookup(&max, st, year, &tree)) {
		max = scan_year(st, &tree, year);
		ids_store(st, year, &tree, max);
	}
	if (max >= UC3_TICKET_NUM_MAX) {
		const char *prefix = st->policy ? st->policy->id_prefix : "UC3";

		return uc3_error_set(UC3_EINVAL,
				     "the ticket numbers of %d have run out: %s-%d-%lu is the "
				     "highest an id can carry; nothing was written",
				     year, prefix, year, max);
	}
	*out = max + 1;
	return 0;
}

void
uc3_store_note_number(struct uc3_store *st, int year, unsigned long num)
{
	git_oid tree;

	if (year_tree(&tree, st, year))
		ids_store(st, year, &tree, num);
}

struct uc3_buf *
uc3_write_add(struct uc3_write *w, const char *path)
{
	struct uc3_write_file *f;

	uc3_xgrow((void **)&w->files, &w->alloc, w->nfiles + 1, sizeof(*w->files));
	f = &w->files[w->nfiles++];
	f->path = uc3_xstrdup(path);
	f->create = false;
	uc3_buf_init(&f->data);
	return &f->data;
}

struct uc3_buf *
uc3_write_add_new(struct uc3_write *w, const char *path)
{
	struct uc3_buf *b = uc3_write_add(w, path);

	w->files[w->nfiles - 1].create = true;
	return b;
}

static void
write_reset(struct uc3_write *w)
{
	size_t i;

	for (i = 0; i < w->nfiles; i++) {
		free(w->files[i].path);
		uc3_buf_release(&w->files[i].data);
	}
	w->nfiles = 0;
	uc3_buf_reset(&w->message);
}

static void
write_release(struct uc3_write *w)
{
	write_reset(w);
	free(w->files);
	uc3_buf_release(&w->message);
}

void
uc3_write_result_release(struct uc3_write_result *res)
{
	if (!res)
		return;
	free(res->warning);
	res->warning = NULL;
}

/*
 * git's own date variables, "@1700000000 +0700" or an RFC 3339 time;
 * else "now" as every tool sees it (UC3_NOW or the clock).
 */
static int
commit_time(git_time_t *t, int *offset_min, const char *var, const struct uc3_store *st)
{
	const char *env = getenv(var);
	const char *tz = st->policy ? st->policy->timezone : st->timezone;
	time_t now;
	struct tm tm;
	int rc;

	if (env && env[0] == '@') {
		char *end;
		long long v = strtoll(env + 1, &end, 10);
		int sign = 1, hh = 0, mm = 0;

		while (*end == ' ')
			end++;
		if (*end == '+' || *end == '-') {
			sign = *end == '-' ? -1 : 1;
			if (sscanf(end + 1, "%2d%2d", &hh, &mm) != 2)
				return uc3_error_set(UC3_EINVAL, "invalid %s '%s'", var, env);
		}
		*t = v;
		*offset_min = sign * (hh * 60 + mm);
		return 0;
	}
	if (env && *env) {
		if ((rc = uc3_clock_parse(&now, env, tz)) < 0)
			return uc3_error_prefix(rc, "%s", var);
	} else if ((rc = uc3_clock_now(&now)) < 0) {
		return rc;
	}
	if (tz) {
		if ((rc = uc3_clock_local(&tm, now, tz)) < 0)
			return rc;
	} else {
		localtime_r(&now, &tm);
	}
	*t = now;
	*offset_min = (int)(tm.tm_gmtoff / 60);
	return 0;
}

static int
make_signatures(git_signature **author, git_signature **committer, struct uc3_store *st)
{
	const char *name, *email, *cn, *ce;
	git_time_t t;
	int off, rc;

	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		return rc;
	if ((rc = commit_time(&t, &off, "GIT_AUTHOR_DATE", st)) < 0)
		return rc;
	if (git_signature_new(author, name, email, t, off) < 0)
		return git_fail(UC3_EINVAL, "invalid author identity");
	cn = getenv("GIT_COMMITTER_NAME");
	ce = getenv("GIT_COMMITTER_EMAIL");
	if ((rc = commit_time(&t, &off, "GIT_COMMITTER_DATE", st)) < 0) {
		git_signature_free(*author);
		*author = NULL;
		return rc;
	}
	if (git_signature_new(committer, cn && *cn ? cn : name, ce && *ce ? ce : email,
			      t, off) < 0) {
		git_signature_free(*author);
		*author = NULL;
		return git_fail(UC3_EINVAL, "invalid committer identity");
	}
	return 0;
}

/* Sign when git's configuration says so; *sig stays empty otherwise. */
static int
maybe_sign(struct uc3_buf *sig, bool *is_signed, struct uc3_store *st,
	   const char *payload, size_t len, const git_signature *committer)
{
	git_config *cfg = NULL;
	struct uc3_sign_config sc = { 0 };
	char *format = NULL, *key = NULL, *prog = NULL;
	struct uc3_buf ident = UC3_BUF_INIT;
	int rc = 0;

	*is_signed = false;
	if (git_repository_config_snapshot(&cfg, st->repo) < 0)
		return git_fail(UC3_ERROR, "cannot read git configuration");
	if (!config_bool(cfg, "commit.gpgsign")) {
		git_config_free(cfg);
		if (st->policy && st->policy->require_signed)
			return uc3_error_set(UC3_ESIGN,
					     "the policy requires signed commits, and git is not set to sign: "
					     "set commit.gpgsign and user.signingkey");
		return 0;
	}
	format = config_string(cfg, "gpg.format");
	key = config_string(cfg, "user.signingkey");
	if (format && !strcmp(format, "ssh"))
		prog = config_string(cfg, "gpg.ssh.program");
	else if (format && !strcmp(format, "x509"))
		prog = config_string(cfg, "gpg.x509.program");
	else
		prog = config_string(cfg, "gpg.program");
	if (!prog && (!format || !strcmp(format, "openpgp")))
		prog = config_string(cfg, "gpg.openpgp.program");
	git_config_free(cfg);
	uc3_buf_addf(&ident, "%s <%s>", committer->name, committer->email);
	sc.format = format;
	sc.key = key;
	sc.program = prog;
	sc.ident = ident.ptr;
	rc = uc3_sign(sig, payload, len, &sc);
	if (rc == 0)
		*is_signed = true;
	free(format);
	free(key);
	free(prog);
	uc3_buf_release(&ident);
	return rc;
}

static int
hash_file(git_oid *out, const char *path, bool *exists)
{
	struct stat sb;

	*exists = false;
	if (lstat(path, &sb) < 0)
		return 0;
	*exists = true;
	if (!S_ISREG(sb.st_mode))
		return uc3_error_set(UC3_EDIRTY, "%s is not a regular file", path);
	if (git_odb_hashfile(out, path, GIT_OBJECT_BLOB) < 0)
		return git_fail(UC3_ERROR, path);
	return 0;
}

/*
 * A file about to be written must not hold edits that are not committed:
 * neither in the work tree nor staged in the index. The comparison is
 * with the base tree, which the caller holds the write lock for.
 */
static int
check_clean(struct uc3_store *st, git_index *idx, const struct uc3_write_file *f)
{
	git_tree_entry *te = NULL;
	const git_index_entry *ie;
	git_oid committed, work;
	bool has_committed, exists;
	struct uc3_buf full = UC3_BUF_INIT;
	int rc;

	has_committed = git_tree_entry_bypath(&te, st->tree, f->path) == 0;
	if (has_committed) {
		git_oid_cpy(&committed, git_tree_entry_id(te));
		git_tree_entry_free(te);
	}
	git_error_clear();
	uc3_buf_addf(&full, "%s%s", st->workdir, f->path);
	rc = hash_file(&work, full.ptr, &exists);
	uc3_buf_release(&full);
	if (rc < 0)
		return rc;
	if (exists && !has_committed)
		return uc3_error_set(UC3_EDIRTY,
				     "%s is in the work tree but not committed; move it away first",
				     f->path);
	if (exists && has_committed && !git_oid_equal(&work, &committed))
		return uc3_error_set(UC3_EDIRTY,
				     "%s has uncommitted edits; commit them, or discard them "
				     "with git checkout -- %s, and try again",
				     f->path, f->path);
	ie = idx ? git_index_get_bypath(idx, f->path, 0) : NULL;
	if (ie && has_committed && !git_oid_equal(&ie->id, &committed))
		return uc3_error_set(UC3_EDIRTY,
				     "%s has staged edits; commit them, or unstage them with "
				     "git restore --staged %s, and try again",
				     f->path, f->path);
	return 0;
}

static int
mkdirs(const char *path)
{
	char buf[4096];
	char *p;

	snprintf(buf, sizeof(buf), "%s", path);
	for (p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0777) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

/* Write data to path atomically: a temporary file beside it, then rename. */
static int
write_file_atomic(const char *path, const char *data, size_t len)
{
	char tmp[4200];
	size_t done = 0;
	int fd;

	if (mkdirs(path) < 0)
		return -1;
	snprintf(tmp, sizeof(tmp), "%s.uc3-XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	fchmod(fd, 0644 & ~(mode_t)0);
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			close(fd);
			unlink(tmp);
			return -1;
		}
		done += (size_t)n;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

/*
 * Lock files left behind. git and libgit2 hold a lock file (NAME.lock,
 * beside the file it replaces) for the few milliseconds of an update; a
 * process killed in between leaves it there, and nothing removes it. Its
 * age, by the real clock (never UC3_NOW), tells the two apart: a lock
 * older than UC3_STALE_LOCK_SECONDS is taken as left behind.
 */

/*
 * Whether the lock file path is there, and *age: how many seconds ago it
 * was made (0 for one dated ahead of the clock).
 */
static bool
lock_age(const char *path, double *age)
{
	struct stat sb;
	struct timespec now;

	*age = 0;
	if (lstat(path, &sb) < 0)
		return false;
	clock_gettime(CLOCK_REALTIME, &now);
	*age = (double)(now.tv_sec - sb.st_mtim.tv_sec) +
	       (double)(now.tv_nsec - sb.st_mtim.tv_nsec) / 1e9;
	if (*age < 0)
		*age = 0;
	return true;
}

/* "3 seconds", "1h 5m": how old a lock is, for people. */
static void
format_age(struct uc3_buf *out, double age)
{
	if (age < 120)
		uc3_buf_addf(out, "%d second%s", (int)age, (int)age == 1 ? "" : "s");
	else
		uc3_clock_format_duration(out, (long)age);
}

/* The lock git and libgit2 take to move the branch. */
static void
ref_lock_path(struct uc3_buf *out, const struct uc3_store *st)
{
	uc3_buf_addf(out, "%s%s.lock", git_repository_commondir(st->repo), st->refname);
}

/*
 * UC3_ELOCKED, with a message naming the lock file left at path, how
 * old it is and how to remove it; what is what it locks.
 */
static int
left_lock_error(const char *what, const char *path, double age)
{
	struct uc3_buf a = UC3_BUF_INIT;
	int rc;

	format_age(&a, age);
	rc = uc3_error_set(UC3_ELOCKED,
			   "%s is locked by %s, made %s ago by a git or uc3 command that did "
			   "not finish; if none is running, remove it with rm '%s' and try "
			   "again; nothing was written",
			   what, path, a.ptr, path);
	uc3_buf_release(&a);
	return rc;
}

/* Fail at once when the branch's lock was left behind; 0 when there is none, or a fresh one. */
static int
check_ref_lock(struct uc3_store *st)
{
	struct uc3_buf p = UC3_BUF_INIT;
	double age;
	int rc = 0;

	ref_lock_path(&p, st);
	if (lock_age(p.ptr, &age) && age >= UC3_STALE_LOCK_SECONDS)
		rc = left_lock_error("the branch", p.ptr, age);
	uc3_buf_release(&p);
	return rc;
}

/*
 * The compare-and-swap found the branch locked. A live writer holds the
 * lock for milliseconds: wait a little and let the caller try again
 * (returns 0), unless the lock was left behind, or has been waited for
 * UC3_STALE_LOCK_SECONDS in all (*waited_ms counts).
 */
static int
wait_ref_lock(struct uc3_store *st, int *waited_ms)
{
	struct uc3_buf p = UC3_BUF_INIT;
	double age;
	int rc = 0;

	ref_lock_path(&p, st);
	if (!lock_age(p.ptr, &age)) {
		/* Gone already: try again at once. */
	} else if (age >= UC3_STALE_LOCK_SECONDS || *waited_ms >= UC3_STALE_LOCK_SECONDS * 1000) {
		rc = left_lock_error("the branch", p.ptr, age);
	} else {
		usleep(10000);
		*waited_ms += 10;
	}
	uc3_buf_release(&p);
	return rc;
}

/*
 * Apply update to the index and write it, waiting up to INDEX_WAIT_MS
 * for a git command that holds index.lock, but not for an index.lock
 * left behind. Returns 0, or -1 with the reason appended to why.
 */
static int
index_update(struct uc3_store *st, git_index *idx, int (*update)(git_index *, void *),
	     void *ctx, struct uc3_buf *why)
{
	int waited = 0, rc;

	for (;;) {
		/* Reloads only when somebody changed the index since we read it. */
		if (!idx || git_index_read(idx, 0) < 0) {
			rc = -1;
		} else {
			rc = update(idx, ctx);
			if (rc == 0)
				rc = git_index_write(idx);
		}
		if (rc == 0)
			return 0;
		if (rc == GIT_ELOCKED) {
			struct uc3_buf p = UC3_BUF_INIT;
			double age;
			bool there;

			uc3_buf_addf(&p, "%sindex.lock", st->gitdir);
			there = lock_age(p.ptr, &age);
			if (age < UC3_STALE_LOCK_SECONDS && waited < INDEX_WAIT_MS) {
				uc3_buf_release(&p);
				usleep(20000);
				waited += 20;
				continue;
			}
			if (there) {
				git_error_clear();
				uc3_buf_adds(why, "the index is locked by ");
				uc3_buf_adds(why, p.ptr);
				uc3_buf_adds(why, ", made ");
				format_age(why, age);
				uc3_buf_addf(why, " ago; if no git command is running, remove it with "
					     "rm '%s', then", p.ptr);
				uc3_buf_release(&p);
				return -1;
			}
			uc3_buf_release(&p);
		}
		{
			const git_error *e = git_error_last();

			uc3_buf_addf(why, "%s; then", e && e->message ? e->message : "no index");
		}
		git_error_clear();
		return -1;
	}
}

static int
add_written(git_index *idx, void *ctx)
{
	const struct uc3_write *w = ctx;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < w->nfiles; i++)
		rc = git_index_add_bypath(idx, w->files[i].path);
	return rc;
}

/*
 * $GIT_DIR/uc3/worktree holds the tip the work tree and index were last
 * brought up to (by a write, or by the repair below). While the branch is
 * still there, no write was stopped half-way since, and there is nothing
 * to repair.
 */
static void
worktree_mark_path(struct uc3_buf *p, const struct uc3_store *st)
{
	uc3_buf_addf(p, "%suc3/worktree", st->gitdir);
}

static bool
worktree_marked(const struct uc3_store *st)
{
	struct uc3_buf p = UC3_BUF_INIT;
	char line[64] = "", hex[41];
	FILE *f;

	worktree_mark_path(&p, st);
	f = fopen(p.ptr, "r");
	uc3_buf_release(&p);
	if (!f)
		return false;
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	fclose(f);
	git_oid_tostr(hex, sizeof(hex), &st->tip);
	return !st->unborn && !strncmp(line, hex, 40) && line[40] == '\n';
}

static void
worktree_mark(const struct uc3_store *st, const git_oid *tip)
{
	struct uc3_buf p = UC3_BUF_INIT, tmp = UC3_BUF_INIT;
	char hex[42];
	int fd;

	git_oid_tostr(hex, 41, tip);
	hex[40] = '\n';
	worktree_mark_path(&p, st);
	uc3_buf_addf(&tmp, "%suc3", st->gitdir);
	mkdir(tmp.ptr, 0777);
	uc3_buf_reset(&tmp);
	uc3_buf_addf(&tmp, "%s.XXXXXX", p.ptr);
	fd = mkstemp(tmp.ptr);
	if (fd >= 0) {
		bool ok = write(fd, hex, 41) == 41;

		if (close(fd) < 0 || !ok || rename(tmp.ptr, p.ptr) < 0)
			unlink(tmp.ptr);
	}
	uc3_buf_release(&p);
	uc3_buf_release(&tmp);
}

/*
 * Bring the work tree and the index up to date for the written files.
 * The commit has landed already: a failure here is a warning, never an
 * error, and a busy index.lock is waited for. When all went well, the
 * new tip is marked as the one the work tree is at.
 */
static char *
sync_worktree(struct uc3_store *st, const struct uc3_write *w, git_index *idx,
	      const git_oid *tip)
{
	struct uc3_buf warn = UC3_BUF_INIT, why = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < w->nfiles; i++) {
		struct uc3_buf full = UC3_BUF_INIT;

		uc3_buf_addf(&full, "%s%s", st->workdir, w->files[i].path);
		if (write_file_atomic(full.ptr, w->files[i].data.ptr, w->files[i].data.len) < 0)
			uc3_buf_addf(&warn, "%scannot update %s in the work tree: %s",
				     warn.len ? "; " : "", w->files[i].path, strerror(errno));
		uc3_buf_release(&full);
	}
	if (index_update(st, idx, add_written, (void *)w, &why) < 0)
		uc3_buf_addf(&warn, "%scommitted, but the index was not updated (%s run "
			     "git reset -q to refresh it)", warn.len ? "; " : "", why.ptr);
	uc3_buf_release(&why);
	if (!warn.len)
		worktree_mark(st, tip);
	return warn.len ? uc3_buf_detach(&warn) : (uc3_buf_release(&warn), NULL);
}

/*
 * Repairing what a stopped write left behind (see uc3_store_write in
 * store.h). A write moves the branch, then writes the ticket file into
 * the work tree, then the index; stopped in between, the ticket's index
 * entry still holds the version before the commit (or none, for a new
 * ticket), and its work-tree file that version or the committed one.
 * Such a file is put right; a file holding anything else is somebody's
 * own edit and is left alone. The version before is found by walking
 * back from the tip, at most REPAIR_DEPTH commits.
 */
#define REPAIR_DEPTH 1000

struct lag {
	char *path;
	git_oid head;		/* the branch's version */
	git_oid idx;		/* the index's, when in_idx */
	bool in_idx;
	git_oid prev;		/* the version before the branch's last change of it */
	bool had_prev, resolved;
};

struct lags {
	struct uc3_store *st;
	struct lag *v;
	size_t n, alloc;
};

static int
collect_lag(const char *path, const git_tree_entry *e_index, const git_tree_entry *e_head,
	    void *ctx)
{
	const git_oid *in_index = e_index ? git_tree_entry_id(e_index) : NULL;
	const git_oid *in_head = e_head ? git_tree_entry_id(e_head) : NULL;
	struct lags *l = ctx;
	struct lag *g;

	/* A ticket file only in the index is somebody's new file: not ours. */
	if (!in_head)
		return 0;
	/* Only files: a folder too deep to go into is the audit's, not the index's. */
	if (git_tree_entry_type(e_head) != GIT_OBJECT_BLOB ||
	    (e_index && git_tree_entry_type(e_index) != GIT_OBJECT_BLOB))
		return 0;
	uc3_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
	g = &l->v[l->n++];
	memset(g, 0, sizeof(*g));
	g->path = uc3_xstrdup(path);
	git_oid_cpy(&g->head, in_head);
	if (in_index) {
		git_oid_cpy(&g->idx, in_index);
		g->in_idx = true;
	}
	return 0;
}

static bool
tree_blob(git_oid *out, git_tree *tree, const char *path)
{
	git_tree_entry *e = NULL;
	bool found = git_tree_entry_bypath(&e, tree, path) == 0;

	if (found)
		git_oid_cpy(out, git_tree_entry_id(e));
	git_tree_entry_free(e);
	git_error_clear();
	return found;
}

/* Find, for each lag, the version its path had before the branch last changed it. */
static void
resolve_prev(struct uc3_store *st, struct lag *v, size_t n)
{
	git_commit *c = NULL;
	size_t left = n, depth, i;

	if (git_commit_lookup(&c, st->repo, &st->tip) < 0) {
		git_error_clear();
		return;
	}
	for (depth = 0; left && depth < REPAIR_DEPTH; depth++) {
		git_commit *parent = NULL;
		git_tree *ct = NULL, *pt = NULL;
		git_oid a, b;

		if (git_commit_tree(&ct, c) < 0)
			break;
		if (git_commit_parentcount(c) > 0 &&
		    (git_commit_parent(&parent, c, 0) < 0 || git_commit_tree(&pt, parent) < 0)) {
			git_tree_free(ct);
			git_commit_free(parent);
			break;
		}
		/* Most commits change another ticket's month, or another year. */
		if (!pt || !tree_blob(&a, ct, "tickets") || !tree_blob(&b, pt, "tickets") ||
		    !git_oid_equal(&a, &b)) {
			for (i = 0; i < n; i++) {
				bool in_c, in_p;

				if (v[i].resolved)
					continue;
				in_c = tree_blob(&a, ct, v[i].path);
				in_p = pt && tree_blob(&b, pt, v[i].path);
				if (in_c == in_p && (!in_c || git_oid_equal(&a, &b)))
					continue;
				v[i].resolved = true;
				v[i].had_prev = in_p;
				if (in_p)
					git_oid_cpy(&v[i].prev, &b);
				left--;
			}
		}
		git_tree_free(ct);
		git_tree_free(pt);
		git_commit_free(c);
		c = parent;
		if (!c)
			break;
	}
	git_commit_free(c);
	git_error_clear();
}

static bool
same_state(bool a_exists, const git_oid *a, bool b_exists, const git_oid *b)
{
	return a_exists == b_exists && (!a_exists || git_oid_equal(a, b));
}

/* Remove the temporary files "NAME.uc3-XXXXXX" a stopped write of path left beside it. */
static void
remove_leftovers(const char *full)
{
	const char *slash = strrchr(full, '/');
	struct uc3_buf dir = UC3_BUF_INIT, f = UC3_BUF_INIT;
	size_t blen;
	DIR *d;
	struct dirent *de;

	if (!slash)
		return;
	uc3_buf_add(&dir, full, (size_t)(slash - full));
	blen = strlen(slash + 1);
	d = opendir(dir.ptr);
	while (d && (de = readdir(d))) {
		if (strncmp(de->d_name, slash + 1, blen) || strncmp(de->d_name + blen, ".uc3-", 5) ||
		    strlen(de->d_name + blen + 5) != 6)
			continue;
		uc3_buf_reset(&f);
		uc3_buf_addf(&f, "%s/%s", dir.ptr, de->d_name);
		unlink(f.ptr);
	}
	if (d)
		closedir(d);
	uc3_buf_release(&dir);
	uc3_buf_release(&f);
}

struct repair_add {
	struct lag *v;
	size_t n;
	const bool *fixed;
};

static int
add_repaired(git_index *idx, void *ctx)
{
	const struct repair_add *r = ctx;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < r->n; i++)
		if (r->fixed[i])
			rc = git_index_add_bypath(idx, r->v[i].path);
	return rc;
}

/* Say what was done, in st->notes: "brought PATH up to the branch ...". */
static void
note_repaired(struct uc3_store *st, struct lag *v, size_t n, const bool *fixed, size_t nfixed)
{
	size_t i, shown = 0;

	if (!nfixed)
		return;
	uc3_buf_addf(&st->notes, "%sbrought ", st->notes.len ? "; " : "");
	if (nfixed > 1)
		uc3_buf_addf(&st->notes, "%zu ticket files (", nfixed);
	for (i = 0; i < n; i++) {
		if (!fixed[i])
			continue;
		if (shown == 5) {
			uc3_buf_addf(&st->notes, ", and %zu more", nfixed - shown);
			break;
		}
		uc3_buf_addf(&st->notes, "%s%s", shown ? ", " : "", v[i].path);
		shown++;
	}
	uc3_buf_addf(&st->notes, "%s up to the branch in the work tree and the index: "
		     "%s stopped before %s", nfixed > 1 ? ")" : "",
		     nfixed > 1 ? "earlier writes were" : "an earlier write was",
		     nfixed > 1 ? "updating them" : "updating it");
}

/*
 * Under the writers' lock, with the tip just read: find the ticket files
 * whose index entry differs from the branch, and put right those that a
 * stopped write left behind. What could not be done, and files that lag
 * too far back to tell, are said in st->notes.
 */
static void
repair_worktree(struct uc3_store *st, git_index *idx)
{
	struct lags l = { st, NULL, 0, 0 };
	git_oid itree, a, b;
	git_tree *it = NULL, *itk = NULL, *htk = NULL;
	bool *fixed = NULL, *far = NULL, failed = false;
	size_t i, nfixed = 0;

	if (st->unborn || !idx || worktree_marked(st))
		return;
	if (git_index_read(idx, 0) < 0 || git_index_has_conflicts(idx))
		goto out;
	/*
	 * The index as a tree: from its cache of trees, so only the folders
	 * changed since it was written are hashed again, and without a
	 * check of every blob in them (the index names what it names).
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
	if (git_index_write_tree(&itree, idx) < 0 || git_tree_lookup(&it, st->repo, &itree) < 0) {
		git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
		goto out;
	}
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 1);
	if (tree_blob(&a, it, "tickets") && tree_blob(&b, st->tree, "tickets") &&
	    git_oid_equal(&a, &b))
		goto mark;
	if (tree_blob(&a, it, "tickets"))
		git_tree_lookup(&itk, st->repo, &a);
	if (tree_blob(&b, st->tree, "tickets"))
		git_tree_lookup(&htk, st->repo, &b);
	git_error_clear();
	{
		struct uc3_buf path = UC3_BUF_INIT;

		uc3_buf_adds(&path, "tickets");
		diff_trees(st, itk, htk, &path, 1, collect_lag, &l);
		uc3_buf_release(&path);
	}
	if (!l.n)
		goto mark;
	resolve_prev(st, l.v, l.n);
	fixed = uc3_xcalloc(l.n, sizeof(*fixed));
	far = uc3_xcalloc(l.n, sizeof(*far));
	for (i = 0; i < l.n; i++) {
		struct lag *g = &l.v[i];
		struct uc3_buf full = UC3_BUF_INIT;
		git_oid wt;
		bool in_wt;
		git_blob *blob = NULL;

		uc3_buf_addf(&full, "%s%s", st->workdir, g->path);
		if (hash_file(&wt, full.ptr, &in_wt) < 0) {
			/* Not a regular file: whatever it is, it is not ours to replace. */
			uc3_error_clear();
			goto next;
		}
		if (!same_state(in_wt, &wt, g->in_idx, &g->idx) &&
		    !same_state(in_wt, &wt, true, &g->head))
			goto next;	/* edits of the user's own in the work tree */
		if (!g->resolved) {
			far[i] = true;
			goto next;
		}
		if (!same_state(g->in_idx, &g->idx, g->had_prev, &g->prev))
			goto next;	/* staged edits of the user's own */
		if (git_blob_lookup(&blob, st->repo, &g->head) < 0) {
			git_error_clear();
			goto next;
		}
		if (write_file_atomic(full.ptr, git_blob_rawcontent(blob),
				      (size_t)git_blob_rawsize(blob)) < 0) {
			uc3_buf_addf(&st->notes, "%scannot bring %s up to the branch in the work "
				     "tree: %s", st->notes.len ? "; " : "", g->path, strerror(errno));
			failed = true;
		} else {
			remove_leftovers(full.ptr);
			fixed[i] = true;
			nfixed++;
		}
		git_blob_free(blob);
next:
		uc3_buf_release(&full);
	}
	if (nfixed) {
		struct repair_add r = { l.v, l.n, fixed };
		struct uc3_buf why = UC3_BUF_INIT;

		if (index_update(st, idx, add_repaired, &r, &why) < 0) {
			uc3_buf_addf(&st->notes, "%sticket files an earlier write left behind were "
				     "brought up to the branch in the work tree, but not in the index "
				     "(%s run git reset -q to refresh it)",
				     st->notes.len ? "; " : "", why.ptr);
			nfixed = 0;
			failed = true;
		}
		uc3_buf_release(&why);
	}
	note_repaired(st, l.v, l.n, fixed, nfixed);
	for (i = 0; i < l.n; i++)
		if (far[i])
			uc3_buf_addf(&st->notes, "%s%s in the index differs from the branch, which "
				     "last changed it more than %d commits ago; if that is not an "
				     "edit of your own, bring it back with git checkout HEAD -- %s",
				     st->notes.len ? "; " : "", l.v[i].path, REPAIR_DEPTH, l.v[i].path);
mark:
	/* Said once: a file too far behind to tell is not looked at again at this tip. */
	if (!failed)
		worktree_mark(st, &st->tip);
out:
	git_error_clear();
	for (i = 0; i < l.n; i++)
		free(l.v[i].path);
	free(l.v);
	free(fixed);
	free(far);
	git_tree_free(it);
	git_tree_free(itk);
	git_tree_free(htk);
}

/*
 * Writers sharing a work tree take this lock for a whole write, so the
 * uncommitted-edits check, the commit and the work-tree update are one
 * step; bare repositories rely on the compare-and-swap alone.
 */
static int
lock_writers(struct uc3_store *st)
{
	struct uc3_buf p = UC3_BUF_INIT;
	int fd;

	uc3_buf_addf(&p, "%suc3", st->gitdir);
	mkdir(p.ptr, 0777);
	uc3_buf_adds(&p, "/write.lock");
	fd = open(p.ptr, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (fd < 0) {
		uc3_error_set(UC3_ERROR, "cannot open %s: %s", p.ptr, strerror(errno));
		uc3_buf_release(&p);
		return -1;
	}
	uc3_buf_release(&p);
	while (flock(fd, LOCK_EX) < 0) {
		if (errno != EINTR) {
			close(fd);
			uc3_error_set(UC3_ERROR, "cannot lock the records repository: %s",
				      strerror(errno));
			return -1;
		}
	}
	return fd;
}

static void
start_gc(struct uc3_store *st)
{
	struct uc3_buf arg = UC3_BUF_INIT;
	const char *argv[] = { "git", NULL, "gc", "--auto", "--quiet", NULL };

	if (getenv("UC3_NO_GC"))
		return;
	uc3_buf_addf(&arg, "--git-dir=%s", st->gitdir);
	argv[1] = arg.ptr;
	uc3_run_background(argv);
	uc3_buf_release(&arg);
}

/*
 * A write re-done on a new tip must see the policy of that tip: a change
 * of uc3.yaml committed meanwhile is read again. The old policy stays
 * alive until the store is freed, for callers that still point at it.
 */
static int
refresh_policy(struct uc3_store *st)
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

/*
 * With uc3.remote set, the central repository is the truth: before a
 * write the branch is brought up to it (fast-forward only), and a commit
 * is pushed before the local branch moves to it, so a write is either on
 * both or on neither. A push refused as not a fast-forward means somebody
 * else wrote first: the edit is done again on their tip.
 */
static int
git_in(struct uc3_store *st, struct uc3_buf *err, const char *a1, const char *a2,
       const char *a3, const char *a4, const char *a5)
{
	struct uc3_buf where = UC3_BUF_INIT;
	const char *argv[12];
	int status = 0, k = 0, rc;

	argv[k++] = "git";
	argv[k++] = "-c";
	argv[k++] = "advice.pushNonFFCurrent=false";
	if (st->workdir) {
		argv[k++] = "-C";
		argv[k++] = st->workdir;
	} else {
		uc3_buf_addf(&where, "--git-dir=%s", st->gitdir);
		argv[k++] = where.ptr;
	}
	argv[k++] = a1;
	argv[k++] = a2;
	argv[k++] = a3;
	argv[k++] = a4;
	argv[k++] = a5;
	argv[k] = NULL;
	rc = uc3_run(&status, argv, NULL, 0, NULL, err);
	uc3_buf_release(&where);
	return rc < 0 ? rc : status;
}

static const char *
short_branch(const struct uc3_store *st)
{
	return strncmp(st->refname, "refs/heads/", 11) ? st->refname : st->refname + 11;
}

static void
first_line_of(char *dst, size_t n, const struct uc3_buf *b)
{
	const char *p = b->ptr;

	while (*p == '\n')
		p++;
	snprintf(dst, n, "%.*s", (int)strcspn(p, "\n"), p);
}

static int
remote_pull(struct uc3_store *st, const char *remote)
{
	struct uc3_buf err = UC3_BUF_INIT, spec = UC3_BUF_INIT;
	char why[300];
	int rc;

	if (st->workdir) {
		rc = git_in(st, &err, "pull", "--ff-only", "--quiet", remote, short_branch(st));
	} else {
		uc3_buf_addf(&spec, "%s:%s", st->refname, st->refname);
		rc = git_in(st, &err, "fetch", "--quiet", remote, spec.ptr, NULL);
	}
	first_line_of(why, sizeof(why), &err);
	uc3_buf_release(&err);
	uc3_buf_release(&spec);
	if (rc < 0)
		return rc;
	if (rc > 0)
		return uc3_error_set(UC3_ERROR,
				     "cannot bring %s up to %s (%s); if they have diverged, "
				     "join them with git pull --rebase first; nothing was recorded",
				     short_branch(st), remote, why);
	return load_tip(st);
}

static int
remote_push(struct uc3_store *st, const char *remote, const git_oid *id)
{
	struct uc3_buf err = UC3_BUF_INIT, spec = UC3_BUF_INIT;
	char hex[41], why[300];
	int rc;

	git_oid_tostr(hex, sizeof(hex), id);
	uc3_buf_addf(&spec, "%s:%s", hex, st->refname);
	rc = git_in(st, &err, "push", "--quiet", remote, spec.ptr, NULL);
	first_line_of(why, sizeof(why), &err);
	if (rc > 0) {
		/*
		 * Refused: if the central branch moved past the tip this commit
		 * was built on, somebody else wrote first (a non-fast-forward,
		 * or a lost race for the remote's ref lock): do it again there.
		 */
		git_oid base = st->tip;
		bool was_unborn = st->unborn;

		if (remote_pull(st, remote) == 0 && !st->unborn &&
		    (was_unborn || !git_oid_equal(&base, &st->tip)))
			rc = UC3_ECONFLICT;
		else
			rc = uc3_error_set(UC3_ERROR, "cannot push to %s (%s); nothing was recorded",
					   remote, why);
	}
	uc3_buf_release(&err);
	uc3_buf_release(&spec);
	return rc;
}

/*
 * Under the writers' lock: read the tip, and put right what a write
 * stopped half-way left in the work tree and index (notes in st->notes).
 * *idx gets the index, loaded once for the whole write (NULL if none).
 */
static int
settle_worktree(struct uc3_store *st, git_index **idx)
{
	int rc;

	if (!st->workdir)
		return 0;
	if (!*idx && git_repository_index(idx, st->repo) < 0) {
		*idx = NULL;
		git_error_clear();
	}
	if ((rc = load_tip(st)) < 0)
		return rc;
	repair_worktree(st, *idx);
	return 0;
}

int
uc3_store_sync(struct uc3_store *st)
{
	char *remote = st->unborn ? NULL : uc3_store_config(st, "uc3.remote");
	git_index *idx = NULL;
	int lockfd = -1, rc = 0;

	if (!remote)
		return 0;
	if (st->workdir && (lockfd = lock_writers(st)) < 0)
		rc = UC3_ERROR;
	/* A ticket file left behind the branch would stop git pull. */
	if (rc == 0)
		rc = settle_worktree(st, &idx);
	if (rc == 0)
		rc = remote_pull(st, remote);
	if (rc == 0)
		rc = refresh_policy(st);
	git_index_free(idx);
	if (lockfd >= 0)
		close(lockfd);
	free(remote);
	return rc;
}

/* One attempt: build and commit on the current base; move the branch. */
static int
attempt(struct uc3_store *st, struct uc3_write *w, git_index *idx, git_oid *out,
	bool *is_signed, const char *remote)
{
	git_tree_update *ups = NULL;
	git_oid tree_id;
	git_tree *tree = NULL;
	git_signature *author = NULL, *committer = NULL;
	git_buf content = GIT_BUF_INIT;
	struct uc3_buf sig = UC3_BUF_INIT, logmsg = UC3_BUF_INIT;
	git_reference *ref = NULL;
	const git_commit *parents[1];
	size_t i;
	int rc;

	ups = uc3_xcalloc(w->nfiles, sizeof(*ups));
	for (i = 0; i < w->nfiles; i++) {
		if (w->files[i].create) {
			git_tree_entry *te = NULL;

			if (git_tree_entry_bypath(&te, st->tree, w->files[i].path) == 0) {
				git_tree_entry_free(te);
				/* The numbers given out were wrong: read them from the trees next time. */
				ids_forget(st);
				rc = uc3_error_set(UC3_ERROR,
						   "%s is already on the branch, and a new file never "
						   "replaces one; nothing was written",
						   w->files[i].path);
				goto out;
			}
			git_error_clear();
		}
		if (st->workdir && (rc = check_clean(st, idx, &w->files[i])) < 0)
			goto out;
		if (git_blob_create_from_buffer(&ups[i].id, st->repo, w->files[i].data.ptr,
						w->files[i].data.len) < 0) {
			rc = git_fail(UC3_ERROR, "cannot write a blob");
			goto out;
		}
		ups[i].action = GIT_TREE_UPDATE_UPSERT;
		ups[i].filemode = GIT_FILEMODE_BLOB;
		ups[i].path = w->files[i].path;
	}
	if (git_tree_create_updated(&tree_id, st->repo, st->tree, w->nfiles, ups) < 0 ||
	    git_tree_lookup(&tree, st->repo, &tree_id) < 0) {
		rc = git_fail(UC3_ERROR, "cannot write the tree");
		goto out;
	}
	if ((rc = make_signatures(&author, &committer, st)) < 0)
		goto out;
	parents[0] = st->base;
	if (git_commit_create_buffer(&content, st->repo, author, committer, NULL,
				     w->message.ptr, tree, st->unborn ? 0 : 1, parents) < 0) {
		rc = git_fail(UC3_ERROR, "cannot build the commit");
		goto out;
	}
	if ((rc = maybe_sign(&sig, is_signed, st, content.ptr, content.size, committer)) < 0)
		goto out;
	if (git_commit_create_with_signature(out, st->repo, content.ptr,
					     sig.len ? sig.ptr : NULL, NULL) < 0) {
		rc = git_fail(UC3_ERROR, "cannot write the commit");
		goto out;
	}
	{
		const char *nl = strchr(w->message.ptr, '\n');

		uc3_buf_addf(&logmsg, "%s: %.*s", st->unborn ? "commit (initial)" : "commit",
			     (int)(nl ? (size_t)(nl - w->message.ptr) : w->message.len),
			     w->message.ptr);
	}
	if (remote && (rc = remote_push(st, remote, out)) != 0)
		goto out;
	if (st->unborn)
		rc = git_reference_create(&ref, st->repo, st->refname, out, 0, logmsg.ptr);
	else
		rc = git_reference_create_matching(&ref, st->repo, st->refname, out, 1,
						   &st->tip, logmsg.ptr);
	if (rc == GIT_ELOCKED) {
		git_error_clear();
		rc = UC3_ELOCKED;
	} else if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		git_error_clear();
		rc = UC3_ECONFLICT;
	} else if (rc < 0) {
		rc = git_fail(UC3_ERROR, "cannot move the branch");
	}
out:
	git_reference_free(ref);
	git_buf_dispose(&content);
	git_signature_free(author);
	git_signature_free(committer);
	git_tree_free(tree);
	free(ups);
	uc3_buf_release(&sig);
	uc3_buf_release(&logmsg);
	return rc;
}

int
uc3_store_write(struct uc3_store *st, uc3_store_edit_fn fn, void *ctx,
		struct uc3_write_result *res)
{
	struct uc3_write w = { 0 };
	git_index *idx = NULL;
	git_oid id;
	bool is_signed = false, lost = false, reload;
	char *remote = NULL;
	int lockfd = -1, tries, waited_ms = 0, rc = 0;

	uc3_buf_init(&w.message);
	srand((unsigned)getpid() ^ (unsigned)time(NULL));
	if (res)
		memset(res, 0, sizeof(*res));
	if (st->workdir && (lockfd = lock_writers(st)) < 0)
		return UC3_ERROR;
	/* The first attempt works on the tip read at open, unless we waited for the lock. */
	reload = lockfd >= 0;
	if ((rc = check_ref_lock(st)) < 0 || (rc = settle_worktree(st, &idx)) < 0)
		goto out;
	remote = st->unborn ? NULL : uc3_store_config(st, "uc3.remote");
	if (remote && (rc = remote_pull(st, remote)) < 0)
		goto out;
	for (tries = 1; tries <= MAX_ATTEMPTS; tries++) {
		if (reload && ((rc = load_tip(st)) < 0 || (rc = refresh_policy(st)) < 0))
			break;
		reload = true;
		write_reset(&w);
		w.allow_empty = false;
		if ((rc = fn(&w, st, ctx)) < 0)
			break;
		if (w.nfiles == 0) {
			rc = w.allow_empty ? 1 : uc3_error_set(UC3_ERROR, "nothing to write");
			break;
		}
		/* The index is loaded once (it is large); later reads only check it. */
		if (st->workdir && !idx && git_repository_index(&idx, st->repo) < 0) {
			idx = NULL;
			git_error_clear();
		} else if (idx && git_index_read(idx, 0) < 0) {
			git_error_clear();
		}
		rc = attempt(st, &w, idx, &id, &is_signed, remote);
		if (rc == UC3_ELOCKED) {
			/* Somebody is moving the branch right now: no attempt lost, unless the lock stays. */
			if ((rc = wait_ref_lock(st, &waited_ms)) < 0)
				break;
			tries--;
			continue;
		}
		if (rc != UC3_ECONFLICT)
			break;
		lost = true;
		/* Somebody else moved the branch: back off a little, then redo. */
		usleep((useconds_t)(1000 + rand() % 5000 * tries));
	}
	if (rc == UC3_ECONFLICT && lost && tries > MAX_ATTEMPTS)
		uc3_error_set(UC3_ECONFLICT,
			      "the branch kept moving; gave up after %d attempts, nothing was written",
			      MAX_ATTEMPTS);
	if (rc == 0) {
		/* The new tip is the base from now on (for a caller reading on). */
		git_commit *c = NULL;

		if (git_commit_lookup(&c, st->repo, &id) == 0) {
			git_tree_free(st->tree);
			git_commit_free(st->base);
			st->base = c;
			git_commit_tree(&st->tree, c);
			git_oid_cpy(&st->tip, &id);
			st->unborn = false;
		}
		if (res) {
			git_oid_tostr(res->commit, sizeof(res->commit), &id);
			res->is_signed = is_signed;
			res->attempts = tries;
		}
		if (st->workdir) {
			char *warn = sync_worktree(st, &w, idx, &id);

			/* What the repair before the write did, then what went wrong after it. */
			if (warn && st->notes.len)
				uc3_buf_adds(&st->notes, "; ");
			if (warn)
				uc3_buf_adds(&st->notes, warn);
			free(warn);
		}
		if (res && st->notes.len)
			res->warning = uc3_buf_detach(&st->notes);
	}
out:
	uc3_buf_reset(&st->notes);
	git_index_free(idx);
	free(remote);
	if (lockfd >= 0)
		close(lockfd);
	if (rc == 0)
		start_gc(st);
	write_release(&w);
	return rc > 0 ? 1 : rc;
}

struct log_walk {
	struct uc3_store *st;
	bool all_paths;
	git_commit *c;
	git_tree *tree, *ptree;
	struct uc3_change *ch;
	git_blob **blobs;
	size_t n, alloc, nblobs, ablobs;
};

/*
 * The contents of a file of the walk, or NULL when it is not a blob (a
 * folder, a submodule) or is over the size limit (*len: its size).
 */
static const char *
blob_data(struct log_walk *w, const git_tree_entry *e, const char *path, size_t *len)
{
	git_blob *b = NULL;

	*len = 0;
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return NULL;
	if (read_blob(&b, len, w->st, git_tree_entry_id(e), path) < 0) {
		git_error_clear();
		uc3_error_clear();
		if (*len <= blob_limit(path))
			*len = 0;
		return NULL;
	}
	uc3_xgrow((void **)&w->blobs, &w->ablobs, w->nblobs + 1, sizeof(*w->blobs));
	w->blobs[w->nblobs++] = b;
	*len = (size_t)git_blob_rawsize(b);
	return git_blob_rawcontent(b);
}

static void
add_change(struct log_walk *w, const char *path, const git_tree_entry *old,
	   const git_tree_entry *new)
{
	struct uc3_change *c;

	uc3_xgrow((void **)&w->ch, &w->alloc, w->n + 1, sizeof(*w->ch));
	c = &w->ch[w->n++];
	memset(c, 0, sizeof(*c));
	c->path = uc3_xstrdup(path);
	if (old) {
		c->old_mode = (unsigned)git_tree_entry_filemode(old);
		c->old_data = blob_data(w, old, path, &c->old_len);
	}
	if (new) {
		c->new_mode = (unsigned)git_tree_entry_filemode(new);
		c->new_data = blob_data(w, new, path, &c->new_len);
	}
}

static void
walk_reset(struct log_walk *w)
{
	size_t i;

	for (i = 0; i < w->n; i++)
		free((char *)w->ch[i].path);
	for (i = 0; i < w->nblobs; i++)
		git_blob_free(w->blobs[i]);
	w->n = w->nblobs = 0;
}


static int
walk_file(const char *path, const git_tree_entry *old, const git_tree_entry *new, void *ctx)
{
	struct log_walk *w = ctx;

	if (!w->all_paths && strncmp(path, "tickets/", 8) && strcmp(path, UC3_POLICY_FILE))
		return 0;
	add_change(w, path, old, new);
	return 0;
}

/* One path only: compare its entry in the commit and its first parent. */
static int
path_changes(struct log_walk *w, const char *path)
{
	git_tree_entry *a = NULL, *b = NULL;
	bool ha, hb;

	ha = w->ptree && git_tree_entry_bypath(&a, w->ptree, path) == 0;
	hb = git_tree_entry_bypath(&b, w->tree, path) == 0;
	git_error_clear();
	if ((ha || hb) && !(ha && hb && same_entry(a, b)))
		add_change(w, path, ha ? a : NULL, hb ? b : NULL);
	git_tree_entry_free(a);
	git_tree_entry_free(b);
	return 0;
}

int
uc3_store_log(struct uc3_store *st, const char *path, uc3_store_log_fn fn, void *ctx)
{
	return uc3_store_walk(st, NULL, 0, path, NULL, fn, ctx);
}

int
uc3_store_walk(struct uc3_store *st, const char *range, int flags, const char *path,
	       uc3_store_skip_fn skip, uc3_store_log_fn fn, void *ctx)
{
	struct log_walk w = { 0 };
	git_revwalk *walk = NULL;
	git_oid id;
	int rc = 0;

	w.st = st;
	w.all_paths = (flags & UC3_WALK_ALL_PATHS) != 0;
	if (st->unborn && !range)
		return 0;
	if (git_revwalk_new(&walk, st->repo) < 0) {
		rc = git_fail(UC3_ERROR, "cannot walk the history");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
					  ((flags & UC3_WALK_REVERSE) ? GIT_SORT_REVERSE : 0));
	if (range && strstr(range, "..")) {
		if (git_revwalk_push_range(walk, range) < 0) {
			rc = git_fail(UC3_EINVAL, range);
			goto out;
		}
	} else if (range) {
		git_object *obj = NULL;

		if (git_revparse_single(&obj, st->repo, range) < 0) {
			rc = git_fail(UC3_EINVAL, range);
			goto out;
		}
		rc = git_revwalk_push(walk, git_object_id(obj));
		git_object_free(obj);
		if (rc < 0) {
			rc = git_fail(UC3_EINVAL, range);
			goto out;
		}
	} else if (git_revwalk_push(walk, &st->tip) < 0) {
		rc = git_fail(UC3_ERROR, "cannot walk the history");
		goto out;
	}
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		struct uc3_commit info;
		git_commit *parent = NULL;
		git_buf sig = GIT_BUF_INIT, signed_data = GIT_BUF_INIT;
		const git_signature *a;

		walk_reset(&w);
		if (skip) {
			char hex[41];

			git_oid_tostr(hex, sizeof(hex), &id);
			if (skip(hex, ctx))
				continue;
		}
		if (git_commit_lookup(&w.c, st->repo, &id) < 0 || git_commit_tree(&w.tree, w.c) < 0) {
			rc = git_fail(UC3_ERROR, "cannot read a commit");
			break;
		}
		memset(&info, 0, sizeof(info));
		info.nparents = git_commit_parentcount(w.c);
		if (info.nparents > 0 && git_commit_parent(&parent, w.c, 0) == 0) {
			git_commit_tree(&w.ptree, parent);
			git_oid_tostr(info.parent, sizeof(info.parent), git_commit_id(parent));
		}
		if (parent)
			info.parent_time = (long long)git_commit_time(parent);
		git_commit_free(parent);
		if (path) {
			path_changes(&w, path);
		} else {
			struct uc3_buf root = UC3_BUF_INIT;

			diff_trees(st, w.ptree, w.tree, &root, 0, walk_file, &w);
			uc3_buf_release(&root);
		}
		if (!path || w.n) {
			a = git_commit_author(w.c);
			git_oid_tostr(info.id, sizeof(info.id), &id);
			info.author_name = a->name;
			info.author_email = a->email;
			info.time = (long long)a->when.time;
			info.offset = a->when.offset;
			info.commit_time = (long long)git_commit_time(w.c);
			info.message = git_commit_message(w.c);
			info.is_signed = git_commit_extract_signature(&sig, &signed_data, st->repo,
								      &id, NULL) == 0;
			if (info.is_signed) {
				info.signature = sig.ptr;
				info.signature_len = sig.size;
				info.signed_data = signed_data.ptr;
				info.signed_len = signed_data.size;
			}
			git_error_clear();
			rc = fn(&info, w.ch, w.n, ctx);
		}
		git_buf_dispose(&sig);
		git_buf_dispose(&signed_data);
		git_tree_free(w.tree);
		git_tree_free(w.ptree);
		git_commit_free(w.c);
		w.tree = w.ptree = NULL;
		w.c = NULL;
	}
out:
	walk_reset(&w);
	free(w.ch);
	free(w.blobs);
	git_revwalk_free(walk);
	return rc;
}

int
uc3_store_read_at(struct uc3_buf *out, char blob[41], struct uc3_store *st, const char *rev,
		  const char *path)
{
	git_oid id;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *e = NULL;
	git_blob *b = NULL;
	int rc;

	if (git_oid_fromstr(&id, rev) < 0 || git_commit_lookup(&c, st->repo, &id) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		rc = git_fail(UC3_ERROR, rev);
		goto out;
	}
	if (git_tree_entry_bypath(&e, tree, path) < 0 || git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_error_clear();
		rc = uc3_error_set(UC3_ENOTFOUND, "%s: not in %.7s", path, rev);
		goto out;
	}
	if (blob)
		git_oid_tostr(blob, 41, git_tree_entry_id(e));
	if ((rc = read_blob(&b, NULL, st, git_tree_entry_id(e), path)) < 0)
		goto out;
	if (out)
		uc3_buf_add(out, git_blob_rawcontent(b), (size_t)git_blob_rawsize(b));
	rc = 0;
out:
	git_blob_free(b);
	git_tree_entry_free(e);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

int
uc3_store_use_quarantine(struct uc3_store *st)
{
	const char *dirs[] = { getenv("GIT_QUARANTINE_PATH"), getenv("GIT_OBJECT_DIRECTORY") };
	git_odb *odb = NULL;
	size_t i;

	if (git_repository_odb(&odb, st->repo) < 0)
		return git_fail(UC3_ERROR, "cannot open the object database");
	for (i = 0; i < 2; i++)
		if (dirs[i] && *dirs[i] && git_odb_add_disk_alternate(odb, dirs[i]) < 0) {
			git_odb_free(odb);
			return git_fail(UC3_ERROR, dirs[i]);
		}
	git_odb_free(odb);
	return 0;
}

int
uc3_store_verify_signatures(struct uc3_store *st, const char *const *ids, size_t n,
			    enum uc3_sig *out)
{
	struct uc3_buf gd = UC3_BUF_INIT, res = UC3_BUF_INIT;
	const char **argv;
	size_t i, k = 0, done;
	int status, rc = 0;

	for (i = 0; i < n; i++)
		out[i] = UC3_SIG_UNKNOWN;
	uc3_buf_addf(&gd, "--git-dir=%s", st->gitdir);
	for (done = 0; done < n; done += 256) {
		size_t batch = n - done < 256 ? n - done : 256;
		const char *p;

		argv = uc3_xcalloc(batch + 8, sizeof(*argv));
		k = 0;
		argv[k++] = "git";
		argv[k++] = gd.ptr;
		argv[k++] = "log";
		argv[k++] = "--no-walk=unsorted";
		argv[k++] = "--format=%H %G?";
		for (i = 0; i < batch; i++)
			argv[k++] = ids[done + i];
		argv[k] = NULL;
		uc3_buf_reset(&res);
		rc = uc3_run(&status, argv, NULL, 0, &res, NULL);
		free(argv);
		if (rc < 0)
			break;
		for (p = res.ptr; *p;) {
			const char *nl = strchr(p, '\n');
			size_t len = nl ? (size_t)(nl - p) : strlen(p);

			if (len >= 42 && p[40] == ' ') {
				for (i = 0; i < batch; i++) {
					if (strncmp(ids[done + i], p, 40))
						continue;
					switch (p[41]) {
					case 'G':
					case 'X':
					case 'Y':
						out[done + i] = UC3_SIG_GOOD;
						break;
					case 'B':
					case 'R':
						out[done + i] = UC3_SIG_BAD;
						break;
					case 'N':
						/* Only signed commits are asked about. */
						out[done + i] = UC3_SIG_UNKNOWN;
						break;
					default:
						out[done + i] = UC3_SIG_UNKNOWN;
					}
				}
			}
			p += len + (nl ? 1 : 0);
		}
	}
	uc3_buf_release(&gd);
	uc3_buf_release(&res);
	return rc;
}

int
uc3_store_parent(char out[41], struct uc3_store *st, const char *rev)
{
	git_oid id;
	git_commit *c = NULL;
	int rc = 0;

	if (git_oid_fromstr(&id, rev) < 0 || git_commit_lookup(&c, st->repo, &id) < 0)
		return git_fail(UC3_ERROR, rev);
	if (git_commit_parentcount(c) == 0)
		rc = uc3_error_set(UC3_ENOTFOUND, "%.7s has no parent", rev);
	else
		git_oid_tostr(out, 41, git_commit_parent_id(c, 0));
	git_commit_free(c);
	return rc;
}

int
uc3_store_find_ticket_at(char **path, struct uc3_store *st, const char *rev, const char *id)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree *tree = NULL, *yt = NULL;
	git_tree_entry *ye = NULL;
	struct uc3_buf name = UC3_BUF_INIT, dir = UC3_BUF_INIT;
	int year, rc = UC3_ENOTFOUND;
	size_t i;

	*path = NULL;
	if (!uc3_ticket_id_parse(id, NULL, &year, NULL))
		return uc3_error_set(UC3_ENOTFOUND, "'%s' is not a ticket id", id);
	if (git_oid_fromstr(&oid, rev) < 0 || git_commit_lookup(&c, st->repo, &oid) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		rc = git_fail(UC3_ERROR, rev);
		goto out;
	}
	uc3_buf_addf(&dir, "tickets/%04d", year);
	uc3_buf_addf(&name, "%s.yaml", id);
	if (git_tree_entry_bypath(&ye, tree, dir.ptr) < 0 || lookup_subtree(&yt, st, ye) < 0)
		goto out;
	for (i = 0; i < git_tree_entrycount(yt); i++) {
		const git_tree_entry *me = git_tree_entry_byindex(yt, i);
		git_tree *mt = NULL;
		bool found;

		if (lookup_subtree(&mt, st, me) < 0)
			continue;
		found = git_tree_entry_byname(mt, name.ptr) != NULL;
		git_tree_free(mt);
		if (found) {
			struct uc3_buf p = UC3_BUF_INIT;

			uc3_buf_addf(&p, "%s/%s/%s", dir.ptr, git_tree_entry_name(me), name.ptr);
			*path = uc3_buf_detach(&p);
			rc = 0;
			break;
		}
	}
out:
	if (rc == UC3_ENOTFOUND)
		uc3_error_set(UC3_ENOTFOUND, "no ticket %s in %.7s", id, rev);
	git_error_clear();
	git_tree_free(yt);
	git_tree_entry_free(ye);
	git_tree_free(tree);
	git_commit_free(c);
	uc3_buf_release(&name);
	uc3_buf_release(&dir);
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

void
uc3_store_tickets_tree(char out[41], struct uc3_store *st)
{
	git_tree_entry *te = NULL;

	out[0] = '\0';
	if (git_tree_entry_bypath(&te, st->tree, "tickets") == 0 &&
	    git_tree_entry_type(te) == GIT_OBJECT_TREE)
		git_oid_tostr(out, 41, git_tree_entry_id(te));
	git_tree_entry_free(te);
	git_error_clear();
}

/*
 * Compare two trees entry by entry, going down only where ids differ:
 * a commit changes one ticket, so two month trees are read, not all of
 * them (libgit2 1.5's tree diff opens every subtree). fn gets each file
 * that differs (in id or in mode), with its entries before and after
 * (NULL: absent). path holds the folder's path on entry (empty at the
 * top) and again on return; depth is its number of components. A folder
 * UC3_TREE_DEPTH_MAX components deep is not gone into: when it differs,
 * fn gets the folder itself, so that a tree nested thousands deep is one
 * change and not a recursion that runs out of stack.
 */
static int
diff_trees(struct uc3_store *st, const git_tree *a, const git_tree *b, struct uc3_buf *path,
	   int depth, diff_fn fn, void *ctx)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0, nb = b ? git_tree_entrycount(b) : 0;
	size_t len = path->len;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		const git_tree_entry *old = NULL, *new = NULL;
		bool old_tree, new_tree;
		int c;

		/* git orders trees by name, but a subtree as if its name ended in '/'. */
		if (ea && eb)
			c = git_tree_entry_cmp(ea, eb);
		else
			c = ea ? -1 : 1;
		if (c == 0) {
			old = ea;
			new = eb;
			i++;
			j++;
			if (same_entry(ea, eb))
				continue;
		} else if (c < 0) {
			old = ea;
			i++;
		} else {
			new = eb;
			j++;
		}
		uc3_buf_setlen(path, len);
		uc3_buf_addf(path, "%s%s", len ? "/" : "", git_tree_entry_name(new ? new : old));
		old_tree = old && git_tree_entry_type(old) == GIT_OBJECT_TREE;
		new_tree = new && git_tree_entry_type(new) == GIT_OBJECT_TREE;
		if ((old_tree || new_tree) && depth + 1 < UC3_TREE_DEPTH_MAX) {
			git_tree *ta = NULL, *tb = NULL;

			if (old_tree)
				git_tree_lookup(&ta, st->repo, git_tree_entry_id(old));
			if (new_tree)
				git_tree_lookup(&tb, st->repo, git_tree_entry_id(new));
			rc = diff_trees(st, ta, tb, path, depth + 1, fn, ctx);
			git_tree_free(ta);
			git_tree_free(tb);
			/* A file replaced by a folder, or the other way: the file side too. */
			if (old_tree)
				old = NULL;
			if (new_tree)
				new = NULL;
			if (rc || (!old && !new))
				continue;
		}
		rc = fn(path->ptr, old, new, ctx);
	}
	uc3_buf_setlen(path, len);
	git_error_clear();
	return rc;
}

struct tdiff {
	struct uc3_store *st;
	uc3_store_visit_fn fn;
	void *ctx;
};

/* Only what uc3_store_foreach_ticket visits: blobs at tickets/YEAR/MONTH/NAME. */
static int
tdiff_file(const char *path, const git_tree_entry *old, const git_tree_entry *new, void *ctx)
{
	struct tdiff *t = ctx;
	git_blob *blob = NULL;
	const char *p;
	size_t size;
	int slashes = 0, rc;

	for (p = path; *p; p++)
		slashes += *p == '/';
	if (slashes != 3)
		return 0;
	if (old && git_tree_entry_type(old) != GIT_OBJECT_BLOB)
		old = NULL;
	if (new && git_tree_entry_type(new) != GIT_OBJECT_BLOB)
		new = NULL;
	if (!new)
		return old ? t->fn(path, NULL, 0, t->ctx) : 0;
	rc = read_blob(&blob, &size, t->st, git_tree_entry_id(new), path);
	if (rc == UC3_EINVAL)
		return t->fn(path, NULL, size, t->ctx);
	if (rc < 0)
		return rc;
	rc = t->fn(path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), t->ctx);
	git_blob_free(blob);
	return rc;
}

int
uc3_store_diff_tickets(struct uc3_store *st, const char *old_tree, const char *new_tree,
		       uc3_store_visit_fn fn, void *ctx)
{
	git_tree *a = NULL, *b = NULL;
	git_oid id;
	int rc;

	if (*old_tree && (git_oid_fromstr(&id, old_tree) < 0 ||
			  git_tree_lookup(&a, st->repo, &id) < 0)) {
		git_error_clear();
		return UC3_ENOTFOUND;
	}
	if (*new_tree && (git_oid_fromstr(&id, new_tree) < 0 ||
			  git_tree_lookup(&b, st->repo, &id) < 0)) {
		git_tree_free(a);
		return git_fail(UC3_ERROR, "cannot read the tickets tree");
	}
	{
		struct tdiff t = { st, fn, ctx };
		struct uc3_buf path = UC3_BUF_INIT;

		uc3_buf_adds(&path, "tickets");
		rc = diff_trees(st, a, b, &path, 1, tdiff_file, &t);
		uc3_buf_release(&path);
	}
	git_tree_free(a);
	git_tree_free(b);
	return rc;
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

char *
uc3_commit_trailer(const char *msg, const char *key)
{
	const char *para = msg, *p;
	size_t klen = strlen(key);

	for (p = msg; (p = strstr(p, "\n\n")); p += 2)
		if (p[2])
			para = p + 2;
	for (p = para; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > klen + 2 && !strncmp(p, key, klen) && p[klen] == ':' && p[klen + 1] == ' ')
			return uc3_xstrndup(p + klen + 2, len - klen - 2);
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}
