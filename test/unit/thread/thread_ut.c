/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/thread/thread.c. Every rule of the thread library is
 * checked deterministically: several spdk_threads live on this one pthread
 * (test/common/ut_threads.h), the test decides which one is current and
 * which one is polled, and every poll passes an explicit tick count, so timed
 * pollers and exit timeouts run exactly when the test says. Misuse cases
 * assert that exactly one error was logged, that it names the objects and
 * threads involved, and that nothing changed. The library source is included
 * so that the tests can check its internal lists for leftovers and simulate
 * a producer stalled in the middle of a send.
 */

#include "spdk/stdinc.h"
#include "thread/thread.c"

#include <setjmp.h>
#include <cmocka.h>

#include "ut_threads.h"

#define UT_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))

/* ---------------------------------------------------------------------- */
/* Helpers: an event trace, pollers, messages and devices that record     */
/* ---------------------------------------------------------------------- */

#define TRACE_MAX 1024

static int g_trace[TRACE_MAX];
static uint32_t g_trace_len;

static void
trace(int event)
{
	if (g_trace_len < TRACE_MAX) {
		g_trace[g_trace_len++] = event;
	}
}

static void
trace_reset(void)
{
	g_trace_len = 0;
}

static void
assert_trace(const int *expected, uint32_t count)
{
	uint32_t i;

	if (g_trace_len != count) {
		fprintf(stderr, "trace has %u events, expected %u:", g_trace_len, count);
		for (i = 0; i < g_trace_len; i++) {
			fprintf(stderr, " %d", g_trace[i]);
		}
		fprintf(stderr, "\n");
	}
	assert_int_equal(g_trace_len, count);
	for (i = 0; i < count; i++) {
		assert_int_equal(g_trace[i], expected[i]);
	}
}

#define ASSERT_TRACE(...)                                       \
	do {                                                    \
		const int _expected[] = {__VA_ARGS__};          \
		assert_trace(_expected, UT_COUNTOF(_expected)); \
	} while (0)

/* A message that appends its context to the trace. */
static void
msg_trace(void *ctx)
{
	trace((int)(intptr_t)ctx);
}

static uint32_t g_msg_count;
static struct spdk_thread *g_msg_thread;

static void
msg_count(void *ctx)
{
	g_msg_count++;
	g_msg_thread = spdk_get_thread();
}

struct ut_poller;
typedef void (*ut_poller_action)(struct ut_poller *p);

/* A poller that appends its id to the trace, counts its runs, returns rc and
 * then performs an optional action. */
struct ut_poller {
	struct spdk_poller *poller;
	int id;
	int rc;
	uint32_t runs;
	ut_poller_action action;
	struct ut_poller *other;
	const char *state_seen;
};

static int
ut_poller_fn(void *arg)
{
	struct ut_poller *p = arg;

	p->runs++;
	p->state_seen = spdk_poller_get_state_str(p->poller);
	trace(p->id);
	if (p->action != NULL) {
		p->action(p);
	}
	return p->rc;
}

static void
ut_poller_register(struct ut_poller *p, int id, uint64_t period_us, const char *name)
{
	memset(p, 0, sizeof(*p));
	p->id = id;
	p->poller = spdk_poller_register_named(ut_poller_fn, p, period_us, name);
	assert_non_null(p->poller);
}

static void
act_unregister_self(struct ut_poller *p)
{
	spdk_poller_unregister(&p->poller);
}

static void
act_pause_self(struct ut_poller *p)
{
	spdk_poller_pause(p->poller);
}

static void
act_pause_resume_self(struct ut_poller *p)
{
	spdk_poller_pause(p->poller);
	spdk_poller_resume(p->poller);
}

static void
act_pause_unregister_self(struct ut_poller *p)
{
	spdk_poller_pause(p->poller);
	spdk_poller_unregister(&p->poller);
}

static void
act_unregister_other(struct ut_poller *p)
{
	spdk_poller_unregister(&p->other->poller);
}

static void
act_pause_other(struct ut_poller *p)
{
	spdk_poller_pause(p->other->poller);
}

static void
act_resume_other(struct ut_poller *p)
{
	spdk_poller_resume(p->other->poller);
}

/* An I/O device whose callbacks count and remember where they ran. */
#define UT_DEV_MAGIC 0x5eedf00dcafe1234ULL

struct ut_dev {
	int create_rc;
	uint32_t ctx_size;
	uint32_t creates;
	uint32_t destroys;
	uint32_t unregistered;
	uint32_t bad_ctx;
	uint32_t destroys_at_unregister;
	bool ctx_was_zero;
	struct spdk_thread *create_thread;
	struct spdk_thread *destroy_thread;
	struct spdk_thread *unregister_thread;
};

static int
ut_dev_create(void *io_device, void *ctx)
{
	struct ut_dev *d = io_device;
	const uint8_t *bytes = ctx;
	uint32_t i;

	d->creates++;
	d->create_thread = spdk_get_thread();
	d->ctx_was_zero = true;
	for (i = 0; i < d->ctx_size; i++) {
		if (bytes[i] != 0) {
			d->ctx_was_zero = false;
		}
	}
	if (d->create_rc != 0) {
		return d->create_rc;
	}
	if (d->ctx_size >= sizeof(uint64_t)) {
		*(uint64_t *)ctx = UT_DEV_MAGIC;
	}
	return 0;
}

static void
ut_dev_destroy(void *io_device, void *ctx)
{
	struct ut_dev *d = io_device;

	d->destroys++;
	d->destroy_thread = spdk_get_thread();
	if (d->ctx_size >= sizeof(uint64_t) && *(uint64_t *)ctx != UT_DEV_MAGIC) {
		d->bad_ctx++;
	}
}

static void
ut_dev_unregister_done(void *io_device)
{
	struct ut_dev *d = io_device;

	d->unregistered++;
	d->unregister_thread = spdk_get_thread();
	d->destroys_at_unregister = d->destroys;
}

static void
ut_dev_register(struct ut_dev *d, const char *name, uint32_t ctx_size)
{
	memset(d, 0, sizeof(*d));
	d->ctx_size = ctx_size;
	spdk_io_device_register(d, ut_dev_create, ut_dev_destroy, ctx_size, name);
}

/* The thread library's own lists, checked after every test. */
static void
assert_library_empty(void)
{
	assert_false(g_thread_lib_initialized);
	assert_true(TAILQ_EMPTY(&g_threads));
	assert_true(TAILQ_EMPTY(&g_io_devices));
	assert_int_equal(g_thread_count, 0);
	assert_null(g_app_thread);
	assert_null(spdk_get_thread());
}

/* Exit a thread the harness does not manage, poll it until it has exited and
 * destroy it. */
static void
exit_and_destroy(struct spdk_thread *thread)
{
	struct spdk_thread *orig = spdk_get_thread();
	uint32_t i;

	spdk_set_thread(thread);
	assert_int_equal(spdk_thread_exit(thread), 0);
	for (i = 0; i < 100 && !spdk_thread_is_exited(thread); i++) {
		spdk_thread_poll(thread, 0, ut_clock_now());
	}
	assert_true(spdk_thread_is_exited(thread));
	spdk_thread_destroy(thread);
	spdk_set_thread(orig == thread ? NULL : orig);
}

/* If an earlier test failed half-way, forget what it left so that the next
 * test starts from an uninitialised library (its memory leaks; that test has
 * already failed). */
static void
force_reset(void)
{
	if (g_thread_lib_initialized || !TAILQ_EMPTY(&g_threads)) {
		fprintf(stderr, "thread_ut: resetting after a failed test\n");
		TAILQ_INIT(&g_threads);
		TAILQ_INIT(&g_io_devices);
		g_thread_count = 0;
		g_app_thread = NULL;
		g_thread_lib_initialized = false;
	}
	spdk_set_thread(NULL);
	spdk_log_close();
}

static int
setup_threads(void **state)
{
	force_reset();
	trace_reset();
	g_msg_count = 0;
	g_msg_thread = NULL;
	return ut_threads_init(4) == 0 ? 0 : -1;
}

static int
teardown_threads(void **state)
{
	/* Every test unregisters its devices itself. */
	assert_true(TAILQ_EMPTY(&g_io_devices));
	assert_int_equal(ut_threads_fini(), 0);
	assert_library_empty();
	updk_thread_set_exit_timeout(0);
	updk_io_channel_set_owner_check(false);
	return 0;
}

static int
setup_bare(void **state)
{
	force_reset();
	trace_reset();
	ut_log_capture_start();
	return 0;
}

static int
teardown_bare(void **state)
{
	assert_library_empty();
	ut_log_capture_stop();
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Library lifecycle                                                       */
/* ---------------------------------------------------------------------- */

static void
lib_init_twice_refused(void **state)
{
	assert_int_equal(spdk_thread_lib_init(NULL, 0), 0);
	assert_int_equal(spdk_thread_lib_init(NULL, 0), -EALREADY);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(spdk_thread_lib_init_ext(NULL, NULL, 0, 0), -EALREADY);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);

	/* An empty library finishes silently and can be initialised again. */
	spdk_thread_lib_fini();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(spdk_thread_lib_init(NULL, 0), 0);
	spdk_thread_lib_fini();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
}

static uint32_t g_op_new_calls;
static uint32_t g_op_resched_calls;
static bool g_resched_supported;

static int
ut_thread_op(struct spdk_thread *thread, enum spdk_thread_op op)
{
	switch (op) {
	case SPDK_THREAD_OP_NEW:
		g_op_new_calls++;
		return 0;
	case SPDK_THREAD_OP_RESCHED:
		g_op_resched_calls++;
		return 0;
	default:
		return -ENOTSUP;
	}
}

static bool
ut_thread_op_supported(enum spdk_thread_op op)
{
	return op == SPDK_THREAD_OP_NEW || (op == SPDK_THREAD_OP_RESCHED && g_resched_supported);
}

static void
lib_init_ext_needs_both_hooks_or_neither(void **state)
{
	struct spdk_thread *thread;
	struct spdk_cpuset mask;

	assert_int_equal(spdk_thread_lib_init_ext(ut_thread_op, NULL, 0, 100), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(spdk_thread_lib_init_ext(NULL, ut_thread_op_supported, 0, 100), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "thread_op_fn",
					       "thread_op_supported_fn", NULL),
			 2);

	/* Neither call initialised the library. */
	assert_false(g_thread_lib_initialized);
	assert_null(spdk_thread_create("too_early", NULL));
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "too_early", NULL), 1);
	ut_log_clear();

	/* Neither hook: the caller polls its threads. */
	assert_int_equal(spdk_thread_lib_init_ext(NULL, NULL, 0, 0), 0);
	spdk_thread_lib_fini();

	/* Both hooks: NEW for every thread, RESCHED when the cpumask changes. */
	g_op_new_calls = 0;
	g_op_resched_calls = 0;
	g_resched_supported = true;
	assert_int_equal(spdk_thread_lib_init_ext(ut_thread_op, ut_thread_op_supported, 0, 0), 0);
	thread = spdk_thread_create("scheduled", NULL);
	assert_non_null(thread);
	assert_int_equal(g_op_new_calls, 1);

	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, 1, true);
	assert_int_equal(spdk_thread_set_cpumask(&mask), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	spdk_set_thread(thread);
	assert_int_equal(spdk_thread_set_cpumask(&mask), 0);
	assert_int_equal(g_op_resched_calls, 1);
	assert_true(spdk_cpuset_equal(spdk_thread_get_cpumask(thread), &mask));

	g_resched_supported = false;
	assert_int_equal(spdk_thread_set_cpumask(&mask), -ENOTSUP);
	assert_int_equal(g_op_resched_calls, 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "scheduled", NULL), 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);

	exit_and_destroy(thread);
	spdk_set_thread(NULL);
	spdk_thread_lib_fini();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
}

static struct spdk_thread *g_new_threads[8];
static uint32_t g_new_thread_calls;
static int g_new_thread_rc;

static int
ut_new_thread(struct spdk_thread *thread)
{
	if (g_new_thread_calls < UT_COUNTOF(g_new_threads)) {
		g_new_threads[g_new_thread_calls] = thread;
	}
	g_new_thread_calls++;
	return g_new_thread_rc;
}

static void
lib_init_new_thread_fn_sees_every_thread_and_can_refuse(void **state)
{
	struct spdk_thread *a, *c;

	g_new_thread_calls = 0;
	g_new_thread_rc = -ENOMEM;
	assert_int_equal(spdk_thread_lib_init(ut_new_thread, 0), 0);

	/* A refused first thread does not become the app thread. */
	assert_null(spdk_thread_create("refused_first", NULL));
	assert_int_equal(g_new_thread_calls, 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "refused_first", "refused", NULL),
			 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_null(spdk_thread_get_app_thread());
	assert_int_equal(spdk_thread_get_count(), 0);

	g_new_thread_rc = 0;
	a = spdk_thread_create("a", NULL);
	assert_non_null(a);
	assert_int_equal(g_new_thread_calls, 2);
	assert_ptr_equal(g_new_threads[1], a);
	assert_ptr_equal(spdk_thread_get_app_thread(), a);

	g_new_thread_rc = -EBUSY;
	assert_null(spdk_thread_create("refused_second", NULL));
	assert_int_equal(spdk_thread_get_count(), 1);
	assert_ptr_equal(spdk_thread_get_app_thread(), a);

	g_new_thread_rc = 0;
	c = spdk_thread_create("c", NULL);
	assert_non_null(c);
	assert_true(spdk_thread_get_id(c) > spdk_thread_get_id(a));
	assert_int_equal(spdk_thread_get_count(), 2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);

	exit_and_destroy(c);
	exit_and_destroy(a);
	spdk_thread_lib_fini();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
}

static void
lib_init_ctx_size_reserves_scheduler_context(void **state)
{
	struct spdk_thread *thread;
	void *ctx;

	assert_int_equal(spdk_thread_lib_init(NULL, 100), 0);
	thread = spdk_thread_create("with_ctx", NULL);
	assert_non_null(thread);
	ctx = spdk_thread_get_ctx(thread);
	assert_non_null(ctx);
	assert_int_equal((uintptr_t)ctx % SPDK_CACHE_LINE_SIZE, 0);
	/* The whole context is usable (ASan checks the bounds). */
	memset(ctx, 0xab, 100);
	assert_ptr_equal(spdk_thread_get_from_ctx(ctx), thread);
	assert_string_equal(spdk_thread_get_name(thread), "with_ctx");
	exit_and_destroy(thread);
	spdk_thread_lib_fini();

	assert_int_equal(spdk_thread_lib_init(NULL, 0), 0);
	thread = spdk_thread_create("without_ctx", NULL);
	assert_non_null(thread);
	assert_null(spdk_thread_get_ctx(thread));
	exit_and_destroy(thread);
	spdk_thread_lib_fini();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
}

static void
lib_fini_reports_devices_never_unregistered(void **state)
{
	struct spdk_thread *thread;
	struct ut_dev dev;

	assert_int_equal(spdk_thread_lib_init(NULL, 0), 0);
	thread = spdk_thread_create("owner", NULL);
	assert_non_null(thread);
	spdk_set_thread(thread);
	ut_dev_register(&dev, "forgotten_dev", 0);
	exit_and_destroy(thread);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	spdk_thread_lib_fini();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "forgotten_dev", NULL), 1);
}

/* ---------------------------------------------------------------------- */
/* Thread objects                                                          */
/* ---------------------------------------------------------------------- */

static void
thread_create_first_is_app_thread_ids_increase(void **state)
{
	struct spdk_thread *a, *b, *c, *d;
	char long_name[400], expected[32];

	assert_int_equal(spdk_thread_lib_init(NULL, 0), 0);
	assert_null(spdk_thread_get_app_thread());

	a = spdk_thread_create("first", NULL);
	b = spdk_thread_create(NULL, NULL);
	c = spdk_thread_create("third", NULL);
	assert_non_null(a);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(spdk_thread_get_id(a), 1);
	assert_int_equal(spdk_thread_get_id(b), 2);
	assert_int_equal(spdk_thread_get_id(c), 3);
	assert_int_equal(spdk_thread_get_count(), 3);

	assert_ptr_equal(spdk_thread_get_app_thread(), a);
	assert_true(spdk_thread_is_app_thread(a));
	assert_false(spdk_thread_is_app_thread(b));
	assert_false(spdk_thread_is_app_thread(NULL));
	spdk_set_thread(a);
	assert_true(spdk_thread_is_app_thread(NULL));
	spdk_set_thread(c);
	assert_false(spdk_thread_is_app_thread(NULL));
	assert_ptr_equal(spdk_get_thread(), c);
	spdk_set_thread(NULL);

	/* A NULL name becomes the thread's address. */
	snprintf(expected, sizeof(expected), "%p", (void *)b);
	assert_string_equal(spdk_thread_get_name(b), expected);
	assert_string_equal(spdk_thread_get_name(c), "third");

	/* Names keep at most 255 characters. */
	memset(long_name, 'x', sizeof(long_name) - 1);
	long_name[sizeof(long_name) - 1] = '\0';
	d = spdk_thread_create(long_name, NULL);
	assert_non_null(d);
	assert_int_equal(strlen(spdk_thread_get_name(d)), 255);
	assert_int_equal(spdk_thread_get_id(d), 4);

	assert_true(spdk_thread_is_running(a));
	assert_false(spdk_thread_is_exited(a));
	assert_non_null(spdk_thread_get_cpumask(a));
	assert_true(spdk_cpuset_get_cpu(spdk_thread_get_cpumask(a), 0));
	assert_false(spdk_thread_is_bound(a));
	spdk_thread_bind(a, true);
	assert_true(spdk_thread_is_bound(a));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	/* Lookup by id. */
	assert_ptr_equal(spdk_thread_get_by_id(2), b);
	assert_ptr_equal(spdk_thread_get_by_id(4), d);
	assert_null(spdk_thread_get_by_id(0));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_null(spdk_thread_get_by_id(99));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "99", NULL), 1);

	exit_and_destroy(b);
	/* A destroyed thread's id is no longer found, silently. */
	assert_null(spdk_thread_get_by_id(2));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(spdk_thread_get_count(), 3);

	exit_and_destroy(d);
	exit_and_destroy(c);
	exit_and_destroy(a);
	/* The app thread is freed by spdk_thread_lib_fini(), not by destroy. */
	assert_ptr_equal(spdk_thread_get_app_thread(), a);
	spdk_thread_lib_fini();
	assert_null(spdk_thread_get_app_thread());
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
}

static void
thread_exit_only_from_itself(void **state)
{
	struct spdk_thread *t1 = ut_thread(1);

	ut_log_clear();
	ut_set_thread(0);
	assert_int_equal(spdk_thread_exit(t1), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "ut1", "ut0", NULL), 1);
	assert_true(spdk_thread_is_running(t1));

	ut_set_thread(UT_NO_THREAD);
	assert_int_equal(spdk_thread_exit(t1), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_true(spdk_thread_is_running(t1));

	ut_set_thread(1);
	assert_int_equal(spdk_thread_exit(t1), 0);
	assert_false(spdk_thread_is_running(t1));
	assert_false(spdk_thread_is_exited(t1));
	/* Exiting twice is harmless. */
	assert_int_equal(spdk_thread_exit(t1), 0);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);

	ut_poll_thread(1);
	assert_true(spdk_thread_is_exited(t1));
	assert_int_equal(spdk_thread_exit(t1), 0);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	ut_set_thread(UT_NO_THREAD);
}

static void
thread_destroy_before_exit_refused(void **state)
{
	struct spdk_thread *t2 = ut_thread(2);

	ut_log_clear();
	ut_set_thread(0);
	spdk_thread_destroy(t2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "ut2", "not exited", NULL), 1);

	/* Still a working thread. */
	assert_true(spdk_thread_is_running(t2));
	assert_int_equal(spdk_thread_send_msg(t2, msg_count, NULL), 0);
	ut_poll_threads();
	assert_int_equal(g_msg_count, 1);
	assert_ptr_equal(g_msg_thread, t2);
	assert_ptr_equal(spdk_thread_get_by_id(3), t2);

	/* NULL is ignored. */
	spdk_thread_destroy(NULL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	ut_set_thread(UT_NO_THREAD);
}

static int
poller_busy(void *arg)
{
	return SPDK_POLLER_BUSY;
}

static void
thread_exit_waits_until_everything_is_released(void **state)
{
	struct spdk_thread *t1 = ut_thread(1);
	struct spdk_io_channel *ch1, *ch0;
	struct spdk_poller *poller;
	struct ut_dev held, other;
	uint32_t i;

	ut_set_thread(0);
	ut_dev_register(&held, "held_dev", 8);
	ut_dev_register(&other, "other_dev", 8);
	ch0 = spdk_get_io_channel(&other);
	assert_non_null(ch0);

	/* Thread 1 holds a poller, a channel, a device unregistration that
	 * waits for thread 0's channel, and a for_each_thread in flight. */
	ut_set_thread(1);
	poller = spdk_poller_register_named(poller_busy, NULL, 0, "exit_blocker");
	assert_non_null(poller);
	ch1 = spdk_get_io_channel(&held);
	assert_non_null(ch1);
	spdk_io_device_unregister(&other, ut_dev_unregister_done);
	spdk_for_each_thread(msg_count, NULL, msg_trace);
	assert_int_equal(updk_thread_dump_resources(t1), 4);
	assert_int_equal(spdk_thread_exit(t1), 0);
	ut_set_thread(UT_NO_THREAD);

	/* The for_each_thread completes; thread 1 itself is skipped (exiting). */
	ut_poll_threads();
	assert_int_equal(g_msg_count, 3);
	ASSERT_TRACE(0);
	assert_false(spdk_thread_is_exited(t1));

	for (i = 0; i < 10; i++) {
		ut_poll_threads();
	}
	assert_false(spdk_thread_is_exited(t1));

	ut_set_thread(1);
	spdk_poller_unregister(&poller);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_false(spdk_thread_is_exited(t1));

	/* An exiting thread may still take channels and pollers. */
	ut_set_thread(1);
	assert_ptr_equal(spdk_get_io_channel(&held), ch1);
	spdk_put_io_channel(ch1);
	spdk_put_io_channel(ch1);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(held.destroys, 1);
	assert_ptr_equal(held.destroy_thread, t1);
	assert_false(spdk_thread_is_exited(t1));

	/* The last thing: thread 0 drops the channel that held up thread 1's
	 * device unregistration. */
	ut_set_thread(0);
	spdk_put_io_channel(ch0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(other.unregistered, 1);
	assert_ptr_equal(other.unregister_thread, t1);
	ut_poll_thread(1);
	assert_true(spdk_thread_is_exited(t1));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	ut_set_thread(0);
	spdk_io_device_unregister(&held, ut_dev_unregister_done);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(held.unregistered, 1);
}

static void
thread_exit_timeout_reports_holdings_and_destroy_releases_them(void **state)
{
	struct spdk_thread *leaker;
	struct spdk_io_channel *ch;
	struct spdk_poller *poller;
	struct ut_dev dev;

	updk_thread_set_exit_timeout(1000);
	assert_int_equal(updk_thread_get_exit_timeout(), 1000);

	leaker = spdk_thread_create("leaker", NULL);
	assert_non_null(leaker);
	spdk_thread_poll(leaker, 0, ut_clock_now());

	ut_set_thread(0);
	ut_dev_register(&dev, "leaky_dev", 16);
	spdk_set_thread(leaker);
	ch = spdk_get_io_channel(&dev);
	assert_non_null(ch);
	assert_ptr_equal(spdk_get_io_channel(&dev), ch);
	poller = spdk_poller_register_named(poller_busy, NULL, 0, "leaky_poller");
	assert_non_null(poller);
	ut_set_thread(0);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	spdk_set_thread(leaker);
	assert_int_equal(spdk_thread_exit(leaker), 0);
	spdk_set_thread(NULL);

	ut_log_clear();
	ut_clock_advance_ticks(ut_us_to_ticks(1000) - 1);
	spdk_thread_poll(leaker, 0, ut_clock_now());
	ut_poll_threads();
	assert_false(spdk_thread_is_exited(leaker));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	/* At the deadline it lists what it holds, by name, and is forced out. */
	ut_clock_advance_ticks(1);
	spdk_thread_poll(leaker, 0, ut_clock_now());
	assert_true(spdk_thread_is_exited(leaker));
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "leaker", "forced", NULL), 1);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "leaker", "leaky_dev", "2 reference", NULL),
		1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "leaker", "leaky_poller", NULL), 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	assert_int_equal(dev.destroys, 0);

	/* Destroying it releases the channel, which lets the unregistration of
	 * the device finish on thread 0. */
	ut_log_clear();
	spdk_thread_destroy(leaker);
	assert_int_equal(dev.destroys, 1);
	assert_int_equal(dev.bad_ctx, 0);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "leaker", "leaky_dev", NULL), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_WARN, "leaker", "leaky_poller", NULL), 1);
	assert_int_equal(dev.unregistered, 0);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	assert_ptr_equal(dev.unregister_thread, ut_thread(0));
	ut_set_thread(UT_NO_THREAD);

	updk_thread_set_exit_timeout(0);
	assert_int_equal(updk_thread_get_exit_timeout(), UPDK_THREAD_EXIT_TIMEOUT_US);
}

/* ---------------------------------------------------------------------- */
/* Polling                                                                 */
/* ---------------------------------------------------------------------- */

static bool g_critical_ctx_was_null;

static void
msg_critical(void *ctx)
{
	g_critical_ctx_was_null = (ctx == NULL);
	trace(100);
}

static void
poll_runs_critical_then_messages_then_active_newest_first_then_timed_by_deadline(void **state)
{
	struct ut_poller t_late, t_early, t_mid, a_old, a_new;
	struct spdk_thread *t0 = ut_thread(0);

	ut_set_thread(0);
	ut_poller_register(&t_late, 33, 300, "t_late");
	ut_poller_register(&t_early, 31, 100, "t_early");
	ut_poller_register(&t_mid, 32, 200, "t_mid");
	ut_poller_register(&a_old, 21, 0, "a_old");
	ut_poller_register(&a_new, 22, 0, "a_new");
	assert_int_equal(spdk_thread_next_poller_expiration(t0),
			 ut_clock_now() + ut_us_to_ticks(100));
	spdk_thread_send_msg(t0, msg_trace, (void *)11);
	spdk_thread_send_msg(t0, msg_trace, (void *)12);
	assert_int_equal(spdk_thread_send_critical_msg(t0, msg_critical), 0);

	ut_clock_advance_us(300);
	assert_int_equal(ut_poll_thread(0), 1);
	ASSERT_TRACE(100, 11, 12, 22, 21, 31, 32, 33);
	assert_true(g_critical_ctx_was_null);

	/* Next round: only the active pollers until the timed ones are due
	 * again, then in deadline order. */
	trace_reset();
	ut_poll_thread(0);
	ASSERT_TRACE(22, 21);
	trace_reset();
	ut_clock_advance_us(200);
	ut_poll_thread(0);
	ASSERT_TRACE(22, 21, 31, 32);

	spdk_poller_unregister(&t_late.poller);
	spdk_poller_unregister(&t_early.poller);
	spdk_poller_unregister(&t_mid.poller);
	spdk_poller_unregister(&a_old.poller);
	spdk_poller_unregister(&a_new.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
poll_runs_at_most_eight_messages(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	intptr_t i;

	for (i = 0; i < 20; i++) {
		assert_int_equal(spdk_thread_send_msg(t0, msg_trace, (void *)i), 0);
	}
	assert_int_equal(ut_poll_thread(0), 1);
	assert_int_equal(g_trace_len, 8);
	assert_int_equal(spdk_thread_poll(t0, 3, ut_clock_now()), 1);
	assert_int_equal(g_trace_len, 11);
	assert_int_equal(spdk_thread_poll(t0, 100, ut_clock_now()), 1);
	assert_int_equal(g_trace_len, 19);
	assert_int_equal(ut_poll_thread(0), 1);
	assert_int_equal(g_trace_len, 20);
	assert_int_equal(ut_poll_thread(0), 0);
	for (i = 0; i < 20; i++) {
		assert_int_equal(g_trace[i], i);
	}
}

static int
poller_minus_one(void *arg)
{
	return -1;
}

static void
poll_return_value_reflects_work_done(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller idle, busy, timed;
	struct spdk_poller *neg;

	assert_int_equal(ut_poll_thread(0), 0);
	spdk_thread_send_msg(t0, msg_count, NULL);
	assert_int_equal(ut_poll_thread(0), 1);
	assert_int_equal(spdk_thread_send_critical_msg(t0, msg_count), 0);
	assert_int_equal(ut_poll_thread(0), 1);
	assert_int_equal(g_msg_count, 2);

	ut_set_thread(0);
	ut_poller_register(&idle, 1, 0, "idle");
	idle.rc = SPDK_POLLER_IDLE;
	neg = spdk_poller_register_named(poller_minus_one, NULL, 0, "minus_one");
	assert_int_equal(ut_poll_thread(0), 0);
	assert_int_equal(idle.runs, 1);

	ut_poller_register(&timed, 2, 10, "timed");
	timed.rc = SPDK_POLLER_BUSY;
	assert_int_equal(ut_poll_thread(0), 0);
	ut_clock_advance_us(10);
	assert_int_equal(ut_poll_thread(0), 1);
	assert_int_equal(timed.runs, 1);
	assert_int_equal(ut_poll_thread(0), 0);

	ut_poller_register(&busy, 3, 0, "busy");
	busy.rc = SPDK_POLLER_BUSY;
	assert_int_equal(ut_poll_thread(0), 1);

	spdk_poller_unregister(&idle.poller);
	spdk_poller_unregister(&busy.poller);
	spdk_poller_unregister(&timed.poller);
	spdk_poller_unregister(&neg);
	ut_set_thread(UT_NO_THREAD);
}

static void
poll_accounts_busy_and_idle_ticks(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct spdk_thread_stats stats;
	uint64_t start = ut_clock_now();

	ut_set_thread(0);
	/* The harness polled every thread once at a time no later than its
	 * creation: nothing was accounted (nothing wrapped around). */
	assert_int_equal(spdk_thread_get_stats(&stats), 0);
	assert_int_equal(stats.busy_tsc, 0);
	assert_int_equal(stats.idle_tsc, 0);

	ut_clock_advance_ticks(100);
	assert_int_equal(ut_poll_thread(0), 0);
	spdk_thread_send_msg(t0, msg_count, NULL);
	ut_clock_advance_ticks(50);
	assert_int_equal(ut_poll_thread(0), 1);
	ut_clock_advance_ticks(7);
	assert_int_equal(ut_poll_thread(0), 0);

	assert_int_equal(spdk_thread_get_stats(&stats), 0);
	assert_int_equal(stats.busy_tsc, 50);
	assert_int_equal(stats.idle_tsc, 107);
	assert_int_equal(spdk_thread_get_last_tsc(t0), start + 157);
	assert_int_equal(spdk_thread_get_last_tsc(NULL), start + 157);

	assert_int_equal(spdk_thread_get_stats(NULL), -EINVAL);
	ut_set_thread(UT_NO_THREAD);
	ut_log_clear();
	assert_int_equal(spdk_thread_get_stats(&stats), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(spdk_thread_get_last_tsc(NULL), 0);
}

static void
poll_with_time_before_thread_creation_keeps_stats_sane(void **state)
{
	struct spdk_thread *late;
	struct spdk_thread_stats stats;
	uint64_t created;

	late = spdk_thread_create("late", NULL);
	assert_non_null(late);
	created = spdk_thread_get_last_tsc(late);
	/* A reactor that read its clock before this thread existed polls it
	 * with that older time. */
	assert_int_equal(spdk_thread_poll(late, 0, created - 1000), 0);
	spdk_set_thread(late);
	assert_int_equal(spdk_thread_get_stats(&stats), 0);
	assert_int_equal(stats.busy_tsc, 0);
	assert_int_equal(stats.idle_tsc, 0);
	spdk_thread_send_msg(late, msg_count, NULL);
	assert_int_equal(spdk_thread_poll(late, 0, created + 10), 1);
	assert_int_equal(spdk_thread_get_stats(&stats), 0);
	assert_int_equal(stats.busy_tsc, 1010);
	assert_int_equal(stats.idle_tsc, 0);
	spdk_set_thread(NULL);
	exit_and_destroy(late);
}

/* The poll clock: what each message batch and poller of a poll sees. */
static uint64_t g_clock_seen[3];
static int g_clock_busy;

static void
msg_read_clock(void *ctx)
{
	g_clock_seen[0] = *updk__thread_clock(spdk_get_thread());
}

static int
poller_read_clock(void *arg)
{
	uint64_t *seen = arg;

	*seen = *updk__thread_clock(spdk_get_thread());
	return g_clock_busy;
}

static void
poll_clock_is_the_batch_start_inside_a_poll_and_zero_outside(void **state)
{
	struct spdk_thread *t = spdk_thread_create("clock", NULL);
	const uint64_t *clock;
	struct spdk_poller *first, *second;
	uint64_t base;

	assert_non_null(t);
	clock = updk__thread_clock(t);
	base = spdk_thread_get_last_tsc(t);
	assert_int_equal(*clock, 0);

	/* Pollers run newest first: "second" is registered first. */
	spdk_set_thread(t);
	second = spdk_poller_register(poller_read_clock, &g_clock_seen[2], 0);
	first = spdk_poller_register(poller_read_clock, &g_clock_seen[1], 0);
	spdk_set_thread(NULL);
	assert_non_null(first);
	assert_non_null(second);

	/* An idle poller leaves the clock alone: everyone sees the poll's time. */
	g_clock_busy = SPDK_POLLER_IDLE;
	assert_int_equal(spdk_thread_poll(t, 0, base + 100), 0);
	assert_int_equal(g_clock_seen[1], base + 100);
	assert_int_equal(g_clock_seen[2], base + 100);
	assert_int_equal(*clock, 0);

	/* Messages see the poll's time; after them and after a busy poller
	 * the clock is read again, and it only moves forward. */
	g_clock_busy = SPDK_POLLER_BUSY;
	spdk_thread_send_msg(t, msg_read_clock, NULL);
	assert_int_equal(spdk_thread_poll(t, 0, base + 200), 1);
	assert_int_equal(g_clock_seen[0], base + 200);
	assert_true(g_clock_seen[1] >= base);
	assert_true(g_clock_seen[2] >= g_clock_seen[1]);
	assert_int_equal(*clock, 0);

	spdk_set_thread(t);
	spdk_poller_unregister(&first);
	spdk_poller_unregister(&second);
	spdk_set_thread(NULL);
	exit_and_destroy(t);
}

static void
thread_is_idle_and_poller_queries(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller active, timed;

	assert_true(spdk_thread_is_idle(t0));
	assert_false(spdk_thread_has_pollers(t0));
	assert_int_equal(spdk_thread_has_active_pollers(t0), 0);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), 0);

	spdk_thread_send_msg(t0, msg_count, NULL);
	assert_false(spdk_thread_is_idle(t0));
	ut_poll_thread(0);
	assert_true(spdk_thread_is_idle(t0));
	assert_int_equal(spdk_thread_send_critical_msg(t0, msg_count), 0);
	assert_false(spdk_thread_is_idle(t0));
	ut_poll_thread(0);
	assert_true(spdk_thread_is_idle(t0));

	ut_set_thread(0);
	ut_poller_register(&timed, 1, 50, "timed");
	assert_false(spdk_thread_is_idle(t0));
	assert_true(spdk_thread_has_pollers(t0));
	assert_int_equal(spdk_thread_has_active_pollers(t0), 0);
	ut_poller_register(&active, 2, 0, "active");
	assert_int_equal(spdk_thread_has_active_pollers(t0), 1);

	/* Paused pollers count as pollers, but the thread is idle. */
	spdk_poller_pause(timed.poller);
	spdk_poller_pause(active.poller);
	ut_poll_thread(0);
	assert_true(spdk_thread_is_idle(t0));
	assert_true(spdk_thread_has_pollers(t0));
	assert_int_equal(spdk_thread_has_active_pollers(t0), 0);
	assert_ptr_equal(spdk_thread_get_first_paused_poller(t0), timed.poller);
	assert_ptr_equal(spdk_thread_get_next_paused_poller(timed.poller), active.poller);
	assert_null(spdk_thread_get_next_paused_poller(active.poller));

	spdk_poller_unregister(&timed.poller);
	spdk_poller_unregister(&active.poller);
	assert_false(spdk_thread_has_pollers(t0));
	assert_int_equal(active.runs + timed.runs, 0);
	ut_set_thread(UT_NO_THREAD);
}

/* ---------------------------------------------------------------------- */
/* Messages                                                                */
/* ---------------------------------------------------------------------- */

static uint32_t g_nested_runs;
static bool g_nested_ran_inside_send;

static void
msg_nested_inner(void *ctx)
{
	g_nested_runs++;
}

static void
msg_nested_outer(void *ctx)
{
	uint32_t before = g_nested_runs;

	assert_int_equal(spdk_thread_send_msg(spdk_get_thread(), msg_nested_inner, NULL), 0);
	g_nested_ran_inside_send = (g_nested_runs != before);
}

static void
send_msg_never_runs_inside_send(void **state)
{
	struct spdk_thread *t0 = ut_thread(0), *t1 = ut_thread(1);

	g_nested_runs = 0;
	g_nested_ran_inside_send = false;

	/* From no thread, to a thread, and from a thread to itself. */
	assert_int_equal(spdk_thread_send_msg(t0, msg_count, NULL), 0);
	assert_int_equal(g_msg_count, 0);
	ut_set_thread(1);
	assert_int_equal(spdk_thread_send_msg(t1, msg_count, NULL), 0);
	assert_int_equal(g_msg_count, 0);
	ut_set_thread(UT_NO_THREAD);

	ut_poll_thread(0);
	assert_int_equal(g_msg_count, 1);
	assert_ptr_equal(g_msg_thread, t0);
	ut_poll_thread(1);
	assert_int_equal(g_msg_count, 2);
	assert_ptr_equal(g_msg_thread, t1);

	/* A message sending a message to its own thread. */
	spdk_thread_send_msg(t0, msg_nested_outer, NULL);
	ut_poll_threads();
	assert_false(g_nested_ran_inside_send);
	assert_int_equal(g_nested_runs, 1);

	assert_int_equal(spdk_thread_send_msg(NULL, msg_count, NULL), -EINVAL);
	assert_int_equal(spdk_thread_send_msg(t0, NULL, NULL), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
}

#define FIFO_SENDERS 3
#define FIFO_PER_SENDER 300

static uint32_t g_fifo_next[FIFO_SENDERS];
static uint32_t g_fifo_violations;
static uint32_t g_fifo_received;

static void
msg_fifo(void *ctx)
{
	uintptr_t v = (uintptr_t)ctx;
	uint32_t sender = (uint32_t)(v >> 32), seq = (uint32_t)v;

	if (g_fifo_next[sender] != seq) {
		g_fifo_violations++;
	}
	g_fifo_next[sender] = seq + 1;
	g_fifo_received++;
}

static void
send_msg_fifo_per_sender(void **state)
{
	struct spdk_thread *target = ut_thread(3);
	uint32_t seq, s;
	uintptr_t v;

	memset(g_fifo_next, 0, sizeof(g_fifo_next));
	g_fifo_violations = 0;
	g_fifo_received = 0;

	/* Senders 0 and 1 are threads 0 and 1; sender 2 is no SPDK thread. The
	 * sends interleave, and the target is polled part-way through. */
	for (seq = 0; seq < FIFO_PER_SENDER; seq++) {
		for (s = 0; s < FIFO_SENDERS; s++) {
			ut_set_thread(s < 2 ? s : UT_NO_THREAD);
			v = ((uintptr_t)s << 32) | seq;
			assert_int_equal(spdk_thread_send_msg(target, msg_fifo, (void *)v), 0);
		}
		if (seq % 7 == 0) {
			ut_poll_thread(3);
		}
	}
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(g_fifo_received, FIFO_SENDERS * FIFO_PER_SENDER);
	assert_int_equal(g_fifo_violations, 0);
	for (s = 0; s < FIFO_SENDERS; s++) {
		assert_int_equal(g_fifo_next[s], FIFO_PER_SENDER);
	}
}

static uint64_t g_seq_next;
static uint64_t g_seq_violations;

static void
msg_seq(void *ctx)
{
	if ((uint64_t)(uintptr_t)ctx != g_seq_next) {
		g_seq_violations++;
	}
	g_seq_next = (uint64_t)(uintptr_t)ctx + 1;
}

/* Overflowed messages: more than two chunks of the overflow list. */
#define OVERFLOWED (2 * MSG_CHUNK_MSGS + 10)

static void
send_msg_ring_overflow_keeps_order(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	uint64_t i, total = MSG_RING_SIZE + OVERFLOWED;
	uint32_t polls = 0;

	g_seq_next = 0;
	g_seq_violations = 0;
	for (i = 0; i < total; i++) {
		assert_int_equal(spdk_thread_send_msg(t0, msg_seq, (void *)(uintptr_t)i), 0);
	}
	assert_int_equal(t0->overflow_count, OVERFLOWED);

	/* Drain the ring. */
	for (i = 0; i < MSG_RING_SIZE / MSG_BATCH_SIZE; i++) {
		assert_int_equal(ut_poll_thread(0), 1);
	}
	assert_int_equal(g_seq_next, MSG_RING_SIZE);
	assert_int_equal(t0->overflow_count, OVERFLOWED);

	/* The next poll takes the whole overflow list at once and runs 8 of
	 * its messages; senders use the ring again at once, and what they send
	 * runs after the rest of the list. */
	assert_int_equal(ut_poll_thread(0), 1);
	assert_int_equal(t0->overflow_count, 0);
	assert_int_equal(t0->overflow_taken_count, OVERFLOWED - MSG_BATCH_SIZE);
	assert_false(spdk_thread_is_idle(t0));
	for (i = total; i < total + 20; i++) {
		assert_int_equal(spdk_thread_send_msg(t0, msg_seq, (void *)(uintptr_t)i), 0);
	}
	assert_int_equal(t0->overflow_count, 0);
	total += 20;

	polls = 0;
	while (ut_poll_thread(0) > 0) {
		polls++;
	}
	assert_int_equal(g_seq_next, total);
	assert_int_equal(g_seq_violations, 0);
	assert_int_equal(polls,
			 (OVERFLOWED - MSG_BATCH_SIZE + 20 + MSG_BATCH_SIZE - 1) / MSG_BATCH_SIZE);
	assert_int_equal(t0->overflow_taken_count, 0);
	assert_true(spdk_thread_is_idle(t0));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
}

static void
msg_send_to_self(void *ctx)
{
	struct spdk_thread *self = spdk_get_thread();
	uint64_t i;

	/* The consumer fills its own ring (it never waits for room then: it is
	 * the one that would have to make it). */
	for (i = 0; i < MSG_RING_SIZE + 10; i++) {
		spdk_thread_send_msg(self, msg_seq, (void *)(uintptr_t)i);
	}
}

static void
send_msg_to_own_full_ring_keeps_order(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);

	g_seq_next = 0;
	g_seq_violations = 0;
	spdk_thread_send_msg(t0, msg_send_to_self, NULL);
	ut_poll_thread(0);
	assert_int_equal(t0->overflow_count, 10);
	while (ut_poll_thread(0) > 0) {
	}
	assert_int_equal(g_seq_next, MSG_RING_SIZE + 10);
	assert_int_equal(g_seq_violations, 0);
}

static void
msg_stalled(void *ctx)
{
	g_seq_next = 0;
	trace(1);
}

static void
send_msg_overflow_waits_for_a_stalled_producer(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct msg_cell *cell;
	uint64_t pos, i;

	/* A producer claims the next ring position and is preempted before it
	 * publishes its message (simulated by claiming the position here). */
	pos = t0->msg_tail;
	assert_int_equal(pos, t0->msg_head);
	t0->msg_tail = pos + 1;

	/* One sender fills the rest of the ring; its last message overflows. */
	g_seq_next = UINT64_MAX;
	g_seq_violations = 0;
	for (i = 0; i < MSG_RING_SIZE; i++) {
		assert_int_equal(spdk_thread_send_msg(t0, msg_seq, (void *)(uintptr_t)i), 0);
	}
	assert_int_equal(t0->overflow_count, 1);
	assert_false(spdk_thread_is_idle(t0));

	/* Nothing may run before the stalled message: in particular not the
	 * overflowed one, which would overtake its sender's earlier messages. */
	assert_int_equal(ut_poll_thread(0), 0);
	assert_int_equal(ut_poll_thread(0), 0);
	assert_int_equal(g_seq_next, UINT64_MAX);
	assert_int_equal(t0->overflow_count, 1);

	/* The producer wakes up and publishes. */
	cell = &t0->msg_ring[pos & (MSG_RING_SIZE - 1)];
	cell->fn = msg_stalled;
	cell->ctx = NULL;
	__atomic_store_n(&cell->turn, 2 * (pos >> MSG_RING_ORDER) + 1, __ATOMIC_RELEASE);

	while (ut_poll_thread(0) > 0) {
	}
	ASSERT_TRACE(1);
	assert_int_equal(g_seq_violations, 0);
	assert_int_equal(g_seq_next, MSG_RING_SIZE);
	assert_true(spdk_thread_is_idle(t0));
}

static void
send_msg_to_exited_thread_refused(void **state)
{
	struct spdk_thread *t3 = ut_thread(3);

	ut_set_thread(3);
	spdk_thread_exit(t3);
	ut_set_thread(1);
	ut_poll_thread(3);
	assert_true(spdk_thread_is_exited(t3));

	ut_log_clear();
	assert_int_equal(spdk_thread_send_msg(t3, msg_count, NULL), -EIO);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "ut3", "exited", "ut1", NULL), 1);
	ut_set_thread(UT_NO_THREAD);
	assert_int_equal(g_msg_count, 0);
}

static void
send_critical_msg_runs_first_and_has_one_slot(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);

	spdk_thread_send_msg(t0, msg_trace, (void *)1);
	assert_int_equal(spdk_thread_send_critical_msg(t0, msg_critical), 0);
	assert_int_equal(spdk_thread_send_critical_msg(t0, msg_count), -EIO);
	ut_poll_thread(0);
	ASSERT_TRACE(100, 1);
	assert_int_equal(g_msg_count, 0);

	/* The slot is free again. */
	assert_int_equal(spdk_thread_send_critical_msg(t0, msg_count), 0);
	ut_poll_thread(0);
	assert_int_equal(g_msg_count, 1);
	assert_int_equal(spdk_thread_send_critical_msg(NULL, msg_count), -EINVAL);
	assert_int_equal(spdk_thread_send_critical_msg(t0, NULL), -EINVAL);
}

static void
exec_msg_runs_inline_only_on_the_current_thread(void **state)
{
	ut_set_thread(0);
	assert_int_equal(spdk_thread_exec_msg(ut_thread(0), msg_count, NULL), 0);
	assert_int_equal(g_msg_count, 1);
	assert_int_equal(spdk_thread_exec_msg(ut_thread(1), msg_count, NULL), 0);
	assert_int_equal(g_msg_count, 1);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_thread(1);
	assert_int_equal(g_msg_count, 2);
	assert_ptr_equal(g_msg_thread, ut_thread(1));
}

static void
msg_trace_thread_id(void *ctx)
{
	trace((int)spdk_thread_get_id(spdk_get_thread()));
}

static struct spdk_thread *g_cpl_thread;
static uint32_t g_cpl_trace_len;

static void
msg_for_each_thread_cpl(void *ctx)
{
	g_cpl_thread = spdk_get_thread();
	g_cpl_trace_len = g_trace_len;
	trace(-1);
}

static void
for_each_thread_visits_running_threads_in_order_then_completes_on_caller(void **state)
{
	struct spdk_poller *poller;

	/* Thread 3 is exiting (a poller keeps it from finishing): skipped. */
	ut_set_thread(3);
	poller = spdk_poller_register_named(poller_busy, NULL, 1000, "keeps_ut3");
	spdk_thread_exit(ut_thread(3));

	ut_set_thread(2);
	g_cpl_thread = NULL;
	spdk_for_each_thread(msg_trace_thread_id, NULL, msg_for_each_thread_cpl);
	assert_int_equal(g_trace_len, 0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	ASSERT_TRACE(1, 2, 3, -1);
	assert_ptr_equal(g_cpl_thread, ut_thread(2));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	/* Without a current thread: one error, and the completion runs at once. */
	trace_reset();
	spdk_for_each_thread(msg_trace_thread_id, NULL, msg_for_each_thread_cpl);
	ASSERT_TRACE(-1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);

	ut_set_thread(3);
	spdk_poller_unregister(&poller);
	ut_set_thread(UT_NO_THREAD);
}

/* ---------------------------------------------------------------------- */
/* Pollers                                                                 */
/* ---------------------------------------------------------------------- */

static void
poller_active_runs_every_poll_and_timed_when_due(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller active, timed;
	uint64_t period = ut_us_to_ticks(1000);

	ut_set_thread(0);
	ut_poller_register(&active, 1, 0, "active");
	ut_poller_register(&timed, 2, 1000, "timed");
	assert_int_equal(spdk_poller_get_period_ticks(timed.poller), period);
	assert_int_equal(spdk_poller_get_period_ticks(active.poller), 0);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), ut_clock_now() + period);

	ut_poll_thread(0);
	assert_int_equal(active.runs, 1);
	assert_int_equal(timed.runs, 0);
	ut_clock_advance_ticks(period - 1);
	ut_poll_thread(0);
	assert_int_equal(active.runs, 2);
	assert_int_equal(timed.runs, 0);
	ut_clock_advance_ticks(1);
	ut_poll_thread(0);
	assert_int_equal(timed.runs, 1);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), ut_clock_now() + period);

	/* After a long gap it runs once, and its next run is a period from now:
	 * missed runs are not caught up. */
	ut_clock_advance_ticks(5 * period);
	ut_poll_thread(0);
	ut_poll_thread(0);
	assert_int_equal(timed.runs, 2);
	assert_int_equal(active.runs, 5);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), ut_clock_now() + period);

	/* A timed poller goes at once; an active one by the next poll. */
	spdk_poller_unregister(&timed.poller);
	assert_null(timed.poller);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), 0);
	spdk_poller_unregister(&active.poller);
	assert_null(active.poller);
	ut_poll_thread(0);
	assert_int_equal(active.runs, 5);
	assert_int_equal(spdk_thread_has_active_pollers(t0), 0);
	assert_false(spdk_thread_has_pollers(t0));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static int
named_by_macro(void *arg)
{
	return SPDK_POLLER_IDLE;
}

static void
poller_names_ids_states_and_stats(void **state)
{
	struct spdk_poller *by_macro, *unnamed;
	struct spdk_poller_stats stats;
	struct ut_poller p;
	char expected[32];

	ut_set_thread(1);
	by_macro = SPDK_POLLER_REGISTER(named_by_macro, NULL, 0);
	unnamed = spdk_poller_register(named_by_macro, NULL, 0);
	ut_poller_register(&p, 1, 0, "explicit");
	assert_string_equal(spdk_poller_get_name(by_macro), "named_by_macro");
	snprintf(expected, sizeof(expected), "%p", (void *)named_by_macro);
	assert_string_equal(spdk_poller_get_name(unnamed), expected);
	assert_string_equal(spdk_poller_get_name(p.poller), "explicit");
	assert_true(spdk_poller_get_id(unnamed) > spdk_poller_get_id(by_macro));
	assert_true(spdk_poller_get_id(p.poller) > spdk_poller_get_id(unnamed));
	assert_string_equal(spdk_poller_get_state_str(p.poller), "waiting");

	p.rc = SPDK_POLLER_BUSY;
	ut_poll_thread(1);
	p.rc = SPDK_POLLER_IDLE;
	ut_poll_thread(1);
	p.rc = SPDK_POLLER_BUSY;
	ut_poll_thread(1);
	assert_string_equal(p.state_seen, "running");
	spdk_poller_get_stats(p.poller, &stats);
	assert_int_equal(stats.run_count, 3);
	assert_int_equal(stats.busy_count, 2);

	/* Newest first. */
	assert_ptr_equal(spdk_thread_get_first_active_poller(ut_thread(1)), p.poller);
	assert_ptr_equal(spdk_thread_get_next_active_poller(p.poller), unnamed);

	spdk_poller_pause(p.poller);
	assert_string_equal(spdk_poller_get_state_str(p.poller), "pausing");
	ut_poll_thread(1);
	assert_string_equal(spdk_poller_get_state_str(p.poller), "paused");

	spdk_poller_unregister(&by_macro);
	spdk_poller_unregister(&unnamed);
	spdk_poller_unregister(&p.poller);
	ut_set_thread(UT_NO_THREAD);
}

static void
poller_register_needs_a_live_thread(void **state)
{
	struct spdk_thread *gone;
	struct spdk_poller *poller;
	struct ut_dev dev;

	ut_set_thread(UT_NO_THREAD);
	assert_null(spdk_poller_register_named(poller_busy, NULL, 0, "orphan"));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "orphan", NULL), 1);
	assert_null(spdk_poller_register_named(NULL, NULL, 0, "no_fn"));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);

	/* An exiting thread may still register; an exited one may not. */
	ut_set_thread(0);
	ut_dev_register(&dev, "dev", 0);
	gone = spdk_thread_create("gone", NULL);
	spdk_set_thread(gone);
	spdk_thread_exit(gone);
	poller = spdk_poller_register_named(poller_busy, NULL, 0, "late_but_fine");
	assert_non_null(poller);
	spdk_poller_unregister(&poller);
	spdk_thread_poll(gone, 0, ut_clock_now());
	assert_true(spdk_thread_is_exited(gone));
	spdk_set_thread(gone);
	assert_null(spdk_poller_register_named(poller_busy, NULL, 0, "too_late"));
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "too_late", "gone", NULL), 1);
	assert_null(spdk_get_io_channel(&dev));
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "spdk_get_io_channel", "gone",
					       "exited", NULL),
			 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 4);
	assert_int_equal(dev.creates, 0);
	spdk_set_thread(NULL);
	spdk_thread_destroy(gone);

	ut_set_thread(0);
	spdk_io_device_unregister(&dev, NULL);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
}

static void
poller_pause_and_resume_active(void **state)
{
	struct ut_poller p;

	ut_set_thread(0);
	ut_poller_register(&p, 1, 0, "p");
	ut_poll_thread(0);
	assert_int_equal(p.runs, 1);

	spdk_poller_pause(p.poller);
	spdk_poller_pause(p.poller);
	ut_poll_thread(0);
	ut_poll_thread(0);
	assert_int_equal(p.runs, 1);
	assert_string_equal(spdk_poller_get_state_str(p.poller), "paused");

	spdk_poller_resume(p.poller);
	spdk_poller_resume(p.poller);
	ut_poll_thread(0);
	assert_int_equal(p.runs, 2);

	/* Paused and resumed before the poll loop got to it: keeps running. */
	spdk_poller_pause(p.poller);
	spdk_poller_resume(p.poller);
	ut_poll_thread(0);
	assert_int_equal(p.runs, 3);

	spdk_poller_unregister(&p.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
poller_pause_and_resume_timed_restarts_its_period(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	uint64_t period = ut_us_to_ticks(100);
	struct ut_poller p;

	ut_set_thread(0);
	ut_poller_register(&p, 1, 100, "timed");
	spdk_poller_pause(p.poller);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), 0);
	ut_clock_advance_us(500);
	ut_poll_thread(0);
	assert_int_equal(p.runs, 0);

	spdk_poller_resume(p.poller);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), ut_clock_now() + period);
	ut_clock_advance_ticks(period - 1);
	ut_poll_thread(0);
	assert_int_equal(p.runs, 0);
	ut_clock_advance_ticks(1);
	ut_poll_thread(0);
	assert_int_equal(p.runs, 1);

	/* An unregistered paused poller is simply freed. */
	spdk_poller_pause(p.poller);
	spdk_poller_unregister(&p.poller);
	assert_false(spdk_thread_has_pollers(t0));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
poller_pause_in_own_callback(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller active, timed;

	ut_set_thread(0);
	ut_poller_register(&active, 1, 0, "active");
	ut_poller_register(&timed, 2, 10, "timed");
	active.action = act_pause_self;
	timed.action = act_pause_self;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ut_clock_advance_us(100);
	ut_poll_thread(0);
	assert_int_equal(active.runs, 1);
	assert_int_equal(timed.runs, 1);
	assert_int_equal(spdk_thread_next_poller_expiration(t0), 0);
	assert_string_equal(spdk_poller_get_state_str(active.poller), "paused");
	assert_string_equal(spdk_poller_get_state_str(timed.poller), "paused");

	active.action = NULL;
	timed.action = NULL;
	spdk_poller_resume(active.poller);
	spdk_poller_resume(timed.poller);
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	assert_int_equal(active.runs, 2);
	assert_int_equal(timed.runs, 2);

	spdk_poller_unregister(&active.poller);
	spdk_poller_unregister(&timed.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
poller_pause_then_resume_in_own_callback_keeps_running(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller active, timed;

	ut_set_thread(0);
	ut_poller_register(&active, 1, 0, "active");
	ut_poller_register(&timed, 2, 10, "timed");
	active.action = act_pause_resume_self;
	timed.action = act_pause_resume_self;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	assert_int_equal(spdk_thread_next_poller_expiration(t0),
			 ut_clock_now() + ut_us_to_ticks(10));
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	assert_int_equal(active.runs, 2);
	assert_int_equal(timed.runs, 2);
	assert_string_equal(spdk_poller_get_state_str(active.poller), "waiting");
	assert_string_equal(spdk_poller_get_state_str(timed.poller), "waiting");

	spdk_poller_unregister(&active.poller);
	spdk_poller_unregister(&timed.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
poller_unregister_in_own_callback(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller active, timed, paused_active, paused_timed;

	ut_set_thread(0);
	ut_poller_register(&active, 1, 0, "active");
	ut_poller_register(&timed, 2, 10, "timed");
	ut_poller_register(&paused_active, 3, 0, "paused_active");
	ut_poller_register(&paused_timed, 4, 10, "paused_timed");
	active.action = act_unregister_self;
	timed.action = act_unregister_self;
	paused_active.action = act_pause_unregister_self;
	paused_timed.action = act_pause_unregister_self;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	assert_null(active.poller);
	assert_null(timed.poller);
	assert_null(paused_active.poller);
	assert_null(paused_timed.poller);

	ut_clock_advance_us(100);
	ut_poll_thread(0);
	assert_int_equal(active.runs, 1);
	assert_int_equal(timed.runs, 1);
	assert_int_equal(paused_active.runs, 1);
	assert_int_equal(paused_timed.runs, 1);
	assert_false(spdk_thread_has_pollers(t0));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
poller_unregister_or_pause_another_from_inside_a_poller(void **state)
{
	struct ut_poller a_old, a_new, a_victim, t_first, t_second, t_active_victim;

	ut_set_thread(0);
	/* Active pollers run newest first: a_new, a_old, a_victim. a_new
	 * unregisters a_old (the next one in this very loop) and pauses
	 * a_victim. */
	ut_poller_register(&a_victim, 1, 0, "a_victim");
	ut_poller_register(&a_old, 2, 0, "a_old");
	ut_poller_register(&a_new, 3, 0, "a_new");
	a_new.other = &a_old;
	a_new.action = act_unregister_other;
	ut_poll_thread(0);
	ASSERT_TRACE(3, 1);
	assert_null(a_old.poller);

	trace_reset();
	a_new.other = &a_victim;
	a_new.action = act_pause_other;
	ut_poll_thread(0);
	ut_poll_thread(0);
	ASSERT_TRACE(3, 3);
	a_new.action = act_resume_other;
	ut_poll_thread(0);
	ut_poll_thread(0);
	/* Resumed after its turn in the loop: from the next poll on it runs,
	 * first, as the newest active poller. */
	ASSERT_TRACE(3, 3, 3, 1, 3);
	a_new.action = NULL;

	/* Both timed pollers are due; the first unregisters the second, which
	 * then does not run, and an active poller that already ran. */
	trace_reset();
	ut_poller_register(&t_first, 10, 10, "t_first");
	ut_poller_register(&t_second, 11, 20, "t_second");
	ut_poller_register(&t_active_victim, 12, 0, "t_active_victim");
	t_first.other = &t_second;
	t_first.action = act_unregister_other;
	ut_clock_advance_us(20);
	ut_poll_thread(0);
	ASSERT_TRACE(12, 1, 3, 10);
	assert_null(t_second.poller);

	trace_reset();
	t_first.other = &t_active_victim;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ASSERT_TRACE(12, 1, 3, 10, 1, 3, 10);
	assert_int_equal(t_second.runs, 0);

	spdk_poller_unregister(&a_new.poller);
	spdk_poller_unregister(&a_victim.poller);
	spdk_poller_unregister(&t_first.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static struct ut_poller *g_pp_target;

static void
pp_trace(void *arg)
{
	trace((int)(intptr_t)arg);
}

static void
pp_unregister_target(void *arg)
{
	trace(90);
	spdk_poller_unregister(&g_pp_target->poller);
}

static void
pp_pause_resume_target(void *arg)
{
	trace(91);
	spdk_poller_pause(g_pp_target->poller);
	spdk_poller_resume(g_pp_target->poller);
}

static void
pp_pause_unregister_target(void *arg)
{
	trace(93);
	spdk_poller_pause(g_pp_target->poller);
	spdk_poller_unregister(&g_pp_target->poller);
}

static void
pp_pause_target(void *arg)
{
	trace(92);
	spdk_poller_pause(g_pp_target->poller);
}

static void
pp_register_again(void *arg)
{
	trace(94);
	spdk_thread_register_post_poller_handler(pp_trace, (void *)70);
}

static void
act_register_pp_from_pp(struct ut_poller *p)
{
	spdk_thread_register_post_poller_handler(pp_register_again, NULL);
}

static void
act_register_pp_handlers(struct ut_poller *p)
{
	intptr_t i;

	for (i = 0; i < 5; i++) {
		spdk_thread_register_post_poller_handler(pp_trace, (void *)(50 + i));
	}
	trace(p->id + 100);
}

static void
post_poller_handlers_run_after_the_poller_returns(void **state)
{
	struct ut_poller first, second;

	ut_set_thread(0);
	ut_poller_register(&second, 2, 0, "second");
	ut_poller_register(&first, 1, 0, "pp_owner");
	first.action = act_register_pp_handlers;
	ut_poll_thread(0);
	/* Four handlers at most; the fifth is refused with an error naming the
	 * poller. They run after the poller returns, before the next poller. */
	ASSERT_TRACE(1, 101, 50, 51, 52, 53, 2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "pp_owner", NULL), 1);

	/* One-shot: not run again unless registered again. */
	trace_reset();
	first.action = NULL;
	ut_poll_thread(0);
	ASSERT_TRACE(1, 2);

	/* Outside a poller: refused. */
	ut_log_clear();
	spdk_thread_register_post_poller_handler(pp_trace, (void *)60);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	trace_reset();
	ut_poll_thread(0);
	ASSERT_TRACE(1, 2);

	/* From a post-poller handler: refused. */
	ut_log_clear();
	trace_reset();
	first.action = act_register_pp_from_pp;
	ut_poll_thread(0);
	first.action = NULL;
	ut_poll_thread(0);
	ASSERT_TRACE(1, 94, 2, 1, 2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "pp_owner", "post-poller handler", NULL), 1);

	spdk_poller_unregister(&first.poller);
	spdk_poller_unregister(&second.poller);
	ut_set_thread(UT_NO_THREAD);
}

static void
act_register_pp_unregister(struct ut_poller *p)
{
	g_pp_target = p;
	spdk_thread_register_post_poller_handler(pp_unregister_target, NULL);
}

static void
act_register_pp_pause_unregister(struct ut_poller *p)
{
	g_pp_target = p;
	spdk_thread_register_post_poller_handler(pp_pause_unregister_target, NULL);
}

static void
act_register_pp_pause_resume(struct ut_poller *p)
{
	g_pp_target = p;
	spdk_thread_register_post_poller_handler(pp_pause_resume_target, NULL);
}

static void
act_register_pp_pause(struct ut_poller *p)
{
	g_pp_target = p;
	spdk_thread_register_post_poller_handler(pp_pause_target, NULL);
}

static void
post_poller_handler_can_unregister_its_poller(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller active, timed;

	ut_set_thread(0);
	ut_poller_register(&active, 1, 0, "active");
	active.action = act_register_pp_unregister;
	ut_poll_thread(0);
	ut_poll_thread(0);
	ASSERT_TRACE(1, 90);
	assert_null(active.poller);

	trace_reset();
	ut_poller_register(&timed, 2, 10, "timed");
	timed.action = act_register_pp_unregister;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ASSERT_TRACE(2, 90);
	assert_null(timed.poller);
	assert_false(spdk_thread_has_pollers(t0));

	/* Paused, then unregistered, while the poll loop holds it. */
	trace_reset();
	ut_poller_register(&timed, 3, 10, "timed_paused");
	ut_poller_register(&active, 4, 0, "active_paused");
	timed.action = act_register_pp_pause_unregister;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	active.action = act_register_pp_pause_unregister;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ASSERT_TRACE(4, 3, 93, 4, 93);
	assert_null(timed.poller);
	assert_null(active.poller);
	assert_false(spdk_thread_has_pollers(t0));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
post_poller_handler_can_pause_and_resume_its_poller(void **state)
{
	struct spdk_thread *t0 = ut_thread(0);
	struct ut_poller active, timed;

	ut_set_thread(0);
	ut_poller_register(&timed, 2, 10, "timed");
	timed.action = act_register_pp_pause_resume;
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	/* Paused and resumed: still scheduled, a period from now. */
	assert_int_equal(spdk_thread_next_poller_expiration(t0),
			 ut_clock_now() + ut_us_to_ticks(10));
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ASSERT_TRACE(2, 91, 2, 91);

	timed.action = act_register_pp_pause;
	trace_reset();
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ut_clock_advance_us(10);
	ut_poll_thread(0);
	ASSERT_TRACE(2, 92);
	assert_string_equal(spdk_poller_get_state_str(timed.poller), "paused");
	spdk_poller_unregister(&timed.poller);

	trace_reset();
	ut_poller_register(&active, 1, 0, "active");
	active.action = act_register_pp_pause_resume;
	ut_poll_thread(0);
	ut_poll_thread(0);
	ASSERT_TRACE(1, 91, 1, 91);
	spdk_poller_unregister(&active.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
poller_operations_from_wrong_thread_refused(void **state)
{
	struct spdk_poller *saved;
	struct ut_poller p;

	ut_set_thread(0);
	ut_poller_register(&p, 1, 0, "victim");
	saved = p.poller;

	ut_set_thread(1);
	spdk_poller_unregister(&p.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "spdk_poller_unregister", "victim",
					       "ut1", "ut0", NULL),
			 1);
	assert_ptr_equal(p.poller, saved);

	spdk_poller_pause(p.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "spdk_poller_pause", "victim", "ut1",
					       "ut0", NULL),
			 1);
	spdk_poller_resume(p.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "spdk_poller_resume", "victim",
					       "ut1", "ut0", NULL),
			 1);

	ut_set_thread(UT_NO_THREAD);
	spdk_poller_unregister(&p.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 4);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "spdk_poller_unregister", "victim",
					       "none", "ut0", NULL),
			 1);
	assert_ptr_equal(p.poller, saved);

	/* Nothing changed: it still runs, on its own thread. */
	ut_poll_thread(0);
	ut_poll_thread(1);
	assert_int_equal(p.runs, 1);
	assert_string_equal(spdk_poller_get_state_str(p.poller), "waiting");

	ut_set_thread(0);
	spdk_poller_unregister(&p.poller);
	assert_null(p.poller);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 4);
	ut_set_thread(UT_NO_THREAD);
}

/* ---------------------------------------------------------------------- */
/* I/O devices and channels                                                */
/* ---------------------------------------------------------------------- */

static void
io_channel_one_per_thread_and_reference_counted(void **state)
{
	struct spdk_io_channel *ch0, *ch1;
	struct ut_dev dev;
	void *ctx;

	ut_set_thread(0);
	ut_dev_register(&dev, "dev0", 64);
	ch0 = spdk_get_io_channel(&dev);
	assert_non_null(ch0);
	assert_int_equal(dev.creates, 1);
	assert_ptr_equal(dev.create_thread, ut_thread(0));
	assert_true(dev.ctx_was_zero);
	assert_ptr_equal(spdk_get_io_channel(&dev), ch0);
	assert_int_equal(dev.creates, 1);
	assert_int_equal(spdk_io_channel_get_ref_count(ch0), 2);

	ut_set_thread(1);
	ch1 = spdk_get_io_channel(&dev);
	assert_non_null(ch1);
	assert_ptr_not_equal(ch1, ch0);
	assert_int_equal(dev.creates, 2);
	assert_ptr_equal(dev.create_thread, ut_thread(1));
	assert_int_equal(spdk_io_channel_get_ref_count(ch1), 1);

	/* Accessors. */
	ctx = spdk_io_channel_get_ctx(ch0);
	assert_ptr_equal(ctx, (uint8_t *)ch0 + SPDK_IO_CHANNEL_STRUCT_SIZE);
	assert_int_equal(*(uint64_t *)ctx, UT_DEV_MAGIC);
	assert_ptr_equal(spdk_io_channel_from_ctx(ctx), ch0);
	assert_null(spdk_io_channel_get_ctx(NULL));
	assert_ptr_equal(spdk_io_channel_get_thread(ch0), ut_thread(0));
	assert_ptr_equal(spdk_io_channel_get_thread(ch1), ut_thread(1));
	assert_ptr_equal(spdk_io_channel_get_io_device(ch1), &dev);
	assert_string_equal(spdk_io_channel_get_io_device_name(ch1), "dev0");
	assert_ptr_equal(spdk_thread_get_first_io_channel(ut_thread(0)), ch0);
	assert_null(spdk_thread_get_next_io_channel(ch0));

	/* The reference count decides when the channel goes. */
	spdk_put_io_channel(ch1);
	ut_set_thread(0);
	spdk_put_io_channel(ch0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);
	assert_ptr_equal(dev.destroy_thread, ut_thread(1));
	assert_int_equal(spdk_io_channel_get_ref_count(ch0), 1);
	ut_set_thread(0);
	spdk_put_io_channel(ch0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 2);
	assert_ptr_equal(dev.destroy_thread, ut_thread(0));
	assert_int_equal(dev.bad_ctx, 0);
	assert_null(spdk_thread_get_first_io_channel(ut_thread(0)));

	ut_set_thread(0);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
}

static void
io_channel_release_is_deferred_and_a_reget_reuses_it(void **state)
{
	struct spdk_io_channel *ch, *again;
	struct ut_dev dev;

	ut_set_thread(0);
	ut_dev_register(&dev, "dev", 8);
	ch = spdk_get_io_channel(&dev);
	spdk_put_io_channel(ch);
	assert_int_equal(dev.destroys, 0);

	/* Taken again before the release message ran: the same channel. */
	again = spdk_get_io_channel(&dev);
	assert_ptr_equal(again, ch);
	assert_int_equal(dev.creates, 1);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 0);

	/* Two release messages in flight: exactly one release. */
	spdk_put_io_channel(ch);
	assert_ptr_equal(spdk_get_io_channel(&dev), ch);
	spdk_put_io_channel(ch);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);
	assert_int_equal(dev.creates, 1);

	/* Gone: the next get creates a new one. */
	ch = spdk_get_io_channel(&dev);
	assert_non_null(ch);
	assert_int_equal(dev.creates, 2);
	spdk_put_io_channel(ch);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 2);
	assert_int_equal(dev.bad_ctx, 0);

	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	ut_set_thread(UT_NO_THREAD);
}

static void
io_device_unregister_waits_for_last_channel_and_calls_back_on_its_thread(void **state)
{
	struct spdk_io_channel *ch1, *ch3;
	struct ut_dev dev;

	ut_set_thread(0);
	ut_dev_register(&dev, "shared_dev", 8);
	ut_set_thread(1);
	ch1 = spdk_get_io_channel(&dev);
	ut_set_thread(3);
	ch3 = spdk_get_io_channel(&dev);

	ut_set_thread(2);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	assert_int_equal(dev.unregistered, 0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 0);

	/* No new channels, existing ones keep working. */
	ut_set_thread(0);
	assert_null(spdk_get_io_channel(&dev));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "could not find io_device", "ut0", NULL), 1);
	ut_set_thread(1);
	assert_null(spdk_get_io_channel(&dev));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(*(uint64_t *)spdk_io_channel_get_ctx(ch1), UT_DEV_MAGIC);
	assert_int_equal(dev.creates, 2);

	spdk_put_io_channel(ch1);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);
	assert_int_equal(dev.unregistered, 0);

	ut_set_thread(3);
	spdk_put_io_channel(ch3);
	/* Not inside the put, nor inside the release: a message of its own. */
	assert_int_equal(dev.unregistered, 0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_thread(3);
	assert_int_equal(dev.destroys, 2);
	assert_int_equal(dev.unregistered, 0);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(dev.destroys_at_unregister, 2);
	assert_ptr_equal(dev.unregister_thread, ut_thread(2));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
}

static void
io_device_unregister_without_channels_calls_back_later(void **state)
{
	struct ut_dev dev;

	ut_set_thread(1);
	ut_dev_register(&dev, "idle_dev", 0);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	assert_int_equal(dev.unregistered, 0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	assert_ptr_equal(dev.unregister_thread, ut_thread(1));

	/* A NULL callback is fine too. */
	ut_set_thread(1);
	ut_dev_register(&dev, "idle_dev", 0);
	spdk_io_device_unregister(&dev, NULL);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 0);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
}

static void
io_device_double_unregister_refused(void **state)
{
	struct ut_dev dev;
	int unknown;
	char ptr[32];

	ut_set_thread(1);
	ut_dev_register(&dev, "twice_dev", 0);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	snprintf(ptr, sizeof(ptr), "%p", (void *)&dev);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, ptr, "ut1", "not found", NULL), 1);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);

	ut_set_thread(2);
	spdk_io_device_unregister(&unknown, ut_dev_unregister_done);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	ut_set_thread(UT_NO_THREAD);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "non-SPDK thread", NULL), 1);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
}

static int
ut_dev_create_other(void *io_device, void *ctx)
{
	return -EPERM;
}

static void
io_device_register_duplicate_and_bad_arguments_refused(void **state)
{
	struct spdk_io_channel *ch;
	struct ut_dev dev;
	int unknown;
	char ptr[32];

	ut_set_thread(UT_NO_THREAD);
	ut_dev_register(&dev, "outside", 0);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "outside", "non-SPDK", NULL), 1);
	assert_true(TAILQ_EMPTY(&g_io_devices));

	ut_set_thread(0);
	spdk_io_device_register(&dev, NULL, ut_dev_destroy, 0, "no_create");
	spdk_io_device_register(&dev, ut_dev_create, NULL, 0, "no_destroy");
	spdk_io_device_register(NULL, ut_dev_create, ut_dev_destroy, 0, "no_device");
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 4);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "no_create", "create_cb", NULL), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "no_destroy", "destroy_cb", NULL),
			 1);
	assert_true(TAILQ_EMPTY(&g_io_devices));

	ut_dev_register(&dev, "original", 8);
	spdk_io_device_register(&dev, ut_dev_create_other, ut_dev_destroy, 0, "duplicate");
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 5);
	snprintf(ptr, sizeof(ptr), "%p", (void *)&dev);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, ptr, "original", "duplicate", NULL),
			 1);

	/* The first registration is the one in effect. */
	ch = spdk_get_io_channel(&dev);
	assert_non_null(ch);
	assert_int_equal(dev.creates, 1);
	assert_string_equal(spdk_io_channel_get_io_device_name(ch), "original");

	/* Unknown devices and no current thread. */
	assert_null(spdk_get_io_channel(&unknown));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 6);
	snprintf(ptr, sizeof(ptr), "%p", (void *)&unknown);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "could not find io_device", ptr, "ut0", NULL),
		1);
	ut_set_thread(UT_NO_THREAD);
	assert_null(spdk_get_io_channel(&dev));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 7);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "no SPDK thread", NULL), 1);
	assert_int_equal(dev.creates, 1);

	ut_set_thread(0);
	spdk_put_io_channel(ch);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 7);
}

static void
io_channel_create_failure_returns_null(void **state)
{
	struct spdk_io_channel *ch;
	struct ut_dev dev;

	ut_set_thread(2);
	ut_dev_register(&dev, "failing_dev", 8);
	dev.create_rc = -ENOMEM;
	assert_null(spdk_get_io_channel(&dev));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "failing_dev", "ut2", "rc=-12", NULL), 1);
	assert_int_equal(dev.creates, 1);
	assert_int_equal(dev.destroys, 0);
	assert_null(spdk_thread_get_first_io_channel(ut_thread(2)));

	dev.create_rc = 0;
	ch = spdk_get_io_channel(&dev);
	assert_non_null(ch);
	assert_int_equal(spdk_io_channel_get_ref_count(ch), 1);
	spdk_put_io_channel(ch);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	ut_set_thread(UT_NO_THREAD);
}

static void
io_channel_put_from_wrong_thread_refused(void **state)
{
	struct spdk_io_channel *ch;
	struct ut_dev dev;

	ut_set_thread(0);
	ut_dev_register(&dev, "owned_dev", 8);
	ch = spdk_get_io_channel(&dev);

	ut_set_thread(1);
	spdk_put_io_channel(ch);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "spdk_put_io_channel", "owned_dev",
					       "ut1", "ut0", NULL),
			 1);
	assert_int_equal(spdk_io_channel_get_ref_count(ch), 1);
	ut_set_thread(UT_NO_THREAD);
	spdk_put_io_channel(ch);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "spdk_put_io_channel", "owned_dev",
					       "none", "ut0", NULL),
			 1);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 0);
	assert_int_equal(spdk_io_channel_get_ref_count(ch), 1);

	/* spdk_io_channel_ref has the same rule. */
	ut_set_thread(2);
	assert_null(spdk_io_channel_ref(ch));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "spdk_io_channel_ref", "ut2", "ut0", NULL),
		1);
	ut_set_thread(0);
	assert_ptr_equal(spdk_io_channel_ref(ch), ch);
	assert_int_equal(spdk_io_channel_get_ref_count(ch), 2);
	spdk_put_io_channel(ch);
	spdk_put_io_channel(ch);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);

	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	ut_set_thread(UT_NO_THREAD);
}

static void
io_channel_put_more_often_than_got_refused(void **state)
{
	struct spdk_io_channel *ch;
	struct ut_dev dev;

	ut_set_thread(0);
	ut_dev_register(&dev, "overput_dev", 0);
	ch = spdk_get_io_channel(&dev);
	spdk_put_io_channel(ch);
	spdk_put_io_channel(ch);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "overput_dev", "ut0", NULL), 1);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);

	spdk_put_io_channel(NULL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	ut_set_thread(UT_NO_THREAD);
}

static uint32_t g_new_dev_creates;

static int
ut_dev_create_counted(void *io_device, void *ctx)
{
	g_new_dev_creates++;
	return 0;
}

static void
ut_dev_destroy_counted(void *io_device, void *ctx)
{
	g_new_dev_creates--;
}

static void
io_device_reregistered_at_same_address_gets_fresh_channels(void **state)
{
	struct spdk_io_channel *old_ch, *new_ch;
	struct ut_dev dev;

	/* A device (a static object, say) is unregistered while thread 1
	 * still holds a channel, and registered again at the same address. */
	ut_set_thread(0);
	ut_dev_register(&dev, "old", 8);
	ut_set_thread(1);
	old_ch = spdk_get_io_channel(&dev);
	assert_non_null(old_ch);
	ut_set_thread(0);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	g_new_dev_creates = 0;
	spdk_io_device_register(&dev, ut_dev_create_counted, ut_dev_destroy_counted, 0, "new");
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	ut_set_thread(1);
	new_ch = spdk_get_io_channel(&dev);
	assert_non_null(new_ch);
	assert_ptr_not_equal(new_ch, old_ch);
	assert_int_equal(g_new_dev_creates, 1);
	assert_string_equal(spdk_io_channel_get_io_device_name(new_ch), "new");
	assert_string_equal(spdk_io_channel_get_io_device_name(old_ch), "old");
	assert_ptr_equal(spdk_get_io_channel(&dev), new_ch);
	assert_int_equal(spdk_io_channel_get_ref_count(new_ch), 2);
	assert_int_equal(spdk_io_channel_get_ref_count(old_ch), 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	spdk_put_io_channel(old_ch);
	spdk_put_io_channel(new_ch);
	spdk_put_io_channel(new_ch);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(dev.destroys, 1);
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(g_new_dev_creates, 0);

	ut_set_thread(0);
	spdk_io_device_unregister(&dev, NULL);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
}

static void
io_channel_owner_check_counts_foreign_access(void **state)
{
	struct spdk_io_channel *ch;
	struct ut_dev dev;
	uint64_t before;

	ut_set_thread(0);
	ut_dev_register(&dev, "checked_dev", 8);
	ch = spdk_get_io_channel(&dev);
	before = updk_io_channel_get_owner_violations();

	/* Off: nobody checks. */
	assert_false(updk_io_channel_get_owner_check());
	ut_set_thread(1);
	assert_non_null(spdk_io_channel_get_ctx(ch));
	assert_int_equal(updk_io_channel_get_owner_violations(), before);

	updk_io_channel_set_owner_check(true);
	assert_true(updk_io_channel_get_owner_check());
	assert_ptr_equal(spdk_io_channel_get_ctx(ch), (uint8_t *)ch + SPDK_IO_CHANNEL_STRUCT_SIZE);
	assert_int_equal(updk_io_channel_get_owner_violations(), before + 1);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "checked_dev", "ut0", "ut1", NULL),
			 1);
	ut_set_thread(UT_NO_THREAD);
	spdk_io_channel_get_ctx(ch);
	assert_int_equal(updk_io_channel_get_owner_violations(), before + 2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);

	/* The owner itself is fine. */
	ut_set_thread(0);
	spdk_io_channel_get_ctx(ch);
	assert_int_equal(updk_io_channel_get_owner_violations(), before + 2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);

	updk_io_channel_set_owner_check(false);
	spdk_put_io_channel(ch);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	ut_poll_threads();
	assert_int_equal(dev.unregistered, 1);
	ut_set_thread(UT_NO_THREAD);
}

/* ---------------------------------------------------------------------- */
/* for_each_channel                                                        */
/* ---------------------------------------------------------------------- */

struct fec_ctx {
	struct ut_dev *dev;
	/* Per thread index: the channel the thread holds. */
	struct spdk_io_channel *chs[UT_THREADS_MAX];
	/* Status returned by the visit of thread id stop_at_id. */
	uint64_t stop_at_id;
	int stop_status;
	/* Continue from a later message rather than inside the visit. */
	bool async;
	uint32_t bad_visits;
	uint32_t cpl_calls;
	int cpl_status;
	struct spdk_thread *cpl_thread;
	struct spdk_io_channel_iter *live_iter;
};

static void
fec_continue_later(void *arg)
{
	struct spdk_io_channel_iter *i = arg;

	spdk_for_each_channel_continue(i, 0);
}

static void
fec_visit(struct spdk_io_channel_iter *i)
{
	struct fec_ctx *c = spdk_io_channel_iter_get_ctx(i);
	struct spdk_thread *thread = spdk_get_thread();
	uint64_t id = spdk_thread_get_id(thread);
	struct spdk_io_channel *ch = spdk_io_channel_iter_get_channel(i);

	trace((int)id);
	if (spdk_io_channel_iter_get_io_device(i) != c->dev || ch == NULL || ch != c->chs[id - 1] ||
	    spdk_io_channel_get_thread(ch) != thread) {
		c->bad_visits++;
	}
	if (id == c->stop_at_id) {
		spdk_for_each_channel_continue(i, c->stop_status);
		return;
	}
	if (c->async) {
		c->live_iter = i;
		spdk_thread_send_msg(thread, fec_continue_later, i);
		return;
	}
	spdk_for_each_channel_continue(i, 0);
}

static void
fec_done(struct spdk_io_channel_iter *i, int status)
{
	struct fec_ctx *c = spdk_io_channel_iter_get_ctx(i);

	c->cpl_calls++;
	c->cpl_status = status;
	c->cpl_thread = spdk_get_thread();
	trace(-1);
}

/* Register c->dev on thread 0 and get channels on the listed thread indexes,
 * in the given order. */
static void
fec_setup(struct fec_ctx *c, struct ut_dev *dev, const uint32_t *idx, uint32_t n)
{
	uint32_t k;

	memset(c, 0, sizeof(*c));
	c->dev = dev;
	ut_set_thread(0);
	ut_dev_register(dev, "iter_dev", 8);
	for (k = 0; k < n; k++) {
		ut_set_thread(idx[k]);
		c->chs[idx[k]] = spdk_get_io_channel(dev);
		assert_non_null(c->chs[idx[k]]);
	}
	ut_set_thread(UT_NO_THREAD);
}

/* Put the channels left, unregister the device unless the test did, and
 * check that the unregistration completes. */
static void
fec_teardown(struct fec_ctx *c, bool unregister)
{
	uint32_t k;

	for (k = 0; k < UT_THREADS_MAX; k++) {
		if (c->chs[k] != NULL) {
			ut_set_thread(k);
			spdk_put_io_channel(c->chs[k]);
			c->chs[k] = NULL;
		}
	}
	ut_set_thread(0);
	if (unregister) {
		spdk_io_device_unregister(c->dev, ut_dev_unregister_done);
	}
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(c->dev->unregistered, 1);
}

static void
for_each_channel_visits_by_thread_id_then_completes_on_caller(void **state)
{
	static const uint32_t order[] = {3, 1, 2};
	struct fec_ctx c;
	struct ut_dev dev;

	fec_setup(&c, &dev, order, UT_COUNTOF(order));
	ut_set_thread(2);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done);
	assert_int_equal(g_trace_len, 0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	/* Thread ids are index + 1. */
	ASSERT_TRACE(2, 3, 4, -1);
	assert_int_equal(c.bad_visits, 0);
	assert_int_equal(c.cpl_calls, 1);
	assert_int_equal(c.cpl_status, 0);
	assert_ptr_equal(c.cpl_thread, ut_thread(2));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	fec_teardown(&c, true);
}

static void
for_each_channel_continue_may_come_later(void **state)
{
	static const uint32_t order[] = {0, 1, 2, 3};
	struct fec_ctx c;
	struct ut_dev dev;

	fec_setup(&c, &dev, order, UT_COUNTOF(order));
	c.async = true;
	ut_set_thread(3);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	ASSERT_TRACE(1, 2, 3, 4, -1);
	assert_int_equal(c.bad_visits, 0);
	assert_int_equal(c.cpl_status, 0);
	assert_ptr_equal(c.cpl_thread, ut_thread(3));
	fec_teardown(&c, true);
}

static void
for_each_channel_skips_a_thread_whose_channel_went_away(void **state)
{
	static const uint32_t order[] = {1, 2, 3};
	struct fec_ctx c;
	struct ut_dev dev;

	fec_setup(&c, &dev, order, UT_COUNTOF(order));
	/* Thread 2's release message is queued ahead of its visit. */
	ut_set_thread(2);
	spdk_put_io_channel(c.chs[2]);
	c.chs[2] = NULL;
	ut_set_thread(0);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	ASSERT_TRACE(2, 4, -1);
	assert_int_equal(dev.destroys, 1);
	assert_int_equal(c.bad_visits, 0);
	assert_int_equal(c.cpl_status, 0);
	fec_teardown(&c, true);
}

static void
for_each_channel_nonzero_status_stops_and_reaches_cpl(void **state)
{
	static const uint32_t order[] = {0, 1, 2, 3};
	struct fec_ctx c;
	struct ut_dev dev;

	fec_setup(&c, &dev, order, UT_COUNTOF(order));
	c.stop_at_id = 2;
	c.stop_status = -EIO;
	ut_set_thread(3);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	ASSERT_TRACE(1, 2, -1);
	assert_int_equal(c.cpl_calls, 1);
	assert_int_equal(c.cpl_status, -EIO);
	assert_ptr_equal(c.cpl_thread, ut_thread(3));
	fec_teardown(&c, true);
}

static void
for_each_channel_unknown_or_empty_device(void **state)
{
	struct fec_ctx c;
	struct ut_dev dev;
	int unknown;
	char ptr[32];

	fec_setup(&c, &dev, NULL, 0);
	ut_set_thread(1);
	spdk_for_each_channel(&unknown, fec_visit, &c, fec_done);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	snprintf(ptr, sizeof(ptr), "%p", (void *)&unknown);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, ptr, "ut1", NULL), 1);
	/* Completed later, not inside the call. */
	assert_int_equal(c.cpl_calls, 0);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(c.cpl_calls, 1);
	assert_int_equal(c.cpl_status, -ENODEV);
	assert_ptr_equal(c.cpl_thread, ut_thread(1));

	/* A device without channels completes with 0, also later. */
	ut_set_thread(1);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done);
	assert_int_equal(c.cpl_calls, 1);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(c.cpl_calls, 2);
	assert_int_equal(c.cpl_status, 0);
	ASSERT_TRACE(-1, -1);

	/* A NULL completion is allowed. */
	ut_set_thread(1);
	spdk_for_each_channel(&dev, fec_visit, &c, NULL);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(c.cpl_calls, 2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	fec_teardown(&c, true);
}

static void
for_each_channel_unregister_during_iteration_is_parked(void **state)
{
	static const uint32_t order[] = {1, 2, 3};
	struct fec_ctx c, other;
	struct ut_dev dev;

	fec_setup(&c, &dev, order, UT_COUNTOF(order));
	ut_set_thread(0);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_thread(1);
	ASSERT_TRACE(2);

	/* Unregistered mid-iteration: a warning, and the unregister waits. */
	ut_set_thread(0);
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_WARN, "iter_dev", "for_each", NULL), 1);

	/* A second unregister is refused; so is a new iteration. */
	spdk_io_device_unregister(&dev, ut_dev_unregister_done);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "iter_dev", "pending unregister",
					       "ut0", NULL),
			 1);
	memset(&other, 0, sizeof(other));
	spdk_for_each_channel(&dev, fec_visit, &other, fec_done);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "iter_dev", "pending unregister", NULL), 2);

	/* The running iteration still visits every channel. */
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	assert_int_equal(c.cpl_calls, 1);
	assert_int_equal(c.cpl_status, 0);
	assert_int_equal(other.cpl_calls, 1);
	assert_int_equal(other.cpl_status, -ENODEV);
	assert_int_equal(c.bad_visits, 0);
	assert_int_equal(dev.unregistered, 0);

	/* Now unregistered for real: no new channels; done once they are put. */
	ut_set_thread(0);
	assert_null(spdk_get_io_channel(&dev));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	ut_set_thread(UT_NO_THREAD);
	fec_teardown(&c, false);
	assert_int_equal(dev.unregistered, 1);
	assert_int_equal(dev.destroys_at_unregister, 3);
	assert_ptr_equal(dev.unregister_thread, ut_thread(0));
}

static void
fec_done_unregister(struct spdk_io_channel_iter *i, int status)
{
	fec_done(i, status);
	spdk_io_device_unregister(spdk_io_channel_iter_get_io_device(i), ut_dev_unregister_done);
}

static void
for_each_channel_completion_may_unregister_the_device(void **state)
{
	static const uint32_t order[] = {1, 2};
	struct fec_ctx c;
	struct ut_dev dev;

	/* The iteration is over when its completion runs: an unregister from
	 * there is not parked behind it. */
	fec_setup(&c, &dev, order, UT_COUNTOF(order));
	ut_set_thread(3);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done_unregister);
	ut_set_thread(UT_NO_THREAD);
	ut_poll_threads();
	ASSERT_TRACE(2, 3, -1);
	assert_int_equal(ut_log_count(SPDK_LOG_WARN), 0);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 0);

	/* Unregistered at once: no new channel, done when the old ones go. */
	ut_set_thread(0);
	assert_null(spdk_get_io_channel(&dev));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	ut_set_thread(UT_NO_THREAD);
	fec_teardown(&c, false);
	assert_ptr_equal(dev.unregister_thread, ut_thread(3));
	assert_int_equal(dev.destroys_at_unregister, 2);
}

static void
thread_exit_waits_for_its_for_each_channel(void **state)
{
	static const uint32_t order[] = {0, 2};
	struct fec_ctx c;
	struct ut_dev dev;

	fec_setup(&c, &dev, order, UT_COUNTOF(order));
	ut_set_thread(1);
	spdk_for_each_channel(&dev, fec_visit, &c, fec_done);
	spdk_thread_exit(ut_thread(1));
	ut_set_thread(UT_NO_THREAD);
	ut_poll_thread(1);
	ut_poll_thread(1);
	assert_false(spdk_thread_is_exited(ut_thread(1)));
	ut_poll_threads();
	ASSERT_TRACE(1, 3, -1);
	assert_ptr_equal(c.cpl_thread, ut_thread(1));
	ut_poll_thread(1);
	assert_true(spdk_thread_is_exited(ut_thread(1)));
	fec_teardown(&c, true);
}

/* ---------------------------------------------------------------------- */
/* Spinlocks                                                               */
/* ---------------------------------------------------------------------- */

static void
spin_lock_recursion_and_foreign_unlock_refused(void **state)
{
	struct spdk_spinlock lock, never_initialised;

	spdk_spin_init(&lock);
	ut_set_thread(0);
	spdk_spin_lock(&lock);
	assert_true(spdk_spin_held(&lock));
	spdk_spin_lock(&lock);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "recursive", "ut0", NULL), 1);
	assert_true(spdk_spin_held(&lock));

	/* Another SPDK thread does not hold it, even on the same pthread. */
	ut_set_thread(1);
	assert_false(spdk_spin_held(&lock));
	spdk_spin_unlock(&lock);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "does not hold", "ut1", NULL), 1);
	ut_set_thread(0);
	assert_true(spdk_spin_held(&lock));

	/* A held lock cannot be destroyed. */
	spdk_spin_destroy(&lock);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "held", "ut0", NULL), 1);

	spdk_spin_unlock(&lock);
	assert_false(spdk_spin_held(&lock));
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 3);
	spdk_spin_destroy(&lock);
	spdk_spin_lock(&lock);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 4);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "destroyed", NULL), 1);

	memset(&never_initialised, 0, sizeof(never_initialised));
	spdk_spin_lock(&never_initialised);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 5);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "not initialised", NULL), 1);
	assert_false(spdk_spin_held(&never_initialised));

	/* Locks also work outside SPDK threads. */
	spdk_spin_init(&lock);
	ut_set_thread(UT_NO_THREAD);
	spdk_spin_lock(&lock);
	assert_true(spdk_spin_held(&lock));
	spdk_spin_unlock(&lock);
	spdk_spin_destroy(&lock);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 5);
}

static struct spdk_spinlock g_msg_lock;

static void
msg_lock(void *ctx)
{
	spdk_spin_lock(&g_msg_lock);
}

static void
msg_unlock(void *ctx)
{
	spdk_spin_unlock(&g_msg_lock);
}

static void
act_lock(struct ut_poller *p)
{
	spdk_spin_lock(&g_msg_lock);
}

static void
spin_lock_held_when_a_message_or_poller_returns_reported(void **state)
{
	struct ut_poller p;

	spdk_spin_init(&g_msg_lock);
	spdk_thread_send_msg(ut_thread(2), msg_lock, NULL);
	ut_poll_thread(2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "ut2", "message", "spinlock", NULL),
			 1);
	spdk_thread_send_msg(ut_thread(2), msg_unlock, NULL);
	ut_poll_thread(2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);

	ut_set_thread(2);
	ut_poller_register(&p, 1, 0, "locker");
	p.action = act_lock;
	ut_poll_thread(2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "ut2", "locker", "spinlock", NULL),
			 1);
	spdk_poller_unregister(&p.poller);
	spdk_spin_unlock(&g_msg_lock);
	ut_poll_thread(2);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
	spdk_spin_destroy(&g_msg_lock);
	ut_set_thread(UT_NO_THREAD);
}

/* ---------------------------------------------------------------------- */
/* Interrupt mode (not supported)                                          */
/* ---------------------------------------------------------------------- */

static void
interrupt_mode_reported_unsupported(void **state)
{
	struct spdk_interrupt *intr = (struct spdk_interrupt *)&intr;

	assert_int_equal(spdk_interrupt_mode_enable(), -ENOTSUP);
	assert_false(spdk_interrupt_mode_is_enabled());
	assert_null(spdk_interrupt_register(0, NULL, NULL, "intr"));
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "interrupt intr:", NULL), 1);
	assert_int_equal(spdk_thread_get_interrupt_fd(ut_thread(0)), -1);
	assert_null(spdk_thread_get_interrupt_fd_group(ut_thread(0)));
	spdk_interrupt_unregister(&intr);
	assert_null(intr);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 2);
}

#define BARE_TEST(t) cmocka_unit_test_setup_teardown(t, setup_bare, teardown_bare)
#define THREADS_TEST(t) cmocka_unit_test_setup_teardown(t, setup_threads, teardown_threads)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		BARE_TEST(lib_init_twice_refused),
		BARE_TEST(lib_init_ext_needs_both_hooks_or_neither),
		BARE_TEST(lib_init_new_thread_fn_sees_every_thread_and_can_refuse),
		BARE_TEST(lib_init_ctx_size_reserves_scheduler_context),
		BARE_TEST(lib_fini_reports_devices_never_unregistered),
		BARE_TEST(thread_create_first_is_app_thread_ids_increase),
		THREADS_TEST(thread_exit_only_from_itself),
		THREADS_TEST(thread_destroy_before_exit_refused),
		THREADS_TEST(thread_exit_waits_until_everything_is_released),
		THREADS_TEST(thread_exit_timeout_reports_holdings_and_destroy_releases_them),
		THREADS_TEST(thread_exit_waits_for_its_for_each_channel),
		THREADS_TEST(
			poll_runs_critical_then_messages_then_active_newest_first_then_timed_by_deadline),
		THREADS_TEST(poll_runs_at_most_eight_messages),
		THREADS_TEST(poll_return_value_reflects_work_done),
		THREADS_TEST(poll_accounts_busy_and_idle_ticks),
		THREADS_TEST(poll_with_time_before_thread_creation_keeps_stats_sane),
		THREADS_TEST(poll_clock_is_the_batch_start_inside_a_poll_and_zero_outside),
		THREADS_TEST(thread_is_idle_and_poller_queries),
		THREADS_TEST(send_msg_never_runs_inside_send),
		THREADS_TEST(send_msg_fifo_per_sender),
		THREADS_TEST(send_msg_ring_overflow_keeps_order),
		THREADS_TEST(send_msg_overflow_waits_for_a_stalled_producer),
		THREADS_TEST(send_msg_to_own_full_ring_keeps_order),
		THREADS_TEST(send_msg_to_exited_thread_refused),
		THREADS_TEST(send_critical_msg_runs_first_and_has_one_slot),
		THREADS_TEST(exec_msg_runs_inline_only_on_the_current_thread),
		THREADS_TEST(
			for_each_thread_visits_running_threads_in_order_then_completes_on_caller),
		THREADS_TEST(poller_active_runs_every_poll_and_timed_when_due),
		THREADS_TEST(poller_names_ids_states_and_stats),
		THREADS_TEST(poller_register_needs_a_live_thread),
		THREADS_TEST(poller_pause_and_resume_active),
		THREADS_TEST(poller_pause_and_resume_timed_restarts_its_period),
		THREADS_TEST(poller_pause_in_own_callback),
		THREADS_TEST(poller_pause_then_resume_in_own_callback_keeps_running),
		THREADS_TEST(poller_unregister_in_own_callback),
		THREADS_TEST(poller_unregister_or_pause_another_from_inside_a_poller),
		THREADS_TEST(post_poller_handlers_run_after_the_poller_returns),
		THREADS_TEST(post_poller_handler_can_unregister_its_poller),
		THREADS_TEST(post_poller_handler_can_pause_and_resume_its_poller),
		THREADS_TEST(poller_operations_from_wrong_thread_refused),
		THREADS_TEST(io_channel_one_per_thread_and_reference_counted),
		THREADS_TEST(io_channel_release_is_deferred_and_a_reget_reuses_it),
		THREADS_TEST(
			io_device_unregister_waits_for_last_channel_and_calls_back_on_its_thread),
		THREADS_TEST(io_device_unregister_without_channels_calls_back_later),
		THREADS_TEST(io_device_double_unregister_refused),
		THREADS_TEST(io_device_register_duplicate_and_bad_arguments_refused),
		THREADS_TEST(io_channel_create_failure_returns_null),
		THREADS_TEST(io_channel_put_from_wrong_thread_refused),
		THREADS_TEST(io_channel_put_more_often_than_got_refused),
		THREADS_TEST(io_device_reregistered_at_same_address_gets_fresh_channels),
		THREADS_TEST(io_channel_owner_check_counts_foreign_access),
		THREADS_TEST(for_each_channel_visits_by_thread_id_then_completes_on_caller),
		THREADS_TEST(for_each_channel_continue_may_come_later),
		THREADS_TEST(for_each_channel_skips_a_thread_whose_channel_went_away),
		THREADS_TEST(for_each_channel_nonzero_status_stops_and_reaches_cpl),
		THREADS_TEST(for_each_channel_unknown_or_empty_device),
		THREADS_TEST(for_each_channel_unregister_during_iteration_is_parked),
		THREADS_TEST(for_each_channel_completion_may_unregister_the_device),
		THREADS_TEST(spin_lock_recursion_and_foreign_unlock_refused),
		THREADS_TEST(spin_lock_held_when_a_message_or_poller_returns_reported),
		THREADS_TEST(interrupt_mode_reported_unsupported),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
