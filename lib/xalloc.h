#ifndef UC3_XALLOC_H
#define UC3_XALLOC_H

#include <stddef.h>

/*
 * Allocation that never returns NULL: on ENOMEM the process aborts with a
 * short message on stderr, as git's xmalloc does. Everything returned is
 * freed with free().
 */
void *uc3_xmalloc(size_t n);
void *uc3_xcalloc(size_t nmemb, size_t size);
void *uc3_xrealloc(void *p, size_t n);
char *uc3_xstrdup(const char *s);
char *uc3_xstrndup(const char *s, size_t n);

/* Grow *arr (of *alloc elements of size sz) so that it holds at least need. */
void uc3_xgrow(void **arr, size_t *alloc, size_t need, size_t sz);

#endif
