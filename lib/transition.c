#include "transition.h"

#include <stdlib.h>
#include <string.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const names[] = { "escalate", "answer", "deliver", "close" };

const char *
uc3_action_name(enum uc3_action a)
{
	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

const char *
uc3_ticket_step(const struct uc3_ticket *t)
{
	switch (t->status) {
	case UC3_STATUS_OPEN:
		return t->level;
	case UC3_STATUS_ANSWERED:
		return "deliver";
	case UC3_STATUS_DELIVERED:
		return "archive";
	default:
		return NULL;
	}
}

static bool
person_has(const struct uc3_person *who, const char *role)
{
	size_t i;

	for (i = 0; i < who->nroles; i++)
		if (!strcmp(who->roles[i], role))
			return true;
	return false;
}

static int
not_listed(const char *actor)
{
	return uc3_error_set(UC3_EDENIED,
			     "%s is not one of the people in uc3.yaml; "
			     "ask the head of the chain to add you",
			     actor ? actor : "(nobody)");
}

int
uc3_transition_may_register(const struct uc3_policy *p, const char *actor)
{
	if (p->npeople && (!actor || !uc3_policy_person(p, actor)))
		return not_listed(actor);
	return 0;
}

int
uc3_transition_allowed(const struct uc3_ticket *t, const struct uc3_policy *p,
		       enum uc3_action action, const char *actor)
{
	const struct uc3_person *who;
	int lvl, i;

	if (!p->npeople)
		return 0;
	who = actor ? uc3_policy_person(p, actor) : NULL;
	if (!who)
		return not_listed(actor);
	/* new, deliver and close are the front desk's work: any listed person. */
	if (action != UC3_ACT_ESCALATE && action != UC3_ACT_ANSWER)
		return 0;
	lvl = t->level ? uc3_policy_role_index(p, t->level) : -1;
	if (lvl < 0)
		return uc3_error_set(UC3_EDENIED, "%s is held by '%s', which is not a role of the chain",
				     t->id, t->level ? t->level : "");
	for (i = lvl; i < (int)p->nroles; i++)
		if (person_has(who, p->roles[i].id))
			return 0;
	return uc3_error_set(UC3_EDENIED,
			     "%s cannot %s %s: it is held by %s, and that needs the %s role "
			     "or one above it",
			     actor, uc3_action_name(action), t->id, t->level, t->level);
}

/* Why an action cannot happen in this status; NULL when it can. */
static const char *
status_refusal(enum uc3_action a, enum uc3_status s)
{
	switch (a) {
	case UC3_ACT_ESCALATE:
	case UC3_ACT_ANSWER:
		if (s == UC3_STATUS_OPEN)
			return NULL;
		return s == UC3_STATUS_ANSWERED ? "is already answered"
		       : s == UC3_STATUS_DELIVERED ? "is already answered and delivered"
						   : "is closed";
	case UC3_ACT_DELIVER:
		if (s == UC3_STATUS_ANSWERED)
			return NULL;
		return s == UC3_STATUS_OPEN ? "is open, not answered yet"
		       : s == UC3_STATUS_DELIVERED ? "is already delivered"
						   : "is closed";
	case UC3_ACT_CLOSE:
		if (s == UC3_STATUS_DELIVERED)
			return NULL;
		return s == UC3_STATUS_OPEN ? "is open, not answered yet"
		       : s == UC3_STATUS_ANSWERED ? "is answered, not delivered yet"
						  : "is already closed";
	}
	return "cannot change";
}

int
uc3_transition_apply(struct uc3_ticket *t, const struct uc3_act *a, struct uc3_buf *msg)
{
	const struct uc3_policy *p = a->policy;
	const char *why = status_refusal(a->action, t->status);
	const char *step = uc3_ticket_step(t);
	const char *next_level = NULL;
	struct uc3_event *ev;
	char *note = NULL, *text = NULL, *due_step = NULL, *unit = NULL;
	time_t due_prev = 0, next_due = 0;
	bool has_due = false;
	long secs = 0;
	int lvl, rc;

	if (why)
		return uc3_error_set(UC3_EDENIED, "%s %s", t->id, why);
	/*
	 * Events never go back in time: a clock (or UC3_NOW) behind anything
	 * on the ticket, its receipt or any event (not only the last one, which
	 * a hand may have dated back), is wrong.
	 */
	{
		time_t latest;
		long which;

		if (uc3_ticket_latest(&latest, &which, t, t->nevents) && a->now < latest) {
			if (which < 0)
				return uc3_error_set(UC3_EINVAL,
						     "the time now is before %s was received (%s); "
						     "check the clock or UC3_NOW",
						     t->id, t->received);
			return uc3_error_set(UC3_EINVAL,
					     "the time now is before %s's last event (%s); "
					     "check the clock or UC3_NOW",
					     t->id, t->events[which].at);
		}
	}
	if ((rc = uc3_transition_allowed(t, p, a->action, a->actor)) < 0)
		return rc;
	if (a->note) {
		if (!uc3_utf8_valid(a->note, strlen(a->note), NULL))
			return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in the note");
		note = uc3_text_normalize(a->note, strlen(a->note));
		if ((rc = uc3_text_check(note, "the note", false)) < 0) {
			free(note);
			return rc;
		}
		/* A one-line note reads better without its final newline. */
		{
			char *nl = strchr(note, '\n');

			if (nl && nl[1] == '\0')
				*nl = '\0';
		}
		if (!*note) {
			free(note);
			note = NULL;
		}
	}
	lvl = t->level ? uc3_policy_role_index(p, t->level) : -1;
	switch (a->action) {
	case UC3_ACT_ESCALATE:
		if (lvl < 0) {
			rc = uc3_error_set(UC3_EDENIED, "%s is held by '%s', which is not a role of the chain",
					   t->id, t->level ? t->level : "");
			goto out;
		}
		if (lvl + 1 >= (int)p->nroles) {
			rc = uc3_error_set(UC3_EDENIED, "%s is already at %s, the top of the chain",
					   t->id, t->level);
			goto out;
		}
		next_level = p->roles[lvl + 1].id;
		secs = p->roles[lvl + 1].step;
		break;
	case UC3_ACT_ANSWER:
		if (!a->text || !uc3_utf8_valid(a->text, strlen(a->text), NULL)) {
			rc = uc3_error_set(UC3_EINVAL, a->text ? "invalid UTF-8 in the answer"
							       : "no answer given");
			goto out;
		}
		text = uc3_text_normalize(a->text, strlen(a->text));
		if (!*text) {
			rc = uc3_error_set(UC3_EINVAL, "the answer is empty");
			goto out;
		}
		if ((rc = uc3_text_check(text, "the answer", false)) < 0)
			goto out;
		if (strlen(text) > (p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT) + 1) {
			rc = uc3_error_set(UC3_EINVAL, "the answer is over the limit of %zu bytes",
					   p->body_limit ? p->body_limit : (size_t)UC3_BODY_LIMIT_DEFAULT);
			goto out;
		}
		secs = p->step_deliver;
		break;
	case UC3_ACT_DELIVER:
		secs = p->step_archive;
		break;
	case UC3_ACT_CLOSE:
		if ((rc = uc3_text_check(a->unit, "--unit", true)) < 0)
			goto out;
		unit = uc3_text_trim(a->unit);
		if (!t->requester.name && !t->requester.email && !t->requester.phone) {
			rc = uc3_error_set(UC3_EDENIED,
					   "%s has no requester (who sent it); the archive needs one",
					   t->id);
			goto out;
		}
		if (!unit && !t->unit) {
			rc = uc3_error_set(UC3_EDENIED,
					   "%s has no unit (where it is addressed): give --unit UNIT",
					   t->id);
			goto out;
		}
		break;
	}
	if (t->deadline && uc3_clock_parse(&due_prev, t->deadline, NULL) == 0)
		has_due = true;
	if (a->action != UC3_ACT_CLOSE &&
	    (rc = uc3_calendar_add(&next_due, &p->calendar, p->timezone, a->now, secs)) < 0)
		goto out;

	/* Nothing can fail from here on: the ticket changes. */
	due_step = uc3_xstrdup(step);
	ev = uc3_ticket_add_event(t);
	uc3_clock_format_str(&ev->at, a->now, p->timezone);
	ev->by = uc3_xstrdup(a->actor);
	ev->action = uc3_xstrdup(uc3_action_name(a->action));
	if (next_level) {
		ev->from = uc3_xstrdup(t->level);
		ev->to = uc3_xstrdup(next_level);
	}
	ev->note = note;
	note = NULL;
	ev->step.name = due_step;
	ev->step.due = t->deadline ? uc3_xstrdup(t->deadline) : NULL;
	ev->step.late = has_due && a->now > due_prev;

	switch (a->action) {
	case UC3_ACT_ESCALATE:
		free(t->level);
		t->level = uc3_xstrdup(next_level);
		break;
	case UC3_ACT_ANSWER:
		free(t->answer);
		t->answer = text;
		text = NULL;
		t->status = UC3_STATUS_ANSWERED;
		break;
	case UC3_ACT_DELIVER:
		t->status = UC3_STATUS_DELIVERED;
		break;
	case UC3_ACT_CLOSE:
		if (unit) {
			free(t->unit);
			t->unit = unit;
			unit = NULL;
		}
		t->status = UC3_STATUS_CLOSED;
		break;
	}
	if (a->action == UC3_ACT_CLOSE) {
		free(t->deadline);
		t->deadline = NULL;
	} else {
		uc3_clock_format_str(&t->deadline, next_due, p->timezone);
	}

	/* The message: a summary line, the note, then trailers (DESIGN section 7). */
	uc3_buf_addf(msg, "%s: %s", t->id, ev->action);
	if (next_level)
		uc3_buf_addf(msg, " %s -> %s", ev->from, ev->to);
	else if (a->action == UC3_ACT_ANSWER)
		uc3_buf_addf(msg, " at %s", t->level);
	if (ev->step.late)
		uc3_buf_addf(msg, " (%s step late)", due_step);
	uc3_buf_adds(msg, "\n\n");
	if (ev->note && *ev->note)
		uc3_buf_addf(msg, "%s%s\n", ev->note,
			     ev->note[strlen(ev->note) - 1] == '\n' ? "" : "\n");
	uc3_buf_addf(msg, "Ticket: %s\nAction: %s\n", t->id, ev->action);
	if (next_level)
		uc3_buf_addf(msg, "From-Level: %s\nTo-Level: %s\n", ev->from, ev->to);
	else if (a->action == UC3_ACT_ANSWER)
		uc3_buf_addf(msg, "Level: %s\n", t->level);
	uc3_buf_addf(msg, "Step: %s\nLate: %s\n", due_step, ev->step.late ? "yes" : "no");
	if (a->action == UC3_ACT_CLOSE)
		uc3_buf_addf(msg, "Unit: %s\n", t->unit);
	else
		uc3_buf_addf(msg, "Deadline: %s\n", t->deadline);
	rc = 0;
out:
	free(note);
	free(text);
	free(unit);
	return rc;
}

bool
uc3_ticket_latest(time_t *out, long *what, const struct uc3_ticket *t, size_t nevents)
{
	bool any = false;
	time_t at;
	size_t i;

	if (t->received && uc3_clock_parse(&at, t->received, NULL) == 0) {
		*out = at;
		if (what)
			*what = -1;
		any = true;
	}
	for (i = 0; i < nevents && i < t->nevents; i++) {
		if (!t->events[i].at || uc3_clock_parse(&at, t->events[i].at, NULL) < 0)
			continue;
		if (!any || at >= *out) {
			*out = at;
			if (what)
				*what = (long)i;
			any = true;
		}
	}
	uc3_error_clear();
	return any;
}

void
uc3_transition_new_message(struct uc3_buf *msg, const struct uc3_ticket *t)
{
	uc3_buf_addf(msg, "%s: new %s: %s\n\n", t->id, t->kind, t->subject);
	uc3_buf_addf(msg, "Ticket: %s\nAction: new\nKind: %s\nChannel: %s\n"
		     "To-Level: %s\nDeadline: %s\n",
		     t->id, t->kind, t->channel, t->level, t->deadline);
}

void
uc3_transition_summary(struct uc3_buf *out, const struct uc3_ticket *t,
		       const struct uc3_policy *p)
{
	const struct uc3_event *e = t->nevents ? &t->events[t->nevents - 1] : NULL;
	const struct uc3_role *r = t->level ? uc3_policy_role(p, t->level) : NULL;
	struct uc3_buf due = UC3_BUF_INIT;
	time_t d;

	if (t->deadline && uc3_clock_parse(&d, t->deadline, NULL) == 0)
		uc3_clock_format_short(&due, d, p->timezone);
	uc3_buf_addf(out, "%s: ", t->id);
	switch (t->status) {
	case UC3_STATUS_OPEN:
		if (e && e->from && e->to)
			uc3_buf_addf(out, "escalated %s -> %s", e->from, e->to);
		else
			uc3_buf_addf(out, "open at %s", t->level);
		if (r && r->name && strcmp(r->name, r->id))
			uc3_buf_addf(out, " (%s)", r->name);
		uc3_buf_addf(out, ", due %s", due.ptr);
		break;
	case UC3_STATUS_ANSWERED:
		uc3_buf_addf(out, "answered at %s; deliver it by %s", t->level, due.ptr);
		break;
	case UC3_STATUS_DELIVERED:
		uc3_buf_addf(out, "delivered; archive it by %s", due.ptr);
		break;
	case UC3_STATUS_CLOSED:
		uc3_buf_addf(out, "closed and archived (unit: %s)", t->unit ? t->unit : "-");
		break;
	}
	if (e && e->step.name && e->step.late)
		uc3_buf_addf(out, "; the %s step was late", e->step.name);
	uc3_buf_release(&due);
}

int
uc3_ticket_time_left(long *left, const struct uc3_ticket *t, const struct uc3_policy *p,
		     time_t now)
{
	time_t due;

	if (t->status == UC3_STATUS_CLOSED || !t->deadline)
		return UC3_ENOTFOUND;
	if (uc3_clock_parse(&due, t->deadline, NULL) < 0)
		return uc3_error_set(UC3_EINVAL, "%s: unreadable deadline '%s'", t->id, t->deadline);
	if (uc3_calendar_between(left, &p->calendar, p->timezone, now, due) < 0)
		return UC3_EINVAL;
	/* Past the deadline with no business time between: late all the same. */
	if (*left == 0 && now > due)
		*left = -1;
	return 0;
}

void
uc3_format_left(struct uc3_buf *out, long left)
{
	if (left >= 0) {
		uc3_clock_format_duration(out, left);
		uc3_buf_adds(out, " left");
	} else {
		uc3_buf_adds(out, "late by ");
		uc3_clock_format_duration(out, -left);
	}
}
