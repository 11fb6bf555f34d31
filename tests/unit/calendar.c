#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "helpers.h"

#include "buf.h"
#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "policy.h"

/*
 * Business time on the office calendar. Instants are written as RFC 3339
 * text and compared as the text uc3_clock_format writes in the zone, so a
 * failure reads as a wrong wall clock, not a wrong number.
 */

#define JAKARTA "Asia/Jakarta"
#define BERLIN	"Europe/Berlin"

#define MIN  60L
#define HOUR (60L * MIN)
#define DAY  (24L * HOUR)

/* Minutes since local midnight. */
#define HM(h, m) ((h)*60 + (m))

static struct uc3_range office_day[] = { { HM(7, 30), HM(16, 0) } };
static struct uc3_range lunch_day[] = { { HM(7, 30), HM(12, 0) }, { HM(13, 0), HM(16, 0) } };
static struct uc3_range berlin_day[] = { { HM(9, 0), HM(17, 0) } };
/* 02:00-03:00 is skipped in spring and repeated in autumn in Berlin. */
static struct uc3_range night_day[] = { { HM(1, 0), HM(4, 0) } };

static int
setup(void **state)
{
	unsetenv("UC3_NOW");
	unsetenv("TZDIR");
	uc3_error_clear();
	return 0;
}

/* Monday to Friday with the given ranges, no holidays. */
static void
weekdays(struct uc3_calendar *cal, struct uc3_range *ranges, size_t n)
{
	int wday;

	memset(cal, 0, sizeof(*cal));
	for (wday = 1; wday <= 5; wday++) {
		cal->day[wday] = ranges;
		cal->nday[wday] = n;
	}
}

/* The default office calendar: Mon-Fri 07:30-16:00, as records/uc3.yaml. */
static void
office(struct uc3_calendar *cal)
{
	weekdays(cal, office_day, 1);
}

static time_t
at(const char *s)
{
	time_t t = 0;

	if (uc3_clock_parse(&t, s, NULL) < 0)
		fail_msg("test bug: cannot parse '%s': %s", s, uc3_error_last());
	return t;
}

static void
assert_add(const struct uc3_calendar *cal, const char *tz, const char *start, long seconds,
	   const char *want)
{
	struct uc3_buf b = UC3_BUF_INIT;
	time_t out = 0;
	int rc;

	rc = uc3_calendar_add(&out, cal, tz, at(start), seconds);
	if (rc < 0)
		fail_msg("%s + %lds in %s: error %d: %s", start, seconds, tz, rc, uc3_error_last());
	assert_int_equal(uc3_clock_format(&b, out, tz), 0);
	if (strcmp(b.ptr, want))
		fail_msg("%s + %lds in %s: got %s, want %s", start, seconds, tz, b.ptr, want);
	uc3_buf_release(&b);
}

static void
assert_between(const struct uc3_calendar *cal, const char *tz, const char *a, const char *b,
	       long want)
{
	long out = 12345;
	int rc;

	rc = uc3_calendar_between(&out, cal, tz, at(a), at(b));
	if (rc < 0)
		fail_msg("%s .. %s in %s: error %d: %s", a, b, tz, rc, uc3_error_last());
	if (out != want)
		fail_msg("%s .. %s in %s: got %lds, want %lds", a, b, tz, out, want);
}

static void
add_carries_friday_close_over_the_weekend(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_add(&cal, JAKARTA, "2026-11-27T15:58:00+07:00", 5 * MIN,
		   "2026-11-30T07:33:00+07:00");
}

static void
add_skips_a_friday_holiday(void **state)
{
	struct uc3_calendar cal;
	int holidays[] = { 20261127 };

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 1;
	assert_add(&cal, JAKARTA, "2026-11-26T15:59:00+07:00", 5 * MIN,
		   "2026-11-30T07:34:00+07:00");
}

static void
add_received_on_a_holiday_starts_at_next_opening(void **state)
{
	struct uc3_calendar cal;
	int holidays[] = { 20261127 };

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 1;
	assert_add(&cal, JAKARTA, "2026-11-27T10:00:00+07:00", 5 * MIN,
		   "2026-11-30T07:35:00+07:00");
}

static void
add_carries_a_long_step_into_the_next_day(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_add(&cal, JAKARTA, "2026-11-23T15:00:00+07:00", 2 * HOUR,
		   "2026-11-24T08:30:00+07:00");
}

static void
add_carries_a_step_over_several_days(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	/* 8h30m a day: 20h from Thursday 07:30 is Thursday, Friday, then 3h on Monday. */
	assert_add(&cal, JAKARTA, "2026-11-26T07:30:00+07:00", 20 * HOUR,
		   "2026-11-30T10:30:00+07:00");
}

static void
add_skips_the_lunch_break(void **state)
{
	struct uc3_calendar cal;

	weekdays(&cal, lunch_day, 2);
	assert_add(&cal, JAKARTA, "2026-11-23T11:50:00+07:00", 20 * MIN,
		   "2026-11-23T13:10:00+07:00");
}

static void
add_received_in_the_lunch_break_starts_after_it(void **state)
{
	struct uc3_calendar cal;

	weekdays(&cal, lunch_day, 2);
	assert_add(&cal, JAKARTA, "2026-11-23T12:30:00+07:00", 5 * MIN,
		   "2026-11-23T13:05:00+07:00");
}

static void
add_received_on_saturday_starts_monday(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_add(&cal, JAKARTA, "2026-11-28T09:00:00+07:00", 5 * MIN,
		   "2026-11-30T07:35:00+07:00");
}

static void
add_received_before_opening_starts_at_opening(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_add(&cal, JAKARTA, "2026-11-23T06:00:00+07:00", 5 * MIN,
		   "2026-11-23T07:35:00+07:00");
}

static void
add_ending_exactly_at_closing_ends_that_day(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_add(&cal, JAKARTA, "2026-11-23T15:55:00+07:00", 5 * MIN,
		   "2026-11-23T16:00:00+07:00");
	/* Not on Monday either when the day is a Friday. */
	assert_add(&cal, JAKARTA, "2026-11-27T15:55:00+07:00", 5 * MIN,
		   "2026-11-27T16:00:00+07:00");
}

static void
add_starting_exactly_at_closing_starts_at_next_opening(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_add(&cal, JAKARTA, "2026-11-27T16:00:00+07:00", 5 * MIN,
		   "2026-11-30T07:35:00+07:00");
}

static void
add_crosses_the_year_and_a_new_year_holiday(void **state)
{
	struct uc3_calendar cal;
	int holidays[] = { 20261225, 20270101 };

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 2;
	/* Thursday 31 December; Friday 1 January is a holiday; Monday 4 January. */
	assert_add(&cal, JAKARTA, "2026-12-31T15:50:00+07:00", 30 * MIN,
		   "2027-01-04T07:50:00+07:00");
}

static void
add_crosses_spring_forward_in_berlin(void **state)
{
	struct uc3_calendar cal;

	weekdays(&cal, berlin_day, 1);
	/* Sunday 29 March 2026 moves from +01:00 to +02:00. */
	assert_add(&cal, BERLIN, "2026-03-27T16:30:00+01:00", 1 * HOUR,
		   "2026-03-30T09:30:00+02:00");
}

static void
add_crosses_fall_back_in_berlin(void **state)
{
	struct uc3_calendar cal;

	weekdays(&cal, berlin_day, 1);
	/* Sunday 25 October 2026 moves from +02:00 to +01:00. */
	assert_add(&cal, BERLIN, "2026-10-23T16:30:00+02:00", 1 * HOUR,
		   "2026-10-26T09:30:00+01:00");
}

static void
add_counts_elapsed_time_on_the_short_spring_day(void **state)
{
	struct uc3_calendar cal = { 0 };

	/* Sundays 01:00-04:00 only: three hours, but two on 29 March 2026. */
	cal.day[0] = night_day;
	cal.nday[0] = 1;
	assert_add(&cal, BERLIN, "2026-03-29T01:00:00+01:00", 2 * HOUR,
		   "2026-03-29T04:00:00+02:00");
	assert_add(&cal, BERLIN, "2026-03-29T01:00:00+01:00", 2 * HOUR + 30 * MIN,
		   "2026-04-05T01:30:00+02:00");
}

static void
add_counts_elapsed_time_on_the_long_autumn_day(void **state)
{
	struct uc3_calendar cal = { 0 };

	/* Sundays 01:00-04:00 only: three hours, but four on 25 October 2026. */
	cal.day[0] = night_day;
	cal.nday[0] = 1;
	assert_add(&cal, BERLIN, "2026-10-25T01:00:00+02:00", 3 * HOUR,
		   "2026-10-25T03:00:00+01:00");
	assert_add(&cal, BERLIN, "2026-10-25T01:00:00+02:00", 4 * HOUR,
		   "2026-10-25T04:00:00+01:00");
}

static void
add_always_adds_wall_time(void **state)
{
	struct uc3_calendar cal = { 0 };
	int holidays[] = { 20261128 };

	cal.always = true;
	/* Holidays do not count against a 24/7 office either. */
	cal.holidays = holidays;
	cal.nholidays = 1;
	assert_add(&cal, JAKARTA, "2026-11-28T09:00:00+07:00", 5 * MIN,
		   "2026-11-28T09:05:00+07:00");
	assert_add(&cal, JAKARTA, "2026-11-27T15:58:00+07:00", 3 * DAY,
		   "2026-11-30T15:58:00+07:00");
	/* Wall time across a clock change: one real hour. */
	assert_add(&cal, BERLIN, "2026-03-29T01:30:00+01:00", 1 * HOUR,
		   "2026-03-29T03:30:00+02:00");
}

static void
add_without_hours_is_an_error(void **state)
{
	struct uc3_calendar cal = { 0 };
	time_t out = 42;

	assert_int_equal(uc3_calendar_add(&out, &cal, JAKARTA, at("2026-11-27T09:00:00+07:00"),
					  5 * MIN),
			 UC3_EINVAL);
	assert_int_equal(uc3_error_code(), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "hours"));
	assert_int_equal(out, 42);
}

static void
add_rejects_an_unknown_zone(void **state)
{
	struct uc3_calendar cal;
	time_t out = 42;

	office(&cal);
	assert_int_equal(uc3_calendar_add(&out, &cal, "Mars/Olympus_Mons",
					  at("2026-11-27T09:00:00+07:00"), 5 * MIN),
			 UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "Mars/Olympus_Mons"));
}

static void
add_on_the_default_policy_gives_the_design_example(void **state)
{
	struct uc3_policy *p = default_policy_with(NULL);

	assert_string_equal(p->timezone, JAKARTA);
	assert_string_equal(p->roles[0].id, "staf");
	assert_int_equal(p->roles[0].step, 5 * MIN);
	assert_add(&p->calendar, p->timezone, "2026-11-27T15:58:00+07:00", p->roles[0].step,
		   "2026-11-30T07:33:00+07:00");
	assert_add(&p->calendar, p->timezone, "2026-11-23T15:00:00+07:00", 2 * HOUR,
		   "2026-11-24T08:30:00+07:00");
	uc3_policy_free(p);
}

static void
between_counts_only_office_hours(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	/* One hour on Friday, one on Monday. */
	assert_between(&cal, JAKARTA, "2026-11-27T15:00:00+07:00", "2026-11-30T08:30:00+07:00",
		       2 * HOUR);
}

static void
between_is_negative_when_reversed(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_between(&cal, JAKARTA, "2026-11-30T08:30:00+07:00", "2026-11-27T15:00:00+07:00",
		       -2 * HOUR);
}

static void
between_is_zero_outside_hours(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_between(&cal, JAKARTA, "2026-11-28T09:00:00+07:00", "2026-11-29T18:00:00+07:00", 0);
	assert_between(&cal, JAKARTA, "2026-11-27T16:00:00+07:00", "2026-11-30T07:30:00+07:00", 0);
	assert_between(&cal, JAKARTA, "2026-11-23T17:00:00+07:00", "2026-11-24T06:00:00+07:00", 0);
}

static void
between_same_instant_is_zero(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_between(&cal, JAKARTA, "2026-11-23T10:00:00+07:00", "2026-11-23T10:00:00+07:00", 0);
}

static void
between_skips_holidays(void **state)
{
	struct uc3_calendar cal;
	int holidays[] = { 20261127 };

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 1;
	assert_between(&cal, JAKARTA, "2026-11-26T15:00:00+07:00", "2026-11-30T08:00:00+07:00",
		       1 * HOUR + 30 * MIN);
}

static void
between_skips_the_lunch_break(void **state)
{
	struct uc3_calendar cal;

	weekdays(&cal, lunch_day, 2);
	assert_between(&cal, JAKARTA, "2026-11-23T11:00:00+07:00", "2026-11-23T14:00:00+07:00",
		       2 * HOUR);
}

static void
between_always_is_the_wall_difference(void **state)
{
	struct uc3_calendar cal = { 0 };

	cal.always = true;
	assert_between(&cal, JAKARTA, "2026-11-27T15:00:00+07:00", "2026-11-30T08:30:00+07:00",
		       2 * DAY + 17 * HOUR + 30 * MIN);
	assert_between(&cal, JAKARTA, "2026-11-30T08:30:00+07:00", "2026-11-27T15:00:00+07:00",
		       -(2 * DAY + 17 * HOUR + 30 * MIN));
}

static void
between_crosses_dst_changes_in_berlin(void **state)
{
	struct uc3_calendar cal;

	weekdays(&cal, berlin_day, 1);
	assert_between(&cal, BERLIN, "2026-03-27T16:00:00+01:00", "2026-03-30T10:00:00+02:00",
		       2 * HOUR);
	assert_between(&cal, BERLIN, "2026-10-23T16:00:00+02:00", "2026-10-26T10:00:00+01:00",
		       2 * HOUR);
}

static void
between_counts_elapsed_time_on_dst_days(void **state)
{
	struct uc3_calendar cal = { 0 };

	cal.day[0] = night_day;
	cal.nday[0] = 1;
	assert_between(&cal, BERLIN, "2026-03-28T00:00:00+01:00", "2026-03-30T00:00:00+02:00",
		       2 * HOUR);
	assert_between(&cal, BERLIN, "2026-10-24T00:00:00+02:00", "2026-10-26T00:00:00+01:00",
		       4 * HOUR);
}

static void
between_rejects_an_unknown_zone(void **state)
{
	struct uc3_calendar cal;
	long out = 0;

	office(&cal);
	assert_int_equal(uc3_calendar_between(&out, &cal, "Mars/Olympus_Mons",
					      at("2026-11-27T09:00:00+07:00"),
					      at("2026-11-30T09:00:00+07:00")),
			 UC3_EINVAL);
}

/* between(start, add(start, d)) == d for starts inside office hours. */
static void
between_undoes_add(void **state)
{
	static const char *starts[] = {
		"2026-11-23T07:30:00+07:00",
		"2026-11-26T15:59:00+07:00",
		"2026-12-31T15:50:00+07:00",
		"2026-11-25T11:50:00+07:00",
	};
	static const long steps[] = { 1,	5 * MIN,  30 * MIN,
				      1 * HOUR, 2 * HOUR, 8 * HOUR + 30 * MIN,
				      3 * DAY };
	struct uc3_calendar cal;
	int holidays[] = { 20261127, 20270101 };
	size_t i, j;

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 2;
	for (i = 0; i < sizeof(starts) / sizeof(*starts); i++) {
		for (j = 0; j < sizeof(steps) / sizeof(*steps); j++) {
			time_t a = at(starts[i]), b = 0;
			long d = 0;

			assert_int_equal(uc3_calendar_add(&b, &cal, JAKARTA, a, steps[j]), 0);
			assert_int_equal(uc3_calendar_between(&d, &cal, JAKARTA, a, b), 0);
			if (d != steps[j])
				fail_msg("%s + %lds: between gives %lds", starts[i], steps[j], d);
		}
	}
}

/* The span from a to b: its days, rest and total, and how it reads. */
static void
assert_span(const struct uc3_calendar *cal, const char *tz, const char *a, const char *b, long days,
	    long rest, const char *text)
{
	struct uc3_calendar_span s = { 1, 2, 3 };
	struct uc3_buf out = UC3_BUF_INIT;
	long between = 0;
	int rc;

	rc = uc3_calendar_span(&s, cal, tz, at(a), at(b));
	if (rc < 0)
		fail_msg("%s .. %s in %s: error %d: %s", a, b, tz, rc, uc3_error_last());
	uc3_calendar_format_span(&out, &s);
	if (s.days != days || s.rest != rest || strcmp(out.ptr, text))
		fail_msg("%s .. %s in %s: got %ldd + %lds '%s', want %ldd + %lds '%s'", a, b, tz,
			 s.days, s.rest, out.ptr, days, rest, text);
	assert_int_equal(uc3_calendar_between(&between, cal, tz, at(a), at(b)), 0);
	if (s.total != between)
		fail_msg("%s .. %s in %s: total %lds, between %lds", a, b, tz, s.total, between);
	uc3_buf_release(&out);
}

static void
span_under_a_day_is_hours_and_minutes(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_span(&cal, JAKARTA, "2026-11-23T09:00:00+07:00", "2026-11-23T11:05:00+07:00", 0,
		    2 * HOUR + 5 * MIN, "2h 5m");
	/* 8h 29m of an 8.5-hour day is not a day yet. */
	assert_span(&cal, JAKARTA, "2026-11-23T07:30:00+07:00", "2026-11-23T15:59:00+07:00", 0,
		    8 * HOUR + 29 * MIN, "8h 29m");
	assert_span(&cal, JAKARTA, "2026-11-23T09:00:00+07:00", "2026-11-23T09:00:30+07:00", 0, 30,
		    "<1m");
}

static void
span_of_exactly_one_office_day_is_1d(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_span(&cal, JAKARTA, "2026-11-23T09:00:00+07:00", "2026-11-24T09:00:00+07:00", 1, 0,
		    "1d");
	/* Opening to closing: a whole office day, the same business instant as the next opening. */
	assert_span(&cal, JAKARTA, "2026-11-23T07:30:00+07:00", "2026-11-23T16:00:00+07:00", 1, 0,
		    "1d");
	assert_span(&cal, JAKARTA, "2026-11-23T07:30:00+07:00", "2026-11-24T07:30:00+07:00", 1, 0,
		    "1d");
	/* One minute short of it. */
	assert_span(&cal, JAKARTA, "2026-11-23T09:00:00+07:00", "2026-11-24T08:59:00+07:00", 0,
		    8 * HOUR + 29 * MIN, "8h 29m");
}

static void
span_of_three_office_days_reads_3d(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	/* 26h 55m of business time: three 8.5-hour days, 1h 25m more. */
	assert_span(&cal, JAKARTA, "2026-11-23T10:00:00+07:00", "2026-11-26T11:25:00+07:00", 3,
		    1 * HOUR + 25 * MIN, "3d 1h 25m");
}

static void
span_passes_over_the_weekend(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_span(&cal, JAKARTA, "2026-11-27T10:00:00+07:00", "2026-11-30T10:00:00+07:00", 1, 0,
		    "1d");
	assert_span(&cal, JAKARTA, "2026-11-27T15:58:00+07:00", "2026-11-30T07:33:00+07:00", 0,
		    5 * MIN, "5m");
	/* Closing on Friday to closing on Monday. */
	assert_span(&cal, JAKARTA, "2026-11-27T16:00:00+07:00", "2026-11-30T16:00:00+07:00", 1, 0,
		    "1d");
	/* Thursday 10:00 to Saturday: Friday 10:00, then six hours to Friday's closing. */
	assert_span(&cal, JAKARTA, "2026-11-26T10:00:00+07:00", "2026-11-28T12:00:00+07:00", 1,
		    6 * HOUR, "1d 6h");
}

static void
span_passes_over_a_holiday(void **state)
{
	struct uc3_calendar cal;
	int holidays[] = { 20270101 };

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 1;
	/* Thursday 31 December to Monday 4 January: Friday is New Year's Day. */
	assert_span(&cal, JAKARTA, "2026-12-31T10:00:00+07:00", "2027-01-04T10:00:00+07:00", 1, 0,
		    "1d");
	assert_span(&cal, JAKARTA, "2026-12-31T10:00:00+07:00", "2027-01-05T12:00:00+07:00", 2,
		    2 * HOUR, "2d 2h");
	/* Received on the holiday: the clock starts on Monday. */
	assert_span(&cal, JAKARTA, "2027-01-01T10:00:00+07:00", "2027-01-04T16:00:00+07:00", 1, 0,
		    "1d");
}

static void
span_leaves_out_the_lunch_break(void **state)
{
	struct uc3_calendar cal;

	/* 07:30-12:00 and 13:00-16:00: a 7.5-hour day. */
	weekdays(&cal, lunch_day, 2);
	assert_span(&cal, JAKARTA, "2026-11-23T11:00:00+07:00", "2026-11-23T14:00:00+07:00", 0,
		    2 * HOUR, "2h");
	assert_span(&cal, JAKARTA, "2026-11-23T11:00:00+07:00", "2026-11-24T11:00:00+07:00", 1, 0,
		    "1d");
	/* From the lunch break: the clock stands at 12:00, the same as 13:00. */
	assert_span(&cal, JAKARTA, "2026-11-23T12:30:00+07:00", "2026-11-24T13:00:00+07:00", 1, 0,
		    "1d");
	assert_span(&cal, JAKARTA, "2026-11-23T07:30:00+07:00", "2026-11-25T13:30:00+07:00", 2,
		    5 * HOUR, "2d 5h");
}

static void
span_starts_at_the_next_opening_outside_hours(void **state)
{
	struct uc3_calendar cal;

	office(&cal);
	assert_span(&cal, JAKARTA, "2026-11-28T10:00:00+07:00", "2026-11-30T09:00:00+07:00", 0,
		    1 * HOUR + 30 * MIN, "1h 30m");
	assert_span(&cal, JAKARTA, "2026-11-29T10:00:00+07:00", "2026-12-01T07:30:00+07:00", 1, 0,
		    "1d");
	assert_span(&cal, JAKARTA, "2026-11-23T05:00:00+07:00", "2026-11-24T09:00:00+07:00", 1,
		    1 * HOUR + 30 * MIN, "1d 1h 30m");
	/* Nothing of it in office hours. */
	assert_span(&cal, JAKARTA, "2026-11-28T10:00:00+07:00", "2026-11-29T10:00:00+07:00", 0, 0,
		    "0m");
}

static void
span_on_a_shorter_day_stands_at_its_closing(void **state)
{
	static struct uc3_range half_day[] = { { HM(7, 30), HM(11, 0) } };
	struct uc3_calendar cal;

	office(&cal);
	cal.day[5] = half_day;
	/* Thursday 14:00 is 6.5 hours into the day; Friday closes after 3.5. */
	assert_span(&cal, JAKARTA, "2026-11-26T14:00:00+07:00", "2026-11-27T11:00:00+07:00", 1, 0,
		    "1d");
	assert_span(&cal, JAKARTA, "2026-11-26T14:00:00+07:00", "2026-11-30T10:00:00+07:00", 1,
		    2 * HOUR + 30 * MIN, "1d 2h 30m");
	assert_span(&cal, JAKARTA, "2026-11-26T14:00:00+07:00", "2026-11-30T14:00:00+07:00", 2, 0,
		    "2d");
}

static void
span_is_negative_when_reversed(void **state)
{
	struct uc3_calendar cal;
	struct uc3_calendar_span s;
	struct uc3_buf b = UC3_BUF_INIT;

	office(&cal);
	assert_int_equal(uc3_calendar_span(&s, &cal, JAKARTA, at("2026-11-24T11:00:00+07:00"),
					   at("2026-11-23T09:00:00+07:00")),
			 0);
	assert_int_equal(s.total, -(8 * HOUR + 30 * MIN + 2 * HOUR));
	assert_int_equal(s.days, 1);
	assert_int_equal(s.rest, 2 * HOUR);
	uc3_calendar_format_span(&b, &s);
	assert_string_equal(b.ptr, "-1d 2h");
	uc3_buf_release(&b);
}

static void
span_always_counts_24_hour_days(void **state)
{
	struct uc3_calendar cal = { 0 };

	cal.always = true;
	assert_span(&cal, JAKARTA, "2026-11-27T15:00:00+07:00", "2026-11-28T18:05:00+07:00", 1,
		    3 * HOUR + 5 * MIN, "1d 3h 5m");
	assert_span(&cal, JAKARTA, "2026-11-27T15:00:00+07:00", "2026-11-30T15:00:00+07:00", 3, 0,
		    "3d");
}

static void
span_counts_days_across_dst_in_berlin(void **state)
{
	struct uc3_calendar cal;

	weekdays(&cal, berlin_day, 1);
	assert_span(&cal, BERLIN, "2026-03-27T10:00:00+01:00", "2026-03-30T10:00:00+02:00", 1, 0,
		    "1d");
	assert_span(&cal, BERLIN, "2026-10-23T10:00:00+02:00", "2026-10-27T11:00:00+01:00", 2, HOUR,
		    "2d 1h");
}

/*
 * Many spans at once are the spans one at a time; and where every working
 * day is as long (8.5 hours), days and rest are the total's quotient and
 * remainder.
 */
static void
spans_at_once_are_spans_one_at_a_time(void **state)
{
	static const char *times[] = {
		"2026-11-20T15:59:00+07:00", "2026-11-21T09:00:00+07:00",
		"2026-11-23T07:30:00+07:00", "2026-11-23T12:17:00+07:00",
		"2026-11-23T16:00:00+07:00", "2026-11-27T08:00:00+07:00",
		"2026-11-30T16:30:00+07:00", "2026-12-24T10:00:00+07:00",
		"2026-12-31T15:50:00+07:00", "2027-01-04T07:29:00+07:00",
	};
	enum { N = sizeof(times) / sizeof(*times) };
	struct uc3_calendar cal;
	int holidays[] = { 20261127, 20261225, 20270101 };
	struct uc3_calendar_span many[N * N], one;
	time_t from[N * N], to[N * N];
	size_t i, j;

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 3;
	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++) {
			from[i * N + j] = at(times[i]);
			to[i * N + j] = at(times[j]);
		}
	assert_int_equal(uc3_calendar_spans(many, &cal, JAKARTA, from, to, N * N), 0);
	for (i = 0; i < N * N; i++) {
		long mag = many[i].total < 0 ? -many[i].total : many[i].total;

		assert_int_equal(uc3_calendar_span(&one, &cal, JAKARTA, from[i], to[i]), 0);
		if (one.total != many[i].total || one.days != many[i].days ||
		    one.rest != many[i].rest)
			fail_msg("%s .. %s: alone %ld/%ld/%ld, at once %ld/%ld/%ld", times[i / N],
				 times[i % N], one.total, one.days, one.rest, many[i].total,
				 many[i].days, many[i].rest);
		if (many[i].days != mag / (8 * HOUR + 30 * MIN) ||
		    many[i].rest != mag % (8 * HOUR + 30 * MIN))
			fail_msg("%s .. %s: %ld s is not %ldd + %lds", times[i / N], times[i % N],
				 many[i].total, many[i].days, many[i].rest);
	}
}

static void
span_rejects_an_unknown_zone(void **state)
{
	struct uc3_calendar cal;
	struct uc3_calendar_span s;

	office(&cal);
	assert_int_equal(uc3_calendar_span(&s, &cal, "Nowhere/Atlantis", 0, 3600), UC3_EINVAL);
}

static void
format_span_leaves_out_zero_parts(void **state)
{
	static const struct {
		struct uc3_calendar_span s;
		const char *text;
	} cases[] = {
		{ { 0, 0, 0 }, "0m" },
		{ { 59, 0, 59 }, "<1m" },
		{ { -59, 0, 59 }, "-<1m" },
		{ { 1, 3, 30 }, "3d" },
		{ { 1, 3, 59 }, "3d" },
		{ { 1, 3, 60 }, "3d 1m" },
		{ { 1, 3, HOUR + 25 * MIN }, "3d 1h 25m" },
		{ { -1, 0, 2 * HOUR + 5 * MIN }, "-2h 5m" },
		{ { -1, 12, 8 * HOUR }, "-12d 8h" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_buf_adds(&b, "late ");
		uc3_calendar_format_span(&b, &cases[i].s);
		if (strcmp(b.ptr + 5, cases[i].text))
			fail_msg("case %zu: got '%s', want '%s'", i, b.ptr + 5, cases[i].text);
		uc3_buf_release(&b);
	}
}

static void
minutes_round_toward_the_past(void **state)
{
	assert_int_equal(uc3_calendar_minutes(0), 0);
	assert_int_equal(uc3_calendar_minutes(59), 0);
	assert_int_equal(uc3_calendar_minutes(90), 1);
	assert_int_equal(uc3_calendar_minutes(-1), -1);
	assert_int_equal(uc3_calendar_minutes(-30), -1);
	assert_int_equal(uc3_calendar_minutes(-60), -1);
	assert_int_equal(uc3_calendar_minutes(-61), -2);
}

/* The years noted so far, as "2025 2027", and the notes cleared. */
static void
assert_unlisted(const char *want)
{
	int years[UC3_CALENDAR_UNLISTED_MAX];
	size_t n = uc3_calendar_unlisted(years, UC3_CALENDAR_UNLISTED_MAX), i;
	struct uc3_buf b = UC3_BUF_INIT;

	for (i = 0; i < n; i++)
		uc3_buf_addf(&b, "%s%d", i ? " " : "", years[i]);
	if (strcmp(b.ptr ? b.ptr : "", want))
		fail_msg("years without holidays: got \"%s\", want \"%s\"", b.ptr ? b.ptr : "",
			 want);
	uc3_buf_release(&b);
	uc3_calendar_unlisted_clear();
}

static void
notes_the_years_it_counts_in_without_holidays(void **state)
{
	struct uc3_calendar cal;
	int holidays[] = { 20261225 };
	time_t t = 0, many[3];
	long d = 0, off[3];

	office(&cal);
	cal.holidays = holidays;
	cal.nholidays = 1;
	uc3_calendar_unlisted_clear();
	/* Within 2026, which lists a holiday: nothing. */
	assert_int_equal(uc3_calendar_add(&t, &cal, JAKARTA, at("2026-11-27T09:00:00+07:00"), HOUR),
			 0);
	assert_unlisted("");
	/* A step that runs into 2027, twice: the year once. */
	assert_int_equal(uc3_calendar_add(&t, &cal, JAKARTA, at("2026-12-31T15:50:00+07:00"),
					  30 * MIN),
			 0);
	assert_int_equal(uc3_calendar_add(&t, &cal, JAKARTA, at("2026-12-31T15:50:00+07:00"),
					  30 * MIN),
			 0);
	assert_unlisted("2027");
	/* How late a step of 2025 is, counted in 2026: 2025. */
	assert_int_equal(uc3_calendar_between(&d, &cal, JAKARTA, at("2026-01-05T09:00:00+07:00"),
					      at("2025-12-30T09:00:00+07:00")),
			 0);
	assert_unlisted("2025");
	/* Offsets over three years, noted in order. */
	many[0] = at("2027-01-04T09:00:00+07:00");
	many[1] = at("2025-12-31T09:00:00+07:00");
	many[2] = at("2026-06-01T09:00:00+07:00");
	assert_int_equal(uc3_calendar_offsets(off, &cal, JAKARTA, many, 3), 0);
	assert_unlisted("2025 2027");
}

static void
notes_nothing_with_hours_always(void **state)
{
	struct uc3_calendar cal;
	time_t t = 0;
	long d = 0;

	memset(&cal, 0, sizeof(cal));
	cal.always = true;
	uc3_calendar_unlisted_clear();
	assert_int_equal(uc3_calendar_add(&t, &cal, JAKARTA, at("2027-12-31T15:50:00+07:00"), DAY),
			 0);
	assert_int_equal(uc3_calendar_between(&d, &cal, JAKARTA, at("2025-01-01T00:00:00+07:00"),
					      at("2027-01-01T00:00:00+07:00")),
			 0);
	assert_unlisted("");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(add_carries_friday_close_over_the_weekend, setup),
		cmocka_unit_test_setup(add_skips_a_friday_holiday, setup),
		cmocka_unit_test_setup(add_received_on_a_holiday_starts_at_next_opening, setup),
		cmocka_unit_test_setup(add_carries_a_long_step_into_the_next_day, setup),
		cmocka_unit_test_setup(add_carries_a_step_over_several_days, setup),
		cmocka_unit_test_setup(add_skips_the_lunch_break, setup),
		cmocka_unit_test_setup(add_received_in_the_lunch_break_starts_after_it, setup),
		cmocka_unit_test_setup(add_received_on_saturday_starts_monday, setup),
		cmocka_unit_test_setup(add_received_before_opening_starts_at_opening, setup),
		cmocka_unit_test_setup(add_ending_exactly_at_closing_ends_that_day, setup),
		cmocka_unit_test_setup(add_starting_exactly_at_closing_starts_at_next_opening,
				       setup),
		cmocka_unit_test_setup(add_crosses_the_year_and_a_new_year_holiday, setup),
		cmocka_unit_test_setup(add_crosses_spring_forward_in_berlin, setup),
		cmocka_unit_test_setup(add_crosses_fall_back_in_berlin, setup),
		cmocka_unit_test_setup(add_counts_elapsed_time_on_the_short_spring_day, setup),
		cmocka_unit_test_setup(add_counts_elapsed_time_on_the_long_autumn_day, setup),
		cmocka_unit_test_setup(add_always_adds_wall_time, setup),
		cmocka_unit_test_setup(add_without_hours_is_an_error, setup),
		cmocka_unit_test_setup(add_rejects_an_unknown_zone, setup),
		cmocka_unit_test_setup(add_on_the_default_policy_gives_the_design_example, setup),
		cmocka_unit_test_setup(between_counts_only_office_hours, setup),
		cmocka_unit_test_setup(between_is_negative_when_reversed, setup),
		cmocka_unit_test_setup(between_is_zero_outside_hours, setup),
		cmocka_unit_test_setup(between_same_instant_is_zero, setup),
		cmocka_unit_test_setup(between_skips_holidays, setup),
		cmocka_unit_test_setup(between_skips_the_lunch_break, setup),
		cmocka_unit_test_setup(between_always_is_the_wall_difference, setup),
		cmocka_unit_test_setup(between_crosses_dst_changes_in_berlin, setup),
		cmocka_unit_test_setup(between_counts_elapsed_time_on_dst_days, setup),
		cmocka_unit_test_setup(between_rejects_an_unknown_zone, setup),
		cmocka_unit_test_setup(between_undoes_add, setup),
		cmocka_unit_test_setup(notes_the_years_it_counts_in_without_holidays, setup),
		cmocka_unit_test_setup(notes_nothing_with_hours_always, setup),
		cmocka_unit_test_setup(span_under_a_day_is_hours_and_minutes, setup),
		cmocka_unit_test_setup(span_of_exactly_one_office_day_is_1d, setup),
		cmocka_unit_test_setup(span_of_three_office_days_reads_3d, setup),
		cmocka_unit_test_setup(span_passes_over_the_weekend, setup),
		cmocka_unit_test_setup(span_passes_over_a_holiday, setup),
		cmocka_unit_test_setup(span_leaves_out_the_lunch_break, setup),
		cmocka_unit_test_setup(span_starts_at_the_next_opening_outside_hours, setup),
		cmocka_unit_test_setup(span_on_a_shorter_day_stands_at_its_closing, setup),
		cmocka_unit_test_setup(span_is_negative_when_reversed, setup),
		cmocka_unit_test_setup(span_always_counts_24_hour_days, setup),
		cmocka_unit_test_setup(span_counts_days_across_dst_in_berlin, setup),
		cmocka_unit_test_setup(spans_at_once_are_spans_one_at_a_time, setup),
		cmocka_unit_test_setup(span_rejects_an_unknown_zone, setup),
		cmocka_unit_test_setup(format_span_leaves_out_zero_parts, setup),
		cmocka_unit_test_setup(minutes_round_toward_the_past, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
