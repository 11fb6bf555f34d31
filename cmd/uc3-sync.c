/*
 * uc3 sync: fetch from the central repository, bring the branch up to
 * it, send what waits here (writes made while it could not be reached),
 * and set aside what it refuses (--reset).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "json.h"
#include "ops.h"
#include "opt.h"
#include "store.h"
#include "sync.h"
#include "tool.h"

/* "2026-12-02 09:24" for the time t, in the policy's zone. */
static void
short_time(struct uc3_buf *b, struct uc3_store *st, long long t)
{
	if (uc3_clock_format_short(b, (time_t)t, uc3_store_policy(st)->timezone) < 0) {
		uc3_error_clear();
		uc3_buf_addf(b, "@%lld", t);
	}
}

static void
put_text(const struct uc3_sync_result *res, struct uc3_store *st, bool reset, const char *said)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < res->sent.n; i++) {
		const struct uc3_waiting *w = &res->sent.v[i];

		if (w->ticket && w->action)
			/* TRANSLATORS: uc3 sync: the ticket, the action (answer, escalate...). */
			uc3_buf_addf(&b, _("sent %s: %s"), w->ticket, w->action);
		else
			/* TRANSLATORS: uc3 sync: the commit, its subject. */
			uc3_buf_addf(&b, _("sent %.7s: %s"), w->commit, w->subject);
		if (w->offline) {
			struct uc3_buf when = UC3_BUF_INIT;

			short_time(&when, st, w->made);
			/* TRANSLATORS: uc3 sync: when the change was made, offline. */
			uc3_buf_addf(&b, _(" (made offline %s)"), when.ptr);
			uc3_buf_release(&when);
		}
		uc3_buf_addch(&b, '\n');
	}
	if (res->fetched)
		/* TRANSLATORS: uc3 sync: how many, the remote. */
		uc3_buf_addf(&b,
			     ngettext("brought in %zu commit from %s\n",
				      "brought in %zu commits from %s\n", res->fetched),
			     res->fetched, res->remote);
	if (reset && res->set_aside)
		/* TRANSLATORS: uc3 sync --reset: how many, the branch, the remote's branch, the
		 * branch. */
		uc3_buf_addf(
			&b,
			ngettext("set aside %zu commit on %s; look at it with git log %s..%s\n",
				 "set aside %zu commits on %s; look at them with git log %s..%s\n",
				 res->nset_aside),
			res->nset_aside, res->set_aside, res->base_name, res->set_aside);
	else if (reset)
		uc3_buf_addf(&b, _("nothing to set aside: %s has all that is here\n"), res->remote);
	if (said)
		uc3_buf_addf(&b, "%s\n", said);
	/* TRANSLATORS: uc3 sync: the remote, the commit. */
	uc3_buf_addf(&b, _("up to date with %s at %.7s\n"), res->remote, res->tip);
	uc3_tool_put(&b);
}

static void
put_json(const struct uc3_sync_result *res, struct uc3_store *st, const char *said)
{
	struct uc3_buf out = UC3_BUF_INIT, t = UC3_BUF_INIT;
	struct uc3_json js;
	size_t i;

	uc3_json_init(&js, &out, UC3_JSON_SPACED);
	uc3_json_object(&js, NULL, 0);
	uc3_json_put_string(&js, "remote", res->remote);
	uc3_json_put_string(&js, "tip", res->tip);
	uc3_json_array(&js, "sent", 0);
	for (i = 0; i < res->sent.n; i++) {
		const struct uc3_waiting *w = &res->sent.v[i];

		uc3_json_object(&js, NULL, 0);
		uc3_json_put_string(&js, "commit", w->commit);
		uc3_json_put_string(&js, "ticket", w->ticket);
		uc3_json_put_string(&js, "action", w->action);
		uc3_json_put_string(&js, "subject", w->subject);
		uc3_json_put_bool(&js, "offline", w->offline);
		uc3_buf_reset(&t);
		if (uc3_clock_format(&t, (time_t)w->made, uc3_store_policy(st)->timezone) < 0)
			uc3_error_clear();
		uc3_json_put_string(&js, "made", t.ptr);
		uc3_json_end(&js);
	}
	uc3_json_end(&js);
	uc3_json_put_long(&js, "fetched", (long)res->fetched);
	uc3_json_put_string(&js, "set_aside", res->set_aside);
	uc3_json_put_string(&js, "reserved", said);
	uc3_json_end(&js);
	uc3_buf_addch(&out, '\n');
	uc3_tool_put(&out);
	uc3_buf_release(&t);
}

int
main(int argc, char **argv)
{
	struct uc3_sync_result res = { 0 };
	struct uc3_store *st = NULL;
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	const char *dir = NULL;
	bool reset = false;
	char *said = NULL;
	int rc = 0;

	static const char *const usage[] = { "uc3 sync [-C dir] [--reset] [--format text|json]",
					     NULL };
	const struct uc3_opt options[] = {
		UC3_OPT_FORMAT(&fmt, "text (default) or json"),
		UC3_OPT_BOOL(0, "reset", &reset,
			     "set aside on a branch every commit here the central\n"
			     "lacks, and return to the central's tip"),
		UC3_OPT_DIR(&dir), UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 sync",
		usage,
		N_("Fetch from the central repository (uc3.remote), bring the branch up to\n"
		   "it, and send what waits here: the writes made while it could not be\n"
		   "reached. --reset sets aside what it refuses.\n"),
		N_("See uc3-sync(1).\n"),
		options,
		0
	};

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	if (argc > 0)
		return uc3_opt_usage_error(&cmd, "uc3 sync takes no arguments");
	if ((rc = uc3_store_open(&st, dir)) < 0)
		goto fail;
	rc = reset ? uc3_sync_reset(&res, st) : uc3_sync(&res, st);
	if (rc < 0)
		goto fail;
	if (res.warning)
		uc3_tool_warn("%s", res.warning);
	if (!reset) {
		time_t now;
		struct tm tm;

		/* A block of numbers for the next time the central is away; never fails the sync.
		 */
		if (uc3_clock_now(&now) < 0 ||
		    uc3_clock_local(&tm, now, uc3_store_policy(st)->timezone) < 0 ||
		    uc3_op_reserve(st, tm.tm_year + 1900, &said) < 0) {
			uc3_tool_warn("%s", uc3_error_last());
			uc3_error_clear();
		}
	}
	if (fmt == UC3_FORMAT_JSON)
		put_json(&res, st, said);
	else
		put_text(&res, st, reset, said);
	goto out;
fail:
	uc3_tool_fail();
out:
	free(said);
	uc3_sync_result_release(&res);
	uc3_store_free(st);
	return rc < 0 ? UC3_EXIT_ERROR : uc3_tool_finish(0);
}
