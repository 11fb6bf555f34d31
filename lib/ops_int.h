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

/* ops.c: the ticket t at path is still the blob seen, or UC3_ECONFLICT, saying so. */
int uc3_op__still_seen(struct uc3_store *st, const char *id, const char *path,
		       const struct uc3_ticket *t, const char *seen);

#endif
