#ifndef UC3_JSON_H
#define UC3_JSON_H

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

#endif
