#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "buf.h"
#include "datetext.h"
#include "error.h"

/* 2026-11-28T09:00:00+07:00, a Saturday, the example every message uses. */
#define T_EXAMPLE ((time_t)1795831200)
/* Monday 2026-11-30 09:05 in Jakarta. */
#define T_MONDAY (T_EXAMPLE + 2 * 86400 + 5 * 60)

static int
setup(void **state)
{
	unsetenv("TZDIR");
	uc3_error_clear();
	return 0;
}

static void
assert_long(time_t t, const char *tz, const char *lang, const char *want)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (uc3_datetext_long_in(&b, t, tz, lang) < 0)
		fail_msg("%lld in %s (%s): %s", (long long)t, tz ? tz : "UTC", lang ? lang : "NULL",
			 uc3_error_last());
	assert_string_equal(b.ptr, want);
	uc3_buf_release(&b);
}

static void
indonesian_names_every_day_of_the_week(void **state)
{
	static const char *const want[7] = {
		"Sabtu, 28 November 2026 09.00 WIB", "Minggu, 29 November 2026 09.00 WIB",
		"Senin, 30 November 2026 09.00 WIB", "Selasa, 1 Desember 2026 09.00 WIB",
		"Rabu, 2 Desember 2026 09.00 WIB",   "Kamis, 3 Desember 2026 09.00 WIB",
		"Jumat, 4 Desember 2026 09.00 WIB",
	};
	int i;

	for (i = 0; i < 7; i++)
		assert_long(T_EXAMPLE + i * 86400, "Asia/Jakarta", "id", want[i]);
}

static void
english_names_every_day_of_the_week(void **state)
{
	static const char *const want[7] = {
		"Saturday, 28 November 2026 09:00 WIB", "Sunday, 29 November 2026 09:00 WIB",
		"Monday, 30 November 2026 09:00 WIB",	"Tuesday, 1 December 2026 09:00 WIB",
		"Wednesday, 2 December 2026 09:00 WIB", "Thursday, 3 December 2026 09:00 WIB",
		"Friday, 4 December 2026 09:00 WIB",
	};
	int i;

	for (i = 0; i < 7; i++)
		assert_long(T_EXAMPLE + i * 86400, "Asia/Jakarta", "en", want[i]);
}

static void
indonesian_writes_the_time_with_a_full_stop(void **state)
{
	assert_long(T_MONDAY, "Asia/Jakarta", "id", "Senin, 30 November 2026 09.05 WIB");
	assert_long(T_MONDAY, "Asia/Jakarta", "en", "Monday, 30 November 2026 09:05 WIB");
}

static void
indonesias_three_zones_by_their_names(void **state)
{
	assert_long(T_MONDAY, "Asia/Makassar", "id", "Senin, 30 November 2026 10.05 WITA");
	assert_long(T_MONDAY, "Asia/Jayapura", "id", "Senin, 30 November 2026 11.05 WIT");
	assert_long(T_MONDAY, "Asia/Makassar", "en", "Monday, 30 November 2026 10:05 WITA");
	assert_long(T_MONDAY, "Asia/Jayapura", "en", "Monday, 30 November 2026 11:05 WIT");
}

static void
a_zone_across_midnight_changes_the_day(void **state)
{
	/* 23:30 in Jakarta is already the next day in Jayapura. */
	time_t t = T_EXAMPLE + 2 * 86400 + 14 * 3600 + 30 * 60;

	assert_long(t, "Asia/Jakarta", "id", "Senin, 30 November 2026 23.30 WIB");
	assert_long(t, "Asia/Jayapura", "id", "Selasa, 1 Desember 2026 01.30 WIT");
}

static void
other_zones_take_the_tz_database_abbreviation(void **state)
{
	assert_long(T_MONDAY, "Europe/Berlin", "en", "Monday, 30 November 2026 03:05 CET");
	assert_long(T_MONDAY, NULL, "id", "Senin, 30 November 2026 02.05 UTC");
	assert_long(T_MONDAY, "UTC", "en", "Monday, 30 November 2026 02:05 UTC");
}

static void
every_month_has_its_name(void **state)
{
	static const char *const id[12] = { "Januari",	 "Februari", "Maret",	 "April",
					    "Mei",	 "Juni",     "Juli",	 "Agustus",
					    "September", "Oktober",  "November", "Desember" };
	static const char *const en[12] = { "January",	 "February", "March",	 "April",
					    "May",	 "June",     "July",	 "August",
					    "September", "October",  "November", "December" };
	int m;

	for (m = 0; m < 12; m++) {
		struct tm tm = { .tm_year = 127, .tm_mon = m, .tm_mday = 15, .tm_hour = 5 };
		time_t t = timegm(&tm);
		struct uc3_buf b = UC3_BUF_INIT;

		assert_int_equal(uc3_datetext_long_in(&b, t, "Asia/Jakarta", "id"), 0);
		assert_non_null(strstr(b.ptr, id[m]));
		uc3_buf_reset(&b);
		assert_int_equal(uc3_datetext_long_in(&b, t, "Asia/Jakarta", "en"), 0);
		assert_non_null(strstr(b.ptr, en[m]));
		uc3_buf_release(&b);
	}
}

static void
no_language_is_english(void **state)
{
	assert_long(T_MONDAY, "Asia/Jakarta", NULL, "Monday, 30 November 2026 09:05 WIB");
}

static void
appends_to_what_is_there(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_buf_adds(&b, "batas ");
	assert_int_equal(uc3_datetext_long_in(&b, T_MONDAY, "Asia/Jakarta", "id"), 0);
	assert_string_equal(b.ptr, "batas Senin, 30 November 2026 09.05 WIB");
	uc3_buf_release(&b);
}

static void
an_unknown_zone_is_an_error_and_writes_nothing(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_buf_adds(&b, "x");
	assert_int_equal(uc3_datetext_long_in(&b, T_MONDAY, "Asia/Nowhere", "id"), UC3_EINVAL);
	assert_string_equal(b.ptr, "x");
	uc3_buf_release(&b);
}

static void
a_timestamp_that_does_not_read_is_written_as_it_is(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_datetext_long_of(&b, "yesterday", "Asia/Jakarta");
	assert_string_equal(b.ptr, "yesterday");
	uc3_buf_reset(&b);
	uc3_datetext_long_of(&b, NULL, "Asia/Jakarta");
	assert_true(b.len == 0);
	uc3_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(indonesian_names_every_day_of_the_week, setup),
		cmocka_unit_test_setup(english_names_every_day_of_the_week, setup),
		cmocka_unit_test_setup(indonesian_writes_the_time_with_a_full_stop, setup),
		cmocka_unit_test_setup(indonesias_three_zones_by_their_names, setup),
		cmocka_unit_test_setup(a_zone_across_midnight_changes_the_day, setup),
		cmocka_unit_test_setup(other_zones_take_the_tz_database_abbreviation, setup),
		cmocka_unit_test_setup(every_month_has_its_name, setup),
		cmocka_unit_test_setup(no_language_is_english, setup),
		cmocka_unit_test_setup(appends_to_what_is_there, setup),
		cmocka_unit_test_setup(an_unknown_zone_is_an_error_and_writes_nothing, setup),
		cmocka_unit_test_setup(a_timestamp_that_does_not_read_is_written_as_it_is, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
