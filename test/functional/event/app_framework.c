/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Functional tests of the application framework in a real process with real
 * reactors: thread placement and moves, events, messages across sleeping
 * reactors, the stop rc, signals, subsystem order, shutdown that must not
 * hang, and the command line. Each test is one invocation (`app_framework
 * <test>`), so that every spdk_app_start() gets a fresh process. Exit status:
 * 0 pass, 1 fail, 77 skip.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/init.h"
#include "spdk/thread.h"
#include "updk/event.h"
#include "updk/thread.h"

#include <sys/resource.h>

static int g_failures;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			__atomic_fetch_add(&g_failures, 1, __ATOMIC_SEQ_CST);                    \
		}                                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                                      \
	do {                                                                                \
		long long a_ = (long long)(a), b_ = (long long)(b);                         \
		if (a_ != b_) {                                                             \
			fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, \
				__LINE__, #a, #b, a_, b_);                                  \
			__atomic_fetch_add(&g_failures, 1, __ATOMIC_SEQ_CST);               \
		}                                                                           \
	} while (0)

static uint32_t g_ncores;
static char g_mask[32];

/* Use two cores when the process may run on two, else one. */
static void
choose_cores(void)
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
	g_ncores = (uint32_t)n;
	if (n == 2) {
		snprintf(g_mask, sizeof(g_mask), "[%d,%d]", cpus[0], cpus[1]);
	} else {
		snprintf(g_mask, sizeof(g_mask), "[%d]", cpus[0]);
	}
}

static void
app_opts(struct spdk_app_opts *opts, const char *name)
{
	spdk_app_opts_init(opts, sizeof(*opts));
	opts->name = name;
	opts->reactor_mask = g_mask;
	opts->rpc_addr = NULL;
	opts->print_level = SPDK_LOG_WARN;
}

static uint64_t
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

/* ------------------------------------------------------------------------ */
/* placement: round robin, cpumask, set_cpumask moves, exit destroys, events */

#define PLACE_THREADS 6

static struct spdk_thread *g_place[PLACE_THREADS];
static uint32_t g_place_core[PLACE_THREADS];
static int g_place_reported;
static struct spdk_thread *g_pinned;
static uint32_t g_pinned_core, g_moved_core;
static int g_events_seen;
static struct spdk_poller *g_place_poller;
static int g_place_phase;
static int g_place_tries;

static void
place_report(void *arg)
{
	int i = (int)(intptr_t)arg;

	g_place_core[i] = spdk_env_get_current_core();
	__atomic_fetch_add(&g_place_reported, 1, __ATOMIC_SEQ_CST);
}

static void
place_exit(void *arg)
{
	spdk_thread_exit(spdk_get_thread());
}

static void
pinned_report(void *arg)
{
	__atomic_store_n(&g_pinned_core, spdk_env_get_current_core(), __ATOMIC_SEQ_CST);
}

static void
pinned_move(void *arg)
{
	struct spdk_cpuset mask;

	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, spdk_env_get_first_core(), true);
	CHECK_EQ(spdk_thread_set_cpumask(&mask), 0);
}

static void
moved_report(void *arg)
{
	__atomic_store_n(&g_moved_core, spdk_env_get_current_core() + 1, __ATOMIC_SEQ_CST);
}

static void
place_event(void *arg1, void *arg2)
{
	CHECK_EQ(spdk_env_get_current_core(), (uint32_t)(uintptr_t)arg1);
	CHECK(spdk_get_thread() == NULL);
	__atomic_fetch_add(&g_events_seen, 1, __ATOMIC_SEQ_CST);
}

static int
place_poll(void *arg)
{
	uint32_t core;
	int i;

	switch (g_place_phase) {
	case 0:
		if (__atomic_load_n(&g_place_reported, __ATOMIC_SEQ_CST) < PLACE_THREADS ||
		    __atomic_load_n(&g_pinned_core, __ATOMIC_SEQ_CST) == UINT32_MAX ||
		    __atomic_load_n(&g_events_seen, __ATOMIC_SEQ_CST) < (int)g_ncores) {
			return SPDK_POLLER_IDLE;
		}
		if (g_ncores == 2) {
			uint32_t on_last = 0;

			for (i = 0; i < PLACE_THREADS; i++) {
				on_last += g_place_core[i] == spdk_env_get_last_core();
			}
			/* Round robin: half of the threads on each core. */
			CHECK_EQ(on_last, PLACE_THREADS / 2);
			CHECK_EQ(g_pinned_core, spdk_env_get_last_core());
			spdk_thread_send_msg(g_pinned, pinned_move, NULL);
		} else {
			__atomic_store_n(&g_moved_core, spdk_env_get_first_core() + 1,
					 __ATOMIC_SEQ_CST);
		}
		g_place_phase = 1;
		return SPDK_POLLER_BUSY;
	case 1:
		/* The move happens once the thread's current poll ends: ask again
		 * until it reports the new core (bounded). */
		core = __atomic_load_n(&g_moved_core, __ATOMIC_SEQ_CST);
		if (core != spdk_env_get_first_core() + 1 && ++g_place_tries < 2000) {
			spdk_thread_send_msg(g_pinned, moved_report, NULL);
			return SPDK_POLLER_IDLE;
		}
		CHECK_EQ(core - 1, spdk_env_get_first_core());
		for (i = 0; i < PLACE_THREADS; i++) {
			spdk_thread_send_msg(g_place[i], place_exit, NULL);
		}
		spdk_thread_send_msg(g_pinned, place_exit, NULL);
		g_place_phase = 2;
		return SPDK_POLLER_BUSY;
	case 2:
		/* Exited threads are destroyed by their reactors. */
		if (spdk_thread_get_count() > 1) {
			return SPDK_POLLER_IDLE;
		}
		spdk_poller_unregister(&g_place_poller);
		spdk_app_stop(0);
		return SPDK_POLLER_BUSY;
	default:
		return SPDK_POLLER_IDLE;
	}
}

static void
place_start(void *ctx)
{
	struct spdk_cpuset mask;
	char name[32];
	uint32_t core;
	int i;

	CHECK(spdk_thread_is_app_thread(NULL));
	CHECK_EQ(spdk_env_get_current_core(), spdk_env_get_main_core());
	CHECK_EQ(spdk_cpuset_count(spdk_app_get_core_mask()), g_ncores);
	g_pinned_core = UINT32_MAX;
	for (i = 0; i < PLACE_THREADS; i++) {
		snprintf(name, sizeof(name), "place%d", i);
		g_place[i] = spdk_thread_create(name, NULL);
		CHECK(g_place[i] != NULL);
		spdk_thread_send_msg(g_place[i], place_report, (void *)(intptr_t)i);
	}
	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, spdk_env_get_last_core(), true);
	g_pinned = spdk_thread_create("pinned", &mask);
	CHECK(g_pinned != NULL);
	spdk_thread_send_msg(g_pinned, pinned_report, NULL);
	SPDK_ENV_FOREACH_CORE(core)
	{
		struct spdk_event *ev =
			spdk_event_allocate(core, place_event, (void *)(uintptr_t)core, NULL);

		CHECK(ev != NULL);
		spdk_event_call(ev);
	}
	CHECK(spdk_event_allocate(100000, place_event, NULL, NULL) == NULL);
	g_place_poller = SPDK_POLLER_REGISTER(place_poll, NULL, 1000);
}

static int
test_placement(void)
{
	struct spdk_app_opts opts;
	int rc;

	app_opts(&opts, "placement");
	rc = spdk_app_start(&opts, place_start, NULL);
	CHECK_EQ(rc, 0);
	spdk_app_fini();
	return 0;
}

/* ------------------------------------------------------------------------ */
/* ping-pong across reactors that sleep between hops: no wakeup is lost */

#define PING_HOPS 20000

static struct spdk_thread *g_ping[2];
static int g_hops;

static void ping_hop(void *arg);

static void
ping_done(void *arg)
{
	spdk_app_stop(0);
}

static void
ping_exit(void *arg)
{
	spdk_thread_exit(spdk_get_thread());
}

static void
ping_hop(void *arg)
{
	int hop = ++g_hops;

	if (hop == PING_HOPS) {
		spdk_thread_send_msg(g_ping[0], ping_exit, NULL);
		spdk_thread_send_msg(g_ping[1], ping_exit, NULL);
		spdk_thread_send_msg(spdk_thread_get_app_thread(), ping_done, NULL);
		return;
	}
	/* Every 64th hop pauses long enough for the other reactor to fall asleep. */
	if (hop % 64 == 0) {
		usleep(2000);
	}
	spdk_thread_send_msg(g_ping[hop % 2], ping_hop, NULL);
}

static void
ping_start(void *ctx)
{
	struct spdk_cpuset mask;

	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, spdk_env_get_first_core(), true);
	g_ping[0] = spdk_thread_create("ping0", &mask);
	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, spdk_env_get_last_core(), true);
	g_ping[1] = spdk_thread_create("ping1", &mask);
	CHECK(g_ping[0] != NULL && g_ping[1] != NULL);
	spdk_thread_send_msg(g_ping[1], ping_hop, NULL);
}

static int
test_ping_pong(void)
{
	struct spdk_app_opts opts;
	uint64_t start = now_ms();
	int rc;

	app_opts(&opts, "ping_pong");
	rc = spdk_app_start(&opts, ping_start, NULL);
	CHECK_EQ(rc, 0);
	CHECK_EQ(g_hops, PING_HOPS);
	spdk_app_fini();
	printf("ping_pong: %d hops in %" PRIu64 " ms\n", PING_HOPS, now_ms() - start);
	return 0;
}

/* ------------------------------------------------------------------------ */
/* stop_rc: the first non-zero rc wins; stop from a pthread that is not SPDK's */

static void *
stop_from_pthread(void *arg)
{
	spdk_app_stop(7);
	return NULL;
}

static void
stop_rc_start(void *ctx)
{
	pthread_t tid;

	spdk_app_stop(0);
	CHECK_EQ(pthread_create(&tid, NULL, stop_from_pthread, NULL), 0);
	pthread_join(tid, NULL);
	spdk_app_stop(9);
}

static int
test_stop_rc(void)
{
	struct spdk_app_opts opts;
	int rc;

	app_opts(&opts, "stop_rc");
	rc = spdk_app_start(&opts, stop_rc_start, NULL);
	CHECK_EQ(rc, 7);
	spdk_app_fini();
	return 0;
}

/* ------------------------------------------------------------------------ */
/* stuck_thread: a thread that never exits is forced out; non-zero rc */

static struct spdk_poller *g_stuck_poller;

static int
stuck_poll(void *arg)
{
	return SPDK_POLLER_IDLE;
}

static void
stuck_register(void *arg)
{
	g_stuck_poller = SPDK_POLLER_REGISTER(stuck_poll, NULL, 0);
	spdk_app_stop(0);
}

static void
stuck_start(void *ctx)
{
	struct spdk_thread *t = spdk_thread_create("stuck_worker", NULL);

	CHECK(t != NULL);
	spdk_thread_send_msg(t, stuck_register, NULL);
}

static int
test_stuck_thread(void)
{
	struct spdk_app_opts opts;
	uint64_t start = now_ms();
	int rc;

	updk_thread_set_exit_timeout(300 * 1000);
	app_opts(&opts, "stuck_thread");
	rc = spdk_app_start(&opts, stuck_start, NULL);
	CHECK(rc != 0);
	CHECK(now_ms() - start < 10000);
	spdk_app_fini();
	return 0;
}

/* ------------------------------------------------------------------------ */
/* hung_subsystem: a fini step that never completes; the deadline ends it */

static void
hung_init(void)
{
	spdk_subsystem_init_next(0);
}

static bool g_hung_enabled;

static void
hung_fini(void)
{
	if (!g_hung_enabled) {
		spdk_subsystem_fini_next();
	}
	/* Otherwise never report back. */
}

static struct spdk_subsystem g_hung_subsystem = {
	.name = "test_hung",
	.init = hung_init,
	.fini = hung_fini,
};
SPDK_SUBSYSTEM_REGISTER(g_hung_subsystem)

static void
hung_start(void *ctx)
{
	spdk_app_stop(0);
}

static int
test_hung_subsystem(void)
{
	struct spdk_app_opts opts;
	uint64_t start = now_ms();
	int rc;

	g_hung_enabled = true;
	updk_app_set_shutdown_timeout(1000);
	app_opts(&opts, "hung_subsystem");
	rc = spdk_app_start(&opts, hung_start, NULL);
	CHECK(rc != 0);
	CHECK(now_ms() - start < 10000);
	spdk_app_fini();
	return 0;
}

/* ------------------------------------------------------------------------ */
/* subsystem_order: dependencies first at init, reverse order at fini */

static char g_order[64];

static void
order_note(const char *what)
{
	size_t n = strlen(g_order);

	snprintf(g_order + n, sizeof(g_order) - n, "%s", what);
}

static void
order_a_init(void)
{
	order_note("A");
	spdk_subsystem_init_next(0);
}

static void
order_a_fini(void)
{
	order_note("a");
	spdk_subsystem_fini_next();
}

static void
order_b_init(void)
{
	order_note("B");
	spdk_subsystem_init_next(0);
}

static void
order_b_fini(void)
{
	order_note("b");
	spdk_subsystem_fini_next();
}

static void
order_c_init(void)
{
	order_note("C");
	spdk_subsystem_init_next(0);
}

static void
order_c_fini(void)
{
	order_note("c");
	spdk_subsystem_fini_next();
}

/* Registered in the reverse of the dependency order on purpose. */
static struct spdk_subsystem g_order_c = {
	.name = "order_c", .init = order_c_init, .fini = order_c_fini};
static struct spdk_subsystem g_order_b = {
	.name = "order_b", .init = order_b_init, .fini = order_b_fini};
static struct spdk_subsystem g_order_a = {
	.name = "order_a", .init = order_a_init, .fini = order_a_fini};
SPDK_SUBSYSTEM_REGISTER(g_order_c)
SPDK_SUBSYSTEM_REGISTER(g_order_b)
SPDK_SUBSYSTEM_REGISTER(g_order_a)
SPDK_SUBSYSTEM_DEPEND(order_c, order_b)
SPDK_SUBSYSTEM_DEPEND(order_b, order_a)

static void
order_start(void *ctx)
{
	CHECK(strstr(g_order, "ABC") != NULL);
	CHECK(spdk_subsystem_exists("order_b"));
	CHECK(!spdk_subsystem_exists("no_such_subsystem"));
	spdk_app_stop(0);
}

static int
test_subsystem_order(void)
{
	struct spdk_app_opts opts;
	int rc;

	app_opts(&opts, "subsystem_order");
	rc = spdk_app_start(&opts, order_start, NULL);
	CHECK_EQ(rc, 0);
	CHECK(strstr(g_order, "ABCcba") != NULL);
	spdk_app_fini();
	return 0;
}

/* ------------------------------------------------------------------------ */
/* signals: SIGTERM and SIGINT call shutdown_cb once */

static int g_shutdown_calls;

static void
signal_shutdown_cb(void)
{
	g_shutdown_calls++;
	CHECK(spdk_thread_is_app_thread(NULL));
	spdk_app_stop(0);
}

static void
signal_start(void *ctx)
{
	kill(getpid(), SIGTERM);
	kill(getpid(), SIGINT);
	kill(getpid(), SIGTERM);
}

static int
test_signals(void)
{
	struct spdk_app_opts opts;
	int rc;

	app_opts(&opts, "signals");
	opts.shutdown_cb = signal_shutdown_cb;
	rc = spdk_app_start(&opts, signal_start, NULL);
	CHECK_EQ(rc, 0);
	CHECK_EQ(g_shutdown_calls, 1);
	spdk_app_fini();
	return 0;
}

/* ------------------------------------------------------------------------ */
/* idle: two idle reactors use almost no CPU */

static struct spdk_poller *g_idle_timer;
static struct spdk_poller *g_idle_active;
static struct rusage g_idle_ru0;
static uint64_t g_idle_t0;
static double g_idle_pct;

static int
idle_active_poll(void *arg)
{
	return SPDK_POLLER_IDLE;
}

static void
idle_register_active(void *arg)
{
	g_idle_active = SPDK_POLLER_REGISTER(idle_active_poll, NULL, 0);
}

static void
idle_stop(void *arg)
{
	spdk_app_stop(0);
}

static void
idle_unregister_active(void *arg)
{
	spdk_poller_unregister(&g_idle_active);
	spdk_thread_exit(spdk_get_thread());
	spdk_thread_send_msg(spdk_thread_get_app_thread(), idle_stop, NULL);
}

static struct spdk_thread *g_idle_worker;

static uint64_t
ru_us(const struct rusage *ru)
{
	return (uint64_t)ru->ru_utime.tv_sec * 1000000 + (uint64_t)ru->ru_utime.tv_usec +
	       (uint64_t)ru->ru_stime.tv_sec * 1000000 + (uint64_t)ru->ru_stime.tv_usec;
}

static int
idle_timer(void *arg)
{
	struct rusage ru;
	uint64_t wall_us;

	getrusage(RUSAGE_SELF, &ru);
	wall_us = (now_ms() - g_idle_t0) * 1000;
	g_idle_pct = 100.0 * (double)(ru_us(&ru) - ru_us(&g_idle_ru0)) / (double)wall_us;
	spdk_poller_unregister(&g_idle_timer);
	spdk_thread_send_msg(g_idle_worker, idle_unregister_active, NULL);
	return SPDK_POLLER_BUSY;
}

static int
idle_settle(void *arg)
{
	/* Measure from here, once start-up work is over. */
	spdk_poller_unregister(&g_idle_timer);
	getrusage(RUSAGE_SELF, &g_idle_ru0);
	g_idle_t0 = now_ms();
	g_idle_timer = SPDK_POLLER_REGISTER(idle_timer, NULL, 3 * 1000 * 1000);
	return SPDK_POLLER_BUSY;
}

static void
idle_start(void *ctx)
{
	struct spdk_cpuset mask;

	/* A thread with an active poller on the other core: it may sleep only
	 * up to the active-poller cap. */
	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, spdk_env_get_last_core(), true);
	g_idle_worker = spdk_thread_create("idle_worker", &mask);
	spdk_thread_send_msg(g_idle_worker, idle_register_active, NULL);
	g_idle_timer = SPDK_POLLER_REGISTER(idle_settle, NULL, 200 * 1000);
}

static int
test_idle(void)
{
	struct spdk_app_opts opts;
	int rc;

	app_opts(&opts, "idle");
	rc = spdk_app_start(&opts, idle_start, NULL);
	CHECK_EQ(rc, 0);
	printf("idle: %.2f%% of one core over 3 s with %u reactor(s)\n", g_idle_pct, g_ncores);
	if (getenv("UPDK_SANITIZED") == NULL) {
		CHECK(g_idle_pct < 2.0);
	} else {
		/* A sanitizer's own threads and bookkeeping are not updk's CPU use. */
		printf("idle: sanitizer build, the 2%% limit is not checked\n");
	}
	spdk_app_fini();
	return 0;
}

/* ------------------------------------------------------------------------ */
/* parse_args: the standard options */

static int g_app_opt_seen;

static int
parse_app_opt(int ch, char *arg)
{
	if (ch == 'x') {
		g_app_opt_seen = 1;
		return 0;
	}
	return -EINVAL;
}

static spdk_app_parse_args_rvals_t
parse(struct spdk_app_opts *opts, const char *app_str, int argc, ...)
{
	char *argv[32];
	va_list ap;
	int i;

	va_start(ap, argc);
	argv[0] = (char *)"parse_test";
	for (i = 1; i <= argc; i++) {
		argv[i] = va_arg(ap, char *);
	}
	argv[argc + 1] = NULL;
	va_end(ap);
	spdk_app_opts_init(opts, sizeof(*opts));
	return spdk_app_parse_args(argc + 1, argv, opts, app_str, NULL,
				   app_str ? parse_app_opt : NULL, NULL);
}

static int
test_parse_args(void)
{
	struct spdk_app_opts opts;
	struct spdk_cpuset set;
	char small[64];

	CHECK_EQ(parse(&opts, NULL, 0), SPDK_APP_PARSE_ARGS_SUCCESS);
	CHECK(opts.rpc_addr != NULL && strcmp(opts.rpc_addr, SPDK_DEFAULT_RPC_ADDR) == 0);
	CHECK_EQ(opts.print_level, SPDK_LOG_INFO);
	CHECK_EQ(opts.shm_id, -1);
	CHECK(opts.enable_coredump);

	CHECK_EQ(parse(&opts, NULL, 8, "-c", "cfg.json", "-m", "0x3", "-r", "/tmp/x.sock",
		       "--json-ignore-init-errors", "--wait-for-rpc"),
		 SPDK_APP_PARSE_ARGS_SUCCESS);
	CHECK(strcmp(opts.json_config_file, "cfg.json") == 0);
	CHECK(strcmp(opts.reactor_mask, "0x3") == 0);
	CHECK(strcmp(opts.rpc_addr, "/tmp/x.sock") == 0);
	CHECK(opts.json_config_ignore_errors);
	CHECK(opts.delay_subsystem_init);

	CHECK_EQ(parse(&opts, NULL, 4, "--json", "a.json", "--cpumask", "[0,1]"),
		 SPDK_APP_PARSE_ARGS_SUCCESS);
	CHECK(strcmp(opts.json_config_file, "a.json") == 0);
	CHECK(strcmp(opts.reactor_mask, "[0,1]") == 0);

	CHECK_EQ(parse(&opts, NULL, 2, "--no-rpc-server", "--silence-noticelog"),
		 SPDK_APP_PARSE_ARGS_SUCCESS);
	CHECK(opts.rpc_addr == NULL);
	CHECK_EQ(opts.print_level, SPDK_LOG_WARN);

	/* DPDK-only options are accepted and ignored. */
	CHECK_EQ(parse(&opts, NULL, 6, "-s", "1024", "--no-huge", "-u", "--iova-mode", "va", "-g"),
		 SPDK_APP_PARSE_ARGS_SUCCESS);
	CHECK_EQ(opts.mem_size, 1024);
	CHECK(opts.no_huge);

	CHECK_EQ(parse(&opts, NULL, 2, "-L", "thread"), SPDK_APP_PARSE_ARGS_SUCCESS);
	CHECK(spdk_log_get_flag("thread"));
	CHECK_EQ(parse(&opts, NULL, 2, "-L", "no_such_flag_at_all"), SPDK_APP_PARSE_ARGS_FAIL);
	CHECK_EQ(parse(&opts, NULL, 2, "-i", "notanumber"), SPDK_APP_PARSE_ARGS_FAIL);
	CHECK_EQ(parse(&opts, NULL, 1, "--no-such-option"), SPDK_APP_PARSE_ARGS_FAIL);
	CHECK_EQ(parse(&opts, NULL, 1, "-h"), SPDK_APP_PARSE_ARGS_HELP);
	CHECK_EQ(parse(&opts, NULL, 1, "-v"), SPDK_APP_PARSE_ARGS_HELP);

	/* Application options, and a letter the framework already uses. */
	CHECK_EQ(parse(&opts, "x", 1, "-x"), SPDK_APP_PARSE_ARGS_SUCCESS);
	CHECK_EQ(g_app_opt_seen, 1);
	CHECK_EQ(parse(&opts, "m", 0), SPDK_APP_PARSE_ARGS_FAIL);

	/* The size guard: only the first bytes are written. */
	memset(small, 0xa5, sizeof(small));
	spdk_app_opts_init((struct spdk_app_opts *)small, 16);
	CHECK_EQ((unsigned char)small[16], 0xa5);
	CHECK_EQ((unsigned char)small[63], 0xa5);

	CHECK_EQ(spdk_app_parse_core_mask("0x1", &set), 0);
	CHECK_EQ(spdk_app_parse_core_mask("zz", &set), -1);

	/* spdk_app_start refuses options without a name. */
	spdk_app_opts_init(&opts, sizeof(opts));
	opts.rpc_addr = NULL;
	CHECK(spdk_app_start(&opts, NULL, NULL) != 0);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(void);
	bool needs_two_cores;
} g_tests[] = {
	{"placement", test_placement, false},
	{"ping_pong", test_ping_pong, false},
	{"stop_rc", test_stop_rc, false},
	{"stuck_thread", test_stuck_thread, false},
	{"hung_subsystem", test_hung_subsystem, false},
	{"subsystem_order", test_subsystem_order, false},
	{"signals", test_signals, false},
	{"idle", test_idle, false},
	{"parse_args", test_parse_args, false},
};

int
main(int argc, char **argv)
{
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s <test>\n", argv[0]);
		return 1;
	}
	choose_cores();
	for (i = 0; i < SPDK_COUNTOF(g_tests); i++) {
		if (strcmp(argv[1], g_tests[i].name) == 0) {
			if (g_tests[i].needs_two_cores && g_ncores < 2) {
				return 77;
			}
			g_tests[i].fn();
			if (g_failures != 0) {
				fprintf(stderr, "%s: %d check(s) failed\n", argv[1], g_failures);
				return 1;
			}
			printf("%s: passed\n", argv[1]);
			return 0;
		}
	}
	fprintf(stderr, "unknown test %s\n", argv[1]);
	return 1;
}
