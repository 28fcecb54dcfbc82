/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * io_channel: the I/O channel pattern as a complete program. One shared device
 * (a RAM bdev, opened once on the app thread) is used by several worker
 * threads spread over the reactors; each worker takes its own I/O channel on
 * its own thread and drives verified I/O from a poller (write a pattern to its
 * own region, read it back, compare) without any lock. When every worker is
 * done it stops its poller, releases its channel and exits its thread; the app
 * thread then closes the device and stops the application.
 *
 * Usage: io_channel [-w workers] [-I iterations] [standard options, e.g. -m 0x3]
 * Exits 0 when every read matched what was written.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/thread.h"

#define MAX_WORKERS 16
/* Blocks each worker writes and reads per I/O. */
#define IO_BLOCKS 8

static const char g_config[] =
	"{\"subsystems\": [{\"subsystem\": \"bdev\", \"config\": ["
	"{\"method\": \"bdev_malloc_create\", \"params\": "
	"{\"name\": \"Malloc0\", \"num_blocks\": 32768, \"block_size\": 512}}]}]}";

/* The device every worker shares: one descriptor, opened on the app thread. */
struct shared_device {
	const char *device_name;
	struct spdk_bdev_desc *desc;
	atomic_int ref_count;
};

/* One worker's state; touched only on its own thread after it starts. */
struct io_worker {
	uint32_t index;
	struct spdk_thread *thread;
	struct spdk_io_channel *ch;
	struct spdk_poller *poller;
	uint32_t core;
	char *wbuf;
	char *rbuf;
	uint32_t io_len;
	uint64_t offset;
	/* An I/O is in flight. */
	bool busy;
	/* The next I/O is the read-back of the last write. */
	bool reading;
	uint32_t iteration;
	uint32_t failures;
};

static struct shared_device g_dev = {.device_name = "Malloc0"};
static struct io_worker g_workers[MAX_WORKERS];
static uint32_t g_num_workers = 4;
static uint32_t g_iterations = 1000;
/* Counted on the app thread only. */
static uint32_t g_workers_done;
static uint32_t g_total_failures;
static struct spdk_thread *g_app_thread;

static void worker_io_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg);

static void
fill_pattern(struct io_worker *w)
{
	uint32_t i;

	for (i = 0; i < w->io_len; i++) {
		w->wbuf[i] = (char)(w->index * 31 + w->iteration * 7 + i);
	}
}

static void
worker_report_done(void *arg)
{
	struct io_worker *w = arg;

	printf("worker %u on core %u: %u verified write/read pairs, %u mismatches\n", w->index,
	       w->core, w->iteration, w->failures);
	g_total_failures += w->failures;
	if (++g_workers_done < g_num_workers) {
		return;
	}
	assert(atomic_load(&g_dev.ref_count) == 0);
	spdk_bdev_close(g_dev.desc);
	g_dev.desc = NULL;
	printf("io_channel: %u workers done, %s\n", g_num_workers,
	       g_total_failures == 0 ? "all data verified" : "DATA MISMATCH");
	spdk_app_stop(g_total_failures == 0 ? 0 : 1);
}

/* On the worker's thread: release everything it holds, then exit it. */
static void
worker_stop(struct io_worker *w)
{
	spdk_poller_unregister(&w->poller);
	spdk_put_io_channel(w->ch);
	w->ch = NULL;
	atomic_fetch_sub(&g_dev.ref_count, 1);
	spdk_dma_free(w->wbuf);
	spdk_dma_free(w->rbuf);
	w->wbuf = w->rbuf = NULL;
	spdk_thread_exit(w->thread);
	spdk_thread_send_msg(g_app_thread, worker_report_done, w);
}

static int
worker_poll(void *arg)
{
	struct io_worker *w = arg;
	int rc;

	if (w->busy) {
		return SPDK_POLLER_IDLE;
	}
	if (w->iteration == g_iterations) {
		worker_stop(w);
		return SPDK_POLLER_BUSY;
	}
	if (!w->reading) {
		fill_pattern(w);
		rc = spdk_bdev_write(g_dev.desc, w->ch, w->wbuf, w->offset, w->io_len,
				     worker_io_done, w);
	} else {
		memset(w->rbuf, 0, w->io_len);
		rc = spdk_bdev_read(g_dev.desc, w->ch, w->rbuf, w->offset, w->io_len,
				    worker_io_done, w);
	}
	if (rc == -ENOMEM) {
		/* Out of I/O objects for now; try again on the next poll. */
		return SPDK_POLLER_IDLE;
	}
	if (rc != 0) {
		SPDK_ERRLOG("worker %u: submit failed: %s\n", w->index, spdk_strerror(-rc));
		w->failures++;
		w->iteration = g_iterations;
		return SPDK_POLLER_BUSY;
	}
	w->busy = true;
	return SPDK_POLLER_BUSY;
}

static void
worker_io_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct io_worker *w = cb_arg;

	spdk_bdev_free_io(bdev_io);
	w->busy = false;
	if (!success) {
		SPDK_ERRLOG("worker %u: I/O failed\n", w->index);
		w->failures++;
		w->iteration = g_iterations;
		return;
	}
	if (!w->reading) {
		w->reading = true;
		return;
	}
	if (memcmp(w->rbuf, w->wbuf, w->io_len) != 0) {
		SPDK_ERRLOG("worker %u: iteration %u read back different data\n", w->index,
			    w->iteration);
		w->failures++;
	}
	w->reading = false;
	w->iteration++;
}

/* On the worker's own thread: take this thread's channel to the device. */
static void
worker_start(void *arg)
{
	struct io_worker *w = arg;
	struct spdk_bdev *bdev = spdk_bdev_desc_get_bdev(g_dev.desc);

	w->core = spdk_env_get_current_core();
	w->ch = spdk_bdev_get_io_channel(g_dev.desc);
	w->io_len = IO_BLOCKS * spdk_bdev_get_block_size(bdev);
	w->offset = (uint64_t)w->index * w->io_len;
	w->wbuf = spdk_dma_zmalloc(w->io_len, spdk_bdev_get_buf_align(bdev), NULL);
	w->rbuf = spdk_dma_zmalloc(w->io_len, spdk_bdev_get_buf_align(bdev), NULL);
	if (w->ch == NULL || w->wbuf == NULL || w->rbuf == NULL) {
		SPDK_ERRLOG("worker %u: cannot get a channel or buffers\n", w->index);
		w->failures++;
		if (w->ch != NULL) {
			spdk_put_io_channel(w->ch);
		}
		w->ch = NULL;
		spdk_dma_free(w->wbuf);
		spdk_dma_free(w->rbuf);
		spdk_thread_exit(w->thread);
		spdk_thread_send_msg(g_app_thread, worker_report_done, w);
		return;
	}
	atomic_fetch_add(&g_dev.ref_count, 1);
	w->poller = SPDK_POLLER_REGISTER(worker_poll, w, 0);
}

static void
device_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
}

static void
io_channel_start(void *arg)
{
	char name[32];
	uint32_t i;
	int rc;

	g_app_thread = spdk_get_thread();
	rc = spdk_bdev_open_ext(g_dev.device_name, true, device_event, NULL, &g_dev.desc);
	if (rc != 0) {
		SPDK_ERRLOG("cannot open %s: %s\n", g_dev.device_name, spdk_strerror(-rc));
		spdk_app_stop(1);
		return;
	}
	if ((uint64_t)g_num_workers * IO_BLOCKS >
	    spdk_bdev_get_num_blocks(spdk_bdev_desc_get_bdev(g_dev.desc))) {
		SPDK_ERRLOG("the device is too small for %u workers\n", g_num_workers);
		spdk_bdev_close(g_dev.desc);
		spdk_app_stop(1);
		return;
	}
	for (i = 0; i < g_num_workers; i++) {
		struct io_worker *w = &g_workers[i];

		w->index = i;
		snprintf(name, sizeof(name), "worker%u", i);
		/* No cpumask: the reactors spread the workers over their cores. */
		w->thread = spdk_thread_create(name, NULL);
		if (w->thread == NULL) {
			SPDK_ERRLOG("cannot create thread %s\n", name);
			w->failures++;
			g_num_workers = i;
			break;
		}
		spdk_thread_send_msg(w->thread, worker_start, w);
	}
	if (g_num_workers == 0) {
		spdk_bdev_close(g_dev.desc);
		spdk_app_stop(1);
	}
}

static int
parse_arg(int ch, char *arg)
{
	long v = spdk_strtol(arg, 10);

	switch (ch) {
	case 'w':
		if (v < 1 || v > MAX_WORKERS) {
			fprintf(stderr, "-w must be 1..%d\n", MAX_WORKERS);
			return -EINVAL;
		}
		g_num_workers = (uint32_t)v;
		return 0;
	case 'I':
		if (v < 1) {
			fprintf(stderr, "-I must be a positive number\n");
			return -EINVAL;
		}
		g_iterations = (uint32_t)v;
		return 0;
	default:
		return -EINVAL;
	}
}

static void
usage(void)
{
	printf(" -w <n>                          worker threads (default 4, at most %d)\n",
	       MAX_WORKERS);
	printf(" -I <n>                          write/read/verify rounds per worker "
	       "(default 1000)\n");
}

/* Without -m, use the first two CPUs this process may run on. */
static void
default_mask(char *buf, size_t len)
{
	cpu_set_t set;
	int cpus[2], n = 0, i;

	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	for (i = 0; i < CPU_SETSIZE && n < 2; i++) {
		if (CPU_ISSET(i, &set)) {
			cpus[n++] = i;
		}
	}
	if (n == 2) {
		snprintf(buf, len, "[%d,%d]", cpus[0], cpus[1]);
	} else {
		snprintf(buf, len, "[%d]", n == 1 ? cpus[0] : 0);
	}
}

int
main(int argc, char **argv)
{
	struct spdk_app_opts opts;
	char mask[32];
	int rc;

	spdk_app_opts_init(&opts, sizeof(opts));
	opts.name = "io_channel";
	opts.rpc_addr = NULL;
	opts.print_level = SPDK_LOG_WARN;
	rc = spdk_app_parse_args(argc, argv, &opts, "w:I:", NULL, parse_arg, usage);
	if (rc != SPDK_APP_PARSE_ARGS_SUCCESS) {
		return rc == SPDK_APP_PARSE_ARGS_HELP ? 0 : 1;
	}
	if (opts.reactor_mask == NULL) {
		default_mask(mask, sizeof(mask));
		opts.reactor_mask = mask;
	}
	if (opts.json_config_file == NULL) {
		opts.json_data = (void *)(uintptr_t)g_config;
		opts.json_data_size = sizeof(g_config) - 1;
	}
	rc = spdk_app_start(&opts, io_channel_start, NULL);
	spdk_app_fini();
	return rc == 0 ? 0 : 1;
}
