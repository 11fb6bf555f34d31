#include "policy_read.h"

#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * Copy s into dst (of size sz) between double quotes, with quotes,
 * backslashes and control characters escaped and long text cut at a
 * character boundary, so a value from the file can go into a one-line
 * message whatever it holds.
 */
const char *
uc3_policy__quote(char *dst, size_t sz, const char *s)
{
	size_t i = 0, n = 0;

	if (sz < 8)
		return "";
	dst[i++] = '"';
	for (; s[n] != '\0'; n++) {
		unsigned char ch = (unsigned char)s[n];

		if (n >= QUOTE_MAX || i + 8 >= sz) {
			/* Do not leave half a UTF-8 sequence behind. */
			while (i > 1 && ((unsigned char)dst[i - 1] & 0xC0) == 0x80)
				i--;
			if (i > 1 && ((unsigned char)dst[i - 1] & 0xC0) == 0xC0)
				i--;
			memcpy(dst + i, "...", 3);
			i += 3;
			break;
		}
		if (ch == '"' || ch == '\\') {
			dst[i++] = '\\';
			dst[i++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7f) {
			i += (size_t)snprintf(dst + i, sz - i, "\\x%02x", ch);
		} else {
			dst[i++] = (char)ch;
		}
	}
	dst[i++] = '"';
	dst[i] = '\0';
	return dst;
}

void
uc3_policy__key_pos(const struct uc3_ynode *map, size_t i, unsigned *line, unsigned *col)
{
	if (map->key_line && map->key_col) {
		*line = map->key_line[i];
		*col = map->key_col[i];
	} else {
		*line = map->line;
		*col = map->col;
	}
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/*
 * Refuse any key of map not in allowed, naming the allowed ones so the
 * office can see a typo at once. where is "" at the top level.
 */
int
uc3_policy__check_keys(struct ctx *c, const struct uc3_ynode *map, const char *where,
		       const char *const *allowed)
{
	char q[QUOTE_MAX * 4 + 16], list[512];
	unsigned line, col;
	size_t i, off = 0;

	for (i = 0; i < map->n; i++) {
		const char *const *a;

		if (in_list(allowed, map->keys[i]))
			continue;
		list[0] = '\0';
		for (a = allowed; *a; a++)
			off += (size_t)snprintf(list + off, sizeof(list) - off, "%s%s",
						a == allowed ? "" : ", ", *a);
		uc3_policy__key_pos(map, i, &line, &col);
		if (!*where)
			return perr_at(c, line, col, "unknown key %s (allowed: %s)",
				       uc3_policy__quote(q, sizeof(q), map->keys[i]), list);
		return perr_at(c, line, col, "unknown key %s in %s (allowed: %s)",
			       uc3_policy__quote(q, sizeof(q), map->keys[i]), where, list);
	}
	return 0;
}

/* The value of key, or NULL when it is absent or written as null. */
const struct uc3_ynode *
uc3_policy__opt(const struct uc3_ynode *map, const char *key)
{
	const struct uc3_ynode *n = uc3_ynode_get(map, key);

	if (n == NULL || uc3_ynode_is_null(n))
		return NULL;
	return n;
}

/*
 * The entries whose required keys need() names by what they are, not by
 * a key of uc3.yaml: these words are translated, the keys are not.
 */
static const char *const where_words[] = {
	/* TRANSLATORS: "missing required key "id" in role": an entry of roles. */
	N_("role"),
	/* TRANSLATORS: "missing required key "email" in person": an entry of people. */
	N_("person"),
	/* TRANSLATORS: "missing required key "name" in unit": an entry of units. */
	N_("unit"),
	NULL,
};

/*
 * The value of a required key. An explicit null counts as missing but is
 * reported where it stands, which is easier to find than the map.
 */
int
uc3_policy__need(struct ctx *c, const struct uc3_ynode *map, const char *key, const char *where,
		 const struct uc3_ynode **out)
{
	const struct uc3_ynode *n = uc3_ynode_get(map, key);

	if (n == NULL && !*where)
		return perr(c, map, "missing required key \"%s\"", key);
	if (n == NULL)
		return perr(c, map, "missing required key \"%s\" in %s", key,
			    in_list(where_words, where) ? _(where) : where);
	if (uc3_ynode_is_null(n))
		return perr(c, n, "%s%s%s needs a value", where, *where ? "." : "", key);
	*out = n;
	return 0;
}

int
uc3_policy__want_type(struct ctx *c, const struct uc3_ynode *n, enum uc3_ynode_type t,
		      const char *what)
{
	if (n->type == t)
		return 0;
	switch (t) {
	case UC3_YSCALAR:
		return perr(c, n, "%s must be a string", what);
	case UC3_YSEQ:
		return perr(c, n, "%s must be a sequence (a list)", what);
	default:
		return perr(c, n, "%s must be a mapping (key: value)", what);
	}
}

static bool
blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* A non-empty, single-line string, copied to *out (free()). */
int
uc3_policy__get_line(struct ctx *c, const struct uc3_ynode *n, const char *what, char **out)
{
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (blank(n->str))
		return perr(c, n, "%s must not be empty", what);
	/* It goes into a message, a header or a commit trailer. */
	if (uc3_text_check(n->str, what, UC3_TEXT_LINE) < 0)
		return perr(c, n, "%s must be one line of text", what);
	*out = uc3_xstrdup(n->str);
	return 0;
}

/* [a-z0-9][a-z0-9_-]*, or with first_alpha [a-z][a-z0-9_-]*. */
bool
uc3_policy__is_token(const char *s, bool first_alpha)
{
	const char *t;

	if (!(*s >= 'a' && *s <= 'z') && (first_alpha || !(*s >= '0' && *s <= '9')))
		return false;
	for (t = s + 1; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') || *t == '_' ||
		      *t == '-'))
			return false;
	return true;
}

int
uc3_policy__parse_bool(struct ctx *c, const struct uc3_ynode *n, const char *what, bool *out)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (strcmp(n->str, "true") == 0)
		*out = true;
	else if (strcmp(n->str, "false") == 0)
		*out = false;
	else
		return perr(c, n, "%s must be true or false, not %s", what,
			    uc3_policy__quote(q, sizeof(q), n->str));
	return 0;
}

/*
 * A list of tokens (kinds, channels, a person's roles): non-empty, each
 * [a-z0-9][a-z0-9_-]*, no repeats. The strings are copied to *out.
 */
int
uc3_policy__parse_tokens(struct ctx *c, const struct uc3_ynode *seq, const char *what, char ***out,
			 size_t *nout)
{
	char q[QUOTE_MAX * 4 + 16];
	char **v;
	size_t i, first, dup;
	int rc;

	if ((rc = uc3_policy__want_type(c, seq, UC3_YSEQ, what)) < 0)
		return rc;
	if (seq->n == 0)
		return perr(c, seq, "%s must list at least one entry", what);
	v = uc3_xcalloc(seq->n, sizeof(*v));
	*out = v;
	for (i = 0; i < seq->n; i++) {
		const struct uc3_ynode *t = seq->items[i];

		if ((rc = uc3_policy__want_type(c, t, UC3_YSCALAR, _("an entry"))) < 0)
			return rc;
		if (!uc3_policy__is_token(t->str, false))
			return perr(c, t,
				    "%s: %s must be one lower-case word: "
				    "[a-z0-9][a-z0-9_-]*",
				    what, uc3_policy__quote(q, sizeof(q), t->str));
		v[i] = uc3_xstrdup(t->str);
		*nout = i + 1;
	}
	if (uc3_strv_find_dup(v, seq->n, false, &first, &dup))
		return perr(c, seq->items[dup],
			    "%s: \"%s\" is listed twice "
			    "(first at %u:%u)",
			    what, v[dup], seq->items[first]->line, seq->items[first]->col);
	return 0;
}
