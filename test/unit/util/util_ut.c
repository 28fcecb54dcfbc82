/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of spdk/util.h and lib/util/util.c: the arithmetic and alignment macros, powers
 * of two, the xorshift generator, serial numbers, versioned-struct field access, and copying
 * and walking iovec arrays with differing segment boundaries.
 */

#include "spdk/stdinc.h"
#include "util/util.c"

#include <setjmp.h>
#include <cmocka.h>

struct ut_outer {
	int a;
	char name[12];
	long b;
};

SPDK_STATIC_ASSERT(sizeof(uint64_t) == 8, "file-scope static assert compiles");

static void
min_max_countof_and_containerof(void **state)
{
	struct ut_outer outer;
	int arr[7];

	assert_int_equal(spdk_min(3, 5), 3);
	assert_int_equal(spdk_max(3, 5), 5);
	assert_int_equal(spdk_min(-1, 1), -1);
	assert_int_equal(SPDK_COUNTOF(arr), 7);
	assert_int_equal(SPDK_COUNTOF_MEMBER(struct ut_outer, name), 12);
	assert_int_equal(SPDK_SIZEOF_MEMBER(struct ut_outer, b), sizeof(long));
	assert_int_equal(SPDK_SIZEOF(&outer, name), offsetof(struct ut_outer, name) + 12);
	assert_ptr_equal(SPDK_CONTAINEROF(&outer.b, struct ut_outer, b), &outer);
	assert_ptr_equal(SPDK_CONTAINEROF(outer.name, struct ut_outer, name), &outer);
	SPDK_STATIC_ASSERT(SPDK_CACHE_LINE_SIZE == 64, "block-scope static assert compiles");
}

static void
time_constants_and_bits(void **state)
{
	assert_int_equal(SPDK_SEC_TO_USEC, 1000000);
	assert_int_equal(SPDK_SEC_TO_NSEC, 1000000000);
	assert_int_equal(SPDK_SEC_TO_MSEC, 1000);
	assert_int_equal(SPDK_MSEC_TO_USEC, 1000);
	assert_int_equal(SPDK_USEC_TO_NSEC, 1000);
	assert_int_equal(SPDK_BIT(0), 1);
	assert_int_equal(SPDK_BIT(63), 1ul << 63);
	assert_int_equal(SPDK_CEIL_DIV(10, 3), 4);
	assert_int_equal(SPDK_CEIL_DIV(9, 3), 3);
}

static void
align_macros_keep_the_type_and_round(void **state)
{
	uint32_t v32 = 4097;
	uint64_t v64 = 0x100000001ULL;

	assert_int_equal(SPDK_ALIGN_FLOOR(v32, 4096), 4096);
	assert_int_equal(SPDK_ALIGN_CEIL(v32, 4096), 8192);
	assert_int_equal(SPDK_ALIGN_CEIL(4096u, 4096), 4096);
	assert_int_equal(SPDK_ALIGN_FLOOR(v64, 4096), 0x100000000ULL);
	assert_int_equal(SPDK_ALIGN_CEIL(v64, 4096), 0x100001000ULL);
	assert_int_equal(sizeof(SPDK_ALIGN_CEIL(v32, 4096)), sizeof(uint32_t));
}

static void
log2_rounds_down(void **state)
{
	assert_int_equal(spdk_u32log2(0), 0);
	assert_int_equal(spdk_u32log2(1), 0);
	assert_int_equal(spdk_u32log2(2), 1);
	assert_int_equal(spdk_u32log2(3), 1);
	assert_int_equal(spdk_u32log2(4096), 12);
	assert_int_equal(spdk_u32log2(UINT32_MAX), 31);
	assert_int_equal(spdk_u64log2(0), 0);
	assert_int_equal(spdk_u64log2(1ULL << 40), 40);
	assert_int_equal(spdk_u64log2(UINT64_MAX), 63);
}

static void
alignpow2_rounds_up_to_a_power_of_two(void **state)
{
	assert_int_equal(spdk_align32pow2(0), 1);
	assert_int_equal(spdk_align32pow2(1), 1);
	assert_int_equal(spdk_align32pow2(2), 2);
	assert_int_equal(spdk_align32pow2(3), 4);
	assert_int_equal(spdk_align32pow2(1000), 1024);
	assert_int_equal(spdk_align32pow2(1024), 1024);
	assert_int_equal(spdk_align32pow2(1u << 31), 1u << 31);
	assert_int_equal(spdk_align32pow2((1u << 31) + 1), 0);
	assert_int_equal(spdk_align64pow2(5), 8);
	assert_int_equal(spdk_align64pow2((1ULL << 40) + 1), 1ULL << 41);
	assert_int_equal(spdk_align64pow2(1ULL << 63), 1ULL << 63);
	assert_int_equal(spdk_align64pow2((1ULL << 63) + 1), 0);
}

static void
is_pow2_rejects_zero_and_composites(void **state)
{
	assert_false(spdk_u32_is_pow2(0));
	assert_true(spdk_u32_is_pow2(1));
	assert_true(spdk_u32_is_pow2(1u << 31));
	assert_false(spdk_u32_is_pow2(6));
	assert_false(spdk_u64_is_pow2(0));
	assert_true(spdk_u64_is_pow2(1ULL << 63));
	assert_false(spdk_u64_is_pow2((1ULL << 63) + 1));
}

static void
divide_and_round_up(void **state)
{
	assert_int_equal(spdk_divide_round_up(0, 4), 0);
	assert_int_equal(spdk_divide_round_up(1, 4), 1);
	assert_int_equal(spdk_divide_round_up(8, 4), 2);
	assert_int_equal(spdk_divide_round_up(9, 4), 3);
	assert_int_equal(spdk_round_up(9, 4), 12);
	assert_int_equal(spdk_round_up(12, 4), 12);
}

static void
xorshift64_follows_the_published_recurrence(void **state)
{
	uint64_t s = 1;

	assert_int_equal(spdk_rand_xorshift64(&s), 1082269761ULL);
	assert_int_equal(s, 1082269761ULL);
	assert_int_not_equal(spdk_rand_xorshift64(&s), 1082269761ULL);
}

static void
xorshift64_seed_is_non_zero_and_varies(void **state)
{
	uint64_t a = spdk_rand_xorshift64_seed();
	uint64_t b = spdk_rand_xorshift64_seed();

	assert_int_not_equal(a, 0);
	assert_int_not_equal(b, 0);
	assert_int_not_equal(a, b);
}

static void
sn32_compares_across_wrap_around(void **state)
{
	assert_true(spdk_sn32_lt(1, 2));
	assert_false(spdk_sn32_lt(2, 1));
	assert_false(spdk_sn32_lt(5, 5));
	assert_true(spdk_sn32_lt(UINT32_MAX, 0));
	assert_true(spdk_sn32_gt(0, UINT32_MAX));
	assert_false(spdk_sn32_gt(UINT32_MAX, 0));
	assert_int_equal(spdk_sn32_add(UINT32_MAX, 2), 1);
}

struct ut_opts {
	size_t size;
	int old_field;
	int new_field;
};

static void
field_valid_follows_the_callers_size(void **state)
{
	struct ut_opts full = {.size = sizeof(full), .old_field = 1, .new_field = 2};
	struct ut_opts old = {
		.size = offsetof(struct ut_opts, new_field), .old_field = 3, .new_field = 9};

	assert_true(SPDK_FIELD_VALID(&full, new_field));
	assert_false(SPDK_FIELD_VALID(&old, new_field));
	assert_true(SPDK_FIELD_VALID(&old, old_field));
	assert_int_equal(SPDK_GET_FIELD(&full, new_field, 7), 2);
	assert_int_equal(SPDK_GET_FIELD(&old, new_field, 7), 7);
	assert_int_equal(SPDK_GET_FIELD(&old, new_field, 7, sizeof(old)), 9);
}

static void
fill_pattern(uint8_t *buf, size_t len, uint8_t seed)
{
	for (size_t i = 0; i < len; i++) {
		buf[i] = (uint8_t)(seed + i * 7);
	}
}

static void
iovcpy_copies_across_different_segmentation(void **state)
{
	uint8_t src[4096], dst[4096];
	struct iovec siov[1] = {{src, sizeof(src)}};
	struct iovec diov[4] = {
		{dst, 1024},
		{dst + 1024, 0},
		{dst + 1024, 1000},
		{dst + 2024, 2072},
	};

	fill_pattern(src, sizeof(src), 3);
	memset(dst, 0, sizeof(dst));
	assert_int_equal(spdk_iovcpy(siov, 1, diov, 4), sizeof(src));
	assert_memory_equal(src, dst, sizeof(src));

	/* Stops at the shorter side. */
	memset(dst, 0, sizeof(dst));
	siov[0].iov_len = 100;
	assert_int_equal(spdk_iovcpy(siov, 1, diov, 4), 100);
	assert_memory_equal(src, dst, 100);
	assert_int_equal(dst[100], 0);
	assert_int_equal(spdk_iovcpy(siov, 0, diov, 4), 0);
}

static void
iovmove_handles_overlap(void **state)
{
	uint8_t buf[64];
	uint8_t expect[64];
	struct iovec siov = {buf, 32};
	struct iovec diov = {buf + 8, 32};

	fill_pattern(buf, sizeof(buf), 1);
	memcpy(expect, buf, sizeof(expect));
	memmove(expect + 8, expect, 32);
	assert_int_equal(spdk_iovmove(&siov, 1, &diov, 1), 32);
	assert_memory_equal(buf, expect, sizeof(buf));
}

static void
ioviter_yields_common_runs(void **state)
{
	uint8_t s[4096], d[4096];
	struct iovec siov = {s, 4096};
	struct iovec diov[4] = {{d, 1024}, {d + 1024, 1024}, {d + 2048, 1024}, {d + 3072, 1024}};
	struct spdk_ioviter iter;
	void *src, *dst;
	size_t len;
	int runs = 0;

	for (len = spdk_ioviter_first(&iter, &siov, 1, diov, 4, &src, &dst); len > 0;
	     len = spdk_ioviter_next(&iter, &src, &dst)) {
		assert_int_equal(len, 1024);
		assert_ptr_equal(src, s + runs * 1024);
		assert_ptr_equal(dst, d + runs * 1024);
		runs++;
	}
	assert_int_equal(runs, 4);
	assert_int_equal(spdk_ioviter_next(&iter, &src, &dst), 0);
}

static void
ioviter_walks_three_arrays_in_step(void **state)
{
	uint8_t a[100], b[100], c[100];
	struct iovec ia[2] = {{a, 30}, {a + 30, 70}};
	struct iovec ib[1] = {{b, 100}};
	struct iovec ic[3] = {{c, 50}, {c + 50, 0}, {c + 50, 50}};
	struct iovec *iovs[3] = {ia, ib, ic};
	size_t cnts[3] = {2, 1, 3};
	struct spdk_ioviter *iter = calloc(1, SPDK_IOVITER_SIZE(3));
	void *out[3];
	size_t expect[] = {30, 20, 50};
	size_t len, total = 0;
	int i = 0;

	assert_non_null(iter);
	for (len = spdk_ioviter_firstv(iter, 3, iovs, cnts, out); len > 0;
	     len = spdk_ioviter_nextv(iter, out)) {
		assert_true(i < 3);
		assert_int_equal(len, expect[i]);
		assert_ptr_equal(out[0], a + total);
		assert_ptr_equal(out[1], b + total);
		assert_ptr_equal(out[2], c + total);
		total += len;
		i++;
	}
	assert_int_equal(i, 3);
	assert_int_equal(total, 100);
	free(iter);
}

static void
iov_memset_one_and_length(void **state)
{
	uint8_t a[10], b[5];
	struct iovec iovs[2] = {{a, sizeof(a)}, {b, sizeof(b)}};
	struct iovec one;
	int cnt = 0;

	spdk_iov_memset(iovs, 2, 0x5a);
	for (size_t i = 0; i < sizeof(a); i++) {
		assert_int_equal(a[i], 0x5a);
	}
	assert_int_equal(b[4], 0x5a);
	assert_int_equal(spdk_iov_length(iovs, 2), 15);
	assert_int_equal(spdk_iov_length(iovs, 0), 0);

	spdk_iov_one(&one, &cnt, a, 7);
	assert_ptr_equal(one.iov_base, a);
	assert_int_equal(one.iov_len, 7);
	assert_int_equal(cnt, 1);
	cnt = 0;
	SPDK_IOV_ONE(&one, &cnt, b, 3);
	assert_ptr_equal(one.iov_base, b);
	assert_int_equal(one.iov_len, 3);
	assert_int_equal(cnt, 1);
}

static void
iov_xfer_copies_piece_by_piece(void **state)
{
	uint8_t a[6], b[4], src[10], back[10];
	struct iovec iovs[3] = {{a, sizeof(a)}, {NULL, 0}, {b, sizeof(b)}};
	struct spdk_iov_xfer ix;

	fill_pattern(src, sizeof(src), 9);
	spdk_iov_xfer_init(&ix, iovs, 3);
	assert_int_equal(spdk_iov_xfer_from_buf(&ix, src, 4), 4);
	assert_int_equal(spdk_iov_xfer_from_buf(&ix, src + 4, 4), 4);
	assert_int_equal(spdk_iov_xfer_from_buf(&ix, src + 8, 5), 2);
	assert_int_equal(spdk_iov_xfer_from_buf(&ix, src, 1), 0);
	assert_memory_equal(a, src, 6);
	assert_memory_equal(b, src + 6, 4);

	memset(back, 0, sizeof(back));
	spdk_iov_xfer_init(&ix, iovs, 3);
	assert_int_equal(spdk_iov_xfer_to_buf(&ix, back, 3), 3);
	assert_int_equal(spdk_iov_xfer_to_buf(&ix, back + 3, 100), 7);
	assert_memory_equal(back, src, sizeof(src));
}

static void
copy_iovs_to_buf_and_back(void **state)
{
	uint8_t a[3], b[5], flat[8], out[6];
	struct iovec iovs[2] = {{a, sizeof(a)}, {b, sizeof(b)}};

	fill_pattern(flat, sizeof(flat), 40);
	spdk_copy_buf_to_iovs(iovs, 2, flat, sizeof(flat));
	assert_memory_equal(a, flat, 3);
	assert_memory_equal(b, flat + 3, 5);

	memset(out, 0, sizeof(out));
	spdk_copy_iovs_to_buf(out, sizeof(out), iovs, 2);
	assert_memory_equal(out, flat, sizeof(out));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(min_max_countof_and_containerof),
		cmocka_unit_test(time_constants_and_bits),
		cmocka_unit_test(align_macros_keep_the_type_and_round),
		cmocka_unit_test(log2_rounds_down),
		cmocka_unit_test(alignpow2_rounds_up_to_a_power_of_two),
		cmocka_unit_test(is_pow2_rejects_zero_and_composites),
		cmocka_unit_test(divide_and_round_up),
		cmocka_unit_test(xorshift64_follows_the_published_recurrence),
		cmocka_unit_test(xorshift64_seed_is_non_zero_and_varies),
		cmocka_unit_test(sn32_compares_across_wrap_around),
		cmocka_unit_test(field_valid_follows_the_callers_size),
		cmocka_unit_test(iovcpy_copies_across_different_segmentation),
		cmocka_unit_test(iovmove_handles_overlap),
		cmocka_unit_test(ioviter_yields_common_runs),
		cmocka_unit_test(ioviter_walks_three_arrays_in_step),
		cmocka_unit_test(iov_memset_one_and_length),
		cmocka_unit_test(iov_xfer_copies_piece_by_piece),
		cmocka_unit_test(copy_iovs_to_buf_and_back),
	};

	return cmocka_run_group_tests_name("util", tests, NULL, NULL);
}
