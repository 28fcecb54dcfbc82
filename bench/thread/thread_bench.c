/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * thread_bench: the cost of the thread library's hot paths. It measures
 * (1) cross-thread messages per second, from one producer pthread to one
 * spdk_thread polled by a consumer pthread on another core, (2) the cost of
 * dispatching an active poller, with 1 and 16 pollers on a thread, and (3)
 * the cost of a spdk_get_io_channel() + spdk_put_io_channel() pair on a
 * thread that already holds the channel, plus, for information, the cost of
 * a pair that creates and releases the channel each time. Each figure is the
 * median of several runs. Results are recorded in bench/RESULTS.md.
 *
 * Usage: thread_bench [-n messages] [-r runs] [-q]
 *   -n  messages per message run (default 50000000)
 *   -r  runs of each measurement; the median is reported (default 5)
 *   -q  quick: fewer messages and iterations, for a smoke test
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"

#define MAX_RUNS 64
#define DEFAULT_MESSAGES 50000000ULL
#define DEFAULT_RUNS 5
#define POLLER_POLLS 2000000ULL
#define CHANNEL_PAIRS 50000000ULL
#define UNCACHED_PAIRS 1000000ULL

/* ---------------------------------------------------------------------- */
/* State and helpers                                                       */
/* ---------------------------------------------------------------------- */

struct bench {
	uint64_t messages;
	uint32_t runs;
	uint64_t poller_polls;
	uint64_t channel_pairs;
	uint64_t uncached_pairs;
	int producer_cpu;
	int consumer_cpu;

	/* Message run: the consumer's count, touched only by the consumer. */
	uint64_t received;
	struct spdk_thread *target;
	uint64_t send_failures;
	int go;
	/* Per-poller invocation counter. */
	uint64_t poller_runs;
};

static struct bench g_bench;

static uint64_t
now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y ? 1 : 0;
}

/* Sort v[0..n) and return its median. */
static double
median(double *v, uint32_t n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
report(const char *what, const char *unit, double *v, uint32_t n, double scale)
{
	double med = median(v, n);

	printf("%-46s %12.2f %-8s (min %.2f, max %.2f, %u runs)\n", what, med / scale, unit,
	       v[0] / scale, v[n - 1] / scale, n);
}

static void
pin_to(int cpu)
{
	cpu_set_t set;

	if (cpu < 0) {
		return;
	}
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set) != 0) {
		fprintf(stderr, "thread_bench: cannot pin to CPU %d\n", cpu);
	}
}

static struct spdk_thread *
bench_thread_create(const char *name)
{
	struct spdk_thread *thread = spdk_thread_create(name, NULL);

	if (thread == NULL) {
		fprintf(stderr, "thread_bench: spdk_thread_create(%s) failed\n", name);
		exit(1);
	}
	return thread;
}

static void
bench_thread_destroy(struct spdk_thread *thread)
{
	spdk_set_thread(thread);
	spdk_thread_exit(thread);
	while (!spdk_thread_is_exited(thread)) {
		spdk_thread_poll(thread, 0, 0);
	}
	spdk_thread_destroy(thread);
	spdk_set_thread(NULL);
}

/* ---------------------------------------------------------------------- */
/* (1) Cross-thread messages                                               */
/* ---------------------------------------------------------------------- */

static void
msg_count(void *ctx)
{
	g_bench.received++;
}

static void *
producer_main(void *arg)
{
	struct spdk_thread *target = g_bench.target;
	uint64_t i, n = g_bench.messages, failures = 0;

	pin_to(g_bench.producer_cpu);
	while (!__atomic_load_n(&g_bench.go, __ATOMIC_ACQUIRE)) {
	}
	for (i = 0; i < n; i++) {
		if (spdk_unlikely(spdk_thread_send_msg(target, msg_count, NULL) != 0)) {
			failures++;
		}
	}
	g_bench.send_failures = failures;
	return NULL;
}

/* One run: returns messages per second. The consumer is the calling pthread;
 * with read_ticks it passes a tick value it reads once per poll, as a reactor
 * does, otherwise 0 (the thread reads the clock itself). */
static double
run_messages(struct spdk_thread *thread, bool read_ticks)
{
	pthread_t producer;
	uint64_t start, end, n = g_bench.messages;

	g_bench.target = thread;
	g_bench.received = 0;
	g_bench.send_failures = 0;
	__atomic_store_n(&g_bench.go, 0, __ATOMIC_RELEASE);
	pthread_create(&producer, NULL, producer_main, NULL);

	start = now_ns();
	__atomic_store_n(&g_bench.go, 1, __ATOMIC_RELEASE);
	if (read_ticks) {
		while (g_bench.received < n) {
			spdk_thread_poll(thread, 0, spdk_get_ticks());
		}
	} else {
		while (g_bench.received < n) {
			spdk_thread_poll(thread, 0, 0);
		}
	}
	end = now_ns();
	pthread_join(producer, NULL);
	if (g_bench.send_failures != 0) {
		fprintf(stderr, "thread_bench: %" PRIu64 " sends failed\n", g_bench.send_failures);
		exit(1);
	}
	return (double)n * 1e9 / (double)(end - start);
}

static void
bench_messages(void)
{
	struct spdk_thread *thread = bench_thread_create("consumer");
	double v[MAX_RUNS];
	uint32_t r;

	pin_to(g_bench.consumer_cpu);
	for (r = 0; r < g_bench.runs; r++) {
		v[r] = run_messages(thread, false);
	}
	report("messages/s, 1 producer -> 1 consumer, now=0", "M/s", v, g_bench.runs, 1e6);
	for (r = 0; r < g_bench.runs; r++) {
		v[r] = run_messages(thread, true);
	}
	report("messages/s, 1 producer -> 1 consumer, now=tsc", "M/s", v, g_bench.runs, 1e6);
	bench_thread_destroy(thread);
}

/* ---------------------------------------------------------------------- */
/* (2) Poller dispatch                                                     */
/* ---------------------------------------------------------------------- */

static int
poller_busy(void *arg)
{
	g_bench.poller_runs++;
	return SPDK_POLLER_BUSY;
}

/* ns per poller invocation with `count` active pollers (0: ns per empty poll). */
static double
run_pollers(uint32_t count)
{
	struct spdk_thread *thread = bench_thread_create("pollers");
	struct spdk_poller *pollers[64];
	uint64_t i, start, end, now, polls = g_bench.poller_polls;
	uint32_t k;

	spdk_set_thread(thread);
	for (k = 0; k < count; k++) {
		pollers[k] = spdk_poller_register(poller_busy, NULL, 0);
	}
	g_bench.poller_runs = 0;
	now = spdk_get_ticks();
	start = now_ns();
	for (i = 0; i < polls; i++) {
		spdk_thread_poll(thread, 0, now);
	}
	end = now_ns();
	if (g_bench.poller_runs != polls * count) {
		fprintf(stderr, "thread_bench: %" PRIu64 " poller runs, expected %" PRIu64 "\n",
			g_bench.poller_runs, polls * count);
		exit(1);
	}
	for (k = 0; k < count; k++) {
		spdk_poller_unregister(&pollers[k]);
	}
	spdk_set_thread(NULL);
	bench_thread_destroy(thread);
	return (double)(end - start) / (double)(polls * (count ? count : 1));
}

static void
bench_pollers(void)
{
	static const uint32_t counts[] = {0, 1, 16};
	double v[MAX_RUNS];
	char what[64];
	uint32_t c, r;

	for (c = 0; c < sizeof(counts) / sizeof(counts[0]); c++) {
		for (r = 0; r < g_bench.runs; r++) {
			v[r] = run_pollers(counts[c]);
		}
		if (counts[c] == 0) {
			snprintf(what, sizeof(what), "empty spdk_thread_poll (explicit now)");
		} else {
			snprintf(what, sizeof(what), "poller dispatch, %u active poller(s)",
				 counts[c]);
		}
		report(what, "ns", v, g_bench.runs, 1);
	}
}

/* ---------------------------------------------------------------------- */
/* (3) Channels                                                            */
/* ---------------------------------------------------------------------- */

static int g_device;

static int
channel_create(void *io_device, void *ctx)
{
	return 0;
}

static void
channel_destroy(void *io_device, void *ctx)
{
}

static void
device_unregistered(void *io_device)
{
}

/* ns per get+put pair while the thread holds a reference all along. */
static double
run_cached_pairs(void)
{
	struct spdk_io_channel *held, *ch;
	uint64_t i, start, end, pairs = g_bench.channel_pairs;

	held = spdk_get_io_channel(&g_device);
	start = now_ns();
	for (i = 0; i < pairs; i++) {
		ch = spdk_get_io_channel(&g_device);
		spdk_put_io_channel(ch);
	}
	end = now_ns();
	spdk_put_io_channel(held);
	return (double)(end - start) / (double)pairs;
}

/* ns per get + put + poll that creates and releases the channel. */
static double
run_uncached_pairs(struct spdk_thread *thread)
{
	struct spdk_io_channel *ch;
	uint64_t i, start, end, pairs = g_bench.uncached_pairs;

	start = now_ns();
	for (i = 0; i < pairs; i++) {
		ch = spdk_get_io_channel(&g_device);
		spdk_put_io_channel(ch);
		spdk_thread_poll(thread, 0, 0);
	}
	end = now_ns();
	return (double)(end - start) / (double)pairs;
}

static void
bench_channels(void)
{
	struct spdk_thread *thread = bench_thread_create("channels");
	double v[MAX_RUNS];
	uint32_t r;

	spdk_set_thread(thread);
	spdk_io_device_register(&g_device, channel_create, channel_destroy, 64, "bench_dev");
	for (r = 0; r < g_bench.runs; r++) {
		v[r] = run_cached_pairs();
	}
	report("get+put channel pair, cached", "ns", v, g_bench.runs, 1);
	for (r = 0; r < g_bench.runs; r++) {
		v[r] = run_uncached_pairs(thread);
	}
	report("get+put+poll, channel created and released", "ns", v, g_bench.runs, 1);
	spdk_io_device_unregister(&g_device, device_unregistered);
	spdk_set_thread(NULL);
	bench_thread_destroy(thread);
}

/* ---------------------------------------------------------------------- */
/* main                                                                    */
/* ---------------------------------------------------------------------- */

static void
usage(const char *prog)
{
	fprintf(stderr, "usage: %s [-n messages] [-r runs] [-q]\n", prog);
	exit(2);
}

int
main(int argc, char **argv)
{
	struct spdk_thread *app;
	char *end;
	int opt;

	g_bench.messages = DEFAULT_MESSAGES;
	g_bench.runs = DEFAULT_RUNS;
	g_bench.poller_polls = POLLER_POLLS;
	g_bench.channel_pairs = CHANNEL_PAIRS;
	g_bench.uncached_pairs = UNCACHED_PAIRS;
	while ((opt = getopt(argc, argv, "n:r:q")) != -1) {
		switch (opt) {
		case 'n':
			g_bench.messages = strtoull(optarg, &end, 10);
			if (*end != '\0' || g_bench.messages == 0) {
				usage(argv[0]);
			}
			break;
		case 'r':
			g_bench.runs = (uint32_t)strtoul(optarg, &end, 10);
			if (*end != '\0' || g_bench.runs == 0 || g_bench.runs > MAX_RUNS) {
				usage(argv[0]);
			}
			break;
		case 'q':
			g_bench.messages = 1000000;
			g_bench.runs = 3;
			g_bench.poller_polls = 100000;
			g_bench.channel_pairs = 1000000;
			g_bench.uncached_pairs = 100000;
			break;
		default:
			usage(argv[0]);
		}
	}

#ifndef NDEBUG
	printf("warning: thread_bench was built without NDEBUG (not a Release build); "
	       "its figures are not representative\n");
#endif
	if (sysconf(_SC_NPROCESSORS_ONLN) >= 2) {
		g_bench.producer_cpu = 0;
		g_bench.consumer_cpu = 1;
	} else {
		printf("warning: one CPU only; producer and consumer share it\n");
		g_bench.producer_cpu = -1;
		g_bench.consumer_cpu = -1;
	}

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		fprintf(stderr, "thread_bench: spdk_thread_lib_init failed\n");
		return 1;
	}
	app = bench_thread_create("app");
	printf("thread_bench: %" PRIu64 " messages per run, %u runs each, tick rate %" PRIu64
	       " Hz\n",
	       g_bench.messages, g_bench.runs, spdk_get_ticks_hz());

	bench_messages();
	bench_pollers();
	bench_channels();

	bench_thread_destroy(app);
	spdk_thread_lib_fini();
	return 0;
}
