/*
 * uc3 new: register a question, complaint or suggestion; print its id.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "input.h"
#include "ops.h"
#include "run.h"
#include "store.h"
#include "tool.h"
#include "xalloc.h"

static void
usage(FILE *f)
{
	fprintf(f,
		"usage: uc3 new [-C dir] [-c channel] [-F file] [-k kind] [-m text] [-s subject]\n"
		"               [-u unit] [--from \"name <email>\"] [--phone number]\n"
		"               [--received time]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "Register a question, complaint or suggestion and print its id.\n"
	       "\n"
	       "  -s, --subject TEXT     what it is about (one line)\n"
	       "  -k, --kind KIND        pertanyaan, keluhan, saran, lainnya (the policy's kinds)\n"
	       "  -c, --channel CHANNEL  email, telepon, langsung, ... (the policy's channels)\n"
	       "      --from \"NAME <EMAIL>\"  who sent it (a name, an email, or both)\n"
	       "      --phone NUMBER     the requester's phone\n"
	       "  -u, --unit UNIT        where it is addressed (may be set later)\n"
	       "      --received TIME    when it was received (default now), RFC 3339 or\n"
	       "                         local \"2026-11-28 09:00\" in the policy's zone\n"
	       "  -m, --message TEXT     the body (several -m are paragraphs)\n"
	       "  -F, --file FILE        the body from FILE (- for standard input)\n"
	       "  -C DIR                 the records repository\n"
	       "\n"
	       "Without -m or -F the body is read from standard input when it is not a\n"
	       "terminal, else written in $VISUAL, $EDITOR or git's core.editor.\n"
	       "See uc3-new(1).\n");
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "channel", required_argument, NULL, 'c' },
		{ "file", required_argument, NULL, 'F' },
		{ "from", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "kind", required_argument, NULL, 'k' },
		{ "message", required_argument, NULL, 'm' },
		{ "phone", required_argument, NULL, 'p' },
		{ "received", required_argument, NULL, 'r' },
		{ "subject", required_argument, NULL, 's' },
		{ "unit", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct uc3_new_input in = { 0 };
	struct uc3_buf body = UC3_BUF_INIT;
	struct uc3_write_result res;
	struct uc3_store *st = NULL;
	const char *dir = NULL, *file = NULL;
	bool have_m = false;
	char *id = NULL;
	size_t limit;
	int ch, rc;

	uc3_tool_init("uc3 new");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":C:c:F:hk:m:s:u:", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'c':
			in.channel = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		case 'f':
			in.from = optarg;
			break;
		case 'h':
			uc3_buf_release(&body);
			help();
			return uc3_tool_finish(0);
		case 'k':
			in.kind = optarg;
			break;
		case 'm':
			if (have_m)
				uc3_buf_adds(&body, "\n\n");
			uc3_buf_adds(&body, optarg);
			have_m = true;
			break;
		case 'p':
			in.phone = optarg;
			break;
		case 'r':
			in.received = optarg;
			break;
		case 's':
			in.subject = optarg;
			break;
		case 'u':
			in.unit = optarg;
			break;
		case 'V':
			uc3_buf_release(&body);
			return uc3_tool_version();
		default:
			uc3_tool_bad_option(ch, argv);
			usage(stderr);
			uc3_buf_release(&body);
			return UC3_EXIT_ERROR;
		}
	}
	if (optind < argc) {
		uc3_tool_error("unexpected argument '%s'", argv[optind]);
		usage(stderr);
		uc3_buf_release(&body);
		return UC3_EXIT_ERROR;
	}
	if (have_m && file) {
		uc3_tool_error("-m and -F cannot be used together");
		uc3_buf_release(&body);
		return UC3_EXIT_ERROR;
	}
	if (!in.subject || !*in.subject) {
		uc3_tool_error("no subject: give -s \"what it is about\"");
		uc3_buf_release(&body);
		return UC3_EXIT_ERROR;
	}
	if ((rc = uc3_store_open(&st, dir)) < 0)
		goto fail;
	limit = uc3_store_policy(st)->body_limit;
	if (!have_m) {
		struct uc3_buf hint = UC3_BUF_INIT;

		uc3_buf_addf(&hint, "Tulis isi pertanyaan, keluhan atau saran di atas baris ini.\n"
			     "Write the question, complaint or suggestion above.\n"
			     "Lines starting with '#' are ignored; an empty text aborts.\n"
			     "\n"
			     "Subject: %s\n", in.subject);
		rc = uc3_input_text(&body, st, file, hint.ptr, limit, "the body");
		uc3_buf_release(&hint);
		if (rc < 0)
			goto fail;
	}
	in.body = body.ptr;
	in.body_len = body.len;
	if ((rc = uc3_op_new(&id, st, &in, &res)) < 0)
		goto fail;
	printf("%s\n", id);
	if (res.warning)
		uc3_tool_warn("%s", res.warning);
	uc3_write_result_release(&res);
	free(id);
	uc3_buf_release(&body);
	uc3_store_free(st);
	return uc3_tool_finish(0);
fail:
	uc3_tool_fail();
	uc3_buf_release(&body);
	uc3_store_free(st);
	return UC3_EXIT_ERROR;
}
