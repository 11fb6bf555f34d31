/*
 * uc3 escalate: pass a ticket one level up the chain
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "tool.h"
#include "transition.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: uc3 escalate [-C dir] [-m note] id\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "Pass the ticket one level up the chain (staf -> wakor -> koordinator ->\n"
	       "kabiro) when the information is not at hand: the SOP's \"tidak\".\n"
	       "\n"
	       "  -m, --message NOTE   why (several -m are paragraphs)\n"
	       "  -C DIR               the records repository\n"
	       "\n"
	       "See uc3-escalate(1).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "message", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct uc3_act act = { 0 };
	struct uc3_buf msg = UC3_BUF_INIT;
	const char *dir = NULL, *file = NULL;
	int ch, rc;

	uc3_tool_init("uc3 escalate");
	opterr = 0;
	act.action = UC3_ACT_ESCALATE;
	while ((ch = getopt_long(argc, argv, ":C:hm:", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'm':
			if (msg.len)
				uc3_buf_adds(&msg, "\n\n");
			uc3_buf_adds(&msg, optarg);
			act.note = msg.ptr;
			break;		case 'h':
			help();
			uc3_buf_release(&msg);
			return uc3_tool_finish(0);
		case 'V':
			uc3_buf_release(&msg);
			return uc3_tool_version();
		default:
			uc3_tool_bad_option(ch, argv);
			usage(stderr);
			uc3_buf_release(&msg);
			return UC3_EXIT_ERROR;
		}
	}
	if (argc - optind != 1) {
		uc3_tool_error(argc - optind ? "one ticket id at a time" : "which ticket? give its id");
		usage(stderr);
		uc3_buf_release(&msg);
		return UC3_EXIT_ERROR;
	}
	rc = uc3_tool_step(dir, argv[optind], &act, file);
	uc3_buf_release(&msg);
	return rc;
}
