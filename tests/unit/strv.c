#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "strv.h"
#include "xalloc.h"

static void
find_dup_finds_none_in_distinct_strings(void **state)
{
	char *v[] = { "a", "b", "c" };
	size_t first = 99, dup = 99;

	assert_false(uc3_strv_find_dup(v, 3, false, &first, &dup));
	assert_false(uc3_strv_find_dup(v, 0, false, &first, &dup));
	assert_int_equal(first, 99);
	assert_int_equal(dup, 99);
}

static void
find_dup_names_the_first_repeat_and_its_earliest_twin(void **state)
{
	char *v[] = { "x", "b", "a", "b", "a", "x" };
	size_t first, dup;

	assert_true(uc3_strv_find_dup(v, 6, false, &first, &dup));
	assert_int_equal(dup, 3);
	assert_int_equal(first, 1);
}

static void
find_dup_ignores_case_only_when_told(void **state)
{
	char *v[] = { "Siti@Example.com", "siti@example.com" };
	size_t first, dup;

	assert_false(uc3_strv_find_dup(v, 2, false, &first, &dup));
	assert_true(uc3_strv_find_dup(v, 2, true, &first, &dup));
	assert_int_equal(first, 0);
	assert_int_equal(dup, 1);
}

/* Past the pair-by-pair size, by sorting: the same answer. */
static void
find_dup_agrees_on_a_long_list(void **state)
{
	enum { N = 5000 };
	char **v = uc3_xcalloc(N, sizeof(*v));
	size_t i, first, dup;

	for (i = 0; i < N; i++) {
		v[i] = uc3_xmalloc(16);
		snprintf(v[i], 16, "K%zu", i);
	}
	assert_false(uc3_strv_find_dup(v, N, false, &first, &dup));
	/* K17 again at 4000, and once more in other case at 3000. */
	snprintf(v[4000], 16, "K17");
	snprintf(v[3000], 16, "k17");
	assert_false(uc3_strv_find_dup(v, 3000, false, &first, &dup));
	assert_true(uc3_strv_find_dup(v, N, false, &first, &dup));
	assert_int_equal(dup, 4000);
	assert_int_equal(first, 17);
	assert_true(uc3_strv_find_dup(v, N, true, &first, &dup));
	assert_int_equal(dup, 3000);
	assert_int_equal(first, 17);
	uc3_strv_free(v, N);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(find_dup_finds_none_in_distinct_strings),
		cmocka_unit_test(find_dup_names_the_first_repeat_and_its_earliest_twin),
		cmocka_unit_test(find_dup_ignores_case_only_when_told),
		cmocka_unit_test(find_dup_agrees_on_a_long_list),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
