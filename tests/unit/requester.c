#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "error.h"
#include "requester.h"

/*
 * Who sent a ticket (lib/requester.h): uc3 new --from taken apart, and
 * --address as it is kept.
 */

static void
assert_requester_social(const char *from, const char *want_name, const char *want_email,
			const char *want_social)
{
	char *name = (char *)"junk", *email = (char *)"junk", *social = (char *)"junk";

	if (uc3_requester_parse(&name, &email, &social, from) < 0)
		fail_msg("'%s' was refused: %s", from, uc3_error_last());
	if (want_name)
		assert_string_equal(name, want_name);
	else
		assert_null(name);
	if (want_email)
		assert_string_equal(email, want_email);
	else
		assert_null(email);
	if (want_social)
		assert_string_equal(social, want_social);
	else
		assert_null(social);
	free(name);
	free(email);
	free(social);
}

static void
assert_requester(const char *from, const char *want_name, const char *want_email)
{
	assert_requester_social(from, want_name, want_email, NULL);
}

static void
assert_requester_refused(const char *from)
{
	char *name = (char *)"junk", *email = (char *)"junk", *social = (char *)"junk";

	if (uc3_requester_parse(&name, &email, &social, from) != UC3_EINVAL)
		fail_msg("'%s' was accepted: name '%s', email '%s', social '%s'", from,
			 name ? name : "(null)", email ? email : "(null)",
			 social ? social : "(null)");
	assert_null(name);
	assert_null(email);
	assert_null(social);
}

static void
assert_address(const char *typed, const char *want)
{
	char *a = uc3_requester_address(typed);

	if (want)
		assert_string_equal(a, want);
	else
		assert_null(a);
	free(a);
}

static void
requester_parse_splits_name_and_email(void **state)
{
	assert_requester("Siti Aminah <siti@example.com>", "Siti Aminah", "siti@example.com");
	assert_requester("  Siti Aminah   <siti@example.com>  ", "Siti Aminah", "siti@example.com");
}

static void
requester_parse_takes_a_lone_email(void **state)
{
	assert_requester("siti@example.com", NULL, "siti@example.com");
	assert_requester("<siti@example.com>", NULL, "siti@example.com");
}

static void
requester_parse_takes_a_lone_name(void **state)
{
	assert_requester("Siti", "Siti", NULL);
}

static void
requester_parse_unquotes_a_quoted_name(void **state)
{
	assert_requester("\"Siti A.\" <s@x.id>", "Siti A.", "s@x.id");
}

static void
requester_parse_refuses_an_unclosed_angle(void **state)
{
	assert_requester_refused("Siti <siti");
	assert_requester_refused("Siti <siti@example.com");
}

static void
requester_parse_refuses_two_at_signs(void **state)
{
	assert_requester_refused("a@b@c");
}

static void
requester_parse_refuses_empty_angle_brackets(void **state)
{
	assert_requester_refused("<>");
	assert_requester_refused("Siti <>");
}

static void
requester_parse_refuses_line_breaks(void **state)
{
	assert_requester_refused("x\ny");
	assert_requester_refused("Siti <siti@example.com>\r\nBcc: x@y.z");
}

static void
requester_parse_refuses_an_email_with_blanks(void **state)
{
	assert_requester_refused("siti aminah@example.com");
	assert_requester_refused("Siti <siti aminah@example.com>");
}

static void
requester_parse_refuses_blank_input(void **state)
{
	assert_requester_refused("");
	assert_requester_refused("   ");
}

static void
requester_parse_takes_an_at_handle_as_a_social_account(void **state)
{
	assert_requester_social("@unej_fess", NULL, NULL, "@unej_fess");
	assert_requester_social("  @unej.fess  ", NULL, NULL, "@unej.fess");
}

static void
requester_parse_refuses_a_handle_with_blanks_or_another_at(void **state)
{
	assert_requester_refused("@");
	assert_requester_refused("@unej fess");
	assert_requester_refused("@unej@fess");
	assert_requester_refused("Siti <@siti>");
	assert_requester_refused("@unej\nfess");
}

static void
requester_parse_says_what_it_takes(void **state)
{
	assert_requester_refused("@a b");
	assert_string_equal(uc3_error_last(),
			    "cannot read --from '@a b': expected \"Name <email>\", an email, "
			    "an @account or a name");
}

static void
requester_address_keeps_the_lines_without_blanks_around_them(void **state)
{
	assert_address("Jl. Kalimantan 37, Jember", "Jl. Kalimantan 37, Jember\n");
	assert_address("  Jl. Kalimantan 37  \n\tKampus Tegalboto\r\nJember 68121\r",
		       "Jl. Kalimantan 37\nKampus Tegalboto\nJember 68121\n");
	assert_address("\n\nJl. Jawa 7\n\n\nJember\n\n", "Jl. Jawa 7\nJember\n");
	/* the blanks inside a line stay, a tab as blanks */
	assert_address("RT 02  RW 05\tJember", "RT 02  RW 05    Jember\n");
}

static void
requester_address_of_nothing_is_null(void **state)
{
	assert_address(NULL, NULL);
	assert_address("", NULL);
	assert_address(" \t\n \r\n", NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(requester_parse_splits_name_and_email),
		cmocka_unit_test(requester_parse_takes_a_lone_email),
		cmocka_unit_test(requester_parse_takes_a_lone_name),
		cmocka_unit_test(requester_parse_unquotes_a_quoted_name),
		cmocka_unit_test(requester_parse_refuses_an_unclosed_angle),
		cmocka_unit_test(requester_parse_refuses_two_at_signs),
		cmocka_unit_test(requester_parse_refuses_empty_angle_brackets),
		cmocka_unit_test(requester_parse_refuses_line_breaks),
		cmocka_unit_test(requester_parse_refuses_an_email_with_blanks),
		cmocka_unit_test(requester_parse_refuses_blank_input),
		cmocka_unit_test(requester_parse_takes_an_at_handle_as_a_social_account),
		cmocka_unit_test(requester_parse_refuses_a_handle_with_blanks_or_another_at),
		cmocka_unit_test(requester_parse_says_what_it_takes),
		cmocka_unit_test(requester_address_keeps_the_lines_without_blanks_around_them),
		cmocka_unit_test(requester_address_of_nothing_is_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
