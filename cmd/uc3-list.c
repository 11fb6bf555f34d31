/*
 * uc3 list: tickets, one a line, filtered by status, level, holder or a
 * pattern.
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
	const char *holder; /* --holder: this role must act next */
	bool mine;	    /* --mine: one of roles[0..nroles) must act next */
	char *const *roles; /* borrowed from the policy */
	size_t nroles;
	const struct uc3_policy *policy;
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

static bool
keep(const struct filter *f, const struct uc3_ticket *t, int *err)
{
	if (f->by_status && t->status != f->status)
		return false;
	if (f->level && (!t->level || strcmp(t->level, f->level) || t->status == UC3_STATUS_CLOSED))
		return false;
	if ((f->holder || f->mine) && !held_by(f, t))
		return false;
	if (f->rx)
		return field_matches(f->rx, t->subject, err) ||
		       field_matches(f->rx, t->body, err) ||
		       field_matches(f->rx, t->requester.name, err) ||
		       field_matches(f->rx, t->requester.email, err) ||
		       field_matches(f->rx, t->requester.phone, err) ||
		       field_matches(f->rx, t->requester.social, err) ||
		       field_matches(f->rx, t->requester.address, err);
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
	if (l->f.by_status || l->f.holder || l->f.mine) {
		enum uc3_status s;

		/* Nobody holds a closed ticket. */
		if (uc3_ticket_peek_status(&s, data, len) &&
		    ((l->f.by_status && s != l->f.status) ||
		     ((l->f.holder || l->f.mine) && s == UC3_STATUS_CLOSED)))
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
	static const char *const head[] = { "ID",     "RECEIVED", "KIND", "STATUS", "LEVEL",
					    "HOLDER", "DEADLINE", "LEFT", "SUBJECT" };
	struct uc3_table tab;
	struct uc3_buf b = UC3_BUF_INIT, out = UC3_BUF_INIT;
	size_t i, c;

	uc3_table_init(&tab, 9);
	for (c = 0; c < 9; c++)
		uc3_table_column(&tab, c, head[c], UC3_TABLE_LEFT, 0);
	for (i = 0; i < l->n; i++) {
		const struct uc3_ticket *t = l->t[order[i]];
		const char *holder = uc3_transition_holder(p, t->status, t->level);
		struct uc3_calendar_span left;

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
		uc3_table_add(&tab, holder ? holder : "-");
		uc3_buf_reset(&b);
		if (t->deadline && t->status != UC3_STATUS_CLOSED)
			uc3_clock_short_of(&b, t->deadline, p->timezone);
		else
			uc3_buf_adds(&b, "-");
		uc3_table_add(&tab, b.ptr);
		uc3_buf_reset(&b);
		if (uc3_transition_time_left(&left, t, p, now) < 0) {
			uc3_buf_adds(&b, "-");
		} else if (left.total >= 0) {
			uc3_calendar_format_span(&b, &left);
		} else {
			left.total = -left.total;
			uc3_buf_adds(&b, "late ");
			uc3_calendar_format_span(&b, &left);
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
put_json(struct uc3_json *j, const struct uc3_ticket *t, const struct uc3_policy *p, time_t now)
{
	uc3_json_key(j, NULL);
	uc3_json_ticket_at(j->out, t, p, now);
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

int
main(int argc, char **argv)
{
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	struct list l = { 0 };
	const char *dir = NULL, *pattern = NULL, *status = NULL;
	size_t *order = NULL, i;
	time_t now;
	int rc, exit_status = 0;

	static const char *const usage[] = {
		"uc3 list [-C dir] [--format text|json|ids] [--grep pcre] [--holder role]",
		"         [--level level] [--mine] [--status status]", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "status", &status, "S", "open, answered, delivered or closed"),
		UC3_OPT_STRING(0, "level", &l.f.level, "L",
			       "at this level of the chain (staf, wakor, ...)"),
		UC3_OPT_STRING(0, "holder", &l.f.holder, "ROLE",
			       "this role must act next: the level while open, the\n"
			       "bottom of the chain once answered or delivered"),
		UC3_OPT_BOOL(0, "mine", &l.f.mine,
			     "one of my roles (uc3.yaml's people, by git's user.email)\n"
			     "must act next"),
		UC3_OPT_STRING(0, "grep", &pattern, "PCRE",
			       "subject, body or requester matches (Perl syntax, UTF-8;\n"
			       "(?i) for any case)"),
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
		"List tickets, one a line: id, received, kind, status, level, holder (who\n"
		"must act next), deadline, business time left in the current step (or how\n"
		"late it is; d is office days), subject; oldest first.\n",
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
	uc3_tool_freshen(st);
	l.f.policy = uc3_store_policy(st);
	if ((l.f.level && !uc3_policy_role(l.f.policy, l.f.level)) ||
	    (l.f.holder && !uc3_policy_role(l.f.policy, l.f.holder))) {
		const struct uc3_policy *p = l.f.policy;
		struct uc3_buf roles = UC3_BUF_INIT;
		bool level = l.f.level && !uc3_policy_role(p, l.f.level);

		for (i = 0; i < p->nroles; i++)
			uc3_buf_addf(&roles, "%s%s", i ? ", " : "", p->roles[i].id);
		uc3_tool_error("unknown %s '%s': the chain is %s", level ? "level" : "holder",
			       level ? l.f.level : l.f.holder, roles.ptr);
		uc3_buf_release(&roles);
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	if (l.f.mine && mine_roles(&l.f, st) < 0) {
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

		if (uc3_clock_now(&now) < 0) {
			uc3_tool_fail();
			exit_status = UC3_EXIT_ERROR;
		} else {
			uc3_json_init(&j, &b, 0);
			uc3_json_array(&j, NULL, UC3_JSON_LINES);
			for (i = 0; i < l.n; i++)
				put_json(&j, l.t[order[i]], l.f.policy, now);
			uc3_json_end(&j);
			uc3_buf_addch(&b, '\n');
			uc3_tool_put(&b);
		}
	} else if (fmt == UC3_FORMAT_IDS) {
		struct uc3_buf b = UC3_BUF_INIT;

		for (i = 0; i < l.n; i++)
			uc3_buf_addf(&b, "%s\n", l.t[order[i]]->id);
		uc3_tool_put(&b);
	} else if (l.n) {
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
