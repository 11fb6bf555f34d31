/*
 * uc3 verify: audit the history; exit 1 with the commits that break the
 * rules. --pre-receive runs the same audit as a git hook; --accept closes
 * the findings of a commit by a signed acknowledgement.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "json.h"
#include "opt.h"
#include "store.h"
#include "tool.h"
#include "utf8.h"
#include "verify.h"

static int
opt_skew(const struct uc3_opt *opt, const char *arg)
{
	long *skew = opt->value;

	if (!strcmp(arg, "0") || !strcmp(arg, "0m")) {
		*skew = 0;
	} else if (uc3_clock_parse_duration(skew, arg) < 0) {
		uc3_tool_error("invalid --skew '%s': use minutes or hours, as 5m or 1h", arg);
		return -1;
	}
	return 0;
}

/*
 * Findings quote what commits and files hold (a ticket id, a subject, an
 * author), which can be anything: each is printed on one line with its
 * control characters escaped.
 */
/*
 * A reviewed finding's time, in the zone of the policy at the tip: RFC
 * 3339 for JSON, "2026-11-27 09:00" for people.
 */
static void
review_time(struct uc3_buf *out, const struct uc3_review *rv, const char *tz, bool text)
{
	int (*format)(struct uc3_buf *, time_t, const char *) =
		text ? uc3_clock_format_short : uc3_clock_format;

	if (format(out, (time_t)rv->at, tz) < 0)
		format(out, (time_t)rv->at, NULL);
	uc3_error_clear();
}

/*
 * The commits whose time the central did not confirm, after the
 * findings: "1a2b3c4 UC3-2026-0009: time not confirmed: made offline,
 * dated 2026-12-02 09:24, received 2026-12-02 10:31". The hook says
 * nothing of receipt: it is receiving them.
 */
static void
print_unconfirmed(struct uc3_buf *b, const struct uc3_verify_result *r, const char *tz, bool hook)
{
	struct uc3_buf line = UC3_BUF_INIT, when = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < r->nunconfirmed; i++) {
		const struct uc3_unconfirmed *u = &r->unconfirmed[i];

		uc3_buf_reset(&line);
		uc3_buf_reset(&when);
		uc3_clock_short_of(&when, u->dated, tz);
		uc3_buf_addf(&line, "%s: ", u->ticket ? u->ticket : "-");
		uc3_buf_adds(&line, _("time not confirmed: "));
		if (u->offline)
			/* TRANSLATORS: uc3 verify: the date the commit bears. */
			uc3_buf_addf(&line, _("made offline, dated %s"), when.ptr);
		else
			/* TRANSLATORS: uc3 verify: who, why (the reason as written), the date. */
			uc3_buf_addf(&line, _("backfilled by %s (%s), dated %s"), u->by, u->reason,
				     when.ptr);
		if (u->received) {
			uc3_buf_reset(&when);
			uc3_clock_short_of(&when, u->received, tz);
			uc3_buf_addf(&line, _(", received %s"), when.ptr);
		} else if (!hook) {
			uc3_buf_adds(&line, _(", not received yet"));
		}
		uc3_buf_reset(b);
		uc3_utf8_cell(b, line.ptr);
		printf("%.7s %s\n", u->commit, b->ptr);
	}
	uc3_buf_release(&line);
	uc3_buf_release(&when);
}

static void
print_text(const struct uc3_verify_result *r, bool hook, const char *tz)
{
	FILE *out = stdout;
	struct uc3_buf b = UC3_BUF_INIT, what = UC3_BUF_INIT, by = UC3_BUF_INIT, on = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const struct uc3_finding *f = &r->findings[i];

		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, f->ticket ? f->ticket : "-");
		uc3_buf_adds(&b, ": ");
		uc3_utf8_cell(&b, f->what);
		fprintf(out, "%.7s %s\n", f->commit[0] ? f->commit : "-------", b.ptr);
	}
	/* One line each: the reason's first line (JSON has it whole). */
	for (i = 0; i < r->nreviewed; i++) {
		const struct uc3_review *rv = &r->reviewed[i];
		const char *why = rv->why;
		size_t n = strcspn(why, "\n");
		char *first = strndup(why, n);

		uc3_buf_reset(&what);
		uc3_utf8_cell(&what, rv->finding.ticket ? rv->finding.ticket : "-");
		uc3_buf_adds(&what, ": ");
		uc3_utf8_cell(&what, rv->finding.what);
		uc3_buf_reset(&by);
		uc3_utf8_cell(&by, rv->by);
		uc3_buf_reset(&on);
		review_time(&on, rv, tz, true);
		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, first ? first : "");
		/*
		 * TRANSLATORS: uc3 verify: a finding accepted before: the commit,
		 * the finding (English), who accepted it, when, and the reason.
		 */
		fprintf(out, _("reviewed: %.7s %s; accepted by %s on %s: %s\n"), rv->finding.commit,
			what.ptr, by.ptr, on.ptr, b.ptr);
		free(first);
	}
	print_unconfirmed(&b, r, tz, hook);
	if (!hook) {
		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, r->root_signer);
		if (r->root[0])
			/* TRANSLATORS: uc3 verify: the first commit, who made it, signed or not. */
			fprintf(out,
				r->root_signed ? _("root of trust: %s by %s (signed)\n")
					       : _("root of trust: %s by %s (not signed)\n"),
				r->root, b.ptr);
		else
			fputs(_("single-user mode: the policy lists no people, so signatures "
				"and roles were not checked against anyone\n"),
			      out);
	}
	/* TRANSLATORS: uc3 verify's last line: "12 commits checked, 0 findings". */
	fprintf(out, ngettext("%zu commit checked", "%zu commits checked", r->commits), r->commits);
	if (r->cached)
		/* TRANSLATORS: uc3 verify: commits verified by an earlier run. */
		fprintf(out, _(" (%zu found clean before)"), r->cached);
	fprintf(out, ngettext(", %zu finding", ", %zu findings", r->nfindings), r->nfindings);
	if (r->nreviewed)
		/* TRANSLATORS: uc3 verify: findings accepted with verify --accept. */
		fprintf(out, _(", %zu reviewed"), r->nreviewed);
	fputc('\n', out);
	uc3_buf_release(&b);
	uc3_buf_release(&what);
	uc3_buf_release(&by);
	uc3_buf_release(&on);
}

static void
print_json(const struct uc3_verify_result *r, const char *tz)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_json j;
	size_t i;

	uc3_json_init(&j, &b, 0);
	uc3_json_object(&j, NULL, 0);
	uc3_json_put_long(&j, "commits", (long)r->commits);
	uc3_json_put_long(&j, "cached", (long)r->cached);
	if (r->root[0]) {
		uc3_json_object(&j, "root", 0);
		uc3_json_put_string(&j, "commit", r->root);
		uc3_json_put_string(&j, "signer", r->root_signer);
		uc3_json_put_bool(&j, "signed", r->root_signed);
		uc3_json_end(&j);
	} else {
		uc3_json_put_null(&j, "root");
	}
	uc3_json_array(&j, "findings", UC3_JSON_LINES);
	for (i = 0; i < r->nfindings; i++) {
		const struct uc3_finding *f = &r->findings[i];

		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "commit", f->commit[0] ? f->commit : NULL);
		uc3_json_put_string(&j, "ticket", f->ticket);
		uc3_json_put_string(&j, "problem", f->what);
		uc3_json_end(&j);
	}
	uc3_json_end(&j);
	uc3_json_array(&j, "reviewed", UC3_JSON_LINES);
	for (i = 0; i < r->nreviewed; i++) {
		const struct uc3_review *rv = &r->reviewed[i];
		struct uc3_buf at = UC3_BUF_INIT;

		review_time(&at, rv, tz, false);
		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "commit", rv->finding.commit);
		uc3_json_put_string(&j, "ticket", rv->finding.ticket);
		uc3_json_put_string(&j, "problem", rv->finding.what);
		uc3_json_put_string(&j, "accepted_in", rv->accept);
		uc3_json_put_string(&j, "accepted_by", rv->by);
		uc3_json_put_string(&j, "accepted_at", at.ptr);
		uc3_json_put_string(&j, "reason", rv->why);
		uc3_json_end(&j);
		uc3_buf_release(&at);
	}
	uc3_json_end(&j);
	uc3_json_array(&j, "unconfirmed", UC3_JSON_LINES);
	for (i = 0; i < r->nunconfirmed; i++) {
		const struct uc3_unconfirmed *u = &r->unconfirmed[i];

		uc3_json_object(&j, NULL, 0);
		uc3_json_put_string(&j, "commit", u->commit);
		uc3_json_put_string(&j, "ticket", u->ticket);
		uc3_json_put_string(&j, "why", u->offline ? "offline" : "backfill");
		uc3_json_put_string(&j, "by", u->by);
		uc3_json_put_string(&j, "reason", u->reason);
		uc3_json_put_string(&j, "dated", u->dated);
		uc3_json_put_string(&j, "received", u->received);
		uc3_json_end(&j);
	}
	uc3_json_end(&j);
	uc3_json_end(&j);
	uc3_buf_addch(&b, '\n');
	uc3_tool_put(&b);
}

int
main(int argc, char **argv)
{
	struct uc3_verify_opts o = { 0 };
	struct uc3_verify_result r = { 0 };
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	const char *dir = NULL;
	bool hook = false, post = false;
	const char *accept = NULL, *reason = NULL, *tz = NULL;
	int rc;

	bool no_cache = false;
	static const char *const usage[] = {
		"uc3 verify [-C dir] [--format text|json] [--no-cache] [--pre-receive]",
		"           [--skew duration] [--trust commit] [rev-range]",
		"uc3 verify [-C dir] --accept commit -m reason",
		"uc3 verify [-C dir] --post-receive", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "accept", &accept, "COMMIT",
			       "close the findings of COMMIT: a signed acknowledgement by the top "
			       "role"),
		UC3_OPT_FORMAT(&fmt, "text (default) or json"),
		UC3_OPT_STRING('m', "message", &reason, "REASON",
			       "why the findings are accepted (with --accept)"),
		UC3_OPT_BOOL(0, "no-cache", &no_cache,
			     "check every commit again, even those found clean before"),
		UC3_OPT_BOOL(0, "post-receive", &post,
			     "run as git's post-receive hook: note when unconfirmed times came"),
		UC3_OPT_BOOL(0, "pre-receive", &hook,
			     "run as git's pre-receive hook: check what is pushed"),
		UC3_OPT_CALLBACK(0, "skew", &o.skew, "DURATION",
				 "how far an event may be after its commit (default 5m)", opt_skew),
		UC3_OPT_STRING(0, "trust", &o.trust, "COMMIT",
			       "require this commit to be the root of trust"),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 verify",
		usage,
		N_("Audit the history of the records: every commit signed by a key the policy\n"
		   "gives its author, by a person whose role allows the step, changing exactly\n"
		   "what its trailers say, never rewriting an event. One line per finding,\n"
		   "then a summary. Exit 0 clean, 1 findings, 2 error.\n"),
		N_("See uc3-verify(1).\n"),
		options,
		0
	};

	o.skew = 300;
	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	o.use_cache = !no_cache;
	if (post) {
		size_t noted = 0;

		if (hook || argc || accept || reason || o.trust || no_cache)
			return uc3_opt_usage_error(&cmd, "--post-receive takes no other option "
							 "and reads its input from git");
		/* The push has landed: what goes wrong here is a warning, never a failure. */
		if (uc3_store_open(&st, dir) < 0 ||
		    uc3_verify_post_receive(&noted, st, STDIN_FILENO) < 0)
			uc3_tool_warn("the time of receipt was not noted: %s", uc3_error_last());
		uc3_store_free(st);
		return 0;
	}
	if (argc > (hook ? 0 : 1))
		return uc3_opt_usage_error(
			&cmd, hook ? N_("--pre-receive reads its input from git, not arguments")
				   : N_("one revision range at most"));
	if (argc)
		o.range = argv[0];
	if (reason && !accept)
		return uc3_opt_usage_error(&cmd, "-m gives the reason of --accept");
	if (accept && (hook || argc || o.trust))
		return uc3_opt_usage_error(&cmd, "--accept takes a commit and -m, nothing else");
	if (accept && !reason)
		return uc3_opt_usage_error(&cmd, "--accept needs -m REASON: why the findings "
						 "are accepted");
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	if (accept) {
		struct uc3_write_result wr;
		char id[41];
		size_t n;

		rc = uc3_verify_accept(&wr, id, &n, st, accept, reason, &o);
		if (rc < 0) {
			uc3_tool_fail();
			uc3_store_free(st);
			return UC3_EXIT_ERROR;
		}
		/* TRANSLATORS: uc3 verify --accept: how many, the commit, the new commit. */
		printf(wr.is_signed
			       ? ngettext("accepted %zu finding of %.7s in %.7s (signed)\n",
					  "accepted %zu findings of %.7s in %.7s (signed)\n", n)
			       : ngettext("accepted %zu finding of %.7s in %.7s\n",
					  "accepted %zu findings of %.7s in %.7s\n", n),
		       n, id, wr.commit);
		if (wr.warning)
			uc3_tool_warn("%s", wr.warning);
		uc3_write_result_release(&wr);
		uc3_store_free(st);
		return uc3_tool_finish(0);
	}
	if (uc3_store_policy(st))
		tz = uc3_store_policy(st)->timezone;
	/*
	 * A name (HEAD~3, a tag) is resolved here; an id that is not in this
	 * repository stays as given and simply is not the root: a finding.
	 */
	if (o.trust) {
		static char pinned[41];

		if (uc3_store_resolve(pinned, st, o.trust) == 0)
			o.trust = pinned;
		uc3_error_clear();
	}
	rc = hook ? uc3_verify_push(&r, st, STDIN_FILENO, &o) : uc3_verify(&r, st, &o);
	if (rc < 0) {
		uc3_tool_fail();
		uc3_verify_result_release(&r);
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	if (fmt == UC3_FORMAT_JSON)
		print_json(&r, tz);
	else
		print_text(&r, hook, tz);
	rc = r.nfindings ? UC3_EXIT_NEGATIVE : 0;
	if (hook && r.nfindings)
		uc3_tool_error(ngettext("push refused: %zu finding (above)",
					"push refused: %zu findings (above)",
					(unsigned long)r.nfindings),
			       r.nfindings);
	uc3_verify_result_release(&r);
	uc3_store_free(st);
	/*
	 * The audit counts deadlines again under the policy of their time, to
	 * check them; a year that policy had no holidays for is not news here.
	 */
	uc3_calendar_unlisted_clear();
	return uc3_tool_finish(rc);
}
