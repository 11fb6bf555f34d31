#ifndef UC3_UTF8_H
#define UC3_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * True when s[0..len) is well-formed UTF-8 (no overlongs, no surrogates,
 * nothing above U+10FFFF). On false, *bad (if not NULL) is the byte offset
 * of the first bad sequence.
 */
bool uc3_utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Number of terminal columns the NUL-terminated s takes (code points; wide
 * CJK counts 2). Combining marks U+0300..U+036F and control characters
 * (C0, DEL, C1) count 0. Each byte that does not start a well-formed
 * character counts 1, as a terminal shows a replacement character for it.
 */
size_t uc3_utf8_width(const char *s);

/*
 * Largest prefix length (bytes) of the NUL-terminated s that fits in cols
 * columns (widths as uc3_utf8_width). A character is never split, and
 * zero-width characters right after the cut (combining marks) stay with
 * the character before them.
 */
size_t uc3_utf8_fit(const char *s, size_t cols);

struct uc3_buf;

/*
 * How uc3_utf8_escape treats the characters that lay text out:
 *   UC3_UTF8_MESSAGE  none kept: a line break or a tab is \x0a, \x09
 *                     (an error message, always one line)
 *   UC3_UTF8_LINE     CR, LF and tab become a space each (a table cell,
 *                     a field of one line)
 *   UC3_UTF8_TEXT     LF and tab kept, CR escaped (a body, an answer, a
 *                     note: text of several lines)
 */
enum uc3_utf8_mode { UC3_UTF8_MESSAGE, UC3_UTF8_LINE, UC3_UTF8_TEXT };

/*
 * Append s to out for a terminal. Text that comes from a ticket file or
 * a commit can hold anything a hand edit put there, so every control
 * character (C0, DEL, C1) is written as \xNN, except the layout that
 * mode keeps or turns into spaces: nothing can drive the terminal (set
 * its title, write the clipboard, clear the screen) or break a line the
 * mode keeps whole. A C1 control is written as its code (U+009B as
 * \x9b), and each byte that is not part of well-formed UTF-8 as \xNN
 * too, as a terminal that is not in UTF-8 mode takes 0x80..0x9f for C1
 * controls. Every other character is copied as it is. s NULL: nothing.
 */
void uc3_utf8_escape(struct uc3_buf *out, const char *s, enum uc3_utf8_mode mode);

/* uc3_utf8_escape(out, s, UC3_UTF8_LINE): a cell of a table, a one-line field. */
void uc3_utf8_cell(struct uc3_buf *out, const char *s);

/* uc3_utf8_escape(out, s, UC3_UTF8_TEXT): text of several lines. */
void uc3_utf8_text(struct uc3_buf *out, const char *s);

/*
 * s cut for a message: its first line, at most size - 4 bytes of it, not
 * in the middle of a character, and "..." when anything was cut. Writes
 * buf (of size bytes, at least 4) and returns it.
 */
const char *uc3_utf8_excerpt(char *buf, size_t size, const char *s);

/*
 * Normalise free text typed or piped in: CRLF and lone CR become LF,
 * tabs become spaces to the next multiple of 8 columns (a tab would force
 * the whole text into one double-quoted line), trailing blanks of every line are dropped, trailing
 * empty lines are dropped and exactly one final newline kept (no text: empty string). Returns a new
 * string (free()).
 */
char *uc3_text_normalize(const char *s, size_t len);

/*
 * What a text may hold, for uc3_text_check. The first two have the
 * values of a bool one_line (false, true), which callers may pass.
 */
enum uc3_text_kind {
	UC3_TEXT_LINES = 0,   /* several lines typed in: a body, an answer, a note */
	UC3_TEXT_LINE = 1,    /* one line typed in: a subject, a name, a unit */
	UC3_TEXT_UNBROKEN = 2 /* one line a file or an option holds: --from, a unit read */
};

/*
 * The one check of what a text may hold, before it is written or when a
 * field that must be one line is read (field names it in the message).
 * Every kind refuses invalid UTF-8 ("invalid UTF-8 in unit"). A line
 * break is LF, CR, NEL (U+0085), U+2028 or U+2029: YAML 1.1, a mail
 * header or a commit trailer would start a new line there.
 *   UC3_TEXT_LINE      no line break ("unit contains a line break"), and
 *                      no other control character, a tab, C0, DEL or C1
 *                      ("subject contains a control character (U+001B)")
 *   UC3_TEXT_LINES     no control character but LF and tab ("body
 *                      contains a control character (U+001B) on line 3");
 *                      normalise such text first (uc3_text_normalize
 *                      turns CR into LF)
 *   UC3_TEXT_UNBROKEN  no line break; other control characters are let
 *                      through, to be escaped where the text is shown
 * NULL is fine. Returns 0, or UC3_EINVAL.
 */
int uc3_text_check(const char *s, const char *field, enum uc3_text_kind kind);

/*
 * A one-line value as typed (a unit, a name): blanks around it dropped.
 * Returns a new string (free()), or NULL when s is NULL or only blanks.
 */
char *uc3_text_trim(const char *s);

#endif
