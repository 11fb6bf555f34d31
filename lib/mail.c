#include "mail.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gmime/gmime.h>

#include "clock.h"
#include "error.h"
#include "mail_int.h"
#include "run.h"
#include "utf8.h"

/*
 * GMime (and GLib's type system under it) is set up once, on the first
 * message composed or read, and shut down at exit so that leak checkers
 * see its state freed.
 */
void
uc3_mail__init(void)
{
	static bool done;

	if (done)
		return;
	g_mime_init();
	atexit(g_mime_shutdown);
	done = true;
}

/* Record "'what' is not a mail address" (or a message id): what escaped to stay one line. */
static int
refuse(const char *what, bool address)
{
	struct uc3_buf b = UC3_BUF_INIT;
	int rc;

	uc3_utf8_escape(&b, what, UC3_UTF8_MESSAGE);
	if (address)
		rc = uc3_error_set(UC3_EINVAL, "'%s' is not a mail address", b.ptr ? b.ptr : "");
	else
		rc = uc3_error_set(UC3_EINVAL, "'%s' is not a message id", b.ptr ? b.ptr : "");
	uc3_buf_release(&b);
	return rc;
}

/*
 * Text for one header line: s[0..len) as well-formed UTF-8 (a bad byte
 * becomes U+FFFD), each control character (C0 with CR, LF and TAB, DEL,
 * C1) a blank, leading and trailing blanks dropped. Nothing in a name or
 * a subject can start a line of its own. g_free() the result.
 */
static char *
one_line(const char *s, size_t len)
{
	char *v = g_utf8_make_valid(s, (gssize)len);
	GString *out = g_string_sized_new(len);
	const char *p;

	for (p = v; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_iscntrl(c))
			g_string_append_c(out, ' ');
		else
			g_string_append_len(out, p, g_utf8_next_char(p) - p);
	}
	g_free(v);
	g_strstrip(out->str);
	return g_string_free(out, FALSE);
}

/*
 * An addr-spec as uc3 sends to: printable ASCII without blanks or the
 * characters that delimit addresses, one "@" with something on each side.
 */
static bool
addr_ok(const char *a, size_t n)
{
	const char *at = memchr(a, '@', n);
	size_t i;

	if (!at || at == a || at == a + n - 1 || memchr(at + 1, '@', n - (size_t)(at - a) - 1))
		return false;
	for (i = 0; i < n; i++)
		if (a[i] <= ' ' || a[i] > '~' || strchr("<>,;\"()\\[]", a[i]))
			return false;
	return true;
}

/*
 * Split box, "Name <addr>", "<addr>" or "addr", into a mailbox: the name
 * made one line (one_line), the address checked (addr_ok) and nothing
 * after its ">". Returns 0 with *out set (g_object_unref() it), or
 * UC3_EINVAL.
 */
static int
mailbox(InternetAddress **out, const char *box)
{
	const char *lt = strchr(box, '<'), *gt;
	char *name, *addr;

	if (!lt) {
		if (!addr_ok(box, strlen(box)))
			return refuse(box, true);
		*out = internet_address_mailbox_new(NULL, box);
		return 0;
	}
	gt = strchr(lt, '>');
	if (!gt || gt[1 + strspn(gt + 1, " ")] || !addr_ok(lt + 1, (size_t)(gt - lt - 1)))
		return refuse(box, true);
	name = one_line(box, (size_t)(lt - box));
	addr = g_strndup(lt + 1, (size_t)(gt - lt - 1));
	*out = internet_address_mailbox_new(*name ? name : NULL, addr);
	/* A name that is not ASCII goes as UTF-8 encoded words, whatever it would fit. */
	internet_address_set_charset(*out, "UTF-8");
	g_free(name);
	g_free(addr);
	return 0;
}

/* See mail_int.h. */
bool
uc3_mail__msgid_ok(const char *id)
{
	size_t n = strlen(id);

	return n > 2 && id[0] == '<' && id[n - 1] == '>' && addr_ok(id + 1, n - 2);
}

/* The Date header: t in zone tz. */
static int
set_date(GMimeMessage *msg, time_t t, const char *tz)
{
	GDateTime *dt;
	GTimeZone *zone;
	struct tm tm;
	int rc;

	if ((rc = uc3_clock_local(&tm, t, tz)) < 0)
		return rc;
	zone = g_time_zone_new_offset((gint32)tm.tm_gmtoff);
	dt = g_date_time_new(zone, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
			     tm.tm_min, tm.tm_sec);
	g_mime_message_set_date(msg, dt);
	g_date_time_unref(dt);
	g_time_zone_unref(zone);
	return 0;
}

/* True when a line of s (LF line ends) is a lone ".". */
static bool
has_lone_dot(const char *s)
{
	const char *p = s;

	for (;;) {
		if (p[0] == '.' && (p[1] == '\n' || !p[1]))
			return true;
		if (!(p = strchr(p, '\n')))
			return false;
		p++;
	}
}

/*
 * The body part: text/plain in UTF-8, with LF line ends (CRLF as LF)
 * and a newline at the end. 7bit when GMime finds it so and it has no
 * lone CR and no lone "." line, else quoted-printable.
 */
static GMimeObject *
body_part(const char *body)
{
	GMimeTextPart *part = g_mime_text_part_new_with_subtype("plain");
	GString *text = g_string_sized_new(strlen(body) + 1);
	GMimeContentEncoding enc;
	GMimeDataWrapper *content;
	GMimeStream *stream;
	const char *p;

	for (p = body; *p; p++)
		if (!(p[0] == '\r' && p[1] == '\n'))
			g_string_append_c(text, *p);
	if (!text->len || text->str[text->len - 1] != '\n')
		g_string_append_c(text, '\n');
	stream = g_mime_stream_mem_new_with_buffer(text->str, text->len);
	content = g_mime_data_wrapper_new_with_stream(stream, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(GMIME_PART(part), content);
	g_mime_object_set_content_type_parameter(GMIME_OBJECT(part), "charset", "UTF-8");
	enc = g_mime_part_get_best_content_encoding(GMIME_PART(part),
						    GMIME_ENCODING_CONSTRAINT_7BIT);
	if ((enc == GMIME_CONTENT_ENCODING_DEFAULT || enc == GMIME_CONTENT_ENCODING_7BIT) &&
	    !strchr(text->str, '\r') && !has_lone_dot(text->str))
		enc = GMIME_CONTENT_ENCODING_7BIT;
	else
		enc = GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE;
	g_mime_part_set_content_encoding(GMIME_PART(part), enc);
	g_object_unref(content);
	g_object_unref(stream);
	g_string_free(text, TRUE);
	return GMIME_OBJECT(part);
}

/*
 * Append the written message s to out. GMime's quoted-printable leaves a
 * "." alone on a line as it is: such a line of the body is written
 * "=2E", the same text, so that no line ends the message for a sendmail
 * without -i or an SMTP dialogue.
 */
static void
add_message(struct uc3_buf *out, const char *s)
{
	const char *body = strstr(s, "\n\n"), *p;

	if (!body) {
		uc3_buf_adds(out, s);
		return;
	}
	body += 2;
	uc3_buf_add(out, s, (size_t)(body - s));
	for (p = body; *p;) {
		size_t n = strcspn(p, "\n");

		if (n == 1 && *p == '.')
			uc3_buf_adds(out, "=2E");
		else
			uc3_buf_add(out, p, n);
		p += n;
		if (*p)
			uc3_buf_addch(out, *p++);
	}
	if (out->len && out->ptr[out->len - 1] != '\n')
		uc3_buf_addch(out, '\n');
}

int
uc3_mail_compose(struct uc3_buf *out, const struct uc3_mail *m)
{
	InternetAddressList *list;
	InternetAddress *ia;
	GMimeMessage *msg;
	GMimeObject *part;
	struct uc3_buf v = UC3_BUF_INIT;
	char *subject, *s;
	size_t i;
	int rc = 0;

	/* Everything is checked before GMime is asked for anything. */
	for (i = 0; i < m->nreferences; i++)
		if (!uc3_mail__msgid_ok(m->references[i]))
			return refuse(m->references[i], false);
	if (m->in_reply_to && !uc3_mail__msgid_ok(m->in_reply_to))
		return refuse(m->in_reply_to, false);
	if (m->message_id && !uc3_mail__msgid_ok(m->message_id))
		return refuse(m->message_id, false);
	uc3_mail__init();
	msg = g_mime_message_new(FALSE);
	if ((rc = set_date(msg, m->date, m->tz)) < 0)
		goto out;
	if ((rc = mailbox(&ia, m->from)) < 0)
		goto out;
	list = g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_FROM);
	internet_address_list_add(list, ia);
	g_object_unref(ia);
	list = g_mime_message_get_addresses(msg, GMIME_ADDRESS_TYPE_TO);
	for (i = 0; i < m->nto; i++) {
		if ((rc = mailbox(&ia, m->to[i])) < 0)
			goto out;
		internet_address_list_add(list, ia);
		g_object_unref(ia);
	}
	subject = one_line(m->subject, strlen(m->subject));
	g_mime_message_set_subject(msg, subject, "UTF-8");
	g_free(subject);
	if (m->message_id)
		uc3_buf_adds(&v, m->message_id);
	else
		uc3_mail_message_id(&v, m->from, m->date);
	/* GMime takes the id without its angle brackets. */
	v.ptr[v.len - 1] = '\0';
	g_mime_message_set_message_id(msg, v.ptr + 1);
	if (m->in_reply_to)
		g_mime_object_set_header(GMIME_OBJECT(msg), "In-Reply-To", m->in_reply_to, NULL);
	if (m->nreferences) {
		uc3_buf_reset(&v);
		for (i = 0; i < m->nreferences; i++)
			uc3_buf_addf(&v, "%s%s", i ? " " : "", m->references[i]);
		g_mime_object_set_header(GMIME_OBJECT(msg), "References", v.ptr, NULL);
	}
	part = body_part(m->body);
	g_mime_message_set_mime_part(msg, part);
	g_object_unref(part);
	s = g_mime_object_to_string(GMIME_OBJECT(msg), NULL);
	add_message(out, s);
	g_free(s);
out:
	uc3_buf_release(&v);
	g_object_unref(msg);
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

		if (err.len)
			rc = uc3_error_set(UC3_ERROR, "sendmail failed (exit %d): %.*s", status,
					   (int)(nl ? (size_t)(nl - err.ptr) : err.len), err.ptr);
		else
			rc = uc3_error_set(UC3_ERROR, "sendmail failed (exit %d)", status);
	}
	uc3_buf_release(&err);
	return rc;
}
