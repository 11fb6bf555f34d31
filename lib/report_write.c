/*
 * The figures of a period written out: text for people, JSON for
 * scripts, CSV for spreadsheets (report.h). Nothing here computes a
 * figure; the per-ticket state of the CSV is the one the figures use.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "datetext.h"
#include "i18n.h"
#include "json.h"
#include "report_int.h"
#include "table.h"
#include "xalloc.h"

/* "2026-11-27 09:00" in p's zone; "-" for 0. */
static void
short_time(struct uc3_buf *out, time_t t, const struct uc3_policy *p)
{
	if (!t || uc3_clock_format_short(out, t, p->timezone) < 0)
		uc3_buf_adds(out, "-");
}

/*
 * A date of the period's lines: "2026-11-27 09:00", or in Indonesian as
 * a letter writes it, "Jumat, 27 November 2026 09.00 WIB"; "-" for 0.
 */
static void
period_time(struct uc3_buf *out, time_t t, const struct uc3_policy *p)
{
	if (t && !strcmp(uc3_i18n_language(), "id") && uc3_datetext_long(out, t, p->timezone) == 0)
		return;
	short_time(out, t, p);
}

static void
compliance_text(struct uc3_buf *out, double c)
{
	if (c < 0)
		uc3_buf_adds(out, "-");
	else
		uc3_buf_addf(out, "%.1f%%", c);
}

/* A cell of minutes as people read them. */
static void
add_minutes(struct uc3_table *tab, long minutes)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_report__minutes(&b, minutes);
	uc3_table_add(tab, b.ptr);
	uc3_buf_release(&b);
}

static void
add_count(struct uc3_table *tab, size_t n)
{
	uc3_table_addf(tab, "%zu", n);
}

/* A heading, the table under it and a blank line; nothing when the table has no rows. */
static void
section(struct uc3_buf *out, const char *title, struct uc3_table *tab)
{
	if (uc3_table_rows(tab)) {
		if (title)
			uc3_buf_addf(out, "%s\n", title);
		uc3_table_render(out, tab, 0);
		uc3_buf_addch(out, '\n');
	}
	uc3_table_release(tab);
}

static void
period_text(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p)
{
	struct uc3_buf since = UC3_BUF_INIT, until = UC3_BUF_INIT, end = UC3_BUF_INIT;

	period_time(&since, r->since, p);
	period_time(&until, r->until, p);
	period_time(&end, r->end, p);
	if (r->since_set && r->until_set)
		/* TRANSLATORS: the period of uc3 report: two dates, then the time zone. */
		uc3_buf_addf(out, _("Tickets received from %s until %s (%s)"), since.ptr, until.ptr,
			     p->timezone);
	else if (r->since_set)
		uc3_buf_addf(out, _("Tickets received from %s (%s)"), since.ptr, p->timezone);
	else if (r->until_set)
		uc3_buf_addf(out, _("Tickets received until %s (%s)"), until.ptr, p->timezone);
	else
		uc3_buf_addf(out, _("Tickets received (%s)"), p->timezone);
	uc3_buf_addch(out, '\n');
	uc3_buf_addf(out, _("As the records stood at %s"), end.ptr);
	uc3_buf_adds(out, "\n\n");
	uc3_buf_release(&since);
	uc3_buf_release(&until);
	uc3_buf_release(&end);
}

static void
summary_text(struct uc3_buf *out, const struct uc3_report *r)
{
	struct uc3_table tab;
	size_t s;

	uc3_table_init(&tab, 2);
	uc3_table_column(&tab, 1, NULL, UC3_TABLE_RIGHT, 0);
	uc3_table_add(&tab, _("Tickets received"));
	add_count(&tab, r->tickets);
	for (s = 0; s < 4; s++) {
		uc3_table_addf(&tab, "  %s", uc3_status_name((enum uc3_status)s));
		add_count(&tab, r->by_status[s]);
	}
	if (r->broken) {
		struct uc3_buf note = UC3_BUF_INIT;

		uc3_table_add(&tab, _("Ticket files unread"));
		add_count(&tab, r->broken);
		uc3_buf_addf(&note, "  %s", _("(named on stderr, and left out of every figure)"));
		uc3_table_after(&tab, note.ptr);
		uc3_buf_release(&note);
	}
	section(out, NULL, &tab);
}

static void
levels_text(struct uc3_buf *out, const struct uc3_report *r)
{
	struct uc3_table tab;
	size_t i;

	uc3_table_init(&tab, 2);
	uc3_table_column(&tab, 1, NULL, UC3_TABLE_RIGHT, 0);
	for (i = 0; i < r->nby_level; i++) {
		uc3_table_addf(&tab, "  %s", r->by_level[i].name);
		add_count(&tab, r->by_level[i].n);
	}
	uc3_table_addf(&tab, "  %s", _("not answered"));
	add_count(&tab, r->not_answered);
	uc3_table_addf(&tab, "  %s", _("closed as spam"));
	add_count(&tab, r->spam);
	uc3_table_addf(&tab, "  %s", _("closed as duplicate"));
	add_count(&tab, r->duplicate);
	section(out, _("Answered, by the level that answered"), &tab);
}

static void
steps_text(struct uc3_buf *out, const struct uc3_report *r)
{
	/* TRANSLATORS: the headings of the steps' table of uc3 report, in capitals. */
	static const char *const head[] = { N_("STEP"),	  N_("STANDARD"), N_("COUNT"),
					    N_("MET"),	  N_("LATE"),	  N_("COMPLIANCE"),
					    N_("MEDIAN"), N_("P90"),	  N_("RUNNING") };
	struct uc3_table tab;
	size_t i, c;

	uc3_table_init(&tab, 9);
	for (c = 0; c < 9; c++)
		uc3_table_column(&tab, c, _(head[c]), c ? UC3_TABLE_RIGHT : UC3_TABLE_LEFT, 0);
	for (i = 0; i < r->nsteps; i++) {
		const struct uc3_report_stepfig *f = &r->steps[i];
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_table_add(&tab, f->name);
		add_minutes(&tab, f->standard_minutes);
		add_count(&tab, f->count);
		add_count(&tab, f->met);
		add_count(&tab, f->late);
		compliance_text(&b, f->compliance);
		uc3_table_add(&tab, b.ptr);
		uc3_buf_release(&b);
		add_minutes(&tab, f->median_minutes);
		add_minutes(&tab, f->p90_minutes);
		add_count(&tab, f->running);
	}
	section(out, _("Steps, against the time standard (office time)"), &tab);
}

/* what: true for receipt to archive, false for receipt to delivery. */
static void
lead_text(struct uc3_buf *out, bool archive, const struct uc3_report_lead *l)
{
	struct uc3_buf med = UC3_BUF_INIT, p90 = UC3_BUF_INIT, sop = UC3_BUF_INIT;
	unsigned long n = (unsigned long)l->count;

	if (archive)
		uc3_buf_addf(out,
			     ngettext("Receipt to archive: %zu ticket",
				      "Receipt to archive: %zu tickets", n),
			     l->count);
	else
		uc3_buf_addf(out,
			     ngettext("Receipt to delivery: %zu ticket",
				      "Receipt to delivery: %zu tickets", n),
			     l->count);
	if (l->count) {
		uc3_report__minutes(&med, l->median_minutes);
		uc3_report__minutes(&p90, l->p90_minutes);
		uc3_report__minutes(&sop, l->sop_minutes);
		/* TRANSLATORS: after "Receipt to delivery: 3 tickets": durations, then a count. */
		uc3_buf_addf(out, _(", median %s, p90 %s; %zu within the SOP's %s"), med.ptr,
			     p90.ptr, l->within_sop, sop.ptr);
	}
	uc3_buf_addch(out, '\n');
	uc3_buf_release(&med);
	uc3_buf_release(&p90);
	uc3_buf_release(&sop);
}

static void
delivery_text(struct uc3_buf *out, const struct uc3_report *r)
{
	lead_text(out, false, &r->to_delivery);
	lead_text(out, true, &r->to_archive);
	uc3_buf_addf(out, _("At the end of the period: %zu not closed, %zu overdue"), r->not_closed,
		     r->overdue);
	uc3_buf_adds(out, "\n\n");
}

static void
top_text(struct uc3_buf *out, const char *title, const char *head, const struct uc3_report_count *v,
	 size_t n)
{
	struct uc3_table tab;
	size_t i;

	uc3_table_init(&tab, 2);
	uc3_table_column(&tab, 0, head, UC3_TABLE_LEFT, 0);
	uc3_table_column(&tab, 1, _("TICKETS"), UC3_TABLE_RIGHT, 0);
	for (i = 0; i < n; i++) {
		uc3_table_add(&tab, v[i].name);
		add_count(&tab, v[i].n);
	}
	if (!n)
		uc3_table_release(&tab);
	else
		section(out, title, &tab);
}

static void
breaches_text(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p)
{
	/* TRANSLATORS: the headings of the breaches' table of uc3 report, in capitals. */
	static const char *const head[] = { N_("ID"),  N_("STEP"), N_("HELD BY"), N_("DONE BY"),
					    N_("DUE"), N_("DONE"), N_("LATE BY") };
	struct uc3_table tab;
	size_t i, c;

	if (!r->nbreaches) {
		uc3_buf_adds(out, _("Breaches: none"));
		uc3_buf_adds(out, "\n\n");
		return;
	}
	uc3_table_init(&tab, 7);
	for (c = 0; c < 7; c++)
		uc3_table_column(&tab, c, _(head[c]), UC3_TABLE_LEFT, 0);
	for (i = 0; i < r->nbreaches; i++) {
		const struct uc3_report_breach *b = &r->breaches[i];
		struct uc3_calendar_span late = b->late;
		struct uc3_buf s = UC3_BUF_INIT;

		uc3_table_add(&tab, b->id);
		uc3_table_add(&tab, b->step);
		/* The role whose step it was; who ended it may be a higher one (a takeover). */
		uc3_table_add(&tab, b->role ? b->role : "-");
		uc3_table_add(&tab, b->by ? b->by : _("(still running)"));
		short_time(&s, b->due, p);
		uc3_table_add(&tab, s.ptr);
		uc3_buf_reset(&s);
		short_time(&s, b->done, p);
		uc3_table_add(&tab, s.ptr);
		uc3_buf_reset(&s);
		uc3_calendar_format_span(&s, &late);
		uc3_table_add(&tab, s.ptr);
		uc3_buf_release(&s);
	}
	/* TRANSLATORS: "d" is what a span of office days is written with ("1d 2h"). */
	section(out, _("Breaches (d: office days)"), &tab);
}

static void
group_text(struct uc3_buf *out, const struct uc3_report *r, enum uc3_report_key k)
{
	/* TRANSLATORS: the headings of a table of uc3 report --by, in capitals. */
	static const char *const head[] = {
		NULL,	   N_("TICKETS"), N_("CLOSED"),	    N_("NOT CLOSED"),	  N_("OVERDUE"),
		N_("MET"), N_("LATE"),	  N_("COMPLIANCE"), N_("DELIVERY MEDIAN")
	};
	static const char *const key_head[UC3_REPORT_NKEYS] = { N_("KIND"),  N_("CHANNEL"),
								N_("UNIT"),  N_("LEVEL"),
								N_("MONTH"), N_("WEEK"),
								N_("PERSON") };
	/* The titles, by the key of --by (report.h), which stays as it is typed. */
	static const char *const title[UC3_REPORT_NKEYS] = { N_("By kind"),  N_("By channel"),
							     N_("By unit"),  N_("By level"),
							     N_("By month"), N_("By week"),
							     N_("By person") };
	const struct uc3_report_group *g = &r->by[k];
	struct uc3_table tab;
	size_t i, c;

	uc3_table_init(&tab, 9);
	for (c = 0; c < 9; c++)
		uc3_table_column(&tab, c, _(c ? head[c] : key_head[k]),
				 c ? UC3_TABLE_RIGHT : UC3_TABLE_LEFT, 0);
	for (i = 0; i < g->n; i++) {
		const struct uc3_report_row *row = &g->rows[i];
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_table_add(&tab, row->key);
		add_count(&tab, row->tickets);
		add_count(&tab, row->closed);
		add_count(&tab, row->not_closed);
		add_count(&tab, row->overdue);
		add_count(&tab, row->met);
		add_count(&tab, row->late);
		compliance_text(&b, row->compliance);
		uc3_table_add(&tab, b.ptr);
		uc3_buf_release(&b);
		add_minutes(&tab, row->delivery_median_minutes);
	}
	section(out, _(title[k]), &tab);
}

void
uc3_report_text(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p)
{
	size_t k;

	uc3_buf_addf(out, "%s\n", p->office);
	period_text(out, r, p);
	summary_text(out, r);
	if (!r->tickets) {
		uc3_buf_adds(out, _("No ticket was received in the period."));
		uc3_buf_addch(out, '\n');
		return;
	}
	levels_text(out, r);
	steps_text(out, r);
	delivery_text(out, r);
	top_text(out, _("Top units"), _("UNIT"), r->top_units, r->ntop_units);
	top_text(out, _("Top kinds"), _("KIND"), r->top_kinds, r->ntop_kinds);
	breaches_text(out, r, p);
	for (k = 0; k < UC3_REPORT_NKEYS; k++)
		if (r->by_asked & (1u << k))
			group_text(out, r, (enum uc3_report_key)k);
	/* One blank line between sections, none at the end. */
	while (out->len >= 2 && out->ptr[out->len - 1] == '\n' && out->ptr[out->len - 2] == '\n')
		uc3_buf_setlen(out, out->len - 1);
}

/* --- JSON --- */

static void
json_time(struct uc3_json *j, const char *key, time_t t, bool set, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (set && uc3_clock_format(&b, t, p->timezone) == 0)
		uc3_json_put_string(j, key, b.ptr);
	else
		uc3_json_put_null(j, key);
	uc3_buf_release(&b);
}

/* A count of minutes, null when there is none (-1). */
static void
json_minutes(struct uc3_json *j, const char *key, long minutes)
{
	if (minutes < 0)
		uc3_json_put_null(j, key);
	else
		uc3_json_put_long(j, key, minutes);
}

static void
json_compliance(struct uc3_json *j, const char *key, double c)
{
	uc3_json_key(j, key);
	if (c < 0)
		uc3_buf_adds(j->out, "null");
	else
		uc3_buf_addf(j->out, "%.1f", c);
}

static void
json_counts(struct uc3_json *j, const char *key, const struct uc3_report_count *v, size_t n)
{
	size_t i;

	uc3_json_array(j, key, 0);
	for (i = 0; i < n; i++) {
		uc3_json_object(j, NULL, 0);
		uc3_json_put_string(j, "name", v[i].name);
		uc3_json_put_long(j, "tickets", (long)v[i].n);
		uc3_json_end(j);
	}
	uc3_json_end(j);
}

static void
json_lead(struct uc3_json *j, const char *key, const struct uc3_report_lead *l)
{
	uc3_json_object(j, key, 0);
	uc3_json_put_long(j, "count", (long)l->count);
	json_minutes(j, "median_minutes", l->median_minutes);
	json_minutes(j, "p90_minutes", l->p90_minutes);
	uc3_json_put_long(j, "sop_minutes", l->sop_minutes);
	uc3_json_put_long(j, "within_sop", (long)l->within_sop);
	uc3_json_end(j);
}

void
uc3_report_json(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p)
{
	struct uc3_json j;
	size_t i, k;

	uc3_json_init(&j, out, 0);
	uc3_json_object(&j, NULL, UC3_JSON_LINES);
	uc3_json_put_string(&j, "office", p->office);
	uc3_json_object(&j, "period", 0);
	json_time(&j, "since", r->since, r->since_set, p);
	json_time(&j, "until", r->until, r->until_set, p);
	json_time(&j, "end", r->end, true, p);
	uc3_json_put_string(&j, "timezone", p->timezone);
	uc3_json_end(&j);
	uc3_json_put_long(&j, "tickets", (long)r->tickets);
	uc3_json_put_long(&j, "broken", (long)r->broken);
	uc3_json_object(&j, "by_status", 0);
	for (i = 0; i < 4; i++)
		uc3_json_put_long(&j, uc3_status_name((enum uc3_status)i), (long)r->by_status[i]);
	uc3_json_end(&j);
	uc3_json_object(&j, "closed_as", 0);
	uc3_json_put_long(&j, "spam", (long)r->spam);
	uc3_json_put_long(&j, "duplicate", (long)r->duplicate);
	uc3_json_end(&j);
	uc3_json_object(&j, "by_level", 0);
	for (i = 0; i < r->nby_level; i++)
		uc3_json_put_long(&j, r->by_level[i].name, (long)r->by_level[i].n);
	uc3_json_end(&j);
	uc3_json_put_long(&j, "not_answered", (long)r->not_answered);
	uc3_json_object(&j, "steps", UC3_JSON_LINES);
	for (i = 0; i < r->nsteps; i++) {
		const struct uc3_report_stepfig *f = &r->steps[i];

		uc3_json_object(&j, f->name, 0);
		json_minutes(&j, "standard_minutes", f->standard_minutes);
		uc3_json_put_long(&j, "count", (long)f->count);
		uc3_json_put_long(&j, "met", (long)f->met);
		uc3_json_put_long(&j, "late", (long)f->late);
		uc3_json_put_long(&j, "running", (long)f->running);
		json_compliance(&j, "compliance", f->compliance);
		uc3_json_put_long(&j, "done", (long)f->done);
		json_minutes(&j, "median_minutes", f->median_minutes);
		json_minutes(&j, "p90_minutes", f->p90_minutes);
		uc3_json_end(&j);
	}
	uc3_json_end(&j);
	json_lead(&j, "receipt_to_delivery", &r->to_delivery);
	json_lead(&j, "receipt_to_archive", &r->to_archive);
	uc3_json_object(&j, "at_end", 0);
	uc3_json_put_long(&j, "not_closed", (long)r->not_closed);
	uc3_json_put_long(&j, "overdue", (long)r->overdue);
	uc3_json_end(&j);
	json_counts(&j, "top_units", r->top_units, r->ntop_units);
	json_counts(&j, "top_kinds", r->top_kinds, r->ntop_kinds);
	uc3_json_array(&j, "breaches", UC3_JSON_LINES);
	for (i = 0; i < r->nbreaches; i++) {
		const struct uc3_report_breach *b = &r->breaches[i];

		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "id", b->id);
		uc3_json_put_string(&j, "step", b->step);
		uc3_json_put_string(&j, "role", b->role);
		uc3_json_put_string(&j, "by", b->by);
		json_time(&j, "due", b->due, b->due != 0, p);
		json_time(&j, "done", b->done, b->done != 0, p);
		uc3_json_put_bool(&j, "running", !b->done);
		uc3_json_put_long(&j, "late_minutes", b->late_minutes);
		uc3_json_end(&j);
	}
	uc3_json_end(&j);
	uc3_json_object(&j, "by", UC3_JSON_LINES);
	for (k = 0; k < UC3_REPORT_NKEYS; k++) {
		const struct uc3_report_group *g = &r->by[k];

		if (!(r->by_asked & (1u << k)))
			continue;
		uc3_json_object(&j, uc3_report_key_name((enum uc3_report_key)k), UC3_JSON_LINES);
		for (i = 0; i < g->n; i++) {
			const struct uc3_report_row *row = &g->rows[i];

			uc3_json_object(&j, row->key, 0);
			uc3_json_put_long(&j, "tickets", (long)row->tickets);
			uc3_json_put_long(&j, "closed", (long)row->closed);
			uc3_json_put_long(&j, "not_closed", (long)row->not_closed);
			uc3_json_put_long(&j, "overdue", (long)row->overdue);
			uc3_json_put_long(&j, "met", (long)row->met);
			uc3_json_put_long(&j, "late", (long)row->late);
			json_compliance(&j, "compliance", row->compliance);
			json_minutes(&j, "delivery_median_minutes", row->delivery_median_minutes);
			uc3_json_end(&j);
		}
		uc3_json_end(&j);
	}
	uc3_json_end(&j);
	uc3_json_end(&j);
	uc3_buf_addch(out, '\n');
}

/* --- CSV --- */

/* One field, quoted when it holds a comma, a quote or a line break (RFC 4180). */
static void
csv_field(struct uc3_buf *out, const char *s, bool first)
{
	const char *c;

	if (!first)
		uc3_buf_addch(out, ',');
	if (!s)
		return;
	if (!s[strcspn(s, ",\"\r\n")]) {
		uc3_buf_adds(out, s);
		return;
	}
	uc3_buf_addch(out, '"');
	for (c = s; *c; c++) {
		if (*c == '"')
			uc3_buf_addch(out, '"');
		uc3_buf_addch(out, *c);
	}
	uc3_buf_addch(out, '"');
}

static void
csv_time(struct uc3_buf *out, time_t t, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (t)
		uc3_clock_format_short(&b, t, p->timezone);
	csv_field(out, b.ptr, false);
	uc3_buf_release(&b);
}

static void
csv_long(struct uc3_buf *out, long v)
{
	if (v < 0)
		uc3_buf_addch(out, ',');
	else
		uc3_buf_addf(out, ",%ld", v);
}

void
uc3_report_csv(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_report_set *set,
	       const struct uc3_policy *p)
{
	static const char *const head[] = { "id",	   "received",	      "subject",
					    "kind",	   "channel",	      "unit",
					    "status",	   "closed_as",	      "level",
					    "answered_by", "delivery_minutes" };
	static const char *const parts[] = { "due", "done", "late", "minutes" };
	const struct uc3_report_step **last =
		r->nsteps ? uc3_xcalloc(r->nsteps, sizeof(*last)) : NULL;
	size_t i, k, s;

	for (i = 0; i < sizeof(head) / sizeof(*head); i++)
		csv_field(out, head[i], i == 0);
	for (s = 0; s < r->nsteps; s++)
		for (k = 0; k < 4; k++) {
			struct uc3_buf name = UC3_BUF_INIT;

			uc3_buf_addf(&name, "%s_%s", r->steps[s].name, parts[k]);
			csv_field(out, name.ptr, false);
			uc3_buf_release(&name);
		}
	uc3_buf_adds(out, "\r\n");
	for (i = 0; i < set->n; i++) {
		const struct uc3_report_ticket *t = &set->tickets[i];
		struct uc3_report__state st;

		uc3_report__state(&st, t, r->end);
		csv_field(out, t->id, true);
		csv_time(out, t->received, p);
		csv_field(out, t->subject, false);
		csv_field(out, t->kind, false);
		csv_field(out, t->channel, false);
		csv_field(out, t->unit, false);
		csv_field(out, uc3_status_name(st.status), false);
		csv_field(out, st.closed_as, false);
		csv_field(out, st.closed_as ? NULL : st.level, false);
		csv_field(out, st.closed_as ? NULL : st.person, false);
		csv_long(out, st.delivery < 0 ? -1 : uc3_calendar_minutes(st.delivery));
		/* Each step's last run by the end. */
		for (s = 0; s < r->nsteps; s++)
			last[s] = NULL;
		for (k = 0; k < st.nsteps; k++)
			for (s = 0; s < r->nsteps && t->steps[k].name; s++)
				if (!strcmp(t->steps[k].name, r->steps[s].name))
					last[s] = &t->steps[k];
		for (s = 0; s < r->nsteps; s++) {
			const struct uc3_report_step *x = last[s];
			bool running = x == st.running;

			if (!x) {
				uc3_buf_adds(out, ",,,,");
				continue;
			}
			csv_time(out, x->due, p);
			csv_time(out, running ? 0 : x->done, p);
			if (running)
				csv_field(out, st.overdue ? "yes" : NULL, false);
			else
				csv_field(out, x->late ? "yes" : "no", false);
			csv_long(out,
				 running || x->seconds < 0 ? -1 : uc3_calendar_minutes(x->seconds));
		}
		uc3_buf_adds(out, "\r\n");
	}
	free((void *)last);
}
