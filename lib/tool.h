#ifndef UC3_TOOL_H
#define UC3_TOOL_H

#include <stdbool.h>
#include <time.h>

/*
 * Plumbing shared by the tools' main()s: the program name in messages,
 * one-line errors on stderr, exit statuses (DESIGN section 8), a checked
 * flush of stdout, and where the installed data lives.
 */

enum { UC3_EXIT_OK = 0, UC3_EXIT_NEGATIVE = 1, UC3_EXIT_ERROR = 2 };
/* uc3 new --mail, as a mail delivery agent (sysexits.h): the mail is bad; try again later. */
enum { UC3_EXIT_DATAERR = 65, UC3_EXIT_TEMPFAIL = 75 };

/* Set the name used in messages, "uc3 new". */
void uc3_tool_init(const char *name);
const char *uc3_tool_name(void);

/* "uc3 new: <message>" on stderr. */
void uc3_tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "uc3 new: warning: <message>" on stderr. */
void uc3_tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "uc3 new: ..." on stderr: what a command did, for people, neither error nor warning. */
void uc3_tool_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * Right after a reading command opens the records: with uc3.remote set,
 * bring the branch up to the central repository when the last fetch is
 * old enough (uc3_remote_freshen, remote.h), and warn, a line each, of
 * what stopped that; the command goes on and its exit status is its own.
 */
struct uc3_store;
void uc3_tool_freshen(struct uc3_store *st);
struct uc3_buf;

/* Write what a tool rendered into b (a table, JSON) to stdout, and release b. */
void uc3_tool_put(struct uc3_buf *b);

/*
 * Write b (then release it) to the file path, replacing it at once: a
 * new file beside it, renamed over it, so a reader never sees half of it
 * and a failure leaves what was there. Refuses a directory. Says what
 * went wrong on stderr and returns -1; 0 when written.
 */
int uc3_tool_write_file(const char *path, struct uc3_buf *b);

/*
 * What uc3_tool_write_file refuses before it writes (an empty name, a
 * directory), for a tool to ask before its work: says why on stderr and
 * returns -1; 0 when path may be written.
 */
int uc3_tool_output_check(const char *path);

/*
 * --since, --until and the like (what: "--since"): a day (its start in
 * zone tz), a local time in tz, or an RFC 3339 time. Says what is wrong
 * on stderr and returns -1; 0 and *out when it reads.
 */
int uc3_tool_date(time_t *out, const char *what, const char *arg, const char *tz);

/* Print uc3_error_last() as an error and return UC3_EXIT_ERROR. */
int uc3_tool_fail(void);

/*
 * Flush stdout and check it: a write error (a full disk, a closed pipe
 * other than EPIPE) turns status into UC3_EXIT_ERROR. Unless status is
 * UC3_EXIT_ERROR, then warn on stderr, once each, of the years the
 * command counted business time in without a holiday listed for them
 * (uc3_calendar_unlisted). Returns the status to exit with.
 */
int uc3_tool_finish(int status);

/*
 * The directory holding the installed data (records/, templates/):
 * $UC3_DATADIR, else share/uc3 found relative to the running program
 * (../share/uc3 or ../../share/uc3). NULL when none is found. Static.
 */
const char *uc3_tool_datadir(void);

/* The directory of the running program (no trailing slash). Static. */
const char *uc3_tool_exedir(void);

/* True when stdout is a terminal and colour is wanted (NO_COLOR unset, TERM not dumb). */
bool uc3_tool_color(void);

/* Parse --format: text, json (and csv when csv_ok). Returns 0 or -1 after an error message. */
/* UC3_FORMAT_IDS: one ticket id a line (uc3 list --format ids). */
enum uc3_format { UC3_FORMAT_TEXT, UC3_FORMAT_JSON, UC3_FORMAT_CSV, UC3_FORMAT_IDS };
int uc3_tool_format(enum uc3_format *out, const char *arg, bool csv_ok);

#endif
