#ifndef UC3_TICKET_H
#define UC3_TICKET_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "policy.h"
#include "utf8.h" /* uc3_text_check and the other text helpers */
#include "ydoc.h"

/*
 * The ticket: one YAML file per question, complaint or suggestion
 * (DESIGN section 4, documented in uc3-ticket(5)). Timestamps are kept as
 * the RFC 3339 text of the file so that a file round-trips byte for byte;
 * uc3_clock_parse gives their instant. Every string is UTF-8, owned by the
 * ticket, freed by uc3_ticket_free.
 *
 * One header for three files: ticket.c (the model, ids, uc3_ticket_check),
 * ticket_read.c (uc3_ticket_parse) and ticket_write.c (uc3_ticket_format).
 */

enum uc3_status { UC3_STATUS_OPEN, UC3_STATUS_ANSWERED, UC3_STATUS_DELIVERED, UC3_STATUS_CLOSED };

struct uc3_step {
	char *name; /* NULL: the event ended no step */
	char *due;
	bool late;
	bool taken_over; /* a higher role answered while this step ran (written only when true) */
};

/*
 * One field a correction changed (uc3 edit, uc3 reopen): its name as the
 * file has it ("unit", "requester.email", "status"), and its value before
 * and after, NULL where the ticket had none.
 */
struct uc3_event_change {
	char *field;
	char *before; /* "old" in the file */
	char *after;  /* "new" in the file */
};

struct uc3_event {
	char *at;
	char *by;
	char *action; /* new, escalate, answer, deliver, close, notice, edit, reopen... */
	char *as;     /* close --as: spam or duplicate */
	char *of;     /* close --as duplicate: the ticket it repeats */
	char *role;   /* the role the person acted in, when above the level that held the ticket */
	char *from;   /* level before, when it changes */
	char *to;     /* level after */
	char *note;
	/*
	 * A notice (action notice): what the person `to` was told, one of
	 * the UC3_ABOUT_* words of transition.h; NULL (not written): that
	 * the step is late, the first notice of a breach.
	 */
	char *about;
	/*
	 * The Message-ID ("<...>") of the mail this event sent: a notice, or
	 * a deliver by mail (answer or deliver --send), whose `to` is then
	 * the requester's address. NULL when no mail went.
	 */
	char *message_id;
	/*
	 * A follow-up (action followup, uc3 new --mail): the address the
	 * mail came from; its Message-ID is message_id and its text note.
	 */
	char *sender;
	/*
	 * A backfill (UC3_BACKFILL, uc3_clock_backfill): why the step was
	 * recorded at a past time; the commit's Backfill trailer says the
	 * same. NULL when it was not.
	 */
	char *backfill;
	struct uc3_step step;
	struct uc3_event_change *changes; /* edit, reopen: what changed, in the order written */
	size_t nchanges;
	struct uc3_ynode *extra; /* other keys, kept in order; NULL if none */
};

/*
 * A file kept with the ticket (uc3 attach), stored beside the ticket file
 * at tickets/YEAR/MM/ID/NAME (uc3_records_attachment_path) and listed in
 * the ticket's `attachments` in the order it was added.
 */
struct uc3_attachment {
	char *name;  /* the file's name in the ticket's folder: uc3_ticket_attachment_name_ok */
	char *type;  /* its MIME type, "application/pdf" */
	size_t size; /* bytes */
	char *blob;  /* the id of its git blob, 40 hex digits */
};

struct uc3_ticket {
	char *id;
	char *subject;
	char *kind;
	char *channel;
	struct {
		char *name;
		char *email;
		char *phone;
		char *social;  /* a social-media account as typed: @unej_fess */
		char *address; /* a postal address, lines ending in LF */
	} requester;
	char *unit;
	char *received;
	/*
	 * The Message-ID ("<...>") of the requester's message the ticket
	 * came from (uc3 new --mail), for threading the mails sent to them;
	 * NULL when there is none.
	 */
	char *message_id;
	/*
	 * Mail in (uc3 new --mail): the Date the requester's mail gave,
	 * RFC 3339 in the policy's zone (`sent`); the closed ticket a
	 * follow-up to it came after, an id (`follows`); the word of
	 * uc3_mail_in.automatic, or "loop", when the mail was automatic and
	 * is never acknowledged (`automatic`); the quarantine file
	 * (quarantine/NAME.eml) a person registered this ticket from, which
	 * the same commit removes (`quarantined`). Each NULL when not.
	 */
	char *sent;
	char *follows;
	char *automatic;
	char *quarantined;
	enum uc3_status status;
	char *closed_as;    /* closed without an answer: spam or duplicate (uc3 close --as) */
	char *duplicate_of; /* closed as a duplicate of this ticket */
	char *level;
	char *deadline; /* NULL once closed */
	char *body;
	char *answer;
	struct uc3_attachment *attachments; /* the files kept with it, oldest first */
	size_t nattachments, aattachments;
	struct uc3_ynode *extra; /* other top-level keys, kept in order */
	struct uc3_event *events;
	size_t nevents;
	size_t aevents;
};

#define UC3_TICKET_FILE_MAX (8 * 1024 * 1024)

/* A new empty ticket (all NULL). Free with uc3_ticket_free. */
struct uc3_ticket *uc3_ticket_new(void);
void uc3_ticket_free(struct uc3_ticket *t);

/*
 * Read a ticket file. name (the path in the tree) is used in messages.
 * Checks the YAML (see ydoc.h), the types and presence of the required
 * fields (id, subject, kind, channel, received, status; level and deadline
 * unless closed; events), timestamps and the status word; closed_as
 * (spam or duplicate) only on a closed ticket, duplicate_of (a ticket id)
 * with closed_as duplicate and only then; a field in each of an event's
 * changes; sent a timestamp, follows a ticket id, automatic one of
 * uc3_ticket_automatic_ok's words, an event's sender one line.
 * Returns 0 and *out (free with uc3_ticket_free), or UC3_EINVAL with
 * "name:line:column: what".
 */
int uc3_ticket_parse(struct uc3_ticket **out, const char *data, size_t len, const char *name);

/*
 * Append the canonical YAML text of t to out: fixed key order, multi-line
 * text as literal blocks, text that a YAML loader would take for another
 * type quoted, absent fields left out. parse(format(t)) == t and
 * format(parse(f)) == f for any f this function wrote.
 */
int uc3_ticket_format(struct uc3_buf *out, const struct uc3_ticket *t);

/* True when two events are the same in every field, extra fields included. */
bool uc3_event_equal(const struct uc3_event *a, const struct uc3_event *b);

/*
 * The status a ticket file written by uc3 states on its own line,
 * without parsing it: true and *out when there is such a line. A file
 * that does not have it (edited by hand, broken) needs a real parse.
 */
bool uc3_ticket_peek_status(enum uc3_status *out, const char *data, size_t len);

/* Append a new event (zeroed) and return it; owned by t. */
struct uc3_event *uc3_ticket_add_event(struct uc3_ticket *t);

/*
 * Append a change of field from before to after (any of them NULL:
 * absent) to e, copying the strings; returns it, owned by e.
 */
struct uc3_event_change *
uc3_event_add_change(struct uc3_event *e, const char *field, const char *before, const char *after);

/* Append a new attachment (zeroed) and return it; owned by t. */
struct uc3_attachment *uc3_ticket_add_attachment(struct uc3_ticket *t);

/* The attachment of t called name, or NULL. Borrowed from t. */
const struct uc3_attachment *uc3_ticket_attachment(const struct uc3_ticket *t, const char *name);

/*
 * Whether name may name an attachment, a file in a ticket's folder:
 * 1 to UC3_ATTACHMENT_NAME_MAX bytes of well-formed UTF-8, no slash, no
 * leading dot, no control character (C0, DEL, C1), and not starting
 * with git~1 in any case (the short name Windows gives .git, which git
 * refuses in a tree). uc3 attach makes every name it stores so.
 */
#define UC3_ATTACHMENT_NAME_MAX 255
bool uc3_ticket_attachment_name_ok(const char *name);

/* Whether s is a git blob id as a ticket writes it: 40 lower-case hex digits. */
bool uc3_ticket_blob_ok(const char *s);

/*
 * Whether path names a file of the quarantine, as `quarantined` holds
 * one: "quarantine/" then a UTC time "YYYY-MM-DDTHHMMSSZ" that is a
 * real time, "-", 12 lower-case hex digits and ".eml" (see
 * uc3_records_quarantine_name). *when (may be NULL) gets that time.
 */
bool uc3_ticket_quarantine_name_ok(const char *path, time_t *when);

/*
 * Whether word may be a ticket's `automatic`: auto-reply, bounce, bulk,
 * list or loop (uc3_mail_in.automatic's words, and a mail that carried
 * this office's own X-Loop). The words, ", " between them, are
 * UC3_TICKET_AUTOMATIC_WORDS, for messages.
 */
#define UC3_TICKET_AUTOMATIC_WORDS "auto-reply, bounce, bulk, list, loop"
bool uc3_ticket_automatic_ok(const char *word);

const char *uc3_status_name(enum uc3_status s);
/* Returns 0 and *out, or UC3_EINVAL (no message). */
int uc3_status_parse(enum uc3_status *out, const char *s);

/*
 * Check the fields a person typed against the policy before a ticket is
 * written: subject not empty; kind and channel in the policy's lists; a
 * requester (name, email, phone, social account or postal address), a
 * social account or an address not blank when given; every field valid
 * UTF-8; subject, kind, channel, names, email, phone, social account and
 * unit one line without control characters, address, body and answer
 * without control characters but LF and tab (uc3_text_check); body
 * within the policy's limit. Returns 0, or UC3_EINVAL with a message
 * naming the field.
 */
int uc3_ticket_check(const struct uc3_ticket *t, const struct uc3_policy *p);

/*
 * Ticket ids: PREFIX-YEAR-NNNN (at least four digits, a number from 1 to
 * UC3_TICKET_NUM_MAX). Returns true and fills year and num (either may
 * be NULL) when id is well formed for any prefix of [A-Z][A-Z0-9]*
 * (prefix NULL) or for that prefix.
 */
#define UC3_TICKET_NUM_MAX ULONG_MAX
bool uc3_ticket_id_parse(const char *id, const char *prefix, int *year, unsigned long *num);
/* Append PREFIX-YEAR-NNNN. */
void uc3_ticket_id_format(struct uc3_buf *out, const char *prefix, int year, unsigned long num);

/*
 * An id as a person types it, read as the full id it means: "42" and
 * "0042" are number 42 of year, "2026-42" that of 2026, and the full id
 * in any case ("uc3-2026-0042") is itself. The number may be padded or
 * not. prefix is the policy's; NULL takes any prefix of letters and
 * digits, made upper case. Appends PREFIX-YEAR-NNNN to out and sets
 * *implied (may be NULL) when the year came from year, not from the
 * text. year 0 is not known: a number alone is then refused. A text of
 * no such form, or of another prefix, is UC3_EINVAL with a message that
 * gives the forms.
 */
int uc3_ticket_id_read(struct uc3_buf *out, bool *implied, const char *typed, const char *prefix,
		       int year);

#endif
