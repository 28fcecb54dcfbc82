/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Multi-threaded functional test of the malloc, null, uring and aio bdevs: the bdev suite
 * (bdev_suite.h) runs its write/read-verify traffic, vectored I/O, boundary,
 * unmap, write zeroes, flush and reset-under-load checks against each row of
 * the table below, from several pthreads that each poll their own
 * spdk_threads through one shared descriptor. Each row is one bdev
 * configuration; to cover another module, add a row with its create and
 * destroy functions.
 *
 * Usage: bdev_mt [seed]. Exit status 0 when every check passed, 1 otherwise.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "updk/bdev_malloc.h"
#include "updk/bdev_null.h"
#include "updk/bdev_aio.h"
#include "updk/bdev_uring.h"
#include "spdk/util.h"

#include "bdev_suite.h"

#define CAPS_MALLOC                                                                           \
	(SUITE_CAP_DATA | SUITE_CAP_UNMAP | SUITE_CAP_UNMAP_ZEROES | SUITE_CAP_WRITE_ZEROES | \
	 SUITE_CAP_FLUSH | SUITE_CAP_RESET | SUITE_CAP_ZEROED)
#define CAPS_NULL (SUITE_CAP_WRITE_ZEROES | SUITE_CAP_RESET)
#define CAPS_FILE CAPS_MALLOC

static int
malloc_row_create(const struct bdev_suite_row *row, struct spdk_bdev **bdev)
{
	struct malloc_bdev_opts opts;

	memset(&opts, 0, sizeof(opts));
	opts.name = (char *)row->name;
	opts.num_blocks = row->num_blocks;
	opts.block_size = row->block_size;
	return create_malloc_disk(bdev, &opts);
}

static void
malloc_row_destroy(const struct bdev_suite_row *row, struct spdk_bdev *bdev,
		   bdev_suite_destroy_cb cb, void *cb_arg)
{
	delete_malloc_disk(spdk_bdev_get_name(bdev), cb, cb_arg);
}

static int
null_row_create(const struct bdev_suite_row *row, struct spdk_bdev **bdev)
{
	struct null_bdev_opts opts;

	memset(&opts, 0, sizeof(opts));
	opts.name = row->name;
	opts.num_blocks = row->num_blocks;
	opts.block_size = row->block_size;
	return bdev_null_create(bdev, &opts);
}

static void
null_row_destroy(const struct bdev_suite_row *row, struct spdk_bdev *bdev, bdev_suite_destroy_cb cb,
		 void *cb_arg)
{
	bdev_null_delete(spdk_bdev_get_name(bdev), cb, cb_arg);
}

/*
 * The uring and aio rows run over a sparse file in /var/tmp (or $TMPDIR)
 * that is unlinked as soon as the bdev holds it open, so nothing is left
 * behind whatever happens.
 */
static int
file_row_create(const struct bdev_suite_row *row, struct spdk_bdev **bdev, bool uring)
{
	const char *dir = getenv("TMPDIR");
	char path[256];
	int fd, rc;

	snprintf(path, sizeof(path), "%s/updk_bdev_mt_%s_%d.img", dir ? dir : "/var/tmp", row->name,
		 (int)getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0) {
		return -errno;
	}
	rc = ftruncate(fd, (off_t)(row->num_blocks * row->block_size)) == 0 ? 0 : -errno;
	close(fd);
	if (rc == 0 && uring) {
		struct bdev_uring_opts opts = {
			.name = row->name,
			.filename = path,
			.block_size = row->block_size,
		};

		rc = updk_bdev_uring_create(&opts, bdev);
	} else if (rc == 0) {
		rc = create_aio_bdev(row->name, path, row->block_size, false, true, NULL, false);
		*bdev = rc == 0 ? spdk_bdev_get_by_name(row->name) : NULL;
	}
	unlink(path);
	return rc;
}

static int
uring_row_create(const struct bdev_suite_row *row, struct spdk_bdev **bdev)
{
	return file_row_create(row, bdev, true);
}

static void
uring_row_destroy(const struct bdev_suite_row *row, struct spdk_bdev *bdev,
		  bdev_suite_destroy_cb cb, void *cb_arg)
{
	delete_uring_bdev(spdk_bdev_get_name(bdev), cb, cb_arg);
}

static int
aio_row_create(const struct bdev_suite_row *row, struct spdk_bdev **bdev)
{
	return file_row_create(row, bdev, false);
}

static void
aio_row_destroy(const struct bdev_suite_row *row, struct spdk_bdev *bdev, bdev_suite_destroy_cb cb,
		void *cb_arg)
{
	bdev_aio_delete(spdk_bdev_get_name(bdev), cb, cb_arg);
}

static const struct bdev_suite_row g_rows[] = {
	{
		.name = "Malloc512",
		.create = malloc_row_create,
		.destroy = malloc_row_destroy,
		.caps = CAPS_MALLOC,
		.block_size = 512,
		.num_blocks = 65536,
	},
	{
		.name = "Malloc4k",
		.create = malloc_row_create,
		.destroy = malloc_row_destroy,
		.caps = CAPS_MALLOC,
		.block_size = 4096,
		.num_blocks = 8192,
	},
	{
		.name = "Null512",
		.create = null_row_create,
		.destroy = null_row_destroy,
		.caps = CAPS_NULL,
		.block_size = 512,
		.num_blocks = 1 << 20,
	},
	{
		.name = "Null4k",
		.create = null_row_create,
		.destroy = null_row_destroy,
		.caps = CAPS_NULL,
		.block_size = 4096,
		.num_blocks = 1 << 18,
	},
	{
		/* skip_on_error: io_uring may be missing or forbidden here. */
		.name = "Uring512",
		.create = uring_row_create,
		.destroy = uring_row_destroy,
		.caps = CAPS_FILE,
		.block_size = 512,
		.num_blocks = 65536,
		.skip_on_error = true,
	},
	{
		.name = "Uring4k",
		.create = uring_row_create,
		.destroy = uring_row_destroy,
		.caps = CAPS_FILE,
		.block_size = 4096,
		.num_blocks = 8192,
		.skip_on_error = true,
	},
	{
		.name = "Aio512",
		.create = aio_row_create,
		.destroy = aio_row_destroy,
		.caps = CAPS_FILE,
		.block_size = 512,
		.num_blocks = 65536,
	},
	{
		.name = "Aio4k",
		.create = aio_row_create,
		.destroy = aio_row_destroy,
		.caps = CAPS_FILE,
		.block_size = 4096,
		.num_blocks = 8192,
	},
};

int
main(int argc, char **argv)
{
	struct bdev_suite_opts opts;
	char *end;

	memset(&opts, 0, sizeof(opts));
	if (argc > 1) {
		errno = 0;
		opts.seed = strtoull(argv[1], &end, 0);
		if (errno != 0 || *end != '\0') {
			fprintf(stderr, "usage: %s [seed]\n", argv[0]);
			return 1;
		}
	}
	return bdev_suite_run(g_rows, SPDK_COUNTOF(g_rows), &opts);
}
