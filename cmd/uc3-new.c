/*
 * uc3 new: register a question, complaint or suggestion; print its id.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "input.h"
#include "ops.h"
#include "opt.h"
#include "run.h"
#include "store.h"
#include "tool.h"
#include "xalloc.h"

/*
 * The mail of uc3 new is done by new-mail, beside this program (in the
 * build and installed alike): it alone loads GMime. Its path, in buf.
 */
static const char *
helper(char buf[], size_t size)
{
	snprintf(buf, size, "%s/new-mail", uc3_tool_exedir());
	return buf;
}

/*
 * notify.acknowledge: mail the requester that the ticket was received,
 * through new-mail, which says what went wrong on stderr. The ticket
 * stands whatever happens here, and uc3 overdue --mail tries again.
 */
static void
acknowledge(struct uc3_store *st, const char *dir, const char *id)
{
	struct uc3_buf err = UC3_BUF_INIT;
	char path[PATH_MAX + 16];
	const char *argv[] = { helper(path, sizeof(path)), "--acknowledge", id, "-C", dir, NULL };
	int status;

	if (!uc3_store_policy(st)->notify_acknowledge)
		return;
	if (!dir)
		argv[3] = NULL;
	if (uc3_run(&status, argv, NULL, 0, NULL, &err) < 0) {
		uc3_tool_warn("%s is registered, but its acknowledgement was not sent: %s; "
			      "uc3 overdue --mail tries again",
			      id, uc3_error_last());
		uc3_error_clear();
	} else if (status != 0 && !err.len) {
		uc3_tool_warn("%s is registered, but its acknowledgement was not sent: %s "
			      "failed (exit %d); uc3 overdue --mail tries again",
			      id, path, status);
	}
	fwrite(err.ptr, 1, err.len, stderr);
	uc3_buf_release(&err);
}

/*
 * uc3 new --mail: new-mail in this process's place, with standard input
 * as it came from the mail system. Returns only when it cannot be run:
 * EX_TEMPFAIL, so that the mail system keeps the mail and tries again.
 */
static int
new_mail(const char *dir)
{
	char path[PATH_MAX + 16], mail[] = "--mail", opt_c[] = "-C";
	char *argv[] = { path, mail, opt_c, (char *)dir, NULL };

	helper(path, sizeof(path));
	if (!dir)
		argv[2] = NULL;
	fflush(NULL);
	execv(path, argv);
	uc3_tool_error("cannot run %s: %s; the mail was not stored, and the mail system will try "
		       "again",
		       path, strerror(errno));
	return UC3_EXIT_TEMPFAIL;
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
		N_("Register a question, complaint or suggestion and print its id.\n"),
		N_("Without -m or -F the body is read from standard input when it is not a\n"
		   "terminal, else written in $VISUAL, $EDITOR or git's core.editor.\n"
		   "See uc3-new(1).\n"),
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
		rc = uc3_input_text(&body.buf, st, file, hint.ptr, limit, _("the body"));
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
	acknowledge(st, dir, id);
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
