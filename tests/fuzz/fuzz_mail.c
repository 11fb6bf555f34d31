/*
 * uc3_mail_parse on any bytes. What it gives must keep mail.h's promises
 * whatever the input: every string valid UTF-8, the subject, the name
 * and the loop one line without control characters, the body with no
 * control but TAB and LF and ending in one LF (or ""), each message id
 * "<left@right>", each file with a type and its data; a refusal leaves
 * the result empty. A broken promise abort()s so that libFuzzer keeps
 * the input.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "mail.h"
#include "utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
broken(const char *what, const char *s)
{
	fprintf(stderr, "%s: '%s'\n", what, s ? s : "(null)");
	abort();
}

static void
check_utf8(const char *s, const char *what)
{
	if (s && !uc3_utf8_valid(s, strlen(s), NULL))
		broken(what, "invalid UTF-8");
}

static void
check_line(const char *s, const char *what)
{
	check_utf8(s, what);
	if (s && (!*s || uc3_text_check(s, what, UC3_TEXT_LINE) < 0))
		broken(what, s);
}

static void
check_id(const char *s, const char *what)
{
	size_t n, i;

	if (!s)
		return;
	n = strlen(s);
	if (n < 5 || s[0] != '<' || s[n - 1] != '>' || !memchr(s, '@', n))
		broken(what, s);
	for (i = 0; i < n; i++)
		if (s[i] <= ' ' || s[i] > '~')
			broken(what, s);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct uc3_mail_in m;
	size_t i, n;

	if (uc3_mail_parse(&m, (const char *)data, size) < 0) {
		if (m.from_email || m.body || m.parts || m.nparts || m.references)
			broken("refused, but the result is not empty", uc3_error_last());
		if (strchr(uc3_error_last(), '\n'))
			broken("a refusal of more than one line", uc3_error_last());
		return 0;
	}
	check_line(m.from_name, "from_name");
	check_line(m.subject, "subject");
	check_line(m.loop, "loop");
	check_utf8(m.from_email, "from_email");
	if (!m.from_email || !strchr(m.from_email, '@') || strpbrk(m.from_email, " \t\r\n"))
		broken("from_email", m.from_email);
	check_id(m.message_id, "message_id");
	check_id(m.in_reply_to, "in_reply_to");
	for (i = 0; i < m.nreferences; i++)
		check_id(m.references[i], "a reference");
	if (!m.body)
		broken("body", NULL);
	check_utf8(m.body, "body");
	if (uc3_text_check(m.body, "body", UC3_TEXT_LINES) < 0 || strchr(m.body, '\r'))
		broken("body", uc3_error_last());
	n = strlen(m.body);
	if (n && (m.body[n - 1] != '\n' || (n > 1 && m.body[n - 2] == '\n')))
		broken("body end", m.body);
	for (i = 0; i < m.nparts; i++) {
		check_line(m.parts[i].name, "a part's name");
		check_line(m.parts[i].type, "a part's type");
		if (!m.parts[i].type || !m.parts[i].data)
			broken("a part without type or data", m.parts[i].type);
	}
	uc3_mail_in_release(&m);
	return 0;
}

#include "fuzz_main.h"
