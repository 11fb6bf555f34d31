#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "utf8.h"

/* Sizes without the NUL, so embedded NULs count as input too. */
#define VALID(lit) uc3_utf8_valid((lit), sizeof(lit) - 1, NULL)

static void
assert_bad_at(const char *s, size_t len, size_t want)
{
	size_t bad = 999;

	if (uc3_utf8_valid(s, len, &bad))
		fail_msg("bytes accepted, want bad at %zu", want);
	assert_int_equal(bad, want);
}

static void
valid_accepts_ascii_and_empty(void **state)
{
	assert_true(VALID(""));
	assert_true(VALID("UC3-2026-0042: keluhan"));
	assert_true(uc3_utf8_valid(NULL, 0, NULL));
}

static void
valid_accepts_multibyte_characters(void **state)
{
	assert_true(VALID("caf\xc3\xa9"));		/* U+00E9 */
	assert_true(VALID("\xe2\x82\xac"));		/* U+20AC */
	assert_true(VALID("\xe6\x97\xa5\xe6\x9c\xac")); /* CJK */
	assert_true(VALID("\xf0\x9f\x98\x80"));		/* U+1F600 */
}

static void
valid_accepts_range_edges(void **state)
{
	assert_true(VALID("\x7f"));		/* U+007F */
	assert_true(VALID("\xc2\x80"));		/* U+0080 */
	assert_true(VALID("\xdf\xbf"));		/* U+07FF */
	assert_true(VALID("\xe0\xa0\x80"));	/* U+0800 */
	assert_true(VALID("\xed\x9f\xbf"));	/* U+D7FF */
	assert_true(VALID("\xee\x80\x80"));	/* U+E000 */
	assert_true(VALID("\xef\xbf\xbf"));	/* U+FFFF */
	assert_true(VALID("\xf0\x90\x80\x80")); /* U+10000 */
	assert_true(VALID("\xf4\x8f\xbf\xbf")); /* U+10FFFF */
}

static void
valid_accepts_embedded_nul(void **state)
{
	assert_true(VALID("a\0b"));
}

static void
valid_rejects_overlongs(void **state)
{
	assert_bad_at("\xc0\x80", 2, 0);
	assert_bad_at("\xc1\xbf", 2, 0);
	assert_bad_at("\xe0\x80\x80", 3, 0);
	assert_bad_at("\xe0\x9f\xbf", 3, 0);
	assert_bad_at("\xf0\x80\x80\x80", 4, 0);
	assert_bad_at("\xf0\x8f\xbf\xbf", 4, 0);
}

static void
valid_rejects_surrogates(void **state)
{
	assert_bad_at("\xed\xa0\x80", 3, 0); /* U+D800 */
	assert_bad_at("\xed\xbf\xbf", 3, 0); /* U+DFFF */
	assert_bad_at("ok\xed\xb0\x80", 5, 2);
}

static void
valid_rejects_above_10ffff(void **state)
{
	assert_bad_at("\xf4\x90\x80\x80", 4, 0); /* U+110000 */
	assert_bad_at("\xf5\x80\x80\x80", 4, 0);
	assert_bad_at("\xf5", 1, 0);
	assert_bad_at("\xff", 1, 0);
	assert_bad_at("\xfe", 1, 0);
}

static void
valid_rejects_truncated_sequences(void **state)
{
	assert_bad_at("\xe2\x82", 2, 0);
	assert_bad_at("abc\xe2\x82", 5, 3);
	assert_bad_at("\xc3", 1, 0);
	assert_bad_at("\xf0\x9f\x98", 3, 0);
	/* Cut short by the length, though the byte after is fine. */
	assert_bad_at("\xe2\x82\xac", 2, 0);
}

static void
valid_rejects_interrupted_sequences(void **state)
{
	assert_bad_at("\xe2\x82x", 3, 0);
	assert_bad_at("\xc3(", 2, 0);
	assert_bad_at("\xf0\x9f\x98(", 4, 0);
}

static void
valid_rejects_lone_continuation_bytes(void **state)
{
	assert_bad_at("\x80", 1, 0);
	assert_bad_at("a\xbf", 2, 1);
	assert_bad_at("\xc3\xa9\xa9", 3, 2);
}

static void
valid_reports_first_bad_offset(void **state)
{
	assert_bad_at("caf\xc3\xa9 \xc0\x80 \xff", 10, 6);
}

static void
valid_leaves_bad_unset_when_valid(void **state)
{
	size_t bad = 999;

	assert_true(uc3_utf8_valid("abc", 3, &bad));
	assert_int_equal(bad, 999);
}

static void
width_counts_code_points(void **state)
{
	assert_int_equal(uc3_utf8_width(""), 0);
	assert_int_equal(uc3_utf8_width("abc"), 3);
	assert_int_equal(uc3_utf8_width("caf\xc3\xa9"), 4);
	assert_int_equal(uc3_utf8_width("\xe2\x82\xac"
					"5"),
			 2);
}

static void
width_counts_wide_characters_as_two(void **state)
{
	assert_int_equal(uc3_utf8_width("\xe6\x97\xa5\xe6\x9c\xac"), 4);
	assert_int_equal(uc3_utf8_width("\xea\xb0\x80"), 2);	 /* U+AC00 */
	assert_int_equal(uc3_utf8_width("\xe1\x84\x80"), 2);	 /* U+1100 */
	assert_int_equal(uc3_utf8_width("\xef\xbc\xa1"), 2);	 /* U+FF21 */
	assert_int_equal(uc3_utf8_width("\xef\xbf\xa0"), 2);	 /* U+FFE0 */
	assert_int_equal(uc3_utf8_width("\xf0\xa0\x80\x80"), 2); /* U+20000 */
	assert_int_equal(uc3_utf8_width("a\xe6\x97\xa5"
					"b"),
			 4);
}

static void
width_keeps_neighbours_of_wide_ranges_narrow(void **state)
{
	assert_int_equal(uc3_utf8_width("\xe1\x85\xa0"), 1);	 /* U+1160 */
	assert_int_equal(uc3_utf8_width("\xed\x9e\xa4"), 1);	 /* U+D7A4 */
	assert_int_equal(uc3_utf8_width("\xef\xbd\xa1"), 1);	 /* U+FF61 */
	assert_int_equal(uc3_utf8_width("\xf0\x9f\x98\x80"), 1); /* U+1F600 */
}

static void
width_counts_combining_marks_as_zero(void **state)
{
	/* "e" + U+0301 COMBINING ACUTE ACCENT */
	assert_int_equal(uc3_utf8_width("e\xcc\x81"), 1);
	assert_int_equal(uc3_utf8_width("\xcc\x80\xcd\xaf"), 0);
}

static void
width_counts_control_characters_as_zero(void **state)
{
	assert_int_equal(uc3_utf8_width("a\tb\n"), 2);
	assert_int_equal(uc3_utf8_width("\x7f"), 0);
	assert_int_equal(uc3_utf8_width("\xc2\x85"), 0); /* U+0085 */
	assert_int_equal(uc3_utf8_width("\xc2\xa0"), 1); /* U+00A0 */
}

static void
width_counts_each_invalid_byte_as_one(void **state)
{
	assert_int_equal(uc3_utf8_width("\xff"), 1);
	assert_int_equal(uc3_utf8_width("\xe2\x82"), 2);
	assert_int_equal(uc3_utf8_width("a\xc0\x80"
					"b"),
			 4);
}

static void
fit_returns_whole_string_when_it_fits(void **state)
{
	assert_int_equal(uc3_utf8_fit("abc", 3), 3);
	assert_int_equal(uc3_utf8_fit("abc", 10), 3);
	assert_int_equal(uc3_utf8_fit("", 0), 0);
	assert_int_equal(uc3_utf8_fit("", 5), 0);
}

static void
fit_cuts_ascii_at_cols(void **state)
{
	assert_int_equal(uc3_utf8_fit("abcdef", 4), 4);
	assert_int_equal(uc3_utf8_fit("abc", 0), 0);
}

static void
fit_never_splits_a_character(void **state)
{
	/* "caf\xc3\xa9!" : the e-acute is two bytes, one column. */
	assert_int_equal(uc3_utf8_fit("caf\xc3\xa9!", 3), 3);
	assert_int_equal(uc3_utf8_fit("caf\xc3\xa9!", 4), 5);
	assert_int_equal(uc3_utf8_fit("\xf0\x9f\x98\x80x", 1), 4);
}

static void
fit_leaves_out_a_wide_character_that_half_fits(void **state)
{
	/* Two CJK characters: 2 columns, 3 bytes each. */
	assert_int_equal(uc3_utf8_fit("\xe6\x97\xa5\xe6\x9c\xac", 1), 0);
	assert_int_equal(uc3_utf8_fit("\xe6\x97\xa5\xe6\x9c\xac", 2), 3);
	assert_int_equal(uc3_utf8_fit("\xe6\x97\xa5\xe6\x9c\xac", 3), 3);
	assert_int_equal(uc3_utf8_fit("\xe6\x97\xa5\xe6\x9c\xac", 4), 6);
	assert_int_equal(uc3_utf8_fit("a\xe6\x97\xa5", 2), 1);
}

static void
fit_keeps_combining_marks_with_their_base(void **state)
{
	assert_int_equal(uc3_utf8_fit("e\xcc\x81x", 1), 3);
	assert_int_equal(uc3_utf8_fit("ae\xcc\x81", 1), 1);
}

static void
fit_steps_over_invalid_bytes_one_by_one(void **state)
{
	assert_int_equal(uc3_utf8_fit("\xe2\x82"
				      "abc",
				      1),
			 1);
	assert_int_equal(uc3_utf8_fit("\xe2\x82"
				      "abc",
				      3),
			 3);
}

static void
fit_agrees_with_width(void **state)
{
	static const char *samples[] = {
		"Keluhan pembayaran UKT",
		"caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac e\xcc\x81 \xf0\x9f\x98\x80",
		"\xea\xb0\x80\xea\xb0\x81\xea\xb0\x82 ok",
	};
	size_t i, cols;

	for (i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
		size_t w = uc3_utf8_width(samples[i]);

		assert_int_equal(uc3_utf8_fit(samples[i], w), strlen(samples[i]));
		for (cols = 0; cols <= w; cols++) {
			size_t n = uc3_utf8_fit(samples[i], cols);
			char *prefix = strndup(samples[i], n);

			assert_non_null(prefix);
			assert_true(uc3_utf8_width(prefix) <= cols);
			assert_true(uc3_utf8_valid(prefix, n, NULL));
			free(prefix);
		}
	}
}

/* uc3_utf8_escape of s in mode; free() the result. */
static char *
escaped(const char *s, enum uc3_utf8_mode mode)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_buf_adds(&b, "[");
	uc3_utf8_escape(&b, s, mode);
	uc3_buf_adds(&b, "]");
	return uc3_buf_detach(&b);
}

#define ESCAPES(s, mode, want)                                                                     \
	do {                                                                                       \
		char *got_ = escaped((s), (mode));                                                 \
		assert_string_equal(got_, "[" want "]");                                           \
		free(got_);                                                                        \
	} while (0)

static void
escape_writes_every_control_character_as_hex(void **state)
{
	static const enum uc3_utf8_mode modes[] = { UC3_UTF8_MESSAGE, UC3_UTF8_LINE,
						    UC3_UTF8_TEXT };
	size_t i;

	for (i = 0; i < 3; i++) {
		/* OSC 52 (the clipboard), CSI 2J (clear the screen) */
		ESCAPES("a\x1b]52;c;aGk=\x07"
			"b",
			modes[i], "a\\x1b]52;c;aGk=\\x07b");
		ESCAPES("\x1b[2J\x7f\x01\x08", modes[i], "\\x1b[2J\\x7f\\x01\\x08");
		/* C1 as its code: U+009B is CSI, U+0085 NEL */
		ESCAPES("a\xc2\x9b"
			"2Jb\xc2\x85",
			modes[i], "a\\x9b2Jb\\x85");
		/* bytes that are not UTF-8, which a Latin-1 terminal would take for C1 */
		ESCAPES("\x9b"
			"2J\xff\xe2\x82",
			modes[i], "\\x9b2J\\xff\\xe2\\x82");
		/* everything else as it is */
		ESCAPES("Café — 日本 🙂 \xc2\xa0 \\x1b", modes[i],
			"Café — 日本 🙂 \xc2\xa0 \\x1b");
	}
}

static void
escape_lays_out_as_its_mode_says(void **state)
{
	ESCAPES("a\r\nb\tc", UC3_UTF8_MESSAGE, "a\\x0d\\x0ab\\x09c");
	ESCAPES("a\r\nb\tc", UC3_UTF8_LINE, "a  b c");
	ESCAPES("a\r\nb\tc\n", UC3_UTF8_TEXT, "a\\x0d\nb\tc\n");
	/* the cell and text forms */
	{
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_utf8_cell(&b, "x\ny\x1b");
		uc3_utf8_text(&b, "|x\ny\x1b");
		uc3_utf8_cell(&b, NULL);
		assert_string_equal(b.ptr, "x y\\x1b|x\ny\\x1b");
		uc3_buf_release(&b);
	}
}

static void
escape_gives_text_that_width_and_fit_can_measure(void **state)
{
	char *s = escaped("\x1b[31mrot\x9b", UC3_UTF8_LINE);

	/* "[\x1b[31mrot\x9b]": every byte printable and counted */
	assert_int_equal(uc3_utf8_width(s), strlen(s));
	free(s);
}

/* Every line break YAML 1.1, a mail header or a commit trailer knows. */
static const char *const breaks[] = {
	"a\nb",
	"a\rb",
	"a\xC2\x85"
	"b",
	"a\xE2\x80\xA8"
	"b",
	"a\xE2\x80\xA9"
	"b",
};

static void
text_check_refuses_every_line_break_in_one_line(void **state)
{
	size_t i;

	for (i = 0; i < sizeof(breaks) / sizeof(breaks[0]); i++) {
		assert_int_equal(uc3_text_check(breaks[i], "unit", UC3_TEXT_LINE), UC3_EINVAL);
		assert_string_equal(uc3_error_last(), "unit contains a line break");
		assert_int_equal(uc3_text_check(breaks[i], "--from", UC3_TEXT_UNBROKEN),
				 UC3_EINVAL);
		assert_string_equal(uc3_error_last(), "--from contains a line break");
	}
	/* A break is named as one even after another control character. */
	assert_int_equal(uc3_text_check("a\x1b\xE2\x80\xA8", "unit", UC3_TEXT_LINE), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "unit contains a line break");
}

static void
text_check_unbroken_lets_other_control_characters_through(void **state)
{
	assert_int_equal(uc3_text_check("Bagian \x1b[2J\tKeuangan \xC2\x9B", "unit",
					UC3_TEXT_UNBROKEN),
			 0);
	assert_int_equal(uc3_text_check("a\x7f", "unit", UC3_TEXT_LINE), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "unit contains a control character (U+007F)");
	assert_int_equal(uc3_text_check("a\xC2\x9B", "unit", UC3_TEXT_LINE), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "unit contains a control character (U+009B)");
	assert_int_equal(uc3_text_check("a \xFF", "--from", UC3_TEXT_UNBROKEN), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "invalid UTF-8 in --from");
}

static void
text_check_lines_keep_lf_and_tab_and_separators(void **state)
{
	/* U+2028 in a body is text; the YAML writer quotes it. */
	assert_int_equal(uc3_text_check("a\n\tb\xE2\x80\xA8"
					"c\n",
					"body", UC3_TEXT_LINES),
			 0);
	assert_int_equal(uc3_text_check("a\nb\nc\xC2\x85", "body", UC3_TEXT_LINES), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "body contains a control character (U+0085) on line 3");
	assert_int_equal(uc3_text_check("a\r\n", "body", UC3_TEXT_LINES), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "body contains a control character (U+000D) on line 1");
}

static void
excerpt_cuts_at_the_first_line_and_a_character(void **state)
{
	char buf[8];

	assert_string_equal(uc3_utf8_excerpt(buf, sizeof(buf), "abc"), "abc");
	assert_string_equal(uc3_utf8_excerpt(buf, sizeof(buf), "ab\ncd"), "ab...");
	assert_string_equal(uc3_utf8_excerpt(buf, sizeof(buf), "abcdefgh"), "abcd...");
	/* é is two bytes: cutting at 4 would split the second one. */
	assert_string_equal(uc3_utf8_excerpt(buf, sizeof(buf), "a\xC3\xA9\xC3\xA9x"),
			    "a\xC3\xA9...");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(valid_accepts_ascii_and_empty),
		cmocka_unit_test(valid_accepts_multibyte_characters),
		cmocka_unit_test(valid_accepts_range_edges),
		cmocka_unit_test(valid_accepts_embedded_nul),
		cmocka_unit_test(valid_rejects_overlongs),
		cmocka_unit_test(valid_rejects_surrogates),
		cmocka_unit_test(valid_rejects_above_10ffff),
		cmocka_unit_test(valid_rejects_truncated_sequences),
		cmocka_unit_test(valid_rejects_interrupted_sequences),
		cmocka_unit_test(valid_rejects_lone_continuation_bytes),
		cmocka_unit_test(valid_reports_first_bad_offset),
		cmocka_unit_test(valid_leaves_bad_unset_when_valid),
		cmocka_unit_test(width_counts_code_points),
		cmocka_unit_test(width_counts_wide_characters_as_two),
		cmocka_unit_test(width_keeps_neighbours_of_wide_ranges_narrow),
		cmocka_unit_test(width_counts_combining_marks_as_zero),
		cmocka_unit_test(width_counts_control_characters_as_zero),
		cmocka_unit_test(escape_writes_every_control_character_as_hex),
		cmocka_unit_test(escape_lays_out_as_its_mode_says),
		cmocka_unit_test(escape_gives_text_that_width_and_fit_can_measure),
		cmocka_unit_test(width_counts_each_invalid_byte_as_one),
		cmocka_unit_test(fit_returns_whole_string_when_it_fits),
		cmocka_unit_test(fit_cuts_ascii_at_cols),
		cmocka_unit_test(fit_never_splits_a_character),
		cmocka_unit_test(fit_leaves_out_a_wide_character_that_half_fits),
		cmocka_unit_test(fit_keeps_combining_marks_with_their_base),
		cmocka_unit_test(fit_steps_over_invalid_bytes_one_by_one),
		cmocka_unit_test(fit_agrees_with_width),
		cmocka_unit_test(text_check_refuses_every_line_break_in_one_line),
		cmocka_unit_test(text_check_unbroken_lets_other_control_characters_through),
		cmocka_unit_test(text_check_lines_keep_lf_and_tab_and_separators),
		cmocka_unit_test(excerpt_cuts_at_the_first_line_and_a_character),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
