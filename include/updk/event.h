/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * updk's extensions to the application framework: how long shutdown may take,
 * and when idle reactors go to sleep. SPDK's reactors poll at 100% of every
 * core; updk's sleep once all their threads have been idle for a short while
 * and wake up when a message, an event or a thread arrives, or when the next
 * timed poller is due.
 */

#ifndef UPDK_EVENT_H
#define UPDK_EVENT_H

#include "spdk/stdinc.h"
#include "spdk/event.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default time spdk_app_stop() may take before shutdown is abandoned: 20 s. */
#define UPDK_APP_SHUTDOWN_TIMEOUT_MS 20000

/** Default time a reactor must see only idle polls before it sleeps: 1 ms. */
#define UPDK_REACTOR_IDLE_THRESHOLD_US 1000

/**
 * Default longest sleep of a reactor one of whose threads has an active
 * (period 0) poller, which may be waiting for work from the kernel: 10 ms.
 */
#define UPDK_REACTOR_MAX_SLEEP_US 10000

/**
 * Set how long the shutdown started by spdk_app_stop() may take (finishing the
 * subsystems and the exit of every thread). When a signal starts the shutdown
 * and the application has a shutdown_cb, the time counts from the signal, so
 * that a shutdown_cb waiting for I/O that never completes cannot hang the
 * process. Past it, what is still running is logged by name, the reactors
 * are stopped anyway and spdk_app_start() returns a non-zero rc. Any thread,
 * any time.
 *
 * \param timeout_ms Milliseconds; 0 restores UPDK_APP_SHUTDOWN_TIMEOUT_MS.
 */
void updk_app_set_shutdown_timeout(uint64_t timeout_ms);

/**
 * Tune the sleep of idle reactors. Takes effect at each reactor's next
 * iteration. Any thread, any time.
 *
 * \param idle_threshold_us Idle time before a reactor sleeps; 0 restores
 * UPDK_REACTOR_IDLE_THRESHOLD_US; UINT64_MAX disables sleeping (the reactors
 * poll continuously, as SPDK's do).
 * \param max_sleep_us Longest sleep while an active poller exists; 0 restores
 * UPDK_REACTOR_MAX_SLEEP_US.
 */
void updk_reactor_set_sleep(uint64_t idle_threshold_us, uint64_t max_sleep_us);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_EVENT_H */
