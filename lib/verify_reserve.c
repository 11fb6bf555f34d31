/*
 * The audit of reserved.yaml, the blocks of ticket numbers set aside for
 * tickets registered offline: uc3 only ever appends one block a commit
 * (Action: reserve), above every ticket and block of its year, so that a
 * number given offline is never given twice; and only a commit made
 * offline registers a ticket with a number of a block.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "message.h"
#include "records.h"
#include "reserve.h"
#include "ticket.h"
#include "verify_int.h"

/*
 * The blocks in the tree of c's parent: kept from the commit before when
 * the walk just passed it, else read there. NULL when there is no parent
 * or the file does not read there (the commit that broke it was a
 * finding).
 */
static const struct uc3_reserve *
blocks_before(struct uc3_verify_ctx *v, const struct uc3_commit *c)
{
	struct uc3_buf data = UC3_BUF_INIT;
	int rc;

	if (!c->nparents)
		return NULL;
	if (strcmp(v->reserve_at, c->parent)) {
		uc3_reserve_release(&v->reserve);
		rc = uc3_history_read_at(&data, NULL, v->st, c->parent, UC3_RESERVE_FILE);
		if (rc == UC3_ENOTFOUND)
			rc = 0;
		else if (rc == 0)
			rc = uc3_reserve_parse(&v->reserve, data.ptr, data.len, UC3_RESERVE_FILE);
		uc3_error_clear();
		uc3_buf_release(&data);
		v->reserve_ok = rc == 0;
		memcpy(v->reserve_at, c->parent, sizeof(v->reserve_at));
	}
	return v->reserve_ok ? &v->reserve : NULL;
}

void
uc3_verify_reserve_after(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			 const struct uc3_change *ch, size_t nch)
{
	size_t i;

	for (i = 0; i < nch; i++) {
		if (strcmp(ch[i].path, UC3_RESERVE_FILE))
			continue;
		uc3_reserve_release(&v->reserve);
		v->reserve_ok =
			!ch[i].new_mode ||
			(ch[i].new_data && uc3_reserve_parse(&v->reserve, ch[i].new_data,
							     ch[i].new_len, UC3_RESERVE_FILE) == 0);
		uc3_error_clear();
		memcpy(v->reserve_at, c->id, sizeof(v->reserve_at));
		return;
	}
	if (!strcmp(v->reserve_at, c->nparents ? c->parent : ""))
		memcpy(v->reserve_at, c->id, sizeof(v->reserve_at));
}

void
uc3_verify_reserve_release(struct uc3_verify_ctx *v)
{
	uc3_reserve_release(&v->reserve);
}

void
uc3_verify_check_reserved_number(struct uc3_verify_ctx *v, const struct uc3_commit *c,
				 const struct uc3_change *ch)
{
	const struct uc3_reserve *r;
	const struct uc3_reserve_block *b;
	const char *slash = strrchr(ch->path, '/');
	char id[256], *offline;
	unsigned long num;
	int year;

	snprintf(id, sizeof(id), "%.*s", (int)(strlen(slash + 1) - 5), slash + 1);
	if (!uc3_ticket_id_parse(id, NULL, &year, &num) || !(r = blocks_before(v, c)) ||
	    !(b = uc3_reserve_holding(r, year, num)))
		return;
	offline = uc3_message_trailer(c->message, UC3_TRAILER_OFFLINE);
	if (!offline || strcmp(offline, "yes"))
		uc3_verify_finding(v, c->id, v->ticket,
				   "registers %s, a number set aside for offline use (%d: %lu to "
				   "%lu, clone %s), but was not made offline (no Offline: yes)",
				   id, b->year, b->first, b->last, b->clone);
	free(offline);
}

/* The block c appends (the last of now), checked against what was before it. */
static void
check_block(struct uc3_verify_ctx *v, const struct uc3_commit *c, const struct uc3_reserve *before,
	    const struct uc3_reserve *now, const struct uc3_policy *p)
{
	const struct uc3_reserve_block *b = &now->blocks[now->n - 1];
	const char *prefix = p ? p->id_prefix : "UC3";
	struct uc3_buf first = UC3_BUF_INIT, last = UC3_BUF_INIT, want = UC3_BUF_INIT;
	unsigned long top, tickets, n = b->last - b->first + 1;
	char *reserved;

	uc3_ticket_id_format(&first, prefix, b->year, b->first);
	uc3_ticket_id_format(&last, prefix, b->year, b->last);
	top = uc3_reserve_top(before, b->year);
	if (b->first <= top)
		uc3_verify_finding(v, c->id, NULL,
				   "sets aside %s to %s, but an earlier block of %d goes up to %lu",
				   first.ptr, last.ptr, b->year, top);
	if (uc3_records_top_number_at(&tickets, v->st, c->parent, b->year) < 0)
		uc3_verify_finding(v, c->id, NULL, "cannot read the tickets before it: %s",
				   uc3_error_last());
	else if (b->first <= tickets)
		uc3_verify_finding(
			v, c->id, NULL,
			"sets aside %s to %s, but the tickets of %d already go up to %lu",
			first.ptr, last.ptr, b->year, tickets);
	/*
	 * A block further up would move every later online id above it: one
	 * near the highest number an id carries ends the year's numbers.
	 */
	else if (b->first > (tickets > top ? tickets : top) + 1)
		uc3_verify_finding(v, c->id, NULL,
				   "sets aside %s to %s, but the next number of %d is %lu: uc3 "
				   "sets aside the numbers right above every ticket and block",
				   first.ptr, last.ptr, b->year,
				   (tickets > top ? tickets : top) + 1);
	uc3_error_clear();
	if (p && n != (unsigned long)p->offline_ids)
		uc3_verify_finding(
			v, c->id, NULL,
			"sets aside %lu numbers, where central.offline_ids in the policy "
			"before it gives %ld",
			n, p->offline_ids);
	if (strcasecmp(b->by, c->author_email))
		uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, NULL,
					"sets aside a block by %s, but its author is %s", b->by,
					c->author_email);
	uc3_buf_addf(&want, "%s..%s", first.ptr, last.ptr);
	reserved = uc3_message_trailer(c->message, "Reserved");
	if (!reserved || strcmp(reserved, want.ptr))
		uc3_verify_finding(v, c->id, NULL,
				   "the message is not what uc3 writes to set numbers aside: "
				   "Reserved: %s where the block is %s",
				   reserved ? reserved : "(none)", want.ptr);
	free(reserved);
	uc3_buf_release(&first);
	uc3_buf_release(&last);
	uc3_buf_release(&want);
}

void
uc3_verify_check_reserve(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			 const struct uc3_change *ch, size_t nch, const struct uc3_policy *p)
{
	char *action = uc3_message_trailer(c->message, "Action");
	struct uc3_reserve before = UC3_RESERVE_INIT, now = UC3_RESERVE_INIT;

	if (!ch->new_mode) {
		uc3_verify_finding(v, c->id, v->ticket,
				   "removes %s; the numbers set aside for offline use are kept "
				   "for good",
				   ch->path);
		goto out;
	}
	if (!action || strcmp(action, "reserve")) {
		uc3_verify_finding(v, c->id, v->ticket,
				   "changes %s, which only uc3 setting ticket numbers aside for "
				   "offline use does (Action: reserve)",
				   ch->path);
		goto out;
	}
	if (nch != 1) {
		uc3_verify_finding(v, c->id, NULL,
				   "changes %s together with other files; setting ticket numbers "
				   "aside changes that one file",
				   ch->path);
		goto out;
	}
	if (!ch->new_data) {
		uc3_verify_finding(v, c->id, NULL, "%s cannot be read (%zu bytes)", ch->path,
				   ch->new_len);
		goto out;
	}
	if (ch->old_mode && (!ch->old_data || ch->new_len < ch->old_len ||
			     memcmp(ch->old_data, ch->new_data, ch->old_len))) {
		uc3_verify_finding(v, c->id, NULL,
				   "rewrites %s: the blocks before it are not kept byte for byte; "
				   "uc3 only appends one",
				   ch->path);
		goto out;
	}
	if (uc3_reserve_parse(&now, ch->new_data, ch->new_len, ch->path) < 0) {
		uc3_verify_finding(v, c->id, NULL, "%s", uc3_error_last());
		goto out;
	}
	if (ch->old_mode && uc3_reserve_parse(&before, ch->old_data, ch->old_len, ch->path) < 0) {
		uc3_verify_finding(v, c->id, NULL, "appends to a %s that does not read: %s",
				   ch->path, uc3_error_last());
		goto out;
	}
	if (now.n != before.n + 1)
		uc3_verify_finding(v, c->id, NULL,
				   "appends %zu blocks to %s; uc3 appends one a commit",
				   now.n - before.n, ch->path);
	else
		check_block(v, c, &before, &now, p);
out:
	uc3_error_clear();
	uc3_reserve_release(&before);
	uc3_reserve_release(&now);
	free(action);
}
