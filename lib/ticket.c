#include "ticket.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "error.h"
#include "strv.h"
#include "utf8.h"
#include "xalloc.h"

/*
 * The model: its lifecycle, status words and ids, and the check of what a
 * person typed. Reading a file is in ticket_read.c, writing one in
 * ticket_write.c.
 */

static const char *const status_names[] = { [UC3_STATUS_OPEN] = "open",
					    [UC3_STATUS_ANSWERED] = "answered",
					    [UC3_STATUS_DELIVERED] = "delivered",
					    [UC3_STATUS_CLOSED] = "closed" };

#define NSTATUS (sizeof(status_names) / sizeof(status_names[0]))

const char *
uc3_status_name(enum uc3_status s)
{
	if ((unsigned)s >= NSTATUS)
		return NULL;
	return status_names[s];
}

int
uc3_status_parse(enum uc3_status *out, const char *s)
{
	size_t i;

	for (i = 0; s && i < NSTATUS; i++)
		if (!strcmp(s, status_names[i])) {
			*out = (enum uc3_status)i;
			return 0;
		}
	return UC3_EINVAL;
}

struct uc3_ticket *
uc3_ticket_new(void)
{
	return uc3_xcalloc(1, sizeof(struct uc3_ticket));
}

static void
event_release(struct uc3_event *e)
{
	size_t i;

	free(e->at);
	free(e->by);
	free(e->action);
	free(e->as);
	free(e->of);
	free(e->from);
	free(e->to);
	free(e->note);
	free(e->about);
	free(e->message_id);
	free(e->sender);
	free(e->backfill);
	free(e->role);
	free(e->step.name);
	free(e->step.due);
	for (i = 0; i < e->nchanges; i++) {
		free(e->changes[i].field);
		free(e->changes[i].before);
		free(e->changes[i].after);
	}
	free(e->changes);
	uc3_ynode_free(e->extra);
}

void
uc3_ticket_free(struct uc3_ticket *t)
{
	size_t i;

	if (!t)
		return;
	free(t->id);
	free(t->subject);
	free(t->kind);
	free(t->channel);
	free(t->requester.name);
	free(t->requester.email);
	free(t->requester.phone);
	free(t->requester.social);
	free(t->requester.address);
	free(t->unit);
	free(t->received);
	free(t->message_id);
	free(t->quarantined);
	free(t->sent);
	free(t->follows);
	free(t->automatic);
	free(t->closed_as);
	free(t->duplicate_of);
	free(t->level);
	free(t->deadline);
	free(t->body);
	free(t->answer);
	for (i = 0; i < t->nattachments; i++) {
		free(t->attachments[i].name);
		free(t->attachments[i].type);
		free(t->attachments[i].blob);
	}
	free(t->attachments);
	uc3_ynode_free(t->extra);
	for (i = 0; i < t->nevents; i++)
		event_release(&t->events[i]);
	free(t->events);
	free(t);
}

struct uc3_event *
uc3_ticket_add_event(struct uc3_ticket *t)
{
	struct uc3_event *e;

	uc3_xgrow((void **)&t->events, &t->aevents, t->nevents + 1, sizeof(*t->events));
	e = &t->events[t->nevents++];
	memset(e, 0, sizeof(*e));
	return e;
}

struct uc3_event_change *
uc3_event_add_change(struct uc3_event *e, const char *field, const char *before, const char *after)
{
	struct uc3_event_change *c;

	/* Events hold a few changes: grow one at a time, exactly. */
	e->changes = uc3_xrealloc(e->changes, (e->nchanges + 1) * sizeof(*e->changes));
	c = &e->changes[e->nchanges++];
	c->field = field ? uc3_xstrdup(field) : NULL;
	c->before = before ? uc3_xstrdup(before) : NULL;
	c->after = after ? uc3_xstrdup(after) : NULL;
	return c;
}

struct uc3_attachment *
uc3_ticket_add_attachment(struct uc3_ticket *t)
{
	struct uc3_attachment *a;

	uc3_xgrow((void **)&t->attachments, &t->aattachments, t->nattachments + 1,
		  sizeof(*t->attachments));
	a = &t->attachments[t->nattachments++];
	memset(a, 0, sizeof(*a));
	return a;
}

const struct uc3_attachment *
uc3_ticket_attachment(const struct uc3_ticket *t, const char *name)
{
	size_t i;

	for (i = 0; name && i < t->nattachments; i++)
		if (t->attachments[i].name && !strcmp(t->attachments[i].name, name))
			return &t->attachments[i];
	return NULL;
}

bool
uc3_ticket_attachment_name_ok(const char *name)
{
	const unsigned char *p;
	size_t len;

	if (!name || !*name || *name == '.' || (len = strlen(name)) > UC3_ATTACHMENT_NAME_MAX ||
	    !uc3_utf8_valid(name, len, NULL) || strchr(name, '/') || !strncasecmp(name, "git~1", 5))
		return false;
	for (p = (const unsigned char *)name; *p; p++)
		if (*p < 0x20 || *p == 0x7f || (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return false;
	return true;
}

bool
uc3_ticket_blob_ok(const char *s)
{
	return s && strlen(s) == 40 && strspn(s, "0123456789abcdef") == 40;
}

/* n digits at s as a number from lo to hi, or -1. */
static int
digits(const char *s, int n, int lo, int hi)
{
	int i, v = 0;

	for (i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v >= lo && v <= hi ? v : -1;
}

bool
uc3_ticket_quarantine_name_ok(const char *path, time_t *when)
{
	static const char dir[] = "quarantine/";
	/* quarantine/2026-12-02T031500Z-0123456789ab.eml */
	const char *n;
	struct tm tm = { 0 };
	time_t t;

	if (!path || strncmp(path, dir, sizeof(dir) - 1))
		return false;
	n = path + sizeof(dir) - 1;
	if (strlen(n) != 35)
		return false;
	if (n[4] != '-' || n[7] != '-' || n[10] != 'T' || n[17] != 'Z' || n[18] != '-' ||
	    strspn(n + 19, "0123456789abcdef") != 12 || strcmp(n + 31, ".eml"))
		return false;
	if ((tm.tm_year = digits(n, 4, 1970, 9999)) < 0 ||
	    (tm.tm_mon = digits(n + 5, 2, 1, 12)) < 0 ||
	    (tm.tm_mday = digits(n + 8, 2, 1, 31)) < 0 ||
	    (tm.tm_hour = digits(n + 11, 2, 0, 23)) < 0 ||
	    (tm.tm_min = digits(n + 13, 2, 0, 59)) < 0 ||
	    (tm.tm_sec = digits(n + 15, 2, 0, 59)) < 0)
		return false;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	t = timegm(&tm);
	/* 2026-02-31 comes back as March: not a real day. */
	if (tm.tm_mday != digits(n + 8, 2, 1, 31))
		return false;
	if (when)
		*when = t;
	return true;
}

bool
uc3_ticket_automatic_ok(const char *word)
{
	static const char *const words[] = { "auto-reply", "bounce", "bulk", "list", "loop" };
	size_t i;

	for (i = 0; word && i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(word, words[i]))
			return true;
	return false;
}

/*
 * Ids.
 */

static bool
is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Digits to a ticket number, 1 to UC3_TICKET_NUM_MAX; false for anything else. */
static bool
read_number(unsigned long *out, const char *p)
{
	unsigned long n = 0;

	if (!*p)
		return false;
	for (; *p; p++) {
		unsigned long d = (unsigned long)(*p - '0');

		if (!is_digit(*p) || n > (UC3_TICKET_NUM_MAX - d) / 10)
			return false;
		n = n * 10 + d;
	}
	*out = n;
	return n > 0;
}

/* YYYY- at p: the year, 1970 to 9999, or 0. */
static int
read_year(const char *p)
{
	int y = 0, i;

	for (i = 0; i < 4; i++) {
		if (!is_digit(p[i]))
			return 0;
		y = y * 10 + (p[i] - '0');
	}
	return p[4] == '-' && y >= 1970 ? y : 0;
}

bool
uc3_ticket_id_parse(const char *id, const char *prefix, int *year, unsigned long *num)
{
	const char *p = id;
	unsigned long n;
	size_t digits;
	int y;

	if (!id)
		return false;
	if (prefix) {
		size_t plen = strlen(prefix);

		if (!plen || strncmp(p, prefix, plen))
			return false;
		p += plen;
	} else {
		if (!(*p >= 'A' && *p <= 'Z'))
			return false;
		while ((*p >= 'A' && *p <= 'Z') || is_digit(*p))
			p++;
	}
	if (*p++ != '-' || !(y = read_year(p)))
		return false;
	p += 5;
	digits = strspn(p, "0123456789");
	/* Padded to four digits, never beyond: 0042 and 12345, not 00042. */
	if (digits < 4 || (digits > 4 && *p == '0') || !read_number(&n, p))
		return false;
	if (year)
		*year = y;
	if (num)
		*num = n;
	return true;
}

void
uc3_ticket_id_format(struct uc3_buf *out, const char *prefix, int year, unsigned long num)
{
	uc3_buf_addf(out, "%s-%04d-%04lu", prefix, year, num);
}

int
uc3_ticket_id_read(struct uc3_buf *out, bool *implied, const char *typed, const char *prefix,
		   int year)
{
	const char *p = typed, *dash = strchr(typed, '-');
	struct uc3_buf pre = UC3_BUF_INIT;
	unsigned long num;
	int y = year, rc = 0;

	if (implied)
		*implied = !dash;
	if (dash && dash != p && !is_digit(*p)) {
		/* PREFIX-YEAR-N, the prefix in any case. */
		for (; p < dash; p++) {
			char c = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;

			if (!((c >= 'A' && c <= 'Z') || (p > typed && is_digit(c))))
				goto bad;
			uc3_buf_addch(&pre, c);
		}
		p++;
		if (prefix && strcmp(pre.ptr, prefix)) {
			rc = uc3_error_set(UC3_EINVAL,
					   "'%s' is not an id of these records: theirs start %s-",
					   typed, prefix);
			goto out;
		}
	}
	if (p != typed || dash) {
		/* YEAR-N */
		if (!(y = read_year(p)))
			goto bad;
		p += 5;
	} else if (year <= 0) {
		goto bad;
	}
	if (!read_number(&num, p))
		goto bad;
	uc3_ticket_id_format(out, prefix ? prefix : pre.len ? pre.ptr : "UC3", y, num);
	goto out;
bad:
	if (year > 0)
		rc = uc3_error_set(UC3_EINVAL,
				   "'%s' is not a ticket id: give its number (42), year and number "
				   "(%d-42) or the whole id (%s-%d-0042)",
				   typed, year, prefix ? prefix : "UC3", year);
	else
		rc = uc3_error_set(UC3_EINVAL,
				   "'%s' is not a ticket id: give year and number (YEAR-42) or the "
				   "whole id (%s-YEAR-0042)",
				   typed, prefix ? prefix : "UC3");
out:
	uc3_buf_release(&pre);
	return rc;
}

/*
 * Checking what a person typed.
 */

static bool
is_blank(const char *s)
{
	return !s || s[strspn(s, " \t")] == '\0';
}

static void
list_words(struct uc3_buf *b, char *const *w, size_t n)
{
	if (!n)
		uc3_buf_adds(b, "(none)");
	uc3_strv_join(b, w, n);
}

static int
not_in_list(const char *field, const char *value, char *const *w, size_t n)
{
	struct uc3_buf b;
	char ex[64];
	int err;

	uc3_buf_init(&b);
	list_words(&b, w, n);
	if (is_blank(value))
		err = uc3_error_set(UC3_EINVAL,
				    "no %s: one of the policy's "
				    "%ss is needed: %s",
				    field, field, b.ptr);
	else
		err = uc3_error_set(UC3_EINVAL,
				    "%s '%s' is not one of the "
				    "policy's %ss: %s",
				    field, uc3_utf8_excerpt(ex, sizeof(ex), value), field, b.ptr);
	uc3_buf_release(&b);
	return err;
}

/* "1 MiB", "64 KiB" when the limit is a whole number of them, else "". */
static void
human_size(char *buf, size_t size, size_t n)
{
	if (n >= 1024 * 1024 && n % (1024 * 1024) == 0)
		snprintf(buf, size, " (%zu MiB)", n / (1024 * 1024));
	else if (n >= 1024 && n % 1024 == 0)
		snprintf(buf, size, " (%zu KiB)", n / 1024);
	else
		buf[0] = '\0';
}

static int
check_size(const char *field, const char *s, size_t limit)
{
	char hs[32];
	size_t n;

	if (!s)
		return 0;
	/* The final newline that normalising adds is not the sender's text. */
	n = strlen(s);
	if (n && s[n - 1] == '\n')
		n--;
	if (n <= limit)
		return 0;
	human_size(hs, sizeof(hs), limit);
	return uc3_error_set(UC3_EINVAL, "%s is %zu bytes, over the limit of %zu%s", field, n,
			     limit, hs);
}

int
uc3_ticket_check(const struct uc3_ticket *t, const struct uc3_policy *p)
{
	const struct {
		const char *field;
		const char *value;
		enum uc3_text_kind kind;
	} fields[] = {
		{ "subject", t->subject, UC3_TEXT_LINE },
		{ "kind", t->kind, UC3_TEXT_LINE },
		{ "channel", t->channel, UC3_TEXT_LINE },
		{ "requester.name", t->requester.name, UC3_TEXT_LINE },
		{ "requester.email", t->requester.email, UC3_TEXT_LINE },
		{ "requester.phone", t->requester.phone, UC3_TEXT_LINE },
		{ "requester.social", t->requester.social, UC3_TEXT_LINE },
		{ "requester.address", t->requester.address, UC3_TEXT_LINES },
		{ "unit", t->unit, UC3_TEXT_LINE },
		{ "body", t->body, UC3_TEXT_LINES },
		{ "answer", t->answer, UC3_TEXT_LINES },
	};
	size_t i, limit;
	int err;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].value &&
		    !uc3_utf8_valid(fields[i].value, strlen(fields[i].value), NULL))
			return uc3_error_set(UC3_EINVAL, "invalid UTF-8 in %s", fields[i].field);
	if (is_blank(t->subject))
		return uc3_error_set(UC3_EINVAL, "subject is empty");
	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if ((err = uc3_text_check(fields[i].value, fields[i].field, fields[i].kind)) < 0)
			return err;
	if (!t->kind || !uc3_policy_has_kind(p, t->kind))
		return not_in_list("kind", t->kind, p->kinds, p->nkinds);
	if (!t->channel || !uc3_policy_has_channel(p, t->channel))
		return not_in_list("channel", t->channel, p->channels, p->nchannels);
	if (t->quarantined && !uc3_ticket_quarantine_name_ok(t->quarantined, NULL))
		return uc3_error_set(UC3_EINVAL, "quarantined is not a file of the quarantine "
						 "(quarantine/YYYY-MM-DDTHHMMSSZ-HASH.eml)");
	if (is_blank(t->requester.name) && is_blank(t->requester.email) &&
	    is_blank(t->requester.phone) && is_blank(t->requester.social) &&
	    is_blank(t->requester.address))
		return uc3_error_set(UC3_EINVAL, "no requester: a name, an email, a phone, "
						 "a social account or an address is needed");
	/* Given, they are how the office reaches the requester: not blank. */
	if (t->requester.social && is_blank(t->requester.social))
		return uc3_error_set(UC3_EINVAL, "requester.social is empty");
	if (t->requester.address && !t->requester.address[strspn(t->requester.address, " \t\n")])
		return uc3_error_set(UC3_EINVAL, "requester.address is empty");
	limit = p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT;
	if ((err = check_size("body", t->body, limit)) ||
	    (err = check_size("answer", t->answer, limit)))
		return err;
	return 0;
}

static bool
str_same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static bool
changes_same(const struct uc3_event *a, const struct uc3_event *b)
{
	size_t i;

	if (a->nchanges != b->nchanges)
		return false;
	for (i = 0; i < a->nchanges; i++)
		if (!str_same(a->changes[i].field, b->changes[i].field) ||
		    !str_same(a->changes[i].before, b->changes[i].before) ||
		    !str_same(a->changes[i].after, b->changes[i].after))
			return false;
	return true;
}

bool
uc3_event_equal(const struct uc3_event *a, const struct uc3_event *b)
{
	return str_same(a->at, b->at) && str_same(a->by, b->by) && str_same(a->action, b->action) &&
	       str_same(a->from, b->from) && str_same(a->to, b->to) && str_same(a->note, b->note) &&
	       str_same(a->about, b->about) && str_same(a->message_id, b->message_id) &&
	       str_same(a->sender, b->sender) && str_same(a->backfill, b->backfill) &&
	       str_same(a->step.name, b->step.name) && str_same(a->step.due, b->step.due) &&
	       a->step.late == b->step.late && a->step.taken_over == b->step.taken_over &&
	       str_same(a->role, b->role) && uc3_ynode_equal(a->extra, b->extra) &&
	       str_same(a->as, b->as) && str_same(a->of, b->of) && changes_same(a, b);
}

bool
uc3_ticket_peek_status(enum uc3_status *out, const char *data, size_t len)
{
	static const char key[] = "\nstatus: ";
	const char *p = memmem(data, len, key, sizeof(key) - 1);
	const char *end = data + len, *nl;
	char word[16];

	if (!p)
		return false;
	p += sizeof(key) - 1;
	nl = memchr(p, '\n', (size_t)(end - p));
	if (!nl || (size_t)(nl - p) >= sizeof(word))
		return false;
	memcpy(word, p, (size_t)(nl - p));
	word[nl - p] = '\0';
	return uc3_status_parse(out, word) == 0;
}
