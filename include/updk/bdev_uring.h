/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The io_uring bdev module's C API: bdevs over a regular file or a block
 * device, driven through one io_uring ring per thread (per I/O channel). The
 * names and options are those of SPDK's module (the bdev_uring_create,
 * bdev_uring_delete and bdev_uring_rescan RPCs call these), plus
 * updk_bdev_uring_create(), which also reports why a creation failed.
 *
 * The file is opened with O_DIRECT; a file system that refuses it is used
 * through the page cache instead (a notice says so). Requests are queued
 * while the thread runs and handed to the kernel in one batch per poll of
 * the channel's poller, which also reaps completions. A uring bdev supports
 * read, write, flush (fdatasync), unmap (punching a hole), write zeroes
 * (zero range or hole, or writes of zeroes where the file system supports
 * neither) and reset (which waits for every I/O in flight). Kernel errors
 * complete the I/O with SPDK_BDEV_IO_STATUS_AIO_ERROR; the errno is read with
 * spdk_bdev_io_get_aio_status(). A read or write the kernel cuts short is
 * continued, so the errno is the one that stopped the kernel (-EIO, -ENOSPC;
 * -ENODATA for a read past the end of a file that shrank). With buffered I/O
 * a write may fail only when the page cache writes it back: the next flush
 * then fails with that error.
 *
 * A read or write from one buffer that lies in a block of 2 MiB or more from
 * spdk_malloc() or spdk_dma_malloc(), or in memory given to
 * spdk_mem_register(), uses an io_uring registered buffer: the first such I/O
 * of a thread registers (pins) the block, or 64 MiB of it, and later ones
 * spare the kernel pinning pages per I/O. Free such memory only once no I/O
 * uses it, as always. Where the kernel refuses to pin more (RLIMIT_MEMLOCK,
 * without CAP_IPC_LOCK) a notice says so and the I/O goes on unregistered.
 * The environment variable UPDK_URING_FIXED_BUFFERS=0, read when the bdev
 * layer initialises, turns registered buffers off.
 *
 * Where io_uring is not allowed (the kernel.io_uring_disabled sysctl, or a
 * seccomp profile such as a container's default one), creation fails with
 * -EPERM and a log line recommending the aio module (updk/bdev_aio.h).
 */

#ifndef UPDK_BDEV_URING_H
#define UPDK_BDEV_URING_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Called when delete_uring_bdev() finishes.
 *
 * \param cb_arg The argument given to delete_uring_bdev().
 * \param bdeverrno 0, or a negative errno (-ENODEV when no uring bdev has
 * that name).
 */
typedef void (*spdk_delete_uring_complete)(void *cb_arg, int bdeverrno);

/** Options of create_uring_bdev(). Zero-initialise, then set what you need. */
struct bdev_uring_opts {
	/** Name of the bdev (required). */
	const char *name;
	/** Path of the regular file or block device (required). */
	const char *filename;
	/**
	 * Block size in bytes: a power of two of at least 512 that O_DIRECT
	 * accepts on the file, or 0 to use the device's logical block size
	 * (block devices) or the file system's block size (regular files).
	 */
	uint32_t block_size;
	/** UUID, or all zero to generate one. */
	struct spdk_uuid uuid;
};

/**
 * Create and register a uring bdev. Must be called on the app thread after
 * spdk_bdev_initialize().
 *
 * \param opts The options.
 * \return the bdev, or NULL on failure (logged). Use updk_bdev_uring_create()
 * to learn the reason.
 */
struct spdk_bdev *create_uring_bdev(const struct bdev_uring_opts *opts);

/**
 * Create and register a uring bdev (create_uring_bdev() with an errno). Must
 * be called on the app thread after spdk_bdev_initialize(). On failure
 * nothing is registered and one line is logged naming the bdev, the file and
 * the problem.
 *
 * \param opts The options.
 * \param bdev Receives the bdev.
 * \return 0; -EINVAL for a missing name or filename, a block size that is not
 * a power of two, is below 512 or below the file's O_DIRECT alignment, a
 * file that is neither a regular file nor a block device, an empty file or a
 * size that is not a multiple of the block size; -ENOENT when the file does
 * not exist; -EACCES when it cannot be opened for reading and writing;
 * -EISDIR for a directory; -EPERM when io_uring is not allowed in this
 * process (use the aio module instead); -ENOSYS when the kernel has no
 * io_uring; -EEXIST when the name is in use; -ENOMEM.
 */
int updk_bdev_uring_create(const struct bdev_uring_opts *opts, struct spdk_bdev **bdev);

/**
 * Unregister a uring bdev and close its file. Must be called on the app
 * thread.
 *
 * \param name Name of the bdev.
 * \param cb_fn Called later with 0, or -ENODEV when no uring bdev has that
 * name. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void delete_uring_bdev(const char *name, spdk_delete_uring_complete cb_fn, void *cb_arg);

/**
 * Read the size of a uring bdev's file again and, when it changed, resize the
 * bdev (a RESIZE event goes to its descriptors). A size that is not a
 * multiple of the block size is rounded down. Must be called on the app
 * thread.
 *
 * \param name Name of the bdev.
 * \return 0 (also when the size did not change); -ENODEV when no uring bdev
 * has that name; -EBUSY when the file shrank while descriptors are open; the
 * negative errno of fstat() or BLKGETSIZE64.
 */
int bdev_uring_rescan(const char *name);

/**
 * Set how long a uring channel's poller may wait in the kernel for a
 * completion when it has I/O in flight, nothing to submit and found nothing
 * to reap on its previous polls. Waiting saves the CPU time of spinning on a
 * slow device, at the price of delaying other work of the same thread (and
 * of other threads on the same reactor) by at most this much. Applies from
 * each channel's next poll; any thread.
 *
 * \param max_wait_us Microseconds; 0 disables waiting (pure polling, as SPDK
 * does). The default is UPDK_BDEV_URING_DEFAULT_WAIT_US.
 */
void updk_bdev_uring_set_poll_wait(uint32_t max_wait_us);

/** Default of updk_bdev_uring_set_poll_wait(), in microseconds. */
#define UPDK_BDEV_URING_DEFAULT_WAIT_US 1000

#ifdef __cplusplus
}
#endif

#endif /* UPDK_BDEV_URING_H */
