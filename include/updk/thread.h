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
 * and the bdev submission calls verify that the caller runs on the channel's
 * own thread, and log an error naming the device, the owner and the caller
 * when it does not. It costs one load and branch per access when off.
 *
 * It is also turned on at spdk_thread_lib_init() when the environment variable
 * UPDK_CHANNEL_OWNER_CHECK is set to 1.
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
