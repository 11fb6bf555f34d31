#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * Reading a ticket file: uc3_ticket_parse.
 */

struct pctx {
	const char *name;
	struct uc3_ticket *t;
};

/* The message "name:line:col: what", and UC3_EINVAL. */
#define terr(c, line, col, ...) uc3_error_at(UC3_EINVAL, (c)->name, (line), (col), __VA_ARGS__)

static const char *
type_name(enum uc3_ynode_type t)
{
	switch (t) {
	case UC3_YMAP:
		/* TRANSLATORS: "%s must be %s, not %s" of a ticket file: "a mapping". */
		return _("a mapping");
	case UC3_YSEQ:
		return _("a sequence");
	default:
		return _("text");
	}
}

/* The value of key i of map as text in *out; NULL for a plain null. */
/*
 * Value i of map in *out when it is of type want, NULL when it is a plain
 * null (as if absent); any other type is an error at its key.
 */
static int
get_node(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *path,
	 enum uc3_ynode_type want, const struct uc3_ynode **out)
{
	const struct uc3_ynode *v = map->items[i];

	*out = NULL;
	if (uc3_ynode_is_null(v))
		return 0;
	if (v->type != want)
		return terr(c, map->key_line[i], map->key_col[i], "%s must be %s, not %s", path,
			    type_name(want), type_name(v->type));
	*out = v;
	return 0;
}

/* The value of key i of map as text in *out; NULL for a plain null. */
static int
get_text(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *path, char **out)
{
	const struct uc3_ynode *v;
	int err;

	if ((err = get_node(c, map, i, path, UC3_YSCALAR, &v)) || !v)
		return err;
	*out = uc3_xstrndup(v->str, v->len);
	return 0;
}

/*
 * A value that a step writes into a commit trailer (Unit, Level): one
 * line, whatever else a hand edit put in it, or the trailer would end
 * there and what follows would read as a trailer of its own.
 */
static int
get_line(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *path, char **out)
{
	const struct uc3_ynode *v = map->items[i];
	int err;

	if ((err = get_text(c, map, i, path, out)) || !*out)
		return err;
	if ((err = uc3_text_check(*out, path, UC3_TEXT_UNBROKEN)) < 0)
		return uc3_error_prefix(err, "%s:%u:%u", c->name, v->line, v->col);
	return 0;
}

static int
get_time(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *path, char **out)
{
	const struct uc3_ynode *v = map->items[i];
	char ex[64];
	time_t when;
	int err;

	if ((err = get_text(c, map, i, path, out)) || !*out)
		return err;
	if (uc3_clock_parse(&when, *out, NULL))
		return terr(c, v->line, v->col, "%s '%s' is not an RFC 3339 timestamp", path,
			    uc3_utf8_excerpt(ex, sizeof(ex), *out));
	return 0;
}

/* A required key of map is absent, or present with no value. */
static int
missing(const struct pctx *c, const struct uc3_ynode *map, const char *key, const char *path)
{
	size_t i;

	for (i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return terr(c, map->key_line[i], map->key_col[i], "%s has no value", path);
	return terr(c, map->line, map->col, "%s is missing", path);
}

static int
unknown_key(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *path)
{
	char ex[64];

	return terr(c, map->key_line[i], map->key_col[i], "%s: unknown key '%s'", path,
		    uc3_utf8_excerpt(ex, sizeof(ex), map->keys[i]));
}

static int
parse_requester(const struct pctx *c, const struct uc3_ynode *map, size_t i)
{
	const struct uc3_ynode *m;
	size_t j;
	int err;

	if ((err = get_node(c, map, i, "requester", UC3_YMAP, &m)) || !m)
		return err;
	/*
	 * The requester has no room for other keys: refuse them rather
	 * than drop them the next time the ticket is written.
	 */
	for (j = 0; j < m->n && !err; j++) {
		const char *k = m->keys[j];

		if (!strcmp(k, "name"))
			err = get_text(c, m, j, "requester.name", &c->t->requester.name);
		else if (!strcmp(k, "email"))
			err = get_text(c, m, j, "requester.email", &c->t->requester.email);
		else if (!strcmp(k, "phone"))
			err = get_text(c, m, j, "requester.phone", &c->t->requester.phone);
		else if (!strcmp(k, "social"))
			err = get_text(c, m, j, "requester.social", &c->t->requester.social);
		else if (!strcmp(k, "address"))
			err = get_text(c, m, j, "requester.address", &c->t->requester.address);
		else
			err = unknown_key(c, m, j, "requester");
	}
	return err;
}

/* A MIME type: two tokens of RFC 2045's characters around one slash. */
static bool
mime_type_ok(const char *s)
{
	static const char tok[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				  "0123456789!#$&^_.+-";
	size_t a = strspn(s, tok);

	return a > 0 && s[a] == '/' && s[a + 1] && strspn(s + a + 1, tok) == strlen(s + a + 1);
}

/* A size in bytes: a plain decimal number, no sign, no leading zero. */
static int
get_size(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *path, size_t *out)
{
	const struct uc3_ynode *v = map->items[i];
	const char *p;
	char ex[64];
	size_t n = 0;

	if (v->type != UC3_YSCALAR)
		return terr(c, map->key_line[i], map->key_col[i],
			    "%s must be a number of bytes, not %s", path, type_name(v->type));
	p = v->str;
	if (!v->plain || !*p || strspn(p, "0123456789") != v->len || (*p == '0' && p[1]))
		return terr(c, v->line, v->col, "%s must be a number of bytes, not '%s'", path,
			    uc3_utf8_excerpt(ex, sizeof(ex), v->str));
	for (; *p; p++) {
		if (n > ((size_t)1 << 52))
			return terr(c, v->line, v->col, "%s: %s bytes is more than a file holds",
				    path, uc3_utf8_excerpt(ex, sizeof(ex), v->str));
		n = n * 10 + (size_t)(*p - '0');
	}
	*out = n;
	return 0;
}

static int
parse_attachment(const struct pctx *c, const struct uc3_ynode *m, size_t idx)
{
	struct uc3_attachment *a = uc3_ticket_add_attachment(c->t);
	const struct uc3_ynode *v;
	char pre[48], path[96], ex[64];
	bool have_size = false;
	size_t j;
	int err = 0;

	snprintf(pre, sizeof(pre), "attachments[%zu]", idx);
	if (m->type != UC3_YMAP)
		return terr(c, m->line, m->col, "%s must be a mapping, not %s", pre,
			    type_name(m->type));
	/* No room for other keys: refuse them rather than drop them on the next write. */
	for (j = 0; j < m->n && !err; j++) {
		const char *k = m->keys[j];

		snprintf(path, sizeof(path), "%s.%s", pre, k);
		v = m->items[j];
		if (!strcmp(k, "name")) {
			if (!(err = get_text(c, m, j, path, &a->name)) && a->name &&
			    !uc3_ticket_attachment_name_ok(a->name))
				err = terr(c, v->line, v->col,
					   "%s '%s' is not a name uc3 gives a file (no slash, no "
					   "leading dot, no control character)",
					   path, uc3_utf8_excerpt(ex, sizeof(ex), a->name));
			else if (!err && a->name && uc3_ticket_attachment(c->t, a->name) != a)
				err = terr(c, v->line, v->col, "%s '%s' is listed twice", path,
					   uc3_utf8_excerpt(ex, sizeof(ex), a->name));
		} else if (!strcmp(k, "type")) {
			if (!(err = get_text(c, m, j, path, &a->type)) && a->type &&
			    !mime_type_ok(a->type))
				err = terr(c, v->line, v->col,
					   "%s '%s' is not a MIME type (such as application/pdf)",
					   path, uc3_utf8_excerpt(ex, sizeof(ex), a->type));
		} else if (!strcmp(k, "size")) {
			err = get_size(c, m, j, path, &a->size);
			have_size = true;
		} else if (!strcmp(k, "blob")) {
			if (!(err = get_text(c, m, j, path, &a->blob)) && a->blob &&
			    !uc3_ticket_blob_ok(a->blob))
				err = terr(c, v->line, v->col,
					   "%s '%s' is not a git blob id (40 hex digits)", path,
					   uc3_utf8_excerpt(ex, sizeof(ex), a->blob));
		} else {
			err = unknown_key(c, m, j, pre);
		}
	}
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s.name", pre);
	if (!a->name)
		return missing(c, m, "name", path);
	snprintf(path, sizeof(path), "%s.type", pre);
	if (!a->type)
		return missing(c, m, "type", path);
	snprintf(path, sizeof(path), "%s.size", pre);
	if (!have_size)
		return missing(c, m, "size", path);
	snprintf(path, sizeof(path), "%s.blob", pre);
	if (!a->blob)
		return missing(c, m, "blob", path);
	return 0;
}

static int
parse_attachments(const struct pctx *c, const struct uc3_ynode *map, size_t i)
{
	const struct uc3_ynode *v;
	size_t j;
	int err;

	if ((err = get_node(c, map, i, "attachments", UC3_YSEQ, &v)) || !v)
		return err;
	for (j = 0; j < v->n; j++)
		if ((err = parse_attachment(c, v->items[j], j)))
			return err;
	return 0;
}

static int
parse_step(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *pre,
	   struct uc3_step *s)
{
	const struct uc3_ynode *m;
	char path[96], ex[64];
	bool have_late = false;
	size_t j;
	int err;

	snprintf(path, sizeof(path), "%s.step", pre);
	if ((err = get_node(c, map, i, path, UC3_YMAP, &m)) || !m)
		return err;
	for (j = 0; j < m->n && !err; j++) {
		const char *k = m->keys[j];
		const struct uc3_ynode *v = m->items[j];

		snprintf(path, sizeof(path), "%s.step.%s", pre, k);
		if (!strcmp(k, "name")) {
			err = get_text(c, m, j, path, &s->name);
		} else if (!strcmp(k, "due")) {
			err = get_time(c, m, j, path, &s->due);
		} else if (!strcmp(k, "late") || !strcmp(k, "taken_over")) {
			if (v->type == UC3_YSCALAR && v->plain &&
			    (!strcmp(v->str, "true") || !strcmp(v->str, "false"))) {
				if (k[0] == 'l') {
					s->late = v->str[0] == 't';
					have_late = true;
				} else {
					s->taken_over = v->str[0] == 't';
				}
			} else if (v->type == UC3_YSCALAR) {
				err = terr(c, v->line, v->col, "%s must be true or false, not '%s'",
					   path, uc3_utf8_excerpt(ex, sizeof(ex), v->str));
			} else {
				err = terr(c, m->key_line[j], m->key_col[j],
					   "%s must be true or false, not %s", path,
					   type_name(v->type));
			}
		} else {
			snprintf(path, sizeof(path), "%s.step", pre);
			err = unknown_key(c, m, j, path);
		}
	}
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s.step.name", pre);
	if (!s->name)
		return missing(c, m, "name", path);
	snprintf(path, sizeof(path), "%s.step.due", pre);
	if (!s->due)
		return missing(c, m, "due", path);
	snprintf(path, sizeof(path), "%s.step.late", pre);
	if (!have_late)
		return missing(c, m, "late", path);
	return 0;
}

/*
 * changes: a list of {field, old, new}, what an edit or a reopen changed.
 * The field is required; old or new is absent where the ticket had no
 * value. Nothing else may be in a change.
 */
static int
parse_changes(const struct pctx *c, const struct uc3_ynode *map, size_t i, const char *pre,
	      struct uc3_event *e)
{
	const struct uc3_ynode *seq;
	char path[96];
	size_t j, k;
	int err;

	snprintf(path, sizeof(path), "%s.changes", pre);
	if ((err = get_node(c, map, i, path, UC3_YSEQ, &seq)) || !seq)
		return err;
	for (j = 0; j < seq->n; j++) {
		const struct uc3_ynode *m = seq->items[j];
		struct uc3_event_change *ch;

		snprintf(path, sizeof(path), "%s.changes[%zu]", pre, j);
		if (m->type != UC3_YMAP)
			return terr(c, m->line, m->col, "%s must be a mapping, not %s", path,
				    type_name(m->type));
		ch = uc3_event_add_change(e, NULL, NULL, NULL);
		for (k = 0; k < m->n; k++) {
			const char *key = m->keys[k];

			snprintf(path, sizeof(path), "%s.changes[%zu].%s", pre, j, key);
			if (!strcmp(key, "field"))
				err = get_line(c, m, k, path, &ch->field);
			else if (!strcmp(key, "old"))
				err = get_text(c, m, k, path, &ch->before);
			else if (!strcmp(key, "new"))
				err = get_text(c, m, k, path, &ch->after);
			else {
				snprintf(path, sizeof(path), "%s.changes[%zu]", pre, j);
				err = unknown_key(c, m, k, path);
			}
			if (err)
				return err;
		}
		snprintf(path, sizeof(path), "%s.changes[%zu].field", pre, j);
		if (!ch->field)
			return missing(c, m, "field", path);
	}
	return 0;
}

static int
parse_event(const struct pctx *c, const struct uc3_ynode *m, size_t idx)
{
	struct uc3_event *e = uc3_ticket_add_event(c->t);
	char pre[32], path[96];
	size_t j;
	int err = 0;

	snprintf(pre, sizeof(pre), "events[%zu]", idx);
	if (m->type != UC3_YMAP)
		return terr(c, m->line, m->col, "%s must be a mapping, not %s", pre,
			    type_name(m->type));
	for (j = 0; j < m->n && !err; j++) {
		const char *k = m->keys[j];

		snprintf(path, sizeof(path), "%s.%s", pre, k);
		if (!strcmp(k, "at"))
			err = get_time(c, m, j, path, &e->at);
		else if (!strcmp(k, "by"))
			err = get_text(c, m, j, path, &e->by);
		else if (!strcmp(k, "action"))
			err = get_text(c, m, j, path, &e->action);
		else if (!strcmp(k, "role"))
			err = get_text(c, m, j, path, &e->role);
		else if (!strcmp(k, "as"))
			err = get_line(c, m, j, path, &e->as);
		else if (!strcmp(k, "of"))
			err = get_line(c, m, j, path, &e->of);
		else if (!strcmp(k, "from"))
			err = get_text(c, m, j, path, &e->from);
		else if (!strcmp(k, "to"))
			err = get_text(c, m, j, path, &e->to);
		else if (!strcmp(k, "note"))
			err = get_text(c, m, j, path, &e->note);
		else if (!strcmp(k, "about"))
			err = get_line(c, m, j, path, &e->about);
		else if (!strcmp(k, "message_id"))
			err = get_line(c, m, j, path, &e->message_id);
		else if (!strcmp(k, "sender"))
			err = get_line(c, m, j, path, &e->sender);
		else if (!strcmp(k, "backfill"))
			err = get_line(c, m, j, path, &e->backfill);
		else if (!strcmp(k, "step"))
			err = parse_step(c, m, j, pre, &e->step);
		else if (!strcmp(k, "changes"))
			err = parse_changes(c, m, j, pre, e);
		else {
			if (!e->extra)
				e->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
			uc3_ynode_map_add(e->extra, k, uc3_ynode_dup(m->items[j]));
		}
	}
	if (err)
		return err;
	snprintf(path, sizeof(path), "%s.at", pre);
	if (!e->at)
		return missing(c, m, "at", path);
	snprintf(path, sizeof(path), "%s.by", pre);
	if (!e->by)
		return missing(c, m, "by", path);
	snprintf(path, sizeof(path), "%s.action", pre);
	if (!e->action)
		return missing(c, m, "action", path);
	return 0;
}

static int
parse_events(const struct pctx *c, const struct uc3_ynode *map, size_t i, bool *seen)
{
	const struct uc3_ynode *v;
	size_t j;
	int err;

	if ((err = get_node(c, map, i, "events", UC3_YSEQ, &v)) || !v)
		return err;
	*seen = true;
	for (j = 0; j < v->n; j++)
		if ((err = parse_event(c, v->items[j], j)))
			return err;
	return 0;
}

static int
parse_status(const struct pctx *c, const struct uc3_ynode *map, size_t i, bool *seen)
{
	const struct uc3_ynode *v = map->items[i];
	char *s = NULL, ex[64];
	int err;

	if ((err = get_text(c, map, i, "status", &s)) || !s)
		return err;
	err = uc3_status_parse(&c->t->status, s);
	if (err)
		err = terr(c, v->line, v->col,
			   "status '%s' is not one of "
			   "open, answered, delivered, closed",
			   uc3_utf8_excerpt(ex, sizeof(ex), s));
	else
		*seen = true;
	free(s);
	return err;
}

/* quarantined: the quarantine file a person registered the ticket from. */
static int
get_quarantined(const struct pctx *c, const struct uc3_ynode *root, size_t i)
{
	const struct uc3_ynode *v = root->items[i];
	char ex[64];
	int err;

	if ((err = get_line(c, root, i, "quarantined", &c->t->quarantined)))
		return err;
	if (!uc3_ticket_quarantine_name_ok(c->t->quarantined, NULL))
		return terr(c, v->line, v->col,
			    "quarantined '%s' is not a file of the quarantine "
			    "(quarantine/YYYY-MM-DDTHHMMSSZ-HASH.eml)",
			    uc3_utf8_excerpt(ex, sizeof(ex), c->t->quarantined));
	return 0;
}

static int
parse_fields(const struct pctx *c, const struct uc3_ynode *root, bool *have_status,
	     bool *have_events)
{
	struct uc3_ticket *t = c->t;
	size_t i;
	int err = 0;

	for (i = 0; i < root->n && !err; i++) {
		const char *k = root->keys[i];

		if (!strcmp(k, "id"))
			err = get_text(c, root, i, k, &t->id);
		else if (!strcmp(k, "subject"))
			err = get_text(c, root, i, k, &t->subject);
		else if (!strcmp(k, "kind"))
			err = get_text(c, root, i, k, &t->kind);
		else if (!strcmp(k, "channel"))
			err = get_text(c, root, i, k, &t->channel);
		else if (!strcmp(k, "requester"))
			err = parse_requester(c, root, i);
		else if (!strcmp(k, "unit"))
			err = get_line(c, root, i, k, &t->unit);
		else if (!strcmp(k, "received"))
			err = get_time(c, root, i, k, &t->received);
		else if (!strcmp(k, "quarantined"))
			err = get_quarantined(c, root, i);
		else if (!strcmp(k, "message_id"))
			err = get_line(c, root, i, k, &t->message_id);
		else if (!strcmp(k, "sent"))
			err = get_time(c, root, i, k, &t->sent);
		else if (!strcmp(k, "follows"))
			err = get_line(c, root, i, k, &t->follows);
		else if (!strcmp(k, "automatic"))
			err = get_line(c, root, i, k, &t->automatic);
		else if (!strcmp(k, "status"))
			err = parse_status(c, root, i, have_status);
		else if (!strcmp(k, "closed_as"))
			err = get_line(c, root, i, k, &t->closed_as);
		else if (!strcmp(k, "duplicate_of"))
			err = get_line(c, root, i, k, &t->duplicate_of);
		else if (!strcmp(k, "level"))
			err = get_line(c, root, i, k, &t->level);
		else if (!strcmp(k, "deadline"))
			err = get_time(c, root, i, k, &t->deadline);
		else if (!strcmp(k, "body"))
			err = get_text(c, root, i, k, &t->body);
		else if (!strcmp(k, "answer"))
			err = get_text(c, root, i, k, &t->answer);
		else if (!strcmp(k, "attachments"))
			err = parse_attachments(c, root, i);
		else if (!strcmp(k, "events"))
			err = parse_events(c, root, i, have_events);
		else {
			if (!t->extra)
				t->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
			uc3_ynode_map_add(t->extra, k, uc3_ynode_dup(root->items[i]));
		}
	}
	return err;
}

/*
 * closed_as says why a closed ticket has no answer (spam, duplicate);
 * duplicate_of names the ticket a duplicate repeats, and goes with it.
 */
static int
check_closed_as(const struct pctx *c, const struct uc3_ynode *root)
{
	const struct uc3_ticket *t = c->t;
	const struct uc3_ynode *v;
	char ex[64];

	if (t->closed_as) {
		v = uc3_ynode_get(root, "closed_as");
		if (strcmp(t->closed_as, "spam") && strcmp(t->closed_as, "duplicate"))
			return terr(c, v->line, v->col,
				    "closed_as '%s' is not one of spam, duplicate",
				    uc3_utf8_excerpt(ex, sizeof(ex), t->closed_as));
		if (t->status != UC3_STATUS_CLOSED)
			return terr(c, v->line, v->col, "closed_as is for a closed ticket, not %s",
				    uc3_status_name(t->status));
	}
	if (t->duplicate_of) {
		v = uc3_ynode_get(root, "duplicate_of");
		if (!t->closed_as || strcmp(t->closed_as, "duplicate"))
			return terr(c, v->line, v->col,
				    "duplicate_of goes with closed_as: duplicate");
		if (!uc3_ticket_id_parse(t->duplicate_of, NULL, NULL, NULL))
			return terr(c, v->line, v->col,
				    "duplicate_of '%s' is not a ticket id (PREFIX-YEAR-NNNN)",
				    uc3_utf8_excerpt(ex, sizeof(ex), t->duplicate_of));
	} else if (t->closed_as && !strcmp(t->closed_as, "duplicate")) {
		return missing(c, root, "duplicate_of", "duplicate_of");
	}
	return 0;
}

/*
 * Mail in: follows names a ticket, automatic is one of the words a mail
 * read as automatic gets.
 */
static int
check_mail_in(const struct pctx *c, const struct uc3_ynode *root)
{
	const struct uc3_ticket *t = c->t;
	const struct uc3_ynode *v;
	char ex[64];

	if (t->follows && !uc3_ticket_id_parse(t->follows, NULL, NULL, NULL)) {
		v = uc3_ynode_get(root, "follows");
		return terr(c, v->line, v->col,
			    "follows '%s' is not a ticket id (PREFIX-YEAR-NNNN)",
			    uc3_utf8_excerpt(ex, sizeof(ex), t->follows));
	}
	if (t->automatic && !uc3_ticket_automatic_ok(t->automatic)) {
		v = uc3_ynode_get(root, "automatic");
		return terr(c, v->line, v->col, "automatic '%s' is not one of %s",
			    uc3_utf8_excerpt(ex, sizeof(ex), t->automatic),
			    UC3_TICKET_AUTOMATIC_WORDS);
	}
	return 0;
}

static int
check_required(const struct pctx *c, const struct uc3_ynode *root, bool have_status,
	       bool have_events)
{
	const struct uc3_ticket *t = c->t;
	char ex[64];
	int err;

	if (!t->id)
		return missing(c, root, "id", "id");
	if (!uc3_ticket_id_parse(t->id, NULL, NULL, NULL)) {
		const struct uc3_ynode *v = uc3_ynode_get(root, "id");

		return terr(c, v->line, v->col, "id '%s' is not a ticket id (PREFIX-YEAR-NNNN)",
			    uc3_utf8_excerpt(ex, sizeof(ex), t->id));
	}
	if (!t->subject)
		return missing(c, root, "subject", "subject");
	if (!t->kind)
		return missing(c, root, "kind", "kind");
	if (!t->channel)
		return missing(c, root, "channel", "channel");
	if (!t->received)
		return missing(c, root, "received", "received");
	if (!have_status)
		return missing(c, root, "status", "status");
	if (t->status != UC3_STATUS_CLOSED) {
		/* An open step always has a holder and an end. */
		if (!t->level)
			return missing(c, root, "level", "level");
		if (!t->deadline)
			return missing(c, root, "deadline", "deadline");
	}
	if (!have_events)
		return missing(c, root, "events", "events");
	if ((err = check_mail_in(c, root)))
		return err;
	return check_closed_as(c, root);
}

int
uc3_ticket_parse(struct uc3_ticket **out, const char *data, size_t len, const char *name)
{
	struct uc3_ynode *root;
	struct pctx c;
	bool have_status = false, have_events = false;
	int err;

	*out = NULL;
	if ((err = uc3_ydoc_parse(&root, data, len, name, UC3_TICKET_FILE_MAX)))
		return err;
	c.name = name;
	c.t = uc3_ticket_new();
	if (root->type != UC3_YMAP)
		err = terr(&c, root->line, root->col, "a ticket must be a mapping, not %s",
			   type_name(root->type));
	if (!err)
		err = parse_fields(&c, root, &have_status, &have_events);
	if (!err)
		err = check_required(&c, root, have_status, have_events);
	uc3_ynode_free(root);
	if (err) {
		uc3_ticket_free(c.t);
		return err;
	}
	*out = c.t;
	return 0;
}
