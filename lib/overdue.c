#include "overdue.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "mail.h"
#include "message.h"
#include "ops.h"
#include "records.h"
#include "ticket.h"
#include "tmpl.h"
#include "transition.h"
#include "xalloc.h"
#include "ydoc.h"

#define INDEX_MAGIC "uc3 open-index 1"

/* One ticket that is not closed, or one that does not read. */
struct ientry {
	char *path;
	char *id, *status, *level, *deadline, *subject; /* NULL when broken */
	char *broken;
};

struct index {
	char tree[41];
	struct ientry *e;
	size_t n, alloc;
	bool dirty;
};

static void
ientry_release(struct ientry *e)
{
	free(e->path);
	free(e->id);
	free(e->status);
	free(e->level);
	free(e->deadline);
	free(e->subject);
	free(e->broken);
	memset(e, 0, sizeof(*e));
}

static void
index_release(struct index *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		ientry_release(&ix->e[i]);
	free(ix->e);
	memset(ix, 0, sizeof(*ix));
}

static void
index_remove(struct index *ix, const char *path)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (!strcmp(ix->e[i].path, path)) {
			ientry_release(&ix->e[i]);
			ix->e[i] = ix->e[--ix->n];
			return;
		}
}

static struct ientry *
index_add(struct index *ix, const char *path)
{
	struct ientry *e;

	uc3_xgrow((void **)&ix->e, &ix->alloc, ix->n + 1, sizeof(*ix->e));
	e = &ix->e[ix->n++];
	memset(e, 0, sizeof(*e));
	e->path = uc3_xstrdup(path);
	return e;
}

/* Index a ticket file's contents (data NULL: gone, or with a length: too large to read). */
static int
index_file(const char *path, const char *data, size_t len, void *ctx)
{
	struct index *ix = ctx;
	struct uc3_ticket *t = NULL;
	enum uc3_status s;
	struct ientry *e;

	ix->dirty = true;
	index_remove(ix, path);
	if (!data && !len)
		return 0;
	if (!data) {
		/* Over the size limit: not read, a broken file. */
		e = index_add(ix, path);
		e->broken = uc3_xstrdup(uc3_error_last());
		return 0;
	}
	/* Closed tickets are most of an archive: pass them over unread. */
	if (uc3_ticket_peek_status(&s, data, len) && s == UC3_STATUS_CLOSED)
		return 0;
	if (uc3_ticket_parse(&t, data, len, path) < 0) {
		e = index_add(ix, path);
		e->broken = uc3_xstrdup(uc3_error_last());
		return 0;
	}
	if (t->status != UC3_STATUS_CLOSED) {
		e = index_add(ix, path);
		e->id = uc3_xstrdup(t->id);
		e->status = uc3_xstrdup(uc3_status_name(t->status));
		e->level = uc3_xstrdup(t->level ? t->level : "");
		e->deadline = uc3_xstrdup(t->deadline ? t->deadline : "");
		e->subject = uc3_xstrdup(t->subject);
	}
	uc3_ticket_free(t);
	return 0;
}

static void
put_field(struct uc3_buf *b, const char *s)
{
	uc3_buf_addch(b, '\t');
	for (; *s; s++) {
		if (*s == '\\')
			uc3_buf_adds(b, "\\\\");
		else if (*s == '\t')
			uc3_buf_adds(b, "\\t");
		else if (*s == '\n')
			uc3_buf_adds(b, "\\n");
		else
			uc3_buf_addch(b, *s);
	}
}

/* Split a line on tabs, undoing put_field's escapes in place. */
static size_t
split_fields(char *line, char **f, size_t max)
{
	size_t n = 0;
	char *r = line, *w = line;

	f[n++] = w;
	while (*r && n <= max) {
		if (*r == '\t') {
			*w++ = '\0';
			r++;
			if (n < max)
				f[n] = w;
			n++;
			continue;
		}
		if (*r == '\\' && r[1]) {
			*w++ = r[1] == 't' ? '\t' : r[1] == 'n' ? '\n' : r[1];
			r += 2;
			continue;
		}
		*w++ = *r++;
	}
	*w = '\0';
	return n > max ? max : n;
}

#define INDEX_CACHE "open-index"

static bool
index_load(struct index *ix, struct uc3_store *st)
{
	char *p = uc3_store_cache_path(st, INDEX_CACHE);
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool ok = false;
	FILE *f;

	f = fopen(p, "r");
	free(p);
	if (!f)
		return false;
	if ((len = getline(&line, &cap, f)) <= 0 || strncmp(line, INDEX_MAGIC "\n", (size_t)len))
		goto out;
	if ((len = getline(&line, &cap, f)) != 46 || strncmp(line, "tree ", 5))
		goto out;
	memcpy(ix->tree, line + 5, 40);
	ix->tree[40] = '\0';
	while ((len = getline(&line, &cap, f)) > 0) {
		char *fl[7];
		size_t n;
		struct ientry *e;

		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		n = split_fields(line, fl, 7);
		if (n == 3 && !strcmp(fl[0], "B")) {
			e = index_add(ix, fl[1]);
			e->broken = uc3_xstrdup(fl[2]);
		} else if (n == 7 && !strcmp(fl[0], "O")) {
			e = index_add(ix, fl[1]);
			e->id = uc3_xstrdup(fl[2]);
			e->status = uc3_xstrdup(fl[3]);
			e->level = uc3_xstrdup(fl[4]);
			e->deadline = uc3_xstrdup(fl[5]);
			e->subject = uc3_xstrdup(fl[6]);
		} else {
			goto out;
		}
	}
	ok = true;
out:
	free(line);
	fclose(f);
	if (!ok)
		index_release(ix);
	return ok;
}

/* Written beside and renamed into place: readers never see half an index. */
static void
index_save(struct index *ix, struct uc3_store *st)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	uc3_buf_addf(&b, INDEX_MAGIC "\ntree %s\n", ix->tree);
	for (i = 0; i < ix->n; i++) {
		const struct ientry *e = &ix->e[i];

		uc3_buf_adds(&b, e->broken ? "B" : "O");
		put_field(&b, e->path);
		if (e->broken) {
			put_field(&b, e->broken);
		} else {
			put_field(&b, e->id);
			put_field(&b, e->status);
			put_field(&b, e->level);
			put_field(&b, e->deadline);
			put_field(&b, e->subject);
		}
		uc3_buf_addch(&b, '\n');
	}
	uc3_store_cache_write(st, INDEX_CACHE, b.ptr, b.len);
	uc3_buf_release(&b);
}

/* Bring the index to the tip's tickets tree: from the diff, or from scratch. */
static int
index_update(struct index *ix, struct uc3_store *st)
{
	char tree[41];
	bool have;
	int rc = 0;

	uc3_records_tree(tree, st);
	have = index_load(ix, st);
	if (have && !strcmp(ix->tree, tree))
		return 0;
	if (have) {
		rc = uc3_records_diff(st, ix->tree, tree, index_file, ix);
		if (rc == UC3_ENOTFOUND) {
			/* The old tree was collected away: start again. */
			index_release(ix);
			have = false;
			rc = 0;
		}
	}
	if (!have) {
		ix->dirty = true;
		rc = uc3_records_foreach(st, index_file, ix);
	}
	if (rc < 0)
		return rc;
	memcpy(ix->tree, tree, sizeof(tree));
	index_save(ix, st);
	return 0;
}

static const char *
step_role(const struct uc3_policy *p, const char *status, const char *level)
{
	enum uc3_status s;
	const char *role = NULL;

	if (uc3_status_parse(&s, status) == 0)
		role = uc3_transition_holder(p, s, level);
	return role ? role : level;
}

/* How late each item is (how long it has left, for a warning), in office days. */
static int
late_spans(struct uc3_overdue *o, const struct uc3_policy *p, time_t at)
{
	time_t *from, *to;
	struct uc3_calendar_span *sp;
	size_t i;
	int rc;

	if (!o->n)
		return 0;
	from = uc3_xcalloc(o->n, sizeof(*from));
	to = uc3_xcalloc(o->n, sizeof(*to));
	sp = uc3_xcalloc(o->n, sizeof(*sp));
	for (i = 0; i < o->n; i++) {
		from[i] = o->items[i].breach ? o->items[i].due : at;
		to[i] = o->items[i].breach ? at : o->items[i].due;
	}
	rc = uc3_calendar_spans(sp, &p->calendar, p->timezone, from, to, o->n);
	for (i = 0; rc == 0 && i < o->n; i++) {
		o->items[i].span = sp[i];
		/* Late with no business time between: late all the same, as left says. */
		if (o->items[i].breach && !sp[i].days && !sp[i].rest) {
			o->items[i].span.total = 1;
			o->items[i].span.rest = 1;
		}
	}
	free(from);
	free(to);
	free(sp);
	return rc;
}

static int
cmp_strp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
cmp_late(const void *a, const void *b)
{
	const struct uc3_late *x = a, *y = b;

	if (x->breach != y->breach)
		return x->breach ? -1 : 1;
	if (x->left != y->left)
		return x->left < y->left ? -1 : 1;
	return strcmp(x->id, y->id);
}

int
uc3_overdue_scan(struct uc3_overdue *out, struct uc3_store *st, time_t at, long warn)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct index ix = { 0 };
	time_t *t = NULL;
	long *off = NULL;
	size_t i, n = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = index_update(&ix, st)) < 0)
		goto done;
	t = uc3_xcalloc(ix.n + 1, sizeof(*t));
	off = uc3_xcalloc(ix.n + 1, sizeof(*off));
	t[n++] = at;
	for (i = 0; i < ix.n; i++) {
		struct ientry *e = &ix.e[i];

		if (e->broken) {
			uc3_xgrow((void **)&out->broken, &out->abroken, out->nbroken + 1,
				  sizeof(*out->broken));
			out->broken[out->nbroken++] = uc3_xstrdup(e->broken);
			continue;
		}
		if (!*e->deadline || uc3_clock_parse(&t[n], e->deadline, NULL) < 0) {
			struct uc3_buf m = UC3_BUF_INIT;

			uc3_buf_addf(&m, "%s: no readable deadline", e->path);
			uc3_xgrow((void **)&out->broken, &out->abroken, out->nbroken + 1,
				  sizeof(*out->broken));
			out->broken[out->nbroken++] = uc3_buf_detach(&m);
			continue;
		}
		n++;
	}
	/* One sweep of the calendar for every deadline at once. */
	if ((rc = uc3_calendar_offsets(off, &p->calendar, p->timezone, t, n)) < 0)
		goto done;
	for (i = 0, n = 1; i < ix.n; i++) {
		struct ientry *e = &ix.e[i];
		struct uc3_late *l;
		long left;
		bool breach;

		if (e->broken || !*e->deadline || uc3_clock_parse(&t[n], e->deadline, NULL) < 0)
			continue;
		left = off[n] - off[0];
		breach = left < 0 || (left == 0 && at > t[n]);
		if (!breach && !(warn > 0 && left <= warn)) {
			n++;
			continue;
		}
		uc3_xgrow((void **)&out->items, &out->alloc, out->n + 1, sizeof(*out->items));
		l = &out->items[out->n++];
		memset(l, 0, sizeof(*l));
		l->id = uc3_xstrdup(e->id);
		l->path = uc3_xstrdup(e->path);
		l->subject = uc3_xstrdup(e->subject);
		l->step = uc3_xstrdup(!strcmp(e->status, "open")       ? e->level
				      : !strcmp(e->status, "answered") ? "deliver"
								       : "archive");
		l->role = uc3_xstrdup(step_role(p, e->status, e->level));
		l->deadline = uc3_xstrdup(e->deadline);
		l->due = t[n];
		l->left = breach && left == 0 ? -1 : left;
		l->breach = breach;
		n++;
	}
	if ((rc = late_spans(out, p, at)) < 0)
		goto done;
	if (out->n > 1)
		qsort(out->items, out->n, sizeof(*out->items), cmp_late);
	if (out->nbroken > 1)
		qsort(out->broken, out->nbroken, sizeof(*out->broken), cmp_strp);
done:
	free(t);
	free(off);
	index_release(&ix);
	if (rc < 0)
		uc3_overdue_release(out);
	return rc;
}

static void
late_release(struct uc3_late *l)
{
	free(l->id);
	free(l->path);
	free(l->subject);
	free(l->step);
	free(l->role);
	free(l->deadline);
}

void
uc3_overdue_keep(struct uc3_overdue *o, const bool *keep)
{
	size_t i, k = 0;

	for (i = 0; i < o->n; i++) {
		if (keep && keep[i])
			o->items[k++] = o->items[i];
		else
			late_release(&o->items[i]);
	}
	o->n = k;
}

void
uc3_overdue_release(struct uc3_overdue *o)
{
	size_t i;

	for (i = 0; i < o->n; i++)
		late_release(&o->items[i]);
	free(o->items);
	for (i = 0; i < o->nbroken; i++)
		free(o->broken[i]);
	free(o->broken);
	memset(o, 0, sizeof(*o));
}

static void
add_unique(char ***out, size_t *n, const char *email)
{
	size_t i;

	for (i = 0; i < *n; i++)
		if (!strcasecmp((*out)[i], email))
			return;
	*out = uc3_xrealloc(*out, (*n + 1) * sizeof(**out));
	(*out)[(*n)++] = uc3_xstrdup(email);
}

static void
add_role(char ***out, size_t *n, const struct uc3_policy *p, const char *role)
{
	size_t i, j;

	for (i = 0; i < p->npeople; i++)
		for (j = 0; j < p->people[i].nroles; j++)
			if (!strcmp(p->people[i].roles[j], role))
				add_unique(out, n, p->people[i].email);
}

void
uc3_overdue_recipients(char ***out, size_t *n, const struct uc3_policy *p,
		       const struct uc3_late *item)
{
	size_t before = *n, i;
	int r = uc3_policy_role_index(p, item->role);

	if (p->notify_holders)
		add_role(out, n, p, item->role);
	if (item->breach && p->notify_next_up && r >= 0 && r + 1 < (int)p->nroles)
		add_role(out, n, p, p->roles[r + 1].id);
	if (*n == before)
		for (i = 0; i < p->nnotify_fallback; i++)
			add_unique(out, n, p->notify_fallback[i]);
}

/* One notice to send: a person and a late step of a ticket. */
struct notice {
	char *email;
	const struct uc3_late *item;
	bool sent;
};

struct notify {
	struct uc3_store *st;
	struct notice *nv;
	size_t n, alloc;
	time_t at;
	const char *actor;
	size_t recorded;
};

static int
load_template(struct uc3_buf *out, struct uc3_store *st, const char *datadir, const char *name)
{
	struct uc3_buf path = UC3_BUF_INIT;
	int fd, rc;

	uc3_buf_addf(&path, "templates/%s", name);
	rc = uc3_store_read(out, st, path.ptr);
	uc3_buf_release(&path);
	if (rc == 0)
		return 0;
	uc3_error_clear();
	if (!datadir)
		return uc3_error_set(UC3_ENOTFOUND,
				     "no template %s (not in the records, and the "
				     "installed data was not found)",
				     name);
	uc3_buf_addf(&path, "%s/templates/%s", datadir, name);
	fd = open(path.ptr, O_RDONLY);
	if (fd < 0) {
		rc = uc3_error_set(UC3_ENOTFOUND, "no template %s: %s: %s", name, path.ptr,
				   strerror(errno));
		uc3_buf_release(&path);
		return rc;
	}
	rc = uc3_buf_read_limited(out, fd, 256 * 1024, path.ptr);
	close(fd);
	uc3_buf_release(&path);
	return rc;
}

static void
map_str(struct uc3_ynode *m, const char *k, const char *v)
{
	uc3_ynode_map_add(m, k, uc3_ynode_scalar(v ? v : "", UC3_YSTYLE_ANY));
}

/* The data a notice template sees. */
static struct uc3_ynode *
notice_context(const struct uc3_policy *p, const char *email, struct notice *nv, size_t n)
{
	const struct uc3_person *who = uc3_policy_person(p, email);
	struct uc3_ynode *ctx = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *person = uc3_ynode_map(UC3_YSTYLE_ANY);
	struct uc3_ynode *list = uc3_ynode_seq(UC3_YSTYLE_ANY);
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i, count = 0;

	map_str(person, "email", email);
	map_str(person, "name", who && who->name ? who->name : "");
	uc3_ynode_map_add(ctx, "person", person);
	map_str(ctx, "office", p->office);
	map_str(ctx, "prefix", p->id_prefix);
	map_str(ctx, "sop", p->sop);
	for (i = 0; i < n; i++) {
		const struct uc3_late *l = nv[i].item;
		const struct uc3_role *role = uc3_policy_role(p, l->role);
		struct uc3_ynode *e;

		if (strcasecmp(nv[i].email, email))
			continue;
		e = uc3_ynode_map(UC3_YSTYLE_ANY);
		count++;
		map_str(e, "id", l->id);
		map_str(e, "subject", l->subject);
		map_str(e, "step", l->step);
		map_str(e, "role", l->role);
		map_str(e, "role_name", role && role->name ? role->name : l->role);
		uc3_buf_reset(&b);
		uc3_clock_format_short(&b, l->due, p->timezone);
		map_str(e, "due", b.ptr);
		uc3_buf_reset(&b);
		uc3_calendar_format_span(&b, &l->span);
		map_str(e, "late", b.ptr);
		uc3_ynode_seq_add(list, e);
	}
	uc3_buf_reset(&b);
	uc3_buf_addf(&b, "%zu", count);
	map_str(ctx, "count", b.ptr);
	uc3_ynode_map_add(ctx, "tickets", list);
	uc3_buf_release(&b);
	return ctx;
}

/* A template holds its headers (Subject: only) before the first empty line. */
static int
render_mail(struct uc3_buf *subject, struct uc3_buf *body, const struct uc3_buf *tmpl,
	    const struct uc3_ynode *ctx)
{
	const char *sep = strstr(tmpl->ptr, "\n\n");
	const char *head_end = sep ? sep : tmpl->ptr;
	const char *p = tmpl->ptr;
	int rc;

	if (!sep || strncasecmp(p, "Subject:", 8))
		return uc3_error_set(UC3_EINVAL,
				     "templates/overdue.txt: it must start with a "
				     "'Subject:' line, then an empty line, then the body");
	if (memchr(p, '\n', (size_t)(head_end - p)))
		return uc3_error_set(UC3_EINVAL, "templates/overdue.txt:1: only a Subject: line "
						 "may stand before the body");
	p += 8;
	while (*p == ' ')
		p++;
	if ((rc = uc3_tmpl_render(subject, p, (size_t)(head_end - p), ctx, UC3_TMPL_HEADER,
				  "templates/overdue.txt")) < 0)
		return rc;
	return uc3_tmpl_render(body, sep + 2, strlen(sep + 2), ctx, UC3_TMPL_BODY,
			       "templates/overdue.txt");
}

static int
record_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct notify *c = vctx;
	struct uc3_act act = { 0 };
	struct uc3_message_notice *nv;
	size_t i, j, tickets = 0, total = 0;
	int rc = 0;

	act.policy = uc3_store_policy(st);
	act.actor = c->actor;
	act.now = c->at;
	c->recorded = 0;
	w->allow_empty = true;
	for (i = 0; i < c->n; i++) {
		struct uc3_ticket *t = NULL;
		char *path = NULL;
		bool first = true, changed = false;

		if (!c->nv[i].sent)
			continue;
		/* Each ticket once: its notices are the sent ones naming it. */
		for (j = 0; j < i; j++)
			if (c->nv[j].sent && c->nv[j].item == c->nv[i].item)
				first = false;
		if (!first)
			continue;
		if ((rc = uc3_records_load(&t, &path, st, c->nv[i].item->id)) < 0)
			return rc;
		for (j = i; j < c->n; j++) {
			const struct uc3_late *item = c->nv[j].item;

			if (!c->nv[j].sent || item != c->nv[i].item ||
			    uc3_transition_notified(t, c->nv[j].email, NULL, item->step,
						    item->deadline))
				continue;
			uc3_transition_notice(t, &act,
					      &(struct uc3_notice){ c->nv[j].email, NULL,
								    item->step, item->deadline,
								    NULL });
			changed = true;
			total++;
		}
		if (changed) {
			tickets++;
			rc = uc3_ticket_format(uc3_write_add(w, path), t);
		}
		uc3_ticket_free(t);
		free(path);
		if (rc < 0)
			return rc;
	}
	if (!total)
		return 0;
	c->recorded = total;
	nv = uc3_xcalloc(c->n, sizeof(*nv));
	for (i = 0, j = 0; i < c->n; i++)
		if (c->nv[i].sent)
			nv[j++] =
				(struct uc3_message_notice){ c->nv[i].item->id, c->nv[i].item->step,
							     c->nv[i].email, NULL };
	uc3_message_notices(&w->message, total, tickets, nv, j);
	free(nv);
	return 0;
}

/*
 * Why the breach item reached nobody under p: the roles that would have
 * been told, appended to roles (each once, borrowed from p).
 */
static void
unreached_roles(const char ***roles, size_t *n, const struct uc3_policy *p,
		const struct uc3_late *item)
{
	int r = uc3_policy_role_index(p, item->role);
	const char *ask[2];
	size_t na = 0, i, k;

	if (p->notify_holders)
		ask[na++] = item->role;
	if (p->notify_next_up && r >= 0 && r + 1 < (int)p->nroles)
		ask[na++] = p->roles[r + 1].id;
	for (k = 0; k < na; k++) {
		for (i = 0; i < *n; i++)
			if (!strcmp((*roles)[i], ask[k]))
				break;
		if (i < *n)
			continue;
		*roles = uc3_xrealloc(*roles, (*n + 1) * sizeof(**roles));
		(*roles)[(*n)++] = ask[k];
	}
}

/* "uc3.yaml lists nobody with the role staf and no notify.fallback", and the like. */
static char *
unreached_why(const struct uc3_policy *p, const char **roles, size_t n)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	if (!p->npeople) {
		uc3_buf_adds(&b, "uc3.yaml lists no people (single-user mode)");
	} else if (!n) {
		uc3_buf_adds(&b, "uc3.yaml tells no role of them (notify.holders is off)");
	} else {
		uc3_buf_addf(&b, "uc3.yaml lists nobody with the role%s ", n == 1 ? "" : "s");
		for (i = 0; i < n; i++)
			uc3_buf_addf(&b, "%s%s",
				     i == 0	  ? ""
				     : i + 1 == n ? " or "
						  : ", ",
				     roles[i]);
	}
	uc3_buf_adds(&b, " and no notify.fallback");
	return uc3_buf_detach(&b);
}

int
uc3_overdue_notify(struct uc3_notify_result *res, struct uc3_store *st, const struct uc3_overdue *o,
		   time_t at, const char *datadir)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	struct notify c = { 0 };
	struct uc3_buf tmpl = UC3_BUF_INIT;
	const char *name, *email;
	const char **roles = NULL;
	size_t i, j, nroles = 0;
	int rc = 0;

	memset(res, 0, sizeof(*res));
	res->told = uc3_xcalloc(o->n + 1, sizeof(*res->told));
	res->nobody = uc3_xcalloc(o->n + 1, sizeof(*res->nobody));
	c.st = st;
	c.at = at;
	if (p->notify_office_hours_only && !p->calendar.always) {
		long off[2];
		time_t pair[2] = { at, at + 1 };

		/* One second of business time right after now means the office is open. */
		if (uc3_calendar_offsets(off, &p->calendar, p->timezone, pair, 2) == 0 &&
		    off[1] == off[0]) {
			res->held = true;
			return 0;
		}
	}
	if ((rc = uc3_store_actor(&name, &email, st)) < 0)
		goto out;
	c.actor = email;
	/* Who is to be told of what, leaving out what was told before. */
	for (i = 0; i < o->n; i++) {
		struct uc3_ticket *t = NULL;
		char **to = NULL;
		size_t nto = 0;

		if (!o->items[i].breach)
			continue;
		if (uc3_records_load(&t, NULL, st, o->items[i].id) < 0)
			continue;
		uc3_overdue_recipients(&to, &nto, p, &o->items[i]);
		if (!nto) {
			res->unreached++;
			res->nobody[i] = true;
			unreached_roles(&roles, &nroles, p, &o->items[i]);
		}
		for (j = 0; j < nto; j++) {
			if (uc3_transition_notified(t, to[j], NULL, o->items[i].step,
						    o->items[i].deadline)) {
				free(to[j]);
				continue;
			}
			uc3_xgrow((void **)&c.nv, &c.alloc, c.n + 1, sizeof(*c.nv));
			c.nv[c.n].email = to[j];
			c.nv[c.n].item = &o->items[i];
			c.nv[c.n].sent = false;
			c.n++;
		}
		free(to);
		uc3_ticket_free(t);
	}
	if (res->unreached)
		res->unreached_why = unreached_why(p, roles, nroles);
	if (!c.n)
		goto out;
	if ((rc = load_template(&tmpl, st, datadir, "overdue.txt")) < 0)
		goto out;
	/* One message a person, all their late steps in it. */
	for (i = 0; i < c.n; i++) {
		struct uc3_buf subject = UC3_BUF_INIT, body = UC3_BUF_INIT, msg = UC3_BUF_INIT;
		struct uc3_ynode *ctx;
		struct uc3_mail m = { 0 };
		const char *to[1];
		bool first = true;

		for (j = 0; j < i; j++)
			if (!strcasecmp(c.nv[j].email, c.nv[i].email))
				first = false;
		if (!first)
			continue;
		ctx = notice_context(p, c.nv[i].email, c.nv, c.n);
		rc = render_mail(&subject, &body, &tmpl, ctx);
		uc3_ynode_free(ctx);
		if (rc == 0) {
			to[0] = c.nv[i].email;
			m.from = p->mail_from ? p->mail_from : "uc3 <uc3@localhost>";
			m.to = to;
			m.nto = 1;
			m.subject = subject.ptr;
			m.body = body.ptr;
			m.date = at;
			m.tz = p->timezone;
			rc = uc3_mail_compose(&msg, &m);
		}
		if (rc == 0)
			rc = uc3_mail_send(p->sendmail, msg.ptr, msg.len);
		if (rc == 0) {
			res->sent++;
			for (j = i; j < c.n; j++)
				if (!strcasecmp(c.nv[j].email, c.nv[i].email)) {
					c.nv[j].sent = true;
					res->told[c.nv[j].item - o->items] = true;
				}
		} else {
			res->failed++;
			if (!res->error)
				res->error = uc3_xstrdup(uc3_error_last());
			rc = 0;
		}
		uc3_buf_release(&subject);
		uc3_buf_release(&body);
		uc3_buf_release(&msg);
	}
	if (res->sent) {
		struct uc3_write_result wr;

		rc = uc3_store_write(st, record_edit, &c, &wr);
		if (rc == 0) {
			res->notices = c.recorded;
			memcpy(res->commit, wr.commit, sizeof(res->commit));
			uc3_write_result_release(&wr);
		} else if (rc > 0) {
			rc = 0; /* another run recorded them first */
		}
	}
out:
	for (i = 0; i < c.n; i++)
		free(c.nv[i].email);
	free(c.nv);
	free(roles);
	uc3_buf_release(&tmpl);
	if (rc < 0) {
		/* On an error the caller has nothing to free. */
		free(res->told);
		res->told = NULL;
		free(res->error);
		res->error = NULL;
		free(res->nobody);
		res->nobody = NULL;
		free(res->unreached_why);
		res->unreached_why = NULL;
	}
	return rc;
}
