#ifndef UC3_PAPER_H
#define UC3_PAPER_H

#include <stddef.h>
#include <time.h>

#include "buf.h"
#include "policy.h"
#include "store.h"
#include "ticket.h"
#include "trail.h"
#include "ydoc.h"

/*
 * The paper record: a ticket as one printable A4 form, an HTML page
 * made from the template ticket.html (uc3 show --format html), for the
 * SOP's records "elektronik dan manual". What the template sees is
 * listed in uc3-show(1).
 */

/* The template of the form, and the most bytes of a template read. */
#define UC3_PAPER_TEMPLATE     "ticket.html"
#define UC3_PAPER_TEMPLATE_MAX (256 * 1024)

/*
 * A template by file name: templates/NAME of the records at the branch
 * tip, which an office may change, else NAME in datadir/templates (the
 * installed copy; datadir may be NULL). Appends it to out. Returns 0,
 * or UC3_ENOTFOUND when neither has it, naming both places.
 */
int uc3_paper_template(struct uc3_buf *out, struct uc3_store *st, const char *datadir,
		       const char *name);

/*
 * The data the form's template sees for ticket t (its file at path)
 * under policy p at now, with commits[0..ncommits) the commits that
 * changed it, oldest first, their signatures checked (trail.h). Every
 * value is a string; a field the ticket lacks is "" in every item, so
 * that a name inside a section never falls through to an outer one.
 * Free with uc3_ynode_free.
 */
struct uc3_ynode *
uc3_paper_context(const struct uc3_ticket *t, const char *path, const struct uc3_policy *p,
		  const struct uc3_trail_commit *commits, size_t ncommits, time_t now);

/*
 * Render the form of t into out: uc3_paper_context through the template
 * tmpl[0..len) (called name in messages) in UC3_TMPL_HTML mode, so that
 * every value is escaped. Returns 0 or UC3_EINVAL for a malformed
 * template.
 */
int uc3_paper_render(struct uc3_buf *out, const char *tmpl, size_t len, const char *name,
		     const struct uc3_ticket *t, const char *path, const struct uc3_policy *p,
		     const struct uc3_trail_commit *commits, size_t ncommits, time_t now);

#endif
