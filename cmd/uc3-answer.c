/*
 * uc3 answer: record the answer of the level that holds a ticket.
 * The option loop is shared with the other steps (uc3_tool_step_main).
 */
#include "tool.h"
#include "transition.h"

static const struct uc3_step_cmd cmd = {
	"uc3 answer",
	UC3_ACT_ANSWER,
	"usage: uc3 answer [-C dir] [-F file | -m text] id",
	"\n"
	"Record the answer of the level that holds the ticket. The text comes\n"
	"from -m, -F, standard input when it is not a terminal, else the editor.\n"
	"Mailing the answer (--send) comes in a later version; until then deliver\n"
	"it yourself and record that with uc3 deliver.\n"
	"\n"
	"  -m, --message TEXT   the answer (several -m are paragraphs)\n"
	"  -F, --file FILE      the answer from FILE (- for standard input)\n"
	"  -C DIR               the records repository\n"
	"\n"
	"See uc3-answer(1).\n",
	"mFS",
};

int
main(int argc, char **argv)
{
	return uc3_tool_step_main(argc, argv, &cmd);
}
