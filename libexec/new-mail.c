/*
 * new-mail: the part of uc3 new that reads or writes a mail, in a program
 * of its own so that uc3 new, which registers most tickets by hand, never
 * loads GMime and the libraries under it (half of its start-up). uc3-new
 * runs it from its own folder: `new-mail [-C dir] --mail` in its place
 * for uc3 new --mail, `new-mail [-C dir] --acknowledge id` after a
 * ticket is registered when the policy's notify.acknowledge asks for it.
 * It is no command of its own: its messages are uc3 new's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "notify.h"
#include "ops.h"
#include "opt.h"
#include "store.h"
#include "tool.h"

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
		if (o->kept)
			uc3_tool_note("%s already has this mail (its Message-ID); nothing new was "
				      "recorded but its files",
				      o->id);
		else
			uc3_tool_note("%s already has this mail (its Message-ID); nothing new was "
				      "recorded",
				      o->id);
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
	if ((rc = uc3_buf_read_limited(&raw, STDIN_FILENO, MAIL_MAX, _("the mail"))) < 0) {
		uc3_tool_error("%s", uc3_error_last());
		uc3_buf_release(&raw);
		return rc == UC3_EINVAL ? UC3_EXIT_DATAERR : UC3_EXIT_TEMPFAIL;
	}
	if ((rc = uc3_store_open(&st, dir)) < 0 ||
	    (rc = uc3_op_mail(&o, st, raw.ptr, raw.len)) < 0) {
		if (rc == UC3_EINVAL)
			uc3_tool_error("%s; the mail was not stored", uc3_error_last());
		else
			uc3_tool_error("%s; the mail was not stored, and the mail system will try "
				       "again",
				       uc3_error_last());
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

/* --acknowledge id: the acknowledgement of a ticket uc3 new has just registered. */
static int
new_acknowledge(const char *dir, const char *id)
{
	struct uc3_store *st = NULL;

	if (uc3_store_open(&st, dir) < 0) {
		uc3_tool_warn("%s is registered, but its acknowledgement was not sent: %s; "
			      "uc3 overdue --mail tries again",
			      id, uc3_error_last());
		return 0;
	}
	acknowledge(st, id);
	uc3_store_free(st);
	return uc3_tool_finish(0);
}

int
main(int argc, char **argv)
{
	const char *dir = NULL, *ack = NULL;
	bool mail = false;
	int rc;

	static const char *const usage[] = { "new-mail [-C dir] --mail < message",
					     "new-mail [-C dir] --acknowledge id", NULL };
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "acknowledge", &ack, "ID",
			       "mail the requester of ID that it was received"),
		UC3_OPT_BOOL(0, "mail", &mail, "read one RFC 5322 mail on standard input"),
		UC3_OPT_DIR(&dir), UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = { "uc3 new",
					 usage,
					 N_("The mail of uc3 new (run by uc3-new, not by hand).\n"),
					 N_("See uc3-new(1).\n"),
					 options,
					 UC3_OPT_NO_ARGS };

	if (uc3_opt_parse(argc, argv, &cmd, &rc) < 0)
		return rc;
	if (mail == !!ack) {
		uc3_tool_error("give --mail or --acknowledge id");
		return UC3_EXIT_ERROR;
	}
	return mail ? new_mail(dir) : new_acknowledge(dir, ack);
}
