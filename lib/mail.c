#include "mail.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "run.h"

static bool
ascii_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

static void
base64(struct uc3_buf *out, const unsigned char *s, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		uc3_buf_addch(out, tab[s[i] >> 2]);
		uc3_buf_addch(out, tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		uc3_buf_addch(out, tab[((s[i + 1] & 15) << 2) | (s[i + 2] >> 6)]);
		uc3_buf_addch(out, tab[s[i + 2] & 63]);
	}
	if (n - i == 1) {
		uc3_buf_addch(out, tab[s[i] >> 2]);
		uc3_buf_addch(out, tab[(s[i] & 3) << 4]);
		uc3_buf_adds(out, "==");
	} else if (n - i == 2) {
		uc3_buf_addch(out, tab[s[i] >> 2]);
		uc3_buf_addch(out, tab[((s[i] & 3) << 4) | (s[i + 1] >> 4)]);
		uc3_buf_addch(out, tab[(s[i + 1] & 15) << 2]);
		uc3_buf_addch(out, '=');
	}
}

/* Characters on the line being written (the header so far). */
static size_t
column(const struct uc3_buf *out)
{
	size_t i = out->len;

	while (i && out->ptr[i - 1] != '\n')
		i--;
	return out->len - i;
}

/*
 * RFC 2047 encoded words, each line at most 76 characters: 36 bytes of
 * text make a word of 60, split between characters (never inside a UTF-8
 * sequence), each word after the first on a folded line.
 */
static void
encode_words(struct uc3_buf *out, const char *s)
{
	size_t len = strlen(s), i = 0;

	while (i < len) {
		size_t n = len - i > 36 ? 36 : len - i;

		while (i + n < len && n > 0 && ((unsigned char)s[i + n] & 0xc0) == 0x80)
			n--;
		if (i || column(out) + 60 > 76)
			uc3_buf_adds(out, "\n ");
		uc3_buf_adds(out, "=?UTF-8?B?");
		base64(out, (const unsigned char *)s + i, n);
		uc3_buf_adds(out, "?=");
		i += n;
	}
}

/* Plain text folded at blanks so that lines stay within 78 characters. */
static void
fold_text(struct uc3_buf *out, const char *s)
{
	while (*s) {
		size_t room = column(out) < 78 ? 78 - column(out) : 0;
		size_t len = strlen(s), cut;

		if (len <= room) {
			uc3_buf_adds(out, s);
			return;
		}
		/* The last blank that fits; else the first one at all. */
		for (cut = room; cut > 0 && s[cut] != ' '; cut--)
			;
		if (cut == 0) {
			const char *sp = strchr(s + 1, ' ');

			if (!sp) {
				uc3_buf_adds(out, s);
				return;
			}
			cut = (size_t)(sp - s);
		}
		uc3_buf_add(out, s, cut);
		uc3_buf_adds(out, "\n");
		s += cut; /* the blank starts the folded line */
	}
}

/* True when a run of s without blanks is longer than max: folding cannot cut it. */
static bool
long_word(const char *s, size_t max)
{
	while (*s) {
		size_t n = strcspn(s, " ");

		if (n > max)
			return true;
		s += n;
		s += strspn(s, " ");
	}
	return false;
}

/*
 * Plain ASCII folded at blanks; anything else, and a word too long to
 * fold (a line is at most 998 octets, RFC 5322 section 2.1.1), as
 * encoded words, which can be cut anywhere.
 */
static void
header_text(struct uc3_buf *out, const char *s)
{
	if (ascii_printable(s) && !long_word(s, 76))
		fold_text(out, s);
	else
		encode_words(out, s);
}

static bool
addr_ok(const char *a)
{
	const char *at = strchr(a, '@');

	return at && at != a && at[1] && !strpbrk(a, " \t\r\n<>,;\"()");
}

/* "Name <addr>": the name encoded or quoted as it needs. */
static int
mailbox(struct uc3_buf *out, const char *box)
{
	const char *lt = strchr(box, '<'), *gt = strrchr(box, '>');

	if (strpbrk(box, "\r\n"))
		return uc3_error_set(UC3_EINVAL, "a line break in the address '%s'", box);
	if (!lt) {
		if (!addr_ok(box))
			return uc3_error_set(UC3_EINVAL, "'%s' is not a mail address", box);
		uc3_buf_adds(out, box);
		return 0;
	}
	if (!gt || gt < lt)
		return uc3_error_set(UC3_EINVAL, "'%s' is not a mail address", box);
	{
		char addr[512], name[512];
		size_t nl = (size_t)(lt - box);

		snprintf(addr, sizeof(addr), "%.*s", (int)(gt - lt - 1), lt + 1);
		while (nl && box[nl - 1] == ' ')
			nl--;
		snprintf(name, sizeof(name), "%.*s", (int)nl, box);
		if (!addr_ok(addr))
			return uc3_error_set(UC3_EINVAL, "'%s' is not a mail address", box);
		if (*name) {
			if (!ascii_printable(name))
				encode_words(out, name);
			else if (strpbrk(name, "()<>[]:;@\\,.\""))
				uc3_buf_addf(out, "\"%s\"", name);
			else
				uc3_buf_adds(out, name);
			uc3_buf_adds(out, column(out) + strlen(addr) + 3 > 76 ? "\n " : " ");
		}
		uc3_buf_addf(out, "<%s>", addr);
	}
	return 0;
}

/* The longest line 8bit allows, without its line end (RFC 5322 section 2.1.1). */
#define LINE_MAX_8BIT 998

/*
 * Whether body can go as it is, Content-Transfer-Encoding 8bit: every
 * line within LINE_MAX_8BIT octets, no CR but in CRLF (RFC 2045 section
 * 2.8), and no line that is a lone ".", which ends the message for
 * sendmail without -i and in an SMTP dialogue.
 */
static bool
body_is_8bit(const char *body)
{
	const char *p = body;

	while (*p) {
		size_t n = strcspn(p, "\n");
		const char *cr = memchr(p, '\r', n);

		if (cr && cr != p + n - 1)
			return false;
		if (cr)
			n--;
		if (n > LINE_MAX_8BIT || (n == 1 && *p == '.'))
			return false;
		p += n + (cr ? 1 : 0);
		if (*p == '\n')
			p++;
	}
	return true;
}

/*
 * body as quoted-printable (RFC 2045 section 6.7): printable ASCII but
 * "=" as it is, every other octet as =XX, a blank at the end of a line
 * encoded, lines of at most 76 characters with soft line breaks ("=" at
 * the end), an escape never cut. A "." that starts a line is encoded too,
 * so that no line is a lone ".". LF and CRLF are line breaks; a lone CR
 * is an octet like any other.
 */
static void
quoted_printable(struct uc3_buf *out, const char *body)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)body;
	size_t col = 0;

	while (*p) {
		unsigned char c = *p;
		bool eol, plain;
		size_t need;

		if (c == '\n' || (c == '\r' && p[1] == '\n')) {
			uc3_buf_addch(out, '\n');
			col = 0;
			p += c == '\r' ? 2 : 1;
			continue;
		}
		/* The last octet of its line needs no room for a soft break after it. */
		eol = !p[1] || p[1] == '\n' || (p[1] == '\r' && p[2] == '\n');
		for (;;) {
			plain = (c > 32 && c < 127 && c != '=' && !(c == '.' && col == 0)) ||
				((c == ' ' || c == '\t') && !eol);
			need = plain ? 1 : 3;
			if (col + need <= (eol ? 76 : 75))
				break;
			uc3_buf_adds(out, "=\n");
			col = 0;
		}
		if (plain) {
			uc3_buf_addch(out, (char)c);
		} else {
			uc3_buf_addch(out, '=');
			uc3_buf_addch(out, hex[c >> 4]);
			uc3_buf_addch(out, hex[c & 15]);
		}
		col += need;
		p++;
	}
}

static const char *
domain_of(const char *from)
{
	const char *at = strrchr(from, '@');
	static char d[256];
	size_t n;

	if (!at)
		return "localhost";
	n = strcspn(at + 1, "> ");
	snprintf(d, sizeof(d), "%.*s", (int)n, at + 1);
	return d;
}

void
uc3_mail_message_id(struct uc3_buf *out, const char *from, time_t when)
{
	static unsigned serial;
	static bool seeded;

	/* Unique per message: one run mails several people in the same second. */
	if (!seeded) {
		srandom((unsigned)time(NULL) ^ (unsigned)getpid() << 16);
		seeded = true;
	}
	uc3_buf_addf(out, "<%lld.%ld.%u.%ld@%s>", (long long)when, (long)getpid(), ++serial,
		     random() % 1000000, domain_of(from));
}

int
uc3_mail_compose(struct uc3_buf *out, const struct uc3_mail *m)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	size_t start = out->len, i;
	struct tm tm;
	long off;
	int rc;

	if (strpbrk(m->subject, "\r\n"))
		return uc3_error_set(UC3_EINVAL, "a line break in the subject");
	if ((rc = uc3_clock_local(&tm, m->date, m->tz)) < 0)
		return rc;
	off = tm.tm_gmtoff / 60;
	uc3_buf_addf(out, "Date: %s, %02d %s %04d %02d:%02d:%02d %c%02ld%02ld\n", days[tm.tm_wday],
		     tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
		     tm.tm_sec, off < 0 ? '-' : '+', labs(off) / 60, labs(off) % 60);
	uc3_buf_adds(out, "From: ");
	if ((rc = mailbox(out, m->from)) < 0)
		goto fail;
	uc3_buf_adds(out, "\nTo: ");
	for (i = 0; i < m->nto; i++) {
		if (i)
			uc3_buf_adds(out, ",\n ");
		if ((rc = mailbox(out, m->to[i])) < 0)
			goto fail;
	}
	uc3_buf_adds(out, "\nSubject: ");
	header_text(out, m->subject);
	uc3_buf_adds(out, "\nMessage-ID: ");
	if (m->message_id)
		uc3_buf_adds(out, m->message_id);
	else
		uc3_mail_message_id(out, m->from, m->date);
	uc3_buf_addch(out, '\n');
	if (m->in_reply_to)
		uc3_buf_addf(out, "In-Reply-To: %s\n", m->in_reply_to);
	if (m->nreferences) {
		uc3_buf_adds(out, "References:");
		for (i = 0; i < m->nreferences; i++)
			uc3_buf_addf(out, "%s%s", i ? "\n " : " ", m->references[i]);
		uc3_buf_addch(out, '\n');
	}
	uc3_buf_adds(out, "MIME-Version: 1.0\n"
			  "Content-Type: text/plain; charset=UTF-8\n");
	if (body_is_8bit(m->body)) {
		uc3_buf_adds(out, "Content-Transfer-Encoding: 8bit\n\n");
		uc3_buf_adds(out, m->body);
	} else {
		uc3_buf_adds(out, "Content-Transfer-Encoding: quoted-printable\n\n");
		quoted_printable(out, m->body);
	}
	if (out->len && out->ptr[out->len - 1] != '\n')
		uc3_buf_addch(out, '\n');
	return 0;
fail:
	uc3_buf_setlen(out, start);
	return rc;
}

int
uc3_mail_send(const char *sendmail_cmd, const char *msg, size_t len)
{
	const char *argv[] = { "/bin/sh", "-c", sendmail_cmd, NULL };
	struct uc3_buf err = UC3_BUF_INIT;
	int status, rc;

	rc = uc3_run(&status, argv, msg, len, NULL, &err);
	if (rc == 0 && status != 0) {
		const char *nl = strchr(err.ptr, '\n');

		rc = uc3_error_set(UC3_ERROR, "sendmail failed (exit %d)%s%.*s", status,
				   err.len ? ": " : "",
				   (int)(nl ? (size_t)(nl - err.ptr) : err.len), err.ptr);
	}
	uc3_buf_release(&err);
	return rc;
}
