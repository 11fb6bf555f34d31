#include "ops.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "error.h"
#include "message.h"
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
