/*
 * uc3 complete: the words the shell's completion (completion/uc3.bash)
 * offers as an option's value: the kinds, channels, units and roles of
 * the policy at the branch tip, read as every tool reads it, and the
 * statuses of a ticket. One a line, in the policy's order.
 *
 * It runs at every TAB, so it is quiet: outside a records repository,
 * or on a policy no tool can read, it prints nothing and exits 0, so
 * that completion never puts an error on the command line.
 */
#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "opt.h"
#include "policy.h"
#include "store.h"
#include "ticket.h"
#include "tool.h"

static const char *const what[] = { "channels", "kinds", "roles", "statuses", "units", NULL };

static void
print_policy(const struct uc3_policy *p, const char *w)
{
	size_t i;

	if (!strcmp(w, "channels"))
		for (i = 0; i < p->nchannels; i++)
			puts(p->channels[i]);
	else if (!strcmp(w, "kinds"))
		for (i = 0; i < p->nkinds; i++)
			puts(p->kinds[i]);
	else if (!strcmp(w, "roles"))
		for (i = 0; i < p->nroles; i++)
			puts(p->roles[i].id);
	else if (!strcmp(w, "units"))
		for (i = 0; i < p->nunits; i++)
			puts(p->units[i].name);
}

int
main(int argc, char **argv)
{
	struct uc3_store *st = NULL;
	const char *dir = NULL;
	size_t i;
	int rc;

	static const char *const usage[] = {
		"uc3 complete [-C dir] channels | kinds | roles | statuses | units", NULL
	};
	const struct uc3_opt options[] = { UC3_OPT_DIR(&dir), UC3_OPT_END() };
	const struct uc3_opt_cmd cmd = {
		"uc3 complete",
		usage,
		N_("Print the words the shell's completion offers, one a line: the policy's\n"
		   "channels, kinds, roles (the chain, bottom to top) or units (their names),\n"
		   "or the statuses of a ticket. Outside a records repository, or on a policy\n"
		   "that cannot be read, nothing, and exit 0.\n"),
		N_("See uc3-complete(1).\n"),
		options,
		0
	};

	if ((argc = uc3_opt_parse(argc, argv, &cmd, &rc)) < 0)
		return rc;
	if (argc != 1)
		return uc3_opt_usage_error(&cmd, argc ? N_("one list at a time")
						      : N_("which words? channels, kinds, roles, "
							   "statuses or units"));
	for (i = 0; what[i] && strcmp(what[i], argv[0]); i++)
		;
	if (!what[i])
		return uc3_opt_usage_error(&cmd,
					   "unknown list '%s': use channels, kinds, roles, "
					   "statuses or units",
					   argv[0]);
	if (!strcmp(argv[0], "statuses")) {
		enum uc3_status s;

		for (s = UC3_STATUS_OPEN; s <= UC3_STATUS_CLOSED; s++)
			puts(uc3_status_name(s));
	} else if (uc3_store_open(&st, dir) == 0) {
		print_policy(uc3_store_policy(st), argv[0]);
		uc3_store_free(st);
	}
	return uc3_tool_finish(0);
}
