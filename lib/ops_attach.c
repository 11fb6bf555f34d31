/*
 * uc3 attach as one write: read the files, pin and load the ticket, name
 * and type the files, do the step once (attach.h), then write the
 * ticket's file and the files in one commit, as ops.c does a step.
 */
#include "ops.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "attach.h"
#include "error.h"
#include "ops_int.h"
#include "records.h"
#include "xalloc.h"

struct attach_ctx {
	struct uc3_op__kept k; /* first: the step on the ticket, as ops.c keeps one */
	const char *note;
	const char *const *data; /* the files' contents (borrowed) */
	const size_t *lens;
	struct uc3_attachment *files; /* their entries, in the order given */
	size_t n;
};

static int
too_big(const char *path, size_t size, size_t limit)
{
	struct uc3_buf lim = UC3_BUF_INIT;
	int rc;

	uc3_attach_format_limit(&lim, limit);
	rc = uc3_error_set(UC3_EINVAL,
			   "%s is %zu bytes, over the limit of %s (limits.attachment in uc3.yaml); "
			   "nothing was written",
			   path, size, lim.ptr);
	uc3_buf_release(&lim);
	return rc;
}

/* Read the file at path (as typed) into out: a regular file, not empty, within limit. */
static int
read_file(struct uc3_buf *out, const char *path, size_t limit)
{
	struct stat sb;
	int fd, rc;

	/* Not blocking: a FIFO would wait for a writer before fstat could refuse it. */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return uc3_error_set(UC3_EINVAL, "cannot read %s: %s", path, strerror(errno));
	if (fstat(fd, &sb) < 0) {
		rc = uc3_error_set(UC3_EINVAL, "cannot read %s: %s", path, strerror(errno));
		goto out;
	}
	if (S_ISDIR(sb.st_mode)) {
		rc = uc3_error_set(UC3_EINVAL, "%s is a directory: attach the files in it", path);
		goto out;
	}
	if (!S_ISREG(sb.st_mode)) {
		rc = uc3_error_set(UC3_EINVAL, "%s is not a regular file", path);
		goto out;
	}
	if ((size_t)sb.st_size > limit) {
		rc = too_big(path, (size_t)sb.st_size, limit);
		goto out;
	}
	/* A file that grew since fstat is caught by the read itself. */
	if ((rc = uc3_buf_read_limited(out, fd, limit, path)) == UC3_EINVAL)
		rc = too_big(path, out->len, limit);
	if (rc == 0 && !out->len)
		rc = uc3_error_set(UC3_EINVAL, "%s is empty: there is nothing to keep", path);
out:
	close(fd);
	return rc;
}

/* A name is taken by the ticket, by a file before it in this command, or in the tree. */
struct taken_ctx {
	const struct uc3_ticket *t;
	const struct uc3_attachment *files;
	size_t n;
	struct uc3_store *st;
	const char *ticket_path;
};

static bool
name_taken(const char *name, void *vctx)
{
	struct taken_ctx *c = vctx;
	char *path, blob[41];
	bool in_tree;
	size_t i;

	if (uc3_ticket_attachment(c->t, name))
		return true;
	for (i = 0; i < c->n; i++)
		if (!strcmp(c->files[i].name, name))
			return true;
	path = uc3_records_attachment_path(c->ticket_path, name);
	in_tree = uc3_store_blob(blob, c->st, path) == 0;
	uc3_error_clear();
	free(path);
	return in_tree;
}

/* Name, type and hash the files read for ticket t at path; names[i] as they came. */
static int
describe(struct attach_ctx *c, const char *const *names, struct uc3_store *st,
	 const struct uc3_ticket *t, const char *path)
{
	struct taken_ctx tc = { t, c->files, 0, st, path };
	size_t i;
	int rc;

	for (i = 0; i < c->n; i++) {
		struct uc3_attachment *f = &c->files[i];
		char *safe = uc3_attach_safe_name(names[i] ? names[i] : "");

		tc.n = i;
		f->name = uc3_attach_free_name(safe, name_taken, &tc);
		free(safe);
		f->type = uc3_xstrdup(uc3_attach_sniff(f->name, c->data[i], c->lens[i]));
		f->size = c->lens[i];
		f->blob = uc3_xcalloc(1, 41);
		if ((rc = uc3_store_hash(f->blob, st, c->data[i], c->lens[i])) < 0)
			return rc;
	}
	return 0;
}

static int
attach_apply(struct uc3_op__kept *k, struct uc3_ticket *t, struct uc3_buf *msg)
{
	struct attach_ctx *c = (struct attach_ctx *)k;
	struct uc3_attach a = { k->act.policy, k->act.actor, k->act.now, c->note, c->files, c->n };

	return uc3_attach_apply(t, &a, msg);
}

/* The ticket's file and message as ops.c writes a step, and the files beside it. */
static int
attach_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct attach_ctx *c = vctx;
	char *path = NULL;
	size_t i;
	int rc;

	if ((rc = uc3_op__write_kept(w, st, &c->k, &path)) == 0)
		for (i = 0; i < c->n; i++) {
			char *p = uc3_records_attachment_path(path, c->files[i].name);

			uc3_buf_add(uc3_write_add_new(w, p), c->data[i], c->lens[i]);
			free(p);
		}
	free(path);
	return rc;
}

/* Do the step on id with c's files c->data, named as names[] came. */
static int
attach_write(struct attach_ctx *c, struct uc3_store *st, const char *id, const char *const *names,
	     struct uc3_ticket **ticket_out, struct uc3_write_result *res)
{
	struct uc3_ticket *t = NULL;
	char *path = NULL;
	int rc;

	if ((rc = uc3_op__prepare(&t, &c->k.act, c->k.seen, st, id)) < 0 ||
	    (rc = uc3_records_find(&path, st, id)) < 0 ||
	    (rc = describe(c, names, st, t, path)) < 0)
		goto out;
	if ((rc = uc3_op__do(&c->k, t)) < 0)
		goto out;
	t = NULL;
	if ((rc = uc3_store_write(st, attach_edit, c, res)) < 0)
		goto out;
	if (ticket_out) {
		*ticket_out = c->k.done;
		c->k.done = NULL;
	}
out:
	uc3_ticket_free(t);
	free(path);
	return rc;
}

static void
attach_release(struct attach_ctx *c)
{
	size_t i;

	uc3_op__kept_release(&c->k);
	for (i = 0; i < c->n; i++) {
		free(c->files[i].name);
		free(c->files[i].type);
		free(c->files[i].blob);
	}
	free(c->files);
}

int
uc3_op_attach(struct uc3_store *st, const char *id, const char *const *paths, size_t n,
	      const char *note, struct uc3_ticket **ticket_out, struct uc3_write_result *res)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	size_t limit = p->attachment_limit ? p->attachment_limit : UC3_ATTACHMENT_LIMIT_DEFAULT;
	struct uc3_buf *bufs = uc3_xcalloc(n ? n : 1, sizeof(*bufs));
	const char **data = uc3_xcalloc(n ? n : 1, sizeof(*data));
	size_t *lens = uc3_xcalloc(n ? n : 1, sizeof(*lens));
	size_t i;
	int rc = 0;

	if (res)
		memset(res, 0, sizeof(*res));
	for (i = 0; i < n; i++)
		uc3_buf_init(&bufs[i]);
	/* Every file first: what is wrong with one is said before anything is asked of git. */
	for (i = 0; i < n && rc == 0; i++) {
		rc = read_file(&bufs[i], paths[i], limit);
		data[i] = bufs[i].ptr;
		lens[i] = bufs[i].len;
	}
	if (rc == 0)
		rc = uc3_op_attach_data(st, id, paths, data, lens, n, note, ticket_out, res);
	for (i = 0; i < n; i++)
		uc3_buf_release(&bufs[i]);
	free(bufs);
	free(data);
	free(lens);
	return rc;
}

int
uc3_op_attach_data(struct uc3_store *st, const char *id, const char *const *names,
		   const char *const *data, const size_t *lens, size_t n, const char *note,
		   struct uc3_ticket **ticket_out, struct uc3_write_result *res)
{
	const struct uc3_policy *p = uc3_store_policy(st);
	size_t limit = p->attachment_limit ? p->attachment_limit : UC3_ATTACHMENT_LIMIT_DEFAULT;
	struct attach_ctx c = { 0 };
	size_t i;
	int rc = 0;

	if (res)
		memset(res, 0, sizeof(*res));
	c.k.id = id;
	c.k.apply = attach_apply;
	c.note = note;
	c.n = n;
	c.data = data;
	c.lens = lens;
	c.files = uc3_xcalloc(n ? n : 1, sizeof(*c.files));
	uc3_buf_init(&c.k.text);
	uc3_buf_init(&c.k.msg);
	if (!n) {
		rc = uc3_error_set(UC3_EINVAL, "no file to attach");
		goto out;
	}
	for (i = 0; i < n; i++) {
		const char *name = names[i] && *names[i] ? names[i] : "attachment";

		if (lens[i] > limit) {
			rc = too_big(name, lens[i], limit);
			goto out;
		}
		if (!lens[i]) {
			rc = uc3_error_set(UC3_EINVAL, "%s is empty: there is nothing to keep",
					   name);
			goto out;
		}
	}
	rc = attach_write(&c, st, id, names, ticket_out, res);
out:
	attach_release(&c);
	return rc;
}
