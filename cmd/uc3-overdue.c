/*
 * uc3 overdue: every open step past its deadline, and every mail waiting
 * in quarantine for a person to register it; silent and exit 0 when
 * there is none, so that cron mails nothing. --mail tells the people
 * responsible, once per late step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "json.h"
#include "opt.h"
#include "overdue.h"
#include "records.h"
#include "remote.h"
#include "store.h"
#include "strv.h"
#include "table.h"
#include "tool.h"
#include "xalloc.h"

static int
opt_warn(const struct uc3_opt *opt, const char *arg)
{
	if (uc3_clock_parse_duration(opt->value, arg) < 0) {
		uc3_tool_error("invalid --warn '%s': use minutes or hours, as 10m or 1h", arg);
		return -1;
	}
	return 0;
}

static void
who(struct uc3_buf *b, const struct uc3_policy *p, const struct uc3_late *l)
{
	char **to = NULL;
	size_t n = 0, i;
	struct uc3_late holder = *l;

	/* In the listing, only those who hold the step. */
	holder.breach = false;
	uc3_buf_adds(b, l->role);
	if (p->npeople) {
		uc3_overdue_recipients(&to, &n, p, &holder);
		/* TRANSLATORS: uc3 overdue's WHO column: the role, then its people or nobody. */
		uc3_buf_adds(b, n ? " (" : _(" (nobody)"));
		for (i = 0; i < n; i++) {
			uc3_buf_addf(b, "%s%s", i ? ", " : "", to[i]);
			free(to[i]);
		}
		if (n)
			uc3_buf_addch(b, ')');
		free(to);
	}
}

/* What a row told only as a reminder or in the digest is marked with; "" otherwise. */
static const char *
mark(const struct uc3_late *l, const unsigned *told_as, size_t i)
{
	/* TRANSLATORS: before the subject in uc3 overdue: a step not late yet. */
	if (!l->breach)
		return _("(warning) ");
	if (!told_as || (told_as[i] & UC3_OVERDUE_LATE))
		return "";
	/* TRANSLATORS: before the subject in uc3 overdue --mail: told again as a reminder. */
	if (told_as[i] & UC3_OVERDUE_REMINDER)
		return _("(reminder) ");
	/* TRANSLATORS: before the subject in uc3 overdue --mail: told in the daily digest. */
	if (told_as[i] & UC3_OVERDUE_DIGEST)
		return _("(digest) ");
	return "";
}

/* The mail waiting in quarantine: paths q[0..nq). */
struct waiting {
	char **q;
	size_t nq;
};

static void
print_text(const struct uc3_overdue *o, const struct uc3_policy *p, const unsigned *told_as,
	   const struct uc3_notify_result *nr, const struct waiting *wq)
{
	/* TRANSLATORS: the headings of uc3 overdue's table, upper case. */
	static const char *const head[] = { N_("ID"),	N_("STEP"), N_("DUE"),
					    N_("LATE"), N_("WHO"),  N_("SUBJECT") };
	struct uc3_table tab;
	struct uc3_buf b = UC3_BUF_INIT, out = UC3_BUF_INIT;
	size_t i, c;

	uc3_table_init(&tab, 6);
	for (c = 0; c < 6; c++)
		uc3_table_column(&tab, c, _(head[c]), UC3_TABLE_LEFT, 0);
	for (i = 0; i < o->n; i++) {
		const struct uc3_late *l = &o->items[i];

		uc3_table_add(&tab, l->id);
		uc3_table_add(&tab, l->step);
		uc3_buf_reset(&b);
		uc3_clock_format_short(&b, l->due, p->timezone);
		uc3_table_add(&tab, b.ptr);
		uc3_buf_reset(&b);
		uc3_calendar_format_span(&b, &l->span);
		if (l->breach)
			uc3_table_add(&tab, b.ptr);
		else
			/* TRANSLATORS: uc3 overdue's LATE column of a warning: "due in 1h 30m". */
			uc3_table_addf(&tab, _("due in %s"), b.ptr);
		uc3_buf_reset(&b);
		who(&b, p, l);
		uc3_table_add(&tab, b.ptr);
		uc3_table_addf(&tab, "%s%s", mark(l, told_as, i), l->subject);
	}
	if (o->n)
		uc3_table_render(&out, &tab, 0);
	for (i = 0; nr && i < nr->nretries; i++)
		uc3_buf_addf(&out,
			     !strcmp(nr->retries[i].about, "received")
				     ? ngettext("%s: acknowledgement sent again (%zu message)\n",
						"%s: acknowledgement sent again (%zu messages)\n",
						nr->retries[i].sent)
				     : ngettext("%s: escalation notice sent again (%zu message)\n",
						"%s: escalation notice sent again (%zu messages)\n",
						nr->retries[i].sent),
			     nr->retries[i].id, nr->retries[i].sent);
	for (i = 0; i < wq->nq; i++) {
		uc3_records_quarantine_say(&out, wq->q[i], p->timezone);
		uc3_buf_addch(&out, '\n');
	}
	uc3_tool_put(&out);
	uc3_table_release(&tab);
	uc3_buf_release(&b);
}

static const char *const kind_names[] = { "late", "warning", "reminder", "digest" };

static void
print_json(const struct uc3_overdue *o, const struct uc3_policy *p, const unsigned *told_as,
	   const struct uc3_notify_result *nr, const struct waiting *wq)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;
	size_t i, k;

	uc3_json_init(&j, &b, 0);
	uc3_json_array(&j, NULL, UC3_JSON_LINES);
	for (i = 0; i < o->n; i++) {
		const struct uc3_late *l = &o->items[i];
		struct uc3_late holder = *l;
		char **to = NULL;
		size_t n = 0;

		holder.breach = false;
		uc3_overdue_recipients(&to, &n, p, &holder);
		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "id", l->id);
		uc3_json_put_string(&j, "subject", l->subject);
		uc3_json_put_string(&j, "step", l->step);
		uc3_json_put_string(&j, "role", l->role);
		uc3_json_array(&j, "people", 0);
		for (k = 0; k < n; k++) {
			uc3_json_put_string(&j, NULL, to[k]);
			free(to[k]);
		}
		free(to);
		uc3_json_end(&j);
		uc3_json_put_string(&j, "due", l->deadline);
		uc3_json_put_long(&j, "late_seconds", l->left < 0 ? -l->left : 0);
		uc3_json_put_long(&j, "late_minutes",
				  l->left < 0 ? -uc3_calendar_minutes(l->left) : 0);
		uc3_json_put_long(&j, "left_minutes", uc3_calendar_minutes(l->left));
		uc3_json_put_bool(&j, "warning", !l->breach);
		if (told_as) {
			uc3_json_array(&j, "told", 0);
			for (k = 0; k < 4; k++)
				if (told_as[i] & (1u << k))
					uc3_json_put_string(&j, NULL, kind_names[k]);
			uc3_json_end(&j);
		}
		uc3_json_end(&j);
	}
	for (i = 0; nr && i < nr->nretries; i++) {
		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "id", nr->retries[i].id);
		uc3_json_put_string(&j, "retried", nr->retries[i].about);
		uc3_json_put_long(&j, "messages", (long)nr->retries[i].sent);
		uc3_json_end(&j);
	}
	for (i = 0; i < wq->nq; i++) {
		struct uc3_buf since = UC3_BUF_INIT;
		time_t when = 0;

		uc3_records_quarantine_when(wq->q[i], &when);
		if (uc3_clock_format(&since, when, p->timezone) < 0)
			uc3_error_clear();
		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "quarantine", wq->q[i]);
		uc3_json_put_string(&j, "since", since.ptr);
		uc3_json_end(&j);
		uc3_buf_release(&since);
	}
	uc3_json_end(&j);
	uc3_buf_addch(&b, '\n');
	uc3_tool_put(&b);
}

int
main(int argc, char **argv)
{
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_overdue o = { 0 };
	struct waiting wq = { NULL, 0 };
	struct uc3_store *st = NULL;
	const struct uc3_policy *p;
	const char *dir = NULL, *at_arg = NULL;
	bool mail = false, notified = false;
	struct uc3_notify_result nr;
	unsigned *told_as = NULL;
	long warn = 0;
	size_t i, k, breaches = 0;
	time_t at, now;
	int rc, status = 0;

	static const char *const usage[] = {
		"uc3 overdue [-C dir] [--at time] [--format text|json] [--mail]",
		"            [--warn duration]", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "at", &at_arg, "TIME", "as if now were TIME (RFC 3339 or local)"),
		UC3_OPT_FORMAT(&fmt, "text (default) or json"),
		UC3_OPT_BOOL(0, "mail", &mail,
			     "mail the people responsible, once per late step, and\n"
			     "record the notices in one commit"),
		UC3_OPT_CALLBACK(0, "warn", &warn, "DURATION",
				 "also list steps due within DURATION (warnings alone\n"
				 "exit 0)",
				 opt_warn),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 overdue",
		usage,
		N_("Every step past its deadline (open at a level, answered awaiting delivery,\n"
		   "delivered awaiting archive), most late first, in business time (d is an\n"
		   "office day), then each mail uc3 could not read that waits in quarantine.\n"
		   "Nothing to report: no output and exit 0. Breaches or waiting mail: exit 1.\n"
		   "Errors, and with --mail late steps nobody can be told of: exit 2.\n"),
		N_("See uc3-overdue(1).\n"),
		options,
		UC3_OPT_NO_ARGS
	};

	if (uc3_opt_parse(argc, argv, &cmd, &rc) < 0)
		return rc;
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	/*
	 * Notices are writes: read what the central repository has now. A
	 * report alone fetches once the last fetch is old enough.
	 */
	if (!mail)
		uc3_tool_freshen(st);
	else if ((rc = uc3_remote_sync(st)) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
	} else if (uc3_store_offline(st)) {
		/*
		 * A notice is mailed first and recorded after: recorded on a
		 * ticket the central holds, which cannot be written offline, it
		 * would be mailed again at every run.
		 */
		char *remote = uc3_store_config(st, "uc3.remote");

		uc3_tool_error("%s cannot be reached; --mail sends and records notices only while "
			       "it can, and no mail was sent: run it again later, or without "
			       "--mail for the list",
			       remote ? remote : _("the central repository"));
		free(remote);
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	p = uc3_store_policy(st);
	if ((rc = uc3_clock_now(&now)) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
	}
	at = now;
	if (at_arg && (rc = uc3_clock_parse(&at, at_arg, p->timezone)) < 0) {
		uc3_tool_error("--at: %s", uc3_error_last());
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	/* --mail scans as far ahead as notify.warn needs; only what is told is printed. */
	if (mail && uc3_overdue_warn_window(p) > warn)
		warn = uc3_overdue_warn_window(p);
	if ((rc = uc3_overdue_scan(&o, st, at, warn)) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
	}
	for (i = 0; i < o.nbroken; i++)
		uc3_tool_error("%s", o.broken[i]);
	for (i = 0; i < o.n; i++)
		if (o.items[i].breach)
			breaches++;
	/* Mail nobody has registered is as late as anything: every run says it. */
	if (uc3_records_quarantine_list(&wq.q, &wq.nq, st) < 0) {
		uc3_tool_fail();
		status = UC3_EXIT_ERROR;
	}
	if ((breaches || wq.nq) && status == 0)
		status = UC3_EXIT_NEGATIVE;
	/*
	 * With --mail, cron runs this every few minutes and mails what it
	 * prints: so print only what was told now, once per late step, as
	 * the people are told.
	 */
	/*
	 * Warnings, reminders and the retries go whether or not anything is
	 * late now; a notice dated now is judged at --at, as the breaches are.
	 */
	if (mail) {
		/* What is late is judged at --at; what is sent and recorded happens now. */
		if (uc3_overdue_notify(&nr, st, &o, now, uc3_tool_datadir()) < 0) {
			uc3_tool_fail();
			status = UC3_EXIT_ERROR;
			uc3_overdue_keep(&o, NULL);
		} else {
			notified = true;
			if (nr.failed) {
				uc3_tool_error(
					ngettext("%zu message not sent, nothing recorded for "
						 "it (the next run tries again): %s",
						 "%zu messages not sent, nothing recorded "
						 "for them (the next run tries again): %s",
						 (unsigned long)nr.failed),
					nr.failed, nr.error);
				status = UC3_EXIT_ERROR;
			}
			if (nr.unreached) {
				uc3_tool_error(ngettext("%zu late step reached nobody: %s",
							"%zu late steps reached nobody: %s",
							(unsigned long)nr.unreached),
					       nr.unreached, nr.unreached_why);
				status = UC3_EXIT_ERROR;
			}
			/* What was told now, and what nobody can be told of. */
			told_as = uc3_xcalloc(o.n + 1, sizeof(*told_as));
			for (i = 0, k = 0; i < o.n; i++) {
				nr.told[i] = nr.told[i] || nr.nobody[i];
				if (nr.told[i])
					told_as[k++] = nr.told_as[i];
			}
			uc3_overdue_keep(&o, nr.told);
		}
	}
	if (fmt == UC3_FORMAT_JSON && (o.n || o.nbroken || (notified && nr.nretries) || wq.nq))
		print_json(&o, p, told_as, notified ? &nr : NULL, &wq);
	else if (fmt != UC3_FORMAT_JSON)
		print_text(&o, p, told_as, notified ? &nr : NULL, &wq);
	if (o.nbroken) {
		uc3_tool_error(ngettext("%zu ticket file could not be read (named above)",
					"%zu ticket files could not be read (named above)",
					(unsigned long)o.nbroken),
			       o.nbroken);
		status = UC3_EXIT_ERROR;
	}
	if (notified)
		uc3_notify_result_release(&nr);
	free(told_as);
	uc3_strv_free(wq.q, wq.nq);
	uc3_overdue_release(&o);
	uc3_store_free(st);
	return uc3_tool_finish(status);
}
