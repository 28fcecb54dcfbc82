/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Reactors: one pthread per core of the application's core mask, each polling
 * the lightweight threads placed on it. The reactors are the thread library's
 * scheduler: a new thread goes, round robin, to a core its cpumask allows;
 * spdk_thread_set_cpumask() moves the calling thread at the end of its poll;
 * exited threads are destroyed by their reactor. Reactors also run
 * lcore-addressed events (spdk_event_call()).
 *
 * Sleeping. A reactor that has seen only idle polls for the idle threshold
 * blocks on its eventfd until the earliest timed poller of its threads is due
 * (capped while a thread has an active poller, which may be waiting for the
 * kernel), or until someone kicks the eventfd. Ordering contract:
 *
 * - The sleeper stores 1 to r->sleeping and to the `sleeping` flag of each
 *   of its threads (struct reactor_lw), then looks once more at its inbox and
 *   at every thread's message queue; it sleeps only if all are empty. After
 *   waking it stores 0 to all the flags.
 * - A message sender (lib/thread, thread_maybe_wakeup) claims its slot in the
 *   queue, then reads the thread's flag and calls reactor_lw_wakeup() when it
 *   is set.
 * - Inbox senders (thread placement, events, stop) queue under r->inbox_lock,
 *   set r->inbox_pending, then read r->sleeping.
 *
 * Every store and load named here is sequentially consistent, which is what
 * makes the handshake work without fences: either the sleeper's last look
 * sees the new work or the sender sees the flag and writes the eventfd, which
 * makes the sleep return at once. A reactor that is awake never sets the
 * flags, so under load a send costs one load more.
 *
 * A thread's struct reactor_lw (its scheduler context) is touched only by the
 * reactor that owns the thread, except `reactor` (atomic: the wakeup target,
 * read by senders) and `sleeping` (atomic, see above).
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "updk/event.h"
#include "updk/string.h"
#include "updk/thread.h"
#include "updk_internal/env.h"
#include "updk_internal/thread.h"

#include "event_internal.h"

#include <poll.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>

SPDK_LOG_REGISTER_COMPONENT(reactor)

/* Longest sleep when no thread has an active poller: only messages, events
 * and timed pollers can create work then, and all of them wake the reactor. */
#define REACTOR_MAX_IDLE_SLEEP_US (1000 * 1000)
/* Longest sleep while stopping, so that exit deadlines are noticed. */
#define REACTOR_STOPPING_SLEEP_US (10 * 1000)
/* How long the main reactor waits for the others after the deadline. */
#define REACTOR_JOIN_GRACE_MS 2000

enum reactors_state {
	/* Threads run normally. */
	REACTORS_STATE_RUNNING,
	/* Every thread is asked to exit; the app thread last. */
	REACTORS_STATE_STOPPING,
	/* All threads are gone (or abandoned): the reactors end. */
	REACTORS_STATE_EXITED,
};

struct spdk_event {
	spdk_event_fn fn;
	void *arg1;
	void *arg2;
	uint32_t lcore;
	STAILQ_ENTRY(spdk_event) link;
};

struct reactor;

/* Scheduler context of one lightweight thread (spdk_thread_get_ctx()). */
struct reactor_lw {
	TAILQ_ENTRY(reactor_lw) link;
	/* Reactor the thread lives on or is moving to; the wakeup target. */
	struct reactor *reactor;
	/* 1 while the owning reactor sleeps; read by message senders. */
	int sleeping;
	/* spdk_thread_set_cpumask() asked to move the thread. */
	bool resched;
	/* The reactor called spdk_thread_exit() on the thread at shutdown. */
	bool exit_forced;
	/* Tick at which the thread arrived on its current reactor. */
	uint64_t tsc_start;
};

struct reactor {
	uint32_t core;
	/* Kicked to end a sleep. */
	int efd;
	/* 1 while sleeping; see the ordering contract at the top. */
	int sleeping;
	/* Non-zero when the inbox holds something. */
	int inbox_pending;
	/* Set once the reactor's loop has ended. */
	bool finished;

	pthread_mutex_t inbox_lock;
	/* Guarded by inbox_lock: threads moving in, and events. */
	TAILQ_HEAD(, reactor_lw) inbox_threads;
	STAILQ_HEAD(, spdk_event) inbox_events;

	/* Owned by the reactor's pthread. */
	TAILQ_HEAD(, reactor_lw) threads;
	uint32_t thread_count;
	pid_t tid;
	uint64_t busy_tsc;
	uint64_t idle_tsc;
	uint64_t sleeps;
	/* Thread being polled, for the report of a reactor that does not stop. */
	struct spdk_thread *polling;
};

static struct reactor **g_reactors;
static uint32_t g_reactor_slots;
static struct spdk_cpuset g_reactor_cpuset;
static bool g_reactors_initialized;
static int g_reactors_state = REACTORS_STATE_RUNNING;
/* Lightweight threads alive (placed and not yet destroyed). */
static uint32_t g_lw_count;
/* Threads that were forced out at shutdown while holding resources. */
static uint32_t g_forced_exits;
static uint32_t g_next_core_cursor;
static uint64_t g_shutdown_deadline;
static bool g_shutdown_expired;
static bool g_reactors_abandoned;

static uint64_t g_idle_threshold_us = UPDK_REACTOR_IDLE_THRESHOLD_US;
static uint64_t g_max_sleep_us = UPDK_REACTOR_MAX_SLEEP_US;

static int
reactors_state(void)
{
	return __atomic_load_n(&g_reactors_state, __ATOMIC_ACQUIRE);
}

void
updk_reactor_set_sleep(uint64_t idle_threshold_us, uint64_t max_sleep_us)
{
	__atomic_store_n(&g_idle_threshold_us,
			 idle_threshold_us != 0 ? idle_threshold_us
						: UPDK_REACTOR_IDLE_THRESHOLD_US,
			 __ATOMIC_RELAXED);
	__atomic_store_n(&g_max_sleep_us,
			 max_sleep_us != 0 ? max_sleep_us : UPDK_REACTOR_MAX_SLEEP_US,
			 __ATOMIC_RELAXED);
}

static struct reactor *
reactor_get(uint32_t core)
{
	if (g_reactors == NULL || core >= g_reactor_slots) {
		return NULL;
	}
	return g_reactors[core];
}

static void
reactor_kick(struct reactor *r)
{
	uint64_t one = 1;
	ssize_t rc;

	/* Async-signal-safe: also reached from spdk_app_start_shutdown(). */
	do {
		rc = write(r->efd, &one, sizeof(one));
	} while (rc < 0 && errno == EINTR);
}

static void
reactor_lw_wakeup(struct spdk_thread *thread, void *arg)
{
	struct reactor_lw *lw = arg;
	struct reactor *r = __atomic_load_n(&lw->reactor, __ATOMIC_ACQUIRE);

	if (r != NULL) {
		reactor_kick(r);
	}
}

/* Queue a thread or an event on \p r and wake it if it sleeps. */
static void
reactor_inbox_push(struct reactor *r, struct reactor_lw *lw, struct spdk_event *ev)
{
	pthread_mutex_lock(&r->inbox_lock);
	if (lw != NULL) {
		TAILQ_INSERT_TAIL(&r->inbox_threads, lw, link);
	}
	if (ev != NULL) {
		STAILQ_INSERT_TAIL(&r->inbox_events, ev, link);
	}
	__atomic_store_n(&r->inbox_pending, 1, __ATOMIC_SEQ_CST);
	pthread_mutex_unlock(&r->inbox_lock);

	if (__atomic_load_n(&r->sleeping, __ATOMIC_SEQ_CST) != 0) {
		reactor_kick(r);
	}
}

/* Round robin over the reactor cores in \p mask; any core if none is. */
static struct reactor *
reactor_pick(const struct spdk_cpuset *mask)
{
	uint32_t tries, start, i;

	start = __atomic_fetch_add(&g_next_core_cursor, 1, __ATOMIC_RELAXED);
	for (tries = 0; tries < 2; tries++) {
		for (i = 0; i < g_reactor_slots; i++) {
			uint32_t core = (start + i) % g_reactor_slots;
			struct reactor *r = g_reactors[core];

			if (r == NULL) {
				continue;
			}
			if (tries == 0 && mask != NULL && !spdk_cpuset_get_cpu(mask, core)) {
				continue;
			}
			return r;
		}
	}
	return NULL;
}

static void
reactor_place(struct spdk_thread *thread, struct reactor *r)
{
	struct reactor_lw *lw = spdk_thread_get_ctx(thread);

	__atomic_store_n(&lw->reactor, r, __ATOMIC_RELEASE);
	reactor_inbox_push(r, lw, NULL);
}

static int
reactor_thread_op(struct spdk_thread *thread, enum spdk_thread_op op)
{
	struct reactor_lw *lw = spdk_thread_get_ctx(thread);
	struct reactor *r;

	switch (op) {
	case SPDK_THREAD_OP_NEW:
		if (!g_reactors_initialized || reactors_state() == REACTORS_STATE_EXITED) {
			SPDK_ERRLOG("thread %s cannot be placed: the reactors are not running\n",
				    spdk_thread_get_name(thread));
			return -EINVAL;
		}
		memset(lw, 0, sizeof(*lw));
		r = reactor_pick(spdk_thread_get_cpumask(thread));
		if (r == NULL) {
			SPDK_ERRLOG("thread %s cannot be placed: no reactor\n",
				    spdk_thread_get_name(thread));
			return -EINVAL;
		}
		__atomic_fetch_add(&g_lw_count, 1, __ATOMIC_RELAXED);
		updk__thread_set_wakeup(thread, reactor_lw_wakeup, lw, &lw->sleeping);
		reactor_place(thread, r);
		return 0;
	case SPDK_THREAD_OP_RESCHED:
		/* Called on the thread itself, inside its poll; the reactor moves it
		 * once the poll returns. */
		if (spdk_thread_is_bound(thread)) {
			SPDK_NOTICELOG("thread %s is bound to its core and is not moved\n",
				       spdk_thread_get_name(thread));
			return 0;
		}
		lw->resched = true;
		return 0;
	default:
		assert(false);
		return -ENOTSUP;
	}
}

static bool
reactor_thread_op_supported(enum spdk_thread_op op)
{
	switch (op) {
	case SPDK_THREAD_OP_NEW:
	case SPDK_THREAD_OP_RESCHED:
		return true;
	default:
		return false;
	}
}

int
reactors_init(void)
{
	uint32_t core, last;
	int rc;

	if (g_reactors_initialized) {
		SPDK_ERRLOG("the reactors are already initialised\n");
		return -EALREADY;
	}
	last = spdk_env_get_last_core();
	g_reactor_slots = last + 1;
	g_reactors = calloc(g_reactor_slots, sizeof(*g_reactors));
	if (g_reactors == NULL) {
		SPDK_ERRLOG("cannot allocate the reactor table\n");
		return -ENOMEM;
	}
	spdk_cpuset_zero(&g_reactor_cpuset);

	SPDK_ENV_FOREACH_CORE(core)
	{
		struct reactor *r = aligned_alloc(
			SPDK_CACHE_LINE_SIZE, SPDK_ALIGN_CEIL(sizeof(*r), SPDK_CACHE_LINE_SIZE));

		if (r == NULL) {
			SPDK_ERRLOG("cannot allocate the reactor of core %u\n", core);
			rc = -ENOMEM;
			goto err;
		}
		memset(r, 0, sizeof(*r));
		r->core = core;
		r->efd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (r->efd < 0) {
			rc = -errno;
			SPDK_ERRLOG("cannot create the eventfd of the reactor of core %u: %s\n",
				    core, spdk_strerror(-rc));
			free(r);
			goto err;
		}
		pthread_mutex_init(&r->inbox_lock, NULL);
		TAILQ_INIT(&r->inbox_threads);
		STAILQ_INIT(&r->inbox_events);
		TAILQ_INIT(&r->threads);
		g_reactors[core] = r;
		spdk_cpuset_set_cpu(&g_reactor_cpuset, core, true);
	}

	g_reactors_state = REACTORS_STATE_RUNNING;
	g_lw_count = 0;
	g_forced_exits = 0;
	g_next_core_cursor = 0;
	g_shutdown_deadline = 0;
	g_shutdown_expired = false;
	g_reactors_abandoned = false;
	g_reactors_initialized = true;

	rc = spdk_thread_lib_init_ext(reactor_thread_op, reactor_thread_op_supported,
				      sizeof(struct reactor_lw), 0);
	if (rc != 0) {
		SPDK_ERRLOG("cannot initialise the thread library: %s\n", spdk_strerror(-rc));
		g_reactors_initialized = false;
		goto err;
	}
	return 0;

err:
	reactors_fini();
	return rc;
}

void
reactors_fini(void)
{
	uint32_t i;

	if (g_reactors == NULL) {
		return;
	}
	if (g_reactors_abandoned) {
		/* A reactor may still run; its memory must stay. */
		return;
	}
	for (i = 0; i < g_reactor_slots; i++) {
		struct reactor *r = g_reactors[i];
		struct spdk_event *ev;

		if (r == NULL) {
			continue;
		}
		while ((ev = STAILQ_FIRST(&r->inbox_events)) != NULL) {
			STAILQ_REMOVE_HEAD(&r->inbox_events, link);
			free(ev);
		}
		close(r->efd);
		pthread_mutex_destroy(&r->inbox_lock);
		free(r);
	}
	free(g_reactors);
	g_reactors = NULL;
	g_reactor_slots = 0;
	g_reactors_initialized = false;
	spdk_cpuset_zero(&g_reactor_cpuset);
}

const struct spdk_cpuset *
reactors_get_cpuset(void)
{
	return &g_reactor_cpuset;
}

void
reactors_set_shutdown_deadline(uint64_t tick)
{
	__atomic_store_n(&g_shutdown_deadline, tick, __ATOMIC_RELEASE);
}

static void
reactors_kick_all(void)
{
	uint32_t i;

	for (i = 0; i < g_reactor_slots; i++) {
		if (g_reactors[i] != NULL) {
			reactor_kick(g_reactors[i]);
		}
	}
}

void
reactors_stop(void)
{
	int expected = REACTORS_STATE_RUNNING;

	if (!__atomic_compare_exchange_n(&g_reactors_state, &expected, REACTORS_STATE_STOPPING,
					 false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		return;
	}
	reactors_kick_all();
}

/* Take in the threads and events queued for \p r. */
static void
reactor_drain_inbox(struct reactor *r, uint64_t now)
{
	TAILQ_HEAD(, reactor_lw) threads = TAILQ_HEAD_INITIALIZER(threads);
	STAILQ_HEAD(, spdk_event) events = STAILQ_HEAD_INITIALIZER(events);
	struct reactor_lw *lw;
	struct spdk_event *ev;

	pthread_mutex_lock(&r->inbox_lock);
	TAILQ_CONCAT(&threads, &r->inbox_threads, link);
	STAILQ_CONCAT(&events, &r->inbox_events);
	__atomic_store_n(&r->inbox_pending, 0, __ATOMIC_RELAXED);
	pthread_mutex_unlock(&r->inbox_lock);

	while ((lw = TAILQ_FIRST(&threads)) != NULL) {
		TAILQ_REMOVE(&threads, lw, link);
		lw->tsc_start = now;
		__atomic_store_n(&lw->sleeping, 0, __ATOMIC_RELAXED);
		TAILQ_INSERT_TAIL(&r->threads, lw, link);
		r->thread_count++;
		SPDK_INFOLOG(reactor, "thread %s now runs on core %u\n",
			     spdk_thread_get_name(spdk_thread_get_from_ctx(lw)), r->core);
	}
	while ((ev = STAILQ_FIRST(&events)) != NULL) {
		STAILQ_REMOVE_HEAD(&events, link);
		ev->fn(ev->arg1, ev->arg2);
		free(ev);
	}
}

/* Was the thread forced out while still holding something? Runs on the
 * thread's reactor, so it may look at the thread's lists. */
static bool
reactor_thread_left_resources(struct spdk_thread *thread)
{
	return spdk_thread_has_pollers(thread) ||
	       spdk_thread_get_first_io_channel(thread) != NULL || updk__thread_has_msgs(thread);
}

static void
reactor_destroy_thread(struct reactor *r, struct reactor_lw *lw, struct spdk_thread *thread)
{
	TAILQ_REMOVE(&r->threads, lw, link);
	r->thread_count--;
	if (reactor_thread_left_resources(thread)) {
		__atomic_fetch_add(&g_forced_exits, 1, __ATOMIC_RELAXED);
	}
	SPDK_INFOLOG(reactor, "destroying exited thread %s on core %u\n",
		     spdk_thread_get_name(thread), r->core);
	spdk_thread_destroy(thread);
	__atomic_fetch_sub(&g_lw_count, 1, __ATOMIC_RELEASE);
}

static void
reactor_move_thread(struct reactor *r, struct reactor_lw *lw, struct spdk_thread *thread)
{
	struct spdk_cpuset *mask = spdk_thread_get_cpumask(thread);
	struct reactor *target;

	lw->resched = false;
	if (spdk_cpuset_get_cpu(mask, r->core)) {
		return;
	}
	target = reactor_pick(mask);
	if (target == NULL || target == r) {
		return;
	}
	TAILQ_REMOVE(&r->threads, lw, link);
	r->thread_count--;
	SPDK_INFOLOG(reactor, "moving thread %s from core %u to core %u\n",
		     spdk_thread_get_name(thread), r->core, target->core);
	reactor_place(thread, target);
}

/* At shutdown, make every thread (the app thread last) exit. */
static void
reactor_exit_threads(struct reactor *r)
{
	struct reactor_lw *lw;

	TAILQ_FOREACH (lw, &r->threads, link) {
		struct spdk_thread *thread = spdk_thread_get_from_ctx(lw);

		if (lw->exit_forced || !spdk_thread_is_running(thread)) {
			continue;
		}
		if (spdk_thread_is_app_thread(thread)) {
			if (__atomic_load_n(&g_lw_count, __ATOMIC_ACQUIRE) != 1) {
				continue;
			}
		} else {
			SPDK_ERRLOG("spdk_thread_exit() was not called on thread '%s' before "
				    "shutdown; the framework exits it now\n",
				    spdk_thread_get_name(thread));
		}
		lw->exit_forced = true;
		spdk_set_thread(thread);
		spdk_thread_exit(thread);
		spdk_set_thread(NULL);
	}
}

/* Report, at the shutdown deadline, what each remaining thread still holds. */
static void
reactor_report_threads(struct reactor *r)
{
	struct reactor_lw *lw;

	TAILQ_FOREACH (lw, &r->threads, link) {
		struct spdk_thread *thread = spdk_thread_get_from_ctx(lw);
		struct spdk_io_channel *ch;
		struct spdk_poller *p;

		SPDK_ERRLOG("thread %s (id %" PRIu64 ") on core %u did not exit during shutdown\n",
			    spdk_thread_get_name(thread), spdk_thread_get_id(thread), r->core);
		for (p = spdk_thread_get_first_active_poller(thread); p != NULL;
		     p = spdk_thread_get_next_active_poller(p)) {
			SPDK_ERRLOG("thread %s still has active poller %s\n",
				    spdk_thread_get_name(thread), spdk_poller_get_name(p));
		}
		for (p = spdk_thread_get_first_timed_poller(thread); p != NULL;
		     p = spdk_thread_get_next_timed_poller(p)) {
			SPDK_ERRLOG("thread %s still has timed poller %s\n",
				    spdk_thread_get_name(thread), spdk_poller_get_name(p));
		}
		for (p = spdk_thread_get_first_paused_poller(thread); p != NULL;
		     p = spdk_thread_get_next_paused_poller(p)) {
			SPDK_ERRLOG("thread %s still has paused poller %s\n",
				    spdk_thread_get_name(thread), spdk_poller_get_name(p));
		}
		for (ch = spdk_thread_get_first_io_channel(thread); ch != NULL;
		     ch = spdk_thread_get_next_io_channel(ch)) {
			SPDK_ERRLOG("thread %s still has a channel for io_device %s (%d "
				    "reference(s))\n",
				    spdk_thread_get_name(thread),
				    spdk_io_channel_get_io_device_name(ch),
				    spdk_io_channel_get_ref_count(ch));
		}
		if (updk__thread_has_msgs(thread)) {
			SPDK_ERRLOG("thread %s still has queued messages\n",
				    spdk_thread_get_name(thread));
		}
	}
}

static uint64_t
reactor_us_to_ticks(uint64_t us)
{
	uint64_t hz = spdk_get_ticks_hz();

	return (us / 1000000) * hz + (us % 1000000) * hz / 1000000;
}

/* Decide how long to sleep; 0 means do not sleep. Returns microseconds. */
static uint64_t
reactor_sleep_budget(struct reactor *r, uint64_t now, bool stopping)
{
	uint64_t cap = REACTOR_MAX_IDLE_SLEEP_US;
	uint64_t earliest = 0;
	uint64_t hz = spdk_get_ticks_hz();
	struct reactor_lw *lw;

	if (stopping || __atomic_load_n(&g_shutdown_deadline, __ATOMIC_RELAXED) != 0) {
		cap = REACTOR_STOPPING_SLEEP_US;
	}
	TAILQ_FOREACH (lw, &r->threads, link) {
		struct spdk_thread *thread = spdk_thread_get_from_ctx(lw);
		uint64_t next;

		if (spdk_thread_has_active_pollers(thread)) {
			uint64_t max_sleep = __atomic_load_n(&g_max_sleep_us, __ATOMIC_RELAXED);

			if (max_sleep < cap) {
				cap = max_sleep;
			}
		}
		if (!spdk_thread_is_running(thread) && cap > REACTOR_STOPPING_SLEEP_US) {
			cap = REACTOR_STOPPING_SLEEP_US;
		}
		next = spdk_thread_next_poller_expiration(thread);
		if (next != 0 && (earliest == 0 || next < earliest)) {
			earliest = next;
		}
	}
	if (earliest != 0) {
		uint64_t us;

		if (earliest <= now) {
			return 0;
		}
		us = (earliest - now) * 1000000 / hz;
		if (us == 0) {
			return 0;
		}
		if (us < cap) {
			cap = us;
		}
	}
	return cap;
}

static void
reactor_set_sleeping(struct reactor *r, int value)
{
	struct reactor_lw *lw;

	__atomic_store_n(&r->sleeping, value, __ATOMIC_SEQ_CST);
	TAILQ_FOREACH (lw, &r->threads, link) {
		__atomic_store_n(&lw->sleeping, value, __ATOMIC_SEQ_CST);
	}
}

static bool
reactor_has_work(struct reactor *r, int state_seen)
{
	struct reactor_lw *lw;

	if (__atomic_load_n(&r->inbox_pending, __ATOMIC_SEQ_CST) != 0 ||
	    reactors_state() != state_seen) {
		return true;
	}
	TAILQ_FOREACH (lw, &r->threads, link) {
		if (updk__thread_has_msgs(spdk_thread_get_from_ctx(lw))) {
			return true;
		}
	}
	return false;
}

static void
reactor_sleep(struct reactor *r, uint64_t us, int state_seen)
{
	struct pollfd pfd = {.fd = r->efd, .events = POLLIN};
	struct timespec ts;
	uint64_t counter;

	reactor_set_sleeping(r, 1);
	if (!reactor_has_work(r, state_seen)) {
		ts.tv_sec = (time_t)(us / 1000000);
		ts.tv_nsec = (long)((us % 1000000) * 1000);
		r->sleeps++;
		if (ppoll(&pfd, 1, &ts, NULL) > 0) {
			while (read(r->efd, &counter, sizeof(counter)) > 0) {
			}
		}
	}
	reactor_set_sleeping(r, 0);
}

/* Handle the shutdown deadline on the main reactor. */
static void
reactor_check_deadline(uint64_t now)
{
	uint64_t deadline = __atomic_load_n(&g_shutdown_deadline, __ATOMIC_ACQUIRE);
	const char *current;

	if (deadline == 0 || now < deadline ||
	    __atomic_load_n(&g_shutdown_expired, __ATOMIC_RELAXED)) {
		return;
	}
	__atomic_store_n(&g_shutdown_expired, true, __ATOMIC_RELEASE);
	current = subsystem_get_current();
	if (current != NULL) {
		SPDK_ERRLOG("shutdown timed out while subsystem '%s' was finishing\n", current);
	}
	SPDK_ERRLOG("shutdown timed out with %u thread(s) still alive; giving up on them\n",
		    __atomic_load_n(&g_lw_count, __ATOMIC_RELAXED));
	/* Each reactor reports its own threads, then ends. */
	__atomic_store_n(&g_reactors_state, REACTORS_STATE_EXITED, __ATOMIC_RELEASE);
	reactors_kick_all();
}

static void
reactor_run(struct reactor *r, bool is_main)
{
	uint64_t now, last_busy, idle_threshold_ticks, idle_threshold_us = 0;
	int state;

	r->tid = (pid_t)syscall(SYS_gettid);
	idle_threshold_ticks = 0;
	now = spdk_get_ticks();
	last_busy = now;

	for (;;) {
		struct reactor_lw *lw, *tmp;
		uint64_t start = now, us;
		int busy = 0;

		state = reactors_state();
		if (TAILQ_EMPTY(&r->threads)) {
			/* Otherwise the polls below advance the clock. */
			now = spdk_get_ticks();
			start = now;
		}
		if (__atomic_load_n(&r->inbox_pending, __ATOMIC_RELAXED) != 0) {
			reactor_drain_inbox(r, now);
			busy = 1;
		}
		if (spdk_unlikely(state == REACTORS_STATE_STOPPING)) {
			reactor_exit_threads(r);
		}

		TAILQ_FOREACH_SAFE (lw, &r->threads, link, tmp) {
			struct spdk_thread *thread = spdk_thread_get_from_ctx(lw);

			r->polling = thread;
			if (spdk_thread_poll(thread, 0, now) > 0) {
				busy = 1;
			}
			now = spdk_get_ticks();
			if (spdk_unlikely(lw->resched)) {
				reactor_move_thread(r, lw, thread);
			} else if (spdk_unlikely(spdk_thread_is_exited(thread))) {
				reactor_destroy_thread(r, lw, thread);
			}
		}
		r->polling = NULL;

		if (busy) {
			r->busy_tsc += now - start;
			last_busy = now;
		} else {
			r->idle_tsc += now - start;
		}

		if (is_main &&
		    spdk_unlikely(__atomic_load_n(&g_shutdown_deadline, __ATOMIC_RELAXED) != 0)) {
			reactor_check_deadline(now);
			state = reactors_state();
		}
		if (spdk_unlikely(state != REACTORS_STATE_RUNNING)) {
			if (state == REACTORS_STATE_EXITED) {
				if (__atomic_load_n(&g_shutdown_expired, __ATOMIC_ACQUIRE)) {
					if (!TAILQ_EMPTY(&r->threads)) {
						reactor_report_threads(r);
					}
					break;
				}
				if (TAILQ_EMPTY(&r->threads) &&
				    __atomic_load_n(&r->inbox_pending, __ATOMIC_ACQUIRE) == 0) {
					break;
				}
			}
			if (is_main) {
				if (state == REACTORS_STATE_STOPPING &&
				    __atomic_load_n(&g_lw_count, __ATOMIC_ACQUIRE) == 0) {
					__atomic_store_n(&g_reactors_state, REACTORS_STATE_EXITED,
							 __ATOMIC_RELEASE);
					reactors_kick_all();
					continue;
				}
			}
		}

		if (busy) {
			continue;
		}
		{
			uint64_t threshold =
				__atomic_load_n(&g_idle_threshold_us, __ATOMIC_RELAXED);

			if (threshold == UINT64_MAX) {
				continue;
			}
			if (threshold != idle_threshold_us) {
				idle_threshold_us = threshold;
				idle_threshold_ticks = reactor_us_to_ticks(threshold);
			}
		}
		if (now - last_busy < idle_threshold_ticks) {
			continue;
		}
		us = reactor_sleep_budget(r, now, state != REACTORS_STATE_RUNNING);
		if (us == 0) {
			continue;
		}
		reactor_sleep(r, us, state);
		start = now;
		now = spdk_get_ticks();
		r->idle_tsc += now - start;
	}

	__atomic_store_n(&r->finished, true, __ATOMIC_RELEASE);
}

static int
reactor_thread_main(void *arg)
{
	struct reactor *r = arg;
	char name[16];

	snprintf(name, sizeof(name), "reactor_%u", r->core);
	pthread_setname_np(pthread_self(), name);
	SPDK_NOTICELOG("Reactor started on core %u\n", r->core);
	reactor_run(r, false);
	return 0;
}

/* Wait for the other reactors, giving up after a grace period once the
 * shutdown deadline has passed. */
static void
reactors_join(uint32_t main_core)
{
	uint64_t give_up = 0;
	uint32_t i;

	for (;;) {
		bool all = true;

		for (i = 0; i < g_reactor_slots; i++) {
			struct reactor *r = g_reactors[i];

			if (r != NULL && i != main_core &&
			    !__atomic_load_n(&r->finished, __ATOMIC_ACQUIRE)) {
				all = false;
			}
		}
		if (all) {
			spdk_env_thread_wait_all();
			return;
		}
		if (__atomic_load_n(&g_shutdown_expired, __ATOMIC_ACQUIRE)) {
			uint64_t now = spdk_get_ticks();

			if (give_up == 0) {
				give_up =
					now + reactor_us_to_ticks(REACTOR_JOIN_GRACE_MS * 1000ULL);
			} else if (now > give_up) {
				break;
			}
		}
		usleep(1000);
	}

	for (i = 0; i < g_reactor_slots; i++) {
		struct reactor *r = g_reactors[i];
		struct spdk_thread *thread;

		if (r == NULL || i == main_core ||
		    __atomic_load_n(&r->finished, __ATOMIC_ACQUIRE)) {
			continue;
		}
		thread = r->polling;
		SPDK_ERRLOG("the reactor of core %u does not stop: it is stuck inside a poll of "
			    "thread %s; abandoning it\n",
			    r->core, thread != NULL ? spdk_thread_get_name(thread) : "(none)");
	}
	g_reactors_abandoned = true;
}

int
reactors_run(void)
{
	uint32_t main_core = spdk_env_get_main_core();
	struct reactor *main_reactor = reactor_get(main_core);
	cpu_set_t old_set, set;
	bool restore = false;
	uint32_t core;
	int rc;

	if (main_reactor == NULL) {
		SPDK_ERRLOG("no reactor for the main core %u\n", main_core);
		return -EINVAL;
	}

	SPDK_ENV_FOREACH_CORE(core)
	{
		if (core == main_core) {
			continue;
		}
		rc = spdk_env_thread_launch_pinned(core, reactor_thread_main, g_reactors[core]);
		if (rc != 0) {
			SPDK_ERRLOG("cannot start the reactor of core %u: %s\n", core,
				    spdk_strerror(-rc));
			/* Its threads go nowhere: stop everything. */
			__atomic_store_n(&g_reactors_state, REACTORS_STATE_EXITED,
					 __ATOMIC_RELEASE);
			__atomic_store_n(&g_reactors[core]->finished, true, __ATOMIC_RELEASE);
			reactors_kick_all();
			reactors_join(main_core);
			return rc;
		}
	}

	if (sched_getaffinity(0, sizeof(old_set), &old_set) == 0) {
		CPU_ZERO(&set);
		CPU_SET(main_core, &set);
		if (sched_setaffinity(0, sizeof(set), &set) == 0) {
			restore = true;
		} else {
			SPDK_WARNLOG("cannot pin the main reactor to CPU %u: %s\n", main_core,
				     spdk_strerror(errno));
		}
	}
	updk__env_set_current_core(main_core);
	SPDK_NOTICELOG("Reactor started on core %u\n", main_core);

	reactor_run(main_reactor, true);

	reactors_join(main_core);
	if (restore) {
		sched_setaffinity(0, sizeof(old_set), &old_set);
	}

	if (g_shutdown_expired || g_reactors_abandoned) {
		return -ETIMEDOUT;
	}
	if (__atomic_load_n(&g_forced_exits, __ATOMIC_RELAXED) != 0) {
		SPDK_ERRLOG("%u thread(s) had to be forced out at shutdown while still holding "
			    "resources\n",
			    __atomic_load_n(&g_forced_exits, __ATOMIC_RELAXED));
		return -ETIMEDOUT;
	}
	return 0;
}

struct spdk_event *
spdk_event_allocate(uint32_t lcore, spdk_event_fn fn, void *arg1, void *arg2)
{
	struct spdk_event *ev;

	if (fn == NULL) {
		SPDK_ERRLOG("spdk_event_allocate: fn is NULL\n");
		return NULL;
	}
	if (reactor_get(lcore) == NULL) {
		SPDK_ERRLOG("spdk_event_allocate: core %u has no reactor\n", lcore);
		return NULL;
	}
	ev = calloc(1, sizeof(*ev));
	if (ev == NULL) {
		SPDK_ERRLOG("spdk_event_allocate: out of memory\n");
		return NULL;
	}
	ev->fn = fn;
	ev->arg1 = arg1;
	ev->arg2 = arg2;
	ev->lcore = lcore;
	return ev;
}

void
spdk_event_call(struct spdk_event *event)
{
	struct reactor *r;

	if (event == NULL) {
		SPDK_ERRLOG("spdk_event_call: event is NULL\n");
		return;
	}
	r = reactor_get(event->lcore);
	if (r == NULL) {
		SPDK_ERRLOG("spdk_event_call: core %u has no reactor; event dropped\n",
			    event->lcore);
		free(event);
		return;
	}
	reactor_inbox_push(r, NULL, event);
}

void
spdk_framework_enable_context_switch_monitor(bool enabled)
{
}

bool
spdk_framework_context_switch_monitor_enabled(void)
{
	return false;
}

/* ---- framework_get_reactors ---- */

struct reactors_info_ctx {
	struct reactor_info *info;
	uint32_t count;
	uint32_t core;
	struct spdk_thread *orig;
	void (*cpl)(void *ctx, uint32_t count);
	void *cpl_ctx;
};

static void reactors_info_next(void *arg1, void *arg2);

static void
reactors_info_done(void *arg)
{
	struct reactors_info_ctx *ctx = arg;

	ctx->cpl(ctx->cpl_ctx, ctx->count);
	free(ctx);
}

static void
reactors_info_collect(void *arg1, void *arg2)
{
	struct reactors_info_ctx *ctx = arg1;
	struct reactor *r = arg2;
	struct reactor_info *info = &ctx->info[ctx->count++];
	struct reactor_lw *lw;
	uint64_t now = spdk_get_ticks();

	memset(info, 0, sizeof(*info));
	info->lcore = r->core;
	info->tid = r->tid;
	info->busy = r->busy_tsc;
	info->idle = r->idle_tsc;
	info->sleeps = r->sleeps;
	TAILQ_FOREACH (lw, &r->threads, link) {
		struct spdk_thread *thread = spdk_thread_get_from_ctx(lw);
		struct reactor_lw_info *li;

		if (info->lw_count >= SPDK_COUNTOF(info->lw)) {
			break;
		}
		li = &info->lw[info->lw_count++];
		updk_strlcpy(li->name, spdk_thread_get_name(thread), sizeof(li->name));
		li->id = spdk_thread_get_id(thread);
		updk_strlcpy(li->cpumask, spdk_cpuset_fmt(spdk_thread_get_cpumask(thread)),
			     sizeof(li->cpumask));
		li->elapsed = now - lw->tsc_start;
	}
	reactors_info_next(ctx, NULL);
}

static void
reactors_info_next(void *arg1, void *arg2)
{
	struct reactors_info_ctx *ctx = arg1;
	struct spdk_event *ev;

	while (ctx->core < g_reactor_slots) {
		struct reactor *r = g_reactors[ctx->core++];

		if (r == NULL) {
			continue;
		}
		ev = spdk_event_allocate(r->core, reactors_info_collect, ctx, r);
		if (ev != NULL) {
			spdk_event_call(ev);
			return;
		}
	}
	spdk_thread_send_msg(ctx->orig, reactors_info_done, ctx);
}

void
reactors_get_info(struct reactor_info *info, void (*cpl)(void *ctx, uint32_t count), void *cpl_ctx)
{
	struct reactors_info_ctx *ctx = calloc(1, sizeof(*ctx));

	if (ctx == NULL) {
		SPDK_ERRLOG("reactors_get_info: out of memory\n");
		cpl(cpl_ctx, 0);
		return;
	}
	ctx->info = info;
	ctx->orig = spdk_get_thread();
	ctx->cpl = cpl;
	ctx->cpl_ctx = cpl_ctx;
	reactors_info_next(ctx, NULL);
}
