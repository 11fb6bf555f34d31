#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

#include "attach.h"
#include "buf.h"
#include "error.h"
#include "policy.h"
#include "ticket.h"
#include "transition.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * Keeping files with a ticket (lib/attach.h): the names files are kept
 * under, their types, and the attach step under the default policy,
 * records/uc3.yaml (the tests run from the top of the source tree).
 */

/* 2026-11-27T09:00:00+07:00, a Friday, in office hours. */
#define T_NINE ((time_t)1795744800)
#define ACTOR  "humas1@unej.ac.id"
#define BLOB1  "3b18e512dba79e4c8300dd08aeb37f8e728b8dad"
#define BLOB2  "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"

static int
setup(void **state)
{
	*state = default_policy_with(NULL);
	return 0;
}

static int
teardown(void **state)
{
	uc3_policy_free(*state);
	return 0;
}

static struct uc3_ticket *
registered(const struct uc3_policy *p)
{
	struct uc3_ticket *in = uc3_ticket_new(), *t = NULL;
	struct uc3_act a = { .policy = p, .actor = ACTOR, .now = T_NINE };

	in->id = uc3_xstrdup("UC3-2026-0001");
	in->subject = uc3_xstrdup("Surat keberatan");
	in->kind = uc3_xstrdup("keluhan");
	in->channel = uc3_xstrdup("surat");
	in->requester.name = uc3_xstrdup("Siti Aminah");
	in->body = uc3_xstrdup("Lihat surat terlampir.\n");
	if (uc3_transition_new(&t, in, &a, T_NINE) < 0)
		fail_msg("new: %s", uc3_error_last());
	uc3_ticket_free(in);
	return t;
}

static void
expect_name(const char *path, const char *want)
{
	char *got = uc3_attach_safe_name(path);

	assert_string_equal(got, want);
	assert_true(uc3_ticket_attachment_name_ok(got));
	free(got);
}

static void
safe_name_is_the_last_component_made_safe(void **state)
{
	expect_name("scans/2026/surat.pdf", "surat.pdf");
	expect_name("surat.pdf", "surat.pdf");
	expect_name("Foto KTP (1).jpg", "Foto KTP (1).jpg");
	expect_name(".bashrc", "bashrc");
	expect_name("../..", "attachment");
	expect_name("dir/", "attachment");
	expect_name("  spasi.txt  ", "spasi.txt");
	expect_name("a\x1b[2Jb.txt", "a_[2Jb.txt");
	expect_name("a\tb\nc", "a_b_c");
	expect_name("a\xc2\x85"
		    "b",
		    "a_b");
	expect_name("\xff\xfe.pdf", "__.pdf");
	expect_name("r\xc3\xa9sum\xc3\xa9.docx", "r\xc3\xa9sum\xc3\xa9.docx");
	expect_name("12:30 <rapat> \"a|b\"?*\\.txt", "12_30 _rapat_ _a_b____.txt");
	expect_name("GIT~1", "_GIT~1");
	expect_name("git~1.txt", "_git~1.txt");
}

static void
safe_name_cuts_a_long_name_keeping_its_extension(void **state)
{
	struct uc3_buf in = UC3_BUF_INIT;
	char *got;
	int i;

	for (i = 0; i < 300; i++)
		uc3_buf_adds(&in, "\xc3\xa9"); /* é, two bytes */
	uc3_buf_adds(&in, ".jpg");
	got = uc3_attach_safe_name(in.ptr);
	assert_true(strlen(got) <= UC3_ATTACHMENT_NAME_MAX);
	assert_true(strlen(got) >= UC3_ATTACHMENT_NAME_MAX - 1);
	assert_true(uc3_utf8_valid(got, strlen(got), NULL));
	assert_string_equal(got + strlen(got) - 4, ".jpg");
	assert_true(uc3_ticket_attachment_name_ok(got));
	free(got);
	uc3_buf_release(&in);
}

/* Taken: the names in a NULL-terminated list. */
static bool
in_list(const char *name, void *ctx)
{
	const char *const *l = ctx;

	for (; *l; l++)
		if (!strcmp(*l, name))
			return true;
	return false;
}

static void
free_name_numbers_a_name_that_is_taken(void **state)
{
	const char *taken[] = { "surat.pdf", "surat-2.pdf", "README", "a.b.c", NULL };
	const char *none[] = { NULL };
	struct uc3_buf longest = UC3_BUF_INIT;
	const char *one[2];
	char *got;
	int i;

	got = uc3_attach_free_name("surat.pdf", in_list, (void *)taken);
	assert_string_equal(got, "surat-3.pdf");
	free(got);
	got = uc3_attach_free_name("foto.jpg", in_list, (void *)taken);
	assert_string_equal(got, "foto.jpg");
	free(got);
	got = uc3_attach_free_name("README", in_list, (void *)taken);
	assert_string_equal(got, "README-2");
	free(got);
	got = uc3_attach_free_name("a.b.c", in_list, (void *)taken);
	assert_string_equal(got, "a.b-2.c");
	free(got);
	got = uc3_attach_free_name("x", in_list, (void *)none);
	assert_string_equal(got, "x");
	free(got);
	/* A name as long as a name may be keeps within it. */
	for (i = 0; i < UC3_ATTACHMENT_NAME_MAX - 4; i++)
		uc3_buf_addch(&longest, 'n');
	uc3_buf_adds(&longest, ".pdf");
	one[0] = longest.ptr;
	one[1] = NULL;
	got = uc3_attach_free_name(longest.ptr, in_list, (void *)one);
	assert_int_equal(strlen(got), UC3_ATTACHMENT_NAME_MAX);
	assert_string_equal(got + strlen(got) - 6, "-2.pdf");
	free(got);
	uc3_buf_release(&longest);
}

#define SNIFF(name, data, want)                                                                    \
	assert_string_equal(uc3_attach_sniff(name, data, sizeof(data) - 1), want)

static void
sniff_reads_the_first_bytes_then_the_extension(void **state)
{
	SNIFF("x.bin", "%PDF-1.7\n\0\1", "application/pdf");
	SNIFF("x", "\x89PNG\r\n\x1a\n\0\0", "image/png");
	SNIFF("x.png", "\xff\xd8\xff\xe0\0\x10JFIF", "image/jpeg");
	SNIFF("x", "GIF89a\1\0", "image/gif");
	SNIFF("x", "GIF87a\1\0", "image/gif");
	SNIFF("x", "RIFF\x10\0\0\0WEBPVP8 ", "image/webp");
	SNIFF("x", "RIFF\x10\0\0\0WAVEfmt ", "application/octet-stream");
	SNIFF("x", "II*\0\x08\0\0\0", "image/tiff");
	SNIFF("x", "MM\0*\0\0\0\x08", "image/tiff");
	SNIFF("laporan.docx", "PK\x03\x04\x14\0",
	      "application/vnd.openxmlformats-"
	      "officedocument.wordprocessingml.document");
	SNIFF("DATA.XLSX", "PK\x03\x04\x14\0",
	      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
	SNIFF("arsip.zip", "PK\x03\x04\x14\0", "application/zip");
	SNIFF("catatan", "Halo,\r\nterima kasih.\tYa\f\n", "text/plain");
	SNIFF("data.csv", "nim,nama\n1,Siti\n", "text/csv");
	SNIFF("notes.txt", "caf\xc3\xa9\n", "text/plain");
	SNIFF("notes.txt", "a\x1b[2J", "application/octet-stream");
	SNIFF("notes.txt", "a\0b", "application/octet-stream");
	SNIFF("notes.txt", "\xff\xfe", "application/octet-stream");
	assert_true(uc3_attach_type_known("application/pdf"));
	assert_true(uc3_attach_type_known("text/csv"));
	assert_true(uc3_attach_type_known("application/octet-stream"));
	assert_true(uc3_attach_type_known("application/vnd.oasis.opendocument.text"));
	assert_false(uc3_attach_type_known("text/html"));
	assert_false(uc3_attach_type_known(NULL));
}

static void
sizes_read_as_people_say_them(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_attach_format_size(&b, 1);
	uc3_buf_adds(&b, "|");
	uc3_attach_format_size(&b, 1023);
	uc3_buf_adds(&b, "|");
	uc3_attach_format_size(&b, 48213);
	uc3_buf_adds(&b, "|");
	uc3_attach_format_size(&b, 10 * 1024 * 1024);
	uc3_buf_adds(&b, "|");
	uc3_attach_format_limit(&b, 10 * 1024 * 1024);
	uc3_buf_adds(&b, "|");
	uc3_attach_format_limit(&b, 1000);
	assert_string_equal(b.ptr, "1 byte|1023 bytes|47.1 KiB|10.0 MiB|10485760 (10 MiB)|1000");
	uc3_buf_release(&b);
}

static void
apply_appends_the_entries_and_one_event(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_attachment files[] = { { "surat.pdf", "application/pdf", 48213, BLOB1 },
					  { "2024", "text/plain", 6, BLOB2 } };
	struct uc3_attach a = { p, ACTOR, T_NINE + 120, "Pindaian surat asli.\n", files, 2 };
	struct uc3_buf msg = UC3_BUF_INIT, text = UC3_BUF_INIT, line = UC3_BUF_INIT;
	char *deadline = uc3_xstrdup(t->deadline);
	const struct uc3_event *e;

	assert_int_equal(uc3_attach_check(t, &a), 0);
	assert_int_equal(t->nattachments, 0);
	assert_int_equal(uc3_attach_apply(t, &a, &msg), 0);
	assert_int_equal(t->nattachments, 2);
	assert_string_equal(t->attachments[1].name, "2024");
	assert_int_equal(t->attachments[0].size, 48213);
	/* Status, level and deadline stay: attaching ends no step. */
	assert_int_equal(t->status, UC3_STATUS_OPEN);
	assert_string_equal(t->level, "staf");
	assert_string_equal(t->deadline, deadline);
	assert_int_equal(t->nevents, 2);
	e = &t->events[1];
	assert_string_equal(e->action, "attach");
	assert_string_equal(e->at, "2026-11-27T09:02:00+07:00");
	assert_string_equal(e->note, "Pindaian surat asli.");
	assert_null(e->step.name);
	assert_int_equal(uc3_ticket_format(&text, t), 0);
	assert_non_null(strstr(text.ptr, "attachments:\n"
					 "- name: surat.pdf\n"
					 "  type: application/pdf\n"
					 "  size: 48213\n"
					 "  blob: " BLOB1 "\n"
					 "- name: '2024'\n"
					 "  type: text/plain\n"
					 "  size: 6\n"
					 "  blob: " BLOB2 "\n"
					 "events:\n"));
	assert_non_null(strstr(text.ptr, "- at: 2026-11-27T09:02:00+07:00\n"
					 "  by: humas1@unej.ac.id\n"
					 "  action: attach\n"
					 "  note: Pindaian surat asli.\n"
					 "  files: [surat.pdf, '2024']\n"));
	assert_string_equal(msg.ptr, "UC3-2026-0001: attach 2 files\n"
				     "\n"
				     "Pindaian surat asli.\n"
				     "\n"
				     "Ticket: UC3-2026-0001\n"
				     "Action: attach\n"
				     "Attachment: surat.pdf\n"
				     "Attachment: 2024\n");
	uc3_attach_summary(&line, t, 2);
	assert_string_equal(line.ptr, "UC3-2026-0001: attached surat.pdf (application/pdf, 47.1 "
				      "KiB), 2024 (text/plain, 6 bytes)");
	free(deadline);
	uc3_buf_release(&msg);
	uc3_buf_release(&text);
	uc3_buf_release(&line);
	uc3_ticket_free(t);
}

static void
apply_of_one_file_without_a_note(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_attachment files[] = { { "foto.jpg", "image/jpeg", 1, BLOB1 } };
	struct uc3_attach a = { p, ACTOR, T_NINE + 60, NULL, files, 1 };
	struct uc3_buf msg = UC3_BUF_INIT;

	assert_int_equal(uc3_attach_apply(t, &a, &msg), 0);
	assert_null(t->events[1].note);
	assert_string_equal(msg.ptr, "UC3-2026-0001: attach foto.jpg\n"
				     "\n"
				     "Ticket: UC3-2026-0001\n"
				     "Action: attach\n"
				     "Attachment: foto.jpg\n");
	uc3_buf_release(&msg);
	uc3_ticket_free(t);
}

/* a on a fresh ticket (closed first when closed) is refused with code and exactly msg. */
static void
refused(const struct uc3_policy *p, const struct uc3_attach *a, bool closed, int code,
	const char *msg)
{
	struct uc3_ticket *t = registered(p);
	struct uc3_buf m = UC3_BUF_INIT, before = UC3_BUF_INIT, after = UC3_BUF_INIT;

	if (closed) {
		t->status = UC3_STATUS_CLOSED;
		free(t->deadline);
		t->deadline = NULL;
	}
	assert_int_equal(uc3_ticket_format(&before, t), 0);
	assert_int_equal(uc3_attach_check(t, a), code);
	assert_string_equal(uc3_error_last(), msg);
	assert_int_equal(uc3_attach_apply(t, a, &m), code);
	assert_string_equal(uc3_error_last(), msg);
	assert_int_equal(uc3_ticket_format(&after, t), 0);
	assert_string_equal(after.ptr, before.ptr);
	assert_int_equal(m.len, 0);
	uc3_buf_release(&m);
	uc3_buf_release(&before);
	uc3_buf_release(&after);
	uc3_ticket_free(t);
}

static void
apply_refuses_what_uc3_attach_does_not_write(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_attachment ok = { "surat.pdf", "application/pdf", 10, BLOB1 };
	struct uc3_attachment f[2];
	struct uc3_attach a = { p, ACTOR, T_NINE + 60, NULL, f, 1 };

	f[0] = ok;
	refused(p, &a, true, UC3_EDENIED, "UC3-2026-0001 is closed; its record is final");
	a.now = T_NINE - 60;
	refused(p, &a, false, UC3_EINVAL,
		"the time now is before UC3-2026-0001's last event (2026-11-27T09:00:00+07:00); "
		"check the clock or UC3_NOW");
	a.now = T_NINE + 60;
	a.nfiles = 0;
	refused(p, &a, false, UC3_EINVAL, "no file to attach");
	a.nfiles = 2;
	f[1] = ok;
	refused(p, &a, false, UC3_EINVAL, "surat.pdf is attached twice");
	a.nfiles = 1;
	f[0].name = ".surat.pdf";
	refused(p, &a, false, UC3_EINVAL,
		"'.surat.pdf' is not a name uc3 gives a file (no slash, no leading dot, no "
		"control character)");
	f[0] = ok;
	f[0].type = "text/html";
	refused(p, &a, false, UC3_EINVAL, "surat.pdf: 'text/html' is not a type uc3 gives a file");
	f[0] = ok;
	f[0].blob = "HEAD";
	refused(p, &a, false, UC3_EINVAL, "surat.pdf: 'HEAD' is not a git blob id");
	f[0] = ok;
	f[0].size = 0;
	refused(p, &a, false, UC3_EINVAL, "surat.pdf is empty: there is nothing to keep");
	f[0].size = 10 * 1024 * 1024 + 1;
	refused(p, &a, false, UC3_EINVAL,
		"surat.pdf is 10485761 bytes, over the limit of 10485760 (10 MiB) "
		"(limits.attachment in uc3.yaml)");
	f[0] = ok;
	a.note = "a\x1b[2J";
	refused(p, &a, false, UC3_EINVAL,
		"the note contains a control character (U+001B) on line 1");
}

static void
apply_refuses_a_name_the_ticket_has(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_attachment f = { "surat.pdf", "application/pdf", 10, BLOB1 };
	struct uc3_attach a = { p, ACTOR, T_NINE + 60, NULL, &f, 1 };
	struct uc3_buf msg = UC3_BUF_INIT;

	assert_int_equal(uc3_attach_apply(t, &a, &msg), 0);
	assert_int_equal(uc3_attach_check(t, &a), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "UC3-2026-0001 has an attachment surat.pdf already");
	uc3_buf_release(&msg);
	uc3_ticket_free(t);
}

static void
apply_is_front_desk_work_for_anyone_listed(void **state)
{
	struct uc3_policy *p =
		default_policy_with("people:\n"
				    "  - {email: humas1@unej.ac.id, roles: [staf]}\n"
				    "  - {email: kabiro@unej.ac.id, roles: [kabiro]}\n");
	struct uc3_ticket *t = registered(p);
	struct uc3_attachment f = { "surat.pdf", "application/pdf", 10, BLOB1 };
	struct uc3_attach a = { p, "kabiro@unej.ac.id", T_NINE + 60, NULL, &f, 1 };

	assert_int_equal(uc3_attach_check(t, &a), 0);
	a.actor = "humas1@unej.ac.id";
	assert_int_equal(uc3_attach_check(t, &a), 0);
	a.actor = "tamu@example.com";
	assert_int_equal(uc3_attach_check(t, &a), UC3_EDENIED);
	assert_string_equal(uc3_error_last(), "tamu@example.com is not one of the people in "
					      "uc3.yaml; ask the head of the chain to add you");
	uc3_ticket_free(t);
	uc3_policy_free(p);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(safe_name_is_the_last_component_made_safe),
		cmocka_unit_test(safe_name_cuts_a_long_name_keeping_its_extension),
		cmocka_unit_test(free_name_numbers_a_name_that_is_taken),
		cmocka_unit_test(sniff_reads_the_first_bytes_then_the_extension),
		cmocka_unit_test(sizes_read_as_people_say_them),
		T(apply_appends_the_entries_and_one_event),
		T(apply_of_one_file_without_a_note),
		T(apply_refuses_what_uc3_attach_does_not_write),
		T(apply_refuses_a_name_the_ticket_has),
		T(apply_is_front_desk_work_for_anyone_listed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
