#include "reserve.h"

/*
 * reserved.yaml read and written (see reserve.h). The file is read
 * strictly, as a ticket is: a field uc3 does not write, or one it would
 * not write so, is an error naming its line and column, because a block
 * misread could give one number to two tickets.
 */

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "error.h"
#include "policy.h"
#include "utf8.h"
#include "xalloc.h"
#include "ydoc.h"

static const char *const fields[] = { "year", "first", "last", "clone", "by", "at" };

bool
uc3_reserve_clone_ok(const char *s)
{
	size_t i;

	for (i = 0; s && s[i]; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return s && i == 12;
}

/* A number of digits alone, at most max: true and *out. */
static bool
read_number(unsigned long *out, const char *s, unsigned long max)
{
	char *end;

	if (!*s || strspn(s, "0123456789") != strlen(s) || (s[0] == '0' && s[1]))
		return false;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return !errno && *out <= max;
}

static void
block_release(struct uc3_reserve_block *b)
{
	free(b->clone);
	free(b->by);
	free(b->at);
}

static int
read_block(struct uc3_reserve_block *b, const struct uc3_ynode *m, const char *name)
{
	const struct uc3_ynode *v[6];
	unsigned long year;
	time_t when;
	size_t i, j;

	if (m->type != UC3_YMAP)
		return uc3_error_at(UC3_EINVAL, name, m->line, m->col,
				    "a block is a map of year, first, last, clone, by and at");
	for (i = 0; i < m->n; i++) {
		for (j = 0; j < 6 && strcmp(m->keys[i], fields[j]); j++)
			;
		if (j == 6)
			return uc3_error_at(UC3_EINVAL, name,
					    m->key_line ? m->key_line[i] : m->line,
					    m->key_col ? m->key_col[i] : m->col,
					    "'%s' is not a field of a block (year, first, last, "
					    "clone, by, at)",
					    m->keys[i]);
	}
	for (j = 0; j < 6; j++) {
		v[j] = uc3_ynode_get(m, fields[j]);
		if (!v[j])
			return uc3_error_at(UC3_EINVAL, name, m->line, m->col,
					    "the block has no %s", fields[j]);
		if (v[j]->type != UC3_YSCALAR)
			return uc3_error_at(UC3_EINVAL, name, v[j]->line, v[j]->col,
					    "%s is not a single value", fields[j]);
	}
	if (!read_number(&year, v[0]->str, 9999) || year < 1970)
		return uc3_error_at(UC3_EINVAL, name, v[0]->line, v[0]->col,
				    "year '%s' is not a year from 1970 to 9999", v[0]->str);
	if (!read_number(&b->first, v[1]->str, ULONG_MAX) || !b->first)
		return uc3_error_at(UC3_EINVAL, name, v[1]->line, v[1]->col,
				    "first '%s' is not a ticket number", v[1]->str);
	if (!read_number(&b->last, v[2]->str, ULONG_MAX) || b->last < b->first)
		return uc3_error_at(UC3_EINVAL, name, v[2]->line, v[2]->col,
				    "last '%s' is not a ticket number from first (%lu) on",
				    v[2]->str, b->first);
	if (b->last - b->first >= UC3_OFFLINE_IDS_MAX)
		return uc3_error_at(UC3_EINVAL, name, v[2]->line, v[2]->col,
				    "the block %lu to %lu has %lu numbers; a block has 1 to %d",
				    b->first, b->last, b->last - b->first + 1, UC3_OFFLINE_IDS_MAX);
	if (!uc3_reserve_clone_ok(v[3]->str))
		return uc3_error_at(UC3_EINVAL, name, v[3]->line, v[3]->col,
				    "clone '%s' is not 12 hex digits (git config uc3.clone)",
				    v[3]->str);
	if (!*v[4]->str || uc3_text_check(v[4]->str, "by", UC3_TEXT_LINE) < 0) {
		uc3_error_clear();
		return uc3_error_at(UC3_EINVAL, name, v[4]->line, v[4]->col,
				    "by is not an email on one line");
	}
	if (uc3_clock_parse(&when, v[5]->str, NULL) < 0) {
		uc3_error_clear();
		return uc3_error_at(UC3_EINVAL, name, v[5]->line, v[5]->col,
				    "at '%s' is not an RFC 3339 timestamp", v[5]->str);
	}
	b->year = (int)year;
	b->clone = uc3_xstrdup(v[3]->str);
	b->by = uc3_xstrdup(v[4]->str);
	b->at = uc3_xstrdup(v[5]->str);
	return 0;
}

int
uc3_reserve_parse(struct uc3_reserve *out, const char *data, size_t len, const char *name)
{
	struct uc3_ynode *root = NULL;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = uc3_ydoc_parse(&root, data, len, name, UC3_RESERVE_FILE_MAX)) < 0)
		return rc;
	if (root->type != UC3_YSEQ) {
		rc = uc3_error_at(UC3_EINVAL, name, root->line, root->col,
				  "not a list of blocks of ticket numbers");
		goto out;
	}
	for (i = 0; i < root->n; i++) {
		struct uc3_reserve_block b = { 0 };

		if ((rc = read_block(&b, root->items[i], name)) < 0) {
			block_release(&b);
			uc3_reserve_release(out);
			goto out;
		}
		uc3_xgrow((void **)&out->blocks, &out->alloc, out->n + 1, sizeof(*out->blocks));
		out->blocks[out->n++] = b;
	}
out:
	uc3_ynode_free(root);
	return rc;
}

void
uc3_reserve_release(struct uc3_reserve *r)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		block_release(&r->blocks[i]);
	free(r->blocks);
	memset(r, 0, sizeof(*r));
}

void
uc3_reserve_header(struct uc3_buf *out)
{
	uc3_buf_adds(out,
		     "# Ticket numbers set aside for tickets registered while the central\n"
		     "# repository cannot be reached: numbers first..last of year, for the\n"
		     "# clone whose git config uc3.clone is clone, set aside by `by` at `at`.\n"
		     "# Only uc3 writes this file, one block a line, never changing one;\n"
		     "# uc3 verify checks it.\n");
}

/* s double-quoted: it is one line without controls, so only " and \ need escapes. */
static void
add_quoted(struct uc3_buf *out, const char *s)
{
	uc3_buf_addch(out, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			uc3_buf_addch(out, '\\');
		uc3_buf_addch(out, *s);
	}
	uc3_buf_addch(out, '"');
}

int
uc3_reserve_format_block(struct uc3_buf *out, const struct uc3_reserve_block *b)
{
	time_t when;

	if (!uc3_reserve_clone_ok(b->clone))
		return uc3_error_set(UC3_EINVAL, "clone '%s' is not 12 hex digits",
				     b->clone ? b->clone : "");
	if (!b->by || !*b->by || uc3_text_check(b->by, "by", UC3_TEXT_LINE) < 0)
		return uc3_error_set(UC3_EINVAL, "'%s' is not an email on one line",
				     b->by ? b->by : "");
	if (!b->at || uc3_clock_parse(&when, b->at, NULL) < 0)
		return uc3_error_set(UC3_EINVAL, "'%s' is not an RFC 3339 timestamp",
				     b->at ? b->at : "");
	if (b->year < 1970 || b->year > 9999 || !b->first || b->last < b->first)
		return uc3_error_set(UC3_EINVAL, "%d %lu..%lu is not a block of ticket numbers",
				     b->year, b->first, b->last);
	uc3_buf_addf(out, "- {year: %d, first: %lu, last: %lu, clone: \"%s\", by: ", b->year,
		     b->first, b->last, b->clone);
	add_quoted(out, b->by);
	uc3_buf_addf(out, ", at: \"%s\"}\n", b->at);
	return 0;
}

unsigned long
uc3_reserve_top(const struct uc3_reserve *r, int year)
{
	unsigned long top = 0;
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->blocks[i].year == year && r->blocks[i].last > top)
			top = r->blocks[i].last;
	return top;
}

const struct uc3_reserve_block *
uc3_reserve_holding(const struct uc3_reserve *r, int year, unsigned long num)
{
	size_t i;

	for (i = 0; i < r->n; i++)
		if (r->blocks[i].year == year && num >= r->blocks[i].first &&
		    num <= r->blocks[i].last)
			return &r->blocks[i];
	return NULL;
}
