/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The delay bdev module: a virtual bdev that adds latency. It is built like
 * the passthru bdev (module/bdev/passthru, the template) and adds one thing:
 * when the base completes an I/O, the I/O is not completed at once but put on
 * one of four per-channel FIFO queues (average or p99, read or write) with
 * the tick at which it is due; a poller on each channel completes the due
 * ones. Every queue holds I/O with the same latency in submission order, so
 * each one is sorted by due time and the poller only looks at its heads.
 *
 * The latencies can change at run time (bdev_delay_update_latency) while
 * other threads read them, so they are read and written with relaxed atomics:
 * an I/O picks up either the old or the new value, both are fine.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_delay.h"

SPDK_LOG_REGISTER_COMPONENT(bdev_delay)

/* One hour: more is a typo, and ticks must not overflow. */
#define DELAY_MAX_LATENCY_US (3600ULL * 1000 * 1000)
#define DELAY_QUEUES 4

struct bdev_delay {
	struct spdk_bdev bdev;
	struct spdk_bdev_desc *base_desc;
	struct spdk_bdev *base;
	/* Latencies by enum delay_io_type, in microseconds and in ticks (atomic). */
	uint64_t latency_us[DELAY_QUEUES];
	uint64_t latency_ticks[DELAY_QUEUES];
	TAILQ_ENTRY(bdev_delay) link;
};

/* Per-I/O context (driver_ctx). */
struct delay_io {
	/* Tick at which the I/O completes. */
	uint64_t due;
	/* The base's result. */
	bool success;
	STAILQ_ENTRY(delay_io) link;
};

struct delay_channel {
	struct spdk_io_channel *base_ch;
	/* I/O completed by the base and waiting, by enum delay_io_type. */
	STAILQ_HEAD(, delay_io) queue[DELAY_QUEUES];
	/* I/O waiting in the queues. */
	uint64_t waiting;
	/* xorshift state that picks the 1 % p99 I/O. */
	uint64_t rand;
	struct spdk_poller *poller;
};

static TAILQ_HEAD(, bdev_delay) g_delay_bdevs = TAILQ_HEAD_INITIALIZER(g_delay_bdevs);

static int bdev_delay_initialize(void);
static int bdev_delay_get_ctx_size(void);

static struct spdk_bdev_module delay_if = {
	.name = "delay",
	.module_init = bdev_delay_initialize,
	.get_ctx_size = bdev_delay_get_ctx_size,
};

SPDK_BDEV_MODULE_REGISTER(delay, &delay_if)

static int
bdev_delay_initialize(void)
{
	return 0;
}

static int
bdev_delay_get_ctx_size(void)
{
	return (int)sizeof(struct delay_io);
}

static uint64_t
delay_us_to_ticks(uint64_t us)
{
	return us * spdk_get_ticks_hz() / (1000ULL * 1000);
}

static void
delay_set_latency(struct bdev_delay *dl, enum delay_io_type type, uint64_t us)
{
	__atomic_store_n(&dl->latency_us[type], us, __ATOMIC_RELAXED);
	__atomic_store_n(&dl->latency_ticks[type], delay_us_to_ticks(us), __ATOMIC_RELAXED);
}

static bool
delay_one_in_hundred(struct delay_channel *dch)
{
	uint64_t x = dch->rand;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	dch->rand = x;
	return x % 100 == 0;
}

static void
delay_io_done(struct spdk_bdev_io *base_io, bool success, void *cb_arg)
{
	struct spdk_bdev_io *bdev_io = cb_arg;
	struct bdev_delay *dl = bdev_io->bdev->ctxt;
	struct delay_channel *dch = spdk_io_channel_get_ctx(spdk_bdev_io_get_io_channel(bdev_io));
	struct delay_io *dio = (struct delay_io *)bdev_io->driver_ctx;
	enum delay_io_type q;

	spdk_bdev_free_io(base_io);
	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		q = delay_one_in_hundred(dch) ? DELAY_P99_READ : DELAY_AVG_READ;
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_FLUSH:
		q = delay_one_in_hundred(dch) ? DELAY_P99_WRITE : DELAY_AVG_WRITE;
		break;
	default:
		spdk_bdev_io_complete(bdev_io, success ? SPDK_BDEV_IO_STATUS_SUCCESS
						       : SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	dio->success = success;
	dio->due = spdk_get_ticks() + __atomic_load_n(&dl->latency_ticks[q], __ATOMIC_RELAXED);
	STAILQ_INSERT_TAIL(&dch->queue[q], dio, link);
	dch->waiting++;
}

static int
delay_poller(void *arg)
{
	struct delay_channel *dch = arg;
	struct delay_io *dio;
	uint64_t now;
	int i, done = 0;

	if (dch->waiting == 0) {
		return SPDK_POLLER_IDLE;
	}
	now = spdk_get_ticks();
	for (i = 0; i < DELAY_QUEUES; i++) {
		/* Completions may submit more I/O; those are due later. */
		while ((dio = STAILQ_FIRST(&dch->queue[i])) != NULL && dio->due <= now) {
			STAILQ_REMOVE_HEAD(&dch->queue[i], link);
			dch->waiting--;
			done++;
			spdk_bdev_io_complete(spdk_bdev_io_from_ctx(dio),
					      dio->success ? SPDK_BDEV_IO_STATUS_SUCCESS
							   : SPDK_BDEV_IO_STATUS_FAILED);
		}
	}
	/* Waiting I/O keeps the reactor awake: it has a deadline. */
	return done > 0 || dch->waiting > 0 ? SPDK_POLLER_BUSY : SPDK_POLLER_IDLE;
}

static void
delay_submit_failed(struct spdk_bdev_io *bdev_io, int rc)
{
	spdk_bdev_io_complete(bdev_io, rc == -ENOMEM ? SPDK_BDEV_IO_STATUS_NOMEM
						     : SPDK_BDEV_IO_STATUS_FAILED);
}

static void
delay_read_get_buf_cb(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io, bool success)
{
	struct bdev_delay *dl = bdev_io->bdev->ctxt;
	struct delay_channel *dch = spdk_io_channel_get_ctx(ch);
	int rc;

	if (!success) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	rc = spdk_bdev_readv_blocks(dl->base_desc, dch->base_ch, bdev_io->u.bdev.iovs,
				    bdev_io->u.bdev.iovcnt, bdev_io->u.bdev.offset_blocks,
				    bdev_io->u.bdev.num_blocks, delay_io_done, bdev_io);
	if (rc != 0) {
		delay_submit_failed(bdev_io, rc);
	}
}

static void
delay_submit_request(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io)
{
	struct bdev_delay *dl = bdev_io->bdev->ctxt;
	struct delay_channel *dch = spdk_io_channel_get_ctx(ch);
	uint64_t off = bdev_io->u.bdev.offset_blocks, num = bdev_io->u.bdev.num_blocks;
	int rc;

	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		if (bdev_io->u.bdev.iovs[0].iov_base == NULL) {
			spdk_bdev_io_get_buf(bdev_io, delay_read_get_buf_cb,
					     num * dl->bdev.blocklen);
			return;
		}
		rc = spdk_bdev_readv_blocks(dl->base_desc, dch->base_ch, bdev_io->u.bdev.iovs,
					    bdev_io->u.bdev.iovcnt, off, num, delay_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
		rc = spdk_bdev_writev_blocks(dl->base_desc, dch->base_ch, bdev_io->u.bdev.iovs,
					     bdev_io->u.bdev.iovcnt, off, num, delay_io_done,
					     bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		rc = spdk_bdev_write_zeroes_blocks(dl->base_desc, dch->base_ch, off, num,
						   delay_io_done, bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_UNMAP:
		rc = spdk_bdev_unmap_blocks(dl->base_desc, dch->base_ch, off, num, delay_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		rc = spdk_bdev_flush_blocks(dl->base_desc, dch->base_ch, off, num, delay_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_RESET:
		rc = spdk_bdev_reset(dl->base_desc, dch->base_ch, delay_io_done, bdev_io);
		break;
	default:
		rc = -ENOTSUP;
		break;
	}
	if (rc != 0) {
		delay_submit_failed(bdev_io, rc);
	}
}

static bool
delay_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type)
{
	struct bdev_delay *dl = ctx;

	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_FLUSH:
	case SPDK_BDEV_IO_TYPE_RESET:
		return spdk_bdev_io_type_supported(dl->base, io_type);
	default:
		return false;
	}
}

static struct spdk_io_channel *
delay_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(ctx);
}

static int
delay_channel_create(void *io_device, void *ctx_buf)
{
	struct bdev_delay *dl = io_device;
	struct delay_channel *dch = ctx_buf;
	int i;

	for (i = 0; i < DELAY_QUEUES; i++) {
		STAILQ_INIT(&dch->queue[i]);
	}
	dch->rand = (uintptr_t)dch | 1;
	dch->base_ch = spdk_bdev_get_io_channel(dl->base_desc);
	if (dch->base_ch == NULL) {
		SPDK_ERRLOG("delay bdev %s: no channel to base bdev %s on thread %s\n",
			    dl->bdev.name, dl->base->name, spdk_thread_get_name(spdk_get_thread()));
		return -ENOMEM;
	}
	dch->poller = SPDK_POLLER_REGISTER(delay_poller, dch, 0);
	if (dch->poller == NULL) {
		SPDK_ERRLOG("delay bdev %s: cannot register the poller on thread %s\n",
			    dl->bdev.name, spdk_thread_get_name(spdk_get_thread()));
		spdk_put_io_channel(dch->base_ch);
		return -ENOMEM;
	}
	return 0;
}

static void
delay_channel_destroy(void *io_device, void *ctx_buf)
{
	struct bdev_delay *dl = io_device;
	struct delay_channel *dch = ctx_buf;

	if (dch->waiting != 0) {
		/* The bdev layer releases our channel only when its own has no
		 * I/O left, so this cannot happen. */
		SPDK_ERRLOG("delay bdev %s: channel released on thread %s with %" PRIu64
			    " I/O still waiting\n",
			    dl->bdev.name, spdk_thread_get_name(spdk_get_thread()), dch->waiting);
	}
	spdk_poller_unregister(&dch->poller);
	spdk_put_io_channel(dch->base_ch);
}

static void
delay_free(struct bdev_delay *dl)
{
	free(dl->bdev.name);
	free(dl);
}

static void
delay_io_device_free(void *io_device)
{
	delay_free(io_device);
}

static void
delay_io_device_gone(void *io_device)
{
	struct bdev_delay *dl = io_device;

	spdk_bdev_destruct_done(&dl->bdev, 0);
	delay_free(dl);
}

static int
delay_destruct(void *ctx)
{
	struct bdev_delay *dl = ctx;

	TAILQ_REMOVE(&g_delay_bdevs, dl, link);
	spdk_bdev_module_release_bdev(dl->base);
	spdk_bdev_close(dl->base_desc);
	spdk_io_device_unregister(dl, delay_io_device_gone);
	return 1;
}

static int
delay_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_delay *dl = ctx;

	spdk_json_write_named_object_begin(w, "delay");
	spdk_json_write_named_string(w, "name", dl->bdev.name);
	spdk_json_write_named_string(w, "base_bdev_name", dl->base->name);
	spdk_json_write_named_uint64(
		w, "avg_read_latency",
		__atomic_load_n(&dl->latency_us[DELAY_AVG_READ], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(
		w, "p99_read_latency",
		__atomic_load_n(&dl->latency_us[DELAY_P99_READ], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(
		w, "avg_write_latency",
		__atomic_load_n(&dl->latency_us[DELAY_AVG_WRITE], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(
		w, "p99_write_latency",
		__atomic_load_n(&dl->latency_us[DELAY_P99_WRITE], __ATOMIC_RELAXED));
	spdk_json_write_object_end(w);
	return 0;
}

static void
delay_write_config_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	struct bdev_delay *dl = bdev->ctxt;
	char uuid[SPDK_UUID_STRING_LEN];

	spdk_uuid_fmt_lower(uuid, sizeof(uuid), &bdev->uuid);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", "bdev_delay_create");
	spdk_json_write_named_object_begin(w, "params");
	spdk_json_write_named_string(w, "base_bdev_name", dl->base->name);
	spdk_json_write_named_string(w, "name", bdev->name);
	spdk_json_write_named_string(w, "uuid", uuid);
	spdk_json_write_named_uint64(
		w, "avg_read_latency",
		__atomic_load_n(&dl->latency_us[DELAY_AVG_READ], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(
		w, "p99_read_latency",
		__atomic_load_n(&dl->latency_us[DELAY_P99_READ], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(
		w, "avg_write_latency",
		__atomic_load_n(&dl->latency_us[DELAY_AVG_WRITE], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(
		w, "p99_write_latency",
		__atomic_load_n(&dl->latency_us[DELAY_P99_WRITE], __ATOMIC_RELAXED));
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
}

static const struct spdk_bdev_fn_table delay_fn_table = {
	.destruct = delay_destruct,
	.submit_request = delay_submit_request,
	.io_type_supported = delay_io_type_supported,
	.get_io_channel = delay_get_io_channel,
	.dump_info_json = delay_dump_info_json,
	.write_config_json = delay_write_config_json,
};

static void
delay_base_event(enum spdk_bdev_event_type type, struct spdk_bdev *base, void *ctx)
{
	struct bdev_delay *dl = ctx;
	int rc;

	switch (type) {
	case SPDK_BDEV_EVENT_REMOVE:
		spdk_bdev_unregister(&dl->bdev, NULL, NULL);
		break;
	case SPDK_BDEV_EVENT_RESIZE:
		rc = spdk_bdev_notify_blockcnt_change(&dl->bdev, spdk_bdev_get_num_blocks(base));
		if (rc != 0) {
			SPDK_ERRLOG("delay bdev %s: cannot follow the resize of base %s: %s\n",
				    dl->bdev.name, base->name, spdk_strerror(-rc));
		}
		break;
	default:
		break;
	}
}

int
create_delay_disk(const char *bdev_name, const char *vbdev_name, const struct spdk_uuid *uuid,
		  uint64_t avg_read_latency, uint64_t p99_read_latency, uint64_t avg_write_latency,
		  uint64_t p99_write_latency)
{
	struct bdev_delay *dl;
	struct spdk_bdev *base;
	int rc;

	if (bdev_name == NULL || vbdev_name == NULL || *bdev_name == '\0' || *vbdev_name == '\0') {
		SPDK_ERRLOG("create_delay_disk: %s is NULL or empty\n",
			    bdev_name == NULL || *bdev_name == '\0' ? "bdev_name" : "vbdev_name");
		return -EINVAL;
	}
	if (avg_read_latency > DELAY_MAX_LATENCY_US || p99_read_latency > DELAY_MAX_LATENCY_US ||
	    avg_write_latency > DELAY_MAX_LATENCY_US || p99_write_latency > DELAY_MAX_LATENCY_US) {
		SPDK_ERRLOG("delay bdev %s: a latency is above the maximum of %llu us\n",
			    vbdev_name, DELAY_MAX_LATENCY_US);
		return -EINVAL;
	}
	dl = calloc(1, sizeof(*dl));
	if (dl == NULL || (dl->bdev.name = strdup(vbdev_name)) == NULL) {
		SPDK_ERRLOG("delay bdev %s: out of memory\n", vbdev_name);
		free(dl);
		return -ENOMEM;
	}
	delay_set_latency(dl, DELAY_AVG_READ, avg_read_latency);
	delay_set_latency(dl, DELAY_P99_READ, p99_read_latency);
	delay_set_latency(dl, DELAY_AVG_WRITE, avg_write_latency);
	delay_set_latency(dl, DELAY_P99_WRITE, p99_write_latency);

	rc = spdk_bdev_open_ext(bdev_name, true, delay_base_event, dl, &dl->base_desc);
	if (rc != 0) {
		SPDK_ERRLOG("delay bdev %s: cannot open base bdev %s: %s\n", vbdev_name, bdev_name,
			    spdk_strerror(-rc));
		goto err_free;
	}
	base = spdk_bdev_desc_get_bdev(dl->base_desc);
	dl->base = base;
	rc = spdk_bdev_module_claim_bdev(base, dl->base_desc, &delay_if);
	if (rc != 0) {
		goto err_close;
	}

	dl->bdev.product_name = "delay";
	dl->bdev.write_cache = base->write_cache;
	dl->bdev.blocklen = base->blocklen;
	dl->bdev.phys_blocklen = base->phys_blocklen;
	dl->bdev.blockcnt = base->blockcnt;
	dl->bdev.required_alignment = base->required_alignment;
	dl->bdev.optimal_io_boundary = base->optimal_io_boundary;
	dl->bdev.split_on_optimal_io_boundary = base->split_on_optimal_io_boundary;
	dl->bdev.write_unit_size = base->write_unit_size;
	dl->bdev.max_rw_size = base->max_rw_size;
	if (uuid != NULL) {
		spdk_uuid_copy(&dl->bdev.uuid, uuid);
	}
	dl->bdev.ctxt = dl;
	dl->bdev.fn_table = &delay_fn_table;
	dl->bdev.module = &delay_if;

	spdk_io_device_register(dl, delay_channel_create, delay_channel_destroy,
				sizeof(struct delay_channel), dl->bdev.name);
	rc = spdk_bdev_register(&dl->bdev);
	if (rc != 0) {
		spdk_bdev_module_release_bdev(base);
		spdk_bdev_close(dl->base_desc);
		spdk_io_device_unregister(dl, delay_io_device_free);
		return rc;
	}
	TAILQ_INSERT_TAIL(&g_delay_bdevs, dl, link);
	return 0;

err_close:
	spdk_bdev_close(dl->base_desc);
err_free:
	delay_free(dl);
	return rc;
}

void
delete_delay_disk(const char *vbdev_name, spdk_delete_delay_complete cb_fn, void *cb_arg)
{
	int rc;

	rc = spdk_bdev_unregister_by_name(vbdev_name, &delay_if, cb_fn, cb_arg);
	if (rc != 0 && cb_fn != NULL) {
		cb_fn(cb_arg, rc);
	}
}

int
vbdev_delay_update_latency_value(const char *delay_name, uint64_t latency_us,
				 enum delay_io_type type)
{
	struct spdk_bdev *bdev;
	struct bdev_delay *dl;

	if (delay_name == NULL) {
		SPDK_ERRLOG("vbdev_delay_update_latency_value: delay_name is NULL\n");
		return -EINVAL;
	}
	bdev = spdk_bdev_get_by_name(delay_name);
	if (bdev == NULL) {
		SPDK_ERRLOG("delay bdev %s: no such bdev\n", delay_name);
		return -ENODEV;
	}
	if (bdev->module != &delay_if) {
		SPDK_ERRLOG("bdev %s is not a delay bdev (module %s)\n", delay_name,
			    bdev->module->name);
		return -EINVAL;
	}
	if ((int)type < 0 || type >= DELAY_NONE || latency_us > DELAY_MAX_LATENCY_US) {
		SPDK_ERRLOG("delay bdev %s: invalid latency type %d or latency %" PRIu64 " us\n",
			    delay_name, (int)type, latency_us);
		return -EINVAL;
	}
	dl = bdev->ctxt;
	delay_set_latency(dl, type, latency_us);
	return 0;
}
