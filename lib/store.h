#ifndef UC3_STORE_H
#define UC3_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "policy.h"

/*
 * The records repository (DESIGN section 3). This module is the only one
 * that includes <git2.h>. Reads come from the tree of the branch tip (the
 * "base"), never from the work tree. A write builds blobs, a tree and a
 * commit (signed when git's configuration says so), then moves the branch
 * with a compare-and-swap of the old tip; when the tip moved, the edit is
 * re-run on the new tip, a bounded number of times. Where there is a work
 * tree, the written files are then brought up to date in it and the index.
 */

struct uc3_store;

/*
 * Open the records repository: dir when not NULL (-C), else $UC3_DIR, else
 * the current directory and its parents, as git finds one. Bare or not.
 * Reads the policy from the tip's tree. Errors: UC3_ENOTFOUND (not a git
 * repository, or no uc3.yaml: "not a records repository"), UC3_EPOLICY.
 * Free with uc3_store_free.
 */
int uc3_store_open(struct uc3_store **out, const char *dir);

/*
 * Like uc3_store_open but for `uc3 init`: opens or creates (git init,
 * bare when asked) the repository at dir without needing a policy.
 * *existed says whether a repository with commits was already there.
 */
int uc3_store_init(struct uc3_store **out, const char *dir, bool bare, bool *existed);

void uc3_store_free(struct uc3_store *st);

/*
 * Undo a uc3_store_init that failed later on: when it created the
 * repository, remove the git directory it made (and the directory, when
 * it made that too and it is empty). Then free st, as uc3_store_free.
 */
void uc3_store_init_abort(struct uc3_store *st);

/* The zone for commit times while the store has no policy (uc3 init). Copied. */
void uc3_store_set_timezone(struct uc3_store *st, const char *tz);

/* The policy read at open (NULL after uc3_store_init). Borrowed. */
const struct uc3_policy *uc3_store_policy(const struct uc3_store *st);
bool uc3_store_is_bare(const struct uc3_store *st);
/* The work tree (ends with '/'), or NULL when bare. Borrowed. */
const char *uc3_store_workdir(const struct uc3_store *st);
/* The git directory (ends with '/'). Borrowed. */
const char *uc3_store_gitdir(const struct uc3_store *st);

/*
 * What the tools keep beside the repository: $GIT_DIR/uc3/NAME (the
 * numbers of ids, the open-ticket index, the audit's cache, the work
 * tree's mark). uc3_store_cache_path gives the path (caller frees).
 * uc3_store_cache_write replaces the file with len bytes of data
 * atomically, a temporary file beside it and then a rename, making
 * $GIT_DIR/uc3 when needed, readable by its owner only (0600, as git
 * keeps its own state); readers see the old file or the new one, never
 * a part. A cache is only a hint: a failed write leaves the old
 * file and returns -1.
 */
char *uc3_store_cache_path(const struct uc3_store *st, const char *name);
int
uc3_store_cache_write(const struct uc3_store *st, const char *name, const char *data, size_t len);

/*
 * Git's allowed signers for ssh keys, $GIT_DIR/uc3/allowed_signers, made
 * from the people of the policy at the tip: made again when it is behind
 * the policy; made when it is not there only with create (uc3 init
 * --signed, uc3 person). Every uc3_store_open keeps an existing one in
 * step. uc3_store_signers_path: its path (free()).
 */
int uc3_store_keep_signers(struct uc3_store *st, bool create);
char *uc3_store_signers_path(const struct uc3_store *st);

/* Set name to value in the repository's own git configuration (.git/config). */
int uc3_store_config_set(struct uc3_store *st, const char *name, const char *value);

/*
 * This clone's id: git config uc3.clone in the repository's own
 * configuration (.git/config, never a global one, so that two clones
 * never share it), 12 lowercase hex digits. *out (free()) gets it, or
 * NULL when it is not set and make is false; with make, one is drawn
 * from /dev/urandom and set first. UC3_EINVAL when the value set is not
 * 12 lowercase hex digits. The blocks of ticket numbers a clone sets
 * aside for offline use (reserve.h) carry it.
 */
int uc3_store_clone(char **out, struct uc3_store *st, bool make);

/*
 * The public half of the key git signs with here (user.signingkey under
 * gpg.format), as a policy lists it: see uc3_sign_public_key. Caller frees.
 */
int uc3_store_public_key(char **out, struct uc3_store *st);

/*
 * The acting person from git's configuration, as git finds it:
 * GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, then user.name/user.email. Borrowed.
 * Returns UC3_EINVAL with advice when no email can be found.
 */
int uc3_store_actor(const char **name, const char **email, struct uc3_store *st);

/* A git configuration value (repository, global, system), or NULL. Caller frees. */
char *uc3_store_config(struct uc3_store *st, const char *name);

/*
 * Read the file at path in the base tree into out. UC3_ENOTFOUND when
 * absent. Every blob the store reads is first sized from its object
 * header: one over the limit (UC3_POLICY_FILE_MAX for uc3.yaml,
 * UC3_ATTACHMENT_LIMIT_MAX for an attachment, see
 * uc3_records_attachment_of, UC3_STORE_FILE_MAX for any other file) is
 * refused without being inflated, UC3_EINVAL "path: N bytes, over the
 * limit of M".
 */
#define UC3_STORE_FILE_MAX (8 * 1024 * 1024)
int uc3_store_read(struct uc3_buf *out, struct uc3_store *st, const char *path);

/* The id (hex) of the blob at path in the base tree. UC3_ENOTFOUND when absent. */
int uc3_store_blob(char blob[41], struct uc3_store *st, const char *path);

/* The id (hex) git gives a blob of data[0..len), as git hash-object does; nothing is written. */
int uc3_store_hash(char blob[41], struct uc3_store *st, const char *data, size_t len);

/*
 * What a command saw first. The first call for a path remembers the id
 * of its blob in the base tree; every call gives that first id in blob
 * (hex), whatever the base is by then (after catching up with a central
 * repository, or on a retry). A step compares it with the ticket it is
 * about to change, so that it never acts on a state its user did not see.
 * UC3_ENOTFOUND, remembering nothing, when the file is not in the base at
 * the first call.
 */
int uc3_store_pin(char blob[41], struct uc3_store *st, const char *path);

/* The commit a revision names (HEAD~2, a branch, a short id) as hex. UC3_EINVAL if none. */
int uc3_store_resolve(char out[41], struct uc3_store *st, const char *rev);

/* The first parent (hex) of commit rev (hex). UC3_ENOTFOUND for a root commit. */
int uc3_store_parent(char out[41], struct uc3_store *st, const char *rev);

/* True when commit a (hex) is b or one of b's ancestors. */
bool uc3_store_is_ancestor(struct uc3_store *st, const char *a, const char *b);

/*
 * True while the write under way is made without the central
 * repository (uc3.remote set, but it cannot be reached): its commit is
 * kept here, marked "Offline: yes", and waits to be pushed. An edit
 * function asks it to give a new ticket a number of the block this
 * clone set aside (uc3_records_next_number does).
 */
bool uc3_store_offline(const struct uc3_store *st);

/*
 * Git notes on commits, in the notes ref ref ("refs/notes/..."):
 * uc3_store_note_add puts text on commit (hex), dated when, by the git
 * identity of this account (user.name, user.email) or, when it has
 * none, "uc3 central <uc3@localhost>"; a note already there is kept and
 * 1 returned. uc3_store_note_read gives the note of commit in *out
 * (free()), or NULL when it has none. Both return 0 or a negative
 * UC3_E*.
 */
int uc3_store_note_add(struct uc3_store *st, const char *ref, const char *commit, const char *text,
		       time_t when);
int uc3_store_note_read(char **out, struct uc3_store *st, const char *ref, const char *commit);

/* The hex id of the branch tip ("" when the branch has no commit yet). Borrowed. */
const char *uc3_store_tip(struct uc3_store *st);
/* The branch HEAD names, "refs/heads/main". Borrowed. */
const char *uc3_store_branch(const struct uc3_store *st);

/*
 * A write: the files to put and the commit message. Filled by the edit
 * function, which may be called several times (once per attempt; the
 * write is reset before each call).
 */
struct uc3_write_file {
	char *path;
	struct uc3_buf data;
	bool create; /* a new file: refused (UC3_EEXIST) if the path is in the base tree */
	bool remove; /* removed: refused (UC3_ENOTFOUND) if the path is not in the base tree */
};

struct uc3_write {
	struct uc3_write_file *files;
	size_t nfiles, alloc;
	struct uc3_buf message;
	bool allow_empty; /* writing nothing is fine: uc3_store_write returns 1 */
	/*
	 * A commit that changes no file (uc3 verify --accept): with no file
	 * to write, the commit is made on the tree of the tip all the same.
	 * Refused (UC3_EINVAL) while the branch has no commit.
	 */
	bool no_change;
	/* Signed or not at all: UC3_ESIGN, nothing written, when git is not set to sign. */
	bool must_sign;
};

/* Add a file to w; returns its buffer to fill. */
struct uc3_buf *uc3_write_add(struct uc3_write *w, const char *path);

/*
 * Add a file that must be new: the write fails (UC3_EEXIST, nothing
 * written) when the tree it builds on already has path, checked in the
 * attempt that moves the branch. A new ticket never replaces another.
 */
struct uc3_buf *uc3_write_add_new(struct uc3_write *w, const char *path);

/*
 * Remove the file at path: the write fails (UC3_ENOTFOUND, nothing
 * written) when the tree it builds on does not have it, and, as for a
 * file written, when the work tree's copy has edits nobody committed.
 * The work tree loses the file (and the folder it leaves empty), the
 * index its entry.
 */
void uc3_write_remove(struct uc3_write *w, const char *path);

typedef int (*uc3_store_edit_fn)(struct uc3_write *w, struct uc3_store *st, void *ctx);

struct uc3_write_result {
	char commit[41]; /* hex id of the new commit */
	bool is_signed;
	int attempts;
	char *warning; /* the write landed, but something after it did not; free() */
	bool offline;  /* made offline: committed here only, waiting to be sent (uc3 sync) */
};

/*
 * Run fn on the current tip and commit what it writes, as described at
 * the top of this file. Fails, leaving the branch as it was, when fn
 * fails, when a file to write has uncommitted edits in the work tree
 * (UC3_EDIRTY), when signing fails or the policy (or w->must_sign)
 * requires a signature and git is not set to sign (UC3_ESIGN), when the
 * repository's own pre-receive hook refuses the commit (UC3_EDENIED,
 * see below), when the tip keeps moving
 * (UC3_ECONFLICT), or when the branch's lock file (refs/heads/NAME.lock)
 * stays (UC3_ELOCKED): one older than UC3_STALE_LOCK_SECONDS is taken as
 * left by a process that died, and refused at once, naming it; a younger
 * one is waited for until it goes or grows that old. Returns 1, writing
 * nothing, when fn wrote no file and set allow_empty. res may be NULL;
 * release it with uc3_write_result_release.
 *
 * Where there is a work tree, a write first puts right what an earlier
 * write, stopped between moving the branch and updating the work tree and
 * index (killed, or its machine lost power), left behind: every ticket
 * file whose index entry and work-tree file hold the branch's version
 * from before its last change (or the last one) is brought up to the
 * branch, and res->warning says which. A ticket file that holds anything
 * else holds its user's own edits and is left alone. The check costs
 * nothing while the branch is where the last write left it
 * ($GIT_DIR/uc3/worktree records that tip).
 *
 * A repository guarded by a pre-receive hook (core.hooksPath, else
 * $GIT_DIR/hooks/pre-receive; an executable file) is guarded against
 * uc3 writing in it directly too: without uc3.remote, each attempt runs
 * the hook as git would for a push of the new commit ("OLD NEW REF" on
 * its standard input, in $GIT_DIR with GIT_DIR=.), the commit's objects
 * already written, before it moves the branch. When the hook exits
 * non-zero the branch stays: UC3_EDENIED, "this repository's pre-receive
 * hook refused the commit (the first line it printed); nothing was
 * recorded". Not while the branch has no commit (uc3 init). With
 * uc3.remote set, the push runs the central's hook instead. Without a
 * hook this costs one stat a write.
 */
/*
 * Mail about tickets is sent first and recorded after. Whoever sends it
 * holds this lock ($GIT_DIR/uc3/mail.lock) from reading what was already
 * sent to recording what it sent, so that two runs at once (two crons,
 * uc3 new and uc3 overdue --mail) never send the same message twice.
 * uc3 new --mail holds it from reading the records to recording a mail
 * that came in, so that the same mail delivered twice at once is one.
 * Taking it waits for the holder, then reads the branch's tip again: what
 * the caller reads next includes what the holder recorded. Taken again in
 * the same process it only counts. Returns 0 or a negative UC3_E*;
 * uc3_store_unlock_mail gives back each successful take.
 */
int uc3_store_lock_mail(struct uc3_store *st);
void uc3_store_unlock_mail(struct uc3_store *st);

#define UC3_STALE_LOCK_SECONDS 5
int uc3_store_write(struct uc3_store *st, uc3_store_edit_fn fn, void *ctx,
		    struct uc3_write_result *res);
void uc3_write_result_release(struct uc3_write_result *res);

#endif
