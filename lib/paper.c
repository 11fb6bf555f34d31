#include "paper.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "attach.h"
#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "tmpl.h"
#include "transition.h"
#include "xalloc.h"

int
uc3_paper_template(struct uc3_buf *out, struct uc3_store *st, const char *datadir, const char *name)
{
	struct uc3_buf path = UC3_BUF_INIT;
	size_t start = out->len;
	int fd, rc;

	uc3_buf_addf(&path, "templates/%s", name);
	rc = uc3_store_read(out, st, path.ptr);
	if (rc == 0 && out->len - start > UC3_PAPER_TEMPLATE_MAX)
		rc = uc3_error_set(UC3_EINVAL, "%s: %zu bytes, over the limit of %d", path.ptr,
				   out->len - start, UC3_PAPER_TEMPLATE_MAX);
	if (rc != UC3_ENOTFOUND)
		goto out;
	uc3_error_clear();
	uc3_buf_setlen(out, start);
	if (!datadir) {
		rc = uc3_error_set(UC3_ENOTFOUND,
				   "no template %s (not in the records' templates/, and the "
				   "installed data was not found)",
				   name);
		goto out;
	}
	uc3_buf_reset(&path);
	uc3_buf_addf(&path, "%s/templates/%s", datadir, name);
	if ((fd = open(path.ptr, O_RDONLY)) < 0) {
		rc = uc3_error_set(UC3_ENOTFOUND,
				   "no template %s: not in the records' templates/, and %s: %s",
				   name, path.ptr, strerror(errno));
		goto out;
	}
	rc = uc3_buf_read_limited(out, fd, UC3_PAPER_TEMPLATE_MAX, path.ptr);
	close(fd);
out:
	if (rc < 0)
		uc3_buf_setlen(out, start);
	uc3_buf_release(&path);
	return rc;
}

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

/* A timestamp of the file as k ("2026-11-27 09:00" in the policy's zone) and k_iso (as written). */
static void
put_time(struct uc3_ynode *m, const char *k, const char *ts, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (ts)
		uc3_clock_short_of(&b, ts, p->timezone);
	put(m, k, b.ptr);
	uc3_buf_reset(&b);
	uc3_buf_addf(&b, "%s_iso", k);
	put(m, b.ptr, ts);
	uc3_buf_release(&b);
}

/* A role by id as k, and its name from the policy as k_name (the id when it has none). */
static void
put_role(struct uc3_ynode *m, const char *k, const char *id, const struct uc3_policy *p)
{
	const struct uc3_role *r = id ? uc3_policy_role(p, id) : NULL;
	struct uc3_buf b = UC3_BUF_INIT;

	put(m, k, id);
	uc3_buf_addf(&b, "%s_name", k);
	put(m, b.ptr, r && r->name ? r->name : id);
	uc3_buf_release(&b);
}

/* How late e ended its step, in business time ("1d 2h"); "" when it was not or that does not read.
 */
static void
late_by(struct uc3_buf *out, const struct uc3_event *e, const struct uc3_policy *p)
{
	struct uc3_calendar_span s;
	time_t due, at;

	if (e->step.late && e->step.due && e->at && uc3_clock_parse(&due, e->step.due, NULL) == 0 &&
	    uc3_clock_parse(&at, e->at, NULL) == 0 &&
	    uc3_calendar_span(&s, &p->calendar, p->timezone, due, at) == 0 && s.total > 0)
		uc3_calendar_format_span(out, &s);
	uc3_error_clear();
}

/* The first line of a value a correction changed, "..." after it when there is more; "(none)". */
static void
first_line(struct uc3_buf *b, const char *s)
{
	const char *nl;

	if (!s) {
		uc3_buf_adds(b, "(none)");
		return;
	}
	nl = strchr(s, '\n');
	uc3_buf_add(b, s, nl ? (size_t)(nl - s) : strlen(s));
	if (nl && nl[1])
		uc3_buf_adds(b, " ...");
}

/* "escalate staf -> wakor", "close as duplicate of UC3-2026-0001", "attach surat.pdf". */
static void
what_of(struct uc3_buf *b, const struct uc3_event *e)
{
	const struct uc3_ynode *f = uc3_ynode_get(e->extra, "files");
	size_t i;

	/* A follow-up is the requester's mail: said as people say it. */
	if (e->action && !strcmp(e->action, "followup") && e->sender) {
		uc3_buf_addf(b, "follow-up by mail from %s", e->sender);
		return;
	}
	uc3_buf_adds(b, e->action ? e->action : "?");
	if (e->as)
		uc3_buf_addf(b, " as %s", e->as);
	if (e->of)
		uc3_buf_addf(b, " of %s", e->of);
	if (e->from)
		uc3_buf_addf(b, " %s -> %s", e->from, e->to ? e->to : "?");
	else if (!uc3_transition_mail_words(b, e) && e->to)
		uc3_buf_addf(b, " to %s", e->to);
	if (e->action && !strcmp(e->action, "attach") && f && f->type == UC3_YSEQ)
		for (i = 0; i < f->n; i++)
			if (f->items[i]->type == UC3_YSCALAR)
				uc3_buf_addf(b, "%s%s", i ? ", " : " ", f->items[i]->str);
}

static struct uc3_ynode *
event_item(const struct uc3_event *e, size_t n, const struct uc3_policy *p)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	const struct uc3_person *who = e->by ? uc3_policy_person(p, e->by) : NULL;
	struct uc3_buf b = UC3_BUF_INIT;
	const char *role = e->role;
	size_t i;

	/* The role acted in: a takeover's, else the role whose step it ended. */
	if (!role && e->step.name && uc3_policy_role(p, e->step.name))
		role = e->step.name;
	put_count(m, "n", n);
	put_time(m, "at", e->at, p);
	put(m, "action", e->action);
	what_of(&b, e);
	put(m, "what", b.ptr);
	put(m, "by", e->by);
	put(m, "by_name", who ? who->name : NULL);
	put_role(m, "role", role, p);
	put(m, "from", e->from);
	put(m, "to", e->to);
	put(m, "as", e->as);
	put(m, "of", e->of);
	put_role(m, "step", e->step.name, p);
	put_time(m, "due", e->step.due, p);
	put_bool(m, "late", e->step.name && e->step.late);
	put_bool(m, "on_time", e->step.name && !e->step.late);
	put_bool(m, "taken_over", e->step.taken_over);
	uc3_buf_reset(&b);
	late_by(&b, e, p);
	put(m, "late_by", b.ptr);
	put(m, "note", e->note);
	uc3_buf_reset(&b);
	for (i = 0; i < e->nchanges; i++) {
		uc3_buf_adds(&b, i ? "; " : "");
		uc3_buf_adds(&b, e->changes[i].field ? e->changes[i].field : "?");
		uc3_buf_adds(&b, ": ");
		first_line(&b, e->changes[i].before);
		uc3_buf_adds(&b, " -> ");
		first_line(&b, e->changes[i].after);
	}
	put(m, "changes", b.ptr);
	uc3_buf_release(&b);
	return m;
}

/* good, bad (a bad signature, or an author the audit does not allow), none, unknown. */
static const char *
sig_class(const struct uc3_trail_sig *s)
{
	if (s->sig == UC3_SIG_BAD || s->denied)
		return "bad";
	if (s->sig == UC3_SIG_GOOD)
		return "good";
	if (s->sig == UC3_SIG_NONE)
		return "none";
	return "unknown";
}

static struct uc3_ynode *
commit_item(const struct uc3_trail_commit *c, size_t n, const struct uc3_policy *p)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_buf b = UC3_BUF_INIT;
	char *iso = NULL;

	put_count(m, "n", n);
	put(m, "commit", c->sig.commit);
	uc3_buf_addf(&b, "%.7s", c->sig.commit);
	put(m, "short", b.ptr);
	uc3_buf_reset(&b);
	uc3_clock_format_short(&b, (time_t)c->time, p->timezone);
	put(m, "at", b.ptr);
	uc3_clock_format_str(&iso, (time_t)c->time, p->timezone);
	put(m, "at_iso", iso);
	put(m, "author", c->author_name);
	put(m, "email", c->author_email);
	put(m, "subject", c->subject);
	put(m, "signature", uc3_trail_sig_name(&c->sig));
	put(m, "sig_class", sig_class(&c->sig));
	free(iso);
	uc3_buf_release(&b);
	return m;
}

/* Where the ticket stands: status, and the running step with its deadline. */
static void
put_state(struct uc3_ynode *ctx, const struct uc3_ticket *t, const struct uc3_policy *p, time_t now)
{
	struct uc3_calendar_span left;
	struct uc3_buf b = UC3_BUF_INIT;
	const char *step = uc3_transition_step(t);
	bool running = t->deadline && t->status != UC3_STATUS_CLOSED;

	put(ctx, "status", uc3_status_name(t->status));
	put(ctx, "closed_as", t->closed_as);
	put(ctx, "duplicate_of", t->duplicate_of);
	put_role(ctx, "level", t->level, p);
	put_time(ctx, "deadline", running ? t->deadline : NULL, p);
	put_role(ctx, "current_step", running ? step : NULL, p);
	put_role(ctx, "holder", running ? uc3_transition_holder(p, t->status, t->level) : NULL, p);
	if (running && uc3_transition_time_left(&left, t, p, now) == 0) {
		uc3_transition_format_left(&b, &left);
		put_bool(ctx, "overdue", left.total < 0);
	} else {
		put_bool(ctx, "overdue", false);
	}
	uc3_error_clear();
	put(ctx, "left", b.ptr);
	uc3_buf_release(&b);
}

struct uc3_ynode *
uc3_paper_context(const struct uc3_ticket *t, const char *path, const struct uc3_policy *p,
		  const struct uc3_trail_commit *commits, size_t ncommits, time_t now)
{
	struct uc3_ynode *ctx = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *req = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *seq;
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i, nlate = 0, nsig[4] = { 0 };
	char *iso = NULL;

	put(ctx, "office", p->office);
	put(ctx, "sop", p->sop);
	put(ctx, "prefix", p->id_prefix);
	put(ctx, "clerk_role", p->roles[0].name);
	put(ctx, "head_role", p->roles[p->nroles - 1].name);
	uc3_clock_format_short(&b, now, p->timezone);
	put(ctx, "printed", b.ptr);
	uc3_clock_format_str(&iso, now, p->timezone);
	put(ctx, "printed_iso", iso);
	free(iso);

	put(ctx, "id", t->id);
	put(ctx, "subject", t->subject);
	put(ctx, "kind", t->kind);
	put(ctx, "channel", t->channel);
	put(ctx, "unit", t->unit);
	put_time(ctx, "received", t->received, p);
	put(ctx, "file", path);
	put_state(ctx, t, p, now);
	put(req, "name", t->requester.name);
	put(req, "email", t->requester.email);
	put(req, "phone", t->requester.phone);
	put(req, "social", t->requester.social);
	put(req, "address", t->requester.address);
	uc3_ynode_map_add(ctx, "requester", req);
	put(ctx, "body", t->body);
	put(ctx, "answer", t->answer);

	seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	for (i = 0; i < t->nevents; i++) {
		uc3_ynode_seq_add(seq, event_item(&t->events[i], i + 1, p));
		nlate += t->events[i].step.name && t->events[i].step.late;
	}
	uc3_ynode_map_add(ctx, "events", seq);
	put_count(ctx, "nevents", t->nevents);
	put_count(ctx, "nlate", nlate);

	seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	for (i = 0; i < ncommits; i++) {
		const char *c = sig_class(&commits[i].sig);

		uc3_ynode_seq_add(seq, commit_item(&commits[i], i + 1, p));
		nsig[!strcmp(c, "good") ? 0 : !strcmp(c, "bad") ? 1 : !strcmp(c, "none") ? 2 : 3]++;
	}
	uc3_ynode_map_add(ctx, "commits", seq);
	put_count(ctx, "ncommits", ncommits);
	put_count(ctx, "ncommits_good", nsig[0]);
	put_count(ctx, "ncommits_bad", nsig[1]);
	put_count(ctx, "ncommits_none", nsig[2]);
	put_count(ctx, "ncommits_unknown", nsig[3]);

	seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	for (i = 0; i < t->nattachments; i++) {
		struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);

		put(m, "name", t->attachments[i].name);
		put(m, "type", t->attachments[i].type);
		uc3_buf_reset(&b);
		uc3_attach_format_size(&b, t->attachments[i].size);
		put(m, "size", b.ptr);
		uc3_ynode_seq_add(seq, m);
	}
	uc3_ynode_map_add(ctx, "attachments", seq);
	put_count(ctx, "nattachments", t->nattachments);
	uc3_buf_release(&b);
	return ctx;
}

int
uc3_paper_render(struct uc3_buf *out, const char *tmpl, size_t len, const char *name,
		 const struct uc3_ticket *t, const char *path, const struct uc3_policy *p,
		 const struct uc3_trail_commit *commits, size_t ncommits, time_t now)
{
	struct uc3_ynode *ctx = uc3_paper_context(t, path, p, commits, ncommits, now);
	int rc = uc3_tmpl_render(out, tmpl, len, ctx, UC3_TMPL_HTML, name);

	uc3_ynode_free(ctx);
	return rc;
}
