#ifndef UC3_OVERDUE_H
#define UC3_OVERDUE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "calendar.h"
#include "store.h"

/*
 * Steps past their deadline (DESIGN section 6): what `uc3 overdue` reports
 * from cron, and the notices it mails.
 *
 * Reading every ticket each run is too slow for a large archive, so the
 * tickets that are not closed are kept in an index, $GIT_DIR/uc3/open-index,
 * keyed by the id of the tickets/ tree it was built from and brought up to
 * date from the difference between that tree and the branch tip: it is
 * never stale after a commit, a pull or a hand edit committed with git.
 */

struct uc3_late {
	char *id;
	char *path;
	char *subject;
	char *step;	/* a role of the chain, "deliver" or "archive" */
	char *role;	/* the role that does the step */
	char *deadline; /* RFC 3339, as in the file */
	time_t due;
	long left;   /* business seconds to the deadline; negative: how late */
	bool breach; /* past the deadline; else a warning (due within --warn) */
	/* How late in office days (a warning: how long left), as people read it. */
	struct uc3_calendar_span span;
};

struct uc3_overdue {
	struct uc3_late *items; /* breaches most late first, then warnings soonest first */
	size_t n, alloc;
	char **broken; /* "path:line:col: what" of ticket files that do not read */
	size_t nbroken, abroken;
};

/*
 * Every open step of st's tickets that is past its deadline at at, and
 * with warn > 0 those due within warn business seconds. Returns 0 (with
 * out filled; release it with uc3_overdue_release) or a negative error.
 */
int uc3_overdue_scan(struct uc3_overdue *out, struct uc3_store *st, time_t at, long warn);
void uc3_overdue_release(struct uc3_overdue *o);

/* Keep only the items i with keep[i] (keep NULL: none), in their order. */
void uc3_overdue_keep(struct uc3_overdue *o, const bool *keep);

/*
 * The people to tell of item under policy p: those holding item->role
 * (notify.holders) and, for a breach, those holding the next role up
 * (notify.next_up); notify.fallback when that leaves nobody. Appends
 * emails to *out (each free()), without duplicates.
 */
void uc3_overdue_recipients(char ***out, size_t *n, const struct uc3_policy *p,
			    const struct uc3_late *item);

struct uc3_notify_result {
	size_t sent;	 /* messages handed to sendmail */
	size_t notices;	 /* (ticket, person) notices recorded */
	size_t failed;	 /* messages sendmail refused: nothing recorded for them */
	bool held;	 /* outside office hours with notify.office_hours_only */
	char *error;	 /* the first failure, for the message (free()) */
	char commit[41]; /* the commit recording the notices, "" when none */
	bool *told;	 /* per item of the scan: somebody was told of it now (free()) */
	/*
	 * Breaches the policy gives nobody to tell (no people with the roles
	 * uc3_overdue_recipients asks for, no notify.fallback): how many,
	 * which (per item, free()), and why, "uc3.yaml lists nobody with the
	 * role staf and no notify.fallback" (free(); NULL when none).
	 */
	size_t unreached;
	bool *nobody;
	char *unreached_why;
};

/*
 * Mail each person their breaches among o's items that they were not
 * told of yet (one message each, from the template overdue.txt of the
 * records repository, else of datadir/templates), and record what was
 * sent as `notice` events in one commit. A message sendmail refuses
 * records nothing, so the next run tries it again. Breaches nobody can be
 * told of are counted in res->unreached, every run, until the policy
 * names somebody. now is when this
 * happens: the messages' date, the notices' time, the office-hours test.
 * Returns 0 (see res->failed) or a negative error, when res holds
 * nothing to free.
 */
int uc3_overdue_notify(struct uc3_notify_result *res, struct uc3_store *st,
		       const struct uc3_overdue *o, time_t now, const char *datadir);

#endif
