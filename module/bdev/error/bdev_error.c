/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The error bdev module: fault injection. An error bdev is a passthru bdev
 * (module/bdev/passthru is the template) with an injection table indexed by
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
	struct spdk_bdev bdev;
	struct spdk_bdev_desc *base_desc;
	struct spdk_bdev *base;
	struct error_inject inject[SPDK_BDEV_NUM_IO_TYPES];
	/* Set (atomically) once pending I/O must no longer be held. */
	bool removing;
	/* Sweeps of the pending lists in progress (app thread only). */
	uint32_t sweeps;
	/* destruct() ran while a sweep was in progress (app thread only). */
	bool destruct_waiting;
	TAILQ_ENTRY(bdev_error) link;
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
	struct spdk_io_channel *base_ch;
	/* I/O held by a VBDEV_IO_PENDING injection. */
	TAILQ_HEAD(, error_io) pending;
	/* I/O of this channel at the base. */
	uint64_t inflight;
};

static TAILQ_HEAD(, bdev_error) g_error_bdevs = TAILQ_HEAD_INITIALIZER(g_error_bdevs);

static int bdev_error_initialize(void);
static int bdev_error_get_ctx_size(void);
static void bdev_error_fini_start(void);

static struct spdk_bdev_module error_if = {
	.name = "error",
	.module_init = bdev_error_initialize,
	.fini_start = bdev_error_fini_start,
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
	if (type == VBDEV_IO_NOMEM && ech->inflight < __atomic_load_n(&inj->qd, __ATOMIC_RELAXED)) {
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

static void
error_io_done(struct spdk_bdev_io *base_io, bool success, void *cb_arg)
{
	struct spdk_bdev_io *bdev_io = cb_arg;
	struct error_io *eio = (struct error_io *)bdev_io->driver_ctx;
	struct error_channel *ech = spdk_io_channel_get_ctx(spdk_bdev_io_get_io_channel(bdev_io));

	ech->inflight--;
	if (eio->corrupt_read && success) {
		error_corrupt(bdev_io, eio->corrupt_offset, eio->corrupt_value);
	}
	spdk_bdev_io_complete_base_io_status(bdev_io, base_io);
	spdk_bdev_free_io(base_io);
}

static void
error_forward(struct bdev_error *er, struct error_channel *ech, struct spdk_bdev_io *bdev_io)
{
	uint64_t off = bdev_io->u.bdev.offset_blocks, num = bdev_io->u.bdev.num_blocks;
	int rc;

	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		rc = spdk_bdev_readv_blocks(er->base_desc, ech->base_ch, bdev_io->u.bdev.iovs,
					    bdev_io->u.bdev.iovcnt, off, num, error_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
		rc = spdk_bdev_writev_blocks(er->base_desc, ech->base_ch, bdev_io->u.bdev.iovs,
					     bdev_io->u.bdev.iovcnt, off, num, error_io_done,
					     bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		rc = spdk_bdev_write_zeroes_blocks(er->base_desc, ech->base_ch, off, num,
						   error_io_done, bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_UNMAP:
		rc = spdk_bdev_unmap_blocks(er->base_desc, ech->base_ch, off, num, error_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		rc = spdk_bdev_flush_blocks(er->base_desc, ech->base_ch, off, num, error_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_RESET:
		rc = spdk_bdev_reset(er->base_desc, ech->base_ch, error_io_done, bdev_io);
		break;
	default:
		rc = -ENOTSUP;
		break;
	}
	if (rc == 0) {
		ech->inflight++;
		return;
	}
	spdk_bdev_io_complete(bdev_io, rc == -ENOMEM ? SPDK_BDEV_IO_STATUS_NOMEM
						     : SPDK_BDEV_IO_STATUS_FAILED);
}

static void
error_read_get_buf_cb(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io, bool success)
{
	if (!success) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	error_forward(bdev_io->bdev->ctxt, spdk_io_channel_get_ctx(ch), bdev_io);
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
	if (bdev_io->type == SPDK_BDEV_IO_TYPE_READ && bdev_io->u.bdev.iovs[0].iov_base == NULL) {
		spdk_bdev_io_get_buf(bdev_io, error_read_get_buf_cb,
				     bdev_io->u.bdev.num_blocks * er->bdev.blocklen);
		return;
	}
	error_forward(er, ech, bdev_io);
}

static bool
error_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type)
{
	struct bdev_error *er = ctx;

	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_FLUSH:
	case SPDK_BDEV_IO_TYPE_RESET:
		return spdk_bdev_io_type_supported(er->base, io_type);
	default:
		return false;
	}
}

static struct spdk_io_channel *
error_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(ctx);
}

static int
error_channel_create(void *io_device, void *ctx_buf)
{
	struct bdev_error *er = io_device;
	struct error_channel *ech = ctx_buf;

	TAILQ_INIT(&ech->pending);
	ech->base_ch = spdk_bdev_get_io_channel(er->base_desc);
	if (ech->base_ch == NULL) {
		SPDK_ERRLOG("error bdev %s: no channel to base bdev %s on thread %s\n",
			    er->bdev.name, er->base->name, spdk_thread_get_name(spdk_get_thread()));
		return -ENOMEM;
	}
	return 0;
}

static void
error_channel_destroy(void *io_device, void *ctx_buf)
{
	struct bdev_error *er = io_device;
	struct error_channel *ech = ctx_buf;

	if (!TAILQ_EMPTY(&ech->pending)) {
		/* Only a thread forced out at shutdown can get here; its I/O
		 * are lost with it, so say so. */
		SPDK_ERRLOG("error bdev %s: channel released on thread %s with pending I/O\n",
			    er->bdev.name, spdk_thread_get_name(spdk_get_thread()));
	}
	spdk_put_io_channel(ech->base_ch);
}

static void
error_free(struct bdev_error *er)
{
	free(er->bdev.name);
	free(er);
}

static void
error_io_device_free(void *io_device)
{
	error_free(io_device);
}

static void
error_io_device_gone(void *io_device)
{
	struct bdev_error *er = io_device;

	spdk_bdev_destruct_done(&er->bdev, 0);
	error_free(er);
}

static void
error_teardown(struct bdev_error *er)
{
	spdk_bdev_module_release_bdev(er->base);
	spdk_bdev_close(er->base_desc);
	spdk_io_device_unregister(er, error_io_device_gone);
}

static int
error_destruct(void *ctx)
{
	struct bdev_error *er = ctx;

	TAILQ_REMOVE(&g_error_bdevs, er, link);
	if (er->sweeps > 0) {
		/* The last sweep finishes the teardown. */
		er->destruct_waiting = true;
		return 1;
	}
	error_teardown(er);
	return 1;
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
		error_teardown(er);
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

static void
bdev_error_fini_start(void)
{
	struct bdev_error *er;

	TAILQ_FOREACH (er, &g_error_bdevs, link) {
		error_sweep_pending(er, true);
	}
}

static int
error_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_error *er = ctx;

	spdk_json_write_named_object_begin(w, "error_disk");
	spdk_json_write_named_string(w, "base_bdev", er->base->name);
	spdk_json_write_object_end(w);
	return 0;
}

static void
error_write_config_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	struct bdev_error *er = bdev->ctxt;
	char uuid[SPDK_UUID_STRING_LEN];

	/* Injections are run-time state and are not saved, as in SPDK. */
	spdk_uuid_fmt_lower(uuid, sizeof(uuid), &bdev->uuid);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", "bdev_error_create");
	spdk_json_write_named_object_begin(w, "params");
	spdk_json_write_named_string(w, "base_name", er->base->name);
	spdk_json_write_named_string(w, "uuid", uuid);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
}

static const struct spdk_bdev_fn_table error_fn_table = {
	.destruct = error_destruct,
	.submit_request = error_submit_request,
	.io_type_supported = error_io_type_supported,
	.get_io_channel = error_get_io_channel,
	.dump_info_json = error_dump_info_json,
	.write_config_json = error_write_config_json,
};

static void
error_base_event(enum spdk_bdev_event_type type, struct spdk_bdev *base, void *ctx)
{
	struct bdev_error *er = ctx;
	int rc;

	switch (type) {
	case SPDK_BDEV_EVENT_REMOVE:
		error_sweep_pending(er, true);
		spdk_bdev_unregister(&er->bdev, NULL, NULL);
		break;
	case SPDK_BDEV_EVENT_RESIZE:
		rc = spdk_bdev_notify_blockcnt_change(&er->bdev, spdk_bdev_get_num_blocks(base));
		if (rc != 0) {
			SPDK_ERRLOG("error bdev %s: cannot follow the resize of base %s: %s\n",
				    er->bdev.name, base->name, spdk_strerror(-rc));
		}
		break;
	default:
		break;
	}
}

int
vbdev_error_create(const char *base_bdev_name, const struct spdk_uuid *uuid)
{
	struct bdev_error *er;
	struct spdk_bdev *base;
	int rc;

	if (base_bdev_name == NULL || *base_bdev_name == '\0') {
		SPDK_ERRLOG("vbdev_error_create: base_bdev_name is NULL or empty\n");
		return -EINVAL;
	}
	er = calloc(1, sizeof(*er));
	if (er == NULL || (er->bdev.name = spdk_sprintf_alloc("EE_%s", base_bdev_name)) == NULL) {
		SPDK_ERRLOG("error bdev EE_%s: out of memory\n", base_bdev_name);
		free(er);
		return -ENOMEM;
	}
	rc = spdk_bdev_open_ext(base_bdev_name, true, error_base_event, er, &er->base_desc);
	if (rc != 0) {
		SPDK_ERRLOG("error bdev %s: cannot open base bdev %s: %s\n", er->bdev.name,
			    base_bdev_name, spdk_strerror(-rc));
		goto err_free;
	}
	base = spdk_bdev_desc_get_bdev(er->base_desc);
	er->base = base;
	rc = spdk_bdev_module_claim_bdev(base, er->base_desc, &error_if);
	if (rc != 0) {
		goto err_close;
	}

	er->bdev.product_name = "Error Injection Disk";
	er->bdev.write_cache = base->write_cache;
	er->bdev.blocklen = base->blocklen;
	er->bdev.phys_blocklen = base->phys_blocklen;
	er->bdev.blockcnt = base->blockcnt;
	er->bdev.required_alignment = base->required_alignment;
	er->bdev.optimal_io_boundary = base->optimal_io_boundary;
	er->bdev.split_on_optimal_io_boundary = base->split_on_optimal_io_boundary;
	er->bdev.write_unit_size = base->write_unit_size;
	er->bdev.max_rw_size = base->max_rw_size;
	if (uuid != NULL) {
		spdk_uuid_copy(&er->bdev.uuid, uuid);
	}
	er->bdev.ctxt = er;
	er->bdev.fn_table = &error_fn_table;
	er->bdev.module = &error_if;

	spdk_io_device_register(er, error_channel_create, error_channel_destroy,
				sizeof(struct error_channel), er->bdev.name);
	rc = spdk_bdev_register(&er->bdev);
	if (rc != 0) {
		spdk_bdev_module_release_bdev(base);
		spdk_bdev_close(er->base_desc);
		spdk_io_device_unregister(er, error_io_device_free);
		return rc;
	}
	TAILQ_INSERT_TAIL(&g_error_bdevs, er, link);
	return 0;

err_close:
	spdk_bdev_close(er->base_desc);
err_free:
	error_free(er);
	return rc;
}

static struct bdev_error *
error_find(const char *name)
{
	struct bdev_error *er;

	TAILQ_FOREACH (er, &g_error_bdevs, link) {
		if (strcmp(er->bdev.name, name) == 0) {
			return er;
		}
	}
	return NULL;
}

void
vbdev_error_delete(const char *error_vbdev_name, spdk_delete_error_complete cb_fn, void *cb_arg)
{
	struct bdev_error *er = error_vbdev_name != NULL ? error_find(error_vbdev_name) : NULL;

	if (er == NULL) {
		SPDK_ERRLOG("vbdev_error_delete: no error bdev named %s\n",
			    error_vbdev_name != NULL ? error_vbdev_name : "(null)");
		if (cb_fn != NULL) {
			cb_fn(cb_arg, -ENODEV);
		}
		return;
	}
	error_sweep_pending(er, true);
	spdk_bdev_unregister(&er->bdev, cb_fn, cb_arg);
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
		SPDK_ERRLOG("vbdev_error_inject_error: no error bdev named %s\n", name);
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
