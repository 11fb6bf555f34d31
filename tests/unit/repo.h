/*
 * A records repository for a unit test, made in process: every test gets
 * a fresh temporary directory as HOME, with its own git configuration,
 * and lays down a records repository in it the way `uc3 init` does (git
 * init, then one write of the default policy read from records/uc3.yaml;
 * the tests run from the top of the source tree). Included by the tests
 * that need one.
 */
#ifndef UC3_TEST_REPO_H
#define UC3_TEST_REPO_H

#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "ops.h"
#include "policy.h"
#include "store.h"
#include "records.h"

#define NOW	   "2026-11-27T09:00:00+07:00"
#define USER_NAME  "Staf Satu"
#define USER_EMAIL "humas1@example.ac.id"

struct fx {
	char dir[512];	       /* the temporary HOME */
	char repo[600];	       /* dir/records */
	struct uc3_buf policy; /* records/uc3.yaml */
};

static void
write_file(const char *path, const char *data)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		fail_msg("cannot write %s: %s", path, strerror(errno));
	assert_int_equal(fwrite(data, 1, strlen(data), f), strlen(data));
	assert_int_equal(fclose(f), 0);
}

/* The contents of path, or NULL when it cannot be read; free(). */
static char *
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

static int
setup(void **state)
{
	struct fx *fx = calloc(1, sizeof(*fx));
	char *policy, cfg[PATH_MAX + 32];

	if (!fx)
		return -1;
	policy = read_file("records/uc3.yaml");
	if (!policy) {
		fprintf(stderr, "cannot read records/uc3.yaml: run from the top of the tree\n");
		free(fx);
		return -1;
	}
	uc3_buf_init(&fx->policy);
	uc3_buf_adds(&fx->policy, policy);
	free(policy);
	snprintf(fx->dir, sizeof(fx->dir), "%s/uc3-records-XXXXXX",
		 getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(fx->dir)) {
		fprintf(stderr, "mkdtemp: %s\n", strerror(errno));
		uc3_buf_release(&fx->policy);
		free(fx);
		return -1;
	}
	snprintf(fx->repo, sizeof(fx->repo), "%s/records", fx->dir);
	snprintf(cfg, sizeof(cfg), "%s/gitconfig", fx->dir);
	write_file(cfg, "[user]\n\tname = " USER_NAME "\n\temail = " USER_EMAIL "\n"
			"[init]\n\tdefaultBranch = main\n");
	setenv("HOME", fx->dir, 1);
	setenv("GIT_CONFIG_GLOBAL", cfg, 1);
	setenv("GIT_CONFIG_NOSYSTEM", "1", 1);
	setenv("UC3_NO_GC", "1", 1);
	setenv("UC3_NOW", NOW, 1);
	unsetenv("UC3_DIR");
	unsetenv("GIT_DIR");
	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	unsetenv("GIT_AUTHOR_DATE");
	unsetenv("GIT_COMMITTER_NAME");
	unsetenv("GIT_COMMITTER_EMAIL");
	unsetenv("GIT_COMMITTER_DATE");
	uc3_error_clear();
	*state = fx;
	return 0;
}

static int
rm_one(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	return remove(path);
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	if (!fx)
		return 0;
	nftw(fx->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	uc3_buf_release(&fx->policy);
	free(fx);
	return 0;
}

static int
init_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct fx *fx = ctx;

	uc3_buf_add(uc3_write_add(w, UC3_POLICY_FILE), fx->policy.ptr, fx->policy.len);
	uc3_buf_adds(&w->message, "Start the records\n\nAction: init\n");
	return 0;
}

/* Lay down a records repository at fx->repo, as `uc3 init [--bare]` does. */
static void
make_records(struct fx *fx, bool bare)
{
	struct uc3_store *st = NULL;
	struct uc3_write_result res = {0};
	bool existed = true;

	if (uc3_store_init(&st, fx->repo, bare, &existed) < 0)
		fail_msg("uc3_store_init %s: %s", fx->repo, uc3_error_last());
	assert_false(existed);
	assert_null(uc3_store_policy(st));
	if (uc3_store_write(st, init_edit, fx, &res) < 0)
		fail_msg("writing uc3.yaml: %s", uc3_error_last());
	assert_null(res.warning);
	uc3_write_result_release(&res);
	uc3_store_free(st);
}

static struct uc3_store *
open_records(struct fx *fx)
{
	struct uc3_store *st = NULL;

	if (uc3_store_open(&st, fx->repo) < 0)
		fail_msg("uc3_store_open %s: %s", fx->repo, uc3_error_last());
	return st;
}

static struct uc3_store *
new_records(struct fx *fx, bool bare)
{
	make_records(fx, bare);
	return open_records(fx);
}

/* Register a ticket; received NULL is now. Returns its id (free()). */
static char *
new_ticket(struct uc3_store *st, const char *received)
{
	static const char body[] = "Mohon dicek, sudah bayar tanggal 20.\n";
	struct uc3_new_input in = {
		.subject = "Pembayaran UKT belum terverifikasi",
		.kind = "keluhan",
		.channel = "email",
		.from = "Siti Aminah <siti@example.com>",
		.received = received,
		.body = body,
		.body_len = sizeof(body) - 1,
	};
	struct uc3_write_result res = {0};
	char *id = NULL;

	if (uc3_op_new(&id, st, &in, &res) < 0)
		fail_msg("uc3_op_new (received %s): %s", received ? received : "now",
			 uc3_error_last());
	assert_non_null(id);
	assert_null(res.warning);
	uc3_write_result_release(&res);
	return id;
}

#endif
