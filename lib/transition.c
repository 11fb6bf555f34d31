#include "transition.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "message.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const names[] = { "escalate", "answer", "deliver", "close" };

const char *
uc3_transition_action_name(enum uc3_action a)
{
	return (unsigned)a < sizeof(names) / sizeof(names[0]) ? names[a] : "?";
}

const char *
uc3_transition_step(const struct uc3_ticket *t)
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
		return uc3_error_set(UC3_EDENIED,
				     "%s is held by '%s', which is not a role of the chain", t->id,
				     t->level ? t->level : "");
	for (i = lvl; i < (int)p->nroles; i++)
		if (person_has(who, p->roles[i].id))
			return 0;
	return uc3_error_set(UC3_EDENIED,
			     "%s cannot %s %s: it is held by %s, and that needs the %s role "
			     "or one above it",
			     actor, uc3_transition_action_name(action), t->id, t->level, t->level);
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
		return s == UC3_STATUS_ANSWERED	   ? "is already answered"
		       : s == UC3_STATUS_DELIVERED ? "is already answered and delivered"
						   : "is closed";
	case UC3_ACT_DELIVER:
		if (s == UC3_STATUS_ANSWERED)
			return NULL;
		return s == UC3_STATUS_OPEN	   ? "is open, not answered yet"
		       : s == UC3_STATUS_DELIVERED ? "is already delivered"
						   : "is closed";
	case UC3_ACT_CLOSE:
		if (s == UC3_STATUS_DELIVERED)
			return NULL;
		return s == UC3_STATUS_OPEN	  ? "is open, not answered yet"
		       : s == UC3_STATUS_ANSWERED ? "is answered, not delivered yet"
						  : "is already closed";
	}
	return "cannot change";
}

/*
 * What a step will do, worked out before anything changes: the note, the
 * answer and the unit as they will be written, the next level and the
 * next deadline.
 */
struct plan {
	char *note, *text, *unit;
	const char *next_level;
	time_t due_prev, next_due;
	bool has_due;
};

static void
plan_release(struct plan *pl)
{
	free(pl->note);
	free(pl->text);
	free(pl->unit);
	memset(pl, 0, sizeof(*pl));
}

/* Every refusal of a on t, in the order people meet them; 0 and pl filled when none. */
static int
plan_step(struct plan *pl, const struct uc3_ticket *t, const struct uc3_act *a)
{
	const struct uc3_policy *p = a->policy;
	const char *why = status_refusal(a->action, t->status);
	long secs = 0;
	int lvl, rc;

	memset(pl, 0, sizeof(*pl));
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

		if (uc3_transition_latest(&latest, &which, t, t->nevents) && a->now < latest) {
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
		pl->note = uc3_text_normalize(a->note, strlen(a->note));
		if ((rc = uc3_text_check(pl->note, "the note", false)) < 0)
			goto fail;
		/* A one-line note reads better without its final newline. */
		{
			char *nl = strchr(pl->note, '\n');

			if (nl && nl[1] == '\0')
				*nl = '\0';
		}
		if (!*pl->note) {
			free(pl->note);
			pl->note = NULL;
		}
	}
	lvl = t->level ? uc3_policy_role_index(p, t->level) : -1;
	switch (a->action) {
	case UC3_ACT_ESCALATE:
		if (lvl < 0) {
			rc = uc3_error_set(UC3_EDENIED,
					   "%s is held by '%s', which is not a role of the chain",
					   t->id, t->level ? t->level : "");
			goto fail;
		}
		if (lvl + 1 >= (int)p->nroles) {
			rc = uc3_error_set(UC3_EDENIED, "%s is already at %s, the top of the chain",
					   t->id, t->level);
			goto fail;
		}
		pl->next_level = p->roles[lvl + 1].id;
		secs = p->roles[lvl + 1].step;
		break;
	case UC3_ACT_ANSWER:
		if (!a->text || !uc3_utf8_valid(a->text, strlen(a->text), NULL)) {
			rc = uc3_error_set(UC3_EINVAL, a->text ? "invalid UTF-8 in the answer"
							       : "no answer given");
			goto fail;
		}
		pl->text = uc3_text_normalize(a->text, strlen(a->text));
		if (!*pl->text) {
			rc = uc3_error_set(UC3_EINVAL, "the answer is empty");
			goto fail;
		}
		if ((rc = uc3_text_check(pl->text, "the answer", false)) < 0)
			goto fail;
		if (strlen(pl->text) >
		    (p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT) + 1) {
			rc = uc3_error_set(UC3_EINVAL, "the answer is over the limit of %zu bytes",
					   p->body_limit ? p->body_limit
							 : (size_t)UC3_BODY_LIMIT_DEFAULT);
			goto fail;
		}
		secs = p->step_deliver;
		break;
	case UC3_ACT_DELIVER:
		secs = p->step_archive;
		break;
	case UC3_ACT_CLOSE:
		if ((rc = uc3_text_check(a->unit, "--unit", true)) < 0 ||
		    (rc = uc3_policy_unit_resolve(&pl->unit, p, a->unit, "--unit")) < 0)
			goto fail;
		if (!t->requester.name && !t->requester.email && !t->requester.phone) {
			rc = uc3_error_set(
				UC3_EDENIED,
				"%s has no requester (who sent it); the archive needs one", t->id);
			goto fail;
		}
		if (!pl->unit && !t->unit) {
			rc = uc3_error_set(
				UC3_EDENIED,
				"%s has no unit (where it is addressed): give --unit UNIT", t->id);
			goto fail;
		}
		break;
	}
	if (t->deadline && uc3_clock_parse(&pl->due_prev, t->deadline, NULL) == 0)
		pl->has_due = true;
	if (a->action != UC3_ACT_CLOSE &&
	    (rc = uc3_calendar_add(&pl->next_due, &p->calendar, p->timezone, a->now, secs)) < 0)
		goto fail;
	return 0;
fail:
	plan_release(pl);
	return rc;
}

int
uc3_transition_check(const struct uc3_ticket *t, const struct uc3_act *a)
{
	struct uc3_act trial = *a;
	struct plan pl;
	int rc;

	if (trial.action == UC3_ACT_ANSWER && !trial.text)
		trial.text = "?";
	if ((rc = plan_step(&pl, t, &trial)) == 0)
		plan_release(&pl);
	return rc;
}

int
uc3_transition_apply(struct uc3_ticket *t, const struct uc3_act *a, struct uc3_buf *msg)
{
	const struct uc3_policy *p = a->policy;
	struct uc3_event *ev;
	struct plan pl;
	int rc;

	if ((rc = plan_step(&pl, t, a)) < 0)
		return rc;
	/* Nothing can fail from here on: the ticket changes. */
	ev = uc3_ticket_add_event(t);
	uc3_clock_format_str(&ev->at, a->now, p->timezone);
	ev->by = uc3_xstrdup(a->actor);
	ev->action = uc3_xstrdup(uc3_transition_action_name(a->action));
	if (pl.next_level) {
		ev->from = uc3_xstrdup(t->level);
		ev->to = uc3_xstrdup(pl.next_level);
	}
	ev->note = pl.note;
	pl.note = NULL;
	ev->step.name = uc3_xstrdup(uc3_transition_step(t));
	ev->step.due = t->deadline ? uc3_xstrdup(t->deadline) : NULL;
	ev->step.late = pl.has_due && a->now > pl.due_prev;

	switch (a->action) {
	case UC3_ACT_ESCALATE:
		free(t->level);
		t->level = uc3_xstrdup(pl.next_level);
		break;
	case UC3_ACT_ANSWER:
		free(t->answer);
		t->answer = pl.text;
		pl.text = NULL;
		t->status = UC3_STATUS_ANSWERED;
		break;
	case UC3_ACT_DELIVER:
		t->status = UC3_STATUS_DELIVERED;
		break;
	case UC3_ACT_CLOSE:
		if (pl.unit) {
			free(t->unit);
			t->unit = pl.unit;
			pl.unit = NULL;
		}
		t->status = UC3_STATUS_CLOSED;
		break;
	}
	if (a->action == UC3_ACT_CLOSE) {
		free(t->deadline);
		t->deadline = NULL;
	} else {
		uc3_clock_format_str(&t->deadline, pl.next_due, p->timezone);
	}
	uc3_message_step(msg, t);
	plan_release(&pl);
	return 0;
}

bool
uc3_transition_action(enum uc3_action *out, const char *name)
{
	size_t i;

	for (i = 0; name && i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i])) {
			*out = (enum uc3_action)i;
			return true;
		}
	return false;
}

int
uc3_transition_replay(struct uc3_ticket *t, struct uc3_buf *msg, const struct uc3_ticket *after,
		      const struct uc3_act *a)
{
	struct uc3_act act = *a;

	act.note = after->nevents ? after->events[after->nevents - 1].note : NULL;
	act.text = after->answer;
	/* A unit the step kept was not typed, and the policy may no longer list it. */
	act.unit = after->unit && !(t->unit && !strcmp(t->unit, after->unit)) ? after->unit : NULL;
	return uc3_transition_apply(t, &act, msg);
}

int
uc3_transition_new_check(const struct uc3_ticket *t, const struct uc3_policy *p)
{
	char *unit;
	int rc;

	if ((rc = uc3_ticket_check(t, p)) < 0)
		return rc;
	if (!t->body || !t->body[strspn(t->body, " \t\n")])
		return uc3_error_set(UC3_EINVAL, "the body is empty");
	if ((rc = uc3_policy_unit_resolve(&unit, p, t->unit, "unit")) < 0)
		return rc;
	free(unit);
	return 0;
}

static char *
dup0(const char *s)
{
	return s ? uc3_xstrdup(s) : NULL;
}

int
uc3_transition_new(struct uc3_ticket **out, const struct uc3_ticket *in, const struct uc3_act *a,
		   time_t received)
{
	const struct uc3_policy *p = a->policy;
	struct uc3_ticket *w;
	struct uc3_event *e;
	time_t due;
	int rc;

	*out = NULL;
	if ((rc = uc3_transition_new_check(in, p)) < 0)
		return rc;
	if (!p->nroles)
		return uc3_error_set(UC3_EPOLICY, "the policy has no chain of roles");
	if ((rc = uc3_calendar_add(&due, &p->calendar, p->timezone, received, p->roles[0].step)) <
	    0)
		return rc;
	w = uc3_ticket_new();
	w->id = dup0(in->id);
	w->subject = dup0(in->subject);
	w->kind = dup0(in->kind);
	w->channel = dup0(in->channel);
	w->requester.name = uc3_text_trim(in->requester.name);
	w->requester.email = uc3_text_trim(in->requester.email);
	w->requester.phone = dup0(in->requester.phone);
	uc3_policy_unit_resolve(&w->unit, p, in->unit, "unit");
	uc3_clock_format_str(&w->received, received, p->timezone);
	w->status = UC3_STATUS_OPEN;
	w->level = uc3_xstrdup(p->roles[0].id);
	uc3_clock_format_str(&w->deadline, due, p->timezone);
	w->body = uc3_text_normalize(in->body, strlen(in->body));
	e = uc3_ticket_add_event(w);
	uc3_clock_format_str(&e->at, a->now, p->timezone);
	e->by = dup0(a->actor);
	e->action = uc3_xstrdup("new");
	*out = w;
	return 0;
}

bool
uc3_transition_notified(const struct uc3_ticket *t, const char *to, const char *step,
			const char *due)
{
	size_t i;

	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (e->action && !strcmp(e->action, "notice") && e->to && !strcasecmp(e->to, to) &&
		    e->step.name && !strcmp(e->step.name, step) && e->step.due &&
		    !strcmp(e->step.due, due))
			return true;
	}
	return false;
}

void
uc3_transition_notice(struct uc3_ticket *t, const struct uc3_act *a, const char *to,
		      const char *step, const char *due)
{
	struct uc3_event *e = uc3_ticket_add_event(t);

	uc3_clock_format_str(&e->at, a->now, a->policy->timezone);
	e->by = uc3_xstrdup(a->actor);
	e->action = uc3_xstrdup("notice");
	e->to = uc3_xstrdup(to);
	e->step.name = uc3_xstrdup(step);
	e->step.due = uc3_xstrdup(due);
	e->step.late = true;
}

bool
uc3_transition_latest(time_t *out, long *what, const struct uc3_ticket *t, size_t nevents)
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
uc3_transition_summary(struct uc3_buf *out, const struct uc3_ticket *t, const struct uc3_policy *p)
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
uc3_transition_time_left(long *left, const struct uc3_ticket *t, const struct uc3_policy *p,
			 time_t now)
{
	time_t due;

	if (t->status == UC3_STATUS_CLOSED || !t->deadline)
		return UC3_ENOTFOUND;
	if (uc3_clock_parse(&due, t->deadline, NULL) < 0)
		return uc3_error_set(UC3_EINVAL, "%s: unreadable deadline '%s'", t->id,
				     t->deadline);
	if (uc3_calendar_between(left, &p->calendar, p->timezone, now, due) < 0)
		return UC3_EINVAL;
	/* Past the deadline with no business time between: late all the same. */
	if (*left == 0 && now > due)
		*left = -1;
	return 0;
}

void
uc3_transition_format_left(struct uc3_buf *out, long left)
{
	if (left >= 0) {
		uc3_clock_format_duration(out, left);
		uc3_buf_adds(out, " left");
	} else {
		uc3_buf_adds(out, "late by ");
		uc3_clock_format_duration(out, -left);
	}
}
