#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "json.h"
#include "ticket.h"
#include "xalloc.h"

/*
 * JSON strings (lib/json.h): RFC 8259 escapes, and nothing that drives a
 * terminal when the JSON is read on one.
 */

#define JSON_IS(s, want)                                                                           \
	do {                                                                                       \
		struct uc3_buf b_ = UC3_BUF_INIT;                                                  \
		uc3_json_str(&b_, (s));                                                            \
		assert_string_equal(b_.ptr, want);                                                 \
		uc3_buf_release(&b_);                                                              \
	} while (0)

static void
str_escapes_quotes_backslashes_and_line_breaks(void **state)
{
	JSON_IS("a\"b\\c", "\"a\\\"b\\\\c\"");
	JSON_IS("a\nb\rc\td", "\"a\\nb\\rc\\td\"");
	JSON_IS(NULL, "null");
	JSON_IS("", "\"\"");
}

static void
str_escapes_every_c0_control(void **state)
{
	char s[2] = { 0, 0 };
	unsigned c;

	for (c = 1; c < 0x20; c++) {
		struct uc3_buf b = UC3_BUF_INIT;

		s[0] = (char)c;
		uc3_json_str(&b, s);
		if (c != '\n' && c != '\r' && c != '\t') {
			char want[16];

			snprintf(want, sizeof(want), "\"\\u%04x\"", c);
			assert_string_equal(b.ptr, want);
		}
		assert_int_equal(strcspn(b.ptr, "\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c"
						"\x0d\x0e\x0f\x10\x11\x12\x13\x14\x15\x16\x17\x18"
						"\x19\x1a\x1b\x1c\x1d\x1e\x1f"),
				 b.len);
		uc3_buf_release(&b);
	}
	/* OSC 52, as a hand edit can put it in a subject */
	JSON_IS("\x1b]52;c;aGk=\x07", "\"\\u001b]52;c;aGk=\\u0007\"");
}

static void
str_escapes_del_and_c1_controls(void **state)
{
	JSON_IS("a\x7f"
		"b",
		"\"a\\u007fb\"");
	/* U+009B (CSI) and U+0085, as UTF-8 */
	JSON_IS("a\xc2\x9b"
		"2J\xc2\x85",
		"\"a\\u009b2J\\u0085\"");
	/* U+00A0 and the rest of Latin-1 stay */
	JSON_IS("\xc2\xa0\xc3\xa9", "\"\xc2\xa0\xc3\xa9\"");
}

static void
str_writes_bytes_that_are_not_utf8_as_replacement_characters(void **state)
{
	JSON_IS("a\xff"
		"b",
		"\"a\\ufffdb\"");
	JSON_IS("\x9b"
		"2J",
		"\"\\ufffd2J\"");
	JSON_IS("caf\xc3", "\"caf\\ufffd\"");
	JSON_IS("\xe2\x82\xac\xe2\x82", "\"\xe2\x82\xac\\ufffd\\ufffd\"");
}

/*
 * The object and array writer: commas, keys and escapes in their place.
 */

static void
writer_puts_commas_between_members_only(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;

	uc3_json_init(&j, &b, 0);
	uc3_json_object(&j, NULL, 0);
	uc3_json_put_string(&j, "id", "UC3-1");
	uc3_json_put_maybe(&j, "absent", NULL);
	uc3_json_put_string(&j, "ticket", NULL);
	uc3_json_put_long(&j, "n", -42);
	uc3_json_put_bool(&j, "late", true);
	uc3_json_put_null(&j, "root");
	uc3_json_array(&j, "people", 0);
	uc3_json_put_string(&j, NULL, "a");
	uc3_json_put_string(&j, NULL, "b");
	uc3_json_end(&j);
	uc3_json_array(&j, "none", 0);
	uc3_json_end(&j);
	uc3_json_object(&j, "step", 0);
	uc3_json_put_bool(&j, "late", false);
	uc3_json_end(&j);
	uc3_json_end(&j);
	assert_string_equal(b.ptr, "{\"id\":\"UC3-1\",\"ticket\":null,\"n\":-42,\"late\":true,"
				   "\"root\":null,\"people\":[\"a\",\"b\"],\"none\":[],"
				   "\"step\":{\"late\":false}}");
	uc3_buf_release(&b);
}

static void
writer_escapes_keys_and_values(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;

	uc3_json_init(&j, &b, 0);
	uc3_json_object(&j, NULL, 0);
	uc3_json_put_string(&j, "k\"ey", "a\x1b]52\n\xff");
	uc3_json_end(&j);
	assert_string_equal(b.ptr, "{\"k\\\"ey\":\"a\\u001b]52\\n\\ufffd\"}");
	uc3_buf_release(&b);
}

static void
writer_lines_puts_each_member_on_a_line(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;

	uc3_json_init(&j, &b, 0);
	uc3_json_array(&j, NULL, UC3_JSON_LINES);
	uc3_json_end(&j);
	assert_string_equal(b.ptr, "[]");
	uc3_buf_reset(&b);
	uc3_json_init(&j, &b, 0);
	uc3_json_object(&j, NULL, 0);
	uc3_json_array(&j, "findings", UC3_JSON_LINES);
	uc3_json_object(&j, NULL, 0);
	uc3_json_put_long(&j, "a", 1);
	uc3_json_end(&j);
	uc3_json_key(&j, NULL);
	uc3_buf_adds(&b, "{\"raw\":2}");
	uc3_json_end(&j);
	uc3_json_end(&j);
	assert_string_equal(b.ptr, "{\"findings\":[\n{\"a\":1},\n{\"raw\":2}\n]}");
	uc3_buf_release(&b);
}

static void
writer_spaced_as_person_list_writes_it(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;

	uc3_json_init(&j, &b, UC3_JSON_SPACED);
	uc3_json_array(&j, NULL, UC3_JSON_LINES);
	uc3_json_object(&j, NULL, 0);
	uc3_json_put_string(&j, "email", "a@x");
	uc3_json_array(&j, "roles", 0);
	uc3_json_put_string(&j, NULL, "staf");
	uc3_json_put_string(&j, NULL, "wakor");
	uc3_json_end(&j);
	uc3_json_end(&j);
	uc3_json_object(&j, NULL, 0);
	uc3_json_put_string(&j, "name", NULL);
	uc3_json_end(&j);
	uc3_json_end(&j);
	assert_string_equal(b.ptr, "[\n {\"email\": \"a@x\", \"roles\": [\"staf\", \"wakor\"]},\n"
				   " {\"name\": null}\n]");
	uc3_buf_release(&b);
}

static void
writer_ends_no_further_than_it_began(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;
	size_t i;

	uc3_json_init(&j, &b, 0);
	uc3_json_end(&j);
	assert_string_equal(b.ptr, "");
	/* deeper than the writer keeps: it does not write past its stack */
	for (i = 0; i < UC3_JSON_DEPTH + 2; i++)
		uc3_json_array(&j, NULL, 0);
	assert_int_equal(j.depth, UC3_JSON_DEPTH);
	for (i = 0; i < UC3_JSON_DEPTH + 2; i++)
		uc3_json_end(&j);
	assert_int_equal(j.depth, 0);
	uc3_buf_release(&b);
}

static void
ticket_state_adds_holder_and_minutes_after_the_fields(void **state)
{
	struct uc3_ticket *t = uc3_ticket_new();
	struct uc3_buf b = UC3_BUF_INIT;
	long left = -1615;

	t->id = strdup("UC3-2026-0001");
	t->status = UC3_STATUS_ANSWERED;
	t->level = strdup("wakor");
	uc3_json_ticket_state(&b, t, "staf", &left);
	assert_string_equal(b.ptr,
			    "{\"id\":\"UC3-2026-0001\",\"status\":\"answered\",\"level\":"
			    "\"wakor\",\"events\":[],\"holder\":\"staf\",\"left_minutes\":-1615}");
	/* closed: nobody holds it, and no minutes */
	uc3_buf_reset(&b);
	t->status = UC3_STATUS_CLOSED;
	uc3_json_ticket_state(&b, t, NULL, NULL);
	assert_string_equal(b.ptr, "{\"id\":\"UC3-2026-0001\",\"status\":\"closed\",\"level\":"
				   "\"wakor\",\"events\":[],\"holder\":null}");
	/* the file's fields alone, as before */
	uc3_buf_reset(&b);
	uc3_json_ticket(&b, t);
	assert_string_equal(b.ptr, "{\"id\":\"UC3-2026-0001\",\"status\":\"closed\",\"level\":"
				   "\"wakor\",\"events\":[]}");
	uc3_buf_release(&b);
	uc3_ticket_free(t);
}

static void
ticket_lists_its_attachments_after_the_answer(void **state)
{
	struct uc3_ticket *t = uc3_ticket_new();
	struct uc3_attachment *a;
	struct uc3_buf b = UC3_BUF_INIT;

	t->id = uc3_xstrdup("UC3-2026-0001");
	t->answer = uc3_xstrdup("ok");
	uc3_json_ticket(&b, t);
	assert_null(strstr(b.ptr, "attachments"));
	uc3_buf_reset(&b);
	a = uc3_ticket_add_attachment(t);
	a->name = uc3_xstrdup("surat \"asli\".pdf");
	a->type = uc3_xstrdup("application/pdf");
	a->size = 48213;
	a->blob = uc3_xstrdup("3b18e512dba79e4c8300dd08aeb37f8e728b8dad");
	uc3_json_ticket(&b, t);
	assert_string_equal(b.ptr,
			    "{\"id\":\"UC3-2026-0001\",\"status\":\"open\",\"answer\":\"ok\","
			    "\"attachments\":[{\"name\":\"surat \\\"asli\\\".pdf\","
			    "\"type\":\"application/pdf\",\"size\":48213,"
			    "\"blob\":\"3b18e512dba79e4c8300dd08aeb37f8e728b8dad\"}],"
			    "\"events\":[]}");
	uc3_buf_release(&b);
	uc3_ticket_free(t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(str_escapes_quotes_backslashes_and_line_breaks),
		cmocka_unit_test(str_escapes_every_c0_control),
		cmocka_unit_test(str_escapes_del_and_c1_controls),
		cmocka_unit_test(str_writes_bytes_that_are_not_utf8_as_replacement_characters),
		cmocka_unit_test(writer_puts_commas_between_members_only),
		cmocka_unit_test(writer_escapes_keys_and_values),
		cmocka_unit_test(writer_lines_puts_each_member_on_a_line),
		cmocka_unit_test(writer_spaced_as_person_list_writes_it),
		cmocka_unit_test(writer_ends_no_further_than_it_began),
		cmocka_unit_test(ticket_state_adds_holder_and_minutes_after_the_fields),
		cmocka_unit_test(ticket_lists_its_attachments_after_the_answer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
