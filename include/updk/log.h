/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * updk extensions to the logging API: per-level message counters, and declaring a log flag
 * by name ahead of its first use.
 *
 * The counters let a test assert, for example, that a misuse logged exactly one error without
 * capturing stderr. They count every message passed to spdk_log() or spdk_vlog() at a level,
 * whether it was printed, sent to syslog, handed to a callback or filtered out by the
 * thresholds. SPDK_INFOLOG() and SPDK_DEBUGLOG() calls whose flag is disabled never reach
 * spdk_log() and are not counted.
 */

#ifndef UPDK_LOG_H
#define UPDK_LOG_H

#include "spdk/stdinc.h"
#include "spdk/log.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Get the number of messages logged at a level since the process started or since the last
 * updk_log_reset_counts(). Thread safe.
 *
 * \param level SPDK_LOG_ERROR to SPDK_LOG_DEBUG.
 * \return the count; 0 for SPDK_LOG_DISABLED and values outside the enum.
 */
uint64_t updk_log_get_count(enum spdk_log_level level);

/**
 * Set every level's message count to zero. Thread safe.
 */
void updk_log_reset_counts(void);

/**
 * Make sure a log flag called \p name exists, creating it (disabled) when no component
 * registered it, so that it can be enabled with spdk_log_set_flag() before the first
 * `SPDK_INFOLOG("name", ...)` runs. spdk_log_set_flag() itself, like SPDK's, fails with
 * -EINVAL for a name that matches no flag.
 *
 * \param name The flag's name; surrounding double quotes are ignored.
 * \return 0 on success, also when the flag already exists; -EINVAL if \p name is NULL or
 * empty; -ENOMEM if out of memory.
 */
int updk_log_add_flag(const char *name);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_LOG_H */
