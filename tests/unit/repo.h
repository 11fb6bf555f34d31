/*
 * A records repository for a unit test, made in process: every test gets
 * a fresh temporary directory as HOME (helpers.h), with its own git configuration,
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
#include "helpers.h"
#include "ops.h"
#include "policy.h"
#include "records.h"
#include "store.h"

#define NOW	   "2026-11-27T09:00:00+07:00"
#define USER_NAME  "Staf Satu"
#define USER_EMAIL "humas1@example.ac.id"

struct fx {
	char dir[512];	       /* the temporary HOME */
	char repo[600];	       /* dir/records */
	struct uc3_buf policy; /* records/uc3.yaml */
};

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
	if (make_tmpdir(fx->dir, sizeof(fx->dir), "records") < 0) {
		uc3_buf_release(&fx->policy);
		free(fx);
		return -1;
	}
	snprintf(fx->repo, sizeof(fx->repo), "%s/records", fx->dir);
	snprintf(cfg, sizeof(cfg), "%s/gitconfig", fx->dir);
	write_file(cfg, "[user]\n\tname = " USER_NAME "\n\temail = " USER_EMAIL "\n"
			"[init]\n\tdefaultBranch = main\n");
	isolate_env(fx->dir, cfg);
	setenv("UC3_NOW", NOW, 1);
	uc3_error_clear();
	*state = fx;
	return 0;
}

static int
teardown(void **state)
{
	struct fx *fx = *state;

	if (!fx)
		return 0;
	remove_tree(fx->dir);
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
	struct uc3_write_result res = { 0 };
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
	struct uc3_write_result res = { 0 };
	char *id = NULL;

	if (uc3_op_new(&id, st, &in, &res) < 0)
		fail_msg("uc3_op_new (received %s): %s", received ? received : "now",
			 uc3_error_last());
	assert_non_null(id);
	assert_null(res.warning);
	uc3_write_result_release(&res);
	return id;
}
/* The commit the branch points at, as git sees it. free(). */
static inline char *
git_tip(const char *gitdir)
{
	return run("git --git-dir='%s' rev-parse HEAD", gitdir);
}

static inline void
assert_new_ticket(struct uc3_store *st, const char *received, const char *want)
{
	char *id = new_ticket(st, received);

	assert_string_equal(id, want);
	free(id);
}

/* The file at path in a freshly opened store, or NULL when absent. free(). */
static inline char *
committed(struct fx *fx, const char *path)
{
	struct uc3_store *st = open_records(fx);
	struct uc3_buf b = UC3_BUF_INIT;
	char *s = NULL;
	int rc;

	rc = uc3_store_read(&b, st, path);
	if (rc == 0)
		s = uc3_buf_detach(&b);
	else
		assert_int_equal(rc, UC3_ENOTFOUND);
	uc3_buf_release(&b);
	uc3_store_free(st);
	return s;
}

#endif
