#ifndef UC3_TEST_HELPERS_H
#define UC3_TEST_HELPERS_H

/*
 * Set-up the unit tests share: temporary directories, files, shell
 * commands and an environment of their own for git and uc3. Include it
 * after <cmocka.h>. Each test file is its own program, so everything here
 * is static inline: a file uses what it needs and the rest costs nothing.
 */

#include <errno.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "error.h"
#include "policy.h"

/* Write data to path, or fail the test. */
static inline void
write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	assert_int_equal(fclose(f), 0);
}

/* The contents of path, or NULL when it cannot be read; free(). */
static inline char *
read_file(const char *path)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		uc3_buf_add(&b, chunk, n);
	fclose(f);
	return uc3_buf_detach(&b);
}

/*
 * A new directory $TMPDIR/uc3-<tag>-XXXXXX (/tmp without TMPDIR) in
 * dir[0..size). Returns 0, or -1 with a message on stderr (for a cmocka
 * setup function, which must not fail an assertion).
 */
static inline int
make_tmpdir(char *dir, size_t size, const char *tag)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, size, "%s/uc3-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static inline int
remove_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* rm -rf dir. */
static inline void
remove_tree(const char *dir)
{
	nftw(dir, remove_one, 16, FTW_DEPTH | FTW_PHYS);
}

/*
 * Make home the HOME of git and uc3, with gitconfig (a path) as the only
 * git configuration, no background gc, and no identity, directory or
 * date from the environment of whoever runs the tests.
 */
static inline void
isolate_env(const char *home, const char *gitconfig)
{
	setenv("HOME", home, 1);
	setenv("GIT_CONFIG_GLOBAL", gitconfig, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("UC3_NO_GC", "1", 1);
	unsetenv("UC3_DIR");
	unsetenv("GIT_DIR");
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_AUTHOR_DATE");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	unsetenv("GIT_COMMITTER_DATE");
}

/* Run a shell command, or fail the test; its stdout without the final newline. free(). */
static inline char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline char *
run(const char *fmt, ...)
{
	struct uc3_buf cmd = UC3_BUF_INIT, out = UC3_BUF_INIT;
	char chunk[4096];
	va_list ap;
	size_t n;
	FILE *p;
	int status;

	va_start(ap, fmt);
	uc3_buf_vaddf(&cmd, fmt, ap);
	va_end(ap);
	p = popen(cmd.ptr, "r");
	if (!p)
		fail_msg("cannot run %s: %s", cmd.ptr, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
		uc3_buf_add(&out, chunk, n);
	status = pclose(p);
	if (status != 0)
		fail_msg("%s: exit status %d", cmd.ptr, status);
	uc3_buf_release(&cmd);
	while (out.len && out.ptr[out.len - 1] == '\n')
		uc3_buf_setlen(&out, out.len - 1);
	return uc3_buf_detach(&out);
}

/*
 * The policy uc3 init lays down, records/uc3.yaml (the tests run from the
 * top of the source tree), with its line "people: []" replaced by people
 * when that is not NULL. Free with uc3_policy_free.
 */
static inline struct uc3_policy *
default_policy_with(const char *people)
{
	struct uc3_policy *p = NULL;
	struct uc3_buf b = UC3_BUF_INIT;
	char *text = read_file("records/uc3.yaml"), *at;

	if (!text)
		fail_msg("cannot read records/uc3.yaml: run from the top of the tree");
	if (people) {
		at = strstr(text, "people: []");
		assert_non_null(at);
		uc3_buf_add(&b, text, (size_t)(at - text));
		uc3_buf_adds(&b, people);
		uc3_buf_adds(&b, at + strlen("people: []"));
	} else {
		uc3_buf_adds(&b, text);
	}
	free(text);
	if (uc3_policy_parse(&p, b.ptr, b.len, "uc3.yaml") < 0)
		fail_msg("uc3.yaml: %s", uc3_error_last());
	uc3_buf_release(&b);
	return p;
}

#endif
