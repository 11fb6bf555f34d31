/*
 * uc3 list: tickets, one a line, filtered by status, level or a pattern.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "json.h"
#include "policy.h"
#include "rx.h"
#include "store.h"
#include "records.h"
#include "ticket.h"
#include "tool.h"
#include "transition.h"
#include "utf8.h"
#include "xalloc.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: uc3 list [-C dir] [--format text|json] [--grep pcre] [--level level]\n"
		   "                [--status status]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "List tickets, one a line: id, received, kind, status, level, deadline,\n"
	       "business time left in the current step (or how late it is), subject;\n"
	       "oldest first.\n"
	       "\n"
	       "      --status S     open, answered, delivered or closed\n"
	       "      --level L      held by this role of the chain (staf, wakor, ...)\n"
	       "      --grep PCRE    subject, body or requester matches (Perl syntax, UTF-8;\n"
	       "                     (?i) for any case)\n"
	       "      --format FMT   text (default) or json (an array of tickets)\n"
	       "  -C DIR             the records repository\n"
	       "\n"
	       "See uc3-list(1).\n");
}

struct filter {
	bool by_status;
	enum uc3_status status;
	const char *level;
	struct uc3_rx *rx;
};

struct list {
	struct filter f;
	struct uc3_ticket **t;
	time_t *received;
	size_t n, alloc, alloc2;
	int broken;
	int failed;
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

static bool
keep(const struct filter *f, const struct uc3_ticket *t, int *err)
{
	if (f->by_status && t->status != f->status)
		return false;
	if (f->level && (!t->level || strcmp(t->level, f->level) || t->status == UC3_STATUS_CLOSED))
		return false;
	if (f->rx)
		return field_matches(f->rx, t->subject, err) || field_matches(f->rx, t->body, err) ||
		       field_matches(f->rx, t->requester.name, err) ||
		       field_matches(f->rx, t->requester.email, err) ||
		       field_matches(f->rx, t->requester.phone, err);
	return true;
}

/* A broken file is named on stderr and the walk goes on. */
static int
visit(const char *path, const char *data, size_t len, void *ctx)
{
	struct list *l = ctx;
	struct uc3_ticket *t;
	int err = 0;

	/*
	 * Parsing is most of the cost of a list: a file uc3 wrote that states
	 * another status is passed over unread. Others are parsed, so that a
	 * hand-edited or broken file is still checked and named.
	 */
	if (!data) {
		/* Over the size limit: not read, named all the same. */
		uc3_tool_error("%s", uc3_error_last());
		l->broken++;
		return 0;
	}
	if (l->f.by_status) {
		enum uc3_status s;

		if (uc3_ticket_peek_status(&s, data, len) && s != l->f.status)
			return 0;
	}
	if (uc3_ticket_parse(&t, data, len, path) < 0) {
		uc3_tool_error("%s", uc3_error_last());
		l->broken++;
		return 0;
	}
	if (!keep(&l->f, t, &err)) {
		uc3_ticket_free(t);
		if (err < 0) {
			uc3_tool_error("%s: %s", path, uc3_error_last());
			l->failed++;
		}
		return 0;
	}
	uc3_xgrow((void **)&l->t, &l->alloc, l->n + 1, sizeof(*l->t));
	uc3_xgrow((void **)&l->received, &l->alloc2, l->n + 1, sizeof(*l->received));
	if (uc3_clock_parse(&l->received[l->n], t->received, NULL) < 0)
		l->received[l->n] = 0;
	l->t[l->n++] = t;
	return 0;
}

static struct list *sort_list;

static int
cmp_idx(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	time_t rx = sort_list->received[x], ry = sort_list->received[y];

	if (rx != ry)
		return rx < ry ? -1 : 1;
	return strcmp(sort_list->t[x]->id, sort_list->t[y]->id);
}

static size_t
term_width(void)
{
	struct winsize ws;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col)
		return ws.ws_col;
	return 0;
}

static void
pad(const char *s, size_t width)
{
	size_t w = uc3_utf8_width(s);

	fputs(s, stdout);
	while (w++ < width)
		putchar(' ');
}

#define NCOL 8

static void
print_table(struct list *l, const size_t *order, const struct uc3_policy *p, time_t now)
{
	const char *tz = p->timezone;
	static const char *const head[NCOL] = { "ID",	    "RECEIVED", "KIND", "STATUS",
						"LEVEL",    "DEADLINE", "LEFT", "SUBJECT" };
	struct uc3_buf *cells = uc3_xcalloc(l->n * NCOL, sizeof(*cells));
	size_t width[NCOL], i, c, cols = term_width();

	for (c = 0; c < NCOL; c++)
		width[c] = strlen(head[c]);
	for (i = 0; i < l->n; i++) {
		const struct uc3_ticket *t = l->t[order[i]];
		struct uc3_buf *r = &cells[i * NCOL];

		for (c = 0; c < NCOL; c++)
			uc3_buf_init(&r[c]);
		uc3_utf8_cell(&r[0], t->id);
		uc3_clock_short_of(&r[1], t->received, tz);
		uc3_utf8_cell(&r[2], t->kind);
		uc3_buf_adds(&r[3], uc3_status_name(t->status));
		uc3_utf8_cell(&r[4], t->status == UC3_STATUS_CLOSED || !t->level ? "-" : t->level);
		if (t->deadline && t->status != UC3_STATUS_CLOSED)
			uc3_clock_short_of(&r[5], t->deadline, tz);
		else
			uc3_buf_adds(&r[5], "-");
		{
			long left;

			if (uc3_ticket_time_left(&left, t, p, now) < 0)
				uc3_buf_adds(&r[6], "-");
			else if (left >= 0)
				uc3_clock_format_duration(&r[6], left);
			else {
				uc3_buf_adds(&r[6], "late ");
				uc3_clock_format_duration(&r[6], -left);
			}
		}
		uc3_utf8_cell(&r[7], t->subject);
		for (c = 0; c < NCOL; c++) {
			size_t w = uc3_utf8_width(r[c].ptr);

			if (w > width[c])
				width[c] = w;
		}
	}
	for (i = 0; i <= l->n; i++) {
		size_t used = 0;

		for (c = 0; c < NCOL; c++) {
			const char *s = i ? cells[(i - 1) * NCOL + c].ptr : head[c];

			if (c == NCOL - 1) {
				/* Cut the subject to the terminal, never a character in half. */
				if (cols && used < cols)
					printf("%.*s\n", (int)uc3_utf8_fit(s, cols - used), s);
				else
					printf("%s\n", s);
			} else {
				pad(s, width[c]);
				fputs("  ", stdout);
				used += width[c] + 2;
			}
		}
	}
	for (i = 0; i < l->n * NCOL; i++)
		uc3_buf_release(&cells[i]);
	free(cells);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "grep", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ "level", required_argument, NULL, 'l' },
		{ "status", required_argument, NULL, 's' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	struct list l = { 0 };
	const char *dir = NULL, *pattern = NULL, *status = NULL;
	size_t *order = NULL, i;
	int ch, rc, exit_status = 0;

	uc3_tool_init("uc3 list");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":C:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'f':
			if (uc3_tool_format(&fmt, optarg, false) < 0)
				return UC3_EXIT_ERROR;
			break;
		case 'g':
			pattern = optarg;
			break;
		case 'h':
			help();
			return uc3_tool_finish(0);
		case 'l':
			l.f.level = optarg;
			break;
		case 's':
			status = optarg;
			break;
		case 'V':
			return uc3_tool_version();
		default:
			uc3_tool_bad_option(ch, argv);
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		uc3_tool_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		return UC3_EXIT_ERROR;
	}
	if (status) {
		if (uc3_status_parse(&l.f.status, status) < 0) {
			uc3_tool_error("unknown status '%s': use open, answered, delivered or closed",
				       status);
			return UC3_EXIT_ERROR;
		}
		l.f.by_status = true;
	}
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	if (l.f.level && !uc3_policy_role(uc3_store_policy(st), l.f.level)) {
		const struct uc3_policy *p = uc3_store_policy(st);
		struct uc3_buf roles = UC3_BUF_INIT;

		for (i = 0; i < p->nroles; i++)
			uc3_buf_addf(&roles, "%s%s", i ? ", " : "", p->roles[i].id);
		uc3_tool_error("unknown level '%s': the chain is %s", l.f.level, roles.ptr);
		uc3_buf_release(&roles);
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	if (pattern && (rc = uc3_rx_compile(&l.f.rx, pattern, 0)) < 0) {
		uc3_tool_error("--grep: %s", uc3_error_last());
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	if ((rc = uc3_store_foreach_ticket(st, visit, &l)) < 0) {
		uc3_tool_fail();
		exit_status = UC3_EXIT_ERROR;
	}
	order = uc3_xcalloc(l.n ? l.n : 1, sizeof(*order));
	for (i = 0; i < l.n; i++)
		order[i] = i;
	sort_list = &l;
	qsort(order, l.n, sizeof(*order), cmp_idx);
	if (fmt == UC3_FORMAT_JSON) {
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_buf_addch(&b, '[');
		for (i = 0; i < l.n; i++) {
			uc3_buf_adds(&b, i ? ",\n" : "\n");
			uc3_json_ticket(&b, l.t[order[i]]);
		}
		uc3_buf_adds(&b, l.n ? "\n]\n" : "]\n");
		fwrite(b.ptr, 1, b.len, stdout);
		uc3_buf_release(&b);
	} else if (l.n) {
		time_t now;

		if (uc3_clock_now(&now) < 0) {
			uc3_tool_fail();
			exit_status = UC3_EXIT_ERROR;
		} else {
			print_table(&l, order, uc3_store_policy(st), now);
		}
	}
	if (l.broken) {
		uc3_tool_error("%d ticket file%s could not be read (named above)", l.broken,
			       l.broken == 1 ? "" : "s");
		exit_status = UC3_EXIT_ERROR;
	}
	if (l.failed)
		exit_status = UC3_EXIT_ERROR;
	for (i = 0; i < l.n; i++)
		uc3_ticket_free(l.t[i]);
	free(l.t);
	free(l.received);
	free(order);
	uc3_rx_free(l.f.rx);
	uc3_store_free(st);
	return uc3_tool_finish(exit_status);
}
