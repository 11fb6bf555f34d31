#include "buf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "error.h"
#include "xalloc.h"

char uc3_buf_empty[1];

void
uc3_buf_init(struct uc3_buf *b)
{
	b->ptr = uc3_buf_empty;
	b->len = 0;
	b->alloc = 0;
}

void
uc3_buf_release(struct uc3_buf *b)
{
	if (b->alloc)
		free(b->ptr);
	uc3_buf_init(b);
}

void
uc3_buf_reset(struct uc3_buf *b)
{
	uc3_buf_setlen(b, 0);
}

void
uc3_buf_grow(struct uc3_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;

	if (need < b->len)
		uc3_xmalloc((size_t)-1);
	if (!b->ptr || b->ptr == uc3_buf_empty || !b->alloc) {
		size_t n = need < 64 ? 64 : need;
		char *p = uc3_xmalloc(n);

		if (b->ptr && b->len)
			memcpy(p, b->ptr, b->len);
		p[b->len] = '\0';
		b->ptr = p;
		b->alloc = n;
		return;
	}
	if (need > b->alloc) {
		size_t n = b->alloc;

		while (n < need)
			n = n < 1024 * 1024 ? n * 2 : n + n / 2;
		b->ptr = uc3_xrealloc(b->ptr, n);
		b->alloc = n;
	}
}

void
uc3_buf_add(struct uc3_buf *b, const void *data, size_t len)
{
	if (!len) {
		if (!b->ptr)
			uc3_buf_init(b);
		return;
	}
	uc3_buf_grow(b, len);
	memcpy(b->ptr + b->len, data, len);
	b->len += len;
	b->ptr[b->len] = '\0';
}

void
uc3_buf_adds(struct uc3_buf *b, const char *s)
{
	uc3_buf_add(b, s, strlen(s));
}

void
uc3_buf_addch(struct uc3_buf *b, char c)
{
	uc3_buf_add(b, &c, 1);
}

void
uc3_buf_vaddf(struct uc3_buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	int n;

	/* Straight into the room there is, most often enough; else measured, grown, again. */
	va_copy(cp, ap);
	if (b->alloc > b->len + 1)
		n = vsnprintf(b->ptr + b->len, b->alloc - b->len, fmt, cp);
	else
		n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n > 0 && b->alloc > b->len + (size_t)n) {
		b->len += (size_t)n;
		return;
	}
	if (b->alloc > b->len)
		b->ptr[b->len] = '\0';
	if (n <= 0) {
		if (!b->ptr)
			uc3_buf_init(b);
		return;
	}
	uc3_buf_grow(b, (size_t)n);
	vsnprintf(b->ptr + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void
uc3_buf_addf(struct uc3_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	uc3_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
uc3_buf_setlen(struct uc3_buf *b, size_t len)
{
	if (!b->ptr)
		uc3_buf_init(b);
	if (!b->alloc) {
		/* Only the shared empty string: nothing to cut. */
		return;
	}
	if (len > b->len)
		len = b->len;
	b->len = len;
	b->ptr[len] = '\0';
}

char *
uc3_buf_detach(struct uc3_buf *b)
{
	char *p;

	if (!b->alloc)
		p = uc3_xstrdup("");
	else
		p = b->ptr;
	uc3_buf_init(b);
	return p;
}

int
uc3_buf_read_limited(struct uc3_buf *out, int fd, size_t limit, const char *what)
{
	char chunk[65536];

	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return uc3_error_set(UC3_ERROR, "cannot read %s: %s", what,
					     strerror(errno));
		}
		if (n == 0)
			return 0;
		if (out->len + (size_t)n > limit)
			return uc3_error_set(UC3_EINVAL, "%s is over the limit of %zu bytes", what,
					     limit);
		uc3_buf_add(out, chunk, (size_t)n);
	}
}
