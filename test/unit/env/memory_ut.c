/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/env/memory.c: alignment, zeroing, realloc, large
 * allocations backed by transparent huge pages, refusal of bad arguments,
 * and the no-op registration and translation calls.
 */

#include "spdk/stdinc.h"
#include "env/memory.c"

#include <setjmp.h>
#include <cmocka.h>

#include "log_capture.h"

#define MIB (UINT64_C(1024) * 1024)

static bool
is_aligned(const void *p, size_t align)
{
	return ((uintptr_t)p & (align - 1)) == 0;
}

static bool
all_bytes_are(const void *buf, uint8_t value, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != value) {
			return false;
		}
	}
	return true;
}

static void
fill_pattern(void *buf, size_t len)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		p[i] = (uint8_t)(i * 7 + 3);
	}
}

static bool
has_pattern(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != (uint8_t)(i * 7 + 3)) {
			return false;
		}
	}
	return true;
}

static void
malloc_default_alignment_is_cache_line(void **state)
{
	static const size_t sizes[] = {1, 7, 63, 64, 65, 4095, 4096, 100000};
	size_t i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		void *buf = spdk_malloc(sizes[i], 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);

		assert_non_null(buf);
		assert_true(is_aligned(buf, SPDK_CACHE_LINE_SIZE));
		memset(buf, 0xff, sizes[i]);
		spdk_free(buf);
	}
}

static void
malloc_honours_power_of_two_alignment(void **state)
{
	size_t align;

	for (align = 1; align <= 4 * MIB; align *= 2) {
		void *buf = spdk_malloc(100, align, NULL, 0, SPDK_MALLOC_DMA);

		assert_non_null(buf);
		assert_true(is_aligned(buf, align < SPDK_CACHE_LINE_SIZE ? SPDK_CACHE_LINE_SIZE
									 : align));
		memset(buf, 0x11, 100);
		spdk_free(buf);
	}
}

static void
malloc_refuses_bad_arguments_with_one_error_each(void **state)
{
	uint64_t phys = 0;

	cap_start();
	assert_null(spdk_malloc(0, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA));
	assert_int_equal(cap_errors(), 1);
	assert_true(cap_last_has("size"));

	assert_null(spdk_malloc(64, 48, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA));
	assert_int_equal(cap_errors(), 2);
	assert_true(cap_last_has("align 48"));

	assert_null(spdk_zmalloc(64, 0, &phys, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA));
	assert_int_equal(cap_errors(), 3);
	assert_true(cap_last_has("unused"));

	assert_null(spdk_malloc(64, 0, NULL, SPDK_ENV_NUMA_ID_ANY, 0));
	assert_int_equal(cap_errors(), 4);
	assert_true(cap_last_has("flags"));

	assert_null(spdk_dma_malloc(64, 0, &phys));
	assert_null(spdk_dma_zmalloc_socket(64, 3, NULL, 0));
	assert_null(spdk_malloc(SIZE_MAX - 16, 64, NULL, 0, SPDK_MALLOC_DMA));
	assert_null(spdk_malloc(SIZE_MAX - 16, 4 * MIB, NULL, 0, SPDK_MALLOC_SHARE));
	assert_int_equal(cap_errors(), 8);
	cap_stop();
}

static void
zmalloc_returns_zeroed_memory(void **state)
{
	void *small = spdk_zmalloc(5000, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_SHARE);
	void *large = spdk_dma_zmalloc(3 * MIB, 0, NULL);
	void *sock = spdk_dma_zmalloc_socket(100, 256, NULL, 0);

	assert_non_null(small);
	assert_non_null(large);
	assert_non_null(sock);
	assert_true(all_bytes_are(small, 0, 5000));
	assert_true(all_bytes_are(large, 0, 3 * MIB));
	assert_true(all_bytes_are(sock, 0, 100));
	assert_true(is_aligned(sock, 256));
	spdk_free(small);
	spdk_dma_free(large);
	spdk_dma_free(sock);
}

static void
free_accepts_null(void **state)
{
	cap_start();
	spdk_free(NULL);
	spdk_dma_free(NULL);
	assert_int_equal(cap_errors(), 0);
	cap_stop();
}

static void
realloc_preserves_contents_and_alignment(void **state)
{
	uint8_t *buf = spdk_malloc(100, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);

	assert_non_null(buf);
	fill_pattern(buf, 100);

	/* Grow with a stricter alignment. */
	buf = spdk_realloc(buf, 10000, 4096);
	assert_non_null(buf);
	assert_true(is_aligned(buf, 4096));
	assert_true(has_pattern(buf, 100));
	fill_pattern(buf, 10000);

	/* Shrink. */
	buf = spdk_realloc(buf, 50, 0);
	assert_non_null(buf);
	assert_true(is_aligned(buf, SPDK_CACHE_LINE_SIZE));
	assert_true(has_pattern(buf, 50));

	/* Grow across the huge-page threshold and keep the contents. */
	buf = spdk_realloc(buf, 5 * MIB, 0);
	assert_non_null(buf);
	assert_true(is_aligned(buf, 2 * MIB));
	assert_int_equal(mem_hdr_of(buf)->magic, MEM_MAGIC_MAP);
	assert_true(has_pattern(buf, 50));
	fill_pattern(buf, 5 * MIB);

	/* Grow a mapped block. */
	buf = spdk_dma_realloc(buf, 9 * MIB, 0, NULL);
	assert_non_null(buf);
	assert_true(has_pattern(buf, 5 * MIB));

	/* Back below the threshold: a heap block again, contents kept. */
	buf = spdk_realloc(buf, 1000, 128);
	assert_non_null(buf);
	assert_true(is_aligned(buf, 128));
	assert_int_equal(mem_hdr_of(buf)->magic, MEM_MAGIC_HEAP);
	assert_true(has_pattern(buf, 1000));
	spdk_free(buf);
}

static void
realloc_of_null_allocates_and_to_zero_frees(void **state)
{
	void *buf = spdk_realloc(NULL, 256, 0);

	assert_non_null(buf);
	assert_true(is_aligned(buf, SPDK_CACHE_LINE_SIZE));
	assert_null(spdk_realloc(buf, 0, 0));
	assert_null(spdk_realloc(NULL, 0, 0));
}

static void
realloc_refuses_bad_arguments_and_keeps_the_buffer(void **state)
{
	uint64_t phys = 0;
	uint8_t *buf = spdk_dma_malloc(300, 0, NULL);

	assert_non_null(buf);
	fill_pattern(buf, 300);
	cap_start();
	assert_null(spdk_realloc(buf, 600, 96));
	assert_int_equal(cap_errors(), 1);
	assert_true(cap_last_has("align 96"));
	assert_null(spdk_dma_realloc(buf, 600, 0, &phys));
	assert_int_equal(cap_errors(), 2);
	assert_true(cap_last_has("unused"));
	cap_stop();
	assert_true(has_pattern(buf, 300));
	spdk_dma_free(buf);
}

/* Finds the VmFlags line of the mapping that holds addr in /proc/self/smaps. */
static bool
smaps_vmflags(const void *addr, char *flags, size_t len)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	bool inside = false;

	if (f == NULL) {
		return false;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		unsigned long lo, hi;

		if (sscanf(line, "%lx-%lx ", &lo, &hi) == 2 &&
		    strchr(line, '-') < strchr(line, ' ')) {
			inside = (uintptr_t)addr >= lo && (uintptr_t)addr < hi;
			continue;
		}
		if (inside && strncmp(line, "VmFlags:", 8) == 0) {
			snprintf(flags, len, "%s", line + 8);
			fclose(f);
			return true;
		}
	}
	fclose(f);
	return false;
}

static void
large_allocation_is_2mib_aligned_and_advised_for_huge_pages(void **state)
{
	size_t size = 6 * MIB + 12345;
	uint8_t *buf = spdk_malloc(size, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	char flags[512];

	assert_non_null(buf);
	assert_true(is_aligned(buf, 2 * MIB));
	assert_int_equal(mem_hdr_of(buf)->magic, MEM_MAGIC_MAP);
	assert_true(mem_hdr_of(buf)->capacity >= size);
	assert_int_equal(mem_hdr_of(buf)->capacity % (2 * MIB), 0);
	memset(buf, 0x42, size);
	assert_int_equal(buf[size - 1], 0x42);

	/* With THP in the kernel, the mapping carries the "hg" (MADV_HUGEPAGE) flag. */
	if (access("/sys/kernel/mm/transparent_hugepage/enabled", F_OK) == 0) {
		assert_true(smaps_vmflags(buf, flags, sizeof(flags)));
		assert_non_null(strstr(flags, " hg"));
	}
	spdk_free(buf);

	/* A larger alignment than 2 MiB is honoured too. */
	buf = spdk_dma_malloc(2 * MIB, 8 * MIB, NULL);
	assert_non_null(buf);
	assert_true(is_aligned(buf, 8 * MIB));
	buf[0] = 1;
	buf[2 * MIB - 1] = 2;
	spdk_dma_free(buf);
}

static void
mem_register_checks_arguments_only(void **state)
{
	void *buf = spdk_malloc(4 * MIB, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);

	assert_non_null(buf);
	assert_int_equal(spdk_mem_register(buf, 4 * MIB), 0);
	assert_int_equal(spdk_mem_unregister(buf, 4 * MIB), 0);
	cap_start();
	assert_int_equal(spdk_mem_register(NULL, 2 * MIB), -EINVAL);
	assert_int_equal(spdk_mem_register(buf, 0), -EINVAL);
	assert_int_equal(spdk_mem_register((char *)buf + 4096, 2 * MIB), -EINVAL);
	assert_int_equal(spdk_mem_register(buf, MIB), -EINVAL);
	assert_int_equal(spdk_mem_unregister(buf, 3 * MIB), -EINVAL);
	assert_int_equal(cap_errors(), 5);
	cap_stop();
	spdk_free(buf);
}

static void
vtophys_returns_the_virtual_address(void **state)
{
	void *buf = spdk_dma_malloc(4096, 0, NULL);
	uint64_t size = 4096;

	assert_non_null(buf);
	assert_int_equal(spdk_vtophys(buf, &size), (uint64_t)(uintptr_t)buf);
	assert_int_equal(size, 4096);
	assert_int_equal(spdk_vtophys((char *)buf + 100, NULL), (uint64_t)(uintptr_t)buf + 100);
	assert_true(spdk_vtophys(NULL, NULL) == SPDK_VTOPHYS_ERROR);
	assert_false(spdk_iommu_is_enabled());
	assert_true(spdk_process_is_primary());
	spdk_dma_free(buf);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(malloc_default_alignment_is_cache_line),
		cmocka_unit_test(malloc_honours_power_of_two_alignment),
		cmocka_unit_test(malloc_refuses_bad_arguments_with_one_error_each),
		cmocka_unit_test(zmalloc_returns_zeroed_memory),
		cmocka_unit_test(free_accepts_null),
		cmocka_unit_test(realloc_preserves_contents_and_alignment),
		cmocka_unit_test(realloc_of_null_allocates_and_to_zero_frees),
		cmocka_unit_test(realloc_refuses_bad_arguments_and_keeps_the_buffer),
		cmocka_unit_test(large_allocation_is_2mib_aligned_and_advised_for_huge_pages),
		cmocka_unit_test(mem_register_checks_arguments_only),
		cmocka_unit_test(vtophys_returns_the_virtual_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
