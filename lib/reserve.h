#ifndef UC3_RESERVE_H
#define UC3_RESERVE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

/*
 * reserved.yaml, at the top of the records beside uc3.yaml: the blocks of
 * ticket numbers set aside for tickets registered while the central
 * repository cannot be reached (DESIGN section 3, "Ticket ids"). Each
 * block is numbers first..last of a year, for the clone whose git
 * configuration has uc3.clone set to `clone` (12 hex digits), set aside
 * by the person `by` at `at` (RFC 3339). Only uc3 writes the file, and
 * only by appending one block, one line:
 *
 *   - {year: 2026, first: 101, last: 120, clone: "0123456789ab",
 *      by: "humas1@unej.ac.id", at: "2026-12-02T09:00:00+07:00"}
 *
 * (one line in the file). This module reads and writes it; where the
 * numbers go is the records' (records.h) and the audit's business.
 */

#define UC3_RESERVE_FILE     "reserved.yaml"
#define UC3_RESERVE_FILE_MAX (8 * 1024 * 1024)

struct uc3_reserve_block {
	int year;
	unsigned long first, last;
	char *clone; /* 12 lowercase hex digits */
	char *by;    /* an email */
	char *at;    /* RFC 3339, as written */
};

struct uc3_reserve {
	struct uc3_reserve_block *blocks; /* in the order of the file */
	size_t n, alloc;
};

#define UC3_RESERVE_INIT                                                                           \
	{                                                                                          \
		NULL, 0, 0                                                                         \
	}

/*
 * Read data[0..len) (name in messages) into *out (released first by
 * nothing: pass an empty one; uc3_reserve_release). A sequence of blocks,
 * each a map of exactly year, first, last, clone, by and at: year a
 * number from 1970 to 9999, 1 <= first <= last, at most
 * UC3_OFFLINE_IDS_MAX numbers (policy.h) a block, clone 12 lowercase hex
 * digits, by one line, at an RFC 3339 time. Errors: UC3_EINVAL,
 * "reserved.yaml:3:14: ...". Nothing is kept on error.
 */
int uc3_reserve_parse(struct uc3_reserve *out, const char *data, size_t len, const char *name);

void uc3_reserve_release(struct uc3_reserve *r);

/* Append the comment that starts the file: what it is, and that uc3 writes it. */
void uc3_reserve_header(struct uc3_buf *out);

/*
 * Append block b as one line of the file (see above). UC3_EINVAL, nothing
 * appended, when a field could not be read back (a clone that is not 12
 * hex digits, by or at empty or not one line).
 */
int uc3_reserve_format_block(struct uc3_buf *out, const struct uc3_reserve_block *b);

/* The highest last of the blocks of year, 0 when it has none. */
unsigned long uc3_reserve_top(const struct uc3_reserve *r, int year);

/* The block of year that holds num, or NULL. Borrowed from r. */
const struct uc3_reserve_block *
uc3_reserve_holding(const struct uc3_reserve *r, int year, unsigned long num);

/* True when s is a clone's id: 12 lowercase hex digits. */
bool uc3_reserve_clone_ok(const char *s);

#endif
