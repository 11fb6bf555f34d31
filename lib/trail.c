#include "trail.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "history.h"
#include "verify.h"
#include "xalloc.h"

void
uc3_trail_sig_init(struct uc3_trail_sig *s, const char *commit, bool is_signed)
{
	memset(s, 0, sizeof(*s));
	snprintf(s->commit, sizeof(s->commit), "%s", commit);
	s->is_signed = is_signed;
	s->sig = is_signed ? UC3_SIG_UNKNOWN : UC3_SIG_NONE;
}

int
uc3_trail_check(struct uc3_store *st, struct uc3_trail_sig *v, size_t n)
{
	const char **ids = uc3_xcalloc(n + 1, sizeof(*ids));
	enum uc3_sig *res = uc3_xcalloc(n + 1, sizeof(*res));
	size_t i, j, k = 0;
	int rc;

	for (i = 0; i < n; i++) {
		bool seen = false;

		if (!v[i].is_signed)
			continue;
		for (j = 0; j < k && !seen; j++)
			seen = !strcmp(ids[j], v[i].commit);
		if (!seen)
			ids[k++] = v[i].commit;
	}
	rc = k ? uc3_history_signatures(st, ids, k, res) : 0;
	for (i = 0; rc == 0 && i < n; i++)
		for (j = 0; j < k; j++)
			if (v[i].is_signed && !strcmp(ids[j], v[i].commit))
				v[i].sig = res[j];
	free(ids);
	free(res);
	return rc;
}

int
uc3_trail_audit(struct uc3_store *st, struct uc3_trail_sig *v, size_t n)
{
	struct uc3_verify_opts o = { 0 };
	struct uc3_verify_result r;
	size_t i;
	int rc;

	o.skew = 300;
	o.use_cache = true;
	if ((rc = uc3_verify(&r, st, &o)) < 0)
		return rc;
	for (i = 0; i < n; i++) {
		const struct uc3_commit_verdict *d = uc3_verify_verdict(&r, v[i].commit);

		if (!d)
			continue;
		if (d->sig != UC3_SIG_UNKNOWN)
			v[i].sig = d->sig;
		v[i].denied = d->denied;
	}
	uc3_verify_result_release(&r);
	return 0;
}

const char *
uc3_trail_sig_name(const struct uc3_trail_sig *s)
{
	if (s->denied && s->sig != UC3_SIG_BAD)
		return "not allowed";
	return uc3_sig_name(s->sig);
}

struct collect {
	struct uc3_trail_commit *v;
	size_t n, alloc;
};

static int
collect(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *vctx)
{
	struct collect *l = vctx;
	struct uc3_trail_commit *e;
	const char *nl = strchr(c->message, '\n');

	uc3_xgrow((void **)&l->v, &l->alloc, l->n + 1, sizeof(*l->v));
	e = &l->v[l->n++];
	memset(e, 0, sizeof(*e));
	uc3_trail_sig_init(&e->sig, c->id, c->is_signed);
	e->author_name = uc3_xstrdup(c->author_name ? c->author_name : "");
	e->author_email = uc3_xstrdup(c->author_email ? c->author_email : "");
	e->time = c->time;
	e->subject = uc3_xstrndup(c->message, nl ? (size_t)(nl - c->message) : strlen(c->message));
	return 0;
}

int
uc3_trail_of(struct uc3_trail_commit **out, size_t *n, struct uc3_store *st, const char *path)
{
	struct collect l = { 0 };
	size_t i;
	int rc;

	*out = NULL;
	*n = 0;
	if ((rc = uc3_history_log(st, path, collect, &l)) < 0) {
		uc3_trail_free(l.v, l.n);
		return rc;
	}
	/* The walk is newest first; a record reads oldest first. */
	for (i = 0; i < l.n / 2; i++) {
		struct uc3_trail_commit tmp = l.v[i];

		l.v[i] = l.v[l.n - 1 - i];
		l.v[l.n - 1 - i] = tmp;
	}
	*out = l.v;
	*n = l.n;
	return 0;
}

void
uc3_trail_free(struct uc3_trail_commit *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].author_name);
		free(v[i].author_email);
		free(v[i].subject);
	}
	free(v);
}
