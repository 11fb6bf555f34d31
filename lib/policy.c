#include "policy.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "error.h"
#include "xalloc.h"
#include "ydoc.h"

/*
 * The policy file is small and read once per command, so validation favours
 * clear messages over speed. The one exception is duplicate detection: a
 * file of up to 1 MiB can hold tens of thousands of list items, so
 * duplicates are found by sorting, never by comparing every pair.
 */

#define BODY_LIMIT_MAX		((size_t)4 * 1024 * 1024)
#define ID_PREFIX_MAX		16
#define QUOTE_MAX		48

struct ctx {
	const char *name;
	struct uc3_policy *p;
};

static const char *const top_keys[] = {
	"office", "sop", "id_prefix", "timezone", "require_signed", "roles",
	"steps", "calendar", "kinds", "channels", "people", "mail", "limits",
	"notify", NULL
};
static const char *const required_keys[] = {
	"office", "id_prefix", "timezone", "roles", "steps", "calendar",
	"kinds", "channels", NULL
};
static const char *const role_keys[] = { "id", "name", NULL };
static const char *const calendar_keys[] = { "hours", "holidays", NULL };
static const char *const person_keys[] = {
	"email", "name", "roles", "keys", NULL
};
static const char *const mail_keys[] = { "from", "sendmail", NULL };
static const char *const limits_keys[] = { "body", NULL };
static const char *const notify_keys[] = { "holders", "next_up", "office_hours_only",
					   "fallback", NULL };

/* Indexed by tm_wday, as struct uc3_calendar is. */
static const char *const day_names[7] = {
	"sun", "mon", "tue", "wed", "thu", "fri", "sat"
};

#define DEFAULT_SENDMAIL "/usr/sbin/sendmail -t -i"

/*
 * Copy s into dst (of size sz) between double quotes, with quotes,
 * backslashes and control characters escaped and long text cut at a
 * character boundary, so a value from the file can go into a one-line
 * message whatever it holds.
 */
static const char *
quote(char *dst, size_t sz, const char *s)
{
	size_t i = 0, n = 0;

	if (sz < 8)
		return "";
	dst[i++] = '"';
	for (; s[n] != '\0'; n++) {
		unsigned char ch = (unsigned char)s[n];

		if (n >= QUOTE_MAX || i + 8 >= sz) {
			/* Do not leave half a UTF-8 sequence behind. */
			while (i > 1 && ((unsigned char)dst[i - 1] & 0xC0) == 0x80)
				i--;
			if (i > 1 && ((unsigned char)dst[i - 1] & 0xC0) == 0xC0)
				i--;
			memcpy(dst + i, "...", 3);
			i += 3;
			break;
		}
		if (ch == '"' || ch == '\\') {
			dst[i++] = '\\';
			dst[i++] = (char)ch;
		} else if (ch < 0x20 || ch == 0x7f) {
			i += (size_t)snprintf(dst + i, sz - i, "\\x%02x", ch);
		} else {
			dst[i++] = (char)ch;
		}
	}
	dst[i++] = '"';
	dst[i] = '\0';
	return dst;
}

static int
perr_at(struct ctx *c, unsigned line, unsigned col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
perr_at(struct ctx *c, unsigned line, unsigned col, const char *fmt, ...)
{
	char msg[1536];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return uc3_error_set(UC3_EPOLICY, "%s:%u:%u: %s", c->name, line, col,
	    msg);
}

/* The message goes at node n: where its value starts. */
#define perr(c, n, ...) perr_at((c), (n)->line, (n)->col, __VA_ARGS__)

static void
key_pos(const struct uc3_ynode *map, size_t i, unsigned *line, unsigned *col)
{
	if (map->key_line && map->key_col) {
		*line = map->key_line[i];
		*col = map->key_col[i];
	} else {
		*line = map->line;
		*col = map->col;
	}
}

static bool
in_list(const char *const *list, const char *s)
{
	for (; *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

/*
 * Refuse any key of map not in allowed, naming the allowed ones so the
 * office can see a typo at once. where is "" at the top level.
 */
static int
check_keys(struct ctx *c, const struct uc3_ynode *map, const char *where,
    const char *const *allowed)
{
	char q[QUOTE_MAX * 4 + 16], list[512];
	unsigned line, col;
	size_t i, off = 0;

	for (i = 0; i < map->n; i++) {
		const char *const *a;

		if (in_list(allowed, map->keys[i]))
			continue;
		list[0] = '\0';
		for (a = allowed; *a; a++)
			off += (size_t)snprintf(list + off, sizeof(list) - off,
			    "%s%s", a == allowed ? "" : ", ", *a);
		key_pos(map, i, &line, &col);
		return perr_at(c, line, col, "unknown key %s%s%s (allowed: %s)",
		    quote(q, sizeof(q), map->keys[i]), *where ? " in " : "",
		    where, list);
	}
	return 0;
}

/* The value of key, or NULL when it is absent or written as null. */
static const struct uc3_ynode *
opt(const struct uc3_ynode *map, const char *key)
{
	const struct uc3_ynode *n = uc3_ynode_get(map, key);

	if (n == NULL || uc3_ynode_is_null(n))
		return NULL;
	return n;
}

/*
 * The value of a required key. An explicit null counts as missing but is
 * reported where it stands, which is easier to find than the map.
 */
static int
need(struct ctx *c, const struct uc3_ynode *map, const char *key,
    const char *where, const struct uc3_ynode **out)
{
	const struct uc3_ynode *n = uc3_ynode_get(map, key);

	if (n == NULL)
		return perr(c, map, "missing required key \"%s\"%s%s", key,
		    *where ? " in " : "", where);
	if (uc3_ynode_is_null(n))
		return perr(c, n, "%s%s%s needs a value", where,
		    *where ? "." : "", key);
	*out = n;
	return 0;
}

static int
want_type(struct ctx *c, const struct uc3_ynode *n, enum uc3_ynode_type t,
    const char *what)
{
	static const char *const tname[] = {
		[UC3_YSCALAR] = "a string",
		[UC3_YSEQ] = "a sequence (a list)",
		[UC3_YMAP] = "a mapping (key: value)"
	};

	if (n->type == t)
		return 0;
	return perr(c, n, "%s must be %s", what, tname[t]);
}

/* Text that goes into a message, a header or a commit trailer: no controls. */
static bool
one_line(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool
blank(const char *s)
{
	for (; *s; s++)
		if (!isspace((unsigned char)*s))
			return false;
	return true;
}

/* A non-empty, single-line string, copied to *out (free()). */
static int
get_line(struct ctx *c, const struct uc3_ynode *n, const char *what,
    char **out)
{
	int rc;

	if ((rc = want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (blank(n->str))
		return perr(c, n, "%s must not be empty", what);
	if (!one_line(n->str))
		return perr(c, n, "%s must be one line of text", what);
	*out = uc3_xstrdup(n->str);
	return 0;
}

/* [a-z0-9][a-z0-9_-]*, or with first_alpha [a-z][a-z0-9_-]*. */
static bool
is_token(const char *s, bool first_alpha)
{
	const char *t;

	if (!(*s >= 'a' && *s <= 'z') &&
	    (first_alpha || !(*s >= '0' && *s <= '9')))
		return false;
	for (t = s + 1; *t; t++)
		if (!((*t >= 'a' && *t <= 'z') || (*t >= '0' && *t <= '9') ||
		    *t == '_' || *t == '-'))
			return false;
	return true;
}

struct dupent {
	const char *s;
	size_t i;
};

static int
dupcmp(const void *a, const void *b)
{
	const struct dupent *x = a, *y = b;
	int r = strcmp(x->s, y->s);

	if (r)
		return r;
	return x->i < y->i ? -1 : x->i > y->i;
}

static int
dupcasecmp(const void *a, const void *b)
{
	const struct dupent *x = a, *y = b;
	int r = strcasecmp(x->s, y->s);

	if (r)
		return r;
	return x->i < y->i ? -1 : x->i > y->i;
}

/*
 * Find a repeated string in s[0..n). Returns true with *dup the index of
 * the first repeat in list order and *first the index of its earlier
 * twin, so the message points at the line the office added last.
 */
static bool
find_dup(char *const *s, size_t n, bool icase, size_t *first, size_t *dup)
{
	struct dupent *e;
	size_t i, best = SIZE_MAX, bestfirst = 0, runstart = 0;
	int (*cmp)(const char *, const char *) = icase ? strcasecmp : strcmp;

	if (n < 2)
		return false;
	e = uc3_xcalloc(n, sizeof(*e));
	for (i = 0; i < n; i++) {
		e[i].s = s[i];
		e[i].i = i;
	}
	qsort(e, n, sizeof(*e), icase ? dupcasecmp : dupcmp);
	for (i = 1; i < n; i++) {
		if (cmp(e[i].s, e[i - 1].s) != 0) {
			runstart = i;
			continue;
		}
		/* Within a run the first entry is the earliest. */
		if (e[i].i < best) {
			best = e[i].i;
			bestfirst = e[runstart].i;
		}
	}
	free(e);
	if (best == SIZE_MAX)
		return false;
	*first = bestfirst;
	*dup = best;
	return true;
}

static int
parse_id_prefix(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	const char *s;
	size_t len;
	int rc;

	if ((rc = want_type(c, n, UC3_YSCALAR, "id_prefix")) < 0)
		return rc;
	s = n->str;
	len = strlen(s);
	if (len == 0 || len > ID_PREFIX_MAX || !(s[0] >= 'A' && s[0] <= 'Z') ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != len)
		return perr(c, n, "id_prefix %s must be an upper-case letter "
		    "followed by up to %d upper-case letters or digits",
		    quote(q, sizeof(q), s), ID_PREFIX_MAX - 1);
	c->p->id_prefix = uc3_xstrdup(s);
	return 0;
}

/*
 * A zone name goes into TZ; refuse anything that is not a plain tz
 * database name first, so no file outside the database is ever read.
 */
static int
parse_timezone(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	const char *s;
	int rc;

	if ((rc = want_type(c, n, UC3_YSCALAR, "timezone")) < 0)
		return rc;
	s = n->str;
	if (s[0] == '\0' || s[0] == '/' || s[0] == '-' ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/_+-") != strlen(s) || !uc3_clock_tz_valid(s))
		return perr(c, n, "timezone %s is not a zone of the tz "
		    "database (e.g. Asia/Jakarta)", quote(q, sizeof(q), s));
	c->p->timezone = uc3_xstrdup(s);
	return 0;
}

static int
parse_bool(struct ctx *c, const struct uc3_ynode *n, const char *what,
    bool *out)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (strcmp(n->str, "true") == 0)
		*out = true;
	else if (strcmp(n->str, "false") == 0)
		*out = false;
	else
		return perr(c, n, "%s must be true or false, not %s", what,
		    quote(q, sizeof(q), n->str));
	return 0;
}

static int
parse_roles(struct ctx *c, const struct uc3_ynode *seq)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_policy *p = c->p;
	char **ids;
	size_t i, first, dup;
	int rc;

	if ((rc = want_type(c, seq, UC3_YSEQ, "roles")) < 0)
		return rc;
	if (seq->n == 0)
		return perr(c, seq, "roles must list at least one role");
	p->roles = uc3_xcalloc(seq->n, sizeof(*p->roles));
	for (i = 0; i < seq->n; i++) {
		const struct uc3_ynode *r = seq->items[i], *v;
		struct uc3_role *role = &p->roles[i];

		if ((rc = want_type(c, r, UC3_YMAP, "a role")) < 0 ||
		    (rc = check_keys(c, r, "a role", role_keys)) < 0 ||
		    (rc = need(c, r, "id", "role", &v)) < 0 ||
		    (rc = want_type(c, v, UC3_YSCALAR, "role id")) < 0)
			return rc;
		if (!is_token(v->str, true))
			return perr(c, v, "role id %s must be a lower-case word: "
			    "[a-z][a-z0-9_-]*", quote(q, sizeof(q), v->str));
		/* Those two name the steps after the chain in "steps". */
		if (strcmp(v->str, "deliver") == 0 ||
		    strcmp(v->str, "archive") == 0)
			return perr(c, v, "role id \"%s\" is reserved for a step",
			    v->str);
		role->id = uc3_xstrdup(v->str);
		p->nroles = i + 1;
		if ((v = opt(r, "name")) != NULL) {
			if ((rc = get_line(c, v, "role name", &role->name)) < 0)
				return rc;
		} else {
			role->name = uc3_xstrdup(role->id);
		}
	}
	ids = uc3_xcalloc(p->nroles, sizeof(*ids));
	for (i = 0; i < p->nroles; i++)
		ids[i] = p->roles[i].id;
	if (find_dup(ids, p->nroles, false, &first, &dup)) {
		const struct uc3_ynode *v = uc3_ynode_get(seq->items[dup], "id");
		const struct uc3_ynode *f = uc3_ynode_get(seq->items[first],
		    "id");

		free(ids);
		return perr(c, v, "role \"%s\" is listed twice (first at "
		    "%u:%u)", p->roles[dup].id, f->line, f->col);
	}
	free(ids);
	return 0;
}

static int
parse_duration(struct ctx *c, const struct uc3_ynode *n, const char *what,
    long *out)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (uc3_clock_parse_duration(out, n->str) < 0)
		return perr(c, n, "%s: bad duration %s (write 5m, 1h or 1h30m)",
		    what, quote(q, sizeof(q), n->str));
	if (*out <= 0)
		return perr(c, n, "%s: a step needs some time, not %s", what,
		    quote(q, sizeof(q), n->str));
	return 0;
}

/* Needs the roles: every role of the chain has a step, and nothing else. */
static int
parse_steps(struct ctx *c, const struct uc3_ynode *map)
{
	char q[QUOTE_MAX * 4 + 16], what[128];
	struct uc3_policy *p = c->p;
	const struct uc3_ynode *v;
	unsigned line, col;
	size_t i;
	int rc;

	if ((rc = want_type(c, map, UC3_YMAP, "steps")) < 0)
		return rc;
	for (i = 0; i < map->n; i++) {
		const char *k = map->keys[i];

		if (strcmp(k, "deliver") == 0 || strcmp(k, "archive") == 0 ||
		    uc3_policy_role(p, k) != NULL)
			continue;
		key_pos(map, i, &line, &col);
		return perr_at(c, line, col, "unknown step %s: steps are the "
		    "role ids of the chain, deliver and archive",
		    quote(q, sizeof(q), k));
	}
	for (i = 0; i < p->nroles; i++) {
		snprintf(what, sizeof(what), "steps.%s", p->roles[i].id);
		if ((v = uc3_ynode_get(map, p->roles[i].id)) == NULL)
			return perr(c, map, "steps: no step for role \"%s\"",
			    p->roles[i].id);
		if ((rc = parse_duration(c, v, what, &p->roles[i].step)) < 0)
			return rc;
	}
	if ((rc = need(c, map, "deliver", "steps", &v)) < 0 ||
	    (rc = parse_duration(c, v, "steps.deliver", &p->step_deliver)) < 0)
		return rc;
	if ((rc = need(c, map, "archive", "steps", &v)) < 0 ||
	    (rc = parse_duration(c, v, "steps.archive", &p->step_archive)) < 0)
		return rc;
	return 0;
}

/* "H:MM" or "HH:MM", 00:00 to 24:00, into minutes; advances *sp. */
static bool
parse_hhmm(const char **sp, int *out)
{
	const char *s = *sp;
	int h, m;

	if (!isdigit((unsigned char)s[0]))
		return false;
	h = s[0] - '0';
	s++;
	if (isdigit((unsigned char)s[0])) {
		h = h * 10 + (s[0] - '0');
		s++;
	}
	if (s[0] != ':' || !isdigit((unsigned char)s[1]) ||
	    !isdigit((unsigned char)s[2]))
		return false;
	m = (s[1] - '0') * 10 + (s[2] - '0');
	if (h > 24 || m > 59 || (h == 24 && m != 0))
		return false;
	*out = h * 60 + m;
	*sp = s + 3;
	return true;
}

static int
rangecmp(const void *a, const void *b)
{
	const struct uc3_range *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

/*
 * One day's "HH:MM-HH:MM[,HH:MM-HH:MM...]": sorted, overlaps refused,
 * ranges that touch merged, so the clock can walk them in order.
 */
static int
parse_day(struct ctx *c, const struct uc3_ynode *n, int wday)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_calendar *cal = &c->p->calendar;
	struct uc3_range *r;
	const char *s;
	size_t nr = 1, i, k;
	int rc;

	if ((rc = want_type(c, n, UC3_YSCALAR, day_names[wday])) < 0)
		return rc;
	for (s = n->str; *s; s++)
		if (*s == ',')
			nr++;
	r = uc3_xcalloc(nr, sizeof(*r));
	s = n->str;
	for (i = 0; i < nr; i++) {
		while (*s == ' ')
			s++;
		if (!parse_hhmm(&s, &r[i].start))
			goto bad;
		while (*s == ' ')
			s++;
		if (*s++ != '-')
			goto bad;
		while (*s == ' ')
			s++;
		if (!parse_hhmm(&s, &r[i].end))
			goto bad;
		while (*s == ' ')
			s++;
		if (*s != (i + 1 < nr ? ',' : '\0'))
			goto bad;
		s++;
		if (r[i].start >= r[i].end) {
			struct uc3_range a = r[i];

			free(r);
			return perr(c, n, "calendar.hours.%s: range "
			    "%02d:%02d-%02d:%02d must end after it starts",
			    day_names[wday], a.start / 60, a.start % 60,
			    a.end / 60, a.end % 60);
		}
	}
	qsort(r, nr, sizeof(*r), rangecmp);
	for (i = 1, k = 0; i < nr; i++) {
		if (r[i].start < r[k].end) {
			struct uc3_range a = r[k], b = r[i];

			free(r);
			return perr(c, n, "calendar.hours.%s: ranges "
			    "%02d:%02d-%02d:%02d and %02d:%02d-%02d:%02d overlap",
			    day_names[wday], a.start / 60, a.start % 60,
			    a.end / 60, a.end % 60, b.start / 60, b.start % 60,
			    b.end / 60, b.end % 60);
		}
		if (r[i].start == r[k].end)
			r[k].end = r[i].end;
		else
			r[++k] = r[i];
	}
	cal->day[wday] = r;
	cal->nday[wday] = k + 1;
	return 0;
bad:
	free(r);
	return perr(c, n, "calendar.hours.%s: bad time ranges %s (write "
	    "HH:MM-HH:MM, several separated by commas, within 00:00-24:00)",
	    day_names[wday], quote(q, sizeof(q), n->str));
}

static int
parse_hours(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_calendar *cal = &c->p->calendar;
	unsigned line, col;
	size_t i, total = 0;
	int d, rc;

	if (n->type == UC3_YSCALAR) {
		if (strcmp(n->str, "always") != 0)
			return perr(c, n, "calendar.hours must be `always` or a "
			    "mapping of days (mon..sun) to time ranges, not %s",
			    quote(q, sizeof(q), n->str));
		cal->always = true;
		return 0;
	}
	if ((rc = want_type(c, n, UC3_YMAP, "calendar.hours")) < 0)
		return rc;
	for (i = 0; i < n->n; i++) {
		for (d = 0; d < 7; d++)
			if (strcmp(n->keys[i], day_names[d]) == 0)
				break;
		if (d == 7) {
			key_pos(n, i, &line, &col);
			return perr_at(c, line, col, "unknown day %s in "
			    "calendar.hours (allowed: mon, tue, wed, thu, fri, "
			    "sat, sun)", quote(q, sizeof(q), n->keys[i]));
		}
		/* A day written as null is a day the office is closed. */
		if (uc3_ynode_is_null(n->items[i]))
			continue;
		if ((rc = parse_day(c, n->items[i], d)) < 0)
			return rc;
		total += cal->nday[d];
	}
	/* With no open hour at all no deadline could ever be reached. */
	if (total == 0)
		return perr(c, n, "calendar.hours: no day has office hours "
		    "(use `hours: always` for 24/7)");
	return 0;
}

static bool
valid_date(const char *s, int *out)
{
	static const int mdays[] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int y, m, d, i, leap;

	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && !isdigit((unsigned char)s[i]))
			return false;
	y = atoi(s);
	m = atoi(s + 5);
	d = atoi(s + 8);
	leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (y < 1970 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1] + (m == 2 && leap))
		return false;
	*out = y * 10000 + m * 100 + d;
	return true;
}

static int
intcmp(const void *a, const void *b)
{
	int x = *(const int *)a, y = *(const int *)b;

	return x < y ? -1 : x > y;
}

static int
parse_holidays(struct ctx *c, const struct uc3_ynode *seq)
{
	char q[QUOTE_MAX * 4 + 16];
	struct uc3_calendar *cal = &c->p->calendar;
	char **strs;
	size_t i, first, dup;
	int rc;

	if ((rc = want_type(c, seq, UC3_YSEQ, "calendar.holidays")) < 0)
		return rc;
	if (seq->n == 0)
		return 0;
	if (cal->always)
		return perr(c, seq, "calendar.holidays: with `hours: always` "
		    "every day counts; remove the holidays or list the hours");
	cal->holidays = uc3_xcalloc(seq->n, sizeof(*cal->holidays));
	strs = uc3_xcalloc(seq->n, sizeof(*strs));
	for (i = 0; i < seq->n; i++) {
		const struct uc3_ynode *h = seq->items[i];

		if ((rc = want_type(c, h, UC3_YSCALAR, "a holiday")) < 0)
			goto out;
		if (!valid_date(h->str, &cal->holidays[i])) {
			rc = perr(c, h, "calendar.holidays: %s is not a date "
			    "YYYY-MM-DD", quote(q, sizeof(q), h->str));
			goto out;
		}
		cal->nholidays = i + 1;
		strs[i] = h->str;
	}
	/* Same text, same date: valid_date allows no other spelling. */
	if (find_dup(strs, seq->n, false, &first, &dup)) {
		rc = perr(c, seq->items[dup], "calendar.holidays: %s is listed "
		    "twice (first at %u:%u)", seq->items[dup]->str,
		    seq->items[first]->line, seq->items[first]->col);
		goto out;
	}
	qsort(cal->holidays, cal->nholidays, sizeof(int), intcmp);
	rc = 0;
out:
	free(strs);
	return rc;
}

static int
parse_calendar(struct ctx *c, const struct uc3_ynode *map)
{
	const struct uc3_ynode *v;
	int rc;

	if ((rc = want_type(c, map, UC3_YMAP, "calendar")) < 0 ||
	    (rc = check_keys(c, map, "calendar", calendar_keys)) < 0 ||
	    (rc = need(c, map, "hours", "calendar", &v)) < 0 ||
	    (rc = parse_hours(c, v)) < 0)
		return rc;
	if ((v = opt(map, "holidays")) != NULL &&
	    (rc = parse_holidays(c, v)) < 0)
		return rc;
	return 0;
}

/*
 * A list of tokens (kinds, channels, a person's roles): non-empty, each
 * [a-z0-9][a-z0-9_-]*, no repeats. The strings are copied to *out.
 */
static int
parse_tokens(struct ctx *c, const struct uc3_ynode *seq, const char *what,
    char ***out, size_t *nout)
{
	char q[QUOTE_MAX * 4 + 16];
	char **v;
	size_t i, first, dup;
	int rc;

	if ((rc = want_type(c, seq, UC3_YSEQ, what)) < 0)
		return rc;
	if (seq->n == 0)
		return perr(c, seq, "%s must list at least one entry", what);
	v = uc3_xcalloc(seq->n, sizeof(*v));
	*out = v;
	for (i = 0; i < seq->n; i++) {
		const struct uc3_ynode *t = seq->items[i];

		if ((rc = want_type(c, t, UC3_YSCALAR, "an entry")) < 0)
			return rc;
		if (!is_token(t->str, false))
			return perr(c, t, "%s: %s must be one lower-case word: "
			    "[a-z0-9][a-z0-9_-]*", what,
			    quote(q, sizeof(q), t->str));
		v[i] = uc3_xstrdup(t->str);
		*nout = i + 1;
	}
	if (find_dup(v, seq->n, false, &first, &dup))
		return perr(c, seq->items[dup], "%s: \"%s\" is listed twice "
		    "(first at %u:%u)", what, v[dup],
		    seq->items[first]->line, seq->items[first]->col);
	return 0;
}

/*
 * Good enough to catch a typo, not RFC 5321: one '@', a local part with
 * no blanks, controls or address punctuation, a domain of dot-separated
 * non-empty labels.
 */
static bool
looks_like_email(const char *s)
{
	const char *at = strchr(s, '@'), *d;

	if (at == NULL || at == s || strchr(at + 1, '@') != NULL)
		return false;
	for (d = s; d < at; d++)
		if ((unsigned char)*d <= 0x20 || *d == 0x7f ||
		    strchr("<>()[],;:\\\"", *d) != NULL)
			return false;
	d = at + 1;
	if (*d == '\0' || *d == '.' || d[strlen(d) - 1] == '.' ||
	    strstr(d, "..") != NULL)
		return false;
	for (; *d; d++)
		if (!isalnum((unsigned char)*d) && *d != '-' && *d != '.' &&
		    (unsigned char)*d < 0x80)
			return false;
	return true;
}

static int
parse_person(struct ctx *c, const struct uc3_ynode *m, struct uc3_person *pp)
{
	char q[QUOTE_MAX * 4 + 16];
	const struct uc3_ynode *v;
	size_t i;
	int rc;

	if ((rc = want_type(c, m, UC3_YMAP, "a person")) < 0 ||
	    (rc = check_keys(c, m, "a person", person_keys)) < 0 ||
	    (rc = need(c, m, "email", "person", &v)) < 0 ||
	    (rc = want_type(c, v, UC3_YSCALAR, "email")) < 0)
		return rc;
	if (!looks_like_email(v->str))
		return perr(c, v, "people: %s is not an email address",
		    quote(q, sizeof(q), v->str));
	pp->email = uc3_xstrdup(v->str);
	if ((v = opt(m, "name")) != NULL &&
	    (rc = get_line(c, v, "name", &pp->name)) < 0)
		return rc;
	if ((rc = need(c, m, "roles", "person", &v)) < 0 ||
	    (rc = parse_tokens(c, v, "roles", &pp->roles, &pp->nroles)) < 0)
		return rc;
	for (i = 0; i < pp->nroles; i++)
		if (uc3_policy_role(c->p, pp->roles[i]) == NULL)
			return perr(c, v->items[i], "people: %s has role \"%s\", "
			    "which is not in the chain", pp->email,
			    pp->roles[i]);
	if ((v = opt(m, "keys")) == NULL)
		return 0;
	if ((rc = want_type(c, v, UC3_YSEQ, "keys")) < 0)
		return rc;
	pp->keys = uc3_xcalloc(v->n ? v->n : 1, sizeof(*pp->keys));
	for (i = 0; i < v->n; i++) {
		if ((rc = get_line(c, v->items[i], "a key",
		    &pp->keys[i])) < 0)
			return rc;
		pp->nkeys = i + 1;
	}
	return 0;
}

/*
 * Emails are compared case-insensitively everywhere, so two spellings of
 * one address are one person. A key given to two people would let one
 * sign as the other, so keys are unique across the whole list.
 */
static int
parse_people(struct ctx *c, const struct uc3_ynode *seq)
{
	struct uc3_policy *p = c->p;
	const struct uc3_ynode **knode;
	char **strs;
	size_t i, j, k, nkeys = 0, first, dup;
	int rc;

	if ((rc = want_type(c, seq, UC3_YSEQ, "people")) < 0)
		return rc;
	if (seq->n == 0)
		return 0;
	p->people = uc3_xcalloc(seq->n, sizeof(*p->people));
	for (i = 0; i < seq->n; i++) {
		p->npeople = i + 1;
		if ((rc = parse_person(c, seq->items[i], &p->people[i])) < 0)
			return rc;
		nkeys += p->people[i].nkeys;
	}
	strs = uc3_xcalloc(p->npeople, sizeof(*strs));
	for (i = 0; i < p->npeople; i++)
		strs[i] = p->people[i].email;
	if (find_dup(strs, p->npeople, true, &first, &dup)) {
		const struct uc3_ynode *f = uc3_ynode_get(seq->items[first],
		    "email");

		rc = perr(c, uc3_ynode_get(seq->items[dup], "email"),
		    "people: %s is listed twice (first at %u:%u)",
		    p->people[dup].email, f->line, f->col);
		free(strs);
		return rc;
	}
	free(strs);
	if (nkeys == 0)
		return 0;
	strs = uc3_xcalloc(nkeys, sizeof(*strs));
	knode = uc3_xcalloc(nkeys, sizeof(*knode));
	for (i = 0, k = 0; i < p->npeople; i++) {
		const struct uc3_ynode *ks = uc3_ynode_get(seq->items[i], "keys");

		for (j = 0; j < p->people[i].nkeys; j++, k++) {
			strs[k] = p->people[i].keys[j];
			knode[k] = ks->items[j];
		}
	}
	rc = 0;
	if (find_dup(strs, nkeys, false, &first, &dup))
		rc = perr(c, knode[dup], "people: this key is given twice "
		    "(first at %u:%u); a key belongs to one person",
		    knode[first]->line, knode[first]->col);
	free(strs);
	free(knode);
	return rc;
}

static int
parse_mail(struct ctx *c, const struct uc3_ynode *map)
{
	const struct uc3_ynode *v;
	int rc;

	if ((rc = want_type(c, map, UC3_YMAP, "mail")) < 0 ||
	    (rc = check_keys(c, map, "mail", mail_keys)) < 0)
		return rc;
	/* Both end up in a mail header or a command line: one line each. */
	if ((v = opt(map, "from")) != NULL &&
	    (rc = get_line(c, v, "mail.from", &c->p->mail_from)) < 0)
		return rc;
	if ((v = opt(map, "sendmail")) != NULL) {
		free(c->p->sendmail);
		c->p->sendmail = NULL;
		if ((rc = get_line(c, v, "mail.sendmail", &c->p->sendmail)) < 0)
			return rc;
	}
	return 0;
}

/* Who uc3 overdue --mail tells, and when. */
static int
parse_notify(struct ctx *c, const struct uc3_ynode *map)
{
	char q[QUOTE_MAX * 4 + 16];
	const struct uc3_ynode *v;
	size_t i;
	int rc;

	if ((rc = want_type(c, map, UC3_YMAP, "notify")) < 0 ||
	    (rc = check_keys(c, map, "notify", notify_keys)) < 0)
		return rc;
	if ((v = opt(map, "holders")) != NULL &&
	    (rc = parse_bool(c, v, "notify.holders", &c->p->notify_holders)) < 0)
		return rc;
	if ((v = opt(map, "next_up")) != NULL &&
	    (rc = parse_bool(c, v, "notify.next_up", &c->p->notify_next_up)) < 0)
		return rc;
	if ((v = opt(map, "office_hours_only")) != NULL &&
	    (rc = parse_bool(c, v, "notify.office_hours_only",
	    &c->p->notify_office_hours_only)) < 0)
		return rc;
	if ((v = opt(map, "fallback")) == NULL)
		return 0;
	if ((rc = want_type(c, v, UC3_YSEQ, "notify.fallback")) < 0)
		return rc;
	c->p->notify_fallback = uc3_xcalloc(v->n + 1, sizeof(char *));
	for (i = 0; i < v->n; i++) {
		const struct uc3_ynode *e = v->items[i];

		if ((rc = want_type(c, e, UC3_YSCALAR, "notify.fallback")) < 0)
			return rc;
		if (!looks_like_email(e->str))
			return perr(c, e, "notify.fallback: %s is not an email address",
			    quote(q, sizeof(q), e->str));
		c->p->notify_fallback[c->p->nnotify_fallback++] = uc3_xstrdup(e->str);
	}
	return 0;
}

/* "1048576", "512KiB", "512K", "1MiB", "1M"; "kB"/"MB" are decimal. */
static int
parse_size(struct ctx *c, const struct uc3_ynode *n, const char *what,
    size_t *out)
{
	static const struct {
		const char *suffix;
		unsigned long long mult;
	} units[] = {
		{ "", 1 }, { "B", 1 },
		{ "K", 1024 }, { "KiB", 1024 }, { "kB", 1000 }, { "KB", 1000 },
		{ "M", 1024 * 1024 }, { "MiB", 1024 * 1024 },
		{ "MB", 1000 * 1000 },
	};
	char q[QUOTE_MAX * 4 + 16];
	unsigned long long v = 0;
	const char *s;
	size_t i;
	int rc;

	if ((rc = want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	s = n->str;
	if (!isdigit((unsigned char)*s))
		goto bad;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > BODY_LIMIT_MAX)
			goto big;
		v = v * 10 + (unsigned)(*s - '0');
	}
	if (*s == ' ')
		s++;
	for (i = 0; i < sizeof(units) / sizeof(units[0]); i++)
		if (strcmp(s, units[i].suffix) == 0)
			break;
	if (i == sizeof(units) / sizeof(units[0]))
		goto bad;
	if (v > BODY_LIMIT_MAX)
		goto big;
	v *= units[i].mult;
	if (v == 0)
		return perr(c, n, "%s must be more than zero", what);
	if (v > BODY_LIMIT_MAX)
		goto big;
	*out = (size_t)v;
	return 0;
big:
	return perr(c, n, "%s %s is more than the most uc3 takes, 4MiB", what,
	    quote(q, sizeof(q), n->str));
bad:
	return perr(c, n, "%s: bad size %s (write bytes, or a number with "
	    "KiB or MiB: 1MiB, 512KiB)", what, quote(q, sizeof(q), n->str));
}

static int
parse_limits(struct ctx *c, const struct uc3_ynode *map)
{
	const struct uc3_ynode *v;
	int rc;

	if ((rc = want_type(c, map, UC3_YMAP, "limits")) < 0 ||
	    (rc = check_keys(c, map, "limits", limits_keys)) < 0)
		return rc;
	if ((v = opt(map, "body")) != NULL &&
	    (rc = parse_size(c, v, "limits.body", &c->p->body_limit)) < 0)
		return rc;
	return 0;
}

/*
 * Keys are checked in the order DESIGN section 5 lists them, whatever
 * their order in the file, since steps and people refer to the roles.
 */
static int
parse_root(struct ctx *c, const struct uc3_ynode *root)
{
	struct uc3_policy *p = c->p;
	const struct uc3_ynode *v;
	const char *const *k;
	int rc;

	if (root->type != UC3_YMAP)
		return perr(c, root, "the policy must be a mapping of keys "
		    "(office, id_prefix, roles...)");
	if ((rc = check_keys(c, root, "", top_keys)) < 0)
		return rc;
	for (k = required_keys; *k; k++)
		if ((rc = need(c, root, *k, "", &v)) < 0)
			return rc;

	v = uc3_ynode_get(root, "office");
	if ((rc = get_line(c, v, "office", &p->office)) < 0)
		return rc;
	if ((v = opt(root, "sop")) != NULL &&
	    (rc = get_line(c, v, "sop", &p->sop)) < 0)
		return rc;
	if ((rc = parse_id_prefix(c, uc3_ynode_get(root, "id_prefix"))) < 0 ||
	    (rc = parse_timezone(c, uc3_ynode_get(root, "timezone"))) < 0)
		return rc;
	if ((v = opt(root, "require_signed")) != NULL &&
	    (rc = parse_bool(c, v, "require_signed", &p->require_signed)) < 0)
		return rc;
	if ((rc = parse_roles(c, uc3_ynode_get(root, "roles"))) < 0 ||
	    (rc = parse_steps(c, uc3_ynode_get(root, "steps"))) < 0 ||
	    (rc = parse_calendar(c, uc3_ynode_get(root, "calendar"))) < 0 ||
	    (rc = parse_tokens(c, uc3_ynode_get(root, "kinds"), "kinds",
	    &p->kinds, &p->nkinds)) < 0 ||
	    (rc = parse_tokens(c, uc3_ynode_get(root, "channels"), "channels",
	    &p->channels, &p->nchannels)) < 0)
		return rc;
	if ((v = opt(root, "people")) != NULL &&
	    (rc = parse_people(c, v)) < 0)
		return rc;
	if ((v = opt(root, "mail")) != NULL && (rc = parse_mail(c, v)) < 0)
		return rc;
	if ((v = opt(root, "limits")) != NULL && (rc = parse_limits(c, v)) < 0)
		return rc;
	if ((v = opt(root, "notify")) != NULL && (rc = parse_notify(c, v)) < 0)
		return rc;
	return 0;
}

int
uc3_policy_parse(struct uc3_policy **out, const char *data, size_t len,
    const char *name)
{
	struct uc3_ynode *root = NULL;
	struct uc3_policy *p;
	struct ctx c;
	int rc;

	*out = NULL;
	if (name == NULL)
		name = UC3_POLICY_FILE;
	if (uc3_ydoc_parse(&root, data, len, name, UC3_POLICY_FILE_MAX) < 0) {
		char msg[2048];

		/* The reader's message already names the place; recode it. */
		snprintf(msg, sizeof(msg), "%s", uc3_error_last());
		return uc3_error_set(UC3_EPOLICY, "%s", msg);
	}
	p = uc3_xcalloc(1, sizeof(*p));
	p->sendmail = uc3_xstrdup(DEFAULT_SENDMAIL);
	p->body_limit = UC3_BODY_LIMIT_DEFAULT;
	p->notify_holders = true;
	p->notify_next_up = true;
	c.name = name;
	c.p = p;
	rc = parse_root(&c, root);
	uc3_ynode_free(root);
	if (rc < 0) {
		uc3_policy_free(p);
		return rc;
	}
	*out = p;
	return 0;
}

static void
free_strv(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
uc3_policy_free(struct uc3_policy *p)
{
	size_t i;
	int d;

	if (p == NULL)
		return;
	free(p->office);
	free(p->sop);
	free(p->id_prefix);
	free(p->timezone);
	for (i = 0; i < p->nroles; i++) {
		free(p->roles[i].id);
		free(p->roles[i].name);
	}
	free(p->roles);
	for (d = 0; d < 7; d++)
		free(p->calendar.day[d]);
	free(p->calendar.holidays);
	free_strv(p->kinds, p->nkinds);
	free_strv(p->channels, p->nchannels);
	for (i = 0; i < p->npeople; i++) {
		free(p->people[i].email);
		free(p->people[i].name);
		free_strv(p->people[i].roles, p->people[i].nroles);
		free_strv(p->people[i].keys, p->people[i].nkeys);
	}
	free(p->people);
	free(p->mail_from);
	free(p->sendmail);
	for (i = 0; i < p->nnotify_fallback; i++)
		free(p->notify_fallback[i]);
	free(p->notify_fallback);
	free(p);
}

const struct uc3_role *
uc3_policy_role(const struct uc3_policy *p, const char *id)
{
	int i = uc3_policy_role_index(p, id);

	return i < 0 ? NULL : &p->roles[i];
}

int
uc3_policy_role_index(const struct uc3_policy *p, const char *id)
{
	size_t i;

	if (id == NULL)
		return -1;
	for (i = 0; i < p->nroles; i++)
		if (strcmp(p->roles[i].id, id) == 0)
			return (int)i;
	return -1;
}

const struct uc3_person *
uc3_policy_person(const struct uc3_policy *p, const char *email)
{
	size_t i;

	if (email == NULL)
		return NULL;
	for (i = 0; i < p->npeople; i++)
		if (strcasecmp(p->people[i].email, email) == 0)
			return &p->people[i];
	return NULL;
}

static bool
has_token(char *const *v, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return false;
	for (i = 0; i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

bool
uc3_policy_has_kind(const struct uc3_policy *p, const char *kind)
{
	return has_token(p->kinds, p->nkinds, kind);
}

bool
uc3_policy_has_channel(const struct uc3_policy *p, const char *channel)
{
	return has_token(p->channels, p->nchannels, channel);
}

/*
 * Writing the policy. The file is the office's own, with its comments and
 * layout: a change rewrites one top-level entry and keeps every other
 * byte. An entry is its "key:" line at column 0 and the lines after it
 * that belong to it: indented lines and "- " items, and comments or blank
 * lines only when more of the entry follows them.
 */

/* The start of the line after the one at p (or end). */
static const char *
next_line(const char *p, const char *end)
{
	const char *nl = memchr(p, '\n', (size_t)(end - p));

	return nl ? nl + 1 : end;
}

static bool
continues_entry(const char *p, const char *end)
{
	return p < end && (*p == ' ' || *p == '\t' || (*p == '-' && (p + 1 == end ||
								      p[1] == ' ' || p[1] == '\n')));
}

static bool
blank_or_comment(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t'))
		p++;
	return p == end || *p == '\n' || *p == '#';
}

int
uc3_policy_rewrite(struct uc3_buf *out, const char *text, size_t len, const char *key,
		   const struct uc3_ynode *value)
{
	const char *end = text + len, *p = text, *start = NULL, *stop, *q;
	size_t klen = strlen(key);
	struct uc3_ynode *doc;
	struct uc3_buf entry = UC3_BUF_INIT;
	int rc;

	for (; p < end; p = next_line(p, end))
		if ((size_t)(end - p) > klen && !memcmp(p, key, klen) && p[klen] == ':') {
			if (start)
				return uc3_error_set(UC3_EPOLICY,
						     "%s: '%s' is there twice; edit it by hand",
						     UC3_POLICY_FILE, key);
			start = p;
		}
	/* Past the entry: its own continuation lines, and comments inside it. */
	stop = start ? next_line(start, end) : end;
	for (q = stop; start && q < end;) {
		if (continues_entry(q, end))
			stop = q = next_line(q, end);
		else if (blank_or_comment(q, end))
			q = next_line(q, end);
		else
			break;
	}
	doc = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(doc, key, uc3_ynode_dup(value));
	rc = uc3_ydoc_emit(&entry, doc);
	uc3_ynode_free(doc);
	if (rc < 0)
		goto out;
	if (start) {
		uc3_buf_add(out, text, (size_t)(start - text));
		uc3_buf_add(out, entry.ptr, entry.len);
		uc3_buf_add(out, stop, (size_t)(end - stop));
	} else {
		uc3_buf_add(out, text, len);
		if (len && text[len - 1] != '\n')
			uc3_buf_adds(out, "\n");
		uc3_buf_add(out, entry.ptr, entry.len);
	}
out:
	uc3_buf_release(&entry);
	return rc;
}

struct uc3_ynode *
uc3_policy_people_node(const struct uc3_person *people, size_t n)
{
	struct uc3_ynode *seq = uc3_ynode_seq(n ? UC3_YSTYLE_ANY : UC3_YSTYLE_FLOW);
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct uc3_person *who = &people[i];
		struct uc3_ynode *m = uc3_ynode_map(UC3_YSTYLE_ANY);
		struct uc3_ynode *roles = uc3_ynode_seq(UC3_YSTYLE_FLOW);
		struct uc3_ynode *keys = uc3_ynode_seq(UC3_YSTYLE_ANY);

		uc3_ynode_map_add(m, "email", uc3_ynode_scalar(who->email, UC3_YSTYLE_ANY));
		if (who->name)
			uc3_ynode_map_add(m, "name", uc3_ynode_scalar(who->name, UC3_YSTYLE_ANY));
		for (j = 0; j < who->nroles; j++)
			uc3_ynode_seq_add(roles, uc3_ynode_scalar(who->roles[j], UC3_YSTYLE_ANY));
		uc3_ynode_map_add(m, "roles", roles);
		for (j = 0; j < who->nkeys; j++)
			uc3_ynode_seq_add(keys, uc3_ynode_scalar(who->keys[j], UC3_YSTYLE_DQUOTED));
		uc3_ynode_map_add(m, "keys", keys);
		uc3_ynode_seq_add(seq, m);
	}
	return seq;
}
