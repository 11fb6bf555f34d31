#ifndef UC3_STRV_H
#define UC3_STRV_H

#include <stdbool.h>
#include <stddef.h>

/* Arrays of strings: v[0..n), each string and the array from malloc. */

/*
 * Find a repeated string in s[0..n) (a map's keys, a list's items),
 * compared with strcmp or, with icase, strcasecmp. Returns true with *dup
 * the index of the first repeat in list order and *first the index of its
 * earlier twin, so a message can point at the line added last.
 */
bool uc3_strv_find_dup(char *const *s, size_t n, bool icase, size_t *first, size_t *dup);

/* Append v[0..n) to out, parted by ", " ("kinds: a, b, c" in messages). */
struct uc3_buf;
void uc3_strv_join(struct uc3_buf *out, char *const *v, size_t n);

/* Free v[0..n) and v. */
void uc3_strv_free(char **v, size_t n);

#endif
