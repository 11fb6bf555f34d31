#ifndef UC3_HISTORY_H
#define UC3_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "sign.h"
#include "store.h"

/*
 * The history of a store: commits, newest or oldest first, with the files
 * each changed; a file as it was at a commit; a push's quarantined
 * objects; and commit signatures as git checks them.
 */

/*
 * History. uc3_history_log walks the branch from its tip, newest first
 * (git log order), and calls fn for each commit that changed path (every
 * commit when path is NULL) with what changed under tickets/ and in the
 * policy: each changed file with its contents before and after (NULL when
 * absent). Returns fn's non-zero value to stop, or a negative error.
 */
struct uc3_commit {
	char id[41];
	char parent[41]; /* first parent; "" for a root commit */
	size_t nparents;
	const char *author_name, *author_email;
	long long time;	       /* author time, seconds since the epoch */
	int offset;	       /* minutes east of UTC */
	long long commit_time; /* committer time */
	long long parent_time; /* the first parent's committer time; 0 for a root commit */
	const char *message;
	bool is_signed;
	const char *signature; /* the gpgsig header, when signed */
	size_t signature_len;
	const char *signed_data; /* the commit without it: what was signed */
	size_t signed_len;
};

/*
 * One changed path. A mode (git's: 0100644 a file, 0100755 an executable,
 * 0120000 a symbolic link, 0160000 a submodule, 040000 a folder) of 0
 * means the path is absent on that side. A path present whose data is
 * NULL could not be read as a file: a folder (the walk goes no deeper than
 * UC3_TREE_DEPTH_MAX: a folder at that depth that changed is one change),
 * a submodule, or a blob over the size limit (see uc3_store_read), whose
 * size is then the length. An attachment (uc3_records_attachment_of) is
 * never read: its data is NULL and its length its size. old_id and
 * new_id are the ids (hex) of the blobs on each side, "" for no blob.
 */
struct uc3_change {
	const char *path;
	unsigned old_mode, new_mode;
	const char *old_data;
	size_t old_len;
	const char *new_data;
	size_t new_len;
	char old_id[41], new_id[41];
};

/* The most path components the history walk goes into (tickets/Y/M/F is 4). */
#define UC3_TREE_DEPTH_MAX 16

typedef int (*uc3_history_fn)(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch,
			      void *ctx);
int uc3_history_log(struct uc3_store *st, const char *path, uc3_history_fn fn, void *ctx);

/*
 * The same walk with more say: range ("A..B", "B", or NULL for the whole
 * branch), oldest first when UC3_WALK_REVERSE, and every changed path
 * (not only tickets and the policy) when UC3_WALK_ALL_PATHS. When skip
 * (may be NULL) says so for a commit id, that commit is passed over
 * before its changes are computed. With UC3_WALK_NO_CHANGE, fn is called
 * only for the commits that change no file (their tree is their first
 * parent's; never a root commit), with nch 0 and path ignored: a cheap
 * walk, no tree is compared.
 */
enum { UC3_WALK_REVERSE = 1, UC3_WALK_ALL_PATHS = 2, UC3_WALK_NO_CHANGE = 4 };
typedef bool (*uc3_history_skip_fn)(const char *id, void *ctx);
int uc3_history_walk(struct uc3_store *st, const char *range, int flags, const char *path,
		     uc3_history_skip_fn skip, uc3_history_fn fn, void *ctx);

/*
 * Read path in the tree of commit rev (hex id) into out. UC3_ENOTFOUND
 * when the commit has no such file. *blob (may be NULL) gets the hex id
 * of the file's blob, so callers can cache what they parse from it.
 */
int uc3_history_read_at(struct uc3_buf *out, char blob[41], struct uc3_store *st, const char *rev,
			const char *path);

/*
 * For a pre-receive hook: make the objects of a push that git keeps in
 * quarantine (GIT_OBJECT_DIRECTORY, GIT_QUARANTINE_PATH) readable.
 */
int uc3_history_use_quarantine(struct uc3_store *st);

/*
 * Check the signatures of n commits (hex ids) as git does (git log %G?),
 * writing one uc3_sig per commit to out. Unsigned commits cost nothing;
 * the signed ones are checked in one git process.
 */
int
uc3_history_signatures(struct uc3_store *st, const char *const *ids, size_t n, enum uc3_sig *out);

#endif
