#include "ops.h"

/*
 * The quarantine: a mail uc3 new --mail could not read is kept as it
 * came, in a commit of its own, until a person reads it and registers it
 * with uc3 new --quarantined PATH (uc3_op_new). Nothing an MTA hands over
 * is ever lost, nor kept twice when it hands the same mail over again.
 */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "clock.h"
#include "error.h"
#include "message.h"
#include "records.h"
#include "remote.h"
#include "strv.h"
#include "utf8.h"
#include "xalloc.h"

struct quarantine_ctx {
	const char *data;
	size_t len;
	const char *why;
	time_t now;
	char blob[41];
	char *path; /* what the write added, or the file that already held the data */
};

/*
 * The path of a file waiting at the tip that holds the same bytes (an
 * MTA that hands the same mail over again, at another time), or NULL.
 * Only names that end in the same 12 hex digits are looked at.
 */
static char *
already_waiting(struct uc3_store *st, const char *blob)
{
	char **paths = NULL, *found = NULL;
	size_t n = 0, i;

	if (uc3_records_quarantine_list(&paths, &n, st) < 0) {
		uc3_error_clear();
		return NULL;
	}
	for (i = 0; i < n && !found; i++) {
		size_t len = strlen(paths[i]);
		char have[41];

		if (len < 16 || strncmp(paths[i] + len - 16, blob, 12))
			continue;
		if (uc3_store_blob(have, st, paths[i]) == 0 && !strcmp(have, blob))
			found = uc3_xstrdup(paths[i]);
	}
	uc3_error_clear();
	uc3_strv_free(paths, n);
	return found;
}

static int
quarantine_edit(struct uc3_write *w, struct uc3_store *st, void *vctx)
{
	struct quarantine_ctx *c = vctx;

	free(c->path);
	c->path = already_waiting(st, c->blob);
	if (c->path) {
		w->allow_empty = true;
		return 0;
	}
	if (!(c->path = uc3_records_quarantine_name(st, c->now, c->data, c->len)))
		return UC3_ERROR;
	uc3_buf_add(uc3_write_add_new(w, c->path), c->data, c->len);
	uc3_message_quarantine(&w->message, c->path, c->why);
	return 0;
}

/*
 * why as one line of a commit message: line breaks and tabs made
 * blanks, every other control written as \xNN, blanks around dropped.
 * Never refused: the mail is kept whatever the reason says.
 */
static char *
one_line(const char *why)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char *s;

	uc3_utf8_cell(&b, why && *why ? why : "no reason given");
	s = uc3_text_trim(b.ptr);
	uc3_buf_release(&b);
	return s ? s : uc3_xstrdup("no reason given");
}

int
uc3_op_quarantine(char **path, struct uc3_store *st, const char *data, size_t len, const char *why,
		  struct uc3_write_result *res)
{
	struct quarantine_ctx c = { 0 };
	const char *name, *email;
	char *line = NULL;
	int rc;

	*path = NULL;
	if (res)
		memset(res, 0, sizeof(*res));
	c.data = data ? data : "";
	c.len = data ? len : 0;
	if ((rc = uc3_clock_now(&c.now)) < 0 || (rc = uc3_remote_sync(st)) < 0 ||
	    (rc = uc3_store_actor(&name, &email, st)) < 0 ||
	    (rc = uc3_transition_may_notify(uc3_store_policy(st), email)) < 0 ||
	    (rc = uc3_store_hash(c.blob, st, c.data, c.len)) < 0)
		return rc;
	c.why = line = one_line(why);
	rc = uc3_store_write(st, quarantine_edit, &c, res);
	free(line);
	if (rc < 0) {
		free(c.path);
		return rc;
	}
	*path = c.path;
	return 0;
}
