#ifndef UC3_VERIFY_H
#define UC3_VERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

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

/*
 * A commit whose time the central did not confirm: made offline
 * (trailer "Offline: yes") or a backfill ("Backfill: REASON"), accepted
 * with the time it gives. Listed, not a finding.
 */
struct uc3_unconfirmed {
	char commit[41];
	char *ticket; /* the one ticket it changes, or NULL */
	bool offline; /* made offline; else a backfill */
	char *reason; /* a backfill's reason (NULL when offline) */
	char *by;     /* its author's email */
	char *dated;  /* its author date, RFC 3339 in the policy's zone */
	/*
	 * When the central received it (its note in UC3_RECEIVED_REF,
	 * RFC 3339), NULL when it has none; uc3_verify reads it, the
	 * pre-receive hook cannot (the commit is not received yet).
	 */
	char *received;
};

struct uc3_verify_opts {
	const char *range; /* "A..B", "B" or NULL: the whole branch */
	const char *trust; /* a pinned root of trust (hex, a prefix will do) or NULL */
	long skew;	   /* seconds an event may be after its commit */
	bool use_cache;	   /* skip commits found clean before ($GIT_DIR/uc3/verified) */
	/*
	 * The central's clock (uc3_verify_push sets both): every commit's
	 * committer date, and the time of each event it appends, is within
	 * the policy's central.skew of now, unless it was made offline or is
	 * a backfill by a holder of central.backfill.
	 */
	bool central;
	time_t now;
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
	struct uc3_unconfirmed
		*unconfirmed; /* commits whose time is not confirmed, in walk order */
	size_t nunconfirmed, aunconfirmed;
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

/*
 * The post-receive hook: read git's "old new ref" lines from fd and,
 * on the central's clock (uc3_clock_serve), note the time of receipt,
 * "received 2026-12-02T10:31:00+07:00", in UC3_RECEIVED_REF on each
 * commit pushed to st's branch that was made offline or is a backfill.
 * *noted gets how many were noted. Returns 0, or a negative error (the
 * caller warns: the push has landed).
 */
int uc3_verify_post_receive(size_t *noted, struct uc3_store *st, int fd);

void uc3_verify_result_release(struct uc3_verify_result *res);

#endif
