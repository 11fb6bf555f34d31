#include "strv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "xalloc.h"

struct dupent {
	const char *s;
	size_t i;
};

static int
dupcmp(const void *a, const void *b)
{
	const struct dupent *x = a, *y = b;
	int r = strcmp(x->s, y->s);

	if (r)
		return r;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
dupcasecmp(const void *a, const void *b)
{
	const struct dupent *x = a, *y = b;
	int r = strcasecmp(x->s, y->s);

	if (r)
		return r;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Small lists are checked pair by pair; large ones by sorting, so that a
 * file of 50,000 keys or list items costs n log n, not n squared.
 */
bool
uc3_strv_find_dup(char *const *s, size_t n, bool icase, size_t *first, size_t *dup)
{
	struct dupent *e;
	size_t i, j, best = SIZE_MAX, bestfirst = 0, runstart = 0;
	int (*cmp)(const char *, const char *) = icase ? strcasecmp : strcmp;

	if (n < 2)
		return false;
	if (n <= 16) {
		for (j = 1; j < n; j++)
			for (i = 0; i < j; i++)
				if (!cmp(s[i], s[j])) {
					*first = i;
					*dup = j;
					return true;
				}
		return false;
	}
	e = uc3_xcalloc(n, sizeof(*e));
	for (i = 0; i < n; i++) {
		e[i].s = s[i];
		e[i].i = i;
	}
	qsort(e, n, sizeof(*e), icase ? dupcasecmp : dupcmp);
	for (i = 1; i < n; i++) {
		if (cmp(e[i].s, e[i - 1].s) != 0) {
			runstart = i;
			continue;
		}
		/* Within a run the first entry is the earliest. */
		if (e[i].i < best) {
			best = e[i].i;
			bestfirst = e[runstart].i;
		}
	}
	free(e);
	if (best == SIZE_MAX)
		return false;
	*first = bestfirst;
	*dup = best;
	return true;
}

void
uc3_strv_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
uc3_strv_join(struct uc3_buf *out, char *const *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		uc3_buf_addf(out, "%s%s", i ? ", " : "", v[i]);
}
