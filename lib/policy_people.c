#include "policy_read.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "i18n.h"
#include "xalloc.h"

/* People, mail and notify in uc3.yaml: who holds a role, and who is told. */

static const char *const person_keys[] = { "email", "name", "roles", "service", "keys", NULL };
static const char *const mail_keys[] = { "from", "sendmail", NULL };
static const char *const notify_keys[] = { "holders",  "next_up",     "office_hours_only",
					   "fallback", "acknowledge", "warn",
					   "repeat",   "digest",      NULL };

/* notify.warn: "80%" of the step's time, "10m" before the deadline, or "off". */
static int
parse_warn(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	const char *s;
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "notify.warn")) < 0)
		return rc;
	s = n->str;
	if (!strcmp(s, "off") || !strcmp(s, "false"))
		return 0;
	if (isdigit((unsigned char)s[0])) {
		char *end;
		long v = strtol(s, &end, 10);

		if (!strcmp(end, "%") && v >= 1 && v <= 99) {
			c->p->notify_warn_share = (int)v;
			return 0;
		}
	}
	if (uc3_clock_parse_duration(&c->p->notify_warn_before, s) == 0 &&
	    c->p->notify_warn_before > 0)
		return 0;
	c->p->notify_warn_before = 0;
	return perr(c, n,
		    "notify.warn: bad point %s (write a share of the step's time, 80%%; a "
		    "time before the deadline, 10m; or off)",
		    uc3_policy__quote(q, sizeof(q), n->str));
}

/* notify.repeat: an interval of office time, "1h", or "off". */
static int
parse_repeat(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "notify.repeat")) < 0)
		return rc;
	if (!strcmp(n->str, "off") || !strcmp(n->str, "false"))
		return 0;
	if (uc3_clock_parse_duration(&c->p->notify_repeat, n->str) == 0 && c->p->notify_repeat > 0)
		return 0;
	c->p->notify_repeat = 0;
	return perr(c, n, "notify.repeat: bad interval %s (write 30m, 1h, 2h30m, or off)",
		    uc3_policy__quote(q, sizeof(q), n->str));
}

/* notify.digest: a time of day, "07:30", or "off". */
static int
parse_digest(struct ctx *c, const struct uc3_ynode *n)
{
	char q[QUOTE_MAX * 4 + 16];
	const char *s;
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, "notify.digest")) < 0)
		return rc;
	s = n->str;
	if (!strcmp(s, "off") || !strcmp(s, "false"))
		return 0;
	if (strlen(s) == 5 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[1]) &&
	    s[2] == ':' && isdigit((unsigned char)s[3]) && isdigit((unsigned char)s[4])) {
		int h = (s[0] - '0') * 10 + (s[1] - '0'), m = (s[3] - '0') * 10 + (s[4] - '0');

		if (h < 24 && m < 60) {
			c->p->notify_digest = h * 60 + m;
			return 0;
		}
	}
	return perr(c, n, "notify.digest: bad time of day %s (write 07:30, or off)",
		    uc3_policy__quote(q, sizeof(q), n->str));
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
		if ((unsigned char)*d <= 0x20 || *d == 0x7f || strchr("<>()[],;:\\\"", *d) != NULL)
			return false;
	d = at + 1;
	if (*d == '\0' || *d == '.' || d[strlen(d) - 1] == '.' || strstr(d, "..") != NULL)
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

	if ((rc = uc3_policy__want_type(c, m, UC3_YMAP, _("a person"))) < 0 ||
	    (rc = uc3_policy__check_keys(c, m, _("a person"), person_keys)) < 0 ||
	    (rc = uc3_policy__need(c, m, "email", "person", &v)) < 0 ||
	    (rc = uc3_policy__want_type(c, v, UC3_YSCALAR, "email")) < 0)
		return rc;
	if (!looks_like_email(v->str))
		return perr(c, v, "people: %s is not an email address",
			    uc3_policy__quote(q, sizeof(q), v->str));
	pp->email = uc3_xstrdup(v->str);
	if ((v = uc3_policy__opt(m, "name")) != NULL &&
	    (rc = uc3_policy__get_line(c, v, "name", &pp->name)) < 0)
		return rc;
	/*
	 * A service identity (cron's account, an MTA's mail account) records
	 * notices, registers tickets, attaches files and records follow-ups:
	 * it holds no role, so it never holds, acts on or is told of a ticket.
	 */
	if ((v = uc3_policy__opt(m, "service")) != NULL &&
	    (rc = uc3_policy__parse_bool(c, v, "service", &pp->service)) < 0)
		return rc;
	if (pp->service) {
		if ((v = uc3_policy__opt(m, "roles")) != NULL)
			return perr(c, v,
				    "people: %s is a service identity (service: true), which "
				    "holds no role; remove its roles",
				    pp->email);
	} else if ((rc = uc3_policy__need(c, m, "roles", "person", &v)) < 0 ||
		   (rc = uc3_policy__parse_tokens(c, v, "roles", &pp->roles, &pp->nroles)) < 0) {
		return rc;
	}
	for (i = 0; i < pp->nroles; i++)
		if (uc3_policy_role(c->p, pp->roles[i]) == NULL)
			return perr(c, v->items[i],
				    "people: %s has role \"%s\", "
				    "which is not in the chain",
				    pp->email, pp->roles[i]);
	if ((v = uc3_policy__opt(m, "keys")) == NULL)
		return 0;
	if ((rc = uc3_policy__want_type(c, v, UC3_YSEQ, "keys")) < 0)
		return rc;
	pp->keys = uc3_xcalloc(v->n ? v->n : 1, sizeof(*pp->keys));
	for (i = 0; i < v->n; i++) {
		if ((rc = uc3_policy__get_line(c, v->items[i], _("a key"), &pp->keys[i])) < 0)
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
int
uc3_policy__parse_people(struct ctx *c, const struct uc3_ynode *seq)
{
	struct uc3_policy *p = c->p;
	const struct uc3_ynode **knode;
	char **strs;
	size_t i, j, k, nkeys = 0, first, dup;
	int rc;

	if ((rc = uc3_policy__want_type(c, seq, UC3_YSEQ, "people")) < 0)
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
	if (uc3_strv_find_dup(strs, p->npeople, true, &first, &dup)) {
		const struct uc3_ynode *f = uc3_ynode_get(seq->items[first], "email");

		rc = perr(c, uc3_ynode_get(seq->items[dup], "email"),
			  "people: %s is listed twice (first at %u:%u)", p->people[dup].email,
			  f->line, f->col);
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
	if (uc3_strv_find_dup(strs, nkeys, false, &first, &dup))
		rc = perr(c, knode[dup],
			  "people: this key is given twice "
			  "(first at %u:%u); a key belongs to one person",
			  knode[first]->line, knode[first]->col);
	free(strs);
	free(knode);
	return rc;
}

int
uc3_policy__parse_mail(struct ctx *c, const struct uc3_ynode *map)
{
	const struct uc3_ynode *v;
	int rc;

	if ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "mail")) < 0 ||
	    (rc = uc3_policy__check_keys(c, map, "mail", mail_keys)) < 0)
		return rc;
	/* Both end up in a mail header or a command line: one line each. */
	if ((v = uc3_policy__opt(map, "from")) != NULL &&
	    (rc = uc3_policy__get_line(c, v, "mail.from", &c->p->mail_from)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "sendmail")) != NULL) {
		free(c->p->sendmail);
		c->p->sendmail = NULL;
		if ((rc = uc3_policy__get_line(c, v, "mail.sendmail", &c->p->sendmail)) < 0)
			return rc;
	}
	return 0;
}

/* Who uc3 overdue --mail tells, and when. */
int
uc3_policy__parse_notify(struct ctx *c, const struct uc3_ynode *map)
{
	char q[QUOTE_MAX * 4 + 16];
	const struct uc3_ynode *v;
	size_t i;
	int rc;

	if ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "notify")) < 0 ||
	    (rc = uc3_policy__check_keys(c, map, "notify", notify_keys)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "holders")) != NULL &&
	    (rc = uc3_policy__parse_bool(c, v, "notify.holders", &c->p->notify_holders)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "next_up")) != NULL &&
	    (rc = uc3_policy__parse_bool(c, v, "notify.next_up", &c->p->notify_next_up)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "office_hours_only")) != NULL &&
	    (rc = uc3_policy__parse_bool(c, v, "notify.office_hours_only",
					 &c->p->notify_office_hours_only)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "acknowledge")) != NULL &&
	    (rc = uc3_policy__parse_bool(c, v, "notify.acknowledge", &c->p->notify_acknowledge)) <
		    0)
		return rc;
	if ((v = uc3_policy__opt(map, "warn")) != NULL && (rc = parse_warn(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "repeat")) != NULL && (rc = parse_repeat(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "digest")) != NULL && (rc = parse_digest(c, v)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "fallback")) == NULL)
		return 0;
	if ((rc = uc3_policy__want_type(c, v, UC3_YSEQ, "notify.fallback")) < 0)
		return rc;
	c->p->notify_fallback = uc3_xcalloc(v->n + 1, sizeof(char *));
	for (i = 0; i < v->n; i++) {
		const struct uc3_ynode *e = v->items[i];

		if ((rc = uc3_policy__want_type(c, e, UC3_YSCALAR, "notify.fallback")) < 0)
			return rc;
		if (!looks_like_email(e->str))
			return perr(c, e, "notify.fallback: %s is not an email address",
				    uc3_policy__quote(q, sizeof(q), e->str));
		if (uc3_policy_person(c->p, e->str) && uc3_policy_person(c->p, e->str)->service)
			return perr(c, e,
				    "notify.fallback: %s is a service identity, which is "
				    "never told of a ticket",
				    e->str);
		c->p->notify_fallback[c->p->nnotify_fallback++] = uc3_xstrdup(e->str);
	}
	return 0;
}
