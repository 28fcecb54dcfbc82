/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The file side of the uring and aio bdev modules: open a regular file or a
 * block device for a bdev, decide between O_DIRECT and buffered I/O by
 * trying a direct read (some file systems accept O_DIRECT at open and refuse
 * it at the first I/O), find the block size and the size, and check them
 * before anything is registered. Also the fallocate() ladder of unmap and
 * write zeroes, the zero buffer their emulation writes from, and where to go
 * on after a read or write that stopped short.
 */

#include "spdk/stdinc.h"

#include <sys/ioctl.h>
#include <linux/fs.h>
#include <linux/falloc.h>

#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/string.h"
#include "spdk/util.h"

#include "bdev_file.h"

/* Largest automatic block size for a regular file: some file systems report
 * st_blksize values (stripe widths, 2 MiB) that make poor sector sizes. */
#define BDEV_FILE_MAX_AUTO_BLOCK_SIZE 4096
#define BDEV_FILE_MIN_BLOCK_SIZE 512
#define BDEV_FILE_PROBE_MAX 4096

/* Never written: the emulation of write zeroes only reads from it. */
static uint8_t g_zero_buf[BDEV_FILE_ZERO_CHUNK] __attribute__((aligned(4096)));

const void *
updk__bdev_file_zero_buf(void)
{
	return g_zero_buf;
}

int
updk__bdev_file_falloc_flags(enum bdev_file_zero_mode mode)
{
	switch (mode) {
	case BDEV_FILE_ZERO_RANGE:
		return FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
	case BDEV_FILE_ZERO_PUNCH:
		return FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE;
	case BDEV_FILE_ZERO_WRITE:
		return 0;
	default:
		assert(false);
		return 0;
	}
}

void
updk__bdev_file_iov_rest(const struct iovec *iovs, int iovcnt, uint64_t done, void **buf,
			 uint64_t *len)
{
	int i;

	for (i = 0; i < iovcnt - 1 && done >= iovs[i].iov_len; i++) {
		done -= iovs[i].iov_len;
	}
	assert(done < iovs[i].iov_len);
	*buf = (uint8_t *)iovs[i].iov_base + done;
	*len = spdk_min((uint64_t)iovs[i].iov_len - done, (uint64_t)BDEV_FILE_RW_PIECE_MAX);
}

enum bdev_file_zero_mode
updk__bdev_file_zero_fallback(enum bdev_file_zero_mode mode, int err)
{
	/* EINVAL too: io_uring kernels without IORING_OP_FALLOCATE and file
	 * systems that do not know a mode answer with it. The range itself was
	 * validated by the bdev layer. */
	if (err != -EOPNOTSUPP && err != -ENOTSUP && err != -EINVAL && err != -ENOSYS) {
		return mode;
	}
	switch (mode) {
	case BDEV_FILE_ZERO_RANGE:
		return BDEV_FILE_ZERO_PUNCH;
	case BDEV_FILE_ZERO_PUNCH:
	case BDEV_FILE_ZERO_WRITE:
		return BDEV_FILE_ZERO_WRITE;
	default:
		assert(false);
		return BDEV_FILE_ZERO_WRITE;
	}
}

/*
 * Find the smallest alignment O_DIRECT accepts on this file by reading with
 * growing alignments (offset, length and buffer alike); a read at or past
 * the end of the file still checks alignment first. Returns the alignment,
 * 0 when the file system refuses O_DIRECT reads altogether, or a negative
 * errno for any other failure.
 */
static int
bdev_file_probe_dio(int fd)
{
	uint8_t *buf;
	uint32_t align;
	ssize_t rc = -EINVAL;

	buf = aligned_alloc(BDEV_FILE_PROBE_MAX, 2 * BDEV_FILE_PROBE_MAX);
	if (buf == NULL) {
		return -ENOMEM;
	}
	for (align = BDEV_FILE_MIN_BLOCK_SIZE; align <= BDEV_FILE_PROBE_MAX; align *= 2) {
		rc = pread(fd, buf + align, align, (off_t)align);
		if (rc >= 0) {
			break;
		}
		rc = -errno;
		if (rc != -EINVAL) {
			break;
		}
	}
	free(buf);
	if (rc >= 0) {
		return (int)align;
	}
	return rc == -EINVAL ? 0 : (int)rc;
}

static int
bdev_file_open_fd(const char *filename, bool readonly, bool direct)
{
	int flags = (readonly ? O_RDONLY : O_RDWR) | O_CLOEXEC;
	int fd;

	if (direct) {
		flags |= O_DIRECT;
	}
	fd = open(filename, flags);
	return fd < 0 ? -errno : fd;
}

static int
bdev_file_blockdev_info(struct bdev_file *file, const char *bdev_name, const char *filename,
			uint32_t *lbs)
{
	uint64_t size = 0;
	int sect = 0;
	unsigned int psect = 0;

	if (ioctl(file->fd, BLKSSZGET, &sect) != 0 || sect <= 0) {
		SPDK_ERRLOG("bdev %s: %s: cannot read the logical block size (BLKSSZGET): %s\n",
			    bdev_name, filename, spdk_strerror(errno));
		return -EINVAL;
	}
	if (ioctl(file->fd, BLKPBSZGET, &psect) != 0 || psect == 0) {
		psect = (unsigned int)sect;
	}
	if (ioctl(file->fd, BLKGETSIZE64, &size) != 0) {
		SPDK_ERRLOG("bdev %s: %s: cannot read the device size (BLKGETSIZE64): %s\n",
			    bdev_name, filename, spdk_strerror(errno));
		return -EINVAL;
	}
	*lbs = (uint32_t)sect;
	file->phys_block_size = psect;
	file->size = size;
	return 0;
}

int
updk__bdev_file_open(struct bdev_file *file, const char *bdev_name, const char *filename,
		     uint32_t block_size, bool readonly)
{
	struct stat st;
	uint32_t lbs = BDEV_FILE_MIN_BLOCK_SIZE;
	int fd, rc;

	memset(file, 0, sizeof(*file));
	file->fd = -1;
	file->readonly = readonly;

	fd = bdev_file_open_fd(filename, readonly, true);
	if (fd == -EINVAL) {
		/* The file system does not do O_DIRECT at all. */
		fd = bdev_file_open_fd(filename, readonly, false);
		if (fd >= 0) {
			SPDK_NOTICELOG("bdev %s: %s refuses O_DIRECT; using buffered I/O "
				       "(flush syncs the page cache)\n",
				       bdev_name, filename);
		}
	} else if (fd >= 0) {
		file->direct = true;
	}
	if (fd < 0) {
		if (fd == -EACCES || fd == -EPERM) {
			SPDK_ERRLOG("bdev %s: cannot open %s %s: %s\n", bdev_name, filename,
				    readonly ? "for reading"
					     : "for reading and writing (readonly?)",
				    spdk_strerror(-fd));
		} else if (fd == -EISDIR) {
			SPDK_ERRLOG("bdev %s: %s is a directory, not a file or block device\n",
				    bdev_name, filename);
		} else {
			SPDK_ERRLOG("bdev %s: cannot open %s: %s\n", bdev_name, filename,
				    spdk_strerror(-fd));
		}
		return fd;
	}
	file->fd = fd;

	if (fstat(fd, &st) != 0) {
		rc = -errno;
		SPDK_ERRLOG("bdev %s: cannot stat %s: %s\n", bdev_name, filename,
			    spdk_strerror(-rc));
		goto err;
	}
	if (S_ISDIR(st.st_mode)) {
		SPDK_ERRLOG("bdev %s: %s is a directory, not a file or block device\n", bdev_name,
			    filename);
		rc = -EISDIR;
		goto err;
	}
	if (S_ISBLK(st.st_mode)) {
		file->blockdev = true;
		rc = bdev_file_blockdev_info(file, bdev_name, filename, &lbs);
		if (rc != 0) {
			goto err;
		}
	} else if (S_ISREG(st.st_mode)) {
		file->size = (uint64_t)st.st_size;
		if (block_size == 0) {
			lbs = (uint32_t)st.st_blksize;
			if (!spdk_u32_is_pow2(lbs) || lbs < BDEV_FILE_MIN_BLOCK_SIZE ||
			    lbs > BDEV_FILE_MAX_AUTO_BLOCK_SIZE) {
				lbs = BDEV_FILE_MAX_AUTO_BLOCK_SIZE;
			}
		}
	} else {
		SPDK_ERRLOG("bdev %s: %s is neither a regular file nor a block device\n", bdev_name,
			    filename);
		rc = -EINVAL;
		goto err;
	}

	file->dio_align = 1;
	if (file->direct && file->blockdev) {
		file->dio_align = lbs;
	} else if (file->direct) {
		rc = bdev_file_probe_dio(fd);
		if (rc < 0) {
			SPDK_ERRLOG("bdev %s: cannot read %s: %s\n", bdev_name, filename,
				    spdk_strerror(-rc));
			goto err;
		}
		if (rc == 0) {
			close(fd);
			file->fd = -1;
			file->direct = false;
			fd = bdev_file_open_fd(filename, readonly, false);
			if (fd < 0) {
				rc = fd;
				SPDK_ERRLOG("bdev %s: cannot reopen %s without O_DIRECT: %s\n",
					    bdev_name, filename, spdk_strerror(-rc));
				goto err;
			}
			file->fd = fd;
			SPDK_NOTICELOG("bdev %s: %s refuses O_DIRECT reads; using buffered I/O "
				       "(flush syncs the page cache)\n",
				       bdev_name, filename);
		} else {
			file->dio_align = (uint32_t)rc;
		}
	}

	file->block_size_auto = block_size == 0;
	if (block_size == 0) {
		block_size = spdk_max(lbs, file->dio_align);
	}
	if (block_size < BDEV_FILE_MIN_BLOCK_SIZE || !spdk_u32_is_pow2(block_size)) {
		SPDK_ERRLOG("bdev %s: block size %" PRIu32
			    " is not a power of two of at least 512\n",
			    bdev_name, block_size);
		rc = -EINVAL;
		goto err;
	}
	if (block_size < file->dio_align || (file->blockdev && block_size < lbs)) {
		SPDK_ERRLOG("bdev %s: block size %" PRIu32 " is smaller than the %" PRIu32
			    "-byte logical block size of %s\n",
			    bdev_name, block_size, spdk_max(lbs, file->dio_align), filename);
		rc = -EINVAL;
		goto err;
	}
	file->block_size = block_size;
	if (!file->blockdev) {
		file->phys_block_size = block_size;
	}
	file->phys_block_size = spdk_max(file->phys_block_size, block_size);

	if (file->size == 0) {
		SPDK_ERRLOG("bdev %s: %s is empty\n", bdev_name, filename);
		rc = -EINVAL;
		goto err;
	}
	if (file->size % block_size != 0) {
		SPDK_ERRLOG("bdev %s: the size of %s (%" PRIu64 " bytes) is not a multiple of the "
			    "block size %" PRIu32 "\n",
			    bdev_name, filename, file->size, block_size);
		rc = -EINVAL;
		goto err;
	}
	return 0;

err:
	updk__bdev_file_close(file);
	return rc;
}

void
updk__bdev_file_close(struct bdev_file *file)
{
	if (file->fd >= 0) {
		close(file->fd);
		file->fd = -1;
	}
}

int
updk__bdev_file_get_size(struct bdev_file *file, const char *bdev_name, uint64_t *size)
{
	struct stat st;
	uint64_t bytes = 0;
	int rc;

	if (file->blockdev) {
		if (ioctl(file->fd, BLKGETSIZE64, &bytes) != 0) {
			rc = -errno;
			SPDK_ERRLOG("bdev %s: cannot read the device size (BLKGETSIZE64): %s\n",
				    bdev_name, spdk_strerror(-rc));
			return rc;
		}
	} else {
		if (fstat(file->fd, &st) != 0) {
			rc = -errno;
			SPDK_ERRLOG("bdev %s: cannot stat its file: %s\n", bdev_name,
				    spdk_strerror(-rc));
			return rc;
		}
		bytes = (uint64_t)st.st_size;
	}
	*size = bytes - bytes % file->block_size;
	return 0;
}

int
updk__bdev_file_rescan(struct bdev_file *file, struct spdk_bdev *bdev)
{
	uint64_t size, blockcnt;
	int rc;

	rc = updk__bdev_file_get_size(file, bdev->name, &size);
	if (rc != 0) {
		return rc;
	}
	blockcnt = size / bdev->blocklen;
	if (blockcnt == bdev->blockcnt) {
		return 0;
	}
	rc = spdk_bdev_notify_blockcnt_change(bdev, blockcnt);
	if (rc != 0) {
		SPDK_ERRLOG("bdev %s: cannot resize from %" PRIu64 " to %" PRIu64 " blocks: %s\n",
			    bdev->name, bdev->blockcnt, blockcnt, spdk_strerror(-rc));
		return rc;
	}
	SPDK_NOTICELOG("bdev %s: resized to %" PRIu64 " blocks\n", bdev->name, blockcnt);
	return 0;
}
