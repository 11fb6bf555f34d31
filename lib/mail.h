#ifndef UC3_MAIL_H
#define UC3_MAIL_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * Mail out: a plain-text MIME message composed with GMime, sent through
 * the policy's sendmail command. (Reading mail in, for uc3 new --mail, is
 * another issue's.)
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

#endif
