#include "store.h"

/*
 * The store's one way to change the branch: build the files, a tree and a
 * commit (signed when git's configuration says so), then move the branch
 * by compare-and-swap of the old tip, re-running the edit on the new tip
 * when it moved (DESIGN section 7).
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "message.h"
#include "run.h"
#include "sign.h"
#include "store_int.h"
#include "xalloc.h"

#define MAX_ATTEMPTS 64

struct uc3_buf *
uc3_write_add(struct uc3_write *w, const char *path)
{
	struct uc3_write_file *f;

	uc3_xgrow((void **)&w->files, &w->alloc, w->nfiles + 1, sizeof(*w->files));
	f = &w->files[w->nfiles++];
	f->path = uc3_xstrdup(path);
	f->create = false;
	f->remove = false;
	uc3_buf_init(&f->data);
	return &f->data;
}

void
uc3_write_remove(struct uc3_write *w, const char *path)
{
	uc3_write_add(w, path);
	w->files[w->nfiles - 1].remove = true;
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
		return uc3_store__git_fail(UC3_EINVAL, "invalid author identity");
	cn = getenv("GIT_COMMITTER_NAME");
	ce = getenv("GIT_COMMITTER_EMAIL");
	if ((rc = commit_time(&t, &off, "GIT_COMMITTER_DATE", st)) < 0) {
		git_signature_free(*author);
		*author = NULL;
		return rc;
	}
	if (git_signature_new(committer, cn && *cn ? cn : name, ce && *ce ? ce : email, t, off) <
	    0) {
		git_signature_free(*author);
		*author = NULL;
		return uc3_store__git_fail(UC3_EINVAL, "invalid committer identity");
	}
	return 0;
}

/* Sign when git's configuration says so; *sig stays empty otherwise. */
static int
maybe_sign(struct uc3_buf *sig, bool *is_signed, struct uc3_store *st, bool must,
	   const char *payload, size_t len, const git_signature *committer)
{
	git_config *cfg = NULL;
	struct uc3_sign_config sc = { 0 };
	char *format = NULL, *key = NULL, *prog = NULL;
	struct uc3_buf ident = UC3_BUF_INIT;
	int rc = 0;

	*is_signed = false;
	if (git_repository_config_snapshot(&cfg, st->repo) < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot read git configuration");
	if (!uc3_store__config_bool(cfg, "commit.gpgsign")) {
		git_config_free(cfg);
		if (must)
			return uc3_error_set(
				UC3_ESIGN,
				"this commit must be signed, and git is not set to sign: "
				"set commit.gpgsign and user.signingkey; nothing was "
				"recorded");
		if (st->policy && st->policy->require_signed)
			return uc3_error_set(
				UC3_ESIGN,
				"the policy requires signed commits, and git is not set to sign: "
				"set commit.gpgsign and user.signingkey");
		return 0;
	}
	format = uc3_store__config_string(cfg, "gpg.format");
	key = uc3_store__config_string(cfg, "user.signingkey");
	if (format && !strcmp(format, "ssh"))
		prog = uc3_store__config_string(cfg, "gpg.ssh.program");
	else if (format && !strcmp(format, "x509"))
		prog = uc3_store__config_string(cfg, "gpg.x509.program");
	else
		prog = uc3_store__config_string(cfg, "gpg.program");
	if (!prog && (!format || !strcmp(format, "openpgp")))
		prog = uc3_store__config_string(cfg, "gpg.openpgp.program");
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

/*
 * Write data to path atomically: a temporary file beside it, then rename.
 * The temporary file is "NAME.uc3-XXXXXX" (what a later write removes
 * when this one was killed), or ".uc3-XXXXXX" in the same folder when
 * NAME leaves no room for the suffix within NAME_MAX (a mail's
 * attachment may have a name of 255 bytes).
 */
int
uc3_store__write_file(const char *path, const char *data, size_t len, mode_t mode)
{
	const char *slash = strrchr(path, '/');
	const char *base = slash ? slash + 1 : path;
	char tmp[4200];
	size_t done = 0;
	int fd;

	if (mkdirs(path) < 0)
		return -1;
	if (strlen(base) + strlen(".uc3-XXXXXX") <= NAME_MAX)
		snprintf(tmp, sizeof(tmp), "%s.uc3-XXXXXX", path);
	else
		snprintf(tmp, sizeof(tmp), "%.*s.uc3-XXXXXX", (int)(base - path), path);
	fd = mkstemp(tmp);
	if (fd < 0)
		return -1;
	if (mode != 0600)
		fchmod(fd, mode);
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
bool
uc3_store__lock_age(const char *path, double *age)
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
void
uc3_store__format_age(struct uc3_buf *out, double age)
{
	if (age < 120)
		uc3_buf_addf(out, ngettext("%d second", "%d seconds", (unsigned long)age),
			     (int)age);
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

	uc3_store__format_age(&a, age);
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
	if (uc3_store__lock_age(p.ptr, &age) && age >= UC3_STALE_LOCK_SECONDS)
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
	if (!uc3_store__lock_age(p.ptr, &age)) {
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
 * Writers sharing a work tree take this lock for a whole write, so the
 * uncommitted-edits check, the commit and the work-tree update are one
 * step; bare repositories rely on the compare-and-swap alone.
 */
int
uc3_store__lock_writers(struct uc3_store *st)
{
	return uc3_store__lock_file(st, "write.lock");
}

int
uc3_store__lock_file(struct uc3_store *st, const char *name)
{
	struct uc3_buf p = UC3_BUF_INIT;
	int fd;

	uc3_buf_addf(&p, "%suc3", st->gitdir);
	mkdir(p.ptr, 0777);
	uc3_buf_addf(&p, "/%s", name);
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

int
uc3_store_lock_mail(struct uc3_store *st)
{
	int fd, rc;

	if (st->mail_depth) {
		st->mail_depth++;
		return 0;
	}
	if ((fd = uc3_store__lock_file(st, "mail.lock")) < 0)
		return UC3_ERROR;
	/* What the holder before us recorded is read from here on. */
	if ((rc = uc3_store__load_tip(st)) < 0 || (rc = uc3_store__refresh_policy(st)) < 0) {
		close(fd);
		return rc;
	}
	st->mail_fd = fd;
	st->mail_depth = 1;
	return 0;
}

void
uc3_store_unlock_mail(struct uc3_store *st)
{
	if (st->mail_depth && --st->mail_depth == 0)
		close(st->mail_fd);
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

int
uc3_store__make_commit(git_oid *out, bool *is_signed, struct uc3_store *st, git_tree *tree,
		       const git_commit *parent, const git_signature *keep_author,
		       const char *message, bool must_sign)
{
	git_signature *author = NULL, *committer = NULL;
	git_buf content = GIT_BUF_INIT;
	struct uc3_buf sig = UC3_BUF_INIT;
	const git_commit *parents[1];
	git_time_t t;
	int off, rc;

	*is_signed = false;
	if (!keep_author) {
		if ((rc = make_signatures(&author, &committer, st)) < 0)
			return rc;
	} else if ((rc = commit_time(&t, &off, "GIT_COMMITTER_DATE", st)) < 0) {
		return rc;
	} else if (git_signature_new(&committer, keep_author->name, keep_author->email, t, off) <
		   0) {
		return uc3_store__git_fail(UC3_EINVAL, "invalid committer identity");
	}
	parents[0] = parent;
	if (git_commit_create_buffer(&content, st->repo, keep_author ? keep_author : author,
				     committer, NULL, message, tree, parent ? 1 : 0, parents) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot build the commit");
		goto out;
	}
	if ((rc = maybe_sign(&sig, is_signed, st, must_sign, content.ptr, content.size,
			     committer)) < 0)
		goto out;
	if (git_commit_create_with_signature(out, st->repo, content.ptr, sig.len ? sig.ptr : NULL,
					     NULL) < 0)
		rc = uc3_store__git_fail(UC3_ERROR, "cannot write the commit");
out:
	git_buf_dispose(&content);
	git_signature_free(author);
	git_signature_free(committer);
	uc3_buf_release(&sig);
	return rc;
}

/*
 * Offline, a write may only touch what the central does not have yet:
 * new tickets, tickets made offline that still wait, their attachments.
 * central is the central's tree as last known (NULL: it had nothing).
 */
static int
check_offline_path(struct uc3_store *st, git_tree *central, const char *remote, const char *path)
{
	git_tree_entry *te = NULL;
	const char *base, *dot;
	int len;

	if (!central || git_tree_entry_bypath(&te, central, path) < 0) {
		git_error_clear();
		return 0;
	}
	git_tree_entry_free(te);
	/* tickets/2026/11/UC3-2026-0042.yaml or tickets/2026/11/UC3-2026-0042/NAME: the id. */
	base = path;
	if (!strncmp(path, "tickets/", 8) && (base = strchr(path + 8, '/')) &&
	    (base = strchr(base + 1, '/'))) {
		base++;
		dot = strchr(base, '/');
		if (!dot)
			dot = strstr(base, ".yaml");
		len = dot ? (int)(dot - base) : (int)strlen(base);
	} else {
		base = path;
		len = (int)strlen(path);
	}
	return uc3_error_set(UC3_EDENIED,
			     "%.*s is on %s, which cannot be reached (%s); offline only new "
			     "tickets and those made offline can be written: wait for it, or "
			     "try again with uc3 sync; nothing was recorded",
			     len, base, remote, st->unreachable ? st->unreachable : _("no answer"));
}

/*
 * The pre-receive hook guarding this repository, as git finds it:
 * core.hooksPath (relative to $GIT_DIR, where git runs that hook; "~/"
 * is $HOME), else hooks/ of the common git directory. NULL (free()) when
 * there is none, or it is not an executable file: one stat.
 */
static char *
find_hook(struct uc3_store *st)
{
	struct uc3_buf p = UC3_BUF_INIT;
	char *dir = uc3_store_config(st, "core.hooksPath");
	struct stat sb;

	if (dir && dir[0] == '~' && dir[1] == '/' && getenv("HOME"))
		uc3_buf_addf(&p, "%s%s/pre-receive", getenv("HOME"), dir + 1);
	else if (dir && dir[0] == '/')
		uc3_buf_addf(&p, "%s/pre-receive", dir);
	else if (dir)
		uc3_buf_addf(&p, "%s%s/pre-receive", st->gitdir, dir);
	else
		uc3_buf_addf(&p, "%shooks/pre-receive", git_repository_commondir(st->repo));
	free(dir);
	if (stat(p.ptr, &sb) < 0 || !S_ISREG(sb.st_mode) || !(sb.st_mode & 0111) ||
	    access(p.ptr, X_OK) < 0) {
		uc3_buf_release(&p);
		return NULL;
	}
	return uc3_buf_detach(&p);
}

/* The first line that is not blank of text (at most size - 1 bytes), "" when none. */
static void
first_line(char *out, size_t size, const struct uc3_buf *text)
{
	const char *p = text->ptr ? text->ptr : "";
	size_t n;

	p += strspn(p, " \t\r\n");
	n = strcspn(p, "\r\n");
	while (n && (p[n - 1] == ' ' || p[n - 1] == '\t'))
		n--;
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
}

/*
 * Run the pre-receive hook at path for moving the branch from the tip
 * to id, as git receive-pack runs it for a push: "OLD NEW REF" on its
 * standard input, in the git directory, with GIT_DIR=. (a bare
 * repository's view of it, whatever the caller's GIT_DIR or work tree).
 * 0 when it lets the commit in; UC3_EDENIED, quoting the first line it
 * printed (its findings come before its verdict), when it does not.
 */
static int
run_hook(struct uc3_store *st, const char *path, const git_oid *id)
{
	static const char zeros[] = "0000000000000000000000000000000000000000";
	const char *argv[] = { path, NULL };
	const char *env[] = { "GIT_DIR=.",
			      "GIT_WORK_TREE",
			      "GIT_INDEX_FILE",
			      "GIT_PREFIX",
			      "GIT_OBJECT_DIRECTORY",
			      "GIT_ALTERNATE_OBJECT_DIRECTORIES",
			      "GIT_QUARANTINE_PATH",
			      NULL };
	struct uc3_buf in = UC3_BUF_INIT, out = UC3_BUF_INIT, err = UC3_BUF_INIT;
	char old[41], newer[41], why[300];
	int status = 0, rc;

	if (st->unborn)
		memcpy(old, zeros, sizeof(old));
	else
		git_oid_tostr(old, sizeof(old), &st->tip);
	git_oid_tostr(newer, sizeof(newer), id);
	uc3_buf_addf(&in, "%s %s %s\n", old, newer, st->refname);
	rc = uc3_run_at(&status, argv, st->gitdir, env, in.ptr, in.len, &out, &err);
	if (rc == 0 && status != 0) {
		first_line(why, sizeof(why), &out);
		if (!why[0])
			first_line(why, sizeof(why), &err);
		if (!why[0])
			snprintf(why, sizeof(why), _("exit status %d, and it said nothing"),
				 status);
		rc = uc3_error_set(UC3_EDENIED,
				   "this repository's pre-receive hook refused the commit (%s); "
				   "nothing was recorded",
				   why);
	} else if (rc < 0) {
		rc = uc3_error_set(
			UC3_EDENIED,
			"this repository's pre-receive hook did not run (%s); nothing was "
			"recorded",
			uc3_error_last());
	}
	uc3_buf_release(&in);
	uc3_buf_release(&out);
	uc3_buf_release(&err);
	return rc;
}

/* One attempt: build and commit on the current base; move the branch. */
static int
attempt(struct uc3_store *st, struct uc3_write *w, git_index *idx, git_oid *out, bool *is_signed,
	const char *remote, git_tree *central, const char *hook)
{
	git_tree_update *ups = NULL;
	git_oid tree_id;
	git_tree *tree = NULL;
	struct uc3_buf logmsg = UC3_BUF_INIT;
	git_reference *ref = NULL;
	size_t i;
	int rc;

	ups = uc3_xcalloc(w->nfiles ? w->nfiles : 1, sizeof(*ups));
	for (i = 0; i < w->nfiles; i++) {
		if (w->files[i].create) {
			git_tree_entry *te = NULL;

			if (git_tree_entry_bypath(&te, st->tree, w->files[i].path) == 0) {
				git_tree_entry_free(te);
				rc = uc3_error_set(
					UC3_EEXIST,
					"%s is already on the branch, and a new file never "
					"replaces one; nothing was written",
					w->files[i].path);
				goto out;
			}
			git_error_clear();
		}
		if (w->files[i].remove) {
			git_tree_entry *te = NULL;

			if (git_tree_entry_bypath(&te, st->tree, w->files[i].path) < 0) {
				git_error_clear();
				rc = uc3_error_set(UC3_ENOTFOUND,
						   "%s is not on the branch; nothing was written",
						   w->files[i].path);
				goto out;
			}
			git_tree_entry_free(te);
		}
		if (st->offline &&
		    (rc = check_offline_path(st, central, remote, w->files[i].path)) < 0)
			goto out;
		if (st->workdir && (rc = uc3_store__check_clean(st, idx, &w->files[i])) < 0)
			goto out;
		if (w->files[i].remove) {
			ups[i].action = GIT_TREE_UPDATE_REMOVE;
			ups[i].path = w->files[i].path;
			continue;
		}
		if (git_blob_create_from_buffer(&ups[i].id, st->repo, w->files[i].data.ptr,
						w->files[i].data.len) < 0) {
			rc = uc3_store__git_fail(UC3_ERROR, "cannot write a blob");
			goto out;
		}
		ups[i].action = GIT_TREE_UPDATE_UPSERT;
		ups[i].filemode = GIT_FILEMODE_BLOB;
		ups[i].path = w->files[i].path;
	}
	if (git_tree_create_updated(&tree_id, st->repo, st->tree, w->nfiles, ups) < 0 ||
	    git_tree_lookup(&tree, st->repo, &tree_id) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot write the tree");
		goto out;
	}
	if ((rc = uc3_store__make_commit(out, is_signed, st, tree, st->unborn ? NULL : st->base,
					 NULL, w->message.ptr, w->must_sign)) < 0)
		goto out;
	{
		const char *nl = strchr(w->message.ptr, '\n');

		uc3_buf_addf(&logmsg, "%s: %.*s", st->unborn ? "commit (initial)" : "commit",
			     (int)(nl ? (size_t)(nl - w->message.ptr) : w->message.len),
			     w->message.ptr);
	}
	if (remote && !st->offline && (rc = uc3_store__remote_push(st, remote, out)) != 0)
		goto out;
	if (!remote && hook && (rc = run_hook(st, hook, out)) < 0)
		goto out;
	if (st->unborn)
		rc = git_reference_create(&ref, st->repo, st->refname, out, 0, logmsg.ptr);
	else
		rc = git_reference_create_matching(&ref, st->repo, st->refname, out, 1, &st->tip,
						   logmsg.ptr);
	if (rc == GIT_ELOCKED) {
		git_error_clear();
		rc = UC3_ELOCKED;
	} else if (rc == GIT_EMODIFIED || rc == GIT_EEXISTS) {
		git_error_clear();
		rc = UC3_ECONFLICT;
	} else if (rc < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot move the branch");
	}
out:
	git_reference_free(ref);
	git_tree_free(tree);
	free(ups);
	uc3_buf_release(&logmsg);
	return rc;
}

/* Microseconds on the monotonic clock, to time an attempt. */
static long long
mono_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

/*
 * How long to wait before trying again, after the branch moved under
 * `lost` attempts, the last of which took took_us: a random time up to
 * the attempt's own length times 2^lost (at most 4 times, and 2 s). A
 * race lost on a central costs a fetch, a signature and a push through
 * its hook, a few hundred ms, and every writer that lost it comes back at
 * once: waiting a few ms would only put them back in step, fighting for
 * the same ref again while one can win. The wait may be none and grows no
 * further than 4 attempts: the writer that won goes on to its next write
 * at once, and losers that always waited longer than that found the
 * branch taken by it every time, for minutes (tests/bench/README.md). A
 * race lost on the local disk costs well under a millisecond, and so does
 * its wait. The random bits are not rand()'s: the library leaves the
 * program's random state alone.
 */
static useconds_t
backoff_us(int lost, long long took_us)
{
	unsigned long long span = took_us < 1000 ? 1000 : (unsigned long long)took_us;
	unsigned bits;

	span <<= lost < 2 ? lost : 2;
	if (span > 2000000)
		span = 2000000;
	if (getrandom(&bits, sizeof(bits), GRND_NONBLOCK) != (ssize_t)sizeof(bits))
		bits = (unsigned)mono_us() ^ ((unsigned)getpid() << 8);
	return (useconds_t)(bits % span);
}

/*
 * Whether the actor may write a backfill (reason, from UC3_BACKFILL):
 * once the policy lists people, only a holder of its central.backfill
 * role. Refused before anything is written.
 */
static int
backfill_allowed(struct uc3_store *st, const char *reason)
{
	const struct uc3_policy *p = st->policy;
	const struct uc3_person *who;
	const char *name, *email;
	size_t i;
	int rc;

	if (!reason || !p || !p->npeople)
		return 0;
	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		return rc;
	if (!p->backfill_role)
		return uc3_error_set(
			UC3_EDENIED,
			"UC3_BACKFILL: the policy gives nobody the right to record a "
			"step at a past time (central.backfill); nothing was recorded");
	who = uc3_policy_person(p, email);
	for (i = 0; who && i < who->nroles; i++)
		if (!strcmp(who->roles[i], p->backfill_role))
			return 0;
	return uc3_error_set(UC3_EDENIED,
			     "UC3_BACKFILL: %s does not hold the role %s (central.backfill), "
			     "which records a step at a past time; nothing was recorded",
			     email, p->backfill_role);
}

int
uc3_store_write(struct uc3_store *st, uc3_store_edit_fn fn, void *ctx, struct uc3_write_result *res)
{
	const char *backfill = NULL;
	struct uc3_write w = { 0 };
	git_index *idx = NULL;
	git_oid id;
	bool is_signed = false, reload, offline;
	long long started;
	git_tree *central = NULL;
	char *remote = NULL, *hook = NULL;
	int lockfd = -1, tries, lost = 0, waited_ms = 0, rc = 0;

	uc3_buf_init(&w.message);
	if (res)
		memset(res, 0, sizeof(*res));
	if ((rc = uc3_clock_backfill(&backfill)) < 0 || (rc = backfill_allowed(st, backfill)) < 0)
		return rc;
	if (st->workdir && (lockfd = uc3_store__lock_writers(st)) < 0)
		return UC3_ERROR;
	/* The first attempt works on the tip read at open, unless we waited for the lock. */
	reload = lockfd >= 0;
	if ((rc = check_ref_lock(st)) < 0 || (rc = uc3_store__settle_worktree(st, &idx)) < 0)
		goto out;
	/*
	 * Pull once: when uc3_remote_sync just did, for the command that is
	 * now writing, not again. A central branch that moved since refuses
	 * the push, and the write is redone on what it has then
	 * (uc3_store__remote_push): one more attempt, which is rare.
	 */
	remote = st->unborn ? NULL : uc3_store_config(st, "uc3.remote");
	if (remote && !st->pulled && (rc = uc3_store__remote_pull(st, remote)) < 0)
		goto out;
	if (remote && st->offline && (rc = uc3_store__central_tree(&central, st, remote)) < 0)
		goto out;
	/* The branch's own guard, when no central's stands before it. */
	if (!remote && !st->unborn)
		hook = find_hook(st);
	for (tries = 1; tries <= MAX_ATTEMPTS; tries++) {
		if (reload && ((rc = uc3_store__load_tip(st)) < 0 ||
			       (rc = uc3_store__refresh_policy(st)) < 0))
			break;
		reload = true;
		write_reset(&w);
		w.allow_empty = false;
		w.no_change = false;
		w.must_sign = false;
		if ((rc = fn(&w, st, ctx)) < 0)
			break;
		if (w.nfiles == 0 && w.no_change && st->unborn) {
			rc = uc3_error_set(UC3_EINVAL, "the branch has no commit yet; nothing was "
						       "recorded");
			break;
		}
		if (w.nfiles == 0 && !w.no_change) {
			rc = w.allow_empty ? 1 : uc3_error_set(UC3_ERROR, "nothing to write");
			break;
		}
		if (backfill && (rc = uc3_records__backfill(st, &w, backfill)) < 0)
			break;
		if (st->offline)
			uc3_buf_addf(&w.message, "%s: yes\n", UC3_TRAILER_OFFLINE);
		/* The index is loaded once (it is large); later reads only check it. */
		if (st->workdir && !idx && git_repository_index(&idx, st->repo) < 0) {
			idx = NULL;
			git_error_clear();
		} else if (idx && git_index_read(idx, 0) < 0) {
			git_error_clear();
		}
		offline = st->offline;
		started = mono_us();
		rc = attempt(st, &w, idx, &id, &is_signed, remote, central, hook);
		/* The central went away between the pull and the push: the write is made offline.
		 */
		if (rc == UC3_ECONFLICT && !offline && st->offline) {
			if ((rc = uc3_store__central_tree(&central, st, remote)) < 0)
				break;
			tries--;
			continue;
		}
		if (rc == UC3_ELOCKED) {
			/* Somebody is moving the branch right now: no attempt lost, unless the lock
			 * stays. */
			if ((rc = wait_ref_lock(st, &waited_ms)) < 0)
				break;
			tries--;
			continue;
		}
		if (rc != UC3_ECONFLICT)
			break;
		/*
		 * Somebody else moved the branch: back off, then redo on their tip,
		 * fetched again after the wait, when the central's is the tip to
		 * build on. The tip fetched when the push was refused is as old as
		 * the wait by now: built on, it would lose to a writer that had
		 * just fetched, every time.
		 */
		usleep(backoff_us(++lost, mono_us() - started));
		if (remote && !st->offline) {
			if ((rc = uc3_store__remote_pull(st, remote)) < 0)
				break;
			if (st->offline && !central &&
			    (rc = uc3_store__central_tree(&central, st, remote)) < 0)
				break;
		}
	}
	if (rc == UC3_ECONFLICT && lost && tries > MAX_ATTEMPTS)
		uc3_error_set(
			UC3_ECONFLICT,
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
			res->offline = st->offline;
		}
		if (st->workdir) {
			char *warn = uc3_store__sync_worktree(st, &w, idx, &id);

			/* What the repair before the write did, then what went wrong after it. */
			if (warn && st->notes.len)
				uc3_buf_adds(&st->notes, "; ");
			if (warn)
				uc3_buf_adds(&st->notes, warn);
			free(warn);
		}
		if (st->offline && remote) {
			if (st->notes.len)
				uc3_buf_adds(&st->notes, "; ");
			uc3_buf_addf(
				&st->notes,
				_("%s cannot be reached (%s); recorded here, waiting to be sent "
				  "(uc3 sync sends it)"),
				remote, st->unreachable ? st->unreachable : _("no answer"));
		}
		if (res && st->notes.len)
			res->warning = uc3_buf_detach(&st->notes);
	}
out:
	/*
	 * A push the central took leaves this clone where the central is: a
	 * later step of the same command (uc3 new's reserve) need not pull
	 * again, and if somebody wrote meanwhile its push is refused and redone
	 * on their tip. Otherwise a later write pulls again, and may find the
	 * central.
	 */
	st->pulled = rc == 0 && remote && !st->offline;
	st->offline = false;
	free(st->unreachable);
	st->unreachable = NULL;
	git_tree_free(central);
	uc3_buf_reset(&st->notes);
	git_index_free(idx);
	free(remote);
	free(hook);
	if (lockfd >= 0)
		close(lockfd);
	if (rc == 0)
		start_gc(st);
	write_release(&w);
	return rc > 0 ? 1 : rc;
}
