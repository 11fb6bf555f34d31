#ifndef UC3_BUF_H
#define UC3_BUF_H

#include <stdarg.h>
#include <stddef.h>

/*
 * A growable byte string, always NUL-terminated (ptr is never NULL after
 * uc3_buf_init, so it can be printed at once). Embedded: uc3_buf_init and
 * uc3_buf_release; uc3_buf_detach hands the string out (free() it).
 */
struct uc3_buf {
	char *ptr;
	size_t len;
	size_t alloc;
};

/* The shared empty string every unused buffer points at; never written. */
extern char uc3_buf_empty[];

#define UC3_BUF_INIT                                                                               \
	{                                                                                          \
		uc3_buf_empty, 0, 0                                                                \
	}

void uc3_buf_init(struct uc3_buf *b);
void uc3_buf_release(struct uc3_buf *b);
void uc3_buf_reset(struct uc3_buf *b);
void uc3_buf_grow(struct uc3_buf *b, size_t extra);
void uc3_buf_add(struct uc3_buf *b, const void *data, size_t len);
void uc3_buf_adds(struct uc3_buf *b, const char *s);
void uc3_buf_addch(struct uc3_buf *b, char c);
void uc3_buf_addf(struct uc3_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void uc3_buf_vaddf(struct uc3_buf *b, const char *fmt, va_list ap);
void uc3_buf_setlen(struct uc3_buf *b, size_t len);
/* Returns the string (caller frees with free()) and leaves b empty. */
char *uc3_buf_detach(struct uc3_buf *b);

/*
 * Read fd to its end, appending to b, but never more than limit bytes in
 * b: past the limit, stop and return UC3_EINVAL ("what is over the limit
 * of N bytes"); UC3_ERROR when read fails ("cannot read what: ...").
 */
int uc3_buf_read_limited(struct uc3_buf *b, int fd, size_t limit, const char *what);

#endif
