/*
 * uc3 close: archive a ticket, the SOP's step 3
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
	fprintf(f, "usage: uc3 close [-C dir] [-u unit] id\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "Archive the ticket: the SOP's step 3. It needs the requester and the\n"
	       "unit the ticket is addressed to.\n"
	       "\n"
	       "  -u, --unit UNIT      set the unit (tujuan) first\n"
	       "  -C DIR               the records repository\n"
	       "\n"
	       "See uc3-close(1).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "unit", required_argument, NULL, 'u' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct uc3_act act = { 0 };
	struct uc3_buf msg = UC3_BUF_INIT;
	const char *dir = NULL, *file = NULL;
	int ch, rc;

	uc3_tool_init("uc3 close");
	opterr = 0;
	act.action = UC3_ACT_CLOSE;
	while ((ch = getopt_long(argc, argv, ":C:hu:", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'u':
			act.unit = optarg;
			break;
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
