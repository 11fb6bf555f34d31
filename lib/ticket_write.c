#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * Writing a ticket file: uc3_ticket_format. The style of every scalar
 * follows from its text alone, never from how it was read, so that
 * format(parse(f)) == f.
 */

/*
 * Keys with a place of their own: an extra key may not take one of them
 * (nor any key the map has already: the emitter refuses duplicates).
 */
static const char *const ticket_keys[] = { "id",	 "subject",   "kind",	      "channel",
					   "requester",	 "unit",      "received",     "quarantined",
					   "message_id", "sent",      "follows",      "automatic",
					   "status",	 "closed_as", "duplicate_of", "level",
					   "deadline",	 "body",      "answer",	      "attachments",
					   "events",	 NULL };
static const char *const event_keys[] = { "at",	      "by",	 "action", "as",
					  "of",	      "role",	 "from",   "to",
					  "note",     "about",	 "sender", "message_id",
					  "backfill", "changes", "step",   NULL };

struct fctx {
	const struct uc3_ticket *t;
};

static const char *
ticket_name(const struct fctx *c)
{
	return c->t->id ? c->t->id : "ticket";
}

static bool
is_nullish(const char *s)
{
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") || !strcmp(s, "Null") ||
	       !strcmp(s, "NULL");
}

/* Free text: literal block when multi-line, quoted if read as non-text. */
static enum uc3_ystyle
text_style(const char *s)
{
	if (strchr(s, '\n'))
		return UC3_YSTYLE_LITERAL;
	if (uc3_ydoc_ambiguous(s))
		return UC3_YSTYLE_SQUOTED;
	return UC3_YSTYLE_ANY;
}

/*
 * Timestamps are meant to be read as timestamps, so they stay plain; only
 * what our own reader would take for "absent" is quoted.
 */
static enum uc3_ystyle
time_style(const char *s)
{
	if (strchr(s, '\n') || is_nullish(s))
		return text_style(s);
	return UC3_YSTYLE_ANY;
}

static int
put(const struct fctx *c, struct uc3_ynode *map, const char *key, const char *path, const char *s,
    enum uc3_ystyle (*style)(const char *))
{
	if (!s)
		return 0;
	if (!uc3_utf8_valid(s, strlen(s), NULL))
		return uc3_error_set(UC3_EINVAL, "%s: invalid UTF-8 in %s", ticket_name(c), path);
	uc3_ynode_map_add(map, key, uc3_ynode_scalar(s, style(s)));
	return 0;
}

/* Copy the extra keys of src into map, refusing those that have a place. */
static int
put_extra(const struct fctx *c, struct uc3_ynode *map, const struct uc3_ynode *src,
	  const char *const *taken, const char *where)
{
	size_t i, j;

	if (!src)
		return 0;
	if (src->type != UC3_YMAP)
		return uc3_error_set(UC3_EINVAL,
				     "%s: the extra fields of %s "
				     "are not a mapping",
				     ticket_name(c), where);
	for (i = 0; i < src->n; i++) {
		for (j = 0; taken[j]; j++)
			if (!strcmp(src->keys[i], taken[j]))
				return uc3_error_set(UC3_EINVAL,
						     "%s: extra "
						     "field '%s' of %s has a place of its own",
						     ticket_name(c), taken[j], where);
		uc3_ynode_map_add(map, src->keys[i], uc3_ynode_dup(src->items[i]));
	}
	return 0;
}

/* changes: one block mapping a change, {field, old, new}, absent values left out. */
static int
put_changes(const struct fctx *c, struct uc3_ynode *m, const struct uc3_event *e, const char *pre)
{
	struct uc3_ynode *seq;
	char path[96];
	size_t i;
	int err;

	if (!e->nchanges)
		return 0;
	seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(m, "changes", seq);
	for (i = 0; i < e->nchanges; i++) {
		const struct uc3_event_change *ch = &e->changes[i];
		struct uc3_ynode *cm = uc3_ynode_map(UC3_YSTYLE_ANY);

		uc3_ynode_seq_add(seq, cm);
		snprintf(path, sizeof(path), "%s.changes[%zu].field", pre, i);
		if ((err = put(c, cm, "field", path, ch->field ? ch->field : "", text_style)))
			return err;
		snprintf(path, sizeof(path), "%s.changes[%zu].old", pre, i);
		if ((err = put(c, cm, "old", path, ch->before, text_style)))
			return err;
		snprintf(path, sizeof(path), "%s.changes[%zu].new", pre, i);
		if ((err = put(c, cm, "new", path, ch->after, text_style)))
			return err;
	}
	return 0;
}

static int
put_event(const struct fctx *c, struct uc3_ynode *seq, const struct uc3_event *e, size_t idx)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	char pre[32], path[64];
	int err;

	uc3_ynode_seq_add(seq, m);
	snprintf(pre, sizeof(pre), "events[%zu]", idx);
#define PUT(key, field, style)                                                                     \
	do {                                                                                       \
		snprintf(path, sizeof(path), "%s.%s", pre, key);                                   \
		if ((err = put(c, m, key, path, field, style)))                                    \
			return err;                                                                \
	} while (0)
	PUT("at", e->at, time_style);
	PUT("by", e->by, text_style);
	PUT("action", e->action, text_style);
	PUT("role", e->role, text_style);
	PUT("as", e->as, text_style);
	PUT("of", e->of, text_style);
	PUT("from", e->from, text_style);
	PUT("to", e->to, text_style);
	PUT("note", e->note, text_style);
	PUT("about", e->about, text_style);
	PUT("sender", e->sender, text_style);
	PUT("message_id", e->message_id, text_style);
	PUT("backfill", e->backfill, text_style);
	if (e->step.name) {
		/* One line, as in DESIGN 4: {name: staf, due: ..., late: ...} */
		struct uc3_ynode *s = uc3_ynode_map(UC3_YSTYLE_ANY);

		uc3_ynode_map_add(m, "step", s);
		snprintf(path, sizeof(path), "%s.step.name", pre);
		if ((err = put(c, s, "name", path, e->step.name, text_style)))
			return err;
		snprintf(path, sizeof(path), "%s.step.due", pre);
		if ((err = put(c, s, "due", path, e->step.due, time_style)))
			return err;
		uc3_ynode_map_add(s, "late",
				  uc3_ynode_scalar(e->step.late ? "true" : "false",
						   UC3_YSTYLE_ANY));
		if (e->step.taken_over)
			uc3_ynode_map_add(s, "taken_over",
					  uc3_ynode_scalar("true", UC3_YSTYLE_ANY));
	}
#undef PUT
	if ((err = put_changes(c, m, e, pre)))
		return err;
	return put_extra(c, m, e->extra, event_keys, pre);
}

/*
 * The attachments, each {name, type, size, blob} in that order; the size
 * a plain number, as YAML reads one.
 */
static int
put_attachments(const struct fctx *c, struct uc3_ynode *root)
{
	struct uc3_ynode *seq;
	char path[64], size[32];
	size_t i;
	int err;

	if (!c->t->nattachments)
		return 0;
	seq = uc3_ynode_seq(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(root, "attachments", seq);
	for (i = 0; i < c->t->nattachments; i++) {
		const struct uc3_attachment *a = &c->t->attachments[i];
		struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);

		uc3_ynode_seq_add(seq, m);
		snprintf(path, sizeof(path), "attachments[%zu].name", i);
		if ((err = put(c, m, "name", path, a->name, text_style)))
			return err;
		snprintf(path, sizeof(path), "attachments[%zu].type", i);
		if ((err = put(c, m, "type", path, a->type, text_style)))
			return err;
		snprintf(size, sizeof(size), "%zu", a->size);
		uc3_ynode_map_add(m, "size", uc3_ynode_scalar(size, UC3_YSTYLE_ANY));
		snprintf(path, sizeof(path), "attachments[%zu].blob", i);
		if ((err = put(c, m, "blob", path, a->blob, text_style)))
			return err;
	}
	return 0;
}

static int
build(const struct fctx *c, struct uc3_ynode *root)
{
	const struct uc3_ticket *t = c->t;
	const char *status = uc3_status_name(t->status);
	struct uc3_ynode *events;
	size_t i;
	int err;

	if (!status)
		return uc3_error_set(UC3_EINVAL, "%s: no such status: %d", ticket_name(c),
				     (int)t->status);
#define PUT(key, field, style)                                                                     \
	do {                                                                                       \
		if ((err = put(c, root, key, key, field, style)))                                  \
			return err;                                                                \
	} while (0)
	PUT("id", t->id, text_style);
	PUT("subject", t->subject, text_style);
	PUT("kind", t->kind, text_style);
	PUT("channel", t->channel, text_style);
	if (t->requester.name || t->requester.email || t->requester.phone || t->requester.social ||
	    t->requester.address) {
		struct uc3_ynode *r = uc3_ynode_map(UC3_YSTYLE_ANY);

		uc3_ynode_map_add(root, "requester", r);
		if ((err = put(c, r, "name", "requester.name", t->requester.name, text_style)) ||
		    (err = put(c, r, "email", "requester.email", t->requester.email, text_style)) ||
		    (err = put(c, r, "phone", "requester.phone", t->requester.phone, text_style)) ||
		    (err = put(c, r, "social", "requester.social", t->requester.social,
			       text_style)) ||
		    (err = put(c, r, "address", "requester.address", t->requester.address,
			       text_style)))
			return err;
	}
	PUT("unit", t->unit, text_style);
	PUT("received", t->received, time_style);
	PUT("quarantined", t->quarantined, text_style);
	PUT("message_id", t->message_id, text_style);
	PUT("sent", t->sent, time_style);
	PUT("follows", t->follows, text_style);
	PUT("automatic", t->automatic, text_style);
	PUT("status", status, text_style);
	PUT("closed_as", t->closed_as, text_style);
	PUT("duplicate_of", t->duplicate_of, text_style);
	PUT("level", t->level, text_style);
	PUT("deadline", t->deadline, time_style);
	PUT("body", t->body, text_style);
	PUT("answer", t->answer, text_style);
#undef PUT
	if ((err = put_attachments(c, root)))
		return err;
	if ((err = put_extra(c, root, t->extra, ticket_keys, "the ticket")))
		return err;
	events = uc3_ynode_seq(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(root, "events", events);
	for (i = 0; i < t->nevents; i++)
		if ((err = put_event(c, events, &t->events[i], i)))
			return err;
	return 0;
}

int
uc3_ticket_format(struct uc3_buf *out, const struct uc3_ticket *t)
{
	struct uc3_ynode *root = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct fctx c = { t };
	int err;

	err = build(&c, root);
	if (!err)
		err = uc3_ydoc_emit(out, root);
	uc3_ynode_free(root);
	return err;
}
