/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The passthru bdev module: the smallest complete virtual bdev, and the
 * template for writing one. A passthru bdev opens and claims one base bdev
 * and forwards every I/O to it. What every virtual bdev must get right is
 * done by the helper the in-tree virtual bdevs share (vbdev_common.c, whose
 * contract is in include/updk_internal/vbdev.h), which this module tells
 * what it needs through g_passthru:
 *
 *  - a configuration per create call, kept until the delete call: the bdev
 *    is created at once when its base exists, else when a bdev of the base's
 *    name registers (the examine_config of the helper's own bdev module,
 *    "vbdev"); a hot-removed base takes the bdev with it, and it comes back
 *    with the base; save_config writes every configuration (that module's
 *    config_json), also those waiting for their base;
 *  - one io_device per virtual bdev, whose per-thread channel holds that
 *    thread's channel to the base (got in the channel's create callback, put
 *    in its destroy callback);
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
 * What is left here is what a module decides for itself: what happens to an
 * I/O on its way to the base (passthru_submit_request()) and back
 * (passthru_io_done()), what it reports, and its create and delete calls.
 * To write your own, copy this file and rename, then change those two
 * functions. A module with state of its own wraps the helper's structs: the
 * delay module adds per-bdev latencies, per-channel queues and a poller and
 * holds completions back; the error module acts before the I/O reaches the
 * base. A module built outside this tree does the helper's steps itself, in
 * the order described above.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/uuid.h"
#include "updk/bdev_passthru.h"
#include "updk_internal/vbdev.h"

SPDK_LOG_REGISTER_COMPONENT(bdev_passthru)

static int bdev_passthru_initialize(void);

/* The helper's own module examines new bdevs and saves the configurations
 * of every virtual bdev module, so this one needs no more than this. */
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
passthru_io_done(struct spdk_bdev_io *bdev_io, struct spdk_bdev_io *base_io, bool success)
{
	spdk_bdev_io_complete_base_io_status(bdev_io, base_io);
	spdk_bdev_free_io(base_io);
}

static void
passthru_submit_request(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io)
{
	/* A module that changes I/O does it here, before forwarding it (or
	 * instead), or in its io_done callback. */
	updk__vbdev_submit(ch, bdev_io);
}

static int
passthru_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct updk_vbdev *vb = ctx;

	spdk_json_write_named_object_begin(w, "passthru");
	spdk_json_write_named_string(w, "name", vb->bdev.name);
	spdk_json_write_named_string(w, "base_bdev_name", vb->base->name);
	spdk_json_write_object_end(w);
	return 0;
}

/* The params of bdev_passthru_create that recreate \p cfg (the helper adds the uuid). */
static void
passthru_write_params(const struct updk_vbdev_config *cfg, struct spdk_json_write_ctx *w)
{
	spdk_json_write_named_string(w, "base_bdev_name", cfg->base_name);
	spdk_json_write_named_string(w, "name", cfg->name);
}

static const struct spdk_bdev_fn_table passthru_fn_table = {
	.destruct = updk__vbdev_destruct,
	.submit_request = passthru_submit_request,
	.io_type_supported = updk__vbdev_io_type_supported,
	.get_io_channel = updk__vbdev_get_io_channel,
	.dump_info_json = passthru_dump_info_json,
};

/* Passthru keeps no state of its own, so it uses the helper's structs as they are. */
static const struct updk_vbdev_module g_passthru = {
	.bdev_module = &passthru_if,
	.fn_table = &passthru_fn_table,
	.product_name = "passthru",
	.create_method = "bdev_passthru_create",
	.config_size = sizeof(struct updk_vbdev_config),
	.vbdev_size = sizeof(struct updk_vbdev),
	.channel_size = sizeof(struct updk_vbdev_channel),
	.io_done = passthru_io_done,
	.write_params = passthru_write_params,
};

int
bdev_passthru_create_disk(const char *bdev_name, const char *vbdev_name,
			  const struct spdk_uuid *uuid)
{
	struct updk_vbdev_config *cfg;
	int rc;

	rc = updk__vbdev_config_alloc(&g_passthru, vbdev_name, bdev_name, uuid, &cfg);
	if (rc != 0) {
		return rc;
	}
	return updk__vbdev_config_add(cfg);
}

void
bdev_passthru_delete_disk(const char *vbdev_name, spdk_bdev_unregister_cb cb_fn, void *cb_arg)
{
	updk__vbdev_delete(&g_passthru, vbdev_name, cb_fn, cb_arg);
}
