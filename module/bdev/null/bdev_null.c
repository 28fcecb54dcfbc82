/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The null bdev module: writes are discarded, reads return without touching
 * the buffer. It measures the framework itself, so its path is as short as
 * it can be: submit_request puts the I/O on the channel's queue, and the
 * channel's poller completes the queue on the next poll (never inside
 * submit_request). One io_device serves every null bdev.
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/thread.h"
#include "updk_internal/bdev.h"
#include "updk_internal/disk.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_null.h"

SPDK_LOG_REGISTER_COMPONENT(bdev_null)

struct null_bdev {
	struct spdk_bdev bdev;
	TAILQ_ENTRY(null_bdev) link;
};

/* Per-I/O context (driver_ctx). */
struct null_task {
	int status;
	STAILQ_ENTRY(null_task) link;
};

struct null_channel {
	STAILQ_HEAD(, null_task) completed;
	struct spdk_poller *poller;
};

static TAILQ_HEAD(, null_bdev) g_null_bdevs = TAILQ_HEAD_INITIALIZER(g_null_bdevs);

static int bdev_null_initialize(void);
static void bdev_null_finish(void);
static int bdev_null_get_ctx_size(void);

static struct spdk_bdev_module null_if = {
	.name = "null",
	.module_init = bdev_null_initialize,
	.module_fini = bdev_null_finish,
	.get_ctx_size = bdev_null_get_ctx_size,
};

SPDK_BDEV_MODULE_REGISTER(null, &null_if)

static int
bdev_null_get_ctx_size(void)
{
	return (int)sizeof(struct null_task);
}

static inline void
null_done(struct null_channel *nch, struct spdk_bdev_io *bdev_io, int status)
{
	struct null_task *task = (struct null_task *)bdev_io->driver_ctx;

	task->status = status;
	STAILQ_INSERT_TAIL(&nch->completed, task, link);
}

static int
null_poll(void *arg)
{
	struct null_channel *nch = arg;
	struct null_task *task, *next;

	task = STAILQ_FIRST(&nch->completed);
	if (task == NULL) {
		return SPDK_POLLER_IDLE;
	}
	/* Completions may submit more I/O: those wait for the next poll. */
	STAILQ_INIT(&nch->completed);
	do {
		next = STAILQ_NEXT(task, link);
		spdk_bdev_io_complete(spdk_bdev_io_from_ctx(task),
				      (enum spdk_bdev_io_status)task->status);
		task = next;
	} while (task != NULL);
	return SPDK_POLLER_BUSY;
}

static void
null_read_get_buf_cb(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io, bool success)
{
	null_done(spdk_io_channel_get_ctx(ch), bdev_io,
		  success ? SPDK_BDEV_IO_STATUS_SUCCESS : SPDK_BDEV_IO_STATUS_FAILED);
}

static void
null_abort(struct null_channel *nch, struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_io *target = bdev_io->u.abort.bio_to_abort;
	struct null_task *task;

	STAILQ_FOREACH (task, &nch->completed, link) {
		if (spdk_bdev_io_from_ctx(task) == target) {
			STAILQ_REMOVE(&nch->completed, task, null_task, link);
			null_done(nch, target, SPDK_BDEV_IO_STATUS_ABORTED);
			null_done(nch, bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
			return;
		}
	}
	null_done(nch, bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
}

static void
bdev_null_submit_request(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io)
{
	struct null_channel *nch = spdk_io_channel_get_ctx(ch);

	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		if (spdk_unlikely(bdev_io->u.bdev.iovs[0].iov_base == NULL)) {
			spdk_bdev_io_get_buf(bdev_io, null_read_get_buf_cb,
					     bdev_io->u.bdev.num_blocks * bdev_io->bdev->blocklen);
			return;
		}
	/* fallthrough */
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_RESET:
		null_done(nch, bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
		return;
	case SPDK_BDEV_IO_TYPE_ABORT:
		null_abort(nch, bdev_io);
		return;
	default:
		null_done(nch, bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
}

static bool
bdev_null_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type)
{
	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_RESET:
	case SPDK_BDEV_IO_TYPE_ABORT:
		return true;
	default:
		return false;
	}
}

static struct spdk_io_channel *
bdev_null_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(&g_null_bdevs);
}

static void
null_bdev_free(struct null_bdev *nbdev)
{
	free(nbdev->bdev.name);
	free(nbdev);
}

static int
bdev_null_destruct(void *ctx)
{
	struct null_bdev *nbdev = ctx;

	TAILQ_REMOVE(&g_null_bdevs, nbdev, link);
	null_bdev_free(nbdev);
	return 0;
}

/* The bdev_null_create call that recreates \p bdev (save_config). */
static void
bdev_null_write_config_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	updk__disk_write_config_begin(w, "bdev_null_create", bdev);
	updk__disk_write_config_end(w, bdev);
}

static const struct spdk_bdev_fn_table null_fn_table = {
	.destruct = bdev_null_destruct,
	.submit_request = bdev_null_submit_request,
	.io_type_supported = bdev_null_io_type_supported,
	.get_io_channel = bdev_null_get_io_channel,
	.write_config_json = bdev_null_write_config_json,
};

static const char *
null_thread_name(void)
{
	struct spdk_thread *thread = spdk_get_thread();

	return thread != NULL ? spdk_thread_get_name(thread) : "(no SPDK thread)";
}

int
bdev_null_create(struct spdk_bdev **bdev, const struct null_bdev_opts *opts)
{
	struct null_bdev *nbdev;
	int rc;

	if (bdev == NULL || opts == NULL || opts->name == NULL || opts->name[0] == '\0') {
		SPDK_ERRLOG("bdev_null_create: %s (thread %s)\n",
			    bdev == NULL   ? "bdev is NULL"
			    : opts == NULL ? "opts is NULL"
					   : "a name is required",
			    null_thread_name());
		return -EINVAL;
	}
	rc = updk__disk_geometry_check("null", opts->name, opts->num_blocks, opts->block_size,
				       opts->physical_block_size, opts->md_size);
	if (rc != 0) {
		return rc;
	}

	nbdev = calloc(1, sizeof(*nbdev));
	if (nbdev == NULL) {
		SPDK_ERRLOG("null bdev %s: out of memory\n", opts->name);
		return -ENOMEM;
	}
	nbdev->bdev.name = strdup(opts->name);
	if (nbdev->bdev.name == NULL) {
		SPDK_ERRLOG("null bdev %s: out of memory\n", opts->name);
		free(nbdev);
		return -ENOMEM;
	}
	nbdev->bdev.product_name = "Null disk";
	nbdev->bdev.write_cache = 0;
	nbdev->bdev.blocklen = opts->block_size;
	nbdev->bdev.phys_blocklen = opts->physical_block_size;
	nbdev->bdev.blockcnt = opts->num_blocks;
	nbdev->bdev.preferred_write_alignment = opts->preferred_write_alignment;
	nbdev->bdev.preferred_write_granularity = opts->preferred_write_granularity;
	nbdev->bdev.optimal_write_size = opts->optimal_write_size;
	nbdev->bdev.preferred_unmap_alignment = opts->preferred_unmap_alignment;
	nbdev->bdev.preferred_unmap_granularity = opts->preferred_unmap_granularity;
	if (opts->uuid != NULL) {
		spdk_uuid_copy(&nbdev->bdev.uuid, opts->uuid);
	}
	nbdev->bdev.ctxt = nbdev;
	nbdev->bdev.fn_table = &null_fn_table;
	nbdev->bdev.module = &null_if;

	rc = spdk_bdev_register(&nbdev->bdev);
	if (rc != 0) {
		null_bdev_free(nbdev);
		return rc;
	}
	TAILQ_INSERT_TAIL(&g_null_bdevs, nbdev, link);
	*bdev = &nbdev->bdev;
	return 0;
}

void
bdev_null_delete(const char *bdev_name, spdk_delete_null_complete cb_fn, void *cb_arg)
{
	updk__bdev_delete_by_name(bdev_name, &null_if, cb_fn, cb_arg);
}

int
bdev_null_resize(const char *bdev_name, const uint64_t new_size_in_mb)
{
	struct spdk_bdev *bdev;
	uint64_t bytes, blocks;

	bdev = spdk_bdev_get_by_name(bdev_name);
	if (bdev == NULL || bdev->module != &null_if) {
		SPDK_ERRLOG("bdev_null_resize: no null bdev named %s (thread %s)\n",
			    bdev_name != NULL ? bdev_name : "NULL", null_thread_name());
		return -ENODEV;
	}
	if (new_size_in_mb > UINT64_MAX / (1024 * 1024)) {
		SPDK_ERRLOG("null bdev %s: new size %" PRIu64 " MiB is too large (thread %s)\n",
			    bdev->name, new_size_in_mb, null_thread_name());
		return -EINVAL;
	}
	bytes = new_size_in_mb * 1024 * 1024;
	if (bytes % bdev->blocklen != 0) {
		SPDK_ERRLOG("null bdev %s: %" PRIu64 " MiB is not a whole number of %" PRIu32
			    "-byte blocks (thread %s)\n",
			    bdev->name, new_size_in_mb, bdev->blocklen, null_thread_name());
		return -EINVAL;
	}
	blocks = bytes / bdev->blocklen;
	if (blocks < bdev->blockcnt) {
		SPDK_ERRLOG("null bdev %s: cannot shrink from %" PRIu64 " to %" PRIu64 " blocks "
			    "(thread %s)\n",
			    bdev->name, bdev->blockcnt, blocks, null_thread_name());
		return -EINVAL;
	}
	return spdk_bdev_notify_blockcnt_change(bdev, blocks);
}

static int
null_channel_create(void *io_device, void *ctx_buf)
{
	struct null_channel *nch = ctx_buf;

	STAILQ_INIT(&nch->completed);
	nch->poller = SPDK_POLLER_REGISTER(null_poll, nch, 0);
	if (nch->poller == NULL) {
		SPDK_ERRLOG("null: could not register the completion poller on thread %s\n",
			    null_thread_name());
		return -ENOMEM;
	}
	return 0;
}

static void
null_channel_destroy(void *io_device, void *ctx_buf)
{
	struct null_channel *nch = ctx_buf;

	if (!STAILQ_EMPTY(&nch->completed)) {
		SPDK_ERRLOG("null: channel released with completions still queued (thread %s)\n",
			    null_thread_name());
	}
	spdk_poller_unregister(&nch->poller);
}

static int
bdev_null_initialize(void)
{
	spdk_io_device_register(&g_null_bdevs, null_channel_create, null_channel_destroy,
				sizeof(struct null_channel), "bdev_null");
	return 0;
}

static void
bdev_null_finish(void)
{
	spdk_io_device_unregister(&g_null_bdevs, NULL);
}
