#include "ops.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "error.h"
#include "mail.h"
#include "notify.h"
#include "ops_int.h"
#include "records.h"
#include "remote.h"
#include "xalloc.h"

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
	if (step)
		return uc3_error_set(UC3_ECONFLICT,
				     "%s changed while this command ran (it is now %s, step %s); "
				     "nothing was recorded: look at it with uc3 show %s",
				     id, uc3_status_name(t->status), step, id);
	return uc3_error_set(UC3_ECONFLICT,
			     "%s changed while this command ran (it is now %s); "
			     "nothing was recorded: look at it with uc3 show %s",
			     id, uc3_status_name(t->status), id);
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
