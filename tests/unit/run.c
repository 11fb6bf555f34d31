#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "buf.h"
#include "error.h"
#include "run.h"

#include "helpers.h"

/* Child processes (lib/run.h): what goes in, what comes out, how it ended. */

struct fx {
	char dir[512];
};

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));

	if (!fx || make_tmpdir(fx->dir, sizeof(fx->dir), "run") < 0) {
		free(fx);
		return -1;
	}
	uc3_error_clear();
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	remove_tree(fx->dir);
	free(fx);
	return 0;
}

static void
run_collects_output_error_and_exit_status(void **state)
{
	const char *argv[] = { "sh", "-c", "printf out; printf err >&2; exit 3", NULL };
	struct uc3_buf out = UC3_BUF_INIT, err = UC3_BUF_INIT;
	int status = -1;

	assert_int_equal(uc3_run(&status, argv, NULL, 0, &out, &err), 0);
	assert_int_equal(status, 3);
	assert_string_equal(out.ptr, "out");
	assert_string_equal(err.ptr, "err");
	uc3_buf_release(&out);
	uc3_buf_release(&err);
}

static void
run_discards_output_when_not_asked_for(void **state)
{
	const char *argv[] = { "sh", "-c", "echo out; echo err >&2", NULL };
	int status = -1;

	assert_int_equal(uc3_run(&status, argv, NULL, 0, NULL, NULL), 0);
	assert_int_equal(status, 0);
}

static void
run_feeds_the_input(void **state)
{
	const char *argv[] = { "cat", NULL };
	struct uc3_buf out = UC3_BUF_INIT;
	int status = -1;

	assert_int_equal(uc3_run(&status, argv, "halo\n", 5, &out, NULL), 0);
	assert_int_equal(status, 0);
	assert_string_equal(out.ptr, "halo\n");
	uc3_buf_release(&out);
	/* Empty input: standard input is closed at once. */
	assert_int_equal(uc3_run(&status, argv, "", 0, &out, NULL), 0);
	assert_int_equal(status, 0);
	assert_int_equal(out.len, 0);
	uc3_buf_release(&out);
}

static void
run_without_input_reads_dev_null(void **state)
{
	const char *argv[] = { "sh", "-c", "cat; echo done", NULL };
	struct uc3_buf out = UC3_BUF_INIT;
	int status = -1;

	assert_int_equal(uc3_run(&status, argv, NULL, 0, &out, NULL), 0);
	assert_string_equal(out.ptr, "done\n");
	uc3_buf_release(&out);
}

/* More than any pipe holds, both ways at once: no deadlock, nothing lost. */
static void
run_moves_data_larger_than_a_pipe_both_ways(void **state)
{
	const char *argv[] = { "sh", "-c", "cat; cat /dev/null >&2", NULL };
	struct uc3_buf in = UC3_BUF_INIT, out = UC3_BUF_INIT;
	size_t i;
	int status = -1;

	for (i = 0; i < 300000; i++)
		uc3_buf_addf(&in, "%06zu\n", i % 1000000);
	assert_int_equal(uc3_run(&status, argv, in.ptr, in.len, &out, NULL), 0);
	assert_int_equal(status, 0);
	assert_int_equal(out.len, in.len);
	assert_memory_equal(out.ptr, in.ptr, in.len);
	uc3_buf_release(&in);
	uc3_buf_release(&out);
}

/* A child that exits before reading its input must not kill the caller. */
static void
run_survives_a_child_that_reads_nothing(void **state)
{
	const char *argv[] = { "true", NULL };
	struct uc3_buf in = UC3_BUF_INIT;
	int status = -1;

	uc3_buf_grow(&in, 4 * 1024 * 1024);
	while (in.len < 4 * 1024 * 1024)
		uc3_buf_adds(&in, "0123456789abcdef");
	assert_int_equal(uc3_run(&status, argv, in.ptr, in.len, NULL, NULL), 0);
	assert_int_equal(status, 0);
	uc3_buf_release(&in);
}

static void
run_reports_a_signal_as_128_plus_its_number(void **state)
{
	const char *argv[] = { "sh", "-c", "kill -TERM $$", NULL };
	int status = -1;

	assert_int_equal(uc3_run(&status, argv, NULL, 0, NULL, NULL), 0);
	assert_int_equal(status, 128 + 15);
}

static void
run_says_when_the_program_cannot_run(void **state)
{
	const char *argv[] = { "uc3-no-such-program", "-x", NULL };
	int status = -1;

	assert_int_equal(uc3_run(&status, argv, "x", 1, NULL, NULL), UC3_ERROR);
	assert_string_equal(uc3_error_last(),
			    "cannot run uc3-no-such-program: No such file or directory");
	assert_int_equal(status, -1);
}

static void
interactive_passes_the_file_as_an_argument(void **state)
{
	struct fx *fx = *state;
	char path[600], cmd[700], *text;
	int status = -1;

	/* As $EDITOR is run: a command line, then the file. */
	snprintf(path, sizeof(path), "%s/msg", fx->dir);
	snprintf(cmd, sizeof(cmd), "printf '%%s' edited >");
	assert_int_equal(uc3_run_interactive(&status, cmd, path), 0);
	assert_int_equal(status, 0);
	text = read_file(path);
	assert_non_null(text);
	assert_string_equal(text, "edited");
	free(text);
	assert_int_equal(uc3_run_interactive(&status, "exit 4; :", path), 0);
	assert_int_equal(status, 4);
}

static void
interactive_says_when_the_editor_cannot_run(void **state)
{
	int status = -1;

	assert_int_equal(uc3_run_interactive(&status, "uc3-no-such-editor", "f"), UC3_ERROR);
	assert_string_equal(uc3_error_last(), "cannot run editor 'uc3-no-such-editor'");
	assert_int_equal(status, 127);
}

static void
background_runs_without_waiting(void **state)
{
	struct fx *fx = *state;
	char script[2048], path[600], *text = NULL;
	const char *argv[] = { "sh", "-c", script, NULL };
	int i;

	snprintf(path, sizeof(path), "%s/done", fx->dir);
	snprintf(script, sizeof(script), "echo ran > '%s.tmp' && mv '%s.tmp' '%s'", path, path,
		 path);
	uc3_run_background(argv);
	for (i = 0; i < 500 && !(text = read_file(path)); i++)
		usleep(10000);
	assert_non_null(text);
	assert_string_equal(text, "ran\n");
	free(text);
}

static void
run_at_starts_in_dir_with_env_set_and_removed(void **state)
{
	struct fx *fx = *state;
	const char *argv[] = { "sh", "-c",
			       "printf '%s|%s|%s' \"$(pwd -P)\" \"$UC3_T_SET\" "
			       "\"${UC3_T_GONE-unset}\"",
			       NULL };
	const char *env[] = { "UC3_T_SET=yes", "UC3_T_GONE", NULL };
	struct uc3_buf out = UC3_BUF_INIT, want = UC3_BUF_INIT;
	char real[4096];
	int status = -1;

	setenv("UC3_T_GONE", "here", 1);
	assert_non_null(realpath(fx->dir, real));
	assert_int_equal(uc3_run_at(&status, argv, fx->dir, env, NULL, 0, &out, NULL), 0);
	assert_int_equal(status, 0);
	uc3_buf_addf(&want, "%s|yes|unset", real);
	assert_string_equal(out.ptr, want.ptr);
	/* ours is left as it was */
	assert_string_equal(getenv("UC3_T_GONE"), "here");
	assert_null(getenv("UC3_T_SET"));
	unsetenv("UC3_T_GONE");
	uc3_buf_release(&out);
	uc3_buf_release(&want);
}

static void
run_at_a_folder_that_is_not_there_is_an_error(void **state)
{
	struct fx *fx = *state;
	const char *argv[] = { "true", NULL };
	struct uc3_buf dir = UC3_BUF_INIT;
	int status = -1;

	uc3_buf_addf(&dir, "%s/none", fx->dir);
	assert_int_equal(uc3_run_at(&status, argv, dir.ptr, NULL, NULL, 0, NULL, NULL), UC3_ERROR);
	assert_non_null(strstr(uc3_error_last(), "No such file or directory"));
	uc3_buf_release(&dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(run_collects_output_error_and_exit_status, setup,
						teardown),
		cmocka_unit_test_setup_teardown(run_discards_output_when_not_asked_for, setup,
						teardown),
		cmocka_unit_test_setup_teardown(run_feeds_the_input, setup, teardown),
		cmocka_unit_test_setup_teardown(run_without_input_reads_dev_null, setup, teardown),
		cmocka_unit_test_setup_teardown(run_moves_data_larger_than_a_pipe_both_ways, setup,
						teardown),
		cmocka_unit_test_setup_teardown(run_survives_a_child_that_reads_nothing, setup,
						teardown),
		cmocka_unit_test_setup_teardown(run_reports_a_signal_as_128_plus_its_number, setup,
						teardown),
		cmocka_unit_test_setup_teardown(run_says_when_the_program_cannot_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(interactive_passes_the_file_as_an_argument, setup,
						teardown),
		cmocka_unit_test_setup_teardown(interactive_says_when_the_editor_cannot_run, setup,
						teardown),
		cmocka_unit_test_setup_teardown(background_runs_without_waiting, setup, teardown),
		cmocka_unit_test_setup_teardown(run_at_starts_in_dir_with_env_set_and_removed,
						setup, teardown),
		cmocka_unit_test_setup_teardown(run_at_a_folder_that_is_not_there_is_an_error,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
