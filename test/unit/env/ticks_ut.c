/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/env/ticks.c: the tick counter is monotonic, its rate is
 * plausible, agrees with the system clock and is the same from every
 * pthread, the CPU-flag check behaves, the clock fallback counts
 * nanoseconds, and spdk_delay_us() waits at least as long as asked.
 */

#include "spdk/stdinc.h"
#include "env/ticks.c"

#include <setjmp.h>
#include <cmocka.h>

static uint64_t
now_ns(void)
{
	return ticks_clock_ns(CLOCK_MONOTONIC);
}

static void
ticks_never_go_backwards(void **state)
{
	uint64_t prev = spdk_get_ticks();
	int i;

	for (i = 0; i < 100000; i++) {
		uint64_t t = spdk_get_ticks();

		assert_true(t >= prev);
		prev = t;
	}
}

static void
ticks_hz_is_plausible_and_matches_the_clock(void **state)
{
	uint64_t hz = spdk_get_ticks_hz();
	uint64_t t0, t1, ns0, ns1;
	double measured, expected;

	/* Between 100 MHz and 10 GHz: any TSC, or the 1 GHz clock fallback. */
	assert_true(hz >= UINT64_C(100000000));
	assert_true(hz <= UINT64_C(10000000000));
	assert_int_equal(spdk_get_ticks_hz(), hz);

	ns0 = now_ns();
	t0 = spdk_get_ticks();
	ticks_sleep_until(CLOCK_MONOTONIC, ns0 + 20000000);
	t1 = spdk_get_ticks();
	ns1 = now_ns();
	measured = (double)(t1 - t0) / (double)hz;
	expected = (double)(ns1 - ns0) / 1e9;
	/* The tick span lies inside the clock span, so it can only come out
	 * shorter (by a preemption between the reads) or off by the rate error. */
	assert_true(measured > expected * 0.8);
	assert_true(measured < expected * 1.02);
	assert_true(measured >= 0.019);
}

static void *
read_hz(void *arg)
{
	*(uint64_t *)arg = spdk_get_ticks_hz();
	return NULL;
}

static void
ticks_hz_is_the_same_on_every_pthread(void **state)
{
	uint64_t hz[4];
	pthread_t t[4];
	int i;

	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_create(&t[i], NULL, read_hz, &hz[i]), 0);
	}
	for (i = 0; i < 4; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(hz[i], spdk_get_ticks_hz());
	}
}

static void
clock_fallback_counts_nanoseconds(void **state)
{
	int saved = atomic_load(&g_ticks_source);
	uint64_t before, ticks, after;

	atomic_store(&g_ticks_source, TICKS_SOURCE_CLOCK);
	before = now_ns();
	ticks = spdk_get_ticks();
	after = now_ns();
	atomic_store(&g_ticks_source, saved);
	assert_true(ticks >= before);
	assert_true(ticks <= after);
}

static void
tsc_choice_follows_the_cpu_flags(void **state)
{
#if defined(__x86_64__)
	static const char good[] = "flags\t\t: fpu tsc constant_tsc rep_good nonstop_tsc cpuid\n";
	static const char first[] = "flags\t\t:constant_tsc nonstop_tsc\n";
	static const char lookalike[] = "flags : constant_tsc_x xnonstop_tsc\n";

	assert_true(ticks_has_word(good, good + strlen(good), "constant_tsc"));
	assert_true(ticks_has_word(good, good + strlen(good), "nonstop_tsc"));
	assert_true(ticks_has_word(first, first + strlen(first), "constant_tsc"));
	assert_false(ticks_has_word(lookalike, lookalike + strlen(lookalike), "constant_tsc"));
	assert_false(ticks_has_word(lookalike, lookalike + strlen(lookalike), "nonstop_tsc"));
	assert_int_equal(ticks_source(),
			 ticks_tsc_is_stable() ? TICKS_SOURCE_TSC : TICKS_SOURCE_CLOCK);
#else
	assert_int_equal(ticks_source(), TICKS_SOURCE_CLOCK);
	assert_int_equal(spdk_get_ticks_hz(), TICKS_NS_PER_SEC);
#endif
}

static void
delay_us_waits_at_least_as_long_as_asked(void **state)
{
	static const unsigned delays[] = {0, 1, 50, 250, 3000};
	size_t i;

	for (i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
		uint64_t start = now_ns();

		spdk_delay_us(delays[i]);
		assert_true(now_ns() - start >= (uint64_t)delays[i] * 1000);
	}
	spdk_pause();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(ticks_never_go_backwards),
		cmocka_unit_test(ticks_hz_is_plausible_and_matches_the_clock),
		cmocka_unit_test(ticks_hz_is_the_same_on_every_pthread),
		cmocka_unit_test(clock_fallback_counts_nanoseconds),
		cmocka_unit_test(tsc_choice_follows_the_cpu_flags),
		cmocka_unit_test(delay_us_waits_at_least_as_long_as_asked),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
