#include "report.h"

/*
 * Collecting the tickets of a period, and the cache of their facts.
 *
 * The facts of a ticket (struct uc3_report_ticket, with the business
 * seconds of its steps) depend on its file and on the policy's zone,
 * calendar, units and steps, never on the period. They are kept in
 * $GIT_DIR/uc3/report-facts by month folder, each keyed by the folder's
 * tree id and, inside it, each file by its blob id: a month whose tree
 * did not change is taken whole, without reading a ticket; in one that
 * did, only the files that changed are read and parsed again. Only those
 * immutable facts are kept, never a figure of a period.
 *
 * The file. Numbers are little-endian; a varint is LEB128, a zz a
 * zigzag varint; a str is a varint of its length + 1 (0: none), its
 * bytes and a NUL, so that a decoded string points into the file.
 *
 *   "uc3 report-facts 1\n", u32 length of the key, the key
 *   the month records, one after another
 *   the index: per month, str folder ("2026/11"), 20 bytes of its tree
 *     id, u64 offset and u64 length of its record, u64 hash of it
 *   the footer: u64 offset of the index, u64 months, u64 hash of the
 *     index, "uc3rfend"
 *
 * A month record: varint strings and each a str (the kinds, channels,
 * units, steps and people its facts share); varint files; varint steps
 * (of all its tickets); then each file: str path, 20 bytes of blob id,
 * a byte of kind (enum uc3_report__kind) and then for a broken file, str
 * why; for a ticket, str id, str subject, zz received, ref kind, ref
 * channel, ref unit, varint steps, and each step: ref name, zz start,
 * zz due, zz done (each less the receipt), a byte end, a byte late, ref
 * by, ref role, ref as, zz seconds. A ref is a varint index + 1 in the
 * month's strings, 0 for none.
 *
 * Nothing in it is trusted blindly: the magic, the key, every size and
 * offset, the hash of the index and of each month before it is used;
 * every read is bounded and a record must read to its end exactly. A
 * file that fails is passed over, a month that fails is read again from
 * the records, and the file is written anew.
 */

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "records.h"
#include "report_int.h"
#include "xalloc.h"

#define CACHE_NAME   "report-facts"
#define CACHE_MAGIC  "uc3 report-facts 1\n"
#define FOOTER_MAGIC "uc3rfend"
#define FOOTER_SIZE  32
#define OID	     UC3_REPORT__OID

/*
 * Bump when what uc3_report_ticket_read or uc3_report_seconds make of a
 * ticket file changes: it is part of the key, so every cache made before
 * is passed over.
 */
#define FACTS_VERSION 1

/* --- Writing and reading the encoding --- */

static void
put_u64(struct uc3_buf *b, uint64_t v)
{
	unsigned char x[8];
	int i;

	for (i = 0; i < 8; i++)
		x[i] = (unsigned char)(v >> (8 * i));
	uc3_buf_add(b, x, 8);
}

static void
put_varint(struct uc3_buf *b, uint64_t v)
{
	unsigned char x[10];
	size_t n = 0;

	do {
		x[n] = v & 0x7f;
		v >>= 7;
		if (v)
			x[n] |= 0x80;
		n++;
	} while (v);
	uc3_buf_add(b, x, n);
}

static void
put_zz(struct uc3_buf *b, int64_t v)
{
	put_varint(b, v < 0 ? ~((uint64_t)v << 1) : (uint64_t)v << 1);
}

static void
put_str(struct uc3_buf *b, const char *s)
{
	size_t n;

	if (!s) {
		put_varint(b, 0);
		return;
	}
	n = strlen(s);
	put_varint(b, (uint64_t)n + 1);
	uc3_buf_add(b, s, n + 1);
}

/* A bounded reader: once bad, every read gives 0 or NULL and it stays bad. */
struct rd {
	const unsigned char *p, *end;
	bool bad;
};

static uint64_t
get_varint(struct rd *r)
{
	uint64_t v = 0;
	unsigned shift = 0;

	while (!r->bad) {
		unsigned char c;

		if (r->p == r->end || shift > 63) {
			r->bad = true;
			break;
		}
		c = *r->p++;
		v |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80))
			return v;
		shift += 7;
	}
	return 0;
}

static int64_t
get_zz(struct rd *r)
{
	uint64_t u = get_varint(r);

	return (int64_t)((u >> 1) ^ (0 - (u & 1)));
}

static uint64_t
get_u64(struct rd *r)
{
	uint64_t v = 0;
	int i;

	if (r->bad || r->end - r->p < 8) {
		r->bad = true;
		return 0;
	}
	for (i = 0; i < 8; i++)
		v |= (uint64_t)r->p[i] << (8 * i);
	r->p += 8;
	return v;
}

static unsigned
get_byte(struct rd *r)
{
	if (r->bad || r->p == r->end) {
		r->bad = true;
		return 0;
	}
	return *r->p++;
}

static const unsigned char *
get_raw(struct rd *r, size_t n)
{
	const unsigned char *p = r->p;

	if (r->bad || (size_t)(r->end - r->p) < n) {
		r->bad = true;
		return NULL;
	}
	r->p += n;
	return p;
}

/* A str: NULL for none (and when bad); the string points into the data. */
static char *
get_str(struct rd *r)
{
	uint64_t n = get_varint(r);
	const unsigned char *s;

	if (r->bad || n == 0)
		return NULL;
	n--;
	if ((uint64_t)(r->end - r->p) < n + 1 || r->p[n] != '\0') {
		r->bad = true;
		return NULL;
	}
	s = r->p;
	r->p += n + 1;
	return (char *)s;
}

unsigned long long
uc3_report__hash(const void *data, size_t len)
{
	const unsigned char *p = data;
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ (uint64_t)len, w;

	for (; len >= 8; p += 8, len -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 29;
	}
	w = 0;
	memcpy(&w, p, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 32);
}

/* --- A month's record --- */

/* The strings a month's facts share, each once: an open-addressed table of their indexes. */
struct strtab {
	const char **s;
	size_t n, alloc;
	uint32_t *slot; /* index + 1; 0: empty */
	size_t cap;	/* a power of two, at least twice n */
};

static uint64_t
str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static void
strtab_grow(struct strtab *t)
{
	size_t i, cap = t->cap ? t->cap * 2 : 64;

	free(t->slot);
	t->slot = uc3_xcalloc(cap, sizeof(*t->slot));
	t->cap = cap;
	for (i = 0; i < t->n; i++) {
		size_t h = (size_t)str_hash(t->s[i]) & (cap - 1);

		while (t->slot[h])
			h = (h + 1) & (cap - 1);
		t->slot[h] = (uint32_t)(i + 1);
	}
}

/* The ref of s: its index + 1 in the table (added when new), 0 for NULL. */
static uint64_t
strtab_ref(struct strtab *t, const char *s)
{
	size_t h;

	if (!s)
		return 0;
	if (2 * (t->n + 1) > t->cap)
		strtab_grow(t);
	for (h = (size_t)str_hash(s) & (t->cap - 1); t->slot[h]; h = (h + 1) & (t->cap - 1))
		if (!strcmp(t->s[t->slot[h] - 1], s))
			return t->slot[h];
	uc3_xgrow((void **)&t->s, &t->alloc, t->n + 1, sizeof(*t->s));
	t->s[t->n++] = s;
	t->slot[h] = (uint32_t)t->n;
	return t->n;
}

static int64_t
since_receipt(time_t t, time_t received)
{
	return (int64_t)t - (int64_t)received;
}

void
uc3_report__month_encode(struct uc3_buf *out, const struct uc3_report__file *v, size_t n)
{
	struct uc3_buf files = UC3_BUF_INIT;
	struct strtab tab = { 0 };
	size_t i, j, nsteps = 0;

	for (i = 0; i < n; i++) {
		const struct uc3_report__file *f = &v[i];
		const struct uc3_report_ticket *t = &f->t;

		put_str(&files, f->path);
		uc3_buf_add(&files, f->blob, OID);
		uc3_buf_addch(&files, (char)f->kind);
		if (f->kind == UC3_REPORT__BROKEN)
			put_str(&files, f->broken);
		if (f->kind != UC3_REPORT__FACTS)
			continue;
		put_str(&files, t->id);
		put_str(&files, t->subject);
		put_zz(&files, (int64_t)t->received);
		put_varint(&files, strtab_ref(&tab, t->kind));
		put_varint(&files, strtab_ref(&tab, t->channel));
		put_varint(&files, strtab_ref(&tab, t->unit));
		put_varint(&files, t->nsteps);
		for (j = 0; j < t->nsteps; j++) {
			const struct uc3_report_step *s = &t->steps[j];

			put_varint(&files, strtab_ref(&tab, s->name));
			put_zz(&files, since_receipt(s->start, t->received));
			put_zz(&files, since_receipt(s->due, t->received));
			put_zz(&files, since_receipt(s->done, t->received));
			uc3_buf_addch(&files, (char)s->end);
			uc3_buf_addch(&files, (char)s->late);
			put_varint(&files, strtab_ref(&tab, s->by));
			put_varint(&files, strtab_ref(&tab, s->role));
			put_varint(&files, strtab_ref(&tab, s->as));
			put_zz(&files, s->seconds);
		}
		nsteps += t->nsteps;
	}
	put_varint(out, tab.n);
	for (i = 0; i < tab.n; i++)
		put_str(out, tab.s[i]);
	put_varint(out, n);
	put_varint(out, nsteps);
	uc3_buf_add(out, files.ptr, files.len);
	uc3_buf_release(&files);
	free(tab.s);
	free(tab.slot);
}

static char *
get_ref(struct rd *r, char *const *tab, uint64_t n)
{
	uint64_t i = get_varint(r);

	if (i > n) {
		r->bad = true;
		return NULL;
	}
	return i ? tab[i - 1] : NULL;
}

static time_t
from_receipt(int64_t delta, time_t received)
{
	return (time_t)((uint64_t)received + (uint64_t)delta);
}

/* A ticket's facts; its steps taken from the block steps[0..*left), *left lessened. */
static void
decode_ticket(struct uc3_report_ticket *t, struct rd *r, char *const *tab, uint64_t ntab,
	      struct uc3_report_step *steps, uint64_t *left)
{
	uint64_t n, i;

	t->id = get_str(r);
	t->subject = get_str(r);
	t->received = (time_t)get_zz(r);
	t->kind = get_ref(r, tab, ntab);
	t->channel = get_ref(r, tab, ntab);
	t->unit = get_ref(r, tab, ntab);
	n = get_varint(r);
	if (r->bad || n > *left) {
		r->bad = true;
		return;
	}
	t->steps = n ? steps : NULL;
	t->nsteps = (size_t)n;
	*left -= n;
	for (i = 0; i < n && !r->bad; i++) {
		struct uc3_report_step *s = &steps[i];
		unsigned end, late;

		s->name = get_ref(r, tab, ntab);
		s->start = from_receipt(get_zz(r), t->received);
		s->due = from_receipt(get_zz(r), t->received);
		s->done = from_receipt(get_zz(r), t->received);
		end = get_byte(r);
		late = get_byte(r);
		if (end > UC3_REPORT_REOPEN || late > 1)
			r->bad = true;
		s->end = (enum uc3_report_end)end;
		s->late = late;
		s->by = get_ref(r, tab, ntab);
		s->role = get_ref(r, tab, ntab);
		s->as = get_ref(r, tab, ntab);
		s->seconds = (long)get_zz(r);
	}
}

int
uc3_report__month_decode(struct uc3_report__month *out, const void *data, size_t len)
{
	struct rd r = { data, (const unsigned char *)data + len, false };
	char **tab = NULL;
	uint64_t ntab, nfiles, nsteps, left, i;

	memset(out, 0, sizeof(*out));
	ntab = get_varint(&r);
	/* Every count is bounded by the bytes it needs, before anything is allocated. */
	if (r.bad || ntab > len / 2)
		goto bad;
	tab = uc3_xcalloc(ntab ? ntab : 1, sizeof(*tab));
	for (i = 0; i < ntab && !r.bad; i++)
		if (!(tab[i] = get_str(&r)))
			r.bad = true;
	nfiles = get_varint(&r);
	nsteps = get_varint(&r);
	if (r.bad || nfiles > len / (2 + OID + 1) || nsteps > len / 10)
		goto bad;
	out->v = uc3_xcalloc(nfiles ? nfiles : 1, sizeof(*out->v));
	out->steps = nsteps ? uc3_xcalloc(nsteps, sizeof(*out->steps)) : NULL;
	left = nsteps;
	for (i = 0; i < nfiles && !r.bad; i++) {
		struct uc3_report__file *f = &out->v[i];
		const unsigned char *blob;
		unsigned kind;

		f->path = get_str(&r);
		if ((blob = get_raw(&r, OID)))
			memcpy(f->blob, blob, OID);
		kind = get_byte(&r);
		if (!f->path || kind > UC3_REPORT__PASSED) {
			r.bad = true;
			break;
		}
		f->kind = (enum uc3_report__kind)kind;
		if (f->kind == UC3_REPORT__BROKEN && !(f->broken = get_str(&r)))
			r.bad = true;
		if (f->kind == UC3_REPORT__FACTS) {
			decode_ticket(&f->t, &r, tab, ntab, out->steps + (nsteps - left), &left);
			f->t.path = f->path;
		}
		out->n = (size_t)i + 1;
	}
	if (r.bad || r.p != r.end || left)
		goto bad;
	free(tab);
	return 0;
bad:
	free(tab);
	uc3_report__month_release(out);
	return uc3_error_set(UC3_EINVAL, "a month of the cache of facts does not read");
}

void
uc3_report__month_release(struct uc3_report__month *m)
{
	free(m->v);
	free(m->steps);
	memset(m, 0, sizeof(*m));
}

/* --- The file --- */

void
uc3_report__cache_key(struct uc3_buf *out, const struct uc3_policy *p)
{
	static const char *const days[7] = { "sun", "mon", "tue", "wed", "thu", "fri", "sat" };
	const struct uc3_calendar *cal = &p->calendar;
	size_t i, j;

	uc3_buf_addf(out, "facts %d\n", FACTS_VERSION);
#ifdef UC3_VERSION
	uc3_buf_adds(out, "uc3 " UC3_VERSION "\n");
#endif
	uc3_buf_addf(out, "timezone %s\n", p->timezone ? p->timezone : "");
	uc3_buf_addf(out, "hours %s\n", cal->always ? "always" : "");
	for (i = 0; i < 7; i++) {
		uc3_buf_addf(out, "%s", days[i]);
		for (j = 0; j < cal->nday[i]; j++)
			uc3_buf_addf(out, " %d-%d", cal->day[i][j].start, cal->day[i][j].end);
		uc3_buf_addch(out, '\n');
	}
	uc3_buf_adds(out, "holidays");
	for (i = 0; i < cal->nholidays; i++)
		uc3_buf_addf(out, " %d", cal->holidays[i]);
	uc3_buf_addch(out, '\n');
	for (i = 0; i < p->nroles; i++)
		uc3_buf_addf(out, "step %s %ld\n", p->roles[i].id, p->roles[i].step);
	uc3_buf_addf(out, "step deliver %ld\nstep archive %ld\n", p->step_deliver, p->step_archive);
	/* Units: a ticket's unit is kept as the name its alias resolves to. */
	for (i = 0; i < p->nunits; i++) {
		uc3_buf_addf(out, "unit %zu:%s", strlen(p->units[i].name), p->units[i].name);
		for (j = 0; j < p->units[i].naliases; j++)
			uc3_buf_addf(out, " %zu:%s", strlen(p->units[i].aliases[j]),
				     p->units[i].aliases[j]);
		uc3_buf_addch(out, '\n');
	}
}

void
uc3_report__cache_assemble(struct uc3_buf *out, const char *key, const struct uc3_report__cmonth *v,
			   size_t n)
{
	size_t klen = strlen(key), i, index;
	unsigned char kl[4];
	uint64_t *off = n ? uc3_xcalloc(n, sizeof(*off)) : NULL;

	uc3_buf_adds(out, CACHE_MAGIC);
	for (i = 0; i < 4; i++)
		kl[i] = (unsigned char)(klen >> (8 * i));
	uc3_buf_add(out, kl, 4);
	uc3_buf_add(out, key, klen);
	for (i = 0; i < n; i++) {
		off[i] = out->len;
		uc3_buf_add(out, v[i].data, v[i].len);
	}
	index = out->len;
	for (i = 0; i < n; i++) {
		put_str(out, v[i].folder);
		uc3_buf_add(out, v[i].tree, OID);
		put_u64(out, off[i]);
		put_u64(out, v[i].len);
		put_u64(out, v[i].hash);
	}
	{
		unsigned long long h = uc3_report__hash(out->ptr + index, out->len - index);

		put_u64(out, index);
		put_u64(out, n);
		put_u64(out, h);
		uc3_buf_add(out, FOOTER_MAGIC, 8);
	}
	free(off);
}

int
uc3_report__cache_parse(struct uc3_report__cmonth **out, size_t *n, const void *data, size_t len,
			const char *key)
{
	const unsigned char *d = data;
	const size_t mlen = sizeof(CACHE_MAGIC) - 1, klen = strlen(key);
	struct uc3_report__cmonth *v = NULL;
	struct rd r;
	uint64_t index, nm, hash, i;
	size_t start;

	*out = NULL;
	*n = 0;
	if (len < mlen + 4 + klen + FOOTER_SIZE || memcmp(d, CACHE_MAGIC, mlen) ||
	    memcmp(d + len - 8, FOOTER_MAGIC, 8))
		goto bad;
	if ((size_t)d[mlen] + ((size_t)d[mlen + 1] << 8) + ((size_t)d[mlen + 2] << 16) +
			    ((size_t)d[mlen + 3] << 24) !=
		    klen ||
	    memcmp(d + mlen + 4, key, klen))
		goto bad;
	start = mlen + 4 + klen;
	r = (struct rd){ d + len - FOOTER_SIZE, d + len - 8, false };
	index = get_u64(&r);
	nm = get_u64(&r);
	hash = get_u64(&r);
	if (index < start || index > len - FOOTER_SIZE ||
	    nm > (len - FOOTER_SIZE - index) / (1 + OID + 24) ||
	    uc3_report__hash(d + index, len - FOOTER_SIZE - index) != hash)
		goto bad;
	v = uc3_xcalloc(nm ? nm : 1, sizeof(*v));
	r = (struct rd){ d + index, d + len - FOOTER_SIZE, false };
	for (i = 0; i < nm && !r.bad; i++) {
		const unsigned char *tree;
		uint64_t off, size;

		v[i].folder = get_str(&r);
		if ((tree = get_raw(&r, OID)))
			memcpy(v[i].tree, tree, OID);
		off = get_u64(&r);
		size = get_u64(&r);
		v[i].hash = get_u64(&r);
		if (!v[i].folder || off < start || off > index || size > index - off)
			r.bad = true;
		v[i].data = d + off;
		v[i].len = (size_t)size;
	}
	if (r.bad || r.p != r.end)
		goto bad;
	*out = v;
	*n = (size_t)nm;
	return 0;
bad:
	free(v);
	return uc3_error_set(UC3_EINVAL, "the cache of facts does not read");
}

/* --- Collecting --- */

/* What a set's tickets point into, when they came through the cache. */
struct uc3_report__mem {
	void *map; /* the cache file as read */
	size_t maplen;
	char *fresh; /* the records of the months read again */
	struct uc3_report_step **steps;
	size_t nsteps, asteps;
};

/* A month of the cache to be: its record in the old file or in fresh. */
struct plan {
	struct uc3_report__cmonth m;
	char *folder;		      /* the folder's name when not in the old file */
	bool fresh;		      /* its record is at off in c->fresh */
	size_t off;		      /* in c->fresh */
	bool take;		      /* a month of the period: its files go into the set */
	struct uc3_report__month dec; /* decoded, when take */
};

struct collect {
	struct uc3_report_set *set;
	const struct uc3_policy *p;
	const struct uc3_report_opts *o;
	struct uc3_report__mem *mem;
	struct uc3_report__cmonth *old; /* the months of the file read */
	size_t nold;
	struct plan *plan;
	size_t nplan, aplan;
	struct uc3_buf fresh;
	bool dirty; /* the file is to be written again */
	/* The month being read: its folder and tree, and its record in the old file. */
	bool reading;
	char *folder;
	unsigned char tree[OID];
	struct uc3_report__month prev;
	size_t prev_pos;
	struct uc3_report__file *cur; /* its files, in order */
	size_t ncur, acur;
	bool *own; /* cur[i] was read now (its strings are its own) */
	size_t aown;
	unsigned char blob[OID]; /* of the file about to be read */
	size_t alloc, files;
	int rc;
};

/*
 * Whether the folder tickets/YEAR/MM may hold tickets of the period. A
 * ticket's folder is the month of its receipt in the zone of the policy
 * of its day: two days of margin on either side cover a zone changed
 * since. A folder whose name is not a year and a month is read.
 */
static bool
want_folder(const char *year, const char *month, const struct collect *c)
{
	const long margin = 2 * 86400L;
	char day[48];
	time_t start, next;
	int y, m;

	if (strlen(year) != 4 || strlen(month) != 2 || strspn(year, "0123456789") != 4 ||
	    strspn(month, "0123456789") != 2)
		return true;
	y = atoi(year);
	m = atoi(month);
	if (m < 1 || m > 12)
		return true;
	snprintf(day, sizeof(day), "%04d-%02d-15", y, m);
	if (uc3_clock_parse(&start, day, "UTC") < 0 ||
	    uc3_report_month(&start, &next, start, c->p->timezone) < 0) {
		uc3_error_clear();
		return true;
	}
	if (c->o->until_set && start - margin >= c->o->until)
		return false;
	if (c->o->since_set && next + margin <= c->o->since)
		return false;
	return true;
}

static bool
from_hex(unsigned char out[OID], const char *hex)
{
	size_t i;

	for (i = 0; i < 2 * OID; i++) {
		int c = hex[i], v;

		if (c >= '0' && c <= '9')
			v = c - '0';
		else if (c >= 'a' && c <= 'f')
			v = c - 'a' + 10;
		else
			return false;
		if (i % 2)
			out[i / 2] |= (unsigned char)v;
		else
			out[i / 2] = (unsigned char)(v << 4);
	}
	return hex[i] == '\0';
}

/*
 * files more files done. A month taken from the cache counts all its
 * files at once: the progress is told of every 256th passed on the way,
 * as if they had been read one by one (the tool shows no more often).
 */
static void
progress(struct collect *c, size_t files)
{
	size_t before = c->files, n;

	c->files += files;
	if (!c->o->progress)
		return;
	if (files == 1) {
		c->o->progress(c->o->progress_ctx, c->files);
		return;
	}
	for (n = (before / 256 + 1) * 256; n <= c->files; n += 256)
		c->o->progress(c->o->progress_ctx, n);
}

static struct plan *
plan_add(struct collect *c)
{
	struct plan *pl;

	uc3_xgrow((void **)&c->plan, &c->aplan, c->nplan + 1, sizeof(*c->plan));
	pl = &c->plan[c->nplan++];
	memset(pl, 0, sizeof(*pl));
	return pl;
}

static const struct uc3_report__cmonth *
find_old(const struct collect *c, const char *folder)
{
	size_t i;

	for (i = 0; i < c->nold; i++)
		if (!strcmp(c->old[i].folder, folder))
			return &c->old[i];
	return NULL;
}

/* Decode the old file's month m into *out after checking its hash. */
static bool
old_month(struct uc3_report__month *out, const struct uc3_report__cmonth *m)
{
	memset(out, 0, sizeof(*out));
	if (uc3_report__hash(m->data, m->len) != m->hash ||
	    uc3_report__month_decode(out, m->data, m->len) < 0) {
		uc3_error_clear();
		return false;
	}
	return true;
}

static struct uc3_report__file *
cur_add(struct collect *c, bool own)
{
	struct uc3_report__file *f;

	uc3_xgrow((void **)&c->cur, &c->acur, c->ncur + 1, sizeof(*c->cur));
	uc3_xgrow((void **)&c->own, &c->aown, c->ncur + 1, sizeof(*c->own));
	c->own[c->ncur] = own;
	f = &c->cur[c->ncur++];
	memset(f, 0, sizeof(*f));
	return f;
}

/*
 * The month being read is done: the business seconds of the tickets read
 * in it, in one sweep of the calendar, and its record into c->fresh.
 */
static void
finish_month(struct collect *c)
{
	struct uc3_report_ticket *v;
	struct plan *pl;
	size_t i, n = 0, off = c->fresh.len;
	int rc;

	if (!c->reading)
		return;
	c->reading = false;
	v = uc3_xcalloc(c->ncur + 1, sizeof(*v));
	for (i = 0; i < c->ncur; i++)
		if (c->own[i] && c->cur[i].kind == UC3_REPORT__FACTS)
			v[n++] = c->cur[i].t; /* the same steps: their seconds land in cur */
	if ((rc = uc3_report_seconds(v, n, c->p)) < 0 && c->rc == 0)
		c->rc = rc;
	free(v);
	uc3_report__month_encode(&c->fresh, c->cur, c->ncur);
	pl = plan_add(c);
	pl->folder = c->folder;
	pl->m.folder = c->folder;
	c->folder = NULL;
	memcpy(pl->m.tree, c->tree, OID);
	pl->fresh = true;
	pl->off = off;
	pl->m.len = c->fresh.len - off;
	pl->take = true;
	for (i = 0; i < c->ncur; i++)
		if (c->own[i]) {
			uc3_report_ticket_release(&c->cur[i].t);
			free(c->cur[i].path);
			free(c->cur[i].broken);
		}
	c->ncur = 0;
	uc3_report__month_release(&c->prev);
}

static bool
on_folder(const char *year, const char *month, const char *tree, void *ctx)
{
	struct collect *c = ctx;
	const struct uc3_report__cmonth *old;
	struct uc3_buf folder = UC3_BUF_INIT;
	unsigned char id[OID];
	struct plan *pl;

	finish_month(c);
	if (c->rc < 0 || !from_hex(id, tree))
		return false;
	uc3_buf_addf(&folder, "%s/%s", year, month);
	old = find_old(c, folder.ptr);
	if (!want_folder(year, month, c)) {
		/* Not of this period: kept as it was, for the next. */
		if (old)
			plan_add(c)->m = *old;
		uc3_buf_release(&folder);
		return false;
	}
	if (old && !memcmp(old->tree, id, OID)) {
		struct uc3_report__month dec;

		if (old_month(&dec, old)) {
			pl = plan_add(c);
			pl->m = *old;
			pl->take = true;
			pl->dec = dec;
			progress(c, dec.n);
			uc3_buf_release(&folder);
			return false;
		}
		old = NULL;
	}
	/* Read it: what did not change is taken from its old record. */
	c->dirty = true;
	c->reading = true;
	c->folder = uc3_buf_detach(&folder);
	memcpy(c->tree, id, OID);
	c->prev_pos = 0;
	if (!old || !old_month(&c->prev, old))
		memset(&c->prev, 0, sizeof(c->prev));
	return true;
}

static bool
on_file(const char *path, const char *blob, void *ctx)
{
	struct collect *c = ctx;
	const struct uc3_report__month *m = &c->prev;
	int cmp = 1;

	if (!from_hex(c->blob, blob))
		memset(c->blob, 0, OID);
	/* Both in the tree's order: a cursor, no search. */
	while (c->prev_pos < m->n && (cmp = strcmp(m->v[c->prev_pos].path, path)) < 0)
		c->prev_pos++;
	if (c->prev_pos < m->n && cmp == 0 && !memcmp(m->v[c->prev_pos].blob, c->blob, OID)) {
		*cur_add(c, false) = m->v[c->prev_pos++];
		progress(c, 1);
		return false;
	}
	return true;
}

/* A ticket file read: its facts, or why it does not read. */
static int
on_visit(const char *path, const char *data, size_t len, void *ctx)
{
	struct collect *c = ctx;
	struct uc3_report__file *f = cur_add(c, true);
	struct uc3_ticket *t = NULL;
	time_t received;

	progress(c, 1);
	f->path = uc3_xstrdup(path);
	memcpy(f->blob, c->blob, OID);
	/* A file over the size limit is not read, and named all the same. */
	if (!data || uc3_ticket_parse(&t, data, len, path) < 0) {
		f->kind = UC3_REPORT__BROKEN;
		f->broken = uc3_xstrdup(uc3_error_last());
	} else if (uc3_clock_parse(&received, t->received, NULL) < 0) {
		f->kind = UC3_REPORT__PASSED;
	} else if (uc3_report_ticket_read(&f->t, t, path, c->p) < 0) {
		f->kind = UC3_REPORT__BROKEN;
		f->broken = uc3_xstrdup(uc3_error_last());
	} else {
		f->kind = UC3_REPORT__FACTS;
	}
	uc3_ticket_free(t);
	uc3_error_clear();
	return 0;
}

static void
add_broken(struct uc3_report_set *s, const char *msg)
{
	uc3_xgrow((void **)&s->broken, &s->abroken, s->nbroken + 1, sizeof(*s->broken));
	s->broken[s->nbroken++] = uc3_xstrdup(msg);
}

/* The files of a month of the period into the set: its tickets of the period, its broken files. */
static void
take_month(struct collect *c, struct uc3_report__month *m)
{
	struct uc3_report_set *s = c->set;
	struct uc3_report__mem *mem = c->mem;
	size_t i;

	for (i = 0; i < m->n; i++) {
		const struct uc3_report__file *f = &m->v[i];

		if (f->kind == UC3_REPORT__BROKEN)
			add_broken(s, f->broken);
		if (f->kind != UC3_REPORT__FACTS ||
		    (c->o->since_set && f->t.received < c->o->since) ||
		    (c->o->until_set && f->t.received >= c->o->until))
			continue;
		uc3_xgrow((void **)&s->tickets, &c->alloc, s->n + 1, sizeof(*s->tickets));
		s->tickets[s->n++] = f->t;
	}
	if (m->steps) {
		uc3_xgrow((void **)&mem->steps, &mem->asteps, mem->nsteps + 1, sizeof(*mem->steps));
		mem->steps[mem->nsteps++] = m->steps;
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

/* The cache file as it is, when it reads and is of this key. */
static void
load_old(struct collect *c, struct uc3_store *st, const char *key)
{
	char *path = uc3_store_cache_path(st, CACHE_NAME);
	struct stat sb;
	void *map;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	free(path);
	if (fd < 0)
		return;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size <= 0) {
		close(fd);
		return;
	}
	map = mmap(NULL, (size_t)sb.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return;
	if (uc3_report__cache_parse(&c->old, &c->nold, map, (size_t)sb.st_size, key) < 0) {
		uc3_error_clear();
		munmap(map, (size_t)sb.st_size);
		return;
	}
	c->mem->map = map;
	c->mem->maplen = (size_t)sb.st_size;
}

/* Write the cache anew from the plan; a failure (a read-only repository) is no error. */
static void
save(struct collect *c, struct uc3_store *st, const char *key)
{
	struct uc3_buf out = UC3_BUF_INIT;
	struct uc3_report__cmonth *v = c->nplan ? uc3_xcalloc(c->nplan, sizeof(*v)) : NULL;
	size_t i;

	for (i = 0; i < c->nplan; i++)
		v[i] = c->plan[i].m;
	uc3_report__cache_assemble(&out, key, v, c->nplan);
	uc3_store_cache_write(st, CACHE_NAME, out.ptr, out.len);
	uc3_error_clear();
	uc3_buf_release(&out);
	free(v);
}

/* Ids by year, then number as a number; an id that does not read as text. */
static int
cmp_ticket(const void *a, const void *b)
{
	const struct uc3_report_ticket *x = a, *y = b;
	unsigned long nx, ny;
	int yx, yy;

	if (x->received != y->received)
		return x->received < y->received ? -1 : 1;
	if (uc3_ticket_id_parse(x->id, NULL, &yx, &nx) &&
	    uc3_ticket_id_parse(y->id, NULL, &yy, &ny)) {
		if (yx != yy)
			return yx < yy ? -1 : 1;
		if (nx != ny)
			return nx < ny ? -1 : 1;
	}
	return strcmp(x->id, y->id);
}

int
uc3_report_collect(struct uc3_report_set *out, struct uc3_store *st,
		   const struct uc3_report_opts *o)
{
	struct collect c = { 0 };
	struct uc3_buf key = UC3_BUF_INIT;
	size_t i, kept = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	c.set = out;
	c.p = uc3_store_policy(st);
	c.o = o;
	c.mem = out->mem = uc3_xcalloc(1, sizeof(*out->mem));
	uc3_report__cache_key(&key, c.p);
	load_old(&c, st, key.ptr);
	rc = uc3_records_walk(st, NULL, on_folder, on_file, on_visit, &c);
	finish_month(&c);
	if (rc == 0)
		rc = c.rc;
	/* The months read again, in the records' order with those taken from the file. */
	c.mem->fresh = c.fresh.ptr;
	c.fresh = (struct uc3_buf)UC3_BUF_INIT;
	for (i = 0; i < c.nplan; i++) {
		struct plan *pl = &c.plan[i];

		if (pl->fresh) {
			pl->m.data = (const unsigned char *)c.mem->fresh + pl->off;
			pl->m.hash = uc3_report__hash(pl->m.data, pl->m.len);
			if (rc == 0 &&
			    uc3_report__month_decode(&pl->dec, pl->m.data, pl->m.len) < 0)
				rc = uc3_error_set(UC3_ERROR,
						   "report: a month's facts do not read back");
		} else {
			kept++;
		}
		if (rc == 0 && pl->take)
			take_month(&c, &pl->dec);
	}
	if (rc == 0 && (c.dirty || kept != c.nold))
		save(&c, st, key.ptr);
	for (i = 0; i < c.nplan; i++) {
		uc3_report__month_release(&c.plan[i].dec);
		free(c.plan[i].folder);
	}
	free(c.plan);
	free(c.old);
	free(c.cur);
	free(c.own);
	free(c.folder);
	uc3_report__month_release(&c.prev);
	uc3_buf_release(&key);
	if (rc < 0)
		return rc;
	if (out->n)
		qsort(out->tickets, out->n, sizeof(*out->tickets), cmp_ticket);
	return 0;
}

void
uc3_report_set_release(struct uc3_report_set *s)
{
	struct uc3_report__mem *mem = s->mem;
	size_t i;

	if (mem) {
		for (i = 0; i < mem->nsteps; i++)
			free(mem->steps[i]);
		free(mem->steps);
		free(mem->fresh);
		if (mem->map)
			munmap(mem->map, mem->maplen);
		free(mem);
	} else {
		for (i = 0; i < s->n; i++)
			uc3_report_ticket_release(&s->tickets[i]);
	}
	free(s->tickets);
	for (i = 0; i < s->nbroken; i++)
		free(s->broken[i]);
	free(s->broken);
	memset(s, 0, sizeof(*s));
}
