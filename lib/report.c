#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "records.h"
#include "report_int.h"
#include "transition.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const key_names[UC3_REPORT_NKEYS] = { "kind",  "channel", "unit",  "level",
							 "month", "week",    "person" };

const char *
uc3_report_key_name(enum uc3_report_key k)
{
	return (unsigned)k < UC3_REPORT_NKEYS ? key_names[k] : "?";
}

bool
uc3_report_key_parse(enum uc3_report_key *out, const char *name)
{
	size_t i;

	for (i = 0; i < UC3_REPORT_NKEYS; i++)
		if (!strcmp(name, key_names[i])) {
			*out = (enum uc3_report_key)i;
			return true;
		}
	return false;
}

static char *
dup0(const char *s)
{
	return s ? uc3_xstrdup(s) : NULL;
}

/*
 * What the event e ends, when it ends a step: true and *out. A reopen of
 * a closed ticket ends none (no step ran), but a step starts from it:
 * true as well, and the caller keeps it without a name.
 */
static bool
step_end(enum uc3_report_end *out, const struct uc3_event *e)
{
	if (e->action && !strcmp(e->action, "reopen")) {
		*out = UC3_REPORT_REOPEN;
		return true;
	}
	if (!e->action || !e->step.name)
		return false;
	if (!strcmp(e->action, "escalate"))
		*out = UC3_REPORT_ESCALATE;
	else if (!strcmp(e->action, "answer"))
		*out = UC3_REPORT_ANSWER;
	else if (!strcmp(e->action, "deliver"))
		*out = UC3_REPORT_DELIVER;
	else if (!strcmp(e->action, "close"))
		*out = e->as ? UC3_REPORT_CLOSE_AS : UC3_REPORT_CLOSE;
	else if (!strcmp(e->action, "reopen"))
		*out = UC3_REPORT_REOPEN;
	else
		return false; /* notices, edits, attachments: no step ends */
	return true;
}

static struct uc3_report_step *
add_step(struct uc3_report_ticket *t, size_t *alloc)
{
	struct uc3_report_step *s;

	uc3_xgrow((void **)&t->steps, alloc, t->nsteps + 1, sizeof(*t->steps));
	s = &t->steps[t->nsteps++];
	memset(s, 0, sizeof(*s));
	s->seconds = -1;
	return s;
}

static time_t
time_or_zero(const char *s)
{
	time_t t;

	if (s && uc3_clock_parse(&t, s, NULL) == 0)
		return t;
	uc3_error_clear();
	return 0;
}

int
uc3_report_ticket_read(struct uc3_report_ticket *out, const struct uc3_ticket *t, const char *path,
		       const struct uc3_policy *p)
{
	size_t i, alloc = 0;
	time_t start;

	memset(out, 0, sizeof(*out));
	if (!t->received || uc3_clock_parse(&out->received, t->received, NULL) < 0)
		return uc3_error_set(UC3_EINVAL, "%s: its receipt '%s' does not read",
				     path ? path : t->id, t->received ? t->received : "");
	out->id = dup0(t->id);
	out->path = dup0(path);
	out->subject = dup0(t->subject);
	out->kind = dup0(t->kind);
	out->channel = dup0(t->channel);
	if (t->unit) {
		const char *name = uc3_policy_unit(p, t->unit);

		out->unit = name ? uc3_xstrdup(name) : uc3_text_trim(t->unit);
	}
	start = out->received;
	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];
		struct uc3_report_step *s;
		enum uc3_report_end end;
		time_t at;

		if (!step_end(&end, e) || !e->at || uc3_clock_parse(&at, e->at, NULL) < 0)
			continue;
		s = add_step(out, &alloc);
		s->name = dup0(e->step.name);
		s->start = start;
		s->due = time_or_zero(e->step.due);
		s->done = at;
		s->end = end;
		s->late = e->step.late;
		s->by = dup0(e->by);
		if (end == UC3_REPORT_ANSWER)
			s->role = uc3_xstrdup(e->role ? e->role : e->step.name);
		s->as = dup0(e->as);
		start = at;
	}
	if (t->status != UC3_STATUS_CLOSED && uc3_transition_step(t)) {
		struct uc3_report_step *s = add_step(out, &alloc);

		s->name = uc3_xstrdup(uc3_transition_step(t));
		s->start = start;
		s->due = time_or_zero(t->deadline);
	}
	uc3_error_clear();
	return 0;
}

void
uc3_report_ticket_release(struct uc3_report_ticket *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->nsteps; i++) {
		free(t->steps[i].name);
		free(t->steps[i].by);
		free(t->steps[i].role);
		free(t->steps[i].as);
	}
	free(t->steps);
	free(t->id);
	free(t->path);
	free(t->subject);
	free(t->kind);
	free(t->channel);
	free(t->unit);
	memset(t, 0, sizeof(*t));
}

/* The instants whose business offsets t needs: its receipt and each end; 0 when none is missing. */
static size_t
instants_needed(const struct uc3_report_ticket *t)
{
	size_t i, n = 1;
	bool missing = false;

	for (i = 0; i < t->nsteps; i++)
		if (t->steps[i].end != UC3_REPORT_RUNNING) {
			n++;
			if (t->steps[i].seconds < 0)
				missing = true;
		}
	return missing ? n : 0;
}

/*
 * How many instants one sweep of the calendar takes: enough that a
 * sweep's walk over its days costs little beside its instants, few
 * enough that its working memory stays a few megabytes.
 */
#define SWEEP_INSTANTS 32768

/* Give v[0..n) their seconds from the offsets off of their instants, in the order they were listed.
 */
static void
assign_seconds(struct uc3_report_ticket *v, size_t n, const long *off)
{
	size_t i, j, k = 0;

	for (i = 0; i < n; i++) {
		long prev;

		if (!instants_needed(&v[i]))
			continue;
		prev = off[k++];
		for (j = 0; j < v[i].nsteps; j++) {
			struct uc3_report_step *s = &v[i].steps[j];

			if (s->end == UC3_REPORT_RUNNING)
				continue;
			if (s->seconds < 0)
				s->seconds = off[k] > prev ? off[k] - prev : 0;
			prev = off[k++];
		}
	}
}

int
uc3_report_seconds(struct uc3_report_ticket *v, size_t n, const struct uc3_policy *p)
{
	time_t *t = NULL;
	long *off = NULL;
	size_t alloc_t = 0, alloc_off = 0, k = 0, first = 0, i, j;
	int rc = 0;

	for (i = 0; i <= n && rc == 0; i++) {
		size_t need = i < n ? instants_needed(&v[i]) : 0;

		if (i == n || (k && k + need > SWEEP_INSTANTS)) {
			if (k) {
				uc3_xgrow((void **)&off, &alloc_off, k, sizeof(*off));
				rc = uc3_calendar_offsets(off, &p->calendar, p->timezone, t, k);
				if (rc == 0)
					assign_seconds(v + first, i - first, off);
			}
			k = 0;
			first = i;
		}
		if (i == n || !need)
			continue;
		uc3_xgrow((void **)&t, &alloc_t, k + need, sizeof(*t));
		t[k++] = v[i].received;
		for (j = 0; j < v[i].nsteps; j++)
			if (v[i].steps[j].end != UC3_REPORT_RUNNING)
				t[k++] = v[i].steps[j].done;
	}
	free(t);
	free(off);
	return rc;
}

int
uc3_report_month(time_t *start, time_t *next, time_t t, const char *tz)
{
	char day[48];
	struct tm tm;
	int rc, y, m;

	if ((rc = uc3_clock_local(&tm, t, tz)) < 0)
		return rc;
	y = tm.tm_year + 1900;
	m = tm.tm_mon + 1;
	snprintf(day, sizeof(day), "%04d-%02d-01", y, m);
	if ((rc = uc3_clock_parse(start, day, tz ? tz : "UTC")) < 0)
		return rc;
	snprintf(day, sizeof(day), "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	return uc3_clock_parse(next, day, tz ? tz : "UTC");
}

int
uc3_report_period(struct uc3_report_opts *o, const struct uc3_policy *p)
{
	int rc;

	if (!o->since_set && !o->until_set) {
		if ((rc = uc3_report_month(&o->since, &o->until, o->now, p->timezone)) < 0)
			return rc;
		o->since_set = o->until_set = true;
	}
	if (o->since_set && o->until_set && o->until <= o->since)
		return uc3_error_set(UC3_EINVAL,
				     "the period is empty: --until is not after --since");
	return 0;
}

/* --- The figures --- */

long
uc3_report_percentile(const long *sorted, size_t n, unsigned p)
{
	size_t rank;

	if (!n)
		return -1;
	rank = ((size_t)p * n + 99) / 100;
	if (rank < 1)
		rank = 1;
	if (rank > n)
		rank = n;
	return sorted[rank - 1];
}

double
uc3_report_compliance(size_t met, size_t count)
{
	return count ? 100.0 * (double)met / (double)count : -1;
}

void
uc3_report__state(struct uc3_report__state *out, const struct uc3_report_ticket *t, time_t end)
{
	long sum = 0;
	size_t i;

	memset(out, 0, sizeof(*out));
	out->status = UC3_STATUS_OPEN;
	out->delivery = out->archive = -1;
	for (i = 0; i < t->nsteps; i++) {
		const struct uc3_report_step *s = &t->steps[i];

		if (s->start > end)
			break;
		out->nsteps = i + 1;
		if (s->end == UC3_REPORT_RUNNING || s->done > end) {
			/* An entry without a step runs none: the ticket is still closed. */
			if (s->name) {
				out->running = s;
				out->overdue = s->due && end > s->due;
			}
			break;
		}
		sum = s->seconds >= 0 && sum >= 0 ? sum + s->seconds : -1;
		switch (s->end) {
		case UC3_REPORT_ESCALATE:
		case UC3_REPORT_RUNNING:
			out->status = UC3_STATUS_OPEN;
			break;
		case UC3_REPORT_ANSWER:
			out->status = UC3_STATUS_ANSWERED;
			out->level = s->role ? s->role : s->name;
			out->person = s->by;
			break;
		case UC3_REPORT_DELIVER:
			out->status = UC3_STATUS_DELIVERED;
			out->delivery = sum;
			break;
		case UC3_REPORT_CLOSE:
			out->status = UC3_STATUS_CLOSED;
			out->archive = sum;
			break;
		case UC3_REPORT_CLOSE_AS:
			out->status = UC3_STATUS_CLOSED;
			out->closed_as = s->as;
			break;
		case UC3_REPORT_REOPEN:
			out->status = UC3_STATUS_OPEN;
			out->level = out->person = out->closed_as = NULL;
			out->archive = -1;
			break;
		}
	}
}

void
uc3_report__minutes(struct uc3_buf *out, long minutes)
{
	if (minutes < 0) {
		uc3_buf_adds(out, "-");
		return;
	}
	if (minutes >= 60)
		/* TRANSLATORS: hours of office time in uc3 report, "3h 36m". */
		uc3_buf_addf(out, _("%ldh"), minutes / 60);
	if (minutes >= 60 && minutes % 60)
		uc3_buf_addch(out, ' ');
	if (minutes < 60 || minutes % 60)
		/* TRANSLATORS: minutes of office time in uc3 report, "3h 36m". */
		uc3_buf_addf(out, _("%ldm"), minutes % 60);
}

/* A growing array of durations in minutes. */
struct longs {
	long *v;
	size_t n, alloc;
};

static void
longs_add(struct longs *l, long x)
{
	uc3_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
	l->v[l->n++] = x;
}

static int
cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/*
 * Sort v[0..n): durations in minutes lie close together, so counted into
 * a table of their range when it is small beside n, else by qsort.
 */
static void
sort_longs(long *v, size_t n)
{
	size_t i, j, k, range, *count;
	long lo, hi;

	if (n < 64) {
		if (n)
			qsort(v, n, sizeof(*v), cmp_long);
		return;
	}
	lo = hi = v[0];
	for (i = 1; i < n; i++) {
		if (v[i] < lo)
			lo = v[i];
		if (v[i] > hi)
			hi = v[i];
	}
	if ((unsigned long)hi - (unsigned long)lo >= 4 * n) {
		qsort(v, n, sizeof(*v), cmp_long);
		return;
	}
	range = (size_t)((unsigned long)hi - (unsigned long)lo) + 1;
	count = uc3_xcalloc(range, sizeof(*count));
	for (i = 0; i < n; i++)
		count[(unsigned long)v[i] - (unsigned long)lo]++;
	for (i = 0, k = 0; i < range; i++)
		for (j = 0; j < count[i]; j++)
			v[k++] = (long)((unsigned long)lo + i);
	free(count);
}

/* Sort l and set the median and the 90th percentile of it. */
static void
longs_stats(struct longs *l, long *median, long *p90)
{
	sort_longs(l->v, l->n);
	*median = uc3_report_percentile(l->v, l->n, 50);
	if (p90)
		*p90 = uc3_report_percentile(l->v, l->n, 90);
}

/* A ticket's business seconds to a point (-1: not reached) into the lead time l. */
static void
lead_add(struct longs *v, struct uc3_report_lead *l, long seconds)
{
	long m;

	if (seconds < 0)
		return;
	m = uc3_calendar_minutes(seconds);
	longs_add(v, m);
	if (m <= l->sop_minutes)
		l->within_sop++;
}

/* A ticket's part in the figures. */
struct tfig {
	const struct uc3_report_ticket *t;
	struct uc3_report__state st;
	size_t met, late;
	const char *key[UC3_REPORT_NKEYS];
	char month[16], week[16];
};

struct figctx {
	struct uc3_report *r;
	const struct uc3_policy *p;
	struct longs *durations; /* per step of r->steps */
	size_t asteps, abreaches;
};

/* The figures of the step called name, added after the others when new. */
static size_t
step_index(struct figctx *c, const char *name)
{
	struct uc3_report *r = c->r;
	size_t i;

	for (i = 0; i < r->nsteps; i++)
		if (!strcmp(r->steps[i].name, name))
			return i;
	uc3_xgrow((void **)&r->steps, &c->asteps, r->nsteps + 1, sizeof(*r->steps));
	c->durations = uc3_xrealloc(c->durations, c->asteps * sizeof(*c->durations));
	memset(&r->steps[i], 0, sizeof(r->steps[i]));
	memset(&c->durations[i], 0, sizeof(c->durations[i]));
	r->steps[i].name = uc3_xstrdup(name);
	r->steps[i].standard_minutes = -1;
	r->nsteps++;
	return i;
}

/* The role that holds a step: its own for a role of the chain, the bottom one's otherwise. */
static const char *
step_role(const struct uc3_policy *p, const char *step)
{
	if (uc3_policy_role(p, step) || !p->nroles)
		return step;
	return p->roles[0].id;
}

/*
 * The strings of the breaches, in blocks freed with the report: a year's
 * list may have hundreds of thousands of rows, four strings each.
 */
struct uc3_report__arena {
	char **blocks;
	size_t n, alloc;
	char *cur;
	size_t left;
};

#define ARENA_BLOCK 65536

static char *
arena_dup(struct uc3_report *r, const char *s)
{
	struct uc3_report__arena *a;
	size_t len;
	char *p;

	if (!s)
		return NULL;
	if (!r->arena)
		r->arena = uc3_xcalloc(1, sizeof(*r->arena));
	a = r->arena;
	len = strlen(s) + 1;
	if (len > a->left) {
		size_t size = len > ARENA_BLOCK ? len : ARENA_BLOCK;

		uc3_xgrow((void **)&a->blocks, &a->alloc, a->n + 1, sizeof(*a->blocks));
		a->blocks[a->n++] = a->cur = uc3_xmalloc(size);
		a->left = size;
	}
	p = a->cur;
	memcpy(p, s, len);
	a->cur += len;
	a->left -= len;
	return p;
}

static void
arena_free(struct uc3_report__arena *a)
{
	size_t i;

	if (!a)
		return;
	for (i = 0; i < a->n; i++)
		free(a->blocks[i]);
	free(a->blocks);
	free(a);
}

static void
add_breach(struct figctx *c, const struct uc3_report_ticket *t, const struct uc3_report_step *s,
	   bool running)
{
	struct uc3_report *r = c->r;
	struct uc3_report_breach *b;

	uc3_xgrow((void **)&r->breaches, &c->abreaches, r->nbreaches + 1, sizeof(*r->breaches));
	b = &r->breaches[r->nbreaches++];
	memset(b, 0, sizeof(*b));
	b->id = arena_dup(r, t->id);
	b->step = arena_dup(r, s->name);
	b->role = arena_dup(r, step_role(c->p, s->name));
	b->by = running ? NULL : arena_dup(r, s->by);
	b->due = s->due;
	b->done = running ? 0 : s->done;
}

/* The steps of t up to the end, into the step figures and the breaches. */
static void
count_steps(struct figctx *c, struct tfig *f)
{
	const struct uc3_report_ticket *t = f->t;
	size_t i;

	for (i = 0; i < f->st.nsteps; i++) {
		const struct uc3_report_step *s = &t->steps[i];
		struct uc3_report_stepfig *fig;
		size_t k;

		if (!s->name)
			continue; /* a reopen of a closed ticket: no step ended */
		k = step_index(c, s->name);
		fig = &c->r->steps[k];

		if (s == f->st.running) {
			if (f->st.overdue) {
				fig->count++;
				fig->late++;
				f->late++;
				add_breach(c, t, s, true);
			} else {
				fig->running++;
			}
			continue;
		}
		fig->count++;
		if (s->late) {
			fig->late++;
			f->late++;
			add_breach(c, t, s, false);
		} else {
			fig->met++;
			f->met++;
		}
		if (s->seconds >= 0) {
			fig->done++;
			longs_add(&c->durations[k], uc3_calendar_minutes(s->seconds));
		}
	}
}

/* How late each breach was, in one sweep of the calendar. */
static int
breach_spans(struct uc3_report *r, const struct uc3_policy *p)
{
	struct uc3_calendar_span *spans;
	time_t *from, *to;
	size_t i;
	int rc;

	if (!r->nbreaches)
		return 0;
	from = uc3_xcalloc(r->nbreaches, sizeof(*from));
	to = uc3_xcalloc(r->nbreaches, sizeof(*to));
	spans = uc3_xcalloc(r->nbreaches, sizeof(*spans));
	for (i = 0; i < r->nbreaches; i++) {
		const struct uc3_report_breach *b = &r->breaches[i];

		to[i] = b->done ? b->done : r->end;
		from[i] = b->due ? b->due : to[i];
	}
	rc = uc3_calendar_spans(spans, &p->calendar, p->timezone, from, to, r->nbreaches);
	for (i = 0; rc == 0 && i < r->nbreaches; i++) {
		r->breaches[i].late = spans[i];
		r->breaches[i].late_minutes = uc3_calendar_minutes(spans[i].total);
	}
	free(from);
	free(to);
	free(spans);
	return rc;
}

static const char none_key[] = "(none)";

/*
 * The month and week of receipt of the last ticket whose local date was
 * looked up, and the instants [lo, hi) sure to have that date: its day
 * less two hours at either end, in case the zone's offset changed that
 * day. Tickets come by receipt, so most take their date from here.
 */
struct daykeys {
	time_t lo, hi;
	char month[16], week[16];
};

/* The keys of f's ticket in each group. */
static int
ticket_keys(struct tfig *f, struct daykeys *d, const struct uc3_policy *p)
{
	const struct uc3_report_ticket *t = f->t;
	struct tm tm;
	int rc;

	if (t->received < d->lo || t->received >= d->hi) {
		time_t midnight;

		if ((rc = uc3_clock_local(&tm, t->received, p->timezone)) < 0)
			return rc;
		strftime(d->month, sizeof(d->month), "%Y-%m", &tm);
		strftime(d->week, sizeof(d->week), "%G-W%V", &tm);
		midnight = t->received - (tm.tm_hour * 3600 + tm.tm_min * 60 + tm.tm_sec);
		d->lo = midnight + 7200;
		d->hi = midnight + 86400 - 7200;
	}
	memcpy(f->month, d->month, sizeof(f->month));
	memcpy(f->week, d->week, sizeof(f->week));
	f->key[UC3_REPORT_BY_KIND] = t->kind ? t->kind : none_key;
	f->key[UC3_REPORT_BY_CHANNEL] = t->channel ? t->channel : none_key;
	f->key[UC3_REPORT_BY_UNIT] = t->unit ? t->unit : none_key;
	if (f->st.closed_as)
		f->key[UC3_REPORT_BY_LEVEL] =
			!strcmp(f->st.closed_as, "spam") ? "(spam)" : "(duplicate)";
	else
		f->key[UC3_REPORT_BY_LEVEL] = f->st.level ? f->st.level : none_key;
	f->key[UC3_REPORT_BY_MONTH] = f->month;
	f->key[UC3_REPORT_BY_WEEK] = f->week;
	f->key[UC3_REPORT_BY_PERSON] = f->st.person && !f->st.closed_as ? f->st.person : none_key;
	return 0;
}

/* Sorting rows of a group: the group and policy in use. */
static enum uc3_report_key sort_key;
static const struct uc3_policy *sort_policy;

/* Where a key stands in the policy's list of its group; the list's length when not in it. */
static size_t
policy_rank(const char *key)
{
	const struct uc3_policy *p = sort_policy;
	char *const *words = NULL;
	size_t i, n = 0;

	switch (sort_key) {
	case UC3_REPORT_BY_KIND:
		words = p->kinds;
		n = p->nkinds;
		break;
	case UC3_REPORT_BY_CHANNEL:
		words = p->channels;
		n = p->nchannels;
		break;
	case UC3_REPORT_BY_LEVEL:
		for (i = 0; i < p->nroles; i++)
			if (!strcmp(p->roles[i].id, key))
				return i;
		return p->nroles;
	default:
		return 0;
	}
	for (i = 0; i < n; i++)
		if (!strcmp(words[i], key))
			return i;
	return n;
}

static int
cmp_rows(const void *a, const void *b)
{
	const struct uc3_report_row *x = a, *y = b;
	size_t rx, ry;

	switch (sort_key) {
	case UC3_REPORT_BY_MONTH:
	case UC3_REPORT_BY_WEEK:
		break;
	case UC3_REPORT_BY_KIND:
	case UC3_REPORT_BY_CHANNEL:
	case UC3_REPORT_BY_LEVEL:
		rx = policy_rank(x->key);
		ry = policy_rank(y->key);
		if (rx != ry)
			return rx < ry ? -1 : 1;
		break;
	case UC3_REPORT_BY_UNIT:
	case UC3_REPORT_BY_PERSON:
	case UC3_REPORT_NKEYS:
		if (x->tickets != y->tickets)
			return x->tickets > y->tickets ? -1 : 1;
		break;
	}
	return strcmp(x->key, y->key);
}

static struct uc3_report_row *
add_row(struct uc3_report_group *g, size_t *alloc, const char *key)
{
	struct uc3_report_row *row;

	uc3_xgrow((void **)&g->rows, alloc, g->n + 1, sizeof(*g->rows));
	row = &g->rows[g->n++];
	memset(row, 0, sizeof(*row));
	row->key = uc3_xstrdup(key);
	row->compliance = -1;
	row->delivery_median_minutes = -1;
	return row;
}

/*
 * The months or weeks of a bounded period that no ticket was received
 * in, as empty rows, so that a chart of them has no gaps. At most ten
 * years of days are walked.
 */
static int
empty_periods(struct uc3_report_group *g, size_t *alloc, const struct uc3_report *r,
	      enum uc3_report_key k, const char *tz)
{
	char key[16];
	size_t i;
	time_t t;
	int n, rc;

	if (!r->since_set || !r->until_set)
		return 0;
	for (t = r->since, n = 0; t < r->until && n < 3660; t += 86400, n++) {
		struct tm tm;

		if ((rc = uc3_clock_local(&tm, t, tz)) < 0)
			return rc;
		strftime(key, sizeof(key), k == UC3_REPORT_BY_MONTH ? "%Y-%m" : "%G-W%V", &tm);
		for (i = 0; i < g->n; i++)
			if (!strcmp(g->rows[i].key, key))
				break;
		if (i == g->n)
			add_row(g, alloc, key);
	}
	return 0;
}

/*
 * The rows of a group by their keys: an open-addressed table of row
 * indexes, so that each ticket finds its row without a sort.
 */
struct rowtab {
	size_t *slot; /* row index + 1; 0: empty */
	size_t cap;   /* a power of two, at least twice the rows */
};

static size_t
key_hash(const char *s)
{
	size_t h = 5381;

	for (; *s; s++)
		h = h * 33 + (unsigned char)*s;
	return h;
}

/* The row of key in g, added when new (with its list of deliveries). */
static size_t
row_of(struct rowtab *t, struct uc3_report_group *g, size_t *alloc, struct longs **del,
       size_t *adel, const char *key)
{
	size_t h, i;

	if (2 * (g->n + 1) > t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;

		free(t->slot);
		t->slot = uc3_xcalloc(cap, sizeof(*t->slot));
		t->cap = cap;
		for (i = 0; i < g->n; i++) {
			for (h = key_hash(g->rows[i].key) & (cap - 1); t->slot[h];
			     h = (h + 1) & (cap - 1))
				;
			t->slot[h] = i + 1;
		}
	}
	for (h = key_hash(key) & (t->cap - 1); t->slot[h]; h = (h + 1) & (t->cap - 1))
		if (!strcmp(g->rows[t->slot[h] - 1].key, key))
			return t->slot[h] - 1;
	add_row(g, alloc, key);
	uc3_xgrow((void **)del, adel, g->n, sizeof(**del));
	memset(&(*del)[g->n - 1], 0, sizeof(**del));
	t->slot[h] = g->n;
	return g->n - 1;
}

/* The rows of group k, one per key, from the tickets figs[0..n). */
static int
make_group(struct uc3_report *r, enum uc3_report_key k, const struct tfig *figs, size_t n,
	   const struct uc3_policy *p)
{
	struct uc3_report_group *g = &r->by[k];
	struct rowtab tab = { 0 };
	struct longs *del = NULL;
	size_t i, alloc = 0, adel = 0;
	int rc = 0;

	for (i = 0; i < n; i++) {
		const struct tfig *f = &figs[i];
		size_t x = row_of(&tab, g, &alloc, &del, &adel, f->key[k]);
		struct uc3_report_row *row = &g->rows[x];

		row->tickets++;
		if (f->st.status == UC3_STATUS_CLOSED)
			row->closed++;
		else
			row->not_closed++;
		if (f->st.overdue)
			row->overdue++;
		row->met += f->met;
		row->late += f->late;
		if (f->st.delivery >= 0)
			longs_add(&del[x], uc3_calendar_minutes(f->st.delivery));
	}
	for (i = 0; i < g->n; i++) {
		struct uc3_report_row *row = &g->rows[i];

		row->compliance = uc3_report_compliance(row->met, row->met + row->late);
		longs_stats(&del[i], &row->delivery_median_minutes, NULL);
		free(del[i].v);
	}
	free(del);
	free(tab.slot);
	if (k == UC3_REPORT_BY_MONTH || k == UC3_REPORT_BY_WEEK)
		rc = empty_periods(g, &alloc, r, k, p->timezone);
	sort_key = k;
	sort_policy = p;
	if (g->n)
		qsort(g->rows, g->n, sizeof(*g->rows), cmp_rows);
	return rc;
}

/* The first ten rows of group g with a unit or kind (not "(none)"), most tickets first. */
static void
top_of(struct uc3_report_count **out, size_t *nout, const struct uc3_report_group *g)
{
	struct uc3_report_row *rows = g->n ? uc3_xcalloc(g->n, sizeof(*rows)) : NULL;
	size_t i, n = 0;

	for (i = 0; i < g->n; i++)
		if (strcmp(g->rows[i].key, none_key))
			rows[n++] = g->rows[i];
	sort_key = UC3_REPORT_BY_UNIT; /* most first, then by name */
	if (n)
		qsort(rows, n, sizeof(*rows), cmp_rows);
	if (n > 10)
		n = 10;
	*out = n ? uc3_xcalloc(n, sizeof(**out)) : NULL;
	for (i = 0; i < n; i++) {
		(*out)[i].name = uc3_xstrdup(rows[i].key);
		(*out)[i].n = rows[i].tickets;
	}
	*nout = n;
	free(rows);
}

/* The answered tickets by level: every role of the chain, then any other level found. */
static void
count_level(struct uc3_report *r, size_t *alloc, const char *level)
{
	size_t i;

	for (i = 0; i < r->nby_level; i++)
		if (!strcmp(r->by_level[i].name, level)) {
			r->by_level[i].n++;
			return;
		}
	uc3_xgrow((void **)&r->by_level, alloc, r->nby_level + 1, sizeof(*r->by_level));
	r->by_level[r->nby_level].name = uc3_xstrdup(level);
	r->by_level[r->nby_level++].n = 1;
}

int
uc3_report_figures(struct uc3_report **out, const struct uc3_report_set *set,
		   const struct uc3_policy *p, const struct uc3_report_opts *o)
{
	struct uc3_report *r = uc3_xcalloc(1, sizeof(*r));
	struct figctx c = { r, p, NULL, 0, 0 };
	struct tfig *figs = set->n ? uc3_xcalloc(set->n, sizeof(*figs)) : NULL;
	struct longs deliveries = { 0 }, archives = { 0 };
	struct daykeys days = { 0 };
	size_t i, alevel = 0;
	long sop = p->step_deliver;
	int rc = 0;

	*out = NULL;
	r->since = o->since;
	r->until = o->until;
	r->since_set = o->since_set;
	r->until_set = o->until_set;
	r->end = o->until_set && o->until < o->now ? o->until : o->now;
	r->tickets = set->n;
	r->broken = set->nbroken;
	r->by_asked = o->by;
	for (i = 0; i < p->nroles; i++) {
		size_t k = step_index(&c, p->roles[i].id);

		r->steps[k].standard_minutes = p->roles[i].step / 60;
		count_level(r, &alevel, p->roles[i].id);
		r->by_level[i].n = 0;
		sop += p->roles[i].step;
	}
	r->steps[step_index(&c, "deliver")].standard_minutes = p->step_deliver / 60;
	r->steps[step_index(&c, "archive")].standard_minutes = p->step_archive / 60;
	r->to_delivery.sop_minutes = sop / 60;
	r->to_archive.sop_minutes = (sop + p->step_archive) / 60;

	for (i = 0; i < set->n; i++) {
		struct tfig *f = &figs[i];

		f->t = &set->tickets[i];
		uc3_report__state(&f->st, f->t, r->end);
		r->by_status[f->st.status]++;
		if (f->st.closed_as && !strcmp(f->st.closed_as, "spam"))
			r->spam++;
		else if (f->st.closed_as)
			r->duplicate++;
		else if (f->st.level)
			count_level(r, &alevel, f->st.level);
		else
			r->not_answered++;
		if (f->st.status != UC3_STATUS_CLOSED)
			r->not_closed++;
		if (f->st.overdue)
			r->overdue++;
		count_steps(&c, f);
		lead_add(&deliveries, &r->to_delivery, f->st.delivery);
		lead_add(&archives, &r->to_archive, f->st.archive);
		if (rc == 0)
			rc = ticket_keys(f, &days, p);
	}
	r->to_delivery.count = deliveries.n;
	longs_stats(&deliveries, &r->to_delivery.median_minutes, &r->to_delivery.p90_minutes);
	r->to_archive.count = archives.n;
	longs_stats(&archives, &r->to_archive.median_minutes, &r->to_archive.p90_minutes);
	for (i = 0; i < r->nsteps; i++) {
		struct uc3_report_stepfig *fig = &r->steps[i];

		fig->compliance = uc3_report_compliance(fig->met, fig->count);
		longs_stats(&c.durations[i], &fig->median_minutes, &fig->p90_minutes);
		free(c.durations[i].v);
	}
	free(c.durations);
	free(deliveries.v);
	free(archives.v);
	if (rc == 0)
		rc = breach_spans(r, p);
	for (i = 0; rc == 0 && i < UC3_REPORT_NKEYS; i++)
		rc = make_group(r, (enum uc3_report_key)i, figs, set->n, p);
	if (rc == 0) {
		top_of(&r->top_units, &r->ntop_units, &r->by[UC3_REPORT_BY_UNIT]);
		top_of(&r->top_kinds, &r->ntop_kinds, &r->by[UC3_REPORT_BY_KIND]);
	}
	free(figs);
	if (rc < 0) {
		uc3_report_free(r);
		return rc;
	}
	*out = r;
	return 0;
}

int
uc3_report_compute(struct uc3_report **out, struct uc3_report_set *set, struct uc3_store *st,
		   const struct uc3_report_opts *o)
{
	int rc;

	*out = NULL;
	if ((rc = uc3_report_collect(set, st, o)) < 0)
		return rc;
	return uc3_report_figures(out, set, uc3_store_policy(st), o);
}

static void
counts_free(struct uc3_report_count *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i].name);
	free(v);
}

void
uc3_report_free(struct uc3_report *r)
{
	size_t i, k;

	if (!r)
		return;
	counts_free(r->by_level, r->nby_level);
	counts_free(r->top_units, r->ntop_units);
	counts_free(r->top_kinds, r->ntop_kinds);
	for (i = 0; i < r->nsteps; i++)
		free(r->steps[i].name);
	free(r->steps);
	arena_free(r->arena);
	free(r->breaches);
	for (k = 0; k < UC3_REPORT_NKEYS; k++) {
		for (i = 0; i < r->by[k].n; i++)
			free(r->by[k].rows[i].key);
		free(r->by[k].rows);
	}
	free(r);
}
