/*
 * uc3 new --mail: one message as an MTA hands it over becomes a new
 * ticket, a follow-up on the ticket it answers, or, when it cannot be
 * read, a file in quarantine/. Each is one write (a second one keeps the
 * mail's files, as uc3 attach does); a message already stored (the MTA
 * delivering it again) writes nothing new.
 */
#include "ops.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attach.h"
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "mail.h"
#include "overdue.h"
#include "records.h"
#include "remote.h"
#include "rx.h"
#include "strv.h"
#include "utf8.h"
#include "xalloc.h"

#define NO_TEXT	   "(surel tanpa teks / the mail has no text)"
#define NO_SUBJECT "(tanpa subjek / no subject)"

void
uc3_mail_outcome_release(struct uc3_mail_outcome *o)
{
	free(o->id);
	free(o->quarantine);
	free(o->follows);
	free(o->left_out);
	free(o->why);
	free(o->warning);
	memset(o, 0, sizeof(*o));
}

static void
add_warning(struct uc3_mail_outcome *o, struct uc3_write_result *res)
{
	if (!res->warning)
		return;
	if (!o->warning) {
		o->warning = res->warning;
	} else {
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_buf_addf(&b, "%s; %s", o->warning, res->warning);
		free(o->warning);
		free(res->warning);
		o->warning = uc3_buf_detach(&b);
	}
	res->warning = NULL;
}

/* The address in "Name <addr>" or "addr"; a new string, NULL for none. */
static char *
address_of(const char *from)
{
	const char *lt, *gt;

	if (!from)
		return NULL;
	lt = strrchr(from, '<');
	gt = lt ? strchr(lt, '>') : NULL;
	if (lt && gt)
		return uc3_xstrndup(lt + 1, (size_t)(gt - lt - 1));
	return uc3_text_trim(from);
}

/* Whether the mail is one of ours coming back: from our own address, or marked by it. */
static bool
is_loop(const struct uc3_mail_in *m, const struct uc3_policy *p)
{
	char *own = address_of(p->mail_from);
	bool yes = own && *own &&
		   ((m->from_email && !strcasecmp(m->from_email, own)) ||
		    (m->loop && strcasestr(m->loop, own)));

	free(own);
	return yes;
}

/* The id in the first "[PREFIX-YYYY-N...]" of subject, or NULL (a new string). */
static char *
tagged_id(const char *subject, const char *prefix)
{
	size_t plen = strlen(prefix);
	const char *s;

	for (s = subject ? strchr(subject, '[') : NULL; s; s = strchr(s + 1, '[')) {
		const char *q = s + 1, *close = strchr(q, ']');
		char *id;

		if (!close || strncasecmp(q, prefix, plen) || q[plen] != '-')
			continue;
		id = uc3_xstrndup(q, (size_t)(close - q));
		memcpy(id, prefix, plen); /* [uc3-...] is still ours */
		if (uc3_ticket_id_parse(id, prefix, NULL, NULL))
			return id;
		free(id);
	}
	return NULL;
}

/* Whether t carries message id mid: the mail it came from, or a mail on one of its events. */
static bool
ticket_has(const struct uc3_ticket *t, const char *mid)
{
	size_t i;

	if (!mid)
		return false;
	if (t->message_id && !strcmp(t->message_id, mid))
		return true;
	for (i = 0; i < t->nevents; i++)
		if (t->events[i].message_id && !strcmp(t->events[i].message_id, mid))
			return true;
	return false;
}

/* Whether t carries one of the ids m answers (In-Reply-To, References). */
static bool
ticket_answered_by(const struct uc3_ticket *t, const struct uc3_mail_in *m)
{
	size_t i;

	if (ticket_has(t, m->in_reply_to))
		return true;
	for (i = 0; i < m->nreferences; i++)
		if (ticket_has(t, m->references[i]))
			return true;
	return false;
}

/* Whether m is from t's requester: the same address, without regard to case. */
static bool
from_requester(const struct uc3_ticket *t, const struct uc3_mail_in *m)
{
	return t->requester.email && m->from_email &&
	       !strcasecmp(t->requester.email, m->from_email);
}

/*
 * Whether t already has m: its Message-ID is the one t came from, sent by
 * t's requester, or a follow-up's, sent by that follow-up's sender; or m
 * is the office's own mail coming back (loop) with the id of a mail t
 * sent. Message ids are no secret (every reply carries them): a mail from
 * somebody else wearing one is not passed over as delivered already.
 */
static bool
has_mail(const struct uc3_ticket *t, const struct uc3_mail_in *m, bool loop)
{
	size_t i;

	if (!m->message_id)
		return false;
	if (t->message_id && !strcmp(t->message_id, m->message_id) && from_requester(t, m))
		return true;
	for (i = 0; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];

		if (!e->message_id || strcmp(e->message_id, m->message_id))
			continue;
		if (e->sender ? m->from_email && !strcasecmp(e->sender, m->from_email) : loop)
			return true;
	}
	return false;
}

/*
 * Whether m belongs to t by its message ids: it answers one of t's mails
 * (In-Reply-To, References; from anybody in the thread, whose address
 * the follow-up records), or t has it already (has_mail).
 */
static bool
claims(const struct uc3_ticket *t, const struct uc3_mail_in *m, bool loop)
{
	return ticket_answered_by(t, m) || has_mail(t, m, loop);
}

/* The ticket the subject's [ID] names, when the mail is from its requester (or claims it). */
static int
tagged_ticket(struct uc3_ticket **t, struct uc3_store *st, const struct uc3_mail_in *m, bool loop)
{
	char *id = tagged_id(m->subject, uc3_store_policy(st)->id_prefix);
	int rc;

	*t = NULL;
	if (!id)
		return 0;
	rc = uc3_records_load(t, NULL, st, id);
	free(id);
	if (rc == UC3_ENOTFOUND || rc == UC3_EINVAL) {
		uc3_error_clear();
		return 0;
	}
	if (rc < 0)
		return rc;
	if (!from_requester(*t, m) && !claims(*t, m, loop)) {
		uc3_ticket_free(*t);
		*t = NULL;
	}
	return 0;
}

/*
 * The ticket the mail belongs to: the one its subject's [ID] names (see
 * tagged_ticket) while it is not closed; else a ticket not closed that
 * claims it (see claims: delivered again, or answering one of its
 * mails); else the closed one its [ID] names. *t NULL: none.
 */
static int
find_ticket(struct uc3_ticket **t, struct uc3_store *st, const struct uc3_mail_in *m, bool loop)
{
	struct uc3_ticket *tagged = NULL, *hit = NULL;
	struct uc3_buf data = UC3_BUF_INIT;
	char **paths = NULL;
	size_t i, n = 0;
	int rc;

	*t = NULL;
	if ((rc = tagged_ticket(&tagged, st, m, loop)) < 0)
		return rc;
	if (tagged && tagged->status != UC3_STATUS_CLOSED) {
		*t = tagged;
		return 0;
	}
	{
		/* The open tickets that carry one of the ids the mail names, by the index. */
		const char **ids = uc3_xcalloc(m->nreferences + 2, sizeof(*ids));

		ids[0] = m->message_id;
		ids[1] = m->in_reply_to;
		for (i = 0; i < m->nreferences; i++)
			ids[i + 2] = m->references[i];
		rc = uc3_overdue_mail(&paths, &n, st, ids, m->nreferences + 2);
		free(ids);
		if (rc < 0) {
			uc3_ticket_free(tagged);
			return rc;
		}
	}
	for (i = 0; i < n && !hit; i++) {
		uc3_buf_reset(&data);
		if (uc3_store_read(&data, st, paths[i]) < 0 ||
		    uc3_ticket_parse(&hit, data.ptr, data.len, paths[i]) < 0)
			continue;
		if (!claims(hit, m, loop)) {
			uc3_ticket_free(hit);
			hit = NULL;
		}
	}
	uc3_error_clear();
	uc3_buf_release(&data);
	uc3_strv_free(paths, n);
	if (hit) {
		uc3_ticket_free(tagged);
		*t = hit;
	} else {
		*t = tagged;
	}
	return 0;
}

/* The kind of the first rule of mail_in.kinds that matches the subject or the body. */
static const char *
mail_kind(const struct uc3_policy *p, const struct uc3_mail_in *m)
{
	size_t i;

	for (i = 0; i < p->nmail_rules; i++) {
		struct uc3_rx *rx = NULL;
		bool hit;

		if (uc3_rx_compile(&rx, p->mail_rules[i].match, 0) < 0) {
			uc3_error_clear();
			continue;
		}
		hit = (m->subject && uc3_rx_match(rx, m->subject, strlen(m->subject)) == 1) ||
		      uc3_rx_match(rx, m->body, strlen(m->body)) == 1;
		uc3_rx_free(rx);
		uc3_error_clear();
		if (hit)
			return p->mail_rules[i].kind;
	}
	return uc3_policy_mail_kind(p);
}

/*
 * The files the ticket keeps (within limits.attachment, not empty) in
 * keep[], and the others said in o->left_out.
 */
static size_t
sort_parts(size_t *keep, struct uc3_mail_outcome *o, const struct uc3_policy *p,
	   const struct uc3_mail_in *m)
{
	size_t limit = p->attachment_limit ? p->attachment_limit : UC3_ATTACHMENT_LIMIT_DEFAULT;
	struct uc3_buf out = UC3_BUF_INIT, lim = UC3_BUF_INIT;
	size_t i, n = 0;

	for (i = 0; i < m->nparts; i++) {
		const struct uc3_mail_part *f = &m->parts[i];

		if (f->len && f->len <= limit) {
			keep[n++] = i;
			continue;
		}
		uc3_buf_addf(&out, "%s%s (", out.len ? ", " : "", f->name ? f->name : "attachment");
		if (f->len)
			uc3_attach_format_size(&out, f->len);
		else
			uc3_buf_adds(&out, "empty");
		uc3_buf_adds(&out, ")");
	}
	if (out.len) {
		uc3_attach_format_limit(&lim, limit);
		uc3_buf_addf(&out, ", over limits.attachment (%s) or empty: not kept", lim.ptr);
		o->left_out = uc3_buf_detach(&out);
	}
	uc3_buf_release(&out);
	uc3_buf_release(&lim);
	return n;
}

/* The length of s[0..n) cut to at most n bytes at the start of a character. */
static size_t
char_cut(const char *s, size_t n)
{
	while (n && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return n;
}

/*
 * The text the ticket keeps: the mail's, within the policy's body limit
 * (cut at a character), the files left out said at its end. The list of
 * those files takes at most a quarter of the limit, and the text is cut
 * to leave room for it: neither may push the whole over the limit.
 */
static char *
mail_text(const struct uc3_policy *p, const struct uc3_mail_in *m, const char *left_out)
{
	struct uc3_buf b = UC3_BUF_INIT, tail = UC3_BUF_INIT;
	size_t limit = p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT;
	size_t len = strlen(m->body), room;

	if (left_out) {
		size_t n = strlen(left_out), most = limit / 4 > 64 ? limit / 4 - 64 : 0;

		uc3_buf_adds(&tail, "\n\n[uc3: files left out: ");
		if (n > most)
			uc3_buf_addf(&tail, "%.*s... (%zu bytes of names)]",
				     (int)char_cut(left_out, most), left_out, n);
		else
			uc3_buf_addf(&tail, "%s]", left_out);
	}
	room = limit - tail.len;
	room = room > 1024 ? room - 1024 : room / 2;
	if (len > room) {
		room = char_cut(m->body, room);
		uc3_buf_add(&b, m->body, room);
		uc3_buf_addf(&b,
			     "\n\n[uc3: the mail's text is %zu bytes; the first %zu are kept "
			     "(limits.body)]",
			     len, room);
	} else if (m->body[strspn(m->body, " \t\n")]) {
		uc3_buf_adds(&b, m->body);
	} else {
		uc3_buf_adds(&b, NO_TEXT);
	}
	uc3_buf_add(&b, tail.ptr, tail.len);
	uc3_buf_release(&tail);
	return uc3_buf_detach(&b);
}

/* "Name <addr>" for uc3_requester_parse: the name without what would end it early. */
static char *
from_line(const struct uc3_mail_in *m)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char *name = NULL;
	const char *s;

	if (m->from_name) {
		struct uc3_buf n = UC3_BUF_INIT;

		for (s = m->from_name; *s; s++)
			uc3_buf_addch(&n,
				      strchr("<>\"\\", *s) || (unsigned char)*s < 0x20 ? ' ' : *s);
		name = uc3_text_trim(n.ptr);
		uc3_buf_release(&n);
	}
	if (name && *name)
		uc3_buf_addf(&b, "%s <%s>", name, m->from_email);
	else
		uc3_buf_adds(&b, m->from_email);
	free(name);
	return uc3_buf_detach(&b);
}

/* "from the mail <id>": the attach event's note, by which a second delivery knows it. */
static char *
attach_note(const struct uc3_mail_in *m)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_buf_adds(&b, "from the mail");
	if (m->message_id)
		uc3_buf_addf(&b, " %s", m->message_id);
	return uc3_buf_detach(&b);
}

/* Whether t has an attach event with note. */
static bool
attached(const struct uc3_ticket *t, const char *note)
{
	size_t i;

	for (i = 0; i < t->nevents; i++)
		if (t->events[i].action && !strcmp(t->events[i].action, "attach") &&
		    t->events[i].note && !strcmp(t->events[i].note, note))
			return true;
	return false;
}

/* Keep the mail's files with o->id, unless t (the ticket as read; may be NULL) has them. */
static int
keep_files(struct uc3_mail_outcome *o, struct uc3_store *st, const struct uc3_mail_in *m,
	   const size_t *keep, size_t nkeep, const struct uc3_ticket *t)
{
	struct uc3_write_result res = { 0 };
	const char **names;
	const char **data;
	size_t *lens, i;
	char *note;
	int rc = 0;

	if (!nkeep)
		return 0;
	note = attach_note(m);
	if (t && attached(t, note)) {
		free(note);
		return 0;
	}
	names = uc3_xcalloc(nkeep, sizeof(*names));
	data = uc3_xcalloc(nkeep, sizeof(*data));
	lens = uc3_xcalloc(nkeep, sizeof(*lens));
	for (i = 0; i < nkeep; i++) {
		names[i] = m->parts[keep[i]].name;
		data[i] = m->parts[keep[i]].data;
		lens[i] = m->parts[keep[i]].len;
	}
	rc = uc3_op_attach_data(st, o->id, names, data, lens, nkeep, note, NULL, &res);
	if (rc == 0) {
		o->kept = nkeep;
		add_warning(o, &res);
	}
	free(res.warning);
	free(names);
	free(data);
	free(lens);
	free(note);
	return rc;
}

static int
quarantine(struct uc3_mail_outcome *o, struct uc3_store *st, const char *raw, size_t len,
	   const char *why)
{
	struct uc3_write_result res = { 0 };
	int rc;

	o->why = uc3_xstrdup(why);
	rc = uc3_op_quarantine(&o->quarantine, st, raw, len, why, &res);
	if (rc == 0)
		add_warning(o, &res);
	free(res.warning);
	return rc;
}

/* The mail as a new ticket (after a closed one: follows). */
static int
register_mail(struct uc3_mail_outcome *o, struct uc3_store *st, const struct uc3_mail_in *m,
	      const char *text)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct uc3_new_input in = { 0 };
	struct uc3_write_result res = { 0 };
	char *from = from_line(m), *sent = NULL;
	int rc;

	if (m->has_date)
		uc3_clock_format_str(&sent, m->date, p->timezone);
	in.subject = m->subject && *m->subject ? m->subject : NO_SUBJECT;
	in.kind = mail_kind(p, m);
	in.channel = uc3_policy_mail_channel(p);
	in.from = from;
	in.body = text;
	in.body_len = strlen(text);
	in.message_id = m->message_id;
	in.sent = sent;
	in.follows = o->follows;
	in.automatic = o->automatic;
	rc = uc3_op_new(&o->id, st, &in, &res);
	if (rc == 0)
		add_warning(o, &res);
	free(res.warning);
	free(from);
	free(sent);
	return rc;
}

static int
follow_up(struct uc3_mail_outcome *o, struct uc3_store *st, const struct uc3_mail_in *m,
	  const char *text)
{
	struct uc3_act a = { 0 };
	struct uc3_write_result res = { 0 };
	int rc;

	a.action = UC3_ACT_FOLLOWUP;
	a.note = text;
	a.message_id = m->message_id;
	a.sender = m->from_email;
	rc = uc3_op_transition(st, o->id, &a, NULL, &res);
	if (rc == 0)
		add_warning(o, &res);
	free(res.warning);
	return rc;
}

/* Whether an error is the mail's own (it goes to quarantine), not the machine's. */
static bool
mail_fault(int rc)
{
	return rc == UC3_EINVAL;
}

static int
take_mail(struct uc3_mail_outcome *o, struct uc3_store *st, const char *raw, size_t len)
{
	struct uc3_mail_in m = { 0 };
	struct uc3_ticket *t = NULL;
	char *text = NULL;
	size_t *keep = NULL, nkeep;
	bool loop;
	int rc;

	memset(o, 0, sizeof(*o));
	/* What the central has first: the ticket a reply belongs to may be there only. */
	if ((rc = uc3_remote_sync(st)) < 0)
		return rc;
	/*
	 * Offline a desk registers a walk-in; a mail can wait: the mail
	 * system keeps it and tries again, and a reply then finds its
	 * ticket, which may be on the central only.
	 */
	if (uc3_store_offline(st)) {
		char *remote = uc3_store_config(st, "uc3.remote");

		rc = uc3_error_set(UC3_ERROR,
				   "%s cannot be reached; a mail is taken in while it can",
				   remote ? remote : _("the central repository"));
		free(remote);
		return rc;
	}
	/*
	 * One mail at a time, from reading what the records have to writing
	 * it: the same mail delivered twice at once is found by the second.
	 */
	if ((rc = uc3_store_lock_mail(st)) < 0)
		return rc;
	if (uc3_mail_parse(&m, raw, len) < 0) {
		char *why = uc3_xstrdup(uc3_error_last());

		uc3_error_clear();
		rc = quarantine(o, st, raw, len, why);
		free(why);
		uc3_store_unlock_mail(st);
		return rc;
	}
	o->automatic = is_loop(&m, uc3_store_policy(st)) ? "loop" : m.automatic;
	keep = uc3_xcalloc(m.nparts + 1, sizeof(*keep));
	nkeep = sort_parts(keep, o, uc3_store_policy(st), &m);
	text = mail_text(uc3_store_policy(st), &m, o->left_out);
	loop = o->automatic && !strcmp(o->automatic, "loop");
	if ((rc = find_ticket(&t, st, &m, loop)) < 0)
		goto out;
	if (t && has_mail(t, &m, loop)) {
		/* Delivered again: only what the first delivery may not have finished. */
		o->id = uc3_xstrdup(t->id);
		o->duplicate = true;
		o->followup =
			!(t->message_id && m.message_id && !strcmp(t->message_id, m.message_id));
		rc = keep_files(o, st, &m, keep, nkeep, t);
		goto out;
	}
	if (t && t->status != UC3_STATUS_CLOSED) {
		o->id = uc3_xstrdup(t->id);
		o->followup = true;
		rc = follow_up(o, st, &m, text);
	} else {
		if (t)
			o->follows = uc3_xstrdup(t->id);
		rc = register_mail(o, st, &m, text);
	}
	if (rc == 0) {
		rc = keep_files(o, st, &m, keep, nkeep, NULL);
		if (mail_fault(rc)) {
			struct uc3_buf w = UC3_BUF_INIT;

			uc3_buf_addf(&w, _("%s is stored, but its files are not: %s"), o->id,
				     uc3_error_last());
			free(o->warning);
			o->warning = uc3_buf_detach(&w);
			uc3_error_clear();
			rc = 0;
		}
	} else if (mail_fault(rc)) {
		char *why = uc3_xstrdup(uc3_error_last());

		uc3_error_clear();
		free(o->id);
		o->id = NULL;
		o->followup = false;
		free(o->follows);
		o->follows = NULL;
		rc = quarantine(o, st, raw, len, why);
		free(why);
	}
out:
	uc3_store_unlock_mail(st);
	uc3_ticket_free(t);
	uc3_mail_in_release(&m);
	free(keep);
	free(text);
	return rc;
}

/*
 * In English, whatever the locale of the mail system that runs it: the
 * reason a mail goes to quarantine is an error message, and it is
 * written into the commit that keeps the mail (uc3_message_quarantine),
 * which stays language-neutral as every commit message does.
 */
int
uc3_op_mail(struct uc3_mail_outcome *o, struct uc3_store *st, const char *raw, size_t len)
{
	int rc;

	uc3_i18n_push("en");
	rc = take_mail(o, st, raw, len);
	uc3_i18n_pop();
	return rc;
}
