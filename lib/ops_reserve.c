#include "ops.h"

/*
 * Blocks of ticket numbers for writes made offline (see ops.h): while the
 * central can be reached, a clone sets aside the next central.offline_ids
 * numbers of a year in reserved.yaml, in a commit of its own, so that a
 * ticket registered while it cannot be reached gets an id that never
 * changes and that no other clone gives.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "error.h"
#include "message.h"
#include "records.h"
#include "remote.h"
#include "reserve.h"
#include "xalloc.h"

struct reserve_ctx {
	int year;
	const char *email;
	char *clone;
	char *at;
	struct uc3_reserve_block made; /* first and last of the block written, 0 when none */
};

/* Enough is left of this clone's blocks: none to add. */
static bool
enough_left(const struct uc3_records_spare *spare, long size)
{
	return spare->left && spare->left * 2 >= (unsigned long)size;
}

/*
 * On every attempt, from the tree it builds on: another write of this
 * clone (or a retry) may have set a block aside meanwhile, and tickets or
 * blocks of others may have taken the numbers above.
 */
static int
reserve_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct reserve_ctx *c = vctx;
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_reserve r;
	struct uc3_records_spare spare;
	struct uc3_buf old = UC3_BUF_INIT, first = UC3_BUF_INIT, last = UC3_BUF_INIT;
	struct uc3_buf *data;
	struct uc3_reserve_block b = { 0 };
	unsigned long top;
	int rc;

	c->made.first = c->made.last = 0;
	if ((rc = uc3_records_reserved(&r, st)) < 0)
		return rc;
	if (p->offline_ids <= 0 || ((rc = uc3_records_spare(&spare, st, &r, c->year)) == 0 &&
				    enough_left(&spare, p->offline_ids))) {
		uc3_reserve_release(&r);
		w->allow_empty = true;
		return rc;
	}
	if (rc < 0)
		goto out;
	top = uc3_records_top_number(st, c->year);
	if (uc3_reserve_top(&r, c->year) > top)
		top = uc3_reserve_top(&r, c->year);
	if (top > UC3_TICKET_NUM_MAX - (unsigned long)p->offline_ids) {
		rc = uc3_error_set(UC3_EINVAL,
				   "the ticket numbers of %d have run out: no block of %ld is left "
				   "above %lu",
				   c->year, p->offline_ids, top);
		goto out;
	}
	b.year = c->year;
	b.first = top + 1;
	b.last = top + (unsigned long)p->offline_ids;
	b.clone = c->clone;
	b.by = (char *)c->email;
	b.at = c->at;
	rc = uc3_store_read(&old, st, UC3_RESERVE_FILE);
	if (rc == UC3_ENOTFOUND) {
		uc3_error_clear();
		uc3_reserve_header(&old);
	} else if (rc < 0) {
		goto out;
	}
	data = uc3_write_add(w, UC3_RESERVE_FILE);
	uc3_buf_add(data, old.ptr, old.len);
	if ((rc = uc3_reserve_format_block(data, &b)) < 0)
		goto out;
	uc3_ticket_id_format(&first, p->id_prefix, b.year, b.first);
	uc3_ticket_id_format(&last, p->id_prefix, b.year, b.last);
	uc3_message_reserve(&w->message, first.ptr, last.ptr);
	c->made.first = b.first;
	c->made.last = b.last;
	rc = 0;
out:
	uc3_reserve_release(&r);
	uc3_buf_release(&old);
	uc3_buf_release(&first);
	uc3_buf_release(&last);
	return rc;
}

int
uc3_op_reserve(struct uc3_store *st, int year, char **said)
{
	const struct uc3_policy *p;
	struct reserve_ctx c = { 0 };
	struct uc3_write_result res = { 0 };
	const char *name;
	time_t now;
	int rc;

	if (said)
		*said = NULL;
	if ((rc = uc3_remote_sync(st)) < 0)
		return rc;
	p = uc3_store_policy(st);
	if (p->offline_ids <= 0)
		return 0;
	if ((rc = uc3_store_actor(&name, &c.email, st)) < 0)
		return rc;
	if (p->npeople && !uc3_policy_person(p, c.email))
		return uc3_error_set(UC3_EDENIED,
				     "%s is not one of the people in uc3.yaml: only they set "
				     "ticket numbers aside for offline use",
				     c.email);
	if ((rc = uc3_clock_now(&now)) < 0 ||
	    (rc = uc3_clock_format_str(&c.at, now, p->timezone)) < 0)
		goto out;
	if ((rc = uc3_store_clone(&c.clone, st, true)) < 0)
		goto out;
	c.year = year;
	if ((rc = uc3_store_write(st, reserve_edit, &c, &res)) < 0)
		goto out;
	rc = 0;
	if (c.made.first && res.commit[0]) {
		struct uc3_buf line = UC3_BUF_INIT;

		p = uc3_store_policy(st);
		uc3_buf_adds(&line, "set aside ");
		uc3_ticket_id_format(&line, p->id_prefix, year, c.made.first);
		uc3_buf_adds(&line, " to ");
		uc3_ticket_id_format(&line, p->id_prefix, year, c.made.last);
		uc3_buf_adds(&line, " for tickets registered offline");
		if (said)
			*said = uc3_buf_detach(&line);
		uc3_buf_release(&line);
		rc = 1;
	}
out:
	uc3_write_result_release(&res);
	free(c.clone);
	free(c.at);
	return rc;
}
