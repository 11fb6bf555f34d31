/*
 * uc3 deliver: record that the answer reached the requester.
 * The option loop is shared with the other steps (uc3_tool_step_main).
 */
#include "tool.h"
#include "transition.h"

static const struct uc3_step_cmd cmd = {
	"uc3 deliver",
	UC3_ACT_DELIVER,
	"usage: uc3 deliver [-C dir] [-m note] id",
	"\n"
	"Record that the answer reached the requester (by phone, in person, by\n"
	"letter...): the SOP's step 2d. Mailing it (--send) comes in a later version.\n"
	"\n"
	"  -m, --message NOTE   how it was delivered\n"
	"  -C DIR               the records repository\n"
	"\n"
	"See uc3-deliver(1).\n",
	"mS",
};

int
main(int argc, char **argv)
{
	return uc3_tool_step_main(argc, argv, &cmd);
}
