/*
 * uc3 close: archive a ticket, the SOP's step 3; or, with --as, close it
 * as spam or a duplicate, without answer or delivery.
 * Its options are read and the step done by uc3_stepcmd_main.
 */
#include "i18n.h"
#include "stepcmd.h"
#include "transition.h"

int
main(int argc, char **argv)
{
	static const char *const usage[] = { "uc3 close [-C dir] [-u unit] id",
					     "uc3 close [-C dir] --as spam -m why id",
					     "uc3 close [-C dir] --as duplicate --of id -m why id",
					     NULL };
	struct uc3_stepcmd_args a = UC3_STEPCMD_ARGS_INIT;
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "as", &a.as, "spam|duplicate",
			       "close it as spam or as a duplicate, without an answer"),
		UC3_OPT_CALLBACK('m', "message", &a.message, "WHY",
				 "why, with --as (several -m are paragraphs)", uc3_opt_text),
		UC3_OPT_STRING(0, "of", &a.of, "ID", "the ticket a duplicate repeats"),
		UC3_OPT_STRING('u', "unit", &a.unit, "UNIT", "set the unit (tujuan) first"),
		UC3_OPT_DIR(&a.dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 close",
		usage,
		N_("Archive the ticket: the SOP's step 3. It needs the requester and the\n"
		   "unit the ticket is addressed to. With --as, close it as spam or as a\n"
		   "duplicate of another ticket, from any status but closed, without\n"
		   "answer, delivery or unit; the policy's corrections say who may.\n"),
		N_("See uc3-close(1).\n"),
		options,
		0
	};

	return uc3_stepcmd_main(argc, argv, &cmd, UC3_ACT_CLOSE, &a);
}
