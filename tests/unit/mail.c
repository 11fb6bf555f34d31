#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "mail.h"

/*
 * Mail out (lib/mail.h): RFC 5322 composition with RFC 2047 encoded
 * words, and sendmail.
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

/* The value of header name (unfolded as written: "\n " kept), or NULL; free() it. */
static char *
header(const char *msg, const char *name)
{
	size_t n = strlen(name);
	const char *p = msg, *end;

	while (*p && *p != '\n') {
		const char *eol = strchr(p, '\n');

		if (!eol)
			return NULL;
		if (!strncmp(p, name, n) && p[n] == ':' && p[n + 1] == ' ') {
			end = eol;
			while (end[1] == ' ' || end[1] == '\t')
				end = strchr(end + 1, '\n');
			return strndup(p + n + 2, (size_t)(end - p - n - 2));
		}
		p = eol + 1;
	}
	return NULL;
}

static int
b64val(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

/*
 * Decode a header value made of RFC 2047 "B" encoded words in UTF-8,
 * separated by folding white space (which decoding drops), followed by
 * the rest of the value as it is. Each word must be at most 75
 * characters and decode to whole UTF-8 characters. free() the result.
 */
static char *
decode_words(const char *v, const char **rest)
{
	struct uc3_buf out = UC3_BUF_INIT;

	for (;;) {
		const char *end;
		unsigned acc = 0;
		int bits = 0;
		size_t start = out.len, k;

		while (*v == ' ' || *v == '\t' || *v == '\n')
			v++;
		if (strncmp(v, "=?UTF-8?B?", 10))
			break;
		end = strstr(v + 10, "?=");
		assert_non_null(end);
		if (end + 2 - v > 75)
			fail_msg("encoded word of %d characters: %.*s", (int)(end + 2 - v),
				 (int)(end + 2 - v), v);
		for (v += 10; v < end; v++) {
			int x;

			if (*v == '=')
				continue;
			x = b64val(*v);
			assert_true(x >= 0);
			acc = (acc << 6) | (unsigned)x;
			bits += 6;
			if (bits >= 8) {
				bits -= 8;
				uc3_buf_addch(&out, (char)((acc >> bits) & 0xff));
			}
		}
		/* each word holds whole characters */
		for (k = start; k < out.len;) {
			unsigned char c = (unsigned char)out.ptr[k];
			size_t len = c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;

			assert_true(k + len <= out.len);
			k += len;
		}
		if (k < out.len ||
		    (start < out.len && ((unsigned char)out.ptr[start] & 0xc0) == 0x80))
			fail_msg("an encoded word splits a UTF-8 character");
		v = end + 2;
	}
	if (rest)
		*rest = v;
	return uc3_buf_detach(&out);
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
			 "Message-ID: %s\n"
			 "MIME-Version: 1.0\n"
			 "Content-Type: text/plain; charset=UTF-8\n"
			 "Content-Transfer-Encoding: 8bit\n"
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
}

static void
compose_lists_several_recipients(void **state)
{
	static const char *const to[] = { "a@unej.ac.id", "Staf Dua <b@unej.ac.id>" };
	struct uc3_mail m;
	char *msg, *v;

	base_mail(&m);
	m.to = to;
	m.nto = 2;
	msg = compose(&m);
	v = header(msg, "To");
	assert_string_equal(v, "a@unej.ac.id,\n Staf Dua <b@unej.ac.id>");
	free(v);
	free(msg);
}

static void
compose_encodes_a_non_ascii_subject(void **state)
{
	struct uc3_mail m;
	char *msg, *v, *dec;
	const char *rest;

	base_mail(&m);
	m.subject = "[UC3] Peringatan — 2 tiket terlambat, Café";
	msg = compose(&m);
	v = header(msg, "Subject");
	assert_true(!strncmp(v, "=?UTF-8?B?", 10));
	dec = decode_words(v, &rest);
	assert_string_equal(dec, m.subject);
	assert_string_equal(rest, "");
	/* everything in the header block is ASCII */
	{
		const unsigned char *p;

		for (p = (const unsigned char *)msg; p < (const unsigned char *)strstr(msg, "\n\n");
		     p++)
			assert_true(*p < 0x80);
	}
	free(dec);
	free(v);
	free(msg);
	/* a control character is not plain ASCII text either */
	base_mail(&m);
	m.subject = "a\tb";
	msg = compose(&m);
	v = header(msg, "Subject");
	dec = decode_words(v, NULL);
	assert_string_equal(dec, "a\tb");
	free(dec);
	free(v);
	free(msg);
}

static void
compose_encodes_a_non_ascii_display_name(void **state)
{
	static const char *const to[] = { "Siti Aminah Ñ <siti@example.com>" };
	struct uc3_mail m;
	char *msg, *v, *dec;
	const char *rest;

	base_mail(&m);
	m.from = "Layanan Pelanggan Café <uc3@unej.ac.id>";
	m.to = to;
	msg = compose(&m);
	v = header(msg, "From");
	dec = decode_words(v, &rest);
	assert_string_equal(dec, "Layanan Pelanggan Café");
	assert_string_equal(rest, "<uc3@unej.ac.id>");
	free(dec);
	free(v);
	v = header(msg, "To");
	dec = decode_words(v, &rest);
	assert_string_equal(dec, "Siti Aminah Ñ");
	assert_string_equal(rest, "<siti@example.com>");
	free(dec);
	free(v);
	free(msg);
}

static void
compose_quotes_a_display_name_with_specials(void **state)
{
	struct uc3_mail m;
	char *msg, *v;

	base_mail(&m);
	m.from = "Humas, Universitas Jember <uc3@unej.ac.id>";
	msg = compose(&m);
	v = header(msg, "From");
	assert_string_equal(v, "\"Humas, Universitas Jember\" <uc3@unej.ac.id>");
	free(v);
	free(msg);
	m.from = "uc3@unej.ac.id";
	msg = compose(&m);
	v = header(msg, "From");
	assert_string_equal(v, "uc3@unej.ac.id");
	free(v);
	free(msg);
	m.from = "<uc3@unej.ac.id>";
	msg = compose(&m);
	v = header(msg, "From");
	assert_string_equal(v, "<uc3@unej.ac.id>");
	free(v);
	free(msg);
}

static void
compose_splits_a_long_subject_into_short_encoded_words(void **state)
{
	struct uc3_buf subject = UC3_BUF_INIT;
	struct uc3_mail m;
	char *msg, *v, *dec;
	const char *rest;
	int i;

	/* 1-, 2-, 3- and 4-byte characters, so a split could fall anywhere */
	for (i = 0; i < 30; i++)
		uc3_buf_addf(&subject, "Tiket %d terlambat — café 日本 🙂 ", i);
	base_mail(&m);
	m.subject = subject.ptr;
	msg = compose(&m);
	v = header(msg, "Subject");
	/* decode_words checks each word: at most 75 characters, whole characters */
	dec = decode_words(v, &rest);
	assert_string_equal(dec, subject.ptr);
	assert_string_equal(rest, "");
	assert_non_null(strstr(v, "?=\n =?UTF-8?B?"));
	free(dec);
	free(v);
	free(msg);
	uc3_buf_release(&subject);
}

/* RFC 2047 section 2: a line that holds an encoded word is at most 76 characters. */
static void
compose_keeps_lines_with_encoded_words_within_76_characters(void **state)
{
	static const char *const subjects[] = {
		"Tiket terlambat — café 日本 🙂 Tiket terlambat — café 日本 🙂 Tiket terlambat",
		"é",
		"Peringatan: 12 tiket melewati batas waktu menurut SOP PKIH HUM-08 — mohon",
	};
	struct uc3_mail m;
	size_t i;

	for (i = 0; i < sizeof(subjects) / sizeof(*subjects); i++) {
		const char *p, *head_end;
		char *msg;

		base_mail(&m);
		m.subject = subjects[i];
		m.from = "Layanan Pelanggan Café Universitas Jember, Bagian Humas <uc3@unej.ac.id>";
		msg = compose(&m);
		head_end = strstr(msg, "\n\n");
		for (p = msg; p < head_end;) {
			const char *eol = strchr(p, '\n');

			if (memmem(p, (size_t)(eol - p), "=?", 2) && eol - p > 76)
				fail_msg("a line of %d characters with an encoded word: %.*s",
					 (int)(eol - p), (int)(eol - p), p);
			p = eol + 1;
		}
		free(msg);
	}
}

static void
compose_keeps_every_header_line_within_998_characters(void **state)
{
	struct uc3_buf subject = UC3_BUF_INIT;
	struct uc3_mail m;
	char *msg;
	const char *p, *head_end;
	int i;

	/* a long ASCII subject: several tickets' subjects in one template */
	for (i = 0; i < 40; i++)
		uc3_buf_addf(&subject, "UC3-2026-%04d Pembayaran UKT belum terverifikasi; ", i);
	base_mail(&m);
	m.subject = subject.ptr;
	msg = compose(&m);
	head_end = strstr(msg, "\n\n");
	for (p = msg; p < head_end;) {
		const char *eol = strchr(p, '\n');

		if (eol - p > 998)
			fail_msg("header line of %d characters (RFC 5322 allows 998)",
				 (int)(eol - p));
		p = eol + 1;
	}
	free(msg);
	uc3_buf_release(&subject);
}

static void
compose_refuses_a_line_break_in_the_subject(void **state)
{
	static const char *const bad[] = { "Tes\nBcc: x@y.example", "Tes\r\nBcc: x@y.example",
					   "Tes\r", "\n" };
	struct uc3_mail m;
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct uc3_buf out = UC3_BUF_INIT;

		base_mail(&m);
		m.subject = bad[i];
		uc3_buf_adds(&out, "kept");
		assert_int_equal(uc3_mail_compose(&out, &m), UC3_EINVAL);
		assert_non_null(strstr(uc3_error_last(), "line break"));
		assert_string_equal(out.ptr, "kept");
		uc3_buf_release(&out);
	}
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
		"Name <not-an-address>",
		"Name <a@b.example",
		"Name a@b.example>",
		"a@b.example\nBcc: x@y.example",
		"Name <a@b.example>\r\nBcc: x@y.example",
		"Name <a@b.example\n>",
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
		assert_non_null(strstr(uc3_error_last(), "'bad' is not a mail address"));
		assert_int_equal(out.len, 0);
		uc3_buf_release(&out);
	}
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
compose_keeps_a_long_word_of_the_subject_within_998_octets(void **state)
{
	struct uc3_buf subject = UC3_BUF_INIT;
	struct uc3_mail m;
	char *msg, *v, *dec;
	const char *rest;
	int i;

	/* 3,000 characters without a blank: folding cannot cut it */
	for (i = 0; i < 3000; i++)
		uc3_buf_addch(&subject, (char)('a' + i % 26));
	base_mail(&m);
	m.subject = subject.ptr;
	msg = compose(&m);
	*strstr(msg, "\n\n") = '\0';
	assert_lines_within(msg, 78);
	v = header(msg, "Subject");
	dec = decode_words(v, &rest);
	assert_string_equal(dec, subject.ptr);
	assert_string_equal(rest, "");
	free(dec);
	free(v);
	free(msg);
	/* a short word stays plain */
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
	assert_lines_within(msg, 76);
	dec = decode_qp(body_of(msg));
	assert_string_equal(dec, body.ptr);
	/* UTF-8 and "=" escaped, a blank at the end of a line too */
	assert_non_null(strstr(body_of(msg), "=C3=A9=3D"));
	assert_non_null(strstr(body_of(msg), "09:05=20\n=2Ex\n"));
	free(dec);
	free(cte);
	free(msg);
	uc3_buf_release(&body);
}

static void
compose_keeps_a_line_of_998_octets_8bit(void **state)
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
	assert_string_equal(cte, "8bit");
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
		"satu\n.\ndua\n",
		".\n",
		"satu\n.",
		"satu\r\n.\r\ndua\r\n",
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
		assert_non_null(strstr(dec, "."));
		free(dec);
		free(cte);
		free(msg);
	}
	/* a dot with more on its line is plain text */
	base_mail(&m);
	m.body = "satu\n.. dua\n.\t\n";
	{
		char *msg = compose(&m), *cte = header(msg, "Content-Transfer-Encoding");

		assert_string_equal(cte, "8bit");
		free(cte);
		free(msg);
	}
}

static void
compose_encodes_a_lone_carriage_return(void **state)
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
		cmocka_unit_test(compose_keeps_lines_with_encoded_words_within_76_characters),
		cmocka_unit_test(compose_keeps_every_header_line_within_998_characters),
		cmocka_unit_test(compose_keeps_a_long_word_of_the_subject_within_998_octets),
		cmocka_unit_test(compose_encodes_a_body_line_over_998_octets_as_quoted_printable),
		cmocka_unit_test(compose_keeps_a_line_of_998_octets_8bit),
		cmocka_unit_test(compose_never_writes_a_lone_dot_line),
		cmocka_unit_test(compose_encodes_a_lone_carriage_return),
		cmocka_unit_test(compose_refuses_a_line_break_in_the_subject),
		cmocka_unit_test(compose_refuses_a_bad_address),
		cmocka_unit_test(send_hands_the_message_to_the_command),
		cmocka_unit_test(send_fails_with_the_exit_status),
		cmocka_unit_test(send_of_a_large_message_to_a_command_that_reads_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
