/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The Linux AIO (libaio) bdev module's C API: bdevs over a regular file or a
 * block device, driven through one kernel AIO context per thread (per I/O
 * channel). This is the path to use where io_uring is not allowed (the
 * kernel.io_uring_disabled sysctl, container seccomp profiles). The names and
 * parameters are those of SPDK's module (the bdev_aio_create,
 * bdev_aio_delete and bdev_aio_rescan RPCs call these).
 *
 * The file is opened with O_DIRECT; a file system that refuses it is used
 * through the page cache instead (a notice says so). Requests are queued
 * while the thread runs and submitted with one io_submit() per poll of the
 * channel's poller; completions are read from the context's ring in user
 * space, without a system call. An aio bdev supports read, write, flush
 * (an asynchronous fdatasync) and reset (which waits for every I/O in
 * flight); with \p falloc also unmap (punching a hole) and write zeroes
 * (zero range or hole, or writes of zeroes where the file system supports
 * neither). Kernel errors complete the I/O with
 * SPDK_BDEV_IO_STATUS_AIO_ERROR; the errno is read with
 * spdk_bdev_io_get_aio_status(). A read or write the kernel cuts short is
 * continued, so the errno is the one that stopped the kernel (-EIO, -ENOSPC;
 * -ENODATA for a read past the end of a file that shrank). With buffered I/O
 * a write may fail only when the page cache writes it back: the next flush
 * then fails with that error.
 */

#ifndef UPDK_BDEV_AIO_H
#define UPDK_BDEV_AIO_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called when bdev_aio_delete() finishes.
 *
 * \param cb_arg The argument given to bdev_aio_delete().
 * \param bdeverrno 0, or a negative errno (-ENODEV when no aio bdev has that
 * name).
 */
typedef void (*delete_aio_bdev_complete)(void *cb_arg, int bdeverrno);

/**
 * Create and register an aio bdev. Must be called on the app thread after
 * spdk_bdev_initialize(). On failure nothing is registered and one line is
 * logged naming the bdev, the file and the problem.
 *
 * \param name Name of the bdev (required).
 * \param filename Path of the regular file or block device (required).
 * \param block_size Block size in bytes: a power of two of at least 512 that
 * O_DIRECT accepts on the file, or 0 to use the device's logical block size
 * (block devices) or the file system's block size (regular files).
 * \param readonly Open the file read-only; the bdev then refuses writes,
 * unmap and write zeroes.
 * \param falloc Support unmap and write zeroes through fallocate().
 * \param uuid UUID, or NULL (or all zero) to generate one.
 * \param nowait Submit reads and writes with RWF_NOWAIT, so that io_submit()
 * never blocks; requests the kernel would block on are resubmitted without it.
 * \return 0; -EINVAL for a missing name or filename, a block size that is not
 * a power of two, is below 512 or below the file's O_DIRECT alignment, a
 * file that is neither a regular file nor a block device, an empty file or a
 * size that is not a multiple of the block size; -ENOENT when the file does
 * not exist; -EACCES when it cannot be opened as asked; -EISDIR for a
 * directory; -EEXIST when the name is in use; -ENOMEM.
 */
int create_aio_bdev(const char *name, const char *filename, uint32_t block_size, bool readonly,
		    bool falloc, const struct spdk_uuid *uuid, bool nowait);

/**
 * Read the size of an aio bdev's file again and, when it changed, resize the
 * bdev (a RESIZE event goes to its descriptors). A size that is not a
 * multiple of the block size is rounded down. Must be called on the app
 * thread.
 *
 * \param name Name of the bdev.
 * \return 0 (also when the size did not change); -ENODEV when no aio bdev has
 * that name; -EBUSY when the file shrank while descriptors are open; the
 * negative errno of fstat() or BLKGETSIZE64.
 */
int bdev_aio_rescan(const char *name);

/**
 * Unregister an aio bdev and close its file. Must be called on the app
 * thread.
 *
 * \param name Name of the bdev.
 * \param cb_fn Called later with 0, or -ENODEV when no aio bdev has that
 * name. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void bdev_aio_delete(const char *name, delete_aio_bdev_complete cb_fn, void *cb_arg);

/**
 * Set how long an aio channel's poller may wait in the kernel for a
 * completion when it has I/O in flight, nothing to submit and found nothing
 * to reap on its previous polls (see updk_bdev_uring_set_poll_wait()). Any
 * thread.
 *
 * \param max_wait_us Microseconds; 0 disables waiting (pure polling, as SPDK
 * does). The default is UPDK_BDEV_AIO_DEFAULT_WAIT_US.
 */
void updk_bdev_aio_set_poll_wait(uint32_t max_wait_us);

/** Default of updk_bdev_aio_set_poll_wait(), in microseconds. */
#define UPDK_BDEV_AIO_DEFAULT_WAIT_US 1000

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_AIO_H */
