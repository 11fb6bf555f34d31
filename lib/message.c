#include "message.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

void
uc3_message_new(struct uc3_buf *msg, const struct uc3_ticket *t)
{
	uc3_buf_addf(msg, "%s: new %s: %s\n\n", t->id, t->kind, t->subject);
	uc3_buf_addf(msg,
		     "Ticket: %s\nAction: new\nKind: %s\nChannel: %s\n"
		     "To-Level: %s\nDeadline: %s\n",
		     t->id, t->kind, t->channel, t->level, t->deadline);
	if (t->quarantined)
		uc3_buf_addf(msg, "Quarantine: %s\n", t->quarantined);
}

void
uc3_message_quarantine(struct uc3_buf *msg, const char *path, const char *why)
{
	uc3_buf_addf(msg,
		     "quarantine: a mail uc3 could not read\n\n%s\n\n"
		     "Action: quarantine\nQuarantine: %s\n",
		     why, path);
}

/* The trailers of a deliver by mail: how, to whom, which mail. */
static void
add_mailed(struct uc3_buf *msg, const struct uc3_event *ev)
{
	uc3_buf_addf(msg, "Delivered: mail\nTo: %s\nMessage-ID: %s\n", ev->to,
		     ev->message_id ? ev->message_id : "");
}

void
uc3_message_answer_sent(struct uc3_buf *msg, const struct uc3_ticket *t)
{
	const struct uc3_event *ans = &t->events[t->nevents - 2];
	const struct uc3_event *del = &t->events[t->nevents - 1];
	const char *step = ans->step.name ? ans->step.name : "";
	bool late = ans->step.late || del->step.late;

	uc3_buf_addf(msg, "%s: answer at %s", t->id, t->level);
	if (ans->role)
		uc3_buf_addf(msg, ", taken over from %s,", step);
	uc3_buf_addf(msg, " and deliver by mail to %s", del->to);
	if (late)
		uc3_buf_addf(msg, " (%s step late)", ans->step.late ? step : "deliver");
	uc3_buf_adds(msg, "\n\n");
	if (ans->note && *ans->note)
		uc3_buf_addf(msg, "%s%s\n", ans->note,
			     ans->note[strlen(ans->note) - 1] == '\n' ? "" : "\n");
	uc3_buf_addf(msg, "Ticket: %s\nAction: answer\nLevel: %s\n", t->id, t->level);
	if (ans->role)
		uc3_buf_addf(msg, "Taken-Over-From: %s\n", step);
	uc3_buf_addf(msg, "Step: %s\nLate: %s\n", step, ans->step.late ? "yes" : "no");
	add_mailed(msg, del);
	uc3_buf_addf(msg, "Deadline: %s\n", t->deadline);
}

void
uc3_message_step(struct uc3_buf *msg, const struct uc3_ticket *t)
{
	const struct uc3_event *ev = &t->events[t->nevents - 1];
	const char *step = ev->step.name ? ev->step.name : "";
	bool mailed = !strcmp(ev->action, "deliver") && ev->to;
	bool moved = ev->from && ev->to && !mailed;
	bool answer = !strcmp(ev->action, "answer");

	uc3_buf_addf(msg, "%s: %s", t->id, ev->action);
	if (moved)
		uc3_buf_addf(msg, " %s -> %s", ev->from, ev->to);
	else if (answer)
		uc3_buf_addf(msg, " at %s", t->level);
	else if (mailed)
		uc3_buf_addf(msg, " by mail to %s", ev->to);
	if (answer && ev->role)
		uc3_buf_addf(msg, ", taken over from %s", step);
	if (ev->step.late)
		uc3_buf_addf(msg, " (%s step late)", step);
	uc3_buf_adds(msg, "\n\n");
	if (ev->note && *ev->note)
		uc3_buf_addf(msg, "%s%s\n", ev->note,
			     ev->note[strlen(ev->note) - 1] == '\n' ? "" : "\n");
	uc3_buf_addf(msg, "Ticket: %s\nAction: %s\n", t->id, ev->action);
	if (moved)
		uc3_buf_addf(msg, "From-Level: %s\nTo-Level: %s\n", ev->from, ev->to);
	else if (answer)
		uc3_buf_addf(msg, "Level: %s\n", t->level);
	if (answer && ev->role)
		uc3_buf_addf(msg, "Taken-Over-From: %s\n", step);
	if (mailed)
		add_mailed(msg, ev);
	uc3_buf_addf(msg, "Step: %s\nLate: %s\n", step, ev->step.late ? "yes" : "no");
	if (!strcmp(ev->action, "close"))
		uc3_buf_addf(msg, "Unit: %s\n", t->unit);
	else
		uc3_buf_addf(msg, "Deadline: %s\n", t->deadline);
}

void
uc3_message_followup(struct uc3_buf *msg, const struct uc3_ticket *t)
{
	const struct uc3_event *ev = &t->events[t->nevents - 1];

	uc3_buf_addf(msg, "%s: followup from %s\n\nTicket: %s\nAction: followup\n", t->id,
		     ev->sender ? ev->sender : "", t->id);
	if (ev->message_id)
		uc3_buf_addf(msg, "Message-ID: %s\n", ev->message_id);
}

void
uc3_message_correction(struct uc3_buf *msg, const struct uc3_ticket *t)
{
	const struct uc3_event *ev = &t->events[t->nevents - 1];
	bool edit = !strcmp(ev->action, "edit"), reopen = !strcmp(ev->action, "reopen");
	const char *was = reopen && ev->nchanges ? ev->changes[0].before : NULL;
	struct uc3_buf fields = UC3_BUF_INIT;
	size_t i;

	for (i = 0; edit && i < ev->nchanges; i++)
		uc3_buf_addf(&fields, "%s%s", i ? ", " : "", ev->changes[i].field);
	uc3_buf_addf(msg, "%s: %s", t->id, ev->action);
	if (edit)
		uc3_buf_addf(msg, " %s", fields.ptr);
	else if (reopen)
		uc3_buf_addf(msg, " %s -> open at %s", was ? was : "?", t->level);
	else if (ev->as)
		uc3_buf_addf(msg, " as %s%s%s", ev->as, ev->of ? " of " : "", ev->of ? ev->of : "");
	if (ev->step.name && ev->step.late)
		uc3_buf_addf(msg, " (%s step late)", ev->step.name);
	uc3_buf_adds(msg, "\n\n");
	if (ev->note && *ev->note)
		uc3_buf_addf(msg, "%s%s\n", ev->note,
			     ev->note[strlen(ev->note) - 1] == '\n' ? "" : "\n");
	uc3_buf_addf(msg, "Ticket: %s\nAction: %s\n", t->id, ev->action);
	if (edit)
		uc3_buf_addf(msg, "Fields: %s\n", fields.ptr);
	if (reopen) {
		uc3_buf_addf(msg, "From-Status: %s\n", was ? was : "?");
		if (ev->from)
			uc3_buf_addf(msg, "From-Level: %s\n", ev->from);
		uc3_buf_addf(msg, "To-Level: %s\n", ev->to ? ev->to : "?");
	}
	if (ev->as)
		uc3_buf_addf(msg, "As: %s\n", ev->as);
	if (ev->of)
		uc3_buf_addf(msg, "Of: %s\n", ev->of);
	if (ev->step.name)
		uc3_buf_addf(msg, "Step: %s\nLate: %s\n", ev->step.name,
			     ev->step.late ? "yes" : "no");
	if (reopen)
		uc3_buf_addf(msg, "Deadline: %s\n", t->deadline);
	uc3_buf_release(&fields);
}

void
uc3_message_attach(struct uc3_buf *msg, const struct uc3_ticket *t, size_t n)
{
	const struct uc3_event *ev = &t->events[t->nevents - 1];
	size_t i, first = t->nattachments - n;

	if (n == 1)
		uc3_buf_addf(msg, "%s: attach %s\n\n", t->id, t->attachments[first].name);
	else
		uc3_buf_addf(msg, "%s: attach %zu files\n\n", t->id, n);
	if (ev->note && *ev->note)
		uc3_buf_addf(msg, "%s%s\n", ev->note,
			     ev->note[strlen(ev->note) - 1] == '\n' ? "" : "\n");
	uc3_buf_addf(msg, "Ticket: %s\nAction: attach\n", t->id);
	for (i = first; i < t->nattachments; i++)
		uc3_buf_addf(msg, "Attachment: %s\n", t->attachments[i].name);
}

void
uc3_message_notices(struct uc3_buf *msg, size_t total, size_t tickets,
		    const struct uc3_message_notice *nv, size_t n)
{
	struct uc3_buf abouts = UC3_BUF_INIT;
	bool all_late = true;
	size_t i, j;

	for (i = 0; i < n; i++) {
		const char *a = nv[i].about ? nv[i].about : "late";

		if (nv[i].about)
			all_late = false;
		for (j = 0; j < i; j++)
			if (!strcmp(nv[j].about ? nv[j].about : "late", a))
				break;
		if (j == i)
			uc3_buf_addf(&abouts, "%s%s", abouts.len ? ", " : "", a);
	}
	if (all_late)
		uc3_buf_addf(msg, "overdue: %zu notice%s of late steps, %zu ticket%s\n\n", total,
			     total == 1 ? "" : "s", tickets, tickets == 1 ? "" : "s");
	else if (tickets == 1 && n && total == 1)
		uc3_buf_addf(msg, "%s: notice %s to %s\n\n", nv[0].id, abouts.ptr, nv[0].email);
	else if (tickets == 1 && n)
		uc3_buf_addf(msg, "%s: notice %s to %zu people\n\n", nv[0].id, abouts.ptr, total);
	else
		uc3_buf_addf(msg, "notice: %zu mail%s (%s), %zu ticket%s\n\n", total,
			     total == 1 ? "" : "s", abouts.ptr, tickets, tickets == 1 ? "" : "s");
	uc3_buf_release(&abouts);
	for (i = 0; i < n; i++) {
		if (!nv[i].about)
			uc3_buf_addf(msg, "%s %s: %s\n", nv[i].id, nv[i].step, nv[i].email);
		else
			uc3_buf_addf(msg, "%s %s%s%s: %s\n", nv[i].id, nv[i].about,
				     nv[i].step ? " " : "", nv[i].step ? nv[i].step : "",
				     nv[i].email);
	}
	uc3_buf_adds(msg, "\nAction: notice\n");
}

void
uc3_message_init(struct uc3_buf *msg, const char *office)
{
	uc3_buf_addf(msg,
		     "Start the records of %s\n\n"
		     "The policy uc3.yaml, this repository's README and its templates.\n\n"
		     "Action: init\n",
		     office);
}

void
uc3_message_reserve(struct uc3_buf *msg, const char *first, const char *last)
{
	uc3_buf_addf(msg, "reserve %s to %s for offline use\n\nAction: reserve\nReserved: %s..%s\n",
		     first, last, first, last);
}

void
uc3_message_person_add(struct uc3_buf *msg, const char *email, const char *role)
{
	uc3_buf_addf(msg, "policy: add %s as %s\n\nPerson: %s\nRole: %s\nAction: person-add\n",
		     email, strcmp(role, "service") ? role : "a service identity", email, role);
}

void
uc3_message_person_remove(struct uc3_buf *msg, const char *email)
{
	uc3_buf_addf(msg, "policy: remove %s\n\nPerson: %s\nAction: person-remove\n", email, email);
}

void
uc3_message_accept(struct uc3_buf *msg, const char *commit, const char *reason)
{
	size_t first = strcspn(reason, "\n");
	size_t len = strlen(reason);

	while (len && reason[len - 1] == '\n')
		len--;
	uc3_buf_addf(msg, "verify: accept %.7s: %.*s\n\n%.*s\n\nAction: accept\nAccepted: %s\n",
		     commit, (int)first, reason, (int)len, reason, commit);
}

char *
uc3_message_trailer(const char *msg, const char *key)
{
	const char *para = msg, *p;
	size_t klen = strlen(key);

	for (p = msg; (p = strstr(p, "\n\n")); p += 2)
		if (p[2])
			para = p + 2;
	for (p = para; p && *p;) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		if (len > klen + 2 && !strncmp(p, key, klen) && p[klen] == ':' &&
		    p[klen + 1] == ' ')
			return uc3_xstrndup(p + klen + 2, len - klen - 2);
		p = nl ? nl + 1 : NULL;
	}
	return NULL;
}

void
uc3_message_parse(struct uc3_message *m, const char *msg)
{
	const char *nl = strchr(msg, '\n');
	const char *rest = nl ? nl + 1 : msg + strlen(msg);
	const char *para = NULL, *p, *end;

	memset(m, 0, sizeof(*m));
	m->subject = uc3_xstrndup(msg, (size_t)(rest - msg) - (nl ? 1 : 0));
	for (p = msg; (p = strstr(p, "\n\n")); p += 2)
		if (p[2] && p + 2 > rest)
			para = p + 2;
	if (para && strspn(para, "\n") == strlen(para))
		para = NULL;
	end = para ? para : rest + strlen(rest);
	while (rest < end && *rest == '\n')
		rest++;
	while (end > rest && end[-1] == '\n')
		end--;
	m->text = uc3_xstrndup(rest, (size_t)(end - rest));
	for (p = para; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t len = eol ? (size_t)(eol - p) : strlen(p);
		const char *colon = memchr(p, ':', len);
		struct uc3_message_trailer *t;

		if (len) {
			uc3_xgrow((void **)&m->tr, &m->atr, m->ntr + 1, sizeof(*m->tr));
			t = &m->tr[m->ntr++];
			memset(t, 0, sizeof(*t));
			if (colon && colon + 1 < p + len && colon[1] == ' ') {
				t->key = uc3_xstrndup(p, (size_t)(colon - p));
				t->value = uc3_xstrndup(colon + 2, len - (size_t)(colon - p) - 2);
			} else {
				t->key = uc3_xstrndup(p, len);
			}
		}
		p = eol ? eol + 1 : NULL;
	}
}

void
uc3_message_release(struct uc3_message *m)
{
	size_t i;

	for (i = 0; i < m->ntr; i++) {
		free(m->tr[i].key);
		free(m->tr[i].value);
	}
	free(m->tr);
	free(m->subject);
	free(m->text);
	memset(m, 0, sizeof(*m));
}

/* Quote s, or only its start when it is long. */
static void
add_quoted(struct uc3_buf *out, const char *s)
{
	if (strlen(s) <= 120)
		uc3_buf_addf(out, "'%s'", s);
	else
		uc3_buf_addf(out, "'%.100s...'", s);
}

static bool
same(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

bool
uc3_message_compare(struct uc3_buf *why, const char *want, const char *got)
{
	struct uc3_message w, g;
	size_t start = why->len, i, j;

	uc3_message_parse(&w, want);
	uc3_message_parse(&g, got);
	if (strcmp(w.subject, g.subject)) {
		uc3_buf_adds(why, "the subject is ");
		add_quoted(why, g.subject);
		uc3_buf_adds(why, " where uc3 writes ");
		add_quoted(why, w.subject);
	}
	if (strcmp(w.text, g.text))
		uc3_buf_addf(why, "%sits text is not the event's note",
			     why->len > start ? "; " : "");
	for (i = 0; i < w.ntr; i++) {
		struct uc3_message_trailer *t = &w.tr[i], *hit = NULL;

		for (j = 0; j < g.ntr && !hit; j++)
			if (!g.tr[j].matched && !strcmp(g.tr[j].key, t->key))
				hit = &g.tr[j];
		if (!hit) {
			uc3_buf_addf(why, "%sno %s trailer where uc3 writes %s",
				     why->len > start ? "; " : "", t->key,
				     t->value ? t->value : "");
			continue;
		}
		hit->matched = true;
		if (same(hit->value, t->value))
			continue;
		uc3_buf_addf(why, "%s%s: %s where uc3 writes %s", why->len > start ? "; " : "",
			     t->key, hit->value ? hit->value : "", t->value ? t->value : "");
	}
	for (j = 0; j < g.ntr; j++) {
		if (g.tr[j].matched)
			continue;
		/* What a write made offline adds to any message (uc3-sync(1)). */
		if (!strcmp(g.tr[j].key, UC3_TRAILER_OFFLINE) && same(g.tr[j].value, "yes"))
			continue;
		if (g.tr[j].value)
			uc3_buf_addf(why, "%sa %s trailer, which uc3 does not write",
				     why->len > start ? "; " : "", g.tr[j].key);
		else
			uc3_buf_addf(why,
				     "%sa line '%s' among the trailers, which uc3 does not write",
				     why->len > start ? "; " : "", g.tr[j].key);
	}
	uc3_message_release(&w);
	uc3_message_release(&g);
	return why->len == start;
}
