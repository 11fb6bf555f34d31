/*
 * uc3 report --format html: the figures as one page of HTML. This is
 * the plain page: a table per section, no style beyond a few lines of
 * inline CSS, no script, nothing fetched. template_text (the office's
 * templates/report.html) is not read yet.
 */
#include "report.h"

#include <string.h>

#include "clock.h"
#include "report_int.h"

/* s with &, <, >, " and ' as entities. */
static void
esc(struct uc3_buf *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			uc3_buf_adds(out, "&amp;");
			break;
		case '<':
			uc3_buf_adds(out, "&lt;");
			break;
		case '>':
			uc3_buf_adds(out, "&gt;");
			break;
		case '"':
			uc3_buf_adds(out, "&quot;");
			break;
		case '\'':
			uc3_buf_adds(out, "&#39;");
			break;
		default:
			uc3_buf_addch(out, *s);
		}
	}
}

static void
cell(struct uc3_buf *out, const char *tag, const char *s)
{
	uc3_buf_addf(out, "<%s>", tag);
	esc(out, s);
	uc3_buf_addf(out, "</%s>", tag);
}

static void
cell_count(struct uc3_buf *out, size_t n)
{
	uc3_buf_addf(out, "<td class=\"n\">%zu</td>", n);
}

static void
cell_minutes(struct uc3_buf *out, long minutes)
{
	uc3_buf_adds(out, "<td class=\"n\">");
	uc3_report__minutes(out, minutes);
	uc3_buf_adds(out, "</td>");
}

static void
cell_compliance(struct uc3_buf *out, double c)
{
	if (c < 0)
		uc3_buf_adds(out, "<td class=\"n\">-</td>");
	else
		uc3_buf_addf(out, "<td class=\"n\">%.1f%%</td>", c);
}

static void
cell_time(struct uc3_buf *out, time_t t, const struct uc3_policy *p)
{
	uc3_buf_adds(out, "<td>");
	if (!t || uc3_clock_format_short(out, t, p->timezone) < 0)
		uc3_buf_adds(out, "-");
	uc3_buf_adds(out, "</td>");
}

/* A row of headings. */
static void
head_row(struct uc3_buf *out, const char *const *names, size_t n)
{
	size_t i;

	uc3_buf_adds(out, "<tr>");
	for (i = 0; i < n; i++)
		cell(out, "th", names[i]);
	uc3_buf_adds(out, "</tr>\n");
}

static void
count_row(struct uc3_buf *out, const char *name, size_t n)
{
	uc3_buf_adds(out, "<tr>");
	cell(out, "th", name);
	cell_count(out, n);
	uc3_buf_adds(out, "</tr>\n");
}

static void
summary(struct uc3_buf *out, const struct uc3_report *r)
{
	size_t s;

	uc3_buf_adds(out, "<h2>Summary</h2>\n<table id=\"summary\">\n");
	count_row(out, "tickets", r->tickets);
	for (s = 0; s < 4; s++)
		count_row(out, uc3_status_name((enum uc3_status)s), r->by_status[s]);
	count_row(out, "closed as spam", r->spam);
	count_row(out, "closed as duplicate", r->duplicate);
	count_row(out, "not closed at the end", r->not_closed);
	count_row(out, "overdue at the end", r->overdue);
	count_row(out, "ticket files unread", r->broken);
	uc3_buf_adds(out, "</table>\n<h2>Answered, by level</h2>\n<table id=\"answered\">\n");
	for (s = 0; s < r->nby_level; s++)
		count_row(out, r->by_level[s].name, r->by_level[s].n);
	count_row(out, "not answered", r->not_answered);
	uc3_buf_adds(out, "</table>\n");
}

static void
lead(struct uc3_buf *out, const char *title, const char *id, const struct uc3_report_lead *l)
{
	uc3_buf_addf(out, "<h2>%s</h2>\n<table id=\"%s\">\n", title, id);
	count_row(out, "tickets", l->count);
	uc3_buf_adds(out, "<tr><th>median</th>");
	cell_minutes(out, l->median_minutes);
	uc3_buf_adds(out, "</tr>\n<tr><th>p90</th>");
	cell_minutes(out, l->p90_minutes);
	uc3_buf_adds(out, "</tr>\n<tr><th>SOP worst case</th>");
	cell_minutes(out, l->sop_minutes);
	uc3_buf_adds(out, "</tr>\n");
	count_row(out, "within the SOP", l->within_sop);
	uc3_buf_adds(out, "</table>\n");
}

static void
steps(struct uc3_buf *out, const struct uc3_report *r)
{
	static const char *const head[] = { "step",	  "standard", "count", "met",	 "late",
					    "compliance", "median",   "p90",   "running" };
	size_t i;

	uc3_buf_adds(out, "<h2>Steps</h2>\n<table id=\"steps\">\n");
	head_row(out, head, 9);
	for (i = 0; i < r->nsteps; i++) {
		const struct uc3_report_stepfig *f = &r->steps[i];

		uc3_buf_adds(out, "<tr>");
		cell(out, "td", f->name);
		cell_minutes(out, f->standard_minutes);
		cell_count(out, f->count);
		cell_count(out, f->met);
		cell_count(out, f->late);
		cell_compliance(out, f->compliance);
		cell_minutes(out, f->median_minutes);
		cell_minutes(out, f->p90_minutes);
		cell_count(out, f->running);
		uc3_buf_adds(out, "</tr>\n");
	}
	uc3_buf_adds(out, "</table>\n");
	lead(out, "Receipt to delivery", "receipt_to_delivery", &r->to_delivery);
	lead(out, "Receipt to archive", "receipt_to_archive", &r->to_archive);
}

static void
counts(struct uc3_buf *out, const char *title, const char *id, const struct uc3_report_count *v,
       size_t n)
{
	size_t i;

	uc3_buf_addf(out, "<h2>%s</h2>\n<table id=\"%s\">\n", title, id);
	for (i = 0; i < n; i++)
		count_row(out, v[i].name, v[i].n);
	uc3_buf_adds(out, "</table>\n");
}

static void
breaches(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p)
{
	static const char *const head[] = { "id", "step", "held by", "due", "done", "late by" };
	size_t i;

	uc3_buf_adds(out, "<h2>Breaches</h2>\n<table id=\"breaches\">\n");
	head_row(out, head, 6);
	for (i = 0; i < r->nbreaches; i++) {
		const struct uc3_report_breach *b = &r->breaches[i];

		uc3_buf_adds(out, "<tr>");
		cell(out, "td", b->id);
		cell(out, "td", b->step);
		cell(out, "td", b->by ? b->by : b->role);
		cell_time(out, b->due, p);
		cell_time(out, b->done, p);
		cell_minutes(out, b->late_minutes);
		uc3_buf_adds(out, "</tr>\n");
	}
	uc3_buf_adds(out, "</table>\n");
}

static void
group(struct uc3_buf *out, const struct uc3_report *r, enum uc3_report_key k)
{
	static const char *const head[] = { "",		  "tickets",	"closed",
					    "not closed", "overdue",	"met",
					    "late",	  "compliance", "delivery median" };
	const struct uc3_report_group *g = &r->by[k];
	size_t i;

	uc3_buf_addf(out, "<h2>By %s</h2>\n<table id=\"by_%s\">\n", uc3_report_key_name(k),
		     uc3_report_key_name(k));
	head_row(out, head, 9);
	for (i = 0; i < g->n; i++) {
		const struct uc3_report_row *row = &g->rows[i];

		uc3_buf_adds(out, "<tr>");
		cell(out, "td", row->key);
		cell_count(out, row->tickets);
		cell_count(out, row->closed);
		cell_count(out, row->not_closed);
		cell_count(out, row->overdue);
		cell_count(out, row->met);
		cell_count(out, row->late);
		cell_compliance(out, row->compliance);
		cell_minutes(out, row->delivery_median_minutes);
		uc3_buf_adds(out, "</tr>\n");
	}
	uc3_buf_adds(out, "</table>\n");
}

int
uc3_report_html(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p,
		const char *template_text)
{
	size_t k;

	(void)template_text;
	uc3_buf_adds(out, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
			  "<title>");
	esc(out, p->office);
	uc3_buf_adds(out, "</title>\n<style>\n"
			  "@page { size: A4; margin: 15mm; }\n"
			  "body { font: 10pt sans-serif; }\n"
			  "table { border-collapse: collapse; margin-bottom: 1em; }\n"
			  "th, td { border: 1px solid #999; padding: 2px 6px; text-align: left; }\n"
			  "td.n { text-align: right; }\n"
			  "</style>\n</head>\n<body>\n<h1>");
	esc(out, p->office);
	uc3_buf_adds(out, "</h1>\n<p>Tickets received");
	if (r->since_set) {
		uc3_buf_adds(out, " from ");
		uc3_clock_format_short(out, r->since, p->timezone);
	}
	if (r->until_set) {
		uc3_buf_adds(out, " until ");
		uc3_clock_format_short(out, r->until, p->timezone);
	}
	uc3_buf_adds(out, " (");
	esc(out, p->timezone);
	uc3_buf_adds(out, "), as the records stood at ");
	uc3_clock_format_short(out, r->end, p->timezone);
	uc3_buf_adds(out, ".</p>\n");
	summary(out, r);
	steps(out, r);
	counts(out, "Top units", "top_units", r->top_units, r->ntop_units);
	counts(out, "Top kinds", "top_kinds", r->top_kinds, r->ntop_kinds);
	breaches(out, r, p);
	for (k = 0; k < UC3_REPORT_NKEYS; k++)
		if (r->by_asked & (1u << k))
			group(out, r, (enum uc3_report_key)k);
	uc3_buf_adds(out, "</body>\n</html>\n");
	return 0;
}
