#include "stepcmd.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "act.h"
#include "buf.h"
#include "i18n.h"
#include "tool.h"
#include "transition.h"

/*
 * close --as spam|duplicate [--of ID] -m WHY: act becomes a close as;
 * the options that do not go together are refused. 0, or the exit
 * status after saying why.
 */
static int
close_as(struct uc3_act *act, const struct uc3_stepcmd_args *args)
{
	if (!args->as) {
		if (args->of) {
			uc3_tool_error("--of goes with --as duplicate");
			return UC3_EXIT_ERROR;
		}
		if (args->message.given) {
			uc3_tool_error("-m goes with --as: a plain close records no note");
			return UC3_EXIT_ERROR;
		}
		return 0;
	}
	if (args->unit) {
		uc3_tool_error("--unit does not go with --as: a ticket closed as %s needs no unit",
			       args->as);
		return UC3_EXIT_ERROR;
	}
	act->action = UC3_ACT_CLOSE_AS;
	act->as = args->as;
	act->of = args->of;
	return 0;
}

int
uc3_stepcmd_main(int argc, char **argv, const struct uc3_opt_cmd *cmd, int action,
		 struct uc3_stepcmd_args *args)
{
	struct uc3_act act;
	struct uc3_buf line = UC3_BUF_INIT;
	char *warning = NULL;
	const char *msg;
	int rc;

	memset(&act, 0, sizeof(act));
	act.action = (enum uc3_action)action;
	if ((argc = uc3_opt_parse(argc, argv, cmd, &rc)) < 0)
		goto out;
	if (argc != 1) {
		rc = uc3_opt_usage_error(cmd, argc ? N_("one ticket id at a time")
						   : N_("which ticket? give its id"));
		goto out;
	}
	msg = args->message.given ? args->message.buf.ptr : NULL;
	if (act.action == UC3_ACT_ANSWER) {
		if (msg && args->file) {
			uc3_tool_error("-m and -F cannot be used together");
			rc = UC3_EXIT_ERROR;
			goto out;
		}
		act.text = msg;
	} else {
		act.note = msg;
	}
	if (args->send) {
		if (act.action == UC3_ACT_DELIVER && msg) {
			uc3_tool_error("-m does not go with --send: the mail is the record of "
				       "the delivery");
			rc = UC3_EXIT_ERROR;
			goto out;
		}
		act.send = true;
		act.datadir = uc3_tool_datadir();
	}
	act.unit = args->unit;
	if (act.action == UC3_ACT_CLOSE && (rc = close_as(&act, args)) != 0)
		goto out;
	if (uc3_act_run(&line, &warning, args->dir, argv[0], &act, args->file) < 0) {
		rc = uc3_tool_fail();
		goto out;
	}
	printf("%s\n", line.ptr);
	if (warning)
		uc3_tool_warn("%s", warning);
	rc = uc3_tool_finish(0);
out:
	free(warning);
	uc3_buf_release(&line);
	uc3_buf_release(&args->message.buf);
	return rc;
}
