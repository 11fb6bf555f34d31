/*
 * uc3 edit: correct what a ticket says (a typo in the subject, the
 * wrong unit, a requester's address), with the reason, in one event that
 * keeps the old and new values.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "buf.h"
#include "i18n.h"
#include "input.h"
#include "opt.h"
#include "requester.h"
#include "tool.h"
#include "transition.h"

/* The most --body-file reads; the policy's limit is checked after. */
#define BODY_READ_MAX (8 * 1024 * 1024)

int
main(int argc, char **argv)
{
	struct uc3_opt_text why = UC3_OPT_TEXT_INIT;
	struct uc3_buf body = UC3_BUF_INIT, line = UC3_BUF_INIT;
	const char *dir = NULL, *subject = NULL, *kind = NULL, *channel = NULL, *from = NULL;
	const char *phone = NULL, *unit = NULL, *body_text = NULL, *body_file = NULL;
	const char *social = NULL, *address = NULL;
	char *name = NULL, *email = NULL, *from_social = NULL, *warning = NULL;
	struct uc3_edit edits[16]; /* one a field; there are fewer fields */
	struct uc3_act act;
	size_t n = 0;
	int rc;

	static const char *const usage[] = {
		"uc3 edit [-C dir] [-c channel] [-k kind] [-s subject] [-u unit]",
		"         [--body text | --body-file file] [--from \"name <email>\"]",
		"         [--phone number] [--social account] [--address text] -m why id", NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING('c', "channel", &channel, "CHANNEL", "the channel it came in by"),
		UC3_OPT_STRING('k', "kind", &kind, "KIND", "the kind of ticket"),
		UC3_OPT_CALLBACK('m', "message", &why, "WHY",
				 "why (required; several -m are paragraphs)", uc3_opt_text),
		UC3_OPT_STRING('s', "subject", &subject, "TEXT", "the subject (one line)"),
		UC3_OPT_STRING('u', "unit", &unit, "UNIT", "the unit (tujuan); '' for none"),
		UC3_OPT_STRING(0, "body", &body_text, "TEXT", "the body"),
		UC3_OPT_STRING(0, "body-file", &body_file, "FILE",
			       "the body from FILE (- for standard input)"),
		UC3_OPT_STRING(0, "from", &from, "\"NAME <EMAIL>\"",
			       "who sent it, as uc3 new reads it: sets the\n"
			       "requester's name and email both"),
		UC3_OPT_STRING(0, "phone", &phone, "NUMBER", "the requester's phone; '' for none"),
		UC3_OPT_STRING(0, "social", &social, "ACCOUNT",
			       "the requester's social-media account; '' for none"),
		UC3_OPT_STRING(0, "address", &address, "TEXT",
			       "the requester's postal address; '' for none"),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 edit",
		usage,
		N_("Correct what a ticket says, on any status: the new values pass the\n"
		   "checks of uc3 new, and one event keeps the reason with the old and new\n"
		   "value of each field changed. Status, level and deadline stay.\n"),
		N_("The policy's corrections say who may. See uc3-edit(1).\n"),
		options,
		0
	};

	memset(&act, 0, sizeof(act));
	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		goto out;
	if (argc != 1) {
		rc = uc3_opt_usage_error(&cmd, argc ? N_("one ticket id at a time")
						    : N_("which ticket? give its id"));
		goto out;
	}
	if (body_text && body_file) {
		uc3_tool_error("--body and --body-file cannot be used together");
		rc = UC3_EXIT_ERROR;
		goto out;
	}
	if (body_file) {
		if (uc3_input_text(&body, NULL, body_file, NULL, BODY_READ_MAX, "--body-file") <
		    0) {
			rc = uc3_tool_fail();
			goto out;
		}
		body_text = body.ptr;
	}
	if (from && uc3_requester_parse(&name, &email, &from_social, from) < 0) {
		rc = uc3_tool_fail();
		goto out;
	}
#define EDIT(f, v)                                                                                 \
	do {                                                                                       \
		edits[n].field = (f);                                                              \
		edits[n++].value = (v);                                                            \
	} while (0)
	if (subject)
		EDIT("subject", subject);
	if (kind)
		EDIT("kind", kind);
	if (channel)
		EDIT("channel", channel);
	if (from && from_social) {
		if (social) {
			rc = uc3_opt_usage_error(&cmd, "--from names a social account and so "
						       "does --social: give one");
			goto out;
		}
		social = from_social;
	} else if (from) {
		EDIT("requester.name", name);
		EDIT("requester.email", email);
	}
	if (social)
		EDIT("requester.social", social);
	if (address)
		EDIT("requester.address", address);
	if (phone)
		EDIT("requester.phone", phone);
	if (unit)
		EDIT("unit", unit);
	if (body_text)
		EDIT("body", body_text);
#undef EDIT
	if (!n) {
		rc = uc3_opt_usage_error(&cmd, "nothing to edit: give the fields to correct "
					       "(--subject, --unit, ...)");
		goto out;
	}
	act.action = UC3_ACT_EDIT;
	act.note = why.given ? why.buf.ptr : NULL;
	act.edits = edits;
	act.nedits = n;
	if (uc3_act_run(&line, &warning, dir, argv[0], &act, NULL) < 0) {
		rc = uc3_tool_fail();
		goto out;
	}
	printf("%s\n", line.ptr);
	if (warning)
		uc3_tool_warn("%s", warning);
	rc = uc3_tool_finish(0);
out:
	free(name);
	free(email);
	free(from_social);
	free(warning);
	uc3_buf_release(&why.buf);
	uc3_buf_release(&body);
	uc3_buf_release(&line);
	return rc;
}
