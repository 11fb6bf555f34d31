/*
 * uc3 reopen: put a ticket that was answered, delivered or closed back
 * on the chain, open at its bottom, with a new step on the clock.
 * Its options are read and the correction done by uc3_stepcmd_main.
 */
#include "i18n.h"
#include "stepcmd.h"
#include "transition.h"

int
main(int argc, char **argv)
{
	static const char *const usage[] = { "uc3 reopen [-C dir] -m why id", NULL };
	struct uc3_stepcmd_args a = UC3_STEPCMD_ARGS_INIT;
	const struct uc3_opt options[] = {
		UC3_OPT_CALLBACK('m', "message", &a.message, "WHY",
				 "why (required; several -m are paragraphs)", uc3_opt_text),
		UC3_OPT_DIR(&a.dir), UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 reopen",
		usage,
		N_("Put a ticket that was answered, delivered or closed back on the chain:\n"
		   "open at its first role, due that role's step from now. The answer it\n"
		   "had is kept in the event. The policy's corrections say who may.\n"),
		N_("See uc3-reopen(1).\n"),
		options,
		0
	};

	return uc3_stepcmd_main(argc, argv, &cmd, UC3_ACT_REOPEN, &a);
}
