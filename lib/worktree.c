#include "store.h"

/*
 * The work tree and the index of a non-bare records repository: refusing
 * to overwrite uncommitted edits, bringing written files up to date after
 * a write, and repairing what a write stopped half-way left behind.
 */

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "error.h"
#include "i18n.h"
#include "store_int.h"
#include "xalloc.h"

#define INDEX_WAIT_MS 10000

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
		return uc3_store__git_fail(UC3_ERROR, path);
	return 0;
}

/*
 * A file about to be written must not hold edits that are not committed:
 * neither in the work tree nor staged in the index. The comparison is
 * with the base tree, which the caller holds the write lock for.
 */
int
uc3_store__check_clean(struct uc3_store *st, git_index *idx, const struct uc3_write_file *f)
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

/*
 * Apply update to the index and write it, waiting up to INDEX_WAIT_MS
 * for a git command that holds index.lock, but not for an index.lock
 * left behind. Returns 0, or -1 with the reason appended to why.
 */
static int
index_update(struct uc3_store *st, git_index *idx, int (*update)(git_index *, void *), void *ctx,
	     struct uc3_buf *why)
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
			there = uc3_store__lock_age(p.ptr, &age);
			if (age < UC3_STALE_LOCK_SECONDS && waited < INDEX_WAIT_MS) {
				uc3_buf_release(&p);
				usleep(20000);
				waited += 20;
				continue;
			}
			if (there) {
				git_error_clear();
				struct uc3_buf made = UC3_BUF_INIT;

				uc3_store__format_age(&made, age);
				/* TRANSLATORS: the lock file, its age ("3 detik"), the file
				   again; what to do next follows. */
				uc3_buf_addf(why,
					     _("the index is locked by %s, made %s ago; if no git "
					       "command is running, remove it with rm '%s', then"),
					     p.ptr, made.ptr, p.ptr);
				uc3_buf_release(&made);
				uc3_buf_release(&p);
				return -1;
			}
			uc3_buf_release(&p);
		}
		{
			const git_error *e = git_error_last();

			/* TRANSLATORS: git's reason the index was not written; what to do
			   next follows. */
			uc3_buf_addf(why, _("%s; then"),
				     e && e->message ? e->message : _("no index"));
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

	for (i = 0; rc == 0 && i < w->nfiles; i++) {
		if (!w->files[i].remove)
			rc = git_index_add_bypath(idx, w->files[i].path);
		else if (git_index_get_bypath(idx, w->files[i].path, 0))
			rc = git_index_remove_bypath(idx, w->files[i].path);
	}
	return rc;
}

/* Remove the work tree's file full (of the work tree wd) and the folders it leaves empty. */
static int
remove_file(const char *wd, const char *full)
{
	struct uc3_buf dir = UC3_BUF_INIT;
	char *slash;

	if (unlink(full) < 0 && errno != ENOENT)
		return -1;
	uc3_buf_adds(&dir, full);
	/* rmdir fails on a folder that still holds anything: that one stays. */
	while ((slash = strrchr(dir.ptr, '/')) && (size_t)(slash - dir.ptr) + 1 > strlen(wd)) {
		*slash = '\0';
		if (rmdir(dir.ptr) < 0)
			break;
	}
	uc3_buf_release(&dir);
	return 0;
}

/*
 * $GIT_DIR/uc3/worktree holds the tip the work tree and index were last
 * brought up to (by a write, or by the repair below). While the branch is
 * still there, no write was stopped half-way since, and there is nothing
 * to repair.
 */
#define WORKTREE_MARK "worktree"

static bool
worktree_marked(const struct uc3_store *st)
{
	char *p = uc3_store_cache_path(st, WORKTREE_MARK);
	char line[64] = "", hex[41];
	FILE *f;

	f = fopen(p, "r");
	free(p);
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
	char hex[42];

	git_oid_tostr(hex, 41, tip);
	hex[40] = '\n';
	uc3_store_cache_write(st, WORKTREE_MARK, hex, 41);
}

/*
 * Bring the work tree and the index up to date for the written files.
 * The commit has landed already: a failure here is a warning, never an
 * error, and a busy index.lock is waited for. When all went well, the
 * new tip is marked as the one the work tree is at.
 */
char *
uc3_store__sync_worktree(struct uc3_store *st, const struct uc3_write *w, git_index *idx,
			 const git_oid *tip)
{
	struct uc3_buf warn = UC3_BUF_INIT, why = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < w->nfiles; i++) {
		struct uc3_buf full = UC3_BUF_INIT;

		uc3_buf_addf(&full, "%s%s", st->workdir, w->files[i].path);
		if (w->files[i].remove ? remove_file(st->workdir, full.ptr) < 0
				       : uc3_store__write_file(full.ptr, w->files[i].data.ptr,
							       w->files[i].data.len, 0644) < 0)
			/* TRANSLATORS: the first %s is "; " after an earlier warning, or nothing.
			 */
			uc3_buf_addf(&warn, _("%scannot update %s in the work tree: %s"),
				     warn.len ? "; " : "", w->files[i].path, strerror(errno));
		uc3_buf_release(&full);
	}
	if (index_update(st, idx, add_written, (void *)w, &why) < 0)
		/* TRANSLATORS: the first %s is "; " after an earlier warning, or nothing;
		   the second why the index was not updated, and ": ". */
		uc3_buf_addf(&warn,
			     _("%scommitted, but the index was not updated (%s run "
			       "git reset -q to refresh it)"),
			     warn.len ? "; " : "", why.ptr);
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
	git_oid head; /* the branch's version */
	git_oid idx;  /* the index's, when in_idx */
	bool in_idx;
	git_oid prev; /* the version before the branch's last change of it */
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
		if (strncmp(de->d_name, slash + 1, blen) ||
		    strncmp(de->d_name + blen, ".uc3-", 5) || strlen(de->d_name + blen + 5) != 6)
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
	struct uc3_buf files = UC3_BUF_INIT;
	size_t i, shown = 0;

	if (!nfixed)
		return;
	for (i = 0; i < n; i++) {
		if (!fixed[i])
			continue;
		if (shown == 5) {
			/* TRANSLATORS: after five paths of a list: "a, b, c, d, e, and 3 more". */
			uc3_buf_addf(&files, _(", and %zu more"), nfixed - shown);
			break;
		}
		uc3_buf_addf(&files, "%s%s", shown ? ", " : "", v[i].path);
		shown++;
	}
	if (st->notes.len)
		uc3_buf_adds(&st->notes, "; ");
	if (nfixed > 1)
		/* TRANSLATORS: the number of files, then their paths. */
		uc3_buf_addf(&st->notes,
			     _("brought %zu ticket files (%s) up to the branch in the work tree "
			       "and the index: earlier writes were stopped before updating them"),
			     nfixed, files.ptr);
	else
		uc3_buf_addf(&st->notes,
			     _("brought %s up to the branch in the work tree and the index: an "
			       "earlier write was stopped before updating it"),
			     files.ptr);
	uc3_buf_release(&files);
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
		uc3_store__diff_trees(st, itk, htk, &path, 1, collect_lag, &l);
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
			goto next; /* edits of the user's own in the work tree */
		if (!g->resolved) {
			far[i] = true;
			goto next;
		}
		if (!same_state(g->in_idx, &g->idx, g->had_prev, &g->prev))
			goto next; /* staged edits of the user's own */
		if (git_blob_lookup(&blob, st->repo, &g->head) < 0) {
			git_error_clear();
			goto next;
		}
		if (uc3_store__write_file(full.ptr, git_blob_rawcontent(blob),
					  (size_t)git_blob_rawsize(blob), 0644) < 0) {
			/* TRANSLATORS: the first %s is "; " after an earlier warning, or nothing.
			 */
			uc3_buf_addf(&st->notes,
				     _("%scannot bring %s up to the branch in the work "
				       "tree: %s"),
				     st->notes.len ? "; " : "", g->path, strerror(errno));
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
			/* TRANSLATORS: the first %s is "; " after an earlier warning, or
			   nothing; the second why the index was not updated, and ": ". */
			uc3_buf_addf(
				&st->notes,
				_("%sticket files an earlier write left behind were "
				  "brought up to the branch in the work tree, but not in the index "
				  "(%s run git reset -q to refresh it)"),
				st->notes.len ? "; " : "", why.ptr);
			nfixed = 0;
			failed = true;
		}
		uc3_buf_release(&why);
	}
	note_repaired(st, l.v, l.n, fixed, nfixed);
	for (i = 0; i < l.n; i++)
		if (far[i])
			/* TRANSLATORS: the first %s is "; " after an earlier warning, or nothing.
			 */
			uc3_buf_addf(
				&st->notes,
				_("%s%s in the index differs from the branch, which "
				  "last changed it more than %d commits ago; if that is not an "
				  "edit of your own, bring it back with git checkout HEAD -- %s"),
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
 * Under the writers' lock: read the tip, and put right what a write
 * stopped half-way left in the work tree and index (notes in st->notes).
 * *idx gets the index, loaded once for the whole write (NULL if none).
 */
int
uc3_store__settle_worktree(struct uc3_store *st, git_index **idx)
{
	int rc;

	if (!st->workdir)
		return 0;
	if (!*idx && git_repository_index(idx, st->repo) < 0) {
		*idx = NULL;
		git_error_clear();
	}
	if ((rc = uc3_store__load_tip(st)) < 0)
		return rc;
	repair_worktree(st, *idx);
	return 0;
}
