#include "json.h"

#include <stdio.h>
#include <string.h>

#include "calendar.h"
#include "error.h"
#include "transition.h"
#include "utf8.h"

/* Append s[0..n), well-formed UTF-8, escaped for the inside of a JSON string. */
static void
put_valid(struct uc3_buf *out, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;

	for (; p < end; p++) {
		const unsigned char *run = p;

		/* A run of bytes that stand for themselves, in one copy. */
		while (p < end && *p >= 0x20 && *p != '"' && *p != '\\' && *p != 0x7f && *p != 0xc2)
			p++;
		if (p > run)
			uc3_buf_add(out, run, (size_t)(p - run));
		if (p == end)
			break;
		switch (*p) {
		case '"':
			uc3_buf_adds(out, "\\\"");
			break;
		case '\\':
			uc3_buf_adds(out, "\\\\");
			break;
		case '\n':
			uc3_buf_adds(out, "\\n");
			break;
		case '\r':
			uc3_buf_adds(out, "\\r");
			break;
		case '\t':
			uc3_buf_adds(out, "\\t");
			break;
		default:
			/*
			 * RFC 8259 needs C0 escaped; DEL and C1 are too, so
			 * that JSON read on a terminal cannot drive it.
			 */
			if (*p < 0x20 || *p == 0x7f)
				uc3_buf_addf(out, "\\u%04x", *p);
			else if (*p == 0xc2 && p + 1 < end && p[1] >= 0x80 && p[1] <= 0x9f)
				uc3_buf_addf(out, "\\u%04x", *++p);
			else
				uc3_buf_addch(out, (char)*p);
		}
	}
}

void
uc3_json_str(struct uc3_buf *out, const char *s)
{
	size_t len, i = 0;

	if (!s) {
		uc3_buf_adds(out, "null");
		return;
	}
	len = strlen(s);
	uc3_buf_addch(out, '"');
	/* JSON text is UTF-8 (RFC 8259 section 8.1): a byte that is not becomes U+FFFD. */
	while (i < len) {
		size_t bad = 0;
		bool ok = uc3_utf8_valid(s + i, len - i, &bad);
		size_t n = ok ? len - i : bad;

		put_valid(out, (const unsigned char *)s + i, n);
		i += n;
		if (!ok) {
			uc3_buf_adds(out, "\\ufffd");
			i++;
		}
	}
	uc3_buf_addch(out, '"');
}

void
uc3_json_ynode(struct uc3_buf *out, const struct uc3_ynode *n)
{
	size_t i;

	if (!n) {
		uc3_buf_adds(out, "null");
		return;
	}
	switch (n->type) {
	case UC3_YSCALAR:
		if (uc3_ynode_is_null(n))
			uc3_buf_adds(out, "null");
		else
			uc3_json_str(out, n->str);
		break;
	case UC3_YSEQ:
		uc3_buf_addch(out, '[');
		for (i = 0; i < n->n; i++) {
			if (i)
				uc3_buf_addch(out, ',');
			uc3_json_ynode(out, n->items[i]);
		}
		uc3_buf_addch(out, ']');
		break;
	case UC3_YMAP:
		uc3_buf_addch(out, '{');
		for (i = 0; i < n->n; i++) {
			if (i)
				uc3_buf_addch(out, ',');
			uc3_json_str(out, n->keys[i]);
			uc3_buf_addch(out, ':');
			uc3_json_ynode(out, n->items[i]);
		}
		uc3_buf_addch(out, '}');
		break;
	}
}

void
uc3_json_init(struct uc3_json *j, struct uc3_buf *out, unsigned flags)
{
	j->out = out;
	j->flags = flags;
	j->depth = 0;
}

void
uc3_json_key(struct uc3_json *j, const char *key)
{
	bool spaced = j->flags & UC3_JSON_SPACED;

	if (j->depth) {
		size_t n = j->stack[j->depth - 1].n++;

		if (n)
			uc3_buf_adds(j->out,
				     spaced && !(j->stack[j->depth - 1].flags & UC3_JSON_LINES)
					     ? ", "
					     : ",");
		if (j->stack[j->depth - 1].flags & UC3_JSON_LINES)
			uc3_buf_adds(j->out, spaced ? "\n " : "\n");
	}
	if (key) {
		uc3_json_str(j->out, key);
		uc3_buf_adds(j->out, spaced ? ": " : ":");
	}
}

static void
begin(struct uc3_json *j, const char *key, unsigned flags, char open, char close)
{
	uc3_json_key(j, key);
	uc3_buf_addch(j->out, open);
	/* Deeper than any record uc3 writes: the members go on, unnested. */
	if (j->depth == UC3_JSON_DEPTH)
		return;
	j->stack[j->depth].close = close;
	j->stack[j->depth].flags = flags;
	j->stack[j->depth].n = 0;
	j->depth++;
}

void
uc3_json_object(struct uc3_json *j, const char *key, unsigned flags)
{
	begin(j, key, flags, '{', '}');
}

void
uc3_json_array(struct uc3_json *j, const char *key, unsigned flags)
{
	begin(j, key, flags, '[', ']');
}

void
uc3_json_end(struct uc3_json *j)
{
	if (!j->depth)
		return;
	j->depth--;
	if ((j->stack[j->depth].flags & UC3_JSON_LINES) && j->stack[j->depth].n)
		uc3_buf_addch(j->out, '\n');
	uc3_buf_addch(j->out, j->stack[j->depth].close);
}

void
uc3_json_put_string(struct uc3_json *j, const char *key, const char *s)
{
	uc3_json_key(j, key);
	uc3_json_str(j->out, s);
}

void
uc3_json_put_maybe(struct uc3_json *j, const char *key, const char *s)
{
	if (s)
		uc3_json_put_string(j, key, s);
}

void
uc3_json_put_long(struct uc3_json *j, const char *key, long v)
{
	uc3_json_key(j, key);
	uc3_buf_addf(j->out, "%ld", v);
}

void
uc3_json_put_bool(struct uc3_json *j, const char *key, bool v)
{
	uc3_json_key(j, key);
	uc3_buf_adds(j->out, v ? "true" : "false");
}

void
uc3_json_put_null(struct uc3_json *j, const char *key)
{
	uc3_json_key(j, key);
	uc3_buf_adds(j->out, "null");
}

/* The extra fields of a ticket or an event, as the file has them. */
static void
extras(struct uc3_json *j, const struct uc3_ynode *extra)
{
	size_t i;

	if (!extra || extra->type != UC3_YMAP)
		return;
	for (i = 0; i < extra->n; i++) {
		uc3_json_key(j, extra->keys[i]);
		uc3_json_ynode(j->out, extra->items[i]);
	}
}

static void
event(struct uc3_json *j, const struct uc3_event *e)
{
	uc3_json_object(j, NULL, 0);
	uc3_json_put_maybe(j, "at", e->at);
	uc3_json_put_maybe(j, "by", e->by);
	uc3_json_put_maybe(j, "action", e->action);
	uc3_json_put_maybe(j, "role", e->role);
	uc3_json_put_maybe(j, "as", e->as);
	uc3_json_put_maybe(j, "of", e->of);
	uc3_json_put_maybe(j, "from", e->from);
	uc3_json_put_maybe(j, "to", e->to);
	uc3_json_put_maybe(j, "note", e->note);
	uc3_json_put_maybe(j, "about", e->about);
	uc3_json_put_maybe(j, "sender", e->sender);
	uc3_json_put_maybe(j, "backfill", e->backfill);
	uc3_json_put_maybe(j, "message_id", e->message_id);
	if (e->step.name) {
		uc3_json_object(j, "step", 0);
		uc3_json_put_string(j, "name", e->step.name);
		uc3_json_put_maybe(j, "due", e->step.due);
		uc3_json_put_bool(j, "late", e->step.late);
		if (e->step.taken_over) /* as in the file: only when true */
			uc3_json_put_bool(j, "taken_over", true);
		uc3_json_end(j);
	}
	if (e->nchanges) {
		size_t i;

		uc3_json_array(j, "changes", 0);
		for (i = 0; i < e->nchanges; i++) {
			uc3_json_object(j, NULL, 0);
			uc3_json_put_maybe(j, "field", e->changes[i].field);
			uc3_json_put_maybe(j, "old", e->changes[i].before);
			uc3_json_put_maybe(j, "new", e->changes[i].after);
			uc3_json_end(j);
		}
		uc3_json_end(j);
	}
	extras(j, e->extra);
	uc3_json_end(j);
}

/*
 * The members of a ticket's object, the file's fields, into the object *jp
 * has open; the writer is worked on as a copy and handed back at the end.
 */
static void
ticket_members(struct uc3_json *jp, const struct uc3_ticket *t)
{
	struct uc3_json j = *jp;
	size_t i;

	uc3_json_put_maybe(&j, "id", t->id);
	uc3_json_put_maybe(&j, "subject", t->subject);
	uc3_json_put_maybe(&j, "kind", t->kind);
	uc3_json_put_maybe(&j, "channel", t->channel);
	if (t->requester.name || t->requester.email || t->requester.phone || t->requester.social ||
	    t->requester.address) {
		uc3_json_object(&j, "requester", 0);
		uc3_json_put_maybe(&j, "name", t->requester.name);
		uc3_json_put_maybe(&j, "email", t->requester.email);
		uc3_json_put_maybe(&j, "phone", t->requester.phone);
		uc3_json_put_maybe(&j, "social", t->requester.social);
		uc3_json_put_maybe(&j, "address", t->requester.address);
		uc3_json_end(&j);
	}
	uc3_json_put_maybe(&j, "unit", t->unit);
	uc3_json_put_maybe(&j, "received", t->received);
	uc3_json_put_maybe(&j, "quarantined", t->quarantined);
	uc3_json_put_maybe(&j, "message_id", t->message_id);
	uc3_json_put_maybe(&j, "sent", t->sent);
	uc3_json_put_maybe(&j, "follows", t->follows);
	uc3_json_put_maybe(&j, "automatic", t->automatic);
	uc3_json_put_maybe(&j, "status", uc3_status_name(t->status));
	uc3_json_put_maybe(&j, "closed_as", t->closed_as);
	uc3_json_put_maybe(&j, "duplicate_of", t->duplicate_of);
	uc3_json_put_maybe(&j, "level", t->level);
	uc3_json_put_maybe(&j, "deadline", t->deadline);
	uc3_json_put_maybe(&j, "body", t->body);
	uc3_json_put_maybe(&j, "answer", t->answer);
	if (t->nattachments) {
		uc3_json_array(&j, "attachments", 0);
		for (i = 0; i < t->nattachments; i++) {
			uc3_json_object(&j, NULL, 0);
			uc3_json_put_string(&j, "name", t->attachments[i].name);
			uc3_json_put_string(&j, "type", t->attachments[i].type);
			uc3_json_put_long(&j, "size", (long)t->attachments[i].size);
			uc3_json_put_string(&j, "blob", t->attachments[i].blob);
			uc3_json_end(&j);
		}
		uc3_json_end(&j);
	}
	extras(&j, t->extra);
	uc3_json_array(&j, "events", 0);
	for (i = 0; i < t->nevents; i++)
		event(&j, &t->events[i]);
	uc3_json_end(&j);
	*jp = j;
}

void
uc3_json_ticket(struct uc3_buf *out, const struct uc3_ticket *t)
{
	struct uc3_json j;

	uc3_json_init(&j, out, 0);
	uc3_json_object(&j, NULL, 0);
	ticket_members(&j, t);
	uc3_json_end(&j);
}

void
uc3_json_ticket_state(struct uc3_buf *out, const struct uc3_ticket *t, const char *holder,
		      const long *left_minutes)
{
	struct uc3_json j;

	uc3_json_init(&j, out, 0);
	uc3_json_object(&j, NULL, 0);
	ticket_members(&j, t);
	uc3_json_put_string(&j, "holder", holder);
	if (left_minutes)
		uc3_json_put_long(&j, "left_minutes", *left_minutes);
	uc3_json_end(&j);
}

void
uc3_json_ticket_at(struct uc3_buf *out, const struct uc3_ticket *t, const struct uc3_policy *p,
		   time_t now)
{
	struct uc3_calendar_span left;
	long minutes = 0;
	bool running = uc3_transition_time_left(&left, t, p, now) == 0;

	if (running)
		minutes = uc3_calendar_minutes(left.total);
	uc3_error_clear();
	uc3_json_ticket_state(out, t, uc3_transition_holder(p, t->status, t->level),
			      running ? &minutes : NULL);
}
