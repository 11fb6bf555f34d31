#ifndef UC3_STORE_INT_H
#define UC3_STORE_INT_H

/*
 * Private to the store's files (store.c, store_write.c, worktree.c,
 * remote.c, history.c, records.c): the store's state and the helpers they
 * share. Nothing else includes it: everything outside sees store.h,
 * history.h and records.h. Names with a double underscore are these
 * shared helpers; they follow the store's conventions (0 or a negative
 * UC3_E* after uc3_error_set).
 */

#include <git2.h>
#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "buf.h"
#include "policy.h"
#include "store.h"

struct uc3_store {
	git_repository *repo;
	char *refname; /* the branch HEAD names: refs/heads/main */
	git_oid tip;   /* base commit id (when !unborn) */
	bool unborn;
	git_commit *base; /* NULL when unborn */
	git_tree *tree;	  /* base tree; the empty tree when unborn */
	struct uc3_policy *policy;
	char *actor_name, *actor_email;
	char *gitdir, *workdir;
	char *timezone;		     /* for commit times while there is no policy (init) */
	git_oid policy_blob;	     /* the uc3.yaml the policy was read from */
	struct uc3_policy **retired; /* policies replaced during a write: callers may hold them */
	size_t nretired;
	bool created;	/* uc3_store_init made this repository */
	char *made_dir; /* ... and this directory for it */
	struct pin {
		char *path;
		git_oid blob;
	} * pins; /* what this command saw first: uc3_store_pin */
	size_t npins, apins;
	struct uc3_buf notes; /* what the work-tree repair did, for the write's warning */
	bool pulled;	      /* uc3.remote pulled since the last write: the next need not */
	bool offline;	      /* the write under way is made without the central */
	char *unreachable;    /* why the central could not be reached (git's reason), or NULL */
	int mail_fd;	      /* uc3_store_lock_mail's lock, while mail_depth > 0 */
	unsigned mail_depth;
};

/*
 * records.c: a backfill write (UC3_BACKFILL, uc3_clock_backfill): every
 * event each ticket file of w appends to the branch's version gets
 * `backfill: reason`, and the message the trailer "Backfill: reason".
 */
int uc3_records__backfill(struct uc3_store *st, struct uc3_write *w, const char *reason);

/* store.c: libgit2's last message copied into ours at once; returns code. */
int uc3_store__git_fail(int code, const char *what);
/* store.c: same blob id and mode. */
bool uc3_store__same_entry(const git_tree_entry *a, const git_tree_entry *b);
/* store.c: (re)read the branch tip, its commit and tree into st. */
int uc3_store__load_tip(struct uc3_store *st);
/* store.c: read uc3.yaml of the base again when its blob changed (after a pull or a lost race). */
int uc3_store__refresh_policy(struct uc3_store *st);
/* store.c: a string or boolean from a git configuration; the string is the caller's to free. */
char *uc3_store__config_string(git_config *cfg, const char *name);
bool uc3_store__config_bool(git_config *cfg, const char *name);
/* store.c: the most bytes a blob at path may have; reading a larger one is an error. */
size_t uc3_store__blob_limit(const char *path);
/* store.c: the size of blob id (path, for messages) from its header, without reading it. */
int uc3_store__blob_size(size_t *size, struct uc3_store *st, const git_oid *id, const char *path);
/* store.c: look up blob id, refusing one over the limit for path; *out: git_blob_free. */
int uc3_store__read_blob(git_blob **out, size_t *size, struct uc3_store *st, const git_oid *id,
			 const char *path);
/*
 * store_write.c: write data to path atomically (a temporary file beside
 * it, then rename), making the directories it needs; the file gets mode
 * (0644 for a work-tree file, 0600 for a cache). -1 with errno on failure.
 */
int uc3_store__write_file(const char *path, const char *data, size_t len, mode_t mode);
/* store_write.c: the age of the lock file at path, false when there is none. */
bool uc3_store__lock_age(const char *path, double *age);
/* store_write.c: "3 seconds", "2 hours" for a message. */
void uc3_store__format_age(struct uc3_buf *out, double age);
/* store_write.c: the lock every uc3 writer of this repository takes (DESIGN section 7). */
int uc3_store__lock_writers(struct uc3_store *st);
/* Open and flock GITDIR/uc3/name: the descriptor, or -1 with the error set. */
int uc3_store__lock_file(struct uc3_store *st, const char *name);

/* worktree.c: refuse to overwrite a work-tree file with edits nobody committed. */
int uc3_store__check_clean(struct uc3_store *st, git_index *idx, const struct uc3_write_file *f);
/* worktree.c: bring the written files up to date in the work tree and index after the ref moved
 * to tip; returns a warning (free()) when that failed, NULL when it went well. */
char *uc3_store__sync_worktree(struct uc3_store *st, const struct uc3_write *w, git_index *idx,
			       const git_oid *tip);
/* worktree.c: repair what a stopped write left in the work tree; *idx: the index, opened. */
int uc3_store__settle_worktree(struct uc3_store *st, git_index **idx);

/*
 * store_write.c: write the commit of tree on parent (NULL: a root commit)
 * with message, signed when git's configuration says so (*is_signed).
 * keep_author NULL: author and committer are the acting person, now;
 * else that author as it is, and as committer the same person at now.
 */
int uc3_store__make_commit(git_oid *out, bool *is_signed, struct uc3_store *st, git_tree *tree,
			   const git_commit *parent, const git_signature *keep_author,
			   const char *message, bool must_sign);

/*
 * remote.c: before a write, bring the branch up to uc3.remote: fetch,
 * fast-forward, and send what waits here (uc3_store__send_waiting). When
 * the central cannot be reached, st->offline is set, st->unreachable
 * says why, and 0 is returned: the write is made offline.
 */
int uc3_store__remote_pull(struct uc3_store *st, const char *remote);
/*
 * remote.c: push commit id to the central branch. 0 when it landed;
 * UC3_ECONFLICT when the central moved on (the branch was brought up to
 * it, the write is to be redone) or could not be reached (st->offline
 * set: the write is to be redone offline); else an error that says what
 * the central refused and, when a commit made here by hand is in the
 * way, which, and the way out.
 */
int uc3_store__remote_push(struct uc3_store *st, const char *remote, const git_oid *id);

/*
 * sync.c: the central's tip as this clone last knew it (*known false:
 * never known, or the central had nothing): the remote-tracking branch
 * refs/remotes/REMOTE/BRANCH when uc3.remote names a remote of git's
 * configuration and it is there, else the nearest first-parent ancestor
 * of the branch tip without "Offline: yes".
 */
int uc3_store__central_known(git_oid *out, bool *known, struct uc3_store *st, const char *remote);
/* sync.c: the tree of that tip (*out NULL when not known); git_tree_free. */
int uc3_store__central_tree(git_tree **out, struct uc3_store *st, const char *remote);
/* sync.c: keep central as the central's tip (the remote-tracking branch, when there is one). */
void uc3_store__central_seen(struct uc3_store *st, const char *remote, const git_oid *central);
/*
 * sync.c: send the commits here the central (at central, just fetched)
 * lacks: each uc3 commit is made again on the central's tip (same files,
 * message, author; committer date now; signed again), the result pushed,
 * the branch moved (compare-and-swap), the work tree and index brought up
 * to date. Commits made by hand are pushed as they are when the central
 * has not moved, else refused with the way out. One line per commit sent
 * is appended to said (may be NULL); *sent counts them.
 */
int uc3_store__send_waiting(struct uc3_store *st, const char *remote, const git_oid *central,
			    struct uc3_buf *said, size_t *sent);
/*
 * remote.c: fetch the central branch (into FETCH_HEAD, and the central's
 * tip kept by uc3_store__central_seen). *unborn: the central has no such
 * branch. On failure to reach it, st->unreachable is set.
 */
int uc3_store__fetch_central(git_oid *out, struct uc3_store *st, const char *remote);
/*
 * remote.c: git push --porcelain of commit id to the central branch.
 * *kind: '\0' landed, 'u' the central was not reached (st->unreachable
 * says why), 'r' refused as not a fast-forward, 'h' refused by the
 * central (its hook; why: its words). Negative only when git could not run.
 */
int uc3_store__push(char *kind, char *why, size_t n, struct uc3_store *st, const char *remote,
		    const git_oid *id);
/*
 * remote.c: the error for a push of id the central refused (why), naming
 * the oldest commit made by hand up to id (but id itself, when it is the
 * write's own commit: own).
 */
int uc3_store__push_refused(struct uc3_store *st, const char *remote, const git_oid *id, bool own,
			    const char *why);
/* remote.c: git in the repository: args (NULL-terminated); stdout to out, stderr to err (may be
 * NULL). */
int uc3_store__git(struct uc3_store *st, struct uc3_buf *out, struct uc3_buf *err,
		   const char *const *args);

/* history.c: walk the differences of two trees, depth first, calling fn for each file. */
typedef int (*uc3_store__diff_fn)(const char *path, const git_tree_entry *old,
				  const git_tree_entry *newer, void *ctx);
int uc3_store__diff_trees(struct uc3_store *st, const git_tree *a, const git_tree *b,
			  struct uc3_buf *path, int depth, uc3_store__diff_fn fn, void *ctx);

#endif
