/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * hello_thread: a tour of the thread model through the public thread API.
 * Two OS threads (pthreads) each poll two lightweight spdk_threads. Every
 * spdk_thread takes its own channel to one I/O device, and a poller counts
 * work in the channel's context without locks, because only the owning thread
 * ever touches it. A message bounces between pthreads, spdk_for_each_channel()
 * adds up the counters, and everything is torn down in order. Each step is a
 * message or callback that runs on one spdk_thread, never blocks, and hands
 * over to the next step by sending a message.
 */

#include "spdk/stdinc.h"
#include "spdk/thread.h"

/* Each pthread polls PER_PTHREAD spdk_threads; each of those counts
 * WORK_ITEMS in its poller; the ping-pong is PING_PONG_HOPS messages long. */
#define NUM_PTHREADS 2
#define PER_PTHREAD 2
#define NUM_THREADS (NUM_PTHREADS * PER_PTHREAD)
#define WORK_ITEMS 1000
#define PING_PONG_HOPS 100

/* The per-channel context: one per (spdk_thread, device). */
struct counter_channel {
	uint64_t count;
};

/* What each spdk_thread keeps; after setup only that thread touches it. */
struct worker {
	struct spdk_thread *thread;
	struct spdk_io_channel *ch;
	struct spdk_poller *poller;
};

/* The I/O device: any unique pointer can be one. Its channels come and go on
 * different pthreads, so their count is atomic. */
static int g_dev;
static atomic_uint g_channels;

static struct worker g_workers[NUM_THREADS];
static atomic_int g_failures;

/* The coordinator's state, used on the app thread only: no locks needed. */
static unsigned int g_parts_done, g_visited, g_released;
static uint64_t g_total;

/* The ping-pong ball. Only the thread that has just received it touches it;
 * the message that carries it orders each access after the previous one. */
static unsigned int g_ball;

static void worker_start(void *arg);
static void ping(void *ctx);
static void part_done(void *ctx);
static void sum_step(struct spdk_io_channel_iter *i);
static void sum_done(struct spdk_io_channel_iter *i, int status);
static void worker_release(void *arg);
static void worker_released(void *ctx);
static void device_unregistered(void *io_device);

static void
check(bool ok, const char *what)
{
	if (!ok) {
		printf("  CHECK FAILED: %s\n", what);
		atomic_fetch_add(&g_failures, 1);
	}
}

static void
send_to(struct spdk_thread *thread, spdk_msg_fn fn, void *ctx)
{
	check(spdk_thread_send_msg(thread, fn, ctx) == 0, "spdk_thread_send_msg");
}

#define APP_THREAD (g_workers[0].thread)

/* Channel callbacks run on the thread that gets or releases the channel. */
static int
counter_create_cb(void *io_device, void *ctx_buf)
{
	struct counter_channel *cc = ctx_buf;

	cc->count = 0;
	atomic_fetch_add(&g_channels, 1);
	return 0;
}

static void
counter_destroy_cb(void *io_device, void *ctx_buf)
{
	atomic_fetch_sub(&g_channels, 1);
}

/* Step 1, on the app thread: register the device and start the workers. */
static void
start(void *ctx)
{
	spdk_io_device_register(&g_dev, counter_create_cb, counter_destroy_cb,
				sizeof(struct counter_channel), "counter");
	printf("  %s: registered the I/O device \"counter\"\n", spdk_thread_get_name(APP_THREAD));
	for (int n = 0; n < NUM_THREADS; n++) {
		send_to(g_workers[n].thread, worker_start, &g_workers[n]);
	}
	send_to(g_workers[1].thread, ping, NULL);
}

/* Step 2, on every thread: take this thread's channel and start a poller.
 * A poller runs on every poll of its thread (period 0). It says BUSY when it
 * did work, so that a scheduler can tell busy threads from idle ones. */
static int
count_poller(void *arg)
{
	struct worker *w = arg;
	struct counter_channel *cc = spdk_io_channel_get_ctx(w->ch);

	if (++cc->count == WORK_ITEMS) {
		/* A poller may unregister itself; it is freed after it returns. */
		spdk_poller_unregister(&w->poller);
		send_to(APP_THREAD, part_done, NULL);
	}
	return SPDK_POLLER_BUSY;
}

static void
worker_start(void *arg)
{
	struct worker *w = arg;

	w->ch = spdk_get_io_channel(&g_dev);
	w->poller = w->ch != NULL ? SPDK_POLLER_REGISTER(count_poller, w, 0) : NULL;
	check(w->poller != NULL, "channel and poller");
}

/* Meanwhile the ball travels between workers 1 and 2, polled by different
 * pthreads. Sending never waits; the handler runs later on the receiver. */
static void
ping(void *ctx)
{
	bool on_1 = spdk_get_thread() == g_workers[1].thread;

	if (++g_ball < PING_PONG_HOPS) {
		send_to(g_workers[on_1 ? 2 : 1].thread, ping, NULL);
	} else {
		send_to(APP_THREAD, part_done, NULL);
	}
}

/* Step 3, on the app thread, once every poller and the ping-pong are done:
 * visit every thread that holds a channel, one after another. */
static void
part_done(void *ctx)
{
	if (++g_parts_done == NUM_THREADS + 1) {
		spdk_for_each_channel(&g_dev, sum_step, NULL, sum_done);
	}
}

/* Runs on each channel's own thread, so it may read the context. The visits
 * never overlap, so the running total needs no atomics either. */
static void
sum_step(struct spdk_io_channel_iter *i)
{
	struct counter_channel *cc = spdk_io_channel_get_ctx(spdk_io_channel_iter_get_channel(i));

	g_total += cc->count;
	g_visited++;
	spdk_for_each_channel_continue(i, 0);
}

static void
sum_done(struct spdk_io_channel_iter *i, int status)
{
	check(atomic_load(&g_channels) == NUM_THREADS, "one channel per thread");
	check(status == 0 && g_visited == NUM_THREADS, "every channel visited");
	check(g_total == (uint64_t)NUM_THREADS * WORK_ITEMS, "sum of the counters");
	check(g_ball == PING_PONG_HOPS, "every ping-pong message delivered");
	printf("  pollers: %d threads counted %d items each in their own channels\n"
	       "  ping-pong: %u messages between worker1 and worker2, on different pthreads\n",
	       NUM_THREADS, WORK_ITEMS, g_ball);
	printf("  for_each_channel: visited %u channels, total %" PRIu64 " (expected %d)\n",
	       g_visited, g_total, NUM_THREADS * WORK_ITEMS);
	for (int n = 0; n < NUM_THREADS; n++) {
		send_to(g_workers[n].thread, worker_release, &g_workers[n]);
	}
}

/* Step 4, teardown. Each thread puts its channel (only the owner may) and
 * asks to exit. Exiting takes effect only once the thread holds nothing more
 * (no channel, poller or queued message), so the channel's deferred release
 * still runs. The app thread owns the device, so it goes last. */
static void
worker_release(void *arg)
{
	struct worker *w = arg;

	spdk_put_io_channel(w->ch);
	w->ch = NULL;
	if (w->thread != APP_THREAD) {
		spdk_thread_exit(w->thread);
	}
	send_to(APP_THREAD, worker_released, NULL);
}

static void
worker_released(void *ctx)
{
	if (++g_released == NUM_THREADS) {
		/* The callback comes once the last channel is really gone. */
		spdk_io_device_unregister(&g_dev, device_unregistered);
	}
}

static void
device_unregistered(void *io_device)
{
	check(atomic_load(&g_channels) == 0, "every channel destroyed");
	printf("  teardown: %d channels released, the device unregistered\n", NUM_THREADS);
	spdk_thread_exit(APP_THREAD);
}

/* An OS thread's whole job: poll its spdk_threads until they have exited.
 * A real reactor would sleep while all of them are idle; this one yields. */
static void *
pthread_main(void *arg)
{
	struct worker *mine = arg;
	int busy, live;

	do {
		busy = live = 0;
		for (int n = 0; n < PER_PTHREAD; n++) {
			if (!spdk_thread_is_exited(mine[n].thread)) {
				live++;
				busy += spdk_thread_poll(mine[n].thread, 0, 0);
			}
		}
		if (busy == 0) {
			sched_yield();
		}
	} while (live > 0);
	return NULL;
}

int
main(void)
{
	pthread_t pthreads[NUM_PTHREADS];
	char name[32];

	alarm(10); /* a hang is a failure too: SIGALRM ends the program */

	/* NULL: no scheduler; this program polls its threads itself. */
	if (spdk_thread_lib_init(NULL, 0) != 0) {
		printf("hello_thread: spdk_thread_lib_init failed\n");
		return 1;
	}
	printf("hello_thread: %d spdk_threads polled by %d pthreads\n", NUM_THREADS, NUM_PTHREADS);
	for (int n = 0; n < NUM_THREADS; n++) {
		/* The first thread created becomes the app thread. */
		snprintf(name, sizeof(name), "worker%d", n);
		g_workers[n].thread = spdk_thread_create(n == 0 ? "app_thread" : name, NULL);
		if (g_workers[n].thread == NULL) {
			printf("hello_thread: spdk_thread_create failed\n");
			return 1;
		}
	}

	/* Any OS thread may send a message, even one that polls no spdk_thread. */
	send_to(APP_THREAD, start, NULL);
	for (int p = 0; p < NUM_PTHREADS; p++) {
		/* pthread p polls the PER_PTHREAD workers from p * PER_PTHREAD on. */
		if (pthread_create(&pthreads[p], NULL, pthread_main, &g_workers[p * PER_PTHREAD])) {
			printf("hello_thread: pthread_create failed\n");
			return 1;
		}
	}
	for (int p = 0; p < NUM_PTHREADS; p++) {
		pthread_join(pthreads[p], NULL);
	}

	/* Nothing polls the threads any more, so they can be freed. The library
	 * keeps the app thread until spdk_thread_lib_fini(). */
	for (int n = NUM_THREADS - 1; n >= 0; n--) {
		check(spdk_thread_is_exited(g_workers[n].thread), "thread exited");
		spdk_thread_destroy(g_workers[n].thread);
	}
	spdk_thread_lib_fini();
	printf("  teardown: all threads exited and freed\n");

	if (atomic_load(&g_failures) != 0) {
		printf("hello_thread: FAILED (%d checks)\n", atomic_load(&g_failures));
		return 1;
	}
	printf("hello_thread: OK\n");
	return 0;
}
