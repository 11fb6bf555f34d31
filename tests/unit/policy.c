#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "error.h"
#include "policy.h"

/*
 * The smallest valid policy. Line numbers matter: the rejection tests
 * change one line of it and expect the message to point there.
 */
static const char base[] = "office: Test Office\n"	    /* 1 */
			   "id_prefix: UC3\n"		    /* 2 */
			   "timezone: Asia/Jakarta\n"	    /* 3 */
			   "roles:\n"			    /* 4 */
			   "  - {id: staf, name: Staf}\n"   /* 5 */
			   "  - {id: wakor, name: Wakor}\n" /* 6 */
			   "steps:\n"			    /* 7 */
			   "  staf: 5m\n"		    /* 8 */
			   "  wakor: 1h\n"		    /* 9 */
			   "  deliver: 5m\n"		    /* 10 */
			   "  archive: 5m\n"		    /* 11 */
			   "calendar:\n"		    /* 12 */
			   "  hours:\n"			    /* 13 */
			   "    mon: 07:30-16:00\n"	    /* 14 */
			   "  holidays: []\n"		    /* 15 */
			   "kinds: [pertanyaan, keluhan]\n" /* 16 */
			   "channels: [email, telepon]\n";  /* 17 */

static const char people[] = "people:\n"					   /* 18 */
			     "  - email: Humas1@Example.ac.id\n"		   /* 19 */
			     "    name: Staf Satu\n"				   /* 20 */
			     "    roles: [staf]\n"				   /* 21 */
			     "    keys: [\"ssh-ed25519 AAAA humas1\", 0123ABCD]\n" /* 22 */
			     "  - email: wakor@example.ac.id\n"			   /* 23 */
			     "    roles: [staf, wakor]\n";			   /* 24 */

/* base with the first occurrence of old replaced by new; free() it. */
static char *
with(const char *doc, const char *old, const char *newer)
{
	const char *at = strstr(doc, old);
	size_t pre, len;
	char *s;

	if (at == NULL)
		fail_msg("test bug: \"%s\" not in the document", old);
	pre = (size_t)(at - doc);
	len = strlen(doc) - strlen(old) + strlen(newer);
	s = malloc(len + 1);
	assert_non_null(s);
	memcpy(s, doc, pre);
	strcpy(s + pre, newer);
	strcat(s, at + strlen(old));
	return s;
}

static char *
plus(const char *doc, const char *more)
{
	char *s = malloc(strlen(doc) + strlen(more) + 1);

	assert_non_null(s);
	strcpy(s, doc);
	strcat(s, more);
	return s;
}

static struct uc3_policy *
parse_ok(const char *doc)
{
	struct uc3_policy *p = NULL;

	if (uc3_policy_parse(&p, doc, strlen(doc), "test.yaml") < 0)
		fail_msg("policy refused: %s", uc3_error_last());
	assert_non_null(p);
	return p;
}

/*
 * The document is refused as a policy error whose message starts at
 * test.yaml:pos and contains what.
 */
static void
refuse(const char *doc, const char *pos, const char *what)
{
	struct uc3_policy *p = (struct uc3_policy *)1;
	char want[64];
	int rc;

	rc = uc3_policy_parse(&p, doc, strlen(doc), "test.yaml");
	if (rc == 0) {
		uc3_policy_free(p);
		fail_msg("policy accepted, expected an error at %s (%s)", pos, what);
	}
	assert_int_equal(rc, UC3_EPOLICY);
	assert_null(p);
	/* pos NULL: the YAML reader's message, at a place it chooses. */
	snprintf(want, sizeof(want), "test.yaml:%s%s", pos ? pos : "", pos ? ": " : "");
	if (strstr(uc3_error_last(), want) != uc3_error_last())
		fail_msg("message \"%s\" does not start with \"%s\"", uc3_error_last(), want);
	if (what && !strstr(uc3_error_last(), what))
		fail_msg("message \"%s\" does not say \"%s\"", uc3_error_last(), what);
}

/* Replace old by new in base and expect a refusal at pos. */
static void
refuse_with(const char *old, const char *newer, const char *pos, const char *what)
{
	char *doc = with(base, old, newer);

	refuse(doc, pos, what);
	free(doc);
}

static void
refuse_plus(const char *more, const char *pos, const char *what)
{
	char *doc = plus(base, more);

	refuse(doc, pos, what);
	free(doc);
}

static struct uc3_policy *
parse_with(const char *old, const char *newer)
{
	char *doc = with(base, old, newer);
	struct uc3_policy *p = parse_ok(doc);

	free(doc);
	return p;
}

static struct uc3_policy *
parse_plus(const char *more)
{
	char *doc = plus(base, more);
	struct uc3_policy *p = parse_ok(doc);

	free(doc);
	return p;
}

static void
assert_range(const struct uc3_calendar *cal, int wday, size_t i, int start, int end)
{
	assert_true(i < cal->nday[wday]);
	assert_int_equal(cal->day[wday][i].start, start);
	assert_int_equal(cal->day[wday][i].end, end);
}

/* The roles of correction c, joined by ",". */
static void
assert_correct_roles(const struct uc3_policy *p, enum uc3_correction c, const char *want)
{
	char got[256] = "";
	size_t i;

	for (i = 0; i < p->ncorrect_roles[c]; i++) {
		if (i)
			strcat(got, ",");
		strcat(got, p->correct_roles[c][i]);
	}
	assert_string_equal(got, want);
}

/* The tests run from the project root, where records/ is. */
static void
default_file_is_the_sop(void **state)
{
	static const char *const ids[] = { "staf", "wakor", "koordinator", "kabiro" };
	static const char *const names[] = { "Staf Humas", "Wakil Koordinator PKIH",
					     "Koordinator PKIH", "Kepala Biro III" };
	static const long steps[] = { 300, 3600, 7200, 1800 };
	struct uc3_policy *p = NULL;
	char data[65536];
	size_t len, i;
	FILE *f;
	int d;

	f = fopen("records/uc3.yaml", "rb");
	if (f == NULL)
		fail_msg("cannot open records/uc3.yaml (run from the project "
			 "root)");
	len = fread(data, 1, sizeof(data), f);
	fclose(f);
	assert_true(len > 0 && len < sizeof(data));
	if (uc3_policy_parse(&p, data, len, "records/uc3.yaml") < 0)
		fail_msg("%s", uc3_error_last());

	assert_string_equal(p->office, "University Customer Care Center (UC3), "
				       "Universitas Jember");
	assert_string_equal(p->sop, "SOP PKIH HUM-08 (rev. 2022-01-11)");
	assert_string_equal(p->id_prefix, "UC3");
	assert_string_equal(p->timezone, "Asia/Jakarta");
	assert_false(p->require_signed);
	assert_int_equal(p->nroles, 4);
	for (i = 0; i < 4; i++) {
		assert_string_equal(p->roles[i].id, ids[i]);
		assert_string_equal(p->roles[i].name, names[i]);
		assert_int_equal(p->roles[i].step, steps[i]);
	}
	assert_int_equal(p->step_deliver, 300);
	assert_int_equal(p->step_archive, 300);
	assert_false(p->calendar.always);
	assert_int_equal(p->calendar.nday[0], 0);
	assert_int_equal(p->calendar.nday[6], 0);
	for (d = 1; d <= 5; d++) {
		assert_int_equal(p->calendar.nday[d], 1);
		assert_range(&p->calendar, d, 0, 7 * 60 + 30, 16 * 60);
	}
	/* Indonesia's 2026: 17 national holidays and 8 days of cuti bersama. */
	assert_int_equal(p->calendar.nholidays, 25);
	assert_int_equal(p->calendar.holidays[0], 20260101);
	for (i = 0; i < 7; i++)
		assert_int_equal(p->calendar.holidays[4 + i], 20260318 + (int)i);
	assert_int_equal(p->calendar.holidays[24], 20261225);
	assert_int_equal(p->nunits, 25);
	assert_string_equal(p->units[1].name, "Bagian Keuangan");
	assert_string_equal(uc3_policy_unit(p, "BAK"), "Bagian Keuangan");
	assert_string_equal(uc3_policy_unit(p, "fkip"), "Fakultas Keguruan dan Ilmu Pendidikan");
	assert_int_equal(p->nkinds, 4);
	assert_string_equal(p->kinds[0], "pertanyaan");
	assert_string_equal(p->kinds[3], "lainnya");
	assert_int_equal(p->nchannels, 6);
	assert_string_equal(p->channels[5], "media-sosial");
	assert_int_equal(p->npeople, 0);
	assert_string_equal(p->mail_from, "UC3 Universitas Jember <uc3@unej.ac.id>");
	assert_string_equal(p->sendmail, "/usr/sbin/sendmail -t -i");
	assert_int_equal(p->body_limit, 1024 * 1024);
	assert_correct_roles(p, UC3_CORRECT_EDIT, "staf,wakor,koordinator,kabiro");
	assert_correct_roles(p, UC3_CORRECT_REOPEN, "koordinator,kabiro");
	assert_correct_roles(p, UC3_CORRECT_CLOSE_AS, "wakor,koordinator,kabiro");
	assert_int_equal(p->attachment_limit, 10 * 1024 * 1024);
	uc3_policy_free(p);
}

static void
optional_keys_take_their_defaults(void **state)
{
	struct uc3_policy *p = parse_ok(base);

	assert_null(p->sop);
	assert_false(p->require_signed);
	assert_int_equal(p->npeople, 0);
	assert_null(p->people);
	assert_null(p->mail_from);
	assert_string_equal(p->sendmail, "/usr/sbin/sendmail -t -i");
	assert_int_equal(p->body_limit, UC3_BODY_LIMIT_DEFAULT);
	assert_int_equal(p->attachment_limit, UC3_ATTACHMENT_LIMIT_DEFAULT);
	uc3_policy_free(p);
}

static void
null_means_absent(void **state)
{
	struct uc3_policy *p = parse_plus("sop: ~\nrequire_signed:\n"
					  "people: ~\nmail: null\n"
					  "limits: {body: ~}\n");

	assert_null(p->sop);
	assert_false(p->require_signed);
	assert_int_equal(p->npeople, 0);
	assert_string_equal(p->sendmail, "/usr/sbin/sendmail -t -i");
	assert_int_equal(p->body_limit, UC3_BODY_LIMIT_DEFAULT);
	uc3_policy_free(p);
}

static void
role_name_defaults_to_id(void **state)
{
	struct uc3_policy *p = parse_with("{id: wakor, name: Wakor}", "{id: wakor}");

	assert_string_equal(p->roles[1].name, "wakor");
	uc3_policy_free(p);
}

static void
refuses_non_mapping_document(void **state)
{
	refuse("- a\n- b\n", "1:1", "mapping");
}

static void
refuses_bad_yaml_as_policy_error(void **state)
{
	refuse_plus("office: again\n", "18:1", NULL);
	refuse_plus("kinds2: [a\n", NULL, NULL);
}

static void
refuses_unknown_top_key(void **state)
{
	refuse_plus("colour: red\n", "18:1", "unknown key \"colour\"");
	refuse_plus("colour: red\n", "18:1", "allowed: office, sop");
}

static void
refuses_missing_required_key(void **state)
{
	refuse_with("timezone: Asia/Jakarta\n", "", "1:1", "missing required key \"timezone\"");
	refuse_with("channels: [email, telepon]\n", "", "1:1", "channels");
	refuse_with("office: Test Office\n", "", "1:1", "office");
}

static void
refuses_null_required_key(void **state)
{
	refuse_with("timezone: Asia/Jakarta", "timezone: ~", "3:11", "timezone needs a value");
}

static void
refuses_empty_office(void **state)
{
	refuse_with("office: Test Office", "office: \"  \"", "1:9", "empty");
	refuse_with("office: Test Office", "office: \"a\\nb\"", "1:9", "one line");
	refuse_with("office: Test Office", "office: [a]", "1:9", "string");
}

static void
refuses_bad_id_prefix(void **state)
{
	struct uc3_policy *p;

	refuse_with("id_prefix: UC3", "id_prefix: uc3", "2:12", "id_prefix");
	refuse_with("id_prefix: UC3", "id_prefix: 3UC", "2:12", "id_prefix");
	refuse_with("id_prefix: UC3", "id_prefix: UC-3", "2:12", "id_prefix");
	refuse_with("id_prefix: UC3", "id_prefix: ABCDEFGHIJKLMNOPQ", "2:12", "id_prefix");
	p = parse_with("id_prefix: UC3", "id_prefix: A234567890123456");
	assert_string_equal(p->id_prefix, "A234567890123456");
	uc3_policy_free(p);
}

static void
refuses_unknown_timezone(void **state)
{
	refuse_with("Asia/Jakarta", "Mars/Olympus_Mons", "3:11", "tz database");
	refuse_with("Asia/Jakarta", "../../etc/passwd", "3:11", "tz database");
	refuse_with("Asia/Jakarta", "/etc/localtime", "3:11", "tz database");
}

static void
require_signed_is_a_boolean(void **state)
{
	struct uc3_policy *p = parse_plus("require_signed: true\n");

	assert_true(p->require_signed);
	uc3_policy_free(p);
	refuse_plus("require_signed: yes\n", "18:17", "true or false");
}

static void
language_is_id_or_en(void **state)
{
	struct uc3_policy *p = parse_ok(base);

	assert_null(p->language);
	uc3_policy_free(p);
	p = parse_plus("language: id\n");
	assert_string_equal(p->language, "id");
	uc3_policy_free(p);
	p = parse_plus("language: en\n");
	assert_string_equal(p->language, "en");
	uc3_policy_free(p);
	p = parse_plus("language: ~\n");
	assert_null(p->language);
	uc3_policy_free(p);
	refuse_plus("language: xx\n", "18:11", "language \"xx\" must be id (Indonesian) or en");
	refuse_plus("language: ID\n", "18:11", "language");
	refuse_plus("language: [id]\n", "18:11", "language");
}

static void
refuses_empty_roles(void **state)
{
	refuse_with("roles:\n  - {id: staf, name: Staf}\n"
		    "  - {id: wakor, name: Wakor}\n",
		    "roles: []\n", "4:8", "at least one role");
	refuse_with("roles:\n  - {id: staf, name: Staf}\n"
		    "  - {id: wakor, name: Wakor}\n",
		    "roles: staf\n", "4:8", "sequence");
}

static void
refuses_duplicate_role(void **state)
{
	refuse_with("{id: wakor,", "{id: staf,", "6:10", "listed twice");
}

static void
refuses_bad_role_id(void **state)
{
	refuse_with("{id: staf,", "{id: Staf,", "5:10", "[a-z][a-z0-9_-]*");
	refuse_with("{id: staf,", "{id: 1staf,", "5:10", "[a-z][a-z0-9_-]*");
	refuse_with("{id: staf,", "{id: deliver,", "5:10", "reserved");
	refuse_with("{id: staf, name: Staf}", "{name: Staf}", "5:5", "missing required key \"id\"");
}

static void
refuses_unknown_role_key(void **state)
{
	refuse_with("{id: staf, name: Staf}", "{id: staf, nama: Staf}", "5:16",
		    "allowed: id, name");
}

static void
refuses_missing_step_for_role(void **state)
{
	refuse_with("  wakor: 1h\n", "", "8:3", "no step for role \"wakor\"");
}

static void
refuses_missing_deliver_and_archive(void **state)
{
	refuse_with("  deliver: 5m\n", "", "8:3", "\"deliver\"");
	refuse_with("  archive: 5m\n", "", "8:3", "\"archive\"");
}

static void
refuses_unknown_step(void **state)
{
	refuse_with("  archive: 5m\n", "  archive: 5m\n  kabiro: 1h\n", "12:3",
		    "unknown step \"kabiro\"");
}

static void
refuses_bad_duration(void **state)
{
	refuse_with("wakor: 1h", "wakor: 1 hour", "9:10", "bad duration");
	refuse_with("wakor: 1h", "wakor: 60", "9:10", "bad duration");
	refuse_with("wakor: 1h", "wakor: 0m", "9:10", "steps.wakor");
	refuse_with("deliver: 5m", "deliver: ~", "10:12", "deliver");
}

static void
durations_in_seconds(void **state)
{
	struct uc3_policy *p = parse_with("wakor: 1h", "wakor: 1h30m");

	assert_int_equal(p->roles[1].step, 5400);
	uc3_policy_free(p);
	p = parse_with("wakor: 1h", "wakor: 90m");
	assert_int_equal(p->roles[1].step, 5400);
	uc3_policy_free(p);
}

static void
hours_lunch_break(void **state)
{
	struct uc3_policy *p;

	p = parse_with("mon: 07:30-16:00", "mon: 07:30-12:00,13:00-16:00");
	assert_int_equal(p->calendar.nday[1], 2);
	assert_range(&p->calendar, 1, 0, 450, 720);
	assert_range(&p->calendar, 1, 1, 780, 960);
	uc3_policy_free(p);
	/* Given out of order, kept in order; blanks after commas are fine. */
	p = parse_with("mon: 07:30-16:00", "mon: 13:00-16:00, 07:30-12:00");
	assert_int_equal(p->calendar.nday[1], 2);
	assert_range(&p->calendar, 1, 0, 450, 720);
	assert_range(&p->calendar, 1, 1, 780, 960);
	uc3_policy_free(p);
}

static void
hours_ranges_that_touch_merge(void **state)
{
	struct uc3_policy *p;

	p = parse_with("mon: 07:30-16:00", "mon: 08:00-12:00,12:00-13:00");
	assert_int_equal(p->calendar.nday[1], 1);
	assert_range(&p->calendar, 1, 0, 480, 780);
	uc3_policy_free(p);
}

static void
hours_whole_day(void **state)
{
	struct uc3_policy *p;

	p = parse_with("mon: 07:30-16:00", "mon: 00:00-24:00\n    sat: 9:00-12:00");
	assert_range(&p->calendar, 1, 0, 0, 1440);
	assert_range(&p->calendar, 6, 0, 540, 720);
	uc3_policy_free(p);
}

static void
hours_refuses_overlap(void **state)
{
	refuse_with("mon: 07:30-16:00", "mon: 07:30-12:00,11:00-16:00", "14:10", "overlap");
}

static void
hours_refuses_empty_or_backward_range(void **state)
{
	refuse_with("mon: 07:30-16:00", "mon: 16:00-07:30", "14:10", "end after it starts");
	refuse_with("mon: 07:30-16:00", "mon: 08:00-08:00", "14:10", "end after it starts");
}

static void
hours_refuses_bad_times(void **state)
{
	refuse_with("07:30-16:00", "07:30-24:30", "14:10", "bad time ranges");
	refuse_with("07:30-16:00", "07:30-25:00", "14:10", "bad time ranges");
	refuse_with("07:30-16:00", "07:60-16:00", "14:10", "bad time ranges");
	refuse_with("07:30-16:00", "07:30", "14:10", "bad time ranges");
	refuse_with("07:30-16:00", "07:30-12:00,", "14:10", "bad time ranges");
	refuse_with("07:30-16:00", "7.30-16.00", "14:10", "bad time ranges");
}

static void
hours_refuses_unknown_day(void **state)
{
	refuse_with("mon: 07:30", "monday: 07:30", "14:5", "unknown day \"monday\"");
}

static void
hours_refuses_no_open_day(void **state)
{
	refuse_with("mon: 07:30-16:00", "mon: ~", "14:5", "no day");
}

static void
hours_always(void **state)
{
	struct uc3_policy *p;
	int d;

	p = parse_with("  hours:\n    mon: 07:30-16:00\n", "  hours: always\n");
	assert_true(p->calendar.always);
	for (d = 0; d < 7; d++)
		assert_int_equal(p->calendar.nday[d], 0);
	uc3_policy_free(p);
	refuse_with("  hours:\n    mon: 07:30-16:00\n", "  hours: sometimes\n", "13:10", "always");
	refuse_with("  hours:\n    mon: 07:30-16:00\n  holidays: []\n",
		    "  hours: always\n  holidays: [2026-12-25]\n", "14:13", "holidays");
}

static void
holidays_sorted(void **state)
{
	struct uc3_policy *p;

	p = parse_with("holidays: []", "holidays: [2026-12-25, 2026-01-01, 2028-02-29]");
	assert_int_equal(p->calendar.nholidays, 3);
	assert_int_equal(p->calendar.holidays[0], 20260101);
	assert_int_equal(p->calendar.holidays[1], 20261225);
	assert_int_equal(p->calendar.holidays[2], 20280229);
	uc3_policy_free(p);
}

static void
holidays_refuses_bad_date(void **state)
{
	refuse_with("holidays: []", "holidays: [2026-12-25, 2026-02-29]", "15:26", "not a date");
	refuse_with("holidays: []", "holidays: [2026-12-25, 2026-13-01]", "15:26", "not a date");
	refuse_with("holidays: []", "holidays: [2026-12-25, 25-12-2026]", "15:26", "not a date");
	refuse_with("holidays: []", "holidays: 2026-12-25", "15:13", "sequence");
}

static void
holidays_refuses_duplicate(void **state)
{
	refuse_with("holidays: []", "holidays: [2026-12-25, 2026-12-25]", "15:26", "listed twice");
}

static void
holidays_dates_names_and_ranges(void **state)
{
	static const int want[] = { 20260101, 20260318, 20260319, 20260320, 20261225,
				    20261230, 20261231, 20270101, 20270102 };
	struct uc3_policy *p;
	size_t i;

	p = parse_with("  holidays: []\n",
		       "  holidays:\n"
		       "    - 2026-12-25\n"
		       "    - {date: 2026-01-01, name: Tahun Baru}\n"
		       "    - {from: 2026-03-18, to: 2026-03-20, name: Nyepi dan Idul Fitri}\n"
		       "    - {from: 2026-12-30, to: 2027-01-02}\n"
		       "    - {date: 2026-03-19}\n");
	/* Every day once, sorted; the range across the year and the date inside a range. */
	assert_int_equal(p->calendar.nholidays, sizeof(want) / sizeof(want[0]));
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++)
		assert_int_equal(p->calendar.holidays[i], want[i]);
	uc3_policy_free(p);
	/* A range of one day, and one across February of a leap year. */
	p = parse_with("holidays: []",
		       "holidays: [{from: 2028-02-28, to: 2028-03-01}, {from: 2026-05-01, to: "
		       "2026-05-01}]");
	assert_int_equal(p->calendar.nholidays, 4);
	assert_int_equal(p->calendar.holidays[0], 20260501);
	assert_int_equal(p->calendar.holidays[2], 20280229);
	assert_int_equal(p->calendar.holidays[3], 20280301);
	uc3_policy_free(p);
	/* The longest range: a whole leap year. */
	p = parse_with("holidays: []", "holidays: [{from: 2028-01-01, to: 2028-12-31}]");
	assert_int_equal(p->calendar.nholidays, 366);
	assert_int_equal(p->calendar.holidays[365], 20281231);
	uc3_policy_free(p);
}

static void
holidays_refuses_bad_entries(void **state)
{
	/* 15:14 is the first entry, 15:21 the value of its first key. */
	refuse_with("holidays: []", "holidays: [{date: 2026-02-30}]", "15:21",
		    "calendar.holidays.date: \"2026-02-30\" is not a date");
	refuse_with("holidays: []", "holidays: [{from: 2026-03-18, to: 2026-3-20}]", "15:37",
		    "calendar.holidays.to: \"2026-3-20\" is not a date");
	refuse_with("holidays: []", "holidays: [{from: 18-03-2026, to: 2026-03-20}]", "15:21",
		    "calendar.holidays.from");
	refuse_with("holidays: []", "holidays: [{from: 2026-03-24, to: 2026-03-18}]", "15:37",
		    "the range ends (2026-03-18) before it starts (2026-03-24)");
	refuse_with("holidays: []", "holidays: [{from: 2026-01-01, to: 2027-01-02}]", "15:37",
		    "longer than 366 days");
	refuse_with("holidays: []", "holidays: [{from: 2026-03-18}]", "15:14",
		    "needs a date, or from and to");
	refuse_with("holidays: []", "holidays: [{to: 2026-03-18}]", "15:14",
		    "needs a date, or from and to");
	refuse_with("holidays: []", "holidays: [{name: Libur}]", "15:14",
		    "needs a date, or from and to");
	refuse_with("holidays: []",
		    "holidays: [{date: 2026-03-18, from: 2026-03-18, to: 2026-03-19}]", "15:14",
		    "not both");
	refuse_with("holidays: []", "holidays: [{date: 2026-03-18, day: Rabu}]", "15:33",
		    "unknown key \"day\" in a holiday (allowed: date, from, to, name)");
	refuse_with("holidays: []", "holidays: [{date: 2026-03-18, name: \"a\\nb\"}]", "15:39",
		    "one line");
	refuse_with("holidays: []", "holidays: [[2026-03-18]]", "15:14",
		    "a holiday must be a date");
}

static void
holidays_refuses_same_entry_twice(void **state)
{
	refuse_with("holidays: []",
		    "holidays: [{from: 2026-03-18, to: 2026-03-24}, 2026-12-25, "
		    "{from: 2026-03-18, to: 2026-03-24, name: again}]",
		    "15:62", "2026-03-18 to 2026-03-24 is listed twice (first at 15:14)");
	refuse_with("holidays: []", "holidays: [2026-12-25, {date: 2026-12-25, name: Natal}]",
		    "15:26", "2026-12-25 is listed twice (first at 15:14)");
}

static void
units_absent_or_empty_are_free_text(void **state)
{
	struct uc3_policy *p = parse_ok(base);
	char *u = NULL;

	assert_int_equal(p->nunits, 0);
	assert_null(uc3_policy_unit(p, "Bagian Keuangan"));
	assert_int_equal(uc3_policy_unit_resolve(&u, p, "  Biro III ", "--unit"), 0);
	assert_string_equal(u, "Biro III");
	free(u);
	assert_int_equal(uc3_policy_unit_resolve(&u, p, "   ", "--unit"), 0);
	assert_null(u);
	uc3_policy_free(p);
	p = parse_plus("units: []\n");
	assert_int_equal(p->nunits, 0);
	uc3_policy_free(p);
}

static const char units[] = "units:\n"						      /* 18 */
			    "  - {name: Bagian Keuangan, aliases: [Keuangan, BAK]}\n" /* 19 */
			    "  - Perpustakaan\n"				      /* 20 */
			    "  - name: \"  Fakultas Teknik \"\n"		      /* 21 */
			    "    aliases: []\n";				      /* 22 */

static void
units_names_and_aliases(void **state)
{
	struct uc3_policy *p = parse_plus(units);

	assert_int_equal(p->nunits, 3);
	assert_string_equal(p->units[0].name, "Bagian Keuangan");
	assert_int_equal(p->units[0].naliases, 2);
	assert_string_equal(p->units[0].aliases[1], "BAK");
	assert_string_equal(p->units[1].name, "Perpustakaan");
	assert_int_equal(p->units[1].naliases, 0);
	/* Blanks around a name go: the name is what tickets hold. */
	assert_string_equal(p->units[2].name, "Fakultas Teknik");
	/* An alias or a name, in any case, with blanks around it. */
	assert_string_equal(uc3_policy_unit(p, "Bagian Keuangan"), "Bagian Keuangan");
	assert_string_equal(uc3_policy_unit(p, "keuangan"), "Bagian Keuangan");
	assert_string_equal(uc3_policy_unit(p, " bak\t"), "Bagian Keuangan");
	assert_string_equal(uc3_policy_unit(p, "PERPUSTAKAAN"), "Perpustakaan");
	assert_string_equal(uc3_policy_unit(p, "fakultas teknik"), "Fakultas Teknik");
	assert_null(uc3_policy_unit(p, "Bagian  Keuangan"));
	assert_null(uc3_policy_unit(p, "BAKU"));
	assert_null(uc3_policy_unit(p, ""));
	assert_null(uc3_policy_unit(p, NULL));
	uc3_policy_free(p);
}

static void
units_resolve_or_refuse(void **state)
{
	struct uc3_policy *p = parse_plus(units);
	char *u = (char *)1;

	assert_int_equal(uc3_policy_unit_resolve(&u, p, " bak ", "--unit"), 0);
	assert_string_equal(u, "Bagian Keuangan");
	free(u);
	assert_int_equal(uc3_policy_unit_resolve(&u, p, NULL, "--unit"), 0);
	assert_null(u);
	/* A typo, a part of a name, the name and more: a suggestion. */
	assert_int_equal(uc3_policy_unit_resolve(&u, p, "Keuangn", "--unit"), UC3_EINVAL);
	assert_null(u);
	assert_string_equal(uc3_error_last(), "--unit \"Keuangn\" is not a unit of uc3.yaml; "
					      "did you mean \"Bagian Keuangan\"?");
	assert_int_equal(uc3_policy_unit_resolve(&u, p, "perpus", "unit"), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "unit \"perpus\" is not a unit of uc3.yaml; did you mean "
			    "\"Perpustakaan\"?");
	assert_int_equal(uc3_policy_unit_resolve(&u, p, "Fakultas Teknik Sipil", "unit"),
			 UC3_EINVAL);
	assert_true(strstr(uc3_error_last(), "did you mean \"Fakultas Teknik\"?") != NULL);
	/* Nothing close: the list. */
	assert_int_equal(uc3_policy_unit_resolve(&u, p, "Biro III", "--unit"), UC3_EINVAL);
	assert_null(u);
	assert_string_equal(uc3_error_last(),
			    "--unit \"Biro III\" is not a unit of uc3.yaml; the units are "
			    "Bagian Keuangan, Perpustakaan, Fakultas Teknik");
	uc3_policy_free(p);
}

static void
units_refuse_a_name_or_alias_twice(void **state)
{
	char *doc;

	/* Another unit's name as an alias, in another case. */
	doc = with(units, "  - Perpustakaan\n", "  - {name: Perpustakaan, aliases: [bak]}\n");
	refuse_plus(doc, "20:36",
		    "units: \"bak\" is given twice, as a name or an alias "
		    "(first at 19:49)");
	free(doc);
	/* A name twice, with blanks. */
	doc = with(units, "  - Perpustakaan\n", "  - \"Bagian Keuangan \"\n");
	refuse_plus(doc, "20:5", "(first at 19:12)");
	free(doc);
	/* An alias that is its own unit's name. */
	doc = with(units, "[Keuangan, BAK]", "[Keuangan, bagian keuangan]");
	refuse_plus(doc, "19:49", "\"bagian keuangan\" is given twice");
	free(doc);
}

static void
units_refuse_bad_entries(void **state)
{
	refuse_plus("units: Bagian Keuangan\n", "18:8", "units must be a sequence");
	refuse_plus("units:\n  - [Bagian Keuangan]\n", "19:5", "a name or a mapping");
	refuse_plus("units:\n  - {aliases: [BAK]}\n", "19:5", "missing required key \"name\"");
	refuse_plus("units:\n  - {name: Keuangan, alias: [BAK]}\n", "19:22",
		    "unknown key \"alias\" in a unit (allowed: name, aliases)");
	refuse_plus("units:\n  - {name: Keuangan, aliases: BAK}\n", "19:31",
		    "aliases must be a sequence");
	refuse_plus("units:\n  - \"  \"\n", "19:5", "must not be empty");
	refuse_plus("units:\n  - {name: Keuangan, aliases: [\"\"]}\n", "19:32",
		    "an alias must not be empty");
	refuse_plus("units:\n  - \"Bagian\\nKeuangan\"\n", "19:5", "one line");
}

static void
kinds_and_channels_are_tokens(void **state)
{
	refuse_with("kinds: [pertanyaan, keluhan]", "kinds: []", "16:8", "at least one");
	refuse_with("[pertanyaan, keluhan]", "[pertanyaan, Keluhan]", "16:21",
		    "one lower-case word");
	refuse_with("[pertanyaan, keluhan]", "[pertanyaan, two words]", "16:21",
		    "one lower-case word");
	refuse_with("[pertanyaan, keluhan]",
		    "[pertanyaan, keluhan, "
		    "pertanyaan]",
		    "16:30", "listed twice");
	refuse_with("[email, telepon]", "[email, email]", "17:19", "listed twice");
	refuse_with("channels: [email, telepon]", "channels: email", "17:11", "sequence");
}

static void
people_with_roles_and_keys(void **state)
{
	struct uc3_policy *p = parse_plus(people);
	const struct uc3_person *a, *b;

	assert_int_equal(p->npeople, 2);
	a = &p->people[0];
	assert_string_equal(a->email, "Humas1@Example.ac.id");
	assert_string_equal(a->name, "Staf Satu");
	assert_int_equal(a->nroles, 1);
	assert_string_equal(a->roles[0], "staf");
	assert_int_equal(a->nkeys, 2);
	assert_string_equal(a->keys[0], "ssh-ed25519 AAAA humas1");
	assert_string_equal(a->keys[1], "0123ABCD");
	b = &p->people[1];
	assert_null(b->name);
	assert_int_equal(b->nroles, 2);
	assert_string_equal(b->roles[1], "wakor");
	assert_int_equal(b->nkeys, 0);
	uc3_policy_free(p);
}

/* A service identity (cron's account) holds no role, and is never told of a ticket. */
static void
people_service_identity(void **state)
{
	char *doc = plus(people, "  - email: cron@example.ac.id\n" /* 25 */
				 "    service: true\n");	   /* 26 */
	char *more = plus(base, doc);
	struct uc3_policy *p = parse_ok(more);
	char *bad;

	assert_int_equal(p->npeople, 3);
	assert_true(p->people[2].service);
	assert_int_equal(p->people[2].nroles, 0);
	assert_false(p->people[0].service);
	uc3_policy_free(p);
	free(more);
	/* with roles */
	bad = plus(doc, "    roles: [staf]\n");
	refuse_plus(bad, "27:12", "service identity (service: true), which holds no role");
	free(bad);
	/* not a boolean */
	bad = with(doc, "service: true", "service: yes please");
	refuse_plus(bad, "26:14", "service");
	free(bad);
	/* a fallback of overdue's notices */
	bad = plus(doc, "notify:\n  fallback: [CRON@example.ac.id]\n");
	refuse_plus(bad, "28:14", "CRON@example.ac.id is a service identity, which is never told");
	free(bad);
	/* a person who is not a service still needs roles */
	bad = with(people, "    roles: [staf, wakor]\n", "    service: false\n");
	refuse_plus(bad, "23:5", "roles");
	free(bad);
	free(doc);
}

static void
people_refuses_duplicate_email(void **state)
{
	char *doc = with(people, "wakor@example.ac.id", "humas1@EXAMPLE.ac.id");
	refuse_plus(doc, "23:12", "listed twice");
	free(doc);
}

static void
people_refuses_bad_email(void **state)
{
	static const char *const bad[] = { "humas1",	   "@example.ac.id", "humas1@",
					   "a@b@c",	   "humas 1@x.id",   "humas1@x..id",
					   "humas1@.x.id", "<humas1@x.id>" };
	char q[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		char *doc;

		snprintf(q, sizeof(q), "\"%s\"", bad[i]);
		doc = with(people, "Humas1@Example.ac.id", q);
		refuse_plus(doc, "19:12", "not an email address");
		free(doc);
	}
}

static void
people_refuses_role_outside_chain(void **state)
{
	char *doc = with(people, "roles: [staf]", "roles: [kabiro]");

	refuse_plus(doc, "21:13", "not in the chain");
	free(doc);
	doc = with(people, "roles: [staf]", "roles: []");
	refuse_plus(doc, "21:12", "at least one");
	free(doc);
	doc = with(people, "roles: [staf]", "roles: [staf, staf]");
	refuse_plus(doc, "21:19", "listed twice");
	free(doc);
}

static void
people_refuses_missing_email_or_roles(void **state)
{
	char *doc = with(people, "    roles: [staf]\n", "");

	refuse_plus(doc, "19:5", "missing required key \"roles\"");
	free(doc);
	doc = with(people, "  - email: Humas1@Example.ac.id\n    name", "  - name");
	refuse_plus(doc, "19:5", "missing required key \"email\"");
	free(doc);
}

static void
people_refuses_unknown_key(void **state)
{
	char *doc = with(people, "    name: Staf Satu", "    phone: 123");

	refuse_plus(doc, "20:5", "unknown key \"phone\"");
	free(doc);
}

static void
people_refuses_multiline_name(void **state)
{
	char *doc = with(people, "name: Staf Satu", "name: \"Staf\\nSatu\"");

	refuse_plus(doc, "20:11", "one line");
	free(doc);
}

static void
people_refuses_shared_key(void **state)
{
	char *doc = with(people, "roles: [staf, wakor]\n",
			 "roles: [staf, wakor]\n    keys: [0123ABCD]\n");

	refuse_plus(doc, "25:12", "given twice");
	free(doc);
}

static void
corrections_default_from_the_chain(void **state)
{
	struct uc3_policy *p = parse_ok(base);

	/* staf, wakor: edit all, reopen the top two, close_as all but the bottom */
	assert_correct_roles(p, UC3_CORRECT_EDIT, "staf,wakor");
	assert_correct_roles(p, UC3_CORRECT_REOPEN, "staf,wakor");
	assert_correct_roles(p, UC3_CORRECT_CLOSE_AS, "wakor");
	assert_true(uc3_policy_may_correct(p, UC3_CORRECT_CLOSE_AS, "wakor"));
	assert_false(uc3_policy_may_correct(p, UC3_CORRECT_CLOSE_AS, "staf"));
	assert_false(uc3_policy_may_correct(p, UC3_CORRECT_CLOSE_AS, NULL));
	assert_string_equal(uc3_policy_correction_key(UC3_CORRECT_CLOSE_AS), "close_as");
	uc3_policy_free(p);
}

static void
corrections_of_a_chain_of_one(void **state)
{
	char *one = with(base, "  - {id: wakor, name: Wakor}\n", "");
	char *doc = with(one, "  wakor: 1h\n", "");
	struct uc3_policy *p = parse_ok(doc);

	assert_correct_roles(p, UC3_CORRECT_EDIT, "staf");
	assert_correct_roles(p, UC3_CORRECT_REOPEN, "staf");
	assert_correct_roles(p, UC3_CORRECT_CLOSE_AS, "staf");
	uc3_policy_free(p);
	free(doc);
	free(one);
}

static void
corrections_as_listed_and_the_rest_by_default(void **state)
{
	struct uc3_policy *p = parse_plus("corrections:\n  reopen: [wakor]\n  edit: [wakor]\n");

	assert_correct_roles(p, UC3_CORRECT_EDIT, "wakor");
	assert_correct_roles(p, UC3_CORRECT_REOPEN, "wakor");
	assert_correct_roles(p, UC3_CORRECT_CLOSE_AS, "wakor");
	assert_false(uc3_policy_may_correct(p, UC3_CORRECT_EDIT, "staf"));
	uc3_policy_free(p);
	p = parse_plus("corrections: ~\n");
	assert_correct_roles(p, UC3_CORRECT_EDIT, "staf,wakor");
	uc3_policy_free(p);
}

static void
corrections_refuses_a_role_outside_the_chain_and_other_keys(void **state)
{
	refuse_plus("corrections:\n  reopen: [wakor, kabiro]\n", "19:19",
		    "corrections.reopen: \"kabiro\" is not a role of the chain");
	refuse_plus("corrections:\n  delete: [wakor]\n", "19:3", "unknown key \"delete\"");
	refuse_plus("corrections:\n  edit: []\n", "19:9", "at least one");
	refuse_plus("corrections:\n  edit: [staf, staf]\n", "19:16", "listed twice");
	refuse_plus("corrections: [staf]\n", "18:14", "mapping");
	refuse_plus("corrections:\n  close_as: staf\n", "19:13", "sequence");
}

static void
mail_settings(void **state)
{
	struct uc3_policy *p;

	p = parse_plus("mail:\n  from: Office <office@example.ac.id>\n"
		       "  sendmail: /usr/lib/sendmail -t\n");
	assert_string_equal(p->mail_from, "Office <office@example.ac.id>");
	assert_string_equal(p->sendmail, "/usr/lib/sendmail -t");
	uc3_policy_free(p);
	p = parse_plus("mail:\n  from: Office <office@example.ac.id>\n");
	assert_string_equal(p->sendmail, "/usr/sbin/sendmail -t -i");
	uc3_policy_free(p);
	refuse_plus("mail:\n  from: \"a\\r\\nBcc: x@y.z\"\n", "19:9", "one line");
	refuse_plus("mail:\n  to: x@y.z\n", "19:3", "allowed: from, sendmail");
}

static void
limits_body_sizes(void **state)
{
	static const struct {
		const char *text;
		size_t bytes;
	} ok[] = { { "1048576", 1048576 }, { "512KiB", 524288 }, { "512K", 524288 },
		   { "2MiB", 2097152 },	   { "2M", 2097152 },	 { "2MB", 2000000 },
		   { "1 MiB", 1048576 },   { "4MiB", 4194304 } };
	char doc[64];
	size_t i;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		struct uc3_policy *p;

		snprintf(doc, sizeof(doc), "limits:\n  body: %s\n", ok[i].text);
		p = parse_plus(doc);
		assert_int_equal(p->body_limit, ok[i].bytes);
		uc3_policy_free(p);
	}
}

static void
limits_refuses_bad_body(void **state)
{
	refuse_plus("limits:\n  body: 0\n", "19:9", "more than zero");
	refuse_plus("limits:\n  body: 0KiB\n", "19:9", "more than zero");
	refuse_plus("limits:\n  body: 5MiB\n", "19:9", "4MiB");
	refuse_plus("limits:\n  body: 4194305\n", "19:9", "4MiB");
	refuse_plus("limits:\n  body: 99999999999999999999999\n", "19:9", "4MiB");
	refuse_plus("limits:\n  body: 1GiB\n", "19:9", "bad size");
	refuse_plus("limits:\n  body: big\n", "19:9", "bad size");
	refuse_plus("limits:\n  body: -1\n", "19:9", "bad size");
	refuse_plus("limits:\n  size: 1MiB\n", "19:3", "allowed: body");
}

static void
limits_attachment_sizes(void **state)
{
	struct uc3_policy *p = parse_plus("limits:\n  attachment: 20MiB\n");

	assert_int_equal(p->attachment_limit, 20 * 1024 * 1024);
	assert_int_equal(p->body_limit, UC3_BODY_LIMIT_DEFAULT);
	uc3_policy_free(p);
	p = parse_plus("limits:\n  attachment: 64MiB\n  body: 2MiB\n");
	assert_int_equal(p->attachment_limit, UC3_ATTACHMENT_LIMIT_MAX);
	assert_int_equal(p->body_limit, 2 * 1024 * 1024);
	uc3_policy_free(p);
	p = parse_plus("limits: {attachment: 1 KiB}\n");
	assert_int_equal(p->attachment_limit, 1024);
	uc3_policy_free(p);
	p = parse_plus("limits: {attachment: ~}\n");
	assert_int_equal(p->attachment_limit, UC3_ATTACHMENT_LIMIT_DEFAULT);
	uc3_policy_free(p);
}

static void
limits_refuses_bad_attachment(void **state)
{
	refuse_plus("limits:\n  attachment: 0\n", "19:15",
		    "limits.attachment must be more than zero");
	refuse_plus("limits:\n  attachment: 65MiB\n", "19:15",
		    "more than the most uc3 takes, 64MiB");
	refuse_plus("limits:\n  attachment: 67108865\n", "19:15", "64MiB");
	refuse_plus("limits:\n  attachment: 1GiB\n", "19:15", "limits.attachment: bad size");
	refuse_plus("limits:\n  attachment: [1MiB]\n", "19:15", "limits.attachment");
	refuse_plus("limits:\n  size: 1MiB\n", "19:3", "allowed: body, attachment");
	/* The body's own ceiling stays 4MiB. */
	refuse_plus("limits:\n  body: 10MiB\n", "19:9", "more than the most uc3 takes, 4MiB");
}

static void
central_fetch_after(void **state)
{
	static const struct {
		const char *text;
		long seconds;
	} ok[] = { { "1m", 60 },
		   { "30s", 30 },
		   { "90s", 90 },
		   { "1h30m", 5400 },
		   { "2h", 7200 },
		   { "0", 0 },
		   { "never", UC3_FETCH_NEVER } };
	struct uc3_policy *p = parse_ok(base);
	char doc[64];
	size_t i;

	assert_int_equal(p->fetch_after, UC3_FETCH_AFTER_DEFAULT);
	uc3_policy_free(p);
	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		snprintf(doc, sizeof(doc), "central:\n  fetch_after: %s\n", ok[i].text);
		p = parse_plus(doc);
		assert_int_equal(p->fetch_after, ok[i].seconds);
		uc3_policy_free(p);
	}
	p = parse_plus("central: {fetch_after: ~}\n");
	assert_int_equal(p->fetch_after, UC3_FETCH_AFTER_DEFAULT);
	uc3_policy_free(p);
}

static void
central_refuses_bad_fetch_after(void **state)
{
	static const char *const bad[] = {
		"0m",	 "0s",	 "-1m", "soon", "1m30s", "30 s", "99999999999999999999s",
		"1h90m", "Never"
	};
	char doc[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc), "central:\n  fetch_after: %s\n", bad[i]);
		refuse_plus(doc, "19:16", "central.fetch_after: bad interval");
	}
	refuse_plus("central:\n  fetch_after: [1m]\n", "19:16", "central.fetch_after");
	refuse_plus("central:\n  every: 1m\n", "19:3", "allowed: fetch_after");
	refuse_plus("central: 1m\n", "18:10", "central");
}

static void
central_skew_and_backfill(void **state)
{
	struct uc3_policy *p = parse_ok(base);

	assert_int_equal(p->central_skew, UC3_CENTRAL_SKEW_DEFAULT);
	assert_null(p->backfill_role);
	uc3_policy_free(p);
	p = parse_plus("central:\n  skew: 90s\n  backfill: wakor\n");
	assert_int_equal(p->central_skew, 90);
	assert_string_equal(p->backfill_role, "wakor");
	uc3_policy_free(p);
	p = parse_plus("central:\n  skew: 1h\n  backfill: none\n");
	assert_int_equal(p->central_skew, 3600);
	assert_null(p->backfill_role);
	uc3_policy_free(p);
}

static void
central_refuses_bad_skew_and_backfill(void **state)
{
	static const char *const bad[] = { "0m", "-5m", "never", "soon", "5 m", "1h90m" };
	char doc[64];
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		snprintf(doc, sizeof(doc), "central:\n  skew: %s\n", bad[i]);
		refuse_plus(doc, "19:9", "central.skew: bad interval");
	}
	refuse_plus("central:\n  skew: [5m]\n", "19:9", "central.skew");
	refuse_plus("central:\n  backfill: kabiro\n", "19:13",
		    "central.backfill: \"kabiro\" is not a role of the chain (or write none)");
	refuse_plus("central:\n  backfill: Staf\n", "19:13", "not a role of the chain");
	refuse_plus("central:\n  backfill: [staf]\n", "19:13", "central.backfill");
}

static void
lookups(void **state)
{
	struct uc3_policy *p = parse_plus(people);

	assert_int_equal(uc3_policy_role_index(p, "staf"), 0);
	assert_int_equal(uc3_policy_role_index(p, "wakor"), 1);
	assert_int_equal(uc3_policy_role_index(p, "kabiro"), -1);
	assert_int_equal(uc3_policy_role_index(p, NULL), -1);
	assert_string_equal(uc3_policy_role(p, "wakor")->name, "Wakor");
	assert_null(uc3_policy_role(p, "Wakor"));
	assert_ptr_equal(uc3_policy_person(p, "humas1@example.AC.ID"), &p->people[0]);
	assert_ptr_equal(uc3_policy_person(p, "wakor@example.ac.id"), &p->people[1]);
	assert_null(uc3_policy_person(p, "nobody@example.ac.id"));
	assert_null(uc3_policy_person(p, NULL));
	assert_true(uc3_policy_has_kind(p, "keluhan"));
	assert_false(uc3_policy_has_kind(p, "email"));
	assert_false(uc3_policy_has_kind(p, NULL));
	assert_true(uc3_policy_has_channel(p, "telepon"));
	assert_false(uc3_policy_has_channel(p, "Telepon"));
	uc3_policy_free(p);
}

static void
free_null_does_nothing(void **state)
{
	uc3_policy_free(NULL);
}

static void
mail_in_reads_its_rules(void **state)
{
	struct uc3_policy *p = parse_plus("mail_in:\n"
					  "  kind: keluhan\n"
					  "  channel: telepon\n"
					  "  kinds:\n"
					  "    - {kind: keluhan, match: \"(?i)komplain\"}\n");

	assert_int_equal(p->nmail_rules, 1);
	assert_string_equal(p->mail_rules[0].kind, "keluhan");
	assert_string_equal(p->mail_rules[0].match, "(?i)komplain");
	assert_string_equal(uc3_policy_mail_kind(p), "keluhan");
	assert_string_equal(uc3_policy_mail_channel(p), "telepon");
	uc3_policy_free(p);
	/* None given: pertanyaan and email. */
	p = parse_plus("");
	assert_int_equal(p->nmail_rules, 0);
	assert_string_equal(uc3_policy_mail_kind(p), "pertanyaan");
	assert_string_equal(uc3_policy_mail_channel(p), "email");
	uc3_policy_free(p);
}

static void
mail_in_refuses_what_it_cannot_use(void **state)
{
	refuse_plus("mail_in:\n  kind: pujian\n", "19:9",
		    "mail_in.kind: \"pujian\" is not one of the kinds");
	refuse_plus("mail_in:\n  channel: fax\n", "19:12", "not one of the channels");
	refuse_plus("mail_in:\n  kinds:\n    - {kind: keluhan, match: \"(unclosed\"}\n", "20:30",
		    "mail_in.kinds:");
	refuse_plus("mail_in:\n  kinds:\n    - {kind: keluhan, match: \"\"}\n", "20:30",
		    "an empty pattern matches every mail");
	refuse_plus("mail_in:\n  kinds:\n    - {kind: keluhan}\n", NULL, "match");
	refuse_plus("mail_in:\n  kinds:\n    - {kind: pujian, match: x}\n", "20:14",
		    "not one of the kinds");
	refuse_plus("mail_in:\n  kinds: keluhan\n", "19:10", NULL);
	refuse_plus("mail_in:\n  colour: red\n", "19:3", "unknown key");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(default_file_is_the_sop),
		cmocka_unit_test(optional_keys_take_their_defaults),
		cmocka_unit_test(null_means_absent),
		cmocka_unit_test(role_name_defaults_to_id),
		cmocka_unit_test(refuses_non_mapping_document),
		cmocka_unit_test(refuses_bad_yaml_as_policy_error),
		cmocka_unit_test(refuses_unknown_top_key),
		cmocka_unit_test(refuses_missing_required_key),
		cmocka_unit_test(refuses_null_required_key),
		cmocka_unit_test(refuses_empty_office),
		cmocka_unit_test(refuses_bad_id_prefix),
		cmocka_unit_test(refuses_unknown_timezone),
		cmocka_unit_test(require_signed_is_a_boolean),
		cmocka_unit_test(language_is_id_or_en),
		cmocka_unit_test(refuses_empty_roles),
		cmocka_unit_test(refuses_duplicate_role),
		cmocka_unit_test(refuses_bad_role_id),
		cmocka_unit_test(refuses_unknown_role_key),
		cmocka_unit_test(refuses_missing_step_for_role),
		cmocka_unit_test(refuses_missing_deliver_and_archive),
		cmocka_unit_test(refuses_unknown_step),
		cmocka_unit_test(refuses_bad_duration),
		cmocka_unit_test(durations_in_seconds),
		cmocka_unit_test(hours_lunch_break),
		cmocka_unit_test(hours_ranges_that_touch_merge),
		cmocka_unit_test(hours_whole_day),
		cmocka_unit_test(hours_refuses_overlap),
		cmocka_unit_test(hours_refuses_empty_or_backward_range),
		cmocka_unit_test(hours_refuses_bad_times),
		cmocka_unit_test(hours_refuses_unknown_day),
		cmocka_unit_test(hours_refuses_no_open_day),
		cmocka_unit_test(hours_always),
		cmocka_unit_test(holidays_sorted),
		cmocka_unit_test(holidays_refuses_bad_date),
		cmocka_unit_test(holidays_refuses_duplicate),
		cmocka_unit_test(holidays_dates_names_and_ranges),
		cmocka_unit_test(holidays_refuses_bad_entries),
		cmocka_unit_test(holidays_refuses_same_entry_twice),
		cmocka_unit_test(units_absent_or_empty_are_free_text),
		cmocka_unit_test(units_names_and_aliases),
		cmocka_unit_test(units_resolve_or_refuse),
		cmocka_unit_test(units_refuse_a_name_or_alias_twice),
		cmocka_unit_test(units_refuse_bad_entries),
		cmocka_unit_test(kinds_and_channels_are_tokens),
		cmocka_unit_test(people_with_roles_and_keys),
		cmocka_unit_test(people_refuses_duplicate_email),
		cmocka_unit_test(people_refuses_bad_email),
		cmocka_unit_test(people_refuses_role_outside_chain),
		cmocka_unit_test(people_service_identity),
		cmocka_unit_test(people_refuses_missing_email_or_roles),
		cmocka_unit_test(people_refuses_unknown_key),
		cmocka_unit_test(people_refuses_multiline_name),
		cmocka_unit_test(people_refuses_shared_key),
		cmocka_unit_test(corrections_default_from_the_chain),
		cmocka_unit_test(corrections_of_a_chain_of_one),
		cmocka_unit_test(corrections_as_listed_and_the_rest_by_default),
		cmocka_unit_test(corrections_refuses_a_role_outside_the_chain_and_other_keys),
		cmocka_unit_test(mail_settings),
		cmocka_unit_test(limits_body_sizes),
		cmocka_unit_test(limits_refuses_bad_body),
		cmocka_unit_test(limits_attachment_sizes),
		cmocka_unit_test(limits_refuses_bad_attachment),
		cmocka_unit_test(central_fetch_after),
		cmocka_unit_test(central_refuses_bad_fetch_after),
		cmocka_unit_test(central_skew_and_backfill),
		cmocka_unit_test(central_refuses_bad_skew_and_backfill),
		cmocka_unit_test(lookups),
		cmocka_unit_test(free_null_does_nothing),
		cmocka_unit_test(mail_in_reads_its_rules),
		cmocka_unit_test(mail_in_refuses_what_it_cannot_use),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
