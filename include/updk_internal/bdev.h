/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * bdev layer functions shared with the bdev modules but not part of the
 * public API.
 */

#ifndef UPDK_INTERNAL_BDEV_H
#define UPDK_INTERNAL_BDEV_H

#include "spdk/stdinc.h"
#include "spdk/bdev_module.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Delete the bdev \p name of \p module, as the modules' delete calls do:
 * spdk_bdev_unregister_by_name(), except that a failure (no such bdev, or
 * one of another module) also reaches \p cb_fn, and always asynchronously,
 * on the calling thread. \p cb_fn may be NULL.
 */
void updk__bdev_delete_by_name(const char *name, struct spdk_bdev_module *module,
			       spdk_bdev_unregister_cb cb_fn, void *cb_arg);

/**
 * Call \p cb_fn(\p cb_arg, \p rc) from a message on the calling thread, so
 * that the caller's stack is not re-entered (directly when there is no
 * current thread or no memory). \p cb_fn may be NULL.
 */
void updk__bdev_unregister_cb_later(spdk_bdev_unregister_cb cb_fn, void *cb_arg, int rc);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_BDEV_H */
