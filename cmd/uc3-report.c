/*
 * uc3 report: the figures of a period (tickets received in it), as text,
 * CSV, JSON or an HTML page.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "opt.h"
#include "paper.h"
#include "policy.h"
#include "report.h"
#include "store.h"
#include "tool.h"

enum format { FMT_TEXT, FMT_CSV, FMT_JSON, FMT_HTML };

/* --format: text, csv, json or html. */
static int
report_format(const struct uc3_opt *opt, const char *arg)
{
	static const char *const names[] = { "text", "csv", "json", "html" };
	enum format *f = opt->value;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(*names); i++)
		if (!strcmp(arg, names[i])) {
			*f = (enum format)i;
			return 0;
		}
	uc3_tool_error("unknown format '%s': use text, csv, json or html", arg);
	return -1;
}

/* --by: one or more groups, comma-separated, and the option may be given again. */
static int
report_by(const struct uc3_opt *opt, const char *arg)
{
	unsigned *mask = opt->value;
	const char *p = arg;

	for (;;) {
		size_t n = strcspn(p, ",");
		char *one = strndup(p, n);
		enum uc3_report_key k;
		bool ok = one && uc3_report_key_parse(&k, one);

		if (!ok)
			uc3_tool_error("unknown group '%s': use kind, channel, unit, level, month, "
				       "week or person, or several separated by commas",
				       one ? one : p);
		else
			*mask |= 1u << k;
		free(one);
		if (!ok)
			return -1;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/*
 * The progress line: on stderr, only when it is a terminal, and only
 * once the run has taken a second; redrawn a few times a second.
 */
struct progress {
	bool tty, shown;
	struct timespec start, last;
};

static double
seconds_since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) + (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

static void
progress(void *ctx, size_t files)
{
	struct progress *pr = ctx;
	struct timespec now;

	if (!pr->tty || files % 256)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (seconds_since(&pr->start, &now) < 1.0 ||
	    (pr->shown && seconds_since(&pr->last, &now) < 0.25))
		return;
	fputc('\r', stderr);
	fprintf(stderr, _("%s: %zu ticket files read"), uc3_tool_name(), files);
	fflush(stderr);
	pr->shown = true;
	pr->last = now;
}

static void
progress_done(struct progress *pr)
{
	if (pr->shown)
		fputs("\r\033[K", stderr);
}

int
main(int argc, char **argv)
{
	enum format fmt = FMT_TEXT;
	struct uc3_report_opts o = { 0 };
	struct uc3_report_set set = { 0 };
	struct uc3_report *r = NULL;
	struct uc3_store *st = NULL;
	struct progress pr = { 0 };
	struct uc3_buf out = UC3_BUF_INIT, tmpl = UC3_BUF_INIT;
	const struct uc3_policy *p;
	const char *dir = NULL, *since = NULL, *until = NULL, *file = NULL;
	size_t i;
	int rc, status = UC3_EXIT_OK;

	static const char *const usage[] = {
		"uc3 report [-C dir] [--by field[,field ...]] [--format text|csv|json|html]",
		"           [-o file] [--since date] [--until date]", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "since", &since, "DATE",
			       "received at or after DATE (2026-11-01: the start of\n"
			       "that day; or a time); default: this month"),
		UC3_OPT_STRING(0, "until", &until, "DATE",
			       "received before DATE (2026-12-01: the start of that\n"
			       "day; or a time)"),
		UC3_OPT_CALLBACK(0, "by", &o.by, "FIELD",
				 "figures by kind, channel, unit, level, month, week or\n"
				 "person too; several separated by commas",
				 report_by),
		UC3_OPT_CALLBACK(0, "format", &fmt, "FMT",
				 "text (default), csv (one row per ticket), json or html",
				 report_format),
		UC3_OPT_STRING('o', "output", &file, "FILE",
			       "write to FILE (replaced whole) instead of standard output"),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 report",
		usage,
		N_("The figures of the tickets received in a period (this month by default),\n"
		   "as the records stood at its end: tickets by status and by the level that\n"
		   "answered, every step against its time standard (count, met, late,\n"
		   "compliance, median and 90th percentile in office minutes), receipt to\n"
		   "delivery, open and overdue work, top units and kinds, and the breaches.\n"),
		N_("See uc3-report(1).\n"),
		options,
		UC3_OPT_NO_ARGS
	};

	if (uc3_opt_parse(argc, argv, &cmd, &rc) < 0)
		return rc;
	if (uc3_clock_now(&o.now) < 0)
		return uc3_tool_fail();
	if (uc3_store_open(&st, dir) < 0)
		return uc3_tool_fail();
	uc3_tool_freshen(st);
	p = uc3_store_policy(st);
	if ((since && uc3_tool_date(&o.since, "--since", since, p->timezone) < 0) ||
	    (until && uc3_tool_date(&o.until, "--until", until, p->timezone) < 0)) {
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	o.since_set = since != NULL;
	o.until_set = until != NULL;
	if (uc3_report_period(&o, p) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
	}
	if (file && uc3_tool_output_check(file) < 0) {
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	/*
	 * The page's template, before the records are read: the office's
	 * own, else the installed one.
	 */
	if (fmt == FMT_HTML &&
	    uc3_paper_template(&tmpl, st, uc3_tool_datadir(), UC3_REPORT_TEMPLATE) < 0) {
		status = uc3_tool_fail();
		uc3_store_free(st);
		return status;
	}
	pr.tty = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &pr.start);
	o.progress = progress;
	o.progress_ctx = &pr;
	rc = uc3_report_compute(&r, &set, st, &o);
	progress_done(&pr);
	for (i = 0; i < set.nbroken; i++)
		uc3_tool_error("%s", set.broken[i]);
	if (rc < 0) {
		uc3_tool_fail();
		goto out_error;
	}
	switch (fmt) {
	case FMT_TEXT:
		uc3_report_text(&out, r, p);
		break;
	case FMT_CSV:
		uc3_report_csv(&out, r, &set, p);
		break;
	case FMT_JSON:
		uc3_report_json(&out, r, p);
		break;
	case FMT_HTML:
		/*
		 * The page is a record of the office, on its own template: what
		 * uc3 fills in (durations) is in the office's language.
		 */
		uc3_i18n_push(p->language ? p->language : uc3_i18n_language());
		rc = uc3_report_html(&out, r, p, o.now, tmpl.ptr, tmpl.len,
				     "templates/" UC3_REPORT_TEMPLATE);
		uc3_i18n_pop();
		if (rc < 0) {
			uc3_tool_fail();
			goto out_error;
		}
		break;
	}
	if (file) {
		if (uc3_tool_write_file(file, &out) < 0)
			goto out_error;
	} else {
		uc3_tool_put(&out);
	}
	if (set.nbroken) {
		if (set.nbroken == 1)
			uc3_tool_error(
				"%zu ticket file could not be read (named above), and is left "
				"out of the figures",
				set.nbroken);
		else
			uc3_tool_error("%zu ticket files could not be read (named above), and are "
				       "left out of the figures",
				       set.nbroken);
		status = UC3_EXIT_ERROR;
	}
	goto out;
out_error:
	status = UC3_EXIT_ERROR;
	uc3_buf_release(&out);
out:
	uc3_buf_release(&tmpl);
	uc3_report_free(r);
	uc3_report_set_release(&set);
	uc3_store_free(st);
	return uc3_tool_finish(status);
}
