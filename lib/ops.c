#include "ops.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "utf8.h"
#include "xalloc.h"

static char *
trim_dup(const char *s, size_t len)
{
	while (len && (*s == ' ' || *s == '\t')) {
		s++;
		len--;
	}
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return uc3_xstrndup(s, len);
}

static bool
email_ok(const char *e)
{
	const char *at = strchr(e, '@');

	return at && at != e && at[1] && !strchr(at + 1, '@') && !strpbrk(e, " \t<>,;\"");
}

int
uc3_requester_parse(char **name, char **email, const char *from)
{
	const char *lt, *gt;

	*name = NULL;
	*email = NULL;
	if (uc3_text_check(from, "--from", UC3_TEXT_UNBROKEN) < 0)
		return UC3_EINVAL;
	lt = strchr(from, '<');
	gt = strchr(from, '>');
	if (lt || gt) {
		const char *p;

		if (!lt || !gt || gt < lt || strchr(lt + 1, '<') || strchr(gt + 1, '>'))
			goto bad;
		for (p = gt + 1; *p; p++)
			if (*p != ' ' && *p != '\t')
				goto bad;
		*email = trim_dup(lt + 1, (size_t)(gt - lt - 1));
		if (!email_ok(*email))
			goto bad;
		*name = trim_dup(from, (size_t)(lt - from));
		if (**name == '"' && strlen(*name) >= 2 && (*name)[strlen(*name) - 1] == '"') {
			char *q = trim_dup(*name + 1, strlen(*name) - 2);

			free(*name);
			*name = q;
		}
		if (!**name) {
			free(*name);
			*name = NULL;
		}
		return 0;
	}
	{
		char *s = trim_dup(from, strlen(from));

		if (!*s) {
			free(s);
			goto bad;
		}
		if (strchr(s, '@')) {
			if (!email_ok(s)) {
				free(s);
				goto bad;
			}
			*email = s;
		} else {
			*name = s;
		}
	}
	return 0;
bad:
	free(*name);
	free(*email);
	*name = NULL;
	*email = NULL;
	return uc3_error_set(UC3_EINVAL,
			     "cannot read --from '%s': expected \"Name <email>\", an email or a name",
			     from);
}

int
uc3_read_limited(struct uc3_buf *out, int fd, size_t limit, const char *what)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return uc3_error_set(UC3_ERROR, "cannot read %s: %s", what, strerror(errno));
		}
		if (n == 0)
			return 0;
		if (out->len + (size_t)n > limit)
			return uc3_error_set(UC3_EINVAL, "%s is over the limit of %zu bytes", what,
					     limit);
		uc3_buf_add(out, chunk, (size_t)n);
	}
}

struct new_ctx {
	struct uc3_ticket *t;
	int year, month;
	time_t received;
};

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
	{
		time_t due;

		if ((rc = uc3_ticket_check(c->t, p)) < 0 ||
		    (rc = uc3_calendar_add(&due, &p->calendar, p->timezone, c->received,
					   p->roles[0].step)) < 0 ||
		    (rc = uc3_clock_format_str(&c->t->deadline, due, p->timezone)) < 0)
			return rc;
		free(c->t->level);
		c->t->level = uc3_xstrdup(p->roles[0].id);
	}
	if ((rc = uc3_store_next_number(&num, st, c->year)) < 0)
		return rc;
	uc3_ticket_id_format(&id, p->id_prefix, c->year, num);
	free(c->t->id);
	c->t->id = uc3_buf_detach(&id);
	path = uc3_store_ticket_path(c->t->id, c->year, c->month);
	rc = uc3_ticket_format(uc3_write_add_new(w, path), c->t);
	free(path);
	if (rc < 0)
		return rc;
	uc3_transition_new_message(&w->message, c->t);
	return 0;
}

int
uc3_op_new(char **id, struct uc3_store *st, const struct uc3_new_input *in,
	   struct uc3_write_result *res)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	const char *actor_name, *actor_email;
	struct uc3_ticket *t = uc3_ticket_new();
	struct uc3_event *ev;
	struct new_ctx c;
	struct tm tm;
	time_t now, received, due;
	int rc;

	if ((rc = uc3_clock_now(&now)) < 0)
		goto out;
	if ((rc = uc3_store_sync(st)) < 0)
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
			rc = uc3_error_set(UC3_EINVAL, "--received %s is in the future", in->received);
			goto out;
		}
		/* Ids carry the year; they start at 1970 like the clocks. */
		if (received < 0) {
			rc = uc3_error_set(UC3_EINVAL, "--received %s is before 1970", in->received);
			goto out;
		}
	} else {
		received = now;
	}
	if (in->from &&
	    (rc = uc3_requester_parse(&t->requester.name, &t->requester.email, in->from)) < 0)
		goto out;
	t->subject = uc3_xstrdup(in->subject ? in->subject : "");
	t->kind = in->kind ? uc3_xstrdup(in->kind) : NULL;
	t->channel = in->channel ? uc3_xstrdup(in->channel) : NULL;
	t->requester.phone = in->phone && *in->phone ? uc3_xstrdup(in->phone) : NULL;
	if (t->requester.phone && !strpbrk(t->requester.phone, "0123456789")) {
		rc = uc3_error_set(UC3_EINVAL, "--phone '%s' has no digits", in->phone);
		goto out;
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
	if ((rc = uc3_ticket_check(t, p)) < 0)
		goto out;
	if (!*t->body) {
		rc = uc3_error_set(UC3_EINVAL, "the body is empty");
		goto out;
	}
	if ((rc = uc3_calendar_add(&due, &p->calendar, p->timezone, received,
				   p->roles[0].step)) < 0)
		goto out;
	uc3_clock_format_str(&t->received, received, p->timezone);
	uc3_clock_format_str(&t->deadline, due, p->timezone);
	t->status = UC3_STATUS_OPEN;
	t->level = uc3_xstrdup(p->roles[0].id);
	ev = uc3_ticket_add_event(t);
	uc3_clock_format_str(&ev->at, now, p->timezone);
	ev->by = uc3_xstrdup(actor_email);
	ev->action = uc3_xstrdup("new");
	if ((rc = uc3_clock_local(&tm, received, p->timezone)) < 0)
		goto out;
	c.t = t;
	c.received = received;
	c.year = tm.tm_year + 1900;
	c.month = tm.tm_mon + 1;
	if ((rc = uc3_store_write(st, new_edit, &c, res)) < 0)
		goto out;
	{
		unsigned long num;

		if (uc3_ticket_id_parse(t->id, p->id_prefix, NULL, &num))
			uc3_store_note_number(st, c.year, num);
	}
	*id = uc3_xstrdup(t->id);
out:
	uc3_ticket_free(t);
	return rc;
}

struct step_ctx {
	const char *id;
	struct uc3_act act;
	char seen[41];		/* the blob of the ticket as the command first read it */
	struct uc3_ticket *done;
};

/*
 * The ticket t (path) of the base is still the one the command first read
 * (seen), or UC3_ECONFLICT, saying so.
 */
static int
still_seen(struct uc3_store *st, const char *id, const char *path,
	   const struct uc3_ticket *t, const char *seen)
{
	const char *step = uc3_ticket_step(t);
	char now[41];

	if (uc3_store_blob(now, st, path) == 0 && !strcmp(now, seen))
		return 0;
	return uc3_error_set(UC3_ECONFLICT,
			     "%s changed while this command ran (it is now %s%s%s); "
			     "nothing was recorded: look at it with uc3 show %s",
			     id, uc3_status_name(t->status), step ? ", step " : "",
			     step ? step : "", id);
}

static int
step_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct step_ctx *c = vctx;
	struct uc3_ticket *t = NULL;
	char *path = NULL;
	int rc;

	if ((rc = uc3_store_load_ticket(&t, &path, st, c->id)) < 0)
		return rc;
	c->act.policy = uc3_store_policy(st);
	/* Another ticket may have moved the branch; this one must be as it was seen. */
	if ((rc = still_seen(st, c->id, path, t, c->seen)) < 0)
		goto out;
	if ((rc = uc3_transition_apply(t, &c->act, &w->message)) < 0)
		goto out;
	if ((rc = uc3_ticket_format(uc3_write_add(w, path), t)) < 0)
		goto out;
	uc3_ticket_free(c->done);
	c->done = t;
	t = NULL;
out:
	uc3_ticket_free(t);
	free(path);
	return rc;
}

/*
 * Fill in who and when, read the ticket and try the step on a copy: what
 * would be refused is refused before any lock is taken or text is asked for.
 *
 * The step is bound to the ticket as the command first read it, the state
 * its user saw (seen: its blob). That is pinned before catching up with a
 * central repository, and kept from the check before the editor to the
 * write after it: if somebody else changed the ticket meanwhile, here or
 * there, the step is refused, not done again from where they left it.
 */
static int
prepare(struct uc3_act *act, char seen[41], struct uc3_store *st, const char *id)
{
	struct uc3_ticket *t = NULL;
	struct uc3_buf scratch = UC3_BUF_INIT;
	struct uc3_act trial;
	const char *name, *email;
	char *path = NULL;
	int rc;

	if (uc3_store_find_ticket(&path, st, id) == 0)
		uc3_store_pin(NULL, st, path);
	free(path);
	path = NULL;
	uc3_error_clear();
	if ((rc = uc3_store_sync(st)) < 0)
		return rc;
	act->policy = uc3_store_policy(st);
	if ((rc = uc3_clock_now(&act->now)) < 0)
		return rc;
	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		return rc;
	act->actor = email;
	if ((rc = uc3_store_load_ticket(&t, &path, st, id)) < 0)
		return rc;
	if ((rc = uc3_store_pin(seen, st, path)) < 0 ||
	    (rc = still_seen(st, id, path, t, seen)) < 0)
		goto out;
	trial = *act;
	if (trial.action == UC3_ACT_ANSWER && !trial.text)
		trial.text = "?";
	rc = uc3_transition_apply(t, &trial, &scratch);
out:
	uc3_ticket_free(t);
	free(path);
	uc3_buf_release(&scratch);
	return rc;
}

int
uc3_op_transition_check(struct uc3_store *st, const char *id, const struct uc3_act *a)
{
	struct uc3_act act = *a;
	char seen[41];

	return prepare(&act, seen, st, id);
}

int
uc3_op_transition(struct uc3_store *st, const char *id, const struct uc3_act *a,
		  struct uc3_ticket **ticket_out, struct uc3_write_result *res)
{
	struct step_ctx c = { 0 };
	int rc;

	c.id = id;
	c.act = *a;
	if ((rc = prepare(&c.act, c.seen, st, id)) < 0)
		return rc;
	rc = uc3_store_write(st, step_edit, &c, res);
	if (rc == 0 && ticket_out)
		*ticket_out = c.done;
	else
		uc3_ticket_free(c.done);
	return rc;
}
