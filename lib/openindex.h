#ifndef UC3_OPENINDEX_H
#define UC3_OPENINDEX_H

#include <stdbool.h>
#include <stddef.h>

#include "records.h"
#include "store.h"

/*
 * The open-ticket index, $GIT_DIR/uc3/open-index: the ticket files of the
 * tip that are not closed, and those that do not read, with what uc3
 * overdue needs of each. Reading every ticket is too slow for a large
 * archive, and most of an archive is closed. The index is keyed by the id
 * of the tickets/ tree it was built from and brought up to date from the
 * difference between that tree and the branch tip: it is never stale after
 * a commit, a pull or a hand edit committed with git. It is only a cache:
 * one that is missing, of another format or unreadable is built again from
 * a walk of every ticket, and one that cannot be written is not an error.
 *
 * Which files it holds: every file uc3_records_foreach visits except those
 * uc3_ticket_peek_status reads as closed and those that parse as closed.
 * A file over the store's size limit, or that does not parse, is held as
 * broken, with the message its reading gave.
 */

struct uc3_openindex_entry {
	char *path; /* tickets/YEAR/MM/NAME */
	/* From the file; NULL when broken. level and deadline: "" when it has none. */
	char *id, *status, *level, *deadline, *subject;
	/*
	 * What mail may still be owed, judged without the policy (which may
	 * change without the ticket changing): "a" an acknowledgement, "e"
	 * the escalation notice, both, or "" (uc3_notify_owed);
	 * uc3_notify_owed_under decides. NULL when broken.
	 */
	char *pend;
	/* The Message-IDs of its mails (its own, and each event's), blank-separated. */
	char *mail;
	/* "path:line:col: what" of a file that does not read, else NULL. */
	char *broken;
};

struct uc3_openindex {
	char tree[41]; /* the tickets/ tree (hex) the entries are of, "" for none */
	struct uc3_openindex_entry *e;
	size_t n, alloc;
	bool dirty; /* changed since it was read: to be written */
};

/*
 * Bring the index of st to the tip's tickets/ tree (from the tree diff, or
 * from a walk of every ticket when there is no usable index), write it
 * back when it changed, and hand its entries to *out, in path order (the
 * order uc3_records_foreach visits them in). Returns 0, or a negative
 * UC3_E* from reading the records, when *out holds nothing. Release *out
 * with uc3_openindex_release.
 */
int uc3_openindex_update(struct uc3_openindex *out, struct uc3_store *st);

void uc3_openindex_release(struct uc3_openindex *ix);

/*
 * Call fn, as uc3_records_visit_paths does, for each file of ix (as
 * uc3_openindex_update gave it, in its order) with its contents at the
 * tip. They come from a copy kept beside the index,
 * $GIT_DIR/uc3/open-files, brought up to ix's tree from the tree diff as
 * the index is: reading a thousand blobs from a pack, each rebuilt from
 * a chain of deltas, costs several times more. A file the copy lacks is
 * read from the tip and kept. A non-zero return from fn stops and is
 * returned.
 */
int uc3_openindex_visit(const struct uc3_openindex *ix, struct uc3_store *st,
			uc3_records_visit_fn fn, void *ctx);

#endif
