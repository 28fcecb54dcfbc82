/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The environment: memory, memory pools, time and CPU cores.
 *
 * SPDK builds this layer on DPDK (hugepages, pinned memory, lcores). updk
 * implements the same functions on ordinary Linux user space: memory comes
 * from the C heap or anonymous mmap (large blocks backed by transparent huge
 * pages), nothing is pinned, no root is needed, and a "core" is simply a CPU
 * number the process is allowed to run on. Everything here works without
 * spdk_env_init(); calling it only narrows the set of cores.
 *
 * Memory is never DMA-able by a device in updk: there is no IOMMU mapping and
 * spdk_vtophys() returns the virtual address. Code written for SPDK that only
 * passes these buffers to the kernel (read, write, io_uring, libaio) works
 * unchanged.
 */

#ifndef SPDK_ENV_H
#define SPDK_ENV_H

#include "spdk/stdinc.h"
#include "spdk/queue.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef SPDK_CACHE_LINE_SIZE
/** Size of a CPU cache line in bytes; the minimum alignment of env memory. */
#define SPDK_CACHE_LINE_SIZE 64
#endif

/** Any NUMA node. */
#define SPDK_ENV_NUMA_ID_ANY (-1)
/** Older name of SPDK_ENV_NUMA_ID_ANY, kept for source compatibility. */
#define SPDK_ENV_SOCKET_ID_ANY (-1)

/** Any core; also what spdk_env_get_current_core() returns on a thread the env did not start. */
#define SPDK_ENV_LCORE_ID_ANY (UINT32_MAX)

/** spdk_malloc() flag: memory a device could use for DMA (ordinary memory in updk). */
#define SPDK_MALLOC_DMA 0x01
/** spdk_malloc() flag: memory shared between processes (accepted; updk memory is private). */
#define SPDK_MALLOC_SHARE 0x02

/** Longest memory pool name DPDK accepts; updk accepts longer names too. */
#define SPDK_MAX_MEMPOOL_NAME_LEN 29

/** What spdk_vtophys() returns when it cannot translate an address. */
#define SPDK_VTOPHYS_ERROR (0xFFFFFFFFFFFFFFFFULL)

/** A PCI address (updk has no PCI support; the type exists for spdk_env_opts). */
struct spdk_pci_addr {
	/** PCI domain. */
	uint32_t domain;
	/** Bus number. */
	uint8_t bus;
	/** Device number. */
	uint8_t dev;
	/** Function number. */
	uint8_t func;
};

/**
 * Options of spdk_env_init(). Fill with spdk_env_opts_init() first, then
 * change the fields you need. updk uses name, core_mask, main_core and
 * opts_size; every other field is accepted for compatibility with SPDK and
 * ignored, as noted on each.
 */
struct spdk_env_opts {
	/** Name of the program; copied, and only used in log messages. */
	const char *name;
	/**
	 * The cores to use: a hexadecimal mask ("0x3" or "3": CPUs 0 and 1) or a
	 * bracketed list with ranges ("[0,1]", "[0-3,8]"). NULL (the default)
	 * selects one core: the lowest-numbered CPU the process may run on.
	 */
	const char *core_mask;
	/** DPDK's --lcores map. Ignored (a warning is logged when set). */
	const char *lcore_map;
	/** Shared-memory id of DPDK multi-process mode. Ignored. */
	int shm_id;
	/** Number of memory channels. Ignored. */
	int mem_channel;
	/** The main core, which must be in core_mask; -1 (the default) means the first. */
	int main_core;
	/** Memory to reserve in MiB. Ignored: updk allocates on demand. */
	int mem_size;
	/** Disable PCI access. Ignored: updk never touches PCI. */
	bool no_pci;
	/** Hugepage layout option. Ignored: updk uses no hugetlbfs. */
	bool hugepage_single_segments;
	/** Hugepage file option. Ignored. */
	bool unlink_hugepage;
	/** Run without hugepages. Ignored: updk never uses hugetlbfs. */
	bool no_huge;
	/** Reserved; keep zero. */
	uint32_t reserved;
	/** Number of entries in pci_blocked or pci_allowed. Ignored. */
	size_t num_pci_addr;
	/** Hugetlbfs mount point. Ignored. */
	const char *hugedir;
	/** PCI devices not to use. Ignored. */
	struct spdk_pci_addr *pci_blocked;
	/** PCI devices to use. Ignored. */
	struct spdk_pci_addr *pci_allowed;
	/** DPDK IOVA mode ("pa" or "va"). Ignored. */
	const char *iova_mode;
	/** Base virtual address of DPDK's memory. Ignored. */
	uint64_t base_virtaddr;
	/** Opaque context of the env implementation. Ignored. */
	void *env_context;
	/** VFIO VF token. Ignored. */
	const char *vf_token;
	/** sizeof(struct spdk_env_opts) as the caller knew it; set by spdk_env_opts_init(). */
	size_t opts_size;
	/** Fail allocations that cannot be NUMA-local. Ignored: updk has one NUMA node. */
	bool enforce_numa;
	/** Reserved; keep zero. */
	uint8_t reserved2[7];
};

/**
 * Fill \p opts with the defaults: name "spdk", core_mask NULL (one core),
 * main_core -1, shm_id -1, mem_size -1, mem_channel -1, every other field
 * zero, and opts_size = sizeof(*opts).
 *
 * \param opts Options to fill. NULL is ignored.
 */
void spdk_env_opts_init(struct spdk_env_opts *opts);

/**
 * Initialise the environment: choose the cores that spdk_env_get_*_core()
 * report and that spdk_env_thread_launch_pinned() accepts. The calling
 * pthread's current core becomes the main core (it is not pinned).
 *
 * The env works without this call; until then (and again after
 * spdk_env_fini()) its cores are every CPU in the process's affinity mask and
 * the main core is the lowest of them. Memory, pools and ticks do not depend on
 * it. Call it from one thread, before other threads use the core functions.
 *
 * \param opts Options from spdk_env_opts_init(). NULL re-initialises with the
 * options of the previous spdk_env_init(), after spdk_env_fini().
 * \return 0 on success;
 * -EINVAL if the core mask cannot be parsed, selects no core, names a CPU the
 * process may not run on, main_core is not in the mask, opts_size is too small,
 * opts is NULL with no earlier initialisation, or the env is already
 * initialised (call spdk_env_fini() first).
 */
int spdk_env_init(const struct spdk_env_opts *opts);

/**
 * Undo spdk_env_init(): the core set returns to the process's affinity mask
 * and the calling pthread's current core is cleared. Threads started with
 * spdk_env_thread_launch_pinned() are not touched; join them with
 * spdk_env_thread_wait_all() first. Does nothing if the env is not
 * initialised.
 */
void spdk_env_fini(void);

/**
 * Allocate memory, aligned to at least a cache line.
 *
 * Blocks of 2 MiB or more come from anonymous mmap, aligned to 2 MiB (or more
 * if asked) and advised for transparent huge pages; smaller blocks come from
 * the C heap. Nothing is pinned. Thread-safe.
 *
 * \param size Size in bytes; must be non-zero.
 * \param align Alignment in bytes: 0 for the default (a cache line), otherwise
 * a power of two. Values below a cache line are raised to a cache line.
 * \param unused Must be NULL (SPDK once returned a physical address here).
 * \param numa_id NUMA node, or SPDK_ENV_NUMA_ID_ANY. Ignored.
 * \param flags SPDK_MALLOC_DMA and/or SPDK_MALLOC_SHARE; must be non-zero.
 * The flags do not change how updk allocates.
 * \return the memory, to be released with spdk_free(), or NULL (with an error
 * logged) when size is 0, align is not a power of two, unused is not NULL,
 * flags is 0, or memory runs out.
 */
void *spdk_malloc(size_t size, size_t align, uint64_t *unused, int numa_id, uint32_t flags);

/**
 * Like spdk_malloc(), and the memory is zeroed.
 *
 * \param size Size in bytes; must be non-zero.
 * \param align 0 or a power of two (see spdk_malloc()).
 * \param unused Must be NULL.
 * \param numa_id NUMA node, or SPDK_ENV_NUMA_ID_ANY. Ignored.
 * \param flags Non-zero combination of SPDK_MALLOC_DMA and SPDK_MALLOC_SHARE.
 * \return zeroed memory, to be released with spdk_free(), or NULL (see spdk_malloc()).
 */
void *spdk_zmalloc(size_t size, size_t align, uint64_t *unused, int numa_id, uint32_t flags);

/**
 * Resize memory from spdk_malloc() (or any allocator in this header). The
 * contents up to the smaller of the two sizes are kept, and the result is
 * aligned to \p align. The block may move.
 *
 * \param buf Memory to resize, or NULL to allocate new memory.
 * \param size New size in bytes; 0 frees \p buf and returns NULL.
 * \param align 0 or a power of two (see spdk_malloc()).
 * \return the resized memory, or NULL (with an error logged) when align is not
 * a power of two or memory runs out; \p buf is then left untouched.
 */
void *spdk_realloc(void *buf, size_t size, size_t align);

/**
 * Release memory from any allocator in this header.
 *
 * \param buf Memory to release, or NULL (which does nothing).
 */
void spdk_free(void *buf);

/**
 * Allocate "DMA" memory: spdk_malloc() with SPDK_MALLOC_DMA on any NUMA node.
 *
 * \param size Size in bytes; must be non-zero.
 * \param align 0 or a power of two (see spdk_malloc()).
 * \param unused Must be NULL.
 * \return the memory, to be released with spdk_dma_free(), or NULL.
 */
void *spdk_dma_malloc(size_t size, size_t align, uint64_t *unused);

/**
 * spdk_dma_malloc() with a NUMA node.
 *
 * \param size Size in bytes; must be non-zero.
 * \param align 0 or a power of two (see spdk_malloc()).
 * \param unused Must be NULL.
 * \param numa_id NUMA node, or SPDK_ENV_NUMA_ID_ANY. Ignored.
 * \return the memory, to be released with spdk_dma_free(), or NULL.
 */
void *spdk_dma_malloc_socket(size_t size, size_t align, uint64_t *unused, int numa_id);

/**
 * spdk_dma_malloc() with the memory zeroed.
 *
 * \param size Size in bytes; must be non-zero.
 * \param align 0 or a power of two (see spdk_malloc()).
 * \param unused Must be NULL.
 * \return zeroed memory, to be released with spdk_dma_free(), or NULL.
 */
void *spdk_dma_zmalloc(size_t size, size_t align, uint64_t *unused);

/**
 * spdk_dma_zmalloc() with a NUMA node.
 *
 * \param size Size in bytes; must be non-zero.
 * \param align 0 or a power of two (see spdk_malloc()).
 * \param unused Must be NULL.
 * \param numa_id NUMA node, or SPDK_ENV_NUMA_ID_ANY. Ignored.
 * \return zeroed memory, to be released with spdk_dma_free(), or NULL.
 */
void *spdk_dma_zmalloc_socket(size_t size, size_t align, uint64_t *unused, int numa_id);

/**
 * spdk_realloc() for DMA memory.
 *
 * \param buf Memory to resize, or NULL to allocate.
 * \param size New size in bytes; 0 frees \p buf and returns NULL.
 * \param align 0 or a power of two (see spdk_malloc()).
 * \param unused Must be NULL, otherwise NULL is returned and \p buf is untouched.
 * \return the resized memory, or NULL (see spdk_realloc()).
 */
void *spdk_dma_realloc(void *buf, size_t size, size_t align, uint64_t *unused);

/**
 * Release memory from spdk_dma_malloc() (or any allocator in this header).
 *
 * \param buf Memory to release, or NULL (which does nothing).
 */
void spdk_dma_free(void *buf);

/**
 * Register memory for DMA. updk has no IOMMU; it records the region, so that
 * the io_uring bdev module may register it with the kernel (pinning it) the
 * first time an I/O buffer lies in it. As in SPDK, blocks of 2 MiB or more
 * from spdk_malloc() and spdk_dma_malloc() are registered already. The
 * memory must stay mapped until spdk_mem_unregister() returns. Any thread.
 *
 * \param vaddr Start of the region; non-NULL and 2 MiB-aligned.
 * \param len Length of the region; non-zero and a multiple of 2 MiB.
 * \return 0 on success; -EINVAL for a bad argument; -EBUSY when the region
 * overlaps registered memory (nothing changes); -ENOMEM when the memory map
 * is full (65536 regions, large blocks included).
 */
int spdk_mem_register(void *vaddr, size_t len);

/**
 * Unregister memory registered with spdk_mem_register(). Any thread.
 *
 * \param vaddr Start of the region; non-NULL and 2 MiB-aligned.
 * \param len Length of the region; non-zero and a multiple of 2 MiB. The
 * range must be made of whole regions given to spdk_mem_register(), with no
 * gaps.
 * \return 0 on success; -EINVAL for a bad argument or a range that is not
 * made of whole registered regions (nothing changes).
 */
int spdk_mem_unregister(void *vaddr, size_t len);

/**
 * Translate a virtual address to the address a device would use.
 *
 * updk runs without an IOMMU and without physical addresses, so this returns
 * the virtual address itself, and the translation is valid for the whole
 * region.
 *
 * \param buf Address to translate.
 * \param size If not NULL, on input the length of the region; left unchanged,
 * since the whole region translates.
 * \return (uint64_t)buf, or SPDK_VTOPHYS_ERROR when \p buf is NULL.
 */
uint64_t spdk_vtophys(const void *buf, uint64_t *size);

/** \return false: updk never uses an IOMMU. */
bool spdk_iommu_is_enabled(void);

/** \return true: updk has no DPDK multi-process mode, so every process is primary. */
bool spdk_process_is_primary(void);

/** A thread-safe pool of fixed-size elements with per-thread caches. */
struct spdk_mempool;

/** Ask spdk_mempool_create() for a cache size that suits the pool. */
#define SPDK_MEMPOOL_DEFAULT_CACHE_SIZE SIZE_MAX

/**
 * Called once per element: by spdk_mempool_create_ctor() to initialise it and
 * by spdk_mempool_obj_iter() to visit it.
 *
 * \param mp The pool.
 * \param opaque The caller's argument.
 * \param obj The element.
 * \param obj_idx Index of the element in the pool, from 0.
 */
typedef void(spdk_mempool_obj_cb_t)(struct spdk_mempool *mp, void *opaque, void *obj,
				    unsigned obj_idx);

/**
 * Called by spdk_mempool_mem_iter() for each memory chunk of a pool.
 *
 * \param mp The pool.
 * \param opaque The caller's argument.
 * \param addr Start of the chunk.
 * \param iova Device address of the chunk (equal to addr in updk).
 * \param len Length of the chunk in bytes.
 * \param mem_idx Index of the chunk, from 0.
 */
typedef void(spdk_mempool_mem_cb_t)(struct spdk_mempool *mp, void *opaque, void *addr,
				    uint64_t iova, size_t len, unsigned mem_idx);

/**
 * Create a pool of \p count elements of \p ele_size bytes each.
 *
 * Elements are aligned to a cache line. Every pthread that uses the pool gets
 * its own cache of up to \p cache_size elements, so spdk_mempool_get() and
 * spdk_mempool_put() usually take no lock; the cache goes back to the pool
 * when the pthread exits or the pool is freed. Elements held in one pthread's
 * cache are not available to other pthreads, so a get can fail while
 * spdk_mempool_count() is still above zero.
 *
 * \param name Unique name of the pool (copied), for spdk_mempool_lookup().
 * \param count Number of elements; 1 to UINT32_MAX.
 * \param ele_size Size of an element in bytes; non-zero.
 * \param cache_size Elements each pthread may cache: 0 for no cache,
 * SPDK_MEMPOOL_DEFAULT_CACHE_SIZE for min(512, count / (2 * core count)),
 * otherwise the number asked for, limited to \p count.
 * \param numa_id NUMA node, or SPDK_ENV_NUMA_ID_ANY. Ignored.
 * \return the pool, to be released with spdk_mempool_free(), or NULL (with an
 * error logged) when name is NULL or empty, a pool of that name exists, count
 * or ele_size is out of range, or memory runs out.
 */
struct spdk_mempool *spdk_mempool_create(const char *name, size_t count, size_t ele_size,
					 size_t cache_size, int numa_id);

/**
 * spdk_mempool_create(), then call \p obj_init on every element, in index
 * order, before returning.
 *
 * \param name Unique name of the pool (copied).
 * \param count Number of elements; 1 to UINT32_MAX.
 * \param ele_size Size of an element in bytes; non-zero.
 * \param cache_size Per-pthread cache size (see spdk_mempool_create()).
 * \param numa_id NUMA node, or SPDK_ENV_NUMA_ID_ANY. Ignored.
 * \param obj_init Element initialiser, or NULL.
 * \param obj_init_arg Passed to \p obj_init as opaque.
 * \return the pool, to be released with spdk_mempool_free(), or NULL (see
 * spdk_mempool_create()).
 */
struct spdk_mempool *spdk_mempool_create_ctor(const char *name, size_t count, size_t ele_size,
					      size_t cache_size, int numa_id,
					      spdk_mempool_obj_cb_t *obj_init, void *obj_init_arg);

/**
 * \param mp The pool.
 * \return the pool's name, owned by the pool.
 */
char *spdk_mempool_get_name(struct spdk_mempool *mp);

/**
 * Free a pool and its elements. Logs an error if elements are still out
 * (taken and not put back); they become invalid all the same. No other
 * pthread may use the pool during or after this call.
 *
 * \param mp The pool, or NULL (which does nothing).
 */
void spdk_mempool_free(struct spdk_mempool *mp);

/**
 * Take an element. Any pthread may call it.
 *
 * \param mp The pool.
 * \return an element, or NULL when neither this pthread's cache nor the shared
 * pool holds one.
 */
void *spdk_mempool_get(struct spdk_mempool *mp);

/**
 * Take \p count elements, or none.
 *
 * \param mp The pool.
 * \param ele_arr Receives the elements.
 * \param count Number of elements to take; 0 does nothing.
 * \return 0 on success; -ENOENT when fewer than \p count elements are
 * available to this pthread (nothing is taken; put some back and retry);
 * -EINVAL when ele_arr is NULL.
 */
int spdk_mempool_get_bulk(struct spdk_mempool *mp, void **ele_arr, size_t count);

/**
 * Put an element back. Any pthread may put an element taken by any other.
 * An address that is not an element of the pool is refused with an error
 * logged.
 *
 * \param mp The pool the element came from.
 * \param ele The element.
 */
void spdk_mempool_put(struct spdk_mempool *mp, void *ele);

/**
 * Put \p count elements back.
 *
 * \param mp The pool the elements came from.
 * \param ele_arr The elements.
 * \param count Number of elements.
 */
void spdk_mempool_put_bulk(struct spdk_mempool *mp, void **ele_arr, size_t count);

/**
 * Count the free elements, in the shared pool and in every pthread's cache.
 * The result is a snapshot while other pthreads use the pool.
 *
 * \param pool The pool.
 * \return the number of free elements.
 */
size_t spdk_mempool_count(const struct spdk_mempool *pool);

/**
 * Call \p obj_cb on every element of the pool, free or not, in index order.
 *
 * \param mp The pool.
 * \param obj_cb Function to call.
 * \param obj_cb_arg Passed to \p obj_cb as opaque.
 * \return the number of elements visited.
 */
uint32_t spdk_mempool_obj_iter(struct spdk_mempool *mp, spdk_mempool_obj_cb_t obj_cb,
			       void *obj_cb_arg);

/**
 * Call \p mem_cb on every memory chunk of the pool. An updk pool has one chunk.
 *
 * \param mp The pool.
 * \param mem_cb Function to call.
 * \param mem_cb_arg Passed to \p mem_cb as opaque.
 * \return the number of chunks visited.
 */
uint32_t spdk_mempool_mem_iter(struct spdk_mempool *mp, spdk_mempool_mem_cb_t mem_cb,
			       void *mem_cb_arg);

/**
 * Find a pool by name.
 *
 * \param name Name given to spdk_mempool_create().
 * \return the pool, or NULL if there is none of that name.
 */
struct spdk_mempool *spdk_mempool_lookup(const char *name);

/** \return the number of cores in the env's core set. */
uint32_t spdk_env_get_core_count(void);

/**
 * \return the core of the calling pthread: the core given to
 * spdk_env_thread_launch_pinned() on a thread it started, the main core on the
 * thread that called spdk_env_init(), otherwise SPDK_ENV_LCORE_ID_ANY.
 */
uint32_t spdk_env_get_current_core(void);

/** \return the main core (spdk_env_opts.main_core, by default the first core). */
uint32_t spdk_env_get_main_core(void);

/** \return the lowest core in the env's core set. */
uint32_t spdk_env_get_first_core(void);

/** \return the highest core in the env's core set. */
uint32_t spdk_env_get_last_core(void);

/**
 * \param prev_core A core.
 * \return the lowest core in the env's core set above \p prev_core, or
 * UINT32_MAX if there is none.
 */
uint32_t spdk_env_get_next_core(uint32_t prev_core);

/** Loop over every core of the env, in increasing order. \p i must be a uint32_t. */
#define SPDK_ENV_FOREACH_CORE(i) \
	for ((i) = spdk_env_get_first_core(); (i) < UINT32_MAX; (i) = spdk_env_get_next_core((i)))

/**
 * \param core A core.
 * \return the NUMA node of \p core: always 0, since updk treats the machine as
 * one NUMA node.
 */
int32_t spdk_env_get_numa_id(uint32_t core);

/**
 * Older name of spdk_env_get_numa_id().
 *
 * \param core A core.
 * \return 0.
 */
uint32_t spdk_env_get_socket_id(uint32_t core);

/** \return the first NUMA node in use: 0. */
int32_t spdk_env_get_first_numa_id(void);

/**
 * \param prev_numa_id A NUMA node.
 * \return the next NUMA node in use after \p prev_numa_id: always INT32_MAX
 * (none), as updk has only node 0.
 */
int32_t spdk_env_get_next_numa_id(int32_t prev_numa_id);

/** \return the last NUMA node in use: 0. */
int32_t spdk_env_get_last_numa_id(void);

/** Loop over every NUMA node in use. \p i must be an int32_t. */
#define SPDK_ENV_FOREACH_NUMA_ID(i)                               \
	for ((i) = spdk_env_get_first_numa_id(); (i) < INT32_MAX; \
	     (i) = spdk_env_get_next_numa_id((i)))

struct spdk_cpuset;

/**
 * Clear \p cpuset, then set the bit of every core in the env's core set.
 *
 * \param cpuset The set to fill.
 */
void spdk_env_get_cpuset(struct spdk_cpuset *cpuset);

/** Entry point of a thread started by spdk_env_thread_launch_pinned(); the return value is ignored. */
typedef int (*thread_start_fn)(void *);

/**
 * Start a pthread pinned to the CPU \p core and run \p fn(\p arg) on it, with
 * spdk_env_get_current_core() returning \p core. If the CPU cannot be pinned
 * (the process's affinity changed since spdk_env_init()), a warning is logged
 * and the thread runs unpinned. At most one launched thread per core may be
 * running or unjoined at a time.
 *
 * \param core A core of the env's core set.
 * \param fn Function to run; its return value is ignored.
 * \param arg Passed to \p fn.
 * \return 0 on success; -EINVAL when core is not in the env's core set or fn
 * is NULL; -EBUSY when a launched thread on that core has not been joined by
 * spdk_env_thread_wait_all(); -ENOMEM or -EAGAIN when the thread cannot be
 * created.
 */
int spdk_env_thread_launch_pinned(uint32_t core, thread_start_fn fn, void *arg);

/**
 * Wait until every thread started by spdk_env_thread_launch_pinned() has
 * returned, and join them. A launched thread that calls this skips itself.
 */
void spdk_env_thread_wait_all(void);

/**
 * A monotonic time stamp in ticks: the CPU's time-stamp counter on x86_64 when
 * it runs at a constant rate that does not stop in idle states (CPU flags
 * constant_tsc and nonstop_tsc), otherwise CLOCK_MONOTONIC in nanoseconds.
 * Thread-safe and cheap (a few nanoseconds with the TSC).
 *
 * \return the current tick count.
 */
uint64_t spdk_get_ticks(void);

/**
 * The rate of spdk_get_ticks(). With the TSC, the first call measures it
 * against CLOCK_MONOTONIC_RAW for about 10 ms; later calls return the stored
 * value. Thread-safe.
 *
 * \return ticks per second.
 */
uint64_t spdk_get_ticks_hz(void);

/**
 * Wait \p us microseconds. Short waits spin; longer ones sleep, then spin for
 * the last part, so the wait ends close to the deadline without burning a CPU
 * for long waits.
 *
 * \param us Microseconds to wait.
 */
void spdk_delay_us(unsigned int us);

/** Tell the CPU the caller is spinning (the x86 pause instruction). */
void spdk_pause(void);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_ENV_H */
