/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The error bdev module: fault injection. An error bdev is a passthru bdev
 * (module/bdev/passthru is the template, on the helper the virtual bdevs
 * share, include/updk_internal/vbdev.h) with an injection table indexed by
 * I/O type. The table is written by bdev_error_inject_error on the app thread
 * and read by every I/O thread, so each entry is accessed with atomics: the
 * writer zeroes the count, stores the other fields, then stores the count
 * with release; a reader loads the count with acquire and claims one
 * injection by decrementing it with a compare-and-swap. An I/O type with no
 * injection costs one relaxed load on the data path.
 *
 * Pending I/O (VBDEV_IO_PENDING) wait on a per-channel list. They must never
 * be lost: clearing the injections, deleting the bdev, removing its base and
 * the start of the bdev layer's shutdown all set `removing` (no new pending
 * I/O) and fail what is pending on every channel. The bdev is torn down only
 * after those sweeps have finished.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_error.h"
#include "updk_internal/vbdev.h"

SPDK_LOG_REGISTER_COMPONENT(bdev_error)

/* One entry of the injection table; every field is accessed atomically. */
struct error_inject {
	uint32_t error_type;
	/* Injections left; 0 means none. */
	uint32_t num;
	uint64_t qd;
	uint64_t corrupt_offset;
	uint8_t corrupt_value;
};

struct bdev_error {
	struct updk_vbdev vb;
	struct error_inject inject[SPDK_BDEV_NUM_IO_TYPES];
	/* Set (atomically) once pending I/O must no longer be held. */
	bool removing;
	/* Sweeps of the pending lists in progress (app thread only). */
	uint32_t sweeps;
	/* destruct() ran while a sweep was in progress (app thread only). */
	bool destruct_waiting;
};

/* Per-I/O context (driver_ctx). */
struct error_io {
	TAILQ_ENTRY(error_io) link;
	uint64_t corrupt_offset;
	uint8_t corrupt_value;
	/* Corrupt the data once the base has read it. */
	bool corrupt_read;
};

struct error_channel {
	/* vch.at_base counts the channel's I/O at the base, for VBDEV_IO_NOMEM. */
	struct updk_vbdev_channel vch;
	/* I/O held by a VBDEV_IO_PENDING injection. */
	TAILQ_HEAD(, error_io) pending;
};

static int bdev_error_initialize(void);
static int bdev_error_get_ctx_size(void);

static struct spdk_bdev_module error_if = {
	.name = "error",
	.module_init = bdev_error_initialize,
	.get_ctx_size = bdev_error_get_ctx_size,
};

SPDK_BDEV_MODULE_REGISTER(error, &error_if)

static int
bdev_error_initialize(void)
{
	return 0;
}

static int
bdev_error_get_ctx_size(void)
{
	return (int)sizeof(struct error_io);
}

/* Claim one injection for an I/O of \p io_type; \return its error type or 0. */
static uint32_t
error_take(struct bdev_error *er, struct error_channel *ech, uint32_t io_type, struct error_io *eio)
{
	struct error_inject *inj = &er->inject[io_type];
	uint32_t num = __atomic_load_n(&inj->num, __ATOMIC_ACQUIRE);
	uint32_t type;

	if (spdk_likely(num == 0)) {
		return 0;
	}
	type = __atomic_load_n(&inj->error_type, __ATOMIC_RELAXED);
	if (type == VBDEV_IO_NOMEM &&
	    ech->vch.at_base < __atomic_load_n(&inj->qd, __ATOMIC_RELAXED)) {
		return 0;
	}
	if (type == VBDEV_IO_PENDING && __atomic_load_n(&er->removing, __ATOMIC_ACQUIRE)) {
		return 0;
	}
	do {
		if (num == 0) {
			return 0;
		}
	} while (!__atomic_compare_exchange_n(&inj->num, &num, num - 1, false, __ATOMIC_ACQ_REL,
					      __ATOMIC_ACQUIRE));
	if (type == VBDEV_IO_CORRUPT_DATA) {
		eio->corrupt_offset = __atomic_load_n(&inj->corrupt_offset, __ATOMIC_RELAXED);
		eio->corrupt_value = __atomic_load_n(&inj->corrupt_value, __ATOMIC_RELAXED);
	}
	return type;
}

static void
error_corrupt(struct spdk_bdev_io *bdev_io, uint64_t offset, uint8_t value)
{
	struct iovec *iov = bdev_io->u.bdev.iovs;
	int i;

	for (i = 0; i < bdev_io->u.bdev.iovcnt; i++) {
		if (offset < iov[i].iov_len) {
			((uint8_t *)iov[i].iov_base)[offset] ^= value;
			return;
		}
		offset -= iov[i].iov_len;
	}
}

/* The base finished: corrupt what a read brought if asked to, complete ours
 * with the base's status, then free the base's I/O. */
static void
error_io_done(struct spdk_bdev_io *bdev_io, struct spdk_bdev_io *base_io, bool success)
{
	struct error_io *eio = (struct error_io *)bdev_io->driver_ctx;

	if (eio->corrupt_read && success) {
		error_corrupt(bdev_io, eio->corrupt_offset, eio->corrupt_value);
	}
	spdk_bdev_io_complete_base_io_status(bdev_io, base_io);
	spdk_bdev_free_io(base_io);
}

static void
error_submit_request(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io)
{
	struct bdev_error *er = bdev_io->bdev->ctxt;
	struct error_channel *ech = spdk_io_channel_get_ctx(ch);
	struct error_io *eio = (struct error_io *)bdev_io->driver_ctx;

	eio->corrupt_read = false;
	switch (error_take(er, ech, bdev_io->type, eio)) {
	case 0:
		break;
	case VBDEV_IO_FAILURE:
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	case VBDEV_IO_NOMEM:
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
		return;
	case VBDEV_IO_PENDING:
		TAILQ_INSERT_TAIL(&ech->pending, eio, link);
		return;
	case VBDEV_IO_CORRUPT_DATA:
		if (bdev_io->type == SPDK_BDEV_IO_TYPE_WRITE) {
			error_corrupt(bdev_io, eio->corrupt_offset, eio->corrupt_value);
		} else if (bdev_io->type == SPDK_BDEV_IO_TYPE_READ) {
			eio->corrupt_read = true;
		}
		break;
	default:
		assert(false);
		break;
	}
	updk__vbdev_submit(ch, bdev_io);
}

static int
error_channel_init(struct updk_vbdev *vb, struct updk_vbdev_channel *vch)
{
	struct error_channel *ech = (struct error_channel *)vch;

	TAILQ_INIT(&ech->pending);
	return 0;
}

static void
error_channel_fini(struct updk_vbdev *vb, struct updk_vbdev_channel *vch)
{
	struct error_channel *ech = (struct error_channel *)vch;

	if (!TAILQ_EMPTY(&ech->pending)) {
		/* Only a thread forced out at shutdown can get here; its I/O
		 * are lost with it, so say so. */
		SPDK_ERRLOG("error bdev %s: channel released on thread %s with pending I/O\n",
			    vb->bdev.name, spdk_thread_get_name(spdk_get_thread()));
	}
}

static int
error_destruct(void *ctx)
{
	struct bdev_error *er = ctx;

	if (er->sweeps > 0) {
		/* The last sweep finishes the teardown. */
		er->destruct_waiting = true;
		return 1;
	}
	return updk__vbdev_destruct(ctx);
}

static void
error_sweep_channel(struct spdk_io_channel_iter *i)
{
	struct error_channel *ech = spdk_io_channel_get_ctx(spdk_io_channel_iter_get_channel(i));
	struct error_io *eio;

	while ((eio = TAILQ_FIRST(&ech->pending)) != NULL) {
		TAILQ_REMOVE(&ech->pending, eio, link);
		spdk_bdev_io_complete(spdk_bdev_io_from_ctx(eio), SPDK_BDEV_IO_STATUS_FAILED);
	}
	spdk_for_each_channel_continue(i, 0);
}

static void
error_sweep_done(struct spdk_io_channel_iter *i, int status)
{
	struct bdev_error *er = spdk_io_channel_iter_get_io_device(i);

	er->sweeps--;
	if (er->sweeps == 0 && er->destruct_waiting) {
		updk__vbdev_destruct(er);
	}
}

/* Fail the pending I/O on every channel (app thread). */
static void
error_sweep_pending(struct bdev_error *er, bool removing)
{
	if (removing) {
		__atomic_store_n(&er->removing, true, __ATOMIC_RELEASE);
	}
	er->sweeps++;
	spdk_for_each_channel(er, error_sweep_channel, NULL, error_sweep_done);
}

/* The base went, a delete call, or shutdown: pending I/O must not outlive the bdev. */
static void
error_unregistering(struct updk_vbdev *vb)
{
	error_sweep_pending((struct bdev_error *)vb, true);
}

static int
error_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_error *er = ctx;

	spdk_json_write_named_object_begin(w, "error_disk");
	spdk_json_write_named_string(w, "base_bdev", er->vb.base->name);
	spdk_json_write_object_end(w);
	return 0;
}

/* Injections are run-time state and are not saved, as in SPDK. */
static void
error_write_params(const struct updk_vbdev_config *cfg, struct spdk_json_write_ctx *w)
{
	spdk_json_write_named_string(w, "base_name", cfg->base_name);
}

static const struct spdk_bdev_fn_table error_fn_table = {
	.destruct = error_destruct,
	.submit_request = error_submit_request,
	.io_type_supported = updk__vbdev_io_type_supported,
	.get_io_channel = updk__vbdev_get_io_channel,
	.dump_info_json = error_dump_info_json,
};

static const struct updk_vbdev_module g_error = {
	.bdev_module = &error_if,
	.fn_table = &error_fn_table,
	.product_name = "Error Injection Disk",
	.create_method = "bdev_error_create",
	.config_size = sizeof(struct updk_vbdev_config),
	.vbdev_size = sizeof(struct bdev_error),
	.channel_size = sizeof(struct error_channel),
	.io_done = error_io_done,
	.channel_init = error_channel_init,
	.channel_fini = error_channel_fini,
	.unregistering = error_unregistering,
	.write_params = error_write_params,
};

int
vbdev_error_create(const char *base_bdev_name, const struct spdk_uuid *uuid)
{
	struct updk_vbdev_config *cfg;
	char *name;
	int rc;

	if (base_bdev_name == NULL || *base_bdev_name == '\0') {
		SPDK_ERRLOG("vbdev_error_create: base_bdev_name is NULL or empty\n");
		return -EINVAL;
	}
	name = spdk_sprintf_alloc("EE_%s", base_bdev_name);
	if (name == NULL) {
		SPDK_ERRLOG("error bdev EE_%s: out of memory\n", base_bdev_name);
		return -ENOMEM;
	}
	rc = updk__vbdev_config_alloc(&g_error, name, base_bdev_name, uuid, &cfg);
	free(name);
	if (rc != 0) {
		return rc;
	}
	return updk__vbdev_config_add(cfg);
}

void
vbdev_error_delete(const char *error_vbdev_name, spdk_delete_error_complete cb_fn, void *cb_arg)
{
	updk__vbdev_delete(&g_error, error_vbdev_name, cb_fn, cb_arg);
}

/* The error bdev \p name, or NULL (logged) when there is none. */
static struct bdev_error *
error_find(const char *name)
{
	struct updk_vbdev_config *cfg = updk__vbdev_config_find(&g_error, name);

	if (cfg == NULL || cfg->vbdev == NULL) {
		SPDK_ERRLOG("vbdev_error_inject_error: no error bdev named %s%s\n", name,
			    cfg != NULL ? " (it waits for its base)" : "");
		return NULL;
	}
	return (struct bdev_error *)cfg->vbdev;
}

static void
error_inject_set(struct error_inject *inj, const struct vbdev_error_inject_opts *opts)
{
	__atomic_store_n(&inj->num, 0, __ATOMIC_RELEASE);
	__atomic_store_n(&inj->error_type, opts->error_type, __ATOMIC_RELAXED);
	__atomic_store_n(&inj->qd, opts->error_qd, __ATOMIC_RELAXED);
	__atomic_store_n(&inj->corrupt_offset, opts->corrupt_offset, __ATOMIC_RELAXED);
	__atomic_store_n(&inj->corrupt_value, opts->corrupt_value, __ATOMIC_RELAXED);
	__atomic_store_n(&inj->num, opts->error_num, __ATOMIC_RELEASE);
}

/* Resets are never injected: a pending or NOMEM reset would stall the bdev. */
static bool
error_injectable(uint32_t io_type)
{
	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_FLUSH:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		return true;
	default:
		return false;
	}
}

int
vbdev_error_inject_error(const char *name, const struct vbdev_error_inject_opts *opts)
{
	struct bdev_error *er;
	uint32_t t;

	if (name == NULL || opts == NULL) {
		SPDK_ERRLOG("vbdev_error_inject_error: %s is NULL\n",
			    name == NULL ? "name" : "opts");
		return -EINVAL;
	}
	er = error_find(name);
	if (er == NULL) {
		return -ENODEV;
	}
	if (opts->io_type == VBDEV_ERROR_IO_TYPE_CLEAR) {
		for (t = 0; t < SPDK_BDEV_NUM_IO_TYPES; t++) {
			__atomic_store_n(&er->inject[t].num, 0, __ATOMIC_RELEASE);
		}
		error_sweep_pending(er, false);
		return 0;
	}
	if ((opts->io_type != VBDEV_ERROR_IO_TYPE_ALL && !error_injectable(opts->io_type)) ||
	    opts->error_type < VBDEV_IO_FAILURE || opts->error_type > VBDEV_IO_NOMEM) {
		SPDK_ERRLOG("error bdev %s: invalid io_type %" PRIu32 " or error_type %" PRIu32
			    "\n",
			    name, opts->io_type, opts->error_type);
		return -EINVAL;
	}
	if (opts->error_type == VBDEV_IO_CORRUPT_DATA && opts->corrupt_value == 0) {
		SPDK_ERRLOG("error bdev %s: corrupt_data needs a non-zero corrupt_value\n", name);
		return -EINVAL;
	}
	if (opts->io_type == VBDEV_ERROR_IO_TYPE_ALL) {
		for (t = 1; t < SPDK_BDEV_NUM_IO_TYPES; t++) {
			if (error_injectable(t)) {
				error_inject_set(&er->inject[t], opts);
			}
		}
	} else {
		error_inject_set(&er->inject[opts->io_type], opts);
	}
	return 0;
}
