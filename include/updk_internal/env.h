/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Env functions shared with other updk components but not part of the public
 * API: the reactors use them to tell the env which core a pthread serves, and
 * the io_uring bdev module uses the memory map to find the long-lived region
 * an I/O buffer belongs to, which it can register with the kernel.
 */

#ifndef UPDK_INTERNAL_ENV_H
#define UPDK_INTERNAL_ENV_H

#include "spdk/stdinc.h"
#include "spdk/env.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Set the core that spdk_env_get_current_core() returns on the calling
 * pthread. The core is not checked against the env's core set and the pthread
 * is not pinned.
 *
 * \param core A core, or SPDK_ENV_LCORE_ID_ANY to clear it.
 */
void updk__env_set_current_core(uint32_t core);

/**
 * A region of the memory map: a block of 2 MiB or more from one of the
 * allocators of spdk/env.h (a mapping of its own, 2 MiB-aligned, tracked
 * from allocation to spdk_free()), or a region given to spdk_mem_register()
 * (tracked until spdk_mem_unregister()).
 */
struct updk_mem_region {
	/** Unique in the process and never reused; 0 for no region. */
	uint64_t id;
	/** First byte. */
	uintptr_t base;
	/** Length in bytes. */
	uintptr_t len;
};

/**
 * The generation of the memory map: it changes every time a region is added
 * or removed, and a region is removed before its memory is unmapped (or, for
 * spdk_mem_unregister(), before the call returns). A region found at
 * generation g therefore still holds the same memory as long as the
 * generation is still g. It is odd while the map is being changed, and such
 * a value is never returned by updk__mem_region_find(). Any thread; lock
 * free, and it writes nothing shared.
 */
uint64_t updk__mem_region_gen(void);

/**
 * Find the region of the memory map that holds all of [addr, addr + len).
 * Any thread; lock free (a reader never waits for a writer), and it writes
 * nothing shared.
 *
 * \param addr First byte.
 * \param len Length in bytes; 0 is taken as 1.
 * \param region Receives the region. When there is none, region->id is 0 and
 * [base, base + len) is the largest range around \p addr that no region
 * overlaps (len 0 when [addr, addr + len) straddles the edge of a region).
 * \param gen Receives the generation the answer is valid for (see
 * updk__mem_region_gen()).
 * \return 0 when a region holds the range; -ENOENT when none does (as
 * described for \p region); -EAGAIN when the map kept changing while it was
 * read (nothing is filled in; treat the range as in no region, or retry
 * later).
 */
int updk__mem_region_find(const void *addr, size_t len, struct updk_mem_region *region,
			  uint64_t *gen);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_ENV_H */
