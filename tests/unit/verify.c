#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "message.h"
#include "repo.h"
#include "ticket.h"
#include "verify.h"

/*
 * The audit (lib/verify.h) over a records repository made in process
 * (records.h): what uc3 writes is clean, and a ticket file or a message
 * that is not what its step writes is a finding.
 */

static void
audit(struct uc3_verify_result *r, struct uc3_store *st)
{
	struct uc3_verify_opts o = { .skew = 300 };

	if (uc3_verify(r, st, &o) < 0)
		fail_msg("verify: %s", uc3_error_last());
}

/* One command: a store of its own, as each uc3 step opens one. */
static void
step(struct fx *fx, const char *id, enum uc3_action action, const char *now)
{
	struct uc3_act a = { .action = action, .text = "Sudah kami cek.\n", .unit = "Keuangan" };
	struct uc3_store *st = open_records(fx);
	struct uc3_write_result res;

	setenv("UC3_NOW", now, 1);
	if (uc3_op_transition(st, id, &a, NULL, &res) < 0)
		fail_msg("%s: %s", uc3_transition_action_name(action), uc3_error_last());
	uc3_write_result_release(&res);
	uc3_store_free(st);
}

static void
what_uc3_writes_is_clean(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	char *id = new_ticket(st, NULL);

	uc3_store_free(st);
	step(*state, id, UC3_ACT_ESCALATE, "2026-11-27T09:01:00+07:00");
	step(*state, id, UC3_ACT_ANSWER, "2026-11-27T09:02:00+07:00");
	step(*state, id, UC3_ACT_DELIVER, "2026-11-27T09:03:00+07:00");
	step(*state, id, UC3_ACT_CLOSE, "2026-11-27T09:04:00+07:00");
	st = open_records(*state);
	audit(&r, st);
	assert_int_equal(r.commits, 6);
	if (r.nfindings)
		fail_msg("%s", r.findings[0].what);
	assert_non_null(uc3_verify_verdict(&r, uc3_store_tip(st)));
	assert_int_equal(uc3_verify_verdict(&r, uc3_store_tip(st))->sig, UC3_SIG_NONE);
	assert_false(uc3_verify_verdict(&r, uc3_store_tip(st))->denied);
	assert_null(uc3_verify_verdict(&r, "0000000000000000000000000000000000000000"));
	uc3_verify_result_release(&r);
	free(id);
	uc3_store_free(st);
}

/* A commit that claims an escalation but puts the ticket at the top of the chain. */
struct lie {
	const char *id;
	const char *message;
};

static int
lie_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct lie *l = ctx;
	struct uc3_ticket *t = NULL;
	struct uc3_event *e;
	char *path = NULL;
	int rc;

	if ((rc = uc3_records_load(&t, &path, st, l->id)) < 0)
		return rc;
	e = uc3_ticket_add_event(t);
	e->at = strdup("2026-11-27T09:01:00+07:00");
	e->by = strdup("humas1@example.ac.id");
	e->action = strdup("escalate");
	e->from = strdup("staf");
	e->to = strdup("kabiro");
	e->step.name = strdup("staf");
	e->step.due = strdup(t->deadline);
	free(t->level);
	t->level = strdup("kabiro");
	rc = uc3_ticket_format(uc3_write_add(w, path), t);
	uc3_buf_adds(&w->message, l->message);
	uc3_ticket_free(t);
	free(path);
	return rc;
}

static void
a_step_that_is_not_what_uc3_writes_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	struct uc3_buf msg = UC3_BUF_INIT;
	struct lie l;
	char *id = new_ticket(st, NULL);

	uc3_buf_addf(&msg, "%s: escalate staf -> kabiro\n\nTicket: %s\nAction: escalate\n", id, id);
	l.id = id;
	l.message = msg.ptr;
	setenv("UC3_NOW", "2026-11-27T09:01:00+07:00", 1);
	if (uc3_store_write(st, lie_edit, &l, NULL) < 0)
		fail_msg("%s", uc3_error_last());
	audit(&r, st);
	assert_int_equal(r.nfindings, 1);
	assert_int_equal(r.findings[0].kind, UC3_FIND_CONTENT);
	assert_string_equal(r.findings[0].commit, uc3_store_tip(st));
	assert_string_equal(r.findings[0].ticket, id);
	assert_non_null(
		strstr(r.findings[0].what, "level is 'kabiro' where the step gives 'wakor'"));
	uc3_verify_result_release(&r);
	uc3_buf_release(&msg);
	free(id);
	uc3_store_free(st);
}

static void
a_ticket_changed_without_trailers_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	struct lie l = { .message = "fix the level\n" };
	char *id = new_ticket(st, NULL);

	l.id = id;
	setenv("UC3_NOW", "2026-11-27T09:01:00+07:00", 1);
	if (uc3_store_write(st, lie_edit, &l, NULL) < 0)
		fail_msg("%s", uc3_error_last());
	audit(&r, st);
	assert_int_equal(r.nfindings, 1);
	assert_non_null(strstr(r.findings[0].what, "without uc3's trailers (Ticket, Action)"));
	uc3_verify_result_release(&r);
	free(id);
	uc3_store_free(st);
}

/* Keep a mail uc3 could not read, as uc3 new --mail would. Returns its path (free()). */
static char *
quarantine(struct uc3_store *st, const char *data)
{
	struct uc3_write_result res;
	char *path = NULL;

	if (uc3_op_quarantine(&path, st, data, strlen(data), "no From address", &res) < 0)
		fail_msg("quarantine: %s", uc3_error_last());
	uc3_write_result_release(&res);
	return path;
}

static void
a_mail_kept_and_registered_is_clean(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	struct uc3_new_input in = { .subject = "Retyped",
				    .kind = "keluhan",
				    .channel = "email",
				    .from = "siti@example.com",
				    .body = "Retyped.\n",
				    .body_len = 9 };
	char *path = quarantine(st, "not a mail\n"), *id = NULL;

	in.quarantined = path;
	setenv("UC3_NOW", "2026-11-27T09:01:00+07:00", 1);
	if (uc3_op_new(&id, st, &in, NULL) < 0)
		fail_msg("new: %s", uc3_error_last());
	audit(&r, st);
	assert_int_equal(r.commits, 3);
	if (r.nfindings)
		fail_msg("%s", r.findings[0].what);
	uc3_verify_result_release(&r);
	free(id);
	free(path);
	uc3_store_free(st);
}

/* A commit as a hand would make it: files added (data) or removed (NULL), and a message. */
struct by_hand {
	const char *paths[2];
	const char *data[2];
	const char *message;
};

static int
by_hand_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct by_hand *h = ctx;
	size_t i;

	(void)st;
	for (i = 0; i < 2 && h->paths[i]; i++) {
		if (h->data[i])
			uc3_buf_adds(uc3_write_add(w, h->paths[i]), h->data[i]);
		else
			uc3_write_remove(w, h->paths[i]);
	}
	uc3_buf_adds(&w->message, h->message);
	return 0;
}

static void
a_quarantine_commit_with_a_second_file_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	struct uc3_buf msg = UC3_BUF_INIT;
	char *path = uc3_records_quarantine_name(st, 1796181300, "x\n", 2);
	struct by_hand h = { { path, "README.md" }, { "x\n", "hello\n" }, NULL };

	uc3_message_quarantine(&msg, path, "no From address");
	h.message = msg.ptr;
	if (uc3_store_write(st, by_hand_edit, &h, NULL) < 0)
		fail_msg("%s", uc3_error_last());
	audit(&r, st);
	assert_int_equal(r.nfindings, 1);
	assert_string_equal(r.findings[0].commit, uc3_store_tip(st));
	assert_non_null(strstr(r.findings[0].what, "together with other files"));
	uc3_verify_result_release(&r);
	uc3_buf_release(&msg);
	free(path);
	uc3_store_free(st);
}

static void
a_quarantine_commit_uc3_did_not_write_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	char *path = uc3_records_quarantine_name(st, 1796181300, "x\n", 2);
	struct by_hand h = { { path }, { "x\n" }, "add a mail\n\nAction: quarantine\n" };

	if (uc3_store_write(st, by_hand_edit, &h, NULL) < 0)
		fail_msg("%s", uc3_error_last());
	audit(&r, st);
	assert_int_equal(r.nfindings, 1);
	assert_non_null(strstr(r.findings[0].what, "is not what uc3 writes to keep a mail"));
	uc3_verify_result_release(&r);
	free(path);
	uc3_store_free(st);
}

static void
removing_a_mail_without_registering_it_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	char *path = quarantine(st, "not a mail\n");
	struct by_hand h = { { path }, { NULL }, "drop it\n" };

	if (uc3_store_write(st, by_hand_edit, &h, NULL) < 0)
		fail_msg("%s", uc3_error_last());
	audit(&r, st);
	assert_int_equal(r.nfindings, 1);
	assert_string_equal(r.findings[0].commit, uc3_store_tip(st));
	assert_non_null(strstr(r.findings[0].what, "only uc3 new --quarantined"));
	uc3_verify_result_release(&r);
	free(path);
	uc3_store_free(st);
}

static void
changing_a_kept_mail_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	struct uc3_verify_result r;
	char *path = quarantine(st, "not a mail\n");
	struct by_hand h = { { path }, { "something else\n" }, "fix it\n" };

	if (uc3_store_write(st, by_hand_edit, &h, NULL) < 0)
		fail_msg("%s", uc3_error_last());
	audit(&r, st);
	assert_int_equal(r.nfindings, 1);
	assert_non_null(strstr(r.findings[0].what, "is never changed"));
	uc3_verify_result_release(&r);
	free(path);
	uc3_store_free(st);
}

#define FOLLOWUP_TEXT "Sudah seminggu belum ada kabar.\n\n> Mohon dicek.\n-- \nSiti\n"

/* uc3 new --mail's follow-up: the requester's mail on ticket id at now. */
static int
followup(struct fx *fx, const char *id, const char *now)
{
	struct uc3_act a = { .action = UC3_ACT_FOLLOWUP,
			     .note = FOLLOWUP_TEXT,
			     .sender = "siti@example.com",
			     .message_id = "<CAF9.1@mail.example.com>" };
	struct uc3_store *st = open_records(fx);
	struct uc3_write_result res;
	int rc;

	setenv("UC3_NOW", now, 1);
	rc = uc3_op_transition(st, id, &a, NULL, &res);
	if (rc == 0)
		uc3_write_result_release(&res);
	uc3_store_free(st);
	return rc;
}

static void
a_ticket_from_a_mail_and_its_followup_are_clean(void **state)
{
	static const char body[] = "Mohon dicek.\n";
	struct uc3_new_input in = { .subject = "UKT",
				    .kind = "keluhan",
				    .channel = "email",
				    .from = "Siti <siti@example.com>",
				    .body = body,
				    .body_len = sizeof(body) - 1,
				    .message_id = "<CAF1.1@mail.example.com>",
				    .sent = "2026-11-27T01:55:00Z",
				    .follows = "UC3-2026-0040",
				    .automatic = "auto-reply" };
	struct uc3_store *st = new_records(*state, false);
	struct uc3_write_result res = { 0 };
	struct uc3_verify_result r;
	struct uc3_ticket *t = NULL;
	char *id = NULL;

	if (uc3_op_new(&id, st, &in, &res) < 0)
		fail_msg("new: %s", uc3_error_last());
	uc3_write_result_release(&res);
	uc3_store_free(st);
	if (followup(*state, id, "2026-11-27T09:01:00+07:00") < 0)
		fail_msg("followup: %s", uc3_error_last());
	step(*state, id, UC3_ACT_ESCALATE, "2026-11-27T09:02:00+07:00");
	st = open_records(*state);
	assert_int_equal(uc3_records_load(&t, NULL, st, id), 0);
	/* sent in the policy's zone, as every time of the ticket */
	assert_string_equal(t->sent, "2026-11-27T08:55:00+07:00");
	assert_string_equal(t->message_id, "<CAF1.1@mail.example.com>");
	assert_string_equal(t->follows, "UC3-2026-0040");
	assert_string_equal(t->automatic, "auto-reply");
	assert_string_equal(t->events[1].action, "followup");
	/* kept as a note is: the blank that ends "-- " dropped, so that it is a literal block */
	assert_string_equal(t->events[1].note,
			    "Sudah seminggu belum ada kabar.\n\n> Mohon dicek.\n--\nSiti\n");
	assert_string_equal(t->events[1].message_id, "<CAF9.1@mail.example.com>");
	audit(&r, st);
	assert_int_equal(r.commits, 4);
	if (r.nfindings)
		fail_msg("%s", r.findings[0].what);
	uc3_verify_result_release(&r);
	uc3_ticket_free(t);
	free(id);
	uc3_store_free(st);
}

/* A commit that does to ticket id what change does, with message msg. */
struct forge {
	const char *id;
	const char *message;
	void (*change)(struct uc3_ticket *t);
};

static int
forge_edit(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct forge *f = ctx;
	struct uc3_ticket *t = NULL;
	char *path = NULL;
	int rc;

	if ((rc = uc3_records_load(&t, &path, st, f->id)) < 0)
		return rc;
	f->change(t);
	rc = uc3_ticket_format(uc3_write_add(w, path), t);
	uc3_buf_adds(&w->message, f->message);
	uc3_ticket_free(t);
	free(path);
	return rc;
}

static void
forge(struct fx *fx, struct forge *f, const char *now)
{
	struct uc3_store *st = open_records(fx);

	setenv("UC3_NOW", now, 1);
	if (uc3_store_write(st, forge_edit, f, NULL) < 0)
		fail_msg("%s", uc3_error_last());
	uc3_store_free(st);
}

/* The one finding of the audit of fx's records, which must say what. */
static void
one_finding(struct fx *fx, const char *what)
{
	struct uc3_store *st = open_records(fx);
	struct uc3_verify_result r;

	audit(&r, st);
	if (r.nfindings != 1)
		fail_msg("%zu findings, the first: %s", r.nfindings,
			 r.nfindings ? r.findings[0].what : "none");
	assert_string_equal(r.findings[0].commit, uc3_store_tip(st));
	if (!strstr(r.findings[0].what, what))
		fail_msg("finding '%s', not '%s'", r.findings[0].what, what);
	uc3_verify_result_release(&r);
	uc3_store_free(st);
}

static void
change_the_note(struct uc3_ticket *t)
{
	free(t->events[1].note);
	t->events[1].note = strdup("Terima kasih, sudah beres.\n");
}

static void
a_followup_note_changed_later_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	char *id = new_ticket(st, NULL);
	struct uc3_buf msg = UC3_BUF_INIT;
	struct forge f = { .change = change_the_note };

	uc3_store_free(st);
	if (followup(*state, id, "2026-11-27T09:01:00+07:00") < 0)
		fail_msg("followup: %s", uc3_error_last());
	uc3_buf_addf(&msg, "%s: followup from siti@example.com\n\nTicket: %s\nAction: followup\n",
		     id, id);
	f.id = id;
	f.message = msg.ptr;
	forge(*state, &f, "2026-11-27T09:02:00+07:00");
	one_finding(*state, "event 2 (followup at 2026-11-27T09:01:00+07:00) was changed");
	uc3_buf_release(&msg);
	free(id);
}

static void
append_a_followup(struct uc3_ticket *t)
{
	struct uc3_event *e = uc3_ticket_add_event(t);

	e->at = strdup("2026-11-27T09:05:00+07:00");
	e->by = strdup(USER_EMAIL);
	e->action = strdup("followup");
	e->note = strdup("Halo?\n\nMasih menunggu.\n");
	e->sender = strdup("siti@example.com");
}

static void
a_followup_on_a_closed_ticket_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	char *id = new_ticket(st, NULL);
	struct uc3_buf msg = UC3_BUF_INIT;
	struct forge f = { .change = append_a_followup };

	uc3_store_free(st);
	step(*state, id, UC3_ACT_ANSWER, "2026-11-27T09:01:00+07:00");
	step(*state, id, UC3_ACT_DELIVER, "2026-11-27T09:02:00+07:00");
	step(*state, id, UC3_ACT_CLOSE, "2026-11-27T09:03:00+07:00");
	/* uc3 itself refuses it */
	assert_int_equal(followup(*state, id, "2026-11-27T09:04:00+07:00"), UC3_EDENIED);
	assert_non_null(strstr(uc3_error_last(), "is closed"));
	uc3_buf_addf(&msg, "%s: followup from siti@example.com\n\nTicket: %s\nAction: followup\n",
		     id, id);
	f.id = id;
	f.message = msg.ptr;
	forge(*state, &f, "2026-11-27T09:05:00+07:00");
	one_finding(*state, id);
	one_finding(*state, " is closed");
	uc3_buf_release(&msg);
	free(id);
}

static void
a_followup_message_that_is_not_uc3s_is_found(void **state)
{
	struct uc3_store *st = new_records(*state, false);
	char *id = new_ticket(st, NULL);
	struct uc3_buf msg = UC3_BUF_INIT;
	struct forge f = { .change = append_a_followup };

	uc3_store_free(st);
	uc3_buf_addf(&msg, "%s: followup from boss@example.com\n\nTicket: %s\nAction: followup\n",
		     id, id);
	f.id = id;
	f.message = msg.ptr;
	forge(*state, &f, "2026-11-27T09:05:00+07:00");
	one_finding(*state, "the subject is '");
	uc3_buf_release(&msg);
	free(id);
}

#define T(name) cmocka_unit_test_setup_teardown(name, setup, teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		T(what_uc3_writes_is_clean),
		T(a_step_that_is_not_what_uc3_writes_is_found),
		T(a_ticket_changed_without_trailers_is_found),
		T(a_mail_kept_and_registered_is_clean),
		T(a_quarantine_commit_with_a_second_file_is_found),
		T(a_quarantine_commit_uc3_did_not_write_is_found),
		T(removing_a_mail_without_registering_it_is_found),
		T(changing_a_kept_mail_is_found),
		T(a_ticket_from_a_mail_and_its_followup_are_clean),
		T(a_followup_note_changed_later_is_found),
		T(a_followup_on_a_closed_ticket_is_found),
		T(a_followup_message_that_is_not_uc3s_is_found),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
