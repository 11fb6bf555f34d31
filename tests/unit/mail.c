#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <cmocka.h>
#include <gmime/gmime.h>

#include "buf.h"
#include "error.h"
#include "mail.h"

/*
 * Mail out (lib/mail.h): composition on GMime, read back here with
 * GMime's own parser (which decodes RFC 2047 words), and sendmail. The
 * header-safety tests: nothing from a name, a subject or an id adds a
 * header or a line over the limits of RFC 5322 and RFC 2047.
 */

/* 2026-11-27T10:30:00+07:00, a Friday. */
#define T_FRIDAY ((time_t)1795750200)

static const char *const one_to[] = { "humas1@unej.ac.id" };

static void
base_mail(struct uc3_mail *m)
{
	memset(m, 0, sizeof(*m));
	m->from = "UC3 Universitas Jember <uc3@unej.ac.id>";
	m->to = one_to;
	m->nto = 1;
	m->subject = "[UC3] 1 tiket melewati batas waktu";
	m->body = "Yth. Staf Satu,\n\n- UC3-2026-0001: Tes\n";
	m->date = T_FRIDAY;
	m->tz = "Asia/Jakarta";
}

/* Compose m; fail the test on an error. free() the result. */
static char *
compose(const struct uc3_mail *m)
{
	struct uc3_buf out = UC3_BUF_INIT;

	if (uc3_mail_compose(&out, m) < 0)
		fail_msg("compose: %s", uc3_error_last());
	return uc3_buf_detach(&out);
}

/*
 * The value of header name (any case) as written, folded lines and all,
 * or NULL; free() it.
 */
static char *
header(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *p = msg, *end;

	while (*p && *p != '\n') {
		const char *eol = strchr(p, '\n');

		if (!eol)
			return NULL;
		if (!strncasecmp(p, name, n) && p[n] == ':' && p[n + 1] == ' ') {
			end = eol;
			while (end[1] == ' ' || end[1] == '\t')
				end = strchr(end + 1, '\n');
			return strndup(p + n + 2, (size_t)(end - p - n - 2));
		}
		p = eol + 1;
	}
	return NULL;
}

/*
 * The names of the header fields of msg in order, each followed by a
 * blank; fails on a header line that is neither "Name: value" nor a
 * folded line. free() the result.
 */
static char *
header_names(const char *msg)
{
	struct uc3_buf out = UC3_BUF_INIT;
	const char *p = msg;

	while (*p && *p != '\n') {
		size_t n = strcspn(p, "\n");

		if (*p != ' ' && *p != '\t') {
			size_t k = strcspn(p, ":\n");

			if (p[k] != ':' || !k || strcspn(p, " \t") < k)
				fail_msg("not a header line: %.*s", (int)n, p);
			uc3_buf_add(&out, p, k);
			uc3_buf_addch(&out, ' ');
		}
		p += n + (p[n] ? 1 : 0);
	}
	return uc3_buf_detach(&out);
}

/* msg parsed back with GMime; g_object_unref() it. */
static GMimeMessage *
parse(const char *msg)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(msg, strlen(msg));
	GMimeParser *p = g_mime_parser_new_with_stream(s);
	GMimeMessage *m = g_mime_parser_construct_message(p, NULL);

	g_object_unref(p);
	g_object_unref(s);
	assert_non_null(m);
	return m;
}

/* The decoded name and the address of mailbox i of the list of type in msg. */
static void
assert_mailbox(GMimeMessage *msg, GMimeAddressType type, int i, const char *name, const char *addr)
{
	InternetAddressList *l = g_mime_message_get_addresses(msg, type);
	InternetAddress *ia;

	assert_true(i < internet_address_list_length(l));
	ia = internet_address_list_get_address(l, i);
	assert_true(INTERNET_ADDRESS_IS_MAILBOX(ia));
	if (name)
		assert_string_equal(internet_address_get_name(ia), name);
	else
		assert_true(!internet_address_get_name(ia) || !*internet_address_get_name(ia));
	assert_string_equal(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia)), addr);
}

/* Fail unless every octet of the header block of msg is ASCII. */
static void
assert_ascii_header(const char *msg)
{
	const unsigned char *p, *end = (const unsigned char *)strstr(msg, "\n\n");

	assert_non_null(end);
	for (p = (const unsigned char *)msg; p < end; p++)
		if (*p >= 0x80 || (*p < 0x20 && *p != '\n' && *p != '\t'))
			fail_msg("octet 0x%02x in the header", *p);
}

/* Fail unless every line of the header block of msg is at most max octets. */
static void
assert_header_lines_within(const char *msg, size_t max)
{
	const char *p = msg;

	while (*p && *p != '\n') {
		size_t n = strcspn(p, "\n");

		if (n > max)
			fail_msg("a header line of %zu octets (at most %zu): %.60s...", n, max, p);
		p += n + (p[n] ? 1 : 0);
	}
}

static void
compose_gives_each_message_its_own_id(void **state)
{
	struct uc3_mail m;
	char *a, *b, *ida, *idb;

	(void)state;
	base_mail(&m);
	a = compose(&m);
	b = compose(&m);
	ida = header(a, "Message-ID");
	idb = header(b, "Message-ID");
	assert_non_null(ida);
	assert_non_null(idb);
	assert_string_not_equal(ida, idb);
	free(ida);
	free(idb);
	free(a);
	free(b);
}

static void
compose_writes_every_header_then_the_body(void **state)
{
	struct uc3_mail m;
	char *msg, *mid;

	base_mail(&m);
	msg = compose(&m);
	mid = header(msg, "Message-ID");
	assert_non_null(mid);
	{
		char want[2048];

		snprintf(want, sizeof(want),
			 "Date: Fri, 27 Nov 2026 10:30:00 +0700\n"
			 "From: UC3 Universitas Jember <uc3@unej.ac.id>\n"
			 "To: humas1@unej.ac.id\n"
			 "Subject: [UC3] 1 tiket melewati batas waktu\n"
			 "Message-Id: %s\n"
			 "MIME-Version: 1.0\n"
			 "Content-Type: text/plain; charset=UTF-8\n"
			 "Content-Transfer-Encoding: 7bit\n"
			 "\n"
			 "Yth. Staf Satu,\n\n- UC3-2026-0001: Tes\n",
			 mid);
		assert_string_equal(msg, want);
	}
	/* <unique@the sender's domain> */
	assert_true(mid[0] == '<' && mid[strlen(mid) - 1] == '>');
	assert_non_null(strstr(mid, "@unej.ac.id>"));
	assert_null(strpbrk(mid + 1, " <"));
	free(mid);
	free(msg);
}

static void
compose_ends_the_body_with_a_newline_and_appends(void **state)
{
	struct uc3_mail m;
	struct uc3_buf out = UC3_BUF_INIT;

	base_mail(&m);
	m.body = "no newline";
	uc3_buf_adds(&out, "X");
	assert_int_equal(uc3_mail_compose(&out, &m), 0);
	assert_true(out.ptr[0] == 'X' && !strncmp(out.ptr + 1, "Date: ", 6));
	assert_non_null(strstr(out.ptr, "\n\nno newline\n"));
	assert_int_equal(out.ptr[out.len - 1], '\n');
	assert_int_not_equal(out.ptr[out.len - 2], '\n');
	uc3_buf_release(&out);
	/* an empty body is one empty line */
	m.body = "";
	assert_int_equal(uc3_mail_compose(&out, &m), 0);
	assert_non_null(strstr(out.ptr, "7bit\n\n\n"));
	assert_int_equal(out.ptr[out.len - 1], '\n');
	uc3_buf_release(&out);
}

static void
compose_dates_in_the_zone_given(void **state)
{
	struct uc3_mail m;
	char *msg, *d;

	base_mail(&m);
	m.tz = "America/New_York";
	msg = compose(&m);
	d = header(msg, "Date");
	assert_string_equal(d, "Thu, 26 Nov 2026 22:30:00 -0500");
	free(d);
	free(msg);
	m.tz = "Asia/Kolkata";
	msg = compose(&m);
	d = header(msg, "Date");
	assert_string_equal(d, "Fri, 27 Nov 2026 09:00:00 +0530");
	free(d);
	free(msg);
	m.tz = NULL;
	msg = compose(&m);
	d = header(msg, "Date");
	assert_string_equal(d, "Fri, 27 Nov 2026 03:30:00 +0000");
	free(d);
	free(msg);
	/* an unknown zone is an error, and nothing is written */
	{
		struct uc3_buf out = UC3_BUF_INIT;

		m.tz = "Mars/Olympus";
		assert_int_equal(uc3_mail_compose(&out, &m), UC3_EINVAL);
		assert_int_equal(out.len, 0);
		uc3_buf_release(&out);
	}
}

static void
compose_lists_several_recipients(void **state)
{
	static const char *const to[] = { "a@unej.ac.id", "Staf Dua <b@unej.ac.id>" };
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg, *v;

	base_mail(&m);
	m.to = to;
	m.nto = 2;
	msg = compose(&m);
	v = header(msg, "To");
	assert_string_equal(v, "a@unej.ac.id, Staf Dua <b@unej.ac.id>");
	g = parse(msg);
	assert_mailbox(g, GMIME_ADDRESS_TYPE_TO, 0, NULL, "a@unej.ac.id");
	assert_mailbox(g, GMIME_ADDRESS_TYPE_TO, 1, "Staf Dua", "b@unej.ac.id");
	g_object_unref(g);
	free(v);
	free(msg);
}

static void
compose_encodes_a_non_ascii_subject(void **state)
{
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg, *v;

	base_mail(&m);
	m.subject = "[UC3] Peringatan — 2 tiket terlambat, Café";
	msg = compose(&m);
	v = header(msg, "Subject");
	assert_non_null(strstr(v, "=?UTF-8?"));
	assert_ascii_header(msg);
	assert_header_lines_within(msg, 78);
	g = parse(msg);
	assert_string_equal(g_mime_message_get_subject(g), m.subject);
	g_object_unref(g);
	free(v);
	free(msg);
}

static void
compose_encodes_a_non_ascii_display_name(void **state)
{
	static const char *const to[] = { "Siti Aminah Ñ <siti@example.com>",
					  "日本 太郎 <taro@example.jp>" };
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg;

	base_mail(&m);
	m.from = "Layanan Pelanggan Café <uc3@unej.ac.id>";
	m.to = to;
	m.nto = 2;
	msg = compose(&m);
	assert_ascii_header(msg);
	assert_header_lines_within(msg, 78);
	g = parse(msg);
	assert_mailbox(g, GMIME_ADDRESS_TYPE_FROM, 0, "Layanan Pelanggan Café", "uc3@unej.ac.id");
	assert_mailbox(g, GMIME_ADDRESS_TYPE_TO, 0, "Siti Aminah Ñ", "siti@example.com");
	assert_mailbox(g, GMIME_ADDRESS_TYPE_TO, 1, "日本 太郎", "taro@example.jp");
	g_object_unref(g);
	free(msg);
}

static void
compose_quotes_a_display_name_with_specials(void **state)
{
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg, *v;

	base_mail(&m);
	m.from = "Humas, Universitas Jember <uc3@unej.ac.id>";
	msg = compose(&m);
	v = header(msg, "From");
	assert_string_equal(v, "\"Humas, Universitas Jember\" <uc3@unej.ac.id>");
	free(v);
	free(msg);
	/* quotes and backslashes in a name are escaped in its quoted string */
	m.from = "Si \"Q\" \\ x <uc3@unej.ac.id>";
	msg = compose(&m);
	g = parse(msg);
	assert_mailbox(g, GMIME_ADDRESS_TYPE_FROM, 0, "Si \"Q\" \\ x", "uc3@unej.ac.id");
	g_object_unref(g);
	free(msg);
	m.from = "uc3@unej.ac.id";
	msg = compose(&m);
	v = header(msg, "From");
	assert_string_equal(v, "uc3@unej.ac.id");
	free(v);
	free(msg);
	/* no name: the address alone */
	m.from = "<uc3@unej.ac.id>";
	msg = compose(&m);
	v = header(msg, "From");
	assert_string_equal(v, "uc3@unej.ac.id");
	free(v);
	free(msg);
}

static void
compose_splits_a_long_subject_into_short_encoded_words(void **state)
{
	struct uc3_buf subject = UC3_BUF_INIT;
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg;
	int i;

	/* 1-, 2-, 3- and 4-byte characters, so a split could fall anywhere */
	for (i = 0; i < 30; i++)
		uc3_buf_addf(&subject, "Tiket %d terlambat — café 日本 🙂 ", i);
	uc3_buf_setlen(&subject, subject.len - 1);
	base_mail(&m);
	m.subject = subject.ptr;
	msg = compose(&m);
	assert_ascii_header(msg);
	assert_header_lines_within(msg, 78);
	g = parse(msg);
	assert_string_equal(g_mime_message_get_subject(g), subject.ptr);
	g_object_unref(g);
	free(msg);
	uc3_buf_release(&subject);
}

static void
compose_keeps_lines_with_encoded_words_within_78_characters(void **state)
{
	static const char *const subjects[] = {
		"Tiket terlambat — café 日本 🙂 Tiket terlambat — café 日本 🙂 Tiket terlambat",
		"é",
		"Peringatan: 12 tiket melewati batas waktu menurut SOP PKIH HUM-08 — mohon",
	};
	struct uc3_mail m;
	size_t i;

	for (i = 0; i < sizeof(subjects) / sizeof(*subjects); i++) {
		char *msg;

		base_mail(&m);
		m.subject = subjects[i];
		m.from = "Layanan Pelanggan Café Universitas Jember, Bagian Humas <uc3@unej.ac.id>";
		msg = compose(&m);
		assert_header_lines_within(msg, 78);
		free(msg);
	}
}

static void
compose_keeps_every_header_line_within_998_characters(void **state)
{
	struct uc3_buf subject = UC3_BUF_INIT;
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg;
	int i;

	/* a long ASCII subject: several tickets' subjects in one template */
	for (i = 0; i < 40; i++)
		uc3_buf_addf(&subject, "UC3-2026-%04d Pembayaran UKT belum terverifikasi; ", i);
	uc3_buf_setlen(&subject, subject.len - 1);
	base_mail(&m);
	m.subject = subject.ptr;
	msg = compose(&m);
	assert_header_lines_within(msg, 78);
	g = parse(msg);
	assert_string_equal(g_mime_message_get_subject(g), subject.ptr);
	g_object_unref(g);
	free(msg);
	uc3_buf_release(&subject);
}

/* The number of lines header name of msg takes. */
static size_t
header_lines(const char *msg, const char *name)
{
	char *v = header(msg, name);
	size_t n = 1;
	const char *p;

	assert_non_null(v);
	for (p = v; *p; p++)
		n += *p == '\n';
	free(v);
	return n;
}

/*
 * A 2,000-character subject of every kind (ASCII words, words that are
 * not ASCII, and a run of 1,200 characters without a blank, which folding
 * cannot cut): every line within the 998 octets RFC 5322 allows, the run
 * cut into encoded words, and the subject decodes back whole. (GMime cuts
 * such a run into encoded words of up to 78 characters, so its lines can
 * pass 78 by a few octets: RFC 5322 recommends 78, it requires 998.)
 */
static void
compose_keeps_a_subject_of_2000_characters_within_998_octets_a_line(void **state)
{
	struct uc3_buf subject = UC3_BUF_INIT;
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg;
	int i;

	uc3_buf_adds(&subject, "Pembayaran UKT — ñ ü 日本 ");
	for (i = 0; i < 1200; i++)
		uc3_buf_addch(&subject, (char)('a' + i % 26));
	while (subject.len < 2000)
		uc3_buf_adds(&subject, " tiket terlambat");
	base_mail(&m);
	m.subject = subject.ptr;
	msg = compose(&m);
	assert_header_lines_within(msg, 998);
	assert_true(header_lines(msg, "Subject") > 20);
	assert_ascii_header(msg);
	g = parse(msg);
	assert_string_equal(g_mime_message_get_subject(g), subject.ptr);
	g_object_unref(g);
	free(msg);
	uc3_buf_release(&subject);
}

static void
compose_keeps_a_long_word_of_the_subject_within_998_octets(void **state)
{
	struct uc3_buf subject = UC3_BUF_INIT;
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg, *v;
	int i;

	/* 3,000 characters without a blank: folding cannot cut it, encoded words can */
	for (i = 0; i < 3000; i++)
		uc3_buf_addch(&subject, (char)('a' + i % 26));
	base_mail(&m);
	m.subject = subject.ptr;
	msg = compose(&m);
	assert_header_lines_within(msg, 998);
	assert_true(header_lines(msg, "Subject") > 40);
	g = parse(msg);
	assert_string_equal(g_mime_message_get_subject(g), subject.ptr);
	g_object_unref(g);
	free(msg);
	/* a word that fits on a line of its own stays plain, on a folded line */
	uc3_buf_reset(&subject);
	uc3_buf_adds(&subject, "Tiket terlambat: ");
	for (i = 0; i < 76; i++)
		uc3_buf_addch(&subject, 'x');
	m.subject = subject.ptr;
	msg = compose(&m);
	v = header(msg, "Subject");
	assert_string_equal(
		v, "Tiket terlambat:\n xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
		   "xxxxxxxxxxxxxxxxx");
	free(v);
	free(msg);
	uc3_buf_release(&subject);
}

/*
 * CR, LF, TAB and every other control character of a name or a subject
 * is a blank: the message has exactly the headers it should, whatever a
 * hand-edited ticket or a requester's mail put there.
 */
static void
compose_turns_line_breaks_and_controls_into_blanks(void **state)
{
	static const char *const to[] = { "Siti\nX-Evil: 1 <siti@example.com>",
					  "\r\n <b@unej.ac.id>" };
	static const char *const subjects[] = { "Tes\nBcc: x@y.example", "Tes\r\nBcc: x@y.example",
						"Tes\rBcc: x@y.example",
						"Tes\n\tBcc: x@y.example" };
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg, *names;
	size_t i;

	for (i = 0; i < sizeof(subjects) / sizeof(*subjects); i++) {
		base_mail(&m);
		m.subject = subjects[i];
		m.from = "Layanan\r\nBcc: x@y.example <uc3@unej.ac.id>";
		m.to = to;
		m.nto = 2;
		msg = compose(&m);
		names = header_names(msg);
		assert_string_equal(names, "Date From To Subject Message-Id MIME-Version "
					   "Content-Type Content-Transfer-Encoding ");
		assert_null(strstr(msg, "\nBcc:"));
		assert_null(strstr(msg, "\nX-Evil:"));
		assert_null(strchr(msg, '\r'));
		g = parse(msg);
		assert_non_null(strstr(g_mime_message_get_subject(g), "Bcc: x@y.example"));
		assert_null(strpbrk(g_mime_message_get_subject(g), "\r\n\t"));
		assert_mailbox(g, GMIME_ADDRESS_TYPE_FROM, 0, "Layanan  Bcc: x@y.example",
			       "uc3@unej.ac.id");
		assert_mailbox(g, GMIME_ADDRESS_TYPE_TO, 0, "Siti X-Evil: 1", "siti@example.com");
		/* a name of blanks only is no name */
		assert_mailbox(g, GMIME_ADDRESS_TYPE_TO, 1, NULL, "b@unej.ac.id");
		g_object_unref(g);
		free(names);
		free(msg);
	}
	/* each control is one blank: C0, DEL and C1 (U+009B) alike; blanks at the ends go */
	base_mail(&m);
	m.subject = "\ta\tb\x01"
		    "c\x7f"
		    "d\xc2\x9b"
		    "e\r";
	msg = compose(&m);
	g = parse(msg);
	assert_string_equal(g_mime_message_get_subject(g), "a b c d e");
	g_object_unref(g);
	free(msg);
	/* a byte that is not UTF-8 is U+FFFD, never raw in the header */
	m.subject = "Caf\xe9 ok";
	msg = compose(&m);
	assert_ascii_header(msg);
	g = parse(msg);
	assert_string_equal(g_mime_message_get_subject(g), "Caf\xef\xbf\xbd ok");
	g_object_unref(g);
	free(msg);
}

static void
compose_refuses_a_bad_address(void **state)
{
	static const char *const bad[] = {
		"not-an-address",
		"a@",
		"@b.example",
		"a b@c.example",
		"a@b.example, c@d.example",
		"a@b@c.example",
		"Name <not-an-address>",
		"Name <a@b.example",
		"Name a@b.example>",
		"Name <a@b.example> Bcc: x@y.example",
		"Name <a@b.example>, c@d.example",
		"a@b.example\nBcc: x@y.example",
		"Name <a@b.example>\r\nBcc: x@y.example",
		"Name <a@b.example\n>",
		"Name <a\t@b.example>",
		"Name <a\x01@b.example>",
		"Name <sïti@b.example>",
		"Name <>",
		"",
	};
	struct uc3_mail m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		const char *to[1] = { bad[i] };
		struct uc3_buf out = UC3_BUF_INIT;

		/* as a recipient */
		base_mail(&m);
		m.to = to;
		uc3_buf_adds(&out, "kept");
		if (uc3_mail_compose(&out, &m) != UC3_EINVAL)
			fail_msg("To \"%s\" was taken", bad[i]);
		assert_string_equal(out.ptr, "kept");
		assert_non_null(strstr(uc3_error_last(), "is not a mail address"));
		/* the message is one line, whatever the address holds */
		assert_null(strpbrk(uc3_error_last(), "\r\n"));
		/* as the sender */
		base_mail(&m);
		m.from = bad[i];
		if (uc3_mail_compose(&out, &m) != UC3_EINVAL)
			fail_msg("From \"%s\" was taken", bad[i]);
		assert_string_equal(out.ptr, "kept");
		uc3_buf_release(&out);
	}
	/* a bad address in second place too */
	{
		const char *to[2] = { "ok@unej.ac.id", "bad" };
		struct uc3_buf out = UC3_BUF_INIT;

		base_mail(&m);
		m.to = to;
		m.nto = 2;
		assert_int_equal(uc3_mail_compose(&out, &m), UC3_EINVAL);
		assert_string_equal(uc3_error_last(), "'bad' is not a mail address");
		assert_int_equal(out.len, 0);
		uc3_buf_release(&out);
	}
}

static void
compose_writes_the_threading_headers_given(void **state)
{
	static const char *const refs[] = {
		"<1.root@example.com>", "<CAF=x+y_z-2@mail.example.org>",
		"<3.long.id.of.a.mailer.that.writes.long.ones@unej.ac.id>"
	};
	struct uc3_mail m;
	GMimeMessage *g;
	char *msg, *v, *names;
	const char *p;
	struct uc3_buf all = UC3_BUF_INIT;

	base_mail(&m);
	m.message_id = "<given.1@unej.ac.id>";
	m.in_reply_to = refs[2];
	m.references = refs;
	m.nreferences = 3;
	msg = compose(&m);
	names = header_names(msg);
	assert_string_equal(names, "Date From To Subject Message-Id In-Reply-To References "
				   "MIME-Version Content-Type Content-Transfer-Encoding ");
	v = header(msg, "Message-ID");
	assert_string_equal(v, "<given.1@unej.ac.id>");
	free(v);
	v = header(msg, "In-Reply-To");
	assert_string_equal(v, refs[2]);
	free(v);
	/* References: the ids in order, folded between them only */
	v = header(msg, "References");
	for (p = v; *p; p++)
		if (*p == '\n')
			assert_true(p[-1] == '>' && (p[1] == ' ' || p[1] == '\t') && p[2] == '<');
		else if (*p == '\t' && p[-1] != '\n')
			fail_msg("a tab inside References");
	/* unfolded: the line breaks go, the blank after each stays */
	for (p = v; *p; p++)
		if (*p != '\n')
			uc3_buf_addch(&all, *p == '\t' ? ' ' : *p);
	assert_string_equal(all.ptr, "<1.root@example.com> <CAF=x+y_z-2@mail.example.org> "
				     "<3.long.id.of.a.mailer.that.writes.long.ones@unej.ac.id>");
	free(v);
	assert_header_lines_within(msg, 78);
	/* as GMime reads them back */
	g = parse(msg);
	assert_string_equal(g_mime_message_get_message_id(g), "given.1@unej.ac.id");
	v = (char *)g_mime_object_get_header(GMIME_OBJECT(g), "In-Reply-To");
	assert_non_null(v);
	{
		GMimeReferences *r = g_mime_references_parse(NULL, v);

		assert_int_equal(g_mime_references_length(r), 1);
		assert_string_equal(g_mime_references_get_message_id(r, 0),
				    "3.long.id.of.a.mailer.that.writes.long.ones@unej.ac.id");
		g_mime_references_free(r);
		r = g_mime_references_parse(NULL, g_mime_object_get_header(GMIME_OBJECT(g),
									   "References"));
		assert_int_equal(g_mime_references_length(r), 3);
		assert_string_equal(g_mime_references_get_message_id(r, 1),
				    "CAF=x+y_z-2@mail.example.org");
		g_mime_references_free(r);
	}
	g_object_unref(g);
	uc3_buf_release(&all);
	free(names);
	free(msg);
	/* none given: none written */
	base_mail(&m);
	msg = compose(&m);
	assert_null(header(msg, "In-Reply-To"));
	assert_null(header(msg, "References"));
	free(msg);
}

static void
compose_refuses_a_bad_message_id(void **state)
{
	static const char *const bad[] = {
		"a@b.example",
		"<a b@c.example>",
		"<a@b.example",
		"a@b.example>",
		"<ab.example>",
		"<@b.example>",
		"<a@>",
		"<a@b@c.example>",
		"<a@b.example>\nBcc: x@y.example",
		"<a@b.example>\r\n",
		"<a\x01@b.example>",
		"<a@b.exam\tple>",
		"<é@b.example>",
		"<<a@b.example>>",
		"<a@b.example> <c@d.example>",
		"",
		"<>",
		"<a(x)@b.example>",
	};
	size_t i, k;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		for (k = 0; k < 3; k++) {
			const char *refs[2] = { "<ok@unej.ac.id>", bad[i] };
			struct uc3_buf out = UC3_BUF_INIT;
			struct uc3_mail m;

			base_mail(&m);
			if (k == 0)
				m.message_id = bad[i];
			else if (k == 1)
				m.in_reply_to = bad[i];
			else {
				m.references = refs;
				m.nreferences = 2;
			}
			uc3_buf_adds(&out, "kept");
			if (uc3_mail_compose(&out, &m) != UC3_EINVAL)
				fail_msg("id \"%s\" was taken (%zu)", bad[i], k);
			assert_string_equal(out.ptr, "kept");
			assert_non_null(strstr(uc3_error_last(), "is not a message id"));
			assert_null(strpbrk(uc3_error_last(), "\r\n"));
			uc3_buf_release(&out);
		}
	}
}

/* RFC 5322 section 3.6.4: "<" dot-atom-text "@" dot-atom-text ">" */
static void
assert_msg_id(const char *id, const char *domain)
{
	const char *at = strchr(id, '@');
	const char *p;

	assert_true(id[0] == '<' && id[strlen(id) - 1] == '>');
	assert_non_null(at);
	assert_true(at > id + 1 && id[1] != '.' && at[-1] != '.');
	for (p = id + 1; p < at; p++)
		assert_true(((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
			     (*p == '.' && p[1] != '.')));
	assert_int_equal(strlen(at + 1), strlen(domain) + 1);
	assert_true(!strncmp(at + 1, domain, strlen(domain)));
}

static void
message_id_is_unique_and_valid(void **state)
{
	static const struct {
		const char *from, *domain;
	} cases[] = {
		{ "UC3 Universitas Jember <uc3@unej.ac.id>", "unej.ac.id" },
		{ "uc3@mail-1.unej.ac.id", "mail-1.unej.ac.id" },
		{ "uc3 <uc3@localhost>", "localhost" },
		{ "no address", "localhost" },
		{ "a@b..example", "localhost" },
		{ "a@-b.example", "localhost" },
		{ "a@b.example.", "localhost" },
		{ "a@[192.0.2.1]", "localhost" },
		{ "a@b.example (x)", "localhost" },
		{ "a@b.example\n", "localhost" },
	};
	struct uc3_buf ids = UC3_BUF_INIT, id = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		uc3_buf_reset(&id);
		uc3_mail_message_id(&id, cases[i].from, T_FRIDAY);
		assert_msg_id(id.ptr, cases[i].domain);
	}
	/* a thousand in the same second, all different */
	for (i = 0; i < 1000; i++) {
		uc3_buf_reset(&id);
		uc3_mail_message_id(&id, "uc3@unej.ac.id", T_FRIDAY);
		uc3_buf_addch(&id, '\n');
		assert_null(strstr(ids.ptr ? ids.ptr : "", id.ptr));
		uc3_buf_adds(&ids, id.ptr);
	}
	uc3_buf_release(&id);
	uc3_buf_release(&ids);
}

/* The body of msg (after the first empty line), or NULL. Not a copy. */
static const char *
body_of(const char *msg)
{
	const char *sep = strstr(msg, "\n\n");

	return sep ? sep + 2 : NULL;
}

/* Fail unless every line of msg is at most max octets (without the LF). */
static void
assert_lines_within(const char *msg, size_t max)
{
	const char *p = msg;

	while (*p) {
		size_t n = strcspn(p, "\n");

		if (n > max)
			fail_msg("a line of %zu octets (at most %zu): %.40s...", n, max, p);
		p += n;
		if (*p)
			p++;
	}
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Decode quoted-printable text as RFC 2045 section 6.7 reads it, and
 * check it on the way: lines of at most 76 characters, only printable
 * ASCII, no blank at the end of a line, no lone ".". free() the result.
 */
static char *
decode_qp(const char *s)
{
	struct uc3_buf out = UC3_BUF_INIT;
	const char *line = s;

	while (*line) {
		size_t n = strcspn(line, "\n");
		const char *p;

		if (n > 76)
			fail_msg("a quoted-printable line of %zu characters", n);
		if (n && (line[n - 1] == ' ' || line[n - 1] == '\t'))
			fail_msg("a blank at the end of a quoted-printable line");
		if (n == 1 && line[0] == '.')
			fail_msg("a lone '.' line");
		for (p = line; p < line + n; p++) {
			assert_true((*p >= 32 && *p < 127) || *p == '\t');
			if (*p != '=') {
				uc3_buf_addch(&out, *p);
				continue;
			}
			if (p + 1 == line + n)
				break; /* a soft line break */
			assert_true(p + 2 < line + n);
			assert_true(hexval(p[1]) >= 0 && hexval(p[2]) >= 0);
			uc3_buf_addch(&out, (char)(hexval(p[1]) * 16 + hexval(p[2])));
			p += 2;
		}
		if (!(n && line[n - 1] == '=') && line[n])
			uc3_buf_addch(&out, '\n');
		line += n + (line[n] ? 1 : 0);
	}
	return uc3_buf_detach(&out);
}

static void
compose_encodes_a_body_line_over_998_octets_as_quoted_printable(void **state)
{
	struct uc3_buf body = UC3_BUF_INIT;
	struct uc3_mail m;
	char *msg, *dec, *cte;
	int i;

	/* the overdue notice of a ticket with a 3,000-character subject */
	uc3_buf_adds(&body, "Yth. Staf Satu,\n\n- UC3-2026-0001: ");
	for (i = 0; i < 1000; i++)
		uc3_buf_adds(&body, i % 10 ? "ab " : "é= ");
	uc3_buf_adds(&body, "\n  langkah staf, batas 09:05 \n.x\n");
	base_mail(&m);
	m.body = body.ptr;
	msg = compose(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, "quoted-printable");
	assert_lines_within(msg, 78);
	assert_lines_within(body_of(msg), 76);
	dec = decode_qp(body_of(msg));
	assert_string_equal(dec, body.ptr);
	/* UTF-8 and "=" escaped, a blank at the end of a line too */
	assert_non_null(strstr(body_of(msg), "=C3=A9=3D"));
	assert_non_null(strstr(body_of(msg), "09:05=20\n"));
	free(dec);
	free(cte);
	free(msg);
	uc3_buf_release(&body);
}

static void
compose_encodes_a_body_that_is_not_ascii_as_quoted_printable(void **state)
{
	struct uc3_mail m;
	GMimeMessage *g;
	GMimeObject *part;
	char *msg, *cte, *dec, *text;

	/* mostly not ASCII: quoted-printable all the same, never base64 */
	base_mail(&m);
	m.body = "日本語の本文です。\nПривет\nPembayaran UKT — ñ ü\n";
	msg = compose(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, "quoted-printable");
	assert_ascii_header(msg);
	dec = decode_qp(body_of(msg));
	assert_string_equal(dec, m.body);
	g = parse(msg);
	part = g_mime_message_get_mime_part(g);
	assert_true(GMIME_IS_TEXT_PART(part));
	assert_string_equal(g_mime_object_get_content_type_parameter(part, "charset"), "UTF-8");
	text = g_mime_text_part_get_text(GMIME_TEXT_PART(part));
	assert_string_equal(text, m.body);
	g_free(text);
	g_object_unref(g);
	free(dec);
	free(cte);
	free(msg);
}

static void
compose_keeps_a_line_of_998_octets_7bit(void **state)
{
	struct uc3_buf body = UC3_BUF_INIT;
	struct uc3_mail m;
	char *msg, *cte;

	uc3_buf_adds(&body, "a\n");
	while (body.len < 2 + 998)
		uc3_buf_addch(&body, 'x');
	uc3_buf_adds(&body, "\nb\n");
	base_mail(&m);
	m.body = body.ptr;
	msg = compose(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, "7bit");
	assert_string_equal(body_of(msg), body.ptr);
	free(cte);
	free(msg);
	/* one more octet, and it is quoted-printable */
	uc3_buf_reset(&body);
	uc3_buf_adds(&body, "a\n");
	while (body.len < 2 + 999)
		uc3_buf_addch(&body, 'x');
	uc3_buf_adds(&body, "\nb\n");
	m.body = body.ptr;
	msg = compose(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, "quoted-printable");
	free(cte);
	free(msg);
	uc3_buf_release(&body);
}

static void
compose_never_writes_a_lone_dot_line(void **state)
{
	static const char *const bodies[] = {
		"satu\n.\ndua\n", ".\n", "satu\n.", "satu\r\n.\r\ndua\r\n", "é\n.\n",
	};
	struct uc3_mail m;
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(*bodies); i++) {
		char *msg, *cte, *dec;
		const char *p;

		base_mail(&m);
		m.body = bodies[i];
		msg = compose(&m);
		for (p = body_of(msg); *p; p += strcspn(p, "\n") + (p[strcspn(p, "\n")] ? 1 : 0))
			if (!strncmp(p, ".\n", 2) || !strcmp(p, "."))
				fail_msg("a lone '.' line in body %zu", i);
		cte = header(msg, "Content-Transfer-Encoding");
		assert_string_equal(cte, "quoted-printable");
		dec = decode_qp(body_of(msg));
		/* the "." is there, decoded, alone on its line */
		assert_true(!strncmp(dec, ".\n", 2) || strstr(dec, "\n.\n"));
		free(dec);
		free(cte);
		free(msg);
	}
	/* a dot with more on its line is plain text */
	base_mail(&m);
	m.body = "satu\n.. dua\n.\t\n";
	{
		char *msg = compose(&m), *cte = header(msg, "Content-Transfer-Encoding");

		assert_string_equal(cte, "7bit");
		free(cte);
		free(msg);
	}
}

static void
compose_writes_crlf_as_lf_and_encodes_a_lone_carriage_return(void **state)
{
	struct uc3_mail m;
	char *msg, *cte, *dec;

	base_mail(&m);
	m.body = "satu\rdua\n";
	msg = compose(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, "quoted-printable");
	assert_null(strchr(msg, '\r'));
	assert_string_equal(body_of(msg), "satu=0Ddua\n");
	dec = decode_qp(body_of(msg));
	assert_string_equal(dec, m.body);
	free(dec);
	free(cte);
	free(msg);
	/* CRLF line ends are line ends: LF, and the body stays 7bit */
	m.body = "satu\r\ndua\r\n";
	msg = compose(&m);
	cte = header(msg, "Content-Transfer-Encoding");
	assert_string_equal(cte, "7bit");
	assert_string_equal(body_of(msg), "satu\ndua\n");
	free(cte);
	free(msg);
}

static char *
temp_path(void)
{
	char tmpl[] = "/tmp/uc3-mail-test-XXXXXX";
	int fd = mkstemp(tmpl);

	assert_true(fd >= 0);
	close(fd);
	return strdup(tmpl);
}

static void
send_hands_the_message_to_the_command(void **state)
{
	static const char msg[] = "To: a@b.example\nSubject: x\n\nbody\n";
	char *path = temp_path(), cmd[512], got[256];
	size_t n;
	FILE *f;

	snprintf(cmd, sizeof(cmd), "cat > '%s'", path);
	assert_int_equal(uc3_mail_send(cmd, msg, strlen(msg)), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	assert_string_equal(got, msg);
	/* a command line run by the shell, with its arguments and redirections */
	snprintf(cmd, sizeof(cmd), "tr a-z A-Z | cat >'%s' 2>/dev/null", path);
	assert_int_equal(uc3_mail_send(cmd, "abc\n", 4), 0);
	f = fopen(path, "rb");
	assert_non_null(f);
	n = fread(got, 1, sizeof(got) - 1, f);
	fclose(f);
	got[n] = '\0';
	assert_string_equal(got, "ABC\n");
	unlink(path);
	free(path);
}

static void
send_fails_with_the_exit_status(void **state)
{
	static const char msg[] = "To: a@b.example\n\nbody\n";

	assert_int_equal(uc3_mail_send("cat >/dev/null; exit 75", msg, strlen(msg)), UC3_ERROR);
	assert_non_null(strstr(uc3_error_last(), "exit 75"));
	assert_non_null(strstr(uc3_error_last(), "sendmail failed"));
	/* without reading the message at all */
	assert_int_equal(uc3_mail_send("exit 75", msg, strlen(msg)), UC3_ERROR);
	assert_non_null(strstr(uc3_error_last(), "exit 75"));
	/* its first line of stderr is in the message */
	assert_int_equal(
		uc3_mail_send("cat >/dev/null; echo 'queue full' >&2; echo more >&2; exit 1", msg,
			      strlen(msg)),
		UC3_ERROR);
	assert_non_null(strstr(uc3_error_last(), "exit 1"));
	assert_non_null(strstr(uc3_error_last(), "queue full"));
	assert_null(strstr(uc3_error_last(), "more"));
	assert_null(strchr(uc3_error_last(), '\n'));
	/* a command that is not there */
	assert_int_equal(uc3_mail_send("/nonexistent/sendmail -t -i", msg, strlen(msg)), UC3_ERROR);
	assert_non_null(strstr(uc3_error_last(), "exit 127"));
}

static void
send_of_a_large_message_to_a_command_that_reads_nothing(void **state)
{
	size_t len = 1 << 20;
	char *msg = malloc(len);

	assert_non_null(msg);
	memset(msg, 'x', len);
	/* no hang, no SIGPIPE: a status */
	assert_int_equal(uc3_mail_send("exit 0", msg, len), 0);
	assert_int_equal(uc3_mail_send("exit 75", msg, len), UC3_ERROR);
	assert_non_null(strstr(uc3_error_last(), "exit 75"));
	free(msg);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compose_writes_every_header_then_the_body),
		cmocka_unit_test(compose_gives_each_message_its_own_id),
		cmocka_unit_test(compose_ends_the_body_with_a_newline_and_appends),
		cmocka_unit_test(compose_dates_in_the_zone_given),
		cmocka_unit_test(compose_lists_several_recipients),
		cmocka_unit_test(compose_encodes_a_non_ascii_subject),
		cmocka_unit_test(compose_encodes_a_non_ascii_display_name),
		cmocka_unit_test(compose_quotes_a_display_name_with_specials),
		cmocka_unit_test(compose_splits_a_long_subject_into_short_encoded_words),
		cmocka_unit_test(compose_keeps_lines_with_encoded_words_within_78_characters),
		cmocka_unit_test(compose_keeps_every_header_line_within_998_characters),
		cmocka_unit_test(
			compose_keeps_a_subject_of_2000_characters_within_998_octets_a_line),
		cmocka_unit_test(compose_keeps_a_long_word_of_the_subject_within_998_octets),
		cmocka_unit_test(compose_turns_line_breaks_and_controls_into_blanks),
		cmocka_unit_test(compose_refuses_a_bad_address),
		cmocka_unit_test(compose_writes_the_threading_headers_given),
		cmocka_unit_test(compose_refuses_a_bad_message_id),
		cmocka_unit_test(message_id_is_unique_and_valid),
		cmocka_unit_test(compose_encodes_a_body_line_over_998_octets_as_quoted_printable),
		cmocka_unit_test(compose_encodes_a_body_that_is_not_ascii_as_quoted_printable),
		cmocka_unit_test(compose_keeps_a_line_of_998_octets_7bit),
		cmocka_unit_test(compose_never_writes_a_lone_dot_line),
		cmocka_unit_test(compose_writes_crlf_as_lf_and_encodes_a_lone_carriage_return),
		cmocka_unit_test(send_hands_the_message_to_the_command),
		cmocka_unit_test(send_fails_with_the_exit_status),
		cmocka_unit_test(send_of_a_large_message_to_a_command_that_reads_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
