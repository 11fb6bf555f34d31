#ifndef UC3_TRANSITION_H
#define UC3_TRANSITION_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "policy.h"
#include "ticket.h"

/*
 * The SOP's steps as changes of a ticket (DESIGN section 6), in one
 * place. Each transition checks the ticket's status and level and, when
 * the policy lists people, the actor's roles; appends one event that
 * records the step it ended ({name, due, late}); sets the next deadline on
 * the business calendar; and writes the commit message with its trailers.
 * On a refusal the ticket is unchanged and the result is UC3_EDENIED with
 * a message that says why ("UC3-2026-0042 is already at kabiro, the top
 * of the chain").
 */

enum uc3_action {
	UC3_ACT_ESCALATE,
	UC3_ACT_ANSWER,
	UC3_ACT_DELIVER,
	UC3_ACT_CLOSE
};

struct uc3_act {
	enum uc3_action action;
	const struct uc3_policy *policy;
	const char *actor;	/* the acting person's email */
	time_t now;
	const char *note;	/* escalate, deliver: why or how (may be NULL) */
	const char *text;	/* answer: the answer */
	const char *unit;	/* close: sets the unit when given */
};

/* "escalate", "answer", ... */
const char *uc3_action_name(enum uc3_action a);

/*
 * Whether actor may do action on t under policy p: always in single-user
 * mode (no people); else the actor must be one of the people and, for
 * escalate and answer, hold the level that holds t or one above it.
 * Returns 0, or UC3_EDENIED naming the role needed.
 */
int uc3_transition_allowed(const struct uc3_ticket *t, const struct uc3_policy *p,
			   enum uc3_action action, const char *actor);

/*
 * Whether actor may register tickets (uc3 new, the front desk's work):
 * anybody in single-user mode, else any of the policy's people.
 * Returns 0, or UC3_EDENIED.
 */
int uc3_transition_may_register(const struct uc3_policy *p, const char *actor);

/*
 * Apply a->action to t and append the commit message to msg. Returns 0,
 * UC3_EDENIED (the SOP or the policy does not allow it; t unchanged) or
 * UC3_EINVAL (bad input such as an empty answer or a unit with a line
 * break; t unchanged).
 */
int uc3_transition_apply(struct uc3_ticket *t, const struct uc3_act *a, struct uc3_buf *msg);

/*
 * Append the commit message of registering t (uc3 new): the summary line,
 * then the trailers Ticket, Action, Kind, Channel, To-Level, Deadline.
 */
void uc3_transition_new_message(struct uc3_buf *msg, const struct uc3_ticket *t);

/*
 * The latest time on t: every event's, and when it was received. *what
 * (may be NULL) gets the index of that event, or -1 for received. Returns
 * false when none reads.
 */
bool uc3_ticket_latest(time_t *out, long *what, const struct uc3_ticket *t, size_t nevents);

/*
 * Append one line saying what the last transition did to t, for people:
 * "UC3-2026-0042: escalated staf -> wakor (Wakil Koordinator PKIH), due
 * 2026-11-28 10:05". No newline.
 */
void uc3_transition_summary(struct uc3_buf *out, const struct uc3_ticket *t,
			    const struct uc3_policy *p);

/*
 * How the current step of t stands at now, in business time: *left gets
 * the seconds left before its deadline (negative: how late it is).
 * Returns 0; UC3_ENOTFOUND when t has no running step (closed, or no
 * deadline); UC3_EINVAL for a deadline that cannot be read.
 */
int uc3_ticket_time_left(long *left, const struct uc3_ticket *t, const struct uc3_policy *p,
			 time_t now);

/* Append "1h 5m left" or "late by 20m" for seconds left. */
void uc3_format_left(struct uc3_buf *out, long left);

/*
 * The step a ticket is in now: the role holding it while open, "deliver"
 * once answered, "archive" once delivered; NULL when closed. Borrowed.
 */
const char *uc3_ticket_step(const struct uc3_ticket *t);

#endif
