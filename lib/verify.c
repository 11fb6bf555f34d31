#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "history.h"
#include "policy.h"
#include "records.h"
#include "sign.h"
#include "ticket.h"
#include "transition.h"
#include "xalloc.h"

/*
 * The ticket ids in a tree, each with the number of ticket files that
 * hold it: an open-addressing hash set, so that a new ticket is checked
 * against every id before it without reading the year's month folders.
 */
struct idset {
	char **ids;		/* NULL: an empty slot */
	unsigned *count;
	size_t n, cap;
};

static size_t
id_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The slot of id: where it is, or the empty one where it would go. */
static size_t
idset_slot(const struct idset *set, const char *id)
{
	size_t i = id_hash(id) & (set->cap - 1);

	while (set->ids[i] && strcmp(set->ids[i], id))
		i = (i + 1) & (set->cap - 1);
	return i;
}

static unsigned
idset_count(const struct idset *set, const char *id)
{
	size_t i;

	if (!set->cap)
		return 0;
	i = idset_slot(set, id);
	return set->ids[i] ? set->count[i] : 0;
}

/* Add d (1 or -1) to the count of id. A count that falls to 0 is kept. */
static void
idset_add(struct idset *set, const char *id, int d)
{
	size_t i;

	if ((set->n + 1) * 2 > set->cap) {
		struct idset bigger = { 0 };

		bigger.cap = set->cap ? set->cap * 2 : 1024;
		bigger.ids = uc3_xcalloc(bigger.cap, sizeof(*bigger.ids));
		bigger.count = uc3_xcalloc(bigger.cap, sizeof(*bigger.count));
		for (i = 0; i < set->cap; i++) {
			size_t j;

			if (!set->ids[i])
				continue;
			j = idset_slot(&bigger, set->ids[i]);
			bigger.ids[j] = set->ids[i];
			bigger.count[j] = set->count[i];
			bigger.n++;
		}
		free(set->ids);
		free(set->count);
		*set = bigger;
	}
	i = idset_slot(set, id);
	if (!set->ids[i]) {
		set->ids[i] = uc3_xstrdup(id);
		set->n++;
	}
	if (d > 0 || set->count[i])
		set->count[i] += (unsigned)d;
}

static void
idset_release(struct idset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->ids[i]);
	free(set->ids);
	free(set->count);
	memset(set, 0, sizeof(*set));
}

/* Parsed policies, by the id of their blob: a history has few of them. */
struct pcache {
	char blob[41];
	struct uc3_policy *p;	/* NULL: it did not parse */
	char *error;
};

struct vctx {
	struct uc3_store *st;
	const struct uc3_verify_opts *o;
	struct uc3_verify_result *res;
	struct pcache *pol;
	size_t npol, apol;
	char **clean;		/* sorted ids found clean before */
	size_t nclean, aclean;
	char **fresh;		/* found clean in this run */
	size_t nfresh, afresh;
	size_t before;		/* findings before the current commit */
	char *ticket;		/* the one ticket the current commit touches, or NULL */
	bool stranger;		/* its author is not one of the people (reported once) */
	/*
	 * The last policy that read, in the tree of commit good_at or of an
	 * ancestor of it: what a commit after an unreadable uc3.yaml is
	 * checked against.
	 */
	const struct uc3_policy *good;
	char good_at[41];
	/*
	 * The ticket ids in the tree of commit ids_at, kept while the walk
	 * goes from the first commit on, one commit after the other ("" when
	 * it did not: then the tree is asked).
	 */
	struct idset ids;
	char ids_at[41];
	bool ids_valid;
};

static void
finding_kind(struct vctx *v, enum uc3_finding_kind kind, const char *commit, const char *ticket,
	     const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_finding(struct vctx *v, enum uc3_finding_kind kind, const char *commit, const char *ticket,
	    const char *fmt, va_list ap)
{
	struct uc3_verify_result *r = v->res;
	struct uc3_finding *f;
	struct uc3_buf b = UC3_BUF_INIT, e = UC3_BUF_INIT;
	const unsigned char *q;

	uc3_buf_vaddf(&b, fmt, ap);
	/*
	 * A finding quotes what a commit holds, which may be anything: every
	 * control character (C0, DEL, C1) is written as \xNN, so a finding is
	 * one line and never drives the auditor's terminal.
	 */
	for (q = (const unsigned char *)b.ptr; *q; q++) {
		if (*q < 0x20 || *q == 0x7f)
			uc3_buf_addf(&e, "\\x%02x", *q);
		else if (*q == 0xc2 && q[1] >= 0x80 && q[1] <= 0x9f)
			uc3_buf_addf(&e, "\\x%02x", *++q);
		else
			uc3_buf_addch(&e, (char)*q);
	}
	uc3_buf_release(&b);
	uc3_xgrow((void **)&r->findings, &r->alloc, r->nfindings + 1, sizeof(*r->findings));
	f = &r->findings[r->nfindings++];
	f->kind = kind;
	snprintf(f->commit, sizeof(f->commit), "%s", commit);
	f->ticket = ticket ? uc3_xstrdup(ticket) : NULL;
	f->what = uc3_buf_detach(&e);
}

static void
finding_kind(struct vctx *v, enum uc3_finding_kind kind, const char *commit, const char *ticket,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_finding(v, kind, commit, ticket, fmt, ap);
	va_end(ap);
}

static void
finding(struct vctx *v, const char *commit, const char *ticket, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static void
finding(struct vctx *v, const char *commit, const char *ticket, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_finding(v, UC3_FIND_CONTENT, commit, ticket, fmt, ap);
	va_end(ap);
}

static void
add_verdict(struct uc3_verify_result *r, const char *commit, char verdict)
{
	struct uc3_commit_verdict *cv;

	uc3_xgrow((void **)&r->verdicts, &r->averdicts, r->nverdicts + 1, sizeof(*r->verdicts));
	cv = &r->verdicts[r->nverdicts++];
	snprintf(cv->commit, sizeof(cv->commit), "%s", commit);
	cv->verdict = verdict;
}

char
uc3_verify_verdict(const struct uc3_verify_result *r, const char *commit)
{
	size_t i;

	for (i = 0; i < r->nverdicts; i++)
		if (!strcmp(r->verdicts[i].commit, commit))
			return r->verdicts[i].verdict;
	return 0;
}

/*
 * The policy in the tree of commit rev, or NULL when there is none or it
 * does not read (*error then says why; borrowed).
 */
static const struct uc3_policy *
policy_at(struct vctx *v, const char *rev, const char **error)
{
	struct uc3_buf data = UC3_BUF_INIT;
	char blob[41] = "";
	struct pcache *c;
	size_t i;
	int rc;

	*error = NULL;
	if (!rev || !*rev)
		return NULL;
	rc = uc3_store_read_at(&data, blob, v->st, rev, UC3_POLICY_FILE);
	if (rc < 0 && !blob[0]) {
		uc3_buf_release(&data);
		*error = "no uc3.yaml";
		return NULL;
	}
	for (i = 0; i < v->npol; i++)
		if (!strcmp(v->pol[i].blob, blob)) {
			uc3_buf_release(&data);
			*error = v->pol[i].error;
			return v->pol[i].p;
		}
	uc3_xgrow((void **)&v->pol, &v->apol, v->npol + 1, sizeof(*v->pol));
	c = &v->pol[v->npol++];
	memset(c, 0, sizeof(*c));
	memcpy(c->blob, blob, sizeof(blob));
	if (rc < 0 || uc3_policy_parse(&c->p, data.ptr, data.len, UC3_POLICY_FILE) < 0) {
		/* A blob too large to read is refused as one that does not parse. */
		c->p = NULL;
		c->error = uc3_xstrdup(uc3_error_last());
	}
	uc3_buf_release(&data);
	*error = c->error;
	return c->p;
}

/*
 * The policy commit c is judged by: the one in its parent's tree or, when
 * that does not read, the last one before it that did. So a commit that
 * breaks uc3.yaml is a finding, and the commits after it are still checked
 * against people, roles and keys: the one that repairs it too. NULL for a
 * root commit, or when no policy before c reads.
 */
static const struct uc3_policy *
policy_before(struct vctx *v, const struct uc3_commit *c)
{
	const struct uc3_policy *p;
	const char *err;
	char rev[41], up[41];

	if (!c->nparents)
		return NULL;
	if ((p = policy_at(v, c->parent, &err)))
		return p;
	/* Walking the history in order, the commit before is the parent. */
	if (!strcmp(v->good_at, c->parent))
		return v->good;
	memcpy(rev, c->parent, sizeof(rev));
	while (uc3_store_parent(up, v->st, rev) == 0) {
		memcpy(rev, up, sizeof(rev));
		if ((p = policy_at(v, rev, &err)))
			return p;
	}
	uc3_error_clear();
	return NULL;
}

static bool
streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/*
 * Append to out the keys of the map got that the map want does not have,
 * ", " between them. True when there is any.
 */
static bool
extra_keys(struct uc3_buf *out, const struct uc3_ynode *got, const struct uc3_ynode *want)
{
	size_t i, n = 0;

	for (i = 0; got && got->type == UC3_YMAP && i < got->n; i++) {
		if (uc3_ynode_get(want, got->keys[i]))
			continue;
		uc3_buf_addf(out, "%s%s", n++ ? ", " : "", got->keys[i]);
	}
	return n > 0;
}

/* Name the first field in which what uc3 would have written differs from the file. */
static void
describe_difference(struct uc3_buf *out, const struct uc3_ticket *want,
		    const struct uc3_ticket *got)
{
	static const char *const names[] = { "subject", "kind", "channel", "requester name",
					     "requester email", "requester phone", "unit",
					     "received", "level", "deadline", "body", "answer" };
	const char *w[] = { want->subject, want->kind, want->channel, want->requester.name,
			    want->requester.email, want->requester.phone, want->unit,
			    want->received, want->level, want->deadline, want->body,
			    want->answer };
	const char *g[] = { got->subject, got->kind, got->channel, got->requester.name,
			    got->requester.email, got->requester.phone, got->unit,
			    got->received, got->level, got->deadline, got->body, got->answer };
	struct uc3_buf keys = UC3_BUF_INIT;
	size_t i;

	if (extra_keys(&keys, got->extra, want->extra)) {
		uc3_buf_addf(out, "the file has a field uc3 does not write: %s", keys.ptr);
		uc3_buf_release(&keys);
		return;
	}
	if (want->nevents == got->nevents && got->nevents) {
		const struct uc3_event *a = &want->events[want->nevents - 1];
		const struct uc3_event *b = &got->events[got->nevents - 1];
		static const char *const enames[] = { "from", "to", "note", "step" };
		const bool has[] = { b->from && !a->from, b->to && !a->to, b->note && !a->note,
				     b->step.name && !a->step.name };

		for (i = 0; i < sizeof(enames) / sizeof(enames[0]); i++)
			if (has[i])
				uc3_buf_addf(&keys, "%s%s", keys.len ? ", " : "", enames[i]);
		if (extra_keys(&keys, b->extra, a->extra) || keys.len) {
			uc3_buf_addf(out, "the new event has a field uc3 does not write: %s", keys.ptr);
			uc3_buf_release(&keys);
			return;
		}
	}
	uc3_buf_release(&keys);
	if (want->status != got->status) {
		uc3_buf_addf(out, "status is %s where the step gives %s",
			     uc3_status_name(got->status), uc3_status_name(want->status));
		return;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (streq(w[i], g[i]))
			continue;
		if (w[i] && g[i] && !strchr(w[i], '\n') && !strchr(g[i], '\n') &&
		    strlen(w[i]) + strlen(g[i]) < 160)
			uc3_buf_addf(out, "%s is '%s' where the step gives '%s'", names[i], g[i], w[i]);
		else
			uc3_buf_addf(out, "%s differs from what the step writes", names[i]);
		return;
	}
	if (want->nevents == got->nevents && got->nevents &&
	    !uc3_event_equal(&want->events[want->nevents - 1], &got->events[got->nevents - 1])) {
		const struct uc3_event *a = &want->events[want->nevents - 1];
		const struct uc3_event *b = &got->events[got->nevents - 1];

		if (!streq(a->step.due, b->step.due))
			uc3_buf_addf(out, "the event's step due is %s where the step gives %s",
				     b->step.due ? b->step.due : "none", a->step.due ? a->step.due : "none");
		else if (a->step.late != b->step.late)
			uc3_buf_addf(out, "the event says late: %s, but it was %s",
				     b->step.late ? "true" : "false", a->step.late ? "late" : "on time");
		else
			uc3_buf_adds(out, "the new event differs from what the step writes");
		return;
	}
	uc3_buf_adds(out, "the file is not what uc3 writes (its layout or extra fields differ)");
}

static bool
person_has_role(const struct uc3_person *who, const char *role)
{
	size_t i;

	for (i = 0; who && i < who->nroles; i++)
		if (!strcmp(who->roles[i], role))
			return true;
	return false;
}

/*
 * A commit message taken apart as uc3 writes one: the subject line, the
 * text after it (an event's note), and the trailers of its last paragraph.
 */
struct trailer {
	char *key;
	char *value;		/* NULL: a line that is not "Key: value" */
	bool matched;
};

struct msgparts {
	char *subject;
	char *text;
	struct trailer *tr;
	size_t ntr, atr;
};

static void
msg_split(struct msgparts *m, const char *msg)
{
	const char *nl = strchr(msg, '\n');
	const char *rest = nl ? nl + 1 : msg + strlen(msg);
	const char *para = NULL, *p, *end;

	memset(m, 0, sizeof(*m));
	m->subject = uc3_xstrndup(msg, (size_t)(rest - msg) - (nl ? 1 : 0));
	for (p = msg; (p = strstr(p, "\n\n")); p += 2)
		if (p[2] && p + 2 > rest)
			para = p + 2;
	if (para && strspn(para, "\n") == strlen(para))
		para = NULL;
	end = para ? para : rest + strlen(rest);
	while (rest < end && *rest == '\n')
		rest++;
	while (end > rest && end[-1] == '\n')
		end--;
	m->text = uc3_xstrndup(rest, (size_t)(end - rest));
	for (p = para; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		struct trailer *t;

		if (len) {
			uc3_xgrow((void **)&m->tr, &m->atr, m->ntr + 1, sizeof(*m->tr));
			t = &m->tr[m->ntr++];
			memset(t, 0, sizeof(*t));
			if (colon && colon + 1 < p + len && colon[1] == ' ') {
				t->key = uc3_xstrndup(p, (size_t)(colon - p));
				t->value = uc3_xstrndup(colon + 2, len - (size_t)(colon - p) - 2);
			} else {
				t->key = uc3_xstrndup(p, len);
			}
		}
		p = eol ? eol + 1 : NULL;
	}
}

static void
msg_release(struct msgparts *m)
{
	size_t i;

	for (i = 0; i < m->ntr; i++) {
		free(m->tr[i].key);
		free(m->tr[i].value);
	}
	free(m->tr);
	free(m->subject);
	free(m->text);
}

/* Quote s for a finding, or say only that it differs when it is long. */
static void
add_quoted(struct uc3_buf *out, const char *s)
{
	if (strlen(s) <= 120)
		uc3_buf_addf(out, "'%s'", s);
	else
		uc3_buf_addf(out, "'%.100s...'", s);
}

/*
 * The commit message must say what the commit did: its subject line, its
 * text (the event's note) and every trailer as uc3 writes them for the
 * step (want), no trailer missing, changed or added. One finding names
 * each difference.
 */
static void
check_message(struct vctx *v, const struct uc3_commit *c, const char *ticket, const char *want)
{
	struct msgparts w, g;
	struct uc3_buf why = UC3_BUF_INIT;
	size_t i, j;

	msg_split(&w, want);
	msg_split(&g, c->message);
	if (strcmp(w.subject, g.subject)) {
		uc3_buf_adds(&why, "the subject is ");
		add_quoted(&why, g.subject);
		uc3_buf_adds(&why, " where uc3 writes ");
		add_quoted(&why, w.subject);
	}
	if (strcmp(w.text, g.text))
		uc3_buf_addf(&why, "%sits text is not the event's note", why.len ? "; " : "");
	for (i = 0; i < w.ntr; i++) {
		struct trailer *t = &w.tr[i], *hit = NULL;

		for (j = 0; j < g.ntr && !hit; j++)
			if (!g.tr[j].matched && !strcmp(g.tr[j].key, t->key))
				hit = &g.tr[j];
		if (why.len)
			uc3_buf_adds(&why, "; ");
		if (!hit) {
			uc3_buf_addf(&why, "no %s trailer where uc3 writes %s", t->key,
				     t->value ? t->value : "");
			continue;
		}
		hit->matched = true;
		if (streq(hit->value, t->value)) {
			if (why.len)
				uc3_buf_setlen(&why, why.len - 2);
			continue;
		}
		uc3_buf_addf(&why, "%s: %s where uc3 writes %s", t->key,
			     hit->value ? hit->value : "", t->value ? t->value : "");
	}
	for (j = 0; j < g.ntr; j++) {
		if (g.tr[j].matched)
			continue;
		if (g.tr[j].value)
			uc3_buf_addf(&why, "%sa %s trailer, which uc3 does not write",
				     why.len ? "; " : "", g.tr[j].key);
		else
			uc3_buf_addf(&why, "%sa line '%s' among the trailers, which uc3 does not write",
				     why.len ? "; " : "", g.tr[j].key);
	}
	if (why.len)
		finding(v, c->id, ticket, "the message is not what uc3 writes for this step: %s",
			why.ptr);
	uc3_buf_release(&why);
	msg_release(&w);
	msg_release(&g);
}

/*
 * When the time at is earlier than anything before event n of t (its
 * events, its receipt), say what, in why, and return true.
 */
static bool
backdated(struct uc3_buf *why, const struct uc3_ticket *t, size_t n, time_t at)
{
	time_t latest;
	long which;

	if (!uc3_ticket_latest(&latest, &which, t, n) || at >= latest)
		return false;
	if (which < 0)
		uc3_buf_addf(why, "before it was received (%s)", t->received);
	else
		uc3_buf_addf(why, "before event %ld (%s) at %s", which + 1,
			     t->events[which].action ? t->events[which].action : "?",
			     t->events[which].at);
	return true;
}

/*
 * A ticket lives at tickets/YEAR/MONTH/ID.yaml: the year of its id, the
 * month it was received (as its received time, in the policy's zone when
 * it was registered, says). uc3 writes it there and never moves it.
 */
static void
check_path(struct vctx *v, const struct uc3_commit *c, const struct uc3_change *ch,
	   const struct uc3_ticket *t)
{
	int year, ry, rm;
	char *want;

	if (!uc3_ticket_id_parse(t->id, NULL, &year, NULL) || !t->received ||
	    sscanf(t->received, "%4d-%2d", &ry, &rm) != 2)
		return;
	want = uc3_store_ticket_path(t->id, year, rm);
	if (strcmp(want, ch->path))
		finding(v, c->id, t->id,
			"the ticket is at %s, where uc3 keeps it at %s "
			"(the year of its id, the month it was received)",
			ch->path, want);
	free(want);
}

/* Copy t's time field s as uc3 writes it, in the zone tz; as it is if it does not read. */
static char *
time_as_written(const char *s, const char *tz)
{
	char *out = NULL;
	time_t at;

	if (s && uc3_clock_parse(&at, s, NULL) == 0 && uc3_clock_format_str(&out, at, tz) == 0)
		return out;
	uc3_error_clear();
	free(out);
	return s ? uc3_xstrdup(s) : NULL;
}

static char *
dup0(const char *s)
{
	return s ? uc3_xstrdup(s) : NULL;
}

/*
 * The ticket uc3 new writes for what t says was typed, under policy p
 * with that deadline: the fields as uc3 new trims and normalises them,
 * one event, nothing else. Free with uc3_ticket_free.
 */
static struct uc3_ticket *
new_as_written(const struct uc3_ticket *t, const struct uc3_policy *p, const char *deadline)
{
	struct uc3_ticket *w = uc3_ticket_new();
	struct uc3_event *e;

	w->id = dup0(t->id);
	w->subject = dup0(t->subject);
	w->kind = dup0(t->kind);
	w->channel = dup0(t->channel);
	w->requester.name = uc3_text_trim(t->requester.name);
	w->requester.email = uc3_text_trim(t->requester.email);
	w->requester.phone = dup0(t->requester.phone);
	w->unit = uc3_text_trim(t->unit);
	w->received = time_as_written(t->received, p->timezone);
	w->status = UC3_STATUS_OPEN;
	w->level = uc3_xstrdup(p->roles[0].id);
	w->deadline = dup0(deadline);
	w->body = t->body ? uc3_text_normalize(t->body, strlen(t->body)) : uc3_xstrdup("");
	e = uc3_ticket_add_event(w);
	e->at = time_as_written(t->events[0].at, p->timezone);
	e->by = dup0(t->events[0].by);
	e->action = uc3_xstrdup("new");
	return w;
}

/*
 * A `new` commit: the ticket must be one uc3 new registers, with what it
 * checks of what was typed, at its own id, byte for byte as it writes it.
 */
static void
check_new(struct vctx *v, const struct uc3_commit *c, const struct uc3_ticket *new,
	  const struct uc3_change *ch, const struct uc3_policy *p, time_t at)
{
	const struct uc3_event *ev = &new->events[0];
	struct uc3_ticket *want = NULL;
	struct uc3_buf d = UC3_BUF_INIT, text = UC3_BUF_INIT, why = UC3_BUF_INIT,
		       msg = UC3_BUF_INIT;
	char *where = NULL;
	int year, ry = 0;
	time_t rec, due;

	if (uc3_transition_may_register(p, c->author_email) < 0) {
		if (!v->stranger)
			finding_kind(v, UC3_FIND_ROLE, c->id, new->id, "%s", uc3_error_last());
		goto out;
	}
	if (uc3_ticket_check(new, p) < 0) {
		finding(v, c->id, new->id, "uc3 new refuses it: %s", uc3_error_last());
		goto out;
	}
	if (!new->body || !new->body[strspn(new->body, " \t\n")]) {
		finding(v, c->id, new->id, "uc3 new refuses it: the body is empty");
		goto out;
	}
	/* Its id: the policy's prefix and the year it was received. */
	if (!uc3_ticket_id_parse(new->id, p->id_prefix, &year, NULL) ||
	    sscanf(new->received, "%4d", &ry) != 1 || year != ry) {
		finding(v, c->id, new->id,
			"the id %s is not one uc3 new gives a ticket received %s under the prefix %s",
			new->id, new->received, p->id_prefix);
		goto out;
	}
	if (c->nparents &&
	    (!v->ids_valid || strcmp(v->ids_at, c->parent) || idset_count(&v->ids, new->id)) &&
	    uc3_store_find_ticket_at(&where, v->st, c->parent, new->id) == 0)
		finding(v, c->id, new->id, "Action new, but %s is already in the tree, at %s",
			new->id, where);
	uc3_error_clear();
	if (new->nevents != 1 || new->status != UC3_STATUS_OPEN || !p->nroles ||
	    !streq(new->level, p->roles[0].id) || new->answer || ev->step.name) {
		finding(v, c->id, new->id, "a new ticket must be open at %s with one event and no answer",
			p->nroles ? p->roles[0].id : "the bottom of the chain");
		goto out;
	}
	if (uc3_clock_parse(&rec, new->received, NULL) < 0 ||
	    uc3_calendar_add(&due, &p->calendar, p->timezone, rec, p->roles[0].step) < 0 ||
	    uc3_clock_format(&d, due, p->timezone) < 0 || !streq(d.ptr, new->deadline)) {
		finding(v, c->id, new->id, "deadline is %s where the step gives %s",
			new->deadline ? new->deadline : "none", d.len ? d.ptr : "?");
		goto out;
	}
	if (rec > at + v->o->skew) {
		finding(v, c->id, new->id, "received %s, after it was registered (%s)", new->received,
			ev->at);
		goto out;
	}
	want = new_as_written(new, p, d.ptr);
	if (uc3_ticket_format(&text, want) < 0 || text.len != ch->new_len ||
	    memcmp(text.ptr, ch->new_data, text.len)) {
		describe_difference(&why, want, new);
		finding(v, c->id, new->id, "%s", why.ptr);
		goto out;
	}
	uc3_transition_new_message(&msg, want);
	check_message(v, c, new->id, msg.ptr);
out:
	uc3_error_clear();
	uc3_ticket_free(want);
	uc3_buf_release(&d);
	uc3_buf_release(&text);
	uc3_buf_release(&why);
	uc3_buf_release(&msg);
	free(where);
}

/*
 * A ticket's file as this commit left it must be exactly what its step
 * writes from the file before it, under the policy before it, at its
 * place, and the commit's message what uc3 writes for that step.
 */
static void
check_ticket(struct vctx *v, const struct uc3_commit *c, const struct uc3_change *ch,
	     const struct uc3_policy *p)
{
	struct uc3_ticket *old = NULL, *new = NULL, *want = NULL;
	struct uc3_buf msg = UC3_BUF_INIT, text = UC3_BUF_INIT, why = UC3_BUF_INIT;
	char *tid = NULL, *action = NULL, *name = NULL;
	const char *slash = strrchr(ch->path, '/');
	const struct uc3_event *ev;
	time_t at;
	size_t i;

	name = uc3_xstrdup(slash ? slash + 1 : ch->path);
	if (strlen(name) > 5 && !strcmp(name + strlen(name) - 5, ".yaml"))
		name[strlen(name) - 5] = '\0';
	if (!ch->new_mode) {
		finding(v, c->id, name, "removes the ticket file %s", ch->path);
		goto out;
	}
	if (!ch->new_data) {
		finding(v, c->id, name, "the file does not read: %s: %zu bytes, over the limit of %zu",
			ch->path, ch->new_len, (size_t)UC3_TICKET_FILE_MAX);
		goto out;
	}
	if (uc3_ticket_parse(&new, ch->new_data, ch->new_len, ch->path) < 0) {
		finding(v, c->id, name, "the file does not read: %s", uc3_error_last());
		goto out;
	}
	tid = uc3_commit_trailer(c->message, "Ticket");
	action = uc3_commit_trailer(c->message, "Action");
	if (!tid || !action) {
		finding(v, c->id, new->id,
			"changes %s without uc3's trailers (Ticket, Action): edited outside uc3",
			ch->path);
		goto out;
	}
	if (strcmp(tid, new->id) || strcmp(name, new->id)) {
		finding(v, c->id, new->id, "the Ticket trailer says %s, the file %s holds %s", tid,
			ch->path, new->id);
		goto out;
	}
	if (ch->old_mode && !ch->old_data) {
		finding(v, c->id, new->id,
			"the file before this commit does not read: %s: %zu bytes, over the limit of %zu",
			ch->path, ch->old_len, (size_t)UC3_TICKET_FILE_MAX);
		goto out;
	}
	if (ch->old_data && uc3_ticket_parse(&old, ch->old_data, ch->old_len, ch->path) < 0) {
		finding(v, c->id, new->id, "the file before this commit does not read: %s",
			uc3_error_last());
		goto out;
	}
	if (!p) {
		finding(v, c->id, new->id, "there is no readable policy to check it against");
		goto out;
	}
	if (!new->nevents) {
		finding(v, c->id, new->id, "the ticket has no events");
		goto out;
	}
	check_path(v, c, ch, new);
	/* Earlier events stay as they were, byte for byte. */
	if (old) {
		for (i = 0; i < old->nevents; i++) {
			if (i >= new->nevents) {
				finding(v, c->id, new->id, "event %zu (%s at %s) was removed", i + 1,
					old->events[i].action, old->events[i].at);
				goto out;
			}
			if (!uc3_event_equal(&old->events[i], &new->events[i])) {
				finding(v, c->id, new->id, "event %zu (%s at %s) was changed", i + 1,
					old->events[i].action, old->events[i].at);
				goto out;
			}
		}
		if (new->nevents != old->nevents + 1) {
			finding(v, c->id, new->id, "appends %zu events where %s appends one",
				new->nevents - old->nevents, action);
			goto out;
		}
	}
	ev = &new->events[new->nevents - 1];
	if (!streq(ev->action, action)) {
		finding(v, c->id, new->id, "the Action trailer says %s, the event it appends says %s",
			action, ev->action);
		goto out;
	}
	if (!ev->by || strcasecmp(ev->by, c->author_email)) {
		finding(v, c->id, new->id, "the event is by %s, the commit by %s",
			ev->by ? ev->by : "nobody", c->author_email);
		goto out;
	}
	if (uc3_clock_parse(&at, ev->at, NULL) < 0) {
		finding(v, c->id, new->id, "the event's time '%s' does not read", ev->at);
		goto out;
	}
	if ((long long)at > c->commit_time + v->o->skew) {
		struct uc3_buf ct = UC3_BUF_INIT;

		uc3_clock_format(&ct, (time_t)c->commit_time, p->timezone);
		finding(v, c->id, new->id, "the event is dated %s, after its commit (%s)", ev->at,
			ct.ptr);
		uc3_buf_release(&ct);
		goto out;
	}

	/* Do the step again, from the file before, and compare. */
	if (!strcmp(action, "new")) {
		if (old) {
			finding(v, c->id, new->id, "Action new, but the ticket was there before");
			goto out;
		}
		check_new(v, c, new, ch, p, at);
		goto out;
	}
	/* Events never go back in time, nor before the ticket was received. */
	if (backdated(&why, new, new->nevents - 1, at)) {
		finding(v, c->id, new->id, "the event is dated %s, %s: backdated", ev->at, why.ptr);
		goto out;
	}
	{
		struct uc3_act act = { 0 };
		static const struct {
			const char *name;
			enum uc3_action a;
		} acts[] = { { "escalate", UC3_ACT_ESCALATE },
			     { "answer", UC3_ACT_ANSWER },
			     { "deliver", UC3_ACT_DELIVER },
			     { "close", UC3_ACT_CLOSE } };
		bool known = false;

		for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++)
			if (!strcmp(action, acts[i].name)) {
				act.action = acts[i].a;
				known = true;
			}
		if (!known) {
			finding(v, c->id, new->id, "unknown action '%s'", action);
			goto out;
		}
		if (!old) {
			finding(v, c->id, new->id, "Action %s, but the ticket was not there before",
				action);
			goto out;
		}
		if (uc3_transition_allowed(old, p, act.action, ev->by) < 0) {
			if (!v->stranger)
				finding_kind(v, UC3_FIND_ROLE, c->id, new->id, "%s", uc3_error_last());
			goto out;
		}
		act.policy = p;
		act.actor = ev->by;
		act.now = at;
		act.note = ev->note;
		act.text = new->answer;
		act.unit = new->unit;
		if (uc3_ticket_parse(&want, ch->old_data, ch->old_len, ch->path) < 0 ||
		    uc3_transition_apply(want, &act, &msg) < 0) {
			finding(v, c->id, new->id, "%s", uc3_error_last());
			goto out;
		}
		if (uc3_ticket_format(&text, want) < 0 || text.len != ch->new_len ||
		    memcmp(text.ptr, ch->new_data, text.len)) {
			describe_difference(&why, want, new);
			finding(v, c->id, new->id, "%s", why.ptr);
			goto out;
		}
		check_message(v, c, new->id, msg.ptr);
	}
out:
	uc3_ticket_free(old);
	uc3_ticket_free(new);
	uc3_ticket_free(want);
	uc3_buf_release(&msg);
	uc3_buf_release(&text);
	uc3_buf_release(&why);
	free(tid);
	free(action);
	free(name);
}

/*
 * uc3 overdue --mail records the notices of one run in one commit: each
 * ticket it touches only gains `notice` events, by the commit's author.
 */
static void
check_notices(struct vctx *v, const struct uc3_commit *c, const struct uc3_change *ch,
	      const struct uc3_policy *p)
{
	struct uc3_ticket *old = NULL, *new = NULL;
	struct uc3_buf text = UC3_BUF_INIT, why = UC3_BUF_INIT;
	size_t i;

	if (!ch->old_data || !ch->new_data ||
	    uc3_ticket_parse(&old, ch->old_data, ch->old_len, ch->path) < 0 ||
	    uc3_ticket_parse(&new, ch->new_data, ch->new_len, ch->path) < 0) {
		finding(v, c->id, NULL, "%s: a notice commit must only add events to a ticket "
					"that reads before and after",
			ch->path);
		goto out;
	}
	if (p && uc3_transition_may_register(p, c->author_email) < 0) {
		if (!v->stranger)
			finding_kind(v, UC3_FIND_ROLE, c->id, new->id, "%s", uc3_error_last());
		goto out;
	}
	for (i = 0; i < old->nevents; i++)
		if (i >= new->nevents || !uc3_event_equal(&old->events[i], &new->events[i])) {
			finding(v, c->id, new->id, "event %zu (%s at %s) was %s", i + 1,
				old->events[i].action, old->events[i].at,
				i >= new->nevents ? "removed" : "changed");
			goto out;
		}
	if (new->nevents == old->nevents) {
		finding(v, c->id, new->id, "a notice commit that appends no notice");
		goto out;
	}
	for (i = old->nevents; i < new->nevents; i++) {
		const struct uc3_event *e = &new->events[i];
		struct uc3_event *copy;
		time_t at;

		if (!e->action || strcmp(e->action, "notice") || !e->to || !e->step.name ||
		    !e->step.due) {
			finding(v, c->id, new->id, "event %zu is not a notice (action, to, step)", i + 1);
			goto out;
		}
		if (!e->by || strcasecmp(e->by, c->author_email)) {
			finding(v, c->id, new->id, "the notice is by %s, the commit by %s",
				e->by ? e->by : "nobody", c->author_email);
			goto out;
		}
		if (!e->at || uc3_clock_parse(&at, e->at, NULL) < 0 ||
		    (long long)at > c->commit_time + v->o->skew) {
			finding(v, c->id, new->id, "the notice is dated %s, after its commit",
				e->at ? e->at : "?");
			goto out;
		}
		if (backdated(&why, new, i, at)) {
			finding(v, c->id, new->id, "the notice is dated %s, %s: backdated", e->at,
				why.ptr);
			goto out;
		}
		/* The old ticket with the notices appended must be the new file. */
		copy = uc3_ticket_add_event(old);
		copy->at = uc3_xstrdup(e->at);
		copy->by = uc3_xstrdup(e->by);
		copy->action = uc3_xstrdup(e->action);
		copy->to = uc3_xstrdup(e->to);
		copy->step.name = uc3_xstrdup(e->step.name);
		copy->step.due = uc3_xstrdup(e->step.due);
		copy->step.late = e->step.late;
		copy->note = e->note ? uc3_xstrdup(e->note) : NULL;
	}
	if (uc3_ticket_format(&text, old) < 0 || text.len != ch->new_len ||
	    memcmp(text.ptr, ch->new_data, text.len))
		finding(v, c->id, new->id, "a notice commit changed more than the notices");
out:
	uc3_ticket_free(old);
	uc3_ticket_free(new);
	uc3_buf_release(&text);
	uc3_buf_release(&why);
}

static bool
notice_commit(const char *msg)
{
	char *a = uc3_commit_trailer(msg, "Action");
	bool yes = a && !strcmp(a, "notice");

	free(a);
	return yes;
}

/*
 * What a path of the records is: a ticket file, tickets/YEAR/MONTH/ID.yaml
 * (a month 01 to 12, an id of that year); a file the policy governs:
 * uc3.yaml, README.md, templates/NAME; or neither, under tickets/ or not.
 */
enum path_kind {
	PATH_TICKET,
	PATH_GOVERNED,
	PATH_STRAY_TICKETS,
	PATH_STRAY
};

static enum path_kind
path_kind(const char *path)
{
	const char *p = path + 8, *name;
	char id[256];
	size_t len;
	int year, y, month;

	if (!strcmp(path, UC3_POLICY_FILE) || !strcmp(path, "README.md") ||
	    (!strncmp(path, "templates/", 10) && path[10] && !strchr(path + 10, '/')))
		return PATH_GOVERNED;
	if (strncmp(path, "tickets/", 8))
		return PATH_STRAY;
	if (strspn(p, "0123456789") != 4 || p[4] != '/' || strspn(p + 5, "0123456789") != 2 ||
	    p[7] != '/')
		return PATH_STRAY_TICKETS;
	year = atoi(p);
	month = atoi(p + 5);
	name = p + 8;
	len = strlen(name);
	if (month < 1 || month > 12 || strchr(name, '/') || len <= 5 || len - 5 >= sizeof(id) ||
	    strcmp(name + len - 5, ".yaml"))
		return PATH_STRAY_TICKETS;
	memcpy(id, name, len - 5);
	id[len - 5] = '\0';
	if (!uc3_ticket_id_parse(id, NULL, &y, NULL) || y != year)
		return PATH_STRAY_TICKETS;
	return PATH_TICKET;
}

/* What a mode other than a plain file's is, for people. */
static const char *
mode_name(unsigned mode)
{
	switch (mode) {
	case 0100755:
		return "executable";
	case 0120000:
		return "a symbolic link";
	case 0160000:
		return "a submodule";
	default:
		return "not a plain file";
	}
}

/* Cache lines are "ID V": the order and the search look at the id alone. */
static int
cmp_id(const void *a, const void *b)
{
	return strncmp(*(char *const *)a, *(char *const *)b, 40);
}

static bool
skip_clean(const char *id, void *ctx)
{
	struct vctx *v = ctx;
	const char *key = id;
	char **hit;

	if (!v->nclean)
		return false;
	hit = bsearch(&key, v->clean, v->nclean, sizeof(*v->clean), cmp_id);
	if (!hit)
		return false;
	v->res->commits++;
	v->res->cached++;
	add_verdict(v->res, id, (*hit)[41] ? (*hit)[41] : 'u');
	return true;
}

static int
visit(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *ctx)
{
	struct vctx *v = ctx;
	struct uc3_verify_result *r = v->res;
	const char *nerr = NULL;
	const struct uc3_policy *before = policy_before(v, c);
	const struct uc3_policy *now = NULL, *p;
	const struct uc3_person *who = NULL;
	enum uc3_verdict verdict = UC3_VERDICT_UNCHECKED;
	struct uc3_buf governed = UC3_BUF_INIT;
	bool policy_changed = false, ticket_ok = true;
	size_t i, ntickets = 0, ticket = 0;

	r->commits++;
	v->before = r->nfindings;
	v->stranger = false;
	for (i = 0; i < nch; i++) {
		enum path_kind k = path_kind(ch[i].path);

		if (k == PATH_TICKET) {
			ntickets++;
			ticket = i;
		} else if (k == PATH_GOVERNED) {
			uc3_buf_addf(&governed, "%s%s", governed.len ? ", " : "", ch[i].path);
		}
		if (!strcmp(ch[i].path, UC3_POLICY_FILE))
			policy_changed = true;
	}
	if (policy_changed || !c->nparents) {
		now = policy_at(v, c->id, &nerr);
		if (!now)
			finding(v, c->id, NULL, "uc3.yaml does not read: %s", nerr ? nerr : "missing");
	}
	/* The root commit is judged by the policy it lays down. */
	p = c->nparents ? before : now;
	/* Findings about the commit as a whole name its ticket, when it has one. */
	if (ntickets == 1) {
		const char *slash = strrchr(ch[ticket].path, '/');

		v->ticket = uc3_xstrdup(slash ? slash + 1 : ch[ticket].path);
		if (strlen(v->ticket) > 5 && !strcmp(v->ticket + strlen(v->ticket) - 5, ".yaml"))
			v->ticket[strlen(v->ticket) - 5] = '\0';
	}
	if (c->nparents > 1)
		finding(v, c->id, NULL, "is a merge; the records' history is a single line");

	/*
	 * Every path is a ticket file, or a file the policy governs, and a
	 * plain file (mode 100644): nothing else belongs in the records.
	 */
	for (i = 0; i < nch; i++) {
		enum path_kind k = path_kind(ch[i].path);

		if (!ch[i].new_mode)
			continue;
		if (ch[i].new_mode == 040000)
			finding(v, c->id, v->ticket,
				"%s: folders nested deeper than any file of the records", ch[i].path);
		else if (ch[i].new_mode != 0100644)
			finding(v, c->id, v->ticket,
				"%s has mode %06o (%s); the files of the records have mode 100644",
				ch[i].path, ch[i].new_mode, mode_name(ch[i].new_mode));
		else if (k == PATH_STRAY_TICKETS)
			finding(v, c->id, v->ticket,
				"%s is not a ticket file (tickets/YEAR/MONTH/ID.yaml)", ch[i].path);
		else if (k == PATH_STRAY)
			finding(v, c->id, v->ticket,
				"%s is not a file of the records (uc3.yaml, README.md, templates/NAME, "
				"tickets/YEAR/MONTH/ID.yaml)",
				ch[i].path);
		if (k == PATH_TICKET && ch[i].new_mode != 0100644)
			ticket_ok = false;
	}

	/* The author: one of the people, once the policy lists any. */
	if (p && p->npeople) {
		who = uc3_policy_person(p, c->author_email);
		if (!who) {
			v->stranger = true;
			finding_kind(v, UC3_FIND_ROLE, c->id, v->ticket,
				     "%s %s, who is not one of the people in uc3.yaml",
				     c->is_signed ? "signed by" : "by", c->author_email);
		}
	}
	/* The signature, against the keys of the policy before the commit. */
	if (c->is_signed && who) {
		char *why = NULL;

		if (uc3_sign_verify(&verdict, &why, c->signed_data, c->signed_len, c->signature,
				    c->signature_len, who->email, (const char *const *)who->keys,
				    who->nkeys) < 0)
			finding_kind(v, UC3_FIND_SIGNATURE, c->id, v->ticket,
				     "cannot check the signature: %s", uc3_error_last());
		else if (verdict != UC3_VERDICT_GOOD)
			finding_kind(v, UC3_FIND_SIGNATURE, c->id, v->ticket, "%s",
				     why ? why : "bad signature");
		free(why);
	} else if (!c->is_signed && p && p->require_signed && c->nparents) {
		finding_kind(v, UC3_FIND_SIGNATURE, c->id, v->ticket,
			     "not signed, and the policy requires signed commits");
	}

	/* Commits never go back in time: a clock off by more than the skew is a backdate. */
	if (c->nparents && c->parent_time && c->commit_time + v->o->skew < c->parent_time) {
		struct uc3_buf ct = UC3_BUF_INIT, pt = UC3_BUF_INIT;
		const char *tz = p ? p->timezone : NULL;

		uc3_clock_format(&ct, (time_t)c->commit_time, tz);
		uc3_clock_format(&pt, (time_t)c->parent_time, tz);
		finding(v, c->id, v->ticket, "committed at %s, before its parent %.7s (%s): backdated",
			ct.ptr, c->parent, pt.ptr);
		uc3_buf_release(&ct);
		uc3_buf_release(&pt);
	}

	/*
	 * The files the policy governs (uc3.yaml, README.md, the templates) are
	 * the top of the chain's: from the root of trust on, a change to them
	 * is signed by a holder of the top role in the policy before it.
	 */
	if (governed.len && c->nparents && before && before->npeople && who) {
		const char *top = before->roles[before->nroles - 1].id;

		if (!person_has_role(who, top) || !c->is_signed || verdict != UC3_VERDICT_GOOD)
			finding_kind(v, UC3_FIND_ROLE, c->id, v->ticket,
				     "changes %s, but is not signed by a holder of the %s role "
				     "in the policy before it",
				     governed.ptr, top);
	}

	/* Tickets: one file a commit, alone; notices of a run together. */
	if (ntickets && !governed.len && notice_commit(c->message)) {
		for (i = 0; i < nch; i++)
			if (path_kind(ch[i].path) == PATH_TICKET)
				check_notices(v, c, &ch[i], p);
	} else if (ntickets > 1)
		finding(v, c->id, NULL, "changes %zu ticket files; uc3 changes one a commit",
			ntickets);
	else if (ntickets == 1 && governed.len)
		finding(v, c->id, v->ticket, "changes a ticket file together with %s",
			policy_changed ? "uc3.yaml" : "other files");
	else if (ntickets == 1 && ticket_ok)
		check_ticket(v, c, &ch[ticket], p);

	{
		char verd = !c->is_signed ? 'n' : verdict == UC3_VERDICT_GOOD && who ? 'g' : 'u';

		for (i = v->before; i < r->nfindings; i++) {
			if (r->findings[i].kind == UC3_FIND_SIGNATURE)
				verd = 'b';
			else if (r->findings[i].kind == UC3_FIND_ROLE && verd != 'b')
				verd = 'x';
		}
		add_verdict(r, c->id, verd);
		free(v->ticket);
		v->ticket = NULL;
		if (r->nfindings == v->before) {
			struct uc3_buf line = UC3_BUF_INIT;

			uc3_buf_addf(&line, "%s %c", c->id, verd);
			uc3_xgrow((void **)&v->fresh, &v->afresh, v->nfresh + 1, sizeof(*v->fresh));
			v->fresh[v->nfresh++] = uc3_buf_detach(&line);
		}
	}
	/* What the next commit falls back on, should its uc3.yaml not read. */
	v->good = (policy_changed || !c->nparents) && now ? now : p;
	memcpy(v->good_at, c->id, sizeof(v->good_at));
	/* The ids of this commit's tree, from its parent's and what it changes. */
	v->ids_valid = !c->nparents || (v->ids_valid && !strcmp(v->ids_at, c->parent));
	for (i = 0; v->ids_valid && i < nch; i++) {
		const char *slash = strrchr(ch[i].path, '/');
		char id[256];

		if (path_kind(ch[i].path) != PATH_TICKET)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(strlen(slash + 1) - 5), slash + 1);
		if (ch[i].old_mode)
			idset_add(&v->ids, id, -1);
		if (ch[i].new_mode)
			idset_add(&v->ids, id, 1);
	}
	memcpy(v->ids_at, c->id, sizeof(v->ids_at));
	uc3_buf_release(&governed);
	return 0;
}

/*
 * $GIT_DIR/uc3/verified: "skew N" and "root ID EMAIL S" lines, then one
 * commit id a line, each found clean under that skew. Anything else in
 * the file makes it ignored.
 */
static void
cache_path(struct uc3_buf *p, struct uc3_store *st)
{
	uc3_buf_addf(p, "%suc3/verified", uc3_store_gitdir(st));
}

static void
cache_load(struct vctx *v)
{
	struct uc3_buf p = UC3_BUF_INIT;
	char line[256];
	long skew = -1;
	FILE *f;

	cache_path(&p, v->st);
	f = fopen(p.ptr, "r");
	uc3_buf_release(&p);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char id[64], email[200];
		int s;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "skew %ld", &skew) == 1)
			continue;
		if (sscanf(line, "root %40s %199s %d", id, email, &s) == 3) {
			memcpy(v->res->root, id, 41);
			v->res->root_signer = uc3_xstrdup(email);
			v->res->root_signed = s;
			continue;
		}
		if (strlen(line) == 42 && line[40] == ' ' && strchr("gnu", line[41]) &&
		    skew == v->o->skew) {
			uc3_xgrow((void **)&v->clean, &v->aclean, v->nclean + 1, sizeof(*v->clean));
			v->clean[v->nclean++] = uc3_xstrdup(line);
		}
	}
	fclose(f);
	if (skew != v->o->skew) {
		v->nclean = 0;
		v->res->root[0] = '\0';
	}
	if (v->nclean)
		qsort(v->clean, v->nclean, sizeof(*v->clean), cmp_id);
}

static void
cache_save(struct vctx *v)
{
	struct uc3_buf p = UC3_BUF_INIT, tmp = UC3_BUF_INIT;
	size_t i;
	FILE *f;
	int fd;

	if (!v->nfresh && !v->res->root[0])
		return;
	cache_path(&p, v->st);
	uc3_buf_addf(&tmp, "%suc3", uc3_store_gitdir(v->st));
	mkdir(tmp.ptr, 0777);
	uc3_buf_reset(&tmp);
	uc3_buf_addf(&tmp, "%s.XXXXXX", p.ptr);
	fd = mkstemp(tmp.ptr);
	f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (f) {
		fprintf(f, "skew %ld\n", v->o->skew);
		if (v->res->root[0])
			fprintf(f, "root %s %s %d\n", v->res->root, v->res->root_signer,
				v->res->root_signed ? 1 : 0);
		for (i = 0; i < v->nclean; i++)
			fprintf(f, "%s\n", v->clean[i]);
		for (i = 0; i < v->nfresh; i++)
			fprintf(f, "%s\n", v->fresh[i]);
		if (fclose(f) != 0 || rename(tmp.ptr, p.ptr) < 0)
			unlink(tmp.ptr);
	} else if (fd >= 0) {
		close(fd);
		unlink(tmp.ptr);
	}
	uc3_buf_release(&p);
	uc3_buf_release(&tmp);
}

static void
vctx_release(struct vctx *v)
{
	size_t i;

	for (i = 0; i < v->npol; i++) {
		uc3_policy_free(v->pol[i].p);
		free(v->pol[i].error);
	}
	free(v->pol);
	for (i = 0; i < v->nclean; i++)
		free(v->clean[i]);
	free(v->clean);
	for (i = 0; i < v->nfresh; i++)
		free(v->fresh[i]);
	free(v->fresh);
	free(v->ticket);
	idset_release(&v->ids);
}

/*
 * The root of trust: the first commit of the branch whose policy lists
 * people while the policy before it did not. Found from the commits that
 * change uc3.yaml alone, whatever range is audited.
 */
static int
root_visit(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *ctx)
{
	struct vctx *v = ctx;
	const char *err;
	const struct uc3_policy *before = c->nparents ? policy_at(v, c->parent, &err) : NULL;
	const struct uc3_policy *now = policy_at(v, c->id, &err);

	(void)ch;
	(void)nch;
	if (now && now->npeople && !(before && before->npeople)) {
		memcpy(v->res->root, c->id, sizeof(v->res->root));
		free(v->res->root_signer);
		v->res->root_signer = uc3_xstrdup(c->author_email);
		v->res->root_signed = c->is_signed;
		return 1;
	}
	return 0;
}

static int
run(struct uc3_verify_result *res, struct uc3_store *st, const struct uc3_verify_opts *o,
    const char *range, bool save)
{
	struct vctx v = { 0 };
	int rc;

	v.st = st;
	v.o = o;
	v.res = res;
	if (o->use_cache)
		cache_load(&v);
	rc = uc3_store_walk(st, range, UC3_WALK_REVERSE | UC3_WALK_ALL_PATHS, NULL,
			    o->use_cache ? skip_clean : NULL, visit, &v);
	if (rc == 0 && !res->root[0]) {
		const char *tip = range ? range + (strstr(range, "..") ? strstr(range, "..") -
								    range + 2 : 0)
					: NULL;

		rc = uc3_store_walk(st, tip && *tip ? tip : NULL, UC3_WALK_REVERSE,
				    UC3_POLICY_FILE, NULL, root_visit, &v);
		if (rc > 0)
			rc = 0;
	}
	if (rc == 0 && o->trust) {
		size_t n = strlen(o->trust);

		if (!res->root[0])
			finding(&v, "", NULL, "no root of trust: no policy in this history lists "
					      "people, but --trust %s was given",
				o->trust);
		else if (n < 4 || strncmp(res->root, o->trust, n))
			finding(&v, res->root, NULL,
				"the root of trust is %.12s, not the pinned %s", res->root, o->trust);
	}
	if (rc == 0 && save && o->use_cache)
		cache_save(&v);
	vctx_release(&v);
	return rc;
}

int
uc3_verify(struct uc3_verify_result *res, struct uc3_store *st, const struct uc3_verify_opts *o)
{
	memset(res, 0, sizeof(*res));
	return run(res, st, o, o->range, true);
}

int
uc3_verify_push(struct uc3_verify_result *res, struct uc3_store *st, int fd,
		const struct uc3_verify_opts *o)
{
	static const char zeros[] = "0000000000000000000000000000000000000000";
	struct uc3_buf in = UC3_BUF_INIT;
	struct uc3_verify_opts po = *o;
	char *line, *save = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = uc3_store_use_quarantine(st)) < 0)
		return rc;
	for (;;) {
		char chunk[4096];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n <= 0)
			break;
		uc3_buf_add(&in, chunk, (size_t)n);
	}
	/* What is pushed is not accepted yet: nothing of it goes into the cache. */
	po.use_cache = false;
	for (line = strtok_r(in.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char old[64], new[64], ref[1024];
		struct uc3_buf range = UC3_BUF_INIT;
		struct vctx v = { 0 };

		v.res = res;
		v.o = &po;
		if (sscanf(line, "%63s %63s %1023s", old, new, ref) != 3)
			continue;
		if (strcmp(ref, uc3_store_branch(st)))
			continue;
		if (!strcmp(new, zeros)) {
			finding(&v, old, NULL, "deletes the records branch %s", ref);
			continue;
		}
		if (strcmp(old, zeros) && !uc3_store_is_ancestor(st, old, new)) {
			finding(&v, new, NULL, "rewrites the history of %s (not a fast-forward from %.7s)",
				ref, old);
			continue;
		}
		if (strcmp(old, zeros))
			uc3_buf_addf(&range, "%s..%s", old, new);
		else
			uc3_buf_adds(&range, new);
		rc = run(res, st, &po, range.ptr, false);
		uc3_buf_release(&range);
		if (rc < 0)
			break;
	}
	uc3_buf_release(&in);
	return rc;
}

void
uc3_verify_result_release(struct uc3_verify_result *res)
{
	size_t i;

	for (i = 0; i < res->nfindings; i++) {
		free(res->findings[i].ticket);
		free(res->findings[i].what);
	}
	free(res->findings);
	free(res->verdicts);
	free(res->root_signer);
	memset(res, 0, sizeof(*res));
}
