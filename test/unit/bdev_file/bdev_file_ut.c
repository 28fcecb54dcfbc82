/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of module/bdev/file/bdev_file.c, the file handling the uring and
 * aio modules share: the fallocate() ladder of unmap and write zeroes, where
 * a short transfer goes on, and opening files for a bdev (block size
 * detection, the checks that refuse a file before anything is registered, the
 * size after the file grows). Runs on real files in a temporary directory.
 */

#include "spdk/stdinc.h"

#include <setjmp.h>
#include <cmocka.h>
#include <linux/falloc.h>

#include "../../../module/bdev/file/bdev_file.c"

static char g_dir[256];

static void
path_of(char *buf, size_t len, const char *name)
{
	snprintf(buf, len, "%s/%s", g_dir, name);
}

static void
make_file(const char *path, off_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, size), 0);
	close(fd);
}

static void
zero_fallback_walks_down_only_on_not_supported(void **state)
{
	assert_int_equal(updk__bdev_file_zero_fallback(BDEV_FILE_ZERO_RANGE, -EOPNOTSUPP),
			 BDEV_FILE_ZERO_PUNCH);
	assert_int_equal(updk__bdev_file_zero_fallback(BDEV_FILE_ZERO_PUNCH, -EINVAL),
			 BDEV_FILE_ZERO_WRITE);
	assert_int_equal(updk__bdev_file_zero_fallback(BDEV_FILE_ZERO_WRITE, -EOPNOTSUPP),
			 BDEV_FILE_ZERO_WRITE);
	/* Real errors are reported, not worked around. */
	assert_int_equal(updk__bdev_file_zero_fallback(BDEV_FILE_ZERO_RANGE, -EIO),
			 BDEV_FILE_ZERO_RANGE);
	assert_int_equal(updk__bdev_file_zero_fallback(BDEV_FILE_ZERO_PUNCH, -ENOSPC),
			 BDEV_FILE_ZERO_PUNCH);
}

static void
falloc_flags_keep_the_size(void **state)
{
	assert_int_equal(updk__bdev_file_falloc_flags(BDEV_FILE_ZERO_RANGE),
			 FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE);
	assert_int_equal(updk__bdev_file_falloc_flags(BDEV_FILE_ZERO_PUNCH),
			 FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE);
	assert_int_equal(updk__bdev_file_falloc_flags(BDEV_FILE_ZERO_WRITE), 0);
}

static void
zero_buf_is_zero_and_aligned(void **state)
{
	const uint8_t *z = updk__bdev_file_zero_buf();
	size_t i;

	assert_int_equal((uintptr_t)z % 4096, 0);
	for (i = 0; i < BDEV_FILE_ZERO_CHUNK; i++) {
		assert_int_equal(z[i], 0);
	}
}

static void
iov_rest_continues_inside_the_segment_where_the_kernel_stopped(void **state)
{
	static uint8_t a[4096], b[8192], c[4096];
	struct iovec iovs[] = {{a, sizeof(a)}, {b, sizeof(b)}, {c, sizeof(c)}};
	struct iovec big = {(void *)0x10000, 3ULL << 30};
	void *buf;
	uint64_t len;

	/* Within the first segment. */
	updk__bdev_file_iov_rest(iovs, 3, 512, &buf, &len);
	assert_ptr_equal(buf, a + 512);
	assert_int_equal(len, sizeof(a) - 512);
	/* On a segment boundary: the whole next segment. */
	updk__bdev_file_iov_rest(iovs, 3, sizeof(a), &buf, &len);
	assert_ptr_equal(buf, b);
	assert_int_equal(len, sizeof(b));
	updk__bdev_file_iov_rest(iovs, 3, sizeof(a) + 4096, &buf, &len);
	assert_ptr_equal(buf, b + 4096);
	assert_int_equal(len, 4096);
	updk__bdev_file_iov_rest(iovs, 3, sizeof(a) + sizeof(b) + 4095, &buf, &len);
	assert_ptr_equal(buf, c + 4095);
	assert_int_equal(len, 1);
	/* One buffer larger than a piece: the piece is capped. */
	updk__bdev_file_iov_rest(&big, 1, 4096, &buf, &len);
	assert_ptr_equal(buf, (uint8_t *)big.iov_base + 4096);
	assert_int_equal(len, BDEV_FILE_RW_PIECE_MAX);
	updk__bdev_file_iov_rest(&big, 1, (3ULL << 30) - 4096, &buf, &len);
	assert_int_equal(len, 4096);
}

static void
open_regular_file_detects_block_size(void **state)
{
	struct bdev_file f;
	char path[300];
	uint64_t size;

	path_of(path, sizeof(path), "auto.img");
	make_file(path, 1024 * 1024);
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 0, false), 0);
	assert_true(f.fd >= 0);
	assert_false(f.blockdev);
	assert_true(f.block_size_auto);
	assert_true(f.block_size >= 512 && f.block_size <= 4096);
	assert_true(f.block_size >= f.dio_align);
	assert_int_equal(f.size, 1024 * 1024);
	/* Growth by less than a block is rounded down. */
	assert_int_equal(truncate(path, 2 * 1024 * 1024 + 100), 0);
	assert_int_equal(updk__bdev_file_get_size(&f, "t", &size), 0);
	assert_int_equal(size, 2 * 1024 * 1024);
	updk__bdev_file_close(&f);
	assert_int_equal(f.fd, -1);
	updk__bdev_file_close(&f);

	assert_int_equal(truncate(path, 2 * 1024 * 1024), 0);
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 512, true), 0);
	assert_int_equal(f.block_size, 512);
	assert_true(f.readonly);
	assert_false(f.block_size_auto);
	updk__bdev_file_close(&f);
	unlink(path);
}

static void
open_refuses_bad_files(void **state)
{
	struct bdev_file f;
	char path[300];

	path_of(path, sizeof(path), "missing.img");
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 0, false), -ENOENT);
	assert_int_equal(f.fd, -1);
	assert_int_equal(updk__bdev_file_open(&f, "t", g_dir, 0, false), -EISDIR);
	assert_int_equal(updk__bdev_file_open(&f, "t", g_dir, 0, true), -EISDIR);
	assert_int_equal(updk__bdev_file_open(&f, "t", "/dev/null", 0, false), -EINVAL);

	path_of(path, sizeof(path), "empty.img");
	make_file(path, 0);
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 0, false), -EINVAL);
	unlink(path);

	path_of(path, sizeof(path), "odd.img");
	make_file(path, 4096 * 3 + 512);
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 4096, false), -EINVAL);
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 1000, false), -EINVAL);
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 256, false), -EINVAL);
	assert_int_equal(updk__bdev_file_open(&f, "t", path, 512, false), 0);
	updk__bdev_file_close(&f);
	unlink(path);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(zero_fallback_walks_down_only_on_not_supported),
		cmocka_unit_test(falloc_flags_keep_the_size),
		cmocka_unit_test(zero_buf_is_zero_and_aligned),
		cmocka_unit_test(iov_rest_continues_inside_the_segment_where_the_kernel_stopped),
		cmocka_unit_test(open_regular_file_detects_block_size),
		cmocka_unit_test(open_refuses_bad_files),
	};
	int rc;

	snprintf(g_dir, sizeof(g_dir), "/var/tmp/updk_bdev_file_ut_XXXXXX");
	if (mkdtemp(g_dir) == NULL) {
		return 77;
	}
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	rmdir(g_dir);
	return rc;
}
