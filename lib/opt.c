#include "opt.h"

#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "i18n.h"
#include "tool.h"
#include "utf8.h"
#include "xalloc.h"

/* getopt_long's value of an option without a letter: this plus its index. */
#define LONG_ONLY   256
#define VAL_HELP    'h'
#define VAL_VERSION (LONG_ONLY - 1)

const char uc3_opt_dir_help[] = N_("the records repository");

/* An option whose spec in --help is wider than this does not widen the column. */
#define SPEC_WIDE 24

static size_t
count(const struct uc3_opt *o)
{
	size_t n = 0;

	while (o[n].kind != UC3_OPT_END)
		n++;
	return n;
}

static bool
takes_value(const struct uc3_opt *o)
{
	return o->kind == UC3_OPT_STRING || o->kind == UC3_OPT_LONG ||
	       (o->kind == UC3_OPT_CALLBACK && o->argh);
}

static bool
has_short(const struct uc3_opt *opts, int c)
{
	for (; opts->kind != UC3_OPT_END; opts++)
		if (opts->short_name == c)
			return true;
	return false;
}

static bool
has_long(const struct uc3_opt *opts, const char *name)
{
	for (; opts->kind != UC3_OPT_END; opts++)
		if (opts->long_name && !strcmp(opts->long_name, name))
			return true;
	return false;
}

/*
 * The texts of a command's table are translated where they are printed
 * (uc3_i18n_tr): the tables mark theirs with N_() (i18n.h) or by the
 * UC3_OPT_* keywords.
 */

/*
 * The usage lines: "usage: " before the first, its width of blanks
 * before the others. The lines themselves are the SYNOPSIS, not
 * translated.
 */
static void
usage_lines(struct uc3_buf *out, const struct uc3_opt_cmd *cmd)
{
	/* TRANSLATORS: before the synopsis of a command, "usage: uc3 list [-C DIR] ...". */
	const char *head = _("usage: ");
	int w = (int)uc3_utf8_width(head);
	size_t i;

	for (i = 0; cmd->usage[i]; i++)
		uc3_buf_addf(out, "%*s%s\n", i ? w : 0, i ? "" : head, cmd->usage[i]);
}

void
uc3_opt_usage(const struct uc3_opt_cmd *cmd, FILE *f)
{
	struct uc3_buf b = UC3_BUF_INIT;

	usage_lines(&b, cmd);
	fputs(b.ptr, f);
	uc3_buf_release(&b);
}

/* "  -m, --message TEXT": how an option is named in --help. */
static void
spec(struct uc3_buf *b, const struct uc3_opt *o)
{
	uc3_buf_adds(b, "  ");
	if (o->short_name && o->long_name)
		uc3_buf_addf(b, "-%c, --%s", o->short_name, o->long_name);
	else if (o->short_name)
		uc3_buf_addf(b, "-%c", o->short_name);
	else
		uc3_buf_addf(b, "    --%s", o->long_name);
	if (o->argh)
		uc3_buf_addf(b, " %s", o->argh);
}

static size_t
longest_line(const char *s)
{
	size_t max = 0, len;

	for (; *s; s += len + (s[len] == '\n')) {
		len = strcspn(s, "\n");
		if (len > max)
			max = len;
	}
	return max;
}

void
uc3_opt_help(struct uc3_buf *out, const struct uc3_opt_cmd *cmd)
{
	const struct uc3_opt *o;
	struct uc3_buf s = UC3_BUF_INIT;
	size_t width = 0, text = 0, i;

	usage_lines(out, cmd);
	if (cmd->about)
		uc3_buf_addf(out, "\n%s", uc3_i18n_tr(cmd->about));
	/*
	 * The help text starts three columns past the longest option, or two
	 * when three would take a line past 80 columns.
	 */
	for (o = cmd->options; o->kind != UC3_OPT_END; o++) {
		if (!o->help)
			continue;
		uc3_buf_reset(&s);
		spec(&s, o);
		if (s.len <= SPEC_WIDE && s.len + 3 > width)
			width = s.len + 3;
		if (longest_line(uc3_i18n_tr(o->help)) > text)
			text = longest_line(uc3_i18n_tr(o->help));
	}
	if (width && width + text > 80)
		width--;
	if (width)
		uc3_buf_addch(out, '\n');
	for (o = cmd->options; o->kind != UC3_OPT_END; o++) {
		const char *h = uc3_i18n_tr(o->help);

		if (!h)
			continue;
		uc3_buf_reset(&s);
		spec(&s, o);
		uc3_buf_adds(out, s.ptr);
		/* Lines after the first start in the column too. */
		for (i = s.len; h; i = 0) {
			const char *nl = strchr(h, '\n');
			size_t len = nl ? (size_t)(nl - h) : strlen(h);

			uc3_buf_addf(out, "%*s%.*s\n", i + 2 > width ? 2 : (int)(width - i), "",
				     (int)len, h);
			h = nl ? nl + 1 : NULL;
		}
	}
	if (cmd->footer)
		uc3_buf_addf(out, "\n%s", uc3_i18n_tr(cmd->footer));
	uc3_buf_release(&s);
}

/*
 * The values of the long option name as the usage spells them,
 * "[--format text|json|ids]": the word after "--name ", when it holds a
 * "|", up to a blank or a bracket. Appended to out; false when there is
 * none.
 */
static bool
usage_values(struct uc3_buf *out, const struct uc3_opt_cmd *cmd, const char *name)
{
	size_t n = strlen(name), i;

	for (i = 0; cmd->usage[i]; i++) {
		const char *p = cmd->usage[i];

		while ((p = strstr(p, "--"))) {
			const char *v = p + 2 + n;
			size_t len;

			p += 2;
			if (strncmp(p, name, n) || *v != ' ')
				continue;
			len = strcspn(++v, " []");
			if (memchr(v, '|', len)) {
				uc3_buf_add(out, v, len);
				return true;
			}
		}
	}
	return false;
}

void
uc3_opt_completion(struct uc3_buf *out, const struct uc3_opt_cmd *cmd)
{
	const struct uc3_opt *o;

	if (!has_short(cmd->options, 'h') && !has_long(cmd->options, "help"))
		uc3_buf_adds(out, "-h --help\n");
	if (!has_long(cmd->options, "version"))
		uc3_buf_adds(out, "--version\n");
	for (o = cmd->options; o->kind != UC3_OPT_END; o++) {
		if (!o->help)
			continue;
		if (o->short_name)
			uc3_buf_addf(out, "-%c%s", o->short_name, o->long_name ? " " : "");
		if (o->long_name)
			uc3_buf_addf(out, "--%s", o->long_name);
		if (takes_value(o) && o->argh) {
			uc3_buf_addf(out, "\t%s", o->argh);
			if (strchr(o->argh, '|'))
				uc3_buf_addf(out, "\t%s", o->argh);
			else if (o->long_name) {
				uc3_buf_addch(out, '\t');
				if (!usage_values(out, cmd, o->long_name))
					uc3_buf_setlen(out, out->len - 1);
			}
		}
		uc3_buf_addch(out, '\n');
	}
}

int
uc3_opt_usage_error(const struct uc3_opt_cmd *cmd, const char *fmt, ...)
{
	struct uc3_buf b = UC3_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	uc3_buf_vaddf(&b, uc3_i18n_tr(fmt), ap);
	va_end(ap);
	uc3_tool_error("%s", b.ptr);
	uc3_buf_release(&b);
	uc3_opt_usage(cmd, stderr);
	return UC3_EXIT_ERROR;
}

/* "-n" or "--warn": the option as people know it from the usage. */
static void
name_of(struct uc3_buf *b, const struct uc3_opt *o)
{
	if (o->short_name)
		uc3_buf_addf(b, "-%c", o->short_name);
	else
		uc3_buf_addf(b, "--%s", o->long_name);
}

static int
get_long(const struct uc3_opt *o, const char *arg)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 10);
	if (errno || end == arg || *end || (o->defval && v <= 0)) {
		struct uc3_buf n = UC3_BUF_INIT;

		name_of(&n, o);
		if (o->defval)
			uc3_tool_error("%s needs a positive number, not '%s'", n.ptr, arg);
		else
			uc3_tool_error("%s needs a number, not '%s'", n.ptr, arg);
		uc3_buf_release(&n);
		return -1;
	}
	*(long *)o->value = v;
	return 0;
}

/* Give option o its value. Returns as a callback does. */
static int
apply(const struct uc3_opt *o, const char *arg)
{
	switch (o->kind) {
	case UC3_OPT_BOOL:
		*(bool *)o->value = true;
		return 0;
	case UC3_OPT_SET_INT:
		*(int *)o->value = (int)o->defval;
		return 0;
	case UC3_OPT_STRING:
		*(const char **)o->value = arg;
		return 0;
	case UC3_OPT_LONG:
		return get_long(o, arg);
	case UC3_OPT_CALLBACK:
		return o->cb(o, arg);
	case UC3_OPT_END:
		break;
	}
	return 0;
}

/*
 * What was wrong with the option getopt_long just read (ch is '?' or
 * ':'): "option -m needs a value", "unknown option --bogus". An option
 * is named as it was typed: a letter when it was given as one.
 */
static void
bad_option(int ch, char *const argv[], const struct uc3_opt *opts, size_t n)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "";
	bool as_letter = optopt && strncmp(arg, "--", 2);
	/* TRANSLATORS: what an option lacks, in "option -C needs a value". */
	const char *missing = _("a value");
	size_t i;

	if (ch != ':') {
		if (as_letter)
			uc3_tool_error("unknown option -%c", optopt);
		else
			uc3_tool_error("unknown option %s", arg);
		return;
	}
	for (i = 0; i < n; i++)
		if (opts[i].missing && (opts[i].short_name ? opts[i].short_name == optopt
							   : (int)(LONG_ONLY + i) == optopt))
			missing = uc3_i18n_tr(opts[i].missing);
	if (as_letter)
		uc3_tool_error("option -%c needs %s", optopt, missing);
	else
		uc3_tool_error("option %s needs %s", arg, missing);
}

int
uc3_opt_parse(int argc, char **argv, const struct uc3_opt_cmd *cmd, int *status)
{
	const struct uc3_opt *opts = cmd->options;
	size_t n = count(opts), i, k = 0;
	struct option *lo;
	struct uc3_buf shortopts = UC3_BUF_INIT;
	bool own_help = has_short(opts, 'h') || has_long(opts, "help");
	bool own_version = has_long(opts, "version");
	int ch, rc = 0, i_arg;

	uc3_tool_init(cmd->name);
	*status = UC3_EXIT_ERROR;
	if (argc > 1 && !strcmp(argv[1], "--completion-helper")) {
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_opt_completion(&b, cmd);
		fwrite(b.ptr, 1, b.len, stdout);
		uc3_buf_release(&b);
		*status = uc3_tool_finish(0);
		return -1;
	}
	lo = uc3_xcalloc(n + 3, sizeof(*lo));
	/* '+': stop at the first argument; ':': report a missing value as ':'. */
	uc3_buf_adds(&shortopts, cmd->flags & UC3_OPT_STOP_AT_ARG ? "+:" : ":");
	if (!own_help) {
		uc3_buf_addch(&shortopts, 'h');
		lo[k++] = (struct option){ "help", no_argument, NULL, VAL_HELP };
	}
	if (!own_version)
		lo[k++] = (struct option){ "version", no_argument, NULL, VAL_VERSION };
	for (i = 0; i < n; i++) {
		int val = opts[i].short_name ? opts[i].short_name : (int)(LONG_ONLY + i);
		int has_arg = takes_value(&opts[i]) ? required_argument : no_argument;

		if (opts[i].short_name)
			uc3_buf_addf(&shortopts, "%c%s", opts[i].short_name,
				     has_arg == required_argument ? ":" : "");
		if (opts[i].long_name)
			lo[k++] = (struct option){ opts[i].long_name, has_arg, NULL, val };
	}
	/* optind 0: glibc starts afresh, so that a second parse (the unit tests) works. */
	opterr = 0;
	optind = 0;
	while (rc == 0 && (ch = getopt_long(argc, argv, shortopts.ptr, lo, NULL)) != -1) {
		if (ch == '?' || ch == ':') {
			bad_option(ch, argv, opts, n);
			uc3_opt_usage(cmd, stderr);
			rc = -1;
			break;
		}
		if (ch == VAL_HELP && !own_help) {
			struct uc3_buf h = UC3_BUF_INIT;

			uc3_opt_help(&h, cmd);
			fwrite(h.ptr, 1, h.len, stdout);
			uc3_buf_release(&h);
			rc = UC3_OPT_STOP;
			break;
		}
		if (ch == VAL_VERSION && !own_version) {
			printf("uc3 %s\n", UC3_VERSION);
			rc = UC3_OPT_STOP;
			break;
		}
		for (i = 0; i < n; i++)
			if (opts[i].short_name ? opts[i].short_name == ch
					       : (int)(LONG_ONLY + i) == ch)
				break;
		if (i < n)
			rc = apply(&opts[i], takes_value(&opts[i]) ? optarg : NULL);
	}
	free(lo);
	uc3_buf_release(&shortopts);
	if (rc == UC3_OPT_STOP)
		*status = uc3_tool_finish(0);
	if (rc)
		return -1;
	/* The other arguments to the front, as git's parse_options leaves them. */
	for (i_arg = optind; i_arg < argc; i_arg++)
		argv[i_arg - optind] = argv[i_arg];
	argv[argc - optind] = NULL;
	if ((cmd->flags & UC3_OPT_NO_ARGS) && argc > optind) {
		*status = uc3_opt_usage_error(cmd, "unexpected argument '%s'", argv[0]);
		return -1;
	}
	*status = 0;
	return argc - optind;
}

int
uc3_opt_format(const struct uc3_opt *opt, const char *arg)
{
	return uc3_tool_format(opt->value, arg, false);
}

int
uc3_opt_text(const struct uc3_opt *opt, const char *arg)
{
	struct uc3_opt_text *t = opt->value;

	if (t->buf.len)
		uc3_buf_adds(&t->buf, "\n\n");
	uc3_buf_adds(&t->buf, arg);
	t->given = true;
	return 0;
}
