#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "buf.h"
#include "message.h"
#include "ticket.h"
#include "xalloc.h"

/*
 * Commit messages (lib/message.h): what uc3 writes for each kind of
 * commit, and reading a message back.
 */

#define ID "UC3-2026-0042"

/* A ticket whose last event is action, with the fields the messages name. */
static struct uc3_ticket *
ticket_after(const char *action)
{
	struct uc3_ticket *t = uc3_ticket_new();
	struct uc3_event *e = uc3_ticket_add_event(t);

	t->id = uc3_xstrdup(ID);
	t->kind = uc3_xstrdup("keluhan");
	t->channel = uc3_xstrdup("email");
	t->subject = uc3_xstrdup("Pembayaran UKT");
	t->level = uc3_xstrdup("wakor");
	t->deadline = uc3_xstrdup("2026-11-27T10:04:00+07:00");
	e->action = uc3_xstrdup(action);
	e->step.name = uc3_xstrdup("staf");
	return t;
}

static void
new_names_kind_subject_and_trailers(void **state)
{
	struct uc3_ticket *t = ticket_after("new");
	struct uc3_buf m = UC3_BUF_INIT;

	uc3_message_new(&m, t);
	assert_string_equal(m.ptr, ID ": new keluhan: Pembayaran UKT\n\n"
				      "Ticket: " ID "\nAction: new\nKind: keluhan\nChannel: email\n"
				      "To-Level: wakor\nDeadline: 2026-11-27T10:04:00+07:00\n");
	uc3_buf_release(&m);
	uc3_ticket_free(t);
}

static void
step_of_an_escalation_names_both_levels_and_the_note(void **state)
{
	struct uc3_ticket *t = ticket_after("escalate");
	struct uc3_event *e = &t->events[0];
	struct uc3_buf m = UC3_BUF_INIT;

	e->from = uc3_xstrdup("staf");
	e->to = uc3_xstrdup("wakor");
	e->note = uc3_xstrdup("perlu keputusan");
	e->step.late = true;
	uc3_message_step(&m, t);
	assert_string_equal(m.ptr, ID ": escalate staf -> wakor (staf step late)\n\n"
				      "perlu keputusan\n\n"
				      "Ticket: " ID "\nAction: escalate\nFrom-Level: staf\n"
				      "To-Level: wakor\nStep: staf\nLate: yes\n"
				      "Deadline: 2026-11-27T10:04:00+07:00\n");
	uc3_buf_release(&m);
	uc3_ticket_free(t);
}

static void
step_of_an_answer_names_the_level(void **state)
{
	struct uc3_ticket *t = ticket_after("answer");
	struct uc3_buf m = UC3_BUF_INIT;

	uc3_message_step(&m, t);
	assert_string_equal(m.ptr, ID ": answer at wakor\n\n"
				      "Ticket: " ID "\nAction: answer\nLevel: wakor\nStep: staf\n"
				      "Late: no\nDeadline: 2026-11-27T10:04:00+07:00\n");
	uc3_buf_release(&m);
	uc3_ticket_free(t);
}

static void
step_of_a_close_names_the_unit_not_a_deadline(void **state)
{
	struct uc3_ticket *t = ticket_after("close");
	struct uc3_buf m = UC3_BUF_INIT;

	t->unit = uc3_xstrdup("Bagian Keuangan");
	free(t->events[0].step.name);
	t->events[0].step.name = uc3_xstrdup("archive");
	uc3_message_step(&m, t);
	assert_string_equal(m.ptr, ID ": close\n\nTicket: " ID "\nAction: close\nStep: archive\n"
				      "Late: no\nUnit: Bagian Keuangan\n");
	uc3_buf_release(&m);
	uc3_ticket_free(t);
}

static void
notices_count_and_list_every_notice(void **state)
{
	const struct uc3_message_notice nv[] = { { ID, "staf", "a@x.id", NULL },
						 { ID, "staf", "b@x.id", NULL } };
	const struct uc3_message_notice ack[] = { { ID, NULL, "siti@example.com", "received" } };
	struct uc3_buf m = UC3_BUF_INIT;

	uc3_message_notices(&m, 2, 1, nv, 2);
	assert_string_equal(m.ptr, "overdue: 2 notices of late steps, 1 ticket\n\n" ID
				   " staf: a@x.id\n" ID " staf: b@x.id\n\nAction: notice\n");
	uc3_buf_reset(&m);
	uc3_message_notices(&m, 1, 1, ack, 1);
	assert_string_equal(m.ptr, ID ": notice received to siti@example.com\n\n" ID
				      " received: siti@example.com\n\nAction: notice\n");
	uc3_buf_release(&m);
}

static void
deliver_by_mail_names_address_and_message_id(void **state)
{
	struct uc3_ticket *t = ticket_after("deliver");
	struct uc3_event *e = &t->events[0];
	struct uc3_buf m = UC3_BUF_INIT;

	free(e->step.name);
	e->step.name = uc3_xstrdup("deliver");
	e->to = uc3_xstrdup("siti@example.com");
	e->message_id = uc3_xstrdup("<1@unej.ac.id>");
	uc3_message_step(&m, t);
	assert_string_equal(m.ptr, ID ": deliver by mail to siti@example.com\n\nTicket: " ID
				      "\nAction: deliver\nDelivered: mail\nTo: siti@example.com\n"
				      "Message-ID: <1@unej.ac.id>\nStep: deliver\nLate: no\n"
				      "Deadline: 2026-11-27T10:04:00+07:00\n");
	uc3_buf_release(&m);
	uc3_ticket_free(t);
}

static void
answer_sent_is_one_message_for_both_events(void **state)
{
	struct uc3_ticket *t = ticket_after("answer");
	struct uc3_event *d = uc3_ticket_add_event(t);
	struct uc3_buf m = UC3_BUF_INIT;

	t->events[0].step.late = true;
	t->events[0].note = uc3_xstrdup("Dijawab wakor.");
	d->action = uc3_xstrdup("deliver");
	d->to = uc3_xstrdup("siti@example.com");
	d->message_id = uc3_xstrdup("<1@unej.ac.id>");
	d->step.name = uc3_xstrdup("deliver");
	uc3_message_answer_sent(&m, t);
	assert_string_equal(m.ptr,
			    ID ": answer at wakor and deliver by mail to siti@example.com (staf "
			       "step late)\n\nDijawab wakor.\n\nTicket: " ID
			       "\nAction: answer\nLevel: wakor\nStep: staf\nLate: yes\n"
			       "Delivered: mail\nTo: siti@example.com\nMessage-ID: <1@unej.ac.id>\n"
			       "Deadline: 2026-11-27T10:04:00+07:00\n");
	uc3_buf_release(&m);
	uc3_ticket_free(t);
}

static void
init_and_person_messages_carry_their_action(void **state)
{
	struct uc3_buf m = UC3_BUF_INIT;
	char *a;

	uc3_message_init(&m, "Humas");
	a = uc3_message_trailer(m.ptr, "Action");
	assert_string_equal(a, "init");
	free(a);
	uc3_buf_reset(&m);
	uc3_message_person_add(&m, "a@x.id", "staf");
	assert_string_equal(m.ptr, "policy: add a@x.id as staf\n\nPerson: a@x.id\nRole: staf\n"
				   "Action: person-add\n");
	uc3_buf_reset(&m);
	uc3_message_person_remove(&m, "a@x.id");
	assert_string_equal(m.ptr, "policy: remove a@x.id\n\nPerson: a@x.id\n"
				   "Action: person-remove\n");
	uc3_buf_release(&m);
}

static void
trailer_is_read_from_the_last_paragraph_only(void **state)
{
	char *v;

	v = uc3_message_trailer("s\n\nAction: fake\n\nTicket: X\nAction: escalate\n", "Action");
	assert_string_equal(v, "escalate");
	free(v);
	assert_null(uc3_message_trailer("s\n\nAction: fake\n\nTicket: X\n", "Action"));
	assert_null(uc3_message_trailer("s\n\nAction:\n", "Action"));
	v = uc3_message_trailer("Action: notice\n", "Action");
	assert_string_equal(v, "notice");
	free(v);
}

static void
parse_splits_subject_text_and_trailers(void **state)
{
	struct uc3_message m;

	uc3_message_parse(&m,
			  "subject line\n\nthe note\nof two lines\n\nTicket: X\nnot a trailer\n");
	assert_string_equal(m.subject, "subject line");
	assert_string_equal(m.text, "the note\nof two lines");
	assert_int_equal(m.ntr, 2);
	assert_string_equal(m.tr[0].key, "Ticket");
	assert_string_equal(m.tr[0].value, "X");
	assert_string_equal(m.tr[1].key, "not a trailer");
	assert_null(m.tr[1].value);
	uc3_message_release(&m);
}

static void
compare_finds_nothing_in_the_same_message(void **state)
{
	struct uc3_buf why = UC3_BUF_INIT;

	assert_true(uc3_message_compare(&why, "s\n\nTicket: X\nAction: new\n",
					"s\n\nTicket: X\nAction: new\n"));
	assert_int_equal(why.len, 0);
	uc3_buf_release(&why);
}

static void
compare_names_every_difference(void **state)
{
	struct uc3_buf why = UC3_BUF_INIT;

	assert_false(uc3_message_compare(&why, "s\n\nTicket: X\nAction: new\nStep: staf\n",
					 "t\n\nnote\n\nTicket: Y\nAction: new\nReviewed-by: z\n"));
	assert_string_equal(why.ptr, "the subject is 't' where uc3 writes 's'; "
				     "its text is not the event's note; "
				     "Ticket: Y where uc3 writes X; "
				     "no Step trailer where uc3 writes staf; "
				     "a Reviewed-by trailer, which uc3 does not write");
	uc3_buf_release(&why);
}

static void
accept_names_the_commit_in_subject_and_trailer(void **state)
{
	struct uc3_buf b = UC3_BUF_INIT;
	struct uc3_message m;
	const char *id = "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5";

	(void)state;
	uc3_message_accept(&b, id, "Kunci lama.\nSudah diganti.\n");
	assert_string_equal(b.ptr, "verify: accept 1a2b3c4: Kunci lama.\n\nKunci lama.\nSudah "
				   "diganti.\n\nAction: accept\nAccepted: "
				   "1a2b3c4d5e6f708192a3b4c5d6e7f80912a3b4c5\n");
	uc3_message_parse(&m, b.ptr);
	assert_string_equal(m.text, "Kunci lama.\nSudah diganti.");
	assert_int_equal(m.ntr, 2);
	uc3_message_release(&m);
	uc3_buf_release(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(new_names_kind_subject_and_trailers),
		cmocka_unit_test(step_of_an_escalation_names_both_levels_and_the_note),
		cmocka_unit_test(step_of_an_answer_names_the_level),
		cmocka_unit_test(step_of_a_close_names_the_unit_not_a_deadline),
		cmocka_unit_test(notices_count_and_list_every_notice),
		cmocka_unit_test(deliver_by_mail_names_address_and_message_id),
		cmocka_unit_test(answer_sent_is_one_message_for_both_events),
		cmocka_unit_test(init_and_person_messages_carry_their_action),
		cmocka_unit_test(trailer_is_read_from_the_last_paragraph_only),
		cmocka_unit_test(parse_splits_subject_text_and_trailers),
		cmocka_unit_test(compare_finds_nothing_in_the_same_message),
		cmocka_unit_test(compare_names_every_difference),
		cmocka_unit_test(accept_names_the_commit_in_subject_and_trailer),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
