#ifndef UC3_OPS_INT_H
#define UC3_OPS_INT_H

/*
 * Private to the files of the ops module (ops.c, ops_attach.c): the
 * preparation every write on a ticket shares. Not an API.
 */

#include "store.h"
#include "ticket.h"
#include "transition.h"

/*
 * ops.c: fill in act's policy, actor and now, and load ticket id into *t
 * (uc3_ticket_free), bound to the ticket as this command first read it:
 * seen gets the id of that blob (see uc3_op_transition in ops.h).
 */
int uc3_op__prepare(struct uc3_ticket **t, struct uc3_act *act, char seen[41], struct uc3_store *st,
		    const char *id);

/*
 * A step on one ticket, done once: on the ticket as the command first
 * read it (seen), under the policy of that read; the file and message it
 * writes are kept for every attempt of the write. Only when an attempt
 * builds on a tip whose policy changed is the step done again, under that
 * policy. apply does the step on t, appending the message to msg; the
 * command's own context may hold a struct uc3_op__kept as its first member.
 */
struct uc3_op__kept {
	const char *id;
	struct uc3_act act;
	char seen[41];		  /* the blob of the ticket as the command first read it */
	struct uc3_ticket *done;  /* the ticket as the step leaves it */
	struct uc3_buf text, msg; /* its file, the commit message */
	int (*apply)(struct uc3_op__kept *k, struct uc3_ticket *t, struct uc3_buf *msg);
};

/* ops.c: do k's step on t (taken: it becomes k->done), keeping its file and message. */
int uc3_op__do(struct uc3_op__kept *k, struct uc3_ticket *t);

/*
 * ops.c, in a write's edit function: the ticket is still the blob k saw
 * (else UC3_ECONFLICT, saying so), the step is done again when the tip's
 * policy changed, and w gets the ticket's file and the message. *path
 * (free) gets the ticket's path.
 */
int
uc3_op__write_kept(struct uc3_write *w, struct uc3_store *st, struct uc3_op__kept *k, char **path);

/* ops.c: release what k holds. */
void uc3_op__kept_release(struct uc3_op__kept *k);

#endif
