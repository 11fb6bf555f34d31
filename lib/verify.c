#include "verify.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "calendar.h"
#include "clock.h"
#include "error.h"
#include "history.h"
#include "i18n.h"
#include "message.h"
#include "policy.h"
#include "records.h"
#include "sign.h"
#include "strv.h"
#include "ticket.h"
#include "verify_int.h"
#include "xalloc.h"

/* git's "old new ref" lines for a hook: a ref name is at most a few KiB, and a push names few. */
#define HOOK_INPUT_MAX (16 * 1024 * 1024)
/* The note the post-receive hook writes, "received TIME", begins so. */
#define RECEIVED_WORD "received "
/*
 * The ticket ids in a tree, each with the number of ticket files that
 * hold it: an open-addressing hash set, so that a new ticket is checked
 * against every id before it without reading the year's month folders
 * (struct idset, in verify_int.h).
 */

static size_t
id_hash(const char *s)
{
	size_t h = 5381;

	while (*s)
		h = h * 33 + (unsigned char)*s++;
	return h;
}

/* The slot of id: where it is, or the empty one where it would go. */
static size_t
idset_slot(const struct idset *set, const char *id)
{
	size_t i = id_hash(id) & (set->cap - 1);

	while (set->ids[i] && strcmp(set->ids[i], id))
		i = (i + 1) & (set->cap - 1);
	return i;
}

static unsigned
idset_count(const struct idset *set, const char *id)
{
	size_t i;

	if (!set->cap)
		return 0;
	i = idset_slot(set, id);
	return set->ids[i] ? set->count[i] : 0;
}

/* Add d (1 or -1) to the count of id. A count that falls to 0 is kept. */
static void
idset_add(struct idset *set, const char *id, int d)
{
	size_t i;

	if ((set->n + 1) * 2 > set->cap) {
		struct idset bigger = { 0 };

		bigger.cap = set->cap ? set->cap * 2 : 1024;
		bigger.ids = uc3_xcalloc(bigger.cap, sizeof(*bigger.ids));
		bigger.count = uc3_xcalloc(bigger.cap, sizeof(*bigger.count));
		for (i = 0; i < set->cap; i++) {
			size_t j;

			if (!set->ids[i])
				continue;
			j = idset_slot(&bigger, set->ids[i]);
			bigger.ids[j] = set->ids[i];
			bigger.count[j] = set->count[i];
			bigger.n++;
		}
		free(set->ids);
		free(set->count);
		*set = bigger;
	}
	i = idset_slot(set, id);
	if (!set->ids[i]) {
		set->ids[i] = uc3_xstrdup(id);
		set->n++;
	}
	if (d > 0 || set->count[i])
		set->count[i] += (unsigned)d;
}

static void
idset_release(struct idset *set)
{
	size_t i;

	for (i = 0; i < set->cap; i++)
		free(set->ids[i]);
	free(set->ids);
	free(set->count);
	memset(set, 0, sizeof(*set));
}

static void
add_finding(struct uc3_verify_ctx *v, enum uc3_finding_kind kind, const char *commit,
	    const char *ticket, const char *fmt, va_list ap)
{
	struct uc3_verify_result *r = v->res;
	struct uc3_finding *f;
	struct uc3_buf b = UC3_BUF_INIT, e = UC3_BUF_INIT;
	const unsigned char *q;

	uc3_buf_vaddf(&b, fmt, ap);
	/*
	 * A finding quotes what a commit holds, which may be anything: every
	 * control character (C0, DEL, C1) is written as \xNN, so a finding is
	 * one line and never drives the auditor's terminal.
	 */
	for (q = (const unsigned char *)b.ptr; *q; q++) {
		if (*q < 0x20 || *q == 0x7f)
			uc3_buf_addf(&e, "\\x%02x", *q);
		else if (*q == 0xc2 && q[1] >= 0x80 && q[1] <= 0x9f)
			uc3_buf_addf(&e, "\\x%02x", *++q);
		else
			uc3_buf_addch(&e, (char)*q);
	}
	uc3_buf_release(&b);
	uc3_xgrow((void **)&r->findings, &r->alloc, r->nfindings + 1, sizeof(*r->findings));
	f = &r->findings[r->nfindings++];
	f->kind = kind;
	snprintf(f->commit, sizeof(f->commit), "%s", commit);
	f->ticket = ticket ? uc3_xstrdup(ticket) : NULL;
	f->what = uc3_buf_detach(&e);
}

void
uc3_verify_finding_kind(struct uc3_verify_ctx *v, enum uc3_finding_kind kind, const char *commit,
			const char *ticket, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_finding(v, kind, commit, ticket, fmt, ap);
	va_end(ap);
}

void
uc3_verify_finding(struct uc3_verify_ctx *v, const char *commit, const char *ticket,
		   const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	add_finding(v, UC3_FIND_CONTENT, commit, ticket, fmt, ap);
	va_end(ap);
}

static void
add_verdict(struct uc3_verify_result *r, const char *commit, enum uc3_sig sig, bool denied)
{
	struct uc3_commit_verdict *cv;

	uc3_xgrow((void **)&r->verdicts, &r->averdicts, r->nverdicts + 1, sizeof(*r->verdicts));
	cv = &r->verdicts[r->nverdicts++];
	snprintf(cv->commit, sizeof(cv->commit), "%s", commit);
	cv->sig = sig;
	cv->denied = denied;
}

const struct uc3_commit_verdict *
uc3_verify_verdict(const struct uc3_verify_result *r, const char *commit)
{
	size_t i;

	for (i = 0; i < r->nverdicts; i++)
		if (!strcmp(r->verdicts[i].commit, commit))
			return &r->verdicts[i];
	return NULL;
}

/*
 * The policy in the tree of commit rev, or NULL when there is none or it
 * does not read (*error then says why; borrowed).
 */
static const struct uc3_policy *
policy_at(struct uc3_verify_ctx *v, const char *rev, const char **error)
{
	struct uc3_buf data = UC3_BUF_INIT;
	char blob[41] = "";
	struct pcache *c;
	size_t i;
	int rc;

	*error = NULL;
	if (!rev || !*rev)
		return NULL;
	rc = uc3_history_read_at(&data, blob, v->st, rev, UC3_POLICY_FILE);
	if (rc < 0 && !blob[0]) {
		uc3_buf_release(&data);
		*error = "no uc3.yaml";
		return NULL;
	}
	for (i = 0; i < v->npol; i++)
		if (!strcmp(v->pol[i].blob, blob)) {
			uc3_buf_release(&data);
			*error = v->pol[i].error;
			return v->pol[i].p;
		}
	uc3_xgrow((void **)&v->pol, &v->apol, v->npol + 1, sizeof(*v->pol));
	c = &v->pol[v->npol++];
	memset(c, 0, sizeof(*c));
	memcpy(c->blob, blob, sizeof(blob));
	if (rc < 0 || uc3_policy_parse(&c->p, data.ptr, data.len, UC3_POLICY_FILE) < 0) {
		/* A blob too large to read is refused as one that does not parse. */
		c->p = NULL;
		c->error = uc3_xstrdup(uc3_error_last());
	}
	uc3_buf_release(&data);
	*error = c->error;
	return c->p;
}

/*
 * The policy commit c is judged by: the one in its parent's tree or, when
 * that does not read, the last one before it that did. So a commit that
 * breaks uc3.yaml is a finding, and the commits after it are still checked
 * against people, roles and keys: the one that repairs it too. NULL for a
 * root commit, or when no policy before c reads.
 */
static const struct uc3_policy *
policy_before(struct uc3_verify_ctx *v, const struct uc3_commit *c)
{
	const struct uc3_policy *p;
	const char *err;
	char rev[41], up[41];

	if (!c->nparents)
		return NULL;
	if ((p = policy_at(v, c->parent, &err)))
		return p;
	/* Walking the history in order, the commit before is the parent. */
	if (!strcmp(v->good_at, c->parent))
		return v->good;
	memcpy(rev, c->parent, sizeof(rev));
	while (uc3_store_parent(up, v->st, rev) == 0) {
		memcpy(rev, up, sizeof(rev));
		if ((p = policy_at(v, rev, &err)))
			return p;
	}
	uc3_error_clear();
	return NULL;
}

bool
uc3_verify_in_parent(char **where, struct uc3_verify_ctx *v, const struct uc3_commit *c,
		     const char *id)
{
	bool found = c->nparents &&
		     (!v->ids_valid || strcmp(v->ids_at, c->parent) || idset_count(&v->ids, id)) &&
		     uc3_records_find_at(where, v->st, c->parent, id) == 0;

	uc3_error_clear();
	return found;
}

static bool
person_has_role(const struct uc3_person *who, const char *role)
{
	size_t i;

	for (i = 0; who && i < who->nroles; i++)
		if (!strcmp(who->roles[i], role))
			return true;
	return false;
}

static bool
action_is(const char *msg, const char *what)
{
	char *a = uc3_message_trailer(msg, "Action");
	bool yes = a && !strcmp(a, what);

	free(a);
	return yes;
}

/*
 * An acceptance (Action: accept; see struct uc3_review in verify.h),
 * judged under p, the policy before it (who: its author there, verdict:
 * its signature). When it is good, *out gets what it closes (its fields
 * the caller's); else findings go to v.
 */
static void
check_accept(struct uc3_verify_ctx *v, const struct uc3_commit *c, size_t nch,
	     const struct uc3_policy *p, const struct uc3_person *who, struct uc3_accept *out)
{
	struct uc3_message m;
	const char *accepted = NULL;
	size_t i, n = 0, before = v->res->nfindings;

	memset(out, 0, sizeof(*out));
	if (nch)
		uc3_verify_finding(v, c->id, v->ticket,
				   "an acceptance (Action: accept) changes no file, and this one "
				   "changes %zu",
				   nch);
	if (p && p->npeople) {
		const char *top = p->roles[p->nroles - 1].id;

		if (who && !person_has_role(who, top))
			uc3_verify_finding_kind(
				v, UC3_FIND_ROLE, c->id, v->ticket,
				"accepts findings, but %s does not hold the %s role "
				"in the policy before it",
				c->author_email, top);
		if (!c->is_signed)
			uc3_verify_finding_kind(
				v, UC3_FIND_SIGNATURE, c->id, v->ticket,
				"accepts findings, but is not signed; an acceptance "
				"is signed by a holder of the %s role",
				top);
	} else if (!c->is_signed) {
		uc3_verify_finding_kind(v, UC3_FIND_SIGNATURE, c->id, v->ticket,
					"accepts findings, but is not signed; an acceptance is "
					"signed");
	}
	uc3_message_parse(&m, c->message);
	for (i = 0; i < m.ntr; i++)
		if (m.tr[i].key && m.tr[i].value && !strcmp(m.tr[i].key, "Accepted")) {
			accepted = m.tr[i].value;
			n++;
		}
	if (n != 1)
		uc3_verify_finding(v, c->id, v->ticket,
				   "an acceptance names the commit it accepts in one Accepted "
				   "trailer, and this one has %zu",
				   n);
	else if (strlen(accepted) != 40 || strspn(accepted, "0123456789abcdef") != 40 ||
		 !c->nparents || !uc3_store_is_ancestor(v->st, accepted, c->parent))
		uc3_verify_finding(v, c->id, v->ticket, "Accepted: %.60s names no commit before it",
				   accepted);
	if (!m.text[0])
		uc3_verify_finding(v, c->id, v->ticket,
				   "an acceptance gives a reason, and this one "
				   "gives none");
	if (v->res->nfindings == before) {
		memcpy(out->commit, c->id, sizeof(out->commit));
		memcpy(out->accepted, accepted, sizeof(out->accepted));
		out->by = uc3_xstrdup(c->author_email);
		out->at = c->commit_time;
		out->why = uc3_xstrdup(m.text);
	}
	uc3_message_release(&m);
}

static bool
notice_commit(const char *msg)
{
	char *a = uc3_message_trailer(msg, "Action");
	bool yes = a && !strcmp(a, "notice");

	free(a);
	return yes;
}

/*
 * What a path of the records is: a ticket file, tickets/YEAR/MONTH/ID.yaml
 * (a month 01 to 12, an id of that year); an attachment beside it,
 * tickets/YEAR/MONTH/ID/NAME (NAME one uc3 attach gives a file; else a bad
 * attachment); a file the policy governs: uc3.yaml, README.md,
 * templates/NAME; a mail kept in quarantine, quarantine/NAME.eml (a name
 * uc3 gives one); the blocks of numbers set aside, reserved.yaml; or
 * neither, under tickets/ or not.
 */
enum path_kind {
	PATH_TICKET,
	PATH_QUARANTINE,
	PATH_RESERVE,
	PATH_ATTACHMENT,
	PATH_BAD_ATTACHMENT,
	PATH_GOVERNED,
	PATH_STRAY_TICKETS,
	PATH_STRAY
};

static enum path_kind
path_kind(const char *path)
{
	const char *p = path + 8, *name;
	char id[256];
	size_t len;
	int year, y, month;

	if (!strcmp(path, UC3_POLICY_FILE) || !strcmp(path, "README.md") ||
	    (!strncmp(path, "templates/", 10) && path[10] && !strchr(path + 10, '/')))
		return PATH_GOVERNED;
	if (uc3_records_quarantine_ok(path))
		return PATH_QUARANTINE;
	if (!strcmp(path, UC3_RESERVE_FILE))
		return PATH_RESERVE;
	if (strncmp(path, "tickets/", 8))
		return PATH_STRAY;
	if (strspn(p, "0123456789") != 4 || p[4] != '/' || strspn(p + 5, "0123456789") != 2 ||
	    p[7] != '/')
		return PATH_STRAY_TICKETS;
	year = atoi(p);
	month = atoi(p + 5);
	name = p + 8;
	len = strlen(name);
	if (month >= 1 && month <= 12 && uc3_records_attachment_of(path, NULL)) {
		const char *slash = strchr(name, '/');

		if ((size_t)(slash - name) >= sizeof(id))
			return PATH_STRAY_TICKETS;
		memcpy(id, name, (size_t)(slash - name));
		id[slash - name] = '\0';
		if (!uc3_ticket_id_parse(id, NULL, &y, NULL) || y != year)
			return PATH_STRAY_TICKETS;
		return uc3_ticket_attachment_name_ok(slash + 1) ? PATH_ATTACHMENT
								: PATH_BAD_ATTACHMENT;
	}
	if (month < 1 || month > 12 || strchr(name, '/') || len <= 5 || len - 5 >= sizeof(id) ||
	    strcmp(name + len - 5, ".yaml"))
		return PATH_STRAY_TICKETS;
	memcpy(id, name, len - 5);
	id[len - 5] = '\0';
	if (!uc3_ticket_id_parse(id, NULL, &y, NULL) || y != year)
		return PATH_STRAY_TICKETS;
	return PATH_TICKET;
}

/* What a mode other than a plain file's is, for people. */
static const char *
mode_name(unsigned mode)
{
	switch (mode) {
	case 0100755:
		return "executable";
	case 0120000:
		return "a symbolic link";
	case 0160000:
		return "a submodule";
	default:
		return "not a plain file";
	}
}

/* Cache lines are "ID V": the order and the search look at the id alone. */
static int
cmp_id(const void *a, const void *b)
{
	return strncmp(*(char *const *)a, *(char *const *)b, 40);
}

static bool
skip_clean(const char *id, void *ctx)
{
	struct uc3_verify_ctx *v = ctx;
	const char *key = id;
	char **hit;

	if (!v->nclean)
		return false;
	hit = bsearch(&key, v->clean, v->nclean, sizeof(*v->clean), cmp_id);
	if (!hit)
		return false;
	v->res->commits++;
	v->res->cached++;
	add_verdict(v->res, id, uc3_sig_from_letter((*hit)[41]), false);
	return true;
}

bool
uc3_verify_appended(struct uc3_verify_ctx *v, const struct uc3_commit *c,
		    const struct uc3_ticket *t, size_t first)
{
	size_t i;

	v->first = first;
	for (i = first; i < t->nevents; i++) {
		const struct uc3_event *e = &t->events[i];
		time_t at;

		if (e->at && uc3_clock_parse(&at, e->at, NULL) == 0 &&
		    (!v->events_from || at < v->events_from))
			v->events_from = at;
		if (e->backfill && v->backfill && !strcmp(e->backfill, v->backfill))
			continue;
		if (!e->backfill && !v->backfill)
			continue;
		if (!v->backfill)
			uc3_verify_finding(v, c->id, t->id,
					   "event %zu says backfill: '%s', but the commit has no "
					   "Backfill trailer",
					   i + 1, e->backfill);
		else if (!e->backfill)
			uc3_verify_finding(v, c->id, t->id,
					   "the Backfill trailer says '%s', but event %zu has no "
					   "backfill",
					   v->backfill, i + 1);
		else
			uc3_verify_finding(v, c->id, t->id,
					   "the Backfill trailer says '%s', but event %zu says "
					   "backfill: '%s'",
					   v->backfill, i + 1, e->backfill);
		return false;
	}
	return true;
}

/* "16 days", "3 hours", "66 minutes": how far a time is from the central's clock. */
static void
add_span(struct uc3_buf *b, long long secs)
{
	if (secs >= 2 * 86400)
		uc3_buf_addf(b, "%lld days", secs / 86400);
	else if (secs >= 2 * 3600)
		uc3_buf_addf(b, "%lld hours", secs / 3600);
	else
		uc3_buf_addf(b, "%lld minute%s", secs / 60, secs / 60 == 1 ? "" : "s");
}

/*
 * The time of commit c, in one place: a backfill is by a holder of the
 * policy's central.backfill role (p, the policy before it, once it lists
 * people); on the central (o->central), its committer date is not more
 * than central.skew ahead of the central's clock, and neither it nor an
 * event it appends more than that behind, unless the commit was made
 * offline or is a backfill. A commit whose time is so taken on trust,
 * and has no finding, is listed as unconfirmed.
 */
static void
check_time(struct uc3_verify_ctx *v, const struct uc3_commit *c, const struct uc3_policy *p,
	   const struct uc3_person *who)
{
	struct uc3_verify_result *r = v->res;
	const char *tz = p ? p->timezone : NULL;
	struct uc3_buf a = UC3_BUF_INIT, b = UC3_BUF_INIT;

	if (v->backfill && p && p->npeople && !v->stranger) {
		if (!p->backfill_role)
			uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, v->ticket,
						"a backfill (%s), but the policy before it gives "
						"nobody the right to record a step at a past time "
						"(central.backfill)",
						v->backfill);
		else if (!person_has_role(who, p->backfill_role))
			uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, v->ticket,
						"a backfill (%s), but %s does not hold the role %s "
						"(central.backfill) in the policy before it",
						v->backfill, c->author_email, p->backfill_role);
	}
	if (v->o->central) {
		long skew = p ? p->central_skew : UC3_CENTRAL_SKEW_DEFAULT;
		long long now = v->o->now, oldest = c->commit_time;

		if (v->events_from && v->events_from < oldest)
			oldest = v->events_from;
		uc3_clock_format_short(&b, (time_t)now, tz);
		if (c->commit_time > now + skew) {
			uc3_clock_format_short(&a, (time_t)c->commit_time, tz);
			uc3_buf_adds(&a, ", ");
			add_span(&a, c->commit_time - now);
			uc3_verify_finding(v, c->id, v->ticket,
					   "dated %s after the central's clock, %s", a.ptr, b.ptr);
		} else if (oldest < now - skew && !v->offline && !v->backfill) {
			uc3_clock_format_short(&a, (time_t)oldest, tz);
			uc3_buf_adds(&a, ", ");
			add_span(&a, now - oldest);
			uc3_verify_finding(v, c->id, v->ticket,
					   "dated %s before the central's clock, %s; a step at a "
					   "past time is a backfill (UC3_BACKFILL) by a holder of "
					   "central.backfill",
					   a.ptr, b.ptr);
		}
	}
	if ((v->offline || v->backfill) && r->nfindings == v->before) {
		struct uc3_unconfirmed *u;

		uc3_xgrow((void **)&r->unconfirmed, &r->aunconfirmed, r->nunconfirmed + 1,
			  sizeof(*r->unconfirmed));
		u = &r->unconfirmed[r->nunconfirmed++];
		memset(u, 0, sizeof(*u));
		snprintf(u->commit, sizeof(u->commit), "%s", c->id);
		u->ticket = v->ticket ? uc3_xstrdup(v->ticket) : NULL;
		u->offline = v->offline;
		u->reason = v->offline || !v->backfill ? NULL : uc3_xstrdup(v->backfill);
		u->by = uc3_xstrdup(c->author_email);
		uc3_clock_format_str(&u->dated, (time_t)c->time, tz);
	}
	uc3_buf_release(&a);
	uc3_buf_release(&b);
}

static int
visit(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *ctx)
{
	struct uc3_verify_ctx *v = ctx;
	struct uc3_verify_result *r = v->res;
	const char *nerr = NULL;
	const struct uc3_policy *before = policy_before(v, c);
	const struct uc3_policy *now = NULL, *p;
	const struct uc3_person *who = NULL;
	enum uc3_sig verdict = UC3_SIG_UNKNOWN;
	struct uc3_buf governed = UC3_BUF_INIT;
	bool policy_changed = false, ticket_ok = true, accept = action_is(c->message, "accept");
	struct uc3_accept acc = { 0 };
	size_t i, ntickets = 0, ticket = 0, nattachments = 0, nquarantine = 0, nreserve = 0;

	r->commits++;
	v->before = r->nfindings;
	v->stranger = false;
	{
		char *off = uc3_message_trailer(c->message, UC3_TRAILER_OFFLINE);

		v->offline = off && !strcasecmp(off, "yes");
		free(off);
	}
	free(v->backfill);
	v->backfill = uc3_message_trailer(c->message, UC3_TRAILER_BACKFILL);
	v->events_from = 0;
	v->first = 0;
	for (i = 0; i < nch; i++) {
		enum path_kind k = path_kind(ch[i].path);

		if (k == PATH_TICKET) {
			ntickets++;
			ticket = i;
		} else if (k == PATH_ATTACHMENT) {
			nattachments++;
		} else if (k == PATH_QUARANTINE) {
			nquarantine++;
		} else if (k == PATH_RESERVE) {
			nreserve++;
		} else if (k == PATH_GOVERNED) {
			uc3_buf_addf(&governed, "%s%s", governed.len ? ", " : "", ch[i].path);
		}
		if (!strcmp(ch[i].path, UC3_POLICY_FILE))
			policy_changed = true;
	}
	if (policy_changed || !c->nparents) {
		now = policy_at(v, c->id, &nerr);
		if (!now)
			uc3_verify_finding(v, c->id, NULL, "uc3.yaml does not read: %s",
					   nerr ? nerr : "missing");
	}
	/* The root commit is judged by the policy it lays down. */
	p = c->nparents ? before : now;
	/* Findings about the commit as a whole name its ticket, when it has one. */
	if (ntickets == 1) {
		const char *slash = strrchr(ch[ticket].path, '/');

		v->ticket = uc3_xstrdup(slash ? slash + 1 : ch[ticket].path);
		if (strlen(v->ticket) > 5 && !strcmp(v->ticket + strlen(v->ticket) - 5, ".yaml"))
			v->ticket[strlen(v->ticket) - 5] = '\0';
	}
	if (c->nparents > 1)
		uc3_verify_finding(v, c->id, NULL,
				   "is a merge; the records' history is a single line");

	/*
	 * Every path is a ticket file, or a file the policy governs, and a
	 * plain file (mode 100644): nothing else belongs in the records.
	 */
	for (i = 0; i < nch; i++) {
		enum path_kind k = path_kind(ch[i].path);

		if (!ch[i].new_mode)
			continue;
		if (ch[i].new_mode == 040000)
			uc3_verify_finding(v, c->id, v->ticket,
					   "%s: folders nested deeper than any file of the records",
					   ch[i].path);
		else if (ch[i].new_mode != 0100644)
			uc3_verify_finding(
				v, c->id, v->ticket,
				"%s has mode %06o (%s); the files of the records have mode 100644",
				ch[i].path, ch[i].new_mode, mode_name(ch[i].new_mode));
		else if (k == PATH_BAD_ATTACHMENT)
			uc3_verify_finding(v, c->id, v->ticket,
					   "%s is not an attachment uc3 writes (its name has a "
					   "leading dot or a control character)",
					   ch[i].path);
		else if (k == PATH_STRAY_TICKETS)
			uc3_verify_finding(v, c->id, v->ticket,
					   "%s is not a ticket file (tickets/YEAR/MONTH/ID.yaml)",
					   ch[i].path);
		else if (k == PATH_STRAY)
			uc3_verify_finding(v, c->id, v->ticket,
					   "%s is not a file of the records (uc3.yaml, README.md, "
					   "templates/NAME, reserved.yaml, "
					   "tickets/YEAR/MONTH/ID.yaml, quarantine/NAME.eml)",
					   ch[i].path);
		if (k == PATH_TICKET && ch[i].new_mode != 0100644)
			ticket_ok = false;
	}

	/* The author: one of the people, once the policy lists any. */
	if (p && p->npeople) {
		who = uc3_policy_person(p, c->author_email);
		if (!who) {
			v->stranger = true;
			uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, v->ticket,
						"%s %s, who is not one of the people in uc3.yaml",
						c->is_signed ? "signed by" : "by", c->author_email);
		}
	}
	/* The signature, against the keys of the policy before the commit. */
	if (c->is_signed && who) {
		char *why = NULL;

		if (uc3_sign_verify(&verdict, &why, c->signed_data, c->signed_len, c->signature,
				    c->signature_len, who->email, (const char *const *)who->keys,
				    who->nkeys) < 0)
			uc3_verify_finding_kind(v, UC3_FIND_SIGNATURE, c->id, v->ticket,
						"cannot check the signature: %s", uc3_error_last());
		else if (verdict != UC3_SIG_GOOD)
			uc3_verify_finding_kind(v, UC3_FIND_SIGNATURE, c->id, v->ticket, "%s",
						why ? why : "bad signature");
		free(why);
	} else if (!c->is_signed && p && p->require_signed && c->nparents) {
		uc3_verify_finding_kind(v, UC3_FIND_SIGNATURE, c->id, v->ticket,
					"not signed, and the policy requires signed commits");
	}

	/* Commits never go back in time: a clock off by more than the skew is a backdate. */
	if (c->nparents && c->parent_time && c->commit_time + v->o->skew < c->parent_time) {
		struct uc3_buf ct = UC3_BUF_INIT, pt = UC3_BUF_INIT;
		const char *tz = p ? p->timezone : NULL;

		uc3_clock_format(&ct, (time_t)c->commit_time, tz);
		uc3_clock_format(&pt, (time_t)c->parent_time, tz);
		uc3_verify_finding(v, c->id, v->ticket,
				   "committed at %s, before its parent %.7s (%s): backdated",
				   ct.ptr, c->parent, pt.ptr);
		uc3_buf_release(&ct);
		uc3_buf_release(&pt);
	}

	/*
	 * The files the policy governs (uc3.yaml, README.md, the templates) are
	 * the top of the chain's: from the root of trust on, a change to them
	 * is signed by a holder of the top role in the policy before it.
	 */
	if (governed.len && c->nparents && before && before->npeople && who) {
		const char *top = before->roles[before->nroles - 1].id;

		if (!person_has_role(who, top) || !c->is_signed || verdict != UC3_SIG_GOOD)
			uc3_verify_finding_kind(
				v, UC3_FIND_ROLE, c->id, v->ticket,
				"changes %s, but is not signed by a holder of the %s role "
				"in the policy before it",
				governed.ptr, top);
	}

	/* Attachments: added by uc3 attach, beside the one ticket it changes; never changed. */
	v->changes = ch;
	v->nchanges = nch;
	for (i = 0; nattachments && i < nch; i++)
		if (path_kind(ch[i].path) == PATH_ATTACHMENT)
			uc3_verify_check_attachment(v, c, &ch[i],
						    ntickets == 1 ? ch[ticket].path : NULL);

	/* Mail kept in quarantine: added alone, removed by the new ticket typed from it. */
	for (i = 0; nquarantine && i < nch; i++)
		if (path_kind(ch[i].path) == PATH_QUARANTINE)
			uc3_verify_check_quarantine(v, c, &ch[i], nch, p,
						    ntickets == 1 ? &ch[ticket] : NULL);

	if (accept)
		check_accept(v, c, nch, p, who, &acc);
	/* Numbers set aside for offline use: one block appended; taken only offline. */
	for (i = 0; nreserve && i < nch; i++)
		if (path_kind(ch[i].path) == PATH_RESERVE)
			uc3_verify_check_reserve(v, c, &ch[i], nch, p);
	for (i = 0; i < nch; i++)
		if (!ch[i].old_mode && ch[i].new_mode && path_kind(ch[i].path) == PATH_TICKET)
			uc3_verify_check_reserved_number(v, c, &ch[i]);
	uc3_verify_reserve_after(v, c, ch, nch);

	/* Tickets: one file a commit, alone; notices of a run together. */
	if (ntickets && !governed.len && notice_commit(c->message)) {
		for (i = 0; i < nch; i++)
			if (path_kind(ch[i].path) == PATH_TICKET)
				uc3_verify_check_notices(v, c, &ch[i], p);
	} else if (ntickets > 1)
		uc3_verify_finding(v, c->id, NULL,
				   "changes %zu ticket files; uc3 changes one a commit", ntickets);
	else if (ntickets == 1 && governed.len)
		uc3_verify_finding(v, c->id, v->ticket, "changes a ticket file together with %s",
				   policy_changed ? "uc3.yaml" : "other files");
	else if (ntickets == 1 && ticket_ok)
		uc3_verify_check_ticket(v, c, &ch[ticket], p);

	check_time(v, c, p, who);
	{
		enum uc3_sig sig = UC3_SIG_UNKNOWN;
		bool denied = false;

		if (!c->is_signed)
			sig = UC3_SIG_NONE;
		else if (verdict == UC3_SIG_GOOD && who)
			sig = UC3_SIG_GOOD;

		for (i = v->before; i < r->nfindings; i++) {
			if (r->findings[i].kind == UC3_FIND_SIGNATURE)
				sig = UC3_SIG_BAD;
			else if (r->findings[i].kind == UC3_FIND_ROLE)
				denied = true;
		}
		add_verdict(r, c->id, sig, denied);
		free(v->ticket);
		v->ticket = NULL;
		/* An acceptance is checked, and counts, every run: never one for the cache. */
		if (accept && r->nfindings == v->before && acc.by) {
			uc3_xgrow((void **)&v->acc, &v->aacc, v->nacc + 1, sizeof(*v->acc));
			v->acc[v->nacc++] = acc;
		} else if (accept) {
			free(acc.by);
			free(acc.why);
		} else if (r->nfindings == v->before && !v->offline && !v->backfill) {
			/* A time not confirmed is listed every time: such a commit is walked again.
			 */
			struct uc3_buf line = UC3_BUF_INIT;

			uc3_buf_addf(&line, "%s %c", c->id, uc3_sig_letter(sig));
			uc3_xgrow((void **)&v->fresh, &v->afresh, v->nfresh + 1, sizeof(*v->fresh));
			v->fresh[v->nfresh++] = uc3_buf_detach(&line);
		}
	}
	/* What the next commit falls back on, should its uc3.yaml not read. */
	v->good = (policy_changed || !c->nparents) && now ? now : p;
	memcpy(v->good_at, c->id, sizeof(v->good_at));
	/* The ids of this commit's tree, from its parent's and what it changes. */
	v->ids_valid = !c->nparents || (v->ids_valid && !strcmp(v->ids_at, c->parent));
	for (i = 0; v->ids_valid && i < nch; i++) {
		const char *slash = strrchr(ch[i].path, '/');
		char id[256];

		if (path_kind(ch[i].path) != PATH_TICKET)
			continue;
		snprintf(id, sizeof(id), "%.*s", (int)(strlen(slash + 1) - 5), slash + 1);
		if (ch[i].old_mode)
			idset_add(&v->ids, id, -1);
		if (ch[i].new_mode)
			idset_add(&v->ids, id, 1);
	}
	memcpy(v->ids_at, c->id, sizeof(v->ids_at));
	uc3_buf_release(&governed);
	return 0;
}

/*
 * $GIT_DIR/uc3/verified: "skew N" and "root ID EMAIL S" lines, then one
 * commit id a line, each found clean under that skew. Anything else in
 * the file makes it ignored.
 */
#define VERIFIED_CACHE "verified"

static void
cache_load(struct uc3_verify_ctx *v)
{
	char *p = uc3_store_cache_path(v->st, VERIFIED_CACHE);
	char line[256];
	long skew = -1;
	FILE *f;

	f = fopen(p, "r");
	free(p);
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char id[64], email[200];
		int s;

		line[strcspn(line, "\n")] = '\0';
		if (sscanf(line, "skew %ld", &skew) == 1)
			continue;
		if (sscanf(line, "root %40s %199s %d", id, email, &s) == 3) {
			memcpy(v->res->root, id, 41);
			v->res->root_signer = uc3_xstrdup(email);
			v->res->root_signed = s;
			continue;
		}
		if (strlen(line) == 42 && line[40] == ' ' && strchr("gnu", line[41]) &&
		    skew == v->o->skew) {
			uc3_xgrow((void **)&v->clean, &v->aclean, v->nclean + 1, sizeof(*v->clean));
			v->clean[v->nclean++] = uc3_xstrdup(line);
		}
	}
	fclose(f);
	if (skew != v->o->skew) {
		v->nclean = 0;
		v->res->root[0] = '\0';
	}
	if (v->nclean)
		qsort(v->clean, v->nclean, sizeof(*v->clean), cmp_id);
}

static void
cache_save(struct uc3_verify_ctx *v)
{
	struct uc3_buf b = UC3_BUF_INIT;
	size_t i;

	if (!v->nfresh && !v->res->root[0])
		return;
	uc3_buf_addf(&b, "skew %ld\n", v->o->skew);
	if (v->res->root[0])
		uc3_buf_addf(&b, "root %s %s %d\n", v->res->root, v->res->root_signer,
			     v->res->root_signed ? 1 : 0);
	for (i = 0; i < v->nclean; i++)
		uc3_buf_addf(&b, "%s\n", v->clean[i]);
	for (i = 0; i < v->nfresh; i++)
		uc3_buf_addf(&b, "%s\n", v->fresh[i]);
	uc3_store_cache_write(v->st, VERIFIED_CACHE, b.ptr, b.len);
	uc3_buf_release(&b);
}

static void
vctx_release(struct uc3_verify_ctx *v)
{
	size_t i;

	for (i = 0; i < v->npol; i++) {
		uc3_policy_free(v->pol[i].p);
		free(v->pol[i].error);
	}
	free(v->pol);
	for (i = 0; i < v->nclean; i++)
		free(v->clean[i]);
	free(v->clean);
	for (i = 0; i < v->nfresh; i++)
		free(v->fresh[i]);
	free(v->fresh);
	free(v->ticket);
	free(v->backfill);
	idset_release(&v->ids);
	for (i = 0; i < v->nacc; i++) {
		free(v->acc[i].by);
		free(v->acc[i].why);
	}
	free(v->acc);
	uc3_verify_reserve_release(v);
}

/*
 * The root of trust: the first commit of the branch whose policy lists
 * people while the policy before it did not. Found from the commits that
 * change uc3.yaml alone, whatever range is audited.
 */
static int
root_visit(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *ctx)
{
	struct uc3_verify_ctx *v = ctx;
	const char *err;
	const struct uc3_policy *before = c->nparents ? policy_at(v, c->parent, &err) : NULL;
	const struct uc3_policy *now = policy_at(v, c->id, &err);

	(void)ch;
	(void)nch;
	if (now && now->npeople && !(before && before->npeople)) {
		memcpy(v->res->root, c->id, sizeof(v->res->root));
		free(v->res->root_signer);
		v->res->root_signer = uc3_xstrdup(c->author_email);
		v->res->root_signed = c->is_signed;
		return 1;
	}
	return 0;
}

/* The acceptances after the range audited: the ids of those that change no file. */
struct ids {
	char **v;
	size_t n, alloc;
};

static int
late_visit(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *ctx)
{
	struct ids *ids = ctx;

	(void)ch;
	(void)nch;
	if (action_is(c->message, "accept")) {
		uc3_xgrow((void **)&ids->v, &ids->alloc, ids->n + 1, sizeof(*ids->v));
		ids->v[ids->n++] = uc3_xstrdup(c->id);
	}
	return 0;
}

static bool
have_accept(const struct uc3_verify_ctx *v, const char *id)
{
	size_t i;

	for (i = 0; i < v->nacc; i++)
		if (!strcmp(v->acc[i].commit, id))
			return true;
	return false;
}

/*
 * A range ends before the tip: the acceptances on the branch after its
 * end are found (a cheap walk of the commits that change no file) and
 * each is audited on its own; the good ones are added to v's.
 */
static int
late_acceptances(struct uc3_verify_ctx *v, const char *range)
{
	const char *dots = range ? strstr(range, "..") : NULL;
	const char *end = dots ? dots + 2 : range;
	struct ids ids = { 0 };
	struct uc3_buf r = UC3_BUF_INIT;
	struct uc3_verify_opts one = *v->o;
	size_t i;
	int rc;

	if (!end || !*end || !*uc3_store_tip(v->st))
		return 0;
	uc3_buf_addf(&r, "%s..%s", end, uc3_store_tip(v->st));
	rc = uc3_history_walk(v->st, r.ptr, UC3_WALK_REVERSE | UC3_WALK_NO_CHANGE, NULL, NULL,
			      late_visit, &ids);
	one.use_cache = false;
	for (i = 0; rc == 0 && i < ids.n; i++) {
		struct uc3_verify_result sub = { 0 };
		struct uc3_verify_ctx sv = { 0 };
		char parent[41];

		if (have_accept(v, ids.v[i]) || uc3_store_parent(parent, v->st, ids.v[i]) < 0)
			continue;
		sv.st = v->st;
		sv.o = &one;
		sv.res = &sub;
		uc3_buf_reset(&r);
		uc3_buf_addf(&r, "%s..%s", parent, ids.v[i]);
		rc = uc3_history_walk(v->st, r.ptr, UC3_WALK_REVERSE | UC3_WALK_ALL_PATHS, NULL,
				      NULL, visit, &sv);
		if (rc == 0 && !sub.nfindings && sv.nacc == 1) {
			uc3_xgrow((void **)&v->acc, &v->aacc, v->nacc + 1, sizeof(*v->acc));
			v->acc[v->nacc++] = sv.acc[0];
			sv.nacc = 0;
		}
		vctx_release(&sv);
		uc3_verify_result_release(&sub);
	}
	uc3_error_clear();
	uc3_strv_free(ids.v, ids.n);
	uc3_buf_release(&r);
	return rc;
}

/*
 * Move the findings of each commit a good acceptance names to the
 * reviewed (the first acceptance of a commit is the one that closed it).
 */
static void
apply_reviews(struct uc3_verify_ctx *v)
{
	struct uc3_verify_result *r = v->res;
	size_t i, j, kept = 0;

	for (i = 0; i < r->nfindings; i++) {
		struct uc3_finding *f = &r->findings[i];
		const struct uc3_accept *a = NULL;

		for (j = 0; !a && j < v->nacc; j++)
			if (f->commit[0] && !strcmp(v->acc[j].accepted, f->commit))
				a = &v->acc[j];
		if (!a) {
			r->findings[kept++] = *f;
			continue;
		}
		uc3_xgrow((void **)&r->reviewed, &r->areviewed, r->nreviewed + 1,
			  sizeof(*r->reviewed));
		r->reviewed[r->nreviewed].finding = *f;
		memcpy(r->reviewed[r->nreviewed].accept, a->commit, sizeof(a->commit));
		r->reviewed[r->nreviewed].by = uc3_xstrdup(a->by);
		r->reviewed[r->nreviewed].at = a->at;
		r->reviewed[r->nreviewed].why = uc3_xstrdup(a->why);
		r->nreviewed++;
	}
	r->nfindings = kept;
}

/*
 * The audit of range into res: with reviews (acceptances seen, findings
 * they close moved) unless push; the cache saved when save. Its findings
 * are in English whatever the language of messages: they are in verify's
 * JSON and in the cache, which stay language-neutral, and the
 * acknowledgements that close them quote them.
 */
static int
run(struct uc3_verify_result *res, struct uc3_store *st, const struct uc3_verify_opts *o,
    const char *range, bool save, bool push)
{
	struct uc3_verify_ctx v = { 0 };
	int rc;

	uc3_i18n_push("en");
	v.st = st;
	v.o = o;
	v.res = res;
	if (o->use_cache)
		cache_load(&v);
	rc = uc3_history_walk(st, range, UC3_WALK_REVERSE | UC3_WALK_ALL_PATHS, NULL,
			      o->use_cache ? skip_clean : NULL, visit, &v);
	if (rc == 0 && !push && range)
		rc = late_acceptances(&v, range);
	if (rc == 0 && !push)
		apply_reviews(&v);
	if (rc == 0 && !res->root[0]) {
		const char *tip =
			range ? range + (strstr(range, "..") ? strstr(range, "..") - range + 2 : 0)
			      : NULL;

		rc = uc3_history_walk(st, tip && *tip ? tip : NULL, UC3_WALK_REVERSE,
				      UC3_POLICY_FILE, NULL, root_visit, &v);
		if (rc > 0)
			rc = 0;
	}
	if (rc == 0 && o->trust) {
		size_t n = strlen(o->trust);

		if (!res->root[0])
			uc3_verify_finding(&v, "", NULL,
					   "no root of trust: no policy in this history lists "
					   "people, but --trust %s was given",
					   o->trust);
		else if (n < 4 || strncmp(res->root, o->trust, n))
			uc3_verify_finding(&v, res->root, NULL,
					   "the root of trust is %.12s, not the pinned %s",
					   res->root, o->trust);
	}
	if (rc == 0 && save && o->use_cache)
		cache_save(&v);
	vctx_release(&v);
	uc3_i18n_pop();
	return rc;
}

int
uc3_verify(struct uc3_verify_result *res, struct uc3_store *st, const struct uc3_verify_opts *o)
{
	size_t i;
	int rc;

	memset(res, 0, sizeof(*res));
	if ((rc = run(res, st, o, o->range, true, false)) < 0)
		return rc;
	for (i = 0; i < res->nunconfirmed; i++)
		res->unconfirmed[i].received = uc3_verify_received(st, res->unconfirmed[i].commit);
	return 0;
}

char *
uc3_verify_received(struct uc3_store *st, const char *commit)
{
	char *note = NULL, *at = NULL;

	if (uc3_store_note_read(&note, st, UC3_RECEIVED_REF, commit) < 0)
		uc3_error_clear();
	else if (note && !strncmp(note, RECEIVED_WORD, strlen(RECEIVED_WORD)))
		at = uc3_xstrndup(note + strlen(RECEIVED_WORD),
				  strcspn(note + strlen(RECEIVED_WORD), "\n"));
	free(note);
	return at;
}

int
uc3_verify_push(struct uc3_verify_result *res, struct uc3_store *st, int fd,
		const struct uc3_verify_opts *o)
{
	static const char zeros[] = "0000000000000000000000000000000000000000";
	struct uc3_buf in = UC3_BUF_INIT;
	struct uc3_verify_opts po = *o;
	char *line, *save = NULL;
	int rc;

	memset(res, 0, sizeof(*res));
	uc3_clock_serve();
	if ((rc = uc3_clock_now(&po.now)) < 0)
		return rc;
	po.central = true;
	if ((rc = uc3_history_use_quarantine(st)) < 0 ||
	    (rc = uc3_buf_read_limited(&in, fd, HOOK_INPUT_MAX, _("the hook's input"))) < 0) {
		uc3_buf_release(&in);
		return rc;
	}
	/* What is pushed is not accepted yet: nothing of it goes into the cache. */
	po.use_cache = false;
	for (line = strtok_r(in.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char old[64], newer[64], ref[1024];
		struct uc3_buf range = UC3_BUF_INIT;
		struct uc3_verify_ctx v = { 0 };

		v.res = res;
		v.o = &po;
		if (sscanf(line, "%63s %63s %1023s", old, newer, ref) != 3)
			continue;
		if (strcmp(ref, uc3_store_branch(st)))
			continue;
		if (!strcmp(newer, zeros)) {
			uc3_verify_finding(&v, old, NULL, "deletes the records branch %s", ref);
			continue;
		}
		if (strcmp(old, zeros) && !uc3_store_is_ancestor(st, old, newer)) {
			uc3_verify_finding(
				&v, newer, NULL,
				"rewrites the history of %s (not a fast-forward from %.7s)", ref,
				old);
			continue;
		}
		if (strcmp(old, zeros))
			uc3_buf_addf(&range, "%s..%s", old, newer);
		else
			uc3_buf_adds(&range, newer);
		rc = run(res, st, &po, range.ptr, false, true);
		uc3_buf_release(&range);
		if (rc < 0)
			break;
	}
	uc3_buf_release(&in);
	return rc;
}

/* The post-receive hook's walk: a note on each commit whose time is not confirmed. */
struct received {
	struct uc3_store *st;
	struct uc3_buf text;
	time_t now;
	size_t noted;
};

static int
receive_visit(const struct uc3_commit *c, const struct uc3_change *ch, size_t nch, void *ctx)
{
	struct received *rc = ctx;
	char *off = uc3_message_trailer(c->message, UC3_TRAILER_OFFLINE);
	char *bf = uc3_message_trailer(c->message, UC3_TRAILER_BACKFILL);
	int err = 0;

	(void)ch;
	(void)nch;
	if (off || bf) {
		err = uc3_store_note_add(rc->st, UC3_RECEIVED_REF, c->id, rc->text.ptr, rc->now);
		if (err == 0)
			rc->noted++;
	}
	free(off);
	free(bf);
	return err < 0 ? err : 0;
}

int
uc3_verify_post_receive(size_t *noted, struct uc3_store *st, int fd)
{
	static const char zeros[] = "0000000000000000000000000000000000000000";
	const struct uc3_policy *p = uc3_store_policy(st);
	struct received r = { st, UC3_BUF_INIT, 0, 0 };
	struct uc3_buf in = UC3_BUF_INIT;
	char *line, *save = NULL;
	int rc;

	*noted = 0;
	uc3_clock_serve();
	if ((rc = uc3_buf_read_limited(&in, fd, HOOK_INPUT_MAX, _("the hook's input"))) < 0 ||
	    (rc = uc3_clock_now(&r.now)) < 0)
		goto out;
	uc3_buf_adds(&r.text, RECEIVED_WORD);
	if ((rc = uc3_clock_format(&r.text, r.now, p ? p->timezone : NULL)) < 0)
		goto out;
	uc3_buf_addch(&r.text, '\n');
	for (line = strtok_r(in.ptr, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char old[64], newer[64], ref[1024];
		struct uc3_buf range = UC3_BUF_INIT;

		if (sscanf(line, "%63s %63s %1023s", old, newer, ref) != 3 ||
		    strcmp(ref, uc3_store_branch(st)) || !strcmp(newer, zeros))
			continue;
		if (strcmp(old, zeros))
			uc3_buf_addf(&range, "%s..%s", old, newer);
		else
			uc3_buf_adds(&range, newer);
		rc = uc3_history_walk(st, range.ptr, UC3_WALK_REVERSE, NULL, NULL, receive_visit,
				      &r);
		uc3_buf_release(&range);
		if (rc < 0)
			break;
	}
out:
	*noted = r.noted;
	uc3_buf_release(&r.text);
	uc3_buf_release(&in);
	return rc < 0 ? rc : 0;
}

void
uc3_verify_result_release(struct uc3_verify_result *res)
{
	size_t i;

	for (i = 0; i < res->nunconfirmed; i++) {
		free(res->unconfirmed[i].ticket);
		free(res->unconfirmed[i].reason);
		free(res->unconfirmed[i].by);
		free(res->unconfirmed[i].dated);
		free(res->unconfirmed[i].received);
	}
	free(res->unconfirmed);

	for (i = 0; i < res->nfindings; i++) {
		free(res->findings[i].ticket);
		free(res->findings[i].what);
	}
	free(res->findings);
	for (i = 0; i < res->nreviewed; i++) {
		free(res->reviewed[i].finding.ticket);
		free(res->reviewed[i].finding.what);
		free(res->reviewed[i].by);
		free(res->reviewed[i].why);
	}
	free(res->reviewed);
	free(res->verdicts);
	free(res->root_signer);
	memset(res, 0, sizeof(*res));
}
