#ifndef UC3_RECORDS_H
#define UC3_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "reserve.h"
#include "store.h"
#include "ticket.h"

/*
 * The records of a store: tickets/YEAR/MM/ID.yaml. Finding and loading a
 * ticket by id (at the tip or at a revision), visiting every ticket, the
 * tickets that changed between two trees, and the numbers of new ids. The
 * rest of the store does not know what a ticket is.
 */

/*
 * Find the ticket id in the base tree: checks the id (prefix from the
 * policy), looks in the month folders of tickets/YEAR and sets *path (free()). Errors:
 * UC3_EINVAL for a malformed id, UC3_ENOTFOUND for an unknown one.
 */
int uc3_records_find(char **path, struct uc3_store *st, const char *id);

/*
 * The full id a person means by typed (uc3_ticket_id_read): a number
 * alone is this year's, the year of now in the policy's zone. When this
 * year has no such ticket and last year has, a number alone is ambiguous
 * (the first days of January): UC3_EINVAL naming both. Whether the id
 * exists is left to uc3_records_find. *id: free().
 */
int uc3_records_id(char **id, struct uc3_store *st, const char *typed);

/* Find, read and parse the ticket id. *out: uc3_ticket_free; *path may be NULL. */
int uc3_records_load(struct uc3_ticket **out, char **path, struct uc3_store *st, const char *id);

/*
 * Call fn for every file under tickets/ in the base tree, in path order,
 * with its contents. A file over the size limit of what the store reads
 * (see uc3_store_read) is not read: fn gets data NULL and len its size,
 * and uc3_error_last() says so. A non-zero return from fn stops the walk
 * and is returned.
 */
typedef int (*uc3_records_visit_fn)(const char *path, const char *data, size_t len, void *ctx);
int uc3_records_foreach(struct uc3_store *st, uc3_records_visit_fn fn, void *ctx);

/*
 * As uc3_records_foreach, but only in the month folders tickets/YEAR/MM
 * for which want(YEAR, MM, ctx) is true (the names as in the tree): the
 * files of the others are not read. want NULL visits every folder.
 */
typedef bool (*uc3_records_folder_fn)(const char *year, const char *month, void *ctx);
int uc3_records_foreach_in(struct uc3_store *st, uc3_records_folder_fn want,
			   uc3_records_visit_fn fn, void *ctx);

/*
 * As uc3_records_foreach_in, for a caller that keeps what it made of
 * each folder and file by their ids (uc3 report's cache of facts): after
 * want (when not NULL) says yes, folder gets the folder's names and its
 * tree id (hex), and says whether to go into it; file (when not NULL)
 * gets the path and blob id (hex) of each file of a folder gone into,
 * and says whether to read it; fn gets the contents of those read, as in
 * uc3_records_foreach. A month entry that is not a folder is passed over.
 */
typedef bool (*uc3_records_tree_fn)(const char *year, const char *month, const char *tree,
				    void *ctx);
typedef bool (*uc3_records_blob_fn)(const char *path, const char *blob, void *ctx);
int uc3_records_walk(struct uc3_store *st, uc3_records_folder_fn want, uc3_records_tree_fn folder,
		     uc3_records_blob_fn file, uc3_records_visit_fn fn, void *ctx);

/*
 * Call fn, as uc3_records_foreach does, for the files at paths[0..n) of
 * the base tree only (tickets/YEAR/MM/NAME, as that walk gives them; the
 * open-ticket index keeps such paths), in the order given. A folder's
 * tree is read once for the paths of it that come one after another, so
 * give them in path order. A path that is not a file there is passed
 * over. A non-zero return from fn stops the visit and is returned.
 */
int uc3_records_visit_paths(struct uc3_store *st, char *const *paths, size_t n,
			    uc3_records_visit_fn fn, void *ctx);

/*
 * The id (hex) of the base tree's tickets/ folder, "" when there is none:
 * what an index of tickets is keyed by.
 */
void uc3_records_tree(char out[41], struct uc3_store *st);

/*
 * Call fn for every ticket file (a file at tickets/YEAR/MONTH/NAME, as
 * uc3_records_foreach visits them) that differs between two tickets/
 * trees (hex ids, as uc3_records_tree gives; "" for none), with its
 * path and new contents: data NULL and len 0 when it was removed, data
 * NULL and len its size when it is over the size limit. UC3_ENOTFOUND
 * when the old tree is not in the repository any more.
 */
int uc3_records_diff(struct uc3_store *st, const char *old_tree, const char *new_tree,
		     uc3_records_visit_fn fn, void *ctx);

/*
 * The next ticket number of year in the base tree. Online, the number
 * above every ticket of the year and every block of it set aside for
 * offline use (reserved.yaml; 1 when none). While the write is made
 * offline (uc3_store_offline), the lowest number of this clone's blocks
 * of year (uc3_records_spare) that no ticket has; none left: UC3_EINVAL
 * "no ticket numbers set aside for offline use in 2026 are left ..."
 * (or "... were set aside ..." when the clone has no block of year).
 * UC3_EINVAL when reserved.yaml does not read (no number is safe then),
 * or when the year's highest number is already the highest an id can
 * carry (UC3_TICKET_NUM_MAX): the year has run out of numbers.
 */
int uc3_records_next_number(unsigned long *out, struct uc3_store *st, int year);

/*
 * The blocks of ticket numbers set aside for offline use, reserved.yaml
 * of the base tree (reserve.h): *out (uc3_reserve_release), empty when
 * there is no such file. UC3_EINVAL, "reserved.yaml:LINE:COL: ...", when
 * it does not read.
 */
int uc3_records_reserved(struct uc3_reserve *out, struct uc3_store *st);

/*
 * Where uc3 sync --reset sets commits aside: the branches
 * uc3/set-aside/SHORTID[-N].
 */
#define UC3_SET_ASIDE_BRANCH "uc3/set-aside/"
#define UC3_SET_ASIDE_REFS   "refs/heads/" UC3_SET_ASIDE_BRANCH

/*
 * What is left of this clone's blocks of year (r, as uc3_records_reserved
 * gives; the clone as uc3_store_clone, none when its id is not set) in
 * the base tree: how many blocks it has, how many of their numbers no
 * ticket has, there or on a branch set aside (UC3_SET_ASIDE_BRANCH), and
 * the lowest of those (0: none).
 */
struct uc3_records_spare {
	size_t blocks;
	unsigned long left, next;
};
int uc3_records_spare(struct uc3_records_spare *out, struct uc3_store *st,
		      const struct uc3_reserve *r, int year);

/* The highest number of a ticket of year in the base tree, 0 when none. */
unsigned long uc3_records_top_number(struct uc3_store *st, int year);

/* The same in the tree of commit rev (hex): 0 and *out, or a negative UC3_E*. */
int uc3_records_top_number_at(unsigned long *out, struct uc3_store *st, const char *rev, int year);

/*
 * After a write that added ticket number num of year: remember it as the
 * highest of the year's tree at the new tip (not when num is in a block
 * set aside for offline use, which need not be the highest), so the next uc3_records_next_number
 * need not read the year's month trees. Only a hint: a stale one is ignored.
 */
void uc3_records_note_number(struct uc3_store *st, int year, unsigned long num);

/*
 * Forget every remembered number: the next uc3_records_next_number reads
 * the trees. For a write refused with UC3_EEXIST: the number given out
 * was taken, so what was remembered is wrong.
 */
void uc3_records_forget_numbers(const struct uc3_store *st);

/* The path of a ticket: tickets/YEAR/MM/ID.yaml. Caller frees. */
char *uc3_records_path(const char *id, int year, int month);

/*
 * Attachments (uc3 attach) live in a folder beside their ticket's file,
 * named as the file without .yaml: tickets/YEAR/MM/ID/NAME.
 * uc3_records_attachment_path gives that path for the ticket file at
 * ticket_path (caller frees). uc3_records_attachment_of says whether path
 * has that shape, tickets/A/B/C/D, four names under tickets/; when it
 * has and ticket_path is not NULL, *ticket_path gets the path of the
 * ticket file it belongs with, tickets/A/B/C.yaml (free()). Whether the
 * names are a year, a month, an id and a name uc3 gives a file is the
 * audit's to say.
 */
char *uc3_records_attachment_path(const char *ticket_path, const char *name);
bool uc3_records_attachment_of(const char *path, char **ticket_path);

/*
 * Where ticket id is in the tree of commit rev (hex): any folder of
 * tickets/YEAR (YEAR of the id) that holds ID.yaml, not only the month
 * it should be in. 0 and *path (free()), or UC3_ENOTFOUND.
 */
int uc3_records_find_at(char **path, struct uc3_store *st, const char *rev, const char *id);

/*
 * Quarantine: mail uc3 new --mail could not read, kept as it came at
 * quarantine/NAME.eml until a person registers it (uc3 new
 * --quarantined PATH). NAME is the time it came, UTC, and the first 12
 * hex digits of its git blob id: "2026-12-02T031500Z-0123456789ab".
 *
 * uc3_records_quarantine_name: that path for data received at when
 * (a new string; NULL, the error set, when the data cannot be hashed).
 * The name sorts as the time: git's order of the folder is the order
 * the mail came in. uc3_records_quarantine_ok: whether path is one such
 * name could be. uc3_records_quarantine_list: the paths waiting at the
 * branch tip, oldest first (*paths, free with uc3_strv_free(*paths, *n);
 * none: *n 0); reads one tree.
 */
char *uc3_records_quarantine_name(struct uc3_store *st, time_t when, const char *data, size_t len);
bool uc3_records_quarantine_ok(const char *path);
int uc3_records_quarantine_list(char ***paths, size_t *n, struct uc3_store *st);

/*
 * The time a quarantine file came, read from its name: true and *when,
 * or false when path is not one uc3_records_quarantine_ok takes.
 */
bool uc3_records_quarantine_when(const char *path, time_t *when);

/*
 * Append what uc3 list and uc3 overdue say of a file waiting: "PATH: a
 * mail uc3 could not read waits since TIME; read it, then register it
 * with uc3 new --quarantined PATH", TIME in the zone tz (NULL: UTC).
 */
void uc3_records_quarantine_say(struct uc3_buf *out, const char *path, const char *tz);

#endif
