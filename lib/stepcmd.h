#ifndef UC3_STEPCMD_H
#define UC3_STEPCMD_H

#include <stdbool.h>

#include "opt.h"

/*
 * The main() of the step commands, escalate, answer, deliver and close
 * (and close --as), and of reopen. Each declares its own options (which of -m, -F, -u, --send it
 * takes, with its help) pointing into a struct uc3_stepcmd_args, and
 * hands them here. Tool plumbing, as tool.h: it prints. It is apart from
 * tool.c so that the dispatcher, which needs none of it, links without
 * libgit2.
 */

struct uc3_stepcmd_args {
	const char *dir;	     /* -C */
	struct uc3_opt_text message; /* -m: the note, or the answer's text */
	const char *file;	     /* -F: the answer from a file */
	const char *unit;	     /* -u: the unit, for close */
	const char *as;		     /* --as: close as spam or duplicate */
	const char *of;		     /* --of: the ticket a duplicate repeats */
	bool send;		     /* --send: mail the answer to the requester */
};
#define UC3_STEPCMD_ARGS_INIT                                                                      \
	{                                                                                          \
		NULL, UC3_OPT_TEXT_INIT, NULL, NULL, NULL, NULL, false                             \
	}

/*
 * Read the options of cmd into args, check for one ticket id, do action
 * (enum uc3_action) on it (uc3_act_run) and print what was done in one
 * line. A close with --as is a close as spam or duplicate, which takes
 * -m (its reason) and --of, and not --unit; a plain close takes neither
 * -m nor --of. answer --send and deliver --send mail the answer to the
 * requester (templates from uc3_tool_datadir() when the records have
 * none); deliver --send takes no -m, the mail being the record of how it
 * went. Releases args. Returns the exit status.
 */
int uc3_stepcmd_main(int argc, char **argv, const struct uc3_opt_cmd *cmd, int action,
		     struct uc3_stepcmd_args *args);

#endif
