/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A table-driven functional suite for bdev modules. A test describes each
 * bdev configuration as one row (how to create and delete the bdev, and what
 * it can do); bdev_suite_run() then runs the same traffic and checks against
 * every row, from several pthreads that each poll their own spdk_threads:
 * write/read-verify at many sizes and offsets, readv/writev with many
 * segments, the first and last blocks and out-of-range refusals, unmap and
 * write zeroes (reading back zeros where the row says so), flush, random
 * read/write traffic with a reset in the middle, and a final read-verify of
 * everything written. Every submission and completion is counted; the run
 * ends with one line "N passed, M failed".
 *
 * Adding a module to the suite is one row (plus its create and destroy
 * functions, usually a few lines around the module's C API).
 */

#ifndef BDEV_SUITE_H
#define BDEV_SUITE_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"

/* Row capabilities. */
/** Reads return what was written (not set for null). */
#define SUITE_CAP_DATA (1u << 0)
/** UNMAP is supported (else the suite expects -ENOTSUP). */
#define SUITE_CAP_UNMAP (1u << 1)
/** Unmapped blocks read back as zeros (needs SUITE_CAP_DATA). */
#define SUITE_CAP_UNMAP_ZEROES (1u << 2)
/** WRITE_ZEROES is accepted (native or emulated; else -ENOTSUP expected). */
#define SUITE_CAP_WRITE_ZEROES (1u << 3)
/** FLUSH is supported (else the suite expects -ENOTSUP). */
#define SUITE_CAP_FLUSH (1u << 4)
/** RESET is supported and runs under load. */
#define SUITE_CAP_RESET (1u << 5)
/** A new bdev reads back as zeros (needs SUITE_CAP_DATA). */
#define SUITE_CAP_ZEROED (1u << 6)

struct bdev_suite_row;

/** Called by a row's destroy function when the bdev is gone. */
typedef void (*bdev_suite_destroy_cb)(void *cb_arg, int rc);

/** One bdev configuration. */
struct bdev_suite_row {
	/** Name of the row in messages (and of the bdev it creates). */
	const char *name;
	/**
	 * Create and register the bdev on the app thread (the bdev layer is
	 * initialised). \return 0 with *bdev set; -ENOTSUP (or any negative
	 * errno with skip_on_error) to skip the row, e.g. when the kernel lacks
	 * io_uring; another negative errno fails the row.
	 */
	int (*create)(const struct bdev_suite_row *row, struct spdk_bdev **bdev);
	/** Delete the bdev on the app thread, then call cb(cb_arg, rc). */
	void (*destroy)(const struct bdev_suite_row *row, struct spdk_bdev *bdev,
			bdev_suite_destroy_cb cb, void *cb_arg);
	/** SUITE_CAP_* flags. */
	uint32_t caps;
	/** Block size to create the bdev with. */
	uint32_t block_size;
	/** Number of blocks to create the bdev with. */
	uint64_t num_blocks;
	/** Random operations per worker (0: the suite's default). */
	uint32_t random_ops;
	/** Treat any create error as "skip this row". */
	bool skip_on_error;
	/** Free for the row's create and destroy functions. */
	void *ctx;
};

/** How the suite runs. Zero fields take defaults. */
struct bdev_suite_opts {
	/** Worker pthreads (default 3). */
	uint32_t pthreads;
	/** spdk_threads per worker pthread (default 2). */
	uint32_t threads_per_pthread;
	/** Random operations per worker when a row gives none (default 20000). */
	uint32_t random_ops;
	/** Queue depth per worker for random traffic (default 16, at most 32). */
	uint32_t queue_depth;
	/** Random traffic stops after this many milliseconds per row (default 3000). */
	uint32_t random_ms;
	/** Seed of the random generators (default: from the clock; printed). */
	uint64_t seed;
};

/**
 * Run the suite against every row. Initialises the thread library and the
 * bdev layer and finalises them again; must be called from main() with
 * nothing else running.
 *
 * \return 0 when every check passed, 1 when one failed, 77 when every row
 * was skipped.
 */
int bdev_suite_run(const struct bdev_suite_row *rows, size_t num_rows,
		   const struct bdev_suite_opts *opts);

#endif /* BDEV_SUITE_H */
