/*
 * uc3 deliver: record that the answer reached the requester, or with
 * --send mail it to them and record that.
 * Its options are read and the step done by uc3_stepcmd_main.
 */
#include "i18n.h"
#include "stepcmd.h"
#include "transition.h"

int
main(int argc, char **argv)
{
	static const char *const usage[] = { "uc3 deliver [-C dir] [-m note] id",
					     "uc3 deliver [-C dir] --send id", NULL };
	struct uc3_stepcmd_args a = UC3_STEPCMD_ARGS_INIT;
	const struct uc3_opt options[] = { UC3_OPT_CALLBACK('m', "message", &a.message, "NOTE",
							    "how it was delivered", uc3_opt_text),
					   UC3_OPT_BOOL(0, "send", &a.send,
							"mail the answer to the requester"),
					   UC3_OPT_DIR(&a.dir), UC3_OPT_END() };
	const struct uc3_opt_cmd cmd = {
		"uc3 deliver",
		usage,
		N_("Record that the answer reached the requester (by phone, in person, by\n"
		   "letter...): the SOP's step 2d. With --send the answer is mailed to the\n"
		   "requester's email, from templates/answer.txt through the policy's\n"
		   "sendmail, and the delivery recorded only when sendmail took the message.\n"),
		N_("See uc3-deliver(1).\n"),
		options,
		0
	};

	return uc3_stepcmd_main(argc, argv, &cmd, UC3_ACT_DELIVER, &a);
}
