#ifndef UC3_CLOCK_H
#define UC3_CLOCK_H

#include <stdbool.h>
#include <time.h>

#include "buf.h"

/*
 * Time for every tool. "Now" comes from one place, uc3_clock_now(), which
 * honours UC3_NOW (RFC 3339) so tests and backfilling can fix it.
 * Time zones are names from the system tz database ("Asia/Jakarta").
 */

/*
 * Store the current time in *out: UC3_NOW when set (an invalid value is an
 * error, UC3_EINVAL, naming the variable), else the system clock.
 * UC3_NOW must carry its offset ("Z" or "+07:00"); set but empty is an
 * error too, not a fall-back to the system clock. So is a UC3_NOW no tool
 * could use: before 1970 (ticket ids and --received start there) or after
 * 9999-12-30 (RFC 3339 years have four digits).
 */
int uc3_clock_now(time_t *out);

/*
 * For the central's own checks (uc3 verify --pre-receive): from now on
 * uc3_clock_now ignores UC3_NOW, which a client's environment can carry
 * into a hook, and reads the system clock; or UC3_HOOK_NOW, the same
 * way, which is for tests only (a hook on a server never sees it).
 */
void uc3_clock_serve(void);

/*
 * A backfill: a step recorded at a past time (a paper form entered
 * later), which the central's hook accepts only from a holder of the
 * policy's central.backfill role, with a reason. *reason gets the
 * reason UC3_BACKFILL gives (borrowed from the environment), or NULL
 * when it is not set. A reason is one line of text, not empty, with no
 * space at either end, at most UC3_BACKFILL_MAX characters: anything
 * else is UC3_EINVAL, naming the variable.
 */
int uc3_clock_backfill(const char **reason);
#define UC3_BACKFILL_MAX 200

/*
 * Parse an RFC 3339 timestamp "2026-11-28T09:00:00+07:00" (also "Z", a
 * space for "T", and fractional seconds, which are dropped). When tz is
 * not NULL, also accept a local time without offset, "2026-11-28T09:00",
 * "2026-11-28 09:00[:ss]" or a date "2026-11-28" (midnight), read in tz.
 * Returns 0, or UC3_EINVAL with a message quoting s.
 *
 * Strict: every field has its exact number of digits, dates must exist
 * (2026-02-29 does not), an offset needs the seconds, nothing may follow.
 * Second 60 (a leap second) reads as :00 of the next minute. A local time
 * in a spring-forward gap moves on by the gap; one in the repeated hour
 * of autumn is either of the two (mktime's choice). tz is only looked
 * at for a local time: an unknown tz is UC3_EINVAL then, not otherwise.
 */
int uc3_clock_parse(time_t *out, const char *s, const char *tz);

/*
 * Append t as RFC 3339 with the offset in force in tz at that instant
 * ("2026-11-28T09:00:00+07:00"; "Z" is never written). tz NULL is UTC.
 * Returns 0, or UC3_EINVAL for an unknown zone or a t outside the years
 * 0000 to 9999. An offset with seconds (old local mean times) is written
 * cut to the minute, with the wall clock to match, so the instant holds.
 */
int uc3_clock_format(struct uc3_buf *out, time_t t, const char *tz);

/*
 * True when tz names a zone in the system tz database: a TZif file under
 * $TZDIR (default /usr/share/zoneinfo), or "UTC". Empty names, names
 * starting with "/" or holding ".." are refused. POSIX rule strings such
 * as "WIB-7" are not zones and are refused.
 */
bool uc3_clock_tz_valid(const char *tz);

/*
 * uc3_clock_format into a string of its own: *out (freed first, may be
 * NULL) gets the new text (free()). Returns 0, or UC3_EINVAL with *out
 * unchanged.
 */
int uc3_clock_format_str(char **out, time_t t, const char *tz);

/*
 * A timestamp of a file (RFC 3339 text) as uc3_clock_format_short gives
 * it; the text itself, on one line and with control characters escaped
 * (uc3_utf8_cell), when it does not read; "-" when ts is NULL.
 */
void uc3_clock_short_of(struct uc3_buf *out, const char *ts, const char *tz);

/*
 * Append t as people read it at the desk, "2026-11-28 09:00", in tz
 * (tz NULL is UTC). Returns 0, or UC3_EINVAL for an unknown zone.
 */
int uc3_clock_format_short(struct uc3_buf *out, time_t t, const char *tz);

/*
 * Broken-down local time of t in tz (like localtime_r, with tm_gmtoff).
 * tz NULL is UTC. Returns 0, or UC3_EINVAL for an unknown zone.
 */
int uc3_clock_local(struct tm *out, time_t t, const char *tz);

/*
 * Parse a duration "5m", "1h", "1h30m", "90m", "2h0m" into seconds.
 * Returns 0, or UC3_EINVAL (no message: the caller names the place).
 * Only Nm, Nh and NhMm, lower case, no spaces or signs; the minutes of
 * NhMm are 0 to 59 ("1h90m" is refused, "90m" is fine). Zero is refused
 * ("0m", "0h0m"): a step needs time. So is a value that overflows long.
 */
int uc3_clock_parse_duration(long *out, const char *s);

/*
 * Append a duration in a short human form: "5m", "1h", "2h 5m", "1d 3h",
 * "1d 2h 5m". Days are 24 hours: this is for wall time, such as a
 * lock's age; business time is written in office days by
 * uc3_calendar_format_span (calendar.h). Zero parts are left out; seconds
 * are dropped (rounded toward zero to the minute). 0 is "0m", 1 to 59
 * seconds "<1m"; a negative duration gets a leading "-" ("-2h 5m", "-<1m").
 * In the language of the messages (gettext): "1 hari 3 jam" in Indonesian;
 * so it is for people only, never for JSON or records.
 */
void uc3_clock_format_duration(struct uc3_buf *out, long seconds);

#endif
