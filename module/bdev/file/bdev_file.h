/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * What the two kernel-I/O bdev modules (uring and aio) share about the file
 * or block device under a bdev: opening it (O_DIRECT first, buffered I/O
 * when the file system refuses it), finding its block size and size,
 * validating what the user asked for, and the fallocate() ladder that unmap
 * and write zeroes walk down (zero range, punch hole, then plain writes of
 * zeroes) (bdev_file.c). Also the bdev around the file, everything but its
 * I/O engine: the list of a module's bdevs, create, destruct and rescan
 * (bdev_file_disk.c), and the JSON-RPC glue of the create, delete and rescan
 * methods (bdev_file_rpc.c). Nothing here runs per I/O except the zero
 * buffer lookup and bdev_file_io_complete().
 */

#ifndef UPDK_BDEV_FILE_H
#define UPDK_BDEV_FILE_H

#include "spdk/stdinc.h"
#include "spdk/bdev_module.h"
#include "spdk/likely.h"
#include "spdk/thread.h"
#include "spdk/uuid.h"

struct spdk_json_object_decoder;
struct spdk_json_val;
struct spdk_jsonrpc_request;

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

/* ---- the bdev around the file (bdev_file_disk.c) ---- */

struct bdev_file_disk;

/*
 * What a module built on this file tells the shared create path; one static
 * instance per module, which also holds the module's list of bdevs.
 */
struct bdev_file_module {
	/* The module; its name appears in log lines ("bdev_<name>_create: ..."). */
	struct spdk_bdev_module *module;
	/* Function table of its bdevs; destruct must be updk__bdev_file_disk_destruct. */
	const struct spdk_bdev_fn_table *fn_table;
	/* spdk_bdev.product_name of its bdevs. */
	char *product_name;
	/* Size of the module's disk: a struct whose first member is a struct bdev_file_disk. */
	size_t disk_size;
	/* The io_device callbacks and context size of its channels. */
	spdk_io_channel_create_cb channel_create;
	spdk_io_channel_destroy_cb channel_destroy;
	uint32_t channel_size;
	/* Optional: runs after the name checks, before anything is allocated;
	 * a negative errno (logged by it) refuses the bdev. */
	int (*probe)(const char *name);
	/* The registered bdevs, oldest first; only the app thread touches it. */
	TAILQ_HEAD(, bdev_file_disk) disks;
};

/*
 * One bdev over a file: the first member of a module's disk, and the
 * io_device of its channels. Created and destroyed on the app thread;
 * channels only read it, except the zero modes.
 */
struct bdev_file_disk {
	struct spdk_bdev bdev;
	struct bdev_file file;
	/* Path as given at creation. */
	char *filename;
	/* enum bdev_file_zero_mode of write zeroes and of unmap; any channel may
	 * lower them (relaxed atomics). */
	int zero_mode;
	int unmap_mode;
	/* The module the bdev belongs to. */
	struct bdev_file_module *fmod;
	TAILQ_ENTRY(bdev_file_disk) link;
};

/*
 * The first step of a module's create: check \p name and \p filename, refuse
 * a name in use, run the module's probe, then allocate fmod->disk_size bytes
 * (zeroed), open the file (updk__bdev_file_open()) and fill in the bdev
 * (sizes, alignment, limits, \p uuid when not NULL). The module then sets its
 * own fields and calls updk__bdev_file_disk_register(), or
 * updk__bdev_file_disk_free() to give up. \return 0 and *\p disk, or (logged)
 * -EINVAL (no name, no filename), -EEXIST (the name is in use), -ENOMEM, the
 * probe's error or one of updk__bdev_file_open().
 */
int updk__bdev_file_disk_alloc(struct bdev_file_module *fmod, const char *name,
			       const char *filename, uint32_t block_size, bool readonly,
			       const struct spdk_uuid *uuid, struct bdev_file_disk **disk);

/*
 * Register \p disk as an io_device and a bdev, and add it to its module's
 * list. \return 0, or the error of spdk_bdev_register() (which logged it),
 * in which case \p disk is freed once the io_device is gone.
 */
int updk__bdev_file_disk_register(struct bdev_file_disk *disk);

/* Close the file and free \p disk (NULL is a no-op); only before register. */
void updk__bdev_file_disk_free(struct bdev_file_disk *disk);

/* The bdev \p name of \p fmod, or NULL (also when \p name is NULL). */
struct bdev_file_disk *updk__bdev_file_disk_find(struct bdev_file_module *fmod, const char *name);

/* The destruct of the function table: leaves the list, and frees the disk
 * once its last channel is gone. */
int updk__bdev_file_disk_destruct(void *ctx);

/* The get_io_channel of the function table. */
struct spdk_io_channel *updk__bdev_file_disk_get_io_channel(void *ctx);

/*
 * Rescan the bdev \p name of \p fmod (updk__bdev_file_rescan()). \return 0,
 * -ENODEV when there is no such bdev, or its error.
 */
int updk__bdev_file_disk_rescan(struct bdev_file_module *fmod, const char *name);

/* The end of a reset (spdk_for_each_channel() over the disk's channels,
 * with the bdev_io as context): complete the bdev_io with \p status. */
void updk__bdev_file_reset_done(struct spdk_io_channel_iter *i, int status);

/* Complete \p bdev_io with \p res: 0, or a negative errno from the kernel. */
static inline void
bdev_file_io_complete(struct spdk_bdev_io *bdev_io, int res)
{
	if (spdk_likely(res == 0)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
	} else {
		spdk_bdev_io_complete_aio_status(bdev_io, res);
	}
}

/*
 * A continued read or write of \p bdev_io moved \p res more bytes at file
 * offset *\p offset, which advances by them. \return true when the transfer
 * reached \p end (its file end offset); otherwise false, with the next piece
 * to transfer in *\p buf and *\p len (updk__bdev_file_iov_rest()).
 */
static inline bool
bdev_file_rw_advance(struct spdk_bdev_io *bdev_io, uint64_t res, uint64_t *offset, uint64_t end,
		     void **buf, uint64_t *len)
{
	*offset += res;
	if (*offset == end) {
		return true;
	}
	updk__bdev_file_iov_rest(bdev_io->u.bdev.iovs, bdev_io->u.bdev.iovcnt,
				 *offset - bdev_io->u.bdev.offset_blocks * bdev_io->bdev->blocklen,
				 buf, len);
	return false;
}

/* ---- JSON-RPC glue (bdev_file_rpc.c) ---- */

/* The parameters of bdev_<module>_create; a module's decoder table names the
 * ones it takes. */
struct bdev_file_rpc_create {
	char *name;
	char *filename;
	uint32_t block_size;
	bool readonly;
	bool fallocate;
	bool nowait;
	struct spdk_uuid uuid;
};

/* Create the bdev of \p req; 0 or a negative errno (logged). */
typedef int (*bdev_file_create_fn)(const struct bdev_file_rpc_create *req);
/* A module's delete by name. */
typedef void (*bdev_file_delete_fn)(const char *name, spdk_bdev_unregister_cb cb_fn, void *cb_arg);
/* A module's rescan by name; 0 or a negative errno. */
typedef int (*bdev_file_rescan_fn)(const char *name);

/*
 * The bdev_<module>_create handler: decode \p params with \p decoders (Invalid
 * params on failure), create with \p create_fn (its errno and strerror on
 * failure), and reply with the bdev name once the bdev was examined.
 */
void updk__bdev_file_rpc_create(struct spdk_jsonrpc_request *request,
				const struct spdk_json_val *params,
				const struct spdk_json_object_decoder *decoders,
				size_t num_decoders, bdev_file_create_fn create_fn);

/* The bdev_<module>_delete handler: {"name"} to \p delete_fn, then true or the error. */
void updk__bdev_file_rpc_delete(struct spdk_jsonrpc_request *request,
				const struct spdk_json_val *params, bdev_file_delete_fn delete_fn);

/* The bdev_<module>_rescan handler: {"name"} to \p rescan_fn, then true or the error. */
void updk__bdev_file_rpc_rescan(struct spdk_jsonrpc_request *request,
				const struct spdk_json_val *params, bdev_file_rescan_fn rescan_fn);

#endif /* UPDK_BDEV_FILE_H */
