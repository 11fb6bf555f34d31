#include "notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "calendar.h"
#include "clock.h"
#include "datetext.h"
#include "error.h"
#include "i18n.h"
#include "mail.h"
#include "message.h"
#include "paper.h"
#include "records.h"
#include "tmpl.h"
#include "xalloc.h"

int
uc3_notify_render_text(struct uc3_buf *subject, struct uc3_buf *body, const char *tmpl,
		       const char *name, const struct uc3_ynode *ctx)
{
	const char *sep = strstr(tmpl, "\n\n");
	const char *p = tmpl;
	char where[256];
	int rc;

	snprintf(where, sizeof(where), "templates/%s", name);
	if (!sep || strncasecmp(p, "Subject:", 8))
		return uc3_error_set(UC3_EINVAL,
				     "%s: it must start with a 'Subject:' line, then an empty "
				     "line, then the body",
				     where);
	if (memchr(p, '\n', (size_t)(sep - p)))
		return uc3_error_set(UC3_EINVAL,
				     "%s:1: only a Subject: line may stand before the body", where);
	p += 8;
	while (*p == ' ')
		p++;
	if ((rc = uc3_tmpl_render(subject, p, (size_t)(sep - p), ctx, UC3_TMPL_HEADER, where)) < 0)
		return rc;
	return uc3_tmpl_render(body, sep + 2, strlen(sep + 2), ctx, UC3_TMPL_BODY, where);
}

int
uc3_notify_render(struct uc3_buf *subject, struct uc3_buf *body, struct uc3_store *st,
		  const char *datadir, const char *name, const struct uc3_ynode *ctx)
{
	struct uc3_buf tmpl = UC3_BUF_INIT;
	int rc;

	if ((rc = uc3_paper_template(&tmpl, st, datadir, name)) == 0)
		rc = uc3_notify_render_text(subject, body, tmpl.ptr, name, ctx);
	uc3_buf_release(&tmpl);
	return rc;
}

static void
put(struct uc3_ynode *m, const char *k, const char *v)
{
	uc3_ynode_map_add(m, k, uc3_ynode_scalar(v ? v : "", UC3_YSTYLE_ANY));
}

void
uc3_notify_lang_push(const struct uc3_policy *p)
{
	uc3_i18n_push(p->language ? p->language : uc3_i18n_language());
}

void
uc3_notify_lang_pop(void)
{
	uc3_i18n_pop();
}

void
uc3_notify_time(struct uc3_buf *out, time_t t, const struct uc3_policy *p)
{
	/*
	 * The policy's language straight, not the catalogue's: the names of
	 * days and months in Indonesian need none installed. The short form
	 * is what mail said before the office could choose a language: a
	 * policy without language: read in English keeps it.
	 */
	const char *lang = p->language ? p->language : uc3_i18n_language();

	if ((p->language || !strcmp(lang, "id")) &&
	    uc3_datetext_long_in(out, t, p->timezone, lang) == 0)
		return;
	uc3_error_clear();
	uc3_clock_format_short(out, t, p->timezone);
}

void
uc3_notify_span(struct uc3_buf *out, const struct uc3_calendar_span *s, const struct uc3_policy *p)
{
	uc3_notify_lang_push(p);
	uc3_calendar_format_span(out, s);
	uc3_notify_lang_pop();
}

/* A timestamp of the file as people read it in the office's zone; "" when it does not read. */
static void
put_time(struct uc3_ynode *m, const char *k, const char *stamp, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT;
	time_t t;

	if (stamp && uc3_clock_parse(&t, stamp, NULL) == 0)
		uc3_notify_time(&b, t, p);
	put(m, k, b.ptr);
	uc3_buf_release(&b);
}

/* A step's time as the policy writes it: "5m", "1h", "1h30m". */
static void
put_duration(struct uc3_ynode *m, const char *k, long secs)
{
	char s[32] = "";
	long min = secs / 60;

	if (secs > 0 && min % 60 == 0)
		snprintf(s, sizeof(s), "%ldh", min / 60);
	else if (secs > 0 && min > 60)
		snprintf(s, sizeof(s), "%ldh%ldm", min / 60, min % 60);
	else if (secs > 0)
		snprintf(s, sizeof(s), "%ldm", min);
	put(m, k, s);
}

/* The time of the step ticket t is in: its level's, or deliver's, or archive's. */
static long
step_time(const struct uc3_policy *p, const struct uc3_ticket *t)
{
	const struct uc3_role *r;

	switch (t->status) {
	case UC3_STATUS_OPEN:
		r = t->level ? uc3_policy_role(p, t->level) : NULL;
		return r ? r->step : 0;
	case UC3_STATUS_ANSWERED:
		return p->step_deliver;
	case UC3_STATUS_DELIVERED:
		return p->step_archive;
	default:
		return 0;
	}
}

/*
 * The most the SOP gives from receipt to the answer in the requester's
 * hands: every step of the chain and the delivery ("3h40m"), and when
 * that ends for t on the business calendar (answer_by).
 */
static long
sop_total(const struct uc3_policy *p)
{
	long total = p->step_deliver;
	size_t i;

	for (i = 0; i < p->nroles; i++)
		total += p->roles[i].step;
	return total;
}

/* When the SOP's time to the answer ends for t: true and *by, or false. */
static bool
answer_due(time_t *by, const struct uc3_policy *p, const struct uc3_ticket *t)
{
	time_t received;

	return t->received && uc3_clock_parse(&received, t->received, NULL) == 0 &&
	       uc3_calendar_add(by, &p->calendar, p->timezone, received, sop_total(p)) == 0;
}

static void
answer_within(struct uc3_ynode *m, const struct uc3_policy *p, const struct uc3_ticket *t)
{
	struct uc3_buf b = UC3_BUF_INIT;
	time_t by;

	put_duration(m, "answer_within", sop_total(p));
	if (answer_due(&by, p, t))
		uc3_notify_time(&b, by, p);
	put(m, "answer_by", b.ptr);
	uc3_buf_release(&b);
}

struct uc3_ynode *
uc3_notify_context(const struct uc3_policy *p, const struct uc3_ticket *t)
{
	struct uc3_ynode *ctx = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *m, *r;
	const struct uc3_role *role;

	put(ctx, "office", p->office);
	put(ctx, "sop", p->sop);
	put(ctx, "prefix", p->id_prefix);
	if (!t)
		return ctx;
	m = uc3_ynode_map(UC3_YSTYLE_ANY);
	put(m, "id", t->id);
	put(m, "subject", t->subject);
	put(m, "kind", t->kind);
	put(m, "channel", t->channel);
	put(m, "unit", t->unit);
	put(m, "status", uc3_status_name(t->status));
	put(m, "body", t->body);
	put(m, "answer", t->answer);
	r = uc3_ynode_map(UC3_YSTYLE_ANY);
	put(r, "name", t->requester.name);
	put(r, "email", t->requester.email);
	uc3_ynode_map_add(m, "requester", r);
	put_time(m, "received", t->received, p);
	put_time(m, "deadline", t->deadline, p);
	put(m, "level", t->level);
	role = t->level ? uc3_policy_role(p, t->level) : NULL;
	put(m, "level_name", role && role->name ? role->name : t->level);
	put_duration(m, "step_time", step_time(p, t));
	answer_within(m, p, t);
	uc3_ynode_map_add(ctx, "ticket", m);
	return ctx;
}

void
uc3_notify_thread(struct uc3_notify_thread *th, const struct uc3_ticket *t)
{
	size_t i;

	memset(th, 0, sizeof(*th));
	th->refs = uc3_xcalloc(t->nevents + 2, sizeof(*th->refs));
	if (t->message_id) {
		th->in_reply_to = t->message_id;
		th->refs[th->nrefs++] = t->message_id;
	}
	if (!t->requester.email)
		return;
	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (e->message_id && e->to && !strcasecmp(e->to, t->requester.email))
			th->refs[th->nrefs++] = e->message_id;
	}
}

const char *
uc3_notify_sendmail(const struct uc3_policy *p)
{
	const char *s = getenv("UC3_SENDMAIL");

	return s && *s ? s : p->sendmail;
}

int
uc3_notify_send(const struct uc3_policy *p, const char *to, const char *subject, const char *body,
		time_t now, const char *message_id, const struct uc3_notify_thread *th)
{
	struct uc3_buf msg = UC3_BUF_INIT;
	struct uc3_mail m = { 0 };
	const char *rcpt[1] = { to };
	int rc;

	m.from = p->mail_from ? p->mail_from : "uc3 <uc3@localhost>";
	m.to = rcpt;
	m.nto = 1;
	m.subject = subject;
	m.body = body;
	m.date = now;
	m.tz = p->timezone;
	m.message_id = message_id;
	if (th) {
		m.in_reply_to = th->in_reply_to;
		m.references = th->refs;
		m.nreferences = th->nrefs;
	}
	if ((rc = uc3_mail_compose(&msg, &m)) == 0)
		rc = uc3_mail_send(uc3_notify_sendmail(p), msg.ptr, msg.len);
	uc3_buf_release(&msg);
	return rc;
}

struct record {
	const struct uc3_notify_rec *nv;
	size_t n;
	time_t at;
	const char *actor;
	size_t recorded;
};

static bool
same_word(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

/* Whether t has the notice r records already: see struct uc3_notify_rec. */
static bool
has_notice(const struct uc3_ticket *t, const struct uc3_notify_rec *r)
{
	const struct uc3_notice *n = &r->n;
	size_t i;

	if (!r->after)
		return uc3_transition_notified(t, n->to, n->about, n->step, n->due);
	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];
		time_t when;

		if (!e->action || strcmp(e->action, "notice") || !e->to ||
		    strcasecmp(e->to, n->to) || !same_word(e->about, n->about) ||
		    !same_word(e->step.name, n->step) || !same_word(e->step.due, n->due))
			continue;
		if (e->at && uc3_clock_parse(&when, e->at, NULL) == 0 && when > r->after)
			return true;
	}
	return false;
}

static int
record_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct record *c = vctx;
	struct uc3_act act = { 0 };
	struct uc3_message_notice *mv;
	size_t i, j, tickets = 0, total = 0, nm = 0;
	int rc = 0;

	act.policy = uc3_store_policy(st);
	act.actor = c->actor;
	act.now = c->at;
	c->recorded = 0;
	w->allow_empty = true;
	mv = uc3_xcalloc(c->n + 1, sizeof(*mv));
	for (i = 0; i < c->n && rc == 0; i++) {
		struct uc3_ticket *t = NULL;
		char *path = NULL;
		bool changed = false;

		/* Each ticket once: its notices are the ones naming it. */
		for (j = 0; j < i; j++)
			if (!strcmp(c->nv[j].id, c->nv[i].id))
				break;
		if (j < i)
			continue;
		if ((rc = uc3_records_load(&t, &path, st, c->nv[i].id)) < 0)
			break;
		for (j = i; j < c->n; j++) {
			const struct uc3_notice *n = &c->nv[j].n;

			if (strcmp(c->nv[j].id, c->nv[i].id) || has_notice(t, &c->nv[j]))
				continue;
			uc3_transition_notice(t, &act, n);
			mv[nm++] = (struct uc3_message_notice){ c->nv[j].id, n->step, n->to,
								n->about };
			changed = true;
			total++;
		}
		if (changed) {
			tickets++;
			rc = uc3_ticket_format(uc3_write_add(w, path), t);
		}
		uc3_ticket_free(t);
		free(path);
	}
	if (rc == 0 && total) {
		c->recorded = total;
		uc3_message_notices(&w->message, total, tickets, mv, nm);
	}
	free(mv);
	return rc;
}

int
uc3_notify_record(size_t *recorded, char commit[41], struct uc3_store *st,
		  const struct uc3_notify_rec *nv, size_t n, time_t at)
{
	struct record c = { nv, n, at, NULL, 0 };
	struct uc3_write_result wr = { 0 };
	const char *name;
	int rc;

	*recorded = 0;
	commit[0] = '\0';
	if (!n)
		return 0;
	if ((rc = uc3_store_actor(&name, &c.actor, st)) < 0)
		return rc;
	rc = uc3_store_write(st, record_edit, &c, &wr);
	if (rc > 0)
		return 0; /* recorded by another run first */
	if (rc < 0)
		return rc;
	*recorded = c.recorded;
	if (c.recorded)
		memcpy(commit, wr.commit, 41);
	uc3_write_result_release(&wr);
	return 0;
}

void
uc3_notify_add(char ***out, size_t *n, const char *email)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcasecmp((*out)[i], email))
			return;
	*out = uc3_xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[(*n)++] = uc3_xstrdup(email);
}

void
uc3_notify_holders(char ***out, size_t *n, const struct uc3_policy *p, const char *role)
{
	size_t i, j;

	for (i = 0; i < p->npeople; i++) {
		if (p->people[i].service)
			continue;
		for (j = 0; j < p->people[i].nroles; j++)
			if (!strcmp(p->people[i].roles[j], role))
				uc3_notify_add(out, n, p->people[i].email);
	}
}

void
uc3_notify_outcome_release(struct uc3_notify_outcome *o)
{
	free(o->error);
	free(o->told);
	memset(o, 0, sizeof(*o));
}

/* The last event that moved t to its level: an escalate to it, or NULL. */
static const struct uc3_event *
escalation(const struct uc3_ticket *t)
{
	size_t i = t->nevents;

	if (t->status != UC3_STATUS_OPEN || !t->level || !t->deadline)
		return NULL;
	while (i--) {
		const struct uc3_event *e = &t->events[i];

		if (!e->action || !strcmp(e->action, "notice") || !strcmp(e->action, "edit") ||
		    !strcmp(e->action, "attach"))
			continue;
		return !strcmp(e->action, "escalate") && e->to && !strcmp(e->to, t->level) ? e
											   : NULL;
	}
	return NULL;
}

static bool
told_escalation(const struct uc3_ticket *t)
{
	size_t i;

	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (e->action && !strcmp(e->action, "notice") && e->about &&
		    !strcmp(e->about, UC3_ABOUT_ESCALATED) && e->step.name &&
		    !strcmp(e->step.name, t->level) && e->step.due &&
		    !strcmp(e->step.due, t->deadline))
			return true;
	}
	return false;
}

void
uc3_notify_owed(char out[3], const struct uc3_ticket *t)
{
	size_t n = 0;

	/* An automatic mail (an auto-reply, a bounce...) is never answered by another. */
	if (t->status == UC3_STATUS_OPEN && !t->automatic && t->requester.email &&
	    *t->requester.email &&
	    !uc3_transition_notified(t, t->requester.email, UC3_ABOUT_RECEIVED, NULL, NULL))
		out[n++] = 'a';
	if (escalation(t) && !told_escalation(t))
		out[n++] = 'e';
	out[n] = '\0';
}

bool
uc3_notify_owed_under(const char *owed, const struct uc3_policy *p)
{
	/* Escalation notices go to people or notify.fallback: single-user mode without one tells
	 * nobody. */
	bool anyone = p->npeople || p->nnotify_fallback;

	return (p->notify_acknowledge && strchr(owed, 'a')) ||
	       (p->notify_holders && anyone && strchr(owed, 'e'));
}

bool
uc3_notify_pending(const struct uc3_ticket *t, const struct uc3_policy *p)
{
	char owed[3];

	uc3_notify_owed(owed, t);
	return uc3_notify_owed_under(owed, p);
}

static void
told_add(struct uc3_notify_outcome *o, const char *to)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (o->told)
		uc3_buf_addf(&b, "%s, ", o->told);
	uc3_buf_adds(&b, to);
	free(o->told);
	o->told = uc3_buf_detach(&b);
}

/* Take back the pair last added to map m. */
static void
pop_last(struct uc3_ynode *m)
{
	m->n--;
	free(m->keys[m->n]);
	uc3_ynode_free(m->items[m->n]);
}

/* Send one message of template name about t to each of to[0..n), recording each sent. */
static int
send_all(struct uc3_notify_outcome *o, struct uc3_store *st, const struct uc3_ticket *t, char **to,
	 size_t n, const char *about, const char *datadir, const char *name, struct uc3_ynode *ctx,
	 time_t now)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_notify_rec *rv = uc3_xcalloc(n + 1, sizeof(*rv));
	char **ids = uc3_xcalloc(n + 1, sizeof(*ids));
	struct uc3_notify_thread th = { 0 };
	bool to_requester = !strcmp(about, UC3_ABOUT_RECEIVED);
	size_t i, nr = 0;
	int rc = 0;

	if (to_requester)
		uc3_notify_thread(&th, t);
	for (i = 0; i < n; i++) {
		struct uc3_buf subject = UC3_BUF_INIT, body = UC3_BUF_INIT, mid = UC3_BUF_INIT;
		const struct uc3_person *who = uc3_policy_person(p, to[i]);
		struct uc3_ynode *person = uc3_ynode_map(UC3_YSTYLE_ANY);

		put(person, "email", to[i]);
		put(person, "name", who && who->name ? who->name : "");
		uc3_ynode_map_add(ctx, "person", person);
		rc = uc3_notify_render(&subject, &body, st, datadir, name, ctx);
		pop_last(ctx);
		if (rc < 0) {
			/* A template that does not read fails every message alike. */
			uc3_buf_release(&subject);
			uc3_buf_release(&body);
			break;
		}
		uc3_mail_message_id(&mid, p->mail_from ? p->mail_from : "uc3@localhost", now);
		if (uc3_notify_send(p, to[i], subject.ptr, body.ptr, now, mid.ptr,
				    to_requester ? &th : NULL) == 0) {
			o->sent++;
			told_add(o, to[i]);
			ids[i] = uc3_buf_detach(&mid);
			rv[nr].id = t->id;
			rv[nr].n.to = to[i];
			rv[nr].n.about = about;
			rv[nr].n.step = to_requester ? NULL : t->level;
			rv[nr].n.due = to_requester ? NULL : t->deadline;
			rv[nr].n.message_id = ids[i];
			nr++;
		} else {
			o->failed++;
			if (!o->error)
				o->error = uc3_xstrdup(uc3_error_last());
		}
		uc3_buf_release(&subject);
		uc3_buf_release(&body);
		uc3_buf_release(&mid);
	}
	if (rc == 0 && nr)
		rc = uc3_notify_record(&o->recorded, o->commit, st, rv, nr, now);
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	free(rv);
	free(th.refs);
	return rc;
}

int
uc3_notify_acknowledge(struct uc3_notify_outcome *o, struct uc3_store *st, const char *id,
		       time_t now, const char *datadir)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_ticket *t = NULL;
	struct uc3_ynode *ctx;
	char *to[1], owed[3];
	time_t by;
	int rc;

	memset(o, 0, sizeof(*o));
	if (!p->notify_acknowledge)
		return 0;
	/* Sent once: whoever else sends about it records first, and is read here. */
	if ((rc = uc3_store_lock_mail(st)) < 0)
		return rc;
	p = uc3_store_policy(st);
	if ((rc = uc3_records_load(&t, NULL, st, id)) < 0)
		goto out;
	uc3_notify_owed(owed, t);
	if (!strchr(owed, 'a'))
		goto out;
	/*
	 * Owed until the SOP's time to the answer has run out: later it would
	 * promise an answer by a time gone, and a policy that turns
	 * acknowledge on does not mail the open tickets of before.
	 */
	if (!answer_due(&by, p, t) || now > by) {
		o->expired = true;
		goto out;
	}
	ctx = uc3_notify_context(p, t);
	to[0] = t->requester.email;
	rc = send_all(o, st, t, to, 1, UC3_ABOUT_RECEIVED, datadir, UC3_NOTIFY_RECEIVED, ctx, now);
	uc3_ynode_free(ctx);
out:
	uc3_ticket_free(t);
	uc3_store_unlock_mail(st);
	return rc;
}

int
uc3_notify_escalated(struct uc3_notify_outcome *o, struct uc3_store *st, const char *id, time_t now,
		     const char *datadir)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	const struct uc3_event *e;
	struct uc3_ticket *t = NULL;
	struct uc3_ynode *ctx, *esc;
	const struct uc3_role *from;
	char **to = NULL;
	size_t n = 0, i, k;
	int rc;

	memset(o, 0, sizeof(*o));
	if (!uc3_notify_owed_under("e", p))
		return 0;
	/* Sent once: whoever else sends about it records first, and is read here. */
	if ((rc = uc3_store_lock_mail(st)) < 0)
		return rc;
	p = uc3_store_policy(st);
	if ((rc = uc3_records_load(&t, NULL, st, id)) < 0 || !(e = escalation(t))) {
		uc3_ticket_free(t);
		uc3_store_unlock_mail(st);
		return rc;
	}
	uc3_notify_holders(&to, &n, p, t->level);
	if (!n)
		for (i = 0; i < p->nnotify_fallback; i++)
			uc3_notify_add(&to, &n, p->notify_fallback[i]);
	o->nobody = !n && p->npeople;
	/* Each person once a step: a second run tells only who was not told. */
	for (i = 0, k = 0; i < n; i++) {
		if (uc3_transition_notified(t, to[i], UC3_ABOUT_ESCALATED, t->level, t->deadline))
			free(to[i]);
		else
			to[k++] = to[i];
	}
	n = k;
	ctx = uc3_notify_context(p, t);
	esc = uc3_ynode_map(UC3_YSTYLE_ANY);
	from = e->from ? uc3_policy_role(p, e->from) : NULL;
	put(esc, "from", e->from);
	put(esc, "from_name", from && from->name ? from->name : e->from);
	put(esc, "by", e->by);
	put(esc, "note", e->note);
	put_time(esc, "at", e->at, p);
	uc3_ynode_map_add(ctx, "escalation", esc);
	rc = n ? send_all(o, st, t, to, n, UC3_ABOUT_ESCALATED, datadir, UC3_NOTIFY_ESCALATED, ctx,
			  now)
	       : 0;
	uc3_ynode_free(ctx);
	for (i = 0; i < n; i++)
		free(to[i]);
	free(to);
	uc3_ticket_free(t);
	uc3_store_unlock_mail(st);
	return rc;
}
