#include "clock.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "error.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"

#define EXAMPLE_TIME  "2026-11-28T09:00:00+07:00"
#define EXAMPLE_LOCAL "2026-11-28 09:00"
#define ZONEINFO_DIR  "/usr/share/zoneinfo"

/*
 * The zone TZ was last set to by set_zone(), so that a run of calls in one
 * zone (a report over a thousand tickets) pays for tzset() once.
 */
static char *current_zone;

/*
 * The hour of current_zone last converted, [hour, hour + 3600), when its
 * offset was the same at both ends (no change of offset within it): an
 * instant in it is converted by adding that offset, without the zone
 * rules (glibc reads a zone's rule text again on every call past its
 * last listed change, which is every date of today). set_zone() forgets it.
 */
static struct {
	bool ok;
	time_t hour;
	long gmtoff;
	int isdst;
	const char *abbr;
} hour_memo;

/*
 * Append s to out for an error message: at most 64 bytes (cut on a UTF-8
 * character boundary) and with control bytes escaped, so that a hostile
 * value can neither flood the message nor break it over several lines.
 */
static void
quote(struct uc3_buf *out, const char *s)
{
	size_t n = strlen(s);
	size_t i;

	if (n > 64) {
		n = 64;
		while (n > 0 && ((unsigned char)s[n] & 0xc0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c < 0x20 || c == 0x7f)
			uc3_buf_addf(out, "\\x%02x", c);
		else
			uc3_buf_addch(out, (char)c);
	}
	if (n < strlen(s))
		uc3_buf_adds(out, "...");
}

/*
 * Days since 1970-01-01 of the proleptic Gregorian date y-m-d (Howard
 * Hinnant's days_from_civil). Our own, so the offset forms do not depend
 * on timegm() or on the process time zone.
 */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static bool
is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int
days_in_month(int y, int m)
{
	static const int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

/* Read exactly n ASCII digits at *p into *out and advance *p; false if not. */
static bool
digits(const char **p, int n, int *out)
{
	int v = 0;
	int i;

	for (i = 0; i < n; i++) {
		char c = (*p)[i];

		if (c < '0' || c > '9')
			return false;
		v = v * 10 + (c - '0');
	}
	*p += n;
	*out = v;
	return true;
}

/*
 * Point TZ at zone and call tzset(), unless it is already there. A zone is
 * checked against the database only when it changes, so a run of calls
 * pays for neither the check nor tzset(). We compare the environment too,
 * not only our cache, so that a TZ changed behind our back is put right
 * rather than silently used.
 */
static int
set_zone(const char *zone)
{
	const char *env = getenv("TZ");

	if (current_zone && zone && !strcmp(current_zone, zone) && env && !strcmp(env, zone))
		return 0;
	if (!uc3_clock_tz_valid(zone)) {
		struct uc3_buf q;

		uc3_buf_init(&q);
		quote(&q, zone ? zone : "");
		uc3_error_set(UC3_EINVAL,
			      "unknown time zone '%s': expected a "
			      "name from the tz database such as Asia/Jakarta",
			      q.ptr);
		uc3_buf_release(&q);
		return UC3_EINVAL;
	}
	if (setenv("TZ", zone, 1) < 0)
		return uc3_error_set(UC3_ERROR, "cannot set time zone '%s': %s", zone,
				     strerror(errno));
	tzset();
	hour_memo.ok = false;
	free(current_zone);
	current_zone = uc3_xstrdup(zone);
	return 0;
}

bool
uc3_clock_tz_valid(const char *tz)
{
	const char *dir;
	struct uc3_buf path;
	struct stat st;
	char magic[4];
	FILE *f;
	bool ok = false;

	if (!tz || !*tz || *tz == '/' || strstr(tz, ".."))
		return false;
	if (!strcmp(tz, "UTC"))
		return true;
	/*
	 * glibc reads an unknown TZ as UTC without a word, so the file must
	 * exist. It must also be a TZif file: zoneinfo holds zone.tab,
	 * tzdata.zi and the like, which glibc would read as UTC just the same.
	 */
	dir = getenv("TZDIR");
	if (!dir || !*dir)
		dir = ZONEINFO_DIR;
	uc3_buf_init(&path);
	uc3_buf_addf(&path, "%s/%s", dir, tz);
	if (stat(path.ptr, &st) < 0 || !S_ISREG(st.st_mode))
		goto out;
	f = fopen(path.ptr, "rb");
	if (!f)
		goto out;
	ok = fread(magic, 1, sizeof(magic), f) == sizeof(magic) && !memcmp(magic, "TZif", 4);
	fclose(f);
out:
	uc3_buf_release(&path);
	return ok;
}

/*
 * The instants a "now" may be: from 1970 (ticket ids carry the year, and
 * none is before 1970, as --received is not) to a day before the end of
 * 9999 (RFC 3339 years have four digits; the day keeps every zone's wall
 * clock inside them).
 */
#define NOW_FIRST ((time_t)0)
#define NOW_LAST  ((time_t)253402214399) /* 9999-12-30T23:59:59Z */

/* Set by uc3_clock_serve: "now" is the central's own clock. */
static bool serving;

void
uc3_clock_serve(void)
{
	serving = true;
}

int
uc3_clock_backfill(const char **reason)
{
	const char *s = getenv("UC3_BACKFILL");
	size_t n = 0;
	const char *q;

	*reason = NULL;
	if (!s)
		return 0;
	if (uc3_text_check(s, "UC3_BACKFILL", UC3_TEXT_LINE) < 0)
		return UC3_EINVAL;
	if (!*s)
		return uc3_error_set(UC3_EINVAL, "UC3_BACKFILL is empty: give the reason the "
						 "step is recorded at a past time");
	if (*s == ' ' || s[strlen(s) - 1] == ' ')
		return uc3_error_set(UC3_EINVAL,
				     "UC3_BACKFILL starts or ends with a space: give the reason "
				     "alone");
	for (q = s; *q; q++)
		if (((unsigned char)*q & 0xc0) != 0x80)
			n++;
	if (n > UC3_BACKFILL_MAX)
		return uc3_error_set(UC3_EINVAL,
				     "UC3_BACKFILL is %zu characters long; a reason has at most %d",
				     n, UC3_BACKFILL_MAX);
	*reason = s;
	return 0;
}

int
uc3_clock_now(time_t *out)
{
	const char *var = serving ? "UC3_HOOK_NOW" : "UC3_NOW";
	const char *env = getenv(var);
	time_t t;

	if (env) {
		/*
		 * An empty UC3_NOW is an error too: falling back to the
		 * real clock would silently stamp a backfill with
		 * today.
		 */
		if (uc3_clock_parse(&t, env, NULL) < 0) {
			struct uc3_buf q;

			uc3_buf_init(&q);
			quote(&q, env);
			uc3_error_set(UC3_EINVAL,
				      "invalid %s '%s': "
				      "expected RFC 3339 time such as %s",
				      var, q.ptr, EXAMPLE_TIME);
			uc3_buf_release(&q);
			return UC3_EINVAL;
		}
		if (t < NOW_FIRST || t > NOW_LAST) {
			struct uc3_buf q;

			uc3_buf_init(&q);
			quote(&q, env);
			if (t < NOW_FIRST)
				uc3_error_set(UC3_EINVAL,
					      "%s '%s' is before 1970; uc3 works with "
					      "times from 1970 to 9999",
					      var, q.ptr);
			else
				uc3_error_set(UC3_EINVAL,
					      "%s '%s' is after 9999-12-30; uc3 works with "
					      "times from 1970 to 9999",
					      var, q.ptr);
			uc3_buf_release(&q);
			return UC3_EINVAL;
		}
		*out = t;
		return 0;
	}
	t = time(NULL);
	if (t == (time_t)-1)
		return uc3_error_set(UC3_ERROR, "cannot read the system clock: %s",
				     strerror(errno));
	*out = t;
	return 0;
}

static int
parse_error(const char *s, const char *tz)
{
	struct uc3_buf q;

	uc3_buf_init(&q);
	quote(&q, s);
	if (tz)
		uc3_error_set(UC3_EINVAL,
			      "invalid time '%s': expected RFC 3339 "
			      "such as %s or a local time such as %s",
			      q.ptr, EXAMPLE_TIME, EXAMPLE_LOCAL);
	else
		uc3_error_set(UC3_EINVAL,
			      "invalid time '%s': expected RFC 3339 "
			      "such as %s",
			      q.ptr, EXAMPLE_TIME);
	uc3_buf_release(&q);
	return UC3_EINVAL;
}

/*
 * The instant of the wall-clock time y-mo-d h:mi:sec in tz, for
 * uc3_clock_parse, which has checked the fields and names s in errors.
 */
static int
parse_local(time_t *out, const char *s, const char *tz, int y, int mo, int d, int h, int mi,
	    int sec)
{
	struct tm tm;
	time_t t;
	int err;

	if ((err = set_zone(tz)) < 0)
		return err;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	/*
	 * Let the zone decide: a time in a spring-forward gap is moved on by
	 * the gap, as glibc's mktime does.
	 */
	tm.tm_isdst = -1;
	errno = 0;
	t = mktime(&tm);
	if (t == (time_t)-1 && errno)
		return parse_error(s, tz);
	*out = t;
	return 0;
}

int
uc3_clock_parse(time_t *out, const char *s, const char *tz)
{
	const char *p = s;
	int y, mo, d, h = 0, mi = 0, sec = 0;
	bool have_sec = false;
	int sign = 0, oh = 0, om = 0;

	if (!s)
		return parse_error("", tz);
	if (!digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &mo) || *p++ != '-' ||
	    !digits(&p, 2, &d))
		return parse_error(s, tz);
	if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo))
		return parse_error(s, tz);
	if (!*p) {
		if (!tz)
			return parse_error(s, tz);
		return parse_local(out, s, tz, y, mo, d, 0, 0, 0);
	}
	if (*p != 'T' && *p != 't' && *p != ' ')
		return parse_error(s, tz);
	p++;
	if (!digits(&p, 2, &h) || *p++ != ':' || !digits(&p, 2, &mi))
		return parse_error(s, tz);
	if (*p == ':') {
		p++;
		if (!digits(&p, 2, &sec))
			return parse_error(s, tz);
		have_sec = true;
		if (*p == '.') {
			p++;
			if (*p < '0' || *p > '9')
				return parse_error(s, tz);
			while (*p >= '0' && *p <= '9')
				p++;
		}
	}
	/*
	 * sec 60 is a leap second; time_t has none, so it reads as :00
	 * of the next minute.
	 */
	if (h > 23 || mi > 59 || sec > 60)
		return parse_error(s, tz);
	if (!*p) {
		if (!tz)
			return parse_error(s, tz);
		return parse_local(out, s, tz, y, mo, d, h, mi, sec);
	}
	/* RFC 3339 wants the seconds whenever there is an offset. */
	if (!have_sec)
		return parse_error(s, tz);
	if (*p == 'Z' || *p == 'z') {
		p++;
	} else if (*p == '+' || *p == '-') {
		sign = *p++ == '-' ? -1 : 1;
		if (!digits(&p, 2, &oh) || *p++ != ':' || !digits(&p, 2, &om) || oh > 23 || om > 59)
			return parse_error(s, tz);
	} else {
		return parse_error(s, tz);
	}
	if (*p)
		return parse_error(s, tz);
	*out = (time_t)(days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec -
			sign * (oh * 3600 + om * 60));
	return 0;
}

int
uc3_clock_local(struct tm *out, time_t t, const char *tz)
{
	time_t hour;
	int err;

	if (!tz) {
		if (!gmtime_r(&t, out))
			return uc3_error_set(UC3_EINVAL, "time %lld is out of range", (long long)t);
		return 0;
	}
	if ((err = set_zone(tz)) < 0)
		return err;
	/* Years far out of range have no hour to remember. */
	hour = t > -(1LL << 40) && t < (1LL << 40) ? t - (t % 3600 + 3600) % 3600 : 0;
	if (hour && hour_memo.ok && hour_memo.hour == hour) {
		time_t wall = t + hour_memo.gmtoff;

		if (gmtime_r(&wall, out)) {
			out->tm_gmtoff = hour_memo.gmtoff;
			out->tm_isdst = hour_memo.isdst;
			out->tm_zone = hour_memo.abbr;
			return 0;
		}
	}
	if (!localtime_r(&t, out))
		return uc3_error_set(UC3_EINVAL, "time %lld is out of range", (long long)t);
	/* Leap-second zones ("right/...") do not map by an offset alone. */
	if (hour && strncmp(tz, "right/", 6)) {
		struct tm a, b;
		time_t last = hour + 3599;

		hour_memo.ok = localtime_r(&hour, &a) && localtime_r(&last, &b) &&
			       a.tm_gmtoff == out->tm_gmtoff && b.tm_gmtoff == out->tm_gmtoff &&
			       a.tm_isdst == out->tm_isdst && b.tm_isdst == out->tm_isdst &&
			       a.tm_zone == out->tm_zone && b.tm_zone == out->tm_zone;
		hour_memo.hour = hour;
		hour_memo.gmtoff = out->tm_gmtoff;
		hour_memo.isdst = out->tm_isdst;
		hour_memo.abbr = out->tm_zone;
	}
	return 0;
}

/* v (0 <= v < 10^width) in width decimal digits, zero-padded, at p; past them returned. */
static char *
put_digits(char *p, int v, int width)
{
	int i;

	for (i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

int
uc3_clock_format(struct uc3_buf *out, time_t t, const char *tz)
{
	struct tm tm;
	long off;
	time_t wall;
	int err;

	if ((err = uc3_clock_local(&tm, t, tz)) < 0)
		return err;
	/*
	 * RFC 3339 has no offset seconds, but old local mean times do
	 * (Jakarta was +07:07:12 until 1924). Drop them from the offset and
	 * print the wall clock of that rounded offset, so that the text still
	 * names the same instant.
	 */
	off = tm.tm_gmtoff / 60 * 60;
	if (off != tm.tm_gmtoff) {
		wall = t + off;
		if (!gmtime_r(&wall, &tm))
			return uc3_error_set(UC3_EINVAL, "time %lld is out of range", (long long)t);
	}
	if (tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
		return uc3_error_set(UC3_EINVAL,
				     "time %lld does not fit in "
				     "RFC 3339 (years 0000 to 9999)",
				     (long long)t);
	{
		/* By hand, not printf: a report writes tens of thousands of these. */
		char s[32], *p = s;
		long oh = labs(off) / 3600, om = labs(off) / 60 % 60;

		p = put_digits(p, tm.tm_year + 1900, 4);
		*p++ = '-';
		p = put_digits(p, tm.tm_mon + 1, 2);
		*p++ = '-';
		p = put_digits(p, tm.tm_mday, 2);
		*p++ = 'T';
		p = put_digits(p, tm.tm_hour, 2);
		*p++ = ':';
		p = put_digits(p, tm.tm_min, 2);
		*p++ = ':';
		p = put_digits(p, tm.tm_sec, 2);
		*p++ = off < 0 ? '-' : '+';
		if (oh > 99) {
			uc3_buf_add(out, s, (size_t)(p - s));
			uc3_buf_addf(out, "%02ld:%02ld", oh, om);
			return 0;
		}
		p = put_digits(p, (int)oh, 2);
		*p++ = ':';
		p = put_digits(p, (int)om, 2);
		uc3_buf_add(out, s, (size_t)(p - s));
	}
	return 0;
}

/* Read a run of digits at *p as a number; false when none or it overflows. */
static bool
number(const char **p, long *out)
{
	long v = 0;

	if (**p < '0' || **p > '9')
		return false;
	while (**p >= '0' && **p <= '9') {
		int dgt = **p - '0';

		if (v > (LONG_MAX - dgt) / 10)
			return false;
		v = v * 10 + dgt;
		(*p)++;
	}
	*out = v;
	return true;
}

int
uc3_clock_parse_duration(long *out, const char *s)
{
	const char *p = s;
	long n, hours = 0, minutes = 0;
	bool have_hours = false;

	if (!s || !number(&p, &n))
		return UC3_EINVAL;
	if (*p == 'h') {
		p++;
		hours = n;
		have_hours = true;
		if (*p) {
			if (!number(&p, &minutes) || *p != 'm')
				return UC3_EINVAL;
			p++;
			/*
			 * "1h90m" is more likely a slip than a way of
			 * writing 2h30m.
			 */
			if (minutes > 59)
				return UC3_EINVAL;
		}
	} else if (*p == 'm') {
		p++;
		minutes = n;
	} else {
		return UC3_EINVAL;
	}
	if (*p)
		return UC3_EINVAL;
	if (have_hours && hours > (LONG_MAX - minutes * 60) / 3600)
		return UC3_EINVAL;
	if (!have_hours && minutes > LONG_MAX / 60)
		return UC3_EINVAL;
	n = hours * 3600 + minutes * 60;
	if (!n)
		return UC3_EINVAL;
	*out = n;
	return 0;
}

void
uc3_clock_format_duration(struct uc3_buf *out, long seconds)
{
	unsigned long mag, minutes, days, hours;
	const char *sep = "";

	/* The magnitude in unsigned arithmetic, so LONG_MIN is fine too. */
	if (seconds < 0) {
		uc3_buf_addch(out, '-');
		mag = 0UL - (unsigned long)seconds;
	} else {
		mag = (unsigned long)seconds;
	}
	minutes = mag / 60;
	if (!minutes) {
		/* TRANSLATORS: a duration under a minute, and no time at all. */
		uc3_buf_adds(out, mag ? _("<1m") : _("0m"));
		return;
	}
	days = minutes / 1440;
	hours = minutes / 60 % 24;
	minutes %= 60;
	if (days) {
		/* TRANSLATORS: days of 24 hours in a duration such as "1d 2h 5m". */
		uc3_buf_addf(out, _("%lud"), days);
		sep = " ";
	}
	if (hours) {
		uc3_buf_adds(out, sep);
		/* TRANSLATORS: hours in a duration such as "1d 2h 5m". */
		uc3_buf_addf(out, _("%luh"), hours);
		sep = " ";
	}
	if (minutes) {
		uc3_buf_adds(out, sep);
		/* TRANSLATORS: minutes in a duration such as "1d 2h 5m". */
		uc3_buf_addf(out, _("%lum"), minutes);
	}
}

int
uc3_clock_format_short(struct uc3_buf *out, time_t t, const char *tz)
{
	struct tm tm;
	int err;

	if ((err = uc3_clock_local(&tm, t, tz)) < 0)
		return err;
	uc3_buf_addf(out, "%04d-%02d-%02d %02d:%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
		     tm.tm_hour, tm.tm_min);
	return 0;
}

void
uc3_clock_short_of(struct uc3_buf *out, const char *ts, const char *tz)
{
	time_t t;

	if (ts && uc3_clock_parse(&t, ts, NULL) == 0 && uc3_clock_format_short(out, t, tz) == 0)
		return;
	uc3_utf8_cell(out, ts ? ts : "-");
}

int
uc3_clock_format_str(char **out, time_t t, const char *tz)
{
	struct uc3_buf b = UC3_BUF_INIT;
	int rc = uc3_clock_format(&b, t, tz);

	if (rc < 0) {
		uc3_buf_release(&b);
		return rc;
	}
	free(*out);
	*out = uc3_buf_detach(&b);
	return 0;
}
