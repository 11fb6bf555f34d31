/*
 * uc3 answer: record the answer of the level that holds a ticket
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
	fprintf(f, "usage: uc3 answer [-C dir] [-F file | -m text] id\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "Record the answer of the level that holds the ticket. The text comes\n"
	       "from -m, -F, standard input when it is not a terminal, else the editor.\n"
	       "Mailing the answer (--send) comes in a later version; until then deliver\n"
	       "it yourself and record that with uc3 deliver.\n"
	       "\n"
	       "  -m, --message TEXT   the answer (several -m are paragraphs)\n"
	       "  -F, --file FILE      the answer from FILE (- for standard input)\n"
	       "  -C DIR               the records repository\n"
	       "\n"
	       "See uc3-answer(1).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "file", required_argument, NULL, 'F' },
		{ "message", required_argument, NULL, 'm' },
		{ "send", no_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct uc3_act act = { 0 };
	struct uc3_buf msg = UC3_BUF_INIT;
	const char *dir = NULL, *file = NULL;
	int ch, rc;

	uc3_tool_init("uc3 answer");
	opterr = 0;
	act.action = UC3_ACT_ANSWER;
	while ((ch = getopt_long(argc, argv, ":C:F:hm:", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		case 'm':
			if (msg.len)
				uc3_buf_adds(&msg, "\n\n");
			uc3_buf_adds(&msg, optarg);
			act.text = msg.ptr;
			break;
		case 'S':
			uc3_tool_error("--send is not available yet: deliver the answer yourself, "
				       "then record it with uc3 deliver");
			uc3_buf_release(&msg);
			return UC3_EXIT_ERROR;
		case 'h':
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
	if (act.text && file) {
		uc3_tool_error("-m and -F cannot be used together");
		uc3_buf_release(&msg);
		return UC3_EXIT_ERROR;
	}
	rc = uc3_tool_step(dir, argv[optind], &act, file);
	uc3_buf_release(&msg);
	return rc;
}
