#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "message.h"
#include "repo.h"
#include "reserve.h"
#include "store_int.h"
#include "verify.h"

/*
 * Ticket numbers set aside for offline use: reserved.yaml read and
 * written (reserve.h), the numbers online and offline writes give
 * (records.h), uc3_op_reserve (ops.h), and the audit of the file.
 */

#define BLOCK                                                                                      \
	"- {year: 2026, first: 101, last: 120, clone: \"0123456789ab\", by: \"a\\\"b@x.id\", "     \
	"at: \"2026-12-02T09:00:00+07:00\"}\n"

static void
the_file_reads_back_what_is_written(void **state)
{
	struct uc3_reserve_block b = { 2026,	       101,	    120,
				       "0123456789ab", "a\"b@x.id", "2026-12-02T09:00:00+07:00" };
	struct uc3_reserve r;
	struct uc3_buf out = UC3_BUF_INIT;

	(void)state;
	uc3_reserve_header(&out);
	assert_int_equal(uc3_reserve_format_block(&out, &b), 0);
	assert_non_null(strstr(out.ptr, BLOCK));
	assert_int_equal(uc3_reserve_parse(&r, out.ptr, out.len, UC3_RESERVE_FILE), 0);
	assert_int_equal(r.n, 1);
	assert_int_equal(r.blocks[0].year, 2026);
	assert_int_equal(r.blocks[0].first, 101);
	assert_int_equal(r.blocks[0].last, 120);
	assert_string_equal(r.blocks[0].by, "a\"b@x.id");
	assert_int_equal(uc3_reserve_top(&r, 2026), 120);
	assert_int_equal(uc3_reserve_top(&r, 2025), 0);
	assert_non_null(uc3_reserve_holding(&r, 2026, 120));
	assert_null(uc3_reserve_holding(&r, 2026, 121));
	uc3_reserve_release(&r);
	b.clone = "0123456789AB";
	assert_int_equal(uc3_reserve_format_block(&out, &b), UC3_EINVAL);
	uc3_buf_release(&out);
}

static void
a_broken_file_is_refused_with_its_line(void **state)
{
	static const struct {
		const char *data, *what;
	} bad[] = {
		{ "# c\n- {year: 2026, first: 0, last: 2, clone: \"0123456789ab\", by: a@x.id, "
		  "at: \"2026-12-02T09:00:00+07:00\"}\n",
		  "reserved.yaml:2:23: first '0' is not a ticket number" },
		{ BLOCK "- {year: 2026, first: 5, last: 4, clone: \"0123456789ab\", by: a@x.id, "
			"at: \"2026-12-02T09:00:00+07:00\"}\n",
		  "reserved.yaml:2:32: last '4'" },
		{ "- {year: 2026, first: 1, last: 4, clone: \"x\", by: a@x.id, "
		  "at: \"2026-12-02T09:00:00+07:00\"}\n",
		  "reserved.yaml:1:42: clone 'x'" },
		{ "- {year: 2026, first: 1, last: 4, clone: \"0123456789ab\", by: a@x.id}\n",
		  "reserved.yaml:1:3: the block has no at" },
		{ "- {year: 2026, first: 1, last: 4, clone: \"0123456789ab\", by: a@x.id, at: now, "
		  "why: x}\n",
		  "'why' is not a field" },
		{ "year: 2026\n", "reserved.yaml:1:1: not a list" },
	};
	struct uc3_reserve r;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(uc3_reserve_parse(&r, bad[i].data, strlen(bad[i].data),
						   UC3_RESERVE_FILE),
				 UC3_EINVAL);
		if (!strstr(uc3_error_last(), bad[i].what))
			fail_msg("%zu: '%s' does not say '%s'", i, uc3_error_last(), bad[i].what);
		assert_int_equal(r.n, 0);
	}
}

/* A records repository whose policy sets aside blocks of n numbers. */
static struct uc3_store *
records_with_blocks(struct fx *fx, long n)
{
	static const char at[] = "  fetch_after: 1m\n";
	char *pos = strstr(fx->policy.ptr, at);
	struct uc3_buf p = UC3_BUF_INIT;

	assert_non_null(pos);
	uc3_buf_add(&p, fx->policy.ptr, (size_t)(pos - fx->policy.ptr) + strlen(at));
	uc3_buf_addf(&p, "  offline_ids: %ld\n", n);
	uc3_buf_adds(&p, pos + strlen(at));
	uc3_buf_release(&fx->policy);
	fx->policy = p;
	return new_records(fx, false);
}

/* uc3_op_reserve for 2026: its return, and what it said (checked, then freed). */
static int
reserve(struct uc3_store *st, const char *want_said)
{
	char *said = NULL;
	int rc = uc3_op_reserve(st, 2026, &said);

	if (rc < 0)
		fail_msg("uc3_op_reserve: %s", uc3_error_last());
	if (want_said) {
		assert_non_null(said);
		assert_string_equal(said, want_said);
	} else {
		assert_null(said);
	}
	free(said);
	return rc;
}

static void
online_numbers_skip_every_block(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	char *log, *file, *clone;

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_int_equal(reserve(st, "set aside UC3-2026-0002 to UC3-2026-0021 for tickets "
				     "registered offline"),
			 1);
	log = run("git -C '%s' log -1 --format=%%B", fx->repo);
	assert_string_equal(log, "reserve UC3-2026-0002 to UC3-2026-0021 for offline use\n\n"
				 "Action: reserve\nReserved: UC3-2026-0002..UC3-2026-0021");
	free(log);
	log = run("git -C '%s' show --format= --name-only HEAD", fx->repo);
	assert_string_equal(log, "reserved.yaml");
	free(log);
	clone = run("git -C '%s' config --local uc3.clone", fx->repo);
	assert_true(uc3_reserve_clone_ok(clone));
	file = committed(fx, UC3_RESERVE_FILE);
	assert_non_null(strstr(file, "first: 2, last: 21"));
	assert_non_null(strstr(file, clone));
	assert_non_null(strstr(file, "by: \"" USER_EMAIL "\", at: \"2026-11-27T09:00:00+07:00\""));
	free(file);
	free(clone);
	assert_new_ticket(st, NULL, "UC3-2026-0022");
	/* Another year has no block: its numbers start at 1. */
	assert_new_ticket(st, "2025-12-31T10:00:00+07:00", "UC3-2025-0001");
	uc3_store_free(st);
	/* The remembered numbers do not hide the block from a fresh store either. */
	st = open_records(fx);
	assert_new_ticket(st, NULL, "UC3-2026-0023");
	uc3_store_free(st);
}

static void
offline_takes_from_its_own_block_and_runs_out(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = records_with_blocks(fx, 2);
	char *id = NULL, *tip, *after;
	struct uc3_new_input in = { .subject = "s",
				    .kind = "keluhan",
				    .channel = "email",
				    .from = "s@x.id",
				    .body = "b",
				    .body_len = 1 };

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_int_equal(reserve(st, "set aside UC3-2026-0002 to UC3-2026-0003 for tickets "
				     "registered offline"),
			 1);
	/* A write made offline ends offline: each one is marked so again. */
	st->offline = true;
	assert_new_ticket(st, NULL, "UC3-2026-0002");
	st->offline = true;
	assert_new_ticket(st, NULL, "UC3-2026-0003");
	tip = git_tip(uc3_store_gitdir(st));
	st->offline = true;
	assert_int_equal(uc3_op_new(&id, st, &in, NULL), UC3_EINVAL);
	assert_string_equal(uc3_error_last(),
			    "no ticket numbers set aside for offline use in 2026 are left "
			    "(central.offline_ids); uc3 sync sets some aside while the central "
			    "repository can be reached; nothing was recorded");
	assert_null(id);
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(tip, after);
	/* Back online, the next number is above the block and its tickets. */
	st->offline = false;
	assert_new_ticket(st, NULL, "UC3-2026-0004");
	free(tip);
	free(after);
	uc3_store_free(st);
}

static void
a_clone_without_a_block_has_none_offline(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	char *id = NULL, *before, *after;
	struct uc3_new_input in = { .subject = "s",
				    .kind = "keluhan",
				    .channel = "email",
				    .from = "s@x.id",
				    .body = "b",
				    .body_len = 1 };

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	st->offline = true;
	before = git_tip(uc3_store_gitdir(st));
	assert_int_equal(uc3_op_new(&id, st, &in, NULL), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "no ticket numbers were set aside for offline "
						 "use in 2026 (central.offline_ids)"));
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(before, after);
	free(before);
	free(after);
	uc3_store_free(st);
}

static void
a_block_is_set_aside_when_less_than_half_is_left(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = records_with_blocks(fx, 4);
	char *before, *after;

	assert_int_equal(reserve(st, "set aside UC3-2026-0001 to UC3-2026-0004 for tickets "
				     "registered offline"),
			 1);
	before = git_tip(uc3_store_gitdir(st));
	assert_int_equal(reserve(st, NULL), 0);
	st->offline = true;
	assert_new_ticket(st, NULL, "UC3-2026-0001");
	st->offline = true;
	assert_new_ticket(st, NULL, "UC3-2026-0002");
	/* Half a block left: nothing to do. */
	free(before);
	before = git_tip(uc3_store_gitdir(st));
	assert_int_equal(reserve(st, NULL), 0);
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(before, after);
	free(after);
	st->offline = true;
	assert_new_ticket(st, NULL, "UC3-2026-0003");
	assert_int_equal(reserve(st, "set aside UC3-2026-0005 to UC3-2026-0008 for tickets "
				     "registered offline"),
			 1);
	st->offline = true;
	assert_new_ticket(st, NULL, "UC3-2026-0004");
	st->offline = true;
	assert_new_ticket(st, NULL, "UC3-2026-0005");
	free(before);
	uc3_store_free(st);
}

struct by_hand {
	const char *path, *data, *message;
};

static int
by_hand_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct by_hand *h = ctx;

	(void)st;
	uc3_buf_adds(uc3_write_add(w, h->path), h->data);
	uc3_buf_adds(&w->message, h->message);
	return 0;
}

static void
by_hand(struct uc3_store *st, const char *path, const char *data, const char *message)
{
	struct by_hand h = { path, data, message };

	if (uc3_store_write(st, by_hand_edit, &h, NULL) < 0)
		fail_msg("%s", uc3_error_last());
}

static void
a_broken_file_stops_uc3_new(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	char *id = NULL, *before, *after;
	struct uc3_new_input in = { .subject = "s",
				    .kind = "keluhan",
				    .channel = "email",
				    .from = "s@x.id",
				    .body = "b",
				    .body_len = 1 };

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	by_hand(st, UC3_RESERVE_FILE, "- {year: 2026, first: 2, last: 21}\n", "hand edit\n");
	before = git_tip(uc3_store_gitdir(st));
	assert_int_equal(uc3_op_new(&id, st, &in, NULL), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(),
			       "reserved.yaml:1:3: the block has no clone; "
			       "the ticket numbers set aside for offline use "
			       "cannot be read, so no number can be given safely"));
	assert_int_equal(uc3_op_reserve(st, 2026, NULL), UC3_EINVAL);
	after = git_tip(uc3_store_gitdir(st));
	assert_string_equal(before, after);
	free(before);
	free(after);
	uc3_store_free(st);
}

/* The findings of an audit of the whole history, each checked for want[i]. */
static void
audit_finds(struct uc3_store *st, const char *const *want, size_t n)
{
	struct uc3_verify_opts o = { .skew = 300 };
	struct uc3_verify_result r;
	size_t i;

	if (uc3_verify(&r, st, &o) < 0)
		fail_msg("verify: %s", uc3_error_last());
	for (i = 0; i < r.nfindings; i++)
		fprintf(stderr, "# finding: %s\n", r.findings[i].what);
	assert_int_equal(r.nfindings, n);
	for (i = 0; i < n; i++)
		if (!strstr(r.findings[i].what, want[i]))
			fail_msg("finding %zu is '%s', not '%s'", i, r.findings[i].what, want[i]);
	uc3_verify_result_release(&r);
}

static void
the_audit_checks_every_block(void **state)
{
	struct fx *fx = *state;
	struct uc3_store *st = new_records(fx, false);
	struct uc3_buf file = UC3_BUF_INIT, msg = UC3_BUF_INIT;
	char *have;
	static const char *const want[] = {
		"sets aside UC3-2026-0003 to UC3-2026-0004, but an earlier block of 2026 goes up "
		"to 21",
		"sets aside UC3-2026-0003 to UC3-2026-0004, but the tickets of 2026 already go "
		"up to 22",
		"sets aside 2 numbers, where central.offline_ids in the policy before it gives 20",
		"rewrites reserved.yaml",
		"registers UC3-2026-0010, a number set aside for offline use (2026: 2 to 21",
		"sets aside UC3-2026-0500 to UC3-2026-0519, but the next number of 2026 is 23",
		"reserved.yaml:8:33: the block 23 to 1023 has 1001 numbers; a block has 1 to 1000",
	};

	assert_new_ticket(st, NULL, "UC3-2026-0001");
	assert_int_equal(reserve(st, "set aside UC3-2026-0002 to UC3-2026-0021 for tickets "
				     "registered offline"),
			 1);
	assert_new_ticket(st, NULL, "UC3-2026-0022");
	audit_finds(st, NULL, 0);
	have = committed(fx, UC3_RESERVE_FILE);
	/* Overlapping the earlier block and the tickets. */
	uc3_buf_addf(&file,
		     "%s- {year: 2026, first: 3, last: 4, clone: \"0123456789ab\", by: \"%s\", "
		     "at: \"2026-11-27T09:00:00+07:00\"}\n",
		     have, USER_EMAIL);
	uc3_message_reserve(&msg, "UC3-2026-0003", "UC3-2026-0004");
	by_hand(st, UC3_RESERVE_FILE, file.ptr, msg.ptr);
	/* An earlier block rewritten. */
	by_hand(st, UC3_RESERVE_FILE, have, msg.ptr);
	/* An online ticket takes a number of the block: 0022 again, as 0010. */
	{
		struct uc3_buf t = UC3_BUF_INIT;
		char *ticket = committed(fx, "tickets/2026/11/UC3-2026-0022.yaml");
		char *m = run("git -C '%s' log -1 --format=%%B -- tickets", fx->repo);
		char *p;

		uc3_buf_adds(&t, ticket);
		while ((p = strstr(t.ptr, "UC3-2026-0022")))
			memcpy(p, "UC3-2026-0010", 13);
		while ((p = strstr(m, "UC3-2026-0022")))
			memcpy(p, "UC3-2026-0010", 13);
		by_hand(st, "tickets/2026/11/UC3-2026-0010.yaml", t.ptr, m);
		uc3_buf_release(&t);
		free(ticket);
		free(m);
	}
	/*
	 * Far above the next number: every later online id would go above it
	 * (near the highest number, the year's numbers would run out).
	 */
	uc3_buf_reset(&file);
	uc3_buf_reset(&msg);
	uc3_buf_addf(&file,
		     "%s- {year: 2026, first: 500, last: 519, clone: \"0123456789ab\", by: "
		     "\"%s\", at: \"2026-11-27T09:00:00+07:00\"}\n",
		     have, USER_EMAIL);
	uc3_message_reserve(&msg, "UC3-2026-0500", "UC3-2026-0519");
	by_hand(st, UC3_RESERVE_FILE, file.ptr, msg.ptr);
	/* Too big (appended to the file as it stands now). */
	uc3_buf_reset(&msg);
	uc3_buf_addf(&file,
		     "- {year: 2026, first: 23, last: 1023, clone: \"0123456789ab\", by: "
		     "\"%s\", at: \"2026-11-27T09:00:00+07:00\"}\n",
		     USER_EMAIL);
	uc3_message_reserve(&msg, "UC3-2026-0023", "UC3-2026-1023");
	by_hand(st, UC3_RESERVE_FILE, file.ptr, msg.ptr);
	audit_finds(st, want, sizeof(want) / sizeof(want[0]));
	free(have);
	uc3_buf_release(&file);
	uc3_buf_release(&msg);
	uc3_store_free(st);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(the_file_reads_back_what_is_written),
		T(a_broken_file_is_refused_with_its_line),
		T(online_numbers_skip_every_block),
		T(offline_takes_from_its_own_block_and_runs_out),
		T(a_clone_without_a_block_has_none_offline),
		T(a_block_is_set_aside_when_less_than_half_is_left),
		T(a_broken_file_stops_uc3_new),
		T(the_audit_checks_every_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
