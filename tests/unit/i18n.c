#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "error.h"
#include "i18n.h"
#include "tool.h"

/*
 * The catalogue of the build tree (build/share/locale, which make all
 * compiles from po/id.po), found from this program as the tools find
 * theirs: the tests skip without it.
 */
static bool
have_catalogue(void)
{
	char p[4096];

	snprintf(p, sizeof(p), "%s/../../share/locale/id/LC_MESSAGES/uc3.mo", uc3_tool_exedir());
	return access(p, R_OK) == 0;
}

static void
english_in_the_c_locale(void **state)
{
	assert_string_equal(uc3_i18n_language(), "en");
	assert_string_equal(_("unknown error"), "unknown error");
	assert_null(getenv("LANGUAGE"));
}

static void
push_switches_even_in_the_c_locale_and_pop_restores(void **state)
{
	if (!have_catalogue())
		skip();
	uc3_i18n_push("id");
	assert_string_equal(uc3_i18n_language(), "id");
	assert_string_equal(_("unknown error"), "galat yang tidak diketahui");
	uc3_i18n_pop();
	assert_string_equal(uc3_i18n_language(), "en");
	assert_string_equal(_("unknown error"), "unknown error");
	assert_null(getenv("LANGUAGE"));
	assert_string_equal(setlocale(LC_MESSAGES, NULL), "C");
}

static void
pushes_nest_and_null_keeps_the_language(void **state)
{
	if (!have_catalogue())
		skip();
	uc3_i18n_push("id");
	uc3_i18n_push("en");
	assert_string_equal(uc3_i18n_language(), "en");
	uc3_i18n_push(NULL);
	uc3_i18n_push("");
	assert_string_equal(_("unknown error"), "unknown error");
	uc3_i18n_pop();
	uc3_i18n_pop();
	assert_string_equal(uc3_i18n_language(), "en");
	uc3_i18n_pop();
	assert_string_equal(_("unknown error"), "galat yang tidak diketahui");
	uc3_i18n_pop();
	assert_string_equal(_("unknown error"), "unknown error");
	/* One pop too many does nothing. */
	uc3_i18n_pop();
	assert_string_equal(uc3_i18n_language(), "en");
}

static void
pop_gives_back_the_language_that_was_set(void **state)
{
	if (!have_catalogue())
		skip();
	setenv("LANGUAGE", "fr:de", 1);
	uc3_i18n_push("id");
	assert_string_equal(getenv("LANGUAGE"), "id");
	uc3_i18n_pop();
	assert_string_equal(getenv("LANGUAGE"), "fr:de");
	unsetenv("LANGUAGE");
}

static void
the_error_sink_translates_its_format(void **state)
{
	if (!have_catalogue())
		skip();
	uc3_i18n_push("id");
	uc3_error_set(UC3_EINVAL, "unknown option %s", "--x");
	assert_string_equal(uc3_error_last(), "opsi tidak dikenal --x");
	uc3_error_clear();
	assert_string_equal(uc3_error_last(), "galat yang tidak diketahui");
	/* "" is no message: never the catalogue's header. */
	uc3_error_set(UC3_EINVAL, "%s", "");
	uc3_error_prefix(UC3_EINVAL, "unknown option %s", "--y");
	assert_string_equal(uc3_error_last(), "opsi tidak dikenal --y: galat yang tidak diketahui");
	uc3_i18n_pop();
	uc3_error_clear();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(english_in_the_c_locale),
		cmocka_unit_test(push_switches_even_in_the_c_locale_and_pop_restores),
		cmocka_unit_test(pushes_nest_and_null_keeps_the_language),
		cmocka_unit_test(pop_gives_back_the_language_that_was_set),
		cmocka_unit_test(the_error_sink_translates_its_format),
	};

	/* The plain C locale, whatever the environment of whoever runs the tests. */
	setenv("LC_ALL", "C", 1);
	unsetenv("LANGUAGE");
	uc3_tool_init("i18n");
	return cmocka_run_group_tests(tests, NULL, NULL);
}
