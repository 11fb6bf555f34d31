#include "policy_read.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
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

/* Days since 1970-01-01 of a date yyyymmdd, and back (proleptic Gregorian). */
static long
days_of(int ymd)
{
	long y = ymd / 10000, m = ymd / 100 % 100, d = ymd % 100, era, yoe, doy;

	y -= m <= 2;
	era = y / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	return era * 146097 + yoe * 365 + yoe / 4 - yoe / 100 + doy - 719468;
}

static int
date_of(long days)
{
	long z = days + 719468, era = z / 146097, doe = z - era * 146097;
	long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
	long d = doy - (153 * mp + 2) / 5 + 1, m = mp + (mp < 10 ? 3 : -9);
	long y = yoe + era * 400 + (m <= 2);

	return (int)(y * 10000 + m * 100 + d);
}

/* The longest range of holidays, in days: a year (a typo in a year is caught). */
#define RANGE_MAX 366

static const char *const holiday_keys[] = { "date", "from", "to", "name", NULL };

/* A date of a holiday entry into *out; what names it ("calendar.holidays.from"). */
static int
holiday_date(struct ctx *c, const struct uc3_ynode *n, const char *what, int *out)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (!valid_date(n->str, out))
		return perr(c, n, "%s: %s is not a date YYYY-MM-DD", what,
			    uc3_policy__quote(q, sizeof(q), n->str));
	return 0;
}

/*
 * One entry of calendar.holidays: a date, {date: D, name: N} or
 * {from: D, to: D, name: N}; the days from *from to *to, both included.
 */
static int
parse_holiday(struct ctx *c, const struct uc3_ynode *h, int *from, int *to)
{
	const struct uc3_ynode *d, *f, *t, *v;
	char *name;
	int rc;

	if (h->type == UC3_YSCALAR) {
		if ((rc = holiday_date(c, h, "calendar.holidays", from)) < 0)
			return rc;
		*to = *from;
		return 0;
	}
	if (h->type != UC3_YMAP)
		return perr(c, h,
			    "calendar.holidays: a holiday must be a date YYYY-MM-DD, "
			    "{date: YYYY-MM-DD, name: ...} or "
			    "{from: YYYY-MM-DD, to: YYYY-MM-DD, name: ...}");
	if ((rc = uc3_policy__check_keys(c, h, _("a holiday"), holiday_keys)) < 0)
		return rc;
	d = uc3_ynode_get(h, "date");
	f = uc3_ynode_get(h, "from");
	t = uc3_ynode_get(h, "to");
	if (d && (f || t))
		return perr(c, h,
			    "calendar.holidays: a holiday has a date, or from and to, "
			    "not both");
	if (d) {
		if ((rc = holiday_date(c, d, "calendar.holidays.date", from)) < 0)
			return rc;
		*to = *from;
	} else if (f && t) {
		if ((rc = holiday_date(c, f, "calendar.holidays.from", from)) < 0 ||
		    (rc = holiday_date(c, t, "calendar.holidays.to", to)) < 0)
			return rc;
		if (*to < *from)
			return perr(c, t,
				    "calendar.holidays: the range ends (%s) before it starts (%s)",
				    t->str, f->str);
		if (days_of(*to) - days_of(*from) >= RANGE_MAX)
			return perr(c, t,
				    "calendar.holidays: the range %s to %s is longer than %d days",
				    f->str, t->str, RANGE_MAX);
	} else {
		return perr(c, h, "calendar.holidays: a holiday needs a date, or from and to");
	}
	/* The name is for the people reading the file; it only has to read. */
	if ((v = uc3_policy__opt(h, "name")) != NULL) {
		if ((rc = uc3_policy__get_line(c, v, _("a holiday's name"), &name)) < 0)
			return rc;
		free(name);
	}
	return 0;
}

/*
 * Holidays as entries of one day or ranges of days; the calendar gets
 * every day they cover, sorted, each once. Ranges may overlap other
 * entries (a national holiday inside a run of cuti bersama), but the same
 * entry twice is an error, as a sign of a list pasted twice.
 */
static int
parse_holidays(struct ctx *c, const struct uc3_ynode *seq)
{
	struct uc3_calendar *cal = &c->p->calendar;
	char **keys;
	int *from, *to;
	size_t i, k, ndays = 0, first, dup;
	long day;
	int rc;

	if ((rc = uc3_policy__want_type(c, seq, UC3_YSEQ, "calendar.holidays")) < 0)
		return rc;
	if (seq->n == 0)
		return 0;
	if (cal->always)
		return perr(c, seq,
			    "calendar.holidays: with `hours: always` "
			    "every day counts; remove the holidays or list the hours");
	from = uc3_xcalloc(seq->n, sizeof(*from));
	to = uc3_xcalloc(seq->n, sizeof(*to));
	keys = uc3_xcalloc(seq->n, sizeof(*keys));
	for (i = 0; i < seq->n; i++) {
		char key[64];

		if ((rc = parse_holiday(c, seq->items[i], &from[i], &to[i])) < 0)
			goto out;
		if (from[i] == to[i])
			snprintf(key, sizeof(key), "%04d-%02d-%02d", from[i] / 10000,
				 from[i] / 100 % 100, from[i] % 100);
		else
			snprintf(key, sizeof(key), "%04d-%02d-%02d to %04d-%02d-%02d",
				 from[i] / 10000, from[i] / 100 % 100, from[i] % 100, to[i] / 10000,
				 to[i] / 100 % 100, to[i] % 100);
		keys[i] = uc3_xstrdup(key);
		ndays += (size_t)(days_of(to[i]) - days_of(from[i]) + 1);
	}
	if (uc3_strv_find_dup(keys, seq->n, false, &first, &dup)) {
		rc = perr(c, seq->items[dup],
			  "calendar.holidays: %s is listed twice (first at %u:%u)", keys[dup],
			  seq->items[first]->line, seq->items[first]->col);
		goto out;
	}
	cal->holidays = uc3_xcalloc(ndays, sizeof(*cal->holidays));
	for (i = 0, k = 0; i < seq->n; i++)
		for (day = days_of(from[i]); day <= days_of(to[i]); day++)
			cal->holidays[k++] = date_of(day);
	qsort(cal->holidays, k, sizeof(int), intcmp);
	for (i = 0, ndays = 0; i < k; i++)
		if (ndays == 0 || cal->holidays[ndays - 1] != cal->holidays[i])
			cal->holidays[ndays++] = cal->holidays[i];
	cal->nholidays = ndays;
	rc = 0;
out:
	uc3_strv_free(keys, seq->n);
	free(from);
	free(to);
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
