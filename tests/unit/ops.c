#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "repo.h"
#include "ticket.h"

/*
 * The operations on a records repository (lib/ops.h) that are not the
 * store's own: registering a ticket with uc3_op_new. Moved here from
 * tests/unit/store.c; the fixture is records.h's.
 */

static void
new_allocates_sequential_ids(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_new_ticket(st, NULL, "UC3-2026-0002");
	uc3_store_free(st);
	/* A store opened later sees both. */
	st = open_records(fx);
	assert_new_ticket(st, NULL, "UC3-2026-0003");
	uc3_store_free(st);
}

static void
new_writes_an_open_ticket_at_staf_with_its_deadline(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_ticket *t = NULL;
	char *id = new_ticket(st, NULL), *path = NULL, *file;

	uc3_store_free(st);
	st = open_records(fx);
	assert_int_equal(uc3_records_load(&t, &path, st, id), 0);
	assert_string_equal(path, "tickets/2026/11/UC3-2026-0001.yaml");
	assert_string_equal(t->id, "UC3-2026-0001");
	assert_int_equal(t->status, UC3_STATUS_OPEN);
	assert_string_equal(t->level, "staf");
	assert_string_equal(t->received, NOW);
	assert_string_equal(t->deadline, "2026-11-27T09:05:00+07:00");
	assert_string_equal(t->kind, "keluhan");
	assert_string_equal(t->channel, "email");
	assert_string_equal(t->requester.name, "Siti Aminah");
	assert_string_equal(t->requester.email, "siti@example.com");
	assert_int_equal(t->nevents, 1);
	assert_string_equal(t->events[0].action, "new");
	assert_string_equal(t->events[0].at, NOW);
	assert_string_equal(t->events[0].by, USER_EMAIL);
	/* The file is where DESIGN section 3 puts it. */
	file = committed(fx, "tickets/2026/11/UC3-2026-0001.yaml");
	assert_non_null(file);
	free(file);
	uc3_ticket_free(t);
	free(path);
	free(id);
	uc3_store_free(st);
}

static void
new_counts_deadline_on_the_business_calendar(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_ticket *t = NULL;
	char *id;

	/* The example of DESIGN section 6. */
	setenv("UC3_NOW", "2026-11-27T15:58:00+07:00", 1);
	id = new_ticket(st, NULL);
	assert_int_equal(uc3_records_load(&t, NULL, st, id), 0);
	assert_string_equal(t->deadline, "2026-11-30T07:33:00+07:00");
	uc3_ticket_free(t);
	free(id);
	uc3_store_free(st);
}

static void
new_commits_as_the_configured_user_at_uc3_now(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	char *id = new_ticket(st, NULL), *out;

	out = run("git --git-dir='%s' log -1 --format='%%an <%%ae>|%%cn <%%ce>|%%aI|%%s'",
		  uc3_store_gitdir(st));
	assert_string_equal(out, USER_NAME " <" USER_EMAIL ">|" USER_NAME " <" USER_EMAIL ">|" NOW
					   "|UC3-2026-0001: new keluhan: "
					   "Pembayaran UKT belum terverifikasi");
	free(out);
	free(id);
	uc3_store_free(st);
}

static void
new_reads_received_as_local_time_in_the_office_zone(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_ticket *t = NULL;
	char *id = new_ticket(st, "2026-11-27 06:00");

	assert_int_equal(uc3_records_load(&t, NULL, st, id), 0);
	assert_string_equal(t->received, "2026-11-27T06:00:00+07:00");
	/* Before opening: the step starts at 07:30. */
	assert_string_equal(t->deadline, "2026-11-27T07:35:00+07:00");
	uc3_ticket_free(t);
	free(id);
	uc3_store_free(st);
}

static void
new_refuses_received_in_the_future(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_new_input in = {
		.subject = "Jadwal wisuda",
		.kind = "pertanyaan",
		.channel = "telepon",
		.from = "Siti",
		.received = "2026-11-27T09:01:00+07:00",
		.body = "Kapan?\n",
		.body_len = 7,
	};
	char *id = NULL, *before = git_tip(uc3_store_gitdir(st)), *after;

	assert_int_equal(uc3_op_new(&id, st, &in, NULL), UC3_EINVAL);
	assert_null(id);
	assert_non_null(strstr(uc3_error_last(), "future"));
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(after, before);
	free(before);
	free(after);
	uc3_store_free(st);
}

static void
new_records_git_author_email_as_the_actor(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, true);
	struct uc3_ticket *t = NULL;
	char *id, *out;

	setenv("GIT_AUTHOR_NAME", "Wakor Dua", 1);
	setenv("GIT_AUTHOR_EMAIL", "wakor@example.ac.id", 1);
	id = new_ticket(st, NULL);
	assert_int_equal(uc3_records_load(&t, NULL, st, id), 0);
	assert_string_equal(t->events[0].by, "wakor@example.ac.id");
	out = run("git --git-dir='%s' log -1 --format='%%an <%%ae>'", uc3_store_gitdir(st));
	assert_string_equal(out, "Wakor Dua <wakor@example.ac.id>");
	free(out);
	uc3_ticket_free(t);
	free(id);
	uc3_store_free(st);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(new_allocates_sequential_ids),
		T(new_writes_an_open_ticket_at_staf_with_its_deadline),
		T(new_counts_deadline_on_the_business_calendar),
		T(new_commits_as_the_configured_user_at_uc3_now),
		T(new_reads_received_as_local_time_in_the_office_zone),
		T(new_refuses_received_in_the_future),
		T(new_records_git_author_email_as_the_actor),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
