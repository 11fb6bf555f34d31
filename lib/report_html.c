/*
 * uc3 report --format html: the figures as one printable page, made from
 * the template report.html (the office's own, else the installed one)
 * in the HTML mode of tmpl, so that every value is escaped. This file
 * computes no figure: it lays out those of struct uc3_report as the
 * strings a template sees (uc3-report(1), HTML), numbers formatted as the
 * text output has them, and the geometry of the charts, which a template
 * cannot compute.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "report_int.h"
#include "tmpl.h"

static const char *const month_names[12] = { "Januari",	  "Februari", "Maret",	  "April",
					     "Mei",	  "Juni",     "Juli",	  "Agustus",
					     "September", "Oktober",  "November", "Desember" };
static const char *const month_short[12] = { "Jan", "Feb", "Mar", "Apr", "Mei", "Jun",
					     "Jul", "Agu", "Sep", "Okt", "Nov", "Des" };

static void
put(struct uc3_ynode *m, const char *k, const char *v)
{
	uc3_ynode_map_add(m, k, uc3_ynode_scalar(v ? v : "", UC3_YSTYLE_ANY));
}

static void
put_bool(struct uc3_ynode *m, const char *k, bool v)
{
	put(m, k, v ? "true" : "");
}

static void
put_count(struct uc3_ynode *m, const char *k, size_t n)
{
	char s[32];

	snprintf(s, sizeof(s), "%zu", n);
	put(m, k, s);
}

/* A coordinate or a share, to a tenth: enough for print, short in the page. */
static void
put_num(struct uc3_ynode *m, const char *k, double v)
{
	char s[64];

	snprintf(s, sizeof(s), "%.1f", v);
	put(m, k, s);
}

/*
 * Minutes as k, as the text has them ("1h 5m"; "-" for none), and as
 * k_minutes, the number ("" for none).
 */
static void
put_minutes(struct uc3_ynode *m, const char *k, long minutes)
{
	struct uc3_buf b = UC3_BUF_INIT, key = UC3_BUF_INIT;

	uc3_report__minutes(&b, minutes);
	put(m, k, b.ptr);
	uc3_buf_reset(&b);
	if (minutes >= 0)
		uc3_buf_addf(&b, "%ld", minutes);
	uc3_buf_addf(&key, "%s_minutes", k);
	put(m, key.ptr, b.ptr);
	uc3_buf_release(&b);
	uc3_buf_release(&key);
}

/* A compliance as the text has it ("57.1%"; "-" for none). */
static void
put_compliance(struct uc3_ynode *m, const char *k, double c)
{
	char s[32];

	if (c < 0)
		snprintf(s, sizeof(s), "-");
	else
		snprintf(s, sizeof(s), "%.1f%%", c);
	put(m, k, s);
}

/* A time as k ("2026-11-27 09:00" in p's zone; "" when unset) and k_iso (RFC 3339). */
static void
put_time(struct uc3_ynode *m, const char *k, time_t t, bool set, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT, key = UC3_BUF_INIT;

	if (set)
		uc3_clock_format_short(&b, t, p->timezone);
	put(m, k, b.ptr);
	uc3_buf_reset(&b);
	if (set)
		uc3_clock_format(&b, t, p->timezone);
	uc3_buf_addf(&key, "%s_iso", k);
	put(m, key.ptr, b.ptr);
	uc3_buf_release(&b);
	uc3_buf_release(&key);
}

/* The name the policy gives role id, or NULL when id is no role of the chain. */
static const char *
role_name(const struct uc3_policy *p, const char *id)
{
	const struct uc3_role *r = id ? uc3_policy_role(p, id) : NULL;

	return r ? (r->name ? r->name : r->id) : NULL;
}

/*
 * What a step is, for a template to name it in its own words: k, the
 * name the policy gives its role ("" when it is none), and the booleans
 * deliver, archive and other (a step of an older policy).
 */
static void
put_step_kind(struct uc3_ynode *m, const char *k, const char *step, const struct uc3_policy *p)
{
	const char *role = role_name(p, step);
	bool deliver = !role && !strcmp(step, "deliver");
	bool archive = !role && !strcmp(step, "archive");

	put(m, k, role);
	put_bool(m, "deliver", deliver);
	put_bool(m, "archive", archive);
	put_bool(m, "other", !role && !deliver && !archive);
}

/* --- The period --- */

static bool
midnight(const struct tm *tm)
{
	return tm->tm_hour == 0 && tm->tm_min == 0 && tm->tm_sec == 0;
}

/* "1 November 2026". */
static void
long_date(struct uc3_buf *out, const struct tm *tm)
{
	uc3_buf_addf(out, "%d %s %d", tm->tm_mday, month_names[tm->tm_mon], tm->tm_year + 1900);
}

/*
 * A bound as people say it: the day, when it is a midnight (for until,
 * the day before, the last one in the period); else the local time.
 */
static void
bound_text(struct uc3_buf *out, time_t t, bool until, const struct uc3_policy *p)
{
	struct tm tm;

	if (uc3_clock_local(&tm, t, p->timezone) < 0) {
		uc3_error_clear();
		uc3_buf_adds(out, "?");
		return;
	}
	if (!midnight(&tm)) {
		uc3_clock_format_short(out, t, p->timezone);
		return;
	}
	if (until && uc3_clock_local(&tm, t - 1, p->timezone) < 0) {
		uc3_error_clear();
		uc3_buf_adds(out, "?");
		return;
	}
	long_date(out, &tm);
}

/*
 * The period as a title: "November 2026" for a calendar month; "2
 * November 2026 – 15 November 2026" for whole days; "sejak ..." or
 * "sampai dengan ..." with one bound. A period without bounds (only
 * uc3_report_figures's callers make one) is "semua tiket".
 */
static void
period_title(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p,
	     bool *month)
{
	time_t start, next;

	*month = false;
	if (r->since_set && r->until_set &&
	    uc3_report_month(&start, &next, r->since, p->timezone) == 0 && start == r->since &&
	    next == r->until) {
		struct tm tm;

		if (uc3_clock_local(&tm, r->since, p->timezone) == 0) {
			uc3_buf_addf(out, "%s %d", month_names[tm.tm_mon], tm.tm_year + 1900);
			*month = true;
			return;
		}
	}
	uc3_error_clear();
	if (r->since_set && r->until_set) {
		bound_text(out, r->since, false, p);
		uc3_buf_adds(out, " \u2013 ");
		bound_text(out, r->until, true, p);
	} else if (r->since_set) {
		uc3_buf_adds(out, "sejak ");
		bound_text(out, r->since, false, p);
	} else if (r->until_set) {
		uc3_buf_adds(out, "sampai dengan ");
		bound_text(out, r->until, true, p);
	} else {
		uc3_buf_adds(out, "semua tiket");
	}
}

/* A bound as --since and --until read it back: the day when it is a midnight, else RFC 3339. */
static void
bound_arg(struct uc3_buf *out, time_t t, const struct uc3_policy *p)
{
	struct tm tm;

	if (uc3_clock_local(&tm, t, p->timezone) == 0 && midnight(&tm))
		uc3_buf_addf(out, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
	else
		uc3_clock_format(out, t, p->timezone);
	uc3_error_clear();
}

static void
put_period(struct uc3_ynode *ctx, const struct uc3_report *r, const struct uc3_policy *p,
	   time_t now)
{
	struct uc3_buf b = UC3_BUF_INIT;
	bool month;

	period_title(&b, r, p, &month);
	put(ctx, "period", b.ptr);
	put_bool(ctx, "month_period", month);
	put_time(ctx, "since", r->since, r->since_set, p);
	put_time(ctx, "until", r->until, r->until_set, p);
	put_time(ctx, "end", r->end, true, p);
	put_time(ctx, "printed", now, true, p);
	uc3_buf_reset(&b);
	uc3_buf_adds(&b, "uc3 report");
	if (r->since_set) {
		uc3_buf_adds(&b, " --since ");
		bound_arg(&b, r->since, p);
	}
	if (r->until_set) {
		uc3_buf_adds(&b, " --until ");
		bound_arg(&b, r->until, p);
	}
	uc3_buf_adds(&b, " --format html");
	put(ctx, "command", b.ptr);
	uc3_buf_release(&b);
}

/* --- Tickets, levels, lead times --- */

static void
put_tickets(struct uc3_ynode *ctx, const struct uc3_report *r, const struct uc3_policy *p)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY), *seq;
	size_t s, i, max = 1;

	put_count(ctx, "tickets", r->tickets);
	put_count(ctx, "broken", r->broken);
	for (s = 0; s < 4; s++)
		put_count(m, uc3_status_name((enum uc3_status)s), r->by_status[s]);
	uc3_ynode_map_add(ctx, "by_status", m);
	m = uc3_ynode_map(UC3_YSTYLE_ANY);
	put_count(m, "spam", r->spam);
	put_count(m, "duplicate", r->duplicate);
	uc3_ynode_map_add(ctx, "closed_as", m);
	m = uc3_ynode_map(UC3_YSTYLE_ANY);
	put_count(m, "not_closed", r->not_closed);
	put_count(m, "overdue", r->overdue);
	uc3_ynode_map_add(ctx, "at_end", m);
	put_count(ctx, "not_answered", r->not_answered);

	for (i = 0; i < r->nby_level; i++)
		if (r->by_level[i].n > max)
			max = r->by_level[i].n;
	seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	for (i = 0; i < r->nby_level; i++) {
		const char *name = role_name(p, r->by_level[i].name);

		m = uc3_ynode_map(UC3_YSTYLE_ANY);
		put(m, "id", r->by_level[i].name);
		put(m, "name", name ? name : r->by_level[i].name);
		put_count(m, "n", r->by_level[i].n);
		put_num(m, "bar", 100.0 * (double)r->by_level[i].n / (double)max);
		uc3_ynode_seq_add(seq, m);
	}
	uc3_ynode_map_add(ctx, "by_level", seq);
}

/*
 * A lead time and, for a bar against the SOP's worst case, on a scale a
 * tenth longer than the longer of that and the p90 (in percent of the
 * bar): sop_x, median_x and p90_x.
 */
static void
put_lead(struct uc3_ynode *ctx, const char *k, const struct uc3_report_lead *l)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	double scale = (double)(l->p90_minutes > l->sop_minutes ? l->p90_minutes : l->sop_minutes);

	if (scale <= 0)
		scale = 1;
	scale *= 1.1;
	put_count(m, "count", l->count);
	put_bool(m, "any", l->count > 0);
	put_minutes(m, "median", l->median_minutes);
	put_minutes(m, "p90", l->p90_minutes);
	put_minutes(m, "sop", l->sop_minutes);
	put_count(m, "within_sop", l->within_sop);
	put_count(m, "beyond_sop", l->count - l->within_sop);
	put_num(m, "sop_x", 100.0 * (double)l->sop_minutes / scale);
	put_num(m, "median_x",
		l->median_minutes < 0 ? 0 : 100.0 * (double)l->median_minutes / scale);
	put_num(m, "p90_x", l->p90_minutes < 0 ? 0 : 100.0 * (double)l->p90_minutes / scale);
	uc3_ynode_map_add(ctx, k, m);
}

/* --- Steps --- */

static void
put_steps(struct uc3_ynode *ctx, const struct uc3_report *r, const struct uc3_policy *p)
{
	struct uc3_ynode *seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	size_t i;

	for (i = 0; i < r->nsteps; i++) {
		const struct uc3_report_stepfig *f = &r->steps[i];
		struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
		double met = f->count ? 100.0 * (double)f->met / (double)f->count : 0;

		put(m, "name", f->name);
		put_step_kind(m, "role_name", f->name, p);
		put_minutes(m, "standard", f->standard_minutes);
		put_count(m, "count", f->count);
		put_bool(m, "judged", f->count > 0);
		put_count(m, "met", f->met);
		put_count(m, "late", f->late);
		put_count(m, "running", f->running);
		put_count(m, "done", f->done);
		put_compliance(m, "compliance", f->compliance);
		put_minutes(m, "median", f->median_minutes);
		put_minutes(m, "p90", f->p90_minutes);
		put_num(m, "met_pct", met);
		put_num(m, "late_pct", f->count ? 100.0 - met : 0);
		uc3_ynode_seq_add(seq, m);
	}
	uc3_ynode_map_add(ctx, "steps", seq);
}

/* --- Tickets per week or month --- */

/* The chart's box, in the units of its viewBox. */
#define CHART_W	    360.0
#define CHART_H	    150.0
#define CHART_LEFT  28.0
#define CHART_RIGHT (CHART_W - 6.0)
#define CHART_TOP   14.0
#define CHART_BASE  (CHART_H - 28.0)
#define CHART_WEEKS 14 /* more weeks than this: months */

/* The top of the axis: the first multiple of 1, 2 or 5 times a power of ten with at most 5 steps.
 */
static size_t
axis_step(size_t max)
{
	static const size_t m[] = { 1, 2, 5 };
	size_t p = 1, i;

	for (;;) {
		for (i = 0; i < 3; i++)
			if ((max + m[i] * p - 1) / (m[i] * p) <= 5)
				return m[i] * p;
		p *= 10;
	}
}

/* The Monday of ISO week w of ISO year y, as a UTC day (dates only). */
static time_t
iso_monday(int y, int w)
{
	struct tm tm = { 0 };
	time_t jan4;
	int wday;

	tm.tm_year = y - 1900;
	tm.tm_mday = 4;
	jan4 = timegm(&tm);
	gmtime_r(&jan4, &tm);
	wday = tm.tm_wday ? tm.tm_wday : 7;
	return jan4 + ((time_t)(w - 1) * 7 - (wday - 1)) * 86400;
}

/* "23 Nov" of a UTC day. */
static void
short_date(struct uc3_buf *out, time_t day)
{
	struct tm tm;

	gmtime_r(&day, &tm);
	uc3_buf_addf(out, "%d %s", tm.tm_mday, month_short[tm.tm_mon]);
}

/*
 * The labels of a column: a week "2026-W48" as label "48" and sub
 * "23 Nov – 29 Nov"; a month "2026-11" as label "Nov" and sub "2026".
 * Another key (none is made) is its own label.
 */
static void
column_labels(struct uc3_ynode *m, const char *key, bool weeks)
{
	struct uc3_buf label = UC3_BUF_INIT, sub = UC3_BUF_INIT;
	int y, n;
	char c;

	if (weeks && sscanf(key, "%4d-W%2d%c", &y, &n, &c) == 2 && n >= 1 && n <= 53) {
		time_t mon = iso_monday(y, n);

		uc3_buf_addf(&label, "%d", n);
		short_date(&sub, mon);
		uc3_buf_adds(&sub, "\u2013");
		short_date(&sub, mon + 6 * 86400);
	} else if (!weeks && sscanf(key, "%4d-%2d%c", &y, &n, &c) == 2 && n >= 1 && n <= 12) {
		uc3_buf_adds(&label, month_short[n - 1]);
		uc3_buf_addf(&sub, "%d", y);
	} else {
		uc3_buf_adds(&label, key);
	}
	put(m, "label", label.ptr);
	put(m, "sub", sub.ptr);
	uc3_buf_release(&label);
	uc3_buf_release(&sub);
}

/*
 * The tickets received per week of the period (per month when it has
 * more than CHART_WEEKS weeks), from the groups of the report, as a
 * column chart: each column the tickets received, closed at the end
 * below, not closed above.
 */
static void
put_chart(struct uc3_ynode *ctx, const struct uc3_report *r)
{
	const struct uc3_report_group *g = &r->by[UC3_REPORT_BY_WEEK];
	struct uc3_ynode *chart = uc3_ynode_map(UC3_YSTYLE_ANY), *cols, *ticks;
	bool weeks = g->n <= CHART_WEEKS;
	double plot_h = CHART_BASE - CHART_TOP, slot, w;
	size_t i, max = 0, step, top;

	if (!weeks)
		g = &r->by[UC3_REPORT_BY_MONTH];
	for (i = 0; i < g->n; i++)
		if (g->rows[i].tickets > max)
			max = g->rows[i].tickets;
	step = axis_step(max ? max : 1);
	top = max ? (max + step - 1) / step * step : step;
	slot = g->n ? (CHART_RIGHT - CHART_LEFT) / (double)g->n : 0;
	w = slot * 0.62 < 36 ? slot * 0.62 : 36;

	put_bool(chart, "weeks", weeks);
	put_bool(chart, "months", !weeks);
	put_bool(chart, "any", g->n > 0);
	put_num(chart, "width", CHART_W);
	put_num(chart, "height", CHART_H);
	put_num(chart, "left", CHART_LEFT);
	put_num(chart, "right", CHART_RIGHT);
	put_num(chart, "top", CHART_TOP);
	put_num(chart, "base", CHART_BASE);
	put_num(chart, "label_y", CHART_BASE + 11);
	put_num(chart, "sub_y", CHART_BASE + 20);
	put_num(chart, "axis_x", CHART_LEFT - 4);

	ticks = uc3_ynode_seq(UC3_YSTYLE_ANY);
	for (i = 0; i <= top; i += step) {
		struct uc3_ynode *t = uc3_ynode_map(UC3_YSTYLE_ANY);
		double y = CHART_BASE - plot_h * (double)i / (double)top;

		put_count(t, "value", i);
		put_num(t, "y", y);
		put_num(t, "text_y", y + 2.5);
		uc3_ynode_seq_add(ticks, t);
	}
	uc3_ynode_map_add(chart, "ticks", ticks);

	cols = uc3_ynode_seq(UC3_YSTYLE_ANY);
	for (i = 0; i < g->n; i++) {
		const struct uc3_report_row *row = &g->rows[i];
		struct uc3_ynode *c = uc3_ynode_map(UC3_YSTYLE_ANY);
		double x = CHART_LEFT + slot * (double)i + (slot - w) / 2;
		double h_all = plot_h * (double)row->tickets / (double)top;
		double h_closed = plot_h * (double)row->closed / (double)top;

		put(c, "key", row->key);
		column_labels(c, row->key, weeks);
		put_count(c, "tickets", row->tickets);
		put_count(c, "closed", row->closed);
		put_count(c, "not_closed", row->not_closed);
		put_count(c, "overdue", row->overdue);
		put_num(c, "x", x);
		put_num(c, "w", w);
		put_num(c, "cx", x + w / 2);
		put_num(c, "y", CHART_BASE - h_all);
		put_num(c, "h", h_all);
		put_num(c, "closed_y", CHART_BASE - h_closed);
		put_num(c, "closed_h", h_closed);
		put_num(c, "value_y", CHART_BASE - h_all - 3);
		uc3_ynode_seq_add(cols, c);
	}
	uc3_ynode_map_add(chart, "columns", cols);
	uc3_ynode_map_add(ctx, "chart", chart);
}

/* --- Top units and kinds, breaches, groups --- */

static void
put_top(struct uc3_ynode *ctx, const char *k, const struct uc3_report_count *v, size_t n)
{
	struct uc3_ynode *seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	size_t i, max = n ? v[0].n : 0; /* the most first */

	for (i = 0; i < n; i++) {
		struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);

		put_count(m, "rank", i + 1);
		put(m, "name", v[i].name);
		put_count(m, "n", v[i].n);
		put_num(m, "bar", max ? 100.0 * (double)v[i].n / (double)max : 0);
		uc3_ynode_seq_add(seq, m);
	}
	uc3_ynode_map_add(ctx, k, seq);
}

static void
put_breaches(struct uc3_ynode *ctx, const struct uc3_report *r, const struct uc3_policy *p)
{
	struct uc3_ynode *seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < r->nbreaches; i++) {
		const struct uc3_report_breach *x = &r->breaches[i];
		struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
		const struct uc3_person *who = x->by ? uc3_policy_person(p, x->by) : NULL;
		const char *role = role_name(p, x->role);
		struct uc3_calendar_span late = x->late;

		put_count(m, "n", i + 1);
		put(m, "id", x->id);
		put(m, "step", x->step);
		put_step_kind(m, "step_name", x->step, p);
		put(m, "role", x->role);
		put(m, "role_name", role ? role : x->role);
		put(m, "by", x->by);
		put(m, "by_name", who && who->name ? who->name : x->by);
		put_bool(m, "running", !x->done);
		put_time(m, "due", x->due, x->due != 0, p);
		put_time(m, "done", x->done, x->done != 0, p);
		uc3_buf_reset(&b);
		uc3_calendar_format_span(&b, &late);
		put(m, "late_by", b.ptr);
		uc3_buf_reset(&b);
		uc3_buf_addf(&b, "%ld", x->late_minutes);
		put(m, "late_minutes", b.ptr);
		uc3_ynode_seq_add(seq, m);
	}
	uc3_ynode_map_add(ctx, "breaches", seq);
	put_count(ctx, "nbreaches", r->nbreaches);
	uc3_buf_release(&b);
}

static void
put_groups(struct uc3_ynode *ctx, const struct uc3_report *r)
{
	struct uc3_ynode *seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	size_t k, i, j;

	for (k = 0; k < UC3_REPORT_NKEYS; k++) {
		const struct uc3_report_group *g = &r->by[k];
		struct uc3_ynode *m, *rows;

		if (!(r->by_asked & (1u << k)))
			continue;
		m = uc3_ynode_map(UC3_YSTYLE_ANY);
		put(m, "by", uc3_report_key_name((enum uc3_report_key)k));
		for (j = 0; j < UC3_REPORT_NKEYS; j++)
			put_bool(m, uc3_report_key_name((enum uc3_report_key)j), j == k);
		rows = uc3_ynode_seq(UC3_YSTYLE_ANY);
		for (i = 0; i < g->n; i++) {
			const struct uc3_report_row *row = &g->rows[i];
			struct uc3_ynode *x = uc3_ynode_map(UC3_YSTYLE_ANY);

			put(x, "key", row->key);
			put_count(x, "tickets", row->tickets);
			put_count(x, "closed", row->closed);
			put_count(x, "not_closed", row->not_closed);
			put_count(x, "overdue", row->overdue);
			put_count(x, "met", row->met);
			put_count(x, "late", row->late);
			put_compliance(x, "compliance", row->compliance);
			put_minutes(x, "delivery_median", row->delivery_median_minutes);
			uc3_ynode_seq_add(rows, x);
		}
		uc3_ynode_map_add(m, "rows", rows);
		uc3_ynode_seq_add(seq, m);
	}
	uc3_ynode_map_add(ctx, "groups", seq);
}

struct uc3_ynode *
uc3_report_html_context(const struct uc3_report *r, const struct uc3_policy *p, time_t now)
{
	struct uc3_ynode *ctx = uc3_ynode_map(UC3_YSTYLE_ANY);

	put(ctx, "office", p->office);
	put(ctx, "sop", p->sop);
	put(ctx, "prefix", p->id_prefix);
	put(ctx, "timezone", p->timezone);
	put(ctx, "clerk_role", role_name(p, p->roles[0].id));
	put(ctx, "head_role", role_name(p, p->roles[p->nroles - 1].id));
	put_period(ctx, r, p, now);
	put_tickets(ctx, r, p);
	put_steps(ctx, r, p);
	put_lead(ctx, "receipt_to_delivery", &r->to_delivery);
	put_lead(ctx, "receipt_to_archive", &r->to_archive);
	put_chart(ctx, r);
	put_top(ctx, "top_units", r->top_units, r->ntop_units);
	put_top(ctx, "top_kinds", r->top_kinds, r->ntop_kinds);
	put_breaches(ctx, r, p);
	put_groups(ctx, r);
	return ctx;
}

int
uc3_report_html(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p,
		time_t now, const char *tmpl, size_t len, const char *name)
{
	struct uc3_ynode *ctx = uc3_report_html_context(r, p, now);
	int rc = uc3_tmpl_render(out, tmpl, len, ctx, UC3_TMPL_HTML, name);

	uc3_ynode_free(ctx);
	return rc;
}
