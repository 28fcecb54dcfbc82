/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/env/memory.c: alignment, zeroing, realloc, large
 * allocations backed by transparent huge pages, refusal of bad arguments,
 * the memory map (large blocks and spdk_mem_register() regions, their ids
 * and generations, overlaps, a full map) and the no-op translation calls.
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

/* Maps len bytes aligned to 2 MiB, as a caller of spdk_mem_register() would. */
static void *
map_2mib_aligned(size_t len)
{
	uint8_t *raw, *p;

	raw = mmap(NULL, len + 2 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(raw != MAP_FAILED);
	p = (uint8_t *)(((uintptr_t)raw + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1));
	if (p > raw) {
		munmap(raw, (size_t)(p - raw));
	}
	munmap(p + len, (size_t)(raw + len + 2 * MIB - (p + len)));
	return p;
}

static void
mem_register_checks_arguments_and_overlaps(void **state)
{
	void *block = spdk_malloc(4 * MIB, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	uint8_t *mine = map_2mib_aligned(6 * MIB);

	assert_non_null(block);
	assert_int_equal(spdk_mem_register(mine, 4 * MIB), 0);
	assert_int_equal(spdk_mem_unregister(mine, 4 * MIB), 0);
	cap_start();
	assert_int_equal(spdk_mem_register(NULL, 2 * MIB), -EINVAL);
	assert_int_equal(spdk_mem_register(mine, 0), -EINVAL);
	assert_int_equal(spdk_mem_register(mine + 4096, 2 * MIB), -EINVAL);
	assert_int_equal(spdk_mem_register(mine, MIB), -EINVAL);
	assert_int_equal(spdk_mem_unregister(mine, 3 * MIB), -EINVAL);
	assert_int_equal(cap_errors(), 5);

	/* As in SPDK, large blocks from the allocators are registered already. */
	assert_int_equal(spdk_mem_register(block, 2 * MIB), -EBUSY);
	assert_int_equal(cap_errors(), 6);
	assert_true(cap_last_has("overlaps"));
	/* So is a region once, and it is unregistered once. */
	assert_int_equal(spdk_mem_register(mine, 4 * MIB), 0);
	assert_int_equal(spdk_mem_register(mine + 2 * MIB, 4 * MIB), -EBUSY);
	assert_int_equal(spdk_mem_unregister(mine, 4 * MIB), 0);
	assert_int_equal(spdk_mem_unregister(mine, 4 * MIB), -EINVAL);
	assert_int_equal(cap_errors(), 8);
	/* Never a block of the allocators. */
	assert_int_equal(spdk_mem_unregister(block, 4 * MIB), -EINVAL);
	assert_int_equal(cap_errors(), 9);
	assert_true(cap_last_has("whole regions"));
	cap_stop();
	munmap(mine, 6 * MIB);
	spdk_free(block);
}

static void
mem_unregister_takes_whole_regions_without_gaps(void **state)
{
	uint8_t *mine = map_2mib_aligned(8 * MIB);
	struct updk_mem_region r;
	uint64_t gen;

	assert_int_equal(spdk_mem_register(mine, 2 * MIB), 0);
	assert_int_equal(spdk_mem_register(mine + 2 * MIB, 4 * MIB), 0);
	cap_start();
	/* Part of a region, a range past the last one, and a range with a gap. */
	assert_int_equal(spdk_mem_unregister(mine + 2 * MIB, 2 * MIB), -EINVAL);
	assert_int_equal(spdk_mem_unregister(mine, 8 * MIB), -EINVAL);
	assert_int_equal(cap_errors(), 2);
	cap_stop();
	assert_int_equal(updk__mem_region_find(mine + 3 * MIB, 4096, &r, &gen), 0);
	assert_true(r.base == (uintptr_t)mine + 2 * MIB && r.len == 4 * MIB);
	/* Two adjacent regions at once. */
	assert_int_equal(spdk_mem_unregister(mine, 6 * MIB), 0);
	assert_int_equal(updk__mem_region_find(mine, 4096, &r, &gen), -ENOENT);
	assert_int_equal(updk__mem_region_find(mine + 3 * MIB, 4096, &r, &gen), -ENOENT);

	assert_int_equal(spdk_mem_register(mine, 2 * MIB), 0);
	assert_int_equal(spdk_mem_register(mine + 4 * MIB, 2 * MIB), 0);
	cap_start();
	assert_int_equal(spdk_mem_unregister(mine, 6 * MIB), -EINVAL);
	cap_stop();
	assert_int_equal(spdk_mem_unregister(mine, 2 * MIB), 0);
	assert_int_equal(spdk_mem_unregister(mine + 4 * MIB, 2 * MIB), 0);
	munmap(mine, 8 * MIB);
}

static void
mem_region_find_knows_large_blocks_only(void **state)
{
	uint8_t *big = spdk_malloc(3 * MIB, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	uint8_t *small = spdk_malloc(64 * 1024, 4096, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	struct updk_mem_region r, r2;
	uint64_t gen, gen2;

	assert_non_null(big);
	assert_non_null(small);
	/* The block's whole capacity, rounded up to 2 MiB. */
	assert_int_equal(updk__mem_region_find(big + 12345, 4096, &r, &gen), 0);
	assert_true(r.id != 0);
	assert_true(r.base == (uintptr_t)big);
	assert_int_equal(r.len, 4 * MIB);
	assert_int_equal(gen & 1, 0);
	assert_true(gen == updk__mem_region_gen());
	assert_int_equal(updk__mem_region_find(big + 4 * MIB - 4096, 4096, &r2, &gen2), 0);
	assert_true(r2.id == r.id);
	assert_int_equal(updk__mem_region_find(big, 0, &r2, &gen2), 0);

	/* Straddling the end of the block: in no region, and no gap either. */
	assert_int_equal(updk__mem_region_find(big + 4 * MIB - 4096, 8192, &r2, &gen2), -ENOENT);
	assert_true(r2.id == 0 && r2.len == 0);

	/* A heap block is in a gap between regions, which holds it whole. */
	assert_int_equal(updk__mem_region_find(small, 64 * 1024, &r2, &gen2), -ENOENT);
	assert_true(r2.id == 0);
	assert_true(r2.base <= (uintptr_t)small);
	assert_true((uintptr_t)small + 64 * 1024 - r2.base <= r2.len);
	assert_true(r2.base + r2.len <= (uintptr_t)big || r2.base >= (uintptr_t)big + 4 * MIB);
	spdk_free(small);

	/* Freeing moves the generation on, and the region is gone. */
	spdk_free(big);
	assert_true(updk__mem_region_gen() != gen);
	assert_int_equal(updk__mem_region_find(big + 12345, 4096, &r2, &gen2), -ENOENT);
	assert_true(gen2 != gen);
}

static void
mem_region_of_a_new_block_has_a_new_id(void **state)
{
	struct updk_mem_region r, r2;
	uint64_t gen, gen2;
	uint8_t *a, *b;
	int i, reused = 0;

	for (i = 0; i < 8; i++) {
		a = spdk_dma_malloc(2 * MIB, 0, NULL);
		assert_non_null(a);
		assert_int_equal(updk__mem_region_find(a, 4096, &r, &gen), 0);
		spdk_dma_free(a);
		b = spdk_dma_malloc(2 * MIB, 0, NULL);
		assert_non_null(b);
		assert_int_equal(updk__mem_region_find(b, 4096, &r2, &gen2), 0);
		/* Even at the same address (mmap() usually gives it back). */
		reused += b == a;
		assert_true(r2.id != r.id);
		assert_true(gen2 != gen);
		spdk_dma_free(b);
	}
	print_message("the address was reused %d times out of 8\n", reused);
}

static void
mem_region_stays_through_realloc_in_place(void **state)
{
	uint8_t *buf = spdk_malloc(3 * MIB, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	struct updk_mem_region r, r2;
	uint64_t gen, gen2;
	uint8_t *moved;

	assert_non_null(buf);
	assert_int_equal(updk__mem_region_find(buf, 4096, &r, &gen), 0);
	assert_ptr_equal(spdk_realloc(buf, 4 * MIB, 0), buf);
	assert_int_equal(updk__mem_region_find(buf, 4096, &r2, &gen2), 0);
	assert_true(r2.id == r.id && gen2 == gen);
	moved = spdk_realloc(buf, 9 * MIB, 0);
	assert_non_null(moved);
	assert_int_equal(updk__mem_region_find(moved, 4096, &r2, &gen2), 0);
	assert_true(r2.id != r.id);
	assert_int_equal(r2.len, 10 * MIB);
	spdk_free(moved);
}

static void
mem_map_drops_stale_user_regions_under_a_new_block(void **state)
{
	uintptr_t base = (uintptr_t)1 << 46;
	struct updk_mem_region r;
	uint64_t gen;

	/* A region "registered" and then unmapped without unregistering:
	 * mmap() returning that range for a block proves it is stale. */
	assert_int_equal(mem_map_add("test", base, 2 * MIB, MEM_REGION_USER), 0);
	assert_int_equal(mem_map_add("test", base + 2 * MIB, 2 * MIB, MEM_REGION_USER), 0);
	cap_start();
	assert_int_equal(mem_map_add("test", base + MIB * 2, 4 * MIB, MEM_REGION_BLOCK), 0);
	assert_int_equal(cap_warnings(), 1);
	assert_int_equal(cap_errors(), 0);
	/* Blocks never overlap, and user regions never overlap anything. */
	assert_int_equal(mem_map_add("test", base + 4 * MIB, 2 * MIB, MEM_REGION_BLOCK), -EBUSY);
	assert_int_equal(mem_map_add("test", base, 4 * MIB, MEM_REGION_USER), -EBUSY);
	cap_stop();
	assert_int_equal(updk__mem_region_find((void *)(base + 3 * MIB), 1, &r, &gen), 0);
	assert_true(r.base == base + 2 * MIB && r.len == 4 * MIB);
	mem_map_remove_block(base + 2 * MIB);
	assert_int_equal(updk__mem_region_find((void *)(base + 3 * MIB), 1, &r, &gen), -ENOENT);
	assert_int_equal(spdk_mem_unregister((void *)base, 2 * MIB), 0);
	assert_int_equal(updk__mem_region_find((void *)base, 1, &r, &gen), -ENOENT);
}

static void
mem_map_full_leaves_blocks_out_with_one_notice(void **state)
{
	uintptr_t base = (uintptr_t)1 << 45;
	struct updk_mem_region r;
	uint64_t gen, n, count = g_mem_map.count;
	void *buf, *buf2;
	uint8_t *mine;

	/* Fill the table with fake user regions, in address order (appends). */
	for (n = count; n < MEM_MAP_MAX_REGIONS; n++) {
		assert_int_equal(
			mem_map_add("test", base + (n - count) * 2 * MIB, 2 * MIB, MEM_REGION_USER),
			0);
	}
	cap_start();
	buf = spdk_malloc(2 * MIB, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	buf2 = spdk_malloc(2 * MIB, 0, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	assert_non_null(buf);
	assert_non_null(buf2);
	assert_int_equal(cap_notices(), 1);
	assert_int_equal(updk__mem_region_find(buf, 4096, &r, &gen), -ENOENT);
	mine = map_2mib_aligned(2 * MIB);
	assert_int_equal(spdk_mem_register(mine, 2 * MIB), -ENOMEM);
	assert_int_equal(cap_errors(), 1);
	cap_stop();
	/* Blocks out of the map still work and free cleanly. */
	memset(buf, 1, 2 * MIB);
	spdk_free(buf);
	spdk_free(buf2);
	assert_int_equal(
		spdk_mem_unregister((void *)base, (size_t)(MEM_MAP_MAX_REGIONS - count) * 2 * MIB),
		0);
	assert_int_equal(g_mem_map.count, count);
	assert_int_equal(spdk_mem_register(mine, 2 * MIB), 0);
	assert_int_equal(spdk_mem_unregister(mine, 2 * MIB), 0);
	munmap(mine, 2 * MIB);
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
		cmocka_unit_test(mem_register_checks_arguments_and_overlaps),
		cmocka_unit_test(mem_unregister_takes_whole_regions_without_gaps),
		cmocka_unit_test(mem_region_find_knows_large_blocks_only),
		cmocka_unit_test(mem_region_of_a_new_block_has_a_new_id),
		cmocka_unit_test(mem_region_stays_through_realloc_in_place),
		cmocka_unit_test(mem_map_drops_stale_user_regions_under_a_new_block),
		cmocka_unit_test(mem_map_full_leaves_blocks_out_with_one_notice),
		cmocka_unit_test(vtophys_returns_the_virtual_address),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
