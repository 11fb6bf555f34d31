#ifndef UC3_ERROR_H
#define UC3_ERROR_H

/*
 * Error codes and the last error message. Library functions return 0 or a
 * negative UC3_E* after uc3_error_set() has recorded a one-line message
 * that names the thing (file:line:column, ticket id...). Callers pass the
 * code up untouched and keep the message.
 */
enum {
	UC3_OK = 0,
	UC3_ERROR = -1,	    /* anything else: I/O, git, child process */
	UC3_EINVAL = -2,    /* bad input: option value, file contents */
	UC3_ENOTFOUND = -3, /* no such ticket, file, repository */
	UC3_ECONFLICT = -4, /* the branch moved under us (CAS lost) */
	UC3_EDIRTY = -5,    /* a work-tree file has uncommitted edits */
	UC3_ESIGN = -6,	    /* signing failed */
	UC3_EPOLICY = -7,   /* uc3.yaml is invalid */
	UC3_EDENIED = -8,   /* the SOP or the policy does not allow it */
	UC3_ELOCKED = -9,   /* a lock is held by somebody else */
	UC3_EEXIST = -10    /* a new file's path is already on the branch */
};

/* Record a message (printf-style) and return code, for `return uc3_error_set(...)`. */
int uc3_error_set(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/*
 * Record "name:line:col: " and the message (a place in a file and what is
 * wrong there), and return code.
 */
int uc3_error_at(int code, const char *name, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

/* Prefix the current message with "prefix: " and return code. */
int uc3_error_prefix(int code, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The last message; never NULL ("unknown error" when none). Valid until the next set. */
const char *uc3_error_last(void);
int uc3_error_code(void);
void uc3_error_clear(void);

#endif
