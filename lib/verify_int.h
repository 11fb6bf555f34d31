#ifndef UC3_VERIFY_INT_H
#define UC3_VERIFY_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "history.h"
#include "policy.h"
#include "reserve.h"
#include "store.h"
#include "ticket.h"
#include "verify.h"

/*
 * The audit's insides, shared by its two halves: verify.c walks the
 * history (policies, the cache of clean commits, the root of trust, what
 * a commit as a whole may do) and verify_ticket.c checks what a commit
 * does to a ticket file, by asking transition.h what the step writes.
 * Not an API: nothing outside the audit includes this.
 */

/*
 * The ticket ids in a tree, each with the number of ticket files that
 * hold it: an open-addressing hash set, so that a new ticket is checked
 * against every id before it without reading the year's month folders.
 */
struct idset {
	char **ids; /* NULL: an empty slot */
	unsigned *count;
	size_t n, cap;
};

/* Parsed policies, by the id of their blob: a history has few of them. */
struct pcache {
	char blob[41];
	struct uc3_policy *p; /* NULL: it did not parse */
	char *error;
};

/* An acceptance found good in the walk: what it closes, who, when, why. */
struct uc3_accept {
	char commit[41];
	char accepted[41];
	char *by;
	long long at;
	char *why;
};

struct uc3_verify_ctx {
	struct uc3_store *st;
	const struct uc3_verify_opts *o;
	struct uc3_verify_result *res;
	struct pcache *pol;
	size_t npol, apol;
	char **clean; /* sorted ids found clean before */
	size_t nclean, aclean;
	char **fresh; /* found clean in this run */
	size_t nfresh, afresh;
	size_t before; /* findings before the current commit */
	char *ticket;  /* the one ticket the current commit touches, or NULL */
	/* Every path the current commit changes (for its attachments). */
	const struct uc3_change *changes;
	size_t nchanges;
	bool stranger; /* its author is not one of the people (reported once) */
	/*
	 * Its time: "Offline: yes"; the reason of its Backfill trailer (or
	 * NULL), which every event it appends repeats; the earliest time of
	 * those events (0: none read); the first of them, in the ticket.
	 */
	bool offline;
	char *backfill;
	long long events_from;
	size_t first;
	/*
	 * The last policy that read, in the tree of commit good_at or of an
	 * ancestor of it: what a commit after an unreadable uc3.yaml is
	 * checked against.
	 */
	const struct uc3_policy *good;
	char good_at[41];
	/*
	 * The ticket ids in the tree of commit ids_at, kept while the walk
	 * goes from the first commit on, one commit after the other ("" when
	 * it did not: then the tree is asked).
	 */
	struct idset ids;
	char ids_at[41];
	bool ids_valid;
	struct uc3_accept *acc; /* the good acceptances the walk met, in its order */
	size_t nacc, aacc;
	/*
	 * The blocks of reserved.yaml in the tree of commit reserve_at ("":
	 * not read yet), as the walk goes; reserve_ok false when it did not
	 * read there (verify_reserve.c).
	 */
	struct uc3_reserve reserve;
	char reserve_at[41];
	bool reserve_ok;
};

/* Record a finding of kind on commit (and ticket, may be NULL), printf-style. */
void uc3_verify_finding_kind(struct uc3_verify_ctx *v, enum uc3_finding_kind kind,
			     const char *commit, const char *ticket, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The same, of kind UC3_FIND_CONTENT. */
void uc3_verify_finding(struct uc3_verify_ctx *v, const char *commit, const char *ticket,
			const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/*
 * The events first.. of t, which the current commit appends: their
 * earliest time goes to v (for the check of the central's clock), and
 * each must say backfill: as the commit's Backfill trailer does (else
 * a finding, and false).
 */
bool uc3_verify_appended(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			 const struct uc3_ticket *t, size_t first);

/*
 * Whether ticket id is in the tree of c's parent: true and *where, its
 * path there (free()), or false.
 */
bool uc3_verify_in_parent(char **where, struct uc3_verify_ctx *v, const struct uc3_commit *c,
			  const char *id);

/*
 * The checks of a commit that changes one ticket file (ch), under the
 * policy before it (p, NULL when none reads), and of a commit recording
 * the notices of uc3 overdue (each of its ticket files). Findings go to v.
 */
void uc3_verify_check_ticket(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			     const struct uc3_change *ch, const struct uc3_policy *p);
void uc3_verify_check_notices(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			      const struct uc3_change *ch, const struct uc3_policy *p);

/*
 * verify_attach.c. An attachment a commit changes (ch, at
 * tickets/YEAR/MM/ID/NAME): only added, only by an attach commit, only
 * under the folder of the one ticket file it changes (ticket_path, NULL
 * when it changes none or several). Findings go to v.
 */
void uc3_verify_check_attachment(struct uc3_verify_ctx *v, const struct uc3_commit *c,
				 const struct uc3_change *ch, const char *ticket_path);

/*
 * verify_attach.c. An attach commit's ticket file (ch, newer as it
 * reads, its last event dated at): the attachments it appends must name
 * exactly the files the commit adds beside it, blob and size; the step
 * is done again on the file before it under p. Returns 0 with *want (the
 * ticket as uc3 attach writes it, uc3_ticket_free) and the message it
 * writes appended to msg; or -1 after a finding.
 */
int uc3_verify_replay_attach(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			     const struct uc3_change *ch, const struct uc3_ticket *newer,
			     const struct uc3_policy *p, time_t at, struct uc3_ticket **want,
			     struct uc3_buf *msg);

/*
 * verify_quarantine.c. A file of the quarantine a commit changes (ch,
 * quarantine/NAME.eml, one of its nch changes; ticket: the commit's one
 * ticket file, NULL when it has none or several), judged under p:
 * added only by a commit keeping a mail uc3 could not read, that file
 * alone, with the message uc3 writes, in the name its bytes give, by an
 * author uc3 lets keep one; removed only by the uc3 new whose ticket
 * says quarantined: that path; never changed. Findings go to v.
 */
void uc3_verify_check_quarantine(struct uc3_verify_ctx *v, const struct uc3_commit *c,
				 const struct uc3_change *ch, size_t nch,
				 const struct uc3_policy *p, const struct uc3_change *ticket);

/* verify_quarantine.c: whether the current commit (v->changes) removes the file at path. */
bool uc3_verify_removes_quarantined(const struct uc3_verify_ctx *v, const char *path);

/*
 * verify_reserve.c. reserved.yaml, changed by commit c (ch, one of its
 * nch changes), judged under p: only by a commit of uc3 setting numbers
 * aside (Action: reserve), that file alone, every earlier block kept byte
 * for byte and one appended, above every ticket and every block of its
 * year in the parent's tree, of 1 to UC3_OFFLINE_IDS_MAX numbers, by the
 * commit's author, with the message uc3 writes. Findings go to v.
 */
void uc3_verify_check_reserve(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			      const struct uc3_change *ch, size_t nch, const struct uc3_policy *p);

/*
 * verify_reserve.c. A ticket file c adds (ch): when its number lies in a
 * block set aside in the parent's tree, the commit must be one made
 * offline ("Offline: yes"). Findings go to v.
 */
void uc3_verify_check_reserved_number(struct uc3_verify_ctx *v, const struct uc3_commit *c,
				      const struct uc3_change *ch);

/* verify_reserve.c: after commit c (its nch changes ch), keep v->reserve in step; free it at the
 * end. */
void uc3_verify_reserve_after(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			      const struct uc3_change *ch, size_t nch);
void uc3_verify_reserve_release(struct uc3_verify_ctx *v);

#endif
