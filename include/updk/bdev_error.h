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
 * \param bdeverrno 0, or -ENODEV when no error bdev has that name.
 */
typedef void (*spdk_delete_error_complete)(void *cb_arg, int bdeverrno);

/**
 * Create the error bdev "EE_<base_bdev_name>", claim the base and register.
 * Must be called on the app thread. It is unregistered when its base is
 * hot-removed and follows its resizes.
 *
 * \param base_bdev_name Name of the base bdev; it must exist.
 * \param uuid UUID of the new bdev, or NULL (or all zero) to generate one.
 * \return 0; -EINVAL for a NULL or empty name; -ENODEV when the base does not
 * exist; -EPERM when it is already claimed; -EEXIST when the name is in use;
 * -ENOMEM. Each error logs one line.
 */
int vbdev_error_create(const char *base_bdev_name, const struct spdk_uuid *uuid);

/**
 * Fail the bdev's pending I/O, then unregister it. Must be called on the app
 * thread.
 *
 * \param error_vbdev_name Name of the error bdev.
 * \param cb_fn Called with 0 when it is destroyed, or with -ENODEV (then
 * immediately). May be NULL.
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
 * \return 0; -ENODEV when no error bdev has that name; -EINVAL for a NULL
 * argument, an unknown io_type or error_type, or corrupt_value 0 with
 * VBDEV_IO_CORRUPT_DATA.
 */
int vbdev_error_inject_error(const char *name, const struct vbdev_error_inject_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_ERROR_H */
