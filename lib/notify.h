#ifndef UC3_NOTIFY_H
#define UC3_NOTIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "calendar.h"
#include "policy.h"
#include "store.h"
#include "ticket.h"
#include "transition.h"
#include "ydoc.h"

/*
 * Mail about tickets: the templates an office words (templates/NAME.txt),
 * one message to one person, threaded for the requester, sent through the
 * policy's sendmail, and what was sent recorded as `notice` events in one
 * commit, so that nothing is sent twice and the audit shows who was told
 * when. uc3 new (the acknowledgement), uc3 escalate ("the question reached
 * you") and uc3 overdue --mail (warnings, breaches, reminders, the digest,
 * and a retry of what could not be sent before) go through here; the
 * answer itself goes with its deliver event (ops.c).
 */

/* Mail templates, each a Subject: line, an empty line, then the body. */
#define UC3_NOTIFY_RECEIVED  "received.txt"
#define UC3_NOTIFY_ESCALATED "escalated.txt"
#define UC3_NOTIFY_ANSWER    "answer.txt"

/*
 * The template templates/name (of the records at the tip, else the
 * installed copy in datadir/templates, as uc3_paper_template finds it)
 * rendered with ctx: its Subject: line into subject (UC3_TMPL_HEADER),
 * the rest into body (UC3_TMPL_BODY). Returns 0, UC3_ENOTFOUND, or
 * UC3_EINVAL for a template that is not a Subject: line, an empty line and
 * a body ("templates/answer.txt: it must start with ...").
 */
int uc3_notify_render(struct uc3_buf *subject, struct uc3_buf *body, struct uc3_store *st,
		      const char *datadir, const char *name, const struct uc3_ynode *ctx);

/* The same, from a template already read: tmpl, called name in messages. */
int uc3_notify_render_text(struct uc3_buf *subject, struct uc3_buf *body, const char *tmpl,
			   const char *name, const struct uc3_ynode *ctx);

/*
 * What uc3 writes into mail is in the office's language, the policy's
 * language: (whatever the locale: cron's is C), or the locale's when the
 * policy gives none. uc3_notify_lang_push(p) makes messages (gettext)
 * come out in it until uc3_notify_lang_pop(); the pairs nest.
 */
void uc3_notify_lang_push(const struct uc3_policy *p);
void uc3_notify_lang_pop(void);

/*
 * Append t for a mail, in the office's language (above): "Senin,
 * 30 November 2026 09.05 WIB" (uc3_datetext_long) when the policy names
 * a language or the mail is in Indonesian, else "2026-11-30 09:05" as
 * before the policy could name one; in the policy's zone.
 */
void uc3_notify_time(struct uc3_buf *out, time_t t, const struct uc3_policy *p);

/* Append a span of office time for a mail (uc3_calendar_format_span), in the office's language. */
void
uc3_notify_span(struct uc3_buf *out, const struct uc3_calendar_span *s, const struct uc3_policy *p);

/*
 * A new template context (a map; uc3_ynode_free) with the office's
 * names: office, sop, prefix; and, when t is not NULL, `ticket`, a map of
 * t's fields as people read them: id, subject, kind, channel, unit,
 * status, body, answer, requester.name, requester.email, received,
 * deadline (office time as uc3_notify_time writes it: "2026-11-28 10:05",
 * or "Sabtu, 28 November 2026 10.05 WIB" under language: id), level and
 * level_name (the role's name), step_time (the current step's time in the
 * policy, "1h"), answer_within (the SOP's most from receipt to the answer
 * delivered: every step of the chain and deliver, "3h40m", the policy's
 * notation in every language) and answer_by (when that ends for t, as
 * deadline).
 * Every value is a string; a missing field is "".
 */
struct uc3_ynode *uc3_notify_context(const struct uc3_policy *p, const struct uc3_ticket *t);

/*
 * Threading of the mails to t's requester: in_reply_to is the requester's
 * own message (t->message_id; NULL when none) and refs[0..nrefs) the
 * thread: it, then the Message-IDs of the mails sent to the requester
 * before (notices to the requester's address, a deliver by mail), oldest
 * first. Borrowed from t; free(th->refs).
 */
struct uc3_notify_thread {
	const char *in_reply_to;
	const char **refs;
	size_t nrefs;
};
void uc3_notify_thread(struct uc3_notify_thread *th, const struct uc3_ticket *t);

/*
 * The sendmail command: $UC3_SENDMAIL when set and not empty (a test's
 * stand-in, or a machine's own), else the policy's mail.sendmail.
 */
const char *uc3_notify_sendmail(const struct uc3_policy *p);

/*
 * Compose one message (uc3_mail_compose) from p's mail.from to `to` with
 * subject and body, dated now, with Message-ID message_id (made with
 * uc3_mail_message_id beforehand, so that it can be recorded), threaded as
 * th (may be NULL), and hand it to uc3_notify_sendmail(p). Returns 0, or
 * the error ("sendmail failed (exit 75): ...", an address refused).
 */
int
uc3_notify_send(const struct uc3_policy *p, const char *to, const char *subject, const char *body,
		time_t now, const char *message_id, const struct uc3_notify_thread *th);

/*
 * One notice to record: the ticket it is about, what its event says, and
 * after: 0 for a notice that goes once (left out when the ticket already
 * has one like it, uc3_transition_notified); for one that repeats (a
 * reminder, a digest), left out only when the ticket has one like it
 * (same address, about, step and due) dated after `after`, which another
 * run recorded meanwhile.
 */
struct uc3_notify_rec {
	const char *id;
	struct uc3_notice n;
	time_t after;
};

/*
 * Record nv[0..n) as `notice` events by the acting person at at, in one
 * commit (uc3_message_notices's message): each ticket read once, a
 * notice the ticket already has (see after) left out.
 * *recorded gets how many were recorded, commit the commit ("" when
 * none). Returns 0 or a negative error (nothing recorded).
 */
int uc3_notify_record(size_t *recorded, char commit[41], struct uc3_store *st,
		      const struct uc3_notify_rec *nv, size_t n, time_t at);

/* Append email to *out (a copy) unless it is there already, in any case. */
void uc3_notify_add(char ***out, size_t *n, const char *email);

/* The people holding role under p (not service identities), appended to *out, each once. */
void uc3_notify_holders(char ***out, size_t *n, const struct uc3_policy *p, const char *role);

/* What one of the notices below did. */
struct uc3_notify_outcome {
	size_t sent;	 /* messages sendmail took */
	size_t failed;	 /* messages it refused (or could not be composed) */
	size_t recorded; /* notices recorded */
	char *error;	 /* the first failure, for a warning (free()) */
	char commit[41]; /* the commit of the notices, "" when none */
	char *told;	 /* the addresses sendmail took, ", " between (free()); NULL: none */
	bool nobody;	 /* the policy lists people but nobody to tell (no holder, no fallback) */
	bool expired;	 /* an acknowledgement past the SOP's time to the answer: not sent */
};
void uc3_notify_outcome_release(struct uc3_notify_outcome *o);

/*
 * The acknowledgement (notify.acknowledge): when the policy asks for it,
 * ticket id is open and its requester has an email address that was not
 * acknowledged yet, mail them templates/received.txt and record it (a
 * notice about `received`). A ticket from an automatic mail (its
 * `automatic` set: an auto-reply, a bounce, bulk or list mail, a loop)
 * is never acknowledged, so that two robots never answer each other.
 * Nothing to do is 0 with nothing sent.
 * A failed mail is o->failed and o->error, not an error: the ticket stands,
 * and uc3 overdue --mail tries again, until the SOP's time to the answer
 * (every step of the chain and deliver, on the business calendar from
 * receipt) has run out: then nothing is sent and o->expired is set.
 * Returns 0 or a negative error.
 */
int uc3_notify_acknowledge(struct uc3_notify_outcome *o, struct uc3_store *st, const char *id,
			   time_t now, const char *datadir);

/*
 * "The question reached you" (notify.holders): when ticket id is open at
 * a level it was escalated to, mail the holders of that level (each one
 * not told of this step yet; notify.fallback when nobody holds it)
 * templates/escalated.txt, with why it was escalated and the deadline in
 * office time, and record each (a notice about `escalated`, step the
 * level and its deadline). Failures as uc3_notify_acknowledge's.
 */
int uc3_notify_escalated(struct uc3_notify_outcome *o, struct uc3_store *st, const char *id,
			 time_t now, const char *datadir);

/*
 * Whether uc3_notify_acknowledge or uc3_notify_escalated still has
 * something to send for t under p (without looking at who holds what):
 * an acknowledgement not recorded, an escalation nobody was told of.
 * uc3 overdue --mail retries such tickets.
 */
bool uc3_notify_pending(const struct uc3_ticket *t, const struct uc3_policy *p);

/*
 * The same without the policy, for the open index: out gets "a" when t
 * may owe an acknowledgement (open, not automatic, a requester email,
 * none recorded to it), "e" when it may owe the escalation notice (escalated to its level,
 * nobody told of this step), both, or "".
 */
void uc3_notify_owed(char out[3], const struct uc3_ticket *t);

/*
 * Whether what uc3_notify_owed found (owed) is owed under p: an
 * acknowledgement with notify.acknowledge; an escalation notice with
 * notify.holders and somebody to tell (people, or notify.fallback).
 */
bool uc3_notify_owed_under(const char *owed, const struct uc3_policy *p);

#endif
