#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "clock.h"
#include "overdue.h"
#include "repo.h"

/*
 * Late steps (lib/overdue.h): the scan over a records repository made in
 * process (records.h), and whom a late step is told to.
 */

static time_t
at(const char *when)
{
	time_t t;

	if (uc3_clock_parse(&t, when, NULL) < 0)
		fail_msg("%s: %s", when, uc3_error_last());
	return t;
}

static void
scan_finds_a_step_past_its_deadline(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_overdue o;
	char *id = new_ticket(st, NULL);

	/* Registered at 09:00; the staf step takes 5 minutes. */
	assert_int_equal(uc3_overdue_scan(&o, st, at("2026-11-27T09:10:00+07:00"), 0), 0);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.items[0].id, id);
	assert_string_equal(o.items[0].step, "staf");
	assert_string_equal(o.items[0].role, "staf");
	assert_true(o.items[0].breach);
	assert_int_equal(o.items[0].left, -300);
	assert_int_equal(o.nbroken, 0);
	uc3_overdue_release(&o);
	free(id);
	uc3_store_free(st);
}

static void
scan_warns_of_a_step_due_soon_only_when_asked(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_overdue o;
	char *id = new_ticket(st, NULL);

	assert_int_equal(uc3_overdue_scan(&o, st, at("2026-11-27T09:02:00+07:00"), 0), 0);
	assert_int_equal(o.n, 0);
	uc3_overdue_release(&o);
	assert_int_equal(uc3_overdue_scan(&o, st, at("2026-11-27T09:02:00+07:00"), 600), 0);
	assert_int_equal(o.n, 1);
	assert_false(o.items[0].breach);
	assert_int_equal(o.items[0].left, 180);
	uc3_overdue_release(&o);
	free(id);
	uc3_store_free(st);
}

static void
scan_leaves_out_what_was_answered_in_time(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_overdue o;
	struct uc3_act a = { .action = UC3_ACT_ANSWER, .text = "Sudah.\n" };
	struct uc3_write_result res;
	char *id = new_ticket(st, NULL);

	setenv("UC3_NOW", "2026-11-27T09:01:00+07:00", 1);
	if (uc3_op_transition(st, id, &a, NULL, &res) < 0)
		fail_msg("answer: %s", uc3_error_last());
	uc3_write_result_release(&res);
	/* The deliver step (5 minutes from 09:01) is what is late now. */
	assert_int_equal(uc3_overdue_scan(&o, st, at("2026-11-27T09:10:00+07:00"), 0), 0);
	assert_int_equal(o.n, 1);
	assert_string_equal(o.items[0].step, "deliver");
	assert_string_equal(o.items[0].role, "staf");
	uc3_overdue_release(&o);
	free(id);
	uc3_store_free(st);
}

static void
recipients_are_the_holders_and_the_next_up(void **state)
{
	static const char people[] = "people:\n"
				     "  - {email: humas1@x.id, roles: [staf]}\n"
				     "  - {email: wakor@x.id, roles: [wakor]}\n"
				     "  - {email: kabiro@x.id, roles: [kabiro]}\n";
	struct fx *fx = *state;
	struct uc3_buf y = UC3_BUF_INIT;
	struct uc3_policy *p = NULL;
	struct uc3_late item = { .role = (char *)"staf", .breach = true };
	const char *cut = strstr(fx->policy.ptr, "people: []");
	char **to = NULL;
	size_t n = 0, i;

	assert_non_null(cut);
	uc3_buf_add(&y, fx->policy.ptr, (size_t)(cut - fx->policy.ptr));
	uc3_buf_adds(&y, people);
	uc3_buf_adds(&y, strchr(cut, '\n') + 1);
	if (uc3_policy_parse(&p, y.ptr, y.len, "uc3.yaml") < 0)
		fail_msg("%s", uc3_error_last());
	uc3_overdue_recipients(&to, &n, p, &item);
	assert_int_equal(n, 2);
	assert_string_equal(to[0], "humas1@x.id");
	assert_string_equal(to[1], "wakor@x.id");
	for (i = 0; i < n; i++)
		free(to[i]);
	free(to);
	/* A warning goes to the holders alone. */
	to = NULL;
	n = 0;
	item.breach = false;
	uc3_overdue_recipients(&to, &n, p, &item);
	assert_int_equal(n, 1);
	assert_string_equal(to[0], "humas1@x.id");
	free(to[0]);
	free(to);
	uc3_policy_free(p);
	uc3_buf_release(&y);
}

/* The default policy with "  KEY: off" of notify set to value. */
static struct uc3_policy *
policy_with(struct fx *fx, const char *key, const char *value)
{
	struct uc3_buf y = UC3_BUF_INIT, k = UC3_BUF_INIT;
	struct uc3_policy *p = NULL;
	const char *cut;

	uc3_buf_addf(&k, "\n  %s: ", key);
	cut = strstr(fx->policy.ptr, k.ptr);
	assert_non_null(cut);
	cut += k.len;
	uc3_buf_add(&y, fx->policy.ptr, (size_t)(cut - fx->policy.ptr));
	uc3_buf_adds(&y, value);
	uc3_buf_adds(&y, strchr(cut, ' '));
	if (uc3_policy_parse(&p, y.ptr, y.len, "uc3.yaml") < 0)
		fail_msg("%s", uc3_error_last());
	uc3_buf_release(&y);
	uc3_buf_release(&k);
	return p;
}

static void
warn_share_is_reached_at_its_exact_point(void **state)
{
	struct uc3_policy *p = policy_with(*state, "warn", "80%");
	struct uc3_late item = { .step_time = 300, .left = 61 };

	assert_false(uc3_overdue_warn_due(p, &item));
	item.left = 60; /* 240 of 300 seconds used: 80% */
	assert_true(uc3_overdue_warn_due(p, &item));
	item.left = 0;
	assert_true(uc3_overdue_warn_due(p, &item));
	item.breach = true; /* a breach is no warning */
	assert_false(uc3_overdue_warn_due(p, &item));
	/* the longest step of the policy: koordinator's 2h */
	assert_int_equal(uc3_overdue_warn_window(p), 7200);
	uc3_policy_free(p);
}

static void
warn_before_counts_the_time_left(void **state)
{
	struct uc3_policy *p = policy_with(*state, "warn", "10m");
	struct uc3_late item = { .step_time = 3600, .left = 601 };

	assert_false(uc3_overdue_warn_due(p, &item));
	item.left = 600;
	assert_true(uc3_overdue_warn_due(p, &item));
	assert_int_equal(uc3_overdue_warn_window(p), 600);
	uc3_policy_free(p);
}

static void
warnings_off_warn_of_nothing(void **state)
{
	struct fx *fx = *state;
	struct uc3_policy *p = NULL;
	struct uc3_late item = { .step_time = 300, .left = 1 };

	if (uc3_policy_parse(&p, fx->policy.ptr, fx->policy.len, "uc3.yaml") < 0)
		fail_msg("%s", uc3_error_last());
	assert_false(uc3_overdue_warn_due(p, &item));
	assert_int_equal(uc3_overdue_warn_window(p), 0);
	assert_false(uc3_overdue_digest_due(p, at("2026-11-27T12:00:00+07:00"), NULL));
	uc3_policy_free(p);
}

static void
digest_is_due_on_office_days_from_its_time(void **state)
{
	struct uc3_policy *p = policy_with(*state, "digest", "07:30");
	time_t mid = 0;

	assert_false(uc3_overdue_digest_due(p, at("2026-11-27T07:29:59+07:00"), NULL));
	assert_true(uc3_overdue_digest_due(p, at("2026-11-27T07:30:00+07:00"), &mid));
	assert_true(mid == at("2026-11-27T00:00:00+07:00"));
	assert_true(uc3_overdue_digest_due(p, at("2026-11-27T23:59:00+07:00"), NULL));
	/* Saturday, Sunday: no office day */
	assert_false(uc3_overdue_digest_due(p, at("2026-11-28T09:00:00+07:00"), NULL));
	assert_false(uc3_overdue_digest_due(p, at("2026-11-29T09:00:00+07:00"), NULL));
	/* a holiday of the default policy: Christmas */
	assert_false(uc3_overdue_digest_due(p, at("2026-12-25T09:00:00+07:00"), NULL));
	assert_true(uc3_overdue_digest_due(p, at("2026-11-30T09:00:00+07:00"), NULL));
	uc3_policy_free(p);
}

static void
pending_flags_note_what_may_be_owed(void **state)
{
	struct uc3_ticket t = { 0 };
	struct uc3_event ev[3] = { 0 };
	char f[3];

	(void)state;
	t.status = UC3_STATUS_OPEN;
	t.level = (char *)"wakor";
	t.deadline = (char *)"2026-11-27T10:01:00+07:00";
	t.events = ev;
	ev[0].action = (char *)"new";
	t.nevents = 1;
	uc3_overdue_pending_flags(f, &t);
	assert_string_equal(f, "");
	t.requester.email = (char *)"siti@example.com";
	uc3_overdue_pending_flags(f, &t);
	assert_string_equal(f, "a");
	ev[1].action = (char *)"escalate";
	ev[1].to = (char *)"wakor";
	t.nevents = 2;
	uc3_overdue_pending_flags(f, &t);
	assert_string_equal(f, "ae");
	ev[2].action = (char *)"notice";
	ev[2].about = (char *)"escalated";
	ev[2].to = (char *)"wakor@x.id";
	ev[2].step.name = (char *)"wakor";
	ev[2].step.due = t.deadline;
	t.nevents = 3;
	uc3_overdue_pending_flags(f, &t);
	assert_string_equal(f, "a");
	ev[2].about = (char *)"received";
	ev[2].to = t.requester.email;
	uc3_overdue_pending_flags(f, &t);
	assert_string_equal(f, "e");
	t.status = UC3_STATUS_ANSWERED;
	uc3_overdue_pending_flags(f, &t);
	assert_string_equal(f, "");
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(scan_finds_a_step_past_its_deadline),
		T(scan_warns_of_a_step_due_soon_only_when_asked),
		T(scan_leaves_out_what_was_answered_in_time),
		T(recipients_are_the_holders_and_the_next_up),
		T(warn_share_is_reached_at_its_exact_point),
		T(warn_before_counts_the_time_left),
		T(warnings_off_warn_of_nothing),
		T(digest_is_due_on_office_days_from_its_time),
		T(pending_flags_note_what_may_be_owed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
