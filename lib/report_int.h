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

#endif
