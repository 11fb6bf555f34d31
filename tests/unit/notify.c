#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "helpers.h"
#include "message.h"
#include "notify.h"
#include "ticket.h"
#include "transition.h"

/*
 * Mail about tickets (lib/notify.h): templates split into a Subject line
 * and a body, the data they see, the thread of a requester's mails, who
 * holds a role, and what a notice commit says.
 */

static const char ticket_yaml[] =
	"id: UC3-2026-0042\n"
	"subject: Pembayaran UKT belum terverifikasi\n"
	"kind: keluhan\n"
	"channel: email\n"
	"requester:\n"
	"  name: Siti Aminah\n"
	"  email: siti@example.com\n"
	"received: 2026-11-27T15:58:00+07:00\n"
	"message_id: <asli.1@mail.example.com>\n"
	"status: open\n"
	"level: wakor\n"
	"deadline: 2026-11-30T08:33:00+07:00\n"
	"body: |\n"
	"  Sudah bayar.\n"
	"  Mohon dicek.\n"
	"events:\n"
	"  - at: 2026-11-27T15:58:00+07:00\n"
	"    by: humas1@unej.ac.id\n"
	"    action: new\n"
	"  - at: 2026-11-27T15:58:00+07:00\n"
	"    by: humas1@unej.ac.id\n"
	"    action: notice\n"
	"    to: SITI@example.com\n"
	"    about: received\n"
	"    message_id: <ack.1@unej.ac.id>\n"
	"  - at: 2026-11-27T15:59:00+07:00\n"
	"    by: humas1@unej.ac.id\n"
	"    action: escalate\n"
	"    from: staf\n"
	"    to: wakor\n"
	"    step: {name: staf, due: 2026-11-30T07:33:00+07:00, late: false}\n"
	"  - at: 2026-11-27T15:59:00+07:00\n"
	"    by: humas1@unej.ac.id\n"
	"    action: notice\n"
	"    to: wakor@unej.ac.id\n"
	"    about: escalated\n"
	"    message_id: <esc.1@unej.ac.id>\n"
	"    step: {name: wakor, due: 2026-11-30T08:33:00+07:00, late: false}\n";

static struct uc3_ticket *
ticket(void)
{
	struct uc3_ticket *t = NULL;

	if (uc3_ticket_parse(&t, ticket_yaml, strlen(ticket_yaml), "t.yaml") < 0)
		fail_msg("test bug: %s", uc3_error_last());
	return t;
}

static const char *
get(const struct uc3_ynode *m, const char *path)
{
	char key[64];
	const char *dot;

	while ((dot = strchr(path, '.')) != NULL) {
		snprintf(key, sizeof(key), "%.*s", (int)(dot - path), path);
		m = uc3_ynode_get(m, key);
		assert_non_null(m);
		path = dot + 1;
	}
	m = uc3_ynode_get(m, path);
	assert_non_null(m);
	return m->str;
}

/* The template's first line is its Subject; the rest after an empty line the body. */
static void
render_splits_subject_and_body(void **state)
{
	struct uc3_policy *p = default_policy_with(NULL);
	struct uc3_ticket *t = ticket();
	struct uc3_ynode *ctx = uc3_notify_context(p, t);
	struct uc3_buf s = UC3_BUF_INIT, b = UC3_BUF_INIT;

	(void)state;
	assert_int_equal(
		uc3_notify_render_text(&s, &b,
				       "Subject: Re: [{{ticket.id}}] {{ticket.subject}}\n\n"
				       "{{&ticket.body}}\n--\n{{office}}\n",
				       "answer.txt", ctx),
		0);
	assert_string_equal(s.ptr, "Re: [UC3-2026-0042] Pembayaran UKT belum terverifikasi");
	assert_string_equal(b.ptr, "Sudah bayar.\nMohon dicek.\n--\n"
				   "University Customer Care Center (UC3), Universitas Jember\n");
	uc3_buf_reset(&s);
	uc3_buf_reset(&b);
	/* No Subject line, or a second header: refused, naming the file. */
	assert_int_equal(uc3_notify_render_text(&s, &b, "Hello\n\nbody\n", "answer.txt", ctx),
			 UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "templates/answer.txt: it must start with"));
	assert_int_equal(uc3_notify_render_text(&s, &b, "Subject: x\nCc: y\n\nbody\n", "answer.txt",
						ctx),
			 UC3_EINVAL);
	assert_non_null(strstr(uc3_error_last(), "only a Subject: line"));
	assert_int_equal(uc3_notify_render_text(&s, &b, "Subject: x", "answer.txt", ctx),
			 UC3_EINVAL);
	uc3_buf_release(&s);
	uc3_buf_release(&b);
	uc3_ynode_free(ctx);
	uc3_ticket_free(t);
	uc3_policy_free(p);
}

/* What a template sees of a ticket: times in office time, the role's name, the SOP's span. */
static void
context_reads_as_people_do(void **state)
{
	struct uc3_policy *p = default_policy_with(NULL);
	struct uc3_ticket *t = ticket();
	struct uc3_ynode *ctx = uc3_notify_context(p, t);

	(void)state;
	assert_string_equal(get(ctx, "prefix"), "UC3");
	assert_string_equal(get(ctx, "ticket.id"), "UC3-2026-0042");
	assert_string_equal(get(ctx, "ticket.requester.email"), "siti@example.com");
	assert_string_equal(get(ctx, "ticket.received"), "2026-11-27 15:58");
	assert_string_equal(get(ctx, "ticket.deadline"), "2026-11-30 08:33");
	assert_string_equal(get(ctx, "ticket.level_name"), "Wakil Koordinator PKIH");
	assert_string_equal(get(ctx, "ticket.step_time"), "1h");
	assert_string_equal(get(ctx, "ticket.answer"), "");
	/* 5m + 1h + 2h + 30m + deliver 5m, from Friday 15:58: two minutes Friday, the rest Monday
	 */
	assert_string_equal(get(ctx, "ticket.answer_within"), "3h40m");
	assert_string_equal(get(ctx, "ticket.answer_by"), "2026-11-30 11:08");
	uc3_ynode_free(ctx);
	ctx = uc3_notify_context(p, NULL);
	assert_null(uc3_ynode_get(ctx, "ticket"));
	uc3_ynode_free(ctx);
	uc3_ticket_free(t);
	uc3_policy_free(p);
}

/*
 * The policy's language: the dates a template sees written out in it,
 * whatever the process's locale (no catalogue needed); the policy's
 * notation of a step's time stays.
 */
static void
context_dates_in_the_policys_language(void **state)
{
	struct uc3_policy *p = default_policy_with(NULL);
	struct uc3_ticket *t = ticket();
	struct uc3_ynode *ctx;

	(void)state;
	p->language = strdup("id");
	ctx = uc3_notify_context(p, t);
	assert_string_equal(get(ctx, "ticket.received"), "Jumat, 27 November 2026 15.58 WIB");
	assert_string_equal(get(ctx, "ticket.deadline"), "Senin, 30 November 2026 08.33 WIB");
	assert_string_equal(get(ctx, "ticket.answer_by"), "Senin, 30 November 2026 11.08 WIB");
	assert_string_equal(get(ctx, "ticket.answer_within"), "3h40m");
	uc3_ynode_free(ctx);
	free(p->language);
	p->language = strdup("en");
	ctx = uc3_notify_context(p, t);
	assert_string_equal(get(ctx, "ticket.deadline"), "Monday, 30 November 2026 08:33 WIB");
	uc3_ynode_free(ctx);
	uc3_ticket_free(t);
	uc3_policy_free(p);
}

/* The requester's thread: their message, then what was mailed to them (not to staff). */
static void
thread_follows_the_requesters_mails(void **state)
{
	struct uc3_ticket *t = ticket();
	struct uc3_notify_thread th;

	(void)state;
	uc3_notify_thread(&th, t);
	assert_string_equal(th.in_reply_to, "<asli.1@mail.example.com>");
	assert_int_equal(th.nrefs, 2);
	assert_string_equal(th.refs[0], "<asli.1@mail.example.com>");
	assert_string_equal(th.refs[1], "<ack.1@unej.ac.id>");
	free(th.refs);
	/* Without the requester's own message: no In-Reply-To, the thread of our mails. */
	free(t->message_id);
	t->message_id = NULL;
	uc3_notify_thread(&th, t);
	assert_null(th.in_reply_to);
	assert_int_equal(th.nrefs, 1);
	assert_string_equal(th.refs[0], "<ack.1@unej.ac.id>");
	free(th.refs);
	uc3_ticket_free(t);
}

/* Pending: an acknowledgement owed while open, an escalation nobody was told of. */
static void
pending_sees_what_is_owed(void **state)
{
	struct uc3_policy *p =
		default_policy_with("people:\n  - {email: koord@x.id, roles: [koordinator]}\n");
	struct uc3_policy *single = default_policy_with(NULL);
	struct uc3_ticket *t = ticket();

	(void)state;
	/* told of both */
	p->notify_acknowledge = true;
	assert_false(uc3_notify_pending(t, p));
	/* a second escalation, nobody told of it yet */
	free(t->level);
	t->level = strdup("koordinator");
	free(t->events[2].to);
	t->events[2].to = strdup("koordinator");
	assert_true(uc3_notify_pending(t, p));
	/* single-user mode: nobody to tell, unless notify.fallback names somebody */
	assert_false(uc3_notify_pending(t, single));
	free(single->notify_fallback); /* fallback: [] of the default policy */
	single->notify_fallback = calloc(2, sizeof(char *));
	single->notify_fallback[0] = strdup("admin@x.id");
	single->nnotify_fallback = 1;
	assert_true(uc3_notify_pending(t, single));
	p->notify_holders = false;
	assert_false(uc3_notify_pending(t, p));
	/* the acknowledgement not recorded: owed while open, and only when asked for */
	free(t->events[1].about);
	t->events[1].about = strdup("warning");
	assert_true(uc3_notify_pending(t, p));
	p->notify_acknowledge = false;
	assert_false(uc3_notify_pending(t, p));
	p->notify_acknowledge = true;
	t->status = UC3_STATUS_ANSWERED;
	assert_false(uc3_notify_pending(t, p));
	uc3_ticket_free(t);
	uc3_policy_free(single);
	uc3_policy_free(p);
}

/* An automatic mail (an auto-reply, a bounce) is never owed an acknowledgement. */
static void
an_automatic_mail_is_never_acknowledged(void **state)
{
	struct uc3_policy *p = default_policy_with(NULL);
	struct uc3_ticket *t = ticket();
	char owed[3];

	(void)state;
	p->notify_acknowledge = true;
	/* not acknowledged yet: owed */
	free(t->events[1].about);
	t->events[1].about = strdup("warning");
	uc3_notify_owed(owed, t);
	assert_non_null(strchr(owed, 'a'));
	assert_true(uc3_notify_pending(t, p));
	/* the same ticket from an auto-reply: nothing owed, nothing pending */
	t->automatic = strdup("auto-reply");
	uc3_notify_owed(owed, t);
	assert_null(strchr(owed, 'a'));
	assert_false(uc3_notify_pending(t, p));
	free(t->automatic);
	t->automatic = strdup("loop");
	uc3_notify_owed(owed, t);
	assert_null(strchr(owed, 'a'));
	uc3_ticket_free(t);
	uc3_policy_free(p);
}

/* Holders: the people with the role, each once, never a service identity. */
static void
holders_are_people_with_the_role(void **state)
{
	struct uc3_policy *p = default_policy_with("people:\n"
						   "  - {email: wakor1@x.id, roles: [wakor]}\n"
						   "  - {email: both@x.id, roles: [staf, wakor]}\n"
						   "  - {email: staf@x.id, roles: [staf]}\n"
						   "  - {email: cron@x.id, service: true}\n");
	char **to = NULL;
	size_t n = 0, i;

	(void)state;
	uc3_notify_holders(&to, &n, p, "wakor");
	uc3_notify_holders(&to, &n, p, "wakor");
	assert_int_equal(n, 2);
	assert_string_equal(to[0], "wakor1@x.id");
	assert_string_equal(to[1], "both@x.id");
	uc3_notify_holders(&to, &n, p, "kabiro");
	assert_int_equal(n, 2);
	for (i = 0; i < n; i++)
		free(to[i]);
	free(to);
	uc3_policy_free(p);
}

/* The notice commit's subject says what was told, to whom. */
static void
notice_messages_say_what_was_told(void **state)
{
	struct uc3_buf m = UC3_BUF_INIT;
	const struct uc3_message_notice late[] = { { "UC3-2026-0001", "staf", "a@x.id", NULL } };
	const struct uc3_message_notice ack[] = { { "UC3-2026-0001", NULL, "s@x.id", "received" } };
	const struct uc3_message_notice esc[] = {
		{ "UC3-2026-0001", "wakor", "a@x.id", "escalated" },
		{ "UC3-2026-0001", "wakor", "b@x.id", "escalated" },
	};
	const struct uc3_message_notice mix[] = {
		{ "UC3-2026-0001", "staf", "a@x.id", "warning" },
		{ "UC3-2026-0002", "staf", "a@x.id", NULL },
	};

	(void)state;
	uc3_message_notices(&m, 1, 1, late, 1);
	assert_string_equal(m.ptr, "overdue: 1 notice of late steps, 1 ticket\n\n"
				   "UC3-2026-0001 staf: a@x.id\n\nAction: notice\n");
	uc3_buf_reset(&m);
	uc3_message_notices(&m, 1, 1, ack, 1);
	assert_string_equal(m.ptr, "UC3-2026-0001: notice received to s@x.id\n\n"
				   "UC3-2026-0001 received: s@x.id\n\nAction: notice\n");
	uc3_buf_reset(&m);
	uc3_message_notices(&m, 2, 1, esc, 2);
	assert_string_equal(m.ptr, "UC3-2026-0001: notice escalated to 2 people\n\n"
				   "UC3-2026-0001 escalated wakor: a@x.id\n"
				   "UC3-2026-0001 escalated wakor: b@x.id\n\nAction: notice\n");
	uc3_buf_reset(&m);
	uc3_message_notices(&m, 2, 2, mix, 2);
	assert_string_equal(m.ptr, "notice: 2 mails (warning, late), 2 tickets\n\n"
				   "UC3-2026-0001 warning staf: a@x.id\n"
				   "UC3-2026-0002 staf: a@x.id\n\nAction: notice\n");
	uc3_buf_release(&m);
}

/* $UC3_SENDMAIL, when set and not empty, goes before the policy's. */
static void
sendmail_from_the_environment_first(void **state)
{
	struct uc3_policy *p = default_policy_with(NULL);

	(void)state;
	unsetenv("UC3_SENDMAIL");
	assert_string_equal(uc3_notify_sendmail(p), "/usr/sbin/sendmail -t -i");
	setenv("UC3_SENDMAIL", "", 1);
	assert_string_equal(uc3_notify_sendmail(p), "/usr/sbin/sendmail -t -i");
	setenv("UC3_SENDMAIL", "/bin/true", 1);
	assert_string_equal(uc3_notify_sendmail(p), "/bin/true");
	unsetenv("UC3_SENDMAIL");
	uc3_policy_free(p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(render_splits_subject_and_body),
		cmocka_unit_test(context_reads_as_people_do),
		cmocka_unit_test(context_dates_in_the_policys_language),
		cmocka_unit_test(thread_follows_the_requesters_mails),
		cmocka_unit_test(pending_sees_what_is_owed),
		cmocka_unit_test(an_automatic_mail_is_never_acknowledged),
		cmocka_unit_test(holders_are_people_with_the_role),
		cmocka_unit_test(notice_messages_say_what_was_told),
		cmocka_unit_test(sendmail_from_the_environment_first),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
