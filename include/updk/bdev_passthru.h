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
 * Configure a passthru bdev on a base bdev. When the base exists, the
 * passthru bdev is created at once: the base is claimed (nobody else can
 * then open it for writing) and the new bdev registered. When it does not
 * exist yet, a notice is logged and the configuration waits: the passthru
 * bdev is created when a bdev of that name registers. Must be called on the
 * app thread after spdk_bdev_initialize().
 *
 * The configuration stays until bdev_passthru_delete_disk(). The passthru
 * bdev follows its base: when the base is hot-removed the passthru bdev is
 * unregistered too (its descriptors get REMOVE first) and comes back, with
 * the same UUID, when a bdev of the base's name registers again; when the
 * base is resized the passthru bdev takes the new size. save_config writes
 * every configuration, also those waiting for their base.
 *
 * \param bdev_name Name of the base bdev.
 * \param vbdev_name Name of the new bdev; not the same as \p bdev_name.
 * \param uuid UUID of the new bdev, or NULL (or all zero) to generate one
 * when it first registers.
 * \return 0; -EINVAL for a NULL, empty or equal name; -EEXIST when a bdev
 * has the name, or a passthru, delay or error bdev is already configured
 * with that name or on that base; -EPERM when the base exists and is
 * already claimed; -ENOMEM. Each error logs one line naming the bdevs, and
 * leaves nothing configured.
 */
int bdev_passthru_create_disk(const char *bdev_name, const char *vbdev_name,
			      const struct spdk_uuid *uuid);

/**
 * Forget a passthru bdev's configuration, and unregister the passthru bdev
 * (see spdk_bdev_unregister()) if it exists; its base is released once the
 * last descriptor and channel are gone. Must be called on the app thread.
 *
 * \param vbdev_name Name of the passthru bdev.
 * \param cb_fn Called once, later, on the calling thread: with 0 when the
 * passthru bdev is destroyed (when it was still waiting for its base, as soon
 * as the configuration is forgotten), or with -ENODEV when no passthru bdev of
 * that name is configured. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void bdev_passthru_delete_disk(const char *vbdev_name, spdk_bdev_unregister_cb cb_fn, void *cb_arg);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_PASSTHRU_H */
