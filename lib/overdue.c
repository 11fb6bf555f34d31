#include "overdue.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "mail.h"
#include "message.h"
#include "notify.h"
#include "openindex.h"
#include "ops.h"
#include "paper.h"
#include "records.h"
#include "ticket.h"
#include "tmpl.h"
#include "transition.h"
#include "xalloc.h"
#include "ydoc.h"

void
uc3_overdue_pending_flags(char out[3], const struct uc3_ticket *t)
{
	uc3_notify_owed(out, t);
}

/* The business seconds p gives the step of a ticket of this status at level; 0: unknown. */
static long
step_seconds(const struct uc3_policy *p, const char *status, const char *level)
{
	const struct uc3_role *r;

	if (!strcmp(status, "answered"))
		return p->step_deliver;
	if (!strcmp(status, "delivered"))
		return p->step_archive;
	r = uc3_policy_role(p, level);
	return r ? r->step : 0;
}

static const char *
step_role(const struct uc3_policy *p, const char *status, const char *level)
{
	enum uc3_status s;
	const char *role = NULL;

	if (uc3_status_parse(&s, status) == 0)
		role = uc3_transition_holder(p, s, level);
	return role ? role : level;
}

/* How late each item is (how long it has left, for a warning), in office days. */
static int
late_spans(struct uc3_overdue *o, const struct uc3_policy *p, time_t at)
{
	time_t *from, *to;
	struct uc3_calendar_span *sp;
	size_t i;
	int rc;

	if (!o->n)
		return 0;
	from = uc3_xcalloc(o->n, sizeof(*from));
	to = uc3_xcalloc(o->n, sizeof(*to));
	sp = uc3_xcalloc(o->n, sizeof(*sp));
	for (i = 0; i < o->n; i++) {
		from[i] = o->items[i].breach ? o->items[i].due : at;
		to[i] = o->items[i].breach ? at : o->items[i].due;
	}
	rc = uc3_calendar_spans(sp, &p->calendar, p->timezone, from, to, o->n);
	for (i = 0; rc == 0 && i < o->n; i++) {
		o->items[i].span = sp[i];
		/* Late with no business time between: late all the same, as left says. */
		if (o->items[i].breach && !sp[i].days && !sp[i].rest) {
			o->items[i].span.total = 1;
			o->items[i].span.rest = 1;
		}
	}
	free(from);
	free(to);
	free(sp);
	return rc;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_late(const void *a, const void *b)
{
	const struct uc3_late *x = a, *y = b;

	if (x->breach != y->breach)
		return x->breach ? -1 : 1;
	if (x->left != y->left)
		return x->left < y->left ? -1 : 1;
	return strcmp(x->id, y->id);
}

int
uc3_overdue_scan(struct uc3_overdue *out, struct uc3_store *st, time_t at, long warn)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_openindex ix;
	time_t *t = NULL;
	long *off = NULL;
	size_t i, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = uc3_openindex_update(&ix, st)) < 0)
		goto done;
	t = uc3_xcalloc(ix.n + 1, sizeof(*t));
	off = uc3_xcalloc(ix.n + 1, sizeof(*off));
	t[n++] = at;
	for (i = 0; i < ix.n; i++) {
		struct uc3_openindex_entry *e = &ix.e[i];

		if (e->pend && uc3_notify_owed_under(e->pend, p)) {
			uc3_xgrow((void **)&out->pending, &out->apending, out->npending + 1,
				  sizeof(*out->pending));
			out->pending[out->npending++] = uc3_xstrdup(e->id);
		}
		if (e->broken) {
			uc3_xgrow((void **)&out->broken, &out->abroken, out->nbroken + 1,
				  sizeof(*out->broken));
			out->broken[out->nbroken++] = uc3_xstrdup(e->broken);
			continue;
		}
		if (!*e->deadline || uc3_clock_parse(&t[n], e->deadline, NULL) < 0) {
			struct uc3_buf m = UC3_BUF_INIT;

			uc3_buf_addf(&m, _("%s: no readable deadline"), e->path);
			uc3_xgrow((void **)&out->broken, &out->abroken, out->nbroken + 1,
				  sizeof(*out->broken));
			out->broken[out->nbroken++] = uc3_buf_detach(&m);
			continue;
		}
		n++;
	}
	/* One sweep of the calendar for every deadline at once. */
	if ((rc = uc3_calendar_offsets(off, &p->calendar, p->timezone, t, n)) < 0)
		goto done;
	for (i = 0, n = 1; i < ix.n; i++) {
		struct uc3_openindex_entry *e = &ix.e[i];
		struct uc3_late *l;
		long left;
		bool breach;

		if (e->broken || !*e->deadline || uc3_clock_parse(&t[n], e->deadline, NULL) < 0)
			continue;
		left = off[n] - off[0];
		breach = left < 0 || (left == 0 && at > t[n]);
		if (!breach && !(warn > 0 && left <= warn)) {
			n++;
			continue;
		}
		uc3_xgrow((void **)&out->items, &out->alloc, out->n + 1, sizeof(*out->items));
		l = &out->items[out->n++];
		memset(l, 0, sizeof(*l));
		l->id = uc3_xstrdup(e->id);
		l->path = uc3_xstrdup(e->path);
		l->subject = uc3_xstrdup(e->subject);
		l->step = uc3_xstrdup(!strcmp(e->status, "open")       ? e->level
				      : !strcmp(e->status, "answered") ? "deliver"
								       : "archive");
		l->role = uc3_xstrdup(step_role(p, e->status, e->level));
		l->deadline = uc3_xstrdup(e->deadline);
		l->step_time = step_seconds(p, e->status, e->level);
		l->due = t[n];
		l->left = breach && left == 0 ? -1 : left;
		l->breach = breach;
		n++;
	}
	if ((rc = late_spans(out, p, at)) < 0)
		goto done;
	if (out->n > 1)
		qsort(out->items, out->n, sizeof(*out->items), cmp_late);
	if (out->nbroken > 1)
		qsort(out->broken, out->nbroken, sizeof(*out->broken), cmp_strp);
	if (out->npending > 1)
		qsort(out->pending, out->npending, sizeof(*out->pending), cmp_strp);
done:
	free(t);
	free(off);
	uc3_openindex_release(&ix);
	if (rc < 0)
		uc3_overdue_release(out);
	return rc;
}

/* Whether the blank-separated list has the word w. */
static bool
has_word(const char *list, const char *w)
{
	size_t n = strlen(w);
	const char *p;

	for (p = list; (p = strstr(p, w)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

int
uc3_overdue_mail(char ***paths, size_t *n, struct uc3_store *st, const char *const *ids,
		 size_t nids)
{
	struct uc3_openindex ix;
	size_t i, j;
	int rc;

	*paths = NULL;
	*n = 0;
	if ((rc = uc3_openindex_update(&ix, st)) < 0)
		goto done;
	*paths = uc3_xcalloc(ix.n + 1, sizeof(**paths));
	for (i = 0; i < ix.n; i++) {
		if (ix.e[i].broken || !ix.e[i].mail || !*ix.e[i].mail)
			continue;
		for (j = 0; j < nids; j++)
			if (ids[j] && has_word(ix.e[i].mail, ids[j]))
				break;
		if (j < nids)
			(*paths)[(*n)++] = uc3_xstrdup(ix.e[i].path);
	}
done:
	uc3_openindex_release(&ix);
	return rc;
}

static void
late_release(struct uc3_late *l)
{
	free(l->id);
	free(l->path);
	free(l->subject);
	free(l->step);
	free(l->role);
	free(l->deadline);
}

void
uc3_overdue_keep(struct uc3_overdue *o, const bool *keep)
{
	size_t i, k = 0;

	for (i = 0; i < o->n; i++) {
		if (keep && keep[i])
			o->items[k++] = o->items[i];
		else
			late_release(&o->items[i]);
	}
	o->n = k;
}

void
uc3_overdue_release(struct uc3_overdue *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		late_release(&o->items[i]);
	free(o->items);
	for (i = 0; i < o->nbroken; i++)
		free(o->broken[i]);
	free(o->broken);
	for (i = 0; i < o->npending; i++)
		free(o->pending[i]);
	free(o->pending);
	memset(o, 0, sizeof(*o));
}

void
uc3_overdue_recipients(char ***out, size_t *n, const struct uc3_policy *p,
		       const struct uc3_late *item)
{
	size_t before = *n, i;
	int r = uc3_policy_role_index(p, item->role);

	if (p->notify_holders)
		uc3_notify_holders(out, n, p, item->role);
	if (item->breach && p->notify_next_up && r >= 0 && r + 1 < (int)p->nroles)
		uc3_notify_holders(out, n, p, p->roles[r + 1].id);
	if (*n == before)
		for (i = 0; i < p->nnotify_fallback; i++)
			uc3_notify_add(out, n, p->notify_fallback[i]);
}

/*
 * Why the breach item reached nobody under p: the roles that would have
 * been told, appended to roles (each once, borrowed from p).
 */
static void
unreached_roles(const char ***roles, size_t *n, const struct uc3_policy *p,
		const struct uc3_late *item)
{
	int r = uc3_policy_role_index(p, item->role);
	const char *ask[2];
	size_t na = 0, i, k;

	if (p->notify_holders)
		ask[na++] = item->role;
	if (p->notify_next_up && r >= 0 && r + 1 < (int)p->nroles)
		ask[na++] = p->roles[r + 1].id;
	for (k = 0; k < na; k++) {
		for (i = 0; i < *n; i++)
			if (!strcmp((*roles)[i], ask[k]))
				break;
		if (i < *n)
			continue;
		*roles = uc3_xrealloc(*roles, (*n + 1) * sizeof(**roles));
		(*roles)[(*n)++] = ask[k];
	}
}

/* "uc3.yaml lists nobody with the role staf and no notify.fallback", and the like. */
static char *
unreached_why(const struct uc3_policy *p, const char **roles, size_t n)
{
	struct uc3_buf b = UC3_BUF_INIT, list = UC3_BUF_INIT;
	size_t i;

	if (!p->npeople) {
		uc3_buf_adds(&b, _("uc3.yaml lists no people (single-user mode) and no "
				   "notify.fallback"));
	} else if (!n) {
		uc3_buf_adds(&b, _("uc3.yaml tells no role of them (notify.holders is off) and no "
				   "notify.fallback"));
	} else {
		for (i = 0; i < n; i++)
			uc3_buf_addf(&list, "%s%s",
				     i == 0	  ? ""
				     : i + 1 == n ? _(" or ")
						  : ", ",
				     roles[i]);
		/* TRANSLATORS: %s is one role ("staf") or several ("staf, wakor or kabiro"). */
		uc3_buf_addf(
			&b,
			ngettext("uc3.yaml lists nobody with the role %s and no notify.fallback",
				 "uc3.yaml lists nobody with the roles %s and no notify.fallback",
				 n),
			list.ptr);
	}
	uc3_buf_release(&list);
	return uc3_buf_detach(&b);
}

long
uc3_overdue_warn_window(const struct uc3_policy *p)
{
	long w = p->notify_warn_before;
	size_t i;

	if (p->notify_warn_share > 0) {
		for (i = 0; i < p->nroles; i++)
			if (p->roles[i].step > w)
				w = p->roles[i].step;
		if (p->step_deliver > w)
			w = p->step_deliver;
		if (p->step_archive > w)
			w = p->step_archive;
	}
	return w;
}

bool
uc3_overdue_warn_due(const struct uc3_policy *p, const struct uc3_late *item)
{
	if (item->breach)
		return false;
	if (p->notify_warn_before > 0 && item->left <= p->notify_warn_before)
		return true;
	/* elapsed / step >= share / 100, in integers */
	return p->notify_warn_share > 0 && item->step_time > 0 &&
	       (item->step_time - item->left) * 100 >= (long)p->notify_warn_share * item->step_time;
}

static bool
office_day(const struct uc3_calendar *cal, const struct tm *lt)
{
	int ymd = (lt->tm_year + 1900) * 10000 + (lt->tm_mon + 1) * 100 + lt->tm_mday;
	size_t i;

	if (cal->always)
		return true;
	if (!cal->nday[lt->tm_wday])
		return false;
	for (i = 0; i < cal->nholidays; i++)
		if (cal->holidays[i] == ymd)
			return false;
	return true;
}

bool
uc3_overdue_digest_due(const struct uc3_policy *p, time_t now, time_t *midnight)
{
	struct tm lt;
	int min;

	if (p->notify_digest < 0 || uc3_clock_local(&lt, now, p->timezone) < 0)
		return false;
	min = lt.tm_hour * 60 + lt.tm_min;
	if (midnight)
		*midnight = now - (time_t)min * 60 - lt.tm_sec;
	return office_day(&p->calendar, &lt) && min >= p->notify_digest;
}

/* The kinds of notice, in the order of enum uc3_overdue_kind's bits. */
#define NKINDS 4
static const struct {
	unsigned bit;
	const char *about;
	const char *tmpl;
} kinds[NKINDS] = {
	{ UC3_OVERDUE_LATE, NULL, "overdue.txt" },
	{ UC3_OVERDUE_WARNING, UC3_ABOUT_WARNING, "warning.txt" },
	{ UC3_OVERDUE_REMINDER, UC3_ABOUT_REMINDER, "reminder.txt" },
	{ UC3_OVERDUE_DIGEST, UC3_ABOUT_DIGEST, "digest.txt" },
};

/* One notice to send: a person, a step of a ticket, what it tells. */
struct notice {
	char *email;
	const struct uc3_late *item;
	int kind; /* index into kinds */
	/*
	 * Late and warning notices go once (any such notice already recorded
	 * leaves it out). Reminders and digests repeat: one is left out only
	 * when the ticket has one like it dated after `after` (another run
	 * sent it meanwhile).
	 */
	time_t after;
	char *message_id; /* of the message that carried it, once sent */
};

struct notify {
	struct notice *nv;
	size_t n, alloc;
	time_t at;
};

static void
add_notice(struct notify *c, char *email, const struct uc3_late *item, int kind, time_t after)
{
	uc3_xgrow((void **)&c->nv, &c->alloc, c->n + 1, sizeof(*c->nv));
	c->nv[c->n] = (struct notice){ email, item, kind, after, NULL };
	c->n++;
}

static void
map_str(struct uc3_ynode *m, const char *k, const char *v)
{
	uc3_ynode_map_add(m, k, uc3_ynode_scalar(v ? v : "", UC3_YSTYLE_ANY));
}

/* The data a notice template sees: the person, and the steps of kind told them. */
static struct uc3_ynode *
notice_context(const struct uc3_policy *p, const char *email, int kind, const struct notice *nv,
	       size_t n)
{
	const struct uc3_person *who = uc3_policy_person(p, email);
	struct uc3_ynode *ctx = uc3_notify_context(p, NULL);
	struct uc3_ynode *person = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *list = uc3_ynode_seq(UC3_YSTYLE_ANY);
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i, count = 0;

	map_str(person, "email", email);
	map_str(person, "name", who && who->name ? who->name : "");
	uc3_ynode_map_add(ctx, "person", person);
	for (i = 0; i < n; i++) {
		const struct uc3_late *l = nv[i].item;
		const struct uc3_role *role = uc3_policy_role(p, l->role);
		struct uc3_ynode *e;

		if (nv[i].kind != kind || strcasecmp(nv[i].email, email))
			continue;
		e = uc3_ynode_map(UC3_YSTYLE_ANY);
		count++;
		map_str(e, "id", l->id);
		map_str(e, "subject", l->subject);
		map_str(e, "step", l->step);
		map_str(e, "role", l->role);
		map_str(e, "role_name", role && role->name ? role->name : l->role);
		uc3_buf_reset(&b);
		uc3_notify_time(&b, l->due, p);
		map_str(e, "due", b.ptr);
		/* late: how late a breach is; for a warning, how long is left */
		uc3_buf_reset(&b);
		uc3_notify_span(&b, &l->span, p);
		map_str(e, "late", b.ptr);
		map_str(e, "left", l->breach ? "" : b.ptr);
		uc3_ynode_seq_add(list, e);
	}
	uc3_buf_reset(&b);
	uc3_buf_addf(&b, "%zu", count);
	map_str(ctx, "count", b.ptr);
	uc3_ynode_map_add(ctx, "tickets", list);
	uc3_buf_release(&b);
	return ctx;
}

/*
 * When to was last told of item's breach (a late notice or a reminder),
 * or 0 when never.
 */
static time_t
last_told(const struct uc3_ticket *t, const char *to, const struct uc3_late *item)
{
	time_t last = 0, when;
	size_t i;

	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (!e->action || strcmp(e->action, "notice") || !e->to || strcasecmp(e->to, to) ||
		    (e->about && strcmp(e->about, UC3_ABOUT_REMINDER)) || !e->step.name ||
		    strcmp(e->step.name, item->step) || !e->step.due ||
		    strcmp(e->step.due, item->deadline))
			continue;
		if (e->at && uc3_clock_parse(&when, e->at, NULL) == 0 && when > last)
			last = when;
	}
	return last;
}

/* Whether to was sent a digest naming t on the day starting at midnight. */
static bool
digest_today(const struct uc3_ticket *t, const char *to, time_t midnight)
{
	size_t i;
	time_t when;

	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (e->action && !strcmp(e->action, "notice") && e->about &&
		    !strcmp(e->about, UC3_ABOUT_DIGEST) && e->to && !strcasecmp(e->to, to) &&
		    e->at && uc3_clock_parse(&when, e->at, NULL) == 0 && when >= midnight)
			return true;
	}
	return false;
}

static void
fail(struct uc3_notify_result *res, size_t n)
{
	res->failed += n;
	if (!res->error)
		res->error = uc3_xstrdup(uc3_error_last());
}

/* Send one message per person and kind of c's notices; mark the sent ones. */
static int
send_notices(struct uc3_notify_result *res, struct notify *c, struct uc3_store *st,
	     const struct uc3_overdue *o, const char *datadir)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_buf tmpl[NKINDS];
	bool loaded[NKINDS] = { false };
	size_t i, j, k;
	int rc = 0;

	for (k = 0; k < NKINDS; k++)
		uc3_buf_init(&tmpl[k]);
	/* A template that does not read is an error before anything is sent. */
	for (i = 0; i < c->n && rc == 0; i++) {
		k = (size_t)c->nv[i].kind;
		if (!loaded[k]) {
			rc = uc3_paper_template(&tmpl[k], st, datadir, kinds[k].tmpl);
			loaded[k] = true;
		}
	}
	for (i = 0; i < c->n && rc == 0; i++) {
		struct uc3_buf subject = UC3_BUF_INIT, body = UC3_BUF_INIT, mid = UC3_BUF_INIT;
		struct uc3_ynode *ctx;
		int kind = c->nv[i].kind;

		for (j = 0; j < i; j++)
			if (c->nv[j].kind == kind && !strcasecmp(c->nv[j].email, c->nv[i].email))
				break;
		if (j < i)
			continue;
		ctx = notice_context(p, c->nv[i].email, kind, c->nv, c->n);
		rc = uc3_notify_render_text(&subject, &body, tmpl[kind].ptr, kinds[kind].tmpl, ctx);
		uc3_ynode_free(ctx);
		if (rc == 0) {
			uc3_mail_message_id(&mid, p->mail_from ? p->mail_from : "uc3@localhost",
					    c->at);
			if (uc3_notify_send(p, c->nv[i].email, subject.ptr, body.ptr, c->at,
					    mid.ptr, NULL) == 0) {
				res->sent++;
				res->warned += kinds[kind].bit == UC3_OVERDUE_WARNING;
				res->reminded += kinds[kind].bit == UC3_OVERDUE_REMINDER;
				res->digests += kinds[kind].bit == UC3_OVERDUE_DIGEST;
				for (j = i; j < c->n; j++) {
					size_t item = (size_t)(c->nv[j].item - o->items);

					if (c->nv[j].kind != kind ||
					    strcasecmp(c->nv[j].email, c->nv[i].email))
						continue;
					c->nv[j].message_id = uc3_xstrdup(mid.ptr);
					res->told[item] = true;
					res->told_as[item] |= kinds[kind].bit;
				}
			} else {
				fail(res, 1);
			}
		}
		uc3_buf_release(&subject);
		uc3_buf_release(&body);
		uc3_buf_release(&mid);
	}
	for (k = 0; k < NKINDS; k++)
		uc3_buf_release(&tmpl[k]);
	return rc;
}

/* Who is to be told what of o's items: c gets the notices, res the unreached. */
static void
plan(struct uc3_notify_result *res, struct notify *c, struct uc3_store *st,
     const struct uc3_overdue *o, time_t now)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	const char **roles = NULL;
	char **top = NULL;
	size_t ntop = 0, nroles = 0, i, j;
	time_t midnight = 0;
	bool digest = uc3_overdue_digest_due(p, now, &midnight);
	bool *had_digest = NULL;

	if (digest && p->nroles) {
		uc3_notify_holders(&top, &ntop, p, p->roles[p->nroles - 1].id);
		if (!ntop)
			for (i = 0; i < p->nnotify_fallback; i++)
				uc3_notify_add(&top, &ntop, p->notify_fallback[i]);
		had_digest = uc3_xcalloc(ntop + 1, sizeof(*had_digest));
	}
	for (i = 0; i < o->n; i++) {
		const struct uc3_late *item = &o->items[i];
		struct uc3_ticket *t = NULL;
		char **to = NULL;
		size_t nto = 0;

		if (!item->breach && !uc3_overdue_warn_due(p, item))
			continue;
		if (uc3_records_load(&t, NULL, st, item->id) < 0) {
			uc3_error_clear();
			continue;
		}
		uc3_overdue_recipients(&to, &nto, p, item);
		if (!nto && item->breach) {
			res->unreached++;
			res->nobody[i] = true;
			unreached_roles(&roles, &nroles, p, item);
		}
		for (j = 0; j < nto; j++) {
			time_t last;
			long since;

			if (!item->breach) {
				if (!uc3_transition_notified(t, to[j], UC3_ABOUT_WARNING,
							     item->step, item->deadline)) {
					add_notice(c, to[j], item, 1, 0);
					continue;
				}
			} else if (!uc3_transition_notified(t, to[j], NULL, item->step,
							    item->deadline)) {
				add_notice(c, to[j], item, 0, 0);
				continue;
			} else if (p->notify_repeat > 0 && (last = last_told(t, to[j], item)) &&
				   uc3_calendar_between(&since, &p->calendar, p->timezone, last,
							now) == 0 &&
				   since >= p->notify_repeat) {
				add_notice(c, to[j], item, 2, last);
				continue;
			}
			free(to[j]);
		}
		free(to);
		for (j = 0; item->breach && j < ntop; j++)
			if (digest_today(t, top[j], midnight))
				had_digest[j] = true;
		uc3_ticket_free(t);
	}
	/* The digest: every breach, to each of the top role not sent one today. */
	for (j = 0; j < ntop; j++) {
		for (i = 0; !had_digest[j] && i < o->n; i++)
			if (o->items[i].breach)
				add_notice(c, uc3_xstrdup(top[j]), &o->items[i], 3, midnight - 1);
		free(top[j]);
	}
	free(top);
	free(had_digest);
	if (res->unreached)
		res->unreached_why = unreached_why(p, roles, nroles);
	free(roles);
}

/* Send again what uc3 new or uc3 escalate could not: o->pending. */
static int
retry(struct uc3_notify_result *res, struct uc3_store *st, const struct uc3_overdue *o, time_t now,
      const char *datadir)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	size_t i;
	int rc = 0;

	for (i = 0; i < o->npending && rc == 0; i++) {
		struct uc3_ticket *t = NULL;
		struct uc3_notify_outcome out;
		struct uc3_calendar_span left;
		bool pending, late;

		if (uc3_records_load(&t, NULL, st, o->pending[i]) < 0) {
			uc3_error_clear();
			continue;
		}
		pending = uc3_notify_pending(t, p);
		/* A step already late is told of by its breach notice instead. */
		late = uc3_transition_time_left(&left, t, p, now) == 0 && left.total < 0;
		uc3_ticket_free(t);
		uc3_error_clear();
		if (!pending)
			continue;
		for (int k = 0; k < 2 && rc == 0; k++) {
			const char *about = k ? UC3_ABOUT_ESCALATED : UC3_ABOUT_RECEIVED;

			if (k && late)
				continue;
			rc = k ? uc3_notify_escalated(&out, st, o->pending[i], now, datadir)
			       : uc3_notify_acknowledge(&out, st, o->pending[i], now, datadir);
			if (rc < 0)
				break;
			if (out.sent) {
				uc3_xgrow((void **)&res->retries, &res->aretries, res->nretries + 1,
					  sizeof(*res->retries));
				res->retries[res->nretries++] =
					(struct uc3_overdue_retry){ uc3_xstrdup(o->pending[i]),
								    about, out.sent };
				res->sent += out.sent;
				res->retried += out.sent;
			}
			if (out.failed) {
				res->failed += out.failed;
				if (!res->error && out.error)
					res->error = uc3_xstrdup(out.error);
			}
			uc3_notify_outcome_release(&out);
		}
	}
	return rc;
}

void
uc3_notify_result_release(struct uc3_notify_result *res)
{
	size_t i;

	free(res->error);
	free(res->told);
	free(res->told_as);
	for (i = 0; i < res->nretries; i++)
		free(res->retries[i].id);
	free(res->retries);
	free(res->nobody);
	free(res->unreached_why);
	memset(res, 0, sizeof(*res));
}

int
uc3_overdue_notify(struct uc3_notify_result *res, struct uc3_store *st, const struct uc3_overdue *o,
		   time_t at, const char *datadir)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct notify c = { 0 };
	const char *name, *email;
	bool locked = false;
	size_t i;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	res->told = uc3_xcalloc(o->n + 1, sizeof(*res->told));
	res->told_as = uc3_xcalloc(o->n + 1, sizeof(*res->told_as));
	res->nobody = uc3_xcalloc(o->n + 1, sizeof(*res->nobody));
	c.at = at;
	if (p->notify_office_hours_only && !p->calendar.always) {
		long off[2];
		time_t pair[2] = { at, at + 1 };

		/* One second of business time right after now means the office is open. */
		if (uc3_calendar_offsets(off, &p->calendar, p->timezone, pair, 2) == 0 &&
		    off[1] == off[0]) {
			res->held = true;
			return 0;
		}
	}
	/*
	 * From the plan to the record, one run at a time: a second cron reads
	 * what the first recorded, and sends nothing twice. Who records what
	 * is sent is known before anything is sent.
	 */
	if ((rc = uc3_store_lock_mail(st)) < 0)
		goto out;
	locked = true;
	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		goto out;
	plan(res, &c, st, o, at);
	if (c.n && (rc = send_notices(res, &c, st, o, datadir)) < 0)
		goto out;
	if (res->sent) {
		/* What was sent, each with what its event says. */
		struct uc3_notify_rec *rv = uc3_xcalloc(c.n + 1, sizeof(*rv));
		size_t nr = 0;

		for (i = 0; i < c.n; i++) {
			const struct notice *n = &c.nv[i];
			bool once = n->kind == 0 || n->kind == 1;

			if (!n->message_id)
				continue;
			rv[nr].id = n->item->id;
			rv[nr].n =
				(struct uc3_notice){ n->email, kinds[n->kind].about, n->item->step,
						     n->item->deadline, n->message_id };
			rv[nr].after = once ? 0 : n->after;
			nr++;
		}
		rc = uc3_notify_record(&res->notices, res->commit, st, rv, nr, at);
		free(rv);
	}
	if (rc == 0)
		rc = retry(res, st, o, at, datadir);
out:
	if (locked)
		uc3_store_unlock_mail(st);
	for (i = 0; i < c.n; i++) {
		free(c.nv[i].email);
		free(c.nv[i].message_id);
	}
	free(c.nv);
	if (rc < 0)
		uc3_notify_result_release(res); /* the caller has nothing to free */
	return rc;
}
