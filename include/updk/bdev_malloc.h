/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The malloc bdev module's C API: RAM disks that programs can create and
 * delete without the RPC server (the bdev_malloc_create and
 * bdev_malloc_delete RPCs call these). The names and options are those of
 * SPDK's module. A malloc disk is zero-filled and supports read, write,
 * unmap, write zeroes, flush, reset, compare, copy and abort; its I/O
 * completes from a poller on the submitting thread.
 */

#ifndef UPDK_BDEV_MALLOC_H
#define UPDK_BDEV_MALLOC_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/uuid.h"
#include "spdk/dif.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called when delete_malloc_disk() finishes.
 *
 * \param cb_arg The argument given to delete_malloc_disk().
 * \param bdeverrno 0, or a negative errno (-ENODEV when no malloc bdev has
 * that name).
 */
typedef void (*spdk_delete_malloc_complete)(void *cb_arg, int bdeverrno);

/** Options of create_malloc_disk(). Zero-initialise, then set what you need. */
struct malloc_bdev_opts {
	/** Name of the bdev, or NULL for "Malloc<N>" (N counts up from 0). */
	char *name;
	/** UUID, or all zero to generate one. */
	struct spdk_uuid uuid;
	/** Number of blocks; must be > 0. */
	uint64_t num_blocks;
	/** Block size in bytes; a multiple of 512. */
	uint32_t block_size;
	/** Physical block size in bytes: 0 (same as block_size) or a multiple of 512. */
	uint32_t physical_block_size;
	/** Optimal I/O boundary in blocks; non-zero also makes the bdev layer split on it. */
	uint32_t optimal_io_boundary;
	/** Metadata bytes per block; updk supports only 0. */
	uint32_t md_size;
	/** Metadata interleaved with data (ignored without metadata). */
	bool md_interleave;
	/** Protection information type; SPDK_DIF_DISABLE without metadata. */
	enum spdk_dif_type dif_type;
	/** PI at the start of the metadata (ignored without metadata). */
	bool dif_is_head_of_md;
	/** Protection information format (ignored without metadata). */
	enum spdk_dif_pi_format dif_pi_format;
	/** NUMA node of the memory, or SPDK_ENV_NUMA_ID_ANY (-1). */
	int32_t numa_id;
};

/**
 * Create and register a malloc bdev. Must be called on the app thread after
 * spdk_bdev_initialize().
 *
 * \param bdev Receives the bdev.
 * \param opts The options.
 * \return 0; -EINVAL for a NULL argument, num_blocks of 0, a block size or
 * physical block size that is not a multiple of 512, or a disk larger than
 * the address space; -ENOTSUP when md_size is not 0; -EEXIST when the name
 * is in use; -ENOMEM. Each error logs one line naming the bdev.
 */
int create_malloc_disk(struct spdk_bdev **bdev, const struct malloc_bdev_opts *opts);

/**
 * Unregister and free a malloc bdev (see spdk_bdev_unregister()). Must be
 * called on the app thread.
 *
 * \param name Name of the bdev.
 * \param cb_fn Called later with 0, or -ENODEV when no malloc bdev has that
 * name. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void delete_malloc_disk(const char *name, spdk_delete_malloc_complete cb_fn, void *cb_arg);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_MALLOC_H */
