#include "policy_read.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "error.h"
#include "rx.h"
#include "xalloc.h"

/*
 * mail_in in uc3.yaml: what uc3 new --mail makes of a mail. The kind of
 * a ticket comes from the first rule whose pattern (PCRE2, UTF-8) matches
 * the subject or the body, else mail_in.kind; its channel is
 * mail_in.channel.
 */

static const char *const mail_in_keys[] = { "kind", "channel", "kinds", NULL };
static const char *const rule_keys[] = { "kind", "match", NULL };

static bool
listed(char *const *v, size_t n, const char *s)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(v[i], s))
			return true;
	return false;
}

/* A kind of the policy's kinds, at n, named what. */
static int
parse_kind(struct ctx *c, const struct uc3_ynode *n, const char *what, char **out)
{
	char q[QUOTE_MAX * 4 + 16];
	int rc;

	if ((rc = uc3_policy__want_type(c, n, UC3_YSCALAR, what)) < 0)
		return rc;
	if (!listed(c->p->kinds, c->p->nkinds, n->str))
		return perr(c, n, "%s: %s is not one of the kinds", what,
			    uc3_policy__quote(q, sizeof(q), n->str));
	free(*out);
	*out = uc3_xstrdup(n->str);
	return 0;
}

static int
parse_rule(struct ctx *c, const struct uc3_ynode *e, struct uc3_mail_rule *r)
{
	const struct uc3_ynode *k, *m;
	struct uc3_rx *rx = NULL;
	int rc;

	if ((rc = uc3_policy__want_type(c, e, UC3_YMAP, "mail_in.kinds")) < 0 ||
	    (rc = uc3_policy__check_keys(c, e, "mail_in.kinds", rule_keys)) < 0 ||
	    (rc = uc3_policy__need(c, e, "kind", "mail_in.kinds", &k)) < 0 ||
	    (rc = uc3_policy__need(c, e, "match", "mail_in.kinds", &m)) < 0)
		return rc;
	if ((rc = parse_kind(c, k, "mail_in.kinds", &r->kind)) < 0 ||
	    (rc = uc3_policy__want_type(c, m, UC3_YSCALAR, "mail_in.kinds")) < 0)
		return rc;
	if (!*m->str)
		return perr(c, m, "mail_in.kinds: an empty pattern matches every mail");
	if (uc3_rx_compile(&rx, m->str, 0) < 0) {
		char msg[1024];

		snprintf(msg, sizeof(msg), "%s", uc3_error_last());
		return perr(c, m, "mail_in.kinds: %s", msg);
	}
	uc3_rx_free(rx);
	r->match = uc3_xstrdup(m->str);
	return 0;
}

int
uc3_policy__parse_mail_in(struct ctx *c, const struct uc3_ynode *map)
{
	char q[QUOTE_MAX * 4 + 16];
	const struct uc3_ynode *v;
	size_t i;
	int rc;

	if ((rc = uc3_policy__want_type(c, map, UC3_YMAP, "mail_in")) < 0 ||
	    (rc = uc3_policy__check_keys(c, map, "mail_in", mail_in_keys)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "kind")) != NULL &&
	    (rc = parse_kind(c, v, "mail_in.kind", &c->p->mail_in_kind)) < 0)
		return rc;
	if ((v = uc3_policy__opt(map, "channel")) != NULL) {
		if ((rc = uc3_policy__want_type(c, v, UC3_YSCALAR, "mail_in.channel")) < 0)
			return rc;
		if (!listed(c->p->channels, c->p->nchannels, v->str))
			return perr(c, v, "mail_in.channel: %s is not one of the channels",
				    uc3_policy__quote(q, sizeof(q), v->str));
		free(c->p->mail_in_channel);
		c->p->mail_in_channel = uc3_xstrdup(v->str);
	}
	if ((v = uc3_policy__opt(map, "kinds")) == NULL)
		return 0;
	if ((rc = uc3_policy__want_type(c, v, UC3_YSEQ, "mail_in.kinds")) < 0)
		return rc;
	c->p->mail_rules = uc3_xcalloc(v->n ? v->n : 1, sizeof(*c->p->mail_rules));
	for (i = 0; i < v->n; i++) {
		if ((rc = parse_rule(c, v->items[i], &c->p->mail_rules[i])) < 0) {
			c->p->nmail_rules = i + 1;
			return rc;
		}
		c->p->nmail_rules = i + 1;
	}
	return 0;
}

void
uc3_policy__free_mail_in(struct uc3_policy *p)
{
	size_t i;

	for (i = 0; i < p->nmail_rules; i++) {
		free(p->mail_rules[i].kind);
		free(p->mail_rules[i].match);
	}
	free(p->mail_rules);
	free(p->mail_in_kind);
	free(p->mail_in_channel);
}

const char *
uc3_policy_mail_kind(const struct uc3_policy *p)
{
	if (p->mail_in_kind)
		return p->mail_in_kind;
	if (listed(p->kinds, p->nkinds, "pertanyaan") || !p->nkinds)
		return "pertanyaan";
	return p->kinds[0];
}

const char *
uc3_policy_mail_channel(const struct uc3_policy *p)
{
	return p->mail_in_channel ? p->mail_in_channel : "email";
}
