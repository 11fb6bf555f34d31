#ifndef UC3_CALENDAR_H
#define UC3_CALENDAR_H

#include <time.h>

#include "buf.h"
#include "policy.h"

/*
 * Business time on the policy's calendar (DESIGN section 6): time outside
 * the office hours of a day, on days without hours and on holidays does
 * not count. Local times are taken in the zone tz through the system tz
 * database, so daylight saving is handled where a zone has it; tz NULL
 * is UTC.
 */

/*
 * The instant at which `seconds` of business time have passed since
 * start. Time before the next opening does not count, so a ticket
 * received outside hours starts its clock at the next opening; a step
 * that ends exactly at closing time ends then, not at the next opening.
 * Returns 0, or UC3_EINVAL when the calendar has no working time at all
 * (no hours on any day) or tz is unknown.
 */
int uc3_calendar_add(time_t *out, const struct uc3_calendar *cal, const char *tz, time_t start,
		     long seconds);

/*
 * Business seconds from a to b (negative when b is before a).
 * Returns 0, or UC3_EINVAL for an unknown zone.
 */
int
uc3_calendar_between(long *out, const struct uc3_calendar *cal, const char *tz, time_t a, time_t b);

/*
 * Many instants at once: out[i] gets the business seconds from a common
 * origin (the start of the day of the earliest instant) to t[i], so that
 * the business time between t[i] and t[j] is out[j] - out[i]. One sweep
 * over the days the instants span: what `uc3 overdue` needs for a
 * thousand deadlines. Returns 0, or UC3_EINVAL for an unknown zone.
 */
int uc3_calendar_offsets(long *out, const struct uc3_calendar *cal, const char *tz, const time_t *t,
			 size_t n);

/*
 * A stretch of business time as people read it: whole office days and
 * the rest. Office days are days of the calendar, not 24 hours: on
 * Mon-Fri 07:30-16:00 a day is 8.5 hours, so a step three office days
 * late reads "3d", not "1d 1h 30m".
 *
 * From from to to (from <= to): the clock stands at from, or at the next
 * opening when from is outside office hours, some business seconds p into
 * that working day. One office day on is the same p into the next
 * working day (holidays and days without hours are passed over), or that
 * day's closing when it is shorter. days is the largest N such that N
 * office days on is not after to in business time; rest is the business
 * time from there to to, always less than a day. So 07:30 to 16:00 of
 * one day is 1d, and so is Friday 10:00 to Monday 10:00. When to is
 * before from the two swap and total is negative. On an `always`
 * calendar a day is 24 hours.
 */
struct uc3_calendar_span {
	long total; /* business seconds from from to to; negative when to is before from */
	long days;  /* whole office days in |total| */
	long rest;  /* business seconds beyond them, 0 <= rest < a day */
};

/*
 * The span from from[i] to to[i] for i < n into out[i], in one sweep over
 * the days they cover: what `uc3 overdue` needs for a thousand late steps.
 * Returns 0, or UC3_EINVAL for an unknown zone (out unspecified).
 */
int uc3_calendar_spans(struct uc3_calendar_span *out, const struct uc3_calendar *cal,
		       const char *tz, const time_t *from, const time_t *to, size_t n);

/* One span, as uc3_calendar_spans. */
int uc3_calendar_span(struct uc3_calendar_span *out, const struct uc3_calendar *cal, const char *tz,
		      time_t from, time_t to);

/*
 * Append a span as people read it: "3d 1h 25m", "2h 5m", "1d"; d is
 * office days, zero parts are left out, seconds are dropped; "0m", "<1m";
 * a negative span gets a leading "-". In the language of the messages
 * (gettext: "3 hari kerja 1 jam 25 menit"), for people only.
 */
void uc3_calendar_format_span(struct uc3_buf *out, const struct uc3_calendar_span *s);

/*
 * Business seconds as whole minutes for scripts (--format json), rounded
 * down: 90 s is 1, -30 s is -1, so a negative count always means late.
 */
long uc3_calendar_minutes(long seconds);

/*
 * Years the calendar lists no holiday for. Each function above notes
 * every year whose days it counts business time on (the days it walks
 * through) when cal lists no holiday in that year and is not `hours:
 * always`: every weekday of such a year counts as a working day, which
 * is seldom what an office means. The notes belong to the process (a
 * command reads one policy, or one at a time) and are kept until
 * uc3_calendar_unlisted_clear. The library never prints them; the tool
 * plumbing warns of each once, after the command (uc3_tool_finish).
 *
 * uc3_calendar_unlisted copies up to max of the years noted, in
 * increasing order, into years and returns how many were noted.
 */
size_t uc3_calendar_unlisted(int *years, size_t max);
void uc3_calendar_unlisted_clear(void);

/* The most years uc3_calendar_unlisted keeps. */
#define UC3_CALENDAR_UNLISTED_MAX 32

#endif
