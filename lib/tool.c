#include "tool.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "calendar.h"
#include "error.h"
#include "remote.h"
#include "utf8.h"

static const char *progname = "uc3";

void
uc3_tool_init(const char *name)
{
	progname = name;
}

const char *
uc3_tool_name(void)
{
	return progname;
}

/*
 * Messages quote what people typed and what files hold, and either can
 * hold a line break or an escape sequence: uc3_utf8_escape writes every
 * control character as \xNN, so an error is always one line and never
 * drives the terminal.
 */
static void
put_message(const char *prefix, const char *fmt, va_list ap)
{
	struct uc3_buf b = UC3_BUF_INIT, safe = UC3_BUF_INIT;

	uc3_buf_vaddf(&b, fmt, ap);
	uc3_utf8_escape(&safe, b.ptr, UC3_UTF8_MESSAGE);
	fflush(stdout);
	fprintf(stderr, "%s: %s%s\n", progname, prefix, safe.ptr);
	uc3_buf_release(&b);
	uc3_buf_release(&safe);
}

void
uc3_tool_error(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_message("", fmt, ap);
	va_end(ap);
}

void
uc3_tool_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_message("warning: ", fmt, ap);
	va_end(ap);
}

void
uc3_tool_freshen(struct uc3_store *st)
{
	const char *off = getenv("UC3_NO_FETCH");
	char *w, *line, *next;

	/* Shell completion must not wait on the network, nor warn onto the command line. */
	if (off && *off)
		return;
	w = uc3_remote_freshen(st);

	for (line = w; line; line = next) {
		if ((next = strchr(line, '\n')))
			*next++ = '\0';
		uc3_tool_warn("%s", line);
	}
	free(w);
}

void
uc3_tool_put(struct uc3_buf *b)
{
	fwrite(b->ptr, 1, b->len, stdout);
	uc3_buf_release(b);
}

int
uc3_tool_fail(void)
{
	uc3_tool_error("%s", uc3_error_last());
	return UC3_EXIT_ERROR;
}

/*
 * The years the calendar met without holidays (calendar.h), each once,
 * after what the command printed and on stderr only, so that they never
 * come between an id and the script reading it. An error keeps its one
 * line alone.
 */
static void
warn_unlisted_years(void)
{
	int years[UC3_CALENDAR_UNLISTED_MAX];
	size_t n = uc3_calendar_unlisted(years, UC3_CALENDAR_UNLISTED_MAX), i;

	for (i = 0; i < n && i < UC3_CALENDAR_UNLISTED_MAX; i++)
		uc3_tool_warn("%s lists no holidays for %d (calendar.holidays); every weekday of "
			      "%d counts as a working day",
			      UC3_POLICY_FILE, years[i], years[i]);
	uc3_calendar_unlisted_clear();
}

int
uc3_tool_finish(int status)
{
	if (fflush(stdout) != 0 || ferror(stdout)) {
		/* A reader that went away (EPIPE) is not our failure. */
		if (errno != EPIPE) {
			fprintf(stderr, "%s: cannot write to standard output: %s\n", progname,
				strerror(errno));
			return UC3_EXIT_ERROR;
		}
	}
	if (status != UC3_EXIT_ERROR)
		warn_unlisted_years();
	return status;
}

const char *
uc3_tool_exedir(void)
{
	static char dir[PATH_MAX];
	ssize_t n;
	char *slash;

	if (dir[0])
		return dir;
	n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
	if (n <= 0) {
		strcpy(dir, ".");
		return dir;
	}
	dir[n] = '\0';
	slash = strrchr(dir, '/');
	if (slash && slash != dir)
		*slash = '\0';
	return dir;
}

static bool
is_dir(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

const char *
uc3_tool_datadir(void)
{
	static char dir[PATH_MAX];
	static const char *const rel[] = { "/../share/uc3", "/../../share/uc3" };
	const char *env = getenv("UC3_DATADIR");
	size_t i;

	if (env && *env)
		return env;
	if (dir[0])
		return dir;
	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		struct uc3_buf probe = UC3_BUF_INIT;
		bool found;

		uc3_buf_addf(&probe, "%s%s/records", uc3_tool_exedir(), rel[i]);
		found = is_dir(probe.ptr);
		uc3_buf_setlen(&probe, probe.len - strlen("/records"));
		if (found && !realpath(probe.ptr, dir) && probe.len < sizeof(dir))
			memcpy(dir, probe.ptr, probe.len + 1);
		uc3_buf_release(&probe);
		if (found && dir[0])
			return dir;
	}
	return NULL;
}

bool
uc3_tool_color(void)
{
	const char *term = getenv("TERM");

	if (getenv("NO_COLOR"))
		return false;
	if (!term || !strcmp(term, "dumb"))
		return false;
	return isatty(STDOUT_FILENO);
}

int
uc3_tool_format(enum uc3_format *out, const char *arg, bool csv_ok)
{
	if (!strcmp(arg, "text"))
		*out = UC3_FORMAT_TEXT;
	else if (!strcmp(arg, "json"))
		*out = UC3_FORMAT_JSON;
	else if (csv_ok && !strcmp(arg, "csv"))
		*out = UC3_FORMAT_CSV;
	else {
		uc3_tool_error("unknown format '%s': use text%s or json", arg,
			       csv_ok ? ", csv" : "");
		return -1;
	}
	return 0;
}
