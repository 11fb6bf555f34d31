#include "i18n.h"

#include <limits.h>
#include <locale.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tool.h"
#include "xalloc.h"

#ifndef UC3_LOCALEDIR
#define UC3_LOCALEDIR "/usr/local/share/locale"
#endif

/*
 * glibc's count of loaded catalogues: gettext caches its answers, and a
 * change of LANGUAGE at run time is seen only after this moves (as the
 * GNU gettext manual says of changing the language in a running program).
 */
extern int _nl_msg_cat_cntr;

/* The pushes in force: what each one changed, to put back. */
#define PUSH_MAX 16
static struct frame {
	char *language; /* LANGUAGE before the push; NULL when unset */
	char *messages; /* the LC_MESSAGES locale before it; NULL when unchanged */
	bool changed;	/* the push set LANGUAGE (lang was given) */
} stack[PUSH_MAX];
static size_t depth;

static bool
is_c_locale(const char *name)
{
	return !name || !strcmp(name, "C") || !strcmp(name, "POSIX");
}

/*
 * The catalogues: beside the running program first, as uc3_tool_datadir
 * finds share/uc3, so that the build tree and an installation moved
 * elsewhere find their own; a directory counts when it holds uc3's
 * Indonesian catalogue. Else the one compiled in.
 */
static const char *
locale_dir(void)
{
	static char dir[PATH_MAX];
	static const char *const rel[] = { "/../share/locale", "/../../share/locale" };
	size_t i;

	for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char probe[PATH_MAX + 64];

		snprintf(probe, sizeof(probe), "%s%s/id/LC_MESSAGES/uc3.mo", uc3_tool_exedir(),
			 rel[i]);
		if (access(probe, R_OK) == 0) {
			snprintf(dir, sizeof(dir), "%s%s", uc3_tool_exedir(), rel[i]);
			return dir;
		}
	}
	return UC3_LOCALEDIR;
}

/*
 * A category from the environment; when the locale it names is not
 * installed, C.UTF-8 (text stays UTF-8) or else C, quietly: a message
 * about the locale would come before every command's output. False when
 * it fell back.
 */
static bool
locale_from_env(int category)
{
	if (setlocale(category, ""))
		return true;
	if (!setlocale(category, "C.UTF-8"))
		setlocale(category, "C");
	return false;
}

/*
 * The environment named a messages locale this machine lacks
 * (LANG=id_ID.UTF-8 without the locales package): its language still
 * picks the catalogue, through LANGUAGE, which gettext reads first (and
 * does in the C.UTF-8 fallen back to), unless LANGUAGE already says.
 */
static void
language_of_missing_locale(void)
{
	const char *want = getenv("LC_ALL"), *lang = getenv("LANGUAGE");
	char code[32];
	size_t n;

	if (lang && *lang)
		return;
	if (!want || !*want)
		want = getenv("LC_MESSAGES");
	if (!want || !*want)
		want = getenv("LANG");
	if (!want || is_c_locale(want) || !strncmp(want, "C.", 2))
		return;
	n = strcspn(want, ".@");
	if (!n || n >= sizeof(code))
		return;
	memcpy(code, want, n);
	code[n] = '\0';
	setenv("LANGUAGE", code, 1);
}

void
uc3_i18n_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	locale_from_env(LC_CTYPE);
	if (!locale_from_env(LC_MESSAGES))
		language_of_missing_locale();
	bindtextdomain("uc3", locale_dir());
	bind_textdomain_codeset("uc3", "UTF-8");
	textdomain("uc3");
}

void
uc3_i18n_push(const char *lang)
{
	struct frame *f;
	const char *cur;

	if (depth >= PUSH_MAX) {
		/* Deeper than uc3 ever nests: counted, so that the pops match, but kept as is. */
		depth++;
		return;
	}
	f = &stack[depth++];
	*f = (struct frame){ 0 };
	if (!lang || !*lang)
		return;
	f->changed = true;
	cur = getenv("LANGUAGE");
	f->language = cur ? uc3_xstrdup(cur) : NULL;
	/*
	 * gettext ignores LANGUAGE in the C locale: C.UTF-8 while pushed.
	 * (The name is copied first: setlocale overwrites it.)
	 */
	cur = setlocale(LC_MESSAGES, NULL);
	if (is_c_locale(cur)) {
		f->messages = uc3_xstrdup(cur ? cur : "C");
		if (!setlocale(LC_MESSAGES, "C.UTF-8")) {
			free(f->messages);
			f->messages = NULL;
		}
	}
	setenv("LANGUAGE", lang, 1);
	++_nl_msg_cat_cntr;
}

void
uc3_i18n_pop(void)
{
	struct frame *f;

	if (!depth)
		return;
	if (--depth >= PUSH_MAX)
		return;
	f = &stack[depth];
	if (!f->changed)
		return;
	if (f->language)
		setenv("LANGUAGE", f->language, 1);
	else
		unsetenv("LANGUAGE");
	if (f->messages)
		setlocale(LC_MESSAGES, f->messages);
	++_nl_msg_cat_cntr;
	free(f->language);
	free(f->messages);
	*f = (struct frame){ 0 };
}

const char *
uc3_i18n_language(void)
{
	static char lang[16];
	/*
	 * The header of the catalogue in use is the translation of the empty
	 * message: its Language field. (Not a literal: xgettext would take
	 * it for a message.)
	 */
	static const char none[] = "";
	const char *h = gettext(none);
	const char *l = NULL;
	size_t n;

	if (h && *h)
		l = !strncmp(h, "Language: ", 10) ? h : strstr(h, "\nLanguage: ");
	if (!l)
		return "en";
	l += *l == '\n' ? 11 : 10;
	n = strcspn(l, "_@.\n");
	if (!n || n >= sizeof(lang))
		return "en";
	memcpy(lang, l, n);
	lang[n] = '\0';
	return lang;
}

const char *
uc3_i18n_tr(const char *s)
{
	return s && *s ? gettext(s) : s;
}
