/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The error bdev module's C API (the bdev_error_create, bdev_error_delete
 * and bdev_error_inject_error RPCs call these). An error bdev, named
 * "EE_<base>", sits on a base bdev, claims it and forwards its I/O, except
 * the I/O chosen for injection: those fail, stay pending, get their data
 * corrupted, or complete with NOMEM (which the bdev layer retries). This is
 * updk's fault-injection tool (STYLE.md T7). Names and parameters are those
 * of SPDK's module.
 */

#ifndef UPDK_BDEV_ERROR_H
#define UPDK_BDEV_ERROR_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

/** What happens to an I/O chosen for injection. */
enum vbdev_error_type {
	/** Completes with SPDK_BDEV_IO_STATUS_FAILED without reaching the base. */
	VBDEV_IO_FAILURE = 1,
	/** Never reaches the base and stays pending until the injection is
	 * cleared, the bdev is deleted or its base removed (then it fails). */
	VBDEV_IO_PENDING,
	/** Reaches the base, but one byte of its data is XORed with
	 * corrupt_value: in the buffer before a write, after a read. */
	VBDEV_IO_CORRUPT_DATA,
	/** Completes with SPDK_BDEV_IO_STATUS_NOMEM (the bdev layer retries it)
	 * while the channel has at least error_qd I/O at the base. */
	VBDEV_IO_NOMEM,
};

/** io_type value of vbdev_error_inject_opts meaning every I/O type. */
#define VBDEV_ERROR_IO_TYPE_ALL 0xffffffffu
/** io_type value of vbdev_error_inject_opts that clears every injection. */
#define VBDEV_ERROR_IO_TYPE_CLEAR 0u

/** What to inject (vbdev_error_inject_error()). */
struct vbdev_error_inject_opts {
	/** SPDK_BDEV_IO_TYPE_READ, _WRITE, _UNMAP, _FLUSH or _WRITE_ZEROES,
	 * VBDEV_ERROR_IO_TYPE_ALL or VBDEV_ERROR_IO_TYPE_CLEAR. */
	uint32_t io_type;
	/** An enum vbdev_error_type. */
	uint32_t error_type;
	/** How many I/O to inject into; each injection counts one. */
	uint32_t error_num;
	/** VBDEV_IO_NOMEM only: inject while at least this many I/O of the
	 * channel are at the base (0: always). */
	uint64_t error_qd;
	/** VBDEV_IO_CORRUPT_DATA only: byte offset in the I/O's data. */
	uint64_t corrupt_offset;
	/** VBDEV_IO_CORRUPT_DATA only: XOR mask, not 0. */
	uint8_t corrupt_value;
};

/**
 * Called when vbdev_error_delete() finishes.
 *
 * \param cb_arg The argument given to vbdev_error_delete().
 * \param bdeverrno 0, or -ENODEV when no error bdev of that name is configured.
 */
typedef void (*spdk_delete_error_complete)(void *cb_arg, int bdeverrno);

/**
 * Configure the error bdev "EE_<base_bdev_name>". It is created at once when
 * the base exists (the base is claimed and the new bdev registered);
 * otherwise a notice is logged and it is created when a bdev of the base's
 * name registers. The configuration stays until vbdev_error_delete(): the
 * error bdev is unregistered when its base is hot-removed (pending I/O
 * fails) and comes back, with the same UUID and no injection, when a bdev of
 * that name registers again; it follows the base's resizes. save_config
 * writes every configuration, also those waiting for their base. Must be
 * called on the app thread.
 *
 * \param base_bdev_name Name of the base bdev.
 * \param uuid UUID of the new bdev, or NULL (or all zero) to generate one
 * when it first registers.
 * \return 0; -EINVAL for a NULL or empty name; -EEXIST when a bdev has the
 * name, or a passthru, delay or error bdev is already configured with that
 * name or on that base; -EPERM when the base exists and is already claimed;
 * -ENOMEM. Each error logs one line and leaves nothing configured.
 */
int vbdev_error_create(const char *base_bdev_name, const struct spdk_uuid *uuid);

/**
 * Forget an error bdev's configuration and, if the error bdev exists, fail
 * its pending I/O and unregister it. Must be called on the app thread.
 *
 * \param error_vbdev_name Name of the error bdev.
 * \param cb_fn Called once, later, on the calling thread: with 0 when the
 * error bdev is destroyed (when it was still waiting for its base, as soon
 * as the configuration is forgotten), or with -ENODEV when no error bdev of
 * that name is configured. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void vbdev_error_delete(const char *error_vbdev_name, spdk_delete_error_complete cb_fn,
			void *cb_arg);

/**
 * Set (or clear) an injection. A new injection replaces the previous one of
 * the same I/O type; clearing also fails every pending I/O. Must be called on
 * the app thread; it takes effect on every thread at once.
 *
 * \param name Name of the error bdev.
 * \param opts What to inject.
 * \return 0; -ENODEV when no error bdev has that name (also while one of
 * that name waits for its base); -EINVAL for a NULL
 * argument, an unknown io_type or error_type, or corrupt_value 0 with
 * VBDEV_IO_CORRUPT_DATA.
 */
int vbdev_error_inject_error(const char *name, const struct vbdev_error_inject_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_ERROR_H */
