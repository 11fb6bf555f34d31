#ifndef UC3_VERIFY_H
#define UC3_VERIFY_H

#include <stdbool.h>
#include <stddef.h>

#include "sign.h"
#include "store.h"

/*
 * The audit (DESIGN section 7): walk the history, oldest first, and check
 * every commit against the policy as it stood in its parent: the
 * signature is good and made by a key the policy gives to the author; the
 * author holds a role that may do the step the trailers name; the commit
 * touches one ticket file (or only configuration); the file is exactly
 * what that step writes from the file before it (earlier events byte for
 * byte unchanged, one event appended, only the step's fields changed);
 * event times never go back and are not after the commit; unsigned
 * commits are refused once the policy requires signatures; a commit that
 * changes uc3.yaml is signed by a holder of the top role of the policy
 * before it. The first commit whose policy lists people is the root of
 * trust.
 */

enum uc3_finding_kind {
	UC3_FIND_CONTENT,   /* the change is not what its step writes */
	UC3_FIND_SIGNATURE, /* bad, unchecked, missing or another person's key */
	UC3_FIND_ROLE	    /* the author may not do this */
};

struct uc3_finding {
	enum uc3_finding_kind kind;
	char commit[41];
	char *ticket; /* NULL: not about one ticket */
	char *what;
};

/*
 * What the audit says of one commit: its signature (UC3_SIG_GOOD only
 * when by a key the policy gives the author; UC3_SIG_UNKNOWN when signed
 * but there are no policy people to check it against; UC3_SIG_BAD for
 * any finding about the signature: bad, by another's key, or missing
 * where signatures are required), and whether the author may not do
 * what the commit does.
 */
struct uc3_commit_verdict {
	char commit[41];
	enum uc3_sig sig;
	bool denied;
};

struct uc3_verify_opts {
	const char *range; /* "A..B", "B" or NULL: the whole branch */
	const char *trust; /* a pinned root of trust (hex, a prefix will do) or NULL */
	long skew;	   /* seconds an event may be after its commit */
	bool use_cache;	   /* skip commits found clean before ($GIT_DIR/uc3/verified) */
};

struct uc3_verify_result {
	struct uc3_finding *findings;
	size_t nfindings, alloc;
	size_t commits;			     /* walked */
	size_t cached;			     /* of which found clean before, not checked again */
	struct uc3_commit_verdict *verdicts; /* one per commit walked, in walk order */
	size_t nverdicts, averdicts;
	char root[41];	   /* the root of trust; "" when no policy lists people */
	char *root_signer; /* its author's email */
	bool root_signed;
};

/* The verdict for commit (hex), or NULL when the audit did not walk it. Borrowed from r. */
const struct uc3_commit_verdict *
uc3_verify_verdict(const struct uc3_verify_result *r, const char *commit);

/*
 * Run the audit on st's branch (or o->range). Findings are collected in
 * res, which the caller releases with uc3_verify_result_release. Returns
 * 0 (findings or not), or a negative error when the history cannot be
 * read.
 */
int
uc3_verify(struct uc3_verify_result *res, struct uc3_store *st, const struct uc3_verify_opts *o);

/*
 * The pre-receive hook: read git's "old new ref" lines from fd and audit
 * the commits each push to st's branch brings, refusing a push that
 * deletes or rewrites the branch. Findings as uc3_verify.
 */
int uc3_verify_push(struct uc3_verify_result *res, struct uc3_store *st, int fd,
		    const struct uc3_verify_opts *o);

void uc3_verify_result_release(struct uc3_verify_result *res);

#endif
