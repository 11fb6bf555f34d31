/*
 * uc3 person: the people of the policy, their roles and signing keys,
 * without editing uc3.yaml by hand.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "json.h"
#include "people.h"
#include "policy.h"
#include "store.h"
#include "tool.h"
#include "utf8.h"

static void
usage(FILE *f)
{
	fprintf(f, "usage: uc3 person add [-C dir] email --name name --role role [--key file]\n"
		   "       uc3 person remove [-C dir] email\n"
		   "       uc3 person list [-C dir] [--format text|json]\n");
}

static void
help(void)
{
	usage(stdout);
	printf("\n"
	       "The people of the policy: who may act, in which role, signing with which\n"
	       "key. Each change is one commit of uc3.yaml, by a holder of the top role\n"
	       "once people are listed; the first person added is the root of trust.\n"
	       "\n"
	       "      --format FMT   list: text (default) or json\n"
	       "      --key FILE     the person's public key: a .pub file, the key itself,\n"
	       "                     or an OpenPGP fingerprint (default, for yourself only:\n"
	       "                     the key git signs with here)\n"
	       "      --name NAME    the person's name\n"
	       "      --role ROLE    their role, one of the chain\n"
	       "  -C DIR             the records repository\n"
	       "\n"
	       "See uc3-person(1).\n");
}

/* Text from the policy as one cell of the table, padded to width. */
static void
put_safe(const char *s, int width)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_utf8_cell(&b, s);
	printf("%-*s", width, b.ptr ? b.ptr : "");
	uc3_buf_release(&b);
}

/* "ssh-ed25519 ...Zm9vYmFy comment": enough of a key to tell keys apart. */
static void
short_key(struct uc3_buf *b, const char *k)
{
	const char *sp = strchr(k, ' ');
	const char *data = sp ? sp + 1 : NULL;
	const char *end = data ? strchr(data, ' ') : NULL;
	size_t dlen = data ? (end ? (size_t)(end - data) : strlen(data)) : 0;

	if (!data) {
		uc3_buf_adds(b, k);
		return;
	}
	uc3_buf_add(b, k, (size_t)(sp - k));
	uc3_buf_adds(b, " ...");
	uc3_buf_add(b, data + (dlen > 12 ? dlen - 12 : 0), dlen > 12 ? 12 : dlen);
	if (end)
		uc3_buf_adds(b, end);
}

static int
list(struct uc3_store *st, enum uc3_format fmt)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	size_t i, j, w = 5;

	if (fmt == UC3_FORMAT_JSON) {
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_buf_adds(&b, "[");
		for (i = 0; i < p->npeople; i++) {
			const struct uc3_person *who = &p->people[i];

			uc3_buf_adds(&b, i ? ",\n {\"email\": " : "\n {\"email\": ");
			uc3_json_str(&b, who->email);
			uc3_buf_adds(&b, ", \"name\": ");
			if (who->name)
				uc3_json_str(&b, who->name);
			else
				uc3_buf_adds(&b, "null");
			uc3_buf_adds(&b, ", \"roles\": [");
			for (j = 0; j < who->nroles; j++) {
				uc3_buf_adds(&b, j ? ", " : "");
				uc3_json_str(&b, who->roles[j]);
			}
			uc3_buf_adds(&b, "], \"keys\": [");
			for (j = 0; j < who->nkeys; j++) {
				uc3_buf_adds(&b, j ? ", " : "");
				uc3_json_str(&b, who->keys[j]);
			}
			uc3_buf_adds(&b, "]}");
		}
		uc3_buf_adds(&b, p->npeople ? "\n]\n" : "]\n");
		fwrite(b.ptr, 1, b.len, stdout);
		uc3_buf_release(&b);
		return 0;
	}
	if (!p->npeople) {
		printf("nobody: the policy lists no people (single-user mode); "
		       "add the first with uc3 person add\n");
		return 0;
	}
	for (i = 0; i < p->npeople; i++)
		if (strlen(p->people[i].email) > w)
			w = strlen(p->people[i].email);
	printf("%-*s  %-12s  %-22s  %s\n", (int)w, "EMAIL", "ROLES", "NAME", "KEYS");
	for (i = 0; i < p->npeople; i++) {
		const struct uc3_person *who = &p->people[i];
		struct uc3_buf roles = UC3_BUF_INIT;

		for (j = 0; j < who->nroles; j++)
			uc3_buf_addf(&roles, "%s%s", j ? "," : "", who->roles[j]);
		put_safe(who->email, (int)w);
		printf("  ");
		put_safe(roles.ptr, 12);
		printf("  ");
		put_safe(who->name ? who->name : "-", 22);
		for (j = 0; j < who->nkeys; j++) {
			struct uc3_buf k = UC3_BUF_INIT;

			short_key(&k, who->keys[j]);
			printf(j ? ", " : "  ");
			put_safe(k.ptr, 0);
			uc3_buf_release(&k);
		}
		printf("%s\n", who->nkeys ? "" : "  (none)");
		uc3_buf_release(&roles);
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "key", required_argument, NULL, 'k' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	struct uc3_person_input in = { 0 };
	struct uc3_write_result res = { 0 };
	struct uc3_store *st = NULL;
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	const char *dir = NULL, *sub, *fmt_arg = NULL;
	bool first = false;
	int ch, rc = 0;

	uc3_tool_init("uc3 person");
	opterr = 0;
	while ((ch = getopt_long(argc, argv, ":C:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'f':
			fmt_arg = optarg;
			break;
		case 'h':
			help();
			return uc3_tool_finish(0);
		case 'k':
			in.key = optarg;
			break;
		case 'n':
			in.name = optarg;
			break;
		case 'r':
			in.role = optarg;
			break;
		case 'V':
			return uc3_tool_version();
		default:
			uc3_tool_bad_option(ch, argv);
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
	}
	if (optind >= argc) {
		uc3_tool_error("add, remove or list?");
		usage(stderr);
		return UC3_EXIT_ERROR;
	}
	sub = argv[optind++];
	if (fmt_arg && (strcmp(sub, "list") || uc3_tool_format(&fmt, fmt_arg, false) < 0)) {
		if (strcmp(sub, "list"))
			uc3_tool_error("--format is for uc3 person list");
		usage(stderr);
		return UC3_EXIT_ERROR;
	}
	if (!strcmp(sub, "list")) {
		if (optind < argc || in.key || in.name || in.role) {
			uc3_tool_error("uc3 person list takes no arguments but --format");
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
	} else if (!strcmp(sub, "add") || !strcmp(sub, "remove")) {
		bool add = !strcmp(sub, "add");

		if (argc - optind != 1) {
			uc3_tool_error(argc == optind ? "whom? give their email"
						      : "one person at a time");
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
		in.email = argv[optind];
		if (add && !in.role) {
			uc3_tool_error("which role? give --role");
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
		if (!add && (in.key || in.name || in.role)) {
			uc3_tool_error("uc3 person remove takes only an email");
			usage(stderr);
			return UC3_EXIT_ERROR;
		}
	} else {
		uc3_tool_error("unknown subcommand '%s': add, remove or list", sub);
		usage(stderr);
		return UC3_EXIT_ERROR;
	}
	if ((rc = uc3_store_open(&st, dir)) < 0)
		goto fail;
	if (!strcmp(sub, "list")) {
		list(st, fmt);
	} else if (!strcmp(sub, "add")) {
		if ((rc = uc3_op_person_add(st, &in, &first, &res)) < 0)
			goto fail;
		printf("added %s as %s to the policy (commit %.7s%s)\n", in.email, in.role,
		       res.commit, res.is_signed ? ", signed" : "");
		if (first)
			printf("the policy now lists people: this commit is the root of trust; "
			       "pin it with uc3 verify --trust %.12s\n",
			       res.commit);
	} else {
		if ((rc = uc3_op_person_remove(st, in.email, &res)) < 0)
			goto fail;
		printf("removed %s from the policy (commit %.7s%s)\n", in.email, res.commit,
		       res.is_signed ? ", signed" : "");
	}
	if (res.warning)
		uc3_tool_warn("%s", res.warning);
	goto out;
fail:
	uc3_tool_fail();
out:
	uc3_write_result_release(&res);
	uc3_store_free(st);
	return rc < 0 ? UC3_EXIT_ERROR : uc3_tool_finish(0);
}
