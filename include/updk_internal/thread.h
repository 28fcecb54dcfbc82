/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Thread library functions shared with other updk components but not part of
 * the public API: poller and channel introspection for the RPC methods, the
 * hooks the reactors use to sleep while their threads are idle, and the
 * ownership check's report for the bdev layer.
 */

#ifndef UPDK_INTERNAL_THREAD_H
#define UPDK_INTERNAL_THREAD_H

#include "spdk/stdinc.h"
#include "spdk/thread.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Counters of one poller. */
struct spdk_poller_stats {
	uint64_t run_count;
	uint64_t busy_count;
};

const char *spdk_poller_get_name(struct spdk_poller *poller);
uint64_t spdk_poller_get_id(struct spdk_poller *poller);
const char *spdk_poller_get_state_str(struct spdk_poller *poller);
uint64_t spdk_poller_get_period_ticks(struct spdk_poller *poller);
void spdk_poller_get_stats(struct spdk_poller *poller, struct spdk_poller_stats *stats);

/* Iteration over a thread's pollers and channels; call on that thread. */
struct spdk_poller *spdk_thread_get_first_active_poller(struct spdk_thread *thread);
struct spdk_poller *spdk_thread_get_next_active_poller(struct spdk_poller *prev);
struct spdk_poller *spdk_thread_get_first_timed_poller(struct spdk_thread *thread);
struct spdk_poller *spdk_thread_get_next_timed_poller(struct spdk_poller *prev);
struct spdk_poller *spdk_thread_get_first_paused_poller(struct spdk_thread *thread);
struct spdk_poller *spdk_thread_get_next_paused_poller(struct spdk_poller *prev);
struct spdk_io_channel *spdk_thread_get_first_io_channel(struct spdk_thread *thread);
struct spdk_io_channel *spdk_thread_get_next_io_channel(struct spdk_io_channel *prev);

const char *spdk_io_channel_get_io_device_name(struct spdk_io_channel *ch);
int spdk_io_channel_get_ref_count(struct spdk_io_channel *ch);

/**
 * Called by spdk_thread_send_msg() after queueing a message to a thread whose
 * reactor may be asleep. The reactor sets it with updk__thread_set_wakeup().
 */
typedef void (*updk_thread_wakeup_fn)(struct spdk_thread *thread, void *arg);

/**
 * Install \p fn as the wakeup hook of \p thread. The hook runs on the sending
 * OS thread after every send while *\p sleeping is non-zero, so a reactor
 * that is awake pays nothing.
 *
 * The reactor must go to sleep in this order, or it may miss a wakeup: store
 * a non-zero value to *sleeping with __atomic_store_n(..., __ATOMIC_SEQ_CST),
 * then check updk__thread_has_msgs() for each of its threads, and sleep only
 * if none has a message. Senders claim their slot with a sequentially
 * consistent operation before they read *sleeping (no fence is needed on
 * either side).
 */
void updk__thread_set_wakeup(struct spdk_thread *thread, updk_thread_wakeup_fn fn, void *arg,
			     const int *sleeping);

/**
 * The poll clock of \p thread, for stamping I/O without reading the TSC each
 * time (reading it costs as much as a whole null-bdev I/O on some virtual
 * machines). While spdk_thread_poll() runs on \p thread, the value is the tick
 * at which its current message batch or poller began (it is read again after
 * each batch of messages and after each poller that did work); outside
 * spdk_thread_poll() it is 0, and the caller must read spdk_get_ticks().
 *
 * Only the OS thread polling \p thread may read it. The pointer stays valid
 * until \p thread is destroyed.
 */
const uint64_t *updk__thread_clock(struct spdk_thread *thread);

/** \return whether \p thread has a message queued (any OS thread may ask). */
bool updk__thread_has_msgs(struct spdk_thread *thread);

/**
 * The channel ownership check's report (see updk/thread.h) for a call that
 * refuses to use \p ch because the calling thread does not own it: the
 * violation is counted and logged like those of updk_io_channel_check_owner(),
 * with "; refused" at the end of the line. Does nothing when the caller owns
 * \p ch. Call it only while the check is on.
 *
 * \param ch The channel.
 * \param func The refusing function, for the log line.
 */
void updk__io_channel_report_refused(struct spdk_io_channel *ch, const char *func);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_THREAD_H */
