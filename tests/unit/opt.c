#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "opt.h"
#include "tool.h"

/*
 * The option parser (lib/opt.h): values from a table, the other
 * arguments moved to the front, --help made from the table, and bad
 * options, missing values and bad numbers refused with exit status 2.
 */

struct vals {
	const char *dir;
	const char *subject;
	bool mail;
	int sign;
	long count;
	struct uc3_opt_text msg;
	int calls;
};

static int
count_calls(const struct uc3_opt *opt, const char *arg)
{
	struct vals *v = opt->value;

	v->calls++;
	return arg && !strcmp(arg, "fail") ? -1 : 0;
}

static const char *const usage[] = { "uc3 test [-C dir] [-s subject] [--mail] [id ...]",
				     "         [-n count]", NULL };

/* Parse the NULL-terminated arguments (after the program name) into v. */
static int
parse(struct vals *v, int *status, char **argv, size_t argc)
{
	const struct uc3_opt options[] = {
		UC3_OPT_STRING('s', "subject", &v->subject, "TEXT", "what it is about"),
		UC3_OPT_BOOL(0, "mail", &v->mail, "mail them\nall of them"),
		UC3_OPT_SET_INT(0, "signed", &v->sign, 1, "signed"),
		UC3_OPT_SET_INT(0, "unsigned", &v->sign, 0, "unsigned"),
		UC3_OPT_POSITIVE('n', "max-count", &v->count, "N", "at most N"),
		UC3_OPT_CALLBACK('m', "message", &v->msg, "TEXT", "paragraphs", uc3_opt_text),
		UC3_OPT_CALLBACK(0, "call", v, "X", NULL, count_calls),
		UC3_OPT_DIR(&v->dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 test", usage, "Test.\n", "See nothing.\n", options, 0
	};

	return uc3_opt_parse((int)argc, argv, &cmd, status);
}

#define ARGS(...)  ((char *[]){ "uc3-test", __VA_ARGS__, NULL })
#define NARGS(...) (sizeof((char *[]){ "uc3-test", __VA_ARGS__ }) / sizeof(char *))

static void
values_go_where_the_table_says(void **state)
{
	struct vals v = { .sign = -1, .msg = UC3_OPT_TEXT_INIT };
	char **argv = ARGS("-s", "hello", "--mail", "-n", "3", "--signed", "-Cdir", "-m", "a",
			   "--message=b");
	int status = -1;

	assert_int_equal(parse(&v, &status, argv,
			       NARGS("-s", "hello", "--mail", "-n", "3", "--signed", "-Cdir", "-m",
				     "a", "--message=b")),
			 0);
	assert_int_equal(status, 0);
	assert_string_equal(v.subject, "hello");
	assert_true(v.mail);
	assert_int_equal(v.sign, 1);
	assert_int_equal(v.count, 3);
	assert_string_equal(v.dir, "dir");
	assert_true(v.msg.given);
	assert_string_equal(v.msg.buf.ptr, "a\n\nb");
	assert_null(argv[0]);
	uc3_buf_release(&v.msg.buf);
}

static void
other_arguments_move_to_the_front_in_order(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	char **argv = ARGS("one", "--subject", "s", "two", "--", "--mail");
	int status;

	assert_int_equal(parse(&v, &status, argv,
			       NARGS("one", "--subject", "s", "two", "--", "--mail")),
			 3);
	assert_string_equal(argv[0], "one");
	assert_string_equal(argv[1], "two");
	assert_string_equal(argv[2], "--mail");
	assert_null(argv[3]);
	assert_false(v.mail);
	assert_string_equal(v.subject, "s");
}

static void
the_last_of_a_repeated_option_wins(void **state)
{
	struct vals v = { .sign = -1, .msg = UC3_OPT_TEXT_INIT };
	char **argv = ARGS("--signed", "--unsigned", "-s", "a", "-s", "b");
	int status;

	assert_int_equal(parse(&v, &status, argv,
			       NARGS("--signed", "--unsigned", "-s", "a", "-s", "b")),
			 0);
	assert_int_equal(v.sign, 0);
	assert_string_equal(v.subject, "b");
}

static void
long_options_may_be_abbreviated(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	char **argv = ARGS("--subj", "x", "--mai");
	int status;

	assert_int_equal(parse(&v, &status, argv, NARGS("--subj", "x", "--mai")), 0);
	assert_string_equal(v.subject, "x");
	assert_true(v.mail);
}

static void
an_unknown_option_is_an_error(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	int status = 0;

	assert_int_equal(parse(&v, &status, ARGS("--bogus"), NARGS("--bogus")), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
	status = 0;
	assert_int_equal(parse(&v, &status, ARGS("-Z", "id"), NARGS("-Z", "id")), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
	/* a flag given a value */
	status = 0;
	assert_int_equal(parse(&v, &status, ARGS("--mail=yes"), NARGS("--mail=yes")), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
	assert_false(v.mail);
}

static void
a_missing_value_is_an_error(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	int status = 0;

	assert_int_equal(parse(&v, &status, ARGS("-s"), NARGS("-s")), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
	status = 0;
	assert_int_equal(parse(&v, &status, ARGS("id", "--subject"), NARGS("id", "--subject")), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
	assert_null(v.subject);
}

static void
a_bad_number_is_an_error(void **state)
{
	static const char *const bad[] = {
		"x", "", "0", "-1", "2x", "1.5", "99999999999999999999999"
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct vals v = { .count = 7, .msg = UC3_OPT_TEXT_INIT };
		int status = 0;

		assert_int_equal(parse(&v, &status, ARGS("-n", (char *)bad[i]), 3), -1);
		assert_int_equal(status, UC3_EXIT_ERROR);
		assert_int_equal(v.count, 7);
	}
}

static void
a_callback_runs_in_order_and_can_stop_the_parse(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	int status = 0;

	assert_int_equal(parse(&v, &status, ARGS("--call", "a", "--call", "b"), 5), 0);
	assert_int_equal(v.calls, 2);
	v.calls = 0;
	/* a failing callback stops before the next option, even a bad one */
	assert_int_equal(parse(&v, &status, ARGS("--call", "fail", "--call", "c", "--bogus"), 6),
			 -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
	assert_int_equal(v.calls, 1);
}

static void
an_empty_message_counts_as_given_and_adds_no_blank_line(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	int status;

	assert_int_equal(parse(&v, &status, ARGS("-m", "", "-m", "x"), 5), 0);
	assert_true(v.msg.given);
	assert_string_equal(v.msg.buf.ptr, "x");
	uc3_buf_release(&v.msg.buf);
}

static void
help_is_made_from_the_table(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	const struct uc3_opt options[] = {
		UC3_OPT_STRING('s', "subject", &v.subject, "TEXT", "what it is about"),
		UC3_OPT_BOOL(0, "mail", &v.mail, "mail them\nall of them"),
		UC3_OPT_STRING(0, "from", &v.subject, "\"NAME <EMAIL>\"", "a wide one"),
		UC3_OPT_CALLBACK(0, "hidden", &v, NULL, NULL, count_calls),
		UC3_OPT_DIR(&v.dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 test", usage, "Test.\n", "See nothing.\n", options, 0
	};
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_opt_help(&b, &cmd);
	assert_string_equal(b.ptr, "usage: uc3 test [-C dir] [-s subject] [--mail] [id ...]\n"
				   "                [-n count]\n"
				   "\n"
				   "Test.\n"
				   "\n"
				   "  -s, --subject TEXT   what it is about\n"
				   "      --mail           mail them\n"
				   "                       all of them\n"
				   "      --from \"NAME <EMAIL>\"  a wide one\n"
				   "  -C DIR               the records repository\n"
				   "\n"
				   "See nothing.\n");
	uc3_buf_release(&b);
}

static void
help_keeps_within_80_columns(void **state)
{
	const char *s = NULL;
	const struct uc3_opt options[] = {
		UC3_OPT_STRING('c', "channel", &s, "CHANNEL",
			       "email, telepon, langsung, ... (the policy's channels)xxx"),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = { "uc3 test", usage, NULL, NULL, options, 0 };
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_opt_help(&b, &cmd);
	assert_non_null(strstr(b.ptr, "\n  -c, --channel CHANNEL  email, telepon"));
	uc3_buf_release(&b);
}

static void
stop_at_arg_leaves_the_command_its_options(void **state)
{
	const char *dir = NULL;
	const struct uc3_opt options[] = { UC3_OPT_DIR(&dir), UC3_OPT_END() };
	const struct uc3_opt_cmd cmd = { "uc3", usage, NULL, NULL, options, UC3_OPT_STOP_AT_ARG };
	char **argv = ARGS("-C", "r", "list", "--format", "json");
	int status;

	assert_int_equal(uc3_opt_parse(6, argv, &cmd, &status), 3);
	assert_string_equal(dir, "r");
	assert_string_equal(argv[0], "list");
	assert_string_equal(argv[1], "--format");
}

static void
no_args_refuses_any_other_argument(void **state)
{
	const char *dir = NULL;
	const struct uc3_opt options[] = { UC3_OPT_DIR(&dir), UC3_OPT_END() };
	const struct uc3_opt_cmd cmd = { "uc3 test", usage, NULL, NULL, options, UC3_OPT_NO_ARGS };
	int status = 0;

	assert_int_equal(uc3_opt_parse(3, ARGS("-C", "r"), &cmd, &status), 0);
	assert_int_equal(status, 0);
	assert_string_equal(dir, "r");
	assert_int_equal(uc3_opt_parse(4, ARGS("-C", "r", "extra"), &cmd, &status), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
	/* after "--" too: it ends the options, not the check */
	status = 0;
	assert_int_equal(uc3_opt_parse(3, ARGS("--", "-x"), &cmd, &status), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
}

static void
completion_lists_the_options_of_the_table(void **state)
{
	/* --formatted first: the values of --format are its own */
	static const char *const u[] = {
		"uc3 test [-C dir] [--as spam|duplicate]",
		"         [--formatted yes|no] [--format text|json|ids] id", NULL
	};
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	const struct uc3_opt options[] = {
		UC3_OPT_STRING('k', "kind", &v.subject, "KIND", "the kind"),
		UC3_OPT_BOOL(0, "mail", &v.mail, "mail them"),
		UC3_OPT_STRING(0, "as", &v.subject, "spam|duplicate", "as what"),
		UC3_OPT_FORMAT(&v.sign, "text, json or ids"),
		UC3_OPT_STRING(0, "from", &v.subject, "\"NAME <EMAIL>\"", "who"),
		UC3_OPT_CALLBACK(0, "hidden", &v, NULL, NULL, count_calls),
		UC3_OPT_DIR(&v.dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = { "uc3 test", u, NULL, NULL, options, 0 };
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_opt_completion(&b, &cmd);
	assert_string_equal(b.ptr, "-h --help\n"
				   "--version\n"
				   "-k --kind\tKIND\n"
				   "--mail\n"
				   "--as\tspam|duplicate\tspam|duplicate\n"
				   "--format\tFMT\ttext|json|ids\n"
				   "--from\t\"NAME <EMAIL>\"\n"
				   "-C\tDIR\n");
	uc3_buf_release(&b);
}

static void
completion_helper_prints_and_stops_the_tool(void **state)
{
	struct vals v = { .msg = UC3_OPT_TEXT_INIT };
	int status = -1;
	FILE *saved = stdout;
	char out[4096] = "";
	size_t n;

	stdout = tmpfile();
	assert_non_null(stdout);
	assert_int_equal(parse(&v, &status, ARGS("--completion-helper"), 2), -1);
	assert_int_equal(status, 0);
	rewind(stdout);
	n = fread(out, 1, sizeof(out) - 1, stdout);
	out[n] = '\0';
	fclose(stdout);
	stdout = saved;
	assert_non_null(strstr(out, "\n-s --subject\tTEXT\n"));
	assert_non_null(strstr(out, "\n-n --max-count\tN\n"));
	/* --call has no help: not offered */
	assert_null(strstr(out, "--call"));
	assert_int_equal(v.calls, 0);
	/* only as the first argument, and in full: elsewhere it is an unknown option */
	status = 0;
	assert_int_equal(parse(&v, &status, ARGS("-s", "x", "--completion-helper"), 4), -1);
	assert_int_equal(status, UC3_EXIT_ERROR);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(values_go_where_the_table_says),
		cmocka_unit_test(other_arguments_move_to_the_front_in_order),
		cmocka_unit_test(the_last_of_a_repeated_option_wins),
		cmocka_unit_test(long_options_may_be_abbreviated),
		cmocka_unit_test(an_unknown_option_is_an_error),
		cmocka_unit_test(a_missing_value_is_an_error),
		cmocka_unit_test(a_bad_number_is_an_error),
		cmocka_unit_test(a_callback_runs_in_order_and_can_stop_the_parse),
		cmocka_unit_test(an_empty_message_counts_as_given_and_adds_no_blank_line),
		cmocka_unit_test(help_is_made_from_the_table),
		cmocka_unit_test(help_keeps_within_80_columns),
		cmocka_unit_test(stop_at_arg_leaves_the_command_its_options),
		cmocka_unit_test(no_args_refuses_any_other_argument),
		cmocka_unit_test(completion_lists_the_options_of_the_table),
		cmocka_unit_test(completion_helper_prints_and_stops_the_tool),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
