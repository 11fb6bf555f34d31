#include "mail.h"

#include <errno.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "buf.h"
#include "error.h"
#include "mail_int.h"
#include "xalloc.h"

/*
 * Mail in: one RFC 5322 message read into struct uc3_mail_in.
 *
 * The raw bytes are looked at first (prepare): the mbox "From " line, the
 * checks that refuse what is not a message, and the header lines that are
 * neither fields nor their continuation, which are dropped so that the
 * fields after them are still read (GMime would end the header there).
 * GMime then parses the message; every string it gives is made valid
 * UTF-8 here, whatever the message declared, and the text of the body is
 * converted, cleaned and, from HTML, rendered as plain lines. Everything
 * is linear in the size of the message.
 */

#define REPLACEMENT 0xFFFDu

/* Deeper than this, a multipart's parts are not looked at. */
#define MAX_DEPTH 64

/* Append code point cp as UTF-8 (U+FFFD for what is not a scalar value). */
static void
put_cp(struct uc3_buf *b, uint32_t cp)
{
	char u[4];

	if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = REPLACEMENT;
	if (cp < 0x80) {
		uc3_buf_addch(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3F));
		uc3_buf_add(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		uc3_buf_add(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		uc3_buf_add(b, u, 4);
	}
}

/*
 * Decode one UTF-8 character at s[0..n), n > 0: its length, with *cp set,
 * or 0 when s does not start a well-formed character (an overlong form, a
 * surrogate, past U+10FFFF, cut short).
 */
static size_t
utf8_char(const unsigned char *s, size_t n, uint32_t *cp)
{
	uint32_t c = s[0], min;
	size_t len, i;

	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, c &= 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, c &= 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, c &= 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

/* Windows-1252's 0x80..0x9F (WHATWG), U+FFFD for the five it leaves undefined. */
static const uint16_t cp1252_c1[32] = {
	0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
	0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD, 0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
	0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

static uint32_t
cp1252_char(unsigned char c)
{
	return c >= 0x80 && c < 0xA0 ? cp1252_c1[c - 0x80] : c;
}

/* Append s[0..n) read as Windows-1252 (which ISO-8859-1 is, but for C1 controls). */
static void
add_cp1252(struct uc3_buf *out, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		put_cp(out, cp1252_char((unsigned char)s[i]));
}

/* Append s[0..n) as UTF-8 with each byte that is not part of a character as U+FFFD. */
static void
add_utf8(struct uc3_buf *out, const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n) {
		k = utf8_char((const unsigned char *)s + i, n - i, &cp);
		if (k) {
			uc3_buf_add(out, s + i, k);
			i += k;
		} else {
			put_cp(out, REPLACEMENT);
			i++;
		}
	}
}

/* Append text with no charset it can be trusted in: UTF-8 when it is, else Windows-1252. */
static void
add_undeclared(struct uc3_buf *out, const char *s, size_t n)
{
	size_t i = 0, k;
	uint32_t cp;

	while (i < n && (k = utf8_char((const unsigned char *)s + i, n - i, &cp)))
		i += k;
	if (i == n)
		uc3_buf_add(out, s, n);
	else
		add_cp1252(out, s, n);
}

/*
 * Append s[0..n), in charset (a MIME charset name; NULL when none was
 * given), as UTF-8. Labels of US-ASCII, ISO-8859-1 and Windows-1252 are
 * read as Windows-1252, as browsers do (mail labelled Latin-1 often has
 * curly quotes at 0x93 and 0x94); none, or one iconv does not know, as
 * UTF-8 when it is, else Windows-1252. A byte the charset cannot read
 * becomes U+FFFD.
 */
static void
add_text(struct uc3_buf *out, const char *s, size_t n, const char *charset)
{
	static const char *const latin[] = { "iso-8859-1", "iso8859-1", "iso_8859-1",
					     "latin1",	   "l1",	"windows-1252",
					     "cp1252",	   "x-cp1252",	"cp819" };
	iconv_t cd;
	size_t i;

	if (!charset || !*charset || !g_ascii_strcasecmp(charset, "us-ascii") ||
	    !g_ascii_strcasecmp(charset, "ascii")) {
		add_undeclared(out, s, n);
		return;
	}
	if (!g_ascii_strcasecmp(charset, "utf-8") || !g_ascii_strcasecmp(charset, "utf8")) {
		add_utf8(out, s, n);
		return;
	}
	for (i = 0; i < sizeof(latin) / sizeof(latin[0]); i++) {
		if (!g_ascii_strcasecmp(charset, latin[i])) {
			add_cp1252(out, s, n);
			return;
		}
	}
	cd = g_mime_iconv_open("UTF-8", charset);
	if (cd == (iconv_t)-1) {
		add_undeclared(out, s, n);
		return;
	}
	{
		char chunk[4096], *in = (char *)s, *o;
		size_t inleft = n, oleft;

		while (inleft > 0) {
			o = chunk;
			oleft = sizeof(chunk);
			if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1 && errno != E2BIG) {
				/* EILSEQ or EINVAL (cut short): one byte lost, marked. */
				add_utf8(out, chunk, (size_t)(o - chunk));
				put_cp(out, REPLACEMENT);
				in++;
				inleft--;
				continue;
			}
			add_utf8(out, chunk, (size_t)(o - chunk));
		}
		o = chunk;
		oleft = sizeof(chunk);
		iconv(cd, NULL, NULL, &o, &oleft);
		add_utf8(out, chunk, (size_t)(o - chunk));
	}
	g_mime_iconv_close(cd);
}

static bool
is_c0_c1(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
}

/*
 * A header's value as GMime gave it, for one line of text: valid UTF-8,
 * a C1 control read as the Windows-1252 character it was meant to be,
 * every other control character and U+2028, U+2029 a blank, blanks
 * around it dropped. Returns a new string (free()), or NULL when s is NULL or
 * nothing is left.
 */
static char *
header_text(const char *s)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t n, i = 0, k, start, end;
	uint32_t cp;

	if (!s)
		return NULL;
	n = strlen(s);
	while (i < n) {
		k = utf8_char((const unsigned char *)s + i, n - i, &cp);
		if (!k) {
			put_cp(&b, REPLACEMENT);
			i++;
			continue;
		}
		/* A C1 control here is a Windows-1252 character read as Latin-1. */
		if (cp >= 0x80 && cp < 0xA0)
			put_cp(&b, cp1252_char((unsigned char)cp));
		else if (is_c0_c1(cp) || cp == 0x2028 || cp == 0x2029)
			uc3_buf_addch(&b, ' ');
		else
			uc3_buf_add(&b, s + i, k);
		i += k;
	}
	for (start = 0; start < b.len && b.ptr[start] == ' '; start++)
		;
	for (end = b.len; end > start && b.ptr[end - 1] == ' '; end--)
		;
	if (end == start) {
		uc3_buf_release(&b);
		return NULL;
	}
	memmove(b.ptr, b.ptr + start, end - start);
	uc3_buf_setlen(&b, end - start);
	return uc3_buf_detach(&b);
}

/*
 * Text of several lines, cleaned in place in b: CRLF and a lone CR
 * become LF; NUL and every other control character but TAB and LF go;
 * a byte that is not UTF-8 becomes U+FFFD; blank lines at the start and
 * at the end go, and a text that is left ends with one LF ("" when
 * nothing is left). With collapse, the blanks ending each line go and a
 * run of blank lines becomes one.
 */
static void
clean_text(struct uc3_buf *b, bool collapse)
{
	struct uc3_buf out = UC3_BUF_INIT;
	const char *s = b->ptr;
	size_t n = b->len, i = 0, k, start, end, line = 0;
	uint32_t cp;
	int empties = 0;

	uc3_buf_grow(&out, n + 1);
	while (i < n) {
		if (s[i] == '\r') {
			uc3_buf_addch(&out, '\n');
			i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
			continue;
		}
		k = utf8_char((const unsigned char *)s + i, n - i, &cp);
		if (!k) {
			put_cp(&out, REPLACEMENT);
			i++;
			continue;
		}
		if (cp == '\n' || cp == '\t' || !is_c0_c1(cp))
			uc3_buf_add(&out, s + i, k);
		i += k;
	}
	if (collapse) {
		/* In place: lines shed their trailing blanks, empty runs shrink to one. */
		size_t w = 0, r = 0;

		while (r < out.len) {
			const char *eol = memchr(out.ptr + r, '\n', out.len - r);
			size_t e = eol ? (size_t)(eol - out.ptr) : out.len;
			size_t t = e;

			while (t > r && (out.ptr[t - 1] == ' ' || out.ptr[t - 1] == '\t'))
				t--;
			if (t == r) {
				empties++;
			} else {
				if (empties && w)
					out.ptr[w++] = '\n';
				empties = 0;
				memmove(out.ptr + w, out.ptr + r, t - r);
				w += t - r;
				out.ptr[w++] = '\n';
			}
			r = eol ? e + 1 : out.len;
		}
		uc3_buf_setlen(&out, w);
	}
	/* Blank lines at the start: up to the line of the first character that is not a blank. */
	for (start = 0; start < out.len; start++) {
		char c = out.ptr[start];

		if (c == '\n')
			line = start + 1;
		else if (c != ' ' && c != '\t')
			break;
	}
	if (start == out.len) {
		uc3_buf_release(&out);
		uc3_buf_reset(b);
		return;
	}
	start = line;
	for (end = out.len; end > start; end--) {
		char c = out.ptr[end - 1];

		if (c != ' ' && c != '\t' && c != '\n')
			break;
	}
	uc3_buf_reset(b);
	uc3_buf_add(b, out.ptr + start, end - start);
	uc3_buf_addch(b, '\n');
	uc3_buf_release(&out);
}

/* Case-insensitive search for needle (lower case) in s[from..n); n when absent. */
static size_t
find_ci(const char *s, size_t n, size_t from, const char *needle)
{
	size_t m = strlen(needle), i;

	for (i = from; i + m <= n; i++)
		if (!g_ascii_strncasecmp(s + i, needle, m))
			return i;
	return n;
}

struct html_out {
	struct uc3_buf *b;
	bool space; /* a blank is owed before the next character */
};

static bool
at_line_start(const struct html_out *h)
{
	return h->b->len == 0 || h->b->ptr[h->b->len - 1] == '\n';
}

static void
html_char(struct html_out *h, uint32_t cp)
{
	if (h->space && !at_line_start(h))
		uc3_buf_addch(h->b, ' ');
	h->space = false;
	put_cp(h->b, cp);
}

static void
html_break(struct html_out *h, bool always)
{
	if (always || !at_line_start(h))
		uc3_buf_addch(h->b, '\n');
	h->space = false;
}

static const struct {
	const char *name;
	uint32_t cp;
} entities[] = {
	{ "amp", '&' },	     { "lt", '<' },	   { "gt", '>' },	{ "quot", '"' },
	{ "apos", '\'' },    { "nbsp", 0xA0 },	   { "copy", 0xA9 },	{ "reg", 0xAE },
	{ "trade", 0x2122 }, { "hellip", 0x2026 }, { "ndash", 0x2013 }, { "mdash", 0x2014 },
	{ "lsquo", 0x2018 }, { "rsquo", 0x2019 },  { "ldquo", 0x201C }, { "rdquo", 0x201D },
	{ "laquo", 0xAB },   { "raquo", 0xBB },	   { "bull", 0x2022 },	{ "middot", 0xB7 },
	{ "euro", 0x20AC },  { "deg", 0xB0 },	   { "times", 0xD7 },	{ "shy", 0xAD },
	{ "eacute", 0xE9 },  { "egrave", 0xE8 },   { "aacute", 0xE1 },	{ "uuml", 0xFC },
	{ "ouml", 0xF6 },    { "auml", 0xE4 },	   { "szlig", 0xDF },	{ "ccedil", 0xE7 },
};

/*
 * The entity at s[i] == '&': its code point in *cp and its length, or 0
 * when it is none (the '&' is then text). Numeric ones as HTML reads
 * them: 0x80..0x9F as Windows-1252, 0, surrogates and past U+10FFFF as
 * U+FFFD.
 */
static size_t
html_entity(const char *s, size_t n, size_t i, uint32_t *cp)
{
	size_t j = i + 1, k;
	uint32_t v = 0;

	if (j < n && s[j] == '#') {
		bool hex = j + 1 < n && (s[j + 1] == 'x' || s[j + 1] == 'X');
		size_t digits = 0;

		j += hex ? 2 : 1;
		for (; j < n && (hex ? g_ascii_isxdigit(s[j]) : g_ascii_isdigit(s[j])); j++) {
			if (v <= 0x10FFFF)
				v = v * (hex ? 16 : 10) +
				    (uint32_t)(hex ? g_ascii_xdigit_value(s[j]) : s[j] - '0');
			digits++;
		}
		if (!digits)
			return 0;
		if (j < n && s[j] == ';')
			j++;
		if (v == 0 || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
			v = REPLACEMENT;
		else if (v >= 0x80 && v < 0xA0)
			v = cp1252_char((unsigned char)v);
		*cp = v;
		return j - i;
	}
	while (j < n && j - i <= 8 && g_ascii_isalnum(s[j]))
		j++;
	if (j >= n || s[j] != ';')
		return 0;
	for (k = 0; k < sizeof(entities) / sizeof(entities[0]); k++) {
		if (strlen(entities[k].name) == j - i - 1 &&
		    !strncmp(entities[k].name, s + i + 1, j - i - 1)) {
			*cp = entities[k].cp;
			return j + 1 - i;
		}
	}
	return 0;
}

static bool
tag_in(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(name, *list))
			return true;
	return false;
}

/*
 * Append the text of HTML s[0..n) (UTF-8): what is between <script>,
 * <style>, <head> and <title> and their ends goes, as do comments and
 * every tag; <br> is a line break, the start and end of a block (p,
 * div, li, tr, headings, lists, tables, quotes) end the line before
 * them; runs of blanks and line breaks in the source are one blank; the
 * entities are decoded. Each tag is read up to its first ">"; the text
 * is gone through once (a missing end of <head> or <title> is searched
 * for once).
 */
static void
html_text(struct uc3_buf *out, const char *s, size_t n)
{
	static const char *const skip[] = { "script", "style", "head", "title", NULL };
	static const char *const blocks[] = { "p",	 "div",	       "li",  "tr", "h1",
					      "h2",	 "h3",	       "h4",  "h5", "h6",
					      "ul",	 "ol",	       "dl",  "dt", "dd",
					      "table",	 "blockquote", "pre", "hr", "center",
					      "address", NULL };
	bool missing[4] = { false, false, false, false };
	struct html_out h = { out, false };
	size_t i = 0, j, k;
	uint32_t cp;

	while (i < n) {
		unsigned char c = (unsigned char)s[i];

		if (c == '<') {
			if (i + 3 < n && !memcmp(s + i, "<!--", 4)) {
				k = find_ci(s, n, i + 4, "-->");
				i = k < n ? k + 3 : n;
				continue;
			}
			j = i + 1;
			if (j < n && (s[j] == '!' || s[j] == '?' ||
				      (s[j] == '/' && j + 1 < n && g_ascii_isalpha(s[j + 1])) ||
				      g_ascii_isalpha(s[j]))) {
				bool closing = s[j] == '/';
				char name[16];
				size_t len = 0, t;
				const char *gt;

				if (closing)
					j++;
				while (j < n && g_ascii_isalnum(s[j])) {
					if (len < sizeof(name) - 1)
						name[len++] = g_ascii_tolower(s[j]);
					j++;
				}
				name[len] = '\0';
				gt = memchr(s + j, '>', n - j);
				i = gt ? (size_t)(gt - s) + 1 : n;
				if (!closing && len && tag_in(name, skip)) {
					char end[24];

					for (t = 0; strcmp(skip[t], name); t++)
						;
					snprintf(end, sizeof(end), "</%s", name);
					k = missing[t] ? n : find_ci(s, n, i, end);
					if (k < n) {
						gt = memchr(s + k, '>', n - k);
						i = gt ? (size_t)(gt - s) + 1 : n;
					} else if (t < 2) {
						i = n; /* a script or style runs to the end */
					} else {
						missing[t] = true;
					}
					continue;
				}
				if (!strcmp(name, "br"))
					html_break(&h, true);
				else if (tag_in(name, blocks))
					html_break(&h, false);
				else if (!strcmp(name, "td") || !strcmp(name, "th"))
					h.space = true;
				continue;
			}
		}
		if (c == '&' && (k = html_entity(s, n, i, &cp))) {
			/* A no-break space is a blank like any other in the text made. */
			if (cp == ' ' || cp == 0xA0)
				h.space = true;
			else
				html_char(&h, cp);
			i += k;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			h.space = true;
			i++;
			continue;
		}
		if (h.space && !at_line_start(&h))
			uc3_buf_addch(out, ' ');
		h.space = false;
		uc3_buf_addch(out, (char)c);
		i++;
	}
}

/* A field line: a name of printable ASCII but ":", blanks, then ":". */
static bool
field_line(const char *s, size_t n)
{
	size_t i = 0;

	while (i < n && s[i] > ' ' && s[i] <= '~' && s[i] != ':')
		i++;
	if (i == 0)
		return false;
	while (i < n && (s[i] == ' ' || s[i] == '\t'))
		i++;
	return i < n && s[i] == ':';
}

/* Append s[0..n) with each CRLF made LF. */
static void
add_lf(GByteArray *a, const char *s, size_t n)
{
	const char *end = s + n, *cr;

	while (s < end && (cr = memchr(s, '\r', (size_t)(end - s)))) {
		if (cr + 1 < end && cr[1] == '\n') {
			g_byte_array_append(a, (const guint8 *)s, (guint)(cr - s));
			s = cr + 1;
		} else {
			g_byte_array_append(a, (const guint8 *)s, (guint)(cr + 1 - s));
			s = cr + 1;
		}
	}
	g_byte_array_append(a, (const guint8 *)s, (guint)(end - s));
}

/* The fields read from the raw header (the first of each), not through GMime. */
enum {
	F_FROM,
	F_SUBJECT,
	F_MESSAGE_ID,
	F_IN_REPLY_TO,
	F_REFERENCES,
	F_X_LOOP,
	F_AUTO_SUBMITTED,
	F_X_AUTOREPLY,
	F_X_AUTORESPOND,
	F_PRECEDENCE,
	F_LIST_ID,
	F_LIST_UNSUBSCRIBE,
	F_RETURN_PATH,
	NFIELDS
};

static const char *const field_names[NFIELDS] = {
	"From",	   "Subject",	       "Message-ID",  "In-Reply-To",   "References",
	"X-Loop",  "Auto-Submitted",   "X-Autoreply", "X-Autorespond", "Precedence",
	"List-Id", "List-Unsubscribe", "Return-Path",
};

/*
 * The fields GMime is given: those it needs for the address of From, the
 * date and the MIME structure, the first of each, and none longer than
 * GMIME_FIELD_MAX. GMime decodes some fields as it parses (the subject,
 * the address lists) in a time that grows with the square of their
 * length; what uc3 reads of the other fields it reads itself.
 */
static const char *const gmime_fields[] = { "From",
					    "Date",
					    "MIME-Version",
					    "Content-Type",
					    "Content-Transfer-Encoding",
					    "Content-Disposition",
					    NULL };
#define GMIME_FIELD_MAX 16384

struct prepared {
	GByteArray *bytes;	   /* the message for GMime */
	struct uc3_buf v[NFIELDS]; /* raw values, line breaks dropped */
	bool seen[NFIELDS];
};

static void
prepared_release(struct prepared *pr)
{
	size_t i;

	if (pr->bytes)
		g_byte_array_unref(pr->bytes);
	for (i = 0; i < NFIELDS; i++)
		uc3_buf_release(&pr->v[i]);
}

/*
 * Where a field of the header (its name and value, its continuations
 * appended) goes once it is whole: to GMime (when it is one of
 * gmime_fields, the first of its name, and short enough), and its value
 * to pr->v (when it is one of field_names and the first of its name).
 */
struct field {
	struct uc3_buf line; /* the field as written, LF line ends */
	int gmime;	     /* index in gmime_fields, or -1 */
	int raw;	     /* index in field_names, or -1 */
};

static int
name_index(const char *const *names, size_t count, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < count && names[i]; i++)
		if (strlen(names[i]) == n && !g_ascii_strncasecmp(names[i], s, n))
			return (int)i;
	return -1;
}

static void
field_end(struct prepared *pr, struct field *f, bool *given)
{
	if (f->gmime >= 0 && !given[f->gmime] && f->line.len <= GMIME_FIELD_MAX) {
		given[f->gmime] = true;
		g_byte_array_append(pr->bytes, (const guint8 *)f->line.ptr, (guint)f->line.len);
	}
	uc3_buf_reset(&f->line);
	f->gmime = f->raw = -1;
}

static void
field_add(struct prepared *pr, struct field *f, const char *s, size_t n, bool first)
{
	if (f->gmime >= 0 && f->line.len <= GMIME_FIELD_MAX) {
		uc3_buf_add(&f->line, s, n);
		uc3_buf_addch(&f->line, '\n');
	}
	if (f->raw >= 0) {
		if (first) {
			const char *colon = memchr(s, ':', n);

			n -= (size_t)(colon + 1 - s);
			s = colon + 1;
		}
		uc3_buf_add(&pr->v[f->raw], s, n);
	}
}

static void
field_start(struct prepared *pr, struct field *f, const char *s, size_t n, bool *given)
{
	size_t k = 0;

	field_end(pr, f, given);
	while (s[k] != ':' && s[k] != ' ' && s[k] != '\t')
		k++;
	f->gmime = name_index(gmime_fields, sizeof(gmime_fields) / sizeof(gmime_fields[0]), s, k);
	f->raw = name_index(field_names, NFIELDS, s, k);
	if (f->raw >= 0) {
		if (pr->seen[f->raw])
			f->raw = -1;
		else
			pr->seen[f->raw] = true;
	}
	field_add(pr, f, s, n, true);
}

/*
 * The message as GMime is to read it, in pr->bytes: without a leading
 * mbox "From " line, with LF line ends, with only the fields of
 * gmime_fields in its header; and the raw values of field_names. The
 * lines of the header that are neither a field nor the continuation of
 * one (a lone word, a line without colon) are dropped when a field
 * still follows them; the first such line after the last field starts
 * the body, as a header that forgot its empty line would. Returns 0,
 * or UC3_EINVAL when it is not a message (pr is then released).
 */
static int
prepare(struct prepared *pr, const char *data, size_t len)
{
	const char *p = data, *end = data + len, *q, *eol, *last = NULL, *body = NULL;
	struct field f = { UC3_BUF_INIT, -1, -1 };
	bool given[sizeof(gmime_fields) / sizeof(gmime_fields[0])] = { false };
	bool keep = false;
	size_t i;

	memset(pr, 0, sizeof(*pr));
	for (i = 0; i < NFIELDS; i++)
		uc3_buf_init(&pr->v[i]);
	/* "From " and no colon after blanks: an mbox separator, not "From : x". */
	if (len >= 5 && !memcmp(p, "From ", 5) && !field_line(p, len < 1000 ? len : 1000)) {
		eol = memchr(p, '\n', len);
		p = eol ? eol + 1 : end;
	}
	for (i = 0; p + i < end && strchr(" \t\r\n", p[i]); i++)
		;
	if (p + i == end)
		return uc3_error_set(UC3_EINVAL, "the mail is empty");

	/* Where the last field line before the empty line starts. */
	for (q = p; q < end; q = eol + 1) {
		size_t n;

		eol = memchr(q, '\n', (size_t)(end - q));
		if (!eol)
			eol = end;
		n = (size_t)(eol - q);
		if (n && q[n - 1] == '\r')
			n--;
		if (n == 0)
			break;
		if (field_line(q, n))
			last = q;
		if (eol == end)
			break;
	}
	if (!last || !field_line(p, (size_t)(end - p) < 1000 ? (size_t)(end - p) : 1000))
		return uc3_error_set(UC3_EINVAL, "the mail has no header before its body");

	pr->bytes = g_byte_array_sized_new((guint)(len + 2));
	for (q = p; q < end; q = eol + 1) {
		size_t n;

		eol = memchr(q, '\n', (size_t)(end - q));
		if (!eol)
			eol = end;
		n = (size_t)(eol - q);
		if (n && q[n - 1] == '\r')
			n--;
		if (n == 0) {
			body = eol < end ? eol + 1 : end;
			break;
		}
		if (memchr(q, '\0', n)) {
			uc3_buf_release(&f.line);
			prepared_release(pr);
			memset(pr, 0, sizeof(*pr));
			return uc3_error_set(UC3_EINVAL, "the mail has a NUL byte in its headers");
		}
		if (q[0] == ' ' || q[0] == '\t') {
			/* A continuation belongs to the line before it. */
			if (keep)
				field_add(pr, &f, q, n, false);
		} else if (field_line(q, n)) {
			keep = true;
			field_start(pr, &f, q, n, given);
		} else if (q > last) {
			body = q;
			break;
		} else {
			keep = false;
			field_end(pr, &f, given);
		}
		if (eol == end)
			break;
	}
	field_end(pr, &f, given);
	uc3_buf_release(&f.line);
	if (body) {
		g_byte_array_append(pr->bytes, (const guint8 *)"\n", 1);
		add_lf(pr->bytes, body, (size_t)(end - body));
	}
	return 0;
}

/* The bytes of a stream GMime wrote, as a new string of *len bytes and a NUL (free()). */
static char *
mem_take(GMimeStream *mem, size_t *len)
{
	GByteArray *arr = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
	char *s = uc3_xmalloc(arr->len + 1);

	if (arr->len)
		memcpy(s, arr->data, arr->len);
	s[arr->len] = '\0';
	*len = arr->len;
	return s;
}

/* The content of a leaf, transfer encoding undone (a message part: the message). free(). */
static char *
leaf_data(GMimeObject *obj, size_t *len)
{
	GMimeStream *mem = g_mime_stream_mem_new();
	char *s;

	if (GMIME_IS_MESSAGE_PART(obj)) {
		GMimeMessage *msg = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));

		if (msg)
			g_mime_object_write_to_stream(GMIME_OBJECT(msg), NULL, mem);
	} else {
		GMimeDataWrapper *w = g_mime_part_get_content(GMIME_PART(obj));

		if (w)
			g_mime_data_wrapper_write_to_stream(w, mem);
	}
	s = mem_take(mem, len);
	g_object_unref(mem);
	return s;
}

/* The file name a part gives, Content-Disposition's filename or Content-Type's name. */
static const char *
leaf_name(GMimeObject *obj)
{
	const char *name = g_mime_object_get_content_disposition_parameter(obj, "filename");

	if (!name || !*name)
		name = g_mime_object_get_content_type_parameter(obj, "name");
	return name && *name ? name : NULL;
}

static bool
type_is(GMimeObject *obj, const char *type, const char *subtype)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);

	return ct && g_mime_content_type_is_type(ct, type, subtype);
}

/* A file rather than the text: attachment, named, or not text/plain nor text/html. */
static bool
leaf_is_file(GMimeObject *obj)
{
	const char *disp = g_mime_object_get_disposition(obj);

	if (GMIME_IS_MESSAGE_PART(obj))
		return true;
	if (disp && !g_ascii_strcasecmp(disp, "attachment"))
		return true;
	if (leaf_name(obj))
		return true;
	return !type_is(obj, "text", "plain") && !type_is(obj, "text", "html");
}

/* The leaves of obj, in order, appended to leaves (borrowed: obj holds them). */
static void
walk(GPtrArray *leaves, GMimeObject *obj, int depth)
{
	int i, n;

	if (GMIME_IS_MULTIPART(obj)) {
		if (depth >= MAX_DEPTH)
			return;
		n = g_mime_multipart_get_count(GMIME_MULTIPART(obj));
		for (i = 0; i < n; i++)
			walk(leaves, g_mime_multipart_get_part(GMIME_MULTIPART(obj), i), depth + 1);
	} else if (GMIME_IS_PART(obj) || GMIME_IS_MESSAGE_PART(obj)) {
		g_ptr_array_add(leaves, obj);
	}
}

static void decode_words(struct uc3_buf *out, const char *s, size_t n);

static void
add_part(struct uc3_mail_in *m, size_t *alloc, GMimeObject *obj)
{
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	struct uc3_mail_part *p;
	char *type = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	struct uc3_buf dec = UC3_BUF_INIT;
	const char *name;
	char *low;

	uc3_xgrow((void **)&m->parts, alloc, m->nparts + 1, sizeof(*m->parts));
	p = &m->parts[m->nparts++];
	p->name = NULL;
	name = leaf_name(obj);
	if (name) {
		/* GMime leaves an encoded word it does not see as one; they are rare in names. */
		decode_words(&dec, name, strlen(name));
		p->name = header_text(dec.ptr);
		uc3_buf_release(&dec);
	}
	low = g_ascii_strdown(type ? type : "application/octet-stream", -1);
	p->type = header_text(low);
	if (!p->type)
		p->type = uc3_xstrdup("application/octet-stream");
	g_free(low);
	g_free(type);
	p->data = leaf_data(obj, &p->len);
}

/* The body's text from leaf obj (text/plain, or text/html when html). */
static char *
body_text(GMimeObject *obj, bool html)
{
	struct uc3_buf raw = UC3_BUF_INIT, text = UC3_BUF_INIT;
	size_t len;
	char *data = leaf_data(obj, &len);

	add_text(&raw, data, len, g_mime_object_get_content_type_parameter(obj, "charset"));
	free(data);
	if (html) {
		html_text(&text, raw.ptr, raw.len);
		uc3_buf_release(&raw);
		clean_text(&text, true);
	} else {
		text = raw;
		clean_text(&text, false);
	}
	return uc3_buf_detach(&text);
}

/*
 * The encoded word "=?charset?B|Q?text?=" at s[0..n), loosely: its
 * length, with its charset (without an RFC 2231 language) and decoded
 * bytes appended to cs and bytes, or 0 when there is none (then nothing
 * is appended). The search stops at a blank or after 1024 bytes, so a
 * header full of "=?" stays linear.
 */
static size_t
encoded_word(const char *s, size_t n, struct uc3_buf *cs, struct uc3_buf *bytes)
{
	size_t i = 2, c0, c1, t0, t1, lim = n < 1024 ? n : 1024;
	char enc;

	if (n < 8 || s[0] != '=' || s[1] != '?')
		return 0;
	for (c0 = i; i < lim && s[i] != '?' && s[i] > ' ' && s[i] <= '~'; i++)
		;
	c1 = i;
	if (i + 3 >= lim || s[i] != '?' || c1 == c0)
		return 0;
	enc = g_ascii_toupper(s[i + 1]);
	if ((enc != 'B' && enc != 'Q') || s[i + 2] != '?')
		return 0;
	for (t0 = t1 = i + 3; t1 + 1 < lim && !(s[t1] == '?' && s[t1 + 1] == '='); t1++)
		if (s[t1] <= ' ' || s[t1] > '~')
			return 0;
	if (t1 + 1 >= lim)
		return 0;
	{
		const char *star = memchr(s + c0, '*', c1 - c0);

		uc3_buf_add(cs, s + c0, (size_t)((star ? star : s + c1) - (s + c0)));
	}
	if (enc == 'Q') {
		size_t j;

		for (j = t0; j < t1; j++) {
			if (s[j] == '_') {
				uc3_buf_addch(bytes, ' ');
			} else if (s[j] == '=' && j + 2 < t1 && g_ascii_isxdigit(s[j + 1]) &&
				   g_ascii_isxdigit(s[j + 2])) {
				uc3_buf_addch(bytes, (char)(g_ascii_xdigit_value(s[j + 1]) * 16 +
							    g_ascii_xdigit_value(s[j + 2])));
				j += 2;
			} else {
				uc3_buf_addch(bytes, s[j]);
			}
		}
	} else {
		gint state = 0;
		guint save = 0;

		/* uc3_buf_setlen only shortens: the decoded bytes are counted in by hand. */
		uc3_buf_grow(bytes, t1 - t0 + 4);
		bytes->len +=
			g_base64_decode_step(s + t0, t1 - t0, (guchar *)bytes->ptr + bytes->len,
					     &state, &save);
		bytes->ptr[bytes->len] = '\0';
	}
	return t1 + 2;
}

/*
 * Append s[0..n), a header's text, as UTF-8 with its RFC 2047 encoded
 * words decoded: wherever they are (as mail clients write them, inside
 * quotes or words too), the blanks between two of them dropped, and the
 * bytes of neighbours in one charset converted together, so that a
 * character a client split across two words comes out whole (GMime
 * 3.2 loses it when the first word ends in base64 padding). Text
 * outside encoded words is read as UTF-8, else Windows-1252.
 */
static void
decode_words(struct uc3_buf *out, const char *s, size_t n)
{
	struct uc3_buf cs = UC3_BUF_INIT, pend = UC3_BUF_INIT;
	struct uc3_buf wcs = UC3_BUF_INIT, word = UC3_BUF_INIT;
	size_t i = 0, lit = 0, k, j;
	bool after_word = false;

	while (i < n) {
		if (s[i] != '=' || i + 1 >= n || s[i + 1] != '?') {
			i++;
			continue;
		}
		uc3_buf_reset(&wcs);
		uc3_buf_reset(&word);
		k = encoded_word(s + i, n - i, &wcs, &word);
		if (!k) {
			i++;
			continue;
		}
		for (j = lit; j < i && (s[j] == ' ' || s[j] == '\t'); j++)
			;
		if (after_word && j == i && !g_ascii_strcasecmp(cs.ptr, wcs.ptr)) {
			uc3_buf_add(&pend, word.ptr, word.len);
		} else {
			add_text(out, pend.ptr, pend.len, cs.ptr);
			if (!after_word || j < i)
				add_undeclared(out, s + lit, i - lit);
			uc3_buf_reset(&pend);
			uc3_buf_add(&pend, word.ptr, word.len);
			uc3_buf_reset(&cs);
			uc3_buf_add(&cs, wcs.ptr, wcs.len);
		}
		after_word = true;
		i += k;
		lit = i;
	}
	add_text(out, pend.ptr, pend.len, cs.ptr);
	add_undeclared(out, s + lit, n - lit);
	uc3_buf_release(&cs);
	uc3_buf_release(&pend);
	uc3_buf_release(&wcs);
	uc3_buf_release(&word);
}

/*
 * A raw value (line breaks dropped), decoded (decode_words) and made one
 * line (header_text); NULL when it is absent or empty. free().
 */
static char *
header_decoded(const struct prepared *pr, int field)
{
	struct uc3_buf text = UC3_BUF_INIT;
	char *r;

	if (!pr->seen[field])
		return NULL;
	decode_words(&text, pr->v[field].ptr, pr->v[field].len);
	r = header_text(text.ptr);
	uc3_buf_release(&text);
	return r;
}

/*
 * The display name of a From value written "phrase <addr>": the phrase
 * before the first "<" outside quotes and comments, its quotes undone
 * (and backslash escapes), comments dropped, blanks runs made one, then
 * decoded (decode_words). NULL when the value has no such phrase (a
 * bare address, "addr (Name)", a group): GMime's name is then taken.
 * free().
 */
static char *
from_phrase(const char *raw)
{
	struct uc3_buf ph = UC3_BUF_INIT, text = UC3_BUF_INIT;
	bool quoted = false, found = false;
	int depth = 0;
	char *r;

	for (; *raw; raw++) {
		char c = *raw;

		if (c == '\r' || c == '\n')
			continue;
		if (quoted) {
			if (c == '\\' && raw[1])
				uc3_buf_addch(&ph, *++raw);
			else if (c == '"')
				quoted = false;
			else
				uc3_buf_addch(&ph, c);
		} else if (depth) {
			if (c == '\\' && raw[1])
				raw++;
			else if (c == '(')
				depth++;
			else if (c == ')')
				depth--;
		} else if (c == '"') {
			quoted = true;
		} else if (c == '(') {
			depth = 1;
		} else if (c == '<') {
			found = true;
			break;
		} else if (c == ':' || c == ',' || c == ';') {
			break;
		} else if (c == '\t' || c == ' ') {
			if (ph.len && ph.ptr[ph.len - 1] != ' ')
				uc3_buf_addch(&ph, ' ');
		} else {
			uc3_buf_addch(&ph, c);
		}
	}
	if (!found) {
		uc3_buf_release(&ph);
		return NULL;
	}
	decode_words(&text, ph.ptr, ph.len);
	r = header_text(text.ptr);
	uc3_buf_release(&ph);
	uc3_buf_release(&text);
	return r;
}

/* Append "<s[0..n)>" to ids when it is a message id (uc3_mail__msgid_ok). */
static void
add_id(char ***ids, size_t *nids, size_t *alloc, const char *s, size_t n)
{
	char *id = uc3_xmalloc(n + 3);

	id[0] = '<';
	memcpy(id + 1, s, n);
	id[n + 1] = '>';
	id[n + 2] = '\0';
	if (!uc3_mail__msgid_ok(id)) {
		free(id);
		return;
	}
	uc3_xgrow((void **)ids, alloc, *nids + 1, sizeof(**ids));
	(*ids)[(*nids)++] = id;
}

/*
 * The message ids of a field, in order, each "<left@right>" (at
 * most max of them): every "<...>" of its raw value that is a message id
 * (one that is not, a word or a comment between them is passed over, so
 * that one bad id loses only itself); a value without "<" that is one
 * word is taken as an id without its brackets.
 */
static void
id_list(const struct prepared *pr, int field, char ***ids, size_t *nids, size_t max)
{
	const char *v = pr->v[field].ptr, *p, *q, *e;
	size_t alloc = 0;

	if (!pr->seen[field])
		return;
	if (!strchr(v, '<')) {
		v += strspn(v, " \t\r\n");
		e = v + strcspn(v, " \t\r\n");
		if (e > v && !v[strspn(e, " \t\r\n") + (size_t)(e - v)])
			add_id(ids, nids, &alloc, v, (size_t)(e - v));
		return;
	}
	for (p = strchr(v, '<'); p && *nids < max; p = q) {
		e = p + 1 + strcspn(p + 1, "<>");
		if (*e == '>') {
			add_id(ids, nids, &alloc, p + 1, (size_t)(e - p - 1));
			q = strchr(e, '<');
		} else {
			q = *e ? e : NULL;
		}
	}
}

/*
 * An addr-spec uc3 can take as the requester's: valid UTF-8 with an "@"
 * inside, and no blank (U+2028 and the other Unicode spaces among them)
 * nor control character, so that it is one word as it stands.
 */
static bool
from_ok(const char *a)
{
	const char *at, *p;

	if (!a || !(at = strchr(a, '@')) || at == a || !at[1] || !g_utf8_validate(a, -1, NULL))
		return false;
	for (p = a; *p; p = g_utf8_next_char(p)) {
		gunichar c = g_utf8_get_char(p);

		if (g_unichar_isspace(c) || g_unichar_iscntrl(c) || c == 0x2028 || c == 0x2029)
			return false;
	}
	return true;
}

/* The first mailbox of list (a group's members included) with an address from_ok takes. */
static InternetAddress *
first_mailbox(InternetAddressList *list, int depth)
{
	int i, n = list ? internet_address_list_length(list) : 0;

	for (i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);

		if (INTERNET_ADDRESS_IS_MAILBOX(ia)) {
			if (from_ok(internet_address_mailbox_get_addr(
				    INTERNET_ADDRESS_MAILBOX(ia))))
				return ia;
		} else if (INTERNET_ADDRESS_IS_GROUP(ia) && depth == 0) {
			InternetAddress *in = first_mailbox(internet_address_group_get_members(
								    INTERNET_ADDRESS_GROUP(ia)),
							    1);

			if (in)
				return in;
		}
	}
	return NULL;
}

/* The word of uc3_mail_in.automatic for msg, or NULL. */
static const char *
automatic(GMimeMessage *msg, const struct prepared *pr, const char *from_email)
{
	GMimeObject *top = g_mime_message_get_mime_part(msg);
	const char *at = strchr(from_email, '@');
	size_t local = (size_t)(at - from_email);
	char *v;
	const char *word = NULL;

	if ((top && type_is(top, "multipart", "report")) ||
	    (local == 13 && !g_ascii_strncasecmp(from_email, "mailer-daemon", 13)) ||
	    (local == 10 && !g_ascii_strncasecmp(from_email, "postmaster", 10)))
		return "bounce";
	if ((v = header_decoded(pr, F_AUTO_SUBMITTED))) {
		size_t n = strcspn(v, " \t;(");

		if (n != 2 || g_ascii_strncasecmp(v, "no", 2))
			word = "auto-reply";
		free(v);
	}
	if (word || pr->seen[F_X_AUTOREPLY] || pr->seen[F_X_AUTORESPOND])
		return "auto-reply";
	if ((v = header_decoded(pr, F_RETURN_PATH))) {
		if (!strcmp(v, "<>"))
			word = "auto-reply";
		free(v);
		if (word)
			return word;
	}
	if ((v = header_decoded(pr, F_PRECEDENCE))) {
		size_t n = strcspn(v, " \t;(");

		if (n == 10 && !g_ascii_strncasecmp(v, "auto_reply", n))
			word = "auto-reply";
		else if ((n == 4 && !g_ascii_strncasecmp(v, "bulk", n)) ||
			 (n == 4 && !g_ascii_strncasecmp(v, "junk", n)))
			word = "bulk";
		else if (n == 4 && !g_ascii_strncasecmp(v, "list", n))
			word = "list";
		free(v);
		if (word)
			return word;
	}
	if (pr->seen[F_LIST_ID] || pr->seen[F_LIST_UNSUBSCRIBE])
		return "list";
	return NULL;
}

/* Fill m from msg (m zeroed). Returns 0, or UC3_EINVAL when it has no From address. */
/* Whether o comes after body among leaves. */
static bool
body_after(const GPtrArray *leaves, const GMimeObject *body, const GMimeObject *o)
{
	guint i;

	for (i = 0; i < leaves->len; i++)
		if (leaves->pdata[i] == body)
			return true;
		else if (leaves->pdata[i] == o)
			return false;
	return false;
}

static int
fill(struct uc3_mail_in *m, GMimeMessage *msg, const struct prepared *pr)
{
	InternetAddress *from = first_mailbox(g_mime_message_get_from(msg), 0);
	GMimeObject *top = g_mime_message_get_mime_part(msg), *body = NULL;
	GDateTime *date;
	GPtrArray *leaves;
	size_t alloc = 0, nirt = 0, nmid = 0;
	char **irt = NULL, **mid = NULL;
	guint i;

	if (!from)
		return uc3_error_set(UC3_EINVAL, "the mail has no From address");
	m->from_email =
		header_text(internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(from)));
	{
		/* The phrase written is read only when it is this mailbox's, the first. */
		InternetAddressList *list = g_mime_message_get_from(msg);
		const char *raw = pr->seen[F_FROM] ? pr->v[F_FROM].ptr : NULL;
		bool first = internet_address_list_get_address(list, 0) == from;

		m->from_name = raw && first ? from_phrase(raw) : NULL;
		if (!m->from_name && !(raw && first && strchr(raw, '<')))
			m->from_name = header_text(internet_address_get_name(from));
	}
	m->subject = header_decoded(pr, F_SUBJECT);
	if ((date = g_mime_message_get_date(msg))) {
		m->has_date = true;
		m->date = (time_t)g_date_time_to_unix(date);
	}
	id_list(pr, F_MESSAGE_ID, &mid, &nmid, 1);
	if (nmid) {
		m->message_id = mid[0];
		free(mid);
	}
	id_list(pr, F_IN_REPLY_TO, &irt, &nirt, 1);
	if (nirt) {
		m->in_reply_to = irt[0];
		free(irt);
	}
	id_list(pr, F_REFERENCES, &m->references, &m->nreferences, (size_t)-1);
	m->loop = header_decoded(pr, F_X_LOOP);
	m->automatic = automatic(msg, pr, m->from_email);

	leaves = g_ptr_array_new();
	if (top)
		walk(leaves, top, 0);
	for (i = 0; i < leaves->len && !body; i++) {
		GMimeObject *o = leaves->pdata[i];

		if (!leaf_is_file(o) && type_is(o, "text", "plain"))
			body = o;
	}
	for (i = 0; i < leaves->len && !body; i++) {
		GMimeObject *o = leaves->pdata[i];

		if (!leaf_is_file(o) && type_is(o, "text", "html")) {
			body = o;
			m->body_from_html = true;
		}
	}
	m->body = body ? body_text(body, m->body_from_html) : uc3_xstrdup("");
	/* Text split around an image (Apple Mail): every inline text/plain after the first. */
	for (i = 0; body && !m->body_from_html && i < leaves->len; i++) {
		GMimeObject *o = leaves->pdata[i];
		struct uc3_buf b = UC3_BUF_INIT;
		char *more;

		if (o == body || leaf_is_file(o) || !type_is(o, "text", "plain") ||
		    !body_after(leaves, body, o))
			continue;
		more = body_text(o, false);
		if (*more) {
			uc3_buf_adds(&b, m->body);
			while (b.len && b.ptr[b.len - 1] == '\n')
				b.ptr[--b.len] = '\0';
			uc3_buf_adds(&b, b.len ? "\n\n" : "");
			uc3_buf_adds(&b, more);
			free(m->body);
			m->body = uc3_buf_detach(&b);
		}
		free(more);
	}
	for (i = 0; i < leaves->len; i++) {
		GMimeObject *o = leaves->pdata[i];

		if (o != body && leaf_is_file(o))
			add_part(m, &alloc, o);
	}
	g_ptr_array_free(leaves, TRUE);
	return 0;
}

int
uc3_mail_parse(struct uc3_mail_in *m, const char *data, size_t len)
{
	static const char *fallback[] = { "UTF-8", "windows-1252", NULL };
	struct prepared pr;
	GMimeParserOptions *opts;
	GMimeStream *stream;
	GMimeParser *parser;
	GMimeMessage *msg;
	int rc;

	memset(m, 0, sizeof(*m));
	if (!data)
		len = 0;
	if ((rc = prepare(&pr, data, len)) < 0)
		return rc;
	uc3_mail__init();
	opts = g_mime_parser_options_new();
	g_mime_parser_options_set_fallback_charsets(opts, fallback);
	g_mime_parser_options_set_rfc2047_compliance_mode(opts, GMIME_RFC_COMPLIANCE_STRICT);
	/* The stream owns the bytes from here. */
	stream = g_mime_stream_mem_new_with_byte_array(pr.bytes);
	pr.bytes = NULL;
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	msg = g_mime_parser_construct_message(parser, opts);
	if (!msg)
		rc = uc3_error_set(UC3_EINVAL, "the mail has no header before its body");
	else
		rc = fill(m, msg, &pr);
	if (msg)
		g_object_unref(msg);
	g_object_unref(parser);
	g_object_unref(stream);
	g_mime_parser_options_free(opts);
	prepared_release(&pr);
	if (rc < 0)
		uc3_mail_in_release(m);
	return rc;
}

void
uc3_mail_in_release(struct uc3_mail_in *m)
{
	size_t i;

	if (!m)
		return;
	free(m->from_name);
	free(m->from_email);
	free(m->subject);
	free(m->message_id);
	free(m->in_reply_to);
	for (i = 0; i < m->nreferences; i++)
		free(m->references[i]);
	free(m->references);
	free(m->body);
	free(m->loop);
	for (i = 0; i < m->nparts; i++) {
		free(m->parts[i].name);
		free(m->parts[i].type);
		free(m->parts[i].data);
	}
	free(m->parts);
	memset(m, 0, sizeof(*m));
}
