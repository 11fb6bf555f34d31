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
#include "clock.h"
#include "error.h"
#include "policy.h"
#include "report.h"
#include "report_int.h"
#include "ticket.h"

/*
 * The figures of uc3 report (lib/report.h): percentiles, compliance,
 * business time of steps, the state of a ticket at the end of a period,
 * the period's bounds in the policy's zone. The policy is the default
 * one (Asia/Jakarta, 07:30-16:00 Monday to Friday, the holidays of 2026).
 */

static struct uc3_policy *policy;

static int
setup(void **state)
{
	unsetenv("UC3_NOW");
	uc3_error_clear();
	policy = default_policy_with(NULL);
	return 0;
}

static int
teardown(void **state)
{
	uc3_policy_free(policy);
	policy = NULL;
	return 0;
}

static time_t
at(const char *s)
{
	time_t t;

	if (uc3_clock_parse(&t, s, "Asia/Jakarta") < 0)
		fail_msg("%s: %s", s, uc3_error_last());
	return t;
}

/* t as the RFC 3339 text of Jakarta, in a static buffer. */
static const char *
jkt(time_t t)
{
	static char s[64];
	struct uc3_buf b = UC3_BUF_INIT;

	assert_int_equal(uc3_clock_format(&b, t, "Asia/Jakarta"), 0);
	snprintf(s, sizeof(s), "%s", b.ptr);
	uc3_buf_release(&b);
	return s;
}

/*
 * A ticket file: received at received, in status with level and
 * deadline (both left out when status is closed), and the events after
 * its `new`, each a YAML flow map on a line of its own.
 */
static struct uc3_ticket *
ticket(const char *received, const char *status, const char *level, const char *deadline,
       const char *events)
{
	struct uc3_buf y = UC3_BUF_INIT;
	struct uc3_ticket *t = NULL;

	uc3_buf_addf(&y,
		     "id: UC3-2026-0001\nsubject: Tes\nkind: keluhan\nchannel: email\n"
		     "requester:\n  name: Siti\nunit: keuangan\nreceived: %s\nstatus: %s\n",
		     received, status);
	if (strcmp(status, "closed"))
		uc3_buf_addf(&y, "level: %s\ndeadline: %s\n", level, deadline);
	uc3_buf_addf(&y,
		     "body: Isi.\nevents:\n- {at: '%s', by: humas1@unej.ac.id, action: new}\n%s",
		     received, events);
	if (uc3_ticket_parse(&t, y.ptr, y.len, "t.yaml") < 0)
		fail_msg("%s\n%s", uc3_error_last(), y.ptr);
	uc3_buf_release(&y);
	return t;
}

/* The facts of t, with their seconds; t freed. */
static void
read_facts(struct uc3_report_ticket *out, struct uc3_ticket *t)
{
	assert_int_equal(uc3_report_ticket_read(out, t, "tickets/2026/11/UC3-2026-0001.yaml",
						policy),
			 0);
	uc3_ticket_free(t);
	assert_int_equal(uc3_report_seconds(out, 1, policy), 0);
}

/* --- percentiles, compliance, minutes --- */

static void
percentile_is_nearest_rank(void **state)
{
	const long ten[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };
	const long four[] = { 10, 20, 30, 40 };
	const long seven[] = { 2, 3, 3, 3, 10, 10, 20 };
	const long one[] = { 42 };

	assert_int_equal(uc3_report_percentile(ten, 10, 50), 5);
	assert_int_equal(uc3_report_percentile(ten, 10, 90), 9);
	assert_int_equal(uc3_report_percentile(ten, 10, 91), 10);
	assert_int_equal(uc3_report_percentile(ten, 10, 100), 10);
	/* rank 0 is the first */
	assert_int_equal(uc3_report_percentile(ten, 10, 0), 1);
	/* the median of an even count is the lower middle: rank ceil(n / 2) */
	assert_int_equal(uc3_report_percentile(four, 4, 50), 20);
	assert_int_equal(uc3_report_percentile(four, 4, 90), 40);
	assert_int_equal(uc3_report_percentile(seven, 7, 50), 3);
	assert_int_equal(uc3_report_percentile(seven, 7, 90), 20);
	assert_int_equal(uc3_report_percentile(one, 1, 50), 42);
	assert_int_equal(uc3_report_percentile(one, 1, 90), 42);
	assert_int_equal(uc3_report_percentile(NULL, 0, 50), -1);
}

static void
compliance_is_met_over_count(void **state)
{
	assert_true(uc3_report_compliance(0, 0) < 0);
	assert_true(uc3_report_compliance(4, 4) == 100.0);
	assert_true(uc3_report_compliance(0, 3) == 0.0);
	assert_true(uc3_report_compliance(1, 3) > 33.33 && uc3_report_compliance(1, 3) < 33.34);
	assert_true(uc3_report_compliance(4, 7) > 57.14 && uc3_report_compliance(4, 7) < 57.15);
}

static void
minutes_read_as_hours_and_minutes_never_days(void **state)
{
	static const struct {
		long m;
		const char *want;
	} cases[] = { { 0, "0m" },     { 5, "5m" },	  { 59, "59m" },   { 60, "1h" },
		      { 69, "1h 9m" }, { 216, "3h 36m" }, { 1500, "25h" }, { -1, "-" } };
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_report__minutes(&b, cases[i].m);
		assert_string_equal(b.ptr, cases[i].want);
		uc3_buf_release(&b);
	}
}

/* --- the facts of a ticket --- */

static void
steps_are_the_events_that_end_one(void **state)
{
	struct uc3_report_ticket f;

	read_facts(
		&f,
		ticket("2026-11-23T09:00:00+07:00", "answered", "wakor",
		       "2026-11-23T09:45:00+07:00",
		       "- {at: '2026-11-23T09:04:00+07:00', by: humas1@unej.ac.id, action: "
		       "escalate, from: staf, to: wakor, step: {name: staf, due: "
		       "'2026-11-23T09:05:00+07:00', late: false}}\n"
		       "- {at: '2026-11-23T09:10:00+07:00', by: cron@unej.ac.id, action: notice, "
		       "to: wakor@unej.ac.id, step: {name: wakor, due: "
		       "'2026-11-23T10:04:00+07:00', late: true}}\n"
		       "- {at: '2026-11-23T09:20:00+07:00', by: humas1@unej.ac.id, action: "
		       "edit, note: Unit., changes: [{field: unit, old: a, new: b}]}\n"
		       "- {at: '2026-11-23T09:40:00+07:00', by: wakor@unej.ac.id, action: "
		       "answer, step: {name: wakor, due: '2026-11-23T10:04:00+07:00', late: "
		       "false}}\n"));
	/* the unit as the policy names it: keuangan is an alias */
	assert_string_equal(f.unit, "Bagian Keuangan");
	/* staf, wakor, then deliver running: the notice and the edit end no step */
	assert_int_equal(f.nsteps, 3);
	assert_string_equal(f.steps[0].name, "staf");
	assert_int_equal(f.steps[0].end, UC3_REPORT_ESCALATE);
	assert_int_equal(f.steps[0].start, at("2026-11-23 09:00"));
	assert_int_equal(f.steps[0].done, at("2026-11-23 09:04"));
	assert_int_equal(f.steps[0].seconds, 4 * 60);
	assert_string_equal(f.steps[1].name, "wakor");
	assert_int_equal(f.steps[1].end, UC3_REPORT_ANSWER);
	assert_int_equal(f.steps[1].start, at("2026-11-23 09:04"));
	assert_string_equal(f.steps[1].role, "wakor");
	assert_string_equal(f.steps[1].by, "wakor@unej.ac.id");
	assert_int_equal(f.steps[1].seconds, 36 * 60);
	assert_string_equal(f.steps[2].name, "deliver");
	assert_int_equal(f.steps[2].end, UC3_REPORT_RUNNING);
	assert_int_equal(f.steps[2].start, at("2026-11-23 09:40"));
	assert_int_equal(f.steps[2].due, at("2026-11-23 09:45"));
	assert_int_equal(f.steps[2].done, 0);
	assert_int_equal(f.steps[2].seconds, -1);
	uc3_report_ticket_release(&f);
}

static void
step_seconds_count_office_time_only(void **state)
{
	struct uc3_report_ticket f;

	/* Monday 15:58 to Tuesday 07:31: two minutes on Monday, one on Tuesday */
	read_facts(&f,
		   ticket("2026-11-23T15:58:00+07:00", "open", "wakor", "2026-11-24T08:31:00+07:00",
			  "- {at: '2026-11-24T07:31:00+07:00', by: humas1@unej.ac.id, action: "
			  "escalate, from: staf, to: wakor, step: {name: staf, due: "
			  "'2026-11-24T07:33:00+07:00', late: false}}\n"));
	assert_int_equal(f.steps[0].seconds, 3 * 60);
	uc3_report_ticket_release(&f);
	/* Friday 15:50 to Monday 07:40: the weekend does not count */
	read_facts(&f, ticket("2026-11-27T15:50:00+07:00", "answered", "staf",
			      "2026-11-30T07:45:00+07:00",
			      "- {at: '2026-11-30T07:40:00+07:00', by: humas1@unej.ac.id, action: "
			      "answer, step: {name: staf, due: '2026-11-27T15:55:00+07:00', late: "
			      "true}}\n"));
	assert_int_equal(f.steps[0].seconds, 20 * 60);
	uc3_report_ticket_release(&f);
	/* Wednesday 23 December 15:55 to Monday 28th 07:35: the 24th and 25th are holidays */
	read_facts(&f, ticket("2026-12-23T15:55:00+07:00", "answered", "staf",
			      "2026-12-28T07:40:00+07:00",
			      "- {at: '2026-12-28T07:35:00+07:00', by: humas1@unej.ac.id, action: "
			      "answer, step: {name: staf, due: '2026-12-28T07:30:00+07:00', late: "
			      "true}}\n"));
	assert_int_equal(f.steps[0].seconds, 10 * 60);
	uc3_report_ticket_release(&f);
}

/*
 * Many tickets take several sweeps of the calendar: each gets the same
 * seconds as it would alone.
 */
static void
step_seconds_of_many_tickets_in_sweeps(void **state)
{
	const size_t n = 30000;
	struct uc3_report_ticket *v = calloc(n, sizeof(*v));
	size_t i;

	assert_non_null(v);
	for (i = 0; i < n; i++) {
		/* a Monday or a Tuesday of November, 15:50; answered 15:58; delivered next day
		 * 07:35 */
		time_t day = at(i % 2 ? "2026-11-24 15:50" : "2026-11-23 15:50");

		v[i].received = day;
		v[i].nsteps = 2;
		v[i].steps = calloc(2, sizeof(*v[i].steps));
		v[i].steps[0].end = UC3_REPORT_ANSWER;
		v[i].steps[0].start = day;
		v[i].steps[0].done = day + 8 * 60;
		v[i].steps[0].seconds = -1;
		v[i].steps[1].end = UC3_REPORT_DELIVER;
		v[i].steps[1].start = day + 8 * 60;
		v[i].steps[1].done = day + 8 * 60 + 2 * 60 + (15 * 60 + 30) * 60 + 5 * 60;
		v[i].steps[1].seconds = i % 3 ? -1 : 99; /* kept when it has one */
	}
	assert_int_equal(uc3_report_seconds(v, n, policy), 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(v[i].steps[0].seconds, 8 * 60);
		assert_int_equal(v[i].steps[1].seconds, i % 3 ? 7 * 60 : 99);
		free(v[i].steps);
	}
	free(v);
}

/* --- the state at the end of a period, and the figures --- */

#define ESCALATED                                                                                  \
	"- {at: '2026-11-23T09:04:00+07:00', by: humas1@unej.ac.id, action: escalate, from: "      \
	"staf, to: wakor, step: {name: staf, due: '2026-11-23T09:05:00+07:00', late: false}}\n"
#define ANSWERED                                                                                   \
	"- {at: '2026-11-23T11:00:00+07:00', by: wakor@unej.ac.id, action: answer, step: {name: "  \
	"wakor, due: '2026-11-23T10:04:00+07:00', late: true}}\n"

static void
state_is_the_ticket_as_it_stood_at_the_end(void **state)
{
	struct uc3_report__state st;
	struct uc3_report_ticket f;

	read_facts(&f, ticket("2026-11-23T09:00:00+07:00", "answered", "wakor",
			      "2026-11-23T11:05:00+07:00", ESCALATED ANSWERED));
	/* before the escalation: the staf step runs, not yet due */
	uc3_report__state(&st, &f, at("2026-11-23 09:02"));
	assert_int_equal(st.status, UC3_STATUS_OPEN);
	assert_int_equal(st.nsteps, 1);
	assert_ptr_equal(st.running, &f.steps[0]);
	assert_false(st.overdue);
	/* escalated, the wakor step past its due at 10:30 */
	uc3_report__state(&st, &f, at("2026-11-23 10:30"));
	assert_int_equal(st.status, UC3_STATUS_OPEN);
	assert_ptr_equal(st.running, &f.steps[1]);
	assert_true(st.overdue);
	assert_null(st.level);
	/* the answer's own instant counts */
	uc3_report__state(&st, &f, at("2026-11-23 11:00"));
	assert_int_equal(st.status, UC3_STATUS_ANSWERED);
	assert_string_equal(st.level, "wakor");
	assert_string_equal(st.person, "wakor@unej.ac.id");
	assert_ptr_equal(st.running, &f.steps[2]);
	assert_false(st.overdue);
	assert_int_equal(st.delivery, -1);
	/* before receipt: nothing begun */
	uc3_report__state(&st, &f, at("2026-11-23 08:00"));
	assert_int_equal(st.nsteps, 0);
	assert_null(st.running);
	uc3_report_ticket_release(&f);
}

static void
takeover_counts_at_the_answering_role_and_reopen_takes_the_answer_away(void **state)
{
	struct uc3_report_set set = { 0 };
	struct uc3_report_opts o = { 0 };
	struct uc3_report *r;

	set.n = 2;
	set.tickets = calloc(2, sizeof(*set.tickets));
	assert_non_null(set.tickets);
	read_facts(
		&set.tickets[0],
		ticket("2026-11-23T09:00:00+07:00", "answered", "koordinator",
		       "2026-11-23T09:25:00+07:00",
		       "- {at: '2026-11-23T09:20:00+07:00', by: koord@unej.ac.id, action: answer, "
		       "role: koordinator, step: {name: staf, due: '2026-11-23T09:05:00+07:00', "
		       "late: true, taken_over: true}}\n"));
	read_facts(
		&set.tickets[1],
		ticket("2026-11-23T09:00:00+07:00", "open", "staf", "2026-11-23T10:05:00+07:00",
		       "- {at: '2026-11-23T09:02:00+07:00', by: humas1@unej.ac.id, action: "
		       "answer, step: {name: staf, due: '2026-11-23T09:05:00+07:00', late: "
		       "false}}\n"
		       "- {at: '2026-11-23T10:00:00+07:00', by: koord@unej.ac.id, action: reopen, "
		       "note: Salah., from: staf, to: staf, step: {name: deliver, due: "
		       "'2026-11-23T09:07:00+07:00', late: true}, changes: [{field: status, old: "
		       "answered, new: open}]}\n"));
	o.since = at("2026-11-01");
	o.until = at("2026-12-01");
	o.since_set = o.until_set = true;
	o.now = at("2026-11-23 10:03");
	assert_int_equal(uc3_report_figures(&r, &set, policy, &o), 0);
	assert_int_equal(r->end, o.now);
	assert_int_equal(r->tickets, 2);
	assert_string_equal(r->by_level[2].name, "koordinator");
	assert_int_equal(r->by_level[2].n, 1);
	assert_int_equal(r->by_level[0].n, 0);
	assert_int_equal(r->not_answered, 1);
	assert_int_equal(r->by_status[UC3_STATUS_OPEN], 1);
	assert_int_equal(r->by_status[UC3_STATUS_ANSWERED], 1);
	/* staf: 2 ended (1 late, taken over), 1 running after the reopen, due 10:05 */
	assert_string_equal(r->steps[0].name, "staf");
	assert_int_equal(r->steps[0].count, 2);
	assert_int_equal(r->steps[0].late, 1);
	assert_int_equal(r->steps[0].running, 1);
	assert_int_equal(r->steps[0].median_minutes, 2);
	assert_int_equal(r->steps[0].p90_minutes, 20);
	/* deliver: the reopen ended it, late; the other runs, late since 09:25 */
	assert_string_equal(r->steps[4].name, "deliver");
	assert_int_equal(r->steps[4].count, 2);
	assert_int_equal(r->steps[4].late, 2);
	assert_int_equal(r->steps[4].done, 1);
	assert_int_equal(r->overdue, 1);
	assert_int_equal(r->nbreaches, 3);
	assert_string_equal(r->breaches[1].step, "deliver");
	assert_null(r->breaches[1].by);
	assert_string_equal(r->breaches[1].role, "staf");
	assert_int_equal(r->breaches[1].late_minutes, 38);
	assert_int_equal(r->breaches[2].late_minutes, 53);
	uc3_report_free(r);
	uc3_report_set_release(&set);
}

static void
reopen_of_a_closed_ticket_starts_a_step_and_ends_none(void **state)
{
	struct uc3_report__state st;
	struct uc3_report_ticket f;

	read_facts(
		&f,
		ticket("2026-11-23T09:00:00+07:00", "open", "staf", "2026-11-24T09:05:00+07:00",
		       "- {at: '2026-11-23T09:02:00+07:00', by: humas1@unej.ac.id, action: "
		       "answer, step: {name: staf, due: '2026-11-23T09:05:00+07:00', late: "
		       "false}}\n"
		       "- {at: '2026-11-23T09:03:00+07:00', by: humas1@unej.ac.id, action: "
		       "deliver, step: {name: deliver, due: '2026-11-23T09:07:00+07:00', late: "
		       "false}}\n"
		       "- {at: '2026-11-23T09:04:00+07:00', by: humas1@unej.ac.id, action: "
		       "close, step: {name: archive, due: '2026-11-23T09:08:00+07:00', late: "
		       "false}}\n"
		       "- {at: '2026-11-24T09:00:00+07:00', by: koord@unej.ac.id, action: reopen, "
		       "note: Salah., from: staf, to: staf, changes: [{field: status, old: "
		       "closed, new: open}]}\n"));
	assert_int_equal(f.nsteps, 5);
	assert_null(f.steps[3].name);
	assert_int_equal(f.steps[3].end, UC3_REPORT_REOPEN);
	assert_string_equal(f.steps[4].name, "staf");
	assert_int_equal(f.steps[4].start, at("2026-11-24 09:00"));
	/* closed on the 23rd at the end of the day, archived 4 minutes after receipt */
	uc3_report__state(&st, &f, at("2026-11-23 23:59"));
	assert_int_equal(st.status, UC3_STATUS_CLOSED);
	assert_null(st.running);
	assert_int_equal(st.archive, 4 * 60);
	assert_string_equal(st.level, "staf");
	/* reopened: open, no answer, the staf step running from the reopen */
	uc3_report__state(&st, &f, at("2026-11-24 09:01"));
	assert_int_equal(st.status, UC3_STATUS_OPEN);
	assert_null(st.level);
	assert_int_equal(st.archive, -1);
	assert_ptr_equal(st.running, &f.steps[4]);
	assert_false(st.overdue);
	uc3_report_ticket_release(&f);
}

/* --- the period --- */

static void
month_bounds_are_midnights_in_the_zone(void **state)
{
	time_t start, next;

	assert_int_equal(uc3_report_month(&start, &next, at("2026-11-30T23:59:59+07:00"),
					  "Asia/Jakarta"),
			 0);
	assert_string_equal(jkt(start), "2026-11-01T00:00:00+07:00");
	assert_string_equal(jkt(next), "2026-12-01T00:00:00+07:00");
	/* 17:00 UTC on the 30th is midnight of 1 December in Jakarta */
	assert_int_equal(uc3_report_month(&start, &next, at("2026-11-30T17:00:00Z"),
					  "Asia/Jakarta"),
			 0);
	assert_string_equal(jkt(start), "2026-12-01T00:00:00+07:00");
	assert_string_equal(jkt(next), "2027-01-01T00:00:00+07:00");
	assert_int_equal(uc3_report_month(&start, &next, at("2026-11-30T16:59:59Z"),
					  "Asia/Jakarta"),
			 0);
	assert_string_equal(jkt(start), "2026-11-01T00:00:00+07:00");
	/* and in UTC the same instant is still November */
	assert_int_equal(uc3_report_month(&start, &next, at("2026-11-30T17:00:00Z"), "UTC"), 0);
	assert_int_equal(start, at("2026-11-01T00:00:00Z"));
	assert_int_equal(next, at("2026-12-01T00:00:00Z"));
}

static void
period_defaults_to_the_month_of_now_and_refuses_an_empty_one(void **state)
{
	struct uc3_report_opts o = { 0 };

	o.now = at("2026-11-30T17:30:00Z");
	assert_int_equal(uc3_report_period(&o, policy), 0);
	assert_true(o.since_set && o.until_set);
	assert_string_equal(jkt(o.since), "2026-12-01T00:00:00+07:00");
	assert_string_equal(jkt(o.until), "2027-01-01T00:00:00+07:00");
	/* --since alone: no end but now */
	memset(&o, 0, sizeof(o));
	o.since = at("2026-11-01");
	o.since_set = true;
	assert_int_equal(uc3_report_period(&o, policy), 0);
	assert_false(o.until_set);
	/* until not after since */
	o.until = o.since;
	o.until_set = true;
	assert_int_equal(uc3_report_period(&o, policy), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "the period is empty: --until is not after --since");
}

static void
keys_read_back(void **state)
{
	enum uc3_report_key k;

	assert_true(uc3_report_key_parse(&k, "week"));
	assert_int_equal(k, UC3_REPORT_BY_WEEK);
	assert_string_equal(uc3_report_key_name(UC3_REPORT_BY_PERSON), "person");
	assert_false(uc3_report_key_parse(&k, "year"));
	assert_false(uc3_report_key_parse(&k, "Kind"));
}

/* --- the cache of facts (report_cache.c) --- */

/* Two tickets' facts, a broken file and one passed over, as a month folder holds them. */
static void
month_files(struct uc3_report__file v[4])
{
	memset(v, 0, 4 * sizeof(*v));
	v[0].path = "tickets/2026/11/UC3-2026-0001.yaml";
	memset(v[0].blob, 0xab, sizeof(v[0].blob));
	v[0].kind = UC3_REPORT__FACTS;
	read_facts(
		&v[0].t,
		ticket("2026-11-23T09:00:00+07:00", "answered", "koordinator",
		       "2026-11-23T09:25:00+07:00",
		       "- {at: '2026-11-23T09:20:00+07:00', by: koord@unej.ac.id, action: answer, "
		       "role: koordinator, step: {name: staf, due: '2026-11-23T09:05:00+07:00', "
		       "late: true, taken_over: true}}\n"));
	v[1].path = "tickets/2026/11/UC3-2026-0002.yaml";
	v[1].blob[19] = 1;
	v[1].kind = UC3_REPORT__FACTS;
	read_facts(
		&v[1].t,
		ticket("2026-11-24T15:58:00+07:00", "closed", NULL, NULL,
		       "- {at: '2026-11-25T07:40:00+07:00', by: wakor@unej.ac.id, action: close, "
		       "as: spam, note: Iklan., step: {name: staf, due: "
		       "'2026-11-25T07:33:00+07:00', late: true}}\n"));
	v[2].path = "tickets/2026/11/UC3-2026-0003.yaml";
	v[2].kind = UC3_REPORT__BROKEN;
	v[2].broken = "tickets/2026/11/UC3-2026-0003.yaml:1:5: did not find expected node content";
	v[3].path = "tickets/2026/11/UC3-2026-0004.yaml";
	v[3].kind = UC3_REPORT__PASSED;
}

static void
month_files_release(struct uc3_report__file v[4])
{
	uc3_report_ticket_release(&v[0].t);
	uc3_report_ticket_release(&v[1].t);
}

static void
assert_str_or_null(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void
cache_month_reads_back_what_was_written(void **state)
{
	struct uc3_report__file v[4];
	struct uc3_report__month m;
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i, j;

	month_files(v);
	uc3_report__month_encode(&b, v, 4);
	assert_int_equal(uc3_report__month_decode(&m, b.ptr, b.len), 0);
	assert_int_equal(m.n, 4);
	for (i = 0; i < 4; i++) {
		const struct uc3_report_ticket *x = &v[i].t, *y = &m.v[i].t;

		assert_string_equal(m.v[i].path, v[i].path);
		assert_memory_equal(m.v[i].blob, v[i].blob, sizeof(v[i].blob));
		assert_int_equal(m.v[i].kind, v[i].kind);
		assert_str_or_null(m.v[i].broken, v[i].broken);
		if (v[i].kind != UC3_REPORT__FACTS)
			continue;
		assert_string_equal(y->path, v[i].path);
		assert_str_or_null(y->id, x->id);
		assert_str_or_null(y->subject, x->subject);
		assert_int_equal(y->received, x->received);
		assert_str_or_null(y->kind, x->kind);
		assert_str_or_null(y->channel, x->channel);
		assert_str_or_null(y->unit, x->unit);
		assert_int_equal(y->nsteps, x->nsteps);
		for (j = 0; j < x->nsteps; j++) {
			const struct uc3_report_step *s = &x->steps[j], *t = &y->steps[j];

			assert_str_or_null(t->name, s->name);
			assert_int_equal(t->start, s->start);
			assert_int_equal(t->due, s->due);
			assert_int_equal(t->done, s->done);
			assert_int_equal(t->end, s->end);
			assert_int_equal(t->late, s->late);
			assert_str_or_null(t->by, s->by);
			assert_str_or_null(t->role, s->role);
			assert_str_or_null(t->as, s->as);
			assert_int_equal(t->seconds, s->seconds);
		}
	}
	/* what the checks above rest on: a takeover, a close as spam, a running step */
	assert_string_equal(m.v[0].t.steps[0].role, "koordinator");
	assert_int_equal(m.v[0].t.steps[0].seconds, 20 * 60);
	assert_int_equal(m.v[0].t.steps[1].end, UC3_REPORT_RUNNING);
	assert_int_equal(m.v[0].t.steps[1].seconds, -1);
	assert_string_equal(m.v[1].t.steps[0].as, "spam");
	assert_int_equal(m.v[1].t.steps[0].end, UC3_REPORT_CLOSE_AS);
	assert_int_equal(m.v[1].t.steps[0].seconds, 12 * 60);
	/* the strings the tickets share are kept once */
	assert_ptr_equal(m.v[0].t.kind, m.v[1].t.kind);
	uc3_report__month_release(&m);
	/* an empty month */
	uc3_buf_reset(&b);
	uc3_report__month_encode(&b, NULL, 0);
	assert_int_equal(uc3_report__month_decode(&m, b.ptr, b.len), 0);
	assert_int_equal(m.n, 0);
	uc3_report__month_release(&m);
	uc3_buf_release(&b);
	month_files_release(v);
}

static void
cache_month_refuses_every_cut_and_any_tail(void **state)
{
	struct uc3_report__file v[4];
	struct uc3_report__month m;
	struct uc3_buf b = UC3_BUF_INIT;
	size_t len;

	month_files(v);
	uc3_report__month_encode(&b, v, 4);
	for (len = 0; len < b.len; len++) {
		if (uc3_report__month_decode(&m, b.ptr, len) != UC3_EINVAL)
			fail_msg("a record cut to %zu of %zu bytes was read", len, b.len);
		assert_null(m.v);
	}
	uc3_buf_addch(&b, '\0');
	assert_int_equal(uc3_report__month_decode(&m, b.ptr, b.len), UC3_EINVAL);
	/* a count far larger than the record is refused before anything is allocated */
	assert_int_equal(uc3_report__month_decode(&m, "\xff\xff\xff\xff\x0f", 5), UC3_EINVAL);
	uc3_buf_release(&b);
	month_files_release(v);
	uc3_error_clear();
}

/* Two months' records, and the cache file of them for the key of the default policy. */
static void
cache_file(struct uc3_buf *file, struct uc3_buf *key, struct uc3_buf rec[2],
	   struct uc3_report__cmonth cm[2])
{
	struct uc3_report__file v[4];

	month_files(v);
	uc3_report__month_encode(&rec[0], v, 2);
	uc3_report__month_encode(&rec[1], v + 2, 2);
	month_files_release(v);
	memset(cm, 0, 2 * sizeof(*cm));
	cm[0].folder = "2026/10";
	cm[1].folder = "2026/11";
	memset(cm[0].tree, 0x11, sizeof(cm[0].tree));
	memset(cm[1].tree, 0x22, sizeof(cm[1].tree));
	for (int i = 0; i < 2; i++) {
		cm[i].data = (const unsigned char *)rec[i].ptr;
		cm[i].len = rec[i].len;
		cm[i].hash = uc3_report__hash(rec[i].ptr, rec[i].len);
	}
	uc3_report__cache_key(key, policy);
	uc3_report__cache_assemble(file, key->ptr, cm, 2);
}

static void
cache_file_reads_back_for_its_key_only(void **state)
{
	struct uc3_buf file = UC3_BUF_INIT, key = UC3_BUF_INIT,
		       rec[2] = { UC3_BUF_INIT, UC3_BUF_INIT };
	struct uc3_report__cmonth cm[2], *v;
	size_t n, i;

	cache_file(&file, &key, rec, cm);
	assert_int_equal(uc3_report__cache_parse(&v, &n, file.ptr, file.len, key.ptr), 0);
	assert_int_equal(n, 2);
	for (i = 0; i < 2; i++) {
		assert_string_equal(v[i].folder, cm[i].folder);
		assert_memory_equal(v[i].tree, cm[i].tree, sizeof(cm[i].tree));
		assert_int_equal(v[i].len, cm[i].len);
		assert_memory_equal(v[i].data, cm[i].data, cm[i].len);
		assert_true(v[i].hash == cm[i].hash);
	}
	free(v);
	/* another policy's key, or none */
	assert_int_equal(uc3_report__cache_parse(&v, &n, file.ptr, file.len, "facts 1\n"),
			 UC3_EINVAL);
	assert_int_equal(uc3_report__cache_parse(&v, &n, file.ptr, file.len, ""), UC3_EINVAL);
	assert_null(v);
	assert_int_equal(n, 0);
	/* no months at all */
	uc3_buf_reset(&file);
	uc3_report__cache_assemble(&file, key.ptr, NULL, 0);
	assert_int_equal(uc3_report__cache_parse(&v, &n, file.ptr, file.len, key.ptr), 0);
	assert_int_equal(n, 0);
	free(v);
	uc3_buf_release(&file);
	uc3_buf_release(&key);
	uc3_buf_release(&rec[0]);
	uc3_buf_release(&rec[1]);
	uc3_error_clear();
}

static void
cache_file_damage_is_found(void **state)
{
	struct uc3_buf file = UC3_BUF_INIT, key = UC3_BUF_INIT,
		       rec[2] = { UC3_BUF_INIT, UC3_BUF_INIT };
	struct uc3_report__cmonth cm[2], *v;
	size_t n, i, records_from, records_to;

	cache_file(&file, &key, rec, cm);
	/* every cut */
	for (i = 0; i < file.len; i++)
		if (uc3_report__cache_parse(&v, &n, file.ptr, i, key.ptr) != UC3_EINVAL)
			fail_msg("a file cut to %zu of %zu bytes was read", i, file.len);
	/* a byte changed anywhere but in the records: the file is refused */
	records_from = strlen("uc3 report-facts 1\n") + 4 + key.len;
	records_to = records_from + rec[0].len + rec[1].len;
	for (i = 0; i < file.len; i++) {
		int rc;

		file.ptr[i] ^= 0x20;
		rc = uc3_report__cache_parse(&v, &n, file.ptr, file.len, key.ptr);
		if (i < records_from || i >= records_to) {
			if (rc != UC3_EINVAL)
				fail_msg("byte %zu of %zu changed, and the file was read", i,
					 file.len);
		} else {
			/* in a record: its month's hash tells */
			assert_int_equal(rc, 0);
			assert_true(uc3_report__hash(v[0].data, v[0].len) != v[0].hash ||
				    uc3_report__hash(v[1].data, v[1].len) != v[1].hash);
			free(v);
		}
		file.ptr[i] ^= 0x20;
	}
	uc3_buf_release(&file);
	uc3_buf_release(&key);
	uc3_buf_release(&rec[0]);
	uc3_buf_release(&rec[1]);
	uc3_error_clear();
}

static void
cache_key_follows_zone_calendar_steps_and_units(void **state)
{
	struct uc3_buf base = UC3_BUF_INIT, k = UC3_BUF_INIT;
	char *zone;
	int holiday;

	uc3_report__cache_key(&base, policy);
#define KEY_CHANGES(change, undo)                                                                  \
	do {                                                                                       \
		change;                                                                            \
		uc3_buf_reset(&k);                                                                 \
		uc3_report__cache_key(&k, policy);                                                 \
		assert_string_not_equal(k.ptr, base.ptr);                                          \
		undo;                                                                              \
	} while (0)
	KEY_CHANGES(policy->roles[0].step = 600, policy->roles[0].step = 300);
	KEY_CHANGES(policy->step_archive++, policy->step_archive--);
	KEY_CHANGES(policy->calendar.day[1][0].start += 30, policy->calendar.day[1][0].start -= 30);
	KEY_CHANGES(policy->calendar.always = true, policy->calendar.always = false);
	assert_true(policy->calendar.nholidays > 0);
	holiday = policy->calendar.holidays[0];
	KEY_CHANGES(policy->calendar.holidays[0] = 20261124,
		    policy->calendar.holidays[0] = holiday);
	KEY_CHANGES(policy->calendar.nholidays--, policy->calendar.nholidays++);
	assert_true(policy->nunits > 0 && policy->units[1].naliases > 0);
	KEY_CHANGES(policy->units[1].naliases--, policy->units[1].naliases++);
	zone = policy->timezone;
	KEY_CHANGES(policy->timezone = "Asia/Makassar", policy->timezone = zone);
#undef KEY_CHANGES
	/* what the facts do not depend on leaves it as it was */
	free(policy->office);
	policy->office = strdup("Another office");
	uc3_buf_reset(&k);
	uc3_report__cache_key(&k, policy);
	assert_string_equal(k.ptr, base.ptr);
	uc3_buf_release(&base);
	uc3_buf_release(&k);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(percentile_is_nearest_rank),
		T(compliance_is_met_over_count),
		T(minutes_read_as_hours_and_minutes_never_days),
		T(steps_are_the_events_that_end_one),
		T(step_seconds_count_office_time_only),
		T(step_seconds_of_many_tickets_in_sweeps),
		T(state_is_the_ticket_as_it_stood_at_the_end),
		T(takeover_counts_at_the_answering_role_and_reopen_takes_the_answer_away),
		T(reopen_of_a_closed_ticket_starts_a_step_and_ends_none),
		T(month_bounds_are_midnights_in_the_zone),
		T(period_defaults_to_the_month_of_now_and_refuses_an_empty_one),
		T(keys_read_back),
		T(cache_month_reads_back_what_was_written),
		T(cache_month_refuses_every_cut_and_any_tail),
		T(cache_file_reads_back_for_its_key_only),
		T(cache_file_damage_is_found),
		T(cache_key_follows_zone_calendar_steps_and_units),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
