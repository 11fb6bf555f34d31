#ifndef UC3_ACT_H
#define UC3_ACT_H

#include "buf.h"

struct uc3_act;

/*
 * One step of the procedure on one ticket, as escalate, answer, deliver
 * and close take it (stepcmd.h reads their options and prints): open the
 * records repository at dir (NULL: found as usual); when act is an
 * answer without text, read it from file, standard input or the editor
 * (uc3_input_text); do act on ticket id, committed as one write.
 *
 * Returns 0 with summary holding one line of what was done (control
 * characters escaped, ready for a terminal) and *warning what went wrong
 * after the write landed (NULL if nothing; free() it); or a negative
 * UC3_E* code after setting the error, and nothing was changed.
 */
int uc3_act_run(struct uc3_buf *summary, char **warning, const char *dir, const char *id,
		struct uc3_act *act, const char *file);

#endif
