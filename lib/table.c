#include "table.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "utf8.h"
#include "xalloc.h"

void
uc3_table_init(struct uc3_table *t, size_t ncols)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols ? ncols : 1;
	t->cols = uc3_xcalloc(t->ncols, sizeof(*t->cols));
}

void
uc3_table_release(struct uc3_table *t)
{
	size_t i;

	for (i = 0; i < t->ncells; i++)
		uc3_buf_release(&t->cells[i]);
	for (i = 0; i < uc3_table_rows(t); i++)
		uc3_buf_release(&t->after[i]);
	free(t->cells);
	free(t->after);
	free(t->cols);
	memset(t, 0, sizeof(*t));
}

void
uc3_table_column(struct uc3_table *t, size_t c, const char *head, enum uc3_table_align align,
		 size_t min)
{
	if (c >= t->ncols)
		return;
	t->cols[c].head = head;
	t->cols[c].align = align;
	t->cols[c].min = min;
}

size_t
uc3_table_rows(const struct uc3_table *t)
{
	return (t->ncells + t->ncols - 1) / t->ncols;
}

void
uc3_table_add(struct uc3_table *t, const char *s)
{
	size_t rows;

	uc3_xgrow((void **)&t->cells, &t->alloc, t->ncells + 1, sizeof(*t->cells));
	uc3_buf_init(&t->cells[t->ncells]);
	uc3_utf8_cell(&t->cells[t->ncells], s ? s : "");
	/* The first cell of a row: its lines after. */
	if (t->ncells++ % t->ncols == 0) {
		rows = uc3_table_rows(t);
		uc3_xgrow((void **)&t->after, &t->alloc_after, rows, sizeof(*t->after));
		uc3_buf_init(&t->after[rows - 1]);
	}
}

void
uc3_table_addf(struct uc3_table *t, const char *fmt, ...)
{
	struct uc3_buf b = UC3_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	uc3_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	uc3_table_add(t, b.ptr);
	uc3_buf_release(&b);
}

void
uc3_table_after(struct uc3_table *t, const char *line)
{
	size_t rows = uc3_table_rows(t);

	if (!rows)
		return;
	uc3_buf_adds(&t->after[rows - 1], line);
	uc3_buf_addch(&t->after[rows - 1], '\n');
}

static void
spaces(struct uc3_buf *out, size_t n)
{
	while (n--)
		uc3_buf_addch(out, ' ');
}

/* One line of cells; a missing cell (a short last row) is empty. */
static void
render_line(struct uc3_buf *out, const struct uc3_table *t, const char *const *cell,
	    const size_t *width, size_t limit)
{
	size_t c, used = 0;

	for (c = 0; c < t->ncols; c++) {
		const char *s = cell[c] ? cell[c] : "";
		size_t w = uc3_utf8_width(s);
		size_t pad = w < width[c] ? width[c] - w : 0;
		bool right = t->cols[c].align == UC3_TABLE_RIGHT;

		if (right)
			spaces(out, pad);
		if (c == t->ncols - 1) {
			used += right ? pad : 0;
			if (limit && used < limit)
				uc3_buf_add(out, s, uc3_utf8_fit(s, limit - used));
			else
				uc3_buf_adds(out, s);
			break;
		}
		uc3_buf_adds(out, s);
		if (!right)
			spaces(out, pad);
		uc3_buf_adds(out, "  ");
		used += w + pad + 2;
	}
	uc3_buf_addch(out, '\n');
}

/* Render t into out with the widths of its columns in width (ncols, filled here). */
static void
render(struct uc3_buf *out, const struct uc3_table *t, size_t limit, bool heads_wanted,
       size_t *width)
{
	const char **line = uc3_xcalloc(t->ncols, sizeof(*line));
	size_t rows = uc3_table_rows(t), r, c;
	bool heads = false;

	for (c = 0; c < t->ncols; c++) {
		width[c] = t->cols[c].min;
		if (t->cols[c].head) {
			heads = true;
			if (uc3_utf8_width(t->cols[c].head) > width[c])
				width[c] = uc3_utf8_width(t->cols[c].head);
		}
	}
	for (r = 0; r < t->ncells; r++) {
		size_t w = uc3_utf8_width(t->cells[r].ptr);

		if (w > width[r % t->ncols])
			width[r % t->ncols] = w;
	}
	if (heads && heads_wanted) {
		for (c = 0; c < t->ncols; c++)
			line[c] = t->cols[c].head;
		render_line(out, t, line, width, limit);
	}
	for (r = 0; r < rows; r++) {
		for (c = 0; c < t->ncols; c++)
			line[c] = r * t->ncols + c < t->ncells ? t->cells[r * t->ncols + c].ptr
							       : NULL;
		render_line(out, t, line, width, limit);
		uc3_buf_add(out, t->after[r].ptr, t->after[r].len);
	}
	free(line);
}

void
uc3_table_render(struct uc3_buf *out, const struct uc3_table *t, size_t limit)
{
	size_t *width = uc3_xcalloc(t->ncols, sizeof(*width));

	render(out, t, limit, true, width);
	free(width);
}

void
uc3_table_render_part(struct uc3_buf *out, struct uc3_table *t, size_t limit, bool heads)
{
	size_t *width = uc3_xcalloc(t->ncols, sizeof(*width));
	size_t i, c;

	render(out, t, limit, heads, width);
	/* What the next part starts from: columns never narrow. */
	for (c = 0; c < t->ncols; c++)
		t->cols[c].min = width[c];
	free(width);
	for (i = 0; i < t->ncells; i++)
		uc3_buf_release(&t->cells[i]);
	for (i = 0; i < uc3_table_rows(t); i++)
		uc3_buf_release(&t->after[i]);
	t->ncells = 0;
}
