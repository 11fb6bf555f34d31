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
 * A finding closed by an acceptance (uc3_verify_accept): a commit of its
 * own that changes no file, with the trailers "Action: accept" and
 * "Accepted: ID" (ID the commit found at fault, an ancestor of it),
 * signed with a good signature by a holder of the top role of the chain
 * in the policy before it (signed at all while the policy lists no
 * people). An acceptance that is not all that is a finding itself, and
 * closes nothing. The findings of the commit it names are moved from
 * the findings to the reviewed.
 */
struct uc3_review {
	struct uc3_finding finding; /* as the audit found it */
	char accept[41];	    /* the commit that accepted it */
	char *by;		    /* that commit's author (email) */
	long long at;		    /* its committer time */
	char *why;		    /* its reason: the message's text, one or more lines */
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
	struct uc3_review *reviewed; /* findings an acceptance closed, in walk order */
	size_t nreviewed, areviewed;
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
 * read. The acceptances on the branch are seen whatever the range: those
 * after its end are found by a walk of the commits that change no file,
 * and each is checked on its own. Acceptances are never kept in the
 * cache of clean commits, so they are checked, and count, every run.
 */
int
uc3_verify(struct uc3_verify_result *res, struct uc3_store *st, const struct uc3_verify_opts *o);

/*
 * The pre-receive hook: read git's "old new ref" lines from fd and audit
 * the commits each push to st's branch brings, refusing a push that
 * deletes or rewrites the branch. Findings as uc3_verify, except that
 * nothing is reviewed: an acceptance only closes findings of a commit
 * already on the branch (an ancestor of it), which a push does not
 * bring, so a bad commit and its own acceptance pushed together are
 * refused.
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

/*
 * When the central received commit (hex), as its post-receive hook noted
 * it in UC3_RECEIVED_REF: the RFC 3339 time (free()), or NULL when this
 * copy has no such note (or it cannot be read).
 */
char *uc3_verify_received(struct uc3_store *st, const char *commit);

void uc3_verify_result_release(struct uc3_verify_result *res);

/*
 * uc3 verify --accept: record the acceptance of the findings of commit
 * rev (any revision git reads) for reason, a commit of its own (see
 * struct uc3_review), with the message "verify: accept 1a2b3c4: FIRST
 * LINE OF REASON", the reason, and the trailers Action: accept and
 * Accepted: ID. reason is normalised as typed text (uc3_text_normalize)
 * and must hold 1 to UC3_ACCEPT_REASON_MAX bytes of lines. Refused
 * (UC3_EINVAL, UC3_EDENIED, UC3_ESIGN; nothing written) when the reason
 * is empty, too long or holds a control character, rev names no commit
 * or one not on the branch, the audit of that commit (o: its skew; its
 * range and cache are not used) finds nothing or only what an
 * acceptance closed already, the policy lists people and the acting
 * person does not hold the top role of the chain, or git is not set to
 * sign. Written as any write (uc3_store_write; with uc3.remote, pushed).
 * *nfindings: how many findings it closes; accepted: rev's id (hex).
 */
#define UC3_ACCEPT_REASON_MAX 1000
int uc3_verify_accept(struct uc3_write_result *res, char accepted[41], size_t *nfindings,
		      struct uc3_store *st, const char *rev, const char *reason,
		      const struct uc3_verify_opts *o);

#endif
