#include "policy_read.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "xalloc.h"
#include "ydoc.h"

/*
 * The policy file is small and read once per command, so validation favours
 * clear messages over speed. The one exception is duplicate detection: a
 * file of up to 1 MiB can hold tens of thousands of list items, so
 * duplicates are found by sorting, never by comparing every pair.
 */

#define BODY_LIMIT_MAX ((size_t)4 * 1024 * 1024)
#define ID_PREFIX_MAX  16

static const char *const top_keys[] = { "office",	  "sop",      "id_prefix",   "timezone",
					"require_signed", "roles",    "steps",	     "calendar",
					"kinds",	  "channels", "people",	     "mail",
					"limits",	  "notify",   "corrections", "units",
					"central",	  "mail_in",  "language",    NULL };
static const char *const required_keys[] = { "office",	 "id_prefix", "timezone", "roles", "steps",
					     "calendar", "kinds",     "channels", NULL };
static const char *const role_keys[] = { "id", "name", NULL };
static const char *const limits_keys[] = { "body", "attachment", NULL };
static const char *const central_keys[] = { "fetch_after", "skew", "backfill", "offline_ids",
					    NULL };

#define DEFAULT_SENDMAIL "/usr/sbin/sendmail -t -i"

static int
parse_id_prefix(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	const char *s;
	size_t len;
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "id_prefix")) < 0)
		return rc;
	s = n->str;
	len = strlen(s);
	if (len == 0 || len > ID_PREFIX_MAX || !(s[0] >= 'A' && s[0] <= 'Z') ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != len)
		return perr(c, n,
			    "id_prefix %s must be an upper-case letter "
			    "followed by up to %d upper-case letters or digits",
			    uc3_policy__quote(q, sizeof(q), s), ID_PREFIX_MAX - 1);
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

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "timezone")) < 0)
		return rc;
	s = n->str;
	if (s[0] == '\0' || s[0] == '/' || s[0] == '-' ||
	    strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
		      "0123456789/_+-") != strlen(s) ||
	    !uc3_clock_tz_valid(s))
		return perr(c, n,
			    "timezone %s is not a zone of the tz "
			    "database (e.g. Asia/Jakarta)",
			    uc3_policy__quote(q, sizeof(q), s));
	c->p->timezone = uc3_xstrdup(s);
	return 0;
}

/*
 * language: the office's language for what uc3 writes into mail and
 * records, whatever the locale of the process (cron's is C). Only the
 * languages uc3 has messages in.
 */
static int
parse_language(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "language")) < 0)
		return rc;
	if (strcmp(n->str, "id") != 0 && strcmp(n->str, "en") != 0)
		return perr(c, n, "language %s must be id (Indonesian) or en (English)",
			    uc3_policy__quote(q, sizeof(q), n->str));
	c->p->language = uc3_xstrdup(n->str);
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

	if ((rc = uc3_policy__want_type(c, seq, UC3_YSEQ, "roles")) < 0)
		return rc;
	if (seq->n == 0)
		return perr(c, seq, "roles must list at least one role");
	p->roles = uc3_xcalloc(seq->n, sizeof(*p->roles));
	for (i = 0; i < seq->n; i++) {
		const struct uc3_ynode *r = seq->items[i], *v;
		struct uc3_role *role = &p->roles[i];

		if ((rc = uc3_policy__want_type(c, r, UC3_YMAP, _("a role"))) < 0 ||
		    (rc = uc3_policy__check_keys(c, r, _("a role"), role_keys)) < 0 ||
		    (rc = uc3_policy__need(c, r, "id", "role", &v)) < 0 ||
		    (rc = uc3_policy__want_type(c, v, UC3_YSCALAR, _("role id"))) < 0)
			return rc;
		if (!uc3_policy__is_token(v->str, true))
			return perr(c, v,
				    "role id %s must be a lower-case word: "
				    "[a-z][a-z0-9_-]*",
				    uc3_policy__quote(q, sizeof(q), v->str));
		/* Those two name the steps after the chain in "steps". */
		if (strcmp(v->str, "deliver") == 0 || strcmp(v->str, "archive") == 0)
			return perr(c, v, "role id \"%s\" is reserved for a step", v->str);
		role->id = uc3_xstrdup(v->str);
		p->nroles = i + 1;
		if ((v = uc3_policy__opt(r, "name")) != NULL) {
			if ((rc = uc3_policy__get_line(c, v, _("role name"), &role->name)) < 0)
				return rc;
		} else {
			role->name = uc3_xstrdup(role->id);
		}
	}
	ids = uc3_xcalloc(p->nroles, sizeof(*ids));
	for (i = 0; i < p->nroles; i++)
		ids[i] = p->roles[i].id;
	if (uc3_strv_find_dup(ids, p->nroles, false, &first, &dup)) {
		const struct uc3_ynode *v = uc3_ynode_get(seq->items[dup], "id");
		const struct uc3_ynode *f = uc3_ynode_get(seq->items[first], "id");

		free(ids);
		return perr(c, v,
			    "role \"%s\" is listed twice (first at "
			    "%u:%u)",
			    p->roles[dup].id, f->line, f->col);
	}
	free(ids);
	return 0;
}

static int
parse_duration(struct ctx *c, const struct uc3_ynode *n, const char *what, long *out)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (uc3_clock_parse_duration(out, n->str) < 0)
		return perr(c, n, "%s: bad duration %s (write 5m, 1h or 1h30m)", what,
			    uc3_policy__quote(q, sizeof(q), n->str));
	if (*out <= 0)
		return perr(c, n, "%s: a step needs some time, not %s", what,
			    uc3_policy__quote(q, sizeof(q), n->str));
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

	if ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "steps")) < 0)
		return rc;
	for (i = 0; i < map->n; i++) {
		const char *k = map->keys[i];

		if (strcmp(k, "deliver") == 0 || strcmp(k, "archive") == 0 ||
		    uc3_policy_role(p, k) != NULL)
			continue;
		uc3_policy__key_pos(map, i, &line, &col);
		return perr_at(c, line, col,
			       "unknown step %s: steps are the "
			       "role ids of the chain, deliver and archive",
			       uc3_policy__quote(q, sizeof(q), k));
	}
	for (i = 0; i < p->nroles; i++) {
		snprintf(what, sizeof(what), "steps.%s", p->roles[i].id);
		if ((v = uc3_ynode_get(map, p->roles[i].id)) == NULL)
			return perr(c, map, "steps: no step for role \"%s\"", p->roles[i].id);
		if ((rc = parse_duration(c, v, what, &p->roles[i].step)) < 0)
			return rc;
	}
	if ((rc = uc3_policy__need(c, map, "deliver", "steps", &v)) < 0 ||
	    (rc = parse_duration(c, v, "steps.deliver", &p->step_deliver)) < 0)
		return rc;
	if ((rc = uc3_policy__need(c, map, "archive", "steps", &v)) < 0 ||
	    (rc = parse_duration(c, v, "steps.archive", &p->step_archive)) < 0)
		return rc;
	return 0;
}

/*
 * "1048576", "512KiB", "512K", "1MiB", "1M"; "kB"/"MB" are decimal. At
 * most max bytes, which max_text says for people ("4MiB").
 */
static int
parse_size(struct ctx *c, const struct uc3_ynode *n, const char *what, size_t *out,
	   unsigned long long max, const char *max_text)
{
	static const struct {
		const char *suffix;
		unsigned long long mult;
	} units[] = {
		{ "", 1 },
		{ "B", 1 },
		{ "K", 1024 },
		{ "KiB", 1024 },
		{ "kB", 1000 },
		{ "KB", 1000 },
		{ "M", 1024 * 1024 },
		{ "MiB", 1024 * 1024 },
		{ "MB", 1000 * 1000 },
	};
	char q[QUOTE_MAX * 4 + 16];
	unsigned long long v = 0;
	const char *s;
	size_t i;
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	s = n->str;
	if (!isdigit((unsigned char)*s))
		goto bad;
	for (; isdigit((unsigned char)*s); s++) {
		if (v > max)
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
	if (v > max)
		goto big;
	v *= units[i].mult;
	if (v == 0)
		return perr(c, n, "%s must be more than zero", what);
	if (v > max)
		goto big;
	*out = (size_t)v;
	return 0;
big:
	return perr(c, n, "%s %s is more than the most uc3 takes, %s", what,
		    uc3_policy__quote(q, sizeof(q), n->str), max_text);
bad:
	return perr(c, n,
		    "%s: bad size %s (write bytes, or a number with "
		    "KiB or MiB: 1MiB, 512KiB)",
		    what, uc3_policy__quote(q, sizeof(q), n->str));
}

static int
parse_limits(struct ctx *c, const struct uc3_ynode *map)
{
	const struct uc3_ynode *v;
	int rc;

	if ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "limits")) < 0 ||
	    (rc = uc3_policy__check_keys(c, map, "limits", limits_keys)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "body")) != NULL &&
	    (rc = parse_size(c, v, "limits.body", &c->p->body_limit, BODY_LIMIT_MAX, "4MiB")) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "attachment")) != NULL &&
	    (rc = parse_size(c, v, "limits.attachment", &c->p->attachment_limit,
			     UC3_ATTACHMENT_LIMIT_MAX, "64MiB")) < 0)
		return rc;
	return 0;
}

/*
 * central.fetch_after: a duration as the steps take it, or seconds
 * ("30s": a desk may want its list fresher than a minute), "0" for a
 * fetch before every read, "never" for none.
 */
static int
parse_interval(struct ctx *c, const struct uc3_ynode *n, const char *key, bool never, long *out)
{
	char q[QUOTE_MAX * 4 + 16];
	const char *s;
	long v = 0;
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, key)) < 0)
		return rc;
	s = n->str;
	if (strcmp(s, "0") == 0) {
		*out = 0;
		return 0;
	}
	if (never && strcmp(s, "never") == 0) {
		*out = UC3_FETCH_NEVER;
		return 0;
	}
	if (uc3_clock_parse_duration(out, s) == 0)
		return 0;
	if (isdigit((unsigned char)*s)) {
		for (; isdigit((unsigned char)*s) && v <= LONG_MAX / 10 - 10; s++)
			v = v * 10 + (*s - '0');
		if (strcmp(s, "s") == 0 && v > 0) {
			*out = v;
			return 0;
		}
	}
	if (never)
		return perr(
			c, n,
			"%s: bad interval %s (write 30s, 1m, 1h30m, 0 for every time, or never)",
			key, uc3_policy__quote(q, sizeof(q), n->str));
	return perr(c, n, "%s: bad interval %s (write 30s, 1m, 1h30m, 0)", key,
		    uc3_policy__quote(q, sizeof(q), n->str));
}

/*
 * central.backfill: a role of the chain whose holders may record a step
 * at a past time, with a reason; central.offline_ids: a count.
 */
static int
parse_backfill(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "central.backfill")) < 0)
		return rc;
	if (strcmp(n->str, "none") == 0)
		return 0;
	if (uc3_policy_role(c->p, n->str) == NULL)
		return perr(c, n, "central.backfill: %s is not a role of the chain (or write none)",
			    uc3_policy__quote(q, sizeof(q), n->str));
	c->p->backfill_role = uc3_xstrdup(n->str);
	return 0;
}

static int
parse_offline_ids(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	const char *s;
	long v = 0;
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "central.offline_ids")) < 0)
		return rc;
	for (s = n->str; isdigit((unsigned char)*s) && v <= UC3_OFFLINE_IDS_MAX; s++)
		v = v * 10 + (*s - '0');
	if (s == n->str || *s || v > UC3_OFFLINE_IDS_MAX)
		return perr(c, n, "central.offline_ids: %s is not a count from 0 to %d",
			    uc3_policy__quote(q, sizeof(q), n->str), UC3_OFFLINE_IDS_MAX);
	c->p->offline_ids = v;
	return 0;
}

static int
parse_central(struct ctx *c, const struct uc3_ynode *map)
{
	const struct uc3_ynode *v;
	int rc;

	if ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "central")) < 0 ||
	    (rc = uc3_policy__check_keys(c, map, "central", central_keys)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "fetch_after")) != NULL &&
	    (rc = parse_interval(c, v, "central.fetch_after", true, &c->p->fetch_after)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "skew")) != NULL &&
	    (rc = parse_interval(c, v, "central.skew", false, &c->p->central_skew)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "backfill")) != NULL && (rc = parse_backfill(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "offline_ids")) != NULL && (rc = parse_offline_ids(c, v)) < 0)
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
		return perr(c, root,
			    "the policy must be a mapping of keys "
			    "(office, id_prefix, roles...)");
	if ((rc = uc3_policy__check_keys(c, root, "", top_keys)) < 0)
		return rc;
	for (k = required_keys; *k; k++)
		if ((rc = uc3_policy__need(c, root, *k, "", &v)) < 0)
			return rc;

	v = uc3_ynode_get(root, "office");
	if ((rc = uc3_policy__get_line(c, v, "office", &p->office)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "sop")) != NULL &&
	    (rc = uc3_policy__get_line(c, v, "sop", &p->sop)) < 0)
		return rc;
	if ((rc = parse_id_prefix(c, uc3_ynode_get(root, "id_prefix"))) < 0 ||
	    (rc = parse_timezone(c, uc3_ynode_get(root, "timezone"))) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "language")) != NULL && (rc = parse_language(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "require_signed")) != NULL &&
	    (rc = uc3_policy__parse_bool(c, v, "require_signed", &p->require_signed)) < 0)
		return rc;
	if ((rc = parse_roles(c, uc3_ynode_get(root, "roles"))) < 0 ||
	    (rc = parse_steps(c, uc3_ynode_get(root, "steps"))) < 0 ||
	    (rc = uc3_policy__parse_calendar(c, uc3_ynode_get(root, "calendar"))) < 0 ||
	    (rc = uc3_policy__parse_tokens(c, uc3_ynode_get(root, "kinds"), "kinds", &p->kinds,
					   &p->nkinds)) < 0 ||
	    (rc = uc3_policy__parse_tokens(c, uc3_ynode_get(root, "channels"), "channels",
					   &p->channels, &p->nchannels)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "units")) != NULL &&
	    (rc = uc3_policy__parse_units(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "people")) != NULL &&
	    (rc = uc3_policy__parse_people(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "mail")) != NULL && (rc = uc3_policy__parse_mail(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "limits")) != NULL && (rc = parse_limits(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "notify")) != NULL &&
	    (rc = uc3_policy__parse_notify(c, v)) < 0)
		return rc;
	if ((rc = uc3_policy__parse_corrections(c, uc3_policy__opt(root, "corrections"))) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "central")) != NULL && (rc = parse_central(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(root, "mail_in")) != NULL &&
	    (rc = uc3_policy__parse_mail_in(c, v)) < 0)
		return rc;
	return 0;
}

int
uc3_policy_parse(struct uc3_policy **out, const char *data, size_t len, const char *name)
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
	p->attachment_limit = UC3_ATTACHMENT_LIMIT_DEFAULT;
	p->notify_holders = true;
	p->notify_next_up = true;
	p->notify_digest = -1;
	p->fetch_after = UC3_FETCH_AFTER_DEFAULT;
	p->central_skew = UC3_CENTRAL_SKEW_DEFAULT;
	p->offline_ids = UC3_OFFLINE_IDS_DEFAULT;
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

void
uc3_policy_free(struct uc3_policy *p)
{
	size_t i;
	int d;

	if (p == NULL)
		return;
	free(p->office);
	free(p->sop);
	free(p->backfill_role);
	free(p->id_prefix);
	free(p->timezone);
	free(p->language);
	for (i = 0; i < p->nroles; i++) {
		free(p->roles[i].id);
		free(p->roles[i].name);
	}
	free(p->roles);
	for (d = 0; d < 7; d++)
		free(p->calendar.day[d]);
	free(p->calendar.holidays);
	uc3_strv_free(p->kinds, p->nkinds);
	uc3_strv_free(p->channels, p->nchannels);
	uc3_policy__free_units(p);
	for (i = 0; i < p->npeople; i++) {
		free(p->people[i].email);
		free(p->people[i].name);
		uc3_strv_free(p->people[i].roles, p->people[i].nroles);
		uc3_strv_free(p->people[i].keys, p->people[i].nkeys);
	}
	free(p->people);
	free(p->mail_from);
	free(p->sendmail);
	for (i = 0; i < p->nnotify_fallback; i++)
		free(p->notify_fallback[i]);
	free(p->notify_fallback);
	for (d = 0; d < UC3_NCORRECTIONS; d++)
		uc3_strv_free(p->correct_roles[d], p->ncorrect_roles[d]);
	uc3_policy__free_mail_in(p);
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
