/*
 * uc3 log: the history of tickets as git holds it, newest first: who did
 * what when, and whether the commit's signature holds.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "json.h"
#include "message.h"
#include "store.h"
#include "ticket.h"
#include "tool.h"
#include "utf8.h"
#include "verify.h"
#include "xalloc.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: uc3 log [-C dir] [-n count] [--format text|json] [id]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "The history from git, newest first: when, who, the ticket, the action\n"
	       "(from -> to), the note, and the signature of the commit (good, bad,\n"
	       "none, or unknown when git cannot check it here).\n"
	       "\n"
	       "  -n, --max-count N   at most N entries\n"
	       "      --format FMT    text (default) or json (an array, one object per event)\n"
	       "  -C DIR              the records repository\n"
	       "\n"
	       "See uc3-log(1).\n");
}

/* One line of the log: an event a commit appended, or a commit of another kind. */
struct entry {
	char commit[41];
	bool is_signed;
	enum uc3_sig sig;	/* as git sees it */
	char verdict;		/* as the audit sees it (verify.h); 0: not known */
	char *ticket;		/* NULL: not a ticket change (policy, templates, init) */
	struct uc3_event ev;	/* at, by, action, from, to, note, step */
	bool hand;		/* changed without a uc3 event */
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
	memcpy(e->commit, c->id, sizeof(e->commit));
	e->is_signed = c->is_signed;
	e->sig = c->is_signed ? UC3_SIG_UNKNOWN : UC3_SIG_NONE;
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
	size_t i, k;

	for (i = 0; i < nch; i++) {
		struct uc3_ticket *old = NULL, *new = NULL;
		size_t from = 0;

		if (strncmp(ch[i].path, "tickets/", 8))
			continue;
		any = true;
		if (ch[i].new_data && uc3_ticket_parse(&new, ch[i].new_data, ch[i].new_len,
						       ch[i].path) < 0) {
			uc3_tool_warn("%s (in commit %.7s)", uc3_error_last(), c->id);
			l->broken++;
		}
		if (ch[i].old_data && uc3_ticket_parse(&old, ch[i].old_data, ch[i].old_len,
						       ch[i].path) < 0)
			old = NULL;
		if (old && new) {
			for (from = 0; from < old->nevents && from < new->nevents; from++)
				if (!uc3_event_equal(&old->events[from], &new->events[from]))
					break;
			if (from < old->nevents)
				from = new->nevents;	/* events were rewritten: nothing new to trust */
		}
		if (new && from < new->nevents) {
			/* Newest first, also inside one commit. */
			for (k = new->nevents; k > from; k--) {
				struct entry *e;

				if (l->max > 0 && (long)l->n >= l->max)
					break;
				e = add(l, c);
				const struct uc3_event *ev = &new->events[k - 1];

				e->ticket = uc3_xstrdup(new->id);
				e->ev.at = dup0(ev->at);
				e->ev.by = dup0(ev->by);
				e->ev.action = dup0(ev->action);
				e->ev.from = dup0(ev->from);
				e->ev.to = dup0(ev->to);
				e->ev.note = dup0(ev->note);
				e->ev.step.name = dup0(ev->step.name);
				e->ev.step.due = dup0(ev->step.due);
				e->ev.step.late = ev->step.late;
			}
		} else {
			const char *slash = strrchr(ch[i].path, '/');
			char *id = uc3_xstrdup(slash ? slash + 1 : ch[i].path);
			char *dot = strstr(id, ".yaml");

			if (dot)
				*dot = '\0';
			if (!(l->max > 0 && (long)l->n >= l->max))
				add_plain(l, c, new ? new->id : id,
					  ch[i].new_data ? "edit" : "remove");
			free(id);
		}
		uc3_ticket_free(old);
		uc3_ticket_free(new);
	}
	if (!any && !(l->max > 0 && (long)l->n >= l->max))
		add_plain(l, c, NULL, "edit");
	return l->max > 0 && (long)l->n >= l->max ? 1 : 0;
}

static const char *
sig_name(const struct entry *e)
{
	switch (e->verdict) {
	case 'g':
		return "good";
	case 'n':
		return "none";
	case 'b':
		return "bad";
	case 'x':
		return "not allowed";
	default:
		break;
	}
	switch (e->sig) {
	case UC3_SIG_GOOD:
		return "good";
	case UC3_SIG_BAD:
		return "bad";
	case UC3_SIG_NONE:
		return "none";
	default:
		return "unknown";
	}
}

/*
 * The columns of one entry, each on one line with control characters
 * escaped (uc3_utf8_cell): events come from ticket files, which a hand
 * edit can fill with anything.
 */
struct cols {
	struct uc3_buf ticket, what, by;
};

static void
entry_cols(struct cols *c, const struct entry *e)
{
	uc3_buf_init(&c->ticket);
	uc3_buf_init(&c->what);
	uc3_buf_init(&c->by);
	uc3_utf8_cell(&c->ticket, e->ticket ? e->ticket : "-");
	uc3_utf8_cell(&c->what, e->ev.action ? e->ev.action : "?");
	if (e->ev.from) {
		uc3_buf_addch(&c->what, ' ');
		uc3_utf8_cell(&c->what, e->ev.from);
		uc3_buf_adds(&c->what, " -> ");
		uc3_utf8_cell(&c->what, e->ev.to ? e->ev.to : "?");
	} else if (e->ev.to) {
		uc3_buf_adds(&c->what, " to ");
		uc3_utf8_cell(&c->what, e->ev.to);
	}
	uc3_utf8_cell(&c->by, e->ev.by ? e->ev.by : "?");
}

static void
pad(const struct uc3_buf *b, size_t width)
{
	size_t w;

	fputs(b->ptr, stdout);
	for (w = uc3_utf8_width(b->ptr); w < width; w++)
		putchar(' ');
}

static void
print_text(const struct log *l)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct cols *cols = uc3_xcalloc(l->n ? l->n : 1, sizeof(*cols));
	size_t i, wt = 1, wb = 0, ww = 0, w;

	for (i = 0; i < l->n; i++) {
		entry_cols(&cols[i], &l->e[i]);
		if ((w = uc3_utf8_width(cols[i].ticket.ptr)) > wt)
			wt = w;
		if ((w = uc3_utf8_width(cols[i].what.ptr)) > ww)
			ww = w;
		if ((w = uc3_utf8_width(cols[i].by.ptr)) > wb)
			wb = w;
	}
	for (i = 0; i < l->n; i++) {
		const struct entry *e = &l->e[i];

		uc3_buf_reset(&b);
		uc3_clock_short_of(&b, e->ev.at, l->tz);
		printf("%s  %.7s  ", b.ptr, e->commit);
		pad(&cols[i].ticket, wt);
		fputs("  ", stdout);
		pad(&cols[i].what, ww);
		fputs("  ", stdout);
		pad(&cols[i].by, wb);
		printf("  sig:%s", sig_name(e));
		if (e->ev.step.name && e->ev.step.late) {
			uc3_buf_reset(&b);
			uc3_utf8_cell(&b, e->ev.step.name);
			printf("  (%s step late)", b.ptr);
		}
		if (e->hand)
			printf("  (changed without a uc3 event)");
		putchar('\n');
		if (e->ev.note && *e->ev.note) {
			const char *p;

			uc3_buf_reset(&b);
			uc3_utf8_text(&b, e->ev.note);
			for (p = b.ptr; *p;) {
				const char *nl = strchr(p, '\n');
				size_t len = nl ? (size_t)(nl - p) : strlen(p);

				printf("    %.*s\n", (int)len, p);
				p += len + (nl ? 1 : 0);
			}
		}
	}
	for (i = 0; i < l->n; i++) {
		uc3_buf_release(&cols[i].ticket);
		uc3_buf_release(&cols[i].what);
		uc3_buf_release(&cols[i].by);
	}
	free(cols);
	uc3_buf_release(&b);
}

static void
print_json(const struct log *l)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	uc3_buf_addch(&b, '[');
	for (i = 0; i < l->n; i++) {
		const struct entry *e = &l->e[i];
		const char *keys[] = { "at", "by", "action", "from", "to", "note" };
		const char *vals[] = { e->ev.at, e->ev.by, e->ev.action, e->ev.from, e->ev.to,
				       e->ev.note };
		size_t k;

		uc3_buf_adds(&b, i ? ",\n{\"commit\":" : "\n{\"commit\":");
		uc3_json_str(&b, e->commit);
		uc3_buf_adds(&b, ",\"ticket\":");
		uc3_json_str(&b, e->ticket);
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
			if (!vals[k])
				continue;
			uc3_buf_addf(&b, ",\"%s\":", keys[k]);
			uc3_json_str(&b, vals[k]);
		}
		if (e->ev.step.name) {
			uc3_buf_adds(&b, ",\"step\":{\"name\":");
			uc3_json_str(&b, e->ev.step.name);
			if (e->ev.step.due) {
				uc3_buf_adds(&b, ",\"due\":");
				uc3_json_str(&b, e->ev.step.due);
			}
			uc3_buf_addf(&b, ",\"late\":%s}", e->ev.step.late ? "true" : "false");
		}
		uc3_buf_adds(&b, ",\"signature\":");
		uc3_json_str(&b, sig_name(e));
		uc3_buf_addf(&b, ",\"uc3_event\":%s}", e->hand || !e->ticket ? "false" : "true");
	}
	uc3_buf_adds(&b, l->n ? "\n]\n" : "]\n");
	fwrite(b.ptr, 1, b.len, stdout);
	uc3_buf_release(&b);
}

/* Check each signed commit once, in one git process. */
static int
check_signatures(struct log *l, struct uc3_store *st)
{
	const char **ids = uc3_xcalloc(l->n + 1, sizeof(*ids));
	enum uc3_sig *res = uc3_xcalloc(l->n + 1, sizeof(*res));
	size_t i, j, n = 0;
	int rc;

	for (i = 0; i < l->n; i++) {
		bool seen = false;

		if (!l->e[i].is_signed)
			continue;
		for (j = 0; j < n && !seen; j++)
			seen = !strcmp(ids[j], l->e[i].commit);
		if (!seen)
			ids[n++] = l->e[i].commit;
	}
	rc = n ? uc3_store_verify_signatures(st, ids, n, res) : 0;
	for (i = 0; rc == 0 && i < l->n; i++)
		for (j = 0; j < n; j++)
			if (l->e[i].is_signed && !strcmp(ids[j], l->e[i].commit))
				l->e[i].sig = res[j];
	free(ids);
	free(res);
	return rc;
}

/*
 * The audit's word on each commit (uc3 verify, with its cache): good by a
 * key the policy gives the author, bad, or not allowed. Where the policy
 * lists nobody, git's own check stands.
 */
static void
audit(struct log *l, struct uc3_store *st)
{
	struct uc3_verify_opts o = { 0 };
	struct uc3_verify_result r;
	size_t i;

	o.skew = 300;
	o.use_cache = true;
	if (uc3_verify(&r, st, &o) < 0) {
		uc3_tool_warn("the audit did not run: %s", uc3_error_last());
		return;
	}
	for (i = 0; i < l->n; i++) {
		char v = uc3_verify_verdict(&r, l->e[i].commit);

		l->e[i].verdict = v == 'u' ? 0 : v;
	}
	uc3_verify_result_release(&r);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "max-count", required_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	struct log l = { 0 };
	const char *dir = NULL;
	char *path = NULL, *end;
	size_t i;
	int ch, rc, status = 0;

	uc3_tool_init("uc3 log");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":C:hn:", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'f':
			if (uc3_tool_format(&fmt, optarg, false) < 0)
				return UC3_EXIT_ERROR;
			break;
		case 'h':
			help();
			return uc3_tool_finish(0);
		case 'n':
			l.max = strtol(optarg, &end, 10);
			if (*end || l.max <= 0) {
				uc3_tool_error("-n needs a positive number, not '%s'", optarg);
				return UC3_EXIT_ERROR;
			}
			break;
		case 'V':
			return uc3_tool_version();
		default:
			uc3_tool_bad_option(ch, argv);
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
	}
	if (argc - optind > 1) {
		uc3_tool_error("one ticket id at most");
		usage(stderr);
		return UC3_EXIT_ERROR;
	}
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	l.tz = uc3_store_policy(st)->timezone;
	if (optind < argc && (rc = uc3_store_find_ticket(&path, st, argv[optind])) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
	}
	rc = uc3_store_log(st, path, visit, &l);
	if (rc < 0)
		status = uc3_tool_fail();
	else if (check_signatures(&l, st) < 0)
		uc3_tool_warn("signatures not checked: %s", uc3_error_last());
	/* A walk that -n stopped early is a success too. */
	if (rc >= 0)
		audit(&l, st);
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
		free(l.e[i].ev.step.name);
		free(l.e[i].ev.step.due);
	}
	free(l.e);
	free(path);
	uc3_store_free(st);
	return uc3_tool_finish(status);
}
