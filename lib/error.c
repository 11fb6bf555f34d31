#include "error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "i18n.h"

/*
 * The tools are single-threaded; a plain static is enough and keeps the
 * message valid until the next set. Long messages are cut, never lost.
 */
static char message[2048];
static int last_code;

/*
 * The formats are translated here (uc3_i18n_tr): callers pass the English,
 * which xgettext finds through the Makefile's XGETTEXT_KEYWORDS.
 */
int
uc3_error_set(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof(message), uc3_i18n_tr(fmt), ap);
	va_end(ap);
	last_code = code;
	return code;
}

int
uc3_error_at(int code, const char *name, unsigned line, unsigned col, const char *fmt, ...)
{
	/* Formatted apart first: an argument may be the last message itself. */
	char what[sizeof(message)];
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), uc3_i18n_tr(fmt), ap);
	va_end(ap);
	n = snprintf(message, sizeof(message), "%s:%u:%u: ", name, line, col);
	if (n >= 0 && (size_t)n < sizeof(message))
		snprintf(message + n, sizeof(message) - (size_t)n, "%s", what);
	last_code = code;
	return code;
}

int
uc3_error_prefix(int code, const char *fmt, ...)
{
	char old[sizeof(message)];
	char pre[512];
	va_list ap;

	memcpy(old, message, sizeof(old));
	va_start(ap, fmt);
	vsnprintf(pre, sizeof(pre), uc3_i18n_tr(fmt), ap);
	va_end(ap);
	{
		size_t n = strlen(pre);
		const char *rest = old[0] ? old : _("unknown error");

		if (n > sizeof(message) - 3)
			n = sizeof(message) - 3;
		memcpy(message, pre, n);
		memcpy(message + n, ": ", 2);
		n += 2;
		{
			size_t r = strlen(rest);

			if (r > sizeof(message) - n - 1)
				r = sizeof(message) - n - 1;
			memcpy(message + n, rest, r);
			message[n + r] = '\0';
		}
	}
	last_code = code;
	return code;
}

const char *
uc3_error_last(void)
{
	return message[0] ? message : _("unknown error");
}

int
uc3_error_code(void)
{
	return last_code;
}

void
uc3_error_clear(void)
{
	message[0] = '\0';
	last_code = 0;
}
