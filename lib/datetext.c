#include "datetext.h"

#include <stdio.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"

/*
 * The English names, marked for the catalogue, for a language uc3 has no
 * table of its own for; Indonesian and English are written from the
 * tables below, so that mail in the office's language never depends on
 * a catalogue being installed.
 */
static const char *const en_days[7] = {
	/* TRANSLATORS: the days of the week in a date, "Sunday, 29 November 2026 09:05 WIB" */
	N_("Sunday"),	N_("Monday"), N_("Tuesday"), N_("Wednesday"),
	N_("Thursday"), N_("Friday"), N_("Saturday")
};
static const char *const en_months[12] = {
	/* TRANSLATORS: the months in a date, "Monday, 30 November 2026 09:05 WIB" */
	N_("January"),	 N_("February"), N_("March"),	 N_("April"),
	N_("May"),	 N_("June"),	 N_("July"),	 N_("August"),
	N_("September"), N_("October"),	 N_("November"), N_("December")
};
static const char *const id_days[7] = { "Minggu", "Senin", "Selasa", "Rabu",
					"Kamis",  "Jumat", "Sabtu" };
static const char *const id_months[12] = { "Januari",	"Februari", "Maret",	"April",
					   "Mei",	"Juni",	    "Juli",	"Agustus",
					   "September", "Oktober",  "November", "Desember" };

/* Indonesia's three zones by the names the tz database gives them and their links. */
static const struct {
	const char *zone, *abbr;
} id_zones[] = {
	{ "Asia/Jakarta", "WIB" },	  { "Asia/Pontianak", "WIB" }, { "Asia/Makassar", "WITA" },
	{ "Asia/Ujung_Pandang", "WITA" }, { "Asia/Jayapura", "WIT" },
};

static const char *
zone_abbr(const char *tz, const struct tm *tm)
{
	size_t i;

	if (!tz)
		return "UTC";
	for (i = 0; i < sizeof(id_zones) / sizeof(id_zones[0]); i++)
		if (!strcmp(tz, id_zones[i].zone))
			return id_zones[i].abbr;
	return tm->tm_zone && *tm->tm_zone ? tm->tm_zone : "UTC";
}

int
uc3_datetext_long_in(struct uc3_buf *out, time_t t, const char *tz, const char *lang)
{
	const char *day, *month;
	struct tm tm;
	bool id = lang && !strcmp(lang, "id");
	int rc;

	if ((rc = uc3_clock_local(&tm, t, tz)) < 0)
		return rc;
	if (tm.tm_wday < 0 || tm.tm_wday > 6 || tm.tm_mon < 0 || tm.tm_mon > 11)
		return uc3_error_set(UC3_EINVAL, "time %lld is out of range", (long long)t);
	if (id) {
		day = id_days[tm.tm_wday];
		month = id_months[tm.tm_mon];
	} else if (!lang || !strcmp(lang, "en")) {
		day = en_days[tm.tm_wday];
		month = en_months[tm.tm_mon];
	} else {
		day = gettext(en_days[tm.tm_wday]);
		month = gettext(en_months[tm.tm_mon]);
	}
	uc3_buf_addf(out, "%s, %d %s %lld %02d%c%02d %s", day, tm.tm_mday, month,
		     (long long)tm.tm_year + 1900, tm.tm_hour, id ? '.' : ':', tm.tm_min,
		     zone_abbr(tz, &tm));
	return 0;
}

int
uc3_datetext_long(struct uc3_buf *out, time_t t, const char *tz)
{
	return uc3_datetext_long_in(out, t, tz, uc3_i18n_language());
}

void
uc3_datetext_long_of(struct uc3_buf *out, const char *ts, const char *tz)
{
	time_t t;

	if (!ts)
		return;
	if (uc3_clock_parse(&t, ts, NULL) == 0 && uc3_datetext_long(out, t, tz) == 0)
		return;
	uc3_error_clear();
	uc3_buf_adds(out, ts);
}
