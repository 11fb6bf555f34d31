#include "records.h"

/*
 * The records: where a ticket lives (tickets/YEAR/MM/ID.yaml), finding and
 * loading tickets by id, at the tip or at a revision, visiting them all,
 * the tickets that changed between two trees, and the next free number of
 * a year; and the quarantine, mail uc3 could not read waiting for a
 * person. The only part of the store that knows the ticket model.
 */

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "store_int.h"
#include "xalloc.h"

_Static_assert(UC3_TICKET_FILE_MAX == UC3_STORE_FILE_MAX,
	       "a ticket the store reads is one the ticket module parses");

char *
uc3_records_path(const char *id, int year, int month)
{
	struct uc3_buf b = UC3_BUF_INIT;

	uc3_buf_addf(&b, "tickets/%04d/%02d/%s.yaml", year, month, id);
	return uc3_buf_detach(&b);
}

char *
uc3_records_attachment_path(const char *ticket_path, const char *name)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t len = strlen(ticket_path);

	if (len > 5 && !strcmp(ticket_path + len - 5, ".yaml"))
		len -= 5;
	uc3_buf_addf(&b, "%.*s/%s", (int)len, ticket_path, name);
	return uc3_buf_detach(&b);
}

bool
uc3_records_attachment_of(const char *path, char **ticket_path)
{
	const char *p, *last = NULL;
	int names = 0;

	if (strncmp(path, "tickets/", 8))
		return false;
	for (p = path + 8; *p; p++) {
		const char *slash = strchr(p, '/');

		if (slash == p)
			return false;
		names++;
		if (!slash)
			break;
		last = slash;
		p = slash;
	}
	if (names != 4 || !*p)
		return false;
	if (ticket_path) {
		struct uc3_buf b = UC3_BUF_INIT;

		uc3_buf_addf(&b, "%.*s.yaml", (int)(last - path), path);
		*ticket_path = uc3_buf_detach(&b);
	}
	return true;
}

static bool year_tree(git_oid *out, struct uc3_store *st, int year);

/*
 * The months 1..12 that have a folder in the tree of year (tree), in
 * order, into months; how many.
 */
static size_t
year_months(int months[12], struct uc3_store *st, const git_oid *tree)
{
	git_tree *yt = NULL;
	size_t i, n = 0;

	if (git_tree_lookup(&yt, st->repo, tree) < 0) {
		git_error_clear();
		return 0;
	}
	for (i = 0; i < git_tree_entrycount(yt) && n < 12; i++) {
		const char *name = git_tree_entry_name(git_tree_entry_byindex(yt, i));
		int m;

		if (strlen(name) == 2 && sscanf(name, "%2d", &m) == 1 && m >= 1 && m <= 12 &&
		    (!n || m > months[n - 1]))
			months[n++] = m;
	}
	git_tree_free(yt);
	return n;
}

/* uc3_records_find, and the entry found (*entry: git_tree_entry_free; may be NULL). */
static int
find_entry(char **path, git_tree_entry **entry, struct uc3_store *st, const char *id)
{
	const char *prefix = st->policy ? st->policy->id_prefix : NULL;
	int year, months[12];
	unsigned long num, top;
	size_t n, guess, k;
	git_oid yt;

	if (!uc3_ticket_id_parse(id, prefix, &year, &num))
		return uc3_error_set(
			UC3_EINVAL,
			"'%s' is not a ticket id (expected %s-YEAR-NNNN, as %s-2026-0042)", id,
			prefix ? prefix : "PREFIX", prefix ? prefix : "UC3");
	n = year_tree(&yt, st, year) ? year_months(months, st, &yt) : 0;
	/*
	 * The id does not say its month, and each month folder looked in is a
	 * tree of thousands of names to read. Numbers are given in the order
	 * tickets come, so the month the number falls in were the year's
	 * tickets spread evenly over its months (from the highest number, kept
	 * in the ids cache) is looked in first, then those beside it, nearer
	 * first: a block of numbers used offline, or a busy month, only costs
	 * a folder or two more.
	 */
	top = n > 1 ? uc3_records_top_number(st, year) : 0;
	guess = top >= num && num ? (size_t)((num - 1) * n / top) : 0;
	for (k = 0; k < 2 * n; k++) {
		/* guess, guess - 1, guess + 1, guess - 2, ... */
		size_t step = (k + 1) / 2;
		size_t i = k % 2 ? guess + step : guess - step;
		char *p;
		git_tree_entry *e = NULL;

		if ((k % 2 == 0 && step > guess) || i >= n)
			continue;
		p = uc3_records_path(id, year, months[i]);
		if (git_tree_entry_bypath(&e, st->tree, p) == 0) {
			if (entry)
				*entry = e;
			else
				git_tree_entry_free(e);
			*path = p;
			return 0;
		}
		free(p);
	}
	git_error_clear();
	return uc3_error_set(UC3_ENOTFOUND, "no ticket %s", id);
}

int
uc3_records_find(char **path, struct uc3_store *st, const char *id)
{
	return find_entry(path, NULL, st, id);
}

int
uc3_records_id(char **id, struct uc3_store *st, const char *typed)
{
	const struct uc3_policy *p = st->policy;
	struct uc3_buf full = UC3_BUF_INIT, last = UC3_BUF_INIT;
	unsigned long num = 0;
	bool implied;
	char *path = NULL;
	struct tm tm = { 0 };
	time_t now;
	int rc;

	*id = NULL;
	/* Only a number alone needs the clock, for its year; the others do without. */
	if ((rc = uc3_clock_now(&now)) < 0 ||
	    (rc = uc3_clock_local(&tm, now, p ? p->timezone : NULL)) < 0) {
		if (!strchr(typed, '-'))
			return rc;
		uc3_error_clear();
		memset(&tm, 0, sizeof(tm));
	}
	if ((rc = uc3_ticket_id_read(&full, &implied, typed, p ? p->id_prefix : NULL,
				     tm.tm_year ? tm.tm_year + 1900 : 0)) < 0)
		goto out;
	if (implied && uc3_records_find(&path, st, full.ptr) == UC3_ENOTFOUND) {
		uc3_ticket_id_parse(full.ptr, NULL, NULL, &num);
		uc3_ticket_id_format(&last, p ? p->id_prefix : "UC3", tm.tm_year + 1899, num);
		free(path);
		path = NULL;
		if (uc3_records_find(&path, st, last.ptr) == 0) {
			rc = uc3_error_set(UC3_EINVAL,
					   "'%s' is ambiguous: this year has no %s yet, and last "
					   "year's is %s; for that one give %d-%s",
					   typed, full.ptr, last.ptr, tm.tm_year + 1899, typed);
			goto out;
		}
	}
	uc3_error_clear();
	*id = uc3_buf_detach(&full);
out:
	free(path);
	uc3_buf_release(&full);
	uc3_buf_release(&last);
	return rc;
}

int
uc3_records_load(struct uc3_ticket **out, char **path, struct uc3_store *st, const char *id)
{
	git_tree_entry *e = NULL;
	git_blob *blob = NULL;
	char *p = NULL;
	int rc;

	if ((rc = find_entry(&p, &e, st, id)) < 0)
		return rc;
	/* From the entry found: the month's tree is not looked up again. */
	if (git_tree_entry_type(e) != GIT_OBJECT_BLOB)
		rc = uc3_error_set(UC3_ENOTFOUND, "%s: not a file", p);
	else if ((rc = uc3_store__read_blob(&blob, NULL, st, git_tree_entry_id(e), p)) == 0)
		rc = uc3_ticket_parse(out, git_blob_rawcontent(blob),
				      (size_t)git_blob_rawsize(blob), p);
	git_blob_free(blob);
	git_tree_entry_free(e);
	if (rc == 0 && path)
		*path = p;
	else
		free(p);
	return rc;
}

static int
lookup_subtree(git_tree **out, struct uc3_store *st, const git_tree_entry *e)
{
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return GIT_ENOTFOUND;
	return git_tree_lookup(out, st->repo, git_tree_entry_id(e));
}

/*
 * Walk tickets/YEAR/MONTH/FILE: three levels, entries in git's name order
 * (so months and years come in time order). Only blobs at the third level
 * are visited.
 */
int
uc3_records_foreach(struct uc3_store *st, uc3_records_visit_fn fn, void *ctx)
{
	return uc3_records_foreach_in(st, NULL, fn, ctx);
}

int
uc3_records_foreach_in(struct uc3_store *st, uc3_records_folder_fn want, uc3_records_visit_fn fn,
		       void *ctx)
{
	return uc3_records_walk(st, want, NULL, NULL, fn, ctx);
}

int
uc3_records_walk(struct uc3_store *st, uc3_records_folder_fn want, uc3_records_tree_fn folder,
		 uc3_records_blob_fn file, uc3_records_visit_fn fn, void *ctx)
{
	git_tree_entry *te = NULL;
	git_tree *tickets = NULL;
	size_t i, j, k;
	int rc = 0;

	if (git_tree_entry_bypath(&te, st->tree, "tickets") < 0) {
		git_error_clear();
		return 0;
	}
	if (lookup_subtree(&tickets, st, te) < 0) {
		git_tree_entry_free(te);
		git_error_clear();
		return 0;
	}
	git_tree_entry_free(te);
	for (i = 0; rc == 0 && i < git_tree_entrycount(tickets); i++) {
		const git_tree_entry *ye = git_tree_entry_byindex(tickets, i);
		git_tree *yt = NULL;

		if (lookup_subtree(&yt, st, ye) < 0)
			continue;
		for (j = 0; rc == 0 && j < git_tree_entrycount(yt); j++) {
			const git_tree_entry *me = git_tree_entry_byindex(yt, j);
			git_tree *mt = NULL;

			if (want && !want(git_tree_entry_name(ye), git_tree_entry_name(me), ctx))
				continue;
			if (folder) {
				char hex[GIT_OID_HEXSZ + 1];

				if (git_tree_entry_type(me) != GIT_OBJECT_TREE)
					continue;
				git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(me));
				if (!folder(git_tree_entry_name(ye), git_tree_entry_name(me), hex,
					    ctx))
					continue;
			}
			if (lookup_subtree(&mt, st, me) < 0)
				continue;
			for (k = 0; rc == 0 && k < git_tree_entrycount(mt); k++) {
				const git_tree_entry *fe = git_tree_entry_byindex(mt, k);
				git_blob *blob = NULL;
				struct uc3_buf path = UC3_BUF_INIT;
				size_t size;

				if (git_tree_entry_type(fe) != GIT_OBJECT_BLOB)
					continue;
				uc3_buf_addf(&path, "tickets/%s/%s/%s", git_tree_entry_name(ye),
					     git_tree_entry_name(me), git_tree_entry_name(fe));
				if (file) {
					char hex[GIT_OID_HEXSZ + 1];

					git_oid_tostr(hex, sizeof(hex), git_tree_entry_id(fe));
					if (!file(path.ptr, hex, ctx)) {
						uc3_buf_release(&path);
						continue;
					}
				}
				rc = uc3_store__read_blob(&blob, &size, st, git_tree_entry_id(fe),
							  path.ptr);
				if (rc == UC3_EINVAL)
					rc = fn(path.ptr, NULL, size, ctx);
				else if (rc == 0)
					rc = fn(path.ptr, git_blob_rawcontent(blob),
						(size_t)git_blob_rawsize(blob), ctx);
				git_blob_free(blob);
				uc3_buf_release(&path);
			}
			git_tree_free(mt);
		}
		git_tree_free(yt);
	}
	git_tree_free(tickets);
	git_error_clear();
	return rc;
}

int
uc3_records_visit_paths(struct uc3_store *st, char *const *paths, size_t n, uc3_records_visit_fn fn,
			void *ctx)
{
	git_tree *mt = NULL;
	char *folder = NULL;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i < n; i++) {
		const char *slash = strrchr(paths[i], '/');
		const git_tree_entry *fe;
		git_blob *blob = NULL;
		size_t size;

		if (!slash)
			continue;
		/* Paths of one folder come together: its tree is read once for them. */
		if (!folder || strncmp(folder, paths[i], (size_t)(slash - paths[i])) ||
		    folder[slash - paths[i]]) {
			git_tree_entry *te = NULL;

			git_tree_free(mt);
			mt = NULL;
			free(folder);
			folder = uc3_xstrndup(paths[i], (size_t)(slash - paths[i]));
			if (git_tree_entry_bypath(&te, st->tree, folder) == 0 &&
			    lookup_subtree(&mt, st, te) < 0)
				mt = NULL;
			git_tree_entry_free(te);
		}
		if (!mt || !(fe = git_tree_entry_byname(mt, slash + 1)) ||
		    git_tree_entry_type(fe) != GIT_OBJECT_BLOB)
			continue;
		rc = uc3_store__read_blob(&blob, &size, st, git_tree_entry_id(fe), paths[i]);
		if (rc == UC3_EINVAL)
			rc = fn(paths[i], NULL, size, ctx);
		else if (rc == 0)
			rc = fn(paths[i], git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob),
				ctx);
		git_blob_free(blob);
	}
	git_tree_free(mt);
	free(folder);
	git_error_clear();
	return rc;
}

/*
 * Finding the next id means reading every month tree of the year, which
 * on a busy year is most of the cost of `uc3 new`. Trees never change, so
 * the highest number found in a year tree is kept in $GIT_DIR/uc3/ids,
 * keyed by that tree's id: "YEAR TREE-ID MAX" a line. An entry can only be
 * stale by not matching, never by being wrong.
 */
#define IDS_CACHE "ids"

static bool
ids_lookup(unsigned long *max, const struct uc3_store *st, int year, const git_oid *tree)
{
	char *p = uc3_store_cache_path(st, IDS_CACHE);
	char line[128], hex[GIT_OID_HEXSZ + 1];
	bool found = false;
	FILE *f;

	f = fopen(p, "r");
	free(p);
	if (!f)
		return false;
	git_oid_tostr(hex, sizeof(hex), tree);
	while (!found && fgets(line, sizeof(line), f)) {
		char h[GIT_OID_HEXSZ + 1];
		unsigned long m;
		int y;

		if (sscanf(line, "%d %40s %lu", &y, h, &m) == 3 && y == year && !strcmp(h, hex)) {
			*max = m;
			found = true;
		}
	}
	fclose(f);
	return found;
}

static void
ids_store(const struct uc3_store *st, int year, const git_oid *tree, unsigned long max)
{
	struct uc3_buf out = UC3_BUF_INIT;
	char *p = uc3_store_cache_path(st, IDS_CACHE);
	char line[128], hex[GIT_OID_HEXSZ + 1];
	FILE *f;

	f = fopen(p, "r");
	free(p);
	while (f && fgets(line, sizeof(line), f)) {
		int y;

		if (sscanf(line, "%d", &y) == 1 && y != year && strchr(line, '\n'))
			uc3_buf_adds(&out, line);
	}
	if (f)
		fclose(f);
	git_oid_tostr(hex, sizeof(hex), tree);
	uc3_buf_addf(&out, "%d %s %lu\n", year, hex, max);
	uc3_store_cache_write(st, IDS_CACHE, out.ptr, out.len);
	uc3_buf_release(&out);
}

void
uc3_records_forget_numbers(const struct uc3_store *st)
{
	char *p = uc3_store_cache_path(st, IDS_CACHE);

	unlink(p);
	free(p);
}

static bool
year_tree(git_oid *out, struct uc3_store *st, int year)
{
	git_tree_entry *te = NULL;
	char dir[32];
	bool ok;

	snprintf(dir, sizeof(dir), "tickets/%04d", year);
	ok = git_tree_entry_bypath(&te, st->tree, dir) == 0 &&
	     git_tree_entry_type(te) == GIT_OBJECT_TREE;
	if (ok)
		git_oid_cpy(out, git_tree_entry_id(te));
	git_tree_entry_free(te);
	git_error_clear();
	return ok;
}

/*
 * The numbers of tickets from lo to hi, as scan_year collects them.
 */
struct numbers {
	unsigned long *v;
	size_t n, alloc;
};

static int
cmp_num(const void *a, const void *b)
{
	unsigned long x = *(const unsigned long *)a, y = *(const unsigned long *)b;

	return x < y ? -1 : x > y;
}

/*
 * The highest number of a ticket of year in the year tree tree; when
 * taken is not NULL, also every ticket numbered from lo to hi, in it.
 */
static unsigned long
scan_year(struct uc3_store *st, const git_oid *tree, int year, unsigned long lo, unsigned long hi,
	  struct numbers *taken)
{
	const char *prefix = st->policy ? st->policy->id_prefix : NULL;
	git_tree *yt = NULL;
	unsigned long max = 0;
	size_t j, k;

	if (git_tree_lookup(&yt, st->repo, tree) < 0) {
		git_error_clear();
		return 0;
	}
	for (j = 0; j < git_tree_entrycount(yt); j++) {
		git_tree *mt = NULL;

		if (lookup_subtree(&mt, st, git_tree_entry_byindex(yt, j)) < 0)
			continue;
		for (k = 0; k < git_tree_entrycount(mt); k++) {
			const char *name = git_tree_entry_name(git_tree_entry_byindex(mt, k));
			size_t len = strlen(name);
			char id[256];
			unsigned long num;
			int y;

			if (len < 6 || len >= sizeof(id) || strcmp(name + len - 5, ".yaml"))
				continue;
			memcpy(id, name, len - 5);
			id[len - 5] = '\0';
			if (!uc3_ticket_id_parse(id, prefix, &y, &num) || y != year)
				continue;
			if (num > max)
				max = num;
			if (taken && num >= lo && num <= hi) {
				uc3_xgrow((void **)&taken->v, &taken->alloc, taken->n + 1,
					  sizeof(*taken->v));
				taken->v[taken->n++] = num;
			}
		}
		git_tree_free(mt);
	}
	git_tree_free(yt);
	git_error_clear();
	return max;
}

int
uc3_records_reserved(struct uc3_reserve *out, struct uc3_store *st)
{
	struct uc3_buf data = UC3_BUF_INIT;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = uc3_store_read(&data, st, UC3_RESERVE_FILE);
	if (rc == UC3_ENOTFOUND) {
		uc3_error_clear();
		rc = 0;
	} else if (rc == 0) {
		rc = uc3_reserve_parse(out, data.ptr, data.len, UC3_RESERVE_FILE);
	}
	uc3_buf_release(&data);
	return rc;
}

/*
 * The numbers from lo to hi of year that the tickets on the branches uc3
 * sync --reset made (refs/heads/uc3/set-aside/...) hold, into taken: a
 * ticket registered offline and then set aside keeps its number, which
 * its requester may have been given, for as long as its branch is kept.
 */
static void
scan_set_aside(struct uc3_store *st, int year, unsigned long lo, unsigned long hi,
	       struct numbers *taken)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	char dir[32];

	snprintf(dir, sizeof(dir), "tickets/%04d", year);
	if (git_reference_iterator_glob_new(&it, st->repo, UC3_SET_ASIDE_REFS "*") < 0) {
		git_error_clear();
		return;
	}
	while (git_reference_next(&ref, it) == 0) {
		git_object *t = NULL;
		git_tree_entry *te = NULL;

		if (git_reference_peel(&t, ref, GIT_OBJECT_TREE) == 0 &&
		    git_tree_entry_bypath(&te, (git_tree *)t, dir) == 0 &&
		    git_tree_entry_type(te) == GIT_OBJECT_TREE)
			scan_year(st, git_tree_entry_id(te), year, lo, hi, taken);
		git_tree_entry_free(te);
		git_object_free(t);
		git_reference_free(ref);
	}
	git_reference_iterator_free(it);
	git_error_clear();
}

int
uc3_records_spare(struct uc3_records_spare *out, struct uc3_store *st, const struct uc3_reserve *r,
		  int year)
{
	unsigned long lo = 0, hi = 0;
	struct numbers taken = { 0 };
	char *clone = NULL;
	git_oid tree;
	size_t i;
	int rc;

	memset(out, 0, sizeof(*out));
	if ((rc = uc3_store_clone(&clone, st, false)) < 0 || !clone)
		return rc;
	for (i = 0; i < r->n; i++) {
		const struct uc3_reserve_block *b = &r->blocks[i];

		if (b->year != year || strcmp(b->clone, clone))
			continue;
		if (!out->blocks || b->first < lo)
			lo = b->first;
		if (!out->blocks || b->last > hi)
			hi = b->last;
		out->blocks++;
	}
	if (!out->blocks)
		goto out;
	if (year_tree(&tree, st, year))
		scan_year(st, &tree, year, lo, hi, &taken);
	scan_set_aside(st, year, lo, hi, &taken);
	if (taken.n)
		qsort(taken.v, taken.n, sizeof(*taken.v), cmp_num);
	/*
	 * A block has at most UC3_OFFLINE_IDS_MAX numbers (reserve.h), and
	 * blocks never overlap (the audit sees to both).
	 */
	for (i = 0; i < r->n; i++) {
		const struct uc3_reserve_block *b = &r->blocks[i];
		unsigned long n;

		if (b->year != year || strcmp(b->clone, clone))
			continue;
		for (n = b->first;; n++) {
			if (!taken.n || !bsearch(&n, taken.v, taken.n, sizeof(*taken.v), cmp_num)) {
				out->left++;
				if (!out->next || n < out->next)
					out->next = n;
			}
			if (n == b->last)
				break;
		}
	}
out:
	free(taken.v);
	free(clone);
	return 0;
}

/* Where the numbers set aside are kept: the remote's name, for messages. */
static char *
central_name(struct uc3_store *st)
{
	char *remote = uc3_store_config(st, "uc3.remote");

	return remote ? remote : uc3_xstrdup("the central repository");
}

/* Offline: the lowest number of this clone's blocks of year that no ticket has. */
static int
offline_number(unsigned long *out, struct uc3_store *st, const struct uc3_reserve *r, int year)
{
	struct uc3_records_spare spare;
	char *central;
	int rc;

	if ((rc = uc3_records_spare(&spare, st, r, year)) < 0)
		return rc;
	if (spare.next) {
		*out = spare.next;
		return 0;
	}
	central = central_name(st);
	if (spare.blocks)
		rc = uc3_error_set(
			UC3_EINVAL,
			"no ticket numbers set aside for offline use in %d are left "
			"(central.offline_ids); uc3 sync sets some aside while %s can be "
			"reached; nothing was recorded",
			year, central);
	else
		rc = uc3_error_set(
			UC3_EINVAL,
			"no ticket numbers were set aside for offline use in %d "
			"(central.offline_ids); uc3 sync sets some aside while %s can be "
			"reached; nothing was recorded",
			year, central);
	free(central);
	return rc;
}

int
uc3_records_next_number(unsigned long *out, struct uc3_store *st, int year)
{
	struct uc3_reserve r;
	unsigned long max, top;
	int rc;

	if ((rc = uc3_records_reserved(&r, st)) < 0) {
		char *why = uc3_xstrdup(uc3_error_last());

		rc = uc3_error_set(rc,
				   "%s; the ticket numbers set aside for offline use cannot be "
				   "read, so no number can be given safely (a hand edit broke "
				   "the file: revert it, see git log %s); nothing was recorded",
				   why, UC3_RESERVE_FILE);
		free(why);
		return rc;
	}
	if (uc3_store_offline(st)) {
		rc = offline_number(out, st, &r, year);
		uc3_reserve_release(&r);
		return rc;
	}
	top = uc3_reserve_top(&r, year);
	uc3_reserve_release(&r);
	max = uc3_records_top_number(st, year);
	if (top > max)
		max = top;
	if (max >= UC3_TICKET_NUM_MAX) {
		const char *prefix = st->policy ? st->policy->id_prefix : "UC3";

		return uc3_error_set(UC3_EINVAL,
				     "the ticket numbers of %d have run out: %s-%d-%lu is the "
				     "highest an id can carry; nothing was written",
				     year, prefix, year, max);
	}
	*out = max + 1;
	return 0;
}

unsigned long
uc3_records_top_number(struct uc3_store *st, int year)
{
	unsigned long max = 0;
	git_oid tree;

	if (year_tree(&tree, st, year) && !ids_lookup(&max, st, year, &tree)) {
		max = scan_year(st, &tree, year, 0, 0, NULL);
		ids_store(st, year, &tree, max);
	}
	return max;
}

int
uc3_records_top_number_at(unsigned long *out, struct uc3_store *st, const char *rev, int year)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree *tree = NULL;
	git_tree_entry *te = NULL;
	char dir[32];
	int rc = 0;

	*out = 0;
	if (git_oid_fromstr(&oid, rev) < 0 || git_commit_lookup(&c, st->repo, &oid) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, rev);
		goto out;
	}
	snprintf(dir, sizeof(dir), "tickets/%04d", year);
	if (git_tree_entry_bypath(&te, tree, dir) == 0 &&
	    git_tree_entry_type(te) == GIT_OBJECT_TREE)
		*out = scan_year(st, git_tree_entry_id(te), year, 0, 0, NULL);
out:
	git_error_clear();
	git_tree_entry_free(te);
	git_tree_free(tree);
	git_commit_free(c);
	return rc;
}

/*
 * A number of a block set aside (a ticket registered offline) need not be
 * the highest of its year's tree: only an online one is remembered.
 */
void
uc3_records_note_number(struct uc3_store *st, int year, unsigned long num)
{
	struct uc3_reserve r;
	git_oid tree;
	bool reserved;

	if (uc3_records_reserved(&r, st) < 0) {
		uc3_error_clear();
		return;
	}
	reserved = uc3_reserve_holding(&r, year, num) != NULL;
	uc3_reserve_release(&r);
	if (!reserved && year_tree(&tree, st, year))
		ids_store(st, year, &tree, num);
}

int
uc3_records_find_at(char **path, struct uc3_store *st, const char *rev, const char *id)
{
	git_oid oid;
	git_commit *c = NULL;
	git_tree *tree = NULL, *yt = NULL;
	git_tree_entry *ye = NULL;
	struct uc3_buf name = UC3_BUF_INIT, dir = UC3_BUF_INIT;
	int year, rc = UC3_ENOTFOUND;
	size_t i;

	*path = NULL;
	if (!uc3_ticket_id_parse(id, NULL, &year, NULL))
		return uc3_error_set(UC3_ENOTFOUND, "'%s' is not a ticket id", id);
	if (git_oid_fromstr(&oid, rev) < 0 || git_commit_lookup(&c, st->repo, &oid) < 0 ||
	    git_commit_tree(&tree, c) < 0) {
		rc = uc3_store__git_fail(UC3_ERROR, rev);
		goto out;
	}
	uc3_buf_addf(&dir, "tickets/%04d", year);
	uc3_buf_addf(&name, "%s.yaml", id);
	if (git_tree_entry_bypath(&ye, tree, dir.ptr) < 0 || lookup_subtree(&yt, st, ye) < 0)
		goto out;
	for (i = 0; i < git_tree_entrycount(yt); i++) {
		const git_tree_entry *me = git_tree_entry_byindex(yt, i);
		git_tree *mt = NULL;
		bool found;

		if (lookup_subtree(&mt, st, me) < 0)
			continue;
		found = git_tree_entry_byname(mt, name.ptr) != NULL;
		git_tree_free(mt);
		if (found) {
			struct uc3_buf p = UC3_BUF_INIT;

			uc3_buf_addf(&p, "%s/%s/%s", dir.ptr, git_tree_entry_name(me), name.ptr);
			*path = uc3_buf_detach(&p);
			rc = 0;
			break;
		}
	}
out:
	if (rc == UC3_ENOTFOUND)
		uc3_error_set(UC3_ENOTFOUND, "no ticket %s in %.7s", id, rev);
	git_error_clear();
	git_tree_free(yt);
	git_tree_entry_free(ye);
	git_tree_free(tree);
	git_commit_free(c);
	uc3_buf_release(&name);
	uc3_buf_release(&dir);
	return rc;
}

void
uc3_records_tree(char out[41], struct uc3_store *st)
{
	git_tree_entry *te = NULL;

	out[0] = '\0';
	if (git_tree_entry_bypath(&te, st->tree, "tickets") == 0 &&
	    git_tree_entry_type(te) == GIT_OBJECT_TREE)
		git_oid_tostr(out, 41, git_tree_entry_id(te));
	git_tree_entry_free(te);
	git_error_clear();
}

struct tdiff {
	struct uc3_store *st;
	uc3_records_visit_fn fn;
	void *ctx;
};

/* Only what uc3_records_foreach visits: blobs at tickets/YEAR/MONTH/NAME. */
static int
tdiff_file(const char *path, const git_tree_entry *old, const git_tree_entry *newer, void *ctx)
{
	struct tdiff *t = ctx;
	git_blob *blob = NULL;
	const char *p;
	size_t size;
	int slashes = 0, rc;

	for (p = path; *p; p++)
		slashes += *p == '/';
	if (slashes != 3)
		return 0;
	if (old && git_tree_entry_type(old) != GIT_OBJECT_BLOB)
		old = NULL;
	if (newer && git_tree_entry_type(newer) != GIT_OBJECT_BLOB)
		newer = NULL;
	if (!newer)
		return old ? t->fn(path, NULL, 0, t->ctx) : 0;
	rc = uc3_store__read_blob(&blob, &size, t->st, git_tree_entry_id(newer), path);
	if (rc == UC3_EINVAL)
		return t->fn(path, NULL, size, t->ctx);
	if (rc < 0)
		return rc;
	rc = t->fn(path, git_blob_rawcontent(blob), (size_t)git_blob_rawsize(blob), t->ctx);
	git_blob_free(blob);
	return rc;
}

int
uc3_records_diff(struct uc3_store *st, const char *old_tree, const char *new_tree,
		 uc3_records_visit_fn fn, void *ctx)
{
	git_tree *a = NULL, *b = NULL;
	git_oid id;
	int rc;

	if (*old_tree &&
	    (git_oid_fromstr(&id, old_tree) < 0 || git_tree_lookup(&a, st->repo, &id) < 0)) {
		git_error_clear();
		return UC3_ENOTFOUND;
	}
	if (*new_tree &&
	    (git_oid_fromstr(&id, new_tree) < 0 || git_tree_lookup(&b, st->repo, &id) < 0)) {
		git_tree_free(a);
		return uc3_store__git_fail(UC3_ERROR, "cannot read the tickets tree");
	}
	{
		struct tdiff t = { st, fn, ctx };
		struct uc3_buf path = UC3_BUF_INIT;

		uc3_buf_adds(&path, "tickets");
		rc = uc3_store__diff_trees(st, a, b, &path, 1, tdiff_file, &t);
		uc3_buf_release(&path);
	}
	git_tree_free(a);
	git_tree_free(b);
	return rc;
}

#define QUARANTINE_DIR "quarantine"

char *
uc3_records_quarantine_name(struct uc3_store *st, time_t when, const char *data, size_t len)
{
	struct uc3_buf b = UC3_BUF_INIT;
	char blob[41];
	struct tm tm;

	if (uc3_store_hash(blob, st, data, len) < 0 || !gmtime_r(&when, &tm))
		return NULL;
	uc3_buf_addf(&b, QUARANTINE_DIR "/%04d-%02d-%02dT%02d%02d%02dZ-%.12s.eml",
		     tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     blob);
	return uc3_buf_detach(&b);
}

bool
uc3_records_quarantine_ok(const char *path)
{
	return uc3_ticket_quarantine_name_ok(path, NULL);
}

bool
uc3_records_quarantine_when(const char *path, time_t *when)
{
	return uc3_ticket_quarantine_name_ok(path, when);
}

void
uc3_records_quarantine_say(struct uc3_buf *out, const char *path, const char *tz)
{
	time_t when = 0;

	struct uc3_buf since = UC3_BUF_INIT;

	uc3_records_quarantine_when(path, &when);
	if (uc3_clock_format(&since, when, tz) < 0) {
		uc3_error_clear();
		uc3_buf_reset(&since);
		uc3_clock_format(&since, when, NULL);
	}
	/* TRANSLATORS: the file in quarantine/, the time it came, the file again. */
	uc3_buf_addf(out,
		     _("%s: a mail uc3 could not read waits since %s; read it, then register it "
		       "with uc3 new --quarantined %s"),
		     path, since.ptr, path);
	uc3_buf_release(&since);
}

/*
 * The files of the tip's quarantine folder, in git's order of names,
 * which is the order of their times. A name that is not one uc3 gives,
 * a folder or a link there is not mail uc3 kept: the audit names it, the
 * list passes it over.
 */
int
uc3_records_quarantine_list(char ***paths, size_t *n, struct uc3_store *st)
{
	git_tree_entry *te = NULL;
	git_tree *q = NULL;
	size_t i, alloc = 0;

	*paths = NULL;
	*n = 0;
	if (git_tree_entry_bypath(&te, st->tree, QUARANTINE_DIR) < 0) {
		git_error_clear();
		return 0;
	}
	if (lookup_subtree(&q, st, te) < 0) {
		git_tree_entry_free(te);
		git_error_clear();
		return 0;
	}
	git_tree_entry_free(te);
	for (i = 0; i < git_tree_entrycount(q); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(q, i);
		struct uc3_buf p = UC3_BUF_INIT;

		if (git_tree_entry_filemode(e) != GIT_FILEMODE_BLOB)
			continue;
		uc3_buf_addf(&p, QUARANTINE_DIR "/%s", git_tree_entry_name(e));
		if (!uc3_records_quarantine_ok(p.ptr)) {
			uc3_buf_release(&p);
			continue;
		}
		uc3_xgrow((void **)paths, &alloc, *n + 1, sizeof(**paths));
		(*paths)[(*n)++] = uc3_buf_detach(&p);
	}
	git_tree_free(q);
	return 0;
}

/* A ticket file's path: tickets/YEAR/MONTH/ID.yaml, not a file in a ticket's folder. */
static bool
is_ticket_path(const char *path)
{
	const char *s;
	size_t slashes = 0, n = strlen(path);

	if (strncmp(path, "tickets/", 8) || n < 5 || strcmp(path + n - 5, ".yaml"))
		return false;
	for (s = path; *s; s++)
		slashes += *s == '/';
	return slashes == 3;
}

int
uc3_records__backfill(struct uc3_store *st, struct uc3_write *w, const char *reason)
{
	size_t i, j;
	int rc;

	for (i = 0; i < w->nfiles; i++) {
		struct uc3_write_file *f = &w->files[i];
		struct uc3_ticket *t = NULL, *old = NULL;
		struct uc3_buf before = UC3_BUF_INIT;
		size_t first = 0;

		if (f->remove || !is_ticket_path(f->path))
			continue;
		if (uc3_ticket_parse(&t, f->data.ptr, f->data.len, f->path) < 0) {
			/* Not one uc3 wrote: nothing of it is ours to mark. */
			uc3_error_clear();
			continue;
		}
		if (!f->create && uc3_store_read(&before, st, f->path) == 0 &&
		    uc3_ticket_parse(&old, before.ptr, before.len, f->path) == 0)
			first = old->nevents;
		uc3_error_clear();
		for (j = first; j < t->nevents; j++)
			if (!t->events[j].backfill)
				t->events[j].backfill = uc3_xstrdup(reason);
		uc3_buf_reset(&f->data);
		rc = uc3_ticket_format(&f->data, t);
		uc3_ticket_free(t);
		uc3_ticket_free(old);
		uc3_buf_release(&before);
		if (rc < 0)
			return rc;
	}
	/* The trailer of message.h's UC3_TRAILER_BACKFILL, in the trailers' paragraph. */
	uc3_buf_addf(&w->message, "Backfill: %s\n", reason);
	return 0;
}
