#include "openindex.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "notify.h"
#include "records.h"
#include "ticket.h"
#include "xalloc.h"

#define INDEX_MAGIC "uc3 open-index 3"

static void
ientry_release(struct uc3_openindex_entry *e)
{
	free(e->path);
	free(e->id);
	free(e->status);
	free(e->level);
	free(e->deadline);
	free(e->subject);
	free(e->pend);
	free(e->mail);
	free(e->broken);
	memset(e, 0, sizeof(*e));
}

void
uc3_openindex_release(struct uc3_openindex *ix)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		ientry_release(&ix->e[i]);
	free(ix->e);
	memset(ix, 0, sizeof(*ix));
}

static void
index_remove(struct uc3_openindex *ix, const char *path)
{
	size_t i;

	for (i = 0; i < ix->n; i++)
		if (!strcmp(ix->e[i].path, path)) {
			ientry_release(&ix->e[i]);
			ix->e[i] = ix->e[--ix->n];
			return;
		}
}

static struct uc3_openindex_entry *
index_add(struct uc3_openindex *ix, const char *path)
{
	struct uc3_openindex_entry *e;

	uc3_xgrow((void **)&ix->e, &ix->alloc, ix->n + 1, sizeof(*ix->e));
	e = &ix->e[ix->n++];
	memset(e, 0, sizeof(*e));
	e->path = uc3_xstrdup(path);
	return e;
}

/* The Message-IDs t carries, blank-separated ("" for none): ids have no blanks. */
static char *
mail_ids(const struct uc3_ticket *t)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	uc3_buf_adds(&b, "");
	if (t->message_id)
		uc3_buf_adds(&b, t->message_id);
	for (i = 0; i < t->nevents; i++)
		if (t->events[i].message_id)
			uc3_buf_addf(&b, "%s%s", b.len ? " " : "", t->events[i].message_id);
	return uc3_buf_detach(&b);
}

/* Index a ticket file's contents (data NULL: gone, or with a length: too large to read). */
static int
index_file(const char *path, const char *data, size_t len, void *ctx)
{
	struct uc3_openindex *ix = ctx;
	struct uc3_ticket *t = NULL;
	enum uc3_status s;
	struct uc3_openindex_entry *e;

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
		e->pend = uc3_xcalloc(3, 1);
		uc3_notify_owed(e->pend, t);
		e->mail = mail_ids(t);
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
index_load(struct uc3_openindex *ix, struct uc3_store *st)
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
		char *fl[9];
		size_t n;
		struct uc3_openindex_entry *e;

		if (line[len - 1] == '\n')
			line[len - 1] = '\0';
		n = split_fields(line, fl, 9);
		if (n == 3 && !strcmp(fl[0], "B")) {
			e = index_add(ix, fl[1]);
			e->broken = uc3_xstrdup(fl[2]);
		} else if (n == 9 && !strcmp(fl[0], "O")) {
			e = index_add(ix, fl[1]);
			e->id = uc3_xstrdup(fl[2]);
			e->status = uc3_xstrdup(fl[3]);
			e->level = uc3_xstrdup(fl[4]);
			e->deadline = uc3_xstrdup(fl[5]);
			e->subject = uc3_xstrdup(fl[6]);
			e->pend = uc3_xstrdup(fl[7]);
			e->mail = uc3_xstrdup(fl[8]);
		} else {
			goto out;
		}
	}
	ok = true;
out:
	free(line);
	fclose(f);
	if (!ok)
		uc3_openindex_release(ix);
	return ok;
}

/* Written beside and renamed into place: readers never see half an index. */
static void
index_save(struct uc3_openindex *ix, struct uc3_store *st)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	uc3_buf_addf(&b, INDEX_MAGIC "\ntree %s\n", ix->tree);
	for (i = 0; i < ix->n; i++) {
		const struct uc3_openindex_entry *e = &ix->e[i];

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
			put_field(&b, e->pend);
			put_field(&b, e->mail);
		}
		uc3_buf_addch(&b, '\n');
	}
	uc3_store_cache_write(st, INDEX_CACHE, b.ptr, b.len);
	uc3_buf_release(&b);
}

/* Bring the index to the tip's tickets tree: from the diff, or from scratch. */
static int
index_update(struct uc3_openindex *ix, struct uc3_store *st)
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
			uc3_openindex_release(ix);
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

static int
cmp_path(const void *a, const void *b)
{
	const struct uc3_openindex_entry *x = a, *y = b;

	return strcmp(x->path, y->path);
}

int
uc3_openindex_update(struct uc3_openindex *out, struct uc3_store *st)
{
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = index_update(out, st)) < 0) {
		uc3_openindex_release(out);
		return rc;
	}
	/*
	 * Git's order of a folder is strcmp's on the names, and the folders
	 * are joined by '/': path order is the order of the walk.
	 */
	if (out->n > 1)
		qsort(out->e, out->n, sizeof(*out->e), cmp_path);
	return 0;
}

/*
 * A copy of the open files' contents, $GIT_DIR/uc3/open-files, so that a
 * list of open work reads one file rather than a thousand blobs, each
 * rebuilt from a chain of deltas in the pack: "uc3 open-files 1", "tree
 * ID" (the tickets/ tree it is of), then for each file "PATH\tLEN\n",
 * its LEN bytes and "\n". Kept up to date from the tree diff, as the
 * index is; a cache like it.
 */
#define FILES_MAGIC "uc3 open-files 1"
#define FILES_CACHE "open-files"
#define FILES_MAX   (256 * 1024 * 1024)

struct copy {
	char *path;
	char *data;
	size_t len;
};

struct copies {
	char tree[41];
	struct copy *v;
	size_t n, alloc;
	size_t sorted; /* v[0..sorted) is in path order */
	bool changed;
};

static void
copies_release(struct copies *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->v[i].path);
		free(c->v[i].data);
	}
	free(c->v);
	memset(c, 0, sizeof(*c));
}

static void
copies_drop(struct copies *c, const char *path)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].path, path)) {
			free(c->v[i].path);
			free(c->v[i].data);
			c->v[i] = c->v[--c->n];
			c->changed = true;
			return;
		}
}

static void
copies_add(struct copies *c, const char *path, const char *data, size_t len)
{
	struct copy *e;

	uc3_xgrow((void **)&c->v, &c->alloc, c->n + 1, sizeof(*c->v));
	e = &c->v[c->n++];
	e->path = uc3_xstrdup(path);
	e->data = uc3_xmalloc(len + 1);
	memcpy(e->data, data, len);
	e->data[len] = '\0';
	e->len = len;
	c->changed = true;
}

static int
cmp_copy(const void *a, const void *b)
{
	return strcmp(((const struct copy *)a)->path, ((const struct copy *)b)->path);
}

static const struct copy *
copies_find(const struct copies *c, const char *path)
{
	struct copy key = { (char *)path, NULL, 0 };
	const struct copy *e =
		c->sorted ? bsearch(&key, c->v, c->sorted, sizeof(*c->v), cmp_copy) : NULL;
	size_t i;

	for (i = c->sorted; !e && i < c->n; i++)
		if (!strcmp(c->v[i].path, path))
			e = &c->v[i];
	return e;
}

static void
copies_load(struct copies *c, struct uc3_store *st)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char *p = uc3_store_cache_path(st, FILES_CACHE);
	const char *s, *end;
	int fd = open(p, O_RDONLY | O_CLOEXEC);

	free(p);
	if (fd < 0)
		return;
	if (uc3_buf_read_limited(&b, fd, FILES_MAX, FILES_CACHE) < 0)
		uc3_error_clear();
	close(fd);
	s = b.ptr;
	end = b.ptr + b.len;
	if (b.len < sizeof(FILES_MAGIC "\ntree \n") + 39 ||
	    memcmp(s, FILES_MAGIC "\ntree ", sizeof(FILES_MAGIC "\ntree ") - 1) ||
	    s[sizeof(FILES_MAGIC "\ntree ") - 1 + 40] != '\n')
		goto out;
	s += sizeof(FILES_MAGIC "\ntree ") - 1;
	memcpy(c->tree, s, 40);
	c->tree[40] = '\0';
	s += 41;
	while (s < end) {
		const char *tab = memchr(s, '\t', (size_t)(end - s)), *nl;
		char *path, *num_end;
		unsigned long long len;

		if (!tab || !(nl = memchr(tab, '\n', (size_t)(end - tab))))
			break;
		len = strtoull(tab + 1, &num_end, 10);
		if (num_end != nl || len > (unsigned long long)(end - nl - 1) ||
		    (size_t)(end - nl - 1) - len < 1 || nl[1 + len] != '\n')
			break;
		path = uc3_xstrndup(s, (size_t)(tab - s));
		copies_add(c, path, nl + 1, (size_t)len);
		free(path);
		s = nl + 2 + len;
	}
	if (s != end) {
		/* Damaged: none of it is trusted. */
		copies_release(c);
		goto out;
	}
	c->changed = false;
out:
	uc3_buf_release(&b);
}

static void
copies_save(const struct copies *c, struct uc3_store *st)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	uc3_buf_addf(&b, FILES_MAGIC "\ntree %s\n", c->tree);
	for (i = 0; i < c->n; i++) {
		uc3_buf_addf(&b, "%s\t%zu\n", c->v[i].path, c->v[i].len);
		uc3_buf_add(&b, c->v[i].data, c->v[i].len);
		uc3_buf_addch(&b, '\n');
	}
	uc3_store_cache_write(st, FILES_CACHE, b.ptr, b.len);
	uc3_buf_release(&b);
}

/* A file changed between the copies' tree and the index's: its copy goes (a new one comes). */
static int
copy_changed(const char *path, const char *data, size_t len, void *ctx)
{
	struct copies *c = ctx;

	copies_drop(c, path);
	if (data)
		copies_add(c, path, data, len);
	return 0;
}

struct visit_one {
	struct copies *c;
	uc3_records_visit_fn fn;
	void *ctx;
};

/* A file read from the tip: kept for the next time, then visited. */
static int
copy_read(const char *path, const char *data, size_t len, void *ctx)
{
	struct visit_one *v = ctx;

	if (data)
		copies_add(v->c, path, data, len);
	return v->fn(path, data, len, v->ctx);
}

int
uc3_openindex_visit(const struct uc3_openindex *ix, struct uc3_store *st, uc3_records_visit_fn fn,
		    void *ctx)
{
	struct copies c = { 0 };
	struct visit_one v = { &c, fn, ctx };
	size_t i, k;
	int rc = 0;

	copies_load(&c, st);
	if (c.n && strcmp(c.tree, ix->tree) &&
	    uc3_records_diff(st, c.tree, ix->tree, copy_changed, &c) < 0) {
		/* The old tree was collected away, or does not read: start again. */
		uc3_error_clear();
		copies_release(&c);
	}
	if (strcmp(c.tree, ix->tree)) {
		memcpy(c.tree, ix->tree, sizeof(c.tree));
		c.changed = true;
	}
	if (c.n > 1)
		qsort(c.v, c.n, sizeof(*c.v), cmp_copy);
	c.sorted = c.n;
	for (i = 0; rc == 0 && i < ix->n; i++) {
		const struct copy *e = copies_find(&c, ix->e[i].path);

		if (e)
			rc = fn(e->path, e->data, e->len, ctx);
		else
			rc = uc3_records_visit_paths(st, &ix->e[i].path, 1, copy_read, &v);
	}
	/* Only the files of the index are kept. */
	for (k = 0; k < c.n;) {
		struct uc3_openindex_entry key = { 0 };

		key.path = c.v[k].path;
		if (ix->n && bsearch(&key, ix->e, ix->n, sizeof(*ix->e), cmp_path)) {
			k++;
			continue;
		}
		free(c.v[k].path);
		free(c.v[k].data);
		c.v[k] = c.v[--c.n];
		c.changed = true;
	}
	if (c.changed && rc == 0)
		copies_save(&c, st);
	copies_release(&c);
	return rc;
}
