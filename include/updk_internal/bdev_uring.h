/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * io_uring bdev module functions shared with updk's tests but not part of the
 * public API: turning registered (fixed) buffers on and off, and reading a
 * channel's registered-buffer counters.
 */

#ifndef UPDK_INTERNAL_BDEV_URING_H
#define UPDK_INTERNAL_BDEV_URING_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Registered-buffer counters of one uring channel. */
struct updk_bdev_uring_fixed_stats {
	/** Reads and writes submitted with a registered buffer. */
	uint64_t fixed_ios;
	/** Buffers registered with the kernel, in total. */
	uint64_t registrations;
	/** Buffers registered now. */
	uint32_t registered;
	/** The channel uses registered buffers: false when they were turned
	 * off or the kernel cannot register them lazily. */
	bool enabled;
	/** The kernel refused to register a buffer; the channel registers no
	 * more. */
	bool refused;
};

/**
 * Turn registered buffers on or off for the uring channels created from now
 * on; module initialisation sets this from UPDK_URING_FIXED_BUFFERS. Any
 * thread.
 *
 * \param enable Whether new channels use registered buffers.
 */
void updk__bdev_uring_set_fixed_buffers(bool enable);

/**
 * Read the registered-buffer counters of the calling thread's channel of a
 * uring bdev (a channel is created if the thread has none). Must be called on
 * an spdk_thread.
 *
 * \param name Name of the uring bdev.
 * \param stats Receives the counters.
 * \return 0; -ENODEV when there is no uring bdev of that name; -EINVAL when
 * \p stats is NULL; -ENOMEM when no channel could be had.
 */
int updk__bdev_uring_get_fixed_stats(const char *name, struct updk_bdev_uring_fixed_stats *stats);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_BDEV_URING_H */
