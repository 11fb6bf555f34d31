/*
 * uc3 close: archive a ticket, the SOP's step 3.
 * The option loop is shared with the other steps (uc3_tool_step_main).
 */
#include "tool.h"
#include "transition.h"

static const struct uc3_step_cmd cmd = {
	"uc3 close",
	UC3_ACT_CLOSE,
	"usage: uc3 close [-C dir] [-u unit] id",
	"\n"
	"Archive the ticket: the SOP's step 3. It needs the requester and the\n"
	"unit the ticket is addressed to.\n"
	"\n"
	"  -u, --unit UNIT      set the unit (tujuan) first\n"
	"  -C DIR               the records repository\n"
	"\n"
	"See uc3-close(1).\n",
	"u",
};

int
main(int argc, char **argv)
{
	return uc3_tool_step_main(argc, argv, &cmd);
}
