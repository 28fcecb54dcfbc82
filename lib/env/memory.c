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
 * spdk_realloc() knows how much to copy. Also the address-translation calls,
 * which have nothing to do without an IOMMU, and the memory map: the mapped
 * blocks and the regions given to spdk_mem_register(), which the io_uring
 * bdev module registers with the kernel (include/updk_internal/env.h).
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "updk_internal/env.h"

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

/*
 * The memory map: a table of non-overlapping regions sorted by address, in a
 * mapping reserved once (untouched pages cost nothing) and never moved or
 * released, so that a reader can never touch freed memory. Writers (the
 * allocation and release of mapped blocks, spdk_mem_register() and
 * spdk_mem_unregister(), on any pthread) hold g_mem_map.lock. Readers take
 * no lock: the table is a sequence lock, and a reader whose snapshot was
 * torn by a writer throws it away.
 *
 * Ordering contract. A writer, holding the lock, makes seq odd (relaxed
 * store), changes count and the entries with release stores, and makes seq
 * even again with a release store. A reader loads seq with acquire, reads
 * count and the entries with acquire loads and loads seq again (relaxed, but
 * after the acquire loads in program order); its snapshot is valid only if
 * both loads of seq gave the same even value. A reader that read any value a
 * writer stored synchronises with that release store, so it sees the odd seq
 * (or a later one) on its second load; the writer's final release store pairs
 * with the reader's first acquire load, so a reader that saw the new even seq
 * sees every new entry. No fences: ThreadSanitizer does not model them. Every
 * shared field is accessed atomically, so a torn snapshot is only ever
 * discarded, never undefined. On x86 these are all plain moves.
 *
 * A region leaves the table (seq moves on) before its memory is unmapped,
 * so that memory mapped later at the same address is never mistaken for it
 * by a reader that checks that seq did not move.
 */
#define MEM_MAP_MAX_REGIONS 65536
/* Snapshots a reader tries before it gives up (-EAGAIN) instead of waiting
 * for a writer that may have been preempted. */
#define MEM_MAP_READ_TRIES 4

/* What put a region in the map. */
enum mem_region_kind {
	/* A block of MEM_HUGE_SIZE or more from the allocators. */
	MEM_REGION_BLOCK = 1,
	/* A region given to spdk_mem_register(). */
	MEM_REGION_USER = 2,
};

struct mem_region_ent {
	uintptr_t base;
	uintptr_t len;
	/* Never reused; see struct updk_mem_region. */
	uint64_t id;
	/* enum mem_region_kind */
	uint64_t kind;
};

static struct {
	pthread_mutex_t lock;
	/* Odd while a writer changes the table; see the contract above. */
	uint64_t seq;
	/* Entries in use; written under the lock, read by anyone. */
	uint64_t count;
	/* MEM_MAP_MAX_REGIONS entries, reserved on first use; never changes
	 * once set. */
	struct mem_region_ent *ents;
	/* The lock protects the rest. */
	uint64_t next_id;
	/* A block was left out of the map (logged once). */
	bool full_logged;
} g_mem_map = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.next_id = 1,
};

#define MEM_LOAD(p) __atomic_load_n(p, __ATOMIC_ACQUIRE)
#define MEM_STORE(p, v) __atomic_store_n(p, v, __ATOMIC_RELEASE)

static uintptr_t
mem_ent_end(const struct mem_region_ent *e)
{
	return MEM_LOAD(&e->base) + MEM_LOAD(&e->len);
}

/* Index of the first entry that ends after addr (count when none does). */
static uint64_t
mem_map_search(const struct mem_region_ent *ents, uint64_t count, uintptr_t addr)
{
	uint64_t lo = 0, hi = count, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (mem_ent_end(&ents[mid]) <= addr) {
			lo = mid + 1;
		} else {
			hi = mid;
		}
	}
	return lo;
}

uint64_t
updk__mem_region_gen(void)
{
	return __atomic_load_n(&g_mem_map.seq, __ATOMIC_ACQUIRE);
}

int
updk__mem_region_find(const void *addr, size_t len, struct updk_mem_region *region, uint64_t *gen)
{
	uintptr_t start = (uintptr_t)addr, end, lo, hi, base, rlen;
	const struct mem_region_ent *ents;
	uint64_t s1, count, i, id;
	int tries;

	end = start + (len == 0 ? 1 : len);
	if (end < start) {
		end = UINTPTR_MAX;
	}
	for (tries = 0; tries < MEM_MAP_READ_TRIES; tries++) {
		s1 = __atomic_load_n(&g_mem_map.seq, __ATOMIC_ACQUIRE);
		if ((s1 & 1) != 0) {
			spdk_pause();
			continue;
		}
		ents = __atomic_load_n(&g_mem_map.ents, __ATOMIC_ACQUIRE);
		count = ents != NULL ? MEM_LOAD(&g_mem_map.count) : 0;
		if (count > MEM_MAP_MAX_REGIONS) {
			count = MEM_MAP_MAX_REGIONS;
		}
		i = mem_map_search(ents, count, start);
		lo = i > 0 ? mem_ent_end(&ents[i - 1]) : 0;
		hi = i < count ? MEM_LOAD(&ents[i].base) : UINTPTR_MAX;
		rlen = i < count ? MEM_LOAD(&ents[i].len) : 0;
		id = i < count ? MEM_LOAD(&ents[i].id) : 0;
		if (__atomic_load_n(&g_mem_map.seq, __ATOMIC_RELAXED) != s1) {
			continue;
		}
		*gen = s1;
		base = hi;
		if (id != 0 && base <= start && end - base <= rlen) {
			region->id = id;
			region->base = base;
			region->len = rlen;
			return 0;
		}
		region->id = 0;
		if (start >= lo && end <= hi) {
			/* In the gap between two regions. */
			region->base = lo;
			region->len = hi - lo;
		} else {
			region->base = start;
			region->len = 0;
		}
		return -ENOENT;
	}
	return -EAGAIN;
}

static void
mem_map_write_begin(void)
{
	uint64_t seq = __atomic_load_n(&g_mem_map.seq, __ATOMIC_RELAXED);

	assert((seq & 1) == 0);
	__atomic_store_n(&g_mem_map.seq, seq + 1, __ATOMIC_RELAXED);
}

static void
mem_map_write_end(void)
{
	uint64_t seq = __atomic_load_n(&g_mem_map.seq, __ATOMIC_RELAXED);

	assert((seq & 1) == 1);
	__atomic_store_n(&g_mem_map.seq, seq + 1, __ATOMIC_RELEASE);
}

static void
mem_ent_copy(struct mem_region_ent *dst, const struct mem_region_ent *src)
{
	MEM_STORE(&dst->base, MEM_LOAD(&src->base));
	MEM_STORE(&dst->len, MEM_LOAD(&src->len));
	MEM_STORE(&dst->id, MEM_LOAD(&src->id));
	MEM_STORE(&dst->kind, MEM_LOAD(&src->kind));
}

/* Removes entries [first, last); between write_begin and write_end. */
static void
mem_map_remove_locked(uint64_t first, uint64_t last)
{
	struct mem_region_ent *ents = g_mem_map.ents;
	uint64_t count = g_mem_map.count, i;

	for (i = last; i < count; i++) {
		mem_ent_copy(&ents[first + i - last], &ents[i]);
	}
	MEM_STORE(&g_mem_map.count, count - (last - first));
}

/*
 * Adds [base, base + len) as a region of the given kind. A block that mmap()
 * has just returned cannot overlap live memory, so a user region that it
 * overlaps is stale (unmapped without spdk_mem_unregister()) and is dropped;
 * any other overlap is refused with -EBUSY. -ENOMEM when the table is full
 * or cannot be reserved. Logs nothing but the dropping of stale regions.
 */
static int
mem_map_add(const char *func, uintptr_t base, uintptr_t len, enum mem_region_kind kind)
{
	struct mem_region_ent *ents;
	uint64_t count, i, j, k;
	void *p;
	int rc = 0;

	pthread_mutex_lock(&g_mem_map.lock);
	ents = g_mem_map.ents;
	if (ents == NULL) {
		p = mmap(NULL, MEM_MAP_MAX_REGIONS * sizeof(*ents), PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (p == MAP_FAILED) {
			rc = -ENOMEM;
			goto out;
		}
		ents = p;
		__atomic_store_n(&g_mem_map.ents, ents, __ATOMIC_RELEASE);
	}
	count = g_mem_map.count;
	i = mem_map_search(ents, count, base);
	for (j = i; j < count && ents[j].base < base + len; j++) {
		if (kind != MEM_REGION_BLOCK || ents[j].kind != MEM_REGION_USER) {
			rc = -EBUSY;
			goto out;
		}
	}
	if (j > i) {
		SPDK_WARNLOG("%s: the new block at %p overlaps %" PRIu64
			     " region(s) given to spdk_mem_register() and unmapped "
			     "without spdk_mem_unregister(); dropping them\n",
			     func, (void *)base, j - i);
	}
	if (count - (j - i) >= MEM_MAP_MAX_REGIONS) {
		rc = -ENOMEM;
		goto out;
	}

	mem_map_write_begin();
	if (j > i) {
		mem_map_remove_locked(i, j);
		count = g_mem_map.count;
	}
	for (k = count; k > i; k--) {
		mem_ent_copy(&ents[k], &ents[k - 1]);
	}
	MEM_STORE(&ents[i].base, base);
	MEM_STORE(&ents[i].len, len);
	MEM_STORE(&ents[i].id, g_mem_map.next_id++);
	MEM_STORE(&ents[i].kind, (uint64_t)kind);
	MEM_STORE(&g_mem_map.count, count + 1);
	mem_map_write_end();
out:
	pthread_mutex_unlock(&g_mem_map.lock);
	return rc;
}

/* Adds a new mapped block to the map. A block the map cannot take works all
 * the same; only io_uring cannot register it. */
static void
mem_map_add_block(const char *func, uintptr_t base, uintptr_t len)
{
	if (mem_map_add(func, base, len, MEM_REGION_BLOCK) != 0 &&
	    !__atomic_exchange_n(&g_mem_map.full_logged, true, __ATOMIC_RELAXED)) {
		SPDK_NOTICELOG("%s: the memory map holds at most %d regions; blocks past that "
			       "are not in it (io_uring cannot register them)\n",
			       func, MEM_MAP_MAX_REGIONS);
	}
}

/* Drops the block at base from the map, if it is there (a block allocated
 * while the map was full is not). */
static void
mem_map_remove_block(uintptr_t base)
{
	uint64_t i;

	pthread_mutex_lock(&g_mem_map.lock);
	if (g_mem_map.ents != NULL) {
		i = mem_map_search(g_mem_map.ents, g_mem_map.count, base);
		if (i < g_mem_map.count && g_mem_map.ents[i].base == base &&
		    g_mem_map.ents[i].kind == MEM_REGION_BLOCK) {
			mem_map_write_begin();
			mem_map_remove_locked(i, i + 1);
			mem_map_write_end();
		}
	}
	pthread_mutex_unlock(&g_mem_map.lock);
}

/*
 * Drops the user regions that exactly tile [base, base + len): each one
 * wholly inside, no gaps, as SPDK requires. -EINVAL (not logged) otherwise.
 */
static int
mem_map_remove_user(uintptr_t base, uintptr_t len)
{
	struct mem_region_ent *ents;
	uintptr_t at = base;
	uint64_t i, j;
	int rc = -EINVAL;

	pthread_mutex_lock(&g_mem_map.lock);
	ents = g_mem_map.ents;
	if (ents == NULL) {
		goto out;
	}
	i = mem_map_search(ents, g_mem_map.count, base);
	for (j = i; j < g_mem_map.count && at < base + len; j++) {
		if (ents[j].kind != MEM_REGION_USER || ents[j].base != at ||
		    ents[j].len > base + len - at) {
			goto out;
		}
		at += ents[j].len;
	}
	if (j == i || at != base + len) {
		goto out;
	}
	mem_map_write_begin();
	mem_map_remove_locked(i, j);
	mem_map_write_end();
	rc = 0;
out:
	pthread_mutex_unlock(&g_mem_map.lock);
	return rc;
}

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
	mem_map_add_block(func, (uintptr_t)buf, len);
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
		/* Out of the map before the address can be mapped again. */
		mem_map_remove_block((uintptr_t)buf);
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
	int rc;

	rc = mem_check_region(__func__, vaddr, len);
	if (rc != 0) {
		return rc;
	}
	rc = mem_map_add(__func__, (uintptr_t)vaddr, len, MEM_REGION_USER);
	if (rc == -EBUSY) {
		SPDK_ERRLOG("%s: region at %p of %zu bytes overlaps registered memory (blocks of "
			    "2 MiB or more from spdk_malloc() and spdk_dma_malloc() are registered "
			    "already)\n",
			    __func__, vaddr, len);
	} else if (rc != 0) {
		SPDK_ERRLOG("%s: region at %p of %zu bytes: the memory map is full (%d "
			    "regions)\n",
			    __func__, vaddr, len, MEM_MAP_MAX_REGIONS);
	}
	return rc;
}

int
spdk_mem_unregister(void *vaddr, size_t len)
{
	int rc;

	rc = mem_check_region(__func__, vaddr, len);
	if (rc != 0) {
		return rc;
	}
	rc = mem_map_remove_user((uintptr_t)vaddr, len);
	if (rc != 0) {
		SPDK_ERRLOG("%s: region at %p of %zu bytes is not made of whole regions given to "
			    "spdk_mem_register()\n",
			    __func__, vaddr, len);
	}
	return rc;
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
