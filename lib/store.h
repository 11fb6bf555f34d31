#ifndef UC3_STORE_H
#define UC3_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "policy.h"
#include "ticket.h"

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
int uc3_store_init(struct uc3_store **out, const char *dir, bool bare,
		   bool *existed);

void uc3_store_free(struct uc3_store *st);

/*
 * Undo a uc3_store_init that failed later on: when it created the
 * repository, remove the git directory it made (and the directory, when
 * it made that too and it is empty). Then free st, as uc3_store_free.
 */
void uc3_store_init_abort(struct uc3_store *st);

/* The zone for commit times while the store has no policy (uc3 init). Copied. */
void uc3_store_set_timezone(struct uc3_store *st, const char *tz);

/*
 * With uc3.remote set (git config), bring the branch up to the central
 * repository (fast-forward only) so that a command about to write reads
 * what is there now. Without it, nothing. Writes do it again anyway.
 */
int uc3_store_sync(struct uc3_store *st);

/* The policy read at open (NULL after uc3_store_init). Borrowed. */
const struct uc3_policy *uc3_store_policy(const struct uc3_store *st);
bool uc3_store_is_bare(const struct uc3_store *st);
/* The work tree (ends with '/'), or NULL when bare. Borrowed. */
const char *uc3_store_workdir(const struct uc3_store *st);
/* The git directory (ends with '/'). Borrowed. */
const char *uc3_store_gitdir(const struct uc3_store *st);

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
 * UC3_TICKET_FILE_MAX for any other file) is refused without being
 * inflated, UC3_EINVAL "path: N bytes, over the limit of M".
 */
int uc3_store_read(struct uc3_buf *out, struct uc3_store *st, const char *path);

/* The id (hex) of the blob at path in the base tree. UC3_ENOTFOUND when absent. */
int uc3_store_blob(char blob[41], struct uc3_store *st, const char *path);

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

/*
 * Find the ticket id in the base tree: checks the id (prefix from the
 * policy), looks in the month folders of tickets/YEAR and sets *path (free()). Errors:
 * UC3_EINVAL for a malformed id, UC3_ENOTFOUND for an unknown one.
 */
int uc3_store_find_ticket(char **path, struct uc3_store *st, const char *id);

/* Find, read and parse the ticket id. *out: uc3_ticket_free; *path may be NULL. */
int uc3_store_load_ticket(struct uc3_ticket **out, char **path,
			  struct uc3_store *st, const char *id);

/*
 * Call fn for every file under tickets/ in the base tree, in path order,
 * with its contents. A file over the size limit of what the store reads
 * (see uc3_store_read) is not read: fn gets data NULL and len its size,
 * and uc3_error_last() says so. A non-zero return from fn stops the walk
 * and is returned.
 */
typedef int (*uc3_store_visit_fn)(const char *path, const char *data,
				  size_t len, void *ctx);
int uc3_store_foreach_ticket(struct uc3_store *st, uc3_store_visit_fn fn,
			     void *ctx);

/*
 * The id (hex) of the base tree's tickets/ folder, "" when there is none:
 * what an index of tickets is keyed by.
 */
void uc3_store_tickets_tree(char out[41], struct uc3_store *st);

/*
 * Call fn for every ticket file (a file at tickets/YEAR/MONTH/NAME, as
 * uc3_store_foreach_ticket visits them) that differs between two tickets/
 * trees (hex ids, as uc3_store_tickets_tree gives; "" for none), with its
 * path and new contents: data NULL and len 0 when it was removed, data
 * NULL and len its size when it is over the size limit. UC3_ENOTFOUND
 * when the old tree is not in the repository any more.
 */
int uc3_store_diff_tickets(struct uc3_store *st, const char *old_tree, const char *new_tree,
			   uc3_store_visit_fn fn, void *ctx);

/*
 * The next free ticket number of year in the base tree (1 when none).
 * UC3_EINVAL when the year's highest number is already the highest an id
 * can carry (UC3_TICKET_NUM_MAX): the year has run out of numbers.
 */
int uc3_store_next_number(unsigned long *out, struct uc3_store *st, int year);

/*
 * After a write that added ticket number num of year: remember it as the
 * highest of the year's tree at the new tip, so the next uc3_store_next_number
 * need not read the year's month trees. Only a hint: a stale one is ignored.
 */
void uc3_store_note_number(struct uc3_store *st, int year, unsigned long num);

/* The path of a ticket: tickets/YEAR/MM/ID.yaml. Caller frees. */
char *uc3_store_ticket_path(const char *id, int year, int month);

/*
 * History. uc3_store_log walks the branch from its tip, newest first
 * (git log order), and calls fn for each commit that changed path (every
 * commit when path is NULL) with what changed under tickets/ and in the
 * policy: each changed file with its contents before and after (NULL when
 * absent). Returns fn's non-zero value to stop, or a negative error.
 */
enum uc3_sig {
	UC3_SIG_NONE,		/* not signed */
	UC3_SIG_GOOD,
	UC3_SIG_BAD,
	UC3_SIG_UNKNOWN		/* signed, but git cannot check it here (no key, no allowed signers) */
};

struct uc3_commit {
	char id[41];
	char parent[41];	/* first parent; "" for a root commit */
	size_t nparents;
	const char *author_name, *author_email;
	long long time;		/* author time, seconds since the epoch */
	int offset;		/* minutes east of UTC */
	long long commit_time;	/* committer time */
	long long parent_time;	/* the first parent's committer time; 0 for a root commit */
	const char *message;
	bool is_signed;
	const char *signature;	/* the gpgsig header, when signed */
	size_t signature_len;
	const char *signed_data;	/* the commit without it: what was signed */
	size_t signed_len;
};

/*
 * One changed path. A mode (git's: 0100644 a file, 0100755 an executable,
 * 0120000 a symbolic link, 0160000 a submodule, 040000 a folder) of 0
 * means the path is absent on that side. A path present whose data is
 * NULL could not be read as a file: a folder (the walk goes no deeper than
 * UC3_TREE_DEPTH_MAX: a folder at that depth that changed is one change),
 * a submodule, or a blob over the size limit (see uc3_store_read), whose
 * size is then the length.
 */
struct uc3_change {
	const char *path;
	unsigned old_mode, new_mode;
	const char *old_data;
	size_t old_len;
	const char *new_data;
	size_t new_len;
};

/* The most path components the history walk goes into (tickets/Y/M/F is 4). */
#define UC3_TREE_DEPTH_MAX 16

/*
 * The value of a trailer ("Action: escalate") in the last paragraph of a
 * commit message, or NULL. Caller frees.
 */
char *uc3_commit_trailer(const char *msg, const char *key);

typedef int (*uc3_store_log_fn)(const struct uc3_commit *c, const struct uc3_change *ch,
				size_t nch, void *ctx);
int uc3_store_log(struct uc3_store *st, const char *path, uc3_store_log_fn fn, void *ctx);

/*
 * The same walk with more say: range ("A..B", "B", or NULL for the whole
 * branch), oldest first when UC3_WALK_REVERSE, and every changed path
 * (not only tickets and the policy) when UC3_WALK_ALL_PATHS. When skip
 * (may be NULL) says so for a commit id, that commit is passed over
 * before its changes are computed.
 */
enum {
	UC3_WALK_REVERSE = 1,
	UC3_WALK_ALL_PATHS = 2
};
typedef bool (*uc3_store_skip_fn)(const char *id, void *ctx);
int uc3_store_walk(struct uc3_store *st, const char *range, int flags, const char *path,
		   uc3_store_skip_fn skip, uc3_store_log_fn fn, void *ctx);

/* The commit a revision names (HEAD~2, a branch, a short id) as hex. UC3_EINVAL if none. */
int uc3_store_resolve(char out[41], struct uc3_store *st, const char *rev);

/* The first parent (hex) of commit rev (hex). UC3_ENOTFOUND for a root commit. */
int uc3_store_parent(char out[41], struct uc3_store *st, const char *rev);

/*
 * Where ticket id is in the tree of commit rev (hex): any folder of
 * tickets/YEAR (YEAR of the id) that holds ID.yaml, not only the month
 * it should be in. 0 and *path (free()), or UC3_ENOTFOUND.
 */
int uc3_store_find_ticket_at(char **path, struct uc3_store *st, const char *rev, const char *id);

/* True when commit a (hex) is b or one of b's ancestors. */
bool uc3_store_is_ancestor(struct uc3_store *st, const char *a, const char *b);

/* The hex id of the branch tip ("" when the branch has no commit yet). Borrowed. */
const char *uc3_store_tip(struct uc3_store *st);
/* The branch HEAD names, "refs/heads/main". Borrowed. */
const char *uc3_store_branch(const struct uc3_store *st);

/*
 * Read path in the tree of commit rev (hex id) into out. UC3_ENOTFOUND
 * when the commit has no such file. *blob (may be NULL) gets the hex id
 * of the file's blob, so callers can cache what they parse from it.
 */
int uc3_store_read_at(struct uc3_buf *out, char blob[41], struct uc3_store *st,
		      const char *rev, const char *path);

/*
 * For a pre-receive hook: make the objects of a push that git keeps in
 * quarantine (GIT_OBJECT_DIRECTORY, GIT_QUARANTINE_PATH) readable.
 */
int uc3_store_use_quarantine(struct uc3_store *st);

/*
 * Check the signatures of n commits (hex ids) as git does (git log %G?),
 * writing one uc3_sig per commit to out. Unsigned commits cost nothing;
 * the signed ones are checked in one git process.
 */
int uc3_store_verify_signatures(struct uc3_store *st, const char *const *ids, size_t n,
				enum uc3_sig *out);

/*
 * A write: the files to put and the commit message. Filled by the edit
 * function, which may be called several times (once per attempt; the
 * write is reset before each call).
 */
struct uc3_write_file {
	char *path;
	struct uc3_buf data;
	bool create;		/* a new file: refused if the path is in the base tree */
};

struct uc3_write {
	struct uc3_write_file *files;
	size_t nfiles, alloc;
	struct uc3_buf message;
	bool allow_empty;	/* writing nothing is fine: uc3_store_write returns 1 */
};

/* Add a file to w; returns its buffer to fill. */
struct uc3_buf *uc3_write_add(struct uc3_write *w, const char *path);

/*
 * Add a file that must be new: the write fails (UC3_ERROR, nothing
 * written) when the tree it builds on already has path, checked in the
 * attempt that moves the branch. A new ticket never replaces another.
 */
struct uc3_buf *uc3_write_add_new(struct uc3_write *w, const char *path);

typedef int (*uc3_store_edit_fn)(struct uc3_write *w, struct uc3_store *st,
				 void *ctx);

struct uc3_write_result {
	char commit[41];	/* hex id of the new commit */
	bool is_signed;
	int attempts;
	char *warning;		/* the write landed, but something after it did not; free() */
};

/*
 * Run fn on the current tip and commit what it writes, as described at
 * the top of this file. Fails, leaving the branch as it was, when fn
 * fails, when a file to write has uncommitted edits in the work tree
 * (UC3_EDIRTY), when signing fails or the policy requires a signature
 * and git is not set to sign (UC3_ESIGN), when the tip keeps moving
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
 */
#define UC3_STALE_LOCK_SECONDS 5
int uc3_store_write(struct uc3_store *st, uc3_store_edit_fn fn, void *ctx,
		    struct uc3_write_result *res);
void uc3_write_result_release(struct uc3_write_result *res);

#endif
