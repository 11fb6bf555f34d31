#ifndef UC3_TRANSITION_H
#define UC3_TRANSITION_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"
#include "calendar.h"
#include "policy.h"
#include "ticket.h"

/*
 * The SOP's steps as changes of a ticket (DESIGN section 6), in one
 * place: registering a ticket (new), escalate, answer, deliver, close,
 * and the notices of late steps. Each step checks the ticket's status and
 * level and, when the policy lists people, the actor's roles; appends one
 * event that records the step it ended ({name, due, late}); sets the next
 * deadline on the business calendar; and writes the commit message (see
 * message.h). On a refusal the ticket is unchanged and the result is
 * UC3_EDENIED with a message that says why ("UC3-2026-0042 is already at
 * kabiro, the top of the chain").
 *
 * The same functions say what a step would have written: the audit
 * (verify.h) replays each commit's step on the ticket before it and
 * compares.
 */

enum uc3_action {
	UC3_ACT_ESCALATE,
	UC3_ACT_ANSWER,
	UC3_ACT_DELIVER,
	UC3_ACT_CLOSE,
	/* The corrections: roles from the policy's corrections, a reason (note) required. */
	UC3_ACT_EDIT,
	UC3_ACT_REOPEN,
	UC3_ACT_CLOSE_AS, /* its event is a close with `as` */
	/*
	 * A mail from the requester about a ticket not closed (uc3 new
	 * --mail): a->note is its text (required), a->message_id its
	 * Message-ID (may be NULL), a->sender the address it came from.
	 * Appends one event
	 *
	 *	- at: NOW
	 *	  by: ACTOR
	 *	  action: followup
	 *	  note: |
	 *	    TEXT
	 *	  sender: ADDRESS
	 *	  message_id: "<...>"	(when there is one)
	 *
	 * (in that order: message_id keeps its place after note, as on
	 * every event) that ends no step: status, level and deadline
	 * unchanged. The text is normalised as a note is and may not be
	 * empty nor over the policy's body limit; sender must be a mail
	 * address; UC3_EINVAL otherwise. Anybody in single-user mode, else
	 * any of the people, service identities included; refused
	 * (UC3_EDENIED) on a closed ticket. The commit message is
	 * uc3_message_followup's.
	 */
	UC3_ACT_FOLLOWUP
};

/*
 * One field uc3 edit sets: its name as the ticket file has it
 * ("subject", "requester.email", "unit", "body") and its new value as
 * typed (NULL or blanks: the field is removed).
 */
struct uc3_edit {
	const char *field;
	const char *value;
};

struct uc3_act {
	enum uc3_action action;
	const struct uc3_policy *policy;
	const char *actor; /* the acting person's email */
	time_t now;
	const char *note;	      /* escalate, deliver: why or how (may be NULL) */
	const char *text;	      /* answer: the answer */
	const char *unit;	      /* close: sets the unit when given */
	const struct uc3_edit *edits; /* edit: the fields to set */
	size_t nedits;
	const char *as; /* close as: spam or duplicate */
	const char *of; /* close as duplicate: the id of the ticket it repeats */
	/*
	 * deliver by mail (deliver --send): the requester's address the
	 * answer was mailed to and the mail's Message-ID, written on the
	 * deliver event as `to` and `message_id`. With UC3_ACT_ANSWER
	 * (answer --send) the answer is delivered in the same step: two
	 * events, answer then deliver, one commit. mail_to must be the
	 * requester's email (case aside) and message_id "<...@...>"; send
	 * without mail_to asks for the requester's, refused when the ticket
	 * has none. uc3_op_transition fills both in when send is set, mails
	 * the answer from the template answer.txt (found in the records,
	 * else in datadir/templates) and records it only when sendmail took
	 * it.
	 */
	bool send;
	const char *mail_to;
	const char *message_id;
	const char *datadir;
	const char *sender; /* followup: the address the mail came from */
};

/* "escalate", "answer", ... */
const char *uc3_transition_action_name(enum uc3_action a);

/*
 * Whether actor may do action on t under policy p: always in single-user
 * mode (no people); else the actor must be one of the people, not a
 * service identity (but for a follow-up, which any of them may record),
 * and, for escalate and answer, hold the level that holds t or one
 * above it. An answer by a person who holds only roles
 * above that level takes the step over: the event names the role they
 * acted in (the lowest of theirs above it), the step it ends is marked
 * taken_over, and the ticket's level becomes that role.
 * Returns 0, or UC3_EDENIED naming the role needed.
 */
int uc3_transition_allowed(const struct uc3_ticket *t, const struct uc3_policy *p,
			   enum uc3_action action, const char *actor);

/*
 * Whether actor may record notices of late steps (uc3 overdue --mail):
 * anybody in single-user mode, else any of the policy's people, service
 * identities included. Returns 0, or UC3_EDENIED.
 */
int uc3_transition_may_notify(const struct uc3_policy *p, const char *actor);

/*
 * Whether actor may register tickets (uc3 new, the front desk's work,
 * and uc3 new --mail, a mail account's): anybody in single-user mode,
 * else any of the policy's people, service identities included.
 * Returns 0, or UC3_EDENIED.
 */
int uc3_transition_may_register(const struct uc3_policy *p, const char *actor);

/*
 * Whether a->action on t would be refused, without changing t: every
 * refusal of uc3_transition_apply, with the same message. An answer whose
 * text is not given yet (a->text NULL) is checked as if it had one.
 * Returns 0 or the refusal.
 */
int uc3_transition_check(const struct uc3_ticket *t, const struct uc3_act *a);

/*
 * Apply a->action to t and append the commit message to msg. Returns 0,
 * UC3_EDENIED (the SOP or the policy does not allow it; t unchanged) or
 * UC3_EINVAL (bad input such as an empty answer, a unit with a line
 * break, or one the policy's units do not name; t unchanged). A close
 * writes the unit typed as uc3_policy_unit_resolve does: an alias becomes
 * its unit's name.
 */
int uc3_transition_apply(struct uc3_ticket *t, const struct uc3_act *a, struct uc3_buf *msg);

/*
 * Whether e is a deliver by mail (answer or deliver --send): a deliver
 * event with `to`, the address the answer was mailed to.
 */
bool uc3_transition_by_mail(const struct uc3_event *e);

/*
 * What a mail event says after its action, for people: " by mail to X"
 * for a deliver by mail; " by mail from X" for a follow-up; for a notice " to X: received", ":
 * escalated to wakor", ": warning of step staf", ": late", ": reminder", ": digest". Returns false,
 * appending nothing, for any other event.
 */
bool uc3_transition_mail_words(struct uc3_buf *out, const struct uc3_event *e);

/* The action named name ("escalate", ...): true and *out, or false. */
bool uc3_transition_action(enum uc3_action *out, const char *name);

/*
 * Do again the step that turned a ticket into after: apply a->action to
 * t (the ticket before it) as a->actor at a->now under a->policy, with
 * the note of after's last event, after's answer and after's unit as what
 * was typed (the unit only when it differs from t's: a unit kept is not
 * typed, and need not be one the policy lists now). A deliver event with
 * `to` is a deliver by mail, to that address with its message_id; an
 * answer whose commit also appended such a deliver (after has both, the
 * deliver last) is an answer --send, its note the answer event's. A close whose event
 * has `as` is a close as spam or duplicate, with its `as` and `of`; an
 * edit sets the new values its event's changes list; a follow-up is
 * its event's note, sender and message_id. t becomes what the
 * step writes, msg gets its
 * message. Returns as uc3_transition_apply.
 */
int uc3_transition_replay(struct uc3_ticket *t, struct uc3_buf *msg, const struct uc3_ticket *after,
			  const struct uc3_act *a);

/*
 * The corrections (see uc3-edit(1), uc3-reopen(1), uc3-close(1)), done by
 * uc3_transition_apply and checked by uc3_transition_check like the steps,
 * each one event that carries its reason (a->note, required):
 *
 *   UC3_ACT_EDIT      sets a->edits on any status: the ticket as edited
 *                     must pass uc3_transition_new_check; the event
 *                     `edit` lists each field that changed with its old
 *                     and new value (`changes`); status, level, deadline
 *                     and the clock stay; an edit that changes nothing is
 *                     refused.
 *   UC3_ACT_REOPEN    a ticket answered, delivered or closed goes back to
 *                     the bottom of the chain, open, due that role's step
 *                     from now; the event `reopen` (from, to: the levels)
 *                     ends the deliver or archive step that ran and keeps
 *                     the status it had and the answer, which leaves the
 *                     ticket, in its `changes`.
 *   UC3_ACT_CLOSE_AS  closes a ticket that is not closed as a->as, spam or
 *                     duplicate (a->of, another ticket's id), without
 *                     answer, delivery or unit: the event `close` with
 *                     `as` and `of` ends the step that ran; the ticket
 *                     gets closed_as and duplicate_of.
 *
 * Each needs, once the policy lists people, a role that the policy's
 * corrections give it.
 */

/*
 * Whether the person who made event e, the last one of a ticket whose
 * state before it was t, may make it: 0 when e is no correction, or when
 * its author has a role the policy's corrections give that correction
 * (anybody in single-user mode); else UC3_EDENIED naming the roles that
 * may ("humas1@unej.ac.id cannot reopen UC3-2026-0042: corrections.reopen
 * in uc3.yaml gives that to koordinator, kabiro"). The audit asks it, as
 * it asks uc3_transition_allowed.
 */
int uc3_transition_may_correct(const struct uc3_ticket *t, const struct uc3_policy *p,
			       const struct uc3_event *e);

/*
 * What registering refuses of the fields a person typed (t): what
 * uc3_ticket_check refuses under p, a body with nothing but blanks
 * ("the body is empty"), a unit that p's units do not name when it
 * lists some (uc3_policy_unit_resolve's message), and of the fields of
 * a mail (each may be NULL): a message_id not "<left@right>", a sent
 * not RFC 3339, a follows not an id of p's prefix, an automatic not one
 * of UC3_TICKET_AUTOMATIC_WORDS, each named. Returns 0 or UC3_EINVAL.
 */
int uc3_transition_new_check(const struct uc3_ticket *t, const struct uc3_policy *p);

/*
 * Register a ticket (uc3 new, DESIGN section 6, first row): *out gets the
 * ticket uc3 writes from what was typed, in (its id, subject, kind,
 * channel, requester, unit and body, and message_id, sent, follows and
 * automatic as they are; blanks around the names, the social
 * account and the unit dropped, an alias of a unit written as the unit's
 * name, the body and the postal address normalised
 * (uc3_requester_address)): open at the bottom of a->policy's chain,
 * received at received, due that role's step after it on the business
 * calendar, with one event `new` by a->actor at a->now. Refuses what
 * uc3_transition_new_check refuses. *out: uc3_ticket_free. The commit
 * message is uc3_message_new's.
 */
int uc3_transition_new(struct uc3_ticket **out, const struct uc3_ticket *in,
		       const struct uc3_act *a, time_t received);

/* What a notice tells (its event's `about`); NULL: that the step is late. */
#define UC3_ABOUT_RECEIVED  "received"	/* the requester: received as ID (notify.acknowledge) */
#define UC3_ABOUT_ESCALATED "escalated" /* holders of the new level: the question reached you */
#define UC3_ABOUT_WARNING   "warning"	/* holders: the step nears its deadline (notify.warn) */
#define UC3_ABOUT_REMINDER  "reminder"	/* the step is still late (notify.repeat) */
#define UC3_ABOUT_DIGEST    "digest"	/* the top role's daily list of what is late */

/* True when about is NULL or one of the UC3_ABOUT_* words. */
bool uc3_transition_about_ok(const char *about);

/* One mail sent about a ticket, as its `notice` event records it. */
struct uc3_notice {
	const char *to;	   /* the address told */
	const char *about; /* UC3_ABOUT_*; NULL: the step is late */
	/*
	 * The step it is about and its deadline (the ticket's deadline when
	 * it was sent); NULL for received, which is about no step. The
	 * event's step is {name, due, late}, late true for a breach, a
	 * reminder and a digest.
	 */
	const char *step;
	const char *due;
	const char *message_id; /* the mail's Message-ID, "<...>"; NULL: none recorded */
};

/*
 * Whether t records a notice to to (case-insensitive) about about (NULL:
 * late) of step step due due (step NULL: any step, or none). uc3 overdue
 * tells each person once of each late step; the other notices likewise.
 */
bool uc3_transition_notified(const struct uc3_ticket *t, const char *to, const char *about,
			     const char *step, const char *due);

/*
 * Record on t that a->actor told n->to at a->now (in a->policy's zone)
 * what n says: one `notice` event (at, by, action notice, to, about,
 * message_id, step). The notices of a run are one commit, with
 * uc3_message_notices's message.
 */
void
uc3_transition_notice(struct uc3_ticket *t, const struct uc3_act *a, const struct uc3_notice *n);

/*
 * Events never go back in time: now, behind anything on t (its receipt,
 * any event, not only the last one, which a hand may have dated back), is
 * refused, UC3_EINVAL naming what it is behind. Returns 0 when it is not.
 */
int uc3_transition_check_time(const struct uc3_ticket *t, time_t now);

/*
 * The latest time on t: every event's, and when it was received. *what
 * (may be NULL) gets the index of that event, or -1 for received. Returns
 * false when none reads.
 */
bool uc3_transition_latest(time_t *out, long *what, const struct uc3_ticket *t, size_t nevents);

/*
 * Append one line saying what the last transition did to t, for people:
 * "UC3-2026-0042: escalated staf -> wakor (Wakil Koordinator PKIH), due
 * 2026-11-28 10:05", and when the step it ended was late, how late in
 * office days ("; the staf step was late by 1d 5m"). No newline.
 */
void
uc3_transition_summary(struct uc3_buf *out, const struct uc3_ticket *t, const struct uc3_policy *p);

/*
 * How the current step of t stands at now, in business time: *left gets
 * the span from now to its deadline (left->total negative: how late it
 * is; late with no business time between is -1 second). Returns 0;
 * UC3_ENOTFOUND when t has no running step (closed, or no deadline);
 * UC3_EINVAL for a deadline that cannot be read.
 */
int uc3_transition_time_left(struct uc3_calendar_span *left, const struct uc3_ticket *t,
			     const struct uc3_policy *p, time_t now);

/* Append "1d 1h 5m left" or "late by 3d 20m" (d: office days) for a span left. */
void uc3_transition_format_left(struct uc3_buf *out, const struct uc3_calendar_span *left);

/*
 * The step a ticket is in now: the role holding it while open, "deliver"
 * once answered, "archive" once delivered; NULL when closed. Borrowed.
 */
const char *uc3_transition_step(const struct uc3_ticket *t);

/*
 * Who must act next on a ticket of this status at level (DESIGN section
 * 6): while open, the role at its level; once answered or delivered, the
 * bottom role of p's chain, since delivering and archiving are the front
 * desk's work; closed, nobody (NULL). What `uc3 list --holder`, `uc3
 * show` and `uc3 overdue` name. Borrowed from level or p.
 */
const char *
uc3_transition_holder(const struct uc3_policy *p, enum uc3_status status, const char *level);

#endif
