/*
 * The audit of the quarantine: quarantine/NAME.eml, a mail uc3 new
 * --mail could not read, is added only by the commit uc3 writes to keep
 * it (that one file, Action quarantine, the message uc3 writes, the name
 * the mail's bytes give), removed only by the uc3 new that registers it
 * (its ticket says quarantined: that path), and never changed.
 */
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "message.h"
#include "records.h"
#include "ticket.h"
#include "transition.h"
#include "verify_int.h"

/* The one ticket file of the commit, read: its `quarantined`, or NULL (free()). */
static char *
ticket_quarantined(const struct uc3_change *tch)
{
	struct uc3_ticket *t = NULL;
	char *q = NULL;

	if (!tch || !tch->new_mode || !tch->new_data)
		return NULL;
	if (uc3_ticket_parse(&t, tch->new_data, tch->new_len, tch->path) == 0 && t->quarantined) {
		q = t->quarantined;
		t->quarantined = NULL;
	}
	uc3_error_clear();
	uc3_ticket_free(t);
	return q;
}

static void
check_added(struct uc3_verify_ctx *v, const struct uc3_commit *c, const struct uc3_change *ch,
	    size_t nch, const struct uc3_policy *p, const char *action)
{
	const char *path = ch->path;
	const char *hex = path + strlen(path) - 16; /* the 12 digits before ".eml" */
	struct uc3_message m;
	struct uc3_buf want = UC3_BUF_INIT, why = UC3_BUF_INIT;

	if (!action || strcmp(action, "quarantine")) {
		uc3_verify_finding(v, c->id, v->ticket,
				   "adds %s, which only uc3 keeping a mail it could not read does "
				   "(Action: quarantine)",
				   path);
		return;
	}
	if (nch != 1) {
		uc3_verify_finding(v, c->id, NULL,
				   "adds %s together with other files; keeping a mail uc3 could "
				   "not read adds that one file",
				   path);
		return;
	}
	if (strncmp(hex, ch->new_id, 12))
		uc3_verify_finding(v, c->id, NULL,
				   "%s holds blob %.12s, not the mail its name says (%.12s)", path,
				   ch->new_id, hex);
	if (p && !v->stranger && uc3_transition_may_notify(p, c->author_email) < 0)
		uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, NULL, "%s", uc3_error_last());
	uc3_error_clear();
	/* The reason is the commit's own: one line, as uc3 writes it. */
	uc3_message_parse(&m, c->message);
	if (!*m.text || strchr(m.text, '\n')) {
		uc3_verify_finding(v, c->id, NULL,
				   "the message is not what uc3 writes to keep a mail: its text "
				   "is not one line giving the reason");
	} else {
		uc3_message_quarantine(&want, path, m.text);
		if (!uc3_message_compare(&why, want.ptr, c->message))
			uc3_verify_finding(v, c->id, NULL,
					   "the message is not what uc3 writes to keep a mail: %s",
					   why.ptr);
	}
	uc3_message_release(&m);
	uc3_buf_release(&want);
	uc3_buf_release(&why);
}

void
uc3_verify_check_quarantine(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			    const struct uc3_change *ch, size_t nch, const struct uc3_policy *p,
			    const struct uc3_change *ticket)
{
	char *action = uc3_message_trailer(c->message, "Action");

	if (!ch->old_mode && ch->new_mode) {
		check_added(v, c, ch, nch, p, action);
	} else if (ch->old_mode && ch->new_mode) {
		uc3_verify_finding(v, c->id, v->ticket,
				   "changes %s; a mail kept in quarantine is never changed",
				   ch->path);
	} else if (ch->old_mode) {
		char *q = action && !strcmp(action, "new") ? ticket_quarantined(ticket) : NULL;

		if (!q || strcmp(q, ch->path))
			uc3_verify_finding(v, c->id, v->ticket,
					   "removes %s; only uc3 new --quarantined %s does, "
					   "registering the mail as a ticket",
					   ch->path, ch->path);
		free(q);
	}
	free(action);
}

bool
uc3_verify_removes_quarantined(const struct uc3_verify_ctx *v, const char *path)
{
	size_t i;

	for (i = 0; i < v->nchanges; i++)
		if (!strcmp(v->changes[i].path, path) && v->changes[i].old_mode &&
		    !v->changes[i].new_mode)
			return true;
	return false;
}
