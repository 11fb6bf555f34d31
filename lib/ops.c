#include "ops.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "mail.h"
#include "message.h"
#include "notify.h"
#include "ops_int.h"
#include "records.h"
#include "remote.h"
#include "requester.h"
#include "utf8.h"
#include "xalloc.h"

struct new_ctx {
	struct uc3_ticket *in; /* what was typed */
	struct uc3_act act;    /* who, when, and the policy t was registered under */
	struct uc3_ticket *t;  /* the ticket registered */
	int year, month;
	time_t received;
};

/* --quarantined: path is a file waiting in quarantine at the tip, or UC3_EINVAL. */
static int
quarantine_waits(struct uc3_store *st, const char *path)
{
	char blob[41];

	if (!uc3_records_quarantine_ok(path))
		return uc3_error_set(UC3_EINVAL,
				     "--quarantined %s is not a file of the quarantine "
				     "(quarantine/NAME.eml, as uc3 list shows)",
				     path);
	if (uc3_store_blob(blob, st, path) < 0) {
		uc3_error_clear();
		return uc3_error_set(UC3_EINVAL,
				     "%s is not waiting in quarantine (uc3 list shows what waits)",
				     path);
	}
	return 0;
}

int
uc3_op_new_quarantined_check(struct uc3_store *st, const char *path)
{
	int rc;

	if ((rc = uc3_text_check(path, "--quarantined", UC3_TEXT_LINE)) < 0)
		return rc;
	return quarantine_waits(st, path);
}

static int
new_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct new_ctx *c = vctx;
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_buf id = UC3_BUF_INIT;
	unsigned long num;
	char *path;
	int rc;

	/* The policy of the tip this attempt builds on decides level and deadline. */
	if (p != c->act.policy) {
		struct uc3_ticket *t;

		c->act.policy = p;
		if ((rc = uc3_transition_new(&t, c->in, &c->act, c->received)) < 0)
			return rc;
		uc3_ticket_free(c->t);
		c->t = t;
	}
	if ((rc = uc3_records_next_number(&num, st, c->year)) < 0)
		return rc;
	uc3_ticket_id_format(&id, p->id_prefix, c->year, num);
	free(c->t->id);
	c->t->id = uc3_buf_detach(&id);
	path = uc3_records_path(c->t->id, c->year, c->month);
	rc = uc3_ticket_format(uc3_write_add_new(w, path), c->t);
	free(path);
	if (rc < 0)
		return rc;
	/* On every attempt: somebody may have registered the same mail meanwhile. */
	if (c->t->quarantined) {
		if ((rc = quarantine_waits(st, c->t->quarantined)) < 0)
			return rc;
		uc3_write_remove(w, c->t->quarantined);
	}
	uc3_message_new(&w->message, c->t);
	return 0;
}

/*
 * --social: blanks around it dropped; not empty, naming an account (a
 * letter or a digit, not only "@" and punctuation), and not a second
 * account beside --from "@account".
 */
static int
new_social(struct uc3_ticket *t, const char *typed)
{
	const unsigned char *p;
	char *s;
	int rc;

	s = uc3_text_trim(typed);
	if (!s)
		return uc3_error_set(UC3_EINVAL, "--social is empty");
	if ((rc = uc3_text_check(s, "--social", UC3_TEXT_LINE)) < 0) {
		free(s);
		return rc;
	}
	if (t->requester.social) {
		free(s);
		return uc3_error_set(UC3_EINVAL,
				     "--from '%s' and --social '%s' are two social accounts: "
				     "give one",
				     t->requester.social, typed);
	}
	for (p = (const unsigned char *)s; *p; p++)
		if (isalnum(*p) || *p >= 0x80)
			break;
	if (!*p) {
		free(s);
		return uc3_error_set(UC3_EINVAL, "--social '%s' names no account", typed);
	}
	t->requester.social = s;
	return 0;
}

/*
 * The fields of a ticket that came by mail, as given (each may be NULL):
 * checked here as uc3_transition_new_check checks them, so that the
 * message names the field as uc3 new --mail fills it; sent in the
 * policy's zone.
 */
static int
new_mail_fields(struct uc3_ticket *t, const struct uc3_new_input *in, const struct uc3_policy *p)
{
	const struct {
		const char *field, *value;
		char **to;
	} f[] = {
		{ "message_id", in->message_id, &t->message_id },
		{ "follows", in->follows, &t->follows },
		{ "automatic", in->automatic, &t->automatic },
	};
	time_t when;
	size_t i;
	int rc;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		if (!f[i].value)
			continue;
		if ((rc = uc3_text_check(f[i].value, f[i].field, UC3_TEXT_LINE)) < 0)
			return rc;
		*f[i].to = uc3_xstrdup(f[i].value);
	}
	if (in->sent) {
		if ((rc = uc3_text_check(in->sent, "sent", UC3_TEXT_LINE)) < 0)
			return rc;
		if (uc3_clock_parse(&when, in->sent, NULL) < 0)
			return uc3_error_set(UC3_EINVAL, "sent '%s' is not an RFC 3339 timestamp",
					     in->sent);
		/* Written as every time of the ticket is: RFC 3339 in the policy's zone. */
		uc3_clock_format_str(&t->sent, when, p->timezone);
	}
	return 0;
}

int
uc3_op_new(char **id, struct uc3_store *st, const struct uc3_new_input *in,
	   struct uc3_write_result *res)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	const char *actor_name, *actor_email;
	struct uc3_ticket *t = uc3_ticket_new();
	struct new_ctx c = { 0 };
	struct tm tm;
	time_t now, received;
	int rc;

	if ((rc = uc3_clock_now(&now)) < 0)
		goto out;
	if ((rc = uc3_remote_sync(st)) < 0)
		goto out;
	p = uc3_store_policy(st);
	if ((rc = uc3_store_actor(&actor_name, &actor_email, st)) < 0)
		goto out;
	if ((rc = uc3_transition_may_register(p, actor_email)) < 0)
		goto out;
	if (in->received) {
		if ((rc = uc3_clock_parse(&received, in->received, p->timezone)) < 0) {
			rc = uc3_error_prefix(rc, "--received");
			goto out;
		}
		if (received > now) {
			rc = uc3_error_set(UC3_EINVAL, "--received %s is in the future",
					   in->received);
			goto out;
		}
		/* Ids carry the year; they start at 1970 like the clocks. */
		if (received < 0) {
			rc = uc3_error_set(UC3_EINVAL, "--received %s is before 1970",
					   in->received);
			goto out;
		}
	} else {
		received = now;
	}
	if (in->from && (rc = uc3_requester_parse(&t->requester.name, &t->requester.email,
						  &t->requester.social, in->from)) < 0)
		goto out;
	t->subject = uc3_xstrdup(in->subject ? in->subject : "");
	t->kind = in->kind ? uc3_xstrdup(in->kind) : NULL;
	t->channel = in->channel ? uc3_xstrdup(in->channel) : NULL;
	t->requester.phone = in->phone && *in->phone ? uc3_xstrdup(in->phone) : NULL;
	if (t->requester.phone && !strpbrk(t->requester.phone, "0123456789")) {
		rc = uc3_error_set(UC3_EINVAL, "--phone '%s' has no digits", in->phone);
		goto out;
	}
	if (in->social && (rc = new_social(t, in->social)) < 0)
		goto out;
	if (in->address) {
		t->requester.address = uc3_requester_address(in->address);
		if (!t->requester.address) {
			rc = uc3_error_set(UC3_EINVAL, "--address is empty");
			goto out;
		}
		if ((rc = uc3_text_check(t->requester.address, "--address", UC3_TEXT_LINES)) < 0)
			goto out;
	}
	if (in->quarantined) {
		if ((rc = uc3_op_new_quarantined_check(st, in->quarantined)) < 0)
			goto out;
		t->quarantined = uc3_xstrdup(in->quarantined);
	}
	t->unit = uc3_text_trim(in->unit);
	t->body = in->body ? uc3_text_normalize(in->body, in->body_len) : uc3_xstrdup("");
	if (in->body && !uc3_utf8_valid(in->body, in->body_len, NULL)) {
		rc = uc3_error_set(UC3_EINVAL, "invalid UTF-8 in the body");
		goto out;
	}
	if (in->body && memchr(in->body, '\0', in->body_len)) {
		rc = uc3_error_set(UC3_EINVAL, "the body contains a NUL byte");
		goto out;
	}
	if (!t->kind) {
		rc = uc3_error_set(UC3_EINVAL, "no kind: give -k, one of the policy's kinds");
		goto out;
	}
	if (!t->channel) {
		rc = uc3_error_set(UC3_EINVAL, "no channel: give -c, one of the policy's channels");
		goto out;
	}
	if ((rc = new_mail_fields(t, in, p)) < 0)
		goto out;
	c.in = t;
	c.act.policy = p;
	c.act.actor = actor_email;
	c.act.now = now;
	c.received = received;
	if ((rc = uc3_transition_new(&c.t, t, &c.act, received)) < 0)
		goto out;
	if ((rc = uc3_clock_local(&tm, received, p->timezone)) < 0)
		goto out;
	c.year = tm.tm_year + 1900;
	c.month = tm.tm_mon + 1;
	if ((rc = uc3_store_write(st, new_edit, &c, res)) < 0) {
		if (rc == UC3_EEXIST)
			uc3_records_forget_numbers(st);
		goto out;
	}
	{
		unsigned long num;

		if (uc3_ticket_id_parse(c.t->id, p->id_prefix, NULL, &num))
			uc3_records_note_number(st, c.year, num);
	}
	*id = uc3_xstrdup(c.t->id);
out:
	uc3_ticket_free(c.t);
	uc3_ticket_free(t);
	return rc;
}

/*
 * The ticket t (path) of the base is still the one the command first read
 * (seen), or UC3_ECONFLICT, saying so.
 */
static int
still_seen(struct uc3_store *st, const char *id, const char *path, const struct uc3_ticket *t,
	   const char *seen)
{
	const char *step = uc3_transition_step(t);
	char now[41];

	if (uc3_store_blob(now, st, path) == 0 && !strcmp(now, seen))
		return 0;
	return uc3_error_set(UC3_ECONFLICT,
			     "%s changed while this command ran (it is now %s%s%s); "
			     "nothing was recorded: look at it with uc3 show %s",
			     id, uc3_status_name(t->status), step ? ", step " : "",
			     step ? step : "", id);
}

int
uc3_op__do(struct uc3_op__kept *k, struct uc3_ticket *t)
{
	int rc;

	uc3_buf_reset(&k->msg);
	uc3_buf_reset(&k->text);
	if ((rc = k->apply(k, t, &k->msg)) < 0 || (rc = uc3_ticket_format(&k->text, t)) < 0)
		return rc;
	uc3_ticket_free(k->done);
	k->done = t;
	return 0;
}

int
uc3_op__write_kept(struct uc3_write *w, struct uc3_store *st, struct uc3_op__kept *k, char **path)
{
	struct uc3_ticket *t = NULL;
	char blob[41];
	int rc;

	*path = NULL;
	/* Another ticket may have moved the branch; this one must be as it was seen. */
	if ((rc = uc3_records_find(path, st, k->id)) < 0)
		return rc;
	if (uc3_store_blob(blob, st, *path) < 0 || strcmp(blob, k->seen)) {
		if ((rc = uc3_records_load(&t, NULL, st, k->id)) == 0)
			rc = still_seen(st, k->id, *path, t, k->seen);
		uc3_ticket_free(t);
		return rc;
	}
	if (uc3_store_policy(st) != k->act.policy) {
		k->act.policy = uc3_store_policy(st);
		if ((rc = uc3_records_load(&t, NULL, st, k->id)) < 0)
			return rc;
		if ((rc = uc3_op__do(k, t)) < 0) {
			uc3_ticket_free(t);
			return rc;
		}
	}
	uc3_buf_add(uc3_write_add(w, *path), k->text.ptr, k->text.len);
	uc3_buf_add(&w->message, k->msg.ptr, k->msg.len);
	return 0;
}

void
uc3_op__kept_release(struct uc3_op__kept *k)
{
	uc3_ticket_free(k->done);
	k->done = NULL;
	uc3_buf_release(&k->text);
	uc3_buf_release(&k->msg);
}

static int
step_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	char *path = NULL;
	int rc = uc3_op__write_kept(w, st, vctx, &path);

	free(path);
	return rc;
}

static int
step_apply(struct uc3_op__kept *k, struct uc3_ticket *t, struct uc3_buf *msg)
{
	return uc3_transition_apply(t, &k->act, msg);
}

/*
 * Fill in who and when and read the ticket (*t): what would be refused is
 * refused before any lock is taken or text is asked for.
 *
 * The step is bound to the ticket as the command first read it, the state
 * its user saw (seen: its blob). That is pinned before catching up with a
 * central repository, and kept from the check before the editor to the
 * write after it: if somebody else changed the ticket meanwhile, here or
 * there, the step is refused, not done again from where they left it.
 */
static int
prepare(struct uc3_ticket **t, struct uc3_act *act, char seen[41], struct uc3_store *st,
	const char *id)
{
	const char *name, *email;
	char *path = NULL;
	int rc;

	*t = NULL;
	if (uc3_records_find(&path, st, id) == 0)
		uc3_store_pin(NULL, st, path);
	free(path);
	path = NULL;
	uc3_error_clear();
	if ((rc = uc3_remote_sync(st)) < 0)
		return rc;
	act->policy = uc3_store_policy(st);
	if ((rc = uc3_clock_now(&act->now)) < 0)
		return rc;
	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		return rc;
	act->actor = email;
	if ((rc = uc3_records_load(t, &path, st, id)) < 0)
		return rc;
	if ((rc = uc3_store_pin(seen, st, path)) < 0 ||
	    (rc = still_seen(st, id, path, *t, seen)) < 0) {
		uc3_ticket_free(*t);
		*t = NULL;
	}
	free(path);
	return rc;
}

int
uc3_op__prepare(struct uc3_ticket **t, struct uc3_act *act, char seen[41], struct uc3_store *st,
		const char *id)
{
	return prepare(t, act, seen, st, id);
}

int
uc3_op_transition_check(struct uc3_store *st, const char *id, const struct uc3_act *a)
{
	struct uc3_ticket *t;
	struct uc3_act act = *a;
	char seen[41];
	int rc;

	if ((rc = prepare(&t, &act, seen, st, id)) < 0)
		return rc;
	rc = uc3_transition_check(t, &act);
	uc3_ticket_free(t);
	return rc;
}

/* A duplicate repeats a ticket of these records: of must be one. */
static int
duplicate_of(struct uc3_store *st, const char *of)
{
	char *path = NULL;
	int rc = uc3_records_find(&path, st, of);

	free(path);
	if (rc == UC3_ENOTFOUND)
		return uc3_error_set(UC3_EINVAL, "--of %s: there is no ticket %s in these records",
				     of, of);
	return rc;
}

/*
 * A step that mails the answer (answer --send, deliver --send): the
 * message is composed before the write, from the ticket as the step
 * leaves it, and handed to sendmail in the write's first attempt, once
 * the ticket is known to be still as it was seen, just before the commit.
 */
struct send_ctx {
	struct uc3_op__kept k; /* first: step_edit's context */
	struct uc3_buf subject, body, mid;
	struct uc3_notify_thread th;
	char *to;
	bool sent;
};

/*
 * The mail of the answer to t's requester: the Message-ID (into
 * c->k.act, for the deliver event), then the step done on t (taken), and
 * templates/answer.txt rendered with the ticket as the step leaves it,
 * threaded after the requester's message and the mails sent them before.
 */
static int
send_compose(struct send_ctx *c, struct uc3_store *st, struct uc3_ticket *t)
{
	const struct uc3_policy *p = c->k.act.policy;
	struct uc3_notify_thread th;
	struct uc3_ynode *ctx;
	int rc;

	if (t->requester.email)
		c->to = uc3_xstrdup(t->requester.email);
	c->k.act.mail_to = c->to;
	uc3_mail_message_id(&c->mid, p->mail_from ? p->mail_from : "uc3@localhost", c->k.act.now);
	c->k.act.message_id = c->mid.ptr;
	if ((rc = uc3_op__do(&c->k, t)) < 0) {
		uc3_ticket_free(t);
		return rc;
	}
	ctx = uc3_notify_context(p, c->k.done);
	rc = uc3_notify_render(&c->subject, &c->body, st, c->k.act.datadir, UC3_NOTIFY_ANSWER, ctx);
	uc3_ynode_free(ctx);
	if (rc < 0)
		return rc;
	/*
	 * The thread is what came before, not this mail itself; copied, since
	 * a write redone under a changed policy replaces the ticket.
	 */
	uc3_notify_thread(&th, c->k.done);
	if (th.nrefs && !strcmp(th.refs[th.nrefs - 1], c->mid.ptr))
		th.nrefs--;
	c->th.in_reply_to = th.in_reply_to ? uc3_xstrdup(th.in_reply_to) : NULL;
	c->th.refs = uc3_xcalloc(th.nrefs + 1, sizeof(*c->th.refs));
	for (c->th.nrefs = 0; c->th.nrefs < th.nrefs; c->th.nrefs++)
		c->th.refs[c->th.nrefs] = uc3_xstrdup(th.refs[c->th.nrefs]);
	free(th.refs);
	return 0;
}

static void
send_release(struct send_ctx *c)
{
	size_t i;

	uc3_buf_release(&c->subject);
	uc3_buf_release(&c->body);
	uc3_buf_release(&c->mid);
	for (i = 0; i < c->th.nrefs; i++)
		free((char *)c->th.refs[i]);
	free(c->th.refs);
	free((char *)c->th.in_reply_to);
	free(c->to);
}

static int
send_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct send_ctx *c = vctx;
	char *path = NULL;
	int rc = uc3_op__write_kept(w, st, &c->k, &path);

	free(path);
	if (rc < 0 || c->sent)
		return rc;
	if ((rc = uc3_notify_send(c->k.act.policy, c->to, c->subject.ptr, c->body.ptr, c->k.act.now,
				  c->mid.ptr, &c->th)) < 0) {
		char *why = uc3_xstrdup(uc3_error_last());

		uc3_error_set(rc, "%s; nothing was recorded", why);
		free(why);
		return rc;
	}
	c->sent = true;
	return 0;
}

/* The write failed after the mail went: say so, and how to record it by hand. */
static int
sent_not_recorded(int rc, const struct send_ctx *c)
{
	char *why = uc3_xstrdup(uc3_error_last());

	if (c->k.act.action == UC3_ACT_ANSWER)
		uc3_error_set(rc,
			      "the answer WAS mailed to %s (Message-ID %s) but not recorded: %s; "
			      "record it with uc3 answer %s, then uc3 deliver %s -m 'mailed %s'",
			      c->to, c->mid.ptr, why, c->k.id, c->k.id, c->mid.ptr);
	else
		uc3_error_set(rc,
			      "the answer WAS mailed to %s (Message-ID %s) but not recorded: %s; "
			      "record it with uc3 deliver %s -m 'mailed %s'",
			      c->to, c->mid.ptr, why, c->k.id, c->mid.ptr);
	free(why);
	return rc;
}

int
uc3_op_transition(struct uc3_store *st, const char *id, const struct uc3_act *a,
		  struct uc3_ticket **ticket_out, struct uc3_write_result *res)
{
	struct send_ctx s = { 0 };
	struct uc3_op__kept *c = &s.k;
	struct uc3_ticket *t;
	int rc;

	c->id = id;
	c->act = *a;
	c->act.mail_to = NULL;
	/* A follow-up's Message-ID is the mail's; the answer's is made when it is sent. */
	if (a->action != UC3_ACT_FOLLOWUP)
		c->act.message_id = NULL;
	c->apply = step_apply;
	uc3_buf_init(&c->text);
	uc3_buf_init(&c->msg);
	uc3_buf_init(&s.subject);
	uc3_buf_init(&s.body);
	uc3_buf_init(&s.mid);
	if ((rc = prepare(&t, &c->act, c->seen, st, id)) < 0)
		goto out;
	if (c->act.send) {
		if ((rc = send_compose(&s, st, t)) < 0)
			goto out;
	} else if ((rc = uc3_op__do(c, t)) < 0) {
		uc3_ticket_free(t);
		goto out;
	}
	if (c->act.action == UC3_ACT_CLOSE_AS && c->act.of &&
	    (rc = duplicate_of(st, c->act.of)) < 0)
		goto out;
	rc = uc3_store_write(st, c->act.send ? send_edit : step_edit, &s, res);
	if (rc < 0 && s.sent)
		rc = sent_not_recorded(rc, &s);
	if (rc == 0 && ticket_out) {
		*ticket_out = c->done;
		c->done = NULL;
	}
out:
	uc3_op__kept_release(c);
	send_release(&s);
	return rc;
}
