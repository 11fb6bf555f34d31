#ifndef UC3_OVERDUE_H
#define UC3_OVERDUE_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "calendar.h"
#include "store.h"
#include "ticket.h"

/*
 * Steps past their deadline (DESIGN section 6): what `uc3 overdue` reports
 * from cron, and the notices it mails.
 *
 * Reading every ticket each run is too slow for a large archive: a scan
 * reads the open-ticket index (openindex.h), brought up to the tip first.
 */

struct uc3_late {
	char *id;
	char *path;
	char *subject;
	char *step;	/* a role of the chain, "deliver" or "archive" */
	char *role;	/* the role that does the step */
	char *deadline; /* RFC 3339, as in the file */
	time_t due;
	long left;	/* business seconds to the deadline; negative: how late */
	bool breach;	/* past the deadline; else a warning (due within --warn) */
	long step_time; /* business seconds the policy gives the step; 0: unknown */
	/* How late in office days (a warning: how long left), as people read it. */
	struct uc3_calendar_span span;
};

struct uc3_overdue {
	struct uc3_late *items; /* breaches most late first, then warnings soonest first */
	size_t n, alloc;
	char **broken; /* "path:line:col: what" of ticket files that do not read */
	size_t nbroken, abroken;
	/*
	 * Ids of the open tickets that may still owe an acknowledgement
	 * (with notify.acknowledge) or an escalation notice (with
	 * notify.holders), sorted: what uc3_overdue_notify retries. Only
	 * these are read; uc3_notify_pending has the last word.
	 */
	char **pending;
	size_t npending, apending;
};

/*
 * Every open step of st's tickets that is past its deadline at at, and
 * with warn > 0 those due within warn business seconds. Returns 0 (with
 * out filled; release it with uc3_overdue_release) or a negative error.
 */
int uc3_overdue_scan(struct uc3_overdue *out, struct uc3_store *st, time_t at, long warn);
void uc3_overdue_release(struct uc3_overdue *o);

/*
 * The paths of the tickets not closed that carry one of the Message-IDs
 * ids[0..nids) (NULL entries passed over): the one the ticket came from,
 * or one an event records (a follow-up, a mail sent). From the
 * open-ticket index, brought up to date as uc3_overdue_scan does, which
 * keeps each ticket's ids. *paths: free with uc3_strv_free(*paths, *n).
 */
int uc3_overdue_mail(char ***paths, size_t *n, struct uc3_store *st, const char *const *ids,
		     size_t nids);

/*
 * What the open index notes of t for the retries, without the policy:
 * 'a' when t is open, its requester has an email address and no notice
 * about `received` is recorded; 'e' when its last step escalated it to
 * its level and no notice about `escalated` names that level and
 * deadline. out gets "", "a", "e" or "ae".
 */
void uc3_overdue_pending_flags(char out[3], const struct uc3_ticket *t);

/*
 * The warning window a scan needs for notify.warn under p, in business
 * seconds: notify_warn_before, or with notify_warn_share the longest step
 * time of the policy (each item is then judged by uc3_overdue_warn_due);
 * 0 when warnings are off.
 */
long uc3_overdue_warn_window(const struct uc3_policy *p);

/*
 * Whether the step of item, not yet late, has reached p's warning point:
 * notify_warn_share percent of its step time used (step_time - left), or
 * no more than notify_warn_before business seconds left. False for a
 * breach and when warnings are off.
 */
bool uc3_overdue_warn_due(const struct uc3_policy *p, const struct uc3_late *item);

/*
 * Whether the daily digest (notify.digest) is due at now under p: it is
 * on, the local day of now (policy zone) is an office day (hours that
 * day, not a holiday; every day with hours: always), and the local time
 * is at or after the digest's time. *midnight (may be NULL) gets the
 * start of that local day.
 */
bool uc3_overdue_digest_due(const struct uc3_policy *p, time_t now, time_t *midnight);

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

/* A retried notice (uc3_notify_acknowledge, uc3_notify_escalated) that went. */
struct uc3_overdue_retry {
	char *id;	   /* the ticket (free()) */
	const char *about; /* UC3_ABOUT_RECEIVED or UC3_ABOUT_ESCALATED */
	size_t sent;	   /* messages sendmail took */
};

/* What a notice of uc3_overdue_notify tells, a bit each in res->told_as. */
enum uc3_overdue_kind {
	UC3_OVERDUE_LATE = 1,	  /* first notice of a breach: overdue.txt */
	UC3_OVERDUE_WARNING = 2,  /* notify.warn: warning.txt */
	UC3_OVERDUE_REMINDER = 4, /* notify.repeat: reminder.txt */
	UC3_OVERDUE_DIGEST = 8	  /* notify.digest: digest.txt */
};

struct uc3_notify_result {
	size_t sent;	   /* messages handed to sendmail, retries included */
	size_t warned;	   /* of them: warnings */
	size_t reminded;   /* reminders */
	size_t digests;	   /* digests */
	size_t retried;	   /* acknowledgements and escalation notices sent again */
	size_t notices;	   /* (ticket, person) notices recorded in the run's commit */
	size_t failed;	   /* messages sendmail refused: nothing recorded for them */
	bool held;	   /* outside office hours with notify.office_hours_only */
	char *error;	   /* the first failure, for the message (free()) */
	char commit[41];   /* the commit recording the notices, "" when none */
	bool *told;	   /* per item of the scan: somebody was told of it now (free()) */
	unsigned *told_as; /* per item: the uc3_overdue_kind bits it was told as (free()) */
	struct uc3_overdue_retry *retries; /* the retries that sent mail (free each id, then it) */
	size_t nretries, aretries;
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

/* Free what res holds. */
void uc3_notify_result_release(struct uc3_notify_result *res);

/*
 * Mail what o's items call for under the policy, as of now, each once:
 *
 *  - a breach not told yet: its holders and the next role up
 *    (uc3_overdue_recipients), overdue.txt;
 *  - with notify.warn, a step not late at its warning point
 *    (uc3_overdue_warn_due; scan with uc3_overdue_warn_window): the
 *    holders of its role, warning.txt;
 *  - with notify.repeat, a breach told to a person whose last notice of
 *    it (late or reminder) is that much office time ago: reminder.txt;
 *  - with notify.digest, when uc3_overdue_digest_due: each holder of the
 *    top role (notify.fallback when none) not sent one today, every
 *    breach in one message, digest.txt;
 *
 * one message per person and kind, from the template of the records
 * repository, else of datadir/templates; all recorded as `notice` events
 * (about NULL, warning, reminder, digest, each with its Message-ID) in
 * one commit. Then the tickets of o->pending get uc3_notify_acknowledge
 * and, while their step is not late (a breach notice tells of it then),
 * uc3_notify_escalated. A message sendmail refuses records nothing, so the
 * next run tries it again. Breaches nobody can be told of are counted in
 * res->unreached, every run, until the policy names somebody. now is when
 * this happens: the messages' date, the notices' time, the office-hours
 * test. Returns 0 (see res->failed; release res with
 * uc3_notify_result_release) or a negative error, when res holds nothing
 * to free.
 */
int uc3_overdue_notify(struct uc3_notify_result *res, struct uc3_store *st,
		       const struct uc3_overdue *o, time_t now, const char *datadir);

#endif
