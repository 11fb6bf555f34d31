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

#include "tool.h"
#include "xalloc.h"

static const struct {
	const char *name;
	const char *what;
} known[] = {
	{ "init", "create a records repository" },
	{ "new", "register a question, complaint or suggestion" },
	{ "escalate", "pass a ticket one level up the chain" },
	{ "answer", "record the answer of the level that holds a ticket" },
	{ "deliver", "record that the answer reached the requester" },
	{ "close", "archive a ticket (the SOP's step 3)" },
	{ "show", "show one ticket, its state and deadline" },
	{ "list", "list tickets, one a line" },
	{ "log", "the history of tickets from git" },
	{ "overdue", "every open step past its deadline" },
	{ "person", "the people of the policy: roles and signing keys" },
	{ "setup", "set up an account to work on the records, signing" },
	{ "verify", "audit the history" },
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: uc3 [-C dir] command [args ...]\n"
		   "       uc3 help [command]\n"
		   "       uc3 --version\n");
}

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
			return known[i].what;
	return "";
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* List every uc3-* program found, each once, the first found winning. */
static int
list_commands(void)
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

			if (strncmp(de->d_name, "uc3-", 4) || !de->d_name[4])
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
	qsort(names, count, sizeof(*names), cmp_str);
	usage(stdout);
	printf("\nCommands (see uc3 help COMMAND, or man uc3-COMMAND):\n");
	for (i = 0; i < count; i++) {
		printf("   %-10s %s\n", names[i], describe(names[i]));
		free(names[i]);
	}
	free(names);
	return uc3_tool_finish(0);
}

static bool
valid_command(const char *cmd)
{
	const char *p;

	if (!*cmd)
		return false;
	for (p = cmd; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_'))
			return false;
	return true;
}

int
main(int argc, char **argv)
{
	const char *dir = NULL;
	const char *cmd;
	char *tool;
	char **nargv;
	int i = 1, j, k;

	uc3_tool_init("uc3");
	while (i < argc && argv[i][0] == '-') {
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			return list_commands();
		} else if (!strcmp(argv[i], "--version")) {
			printf("uc3 %s\n", UC3_VERSION);
			return uc3_tool_finish(0);
		} else if (!strcmp(argv[i], "-C")) {
			if (i + 1 >= argc) {
				uc3_tool_error("option -C needs a directory");
				usage(stderr);
				return UC3_EXIT_ERROR;
			}
			dir = argv[i + 1];
			i += 2;
		} else if (!strncmp(argv[i], "-C", 2)) {
			dir = argv[i] + 2;
			i++;
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else {
			uc3_tool_error("unknown option %s", argv[i]);
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return UC3_EXIT_ERROR;
	}
	cmd = argv[i++];
	if (!strcmp(cmd, "help")) {
		if (i >= argc)
			return list_commands();
		cmd = argv[i];
		if (!valid_command(cmd) || !(tool = find_tool(cmd))) {
			uc3_tool_error("'%s' is not a uc3 command; see uc3 help", cmd);
			return UC3_EXIT_ERROR;
		}
		execl(tool, tool, "--help", (char *)NULL);
		uc3_tool_error("cannot run %s: %s", tool, strerror(errno));
		return UC3_EXIT_ERROR;
	}
	if (!valid_command(cmd) || !(tool = find_tool(cmd))) {
		uc3_tool_error("'%s' is not a uc3 command; see uc3 help", cmd);
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
