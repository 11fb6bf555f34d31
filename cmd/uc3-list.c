/*
 * uc3 list: tickets, one a line, filtered by status, level or a pattern.
 */
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
#include "opt.h"
#include "policy.h"
#include "records.h"
#include "rx.h"
#include "store.h"
#include "table.h"
#include "ticket.h"
#include "tool.h"
#include "transition.h"
#include "xalloc.h"

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
		return field_matches(f->rx, t->subject, err) ||
		       field_matches(f->rx, t->body, err) ||
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
print_table(struct list *l, const size_t *order, const struct uc3_policy *p, time_t now)
{
	static const char *const head[] = { "ID",    "RECEIVED", "KIND", "STATUS",
					    "LEVEL", "DEADLINE", "LEFT", "SUBJECT" };
	struct uc3_table tab;
	struct uc3_buf b = UC3_BUF_INIT, out = UC3_BUF_INIT;
	size_t i, c;

	uc3_table_init(&tab, 8);
	for (c = 0; c < 8; c++)
		uc3_table_column(&tab, c, head[c], UC3_TABLE_LEFT, 0);
	for (i = 0; i < l->n; i++) {
		const struct uc3_ticket *t = l->t[order[i]];
		long left;

		uc3_table_add(&tab, t->id);
		uc3_buf_reset(&b);
		uc3_clock_short_of(&b, t->received, p->timezone);
		uc3_table_add(&tab, b.ptr);
		uc3_table_add(&tab, t->kind);
		if (t->closed_as)
			uc3_table_addf(&tab, "closed (%s)", t->closed_as);
		else
			uc3_table_add(&tab, uc3_status_name(t->status));
		uc3_table_add(&tab, t->status == UC3_STATUS_CLOSED || !t->level ? "-" : t->level);
		uc3_buf_reset(&b);
		if (t->deadline && t->status != UC3_STATUS_CLOSED)
			uc3_clock_short_of(&b, t->deadline, p->timezone);
		else
			uc3_buf_adds(&b, "-");
		uc3_table_add(&tab, b.ptr);
		uc3_buf_reset(&b);
		if (uc3_transition_time_left(&left, t, p, now) < 0) {
			uc3_buf_adds(&b, "-");
		} else if (left >= 0) {
			uc3_clock_format_duration(&b, left);
		} else {
			uc3_buf_adds(&b, "late ");
			uc3_clock_format_duration(&b, -left);
		}
		uc3_table_add(&tab, b.ptr);
		uc3_table_add(&tab, t->subject);
	}
	/* Cut the subject to the terminal. */
	uc3_table_render(&out, &tab, term_width());
	uc3_tool_put(&out);
	uc3_table_release(&tab);
	uc3_buf_release(&b);
}

int
main(int argc, char **argv)
{
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	struct list l = { 0 };
	const char *dir = NULL, *pattern = NULL, *status = NULL;
	size_t *order = NULL, i;
	int rc, exit_status = 0;

	static const char *const usage[] = {
		"uc3 list [-C dir] [--format text|json] [--grep pcre] [--level level]",
		"         [--status status]", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "status", &status, "S", "open, answered, delivered or closed"),
		UC3_OPT_STRING(0, "level", &l.f.level, "L",
			       "held by this role of the chain (staf, wakor, ...)"),
		UC3_OPT_STRING(0, "grep", &pattern, "PCRE",
			       "subject, body or requester matches (Perl syntax, UTF-8;\n"
			       "(?i) for any case)"),
		UC3_OPT_FORMAT(&fmt, "text (default) or json (an array of tickets)"),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 list",
		usage,
		"List tickets, one a line: id, received, kind, status, level, deadline,\n"
		"business time left in the current step (or how late it is), subject;\n"
		"oldest first.\n",
		"See uc3-list(1).\n",
		options,
		UC3_OPT_NO_ARGS
	};

	if (uc3_opt_parse(argc, argv, &cmd, &rc) < 0)
		return rc;
	if (status) {
		if (uc3_status_parse(&l.f.status, status) < 0) {
			uc3_tool_error(
				"unknown status '%s': use open, answered, delivered or closed",
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
	if ((rc = uc3_records_foreach(st, visit, &l)) < 0) {
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
		struct uc3_json j;

		uc3_json_init(&j, &b, 0);
		uc3_json_array(&j, NULL, UC3_JSON_LINES);
		for (i = 0; i < l.n; i++) {
			uc3_json_key(&j, NULL);
			uc3_json_ticket(&b, l.t[order[i]]);
		}
		uc3_json_end(&j);
		uc3_buf_addch(&b, '\n');
		uc3_tool_put(&b);
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
