#ifndef UC3_TMPL_H
#define UC3_TMPL_H

#include <stddef.h>

#include "buf.h"
#include "ydoc.h"

/*
 * Templates for mail and reports: a small subset of mustache.
 *
 *   {{name}}            the value of name (a dotted path: ticket.id); "." is
 *                       the current item; a missing name is empty
 *   {{#name}}...{{/name}}  a section: once per item of a sequence (each
 *                       item's keys in scope), once for a map, once for a
 *                       true scalar (anything but "", "false", "0")
 *   {{^name}}...{{/name}}  an inverted section: once when name is
 *                       missing, empty, false or an empty sequence
 *   {{! comment }}      nothing
 *   {{&name}}           text of several lines (an answer, a body): in a
 *                       mail body its line breaks stay (CRLF and a lone CR
 *                       become LF; those that end it are left to the
 *                       template); elsewhere as {{name}}
 *
 * Values are made safe for where they go: a value never breaks a line
 * (each CR and LF becomes a space), so nothing from a ticket can add a
 * header line or a line of the body of its own; control characters (C0,
 * DEL, C1) are dropped, except a tab, which UC3_TMPL_BODY keeps and
 * UC3_TMPL_HEADER turns into a space. The template's own text is copied
 * as it is; text of several lines goes through {{&name}}, whose lines
 * stay lines of the body and never become headers.
 *
 * UC3_TMPL_HTML is for a page (uc3 show --format html): each value is
 * HTML-escaped (& < > " ' as character references, so it is text in an
 * element or in a quoted attribute, never markup), keeps its line breaks
 * (a CR alone or before an LF becomes one LF: a template shows them with
 * white-space: pre-wrap) and its tabs, and loses the other control
 * characters as in the other modes.
 */

enum uc3_tmpl_mode { UC3_TMPL_BODY, UC3_TMPL_HEADER, UC3_TMPL_HTML };

/*
 * Render tmpl[0..len) (called name in messages) with the data of ctx (a
 * map) and append the text to out. Returns 0, or UC3_EINVAL for a
 * malformed template ("name:line: unclosed section 'tickets'").
 */
int uc3_tmpl_render(struct uc3_buf *out, const char *tmpl, size_t len, const struct uc3_ynode *ctx,
		    enum uc3_tmpl_mode mode, const char *name);

#endif
