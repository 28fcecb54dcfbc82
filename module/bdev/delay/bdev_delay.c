/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The delay bdev module: a virtual bdev that adds latency. It is built like
 * the passthru bdev (module/bdev/passthru, the template), on the helper the
 * virtual bdevs share (include/updk_internal/vbdev.h), and adds one thing:
 * when the base completes an I/O, the I/O is not completed at once but put on
 * one of four per-channel FIFO queues (average or p99, read or write) with
 * the tick at which it is due; a poller on each channel completes the due
 * ones. Every queue holds I/O with the same latency in submission order, so
 * each one is sorted by due time and the poller only looks at its heads.
 *
 * The latencies can change at run time (bdev_delay_update_latency) while
 * other threads read them, so they are read and written with relaxed atomics:
 * an I/O picks up either the old or the new value, both are fine. The
 * configuration keeps them too (app thread only), so that a bdev that comes
 * back with its base, and save_config, use the latest values.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/thread.h"
#include "spdk/uuid.h"
#include "updk/bdev_delay.h"
#include "updk_internal/vbdev.h"

SPDK_LOG_REGISTER_COMPONENT(bdev_delay)

/* One hour: more is a typo, and ticks must not overflow. */
#define DELAY_MAX_LATENCY_US (3600ULL * 1000 * 1000)
#define DELAY_QUEUES 4

struct delay_config {
	struct updk_vbdev_config cfg;
	/* Latencies by enum delay_io_type, in microseconds. */
	uint64_t latency_us[DELAY_QUEUES];
};

struct bdev_delay {
	struct updk_vbdev vb;
	/* Latencies by enum delay_io_type, in microseconds and in ticks (atomic). */
	uint64_t latency_us[DELAY_QUEUES];
	uint64_t latency_ticks[DELAY_QUEUES];
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
	struct updk_vbdev_channel vch;
	/* I/O completed by the base and waiting, by enum delay_io_type. */
	STAILQ_HEAD(, delay_io) queue[DELAY_QUEUES];
	/* I/O waiting in the queues. */
	uint64_t waiting;
	/* xorshift state that picks the 1 % p99 I/O. */
	uint64_t rand;
	struct spdk_poller *poller;
};

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

/* The base finished: queue ours until its latency has passed. */
static void
delay_io_done(struct spdk_bdev_io *bdev_io, struct spdk_bdev_io *base_io, bool success)
{
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

static int
delay_channel_init(struct updk_vbdev *vb, struct updk_vbdev_channel *vch)
{
	struct delay_channel *dch = (struct delay_channel *)vch;
	int i;

	for (i = 0; i < DELAY_QUEUES; i++) {
		STAILQ_INIT(&dch->queue[i]);
	}
	dch->rand = (uintptr_t)dch | 1;
	dch->poller = SPDK_POLLER_REGISTER(delay_poller, dch, 0);
	if (dch->poller == NULL) {
		SPDK_ERRLOG("delay bdev %s: cannot register the poller on thread %s\n",
			    vb->bdev.name, spdk_thread_get_name(spdk_get_thread()));
		return -ENOMEM;
	}
	return 0;
}

static void
delay_channel_fini(struct updk_vbdev *vb, struct updk_vbdev_channel *vch)
{
	struct delay_channel *dch = (struct delay_channel *)vch;

	if (dch->waiting != 0) {
		/* The bdev layer releases our channel only when its own has no
		 * I/O left, so this cannot happen. */
		SPDK_ERRLOG("delay bdev %s: channel released on thread %s with %" PRIu64
			    " I/O still waiting\n",
			    vb->bdev.name, spdk_thread_get_name(spdk_get_thread()), dch->waiting);
	}
	spdk_poller_unregister(&dch->poller);
}

static void
delay_write_latencies(struct spdk_json_write_ctx *w, const uint64_t *us)
{
	spdk_json_write_named_uint64(w, "avg_read_latency",
				     __atomic_load_n(&us[DELAY_AVG_READ], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(w, "p99_read_latency",
				     __atomic_load_n(&us[DELAY_P99_READ], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(w, "avg_write_latency",
				     __atomic_load_n(&us[DELAY_AVG_WRITE], __ATOMIC_RELAXED));
	spdk_json_write_named_uint64(w, "p99_write_latency",
				     __atomic_load_n(&us[DELAY_P99_WRITE], __ATOMIC_RELAXED));
}

static int
delay_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_delay *dl = ctx;

	spdk_json_write_named_object_begin(w, "delay");
	spdk_json_write_named_string(w, "name", dl->vb.bdev.name);
	spdk_json_write_named_string(w, "base_bdev_name", dl->vb.base->name);
	delay_write_latencies(w, dl->latency_us);
	spdk_json_write_object_end(w);
	return 0;
}

static void
delay_write_params(const struct updk_vbdev_config *cfg, struct spdk_json_write_ctx *w)
{
	const struct delay_config *dcfg = (const struct delay_config *)cfg;

	spdk_json_write_named_string(w, "base_bdev_name", cfg->base_name);
	spdk_json_write_named_string(w, "name", cfg->name);
	delay_write_latencies(w, dcfg->latency_us);
}

static void
delay_vbdev_init(struct updk_vbdev *vb)
{
	struct bdev_delay *dl = (struct bdev_delay *)vb;
	struct delay_config *dcfg = (struct delay_config *)vb->config;
	int type;

	for (type = 0; type < DELAY_QUEUES; type++) {
		delay_set_latency(dl, (enum delay_io_type)type, dcfg->latency_us[type]);
	}
}

static const struct spdk_bdev_fn_table delay_fn_table = {
	.destruct = updk__vbdev_destruct,
	.submit_request = updk__vbdev_submit,
	.io_type_supported = updk__vbdev_io_type_supported,
	.get_io_channel = updk__vbdev_get_io_channel,
	.dump_info_json = delay_dump_info_json,
};

static const struct updk_vbdev_module g_delay = {
	.bdev_module = &delay_if,
	.fn_table = &delay_fn_table,
	.product_name = "delay",
	.create_method = "bdev_delay_create",
	.config_size = sizeof(struct delay_config),
	.vbdev_size = sizeof(struct bdev_delay),
	.channel_size = sizeof(struct delay_channel),
	.io_done = delay_io_done,
	.vbdev_init = delay_vbdev_init,
	.channel_init = delay_channel_init,
	.channel_fini = delay_channel_fini,
	.write_params = delay_write_params,
};

int
create_delay_disk(const char *bdev_name, const char *vbdev_name, const struct spdk_uuid *uuid,
		  uint64_t avg_read_latency, uint64_t p99_read_latency, uint64_t avg_write_latency,
		  uint64_t p99_write_latency)
{
	struct updk_vbdev_config *cfg;
	struct delay_config *dcfg;
	int rc;

	if (avg_read_latency > DELAY_MAX_LATENCY_US || p99_read_latency > DELAY_MAX_LATENCY_US ||
	    avg_write_latency > DELAY_MAX_LATENCY_US || p99_write_latency > DELAY_MAX_LATENCY_US) {
		SPDK_ERRLOG("delay bdev %s: a latency is above the maximum of %llu us\n",
			    vbdev_name != NULL ? vbdev_name : "(null)", DELAY_MAX_LATENCY_US);
		return -EINVAL;
	}
	rc = updk__vbdev_config_alloc(&g_delay, vbdev_name, bdev_name, uuid, &cfg);
	if (rc != 0) {
		return rc;
	}
	dcfg = (struct delay_config *)cfg;
	dcfg->latency_us[DELAY_AVG_READ] = avg_read_latency;
	dcfg->latency_us[DELAY_P99_READ] = p99_read_latency;
	dcfg->latency_us[DELAY_AVG_WRITE] = avg_write_latency;
	dcfg->latency_us[DELAY_P99_WRITE] = p99_write_latency;
	return updk__vbdev_config_add(cfg);
}

void
delete_delay_disk(const char *vbdev_name, spdk_delete_delay_complete cb_fn, void *cb_arg)
{
	updk__vbdev_delete(&g_delay, vbdev_name, cb_fn, cb_arg);
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
	if (dl->vb.config != NULL) {
		((struct delay_config *)dl->vb.config)->latency_us[type] = latency_us;
	}
	return 0;
}
