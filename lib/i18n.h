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

#define _(s)  gettext(s)
#define N_(s) (s)

/*
 * Bind the text domain and take the language from the environment
 * (LC_MESSAGES, LC_CTYPE only; LC_NUMERIC and LC_TIME stay "C"). The
 * catalogues are share/locale found relative to the running program
 * (../share/locale, ../../share/locale: the build tree's and an
 * installation's), else UC3_LOCALEDIR. Once, from uc3_tool_init; later
 * calls do nothing.
 */
void uc3_i18n_init(void);

/*
 * Messages in lang ("id", "en"; NULL or "" keeps the current one) until
 * the matching uc3_i18n_pop: for what uc3 writes into mail and records
 * in the policy's language, whatever the reader's locale. Nests. It sets
 * LANGUAGE in the environment while pushed, so programs run meanwhile
 * see it too.
 */
void uc3_i18n_push(const char *lang);
/* Back to the language before the matching push: LANGUAGE and the LC_MESSAGES locale as they were.
 */
void uc3_i18n_pop(void);

/*
 * The language messages are in now, as "id" or "en": that of the
 * catalogue gettext uses (the first of LANGUAGE / LC_MESSAGES that has
 * one), "en" when none. Static.
 */
const char *uc3_i18n_language(void);

/*
 * s in the reader's language, for the functions that translate what their
 * callers pass (the error and warning sinks, the option tables): NULL and
 * "" stay as they are ("" would be the catalogue's header).
 */
const char *uc3_i18n_tr(const char *s);

#endif
