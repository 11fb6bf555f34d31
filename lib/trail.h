#ifndef UC3_TRAIL_H
#define UC3_TRAIL_H

#include <stdbool.h>
#include <stddef.h>

#include "sign.h"
#include "store.h"

/*
 * The trail of commits behind what a tool shows, and the word on each
 * commit's signature as uc3 log and uc3 show --format html give it:
 * git's own check first (good, bad, unknown where git has no key to
 * check with), then the audit's verdict (uc3 verify, with its cache)
 * wherever the audit could tell, and "not allowed" when the audit found
 * that the author may not do what the commit does.
 */

/* One commit and what is known of its signature. */
struct uc3_trail_sig {
	char commit[41];
	bool is_signed;
	enum uc3_sig sig; /* the audit's word where it could tell; else git's */
	bool denied;	  /* the audit: the author may not do what the commit does */
};

/* Set s for commit (hex) as known before any check: none, or unknown when signed. */
void uc3_trail_sig_init(struct uc3_trail_sig *s, const char *commit, bool is_signed);

/*
 * Git's check of the signed ones among v[0..n) (each commit once, in one
 * git process), into their sig. Returns 0, or a negative error with v
 * as it was.
 */
int uc3_trail_check(struct uc3_store *st, struct uc3_trail_sig *v, size_t n);

/*
 * The audit's word on each of v[0..n) that it walked: sig where it could
 * tell, and denied. Returns 0, or a negative error (the audit did not
 * run) with v as it was.
 */
int uc3_trail_audit(struct uc3_store *st, struct uc3_trail_sig *v, size_t n);

/* "good", "bad", "none", "unknown", "another key", or "not allowed". Static. */
const char *uc3_trail_sig_name(const struct uc3_trail_sig *s);

/* A commit that changed a file, with the first line of its message. */
struct uc3_trail_commit {
	struct uc3_trail_sig sig;
	char *author_name, *author_email;
	long long time; /* author time, seconds since the epoch */
	char *subject;
};

/*
 * The commits of the branch that changed path (a ticket's file), oldest
 * first, into *out and *n (free with uc3_trail_free), with no signature
 * checked yet (uc3_trail_check, uc3_trail_audit). Returns 0 or a
 * negative error.
 */
int uc3_trail_of(struct uc3_trail_commit **out, size_t *n, struct uc3_store *st, const char *path);

void uc3_trail_free(struct uc3_trail_commit *v, size_t n);

#endif
