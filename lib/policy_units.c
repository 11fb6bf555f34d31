#include "policy_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * The units of uc3.yaml, where tickets are addressed, and the look-up of
 * a unit as people type it. Names and aliases are compared without regard
 * to case and to blanks around them, so "keuangan " finds "Keuangan";
 * that is also why any two of them that compare equal are an error.
 */

static const char *const unit_keys[] = { "name", "aliases", NULL };

/* How many suggestions a "did you mean" may hold before the list is better. */
#define SUGGEST_MAX 3
/* Longer text is not compared letter by letter for a suggestion. */
#define SUGGEST_LEN 128

/* A one-line name or alias, without blanks around it, into *out (free()). */
static int
get_name(struct ctx *c, const struct uc3_ynode *n, const char *what, char **out)
{
	char *s;
	int rc;

	if ((rc = uc3_policy__get_line(c, n, what, &s)) < 0)
		return rc;
	*out = uc3_text_trim(s);
	free(s);
	if (*out == NULL)
		return perr(c, n, "%s must not be empty", what);
	return 0;
}

static int
parse_unit(struct ctx *c, const struct uc3_ynode *n, struct uc3_unit *u)
{
	const struct uc3_ynode *v;
	size_t i;
	int rc;

	if (n->type == UC3_YSCALAR)
		return get_name(c, n, _("a unit"), &u->name);
	if (n->type != UC3_YMAP)
		return perr(c, n,
			    "a unit must be a name or a mapping {name: NAME, aliases: [...]}");
	if ((rc = uc3_policy__check_keys(c, n, _("a unit"), unit_keys)) < 0 ||
	    (rc = uc3_policy__need(c, n, "name", "unit", &v)) < 0 ||
	    (rc = get_name(c, v, _("a unit's name"), &u->name)) < 0)
		return rc;
	if ((v = uc3_policy__opt(n, "aliases")) == NULL)
		return 0;
	if ((rc = uc3_policy__want_type(c, v, UC3_YSEQ, _("a unit's aliases"))) < 0)
		return rc;
	u->aliases = uc3_xcalloc(v->n ? v->n : 1, sizeof(*u->aliases));
	for (i = 0; i < v->n; i++) {
		if ((rc = get_name(c, v->items[i], _("an alias"), &u->aliases[i])) < 0)
			return rc;
		u->naliases = i + 1;
	}
	return 0;
}

/* Where the name or alias number k of the flat list stands in the file. */
static const struct uc3_ynode *
name_node(const struct uc3_ynode *seq, const struct uc3_policy *p, size_t k)
{
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		const struct uc3_ynode *n = seq->items[i];

		if (k == 0)
			return n->type == UC3_YMAP ? uc3_ynode_get(n, "name") : n;
		k--;
		if (k < p->units[i].naliases)
			return uc3_ynode_get(n, "aliases")->items[k];
		k -= p->units[i].naliases;
	}
	return seq;
}

int
uc3_policy__parse_units(struct ctx *c, const struct uc3_ynode *seq)
{
	struct uc3_policy *p = c->p;
	char **all;
	size_t i, j, n = 0, first, dup;
	int rc;

	if ((rc = uc3_policy__want_type(c, seq, UC3_YSEQ, "units")) < 0)
		return rc;
	if (seq->n == 0)
		return 0;
	p->units = uc3_xcalloc(seq->n, sizeof(*p->units));
	for (i = 0; i < seq->n; i++) {
		/* Counted first, so that the policy frees what one read. */
		p->nunits = i + 1;
		if ((rc = parse_unit(c, seq->items[i], &p->units[i])) < 0)
			return rc;
		n += 1 + p->units[i].naliases;
	}
	all = uc3_xcalloc(n, sizeof(*all));
	for (i = 0, n = 0; i < p->nunits; i++) {
		all[n++] = p->units[i].name;
		for (j = 0; j < p->units[i].naliases; j++)
			all[n++] = p->units[i].aliases[j];
	}
	rc = 0;
	if (uc3_strv_find_dup(all, n, true, &first, &dup)) {
		char q[QUOTE_MAX * 4 + 16];
		const struct uc3_ynode *f = name_node(seq, p, first);

		rc = perr(c, name_node(seq, p, dup),
			  "units: %s is given twice, as a name or an alias (first at %u:%u)",
			  uc3_policy__quote(q, sizeof(q), all[dup]), f->line, f->col);
	}
	free(all);
	return rc;
}

void
uc3_policy__free_units(struct uc3_policy *p)
{
	size_t i;

	for (i = 0; i < p->nunits; i++) {
		free(p->units[i].name);
		uc3_strv_free(p->units[i].aliases, p->units[i].naliases);
	}
	free(p->units);
}

/* s[0..len) equals name, without regard to ASCII case. */
static bool
same(const char *s, size_t len, const char *name)
{
	return strlen(name) == len && strncasecmp(s, name, len) == 0;
}

/* typed without the blanks around it: *len bytes from the result. */
static const char *
strip(const char *typed, size_t *len)
{
	size_t n;

	while (*typed == ' ' || *typed == '\t')
		typed++;
	n = strlen(typed);
	while (n && (typed[n - 1] == ' ' || typed[n - 1] == '\t'))
		n--;
	*len = n;
	return typed;
}

const char *
uc3_policy_unit(const struct uc3_policy *p, const char *typed)
{
	const char *s;
	size_t len, i, j;

	if (typed == NULL || p->nunits == 0)
		return NULL;
	s = strip(typed, &len);
	for (i = 0; i < p->nunits; i++) {
		if (same(s, len, p->units[i].name))
			return p->units[i].name;
		for (j = 0; j < p->units[i].naliases; j++)
			if (same(s, len, p->units[i].aliases[j]))
				return p->units[i].name;
	}
	return NULL;
}

static int
lower(int ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* The edit distance of a[0..m) and b, without regard to ASCII case. */
static size_t
distance(const char *a, size_t m, const char *b)
{
	size_t n = strlen(b), i, j, *row, d;

	row = uc3_xcalloc(n + 1, sizeof(*row));
	for (j = 0; j <= n; j++)
		row[j] = j;
	for (i = 1; i <= m; i++) {
		size_t diag = row[0];

		row[0] = i;
		for (j = 1; j <= n; j++) {
			size_t up = row[j];
			size_t best = diag + (lower((unsigned char)a[i - 1]) !=
					      lower((unsigned char)b[j - 1]));

			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			diag = up;
			row[j] = best;
		}
	}
	d = row[n];
	free(row);
	return d;
}

/* Whether s[0..len) is found in name, without regard to ASCII case. */
static bool
inside(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name), i;

	for (i = 0; len && i + len <= n; i++)
		if (strncasecmp(name + i, s, len) == 0)
			return true;
	return false;
}

/* Whether name is found in s[0..len), without regard to ASCII case. */
static bool
holds(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name), i;

	for (i = 0; i + n <= len; i++)
		if (strncasecmp(s + i, name, n) == 0)
			return true;
	return false;
}

/*
 * Whether what was typed is close to name: one letter in four at most
 * wrong (a typo), a part of the name of four letters or more
 * ("Perpustakaan" for "UPT Perpustakaan"), or the name and more
 * ("Perpustakaan Pusat").
 */
static bool
near(const char *s, size_t len, const char *name)
{
	size_t n = strlen(name), most = (len < n ? len : n) / 4;

	if (len >= 4 && inside(s, len, name))
		return true;
	if (n >= 4 && len > n && holds(s, len, name))
		return true;
	if (len > SUGGEST_LEN || n > SUGGEST_LEN)
		return false;
	return distance(s, len, name) <= (most ? most : 1);
}

int
uc3_policy_unit_resolve(char **out, const struct uc3_policy *p, const char *typed, const char *what)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_buf list = UC3_BUF_INIT;
	size_t close[SUGGEST_MAX], nclose = 0, len, i, j;
	const char *name, *s;
	bool too_many = false;
	int rc;

	*out = uc3_text_trim(typed);
	if (*out == NULL || p->nunits == 0)
		return 0;
	if ((name = uc3_policy_unit(p, *out)) != NULL) {
		free(*out);
		*out = uc3_xstrdup(name);
		return 0;
	}
	s = strip(typed, &len);
	for (i = 0; i < p->nunits; i++) {
		const struct uc3_unit *u = &p->units[i];
		bool is_near = near(s, len, u->name);

		for (j = 0; !is_near && j < u->naliases; j++)
			is_near = near(s, len, u->aliases[j]);
		if (!is_near)
			continue;
		if (nclose == SUGGEST_MAX)
			too_many = true;
		else
			close[nclose++] = i;
	}
	if (nclose && !too_many) {
		for (i = 0; i < nclose; i++)
			uc3_buf_addf(&list, "%s\"%s\"",
				     i == 0 ? ""
				     : i + 1 == nclose
					     /* TRANSLATORS: between the last two units of a
						"did you mean" list: "a", "b" or "c". */
					     ? _(" or ")
					     : ", ",
				     p->units[close[i]].name);
		rc = uc3_error_set(UC3_EINVAL, "%s %s is not a unit of uc3.yaml; did you mean %s?",
				   what, uc3_policy__quote(q, sizeof(q), *out), list.ptr);
	} else {
		for (i = 0; i < p->nunits; i++)
			uc3_buf_addf(&list, "%s%s", i ? ", " : "", p->units[i].name);
		rc = uc3_error_set(UC3_EINVAL, "%s %s is not a unit of uc3.yaml; the units are %s",
				   what, uc3_policy__quote(q, sizeof(q), *out), list.ptr);
	}
	uc3_buf_release(&list);
	free(*out);
	*out = NULL;
	return rc;
}
