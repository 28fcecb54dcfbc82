/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A small bdevperf-like driver for the uring and aio bdev modules: one
 * spdk_thread polled on the calling pthread (pin it with taskset), a uring or
 * aio bdev over a file, random reads or writes of a fixed size at a fixed
 * queue depth for a fixed time. It prints IOPS, MiB/s and the CPU time the
 * process spent per I/O (user + system, from getrusage(), which also counts
 * io_uring's kernel worker threads), measured over the timed run only.
 * bench/uring_aio/run.sh runs it next to fio on the same file, core and
 * queue depth.
 *
 * usage: file_bench -m uring|aio -f FILE [-q QD] [-w randread|randwrite]
 *                   [-o BYTES] [-t SECONDS] [-W WAIT_US]
 *   -W  longest wait in the kernel for a completion when idle (default: the
 *       module's default; 0 = pure polling)
 */

#include "spdk/stdinc.h"

#include <sys/resource.h>

#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_aio.h"
#include "updk/bdev_uring.h"

#define BENCH_MAX_QD 1024

struct bench_io {
	void *buf;
	bool busy;
};

/* The one state of the tool. */
static struct {
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	struct bench_io ios[BENCH_MAX_QD];
	uint64_t rng;
	uint64_t blocks_per_io;
	uint64_t num_slots;
	uint32_t block_size;
	uint32_t io_size;
	uint64_t completed;
	uint64_t errors;
	uint32_t inflight;
	bool write;
	bool stopping;
	bool flag;
	int rc;
} g;

static void
usage(const char *prog)
{
	fprintf(stderr,
		"usage: %s -m uring|aio -f FILE [-q QD] [-w randread|randwrite] "
		"[-o BYTES] [-t SECONDS] [-W WAIT_US]\n",
		prog);
	exit(2);
}

static uint64_t
bench_rand(void)
{
	g.rng ^= g.rng << 13;
	g.rng ^= g.rng >> 7;
	g.rng ^= g.rng << 17;
	return g.rng;
}

static void bench_submit(struct bench_io *io);

static void
bench_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct bench_io *io = arg;

	spdk_bdev_free_io(bdev_io);
	g.inflight--;
	io->busy = false;
	if (spdk_likely(success)) {
		g.completed++;
	} else {
		g.errors++;
	}
	if (!g.stopping) {
		bench_submit(io);
	}
}

static void
bench_submit(struct bench_io *io)
{
	uint64_t off = (bench_rand() % g.num_slots) * g.blocks_per_io;
	int rc;

	rc = g.write ? spdk_bdev_write_blocks(g.desc, g.ch, io->buf, off, g.blocks_per_io,
					      bench_done, io)
		     : spdk_bdev_read_blocks(g.desc, g.ch, io->buf, off, g.blocks_per_io,
					     bench_done, io);
	if (rc != 0) {
		fprintf(stderr, "submit failed: %s\n", strerror(-rc));
		g.errors++;
		g.stopping = true;
		return;
	}
	io->busy = true;
	g.inflight++;
}

static void
event_cb(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *arg)
{
}

static void
init_done(void *arg, int rc)
{
	g.rc = rc;
	g.flag = true;
}

static void
fini_done(void *arg)
{
	g.flag = true;
}

static void
delete_done(void *arg, int rc)
{
	g.flag = true;
}

static void
poll_flag(struct spdk_thread *t)
{
	g.flag = false;
	while (!g.flag) {
		spdk_thread_poll(t, 0, 0);
	}
}

static double
tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

int
main(int argc, char **argv)
{
	const char *mod = NULL, *file = NULL, *workload = "randread";
	uint32_t qd = 32, io_size = 4096, seconds = 10, i;
	int64_t wait_us = -1;
	struct spdk_thread *t;
	struct spdk_bdev *bdev;
	struct rusage ru0, ru1;
	struct timespec t0, t1;
	double wall, cpu, usr, sys;
	int opt, rc;

	while ((opt = getopt(argc, argv, "m:f:q:w:o:t:W:")) != -1) {
		switch (opt) {
		case 'm':
			mod = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'q':
			qd = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'w':
			workload = optarg;
			break;
		case 'o':
			io_size = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 't':
			seconds = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'W':
			wait_us = strtoll(optarg, NULL, 10);
			break;
		default:
			usage(argv[0]);
		}
	}
	if (mod == NULL || file == NULL || qd == 0 || qd > BENCH_MAX_QD || io_size == 0 ||
	    (strcmp(workload, "randread") != 0 && strcmp(workload, "randwrite") != 0)) {
		usage(argv[0]);
	}
	g.write = strcmp(workload, "randwrite") == 0;
	g.io_size = io_size;
	g.rng = 0x2545f4914f6cdd1dULL;
	if (wait_us >= 0) {
		updk_bdev_uring_set_poll_wait((uint32_t)wait_us);
		updk_bdev_aio_set_poll_wait((uint32_t)wait_us);
	}

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		return 1;
	}
	t = spdk_thread_create("bench", NULL);
	spdk_set_thread(t);
	spdk_bdev_initialize(init_done, NULL);
	poll_flag(t);
	if (g.rc != 0) {
		return 1;
	}
	if (strcmp(mod, "uring") == 0) {
		struct bdev_uring_opts opts = {.name = "bench0", .filename = file};

		rc = updk_bdev_uring_create(&opts, &bdev);
	} else if (strcmp(mod, "aio") == 0) {
		rc = create_aio_bdev("bench0", file, 0, false, false, NULL, false);
	} else {
		usage(argv[0]);
		return 2;
	}
	if (rc != 0) {
		fprintf(stderr, "cannot create the bdev: %s\n", strerror(-rc));
		return 1;
	}
	rc = spdk_bdev_open_ext("bench0", true, event_cb, NULL, &g.desc);
	if (rc != 0) {
		return 1;
	}
	g.ch = spdk_bdev_get_io_channel(g.desc);
	bdev = spdk_bdev_desc_get_bdev(g.desc);
	g.block_size = spdk_bdev_get_block_size(bdev);
	if (io_size % g.block_size != 0) {
		fprintf(stderr, "io size %u is not a multiple of the block size %u\n", io_size,
			g.block_size);
		return 1;
	}
	g.blocks_per_io = io_size / g.block_size;
	g.num_slots = spdk_bdev_get_num_blocks(bdev) / g.blocks_per_io;
	for (i = 0; i < qd; i++) {
		g.ios[i].buf = spdk_dma_zmalloc(io_size, 4096, NULL);
		memset(g.ios[i].buf, (int)i, io_size);
	}

	/* Warm up for a second, then measure. */
	for (i = 0; i < qd; i++) {
		bench_submit(&g.ios[i]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		spdk_thread_poll(t, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while (t1.tv_sec - t0.tv_sec < 1);
	g.completed = 0;
	getrusage(RUSAGE_SELF, &ru0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		for (i = 0; i < 64; i++) {
			spdk_thread_poll(t, 0, 0);
		}
		clock_gettime(CLOCK_MONOTONIC, &t1);
	} while ((uint64_t)(t1.tv_sec - t0.tv_sec) < seconds && !g.stopping);
	getrusage(RUSAGE_SELF, &ru1);
	wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	usr = tv_s(ru1.ru_utime) - tv_s(ru0.ru_utime);
	sys = tv_s(ru1.ru_stime) - tv_s(ru0.ru_stime);
	cpu = usr + sys;

	printf("engine=updk-%s rw=%s qd=%u bs=%u iops=%.0f mibs=%.1f cpu_usr_s=%.3f "
	       "cpu_sys_s=%.3f cpu_us_per_io=%.3f cpu_util=%.1f%% errors=%" PRIu64 "\n",
	       mod, workload, qd, io_size, (double)g.completed / wall,
	       (double)g.completed * io_size / wall / 1048576.0, usr, sys,
	       g.completed ? cpu * 1e6 / (double)g.completed : 0.0, cpu * 100.0 / wall, g.errors);

	g.stopping = true;
	while (g.inflight > 0) {
		spdk_thread_poll(t, 0, 0);
	}
	for (i = 0; i < qd; i++) {
		spdk_dma_free(g.ios[i].buf);
	}
	spdk_put_io_channel(g.ch);
	spdk_bdev_close(g.desc);
	if (strcmp(mod, "uring") == 0) {
		delete_uring_bdev("bench0", delete_done, NULL);
	} else {
		bdev_aio_delete("bench0", delete_done, NULL);
	}
	poll_flag(t);
	spdk_bdev_finish(fini_done, NULL);
	poll_flag(t);
	spdk_thread_exit(t);
	while (!spdk_thread_is_exited(t)) {
		spdk_thread_poll(t, 0, 0);
	}
	spdk_set_thread(NULL);
	spdk_thread_destroy(t);
	spdk_thread_lib_fini();
	return g.errors ? 1 : 0;
}
