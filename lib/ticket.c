#include "ticket.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "error.h"
#include "utf8.h"
#include "xalloc.h"

static const char *const status_names[] = {
	[UC3_STATUS_OPEN] = "open",
	[UC3_STATUS_ANSWERED] = "answered",
	[UC3_STATUS_DELIVERED] = "delivered",
	[UC3_STATUS_CLOSED] = "closed"
};

#define NSTATUS (sizeof(status_names) / sizeof(status_names[0]))

/* Keys with a place of their own: an extra key may not take one of them. */
static const char *const ticket_keys[] = {
	"id", "subject", "kind", "channel", "requester", "unit", "received",
	"status", "level", "deadline", "body", "answer", "events", NULL
};
static const char *const event_keys[] = {
	"at", "by", "action", "from", "to", "note", "step", NULL
};

const char *
uc3_status_name(enum uc3_status s)
{
	if ((unsigned)s >= NSTATUS)
		return NULL;
	return status_names[s];
}

int
uc3_status_parse(enum uc3_status *out, const char *s)
{
	size_t i;

	for (i = 0; s && i < NSTATUS; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum uc3_status)i;
			return 0;
		}
	return UC3_EINVAL;
}

struct uc3_ticket *
uc3_ticket_new(void)
{
	return uc3_xcalloc(1, sizeof(struct uc3_ticket));
}

static void
event_release(struct uc3_event *e)
{
	free(e->at);
	free(e->by);
	free(e->action);
	free(e->from);
	free(e->to);
	free(e->note);
	free(e->step.name);
	free(e->step.due);
	uc3_ynode_free(e->extra);
}

void
uc3_ticket_free(struct uc3_ticket *t)
{
	size_t i;

	if (!t)
		return;
	free(t->id);
	free(t->subject);
	free(t->kind);
	free(t->channel);
	free(t->requester.name);
	free(t->requester.email);
	free(t->requester.phone);
	free(t->unit);
	free(t->received);
	free(t->level);
	free(t->deadline);
	free(t->body);
	free(t->answer);
	uc3_ynode_free(t->extra);
	for (i = 0; i < t->nevents; i++)
		event_release(&t->events[i]);
	free(t->events);
	free(t);
}

struct uc3_event *
uc3_ticket_add_event(struct uc3_ticket *t)
{
	struct uc3_event *e;

	uc3_xgrow((void **)&t->events, &t->aevents, t->nevents + 1,
		  sizeof(*t->events));
	e = &t->events[t->nevents++];
	memset(e, 0, sizeof(*e));
	return e;
}

/*
 * Ids.
 */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

bool
uc3_ticket_id_parse(const char *id, const char *prefix, int *year,
		    unsigned long *num)
{
	const char *p = id;
	unsigned long n = 0;
	size_t digits;
	int y = 0, i;

	if (!id)
		return false;
	if (prefix) {
		size_t plen = strlen(prefix);

		if (!plen || strncmp(p, prefix, plen))
			return false;
		p += plen;
	} else {
		if (!(*p >= 'A' && *p <= 'Z'))
			return false;
		while ((*p >= 'A' && *p <= 'Z') || is_digit(*p))
			p++;
	}
	if (*p++ != '-')
		return false;
	for (i = 0; i < 4; i++) {
		if (!is_digit(*p))
			return false;
		y = y * 10 + (*p++ - '0');
	}
	if (y < 1970 || *p++ != '-')
		return false;
	digits = strspn(p, "0123456789");
	if (digits < 4 || p[digits] != '\0')
		return false;
	/* Padded to four digits, never beyond: 0042 and 12345, not 00042. */
	if (digits > 4 && *p == '0')
		return false;
	for (; *p; p++) {
		unsigned long d = (unsigned long)(*p - '0');

		if (n > (UC3_TICKET_NUM_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	if (n == 0)
		return false;
	if (year)
		*year = y;
	if (num)
		*num = n;
	return true;
}

void
uc3_ticket_id_format(struct uc3_buf *out, const char *prefix, int year,
		     unsigned long num)
{
	uc3_buf_addf(out, "%s-%04d-%04lu", prefix, year, num);
}

/*
 * Text.
 */

char *
uc3_text_normalize(const char *s, size_t len)
{
	struct uc3_buf b;
	size_t i, line = 0, col = 0;

	uc3_buf_init(&b);
	for (i = 0; i < len; i++) {
		char c = s[i];

		if (c == '\r') {
			if (i + 1 < len && s[i + 1] == '\n')
				i++;
			c = '\n';
		}
		if (c == '\t') {
			/* Tabs would force the whole text into one escaped line. */
			do {
				uc3_buf_addch(&b, ' ');
				col++;
			} while (col % 8);
			continue;
		}
		if (c != '\n') {
			uc3_buf_addch(&b, c);
			/* Columns count characters: continuation bytes add none. */
			if (((unsigned char)c & 0xc0) != 0x80)
				col++;
			continue;
		}
		col = 0;
		while (b.len > line &&
		       (b.ptr[b.len - 1] == ' ' || b.ptr[b.len - 1] == '\t'))
			uc3_buf_setlen(&b, b.len - 1);
		uc3_buf_addch(&b, '\n');
		line = b.len;
	}
	while (b.len > line &&
	       (b.ptr[b.len - 1] == ' ' || b.ptr[b.len - 1] == '\t'))
		uc3_buf_setlen(&b, b.len - 1);
	if (b.len > line)
		uc3_buf_addch(&b, '\n');
	/* Every line now ends with a newline: drop the empty ones last. */
	while (b.len && b.ptr[b.len - 1] == '\n' &&
	       (b.len == 1 || b.ptr[b.len - 2] == '\n'))
		uc3_buf_setlen(&b, b.len - 1);
	return uc3_buf_detach(&b);
}

/*
 * Reading.
 */

struct pctx {
	const char *name;
	struct uc3_ticket *t;
};

static int
perr(const struct pctx *c, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
perr(const struct pctx *c, unsigned line, unsigned col, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return uc3_error_set(UC3_EINVAL, "%s:%u:%u: %s", c->name, line, col,
			     msg);
}

/*
 * s cut for a message: the first line, at most about 60 bytes, not in the
 * middle of a character. Returns buf.
 */
static const char *
excerpt(char *buf, size_t size, const char *s)
{
	size_t n = strcspn(s, "\r\n");

	if (n > size - 4)
		n = size - 4;
	while (n && ((unsigned char)s[n] & 0xC0) == 0x80)
		n--;
	memcpy(buf, s, n);
	strcpy(buf + n, s[n] ? "..." : "");
	return buf;
}

static const char *
type_name(const struct uc3_ynode *n)
{
	switch (n->type) {
	case UC3_YMAP:
		return "a mapping";
	case UC3_YSEQ:
		return "a sequence";
	default:
		return "text";
	}
}

/* The value of key i of map as text in *out; NULL for a plain null. */
static int
get_text(const struct pctx *c, const struct uc3_ynode *map, size_t i,
	 const char *path, char **out)
{
	const struct uc3_ynode *v = map->items[i];

	if (uc3_ynode_is_null(v))
		return 0;
	if (v->type != UC3_YSCALAR)
		return perr(c, map->key_line[i], map->key_col[i],
			    "%s must be text, not %s", path, type_name(v));
	*out = uc3_xstrndup(v->str, v->len);
	return 0;
}

static int
get_time(const struct pctx *c, const struct uc3_ynode *map, size_t i,
	 const char *path, char **out)
{
	const struct uc3_ynode *v = map->items[i];
	char ex[64];
	time_t when;
	int err;

	if ((err = get_text(c, map, i, path, out)) || !*out)
		return err;
	if (uc3_clock_parse(&when, *out, NULL))
		return perr(c, v->line, v->col,
			    "%s '%s' is not an RFC 3339 timestamp", path,
			    excerpt(ex, sizeof(ex), *out));
	return 0;
}

static int
get_map(const struct pctx *c, const struct uc3_ynode *map, size_t i,
	const char *path, const struct uc3_ynode **out)
{
	const struct uc3_ynode *v = map->items[i];

	*out = NULL;
	if (uc3_ynode_is_null(v))
		return 0;
	if (v->type != UC3_YMAP)
		return perr(c, map->key_line[i], map->key_col[i],
			    "%s must be a mapping, not %s", path, type_name(v));
	*out = v;
	return 0;
}

/* A required key of map is absent, or present with no value. */
static int
missing(const struct pctx *c, const struct uc3_ynode *map, const char *key,
	const char *path)
{
	size_t i;

	for (i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return perr(c, map->key_line[i], map->key_col[i],
				    "%s has no value", path);
	return perr(c, map->line, map->col, "%s is missing", path);
}

static int
unknown_key(const struct pctx *c, const struct uc3_ynode *map, size_t i,
	    const char *path)
{
	char ex[64];

	return perr(c, map->key_line[i], map->key_col[i],
		    "%s: unknown key '%s'", path,
		    excerpt(ex, sizeof(ex), map->keys[i]));
}

static int
parse_requester(const struct pctx *c, const struct uc3_ynode *map, size_t i)
{
	const struct uc3_ynode *m;
	size_t j;
	int err;

	if ((err = get_map(c, map, i, "requester", &m)) || !m)
		return err;
	/*
	 * The requester has no room for other keys: refuse them rather
	 * than drop them the next time the ticket is written.
	 */
	for (j = 0; j < m->n && !err; j++) {
		const char *k = m->keys[j];

		if (!strcmp(k, "name"))
			err = get_text(c, m, j, "requester.name",
				       &c->t->requester.name);
		else if (!strcmp(k, "email"))
			err = get_text(c, m, j, "requester.email",
				       &c->t->requester.email);
		else if (!strcmp(k, "phone"))
			err = get_text(c, m, j, "requester.phone",
				       &c->t->requester.phone);
		else
			err = unknown_key(c, m, j, "requester");
	}
	return err;
}

static int
parse_step(const struct pctx *c, const struct uc3_ynode *map, size_t i,
	   const char *pre, struct uc3_step *s)
{
	const struct uc3_ynode *m;
	char path[96], ex[64];
	bool have_late = false;
	size_t j;
	int err;

	snprintf(path, sizeof(path), "%s.step", pre);
	if ((err = get_map(c, map, i, path, &m)) || !m)
		return err;
	for (j = 0; j < m->n && !err; j++) {
		const char *k = m->keys[j];
		const struct uc3_ynode *v = m->items[j];

		snprintf(path, sizeof(path), "%s.step.%s", pre, k);
		if (!strcmp(k, "name")) {
			err = get_text(c, m, j, path, &s->name);
		} else if (!strcmp(k, "due")) {
			err = get_time(c, m, j, path, &s->due);
		} else if (!strcmp(k, "late")) {
			if (v->type == UC3_YSCALAR && v->plain &&
			    (!strcmp(v->str, "true") ||
			     !strcmp(v->str, "false"))) {
				s->late = v->str[0] == 't';
				have_late = true;
			} else if (v->type == UC3_YSCALAR) {
				err = perr(c, v->line, v->col,
					   "%s must be true or false, not '%s'",
					   path,
					   excerpt(ex, sizeof(ex), v->str));
			} else {
				err = perr(c, m->key_line[j], m->key_col[j],
					   "%s must be true or false, not %s",
					   path, type_name(v));
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

static int
parse_event(const struct pctx *c, const struct uc3_ynode *m, size_t idx)
{
	struct uc3_event *e = uc3_ticket_add_event(c->t);
	char pre[32], path[96];
	size_t j;
	int err = 0;

	snprintf(pre, sizeof(pre), "events[%zu]", idx);
	if (m->type != UC3_YMAP)
		return perr(c, m->line, m->col, "%s must be a mapping, not %s",
			    pre, type_name(m));
	for (j = 0; j < m->n && !err; j++) {
		const char *k = m->keys[j];

		snprintf(path, sizeof(path), "%s.%s", pre, k);
		if (!strcmp(k, "at"))
			err = get_time(c, m, j, path, &e->at);
		else if (!strcmp(k, "by"))
			err = get_text(c, m, j, path, &e->by);
		else if (!strcmp(k, "action"))
			err = get_text(c, m, j, path, &e->action);
		else if (!strcmp(k, "from"))
			err = get_text(c, m, j, path, &e->from);
		else if (!strcmp(k, "to"))
			err = get_text(c, m, j, path, &e->to);
		else if (!strcmp(k, "note"))
			err = get_text(c, m, j, path, &e->note);
		else if (!strcmp(k, "step"))
			err = parse_step(c, m, j, pre, &e->step);
		else {
			if (!e->extra)
				e->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
			uc3_ynode_map_add(e->extra, k,
					  uc3_ynode_dup(m->items[j]));
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
parse_events(const struct pctx *c, const struct uc3_ynode *map, size_t i,
	     bool *seen)
{
	const struct uc3_ynode *v = map->items[i];
	size_t j;
	int err;

	if (uc3_ynode_is_null(v))
		return 0;
	if (v->type != UC3_YSEQ)
		return perr(c, map->key_line[i], map->key_col[i],
			    "events must be a sequence, not %s", type_name(v));
	*seen = true;
	for (j = 0; j < v->n; j++)
		if ((err = parse_event(c, v->items[j], j)))
			return err;
	return 0;
}

static int
parse_status(const struct pctx *c, const struct uc3_ynode *map, size_t i,
	     bool *seen)
{
	const struct uc3_ynode *v = map->items[i];
	char *s = NULL, ex[64];
	int err;

	if ((err = get_text(c, map, i, "status", &s)) || !s)
		return err;
	err = uc3_status_parse(&c->t->status, s);
	if (err)
		err = perr(c, v->line, v->col, "status '%s' is not one of "
			   "open, answered, delivered, closed",
			   excerpt(ex, sizeof(ex), s));
	else
		*seen = true;
	free(s);
	return err;
}

static int
parse_fields(const struct pctx *c, const struct uc3_ynode *root,
	     bool *have_status, bool *have_events)
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
			err = get_text(c, root, i, k, &t->unit);
		else if (!strcmp(k, "received"))
			err = get_time(c, root, i, k, &t->received);
		else if (!strcmp(k, "status"))
			err = parse_status(c, root, i, have_status);
		else if (!strcmp(k, "level"))
			err = get_text(c, root, i, k, &t->level);
		else if (!strcmp(k, "deadline"))
			err = get_time(c, root, i, k, &t->deadline);
		else if (!strcmp(k, "body"))
			err = get_text(c, root, i, k, &t->body);
		else if (!strcmp(k, "answer"))
			err = get_text(c, root, i, k, &t->answer);
		else if (!strcmp(k, "events"))
			err = parse_events(c, root, i, have_events);
		else {
			if (!t->extra)
				t->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
			uc3_ynode_map_add(t->extra, k,
					  uc3_ynode_dup(root->items[i]));
		}
	}
	return err;
}

static int
check_required(const struct pctx *c, const struct uc3_ynode *root,
	       bool have_status, bool have_events)
{
	const struct uc3_ticket *t = c->t;
	char ex[64];

	if (!t->id)
		return missing(c, root, "id", "id");
	if (!uc3_ticket_id_parse(t->id, NULL, NULL, NULL)) {
		const struct uc3_ynode *v = uc3_ynode_get(root, "id");

		return perr(c, v->line, v->col,
			    "id '%s' is not a ticket id (PREFIX-YEAR-NNNN)",
			    excerpt(ex, sizeof(ex), t->id));
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
	return 0;
}

int
uc3_ticket_parse(struct uc3_ticket **out, const char *data, size_t len,
		 const char *name)
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
		err = perr(&c, root->line, root->col,
			   "a ticket must be a mapping, not %s",
			   type_name(root));
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

/*
 * Writing. The style of every scalar follows from its text alone, never
 * from how it was read, so that format(parse(f)) == f.
 */

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
	return !*s || !strcmp(s, "~") || !strcmp(s, "null") ||
	    !strcmp(s, "Null") || !strcmp(s, "NULL");
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
put(const struct fctx *c, struct uc3_ynode *map, const char *key,
    const char *path, const char *s, enum uc3_ystyle (*style)(const char *))
{
	if (!s)
		return 0;
	if (!uc3_utf8_valid(s, strlen(s), NULL))
		return uc3_error_set(UC3_EINVAL, "%s: invalid UTF-8 in %s",
				     ticket_name(c), path);
	uc3_ynode_map_add(map, key, uc3_ynode_scalar(s, style(s)));
	return 0;
}

/* Copy the extra keys of src into map, refusing those that have a place. */
static int
put_extra(const struct fctx *c, struct uc3_ynode *map,
	  const struct uc3_ynode *src, const char *const *taken,
	  const char *where)
{
	size_t i, j;

	if (!src)
		return 0;
	if (src->type != UC3_YMAP)
		return uc3_error_set(UC3_EINVAL, "%s: the extra fields of %s "
				     "are not a mapping", ticket_name(c),
				     where);
	for (i = 0; i < src->n; i++) {
		for (j = 0; taken[j]; j++)
			if (!strcmp(src->keys[i], taken[j]))
				return uc3_error_set(UC3_EINVAL, "%s: extra "
				    "field '%s' of %s has a place of its own",
				    ticket_name(c), taken[j], where);
		uc3_ynode_map_add(map, src->keys[i],
				  uc3_ynode_dup(src->items[i]));
	}
	return 0;
}

static int
put_event(const struct fctx *c, struct uc3_ynode *seq,
	  const struct uc3_event *e, size_t idx)
{
	struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
	char pre[32], path[64];
	int err;

	uc3_ynode_seq_add(seq, m);
	snprintf(pre, sizeof(pre), "events[%zu]", idx);
#define PUT(key, field, style)						\
	do {								\
		snprintf(path, sizeof(path), "%s.%s", pre, key);	\
		if ((err = put(c, m, key, path, field, style)))		\
			return err;					\
	} while (0)
	PUT("at", e->at, time_style);
	PUT("by", e->by, text_style);
	PUT("action", e->action, text_style);
	PUT("from", e->from, text_style);
	PUT("to", e->to, text_style);
	PUT("note", e->note, text_style);
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
		uc3_ynode_map_add(s, "late", uc3_ynode_scalar(e->step.late ?
		    "true" : "false", UC3_YSTYLE_ANY));
	}
#undef PUT
	return put_extra(c, m, e->extra, event_keys, pre);
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
		return uc3_error_set(UC3_EINVAL, "%s: no such status: %d",
				     ticket_name(c), (int)t->status);
#define PUT(key, field, style)						\
	do {								\
		if ((err = put(c, root, key, key, field, style)))	\
			return err;					\
	} while (0)
	PUT("id", t->id, text_style);
	PUT("subject", t->subject, text_style);
	PUT("kind", t->kind, text_style);
	PUT("channel", t->channel, text_style);
	if (t->requester.name || t->requester.email || t->requester.phone) {
		struct uc3_ynode *r = uc3_ynode_map(UC3_YSTYLE_ANY);

		uc3_ynode_map_add(root, "requester", r);
		if ((err = put(c, r, "name", "requester.name",
			       t->requester.name, text_style)) ||
		    (err = put(c, r, "email", "requester.email",
			       t->requester.email, text_style)) ||
		    (err = put(c, r, "phone", "requester.phone",
			       t->requester.phone, text_style)))
			return err;
	}
	PUT("unit", t->unit, text_style);
	PUT("received", t->received, time_style);
	PUT("status", status, text_style);
	PUT("level", t->level, text_style);
	PUT("deadline", t->deadline, time_style);
	PUT("body", t->body, text_style);
	PUT("answer", t->answer, text_style);
#undef PUT
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

/*
 * Checking what a person typed.
 */

/* True when s holds a line break as YAML or a mail header would see one. */
static bool
has_break(const char *s)
{
	return strpbrk(s, "\r\n") || strstr(s, "\xC2\x85") ||
	    strstr(s, "\xE2\x80\xA8") || strstr(s, "\xE2\x80\xA9");
}

static bool
is_blank(const char *s)
{
	return !s || s[strspn(s, " \t")] == '\0';
}

static void
list_words(struct uc3_buf *b, char *const *w, size_t n)
{
	size_t i;

	if (!n)
		uc3_buf_adds(b, "(none)");
	for (i = 0; i < n; i++)
		uc3_buf_addf(b, "%s%s", i ? ", " : "", w[i]);
}

static int
not_in_list(const char *field, const char *value, char *const *w, size_t n)
{
	struct uc3_buf b;
	char ex[64];
	int err;

	uc3_buf_init(&b);
	list_words(&b, w, n);
	if (is_blank(value))
		err = uc3_error_set(UC3_EINVAL, "no %s: one of the policy's "
				    "%ss is needed: %s", field, field, b.ptr);
	else
		err = uc3_error_set(UC3_EINVAL, "%s '%s' is not one of the "
				    "policy's %ss: %s", field,
				    excerpt(ex, sizeof(ex), value), field,
				    b.ptr);
	uc3_buf_release(&b);
	return err;
}

/* "1 MiB", "64 KiB" when the limit is a whole number of them, else "". */
static void
human_size(char *buf, size_t size, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(buf, size, " (%zu MiB)", n / (1024 * 1024));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, size, " (%zu KiB)", n / 1024);
	else
		buf[0] = '\0';
}

static int
check_size(const char *field, const char *s, size_t limit)
{
	char hs[32];
	size_t n;

	if (!s)
		return 0;
	/* The final newline that normalising adds is not the sender's text. */
	n = strlen(s);
	if (n && s[n - 1] == '\n')
		n--;
	if (n <= limit)
		return 0;
	human_size(hs, sizeof(hs), limit);
	return uc3_error_set(UC3_EINVAL,
			     "%s is %zu bytes, over the limit of %zu%s", field,
			     n, limit, hs);
}

int
uc3_ticket_check(const struct uc3_ticket *t, const struct uc3_policy *p)
{
	const struct {
		const char *field;
		const char *value;
		bool one_line;
	} fields[] = {
		{ "subject", t->subject, true },
		{ "kind", t->kind, true },
		{ "channel", t->channel, true },
		{ "requester.name", t->requester.name, true },
		{ "requester.email", t->requester.email, true },
		{ "requester.phone", t->requester.phone, true },
		{ "unit", t->unit, true },
		{ "body", t->body, false },
		{ "answer", t->answer, false },
	};
	size_t i, limit;
	int err;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].value && !uc3_utf8_valid(fields[i].value,
		    strlen(fields[i].value), NULL))
			return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in %s",
					     fields[i].field);
	if (is_blank(t->subject))
		return uc3_error_set(UC3_EINVAL, "subject is empty");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if ((err = uc3_text_check(fields[i].value, fields[i].field,
					  fields[i].one_line)) < 0)
			return err;
	if (!t->kind || !uc3_policy_has_kind(p, t->kind))
		return not_in_list("kind", t->kind, p->kinds, p->nkinds);
	if (!t->channel || !uc3_policy_has_channel(p, t->channel))
		return not_in_list("channel", t->channel, p->channels,
				   p->nchannels);
	if (is_blank(t->requester.name) && is_blank(t->requester.email) &&
	    is_blank(t->requester.phone))
		return uc3_error_set(UC3_EINVAL, "no requester: a name, an "
				     "email or a phone is needed");
	limit = p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT;
	if ((err = check_size("body", t->body, limit)) ||
	    (err = check_size("answer", t->answer, limit)))
		return err;
	return 0;
}

int
uc3_text_check(const char *s, const char *field, bool one_line)
{
	const unsigned char *u = (const unsigned char *)s;
	unsigned line = 1;

	if (!s)
		return 0;
	if (!uc3_utf8_valid(s, strlen(s), NULL))
		return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in %s", field);
	if (one_line && has_break(s))
		return uc3_error_set(UC3_EINVAL, "%s contains a line break", field);
	for (; *u; u++) {
		unsigned cp = *u;

		/* Well-formed UTF-8: C1 controls are C2 80..C2 9F. */
		if (cp == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
			cp = *++u;
		else if (cp >= 0x80 || (cp >= 0x20 && cp != 0x7f))
			continue;
		if (!one_line && (cp == '\n' || cp == '\t')) {
			line += cp == '\n';
			continue;
		}
		if (one_line)
			return uc3_error_set(UC3_EINVAL, "%s contains a control character (U+%04X)",
					     field, cp);
		return uc3_error_set(UC3_EINVAL,
				     "%s contains a control character (U+%04X) on line %u",
				     field, cp, line);
	}
	return 0;
}

char *
uc3_text_trim(const char *s)
{
	size_t len;

	if (!s)
		return NULL;
	while (*s == ' ' || *s == '\t')
		s++;
	len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	return len ? uc3_xstrndup(s, len) : NULL;
}

static bool
str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

bool
uc3_event_equal(const struct uc3_event *a, const struct uc3_event *b)
{
	return str_same(a->at, b->at) && str_same(a->by, b->by) &&
	       str_same(a->action, b->action) && str_same(a->from, b->from) &&
	       str_same(a->to, b->to) && str_same(a->note, b->note) &&
	       str_same(a->step.name, b->step.name) && str_same(a->step.due, b->step.due) &&
	       a->step.late == b->step.late && uc3_ynode_equal(a->extra, b->extra);
}

bool
uc3_ticket_peek_status(enum uc3_status *out, const char *data, size_t len)
{
	static const char key[] = "\nstatus: ";
	const char *p = memmem(data, len, key, sizeof(key) - 1);
	const char *end = data + len, *nl;
	char word[16];

	if (!p)
		return false;
	p += sizeof(key) - 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || (size_t)(nl - p) >= sizeof(word))
		return false;
	memcpy(word, p, (size_t)(nl - p));
	word[nl - p] = '\0';
	return uc3_status_parse(out, word) == 0;
}
