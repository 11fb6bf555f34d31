#ifndef UC3_REPORT_INT_H
#define UC3_REPORT_INT_H

/* Private to report.c and report_write.c. */

#include "report.h"

/* A ticket as it stood at the end of a period. Borrowed from its record. */
struct uc3_report__state {
	enum uc3_status status;
	const char *closed_as;		       /* "spam", "duplicate" or NULL */
	const char *level;		       /* the level whose answer stands; NULL: none */
	const char *person;		       /* who gave that answer */
	const struct uc3_report_step *running; /* the step running at the end; NULL when closed */
	bool overdue;			       /* running past its due at the end */
	long delivery; /* business seconds from receipt to its last delivery by the end; -1: none */
	long archive;  /* the same to its close (not as spam or duplicate); -1: none */
	size_t nsteps; /* steps begun by the end: steps[0..nsteps) */
};

/*
 * The state of t at end: the events made at or before end count, a step
 * begun by then and not ended is running.
 */
void
uc3_report__state(struct uc3_report__state *out, const struct uc3_report_ticket *t, time_t end);

/* Business minutes as "1h 5m" ("27h" past a day: these are office hours); "-" when negative. */
void uc3_report__minutes(struct uc3_buf *out, long minutes);

/* --- The cache of facts (report_cache.c), open to the unit tests --- */

#define UC3_REPORT__OID 20 /* bytes of a git object id */

/* What a ticket file gave. */
enum uc3_report__kind {
	UC3_REPORT__FACTS,  /* a ticket: t */
	UC3_REPORT__BROKEN, /* a file that does not read: broken says why */
	UC3_REPORT__PASSED  /* a ticket without a receipt that reads: in no period */
};

/* A ticket file of a month folder and what it gave. */
struct uc3_report__file {
	char *path; /* tickets/YEAR/MM/NAME */
	unsigned char blob[UC3_REPORT__OID];
	enum uc3_report__kind kind;
	struct uc3_report_ticket t; /* UC3_REPORT__FACTS */
	char *broken;		    /* UC3_REPORT__BROKEN */
};

/*
 * A month folder's files as decoded from its record: their strings point
 * into the record, their steps into steps (one block for all).
 */
struct uc3_report__month {
	struct uc3_report__file *v;
	size_t n;
	struct uc3_report_step *steps;
};

/*
 * Append the record of the files v[0..n) to out: a table of the strings
 * the facts share (kinds, units, people, steps), then each file.
 */
void uc3_report__month_encode(struct uc3_buf *out, const struct uc3_report__file *v, size_t n);

/*
 * Decode a month's record data[0..len) into *out, every read bounded.
 * Returns 0 (free with uc3_report__month_release; data must outlive it),
 * or UC3_EINVAL when it does not read to its end exactly.
 */
int uc3_report__month_decode(struct uc3_report__month *out, const void *data, size_t len);
void uc3_report__month_release(struct uc3_report__month *m);

/* A month of the cache file: its folder, its tree id and where its record is. */
struct uc3_report__cmonth {
	const char *folder; /* "2026/11" */
	unsigned char tree[UC3_REPORT__OID];
	const unsigned char *data; /* its record */
	size_t len;
	unsigned long long hash; /* of data[0..len) */
};

/* The key of the cache: what of the policy the facts depend on, as text. */
void uc3_report__cache_key(struct uc3_buf *out, const struct uc3_policy *p);

/* The hash of data[0..len) the file keeps of each record and of its index. */
unsigned long long uc3_report__hash(const void *data, size_t len);

/* The cache file of the months v[0..n) (each with its hash), for key, into out. */
void uc3_report__cache_assemble(struct uc3_buf *out, const char *key,
				const struct uc3_report__cmonth *v, size_t n);

/*
 * Read the header, index and footer of a cache file data[0..len) made
 * for key: *out (free(); pointing into data) and *n. A month's record is
 * not checked here (its hash is, by the caller, before it is decoded).
 * Returns 0, or UC3_EINVAL for a file of another key, another version,
 * or one that is cut short or does not read.
 */
int uc3_report__cache_parse(struct uc3_report__cmonth **out, size_t *n, const void *data,
			    size_t len, const char *key);

#endif
