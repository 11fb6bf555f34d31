#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "policy.h"
#include "ticket.h"
#include "xalloc.h"
#include "ydoc.h"

/*
 * A small valid ticket. Line numbers matter: the rejection tests change
 * one line of it and expect the message to point there.
 */
static const char base[] = "id: UC3-2026-0042\n"		   /* 1 */
			   "subject: Tes\n"			   /* 2 */
			   "kind: keluhan\n"			   /* 3 */
			   "channel: email\n"			   /* 4 */
			   "requester:\n"			   /* 5 */
			   "  name: Siti\n"			   /* 6 */
			   "unit: Keuangan\n"			   /* 7 */
			   "received: 2026-11-28T09:00:00+07:00\n" /* 8 */
			   "status: open\n"			   /* 9 */
			   "level: wakor\n"			   /* 10 */
			   "deadline: 2026-11-28T10:05:00+07:00\n" /* 11 */
			   "body: |\n"				   /* 12 */
			   "  Halo.\n"				   /* 13 */
			   "events:\n"				   /* 14 */
			   "- at: 2026-11-28T09:00:00+07:00\n"	   /* 15 */
			   "  by: humas1@unej.ac.id\n"		   /* 16 */
			   "  action: new\n"			   /* 17 */
			   "- at: 2026-11-28T09:04:00+07:00\n"	   /* 18 */
			   "  by: humas1@unej.ac.id\n"		   /* 19 */
			   "  action: escalate\n"		   /* 20 */
			   "  step: {name: staf, due: '2026-11-28T09:05:00+07:00', late: false}\n";
/* 21 */

/* doc with the first occurrence of old replaced by new; free() it. */
static char *
with(const char *doc, const char *old, const char *newer)
{
	const char *at = strstr(doc, old);
	size_t pre, len;
	char *s;

	if (at == NULL)
		fail_msg("test bug: \"%s\" not in the document", old);
	pre = (size_t)(at - doc);
	len = strlen(doc) - strlen(old) + strlen(newer);
	s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, doc, pre);
	strcpy(s + pre, newer);
	strcat(s, at + strlen(old));
	return s;
}

static char *
read_fixture(const char *name, size_t *len)
{
	const char *dir = getenv("UC3_FIXTURES");
	struct uc3_buf b;
	char path[512], chunk[4096];
	size_t n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir ? dir : "tests/fixtures", name);
	if (!(f = fopen(path, "rb")))
		fail_msg("cannot open %s: run from the top of the tree or set "
			 "UC3_FIXTURES",
			 path);
	uc3_buf_init(&b);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		uc3_buf_add(&b, chunk, n);
	fclose(f);
	*len = b.len;
	return uc3_buf_detach(&b);
}

static struct uc3_ticket *
parse_ok(const char *doc)
{
	struct uc3_ticket *t = NULL;

	if (uc3_ticket_parse(&t, doc, strlen(doc), "t.yaml"))
		fail_msg("unexpected error: %s", uc3_error_last());
	assert_non_null(t);
	return t;
}

/* base with old replaced by new must be refused with exactly msg. */
static void
refuse_with(const char *old, const char *newer, const char *msg)
{
	struct uc3_ticket *t = (struct uc3_ticket *)1;
	char *doc = with(base, old, newer);

	uc3_error_clear();
	assert_int_equal(uc3_ticket_parse(&t, doc, strlen(doc), "t.yaml"), UC3_EINVAL);
	assert_null(t);
	assert_string_equal(uc3_error_last(), msg);
	free(doc);
}

static char *
format_ok(const struct uc3_ticket *t)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	if (uc3_ticket_format(&b, t))
		fail_msg("unexpected error: %s", uc3_error_last());
	return uc3_buf_detach(&b);
}

static bool
str_equal(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return !strcmp(a, b);
}

static bool
node_equal(const struct uc3_ynode *a, const struct uc3_ynode *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->type != b->type || a->n != b->n)
		return false;
	if (a->type == UC3_YSCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (i = 0; i < a->n; i++) {
		if (a->type == UC3_YMAP && strcmp(a->keys[i], b->keys[i]))
			return false;
		if (!node_equal(a->items[i], b->items[i]))
			return false;
	}
	return true;
}

/* Field by field; names the first difference. */
static void
assert_ticket_equal(const struct uc3_ticket *a, const struct uc3_ticket *b)
{
	size_t i;

#define SAME(f)                                                                                    \
	do {                                                                                       \
		if (!str_equal(a->f, b->f))                                                        \
			fail_msg(#f " differs: [%s] vs [%s]", a->f ? a->f : "(null)",              \
				 b->f ? b->f : "(null)");                                          \
	} while (0)
	SAME(id);
	SAME(subject);
	SAME(kind);
	SAME(channel);
	SAME(requester.name);
	SAME(requester.email);
	SAME(requester.phone);
	SAME(requester.social);
	SAME(requester.address);
	SAME(unit);
	SAME(received);
	SAME(message_id);
	SAME(sent);
	SAME(follows);
	SAME(automatic);
	SAME(level);
	SAME(deadline);
	SAME(body);
	SAME(answer);
	SAME(closed_as);
	SAME(duplicate_of);
	assert_int_equal(a->status, b->status);
	assert_int_equal(a->nattachments, b->nattachments);
	for (i = 0; i < a->nattachments; i++) {
		SAME(attachments[i].name);
		SAME(attachments[i].type);
		SAME(attachments[i].blob);
		assert_int_equal(a->attachments[i].size, b->attachments[i].size);
	}
	assert_true(node_equal(a->extra, b->extra));
	assert_int_equal(a->nevents, b->nevents);
	for (i = 0; i < a->nevents; i++) {
		SAME(events[i].at);
		SAME(events[i].by);
		SAME(events[i].action);
		SAME(events[i].role);
		SAME(events[i].from);
		SAME(events[i].to);
		SAME(events[i].note);
		SAME(events[i].about);
		SAME(events[i].sender);
		SAME(events[i].message_id);
		SAME(events[i].step.name);
		SAME(events[i].step.due);
		assert_int_equal(a->events[i].step.late, b->events[i].step.late);
		assert_int_equal(a->events[i].step.taken_over, b->events[i].step.taken_over);
		assert_true(node_equal(a->events[i].extra, b->events[i].extra));
		SAME(events[i].as);
		SAME(events[i].of);
		assert_int_equal(a->events[i].nchanges, b->events[i].nchanges);
		for (size_t k = 0; k < a->events[i].nchanges; k++) {
			SAME(events[i].changes[k].field);
			SAME(events[i].changes[k].before);
			SAME(events[i].changes[k].after);
		}
	}
#undef SAME
}

/*
 * The two guarantees: parse(format(t)) == t, and format(parse(f)) == f
 * for the f that format wrote. Returns the text (free() it).
 */
static char *
round_trip(const struct uc3_ticket *t)
{
	struct uc3_ticket *back;
	char *out = format_ok(t), *again;

	if (uc3_ticket_parse(&back, out, strlen(out), "rt.yaml"))
		fail_msg("does not read back: %s\n%s", uc3_error_last(), out);
	assert_ticket_equal(t, back);
	again = format_ok(back);
	assert_string_equal(out, again);
	free(again);
	uc3_ticket_free(back);
	return out;
}

static void
set(char **field, const char *value)
{
	free(*field);
	*field = value ? uc3_xstrdup(value) : NULL;
}

/* A ticket built in memory, as a tool would. */
static struct uc3_ticket *
sample(void)
{
	struct uc3_ticket *t = uc3_ticket_new();
	struct uc3_event *e;

	set(&t->id, "UC3-2026-0007");
	set(&t->subject, "Jadwal wisuda");
	set(&t->kind, "pertanyaan");
	set(&t->channel, "telepon");
	set(&t->requester.phone, "0812345678");
	set(&t->received, "2026-11-28T09:00:00+07:00");
	t->status = UC3_STATUS_OPEN;
	set(&t->level, "staf");
	set(&t->deadline, "2026-11-28T09:05:00+07:00");
	set(&t->body, "Kapan wisuda?\n");
	e = uc3_ticket_add_event(t);
	set(&e->at, "2026-11-28T09:00:00+07:00");
	set(&e->by, "humas1@unej.ac.id");
	set(&e->action, "new");
	return t;
}

/*
 * Reading and writing.
 */

static void
parse_reads_every_field_of_the_full_fixture(void **state)
{
	size_t len;
	char *doc = read_fixture("ticket-full.yaml", &len);
	struct uc3_ticket *t;
	const struct uc3_event *e;

	if (uc3_ticket_parse(&t, doc, len, "ticket-full.yaml"))
		fail_msg("%s", uc3_error_last());
	assert_string_equal(t->id, "UC3-2026-0042");
	assert_string_equal(t->subject, "Pembayaran UKT belum terverifikasi");
	assert_string_equal(t->kind, "keluhan");
	assert_string_equal(t->channel, "email");
	assert_string_equal(t->requester.name, "Siti Aminah");
	assert_string_equal(t->requester.email, "siti@example.com");
	assert_string_equal(t->requester.phone, "+62 812 3456 7890");
	assert_string_equal(t->unit, "Bagian Keuangan");
	assert_string_equal(t->received, "2026-11-28T09:00:00+07:00");
	assert_int_equal(t->status, UC3_STATUS_ANSWERED);
	assert_string_equal(t->level, "wakor");
	assert_string_equal(t->deadline, "2026-11-28T10:25:00+07:00");
	assert_non_null(strstr(t->body, "Mohon dicek. 🙏\n"));
	assert_string_equal(t->answer, "Terima kasih, Ibu Siti.\n"
				       "Pembayaran sudah terverifikasi per 28 November 2026.\n");
	assert_string_equal(uc3_ynode_get(t->extra, "nim")->str, "201910101042");
	assert_int_equal(t->nevents, 3);
	e = &t->events[1];
	assert_string_equal(e->action, "escalate");
	assert_string_equal(e->from, "staf");
	assert_string_equal(e->to, "wakor");
	assert_string_equal(e->note, "Data pembayaran tidak ada di Humas.");
	assert_string_equal(e->step.name, "staf");
	assert_string_equal(e->step.due, "2026-11-28T09:05:00+07:00");
	assert_false(e->step.late);
	assert_null(e->extra);
	assert_null(t->events[0].step.name);
	assert_true(t->events[2].step.late);
	assert_string_equal(uc3_ynode_get(t->events[2].extra, "via")->str, "telepon");
	uc3_ticket_free(t);
	free(doc);
}

static void
format_of_the_full_fixture_is_byte_identical(void **state)
{
	size_t len;
	char *doc = read_fixture("ticket-full.yaml", &len), *out;
	struct uc3_ticket *t;

	if (uc3_ticket_parse(&t, doc, len, "ticket-full.yaml"))
		fail_msg("%s", uc3_error_last());
	out = format_ok(t);
	assert_string_equal(out, doc);
	free(out);
	uc3_ticket_free(t);
	free(doc);
}

static void
format_puts_fields_in_canonical_order(void **state)
{
	struct uc3_ticket *t = uc3_ticket_new();
	struct uc3_event *e;
	char *out;

	/* Filled in reverse: the order comes from format, not from us. */
	t->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(t->extra, "zeta", uc3_ynode_scalar("1", 0));
	uc3_ynode_map_add(t->extra, "alpha", uc3_ynode_scalar("2", 0));
	e = uc3_ticket_add_event(t);
	e->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(e->extra, "x", uc3_ynode_scalar("y", 0));
	set(&e->step.due, "2026-11-28T09:05:00+07:00");
	set(&e->step.name, "staf");
	e->step.late = true;
	set(&e->note, "catatan");
	set(&e->to, "wakor");
	set(&e->from, "staf");
	set(&e->action, "escalate");
	set(&e->by, "b@x");
	set(&e->at, "2026-11-28T09:04:00+07:00");
	set(&t->answer, "A");
	set(&t->body, "B");
	set(&t->deadline, "2026-11-28T10:04:00+07:00");
	set(&t->level, "wakor");
	t->status = UC3_STATUS_ANSWERED;
	set(&t->received, "2026-11-28T09:00:00+07:00");
	set(&t->unit, "U");
	set(&t->requester.phone, "P");
	set(&t->requester.email, "E");
	set(&t->requester.name, "Nama");
	set(&t->channel, "email");
	set(&t->kind, "saran");
	set(&t->subject, "S");
	set(&t->id, "UC3-2026-0001");
	out = round_trip(t);
	assert_string_equal(out, "id: UC3-2026-0001\n"
				 "subject: S\n"
				 "kind: saran\n"
				 "channel: email\n"
				 "requester:\n"
				 "  name: Nama\n"
				 "  email: E\n"
				 "  phone: P\n"
				 "unit: U\n"
				 "received: 2026-11-28T09:00:00+07:00\n"
				 "status: answered\n"
				 "level: wakor\n"
				 "deadline: 2026-11-28T10:04:00+07:00\n"
				 "body: B\n"
				 "answer: A\n"
				 "zeta: 1\n"
				 "alpha: 2\n"
				 "events:\n"
				 "- at: 2026-11-28T09:04:00+07:00\n"
				 "  by: b@x\n"
				 "  action: escalate\n"
				 "  from: staf\n"
				 "  to: wakor\n"
				 "  note: catatan\n"
				 "  step:\n"
				 "    name: staf\n"
				 "    due: 2026-11-28T09:05:00+07:00\n"
				 "    late: true\n"
				 "  x: y\n");
	free(out);
	uc3_ticket_free(t);
}

static void
format_leaves_absent_fields_out(void **state)
{
	struct uc3_ticket *t = sample();
	char *out;

	set(&t->body, NULL);
	out = round_trip(t);
	assert_string_equal(out, "id: UC3-2026-0007\n"
				 "subject: Jadwal wisuda\n"
				 "kind: pertanyaan\n"
				 "channel: telepon\n"
				 "requester:\n"
				 "  phone: '0812345678'\n"
				 "received: 2026-11-28T09:00:00+07:00\n"
				 "status: open\n"
				 "level: staf\n"
				 "deadline: 2026-11-28T09:05:00+07:00\n"
				 "events:\n"
				 "- at: 2026-11-28T09:00:00+07:00\n"
				 "  by: humas1@unej.ac.id\n"
				 "  action: new\n");
	free(out);
	set(&t->requester.phone, NULL);
	out = round_trip(t);
	assert_null(strstr(out, "requester"));
	free(out);
	uc3_ticket_free(t);
}

static void
format_writes_no_events_as_an_empty_list_that_reads_back(void **state)
{
	struct uc3_ticket *t = sample();
	char *out;

	/* Drop sample()'s one event by hand: there is no API to remove one. */
	free(t->events[0].at);
	free(t->events[0].by);
	free(t->events[0].action);
	t->nevents = 0;
	out = round_trip(t);
	assert_non_null(strstr(out, "\nevents: []\n"));
	assert_int_equal(strlen(strstr(out, "\nevents: []\n")), 12);
	free(out);
	uc3_ticket_free(t);
}

/* An answer by a higher role: the role it acted in, the step taken over. */
static void
round_trip_takeover(void **state)
{
	struct uc3_ticket *t = sample();
	struct uc3_event *e = uc3_ticket_add_event(t);
	char *out;

	set(&e->at, "2026-11-28T09:30:00+07:00");
	set(&e->by, "koord@unej.ac.id");
	set(&e->action, "answer");
	set(&e->role, "koordinator");
	set(&e->step.name, "wakor");
	set(&e->step.due, "2026-11-28T10:05:00+07:00");
	e->step.late = true;
	e->step.taken_over = true;
	out = round_trip(t);
	assert_non_null(strstr(out, "  action: answer\n  role: koordinator\n  step:\n"
				    "    name: wakor\n    due: 2026-11-28T10:05:00+07:00\n"
				    "    late: true\n    taken_over: true\n"));
	free(out);
	/* not taken over: the key is not written at all */
	e->step.taken_over = false;
	out = round_trip(t);
	assert_null(strstr(out, "taken_over"));
	free(out);
	uc3_ticket_free(t);
}

static void
parse_refuses_a_taken_over_that_is_not_a_boolean(void **state)
{
	struct uc3_ticket *t = NULL;
	static const char doc[] = "id: UC3-2026-0007\nsubject: s\nkind: k\nchannel: c\n"
				  "received: 2026-11-28T09:00:00+07:00\nstatus: answered\n"
				  "level: wakor\ndeadline: 2026-11-28T09:05:00+07:00\n"
				  "events:\n- at: 2026-11-28T09:00:00+07:00\n  by: a@b.c\n"
				  "  action: answer\n  step:\n    name: wakor\n"
				  "    due: 2026-11-28T09:05:00+07:00\n    late: false\n"
				  "    taken_over: maybe\n";

	assert_int_equal(uc3_ticket_parse(&t, doc, strlen(doc), "t.yaml"), UC3_EINVAL);
	assert_non_null(
		strstr(uc3_error_last(), "events[0].step.taken_over must be true or false"));
}

static void
round_trip_body_with_and_without_final_newline(void **state)
{
	struct uc3_ticket *t = sample();
	char *out;

	set(&t->body, "Baris satu\nBaris dua\n");
	out = round_trip(t);
	assert_non_null(strstr(out, "body: |\n  Baris satu\n  Baris dua\nevents:"));
	free(out);
	set(&t->body, "Baris satu\nBaris dua");
	out = round_trip(t);
	assert_non_null(strstr(out, "body: |-\n  Baris satu\n  Baris dua\n"));
	free(out);
	set(&t->body, "Baris satu\n\n\n");
	free(round_trip(t));
	set(&t->body, "\n\nBaris tiga\n");
	free(round_trip(t));
	uc3_ticket_free(t);
}

static void
round_trip_body_with_leading_spaces_on_the_first_line(void **state)
{
	struct uc3_ticket *t = sample();
	char *out;

	set(&t->body, "    kode: 123\nlanjut\n");
	out = round_trip(t);
	assert_non_null(strstr(out, "body: |2\n      kode: 123\n  lanjut\n"));
	free(out);
	uc3_ticket_free(t);
}

static void
round_trip_body_with_trailing_spaces_and_tabs(void **state)
{
	static const char *const bodies[] = {
		"baris  \nlagi\n", "a\tb\nc\n", "\tindent\n", "akhir \n",
		"a\n \nb\n",	   "tab\t\n",	"\t\n\t",
	};
	struct uc3_ticket *t = sample();
	size_t i;

	for (i = 0; i < sizeof(bodies) / sizeof(bodies[0]); i++) {
		set(&t->body, bodies[i]);
		free(round_trip(t));
	}
	uc3_ticket_free(t);
}

static void
round_trip_body_with_yaml_syntax_inside(void **state)
{
	struct uc3_ticket *t = sample();
	char *out;

	set(&t->body, "---\n...\n# bukan komentar\nkey: value\n- item\n"
		      "'kutip' \"ganda\" `x` {a: b} [c] &d *e !f %g @h |i >j\n");
	out = round_trip(t);
	assert_non_null(strstr(out, "body: |\n  ---\n  ...\n  # bukan"));
	free(out);
	set(&t->events[0].note, "a: b # c\n---");
	free(round_trip(t));
	uc3_ticket_free(t);
}

static void
round_trip_keeps_unicode_and_emoji_as_is(void **state)
{
	struct uc3_ticket *t = sample();
	char *out;

	set(&t->subject, "Terima kasih 🙏 — pelayanan ramah 😊");
	set(&t->requester.name, "Ni Luh Putu Ayu Wédhaswari");
	set(&t->body, "Saya ingin mengucapkan terima kasih 🙏\n"
		      "Pelayanan di Bagian Akademik sangat memuaskan 👍🏽\n");
	out = round_trip(t);
	assert_non_null(strstr(out, "subject: Terima kasih 🙏 — pelayanan ramah 😊\n"));
	assert_non_null(strstr(out, "  name: Ni Luh Putu Ayu Wédhaswari\n"));
	assert_non_null(strstr(out, "body: |\n  Saya ingin mengucapkan terima kasih 🙏\n"));
	free(out);
	uc3_ticket_free(t);
}

static void
round_trip_quotes_text_that_reads_as_another_type(void **state)
{
	static const char *const subjects[] = {
		"true", "false", "yes",	  "No",	  "on",		"OFF",
		"y",	"null",	 "NULL",  "~",	  "",		"123",
		"0042", "-1",	 "3.14",  "1e3",  "0x1F",	"0o17",
		".inf", ".NaN",	 "1_000", "1:20", "2026-11-28", "2026-11-28T09:00:00+07:00",
	};
	struct uc3_ticket *t = sample();
	char line[128], *out;
	size_t i;

	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		set(&t->subject, subjects[i]);
		set(&t->unit, subjects[i]);
		set(&t->events[0].note, subjects[i]);
		out = round_trip(t);
		snprintf(line, sizeof(line), "\nsubject: '%s'\n", subjects[i]);
		if (!strstr(out, line))
			fail_msg("subject %s not quoted:\n%s", subjects[i], out);
		free(out);
	}
	uc3_ticket_free(t);
}

static void
round_trip_text_that_starts_with_an_indicator(void **state)
{
	static const char *const subjects[] = {
		"- dash",     "a: b", "a #b", "#hash", "'kutip", "\"ganda", "  depan",
		"belakang  ", "[x]",  "{x}",  "@at",   "`t",	 "%p",	    "!b",
		"&a",	      "*s",   "|p",   ">g",    "?q",	 "---",	    "...",
		": x",	      "x:",   "a, b", "\\",    "a\rb",
	};
	struct uc3_ticket *t = sample();
	size_t i;

	for (i = 0; i < sizeof(subjects) / sizeof(subjects[0]); i++) {
		set(&t->subject, subjects[i]);
		set(&t->requester.name, subjects[i]);
		free(round_trip(t));
	}
	uc3_ticket_free(t);
}

/*
 * A social account and a postal address: after the phone, the account one
 * line (quoted where YAML would read "@..." as an indicator or as another
 * type), the address a literal block.
 */
static void
format_writes_social_and_address_after_the_phone(void **state)
{
	struct uc3_ticket *t = sample();
	char *out;

	set(&t->requester.address, "Jl. Kalimantan 37\nKampus Tegalboto\nJember 68121\n");
	set(&t->requester.social, "@unej_fess");
	set(&t->requester.name, "Pak Budi");
	out = round_trip(t);
	assert_non_null(strstr(out, "requester:\n"
				    "  name: Pak Budi\n"
				    "  phone: '0812345678'\n"
				    "  social: '@unej_fess'\n"
				    "  address: |\n"
				    "    Jl. Kalimantan 37\n"
				    "    Kampus Tegalboto\n"
				    "    Jember 68121\n"
				    "received: "));
	free(out);
	/* either alone is a requester of its own */
	set(&t->requester.name, NULL);
	set(&t->requester.phone, NULL);
	set(&t->requester.address, NULL);
	set(&t->requester.social, "instagram.com/unej_fess");
	out = round_trip(t);
	assert_non_null(strstr(out, "\nrequester:\n  social: instagram.com/unej_fess\nreceived: "));
	free(out);
	set(&t->requester.social, NULL);
	set(&t->requester.address, "Jl. Kalimantan 37, Jember\n");
	out = round_trip(t);
	assert_non_null(strstr(out, "\nrequester:\n  address: |\n    Jl. Kalimantan 37, Jember\n"
				    "received: "));
	free(out);
	uc3_ticket_free(t);
}

static void
round_trip_social_and_address_that_need_quotes_or_indicators(void **state)
{
	static const char *const socials[] = {
		"@unej_fess", "true", "null", "0812", "- dash", "a: b", "#tag", "fb: Siti Aminah",
		"'kutip",     "\"",   "~",    "",     "x #y",	"[x]",	"%p",	"tiktok.com/@unej",
	};
	static const char *const addresses[] = {
		/* one line, no final newline: a plain scalar */
		"Jl. Kalimantan 37",
		/* several lines without a final newline: |- */
		"Jl. Kalimantan 37\nJember",
		/* the first line indented: an indentation indicator */
		"    RT 02 / RW 05\nJember\n",
		/* lines YAML would read as structure if they were not in a block */
		"- Gedung: Rektorat\n# lantai 2\n'kutip' \"ganda\" @x\nnull\n",
		/* empty lines inside and at the end */
		"Jl. Kalimantan 37\n\nJember\n\n\n",
		"true",
		"Jl. Mastrip 🙏 日本\n",
	};
	struct uc3_ticket *t = sample();
	size_t i;

	for (i = 0; i < sizeof(socials) / sizeof(socials[0]); i++) {
		set(&t->requester.social, socials[i]);
		free(round_trip(t));
	}
	for (i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
		set(&t->requester.address, addresses[i]);
		free(round_trip(t));
	}
	uc3_ticket_free(t);
}

static void
round_trip_never_wraps_long_lines(void **state)
{
	struct uc3_ticket *t = sample();
	struct uc3_buf b;
	char *out, *at;
	int i;

	uc3_buf_init(&b);
	for (i = 0; i < 3000; i++)
		uc3_buf_adds(&b, "panjang ");
	uc3_buf_adds(&b, "sekali");
	set(&t->subject, b.ptr);
	uc3_buf_addch(&b, '\n');
	uc3_buf_adds(&b, t->subject);
	uc3_buf_addch(&b, '\n');
	set(&t->body, b.ptr);
	out = round_trip(t);
	at = strstr(out, "\nsubject: ");
	assert_non_null(at);
	assert_ptr_equal(strchr(at + 1, '\n'), at + 10 + strlen(t->subject));
	at = strstr(out, "\nbody: |\n  ");
	assert_non_null(at);
	assert_ptr_equal(strchr(at + 11, '\n'), at + 11 + 3000 * 8 + 6);
	free(out);
	uc3_buf_release(&b);
	uc3_ticket_free(t);
}

static void
round_trip_keeps_extra_fields_in_order(void **state)
{
	static const char doc_extra[] = "nim: '201910101042'\n"
					"tags: [ukt, keuangan]\n"
					"meta:\n"
					"  source: web\n"
					"  count: 3\n"
					"events:\n";
	char *doc = with(base, "events:\n", doc_extra), *out;
	struct uc3_ticket *t = parse_ok(doc);

	assert_string_equal(t->extra->keys[0], "nim");
	assert_string_equal(t->extra->keys[1], "tags");
	assert_string_equal(t->extra->keys[2], "meta");
	out = round_trip(t);
	assert_non_null(strstr(out, doc_extra));
	free(out);
	uc3_ticket_free(t);
	free(doc);
}

static void
round_trip_keeps_extra_event_fields_in_order(void **state)
{
	char *doc = with(base, "  action: new\n", "  action: new\n  via: telepon\n  ref: [1, 2]\n"),
	     *out;
	struct uc3_ticket *t = parse_ok(doc);

	assert_int_equal(t->events[0].extra->n, 2);
	assert_string_equal(t->events[0].extra->keys[1], "ref");
	out = round_trip(t);
	assert_non_null(strstr(out, "  action: new\n  via: telepon\n"
				    "  ref: [1, 2]\n- at:"));
	free(out);
	uc3_ticket_free(t);
	free(doc);
}

/* A small deterministic generator: the same strings on every run. */
static uint32_t
next_rand(uint32_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void
round_trip_generated_text_in_every_field(void **state)
{
	static const char *const pieces[] = {
		"a",
		"Kata",
		" ",
		"  ",
		"\n",
		"\n\n",
		"\t",
		":",
		": ",
		" #",
		"#",
		"'",
		"\"",
		"\\",
		"- ",
		"---",
		"...",
		"|",
		">",
		"{",
		"}",
		"[",
		"]",
		",",
		"?",
		"&",
		"*",
		"!",
		"%",
		"@",
		"`",
		"~",
		"1",
		"0x",
		"é",
		"🙏",
		"日",
		"\xC2\x85",
		"\xE2\x80\xA8",
		"\r",
		"true",
		"null",
		"2026-11-28",
		"\xEF\xBB\xBF",
		"\xEE\x80\x80",
	};
	struct uc3_ticket *t = sample();
	uint32_t seed = 2026;
	struct uc3_buf b;
	/*
	 * Not the unit and the level: a step writes them into a trailer,
	 * so a line break in them is refused when read (see
	 * parse_rejects_a_line_break_in_the_unit_or_the_level).
	 */
	char **fields[] = {
		&t->subject, &t->requester.name, &t->requester.social, &t->requester.address,
		&t->body,    &t->answer,	 &t->events[0].by,     &t->events[0].note,
	};
	size_t f;
	int i, k, n;

	uc3_buf_init(&b);
	for (i = 0; i < 400; i++) {
		for (f = 0; f < sizeof(fields) / sizeof(fields[0]); f++) {
			uc3_buf_reset(&b);
			n = 1 + (int)(next_rand(&seed) % 6);
			for (k = 0; k < n; k++)
				uc3_buf_adds(&b, pieces[next_rand(&seed) %
							(sizeof(pieces) / sizeof(pieces[0]))]);
			set(fields[f], b.ptr);
		}
		free(round_trip(t));
	}
	uc3_buf_release(&b);
	uc3_ticket_free(t);
}

static void
parse_reads_plain_null_as_absent(void **state)
{
	char *doc = with(base, "unit: Keuangan\n", "unit:\nanswer: ~\n");
	struct uc3_ticket *t = parse_ok(doc);

	assert_null(t->unit);
	assert_null(t->answer);
	assert_null(t->extra);
	uc3_ticket_free(t);
	free(doc);
	doc = with(base, "unit: Keuangan\n", "unit: ''\nanswer: 'null'\n");
	t = parse_ok(doc);
	assert_string_equal(t->unit, "");
	assert_string_equal(t->answer, "null");
	uc3_ticket_free(t);
	free(doc);
}

static void
parse_allows_a_closed_ticket_without_level_or_deadline(void **state)
{
	char *doc = with(base,
			 "status: open\nlevel: wakor\n"
			 "deadline: 2026-11-28T10:05:00+07:00\n",
			 "status: closed\n");
	struct uc3_ticket *t = parse_ok(doc);

	assert_int_equal(t->status, UC3_STATUS_CLOSED);
	assert_null(t->level);
	assert_null(t->deadline);
	free(round_trip(t));
	uc3_ticket_free(t);
	free(doc);
}

static void
parse_allows_an_empty_event_list(void **state)
{
	static const char doc[] = "id: UC3-2026-0042\nsubject: Tes\nkind: keluhan\n"
				  "channel: email\nreceived: 2026-11-28T09:00:00+07:00\n"
				  "status: open\nlevel: staf\n"
				  "deadline: 2026-11-28T09:05:00+07:00\nevents: []\n";
	struct uc3_ticket *t = parse_ok(doc);
	char *out;

	assert_int_equal(t->nevents, 0);
	out = format_ok(t);
	assert_string_equal(out, doc);
	free(out);
	uc3_ticket_free(t);
}

/*
 * Corrections: what an edit, a reopen and a close --as write.
 */

static void
round_trip_an_edit_event_with_its_changes_in_block_style(void **state)
{
	struct uc3_ticket *t = sample();
	struct uc3_event *e = uc3_ticket_add_event(t);
	char *out;

	set(&e->at, "2026-11-28T09:02:00+07:00");
	set(&e->by, "humas1@unej.ac.id");
	set(&e->action, "edit");
	set(&e->note, "Salah ketik.");
	uc3_event_add_change(e, "subject", "Jadwal wisuda", "Jadwal wisuda 2026");
	uc3_event_add_change(e, "requester.phone", "0812345678", NULL);
	uc3_event_add_change(e, "unit", NULL, "Bagian Keuangan");
	uc3_event_add_change(e, "body", "Kapan wisuda?\n", "Kapan wisuda?\n\nTerima kasih.\n");
	uc3_event_add_change(e, "kind", "yes", "no");
	out = round_trip(t);
	assert_non_null(strstr(out, "  action: edit\n"
				    "  note: Salah ketik.\n"
				    "  changes:\n"
				    "  - field: subject\n"
				    "    old: Jadwal wisuda\n"
				    "    new: Jadwal wisuda 2026\n"
				    "  - field: requester.phone\n"
				    "    old: '0812345678'\n"
				    "  - field: unit\n"
				    "    new: Bagian Keuangan\n"
				    "  - field: body\n"
				    "    old: |\n"
				    "      Kapan wisuda?\n"
				    "    new: |\n"
				    "      Kapan wisuda?\n"
				    "\n"
				    "      Terima kasih.\n"
				    "  - field: kind\n"
				    "    old: 'yes'\n"
				    "    new: 'no'\n"));
	free(out);
	uc3_ticket_free(t);
}

static void
round_trip_a_ticket_closed_as_a_duplicate(void **state)
{
	struct uc3_ticket *t = sample();
	struct uc3_event *e = uc3_ticket_add_event(t);
	char *out;

	t->status = UC3_STATUS_CLOSED;
	set(&t->deadline, NULL);
	set(&t->closed_as, "duplicate");
	set(&t->duplicate_of, "UC3-2026-0001");
	set(&e->at, "2026-11-28T09:02:00+07:00");
	set(&e->by, "wakor@unej.ac.id");
	set(&e->action, "close");
	set(&e->as, "duplicate");
	set(&e->of, "UC3-2026-0001");
	set(&e->note, "Sama dengan yang pertama.");
	set(&e->step.name, "staf");
	set(&e->step.due, "2026-11-28T09:05:00+07:00");
	out = round_trip(t);
	assert_non_null(strstr(out, "status: closed\n"
				    "closed_as: duplicate\n"
				    "duplicate_of: UC3-2026-0001\n"
				    "level: staf\n"));
	assert_non_null(strstr(out, "  action: close\n"
				    "  as: duplicate\n"
				    "  of: UC3-2026-0001\n"
				    "  note: Sama dengan yang pertama.\n"
				    "  step:\n"));
	free(out);
	uc3_ticket_free(t);
}

static void
round_trip_the_fields_of_a_mail_and_a_followup(void **state)
{
	struct uc3_ticket *t = sample(), *back = NULL;
	struct uc3_event *e = uc3_ticket_add_event(t);
	struct uc3_buf note = UC3_BUF_INIT;
	char *out;
	size_t i;

	set(&t->message_id, "<CAF1.2@mail.example.com>");
	set(&t->sent, "2026-11-28T08:55:00+07:00");
	set(&t->follows, "UC3-2026-0001");
	set(&t->automatic, "auto-reply");
	/* a mail's text: an indented first line, blank lines, YAML inside, long */
	uc3_buf_adds(&note, "  Yth. Bapak/Ibu,\n\n> on: Mon\n- a: b\n\n");
	for (i = 0; i < 500; i++)
		uc3_buf_addf(&note, "line %zu # not a comment: 'x' \"y\" \xf0\x9f\x99\x8f\n", i);
	set(&e->at, "2026-11-28T09:03:00+07:00");
	set(&e->by, "uc3-mail@unej.ac.id");
	set(&e->action, "followup");
	set(&e->note, note.ptr);
	set(&e->sender, "siti@example.com");
	set(&e->message_id, "<CAF3.4@mail.example.com>");
	out = round_trip(t);
	assert_non_null(strstr(out, "received: 2026-11-28T09:00:00+07:00\n"
				    "message_id: <CAF1.2@mail.example.com>\n"
				    "sent: 2026-11-28T08:55:00+07:00\n"
				    "follows: UC3-2026-0001\n"
				    "automatic: auto-reply\n"
				    "status: open\n"));
	assert_non_null(strstr(out, "  action: followup\n"
				    "  note: |2\n"
				    "      Yth. Bapak/Ibu,\n"));
	assert_non_null(strstr(out, "  sender: siti@example.com\n"
				    "  message_id: <CAF3.4@mail.example.com>\n"));
	assert_int_equal(uc3_ticket_parse(&back, out, strlen(out), "t.yaml"), 0);
	assert_string_equal(back->events[1].note, note.ptr);
	assert_true(uc3_event_equal(&back->events[1], &t->events[1]));
	/* the sender is part of the event */
	set(&back->events[1].sender, "other@example.com");
	assert_false(uc3_event_equal(&back->events[1], &t->events[1]));
	uc3_ticket_free(back);
	uc3_buf_release(&note);
	free(out);
	uc3_ticket_free(t);
}

static void
parse_rejects_bad_fields_of_a_mail(void **state)
{
	refuse_with("status: open\n", "sent: yesterday\nstatus: open\n",
		    "t.yaml:9:7: sent 'yesterday' is not an RFC 3339 timestamp");
	refuse_with("status: open\n", "follows: '42'\nstatus: open\n",
		    "t.yaml:9:10: follows '42' is not a ticket id (PREFIX-YEAR-NNNN)");
	refuse_with("status: open\n", "automatic: vacation\nstatus: open\n",
		    "t.yaml:9:12: automatic 'vacation' is not one of auto-reply, bounce, bulk, "
		    "list, loop");
	refuse_with("status: open\n", "follows: [UC3-2026-0001]\nstatus: open\n",
		    "t.yaml:9:1: follows must be text, not a sequence");
	refuse_with("  action: new\n", "  action: new\n  sender: \"a\\nb@c\"\n",
		    "t.yaml:18:11: events[0].sender contains a line break");
}

static void
parse_rejects_closed_as_where_it_does_not_fit(void **state)
{
	refuse_with("status: open\n", "status: open\nclosed_as: spam\n",
		    "t.yaml:10:12: closed_as is for a closed ticket, not open");
	refuse_with("status: open\n", "status: closed\nclosed_as: junk\n",
		    "t.yaml:10:12: closed_as 'junk' is not one of spam, duplicate");
	refuse_with("status: open\n", "status: closed\nclosed_as: duplicate\n",
		    "t.yaml:1:1: duplicate_of is missing");
	refuse_with("status: open\n",
		    "status: closed\nclosed_as: spam\nduplicate_of: UC3-2026-0001\n",
		    "t.yaml:11:15: duplicate_of goes with closed_as: duplicate");
	refuse_with("status: open\n", "status: closed\nclosed_as: duplicate\nduplicate_of: '42'\n",
		    "t.yaml:11:15: duplicate_of '42' is not a ticket id (PREFIX-YEAR-NNNN)");
}

static void
parse_rejects_a_change_without_field_or_with_another_key(void **state)
{
	refuse_with("  action: new\n", "  action: new\n  changes:\n  - old: a\n",
		    "t.yaml:19:5: events[0].changes[0].field is missing");
	refuse_with("  action: new\n", "  action: new\n  changes:\n  - {field: unit, was: a}\n",
		    "t.yaml:19:19: events[0].changes[0]: unknown key 'was'");
	refuse_with("  action: new\n", "  action: new\n  changes: [unit]\n",
		    "t.yaml:18:13: events[0].changes[0] must be a mapping, not text");
	refuse_with("  action: new\n", "  action: new\n  changes:\n  - field: \"a\\nb\"\n",
		    "t.yaml:19:12: events[0].changes[0].field contains a line break");
}

/*
 * Refusals.
 */

static void
parse_rejects_each_missing_required_field(void **state)
{
	static const struct {
		const char *line, *msg;
	} cases[] = {
		{ "id: UC3-2026-0042\n", "t.yaml:1:1: id is missing" },
		{ "subject: Tes\n", "t.yaml:1:1: subject is missing" },
		{ "kind: keluhan\n", "t.yaml:1:1: kind is missing" },
		{ "channel: email\n", "t.yaml:1:1: channel is missing" },
		{ "received: 2026-11-28T09:00:00+07:00\n", "t.yaml:1:1: received is missing" },
		{ "status: open\n", "t.yaml:1:1: status is missing" },
		{ "level: wakor\n", "t.yaml:1:1: level is missing" },
		{ "deadline: 2026-11-28T10:05:00+07:00\n", "t.yaml:1:1: deadline is missing" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		refuse_with(cases[i].line, "", cases[i].msg);
	/* The whole tail, from "events:" on. */
	refuse_with(strstr(base, "events:\n"), "", "t.yaml:1:1: events is missing");
}

static void
parse_rejects_a_required_field_with_no_value(void **state)
{
	refuse_with("subject: Tes\n", "subject:\n", "t.yaml:2:1: subject has no value");
	refuse_with("received: 2026-11-28T09:00:00+07:00\n", "received: ~\n",
		    "t.yaml:8:1: received has no value");
	refuse_with(strstr(base, "events:\n"), "events:\n", "t.yaml:14:1: events has no value");
}

static void
parse_rejects_missing_event_fields(void **state)
{
	refuse_with("  by: humas1@unej.ac.id\n  action: new\n", "  action: new\n",
		    "t.yaml:15:3: events[0].by is missing");
	refuse_with("  action: escalate\n", "  action:\n",
		    "t.yaml:20:3: events[1].action has no value");
	refuse_with("- at: 2026-11-28T09:04:00+07:00\n  by", "- by",
		    "t.yaml:18:3: events[1].at is missing");
}

static void
parse_rejects_an_incomplete_step(void **state)
{
	refuse_with("late: false}", "}", "t.yaml:21:9: events[1].step.late is missing");
	refuse_with("{name: staf, ", "{", "t.yaml:21:9: events[1].step.name is missing");
	refuse_with("due: '2026-11-28T09:05:00+07:00', ", "",
		    "t.yaml:21:9: events[1].step.due is missing");
}

static void
parse_rejects_an_unknown_status(void **state)
{
	refuse_with("status: open\n", "status: pending\n",
		    "t.yaml:9:9: status 'pending' is not one of open, "
		    "answered, delivered, closed");
	refuse_with("status: open\n", "status: Open\n",
		    "t.yaml:9:9: status 'Open' is not one of open, "
		    "answered, delivered, closed");
}

static void
parse_rejects_a_line_break_in_the_unit_or_the_level(void **state)
{
	char *doc;
	struct uc3_ticket *t;

	refuse_with("unit: Keuangan\n", "unit: \"Bagian\\nKeuangan\"\n",
		    "t.yaml:7:7: unit contains a line break");
	refuse_with("unit: Keuangan\n", "unit: \"a\\rb\"\n",
		    "t.yaml:7:7: unit contains a line break");
	refuse_with("unit: Keuangan\n", "unit: \"a\\Nb\"\n",
		    "t.yaml:7:7: unit contains a line break");
	refuse_with("unit: Keuangan\n", "unit: \"a\\Lb\"\n",
		    "t.yaml:7:7: unit contains a line break");
	refuse_with("unit: Keuangan\n", "unit: \"a\\Pb\"\n",
		    "t.yaml:7:7: unit contains a line break");
	refuse_with("unit: Keuangan\n", "unit: |\n  Bagian\n  Keuangan\n",
		    "t.yaml:7:7: unit contains a line break");
	refuse_with("level: wakor\n", "level: \"wakor\\nTicket: UC3-2026-0001\"\n",
		    "t.yaml:10:8: level contains a line break");
	/* Other control characters read, to be escaped where shown. */
	doc = with(base, "unit: Keuangan\n", "unit: \"Bagian \\e[2J\\tKeuangan\"\n");
	t = parse_ok(doc);
	assert_string_equal(t->unit, "Bagian \x1b[2J\tKeuangan");
	uc3_ticket_free(t);
	free(doc);
}

static void
parse_rejects_bad_timestamps(void **state)
{
	refuse_with("received: 2026-11-28T09:00:00+07:00\n",
		    "received: 2026-13-28T09:00:00+07:00\n",
		    "t.yaml:8:11: received '2026-13-28T09:00:00+07:00' is not "
		    "an RFC 3339 timestamp");
	refuse_with("deadline: 2026-11-28T10:05:00+07:00\n", "deadline: besok pagi\n",
		    "t.yaml:11:11: deadline 'besok pagi' is not an RFC 3339 "
		    "timestamp");
	refuse_with("- at: 2026-11-28T09:00:00+07:00\n", "- at: 2026-11-28\n",
		    "t.yaml:15:7: events[0].at '2026-11-28' is not an RFC 3339 "
		    "timestamp");
	refuse_with("'2026-11-28T09:05:00+07:00'", "'09:05'",
		    "t.yaml:21:27: events[1].step.due '09:05' is not an RFC "
		    "3339 timestamp");
}

static void
parse_rejects_values_of_the_wrong_type(void **state)
{
	refuse_with("subject: Tes\n", "subject:\n  a: b\n",
		    "t.yaml:2:1: subject must be text, not a mapping");
	refuse_with("kind: keluhan\n", "kind: [keluhan, saran]\n",
		    "t.yaml:3:1: kind must be text, not a sequence");
	refuse_with("requester:\n  name: Siti\n", "requester: Siti\n",
		    "t.yaml:5:1: requester must be a mapping, not text");
	refuse_with("  name: Siti\n", "  name: {first: Siti}\n",
		    "t.yaml:6:3: requester.name must be text, not a mapping");
	refuse_with("events:\n", "events: {}\nx:\n",
		    "t.yaml:14:1: events must be a sequence, not a mapping");
	refuse_with("- at: 2026-11-28T09:00:00+07:00\n  by: humas1@unej.ac.id\n"
		    "  action: new\n",
		    "- just text\n", "t.yaml:15:3: events[0] must be a mapping, not text");
	refuse_with("  step: {", "  step: staf\n  x: {",
		    "t.yaml:21:3: events[1].step must be a mapping, not text");
}

static void
parse_rejects_a_late_flag_that_is_not_a_boolean(void **state)
{
	refuse_with("late: false", "late: maybe",
		    "t.yaml:21:62: events[1].step.late must be true or false, "
		    "not 'maybe'");
	refuse_with("late: false", "late: 'true'",
		    "t.yaml:21:62: events[1].step.late must be true or false, "
		    "not 'true'");
	refuse_with("late: false", "late: [x]",
		    "t.yaml:21:56: events[1].step.late must be true or false, "
		    "not a sequence");
}

static void
parse_rejects_a_bad_id(void **state)
{
	refuse_with("id: UC3-2026-0042\n", "id: ../../etc/passwd\n",
		    "t.yaml:1:5: id '../../etc/passwd' is not a ticket id "
		    "(PREFIX-YEAR-NNNN)");
	refuse_with("id: UC3-2026-0042\n", "id: UC3-2026-42\n",
		    "t.yaml:1:5: id 'UC3-2026-42' is not a ticket id "
		    "(PREFIX-YEAR-NNNN)");
}

static void
parse_rejects_unknown_keys_where_nothing_can_keep_them(void **state)
{
	refuse_with("  name: Siti\n", "  name: Siti\n  nim: 42\n",
		    "t.yaml:7:3: requester: unknown key 'nim'");
	refuse_with("late: false}", "late: false, by: x}",
		    "t.yaml:21:69: events[1].step: unknown key 'by'");
}

/*
 * Attachments: a ticket as uc3 attach leaves it, with names that a YAML
 * loader would take for a number or that need quotes, a size of 0 and a
 * blob id of digits alone.
 */
static const char with_attachments[] = "id: UC3-2026-0042\n"
				       "subject: Tes\n"
				       "kind: keluhan\n"
				       "channel: surat\n"
				       "requester:\n"
				       "  name: Siti\n"
				       "received: 2026-11-28T09:00:00+07:00\n"
				       "status: open\n"
				       "level: staf\n"
				       "deadline: 2026-11-28T09:05:00+07:00\n"
				       "body: |\n"
				       "  Surat terlampir.\n"
				       "attachments:\n"
				       "- name: surat.pdf\n"
				       "  type: application/pdf\n"
				       "  size: 48213\n"
				       "  blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n"
				       "- name: '2024'\n"
				       "  type: application/octet-stream\n"
				       "  size: 0\n"
				       "  blob: '1234567890123456789012345678901234567890'\n"
				       "- name: 'foto: KTP #1.jpg'\n"
				       "  type: image/jpeg\n"
				       "  size: 10485760\n"
				       "  blob: e69de29bb2d1d6434b8b29ae775ad8c2e48c5391\n"
				       "nim: '201910101042'\n"
				       "events:\n"
				       "- at: 2026-11-28T09:00:00+07:00\n"
				       "  by: humas1@unej.ac.id\n"
				       "  action: new\n"
				       "- at: 2026-11-28T09:02:00+07:00\n"
				       "  by: humas1@unej.ac.id\n"
				       "  action: attach\n"
				       "  note: Pindaian surat.\n"
				       "  files: [surat.pdf, '2024', 'foto: KTP #1.jpg']\n";

static void
round_trip_attachments_byte_for_byte(void **state)
{
	struct uc3_ticket *t = parse_ok(with_attachments);
	char *out;

	assert_int_equal(t->nattachments, 3);
	assert_string_equal(t->attachments[0].name, "surat.pdf");
	assert_string_equal(t->attachments[0].type, "application/pdf");
	assert_int_equal(t->attachments[0].size, 48213);
	assert_string_equal(t->attachments[0].blob, "3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
	assert_string_equal(t->attachments[1].name, "2024");
	assert_int_equal(t->attachments[1].size, 0);
	assert_string_equal(t->attachments[1].blob, "1234567890123456789012345678901234567890");
	assert_string_equal(t->attachments[2].name, "foto: KTP #1.jpg");
	assert_int_equal(t->attachments[2].size, 10485760);
	assert_ptr_equal(uc3_ticket_attachment(t, "2024"), &t->attachments[1]);
	assert_null(uc3_ticket_attachment(t, "surat"));
	out = round_trip(t);
	assert_string_equal(out, with_attachments);
	free(out);
	uc3_ticket_free(t);
}

static void
format_leaves_out_an_empty_attachment_list(void **state)
{
	struct uc3_ticket *t = sample();
	struct uc3_attachment *a;
	char *out;

	out = round_trip(t);
	assert_null(strstr(out, "attachments"));
	free(out);
	a = uc3_ticket_add_attachment(t);
	set(&a->name, "scan.png");
	set(&a->type, "image/png");
	a->size = 7;
	set(&a->blob, "0123456789abcdef0123456789abcdef01234567");
	out = round_trip(t);
	assert_non_null(strstr(out, "attachments:\n"
				    "- name: scan.png\n"
				    "  type: image/png\n"
				    "  size: 7\n"
				    "  blob: 0123456789abcdef0123456789abcdef01234567\n"
				    "events:\n"));
	free(out);
	uc3_ticket_free(t);
}

/* The attachment lines of the test below, put in base before its events. */
#define ATT                                                                                        \
	"attachments:\n"				     /* 14 */                              \
	"- name: surat.pdf\n"				     /* 15 */                              \
	"  type: application/pdf\n"			     /* 16 */                              \
	"  size: 48213\n"				     /* 17 */                              \
	"  blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n" /* 18 */                              \
	"events:\n"					     /* 19 */

static void
refuse_attachment(const char *old, const char *newer, const char *msg)
{
	struct uc3_ticket *t = (struct uc3_ticket *)1;
	char *doc = with(base, "events:\n", ATT), *bad = with(doc, old, newer);

	uc3_error_clear();
	assert_int_equal(uc3_ticket_parse(&t, bad, strlen(bad), "t.yaml"), UC3_EINVAL);
	assert_null(t);
	assert_string_equal(uc3_error_last(), msg);
	free(bad);
	free(doc);
}

static void
parse_rejects_bad_attachments(void **state)
{
	struct uc3_ticket *t;
	char *doc = with(base, "events:\n", ATT);

	/* The lines above read. */
	t = parse_ok(doc);
	assert_int_equal(t->nattachments, 1);
	uc3_ticket_free(t);
	free(doc);
	refuse_attachment("- name: surat.pdf\n", "- name: ../surat.pdf\n",
			  "t.yaml:15:9: attachments[0].name '../surat.pdf' is not a name uc3 gives "
			  "a file (no slash, no leading dot, no control character)");
	refuse_attachment("- name: surat.pdf\n", "- name: .git\n",
			  "t.yaml:15:9: attachments[0].name '.git' is not a name uc3 gives a file "
			  "(no slash, no leading dot, no control character)");
	refuse_attachment("- name: surat.pdf\n", "- name: \"a\\tb\"\n",
			  "t.yaml:15:9: attachments[0].name 'a\tb' is not a name uc3 gives a file "
			  "(no slash, no leading dot, no control character)");
	refuse_attachment("dad\nevents:\n",
			  "dad\n- {name: surat.pdf, type: text/plain, size: 1, blob: "
			  "3b18e512dba79e4c8300dd08aeb37f8e728b8dad}\nevents:\n",
			  "t.yaml:19:10: attachments[1].name 'surat.pdf' is listed twice");
	refuse_attachment("  type: application/pdf\n", "  type: pdf\n",
			  "t.yaml:16:9: attachments[0].type 'pdf' is not a MIME type (such as "
			  "application/pdf)");
	refuse_attachment(
		"  size: 48213\n", "  size: '48213'\n",
		"t.yaml:17:9: attachments[0].size must be a number of bytes, not '48213'");
	refuse_attachment("  size: 48213\n", "  size: -1\n",
			  "t.yaml:17:9: attachments[0].size must be a number of bytes, not '-1'");
	refuse_attachment(
		"  size: 48213\n", "  size: 048213\n",
		"t.yaml:17:9: attachments[0].size must be a number of bytes, not '048213'");
	refuse_attachment("  size: 48213\n", "  size: 1.5\n",
			  "t.yaml:17:9: attachments[0].size must be a number of bytes, not '1.5'");
	refuse_attachment("  size: 48213\n", "  size: [1]\n",
			  "t.yaml:17:3: attachments[0].size must be a number of bytes, not a "
			  "sequence");
	refuse_attachment("  size: 48213\n", "  size: 99999999999999999999999\n",
			  "t.yaml:17:9: attachments[0].size: 99999999999999999999999 bytes is more "
			  "than a file holds");
	refuse_attachment(
		"  blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n",
		"  blob: 3B18E512DBA79E4C8300DD08AEB37F8E728B8DAD\n",
		"t.yaml:18:9: attachments[0].blob '3B18E512DBA79E4C8300DD08AEB37F8E728B8DAD' "
		"is not a git blob id (40 hex digits)");
	refuse_attachment("  blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n", "  blob: HEAD\n",
			  "t.yaml:18:9: attachments[0].blob 'HEAD' is not a git blob id (40 hex "
			  "digits)");
	refuse_attachment("  blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n",
			  "  blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n  note: x\n",
			  "t.yaml:19:3: attachments[0]: unknown key 'note'");
	refuse_attachment("  blob: 3b18e512dba79e4c8300dd08aeb37f8e728b8dad\n", "",
			  "t.yaml:15:3: attachments[0].blob is missing");
	refuse_attachment("  size: 48213\n", "", "t.yaml:15:3: attachments[0].size is missing");
	refuse_attachment("- name: surat.pdf\n  type", "- type",
			  "t.yaml:15:3: attachments[0].name is missing");
	refuse_attachment("attachments:\n- name", "attachments: {}\nx:\n- name",
			  "t.yaml:14:1: attachments must be a sequence, not a mapping");
}

static void
attachment_names_are_safe_file_names(void **state)
{
	char longest[UC3_ATTACHMENT_NAME_MAX + 2];

	assert_true(uc3_ticket_attachment_name_ok("surat.pdf"));
	assert_true(uc3_ticket_attachment_name_ok("Foto KTP (1).jpg"));
	assert_true(uc3_ticket_attachment_name_ok("r\xc3\xa9sum\xc3\xa9.docx"));
	assert_true(uc3_ticket_attachment_name_ok("a..b"));
	assert_true(uc3_ticket_attachment_name_ok("git.txt"));
	assert_false(uc3_ticket_attachment_name_ok(NULL));
	assert_false(uc3_ticket_attachment_name_ok(""));
	assert_false(uc3_ticket_attachment_name_ok(".pdf"));
	assert_false(uc3_ticket_attachment_name_ok(".."));
	assert_false(uc3_ticket_attachment_name_ok("a/b"));
	assert_false(uc3_ticket_attachment_name_ok("a\tb"));
	assert_false(uc3_ticket_attachment_name_ok("a\nb"));
	assert_false(uc3_ticket_attachment_name_ok("a\x7f"));
	assert_false(uc3_ticket_attachment_name_ok("a\xc2\x85"
						   "b"));
	assert_false(uc3_ticket_attachment_name_ok("\xff.pdf"));
	assert_false(uc3_ticket_attachment_name_ok("GIT~1"));
	assert_false(uc3_ticket_attachment_name_ok("git~1.txt"));
	memset(longest, 'a', sizeof(longest) - 1);
	longest[sizeof(longest) - 1] = '\0';
	assert_false(uc3_ticket_attachment_name_ok(longest));
	longest[UC3_ATTACHMENT_NAME_MAX] = '\0';
	assert_true(uc3_ticket_attachment_name_ok(longest));
	assert_true(uc3_ticket_blob_ok("3b18e512dba79e4c8300dd08aeb37f8e728b8dad"));
	assert_false(uc3_ticket_blob_ok("3b18e512dba79e4c8300dd08aeb37f8e728b8da"));
	assert_false(uc3_ticket_blob_ok("3b18e512dba79e4c8300dd08aeb37f8e728b8dadd"));
	assert_false(uc3_ticket_blob_ok(NULL));
}

static void
parse_reads_the_social_account_and_the_address(void **state)
{
	char *doc = with(base, "  name: Siti\n",
			 "  name: Siti\n"
			 "  social: '@siti_a'\n"
			 "  address: |\n"
			 "    Jl. Jawa 7\n"
			 "    Jember\n");
	struct uc3_ticket *t = parse_ok(doc);

	assert_string_equal(t->requester.social, "@siti_a");
	assert_string_equal(t->requester.address, "Jl. Jawa 7\nJember\n");
	uc3_ticket_free(t);
	free(doc);
}

static void
parse_rejects_a_social_account_or_address_that_is_not_text(void **state)
{
	refuse_with("  name: Siti\n", "  name: Siti\n  social: [a, b]\n",
		    "t.yaml:7:3: requester.social must be text, not a sequence");
	refuse_with("  name: Siti\n", "  name: Siti\n  address:\n    street: Jawa\n",
		    "t.yaml:7:3: requester.address must be text, not a mapping");
}

static void
parse_rejects_a_document_that_is_not_a_mapping(void **state)
{
	struct uc3_ticket *t;

	assert_int_equal(uc3_ticket_parse(&t, "- a\n- b\n", 8, "t.yaml"), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "t.yaml:1:1: a ticket must be a mapping, not a sequence");
}

static void
parse_rejects_anchors(void **state)
{
	refuse_with("subject: Tes\n", "subject: &s Tes\n", "t.yaml:2:10: anchors are not allowed");
}

static void
parse_rejects_an_alias_bomb_at_once(void **state)
{
	refuse_with(
		"events:\n",
		"a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
		"b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
		"c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
		"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
		"e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
		"f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
		"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
		"h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\n"
		"i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n"
		"events:\n",
		"t.yaml:14:4: anchors are not allowed");
}

static void
parse_rejects_a_python_object_tag(void **state)
{
	refuse_with("subject: Tes\n", "subject: !!python/object/apply:os.system [\"rm -rf /\"]\n",
		    "t.yaml:2:10: tags are not allowed");
}

static void
parse_rejects_a_duplicate_key(void **state)
{
	refuse_with("unit: Keuangan\n", "unit: Keuangan\nsubject: Lagi\n",
		    "t.yaml:8:1: duplicate key 'subject'");
}

static void
parse_rejects_invalid_utf8_at_its_position(void **state)
{
	refuse_with("subject: Tes\n", "subject: Tés\xC3(\n", "t.yaml:2:13: invalid UTF-8");
}

static void
parse_rejects_a_file_over_the_size_limit(void **state)
{
	size_t len = UC3_TICKET_FILE_MAX + 1;
	char *doc = malloc(len), msg[128];
	struct uc3_ticket *t;

	assert_non_null(doc);
	memset(doc, '#', len);
	assert_int_equal(uc3_ticket_parse(&t, doc, len, "big.yaml"), UC3_EINVAL);
	snprintf(msg, sizeof(msg),
		 "big.yaml:1:1: %zu bytes, over the limit "
		 "of %d",
		 len, UC3_TICKET_FILE_MAX);
	assert_string_equal(uc3_error_last(), msg);
	free(doc);
}

static void
parse_rejects_two_documents(void **state)
{
	refuse_with("events:\n", "---\nid: UC3-2026-0043\n", "t.yaml:14:1: more than one document");
}

static void
parse_rejects_deep_nesting(void **state)
{
	char deep[128], msg[80];
	int i, n = 0;

	n += snprintf(deep + n, sizeof(deep) - n, "x: ");
	for (i = 0; i < UC3_YDOC_MAX_DEPTH; i++)
		deep[n++] = '[';
	for (i = 0; i < UC3_YDOC_MAX_DEPTH; i++)
		deep[n++] = ']';
	strcpy(deep + n, "\nevents:\n");
	/* The ticket itself is one level. */
	snprintf(msg, sizeof(msg), "t.yaml:14:%d: nested deeper than %d levels",
		 3 + UC3_YDOC_MAX_DEPTH, UC3_YDOC_MAX_DEPTH);
	refuse_with("events:\n", deep, msg);
}

/*
 * Formatting refusals.
 */

static void
format_refuses_an_extra_field_that_has_a_place(void **state)
{
	struct uc3_ticket *t = sample();
	struct uc3_buf b;

	uc3_buf_init(&b);
	t->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(t->extra, "subject", uc3_ynode_scalar("x", 0));
	assert_int_equal(uc3_ticket_format(&b, t), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "UC3-2026-0007: extra field "
					      "'subject' of the ticket has a place of its own");
	assert_int_equal(b.len, 0);
	uc3_ynode_free(t->extra);
	t->extra = NULL;
	t->events[0].extra = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(t->events[0].extra, "step", uc3_ynode_scalar("x", 0));
	assert_int_equal(uc3_ticket_format(&b, t), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "UC3-2026-0007: extra field "
					      "'step' of events[0] has a place of its own");
	uc3_buf_release(&b);
	uc3_ticket_free(t);
}

static void
format_refuses_invalid_utf8_naming_the_field(void **state)
{
	struct uc3_ticket *t = sample();
	struct uc3_buf b;

	uc3_buf_init(&b);
	set(&t->events[0].note, "rusak \xFF");
	assert_int_equal(uc3_ticket_format(&b, t), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "UC3-2026-0007: invalid UTF-8 in events[0].note");
	uc3_buf_release(&b);
	uc3_ticket_free(t);
}

/*
 * Ids, status, text.
 */

static void
id_parse_accepts_well_formed_ids(void **state)
{
	unsigned long num = 0;
	int year = 0;

	assert_true(uc3_ticket_id_parse("UC3-2026-0042", NULL, &year, &num));
	assert_int_equal(year, 2026);
	assert_int_equal(num, 42);
	assert_true(uc3_ticket_id_parse("UC3-2026-12345", NULL, NULL, &num));
	assert_int_equal(num, 12345);
	assert_true(uc3_ticket_id_parse("A-1970-0001", NULL, NULL, NULL));
	assert_true(uc3_ticket_id_parse("PKIH2-9999-9999", NULL, NULL, NULL));
	assert_true(uc3_ticket_id_parse("UC3-2026-0042", "UC3", NULL, NULL));
}

static void
id_parse_rejects_everything_else(void **state)
{
	static const char *const bad[] = {
		"",
		"UC3",
		"UC3-2026",
		"UC3-2026-",
		"UC3-2026-42",
		"UC3-2026-042",
		"UC3-2026-00042",
		"UC3-2026-0000",
		"uc3-2026-0042",
		"Uc3-2026-0042",
		"3UC-2026-0042",
		"-2026-0042",
		"UC3-1969-0001",
		"UC3-10000-0001",
		"UC3-26-0042",
		"UC3-2026-0042 ",
		" UC3-2026-0042",
		"UC3-2026-0042\n",
		"UC3-2026-+042",
		"UC3-2026-00x2",
		"UC3_2026_0042",
		"UC3--2026-0042",
		"../../etc/passwd",
		"UC3-2026-0042/../x",
		"UC3-2026-99999999999999999999999",
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (uc3_ticket_id_parse(bad[i], NULL, NULL, NULL))
			fail_msg("'%s' should be refused", bad[i]);
	assert_false(uc3_ticket_id_parse(NULL, NULL, NULL, NULL));
	assert_false(uc3_ticket_id_parse("UC3-2026-0042", "UC", NULL, NULL));
	assert_false(uc3_ticket_id_parse("UC3-2026-0042", "UC31", NULL, NULL));
	assert_false(uc3_ticket_id_parse("UC3-2026-0042", "", NULL, NULL));
}

static void
id_read_takes_the_forms_people_type(void **state)
{
	static const struct {
		const char *typed, *prefix, *want;
		bool implied;
	} ok[] = {
		{ "42", "UC3", "UC3-2026-0042", true },
		{ "0042", "UC3", "UC3-2026-0042", true },
		{ "00042", "UC3", "UC3-2026-0042", true },
		{ "12345", "UC3", "UC3-2026-12345", true },
		{ "2025-42", "UC3", "UC3-2025-0042", false },
		{ "2025-0042", "UC3", "UC3-2025-0042", false },
		{ "UC3-2026-0042", "UC3", "UC3-2026-0042", false },
		{ "uc3-2026-0042", "UC3", "UC3-2026-0042", false },
		{ "Uc3-2026-42", "UC3", "UC3-2026-0042", false },
		{ "pkih2-2024-7", "PKIH2", "PKIH2-2024-0007", false },
		{ "abc-2026-1", NULL, "ABC-2026-0001", false },
	};
	static const char *const bad[] = {
		"",
		"0",
		"0000",
		"-42",
		"42-",
		"2026-",
		"2026-0",
		"26-42",
		"1969-42",
		"20260-42",
		"UC3-42",
		"UC3-2026-",
		"UC3-2026-0",
		"UC3--2026-42",
		"3UC-2026-42",
		"4x2",
		" 42",
		"42 ",
		"42\n",
		"+42",
		"../../etc/x",
		"UC3-2026-42/../x",
		"99999999999999999999999",
		"UC3-2026-4-2",
	};
	struct uc3_buf b = UC3_BUF_INIT;
	bool implied;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		uc3_buf_reset(&b);
		implied = !ok[i].implied;
		if (uc3_ticket_id_read(&b, &implied, ok[i].typed, ok[i].prefix, 2026) < 0)
			fail_msg("'%s' refused: %s", ok[i].typed, uc3_error_last());
		assert_string_equal(b.ptr, ok[i].want);
		assert_true(implied == ok[i].implied);
		assert_true(uc3_ticket_id_parse(b.ptr, ok[i].prefix, NULL, NULL));
	}
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		uc3_buf_reset(&b);
		if (uc3_ticket_id_read(&b, NULL, bad[i], "UC3", 2026) != UC3_EINVAL)
			fail_msg("'%s' should be refused, gave '%s'", bad[i], b.ptr ? b.ptr : "");
		assert_true(b.len == 0);
		assert_non_null(strstr(uc3_error_last(), "give its number (42)"));
	}
	/* No year known: a number alone cannot be read, the other forms can. */
	uc3_buf_reset(&b);
	assert_int_equal(uc3_ticket_id_read(&b, NULL, "42", "UC3", 0), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "'42' is not a ticket id: give year and number "
					      "(YEAR-42) or the whole id (UC3-YEAR-0042)");
	assert_int_equal(uc3_ticket_id_read(&b, NULL, "2025-42", "UC3", 0), 0);
	assert_string_equal(b.ptr, "UC3-2025-0042");
	uc3_buf_reset(&b);
	/* Another office's prefix is named as such. */
	assert_int_equal(uc3_ticket_id_read(&b, NULL, "abc-2026-0042", "UC3", 2026), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "'abc-2026-0042' is not an id of these records: theirs start UC3-");
	uc3_buf_release(&b);
}

static void
id_parse_takes_numbers_up_to_the_maximum(void **state)
{
	unsigned long num = 0;

	assert_int_equal(UC3_TICKET_NUM_MAX, ULONG_MAX);
	if (ULONG_MAX != 18446744073709551615UL)
		skip();
	assert_true(uc3_ticket_id_parse("UC3-2026-18446744073709551615", NULL, NULL, &num));
	assert_true(num == ULONG_MAX);
	assert_true(uc3_ticket_id_parse("UC3-2026-18446744073709551610", NULL, NULL, &num));
	assert_true(num == ULONG_MAX - 5);
	assert_false(uc3_ticket_id_parse("UC3-2026-18446744073709551616", NULL, NULL, NULL));
	assert_false(uc3_ticket_id_parse("UC3-2026-18446744073709551620", NULL, NULL, NULL));
	assert_false(uc3_ticket_id_parse("UC3-2026-99999999999999999999", NULL, NULL, NULL));
}

static void
id_format_pads_to_four_digits(void **state)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	uc3_ticket_id_format(&b, "UC3", 2026, 42);
	assert_string_equal(b.ptr, "UC3-2026-0042");
	uc3_buf_reset(&b);
	uc3_ticket_id_format(&b, "UC3", 2026, 123456);
	assert_string_equal(b.ptr, "UC3-2026-123456");
	assert_true(uc3_ticket_id_parse(b.ptr, "UC3", NULL, NULL));
	uc3_buf_release(&b);
}

static void
status_names_and_parse_agree(void **state)
{
	enum uc3_status s;

	assert_string_equal(uc3_status_name(UC3_STATUS_OPEN), "open");
	assert_string_equal(uc3_status_name(UC3_STATUS_ANSWERED), "answered");
	assert_string_equal(uc3_status_name(UC3_STATUS_DELIVERED), "delivered");
	assert_string_equal(uc3_status_name(UC3_STATUS_CLOSED), "closed");
	assert_null(uc3_status_name((enum uc3_status)42));
	for (s = UC3_STATUS_OPEN; s <= UC3_STATUS_CLOSED; s++) {
		enum uc3_status back = (enum uc3_status) - 1;

		assert_int_equal(uc3_status_parse(&back, uc3_status_name(s)), 0);
		assert_int_equal(back, s);
	}
	assert_int_equal(uc3_status_parse(&s, "Open"), UC3_EINVAL);
	assert_int_equal(uc3_status_parse(&s, ""), UC3_EINVAL);
	assert_int_equal(uc3_status_parse(&s, NULL), UC3_EINVAL);
}

static void
text_normalize_cleans_line_ends(void **state)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
		{ "a\r\nb\r\n", "a\nb\n" },
		{ "a\rb\r", "a\nb\n" },
		{ "a  \nb\t\n", "a\nb\n" },
		{ "a", "a\n" },
		{ "a\n\n\n", "a\n" },
		{ "a\n \n\t\n", "a\n" },
		{ "\n\na\n\nb", "\n\na\n\nb\n" },
		{ "  indented\n", "  indented\n" },
		{ "a\r\r\nb", "a\n\nb\n" },
		{ "", "" },
		{ " \t\n\r\n  ", "" },
		{ "Terima kasih 🙏 \r\n", "Terima kasih 🙏\n" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *s = uc3_text_normalize(cases[i].in, strlen(cases[i].in));

		assert_string_equal(s, cases[i].out);
		free(s);
	}
}

static void
text_normalize_reads_only_len_bytes(void **state)
{
	char *s = uc3_text_normalize("abc\ndef", 5);

	assert_string_equal(s, "abc\nd\n");
	free(s);
}

/*
 * Checking what a person typed.
 */

static char *kinds[] = { "pertanyaan", "keluhan", "saran", "lainnya" };
static char *channels[] = { "email", "telepon", "langsung" };

static struct uc3_policy
policy(void)
{
	struct uc3_policy p;

	memset(&p, 0, sizeof(p));
	p.kinds = kinds;
	p.nkinds = 4;
	p.channels = channels;
	p.nchannels = 3;
	p.body_limit = UC3_BODY_LIMIT_DEFAULT;
	return p;
}

/* sample() with field set to value must be refused with exactly msg. */
static void
check_refuses(size_t off, const char *value, const char *msg)
{
	struct uc3_policy p = policy();
	struct uc3_ticket *t = sample();

	set((char **)((char *)t + off), value);
	uc3_error_clear();
	assert_int_equal(uc3_ticket_check(t, &p), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), msg);
	uc3_ticket_free(t);
}

#define FIELD(f) offsetof(struct uc3_ticket, f)

static void
check_accepts_a_complete_ticket(void **state)
{
	struct uc3_policy p = policy();
	struct uc3_ticket *t = sample();

	assert_int_equal(uc3_ticket_check(t, &p), 0);
	set(&t->requester.phone, NULL);
	set(&t->requester.email, "siti@example.com");
	assert_int_equal(uc3_ticket_check(t, &p), 0);
	uc3_ticket_free(t);
}

static void
check_refuses_an_empty_subject(void **state)
{
	check_refuses(FIELD(subject), NULL, "subject is empty");
	check_refuses(FIELD(subject), "", "subject is empty");
	check_refuses(FIELD(subject), "  \t", "subject is empty");
}

static void
check_refuses_a_subject_on_two_lines(void **state)
{
	check_refuses(FIELD(subject), "a\nb", "subject contains a line break");
	check_refuses(FIELD(subject), "a\r", "subject contains a line break");
	check_refuses(FIELD(subject),
		      "a\xE2\x80\xA8"
		      "b",
		      "subject contains a line break");
}

static void
check_refuses_a_kind_not_in_the_policy(void **state)
{
	check_refuses(FIELD(kind), "foo",
		      "kind 'foo' is not one of the "
		      "policy's kinds: pertanyaan, keluhan, saran, lainnya");
	check_refuses(FIELD(kind), NULL,
		      "no kind: one of the policy's kinds "
		      "is needed: pertanyaan, keluhan, saran, lainnya");
}

static void
check_refuses_a_channel_not_in_the_policy(void **state)
{
	check_refuses(FIELD(channel), "fax",
		      "channel 'fax' is not one of the "
		      "policy's channels: email, telepon, langsung");
}

static void
check_refuses_a_ticket_without_requester(void **state)
{
	check_refuses(FIELD(requester.phone), " ",
		      "no requester: a name, an email, a phone, a social account or an address "
		      "is needed");
}

static void
check_accepts_a_social_account_or_an_address_alone(void **state)
{
	struct uc3_policy p = policy();
	struct uc3_ticket *t = sample();

	set(&t->requester.phone, NULL);
	set(&t->requester.social, "@unej_fess");
	assert_int_equal(uc3_ticket_check(t, &p), 0);
	set(&t->requester.social, NULL);
	set(&t->requester.address, "Jl. Kalimantan 37\nJember 68121\n");
	assert_int_equal(uc3_ticket_check(t, &p), 0);
	uc3_ticket_free(t);
}

static void
check_refuses_a_blank_social_account_or_address(void **state)
{
	check_refuses(FIELD(requester.social), "   ", "requester.social is empty");
	check_refuses(FIELD(requester.address), "\n \n", "requester.address is empty");
}

static void
check_refuses_a_social_account_on_two_lines_or_with_controls(void **state)
{
	check_refuses(FIELD(requester.social), "@unej\nfess",
		      "requester.social contains a line break");
	check_refuses(FIELD(requester.social), "@unej\xe2\x80\xa8",
		      "requester.social contains a line break");
	check_refuses(FIELD(requester.social), "@unej\tfess",
		      "requester.social contains a control character (U+0009)");
	check_refuses(FIELD(requester.social), "@unej\x1b[2J",
		      "requester.social contains a control character (U+001B)");
	check_refuses(FIELD(requester.social), "@unej\xff", "invalid UTF-8 in requester.social");
}

static void
check_refuses_control_characters_in_the_address(void **state)
{
	check_refuses(FIELD(requester.address), "Jl. Jawa 7\nJember\x1b]52;c;aGk=\x07\n",
		      "requester.address contains a control character (U+001B) on line 2");
	check_refuses(FIELD(requester.address), "Jl. Jawa 7\r\nJember\n",
		      "requester.address contains a control character (U+000D) on line 1");
	check_refuses(FIELD(requester.address), "Jl. Jawa\xc0\n",
		      "invalid UTF-8 in requester.address");
}

static void
check_refuses_requester_fields_on_two_lines(void **state)
{
	check_refuses(FIELD(requester.name), "Siti\nBcc: x@y",
		      "requester.name contains a line break");
	check_refuses(FIELD(requester.email), "a@b\r\nBcc: x@y",
		      "requester.email contains a line break");
	check_refuses(FIELD(requester.phone), "0812\n", "requester.phone contains a line break");
	check_refuses(FIELD(unit), "Bagian\nKeuangan", "unit contains a line break");
}

static void
check_refuses_control_characters_in_one_line_fields(void **state)
{
	/* OSC 52 writes the clipboard; ESC [2J clears the screen */
	check_refuses(FIELD(subject), "Tes\x1b]52;c;aGk=\x07",
		      "subject contains a control character (U+001B)");
	check_refuses(FIELD(subject), "a\tb", "subject contains a control character (U+0009)");
	check_refuses(FIELD(requester.name), "Siti\x7f",
		      "requester.name contains a control character (U+007F)");
	check_refuses(FIELD(requester.email), "siti\x1b[2J@example.com",
		      "requester.email contains a control character (U+001B)");
	check_refuses(FIELD(requester.phone), "0812\x07",
		      "requester.phone contains a control character (U+0007)");
	/* C1: U+009B is CSI; U+0085 (NEL) is a line break */
	check_refuses(FIELD(unit),
		      "Bagian\xc2\x9b"
		      "2J",
		      "unit contains a control character (U+009B)");
	check_refuses(FIELD(unit), "Bagian\xc2\x85", "unit contains a line break");
	check_refuses(FIELD(kind), "\x1b[2Jsaran", "kind contains a control character (U+001B)");
}

static void
check_refuses_control_characters_but_lf_and_tab_in_text(void **state)
{
	struct uc3_policy p = policy();
	struct uc3_ticket *t = sample();

	set(&t->body, "satu\n\tdua\n\nNo-break space\xc2\xa0"
		      "and \xe2\x80\xa8 too\n");
	set(&t->answer, "Sudah.\n\tOK\n");
	assert_int_equal(uc3_ticket_check(t, &p), 0);
	uc3_ticket_free(t);
	check_refuses(FIELD(body), "satu\ndua\x1b[2J\n",
		      "body contains a control character (U+001B) on line 2");
	check_refuses(FIELD(body), "satu\r\n",
		      "body contains a control character (U+000D) on line 1");
	check_refuses(FIELD(body), "\x0c", "body contains a control character (U+000C) on line 1");
	check_refuses(FIELD(answer),
		      "a\n\nb\xc2\x9d"
		      "0;x\x07",
		      "answer contains a control character (U+009D) on line 3");
	check_refuses(FIELD(answer), "\x7f",
		      "answer contains a control character (U+007F) on line 1");
}

static void
text_check_takes_what_it_is_told(void **state)
{
	assert_int_equal(uc3_text_check(NULL, "x", true), 0);
	assert_int_equal(uc3_text_check("", "x", false), 0);
	assert_int_equal(uc3_text_check("Café — 日本 🙂", "x", true), 0);
	assert_int_equal(uc3_text_check("a\tb\nc", "the note", false), 0);
	assert_int_equal(uc3_text_check("a\tb", "--unit", true), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "--unit contains a control character (U+0009)");
	assert_int_equal(uc3_text_check("a\nb", "--unit", true), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "--unit contains a line break");
	assert_int_equal(uc3_text_check("a\n\x1b", "the note", false), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "the note contains a control character (U+001B) on line 2");
	assert_int_equal(uc3_text_check("\xc2", "the note", false), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "invalid UTF-8 in the note");
}

static void
check_refuses_invalid_utf8(void **state)
{
	check_refuses(FIELD(subject), "rusak \xC3", "invalid UTF-8 in subject");
	check_refuses(FIELD(body), "ok\n\xED\xA0\x80\n", "invalid UTF-8 in body");
	check_refuses(FIELD(requester.name), "\xFF",
		      "invalid UTF-8 in "
		      "requester.name");
}

static void
check_refuses_a_body_over_the_limit(void **state)
{
	struct uc3_policy p = policy();
	struct uc3_ticket *t = sample();

	free(t->body);
	t->body = malloc(2000001);
	assert_non_null(t->body);
	memset(t->body, 'a', 2000000);
	t->body[2000000] = '\0';
	assert_int_equal(uc3_ticket_check(t, &p), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "body is 2000000 bytes, over "
					      "the limit of 1048576 (1 MiB)");
	p.body_limit = 3000000;
	assert_int_equal(uc3_ticket_check(t, &p), 0);
	p.body_limit = 1000;
	assert_int_equal(uc3_ticket_check(t, &p), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "body is 2000000 bytes, over "
					      "the limit of 1000");
	uc3_ticket_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_reads_every_field_of_the_full_fixture),
		cmocka_unit_test(format_of_the_full_fixture_is_byte_identical),
		cmocka_unit_test(format_puts_fields_in_canonical_order),
		cmocka_unit_test(format_leaves_absent_fields_out),
		cmocka_unit_test(format_writes_no_events_as_an_empty_list_that_reads_back),
		cmocka_unit_test(round_trip_takeover),
		cmocka_unit_test(parse_refuses_a_taken_over_that_is_not_a_boolean),
		cmocka_unit_test(round_trip_body_with_and_without_final_newline),
		cmocka_unit_test(round_trip_body_with_leading_spaces_on_the_first_line),
		cmocka_unit_test(round_trip_body_with_trailing_spaces_and_tabs),
		cmocka_unit_test(round_trip_body_with_yaml_syntax_inside),
		cmocka_unit_test(round_trip_keeps_unicode_and_emoji_as_is),
		cmocka_unit_test(round_trip_quotes_text_that_reads_as_another_type),
		cmocka_unit_test(round_trip_text_that_starts_with_an_indicator),
		cmocka_unit_test(format_writes_social_and_address_after_the_phone),
		cmocka_unit_test(round_trip_social_and_address_that_need_quotes_or_indicators),
		cmocka_unit_test(round_trip_never_wraps_long_lines),
		cmocka_unit_test(round_trip_keeps_extra_fields_in_order),
		cmocka_unit_test(round_trip_keeps_extra_event_fields_in_order),
		cmocka_unit_test(round_trip_generated_text_in_every_field),
		cmocka_unit_test(round_trip_an_edit_event_with_its_changes_in_block_style),
		cmocka_unit_test(round_trip_a_ticket_closed_as_a_duplicate),
		cmocka_unit_test(round_trip_the_fields_of_a_mail_and_a_followup),
		cmocka_unit_test(parse_rejects_bad_fields_of_a_mail),
		cmocka_unit_test(parse_rejects_closed_as_where_it_does_not_fit),
		cmocka_unit_test(parse_rejects_a_change_without_field_or_with_another_key),
		cmocka_unit_test(parse_reads_plain_null_as_absent),
		cmocka_unit_test(parse_allows_a_closed_ticket_without_level_or_deadline),
		cmocka_unit_test(parse_allows_an_empty_event_list),
		cmocka_unit_test(parse_rejects_each_missing_required_field),
		cmocka_unit_test(parse_rejects_a_required_field_with_no_value),
		cmocka_unit_test(parse_rejects_missing_event_fields),
		cmocka_unit_test(parse_rejects_an_incomplete_step),
		cmocka_unit_test(parse_rejects_an_unknown_status),
		cmocka_unit_test(parse_rejects_a_line_break_in_the_unit_or_the_level),
		cmocka_unit_test(parse_rejects_bad_timestamps),
		cmocka_unit_test(parse_rejects_values_of_the_wrong_type),
		cmocka_unit_test(parse_rejects_a_late_flag_that_is_not_a_boolean),
		cmocka_unit_test(parse_rejects_a_bad_id),
		cmocka_unit_test(parse_rejects_unknown_keys_where_nothing_can_keep_them),
		cmocka_unit_test(parse_reads_the_social_account_and_the_address),
		cmocka_unit_test(parse_rejects_a_social_account_or_address_that_is_not_text),
		cmocka_unit_test(round_trip_attachments_byte_for_byte),
		cmocka_unit_test(format_leaves_out_an_empty_attachment_list),
		cmocka_unit_test(parse_rejects_bad_attachments),
		cmocka_unit_test(attachment_names_are_safe_file_names),
		cmocka_unit_test(parse_rejects_a_document_that_is_not_a_mapping),
		cmocka_unit_test(parse_rejects_anchors),
		cmocka_unit_test(parse_rejects_an_alias_bomb_at_once),
		cmocka_unit_test(parse_rejects_a_python_object_tag),
		cmocka_unit_test(parse_rejects_a_duplicate_key),
		cmocka_unit_test(parse_rejects_invalid_utf8_at_its_position),
		cmocka_unit_test(parse_rejects_a_file_over_the_size_limit),
		cmocka_unit_test(parse_rejects_two_documents),
		cmocka_unit_test(parse_rejects_deep_nesting),
		cmocka_unit_test(format_refuses_an_extra_field_that_has_a_place),
		cmocka_unit_test(format_refuses_invalid_utf8_naming_the_field),
		cmocka_unit_test(id_parse_accepts_well_formed_ids),
		cmocka_unit_test(id_parse_rejects_everything_else),
		cmocka_unit_test(id_parse_takes_numbers_up_to_the_maximum),
		cmocka_unit_test(id_read_takes_the_forms_people_type),
		cmocka_unit_test(id_format_pads_to_four_digits),
		cmocka_unit_test(status_names_and_parse_agree),
		cmocka_unit_test(text_normalize_cleans_line_ends),
		cmocka_unit_test(text_normalize_reads_only_len_bytes),
		cmocka_unit_test(check_accepts_a_complete_ticket),
		cmocka_unit_test(check_refuses_an_empty_subject),
		cmocka_unit_test(check_refuses_a_subject_on_two_lines),
		cmocka_unit_test(check_refuses_a_kind_not_in_the_policy),
		cmocka_unit_test(check_refuses_a_channel_not_in_the_policy),
		cmocka_unit_test(check_refuses_a_ticket_without_requester),
		cmocka_unit_test(check_accepts_a_social_account_or_an_address_alone),
		cmocka_unit_test(check_refuses_a_blank_social_account_or_address),
		cmocka_unit_test(check_refuses_a_social_account_on_two_lines_or_with_controls),
		cmocka_unit_test(check_refuses_control_characters_in_the_address),
		cmocka_unit_test(check_refuses_requester_fields_on_two_lines),
		cmocka_unit_test(check_refuses_control_characters_in_one_line_fields),
		cmocka_unit_test(check_refuses_control_characters_but_lf_and_tab_in_text),
		cmocka_unit_test(text_check_takes_what_it_is_told),
		cmocka_unit_test(check_refuses_invalid_utf8),
		cmocka_unit_test(check_refuses_a_body_over_the_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
