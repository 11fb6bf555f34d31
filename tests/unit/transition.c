#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"

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

static int
setup(void **state)
{
	*state = default_policy_with(NULL);
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

	assert_false(uc3_transition_notified(t, "wakor@x.id", NULL, "staf", due));
	uc3_transition_notice(t, &a, &(struct uc3_notice){ "wakor@x.id", NULL, "staf", due, NULL });
	assert_true(uc3_transition_notified(t, "WAKOR@x.id", NULL, "staf", due));
	assert_false(uc3_transition_notified(t, "wakor@x.id", NULL, "wakor", due));
	assert_false(uc3_transition_notified(t, "wakor@x.id", UC3_ABOUT_WARNING, "staf", due));
	e = &t->events[t->nevents - 1];
	assert_string_equal(e->action, "notice");
	assert_string_equal(e->to, "wakor@x.id");
	assert_string_equal(e->at, "2026-11-27T10:00:00+07:00");
	assert_true(e->step.late);
	free(due);
	uc3_ticket_free(t);
}

/*
 * The corrections: edit, reopen, close as spam or duplicate.
 */

/* The default policy with people, one for each role, and a staf who is also wakor. */
static struct uc3_policy *
policy_with_people(void)
{
	static const char people[] = "people:\n"
				     "  - {email: staf@x.id, roles: [staf]}\n"
				     "  - {email: wakor@x.id, roles: [wakor]}\n"
				     "  - {email: koord@x.id, roles: [koordinator]}\n"
				     "  - {email: kabiro@x.id, roles: [kabiro]}\n";
	struct uc3_policy *p = NULL;
	struct uc3_buf b = UC3_BUF_INIT;
	char chunk[4096], *at;
	size_t n;
	FILE *f = fopen("records/uc3.yaml", "rb");

	if (!f)
		fail_msg("cannot read records/uc3.yaml: run from the top of the tree");
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		uc3_buf_add(&b, chunk, n);
	fclose(f);
	at = strstr(b.ptr, "people: []");
	assert_non_null(at);
	memset(at, ' ', strlen("people: []"));
	uc3_buf_adds(&b, people);
	if (uc3_policy_parse(&p, b.ptr, b.len, "uc3.yaml") < 0)
		fail_msg("uc3.yaml: %s", uc3_error_last());
	uc3_buf_release(&b);
	return p;
}

/* Apply a to t, which must work; returns the commit message (free()). */
static char *
apply_ok(struct uc3_ticket *t, const struct uc3_act *a)
{
	struct uc3_buf msg = UC3_BUF_INIT;

	if (uc3_transition_apply(t, a, &msg) < 0)
		fail_msg("%s: %s", uc3_transition_action_name(a->action), uc3_error_last());
	return uc3_buf_detach(&msg);
}

/* Apply a to t, which must be refused with rc and exactly why; t unchanged. */
static void
refused(struct uc3_ticket *t, const struct uc3_act *a, int rc, const char *why)
{
	struct uc3_buf before = UC3_BUF_INIT, after = UC3_BUF_INIT, msg = UC3_BUF_INIT;

	uc3_ticket_format(&before, t);
	assert_int_equal(uc3_transition_check(t, a), rc);
	assert_string_equal(uc3_error_last(), why);
	assert_int_equal(uc3_transition_apply(t, a, &msg), rc);
	assert_string_equal(uc3_error_last(), why);
	assert_int_equal(msg.len, 0);
	uc3_ticket_format(&after, t);
	assert_string_equal(before.ptr, after.ptr);
	uc3_buf_release(&before);
	uc3_buf_release(&after);
	uc3_buf_release(&msg);
}

/* t answered at 09:03 and delivered at 09:06. */
static void
answer_and_deliver(struct uc3_ticket *t, const struct uc3_policy *p)
{
	struct uc3_act a = { .action = UC3_ACT_ANSWER,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 180,
			     .text = "Sudah terverifikasi.\n" };

	free(apply_ok(t, &a));
	a.action = UC3_ACT_DELIVER;
	a.now = T_NINE + 360;
	a.text = NULL;
	free(apply_ok(t, &a));
}

static void
edit_sets_the_fields_and_keeps_old_and_new_values_in_the_event(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	const struct uc3_edit edits[] = {
		{ "unit", "  Bagian Keuangan " },
		{ "subject", "Pembayaran UKT" },
		{ "body", "Mohon dicek.\r\nTerima kasih.\r\n" },
		{ "requester.email", "siti@example.com" }, /* the same: not a change */
		{ "kind", "pertanyaan" },
	};
	struct uc3_act a = { .action = UC3_ACT_EDIT,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .note = "Salah ketik.",
			     .edits = edits,
			     .nedits = 5 };
	char *deadline = uc3_xstrdup(t->deadline), *msg;
	const struct uc3_event *e;
	struct uc3_buf line = UC3_BUF_INIT;

	msg = apply_ok(t, &a);
	assert_string_equal(t->unit, "Bagian Keuangan");
	assert_string_equal(t->subject, "Pembayaran UKT");
	assert_string_equal(t->kind, "pertanyaan");
	assert_string_equal(t->body, "Mohon dicek.\nTerima kasih.\n");
	assert_int_equal(t->status, UC3_STATUS_OPEN);
	assert_string_equal(t->level, "staf");
	assert_string_equal(t->deadline, deadline);
	e = &t->events[1];
	assert_string_equal(e->action, "edit");
	assert_string_equal(e->note, "Salah ketik.");
	assert_null(e->step.name);
	assert_null(e->from);
	/* in the order of the ticket's fields, not of the options */
	assert_int_equal(e->nchanges, 4);
	assert_string_equal(e->changes[0].field, "subject");
	assert_string_equal(e->changes[0].before, "Pembayaran UKT belum terverifikasi");
	assert_string_equal(e->changes[0].after, "Pembayaran UKT");
	assert_string_equal(e->changes[1].field, "kind");
	assert_string_equal(e->changes[2].field, "unit");
	assert_null(e->changes[2].before);
	assert_string_equal(e->changes[2].after, "Bagian Keuangan");
	assert_string_equal(e->changes[3].field, "body");
	assert_string_equal(e->changes[3].before, "Mohon dicek.\n");
	assert_string_equal(msg, "UC3-2026-0001: edit subject, kind, unit, body\n"
				 "\n"
				 "Salah ketik.\n"
				 "\n"
				 "Ticket: UC3-2026-0001\n"
				 "Action: edit\n"
				 "Fields: subject, kind, unit, body\n");
	uc3_transition_summary(&line, t, p);
	assert_string_equal(line.ptr, "UC3-2026-0001: edited subject, kind, unit, body");
	uc3_buf_release(&line);
	free(msg);
	free(deadline);
	uc3_ticket_free(t);
}

static void
edit_refuses_what_uc3_new_refuses_and_an_edit_that_changes_nothing(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_edit edits[] = { { "unit", "Keuangan" } };
	struct uc3_act a = { .action = UC3_ACT_EDIT,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .edits = edits,
			     .nedits = 1 };

	refused(t, &a, UC3_EINVAL, "a correction needs its reason: give -m WHY");
	a.note = " \n";
	refused(t, &a, UC3_EINVAL, "a correction needs its reason: give -m WHY");
	a.note = "Salah.";
	a.nedits = 0;
	refused(t, &a, UC3_EINVAL, "nothing to edit: give a field and its new value");
	a.nedits = 1;
	edits[0].field = "status";
	refused(t, &a, UC3_EINVAL,
		"cannot edit 'status': the fields uc3 edit corrects are subject, kind, channel, "
		"requester.name, requester.email, requester.phone, requester.social, requester.address, unit, body");
	edits[0].field = "subject";
	edits[0].value = "Pembayaran UKT belum terverifikasi";
	refused(t, &a, UC3_EINVAL, "nothing to change: UC3-2026-0001 already has the values given");
	edits[0].value = " ";
	refused(t, &a, UC3_EINVAL, "subject is empty");
	edits[0].value = "dua\nbaris";
	refused(t, &a, UC3_EINVAL, "subject contains a line break");
	edits[0].field = "kind";
	edits[0].value = "pujian";
	refused(t, &a, UC3_EINVAL,
		"kind 'pujian' is not one of the policy's kinds: pertanyaan, keluhan, saran, "
		"lainnya");
	edits[0].field = "requester.phone";
	edits[0].value = "tidak ada";
	refused(t, &a, UC3_EINVAL, "the phone 'tidak ada' has no digits");
	edits[0].field = "body";
	edits[0].value = "\n\n";
	refused(t, &a, UC3_EINVAL, "the body is empty");
	edits[0].field = "requester.name";
	edits[0].value = NULL;
	{
		struct uc3_edit both[] = { { "requester.name", NULL }, { "requester.email", "" } };

		a.edits = both;
		a.nedits = 2;
		refused(t, &a, UC3_EINVAL,
			"no requester: a name, an email, a phone, a social account or an address is needed");
	}
	a.edits = edits;
	a.nedits = 1;
	edits[0].field = "unit";
	edits[0].value = "x";
	a.now = T_NINE - 60;
	refused(t, &a, UC3_EINVAL,
		"the time now is before UC3-2026-0001's last event (2026-11-27T09:00:00+07:00); "
		"check the clock or UC3_NOW");
	uc3_ticket_free(t);
}

static void
edit_corrects_a_closed_ticket_but_keeps_its_unit(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_edit edits[] = { { "unit", "Keuangan" } };
	struct uc3_act a = { .action = UC3_ACT_CLOSE,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 400,
			     .unit = "Bagian Akademik" };

	answer_and_deliver(t, p);
	free(apply_ok(t, &a));
	a = (struct uc3_act){ .action = UC3_ACT_EDIT,
			      .policy = p,
			      .actor = ACTOR,
			      .now = T_NINE + 500,
			      .note = "Nama unit yang benar.",
			      .edits = edits,
			      .nedits = 1 };
	free(apply_ok(t, &a));
	/* an alias of the policy's units is written as the unit's name */
	assert_string_equal(t->unit, "Bagian Keuangan");
	assert_int_equal(t->status, UC3_STATUS_CLOSED);
	assert_null(t->deadline);
	assert_string_equal(t->events[t->nevents - 1].changes[0].before, "Bagian Akademik");
	edits[0].value = "";
	refused(t, &a, UC3_EDENIED,
		"UC3-2026-0001 is archived under its unit: give the right unit, not none");
	uc3_ticket_free(t);
}

static void
reopen_puts_a_delivered_ticket_back_at_the_bottom_and_keeps_its_answer(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_REOPEN,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 1200, /* 09:20: the archive step was due 09:11 */
			     .note = "Pemohon menghubungi lagi: belum beres." };
	struct uc3_buf line = UC3_BUF_INIT;
	const struct uc3_event *e;
	char *msg;

	answer_and_deliver(t, p);
	msg = apply_ok(t, &a);
	assert_int_equal(t->status, UC3_STATUS_OPEN);
	assert_string_equal(t->level, "staf");
	assert_string_equal(t->deadline, "2026-11-27T09:25:00+07:00");
	assert_null(t->answer);
	e = &t->events[t->nevents - 1];
	assert_string_equal(e->action, "reopen");
	assert_string_equal(e->from, "staf");
	assert_string_equal(e->to, "staf");
	assert_string_equal(e->step.name, "archive");
	assert_string_equal(e->step.due, "2026-11-27T09:11:00+07:00");
	assert_true(e->step.late);
	assert_int_equal(e->nchanges, 2);
	assert_string_equal(e->changes[0].field, "status");
	assert_string_equal(e->changes[0].before, "delivered");
	assert_string_equal(e->changes[0].after, "open");
	assert_string_equal(e->changes[1].field, "answer");
	assert_string_equal(e->changes[1].before, "Sudah terverifikasi.\n");
	assert_null(e->changes[1].after);
	assert_string_equal(msg,
			    "UC3-2026-0001: reopen delivered -> open at staf (archive step late)\n"
			    "\n"
			    "Pemohon menghubungi lagi: belum beres.\n"
			    "\n"
			    "Ticket: UC3-2026-0001\n"
			    "Action: reopen\n"
			    "From-Status: delivered\n"
			    "From-Level: staf\n"
			    "To-Level: staf\n"
			    "Step: archive\n"
			    "Late: yes\n"
			    "Deadline: 2026-11-27T09:25:00+07:00\n");
	uc3_transition_summary(&line, t, p);
	assert_string_equal(line.ptr, "UC3-2026-0001: reopened (was delivered), open at staf (Staf "
				      "Humas), due 2026-11-27 09:25; the archive step was late");
	/* and on through the chain again */
	a = (struct uc3_act){
		.action = UC3_ACT_ESCALATE, .policy = p, .actor = ACTOR, .now = T_NINE + 1260
	};
	free(apply_ok(t, &a));
	assert_string_equal(t->level, "wakor");
	uc3_buf_release(&line);
	free(msg);
	uc3_ticket_free(t);
}

static void
reopen_a_ticket_closed_as_a_duplicate_drops_what_the_close_said(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_CLOSE_AS,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .note = "Sama.",
			     .as = "duplicate",
			     .of = "UC3-2026-0000" };
	const struct uc3_event *e;
	char *msg;

	refused(t, &a, UC3_EINVAL, "--of 'UC3-2026-0000' is not a ticket id (PREFIX-YEAR-NNNN)");
	a.of = "UC3-2025-0040";
	free(apply_ok(t, &a));
	a = (struct uc3_act){ .action = UC3_ACT_REOPEN,
			      .policy = p,
			      .actor = ACTOR,
			      .now = T_NINE + 120,
			      .note = "Ternyata bukan duplikat." };
	msg = apply_ok(t, &a);
	assert_null(t->closed_as);
	assert_null(t->duplicate_of);
	e = &t->events[t->nevents - 1];
	assert_null(e->step.name);
	assert_int_equal(e->nchanges, 3);
	assert_string_equal(e->changes[1].field, "closed_as");
	assert_string_equal(e->changes[2].field, "duplicate_of");
	assert_string_equal(e->changes[2].before, "UC3-2025-0040");
	assert_non_null(strstr(msg, "From-Status: closed\nFrom-Level: staf\nTo-Level: staf\n"
				    "Deadline: "));
	free(msg);
	uc3_ticket_free(t);
}

static void
reopen_refuses_an_open_ticket(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_REOPEN,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .note = "Lagi." };

	refused(t, &a, UC3_EDENIED, "UC3-2026-0001 is open: there is nothing to reopen");
	uc3_ticket_free(t);
}

static void
close_as_spam_ends_the_running_step_without_answer_or_unit(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_CLOSE_AS,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 600,
			     .note = "Iklan pinjaman.",
			     .as = "spam" };
	struct uc3_buf line = UC3_BUF_INIT;
	const struct uc3_event *e;
	char *msg;

	msg = apply_ok(t, &a);
	assert_int_equal(t->status, UC3_STATUS_CLOSED);
	assert_string_equal(t->closed_as, "spam");
	assert_null(t->duplicate_of);
	assert_null(t->deadline);
	assert_null(t->unit);
	assert_null(t->answer);
	e = &t->events[1];
	assert_string_equal(e->action, "close");
	assert_string_equal(e->as, "spam");
	assert_null(e->of);
	assert_string_equal(e->step.name, "staf");
	assert_true(e->step.late);
	assert_int_equal(e->nchanges, 0);
	assert_string_equal(msg, "UC3-2026-0001: close as spam (staf step late)\n"
				 "\n"
				 "Iklan pinjaman.\n"
				 "\n"
				 "Ticket: UC3-2026-0001\n"
				 "Action: close\n"
				 "As: spam\n"
				 "Step: staf\n"
				 "Late: yes\n");
	uc3_transition_summary(&line, t, p);
	assert_string_equal(line.ptr, "UC3-2026-0001: closed as spam; the staf step was late");
	a.now = T_NINE + 660;
	refused(t, &a, UC3_EDENIED, "UC3-2026-0001 is already closed");
	uc3_buf_release(&line);
	free(msg);
	uc3_ticket_free(t);
}

static void
close_as_duplicate_needs_another_ticket(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_CLOSE_AS,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .note = "Sama dengan yang kemarin.",
			     .as = "duplicate" };
	struct uc3_buf line = UC3_BUF_INIT;
	char *msg;

	refused(t, &a, UC3_EINVAL, "a duplicate needs the ticket it repeats: give --of ID");
	a.of = "UC3-2026-0001";
	refused(t, &a, UC3_EINVAL, "UC3-2026-0001 cannot be a duplicate of itself");
	a.as = "junk";
	refused(t, &a, UC3_EINVAL, "--as 'junk': a ticket is closed as spam or duplicate");
	a.as = "spam";
	refused(t, &a, UC3_EINVAL, "--of goes with --as duplicate, not spam");
	a.as = "duplicate";
	a.of = "UC3-2025-0040";
	answer_and_deliver(t, p);
	a.now = T_NINE + 400;
	msg = apply_ok(t, &a);
	assert_string_equal(t->duplicate_of, "UC3-2025-0040");
	assert_string_equal(t->answer, "Sudah terverifikasi.\n");
	assert_string_equal(t->events[t->nevents - 1].step.name, "archive");
	assert_string_equal(msg, "UC3-2026-0001: close as duplicate of UC3-2025-0040\n"
				 "\n"
				 "Sama dengan yang kemarin.\n"
				 "\n"
				 "Ticket: UC3-2026-0001\n"
				 "Action: close\n"
				 "As: duplicate\n"
				 "Of: UC3-2025-0040\n"
				 "Step: archive\n"
				 "Late: no\n");
	uc3_transition_summary(&line, t, p);
	assert_string_equal(line.ptr, "UC3-2026-0001: closed as a duplicate of UC3-2025-0040");
	uc3_buf_release(&line);
	free(msg);
	uc3_ticket_free(t);
}

static void
corrections_need_a_role_the_policy_gives_them(void **state)
{
	struct uc3_policy *p = policy_with_people();
	struct uc3_ticket *t = registered(p);
	const struct uc3_edit edits[] = { { "unit", "Keuangan" } };
	struct uc3_act a = { .action = UC3_ACT_EDIT,
			     .policy = p,
			     .actor = "staf@x.id",
			     .now = T_NINE + 60,
			     .note = "Unit.",
			     .edits = edits,
			     .nedits = 1 };

	a.actor = "orang@luar.id";
	refused(t, &a, UC3_EDENIED,
		"orang@luar.id is not one of the people in uc3.yaml; ask the head of the chain to "
		"add you");
	a.actor = "staf@x.id";
	free(apply_ok(t, &a));
	a = (struct uc3_act){ .action = UC3_ACT_CLOSE_AS,
			      .policy = p,
			      .actor = "staf@x.id",
			      .now = T_NINE + 120,
			      .note = "Iklan.",
			      .as = "spam" };
	refused(t, &a, UC3_EDENIED,
		"staf@x.id cannot close UC3-2026-0001 as spam: corrections.close_as in uc3.yaml "
		"gives that to wakor, koordinator, kabiro");
	a.actor = "wakor@x.id";
	free(apply_ok(t, &a));
	/* what the audit asks of the event */
	assert_int_equal(uc3_transition_may_correct(t, p, &t->events[2]), 0);
	free(t->events[2].by);
	t->events[2].by = uc3_xstrdup("staf@x.id");
	assert_int_equal(uc3_transition_may_correct(t, p, &t->events[2]), UC3_EDENIED);
	assert_int_equal(uc3_transition_may_correct(t, p, &t->events[0]), 0);
	a = (struct uc3_act){ .action = UC3_ACT_REOPEN,
			      .policy = p,
			      .actor = "wakor@x.id",
			      .now = T_NINE + 180,
			      .note = "Bukan iklan." };
	refused(t, &a, UC3_EDENIED,
		"wakor@x.id cannot reopen UC3-2026-0001: corrections.reopen in uc3.yaml gives "
		"that to koordinator, kabiro");
	a.actor = "kabiro@x.id";
	free(apply_ok(t, &a));
	uc3_ticket_free(t);
	uc3_policy_free(p);
}

/*
 * Do a correction on a copy of before and replay it from before: the same
 * file and message; a changed event (tamper) gives another file.
 */
static void
replay_does_each_correction_again(void **state)
{
	const struct uc3_policy *p = *state;
	const struct uc3_edit edits[] = { { "body", "Baru.\n" }, { "unit", "Keuangan" } };
	const struct uc3_act acts[] = {
		{ .action = UC3_ACT_EDIT,
		  .policy = p,
		  .actor = ACTOR,
		  .now = T_NINE + 60,
		  .note = "Typo.",
		  .edits = edits,
		  .nedits = 2 },
		{ .action = UC3_ACT_CLOSE_AS,
		  .policy = p,
		  .actor = ACTOR,
		  .now = T_NINE + 120,
		  .note = "Dobel.",
		  .as = "duplicate",
		  .of = "UC3-2026-0009" },
		{ .action = UC3_ACT_REOPEN,
		  .policy = p,
		  .actor = ACTOR,
		  .now = T_NINE + 180,
		  .note = "Bukan dobel." },
	};
	struct uc3_ticket *t = registered(p);
	size_t i;

	for (i = 0; i < sizeof(acts) / sizeof(acts[0]); i++) {
		struct uc3_buf before = UC3_BUF_INIT, f1 = UC3_BUF_INIT, f2 = UC3_BUF_INIT;
		struct uc3_buf m2 = UC3_BUF_INIT;
		struct uc3_ticket *again;
		struct uc3_act r = { .policy = p, .actor = ACTOR, .now = acts[i].now };
		char *m1;

		uc3_ticket_format(&before, t);
		m1 = apply_ok(t, &acts[i]);
		assert_true(uc3_transition_action(&r.action, t->events[t->nevents - 1].action));
		assert_int_equal(uc3_ticket_parse(&again, before.ptr, before.len, "t.yaml"), 0);
		assert_int_equal(uc3_transition_replay(again, &m2, t, &r), 0);
		uc3_ticket_format(&f1, t);
		uc3_ticket_format(&f2, again);
		assert_string_equal(f1.ptr, f2.ptr);
		assert_string_equal(m1, m2.ptr);
		uc3_ticket_free(again);
		free(m1);
		uc3_buf_release(&before);
		uc3_buf_release(&f1);
		uc3_buf_release(&f2);
		uc3_buf_release(&m2);
	}
	uc3_ticket_free(t);
}

static void
replay_of_an_edit_whose_old_value_was_changed_writes_the_true_one(void **state)
{
	const struct uc3_policy *p = *state;
	const struct uc3_edit edits[] = { { "unit", "Bagian Keuangan" } };
	struct uc3_act a = { .action = UC3_ACT_EDIT,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .note = "Unit.",
			     .edits = edits,
			     .nedits = 1 };
	struct uc3_ticket *t = registered(p), *again;
	struct uc3_buf before = UC3_BUF_INIT, m = UC3_BUF_INIT;

	free(t->unit);
	t->unit = uc3_xstrdup("Keuangan");
	uc3_ticket_format(&before, t);
	free(apply_ok(t, &a));
	free(t->events[1].changes[0].before);
	t->events[1].changes[0].before = uc3_xstrdup("BAK");
	assert_int_equal(uc3_ticket_parse(&again, before.ptr, before.len, "t.yaml"), 0);
	assert_int_equal(uc3_transition_replay(again, &m, t, &a), 0);
	assert_string_equal(again->events[1].changes[0].before, "Keuangan");
	assert_false(uc3_event_equal(&again->events[1], &t->events[1]));
	uc3_ticket_free(again);
	uc3_ticket_free(t);
	uc3_buf_release(&before);
	uc3_buf_release(&m);
}

static void
action_names_read_back(void **state)
{
	enum uc3_action a;

	assert_true(uc3_transition_action(&a, "close"));
	assert_int_equal(a, UC3_ACT_CLOSE);
	assert_string_equal(uc3_transition_action_name(a), "close");
	assert_true(uc3_transition_action(&a, "edit"));
	assert_int_equal(a, UC3_ACT_EDIT);
	assert_true(uc3_transition_action(&a, "reopen"));
	assert_int_equal(a, UC3_ACT_REOPEN);
	assert_string_equal(uc3_transition_action_name(UC3_ACT_CLOSE_AS), "close");
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
a_service_identity_registers_and_records_followups_and_notices_only(void **state)
{
	struct uc3_policy *p = *state;
	struct uc3_ticket *t;
	struct uc3_act a = { .policy = p, .actor = "cron@unej.ac.id", .now = T_NINE + 60 };
	struct uc3_buf msg = UC3_BUF_INIT;
	enum uc3_action act;

	add_person(p, ACTOR, "kabiro");
	add_person(p, "cron@unej.ac.id", NULL);
	t = registered(p);
	/* the mail account of an MTA registers what comes in, and its follow-ups */
	assert_int_equal(uc3_transition_may_register(p, "cron@unej.ac.id"), 0);
	assert_int_equal(uc3_transition_allowed(t, p, UC3_ACT_FOLLOWUP, "cron@unej.ac.id"), 0);
	assert_int_equal(uc3_transition_may_register(p, "orang@lain.id"), UC3_EDENIED);
	assert_int_equal(uc3_transition_allowed(t, p, UC3_ACT_FOLLOWUP, "orang@lain.id"),
			 UC3_EDENIED);
	for (act = UC3_ACT_ESCALATE; act <= UC3_ACT_CLOSE_AS; act++) {
		assert_int_equal(uc3_transition_allowed(t, p, act, "cron@unej.ac.id"), UC3_EDENIED);
		assert_non_null(strstr(uc3_error_last(), "cron@unej.ac.id is a service identity"));
	}
	a.action = UC3_ACT_ESCALATE;
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EDENIED);
	assert_int_equal(t->nevents, 1);
	a.action = UC3_ACT_EDIT;
	a.note = "why";
	a.edits = &(struct uc3_edit){ "unit", "Bagian Keuangan" };
	a.nedits = 1;
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EDENIED);
	assert_int_equal(t->nevents, 1);
	assert_int_equal(uc3_transition_may_notify(p, "cron@unej.ac.id"), 0);
	assert_int_equal(uc3_transition_may_notify(p, ACTOR), 0);
	assert_int_equal(uc3_transition_may_notify(p, "orang@lain.id"), UC3_EDENIED);
	assert_int_equal(uc3_transition_may_register(p, ACTOR), 0);
	uc3_ticket_free(t);
	uc3_buf_release(&msg);
}

#define SENDER "siti@example.com"
#define FMID   "<CAF1.2@mail.example.com>"

/* A follow-up of t by actor at now: its text note, the mail's Message-ID mid. */
static int
followup(struct uc3_ticket *t, struct uc3_buf *msg, const struct uc3_policy *p, time_t now,
	 const char *note, const char *mid)
{
	struct uc3_act a = { .action = UC3_ACT_FOLLOWUP,
			     .policy = p,
			     .actor = ACTOR,
			     .now = now,
			     .note = note,
			     .message_id = mid,
			     .sender = SENDER };

	return uc3_transition_apply(t, &a, msg);
}

static void
followup_appends_the_mail_and_changes_nothing_else(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p), *before = registered(p);
	struct uc3_buf msg = UC3_BUF_INIT, text = UC3_BUF_INIT;
	const struct uc3_event *e;

	/* a late step stays late, and no step ends: an hour after the staf's 5 minutes */
	assert_int_equal(followup(t, &msg, p, T_NINE + 3600, "Sudah seminggu.\nMohon kabar.\n",
				  FMID),
			 0);
	assert_int_equal(t->nevents, 2);
	e = &t->events[1];
	assert_string_equal(e->action, "followup");
	assert_string_equal(e->by, ACTOR);
	assert_string_equal(e->sender, SENDER);
	assert_string_equal(e->message_id, FMID);
	assert_string_equal(e->note, "Sudah seminggu.\nMohon kabar.\n");
	assert_null(e->step.name);
	assert_null(e->step.due);
	assert_null(e->from);
	assert_null(e->to);
	assert_int_equal(t->status, before->status);
	assert_string_equal(t->level, before->level);
	assert_string_equal(t->deadline, before->deadline);
	assert_string_equal(msg.ptr,
			    "UC3-2026-0001: followup from " SENDER "\n\n"
			    "Ticket: UC3-2026-0001\nAction: followup\nMessage-ID: " FMID "\n");
	/* the file: note a literal block, then sender and message_id */
	assert_int_equal(uc3_ticket_format(&text, t), 0);
	assert_non_null(strstr(text.ptr,
			       "  action: followup\n  note: |\n    Sudah seminggu.\n"
			       "    Mohon kabar.\n  sender: " SENDER "\n  message_id: " FMID "\n"));
	/* no Message-ID: no trailer; a one-line text keeps no final newline */
	uc3_buf_reset(&msg);
	assert_int_equal(followup(t, &msg, p, T_NINE + 7200, "Terima kasih.\n", NULL), 0);
	assert_null(t->events[2].message_id);
	assert_string_equal(t->events[2].note, "Terima kasih.");
	assert_null(strstr(msg.ptr, "Message-ID"));
	/* what it says after a run of steps */
	uc3_buf_reset(&text);
	uc3_transition_summary(&text, t, p);
	assert_non_null(strstr(text.ptr, "UC3-2026-0001: follow-up by mail from " SENDER
					 " recorded; open at staf, step staf due "));
	uc3_buf_release(&msg);
	uc3_buf_release(&text);
	uc3_ticket_free(t);
	uc3_ticket_free(before);
}

static void
followup_is_refused_on_a_closed_ticket_and_without_text_or_sender(void **state)
{
	struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_buf msg = UC3_BUF_INIT;
	struct uc3_act a = { .action = UC3_ACT_FOLLOWUP,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .note = "x",
			     .sender = SENDER };
	static const char *const bad_senders[] = { NULL,
						   "",
						   "siti",
						   "@example.com",
						   "siti@",
						   "a b@example.com",
						   "<siti@example.com>",
						   "a@b@c" };
	size_t i;

	a.note = " \n\t\n";
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "the follow-up has no text");
	a.note = "x";
	for (i = 0; i < sizeof(bad_senders) / sizeof(*bad_senders); i++) {
		a.sender = bad_senders[i];
		assert_int_equal(uc3_transition_check(t, &a), UC3_EINVAL);
		assert_non_null(strstr(uc3_error_last(), "is not a mail address"));
	}
	a.sender = SENDER;
	a.message_id = "CAF1@mail";
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "is not a Message-ID"));
	a.message_id = NULL;
	/* over the policy's body limit */
	p->body_limit = 8;
	a.note = "123456789\n123456789\n";
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "over the limit of 8"));
	p->body_limit = 0;
	a.note = "x";
	/* a stranger, once the policy lists people */
	add_person(p, "other@unej.ac.id", "staf");
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EDENIED);
	assert_non_null(strstr(uc3_error_last(), "is not one of the people"));
	add_person(p, ACTOR, "staf");
	assert_int_equal(t->nevents, 1);
	/* closed: refused, the ticket unchanged */
	t->status = UC3_STATUS_CLOSED;
	assert_int_equal(uc3_transition_check(t, &a), UC3_EDENIED);
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EDENIED);
	assert_string_equal(uc3_error_last(), "UC3-2026-0001 is closed");
	assert_int_equal(t->nevents, 1);
	assert_int_equal(msg.len, 0);
	/* answered and delivered are not closed */
	t->status = UC3_STATUS_DELIVERED;
	assert_int_equal(uc3_transition_apply(t, &a, &msg), 0);
	assert_int_equal(t->status, UC3_STATUS_DELIVERED);
	uc3_buf_release(&msg);
	uc3_ticket_free(t);
}

static void
followup_long_text_is_a_literal_block_and_replays_byte_for_byte(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p), *before = registered(p), *read = NULL;
	struct uc3_buf msg = UC3_BUF_INIT, msg2 = UC3_BUF_INIT, text = UC3_BUF_INIT,
		       again = UC3_BUF_INIT, note = UC3_BUF_INIT;
	struct uc3_act a = { .action = UC3_ACT_FOLLOWUP, .policy = p, .actor = ACTOR };
	size_t i;

	/* what a mail holds: quoting, indents, blank lines, YAML-ish lines, UTF-8 */
	uc3_buf_adds(&note,
		     "   indented first line\n> quoted: yes\n\n- not a list\n# no comment\n");
	for (i = 0; i < 2000; i++)
		uc3_buf_addf(&note, "baris %zu: Mohon segera diproses, terima kasih. \xc3\xa9\n",
			     i);
	uc3_buf_adds(&note, "null\n'x' \"y\" |\n--\nSiti\n");
	assert_int_equal(followup(t, &msg, p, T_NINE + 60, note.ptr, FMID), 0);
	assert_string_equal(t->events[1].note, note.ptr);
	assert_int_equal(uc3_ticket_format(&text, t), 0);
	assert_non_null(strstr(text.ptr, "  note: |"));
	/* read back: the same text, byte for byte, and written again the same */
	assert_int_equal(uc3_ticket_parse(&read, text.ptr, text.len, "t.yaml"), 0);
	assert_string_equal(read->events[1].note, note.ptr);
	assert_true(uc3_event_equal(&read->events[1], &t->events[1]));
	assert_int_equal(uc3_ticket_format(&again, read), 0);
	assert_string_equal(again.ptr, text.ptr);
	/* the audit's replay from the event writes the same file and message */
	a.now = T_NINE + 60;
	assert_int_equal(uc3_transition_replay(before, &msg2, read, &a), 0);
	uc3_buf_reset(&again);
	assert_int_equal(uc3_ticket_format(&again, before), 0);
	assert_string_equal(again.ptr, text.ptr);
	assert_string_equal(msg2.ptr, msg.ptr);
	uc3_buf_release(&msg);
	uc3_buf_release(&msg2);
	uc3_buf_release(&text);
	uc3_buf_release(&again);
	uc3_buf_release(&note);
	uc3_ticket_free(t);
	uc3_ticket_free(before);
	uc3_ticket_free(read);
}

static void
followup_is_a_known_action_and_its_mail_words(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_buf msg = UC3_BUF_INIT, w = UC3_BUF_INIT;
	enum uc3_action a;

	assert_true(uc3_transition_action(&a, "followup"));
	assert_int_equal(a, UC3_ACT_FOLLOWUP);
	assert_string_equal(uc3_transition_action_name(UC3_ACT_FOLLOWUP), "followup");
	assert_true(uc3_transition_action(&a, "close"));
	assert_int_equal(a, UC3_ACT_CLOSE);
	assert_int_equal(followup(t, &msg, p, T_NINE + 60, "x", NULL), 0);
	assert_true(uc3_transition_mail_words(&w, &t->events[1]));
	assert_string_equal(w.ptr, " by mail from " SENDER);
	uc3_buf_release(&msg);
	uc3_buf_release(&w);
	uc3_ticket_free(t);
}

static void
new_copies_the_fields_of_a_mail_and_checks_them(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *in = typed(), *t = NULL;
	struct uc3_act a = { .policy = p, .actor = ACTOR, .now = T_NINE };
	static const struct {
		size_t off;
		const char *value, *error;
	} bad[] = {
		{ offsetof(struct uc3_ticket, message_id), "CAF1@mail", "message_id 'CAF1@mail'" },
		{ offsetof(struct uc3_ticket, message_id), "<a b@c>", "message_id '<a b@c>'" },
		{ offsetof(struct uc3_ticket, sent), "yesterday", "sent 'yesterday' is not" },
		{ offsetof(struct uc3_ticket, sent), "2026-11-27 08:00", "sent '2026-11-27" },
		{ offsetof(struct uc3_ticket, follows), "42", "follows '42' is not" },
		{ offsetof(struct uc3_ticket, follows), "ABC-2026-0040",
		  "follows 'ABC-2026-0040'" },
		{ offsetof(struct uc3_ticket, automatic), "vacation", "automatic 'vacation'" },
	};
	size_t i;

	in->message_id = uc3_xstrdup(FMID);
	in->sent = uc3_xstrdup("2026-11-27T08:55:00+07:00");
	in->follows = uc3_xstrdup("UC3-2026-0040");
	in->automatic = uc3_xstrdup("auto-reply");
	assert_int_equal(uc3_transition_new(&t, in, &a, T_NINE), 0);
	assert_string_equal(t->message_id, FMID);
	assert_string_equal(t->sent, "2026-11-27T08:55:00+07:00");
	assert_string_equal(t->follows, "UC3-2026-0040");
	assert_string_equal(t->automatic, "auto-reply");
	uc3_ticket_free(t);
	for (i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		char **f = (char **)(void *)((char *)in + bad[i].off), *keep = *f;

		*f = (char *)bad[i].value;
		t = NULL;
		assert_int_equal(uc3_transition_new(&t, in, &a, T_NINE), UC3_EINVAL);
		assert_null(t);
		if (!strstr(uc3_error_last(), bad[i].error))
			fail_msg("%s: %s", bad[i].value, uc3_error_last());
		*f = keep;
	}
	uc3_ticket_free(in);
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

#define MID "<1.2.3@unej.ac.id>"

static void
answer_sent_appends_answer_and_deliver_by_mail(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_ANSWER,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 180,
			     .text = "Sudah kami cek.",
			     .mail_to = "Siti@Example.com",
			     .message_id = MID };
	struct uc3_buf msg = UC3_BUF_INIT, sum = UC3_BUF_INIT;
	const struct uc3_event *ans, *del;

	assert_int_equal(uc3_transition_apply(t, &a, &msg), 0);
	assert_int_equal(t->nevents, 3);
	ans = &t->events[1];
	del = &t->events[2];
	assert_string_equal(ans->action, "answer");
	assert_string_equal(ans->step.name, "staf");
	assert_null(ans->to);
	assert_string_equal(del->action, "deliver");
	assert_string_equal(del->to, "Siti@Example.com");
	assert_string_equal(del->message_id, MID);
	assert_string_equal(del->step.name, "deliver");
	/* The deliver step ran from 09:03 to 09:03: due 09:08, not late. */
	assert_string_equal(del->step.due, "2026-11-27T09:08:00+07:00");
	assert_false(del->step.late);
	assert_true(uc3_transition_by_mail(del));
	assert_false(uc3_transition_by_mail(ans));
	assert_int_equal(t->status, UC3_STATUS_DELIVERED);
	/* Next: archive, 5 minutes from now. */
	assert_string_equal(t->deadline, "2026-11-27T09:08:00+07:00");
	assert_string_equal(
		msg.ptr, "UC3-2026-0001: answer at staf and deliver by mail to Siti@Example.com\n"
			 "\n"
			 "Ticket: UC3-2026-0001\nAction: answer\nLevel: staf\nStep: staf\n"
			 "Late: no\nDelivered: mail\nTo: Siti@Example.com\n"
			 "Message-ID: " MID "\nDeadline: 2026-11-27T09:08:00+07:00\n");
	uc3_transition_summary(&sum, t, p);
	assert_string_equal(sum.ptr, "UC3-2026-0001: answered at staf and delivered by mail to "
				     "Siti@Example.com; archive it by 2026-11-27 09:08");
	uc3_buf_release(&msg);
	uc3_buf_release(&sum);
	uc3_ticket_free(t);
}

static void
deliver_by_mail_records_address_and_message_id(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_ANSWER,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .text = "Jawab." };
	struct uc3_buf msg = UC3_BUF_INIT;

	assert_int_equal(uc3_transition_apply(t, &a, &msg), 0);
	uc3_buf_reset(&msg);
	a = (struct uc3_act){ .action = UC3_ACT_DELIVER,
			      .policy = p,
			      .actor = ACTOR,
			      .now = T_NINE + 600,
			      .send = true,
			      .message_id = MID };
	assert_int_equal(uc3_transition_apply(t, &a, &msg), 0);
	assert_string_equal(t->events[2].to, "siti@example.com");
	assert_string_equal(t->events[2].message_id, MID);
	assert_true(t->events[2].step.late);
	assert_string_equal(msg.ptr, "UC3-2026-0001: deliver by mail to siti@example.com "
				     "(deliver step late)\n\n"
				     "Ticket: UC3-2026-0001\nAction: deliver\nDelivered: mail\n"
				     "To: siti@example.com\nMessage-ID: " MID "\n"
				     "Step: deliver\nLate: yes\n"
				     "Deadline: 2026-11-27T09:15:00+07:00\n");
	uc3_buf_release(&msg);
	uc3_ticket_free(t);
}

static void
mail_needs_the_requesters_email_and_a_message_id(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p);
	struct uc3_act a = { .action = UC3_ACT_ANSWER,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 60,
			     .text = "Jawab.",
			     .send = true };
	struct uc3_buf msg = UC3_BUF_INIT;

	/* The check does without the Message-ID, made with the mail. */
	assert_int_equal(uc3_transition_check(t, &a), 0);
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EINVAL);
	a.message_id = "no-angle@x";
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "'no-angle@x' is not a Message-ID (<local@domain>)");
	a.message_id = MID;
	a.mail_to = "eve@example.com";
	assert_int_equal(uc3_transition_apply(t, &a, &msg), UC3_EINVAL);
	assert_string_equal(uc3_error_last(), "the answer to UC3-2026-0001 goes to its requester, "
					      "siti@example.com, not to eve@example.com");
	a.mail_to = NULL;
	free(t->requester.email);
	t->requester.email = NULL;
	assert_int_equal(uc3_transition_check(t, &a), UC3_EINVAL);
	assert_string_equal(
		uc3_error_last(),
		"UC3-2026-0001 has no requester email to mail the answer to: deliver it "
		"another way and record that with uc3 deliver, or set the address "
		"with uc3 edit");
	assert_int_equal(t->nevents, 1);
	assert_int_equal(t->status, UC3_STATUS_OPEN);
	assert_int_equal(msg.len, 0);
	uc3_buf_release(&msg);
	uc3_ticket_free(t);
}

static void
replay_of_answer_sent_takes_address_and_message_id_from_the_event(void **state)
{
	const struct uc3_policy *p = *state;
	struct uc3_ticket *t = registered(p), *again = registered(p);
	struct uc3_act a = { .action = UC3_ACT_ANSWER,
			     .policy = p,
			     .actor = ACTOR,
			     .now = T_NINE + 180,
			     .text = "Sudah kami cek.\n",
			     .send = true,
			     .message_id = MID };
	struct uc3_act r = {
		.action = UC3_ACT_ANSWER, .policy = p, .actor = ACTOR, .now = T_NINE + 180
	};
	struct uc3_buf m1 = UC3_BUF_INIT, m2 = UC3_BUF_INIT, f1 = UC3_BUF_INIT, f2 = UC3_BUF_INIT;

	assert_int_equal(uc3_transition_apply(t, &a, &m1), 0);
	assert_int_equal(uc3_transition_replay(again, &m2, t, &r), 0);
	uc3_ticket_format(&f1, t);
	uc3_ticket_format(&f2, again);
	assert_string_equal(f1.ptr, f2.ptr);
	assert_string_equal(m1.ptr, m2.ptr);
	/* Tampered: the deliver went to another address. */
	uc3_ticket_free(again);
	again = registered(p);
	uc3_buf_reset(&m2);
	free(t->events[2].to);
	t->events[2].to = uc3_xstrdup("eve@example.com");
	assert_int_equal(uc3_transition_replay(again, &m2, t, &r), UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "not to eve@example.com"));
	uc3_buf_release(&m1);
	uc3_buf_release(&m2);
	uc3_buf_release(&f1);
	uc3_buf_release(&f2);
	uc3_ticket_free(t);
	uc3_ticket_free(again);
}

static void
about_words_are_the_notices_uc3_sends(void **state)
{
	assert_true(uc3_transition_about_ok(NULL));
	assert_true(uc3_transition_about_ok("received"));
	assert_true(uc3_transition_about_ok("digest"));
	assert_false(uc3_transition_about_ok("Received"));
	assert_false(uc3_transition_about_ok("bribe"));
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
		T(edit_sets_the_fields_and_keeps_old_and_new_values_in_the_event),
		T(edit_refuses_what_uc3_new_refuses_and_an_edit_that_changes_nothing),
		T(edit_corrects_a_closed_ticket_but_keeps_its_unit),
		T(reopen_puts_a_delivered_ticket_back_at_the_bottom_and_keeps_its_answer),
		T(reopen_a_ticket_closed_as_a_duplicate_drops_what_the_close_said),
		T(reopen_refuses_an_open_ticket),
		T(close_as_spam_ends_the_running_step_without_answer_or_unit),
		T(close_as_duplicate_needs_another_ticket),
		T(corrections_need_a_role_the_policy_gives_them),
		T(replay_does_each_correction_again),
		T(replay_of_an_edit_whose_old_value_was_changed_writes_the_true_one),
		T(action_names_read_back),
		T(answer_by_a_higher_role_takes_the_step_over),
		T(a_service_identity_registers_and_records_followups_and_notices_only),
		T(followup_appends_the_mail_and_changes_nothing_else),
		T(followup_is_refused_on_a_closed_ticket_and_without_text_or_sender),
		T(followup_long_text_is_a_literal_block_and_replays_byte_for_byte),
		T(followup_is_a_known_action_and_its_mail_words),
		T(new_copies_the_fields_of_a_mail_and_checks_them),
		T(holder_is_the_level_while_open_then_the_bottom_of_the_chain),
		T(time_left_reads_in_office_days),
		T(answer_sent_appends_answer_and_deliver_by_mail),
		T(deliver_by_mail_records_address_and_message_id),
		T(mail_needs_the_requesters_email_and_a_message_id),
		T(replay_of_answer_sent_takes_address_and_message_id_from_the_event),
		T(about_words_are_the_notices_uc3_sends),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
