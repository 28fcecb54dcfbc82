/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * What the libFuzzer targets that run RPC methods share (fuzz_rpc_params and
 * fuzz_json_config): a real app thread with the subsystems initialised,
 * bounded polling, and a reset after every input so that iterations stay
 * independent and memory stays flat. Inputs run in a scratch directory that
 * holds two small files for the uring and aio bdevs.
 *
 * Costs that grow with a parameter are bounded here, not by leaving methods
 * out: the targets link with --wrap=spdk_zmalloc, and the wrapper refuses
 * (returns NULL, as when memory runs out) blocks above FUZZ_ZMALLOC_CAP while
 * an input runs, so bdev_malloc_create decodes and checks every parameter and
 * then fails with -ENOMEM instead of filling the machine's memory. They also
 * link with --wrap=kill: spdk_kill_instance runs for real, but the signal it
 * sends to its own process while the app thread is being polled is
 * dropped; and with --wrap=spdk_get_ticks, so that the reset can move the
 * clock on to that signal instead of sleeping.
 */

#ifndef UPDK_FUZZ_COMMON_H
#define UPDK_FUZZ_COMMON_H

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/thread.h"

/* Largest spdk_zmalloc() block an input may get (a RAM disk of 4 MiB). */
#define FUZZ_ZMALLOC_CAP (4u * 1024 * 1024)

/* Polls after which a method or a configuration that has not answered is a hang. */
#define FUZZ_MAX_POLLS 2000000u

/* The files in the scratch directory, 1 MiB each. */
#define FUZZ_DISK0 "fuzz_disk0"
#define FUZZ_DISK1 "fuzz_disk1"

/*
 * Set everything up: logging silenced (set UPDK_FUZZ_LOG=1 in the
 * environment to see the library's notices and errors), the scratch directory made and
 * entered, the thread library, an app thread named \p name (current on the
 * calling pthread from then on), the subsystems initialised, the RPC state
 * RUNTIME. Aborts on failure; the scratch directory is removed at exit.
 */
void fuzz_app_init(const char *name);

/* Poll the app thread until *done is set or \p max_polls polls ran; returns *done. */
bool fuzz_poll_until(const bool *done, uint64_t max_polls);

/* Longest "timeout" (bdev_get_bdevs waits that long for a bdev to appear) an input may ask for. */
#define FUZZ_MAX_TIMEOUT_MS 10u

/* The one method no input may run: it attaches a kernel /dev/nbd device (root, changes the machine). */
#define FUZZ_FORBIDDEN_METHOD "nbd_start_disk"

/*
 * Whether an input may run: no string in it is FUZZ_FORBIDDEN_METHOD; every
 * "filename" member whose value is a string names a file in the scratch
 * directory (no '/'), so that no input opens a device or a file elsewhere on
 * the machine; and no "timeout" member asks for more than
 * FUZZ_MAX_TIMEOUT_MS, so that a wait the input asked for is not mistaken
 * for a hang.
 */
bool fuzz_values_allowed(const struct spdk_json_val *values, size_t count);

/* Turn the spdk_zmalloc() cap on (while an input runs) or off. */
void fuzz_set_alloc_cap(bool on);

/*
 * Undo what an input did: let a pending spdk_kill_instance signal go out
 * (and be dropped), unregister every bdev (the newest first, so virtual
 * bdevs go before their bases) and forget the virtual bdevs'
 * configurations, restore the bdev options, the log levels,
 * flags and timestamps and the RPC state, and drain the app thread. Aborts
 * when something does not finish within its bound.
 */
void fuzz_app_reset(void);

#endif /* UPDK_FUZZ_COMMON_H */
