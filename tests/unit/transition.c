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
#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "message.h"
#include "policy.h"
#include "ticket.h"
#include "transition.h"
#include "xalloc.h"

/*
 * The SOP's steps (lib/transition.h) under the default policy,
 * records/uc3.yaml (the tests run from the top of the source tree):
 * registering, the four steps, notices, and a step done again from what
 * it wrote.
 */

/* 2026-11-27T09:00:00+07:00, a Friday, in office hours. */
#define T_NINE ((time_t)1795744800)
#define ACTOR  "humas1@unej.ac.id"

static struct uc3_policy *
default_policy(void)
{
	struct uc3_policy *p = NULL;
	struct uc3_buf b = UC3_BUF_INIT;
	char chunk[4096];
	size_t n;
	FILE *f = fopen("records/uc3.yaml", "rb");

	if (!f)
		fail_msg("cannot read records/uc3.yaml: run from the top of the tree");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		uc3_buf_add(&b, chunk, n);
	fclose(f);
	if (uc3_policy_parse(&p, b.ptr, b.len, "uc3.yaml") < 0)
		fail_msg("uc3.yaml: %s", uc3_error_last());
	uc3_buf_release(&b);
	return p;
}

static int
setup(void **state)
{
	*state = default_policy();
	return 0;
}

static int
teardown(void **state)
{
	uc3_policy_free(*state);
	return 0;
}

/* What a person typed for uc3 new. */
static struct uc3_ticket *
typed(void)
{
	struct uc3_ticket *t = uc3_ticket_new();

	t->id = uc3_xstrdup("UC3-2026-0001");
	t->subject = uc3_xstrdup("Pembayaran UKT belum terverifikasi");
	t->kind = uc3_xstrdup("keluhan");
	t->channel = uc3_xstrdup("email");
	t->requester.name = uc3_xstrdup("  Siti Aminah ");
	t->requester.email = uc3_xstrdup("siti@example.com");
	t->body = uc3_xstrdup("Mohon dicek.\t\n\n\n");
	return t;
}

static struct uc3_ticket *
registered(const struct uc3_policy *p)
{
	struct uc3_ticket *in = typed(), *t = NULL;
	struct uc3_act a = { .policy = p, .actor = ACTOR, .now = T_NINE };

	if (uc3_transition_new(&t, in, &a, T_NINE) < 0)
		fail_msg("new: %s", uc3_error_last());
	uc3_ticket_free(in);
	return t;
}

static void
new_registers_an_open_ticket_at_the_bottom_with_one_event(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_buf due = UC3_BUF_INIT;
	time_t d;

	assert_int_equal(t->status, UC3_STATUS_OPEN);
	assert_string_equal(t->level, "staf");
	assert_string_equal(t->received, "2026-11-27T09:00:00+07:00");
	assert_int_equal(uc3_calendar_add(&d, &p->calendar, p->timezone, T_NINE, p->roles[0].step),
			 0);
	uc3_clock_format(&due, d, p->timezone);
	assert_string_equal(t->deadline, due.ptr);
	assert_string_equal(t->requester.name, "Siti Aminah");
	assert_string_equal(t->body, "Mohon dicek.\n");
	assert_int_equal(t->nevents, 1);
	assert_string_equal(t->events[0].action, "new");
	assert_string_equal(t->events[0].by, ACTOR);
	assert_null(t->events[0].step.name);
	uc3_buf_release(&due);
	uc3_ticket_free(t);
}

static void
new_refuses_a_blank_body_and_a_kind_not_in_the_policy(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *in = typed(), *t = NULL;
	struct uc3_act a = { .policy = p, .actor = ACTOR, .now = T_NINE };

	free(in->body);
	in->body = uc3_xstrdup(" \n\t\n");
	assert_int_equal(uc3_transition_new(&t, in, &a, T_NINE), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "the body is empty");
	assert_null(t);
	free(in->body);
	in->body = uc3_xstrdup("x\n");
	free(in->kind);
	in->kind = uc3_xstrdup("bogus");
	assert_int_equal(uc3_transition_new(&t, in, &a, T_NINE), UC3_EINVAL);
	assert_null(t);
	uc3_ticket_free(in);
}

static void
escalate_moves_up_one_role_and_records_the_step(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_ESCALATE,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .note = "perlu keputusan\n" };
	struct uc3_buf msg = UC3_BUF_INIT, want = UC3_BUF_INIT;
	const struct uc3_event *e;

	assert_int_equal(uc3_transition_apply(t, &a, &msg), 0);
	assert_string_equal(t->level, "wakor");
	assert_int_equal(t->nevents, 2);
	e = &t->events[1];
	assert_string_equal(e->action, "escalate");
	assert_string_equal(e->from, "staf");
	assert_string_equal(e->to, "wakor");
	assert_string_equal(e->note, "perlu keputusan");
	assert_string_equal(e->step.name, "staf");
	assert_false(e->step.late);
	uc3_message_step(&want, t);
	assert_string_equal(msg.ptr, want.ptr);
	uc3_buf_release(&msg);
	uc3_buf_release(&want);
	uc3_ticket_free(t);
}

static void
a_refused_step_leaves_the_ticket_unchanged(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = {
		.action = UC3_ACT_DELIVER, .policy = p, .actor = ACTOR, .now = T_NINE + 60
	};
	struct uc3_buf before = UC3_BUF_INIT, after = UC3_BUF_INIT, msg = UC3_BUF_INIT;

	uc3_ticket_format(&before, t);
	assert_int_equal(uc3_transition_check(t, &a), UC3_EDENIED);
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EDENIED);
	assert_string_equal(uc3_error_last(), "UC3-2026-0001 is open, not answered yet");
	uc3_ticket_format(&after, t);
	assert_string_equal(before.ptr, after.ptr);
	assert_int_equal(msg.len, 0);
	uc3_buf_release(&before);
	uc3_buf_release(&after);
	uc3_buf_release(&msg);
	uc3_ticket_free(t);
}

static void
check_takes_an_answer_whose_text_is_not_given_yet(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = {
		.action = UC3_ACT_ANSWER, .policy = p, .actor = ACTOR, .now = T_NINE + 60
	};
	struct uc3_buf msg = UC3_BUF_INIT;

	assert_int_equal(uc3_transition_check(t, &a), 0);
	assert_int_equal(t->nevents, 1);
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "no answer given");
	uc3_buf_release(&msg);
	uc3_ticket_free(t);
}

static void
a_step_before_the_last_event_is_refused(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = {
		.action = UC3_ACT_ESCALATE, .policy = p, .actor = ACTOR, .now = T_NINE - 60
	};

	assert_int_equal(uc3_transition_check(t, &a), UC3_EINVAL);
	uc3_ticket_free(t);
}

static void
replay_writes_what_the_step_wrote(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p), *again = registered(p);
	struct uc3_act a = { .action = UC3_ACT_ANSWER,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 120,
			     .text = "Sudah kami cek.\r\n" };
	struct uc3_buf m1 = UC3_BUF_INIT, m2 = UC3_BUF_INIT, f1 = UC3_BUF_INIT, f2 = UC3_BUF_INIT;
	struct uc3_act r = {
		.action = UC3_ACT_ANSWER, .policy = p, .actor = ACTOR, .now = T_NINE + 120
	};

	assert_int_equal(uc3_transition_apply(t, &a, &m1), 0);
	assert_int_equal(uc3_transition_replay(again, &m2, t, &r), 0);
	uc3_ticket_format(&f1, t);
	uc3_ticket_format(&f2, again);
	assert_string_equal(f1.ptr, f2.ptr);
	assert_string_equal(m1.ptr, m2.ptr);
	assert_int_equal(again->status, UC3_STATUS_ANSWERED);
	uc3_buf_release(&m1);
	uc3_buf_release(&m2);
	uc3_buf_release(&f1);
	uc3_buf_release(&f2);
	uc3_ticket_free(t);
	uc3_ticket_free(again);
}

static void
notice_is_recorded_once_per_person_and_step(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .policy = p, .actor = ACTOR, .now = T_NINE + 3600 };
	char *due = uc3_xstrdup(t->deadline);
	const struct uc3_event *e;

	assert_false(uc3_transition_notified(t, "wakor@x.id", "staf", due));
	uc3_transition_notice(t, &a, "wakor@x.id", "staf", due);
	assert_true(uc3_transition_notified(t, "WAKOR@x.id", "staf", due));
	assert_false(uc3_transition_notified(t, "wakor@x.id", "wakor", due));
	e = &t->events[t->nevents - 1];
	assert_string_equal(e->action, "notice");
	assert_string_equal(e->to, "wakor@x.id");
	assert_string_equal(e->at, "2026-11-27T10:00:00+07:00");
	assert_true(e->step.late);
	free(due);
	uc3_ticket_free(t);
}

static void
action_names_read_back(void **state)
{
	enum uc3_action a;

	assert_true(uc3_transition_action(&a, "close"));
	assert_int_equal(a, UC3_ACT_CLOSE);
	assert_string_equal(uc3_transition_action_name(a), "close");
	assert_false(uc3_transition_action(&a, "notice"));
	assert_false(uc3_transition_action(&a, NULL));
}

/* Add a person with one role (NULL: a service identity) to p. */
static void
add_person(struct uc3_policy *p, const char *email, const char *role)
{
	struct uc3_person *who;

	p->people = uc3_xrealloc(p->people, (p->npeople + 1) * sizeof(*p->people));
	who = &p->people[p->npeople++];
	memset(who, 0, sizeof(*who));
	who->email = uc3_xstrdup(email);
	if (role) {
		who->roles = uc3_xcalloc(1, sizeof(char *));
		who->roles[0] = uc3_xstrdup(role);
		who->nroles = 1;
	} else {
		who->service = true;
	}
}

static void
answer_by_a_higher_role_takes_the_step_over(void **state)
{
	struct uc3_policy *p = *state;
	struct uc3_ticket *t, *again;
	struct uc3_act a = { .policy = p, .now = T_NINE + 60 };
	struct uc3_buf msg = UC3_BUF_INIT, msg2 = UC3_BUF_INIT;
	const struct uc3_event *e;

	add_person(p, ACTOR, "staf");
	add_person(p, "koord@unej.ac.id", "koordinator");
	t = registered(p);
	/* at staf, the koordinator answers: the step is taken over */
	a.action = UC3_ACT_ANSWER;
	a.actor = "koord@unej.ac.id";
	a.text = "Sudah diverifikasi.";
	again = registered(p);
	assert_int_equal(uc3_transition_apply(t, &a, &msg), 0);
	assert_string_equal(t->level, "koordinator");
	e = &t->events[1];
	assert_string_equal(e->role, "koordinator");
	assert_string_equal(e->step.name, "staf");
	assert_true(e->step.taken_over);
	assert_false(e->step.late);
	assert_null(e->from);
	assert_non_null(
		strstr(msg.ptr, "UC3-2026-0001: answer at koordinator, taken over from staf\n"));
	assert_non_null(strstr(msg.ptr, "Level: koordinator\nTaken-Over-From: staf\nStep: staf\n"));
	/* the audit's replay writes the same */
	assert_int_equal(uc3_transition_replay(again, &msg2, t, &a), 0);
	assert_true(uc3_event_equal(&again->events[1], e));
	assert_string_equal(msg.ptr, msg2.ptr);
	uc3_ticket_free(again);
	uc3_ticket_free(t);
	/* the staf answering its own: no role, nothing taken over */
	uc3_buf_reset(&msg);
	t = registered(p);
	a.actor = ACTOR;
	assert_int_equal(uc3_transition_apply(t, &a, &msg), 0);
	assert_string_equal(t->level, "staf");
	assert_null(t->events[1].role);
	assert_false(t->events[1].step.taken_over);
	assert_null(strstr(msg.ptr, "Taken-Over"));
	uc3_ticket_free(t);
	uc3_buf_release(&msg);
	uc3_buf_release(&msg2);
}

static void
a_service_identity_records_notices_and_nothing_else(void **state)
{
	struct uc3_policy *p = *state;
	struct uc3_ticket *t;
	struct uc3_act a = { .policy = p, .actor = "cron@unej.ac.id", .now = T_NINE + 60 };
	struct uc3_buf msg = UC3_BUF_INIT;
	enum uc3_action act;

	add_person(p, ACTOR, "kabiro");
	add_person(p, "cron@unej.ac.id", NULL);
	t = registered(p);
	assert_int_equal(uc3_transition_may_register(p, "cron@unej.ac.id"), UC3_EDENIED);
	assert_non_null(strstr(uc3_error_last(), "cron@unej.ac.id is a service identity"));
	for (act = UC3_ACT_ESCALATE; act <= UC3_ACT_CLOSE; act++)
		assert_int_equal(uc3_transition_allowed(t, p, act, "cron@unej.ac.id"), UC3_EDENIED);
	a.action = UC3_ACT_ESCALATE;
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EDENIED);
	assert_int_equal(t->nevents, 1);
	assert_int_equal(uc3_transition_may_notify(p, "cron@unej.ac.id"), 0);
	assert_int_equal(uc3_transition_may_notify(p, ACTOR), 0);
	assert_int_equal(uc3_transition_may_notify(p, "orang@lain.id"), UC3_EDENIED);
	assert_int_equal(uc3_transition_may_register(p, ACTOR), 0);
	uc3_ticket_free(t);
	uc3_buf_release(&msg);
}

static void
holder_is_the_level_while_open_then_the_bottom_of_the_chain(void **state)
{
	const struct uc3_policy *p = *state;

	assert_string_equal(uc3_transition_holder(p, UC3_STATUS_OPEN, "staf"), "staf");
	assert_string_equal(uc3_transition_holder(p, UC3_STATUS_OPEN, "koordinator"),
			    "koordinator");
	/* Answered high up: delivering and archiving are the front desk's. */
	assert_string_equal(uc3_transition_holder(p, UC3_STATUS_ANSWERED, "kabiro"), "staf");
	assert_string_equal(uc3_transition_holder(p, UC3_STATUS_DELIVERED, "wakor"), "staf");
	assert_null(uc3_transition_holder(p, UC3_STATUS_CLOSED, "staf"));
}

static void
time_left_reads_in_office_days(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_calendar_span left;
	struct uc3_buf b = UC3_BUF_INIT;
	time_t wed = 0;

	/* Due Friday 09:05; Wednesday 10:30 is three office days and 1h 25m later. */
	assert_int_equal(uc3_clock_parse(&wed, "2026-12-02T10:30:00+07:00", NULL), 0);
	assert_int_equal(uc3_transition_time_left(&left, t, p, wed), 0);
	assert_int_equal(left.total, -(3 * 510 + 85) * 60L);
	uc3_transition_format_left(&b, &left);
	assert_string_equal(b.ptr, "late by 3d 1h 25m");
	uc3_buf_reset(&b);
	assert_int_equal(uc3_transition_time_left(&left, t, p, T_NINE), 0);
	uc3_transition_format_left(&b, &left);
	assert_string_equal(b.ptr, "5m left");
	uc3_buf_release(&b);
	uc3_ticket_free(t);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(new_registers_an_open_ticket_at_the_bottom_with_one_event),
		T(new_refuses_a_blank_body_and_a_kind_not_in_the_policy),
		T(escalate_moves_up_one_role_and_records_the_step),
		T(a_refused_step_leaves_the_ticket_unchanged),
		T(check_takes_an_answer_whose_text_is_not_given_yet),
		T(a_step_before_the_last_event_is_refused),
		T(replay_writes_what_the_step_wrote),
		T(notice_is_recorded_once_per_person_and_step),
		T(action_names_read_back),
		T(answer_by_a_higher_role_takes_the_step_over),
		T(a_service_identity_records_notices_and_nothing_else),
		T(holder_is_the_level_while_open_then_the_bottom_of_the_chain),
		T(time_left_reads_in_office_days),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
