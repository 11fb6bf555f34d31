#ifndef UC3_JSON_H
#define UC3_JSON_H

#include <stdbool.h>
#include <stddef.h>

#include <time.h>

#include "buf.h"
#include "ticket.h"
#include "ydoc.h"

/*
 * JSON output for scripts: the same names and nesting as the YAML files
 * (DESIGN section 4). Strings are escaped per RFC 8259; "late" is a
 * boolean; absent fields are left out.
 */

/*
 * Append s as a JSON string, or null when s is NULL. Control characters
 * are escaped (C0 as RFC 8259 requires, DEL and C1 as \u007f, \u0080...),
 * and each byte that is not part of well-formed UTF-8 becomes \ufffd.
 */
void uc3_json_str(struct uc3_buf *out, const char *s);

/* Append a YAML node: scalars as strings, maps as objects, sequences as arrays. */
void uc3_json_ynode(struct uc3_buf *out, const struct uc3_ynode *n);

/* Append one ticket as a JSON object on one line (no newline). */
void uc3_json_ticket(struct uc3_buf *out, const struct uc3_ticket *t);

/*
 * Append one ticket as uc3_json_ticket does, and after the file's fields
 * where it stands now: "holder", the role that must act next (holder
 * NULL: null, nobody), and, when left_minutes is not NULL,
 * "left_minutes", the business minutes left in its step (negative: late).
 * What `uc3 list` and `uc3 show` print.
 */
void uc3_json_ticket_state(struct uc3_buf *out, const struct uc3_ticket *t, const char *holder,
			   const long *left_minutes);

/* uc3_json_ticket_state with the holder and the minutes left at now under policy p. */
void uc3_json_ticket_at(struct uc3_buf *out, const struct uc3_ticket *t, const struct uc3_policy *p,
			time_t now);

/*
 * A writer of objects and arrays: it puts the commas, the colons and the
 * escapes, so that a tool only says what goes where.
 *
 *	struct uc3_json j;
 *
 *	uc3_json_init(&j, &out, 0);
 *	uc3_json_object(&j, NULL, 0);
 *	uc3_json_put_string(&j, "id", id);
 *	uc3_json_array(&j, "people", 0);
 *	uc3_json_put_string(&j, NULL, email);
 *	uc3_json_end(&j);
 *	uc3_json_end(&j);		-> {"id":"...","people":["..."]}
 *
 * Each put_ and begin takes the member's key inside an object, NULL
 * inside an array (or for the value at the top).
 */
#define UC3_JSON_DEPTH 16

enum {
	/* Writer: ", " and ": " rather than "," and ":". */
	UC3_JSON_SPACED = 1 << 0,
	/*
	 * Container: each member on a line of its own ("[\n{...},\n{...}\n]",
	 * "[]" when empty), as the tools print arrays of records; with
	 * UC3_JSON_SPACED each such line starts with a space.
	 */
	UC3_JSON_LINES = 1 << 1
};

struct uc3_json {
	struct uc3_buf *out;
	unsigned flags;
	size_t depth;
	struct {
		char close; /* '}' or ']' */
		unsigned flags;
		size_t n; /* members so far */
	} stack[UC3_JSON_DEPTH];
};

/* Write to out (appended to); flags: UC3_JSON_SPACED. */
void uc3_json_init(struct uc3_json *j, struct uc3_buf *out, unsigned flags);

/*
 * Begin a member (key in an object, NULL in an array): the comma before
 * it, the key. The caller then appends exactly one value to j->out
 * (uc3_json_str, uc3_json_ticket...).
 */
void uc3_json_key(struct uc3_json *j, const char *key);

/* Begin an object or an array as the next member; flags: UC3_JSON_LINES. */
void uc3_json_object(struct uc3_json *j, const char *key, unsigned flags);
void uc3_json_array(struct uc3_json *j, const char *key, unsigned flags);
/* End the innermost object or array. */
void uc3_json_end(struct uc3_json *j);

/* A string member; s NULL is null. */
void uc3_json_put_string(struct uc3_json *j, const char *key, const char *s);
/* A string member, left out when s is NULL. */
void uc3_json_put_maybe(struct uc3_json *j, const char *key, const char *s);
void uc3_json_put_long(struct uc3_json *j, const char *key, long v);
void uc3_json_put_bool(struct uc3_json *j, const char *key, bool v);
void uc3_json_put_null(struct uc3_json *j, const char *key);

#endif
