#include "input.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "error.h"
#include "run.h"

/* Lines starting with '#' are the template's; what is left is the text. */
static void
strip_comments(struct uc3_buf *out, const char *s)
{
	while (*s) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s + 1) : strlen(s);

		if (*s != '#')
			uc3_buf_add(out, s, len);
		s += len;
	}
}

static int
from_editor(struct uc3_buf *out, struct uc3_store *st, const char *hint, size_t limit,
	    const char *what)
{
	struct uc3_buf path = UC3_BUF_INIT, raw = UC3_BUF_INIT, text = UC3_BUF_INIT;
	const char *editor = getenv("VISUAL");
	char *cfg = NULL;
	FILE *f;
	int status, fd, rc = 0;

	if (!editor || !*editor)
		editor = getenv("EDITOR");
	if (!editor || !*editor)
		editor = cfg = uc3_store_config(st, "core.editor");
	if (!editor || !*editor)
		editor = "vi";
	uc3_buf_addf(&path, "%suc3", uc3_store_gitdir(st));
	mkdir(path.ptr, 0777);
	/* One file per writer: two people may be typing at once. */
	uc3_buf_adds(&path, "/EDIT-XXXXXX");
	fd = mkstemp(path.ptr);
	f = fd < 0 ? NULL : fdopen(fd, "w");
	if (!f) {
		if (fd >= 0)
			close(fd);
		rc = uc3_error_set(UC3_ERROR, "cannot write %s: %s", path.ptr, strerror(errno));
		uc3_buf_reset(&path);
		goto out;
	}
	fputc('\n', f);
	while (hint && *hint) {
		const char *nl = strchr(hint, '\n');
		size_t len = nl ? (size_t)(nl - hint) : strlen(hint);

		fprintf(f, len ? "# %.*s\n" : "#\n", (int)len, hint);
		hint += len + (nl ? 1 : 0);
	}
	fclose(f);
	if ((rc = uc3_run_interactive(&status, editor, path.ptr)) < 0)
		goto out;
	if (status != 0) {
		rc = uc3_error_set(UC3_EINVAL,
				   "the editor '%s' failed (exit %d); nothing was recorded", editor,
				   status);
		goto out;
	}
	fd = open(path.ptr, O_RDONLY);
	if (fd < 0) {
		rc = uc3_error_set(UC3_ERROR, "cannot read %s: %s", path.ptr, strerror(errno));
		goto out;
	}
	rc = uc3_buf_read_limited(&raw, fd, limit + 64 * 1024, what);
	close(fd);
	if (rc < 0)
		goto out;
	strip_comments(&text, raw.ptr);
	{
		const char *p = text.ptr;

		while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
			p++;
		if (!*p) {
			rc = uc3_error_set(UC3_EINVAL, "aborting: %s is empty", what);
			goto out;
		}
	}
	if (text.len > limit + 1) {
		rc = uc3_error_set(UC3_EINVAL, "%s is over the limit of %zu bytes", what, limit);
		goto out;
	}
	uc3_buf_add(out, text.ptr, text.len);
out:
	if (path.len)
		unlink(path.ptr);
	free(cfg);
	uc3_buf_release(&path);
	uc3_buf_release(&raw);
	uc3_buf_release(&text);
	return rc;
}

int
uc3_input_text(struct uc3_buf *out, struct uc3_store *st, const char *file, const char *hint,
	       size_t limit, const char *what)
{
	size_t start = out->len;
	int fd, rc;

	if (!file && isatty(STDIN_FILENO)) {
		rc = from_editor(out, st, hint, limit, what);
	} else if (!file || !strcmp(file, "-")) {
		rc = uc3_buf_read_limited(out, STDIN_FILENO, limit, what);
	} else {
		fd = open(file, O_RDONLY);
		if (fd < 0)
			return uc3_error_set(UC3_EINVAL, "cannot read %s: %s", file,
					     strerror(errno));
		rc = uc3_buf_read_limited(out, fd, limit, what);
		close(fd);
	}
	/* Text is kept as C strings: a NUL would silently cut it short. */
	if (rc == 0 && memchr(out->ptr + start, '\0', out->len - start))
		rc = uc3_error_set(UC3_EINVAL, "%s contains a NUL byte", what);
	return rc;
}
