#ifndef UC3_MESSAGE_H
#define UC3_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "ticket.h"

/*
 * Commit messages as uc3 writes them (DESIGN section 7), in one place:
 * a subject line, an empty line, for a step the event's note, then the
 * trailers ("Ticket: UC3-2026-0042", "Action: escalate", ...) as the last
 * paragraph. The builders append to a buffer; the readers take a message
 * apart again, for uc3 log and for the audit.
 */

/*
 * Append the message of registering t (uc3 new): the subject
 * "ID: new KIND: SUBJECT", then the trailers Ticket, Action, Kind,
 * Channel, To-Level, Deadline, and Quarantine (the file it was typed
 * from, removed by the same commit) when t has `quarantined`.
 */
void uc3_message_new(struct uc3_buf *msg, const struct uc3_ticket *t);

/*
 * Append the message of keeping a mail uc3 could not read at path
 * (quarantine/NAME.eml): the subject "quarantine: a mail uc3 could not
 * read", why (one line, not empty), then the trailers Action: quarantine
 * and Quarantine: path.
 */
void uc3_message_quarantine(struct uc3_buf *msg, const char *path, const char *why);

/*
 * Append the message of the step t's last event records (escalate,
 * answer, deliver, close; see transition.h), from t as the step left it:
 * the subject ("ID: escalate staf -> wakor (staf step late)"), the note,
 * then the trailers Ticket, Action, From-Level and To-Level or Level,
 * Step, Late, and Unit (close) or Deadline.
 */
void uc3_message_step(struct uc3_buf *msg, const struct uc3_ticket *t);

/*
 * A deliver by mail (deliver --send; its event has `to`) is "ID: deliver
 * by mail to ADDR" with, before Step, the trailers Delivered: mail,
 * To: ADDR and Message-ID: <...> (the mail's). An answer delivered at
 * once (answer --send, t's last two events answer and deliver) is one
 * message, appended by uc3_message_answer_sent: "ID: answer at LEVEL and
 * deliver by mail to ADDR", the answer event's note, then Ticket, Action
 * (answer), Level, Taken-Over-From, Step and Late of the answer's step,
 * Delivered, To, Message-ID, and the archive step's Deadline.
 */
void uc3_message_answer_sent(struct uc3_buf *msg, const struct uc3_ticket *t);

/*
 * Append the message of the follow-up t's last event records (a mail
 * from the requester, uc3 new --mail; see transition.h): the subject
 * "ID: followup from ADDRESS", no text (the mail's text is the event's
 * note, kept in the ticket), then the trailers Ticket, Action (followup)
 * and Message-ID when the mail had one.
 */
void uc3_message_followup(struct uc3_buf *msg, const struct uc3_ticket *t);

/*
 * Append the message of the correction t's last event records (see
 * transition.h), from t as it left it: the note is the reason.
 *   edit      "ID: edit unit, subject"; Ticket, Action, Fields
 *   reopen    "ID: reopen delivered -> open at staf"; Ticket, Action,
 *             From-Status, From-Level, To-Level, Step and Late (when a
 *             step ended), Deadline
 *   close as  "ID: close as spam", "ID: close as duplicate of ID2";
 *             Ticket, Action (close), As, Of, Step, Late
 * A late step adds "(archive step late)" to the subject, as for a step.
 */
void uc3_message_correction(struct uc3_buf *msg, const struct uc3_ticket *t);

/*
 * Append the message of uc3 attach adding the last n attachments of t,
 * from t as the step left it: the subject "ID: attach NAME" (one file) or
 * "ID: attach N files", the event's note, then the trailers Ticket,
 * Action and one Attachment a file, by name.
 */
void uc3_message_attach(struct uc3_buf *msg, const struct uc3_ticket *t, size_t n);

/* One notice: who was told what (about: NULL, a late step) of which step. */
struct uc3_message_notice {
	const char *id;
	const char *step; /* NULL: about no step (received) */
	const char *email;
	const char *about;
};

/*
 * Append the message recording the notices of one run: "overdue: N
 * notices of late steps, M tickets" when all are of late steps; else for
 * one ticket "UC3-2026-0042: notice escalated to a@x.id" (or "to N
 * people"), for several "notice: N mails (warning, reminder), M tickets";
 * then one line per notice in nv ("ID step: email" for a late step, "ID
 * about step: email" for the others), then the trailer Action: notice.
 * total and tickets are what the commit records.
 */
void uc3_message_notices(struct uc3_buf *msg, size_t total, size_t tickets,
			 const struct uc3_message_notice *nv, size_t n);

/*
 * Append the message of setting aside ticket numbers first to last
 * (ids, as UC3-2026-0101 and UC3-2026-0120) for offline use: the subject
 * "reserve FIRST to LAST for offline use", then the trailers Action:
 * reserve and Reserved: FIRST..LAST.
 */
void uc3_message_reserve(struct uc3_buf *msg, const char *first, const char *last);

/* Append the message of uc3 init starting the records of office. */
void uc3_message_init(struct uc3_buf *msg, const char *office);

/* Append the message of uc3 person adding email as role, or removing email. */
void uc3_message_person_add(struct uc3_buf *msg, const char *email, const char *role);
void uc3_message_person_remove(struct uc3_buf *msg, const char *email);

/*
 * Append the message of uc3 verify --accept accepting the findings of
 * commit (full hex id) for reason (normalised text, not empty): the
 * subject "verify: accept 1a2b3c4: FIRST LINE OF REASON", the reason,
 * then the trailers Action: accept and Accepted: ID.
 */
void uc3_message_accept(struct uc3_buf *msg, const char *commit, const char *reason);

/*
 * Trailers about time and the central repository (DESIGN section 7):
 * "Offline: yes" on a commit made while the central could not be
 * reached, which waited to be pushed; "Backfill: REASON" on a step
 * recorded at a past time by a holder of the policy's central.backfill
 * role. The central keeps its own time of receipt of each such commit
 * as a note, "received 2026-12-02T10:31:00+07:00", in UC3_RECEIVED_REF.
 */
#define UC3_TRAILER_OFFLINE  "Offline"
#define UC3_TRAILER_BACKFILL "Backfill"
#define UC3_RECEIVED_REF     "refs/notes/uc3-received"

/*
 * The value of the trailer key ("Action") in the last paragraph of msg,
 * or NULL. Caller frees.
 */
char *uc3_message_trailer(const char *msg, const char *key);

/*
 * A message taken apart: the subject line, the text between it and the
 * trailers (a step's note), and the lines of the trailer paragraph, each
 * "Key: value" (value NULL for a line that is not one). Embedded:
 * uc3_message_parse fills it, uc3_message_release frees it.
 */
struct uc3_message_trailer {
	char *key;
	char *value;
	bool matched; /* for uc3_message_compare */
};

struct uc3_message {
	char *subject;
	char *text;
	struct uc3_message_trailer *tr;
	size_t ntr, atr;
};

void uc3_message_parse(struct uc3_message *m, const char *msg);
void uc3_message_release(struct uc3_message *m);

/*
 * Compare the message got with the one uc3 writes (want): the subject,
 * the text, and every trailer, none missing, changed or added. Appends to
 * why one clause a difference, "; " between them ("the subject is 'x'
 * where uc3 writes 'y'; no Step trailer where uc3 writes staf"). True
 * when they are the same. "Offline: yes" in got is no difference: a
 * write made offline adds it to whatever it writes.
 */
bool uc3_message_compare(struct uc3_buf *why, const char *want, const char *got);

#endif
