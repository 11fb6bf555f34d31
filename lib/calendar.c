#include "calendar.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "xalloc.h"

/* Ten years of days without any working time mean the calendar has none. */
#define MAX_DAYS 3660

struct day {
	int y, m, d, wday;
	time_t midnight;
};

static int
cmp_int(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return (x > y) - (x < y);
}

/*
 * Local date arithmetic goes through mktime, after uc3_clock_local has
 * selected the zone, so days of 23 or 25 hours come out right.
 */
static time_t
local_at(const struct day *d, int minutes)
{
	struct tm tm = { 0 };

	tm.tm_year = d->y - 1900;
	tm.tm_mon = d->m - 1;
	tm.tm_mday = d->d;
	tm.tm_hour = minutes / 60;
	tm.tm_min = minutes % 60;
	tm.tm_isdst = -1;
	return mktime(&tm);
}

static int
day_of(struct day *out, time_t t, const char *tz)
{
	struct tm tm;
	int rc;

	if ((rc = uc3_clock_local(&tm, t, tz)) < 0)
		return rc;
	out->y = tm.tm_year + 1900;
	out->m = tm.tm_mon + 1;
	out->d = tm.tm_mday;
	out->wday = tm.tm_wday;
	out->midnight = local_at(out, 0);
	return 0;
}

static int
next_day(struct day *d, const char *tz)
{
	struct tm tm = { 0 };

	tm.tm_year = d->y - 1900;
	tm.tm_mon = d->m - 1;
	tm.tm_mday = d->d + 1;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	return day_of(d, mktime(&tm), tz);
}

static bool
is_holiday(const struct uc3_calendar *cal, const struct day *d)
{
	int key = d->y * 10000 + d->m * 100 + d->d;

	return cal->nholidays &&
	       bsearch(&key, cal->holidays, cal->nholidays, sizeof(int), cmp_int) != NULL;
}

/* The years noted without holidays, sorted; see uc3_calendar_unlisted. */
static int unlisted[UC3_CALENDAR_UNLISTED_MAX];
static size_t nunlisted;

/* Whether cal lists a holiday in year y. */
static bool
year_listed(const struct uc3_calendar *cal, int y)
{
	size_t lo = 0, hi = cal->nholidays;
	int first = y * 10000 + 101;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (cal->holidays[mid] < first)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < cal->nholidays && cal->holidays[lo] <= y * 10000 + 1231;
}

/*
 * Note the year of d when cal lists no holiday in it. *last is the year
 * checked last by this walk, so that each day costs a comparison.
 */
static void
note_year(const struct uc3_calendar *cal, const struct day *d, int *last)
{
	size_t i;

	if (d->y == *last)
		return;
	*last = d->y;
	if (cal->always || year_listed(cal, d->y))
		return;
	for (i = 0; i < nunlisted && unlisted[i] < d->y; i++)
		;
	if ((i < nunlisted && unlisted[i] == d->y) || nunlisted == UC3_CALENDAR_UNLISTED_MAX)
		return;
	memmove(unlisted + i + 1, unlisted + i, (nunlisted - i) * sizeof(*unlisted));
	unlisted[i] = d->y;
	nunlisted++;
}

size_t
uc3_calendar_unlisted(int *years, size_t max)
{
	size_t i;

	for (i = 0; i < nunlisted && i < max; i++)
		years[i] = unlisted[i];
	return nunlisted;
}

void
uc3_calendar_unlisted_clear(void)
{
	nunlisted = 0;
}

static bool
has_hours(const struct uc3_calendar *cal)
{
	int i;

	for (i = 0; i < 7; i++)
		if (cal->nday[i])
			return true;
	return false;
}

int
uc3_calendar_add(time_t *out, const struct uc3_calendar *cal, const char *tz, time_t start,
		 long seconds)
{
	struct day d;
	time_t t = start;
	long left = seconds;
	int n, rc, year = 0;

	if (!tz)
		tz = "UTC";
	if (cal->always) {
		*out = start + seconds;
		return 0;
	}
	if (!has_hours(cal))
		return uc3_error_set(UC3_EINVAL, "the calendar has no office hours");
	if ((rc = day_of(&d, t, tz)) < 0)
		return rc;
	for (n = 0; n < MAX_DAYS; n++) {
		note_year(cal, &d, &year);
		if (!is_holiday(cal, &d)) {
			size_t i;

			for (i = 0; i < cal->nday[d.wday]; i++) {
				time_t rs = local_at(&d, cal->day[d.wday][i].start);
				time_t re = local_at(&d, cal->day[d.wday][i].end);

				if (t >= re)
					continue;
				if (t < rs)
					t = rs;
				if (left <= re - t) {
					*out = t + left;
					return 0;
				}
				left -= (long)(re - t);
				t = re;
			}
		}
		if ((rc = next_day(&d, tz)) < 0)
			return rc;
		if (t < d.midnight)
			t = d.midnight;
	}
	return uc3_error_set(UC3_EINVAL, "the calendar has no office hours in ten years");
}

int
uc3_calendar_between(long *out, const struct uc3_calendar *cal, const char *tz, time_t a, time_t b)
{
	struct day d;
	long sum = 0;
	int rc, year = 0;

	if (!tz)
		tz = "UTC";
	if (b < a) {
		long back;

		if ((rc = uc3_calendar_between(&back, cal, tz, b, a)) < 0)
			return rc;
		*out = -back;
		return 0;
	}
	if (cal->always) {
		*out = (long)(b - a);
		return 0;
	}
	if ((rc = day_of(&d, a, tz)) < 0)
		return rc;
	while (d.midnight < b) {
		note_year(cal, &d, &year);
		if (!is_holiday(cal, &d)) {
			size_t i;

			for (i = 0; i < cal->nday[d.wday]; i++) {
				time_t rs = local_at(&d, cal->day[d.wday][i].start);
				time_t re = local_at(&d, cal->day[d.wday][i].end);

				if (rs < a)
					rs = a;
				if (re > b)
					re = b;
				if (re > rs)
					sum += (long)(re - rs);
			}
		}
		if ((rc = next_day(&d, tz)) < 0)
			return rc;
	}
	*out = sum;
	return 0;
}

static const time_t *sort_base;

static int
cmp_by_time(const void *a, const void *b)
{
	time_t x = sort_base[*(const size_t *)a], y = sort_base[*(const size_t *)b];

	return (x > y) - (x < y);
}

/*
 * Where an instant stands among the working days (days with office time)
 * of a sweep, numbered from 0: what uc3_calendar_spans needs of it as the
 * start of a span (k, p) and as its end (off, i and the two working days
 * up to it).
 */
struct wpos {
	long off;    /* business seconds from the origin of the sweep */
	long k;	     /* the working day the clock stands in: this one, or the next */
	long p;	     /* business seconds into day k before the instant */
	long i;	     /* the last working day begun by the instant; -1: none */
	long si, li; /* day i: business seconds from the origin to its opening, its length */
	long sp, lp; /* the same of the working day before i (0 when none) */
};

/* Every instant of t[0..n) placed in one sweep over the days they span. */
static int
place(struct wpos *out, const struct uc3_calendar *cal, const char *tz, const time_t *t, size_t n)
{
	struct day d;
	size_t *order, i, k = 0, most = 1;
	time_t *rs, *re;
	long w = 0, acc = 0, s1 = 0, l1 = 0, s2 = 0, l2 = 0;
	int rc = 0, year = 0;

	for (i = 0; i < 7; i++)
		if (cal->nday[i] > most)
			most = cal->nday[i];
	rs = uc3_xcalloc(most, sizeof(*rs));
	re = uc3_xcalloc(most, sizeof(*re));
	order = uc3_xcalloc(n, sizeof(*order));
	for (i = 0; i < n; i++)
		order[i] = i;
	sort_base = t;
	qsort(order, n, sizeof(*order), cmp_by_time);
	if ((rc = day_of(&d, t[order[0]], tz)) < 0)
		goto out;
	while (k < n) {
		struct day next = d;
		size_t nr = 0, r;
		long len = 0;

		if ((rc = next_day(&next, tz)) < 0)
			goto out;
		note_year(cal, &d, &year);
		if (!is_holiday(cal, &d)) {
			for (r = 0; r < cal->nday[d.wday]; r++, nr++) {
				rs[nr] = local_at(&d, cal->day[d.wday][r].start);
				re[nr] = local_at(&d, cal->day[d.wday][r].end);
				len += (long)(re[nr] - rs[nr]);
			}
		}
		for (; k < n && t[order[k]] < next.midnight; k++) {
			struct wpos *o = &out[order[k]];
			time_t x = t[order[k]];
			long part = 0;

			for (r = 0; r < nr; r++)
				if (x > rs[r])
					part += (long)((x < re[r] ? x : re[r]) - rs[r]);
			o->off = acc + part;
			if (len > 0) {
				o->i = w;
				o->si = acc;
				o->li = len;
				o->sp = w ? s1 : 0;
				o->lp = w ? l1 : 0;
				o->k = part < len ? w : w + 1;
				o->p = part < len ? part : 0;
			} else {
				o->i = w - 1;
				o->si = w ? s1 : 0;
				o->li = w ? l1 : 0;
				o->sp = w > 1 ? s2 : 0;
				o->lp = w > 1 ? l2 : 0;
				o->k = w;
				o->p = 0;
			}
		}
		if (len > 0) {
			s2 = s1;
			l2 = l1;
			s1 = acc;
			l1 = len;
			w++;
			acc += len;
		}
		d = next;
	}
out:
	free(order);
	free(rs);
	free(re);
	return rc;
}

int
uc3_calendar_offsets(long *out, const struct uc3_calendar *cal, const char *tz, const time_t *t,
		     size_t n)
{
	struct wpos *pos;
	time_t first;
	size_t i;
	int rc;

	if (!n)
		return 0;
	if (cal->always) {
		for (first = t[0], i = 1; i < n; i++)
			if (t[i] < first)
				first = t[i];
		for (i = 0; i < n; i++)
			out[i] = (long)(t[i] - first);
		return 0;
	}
	pos = uc3_xcalloc(n, sizeof(*pos));
	if ((rc = place(pos, cal, tz ? tz : "UTC", t, n)) == 0)
		for (i = 0; i < n; i++)
			out[i] = pos[i].off;
	free(pos);
	return rc;
}

/* The span from the instant placed at f to the one placed at g, not before it. */
static void
span_of(struct uc3_calendar_span *out, const struct wpos *f, const struct wpos *g)
{
	long y = g->off, p = f->p, j, anchor;

	out->total = y - f->off;
	out->days = 0;
	out->rest = 0;
	if (out->total <= 0) {
		out->total = 0;
		return;
	}
	/*
	 * Days on from f stand at p into each working day (or its closing).
	 * The last of them not after y is on day i, the one before it, or,
	 * with p 0 and y at the closing of day i, the next day's opening:
	 * the same business instant.
	 */
	anchor = g->si + (p < g->li ? p : g->li);
	if (anchor <= y && p == 0 && y == g->si + g->li) {
		j = g->i + 1;
		anchor = y;
	} else if (anchor <= y) {
		j = g->i;
	} else {
		j = g->i - 1;
		anchor = g->sp + (p < g->lp ? p : g->lp);
	}
	out->days = j - f->k;
	out->rest = y - anchor;
}

int
uc3_calendar_spans(struct uc3_calendar_span *out, const struct uc3_calendar *cal, const char *tz,
		   const time_t *from, const time_t *to, size_t n)
{
	struct wpos *pos;
	time_t *t;
	size_t i;
	int rc;

	if (!n)
		return 0;
	if (!tz)
		tz = "UTC";
	if (cal->always) {
		for (i = 0; i < n; i++) {
			long d = (long)(to[i] - from[i]);
			long mag = d < 0 ? -d : d;

			out[i].total = d;
			out[i].days = mag / 86400;
			out[i].rest = mag % 86400;
		}
		return 0;
	}
	t = uc3_xcalloc(2 * n, sizeof(*t));
	pos = uc3_xcalloc(2 * n, sizeof(*pos));
	/* Each span from its earlier instant: pos[2i] starts it, pos[2i+1] ends it. */
	for (i = 0; i < n; i++) {
		t[2 * i] = from[i] <= to[i] ? from[i] : to[i];
		t[2 * i + 1] = from[i] <= to[i] ? to[i] : from[i];
	}
	if ((rc = place(pos, cal, tz, t, 2 * n)) == 0)
		for (i = 0; i < n; i++) {
			span_of(&out[i], &pos[2 * i], &pos[2 * i + 1]);
			if (to[i] < from[i])
				out[i].total = -out[i].total;
		}
	free(t);
	free(pos);
	return rc;
}

int
uc3_calendar_span(struct uc3_calendar_span *out, const struct uc3_calendar *cal, const char *tz,
		  time_t from, time_t to)
{
	return uc3_calendar_spans(out, cal, tz, &from, &to, 1);
}

void
uc3_calendar_format_span(struct uc3_buf *out, const struct uc3_calendar_span *s)
{
	if (s->total < 0)
		uc3_buf_addch(out, '-');
	if (!s->days) {
		uc3_clock_format_duration(out, s->rest);
		return;
	}
	/* TRANSLATORS: office days (working days) in a span such as "3d 1h 25m". */
	uc3_buf_addf(out, _("%ldd"), s->days);
	if (s->rest >= 60) {
		uc3_buf_addch(out, ' ');
		uc3_clock_format_duration(out, s->rest);
	}
}

long
uc3_calendar_minutes(long seconds)
{
	return seconds >= 0 ? seconds / 60 : -((-(seconds + 1)) / 60) - 1;
}
