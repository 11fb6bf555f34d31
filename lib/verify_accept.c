#include "verify.h"

/*
 * uc3 verify --accept: a finding closed by a signed acknowledgement of
 * the top of the chain, in history (see struct uc3_review in verify.h).
 */

#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "i18n.h"
#include "message.h"
#include "policy.h"
#include "remote.h"
#include "utf8.h"

struct accept_ctx {
	const char *commit;
	const char *reason;
};

static int
build(struct uc3_write *w, struct uc3_store *st, void *ctx)
{
	struct accept_ctx *a = ctx;

	(void)st;
	w->no_change = true;
	w->must_sign = true;
	uc3_message_accept(&w->message, a->commit, a->reason);
	return 0;
}

/* Refuse an actor who does not hold the top role, while the policy lists people. */
static int
check_actor(struct uc3_store *st)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	const struct uc3_person *who;
	const char *name, *email, *top;
	size_t i;
	int rc;

	if (!p || !p->npeople)
		return 0;
	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		return rc;
	top = p->roles[p->nroles - 1].id;
	who = uc3_policy_person(p, email);
	for (i = 0; who && i < who->nroles; i++)
		if (!strcmp(who->roles[i], top))
			return 0;
	return uc3_error_set(UC3_EDENIED,
			     "%s does not hold the %s role, the top of the chain, which alone "
			     "accepts findings; nothing was recorded",
			     email, top);
}

/*
 * The findings of commit id (hex) as the audit gives them: *open, those
 * not closed; *closed_by, the acceptance that closed the first of the
 * others ("" when none).
 */
static int
audit_commit(size_t *open, char closed_by[41], struct uc3_store *st, const char *id,
	     const struct uc3_verify_opts *o)
{
	struct uc3_verify_opts one = *o;
	struct uc3_verify_result r;
	struct uc3_buf range = UC3_BUF_INIT;
	char parent[41];
	size_t i;
	int rc;

	if (uc3_store_parent(parent, st, id) == 0)
		uc3_buf_addf(&range, "%s..%s", parent, id);
	else
		uc3_buf_adds(&range, id);
	uc3_error_clear();
	one.range = range.ptr;
	one.trust = NULL;
	one.use_cache = false;
	rc = uc3_verify(&r, st, &one);
	*open = 0;
	closed_by[0] = '\0';
	for (i = 0; rc == 0 && i < r.nfindings; i++)
		if (!strcmp(r.findings[i].commit, id))
			(*open)++;
	for (i = 0; rc == 0 && i < r.nreviewed; i++)
		if (!strcmp(r.reviewed[i].finding.commit, id) && !closed_by[0])
			memcpy(closed_by, r.reviewed[i].accept, 41);
	uc3_verify_result_release(&r);
	uc3_buf_release(&range);
	return rc;
}

int
uc3_verify_accept(struct uc3_write_result *res, char accepted[41], size_t *nfindings,
		  struct uc3_store *st, const char *rev, const char *reason,
		  const struct uc3_verify_opts *o)
{
	struct accept_ctx a;
	char *text = NULL;
	char by[41];
	int rc;

	*nfindings = 0;
	accepted[0] = '\0';
	if (!reason || strlen(reason) > UC3_ACCEPT_REASON_MAX)
		return uc3_error_set(UC3_EINVAL,
				     "the reason (-m) is %zu bytes, over the limit of %d; nothing "
				     "was recorded",
				     reason ? strlen(reason) : 0, UC3_ACCEPT_REASON_MAX);
	text = uc3_text_normalize(reason, strlen(reason));
	if (!text[0]) {
		rc = uc3_error_set(UC3_EINVAL, "the reason (-m) is empty; say why the findings "
					       "are accepted; nothing was recorded");
		goto out;
	}
	if ((rc = uc3_text_check(text, _("the reason"), UC3_TEXT_LINES)) < 0)
		goto out;
	if ((rc = uc3_remote_sync(st)) < 0)
		goto out;
	if ((rc = uc3_store_resolve(accepted, st, rev)) < 0) {
		rc = uc3_error_set(UC3_EINVAL, "%s names no commit here; nothing was recorded",
				   rev);
		goto out;
	}
	if (!*uc3_store_tip(st) || !uc3_store_is_ancestor(st, accepted, uc3_store_tip(st))) {
		rc = uc3_error_set(UC3_EINVAL, "%.7s is not on the branch %s; nothing was recorded",
				   accepted, uc3_store_branch(st));
		goto out;
	}
	if ((rc = check_actor(st)) < 0)
		goto out;
	if ((rc = audit_commit(nfindings, by, st, accepted, o)) < 0)
		goto out;
	if (!*nfindings && by[0]) {
		rc = uc3_error_set(UC3_EINVAL,
				   "the findings of %.7s were accepted already, in %.7s; nothing "
				   "was recorded",
				   accepted, by);
		goto out;
	}
	if (!*nfindings) {
		rc = uc3_error_set(UC3_EINVAL,
				   "%.7s has no findings, so there is nothing to accept; nothing "
				   "was recorded",
				   accepted);
		goto out;
	}
	a.commit = accepted;
	a.reason = text;
	rc = uc3_store_write(st, build, &a, res);
out:
	free(text);
	return rc > 0 ? 0 : rc;
}
