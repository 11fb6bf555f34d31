#include "mail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/*
 * Message ids, apart from the rest of the mail module: every write that
 * may mail makes one (ops.c, notify.c, overdue.c), and a program that
 * never composes a message should not load GMime for it.
 */

static bool
ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The domain of the address in from when it is a plain host name, else "localhost". */
static void
add_domain(struct uc3_buf *out, const char *from)
{
	const char *at = strrchr(from, '@'), *p;
	size_t n;

	if (!at)
		goto localhost;
	n = strcspn(at + 1, ">");
	if (!n || at[1] == '.' || at[1] == '-' || at[n] == '.')
		goto localhost;
	for (p = at + 1; p < at + 1 + n; p++)
		if (!ascii_alnum(*p) && *p != '-' && !(*p == '.' && p[1] != '.'))
			goto localhost;
	uc3_buf_add(out, at + 1, n);
	return;
localhost:
	uc3_buf_adds(out, "localhost");
}

void
uc3_mail_message_id(struct uc3_buf *out, const char *from, time_t when)
{
	static unsigned serial;
	unsigned long long rnd;

	/* Unique per message: one run mails several people in the same second. */
	if (getentropy(&rnd, sizeof(rnd)) < 0)
		rnd = (unsigned long long)random() << 32 ^ (unsigned long long)random();
	uc3_buf_addf(out, "<%llx.%lx.%x.%016llx@", (unsigned long long)when,
		     (unsigned long)getpid(), ++serial, rnd);
	add_domain(out, from);
	uc3_buf_addch(out, '>');
}
