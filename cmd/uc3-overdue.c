/*
 * uc3 overdue: every open step past its deadline; silent and exit 0 when
 * there is none, so that cron mails nothing. --mail tells the people
 * responsible, once per late step.
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
#include "overdue.h"
#include "store.h"
#include "tool.h"
#include "utf8.h"
#include "xalloc.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: uc3 overdue [-C dir] [--at time] [--format text|json] [--mail]\n"
		   "                   [--warn duration]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "Every step past its deadline (open at a level, answered awaiting delivery,\n"
	       "delivered awaiting archive), most late first, in business time. Nothing\n"
	       "to report: no output and exit 0. Breaches: exit 1. Errors: exit 2.\n"
	       "\n"
	       "      --at TIME         as if now were TIME (RFC 3339 or local)\n"
	       "      --format FMT      text (default) or json\n"
	       "      --mail            mail the people responsible, once per late step, and\n"
	       "                        record the notices in one commit\n"
	       "      --warn DURATION   also list steps due within DURATION (warnings alone\n"
	       "                        exit 0)\n"
	       "  -C DIR                the records repository\n"
	       "\n"
	       "See uc3-overdue(1).\n");
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
		uc3_buf_adds(b, n ? " (" : " (nobody)");
		for (i = 0; i < n; i++) {
			uc3_buf_addf(b, "%s%s", i ? ", " : "", to[i]);
			free(to[i]);
		}
		if (n)
			uc3_buf_addch(b, ')');
		free(to);
	}
}

static void
print_text(const struct uc3_overdue *o, const struct uc3_policy *p)
{
	static const char *const head[] = { "ID", "STEP", "DUE", "LATE", "WHO", "SUBJECT" };
	enum { NC = 6 };
	struct uc3_buf *cells = uc3_xcalloc(o->n * NC + 1, sizeof(*cells));
	size_t width[NC], i, c;

	for (c = 0; c < NC; c++)
		width[c] = strlen(head[c]);
	for (i = 0; i < o->n; i++) {
		const struct uc3_late *l = &o->items[i];
		struct uc3_buf *r = &cells[i * NC];

		for (c = 0; c < NC; c++)
			uc3_buf_init(&r[c]);
		uc3_buf_adds(&r[0], l->id);
		uc3_buf_adds(&r[1], l->step);
		uc3_clock_format_short(&r[2], l->due, p->timezone);
		if (l->breach) {
			uc3_clock_format_duration(&r[3], -l->left);
		} else {
			uc3_buf_adds(&r[3], "due in ");
			uc3_clock_format_duration(&r[3], l->left);
		}
		who(&r[4], p, l);
		uc3_buf_adds(&r[5], l->breach ? "" : "(warning) ");
		uc3_buf_adds(&r[5], l->subject);
		/* Ticket files and the policy can hold anything a hand edit put there. */
		for (c = 0; c < NC; c++) {
			struct uc3_buf raw = r[c];

			uc3_buf_init(&r[c]);
			uc3_utf8_cell(&r[c], raw.ptr);
			uc3_buf_release(&raw);
			if (uc3_utf8_width(r[c].ptr) > width[c])
				width[c] = uc3_utf8_width(r[c].ptr);
		}
	}
	for (i = 0; i <= o->n; i++) {
		for (c = 0; c < NC; c++) {
			const char *s = i ? cells[(i - 1) * NC + c].ptr : head[c];
			size_t w;

			fputs(s, stdout);
			if (c == NC - 1)
				break;
			for (w = uc3_utf8_width(s); w < width[c] + 2; w++)
				putchar(' ');
		}
		putchar('\n');
	}
	for (i = 0; i < o->n * NC; i++)
		uc3_buf_release(&cells[i]);
	free(cells);
}

static void
print_json(const struct uc3_overdue *o, const struct uc3_policy *p)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i, k;

	uc3_buf_addch(&b, '[');
	for (i = 0; i < o->n; i++) {
		const struct uc3_late *l = &o->items[i];
		struct uc3_late holder = *l;
		char **to = NULL;
		size_t n = 0;

		holder.breach = false;
		uc3_overdue_recipients(&to, &n, p, &holder);
		uc3_buf_adds(&b, i ? ",\n{\"id\":" : "\n{\"id\":");
		uc3_json_str(&b, l->id);
		uc3_buf_adds(&b, ",\"subject\":");
		uc3_json_str(&b, l->subject);
		uc3_buf_adds(&b, ",\"step\":");
		uc3_json_str(&b, l->step);
		uc3_buf_adds(&b, ",\"role\":");
		uc3_json_str(&b, l->role);
		uc3_buf_adds(&b, ",\"people\":[");
		for (k = 0; k < n; k++) {
			if (k)
				uc3_buf_addch(&b, ',');
			uc3_json_str(&b, to[k]);
			free(to[k]);
		}
		free(to);
		uc3_buf_adds(&b, "],\"due\":");
		uc3_json_str(&b, l->deadline);
		uc3_buf_addf(&b, ",\"late_seconds\":%ld,\"warning\":%s}", l->left < 0 ? -l->left : 0,
			     l->breach ? "false" : "true");
	}
	uc3_buf_adds(&b, o->n ? "\n]\n" : "]\n");
	fwrite(b.ptr, 1, b.len, stdout);
	uc3_buf_release(&b);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "at", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "mail", no_argument, NULL, 'm' },
		{ "version", no_argument, NULL, 'V' },
		{ "warn", required_argument, NULL, 'w' },
		{ NULL, 0, NULL, 0 }
	};
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_overdue o = { 0 };
	struct uc3_store *st = NULL;
	const struct uc3_policy *p;
	const char *dir = NULL, *at_arg = NULL;
	bool mail = false;
	long warn = 0;
	size_t i, breaches = 0;
	time_t at, now;
	int ch, rc, status = 0;

	uc3_tool_init("uc3 overdue");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":C:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'a':
			at_arg = optarg;
			break;
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
		case 'm':
			mail = true;
			break;
		case 'V':
			return uc3_tool_version();
		case 'w':
			if (uc3_clock_parse_duration(&warn, optarg) < 0) {
				uc3_tool_error("invalid --warn '%s': use minutes or hours, as 10m or 1h",
					       optarg);
				return UC3_EXIT_ERROR;
			}
			break;
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
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	/* Notices are writes: read what the central repository has now. */
	if (mail && (rc = uc3_store_sync(st)) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
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
	if ((rc = uc3_overdue_scan(&o, st, at, warn)) < 0) {
		uc3_store_free(st);
		return uc3_tool_fail();
	}
	for (i = 0; i < o.nbroken; i++)
		uc3_tool_error("%s", o.broken[i]);
	for (i = 0; i < o.n; i++)
		if (o.items[i].breach)
			breaches++;
	if (breaches)
		status = UC3_EXIT_NEGATIVE;
	/*
	 * With --mail, cron runs this every few minutes and mails what it
	 * prints: so print only what was told now, once per late step, as
	 * the people are told.
	 */
	if (mail && breaches) {
		struct uc3_notify_result nr;

		/* What is late is judged at --at; what is sent and recorded happens now. */
		if (uc3_overdue_notify(&nr, st, &o, now, uc3_tool_datadir()) < 0) {
			uc3_tool_fail();
			status = UC3_EXIT_ERROR;
		} else {
			if (nr.failed) {
				uc3_tool_error("%zu message%s not sent, nothing recorded for %s (the "
					       "next run tries again): %s",
					       nr.failed, nr.failed == 1 ? "" : "s",
					       nr.failed == 1 ? "it" : "them", nr.error);
				status = UC3_EXIT_ERROR;
			}
			uc3_overdue_keep(&o, nr.told);
			free(nr.told);
			free(nr.error);
		}
	} else if (mail) {
		uc3_overdue_keep(&o, NULL);
	}
	if (fmt == UC3_FORMAT_JSON && (o.n || o.nbroken))
		print_json(&o, p);
	else if (o.n)
		print_text(&o, p);
	if (o.nbroken) {
		uc3_tool_error("%zu ticket file%s could not be read (named above)", o.nbroken,
			       o.nbroken == 1 ? "" : "s");
		status = UC3_EXIT_ERROR;
	}
	uc3_overdue_release(&o);
	uc3_store_free(st);
	return uc3_tool_finish(status);
}
