#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "records.h"
#include "repo.h"
#include "ticket.h"

/*
 * The records repository (lib/store.h), each test in a repository of its
 * own (records.h).
 */

/* A file to put, with the number of times the edit function ran. */
struct put {
	const char *path;
	const char *data;
	int calls;
};

static int
put_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct put *p = ctx;

	p->calls++;
	uc3_buf_adds(uc3_write_add(w, p->path), p->data);
	uc3_buf_addf(&w->message, "Put %s\n", p->path);
	return 0;
}

static int
fail_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct put *p = ctx;

	p->calls++;
	uc3_buf_adds(uc3_write_add(w, p->path), p->data);
	uc3_buf_adds(&w->message, "Never\n");
	return uc3_error_set(UC3_EINVAL, "the edit changed its mind");
}

static int
empty_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	uc3_buf_adds(&w->message, "Nothing\n");
	return 0;
}

static void
open_refuses_a_directory_that_is_not_a_repository(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = NULL;

	assert_int_equal(mkdir(fx->repo, 0777), 0);
	assert_int_equal(uc3_store_open(&st, fx->repo), UC3_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(uc3_error_last(), "not a records repository"));
}

static void
open_refuses_a_repository_without_commits(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = NULL;
	bool existed = true;

	assert_int_equal(uc3_store_init(&st, fx->repo, false, &existed), 0);
	assert_false(existed);
	uc3_store_free(st);
	st = NULL;
	assert_int_equal(uc3_store_open(&st, fx->repo), UC3_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(uc3_error_last(), "not a records repository"));
}

static void
open_refuses_a_repository_without_policy(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = NULL;
	struct put p = { "README.md", "Not records.\n", 0 };
	bool existed = true;

	assert_int_equal(uc3_store_init(&st, fx->repo, true, &existed), 0);
	assert_int_equal(uc3_store_write(st, put_edit, &p, NULL), 0);
	uc3_store_free(st);
	st = NULL;
	assert_int_equal(uc3_store_open(&st, fx->repo), UC3_ENOTFOUND);
	assert_null(st);
	assert_non_null(strstr(uc3_error_last(), "not a records repository"));
	assert_non_null(strstr(uc3_error_last(), "uc3.yaml"));
}

static void
open_reads_the_policy_of_a_bare_repository(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	const struct uc3_policy *p = uc3_store_policy(st);

	assert_true(uc3_store_is_bare(st));
	assert_null(uc3_store_workdir(st));
	assert_non_null(p);
	assert_string_equal(p->id_prefix, "UC3");
	assert_string_equal(p->timezone, "Asia/Jakarta");
	uc3_store_free(st);
}

static void
open_reads_the_policy_of_a_repository_with_a_work_tree(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	char want[PATH_MAX + 2];

	assert_false(uc3_store_is_bare(st));
	assert_non_null(uc3_store_workdir(st));
	snprintf(want, sizeof(want), "%s/", fx->repo);
	assert_string_equal(uc3_store_workdir(st), want);
	assert_non_null(uc3_store_policy(st));
	assert_string_equal(uc3_store_policy(st)->id_prefix, "UC3");
	uc3_store_free(st);
}

static void
open_finds_the_repository_from_a_subdirectory(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	char *id = new_ticket(st, NULL), sub[PATH_MAX + 32], want[PATH_MAX + 2];

	uc3_store_free(st);
	st = NULL;
	snprintf(sub, sizeof(sub), "%s/tickets/2026", fx->repo);
	assert_int_equal(uc3_store_open(&st, sub), 0);
	snprintf(want, sizeof(want), "%s/", fx->repo);
	assert_string_equal(uc3_store_workdir(st), want);
	free(id);
	uc3_store_free(st);
}

static void
open_without_dir_uses_uc3_dir(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = NULL;

	make_records(fx, true);
	setenv("UC3_DIR", fx->repo, 1);
	assert_int_equal(uc3_store_open(&st, NULL), 0);
	assert_true(uc3_store_is_bare(st));
	assert_non_null(uc3_store_policy(st));
	unsetenv("UC3_DIR");
	uc3_store_free(st);
}

static void
init_names_the_branch_after_init_default_branch(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	char *head = run("git --git-dir='%s' symbolic-ref HEAD", uc3_store_gitdir(st));

	assert_string_equal(head, "refs/heads/main");
	free(head);
	uc3_store_free(st);
}

static void
init_reports_an_existing_repository(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = NULL;
	bool existed = false;

	make_records(fx, true);
	assert_int_equal(uc3_store_init(&st, fx->repo, true, &existed), 0);
	assert_true(existed);
	uc3_store_free(st);
}

static void
next_number_counts_per_year(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_ticket *t = NULL;
	char *path = NULL;
	unsigned long n = 0;

	assert_int_equal(uc3_records_next_number(&n, st, 2026), 0);
	assert_int_equal(n, 1);
	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_new_ticket(st, "2025-12-31T10:00:00+07:00", "UC3-2025-0001");
	assert_new_ticket(st, NULL, "UC3-2026-0002");
	assert_new_ticket(st, "2025-12-30T10:00:00+07:00", "UC3-2025-0002");
	assert_int_equal(uc3_records_next_number(&n, st, 2026), 0);
	assert_int_equal(n, 3);
	assert_int_equal(uc3_records_next_number(&n, st, 2025), 0);
	assert_int_equal(n, 3);
	assert_int_equal(uc3_records_next_number(&n, st, 2024), 0);
	assert_int_equal(n, 1);
	/* Filed by the year and month of receipt, not of registration. */
	assert_int_equal(uc3_records_load(&t, &path, st, "UC3-2025-0001"), 0);
	assert_string_equal(path, "tickets/2025/12/UC3-2025-0001.yaml");
	assert_string_equal(t->received, "2025-12-31T10:00:00+07:00");
	uc3_ticket_free(t);
	free(path);
	uc3_store_free(st);
}

static void
next_number_takes_the_year_in_the_office_zone(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);

	/* 20:00 UTC on 31 December is 03:00 on 1 January in Jakarta. */
	assert_new_ticket(st, "2025-12-31T20:00:00Z", "UC3-2026-0001");
	assert_new_ticket(st, "2025-12-31T16:59:00Z", "UC3-2025-0001");
	uc3_store_free(st);
}

static void
next_number_follows_the_highest_number_not_the_count(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct put p = { "tickets/2026/03/UC3-2026-0041.yaml", "x: 1\n", 0 };
	unsigned long n = 0;

	assert_int_equal(uc3_store_write(st, put_edit, &p, NULL), 0);
	assert_int_equal(uc3_records_next_number(&n, st, 2026), 0);
	assert_int_equal(n, 42);
	uc3_store_free(st);
}

static void
find_ticket_rejects_a_path_as_id(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	char *path = NULL;

	assert_int_equal(uc3_records_find(&path, st, "../../etc/passwd"), UC3_EINVAL);
	assert_null(path);
	assert_non_null(strstr(uc3_error_last(), "../../etc/passwd"));
	assert_int_equal(uc3_records_find(&path, st, "UC3-2026-0001/../../uc3"), UC3_EINVAL);
	assert_null(path);
	uc3_store_free(st);
}

static void
find_ticket_rejects_another_prefix(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	char *id = new_ticket(st, NULL), *path = NULL;

	assert_int_equal(uc3_records_find(&path, st, "ABC-2026-0001"), UC3_EINVAL);
	assert_null(path);
	free(id);
	uc3_store_free(st);
}

static void
find_ticket_reports_an_unknown_id(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	char *id = new_ticket(st, NULL), *path = NULL;

	assert_int_equal(uc3_records_find(&path, st, "UC3-2026-0002"), UC3_ENOTFOUND);
	assert_null(path);
	assert_non_null(strstr(uc3_error_last(), "UC3-2026-0002"));
	assert_int_equal(uc3_records_find(&path, st, id), 0);
	assert_string_equal(path, "tickets/2026/11/UC3-2026-0001.yaml");
	free(path);
	free(id);
	uc3_store_free(st);
}

static void
load_ticket_reports_an_unknown_id(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_ticket *t = NULL;
	char *path = NULL;

	assert_int_equal(uc3_records_load(&t, &path, st, "UC3-2026-0001"), UC3_ENOTFOUND);
	assert_null(t);
	assert_null(path);
	uc3_store_free(st);
}

struct visits {
	char *paths[16];
	size_t n;
	size_t stop_at; /* return 7 at this visit (1-based); 0: never */
};

static int
visit(const char *path, const char *data, size_t len, void *ctx)
{
	struct visits *v = ctx;

	if (v->n < 16)
		v->paths[v->n++] = strdup(path);
	/* Every visit gets the file's contents. */
	if (len == 0 || strncmp(data, "id: ", 4))
		return -100;
	return v->n == v->stop_at ? 7 : 0;
}

static void
visits_release(struct visits *v)
{
	size_t i;

	for (i = 0; i < v->n; i++)
		free(v->paths[i]);
}

static void
foreach_ticket_visits_every_ticket_in_path_order(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct visits v = { .n = 0 };

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_new_ticket(st, "2025-12-31T10:00:00+07:00", "UC3-2025-0001");
	assert_new_ticket(st, "2026-01-15T10:00:00+07:00", "UC3-2026-0002");
	assert_new_ticket(st, "2026-11-02T10:00:00+07:00", "UC3-2026-0003");
	assert_int_equal(uc3_records_foreach(st, visit, &v), 0);
	assert_int_equal(v.n, 4);
	assert_string_equal(v.paths[0], "tickets/2025/12/UC3-2025-0001.yaml");
	assert_string_equal(v.paths[1], "tickets/2026/01/UC3-2026-0002.yaml");
	assert_string_equal(v.paths[2], "tickets/2026/11/UC3-2026-0001.yaml");
	assert_string_equal(v.paths[3], "tickets/2026/11/UC3-2026-0003.yaml");
	visits_release(&v);
	uc3_store_free(st);
}

static void
foreach_ticket_stops_when_the_visitor_says_so(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct visits v = { .n = 0, .stop_at = 2 };

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_new_ticket(st, NULL, "UC3-2026-0002");
	assert_new_ticket(st, NULL, "UC3-2026-0003");
	assert_int_equal(uc3_records_foreach(st, visit, &v), 7);
	assert_int_equal(v.n, 2);
	visits_release(&v);
	uc3_store_free(st);
}

static void
foreach_ticket_visits_nothing_without_tickets(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct visits v = { .n = 0 };

	assert_int_equal(uc3_records_foreach(st, visit, &v), 0);
	assert_int_equal(v.n, 0);
	uc3_store_free(st);
}

static void
attachment_paths_sit_beside_their_ticket(void **state)
{
	char *p = uc3_records_attachment_path("tickets/2026/11/UC3-2026-0042.yaml", "surat.pdf");
	char *t = NULL;

	assert_string_equal(p, "tickets/2026/11/UC3-2026-0042/surat.pdf");
	assert_true(uc3_records_attachment_of(p, &t));
	assert_string_equal(t, "tickets/2026/11/UC3-2026-0042.yaml");
	free(t);
	free(p);
	assert_true(uc3_records_attachment_of("tickets/a/b/c/d", NULL));
	assert_false(uc3_records_attachment_of("tickets/2026/11/UC3-2026-0042.yaml", NULL));
	assert_false(uc3_records_attachment_of("tickets/2026/11/UC3-2026-0042/", NULL));
	assert_false(uc3_records_attachment_of("tickets/2026/11/UC3-2026-0042/a/b", NULL));
	assert_false(uc3_records_attachment_of("tickets/2026//UC3-2026-0042/a", NULL));
	assert_false(uc3_records_attachment_of("templates/2026/11/UC3-2026-0042/a", NULL));
	assert_false(uc3_records_attachment_of("tickets/2026/11/x/y/", NULL));
}

/* Writes ticket 1's attachment: 9 MiB with NUL bytes, over what the store reads of a ticket. */
static int
attachment_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct uc3_buf *b = uc3_write_add_new(w, "tickets/2026/11/UC3-2026-0001/scan.bin");
	char *data = malloc(9 * 1024 * 1024);
	size_t i;

	assert_non_null(data);
	for (i = 0; i < 9 * 1024 * 1024; i++)
		data[i] = (char)(i % 251);
	uc3_buf_add(b, data, 9 * 1024 * 1024);
	free(data);
	uc3_buf_adds(&w->message, "attach\n");
	return 0;
}

static void
attachments_are_read_in_full_and_never_taken_for_tickets(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct uc3_buf b = UC3_BUF_INIT;
	struct visits v = { .n = 0 };
	char blob[41], hash[41];

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_int_equal(uc3_store_write(st, attachment_edit, NULL, NULL), 0);
	assert_int_equal(uc3_store_read(&b, st, "tickets/2026/11/UC3-2026-0001/scan.bin"), 0);
	assert_int_equal(b.len, 9 * 1024 * 1024);
	assert_int_equal((unsigned char)b.ptr[252], 1);
	assert_int_equal(uc3_store_blob(blob, st, "tickets/2026/11/UC3-2026-0001/scan.bin"), 0);
	assert_int_equal(uc3_store_hash(hash, st, b.ptr, b.len), 0);
	assert_string_equal(hash, blob);
	/* The work tree has it too. */
	{
		char full[PATH_MAX];
		struct stat sb;

		snprintf(full, sizeof(full), "%stickets/2026/11/UC3-2026-0001/scan.bin",
			 uc3_store_workdir(st));
		assert_int_equal(stat(full, &sb), 0);
		assert_int_equal(sb.st_size, 9 * 1024 * 1024);
	}
	assert_int_equal(uc3_records_foreach(st, visit, &v), 0);
	assert_int_equal(v.n, 1);
	assert_string_equal(v.paths[0], "tickets/2026/11/UC3-2026-0001.yaml");
	assert_int_equal(uc3_store_write(st, attachment_edit, NULL, NULL), UC3_EEXIST);
	visits_release(&v);
	uc3_buf_release(&b);
	uc3_store_free(st);
}

static void
write_redoes_the_edit_on_a_moved_tip(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st1, *st2;
	struct uc3_write_result res = { 0 };
	struct put a = { "a.txt", "first\n", 0 }, b = { "b.txt", "second\n", 0 };
	struct uc3_buf got = UC3_BUF_INIT;
	char *s;

	make_records(fx, true);
	st1 = open_records(fx);
	st2 = open_records(fx);
	assert_int_equal(uc3_store_write(st1, put_edit, &a, &res), 0);
	assert_int_equal(res.attempts, 1);
	uc3_write_result_release(&res);
	/* st2 still has the tip from before st1's write as its base. */
	assert_int_equal(uc3_store_write(st2, put_edit, &b, &res), 0);
	assert_int_equal(res.attempts, 2);
	assert_int_equal(b.calls, 2);
	uc3_write_result_release(&res);
	s = committed(fx, "a.txt");
	assert_non_null(s);
	assert_string_equal(s, "first\n");
	free(s);
	s = committed(fx, "b.txt");
	assert_non_null(s);
	assert_string_equal(s, "second\n");
	free(s);
	/* After the write, st2 reads from the new tip. */
	assert_int_equal(uc3_store_read(&got, st2, "a.txt"), 0);
	assert_string_equal(got.ptr, "first\n");
	uc3_buf_release(&got);
	uc3_store_free(st1);
	uc3_store_free(st2);
}

static void
write_on_a_stale_store_with_a_work_tree_keeps_both(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st1, *st2;
	struct put a = { "a.txt", "first\n", 0 }, b = { "b.txt", "second\n", 0 };
	char *s;

	make_records(fx, false);
	st1 = open_records(fx);
	st2 = open_records(fx);
	assert_int_equal(uc3_store_write(st1, put_edit, &a, NULL), 0);
	assert_int_equal(uc3_store_write(st2, put_edit, &b, NULL), 0);
	s = committed(fx, "a.txt");
	assert_non_null(s);
	free(s);
	s = committed(fx, "b.txt");
	assert_non_null(s);
	free(s);
	uc3_store_free(st1);
	uc3_store_free(st2);
}

static void
new_on_stale_stores_never_reuses_an_id(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st1, *st2;

	make_records(fx, true);
	st1 = open_records(fx);
	st2 = open_records(fx);
	assert_new_ticket(st1, NULL, "UC3-2026-0001");
	assert_new_ticket(st2, NULL, "UC3-2026-0002");
	uc3_store_free(st1);
	uc3_store_free(st2);
}

static void
write_that_fails_in_the_edit_leaves_the_branch_unchanged(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct put p = { "a.txt", "never\n", 0 };
	char *before = git_tip(uc3_store_gitdir(st)), *after, *s;

	assert_int_equal(uc3_store_write(st, fail_edit, &p, NULL), UC3_EINVAL);
	assert_int_equal(p.calls, 1);
	assert_string_equal(uc3_error_last(), "the edit changed its mind");
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	s = committed(fx, "a.txt");
	assert_null(s);
	free(before);
	free(after);
	uc3_store_free(st);
}

static void
write_that_fails_in_the_edit_leaves_the_work_tree_unchanged(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct put p = { "a.txt", "never\n", 0 };
	char *before = git_tip(uc3_store_gitdir(st)), *after, *status;
	char file[PATH_MAX + 8];

	assert_int_equal(uc3_store_write(st, fail_edit, &p, NULL), UC3_EINVAL);
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	snprintf(file, sizeof(file), "%s/a.txt", fx->repo);
	assert_int_equal(access(file, F_OK), -1);
	status = run("git -C '%s' status --porcelain", fx->repo);
	assert_string_equal(status, "");
	free(status);
	free(before);
	free(after);
	uc3_store_free(st);
}

static void
write_of_nothing_is_an_error(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	char *before = git_tip(uc3_store_gitdir(st)), *after;

	assert_int_equal(uc3_store_write(st, empty_edit, NULL, NULL), UC3_ERROR);
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	free(before);
	free(after);
	uc3_store_free(st);
}

static void
write_reports_the_new_tip(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_write_result res = { 0 };
	struct put p = { "a.txt", "first\n", 0 };
	char *tip;

	assert_int_equal(uc3_store_write(st, put_edit, &p, &res), 0);
	tip = git_tip(uc3_store_gitdir(st));
	assert_string_equal(res.commit, tip);
	assert_int_equal(res.attempts, 1);
	assert_false(res.is_signed);
	assert_null(res.warning);
	uc3_write_result_release(&res);
	free(tip);
	uc3_store_free(st);
}

static void
write_on_an_unborn_branch_redoes_when_another_commit_landed(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st1 = NULL, *st2 = NULL;
	struct uc3_write_result res = { 0 };
	struct put a = { "a.txt", "first\n", 0 }, b = { "b.txt", "second\n", 0 };
	struct uc3_buf got = UC3_BUF_INIT;
	bool existed;
	char *out;

	/* Both start from the same empty repository, as two `uc3 init` would. */

	assert_int_equal(uc3_store_init(&st1, fx->repo, true, &existed), 0);
	assert_int_equal(uc3_store_init(&st2, fx->repo, true, &existed), 0);
	assert_int_equal(uc3_store_write(st1, put_edit, &a, NULL), 0);
	assert_int_equal(uc3_store_write(st2, put_edit, &b, &res), 0);
	assert_int_equal(res.attempts, 2);
	uc3_write_result_release(&res);
	/* Two commits in a line: the second has the first as parent. */
	out = run("git --git-dir='%s' rev-list --count HEAD", uc3_store_gitdir(st1));
	assert_string_equal(out, "2");
	free(out);
	uc3_store_free(st1);
	uc3_store_free(st2);
	assert_int_equal(uc3_store_init(&st1, fx->repo, true, &existed), 0);
	assert_true(existed);
	assert_int_equal(uc3_store_read(&got, st1, "a.txt"), 0);
	assert_string_equal(got.ptr, "first\n");
	uc3_buf_reset(&got);
	assert_int_equal(uc3_store_read(&got, st1, "b.txt"), 0);
	assert_string_equal(got.ptr, "second\n");
	uc3_buf_release(&got);
	uc3_store_free(st1);
}

static void
write_refuses_unsigned_when_the_policy_requires_signatures(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct put p = { UC3_POLICY_FILE, NULL, 0 }, q = { "a.txt", "never\n", 0 };
	struct uc3_buf strict = UC3_BUF_INIT;
	const char *at = strstr(fx->policy.ptr, "require_signed: false");
	char *before, *after;

	assert_non_null(at);
	uc3_buf_add(&strict, fx->policy.ptr, (size_t)(at - fx->policy.ptr));
	uc3_buf_adds(&strict, "require_signed: true");
	uc3_buf_adds(&strict, at + strlen("require_signed: false"));
	p.data = strict.ptr;
	assert_int_equal(uc3_store_write(st, put_edit, &p, NULL), 0);
	uc3_store_free(st);
	st = open_records(fx);
	assert_true(uc3_store_policy(st)->require_signed);
	before = git_tip(uc3_store_gitdir(st));

	assert_int_equal(uc3_store_write(st, put_edit, &q, NULL), UC3_ESIGN);
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	free(before);
	free(after);
	uc3_buf_release(&strict);
	uc3_store_free(st);
}

static void
write_without_an_identity_is_refused(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct put p = { "a.txt", "never\n", 0 };
	char cfg[PATH_MAX + 32], *before, *after;

	uc3_store_free(st);
	snprintf(cfg, sizeof(cfg), "%s/gitconfig", fx->dir);
	write_file(cfg, "[init]\n\tdefaultBranch = main\n");
	st = open_records(fx);
	before = git_tip(uc3_store_gitdir(st));
	assert_int_equal(uc3_store_write(st, put_edit, &p, NULL), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "user.email"));
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	free(before);
	free(after);
	uc3_store_free(st);
}

static int
hand_edit_overwrite(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	const char *path = ctx;
	struct uc3_buf *b = uc3_write_add(w, path);

	assert_int_equal(uc3_store_read(b, st, path), 0);
	uc3_buf_adds(b, "# the tool's change\n");
	uc3_buf_adds(&w->message, "Change the ticket\n");
	return 0;
}

static void
write_refuses_a_file_with_uncommitted_edits(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct uc3_ticket *t = NULL;
	char *id = new_ticket(st, NULL), *path = NULL, *before, *after, *text, *edited;
	struct uc3_buf full = UC3_BUF_INIT;

	assert_int_equal(uc3_records_load(&t, &path, st, id), 0);
	uc3_ticket_free(t);
	uc3_buf_addf(&full, "%s%s", uc3_store_workdir(st), path);
	text = read_file(full.ptr);
	assert_non_null(text);
	edited = malloc(strlen(text) + 32);
	assert_non_null(edited);
	sprintf(edited, "%s# a hand edit\n", text);
	write_file(full.ptr, edited);
	before = git_tip(uc3_store_gitdir(st));

	assert_int_equal(uc3_store_write(st, hand_edit_overwrite, path, NULL), UC3_EDIRTY);
	assert_non_null(strstr(uc3_error_last(), path));
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	/* The hand edit is still there, untouched. */
	free(text);
	text = read_file(full.ptr);
	assert_string_equal(text, edited);

	free(text);
	free(edited);
	free(before);
	free(after);
	free(path);
	free(id);
	uc3_buf_release(&full);
	uc3_store_free(st);
}

static void
write_refuses_a_file_with_staged_edits(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	char *id = new_ticket(st, NULL), *path = NULL, *before, *after, *text, *out;
	struct uc3_buf full = UC3_BUF_INIT, edited = UC3_BUF_INIT;

	assert_int_equal(uc3_records_find(&path, st, id), 0);
	uc3_buf_addf(&full, "%s%s", uc3_store_workdir(st), path);
	text = read_file(full.ptr);
	assert_non_null(text);
	uc3_buf_addf(&edited, "%s# a staged edit\n", text);
	write_file(full.ptr, edited.ptr);
	out = run("git -C '%s' add '%s'", fx->repo, path);
	free(out);
	/* The work tree is back to the commit; only the index differs. */
	write_file(full.ptr, text);
	before = git_tip(uc3_store_gitdir(st));

	assert_int_equal(uc3_store_write(st, hand_edit_overwrite, path, NULL), UC3_EDIRTY);
	assert_non_null(strstr(uc3_error_last(), "staged"));
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);

	free(text);
	free(before);
	free(after);
	free(path);
	free(id);
	uc3_buf_release(&full);
	uc3_buf_release(&edited);
	uc3_store_free(st);
}

static void
write_refuses_an_untracked_file_in_the_way(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct uc3_new_input in = {
		.subject = "Jadwal wisuda",
		.kind = "pertanyaan",
		.channel = "telepon",
		.from = "Siti",
		.body = "Kapan?\n",
		.body_len = 7,
	};
	char dir[PATH_MAX + 32], file[PATH_MAX + 64], *id = NULL, *before, *after, *text;

	snprintf(dir, sizeof(dir), "%s/tickets", fx->repo);
	assert_int_equal(mkdir(dir, 0777), 0);
	snprintf(dir, sizeof(dir), "%s/tickets/2026", fx->repo);
	assert_int_equal(mkdir(dir, 0777), 0);
	snprintf(dir, sizeof(dir), "%s/tickets/2026/11", fx->repo);
	assert_int_equal(mkdir(dir, 0777), 0);
	snprintf(file, sizeof(file), "%s/UC3-2026-0001.yaml", dir);
	write_file(file, "somebody's notes\n");
	before = git_tip(uc3_store_gitdir(st));

	assert_int_equal(uc3_op_new(&id, st, &in, NULL), UC3_EDIRTY);
	assert_null(id);
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	text = read_file(file);
	assert_string_equal(text, "somebody's notes\n");
	free(text);
	free(before);
	free(after);
	uc3_store_free(st);
}

static void
write_brings_the_work_tree_up_to_date(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct uc3_buf full = UC3_BUF_INIT, blob = UC3_BUF_INIT;
	char *id = new_ticket(st, NULL), *path = NULL, *text, *status;

	assert_int_equal(uc3_records_find(&path, st, id), 0);
	assert_int_equal(uc3_store_read(&blob, st, path), 0);
	uc3_buf_addf(&full, "%s%s", uc3_store_workdir(st), path);
	text = read_file(full.ptr);
	assert_non_null(text);
	assert_string_equal(text, blob.ptr);
	free(text);
	/* The policy of the first write is in the work tree too. */
	uc3_buf_reset(&full);
	uc3_buf_addf(&full, "%suc3.yaml", uc3_store_workdir(st));
	text = read_file(full.ptr);
	assert_non_null(text);
	assert_string_equal(text, fx->policy.ptr);
	free(text);
	status = run("git -C '%s' status --porcelain", fx->repo);
	assert_string_equal(status, "");
	free(status);

	free(path);
	free(id);
	uc3_buf_release(&full);
	uc3_buf_release(&blob);
	uc3_store_free(st);
}

static void
write_after_write_keeps_the_work_tree_clean(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	char *id = new_ticket(st, NULL), *path = NULL, *status;

	/* A second write of the same path is not taken for a hand edit. */
	assert_int_equal(uc3_records_find(&path, st, id), 0);
	assert_int_equal(uc3_store_write(st, hand_edit_overwrite, path, NULL), 0);
	status = run("git -C '%s' status --porcelain", fx->repo);
	assert_string_equal(status, "");
	free(status);
	free(path);
	free(id);
	uc3_store_free(st);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(open_refuses_a_directory_that_is_not_a_repository),
		T(open_refuses_a_repository_without_commits),
		T(open_refuses_a_repository_without_policy),
		T(open_reads_the_policy_of_a_bare_repository),
		T(open_reads_the_policy_of_a_repository_with_a_work_tree),
		T(open_finds_the_repository_from_a_subdirectory),
		T(open_without_dir_uses_uc3_dir),
		T(init_names_the_branch_after_init_default_branch),
		T(init_reports_an_existing_repository),
		T(next_number_counts_per_year),
		T(next_number_takes_the_year_in_the_office_zone),
		T(next_number_follows_the_highest_number_not_the_count),
		T(find_ticket_rejects_a_path_as_id),
		T(find_ticket_rejects_another_prefix),
		T(find_ticket_reports_an_unknown_id),
		T(load_ticket_reports_an_unknown_id),
		T(foreach_ticket_visits_every_ticket_in_path_order),
		T(foreach_ticket_stops_when_the_visitor_says_so),
		T(foreach_ticket_visits_nothing_without_tickets),
		T(attachment_paths_sit_beside_their_ticket),
		T(attachments_are_read_in_full_and_never_taken_for_tickets),
		T(write_redoes_the_edit_on_a_moved_tip),
		T(write_on_a_stale_store_with_a_work_tree_keeps_both),
		T(new_on_stale_stores_never_reuses_an_id),
		T(write_that_fails_in_the_edit_leaves_the_branch_unchanged),
		T(write_that_fails_in_the_edit_leaves_the_work_tree_unchanged),
		T(write_of_nothing_is_an_error),
		T(write_reports_the_new_tip),
		T(write_on_an_unborn_branch_redoes_when_another_commit_landed),
		T(write_refuses_unsigned_when_the_policy_requires_signatures),
		T(write_without_an_identity_is_refused),
		T(write_refuses_a_file_with_uncommitted_edits),
		T(write_refuses_a_file_with_staged_edits),
		T(write_refuses_an_untracked_file_in_the_way),
		T(write_brings_the_work_tree_up_to_date),
		T(write_after_write_keeps_the_work_tree_clean),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
