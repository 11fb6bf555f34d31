/*
 * uc3 log: the history of tickets as git holds it, newest first: who did
 * what when, and whether the commit's signature holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "history.h"
#include "i18n.h"
#include "json.h"
#include "message.h"
#include "opt.h"
#include "records.h"
#include "store.h"
#include "table.h"
#include "ticket.h"
#include "tool.h"
#include "trail.h"
#include "transition.h"
#include "utf8.h"
#include "verify.h"
#include "xalloc.h"

/* One line of the log: an event a commit appended, or a commit of another kind. */
struct entry {
	struct uc3_trail_sig sig; /* the commit and the word on its signature */
	char *ticket;		  /* NULL: not a ticket change (policy, templates, init) */
	struct uc3_event ev; /* at, by, action, from, to, note, step; as, of, changes' fields */
	bool hand;	     /* changed without a uc3 event */
	bool offline;	     /* its commit says "Offline: yes" */
	char *received;	     /* the central's note of receipt, when its time is not confirmed */
};

struct log {
	struct entry *e;
	size_t n, alloc;
	long max;
	const char *tz;
	int broken;
};

static char *
dup0(const char *s)
{
	return s ? uc3_xstrdup(s) : NULL;
}

static struct entry *
add(struct log *l, const struct uc3_commit *c)
{
	struct entry *e;

	uc3_xgrow((void **)&l->e, &l->alloc, l->n + 1, sizeof(*l->e));
	e = &l->e[l->n++];
	memset(e, 0, sizeof(*e));
	uc3_trail_sig_init(&e->sig, c->id, c->is_signed);
	return e;
}

/* A commit without uc3 events: who and when from git, what from its subject. */
static void
add_plain(struct log *l, const struct uc3_commit *c, const char *ticket, const char *what)
{
	struct entry *e = add(l, c);
	const char *nl = strchr(c->message, '\n');

	uc3_clock_format_str(&e->ev.at, (time_t)c->time, l->tz);
	e->ev.by = dup0(c->author_email);
	e->ev.action = uc3_message_trailer(c->message, "Action");
	if (!e->ev.action)
		e->ev.action = uc3_xstrdup(what);
	e->ev.note = uc3_xstrndup(c->message, nl ? (size_t)(nl - c->message) : strlen(c->message));
	e->ticket = dup0(ticket);
	e->hand = ticket != NULL;
}

static int
visit(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *ctx)
{
	struct log *l = ctx;
	bool any = false;
	char *mark = uc3_message_trailer(c->message, UC3_TRAILER_OFFLINE);
	bool offline = mark && !strcmp(mark, "yes");
	size_t i, k;

	free(mark);
	for (i = 0; i < nch; i++) {
		struct uc3_ticket *old = NULL, *newer = NULL;
		size_t from = 0;

		/* An attachment's commit is told by its ticket's attach event. */
		if (strncmp(ch[i].path, "tickets/", 8) ||
		    uc3_records_attachment_of(ch[i].path, NULL))
			continue;
		any = true;
		if (ch[i].new_data &&
		    uc3_ticket_parse(&newer, ch[i].new_data, ch[i].new_len, ch[i].path) < 0) {
			uc3_tool_warn("%s (in commit %.7s)", uc3_error_last(), c->id);
			l->broken++;
		}
		if (ch[i].old_data &&
		    uc3_ticket_parse(&old, ch[i].old_data, ch[i].old_len, ch[i].path) < 0)
			old = NULL;
		if (old && newer) {
			for (from = 0; from < old->nevents && from < newer->nevents; from++)
				if (!uc3_event_equal(&old->events[from], &newer->events[from]))
					break;
			if (from < old->nevents)
				from = newer->nevents; /* events were rewritten: nothing new to
							  trust */
		}
		if (newer && from < newer->nevents) {
			/* Newest first, also inside one commit. */
			for (k = newer->nevents; k > from; k--) {
				struct entry *e;

				if (l->max > 0 && (long)l->n >= l->max)
					break;
				e = add(l, c);
				const struct uc3_event *ev = &newer->events[k - 1];

				e->ticket = uc3_xstrdup(newer->id);
				e->ev.at = dup0(ev->at);
				e->ev.by = dup0(ev->by);
				e->ev.action = dup0(ev->action);
				e->ev.role = dup0(ev->role);
				e->ev.from = dup0(ev->from);
				e->ev.to = dup0(ev->to);
				e->ev.note = dup0(ev->note);
				e->ev.about = dup0(ev->about);
				e->ev.message_id = dup0(ev->message_id);
				e->ev.sender = dup0(ev->sender);
				e->ev.step.name = dup0(ev->step.name);
				e->ev.step.due = dup0(ev->step.due);
				e->ev.step.late = ev->step.late;
				e->ev.step.taken_over = ev->step.taken_over;
				e->ev.as = dup0(ev->as);
				e->ev.of = dup0(ev->of);
				e->ev.backfill = dup0(ev->backfill);
				e->offline = offline;
				/* What a correction changed, by name: the values are in the ticket.
				 */
				for (size_t f = 0; f < ev->nchanges; f++)
					uc3_event_add_change(&e->ev, ev->changes[f].field, NULL,
							     NULL);
			}
		} else {
			const char *slash = strrchr(ch[i].path, '/');
			char *id = uc3_xstrdup(slash ? slash + 1 : ch[i].path);
			char *dot = strstr(id, ".yaml");

			if (dot)
				*dot = '\0';
			if (!(l->max > 0 && (long)l->n >= l->max))
				add_plain(l, c, newer ? newer->id : id,
					  ch[i].new_data ? "edit" : "remove");
			free(id);
		}
		uc3_ticket_free(old);
		uc3_ticket_free(newer);
	}
	if (!any && !(l->max > 0 && (long)l->n >= l->max))
		add_plain(l, c, NULL, "edit");
	return l->max > 0 && (long)l->n >= l->max ? 1 : 0;
}

/* After a correction's action: " as spam", " as duplicate of ID", " subject, unit". */
static void
correction(struct uc3_buf *b, const struct uc3_event *ev)
{
	size_t i;

	if (ev->as && ev->of)
		/* TRANSLATORS: after "close" in uc3 log: " as duplicate of UC3-2026-0001". */
		uc3_buf_addf(b, _(" as %s of %s"), ev->as, ev->of);
	else if (ev->as)
		/* TRANSLATORS: after an action in uc3 log: " as spam", " as kabiro". */
		uc3_buf_addf(b, _(" as %s"), ev->as);
	if (ev->action && !strcmp(ev->action, "edit"))
		for (i = 0; i < ev->nchanges; i++)
			uc3_buf_addf(b, "%s%s", i ? ", " : " ", ev->changes[i].field);
}

/*
 * The time of an event made offline or backfilled is the writer's word:
 * "    time not confirmed: backfilled (paper form), received
 * 2026-12-02 10:31" ("not received yet" until the central's note is
 * here: uc3 sync fetches the notes).
 */
static void
unconfirmed(struct uc3_buf *b, const struct entry *e, const char *tz)
{
	struct uc3_buf why = UC3_BUF_INIT;

	if (e->ev.backfill)
		uc3_utf8_cell(&why, e->ev.backfill);
	struct uc3_buf when = UC3_BUF_INIT;

	uc3_buf_adds(b, "    ");
	/* TRANSLATORS: under an entry of uc3 log made offline or from a paper form. */
	uc3_buf_adds(b, _("time not confirmed: "));
	if (e->ev.backfill)
		/* TRANSLATORS: %s is why (the backfill reason, as written). */
		uc3_buf_addf(b, _("backfilled (%s)"), why.ptr);
	else
		uc3_buf_adds(b, _("made offline"));
	if (e->received) {
		uc3_clock_short_of(&when, e->received, tz);
		/* TRANSLATORS: when the central repository received it. */
		uc3_buf_addf(b, _(", received %s"), when.ptr);
	} else {
		uc3_buf_adds(b, _(", not received yet"));
	}
	uc3_buf_release(&when);
	uc3_buf_release(&why);
}

/*
 * One row an entry: when, the commit, the ticket, what was done, by
 * whom, and the signature; the note under it.
 */
static void
print_text(const struct log *l)
{
	struct uc3_table tab;
	struct uc3_buf b = UC3_BUF_INIT, out = UC3_BUF_INIT;
	size_t i;

	uc3_table_init(&tab, 6);
	for (i = 0; i < l->n; i++) {
		const struct entry *e = &l->e[i];

		uc3_buf_reset(&b);
		uc3_clock_short_of(&b, e->ev.at, l->tz);
		uc3_table_add(&tab, b.ptr);
		uc3_table_addf(&tab, "%.7s", e->sig.commit);
		uc3_table_add(&tab, e->ticket ? e->ticket : "-");
		uc3_buf_reset(&b);
		uc3_buf_adds(&b, e->ev.action ? e->ev.action : "?");
		correction(&b, &e->ev);
		if (e->ev.from)
			uc3_buf_addf(&b, " %s -> %s", e->ev.from, e->ev.to ? e->ev.to : "?");
		else if (!uc3_transition_mail_words(&b, &e->ev) && e->ev.to)
			uc3_buf_addf(&b, _(" to %s"), e->ev.to);
		if (e->ev.role)
			uc3_buf_addf(&b, _(" as %s"), e->ev.role);
		uc3_table_add(&tab, b.ptr);
		uc3_table_add(&tab, e->ev.by ? e->ev.by : "?");
		uc3_buf_reset(&b);
		uc3_buf_addf(&b, "sig:%s", uc3_trail_sig_name(&e->sig));
		if (e->ev.step.name && e->ev.step.late)
			/* TRANSLATORS: uc3 log: the step of role %s ended late. */
			uc3_buf_addf(&b, _("  (%s step late)"), e->ev.step.name);
		if (e->hand)
			/* TRANSLATORS: uc3 log: a commit that changed a ticket by hand. */
			uc3_buf_adds(&b, _("  (changed without a uc3 event)"));
		uc3_table_add(&tab, b.ptr);
		if (e->offline || e->ev.backfill) {
			uc3_buf_reset(&b);
			unconfirmed(&b, e, l->tz);
			uc3_table_after(&tab, b.ptr);
		}
		/* The mail the event sent, under it, where the table stays narrow. */
		if (e->ev.message_id) {
			struct uc3_buf id = UC3_BUF_INIT;

			uc3_utf8_cell(&id, e->ev.message_id);
			uc3_buf_reset(&b);
			uc3_buf_addf(&b, "    Message-ID %s", id.ptr);
			uc3_table_after(&tab, b.ptr);
			uc3_buf_release(&id);
		}
		if (e->ev.note && *e->ev.note) {
			struct uc3_buf note = UC3_BUF_INIT;
			const char *p;

			uc3_utf8_text(&note, e->ev.note);
			for (p = note.ptr; *p;) {
				const char *nl = strchr(p, '\n');
				size_t len = nl ? (size_t)(nl - p) : strlen(p);

				uc3_buf_reset(&b);
				uc3_buf_addf(&b, "    %.*s", (int)len, p);
				uc3_table_after(&tab, b.ptr);
				p += len + (nl ? 1 : 0);
			}
			uc3_buf_release(&note);
		}
	}
	uc3_table_render(&out, &tab, 0);
	uc3_tool_put(&out);
	uc3_table_release(&tab);
	uc3_buf_release(&b);
}

static void
print_json(const struct log *l)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;
	size_t i;

	uc3_json_init(&j, &b, 0);
	uc3_json_array(&j, NULL, UC3_JSON_LINES);
	for (i = 0; i < l->n; i++) {
		const struct entry *e = &l->e[i];

		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "commit", e->sig.commit);
		uc3_json_put_string(&j, "ticket", e->ticket);
		uc3_json_put_maybe(&j, "at", e->ev.at);
		uc3_json_put_maybe(&j, "by", e->ev.by);
		uc3_json_put_maybe(&j, "action", e->ev.action);
		uc3_json_put_maybe(&j, "role", e->ev.role);
		uc3_json_put_maybe(&j, "from", e->ev.from);
		uc3_json_put_maybe(&j, "to", e->ev.to);
		uc3_json_put_maybe(&j, "note", e->ev.note);
		uc3_json_put_maybe(&j, "about", e->ev.about);
		uc3_json_put_maybe(&j, "sender", e->ev.sender);
		uc3_json_put_maybe(&j, "message_id", e->ev.message_id);
		uc3_json_put_maybe(&j, "as", e->ev.as);
		uc3_json_put_maybe(&j, "of", e->ev.of);
		uc3_json_put_maybe(&j, "backfill", e->ev.backfill);
		if (e->offline || e->ev.backfill) {
			uc3_json_put_bool(&j, "offline", e->offline);
			uc3_json_put_string(&j, "received", e->received);
		}
		if (e->ev.nchanges) {
			uc3_json_array(&j, "fields", 0);
			for (size_t f = 0; f < e->ev.nchanges; f++)
				uc3_json_put_string(&j, NULL, e->ev.changes[f].field);
			uc3_json_end(&j);
		}
		if (e->ev.step.name) {
			uc3_json_object(&j, "step", 0);
			uc3_json_put_string(&j, "name", e->ev.step.name);
			uc3_json_put_maybe(&j, "due", e->ev.step.due);
			uc3_json_put_bool(&j, "late", e->ev.step.late);
			if (e->ev.step.taken_over)
				uc3_json_put_bool(&j, "taken_over", true);
			uc3_json_end(&j);
		}
		uc3_json_put_string(&j, "signature", uc3_trail_sig_name(&e->sig));
		uc3_json_put_bool(&j, "uc3_event", !(e->hand || !e->ticket));
		uc3_json_end(&j);
	}
	uc3_json_end(&j);
	uc3_buf_addch(&b, '\n');
	uc3_tool_put(&b);
}

/* When the central received each commit whose time is not confirmed (uc3_verify_received). */
static void
read_receipts(struct log *l, struct uc3_store *st)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		if (l->e[i].offline || l->e[i].ev.backfill)
			l->e[i].received = uc3_verify_received(st, l->e[i].sig.commit);
}

/*
 * The word on each entry's signature (trail.h): git's check of each
 * signed commit once, then the audit's verdict (uc3 verify, with its
 * cache) where it could tell. Either failing is a warning: what is known
 * is shown.
 */
static void
check_signatures(struct log *l, struct uc3_store *st)
{
	struct uc3_trail_sig *v = uc3_xcalloc(l->n + 1, sizeof(*v));
	size_t i;

	for (i = 0; i < l->n; i++)
		v[i] = l->e[i].sig;
	if (uc3_trail_check(st, v, l->n) < 0)
		uc3_tool_warn("signatures not checked: %s", uc3_error_last());
	if (uc3_trail_audit(st, v, l->n) < 0)
		uc3_tool_warn("the audit did not run: %s", uc3_error_last());
	for (i = 0; i < l->n; i++)
		l->e[i].sig = v[i];
	free(v);
}

int
main(int argc, char **argv)
{
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	struct log l = { 0 };
	const char *dir = NULL;
	char *path = NULL;
	size_t i;
	int rc, status = 0;

	static const char *const usage[] = {
		"uc3 log [-C dir] [-n count] [--format text|json] [id]", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_POSITIVE('n', "max-count", &l.max, "N", "at most N entries"),
		UC3_OPT_FORMAT(&fmt, "text (default) or json (an array, one object per event)"),
		UC3_OPT_DIR(&dir), UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 log",
		usage,
		N_("The history from git, newest first: when, who, the ticket, the action\n"
		   "(from -> to), the note, and the signature of the commit (good, bad,\n"
		   "none, or unknown when git cannot check it here).\n"),
		N_("See uc3-log(1).\n"),
		options,
		0
	};

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	if (argc > 1)
		return uc3_opt_usage_error(&cmd, "one ticket id at most");
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	uc3_tool_freshen(st);
	l.tz = uc3_store_policy(st)->timezone;
	if (argc) {
		char *id = NULL;

		if ((rc = uc3_records_id(&id, st, argv[0])) == 0)
			rc = uc3_records_find(&path, st, id);
		free(id);
		if (rc < 0) {
			uc3_store_free(st);
			return uc3_tool_fail();
		}
	}
	rc = uc3_history_log(st, path, visit, &l);
	/* A walk that -n stopped early is a success too. */
	if (rc < 0)
		status = uc3_tool_fail();
	else
		check_signatures(&l, st);
	read_receipts(&l, st);
	if (fmt == UC3_FORMAT_JSON)
		print_json(&l);
	else
		print_text(&l);
	if (l.broken)
		status = UC3_EXIT_ERROR;
	for (i = 0; i < l.n; i++) {
		free(l.e[i].ticket);
		free(l.e[i].ev.at);
		free(l.e[i].ev.by);
		free(l.e[i].ev.action);
		free(l.e[i].ev.from);
		free(l.e[i].ev.to);
		free(l.e[i].ev.note);
		free(l.e[i].ev.about);
		free(l.e[i].ev.message_id);
		free(l.e[i].ev.sender);
		free(l.e[i].ev.role);
		free(l.e[i].ev.step.name);
		free(l.e[i].ev.step.due);
		free(l.e[i].ev.as);
		free(l.e[i].ev.of);
		free(l.e[i].ev.backfill);
		free(l.e[i].received);
		for (size_t f = 0; f < l.e[i].ev.nchanges; f++)
			free(l.e[i].ev.changes[f].field);
		free(l.e[i].ev.changes);
	}
	free(l.e);
	free(path);
	uc3_store_free(st);
	return uc3_tool_finish(status);
}
