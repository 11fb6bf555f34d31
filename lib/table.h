#ifndef UC3_TABLE_H
#define UC3_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * A table of text in aligned columns, as uc3 list, overdue, log and
 * person list print them: columns two spaces apart, each as wide as its
 * widest cell in display width (uc3_utf8_width: a wide character counts
 * two columns), the last column not padded. Every cell is written on one
 * line with its control characters escaped (uc3_utf8_cell): cells quote
 * what ticket files and the policy hold, which a hand edit can fill with
 * anything. The table is rendered into a buffer; it never prints.
 *
 *	struct uc3_table t;
 *
 *	uc3_table_init(&t, 2);
 *	uc3_table_column(&t, 0, "ID", UC3_TABLE_LEFT, 0);
 *	uc3_table_column(&t, 1, "LEFT", UC3_TABLE_RIGHT, 0);
 *	uc3_table_add(&t, id);
 *	uc3_table_add(&t, left);
 *	uc3_table_render(&out, &t, 0);
 *	uc3_table_release(&t);
 */

enum uc3_table_align { UC3_TABLE_LEFT, UC3_TABLE_RIGHT };

struct uc3_table_col {
	const char *head; /* NULL: no heading */
	enum uc3_table_align align;
	size_t min; /* the least width */
};

struct uc3_table {
	size_t ncols;
	struct uc3_table_col *cols;
	struct uc3_buf *cells; /* row after row, ncols a row */
	size_t ncells, alloc;
	struct uc3_buf *after; /* per row: lines printed after it, as they are */
	size_t alloc_after;
};

/* A table of ncols columns (at least 1), left-aligned, without headings. */
void uc3_table_init(struct uc3_table *t, size_t ncols);
void uc3_table_release(struct uc3_table *t);

/*
 * Set column c: its heading (static text, printed as it is; a heading
 * row is printed when any column has one), its alignment and its least
 * width.
 */
void uc3_table_column(struct uc3_table *t, size_t c, const char *head, enum uc3_table_align align,
		      size_t min);

/* Append s as the next cell, row after row; NULL is an empty cell. */
void uc3_table_add(struct uc3_table *t, const char *s);
void
uc3_table_addf(struct uc3_table *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Append a line to be printed after the last row begun, outside the
 * columns and as it is (the caller escapes it): a note under an entry.
 */
void uc3_table_after(struct uc3_table *t, const char *line);

/* The number of rows begun. */
size_t uc3_table_rows(const struct uc3_table *t);

/*
 * Append the table to out, each line ending in a newline. With width
 * not 0, the last column is cut to what is left of width columns, never
 * a character in half. Nothing when the table has no rows and no
 * headings.
 */
void uc3_table_render(struct uc3_buf *out, const struct uc3_table *t, size_t width);

/*
 * For a table printed in parts, as it is made (a long list, streamed):
 * append the rows added since the last call (with the heading row first
 * when heads is true and a column has one), then drop them, so that
 * uc3_table_rows counts from 0 again. Each column is as wide as its least
 * width and its widest cell in this part; that width becomes its least
 * width for the parts after, so columns line up from part to part as long
 * as no later cell is wider, and widen from the part that has one (never
 * narrow). Set least widths that fit what is to come (uc3_table_column).
 */
void uc3_table_render_part(struct uc3_buf *out, struct uc3_table *t, size_t limit, bool heads);

#endif
