#ifndef UC3_RX_H
#define UC3_RX_H

#include <stdbool.h>
#include <stddef.h>

/*
 * Regular expressions: PCRE2 (the only module that includes <pcre2.h>),
 * UTF-8 mode with Unicode properties, with a match limit so that a
 * pathological pattern fails instead of hanging.
 */
struct uc3_rx;

enum { UC3_RX_ICASE = 1 };

/* Compile pattern; *out: uc3_rx_free. UC3_EINVAL with the offset and PCRE2's message. */
int uc3_rx_compile(struct uc3_rx **out, const char *pattern, int flags);
/* 1 match, 0 no match, UC3_ERROR on a matching error (limit hit). */
int uc3_rx_match(const struct uc3_rx *rx, const char *s, size_t len);
void uc3_rx_free(struct uc3_rx *rx);

#endif
