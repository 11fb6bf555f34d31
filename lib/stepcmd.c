/*
 * The body of the four step commands (escalate, answer, deliver, close),
 * declared in tool.h: kept apart from the rest of the tool plumbing so
 * that the dispatcher, which needs none of it, links without libgit2.
 */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "input.h"
#include "ops.h"
#include "store.h"
#include "tool.h"
#include "transition.h"
#include "utf8.h"

int
uc3_tool_step(const char *dir, const char *id, struct uc3_act *act, const char *file)
{
	struct uc3_store *st = NULL;
	struct uc3_ticket *t = NULL;
	struct uc3_write_result res = { 0 };
	struct uc3_buf text = UC3_BUF_INIT, summary = UC3_BUF_INIT, line = UC3_BUF_INIT;
	int rc;

	if ((rc = uc3_store_open(&st, dir)) < 0)
		goto fail;
	if (act->action == UC3_ACT_ANSWER && !act->text) {
		const struct uc3_policy *p = uc3_store_policy(st);
		struct uc3_buf hint = UC3_BUF_INIT;

		if ((rc = uc3_op_transition_check(st, id, act)) < 0)
			goto fail;
		uc3_buf_addf(&hint, "Tulis jawaban untuk %s di atas baris ini.\n"
			     "Write the answer to %s above.\n"
			     "Lines starting with '#' are ignored; an empty answer aborts.\n",
			     id, id);
		rc = uc3_input_text(&text, st, file, hint.ptr,
				    p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT,
				    "the answer");
		uc3_buf_release(&hint);
		if (rc < 0)
			goto fail;
		act->text = text.ptr;
	}
	if ((rc = uc3_op_transition(st, id, act, &t, &res)) < 0)
		goto fail;
	uc3_transition_summary(&summary, t, uc3_store_policy(st));
	/* It names the ticket's unit and level, which a hand edit can fill with anything. */
	uc3_utf8_cell(&line, summary.ptr);
	printf("%s\n", line.ptr);
	if (res.warning)
		uc3_tool_warn("%s", res.warning);
	rc = 0;
	goto out;
fail:
	uc3_tool_fail();
out:
	uc3_write_result_release(&res);
	uc3_ticket_free(t);
	uc3_store_free(st);
	uc3_buf_release(&text);
	uc3_buf_release(&summary);
	uc3_buf_release(&line);
	return rc < 0 ? UC3_EXIT_ERROR : uc3_tool_finish(0);
}

int
uc3_tool_step_main(int argc, char **argv, const struct uc3_step_cmd *cmd)
{
	static const struct option all[] = {
		{ "file", required_argument, NULL, 'F' },
		{ "help", no_argument, NULL, 'h' },
		{ "message", required_argument, NULL, 'm' },
		{ "send", no_argument, NULL, 'S' },
		{ "unit", required_argument, NULL, 'u' },
		{ "version", no_argument, NULL, 'V' },
	};
	struct option opts[sizeof(all) / sizeof(all[0]) + 1];
	struct uc3_buf msg = UC3_BUF_INIT, shortopts = UC3_BUF_INIT;
	struct uc3_act act;
	const char *dir = NULL, *file = NULL;
	bool have_m = false;
	size_t i, n = 0;
	int ch, rc = UC3_EXIT_ERROR;

	uc3_tool_init(cmd->name);
	opterr = 0;
	memset(&act, 0, sizeof(act));
	act.action = (enum uc3_action)cmd->action;
	/* Only the options this command takes; the others are unknown to it. */
	uc3_buf_adds(&shortopts, ":C:h");
	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		if (all[i].val != 'h' && all[i].val != 'V' && !strchr(cmd->options, all[i].val))
			continue;
		opts[n++] = all[i];
		if (strchr("Fmu", all[i].val))
			uc3_buf_addf(&shortopts, "%c:", all[i].val);
	}
	memset(&opts[n], 0, sizeof(opts[n]));
	while ((ch = getopt_long(argc, argv, shortopts.ptr, opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'F':
			file = optarg;
			break;
		case 'h':
			printf("%s\n%s", cmd->usage, cmd->help);
			rc = uc3_tool_finish(0);
			goto out;
		case 'm':
			if (msg.len)
				uc3_buf_adds(&msg, "\n\n");
			uc3_buf_adds(&msg, optarg);
			have_m = true;
			break;
		case 'S':
			uc3_tool_error("--send is not available yet: deliver the answer yourself, "
				       "then record that with uc3 deliver");
			goto out;
		case 'u':
			act.unit = optarg;
			break;
		case 'V':
			rc = uc3_tool_version();
			goto out;
		default:
			uc3_tool_bad_option(ch, argv);
			fprintf(stderr, "%s\n", cmd->usage);
			goto out;
		}
	}
	if (argc - optind != 1) {
		uc3_tool_error(argc - optind ? "one ticket id at a time" : "which ticket? give its id");
		fprintf(stderr, "%s\n", cmd->usage);
		goto out;
	}
	if (act.action == UC3_ACT_ANSWER) {
		if (have_m && file) {
			uc3_tool_error("-m and -F cannot be used together");
			goto out;
		}
		act.text = have_m ? msg.ptr : NULL;
	} else {
		act.note = have_m ? msg.ptr : NULL;
	}
	rc = uc3_tool_step(dir, argv[optind], &act, file);
out:
	uc3_buf_release(&msg);
	uc3_buf_release(&shortopts);
	return rc;
}
