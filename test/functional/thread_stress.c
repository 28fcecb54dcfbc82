/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Multi-pthread stress test of the thread library, meant to run under TSan
 * and ASan. Four pthreads each poll two spdk_threads. The app thread acts as
 * a controller that keeps registering and unregistering four I/O devices at
 * the same addresses; seven worker threads each perform a fixed number of
 * random operations: messages to each other (checked for per-sender FIFO
 * order and for running on the right thread), channel gets and puts,
 * spdk_for_each_channel() with immediate or deferred continues (racing the
 * channel gets, puts and device unregistrations), spdk_for_each_thread(),
 * and pausing and resuming a timed poller; halfway through, each worker
 * floods its neighbour with more messages than a message ring holds. Then everything is released, the
 * devices are unregistered, every thread exits from inside its own poller
 * and is destroyed by its pthread, and the library is finalised.
 *
 * The run is bounded (a fixed number of operations, plus a watchdog) and
 * ends with one line "N passed, M failed" over the invariants checked.
 * Exit status: 0 if every check passed, 1 otherwise. An optional argument
 * sets the number of operations per worker.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "updk/thread.h"

#define NUM_PTHREADS 4
#define THREADS_PER_PTHREAD 2
#define NUM_THREADS (NUM_PTHREADS * THREADS_PER_PTHREAD)
/* Thread 0 is the controller (the app thread); the others are workers. */
#define NUM_WORKERS (NUM_THREADS - 1)
#define NUM_DEVS 4
#define MAX_HELD 3
#define MAX_FOR_EACH_IN_FLIGHT 4
#define DEFAULT_OPS 400000
/* The controller unregisters one device every this many of its polls. */
#define TOGGLE_EVERY 64
/* Each worker floods its neighbour once with this many messages, more than a
 * thread's message ring holds, so that senders wait for room and overflow. */
#define FLOOD_MSGS 20000
#define CTX_MAGIC 0x57e55c7a11c0ffeeULL
#define WATCHDOG_SEC 240

enum run_phase {
	/* Workers perform their operations. */
	PHASE_WORK,
	/* Workers are done; the controller unregisters the devices. */
	PHASE_DRAIN,
	/* Every thread exits. */
	PHASE_EXIT,
};

/* One device slot; its address is the io_device, reused for every
 * registration, also while channels of an earlier registration are still
 * alive. Only the controller touches the fields after slot. */
struct stress_dev {
	uint32_t slot;
	bool registered;
	/* Unregistrations whose callback has not run yet. */
	uint32_t pending_unregisters;
	/* The last registration was refused: an unregistration parked behind a
	 * for_each_channel keeps the address registered until it goes through. */
	bool refused;
	struct spdk_thread *unregister_thread;
};

struct stress_ch_ctx {
	uint64_t magic;
	uint32_t slot;
	struct spdk_thread *owner;
};

struct worker {
	uint32_t index;
	struct spdk_thread *thread;
	struct spdk_poller *poller;
	struct spdk_poller *timed;
	bool timed_paused;
	uint64_t timed_runs;
	uint64_t rng;
	uint64_t ops;
	bool done;
	uint32_t for_each_in_flight;
	struct spdk_io_channel *held[NUM_DEVS][MAX_HELD];
	uint32_t nheld[NUM_DEVS];
	/* Next sequence number to send to each worker / expected from each. */
	uint32_t seq_to[NUM_WORKERS];
	uint32_t seq_from[NUM_WORKERS];
};

struct controller {
	struct spdk_thread *thread;
	struct spdk_poller *poller;
	uint64_t polls;
	uint64_t rng;
	bool exiting;
};

static struct stress_dev g_devs[NUM_DEVS];
static struct worker g_workers[NUM_WORKERS];
static struct controller g_ctrl;
static struct spdk_thread *g_threads[NUM_THREADS];
static uint64_t g_ops_per_worker = DEFAULT_OPS;
static pthread_barrier_t g_created;

/* Written by the controller, read by every pthread. */
static int g_phase = PHASE_WORK;

/* Counters shared by all pthreads (atomic). */
static uint64_t g_workers_done;
static uint64_t g_threads_exited;
static uint64_t g_msgs_sent;
static uint64_t g_msgs_received;
static uint64_t g_fifo_violations;
static uint64_t g_wrong_thread;
static uint64_t g_ch_creates;
static uint64_t g_ch_destroys;
static uint64_t g_ch_bad_ctx;
static uint64_t g_fec_started;
static uint64_t g_fec_completed;
static uint64_t g_fec_visits;
static uint64_t g_fec_enodev;
static uint64_t g_fet_started;
static uint64_t g_fet_completed;
static uint64_t g_fet_visits;
static uint64_t g_registrations;
static uint64_t g_register_refused;
static uint64_t g_unregistrations;
static uint64_t g_unregister_cbs;
static uint64_t g_get_failed;
static uint64_t g_log_unexpected;
static uint64_t g_log_foreign_unlock;

/* Guards g_locked_count; taken from every pthread. */
static struct spdk_spinlock g_lock;
static uint64_t g_locked_count;

static uint32_t g_passed;
static uint32_t g_failed;

#define ADD(var, n) __atomic_add_fetch(&(var), (n), __ATOMIC_RELAXED)
#define GET(var) __atomic_load_n(&(var), __ATOMIC_ACQUIRE)

static void
check(bool ok, const char *what, uint64_t got, uint64_t want)
{
	if (ok) {
		g_passed++;
		printf("PASS %s (%" PRIu64 ")\n", what, got);
	} else {
		g_failed++;
		printf("FAIL %s: got %" PRIu64 ", want %" PRIu64 "\n", what, got, want);
	}
}

static uint64_t
rng_next(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/* ---------------------------------------------------------------------- */
/* Log capture: the errors a racing program expects are counted apart      */
/* ---------------------------------------------------------------------- */

static const char *const g_expected_logs[] = {
	/* spdk_get_io_channel() on a device being unregistered. */
	"could not find io_device",
	/* spdk_for_each_channel() on an unregistered device. */
	"not found",
	/* spdk_for_each_channel() on a device whose unregister is parked. */
	"has a pending unregister",
	/* The warning for an unregister parked behind a for_each_channel. */
	"for_each calls outstanding",
};

/* The device the controller is registering on this pthread, if any. */
static __thread struct stress_dev *tls_registering;

static void
stress_log(int level, const char *file, const int line, const char *func, const char *format,
	   va_list args)
{
	size_t i;

	if (level > SPDK_LOG_WARN) {
		return;
	}
	if (tls_registering != NULL && strstr(format, "already registered") != NULL) {
		tls_registering->refused = true;
		ADD(g_register_refused, 1);
		return;
	}
	if (strstr(format, "does not hold the lock") != NULL) {
		ADD(g_log_foreign_unlock, 1);
		return;
	}
	for (i = 0; i < sizeof(g_expected_logs) / sizeof(g_expected_logs[0]); i++) {
		if (strstr(format, g_expected_logs[i]) != NULL) {
			return;
		}
	}
	if (ADD(g_log_unexpected, 1) <= 10) {
		fprintf(stderr, "unexpected log (level %d, %s:%d): ", level, func, line);
		vfprintf(stderr, format, args);
	}
}

/* ---------------------------------------------------------------------- */
/* Devices and channels                                                    */
/* ---------------------------------------------------------------------- */

static int
stress_ch_create(void *io_device, void *ctx_buf)
{
	struct stress_dev *dev = io_device;
	struct stress_ch_ctx *ctx = ctx_buf;

	if (spdk_get_thread() == NULL || ctx->magic != 0) {
		ADD(g_ch_bad_ctx, 1);
	}
	ctx->magic = CTX_MAGIC;
	ctx->slot = dev->slot;
	ctx->owner = spdk_get_thread();
	ADD(g_ch_creates, 1);
	return 0;
}

static void
stress_ch_destroy(void *io_device, void *ctx_buf)
{
	struct stress_dev *dev = io_device;
	struct stress_ch_ctx *ctx = ctx_buf;

	if (ctx->magic != CTX_MAGIC || ctx->slot != dev->slot || ctx->owner != spdk_get_thread()) {
		ADD(g_ch_bad_ctx, 1);
	}
	ctx->magic = 0;
	ADD(g_ch_destroys, 1);
}

static void
stress_unregister_done(void *io_device)
{
	struct stress_dev *dev = io_device;

	if (spdk_get_thread() != dev->unregister_thread) {
		ADD(g_wrong_thread, 1);
	}
	dev->pending_unregisters--;
	ADD(g_unregister_cbs, 1);
}

static void
worker_get_channel(struct worker *w, uint32_t slot)
{
	struct spdk_io_channel *ch;
	struct stress_ch_ctx *ctx;

	if (w->nheld[slot] == MAX_HELD) {
		return;
	}
	ch = spdk_get_io_channel(&g_devs[slot]);
	if (ch == NULL) {
		/* The controller unregistered it: an expected race. */
		ADD(g_get_failed, 1);
		return;
	}
	ctx = spdk_io_channel_get_ctx(ch);
	if (ctx->magic != CTX_MAGIC || ctx->owner != w->thread || ctx->slot != slot) {
		ADD(g_ch_bad_ctx, 1);
	}
	w->held[slot][w->nheld[slot]++] = ch;
}

static void
worker_put_channel(struct worker *w, uint32_t slot)
{
	if (w->nheld[slot] == 0) {
		return;
	}
	spdk_put_io_channel(w->held[slot][--w->nheld[slot]]);
}

static void
worker_put_all(struct worker *w)
{
	uint32_t slot;

	for (slot = 0; slot < NUM_DEVS; slot++) {
		while (w->nheld[slot] > 0) {
			worker_put_channel(w, slot);
		}
	}
}

/* ---------------------------------------------------------------------- */
/* Messages                                                                */
/* ---------------------------------------------------------------------- */

static void
worker_msg(void *arg)
{
	uintptr_t v = (uintptr_t)arg;
	uint32_t to = (uint32_t)(v >> 48), from = (uint32_t)(v >> 32) & 0xffff;
	uint32_t seq = (uint32_t)v;
	struct worker *w = &g_workers[to];

	if (spdk_get_thread() != w->thread) {
		ADD(g_wrong_thread, 1);
	}
	if (w->seq_from[from] != seq) {
		ADD(g_fifo_violations, 1);
	}
	w->seq_from[from] = seq + 1;

	spdk_spin_lock(&g_lock);
	g_locked_count++;
	spdk_spin_unlock(&g_lock);
	ADD(g_msgs_received, 1);
}

static void
worker_send_to(struct worker *w, uint32_t to)
{
	uintptr_t v;

	v = ((uintptr_t)to << 48) | ((uintptr_t)w->index << 32) | w->seq_to[to];
	ADD(g_msgs_sent, 1);
	if (spdk_thread_send_msg(g_workers[to].thread, worker_msg, (void *)v) != 0) {
		ADD(g_msgs_sent, (uint64_t)-1);
		return;
	}
	w->seq_to[to]++;
}

static void
worker_send(struct worker *w)
{
	uint32_t to = (uint32_t)(rng_next(&w->rng) % NUM_WORKERS);

	worker_send_to(w, to == w->index ? (to + 1) % NUM_WORKERS : to);
}

static void
worker_flood(struct worker *w)
{
	uint32_t i, to = (w->index + 1) % NUM_WORKERS;

	for (i = 0; i < FLOOD_MSGS; i++) {
		worker_send_to(w, to);
	}
}

/* ---------------------------------------------------------------------- */
/* for_each_channel and for_each_thread                                    */
/* ---------------------------------------------------------------------- */

struct fec_ctx {
	struct worker *caller;
	uint32_t slot;
	bool deferred;
};

static void
fec_continue_later(void *arg)
{
	spdk_for_each_channel_continue(arg, 0);
}

static void
fec_visit(struct spdk_io_channel_iter *i)
{
	struct fec_ctx *c = spdk_io_channel_iter_get_ctx(i);
	struct spdk_io_channel *ch = spdk_io_channel_iter_get_channel(i);
	struct stress_ch_ctx *ctx = spdk_io_channel_get_ctx(ch);

	ADD(g_fec_visits, 1);
	if (spdk_io_channel_get_thread(ch) != spdk_get_thread() ||
	    spdk_io_channel_iter_get_io_device(i) != &g_devs[c->slot]) {
		ADD(g_wrong_thread, 1);
	}
	if (ctx->magic != CTX_MAGIC || ctx->owner != spdk_get_thread() || ctx->slot != c->slot) {
		ADD(g_ch_bad_ctx, 1);
	}
	if (c->deferred) {
		spdk_thread_send_msg(spdk_get_thread(), fec_continue_later, i);
		return;
	}
	spdk_for_each_channel_continue(i, 0);
}

static void
fec_done(struct spdk_io_channel_iter *i, int status)
{
	struct fec_ctx *c = spdk_io_channel_iter_get_ctx(i);

	if (spdk_get_thread() != c->caller->thread) {
		ADD(g_wrong_thread, 1);
	}
	if (status == -ENODEV) {
		ADD(g_fec_enodev, 1);
	} else if (status != 0) {
		ADD(g_wrong_thread, 1);
	}
	c->caller->for_each_in_flight--;
	free(c);
	ADD(g_fec_completed, 1);
}

static void
worker_for_each_channel(struct worker *w, uint32_t slot)
{
	struct fec_ctx *c;

	if (w->for_each_in_flight == MAX_FOR_EACH_IN_FLIGHT) {
		return;
	}
	c = calloc(1, sizeof(*c));
	if (c == NULL) {
		return;
	}
	c->caller = w;
	c->slot = slot;
	c->deferred = (rng_next(&w->rng) & 1) != 0;
	w->for_each_in_flight++;
	ADD(g_fec_started, 1);
	spdk_for_each_channel(&g_devs[slot], fec_visit, c, fec_done);
}

static void
fet_visit(void *arg)
{
	ADD(g_fet_visits, 1);
}

static void
fet_done(void *arg)
{
	struct worker *w = arg;

	if (spdk_get_thread() != w->thread) {
		ADD(g_wrong_thread, 1);
	}
	w->for_each_in_flight--;
	ADD(g_fet_completed, 1);
}

static void
worker_for_each_thread(struct worker *w)
{
	if (w->for_each_in_flight == MAX_FOR_EACH_IN_FLIGHT) {
		return;
	}
	w->for_each_in_flight++;
	ADD(g_fet_started, 1);
	spdk_for_each_thread(fet_visit, w, fet_done);
}

/* ---------------------------------------------------------------------- */
/* Worker and controller pollers                                           */
/* ---------------------------------------------------------------------- */

static int
worker_timed_poller(void *arg)
{
	struct worker *w = arg;

	w->timed_runs++;
	return SPDK_POLLER_IDLE;
}

static void
worker_step(struct worker *w)
{
	uint64_t r = rng_next(&w->rng);
	uint32_t slot = (uint32_t)((r >> 8) % NUM_DEVS);
	uint32_t pick = (uint32_t)(r % 100);

	if (pick < 40) {
		worker_send(w);
	} else if (pick < 62) {
		worker_get_channel(w, slot);
	} else if (pick < 84) {
		worker_put_channel(w, slot);
	} else if (pick < 95) {
		worker_for_each_channel(w, slot);
	} else if (pick < 96) {
		worker_for_each_thread(w);
	} else if (w->timed_paused) {
		spdk_poller_resume(w->timed);
		w->timed_paused = false;
	} else {
		spdk_poller_pause(w->timed);
		w->timed_paused = true;
	}
}

static int
worker_poller(void *arg)
{
	struct worker *w = arg;

	if (GET(g_phase) == PHASE_EXIT) {
		spdk_poller_unregister(&w->timed);
		spdk_poller_unregister(&w->poller);
		spdk_thread_exit(w->thread);
		return SPDK_POLLER_BUSY;
	}
	if (w->done) {
		return SPDK_POLLER_IDLE;
	}
	worker_step(w);
	if (w->ops == g_ops_per_worker / 2) {
		worker_flood(w);
	}
	if (++w->ops == g_ops_per_worker) {
		worker_put_all(w);
		w->done = true;
		ADD(g_workers_done, 1);
	}
	return SPDK_POLLER_BUSY;
}

static void
ctrl_toggle(struct stress_dev *dev)
{
	if (!dev->registered) {
		dev->refused = false;
		tls_registering = dev;
		spdk_io_device_register(dev, stress_ch_create, stress_ch_destroy,
					sizeof(struct stress_ch_ctx), "stress_dev");
		tls_registering = NULL;
		if (dev->refused) {
			return;
		}
		dev->registered = true;
		ADD(g_registrations, 1);
	} else {
		dev->unregister_thread = spdk_get_thread();
		dev->registered = false;
		dev->pending_unregisters++;
		ADD(g_unregistrations, 1);
		spdk_io_device_unregister(dev, stress_unregister_done);
	}
}

static bool
ctrl_quiesced(void)
{
	return GET(g_workers_done) == NUM_WORKERS && GET(g_msgs_received) == GET(g_msgs_sent) &&
	       GET(g_fec_completed) == GET(g_fec_started) &&
	       GET(g_fet_completed) == GET(g_fet_started);
}

static int
ctrl_poller(void *arg)
{
	struct controller *c = arg;
	uint32_t slot;
	bool all_free;
	int rc = SPDK_POLLER_IDLE;

	c->polls++;
	switch (GET(g_phase)) {
	case PHASE_WORK:
		/* Devices are registered again as soon as possible, and one is
		 * unregistered every TOGGLE_EVERY polls, mostly while channels
		 * and iterations are in flight. */
		for (slot = 0; slot < NUM_DEVS; slot++) {
			if (!g_devs[slot].registered) {
				ctrl_toggle(&g_devs[slot]);
				rc = SPDK_POLLER_BUSY;
			}
		}
		if (c->polls % TOGGLE_EVERY == 0) {
			slot = (uint32_t)(rng_next(&c->rng) % NUM_DEVS);
			if (g_devs[slot].registered) {
				ctrl_toggle(&g_devs[slot]);
				rc = SPDK_POLLER_BUSY;
			}
		}
		if (ctrl_quiesced()) {
			__atomic_store_n(&g_phase, PHASE_DRAIN, __ATOMIC_RELEASE);
		}
		break;
	case PHASE_DRAIN:
		all_free = true;
		for (slot = 0; slot < NUM_DEVS; slot++) {
			if (g_devs[slot].registered) {
				ctrl_toggle(&g_devs[slot]);
			}
			if (g_devs[slot].pending_unregisters != 0) {
				all_free = false;
			}
		}
		if (all_free) {
			__atomic_store_n(&g_phase, PHASE_EXIT, __ATOMIC_RELEASE);
		}
		break;
	case PHASE_EXIT:
		/* The app thread goes last. */
		if (!c->exiting && GET(g_threads_exited) == NUM_WORKERS) {
			c->exiting = true;
			spdk_poller_unregister(&c->poller);
			spdk_thread_exit(c->thread);
		}
		break;
	default:
		break;
	}
	return rc;
}

/* ---------------------------------------------------------------------- */
/* pthreads                                                                */
/* ---------------------------------------------------------------------- */

static void *
pthread_main(void *arg)
{
	uint32_t p = (uint32_t)(uintptr_t)arg;
	struct spdk_thread *mine[THREADS_PER_PTHREAD];
	bool exited[THREADS_PER_PTHREAD] = {false};
	uint32_t k, idx, left = THREADS_PER_PTHREAD;
	char name[32];
	int busy;

	/* Every pthread creates its own threads, concurrently with the others;
	 * pthread 0's first one was created by main() and is the app thread. */
	for (k = 0; k < THREADS_PER_PTHREAD; k++) {
		idx = p * THREADS_PER_PTHREAD + k;
		if (idx == 0) {
			mine[k] = g_threads[0];
			continue;
		}
		snprintf(name, sizeof(name), "worker%u", idx - 1);
		mine[k] = spdk_thread_create(name, NULL);
		g_threads[idx] = mine[k];
	}
	pthread_barrier_wait(&g_created);
	/* main() registers the pollers. */
	pthread_barrier_wait(&g_created);

	while (left > 0) {
		busy = 0;
		for (k = 0; k < THREADS_PER_PTHREAD; k++) {
			if (exited[k]) {
				continue;
			}
			busy |= spdk_thread_poll(mine[k], 0, 0);
			if (spdk_thread_is_exited(mine[k])) {
				exited[k] = true;
				left--;
				if (mine[k] != g_threads[0]) {
					ADD(g_threads_exited, 1);
				}
			}
		}
		if (!busy) {
			sched_yield();
		}
	}
	for (k = 0; k < THREADS_PER_PTHREAD; k++) {
		spdk_thread_destroy(mine[k]);
	}
	return NULL;
}

static void *
foreign_unlock_main(void *arg)
{
	spdk_spin_unlock(arg);
	return NULL;
}

static void *
watchdog_main(void *arg)
{
	sleep(WATCHDOG_SEC);
	fprintf(stderr,
		"thread_stress: watchdog fired after %d s (phase %d, workers done %" PRIu64
		", msgs %" PRIu64 "/%" PRIu64 ", for_each_channel %" PRIu64 "/%" PRIu64 ")\n",
		WATCHDOG_SEC, GET(g_phase), GET(g_workers_done), GET(g_msgs_received),
		GET(g_msgs_sent), GET(g_fec_completed), GET(g_fec_started));
	fflush(stderr);
	_exit(1);
	return NULL;
}

/* A lock held by one pthread cannot be released by another. */
static void
check_foreign_unlock(void)
{
	struct spdk_spinlock lock;
	pthread_t t;
	bool held_after;

	spdk_spin_init(&lock);
	spdk_spin_lock(&lock);
	pthread_create(&t, NULL, foreign_unlock_main, &lock);
	pthread_join(t, NULL);
	held_after = spdk_spin_held(&lock);
	spdk_spin_unlock(&lock);
	spdk_spin_destroy(&lock);
	check(held_after && GET(g_log_foreign_unlock) == 1,
	      "spinlock unlock from another pthread refused", GET(g_log_foreign_unlock), 1);
}

int
main(int argc, char **argv)
{
	pthread_t pthreads[NUM_PTHREADS], watchdog;
	uint64_t ids[NUM_THREADS];
	struct timespec t0, t1;
	uint32_t i, j, slot;
	bool unique = true;
	uint64_t timed_runs = 0;
	char *end;

	if (argc > 1) {
		g_ops_per_worker = strtoull(argv[1], &end, 10);
		if (*end != '\0' || g_ops_per_worker == 0) {
			fprintf(stderr, "usage: %s [operations per worker]\n", argv[0]);
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_create(&watchdog, NULL, watchdog_main, NULL);
	pthread_detach(watchdog);

	spdk_log_open(stress_log);
	spdk_spin_init(&g_lock);
	updk_io_channel_set_owner_check(true);
	check_foreign_unlock();

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		printf("FAIL spdk_thread_lib_init\n0 passed, 1 failed\n");
		return 1;
	}
	g_threads[0] = spdk_thread_create("controller", NULL);
	for (slot = 0; slot < NUM_DEVS; slot++) {
		g_devs[slot].slot = slot;
	}

	pthread_barrier_init(&g_created, NULL, NUM_PTHREADS + 1);
	for (i = 0; i < NUM_PTHREADS; i++) {
		pthread_create(&pthreads[i], NULL, pthread_main, (void *)(uintptr_t)i);
	}
	pthread_barrier_wait(&g_created);

	/* Every thread exists: check the ids, then give each its poller(s). */
	for (i = 0; i < NUM_THREADS; i++) {
		ids[i] = g_threads[i] != NULL ? spdk_thread_get_id(g_threads[i]) : 0;
		for (j = 0; j < i; j++) {
			if (ids[i] == 0 || ids[i] == ids[j]) {
				unique = false;
			}
		}
	}
	check(unique && ids[0] == 1 && spdk_thread_get_app_thread() == g_threads[0] &&
		      spdk_thread_get_count() == NUM_THREADS,
	      "threads created concurrently have unique ids", spdk_thread_get_count(), NUM_THREADS);

	g_ctrl.thread = g_threads[0];
	g_ctrl.rng = 0x9e3779b97f4a7c15ULL;
	spdk_set_thread(g_ctrl.thread);
	g_ctrl.poller = spdk_poller_register_named(ctrl_poller, &g_ctrl, 0, "controller");
	for (slot = 0; slot < NUM_DEVS; slot++) {
		ctrl_toggle(&g_devs[slot]);
	}
	for (i = 0; i < NUM_WORKERS; i++) {
		g_workers[i].index = i;
		g_workers[i].thread = g_threads[i + 1];
		g_workers[i].rng = 0x2545f4914f6cdd1dULL * (i + 1);
		spdk_set_thread(g_workers[i].thread);
		g_workers[i].poller =
			spdk_poller_register_named(worker_poller, &g_workers[i], 0, "worker");
		g_workers[i].timed = spdk_poller_register_named(worker_timed_poller, &g_workers[i],
								50, "worker_timed");
	}
	spdk_set_thread(NULL);
	pthread_barrier_wait(&g_created);

	for (i = 0; i < NUM_PTHREADS; i++) {
		pthread_join(pthreads[i], NULL);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);

	for (i = 0; i < NUM_WORKERS; i++) {
		timed_runs += g_workers[i].timed_runs;
	}

	check(GET(g_workers_done) == NUM_WORKERS, "workers finished their operations",
	      GET(g_workers_done), NUM_WORKERS);
	check(GET(g_msgs_received) == GET(g_msgs_sent) && GET(g_msgs_sent) > 0,
	      "every message delivered", GET(g_msgs_received), GET(g_msgs_sent));
	check(GET(g_fifo_violations) == 0, "per-sender FIFO order", GET(g_fifo_violations), 0);
	check(g_locked_count == GET(g_msgs_received), "spinlock-guarded counter", g_locked_count,
	      GET(g_msgs_received));
	check(GET(g_wrong_thread) == 0, "callbacks ran on the right thread", GET(g_wrong_thread),
	      0);
	check(GET(g_ch_creates) == GET(g_ch_destroys) && GET(g_ch_creates) > 0,
	      "every channel created was destroyed", GET(g_ch_destroys), GET(g_ch_creates));
	check(GET(g_ch_bad_ctx) == 0, "channel contexts intact", GET(g_ch_bad_ctx), 0);
	check(GET(g_fec_completed) == GET(g_fec_started) && GET(g_fec_visits) > 0,
	      "every for_each_channel completed", GET(g_fec_completed), GET(g_fec_started));
	check(GET(g_fet_completed) == GET(g_fet_started) &&
		      GET(g_fet_visits) >= GET(g_fet_completed),
	      "every for_each_thread completed", GET(g_fet_completed), GET(g_fet_started));
	check(GET(g_unregister_cbs) == GET(g_unregistrations) &&
		      GET(g_unregistrations) == GET(g_registrations),
	      "every device unregistration called back", GET(g_unregister_cbs),
	      GET(g_registrations));
	check(updk_io_channel_get_owner_violations() == 0, "no channel used off its thread",
	      updk_io_channel_get_owner_violations(), 0);
	check(timed_runs > 0, "timed pollers ran", timed_runs, 1);
	check(spdk_thread_get_count() == 1, "only the app thread left before lib_fini",
	      spdk_thread_get_count(), 1);

	spdk_thread_lib_fini();
	check(GET(g_log_unexpected) == 0, "no unexpected error or warning logged",
	      GET(g_log_unexpected), 0);
	spdk_spin_destroy(&g_lock);
	spdk_log_close();

	printf("thread_stress: %d pthreads, %d threads, %" PRIu64 " ops per worker, %.2f s: "
	       "%" PRIu64 " messages, %" PRIu64 " channels, %" PRIu64 " for_each_channel (%" PRIu64
	       " visits, %" PRIu64 " -ENODEV), %" PRIu64 " registrations, %" PRIu64
	       " failed gets, %" PRIu64 " refused registrations\n",
	       NUM_PTHREADS, NUM_THREADS, g_ops_per_worker,
	       (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	       GET(g_msgs_sent), GET(g_ch_creates), GET(g_fec_started), GET(g_fec_visits),
	       GET(g_fec_enodev), GET(g_registrations), GET(g_get_failed), GET(g_register_refused));
	printf("%u passed, %u failed\n", g_passed, g_failed);
	return g_failed == 0 ? 0 : 1;
}
