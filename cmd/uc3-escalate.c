/*
 * uc3 escalate: pass a ticket one level up the chain, when the information is not at hand.
 * The option loop is shared with the other steps (uc3_tool_step_main).
 */
#include "tool.h"
#include "transition.h"

static const struct uc3_step_cmd cmd = {
	"uc3 escalate",
	UC3_ACT_ESCALATE,
	"usage: uc3 escalate [-C dir] [-m note] id",
	"\n"
	"Pass the ticket one level up the chain (staf -> wakor -> koordinator ->\n"
	"kabiro) when the information is not at hand: the SOP's \"tidak\".\n"
	"\n"
	"  -m, --message NOTE   why (several -m are paragraphs)\n"
	"  -C DIR               the records repository\n"
	"\n"
	"See uc3-escalate(1).\n",
	"m",
};

int
main(int argc, char **argv)
{
	return uc3_tool_step_main(argc, argv, &cmd);
}
