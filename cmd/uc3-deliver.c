/*
 * uc3 deliver: record that the answer reached the requester
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
	fprintf(f, "usage: uc3 deliver [-C dir] [-m note] id\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "Record that the answer reached the requester (by phone, in person, by\n"
	       "letter...): the SOP's step 2d. Mailing it (--send) comes in a later version.\n"
	       "\n"
	       "  -m, --message NOTE   how it was delivered\n"
	       "  -C DIR               the records repository\n"
	       "\n"
	       "See uc3-deliver(1).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
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

	uc3_tool_init("uc3 deliver");
	opterr = 0;
	act.action = UC3_ACT_DELIVER;
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
			break;		case 'S':
			uc3_tool_error("--send is not available yet: deliver the answer yourself, "
				       "then record it here without --send");
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
	rc = uc3_tool_step(dir, argv[optind], &act, file);
	uc3_buf_release(&msg);
	return rc;
}
