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
#include "ydoc.h"

/*
 * What the report page's template sees (uc3_report_html_context,
 * lib/report_html.c): the period in words, numbers as the text has
 * them, the chart's weeks and months and its scale, the bars' shares;
 * and the page rendered with every value escaped. The figures are made
 * by hand here; report.c's tests check how they are computed. The
 * policy is the default one (Asia/Jakarta).
 */

static struct uc3_policy *policy;

static int
setup(void **state)
{
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

/* The scalar at a dotted path of ctx, a number a list's index; fails when there is none. */
static const char *
val(const struct uc3_ynode *ctx, const char *path)
{
	const struct uc3_ynode *n = ctx;
	char buf[256], *save = NULL, *k;

	snprintf(buf, sizeof(buf), "%s", path);
	for (k = strtok_r(buf, ".", &save); k && n; k = strtok_r(NULL, ".", &save)) {
		if (n->type == UC3_YSEQ) {
			size_t i = strtoul(k, NULL, 10);

			n = i < n->n ? n->items[i] : NULL;
		} else {
			n = uc3_ynode_get(n, k);
		}
	}
	if (!n || n->type != UC3_YSCALAR)
		fail_msg("no scalar at %s", path);
	return n->str;
}

static size_t
count(const struct uc3_ynode *ctx, const char *key)
{
	const struct uc3_ynode *n = uc3_ynode_get(ctx, key);

	assert_non_null(n);
	assert_int_equal(n->type, UC3_YSEQ);
	return n->n;
}

/* A report with nothing in it, for the period [since, until) (NULL: no bound). */
static void
empty_report(struct uc3_report *r, const char *since, const char *until)
{
	memset(r, 0, sizeof(*r));
	r->since_set = since != NULL;
	r->until_set = until != NULL;
	r->since = since ? at(since) : 0;
	r->until = until ? at(until) : 0;
	r->end = until ? r->until : at("2026-12-02 09:00");
	r->to_delivery.median_minutes = r->to_delivery.p90_minutes = -1;
	r->to_delivery.sop_minutes = 220;
	r->to_archive.median_minutes = r->to_archive.p90_minutes = -1;
	r->to_archive.sop_minutes = 225;
}

static struct uc3_ynode *
context(const struct uc3_report *r)
{
	return uc3_report_html_context(r, policy, at("2026-12-02 09:00"));
}

static void
period_of_a_calendar_month_is_its_name(void **state)
{
	struct uc3_report r;
	struct uc3_ynode *c;

	empty_report(&r, "2026-11-01 00:00", "2026-12-01 00:00");
	c = context(&r);
	assert_string_equal(val(c, "period"), "November 2026");
	assert_string_equal(val(c, "month_period"), "true");
	assert_string_equal(val(c, "since"), "2026-11-01 00:00");
	assert_string_equal(val(c, "until_iso"), "2026-12-01T00:00:00+07:00");
	assert_string_equal(val(c, "printed"), "2026-12-02 09:00");
	assert_string_equal(val(c, "command"),
			    "uc3 report --since 2026-11-01 --until 2026-12-01 --format html");
	uc3_ynode_free(c);
}

static void
period_of_whole_days_names_its_first_and_last_day(void **state)
{
	struct uc3_report r;
	struct uc3_ynode *c;

	empty_report(&r, "2026-11-02 00:00", "2026-11-16 00:00");
	c = context(&r);
	assert_string_equal(val(c, "period"), "2 November 2026 \u2013 15 November 2026");
	assert_string_equal(val(c, "month_period"), "");
	uc3_ynode_free(c);

	/* a year: the 31st of December is its last day */
	empty_report(&r, "2026-01-01 00:00", "2027-01-01 00:00");
	c = context(&r);
	assert_string_equal(val(c, "period"), "1 Januari 2026 \u2013 31 Desember 2026");
	uc3_ynode_free(c);
}

static void
period_with_one_bound_or_a_time_says_so(void **state)
{
	struct uc3_report r;
	struct uc3_ynode *c;

	empty_report(&r, "2026-11-23 09:00", NULL);
	c = context(&r);
	assert_string_equal(val(c, "period"), "sejak 2026-11-23 09:00");
	assert_string_equal(val(c, "until"), "");
	assert_string_equal(val(c, "command"),
			    "uc3 report --since 2026-11-23T09:00:00+07:00 --format html");
	uc3_ynode_free(c);

	empty_report(&r, NULL, "2026-12-01 00:00");
	c = context(&r);
	assert_string_equal(val(c, "period"), "sampai dengan 30 November 2026");
	assert_string_equal(val(c, "since"), "");
	uc3_ynode_free(c);
}

static void
steps_as_the_text_has_them_with_the_shares_of_their_bar(void **state)
{
	struct uc3_report_stepfig steps[] = {
		{ (char *)"staf", 5, 7, 4, 3, 1, 7, 100.0 * 4 / 7, 3, 20 },
		{ (char *)"wakor", 60, 3, 1, 2, 0, 2, 100.0 / 3, 30, 69 },
		{ (char *)"deliver", 5, 0, 0, 0, 0, 0, -1, -1, -1 },
		{ (char *)"triase", -1, 1, 1, 0, 0, 1, 100, 120, 120 },
	};
	struct uc3_report r;
	struct uc3_ynode *c;

	empty_report(&r, "2026-11-01 00:00", "2026-12-01 00:00");
	r.steps = steps;
	r.nsteps = 4;
	c = context(&r);
	assert_int_equal(count(c, "steps"), 4);
	assert_string_equal(val(c, "steps.0.name"), "staf");
	assert_string_equal(val(c, "steps.0.role_name"), "Staf Humas");
	assert_string_equal(val(c, "steps.0.deliver"), "");
	assert_string_equal(val(c, "steps.0.compliance"), "57.1%");
	assert_string_equal(val(c, "steps.0.met_pct"), "57.1");
	assert_string_equal(val(c, "steps.0.late_pct"), "42.9");
	assert_string_equal(val(c, "steps.0.judged"), "true");
	assert_string_equal(val(c, "steps.1.standard"), "1h");
	assert_string_equal(val(c, "steps.1.standard_minutes"), "60");
	assert_string_equal(val(c, "steps.1.p90"), "1h 9m");
	assert_string_equal(val(c, "steps.1.p90_minutes"), "69");
	assert_string_equal(val(c, "steps.1.compliance"), "33.3%");
	/* no step judged: no share, "-" and empty numbers */
	assert_string_equal(val(c, "steps.2.role_name"), "");
	assert_string_equal(val(c, "steps.2.deliver"), "true");
	assert_string_equal(val(c, "steps.2.judged"), "");
	assert_string_equal(val(c, "steps.2.compliance"), "-");
	assert_string_equal(val(c, "steps.2.median"), "-");
	assert_string_equal(val(c, "steps.2.median_minutes"), "");
	assert_string_equal(val(c, "steps.2.met_pct"), "0.0");
	/* a step of an older policy: named by itself, no standard */
	assert_string_equal(val(c, "steps.3.other"), "true");
	assert_string_equal(val(c, "steps.3.standard"), "-");
	assert_string_equal(val(c, "steps.3.median"), "2h");
	uc3_ynode_free(c);
}

static void
lead_times_on_a_scale_past_the_longer_of_the_sop_and_the_p90(void **state)
{
	struct uc3_report r;
	struct uc3_ynode *c;

	empty_report(&r, "2026-11-01 00:00", "2026-12-01 00:00");
	r.to_delivery = (struct uc3_report_lead){ 3, 50, 216, 220, 3 };
	r.to_archive = (struct uc3_report_lead){ 4, 60, 440, 225, 3 };
	c = context(&r);
	/* 220 * 1.1 = 242 */
	assert_string_equal(val(c, "receipt_to_delivery.sop_x"), "90.9");
	assert_string_equal(val(c, "receipt_to_delivery.p90_x"), "89.3");
	assert_string_equal(val(c, "receipt_to_delivery.median_x"), "20.7");
	assert_string_equal(val(c, "receipt_to_delivery.median"), "50m");
	assert_string_equal(val(c, "receipt_to_delivery.sop"), "3h 40m");
	assert_string_equal(val(c, "receipt_to_delivery.any"), "true");
	/* a p90 past the SOP sets the scale: 440 * 1.1 = 484 */
	assert_string_equal(val(c, "receipt_to_archive.p90_x"), "90.9");
	assert_string_equal(val(c, "receipt_to_archive.sop_x"), "46.5");
	assert_string_equal(val(c, "receipt_to_archive.beyond_sop"), "1");
	uc3_ynode_free(c);

	empty_report(&r, "2026-11-01 00:00", "2026-12-01 00:00");
	c = context(&r);
	assert_string_equal(val(c, "receipt_to_delivery.any"), "");
	assert_string_equal(val(c, "receipt_to_delivery.median"), "-");
	assert_string_equal(val(c, "receipt_to_delivery.p90_x"), "0.0");
	uc3_ynode_free(c);
}

static void
chart_by_week_with_each_week_s_days_and_a_round_scale(void **state)
{
	struct uc3_report_row weeks[] = {
		{ (char *)"2026-W48", 7, 5, 2, 1, 0, 0, -1, -1 },
		{ (char *)"2026-W53", 1, 0, 1, 0, 0, 0, -1, -1 },
	};
	struct uc3_report r;
	struct uc3_ynode *c;

	empty_report(&r, "2026-11-23 00:00", "2027-01-04 00:00");
	r.by[UC3_REPORT_BY_WEEK] = (struct uc3_report_group){ weeks, 2 };
	c = context(&r);
	assert_string_equal(val(c, "chart.weeks"), "true");
	assert_string_equal(val(c, "chart.months"), "");
	assert_string_equal(val(c, "chart.columns.0.key"), "2026-W48");
	assert_string_equal(val(c, "chart.columns.0.label"), "48");
	assert_string_equal(val(c, "chart.columns.0.sub"), "23 Nov\u201329 Nov");
	/* 2026 has 53 ISO weeks; the last ends in 2027 */
	assert_string_equal(val(c, "chart.columns.1.sub"), "28 Des\u20133 Jan");
	/* 7 at most: steps of 2 up to 8 */
	assert_int_equal(count(uc3_ynode_get(c, "chart"), "ticks"), 5);
	assert_string_equal(val(c, "chart.ticks.4.value"), "8");
	assert_string_equal(val(c, "chart.ticks.4.y"), val(c, "chart.top"));
	assert_string_equal(val(c, "chart.ticks.0.y"), val(c, "chart.base"));
	/* the plot is 108 high: 7 of 8 is 94.5, 5 of 8 is 67.5 */
	assert_string_equal(val(c, "chart.columns.0.h"), "94.5");
	assert_string_equal(val(c, "chart.columns.0.closed_h"), "67.5");
	assert_string_equal(val(c, "chart.columns.1.closed_h"), "0.0");
	uc3_ynode_free(c);
}

static void
chart_by_month_past_fourteen_weeks(void **state)
{
	struct uc3_report_row weeks[15], months[] = {
		{ (char *)"2026-11", 23, 20, 3, 1, 0, 0, -1, -1 },
		{ (char *)"2026-12", 0, 0, 0, 0, 0, 0, -1, -1 },
	};
	struct uc3_report r;
	struct uc3_ynode *c;
	size_t i;

	memset(weeks, 0, sizeof(weeks));
	for (i = 0; i < 15; i++)
		weeks[i].key = (char *)"2026-W40";
	empty_report(&r, "2026-10-01 00:00", "2027-01-01 00:00");
	r.by[UC3_REPORT_BY_WEEK] = (struct uc3_report_group){ weeks, 15 };
	r.by[UC3_REPORT_BY_MONTH] = (struct uc3_report_group){ months, 2 };
	c = context(&r);
	assert_string_equal(val(c, "chart.months"), "true");
	assert_int_equal(count(uc3_ynode_get(c, "chart"), "columns"), 2);
	assert_string_equal(val(c, "chart.columns.0.label"), "Nov");
	assert_string_equal(val(c, "chart.columns.1.label"), "Des");
	assert_string_equal(val(c, "chart.columns.1.sub"), "2026");
	/* 23 at most: steps of 5 up to 25 */
	assert_string_equal(val(c, "chart.ticks.5.value"), "25");
	uc3_ynode_free(c);

	/* nothing received: an axis of 0 and 1, flat columns */
	empty_report(&r, "2026-10-01 00:00", "2026-11-01 00:00");
	months[0].tickets = months[0].closed = months[0].not_closed = 0;
	r.by[UC3_REPORT_BY_WEEK] = (struct uc3_report_group){ weeks, 5 };
	c = context(&r);
	assert_string_equal(val(c, "chart.weeks"), "true");
	assert_string_equal(val(c, "chart.any"), "true");
	assert_int_equal(count(uc3_ynode_get(c, "chart"), "ticks"), 2);
	assert_string_equal(val(c, "chart.ticks.1.value"), "1");
	assert_string_equal(val(c, "chart.columns.0.h"), "0.0");
	uc3_ynode_free(c);
}

static void
breaches_name_the_step_the_role_and_the_person(void **state)
{
	struct uc3_report_breach b[] = {
		{ (char *)"UC3-2026-0002",
		  (char *)"deliver",
		  (char *)"staf",
		  (char *)"a@example.com",
		  0,
		  0,
		  5,
		  { 300, 0, 300 } },
		{ (char *)"UC3-2026-0006",
		  (char *)"wakor",
		  (char *)"wakor",
		  NULL,
		  0,
		  0,
		  1077,
		  { 1077 * 60, 2, 57 * 60 } },
	};
	struct uc3_policy *p = default_policy_with(
		"people:\n  - {email: a@example.com, name: Siti, roles: [staf]}");
	struct uc3_report r;
	struct uc3_ynode *c;

	empty_report(&r, "2026-11-01 00:00", "2026-12-01 00:00");
	b[0].due = at("2026-11-23 10:45");
	b[0].done = at("2026-11-23 10:50");
	b[1].due = at("2026-11-26 15:03");
	r.breaches = b;
	r.nbreaches = 2;
	c = uc3_report_html_context(&r, p, at("2026-12-02 09:00"));
	assert_string_equal(val(c, "nbreaches"), "2");
	assert_string_equal(val(c, "breaches.0.n"), "1");
	assert_string_equal(val(c, "breaches.0.step_name"), "");
	assert_string_equal(val(c, "breaches.0.deliver"), "true");
	assert_string_equal(val(c, "breaches.0.role_name"), "Staf Humas");
	assert_string_equal(val(c, "breaches.0.by_name"), "Siti");
	assert_string_equal(val(c, "breaches.0.running"), "");
	assert_string_equal(val(c, "breaches.0.done"), "2026-11-23 10:50");
	assert_string_equal(val(c, "breaches.0.late_by"), "5m");
	assert_string_equal(val(c, "breaches.1.step_name"), "Wakil Koordinator PKIH");
	assert_string_equal(val(c, "breaches.1.by"), "");
	assert_string_equal(val(c, "breaches.1.running"), "true");
	assert_string_equal(val(c, "breaches.1.done"), "");
	assert_string_equal(val(c, "breaches.1.late_by"), "2d 57m");
	assert_string_equal(val(c, "breaches.1.late_minutes"), "1077");
	uc3_ynode_free(c);
	uc3_policy_free(p);
}

static void
page_escapes_every_value_and_a_bad_template_leaves_nothing(void **state)
{
	static const char tmpl[] = "<h1>{{office}}</h1>{{#top_units}}<li>{{name}} {{n}}</li>"
				   "{{/top_units}}{{^breaches}}<p>none</p>{{/breaches}}";
	struct uc3_report_count units[] = { { (char *)"<b>Unit</b> & \"Satu\" 'x'", 2 } };
	struct uc3_report r;
	struct uc3_buf out = UC3_BUF_INIT;

	free(policy->office);
	policy->office = strdup("Kantor <script>x()</script>");
	empty_report(&r, "2026-11-01 00:00", "2026-12-01 00:00");
	r.top_units = units;
	r.ntop_units = 1;
	uc3_buf_adds(&out, "before|");
	assert_int_equal(uc3_report_html(&out, &r, policy, at("2026-12-02 09:00"), tmpl,
					 strlen(tmpl), "templates/report.html"),
			 0);
	assert_string_equal(out.ptr,
			    "before|<h1>Kantor &lt;script&gt;x()&lt;/script&gt;</h1>"
			    "<li>&lt;b&gt;Unit&lt;/b&gt; &amp; &quot;Satu&quot; &#39;x&#39; "
			    "2</li><p>none</p>");
	uc3_buf_reset(&out);
	uc3_buf_adds(&out, "before|");
	assert_int_equal(uc3_report_html(&out, &r, policy, 0, "<p>\n{{#steps}}", 14,
					 "templates/report.html"),
			 UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "templates/report.html:2: unclosed section 'steps'");
	assert_string_equal(out.ptr, "before|");
	uc3_buf_release(&out);
}

static void
installed_page_renders_an_empty_report(void **state)
{
	char *tmpl = read_file("templates/report.html");
	struct uc3_report r;
	struct uc3_buf out = UC3_BUF_INIT;

	assert_non_null(tmpl);
	empty_report(&r, "2026-10-01 00:00", "2026-11-01 00:00");
	assert_int_equal(uc3_report_html(&out, &r, policy, at("2026-12-02 09:00"), tmpl,
					 strlen(tmpl), "templates/report.html"),
			 0);
	assert_non_null(strstr(out.ptr, "<div class=\"period\" id=\"period\">Oktober 2026</div>"));
	assert_non_null(strstr(out.ptr, "id=\"no-breaches\""));
	assert_null(strstr(out.ptr, "{{"));
	assert_null(strstr(out.ptr, "<script"));
	uc3_buf_release(&out);
	free(tmpl);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(period_of_a_calendar_month_is_its_name),
		T(period_of_whole_days_names_its_first_and_last_day),
		T(period_with_one_bound_or_a_time_says_so),
		T(steps_as_the_text_has_them_with_the_shares_of_their_bar),
		T(lead_times_on_a_scale_past_the_longer_of_the_sop_and_the_p90),
		T(chart_by_week_with_each_week_s_days_and_a_round_scale),
		T(chart_by_month_past_fourteen_weeks),
		T(breaches_name_the_step_the_role_and_the_person),
		T(page_escapes_every_value_and_a_bad_template_leaves_nothing),
		T(installed_page_renders_an_empty_report),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
