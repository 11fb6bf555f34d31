/*
 * uc3 new: register a question, complaint or suggestion; print its id.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "input.h"
#include "notify.h"
#include "ops.h"
#include "opt.h"
#include "run.h"
#include "store.h"
#include "tool.h"
#include "xalloc.h"

/*
 * notify.acknowledge: mail the requester that the ticket was received.
 * The ticket stands whatever happens here: a failure is a warning, and
 * uc3 overdue --mail tries again.
 */
static void
acknowledge(struct uc3_store *st, const char *id)
{
	struct uc3_notify_outcome o = { 0 };
	const char *why = NULL;
	time_t now;

	if (!uc3_store_policy(st)->notify_acknowledge || uc3_clock_now(&now) < 0)
		return;
	if (uc3_notify_acknowledge(&o, st, id, now, uc3_tool_datadir()) < 0)
		why = uc3_error_last();
	else if (o.failed)
		why = o.error;
	if (why)
		uc3_tool_warn("%s is registered, but its acknowledgement was not sent: %s; "
			      "uc3 overdue --mail tries again",
			      id, why);
	uc3_error_clear();
	uc3_notify_outcome_release(&o);
}

/* The most of a mail uc3 new --mail reads; past it the MTA is told the mail is bad. */
#define MAIL_MAX ((size_t)64 * 1024 * 1024)

/* What became of the mail, on stderr: stdout has its id (or quarantine path) alone. */
static void
mail_said(const struct uc3_mail_outcome *o)
{
	if (o->quarantine) {
		uc3_tool_warn("the mail does not read (%s); it is kept as it came at %s, where "
			      "uc3 list and uc3 overdue show it until somebody registers it with "
			      "uc3 new --quarantined %s",
			      o->why ? o->why : "?", o->quarantine, o->quarantine);
		return;
	}
	if (o->duplicate)
		uc3_tool_note("%s already has this mail (its Message-ID); nothing new was "
			      "recorded%s",
			      o->id, o->kept ? " but its files" : "");
	else if (o->followup)
		uc3_tool_note("the mail is a follow-up: added to %s", o->id);
	else if (o->follows)
		uc3_tool_note("the mail follows %s, which is closed: registered as %s", o->follows,
			      o->id);
	if (o->left_out)
		uc3_tool_warn("%s: files left out: %s", o->id, o->left_out);
	if (o->automatic && !o->duplicate)
		uc3_tool_note("%s: an automatic mail (%s); it is never acknowledged", o->id,
			      o->automatic);
	if (o->warning)
		uc3_tool_warn("%s", o->warning);
}

/*
 * uc3 new --mail: one message on standard input, as a mail delivery
 * agent. Exit 0 when it is stored (a ticket, a follow-up, or in
 * quarantine), EX_TEMPFAIL when the records could not take it now (the
 * MTA keeps it and tries again), EX_DATAERR when not even the
 * quarantine could keep it.
 */
static int
new_mail(const char *dir)
{
	struct uc3_buf raw = UC3_BUF_INIT;
	struct uc3_mail_outcome o = { 0 };
	struct uc3_store *st = NULL;
	int rc;

	if (isatty(STDIN_FILENO)) {
		uc3_tool_error("--mail reads a mail on standard input: pipe one in (uc3 new --mail "
			       "< message.eml)");
		return UC3_EXIT_ERROR;
	}
	if ((rc = uc3_buf_read_limited(&raw, STDIN_FILENO, MAIL_MAX, "the mail")) < 0) {
		uc3_tool_error("%s", uc3_error_last());
		uc3_buf_release(&raw);
		return rc == UC3_EINVAL ? UC3_EXIT_DATAERR : UC3_EXIT_TEMPFAIL;
	}
	if ((rc = uc3_store_open(&st, dir)) < 0 ||
	    (rc = uc3_op_mail(&o, st, raw.ptr, raw.len)) < 0) {
		uc3_tool_error("%s; the mail was not stored%s", uc3_error_last(),
			       rc == UC3_EINVAL ? "" : ", and the mail system will try again");
		rc = rc == UC3_EINVAL ? UC3_EXIT_DATAERR : UC3_EXIT_TEMPFAIL;
		goto out;
	}
	printf("%s\n", o.id ? o.id : o.quarantine);
	fflush(stdout);
	mail_said(&o);
	if (o.id && !o.followup && !o.duplicate && !o.automatic)
		acknowledge(st, o.id);
	rc = uc3_tool_finish(0);
	/* The mail is stored: a full stdout must not make the MTA deliver it again. */
	if (rc == UC3_EXIT_ERROR)
		rc = 0;
out:
	uc3_mail_outcome_release(&o);
	uc3_buf_release(&raw);
	uc3_store_free(st);
	return rc;
}

/*
 * Online, with a central repository: make sure this clone holds a block
 * of numbers for the next time the central is away (uc3-sync(1)). The
 * ticket stands whatever happens here: a failure is a warning.
 */
static void
reserve(struct uc3_store *st, const struct uc3_write_result *res)
{
	char *remote = uc3_store_config(st, "uc3.remote"), *said = NULL;
	time_t now;
	struct tm tm;

	if (!remote || res->offline) {
		free(remote);
		return;
	}
	free(remote);
	if (uc3_clock_now(&now) < 0 ||
	    uc3_clock_local(&tm, now, uc3_store_policy(st)->timezone) < 0 ||
	    uc3_op_reserve(st, tm.tm_year + 1900, &said) < 0) {
		uc3_tool_warn("%s", uc3_error_last());
		uc3_error_clear();
	}
	free(said);
}

int
main(int argc, char **argv)
{
	struct uc3_new_input in = { 0 };
	struct uc3_opt_text body = UC3_OPT_TEXT_INIT;
	struct uc3_write_result res;
	struct uc3_store *st = NULL;
	const char *dir = NULL, *file = NULL;
	char *id = NULL;
	bool mail = false;
	size_t limit;
	int rc;

	static const char *const usage[] = {
		"uc3 new [-C dir] [-c channel] [-F file] [-k kind] [-m text] [-s subject]",
		"        [-u unit] [--address text] [--from \"name <email>\"] [--phone number]",
		"        [--quarantined path] [--received time] [--social account]",
		"uc3 new [-C dir] --mail < message", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING('s', "subject", &in.subject, "TEXT", "what it is about (one line)"),
		UC3_OPT_STRING('k', "kind", &in.kind, "KIND",
			       "pertanyaan, keluhan, saran, lainnya (the policy's kinds)"),
		UC3_OPT_STRING('c', "channel", &in.channel, "CHANNEL",
			       "email, telepon, langsung, ... (the policy's channels)"),
		UC3_OPT_STRING(0, "from", &in.from, "\"NAME <EMAIL>\"",
			       "who sent it: a name, an email, both, or an @account"),
		UC3_OPT_STRING(0, "phone", &in.phone, "NUMBER", "the requester's phone"),
		UC3_OPT_STRING(0, "social", &in.social, "ACCOUNT",
			       "the requester's social-media account (@unej_fess)"),
		UC3_OPT_STRING(0, "address", &in.address, "TEXT",
			       "the requester's postal address (lines)"),
		UC3_OPT_STRING('u', "unit", &in.unit, "UNIT",
			       "where it is addressed (may be set later)"),
		UC3_OPT_STRING(0, "quarantined", &in.quarantined, "PATH",
			       "typed from this mail waiting in quarantine (as uc3\n"
			       "list shows it), which the same commit removes"),
		UC3_OPT_STRING(0, "received", &in.received, "TIME",
			       "when it was received (default now), RFC 3339 or\n"
			       "local \"2026-11-28 09:00\" in the policy's zone"),
		UC3_OPT_CALLBACK('m', "message", &body, "TEXT",
				 "the body (several -m are paragraphs)", uc3_opt_text),
		UC3_OPT_STRING('F', "file", &file, "FILE",
			       "the body from FILE (- for standard input)"),
		UC3_OPT_BOOL(0, "mail", &mail,
			     "read one RFC 5322 mail on standard input (as a mail\n"
			     "delivery agent: exit 0 stored, 75 try again, 65 bad)"),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 new",
		usage,
		"Register a question, complaint or suggestion and print its id.\n",
		"Without -m or -F the body is read from standard input when it is not a\n"
		"terminal, else written in $VISUAL, $EDITOR or git's core.editor.\n"
		"See uc3-new(1).\n",
		options,
		UC3_OPT_NO_ARGS
	};

	if (uc3_opt_parse(argc, argv, &cmd, &rc) < 0)
		goto out;
	if (mail) {
		if (in.subject || in.kind || in.channel || in.from || in.phone || in.social ||
		    in.address || in.unit || in.received || in.quarantined || body.given || file) {
			uc3_tool_error("--mail takes everything from the mail: give it alone (with "
				       "-C)");
			rc = UC3_EXIT_ERROR;
			goto out;
		}
		rc = new_mail(dir);
		goto out;
	}
	if (body.given && file) {
		uc3_tool_error("-m and -F cannot be used together");
		rc = UC3_EXIT_ERROR;
		goto out;
	}
	if (!in.subject || !*in.subject) {
		uc3_tool_error("no subject: give -s \"what it is about\"");
		rc = UC3_EXIT_ERROR;
		goto out;
	}
	if ((rc = uc3_store_open(&st, dir)) < 0)
		goto fail;
	limit = uc3_store_policy(st)->body_limit;
	/* Refused before anybody types a text that cannot be recorded. */
	if (in.quarantined && (rc = uc3_op_new_quarantined_check(st, in.quarantined)) < 0)
		goto fail;
	if (!body.given) {
		struct uc3_buf hint = UC3_BUF_INIT;

		uc3_buf_addf(&hint,
			     "Tulis isi pertanyaan, keluhan atau saran di atas baris ini.\n"
			     "Write the question, complaint or suggestion above.\n"
			     "Lines starting with '#' are ignored; an empty text aborts.\n"
			     "\n"
			     "Subject: %s\n",
			     in.subject);
		rc = uc3_input_text(&body.buf, st, file, hint.ptr, limit, "the body");
		uc3_buf_release(&hint);
		if (rc < 0)
			goto fail;
	}
	in.body = body.buf.ptr;
	in.body_len = body.buf.len;
	if ((rc = uc3_op_new(&id, st, &in, &res)) < 0)
		goto fail;
	printf("%s\n", id);
	fflush(stdout);
	if (res.warning)
		uc3_tool_warn("%s", res.warning);
	acknowledge(st, id);
	reserve(st, &res);
	uc3_write_result_release(&res);
	free(id);
	rc = uc3_tool_finish(0);
	goto out;
fail:
	rc = uc3_tool_fail();
out:
	uc3_buf_release(&body.buf);
	uc3_store_free(st);
	return rc;
}
