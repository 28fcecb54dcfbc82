/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The bdev suite (../bdev_suite.h: data verification, vectored I/O,
 * boundaries, unmap, write zeroes, flush and reset under load, from several
 * pthreads) run against the virtual bdevs: an error bdev with nothing
 * injected, a delay bdev with small latencies and a passthru bdev, each over
 * its own malloc base. Each row creates the base, then the virtual bdev on
 * top, and deletes them in the opposite order.
 *
 * Usage: vbdev_suite [seed]. Exit status 0 when every check passed, 1 otherwise.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/util.h"
#include "updk/bdev_delay.h"
#include "updk/bdev_error.h"
#include "updk/bdev_malloc.h"
#include "updk/bdev_passthru.h"

#include "../bdev_suite.h"

#define CAPS_VBDEV                                                                            \
	(SUITE_CAP_DATA | SUITE_CAP_UNMAP | SUITE_CAP_UNMAP_ZEROES | SUITE_CAP_WRITE_ZEROES | \
	 SUITE_CAP_FLUSH | SUITE_CAP_RESET | SUITE_CAP_ZEROED)

enum vbdev_kind {
	KIND_ERROR,
	KIND_DELAY,
	KIND_PASSTHRU
};

struct vbdev_row_ctx {
	enum vbdev_kind kind;
	const char *base;
};

static int
vbdev_row_create(const struct bdev_suite_row *row, struct spdk_bdev **bdev)
{
	const struct vbdev_row_ctx *ctx = row->ctx;
	struct malloc_bdev_opts opts;
	struct spdk_bdev *base;
	int rc;

	memset(&opts, 0, sizeof(opts));
	opts.name = (char *)ctx->base;
	opts.num_blocks = row->num_blocks;
	opts.block_size = row->block_size;
	rc = create_malloc_disk(&base, &opts);
	if (rc != 0) {
		return rc;
	}
	switch (ctx->kind) {
	case KIND_ERROR:
		rc = vbdev_error_create(ctx->base, NULL);
		break;
	case KIND_DELAY:
		rc = create_delay_disk(ctx->base, row->name, NULL, 20, 200, 30, 300);
		break;
	case KIND_PASSTHRU:
		rc = bdev_passthru_create_disk(ctx->base, row->name, NULL);
		break;
	}
	if (rc != 0) {
		delete_malloc_disk(ctx->base, NULL, NULL);
		return rc;
	}
	*bdev = spdk_bdev_get_by_name(row->name);
	return *bdev != NULL ? 0 : -ENODEV;
}

struct vbdev_destroy {
	const struct vbdev_row_ctx *ctx;
	bdev_suite_destroy_cb cb;
	void *cb_arg;
	int rc;
};

static void
vbdev_base_deleted(void *arg, int rc)
{
	struct vbdev_destroy *d = arg;

	d->cb(d->cb_arg, d->rc != 0 ? d->rc : rc);
	free(d);
}

static void
vbdev_top_deleted(void *arg, int rc)
{
	struct vbdev_destroy *d = arg;

	d->rc = rc;
	delete_malloc_disk(d->ctx->base, vbdev_base_deleted, d);
}

static void
vbdev_row_destroy(const struct bdev_suite_row *row, struct spdk_bdev *bdev,
		  bdev_suite_destroy_cb cb, void *cb_arg)
{
	struct vbdev_destroy *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		cb(cb_arg, -ENOMEM);
		return;
	}
	d->ctx = row->ctx;
	d->cb = cb;
	d->cb_arg = cb_arg;
	switch (d->ctx->kind) {
	case KIND_ERROR:
		vbdev_error_delete(row->name, vbdev_top_deleted, d);
		break;
	case KIND_DELAY:
		delete_delay_disk(row->name, vbdev_top_deleted, d);
		break;
	case KIND_PASSTHRU:
		bdev_passthru_delete_disk(row->name, vbdev_top_deleted, d);
		break;
	}
}

static struct vbdev_row_ctx g_error_ctx = {KIND_ERROR, "err_base"};
static struct vbdev_row_ctx g_delay_ctx = {KIND_DELAY, "delay_base"};
static struct vbdev_row_ctx g_passthru_ctx = {KIND_PASSTHRU, "pt_base"};

static const struct bdev_suite_row g_rows[] = {
	{.name = "EE_err_base",
	 .create = vbdev_row_create,
	 .destroy = vbdev_row_destroy,
	 .caps = CAPS_VBDEV,
	 .block_size = 512,
	 .num_blocks = 8192,
	 .ctx = &g_error_ctx},
	{.name = "delay0",
	 .create = vbdev_row_create,
	 .destroy = vbdev_row_destroy,
	 .caps = CAPS_VBDEV,
	 .block_size = 4096,
	 .num_blocks = 2048,
	 .random_ops = 4000,
	 .ctx = &g_delay_ctx},
	{.name = "passthru0",
	 .create = vbdev_row_create,
	 .destroy = vbdev_row_destroy,
	 .caps = CAPS_VBDEV,
	 .block_size = 4096,
	 .num_blocks = 2048,
	 .ctx = &g_passthru_ctx},
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
