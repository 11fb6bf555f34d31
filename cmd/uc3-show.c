/*
 * uc3 show: one ticket, its state and its current deadline.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "attach.h"
#include "buf.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "json.h"
#include "opt.h"
#include "paper.h"
#include "policy.h"
#include "records.h"
#include "store.h"
#include "sync.h"
#include "ticket.h"
#include "tool.h"
#include "trail.h"
#include "transition.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * Every value printed comes from the ticket file or the policy, which a
 * hand edit can fill with anything: row and text_block escape what would
 * drive the terminal (uc3_utf8_escape).
 */
static void
row(const char *label, const char *value)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (value && *value) {
		size_t w = uc3_utf8_width(label);

		/* The labels are translated: padded to 10 columns of display width. */
		printf("  %s", label);
		do
			putchar(' ');
		while (++w < 10);
		uc3_utf8_cell(&b, value);
		printf("%s\n", b.ptr);
	}
	uc3_buf_release(&b);
}

/*
 * A value of several lines (an address): the first beside the label, the
 * others under it; empty lines are left out.
 */
static void
rows(const char *label, const char *value)
{
	const char *p = value;

	while (p && *p) {
		const char *nl = strchr(p, '\n');
		char *line = uc3_xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));

		if (*line) {
			row(label, line);
			label = "";
		}
		free(line);
		p = nl ? nl + 1 : "";
	}
}

/* Each line of text, made safe for a terminal, after indent ("" lines bare). */
static void
indented(const char *text, const char *indent)
{
	struct uc3_buf b = UC3_BUF_INIT;
	const char *p;

	uc3_utf8_text(&b, text);
	for (p = b.ptr; *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len)
			printf("%s%.*s\n", indent, (int)len, p);
		else
			putchar('\n');
		p += len + (nl ? 1 : 0);
	}
	uc3_buf_release(&b);
}

static void
text_block(const char *title, const char *text)
{
	if (!text || !*text)
		return;
	printf("\n%s\n", title);
	indented(text, "  ");
}

/* Who holds the current step: the people with the holder's role, or anybody. */
static void
holders(struct uc3_buf *b, const char *role, const struct uc3_policy *p)
{
	size_t i, j, n = 0;

	if (!p->npeople) {
		uc3_buf_adds(b, _("anyone (single-user mode: the policy lists no people)"));
		return;
	}
	for (i = 0; i < p->npeople; i++)
		for (j = 0; j < p->people[i].nroles; j++)
			if (!strcmp(p->people[i].roles[j], role)) {
				uc3_buf_addf(b, "%s%s", n++ ? ", " : "", p->people[i].email);
				if (p->people[i].name)
					uc3_buf_addf(b, " (%s)", p->people[i].name);
			}
	if (!n)
		uc3_buf_addf(b, _("nobody has the %s role in uc3.yaml"), role);
}

/* A value a correction changed, for one line: its first line, or "(none)". */
static void
change_value(struct uc3_buf *b, const char *s)
{
	const char *nl;
	char *first;

	if (!s) {
		/* TRANSLATORS: uc3 show: a field a correction set or emptied had no value. */
		uc3_buf_adds(b, _("(none)"));
		return;
	}
	nl = strchr(s, '\n');
	first = uc3_xstrndup(s, nl ? (size_t)(nl - s) : strlen(s));
	uc3_utf8_cell(b, first);
	if (nl && nl[1])
		uc3_buf_adds(b, " ...");
	free(first);
}

/* Under an edit or a reopen, each field it changed: "unit: Keuangan -> Bagian Keuangan". */
static void
changes(const struct uc3_event *e)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < e->nchanges; i++) {
		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, e->changes[i].field ? e->changes[i].field : "?");
		uc3_buf_adds(&b, ": ");
		change_value(&b, e->changes[i].before);
		uc3_buf_adds(&b, " -> ");
		change_value(&b, e->changes[i].after);
		printf("      %s\n", b.ptr);
	}
	uc3_buf_release(&b);
}

/* After an attach event, the names of the files it added: "  surat.pdf, foto.jpg". */
static void
files_of(struct uc3_buf *line, const struct uc3_event *e)
{
	const struct uc3_ynode *f = uc3_ynode_get(e->extra, "files");
	size_t i;

	if (!e->action || strcmp(e->action, "attach") || !f || f->type != UC3_YSEQ)
		return;
	for (i = 0; i < f->n; i++) {
		uc3_buf_adds(line, i ? ", " : "  ");
		if (f->items[i]->type == UC3_YSCALAR)
			uc3_utf8_cell(line, f->items[i]->str);
	}
}

/* The files kept with the ticket: name, type and size, in columns. */
static void
attachments(const struct uc3_ticket *t)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i, w, wn = 0, wt = 0;

	if (!t->nattachments)
		return;
	for (i = 0; i < t->nattachments; i++) {
		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, t->attachments[i].name);
		if ((w = uc3_utf8_width(b.ptr)) > wn)
			wn = w;
		if ((w = strlen(t->attachments[i].type)) > wt)
			wt = w;
	}
	printf("\n%s\n", _("Attachments:"));
	for (i = 0; i < t->nattachments; i++) {
		const struct uc3_attachment *a = &t->attachments[i];

		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, a->name);
		for (w = uc3_utf8_width(b.ptr); w < wn + 2; w++)
			uc3_buf_addch(&b, ' ');
		uc3_utf8_cell(&b, a->type);
		for (w = strlen(a->type); w < wt + 2; w++)
			uc3_buf_addch(&b, ' ');
		if (a->size < 1024)
			/* TRANSLATORS: the size of a small attachment (larger ones are KiB, MiB).
			 */
			uc3_buf_addf(&b, ngettext("%zu byte", "%zu bytes", (unsigned long)a->size),
				     a->size);
		else
			uc3_attach_format_size(&b, a->size);
		printf("  %s\n", b.ptr);
	}
	uc3_buf_release(&b);
}

/*
 * The answers a reopen took off the ticket, kept in its event: each in
 * full, with when it was reopened.
 */
static void
earlier_answers(const struct uc3_ticket *t, const struct uc3_policy *p)
{
	struct uc3_buf title = UC3_BUF_INIT, when = UC3_BUF_INIT;
	size_t i, j;

	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (!e->action || strcmp(e->action, "reopen"))
			continue;
		for (j = 0; j < e->nchanges; j++) {
			if (!e->changes[j].field || strcmp(e->changes[j].field, "answer"))
				continue;
			uc3_buf_reset(&when);
			uc3_clock_short_of(&when, e->at, p->timezone);
			uc3_buf_reset(&title);
			/* TRANSLATORS: uc3 show: the heading of an answer a reopen took off. */
			uc3_buf_addf(&title, _("Answer before the reopen of %s:"), when.ptr);
			text_block(title.ptr, e->changes[j].before);
		}
	}
	uc3_buf_release(&title);
	uc3_buf_release(&when);
}

/*
 * --attachment NAME: the file kept with ticket t (its file at path) as
 * it was stored, to stdout. Returns 0, or the exit status of a failure
 * it has named.
 */
static int
put_attachment(struct uc3_store *st, const struct uc3_ticket *t, const char *path, const char *name)
{
	const struct uc3_attachment *a = uc3_ticket_attachment(t, name);
	struct uc3_buf data = UC3_BUF_INIT, names = UC3_BUF_INIT;
	char *file = NULL, blob[41];
	size_t i;
	int rc = UC3_EXIT_ERROR;

	if (!a) {
		for (i = 0; i < t->nattachments; i++) {
			uc3_buf_adds(&names, i ? ", " : "");
			uc3_utf8_escape(&names, t->attachments[i].name, UC3_UTF8_MESSAGE);
		}
		uc3_buf_reset(&data);
		uc3_utf8_escape(&data, name, UC3_UTF8_MESSAGE);
		if (t->nattachments)
			uc3_tool_error("%s has no attachment '%s' (it has %s)", t->id, data.ptr,
				       names.ptr);
		else
			uc3_tool_error("%s has no attachment '%s' (it has none)", t->id, data.ptr);
		goto out;
	}
	/* Binary on a terminal would drive it; text is shown as it is, like git show. */
	if (isatty(STDOUT_FILENO) && strncmp(a->type, "text/", 5)) {
		uc3_tool_error("%s is %s: send it to a file, as uc3 show %s --attachment '%s' > "
			       "'%s'",
			       a->name, a->type, t->id, a->name, a->name);
		goto out;
	}
	file = uc3_records_attachment_path(path, a->name);
	if (uc3_store_blob(blob, st, file) < 0 || strcmp(blob, a->blob)) {
		uc3_tool_error("%s does not hold the file the ticket lists (blob %.12s); run uc3 "
			       "verify",
			       file, a->blob);
		goto out;
	}
	if (uc3_store_read(&data, st, file) < 0) {
		rc = uc3_tool_fail();
		goto out;
	}
	fwrite(data.ptr, 1, data.len, stdout);
	rc = 0;
out:
	free(file);
	uc3_buf_release(&data);
	uc3_buf_release(&names);
	return rc;
}

/*
 * What came with a ticket registered from a mail: when the requester
 * sent it, the closed ticket it came after ("follows UC3-2026-0040,
 * closed"), and that it was an automatic mail, never acknowledged.
 */
static void
mail_in(const struct uc3_ticket *t, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT;

	if (t->sent) {
		uc3_clock_short_of(&b, t->sent, p->timezone);
		/* TRANSLATORS: uc3 show's labels are padded to 10 columns: keep them short. */
		row(_("sent"), b.ptr);
	}
	if (t->follows) {
		uc3_buf_reset(&b);
		/* TRANSLATORS: uc3 show: the closed ticket this one came after. */
		uc3_buf_addf(&b, _("%s, closed"), t->follows);
		row(_("follows"), b.ptr);
	}
	if (t->automatic) {
		uc3_buf_reset(&b);
		/* TRANSLATORS: %s is the mail header that shows it (Auto-Submitted...). */
		uc3_buf_addf(&b, _("automatic mail (%s): no acknowledgement"), t->automatic);
		row(_("mail"), b.ptr);
	}
	uc3_buf_release(&b);
}

/* A follow-up's text in full, under its line, indented as a note is. */
static void
followup_text(const char *text)
{
	indented(text, "      ");
}

/* What waits here to be sent to the central repository (uc3-sync(1)), and its name. */
static struct uc3_waiting_list waiting;
static char *remote;

/* "made offline 2026-12-02 09:24, not yet on origin" when t waits; else nothing. */
static void
waiting_of(struct uc3_buf *b, const struct uc3_ticket *t, const struct uc3_policy *p)
{
	const struct uc3_waiting *w = uc3_waiting_find(&waiting, t->id);

	if (!w)
		return;
	struct uc3_buf when = UC3_BUF_INIT;

	if (uc3_clock_format_short(&when, (time_t)w->made, p->timezone) < 0)
		uc3_error_clear();
	if (remote)
		/* TRANSLATORS: uc3 show: when, then the remote's name ("origin"). */
		uc3_buf_addf(b,
			     w->offline ? _("made offline %s, not yet on %s")
					: _("committed here %s, not yet on %s"),
			     when.ptr, remote);
	else
		/* TRANSLATORS: uc3 show: when, not yet on the central repository. */
		uc3_buf_addf(b,
			     w->offline ? _("made offline %s, not yet on the central")
					: _("committed here %s, not yet on the central"),
			     when.ptr);
	uc3_buf_release(&when);
}

static void
print_text(const struct uc3_ticket *t, const char *path, const struct uc3_policy *p, time_t now)
{
	struct uc3_buf b = UC3_BUF_INIT;
	const struct uc3_role *role = t->level ? uc3_policy_role(p, t->level) : NULL;
	size_t i;

	uc3_utf8_cell(&b, t->id);
	uc3_buf_adds(&b, "  ");
	uc3_utf8_cell(&b, t->subject);
	printf("%s\n\n", b.ptr);
	uc3_buf_reset(&b);
	row(_("kind"), t->kind);
	row(_("channel"), t->channel);
	if (t->requester.name && t->requester.email)
		uc3_buf_addf(&b, "%s <%s>", t->requester.name, t->requester.email);
	else
		uc3_buf_adds(&b, t->requester.name    ? t->requester.name
				 : t->requester.email ? t->requester.email
						      : "");
	row(_("from"), b.ptr);
	row(_("phone"), t->requester.phone);
	row(_("social"), t->requester.social);
	rows(_("address"), t->requester.address);
	row(_("unit"), t->unit ? t->unit : _("(not set yet)"));
	uc3_buf_reset(&b);
	waiting_of(&b, t, p);
	if (b.len)
		row(_("waiting"), b.ptr);
	uc3_buf_reset(&b);
	uc3_clock_short_of(&b, t->received, p->timezone);
	row(_("received"), b.ptr);
	mail_in(t, p);
	uc3_buf_reset(&b);
	uc3_buf_adds(&b, uc3_status_name(t->status));
	if (t->level) {
		/* TRANSLATORS: uc3 show: after the status (open, answered...), the role. */
		uc3_buf_addf(&b,
			     t->status == UC3_STATUS_OPEN ? _(", held by %s")
							  : _(", answered at %s"),
			     t->level);
		if (role && role->name)
			uc3_buf_addf(&b, " (%s)", role->name);
	}
	/* Closed as spam or a duplicate: never answered, whatever level held it. */
	if (t->closed_as) {
		uc3_buf_reset(&b);
		if (t->duplicate_of)
			uc3_buf_addf(&b, _("closed as a duplicate of %s"), t->duplicate_of);
		else
			/* TRANSLATORS: %s is spam or duplicate, kept as they are. */
			uc3_buf_addf(&b, _("closed as %s"), t->closed_as);
	}
	row(_("status"), b.ptr);
	if (t->deadline && t->status != UC3_STATUS_CLOSED) {
		const char *step = uc3_transition_step(t);
		const struct uc3_role *sr = step ? uc3_policy_role(p, step) : NULL;
		const char *holder = uc3_transition_holder(p, t->status, t->level);
		const struct uc3_role *hr = holder ? uc3_policy_role(p, holder) : NULL;
		struct uc3_calendar_span left;

		uc3_buf_reset(&b);
		uc3_clock_short_of(&b, t->deadline, p->timezone);
		if (uc3_transition_time_left(&left, t, p, now) == 0) {
			uc3_buf_adds(&b, ", ");
			uc3_transition_format_left(&b, &left);
		}
		row(_("deadline"), b.ptr);
		uc3_buf_reset(&b);
		uc3_buf_addf(&b, "%s", step ? step : "-");
		if (sr && sr->name && strcmp(sr->name, sr->id))
			uc3_buf_addf(&b, " (%s)", sr->name);
		row(_("step"), b.ptr);
		uc3_buf_reset(&b);
		uc3_buf_adds(&b, holder ? holder : "-");
		if (hr && hr->name && strcmp(hr->name, hr->id))
			uc3_buf_addf(&b, " (%s)", hr->name);
		row(_("holder"), b.ptr);
		uc3_buf_reset(&b);
		holders(&b, holder ? holder : "-", p);
		row(_("who"), b.ptr);
	}
	row(_("file"), path);
	text_block(_("Body:"), t->body);
	text_block(_("Answer:"), t->answer);
	earlier_answers(t, p);
	attachments(t);
	if (t->nevents)
		printf("\n%s\n", _("History:"));
	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];
		struct uc3_buf when = UC3_BUF_INIT, line = UC3_BUF_INIT;
		size_t w;

		uc3_clock_short_of(&when, e->at, p->timezone);
		uc3_utf8_cell(&line, when.ptr);
		uc3_buf_adds(&line, "  ");
		w = line.len;
		uc3_utf8_cell(&line, e->action ? e->action : "?");
		for (w = uc3_utf8_width(line.ptr + w); w < 8; w++)
			uc3_buf_addch(&line, ' ');
		uc3_buf_addch(&line, ' ');
		uc3_utf8_cell(&line, e->by ? e->by : "?");
		if (e->from) {
			uc3_buf_adds(&line, "  ");
			uc3_utf8_cell(&line, e->from);
			uc3_buf_adds(&line, " -> ");
			uc3_utf8_cell(&line, e->to ? e->to : "");
		} else if (e->to) {
			struct uc3_buf to = UC3_BUF_INIT;

			/* " to X", or what a mail said: " by mail to X", " to X: received". */
			if (!uc3_transition_mail_words(&to, e))
				uc3_buf_addf(&to, _(" to %s"), e->to);
			uc3_buf_addch(&line, ' ');
			uc3_utf8_cell(&line, to.ptr);
			uc3_buf_release(&to);
		}
		if (e->role) {
			struct uc3_buf role = UC3_BUF_INIT, from = UC3_BUF_INIT;

			uc3_utf8_cell(&role, e->role);
			uc3_buf_adds(&line, "  ");
			if (e->step.name && e->step.taken_over) {
				uc3_utf8_cell(&from, e->step.name);
				/* TRANSLATORS: uc3 show's history: acting as role %s, taking over
				 * role %s's step. */
				uc3_buf_addf(&line, _("as %s, taken over from %s"), role.ptr,
					     from.ptr);
			} else {
				/* TRANSLATORS: uc3 show's history: acting as role %s. */
				uc3_buf_addf(&line, _("as %s"), role.ptr);
			}
			uc3_buf_release(&role);
			uc3_buf_release(&from);
		}
		if (e->as) {
			struct uc3_buf as = UC3_BUF_INIT, of = UC3_BUF_INIT;

			uc3_utf8_cell(&as, e->as);
			uc3_buf_adds(&line, "  ");
			if (e->of) {
				uc3_utf8_cell(&of, e->of);
				/* TRANSLATORS: uc3 show's history: closed "as duplicate of
				 * UC3-2026-0001". */
				uc3_buf_addf(&line, _("as %s of %s"), as.ptr, of.ptr);
			} else {
				uc3_buf_addf(&line, _("as %s"), as.ptr);
			}
			uc3_buf_release(&as);
			uc3_buf_release(&of);
		}
		if (e->sender) {
			struct uc3_buf from = UC3_BUF_INIT;

			uc3_utf8_cell(&from, e->sender);
			uc3_buf_adds(&line, "  ");
			uc3_buf_addf(&line, _("follow-up by mail from %s"), from.ptr);
			uc3_buf_release(&from);
		}
		files_of(&line, e);
		if (e->step.name && e->step.late) {
			struct uc3_buf step = UC3_BUF_INIT;

			uc3_utf8_cell(&step, e->step.name);
			/* TRANSLATORS: uc3 log and uc3 show: the step of role %s ended late. */
			uc3_buf_addf(&line, _("  (%s step late)"), step.ptr);
			uc3_buf_release(&step);
		}
		printf("  %s\n", line.ptr);
		if (e->sender && e->note && *e->note) {
			followup_text(e->note);
		} else if (e->note && *e->note) {
			const char *nl = strchr(e->note, '\n');
			char *first = uc3_xstrndup(e->note,
						   nl ? (size_t)(nl - e->note) : strlen(e->note));

			uc3_buf_reset(&line);
			uc3_utf8_cell(&line, first);
			printf("      %s%s\n", line.ptr, nl && nl[1] ? " ..." : "");
			free(first);
		}
		changes(e);
		uc3_buf_release(&when);
		uc3_buf_release(&line);
	}
	uc3_buf_release(&b);
}

/*
 * --format html: the paper record, one ticket as a printable A4 form
 * made from the template ticket.html (the records' own, else the
 * installed one), with the signature of each commit that changed it as
 * uc3 log gives it. Returns 0, or the exit status of a failure it has
 * named; what stopped the signatures' check is a warning.
 */
static int
put_form(struct uc3_store *st, const struct uc3_ticket *t, const char *path, time_t now)
{
	struct uc3_trail_commit *c = NULL;
	struct uc3_buf tmpl = UC3_BUF_INIT, out = UC3_BUF_INIT;
	struct uc3_trail_sig *v;
	size_t n = 0, i;
	int rc = UC3_EXIT_ERROR;

	if (uc3_paper_template(&tmpl, st, uc3_tool_datadir(), UC3_PAPER_TEMPLATE) < 0 ||
	    uc3_trail_of(&c, &n, st, path) < 0) {
		rc = uc3_tool_fail();
		goto out;
	}
	v = uc3_xcalloc(n + 1, sizeof(*v));
	for (i = 0; i < n; i++)
		v[i] = c[i].sig;
	if (uc3_trail_check(st, v, n) < 0)
		uc3_tool_warn("signatures not checked: %s", uc3_error_last());
	if (uc3_trail_audit(st, v, n) < 0)
		uc3_tool_warn("the audit did not run: %s", uc3_error_last());
	for (i = 0; i < n; i++)
		c[i].sig = v[i];
	free(v);
	if (uc3_paper_render(&out, tmpl.ptr, tmpl.len, "templates/" UC3_PAPER_TEMPLATE, t, path,
			     uc3_store_policy(st), c, n, now) < 0) {
		rc = uc3_tool_fail();
		goto out;
	}
	uc3_tool_put(&out);
	rc = 0;
out:
	uc3_trail_free(c, n);
	uc3_buf_release(&tmpl);
	uc3_buf_release(&out);
	return rc;
}

/* --format, remembering that it was given (--attachment takes none), and html. */
static bool format_given, html;

static int
format_opt(const struct uc3_opt *opt, const char *arg)
{
	format_given = true;
	html = !strcmp(arg, "html");
	if (html)
		return 0;
	if (strcmp(arg, "text") && strcmp(arg, "json")) {
		uc3_tool_error("unknown format '%s': use text, json or html", arg);
		return -1;
	}
	return uc3_opt_format(opt, arg);
}

int
main(int argc, char **argv)
{
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	const char *dir = NULL, *attachment = NULL;
	time_t now;
	int rc, i, shown = 0, status = 0;

	static const char *const usage[] = { "uc3 show [-C dir] [--format text|json|html] id...",
					     "uc3 show [-C dir] --attachment name id", NULL };
	const struct uc3_opt options[] = {
		UC3_OPT_CALLBACK(0, "format", &fmt, "FMT",
				 "text (default), json (the file's fields), or html\n"
				 "(one ticket as a printable A4 form)",
				 format_opt),
		UC3_OPT_STRING(0, "attachment", &attachment, "NAME",
			       "write the file kept with the ticket under NAME to\n"
			       "standard output, as it was attached"),
		UC3_OPT_DIR(&dir), UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 show",
		usage,
		N_("Show tickets: what each is, who sent it, where it stands, its deadline,\n"
		   "its body and answer, the files kept with it, and its history. An id\n"
		   "may be 42 (this year's), 2026-42 or UC3-2026-0042, in any case.\n"),
		N_("See uc3-show(1).\n"),
		options,
		0
	};

	fmt = (enum uc3_format) - 1;
	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	format_given = fmt != (enum uc3_format) - 1;
	if (!format_given)
		fmt = UC3_FORMAT_TEXT;
	if (argc < 1)
		return uc3_opt_usage_error(&cmd, "which ticket? give its id");
	if (attachment && argc > 1)
		return uc3_opt_usage_error(&cmd, "--attachment takes one ticket id");
	if (html && argc > 1)
		return uc3_opt_usage_error(&cmd, "--format html prints one ticket: give one id");
	if (attachment && format_given)
		return uc3_opt_usage_error(&cmd,
					   "--attachment writes the file as it is: no --format");
	if (uc3_store_open(&st, dir) < 0)
		return uc3_tool_fail();
	uc3_tool_freshen(st);
	if (uc3_sync_waiting(&waiting, st) < 0) {
		uc3_tool_warn("%s", uc3_error_last());
		uc3_error_clear();
	}
	remote = uc3_store_config(st, "uc3.remote");
	if (uc3_clock_now(&now) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
	}
	for (i = 0; i < argc; i++) {
		char *id = NULL, *path = NULL;
		struct uc3_ticket *t = NULL;

		if (uc3_records_id(&id, st, argv[i]) < 0 ||
		    uc3_records_load(&t, &path, st, id) < 0) {
			status = uc3_tool_fail();
		} else if (attachment) {
			status = put_attachment(st, t, path, attachment);
		} else if (html) {
			status = put_form(st, t, path, now);
		} else if (fmt == UC3_FORMAT_JSON) {
			struct uc3_buf b = UC3_BUF_INIT;

			/* One object a line: JSON Lines when there are several. */
			uc3_json_ticket_at(&b, t, uc3_store_policy(st), now);
			if (uc3_waiting_find(&waiting, t->id) && b.len && b.ptr[b.len - 1] == '}') {
				uc3_buf_setlen(&b, b.len - 1);
				uc3_buf_adds(&b, ",\"waiting\":true}");
			}
			printf("%s\n", b.ptr);
			uc3_buf_release(&b);
		} else {
			/* A blank line between tickets, as git show puts between commits. */
			if (shown++)
				putchar('\n');
			print_text(t, path, uc3_store_policy(st), now);
		}
		free(id);
		free(path);
		uc3_ticket_free(t);
	}
	uc3_waiting_list_release(&waiting);
	free(remote);
	uc3_store_free(st);
	return uc3_tool_finish(status);
}
