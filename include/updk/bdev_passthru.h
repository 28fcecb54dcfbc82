/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The passthru bdev module's C API. A passthru bdev sits on top of one base
 * bdev, claims it, and forwards every I/O to it unchanged. It does nothing
 * useful on its own: it is the smallest complete virtual bdev, written to be
 * copied by anyone writing their own (module/bdev/passthru/bdev_passthru.c
 * is commented as a template). The bdev_passthru_create and
 * bdev_passthru_delete RPCs call these functions.
 */

#ifndef UPDK_BDEV_PASSTHRU_H
#define UPDK_BDEV_PASSTHRU_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Create a passthru bdev on an existing base bdev, claim the base (nobody
 * else can then open it for writing) and register the new bdev. Must be
 * called on the app thread after spdk_bdev_initialize().
 *
 * The passthru bdev follows its base: when the base is hot-removed the
 * passthru bdev is unregistered too (its descriptors get REMOVE first), and
 * when the base is resized the passthru bdev takes the new size.
 *
 * \param bdev_name Name of the base bdev; it must exist.
 * \param vbdev_name Name of the new bdev.
 * \param uuid UUID of the new bdev, or NULL (or all zero) to generate one.
 * \return 0; -EINVAL for a NULL or empty name; -ENODEV when the base does
 * not exist; -EPERM when the base is already claimed; -EEXIST when the name
 * is in use; -ENOMEM. Each error logs one line naming the bdevs.
 */
int bdev_passthru_create_disk(const char *bdev_name, const char *vbdev_name,
			      const struct spdk_uuid *uuid);

/**
 * Unregister a passthru bdev (see spdk_bdev_unregister()) and release its
 * base once the last descriptor and channel are gone. Must be called on the
 * app thread.
 *
 * \param vbdev_name Name of the passthru bdev.
 * \param cb_fn Called with 0 when it is destroyed, or with -ENODEV when no
 * passthru bdev has that name (then immediately). May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void bdev_passthru_delete_disk(const char *vbdev_name, spdk_bdev_unregister_cb cb_fn, void *cb_arg);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_PASSTHRU_H */
