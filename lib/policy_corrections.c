#include "policy_read.h"

#include <stdio.h>
#include <string.h>

#include "xalloc.h"

/*
 * corrections in uc3.yaml: which roles may correct a record, each
 * correction a list of roles of the chain.
 *
 *	corrections:
 *	  edit: [staf, wakor, koordinator, kabiro]
 *	  reopen: [koordinator, kabiro]
 *	  close_as: [wakor, koordinator, kabiro]
 *
 * A correction the file does not list gets its default from the chain,
 * so that a policy written before corrections existed, or for another
 * chain, still reads: edit every role; reopen the top two (the ones who
 * decide that an answer was wrong); close_as every role above the bottom
 * (the front desk does not throw tickets away alone), or the only one.
 */

static const char *const keys[] = { [UC3_CORRECT_EDIT] = "edit",
				    [UC3_CORRECT_REOPEN] = "reopen",
				    [UC3_CORRECT_CLOSE_AS] = "close_as",
				    [UC3_NCORRECTIONS] = NULL };

const char *
uc3_policy_correction_key(enum uc3_correction c)
{
	return (unsigned)c < UC3_NCORRECTIONS ? keys[c] : "?";
}

/* Roles from..nroles-1 of the chain as the list of correction k. */
static void
set_default(struct uc3_policy *p, enum uc3_correction k, size_t from)
{
	size_t i;

	if (from >= p->nroles)
		from = p->nroles ? p->nroles - 1 : 0;
	p->correct_roles[k] = uc3_xcalloc(p->nroles - from + 1, sizeof(char *));
	for (i = from; i < p->nroles; i++)
		p->correct_roles[k][p->ncorrect_roles[k]++] = uc3_xstrdup(p->roles[i].id);
}

int
uc3_policy__parse_corrections(struct ctx *c, const struct uc3_ynode *map)
{
	struct uc3_policy *p = c->p;
	char what[64];
	size_t k, i;
	int rc;

	if (map && ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "corrections")) < 0 ||
		    (rc = uc3_policy__check_keys(c, map, "corrections", keys)) < 0))
		return rc;
	for (k = 0; k < UC3_NCORRECTIONS; k++) {
		const struct uc3_ynode *v = map ? uc3_policy__opt(map, keys[k]) : NULL;

		if (!v) {
			set_default(p, (enum uc3_correction)k,
				    k == UC3_CORRECT_EDIT     ? 0
				    : k == UC3_CORRECT_REOPEN ? (p->nroles > 2 ? p->nroles - 2 : 0)
							      : 1);
			continue;
		}
		snprintf(what, sizeof(what), "corrections.%s", keys[k]);
		if ((rc = uc3_policy__parse_tokens(c, v, what, &p->correct_roles[k],
						   &p->ncorrect_roles[k])) < 0)
			return rc;
		for (i = 0; i < p->ncorrect_roles[k]; i++)
			if (!uc3_policy_role(p, p->correct_roles[k][i]))
				return perr(c, v->items[i], "%s: \"%s\" is not a role of the chain",
					    what, p->correct_roles[k][i]);
	}
	return 0;
}

bool
uc3_policy_may_correct(const struct uc3_policy *p, enum uc3_correction c, const char *role)
{
	size_t i;

	if ((unsigned)c >= UC3_NCORRECTIONS || !role)
		return false;
	for (i = 0; i < p->ncorrect_roles[c]; i++)
		if (!strcmp(p->correct_roles[c][i], role))
			return true;
	return false;
}
