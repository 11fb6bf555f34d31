#include "xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
oom(size_t n)
{
	fprintf(stderr, "uc3: out of memory allocating %zu bytes\n", n);
	abort();
}

void *
uc3_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		oom(n);
	return p;
}

void *
uc3_xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (!p)
		oom(nmemb * size);
	return p;
}

void *
uc3_xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		oom(n);
	return q;
}

char *
uc3_xstrdup(const char *s)
{
	return uc3_xstrndup(s, strlen(s));
}

char *
uc3_xstrndup(const char *s, size_t n)
{
	char *p;
	size_t len = strnlen(s, n);

	p = uc3_xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

void
uc3_xgrow(void **arr, size_t *alloc, size_t need, size_t sz)
{
	size_t n = *alloc;

	if (need <= n)
		return;
	n = n ? n : 8;
	while (n < need) {
		if (n > ((size_t)-1) / 2 / sz)
			oom(need * sz);
		n *= 2;
	}
	*arr = uc3_xrealloc(*arr, n * sz);
	*alloc = n;
}
