#include "ydoc.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "error.h"
#include "i18n.h"
#include "strv.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * The reader turns libyaml's event stream into a tree with an explicit
 * stack, so that a hostile file can neither recurse us into a crash nor
 * make us build anything before it is refused: anchors, aliases and tags
 * are refused on the event that carries them, before any expansion.
 */

struct frame {
	struct uc3_ynode *node;
	char *key; /* map: a key read, its value not yet */
	unsigned key_line, key_col;
};

struct reader {
	const char *name;
	yaml_parser_t parser;
	struct frame stack[UC3_YDOC_MAX_DEPTH];
	int depth;
	size_t nodes;
	struct uc3_ynode *root;
};

static struct uc3_ynode *
node_new(enum uc3_ynode_type type, enum uc3_ystyle style)
{
	struct uc3_ynode *n = uc3_xcalloc(1, sizeof(*n));

	n->type = type;
	n->style = style;
	return n;
}

struct uc3_ynode *
uc3_ynode_scalar(const char *s, enum uc3_ystyle style)
{
	struct uc3_ynode *n = node_new(UC3_YSCALAR, style);

	if (!s)
		s = "";
	n->len = strlen(s);
	n->str = uc3_xstrndup(s, n->len);
	return n;
}

struct uc3_ynode *
uc3_ynode_map(enum uc3_ystyle style)
{
	return node_new(UC3_YMAP, style);
}

struct uc3_ynode *
uc3_ynode_seq(enum uc3_ystyle style)
{
	return node_new(UC3_YSEQ, style);
}

/* Room for one more item (and key, and key position when kept). */
static void
grow(struct uc3_ynode *n)
{
	size_t alloc;

	if (n->n < n->alloc)
		return;
	alloc = n->alloc;
	uc3_xgrow((void **)&n->items, &alloc, n->n + 1, sizeof(*n->items));
	if (n->type == UC3_YMAP) {
		size_t a = n->alloc;

		uc3_xgrow((void **)&n->keys, &a, n->n + 1, sizeof(*n->keys));
		if (n->key_line) {
			a = n->alloc;
			uc3_xgrow((void **)&n->key_line, &a, n->n + 1, sizeof(*n->key_line));
			a = n->alloc;
			uc3_xgrow((void **)&n->key_col, &a, n->n + 1, sizeof(*n->key_col));
		}
	}
	n->alloc = alloc;
}

void
uc3_ynode_map_add(struct uc3_ynode *map, const char *key, struct uc3_ynode *val)
{
	grow(map);
	map->keys[map->n] = uc3_xstrdup(key);
	map->items[map->n] = val;
	if (map->key_line) {
		map->key_line[map->n] = 0;
		map->key_col[map->n] = 0;
	}
	map->n++;
}

void
uc3_ynode_seq_add(struct uc3_ynode *seq, struct uc3_ynode *val)
{
	grow(seq);
	seq->items[seq->n++] = val;
}

struct uc3_ynode *
uc3_ynode_dup(const struct uc3_ynode *n)
{
	struct uc3_ynode *d;
	size_t i;

	if (!n)
		return NULL;
	d = node_new(n->type, n->style);
	d->plain = n->plain;
	d->line = n->line;
	d->col = n->col;
	if (n->type == UC3_YSCALAR) {
		d->len = n->len;
		d->str = uc3_xmalloc(n->len + 1);
		memcpy(d->str, n->str, n->len + 1);
		return d;
	}
	if (!n->n)
		return d;
	d->alloc = n->n;
	d->items = uc3_xcalloc(n->n, sizeof(*d->items));
	if (n->type == UC3_YMAP) {
		d->keys = uc3_xcalloc(n->n, sizeof(*d->keys));
		if (n->key_line) {
			d->key_line = uc3_xcalloc(n->n, sizeof(*d->key_line));
			d->key_col = uc3_xcalloc(n->n, sizeof(*d->key_col));
		}
	}
	for (i = 0; i < n->n; i++) {
		d->items[i] = uc3_ynode_dup(n->items[i]);
		if (n->type == UC3_YMAP) {
			d->keys[i] = uc3_xstrdup(n->keys[i]);
			if (n->key_line) {
				d->key_line[i] = n->key_line[i];
				d->key_col[i] = n->key_col[i];
			}
		}
	}
	d->n = n->n;
	return d;
}

void
uc3_ynode_free(struct uc3_ynode *n)
{
	size_t i;

	if (!n)
		return;
	for (i = 0; i < n->n; i++) {
		uc3_ynode_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_line);
	free(n->key_col);
	free(n->str);
	free(n);
}

const struct uc3_ynode *
uc3_ynode_get(const struct uc3_ynode *map, const char *key)
{
	size_t i;

	if (!map || map->type != UC3_YMAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (!strcmp(map->keys[i], key))
			return map->items[i];
	return NULL;
}

bool
uc3_ynode_is_null(const struct uc3_ynode *n)
{
	if (!n || n->type != UC3_YSCALAR || !n->plain)
		return false;
	return !strcmp(n->str, "") || !strcmp(n->str, "~") || !strcmp(n->str, "null") ||
	       !strcmp(n->str, "Null") || !strcmp(n->str, "NULL");
}

/*
 * Ambiguity. Plain scalars are typed by the reader's schema: YAML 1.1
 * (PyYAML, Ruby, older Go) is generous, 1.2 core less so. We quote
 * anything either might take for a non-string, erring on the side of
 * quoting: an extra pair of quotes costs nothing, a subject read back as
 * a date or a boolean by somebody's script does.
 */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static bool
all_of(const char *s, const char *set)
{
	if (!*s)
		return false;
	return s[strspn(s, set)] == '\0';
}

static bool
looks_number(const char *s)
{
	const char *p = s;
	bool digit = false;

	if (*p == '+' || *p == '-')
		p++;
	if (!strcasecmp(p, ".inf") || !strcasecmp(p, ".nan"))
		return true;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		return all_of(p + 2, "0123456789abcdefABCDEF_");
	if (p[0] == '0' && (p[1] == 'o' || p[1] == 'O'))
		return all_of(p + 2, "01234567_");
	if (p[0] == '0' && (p[1] == 'b' || p[1] == 'B'))
		return all_of(p + 2, "01_");
	if (!is_digit(*p) && *p != '.')
		return false;
	/* Decimal, YAML 1.1 "1_000", "1.2.3" and sexagesimal "1:20:30.5". */
	for (; *p && strchr("0123456789_:.", *p); p++)
		digit |= is_digit(*p);
	if (!digit)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!is_digit(*p))
			return false;
		while (is_digit(*p))
			p++;
	}
	return *p == '\0';
}

/* "2026-11-28", "2026-1-2", and anything that starts like a timestamp. */
static bool
looks_date(const char *s)
{
	const char *p = s;
	int i;

	for (i = 0; i < 4; i++)
		if (!is_digit(*p++))
			return false;
	for (i = 0; i < 2; i++) {
		if (*p++ != '-' || !is_digit(*p++))
			return false;
		if (is_digit(*p))
			p++;
	}
	if (!*p)
		return true;
	if (*p != 'T' && *p != 't' && *p != ' ' && *p != '\t')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p == 'T' || *p == 't')
		p++;
	return is_digit(*p);
}

bool
uc3_ydoc_ambiguous(const char *s)
{
	static const char *const words[] = { "~",  "null", "true", "false", "yes", "no",
					     "on", "off",  "y",	   "n",	    "=",   "<<" };
	size_t i;

	if (!s || !*s)
		return true;
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcasecmp(s, words[i]))
			return true;
	return looks_number(s) || looks_date(s);
}

/* Line and column (1-based, in characters as libyaml counts) of byte off. */
static void
position(const char *data, size_t off, unsigned *line, unsigned *col)
{
	size_t i, start = 0;

	*line = 1;
	if (off >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3))
		start = 3;
	for (i = start; i < off; i++)
		if (data[i] == '\n') {
			(*line)++;
			start = i + 1;
		}
	*col = 1;
	for (i = start; i < off; i++)
		if (((unsigned char)data[i] & 0xC0) != 0x80)
			(*col)++;
}

static int
refuse_at(struct reader *r, const yaml_mark_t *m, const char *what)
{
	return uc3_error_set(UC3_EINVAL, "%s:%zu:%zu: %s", r->name, m->line + 1, m->column + 1,
			     what);
}

static int
parser_error(struct reader *r, const char *data)
{
	yaml_parser_t *p = &r->parser;
	unsigned line, col;

	if (p->error == YAML_MEMORY_ERROR)
		return uc3_error_set(UC3_ERROR, "%s: out of memory", r->name);
	if (p->error == YAML_READER_ERROR) {
		position(data, p->problem_offset, &line, &col);
		if (p->problem_value != -1)
			return uc3_error_set(UC3_EINVAL, "%s:%u:%u: %s (#x%X)", r->name, line, col,
					     p->problem, (unsigned)p->problem_value);
		return uc3_error_set(UC3_EINVAL, "%s:%u:%u: %s", r->name, line, col, p->problem);
	}
	if (p->context)
		return uc3_error_set(UC3_EINVAL, "%s:%zu:%zu: %s %s at %zu:%zu", r->name,
				     p->problem_mark.line + 1, p->problem_mark.column + 1,
				     p->problem ? p->problem : _("syntax error"), p->context,
				     p->context_mark.line + 1, p->context_mark.column + 1);
	return uc3_error_set(UC3_EINVAL, "%s:%zu:%zu: %s", r->name, p->problem_mark.line + 1,
			     p->problem_mark.column + 1,
			     p->problem ? p->problem : _("syntax error"));
}

static int
dup_key_error(struct reader *r, const struct uc3_ynode *map, size_t i)
{
	return uc3_error_set(UC3_EINVAL, "%s:%u:%u: duplicate key '%s'", r->name, map->key_line[i],
			     map->key_col[i], map->keys[i]);
}

/* Index of the first repeated key of map, or (size_t)-1. */
static size_t
find_dup_key(const struct uc3_ynode *map)
{
	size_t first, dup;

	return uc3_strv_find_dup(map->keys, map->n, false, &first, &dup) ? dup : (size_t)-1;
}

/* Attach n to the collection on top of the stack (or make it the root). */
static void
attach(struct reader *r, struct uc3_ynode *n)
{
	struct frame *f;

	if (!r->depth) {
		r->root = n;
		return;
	}
	f = &r->stack[r->depth - 1];
	if (f->node->type == UC3_YSEQ) {
		uc3_ynode_seq_add(f->node, n);
		return;
	}
	grow(f->node);
	f->node->keys[f->node->n] = f->key;
	f->node->items[f->node->n] = n;
	f->node->key_line[f->node->n] = f->key_line;
	f->node->key_col[f->node->n] = f->key_col;
	f->node->n++;
	f->key = NULL;
}

static bool
want_key(const struct reader *r)
{
	const struct frame *f;

	if (!r->depth)
		return false;
	f = &r->stack[r->depth - 1];
	return f->node->type == UC3_YMAP && !f->key;
}

static int
count_node(struct reader *r, const yaml_event_t *ev)
{
	char msg[64];

	if (++r->nodes <= UC3_YDOC_MAX_NODES)
		return 0;
	snprintf(msg, sizeof(msg), "more than %d nodes", UC3_YDOC_MAX_NODES);
	return refuse_at(r, &ev->start_mark, msg);
}

static int
on_scalar(struct reader *r, const yaml_event_t *ev)
{
	const char *value = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	struct uc3_ynode *n;
	int err;

	if (ev->data.scalar.anchor)
		return refuse_at(r, &ev->start_mark, "anchors are not allowed");
	if (ev->data.scalar.tag)
		return refuse_at(r, &ev->start_mark, "tags are not allowed");
	/* The input has no NUL, but a "\0" escape can still make one. */
	if (memchr(value, '\0', len))
		return refuse_at(r, &ev->start_mark, "a NUL character is not allowed");
	if ((err = count_node(r, ev)))
		return err;
	if (want_key(r)) {
		struct frame *f = &r->stack[r->depth - 1];

		f->key = uc3_xstrndup(value, len);
		f->key_line = ev->start_mark.line + 1;
		f->key_col = ev->start_mark.column + 1;
		return 0;
	}
	n = node_new(UC3_YSCALAR, UC3_YSTYLE_ANY);
	switch (ev->data.scalar.style) {
	case YAML_SINGLE_QUOTED_SCALAR_STYLE:
		n->style = UC3_YSTYLE_SQUOTED;
		break;
	case YAML_DOUBLE_QUOTED_SCALAR_STYLE:
		n->style = UC3_YSTYLE_DQUOTED;
		break;
	case YAML_LITERAL_SCALAR_STYLE:
	case YAML_FOLDED_SCALAR_STYLE:
		n->style = UC3_YSTYLE_LITERAL;
		break;
	default:
		n->plain = true;
		break;
	}
	n->line = ev->start_mark.line + 1;
	n->col = ev->start_mark.column + 1;
	n->len = len;
	n->str = uc3_xstrndup(value, len);
	attach(r, n);
	return 0;
}

static int
on_start(struct reader *r, const yaml_event_t *ev)
{
	bool map = ev->type == YAML_MAPPING_START_EVENT;
	const yaml_char_t *anchor, *tag;
	struct uc3_ynode *n;
	char msg[64];
	int err;

	anchor = map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
	tag = map ? ev->data.mapping_start.tag : ev->data.sequence_start.tag;
	if (anchor)
		return refuse_at(r, &ev->start_mark, "anchors are not allowed");
	if (tag)
		return refuse_at(r, &ev->start_mark, "tags are not allowed");
	if (want_key(r))
		return refuse_at(r, &ev->start_mark, "a mapping key must be a scalar");
	if (r->depth == UC3_YDOC_MAX_DEPTH) {
		snprintf(msg, sizeof(msg), "nested deeper than %d levels", UC3_YDOC_MAX_DEPTH);
		return refuse_at(r, &ev->start_mark, msg);
	}
	if ((err = count_node(r, ev)))
		return err;
	n = node_new(map ? UC3_YMAP : UC3_YSEQ, UC3_YSTYLE_ANY);
	if (map ? ev->data.mapping_start.style == YAML_FLOW_MAPPING_STYLE
		: ev->data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE)
		n->style = UC3_YSTYLE_FLOW;
	n->line = ev->start_mark.line + 1;
	n->col = ev->start_mark.column + 1;
	if (map) {
		/* Parsed maps always carry key positions, for messages. */
		n->key_line = uc3_xcalloc(1, sizeof(*n->key_line));
		n->key_col = uc3_xcalloc(1, sizeof(*n->key_col));
		n->keys = uc3_xcalloc(1, sizeof(*n->keys));
		n->items = uc3_xcalloc(1, sizeof(*n->items));
		n->alloc = 1;
	}
	attach(r, n);
	r->stack[r->depth].node = n;
	r->stack[r->depth].key = NULL;
	r->depth++;
	return 0;
}

static int
on_end(struct reader *r)
{
	struct frame *f = &r->stack[--r->depth];
	size_t i;

	if (f->node->type == UC3_YMAP && (i = find_dup_key(f->node)) != (size_t)-1)
		return dup_key_error(r, f->node, i);
	return 0;
}

static int
read_events(struct reader *r, const char *data)
{
	yaml_event_t ev;
	int docs = 0, err = 0;
	bool done = false;

	while (!done && !err) {
		if (!yaml_parser_parse(&r->parser, &ev))
			return parser_error(r, data);
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			if (!docs)
				err = refuse_at(r, &ev.start_mark, "empty document");
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			if (++docs > 1)
				err = refuse_at(r, &ev.start_mark, "more than one document");
			break;
		case YAML_ALIAS_EVENT:
			err = refuse_at(r, &ev.start_mark, "aliases are not allowed");
			break;
		case YAML_SCALAR_EVENT:
			err = on_scalar(r, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT:
			err = on_start(r, &ev);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			err = on_end(r);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	return err;
}

int
uc3_ydoc_parse(struct uc3_ynode **out, const char *data, size_t len, const char *name,
	       size_t max_bytes)
{
	struct reader r;
	const char *nul;
	size_t bad;
	unsigned line, col;
	int err;

	*out = NULL;
	if (!data)
		data = "";
	if (len > max_bytes)
		return uc3_error_set(UC3_EINVAL, "%s:1:1: %zu bytes, over the limit of %zu", name,
				     len, max_bytes);
	if (!uc3_utf8_valid(data, len, &bad)) {
		position(data, bad, &line, &col);
		return uc3_error_set(UC3_EINVAL, "%s:%u:%u: invalid UTF-8", name, line, col);
	}
	if ((nul = memchr(data, '\0', len))) {
		position(data, (size_t)(nul - data), &line, &col);
		return uc3_error_set(UC3_EINVAL, "%s:%u:%u: a NUL byte is not allowed", name, line,
				     col);
	}

	memset(&r, 0, sizeof(r));
	r.name = name;
	if (!yaml_parser_initialize(&r.parser))
		return uc3_error_set(UC3_ERROR, "%s: out of memory", name);
	yaml_parser_set_encoding(&r.parser, YAML_UTF8_ENCODING);
	yaml_parser_set_input_string(&r.parser, (const unsigned char *)data, len);
	err = read_events(&r, data);
	yaml_parser_delete(&r.parser);

	while (r.depth > 0)
		free(r.stack[--r.depth].key);
	if (!err && uc3_ynode_is_null(r.root))
		err = uc3_error_set(UC3_EINVAL, "%s:%u:%u: empty document", name, r.root->line,
				    r.root->col);
	if (err) {
		uc3_ynode_free(r.root);
		return err;
	}
	*out = r.root;
	return 0;
}

/*
 * The writer. Before emitting we check what the reader would refuse
 * (depth, node count, duplicate keys), so that whatever we write we can
 * read back.
 */

struct writer {
	yaml_emitter_t emitter;
	size_t nodes;
};

static int
no_memory(void)
{
	return uc3_error_set(UC3_ERROR, "cannot write YAML: out of memory");
}

static int
write_handler(void *data, unsigned char *buffer, size_t size)
{
	uc3_buf_add(data, buffer, size);
	return 1;
}

static int
emit_event(struct writer *w, yaml_event_t *ev)
{
	if (!yaml_emitter_emit(&w->emitter, ev))
		return uc3_error_set(UC3_ERROR, "cannot write YAML: %s",
				     w->emitter.problem ? w->emitter.problem : _("emitter error"));
	return 0;
}

/*
 * libyaml's emitter takes every character above U+FFFF (emoji, for one)
 * for unprintable: it escapes it as "\U0001F64F" and forces the whole
 * scalar into double quotes, so a one-emoji body would become a single
 * escaped line. To keep unicode as is, such characters go to the emitter
 * as private-use characters, which it writes verbatim, and come back in
 * its output: U+E000 introduces either a second U+E000 (a real U+E000)
 * or two characters U+E400 + 10 bits each (the code point - 0x10000).
 * libyaml never writes U+E000 of its own, so the mapping is exact.
 */
#define PUA_ESC	 0xE000
#define PUA_BASE 0xE400

static size_t
put3(char *p, unsigned cp)
{
	p[0] = (char)(0xE0 | (cp >> 12));
	p[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
	p[2] = (char)(0x80 | (cp & 0x3F));
	return 3;
}

static unsigned
get3(const unsigned char *p)
{
	return ((p[0] & 0x0Fu) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
}

/* By its bytes: get3 alone would take ASCII such as ".@@" for U+E000. */
static bool
is_esc(const unsigned char *p)
{
	return p[0] == 0xEE && p[1] == 0x80 && p[2] == 0x80;
}

/* s (valid UTF-8) hidden as above in a new string, or NULL: nothing to hide. */
static char *
pua_hide(const char *s, size_t len, size_t *outlen)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i, o = 0;
	char *d;

	for (i = 0; i < len; i++)
		if (u[i] >= 0xF0 ||
		    (u[i] == 0xEE && i + 2 < len && u[i + 1] == 0x80 && u[i + 2] == 0x80))
			break;
	if (i == len)
		return NULL;
	/* Four bytes become nine, three become six: at most 9/4 of len. */
	d = uc3_xmalloc(len / 4 * 9 + 9);
	for (i = 0; i < len;) {
		if (u[i] >= 0xF0) {
			unsigned cp = ((u[i] & 0x07u) << 18) | ((u[i + 1] & 0x3Fu) << 12) |
				      ((u[i + 2] & 0x3Fu) << 6) | (u[i + 3] & 0x3Fu);

			cp -= 0x10000;
			o += put3(d + o, PUA_ESC);
			o += put3(d + o, PUA_BASE + (cp >> 10));
			o += put3(d + o, PUA_BASE + (cp & 0x3FF));
			i += 4;
		} else if (u[i] == 0xEE && i + 2 < len && u[i + 1] == 0x80 && u[i + 2] == 0x80) {
			o += put3(d + o, PUA_ESC);
			o += put3(d + o, PUA_ESC);
			i += 3;
		} else {
			d[o++] = s[i++];
		}
	}
	*outlen = o;
	return d;
}

/* Undo pua_hide in b from offset from on: the text only shrinks. */
static void
pua_reveal(struct uc3_buf *b, size_t from)
{
	unsigned char *u = (unsigned char *)b->ptr;
	size_t i, o;

	if (b->len - from < 3 || !memmem(b->ptr + from, b->len - from, "\xEE\x80\x80", 3))
		return;
	for (i = o = from; i < b->len;) {
		if (i + 5 < b->len && is_esc(u + i) && is_esc(u + i + 3)) {
			o += put3(b->ptr + o, PUA_ESC);
			i += 6;
		} else if (i + 8 < b->len && is_esc(u + i)) {
			unsigned cp = 0x10000 + ((get3(u + i + 3) - PUA_BASE) << 10) +
				      (get3(u + i + 6) - PUA_BASE);

			b->ptr[o++] = (char)(0xF0 | (cp >> 18));
			b->ptr[o++] = (char)(0x80 | ((cp >> 12) & 0x3F));
			b->ptr[o++] = (char)(0x80 | ((cp >> 6) & 0x3F));
			b->ptr[o++] = (char)(0x80 | (cp & 0x3F));
			i += 9;
		} else {
			b->ptr[o++] = b->ptr[i++];
		}
	}
	uc3_buf_setlen(b, o);
}

static int
emit_scalar(struct writer *w, const char *s, size_t len, enum uc3_ystyle style)
{
	yaml_scalar_style_t ys;
	yaml_event_t ev;
	char *hidden;
	size_t hlen;
	int ok;

	/* libyaml would refuse it too, but with no message to pass on. */
	if (!uc3_utf8_valid(s, len, NULL))
		return uc3_error_set(UC3_EINVAL, "cannot write YAML: "
						 "invalid UTF-8 in a scalar");
	switch (style) {
	case UC3_YSTYLE_SQUOTED:
		ys = YAML_SINGLE_QUOTED_SCALAR_STYLE;
		break;
	case UC3_YSTYLE_DQUOTED:
		ys = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		break;
	case UC3_YSTYLE_LITERAL:
		ys = YAML_LITERAL_SCALAR_STYLE;
		break;
	default:
		ys = YAML_ANY_SCALAR_STYLE;
		break;
	}
	/*
	 * U+2028 and U+2029 are line breaks to libyaml (YAML 1.1) but not
	 * to YAML 1.2 readers, which would misread a block or a quoted
	 * scalar holding them raw; double quotes write them as \L and \P.
	 */
	if (memmem(s, len, "\xE2\x80\xA8", 3) || memmem(s, len, "\xE2\x80\xA9", 3))
		ys = YAML_DOUBLE_QUOTED_SCALAR_STYLE;
	if ((hidden = pua_hide(s, len, &hlen))) {
		s = hidden;
		len = hlen;
	}
	if (len > INT_MAX) {
		free(hidden);
		return uc3_error_set(UC3_EINVAL, "cannot write YAML: a scalar of %zu bytes", len);
	}
	/* libyaml copies the value: hidden can go at once. */
	ok = yaml_scalar_event_initialize(&ev, NULL, NULL, (yaml_char_t *)s, (int)len, 1, 1, ys);
	free(hidden);
	if (!ok)
		return no_memory();
	return emit_event(w, &ev);
}

static int
emit_node(struct writer *w, const struct uc3_ynode *n, int depth)
{
	yaml_event_t ev;
	size_t i;
	int err, ok;

	if (++w->nodes > UC3_YDOC_MAX_NODES)
		return uc3_error_set(UC3_EINVAL, "cannot write YAML: more than %d nodes",
				     UC3_YDOC_MAX_NODES);
	if (n->type == UC3_YSCALAR)
		return emit_scalar(w, n->str ? n->str : "", n->str ? n->len : 0, n->style);
	if (depth == UC3_YDOC_MAX_DEPTH)
		return uc3_error_set(UC3_EINVAL,
				     "cannot write YAML: "
				     "nested deeper than %d levels",
				     UC3_YDOC_MAX_DEPTH);
	if (n->type == UC3_YMAP && (i = find_dup_key(n)) != (size_t)-1)
		return uc3_error_set(UC3_EINVAL, "cannot write YAML: duplicate key '%s'",
				     n->keys[i]);
	if (n->type == UC3_YMAP)
		ok = yaml_mapping_start_event_initialize(&ev, NULL, NULL, 1,
							 n->style == UC3_YSTYLE_FLOW
								 ? YAML_FLOW_MAPPING_STYLE
								 : YAML_BLOCK_MAPPING_STYLE);
	else
		ok = yaml_sequence_start_event_initialize(&ev, NULL, NULL, 1,
							  n->style == UC3_YSTYLE_FLOW
								  ? YAML_FLOW_SEQUENCE_STYLE
								  : YAML_BLOCK_SEQUENCE_STYLE);
	if (!ok)
		return no_memory();
	if ((err = emit_event(w, &ev)))
		return err;
	for (i = 0; i < n->n; i++) {
		if (n->type == UC3_YMAP) {
			const char *k = n->keys[i];

			w->nodes++;
			/*
			 * Keys have no style of their own: quote the ones
			 * a YAML 1.1 loader would not take for a string.
			 */
			err = emit_scalar(w, k, strlen(k),
					  uc3_ydoc_ambiguous(k) ? UC3_YSTYLE_SQUOTED
								: UC3_YSTYLE_ANY);
			if (err)
				return err;
		}
		if ((err = emit_node(w, n->items[i], depth + 1)))
			return err;
	}
	if (n->type == UC3_YMAP)
		ok = yaml_mapping_end_event_initialize(&ev);
	else
		ok = yaml_sequence_end_event_initialize(&ev);
	if (!ok)
		return no_memory();
	return emit_event(w, &ev);
}

static int
emit_document(struct writer *w, const struct uc3_ynode *root)
{
	yaml_event_t ev;
	int err;

	if (!yaml_stream_start_event_initialize(&ev, YAML_UTF8_ENCODING))
		return no_memory();
	if ((err = emit_event(w, &ev)))
		return err;
	if (!yaml_document_start_event_initialize(&ev, NULL, NULL, NULL, 1))
		return no_memory();
	if ((err = emit_event(w, &ev)))
		return err;
	if ((err = emit_node(w, root, 0)))
		return err;
	if (!yaml_document_end_event_initialize(&ev, 1))
		return no_memory();
	if ((err = emit_event(w, &ev)))
		return err;
	if (!yaml_stream_end_event_initialize(&ev))
		return no_memory();
	return emit_event(w, &ev);
}

int
uc3_ydoc_emit(struct uc3_buf *out, const struct uc3_ynode *root)
{
	struct writer w;
	size_t old = out->len;
	int err;

	if (!root)
		return uc3_error_set(UC3_EINVAL, "cannot write YAML: no document");
	memset(&w, 0, sizeof(w));
	if (!yaml_emitter_initialize(&w.emitter))
		return no_memory();
	yaml_emitter_set_output(&w.emitter, write_handler, out);
	yaml_emitter_set_encoding(&w.emitter, YAML_UTF8_ENCODING);
	yaml_emitter_set_unicode(&w.emitter, 1);
	yaml_emitter_set_indent(&w.emitter, 2);
	yaml_emitter_set_width(&w.emitter, -1);
	yaml_emitter_set_break(&w.emitter, YAML_LN_BREAK);
	err = emit_document(&w, root);
	yaml_emitter_delete(&w.emitter);
	if (err)
		uc3_buf_setlen(out, old);
	else
		pua_reveal(out, old);
	return err;
}

bool
uc3_ynode_equal(const struct uc3_ynode *a, const struct uc3_ynode *b)
{
	size_t i;

	if (!a || !b)
		return a == b;
	if (a->type != b->type || a->n != b->n)
		return false;
	if (a->type == UC3_YSCALAR)
		return a->len == b->len && !memcmp(a->str, b->str, a->len);
	for (i = 0; i < a->n; i++) {
		if (a->type == UC3_YMAP && strcmp(a->keys[i], b->keys[i]))
			return false;
		if (!uc3_ynode_equal(a->items[i], b->items[i]))
			return false;
	}
	return true;
}
