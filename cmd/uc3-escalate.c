/*
 * uc3 escalate: pass a ticket one level up the chain, when the information is not at hand.
 * Its options are read and the step done by uc3_stepcmd_main.
 */
#include "i18n.h"
#include "stepcmd.h"
#include "transition.h"

int
main(int argc, char **argv)
{
	static const char *const usage[] = { "uc3 escalate [-C dir] [-m note] id", NULL };
	struct uc3_stepcmd_args a = UC3_STEPCMD_ARGS_INIT;
	const struct uc3_opt options[] = { UC3_OPT_CALLBACK('m', "message", &a.message, "NOTE",
							    "why (several -m are paragraphs)",
							    uc3_opt_text),
					   UC3_OPT_DIR(&a.dir), UC3_OPT_END() };
	const struct uc3_opt_cmd cmd = {
		"uc3 escalate",
		usage,
		N_("Pass the ticket one level up the chain (staf -> wakor -> koordinator ->\n"
		   "kabiro) when the information is not at hand: the SOP's \"tidak\".\n"),
		N_("See uc3-escalate(1).\n"),
		options,
		0
	};

	return uc3_stepcmd_main(argc, argv, &cmd, UC3_ACT_ESCALATE, &a);
}
