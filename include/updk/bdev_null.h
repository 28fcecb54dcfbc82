/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The null bdev module's C API: bdevs that discard writes and complete reads
 * without touching the buffer, used to measure the framework itself. The
 * names and options are those of SPDK's module (the bdev_null_create,
 * bdev_null_delete and bdev_null_resize RPCs call these). A null bdev
 * supports read, write, write zeroes, reset and abort, not flush or unmap;
 * its I/O completes from a poller on the submitting thread.
 */

#ifndef UPDK_BDEV_NULL_H
#define UPDK_BDEV_NULL_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/uuid.h"
#include "spdk/dif.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called when bdev_null_delete() finishes.
 *
 * \param cb_arg The argument given to bdev_null_delete().
 * \param bdeverrno 0, or a negative errno (-ENODEV when no null bdev has that
 * name).
 */
typedef void (*spdk_delete_null_complete)(void *cb_arg, int bdeverrno);

/** Options of bdev_null_create(). Zero-initialise, then set what you need. */
struct null_bdev_opts {
	/** Name of the bdev (required). */
	const char *name;
	/** UUID, or NULL to generate one. */
	const struct spdk_uuid *uuid;
	/** Number of blocks; must be > 0. */
	uint64_t num_blocks;
	/** Block size in bytes; a multiple of 512. */
	uint32_t block_size;
	/** Physical block size: 0 (same as block_size) or a multiple of 512. */
	uint32_t physical_block_size;
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
	/** Preferred write alignment in blocks (reported only). */
	uint32_t preferred_write_alignment;
	/** Preferred write granularity in blocks (reported only). */
	uint32_t preferred_write_granularity;
	/** Optimal write size in blocks (reported only). */
	uint32_t optimal_write_size;
	/** Preferred unmap alignment in blocks (reported only). */
	uint32_t preferred_unmap_alignment;
	/** Preferred unmap granularity in blocks (reported only). */
	uint32_t preferred_unmap_granularity;
};

/**
 * Create and register a null bdev. Must be called on the app thread after
 * spdk_bdev_initialize().
 *
 * \param bdev Receives the bdev.
 * \param opts The options.
 * \return 0; -EINVAL for a NULL argument or name, num_blocks of 0, or a block
 * size or physical block size that is not a multiple of 512; -ENOTSUP when
 * md_size is not 0; -EEXIST when the name is in use; -ENOMEM. Each error
 * logs one line naming the bdev.
 */
int bdev_null_create(struct spdk_bdev **bdev, const struct null_bdev_opts *opts);

/**
 * Unregister and free a null bdev. Must be called on the app thread.
 *
 * \param bdev_name Name of the bdev.
 * \param cb_fn Called later with 0, or -ENODEV when no null bdev has that
 * name. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void bdev_null_delete(const char *bdev_name, spdk_delete_null_complete cb_fn, void *cb_arg);

/**
 * Change the size of a null bdev (sends RESIZE to its descriptors).
 *
 * \param bdev_name Name of the bdev.
 * \param new_size_in_mb New size in MiB; must not be smaller than the current
 * size.
 * \return 0; -ENODEV when no null bdev has that name; -EINVAL when the new
 * size is smaller than the current one or not a whole number of blocks.
 */
int bdev_null_resize(const char *bdev_name, const uint64_t new_size_in_mb);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_NULL_H */
