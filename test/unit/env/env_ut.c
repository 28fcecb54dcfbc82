/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/env/env.c: the default core set (the process's CPU
 * affinity), core iteration, spdk_env_init() with masks and lists and its
 * refusals, re-initialisation, the current core of each pthread, pinned
 * threads and spdk_env_thread_wait_all(). The tests derive every mask from
 * the affinity they find, so they pass on any machine and under taskset.
 */

#include "spdk/stdinc.h"
#include "env/env.c"

#include <setjmp.h>
#include <cmocka.h>

#include "log_capture.h"

/* The CPUs this process may use, read independently of the code under test. */
static cpu_set_t g_allowed;

static uint32_t
allowed_count(void)
{
	return (uint32_t)CPU_COUNT(&g_allowed);
}

static uint32_t
allowed_first(void)
{
	uint32_t cpu;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &g_allowed)) {
			return cpu;
		}
	}
	return UINT32_MAX;
}

static uint32_t
allowed_last(void)
{
	uint32_t cpu, last = UINT32_MAX;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		if (CPU_ISSET(cpu, &g_allowed)) {
			last = cpu;
		}
	}
	return last;
}

/* A CPU number below ENV_MAX_CORES that the process may not use, or UINT32_MAX. */
static uint32_t
disallowed_cpu(void)
{
	uint32_t cpu;

	for (cpu = ENV_MAX_CORES - 1; cpu > 0; cpu--) {
		if (!CPU_ISSET(cpu, &g_allowed)) {
			return cpu;
		}
	}
	return UINT32_MAX;
}

/* Writes the allowed set as a hex mask, most significant digit first. */
static void
allowed_hex(char *buf, size_t len)
{
	int top = (int)allowed_last() / 4;
	size_t used;
	int d;

	used = (size_t)snprintf(buf, len, "0x");
	for (d = top; d >= 0 && used + 1 < len; d--) {
		unsigned v = 0, b;

		for (b = 0; b < 4; b++) {
			if (CPU_ISSET((unsigned)d * 4 + b, &g_allowed)) {
				v |= 1u << b;
			}
		}
		buf[used++] = "0123456789abcdef"[v];
	}
	buf[used] = '\0';
}

static int
setup(void **state)
{
	CPU_ZERO(&g_allowed);
	return sched_getaffinity(0, sizeof(g_allowed), &g_allowed) == 0 ? 0 : -1;
}

static void
init_opts(struct spdk_env_opts *opts, const char *mask)
{
	spdk_env_opts_init(opts);
	opts->name = "env_ut";
	opts->core_mask = mask;
}

static void
cores_default_to_the_affinity_mask_before_init(void **state)
{
	uint32_t core, n = 0;

	assert_int_equal(spdk_env_get_core_count(), allowed_count());
	assert_int_equal(spdk_env_get_first_core(), allowed_first());
	assert_int_equal(spdk_env_get_last_core(), allowed_last());
	assert_int_equal(spdk_env_get_main_core(), allowed_first());
	assert_int_equal(spdk_env_get_current_core(), SPDK_ENV_LCORE_ID_ANY);
	SPDK_ENV_FOREACH_CORE(core)
	{
		assert_true(CPU_ISSET(core, &g_allowed));
		n++;
	}
	assert_int_equal(n, allowed_count());
}

static void
opts_init_fills_defaults(void **state)
{
	struct spdk_env_opts opts;

	memset(&opts, 0xff, sizeof(opts));
	spdk_env_opts_init(&opts);
	assert_string_equal(opts.name, "spdk");
	assert_null(opts.core_mask);
	assert_null(opts.lcore_map);
	assert_int_equal(opts.main_core, -1);
	assert_int_equal(opts.shm_id, -1);
	assert_int_equal(opts.mem_size, -1);
	assert_false(opts.no_pci);
	assert_false(opts.no_huge);
	assert_false(opts.enforce_numa);
	assert_int_equal(opts.opts_size, sizeof(opts));
	spdk_env_opts_init(NULL);
}

static void
init_with_hex_mask_selects_those_cores(void **state)
{
	struct spdk_env_opts opts;
	char mask[300];
	uint32_t core, prev = UINT32_MAX, n = 0;

	allowed_hex(mask, sizeof(mask));
	init_opts(&opts, mask);
	assert_int_equal(spdk_env_init(&opts), 0);
	assert_int_equal(spdk_env_get_core_count(), allowed_count());
	assert_int_equal(spdk_env_get_main_core(), allowed_first());
	assert_int_equal(spdk_env_get_current_core(), allowed_first());
	SPDK_ENV_FOREACH_CORE(core)
	{
		assert_true(prev == UINT32_MAX || core > prev);
		assert_true(CPU_ISSET(core, &g_allowed));
		prev = core;
		n++;
	}
	assert_int_equal(n, allowed_count());
	assert_int_equal(prev, spdk_env_get_last_core());
	assert_int_equal(spdk_env_get_next_core(spdk_env_get_last_core()), UINT32_MAX);
	assert_int_equal(spdk_env_get_next_core(UINT32_MAX), UINT32_MAX);
	spdk_env_fini();
	assert_int_equal(spdk_env_get_current_core(), SPDK_ENV_LCORE_ID_ANY);

	/* Without the 0x prefix the mask means the same. */
	init_opts(&opts, mask + 2);
	assert_int_equal(spdk_env_init(&opts), 0);
	assert_int_equal(spdk_env_get_core_count(), allowed_count());
	spdk_env_fini();
}

static void
init_with_list_and_main_core(void **state)
{
	struct spdk_env_opts opts;
	struct env_cores allowed;
	char ranges[256], list[300];

	assert_int_equal(env_affinity(&allowed), 0);
	env_cores_format(&allowed, ranges, sizeof(ranges));
	snprintf(list, sizeof(list), "[%s]", ranges);
	init_opts(&opts, list);
	opts.main_core = (int)allowed_last();
	assert_int_equal(spdk_env_init(&opts), 0);
	assert_int_equal(spdk_env_get_core_count(), allowed_count());
	assert_int_equal(spdk_env_get_first_core(), allowed_first());
	assert_int_equal(spdk_env_get_main_core(), allowed_last());
	assert_int_equal(spdk_env_get_current_core(), allowed_last());
	spdk_env_fini();

	/* A single-core list, with spaces. */
	snprintf(list, sizeof(list), "[ %u ]", allowed_first());
	init_opts(&opts, list);
	assert_int_equal(spdk_env_init(&opts), 0);
	assert_int_equal(spdk_env_get_core_count(), 1);
	assert_int_equal(spdk_env_get_first_core(), allowed_first());
	assert_int_equal(spdk_env_get_last_core(), allowed_first());
	spdk_env_fini();
}

static void
init_without_mask_uses_one_core(void **state)
{
	struct spdk_env_opts opts;

	init_opts(&opts, NULL);
	assert_int_equal(spdk_env_init(&opts), 0);
	assert_int_equal(spdk_env_get_core_count(), 1);
	assert_int_equal(spdk_env_get_main_core(), allowed_first());
	spdk_env_fini();
	/* Back to the affinity set. */
	assert_int_equal(spdk_env_get_core_count(), allowed_count());
}

static void
expect_init_fails(const char *mask, int main_core, const char *message)
{
	struct spdk_env_opts opts;
	unsigned errors = cap_errors();

	init_opts(&opts, mask);
	opts.main_core = main_core;
	assert_int_equal(spdk_env_init(&opts), -EINVAL);
	assert_int_equal(cap_errors(), errors + 1);
	if (!cap_last_has(message)) {
		fail_msg("mask '%s': expected an error containing '%s', got '%s'", mask, message,
			 g_cap_last);
	}
	assert_null(atomic_load(&g_env_active));
	assert_int_equal(spdk_env_get_core_count(), allowed_count());
}

static void
init_refuses_bad_masks_and_names_the_problem(void **state)
{
	static const char *garbage[] = {
		"", "0x", "0xZZ", "12g", "[", "[]", "[1-0]", "[0,", "[0;1]", "[0]x", "[-1]", "[a]",
	};
	char mask[300], msg[400], huge[300];
	uint32_t bad = disallowed_cpu();
	size_t i;

	cap_start();
	for (i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		expect_init_fails(garbage[i], -1, "cannot parse");
	}
	expect_init_fails("0x0", -1, "selects no core");
	expect_init_fails("[5000]", -1, "core 5000");
	memset(huge, '0', sizeof(huge) - 1);
	huge[0] = '1';
	huge[sizeof(huge) - 1] = '\0';
	expect_init_fails(huge, -1, "above the highest supported core");

	if (bad != UINT32_MAX) {
		snprintf(mask, sizeof(mask), "[%u]", bad);
		snprintf(msg, sizeof(msg), "core %u in core mask '%s' is not available", bad, mask);
		expect_init_fails(mask, -1, msg);
	}

	allowed_hex(mask, sizeof(mask));
	expect_init_fails(mask, (int)(bad != UINT32_MAX ? bad : 1023), "main_core");
	expect_init_fails(mask, -5, "main_core -5");
	cap_stop();
}

static void
init_refuses_opts_without_size(void **state)
{
	struct spdk_env_opts opts;

	init_opts(&opts, NULL);
	opts.opts_size = 8;
	cap_start();
	assert_int_equal(spdk_env_init(&opts), -EINVAL);
	assert_int_equal(cap_errors(), 1);
	assert_true(cap_last_has("opts_size"));
	cap_stop();
}

static void
init_twice_fails_and_reinit_after_fini_reuses_the_cores(void **state)
{
	struct spdk_env_opts opts;
	char mask[32];

	/* With nothing to repeat, NULL is refused. */
	g_env_saved_valid = false;
	cap_start();
	assert_int_equal(spdk_env_init(NULL), -EINVAL);
	assert_int_equal(cap_errors(), 1);

	snprintf(mask, sizeof(mask), "[%u]", allowed_last());
	init_opts(&opts, mask);
	assert_int_equal(spdk_env_init(&opts), 0);
	assert_int_equal(spdk_env_init(&opts), -EINVAL);
	assert_int_equal(spdk_env_init(NULL), -EINVAL);
	assert_int_equal(cap_errors(), 3);
	assert_true(cap_last_has("already initialised"));
	spdk_env_fini();
	spdk_env_fini();

	assert_int_equal(spdk_env_init(NULL), 0);
	assert_int_equal(spdk_env_get_core_count(), 1);
	assert_int_equal(spdk_env_get_first_core(), allowed_last());
	spdk_env_fini();
	assert_int_equal(cap_errors(), 3);
	cap_stop();
}

static void
lcore_map_is_ignored_with_a_warning(void **state)
{
	struct spdk_env_opts opts;

	init_opts(&opts, NULL);
	opts.lcore_map = "(0-1)@0";
	cap_start();
	assert_int_equal(spdk_env_init(&opts), 0);
	assert_int_equal(cap_warnings(), 1);
	assert_int_equal(cap_errors(), 0);
	cap_stop();
	assert_int_equal(spdk_env_get_core_count(), 1);
	spdk_env_fini();
}

static void *
read_current_core(void *arg)
{
	*(uint32_t *)arg = spdk_env_get_current_core();
	return NULL;
}

static void
current_core_belongs_to_each_pthread(void **state)
{
	uint32_t other = 0;
	pthread_t t;

	updk__env_set_current_core(7);
	assert_int_equal(spdk_env_get_current_core(), 7);
	assert_int_equal(pthread_create(&t, NULL, read_current_core, &other), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_int_equal(other, SPDK_ENV_LCORE_ID_ANY);
	updk__env_set_current_core(SPDK_ENV_LCORE_ID_ANY);
	assert_int_equal(spdk_env_get_current_core(), SPDK_ENV_LCORE_ID_ANY);
}

/* What a pinned thread saw of itself. */
struct pinned_report {
	uint32_t current_core;
	int cpu;
	bool pinned_to_one_cpu;
	pthread_barrier_t *hold;
};

static struct pinned_report g_reports[ENV_MAX_CORES];

static int
report_pinning(void *arg)
{
	struct pinned_report *r = arg;
	cpu_set_t set;

	r->current_core = spdk_env_get_current_core();
	r->cpu = sched_getcpu();
	CPU_ZERO(&set);
	r->pinned_to_one_cpu = pthread_getaffinity_np(pthread_self(), sizeof(set), &set) == 0 &&
			       CPU_COUNT(&set) == 1 && CPU_ISSET(r->current_core, &set);
	if (r->hold != NULL) {
		pthread_barrier_wait(r->hold);
	}
	return 0;
}

static void
launch_pinned_runs_on_each_core_and_wait_all_joins(void **state)
{
	struct spdk_env_opts opts;
	char mask[300];
	uint32_t core, launched = 0;

	allowed_hex(mask, sizeof(mask));
	init_opts(&opts, mask);
	assert_int_equal(spdk_env_init(&opts), 0);
	memset(g_reports, 0, sizeof(g_reports));
	SPDK_ENV_FOREACH_CORE(core)
	{
		g_reports[core].current_core = SPDK_ENV_LCORE_ID_ANY;
		assert_int_equal(
			spdk_env_thread_launch_pinned(core, report_pinning, &g_reports[core]), 0);
		launched++;
	}
	spdk_env_thread_wait_all();
	assert_true(TAILQ_EMPTY(&g_env_threads));
	SPDK_ENV_FOREACH_CORE(core)
	{
		assert_int_equal(g_reports[core].current_core, core);
		assert_int_equal(g_reports[core].cpu, (int)core);
		assert_true(g_reports[core].pinned_to_one_cpu);
	}
	assert_int_equal(launched, allowed_count());

	/* Once joined, a core can be used again. */
	core = spdk_env_get_first_core();
	assert_int_equal(spdk_env_thread_launch_pinned(core, report_pinning, &g_reports[core]), 0);
	spdk_env_thread_wait_all();
	spdk_env_thread_wait_all();
	spdk_env_fini();
}

static void
launch_pinned_refuses_bad_arguments_and_busy_cores(void **state)
{
	uint32_t core = spdk_env_get_first_core();
	uint32_t bad = disallowed_cpu();
	pthread_barrier_t hold;
	struct pinned_report r = {.hold = &hold};

	assert_int_equal(pthread_barrier_init(&hold, NULL, 2), 0);
	cap_start();
	assert_int_equal(spdk_env_thread_launch_pinned(core, NULL, NULL), -EINVAL);
	assert_true(cap_last_has("fn"));
	assert_int_equal(spdk_env_thread_launch_pinned(UINT32_MAX, report_pinning, &r), -EINVAL);
	assert_true(cap_last_has("not one of the env's cores"));
	if (bad != UINT32_MAX) {
		assert_int_equal(spdk_env_thread_launch_pinned(bad, report_pinning, &r), -EINVAL);
	}

	assert_int_equal(spdk_env_thread_launch_pinned(core, report_pinning, &r), 0);
	assert_int_equal(spdk_env_thread_launch_pinned(core, report_pinning, &r), -EBUSY);
	assert_true(cap_last_has("not been joined"));
	cap_stop();
	pthread_barrier_wait(&hold);
	spdk_env_thread_wait_all();
	assert_int_equal(r.current_core, core);
	pthread_barrier_destroy(&hold);
}

static void
launch_pinned_runs_unpinned_when_the_cpu_is_unusable(void **state)
{
	uint32_t bad = disallowed_cpu();
	struct pinned_report r = {0};

	if (bad == UINT32_MAX) {
		skip();
	}
	/* Pretend the env was initialised with a CPU the process cannot use,
	 * as if the affinity had shrunk after spdk_env_init(). */
	memset(&g_env_cores, 0, sizeof(g_env_cores));
	env_cores_add(&g_env_cores, bad);
	env_cores_summarise(&g_env_cores);
	atomic_store(&g_env_active, &g_env_cores);

	cap_start();
	assert_int_equal(spdk_env_thread_launch_pinned(bad, report_pinning, &r), 0);
	spdk_env_thread_wait_all();
	assert_int_equal(cap_warnings(), 1);
	assert_int_equal(cap_errors(), 0);
	cap_stop();
	assert_int_equal(r.current_core, bad);
	assert_false(r.pinned_to_one_cpu);
	spdk_env_fini();
}

static void
numa_ids_are_all_zero(void **state)
{
	int32_t id, n = 0;

	assert_int_equal(spdk_env_get_numa_id(spdk_env_get_first_core()), 0);
	assert_int_equal(spdk_env_get_socket_id(spdk_env_get_first_core()), 0);
	assert_int_equal(spdk_env_get_first_numa_id(), 0);
	assert_int_equal(spdk_env_get_last_numa_id(), 0);
	SPDK_ENV_FOREACH_NUMA_ID(id)
	{
		assert_int_equal(id, 0);
		n++;
	}
	assert_int_equal(n, 1);
}

static void
cpuset_holds_exactly_the_env_cores(void **state)
{
	struct spdk_cpuset set;
	struct spdk_env_opts opts;
	char mask[32];
	uint32_t cpu;

	memset(&set, 0xff, sizeof(set));
	spdk_env_get_cpuset(&set);
	for (cpu = 0; cpu < ENV_MAX_CORES; cpu++) {
		assert_int_equal(spdk_cpuset_get_cpu(&set, cpu), CPU_ISSET(cpu, &g_allowed) != 0);
	}

	snprintf(mask, sizeof(mask), "[%u]", allowed_last());
	init_opts(&opts, mask);
	assert_int_equal(spdk_env_init(&opts), 0);
	spdk_env_get_cpuset(&set);
	assert_int_equal(spdk_cpuset_count(&set), 1);
	assert_true(spdk_cpuset_get_cpu(&set, allowed_last()));
	spdk_env_fini();

	cap_start();
	spdk_env_get_cpuset(NULL);
	assert_int_equal(cap_errors(), 1);
	cap_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		/* First: it checks the state before any spdk_env_init(). */
		cmocka_unit_test(cores_default_to_the_affinity_mask_before_init),
		cmocka_unit_test(opts_init_fills_defaults),
		cmocka_unit_test(init_with_hex_mask_selects_those_cores),
		cmocka_unit_test(init_with_list_and_main_core),
		cmocka_unit_test(init_without_mask_uses_one_core),
		cmocka_unit_test(init_refuses_bad_masks_and_names_the_problem),
		cmocka_unit_test(init_refuses_opts_without_size),
		cmocka_unit_test(init_twice_fails_and_reinit_after_fini_reuses_the_cores),
		cmocka_unit_test(lcore_map_is_ignored_with_a_warning),
		cmocka_unit_test(current_core_belongs_to_each_pthread),
		cmocka_unit_test(launch_pinned_runs_on_each_core_and_wait_all_joins),
		cmocka_unit_test(launch_pinned_refuses_bad_arguments_and_busy_cores),
		cmocka_unit_test(launch_pinned_runs_unpinned_when_the_cpu_is_unusable),
		cmocka_unit_test(numa_ids_are_all_zero),
		cmocka_unit_test(cpuset_holds_exactly_the_env_cores),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
