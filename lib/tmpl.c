#include "tmpl.h"

#include <string.h>

#include "error.h"

#define MAX_SCOPES 32

struct render {
	const char *src, *end, *name;
	const struct uc3_ynode *scope[MAX_SCOPES];
	int nscope;
	int depth; /* sections open, inverted ones too */
	enum uc3_tmpl_mode mode;
	struct uc3_buf *out;
};

/* s in [p, end), or NULL: the template need not end with a NUL. */
static const char *
find(const char *p, const char *end, const char *s)
{
	return p < end ? memmem(p, (size_t)(end - p), s, strlen(s)) : NULL;
}

static unsigned
line_of(const struct render *r, const char *p)
{
	unsigned line = 1;
	const char *q;

	for (q = r->src; q < p; q++)
		if (*q == '\n')
			line++;
	return line;
}

/* One step of a dotted path inside a node. */
static const struct uc3_ynode *
lookup_in(const struct uc3_ynode *n, const char *path, size_t len)
{
	while (n && len) {
		const char *dot = memchr(path, '.', len);
		size_t k = dot ? (size_t)(dot - path) : len, i;
		const struct uc3_ynode *next = NULL;

		if (n->type != UC3_YMAP)
			return NULL;
		for (i = 0; i < n->n; i++)
			if (strlen(n->keys[i]) == k && !strncmp(n->keys[i], path, k)) {
				next = n->items[i];
				break;
			}
		n = next;
		if (!dot)
			break;
		path += k + 1;
		len -= k + 1;
	}
	return n;
}

/* Innermost scope first, as mustache does. */
static const struct uc3_ynode *
lookup(const struct render *r, const char *path, size_t len)
{
	int i;

	if (len == 1 && path[0] == '.')
		return r->nscope ? r->scope[r->nscope - 1] : NULL;
	for (i = r->nscope - 1; i >= 0; i--) {
		const struct uc3_ynode *n = lookup_in(r->scope[i], path, len);

		if (n)
			return n;
	}
	return NULL;
}

static bool
truthy(const struct uc3_ynode *n)
{
	if (!n)
		return false;
	if (n->type == UC3_YSEQ || n->type == UC3_YMAP)
		return n->n > 0;
	return n->str[0] && strcmp(n->str, "false") && strcmp(n->str, "0");
}

/*
 * A value as text of an HTML page: the five characters that could start
 * markup or end a quoted attribute as character references; line breaks
 * (LF, CR LF, a CR alone) as one LF each, and tabs, kept; other control
 * characters (C0, DEL, C1) dropped.
 */
static void
put_html(struct uc3_buf *out, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '&':
			uc3_buf_adds(out, "&amp;");
			break;
		case '<':
			uc3_buf_adds(out, "&lt;");
			break;
		case '>':
			uc3_buf_adds(out, "&gt;");
			break;
		case '"':
			uc3_buf_adds(out, "&quot;");
			break;
		case '\'':
			uc3_buf_adds(out, "&#39;");
			break;
		case '\r':
			if (p[1] != '\n')
				uc3_buf_addch(out, '\n');
			break;
		default:
			if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
				p++;
			else if (*p == '\t' || *p == '\n' || (*p >= 0x20 && *p != 0x7f))
				uc3_buf_addch(out, (char)*p);
		}
	}
}

/*
 * A value from a ticket or the policy, made safe for where it goes: in
 * a page as put_html has it; else on one line (each CR and LF becomes a
 * space), so
 * that nothing from a ticket adds a header, starts a line of the body of
 * its own (a lone "." that ends a message for some mail transports) or
 * makes a body line without end; control characters (C0, DEL, C1) are
 * dropped but a tab, which the body keeps and a header turns into a
 * space.
 */
static void
put_value(struct render *r, const char *s, bool lines)
{
	const unsigned char *p, *end;

	if (r->mode == UC3_TMPL_HTML) {
		put_html(r->out, s);
		return;
	}
	end = (const unsigned char *)s + strlen(s);

	lines = lines && r->mode == UC3_TMPL_BODY;
	/* Its last line's break is the template's to give. */
	while (lines && end > (const unsigned char *)s && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	for (p = (const unsigned char *)s; p < end; p++) {
		if (lines && (*p == '\n' || *p == '\r')) {
			/* CRLF and a lone CR are one line break. */
			if (*p == '\r' && p[1] == '\n')
				p++;
			uc3_buf_addch(r->out, '\n');
		} else if (*p == '\r' || *p == '\n' || (*p == '\t' && r->mode == UC3_TMPL_HEADER))
			uc3_buf_addch(r->out, ' ');
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			p++;
		else if (*p == '\t' || (*p >= 0x20 && *p != 0x7f))
			uc3_buf_addch(r->out, (char)*p);
	}
}

/* Find the {{/name}} that closes a section opened before p. */
static const char *
find_close(const struct render *r, const char *p, const char *name, size_t len, const char **after)
{
	int depth = 0;

	while (p < r->end) {
		const char *o = find(p, r->end, "{{");
		const char *c;
		size_t k;

		if (!o)
			return NULL;
		c = find(o + 2, r->end, "}}");
		if (!c)
			return NULL;
		k = (size_t)(c - o - 3);
		if ((o[2] == '#' || o[2] == '^') && k == len && !strncmp(o + 3, name, len))
			depth++;
		else if (o[2] == '/' && k == len && !strncmp(o + 3, name, len)) {
			if (depth == 0) {
				*after = c + 2;
				return o;
			}
			depth--;
		}
		p = c + 2;
	}
	return NULL;
}

static int render_span(struct render *r, const char *p, const char *end);

static int
render_span(struct render *r, const char *p, const char *end)
{
	while (p < end) {
		const char *o = find(p, end, "{{"), *c, *name;
		size_t len;
		char kind;

		if (!o) {
			uc3_buf_add(r->out, p, (size_t)(end - p));
			return 0;
		}
		uc3_buf_add(r->out, p, (size_t)(o - p));
		c = find(o + 2, end, "}}");
		if (!c)
			return uc3_error_set(UC3_EINVAL, "%s:%u: '{{' without '}}'", r->name,
					     line_of(r, o));
		kind = o[2];
		name = o + 2;
		if (kind == '#' || kind == '^' || kind == '/' || kind == '!' || kind == '&')
			name++;
		while (*name == ' ')
			name++;
		len = (size_t)(c - name);
		while (len && name[len - 1] == ' ')
			len--;
		p = c + 2;
		if (kind == '!')
			continue;
		if (kind == '/')
			return uc3_error_set(UC3_EINVAL, "%s:%u: '{{/%.*s}}' closes nothing",
					     r->name, line_of(r, o), (int)len, name);
		if (kind == '#' || kind == '^') {
			const char *after, *close = find_close(r, p, name, len, &after);
			const struct uc3_ynode *v = lookup(r, name, len);
			int rc = 0;
			size_t i;

			if (!close || close > end)
				return uc3_error_set(UC3_EINVAL, "%s:%u: unclosed section '%.*s'",
						     r->name, line_of(r, o), (int)len, name);
			if (r->depth >= MAX_SCOPES)
				return uc3_error_set(UC3_EINVAL, "%s:%u: sections nest too deep",
						     r->name, line_of(r, o));
			/* A section tag alone on its line leaves no empty line behind. */
			if (p < close && *p == '\n')
				p++;
			r->depth++;
			if (kind == '^') {
				if (!truthy(v))
					rc = render_span(r, p, close);
			} else if (v && v->type == UC3_YSEQ) {
				for (i = 0; rc == 0 && i < v->n; i++) {
					if (r->nscope >= MAX_SCOPES)
						return uc3_error_set(UC3_EINVAL,
								     "%s: sections nest too deep",
								     r->name);
					r->scope[r->nscope++] = v->items[i];
					rc = render_span(r, p, close);
					r->nscope--;
				}
			} else if (truthy(v)) {
				if (r->nscope >= MAX_SCOPES)
					return uc3_error_set(UC3_EINVAL,
							     "%s: sections nest too deep", r->name);
				r->scope[r->nscope++] = v;
				rc = render_span(r, p, close);
				r->nscope--;
			}
			r->depth--;
			if (rc < 0)
				return rc;
			p = after;
			if (p < end && *p == '\n')
				p++;
			continue;
		}
		{
			const struct uc3_ynode *v = lookup(r, name, len);

			if (v && v->type == UC3_YSCALAR)
				put_value(r, v->str, kind == '&');
		}
	}
	return 0;
}

int
uc3_tmpl_render(struct uc3_buf *out, const char *tmpl, size_t len, const struct uc3_ynode *ctx,
		enum uc3_tmpl_mode mode, const char *name)
{
	struct render r;
	size_t start = out->len;
	int rc;

	memset(&r, 0, sizeof(r));
	r.src = tmpl;
	r.end = tmpl + len;
	r.name = name ? name : "template";
	r.mode = mode;
	r.out = out;
	if (memchr(tmpl, '\0', len))
		return uc3_error_set(UC3_EINVAL, "%s: a NUL byte in the template", r.name);
	r.scope[r.nscope++] = ctx;
	rc = render_span(&r, tmpl, tmpl + len);
	if (rc < 0)
		uc3_buf_setlen(out, start);
	return rc;
}
