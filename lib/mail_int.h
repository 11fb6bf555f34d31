#ifndef UC3_MAIL_INT_H
#define UC3_MAIL_INT_H

/*
 * Private to the mail module's files (mail.c, mail_parse.c): what
 * composing and reading share. Nothing else includes it.
 */

#include <stdbool.h>

/* Set GMime up, once per process (later calls do nothing); shut down at exit. */
void uc3_mail__init(void);

/*
 * True when id is a msg-id as RFC 5322 section 3.6.4 writes it,
 * "<left@right>": printable ASCII, no blanks, nothing that quotes or
 * delimits, one "@" with something on each side.
 */
bool uc3_mail__msgid_ok(const char *id);

#endif
