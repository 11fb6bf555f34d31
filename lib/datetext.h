#ifndef UC3_DATETEXT_H
#define UC3_DATETEXT_H

#include <time.h>

#include "buf.h"

/*
 * Dates as people read them in a letter, in their language: "Senin,
 * 30 November 2026 09.05 WIB", "Monday, 30 November 2026 09:05 WIB".
 * For mail and the text people read; what machines read (JSON, YAML,
 * commit trailers) keeps RFC 3339 (clock.h).
 */

/*
 * Append t in tz (a tz database name; NULL is UTC) in language lang:
 * "id" gives "Senin, 30 November 2026 09.05 WIB" (the day without a
 * leading zero, a full stop between hours and minutes), "en" or NULL
 * "Monday, 30 November 2026 09:05 WIB"; any other language the English
 * names through gettext. The zone is written by its abbreviation: WIB,
 * WITA and WIT for Asia/Jakarta, Asia/Makassar and Asia/Jayapura (and
 * the zones that link to them), else what the tz database calls it at t
 * ("CET", "+07"). Needs no message catalogue for "id" and "en".
 * Returns 0, or UC3_EINVAL for an unknown zone (out unchanged).
 */
int uc3_datetext_long_in(struct uc3_buf *out, time_t t, const char *tz, const char *lang);

/* The same in the language messages are in now (uc3_i18n_language()). */
int uc3_datetext_long(struct uc3_buf *out, time_t t, const char *tz);

/*
 * A timestamp of a file (RFC 3339 text) as uc3_datetext_long writes it;
 * the text itself when it does not read; nothing when ts is NULL.
 */
void uc3_datetext_long_of(struct uc3_buf *out, const char *ts, const char *tz);

#endif
