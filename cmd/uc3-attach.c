/*
 * uc3 attach: keep scanned letters, screenshots and other files with a
 * ticket, in one commit.
 */
#include <stdio.h>
#include <stdlib.h>

#include "attach.h"
#include "buf.h"
#include "i18n.h"
#include "ops.h"
#include "opt.h"
#include "records.h"
#include "store.h"
#include "ticket.h"
#include "tool.h"
#include "utf8.h"

int
main(int argc, char **argv)
{
	struct uc3_opt_text note = UC3_OPT_TEXT_INIT;
	struct uc3_write_result res = { 0 };
	struct uc3_store *st = NULL;
	struct uc3_ticket *t = NULL;
	struct uc3_buf line = UC3_BUF_INIT, out = UC3_BUF_INIT;
	const char *dir = NULL;
	char *id = NULL;
	int rc;

	static const char *const usage[] = { "uc3 attach [-C dir] [-m note] id file ...", NULL };
	const struct uc3_opt options[] = {
		UC3_OPT_CALLBACK('m', "message", &note, "NOTE",
				 "what the files are (several -m are paragraphs)", uc3_opt_text),
		UC3_OPT_DIR(&dir), UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 attach",
		usage,
		N_("Keep files with a ticket: scanned letters, screenshots, documents. They\n"
		   "are stored beside the ticket's file, at tickets/YEAR/MM/ID/NAME, and\n"
		   "listed in the ticket, all in one commit.\n"),
		N_("Get a file back with uc3 show ID --attachment NAME. See uc3-attach(1).\n"),
		options,
		0
	};

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		goto out;
	if (argc < 2) {
		rc = uc3_opt_usage_error(&cmd,
					 argc ? N_("which files? give one or more")
					      : N_("which ticket? give its id and the files"));
		goto out;
	}
	if (uc3_store_open(&st, dir) < 0 || uc3_records_id(&id, st, argv[0]) < 0 ||
	    uc3_op_attach(st, id, (const char *const *)argv + 1, (size_t)argc - 1,
			  note.given ? note.buf.ptr : NULL, &t, &res) < 0) {
		rc = uc3_tool_fail();
		goto out;
	}
	uc3_attach_summary(&line, t, (size_t)argc - 1);
	/* The names come from the files as typed, which can hold anything. */
	uc3_utf8_cell(&out, line.ptr);
	printf("%s\n", out.ptr);
	if (res.warning)
		uc3_tool_warn("%s", res.warning);
	rc = uc3_tool_finish(0);
out:
	free(id);
	uc3_write_result_release(&res);
	uc3_ticket_free(t);
	uc3_store_free(st);
	uc3_buf_release(&line);
	uc3_buf_release(&out);
	uc3_buf_release(&note.buf);
	return rc;
}
