/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The passthru bdev module: the smallest complete virtual bdev, and the
 * template for writing one. A passthru bdev opens and claims one base bdev
 * and forwards every I/O to it. Everything a virtual bdev must get right is
 * here and nothing else:
 *
 *  - one io_device per virtual bdev, whose per-thread channel holds that
 *    thread's channel to the base (get it in create_cb, put it in
 *    destroy_cb);
 *  - I/O forwarded on the submitting thread, the base's completion turned
 *    into the virtual bdev's completion exactly once, -ENOMEM from the base
 *    handed up as SPDK_BDEV_IO_STATUS_NOMEM so the bdev layer retries it;
 *  - the base's REMOVE event turned into spdk_bdev_unregister() of the
 *    virtual bdev, and its RESIZE event into spdk_bdev_notify_blockcnt_change();
 *  - teardown in order: the bdev layer calls destruct only after the last
 *    descriptor closed and the last channel (and so every base channel) was
 *    put; destruct then releases the claim, closes the base descriptor and
 *    unregisters the io_device, and finishes with spdk_bdev_destruct_done().
 *
 * To write your own, copy this file, rename, and change
 * passthru_submit_request() (and the per-I/O context if you need one).
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_passthru.h"

SPDK_LOG_REGISTER_COMPONENT(bdev_passthru)

struct bdev_passthru {
	/* The bdev we register; ctxt points back here. */
	struct spdk_bdev bdev;
	/* Our descriptor of the base, opened for writing and claimed. */
	struct spdk_bdev_desc *base_desc;
	struct spdk_bdev *base;
	TAILQ_ENTRY(bdev_passthru) link;
};

/* Per-thread channel of one passthru bdev. */
struct passthru_channel {
	struct spdk_io_channel *base_ch;
};

static TAILQ_HEAD(, bdev_passthru) g_passthru_bdevs = TAILQ_HEAD_INITIALIZER(g_passthru_bdevs);

static int bdev_passthru_initialize(void);

static struct spdk_bdev_module passthru_if = {
	.name = "passthru",
	.module_init = bdev_passthru_initialize,
};

SPDK_BDEV_MODULE_REGISTER(passthru, &passthru_if)

static int
bdev_passthru_initialize(void)
{
	return 0;
}

/* The base finished: complete ours with its status, then free the base's I/O. */
static void
passthru_io_done(struct spdk_bdev_io *base_io, bool success, void *cb_arg)
{
	struct spdk_bdev_io *bdev_io = cb_arg;

	spdk_bdev_io_complete_base_io_status(bdev_io, base_io);
	spdk_bdev_free_io(base_io);
}

/* A submission the base refused: -ENOMEM is retried by the bdev layer. */
static void
passthru_submit_failed(struct spdk_bdev_io *bdev_io, int rc)
{
	spdk_bdev_io_complete(bdev_io, rc == -ENOMEM ? SPDK_BDEV_IO_STATUS_NOMEM
						     : SPDK_BDEV_IO_STATUS_FAILED);
}

static void
passthru_read_get_buf_cb(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io, bool success)
{
	struct bdev_passthru *pt = bdev_io->bdev->ctxt;
	struct passthru_channel *pch = spdk_io_channel_get_ctx(ch);
	int rc;

	if (!success) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	rc = spdk_bdev_readv_blocks(pt->base_desc, pch->base_ch, bdev_io->u.bdev.iovs,
				    bdev_io->u.bdev.iovcnt, bdev_io->u.bdev.offset_blocks,
				    bdev_io->u.bdev.num_blocks, passthru_io_done, bdev_io);
	if (rc != 0) {
		passthru_submit_failed(bdev_io, rc);
	}
}

static void
passthru_submit_request(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io)
{
	struct bdev_passthru *pt = bdev_io->bdev->ctxt;
	struct passthru_channel *pch = spdk_io_channel_get_ctx(ch);
	uint64_t off = bdev_io->u.bdev.offset_blocks, num = bdev_io->u.bdev.num_blocks;
	int rc;

	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		if (bdev_io->u.bdev.iovs[0].iov_base == NULL) {
			/* The base would allocate a buffer of its own that ours
			 * would never see: get it here, at our layer. */
			spdk_bdev_io_get_buf(bdev_io, passthru_read_get_buf_cb,
					     num * pt->bdev.blocklen);
			return;
		}
		rc = spdk_bdev_readv_blocks(pt->base_desc, pch->base_ch, bdev_io->u.bdev.iovs,
					    bdev_io->u.bdev.iovcnt, off, num, passthru_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
		rc = spdk_bdev_writev_blocks(pt->base_desc, pch->base_ch, bdev_io->u.bdev.iovs,
					     bdev_io->u.bdev.iovcnt, off, num, passthru_io_done,
					     bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		rc = spdk_bdev_write_zeroes_blocks(pt->base_desc, pch->base_ch, off, num,
						   passthru_io_done, bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_UNMAP:
		rc = spdk_bdev_unmap_blocks(pt->base_desc, pch->base_ch, off, num, passthru_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		rc = spdk_bdev_flush_blocks(pt->base_desc, pch->base_ch, off, num, passthru_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_RESET:
		rc = spdk_bdev_reset(pt->base_desc, pch->base_ch, passthru_io_done, bdev_io);
		break;
	default:
		/* io_type_supported() keeps other types away. */
		rc = -ENOTSUP;
		break;
	}
	if (rc != 0) {
		passthru_submit_failed(bdev_io, rc);
	}
}

static bool
passthru_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type)
{
	struct bdev_passthru *pt = ctx;

	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_FLUSH:
	case SPDK_BDEV_IO_TYPE_RESET:
		return spdk_bdev_io_type_supported(pt->base, io_type);
	default:
		return false;
	}
}

static struct spdk_io_channel *
passthru_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(ctx);
}

static int
passthru_channel_create(void *io_device, void *ctx_buf)
{
	struct bdev_passthru *pt = io_device;
	struct passthru_channel *pch = ctx_buf;

	pch->base_ch = spdk_bdev_get_io_channel(pt->base_desc);
	if (pch->base_ch == NULL) {
		SPDK_ERRLOG("passthru bdev %s: no channel to base bdev %s on thread %s\n",
			    pt->bdev.name, pt->base->name, spdk_thread_get_name(spdk_get_thread()));
		return -ENOMEM;
	}
	return 0;
}

static void
passthru_channel_destroy(void *io_device, void *ctx_buf)
{
	struct passthru_channel *pch = ctx_buf;

	spdk_put_io_channel(pch->base_ch);
}

static void
passthru_free(struct bdev_passthru *pt)
{
	free(pt->bdev.name);
	free(pt);
}

static void
passthru_io_device_free(void *io_device)
{
	passthru_free(io_device);
}

static void
passthru_io_device_gone(void *io_device)
{
	struct bdev_passthru *pt = io_device;

	spdk_bdev_destruct_done(&pt->bdev, 0);
	passthru_free(pt);
}

/* Runs on the app thread after the last descriptor and channel are gone. */
static int
passthru_destruct(void *ctx)
{
	struct bdev_passthru *pt = ctx;

	TAILQ_REMOVE(&g_passthru_bdevs, pt, link);
	spdk_bdev_module_release_bdev(pt->base);
	spdk_bdev_close(pt->base_desc);
	spdk_io_device_unregister(pt, passthru_io_device_gone);
	return 1;
}

static int
passthru_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_passthru *pt = ctx;

	spdk_json_write_named_object_begin(w, "passthru");
	spdk_json_write_named_string(w, "name", pt->bdev.name);
	spdk_json_write_named_string(w, "base_bdev_name", pt->base->name);
	spdk_json_write_object_end(w);
	return 0;
}

static void
passthru_write_config_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	struct bdev_passthru *pt = bdev->ctxt;
	char uuid[SPDK_UUID_STRING_LEN];

	spdk_uuid_fmt_lower(uuid, sizeof(uuid), &bdev->uuid);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", "bdev_passthru_create");
	spdk_json_write_named_object_begin(w, "params");
	spdk_json_write_named_string(w, "base_bdev_name", pt->base->name);
	spdk_json_write_named_string(w, "name", bdev->name);
	spdk_json_write_named_string(w, "uuid", uuid);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
}

static const struct spdk_bdev_fn_table passthru_fn_table = {
	.destruct = passthru_destruct,
	.submit_request = passthru_submit_request,
	.io_type_supported = passthru_io_type_supported,
	.get_io_channel = passthru_get_io_channel,
	.dump_info_json = passthru_dump_info_json,
	.write_config_json = passthru_write_config_json,
};

/* Events of the base, on the app thread (where the base was opened). */
static void
passthru_base_event(enum spdk_bdev_event_type type, struct spdk_bdev *base, void *ctx)
{
	struct bdev_passthru *pt = ctx;
	int rc;

	switch (type) {
	case SPDK_BDEV_EVENT_REMOVE:
		/* Our users get REMOVE in turn; the base descriptor stays open
		 * until destruct, so their in-flight I/O still reaches it. */
		spdk_bdev_unregister(&pt->bdev, NULL, NULL);
		break;
	case SPDK_BDEV_EVENT_RESIZE:
		rc = spdk_bdev_notify_blockcnt_change(&pt->bdev, spdk_bdev_get_num_blocks(base));
		if (rc != 0) {
			SPDK_ERRLOG("passthru bdev %s: cannot follow the resize of base %s: %s\n",
				    pt->bdev.name, base->name, spdk_strerror(-rc));
		}
		break;
	default:
		break;
	}
}

int
bdev_passthru_create_disk(const char *bdev_name, const char *vbdev_name,
			  const struct spdk_uuid *uuid)
{
	struct bdev_passthru *pt;
	struct spdk_bdev *base;
	int rc;

	if (bdev_name == NULL || vbdev_name == NULL || *bdev_name == '\0' || *vbdev_name == '\0') {
		SPDK_ERRLOG("bdev_passthru_create_disk: %s is NULL or empty\n",
			    bdev_name == NULL || *bdev_name == '\0' ? "bdev_name" : "vbdev_name");
		return -EINVAL;
	}
	pt = calloc(1, sizeof(*pt));
	if (pt == NULL || (pt->bdev.name = strdup(vbdev_name)) == NULL) {
		SPDK_ERRLOG("passthru bdev %s: out of memory\n", vbdev_name);
		free(pt);
		return -ENOMEM;
	}
	rc = spdk_bdev_open_ext(bdev_name, true, passthru_base_event, pt, &pt->base_desc);
	if (rc != 0) {
		SPDK_ERRLOG("passthru bdev %s: cannot open base bdev %s: %s\n", vbdev_name,
			    bdev_name, spdk_strerror(-rc));
		goto err_free;
	}
	base = spdk_bdev_desc_get_bdev(pt->base_desc);
	pt->base = base;
	rc = spdk_bdev_module_claim_bdev(base, pt->base_desc, &passthru_if);
	if (rc != 0) {
		goto err_close;
	}

	pt->bdev.product_name = "passthru";
	pt->bdev.write_cache = base->write_cache;
	pt->bdev.blocklen = base->blocklen;
	pt->bdev.phys_blocklen = base->phys_blocklen;
	pt->bdev.blockcnt = base->blockcnt;
	pt->bdev.required_alignment = base->required_alignment;
	pt->bdev.optimal_io_boundary = base->optimal_io_boundary;
	pt->bdev.split_on_optimal_io_boundary = base->split_on_optimal_io_boundary;
	pt->bdev.write_unit_size = base->write_unit_size;
	pt->bdev.max_rw_size = base->max_rw_size;
	if (uuid != NULL) {
		spdk_uuid_copy(&pt->bdev.uuid, uuid);
	}
	pt->bdev.ctxt = pt;
	pt->bdev.fn_table = &passthru_fn_table;
	pt->bdev.module = &passthru_if;

	spdk_io_device_register(pt, passthru_channel_create, passthru_channel_destroy,
				sizeof(struct passthru_channel), pt->bdev.name);
	rc = spdk_bdev_register(&pt->bdev);
	if (rc != 0) {
		spdk_bdev_module_release_bdev(base);
		spdk_bdev_close(pt->base_desc);
		/* No channel exists yet, but the unregister completes later. */
		spdk_io_device_unregister(pt, passthru_io_device_free);
		return rc;
	}
	TAILQ_INSERT_TAIL(&g_passthru_bdevs, pt, link);
	return 0;

err_close:
	spdk_bdev_close(pt->base_desc);
err_free:
	passthru_free(pt);
	return rc;
}

void
bdev_passthru_delete_disk(const char *vbdev_name, spdk_bdev_unregister_cb cb_fn, void *cb_arg)
{
	int rc;

	rc = spdk_bdev_unregister_by_name(vbdev_name, &passthru_if, cb_fn, cb_arg);
	if (rc != 0 && cb_fn != NULL) {
		cb_fn(cb_arg, rc);
	}
}
