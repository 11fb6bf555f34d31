#ifndef UC3_MAIL_H
#define UC3_MAIL_H

#include <stddef.h>
#include <time.h>

#include "buf.h"

/*
 * Mail out: a plain-text RFC 5322 message, sent through the policy's
 * sendmail command. (Reading mail in, for uc3 new --mail, is another
 * issue's.)
 */

struct uc3_mail {
	const char *from;      /* "Name <addr>" or "addr" */
	const char *const *to; /* addresses */
	size_t nto;
	const char *subject; /* UTF-8, one line */
	const char *body;    /* UTF-8, LF line ends */
	time_t date;
	const char *tz; /* zone for the Date header */
	/* Its Message-ID, "<...>" (uc3_mail_message_id); NULL: one is made. */
	const char *message_id;
	/* Threading: the message it answers and the thread before it, each "<...>"; may be NULL/0.
	 */
	const char *in_reply_to;
	const char *const *references;
	size_t nreferences;
};

/*
 * A new Message-ID, "<...@domain>" with the domain of the address in
 * from, unique to this message (time, process, a counter and random
 * bits): appended to out.
 */
void uc3_mail_message_id(struct uc3_buf *out, const char *from, time_t when);

/*
 * Append the message: Date, From, To, Subject (folded at blanks; RFC
 * 2047 encoded words when it is not plain ASCII or has a word too long
 * to fold), Message-ID, MIME-Version, Content-Type text/plain with
 * charset UTF-8, then the body. Every line of the message is within 998
 * octets (RFC 5322): the body goes as it is (Content-Transfer-Encoding
 * 8bit) when its lines are, it has no CR but in CRLF and no line is a
 * lone "."; else as quoted-printable, lines of at most 76 characters.
 * Returns 0, or UC3_EINVAL when a header value holds a line break or an
 * address is malformed.
 */
int uc3_mail_compose(struct uc3_buf *out, const struct uc3_mail *m);

/*
 * Hand msg to sendmail_cmd (run by /bin/sh, the message on its standard
 * input). Returns 0, or UC3_ERROR ("sendmail failed (exit 75): ...").
 */
int uc3_mail_send(const char *sendmail_cmd, const char *msg, size_t len);

#endif
