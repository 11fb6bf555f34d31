#include "sync.h"

/*
 * What waits here for the central repository, and sending it: each
 * waiting uc3 commit is made again on the central's tip (tickets are
 * separate files, so this works unless the central changed the same
 * file meanwhile), pushed, and the branch moved to it. uc3 sync and
 * uc3 sync --reset.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "message.h"
#include "records.h"
#include "store_int.h"
#include "xalloc.h"

#define SEND_ATTEMPTS 8

static const char *
short_branch(const struct uc3_store *st)
{
	return strncmp(st->refname, "refs/heads/", 11) ? st->refname : st->refname + 11;
}

/* refs/remotes/REMOTE/BRANCH when remote names a remote of git's configuration; else false. */
static bool
tracking_ref(struct uc3_buf *out, struct uc3_store *st, const char *remote)
{
	struct uc3_buf key = UC3_BUF_INIT;
	char *url;

	uc3_buf_addf(&key, "remote.%s.url", remote);
	url = strchr(remote, '/') ? NULL : uc3_store_config(st, key.ptr);
	uc3_buf_release(&key);
	if (!url)
		return false;
	free(url);
	uc3_buf_addf(out, "refs/remotes/%s/%s", remote, short_branch(st));
	return true;
}

/* Whether message has the trailer key (with value, when not NULL); *val gets it (free()). */
static bool
trailer(char **val, const char *message, const char *key, const char *value)
{
	git_message_trailer_array tr = { 0 };
	bool found = false;
	size_t i;

	if (val)
		*val = NULL;
	if (git_message_trailers(&tr, message) < 0) {
		git_error_clear();
		return false;
	}
	for (i = 0; i < tr.count && !found; i++) {
		if (strcmp(tr.trailers[i].key, key) ||
		    (value && strcmp(tr.trailers[i].value, value)))
			continue;
		found = true;
		if (val)
			*val = uc3_xstrdup(tr.trailers[i].value);
	}
	git_message_trailer_array_free(&tr);
	return found;
}

int
uc3_store__central_known(git_oid *out, bool *known, struct uc3_store *st, const char *remote)
{
	struct uc3_buf name = UC3_BUF_INIT;
	git_commit *c = NULL;

	*known = false;
	if (tracking_ref(&name, st, remote) &&
	    git_reference_name_to_id(out, st->repo, name.ptr) == 0) {
		*known = true;
		uc3_buf_release(&name);
		return 0;
	}
	git_error_clear();
	uc3_buf_release(&name);
	if (st->unborn)
		return 0;
	if (git_commit_lookup(&c, st->repo, &st->tip) < 0)
		return uc3_store__git_fail(UC3_ERROR, "the branch tip");
	while (c) {
		git_commit *p = NULL;

		if (!trailer(NULL, git_commit_message(c), UC3_TRAILER_OFFLINE, "yes")) {
			git_oid_cpy(out, git_commit_id(c));
			*known = true;
			git_commit_free(c);
			break;
		}
		if (git_commit_parentcount(c) == 0 || git_commit_parent(&p, c, 0) < 0)
			p = NULL;
		git_commit_free(c);
		c = p;
	}
	git_error_clear();
	return 0;
}

int
uc3_store__central_tree(git_tree **out, struct uc3_store *st, const char *remote)
{
	git_oid id;
	git_commit *c = NULL;
	bool known;
	int rc;

	*out = NULL;
	if ((rc = uc3_store__central_known(&id, &known, st, remote)) < 0 || !known)
		return rc;
	if (git_commit_lookup(&c, st->repo, &id) < 0 || git_commit_tree(out, c) < 0) {
		git_commit_free(c);
		return uc3_store__git_fail(UC3_ERROR, "the central's last known tip");
	}
	git_commit_free(c);
	return 0;
}

void
uc3_store__central_seen(struct uc3_store *st, const char *remote, const git_oid *central)
{
	struct uc3_buf name = UC3_BUF_INIT;
	git_reference *ref = NULL;

	if (tracking_ref(&name, st, remote) &&
	    git_reference_create(&ref, st->repo, name.ptr, central, 1, "uc3: the central's tip") <
		    0)
		git_error_clear();
	git_reference_free(ref);
	uc3_buf_release(&name);
}

static void
waiting_add(struct uc3_waiting_list *l, git_commit *c)
{
	struct uc3_waiting *w;
	const char *msg = git_commit_message(c), *summary = git_commit_summary(c);

	uc3_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
	w = &l->v[l->n++];
	memset(w, 0, sizeof(*w));
	git_oid_tostr(w->commit, sizeof(w->commit), git_commit_id(c));
	trailer(&w->ticket, msg, "Ticket", NULL);
	trailer(&w->action, msg, "Action", NULL);
	w->subject = uc3_xstrdup(summary ? summary : "");
	w->made = (long long)git_commit_author(c)->when.time;
	w->offline = trailer(NULL, msg, UC3_TRAILER_OFFLINE, "yes");
}

/* The commits from..tip (from NULL: all of tip's), oldest first, into l. */
static int
commits_between(struct uc3_waiting_list *l, struct uc3_store *st, const git_oid *from,
		const git_oid *tip)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int rc = 0;

	if (git_revwalk_new(&walk, st->repo) < 0 || git_revwalk_push(walk, tip) < 0 ||
	    (from && git_revwalk_hide(walk, from) < 0)) {
		git_revwalk_free(walk);
		return uc3_store__git_fail(UC3_ERROR, "the commits the central lacks");
	}
	git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE);
	while (rc == 0 && git_revwalk_next(&id, walk) == 0) {
		git_commit *c = NULL;

		if (git_commit_lookup(&c, st->repo, &id) < 0) {
			rc = uc3_store__git_fail(UC3_ERROR, "a commit the central lacks");
			break;
		}
		waiting_add(l, c);
		/* A merge cannot be made again: it counts as made by hand. */
		if (git_commit_parentcount(c) != 1) {
			free(l->v[l->n - 1].action);
			l->v[l->n - 1].action = NULL;
		}
		git_commit_free(c);
	}
	git_error_clear();
	git_revwalk_free(walk);
	return rc;
}

int
uc3_sync_waiting(struct uc3_waiting_list *out, struct uc3_store *st)
{
	char *remote;
	git_oid central;
	bool known;
	int rc;

	memset(out, 0, sizeof(*out));
	if (st->unborn || !(remote = uc3_store_config(st, "uc3.remote")))
		return 0;
	rc = uc3_store__central_known(&central, &known, st, remote);
	free(remote);
	if (rc < 0)
		return rc;
	return commits_between(out, st, known ? &central : NULL, &st->tip);
}

void
uc3_waiting_list_release(struct uc3_waiting_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].ticket);
		free(l->v[i].action);
		free(l->v[i].subject);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

const struct uc3_waiting *
uc3_waiting_find(const struct uc3_waiting_list *l, const char *id)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->v[i].ticket && !strcmp(l->v[i].ticket, id))
			return &l->v[i];
	return NULL;
}

/* One file that differs between two trees: its path, and its entry after (none: removed). */
struct change {
	char *path;
	bool removed;
	git_oid id;
	git_filemode_t mode;
};

struct changes {
	struct change *v;
	size_t n, alloc;
};

static int
collect_change(const char *path, const git_tree_entry *old, const git_tree_entry *newer, void *ctx)
{
	struct changes *cs = ctx;
	struct change *c;

	(void)old;
	uc3_xgrow((void **)&cs->v, &cs->alloc, cs->n + 1, sizeof(*cs->v));
	c = &cs->v[cs->n++];
	c->path = uc3_xstrdup(path);
	c->removed = !newer;
	if (newer) {
		git_oid_cpy(&c->id, git_tree_entry_id(newer));
		c->mode = git_tree_entry_filemode(newer);
	}
	return 0;
}

static void
changes_release(struct changes *cs)
{
	size_t i;

	for (i = 0; i < cs->n; i++)
		free(cs->v[i].path);
	free(cs->v);
	memset(cs, 0, sizeof(*cs));
}

static int
diff_trees(struct changes *cs, struct uc3_store *st, const git_tree *a, const git_tree *b)
{
	struct uc3_buf path = UC3_BUF_INIT;
	int rc = uc3_store__diff_trees(st, a, b, &path, 0, collect_change, cs);

	uc3_buf_release(&path);
	return rc;
}

/* Whether tree has at path what entry e says (absent when e is NULL). */
static bool
same_at(git_tree *tree, const char *path, const git_tree_entry *e)
{
	git_tree_entry *te = NULL;
	bool same;

	if (git_tree_entry_bypath(&te, tree, path) < 0) {
		git_error_clear();
		return !e;
	}
	same = e && uc3_store__same_entry(te, e);
	git_tree_entry_free(te);
	return same;
}

/*
 * Make commit orig again on onto: its changes to the files, applied to
 * onto's tree, with its message and author. A file onto's tree has
 * changed since orig's parent is a conflict: refused, naming it.
 */
static int
remake(git_oid *out, struct uc3_store *st, git_commit *orig, git_commit *onto, const char *remote)
{
	git_commit *parent = NULL;
	git_tree *pt = NULL, *ct = NULL, *bt = NULL, *nt = NULL;
	struct changes cs = { 0 };
	git_tree_update *ups = NULL;
	git_oid tid;
	bool is_signed;
	size_t i;
	int rc = 0;

	if (git_commit_parent(&parent, orig, 0) < 0 || git_commit_tree(&pt, parent) < 0 ||
	    git_commit_tree(&ct, orig) < 0 || git_commit_tree(&bt, onto) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "a commit that waits");
		goto out;
	}
	if ((rc = diff_trees(&cs, st, pt, ct)) < 0)
		goto out;
	ups = uc3_xcalloc(cs.n ? cs.n : 1, sizeof(*ups));
	for (i = 0; i < cs.n; i++) {
		git_tree_entry *before = NULL;

		if (git_tree_entry_bypath(&before, pt, cs.v[i].path) < 0)
			git_error_clear();
		if (!same_at(bt, cs.v[i].path, before)) {
			char hex[8];

			git_tree_entry_free(before);
			git_oid_tostr(hex, sizeof(hex), git_commit_id(orig));
			rc = uc3_error_set(
				UC3_ECONFLICT,
				"cannot send commit %s (\"%s\"): %s changed on %s since; "
				"set it aside with uc3 sync --reset (it is kept on a "
				"branch) and do it again; nothing was lost",
				hex, git_commit_summary(orig), cs.v[i].path, remote);
			goto out;
		}
		git_tree_entry_free(before);
		ups[i].path = cs.v[i].path;
		if (cs.v[i].removed) {
			ups[i].action = GIT_TREE_UPDATE_REMOVE;
		} else {
			ups[i].action = GIT_TREE_UPDATE_UPSERT;
			ups[i].filemode = cs.v[i].mode;
			git_oid_cpy(&ups[i].id, &cs.v[i].id);
		}
	}
	if (git_tree_create_updated(&tid, st->repo, bt, cs.n, ups) < 0 ||
	    git_tree_lookup(&nt, st->repo, &tid) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot write the tree");
		goto out;
	}
	rc = uc3_store__make_commit(out, &is_signed, st, nt, onto, git_commit_author(orig),
				    git_commit_message(orig), false);
out:
	free(ups);
	changes_release(&cs);
	git_tree_free(nt);
	git_tree_free(bt);
	git_tree_free(ct);
	git_tree_free(pt);
	git_commit_free(parent);
	return rc;
}

/*
 * Move the branch from its tip to commit to (compare-and-swap), and the
 * work tree and index along for every file that differs: refused,
 * nothing moved, when one of them holds edits nobody committed.
 */
static int
move_branch(struct uc3_store *st, const git_oid *to, const char *logmsg)
{
	git_commit *c = NULL;
	git_tree *t = NULL;
	git_index *idx = NULL;
	git_reference *ref = NULL;
	struct changes cs = { 0 };
	struct uc3_write w = { 0 };
	size_t i;
	int rc = 0;

	if (!st->unborn && git_oid_equal(to, &st->tip))
		return 0;
	if (git_commit_lookup(&c, st->repo, to) < 0 || git_commit_tree(&t, c) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "the central's tip");
		goto out;
	}
	if ((rc = diff_trees(&cs, st, st->tree, t)) < 0)
		goto out;
	uc3_buf_init(&w.message);
	for (i = 0; i < cs.n; i++) {
		if (cs.v[i].removed) {
			uc3_write_remove(&w, cs.v[i].path);
		} else {
			struct uc3_buf *b = uc3_write_add(&w, cs.v[i].path);
			git_blob *blob = NULL;

			if (git_blob_lookup(&blob, st->repo, &cs.v[i].id) < 0) {
				rc = uc3_store__git_fail(UC3_ERROR, cs.v[i].path);
				goto out;
			}
			uc3_buf_add(b, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob));
			git_blob_free(blob);
		}
	}
	if (st->workdir) {
		if (git_repository_index(&idx, st->repo) < 0) {
			idx = NULL;
			git_error_clear();
		}
		for (i = 0; i < w.nfiles; i++)
			if ((rc = uc3_store__check_clean(st, idx, &w.files[i])) < 0)
				goto out;
	}
	if (st->unborn)
		rc = git_reference_create(&ref, st->repo, st->refname, to, 0, logmsg);
	else
		rc = git_reference_create_matching(&ref, st->repo, st->refname, to, 1, &st->tip,
						   logmsg);
	if (rc < 0) {
		rc = uc3_store__git_fail(rc == GIT_EMODIFIED ? UC3_ECONFLICT : UC3_ERROR,
					 "cannot move the branch");
		goto out;
	}
	if (st->workdir) {
		char *warn = uc3_store__sync_worktree(st, &w, idx, to);

		if (warn)
			uc3_buf_addf(&st->notes, "%s%s", st->notes.len ? "; " : "", warn);
		free(warn);
	}
	if ((rc = uc3_store__load_tip(st)) == 0)
		rc = uc3_store__refresh_policy(st);
out:
	for (i = 0; i < w.nfiles; i++) {
		free(w.files[i].path);
		uc3_buf_release(&w.files[i].data);
	}
	free(w.files);
	uc3_buf_release(&w.message);
	changes_release(&cs);
	git_reference_free(ref);
	git_index_free(idx);
	git_tree_free(t);
	git_commit_free(c);
	return rc;
}

/* One line for said about a commit sent: "UC3-2026-0101: new (made offline 2026-12-02 09:24)". */
static void
say_sent(struct uc3_buf *said, struct uc3_store *st, const struct uc3_waiting *w)
{
	if (!said)
		return;
	if (w->ticket && w->action)
		uc3_buf_addf(said, "sent %s: %s", w->ticket, w->action);
	else
		uc3_buf_addf(said, "sent %.7s: %s", w->commit, w->subject);
	if (w->offline) {
		uc3_buf_adds(said, " (made offline ");
		if (uc3_clock_format_short(said, (time_t)w->made,
					   st->policy ? st->policy->timezone : NULL) < 0) {
			uc3_error_clear();
			uc3_buf_addf(said, "@%lld", w->made);
		}
		uc3_buf_addch(said, ')');
	}
	uc3_buf_addch(said, '\n');
}

int
uc3_store__send_waiting(struct uc3_store *st, const char *remote, const git_oid *central_in,
			struct uc3_buf *said, size_t *sent)
{
	struct uc3_waiting_list l = { 0 };
	git_oid central = *central_in, target;
	char why[600], kind;
	size_t i, tries;
	int rc = 0;

	if (sent)
		*sent = 0;
	for (tries = 0; tries < SEND_ATTEMPTS; tries++) {
		bool by_hand = false;

		uc3_waiting_list_release(&l);
		if ((rc = commits_between(&l, st, &central, &st->tip)) < 0)
			goto out;
		if (!l.n)
			break;
		for (i = 0; i < l.n; i++)
			if (!l.v[i].action)
				by_hand = true;
		if (by_hand) {
			/* Not ours to make again: sent as it is, when the central has not moved. */
			if (!git_graph_descendant_of(st->repo, &st->tip, &central)) {
				for (i = 0; l.v[i].action; i++)
					;
				rc = uc3_error_set(
					UC3_ERROR,
					"commit %.7s (\"%s\"), made here by hand, is not on %s, "
					"which has moved on; drop it with uc3 sync --reset (it is "
					"kept on a branch); nothing was recorded",
					l.v[i].commit, l.v[i].subject, remote);
				goto out;
			}
			target = st->tip;
		} else {
			git_commit *onto = NULL;

			if (git_commit_lookup(&onto, st->repo, &central) < 0) {
				rc = uc3_store__git_fail(UC3_ERROR, "the central's tip");
				goto out;
			}
			for (i = 0; rc == 0 && i < l.n; i++) {
				git_commit *orig = NULL, *made = NULL;
				git_oid id;

				if (git_oid_fromstr(&id, l.v[i].commit) < 0 ||
				    git_commit_lookup(&orig, st->repo, &id) < 0) {
					rc = uc3_store__git_fail(UC3_ERROR, l.v[i].commit);
				} else if ((rc = remake(&target, st, orig, onto, remote)) == 0 &&
					   git_commit_lookup(&made, st->repo, &target) < 0) {
					rc = uc3_store__git_fail(UC3_ERROR, "a commit made again");
				}
				git_commit_free(orig);
				if (rc == 0) {
					git_commit_free(onto);
					onto = made;
				}
			}
			git_commit_free(onto);
			if (rc < 0)
				goto out;
		}
		if ((rc = uc3_store__push(&kind, why, sizeof(why), st, remote, &target)) < 0)
			goto out;
		if (kind == 'u') {
			rc = uc3_error_set(UC3_ERROR, "cannot reach %s (%s)", remote, why);
			goto out;
		}
		if (kind == 'h') {
			rc = uc3_store__push_refused(st, remote, &target, false, why);
			goto out;
		}
		if (!kind) {
			if ((rc = move_branch(st, &target, "uc3 sync: sent what waited")) < 0)
				goto out;
			for (i = 0; i < l.n; i++)
				say_sent(said, st, &l.v[i]);
			if (sent)
				*sent = l.n;
			break;
		}
		/* The central moved on meanwhile: again on its new tip. */
		if ((rc = uc3_store__fetch_central(&central, st, remote)) < 0)
			goto out;
	}
	if (tries == SEND_ATTEMPTS)
		rc = uc3_error_set(
			UC3_ECONFLICT,
			"%s kept moving; gave up after %d attempts; what waits stays here", remote,
			SEND_ATTEMPTS);
out:
	uc3_waiting_list_release(&l);
	return rc;
}

void
uc3_sync_result_release(struct uc3_sync_result *res)
{
	if (!res)
		return;
	free(res->remote);
	free(res->set_aside);
	free(res->base_name);
	free(res->warning);
	uc3_waiting_list_release(&res->sent);
	memset(res, 0, sizeof(*res));
}

/* What every sync does first: the lock, the work tree, and the central's tip now. */
static int
sync_start(int *lockfd, git_oid *central, struct uc3_sync_result *res, struct uc3_store *st,
	   size_t waiting)
{
	git_index *idx = NULL;
	int rc;

	*lockfd = -1;
	if (st->unborn || !(res->remote = uc3_store_config(st, "uc3.remote")))
		return uc3_error_set(UC3_ENOTFOUND, "no central: set git config uc3.remote");
	if (st->workdir && (*lockfd = uc3_store__lock_writers(st)) < 0)
		return UC3_ERROR;
	rc = uc3_store__settle_worktree(st, &idx);
	git_index_free(idx);
	if (rc < 0)
		return rc;
	if ((rc = uc3_store__fetch_central(central, st, res->remote)) < 0) {
		if (st->unreachable)
			rc = uc3_error_set(UC3_ERROR,
					   ngettext("cannot reach %s (%s); %zu change still waits",
						    "cannot reach %s (%s); %zu changes still wait",
						    (unsigned long)waiting),
					   res->remote, st->unreachable, waiting);
		return rc;
	}
	{
		/* The central's notes of when it received what it could not date. */
		const char *args[] = { "fetch", "--quiet", res->remote,
				       "+" UC3_RECEIVED_REF ":" UC3_RECEIVED_REF, NULL };
		struct uc3_buf err = UC3_BUF_INIT;

		uc3_store__git(st, NULL, &err, args);
		uc3_buf_release(&err);
	}
	{
		struct uc3_buf name = UC3_BUF_INIT;

		if (tracking_ref(&name, st, res->remote))
			res->base_name = uc3_xstrdup(name.ptr + strlen("refs/remotes/"));
		uc3_buf_release(&name);
		if (!res->base_name) {
			char hex[8];

			git_oid_tostr(hex, sizeof(hex), central);
			res->base_name = uc3_xstrdup(hex);
		}
	}
	return 0;
}

static void
sync_finish(struct uc3_sync_result *res, struct uc3_store *st, int lockfd)
{
	if (st->notes.len)
		res->warning = uc3_buf_detach(&st->notes);
	if (lockfd >= 0)
		close(lockfd);
	free(st->unreachable);
	st->unreachable = NULL;
}

int
uc3_sync(struct uc3_sync_result *res, struct uc3_store *st)
{
	struct uc3_waiting_list before = { 0 };
	struct uc3_buf said = UC3_BUF_INIT;
	git_oid central;
	size_t ahead = 0, behind = 0, sent = 0;
	int lockfd = -1, rc;

	memset(res, 0, sizeof(*res));
	if ((rc = uc3_sync_waiting(&before, st)) < 0)
		return rc;
	if ((rc = sync_start(&lockfd, &central, res, st, before.n)) < 0)
		goto out;
	if (git_graph_ahead_behind(&ahead, &behind, st->repo, &st->tip, &central) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "the branches");
		goto out;
	}
	res->fetched = behind;
	if (ahead) {
		struct uc3_waiting_list now = { 0 };

		if ((rc = commits_between(&now, st, &central, &st->tip)) < 0)
			goto out;
		uc3_waiting_list_release(&before);
		before = now;
		rc = uc3_store__send_waiting(st, res->remote, &central, &said, &sent);
		if (rc < 0 && st->unreachable)
			rc = uc3_error_set(UC3_ERROR,
					   ngettext("cannot reach %s (%s); %zu change still waits",
						    "cannot reach %s (%s); %zu changes still wait",
						    (unsigned long)ahead),
					   res->remote, st->unreachable, ahead);
		if (rc < 0)
			goto out;
	} else if (behind) {
		if ((rc = move_branch(st, &central, "uc3 sync: fast-forward to the central")) < 0)
			goto out;
	}
	git_oid_tostr(res->tip, sizeof(res->tip), &st->tip);
	if (sent) {
		/* What was sent: what waited (the commits made again are the same changes). */
		res->sent = before;
		memset(&before, 0, sizeof(before));
	}
out:
	uc3_buf_release(&said);
	uc3_waiting_list_release(&before);
	sync_finish(res, st, lockfd);
	return rc;
}

/* Whether a tracked file in the work tree or the index differs from the branch. */
static int
first_edited(char **path, struct uc3_store *st)
{
	git_status_options so;
	git_status_list *sl = NULL;
	size_t i, n;

	*path = NULL;
	if (!st->workdir)
		return 0;
	git_status_options_init(&so, GIT_STATUS_OPTIONS_VERSION);
	so.show = GIT_STATUS_SHOW_INDEX_AND_WORKDIR;
	so.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES;
	if (git_status_list_new(&sl, st->repo, &so) < 0)
		return uc3_store__git_fail(UC3_ERROR, "the work tree");
	n = git_status_list_entrycount(sl);
	for (i = 0; i < n && !*path; i++) {
		const git_status_entry *e = git_status_byindex(sl, i);
		const git_diff_delta *d =
			e->index_to_workdir ? e->index_to_workdir : e->head_to_index;

		if (e->status == GIT_STATUS_CURRENT || e->status & GIT_STATUS_WT_NEW ||
		    e->status & GIT_STATUS_IGNORED)
			continue;
		if (d)
			*path = uc3_xstrdup(d->old_file.path ? d->old_file.path : d->new_file.path);
	}
	git_status_list_free(sl);
	return 0;
}

int
uc3_sync_reset(struct uc3_sync_result *res, struct uc3_store *st)
{
	git_oid central;
	git_reference *branch = NULL;
	git_commit *tip = NULL;
	char *edited = NULL;
	int lockfd = -1, rc, k;

	memset(res, 0, sizeof(*res));
	if ((rc = sync_start(&lockfd, &central, res, st, 0)) < 0)
		goto out;
	if (git_graph_descendant_of(st->repo, &central, &st->tip) ||
	    git_oid_equal(&central, &st->tip)) {
		/* Nothing here the central lacks: only brought up to it. */
		if ((rc = move_branch(st, &central, "uc3 sync --reset: the central's tip")) == 0)
			git_oid_tostr(res->tip, sizeof(res->tip), &st->tip);
		goto out;
	}
	if ((rc = first_edited(&edited, st)) < 0)
		goto out;
	if (edited) {
		rc = uc3_error_set(UC3_EDIRTY,
				   "%s has uncommitted edits; commit them, or discard them with "
				   "git checkout -- %s, and try again; nothing was changed",
				   edited, edited);
		goto out;
	}
	if (git_commit_lookup(&tip, st->repo, &st->tip) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "the branch tip");
		goto out;
	}
	{
		struct uc3_waiting_list l = { 0 };

		if ((rc = commits_between(&l, st, &central, &st->tip)) < 0)
			goto out;
		res->nset_aside = l.n;
		uc3_waiting_list_release(&l);
	}
	for (k = 1; k < 100; k++) {
		struct uc3_buf name = UC3_BUF_INIT;
		char hex[8];

		git_oid_tostr(hex, sizeof(hex), &st->tip);
		uc3_buf_addf(&name, UC3_SET_ASIDE_BRANCH "%s", hex);
		if (k > 1)
			uc3_buf_addf(&name, "-%d", k);
		rc = git_branch_create(&branch, st->repo, name.ptr, tip, 0);
		if (rc == 0)
			res->set_aside = uc3_buf_detach(&name);
		uc3_buf_release(&name);
		if (rc != GIT_EEXISTS)
			break;
		git_error_clear();
	}
	if (rc < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, "cannot make the branch to set commits aside");
		goto out;
	}
	if ((rc = move_branch(st, &central, "uc3 sync --reset: the central's tip")) < 0) {
		/* Nothing changed: the branch made for them goes again. */
		git_reference_delete(branch);
		free(res->set_aside);
		res->set_aside = NULL;
		goto out;
	}
	git_oid_tostr(res->tip, sizeof(res->tip), &st->tip);
out:
	free(edited);
	git_reference_free(branch);
	git_commit_free(tip);
	sync_finish(res, st, lockfd);
	return rc;
}
