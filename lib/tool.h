#ifndef UC3_TOOL_H
#define UC3_TOOL_H

#include <stdbool.h>

/*
 * Plumbing shared by the tools' main()s: the program name in messages,
 * one-line errors on stderr, exit statuses (DESIGN section 8), a checked
 * flush of stdout, and where the installed data lives.
 */

enum {
	UC3_EXIT_OK = 0,
	UC3_EXIT_NEGATIVE = 1,
	UC3_EXIT_ERROR = 2
};

/* Set the name used in messages, "uc3 new". */
void uc3_tool_init(const char *name);
const char *uc3_tool_name(void);

/* "uc3 new: <message>" on stderr. */
void uc3_tool_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* "uc3 new: warning: <message>" on stderr. */
void uc3_tool_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * For getopt_long run with opterr = 0 and an optstring starting with ':':
 * say what was wrong with the option just read (ch is '?' or ':') in one
 * line, "uc3 new: unknown option --bogus".
 */
void uc3_tool_bad_option(int ch, char *const argv[]);

/* Print "uc3 VERSION" on stdout and return the exit status for it. */
int uc3_tool_version(void);

/* Print uc3_error_last() as an error and return UC3_EXIT_ERROR. */
int uc3_tool_fail(void);

/*
 * Flush stdout and check it: a write error (a full disk, a closed pipe
 * other than EPIPE) turns status into UC3_EXIT_ERROR. Returns the status
 * to exit with.
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

struct uc3_act;

/*
 * The body of escalate, answer, deliver and close once their options are
 * read: open the records repository at dir (NULL: found as usual), read
 * the answer when act is an answer without text (from file, standard
 * input or the editor), do act on ticket id, print what was done in one
 * line. Returns the exit status.
 */
int uc3_tool_step(const char *dir, const char *id, struct uc3_act *act, const char *file);

/*
 * What tells the four step commands apart: their action, their usage
 * and help text, and which of the shared options they take ("m" note or
 * answer text, "F" a file for the answer, "u" the unit, "S" --send, not
 * there yet). -C, -h and --version are every command's.
 */
struct uc3_step_cmd {
	const char *name;		/* "uc3 escalate" */
	int action;			/* enum uc3_action */
	const char *usage;		/* the SYNOPSIS line, "usage: ..." */
	const char *help;		/* what --help adds after the usage */
	const char *options;		/* of "mFuS" */
};

/* main() of escalate, answer, deliver and close. Returns the exit status. */
int uc3_tool_step_main(int argc, char **argv, const struct uc3_step_cmd *cmd);

/* Parse --format: text, json (and csv when csv_ok). Returns 0 or -1 after an error message. */
enum uc3_format { UC3_FORMAT_TEXT, UC3_FORMAT_JSON, UC3_FORMAT_CSV };
int uc3_tool_format(enum uc3_format *out, const char *arg, bool csv_ok);

#endif
