#ifndef UC3_POLICY_READ_H
#define UC3_POLICY_READ_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"
#include "policy.h"
#include "strv.h"
#include "ydoc.h"

/*
 * Private to the policy module: what its files share to read uc3.yaml.
 * The module is policy.h's API over these files:
 *   policy.c           uc3_policy_parse (the top level, the chain and its
 *                      steps, the limits), uc3_policy_free, the look-ups
 *   policy_read.c      the reading helpers below: messages, keys, types,
 *                      one-line text, tokens
 *   policy_calendar.c  calendar: office hours and holidays
 *   policy_people.c    people, mail and notify
 *   policy_corrections.c  corrections: who may edit, reopen, close --as
 *   policy_units.c     units and their aliases; uc3_policy_unit and
 *                      uc3_policy_unit_resolve
 *   policy_write.c     uc3_policy_rewrite, uc3_policy_people_node
 * Every function here returns 0 or UC3_EPOLICY with
 * "name:line:column: what", as uc3_policy_parse does.
 */

/* The longest part of a value quoted in a message, in bytes. */
#define QUOTE_MAX 48

struct ctx {
	const char *name;     /* the file, in messages */
	struct uc3_policy *p; /* being filled */
};

/*
 * Copy s into dst (of size sz) between double quotes, with quotes,
 * backslashes and control characters escaped and long text cut at a
 * character boundary, so a value from the file can go into a one-line
 * message whatever it holds. Returns dst ("" when sz < 8).
 */
const char *uc3_policy__quote(char *dst, size_t sz, const char *s);

/* The message "name:line:col: what", and UC3_EPOLICY. */
#define perr_at(c, line, col, ...) uc3_error_at(UC3_EPOLICY, (c)->name, (line), (col), __VA_ARGS__)

/* The message goes at node n: where its value starts. */
#define perr(c, n, ...) perr_at((c), (n)->line, (n)->col, __VA_ARGS__)

/* Where key i of map is written (the map's place when not known). */
void uc3_policy__key_pos(const struct uc3_ynode *map, size_t i, unsigned *line, unsigned *col);

/*
 * Refuse any key of map not in allowed (NULL-terminated), naming the
 * allowed ones so the office can see a typo at once. where is "" at the
 * top level.
 */
int uc3_policy__check_keys(struct ctx *c, const struct uc3_ynode *map, const char *where,
			   const char *const *allowed);

/* The value of key, or NULL when it is absent or written as null. Borrowed. */
const struct uc3_ynode *uc3_policy__opt(const struct uc3_ynode *map, const char *key);

/*
 * The value of a required key in *out (borrowed). An explicit null counts
 * as missing but is reported where it stands.
 */
int uc3_policy__need(struct ctx *c, const struct uc3_ynode *map, const char *key, const char *where,
		     const struct uc3_ynode **out);

/* Refuse n unless it is of type t; what names it in the message. */
int uc3_policy__want_type(struct ctx *c, const struct uc3_ynode *n, enum uc3_ynode_type t,
			  const char *what);

/* A non-empty string of one line, copied to *out (free()). */
int uc3_policy__get_line(struct ctx *c, const struct uc3_ynode *n, const char *what, char **out);

/* [a-z0-9][a-z0-9_-]*, or with first_alpha [a-z][a-z0-9_-]*. */
bool uc3_policy__is_token(const char *s, bool first_alpha);

/* true or false, into *out. */
int uc3_policy__parse_bool(struct ctx *c, const struct uc3_ynode *n, const char *what, bool *out);

/*
 * A list of tokens (kinds, channels, a person's roles): non-empty, each
 * [a-z0-9][a-z0-9_-]*, no repeats. The strings are copied to *out
 * (freed with the policy).
 */
int uc3_policy__parse_tokens(struct ctx *c, const struct uc3_ynode *seq, const char *what,
			     char ***out, size_t *nout);

/* The sections in files of their own; each fills c->p. */
int uc3_policy__parse_calendar(struct ctx *c, const struct uc3_ynode *map);
int uc3_policy__parse_people(struct ctx *c, const struct uc3_ynode *seq);
int uc3_policy__parse_mail(struct ctx *c, const struct uc3_ynode *map);
int uc3_policy__parse_notify(struct ctx *c, const struct uc3_ynode *map);
int uc3_policy__parse_mail_in(struct ctx *c, const struct uc3_ynode *map);
void uc3_policy__free_mail_in(struct uc3_policy *p);
/* map NULL: the key is absent, and the defaults apply. Needs the roles. */
int uc3_policy__parse_corrections(struct ctx *c, const struct uc3_ynode *map);
int uc3_policy__parse_units(struct ctx *c, const struct uc3_ynode *seq);

/* Free p->units (uc3_policy_free). */
void uc3_policy__free_units(struct uc3_policy *p);

#endif
