/*
 * uc3 person: the people of the policy, their roles and signing keys,
 * without editing uc3.yaml by hand.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "error.h"
#include "i18n.h"
#include "json.h"
#include "opt.h"
#include "people.h"
#include "policy.h"
#include "store.h"
#include "table.h"
#include "tool.h"
#include "utf8.h"

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
	struct uc3_table tab;
	struct uc3_buf b = UC3_BUF_INIT, out = UC3_BUF_INIT;
	size_t i, j;

	if (fmt == UC3_FORMAT_JSON) {
		struct uc3_json js;

		uc3_json_init(&js, &out, UC3_JSON_SPACED);
		uc3_json_array(&js, NULL, UC3_JSON_LINES);
		for (i = 0; i < p->npeople; i++) {
			const struct uc3_person *who = &p->people[i];

			uc3_json_object(&js, NULL, 0);
			uc3_json_put_string(&js, "email", who->email);
			uc3_json_put_string(&js, "name", who->name);
			uc3_json_array(&js, "roles", 0);
			for (j = 0; j < who->nroles; j++)
				uc3_json_put_string(&js, NULL, who->roles[j]);
			uc3_json_end(&js);
			uc3_json_put_bool(&js, "service", who->service);
			uc3_json_array(&js, "keys", 0);
			for (j = 0; j < who->nkeys; j++)
				uc3_json_put_string(&js, NULL, who->keys[j]);
			uc3_json_end(&js);
			uc3_json_end(&js);
		}
		uc3_json_end(&js);
		uc3_buf_addch(&out, '\n');
		uc3_tool_put(&out);
		return 0;
	}
	if (!p->npeople) {
		fputs(_("nobody: the policy lists no people (single-user mode); "
			"add the first with uc3 person add\n"),
		      stdout);
		return 0;
	}
	uc3_table_init(&tab, 4);
	/* TRANSLATORS: the headings of uc3 person list's table, upper case. */
	uc3_table_column(&tab, 0, _("EMAIL"), UC3_TABLE_LEFT, 0);
	uc3_table_column(&tab, 1, _("ROLES"), UC3_TABLE_LEFT, 12);
	uc3_table_column(&tab, 2, _("NAME"), UC3_TABLE_LEFT, 22);
	uc3_table_column(&tab, 3, _("KEYS"), UC3_TABLE_LEFT, 0);
	for (i = 0; i < p->npeople; i++) {
		const struct uc3_person *who = &p->people[i];

		uc3_table_add(&tab, who->email);
		uc3_buf_reset(&b);
		for (j = 0; j < who->nroles; j++)
			uc3_buf_addf(&b, "%s%s", j ? "," : "", who->roles[j]);
		/* TRANSLATORS: uc3 person list: an account for programs, not a person. */
		uc3_table_add(&tab, who->service ? _("(service)") : b.ptr);
		uc3_table_add(&tab, who->name ? who->name : "-");
		uc3_buf_reset(&b);
		for (j = 0; j < who->nkeys; j++) {
			uc3_buf_adds(&b, j ? ", " : "");
			short_key(&b, who->keys[j]);
		}
		uc3_table_add(&tab, who->nkeys ? b.ptr : _("(none)"));
	}
	uc3_table_render(&out, &tab, 0);
	uc3_tool_put(&out);
	uc3_table_release(&tab);
	uc3_buf_release(&b);
	return 0;
}

int
main(int argc, char **argv)
{
	struct uc3_person_input in = { 0 };
	struct uc3_write_result res = { 0 };
	struct uc3_store *st = NULL;
	enum uc3_format fmt = UC3_FORMAT_TEXT;
	const char *dir = NULL, *sub, *fmt_arg = NULL;
	bool first = false;
	int rc = 0;

	static const char *const usage[] = {
		"uc3 person add [-C dir] email --name name --role role [--key file]",
		"uc3 person add [-C dir] email --service [--name name] [--key file]",
		"uc3 person remove [-C dir] email", "uc3 person list [-C dir] [--format text|json]",
		NULL
	};
	const struct uc3_opt options[] = {
		UC3_OPT_STRING(0, "format", &fmt_arg, "FMT", "list: text (default) or json"),
		UC3_OPT_STRING(0, "key", &in.key, "FILE",
			       "the person's public key: a .pub file, the key itself,\n"
			       "or an OpenPGP fingerprint (default, for yourself only:\n"
			       "the key git signs with here)"),
		UC3_OPT_STRING(0, "name", &in.name, "NAME", "the person's name"),
		UC3_OPT_STRING(0, "role", &in.role, "ROLE", "their role, one of the chain"),
		UC3_OPT_BOOL(0, "service", &in.service,
			     "a service identity (cron's, an MTA's account): records\n"
			     "notices, registers tickets and follow-ups, holds no\n"
			     "role, is never told of a ticket"),
		UC3_OPT_DIR(&dir),
		UC3_OPT_END()
	};
	const struct uc3_opt_cmd cmd = {
		"uc3 person",
		usage,
		N_("The people of the policy: who may act, in which role, signing with which\n"
		   "key. Each change is one commit of uc3.yaml, by a holder of the top role\n"
		   "once people are listed; the first person added is the root of trust.\n"),
		N_("See uc3-person(1).\n"),
		options,
		0
	};

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	if (argc == 0)
		return uc3_opt_usage_error(&cmd, "add, remove or list?");
	sub = argv[0];
	if (fmt_arg && strcmp(sub, "list"))
		return uc3_opt_usage_error(&cmd, "--format is for uc3 person list");
	if (fmt_arg && uc3_tool_format(&fmt, fmt_arg, false) < 0) {
		uc3_opt_usage(&cmd, stderr);
		return UC3_EXIT_ERROR;
	}
	if (!strcmp(sub, "list")) {
		if (argc > 1 || in.key || in.name || in.role || in.service)
			return uc3_opt_usage_error(
				&cmd, "uc3 person list takes no arguments but --format");
	} else if (!strcmp(sub, "add") || !strcmp(sub, "remove")) {
		bool add = !strcmp(sub, "add");

		if (argc != 2)
			return uc3_opt_usage_error(&cmd, argc == 1 ? N_("whom? give their email")
								   : N_("one person at a time"));
		in.email = argv[1];
		if (add && !in.role && !in.service)
			return uc3_opt_usage_error(&cmd, "which role? give --role (or --service)");
		if (add && in.role && in.service)
			return uc3_opt_usage_error(
				&cmd, "a service identity holds no role: --role or --service");
		if (!add && (in.key || in.name || in.role || in.service))
			return uc3_opt_usage_error(&cmd, "uc3 person remove takes only an email");
	} else {
		return uc3_opt_usage_error(&cmd, "unknown subcommand '%s': add, remove or list",
					   sub);
	}
	if ((rc = uc3_store_open(&st, dir)) < 0)
		goto fail;
	if (!strcmp(sub, "list")) {
		list(st, fmt);
	} else if (!strcmp(sub, "add")) {
		if ((rc = uc3_people_add(st, &in, &first, &res)) < 0)
			goto fail;
		/* TRANSLATORS: the address, the role, the commit. */
		printf(res.is_signed ? _("added %s as %s to the policy (commit %.7s, signed)\n")
				     : _("added %s as %s to the policy (commit %.7s)\n"),
		       in.email, in.role, res.commit);
		if (first)
			printf(_("the policy now lists people: this commit is the root of trust; "
				 "pin it with uc3 verify --trust %.12s\n"),
			       res.commit);
	} else {
		if ((rc = uc3_people_remove(st, in.email, &res)) < 0)
			goto fail;
		printf(res.is_signed ? _("removed %s from the policy (commit %.7s, signed)\n")
				     : _("removed %s from the policy (commit %.7s)\n"),
		       in.email, res.commit);
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
