/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Every I/O completes exactly once, whatever fails. A real process with two
 * reactors runs four worker spdk_threads, each keeping 128 I/O (reads,
 * writes, unmaps, flushes, write zeroes) in flight on an error bdev over a
 * malloc bdev. Meanwhile the app thread keeps changing the injections at
 * random: failures of one type or all, NOMEM at random queue depths (the bdev
 * layer must retry them), pending I/O, and clears (which must fail the
 * pending ones). Each I/O slot records whether it is in flight, so a lost
 * completion (the drain deadline passes), a duplicate (a completion of a
 * slot not in flight) or a count that does not match, per I/O type, fails
 * the test. It must also see injected failures and NOMEM retries, or it
 * proves nothing.
 *
 * Usage: io_exactly_once [run_ms] [seed]. Exit 0 pass, 1 fail.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_error.h"
#include "updk/bdev_malloc.h"
#include "updk/event.h"

#define NWORKERS 4
#define QD 128
#define BLOCK 512
#define NBLOCKS 65536
#define MAX_IO_BLOCKS 8
#define DRAIN_MS 10000

static const enum spdk_bdev_io_type g_types[] = {
	SPDK_BDEV_IO_TYPE_READ,  SPDK_BDEV_IO_TYPE_WRITE,        SPDK_BDEV_IO_TYPE_UNMAP,
	SPDK_BDEV_IO_TYPE_FLUSH, SPDK_BDEV_IO_TYPE_WRITE_ZEROES,
};
#define NTYPES SPDK_COUNTOF(g_types)

static const char *const g_type_names[] = {"read", "write", "unmap", "flush", "write_zeroes"};

struct worker;

struct slot {
	struct worker *w;
	/* Index into g_types of the I/O in flight. */
	uint32_t type;
	/* The I/O is submitted and not completed yet. */
	bool inflight;
	/* Waiting in spdk_bdev_queue_io_wait(). */
	bool waiting;
	void *buf;
	struct spdk_bdev_io_wait_entry wait;
};

struct worker {
	int id;
	struct spdk_thread *thread;
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	struct slot slots[QD];
	uint64_t submitted[NTYPES];
	uint64_t completed[NTYPES];
	uint64_t failed[NTYPES];
	uint64_t retried;
	uint64_t duplicates;
	uint64_t submit_errors;
	uint64_t enomem_waits;
	uint32_t inflight;
	uint32_t waiting;
	bool stopping;
	/* Set (atomically) once the worker closed everything. */
	bool done;
	uint64_t rand;
};

static struct worker g_workers[NWORKERS];
static struct spdk_thread *g_app_thread;
static struct spdk_poller *g_inject_poller;
static struct spdk_poller *g_check_poller;
static uint64_t g_run_ms = 3000;
static uint64_t g_seed;
static uint64_t g_rand;
static uint64_t g_start_tsc;
static uint64_t g_drain_start_tsc;
static bool g_draining;
static int g_failures;
static uint64_t g_injections[VBDEV_IO_NOMEM + 1];

#define CHECK_EQ(a, b)                                                                      \
	do {                                                                                \
		long long a_ = (long long)(a), b_ = (long long)(b);                         \
		if (a_ != b_) {                                                             \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, \
				__LINE__, #a, #b, a_, b_);                                  \
			g_failures++;                                                       \
		}                                                                           \
	} while (0)

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			g_failures++;                                                            \
		}                                                                                \
	} while (0)

static uint64_t
xorshift(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static void slot_submit(struct slot *s);
static void worker_maybe_finish(struct worker *w);

static void
slot_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct slot *s = arg;
	struct worker *w = s->w;

	if (!s->inflight) {
		w->duplicates++;
		spdk_bdev_free_io(bdev_io);
		return;
	}
	s->inflight = false;
	w->inflight--;
	w->completed[s->type]++;
	if (!success) {
		w->failed[s->type]++;
	}
	if (bdev_io->num_retries > 0) {
		w->retried++;
	}
	spdk_bdev_free_io(bdev_io);
	if (w->stopping) {
		worker_maybe_finish(w);
		return;
	}
	slot_submit(s);
}

static void
slot_retry(void *arg)
{
	struct slot *s = arg;
	struct worker *w = s->w;

	s->waiting = false;
	w->waiting--;
	if (w->stopping) {
		worker_maybe_finish(w);
		return;
	}
	slot_submit(s);
}

static void
slot_submit(struct slot *s)
{
	struct worker *w = s->w;
	uint64_t r = xorshift(&w->rand);
	uint64_t num = 1 + r % MAX_IO_BLOCKS;
	/* Each worker has its own slice: workers never touch the same blocks. */
	uint64_t slice = NBLOCKS / NWORKERS;
	uint64_t off = (uint64_t)w->id * slice + (r >> 8) % (slice - num);
	int rc;

	s->type = (uint32_t)((r >> 40) % 11);
	/* Mostly reads and writes. */
	s->type = s->type < 4 ? 0 : s->type < 8 ? 1 : s->type - 6;
	switch (g_types[s->type]) {
	case SPDK_BDEV_IO_TYPE_READ:
		rc = spdk_bdev_read_blocks(w->desc, w->ch, s->buf, off, num, slot_done, s);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
		rc = spdk_bdev_write_blocks(w->desc, w->ch, s->buf, off, num, slot_done, s);
		break;
	case SPDK_BDEV_IO_TYPE_UNMAP:
		rc = spdk_bdev_unmap_blocks(w->desc, w->ch, off, num, slot_done, s);
		break;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		rc = spdk_bdev_flush_blocks(w->desc, w->ch, off, num, slot_done, s);
		break;
	default:
		rc = spdk_bdev_write_zeroes_blocks(w->desc, w->ch, off, num, slot_done, s);
		break;
	}
	if (rc == 0) {
		s->inflight = true;
		w->inflight++;
		w->submitted[s->type]++;
		return;
	}
	if (rc == -ENOMEM) {
		s->wait.bdev = spdk_bdev_desc_get_bdev(w->desc);
		s->wait.cb_fn = slot_retry;
		s->wait.cb_arg = s;
		if (spdk_bdev_queue_io_wait(s->wait.bdev, w->ch, &s->wait) == 0) {
			s->waiting = true;
			w->waiting++;
			w->enomem_waits++;
			return;
		}
	}
	w->submit_errors++;
}

static void
worker_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
}

static void
worker_start(void *arg)
{
	struct worker *w = arg;
	int i, rc;

	rc = spdk_bdev_open_ext("EE_M0", true, worker_event, NULL, &w->desc);
	if (rc != 0) {
		fprintf(stderr, "worker %d: open failed: %d\n", w->id, rc);
		w->submit_errors++;
		__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
		spdk_thread_exit(w->thread);
		return;
	}
	w->ch = spdk_bdev_get_io_channel(w->desc);
	if (w->ch == NULL) {
		fprintf(stderr, "worker %d: no channel\n", w->id);
		w->submit_errors++;
		spdk_bdev_close(w->desc);
		__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
		spdk_thread_exit(w->thread);
		return;
	}
	for (i = 0; i < QD; i++) {
		slot_submit(&w->slots[i]);
	}
}

static void
worker_maybe_finish(struct worker *w)
{
	if (w->inflight > 0 || w->waiting > 0 || w->ch == NULL) {
		return;
	}
	spdk_put_io_channel(w->ch);
	w->ch = NULL;
	spdk_bdev_close(w->desc);
	__atomic_store_n(&w->done, true, __ATOMIC_RELEASE);
	spdk_thread_exit(w->thread);
}

static void
worker_stop(void *arg)
{
	struct worker *w = arg;

	w->stopping = true;
	worker_maybe_finish(w);
}

static int
inject_poll(void *arg)
{
	struct vbdev_error_inject_opts opts = {};
	uint64_t r = xorshift(&g_rand);
	uint32_t pick = (uint32_t)(r % 16);

	opts.io_type =
		(r >> 8) % 3 == 0 ? VBDEV_ERROR_IO_TYPE_ALL : (uint32_t)g_types[(r >> 16) % NTYPES];
	if (pick < 5) {
		opts.error_type = VBDEV_IO_FAILURE;
		opts.error_num = 1 + (uint32_t)((r >> 24) % 50);
	} else if (pick < 11) {
		opts.error_type = VBDEV_IO_NOMEM;
		opts.error_num = 1 + (uint32_t)((r >> 24) % 200);
		opts.error_qd = (r >> 40) % (QD + 1);
	} else if (pick < 13) {
		opts.error_type = VBDEV_IO_PENDING;
		opts.error_num = 1 + (uint32_t)((r >> 24) % 10);
	} else {
		opts.io_type = VBDEV_ERROR_IO_TYPE_CLEAR;
		opts.error_type = VBDEV_IO_FAILURE;
	}
	if (vbdev_error_inject_error("EE_M0", &opts) != 0) {
		g_failures++;
	}
	g_injections[opts.io_type == VBDEV_ERROR_IO_TYPE_CLEAR ? 0 : opts.error_type]++;
	return SPDK_POLLER_BUSY;
}

static void
bdevs_deleted(void *arg, int rc)
{
	CHECK_EQ(rc, 0);
	spdk_app_stop(g_failures == 0 ? 0 : 1);
}

static void
error_deleted(void *arg, int rc)
{
	CHECK_EQ(rc, 0);
	delete_malloc_disk("M0", bdevs_deleted, NULL);
}

static void
report_and_finish(void)
{
	uint64_t sub[NTYPES] = {}, cpl[NTYPES] = {}, fail[NTYPES] = {};
	uint64_t retried = 0, dup = 0, errs = 0, waits = 0, total_fail = 0;
	size_t t;
	int i;

	for (i = 0; i < NWORKERS; i++) {
		for (t = 0; t < NTYPES; t++) {
			sub[t] += g_workers[i].submitted[t];
			cpl[t] += g_workers[i].completed[t];
			fail[t] += g_workers[i].failed[t];
		}
		retried += g_workers[i].retried;
		dup += g_workers[i].duplicates;
		errs += g_workers[i].submit_errors;
		waits += g_workers[i].enomem_waits;
	}
	for (t = 0; t < NTYPES; t++) {
		printf("%-12s submitted %10" PRIu64 " completed %10" PRIu64 " failed %8" PRIu64
		       "\n",
		       g_type_names[t], sub[t], cpl[t], fail[t]);
		CHECK_EQ(sub[t], cpl[t]);
		total_fail += fail[t];
	}
	printf("NOMEM-retried completions %" PRIu64 ", io_wait waits %" PRIu64
	       ", duplicates %" PRIu64 ", submit errors %" PRIu64 "\n",
	       retried, waits, dup, errs);
	printf("injections: %" PRIu64 " failure, %" PRIu64 " pending, %" PRIu64 " nomem, %" PRIu64
	       " clear (seed %" PRIu64 ")\n",
	       g_injections[VBDEV_IO_FAILURE], g_injections[VBDEV_IO_PENDING],
	       g_injections[VBDEV_IO_NOMEM], g_injections[0], g_seed);
	CHECK_EQ(dup, 0);
	CHECK_EQ(errs, 0);
	/* Otherwise the test exercised nothing. */
	CHECK(total_fail > 0);
	CHECK(retried > 0);
	vbdev_error_delete("EE_M0", error_deleted, NULL);
}

static int
check_poll(void *arg)
{
	uint64_t now = spdk_get_ticks(), hz = spdk_get_ticks_hz();
	struct vbdev_error_inject_opts clear = {.io_type = VBDEV_ERROR_IO_TYPE_CLEAR,
						.error_type = VBDEV_IO_FAILURE};
	int i, done = 0;

	if (!g_draining) {
		if (now - g_start_tsc < g_run_ms * hz / 1000) {
			return SPDK_POLLER_IDLE;
		}
		/* Stop injecting, release what is pending, and let the workers drain. */
		spdk_poller_unregister(&g_inject_poller);
		vbdev_error_inject_error("EE_M0", &clear);
		for (i = 0; i < NWORKERS; i++) {
			spdk_thread_send_msg(g_workers[i].thread, worker_stop, &g_workers[i]);
		}
		g_draining = true;
		g_drain_start_tsc = now;
		return SPDK_POLLER_BUSY;
	}
	for (i = 0; i < NWORKERS; i++) {
		done += __atomic_load_n(&g_workers[i].done, __ATOMIC_ACQUIRE) ? 1 : 0;
	}
	if (done == NWORKERS) {
		spdk_poller_unregister(&g_check_poller);
		report_and_finish();
		return SPDK_POLLER_BUSY;
	}
	if (now - g_drain_start_tsc > DRAIN_MS * hz / 1000) {
		/* The workers' counters are theirs; read them only to report. */
		fprintf(stderr, "FAIL: I/O still outstanding %d ms after the stop:\n", DRAIN_MS);
		for (i = 0; i < NWORKERS; i++) {
			fprintf(stderr, "  worker %d: %" PRIu32 " in flight, %" PRIu32 " waiting\n",
				i, __atomic_load_n(&g_workers[i].inflight, __ATOMIC_RELAXED),
				__atomic_load_n(&g_workers[i].waiting, __ATOMIC_RELAXED));
		}
		fflush(stderr);
		_exit(1);
	}
	return SPDK_POLLER_IDLE;
}

static void
start(void *arg)
{
	struct malloc_bdev_opts mopts = {.name = "M0", .num_blocks = NBLOCKS, .block_size = BLOCK};
	struct spdk_bdev *bdev;
	char name[32];
	int i, j;

	g_app_thread = spdk_get_thread();
	if (create_malloc_disk(&bdev, &mopts) != 0 || vbdev_error_create("M0", NULL) != 0) {
		g_failures++;
		spdk_app_stop(1);
		return;
	}
	for (i = 0; i < NWORKERS; i++) {
		struct worker *w = &g_workers[i];

		w->id = i;
		w->rand = g_seed * 2654435761u + (uint64_t)i * 7919 + 1;
		for (j = 0; j < QD; j++) {
			w->slots[j].w = w;
			w->slots[j].buf = spdk_dma_zmalloc(MAX_IO_BLOCKS * BLOCK, 4096, NULL);
			if (w->slots[j].buf == NULL) {
				g_failures++;
				spdk_app_stop(1);
				return;
			}
		}
		snprintf(name, sizeof(name), "worker%d", i);
		w->thread = spdk_thread_create(name, NULL);
		if (w->thread == NULL) {
			g_failures++;
			spdk_app_stop(1);
			return;
		}
		spdk_thread_send_msg(w->thread, worker_start, w);
	}
	g_rand = g_seed | 1;
	g_start_tsc = spdk_get_ticks();
	g_inject_poller = SPDK_POLLER_REGISTER(inject_poll, NULL, 2000);
	g_check_poller = SPDK_POLLER_REGISTER(check_poll, NULL, 10000);
}

static const char *
two_cores(void)
{
	cpu_set_t set;
	int n = 0, i;
	static char mask[32];
	uint64_t m = 0;

	CPU_ZERO(&set);
	sched_getaffinity(0, sizeof(set), &set);
	for (i = 0; i < 64 && n < 2; i++) {
		if (CPU_ISSET(i, &set)) {
			m |= 1ULL << i;
			n++;
		}
	}
	snprintf(mask, sizeof(mask), "0x%" PRIx64, m);
	return mask;
}

int
main(int argc, char **argv)
{
	struct spdk_app_opts opts;
	int rc, i, j;

	if (argc > 1) {
		g_run_ms = strtoull(argv[1], NULL, 10);
	}
	g_seed = argc > 2 ? strtoull(argv[2], NULL, 0) : (uint64_t)time(NULL);
	spdk_app_opts_init(&opts, sizeof(opts));
	opts.name = "io_exactly_once";
	opts.reactor_mask = two_cores();
	opts.rpc_addr = NULL;
	updk_app_set_shutdown_timeout(15000);
	rc = spdk_app_start(&opts, start, NULL);
	spdk_app_fini();
	for (i = 0; i < NWORKERS; i++) {
		for (j = 0; j < QD; j++) {
			spdk_dma_free(g_workers[i].slots[j].buf);
		}
	}
	if (rc != 0 || g_failures != 0) {
		fprintf(stderr, "FAIL (rc %d, %d failures, seed %" PRIu64 ")\n", rc, g_failures,
			g_seed);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
