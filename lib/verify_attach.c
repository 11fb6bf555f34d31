/*
 * The audit of attachments (uc3 attach): a file beside a ticket,
 * tickets/YEAR/MM/ID/NAME, is added by an attach commit together with its
 * ticket's file, whose new entries name it, its size and its blob; it is
 * never changed or removed afterwards.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "attach.h"
#include "error.h"
#include "message.h"
#include "records.h"
#include "transition.h"
#include "verify_int.h"
#include "xalloc.h"

static bool
attach_commit(const struct uc3_commit *c)
{
	char *a = uc3_message_trailer(c->message, "Action");
	bool yes = a && !strcmp(a, "attach");

	free(a);
	return yes;
}

void
uc3_verify_check_attachment(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			    const struct uc3_change *ch, const char *ticket_path)
{
	char *of = NULL, *id = NULL;
	const char *tid = v->ticket;

	if (!uc3_records_attachment_of(ch->path, &of))
		return;
	/* A commit that changes no ticket file: name the ticket of the folder. */
	if (!tid) {
		const char *slash = strrchr(of, '/');

		id = uc3_xstrndup(slash + 1, strlen(slash + 1) - 5);
		tid = id;
	}
	if (ch->old_mode && !ch->new_mode)
		uc3_verify_finding(v, c->id, tid,
				   "removes the attachment %s; an attachment is never changed or "
				   "removed",
				   ch->path);
	else if (ch->old_mode)
		uc3_verify_finding(v, c->id, tid,
				   "changes the attachment %s; an attachment is never changed or "
				   "removed",
				   ch->path);
	else if (!attach_commit(c))
		uc3_verify_finding(v, c->id, tid,
				   "adds %s, which only uc3 attach adds (Action: attach)",
				   ch->path);
	else if (!ticket_path)
		uc3_verify_finding(
			v, c->id, tid,
			"adds %s without changing one ticket file: uc3 attach lists what "
			"it adds in its ticket, in the same commit",
			ch->path);
	else if (strcmp(of, ticket_path))
		uc3_verify_finding(v, c->id, tid,
				   "adds %s, in the folder of another ticket than the one this "
				   "commit attaches to (%s)",
				   ch->path, ticket_path);
	free(of);
	free(id);
}

/* The change of the commit at path, or NULL. */
static const struct uc3_change *
change_at(const struct uc3_verify_ctx *v, const char *path)
{
	size_t i;

	for (i = 0; i < v->nchanges; i++)
		if (!strcmp(v->changes[i].path, path))
			return &v->changes[i];
	return NULL;
}

/*
 * The entries newer appends (from first on) against the files the commit
 * adds in the ticket's folder: each entry a file added with its blob and
 * size, each file added an entry. True when they agree; else a finding.
 */
static bool
entries_match(struct uc3_verify_ctx *v, const struct uc3_commit *c, const struct uc3_change *tch,
	      const struct uc3_ticket *newer, size_t first)
{
	size_t i, j;
	bool ok = true;

	for (i = first; ok && i < newer->nattachments; i++) {
		const struct uc3_attachment *e = &newer->attachments[i];
		char *path = uc3_records_attachment_path(tch->path, e->name);
		const struct uc3_change *ch = change_at(v, path);

		if (!ch || ch->old_mode || !ch->new_mode) {
			uc3_verify_finding(v, c->id, newer->id,
					   "attachments[%zu] (%s): the commit adds no file %s", i,
					   e->name, path);
			ok = false;
		} else if (strcmp(ch->new_id, e->blob)) {
			uc3_verify_finding(
				v, c->id, newer->id,
				"attachments[%zu] (%s) names blob %s, but the commit adds "
				"%s as blob %s",
				i, e->name, e->blob, path, ch->new_id);
			ok = false;
		} else if (ch->new_len != e->size) {
			uc3_verify_finding(v, c->id, newer->id,
					   "attachments[%zu] (%s) says %zu bytes, but the commit "
					   "adds %zu",
					   i, e->name, e->size, ch->new_len);
			ok = false;
		}
		free(path);
	}
	/* And nothing else is added beside the ticket. */
	for (j = 0; ok && j < v->nchanges; j++) {
		const struct uc3_change *ch = &v->changes[j];
		char *of = NULL;
		const char *name = strrchr(ch->path, '/');

		if (ch->new_mode && !ch->old_mode && uc3_records_attachment_of(ch->path, &of) &&
		    !strcmp(of, tch->path)) {
			const struct uc3_attachment *e = uc3_ticket_attachment(newer, name + 1);

			if (!e || (size_t)(e - newer->attachments) < first) {
				uc3_verify_finding(v, c->id, newer->id,
						   "adds %s, which the attachments it appends do "
						   "not list",
						   ch->path);
				ok = false;
			}
		}
		free(of);
	}
	return ok;
}

int
uc3_verify_replay_attach(struct uc3_verify_ctx *v, const struct uc3_commit *c,
			 const struct uc3_change *ch, const struct uc3_ticket *newer,
			 const struct uc3_policy *p, time_t at, struct uc3_ticket **want,
			 struct uc3_buf *msg)
{
	const struct uc3_event *ev = &newer->events[newer->nevents - 1];
	struct uc3_ticket *old = NULL;
	struct uc3_attach a = { 0 };
	size_t first;

	*want = NULL;
	if (!ch->old_data || uc3_ticket_parse(&old, ch->old_data, ch->old_len, ch->path) < 0) {
		uc3_error_clear();
		uc3_verify_finding(v, c->id, newer->id,
				   "Action attach, but the ticket was not there before");
		return -1;
	}
	first = old->nattachments;
	if (newer->nattachments <= first) {
		uc3_verify_finding(v, c->id, newer->id,
				   "Action attach, but the ticket lists no new attachment");
		goto fail;
	}
	if (uc3_transition_may_register(p, ev->by) < 0) {
		if (!v->stranger)
			uc3_verify_finding_kind(v, UC3_FIND_ROLE, c->id, newer->id, "%s",
						uc3_error_last());
		goto fail;
	}
	if (!entries_match(v, c, ch, newer, first))
		goto fail;
	a.policy = p;
	a.actor = ev->by;
	a.now = at;
	a.note = ev->note;
	a.files = newer->attachments + first;
	a.nfiles = newer->nattachments - first;
	if (uc3_attach_apply(old, &a, msg) < 0) {
		uc3_verify_finding(v, c->id, newer->id, "uc3 attach refuses it: %s",
				   uc3_error_last());
		goto fail;
	}
	*want = old;
	return 0;
fail:
	uc3_error_clear();
	uc3_ticket_free(old);
	return -1;
}
