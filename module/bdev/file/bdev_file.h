/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * What the two kernel-I/O bdev modules (uring and aio) share about the file
 * or block device under a bdev: opening it (O_DIRECT first, buffered I/O
 * when the file system refuses it), finding its block size and size,
 * validating what the user asked for, and the fallocate() ladder that unmap
 * and write zeroes walk down (zero range, punch hole, then plain writes of
 * zeroes). Nothing here runs per I/O except the zero buffer lookup.
 */

#ifndef UPDK_BDEV_FILE_H
#define UPDK_BDEV_FILE_H

#include "spdk/stdinc.h"
#include "spdk/bdev_module.h"

/* Bytes of zeroes one emulated write-zeroes step writes. */
#define BDEV_FILE_ZERO_CHUNK (256 * 1024)

/* How a bdev zeroes a range, best first. The level only ever goes down, when
 * the kernel answers EOPNOTSUPP (or EINVAL) to a better one. */
enum bdev_file_zero_mode {
	/* fallocate(FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE): keeps the allocation. */
	BDEV_FILE_ZERO_RANGE = 0,
	/* fallocate(FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE): frees the blocks. */
	BDEV_FILE_ZERO_PUNCH,
	/* Writes from the shared zero buffer, BDEV_FILE_ZERO_CHUNK at a time. */
	BDEV_FILE_ZERO_WRITE,
};

/* What bdev_file_open() found out. */
struct bdev_file {
	/* The open file; -1 when closed. */
	int fd;
	/* O_DIRECT is in effect (false: buffered I/O, the page cache holds writes). */
	bool direct;
	/* The file is a block device (else a regular file). */
	bool blockdev;
	/* Opened O_RDONLY. */
	bool readonly;
	/* Block size of the bdev in bytes. */
	uint32_t block_size;
	/* The block size the caller asked for was 0 (auto-detected). */
	bool block_size_auto;
	/* Physical block size in bytes (block devices), else block_size. */
	uint32_t phys_block_size;
	/* Smallest offset, length and buffer alignment O_DIRECT accepts; 1 when buffered. */
	uint32_t dio_align;
	/* Size in bytes, rounded down to block_size. */
	uint64_t size;
};

/*
 * Open \p filename for bdev \p bdev_name and fill \p file. Errors (one log
 * line naming the bdev, the file and the problem): -ENOENT, -EACCES, -EISDIR,
 * -EINVAL (neither a regular file nor a block device, an empty file, a size
 * that is not a multiple of the block size, a bad block size), -ENOMEM, or the
 * errno of open() and friends. Nothing stays open on error.
 */
int updk__bdev_file_open(struct bdev_file *file, const char *bdev_name, const char *filename,
			 uint32_t block_size, bool readonly);

/* Close the file (idempotent). */
void updk__bdev_file_close(struct bdev_file *file);

/*
 * Read the current size of the file in bytes, rounded down to its block
 * size, into *\p size. Returns 0 or a negative errno (logged).
 */
int updk__bdev_file_get_size(struct bdev_file *file, const char *bdev_name, uint64_t *size);

/* The fallocate() mode of \p mode (only RANGE and PUNCH have one). */
int updk__bdev_file_falloc_flags(enum bdev_file_zero_mode mode);

/*
 * The zero mode to try after \p mode failed with \p err, or \p mode itself
 * when \p err does not mean "not supported here".
 */
enum bdev_file_zero_mode updk__bdev_file_zero_fallback(enum bdev_file_zero_mode mode, int err);

/* A read-only buffer of BDEV_FILE_ZERO_CHUNK zero bytes, 4 KiB aligned. */
const void *updk__bdev_file_zero_buf(void);

/* Most bytes of one piece of a continued transfer (see below); a multiple of
 * every block size, and within the 32 bits io_uring takes. */
#define BDEV_FILE_RW_PIECE_MAX (1u << 30)

/*
 * A read or write stopped short after its first \p done bytes (the kernel
 * returns what it transferred and keeps the error, such as EIO or ENOSPC, for
 * the next call). Set *\p buf and *\p len to the next piece to transfer: the
 * rest of the segment of \p iovs that byte \p done falls in, at most
 * BDEV_FILE_RW_PIECE_MAX bytes. \p done must be less than the total length.
 * Only on the error path: it walks the segments.
 */
void updk__bdev_file_iov_rest(const struct iovec *iovs, int iovcnt, uint64_t done, void **buf,
			      uint64_t *len);

/*
 * Re-read the size of \p file and, when it changed, tell the bdev layer
 * (which sends RESIZE). \return 0 or a negative errno (logged).
 */
int updk__bdev_file_rescan(struct bdev_file *file, struct spdk_bdev *bdev);

#endif /* UPDK_BDEV_FILE_H */
