#ifndef UC3_ATTACH_H
#define UC3_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "policy.h"
#include "ticket.h"

/*
 * Keeping files with a ticket (uc3 attach): the name a file is stored
 * under, its MIME type, and the attach step itself, which appends the
 * files' entries to the ticket's `attachments` and one `attach` event,
 * and writes the commit message. The audit does the same step again
 * from the ticket before the commit (uc3_attach_apply) and compares.
 *
 * The files live beside the ticket's file, at tickets/YEAR/MM/ID/NAME
 * (uc3_records_attachment_path); an attachment is never changed or
 * removed. Not an SOP step: attaching ends no step and moves no
 * deadline.
 */

/*
 * The name a file at path (as typed: "scans/surat.pdf") is kept under:
 * its last component with every control character (C0, DEL, C1), each
 * character Windows refuses in a name (\ : * ? " < > |) and each byte
 * that is not well-formed UTF-8 made '_', blanks around it and
 * leading dots dropped, "_" put before one that starts with git~1, cut
 * to UC3_ATTACHMENT_NAME_MAX bytes keeping its extension, and
 * "attachment" when nothing is left. The result always passes
 * uc3_ticket_attachment_name_ok. Returns a new string (free()).
 */
char *uc3_attach_safe_name(const char *path);

/*
 * name, or when taken(name, ctx) says it is taken, the first of
 * "STEM-2.EXT", "STEM-3.EXT"... that is not (the extension is what
 * follows the last dot, none when the dot starts the name), kept within
 * UC3_ATTACHMENT_NAME_MAX bytes. Returns a new string (free()).
 */
char *uc3_attach_free_name(const char *name, bool (*taken)(const char *name, void *ctx), void *ctx);

/*
 * The MIME type of a file called name holding data[0..len), from its
 * first bytes (PDF, PNG, JPEG, GIF, WebP, TIFF; a ZIP archive by the
 * name's extension as .docx, .xlsx, .pptx, .odt, .ods or plain zip),
 * else text/plain (text/csv for .csv) when it is UTF-8 text without
 * control characters but tab, line breaks and form feed, else
 * application/octet-stream. Static.
 */
const char *uc3_attach_sniff(const char *name, const char *data, size_t len);

/* Whether type is one uc3_attach_sniff gives. */
bool uc3_attach_type_known(const char *type);

/* Append a size for people: "512 bytes", "47.1 KiB", "1.2 MiB". */
void uc3_attach_format_size(struct uc3_buf *out, size_t size);

/* Append a limit in bytes for people: "10485760 (10 MiB)", "1000". */
void uc3_attach_format_limit(struct uc3_buf *out, size_t n);

/* One attach step: who, when, under which policy, with which note, which files. */
struct uc3_attach {
	const struct uc3_policy *policy;
	const char *actor; /* the acting person's email */
	time_t now;
	const char *note;		    /* why or what, as typed; may be NULL */
	const struct uc3_attachment *files; /* the entries to append, in order */
	size_t nfiles;
};

/*
 * Whether attaching a->files to t would be refused, without changing
 * t: UC3_EDENIED when t is closed (its record is final) or when the
 * policy lists people and a->actor is not one of them (attaching is the
 * front desk's work, anybody listed may); UC3_EINVAL for a time before
 * anything on t, no file, a note uc3_text_check refuses, a name that is
 * not uc3_ticket_attachment_name_ok or that t or an earlier file has, a
 * type uc3_attach_sniff does not give, a blob id that is not one, an
 * empty file, or a file over the policy's limits.attachment. Returns 0
 * or the refusal, with a message.
 */
int uc3_attach_check(const struct uc3_ticket *t, const struct uc3_attach *a);

/*
 * Attach: refuse what uc3_attach_check refuses (t unchanged), else
 * append a->files to t's attachments and one event
 *
 *	- at: NOW
 *	  by: ACTOR
 *	  action: attach
 *	  note: NOTE		(when there is one)
 *	  files: [NAME, ...]
 *
 * and the commit message (uc3_message_attach) to msg. Status, level and
 * deadline stay as they are.
 */
int uc3_attach_apply(struct uc3_ticket *t, const struct uc3_attach *a, struct uc3_buf *msg);

/*
 * Append one line saying what the last n attachments of t are, for
 * people: "UC3-2026-0042: attached surat.pdf (application/pdf, 47.1 KiB),
 * foto.jpg (image/jpeg, 1.2 MiB)". No newline.
 */
void uc3_attach_summary(struct uc3_buf *out, const struct uc3_ticket *t, size_t n);

#endif
