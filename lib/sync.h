#ifndef UC3_SYNC_H
#define UC3_SYNC_H

#include <stdbool.h>
#include <stddef.h>

#include "store.h"

/*
 * Working with the central repository (uc3.remote) and without it: what
 * waits here to be sent, uc3 sync, and uc3 sync --reset (DESIGN section
 * 7, uc3-sync(1)). A write made while the central cannot be reached is
 * committed here with the trailer "Offline: yes" and waits; the next
 * write, or uc3 sync, makes each waiting uc3 commit again on the
 * central's tip and pushes it.
 */

/* A commit here that the central lacks. */
struct uc3_waiting {
	char commit[41];
	char *ticket;	/* its Ticket trailer, or NULL */
	char *action;	/* its Action trailer; NULL: a commit made by hand */
	char *subject;	/* its first line */
	long long made; /* its author time */
	bool offline;	/* it carries "Offline: yes" */
};

struct uc3_waiting_list {
	struct uc3_waiting *v;
	size_t n, alloc;
};

/*
 * The commits of the branch that the central lacks, as far as this clone
 * knows without asking it, oldest first (the central's tip as last seen:
 * uc3-sync(1)). Empty without uc3.remote. Release with
 * uc3_waiting_list_release.
 */
int uc3_sync_waiting(struct uc3_waiting_list *out, struct uc3_store *st);
void uc3_waiting_list_release(struct uc3_waiting_list *l);
/* The oldest waiting commit about ticket id, or NULL. Borrowed from l. */
const struct uc3_waiting *uc3_waiting_find(const struct uc3_waiting_list *l, const char *id);

struct uc3_sync_result {
	char *remote;		      /* uc3.remote */
	struct uc3_waiting_list sent; /* what was sent, oldest first */
	char tip[41];		      /* the central's tip after */
	size_t fetched;		      /* commits of the central brought here */
	char *set_aside;	      /* --reset: the branch that keeps what was set aside */
	size_t nset_aside;
	char *base_name; /* the central's tip as git names it: origin/main, or a short id */
	char *warning;	 /* the work tree could not be brought along: free() */
};
void uc3_sync_result_release(struct uc3_sync_result *res);

/*
 * uc3 sync: fetch the central branch (and the central's notes of receipt
 * times, refs/notes/uc3-received), bring the branch up to it, and send
 * what waits here. Errors: UC3_ENOTFOUND without uc3.remote ("no
 * central: set git config uc3.remote"), UC3_ERROR when the central
 * cannot be reached ("cannot reach origin (REASON); 2 changes still
 * wait"), refuses, or has changed a file a waiting commit changes; what
 * waits stays here.
 */
int uc3_sync(struct uc3_sync_result *res, struct uc3_store *st);

/*
 * uc3 sync --reset: every commit here the central lacks is kept on a new
 * branch, uc3/set-aside/SHORTID (of the tip set aside; never one that
 * exists), and the branch, its index and work tree files return to the
 * central's tip. Refused, nothing changed, while a file has uncommitted
 * edits, or when the central cannot be reached.
 */
int uc3_sync_reset(struct uc3_sync_result *res, struct uc3_store *st);

#endif
