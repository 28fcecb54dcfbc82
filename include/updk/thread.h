/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * updk's extensions to the thread library: tuning of the exit timeout, and an
 * opt-in check that every channel access comes from the channel's own thread.
 */

#ifndef UPDK_THREAD_H
#define UPDK_THREAD_H

#include "spdk/stdinc.h"
#include "spdk/thread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default time a thread may take to exit before it is forced out: 5 s. */
#define UPDK_THREAD_EXIT_TIMEOUT_US (5 * 1000 * 1000ULL)

/**
 * Set how long spdk_thread_exit() waits for a thread to release everything it
 * holds before it reports what remains and forces the thread out. Applies to
 * exits started afterwards.
 *
 * \param timeout_us Microseconds; 0 restores the default.
 */
void updk_thread_set_exit_timeout(uint64_t timeout_us);

/** \return the exit timeout in microseconds. */
uint64_t updk_thread_get_exit_timeout(void);

/**
 * Turn the channel ownership check on or off. When on, spdk_io_channel_get_ctx()
 * and the bdev calls that take a channel (every submission call of spdk/bdev.h
 * and spdk_bdev_queue_io_wait()) verify that the caller runs on the channel's
 * own thread. Each use from another thread (another spdk_thread, whether it
 * runs on another OS thread or on the same one, as when two spdk_threads
 * share a `__thread` channel cache) is counted, see
 * updk_io_channel_get_owner_violations(), and logged as one error line naming
 * the calling function, the channel's io_device (for a bdev channel,
 * "bdev_<bdev name>"), the owning thread and the calling thread, with names
 * and ids: each of the first 16 violations, then one in 1024. The owner's own
 * uses are never reported.
 *
 * The check reports; it does not change what the calls do.
 * spdk_io_channel_get_ctx() still returns the context. A bdev call on another
 * thread's channel is refused whether the check is on or off: it returns
 * -EINVAL and its callback never runs, so the I/O is not submitted (see
 * spdk/bdev.h); with the check on, its line ends in "; refused" (with it off,
 * the bdev layer logs its own line, uncounted).
 *
 * It costs one load and branch per access when off. It is also turned on at
 * spdk_thread_lib_init() when the environment variable
 * UPDK_CHANNEL_OWNER_CHECK is set to 1.
 *
 * \param enable Whether the check is on. Any thread.
 */
void updk_io_channel_set_owner_check(bool enable);

/** \return whether the channel ownership check is on. */
bool updk_io_channel_get_owner_check(void);

/** \return how many wrong-thread channel accesses the check has seen. */
uint64_t updk_io_channel_get_owner_violations(void);

/**
 * Log, at NOTICE level, every resource \p thread still holds: channels (with
 * device names and reference counts), pollers, queued messages and pending
 * device unregistrations.
 *
 * \return the number of resources listed.
 */
uint32_t updk_thread_dump_resources(struct spdk_thread *thread);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_THREAD_H */
