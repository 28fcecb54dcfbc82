/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The delay bdev module's C API (the bdev_delay_create, bdev_delay_delete
 * and bdev_delay_update_latency RPCs call these). A delay bdev sits on a
 * base bdev, claims it, and holds back each completion: reads by the average
 * read latency, writes (and write zeroes, unmap, flush) by the average write
 * latency, and one I/O in a hundred by the p99 latency instead. Latencies are
 * in microseconds and count from the base's completion, so they add to the
 * base's own latency. Names and parameters are those of SPDK's module.
 */

#ifndef UPDK_BDEV_DELAY_H
#define UPDK_BDEV_DELAY_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Which latency of a delay bdev to set. */
enum delay_io_type {
	/** Average read latency. */
	DELAY_AVG_READ,
	/** Read latency of the slowest 1 % of reads. */
	DELAY_P99_READ,
	/** Average write latency (write, write zeroes, unmap, flush). */
	DELAY_AVG_WRITE,
	/** Write latency of the slowest 1 % of writes. */
	DELAY_P99_WRITE,
	/** No latency (other I/O types). */
	DELAY_NONE
};

/**
 * Called when delete_delay_disk() finishes.
 *
 * \param cb_arg The argument given to delete_delay_disk().
 * \param bdeverrno 0, or -ENODEV when no delay bdev of that name is configured.
 */
typedef void (*spdk_delete_delay_complete)(void *cb_arg, int bdeverrno);

/**
 * Configure a delay bdev on a base bdev. It is created at once when the base
 * exists (the base is claimed and the new bdev registered); otherwise a
 * notice is logged and it is created when a bdev of the base's name
 * registers. The configuration stays until delete_delay_disk(): the delay
 * bdev is unregistered when its base is hot-removed and comes back (same
 * UUID and latencies) when a bdev of that name registers again; it follows
 * the base's resizes. save_config writes every configuration, also those
 * waiting for their base. Must be called on the app thread.
 *
 * \param bdev_name Name of the base bdev.
 * \param vbdev_name Name of the new bdev; not the same as \p bdev_name.
 * \param uuid UUID of the new bdev, or NULL (or all zero) to generate one
 * when it first registers.
 * \param avg_read_latency Average read latency in microseconds.
 * \param p99_read_latency p99 read latency in microseconds.
 * \param avg_write_latency Average write latency in microseconds.
 * \param p99_write_latency p99 write latency in microseconds.
 * \return 0; -EINVAL for a NULL, empty or equal name or a latency above one
 * hour; -EEXIST when a bdev has the name, or a passthru, delay or error bdev
 * is already configured with that name or on that base; -EPERM when the
 * base exists and is already claimed; -ENOMEM. Each error logs one line and
 * leaves nothing configured.
 */
int create_delay_disk(const char *bdev_name, const char *vbdev_name, const struct spdk_uuid *uuid,
		      uint64_t avg_read_latency, uint64_t p99_read_latency,
		      uint64_t avg_write_latency, uint64_t p99_write_latency);

/**
 * Forget a delay bdev's configuration, and unregister the delay bdev if it
 * exists. Must be called on the app thread. I/O already delayed completes at
 * its time; the base is released after the last descriptor and channel are
 * gone.
 *
 * \param vbdev_name Name of the delay bdev.
 * \param cb_fn Called once, later, on the calling thread: with 0 when the
 * delay bdev is destroyed (when it was still waiting for its base, as soon
 * as the configuration is forgotten), or with -ENODEV when no delay bdev of
 * that name is configured. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void delete_delay_disk(const char *vbdev_name, spdk_delete_delay_complete cb_fn, void *cb_arg);

/**
 * Change one latency of a delay bdev. I/O submitted afterwards uses it; I/O
 * already waiting keeps its time. The configuration keeps the new value (a
 * bdev that comes back with its base, and save_config, use it). Must be
 * called on the app thread.
 *
 * \param delay_name Name of the delay bdev.
 * \param latency_us The latency in microseconds (at most one hour).
 * \param type Which latency (not DELAY_NONE).
 * \return 0; -ENODEV when no bdev has that name; -EINVAL when the bdev is not
 * a delay bdev, \p type is invalid or the latency is too large.
 */
int vbdev_delay_update_latency_value(const char *delay_name, uint64_t latency_us,
				     enum delay_io_type type);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_DELAY_H */
