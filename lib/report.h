#ifndef UC3_REPORT_H
#define UC3_REPORT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "calendar.h"
#include "policy.h"
#include "store.h"
#include "ticket.h"
#include "ydoc.h"

/*
 * The figures of a period (uc3 report, uc3-report(1)): how many tickets
 * came in, how far up the chain they went, how each step of the SOP met
 * its time standard, and which did not.
 *
 * Two stages, so that the first can be kept between runs:
 *
 *  1. Per ticket, the facts the figures need (struct uc3_report_ticket):
 *     its receipt, kind, channel and unit, and every step it went
 *     through with its start, due, end, who ended it and its business
 *     seconds. They depend on the ticket file and the policy's calendar
 *     only, not on the period, so a cache may keep them by blob id.
 *     uc3_report_ticket_read makes one from a parsed ticket,
 *     uc3_report_seconds fills in the business time of many at once,
 *     uc3_report_collect does both for every ticket of the period.
 *
 *  2. The figures (struct uc3_report), computed by uc3_report_figures
 *     from those facts as the records stood at the end of the period:
 *     min(until, now). An event after it is not counted; a ticket is in
 *     the status, and at the step, it had then.
 *
 * The writers (text, JSON, CSV; HTML in report_html.c) take the figures
 * and never compute.
 *
 * Definitions (uc3-report(1) says the same for users):
 *
 *  - A step runs from its start (the receipt for the first, then the
 *    event that ended the step before) to the event that ends it
 *    (escalate, answer, deliver, close, close --as, reopen). Notices and
 *    edits end no step.
 *  - A step ended by the end of the period is met when its event did not
 *    record it late (done at or before due), late otherwise; its
 *    duration is the business time from start to end, in whole minutes
 *    (rounded down).
 *  - A step still running at the end is late when its due is before the
 *    end (it is then in the breaches, and its ticket overdue); otherwise
 *    it is neither met nor late but counted in running. It has no
 *    duration.
 *  - Percentiles are nearest-rank: the p-th of n sorted values is the
 *    one at rank ceil(p * n / 100), the first at least; the median is the
 *    50th, so of 4 values the 2nd.
 *  - The level that answered is the level of the answer that stands at
 *    the end (a reopen takes it away): the role it was given in, so a
 *    takeover counts at the higher role. A ticket closed as spam or
 *    duplicate is counted there and in no level.
 */

/* What ended a step. */
enum uc3_report_end {
	UC3_REPORT_RUNNING, /* nothing yet: the ticket's current step */
	UC3_REPORT_ESCALATE,
	UC3_REPORT_ANSWER,
	UC3_REPORT_DELIVER,
	UC3_REPORT_CLOSE,
	UC3_REPORT_CLOSE_AS, /* close --as spam|duplicate */
	UC3_REPORT_REOPEN
};

/*
 * One step a ticket went through. Strings owned by the ticket record.
 * The reopen of a closed ticket ends no step (none ran) but starts one:
 * it is kept as an entry without a name, from the close to the reopen,
 * which no figure counts.
 */
struct uc3_report_step {
	char *name;   /* a role of the chain, "deliver" or "archive"; NULL: no step (see below) */
	time_t start; /* the receipt, or when the step before ended */
	time_t due;   /* its deadline; 0 when the file gives none */
	time_t done;  /* when the event that ended it was made; 0 while running */
	enum uc3_report_end end;
	bool late;    /* the event recorded it late (done after due) */
	char *by;     /* who ended it; NULL while running */
	char *role;   /* an answer: the role it was given in (a takeover's); else NULL */
	char *as;     /* close as: "spam" or "duplicate"; else NULL */
	long seconds; /* business seconds from start to done; -1: running, or not computed yet */
};

/* The facts of one ticket. Free with uc3_report_ticket_release. */
struct uc3_report_ticket {
	char *id;
	char *path; /* tickets/YEAR/MM/ID.yaml */
	char *subject;
	time_t received;
	char *kind, *channel;
	char *unit; /* as the policy names it (an alias read as its unit); NULL: none */
	struct uc3_report_step *steps; /* in order; the last one running unless closed */
	size_t nsteps;
};

/*
 * The facts of ticket t, at path, under policy p, into *out (seconds
 * left at -1: see uc3_report_seconds). Returns 0, or UC3_EINVAL when its
 * receipt does not read (a parsed ticket's always does).
 */
int uc3_report_ticket_read(struct uc3_report_ticket *out, const struct uc3_ticket *t,
			   const char *path, const struct uc3_policy *p);
void uc3_report_ticket_release(struct uc3_report_ticket *t);

/*
 * Fill in the business seconds of every step of v[0..n) that ended and
 * has none yet (-1), on p's calendar, a few sweeps over the days they
 * span. Returns 0, or UC3_EINVAL for a calendar that cannot count.
 */
int uc3_report_seconds(struct uc3_report_ticket *v, size_t n, const struct uc3_policy *p);

/* The groups of --by, and the bit of each in uc3_report_opts.by. */
enum uc3_report_key {
	UC3_REPORT_BY_KIND,
	UC3_REPORT_BY_CHANNEL,
	UC3_REPORT_BY_UNIT,
	UC3_REPORT_BY_LEVEL,
	UC3_REPORT_BY_MONTH,
	UC3_REPORT_BY_WEEK,
	UC3_REPORT_BY_PERSON,
	UC3_REPORT_NKEYS
};

/* "kind", "channel", ...; and back: true and *out. */
const char *uc3_report_key_name(enum uc3_report_key k);
bool uc3_report_key_parse(enum uc3_report_key *out, const char *name);

struct uc3_report_opts {
	time_t since, until;	   /* received in [since, until) */
	bool since_set, until_set; /* false: no bound on that side */
	time_t now;		   /* the period ends at min(until, now) */
	unsigned by;		   /* 1u << enum uc3_report_key of each group asked for */
	/*
	 * Called, when not NULL, after each ticket file read, with how many
	 * were read so far (the tool's progress line).
	 */
	void (*progress)(void *ctx, size_t files);
	void *progress_ctx;
};

/*
 * The month of t in zone tz: *start its first instant (the 1st, 00:00
 * local), *next the first of the month after. Returns 0 or UC3_EINVAL.
 */
int uc3_report_month(time_t *start, time_t *next, time_t t, const char *tz);

/*
 * Complete o's period: neither bound set is the month of o->now in p's
 * zone. Returns 0, or UC3_EINVAL when until is not after since.
 */
int uc3_report_period(struct uc3_report_opts *o, const struct uc3_policy *p);

/* The tickets of a period and the files that did not read. */
struct uc3_report_set {
	struct uc3_report_ticket *tickets; /* oldest received first, then by id */
	size_t n, alloc;
	char **broken; /* "path:line:col: what" of each ticket file that did not read */
	size_t nbroken, abroken;
	/*
	 * Private (report_cache.c): when not NULL, the memory the tickets'
	 * strings and steps are in (the cache of facts), freed whole by
	 * uc3_report_set_release; when NULL each ticket owns its own.
	 */
	struct uc3_report__mem *mem;
};

/*
 * Every ticket of st received in o's period, with its seconds computed,
 * into *out (zeroed first; uc3_report_set_release). Only the month
 * folders that may hold such tickets are read. A file that does not read
 * is kept in out->broken and left out. Returns 0 or a negative error.
 *
 * The facts of the tickets are kept between runs in $GIT_DIR/uc3/report-facts
 * (report_cache.c): by month folder, keyed by the folder's tree id, and in a
 * folder by each file's blob id, for the policy's zone, calendar, units and
 * steps as they are. A month whose tree did not change is taken from it
 * whole, without reading a ticket; in one that did, only the files that
 * changed are read. A cache that does not read, or that is of another
 * policy, is passed over and made again; one that cannot be written (a
 * read-only repository) is not, and that is no error.
 */
int uc3_report_collect(struct uc3_report_set *out, struct uc3_store *st,
		       const struct uc3_report_opts *o);
void uc3_report_set_release(struct uc3_report_set *s);

/* A name and how many. */
struct uc3_report_count {
	char *name;
	size_t n;
};

/* The figures of one step of the SOP. */
struct uc3_report_stepfig {
	char *name; /* a role of the chain, "deliver", "archive", or a step of an older policy */
	long standard_minutes; /* the policy's time for it (Mutu Baku); -1 when it has none */
	size_t count;	       /* met + late */
	size_t met, late;      /* late includes those running past due at the end */
	size_t running;	       /* running at the end, not yet due: neither met nor late */
	size_t done;	       /* ended by the end: how many durations */
	double compliance;     /* 100 * met / count; -1 when count is 0 */
	long median_minutes;   /* of the durations (nearest rank); -1 when none */
	long p90_minutes;
};

/* A late step: ended late, or running past its due at the end. */
struct uc3_report_breach {
	char *id;
	char *step;
	char *role; /* the role that held it: the step's role, the bottom role for deliver and
		       archive */
	char *by;   /* who ended it; NULL when it was still running at the end */
	time_t due;
	time_t done;		       /* 0: still running at the end */
	long late_minutes;	       /* business minutes from due to done (or the end) */
	struct uc3_calendar_span late; /* the same in office days, for people */
};

/* The business time from receipt to a point of the procedure, over the tickets that reached it. */
struct uc3_report_lead {
	size_t count;	     /* tickets that reached it by the end */
	long median_minutes; /* -1 when none */
	long p90_minutes;
	long sop_minutes;  /* the SOP's worst case */
	size_t within_sop; /* how many took no longer */
};

/* One row of a --by group: the tickets whose key is key. */
struct uc3_report_row {
	char *key;
	size_t tickets;
	size_t closed, not_closed, overdue; /* at the end */
	size_t met, late;		    /* their steps, as in steps */
	double compliance;		    /* 100 * met / (met + late); -1 when none */
	long delivery_median_minutes;	    /* receipt to delivery; -1 when none delivered */
};

struct uc3_report_group {
	struct uc3_report_row *rows;
	size_t n;
};

struct uc3_report {
	time_t since, until; /* the period, as in the options */
	bool since_set, until_set;
	time_t end;		/* min(until, now): the records as they stood then */
	size_t tickets;		/* received in the period */
	size_t broken;		/* ticket files that did not read, left out */
	size_t by_status[4];	/* at the end, by enum uc3_status */
	size_t spam, duplicate; /* closed as, at the end */
	/* Answered at the end, by the level that answered: every role of the chain, in its order,
	 * then others. */
	struct uc3_report_count *by_level;
	size_t nby_level;
	size_t not_answered; /* no answer at the end, not closed as spam or duplicate */
	struct uc3_report_stepfig *steps; /* the chain's roles, deliver, archive, then others */
	size_t nsteps;
	/*
	 * Receipt to delivery (the last delivery by the end) and receipt to
	 * archive (the close): the SOP's worst case is every role's time and
	 * deliver's, and archive's too for the second.
	 */
	struct uc3_report_lead to_delivery, to_archive;
	size_t not_closed, overdue;	    /* at the end */
	struct uc3_report_count *top_units; /* the ten most frequent units, most first */
	size_t ntop_units;
	struct uc3_report_count *top_kinds; /* the ten most frequent kinds */
	size_t ntop_kinds;
	struct uc3_report_breach *breaches; /* by receipt, then the order of the steps */
	size_t nbreaches;
	struct uc3_report__arena *arena; /* private: where the breaches' strings are */
	unsigned by_asked; /* the groups asked for (uc3_report_opts.by); all are computed */
	/*
	 * Every group, by enum uc3_report_key. Months ("2026-11") and ISO
	 * weeks ("2026-W48") of receipt in order, every one of a bounded
	 * period, empty ones too; levels in the chain's order; kinds and
	 * channels in the policy's; units and people most tickets first.
	 * A ticket without a unit, answer or person is under "(none)";
	 * closed as spam or duplicate, its level is "(spam)" or
	 * "(duplicate)".
	 */
	struct uc3_report_group by[UC3_REPORT_NKEYS];
};

/*
 * The figures of set under p and o (its period completed by
 * uc3_report_period). *out: uc3_report_free; it borrows nothing.
 * Returns 0 or UC3_EINVAL (a calendar that cannot count).
 */
int uc3_report_figures(struct uc3_report **out, const struct uc3_report_set *set,
		       const struct uc3_policy *p, const struct uc3_report_opts *o);

/*
 * uc3_report_collect into *set (the caller releases it, and keeps it for
 * the CSV), then uc3_report_figures into *out.
 */
int uc3_report_compute(struct uc3_report **out, struct uc3_report_set *set, struct uc3_store *st,
		       const struct uc3_report_opts *o);
void uc3_report_free(struct uc3_report *r);

/* Nearest-rank p-th percentile of sorted[0..n) (ascending); -1 when n is 0. */
long uc3_report_percentile(const long *sorted, size_t n, unsigned p);

/* 100 * met / count; -1 when count is 0. */
double uc3_report_compliance(size_t met, size_t count);

/*
 * The writers: each appends to out. Text for people (aligned tables,
 * business times as "1h 5m"); JSON for scripts (the schema of
 * uc3-report(1)); CSV for spreadsheets, one row per ticket of set with
 * every step's due, done, late and minutes (RFC 4180: CRLF, quoted where
 * needed, UTF-8). HTML: see uc3_report_html below.
 */
void uc3_report_text(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p);
void uc3_report_json(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p);
void uc3_report_csv(struct uc3_buf *out, const struct uc3_report *r,
		    const struct uc3_report_set *set, const struct uc3_policy *p);

/* The template of the HTML page, found as the paper form's (uc3_paper_template). */
#define UC3_REPORT_TEMPLATE "report.html"

/*
 * What the page's template sees (report_html.c; every name is listed in
 * uc3-report(1), HTML): the figures of r as strings, formatted as the
 * text has them, under the names of the JSON where there is one; the
 * period in words; now as the time printed; and the geometry of the
 * charts. Every value is a string, and every item of a list has every
 * key of its kind, so that a name inside a section never falls through
 * to an outer one. Free with uc3_ynode_free.
 */
struct uc3_ynode *
uc3_report_html_context(const struct uc3_report *r, const struct uc3_policy *p, time_t now);

/*
 * The page: uc3_report_html_context through the template tmpl[0..len)
 * (called name in messages) in UC3_TMPL_HTML mode, so that every value
 * is escaped. Appends to out. Returns 0, or UC3_EINVAL for a malformed
 * template (out as it was).
 */
int uc3_report_html(struct uc3_buf *out, const struct uc3_report *r, const struct uc3_policy *p,
		    time_t now, const char *tmpl, size_t len, const char *name);

#endif
