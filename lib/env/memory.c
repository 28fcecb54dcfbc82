/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * SPDK's "DMA" allocators on ordinary process memory. Small blocks come from
 * the C heap; blocks of 2 MiB or more are anonymous mappings aligned to 2 MiB
 * and advised for transparent huge pages, which gives large buffers (RAM
 * disks, bounce buffers) the TLB behaviour of SPDK's hugepages without
 * hugetlbfs or root. Every block carries a small header just below the
 * pointer handed out, so spdk_free() knows how to release it and
 * spdk_realloc() knows how much to copy. Also the address-translation and
 * registration calls, which have nothing to do without an IOMMU.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/log.h"

/* Blocks this large come from mmap and are aligned for huge pages. */
#define MEM_HUGE_SIZE (UINT64_C(2) * 1024 * 1024)

#define MEM_MAGIC_HEAP UINT64_C(0x7570646b68656170)
#define MEM_MAGIC_MAP UINT64_C(0x7570646b6d6d6170)
#define MEM_MAGIC_FREED UINT64_C(0x7570646b66726565)

/* Debug builds fill new (not zeroed) blocks and freed blocks with these. */
#define MEM_FILL_NEW 0xa5
#define MEM_FILL_FREED 0x5a

/*
 * Sits immediately below every pointer returned to the caller. The pointer is
 * aligned to at least a cache line, so the header always fits in the padding
 * in front of it (heap blocks) or in the page in front of it (mapped blocks).
 */
struct mem_hdr {
	/* Bytes the caller asked for: what spdk_realloc() copies. */
	size_t size;
	/* Bytes usable from the returned pointer on. */
	size_t capacity;
	/* What to hand to free() or munmap(). */
	void *base;
	/* Length of the mapping at base; 0 for a heap block. */
	size_t map_len;
	/* MEM_MAGIC_HEAP or MEM_MAGIC_MAP while allocated. */
	uint64_t magic;
};

_Static_assert(sizeof(struct mem_hdr) <= SPDK_CACHE_LINE_SIZE,
	       "the header must fit in the minimum alignment padding");
_Static_assert(_Alignof(struct mem_hdr) <= SPDK_CACHE_LINE_SIZE,
	       "the header must be placeable just below a cache-line-aligned pointer");

static struct mem_hdr *
mem_hdr_of(void *buf)
{
	return (struct mem_hdr *)buf - 1;
}

static bool
mem_is_pow2(size_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/* Checks the arguments every allocator shares, and turns align 0 into the default. */
static bool
mem_check_args(const char *func, size_t size, size_t *align, const uint64_t *unused)
{
	if (size == 0) {
		SPDK_ERRLOG("%s: size is 0\n", func);
		return false;
	}
	if (unused != NULL) {
		SPDK_ERRLOG("%s: the third argument (unused) must be NULL\n", func);
		return false;
	}
	if (*align == 0) {
		*align = SPDK_CACHE_LINE_SIZE;
	} else if (!mem_is_pow2(*align)) {
		SPDK_ERRLOG("%s: align %zu is not a power of two\n", func, *align);
		return false;
	} else if (*align < SPDK_CACHE_LINE_SIZE) {
		*align = SPDK_CACHE_LINE_SIZE;
	}
	return true;
}

static void *
mem_alloc_heap(const char *func, size_t size, size_t align, bool zero)
{
	struct mem_hdr *hdr;
	void *base;
	char *buf;
	int rc;

	/* The header lives in the first align bytes; align >= sizeof(*hdr). */
	if (size > SIZE_MAX - align) {
		SPDK_ERRLOG("%s: size %zu with align %zu overflows\n", func, size, align);
		return NULL;
	}
	rc = posix_memalign(&base, align, align + size);
	if (rc != 0) {
		SPDK_ERRLOG("%s: cannot allocate %zu bytes: %s\n", func, size, strerror(rc));
		return NULL;
	}
	buf = (char *)base + align;
	hdr = mem_hdr_of(buf);
	hdr->size = size;
	hdr->capacity = size;
	hdr->base = base;
	hdr->map_len = 0;
	hdr->magic = MEM_MAGIC_HEAP;
	if (zero) {
		memset(buf, 0, size);
	} else {
#ifdef DEBUG
		memset(buf, MEM_FILL_NEW, size);
#endif
	}
	return buf;
}

/*
 * Maps len rounded up to 2 MiB plus one page for the header, aligned to
 * max(align, 2 MiB), by over-mapping and trimming both ends. Anonymous pages
 * are already zero, so zeroing costs nothing and the pages stay untouched
 * until first use.
 */
static void *
mem_alloc_map(const char *func, size_t size, size_t align)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	size_t a = align > MEM_HUGE_SIZE ? align : MEM_HUGE_SIZE;
	size_t len, total, head, tail;
	struct mem_hdr *hdr;
	char *raw, *buf, *base;

	if (size > SIZE_MAX - MEM_HUGE_SIZE) {
		goto overflow;
	}
	len = (size + MEM_HUGE_SIZE - 1) & ~(size_t)(MEM_HUGE_SIZE - 1);
	if (len > SIZE_MAX - a - page) {
		goto overflow;
	}
	total = len + a + page;

	raw = mmap(NULL, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) {
		SPDK_ERRLOG("%s: cannot map %zu bytes: %s\n", func, size, strerror(errno));
		return NULL;
	}
	buf = (char *)(((uintptr_t)raw + page + a - 1) & ~(uintptr_t)(a - 1));
	base = buf - page;
	head = (size_t)(base - raw);
	tail = total - head - page - len;
	if (head != 0) {
		munmap(raw, head);
	}
	if (tail != 0) {
		munmap(buf + len, tail);
	}
	/* Advice only: without THP support the memory still works, in small pages. */
	(void)madvise(buf, len, MADV_HUGEPAGE);

	hdr = mem_hdr_of(buf);
	hdr->size = size;
	hdr->capacity = len;
	hdr->base = base;
	hdr->map_len = page + len;
	hdr->magic = MEM_MAGIC_MAP;
	return buf;

overflow:
	SPDK_ERRLOG("%s: size %zu with align %zu overflows\n", func, size, align);
	return NULL;
}

static void *
mem_alloc(const char *func, size_t size, size_t align, const uint64_t *unused, uint32_t flags,
	  bool zero)
{
	if (!mem_check_args(func, size, &align, unused)) {
		return NULL;
	}
	if (flags == 0) {
		SPDK_ERRLOG("%s: flags is 0; pass SPDK_MALLOC_DMA and/or SPDK_MALLOC_SHARE\n",
			    func);
		return NULL;
	}
	if (size >= MEM_HUGE_SIZE) {
		return mem_alloc_map(func, size, align);
	}
	return mem_alloc_heap(func, size, align, zero);
}

/* Returns the header of buf, or NULL (logged) if buf did not come from here. */
static struct mem_hdr *
mem_lookup(const char *func, void *buf)
{
	struct mem_hdr *hdr = mem_hdr_of(buf);

	if (hdr->magic != MEM_MAGIC_HEAP && hdr->magic != MEM_MAGIC_MAP) {
		SPDK_ERRLOG("%s: %p was not allocated by spdk_malloc() or spdk_dma_malloc(), "
			    "or was already freed\n",
			    func, buf);
		return NULL;
	}
	return hdr;
}

static void
mem_release(const char *func, void *buf)
{
	struct mem_hdr *hdr;

	if (buf == NULL) {
		return;
	}
	hdr = mem_lookup(func, buf);
	if (hdr == NULL) {
		return;
	}
	if (hdr->magic == MEM_MAGIC_MAP) {
		void *base = hdr->base;
		size_t map_len = hdr->map_len;

		hdr->magic = MEM_MAGIC_FREED;
		munmap(base, map_len);
		return;
	}
#ifdef DEBUG
	memset(buf, MEM_FILL_FREED, hdr->size);
#endif
	hdr->magic = MEM_MAGIC_FREED;
	free(hdr->base);
}

static void *
mem_realloc(const char *func, void *buf, size_t size, size_t align, const uint64_t *unused)
{
	struct mem_hdr *hdr;
	bool mapped;
	void *new_buf;

	if (unused != NULL) {
		SPDK_ERRLOG("%s: the fourth argument (unused) must be NULL\n", func);
		return NULL;
	}
	if (size == 0) {
		/* Like realloc(buf, 0) in DPDK: release and hand back nothing. */
		mem_release(func, buf);
		return NULL;
	}
	if (!mem_check_args(func, size, &align, NULL)) {
		return NULL;
	}
	if (buf == NULL) {
		return mem_alloc(func, size, align, NULL, SPDK_MALLOC_DMA, false);
	}
	hdr = mem_lookup(func, buf);
	if (hdr == NULL) {
		return NULL;
	}

	/* Stay in place when the block is big enough, aligned enough and of the
	 * kind a fresh allocation of this size would get. */
	mapped = hdr->magic == MEM_MAGIC_MAP;
	if (size <= hdr->capacity && ((uintptr_t)buf & (align - 1)) == 0 &&
	    mapped == (size >= MEM_HUGE_SIZE)) {
		hdr->size = size;
		return buf;
	}

	new_buf = mem_alloc(func, size, align, NULL, SPDK_MALLOC_DMA, false);
	if (new_buf == NULL) {
		return NULL;
	}
	memcpy(new_buf, buf, size < hdr->size ? size : hdr->size);
	mem_release(func, buf);
	return new_buf;
}

void *
spdk_malloc(size_t size, size_t align, uint64_t *unused, int numa_id, uint32_t flags)
{
	return mem_alloc(__func__, size, align, unused, flags, false);
}

void *
spdk_zmalloc(size_t size, size_t align, uint64_t *unused, int numa_id, uint32_t flags)
{
	return mem_alloc(__func__, size, align, unused, flags, true);
}

void *
spdk_realloc(void *buf, size_t size, size_t align)
{
	return mem_realloc(__func__, buf, size, align, NULL);
}

void
spdk_free(void *buf)
{
	mem_release(__func__, buf);
}

void *
spdk_dma_malloc(size_t size, size_t align, uint64_t *unused)
{
	return mem_alloc(__func__, size, align, unused, SPDK_MALLOC_DMA, false);
}

void *
spdk_dma_malloc_socket(size_t size, size_t align, uint64_t *unused, int numa_id)
{
	return mem_alloc(__func__, size, align, unused, SPDK_MALLOC_DMA, false);
}

void *
spdk_dma_zmalloc(size_t size, size_t align, uint64_t *unused)
{
	return mem_alloc(__func__, size, align, unused, SPDK_MALLOC_DMA, true);
}

void *
spdk_dma_zmalloc_socket(size_t size, size_t align, uint64_t *unused, int numa_id)
{
	return mem_alloc(__func__, size, align, unused, SPDK_MALLOC_DMA, true);
}

void *
spdk_dma_realloc(void *buf, size_t size, size_t align, uint64_t *unused)
{
	return mem_realloc(__func__, buf, size, align, unused);
}

void
spdk_dma_free(void *buf)
{
	mem_release(__func__, buf);
}

static int
mem_check_region(const char *func, void *vaddr, size_t len)
{
	uintptr_t start = (uintptr_t)vaddr;

	if (vaddr == NULL || len == 0) {
		SPDK_ERRLOG("%s: vaddr %p and len %zu must be non-zero\n", func, vaddr, len);
		return -EINVAL;
	}
	if ((start & (MEM_HUGE_SIZE - 1)) != 0 || (len & (MEM_HUGE_SIZE - 1)) != 0) {
		SPDK_ERRLOG("%s: vaddr %p and len %zu must be multiples of 2 MiB\n", func, vaddr,
			    len);
		return -EINVAL;
	}
	if (start > UINTPTR_MAX - len) {
		SPDK_ERRLOG("%s: region at %p of %zu bytes wraps around\n", func, vaddr, len);
		return -EINVAL;
	}
	return 0;
}

int
spdk_mem_register(void *vaddr, size_t len)
{
	return mem_check_region(__func__, vaddr, len);
}

int
spdk_mem_unregister(void *vaddr, size_t len)
{
	return mem_check_region(__func__, vaddr, len);
}

uint64_t
spdk_vtophys(const void *buf, uint64_t *size)
{
	if (buf == NULL) {
		return SPDK_VTOPHYS_ERROR;
	}
	return (uint64_t)(uintptr_t)buf;
}

bool
spdk_iommu_is_enabled(void)
{
	return false;
}

bool
spdk_process_is_primary(void)
{
	return true;
}
