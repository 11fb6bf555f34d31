#include "act.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdlib.h>

#include "clock.h"
#include "error.h"
#include "i18n.h"
#include "input.h"
#include "notify.h"
#include "ops.h"
#include "records.h"
#include "store.h"
#include "tool.h"
#include "transition.h"
#include "utf8.h"

static void
add_warning(char **warning, const char *fmt, ...)
{
	struct uc3_buf b = UC3_BUF_INIT;
	va_list ap;

	if (*warning)
		uc3_buf_addf(&b, "%s\n", *warning);
	va_start(ap, fmt);
	uc3_buf_vaddf(&b, uc3_i18n_tr(fmt), ap);
	va_end(ap);
	free(*warning);
	*warning = uc3_buf_detach(&b);
}

/*
 * "The question reached you": mail the holders of the level t was
 * escalated to (notify.holders). The escalation stands whatever happens
 * here; what could not be sent is a warning, and uc3 overdue --mail
 * tries again.
 */
static void
tell_holders(struct uc3_buf *summary, char **warning, struct uc3_store *st,
	     const struct uc3_ticket *t)
{
	struct uc3_notify_outcome o = { 0 };
	struct uc3_buf line = UC3_BUF_INIT;
	time_t now;

	if (uc3_clock_now(&now) < 0 ||
	    uc3_notify_escalated(&o, st, t->id, now, uc3_tool_datadir()) < 0) {
		add_warning(warning, _("%s: the holders of %s were not told by mail: %s"), t->id,
			    t->level, uc3_error_last());
		uc3_error_clear();
		uc3_notify_outcome_release(&o);
		return;
	}
	if (o.told) {
		/* TRANSLATORS: after uc3 escalate's line: the ticket, the addresses told. */
		uc3_buf_addf(&line, _("%s: told by mail: %s"), t->id, o.told);
		uc3_buf_addch(summary, '\n');
		uc3_utf8_cell(summary, line.ptr);
	}
	if (o.failed)
		/* TRANSLATORS: the ticket, how many, the role, the mail error. */
		add_warning(warning,
			    ngettext("%s: %zu holder of %s was not told by mail: %s; uc3 overdue "
				     "--mail tries again",
				     "%s: %zu holders of %s were not told by mail: %s; uc3 overdue "
				     "--mail tries again",
				     o.failed),
			    t->id, o.failed, t->level, o.error);
	else if (o.nobody)
		add_warning(warning,
			    _("%s: nobody was told by mail: uc3.yaml lists nobody with the role %s "
			      "and no notify.fallback"),
			    t->id, t->level);
	uc3_buf_release(&line);
	uc3_notify_outcome_release(&o);
}

int
uc3_act_run(struct uc3_buf *summary, char **warning, const char *dir, const char *id,
	    struct uc3_act *act, const char *file)
{
	struct uc3_store *st = NULL;
	struct uc3_ticket *t = NULL;
	struct uc3_write_result res = { 0 };
	struct uc3_buf text = UC3_BUF_INIT, line = UC3_BUF_INIT;
	const char *typed_of = act->of;
	char *full = NULL, *of = NULL;
	bool read_text = false;
	int rc;

	*warning = NULL;
	if ((rc = uc3_store_open(&st, dir)) < 0 || (rc = uc3_records_id(&full, st, id)) < 0)
		goto out;
	id = full;
	if (act->of) {
		if ((rc = uc3_records_id(&of, st, act->of)) < 0) {
			uc3_error_prefix(rc, "--of");
			goto out;
		}
		act->of = of;
	}
	if (act->action == UC3_ACT_ANSWER && !act->text) {
		const struct uc3_policy *p = uc3_store_policy(st);
		struct uc3_buf hint = UC3_BUF_INIT;

		if ((rc = uc3_op_transition_check(st, id, act)) < 0)
			goto out;
		uc3_buf_addf(&hint,
			     "Tulis jawaban untuk %s di atas baris ini.\n"
			     "Write the answer to %s above.\n"
			     "Lines starting with '#' are ignored; an empty answer aborts.\n",
			     id, id);
		rc = uc3_input_text(&text, st, file, hint.ptr,
				    p->body_limit ? p->body_limit : UC3_BODY_LIMIT_DEFAULT,
				    _("the answer"));
		uc3_buf_release(&hint);
		if (rc < 0)
			goto out;
		act->text = text.ptr;
		read_text = true;
	}
	if ((rc = uc3_op_transition(st, id, act, &t, &res)) < 0)
		goto out;
	uc3_transition_summary(&line, t, uc3_store_policy(st));
	/* It names the ticket's unit and level, which a hand edit can fill with anything. */
	uc3_utf8_cell(summary, line.ptr);
	*warning = res.warning;
	res.warning = NULL;
	if (act->action == UC3_ACT_ESCALATE)
		tell_holders(summary, warning, st, t);
	rc = 0;
out:
	if (read_text)
		act->text = NULL; /* it was text's, released below */
	act->of = typed_of;
	free(full);
	free(of);
	uc3_write_result_release(&res);
	uc3_ticket_free(t);
	uc3_store_free(st);
	uc3_buf_release(&text);
	uc3_buf_release(&line);
	return rc;
}
