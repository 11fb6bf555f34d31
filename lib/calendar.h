#ifndef UC3_CALENDAR_H
#define UC3_CALENDAR_H

#include <time.h>

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
