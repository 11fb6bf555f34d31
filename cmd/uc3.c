/*
 * uc3: the dispatcher. `uc3 CMD ARGS` runs uc3-CMD, found beside this
 * program, then in ../libexec/uc3, then on PATH, as git does, so an office
 * can add its own uc3-foo.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "i18n.h"
#include "opt.h"
#include "tool.h"
#include "xalloc.h"

/* -C: passed on to the command. */
static const char *dir;

static const struct {
	const char *name;
	const char *what; /* N_(): translated where printed */
} known[] = {
	{ "init", N_("create a records repository") },
	{ "new", N_("register a question, complaint or suggestion") },
	{ "escalate", N_("pass a ticket one level up the chain") },
	{ "answer", N_("record the answer of the level that holds a ticket") },
	{ "deliver", N_("record that the answer reached the requester") },
	{ "close", N_("archive a ticket (the SOP's step 3)") },
	{ "edit", N_("correct a ticket's subject, kind, channel, requester, unit or body") },
	{ "reopen", N_("put an answered, delivered or closed ticket back on the chain") },
	{ "attach", N_("keep scanned letters, screenshots and other files with a ticket") },
	{ "show", N_("show tickets, their state and deadline") },
	{ "list", N_("list tickets, one a line") },
	{ "log", N_("the history of tickets from git") },
	{ "overdue", N_("every open step past its deadline") },
	{ "report", N_("the figures of a period: every step against its time standard") },
	{ "person", N_("the people of the policy: roles and signing keys") },
	{ "setup", N_("set up an account to work on the records, signing") },
	{ "verify", N_("audit the history") },
	{ "sync", N_("send what waits for the central repository; set aside what it refuses") },
	{ "complete", N_("the words of the shell's completion, from the policy") },
};

static const char *const usage[] = { "uc3 [-C dir] command [args ...]", "uc3 help [command]",
				     "uc3 --version", NULL };

static bool
executable(const char *p)
{
	struct stat sb;

	return stat(p, &sb) == 0 && S_ISREG(sb.st_mode) && access(p, X_OK) == 0;
}

/* The directories searched for uc3-* programs, in order. */
static size_t
search_dirs(char dirs[][PATH_MAX], size_t max)
{
	const char *path = getenv("PATH");
	size_t n = 0;

	snprintf(dirs[n++], PATH_MAX, "%s", uc3_tool_exedir());
	snprintf(dirs[n++], PATH_MAX, "%s/../libexec/uc3", uc3_tool_exedir());
	while (path && *path && n < max) {
		const char *c = strchr(path, ':');
		size_t len = c ? (size_t)(c - path) : strlen(path);

		if (len && len < PATH_MAX)
			snprintf(dirs[n++], PATH_MAX, "%.*s", (int)len, path);
		path = c ? c + 1 : NULL;
	}
	return n;
}

static char *
find_tool(const char *cmd)
{
	static char dirs[64][PATH_MAX];
	size_t n = search_dirs(dirs, 64), i;
	char p[PATH_MAX + 300];

	for (i = 0; i < n; i++) {
		snprintf(p, sizeof(p), "%s/uc3-%s", dirs[i], cmd);
		if (executable(p))
			return uc3_xstrdup(p);
	}
	return NULL;
}

static const char *
describe(const char *cmd)
{
	size_t i;

	for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i].name, cmd))
			return _(known[i].what);
	return "";
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int list_commands(const struct uc3_opt *opt, const char *arg);
static int list_cmds(const struct uc3_opt *opt, const char *arg);

/*
 * -h and -C have help only for the shell's completion (uc3_opt_completion),
 * --list-cmds none: the dispatcher's --help is the list of commands.
 */
static const struct uc3_opt options[] = {
	UC3_OPT_CALLBACK('h', "help", NULL, NULL, "the commands", list_commands),
	{ .kind = UC3_OPT_STRING,
	  .short_name = 'C',
	  .value = &dir,
	  .argh = "DIR",
	  .help = N_("run as if started in DIR"),
	  .missing = N_("a directory") },
	UC3_OPT_CALLBACK(0, "list-cmds", NULL, NULL, NULL, list_cmds),
	UC3_OPT_END()
};

static const struct uc3_opt_cmd cmd = { "uc3", usage, NULL, NULL, options, UC3_OPT_STOP_AT_ARG };

/* A name uc3 runs as a command: lower case letters, digits, - and _. */
static bool
valid_command(const char *cmd)
{
	const char *p;

	if (!*cmd)
		return false;
	for (p = cmd; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
		      *p == '_'))
			return false;
	return true;
}

/*
 * Every uc3-* program found, each once, the first found winning, by
 * name (without "uc3-"), sorted, into *out; returns their number. Free
 * each name and the array.
 */
static size_t
find_commands(char ***out)
{
	static char dirs[64][PATH_MAX];
	size_t n = search_dirs(dirs, 64), i, j, count = 0, alloc = 0;
	char **names = NULL;

	for (i = 0; i < n; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;

		if (!d)
			continue;
		while ((de = readdir(d))) {
			char p[PATH_MAX + 300];
			bool dup = false;

			/* Only what uc3 NAME would run. */
			if (strncmp(de->d_name, "uc3-", 4) || !valid_command(de->d_name + 4))
				continue;
			snprintf(p, sizeof(p), "%s/%s", dirs[i], de->d_name);
			if (!executable(p))
				continue;
			for (j = 0; j < count; j++)
				if (!strcmp(names[j], de->d_name + 4))
					dup = true;
			if (dup)
				continue;
			uc3_xgrow((void **)&names, &alloc, count + 1, sizeof(*names));
			names[count++] = uc3_xstrdup(de->d_name + 4);
		}
		closedir(d);
	}
	if (count)
		qsort(names, count, sizeof(*names), cmp_str);
	*out = names;
	return count;
}

/* -h, --help and uc3 help: usage and every command found. */
static int
list_commands(const struct uc3_opt *opt, const char *arg)
{
	char **names;
	size_t count = find_commands(&names), i;

	uc3_opt_usage(&cmd, stdout);
	printf("\n%s\n", _("Commands (see uc3 help COMMAND, or man uc3-COMMAND):"));
	for (i = 0; i < count; i++) {
		printf("   %-10s %s\n", names[i], describe(names[i]));
		free(names[i]);
	}
	free(names);
	return UC3_OPT_STOP;
}

/*
 * --list-cmds, for the shell's completion, as git's: every command found
 * and help, one a line, sorted.
 */
static int
list_cmds(const struct uc3_opt *opt, const char *arg)
{
	char **names;
	size_t count = find_commands(&names), i;
	bool help = false;

	for (i = 0; i < count; i++) {
		if (!help && strcmp(names[i], "help") >= 0) {
			if (strcmp(names[i], "help"))
				puts("help");
			help = true;
		}
		puts(names[i]);
		free(names[i]);
	}
	if (!help)
		puts("help");
	free(names);
	return UC3_OPT_STOP;
}

int
main(int argc, char **argv)
{
	const char *name;
	char *tool;
	char **nargv;
	int i = 0, j, k, status;

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &status)) < 0)
		return status;
	if (argc == 0) {
		uc3_opt_usage(&cmd, stderr);
		return UC3_EXIT_ERROR;
	}
	name = argv[i++];
	if (!strcmp(name, "help")) {
		if (i >= argc) {
			list_commands(NULL, NULL);
			return uc3_tool_finish(0);
		}
		name = argv[i];
		if (!valid_command(name) || !(tool = find_tool(name))) {
			uc3_tool_error("'%s' is not a uc3 command; see uc3 help", name);
			return UC3_EXIT_ERROR;
		}
		execl(tool, tool, "--help", (char *)NULL);
		uc3_tool_error("cannot run %s: %s", tool, strerror(errno));
		return UC3_EXIT_ERROR;
	}
	if (!valid_command(name) || !(tool = find_tool(name))) {
		uc3_tool_error("'%s' is not a uc3 command; see uc3 help", name);
		return UC3_EXIT_ERROR;
	}
	nargv = uc3_xcalloc((size_t)argc + 3, sizeof(*nargv));
	k = 0;
	nargv[k++] = tool;
	if (dir) {
		nargv[k++] = "-C";
		nargv[k++] = (char *)dir;
	}
	for (j = i; j < argc; j++)
		nargv[k++] = argv[j];
	nargv[k] = NULL;
	execv(tool, nargv);
	uc3_tool_error("cannot run %s: %s", tool, strerror(errno));
	return UC3_EXIT_ERROR;
}
