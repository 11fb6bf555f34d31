#include "history.h"

/*
 * History: walking commits with the files they changed, reading a file at
 * a revision, the quarantine of a pushed-but-not-yet-accepted pack, and
 * checking commit signatures.
 */

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "records.h"
#include "run.h"
#include "store_int.h"
#include "xalloc.h"

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
 * folder, a submodule), is an attachment or is over the size limit
 * (*len: its size). id gets the id of its blob, "" when it is none.
 */
static const char *
blob_data(struct log_walk *w, const git_tree_entry *e, const char *path, size_t *len, char id[41])
{
	git_blob *b = NULL;

	*len = 0;
	id[0] = '\0';
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		return NULL;
	git_oid_tostr(id, 41, git_tree_entry_id(e));
	/* What an attachment holds is nobody's business but its reader's: its size will do. */
	if (uc3_records_attachment_of(path, NULL)) {
		if (uc3_store__blob_size(len, w->st, git_tree_entry_id(e), path) < 0) {
			git_error_clear();
			uc3_error_clear();
		}
		return NULL;
	}
	if (uc3_store__read_blob(&b, len, w->st, git_tree_entry_id(e), path) < 0) {
		git_error_clear();
		uc3_error_clear();
		if (*len <= uc3_store__blob_limit(path))
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
	   const git_tree_entry *newer)
{
	struct uc3_change *c;

	uc3_xgrow((void **)&w->ch, &w->alloc, w->n + 1, sizeof(*w->ch));
	c = &w->ch[w->n++];
	memset(c, 0, sizeof(*c));
	c->path = uc3_xstrdup(path);
	if (old) {
		c->old_mode = (unsigned)git_tree_entry_filemode(old);
		c->old_data = blob_data(w, old, path, &c->old_len, c->old_id);
	}
	if (newer) {
		c->new_mode = (unsigned)git_tree_entry_filemode(newer);
		c->new_data = blob_data(w, newer, path, &c->new_len, c->new_id);
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
walk_file(const char *path, const git_tree_entry *old, const git_tree_entry *newer, void *ctx)
{
	struct log_walk *w = ctx;

	if (!w->all_paths && strncmp(path, "tickets/", 8) && strcmp(path, UC3_POLICY_FILE))
		return 0;
	add_change(w, path, old, newer);
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
	if ((ha || hb) && !(ha && hb && uc3_store__same_entry(a, b)))
		add_change(w, path, ha ? a : NULL, hb ? b : NULL);
	git_tree_entry_free(a);
	git_tree_entry_free(b);
	return 0;
}

int
uc3_history_log(struct uc3_store *st, const char *path, uc3_history_fn fn, void *ctx)
{
	return uc3_history_walk(st, NULL, 0, path, NULL, fn, ctx);
}

int
uc3_history_walk(struct uc3_store *st, const char *range, int flags, const char *path,
		 uc3_history_skip_fn skip, uc3_history_fn fn, void *ctx)
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
		rc = uc3_store__git_fail(UC3_ERROR, "cannot walk the history");
		goto out;
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME |
					  ((flags & UC3_WALK_REVERSE) ? GIT_SORT_REVERSE : 0));
	if (range && strstr(range, "..")) {
		if (git_revwalk_push_range(walk, range) < 0) {
			rc = uc3_store__git_fail(UC3_EINVAL, range);
			goto out;
		}
	} else if (range) {
		git_object *obj = NULL;

		if (git_revparse_single(&obj, st->repo, range) < 0) {
			rc = uc3_store__git_fail(UC3_EINVAL, range);
			goto out;
		}
		rc = git_revwalk_push(walk, git_object_id(obj));
		git_object_free(obj);
		if (rc < 0) {
			rc = uc3_store__git_fail(UC3_EINVAL, range);
			goto out;
		}
	} else if (git_revwalk_push(walk, &st->tip) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot walk the history");
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
		if (git_commit_lookup(&w.c, st->repo, &id) < 0 ||
		    git_commit_tree(&w.tree, w.c) < 0) {
			rc = uc3_store__git_fail(UC3_ERROR, "cannot read a commit");
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
		if (flags & UC3_WALK_NO_CHANGE) {
			/* Neither a root commit nor one that changes a file is asked about. */
			if (!w.ptree || !git_oid_equal(git_tree_id(w.ptree), git_tree_id(w.tree)))
				goto next;
		} else if (path) {
			path_changes(&w, path);
		} else {
			struct uc3_buf root = UC3_BUF_INIT;

			uc3_store__diff_trees(st, w.ptree, w.tree, &root, 0, walk_file, &w);
			uc3_buf_release(&root);
		}
		if (!path || w.n || (flags & UC3_WALK_NO_CHANGE)) {
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
	next:
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
uc3_history_read_at(struct uc3_buf *out, char blob[41], struct uc3_store *st, const char *rev,
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
		rc = uc3_store__git_fail(UC3_ERROR, rev);
		goto out;
	}
	if (git_tree_entry_bypath(&e, tree, path) < 0 ||
	    git_tree_entry_type(e) != GIT_OBJECT_BLOB) {
		git_error_clear();
		rc = uc3_error_set(UC3_ENOTFOUND, "%s: not in %.7s", path, rev);
		goto out;
	}
	if (blob)
		git_oid_tostr(blob, 41, git_tree_entry_id(e));
	if ((rc = uc3_store__read_blob(&b, NULL, st, git_tree_entry_id(e), path)) < 0)
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
uc3_history_use_quarantine(struct uc3_store *st)
{
	const char *dirs[] = { getenv("GIT_QUARANTINE_PATH"), getenv("GIT_OBJECT_DIRECTORY") };
	git_odb *odb = NULL;
	size_t i;

	if (git_repository_odb(&odb, st->repo) < 0)
		return uc3_store__git_fail(UC3_ERROR, "cannot open the object database");
	for (i = 0; i < 2; i++)
		if (dirs[i] && *dirs[i] && git_odb_add_disk_alternate(odb, dirs[i]) < 0) {
			git_odb_free(odb);
			return uc3_store__git_fail(UC3_ERROR, dirs[i]);
		}
	git_odb_free(odb);
	return 0;
}

int
uc3_history_signatures(struct uc3_store *st, const char *const *ids, size_t n, enum uc3_sig *out)
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
int
uc3_store__diff_trees(struct uc3_store *st, const git_tree *a, const git_tree *b,
		      struct uc3_buf *path, int depth, uc3_store__diff_fn fn, void *ctx)
{
	size_t i = 0, j = 0, na = a ? git_tree_entrycount(a) : 0,
	       nb = b ? git_tree_entrycount(b) : 0;
	size_t len = path->len;
	int rc = 0;

	while (rc == 0 && (i < na || j < nb)) {
		const git_tree_entry *ea = i < na ? git_tree_entry_byindex(a, i) : NULL;
		const git_tree_entry *eb = j < nb ? git_tree_entry_byindex(b, j) : NULL;
		const git_tree_entry *old = NULL, *newer = NULL;
		bool old_tree, new_tree;
		int c;

		/* git orders trees by name, but a subtree as if its name ended in '/'. */
		if (ea && eb)
			c = git_tree_entry_cmp(ea, eb);
		else
			c = ea ? -1 : 1;
		if (c == 0) {
			old = ea;
			newer = eb;
			i++;
			j++;
			if (uc3_store__same_entry(ea, eb))
				continue;
		} else if (c < 0) {
			old = ea;
			i++;
		} else {
			newer = eb;
			j++;
		}
		uc3_buf_setlen(path, len);
		uc3_buf_addf(path, "%s%s", len ? "/" : "",
			     git_tree_entry_name(newer ? newer : old));
		old_tree = old && git_tree_entry_type(old) == GIT_OBJECT_TREE;
		new_tree = newer && git_tree_entry_type(newer) == GIT_OBJECT_TREE;
		if ((old_tree || new_tree) && depth + 1 < UC3_TREE_DEPTH_MAX) {
			git_tree *ta = NULL, *tb = NULL;

			if (old_tree)
				git_tree_lookup(&ta, st->repo, git_tree_entry_id(old));
			if (new_tree)
				git_tree_lookup(&tb, st->repo, git_tree_entry_id(newer));
			rc = uc3_store__diff_trees(st, ta, tb, path, depth + 1, fn, ctx);
			git_tree_free(ta);
			git_tree_free(tb);
			/* A file replaced by a folder, or the other way: the file side too. */
			if (old_tree)
				old = NULL;
			if (new_tree)
				newer = NULL;
			if (rc || (!old && !newer))
				continue;
		}
		rc = fn(path->ptr, old, newer, ctx);
	}
	uc3_buf_setlen(path, len);
	git_error_clear();
	return rc;
}
