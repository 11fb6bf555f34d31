#include "json.h"

#include <stdio.h>
#include <string.h>

#include "utf8.h"

/* Append s[0..n), well-formed UTF-8, escaped for the inside of a JSON string. */
static void
put_valid(struct uc3_buf *out, const unsigned char *p, size_t n)
{
	const unsigned char *end = p + n;

	for (; p < end; p++) {
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

/* Members of an object: a comma before all but the first. */
struct obj {
	struct uc3_buf *out;
	int n;
};

static void
key(struct obj *o, const char *k)
{
	if (o->n++)
		uc3_buf_addch(o->out, ',');
	uc3_json_str(o->out, k);
	uc3_buf_addch(o->out, ':');
}

static void
field(struct obj *o, const char *k, const char *v)
{
	if (!v)
		return;
	key(o, k);
	uc3_json_str(o->out, v);
}

static void
extras(struct obj *o, const struct uc3_ynode *extra)
{
	size_t i;

	if (!extra || extra->type != UC3_YMAP)
		return;
	for (i = 0; i < extra->n; i++) {
		key(o, extra->keys[i]);
		uc3_json_ynode(o->out, extra->items[i]);
	}
}

static void
event(struct uc3_buf *out, const struct uc3_event *e)
{
	struct obj o = { out, 0 };

	uc3_buf_addch(out, '{');
	field(&o, "at", e->at);
	field(&o, "by", e->by);
	field(&o, "action", e->action);
	field(&o, "from", e->from);
	field(&o, "to", e->to);
	field(&o, "note", e->note);
	if (e->step.name) {
		struct obj s = { out, 0 };

		key(&o, "step");
		uc3_buf_addch(out, '{');
		field(&s, "name", e->step.name);
		field(&s, "due", e->step.due);
		key(&s, "late");
		uc3_buf_adds(out, e->step.late ? "true" : "false");
		uc3_buf_addch(out, '}');
	}
	extras(&o, e->extra);
	uc3_buf_addch(out, '}');
}

void
uc3_json_ticket(struct uc3_buf *out, const struct uc3_ticket *t)
{
	struct obj o = { out, 0 };
	size_t i;

	uc3_buf_addch(out, '{');
	field(&o, "id", t->id);
	field(&o, "subject", t->subject);
	field(&o, "kind", t->kind);
	field(&o, "channel", t->channel);
	if (t->requester.name || t->requester.email || t->requester.phone) {
		struct obj r = { out, 0 };

		key(&o, "requester");
		uc3_buf_addch(out, '{');
		field(&r, "name", t->requester.name);
		field(&r, "email", t->requester.email);
		field(&r, "phone", t->requester.phone);
		uc3_buf_addch(out, '}');
	}
	field(&o, "unit", t->unit);
	field(&o, "received", t->received);
	field(&o, "status", uc3_status_name(t->status));
	field(&o, "level", t->level);
	field(&o, "deadline", t->deadline);
	field(&o, "body", t->body);
	field(&o, "answer", t->answer);
	extras(&o, t->extra);
	key(&o, "events");
	uc3_buf_addch(out, '[');
	for (i = 0; i < t->nevents; i++) {
		if (i)
			uc3_buf_addch(out, ',');
		event(out, &t->events[i]);
	}
	uc3_buf_adds(out, "]}");
}
