#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "repo.h"
#include "strv.h"
#include "ticket.h"

/*
 * The quarantine: names of the files (records.h), keeping a mail uc3
 * could not read (uc3_op_quarantine), the list of what waits, and
 * registering one with uc3_op_new's quarantined.
 */

static const char mail[] = "From nobody\nthis is not a message\n";

/* Keep mail at UC3_NOW = now; returns its path (free()). */
static char *
keep(struct uc3_store *st, const char *now, const char *data, const char *why,
     struct uc3_write_result *res)
{
	char *path = NULL;

	setenv("UC3_NOW", now, 1);
	if (uc3_op_quarantine(&path, st, data, strlen(data), why, res) < 0)
		fail_msg("uc3_op_quarantine: %s", uc3_error_last());
	assert_non_null(path);
	return path;
}

static void
names_are_the_utc_time_and_the_blob(void **state)
{
	struct uc3_store *st = new_records(*state, true);
	char blob[41], want[80], *name;
	time_t when;

	assert_int_equal(uc3_store_hash(blob, st, mail, strlen(mail)), 0);
	/* 2026-12-02 10:15 in Jakarta is 03:15 UTC. */
	name = uc3_records_quarantine_name(st, 1796181300, mail, strlen(mail));
	snprintf(want, sizeof(want), "quarantine/2026-12-02T031500Z-%.12s.eml", blob);
	assert_string_equal(name, want);
	assert_true(uc3_records_quarantine_ok(name));
	assert_true(uc3_records_quarantine_when(name, &when));
	assert_int_equal(when, 1796181300);
	free(name);
	uc3_store_free(st);
}

static void
only_names_uc3_gives_are_quarantine_files(void **state)
{
	(void)state;
	assert_true(uc3_records_quarantine_ok("quarantine/2026-12-02T031500Z-0123456789ab.eml"));
	assert_false(uc3_records_quarantine_ok("quarantine/2026-12-02T031500Z-0123456789AB.eml"));
	assert_false(uc3_records_quarantine_ok("quarantine/2026-12-02T031500Z-0123456789a.eml"));
	assert_false(uc3_records_quarantine_ok("quarantine/2026-13-02T031500Z-0123456789ab.eml"));
	assert_false(uc3_records_quarantine_ok("quarantine/2026-02-31T031500Z-0123456789ab.eml"));
	assert_false(uc3_records_quarantine_ok("quarantine/2026-12-02T241500Z-0123456789ab.eml"));
	assert_false(uc3_records_quarantine_ok("quarantine/2026-12-02T031500Z-0123456789ab.txt"));
	assert_false(uc3_records_quarantine_ok("quarantine/x/2026-12-02T031500Z-0123456789ab.eml"));
	assert_false(uc3_records_quarantine_ok("tickets/2026-12-02T031500Z-0123456789ab.eml"));
	assert_false(
		uc3_records_quarantine_ok("quarantine/../2026-12-02T031500Z-0123456789ab.eml"));
	assert_false(uc3_records_quarantine_ok("quarantine/"));
	assert_false(uc3_records_quarantine_ok(NULL));
}

static void
keeping_a_mail_adds_it_as_it_came_in_one_commit(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct uc3_write_result res;
	char gitdir[700], *path, *file, *msg, *tip;

	path = keep(st, "2026-11-27T10:15:00+07:00", mail, "no From address", &res);
	assert_string_equal(path + strlen(path) - 4, ".eml");
	assert_int_equal(strncmp(path, "quarantine/2026-11-27T031500Z-", 30), 0);
	assert_true(res.commit[0]);
	file = committed(fx, path);
	assert_string_equal(file, mail);
	snprintf(gitdir, sizeof(gitdir), "%s/.git", fx->repo);
	tip = git_tip(gitdir);
	assert_int_equal(strncmp(tip, res.commit, 40), 0);
	msg = run("git --git-dir='%s' log -1 --format=%%B", gitdir);
	{
		struct uc3_buf want = UC3_BUF_INIT;

		uc3_buf_addf(&want,
			     "quarantine: a mail uc3 could not read\n\nno From address\n\n"
			     "Action: quarantine\nQuarantine: %s",
			     path);
		assert_string_equal(msg, want.ptr);
		uc3_buf_release(&want);
	}
	uc3_write_result_release(&res);
	free(tip);
	free(msg);
	free(file);
	free(path);
	uc3_store_free(st);
}

static void
the_same_mail_again_is_not_kept_twice(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_write_result res;
	char *first, *again, *other, tip[41];
	char **paths = NULL;
	size_t n = 0;

	first = keep(st, "2026-11-27T10:15:00+07:00", mail, "no From address", &res);
	uc3_write_result_release(&res);
	snprintf(tip, sizeof(tip), "%s", uc3_store_tip(st));
	/* The MTA tries again an hour later: the same bytes, no new commit. */
	again = keep(st, "2026-11-27T11:15:00+07:00", mail, "no From address", &res);
	assert_string_equal(again, first);
	assert_string_equal(res.commit, "");
	assert_string_equal(uc3_store_tip(st), tip);
	uc3_write_result_release(&res);
	/* Another mail is another file. */
	other = keep(st, "2026-11-27T11:15:00+07:00", "another\n", "no From address", &res);
	assert_string_not_equal(other, first);
	uc3_write_result_release(&res);
	assert_int_equal(uc3_records_quarantine_list(&paths, &n, st), 0);
	assert_int_equal(n, 2);
	assert_string_equal(paths[0], first);
	assert_string_equal(paths[1], other);
	uc3_strv_free(paths, n);
	free(first);
	free(again);
	free(other);
	uc3_store_free(st);
}

static void
the_reason_is_made_one_line(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_write_result res;
	char gitdir[700], *path, *msg;

	path = keep(st, NOW, mail, "two\nlines\x1b[2J", &res);
	snprintf(gitdir, sizeof(gitdir), "%s", fx->repo);
	msg = run("git --git-dir='%s' log -1 --format=%%b", gitdir);
	assert_int_equal(strncmp(msg, "two lines\\x1b[2J\n\n", 18), 0);
	uc3_write_result_release(&res);
	free(msg);
	free(path);
	uc3_store_free(st);
}

/* A file under quarantine/ with a name uc3 does not give is not listed. */
static int
stray_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	(void)st;
	(void)ctx;
	uc3_buf_adds(uc3_write_add(w, "quarantine/notes.txt"), "x\n");
	uc3_buf_adds(&w->message, "notes\n");
	return 0;
}

static void
the_list_is_oldest_first_and_only_what_uc3_keeps(void **state)
{
	struct uc3_store *st = new_records(*state, true);
	struct uc3_write_result res;
	char *late, *early, **paths = NULL;
	size_t n = 9;

	assert_int_equal(uc3_records_quarantine_list(&paths, &n, st), 0);
	assert_int_equal(n, 0);
	late = keep(st, "2026-11-27T11:00:00+07:00", "a\n", "why", &res);
	uc3_write_result_release(&res);
	early = keep(st, "2026-11-27T10:00:00+07:00", "b\n", "why", &res);
	uc3_write_result_release(&res);
	assert_int_equal(uc3_store_write(st, stray_edit, NULL, NULL), 0);
	assert_int_equal(uc3_records_quarantine_list(&paths, &n, st), 0);
	assert_int_equal(n, 2);
	assert_string_equal(paths[0], early);
	assert_string_equal(paths[1], late);
	uc3_strv_free(paths, n);
	free(late);
	free(early);
	uc3_store_free(st);
}

static char *
register_from(struct uc3_store *st, const char *quarantined, int *rc)
{
	static const char body[] = "Retyped from the mail.\n";
	struct uc3_new_input in = {
		.subject = "Surat tidak terbaca",
		.kind = "keluhan",
		.channel = "email",
		.from = "Siti Aminah <siti@example.com>",
		.body = body,
		.body_len = sizeof(body) - 1,
		.quarantined = quarantined,
	};
	struct uc3_write_result res = { 0 };
	char *id = NULL;

	*rc = uc3_op_new(&id, st, &in, &res);
	uc3_write_result_release(&res);
	return id;
}

static void
registering_removes_the_file_in_the_same_commit(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct uc3_write_result res;
	struct uc3_ticket *t = NULL;
	char *path, *id, *gone, *stat, *msg, full[1200];
	int rc;

	path = keep(st, "2026-11-27T08:00:00+07:00", mail, "no From address", &res);
	uc3_write_result_release(&res);
	setenv("UC3_NOW", NOW, 1);
	id = register_from(st, path, &rc);
	if (rc < 0)
		fail_msg("uc3_op_new: %s", uc3_error_last());
	uc3_store_free(st);
	st = open_records(fx);
	assert_int_equal(uc3_records_load(&t, NULL, st, id), 0);
	assert_string_equal(t->quarantined, path);
	gone = committed(fx, path);
	assert_null(gone);
	/* One commit: the ticket added, the mail removed; the work tree follows. */
	stat = run("git -C '%s' show --format= --name-status HEAD", fx->repo);
	{
		struct uc3_buf want = UC3_BUF_INIT;

		uc3_buf_addf(&want, "D\t%s\nA\ttickets/2026/11/%s.yaml", path, id);
		assert_string_equal(stat, want.ptr);
		uc3_buf_release(&want);
	}
	msg = run("git -C '%s' log -1 --format=%%B", fx->repo);
	assert_non_null(strstr(msg, "\nQuarantine: "));
	assert_non_null(strstr(msg, path));
	snprintf(full, sizeof(full), "%s/%s", fx->repo, path);
	assert_int_equal(access(full, F_OK), -1);
	free(stat);
	stat = run("git -C '%s' status --porcelain", fx->repo);
	assert_string_equal(stat, "");
	uc3_ticket_free(t);
	free(msg);
	free(stat);
	free(id);
	free(path);
	uc3_store_free(st);
}

static void
registering_what_does_not_wait_writes_nothing(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_write_result res;
	char tip[41], *path, *id;
	int rc;

	path = keep(st, "2026-11-27T08:00:00+07:00", mail, "no From address", &res);
	uc3_write_result_release(&res);
	setenv("UC3_NOW", NOW, 1);
	snprintf(tip, sizeof(tip), "%s", uc3_store_tip(st));
	id = register_from(st, "quarantine/2026-11-27T010000Z-0123456789ab.eml", &rc);
	assert_int_equal(rc, UC3_EINVAL);
	assert_null(id);
	assert_string_equal(uc3_error_last(),
			    "quarantine/2026-11-27T010000Z-0123456789ab.eml is not "
			    "waiting in quarantine (uc3 list shows what waits)");
	id = register_from(st, "tickets/2026/11/UC3-2026-0001.yaml", &rc);
	assert_int_equal(rc, UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "is not a file of the quarantine"));
	assert_string_equal(uc3_store_tip(st), tip);
	/* Registered once, it waits no more. */
	id = register_from(st, path, &rc);
	assert_int_equal(rc, 0);
	free(id);
	id = register_from(st, path, &rc);
	assert_int_equal(rc, UC3_EINVAL);
	assert_null(id);
	free(path);
	uc3_store_free(st);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(names_are_the_utc_time_and_the_blob),
		T(only_names_uc3_gives_are_quarantine_files),
		T(keeping_a_mail_adds_it_as_it_came_in_one_commit),
		T(the_same_mail_again_is_not_kept_twice),
		T(the_reason_is_made_one_line),
		T(the_list_is_oldest_first_and_only_what_uc3_keeps),
		T(registering_removes_the_file_in_the_same_commit),
		T(registering_what_does_not_wait_writes_nothing),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
