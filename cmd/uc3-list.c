/*
 * uc3 list: tickets, one a line, filtered by status, level, holder, kind,
 * channel, unit, time of receipt, lateness or a pattern, and sorted.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "json.h"
#include "openindex.h"
#include "opt.h"
#include "policy.h"
#include "records.h"
#include "rx.h"
#include "store.h"
#include "strv.h"
#include "sync.h"
#include "table.h"
#include "ticket.h"
#include "tool.h"
#include "transition.h"
#include "utf8.h"
#include "xalloc.h"

#define STATUS_BIT(s) (1u << (s))
#define ALL_STATUSES                                                                               \
	(STATUS_BIT(UC3_STATUS_OPEN) | STATUS_BIT(UC3_STATUS_ANSWERED) |                           \
	 STATUS_BIT(UC3_STATUS_DELIVERED) | STATUS_BIT(UC3_STATUS_CLOSED))

struct filter {
	unsigned statuses; /* STATUS_BIT of each status listed */
	const char *level;
	const char *holder; /* --holder: this role must act next */
	bool mine;	    /* --mine: one of roles[0..nroles) must act next */
	char *const *roles; /* borrowed from the policy */
	size_t nroles;
	const char *kind, *channel;
	char *unit; /* --unit as the policy names it (free()) */
	bool since_set, until_set;
	time_t since, until; /* received in [since, until) */
	bool late;	     /* its step is past its deadline at now */
	time_t now;
	const struct uc3_policy *policy;
	struct uc3_rx *rx;
};

enum sort_key { SORT_RECEIVED, SORT_DEADLINE, SORT_ID };

/* A ticket listed, with what the order needs read once. */
struct item {
	struct uc3_ticket *t;
	time_t received;
	time_t due;   /* its deadline, when has_due */
	bool has_due; /* not closed, and the deadline reads */
	bool id_ok;   /* year and num read from the id */
	int year;
	unsigned long num;
	/* Set by time_left, when printed: the business time left in its step. */
	bool running; /* has_due, and the calendar counts */
	struct uc3_calendar_span left;
};

/*
 * How the list is printed: all at once after the walk, or, streamed,
 * month folder by month folder as the walk goes (uc3-list(1)).
 */
struct out {
	enum uc3_format fmt;
	size_t max;   /* -n: print no more than this (0: no limit) */
	size_t shown; /* printed so far */
	bool stream;
	bool begun; /* the JSON array opened; the heading printed */
	bool stop;  /* max reached, or the reader went away: read no further */
	bool gone;  /* the reader went away (EPIPE, with SIGPIPE ignored) */
	struct uc3_buf b;
	struct uc3_json j;
	struct uc3_table tab;
};

struct list {
	struct filter f;
	struct item *items;
	size_t n, alloc;
	int broken;
	int failed;
	struct out out;
};

static int
field_matches(const struct uc3_rx *rx, const char *s, int *err)
{
	int m;

	if (!s)
		return 0;
	m = uc3_rx_match(rx, s, strlen(s));
	if (m < 0)
		*err = m;
	return m > 0;
}

/*
 * --grep: the pattern matches one of the texts of t, each on its own:
 * subject, body, answer, unit, every field of the requester, the note
 * of every event.
 */
static bool
grep_matches(const struct uc3_rx *rx, const struct uc3_ticket *t, int *err)
{
	const char *const fields[] = { t->subject,	    t->body,
				       t->answer,	    t->unit,
				       t->requester.name,   t->requester.email,
				       t->requester.phone,  t->requester.social,
				       t->requester.address };
	size_t i;

	for (i = 0; i < sizeof(fields) / sizeof(*fields); i++)
		if (field_matches(rx, fields[i], err))
			return true;
	for (i = 0; i < t->nevents; i++)
		if (field_matches(rx, t->events[i].note, err))
			return true;
	return false;
}

static bool
held_by(const struct filter *f, const struct uc3_ticket *t)
{
	const char *h = uc3_transition_holder(f->policy, t->status, t->level);
	size_t i;

	if (!h)
		return false;
	if (f->holder && strcmp(h, f->holder))
		return false;
	if (!f->mine)
		return true;
	for (i = 0; i < f->nroles; i++)
		if (!strcmp(h, f->roles[i]))
			return true;
	return false;
}

/*
 * --unit: the ticket's unit is f->unit. When the policy lists units, a
 * ticket written before the list had its unit, or edited by hand, may
 * hold an alias or another case: it is compared by the unit it names.
 * Free text (no list) is compared in any case.
 */
static bool
unit_is(const struct filter *f, const char *unit)
{
	const char *name;

	if (!unit)
		return false;
	if (!f->policy->nunits)
		return !strcasecmp(unit, f->unit);
	name = uc3_policy_unit(f->policy, unit);
	return !strcmp(name ? name : unit, f->unit);
}

/*
 * --late: the ticket's current step is past its deadline at now. The
 * LEFT column (uc3_transition_time_left) is negative exactly then: the
 * business time to a deadline before now is negative, or zero and read
 * as late all the same; uc3 overdue counts a breach the same way. So the
 * instants alone decide, without a walk of the calendar.
 */
static bool
is_late(const struct item *it, time_t now)
{
	return it->has_due && now > it->due;
}

/* The statuses a ticket may have to be listed: --level, --holder, --mine and --late need a step. */
static unsigned
wanted_statuses(const struct filter *f)
{
	if (f->level || f->holder || f->mine || f->late)
		return f->statuses & ~STATUS_BIT(UC3_STATUS_CLOSED);
	return f->statuses;
}

static bool
keep(const struct filter *f, const struct item *it, int *err)
{
	const struct uc3_ticket *t = it->t;

	if (!(wanted_statuses(f) & STATUS_BIT(t->status)))
		return false;
	if (f->level && (!t->level || strcmp(t->level, f->level)))
		return false;
	if ((f->holder || f->mine) && !held_by(f, t))
		return false;
	if (f->kind && strcmp(t->kind, f->kind))
		return false;
	if (f->channel && strcmp(t->channel, f->channel))
		return false;
	if (f->unit && !unit_is(f, t->unit))
		return false;
	if (f->since_set && it->received < f->since)
		return false;
	if (f->until_set && it->received >= f->until)
		return false;
	if (f->late && !is_late(it, f->now))
		return false;
	if (f->rx)
		return grep_matches(f->rx, t, err);
	return true;
}

/* A broken file is named on stderr and the walk goes on. */
static int
visit(const char *path, const char *data, size_t len, void *ctx)
{
	struct list *l = ctx;
	unsigned want = wanted_statuses(&l->f);
	struct item it = { 0 };
	enum uc3_status s;
	int err = 0;

	if (l->out.stop)
		return 1;
	/*
	 * Parsing is most of the cost of a list: a file uc3 wrote that states
	 * a status not listed (closed, by default) is passed over unread.
	 * Others are parsed, so that a hand-edited or broken file is still
	 * checked and named.
	 */
	if (!data) {
		/* Over the size limit: not read, named all the same. */
		uc3_tool_error("%s", uc3_error_last());
		l->broken++;
		return 0;
	}
	if (want != ALL_STATUSES && uc3_ticket_peek_status(&s, data, len) &&
	    !(want & STATUS_BIT(s)))
		return 0;
	if (uc3_ticket_parse(&it.t, data, len, path) < 0) {
		uc3_tool_error("%s", uc3_error_last());
		l->broken++;
		return 0;
	}
	if (uc3_clock_parse(&it.received, it.t->received, NULL) < 0)
		it.received = 0;
	it.has_due = it.t->status != UC3_STATUS_CLOSED && it.t->deadline &&
		     uc3_clock_parse(&it.due, it.t->deadline, NULL) == 0;
	it.id_ok = uc3_ticket_id_parse(it.t->id, NULL, &it.year, &it.num);
	if (!keep(&l->f, &it, &err)) {
		uc3_ticket_free(it.t);
		if (err < 0) {
			uc3_tool_error("%s: %s", path, uc3_error_last());
			l->failed++;
		}
		return 0;
	}
	uc3_xgrow((void **)&l->items, &l->alloc, l->n + 1, sizeof(*l->items));
	l->items[l->n++] = it;
	return 0;
}

/*
 * Ids by year, then number, as numbers (UC3-2026-10000 after
 * UC3-2026-9999); an id that does not read, or of another prefix,
 * as text.
 */
static int
cmp_id(const struct item *x, const struct item *y)
{
	if (x->id_ok && y->id_ok) {
		if (x->year != y->year)
			return x->year < y->year ? -1 : 1;
		if (x->num != y->num)
			return x->num < y->num ? -1 : 1;
	}
	return strcmp(x->t->id, y->t->id);
}

static int
cmp_received(const struct item *x, const struct item *y)
{
	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	return cmp_id(x, y);
}

static enum sort_key sort_by;

/* The order of --sort; ties by receipt, then id. */
static int
cmp_items(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	switch (sort_by) {
	case SORT_DEADLINE:
		/* No running step (closed): last. */
		if (x->has_due != y->has_due)
			return x->has_due ? -1 : 1;
		if (x->has_due && x->due != y->due)
			return x->due < y->due ? -1 : 1;
		return cmp_received(x, y);
	case SORT_ID:
		return cmp_id(x, y);
	case SORT_RECEIVED:
		break;
	}
	return cmp_received(x, y);
}

static size_t
term_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	return 0;
}

/* What waits here to be sent to the central repository (uc3-sync(1)). */
static struct uc3_waiting_list waiting;

/* TRANSLATORS: the headings of uc3 list's table, upper case. */
static const char *const head[] = { N_("ID"),	    N_("RECEIVED"), N_("KIND"),
				    N_("STATUS"),   N_("LEVEL"),    N_("HOLDER"),
				    N_("DEADLINE"), N_("LEFT"),	    N_("SUBJECT") };

/* The status column's mark of a ticket whose change waits to be sent. */
static const char *
waiting_mark(const char *id)
{
	/* TRANSLATORS: after a status in uc3 list: "answered, waiting" (to be sent). */
	return uc3_waiting_find(&waiting, id) ? _(", waiting") : "";
}

/* The LEFT column: "1d 2h" left, or "late 3d" (d: office days). */
static void
left_text(struct uc3_buf *b, const struct uc3_calendar_span *left)
{
	struct uc3_buf span = UC3_BUF_INIT;
	struct uc3_calendar_span mag = *left;

	if (left->total >= 0) {
		uc3_calendar_format_span(b, left);
		return;
	}
	mag.total = -mag.total;
	uc3_calendar_format_span(&span, &mag);
	/* TRANSLATORS: uc3 list's LEFT column of a late step: "late 3d 20m". */
	uc3_buf_addf(b, _("late %s"), span.ptr);
	uc3_buf_release(&span);
}

static void
table_init(struct uc3_table *tab)
{
	size_t c;

	uc3_table_init(tab, 9);
	for (c = 0; c < 9; c++)
		uc3_table_column(tab, c, _(head[c]), UC3_TABLE_LEFT, 0);
}

static size_t
widest(char *const *words, size_t n, size_t least)
{
	size_t i, w;

	for (i = 0; i < n; i++)
		if ((w = strlen(words[i])) > least)
			least = w;
	return least;
}

/*
 * A streamed table is printed before its last row is read: its columns
 * start as wide as the policy lets their cells be (the id of prefix and
 * year with four digits, a date and time, the longest kind and role,
 * "closed (duplicate)" with ", waiting" when something waits, room for
 * "late 99d 10h 30m"), and widen from the first month that has a longer
 * cell (a hand edit, a number past 9999). uc3-list(1) says so.
 */
static void
stream_widths(struct uc3_table *tab, const struct uc3_policy *p)
{
	const char *const words[] = { "closed (duplicate)", "closed (spam)", "delivered" };
	const struct uc3_calendar_span late = { -(99 * 86400L + 10 * 3600 + 30 * 60), 99,
						10 * 3600 + 30 * 60 };
	struct uc3_buf b = UC3_BUF_INIT;
	size_t roles = 1, status = 0, i;

	for (i = 0; i < p->nroles; i++)
		if (strlen(p->roles[i].id) > roles)
			roles = strlen(p->roles[i].id);
	for (i = 0; i < sizeof(words) / sizeof(*words); i++)
		if (strlen(words[i]) > status)
			status = strlen(words[i]);
	if (waiting.n)
		status += uc3_utf8_width(_(", waiting"));
	uc3_table_column(tab, 0, _(head[0]), UC3_TABLE_LEFT,
			 strlen(p->id_prefix ? p->id_prefix : "UC3") + strlen("-2026-0001"));
	uc3_table_column(tab, 1, _(head[1]), UC3_TABLE_LEFT, strlen("2026-11-28 09:00"));
	uc3_table_column(tab, 2, _(head[2]), UC3_TABLE_LEFT, widest(p->kinds, p->nkinds, 1));
	uc3_table_column(tab, 3, _(head[3]), UC3_TABLE_LEFT, status);
	uc3_table_column(tab, 4, _(head[4]), UC3_TABLE_LEFT, roles);
	uc3_table_column(tab, 5, _(head[5]), UC3_TABLE_LEFT, roles);
	uc3_table_column(tab, 6, _(head[6]), UC3_TABLE_LEFT, strlen("2026-11-28 09:00"));
	/* Room for "late 99d 10h 30m", in the language it is printed in. */
	left_text(&b, &late);
	uc3_table_column(tab, 7, _(head[7]), UC3_TABLE_LEFT, uc3_utf8_width(b.ptr));
	uc3_buf_release(&b);
}

/*
 * The business time left in the step of each of items[0..n) at now, as
 * uc3_transition_time_left gives it (negative: late; late with no
 * business time between: -1), in one sweep of the calendar for them all:
 * walking it once a ticket costs a day of walk for each day a ticket is
 * late.
 */
static void
time_left(struct item *items, size_t n, const struct uc3_policy *p, time_t now)
{
	struct uc3_calendar_span *sp = uc3_xcalloc(n + 1, sizeof(*sp));
	time_t *from = uc3_xcalloc(n + 1, sizeof(*from)), *to = uc3_xcalloc(n + 1, sizeof(*to));
	size_t i, k = 0;
	bool ok;

	for (i = 0; i < n; i++)
		if (items[i].has_due) {
			from[k] = now;
			to[k++] = items[i].due;
		}
	ok = uc3_calendar_spans(sp, &p->calendar, p->timezone, from, to, k) == 0;
	uc3_error_clear();
	for (i = 0, k = 0; i < n; i++) {
		items[i].running = ok && items[i].has_due;
		if (!items[i].has_due)
			continue;
		items[i].left = sp[k++];
		if (items[i].left.total == 0 && now > items[i].due) {
			items[i].left.total = -1;
			items[i].left.rest = 1;
		}
	}
	free(sp);
	free(from);
	free(to);
}

static void
add_rows(struct uc3_table *tab, const struct item *items, size_t n, const struct uc3_policy *p,
	 time_t now)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++) {
		const struct uc3_ticket *t = items[i].t;
		const char *holder = uc3_transition_holder(p, t->status, t->level);
		struct uc3_calendar_span left = items[i].left;

		uc3_table_add(tab, t->id);
		uc3_buf_reset(&b);
		uc3_clock_short_of(&b, t->received, p->timezone);
		uc3_table_add(tab, b.ptr);
		uc3_table_add(tab, t->kind);
		if (t->closed_as)
			uc3_table_addf(tab, "closed (%s)%s", t->closed_as, waiting_mark(t->id));
		else
			uc3_table_addf(tab, "%s%s", uc3_status_name(t->status),
				       waiting_mark(t->id));
		uc3_table_add(tab, t->status == UC3_STATUS_CLOSED || !t->level ? "-" : t->level);
		uc3_table_add(tab, holder ? holder : "-");
		uc3_buf_reset(&b);
		if (t->deadline && t->status != UC3_STATUS_CLOSED)
			uc3_clock_short_of(&b, t->deadline, p->timezone);
		else
			uc3_buf_adds(&b, "-");
		uc3_table_add(tab, b.ptr);
		uc3_buf_reset(&b);
		if (!items[i].running)
			uc3_buf_adds(&b, "-");
		else
			left_text(&b, &left);
		uc3_table_add(tab, b.ptr);
		uc3_table_add(tab, t->subject);
	}
	uc3_buf_release(&b);
}

/* --format: text, json or ids (one id a line, for scripts). */
static int
list_format(const struct uc3_opt *opt, const char *arg)
{
	enum uc3_format *f = opt->value;

	if (!strcmp(arg, "ids")) {
		*f = UC3_FORMAT_IDS;
		return 0;
	}
	if (!strcmp(arg, "text") || !strcmp(arg, "json"))
		return uc3_tool_format(f, arg, false);
	uc3_tool_error("unknown format '%s': use text, json or ids", arg);
	return -1;
}

/* One ticket of the JSON array: its fields, its holder, the minutes left in its step. */
static void
put_json(struct uc3_json *j, const struct item *it, const struct uc3_policy *p)
{
	const struct uc3_ticket *t = it->t;
	long minutes = uc3_calendar_minutes(it->left.total);

	uc3_json_key(j, NULL);
	/* As uc3_json_ticket_at, with the time left of time_left. */
	uc3_json_ticket_state(j->out, t, uc3_transition_holder(p, t->status, t->level),
			      it->running ? &minutes : NULL);
	if (uc3_waiting_find(&waiting, t->id)) {
		/* One more member of the object just closed. */
		char *end = strrchr(j->out->ptr, '}');

		if (end) {
			uc3_buf_setlen(j->out, (size_t)(end - j->out->ptr));
			uc3_buf_adds(j->out, ",\"waiting\":true}");
		}
	}
}

/*
 * Print items[0..n), in their order, after what o printed before (no more
 * than -n allows). Streamed, the text goes out at once: a reader such as
 * head(1) sees the first month before the last is read, and one that went
 * away stops the walk (SIGPIPE ends the process first, unless ignored).
 */
static void
emit(struct out *o, struct item *items, size_t n, const struct uc3_policy *p, time_t now)
{
	size_t i;

	if (o->max && n > o->max - o->shown)
		n = o->max - o->shown;
	if (o->fmt != UC3_FORMAT_IDS)
		time_left(items, n, p, now);
	if (o->fmt == UC3_FORMAT_JSON) {
		if (!o->begun) {
			uc3_json_init(&o->j, &o->b, 0);
			uc3_json_array(&o->j, NULL, UC3_JSON_LINES);
			o->begun = true;
		}
		for (i = 0; i < n; i++)
			put_json(&o->j, &items[i], p);
	} else if (o->fmt == UC3_FORMAT_IDS) {
		for (i = 0; i < n; i++)
			uc3_buf_addf(&o->b, "%s\n", items[i].t->id);
	} else if (n) {
		add_rows(&o->tab, items, n, p, now);
		/* Cut the subject to the terminal. */
		if (o->stream)
			uc3_table_render_part(&o->b, &o->tab, term_width(), !o->begun);
		else
			uc3_table_render(&o->b, &o->tab, term_width());
		o->begun = true;
	}
	o->shown += n;
	if (o->max && o->shown >= o->max)
		o->stop = true;
	if (o->stream) {
		fwrite(o->b.ptr, 1, o->b.len, stdout);
		uc3_buf_reset(&o->b);
		if (fflush(stdout) != 0 || ferror(stdout)) {
			o->stop = true;
			/*
			 * A reader that stopped reading (head) is not a failure:
			 * nothing more is written, and the exit status is the
			 * list's. Any other error stays for uc3_tool_finish.
			 */
			if (errno == EPIPE) {
				o->gone = true;
				clearerr(stdout);
			}
		}
	}
}

/* The end of what o prints: the JSON array closed ("[]" when empty), all of it out. */
static void
emit_end(struct out *o)
{
	if (o->fmt == UC3_FORMAT_JSON) {
		if (!o->begun) {
			uc3_json_init(&o->j, &o->b, 0);
			uc3_json_array(&o->j, NULL, UC3_JSON_LINES);
		}
		uc3_json_end(&o->j);
		uc3_buf_addch(&o->b, '\n');
	}
	if (o->gone)
		uc3_buf_release(&o->b);
	else
		uc3_tool_put(&o->b);
	if (o->fmt == UC3_FORMAT_TEXT)
		uc3_table_release(&o->tab);
}

/* Streamed: print the month folder read (sorted), then let its tickets go. */
static void
flush_month(struct list *l)
{
	size_t i;

	if (l->n > 1)
		qsort(l->items, l->n, sizeof(*l->items), cmp_items);
	if (!l->out.stop)
		emit(&l->out, l->items, l->n, l->f.policy, l->f.now);
	for (i = 0; i < l->n; i++)
		uc3_ticket_free(l->items[i].t);
	l->n = 0;
}

/* The walk reaches the next month folder: the one before it is complete. */
static bool
next_month(const char *year, const char *month, const char *tree, void *ctx)
{
	struct list *l = ctx;

	flush_month(l);
	return !l->out.stop;
}

/*
 * The list without closed tickets: only the files the open-ticket index
 * holds (those not closed, and those that do not read) can be listed, and
 * only they are read, from the tip, as the walk would read them.
 */
static int
from_index(struct list *l, struct uc3_store *st)
{
	struct uc3_openindex ix;
	int rc;

	if ((rc = uc3_openindex_update(&ix, st)) < 0)
		return rc;
	rc = uc3_openindex_visit(&ix, st, visit, l);
	uc3_openindex_release(&ix);
	return rc;
}

/*
 * --mine: the roles the policy gives the acting person (git's identity).
 * Says why on stderr and returns -1 when there are none to give: single-
 * user mode, no identity, or one the policy does not list.
 */
static int
mine_roles(struct filter *f, struct uc3_store *st)
{
	const struct uc3_person *who;
	const char *name, *email;

	if (!f->policy->npeople) {
		uc3_tool_error("--mine needs people in uc3.yaml, and it lists none (single-user "
			       "mode); use --holder ROLE");
		return -1;
	}
	if (uc3_store_actor(&name, &email, st) < 0) {
		uc3_tool_error("--mine: %s", uc3_error_last());
		return -1;
	}
	if (!(who = uc3_policy_person(f->policy, email))) {
		uc3_tool_error("--mine: %s is not one of the people in uc3.yaml; set git's "
			       "user.email to your address there, or ask the head of the chain to "
			       "add you (uc3 person add)",
			       email);
		return -1;
	}
	f->roles = who->roles;
	f->nroles = who->nroles;
	return 0;
}

/*
 * --status: one or more statuses, comma-separated, and the option may be
 * given again; value is the unsigned mask of STATUS_BIT.
 */
static int
list_status(const struct uc3_opt *opt, const char *arg)
{
	unsigned *mask = opt->value;
	const char *p = arg;

	for (;;) {
		size_t n = strcspn(p, ",");
		char *one = uc3_xstrndup(p, n);
		enum uc3_status s;
		int rc = uc3_status_parse(&s, one);

		if (rc < 0)
			uc3_tool_error("unknown status '%s': use open, answered, delivered or "
				       "closed, or several separated by commas",
				       one);
		else
			*mask |= STATUS_BIT(s);
		free(one);
		if (rc < 0)
			return -1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/* --sort: received, deadline or id. */
static int
list_sort(const struct uc3_opt *opt, const char *arg)
{
	enum sort_key *k = opt->value;

	if (!strcmp(arg, "received"))
		*k = SORT_RECEIVED;
	else if (!strcmp(arg, "deadline"))
		*k = SORT_DEADLINE;
	else if (!strcmp(arg, "id"))
		*k = SORT_ID;
	else {
		uc3_tool_error("unknown sort '%s': use received, deadline or id", arg);
		return -1;
	}
	return 0;
}

/*
 * Check a word against one of the policy's lists (--kind, --channel):
 * says which are valid on stderr and returns -1 when it is not one.
 */
static int
check_word(const char *what, const char *value, char *const *words, size_t n)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(words[i], value))
			return 0;
	uc3_strv_join(&b, words, n);
	uc3_tool_error("unknown %s '%s': uc3.yaml lists %s", what, value, b.ptr);
	uc3_buf_release(&b);
	return -1;
}

/*
 * The filters that need the policy: roles, kinds, channels, units, the
 * zone of dates, the roles of --mine. Says what is wrong on stderr and
 * returns -1.
 */
static int
check_filters(struct filter *f, struct uc3_store *st, const char *unit, const char *since,
	      const char *until)
{
	const struct uc3_policy *p = f->policy;
	bool level = f->level && !uc3_policy_role(p, f->level);

	if (level || (f->holder && !uc3_policy_role(p, f->holder))) {
		struct uc3_buf roles = UC3_BUF_INIT;
		size_t i;

		for (i = 0; i < p->nroles; i++)
			uc3_buf_addf(&roles, "%s%s", i ? ", " : "", p->roles[i].id);
		uc3_tool_error("unknown %s '%s': the chain is %s", level ? "level" : "holder",
			       level ? f->level : f->holder, roles.ptr);
		uc3_buf_release(&roles);
		return -1;
	}
	if (f->kind && check_word("kind", f->kind, p->kinds, p->nkinds) < 0)
		return -1;
	if (f->channel && check_word("channel", f->channel, p->channels, p->nchannels) < 0)
		return -1;
	if (unit) {
		if (uc3_policy_unit_resolve(&f->unit, p, unit, "--unit") < 0) {
			uc3_tool_error("%s", uc3_error_last());
			return -1;
		}
		if (!f->unit) {
			uc3_tool_error(p->nunits ? N_("--unit is empty: give a unit of uc3.yaml, "
						      "or an alias of one")
						 : N_("--unit is empty: give a unit"));
			return -1;
		}
	}
	if (since && uc3_tool_date(&f->since, "--since", since, p->timezone) < 0)
		return -1;
	if (until && uc3_tool_date(&f->until, "--until", until, p->timezone) < 0)
		return -1;
	f->since_set = since != NULL;
	f->until_set = until != NULL;
	if (f->mine && mine_roles(f, st) < 0)
		return -1;
	return 0;
}

/*
 * Mail uc3 could not read waits for a person to register it: said on
 * stderr after the list, whatever its format and filters, so that the
 * list itself (and its JSON) stays what it is. More than QUARANTINE_SHOWN
 * files: one line with the count and the oldest.
 */
#define QUARANTINE_SHOWN 5

static void
say_quarantine(struct uc3_store *st, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char **paths = NULL;
	size_t n = 0, i;
	time_t when = 0;

	if (uc3_records_quarantine_list(&paths, &n, st) < 0) {
		uc3_tool_error("%s", uc3_error_last());
		return;
	}
	for (i = 0; n <= QUARANTINE_SHOWN && i < n; i++) {
		uc3_buf_reset(&b);
		uc3_records_quarantine_say(&b, paths[i], p->timezone);
		uc3_tool_error("%s", b.ptr);
	}
	if (n > QUARANTINE_SHOWN) {
		uc3_records_quarantine_when(paths[0], &when);
		if (uc3_clock_format(&b, when, p->timezone) < 0)
			uc3_error_clear();
		uc3_tool_error("%zu mails uc3 could not read wait in quarantine/, the oldest since "
			       "%s; uc3 overdue lists them: read each, then register it with uc3 "
			       "new --quarantined PATH",
			       n, b.ptr);
	}
	uc3_buf_release(&b);
	uc3_strv_free(paths, n);
}

/* On stderr: how many changes made offline wait for the central. */
static void
say_waiting(struct uc3_store *st)
{
	char *remote;
	size_t i, n = 0;

	for (i = 0; i < waiting.n; i++)
		if (waiting.v[i].offline)
			n++;
	if (!n || !(remote = uc3_store_config(st, "uc3.remote")))
		return;
	uc3_tool_note(ngettext("%zu change made offline waits to be sent to %s (uc3 sync)",
			       "%zu changes made offline wait to be sent to %s (uc3 sync)",
			       (unsigned long)n),
		      n, remote);
	free(remote);
}

int
main(int argc, char **argv)
{
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	enum sort_key sort = SORT_RECEIVED;
	struct uc3_store *st = NULL;
	struct list l = { 0 };
	const char *dir = NULL, *pattern = NULL, *unit = NULL, *since = NULL, *until = NULL;
	bool all = false, reverse = false;
	long max = 0;
	size_t i;
	int rc, exit_status = 0;

	static const char *const usage[] = {
		"uc3 list [-C dir] [--all] [--channel channel] [--format text|json|ids]",
		"         [--grep pcre] [--holder role] [--kind kind] [--late]",
		"         [--level level] [--mine] [-n count] [--reverse] [--since date]",
		"         [--sort received|deadline|id] [--status status[,status...]]",
		"         [--unit unit] [--until date]",
		NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_CALLBACK(0, "status", &l.f.statuses, "S",
				 "open, answered, delivered or closed; several\n"
				 "separated by commas, or the option again",
				 list_status),
		UC3_OPT_BOOL(0, "all", &all, "closed tickets too (default: only those not closed)"),
		UC3_OPT_STRING(0, "level", &l.f.level, "L",
			       "at this level of the chain (staf, wakor, ...)"),
		UC3_OPT_STRING(0, "holder", &l.f.holder, "ROLE",
			       "this role must act next: the level while open, the\n"
			       "bottom of the chain once answered or delivered"),
		UC3_OPT_BOOL(0, "mine", &l.f.mine,
			     "one of my roles (uc3.yaml's people, by git's user.email)\n"
			     "must act next"),
		UC3_OPT_STRING(0, "kind", &l.f.kind, "KIND", "of this kind (uc3.yaml's kinds)"),
		UC3_OPT_STRING(0, "channel", &l.f.channel, "CHANNEL",
			       "received through this channel (uc3.yaml's channels)"),
		UC3_OPT_STRING(0, "unit", &unit, "UNIT",
			       "addressed to this unit (a name or alias of uc3.yaml's\n"
			       "units, in any case)"),
		UC3_OPT_STRING(0, "since", &since, "DATE",
			       "received at or after DATE (2026-11-01: the start of\n"
			       "that day; or a time)"),
		UC3_OPT_STRING(0, "until", &until, "DATE",
			       "received before DATE (2026-12-01: the start of that\n"
			       "day; or a time)"),
		UC3_OPT_BOOL(0, "late", &l.f.late, "its current step is past its deadline now"),
		UC3_OPT_STRING(0, "grep", &pattern, "PCRE",
			       "subject, body, answer, unit, a note of its history or\n"
			       "the requester matches (Perl syntax, UTF-8; (?i) for\n"
			       "any case)"),
		UC3_OPT_CALLBACK(0, "sort", &sort, "KEY",
				 "received (default: oldest first), deadline (soonest\n"
				 "first, closed last) or id",
				 list_sort),
		UC3_OPT_BOOL(0, "reverse", &reverse, "the order reversed"),
		UC3_OPT_POSITIVE('n', "max-count", &max, "N",
				 "the first N tickets of the order only"),
		UC3_OPT_CALLBACK(0, "format", &fmt, "FMT",
				 "text (default), json (an array of tickets) or ids\n"
				 "(one id a line, for scripts)",
				 list_format),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 list",
		usage,
		N_("List the tickets not yet closed (--all: every ticket), one a line: id,\n"
		   "received, kind, status, level, holder (who must act next), deadline,\n"
		   "business time left in the current step (or how late it is; d is office\n"
		   "days), subject; oldest first.\n"),
		N_("See uc3-list(1).\n"),
		options,
		UC3_OPT_NO_ARGS
	};

	if (uc3_opt_parse(argc, argv, &cmd, &rc) < 0)
		return rc;
	/* --status wins over --all; neither: what is not closed yet. */
	if (!l.f.statuses)
		l.f.statuses = all ? ALL_STATUSES : ALL_STATUSES & ~STATUS_BIT(UC3_STATUS_CLOSED);
	if (uc3_clock_now(&l.f.now) < 0)
		return uc3_tool_fail();
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	uc3_tool_freshen(st);
	if (uc3_sync_waiting(&waiting, st) < 0) {
		uc3_tool_warn("%s", uc3_error_last());
		uc3_error_clear();
	}
	l.f.policy = uc3_store_policy(st);
	if (check_filters(&l.f, st, unit, since, until) < 0) {
		free(l.f.unit);
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	if (pattern && (rc = uc3_rx_compile(&l.f.rx, pattern, 0)) < 0) {
		uc3_tool_error("--grep: %s", uc3_error_last());
		free(l.f.unit);
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	sort_by = sort;
	uc3_buf_init(&l.out.b);
	l.out.fmt = fmt;
	l.out.max = max > 0 ? (size_t)max : 0;
	if (fmt == UC3_FORMAT_TEXT)
		table_init(&l.out.tab);
	if (!(wanted_statuses(&l.f) & STATUS_BIT(UC3_STATUS_CLOSED))) {
		rc = from_index(&l, st);
	} else if (sort == SORT_RECEIVED && !reverse) {
		/* A ticket's folder is its month of receipt: month by month is in order. */
		l.out.stream = true;
		if (fmt == UC3_FORMAT_TEXT)
			stream_widths(&l.out.tab, l.f.policy);
		rc = uc3_records_walk(st, NULL, next_month, NULL, visit, &l);
		flush_month(&l);
	} else {
		rc = uc3_records_foreach(st, visit, &l);
	}
	if (rc < 0) {
		uc3_tool_fail();
		exit_status = UC3_EXIT_ERROR;
	}
	if (!l.out.stream) {
		if (l.n)
			qsort(l.items, l.n, sizeof(*l.items), cmp_items);
		if (reverse) {
			for (i = 0; i < l.n / 2; i++) {
				struct item tmp = l.items[i];

				l.items[i] = l.items[l.n - 1 - i];
				l.items[l.n - 1 - i] = tmp;
			}
		}
		emit(&l.out, l.items, l.n, l.f.policy, l.f.now);
	}
	emit_end(&l.out);
	say_quarantine(st, l.f.policy);
	say_waiting(st);
	if (l.broken) {
		uc3_tool_error(ngettext("%d ticket file could not be read (named above)",
					"%d ticket files could not be read (named above)",
					(unsigned long)l.broken),
			       l.broken);
		exit_status = UC3_EXIT_ERROR;
	}
	if (l.failed)
		exit_status = UC3_EXIT_ERROR;
	for (i = 0; i < l.n; i++)
		uc3_ticket_free(l.items[i].t);
	free(l.items);
	free(l.f.unit);
	uc3_rx_free(l.f.rx);
	uc3_waiting_list_release(&waiting);
	uc3_store_free(st);
	return uc3_tool_finish(exit_status);
}
