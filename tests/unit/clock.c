#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "clock.h"
#include "error.h"

/* 2026-11-28T09:00:00+07:00, the example every message uses. */
#define T_EXAMPLE ((time_t)1795831200)
/* 2026-01-15T12:00:00Z and 2026-07-15T12:00:00Z: Berlin winter, summer. */
#define T_WINTER ((time_t)1768478400)
#define T_SUMMER ((time_t)1784116800)

/* Every test starts from the same environment, whatever the last one did. */
static int
setup(void **state)
{
	unsetenv("UC3_NOW");
	unsetenv("TZDIR");
	uc3_error_clear();
	return 0;
}

static void
assert_parses(const char *s, const char *tz, time_t want)
{
	time_t t = 0;

	if (uc3_clock_parse(&t, s, tz) < 0)
		fail_msg("'%s' (tz %s): %s", s, tz ? tz : "NULL", uc3_error_last());
	if (t != want)
		fail_msg("'%s' (tz %s): got %lld, want %lld", s, tz ? tz : "NULL", (long long)t,
			 (long long)want);
}

static void
assert_rejects(const char *s, const char *tz)
{
	time_t t = 12345;

	if (uc3_clock_parse(&t, s, tz) != UC3_EINVAL)
		fail_msg("'%s' (tz %s) was accepted as %lld", s, tz ? tz : "NULL", (long long)t);
	assert_int_equal(t, 12345);
}

static void
assert_formats(time_t t, const char *tz, const char *want)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	assert_int_equal(uc3_clock_format(&b, t, tz), 0);
	assert_string_equal(b.ptr, want);
	uc3_buf_release(&b);
}

static void
now_uses_uc3_now(void **state)
{
	time_t t = 0;

	setenv("UC3_NOW", "2026-11-28T09:00:00+07:00", 1);
	assert_int_equal(uc3_clock_now(&t), 0);
	assert_int_equal(t, T_EXAMPLE);
}

static void
now_uses_system_clock_when_uc3_now_unset(void **state)
{
	time_t before = time(NULL), t = 0;

	assert_int_equal(uc3_clock_now(&t), 0);
	assert_true(t >= before);
	assert_true(t <= time(NULL));
}

static void
now_rejects_invalid_uc3_now(void **state)
{
	time_t t = 7;

	setenv("UC3_NOW", "yesterday", 1);
	assert_int_equal(uc3_clock_now(&t), UC3_EINVAL);
	assert_int_equal(t, 7);
	assert_string_equal(uc3_error_last(), "invalid UC3_NOW 'yesterday': expected RFC 3339 "
					      "time such as 2026-11-28T09:00:00+07:00");
}

static void
now_rejects_uc3_now_without_offset(void **state)
{
	time_t t;

	setenv("UC3_NOW", "2026-11-28T09:00:00", 1);
	assert_int_equal(uc3_clock_now(&t), UC3_EINVAL);
	setenv("UC3_NOW", "2026-11-28", 1);
	assert_int_equal(uc3_clock_now(&t), UC3_EINVAL);
}

static void
now_rejects_empty_uc3_now(void **state)
{
	time_t t;

	setenv("UC3_NOW", "", 1);
	assert_int_equal(uc3_clock_now(&t), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "UC3_NOW ''"));
}

static void
now_rejects_uc3_now_before_1970(void **state)
{
	time_t t = 7;

	setenv("UC3_NOW", "1969-12-31T23:59:59Z", 1);
	assert_int_equal(uc3_clock_now(&t), UC3_EINVAL);
	assert_int_equal(t, 7);
	assert_string_equal(uc3_error_last(), "UC3_NOW '1969-12-31T23:59:59Z' is before 1970; "
					      "uc3 works with times from 1970 to 9999");
	/* The first second of 1970 is fine, in any zone it is written in. */
	setenv("UC3_NOW", "1970-01-01T07:00:00+07:00", 1);
	assert_int_equal(uc3_clock_now(&t), 0);
	assert_int_equal(t, 0);
}

static void
now_rejects_uc3_now_at_the_end_of_9999(void **state)
{
	time_t t = 7;

	setenv("UC3_NOW", "9999-12-31T00:00:00Z", 1);
	assert_int_equal(uc3_clock_now(&t), UC3_EINVAL);
	assert_int_equal(t, 7);
	assert_non_null(strstr(uc3_error_last(), "is after 9999-12-30"));
	setenv("UC3_NOW", "9999-12-30T23:59:59Z", 1);
	assert_int_equal(uc3_clock_now(&t), 0);
}

static void
parse_accepts_z(void **state)
{
	assert_parses("2026-11-28T02:00:00Z", NULL, T_EXAMPLE);
	assert_parses("2026-11-28T02:00:00z", NULL, T_EXAMPLE);
	assert_parses("1970-01-01T00:00:00Z", NULL, 0);
}

static void
parse_accepts_positive_offset(void **state)
{
	assert_parses("2026-11-28T09:00:00+07:00", NULL, T_EXAMPLE);
}

static void
parse_accepts_negative_offset(void **state)
{
	assert_parses("2026-11-27T22:30:00-03:30", NULL, T_EXAMPLE);
	assert_parses("2026-11-28T02:00:00-00:00", NULL, T_EXAMPLE);
}

static void
parse_accepts_lowercase_t_and_space(void **state)
{
	assert_parses("2026-11-28t09:00:00+07:00", NULL, T_EXAMPLE);
	assert_parses("2026-11-28 09:00:00+07:00", NULL, T_EXAMPLE);
}

static void
parse_drops_fractional_seconds(void **state)
{
	assert_parses("2026-11-28T09:00:00.999+07:00", NULL, T_EXAMPLE);
	assert_parses("2026-11-28T02:00:00.5Z", NULL, T_EXAMPLE);
	assert_parses("2026-11-28T02:00:00.000000001Z", NULL, T_EXAMPLE);
}

static void
parse_ignores_tz_when_offset_given(void **state)
{
	assert_parses("2026-11-28T09:00:00+07:00", "Europe/Berlin", T_EXAMPLE);
	assert_parses("2026-11-28T09:00:00+07:00", "Mars/Olympus", T_EXAMPLE);
}

static void
parse_accepts_leap_day(void **state)
{
	assert_parses("2024-02-29T00:00:00Z", NULL, 1709164800);
	assert_parses("2000-02-29T00:00:00Z", NULL, 951782400);
}

static void
parse_reads_leap_second_as_next_minute(void **state)
{
	assert_parses("2026-12-31T23:59:60Z", NULL, 1798761600);
}

static void
parse_accepts_year_boundaries(void **state)
{
	assert_parses("0000-01-01T00:00:00Z", NULL, (time_t)-62167219200LL);
	assert_parses("9999-12-31T23:59:59Z", NULL, (time_t)253402300799LL);
}

static void
parse_reads_local_time_in_jakarta(void **state)
{
	assert_parses("2026-11-28T09:00", "Asia/Jakarta", T_EXAMPLE);
	assert_parses("2026-11-28 09:00", "Asia/Jakarta", T_EXAMPLE);
	assert_parses("2026-11-28 09:00:00", "Asia/Jakarta", T_EXAMPLE);
	assert_parses("2026-11-28T09:00:30", "Asia/Jakarta", T_EXAMPLE + 30);
}

static void
parse_reads_local_date_as_midnight(void **state)
{
	assert_parses("2026-11-28", "Asia/Jakarta", T_EXAMPLE - 9 * 3600);
	assert_parses("2026-11-28", "UTC", T_EXAMPLE - 2 * 3600);
}

static void
parse_reads_local_time_with_dst(void **state)
{
	assert_parses("2026-01-15 13:00", "Europe/Berlin", T_WINTER);
	assert_parses("2026-07-15 14:00", "Europe/Berlin", T_SUMMER);
	/* Either side of the spring-forward gap on 2026-03-29. */
	assert_parses("2026-03-29 01:30", "Europe/Berlin", 1774744200);
	assert_parses("2026-03-29 03:30", "Europe/Berlin", 1774747800);
}

static void
parse_rejects_local_time_without_tz(void **state)
{
	assert_rejects("2026-11-28T09:00", NULL);
	assert_rejects("2026-11-28 09:00:00", NULL);
	assert_rejects("2026-11-28", NULL);
}

static void
parse_rejects_local_time_in_unknown_tz(void **state)
{
	time_t t;

	assert_int_equal(uc3_clock_parse(&t, "2026-11-28 09:00", "Mars/Olympus"), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "Mars/Olympus"));
}

static void
parse_rejects_impossible_dates(void **state)
{
	assert_rejects("2026-02-30T09:00:00Z", NULL);
	assert_rejects("2026-02-29T09:00:00Z", NULL);
	assert_rejects("1900-02-29T09:00:00Z", NULL);
	assert_rejects("2026-04-31T09:00:00Z", NULL);
	assert_rejects("2026-13-01T09:00:00Z", NULL);
	assert_rejects("2026-00-01T09:00:00Z", NULL);
	assert_rejects("2026-01-00T09:00:00Z", NULL);
	assert_rejects("2026-02-30", "Asia/Jakarta");
}

static void
parse_rejects_impossible_times(void **state)
{
	assert_rejects("2026-11-28T25:00:00Z", NULL);
	assert_rejects("2026-11-28T24:00:00Z", NULL);
	assert_rejects("2026-11-28T09:60:00Z", NULL);
	assert_rejects("2026-11-28T09:00:61Z", NULL);
	assert_rejects("2026-11-28 25:00", "Asia/Jakarta");
}

static void
parse_rejects_bad_offsets(void **state)
{
	assert_rejects("2026-11-28T09:00:00+24:00", NULL);
	assert_rejects("2026-11-28T09:00:00+07:60", NULL);
	assert_rejects("2026-11-28T09:00:00+0700", NULL);
	assert_rejects("2026-11-28T09:00:00+07", NULL);
	assert_rejects("2026-11-28T09:00:00 +07:00", NULL);
	assert_rejects("2026-11-28T09:00:00UTC", NULL);
}

static void
parse_rejects_offset_without_seconds(void **state)
{
	assert_rejects("2026-11-28T09:00+07:00", NULL);
	assert_rejects("2026-11-28T09:00Z", "Asia/Jakarta");
}

static void
parse_rejects_trailing_junk(void **state)
{
	assert_rejects("2026-11-28T09:00:00+07:00x", NULL);
	assert_rejects("2026-11-28T09:00:00Z ", NULL);
	assert_rejects("2026-11-28T09:00:00Z\n", NULL);
	assert_rejects("2026-11-28 09:00 ", "Asia/Jakarta");
	assert_rejects("2026-11-28x", "Asia/Jakarta");
}

static void
parse_rejects_malformed_fields(void **state)
{
	assert_rejects("", NULL);
	assert_rejects("", "Asia/Jakarta");
	assert_rejects("2026-1-28T09:00:00Z", NULL);
	assert_rejects("26-11-28T09:00:00Z", NULL);
	assert_rejects("2026-11-28T9:00:00Z", NULL);
	assert_rejects("2026-11-28T09:00:0Z", NULL);
	assert_rejects("2026-11-28T09:00:00.Z", NULL);
	assert_rejects("2026-11-28_09:00:00Z", NULL);
	assert_rejects(" 2026-11-28T09:00:00Z", NULL);
	assert_rejects("+2026-11-28T09:00:00Z", NULL);
	assert_rejects("2026/11/28 09:00", "Asia/Jakarta");
	assert_rejects("2026-11-28T", "Asia/Jakarta");
	assert_rejects("2026-11-28 09", "Asia/Jakarta");
}

static void
parse_error_quotes_input(void **state)
{
	time_t t;

	assert_int_equal(uc3_clock_parse(&t, "2026-02-30T09:00:00Z", NULL), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "invalid time '2026-02-30T09:00:00Z': expected "
					      "RFC 3339 such as 2026-11-28T09:00:00+07:00");
}

static void
parse_error_mentions_local_form_when_tz_given(void **state)
{
	time_t t;

	assert_int_equal(uc3_clock_parse(&t, "soon", "Asia/Jakarta"), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "'soon'"));
	assert_non_null(strstr(uc3_error_last(), "local"));
	assert_non_null(strstr(uc3_error_last(), "2026-11-28 09:00"));
}

static void
parse_error_escapes_control_bytes(void **state)
{
	time_t t;

	assert_int_equal(uc3_clock_parse(&t, "a\nb", NULL), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "'a\\x0ab'"));
	assert_null(strchr(uc3_error_last(), '\n'));
}

static void
format_utc_writes_plus_zero(void **state)
{
	assert_formats(T_EXAMPLE, NULL, "2026-11-28T02:00:00+00:00");
	assert_formats(T_EXAMPLE, "UTC", "2026-11-28T02:00:00+00:00");
	assert_formats(0, NULL, "1970-01-01T00:00:00+00:00");
}

static void
format_jakarta_writes_plus_seven(void **state)
{
	assert_formats(T_EXAMPLE, "Asia/Jakarta", "2026-11-28T09:00:00+07:00");
}

static void
format_berlin_follows_dst(void **state)
{
	assert_formats(T_WINTER, "Europe/Berlin", "2026-01-15T13:00:00+01:00");
	assert_formats(T_SUMMER, "Europe/Berlin", "2026-07-15T14:00:00+02:00");
}

static void
format_writes_negative_and_half_hour_offsets(void **state)
{
	assert_formats(T_WINTER, "America/New_York", "2026-01-15T07:00:00-05:00");
	assert_formats(T_WINTER, "Asia/Kolkata", "2026-01-15T17:30:00+05:30");
	assert_formats(T_WINTER, "America/St_Johns", "2026-01-15T08:30:00-03:30");
}

static void
format_cuts_offset_seconds_keeping_instant(void **state)
{
	struct uc3_buf b;
	time_t t = (time_t)-2000000000LL; /* 1906, Jakarta at +07:07:12 */
	time_t back;

	uc3_buf_init(&b);
	assert_int_equal(uc3_clock_format(&b, t, "Asia/Jakarta"), 0);
	assert_non_null(strstr(b.ptr, "+07:07"));
	assert_int_equal(uc3_clock_parse(&back, b.ptr, NULL), 0);
	assert_int_equal(back, t);
	uc3_buf_release(&b);
}

static void
format_appends_to_buffer(void **state)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	uc3_buf_adds(&b, "at: ");
	assert_int_equal(uc3_clock_format(&b, T_EXAMPLE, "Asia/Jakarta"), 0);
	assert_string_equal(b.ptr, "at: 2026-11-28T09:00:00+07:00");
	uc3_buf_release(&b);
}

static void
format_rejects_unknown_tz(void **state)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	assert_int_equal(uc3_clock_format(&b, T_EXAMPLE, "Mars/Olympus"), UC3_EINVAL);
	assert_string_equal(b.ptr, "");
	assert_non_null(strstr(uc3_error_last(), "'Mars/Olympus'"));
	uc3_buf_release(&b);
}

static void
format_rejects_years_past_9999(void **state)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	assert_int_equal(uc3_clock_format(&b, (time_t)253402300800LL, NULL), UC3_EINVAL);
	assert_string_equal(b.ptr, "");
	uc3_buf_release(&b);
}

static void
format_then_parse_round_trips(void **state)
{
	static const char *zones[] = { NULL,
				       "UTC",
				       "Asia/Jakarta",
				       "Europe/Berlin",
				       "America/New_York",
				       "Asia/Kolkata",
				       "Australia/Lord_Howe",
				       "Pacific/Chatham" };
	struct uc3_buf b;
	size_t z;
	time_t t;

	uc3_buf_init(&b);
	for (z = 0; z < sizeof(zones) / sizeof(zones[0]); z++) {
		/* Every 7h13m17s over three years: all hours, both sides of
		 * every DST change. */
		for (t = T_WINTER - 366 * 86400; t < T_SUMMER + 366 * 86400;
		     t += 7 * 3600 + 13 * 60 + 17) {
			time_t back = 0;

			uc3_buf_reset(&b);
			assert_int_equal(uc3_clock_format(&b, t, zones[z]), 0);
			assert_int_equal(uc3_clock_parse(&back, b.ptr, NULL), 0);
			if (back != t)
				fail_msg("%s in %s read back as %lld, not %lld", b.ptr,
					 zones[z] ? zones[z] : "NULL", (long long)back,
					 (long long)t);
		}
	}
	uc3_buf_release(&b);
}

static void
local_gives_broken_down_time_in_tz(void **state)
{
	struct tm tm;

	assert_int_equal(uc3_clock_local(&tm, T_EXAMPLE, "Asia/Jakarta"), 0);
	assert_int_equal(tm.tm_year, 2026 - 1900);
	assert_int_equal(tm.tm_mon, 10);
	assert_int_equal(tm.tm_mday, 28);
	assert_int_equal(tm.tm_hour, 9);
	assert_int_equal(tm.tm_min, 0);
	assert_int_equal(tm.tm_wday, 6);
	assert_int_equal(tm.tm_gmtoff, 7 * 3600);
}

static void
local_null_tz_is_utc(void **state)
{
	struct tm tm;

	assert_int_equal(uc3_clock_local(&tm, T_EXAMPLE, NULL), 0);
	assert_int_equal(tm.tm_hour, 2);
	assert_int_equal(tm.tm_gmtoff, 0);
}

static void
local_rejects_unknown_tz(void **state)
{
	struct tm tm;

	assert_int_equal(uc3_clock_local(&tm, T_EXAMPLE, "Mars/Olympus"), UC3_EINVAL);
}

static void
zones_can_alternate(void **state)
{
	int i;

	for (i = 0; i < 3; i++) {
		assert_formats(T_WINTER, "Asia/Jakarta", "2026-01-15T19:00:00+07:00");
		assert_formats(T_WINTER, "Europe/Berlin", "2026-01-15T13:00:00+01:00");
		assert_formats(T_WINTER, NULL, "2026-01-15T12:00:00+00:00");
	}
}

static void
zone_survives_tz_changed_behind_our_back(void **state)
{
	assert_formats(T_WINTER, "Asia/Jakarta", "2026-01-15T19:00:00+07:00");
	setenv("TZ", "Europe/Berlin", 1);
	tzset();
	assert_formats(T_WINTER, "Asia/Jakarta", "2026-01-15T19:00:00+07:00");
}

static void
tz_valid_accepts_database_zones(void **state)
{
	assert_true(uc3_clock_tz_valid("UTC"));
	assert_true(uc3_clock_tz_valid("Asia/Jakarta"));
	assert_true(uc3_clock_tz_valid("Europe/Berlin"));
	assert_true(uc3_clock_tz_valid("America/Argentina/Buenos_Aires"));
}

static void
tz_valid_rejects_unknown_names(void **state)
{
	assert_false(uc3_clock_tz_valid("Mars/Olympus"));
	assert_false(uc3_clock_tz_valid("Asia/Jakart"));
	assert_false(uc3_clock_tz_valid("asia/jakarta"));
	assert_false(uc3_clock_tz_valid("WIB-7"));
	assert_false(uc3_clock_tz_valid(":Asia/Jakarta"));
	assert_false(uc3_clock_tz_valid(""));
	assert_false(uc3_clock_tz_valid(NULL));
}

static void
tz_valid_rejects_paths(void **state)
{
	assert_false(uc3_clock_tz_valid("../etc/passwd"));
	assert_false(uc3_clock_tz_valid("Asia/../Asia/Jakarta"));
	assert_false(uc3_clock_tz_valid("/usr/share/zoneinfo/Asia/Jakarta"));
	assert_false(uc3_clock_tz_valid("/etc/passwd"));
}

static void
tz_valid_rejects_directories_and_data_files(void **state)
{
	assert_false(uc3_clock_tz_valid("Asia"));
	assert_false(uc3_clock_tz_valid("Asia/"));
	assert_false(uc3_clock_tz_valid("zone.tab"));
	assert_false(uc3_clock_tz_valid("tzdata.zi"));
}

static void
tz_valid_honours_tzdir(void **state)
{
	setenv("TZDIR", "/nonexistent", 1);
	assert_false(uc3_clock_tz_valid("Asia/Jakarta"));
	assert_true(uc3_clock_tz_valid("UTC"));
	setenv("TZDIR", "/usr/share/zoneinfo/Asia", 1);
	assert_true(uc3_clock_tz_valid("Jakarta"));
	unsetenv("TZDIR");
	assert_true(uc3_clock_tz_valid("Asia/Jakarta"));
}

static void
assert_duration(const char *s, long want)
{
	long got = -1;

	if (uc3_clock_parse_duration(&got, s) < 0)
		fail_msg("duration '%s' refused", s);
	if (got != want)
		fail_msg("duration '%s': got %ld, want %ld", s, got, want);
}

static void
assert_bad_duration(const char *s)
{
	long got = 4242;

	if (uc3_clock_parse_duration(&got, s) != UC3_EINVAL)
		fail_msg("duration '%s' accepted as %ld", s, got);
	assert_int_equal(got, 4242);
}

static void
parse_duration_accepts_policy_forms(void **state)
{
	assert_duration("5m", 300);
	assert_duration("1h", 3600);
	assert_duration("1h30m", 5400);
	assert_duration("90m", 5400);
	assert_duration("2h0m", 7200);
	assert_duration("0h5m", 300);
	assert_duration("30m", 1800);
	assert_duration("05m", 300);
	assert_duration("48h", 48 * 3600);
}

static void
parse_duration_rejects_malformed(void **state)
{
	assert_bad_duration("");
	assert_bad_duration("5");
	assert_bad_duration("m");
	assert_bad_duration("h");
	assert_bad_duration("-5m");
	assert_bad_duration("+5m");
	assert_bad_duration("5x");
	assert_bad_duration("5M");
	assert_bad_duration("45s");
	assert_bad_duration("1d");
	assert_bad_duration(" 5m");
	assert_bad_duration("5m ");
	assert_bad_duration("5 m");
	assert_bad_duration("1h 30m");
	assert_bad_duration("30m1h");
	assert_bad_duration("1h30");
	assert_bad_duration("1h30mm");
	assert_bad_duration("1hm");
	assert_bad_duration("1.5h");
	assert_bad_duration(NULL);
}

static void
parse_duration_rejects_zero(void **state)
{
	assert_bad_duration("0m");
	assert_bad_duration("0h");
	assert_bad_duration("0h0m");
}

static void
parse_duration_rejects_minutes_over_59_after_hours(void **state)
{
	assert_bad_duration("1h60m");
	assert_bad_duration("1h90m");
	assert_duration("1h59m", 3600 + 59 * 60);
}

static void
parse_duration_rejects_overflow(void **state)
{
	assert_bad_duration("99999999999999999999999m");
	assert_bad_duration("9223372036854775807m");
	assert_bad_duration("9223372036854775807h");
	assert_bad_duration("2562047788015215h59m");
	assert_duration("153722867280912930m", 153722867280912930L * 60);
}

static void
assert_duration_text(long seconds, const char *want)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	uc3_clock_format_duration(&b, seconds);
	if (strcmp(b.ptr, want))
		fail_msg("%ld s: got '%s', want '%s'", seconds, b.ptr, want);
	uc3_buf_release(&b);
}

static void
format_duration_writes_short_form(void **state)
{
	assert_duration_text(300, "5m");
	assert_duration_text(3600, "1h");
	assert_duration_text(2 * 3600 + 5 * 60, "2h 5m");
	assert_duration_text(27 * 3600, "1d 3h");
	assert_duration_text(27 * 3600 + 5 * 60, "1d 3h 5m");
	assert_duration_text(86400 + 5 * 60, "1d 5m");
	assert_duration_text(3 * 86400, "3d");
}

static void
format_duration_drops_seconds(void **state)
{
	assert_duration_text(359, "5m");
	assert_duration_text(3659, "1h");
}

static void
format_duration_writes_zero_and_under_a_minute(void **state)
{
	assert_duration_text(0, "0m");
	assert_duration_text(1, "<1m");
	assert_duration_text(59, "<1m");
	assert_duration_text(60, "1m");
}

static void
format_duration_writes_negative_with_minus(void **state)
{
	assert_duration_text(-300, "-5m");
	assert_duration_text(-(2 * 3600 + 5 * 60), "-2h 5m");
	assert_duration_text(-30, "-<1m");
	assert_duration_text(-59, "-<1m");
}

static void
format_duration_handles_extremes(void **state)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	uc3_clock_format_duration(&b, LONG_MIN);
	assert_int_equal(b.ptr[0], '-');
	uc3_buf_reset(&b);
	uc3_clock_format_duration(&b, LONG_MAX);
	assert_true(b.ptr[0] >= '1' && b.ptr[0] <= '9');
	uc3_buf_release(&b);
}

static void
format_duration_appends_to_buffer(void **state)
{
	struct uc3_buf b;

	uc3_buf_init(&b);
	uc3_buf_adds(&b, "late by ");
	uc3_clock_format_duration(&b, 3600 + 60);
	assert_string_equal(b.ptr, "late by 1h 1m");
	uc3_buf_release(&b);
}

/*
 * uc3_clock_local remembers the offset of the hour it last converted;
 * every instant across a change of offset (Berlin's spring and autumn of
 * 2026, Newfoundland's half hours, Lord Howe's half-hour summer time)
 * must still read as the zone's rules have it. The reference is glibc's
 * own localtime_r, with the zone set afresh.
 */
static void
local_time_across_changes_of_offset_is_the_zones(void **state)
{
	static const struct {
		const char *zone;
		time_t from;
	} cases[] = {
		{ "Europe/Berlin", 1774746000 - 2 * 86400 },   /* 2026-03-29 01:00Z */
		{ "Europe/Berlin", 1792890000 - 2 * 86400 },   /* 2026-10-25 01:00Z */
		{ "America/St_Johns", 1772928000 - 86400 },    /* 2026-03-08 */
		{ "Australia/Lord_Howe", 1775347200 - 86400 }, /* 2026-04-05 */
		{ "Asia/Jakarta", 1798761600 - 86400 },	       /* 2027-01-01 */
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		time_t t;

		for (t = cases[i].from; t < cases[i].from + 4 * 86400; t += 7 * 60 + 13) {
			struct tm got, want;
			struct uc3_buf b = UC3_BUF_INIT;
			char text[64];

			assert_int_equal(uc3_clock_local(&got, t, cases[i].zone), 0);
			setenv("TZ", cases[i].zone, 1);
			tzset();
			assert_non_null(localtime_r(&t, &want));
			if (got.tm_year != want.tm_year || got.tm_yday != want.tm_yday ||
			    got.tm_hour != want.tm_hour || got.tm_min != want.tm_min ||
			    got.tm_sec != want.tm_sec || got.tm_wday != want.tm_wday ||
			    got.tm_mon != want.tm_mon || got.tm_mday != want.tm_mday ||
			    got.tm_gmtoff != want.tm_gmtoff || got.tm_isdst != want.tm_isdst ||
			    strcmp(got.tm_zone, want.tm_zone))
				fail_msg("%s at %lld: %02d:%02d %+ld, expected %02d:%02d %+ld",
					 cases[i].zone, (long long)t, got.tm_hour, got.tm_min,
					 got.tm_gmtoff, want.tm_hour, want.tm_min, want.tm_gmtoff);
			assert_int_equal(uc3_clock_format(&b, t, cases[i].zone), 0);
			strftime(text, sizeof(text), "%Y-%m-%dT%H:%M:%S", &want);
			assert_memory_equal(b.ptr, text, strlen(text));
			uc3_buf_release(&b);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(now_uses_uc3_now, setup),
		cmocka_unit_test_setup(now_uses_system_clock_when_uc3_now_unset, setup),
		cmocka_unit_test_setup(now_rejects_invalid_uc3_now, setup),
		cmocka_unit_test_setup(now_rejects_uc3_now_without_offset, setup),
		cmocka_unit_test_setup(now_rejects_empty_uc3_now, setup),
		cmocka_unit_test_setup(now_rejects_uc3_now_before_1970, setup),
		cmocka_unit_test_setup(now_rejects_uc3_now_at_the_end_of_9999, setup),
		cmocka_unit_test_setup(parse_accepts_z, setup),
		cmocka_unit_test_setup(parse_accepts_positive_offset, setup),
		cmocka_unit_test_setup(parse_accepts_negative_offset, setup),
		cmocka_unit_test_setup(parse_accepts_lowercase_t_and_space, setup),
		cmocka_unit_test_setup(parse_drops_fractional_seconds, setup),
		cmocka_unit_test_setup(parse_ignores_tz_when_offset_given, setup),
		cmocka_unit_test_setup(parse_accepts_leap_day, setup),
		cmocka_unit_test_setup(parse_reads_leap_second_as_next_minute, setup),
		cmocka_unit_test_setup(parse_accepts_year_boundaries, setup),
		cmocka_unit_test_setup(parse_reads_local_time_in_jakarta, setup),
		cmocka_unit_test_setup(parse_reads_local_date_as_midnight, setup),
		cmocka_unit_test_setup(parse_reads_local_time_with_dst, setup),
		cmocka_unit_test_setup(parse_rejects_local_time_without_tz, setup),
		cmocka_unit_test_setup(parse_rejects_local_time_in_unknown_tz, setup),
		cmocka_unit_test_setup(parse_rejects_impossible_dates, setup),
		cmocka_unit_test_setup(parse_rejects_impossible_times, setup),
		cmocka_unit_test_setup(parse_rejects_bad_offsets, setup),
		cmocka_unit_test_setup(parse_rejects_offset_without_seconds, setup),
		cmocka_unit_test_setup(parse_rejects_trailing_junk, setup),
		cmocka_unit_test_setup(parse_rejects_malformed_fields, setup),
		cmocka_unit_test_setup(parse_error_quotes_input, setup),
		cmocka_unit_test_setup(parse_error_mentions_local_form_when_tz_given, setup),
		cmocka_unit_test_setup(parse_error_escapes_control_bytes, setup),
		cmocka_unit_test_setup(format_utc_writes_plus_zero, setup),
		cmocka_unit_test_setup(format_jakarta_writes_plus_seven, setup),
		cmocka_unit_test_setup(format_berlin_follows_dst, setup),
		cmocka_unit_test_setup(format_writes_negative_and_half_hour_offsets, setup),
		cmocka_unit_test_setup(format_cuts_offset_seconds_keeping_instant, setup),
		cmocka_unit_test_setup(format_appends_to_buffer, setup),
		cmocka_unit_test_setup(format_rejects_unknown_tz, setup),
		cmocka_unit_test_setup(format_rejects_years_past_9999, setup),
		cmocka_unit_test_setup(format_then_parse_round_trips, setup),
		cmocka_unit_test_setup(local_gives_broken_down_time_in_tz, setup),
		cmocka_unit_test_setup(local_null_tz_is_utc, setup),
		cmocka_unit_test_setup(local_rejects_unknown_tz, setup),
		cmocka_unit_test_setup(zones_can_alternate, setup),
		cmocka_unit_test_setup(zone_survives_tz_changed_behind_our_back, setup),
		cmocka_unit_test_setup(tz_valid_accepts_database_zones, setup),
		cmocka_unit_test_setup(tz_valid_rejects_unknown_names, setup),
		cmocka_unit_test_setup(tz_valid_rejects_paths, setup),
		cmocka_unit_test_setup(tz_valid_rejects_directories_and_data_files, setup),
		cmocka_unit_test_setup(tz_valid_honours_tzdir, setup),
		cmocka_unit_test_setup(parse_duration_accepts_policy_forms, setup),
		cmocka_unit_test_setup(parse_duration_rejects_malformed, setup),
		cmocka_unit_test_setup(parse_duration_rejects_zero, setup),
		cmocka_unit_test_setup(parse_duration_rejects_minutes_over_59_after_hours, setup),
		cmocka_unit_test_setup(parse_duration_rejects_overflow, setup),
		cmocka_unit_test_setup(format_duration_writes_short_form, setup),
		cmocka_unit_test_setup(format_duration_drops_seconds, setup),
		cmocka_unit_test_setup(format_duration_writes_zero_and_under_a_minute, setup),
		cmocka_unit_test_setup(format_duration_writes_negative_with_minus, setup),
		cmocka_unit_test_setup(format_duration_handles_extremes, setup),
		cmocka_unit_test_setup(format_duration_appends_to_buffer, setup),
		cmocka_unit_test_setup(local_time_across_changes_of_offset_is_the_zones, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
