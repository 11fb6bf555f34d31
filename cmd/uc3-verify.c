/*
 * uc3 verify: audit the history; exit 1 with the commits that break the
 * rules. --pre-receive runs the same audit as a git hook.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "clock.h"
#include "error.h"
#include "json.h"
#include "store.h"
#include "tool.h"
#include "utf8.h"
#include "verify.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: uc3 verify [-C dir] [--format text|json] [--no-cache] [--pre-receive]\n"
		   "                  [--skew duration] [--trust commit] [rev-range]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "Audit the history of the records: every commit signed by a key the policy\n"
	       "gives its author, by a person whose role allows the step, changing exactly\n"
	       "what its trailers say, never rewriting an event. One line per finding,\n"
	       "then a summary. Exit 0 clean, 1 findings, 2 error.\n"
	       "\n"
	       "      --format FMT      text (default) or json\n"
	       "      --no-cache        check every commit again, even those found clean before\n"
	       "      --pre-receive     run as git's pre-receive hook: check what is pushed\n"
	       "      --skew DURATION   how far an event may be after its commit (default 5m)\n"
	       "      --trust COMMIT    require this commit to be the root of trust\n"
	       "  -C DIR                the records repository\n"
	       "\n"
	       "See uc3-verify(1).\n");
}

/*
 * Findings quote what commits and files hold (a ticket id, a subject, an
 * author), which can be anything: each is printed on one line with its
 * control characters escaped.
 */
static void
print_text(const struct uc3_verify_result *r, bool hook)
{
	FILE *out = stdout;
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	for (i = 0; i < r->nfindings; i++) {
		const struct uc3_finding *f = &r->findings[i];

		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, f->ticket ? f->ticket : "-");
		uc3_buf_adds(&b, ": ");
		uc3_utf8_cell(&b, f->what);
		fprintf(out, "%.7s %s\n", f->commit[0] ? f->commit : "-------", b.ptr);
	}
	if (!hook) {
		uc3_buf_reset(&b);
		uc3_utf8_cell(&b, r->root_signer);
		if (r->root[0])
			fprintf(out, "root of trust: %s by %s (%s)\n", r->root, b.ptr,
				r->root_signed ? "signed" : "not signed");
		else
			fprintf(out, "single-user mode: the policy lists no people, so signatures "
				     "and roles were not checked against anyone\n");
	}
	fprintf(out, "%zu commit%s checked", r->commits, r->commits == 1 ? "" : "s");
	if (r->cached)
		fprintf(out, " (%zu found clean before)", r->cached);
	fprintf(out, ", %zu finding%s\n", r->nfindings, r->nfindings == 1 ? "" : "s");
	uc3_buf_release(&b);
}

static void
print_json(const struct uc3_verify_result *r)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	uc3_buf_addf(&b, "{\"commits\":%zu,\"cached\":%zu,\"root\":", r->commits, r->cached);
	if (r->root[0]) {
		uc3_buf_adds(&b, "{\"commit\":");
		uc3_json_str(&b, r->root);
		uc3_buf_adds(&b, ",\"signer\":");
		uc3_json_str(&b, r->root_signer);
		uc3_buf_addf(&b, ",\"signed\":%s}", r->root_signed ? "true" : "false");
	} else {
		uc3_buf_adds(&b, "null");
	}
	uc3_buf_adds(&b, ",\"findings\":[");
	for (i = 0; i < r->nfindings; i++) {
		const struct uc3_finding *f = &r->findings[i];

		uc3_buf_adds(&b, i ? ",\n{\"commit\":" : "\n{\"commit\":");
		uc3_json_str(&b, f->commit[0] ? f->commit : NULL);
		uc3_buf_adds(&b, ",\"ticket\":");
		uc3_json_str(&b, f->ticket);
		uc3_buf_adds(&b, ",\"problem\":");
		uc3_json_str(&b, f->what);
		uc3_buf_addch(&b, '}');
	}
	uc3_buf_adds(&b, r->nfindings ? "\n]}\n" : "]}\n");
	fwrite(b.ptr, 1, b.len, stdout);
	uc3_buf_release(&b);
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "no-cache", no_argument, NULL, 'N' },
		{ "pre-receive", no_argument, NULL, 'P' },
		{ "skew", required_argument, NULL, 's' },
		{ "trust", required_argument, NULL, 't' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct uc3_verify_opts o = { 0 };
	struct uc3_verify_result r = { 0 };
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	struct uc3_store *st = NULL;
	const char *dir = NULL;
	bool hook = false;
	int ch, rc;

	uc3_tool_init("uc3 verify");
	opterr = 0;
	o.skew = 300;
	o.use_cache = true;
	while ((ch = getopt_long(argc, argv, ":C:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'f':
			if (uc3_tool_format(&fmt, optarg, false) < 0)
				return UC3_EXIT_ERROR;
			break;
		case 'h':
			help();
			return uc3_tool_finish(0);
		case 'N':
			o.use_cache = false;
			break;
		case 'P':
			hook = true;
			break;
		case 's':
			if (!strcmp(optarg, "0") || !strcmp(optarg, "0m"))
				o.skew = 0;
			else if (uc3_clock_parse_duration(&o.skew, optarg) < 0) {
				uc3_tool_error("invalid --skew '%s': use minutes or hours, as 5m or 1h",
					       optarg);
				return UC3_EXIT_ERROR;
			}
			break;
		case 't':
			o.trust = optarg;
			break;
		case 'V':
			return uc3_tool_version();
		default:
			uc3_tool_bad_option(ch, argv);
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
	}
	if (argc - optind > (hook ? 0 : 1)) {
		uc3_tool_error(hook ? "--pre-receive reads its input from git, not arguments"
				    : "one revision range at most");
		usage(stderr);
		return UC3_EXIT_ERROR;
	}
	if (optind < argc)
		o.range = argv[optind];
	if ((rc = uc3_store_open(&st, dir)) < 0)
		return uc3_tool_fail();
	/*
	 * A name (HEAD~3, a tag) is resolved here; an id that is not in this
	 * repository stays as given and simply is not the root: a finding.
	 */
	if (o.trust) {
		static char pinned[41];

		if (uc3_store_resolve(pinned, st, o.trust) == 0)
			o.trust = pinned;
		uc3_error_clear();
	}
	rc = hook ? uc3_verify_push(&r, st, STDIN_FILENO, &o) : uc3_verify(&r, st, &o);
	if (rc < 0) {
		uc3_tool_fail();
		uc3_verify_result_release(&r);
		uc3_store_free(st);
		return UC3_EXIT_ERROR;
	}
	if (fmt == UC3_FORMAT_JSON)
		print_json(&r);
	else
		print_text(&r, hook);
	rc = r.nfindings ? UC3_EXIT_NEGATIVE : 0;
	if (hook && r.nfindings)
		uc3_tool_error("push refused: %zu finding%s (above)", r.nfindings,
			       r.nfindings == 1 ? "" : "s");
	uc3_verify_result_release(&r);
	uc3_store_free(st);
	return uc3_tool_finish(rc);
}
