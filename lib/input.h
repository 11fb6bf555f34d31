#ifndef UC3_INPUT_H
#define UC3_INPUT_H

#include <stddef.h>

#include "buf.h"
#include "store.h"

/*
 * Text that people give a command (a ticket's body, an answer), from the
 * places git commit takes a message from.
 */

/*
 * Append to out, at most limit bytes: the file named file ("-" for
 * standard input) when file is not NULL; else standard input when it is
 * not a terminal; else what the user writes in $VISUAL, $EDITOR, git's
 * core.editor or vi, started on a file holding an empty line and then
 * hint, each line of which becomes a '#' comment. Lines starting with '#'
 * are dropped from what the editor leaves; nothing left is an error
 * ("aborting: <what> is empty"). what names the text in messages.
 */
int uc3_input_text(struct uc3_buf *out, struct uc3_store *st, const char *file, const char *hint,
		   size_t limit, const char *what);

#endif
