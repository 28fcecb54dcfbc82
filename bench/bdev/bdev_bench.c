/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A microbenchmark of the bdev layer on one thread: the app thread is
 * self-polled on the main pthread, and each job keeps a fixed queue depth of
 * 4 KiB I/O in flight against a 256 MiB bdev; every completion frees its
 * spdk_bdev_io and submits the next I/O at a random offset from inside the
 * callback, as bdevperf does. Jobs: the null bdev (randread and randwrite:
 * the cost of the framework itself, submit + complete + free, reported in ns
 * per I/O) and the malloc bdev (randread and randwrite, a memcpy per I/O), at
 * queue depths 1, 32 and 128. Two more jobs, memcpy-randread and
 * memcpy-randwrite, use no bdev at all: they copy 4 KiB between random
 * blocks of a 256 MiB block of memory and the same buffers with plain
 * memcpy(), the cost of the copy alone on this machine, for scale. Each job
 * runs several times; the medians are printed.
 *
 * Usage: bdev_bench [-t ms per run] [-r runs] [-j substring of job names]
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_malloc.h"
#include "updk/bdev_null.h"

#define BENCH_IO_SIZE 4096
#define BENCH_DISK_BLOCKS 65536 /* 256 MiB of 4 KiB blocks */
#define BENCH_MAX_QD 128
#define BENCH_MAX_RUNS 31

struct bench_job {
	const char *name;
	const char *bdev;
	bool write;
	uint32_t qd;
};

static const struct bench_job g_jobs[] = {
	{"null-randread-qd1", "BenchNull", false, 1},
	{"null-randread-qd32", "BenchNull", false, 32},
	{"null-randread-qd128", "BenchNull", false, 128},
	{"null-randwrite-qd128", "BenchNull", true, 128},
	{"malloc-randread-qd1", "BenchMalloc", false, 1},
	{"malloc-randread-qd32", "BenchMalloc", false, 32},
	{"malloc-randread-qd128", "BenchMalloc", false, 128},
	{"malloc-randwrite-qd1", "BenchMalloc", true, 1},
	{"malloc-randwrite-qd32", "BenchMalloc", true, 32},
	{"malloc-randwrite-qd128", "BenchMalloc", true, 128},
	/* No bdev: the copy alone. */
	{"memcpy-randread", NULL, false, 128},
	{"memcpy-randwrite", NULL, true, 128},
};

struct bench_run {
	const struct bench_job *job;
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	uint8_t *bufs[BENCH_MAX_QD];
	uint64_t rng;
	uint64_t completed;
	uint64_t failed;
	uint32_t inflight;
	bool stop;
};

static struct spdk_thread *g_app;
static int g_step_rc;
static bool g_step_done;

static void
bench_step_done(void *arg, int rc)
{
	g_step_rc = rc;
	g_step_done = true;
}

static void
bench_fini_done(void *arg)
{
	g_step_done = true;
}

static void
bench_wait_step(void)
{
	while (!g_step_done) {
		spdk_thread_poll(g_app, 0, 0);
	}
	g_step_done = false;
}

static inline uint64_t
bench_rand(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static int bench_submit(struct bench_run *run, uint8_t *buf);

/* The callback argument is the buffer, so the completion knows which one to
 * reuse; the run is found through a global (one job at a time). */
static struct bench_run *g_run;

static void
bench_io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct bench_run *run = g_run;
	uint8_t *buf = arg;

	spdk_bdev_free_io(bdev_io);
	run->inflight--;
	run->completed++;
	if (!success) {
		run->failed++;
	}
	if (!run->stop) {
		bench_submit(run, buf);
	}
}

static int
bench_submit(struct bench_run *run, uint8_t *buf)
{
	uint64_t off = bench_rand(&run->rng) & (BENCH_DISK_BLOCKS - 1);
	int rc;

	if (run->job->write) {
		rc = spdk_bdev_write_blocks(run->desc, run->ch, buf, off, 1, bench_io_done, buf);
	} else {
		rc = spdk_bdev_read_blocks(run->desc, run->ch, buf, off, 1, bench_io_done, buf);
	}
	if (spdk_likely(rc == 0)) {
		run->inflight++;
	} else {
		run->failed++;
	}
	return rc;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, uint32_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static uint64_t
thread_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* One timed run of \p job; returns completions per second of wall time and
 * sets *per_cpu to completions per second of this thread's CPU time (which
 * other load on the machine does not inflate). */
static double
bench_run_once(const struct bench_job *job, struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
	       uint8_t **bufs, uint64_t ms, uint64_t seed, double *per_cpu)
{
	uint64_t cpu0, cpu1;
	struct bench_run run;
	uint64_t hz = spdk_get_ticks_hz(), start, end, deadline;
	uint32_t i;

	memset(&run, 0, sizeof(run));
	run.job = job;
	run.desc = desc;
	run.ch = ch;
	run.rng = seed | 1;
	g_run = &run;
	for (i = 0; i < job->qd; i++) {
		bench_submit(&run, bufs[i]);
	}
	cpu0 = thread_cpu_ns();
	start = spdk_get_ticks();
	deadline = start + hz * ms / 1000;
	/* Check the clock every 64 polls only. */
	for (;;) {
		for (i = 0; i < 64; i++) {
			spdk_thread_poll(g_app, 0, 0);
		}
		end = spdk_get_ticks();
		if (end >= deadline) {
			break;
		}
	}
	cpu1 = thread_cpu_ns();
	*per_cpu = (double)run.completed * 1e9 / (double)(cpu1 - cpu0);
	run.stop = true;
	while (run.inflight > 0) {
		spdk_thread_poll(g_app, 0, 0);
	}
	if (run.failed > 0) {
		fprintf(stderr, "%s: %" PRIu64 " I/O failed\n", job->name, run.failed);
		exit(1);
	}
	return (double)run.completed * (double)hz / (double)(end - start);
}

static void
bench_print(const struct bench_job *job, double *iops, double *cpu_iops, uint32_t runs)
{
	double med = median(iops, runs), cmed = median(cpu_iops, runs);

	/* median() sorted iops: the extremes are at its ends. */
	printf("%-24s %9.2fM %8.1f %9.2fM %9.2fM %11.2fM %10.1f\n", job->name, med / 1e6, 1e9 / med,
	       iops[0] / 1e6, iops[runs - 1] / 1e6, cmed / 1e6, 1e9 / cmed);
	fflush(stdout);
}

/* One timed run of a memcpy job: 4 KiB copies between random blocks of
 * \p disk and the buffers in turn, as fast as one core goes. */
static double
bench_copy_once(const struct bench_job *job, uint8_t *disk, uint8_t **bufs, uint64_t ms,
		uint64_t seed, double *per_cpu)
{
	uint64_t hz = spdk_get_ticks_hz(), start, end, deadline, done = 0, rng = seed | 1;
	uint64_t cpu0, cpu1;
	uint32_t i;

	cpu0 = thread_cpu_ns();
	start = spdk_get_ticks();
	deadline = start + hz * ms / 1000;
	do {
		for (i = 0; i < BENCH_MAX_QD; i++) {
			uint8_t *blk =
				disk + (bench_rand(&rng) & (BENCH_DISK_BLOCKS - 1)) * BENCH_IO_SIZE;

			if (job->write) {
				memcpy(blk, bufs[i], BENCH_IO_SIZE);
			} else {
				memcpy(bufs[i], blk, BENCH_IO_SIZE);
			}
			/* Keep the compiler from dropping copies nobody reads. */
			__asm__ volatile("" : : "r"(blk), "r"(bufs[i]) : "memory");
		}
		done += BENCH_MAX_QD;
		end = spdk_get_ticks();
	} while (end < deadline);
	cpu1 = thread_cpu_ns();
	*per_cpu = (double)done * 1e9 / (double)(cpu1 - cpu0);
	return (double)done * (double)hz / (double)(end - start);
}

int
main(int argc, char **argv)
{
	struct malloc_bdev_opts mopts;
	struct null_bdev_opts nopts;
	struct spdk_bdev *bdev;
	uint64_t ms = 1000;
	uint32_t runs = 5, i, r;
	const char *filter = NULL;
	uint8_t *bufs[BENCH_MAX_QD], *pool, *disk;
	double iops[BENCH_MAX_RUNS], cpu_iops[BENCH_MAX_RUNS];
	int opt;

	while ((opt = getopt(argc, argv, "t:r:j:")) != -1) {
		switch (opt) {
		case 't':
			ms = strtoull(optarg, NULL, 10);
			break;
		case 'r':
			runs = (uint32_t)strtoul(optarg, NULL, 10);
			break;
		case 'j':
			filter = optarg;
			break;
		default:
			fprintf(stderr, "usage: %s [-t ms per run] [-r runs] [-j job filter]\n",
				argv[0]);
			return 1;
		}
	}
	if (runs == 0 || runs > BENCH_MAX_RUNS || ms == 0) {
		fprintf(stderr, "runs must be 1..%d and -t positive\n", BENCH_MAX_RUNS);
		return 1;
	}

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		return 1;
	}
	g_app = spdk_thread_create("bench", NULL);
	spdk_set_thread(g_app);
	spdk_bdev_initialize(bench_step_done, NULL);
	bench_wait_step();
	if (g_step_rc != 0) {
		fprintf(stderr, "spdk_bdev_initialize: %d\n", g_step_rc);
		return 1;
	}
	memset(&nopts, 0, sizeof(nopts));
	nopts.name = "BenchNull";
	nopts.num_blocks = BENCH_DISK_BLOCKS;
	nopts.block_size = BENCH_IO_SIZE;
	memset(&mopts, 0, sizeof(mopts));
	mopts.name = "BenchMalloc";
	mopts.num_blocks = BENCH_DISK_BLOCKS;
	mopts.block_size = BENCH_IO_SIZE;
	if (bdev_null_create(&bdev, &nopts) != 0 || create_malloc_disk(&bdev, &mopts) != 0) {
		fprintf(stderr, "cannot create the bdevs\n");
		return 1;
	}
	/* One block for every buffer, as bdevperf allocates them: 2 MiB, so that
	 * it is one huge page. */
	pool = spdk_dma_zmalloc(spdk_max(BENCH_MAX_QD * BENCH_IO_SIZE, 2u << 20), 4096, NULL);
	if (pool == NULL) {
		fprintf(stderr, "cannot allocate the I/O buffers\n");
		return 1;
	}
	for (i = 0; i < BENCH_MAX_QD; i++) {
		bufs[i] = pool + i * BENCH_IO_SIZE;
		memset(bufs[i], (int)i, BENCH_IO_SIZE);
	}
	/* The memcpy jobs' disk, allocated like the malloc bdev's (huge pages,
	 * populated up front). */
	disk = spdk_dma_zmalloc((uint64_t)BENCH_DISK_BLOCKS * BENCH_IO_SIZE, 4096, NULL);
	if (disk == NULL) {
		fprintf(stderr, "cannot allocate the memcpy jobs' disk\n");
		return 1;
	}
	memset(disk, 0x5a, (uint64_t)BENCH_DISK_BLOCKS * BENCH_IO_SIZE);

	printf("bdev_bench: one thread, %d-byte I/O, 256 MiB disks, %u runs of %" PRIu64
	       " ms, medians\n",
	       BENCH_IO_SIZE, runs, ms);
	printf("%-24s %10s %8s %10s %10s %12s %10s\n", "job", "IOPS", "ns/IO", "min", "max",
	       "IOPS/CPU-s", "CPU ns/IO");
	for (i = 0; i < SPDK_COUNTOF(g_jobs); i++) {
		const struct bench_job *job = &g_jobs[i];
		struct spdk_bdev_desc *desc = NULL;
		struct spdk_io_channel *ch;
		double dummy;

		if (filter != NULL && strstr(job->name, filter) == NULL) {
			continue;
		}
		if (job->bdev == NULL) {
			bench_copy_once(job, disk, bufs, ms / 4 + 1, 7, &dummy);
			for (r = 0; r < runs; r++) {
				iops[r] = bench_copy_once(job, disk, bufs, ms,
							  0x9e3779b97f4a7c15ull * (r + 1),
							  &cpu_iops[r]);
			}
			bench_print(job, iops, cpu_iops, runs);
			continue;
		}
		if (spdk_bdev_open_ext(job->bdev, true, NULL, NULL, &desc) != 0) {
			fprintf(stderr, "cannot open %s\n", job->bdev);
			return 1;
		}
		ch = spdk_bdev_get_io_channel(desc);
		/* A short warm-up run fills caches and faults the disk in. */
		bench_run_once(job, desc, ch, bufs, ms / 4 + 1, 7, &dummy);
		for (r = 0; r < runs; r++) {
			iops[r] = bench_run_once(job, desc, ch, bufs, ms,
						 0x9e3779b97f4a7c15ull * (r + 1), &cpu_iops[r]);
		}
		bench_print(job, iops, cpu_iops, runs);
		spdk_put_io_channel(ch);
		spdk_bdev_close(desc);
		for (r = 0; r < 100; r++) {
			spdk_thread_poll(g_app, 0, 0);
		}
	}

	spdk_dma_free(pool);
	spdk_dma_free(disk);
	delete_malloc_disk("BenchMalloc", bench_step_done, NULL);
	bench_wait_step();
	bdev_null_delete("BenchNull", bench_step_done, NULL);
	bench_wait_step();
	spdk_bdev_finish(bench_fini_done, NULL);
	bench_wait_step();
	spdk_thread_exit(g_app);
	while (!spdk_thread_is_exited(g_app)) {
		spdk_thread_poll(g_app, 0, 0);
	}
	spdk_thread_destroy(g_app);
	spdk_thread_lib_fini();
	return 0;
}
