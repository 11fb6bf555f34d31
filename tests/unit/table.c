#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "table.h"

/*
 * Aligned tables (lib/table.h): widths in display columns, headings,
 * right alignment, the last column unpadded or cut, lines under a row,
 * and control characters escaped.
 */

#define RENDERS(t, width, want)                                                                    \
	do {                                                                                       \
		struct uc3_buf b_ = UC3_BUF_INIT;                                                  \
		uc3_table_render(&b_, (t), (width));                                               \
		assert_string_equal(b_.ptr, want);                                                 \
		uc3_buf_release(&b_);                                                              \
	} while (0)

static void
columns_are_as_wide_as_their_widest_cell_and_the_last_is_not_padded(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 3);
	uc3_table_column(&t, 0, "ID", UC3_TABLE_LEFT, 0);
	uc3_table_column(&t, 1, "STATUS", UC3_TABLE_LEFT, 0);
	uc3_table_column(&t, 2, "SUBJECT", UC3_TABLE_LEFT, 0);
	uc3_table_add(&t, "UC3-1");
	uc3_table_add(&t, "open");
	uc3_table_add(&t, "a");
	uc3_table_add(&t, "UC3-22");
	uc3_table_add(&t, "answered");
	uc3_table_add(&t, "bb");
	assert_int_equal(uc3_table_rows(&t), 2);
	RENDERS(&t, 0,
		"ID      STATUS    SUBJECT\n"
		"UC3-1   open      a\n"
		"UC3-22  answered  bb\n");
	uc3_table_release(&t);
}

static void
widths_count_display_columns_not_bytes(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 2);
	uc3_table_add(&t, "\xe6\xbc\xa2\xe5\xad\x97"); /* two wide characters: 4 columns */
	uc3_table_add(&t, "x");
	uc3_table_add(&t, "n\xcc\x83o"); /* n, a combining tilde, o: 2 columns */
	uc3_table_add(&t, "y");
	uc3_table_add(&t, "abc");
	uc3_table_add(&t, "z");
	RENDERS(&t, 0,
		"\xe6\xbc\xa2\xe5\xad\x97  x\n"
		"n\xcc\x83o    y\n"
		"abc   z\n");
	uc3_table_release(&t);
}

static void
right_aligned_columns_are_padded_on_the_left(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 3);
	uc3_table_column(&t, 0, "N", UC3_TABLE_RIGHT, 0);
	uc3_table_column(&t, 1, "NAME", UC3_TABLE_LEFT, 0);
	uc3_table_column(&t, 2, "LEFT", UC3_TABLE_RIGHT, 0);
	uc3_table_add(&t, "1");
	uc3_table_add(&t, "a");
	uc3_table_add(&t, "5m");
	uc3_table_add(&t, "100");
	uc3_table_add(&t, "b");
	uc3_table_add(&t, "1h 5m");
	RENDERS(&t, 0,
		"  N  NAME   LEFT\n"
		"  1  a        5m\n"
		"100  b     1h 5m\n");
	uc3_table_release(&t);
}

static void
a_least_width_holds_when_cells_are_narrower(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 2);
	uc3_table_column(&t, 0, NULL, UC3_TABLE_LEFT, 6);
	uc3_table_add(&t, "ab");
	uc3_table_add(&t, "c");
	uc3_table_add(&t, "abcdefgh");
	uc3_table_add(&t, "d");
	RENDERS(&t, 0,
		"ab        c\n"
		"abcdefgh  d\n");
	uc3_table_release(&t);
}

static void
the_last_column_is_cut_to_the_width_never_a_character_in_half(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 2);
	uc3_table_column(&t, 0, "ID", UC3_TABLE_LEFT, 0);
	uc3_table_column(&t, 1, "SUBJECT", UC3_TABLE_LEFT, 0);
	uc3_table_add(&t, "1");
	uc3_table_add(&t, "abcdef");
	uc3_table_add(&t, "2");
	uc3_table_add(&t, "\xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2");
	/* 4 columns used by the first column and the gap: 5 left */
	RENDERS(&t, 9,
		"ID  SUBJE\n"
		"1   abcde\n"
		"2   \xe6\xbc\xa2\xe5\xad\x97\n");
	/* too narrow to cut anything: whole lines */
	RENDERS(&t, 3,
		"ID  SUBJECT\n"
		"1   abcdef\n"
		"2   \xe6\xbc\xa2\xe5\xad\x97\xe6\xbc\xa2\n");
	uc3_table_release(&t);
}

static void
cells_have_their_control_characters_escaped(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 2);
	uc3_table_add(&t, "a\x1b[2Jb");
	uc3_table_add(&t, "line\nbreak\x07");
	uc3_table_add(&t, NULL);
	uc3_table_add(&t, "x");
	RENDERS(&t, 0,
		"a\\x1b[2Jb  line break\\x07\n"
		"           x\n");
	uc3_table_release(&t);
}

static void
lines_after_a_row_are_printed_under_it_as_they_are(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 2);
	uc3_table_after(&t, "before any row: dropped");
	uc3_table_add(&t, "a");
	uc3_table_add(&t, "b");
	uc3_table_after(&t, "    a note that is much wider than the columns");
	uc3_table_after(&t, "    \tsecond");
	uc3_table_add(&t, "cc");
	uc3_table_add(&t, "d");
	RENDERS(&t, 0,
		"a   b\n"
		"    a note that is much wider than the columns\n"
		"    \tsecond\n"
		"cc  d\n");
	uc3_table_release(&t);
}

static void
a_short_last_row_and_an_empty_table(void **state)
{
	struct uc3_table t;

	uc3_table_init(&t, 3);
	RENDERS(&t, 0, "");
	uc3_table_add(&t, "a");
	uc3_table_add(&t, "b");
	uc3_table_add(&t, "c");
	uc3_table_add(&t, "dd");
	RENDERS(&t, 0,
		"a   b  c\n"
		"dd     \n");
	uc3_table_release(&t);
	/* headings alone */
	uc3_table_init(&t, 2);
	uc3_table_column(&t, 0, "A", UC3_TABLE_LEFT, 0);
	uc3_table_column(&t, 1, "B", UC3_TABLE_LEFT, 0);
	RENDERS(&t, 0, "A  B\n");
	uc3_table_release(&t);
}

static void
a_table_in_parts_keeps_its_widths_and_only_widens(void **state)
{
	struct uc3_table t;
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_table_init(&t, 2);
	uc3_table_column(&t, 0, "ID", UC3_TABLE_LEFT, 4);
	uc3_table_column(&t, 1, "SUBJECT", UC3_TABLE_LEFT, 0);
	uc3_table_add(&t, "a");
	uc3_table_add(&t, "one");
	uc3_table_render_part(&b, &t, 0, true);
	assert_string_equal(b.ptr, "ID    SUBJECT\n"
				   "a     one\n");
	assert_int_equal(uc3_table_rows(&t), 0);
	uc3_buf_reset(&b);
	/* No heading again; the width of the part before holds for a narrower cell. */
	uc3_table_add(&t, "b");
	uc3_table_add(&t, "two");
	uc3_table_render_part(&b, &t, 0, false);
	assert_string_equal(b.ptr, "b     two\n");
	uc3_buf_reset(&b);
	/* A wider cell widens its part and those after it, never the ones before. */
	uc3_table_add(&t, "c-wide");
	uc3_table_add(&t, "three");
	uc3_table_render_part(&b, &t, 0, false);
	uc3_table_add(&t, "d");
	uc3_table_add(&t, "four");
	uc3_table_render_part(&b, &t, 0, false);
	assert_string_equal(b.ptr, "c-wide  three\n"
				   "d       four\n");
	uc3_buf_release(&b);
	uc3_table_release(&t);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(
			columns_are_as_wide_as_their_widest_cell_and_the_last_is_not_padded),
		cmocka_unit_test(widths_count_display_columns_not_bytes),
		cmocka_unit_test(right_aligned_columns_are_padded_on_the_left),
		cmocka_unit_test(a_least_width_holds_when_cells_are_narrower),
		cmocka_unit_test(the_last_column_is_cut_to_the_width_never_a_character_in_half),
		cmocka_unit_test(cells_have_their_control_characters_escaped),
		cmocka_unit_test(lines_after_a_row_are_printed_under_it_as_they_are),
		cmocka_unit_test(a_short_last_row_and_an_empty_table),
		cmocka_unit_test(a_table_in_parts_keeps_its_widths_and_only_widens),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
