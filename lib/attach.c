#include "attach.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "message.h"
#include "transition.h"
#include "utf8.h"
#include "xalloc.h"
#include "ydoc.h"

/*
 * Names.
 */

/* Length of the well-formed UTF-8 character at s (n bytes left), 0 when there is none. */
static size_t
char_len(const unsigned char *s, size_t n)
{
	size_t len = *s < 0x80		       ? 1
		     : *s >= 0xc2 && *s < 0xe0 ? 2
		     : *s >= 0xe0 && *s < 0xf0 ? 3
		     : *s >= 0xf0 && *s < 0xf5 ? 4
					       : 0;

	if (!len || len > n || !uc3_utf8_valid((const char *)s, len, NULL))
		return 0;
	return len;
}

/* Append at most max bytes of s[0..len), cut at a character's end. */
static void
add_cut(struct uc3_buf *out, const char *s, size_t len, size_t max)
{
	size_t keep = 0;

	while (keep < len) {
		size_t n = char_len((const unsigned char *)s + keep, len - keep);

		if (!n || keep + n > max)
			break;
		keep += n;
	}
	uc3_buf_add(out, s, keep);
}

/*
 * Append name cut to max bytes, keeping its extension when that is
 * short: "STEM.EXT" loses the end of STEM.
 */
static void
cut_name(struct uc3_buf *out, const char *name, size_t max)
{
	const char *dot = strrchr(name, '.');
	size_t len = strlen(name), ext = dot && dot != name ? strlen(dot) : 0;

	if (len <= max) {
		uc3_buf_add(out, name, len);
		return;
	}
	if (ext > 32 || ext >= max)
		ext = 0;
	add_cut(out, name, len - ext, max - ext);
	uc3_buf_add(out, name + len - ext, ext);
}

char *
uc3_attach_safe_name(const char *path)
{
	const char *base = strrchr(path, '/');
	const unsigned char *p;
	struct uc3_buf b = UC3_BUF_INIT, out = UC3_BUF_INIT;
	size_t start, end;

	base = base ? base + 1 : path;
	for (p = (const unsigned char *)base; *p;) {
		size_t n = char_len(p, strlen((const char *)p));

		/*
		 * C0 and DEL are one byte; C1 controls are U+0080..U+009F, two.
		 * What Windows refuses in a name goes too: a clone there checks
		 * the file out.
		 */
		if (!n || *p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] < 0xa0) ||
		    (n == 1 && strchr("\\:*?\"<>|", *p))) {
			uc3_buf_addch(&b, '_');
			p += n ? n : 1;
			continue;
		}
		uc3_buf_add(&b, p, n);
		p += n;
	}
	start = strspn(b.ptr, ". ");
	end = b.len;
	while (end > start && b.ptr[end - 1] == ' ')
		end--;
	if (end == start)
		uc3_buf_adds(&out, "attachment");
	else {
		if (end - start >= 5 && !strncasecmp(b.ptr + start, "git~1", 5))
			uc3_buf_addch(&out, '_');
		b.ptr[end] = '\0';
		cut_name(&out, b.ptr + start, UC3_ATTACHMENT_NAME_MAX - out.len);
	}
	uc3_buf_release(&b);
	return uc3_buf_detach(&out);
}

char *
uc3_attach_free_name(const char *name, bool (*taken)(const char *name, void *ctx), void *ctx)
{
	const char *dot = strrchr(name, '.');
	size_t len = strlen(name), ext = dot && dot != name ? strlen(dot) : 0;
	struct uc3_buf b = UC3_BUF_INIT;
	unsigned long i;

	if (!taken(name, ctx))
		return uc3_xstrdup(name);
	if (ext > 32)
		ext = 0;
	for (i = 2;; i++) {
		char suffix[32];

		snprintf(suffix, sizeof(suffix), "-%lu", i);
		uc3_buf_reset(&b);
		/* The stem shortened, at a character's end, so that the suffix fits. */
		add_cut(&b, name, len - ext, UC3_ATTACHMENT_NAME_MAX - ext - strlen(suffix));
		uc3_buf_adds(&b, suffix);
		uc3_buf_add(&b, name + len - ext, ext);
		if (!taken(b.ptr, ctx))
			return uc3_buf_detach(&b);
	}
}

/*
 * Types.
 */

#define TYPE_DOCX "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
#define TYPE_XLSX "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#define TYPE_PPTX "application/vnd.openxmlformats-officedocument.presentationml.presentation"
#define TYPE_ODT  "application/vnd.oasis.opendocument.text"
#define TYPE_ODS  "application/vnd.oasis.opendocument.spreadsheet"

static const struct {
	const char *magic;
	size_t len, at;
	const char *type;
} magics[] = {
	{ "%PDF-", 5, 0, "application/pdf" },
	{ "\x89PNG\r\n\x1a\n", 8, 0, "image/png" },
	{ "\xff\xd8\xff", 3, 0, "image/jpeg" },
	{ "GIF87a", 6, 0, "image/gif" },
	{ "GIF89a", 6, 0, "image/gif" },
	{ "WEBP", 4, 8, "image/webp" }, /* after "RIFF" and a length */
	{ "II*\0", 4, 0, "image/tiff" },
	{ "MM\0*", 4, 0, "image/tiff" },
};

/* ZIP archives by extension: office documents are ZIP files inside. */
static const struct {
	const char *ext;
	const char *type;
} zips[] = {
	{ ".docx", TYPE_DOCX }, { ".xlsx", TYPE_XLSX }, { ".pptx", TYPE_PPTX },
	{ ".odt", TYPE_ODT },	{ ".ods", TYPE_ODS },
};

static const char *const others[] = { "application/zip", "text/plain", "text/csv",
				      "application/octet-stream" };

static bool
has_ext(const char *name, const char *ext)
{
	size_t n = strlen(name), e = strlen(ext);

	return n > e && !strcasecmp(name + n - e, ext);
}

/* UTF-8 text: no NUL, no control character but tab, LF, CR and form feed. */
static bool
is_text(const char *data, size_t len)
{
	const unsigned char *p = (const unsigned char *)data, *end = p + len;

	if (!uc3_utf8_valid(data, len, NULL))
		return false;
	for (; p < end; p++) {
		if ((*p < 0x20 && *p != '\t' && *p != '\n' && *p != '\r' && *p != '\f') ||
		    *p == 0x7f || (*p == 0xc2 && p + 1 < end && p[1] < 0xa0))
			return false;
	}
	return true;
}

const char *
uc3_attach_sniff(const char *name, const char *data, size_t len)
{
	size_t i;

	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].at + magics[i].len &&
		    !memcmp(data + magics[i].at, magics[i].magic, magics[i].len) &&
		    (magics[i].at == 0 || !memcmp(data, "RIFF", 4)))
			return magics[i].type;
	if (len >= 4 && !memcmp(data, "PK\x03\x04", 4)) {
		for (i = 0; i < sizeof(zips) / sizeof(zips[0]); i++)
			if (has_ext(name, zips[i].ext))
				return zips[i].type;
		return "application/zip";
	}
	if (is_text(data, len))
		return has_ext(name, ".csv") ? "text/csv" : "text/plain";
	return "application/octet-stream";
}

bool
uc3_attach_type_known(const char *type)
{
	size_t i;

	if (!type)
		return false;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (!strcmp(type, magics[i].type))
			return true;
	for (i = 0; i < sizeof(zips) / sizeof(zips[0]); i++)
		if (!strcmp(type, zips[i].type))
			return true;
	for (i = 0; i < sizeof(others) / sizeof(others[0]); i++)
		if (!strcmp(type, others[i]))
			return true;
	return false;
}

void
uc3_attach_format_size(struct uc3_buf *out, size_t size)
{
	if (size < 1024)
		uc3_buf_addf(out, "%zu byte%s", size, size == 1 ? "" : "s");
	else if (size < 1024 * 1024)
		uc3_buf_addf(out, "%.1f KiB", (double)size / 1024);
	else
		uc3_buf_addf(out, "%.1f MiB", (double)size / (1024 * 1024));
}

/*
 * The step.
 */

void
uc3_attach_format_limit(struct uc3_buf *out, size_t n)
{
	uc3_buf_addf(out, "%zu", n);
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		uc3_buf_addf(out, " (%zu MiB)", n / (1024 * 1024));
	else if (n >= 1024 && n % 1024 == 0)
		uc3_buf_addf(out, " (%zu KiB)", n / 1024);
}

/*
 * The note as it is written: normalised, one final newline dropped from
 * a one-line note, NULL when nothing is left. *out: free().
 */
static int
clean_note(char **out, const char *note)
{
	char *s, *nl;
	int rc;

	*out = NULL;
	if (!note)
		return 0;
	if (!uc3_utf8_valid(note, strlen(note), NULL))
		return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in the note");
	s = uc3_text_normalize(note, strlen(note));
	if ((rc = uc3_text_check(s, _("the note"), UC3_TEXT_LINES)) < 0) {
		free(s);
		return rc;
	}
	nl = strchr(s, '\n');
	if (nl && nl[1] == '\0')
		*nl = '\0';
	if (!*s) {
		free(s);
		return 0;
	}
	*out = s;
	return 0;
}

/* Every refusal of a on t; *note gets the note as written (free()). */
static int
plan(char **note, const struct uc3_ticket *t, const struct uc3_attach *a)
{
	const struct uc3_policy *p = a->policy;
	size_t limit = p->attachment_limit ? p->attachment_limit : UC3_ATTACHMENT_LIMIT_DEFAULT;
	size_t i, j;
	char ex[64];
	int rc;

	*note = NULL;
	if (t->status == UC3_STATUS_CLOSED)
		return uc3_error_set(UC3_EDENIED, "%s is closed; its record is final", t->id);
	if ((rc = uc3_transition_check_time(t, a->now)) < 0)
		return rc;
	if ((rc = uc3_transition_may_register(p, a->actor)) < 0)
		return rc;
	if (!a->nfiles)
		return uc3_error_set(UC3_EINVAL, "no file to attach");
	for (i = 0; i < a->nfiles; i++) {
		const struct uc3_attachment *f = &a->files[i];
		struct uc3_buf lim = UC3_BUF_INIT;

		if (!uc3_ticket_attachment_name_ok(f->name))
			return uc3_error_set(UC3_EINVAL,
					     "'%s' is not a name uc3 gives a file (no slash, no "
					     "leading dot, no control character)",
					     uc3_utf8_excerpt(ex, sizeof(ex),
							      f->name ? f->name : ""));
		if (uc3_ticket_attachment(t, f->name))
			return uc3_error_set(UC3_EINVAL, "%s has an attachment %s already", t->id,
					     f->name);
		for (j = 0; j < i; j++)
			if (!strcmp(a->files[j].name, f->name))
				return uc3_error_set(UC3_EINVAL, "%s is attached twice", f->name);
		if (!uc3_attach_type_known(f->type))
			return uc3_error_set(UC3_EINVAL, "%s: '%s' is not a type uc3 gives a file",
					     f->name,
					     uc3_utf8_excerpt(ex, sizeof(ex),
							      f->type ? f->type : ""));
		if (!uc3_ticket_blob_ok(f->blob))
			return uc3_error_set(UC3_EINVAL, "%s: '%s' is not a git blob id", f->name,
					     uc3_utf8_excerpt(ex, sizeof(ex),
							      f->blob ? f->blob : ""));
		if (!f->size)
			return uc3_error_set(UC3_EINVAL, "%s is empty: there is nothing to keep",
					     f->name);
		if (f->size > limit) {
			uc3_attach_format_limit(&lim, limit);
			rc = uc3_error_set(UC3_EINVAL,
					   "%s is %zu bytes, over the limit of %s "
					   "(limits.attachment in uc3.yaml)",
					   f->name, f->size, lim.ptr);
			uc3_buf_release(&lim);
			return rc;
		}
	}
	return clean_note(note, a->note);
}

int
uc3_attach_check(const struct uc3_ticket *t, const struct uc3_attach *a)
{
	char *note = NULL;
	int rc = plan(&note, t, a);

	free(note);
	return rc;
}

int
uc3_attach_apply(struct uc3_ticket *t, const struct uc3_attach *a, struct uc3_buf *msg)
{
	struct uc3_event *ev;
	struct uc3_ynode *names;
	char *note;
	size_t i;
	int rc;

	if ((rc = plan(&note, t, a)) < 0)
		return rc;
	/* Nothing can fail from here on: the ticket changes. */
	names = uc3_ynode_seq(UC3_YSTYLE_FLOW);
	for (i = 0; i < a->nfiles; i++) {
		const struct uc3_attachment *f = &a->files[i];
		struct uc3_attachment *e = uc3_ticket_add_attachment(t);

		e->name = uc3_xstrdup(f->name);
		e->type = uc3_xstrdup(f->type);
		e->size = f->size;
		e->blob = uc3_xstrdup(f->blob);
		/* A name YAML would read as a number or a date stays text. */
		uc3_ynode_seq_add(names, uc3_ynode_scalar(f->name, uc3_ydoc_ambiguous(f->name)
									   ? UC3_YSTYLE_SQUOTED
									   : UC3_YSTYLE_ANY));
	}
	ev = uc3_ticket_add_event(t);
	uc3_clock_format_str(&ev->at, a->now, a->policy->timezone);
	ev->by = uc3_xstrdup(a->actor);
	ev->action = uc3_xstrdup("attach");
	ev->note = note;
	ev->extra = uc3_ynode_map(UC3_YSTYLE_ANY);
	uc3_ynode_map_add(ev->extra, "files", names);
	uc3_message_attach(msg, t, a->nfiles);
	return 0;
}

void
uc3_attach_summary(struct uc3_buf *out, const struct uc3_ticket *t, size_t n)
{
	struct uc3_buf files = UC3_BUF_INIT;
	size_t i;

	if (n > t->nattachments)
		n = t->nattachments;
	for (i = t->nattachments - n; i < t->nattachments; i++) {
		const struct uc3_attachment *f = &t->attachments[i];

		uc3_buf_addf(&files, "%s%s (%s, ", i > t->nattachments - n ? ", " : "", f->name,
			     f->type);
		uc3_attach_format_size(&files, f->size);
		uc3_buf_addch(&files, ')');
	}
	/* TRANSLATORS: uc3 attach: the ticket, then "surat.pdf (application/pdf, 12 KB)". */
	uc3_buf_addf(out, _("%s: attached %s"), t->id, files.ptr);
	uc3_buf_release(&files);
}
