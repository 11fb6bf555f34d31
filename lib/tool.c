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
#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "utf8.h"

static const char *progname = "uc3";

void
uc3_tool_init(const char *name)
{
	progname = name;
	uc3_i18n_init();
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
 * drives the terminal. The format and the prefix are translated here
 * (i18n.h): callers pass the English.
 */
static void
put_message(const char *prefix, const char *fmt, va_list ap)
{
	struct uc3_buf b = UC3_BUF_INIT, safe = UC3_BUF_INIT;

	uc3_buf_vaddf(&b, uc3_i18n_tr(fmt), ap);
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
	/* TRANSLATORS: before a warning, "uc3 new: warning: <message>". */
	put_message(_("warning: "), fmt, ap);
	va_end(ap);
}

void
uc3_tool_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	put_message("", fmt, ap);
	va_end(ap);
}

void
uc3_tool_put(struct uc3_buf *b)
{
	fwrite(b->ptr, 1, b->len, stdout);
	uc3_buf_release(b);
}

/* Write len bytes of data to fd; -1 with errno on failure. */
static int
write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			if (n == 0)
				errno = EIO;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

int
uc3_tool_output_check(const char *path)
{
	struct stat sb;

	if (!*path) {
		uc3_tool_error("no file name to write to");
		return -1;
	}
	if (stat(path, &sb) == 0 && S_ISDIR(sb.st_mode)) {
		uc3_tool_error("'%s' is a directory: give a file to write", path);
		return -1;
	}
	return 0;
}

int
uc3_tool_write_file(const char *path, struct uc3_buf *b)
{
	struct uc3_buf tmp = UC3_BUF_INIT;
	const char *slash = strrchr(path, '/');
	mode_t mask;
	int fd, rc = -1;

	if (uc3_tool_output_check(path) < 0)
		goto out;
	/* Beside it, so that the rename stays on one file system. */
	if (slash)
		uc3_buf_addf(&tmp, "%.*s/.%s.XXXXXX", (int)(slash - path), path, slash + 1);
	else
		uc3_buf_addf(&tmp, ".%s.XXXXXX", path);
	if ((fd = mkstemp(tmp.ptr)) < 0) {
		uc3_tool_error("cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	/* mkstemp makes it 0600: give it what a new file gets. */
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, b->ptr, b->len) < 0) {
		uc3_tool_error("cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(tmp.ptr);
		goto out;
	}
	if (close(fd) < 0 || rename(tmp.ptr, path) < 0) {
		uc3_tool_error("cannot write '%s': %s", path, strerror(errno));
		unlink(tmp.ptr);
		goto out;
	}
	rc = 0;
out:
	uc3_buf_release(&tmp);
	uc3_buf_release(b);
	return rc;
}

int
uc3_tool_date(time_t *out, const char *what, const char *arg, const char *tz)
{
	if (uc3_clock_parse(out, arg, tz) == 0)
		return 0;
	uc3_tool_error("%s '%s' is not a date: use a day such as 2026-11-01, a local time such as "
		       "'2026-11-01 09:00', or an RFC 3339 time such as 2026-11-01T09:00:00+07:00",
		       what, arg);
	return -1;
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
			fprintf(stderr, _("%s: cannot write to standard output: %s\n"), progname,
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
		uc3_tool_error(csv_ok ? N_("unknown format '%s': use text, csv or json")
				      : N_("unknown format '%s': use text or json"),
			       arg);
		return -1;
	}
	return 0;
}
