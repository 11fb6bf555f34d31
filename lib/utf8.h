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

/*
 * Append s to out for one line of a table: every control character (C0,
 * DEL, C1, line breaks and tabs among them) becomes a space, so a value
 * edited by hand can neither break the line nor drive the terminal.
 */
struct uc3_buf;
void uc3_utf8_cell(struct uc3_buf *out, const char *s);

#endif
