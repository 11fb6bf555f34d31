#include "transition.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "message.h"
#include "requester.h"
#include "strv.h"
#include "utf8.h"
#include "xalloc.h"

/* A close as spam or duplicate is a close: its event has `as`. */
static const char *const names[] = { "escalate", "answer", "deliver", "close",
				     "edit",	 "reopen", "close",   "followup" };

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
			     actor ? actor : _("(nobody)"));
}

static int
service_only(const struct uc3_person *who)
{
	return uc3_error_set(UC3_EDENIED,
			     "%s is a service identity (service: true in uc3.yaml): it registers "
			     "tickets, attaches files and records follow-ups and notices, "
			     "nothing else",
			     who->email);
}

/*
 * Registering is the front desk's work, and a mail account's: uc3 new
 * --mail runs as the identity of the MTA that pipes mail in.
 */
int
uc3_transition_may_register(const struct uc3_policy *p, const char *actor)
{
	if (p->npeople && (!actor || !uc3_policy_person(p, actor)))
		return not_listed(actor);
	return 0;
}

int
uc3_transition_may_notify(const struct uc3_policy *p, const char *actor)
{
	if (p->npeople && (!actor || !uc3_policy_person(p, actor)))
		return not_listed(actor);
	return 0;
}

/*
 * The role actor acts in on t: the lowest of the roles the policy gives
 * them from the level that holds t up; -1 when they hold none of those,
 * and in single-user mode (no people).
 */
static int
acting_role(const struct uc3_ticket *t, const struct uc3_policy *p, const char *actor)
{
	const struct uc3_person *who = actor ? uc3_policy_person(p, actor) : NULL;
	int lvl = t->level ? uc3_policy_role_index(p, t->level) : -1, i;

	for (i = lvl < 0 ? (int)p->nroles : lvl; who && i < (int)p->nroles; i++)
		if (person_has(who, p->roles[i].id))
			return i;
	return -1;
}

int
uc3_transition_allowed(const struct uc3_ticket *t, const struct uc3_policy *p,
		       enum uc3_action action, const char *actor)
{
	const struct uc3_person *who;

	if (!p->npeople)
		return 0;
	who = actor ? uc3_policy_person(p, actor) : NULL;
	if (!who)
		return not_listed(actor);
	/* A follow-up comes in by mail: whoever runs uc3 new --mail records it. */
	if (action == UC3_ACT_FOLLOWUP)
		return 0;
	if (who->service)
		return service_only(who);
	/* new, deliver and close are the front desk's work: any listed person. */
	if (action != UC3_ACT_ESCALATE && action != UC3_ACT_ANSWER)
		return 0;
	if (!t->level || uc3_policy_role_index(p, t->level) < 0)
		return uc3_error_set(UC3_EDENIED,
				     "%s is held by '%s', which is not a role of the chain", t->id,
				     t->level ? t->level : "");
	if (acting_role(t, p, actor) >= 0)
		return 0;
	return uc3_error_set(UC3_EDENIED,
			     "%s cannot %s %s: it is held by %s, and that needs the %s role "
			     "or one above it",
			     actor, uc3_transition_action_name(action), t->id, t->level, t->level);
}

/*
 * Why an action cannot happen in this status, as the format of the error
 * (its one %s the ticket's id; the error translates it); NULL when it can.
 */
static const char *
status_refusal(enum uc3_action a, enum uc3_status s)
{
	switch (a) {
	case UC3_ACT_ESCALATE:
	case UC3_ACT_ANSWER:
		if (s == UC3_STATUS_OPEN)
			return NULL;
		return s == UC3_STATUS_ANSWERED	   ? N_("%s is already answered")
		       : s == UC3_STATUS_DELIVERED ? N_("%s is already answered and delivered")
						   : N_("%s is closed");
	case UC3_ACT_DELIVER:
		if (s == UC3_STATUS_ANSWERED)
			return NULL;
		return s == UC3_STATUS_OPEN	   ? N_("%s is open, not answered yet")
		       : s == UC3_STATUS_DELIVERED ? N_("%s is already delivered")
						   : N_("%s is closed");
	case UC3_ACT_CLOSE:
		if (s == UC3_STATUS_DELIVERED)
			return NULL;
		return s == UC3_STATUS_OPEN	  ? N_("%s is open, not answered yet")
		       : s == UC3_STATUS_ANSWERED ? N_("%s is answered, not delivered yet")
						  : N_("%s is already closed");
	case UC3_ACT_EDIT:
		return NULL;
	case UC3_ACT_REOPEN:
		return s == UC3_STATUS_OPEN ? N_("%s is open: there is nothing to reopen") : NULL;
	case UC3_ACT_CLOSE_AS:
		return s == UC3_STATUS_CLOSED ? N_("%s is already closed") : NULL;
	case UC3_ACT_FOLLOWUP:
		return s == UC3_STATUS_CLOSED ? N_("%s is closed") : NULL;
	}
	return N_("%s cannot change");
}

/*
 * What a step will do, worked out before anything changes: the note, the
 * answer and the unit as they will be written, the next level and the
 * next deadline.
 */
struct plan {
	char *note, *text, *unit;
	const char *next_level;
	const char *takeover; /* answer: the higher role that takes the step over */
	time_t due_prev, next_due;
	bool has_due;
	/* By mail: the address, and for answer --send the deliver step's deadline. */
	const char *mail_to;
	time_t deliver_due;
};

static void
plan_release(struct plan *pl)
{
	free(pl->note);
	free(pl->text);
	free(pl->unit);
	memset(pl, 0, sizeof(*pl));
}

/* A Message-ID as uc3 writes one: "<local@domain>", printable ASCII, no blanks. */
static bool
message_id_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0, i;
	const char *at;

	if (n < 5 || id[0] != '<' || id[n - 1] != '>' || n > 250)
		return false;
	for (i = 1; i + 1 < n; i++)
		if (id[i] <= ' ' || id[i] >= 0x7f || id[i] == '<' || id[i] == '>')
			return false;
	at = strchr(id, '@');
	return at && at > id + 1 && at < id + n - 2 && !strchr(at + 1, '@');
}

/* A mail address as a follow-up's sender: one '@' with text on both sides, no blanks. */
static bool
address_ok(const char *s)
{
	const char *at = s ? strchr(s, '@') : NULL;
	const unsigned char *p;

	if (!at || at == s || !at[1] || strchr(at + 1, '@') || strlen(s) > 254)
		return false;
	for (p = (const unsigned char *)s; *p; p++)
		if (*p <= ' ' || *p == 0x7f || strchr("<>()[],;:\\\"", *p) ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return false;
	return uc3_utf8_valid(s, strlen(s), NULL);
}

/*
 * A follow-up: the mail's text (required, within the policy's body
 * limit), the address it came from, its Message-ID when it had one.
 */
static int
plan_followup(const struct plan *pl, const struct uc3_act *a)
{
	const struct uc3_policy *p = a->policy;
	size_t limit = p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT;

	if (a->send || a->mail_to)
		return uc3_error_set(UC3_EINVAL, "only an answer is delivered by mail");
	if (!pl->note)
		return uc3_error_set(UC3_EINVAL, "the follow-up has no text");
	if (strlen(pl->note) > limit + 1)
		return uc3_error_set(UC3_EINVAL,
				     "the follow-up's text is %zu bytes, over the limit of %zu",
				     strlen(pl->note), limit);
	if (!address_ok(a->sender))
		return uc3_error_set(UC3_EINVAL,
				     "the follow-up's sender '%s' is not a mail address",
				     a->sender ? a->sender : "");
	if (a->message_id && !message_id_ok(a->message_id))
		return uc3_error_set(UC3_EINVAL, "'%s' is not a Message-ID (<local@domain>)",
				     a->message_id);
	return 0;
}

/*
 * answer --send, deliver --send: the answer goes by mail to the
 * requester's address, under a Message-ID; pl->mail_to gets the address.
 */
static int
plan_mail(struct plan *pl, const struct uc3_ticket *t, const struct uc3_act *a)
{
	if (!a->send && !a->mail_to)
		return 0;
	if (a->action != UC3_ACT_ANSWER && a->action != UC3_ACT_DELIVER)
		return uc3_error_set(UC3_EINVAL, "only an answer is delivered by mail");
	if (!t->requester.email)
		return uc3_error_set(UC3_EINVAL,
				     "%s has no requester email to mail the answer to: deliver "
				     "it another way and record that with uc3 deliver, or set the "
				     "address with uc3 edit",
				     t->id);
	if (a->mail_to && strcasecmp(a->mail_to, t->requester.email))
		return uc3_error_set(UC3_EINVAL,
				     "the answer to %s goes to its requester, %s, not to %s", t->id,
				     t->requester.email, a->mail_to);
	if (!message_id_ok(a->message_id))
		return uc3_error_set(UC3_EINVAL, "'%s' is not a Message-ID (<local@domain>)",
				     a->message_id ? a->message_id : "");
	pl->mail_to = a->mail_to ? a->mail_to : t->requester.email;
	return 0;
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
		return uc3_error_set(UC3_EDENIED, why, t->id);
	/*
	 * Events never go back in time: a clock (or UC3_NOW) behind anything
	 * on the ticket, its receipt or any event (not only the last one, which
	 * a hand may have dated back), is wrong.
	 */
	if ((rc = uc3_transition_check_time(t, a->now)) < 0)
		return rc;
	if ((rc = uc3_transition_allowed(t, p, a->action, a->actor)) < 0)
		return rc;
	if (a->note) {
		if (!uc3_utf8_valid(a->note, strlen(a->note), NULL))
			return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in the note");
		pl->note = uc3_text_normalize(a->note, strlen(a->note));
		if ((rc = uc3_text_check(pl->note, _("the note"), false)) < 0)
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
	if (a->action == UC3_ACT_FOLLOWUP ? (rc = plan_followup(pl, a)) < 0
					  : (rc = plan_mail(pl, t, a)) < 0)
		goto fail;
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
			rc = uc3_error_set(UC3_EINVAL, a->text ? N_("invalid UTF-8 in the answer")
							       : N_("no answer given"));
			goto fail;
		}
		pl->text = uc3_text_normalize(a->text, strlen(a->text));
		if (!*pl->text) {
			rc = uc3_error_set(UC3_EINVAL, "the answer is empty");
			goto fail;
		}
		if ((rc = uc3_text_check(pl->text, _("the answer"), false)) < 0)
			goto fail;
		if (strlen(pl->text) >
		    (p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT) + 1) {
			rc = uc3_error_set(UC3_EINVAL, "the answer is over the limit of %zu bytes",
					   p->body_limit ? p->body_limit
							 : (size_t)UC3_BODY_LIMIT_DEFAULT);
			goto fail;
		}
		/*
		 * A higher role may answer a ticket held below it: the step that
		 * ran there ends taken over, and the answer is that role's.
		 */
		if (p->npeople) {
			int role = acting_role(t, p, a->actor);

			if (role > lvl && lvl >= 0)
				pl->takeover = p->roles[role].id;
		}
		secs = p->step_deliver;
		/* Answered and delivered at once: the deliver step runs from now to now. */
		if (pl->mail_to) {
			if ((rc = uc3_calendar_add(&pl->deliver_due, &p->calendar, p->timezone,
						   a->now, secs)) < 0)
				goto fail;
			secs = p->step_archive;
		}
		break;
	case UC3_ACT_DELIVER:
		secs = p->step_archive;
		break;
	case UC3_ACT_FOLLOWUP: /* ends no step, starts none: no deadline */
		break;
	case UC3_ACT_CLOSE:
		if ((rc = uc3_text_check(a->unit, "--unit", true)) < 0 ||
		    (rc = uc3_policy_unit_resolve(&pl->unit, p, a->unit, "--unit")) < 0)
			goto fail;
		if (!t->requester.name && !t->requester.email && !t->requester.phone &&
		    !t->requester.social && !t->requester.address) {
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
	case UC3_ACT_REOPEN:
		pl->next_level = p->roles[0].id;
		secs = p->roles[0].step;
		break;
	case UC3_ACT_EDIT:
	case UC3_ACT_CLOSE_AS:
		break;
	}
	if (t->deadline && uc3_clock_parse(&pl->due_prev, t->deadline, NULL) == 0)
		pl->has_due = true;
	if (a->action != UC3_ACT_CLOSE && a->action != UC3_ACT_FOLLOWUP &&
	    (rc = uc3_calendar_add(&pl->next_due, &p->calendar, p->timezone, a->now, secs)) < 0)
		goto fail;
	return 0;
fail:
	plan_release(pl);
	return rc;
}

static bool is_correction(enum uc3_action a);
static int correction_check(const struct uc3_ticket *t, const struct uc3_act *a);
static int correction_apply(struct uc3_ticket *t, const struct uc3_act *a, struct uc3_buf *msg);
static int correction_replay(struct uc3_ticket *t, struct uc3_buf *msg,
			     const struct uc3_ticket *after, const struct uc3_act *a);

int
uc3_transition_check(const struct uc3_ticket *t, const struct uc3_act *a)
{
	struct uc3_act trial = *a;
	struct plan pl;
	int rc;

	if (is_correction(a->action))
		return correction_check(t, a);
	if (trial.action == UC3_ACT_ANSWER && !trial.text)
		trial.text = "?";
	/* The Message-ID is made when the mail is. */
	if ((trial.send || trial.mail_to) && !trial.message_id)
		trial.message_id = "<check@localhost>";
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

	if (is_correction(a->action))
		return correction_apply(t, a, msg);
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
	if (a->action == UC3_ACT_FOLLOWUP) {
		/* The requester's mail: no step ends, the clock runs on. */
		ev->sender = uc3_xstrdup(a->sender);
		ev->message_id = a->message_id ? uc3_xstrdup(a->message_id) : NULL;
		uc3_message_followup(msg, t);
		plan_release(&pl);
		return 0;
	}
	ev->step.name = uc3_xstrdup(uc3_transition_step(t));
	ev->step.due = t->deadline ? uc3_xstrdup(t->deadline) : NULL;
	ev->step.late = pl.has_due && a->now > pl.due_prev;
	if (pl.takeover) {
		ev->role = uc3_xstrdup(pl.takeover);
		ev->step.taken_over = true;
		free(t->level);
		t->level = uc3_xstrdup(pl.takeover);
	}

	switch (a->action) {
	case UC3_ACT_ESCALATE:
		free(t->level);
		t->level = uc3_xstrdup(pl.next_level);
		break;
	case UC3_ACT_FOLLOWUP: /* done above */
		break;
	case UC3_ACT_ANSWER:
		free(t->answer);
		t->answer = pl.text;
		pl.text = NULL;
		t->status = UC3_STATUS_ANSWERED;
		break;
	case UC3_ACT_DELIVER:
		t->status = UC3_STATUS_DELIVERED;
		if (pl.mail_to) {
			ev->to = uc3_xstrdup(pl.mail_to);
			ev->message_id = uc3_xstrdup(a->message_id);
		}
		break;
	case UC3_ACT_CLOSE:
		if (pl.unit) {
			free(t->unit);
			t->unit = pl.unit;
			pl.unit = NULL;
		}
		t->status = UC3_STATUS_CLOSED;
		break;
	case UC3_ACT_EDIT:
	case UC3_ACT_REOPEN:
	case UC3_ACT_CLOSE_AS:
		break; /* correction_apply's */
	}
	if (a->action == UC3_ACT_ANSWER && pl.mail_to) {
		/* answer --send: the deliver event, of a step that ends as it starts. */
		ev = uc3_ticket_add_event(t);
		uc3_clock_format_str(&ev->at, a->now, p->timezone);
		ev->by = uc3_xstrdup(a->actor);
		ev->action = uc3_xstrdup("deliver");
		ev->to = uc3_xstrdup(pl.mail_to);
		ev->message_id = uc3_xstrdup(a->message_id);
		ev->step.name = uc3_xstrdup("deliver");
		uc3_clock_format_str(&ev->step.due, pl.deliver_due, p->timezone);
		ev->step.late = a->now > pl.deliver_due;
		t->status = UC3_STATUS_DELIVERED;
	}
	if (a->action == UC3_ACT_CLOSE) {
		free(t->deadline);
		t->deadline = NULL;
	} else {
		uc3_clock_format_str(&t->deadline, pl.next_due, p->timezone);
	}
	if (a->action == UC3_ACT_ANSWER && pl.mail_to)
		uc3_message_answer_sent(msg, t);
	else
		uc3_message_step(msg, t);
	plan_release(&pl);
	return 0;
}

bool
uc3_transition_by_mail(const struct uc3_event *e)
{
	return e->action && !strcmp(e->action, "deliver") && e->to;
}

bool
uc3_transition_mail_words(struct uc3_buf *out, const struct uc3_event *e)
{
	if (uc3_transition_by_mail(e)) {
		/* TRANSLATORS: after an action in uc3 log and uc3 show: "deliver by mail to ADDR".
		 */
		uc3_buf_addf(out, _(" by mail to %s"), e->to);
		return true;
	}
	if (e->action && !strcmp(e->action, "followup") && e->sender) {
		/* TRANSLATORS: after an action in uc3 log and uc3 show: "followup by mail from
		 * ADDRESS". */
		uc3_buf_addf(out, _(" by mail from %s"), e->sender);
		return true;
	}
	if (!e->action || strcmp(e->action, "notice") || !e->to)
		return false;
	/* TRANSLATORS: after "notice" in uc3 log and uc3 show: who was told. */
	uc3_buf_addf(out, _(" to %s"), e->to);
	if (!e->about)
		/* TRANSLATORS: what a notice told: the step is late. */
		uc3_buf_adds(out, _(": late"));
	else if (!strcmp(e->about, UC3_ABOUT_ESCALATED) && e->step.name)
		/* TRANSLATORS: what a notice told: the ticket came up to the role %s. */
		uc3_buf_addf(out, _(": escalated to %s"), e->step.name);
	else if (!strcmp(e->about, UC3_ABOUT_WARNING) && e->step.name)
		/* TRANSLATORS: what a notice told: step %s is soon due. */
		uc3_buf_addf(out, _(": warning of step %s"), e->step.name);
	else
		uc3_buf_addf(out, ": %s", e->about);
	return true;
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

	if (act.action == UC3_ACT_CLOSE && after->nevents && after->events[after->nevents - 1].as)
		act.action = UC3_ACT_CLOSE_AS;
	if (is_correction(act.action))
		return correction_replay(t, msg, after, &act);
	act.note = after->nevents ? after->events[after->nevents - 1].note : NULL;
	act.send = false;
	act.mail_to = act.message_id = act.sender = NULL;
	if (act.action == UC3_ACT_FOLLOWUP && after->nevents) {
		act.message_id = after->events[after->nevents - 1].message_id;
		act.sender = after->events[after->nevents - 1].sender;
	}
	if ((act.action == UC3_ACT_DELIVER || act.action == UC3_ACT_ANSWER) && after->nevents &&
	    uc3_transition_by_mail(&after->events[after->nevents - 1])) {
		const struct uc3_event *d = &after->events[after->nevents - 1];

		act.mail_to = d->to;
		act.message_id = d->message_id;
		/* answer --send: the note is the answer event's, the one before. */
		if (act.action == UC3_ACT_ANSWER)
			act.note =
				after->nevents > 1 ? after->events[after->nevents - 2].note : NULL;
	}
	act.text = after->answer;
	/* A unit the step kept was not typed, and the policy may no longer list it. */
	act.unit = after->unit && !(t->unit && !strcmp(t->unit, after->unit)) ? after->unit : NULL;
	return uc3_transition_apply(t, &act, msg);
}

/* The fields of a ticket that came by mail: each as uc3 new --mail writes it. */
static int
mail_in_check(const struct uc3_ticket *t, const struct uc3_policy *p)
{
	char ex[64];
	time_t when;

	if (t->message_id && !message_id_ok(t->message_id))
		return uc3_error_set(UC3_EINVAL,
				     "message_id '%s' is not a Message-ID (<left@right>)",
				     uc3_utf8_excerpt(ex, sizeof(ex), t->message_id));
	if (t->sent && (!uc3_utf8_valid(t->sent, strlen(t->sent), NULL) ||
			uc3_clock_parse(&when, t->sent, NULL) < 0))
		return uc3_error_set(UC3_EINVAL, "sent '%s' is not an RFC 3339 timestamp",
				     uc3_utf8_excerpt(ex, sizeof(ex), t->sent));
	if (t->follows && !uc3_ticket_id_parse(t->follows, p->id_prefix, NULL, NULL))
		return uc3_error_set(
			UC3_EINVAL,
			"follows '%s' is not a ticket id of these records (%s-YEAR-NNNN)",
			uc3_utf8_excerpt(ex, sizeof(ex), t->follows), p->id_prefix);
	if (t->automatic && !uc3_ticket_automatic_ok(t->automatic))
		return uc3_error_set(UC3_EINVAL, "automatic '%s' is not one of %s",
				     uc3_utf8_excerpt(ex, sizeof(ex), t->automatic),
				     UC3_TICKET_AUTOMATIC_WORDS);
	return 0;
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
	return mail_in_check(t, p);
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
	w->requester.social = uc3_text_trim(in->requester.social);
	w->requester.address = uc3_requester_address(in->requester.address);
	uc3_policy_unit_resolve(&w->unit, p, in->unit, "unit");
	uc3_clock_format_str(&w->received, received, p->timezone);
	w->quarantined = dup0(in->quarantined);
	w->message_id = dup0(in->message_id);
	w->sent = dup0(in->sent);
	w->follows = dup0(in->follows);
	w->automatic = dup0(in->automatic);
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
uc3_transition_about_ok(const char *about)
{
	static const char *const words[] = { UC3_ABOUT_RECEIVED, UC3_ABOUT_ESCALATED,
					     UC3_ABOUT_WARNING, UC3_ABOUT_REMINDER,
					     UC3_ABOUT_DIGEST };
	size_t i;

	if (!about)
		return true;
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (!strcmp(about, words[i]))
			return true;
	return false;
}

static bool
same_word(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

bool
uc3_transition_notified(const struct uc3_ticket *t, const char *to, const char *about,
			const char *step, const char *due)
{
	size_t i;

	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (!e->action || strcmp(e->action, "notice") || !e->to || strcasecmp(e->to, to) ||
		    !same_word(e->about, about))
			continue;
		if (!step || (e->step.name && !strcmp(e->step.name, step) && e->step.due && due &&
			      !strcmp(e->step.due, due)))
			return true;
	}
	return false;
}

void
uc3_transition_notice(struct uc3_ticket *t, const struct uc3_act *a, const struct uc3_notice *n)
{
	struct uc3_event *e = uc3_ticket_add_event(t);

	uc3_clock_format_str(&e->at, a->now, a->policy->timezone);
	e->by = uc3_xstrdup(a->actor);
	e->action = uc3_xstrdup("notice");
	e->to = uc3_xstrdup(n->to);
	e->about = n->about ? uc3_xstrdup(n->about) : NULL;
	e->message_id = n->message_id ? uc3_xstrdup(n->message_id) : NULL;
	if (n->step) {
		e->step.name = uc3_xstrdup(n->step);
		e->step.due = n->due ? uc3_xstrdup(n->due) : NULL;
		e->step.late = !n->about || !strcmp(n->about, UC3_ABOUT_REMINDER) ||
			       !strcmp(n->about, UC3_ABOUT_DIGEST);
	}
}

int
uc3_transition_check_time(const struct uc3_ticket *t, time_t now)
{
	time_t latest;
	long which;

	if (!uc3_transition_latest(&latest, &which, t, t->nevents) || now >= latest)
		return 0;
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

/* "1d 2h", how late e ended its step, in office days; nothing when that does not read. */
static void
late_by(struct uc3_buf *out, const struct uc3_event *e, const struct uc3_policy *p)
{
	struct uc3_calendar_span s;
	time_t due, at;

	if (e->step.due && e->at && uc3_clock_parse(&due, e->step.due, NULL) == 0 &&
	    uc3_clock_parse(&at, e->at, NULL) == 0 &&
	    uc3_calendar_span(&s, &p->calendar, p->timezone, due, at) == 0 && s.total > 0)
		uc3_calendar_format_span(out, &s);
	uc3_error_clear();
}

/* "; the staf step was late by 1d 5m" when e ended its step late; nothing otherwise. */
static void
step_late(struct uc3_buf *out, const struct uc3_event *e, const struct uc3_policy *p)
{
	struct uc3_buf by = UC3_BUF_INIT;

	if (!e || !e->step.name || !e->step.late)
		return;
	if (p)
		late_by(&by, e, p);
	if (by.len)
		/* TRANSLATORS: the end of a step's summary: "; the staf step was late by 1d 5m". */
		uc3_buf_addf(out, _("; the %s step was late by %s"), e->step.name, by.ptr);
	else
		uc3_buf_addf(out, _("; the %s step was late"), e->step.name);
	uc3_buf_release(&by);
}
static bool
correction_summary(struct uc3_buf *out, const struct uc3_ticket *t, const struct uc3_policy *p,
		   const struct uc3_event *e, const char *due);

/*
 * The answer event written with t's last event, a deliver by mail, by
 * answer --send (the one before it, an answer by the same person at the
 * same time); NULL when there is none.
 */
static const struct uc3_event *
answer_sent_with(const struct uc3_ticket *t)
{
	const struct uc3_event *a, *d;

	if (t->nevents < 2)
		return NULL;
	a = &t->events[t->nevents - 2];
	d = &t->events[t->nevents - 1];
	if (!a->action || strcmp(a->action, "answer") || !a->at || !d->at || strcmp(a->at, d->at) ||
	    !a->by || !d->by || strcmp(a->by, d->by))
		return NULL;
	return a;
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
	if (e && correction_summary(out, t, p, e, due.ptr)) {
		uc3_buf_release(&due);
		return;
	}
	uc3_buf_addf(out, "%s: ", t->id);
	/* A follow-up changes nothing of where the ticket stands: say where. */
	if (e && e->action && !strcmp(e->action, "followup")) {
		const char *step = uc3_transition_step(t) ? uc3_transition_step(t) : "-";

		if (t->status == UC3_STATUS_OPEN)
			/* TRANSLATORS: sender, status, level, step, due date. */
			uc3_buf_addf(
				out,
				_("follow-up by mail from %s recorded; %s at %s, step %s due %s"),
				e->sender ? e->sender : "?", uc3_status_name(t->status), t->level,
				step, due.ptr);
		else
			/* TRANSLATORS: sender, status, step, due date. */
			uc3_buf_addf(out,
				     _("follow-up by mail from %s recorded; %s, step %s due %s"),
				     e->sender ? e->sender : "?", uc3_status_name(t->status), step,
				     due.ptr);
		uc3_buf_release(&due);
		return;
	}
	switch (t->status) {
	case UC3_STATUS_OPEN:
		if (e && e->from && e->to)
			/* TRANSLATORS: a ticket passed up from role %s to role %s. */
			uc3_buf_addf(out, _("escalated %s -> %s"), e->from, e->to);
		else
			/* TRANSLATORS: a ticket open at role %s. */
			uc3_buf_addf(out, _("open at %s"), t->level);
		if (r && r->name && strcmp(r->name, r->id))
			uc3_buf_addf(out, " (%s)", r->name);
		/* TRANSLATORS: the deadline of the step, after "open at staf". */
		uc3_buf_addf(out, _(", due %s"), due.ptr);
		break;
	case UC3_STATUS_ANSWERED:
		/* TRANSLATORS: answered by role %s. */
		uc3_buf_addf(out, _("answered at %s"), t->level);
		if (e && e->role && e->step.name)
			/* TRANSLATORS: the role %s whose step was taken over. */
			uc3_buf_addf(out, _(" (taken over from %s)"), e->step.name);
		/* TRANSLATORS: the deadline for delivering the answer. */
		uc3_buf_addf(out, _("; deliver it by %s"), due.ptr);
		break;
	case UC3_STATUS_DELIVERED:
		if (e && uc3_transition_by_mail(e)) {
			const struct uc3_event *ans = answer_sent_with(t);

			if (ans) {
				uc3_buf_addf(out, _("answered at %s"), t->level);
				if (ans->role && ans->step.name)
					uc3_buf_addf(out, _(" (taken over from %s)"),
						     ans->step.name);
				/* TRANSLATORS: "answered at staf and delivered by mail to ...". */
				uc3_buf_adds(out, _(" and "));
				/* The answer's step is the one that may have been late. */
				if (ans->step.name && ans->step.late && !e->step.late)
					e = ans;
			}
			/* TRANSLATORS: the requester's address, the deadline for archiving. */
			uc3_buf_addf(out, _("delivered by mail to %s; archive it by %s"),
				     t->events[t->nevents - 1].to, due.ptr);
		} else {
			/* TRANSLATORS: the deadline for archiving. */
			uc3_buf_addf(out, _("delivered; archive it by %s"), due.ptr);
		}
		break;
	case UC3_STATUS_CLOSED:
		/* TRANSLATORS: the unit the ticket was about. */
		uc3_buf_addf(out, _("closed and archived (unit: %s)"), t->unit ? t->unit : "-");
		break;
	}
	step_late(out, e, p);
	uc3_buf_release(&due);
}

int
uc3_transition_time_left(struct uc3_calendar_span *left, const struct uc3_ticket *t,
			 const struct uc3_policy *p, time_t now)
{
	time_t due;

	if (t->status == UC3_STATUS_CLOSED || !t->deadline)
		return UC3_ENOTFOUND;
	if (uc3_clock_parse(&due, t->deadline, NULL) < 0)
		return uc3_error_set(UC3_EINVAL, "%s: unreadable deadline '%s'", t->id,
				     t->deadline);
	if (uc3_calendar_span(left, &p->calendar, p->timezone, now, due) < 0)
		return UC3_EINVAL;
	/* Past the deadline with no business time between: late all the same. */
	if (left->total == 0 && now > due) {
		left->total = -1;
		left->rest = 1;
	}
	return 0;
}

void
uc3_transition_format_left(struct uc3_buf *out, const struct uc3_calendar_span *left)
{
	struct uc3_calendar_span mag = *left;

	struct uc3_buf span = UC3_BUF_INIT;

	if (left->total >= 0) {
		uc3_calendar_format_span(&span, left);
		/* TRANSLATORS: business time left in a step: "1d 2h left". */
		uc3_buf_addf(out, _("%s left"), span.ptr);
	} else {
		mag.total = -mag.total;
		uc3_calendar_format_span(&span, &mag);
		/* TRANSLATORS: how late a step is: "late by 3d 20m". */
		uc3_buf_addf(out, _("late by %s"), span.ptr);
	}
	uc3_buf_release(&span);
}

const char *
uc3_transition_holder(const struct uc3_policy *p, enum uc3_status status, const char *level)
{
	switch (status) {
	case UC3_STATUS_OPEN:
		return level;
	case UC3_STATUS_ANSWERED:
	case UC3_STATUS_DELIVERED:
		return p->nroles ? p->roles[0].id : level;
	default:
		return NULL;
	}
}

/*
 * The corrections: uc3 edit, uc3 reopen, uc3 close --as. Each starts as
 * a step does (plan_step: the status, the clock, the person), then needs
 * a role of the policy's corrections and a reason.
 */

static void fix_release(struct uc3_event *fix);

static bool
is_correction(enum uc3_action a)
{
	return a == UC3_ACT_EDIT || a == UC3_ACT_REOPEN || a == UC3_ACT_CLOSE_AS;
}

static enum uc3_correction
correction_of(enum uc3_action a)
{
	return a == UC3_ACT_EDIT     ? UC3_CORRECT_EDIT
	       : a == UC3_ACT_REOPEN ? UC3_CORRECT_REOPEN
				     : UC3_CORRECT_CLOSE_AS;
}

/*
 * Whether actor may do correction a on t (as: what a close as is, for
 * the message): anybody in single-user mode; else a person with a role
 * the policy's corrections give a.
 */
static int
correction_allowed(const struct uc3_ticket *t, const struct uc3_policy *p, enum uc3_action a,
		   const char *actor, const char *as)
{
	enum uc3_correction k = correction_of(a);
	const struct uc3_person *who;
	struct uc3_buf roles = UC3_BUF_INIT;
	size_t i;
	int rc;

	if (!p->npeople)
		return 0;
	who = actor ? uc3_policy_person(p, actor) : NULL;
	if (!who)
		return not_listed(actor);
	for (i = 0; i < who->nroles; i++)
		if (uc3_policy_may_correct(p, k, who->roles[i]))
			return 0;
	uc3_strv_join(&roles, p->correct_roles[k], p->ncorrect_roles[k]);
	if (a == UC3_ACT_CLOSE_AS)
		rc = uc3_error_set(
			UC3_EDENIED,
			"%s cannot close %s as %s: corrections.%s in uc3.yaml gives that "
			"to %s",
			actor, t->id, as ? as : "spam or duplicate", uc3_policy_correction_key(k),
			roles.ptr);
	else
		rc = uc3_error_set(UC3_EDENIED,
				   "%s cannot %s %s: corrections.%s in uc3.yaml gives that to %s",
				   actor, uc3_transition_action_name(a), t->id,
				   uc3_policy_correction_key(k), roles.ptr);
	uc3_buf_release(&roles);
	return rc;
}

int
uc3_transition_may_correct(const struct uc3_ticket *t, const struct uc3_policy *p,
			   const struct uc3_event *e)
{
	enum uc3_action a;

	if (!e->action)
		return 0;
	if (!strcmp(e->action, "edit"))
		a = UC3_ACT_EDIT;
	else if (!strcmp(e->action, "reopen"))
		a = UC3_ACT_REOPEN;
	else if (!strcmp(e->action, "close") && e->as)
		a = UC3_ACT_CLOSE_AS;
	else
		return 0;
	return correction_allowed(t, p, a, e->by, e->as);
}

static char *
keep_text(const char *s)
{
	return s && *s ? uc3_xstrdup(s) : NULL;
}

static char *
keep_body(const char *s)
{
	return s ? uc3_text_normalize(s, strlen(s)) : NULL;
}

/*
 * The fields uc3 edit corrects, in the order its event lists them, each
 * made from what was typed as uc3 new makes it. A field the ticket
 * grows is one more row.
 */
static const struct edit_field {
	const char *name; /* as in the file, the event and the Fields trailer */
	size_t off;	  /* its char * in struct uc3_ticket */
	char *(*make)(const char *typed);
} edit_fields[] = {
	{ "subject", offsetof(struct uc3_ticket, subject), keep_text },
	{ "kind", offsetof(struct uc3_ticket, kind), keep_text },
	{ "channel", offsetof(struct uc3_ticket, channel), keep_text },
	{ "requester.name", offsetof(struct uc3_ticket, requester.name), uc3_text_trim },
	{ "requester.email", offsetof(struct uc3_ticket, requester.email), uc3_text_trim },
	{ "requester.phone", offsetof(struct uc3_ticket, requester.phone), keep_text },
	{ "requester.social", offsetof(struct uc3_ticket, requester.social), uc3_text_trim },
	{ "requester.address", offsetof(struct uc3_ticket, requester.address),
	  uc3_requester_address },
	{ "unit", offsetof(struct uc3_ticket, unit), uc3_text_trim },
	{ "body", offsetof(struct uc3_ticket, body), keep_body },
};

#define NEDIT_FIELDS (sizeof(edit_fields) / sizeof(edit_fields[0]))

static char **
field_of(struct uc3_ticket *t, const struct edit_field *f)
{
	return (char **)(void *)((char *)t + f->off);
}

static int
unknown_field(const char *name)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;
	int rc;

	for (i = 0; i < NEDIT_FIELDS; i++)
		uc3_buf_addf(&b, "%s%s", i ? ", " : "", edit_fields[i].name);
	rc = uc3_error_set(UC3_EINVAL, "cannot edit '%s': the fields uc3 edit corrects are %s",
			   name ? name : "", b.ptr);
	uc3_buf_release(&b);
	return rc;
}

/*
 * The changes an edit makes to t, in fix (its changes, each with the new
 * value as written), and every refusal of it: a field that is not one
 * uc3 edit corrects, the ticket as edited refused by what uc3 new checks,
 * a closed ticket left without its unit, nothing changed.
 */
static int
plan_edit(struct uc3_event *fix, const struct uc3_ticket *t, const struct uc3_act *a)
{
	const struct uc3_policy *p = a->policy;
	struct uc3_ticket edited = *t;
	bool unit_typed = false;
	char *unit;
	size_t i, j;
	int rc;

	if (!a->nedits)
		return uc3_error_set(UC3_EINVAL, "nothing to edit: give a field and its new value");
	for (i = 0; i < a->nedits; i++) {
		for (j = 0; j < NEDIT_FIELDS; j++)
			if (a->edits[i].field && !strcmp(a->edits[i].field, edit_fields[j].name))
				break;
		if (j == NEDIT_FIELDS)
			return unknown_field(a->edits[i].field);
		if (a->edits[i].value &&
		    !uc3_utf8_valid(a->edits[i].value, strlen(a->edits[i].value), NULL))
			return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in %s", a->edits[i].field);
	}
	for (j = 0; j < NEDIT_FIELDS; j++) {
		const struct edit_field *f = &edit_fields[j];
		const char *old = *field_of((struct uc3_ticket *)t, f);
		const struct uc3_edit *ed = NULL;
		char *value;

		for (i = 0; i < a->nedits; i++)
			if (!strcmp(a->edits[i].field, f->name))
				ed = &a->edits[i]; /* the last one given */
		if (!ed)
			continue;
		value = ed->value ? f->make(ed->value) : NULL;
		/* A unit typed is one of the policy's, by its name or an alias. */
		if (value && !strcmp(f->name, "unit")) {
			char *name = NULL;

			rc = uc3_policy_unit_resolve(&name, p, value, "--unit");
			free(value);
			if (rc < 0)
				return rc;
			value = name;
			unit_typed = true;
		}
		if ((!old && !value) || (old && value && !strcmp(old, value))) {
			free(value);
			continue;
		}
		*field_of(&edited, f) = uc3_event_add_change(fix, f->name, old, value)->after;
		free(value);
	}
	if (!fix->nchanges)
		return uc3_error_set(UC3_EINVAL,
				     "nothing to change: %s already has the values given", t->id);
	for (i = 0; i < fix->nchanges; i++) {
		const char *v = fix->changes[i].after;

		if (!strcmp(fix->changes[i].field, "requester.phone") && v &&
		    !strpbrk(v, "0123456789"))
			return uc3_error_set(UC3_EINVAL, "the phone '%s' has no digits", v);
	}
	/* A unit kept is not typed: it need not be one the policy lists now. */
	unit = edited.unit;
	if (!unit_typed)
		edited.unit = NULL;
	rc = uc3_transition_new_check(&edited, p);
	edited.unit = unit;
	if (rc < 0)
		return rc;
	if (t->status == UC3_STATUS_CLOSED && !t->closed_as && t->unit && !edited.unit)
		return uc3_error_set(UC3_EDENIED,
				     "%s is archived under its unit: give the right unit, not none",
				     t->id);
	return 0;
}

/*
 * Every refusal of the correction a on t, in the order people meet them;
 * 0 with pl (as plan_step fills it) and fix (the changes an edit or a
 * reopen makes) when none.
 */
static int
plan_correction(struct plan *pl, struct uc3_event *fix, const struct uc3_ticket *t,
		const struct uc3_act *a)
{
	int rc;

	memset(fix, 0, sizeof(*fix));
	if (a->action == UC3_ACT_REOPEN && !a->policy->nroles)
		return uc3_error_set(UC3_EPOLICY, "the policy has no chain of roles");
	if ((rc = plan_step(pl, t, a)) < 0)
		return rc;
	if ((rc = correction_allowed(t, a->policy, a->action, a->actor, a->as)) < 0)
		goto fail;
	if (!pl->note) {
		rc = uc3_error_set(UC3_EINVAL, "a correction needs its reason: give -m WHY");
		goto fail;
	}
	switch (a->action) {
	case UC3_ACT_EDIT:
		rc = plan_edit(fix, t, a);
		break;
	case UC3_ACT_REOPEN:
		uc3_event_add_change(fix, "status", uc3_status_name(t->status), "open");
		/* The answer leaves the ticket with the reopen, and stays in its event. */
		if (t->answer)
			uc3_event_add_change(fix, "answer", t->answer, NULL);
		if (t->closed_as)
			uc3_event_add_change(fix, "closed_as", t->closed_as, NULL);
		if (t->duplicate_of)
			uc3_event_add_change(fix, "duplicate_of", t->duplicate_of, NULL);
		break;
	case UC3_ACT_CLOSE_AS:
		if (!a->as || (strcmp(a->as, "spam") && strcmp(a->as, "duplicate"))) {
			rc = uc3_error_set(UC3_EINVAL,
					   "--as '%s': a ticket is closed as spam or duplicate",
					   a->as ? a->as : "");
		} else if (!strcmp(a->as, "spam")) {
			if (a->of)
				rc = uc3_error_set(UC3_EINVAL,
						   "--of goes with --as duplicate, not spam");
		} else if (!a->of || !*a->of) {
			rc = uc3_error_set(UC3_EINVAL,
					   "a duplicate needs the ticket it repeats: give --of ID");
		} else if (!uc3_ticket_id_parse(a->of, NULL, NULL, NULL)) {
			rc = uc3_error_set(UC3_EINVAL,
					   "--of '%s' is not a ticket id (PREFIX-YEAR-NNNN)",
					   a->of);
		} else if (!strcmp(a->of, t->id)) {
			rc = uc3_error_set(UC3_EINVAL, "%s cannot be a duplicate of itself", t->id);
		}
		break;
	default:
		break;
	}
	if (rc == 0)
		return 0;
fail:
	plan_release(pl);
	fix_release(fix);
	return rc;
}

/* Free the changes of fix, a scratch event that holds nothing else. */
static void
fix_release(struct uc3_event *fix)
{
	size_t i;

	for (i = 0; i < fix->nchanges; i++) {
		free(fix->changes[i].field);
		free(fix->changes[i].before);
		free(fix->changes[i].after);
	}
	free(fix->changes);
	memset(fix, 0, sizeof(*fix));
}

static int
correction_check(const struct uc3_ticket *t, const struct uc3_act *a)
{
	struct uc3_event fix;
	struct plan pl;
	int rc;

	if ((rc = plan_correction(&pl, &fix, t, a)) == 0) {
		plan_release(&pl);
		fix_release(&fix);
	}
	return rc;
}

static void
set_str(char **field, const char *value)
{
	free(*field);
	*field = value ? uc3_xstrdup(value) : NULL;
}

static int
correction_apply(struct uc3_ticket *t, const struct uc3_act *a, struct uc3_buf *msg)
{
	const struct uc3_policy *p = a->policy;
	const char *step = uc3_transition_step(t);
	struct uc3_event fix, *ev;
	struct plan pl;
	size_t i, j;
	int rc;

	if ((rc = plan_correction(&pl, &fix, t, a)) < 0)
		return rc;
	/* Nothing can fail from here on: the ticket changes. */
	ev = uc3_ticket_add_event(t);
	uc3_clock_format_str(&ev->at, a->now, p->timezone);
	ev->by = uc3_xstrdup(a->actor);
	ev->action = uc3_xstrdup(uc3_transition_action_name(a->action));
	ev->note = pl.note;
	pl.note = NULL;
	/* An edit ends no step; a reopen or a close as ends the one that ran. */
	if (a->action != UC3_ACT_EDIT && step) {
		ev->step.name = uc3_xstrdup(step);
		ev->step.due = t->deadline ? uc3_xstrdup(t->deadline) : NULL;
		ev->step.late = pl.has_due && a->now > pl.due_prev;
	}
	switch (a->action) {
	case UC3_ACT_EDIT:
		for (i = 0; i < fix.nchanges; i++)
			for (j = 0; j < NEDIT_FIELDS; j++)
				if (!strcmp(fix.changes[i].field, edit_fields[j].name))
					set_str(field_of(t, &edit_fields[j]), fix.changes[i].after);
		break;
	case UC3_ACT_REOPEN:
		if (t->level)
			ev->from = uc3_xstrdup(t->level);
		ev->to = uc3_xstrdup(pl.next_level);
		t->status = UC3_STATUS_OPEN;
		set_str(&t->level, pl.next_level);
		set_str(&t->answer, NULL);
		set_str(&t->closed_as, NULL);
		set_str(&t->duplicate_of, NULL);
		uc3_clock_format_str(&t->deadline, pl.next_due, p->timezone);
		break;
	case UC3_ACT_CLOSE_AS:
		ev->as = uc3_xstrdup(a->as);
		if (!strcmp(a->as, "duplicate"))
			ev->of = uc3_xstrdup(a->of);
		t->status = UC3_STATUS_CLOSED;
		set_str(&t->closed_as, ev->as);
		set_str(&t->duplicate_of, ev->of);
		set_str(&t->deadline, NULL);
		break;
	default:
		break;
	}
	ev->changes = fix.changes;
	ev->nchanges = fix.nchanges;
	uc3_message_correction(msg, t);
	plan_release(&pl);
	return 0;
}

/*
 * Do again the correction whose event is after's last: its reason, what
 * a close as was, the new values an edit set.
 */
static int
correction_replay(struct uc3_ticket *t, struct uc3_buf *msg, const struct uc3_ticket *after,
		  const struct uc3_act *a)
{
	const struct uc3_event *e = after->nevents ? &after->events[after->nevents - 1] : NULL;
	struct uc3_act act = *a;
	struct uc3_edit *edits = NULL;
	size_t i;
	int rc;

	act.note = e ? e->note : NULL;
	act.as = e ? e->as : NULL;
	act.of = e ? e->of : NULL;
	act.edits = NULL;
	act.nedits = 0;
	if (a->action == UC3_ACT_EDIT && e && e->nchanges) {
		edits = uc3_xcalloc(e->nchanges, sizeof(*edits));
		for (i = 0; i < e->nchanges; i++) {
			edits[i].field = e->changes[i].field;
			edits[i].value = e->changes[i].after;
		}
		act.edits = edits;
		act.nedits = e->nchanges;
	}
	rc = correction_apply(t, &act, msg);
	free(edits);
	return rc;
}

/* The fields e changed, ", " between them. */
static void
changed_fields(struct uc3_buf *out, const struct uc3_event *e)
{
	size_t i;

	for (i = 0; i < e->nchanges; i++)
		uc3_buf_addf(out, "%s%s", i ? ", " : "", e->changes[i].field);
}

/* The summary of a correction, when e is one: true. */
static bool
correction_summary(struct uc3_buf *out, const struct uc3_ticket *t, const struct uc3_policy *p,
		   const struct uc3_event *e, const char *due)
{
	const struct uc3_role *r = t->level ? uc3_policy_role(p, t->level) : NULL;

	if (!e->action)
		return false;
	if (!strcmp(e->action, "edit")) {
		struct uc3_buf fields = UC3_BUF_INIT;

		changed_fields(&fields, e);
		/* TRANSLATORS: the ticket id, then the fields changed ("subject, unit"). */
		uc3_buf_addf(out, _("%s: edited %s"), t->id, fields.ptr);
		uc3_buf_release(&fields);
		return true;
	}
	if (!strcmp(e->action, "reopen")) {
		const char *was = e->nchanges && e->changes[0].before ? e->changes[0].before : "?";

		/* TRANSLATORS: the ticket id, its status before, the role it is open at. */
		uc3_buf_addf(out, _("%s: reopened (was %s), open at %s"), t->id, was, t->level);
		if (r && r->name && strcmp(r->name, r->id))
			uc3_buf_addf(out, " (%s)", r->name);
		uc3_buf_addf(out, _(", due %s"), due);
	} else if (!strcmp(e->action, "close") && e->as) {
		if (e->of)
			uc3_buf_addf(out, _("%s: closed as a duplicate of %s"), t->id, e->of);
		else
			/* TRANSLATORS: the ticket id, then spam or duplicate (kept as they are). */
			uc3_buf_addf(out, _("%s: closed as %s"), t->id, e->as);
	} else {
		return false;
	}
	step_late(out, e, NULL);
	return true;
}
