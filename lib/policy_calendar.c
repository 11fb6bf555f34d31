#include "policy_read.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

/* The calendar of uc3.yaml: office hours by day, and holidays. */

static const char *const calendar_keys[] = { "hours", "holidays", NULL };

/* Indexed by tm_wday, as struct uc3_calendar is. */
static const char *const day_names[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };

/* "H:MM" or "HH:MM", 00:00 to 24:00, into minutes; advances *sp. */
static bool
parse_hhmm(const char **sp, int *out)
{
	const char *s = *sp;
	int h, m;

	if (!isdigit((unsigned char)s[0]))
		return false;
	h = s[0] - '0';
	s++;
	if (isdigit((unsigned char)s[0])) {
		h = h * 10 + (s[0] - '0');
		s++;
	}
	if (s[0] != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return false;
	m = (s[1] - '0') * 10 + (s[2] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return false;
	*out = h * 60 + m;
	*sp = s + 3;
	return true;
}

static int
rangecmp(const void *a, const void *b)
{
	const struct uc3_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/*
 * One day's "HH:MM-HH:MM[,HH:MM-HH:MM...]": sorted, overlaps refused,
 * ranges that touch merged, so the clock can walk them in order.
 */
static int
parse_day(struct ctx *c, const struct uc3_ynode *n, int wday)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_calendar *cal = &c->p->calendar;
	struct uc3_range *r;
	const char *s;
	size_t nr = 1, i, k;
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, day_names[wday])) < 0)
		return rc;
	for (s = n->str; *s; s++)
		if (*s == ',')
			nr++;
	r = uc3_xcalloc(nr, sizeof(*r));
	s = n->str;
	for (i = 0; i < nr; i++) {
		while (*s == ' ')
			s++;
		if (!parse_hhmm(&s, &r[i].start))
			goto bad;
		while (*s == ' ')
			s++;
		if (*s++ != '-')
			goto bad;
		while (*s == ' ')
			s++;
		if (!parse_hhmm(&s, &r[i].end))
			goto bad;
		while (*s == ' ')
			s++;
		if (*s != (i + 1 < nr ? ',' : '\0'))
			goto bad;
		s++;
		if (r[i].start >= r[i].end) {
			struct uc3_range a = r[i];

			free(r);
			return perr(c, n,
				    "calendar.hours.%s: range "
				    "%02d:%02d-%02d:%02d must end after it starts",
				    day_names[wday], a.start / 60, a.start % 60, a.end / 60,
				    a.end % 60);
		}
	}
	qsort(r, nr, sizeof(*r), rangecmp);
	for (i = 1, k = 0; i < nr; i++) {
		if (r[i].start < r[k].end) {
			struct uc3_range a = r[k], b = r[i];

			free(r);
			return perr(c, n,
				    "calendar.hours.%s: ranges "
				    "%02d:%02d-%02d:%02d and %02d:%02d-%02d:%02d overlap",
				    day_names[wday], a.start / 60, a.start % 60, a.end / 60,
				    a.end % 60, b.start / 60, b.start % 60, b.end / 60, b.end % 60);
		}
		if (r[i].start == r[k].end)
			r[k].end = r[i].end;
		else
			r[++k] = r[i];
	}
	cal->day[wday] = r;
	cal->nday[wday] = k + 1;
	return 0;
bad:
	free(r);
	return perr(c, n,
		    "calendar.hours.%s: bad time ranges %s (write "
		    "HH:MM-HH:MM, several separated by commas, within 00:00-24:00)",
		    day_names[wday], uc3_policy__quote(q, sizeof(q), n->str));
}

static int
parse_hours(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_calendar *cal = &c->p->calendar;
	unsigned line, col;
	size_t i, total = 0;
	int d, rc;

	if (n->type == UC3_YSCALAR) {
		if (strcmp(n->str, "always") != 0)
			return perr(c, n,
				    "calendar.hours must be `always` or a "
				    "mapping of days (mon..sun) to time ranges, not %s",
				    uc3_policy__quote(q, sizeof(q), n->str));
		cal->always = true;
		return 0;
	}
	if ((rc = uc3_policy__want_type(c, n, UC3_YMAP, "calendar.hours")) < 0)
		return rc;
	for (i = 0; i < n->n; i++) {
		for (d = 0; d < 7; d++)
			if (strcmp(n->keys[i], day_names[d]) == 0)
				break;
		if (d == 7) {
			uc3_policy__key_pos(n, i, &line, &col);
			return perr_at(c, line, col,
				       "unknown day %s in "
				       "calendar.hours (allowed: mon, tue, wed, thu, fri, "
				       "sat, sun)",
				       uc3_policy__quote(q, sizeof(q), n->keys[i]));
		}
		/* A day written as null is a day the office is closed. */
		if (uc3_ynode_is_null(n->items[i]))
			continue;
		if ((rc = parse_day(c, n->items[i], d)) < 0)
			return rc;
		total += cal->nday[d];
	}
	/* With no open hour at all no deadline could ever be reached. */
	if (total == 0)
		return perr(c, n,
			    "calendar.hours: no day has office hours "
			    "(use `hours: always` for 24/7)");
	return 0;
}

static bool
valid_date(const char *s, int *out)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	int y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1] + (m == 2 && leap))
		return false;
	*out = y * 10000 + m * 100 + d;
	return true;
}

static int
intcmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static int
parse_holidays(struct ctx *c, const struct uc3_ynode *seq)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_calendar *cal = &c->p->calendar;
	char **strs;
	size_t i, first, dup;
	int rc;

	if ((rc = uc3_policy__want_type(c, seq, UC3_YSEQ, "calendar.holidays")) < 0)
		return rc;
	if (seq->n == 0)
		return 0;
	if (cal->always)
		return perr(c, seq,
			    "calendar.holidays: with `hours: always` "
			    "every day counts; remove the holidays or list the hours");
	cal->holidays = uc3_xcalloc(seq->n, sizeof(*cal->holidays));
	strs = uc3_xcalloc(seq->n, sizeof(*strs));
	for (i = 0; i < seq->n; i++) {
		const struct uc3_ynode *h = seq->items[i];

		if ((rc = uc3_policy__want_type(c, h, UC3_YSCALAR, "a holiday")) < 0)
			goto out;
		if (!valid_date(h->str, &cal->holidays[i])) {
			rc = perr(c, h,
				  "calendar.holidays: %s is not a date "
				  "YYYY-MM-DD",
				  uc3_policy__quote(q, sizeof(q), h->str));
			goto out;
		}
		cal->nholidays = i + 1;
		strs[i] = h->str;
	}
	/* Same text, same date: valid_date allows no other spelling. */
	if (uc3_strv_find_dup(strs, seq->n, false, &first, &dup)) {
		rc = perr(c, seq->items[dup],
			  "calendar.holidays: %s is listed "
			  "twice (first at %u:%u)",
			  seq->items[dup]->str, seq->items[first]->line, seq->items[first]->col);
		goto out;
	}
	qsort(cal->holidays, cal->nholidays, sizeof(int), intcmp);
	rc = 0;
out:
	free(strs);
	return rc;
}

int
uc3_policy__parse_calendar(struct ctx *c, const struct uc3_ynode *map)
{
	const struct uc3_ynode *v;
	int rc;

	if ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "calendar")) < 0 ||
	    (rc = uc3_policy__check_keys(c, map, "calendar", calendar_keys)) < 0 ||
	    (rc = uc3_policy__need(c, map, "hours", "calendar", &v)) < 0 ||
	    (rc = parse_hours(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "holidays")) != NULL && (rc = parse_holidays(c, v)) < 0)
		return rc;
	return 0;
}
