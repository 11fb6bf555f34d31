#ifndef UC3_I18N_H
#define UC3_I18N_H

/*
 * The messages people read, in their language: GNU gettext, text domain
 * "uc3" (po/id.po holds the Indonesian). _() translates a message where
 * it is used; N_() only marks one for xgettext, in a table whose entries
 * are translated where they are printed. The error and warning
 * functions (error.h, tool.h) and the option table's help (opt.h)
 * translate their format themselves: their callers pass the English, and
 * xgettext finds it by the functions' names (the Makefile's
 * XGETTEXT_KEYWORDS). What machines read stays as it is: JSON, YAML,
 * commit messages and trailers, option names and values.
 */
#include <libintl.h>

#define _(s) gettext(s)
#define N_(s) (s)

#endif
