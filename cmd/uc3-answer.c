/*
 * uc3 answer: record the answer of the level that holds a ticket, and
 * with --send mail it to the requester and record the delivery too.
 * Its options are read and the step done by uc3_stepcmd_main.
 */
#include "i18n.h"
#include "stepcmd.h"
#include "transition.h"

int
main(int argc, char **argv)
{
	static const char *const usage[] = { "uc3 answer [-C dir] [--send] [-F file | -m text] id",
					     NULL };
	struct uc3_stepcmd_args a = UC3_STEPCMD_ARGS_INIT;
	const struct uc3_opt options[] = {
		UC3_OPT_CALLBACK('m', "message", &a.message, "TEXT",
				 "the answer (several -m are paragraphs)", uc3_opt_text),
		UC3_OPT_STRING('F', "file", &a.file, "FILE",
			       "the answer from FILE (- for standard input)"),
		UC3_OPT_BOOL(0, "send", &a.send,
			     "mail the answer to the requester and record its delivery"),
		UC3_OPT_DIR(&a.dir), UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 answer",
		usage,
		N_("Record the answer of the level that holds the ticket. The text comes\n"
		   "from -m, -F, standard input when it is not a terminal, else the editor.\n"
		   "With --send the answer is also mailed to the requester's email, from\n"
		   "templates/answer.txt through the policy's sendmail, and its delivery is\n"
		   "recorded in the same commit, only when sendmail took the message.\n"),
		N_("See uc3-answer(1).\n"),
		options,
		0
	};

	return uc3_stepcmd_main(argc, argv, &cmd, UC3_ACT_ANSWER, &a);
}
