/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/util/cpuset.c: bit operations, counting and iteration, formatting as a hex
 * mask, and parsing of hex masks and bracketed lists, including every way a mask can be
 * malformed (each must log exactly one error and leave the set unchanged).
 */

#include "spdk/stdinc.h"
#include "util/cpuset.c"

#include "spdk/util.h"
#include "updk/log.h"

#include <setjmp.h>
#include <cmocka.h>

static int
quiet_setup(void **state)
{
	/* Parse errors are expected here; count them instead of printing them. */
	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	updk_log_reset_counts();
	return 0;
}

static void
set_of(struct spdk_cpuset *set, const uint32_t *cpus, size_t n)
{
	spdk_cpuset_zero(set);
	for (size_t i = 0; i < n; i++) {
		spdk_cpuset_set_cpu(set, cpus[i], true);
	}
}

static void
alloc_returns_an_empty_set(void **state)
{
	struct spdk_cpuset *set = spdk_cpuset_alloc();

	assert_non_null(set);
	assert_int_equal(spdk_cpuset_count(set), 0);
	assert_string_equal(spdk_cpuset_fmt(set), "0");
	spdk_cpuset_free(set);
	spdk_cpuset_free(NULL);
}

static void
set_get_and_count_single_cpus(void **state)
{
	struct spdk_cpuset set;

	spdk_cpuset_zero(&set);
	spdk_cpuset_set_cpu(&set, 0, true);
	spdk_cpuset_set_cpu(&set, 9, true);
	spdk_cpuset_set_cpu(&set, SPDK_CPUSET_SIZE - 1, true);
	assert_true(spdk_cpuset_get_cpu(&set, 0));
	assert_true(spdk_cpuset_get_cpu(&set, 9));
	assert_false(spdk_cpuset_get_cpu(&set, 8));
	assert_true(spdk_cpuset_get_cpu(&set, SPDK_CPUSET_SIZE - 1));
	assert_int_equal(spdk_cpuset_count(&set), 3);

	spdk_cpuset_set_cpu(&set, 9, false);
	assert_false(spdk_cpuset_get_cpu(&set, 9));
	assert_int_equal(spdk_cpuset_count(&set), 2);
}

static void
cpu_numbers_past_the_size_are_ignored(void **state)
{
	struct spdk_cpuset set;

	spdk_cpuset_zero(&set);
	spdk_cpuset_set_cpu(&set, SPDK_CPUSET_SIZE, true);
	spdk_cpuset_set_cpu(&set, UINT32_MAX, true);
	assert_int_equal(spdk_cpuset_count(&set), 0);
	assert_false(spdk_cpuset_get_cpu(&set, SPDK_CPUSET_SIZE));
	assert_false(spdk_cpuset_get_cpu(&set, UINT32_MAX));
}

static void
and_or_xor_negate_copy_equal(void **state)
{
	static const uint32_t a_cpus[] = {0, 1, 2, 100};
	static const uint32_t b_cpus[] = {1, 2, 3, 1000};
	struct spdk_cpuset a, b, r;

	set_of(&a, a_cpus, SPDK_COUNTOF(a_cpus));
	set_of(&b, b_cpus, SPDK_COUNTOF(b_cpus));

	spdk_cpuset_copy(&r, &a);
	assert_true(spdk_cpuset_equal(&r, &a));
	spdk_cpuset_and(&r, &b);
	assert_int_equal(spdk_cpuset_count(&r), 2);
	assert_true(spdk_cpuset_get_cpu(&r, 1) && spdk_cpuset_get_cpu(&r, 2));

	spdk_cpuset_copy(&r, &a);
	spdk_cpuset_or(&r, &b);
	assert_int_equal(spdk_cpuset_count(&r), 6);

	spdk_cpuset_copy(&r, &a);
	spdk_cpuset_xor(&r, &b);
	assert_int_equal(spdk_cpuset_count(&r), 4);
	assert_false(spdk_cpuset_get_cpu(&r, 1));
	assert_true(spdk_cpuset_get_cpu(&r, 1000));
	assert_false(spdk_cpuset_equal(&r, &a));

	spdk_cpuset_copy(&r, &a);
	spdk_cpuset_negate(&r);
	assert_int_equal(spdk_cpuset_count(&r), SPDK_CPUSET_SIZE - 4);
	assert_false(spdk_cpuset_get_cpu(&r, 100));
	spdk_cpuset_negate(&r);
	assert_true(spdk_cpuset_equal(&r, &a));

	spdk_cpuset_zero(&r);
	assert_int_equal(spdk_cpuset_count(&r), 0);
}

static void
visit(void *ctx, uint32_t cpu)
{
	uint32_t *seen = ctx;

	seen[++seen[0]] = cpu;
}

static void
for_each_cpu_visits_in_increasing_order(void **state)
{
	static const uint32_t cpus[] = {1023, 7, 8, 0, 64};
	uint32_t seen[8] = {0};
	struct spdk_cpuset set;

	set_of(&set, cpus, SPDK_COUNTOF(cpus));
	spdk_cpuset_for_each_cpu(&set, visit, seen);
	assert_int_equal(seen[0], 5);
	assert_int_equal(seen[1], 0);
	assert_int_equal(seen[2], 7);
	assert_int_equal(seen[3], 8);
	assert_int_equal(seen[4], 64);
	assert_int_equal(seen[5], 1023);
}

static void
fmt_prints_lower_case_hex_without_leading_zeros(void **state)
{
	static const uint32_t low[] = {0, 1};
	static const uint32_t mid[] = {8};
	static const uint32_t mixed[] = {1, 3, 4, 7, 10, 13};
	struct spdk_cpuset set;
	char expect[SPDK_CPUSET_SIZE / 4 + 1];

	spdk_cpuset_zero(&set);
	assert_string_equal(spdk_cpuset_fmt(&set), "0");
	set_of(&set, low, 2);
	assert_string_equal(spdk_cpuset_fmt(&set), "3");
	set_of(&set, mid, 1);
	assert_string_equal(spdk_cpuset_fmt(&set), "100");
	set_of(&set, mixed, SPDK_COUNTOF(mixed));
	assert_string_equal(spdk_cpuset_fmt(&set), "249a");

	spdk_cpuset_zero(&set);
	spdk_cpuset_set_cpu(&set, SPDK_CPUSET_SIZE - 1, true);
	expect[0] = '8';
	memset(expect + 1, '0', sizeof(expect) - 2);
	expect[sizeof(expect) - 1] = '\0';
	assert_string_equal(spdk_cpuset_fmt(&set), expect);

	spdk_cpuset_negate(&set);
	spdk_cpuset_set_cpu(&set, SPDK_CPUSET_SIZE - 1, true);
	memset(expect, 'f', sizeof(expect) - 1);
	assert_string_equal(spdk_cpuset_fmt(&set), expect);
}

static void
parse_accepts_hex_masks(void **state)
{
	struct spdk_cpuset set;
	char long_mask[400];

	assert_int_equal(spdk_cpuset_parse(&set, "3"), 0);
	assert_string_equal(spdk_cpuset_fmt(&set), "3");
	assert_int_equal(spdk_cpuset_parse(&set, "0x3"), 0);
	assert_string_equal(spdk_cpuset_fmt(&set), "3");
	assert_int_equal(spdk_cpuset_parse(&set, "0XfF"), 0);
	assert_int_equal(spdk_cpuset_count(&set), 8);
	assert_int_equal(spdk_cpuset_parse(&set, "  0x10  "), 0);
	assert_true(spdk_cpuset_get_cpu(&set, 4));
	assert_int_equal(spdk_cpuset_count(&set), 1);
	assert_int_equal(spdk_cpuset_parse(&set, "0"), 0);
	assert_int_equal(spdk_cpuset_count(&set), 0);

	/* The sysfs form groups digits with commas. */
	assert_int_equal(spdk_cpuset_parse(&set, "00000001,00000000"), 0);
	assert_int_equal(spdk_cpuset_count(&set), 1);
	assert_true(spdk_cpuset_get_cpu(&set, 32));

	/* Leading zeros beyond the set's size are fine. */
	memset(long_mask, '0', sizeof(long_mask) - 2);
	long_mask[sizeof(long_mask) - 2] = '1';
	long_mask[sizeof(long_mask) - 1] = '\0';
	assert_int_equal(spdk_cpuset_parse(&set, long_mask), 0);
	assert_string_equal(spdk_cpuset_fmt(&set), "1");
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 0);
}

static void
parse_accepts_cpu_lists(void **state)
{
	struct spdk_cpuset set;

	assert_int_equal(spdk_cpuset_parse(&set, "[0,1,10]"), 0);
	assert_int_equal(spdk_cpuset_count(&set), 3);
	assert_string_equal(spdk_cpuset_fmt(&set), "403");
	assert_int_equal(spdk_cpuset_parse(&set, "[0-3,5]"), 0);
	assert_string_equal(spdk_cpuset_fmt(&set), "2f");
	assert_int_equal(spdk_cpuset_parse(&set, " [ 0 - 2 , 7 ] "), 0);
	assert_string_equal(spdk_cpuset_fmt(&set), "87");
	assert_int_equal(spdk_cpuset_parse(&set, "[4-4]"), 0);
	assert_string_equal(spdk_cpuset_fmt(&set), "10");
	assert_int_equal(spdk_cpuset_parse(&set, "[1023]"), 0);
	assert_true(spdk_cpuset_get_cpu(&set, 1023));
	assert_int_equal(spdk_cpuset_parse(&set, "[0-1023]"), 0);
	assert_int_equal(spdk_cpuset_count(&set), SPDK_CPUSET_SIZE);
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 0);
}

static void
parse_round_trips_through_fmt(void **state)
{
	static const uint32_t cpus[] = {0, 5, 63, 64, 511, 1023};
	struct spdk_cpuset set, back;
	char text[SPDK_CPUSET_SIZE / 4 + 1];

	set_of(&set, cpus, SPDK_COUNTOF(cpus));
	snprintf(text, sizeof(text), "%s", spdk_cpuset_fmt(&set));
	assert_int_equal(spdk_cpuset_parse(&back, text), 0);
	assert_true(spdk_cpuset_equal(&set, &back));
}

static void
expect_parse_failure(const char *mask, int rc)
{
	static const uint32_t marker[] = {42};
	struct spdk_cpuset set;

	set_of(&set, marker, 1);
	updk_log_reset_counts();
	assert_int_equal(spdk_cpuset_parse(&set, mask), rc);
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(spdk_cpuset_count(&set), 1);
	assert_true(spdk_cpuset_get_cpu(&set, 42));
}

static void
malformed_hex_mask_fails_and_leaves_set_alone(void **state)
{
	expect_parse_failure("", -EINVAL);
	expect_parse_failure("   ", -EINVAL);
	expect_parse_failure("0x", -EINVAL);
	expect_parse_failure(",", -EINVAL);
	expect_parse_failure("xyz", -EINVAL);
	expect_parse_failure("0x1g", -EINVAL);
	expect_parse_failure("1 2", -EINVAL);
	expect_parse_failure("-1", -EINVAL);
}

static void
hex_mask_above_the_size_fails_with_erange(void **state)
{
	char mask[SPDK_CPUSET_SIZE / 4 + 2];

	/* 257 digits: the first names CPU 1024. */
	mask[0] = '1';
	memset(mask + 1, '0', sizeof(mask) - 2);
	mask[sizeof(mask) - 1] = '\0';
	expect_parse_failure(mask, -ERANGE);
}

static void
malformed_list_fails_and_leaves_set_alone(void **state)
{
	expect_parse_failure("[]", -EINVAL);
	expect_parse_failure("[", -EINVAL);
	expect_parse_failure("[1", -EINVAL);
	expect_parse_failure("[1,]", -EINVAL);
	expect_parse_failure("[,1]", -EINVAL);
	expect_parse_failure("[1,,2]", -EINVAL);
	expect_parse_failure("[a]", -EINVAL);
	expect_parse_failure("[3-1]", -EINVAL);
	expect_parse_failure("[1-]", -EINVAL);
	expect_parse_failure("[1 2]", -EINVAL);
	expect_parse_failure("[-1]", -EINVAL);
	expect_parse_failure("[1]x", -EINVAL);
	expect_parse_failure("[1024]", -ERANGE);
	expect_parse_failure("[0-99999999999999999999]", -ERANGE);
}

static void
parse_with_null_arguments_fails(void **state)
{
	struct spdk_cpuset set;

	assert_int_equal(spdk_cpuset_parse(NULL, "1"), -EINVAL);
	assert_int_equal(spdk_cpuset_parse(&set, NULL), -EINVAL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(alloc_returns_an_empty_set),
		cmocka_unit_test(set_get_and_count_single_cpus),
		cmocka_unit_test(cpu_numbers_past_the_size_are_ignored),
		cmocka_unit_test(and_or_xor_negate_copy_equal),
		cmocka_unit_test(for_each_cpu_visits_in_increasing_order),
		cmocka_unit_test(fmt_prints_lower_case_hex_without_leading_zeros),
		cmocka_unit_test(parse_accepts_hex_masks),
		cmocka_unit_test(parse_accepts_cpu_lists),
		cmocka_unit_test(parse_round_trips_through_fmt),
		cmocka_unit_test(malformed_hex_mask_fails_and_leaves_set_alone),
		cmocka_unit_test(hex_mask_above_the_size_fails_with_erange),
		cmocka_unit_test(malformed_list_fails_and_leaves_set_alone),
		cmocka_unit_test(parse_with_null_arguments_fails),
	};

	return cmocka_run_group_tests_name("cpuset", tests, quiet_setup, NULL);
}
