#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "error.h"
#include "requester.h"

/* Who sent a ticket (lib/requester.h): uc3 new --from taken apart. */

static void
assert_requester(const char *from, const char *want_name, const char *want_email)
{
	char *name = (char *)"junk", *email = (char *)"junk";

	if (uc3_requester_parse(&name, &email, from) < 0)
		fail_msg("'%s' was refused: %s", from, uc3_error_last());
	if (want_name)
		assert_string_equal(name, want_name);
	else
		assert_null(name);
	if (want_email)
		assert_string_equal(email, want_email);
	else
		assert_null(email);
	free(name);
	free(email);
}

static void
assert_requester_refused(const char *from)
{
	char *name = (char *)"junk", *email = (char *)"junk";

	if (uc3_requester_parse(&name, &email, from) != UC3_EINVAL)
		fail_msg("'%s' was accepted: name '%s', email '%s'", from, name ? name : "(null)",
			 email ? email : "(null)");
	assert_null(name);
	assert_null(email);
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
