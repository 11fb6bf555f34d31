#include "utf8.h"

#include "buf.h"
#include "error.h"
#include "xalloc.h"

#include <stdint.h>
#include <string.h>

/*
 * Decode one character at s[0..len) into *cp and return its length in
 * bytes, or 0 when the bytes there are not well-formed UTF-8. The ranges
 * of the second byte follow Unicode's table 3-7, which is what rules out
 * overlongs (C0, C1, E0 80..9F, F0 80..8F), surrogates (ED A0..BF) and
 * code points above U+10FFFF (F4 90..BF, F5..FF) in one place.
 */
static size_t
decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char c = s[0];
	unsigned char lo = 0x80, hi = 0xbf;
	size_t n, i;
	uint32_t v;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xc2 && c <= 0xdf) {
		n = 2;
		v = c & 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		v = c & 0x0f;
		if (c == 0xe0)
			lo = 0xa0;
		else if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		v = c & 0x07;
		if (c == 0xf0)
			lo = 0x90;
		else if (c == 0xf4)
			hi = 0x8f;
	} else {
		return 0;
	}
	if (len < n)
		return 0;
	for (i = 1; i < n; i++) {
		unsigned char b = s[i];

		if (b < (i == 1 ? lo : 0x80) || b > (i == 1 ? hi : 0xbf))
			return 0;
		v = v << 6 | (b & 0x3f);
	}
	*cp = v;
	return n;
}

bool
uc3_utf8_valid(const char *s, size_t len, size_t *bad)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;

	while (i < len) {
		uint32_t cp;
		size_t n = decode(u + i, len - i, &cp);

		if (!n) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

/* C0, DEL or C1: a character that lays text out or drives a terminal. */
static bool
is_control(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/*
 * Columns of one code point, after the ranges terminals treat as wide (East
 * Asian Wide and Fullwidth, simplified). Control characters take none:
 * they are not drawn, and the caller escapes or strips them anyway.
 */
static size_t
cp_width(uint32_t cp)
{
	if (is_control(cp))
		return 0;
	if (cp >= 0x0300 && cp <= 0x036f)
		return 0;
	if ((cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) ||
	    (cp >= 0xac00 && cp <= 0xd7a3) || (cp >= 0xf900 && cp <= 0xfaff) ||
	    (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
	    (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x20000 && cp <= 0x3fffd))
		return 2;
	return 1;
}

/*
 * Length and width of the character at s (s[0] is not NUL). A byte that
 * does not start a well-formed character counts alone, one column wide,
 * as a terminal shows it as one replacement character.
 */
static size_t
next(const char *s, size_t *width)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t cp;
	size_t n;

	/*
	 * A NUL ends s, so it can never be inside a character: bounding
	 * the decode by strnlen keeps it from reading past the
	 * terminator.
	 */
	n = decode(u, strnlen(s, 4), &cp);
	if (!n) {
		*width = 1;
		return 1;
	}
	*width = cp_width(cp);
	return n;
}

size_t
uc3_utf8_width(const char *s)
{
	size_t cols = 0;

	while (*s) {
		size_t w;

		s += next(s, &w);
		cols += w;
	}
	return cols;
}

size_t
uc3_utf8_fit(const char *s, size_t cols)
{
	size_t used = 0, i = 0;

	while (s[i]) {
		size_t w;
		size_t n = next(s + i, &w);

		if (w > cols - used)
			break;
		used += w;
		i += n;
	}
	return i;
}

void
uc3_utf8_escape(struct uc3_buf *out, const char *s, enum uc3_utf8_mode mode)
{
	const unsigned char *u = (const unsigned char *)s;

	if (!s)
		return;
	while (*u) {
		const unsigned char *run = u;
		uint32_t cp;
		size_t n;

		/* Printable ASCII, most of any text, stands for itself: one copy a run. */
		while (*u >= 0x20 && *u < 0x7f)
			u++;
		if (u > run)
			uc3_buf_add(out, run, (size_t)(u - run));
		if (!*u)
			break;
		n = decode(u, strnlen((const char *)u, 4), &cp);

		if (!n) {
			uc3_buf_addf(out, "\\x%02x", *u++);
			continue;
		}
		if ((cp == '\n' || cp == '\t') && mode == UC3_UTF8_TEXT)
			uc3_buf_addch(out, (char)cp);
		else if ((cp == '\r' || cp == '\n' || cp == '\t') && mode == UC3_UTF8_LINE)
			uc3_buf_addch(out, ' ');
		else if (is_control(cp))
			uc3_buf_addf(out, "\\x%02x", (unsigned)cp);
		else
			uc3_buf_add(out, u, n);
		u += n;
	}
}

void
uc3_utf8_cell(struct uc3_buf *out, const char *s)
{
	uc3_utf8_escape(out, s, UC3_UTF8_LINE);
}

void
uc3_utf8_text(struct uc3_buf *out, const char *s)
{
	uc3_utf8_escape(out, s, UC3_UTF8_TEXT);
}

const char *
uc3_utf8_excerpt(char *buf, size_t size, const char *s)
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

/*
 * Text typed or piped in.
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
		while (b.len > line && (b.ptr[b.len - 1] == ' ' || b.ptr[b.len - 1] == '\t'))
			uc3_buf_setlen(&b, b.len - 1);
		uc3_buf_addch(&b, '\n');
		line = b.len;
	}
	while (b.len > line && (b.ptr[b.len - 1] == ' ' || b.ptr[b.len - 1] == '\t'))
		uc3_buf_setlen(&b, b.len - 1);
	if (b.len > line)
		uc3_buf_addch(&b, '\n');
	/* Every line now ends with a newline: drop the empty ones last. */
	while (b.len && b.ptr[b.len - 1] == '\n' && (b.len == 1 || b.ptr[b.len - 2] == '\n'))
		uc3_buf_setlen(&b, b.len - 1);
	return uc3_buf_detach(&b);
}

/* A line break to YAML 1.1, to a mail header or to a commit trailer. */
static bool
is_break(uint32_t cp)
{
	return cp == '\n' || cp == '\r' || cp == 0x85 || cp == 0x2028 || cp == 0x2029;
}

int
uc3_text_check(const char *s, const char *field, enum uc3_text_kind kind)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t len, i, n;
	unsigned line = 1;
	uint32_t cp;

	if (!s)
		return 0;
	len = strlen(s);
	if (!uc3_utf8_valid(s, len, NULL))
		return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in %s", field);
	/* A break is named as one wherever it stands, before any other control. */
	for (i = 0; kind != UC3_TEXT_LINES && i < len; i += n) {
		n = decode(u + i, len - i, &cp);
		if (is_break(cp))
			return uc3_error_set(UC3_EINVAL, "%s contains a line break", field);
	}
	for (i = 0; kind != UC3_TEXT_UNBROKEN && i < len; i += n) {
		n = decode(u + i, len - i, &cp);
		if (!is_control(cp))
			continue;
		if (kind == UC3_TEXT_LINES && (cp == '\n' || cp == '\t')) {
			line += cp == '\n';
			continue;
		}
		if (kind == UC3_TEXT_LINE)
			return uc3_error_set(UC3_EINVAL, "%s contains a control character (U+%04X)",
					     field, (unsigned)cp);
		return uc3_error_set(UC3_EINVAL,
				     "%s contains a control character (U+%04X) on line %u", field,
				     (unsigned)cp, line);
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
