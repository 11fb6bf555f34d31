#ifndef UC3_OPT_H
#define UC3_OPT_H

#include <stdbool.h>
#include <stdio.h>

#include "buf.h"

/*
 * The options of a tool, read from a table, as git's parse-options does:
 * a tool declares what each option is (its letter, its long name, what
 * kind of value it takes, where the value goes, a line of help), and
 * uc3_opt_parse reads argv with getopt_long, fills in the values, prints
 * --help (the usage and the option lines, made from the table) and
 * --version, and refuses a bad option with one line and the usage on
 * stderr. This is tool plumbing, as tool.h is: it writes to stdout and
 * stderr, and it never calls exit().
 */

enum uc3_opt_kind {
	UC3_OPT_END = 0, /* ends the table */
	UC3_OPT_BOOL,	 /* no value: *(bool *)value = true */
	UC3_OPT_SET_INT, /* no value: *(int *)value = defval */
	UC3_OPT_STRING,	 /* *(const char **)value = the argument (the last one given) */
	UC3_OPT_LONG,	 /* *(long *)value = the argument as a decimal integer */
	UC3_OPT_CALLBACK /* cb(opt, the argument); cb(opt, NULL) when argh is NULL (no value) */
};

struct uc3_opt;

/*
 * What a callback returns: 0 to go on; -1 after it said what is wrong
 * (uc3_tool_error), and the tool stops with UC3_EXIT_ERROR; UC3_OPT_STOP
 * when it has done all there was to do (printed a listing, say), and the
 * tool stops with status 0.
 */
#define UC3_OPT_STOP 1
typedef int (*uc3_opt_cb)(const struct uc3_opt *opt, const char *arg);

struct uc3_opt {
	enum uc3_opt_kind kind;
	int short_name;	       /* 'm', or 0 for none */
	const char *long_name; /* "message", or NULL for none */
	void *value;	       /* where the value goes; the callback's context */
	const char *argh;      /* the value in --help: "TEXT", "FILE" */
	const char *help;      /* one or more lines, in English (translated where printed); NULL:
				  not listed in --help */
	long defval;	       /* SET_INT: the value set; LONG: 1 for a positive number */
	uc3_opt_cb cb;	       /* CALLBACK */
	const char *missing;   /* "option -C needs <missing>", marked N_(); NULL: "a value" */
};

#define UC3_OPT_BOOL(s, l, v, h)                                                                   \
	{                                                                                          \
		UC3_OPT_BOOL, (s), (l), (v), NULL, (h), 0, NULL, NULL                              \
	}
#define UC3_OPT_SET_INT(s, l, v, i, h)                                                             \
	{                                                                                          \
		UC3_OPT_SET_INT, (s), (l), (v), NULL, (h), (i), NULL, NULL                         \
	}
#define UC3_OPT_STRING(s, l, v, a, h)                                                              \
	{                                                                                          \
		UC3_OPT_STRING, (s), (l), (v), (a), (h), 0, NULL, NULL                             \
	}
#define UC3_OPT_LONG(s, l, v, a, h)                                                                \
	{                                                                                          \
		UC3_OPT_LONG, (s), (l), (v), (a), (h), 0, NULL, NULL                               \
	}
#define UC3_OPT_POSITIVE(s, l, v, a, h)                                                            \
	{                                                                                          \
		UC3_OPT_LONG, (s), (l), (v), (a), (h), 1, NULL, NULL                               \
	}
#define UC3_OPT_CALLBACK(s, l, v, a, h, f)                                                         \
	{                                                                                          \
		UC3_OPT_CALLBACK, (s), (l), (v), (a), (h), 0, (f), NULL                            \
	}
#define UC3_OPT_END()                                                                              \
	{                                                                                          \
		UC3_OPT_END, 0, NULL, NULL, NULL, NULL, 0, NULL, NULL                              \
	}

/*
 * -C DIR, the records repository, as most tools take it. Its help is a
 * string of opt.c, where xgettext finds it (it reads no headers).
 */
extern const char uc3_opt_dir_help[];
#define UC3_OPT_DIR(v) UC3_OPT_STRING('C', NULL, (v), "DIR", uc3_opt_dir_help)
/* --format FMT, text or json (uc3_tool_format), into an enum uc3_format. */
#define UC3_OPT_FORMAT(v, h) UC3_OPT_CALLBACK(0, "format", (v), "FMT", (h), uc3_opt_format)

/* Flags of a command. */
enum {
	/* Options end at the first argument that is not one (a dispatcher's command). */
	UC3_OPT_STOP_AT_ARG = 1 << 0,
	/* The command takes options only: any other argument is a usage error. */
	UC3_OPT_NO_ARGS = 1 << 1
};

/*
 * A command: its name in messages, its SYNOPSIS, the text --help puts
 * before and after the options, and its options. The texts for people
 * (about, footer, each option's help and missing) are the English,
 * marked with N_() where no UC3_OPT_* keyword finds them; uc3_opt_help
 * and the option errors translate them (i18n.h). The usage lines are
 * not translated.
 */
struct uc3_opt_cmd {
	const char *name;	       /* "uc3 list" */
	const char *const *usage;      /* lines, NULL-terminated: "usage: " comes before the first,
					  7 spaces before the others */
	const char *about;	       /* --help, before the options; NULL for none */
	const char *footer;	       /* --help, after the options: "See uc3-list(1).\n" */
	const struct uc3_opt *options; /* ends with UC3_OPT_END() */
	unsigned flags;
};

/*
 * Read the options of argv by cmd's table; it also sets the name in
 * messages (uc3_tool_init). -h and --help print the usage and the option
 * lines on stdout, --version the version, unless the table has options of
 * those names; --completion-helper, as the first argument and spelt out
 * in full (it is not one of getopt's, so that it takes no abbreviation
 * away from the others), prints uc3_opt_completion. Options may come
 * between the other arguments (GNU getopt order), unless cmd has
 * UC3_OPT_STOP_AT_ARG; "--" ends them.
 *
 * Returns the number of the other arguments, which are moved to
 * argv[0..n) (argv[n] is NULL); or -1 when the tool is done and should
 * return *status: 0 after --help, --version or --completion-helper (2 if
 * stdout failed), or UC3_EXIT_ERROR after a bad option or value, said on
 * stderr.
 */
int uc3_opt_parse(int argc, char **argv, const struct uc3_opt_cmd *cmd, int *status);

/*
 * What `uc3 CMD --completion-helper` prints (uc3_opt_parse does, when
 * that is the first argument, and stops): for the shell's completion
 * (completion/uc3.bash), each option of cmd's table that --help lists,
 * one a line, and -h, --help and --version unless the table has its own.
 * A line is the option's names ("-k --kind", "--mine", "-C"); then, when
 * it takes a value, a tab and the value's name in --help ("KIND"); then,
 * when the values are few and fixed, a tab and them, "|" between: from
 * the value's name ("spam|duplicate") or from the usage
 * ("[--format text|json|ids]"). Appended to out.
 */
void uc3_opt_completion(struct uc3_buf *out, const struct uc3_opt_cmd *cmd);

/* Print the usage lines of cmd to f ("usage: uc3 list ..."). */
void uc3_opt_usage(const struct uc3_opt_cmd *cmd, FILE *f);

/* Append what --help prints: the usage, cmd->about, the options, cmd->footer. */
void uc3_opt_help(struct uc3_buf *out, const struct uc3_opt_cmd *cmd);

/*
 * Bad usage found after the options were read (a missing or extra
 * argument): "uc3 list: <message>" and the usage on stderr. Returns
 * UC3_EXIT_ERROR.
 */
int uc3_opt_usage_error(const struct uc3_opt_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Callback for --format: value is an enum uc3_format *, text or json. */
int uc3_opt_format(const struct uc3_opt *opt, const char *arg);

/*
 * Several -m, as paragraphs: each value is added to buf, after a blank
 * line when buf already holds text. given tells -m from no -m at all
 * (even -m '').
 */
struct uc3_opt_text {
	struct uc3_buf buf;
	bool given;
};
#define UC3_OPT_TEXT_INIT                                                                          \
	{                                                                                          \
		UC3_BUF_INIT, false                                                                \
	}

/* Callback adding arg to value, a struct uc3_opt_text. */
int uc3_opt_text(const struct uc3_opt *opt, const char *arg);

#endif
