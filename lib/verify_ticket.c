/*
 * The audit of what a commit does to a ticket file: the file as the
 * commit left it must be what the step its trailers name writes from the
 * file before it (transition.h does the step again), at its place, with
 * the message uc3 writes for it (message.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "error.h"
#include "message.h"
#include "records.h"
#include "ticket.h"
#include "transition.h"
#include "verify_int.h"
#include "xalloc.h"

static bool
streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/*
 * Append to out the keys of the map got that the map want does not have,
 * ", " between them. True when there is any.
 */
static bool
extra_keys(struct uc3_buf *out, const struct uc3_ynode *got, const struct uc3_ynode *want)
{
	size_t i, n = 0;

	for (i = 0; got && got->type == UC3_YMAP && i < got->n; i++) {
		if (uc3_ynode_get(want, got->keys[i]))
			continue;
		uc3_buf_addf(out, "%s%s", n++ ? ", " : "", got->keys[i]);
	}
	return n > 0;
}

/* A value of a change, quoted when short and on one line. */
static void
change_value(struct uc3_buf *out, const char *s)
{
	if (!s)
		uc3_buf_adds(out, "none");
	else if (!strchr(s, '\n') && strlen(s) < 80)
		uc3_buf_addf(out, "'%s'", s);
	else
		uc3_buf_adds(out, "another text");
}

/*
 * When the changes an edit or a reopen lists (got, b) are not the ones
 * it made (want, a), say the first that differs and return true: an old
 * value that is not what the ticket held, a new value not written, a
 * change left out or added.
 */
static bool
describe_changes(struct uc3_buf *out, const struct uc3_event *a, const struct uc3_event *b)
{
	size_t i;

	for (i = 0; i < a->nchanges && i < b->nchanges; i++) {
		const struct uc3_event_change *w = &a->changes[i], *g = &b->changes[i];

		if (!streq(w->field, g->field))
			break;
		if (!streq(w->before, g->before)) {
			uc3_buf_addf(out, "the event's old %s is ", g->field);
			change_value(out, g->before);
			uc3_buf_adds(out, " where the ticket held ");
			change_value(out, w->before);
			return true;
		}
		if (!streq(w->after, g->after)) {
			uc3_buf_addf(out, "the event's new %s is ", g->field);
			change_value(out, g->after);
			uc3_buf_adds(out, " where the ticket has ");
			change_value(out, w->after);
			return true;
		}
	}
	if (i == a->nchanges && i == b->nchanges)
		return false;
	uc3_buf_adds(out, "the event's changes are not what the step changed");
	return true;
}

/* Name the first field in which what uc3 would have written differs from the file. */
static void
describe_difference(struct uc3_buf *out, const struct uc3_ticket *want,
		    const struct uc3_ticket *got)
{
	static const char *const names[] = { "subject",
					     "kind",
					     "channel",
					     "requester name",
					     "requester email",
					     "requester phone",
					     "requester social",
					     "requester address",
					     "unit",
					     "received",
					     "level",
					     "deadline",
					     "body",
					     "answer",
					     "closed_as",
					     "duplicate_of",
					     "quarantined",
					     "message_id",
					     "sent",
					     "follows",
					     "automatic" };
	const char *w[] = { want->subject,
			    want->kind,
			    want->channel,
			    want->requester.name,
			    want->requester.email,
			    want->requester.phone,
			    want->requester.social,
			    want->requester.address,
			    want->unit,
			    want->received,
			    want->level,
			    want->deadline,
			    want->body,
			    want->answer,
			    want->closed_as,
			    want->duplicate_of,
			    want->quarantined,
			    want->message_id,
			    want->sent,
			    want->follows,
			    want->automatic };
	const char *g[] = { got->subject,
			    got->kind,
			    got->channel,
			    got->requester.name,
			    got->requester.email,
			    got->requester.phone,
			    got->requester.social,
			    got->requester.address,
			    got->unit,
			    got->received,
			    got->level,
			    got->deadline,
			    got->body,
			    got->answer,
			    got->closed_as,
			    got->duplicate_of,
			    got->quarantined,
			    got->message_id,
			    got->sent,
			    got->follows,
			    got->automatic };
	struct uc3_buf keys = UC3_BUF_INIT;
	size_t i;

	if (extra_keys(&keys, got->extra, want->extra)) {
		uc3_buf_addf(out, "the file has a field uc3 does not write: %s", keys.ptr);
		uc3_buf_release(&keys);
		return;
	}
	if (want->nevents == got->nevents && got->nevents) {
		const struct uc3_event *a = &want->events[want->nevents - 1];
		const struct uc3_event *b = &got->events[got->nevents - 1];
		static const char *const enames[] = { "role",	"from",	      "to",  "note",
						      "sender", "message_id", "step" };
		const bool has[] = { b->role && !a->role,
				     b->from && !a->from,
				     b->to && !a->to,
				     b->note && !a->note,
				     b->sender && !a->sender,
				     b->message_id && !a->message_id,
				     b->step.name && !a->step.name };

		for (i = 0; i < sizeof(enames) / sizeof(enames[0]); i++)
			if (has[i])
				uc3_buf_addf(&keys, "%s%s", keys.len ? ", " : "", enames[i]);
		if (extra_keys(&keys, b->extra, a->extra) || keys.len) {
			uc3_buf_addf(out, "the new event has a field uc3 does not write: %s",
				     keys.ptr);
			uc3_buf_release(&keys);
			return;
		}
	}
	uc3_buf_release(&keys);
	if (want->status != got->status) {
		uc3_buf_addf(out, "status is %s where the step gives %s",
			     uc3_status_name(got->status), uc3_status_name(want->status));
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (streq(w[i], g[i]))
			continue;
		if (w[i] && g[i] && !strchr(w[i], '\n') && !strchr(g[i], '\n') &&
		    strlen(w[i]) + strlen(g[i]) < 160)
			uc3_buf_addf(out, "%s is '%s' where the step gives '%s'", names[i], g[i],
				     w[i]);
		else
			uc3_buf_addf(out, "%s differs from what the step writes", names[i]);
		return;
	}
	if (want->nevents == got->nevents && got->nevents &&
	    !uc3_event_equal(&want->events[want->nevents - 1], &got->events[got->nevents - 1])) {
		const struct uc3_event *a = &want->events[want->nevents - 1];
		const struct uc3_event *b = &got->events[got->nevents - 1];

		if (!streq(a->step.due, b->step.due))
			uc3_buf_addf(out, "the event's step due is %s where the step gives %s",
				     b->step.due ? b->step.due : "none",
				     a->step.due ? a->step.due : "none");
		else if (a->step.late != b->step.late)
			uc3_buf_addf(out, "the event says late: %s, but it was %s",
				     b->step.late ? "true" : "false",
				     a->step.late ? "late" : "on time");
		else if (describe_changes(out, a, b))
			;
		else
			uc3_buf_adds(out, "the new event differs from what the step writes");
		return;
	}
	if (want->nattachments != got->nattachments) {
		uc3_buf_addf(out, "it lists %zu attachments where the step gives %zu",
			     got->nattachments, want->nattachments);
		return;
	}
	for (i = 0; i < got->nattachments; i++) {
		const struct uc3_attachment *a = &want->attachments[i], *b = &got->attachments[i];

		if (streq(a->name, b->name) && streq(a->type, b->type) && a->size == b->size &&
		    streq(a->blob, b->blob))
			continue;
		uc3_buf_addf(out, "attachments[%zu] (%s) differs from what the step writes", i,
			     b->name);
		return;
	}
	uc3_buf_adds(out, "the file is not what uc3 writes (its layout or extra fields differ)");
}

/*
 * Whether the file a commit wrote (ch) is, byte for byte, what uc3 would
 * have written (want); when not, a finding naming the first difference.
 */
static bool
written_as_uc3_would(struct uc3_verify_ctx *v, const struct uc3_commit *c,
		     const struct uc3_change *ch, struct uc3_ticket *want,
		     const struct uc3_ticket *got)
{
	struct uc3_buf text = UC3_BUF_INIT, why = UC3_BUF_INIT;
	bool same;
	size_t i;

	/* A backfill's events say so (uc3_verify_appended checked they agree). */
	for (i = v->first; v->backfill && i < want->nevents; i++)
		if (!want->events[i].backfill)
			want->events[i].backfill = uc3_xstrdup(v->backfill);
	same = uc3_ticket_format(&text, want) == 0 && text.len == ch->new_len &&
	       !memcmp(text.ptr, ch->new_data, text.len);

	if (!same) {
		describe_difference(&why, want, got);
		uc3_verify_finding(v, c->id, got->id, "%s", why.ptr);
	}
	uc3_buf_release(&text);
	uc3_buf_release(&why);
	return same;
}

/*
 * The commit message must say what the commit did: its subject line, its
 * text (the event's note) and every trailer as uc3 writes them for the
 * step (want), no trailer missing, changed or added. One finding names
 * each difference.
 */
static void
check_message(struct uc3_verify_ctx *v, const struct uc3_commit *c, const char *ticket,
	      const char *want)
{
	struct uc3_buf why = UC3_BUF_INIT, with = UC3_BUF_INIT;

	/*
	 * The trailers of time come last, as the write adds them: a
	 * backfill's reason, then the mark of a commit made offline.
	 */
	if (v->backfill || v->offline) {
		uc3_buf_adds(&with, want);
		if (v->backfill)
			uc3_buf_addf(&with, "%s: %s\n", UC3_TRAILER_BACKFILL, v->backfill);
		if (v->offline)
			uc3_buf_addf(&with, "%s: yes\n", UC3_TRAILER_OFFLINE);
		want = with.ptr;
	}
	if (!uc3_message_compare(&why, want, c->message))
		uc3_verify_finding(v, c->id, ticket,
				   "the message is not what uc3 writes for this step: %s", why.ptr);
	uc3_buf_release(&why);
	uc3_buf_release(&with);
}

/*
 * When the time at is earlier than anything before event n of t (its
 * events, its receipt), say what, in why, and return true.
 */
static bool
backdated(struct uc3_buf *why, const struct uc3_ticket *t, size_t n, time_t at)
{
	time_t latest;
	long which;

	if (!uc3_transition_latest(&latest, &which, t, n) || at >= latest)
		return false;
	if (which < 0)
		uc3_buf_addf(why, "before it was received (%s)", t->received);
	else
		uc3_buf_addf(why, "before event %ld (%s) at %s", which + 1,
			     t->events[which].action ? t->events[which].action : "?",
			     t->events[which].at);
	return true;
}

/*
 * A ticket lives at tickets/YEAR/MONTH/ID.yaml: the year of its id, the
 * month it was received (as its received time, in the policy's zone when
 * it was registered, says). uc3 writes it there and never moves it.
 */
static void
check_path(struct uc3_verify_ctx *v, const struct uc3_commit *c, const struct uc3_change *ch,
	   const struct uc3_ticket *t)
{
	int year, ry, rm;
	char *want;

	if (!uc3_ticket_id_parse(t->id, NULL, &year, NULL) || !t->received ||
	    sscanf(t->received, "%4d-%2d", &ry, &rm) != 2)
		return;
	want = uc3_records_path(t->id, year, rm);
	if (strcmp(want, ch->path))
		uc3_verify_finding(v, c->id, t->id,
				   "the ticket is at %s, where uc3 keeps it at %s "
				   "(the year of its id, the month it was received)",
				   ch->path, want);
	free(want);
}

/*
 * A `new` commit: the ticket must be one uc3 new registers, with what it
 * checks of what was typed, at its own id, byte for byte as it writes it.
 */
static void
check_new(struct uc3_verify_ctx *v, const struct uc3_commit *c, const struct uc3_ticket *newer,
	  const struct uc3_change *ch, const struct uc3_policy *p, time_t at)
{
	const struct uc3_event *ev = &newer->events[0];
	struct uc3_ticket *want = NULL;
	struct uc3_act act = { 0 };
	struct uc3_buf msg = UC3_BUF_INIT;
	char *where = NULL;
	int year, ry = 0;
	time_t rec;

	if (uc3_transition_may_register(p, c->author_email) < 0) {
		if (!v->stranger)
			uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, newer->id, "%s",
						uc3_error_last());
		goto out;
	}
	if (uc3_transition_new_check(newer, p) < 0) {
		uc3_verify_finding(v, c->id, newer->id, "uc3 new refuses it: %s", uc3_error_last());
		goto out;
	}
	/* Its id: the policy's prefix and the year it was received. */
	if (!uc3_ticket_id_parse(newer->id, p->id_prefix, &year, NULL) ||
	    sscanf(newer->received, "%4d", &ry) != 1 || year != ry) {
		uc3_verify_finding(v, c->id, newer->id,
				   "the id %s is not one uc3 new gives a ticket received %s under "
				   "the prefix %s",
				   newer->id, newer->received, p->id_prefix);
		goto out;
	}
	if (uc3_verify_in_parent(&where, v, c, newer->id))
		uc3_verify_finding(v, c->id, newer->id,
				   "Action new, but %s is already in the tree, at %s", newer->id,
				   where);
	if (newer->nevents != 1 || newer->status != UC3_STATUS_OPEN || !p->nroles ||
	    !streq(newer->level, p->roles[0].id) || newer->answer || ev->step.name) {
		uc3_verify_finding(v, c->id, newer->id,
				   "a new ticket must be open at %s with one event and no answer",
				   p->nroles ? p->roles[0].id : "the bottom of the chain");
		goto out;
	}
	/* What uc3 new writes from what the file says was typed, then and by whom. */
	act.policy = p;
	act.actor = ev->by;
	act.now = at;
	if (uc3_clock_parse(&rec, newer->received, NULL) < 0 ||
	    uc3_transition_new(&want, newer, &act, rec) < 0 ||
	    !streq(want->deadline, newer->deadline)) {
		uc3_verify_finding(v, c->id, newer->id, "deadline is %s where the step gives %s",
				   newer->deadline ? newer->deadline : "none",
				   want ? want->deadline : "?");
		goto out;
	}
	if (rec > at + v->o->skew) {
		uc3_verify_finding(v, c->id, newer->id, "received %s, after it was registered (%s)",
				   newer->received, ev->at);
		goto out;
	}
	if (!written_as_uc3_would(v, c, ch, want, newer))
		goto out;
	if (newer->quarantined && !uc3_verify_removes_quarantined(v, newer->quarantined))
		uc3_verify_finding(v, c->id, newer->id,
				   "quarantined: %s, but the commit does not remove that file "
				   "from the quarantine",
				   newer->quarantined);
	uc3_message_new(&msg, want);
	check_message(v, c, newer->id, msg.ptr);
out:
	uc3_error_clear();
	uc3_ticket_free(want);
	uc3_buf_release(&msg);
	free(where);
}

/*
 * A ticket's file as this commit left it must be exactly what its step
 * writes from the file before it, under the policy before it, at its
 * place, and the commit's message what uc3 writes for that step.
 */
void
uc3_verify_check_ticket(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			const struct uc3_change *ch, const struct uc3_policy *p)
{
	struct uc3_ticket *old = NULL, *newer = NULL, *want = NULL;
	struct uc3_buf msg = UC3_BUF_INIT, why = UC3_BUF_INIT;
	char *tid = NULL, *action = NULL, *name = NULL, *where = NULL;
	const char *slash = strrchr(ch->path, '/');
	const struct uc3_event *ev;
	time_t at;
	size_t i, first;

	name = uc3_xstrdup(slash ? slash + 1 : ch->path);
	if (strlen(name) > 5 && !strcmp(name + strlen(name) - 5, ".yaml"))
		name[strlen(name) - 5] = '\0';
	if (!ch->new_mode) {
		uc3_verify_finding(v, c->id, name, "removes the ticket file %s", ch->path);
		goto out;
	}
	if (!ch->new_data) {
		uc3_verify_finding(v, c->id, name,
				   "the file does not read: %s: %zu bytes, over the limit of %zu",
				   ch->path, ch->new_len, (size_t)UC3_TICKET_FILE_MAX);
		goto out;
	}
	if (uc3_ticket_parse(&newer, ch->new_data, ch->new_len, ch->path) < 0) {
		uc3_verify_finding(v, c->id, name, "the file does not read: %s", uc3_error_last());
		goto out;
	}
	tid = uc3_message_trailer(c->message, "Ticket");
	action = uc3_message_trailer(c->message, "Action");
	if (!tid || !action) {
		uc3_verify_finding(
			v, c->id, newer->id,
			"changes %s without uc3's trailers (Ticket, Action): edited outside uc3",
			ch->path);
		goto out;
	}
	if (strcmp(tid, newer->id) || strcmp(name, newer->id)) {
		uc3_verify_finding(v, c->id, newer->id,
				   "the Ticket trailer says %s, the file %s holds %s", tid,
				   ch->path, newer->id);
		goto out;
	}
	if (ch->old_mode && !ch->old_data) {
		uc3_verify_finding(v, c->id, newer->id,
				   "the file before this commit does not read: %s: %zu bytes, over "
				   "the limit of %zu",
				   ch->path, ch->old_len, (size_t)UC3_TICKET_FILE_MAX);
		goto out;
	}
	if (ch->old_data && uc3_ticket_parse(&old, ch->old_data, ch->old_len, ch->path) < 0) {
		uc3_verify_finding(v, c->id, newer->id,
				   "the file before this commit does not read: %s",
				   uc3_error_last());
		goto out;
	}
	if (!p) {
		uc3_verify_finding(v, c->id, newer->id,
				   "there is no readable policy to check it against");
		goto out;
	}
	if (!newer->nevents) {
		uc3_verify_finding(v, c->id, newer->id, "the ticket has no events");
		goto out;
	}
	check_path(v, c, ch, newer);
	/* Earlier events stay as they were, byte for byte. */
	if (old) {
		for (i = 0; i < old->nevents; i++) {
			if (i >= newer->nevents) {
				uc3_verify_finding(v, c->id, newer->id,
						   "event %zu (%s at %s) was removed", i + 1,
						   old->events[i].action, old->events[i].at);
				goto out;
			}
			if (!uc3_event_equal(&old->events[i], &newer->events[i])) {
				uc3_verify_finding(v, c->id, newer->id,
						   "event %zu (%s at %s) was changed", i + 1,
						   old->events[i].action, old->events[i].at);
				goto out;
			}
		}
		/* answer --send appends the answer and its deliver by mail. */
		if (newer->nevents != old->nevents + 1 &&
		    !(newer->nevents == old->nevents + 2 && !strcmp(action, "answer") &&
		      uc3_transition_by_mail(&newer->events[newer->nevents - 1]))) {
			uc3_verify_finding(v, c->id, newer->id,
					   "appends %zu events where %s appends one",
					   newer->nevents - old->nevents, action);
			goto out;
		}
	}
	first = old ? old->nevents : newer->nevents - 1;
	ev = &newer->events[first];
	if (!uc3_verify_appended(v, c, newer, first))
		goto out;
	if (!streq(ev->action, action)) {
		uc3_verify_finding(v, c->id, newer->id,
				   "the Action trailer says %s, the event it appends says %s",
				   action, ev->action);
		goto out;
	}
	if (!ev->by || strcasecmp(ev->by, c->author_email)) {
		uc3_verify_finding(v, c->id, newer->id, "the event is by %s, the commit by %s",
				   ev->by ? ev->by : "nobody", c->author_email);
		goto out;
	}
	if (uc3_clock_parse(&at, ev->at, NULL) < 0) {
		uc3_verify_finding(v, c->id, newer->id, "the event's time '%s' does not read",
				   ev->at);
		goto out;
	}
	if ((long long)at > c->commit_time + v->o->skew) {
		struct uc3_buf ct = UC3_BUF_INIT;

		uc3_clock_format(&ct, (time_t)c->commit_time, p->timezone);
		uc3_verify_finding(v, c->id, newer->id,
				   "the event is dated %s, after its commit (%s)", ev->at, ct.ptr);
		uc3_buf_release(&ct);
		goto out;
	}

	/* Do the step again, from the file before, and compare. */
	if (!strcmp(action, "new")) {
		if (old) {
			uc3_verify_finding(v, c->id, newer->id,
					   "Action new, but the ticket was there before");
			goto out;
		}
		check_new(v, c, newer, ch, p, at);
		goto out;
	}
	/* Events never go back in time, nor before the ticket was received. */
	if (backdated(&why, newer, first, at)) {
		uc3_verify_finding(v, c->id, newer->id, "the event is dated %s, %s: backdated",
				   ev->at, why.ptr);
		goto out;
	}
	if (!strcmp(action, "attach")) {
		if (uc3_verify_replay_attach(v, c, ch, newer, p, at, &want, &msg) == 0 &&
		    written_as_uc3_would(v, c, ch, want, newer))
			check_message(v, c, newer->id, msg.ptr);
		goto out;
	}
	{
		struct uc3_act act = { 0 };

		if (!uc3_transition_action(&act.action, action)) {
			uc3_verify_finding(v, c->id, newer->id, "unknown action '%s'", action);
			goto out;
		}
		if (!old) {
			uc3_verify_finding(v, c->id, newer->id,
					   "Action %s, but the ticket was not there before",
					   action);
			goto out;
		}
		if (uc3_transition_allowed(old, p, act.action, ev->by) < 0) {
			if (!v->stranger)
				uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, newer->id, "%s",
							uc3_error_last());
			goto out;
		}
		/* A correction needs a role of the policy's corrections. */
		if (uc3_transition_may_correct(old, p, ev) < 0) {
			if (!v->stranger)
				uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, newer->id, "%s",
							uc3_error_last());
			goto out;
		}
		if (ev->of && !uc3_verify_in_parent(&where, v, c, ev->of)) {
			uc3_verify_finding(
				v, c->id, newer->id,
				"closed as a duplicate of %s, which is not in the records", ev->of);
			goto out;
		}
		act.policy = p;
		act.actor = ev->by;
		act.now = at;
		if (uc3_ticket_parse(&want, ch->old_data, ch->old_len, ch->path) < 0 ||
		    uc3_transition_replay(want, &msg, newer, &act) < 0) {
			uc3_verify_finding(v, c->id, newer->id, "%s", uc3_error_last());
			goto out;
		}
		if (!written_as_uc3_would(v, c, ch, want, newer))
			goto out;
		check_message(v, c, newer->id, msg.ptr);
	}
out:
	uc3_ticket_free(old);
	uc3_ticket_free(newer);
	uc3_ticket_free(want);
	uc3_buf_release(&msg);
	uc3_buf_release(&why);
	free(tid);
	free(action);
	free(name);
	free(where);
}

/*
 * Whether uc3 mails to about t under p: the acknowledgement goes to the
 * requester, every other notice to a person p lists or an address of
 * notify.fallback.
 */
static bool
notice_recipient(const struct uc3_policy *p, const struct uc3_ticket *t, const char *to,
		 const char *about)
{
	size_t i;

	if (about && !strcmp(about, UC3_ABOUT_RECEIVED))
		return t->requester.email && !strcasecmp(t->requester.email, to);
	if (uc3_policy_person(p, to))
		return true;
	for (i = 0; i < p->nnotify_fallback; i++)
		if (!strcasecmp(p->notify_fallback[i], to))
			return true;
	return false;
}

/*
 * uc3 overdue --mail records the notices of one run in one commit: each
 * ticket it touches only gains `notice` events, by the commit's author,
 * each to somebody uc3 mails (notice_recipient).
 */
void
uc3_verify_check_notices(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			 const struct uc3_change *ch, const struct uc3_policy *p)
{
	struct uc3_ticket *old = NULL, *newer = NULL;
	struct uc3_act act = { 0 };
	struct uc3_buf text = UC3_BUF_INIT, why = UC3_BUF_INIT;
	size_t i;

	if (!ch->old_data || !ch->new_data ||
	    uc3_ticket_parse(&old, ch->old_data, ch->old_len, ch->path) < 0 ||
	    uc3_ticket_parse(&newer, ch->new_data, ch->new_len, ch->path) < 0) {
		uc3_verify_finding(v, c->id, NULL,
				   "%s: a notice commit must only add events to a ticket "
				   "that reads before and after",
				   ch->path);
		goto out;
	}
	if (!p) {
		uc3_verify_finding(v, c->id, newer->id,
				   "there is no readable policy to check it against");
		goto out;
	}
	act.policy = p;
	if (uc3_transition_may_notify(p, c->author_email) < 0) {
		if (!v->stranger)
			uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, newer->id, "%s",
						uc3_error_last());
		goto out;
	}
	for (i = 0; i < old->nevents; i++)
		if (i >= newer->nevents || !uc3_event_equal(&old->events[i], &newer->events[i])) {
			uc3_verify_finding(v, c->id, newer->id, "event %zu (%s at %s) was %s",
					   i + 1, old->events[i].action, old->events[i].at,
					   i >= newer->nevents ? "removed" : "changed");
			goto out;
		}
	if (newer->nevents == old->nevents) {
		uc3_verify_finding(v, c->id, newer->id, "a notice commit that appends no notice");
		goto out;
	}
	if (!uc3_verify_appended(v, c, newer, old->nevents))
		goto out;
	for (i = old->nevents; i < newer->nevents; i++) {
		const struct uc3_event *e = &newer->events[i];
		time_t at;

		if (!e->action || strcmp(e->action, "notice") || !e->to) {
			uc3_verify_finding(v, c->id, newer->id,
					   "event %zu is not a notice (action, to, step)", i + 1);
			goto out;
		}
		if (!uc3_transition_about_ok(e->about)) {
			uc3_verify_finding(
				v, c->id, newer->id,
				"event %zu is a notice about '%s', which uc3 does not send", i + 1,
				e->about);
			goto out;
		}
		/* The acknowledgement is about no step; every other notice is about one. */
		if (e->about && !strcmp(e->about, UC3_ABOUT_RECEIVED)
			    ? e->step.name != NULL
			    : !e->step.name || !e->step.due) {
			uc3_verify_finding(v, c->id, newer->id,
					   "event %zu is a notice %s a step where uc3 writes %s",
					   i + 1, e->step.name ? "about" : "without",
					   e->step.name ? "none" : "one");
			goto out;
		}
		if (!e->by || strcasecmp(e->by, c->author_email)) {
			uc3_verify_finding(v, c->id, newer->id,
					   "the notice is by %s, the commit by %s",
					   e->by ? e->by : "nobody", c->author_email);
			goto out;
		}
		if (!notice_recipient(p, old, e->to, e->about)) {
			uc3_verify_finding(
				v, c->id, newer->id,
				"event %zu is a notice to %s, whom uc3 does not mail: %s", i + 1,
				e->to,
				e->about && !strcmp(e->about, UC3_ABOUT_RECEIVED)
					? "not the requester"
					: "nobody in uc3.yaml's people or notify.fallback");
			goto out;
		}
		if (!e->at || uc3_clock_parse(&at, e->at, NULL) < 0 ||
		    (long long)at > c->commit_time + v->o->skew) {
			uc3_verify_finding(v, c->id, newer->id,
					   "the notice is dated %s, after its commit",
					   e->at ? e->at : "?");
			goto out;
		}
		if (backdated(&why, newer, i, at)) {
			uc3_verify_finding(v, c->id, newer->id,
					   "the notice is dated %s, %s: backdated", e->at, why.ptr);
			goto out;
		}
		/* The old ticket with the notices uc3 writes appended must be the new file. */
		act.actor = e->by;
		act.now = at;
		uc3_transition_notice(old, &act,
				      &(struct uc3_notice){ e->to, e->about, e->step.name,
							    e->step.due, e->message_id });
		if (v->backfill)
			old->events[old->nevents - 1].backfill = uc3_xstrdup(v->backfill);
	}
	if (uc3_ticket_format(&text, old) < 0 || text.len != ch->new_len ||
	    memcmp(text.ptr, ch->new_data, text.len))
		uc3_verify_finding(v, c->id, newer->id,
				   "a notice commit changed more than the notices");
out:
	uc3_ticket_free(old);
	uc3_ticket_free(newer);
	uc3_buf_release(&text);
	uc3_buf_release(&why);
}
