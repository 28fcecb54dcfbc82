/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The env's clock: spdk_get_ticks(), its rate and short delays. On x86_64 the
 * ticks are the time-stamp counter when the CPU promises it runs at a constant
 * rate through idle states, because reading it costs a few nanoseconds and
 * every poller and I/O statistic reads the clock. Its rate is measured once,
 * on first need, against CLOCK_MONOTONIC_RAW. Everywhere else the ticks are
 * CLOCK_MONOTONIC nanoseconds.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/likely.h"
#include "spdk/log.h"

/* Which clock spdk_get_ticks() reads. */
enum ticks_source {
	/* Not chosen yet. */
	TICKS_SOURCE_UNKNOWN = 0,
	/* The x86 time-stamp counter. */
	TICKS_SOURCE_TSC,
	/* CLOCK_MONOTONIC in nanoseconds. */
	TICKS_SOURCE_CLOCK,
};

#define TICKS_NS_PER_SEC UINT64_C(1000000000)
/* How long the TSC rate measurement lasts. */
#define TICKS_CALIBRATE_NS UINT64_C(10000000)
/* spdk_delay_us() sleeps for waits longer than this, then spins for this long. */
#define TICKS_DELAY_SPIN_NS UINT64_C(100000)

/*
 * Written once (possibly by several threads racing, all writing the same value)
 * and read on every spdk_get_ticks(). It publishes no other data, so relaxed
 * accesses suffice; they compile to plain loads and stores.
 */
static _Atomic int g_ticks_source;
static pthread_once_t g_ticks_source_once = PTHREAD_ONCE_INIT;

/* Written inside g_ticks_hz_once; pthread_once orders it before every reader. */
static uint64_t g_ticks_hz;
static pthread_once_t g_ticks_hz_once = PTHREAD_ONCE_INIT;

static uint64_t
ticks_clock_ns(clockid_t clock)
{
	struct timespec ts;

	clock_gettime(clock, &ts);
	return (uint64_t)ts.tv_sec * TICKS_NS_PER_SEC + (uint64_t)ts.tv_nsec;
}

static void
ticks_sleep_until(clockid_t clock, uint64_t deadline_ns)
{
	struct timespec ts = {
		.tv_sec = (time_t)(deadline_ns / TICKS_NS_PER_SEC),
		.tv_nsec = (long)(deadline_ns % TICKS_NS_PER_SEC),
	};

	while (clock_nanosleep(clock, TIMER_ABSTIME, &ts, NULL) == EINTR) {
	}
}

#if defined(__x86_64__)
static uint64_t
ticks_rdtsc(void)
{
	return __builtin_ia32_rdtsc();
}

/* Whether the space-separated list s (up to end) holds the word w. */
static bool
ticks_has_word(const char *s, const char *end, const char *w)
{
	size_t wlen = strlen(w);
	const char *p = s;

	while ((p = strstr(p, w)) != NULL && p < end) {
		bool starts = p == s || p[-1] == ' ' || p[-1] == '\t' || p[-1] == ':';
		char after = p[wlen];

		if (starts && (after == ' ' || after == '\n' || after == '\0')) {
			return true;
		}
		p += wlen;
	}
	return false;
}

/* Reads the first "flags" line of /proc/cpuinfo. */
static bool
ticks_tsc_is_stable(void)
{
	FILE *f = fopen("/proc/cpuinfo", "re");
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	bool stable = false;

	if (f == NULL) {
		return false;
	}
	while ((len = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "flags", 5) == 0) {
			stable = ticks_has_word(line, line + len, "constant_tsc") &&
				 ticks_has_word(line, line + len, "nonstop_tsc");
			break;
		}
	}
	free(line);
	fclose(f);
	return stable;
}
#endif

static void
ticks_choose_source(void)
{
	int source = TICKS_SOURCE_CLOCK;

#if defined(__x86_64__)
	if (ticks_tsc_is_stable()) {
		source = TICKS_SOURCE_TSC;
	}
#endif
	atomic_store_explicit(&g_ticks_source, source, memory_order_relaxed);
}

static int
ticks_source(void)
{
	int source = atomic_load_explicit(&g_ticks_source, memory_order_relaxed);

	if (spdk_unlikely(source == TICKS_SOURCE_UNKNOWN)) {
		pthread_once(&g_ticks_source_once, ticks_choose_source);
		source = atomic_load_explicit(&g_ticks_source, memory_order_relaxed);
	}
	return source;
}

uint64_t
spdk_get_ticks(void)
{
	int source = atomic_load_explicit(&g_ticks_source, memory_order_relaxed);

#if defined(__x86_64__)
	if (spdk_likely(source == TICKS_SOURCE_TSC)) {
		return ticks_rdtsc();
	}
#endif
	if (spdk_unlikely(source == TICKS_SOURCE_UNKNOWN)) {
		source = ticks_source();
#if defined(__x86_64__)
		if (source == TICKS_SOURCE_TSC) {
			return ticks_rdtsc();
		}
#endif
	}
	return ticks_clock_ns(CLOCK_MONOTONIC);
}

#if defined(__x86_64__)
/*
 * One (tsc, ns) pair read as close together as possible: the clock read is
 * bracketed by two TSC reads, the tightest of a few tries wins, and its TSC
 * midpoint is paired with the clock.
 */
static void
ticks_sample(uint64_t *tsc, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	int i;

	for (i = 0; i < 5; i++) {
		uint64_t before = ticks_rdtsc();
		uint64_t now = ticks_clock_ns(CLOCK_MONOTONIC_RAW);
		uint64_t after = ticks_rdtsc();

		if (after - before < best) {
			best = after - before;
			*tsc = before + (after - before) / 2;
			*ns = now;
		}
	}
}
#endif

static void
ticks_calibrate(void)
{
#if defined(__x86_64__)
	uint64_t tsc0, ns0, tsc1, ns1;

	if (ticks_source() == TICKS_SOURCE_TSC) {
		ticks_sample(&tsc0, &ns0);
		ticks_sleep_until(CLOCK_MONOTONIC,
				  ticks_clock_ns(CLOCK_MONOTONIC) + TICKS_CALIBRATE_NS);
		ticks_sample(&tsc1, &ns1);
		if (ns1 > ns0 && tsc1 > tsc0) {
			double hz = (double)(tsc1 - tsc0) * (double)TICKS_NS_PER_SEC /
				    (double)(ns1 - ns0);

			g_ticks_hz = (uint64_t)(hz + 0.5);
			return;
		}
		/* The TSC did not advance: keep the ticks but warn, the rate is a guess. */
		SPDK_WARNLOG("cannot measure the TSC rate; assuming 1 GHz\n");
		g_ticks_hz = TICKS_NS_PER_SEC;
		return;
	}
#endif
	g_ticks_hz = TICKS_NS_PER_SEC;
}

uint64_t
spdk_get_ticks_hz(void)
{
	pthread_once(&g_ticks_hz_once, ticks_calibrate);
	return g_ticks_hz;
}

void
spdk_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ volatile("yield" ::: "memory");
#endif
}

void
spdk_delay_us(unsigned int us)
{
	uint64_t now = ticks_clock_ns(CLOCK_MONOTONIC);
	uint64_t deadline = now + (uint64_t)us * 1000;

	/* Sleeping wakes up late by the timer slack (50 us by default), so sleep
	 * to a little before the deadline and spin the rest. */
	if (deadline - now > 2 * TICKS_DELAY_SPIN_NS) {
		ticks_sleep_until(CLOCK_MONOTONIC, deadline - TICKS_DELAY_SPIN_NS);
	}
	while (ticks_clock_ns(CLOCK_MONOTONIC) < deadline) {
		spdk_pause();
	}
}
