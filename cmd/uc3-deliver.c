/*
 * uc3 deliver: record that the answer reached the requester.
 * Its options are read and the step done by uc3_stepcmd_main.
 */
#include "stepcmd.h"
#include "transition.h"

int
main(int argc, char **argv)
{
	static const char *const usage[] = { "uc3 deliver [-C dir] [-m note] id", NULL };
	struct uc3_stepcmd_args a = UC3_STEPCMD_ARGS_INIT;
	const struct uc3_opt options[] = { UC3_OPT_CALLBACK('m', "message", &a.message, "NOTE",
							    "how it was delivered", uc3_opt_text),
					   UC3_OPT_CALLBACK(0, "send", NULL, NULL, NULL,
							    uc3_stepcmd_send),
					   UC3_OPT_DIR(&a.dir), UC3_OPT_END() };
	const struct uc3_opt_cmd cmd = {
		"uc3 deliver",
		usage,
		"Record that the answer reached the requester (by phone, in person, by\n"
		"letter...): the SOP's step 2d. Mailing it (--send) comes in a later version.\n",
		"See uc3-deliver(1).\n",
		options,
		0
	};

	return uc3_stepcmd_main(argc, argv, &cmd, UC3_ACT_DELIVER, &a);
}
