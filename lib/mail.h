#ifndef UC3_MAIL_H
#define UC3_MAIL_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * Mail out: a plain-text MIME message composed with GMime, sent through
 * the policy's sendmail command (mail.c). Mail in: one RFC 5322 message
 * as an MTA hands it to uc3 new --mail, read with GMime into what a
 * ticket needs (mail_parse.c).
 */

struct uc3_mail {
	const char *from;      /* "Name <addr>" or "addr" */
	const char *const *to; /* addresses */
	size_t nto;
	const char *subject; /* UTF-8; its control characters become blanks */
	const char *body;    /* UTF-8, LF (or CRLF) line ends */
	time_t date;
	const char *tz; /* zone for the Date header */
	/* Its Message-ID, "<left@right>" (uc3_mail_message_id); NULL: one is made. */
	const char *message_id;
	/* Threading: the message it answers and the thread before it, each
	 * "<left@right>"; may be NULL/0. */
	const char *in_reply_to;
	const char *const *references;
	size_t nreferences;
};

/*
 * A new Message-ID, "<local@domain>", appended to out: the local part is
 * hex digits and dots (the time, the process, a counter and 64 random
 * bits), unique to this message; the domain is that of the address in
 * from when it is a plain host name, else "localhost".
 */
void uc3_mail_message_id(struct uc3_buf *out, const char *from, time_t when);

/*
 * Append the message, with LF line ends and a newline at the end: Date
 * (m->date in the zone m->tz, NULL for UTC), From, To, Subject,
 * Message-Id (m->message_id, or a new one), In-Reply-To and References
 * when given, MIME-Version, Content-Type text/plain with charset UTF-8,
 * then the body.
 *
 * Headers: every control character of a display name or of the subject
 * (CR, LF and TAB among them) becomes a blank, and a byte that is not
 * UTF-8 becomes U+FFFD, so nothing can start a header of its own; text
 * that is not ASCII goes as RFC 2047 encoded words in UTF-8, and long
 * values are folded by GMime (at 78 characters; a run without blanks is
 * cut into encoded words, every line within the 998 octets of RFC 5322).
 * GMime passes ASCII text that already looks like an encoded word
 * ("=?utf-8?b?...?=") through as it is, so a reader decodes it.
 *
 * Body: CRLF is written LF. It goes 7bit when it is ASCII with lines of
 * at most 998 octets, no lone CR and no line that is a lone "."; else as
 * quoted-printable (never base64), where a lone "." line is written "=2E".
 *
 * Returns 0, or UC3_EINVAL with nothing appended: an address (the part
 * in <>, or the whole when there is none) with a blank, a control, a
 * character that is not ASCII or no "@" ("'X' is not a mail address"),
 * anything but blanks after its ">", a message id that is not
 * "<left@right>" in printable ASCII without blanks ("'X' is not a
 * message id"), or an unknown zone.
 */
int uc3_mail_compose(struct uc3_buf *out, const struct uc3_mail *m);

/*
 * Hand msg to sendmail_cmd (run by /bin/sh, the message on its standard
 * input). Returns 0, or UC3_ERROR ("sendmail failed (exit 75): ...").
 */
int uc3_mail_send(const char *sendmail_cmd, const char *msg, size_t len);

/* A file the mail carries (an attachment, or an inline part that is not its text). */
struct uc3_mail_part {
	char *name; /* its file name as the mail gives it, decoded to UTF-8; NULL: none given */
	char *type; /* its declared MIME type, lower case: "application/pdf" */
	char *data; /* its content, the transfer encoding undone */
	size_t len;
};

/* What uc3 new --mail takes from a message. Every string is UTF-8 and owned. */
struct uc3_mail_in {
	char *from_name;  /* the From display name, RFC 2047 decoded; NULL: none */
	char *from_email; /* the From address (addr-spec); NULL: none */
	char *subject;	  /* decoded, one line (controls made blanks, trimmed); NULL: none */
	bool has_date;
	time_t date;	   /* the Date header, when has_date */
	char *message_id;  /* "<left@right>"; NULL: none, or not a message id */
	char *in_reply_to; /* "<left@right>"; NULL: none */
	char **references; /* each "<left@right>", in the header's order */
	size_t nreferences;
	/*
	 * The text: the first text/plain part that is not a file, and every
	 * later one (text split around an image), a blank line between;
	 * valid UTF-8, LF line ends, no NUL; "" when none.
	 */
	char *body;
	bool body_from_html; /* the text was made from the HTML part (no text/plain) */
	/*
	 * An automatic mail, never acknowledged: "auto-reply" (Auto-Submitted
	 * other than no, X-Autoreply, X-Autorespond, Precedence auto_reply,
	 * Return-Path "<>"), "bounce" (a delivery report, multipart/report,
	 * or from MAILER-DAEMON or postmaster), "bulk" (Precedence bulk or
	 * junk), "list" (List-Id, List-Unsubscribe, Precedence list); the
	 * first of these that fits, in this order; NULL: a person's mail.
	 * Static.
	 */
	const char *automatic;
	char *loop;		     /* the X-Loop header's value, trimmed; NULL: none */
	struct uc3_mail_part *parts; /* the files, in the message's order */
	size_t nparts;
};

/*
 * Read the message at data[0..len) (LF or CRLF line ends; a leading
 * mbox "From " line is skipped). Returns 0 and fills *m (release with
 * uc3_mail_in_release), or UC3_EINVAL with a one-line reason and *m
 * empty when it is not a message: empty, no header before the body, a
 * NUL byte in the headers, or no From address at all (a mailbox whose
 * address has an "@" and no blank).
 *
 * Headers: RFC 2047 words are decoded wherever they stand, neighbours in
 * one charset together (a character split across two comes out whole);
 * bytes outside them, and text in a charset labelled US-ASCII,
 * ISO-8859-1 or Windows-1252, are read as UTF-8 when they are, else as
 * Windows-1252. A line of the header that is not a field (no colon) is
 * dropped when fields follow it, else it starts the body. Only the first
 * field of each name counts. Message ids: each "<...>" that is one, or a
 * lone word without brackets; others are dropped one by one.
 *
 * The text: the first text/plain part that is not a file, else the
 * first text/html one made plain (body_from_html): script, style, head
 * and title dropped with the comments and tags, a line ended at <br>
 * and at each block (p, div, li, tr, headings, lists, tables), entities
 * decoded, runs of blank lines made one. CRLF and a lone CR become LF;
 * other controls but TAB go; a byte that is not in the charset becomes
 * U+FFFD; blank lines at the start and the end go, and the text ends in
 * one LF. A file is every other part that is an attachment, has a name,
 * or is not text/plain nor text/html (a message/rfc822 part as the
 * message it holds). Linear in len.
 */
int uc3_mail_parse(struct uc3_mail_in *m, const char *data, size_t len);
void uc3_mail_in_release(struct uc3_mail_in *m);

#endif
