/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The thread library: lightweight threads polled by their owners, the message
 * rings between them, pollers, the I/O device registry and per-thread I/O
 * channels.
 *
 * Locking. One global mutex (g_devlist_mutex) guards the list of threads, the
 * device registry, every thread's list of channels, and the device reference
 * counts. A thread reads its own channel list without the mutex (it is the
 * only writer, and it writes under the mutex so that other threads may read
 * it under the mutex). Everything else in a thread (pollers, counters, state)
 * is touched only by the OS thread that polls it. Messages are the only way
 * in from outside, and they are lock-free (see struct msg_ring).
 */

#include "spdk/stdinc.h"
#include "spdk/thread.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/util.h"
#include "updk/thread.h"
#include "updk/string.h"
#include "updk_internal/thread.h"

SPDK_LOG_REGISTER_COMPONENT(thread)

#define THREAD_NAME_LEN 256
#define MSG_BATCH_SIZE 8
#define MSG_RING_ORDER 14
#define MSG_RING_SIZE (1u << MSG_RING_ORDER)
#define MAX_POST_POLLER_HANDLERS 4
/* A sender that finds the ring full waits until this many cells are free... */
#define MSG_RING_ROOM 256
/* ...for at most this long, then uses the overflow list. */
#define MSG_RING_WAIT_US 10

/*
 * A multi-producer, single-consumer ring of messages, held inline so that a
 * send allocates nothing.
 *
 * Ordering contract. Position p (a 64-bit counter that never wraps in
 * practice) maps to cell p & (size - 1) on lap p >> order. A cell's `turn`
 * says whose it is: 2 * lap means free for the producer of lap `lap`, and
 * 2 * lap + 1 means filled for the consumer of lap `lap`. Memory that is all
 * zeroes is therefore an empty ring, and its pages are touched only when used.
 *
 * - A producer reads `tail`, checks the cell's turn with an acquire load
 *   (pairs with the consumer's release store that freed it), claims the
 *   position with a CAS on `tail`, writes fn and ctx, then publishes them with
 *   a release store of turn = 2 * lap + 1.
 * - The consumer reads the cell at `head` with an acquire load of turn (pairs
 *   with the producer's release store), copies fn and ctx, and frees the cell
 *   with a release store of turn = 2 * (lap + 1).
 *
 * When a producer finds its cell still filled from the previous lap, the ring
 * is full, and the message goes to the thread's overflow list instead (under a
 * mutex). While that list is non-empty every sender uses it, so messages from
 * one sender stay in order: the consumer drains the ring before the list.
 * The list holds messages in chunks, so that a flood that overflows costs
 * one allocation per chunk rather than one per message.
 */
struct msg_cell {
	uint64_t turn;
	spdk_msg_fn fn;
	void *ctx;
	uint64_t reserved;
};

SPDK_STATIC_ASSERT(sizeof(struct msg_cell) == 32, "two cells per cache line");

#define MSG_CHUNK_MSGS 255

/* A chunk of the overflow list. Senders append to the last chunk under the
 * overflow mutex; once taken, the consumer runs it from `first` on. */
struct msg_chunk {
	STAILQ_ENTRY(msg_chunk) link;
	/* Messages written. */
	uint32_t count;
	/* Next message to run. */
	uint32_t first;
	struct {
		spdk_msg_fn fn;
		void *ctx;
	} msgs[MSG_CHUNK_MSGS];
};

enum thread_state {
	/* Running normally. */
	THREAD_STATE_RUNNING,
	/* spdk_thread_exit() was called; waiting for resources to be released. */
	THREAD_STATE_EXITING,
	/* Exited; may be destroyed. */
	THREAD_STATE_EXITED,
};

enum poller_state {
	/* Waiting for its turn. */
	POLLER_STATE_WAITING,
	/* Its function is running. */
	POLLER_STATE_RUNNING,
	/* Unregistered; freed when the poll loop next reaches it. */
	POLLER_STATE_UNREGISTERED,
	/* Will move to the paused list when the poll loop next reaches it. */
	POLLER_STATE_PAUSING,
	/* On the paused list. */
	POLLER_STATE_PAUSED,
};

struct spdk_poller {
	TAILQ_ENTRY(spdk_poller) tailq;
	enum poller_state state;
	/* Period in ticks; 0 for an active poller. */
	uint64_t period_ticks;
	/* Tick at which a timed poller is due next. */
	uint64_t next_run_tick;
	uint64_t run_count;
	uint64_t busy_count;
	uint64_t id;
	spdk_poller_fn fn;
	void *arg;
	struct spdk_thread *thread;
	spdk_poller_set_interrupt_mode_cb set_intr_cb_fn;
	void *set_intr_cb_arg;
	char name[THREAD_NAME_LEN];
};

TAILQ_HEAD(poller_list, spdk_poller);

struct post_poller_handler {
	spdk_post_poller_fn fn;
	void *arg;
};

struct io_device {
	void *io_device;
	spdk_io_channel_create_cb create_cb;
	spdk_io_channel_destroy_cb destroy_cb;
	uint32_t ctx_size;
	/* Channels alive for this device, on all threads. */
	uint32_t refcnt;
	/* spdk_for_each_channel() calls under way. */
	uint32_t for_each_count;
	/* Set once unregistered; read without the mutex by channel lookups. */
	bool unregistered;
	/* An unregister waits for the for_each calls to finish. */
	bool unregister_parked;
	struct spdk_thread *unregister_thread;
	spdk_io_device_unregister_cb unregister_cb;
	TAILQ_ENTRY(io_device) tailq;
	char name[THREAD_NAME_LEN];
};

/* The channel header: exactly SPDK_IO_CHANNEL_STRUCT_SIZE bytes, followed by
 * the device's per-channel context. */
struct spdk_io_channel {
	struct spdk_thread *thread;
	struct io_device *dev;
	void *io_device;
	/* References held by users; changed only on the owning thread. */
	uint32_t ref;
	/* Release messages in flight; the last one with ref == 0 releases. */
	uint32_t destroy_ref;
	TAILQ_ENTRY(spdk_io_channel) tailq;
	spdk_io_channel_destroy_cb destroy_cb;
	uint8_t reserved[40];
};

SPDK_STATIC_ASSERT(sizeof(struct spdk_io_channel) == SPDK_IO_CHANNEL_STRUCT_SIZE,
		   "the channel context offset is part of the ABI");

/*
 * The first three cache lines keep the two sides of the message ring apart:
 * every send reads the first line and writes the second, every poll reads the
 * first line and writes the third. A field written on every message never
 * shares a line with one the other side reads on every message.
 */
struct spdk_thread {
	/* Read by every sender and every poll; written rarely. */
	struct msg_cell *msg_ring __attribute__((aligned(SPDK_CACHE_LINE_SIZE)));
	enum thread_state state;
	/* Non-zero while messages wait on the overflow list. */
	uint64_t overflow_count;
	/* The critical message slot (spdk_thread_send_critical_msg). */
	spdk_msg_fn critical_msg;
	updk_thread_wakeup_fn wakeup_fn;
	void *wakeup_arg;
	const int *wakeup_sleeping;

	/* Producer side of the message ring. */
	uint64_t msg_tail __attribute__((aligned(SPDK_CACHE_LINE_SIZE)));

	/* Consumer side: touched only by the polling OS thread. */
	uint64_t msg_head __attribute__((aligned(SPDK_CACHE_LINE_SIZE)));
	uint64_t tsc_last;
	/* The poll clock (updk__thread_clock()): while spdk_thread_poll() runs,
	 * the tick at which the running message batch or poller began; 0
	 * otherwise. */
	uint64_t poll_tsc;
	uint64_t exit_deadline;
	struct spdk_thread_stats stats;
	struct poller_list active_pollers;
	struct poller_list timed_pollers;
	struct poller_list paused_pollers;
	struct spdk_poller *current_poller;
	struct post_poller_handler post_handlers[MAX_POST_POLLER_HANDLERS];
	uint32_t num_post_handlers;
	uint64_t next_poller_id;
	/* spdk_for_each_thread/channel calls started here and not finished. */
	uint32_t for_each_count;
	/* Devices unregistered from here whose callback has not run yet. */
	uint32_t pending_unregister_count;
	/* Spinlocks held by code running on this thread. */
	uint32_t locks_held;
	bool bound;
	/* spdk_thread_destroy() ran on the app thread; lib_fini frees it. */
	bool destroyed;

	/* Guarded by g_devlist_mutex. */
	TAILQ_HEAD(, spdk_io_channel) io_channels;
	TAILQ_ENTRY(spdk_thread) tailq;

	pthread_mutex_t overflow_mutex;
	STAILQ_HEAD(, msg_chunk) overflow;
	/* Messages moved from the overflow list in one go, run before the ring;
	 * touched only by the polling OS thread, but their count may be read by
	 * any thread (atomically). */
	STAILQ_HEAD(, msg_chunk) overflow_taken;
	uint64_t overflow_taken_count;

	uint64_t id;
	struct spdk_cpuset cpumask;
	char name[THREAD_NAME_LEN];
	/* Scheduler context (ctx_sz bytes). */
	uint8_t ctx[] __attribute__((aligned(SPDK_CACHE_LINE_SIZE)));
};

struct spdk_io_channel_iter {
	void *io_device;
	struct io_device *dev;
	spdk_channel_msg fn;
	void *ctx;
	spdk_channel_for_each_cpl cpl;
	int status;
	struct spdk_thread *orig_thread;
	/* Id of the thread being visited. */
	uint64_t cur_thread_id;
	struct spdk_thread *cur_thread;
	struct spdk_io_channel *ch;
};

struct for_each_thread_ctx {
	spdk_msg_fn fn;
	void *ctx;
	spdk_msg_fn cpl;
	struct spdk_thread *orig_thread;
	uint64_t cur_thread_id;
};

static pthread_mutex_t g_devlist_mutex = PTHREAD_MUTEX_INITIALIZER;
static TAILQ_HEAD(, spdk_thread) g_threads = TAILQ_HEAD_INITIALIZER(g_threads);
static TAILQ_HEAD(, io_device) g_io_devices = TAILQ_HEAD_INITIALIZER(g_io_devices);
static uint32_t g_thread_count;
static uint64_t g_next_thread_id = 1;
static struct spdk_thread *g_app_thread;
static bool g_thread_lib_initialized;
static spdk_new_thread_fn g_new_thread_fn;
static spdk_thread_op_fn g_thread_op_fn;
static spdk_thread_op_supported_fn g_thread_op_supported_fn;
static size_t g_ctx_sz;
static uint64_t g_exit_timeout_us = UPDK_THREAD_EXIT_TIMEOUT_US;
static uint64_t g_owner_violations;

bool updk_g_channel_owner_check;

/* initial-exec: one %fs-relative load even inside the shared library, where the
 * default model would call __tls_get_addr on every access. */
static __thread struct spdk_thread *tls_thread __attribute__((tls_model("initial-exec")));

static void thread_release_channel(struct spdk_io_channel *ch);

static uint64_t
us_to_ticks(uint64_t us)
{
	uint64_t hz = spdk_get_ticks_hz();

	return hz * (us / SPDK_SEC_TO_USEC) + hz * (us % SPDK_SEC_TO_USEC) / SPDK_SEC_TO_USEC;
}

static const char *
thread_name_or_none(const struct spdk_thread *thread)
{
	return thread != NULL ? thread->name : "(none: not an SPDK thread)";
}

static uint64_t
thread_id_or_zero(const struct spdk_thread *thread)
{
	return thread != NULL ? thread->id : 0;
}

/* ---------------------------------------------------------------------- */
/* Library lifecycle                                                       */
/* ---------------------------------------------------------------------- */

static int
thread_lib_init(spdk_new_thread_fn new_thread_fn, spdk_thread_op_fn op_fn,
		spdk_thread_op_supported_fn supported_fn, size_t ctx_sz)
{
	const char *check;

	if (g_thread_lib_initialized) {
		SPDK_ERRLOG("the thread library is already initialised\n");
		return -EALREADY;
	}

	g_new_thread_fn = new_thread_fn;
	g_thread_op_fn = op_fn;
	g_thread_op_supported_fn = supported_fn;
	g_ctx_sz = ctx_sz;
	g_next_thread_id = 1;

	check = getenv("UPDK_CHANNEL_OWNER_CHECK");
	if (check != NULL && strcmp(check, "1") == 0) {
		updk_io_channel_set_owner_check(true);
	}

	if (new_thread_fn == NULL && op_fn == NULL) {
		SPDK_INFOLOG(thread, "no thread scheduler given: the caller polls its threads\n");
	}

	g_thread_lib_initialized = true;
	return 0;
}

int
spdk_thread_lib_init(spdk_new_thread_fn new_thread_fn, size_t ctx_sz)
{
	return thread_lib_init(new_thread_fn, NULL, NULL, ctx_sz);
}

int
spdk_thread_lib_init_ext(spdk_thread_op_fn thread_op_fn,
			 spdk_thread_op_supported_fn thread_op_supported_fn, size_t ctx_sz,
			 size_t msg_mempool_size)
{
	if ((thread_op_fn == NULL) != (thread_op_supported_fn == NULL)) {
		SPDK_ERRLOG("spdk_thread_lib_init_ext: thread_op_fn and thread_op_supported_fn "
			    "must be given together\n");
		return -EINVAL;
	}

	return thread_lib_init(NULL, thread_op_fn, thread_op_supported_fn, ctx_sz);
}

static void thread_free(struct spdk_thread *thread);

void
spdk_thread_lib_fini(void)
{
	struct io_device *dev, *tmp_dev;
	struct spdk_thread *thread, *tmp;

	pthread_mutex_lock(&g_devlist_mutex);
	TAILQ_FOREACH_SAFE (dev, &g_io_devices, tailq, tmp_dev) {
		SPDK_ERRLOG("io_device %s (%p) was never unregistered (%u channels alive)\n",
			    dev->name, dev->io_device, dev->refcnt);
		if (dev->refcnt == 0) {
			TAILQ_REMOVE(&g_io_devices, dev, tailq);
			free(dev);
		}
	}
	TAILQ_FOREACH_SAFE (thread, &g_threads, tailq, tmp) {
		if (thread == g_app_thread) {
			continue;
		}
		SPDK_ERRLOG("thread %s (id %" PRIu64 ") still exists at spdk_thread_lib_fini\n",
			    thread->name, thread->id);
	}
	pthread_mutex_unlock(&g_devlist_mutex);

	if (g_app_thread != NULL) {
		if (!g_app_thread->destroyed) {
			SPDK_ERRLOG("app thread %s was not destroyed before spdk_thread_lib_fini\n",
				    g_app_thread->name);
		}
		if (tls_thread == g_app_thread) {
			tls_thread = NULL;
		}
		thread_free(g_app_thread);
		g_app_thread = NULL;
	}

	g_new_thread_fn = NULL;
	g_thread_op_fn = NULL;
	g_thread_op_supported_fn = NULL;
	g_ctx_sz = 0;
	g_thread_lib_initialized = false;
}

/* ---------------------------------------------------------------------- */
/* Message ring                                                            */
/* ---------------------------------------------------------------------- */

static inline void
thread_maybe_wakeup(struct spdk_thread *thread)
{
	updk_thread_wakeup_fn fn = __atomic_load_n(&thread->wakeup_fn, __ATOMIC_ACQUIRE);

	if (fn == NULL) {
		return;
	}
	/* Dekker-style handshake with a reactor going to sleep, all four accesses
	 * sequentially consistent: the sender claims its slot (the CAS on
	 * msg_tail, or the add to overflow_count) and then reads `sleeping`; the
	 * reactor stores `sleeping` and then reads msg_tail and overflow_count
	 * (updk__thread_has_msgs). At least one of the two sees the other.
	 *
	 * Callers do this after claiming their slot but before publishing the
	 * message: once it is published the thread may run it, exit and be freed,
	 * so the sender must not touch the thread afterwards. A claimed slot
	 * already counts as a queued message, which keeps the thread from
	 * exiting and its reactor from sleeping until the message is there. */
	if (__atomic_load_n(thread->wakeup_sleeping, __ATOMIC_SEQ_CST) != 0) {
		fn(thread, thread->wakeup_arg);
	}
}

static inline bool
msg_ring_push(struct spdk_thread *thread, spdk_msg_fn fn, void *ctx)
{
	struct msg_cell *cell;
	uint64_t pos, lap, turn, now_tail;

	pos = __atomic_load_n(&thread->msg_tail, __ATOMIC_RELAXED);
	for (;;) {
		cell = &thread->msg_ring[pos & (MSG_RING_SIZE - 1)];
		lap = pos >> MSG_RING_ORDER;
		turn = __atomic_load_n(&cell->turn, __ATOMIC_ACQUIRE);
		if (spdk_likely(turn == 2 * lap)) {
			/* Sequentially consistent: this store is what a reactor going to
			 * sleep looks for (see thread_maybe_wakeup). On x86 it costs
			 * nothing more than a relaxed CAS. */
			if (__atomic_compare_exchange_n(&thread->msg_tail, &pos, pos + 1, false,
							__ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
				thread_maybe_wakeup(thread);
				cell->fn = fn;
				cell->ctx = ctx;
				__atomic_store_n(&cell->turn, 2 * lap + 1, __ATOMIC_RELEASE);
				return true;
			}
			/* Another producer took this position; pos now holds the new tail. */
		} else if ((int64_t)(turn - 2 * lap) < 0) {
			/* Still holds a message of the previous lap. */
			now_tail = __atomic_load_n(&thread->msg_tail, __ATOMIC_RELAXED);
			if (now_tail == pos) {
				return false;
			}
			pos = now_tail;
		} else {
			pos = __atomic_load_n(&thread->msg_tail, __ATOMIC_RELAXED);
		}
	}
}

static inline bool
msg_ring_pop(struct spdk_thread *thread, spdk_msg_fn *fn, void **ctx)
{
	uint64_t pos = thread->msg_head;
	struct msg_cell *cell = &thread->msg_ring[pos & (MSG_RING_SIZE - 1)];
	uint64_t lap = pos >> MSG_RING_ORDER;

	if (__atomic_load_n(&cell->turn, __ATOMIC_ACQUIRE) != 2 * lap + 1) {
		return false;
	}
	*fn = cell->fn;
	*ctx = cell->ctx;
	__atomic_store_n(&cell->turn, 2 * lap + 2, __ATOMIC_RELEASE);
	thread->msg_head = pos + 1;
	return true;
}

static bool
msg_ring_empty(struct spdk_thread *thread)
{
	uint64_t pos = thread->msg_head;
	struct msg_cell *cell = &thread->msg_ring[pos & (MSG_RING_SIZE - 1)];

	return __atomic_load_n(&cell->turn, __ATOMIC_ACQUIRE) != 2 * (pos >> MSG_RING_ORDER) + 1 &&
	       __atomic_load_n(&thread->msg_tail, __ATOMIC_SEQ_CST) == pos;
}

/*
 * The ring is full. A producer faster than its consumer would otherwise send
 * nearly everything through the overflow list, which costs an allocation, a
 * lock and a free on another core per message: waiting a moment for the
 * consumer (backpressure) is much cheaper. It waits for a whole chunk of free
 * cells, so that the two sides do not then work on the same cache lines, and
 * gives up after MSG_RING_WAIT_US (the consumer may not be polled at all).
 * Never called by the consumer itself.
 */
static bool
msg_ring_wait_room(struct spdk_thread *thread)
{
	uint64_t pos, deadline = 0;
	struct msg_cell *cell;
	uint32_t spins = 0;

	for (;;) {
		pos = __atomic_load_n(&thread->msg_tail, __ATOMIC_RELAXED) + MSG_RING_ROOM - 1;
		cell = &thread->msg_ring[pos & (MSG_RING_SIZE - 1)];
		if ((int64_t)(__atomic_load_n(&cell->turn, __ATOMIC_ACQUIRE) -
			      2 * (pos >> MSG_RING_ORDER)) >= 0) {
			return true;
		}
		if (++spins % 64 == 0) {
			if (deadline == 0) {
				deadline = spdk_get_ticks() + us_to_ticks(MSG_RING_WAIT_US);
			} else if (spdk_get_ticks() > deadline) {
				return false;
			}
		}
		spdk_pause();
	}
}

static int
msg_overflow_push(struct spdk_thread *thread, spdk_msg_fn fn, void *ctx)
{
	struct msg_chunk *chunk;

	pthread_mutex_lock(&thread->overflow_mutex);
	chunk = STAILQ_LAST(&thread->overflow, msg_chunk, link);
	if (chunk == NULL || chunk->count == MSG_CHUNK_MSGS) {
		chunk = malloc(sizeof(*chunk));
		if (chunk == NULL) {
			pthread_mutex_unlock(&thread->overflow_mutex);
			SPDK_ERRLOG("thread %s: message ring full and no memory for the overflow "
				    "list\n",
				    thread->name);
			return -ENOMEM;
		}
		chunk->count = 0;
		chunk->first = 0;
		STAILQ_INSERT_TAIL(&thread->overflow, chunk, link);
	}
	chunk->msgs[chunk->count].fn = fn;
	chunk->msgs[chunk->count].ctx = ctx;
	chunk->count++;
	__atomic_add_fetch(&thread->overflow_count, 1, __ATOMIC_SEQ_CST);
	/* Under the mutex, so that the consumer cannot take the message, exit and
	 * free the thread before the wakeup check is done. */
	thread_maybe_wakeup(thread);
	pthread_mutex_unlock(&thread->overflow_mutex);
	return 0;
}

/* Move the whole overflow list to the consumer's private list under one lock,
 * and let senders use the ring again at once: everything they send from now
 * on is newer than what was taken, which runs first. Call only with the ring
 * empty. */
static bool
msg_overflow_take(struct spdk_thread *thread)
{
	uint64_t n;

	pthread_mutex_lock(&thread->overflow_mutex);
	/* Changed only under the mutex: the length of the list. */
	n = thread->overflow_count;
	STAILQ_CONCAT(&thread->overflow_taken, &thread->overflow);
	__atomic_store_n(&thread->overflow_count, 0, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&thread->overflow_mutex);

	__atomic_store_n(&thread->overflow_taken_count, thread->overflow_taken_count + n,
			 __ATOMIC_RELAXED);
	return n > 0;
}

static bool
msg_taken_pop(struct spdk_thread *thread, spdk_msg_fn *fn, void **ctx)
{
	struct msg_chunk *chunk = STAILQ_FIRST(&thread->overflow_taken);

	if (chunk == NULL) {
		return false;
	}
	*fn = chunk->msgs[chunk->first].fn;
	*ctx = chunk->msgs[chunk->first].ctx;
	if (++chunk->first == chunk->count) {
		STAILQ_REMOVE_HEAD(&thread->overflow_taken, link);
		free(chunk);
	}
	__atomic_store_n(&thread->overflow_taken_count, thread->overflow_taken_count - 1,
			 __ATOMIC_RELAXED);
	return true;
}

/* Take the next message: first those taken from the overflow list, then the
 * ring, and the overflow list again only once the ring is empty. A cell that
 * a producer claimed but has not filled yet keeps the ring non-empty:
 * messages of other senders behind that cell were sent before any of theirs
 * that overflowed, so the list must wait. */
static inline bool
thread_msg_pop(struct spdk_thread *thread, spdk_msg_fn *fn, void **ctx)
{
	if (spdk_unlikely(!STAILQ_EMPTY(&thread->overflow_taken))) {
		return msg_taken_pop(thread, fn, ctx);
	}
	if (spdk_likely(msg_ring_pop(thread, fn, ctx))) {
		return true;
	}
	if (spdk_likely(__atomic_load_n(&thread->overflow_count, __ATOMIC_ACQUIRE) == 0)) {
		return false;
	}
	return msg_ring_empty(thread) && msg_overflow_take(thread) &&
	       msg_taken_pop(thread, fn, ctx);
}

static bool
thread_has_msgs(struct spdk_thread *thread)
{
	return !msg_ring_empty(thread) ||
	       __atomic_load_n(&thread->overflow_count, __ATOMIC_SEQ_CST) != 0 ||
	       __atomic_load_n(&thread->overflow_taken_count, __ATOMIC_RELAXED) != 0 ||
	       __atomic_load_n(&thread->critical_msg, __ATOMIC_SEQ_CST) != NULL;
}

bool
updk__thread_has_msgs(struct spdk_thread *thread)
{
	return thread_has_msgs(thread);
}

void
updk__thread_set_wakeup(struct spdk_thread *thread, updk_thread_wakeup_fn fn, void *arg,
			const int *sleeping)
{
	thread->wakeup_arg = arg;
	thread->wakeup_sleeping = sleeping;
	__atomic_store_n(&thread->wakeup_fn, fn, __ATOMIC_RELEASE);
}

int
spdk_thread_send_msg(const struct spdk_thread *cthread, spdk_msg_fn fn, void *ctx)
{
	/* The API takes a const thread but queues into it. */
	struct spdk_thread *thread = (struct spdk_thread *)(uintptr_t)cthread;

	if (spdk_unlikely(thread == NULL || fn == NULL)) {
		SPDK_ERRLOG("spdk_thread_send_msg: %s is NULL (sent from thread %s)\n",
			    thread == NULL ? "thread" : "fn", thread_name_or_none(tls_thread));
		return -EINVAL;
	}

	if (spdk_unlikely(__atomic_load_n(&thread->state, __ATOMIC_RELAXED) ==
			  THREAD_STATE_EXITED)) {
		SPDK_ERRLOG("spdk_thread_send_msg: thread %s (id %" PRIu64 ") has exited; "
			    "message %p(%p) from thread %s refused\n",
			    thread->name, thread->id, (void *)fn, ctx,
			    thread_name_or_none(tls_thread));
		return -EIO;
	}

	if (spdk_likely(__atomic_load_n(&thread->overflow_count, __ATOMIC_ACQUIRE) == 0)) {
		if (spdk_likely(msg_ring_push(thread, fn, ctx)) ||
		    (thread != tls_thread && msg_ring_wait_room(thread) &&
		     msg_ring_push(thread, fn, ctx))) {
			return 0;
		}
	}

	return msg_overflow_push(thread, fn, ctx);
}

int
spdk_thread_send_critical_msg(struct spdk_thread *thread, spdk_msg_fn fn)
{
	spdk_msg_fn expected = NULL;

	if (thread == NULL || fn == NULL) {
		return -EINVAL;
	}
	if (!__atomic_compare_exchange_n(&thread->critical_msg, &expected, fn, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_RELAXED)) {
		/* Not logged: this is called from signal handlers. */
		return -EIO;
	}
	thread_maybe_wakeup(thread);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Thread objects                                                          */
/* ---------------------------------------------------------------------- */

static void
poller_free(struct spdk_poller *poller)
{
	free(poller);
}

static void
thread_free(struct spdk_thread *thread)
{
	struct spdk_poller *poller, *tmp;
	struct msg_chunk *chunk;

	TAILQ_FOREACH_SAFE (poller, &thread->active_pollers, tailq, tmp) {
		TAILQ_REMOVE(&thread->active_pollers, poller, tailq);
		poller_free(poller);
	}
	TAILQ_FOREACH_SAFE (poller, &thread->timed_pollers, tailq, tmp) {
		TAILQ_REMOVE(&thread->timed_pollers, poller, tailq);
		poller_free(poller);
	}
	TAILQ_FOREACH_SAFE (poller, &thread->paused_pollers, tailq, tmp) {
		TAILQ_REMOVE(&thread->paused_pollers, poller, tailq);
		poller_free(poller);
	}
	STAILQ_CONCAT(&thread->overflow_taken, &thread->overflow);
	while ((chunk = STAILQ_FIRST(&thread->overflow_taken)) != NULL) {
		STAILQ_REMOVE_HEAD(&thread->overflow_taken, link);
		free(chunk);
	}

	pthread_mutex_lock(&g_devlist_mutex);
	if (thread->tailq.tqe_prev != NULL) {
		TAILQ_REMOVE(&g_threads, thread, tailq);
		thread->tailq.tqe_prev = NULL;
		g_thread_count--;
	}
	pthread_mutex_unlock(&g_devlist_mutex);

	pthread_mutex_destroy(&thread->overflow_mutex);
	munmap(thread->msg_ring, MSG_RING_SIZE * sizeof(struct msg_cell));
	free(thread);
}

struct spdk_thread *
spdk_thread_create(const char *name, const struct spdk_cpuset *cpumask)
{
	struct spdk_thread *thread;
	size_t size;
	int rc;

	if (!g_thread_lib_initialized) {
		SPDK_ERRLOG("spdk_thread_create(%s): call spdk_thread_lib_init() first\n",
			    name != NULL ? name : "(unnamed)");
		return NULL;
	}

	size = SPDK_ALIGN_CEIL(sizeof(*thread) + g_ctx_sz, SPDK_CACHE_LINE_SIZE);
	thread = aligned_alloc(SPDK_CACHE_LINE_SIZE, size);
	if (thread == NULL) {
		SPDK_ERRLOG("spdk_thread_create(%s): out of memory\n", name ? name : "(unnamed)");
		return NULL;
	}
	memset(thread, 0, size);

	thread->msg_ring = mmap(NULL, MSG_RING_SIZE * sizeof(struct msg_cell),
				PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (thread->msg_ring == MAP_FAILED) {
		SPDK_ERRLOG("spdk_thread_create(%s): cannot map the message ring: %s\n",
			    name ? name : "(unnamed)", spdk_strerror(errno));
		free(thread);
		return NULL;
	}

	TAILQ_INIT(&thread->active_pollers);
	TAILQ_INIT(&thread->timed_pollers);
	TAILQ_INIT(&thread->paused_pollers);
	TAILQ_INIT(&thread->io_channels);
	STAILQ_INIT(&thread->overflow);
	STAILQ_INIT(&thread->overflow_taken);
	pthread_mutex_init(&thread->overflow_mutex, NULL);
	thread->state = THREAD_STATE_RUNNING;
	thread->next_poller_id = 1;
	thread->tsc_last = spdk_get_ticks();

	if (cpumask != NULL) {
		spdk_cpuset_copy(&thread->cpumask, cpumask);
	} else {
		spdk_cpuset_zero(&thread->cpumask);
		spdk_cpuset_negate(&thread->cpumask);
	}

	pthread_mutex_lock(&g_devlist_mutex);
	thread->id = g_next_thread_id++;
	if (name != NULL) {
		updk_strlcpy(thread->name, name, sizeof(thread->name));
	} else {
		snprintf(thread->name, sizeof(thread->name), "%p", (void *)thread);
	}
	TAILQ_INSERT_TAIL(&g_threads, thread, tailq);
	g_thread_count++;
	if (g_app_thread == NULL) {
		g_app_thread = thread;
	}
	pthread_mutex_unlock(&g_devlist_mutex);

	rc = 0;
	if (g_new_thread_fn != NULL) {
		rc = g_new_thread_fn(thread);
	} else if (g_thread_op_fn != NULL && g_thread_op_supported_fn(SPDK_THREAD_OP_NEW)) {
		rc = g_thread_op_fn(thread, SPDK_THREAD_OP_NEW);
	}
	if (rc != 0) {
		SPDK_ERRLOG("spdk_thread_create(%s): the scheduler refused the thread: %s\n",
			    thread->name, spdk_strerror(rc < 0 ? -rc : rc));
		pthread_mutex_lock(&g_devlist_mutex);
		if (g_app_thread == thread) {
			g_app_thread = NULL;
		}
		pthread_mutex_unlock(&g_devlist_mutex);
		thread_free(thread);
		return NULL;
	}

	SPDK_INFOLOG(thread, "created thread %s (id %" PRIu64 ")\n", thread->name, thread->id);
	return thread;
}

struct spdk_thread *
spdk_thread_get_app_thread(void)
{
	return g_app_thread;
}

bool
spdk_thread_is_app_thread(struct spdk_thread *thread)
{
	if (thread == NULL) {
		thread = tls_thread;
	}
	return thread != NULL && thread == g_app_thread;
}

void
spdk_set_thread(struct spdk_thread *thread)
{
	tls_thread = thread;
}

void
spdk_thread_bind(struct spdk_thread *thread, bool bind)
{
	thread->bound = bind;
}

bool
spdk_thread_is_bound(struct spdk_thread *thread)
{
	return thread->bound;
}

int
spdk_thread_exit(struct spdk_thread *thread)
{
	if (thread == NULL) {
		SPDK_ERRLOG("spdk_thread_exit: thread is NULL\n");
		return -EINVAL;
	}
	if (tls_thread != thread) {
		SPDK_ERRLOG("spdk_thread_exit(%s) called from thread %s: a thread may only exit "
			    "itself; refused\n",
			    thread->name, thread_name_or_none(tls_thread));
		return -EINVAL;
	}
	if (thread->state != THREAD_STATE_RUNNING) {
		SPDK_INFOLOG(thread, "thread %s is already %s\n", thread->name,
			     thread->state == THREAD_STATE_EXITING ? "exiting" : "exited");
		return 0;
	}

	thread->exit_deadline = thread->tsc_last + us_to_ticks(g_exit_timeout_us);
	__atomic_store_n(&thread->state, THREAD_STATE_EXITING, __ATOMIC_RELAXED);
	return 0;
}

bool
spdk_thread_is_exited(struct spdk_thread *thread)
{
	return __atomic_load_n(&thread->state, __ATOMIC_RELAXED) == THREAD_STATE_EXITED;
}

bool
spdk_thread_is_running(struct spdk_thread *thread)
{
	return __atomic_load_n(&thread->state, __ATOMIC_RELAXED) == THREAD_STATE_RUNNING;
}

/* Release what a thread still holds when it is destroyed: nothing can run on it
 * any more, so its channels are torn down here rather than leaked (they would
 * keep their devices from ever being freed). Each one is reported. */
static void
thread_release_leftovers(struct spdk_thread *thread)
{
	struct spdk_io_channel *ch;
	struct spdk_thread *orig = tls_thread;
	spdk_msg_fn fn;
	void *ctx;
	uint32_t dropped = 0;

	tls_thread = thread;
	while (thread_msg_pop(thread, &fn, &ctx)) {
		dropped++;
	}
	if (dropped > 0) {
		SPDK_ERRLOG("thread %s destroyed with %u message(s) never run\n", thread->name,
			    dropped);
	}

	while ((ch = TAILQ_FIRST(&thread->io_channels)) != NULL) {
		SPDK_ERRLOG("thread %s destroyed while holding a channel for io_device %s "
			    "(%u reference(s)); releasing it\n",
			    thread->name, ch->dev->name, ch->ref);
		ch->ref = 0;
		thread_release_channel(ch);
	}
	tls_thread = orig;
}

void
spdk_thread_destroy(struct spdk_thread *thread)
{
	struct spdk_poller *poller;

	if (thread == NULL) {
		return;
	}
	if (thread->state != THREAD_STATE_EXITED) {
		SPDK_ERRLOG(
			"spdk_thread_destroy(%s): the thread has not exited (call "
			"spdk_thread_exit() and poll it until spdk_thread_is_exited()); refused\n",
			thread->name);
		return;
	}
	if (thread->destroyed) {
		SPDK_ERRLOG("spdk_thread_destroy(%s): already destroyed\n", thread->name);
		return;
	}

	TAILQ_FOREACH (poller, &thread->active_pollers, tailq) {
		if (poller->state != POLLER_STATE_UNREGISTERED) {
			SPDK_WARNLOG("thread %s destroyed with active poller %s still registered\n",
				     thread->name, poller->name);
		}
	}
	TAILQ_FOREACH (poller, &thread->timed_pollers, tailq) {
		SPDK_WARNLOG("thread %s destroyed with timed poller %s still registered\n",
			     thread->name, poller->name);
	}
	TAILQ_FOREACH (poller, &thread->paused_pollers, tailq) {
		SPDK_WARNLOG("thread %s destroyed with paused poller %s still registered\n",
			     thread->name, poller->name);
	}
	thread_release_leftovers(thread);

	if (tls_thread == thread) {
		tls_thread = NULL;
	}

	if (thread == g_app_thread) {
		/* Freed by spdk_thread_lib_fini(); other code may still ask for it. */
		thread->destroyed = true;
		return;
	}
	thread_free(thread);
}

void *
spdk_thread_get_ctx(struct spdk_thread *thread)
{
	if (g_ctx_sz == 0) {
		return NULL;
	}
	return thread->ctx;
}

struct spdk_thread *
spdk_thread_get_from_ctx(void *ctx)
{
	if (ctx == NULL) {
		return NULL;
	}
	return SPDK_CONTAINEROF(ctx, struct spdk_thread, ctx);
}

struct spdk_cpuset *
spdk_thread_get_cpumask(struct spdk_thread *thread)
{
	return &thread->cpumask;
}

int
spdk_thread_set_cpumask(struct spdk_cpuset *cpumask)
{
	struct spdk_thread *thread = tls_thread;

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_thread_set_cpumask: no SPDK thread is current\n");
		return -EINVAL;
	}
	if (cpumask == NULL) {
		SPDK_ERRLOG("spdk_thread_set_cpumask(%s): cpumask is NULL\n", thread->name);
		return -EINVAL;
	}
	if (g_thread_op_supported_fn == NULL || !g_thread_op_supported_fn(SPDK_THREAD_OP_RESCHED)) {
		SPDK_ERRLOG("spdk_thread_set_cpumask(%s): the scheduler cannot move threads\n",
			    thread->name);
		return -ENOTSUP;
	}
	spdk_cpuset_copy(&thread->cpumask, cpumask);
	return g_thread_op_fn(thread, SPDK_THREAD_OP_RESCHED);
}

uint32_t
spdk_thread_get_count(void)
{
	uint32_t count;

	pthread_mutex_lock(&g_devlist_mutex);
	count = g_thread_count;
	pthread_mutex_unlock(&g_devlist_mutex);
	return count;
}

struct spdk_thread *
spdk_get_thread(void)
{
	return tls_thread;
}

const char *
spdk_thread_get_name(const struct spdk_thread *thread)
{
	return thread->name;
}

uint64_t
spdk_thread_get_id(const struct spdk_thread *thread)
{
	return thread->id;
}

struct spdk_thread *
spdk_thread_get_by_id(uint64_t id)
{
	struct spdk_thread *thread;

	if (id == 0) {
		SPDK_ERRLOG("spdk_thread_get_by_id: id 0 is never used\n");
		return NULL;
	}
	pthread_mutex_lock(&g_devlist_mutex);
	if (id >= g_next_thread_id) {
		pthread_mutex_unlock(&g_devlist_mutex);
		SPDK_ERRLOG("spdk_thread_get_by_id: no thread was ever given id %" PRIu64 "\n", id);
		return NULL;
	}
	TAILQ_FOREACH (thread, &g_threads, tailq) {
		if (thread->id == id) {
			break;
		}
	}
	pthread_mutex_unlock(&g_devlist_mutex);
	return thread;
}

int
spdk_thread_get_stats(struct spdk_thread_stats *stats)
{
	if (tls_thread == NULL) {
		SPDK_ERRLOG("spdk_thread_get_stats: no SPDK thread is current\n");
		return -EINVAL;
	}
	if (stats == NULL) {
		return -EINVAL;
	}
	*stats = tls_thread->stats;
	return 0;
}

uint64_t
spdk_thread_get_last_tsc(struct spdk_thread *thread)
{
	if (thread == NULL) {
		thread = tls_thread;
	}
	return thread != NULL ? thread->tsc_last : 0;
}

const uint64_t *
updk__thread_clock(struct spdk_thread *thread)
{
	return &thread->poll_tsc;
}

uint16_t
spdk_thread_get_trace_id(struct spdk_thread *thread)
{
	return (uint16_t)(thread != NULL ? thread->id : 0);
}

/* ---------------------------------------------------------------------- */
/* Polling                                                                 */
/* ---------------------------------------------------------------------- */

static inline void
thread_check_locks(struct spdk_thread *thread, const char *what, const char *name)
{
	if (spdk_unlikely(thread->locks_held != 0)) {
		SPDK_ERRLOG("thread %s: %s %s returned while holding %u spinlock(s)\n",
			    thread->name, what, name, thread->locks_held);
	}
}

static void
timed_poller_insert(struct spdk_thread *thread, struct spdk_poller *poller)
{
	struct spdk_poller *iter;

	/* Most insertions land near the end: scan backwards. Equal deadlines keep
	 * their registration order. */
	TAILQ_FOREACH_REVERSE(iter, &thread->timed_pollers, poller_list, tailq)
	{
		if (iter->next_run_tick <= poller->next_run_tick) {
			TAILQ_INSERT_AFTER(&thread->timed_pollers, iter, poller, tailq);
			return;
		}
	}
	TAILQ_INSERT_HEAD(&thread->timed_pollers, poller, tailq);
}

static inline int
thread_run_poller(struct spdk_thread *thread, struct spdk_poller *poller)
{
	uint32_t i, n;
	int rc;

	poller->state = POLLER_STATE_RUNNING;
	thread->current_poller = poller;
	rc = poller->fn(poller->arg);
	poller->run_count++;
	if (rc > 0) {
		poller->busy_count++;
		/* Work took time: the next poller's completions are stamped later. */
		thread->poll_tsc = spdk_get_ticks();
	}

	/* The poller stays current while its post-poller handlers run: they may
	 * pause, resume or unregister it, and only the poll loop, which holds
	 * it off its list, may act on that. Registering a handler from a
	 * handler is refused by filling the table meanwhile. */
	if (spdk_unlikely(thread->num_post_handlers != 0)) {
		n = thread->num_post_handlers;
		thread->num_post_handlers = MAX_POST_POLLER_HANDLERS;
		for (i = 0; i < n; i++) {
			thread->post_handlers[i].fn(thread->post_handlers[i].arg);
		}
		thread->num_post_handlers = 0;
	}
	thread->current_poller = NULL;
	thread_check_locks(thread, "poller", poller->name);
	return rc;
}

static int
thread_poll(struct spdk_thread *thread, uint32_t max_msgs, uint64_t now)
{
	struct spdk_poller *poller, *tmp;
	spdk_msg_fn critical, fn;
	void *ctx;
	uint32_t i;
	int rc = 0, prc;

	/* A plain load first: a locked exchange on every poll costs more than
	 * the rest of an idle poll. */
	if (spdk_unlikely(__atomic_load_n(&thread->critical_msg, __ATOMIC_RELAXED) != NULL)) {
		critical = __atomic_exchange_n(&thread->critical_msg, NULL, __ATOMIC_ACQUIRE);
		if (critical != NULL) {
			critical(NULL);
			rc = 1;
		}
	}

	if (max_msgs == 0 || max_msgs > MSG_BATCH_SIZE) {
		max_msgs = MSG_BATCH_SIZE;
	}
	for (i = 0; i < max_msgs; i++) {
		if (!thread_msg_pop(thread, &fn, &ctx)) {
			break;
		}
		fn(ctx);
		if (spdk_unlikely(thread->locks_held != 0)) {
			thread_check_locks(thread, "message", "handler");
		}
	}
	if (i > 0) {
		rc = 1;
		thread->poll_tsc = spdk_get_ticks();
	}

	TAILQ_FOREACH_SAFE (poller, &thread->active_pollers, tailq, tmp) {
		if (spdk_unlikely(poller->state == POLLER_STATE_UNREGISTERED)) {
			TAILQ_REMOVE(&thread->active_pollers, poller, tailq);
			poller_free(poller);
			continue;
		}
		if (spdk_unlikely(poller->state == POLLER_STATE_PAUSING)) {
			TAILQ_REMOVE(&thread->active_pollers, poller, tailq);
			TAILQ_INSERT_TAIL(&thread->paused_pollers, poller, tailq);
			poller->state = POLLER_STATE_PAUSED;
			continue;
		}

		prc = thread_run_poller(thread, poller);
		if (prc > rc) {
			rc = prc;
		}

		if (spdk_unlikely(poller->state != POLLER_STATE_RUNNING)) {
			if (poller->state == POLLER_STATE_UNREGISTERED) {
				/* The next element may have been freed by nobody but us: safe. */
				TAILQ_REMOVE(&thread->active_pollers, poller, tailq);
				poller_free(poller);
			} else if (poller->state == POLLER_STATE_PAUSING) {
				TAILQ_REMOVE(&thread->active_pollers, poller, tailq);
				TAILQ_INSERT_TAIL(&thread->paused_pollers, poller, tailq);
				poller->state = POLLER_STATE_PAUSED;
			}
		} else {
			poller->state = POLLER_STATE_WAITING;
		}
	}

	while ((poller = TAILQ_FIRST(&thread->timed_pollers)) != NULL &&
	       poller->next_run_tick <= now) {
		TAILQ_REMOVE(&thread->timed_pollers, poller, tailq);

		prc = thread_run_poller(thread, poller);
		if (prc > rc) {
			rc = prc;
		}

		switch (poller->state) {
		case POLLER_STATE_UNREGISTERED:
			poller_free(poller);
			break;
		case POLLER_STATE_PAUSING:
			TAILQ_INSERT_TAIL(&thread->paused_pollers, poller, tailq);
			poller->state = POLLER_STATE_PAUSED;
			break;
		case POLLER_STATE_RUNNING:
			poller->state = POLLER_STATE_WAITING;
			poller->next_run_tick = now + poller->period_ticks;
			timed_poller_insert(thread, poller);
			break;
		case POLLER_STATE_WAITING:
		case POLLER_STATE_PAUSED:
		default:
			/* A running poller can only be running, unregistered or pausing. */
			assert(false);
			break;
		}
	}

	return rc;
}

static uint32_t
thread_list_resources(struct spdk_thread *thread, enum spdk_log_level level)
{
	struct spdk_poller *poller;
	struct spdk_io_channel *ch;
	uint32_t count = 0;

#define THREAD_RESOURCE_LOG(...) spdk_log(level, __FILE__, __LINE__, __func__, __VA_ARGS__)

	if (thread_has_msgs(thread)) {
		THREAD_RESOURCE_LOG("thread %s still has queued messages\n", thread->name);
		count++;
	}
	if (thread->for_each_count > 0) {
		THREAD_RESOURCE_LOG("thread %s still has %u for_each operation(s) in flight\n",
				    thread->name, thread->for_each_count);
		count++;
	}
	TAILQ_FOREACH (poller, &thread->active_pollers, tailq) {
		if (poller->state != POLLER_STATE_UNREGISTERED) {
			THREAD_RESOURCE_LOG("thread %s still has active poller %s\n", thread->name,
					    poller->name);
			count++;
		}
	}
	TAILQ_FOREACH (poller, &thread->timed_pollers, tailq) {
		THREAD_RESOURCE_LOG("thread %s still has timed poller %s\n", thread->name,
				    poller->name);
		count++;
	}
	TAILQ_FOREACH (poller, &thread->paused_pollers, tailq) {
		THREAD_RESOURCE_LOG("thread %s still has paused poller %s\n", thread->name,
				    poller->name);
		count++;
	}
	pthread_mutex_lock(&g_devlist_mutex);
	TAILQ_FOREACH (ch, &thread->io_channels, tailq) {
		THREAD_RESOURCE_LOG("thread %s still has a channel for io_device %s "
				    "(%u reference(s))\n",
				    thread->name, ch->dev->name, ch->ref);
		count++;
	}
	pthread_mutex_unlock(&g_devlist_mutex);
	if (thread->pending_unregister_count > 0) {
		THREAD_RESOURCE_LOG("thread %s still waits for %u io_device unregistration(s)\n",
				    thread->name, thread->pending_unregister_count);
		count++;
	}
#undef THREAD_RESOURCE_LOG
	return count;
}

uint32_t
updk_thread_dump_resources(struct spdk_thread *thread)
{
	return thread_list_resources(thread, SPDK_LOG_NOTICE);
}

static bool
thread_holds_resources(struct spdk_thread *thread)
{
	struct spdk_poller *poller;

	if (thread_has_msgs(thread) || thread->for_each_count > 0 ||
	    thread->pending_unregister_count > 0 || !TAILQ_EMPTY(&thread->timed_pollers) ||
	    !TAILQ_EMPTY(&thread->paused_pollers)) {
		return true;
	}
	TAILQ_FOREACH (poller, &thread->active_pollers, tailq) {
		if (poller->state != POLLER_STATE_UNREGISTERED) {
			return true;
		}
	}
	/* Only this thread adds to its channel list, so an unlocked look is exact. */
	return !TAILQ_EMPTY(&thread->io_channels);
}

static void
thread_exit_check(struct spdk_thread *thread, uint64_t now)
{
	if (!thread_holds_resources(thread)) {
		__atomic_store_n(&thread->state, THREAD_STATE_EXITED, __ATOMIC_RELAXED);
		SPDK_INFOLOG(thread, "thread %s exited\n", thread->name);
		return;
	}

	if (now >= thread->exit_deadline) {
		SPDK_ERRLOG("thread %s (id %" PRIu64 ") did not release everything within %" PRIu64
			    " ms of spdk_thread_exit(); what it still holds follows, and it is "
			    "now forced to the exited state\n",
			    thread->name, thread->id, g_exit_timeout_us / 1000);
		thread_list_resources(thread, SPDK_LOG_ERROR);
		__atomic_store_n(&thread->state, THREAD_STATE_EXITED, __ATOMIC_RELAXED);
	}
}

int
spdk_thread_poll(struct spdk_thread *thread, uint32_t max_msgs, uint64_t now)
{
	struct spdk_thread *orig_thread;
	bool read_clock = (now == 0);
	uint64_t end, orig_poll_tsc;
	int rc;

	if (spdk_unlikely(thread == NULL)) {
		SPDK_ERRLOG("spdk_thread_poll: thread is NULL\n");
		return 0;
	}

	orig_thread = tls_thread;
	tls_thread = thread;

	if (read_clock) {
		now = spdk_get_ticks();
	}

	/* Saved for a poll of this thread from inside its own poll. */
	orig_poll_tsc = thread->poll_tsc;
	thread->poll_tsc = now;
	rc = thread_poll(thread, max_msgs, now);
	thread->poll_tsc = orig_poll_tsc;

	if (spdk_unlikely(thread->state == THREAD_STATE_EXITING)) {
		thread_exit_check(thread, now);
	}

	end = read_clock ? spdk_get_ticks() : now;
	/* A reactor may pass a time it read before this thread was created (by
	 * a message it polled since): account nothing rather than wrap around. */
	if (spdk_likely(end > thread->tsc_last)) {
		if (rc == 0) {
			thread->stats.idle_tsc += end - thread->tsc_last;
		} else {
			thread->stats.busy_tsc += end - thread->tsc_last;
		}
	}
	thread->tsc_last = end;

	tls_thread = orig_thread;
	return rc;
}

uint64_t
spdk_thread_next_poller_expiration(struct spdk_thread *thread)
{
	struct spdk_poller *poller = TAILQ_FIRST(&thread->timed_pollers);

	return poller != NULL ? poller->next_run_tick : 0;
}

int
spdk_thread_has_active_pollers(struct spdk_thread *thread)
{
	return !TAILQ_EMPTY(&thread->active_pollers);
}

bool
spdk_thread_has_pollers(struct spdk_thread *thread)
{
	return !TAILQ_EMPTY(&thread->active_pollers) || !TAILQ_EMPTY(&thread->timed_pollers) ||
	       !TAILQ_EMPTY(&thread->paused_pollers);
}

bool
spdk_thread_is_idle(struct spdk_thread *thread)
{
	return !thread_has_msgs(thread) && TAILQ_EMPTY(&thread->active_pollers) &&
	       TAILQ_EMPTY(&thread->timed_pollers);
}

/* ---------------------------------------------------------------------- */
/* Pollers                                                                 */
/* ---------------------------------------------------------------------- */

static bool
poller_check_owner(struct spdk_poller *poller, const char *func)
{
	struct spdk_thread *thread = tls_thread;

	if (spdk_likely(poller->thread == thread)) {
		return true;
	}
	SPDK_ERRLOG("%s(%s) called from wrong thread %s:%" PRIu64 " (should be %s:%" PRIu64
		    "); refused\n",
		    func, poller->name, thread_name_or_none(thread), thread_id_or_zero(thread),
		    poller->thread->name, poller->thread->id);
	return false;
}

struct spdk_poller *
spdk_poller_register_named(spdk_poller_fn fn, void *arg, uint64_t period_microseconds,
			   const char *name)
{
	struct spdk_thread *thread = tls_thread;
	struct spdk_poller *poller;

	if (fn == NULL) {
		SPDK_ERRLOG("spdk_poller_register(%s): fn is NULL\n", name ? name : "(unnamed)");
		return NULL;
	}
	if (thread == NULL) {
		SPDK_ERRLOG("spdk_poller_register(%s): no SPDK thread is current on this OS "
			    "thread\n",
			    name ? name : "(unnamed)");
		return NULL;
	}
	if (thread->state == THREAD_STATE_EXITED) {
		SPDK_ERRLOG("spdk_poller_register(%s): thread %s has exited\n",
			    name ? name : "(unnamed)", thread->name);
		return NULL;
	}

	poller = calloc(1, sizeof(*poller));
	if (poller == NULL) {
		SPDK_ERRLOG("spdk_poller_register(%s): out of memory on thread %s\n",
			    name ? name : "(unnamed)", thread->name);
		return NULL;
	}

	if (name != NULL) {
		updk_strlcpy(poller->name, name, sizeof(poller->name));
	} else {
		snprintf(poller->name, sizeof(poller->name), "%p", (void *)fn);
	}
	poller->state = POLLER_STATE_WAITING;
	poller->fn = fn;
	poller->arg = arg;
	poller->thread = thread;
	poller->id = thread->next_poller_id++;
	if (thread->next_poller_id == 0) {
		SPDK_WARNLOG("thread %s: poller ids wrapped around\n", thread->name);
		thread->next_poller_id = 1;
	}

	if (period_microseconds == 0) {
		TAILQ_INSERT_HEAD(&thread->active_pollers, poller, tailq);
	} else {
		poller->period_ticks = us_to_ticks(period_microseconds);
		if (poller->period_ticks == 0) {
			poller->period_ticks = 1;
		}
		poller->next_run_tick = thread->tsc_last + poller->period_ticks;
		timed_poller_insert(thread, poller);
	}
	return poller;
}

struct spdk_poller *
spdk_poller_register(spdk_poller_fn fn, void *arg, uint64_t period_microseconds)
{
	return spdk_poller_register_named(fn, arg, period_microseconds, NULL);
}

void
spdk_poller_unregister(struct spdk_poller **ppoller)
{
	struct spdk_poller *poller;
	struct spdk_thread *thread;

	if (ppoller == NULL || *ppoller == NULL) {
		return;
	}
	poller = *ppoller;
	if (!poller_check_owner(poller, __func__)) {
		return;
	}
	*ppoller = NULL;
	thread = poller->thread;

	if (poller == thread->current_poller) {
		/* Unregistered from inside its own function (possibly after pausing
		 * itself): the poll loop frees it once it returns. */
		poller->state = POLLER_STATE_UNREGISTERED;
		return;
	}

	switch (poller->state) {
	case POLLER_STATE_PAUSED:
		TAILQ_REMOVE(&thread->paused_pollers, poller, tailq);
		poller_free(poller);
		break;
	case POLLER_STATE_WAITING:
	case POLLER_STATE_PAUSING:
		if (poller->period_ticks != 0) {
			/* The timed loop re-reads the list head after every poller, so
			 * this one can go at once. */
			TAILQ_REMOVE(&thread->timed_pollers, poller, tailq);
			poller_free(poller);
		} else {
			/* The active loop may hold it as its next element: let the
			 * loop free it. */
			poller->state = POLLER_STATE_UNREGISTERED;
		}
		break;
	case POLLER_STATE_RUNNING:
	case POLLER_STATE_UNREGISTERED:
	default:
		SPDK_ERRLOG("spdk_poller_unregister(%s): already unregistered on thread %s\n",
			    poller->name, thread->name);
		break;
	}
}

void
spdk_poller_pause(struct spdk_poller *poller)
{
	struct spdk_thread *thread;

	if (poller == NULL || !poller_check_owner(poller, __func__)) {
		return;
	}
	thread = poller->thread;

	switch (poller->state) {
	case POLLER_STATE_RUNNING:
		poller->state = POLLER_STATE_PAUSING;
		break;
	case POLLER_STATE_WAITING:
		if (poller->period_ticks != 0) {
			TAILQ_REMOVE(&thread->timed_pollers, poller, tailq);
			TAILQ_INSERT_TAIL(&thread->paused_pollers, poller, tailq);
			poller->state = POLLER_STATE_PAUSED;
		} else {
			poller->state = POLLER_STATE_PAUSING;
		}
		break;
	case POLLER_STATE_PAUSING:
	case POLLER_STATE_PAUSED:
		break;
	case POLLER_STATE_UNREGISTERED:
	default:
		SPDK_ERRLOG("spdk_poller_pause(%s): the poller is unregistered\n", poller->name);
		break;
	}
}

void
spdk_poller_resume(struct spdk_poller *poller)
{
	struct spdk_thread *thread;

	if (poller == NULL || !poller_check_owner(poller, __func__)) {
		return;
	}
	thread = poller->thread;

	switch (poller->state) {
	case POLLER_STATE_PAUSED:
		TAILQ_REMOVE(&thread->paused_pollers, poller, tailq);
		poller->state = POLLER_STATE_WAITING;
		if (poller->period_ticks != 0) {
			poller->next_run_tick = thread->tsc_last + poller->period_ticks;
			timed_poller_insert(thread, poller);
		} else {
			TAILQ_INSERT_HEAD(&thread->active_pollers, poller, tailq);
		}
		break;
	case POLLER_STATE_PAUSING:
		poller->state = thread->current_poller == poller ? POLLER_STATE_RUNNING
								 : POLLER_STATE_WAITING;
		break;
	case POLLER_STATE_WAITING:
	case POLLER_STATE_RUNNING:
		break;
	case POLLER_STATE_UNREGISTERED:
	default:
		SPDK_ERRLOG("spdk_poller_resume(%s): the poller is unregistered\n", poller->name);
		break;
	}
}

void
spdk_poller_register_interrupt(struct spdk_poller *poller, spdk_poller_set_interrupt_mode_cb cb_fn,
			       void *cb_arg)
{
	if (poller == NULL) {
		return;
	}
	poller->set_intr_cb_fn = cb_fn;
	poller->set_intr_cb_arg = cb_arg;
}

void
spdk_thread_register_post_poller_handler(spdk_post_poller_fn fn, void *fn_arg)
{
	struct spdk_thread *thread = tls_thread;

	if (thread == NULL || thread->current_poller == NULL) {
		SPDK_ERRLOG("spdk_thread_register_post_poller_handler: must be called from "
			    "inside a poller (thread %s)\n",
			    thread_name_or_none(thread));
		return;
	}
	if (thread->num_post_handlers == MAX_POST_POLLER_HANDLERS) {
		SPDK_ERRLOG("thread %s: poller %s registered more than %u post-poller handlers, "
			    "or registered one from a post-poller handler; refused\n",
			    thread->name, thread->current_poller->name, MAX_POST_POLLER_HANDLERS);
		return;
	}
	thread->post_handlers[thread->num_post_handlers].fn = fn;
	thread->post_handlers[thread->num_post_handlers].arg = fn_arg;
	thread->num_post_handlers++;
}

const char *
spdk_poller_get_name(struct spdk_poller *poller)
{
	return poller->name;
}

uint64_t
spdk_poller_get_id(struct spdk_poller *poller)
{
	return poller->id;
}

const char *
spdk_poller_get_state_str(struct spdk_poller *poller)
{
	switch (poller->state) {
	case POLLER_STATE_WAITING:
		return "waiting";
	case POLLER_STATE_RUNNING:
		return "running";
	case POLLER_STATE_UNREGISTERED:
		return "unregistered";
	case POLLER_STATE_PAUSING:
		return "pausing";
	case POLLER_STATE_PAUSED:
		return "paused";
	default:
		return NULL;
	}
}

uint64_t
spdk_poller_get_period_ticks(struct spdk_poller *poller)
{
	return poller->period_ticks;
}

void
spdk_poller_get_stats(struct spdk_poller *poller, struct spdk_poller_stats *stats)
{
	stats->run_count = poller->run_count;
	stats->busy_count = poller->busy_count;
}

struct spdk_poller *
spdk_thread_get_first_active_poller(struct spdk_thread *thread)
{
	return TAILQ_FIRST(&thread->active_pollers);
}

struct spdk_poller *
spdk_thread_get_next_active_poller(struct spdk_poller *prev)
{
	return TAILQ_NEXT(prev, tailq);
}

struct spdk_poller *
spdk_thread_get_first_timed_poller(struct spdk_thread *thread)
{
	return TAILQ_FIRST(&thread->timed_pollers);
}

struct spdk_poller *
spdk_thread_get_next_timed_poller(struct spdk_poller *prev)
{
	return TAILQ_NEXT(prev, tailq);
}

struct spdk_poller *
spdk_thread_get_first_paused_poller(struct spdk_thread *thread)
{
	return TAILQ_FIRST(&thread->paused_pollers);
}

struct spdk_poller *
spdk_thread_get_next_paused_poller(struct spdk_poller *prev)
{
	return TAILQ_NEXT(prev, tailq);
}

/* ---------------------------------------------------------------------- */
/* for_each_thread                                                         */
/* ---------------------------------------------------------------------- */

static void for_each_thread_step(void *arg);

static void
for_each_thread_done(void *arg)
{
	struct for_each_thread_ctx *ft = arg;

	if (ft->cpl != NULL) {
		ft->cpl(ft->ctx);
	}
	ft->orig_thread->for_each_count--;
	free(ft);
}

/* Called with g_devlist_mutex held: send the next step, or the completion. */
static void
for_each_thread_advance_locked(struct for_each_thread_ctx *ft)
{
	struct spdk_thread *thread;

	TAILQ_FOREACH (thread, &g_threads, tailq) {
		if (thread->id <= ft->cur_thread_id || !spdk_thread_is_running(thread)) {
			continue;
		}
		ft->cur_thread_id = thread->id;
		if (spdk_thread_send_msg(thread, for_each_thread_step, ft) == 0) {
			return;
		}
	}
	if (spdk_thread_send_msg(ft->orig_thread, for_each_thread_done, ft) != 0) {
		SPDK_ERRLOG("spdk_for_each_thread: the originating thread %s is gone; "
			    "completion dropped\n",
			    ft->orig_thread->name);
		free(ft);
	}
}

static void
for_each_thread_step(void *arg)
{
	struct for_each_thread_ctx *ft = arg;

	ft->fn(ft->ctx);
	pthread_mutex_lock(&g_devlist_mutex);
	for_each_thread_advance_locked(ft);
	pthread_mutex_unlock(&g_devlist_mutex);
}

void
spdk_for_each_thread(spdk_msg_fn fn, void *ctx, spdk_msg_fn cpl)
{
	struct spdk_thread *thread = tls_thread;
	struct for_each_thread_ctx *ft;

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_for_each_thread: no SPDK thread is current on this OS thread\n");
		if (cpl != NULL) {
			cpl(ctx);
		}
		return;
	}

	ft = calloc(1, sizeof(*ft));
	if (ft == NULL) {
		SPDK_ERRLOG("spdk_for_each_thread: out of memory on thread %s\n", thread->name);
		if (cpl != NULL) {
			cpl(ctx);
		}
		return;
	}
	ft->fn = fn;
	ft->ctx = ctx;
	ft->cpl = cpl;
	ft->orig_thread = thread;
	thread->for_each_count++;

	pthread_mutex_lock(&g_devlist_mutex);
	for_each_thread_advance_locked(ft);
	pthread_mutex_unlock(&g_devlist_mutex);
}

/* ---------------------------------------------------------------------- */
/* I/O devices                                                             */
/* ---------------------------------------------------------------------- */

static struct io_device *
io_device_find_locked(void *io_device)
{
	struct io_device *dev;

	TAILQ_FOREACH (dev, &g_io_devices, tailq) {
		if (dev->io_device == io_device) {
			return dev;
		}
	}
	return NULL;
}

void
spdk_io_device_register(void *io_device, spdk_io_channel_create_cb create_cb,
			spdk_io_channel_destroy_cb destroy_cb, uint32_t ctx_size, const char *name)
{
	struct spdk_thread *thread = tls_thread;
	struct io_device *dev, *old;

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_io_device_register(%s): called from non-SPDK thread; refused\n",
			    name ? name : "(unnamed)");
		return;
	}
	if (io_device == NULL || create_cb == NULL || destroy_cb == NULL) {
		SPDK_ERRLOG("spdk_io_device_register(%s): %s is NULL; refused\n",
			    name ? name : "(unnamed)",
			    io_device == NULL   ? "io_device"
			    : create_cb == NULL ? "create_cb"
						: "destroy_cb");
		return;
	}

	dev = calloc(1, sizeof(*dev));
	if (dev == NULL) {
		SPDK_ERRLOG("spdk_io_device_register(%s): out of memory\n",
			    name ? name : "(unnamed)");
		return;
	}
	dev->io_device = io_device;
	dev->create_cb = create_cb;
	dev->destroy_cb = destroy_cb;
	dev->ctx_size = ctx_size;
	if (name != NULL) {
		updk_strlcpy(dev->name, name, sizeof(dev->name));
	} else {
		snprintf(dev->name, sizeof(dev->name), "%p", io_device);
	}

	pthread_mutex_lock(&g_devlist_mutex);
	old = io_device_find_locked(io_device);
	if (old != NULL) {
		pthread_mutex_unlock(&g_devlist_mutex);
		SPDK_ERRLOG("io_device %p already registered (old:%s new:%s); refused\n", io_device,
			    old->name, dev->name);
		free(dev);
		return;
	}
	TAILQ_INSERT_TAIL(&g_io_devices, dev, tailq);
	pthread_mutex_unlock(&g_devlist_mutex);

	SPDK_INFOLOG(thread, "registered io_device %s (%p) on thread %s\n", dev->name, io_device,
		     thread->name);
}

static void
io_device_unregister_done(void *arg)
{
	struct io_device *dev = arg;
	struct spdk_thread *thread = dev->unregister_thread;

	SPDK_INFOLOG(thread, "io_device %s (%p) unregistered\n", dev->name, dev->io_device);
	if (dev->unregister_cb != NULL) {
		dev->unregister_cb(dev->io_device);
	}
	thread->pending_unregister_count--;
	free(dev);
}

/* Called with g_devlist_mutex held once the device has no channels left. */
static void
io_device_finish_locked(struct io_device *dev)
{
	if (spdk_thread_send_msg(dev->unregister_thread, io_device_unregister_done, dev) != 0) {
		SPDK_ERRLOG("io_device %s: the unregistering thread %s is gone; its callback "
			    "will not run\n",
			    dev->name, dev->unregister_thread->name);
		free(dev);
	}
}

/* Called with g_devlist_mutex held: take the device out of the registry. */
static void
io_device_unregister_locked(struct io_device *dev)
{
	TAILQ_REMOVE(&g_io_devices, dev, tailq);
	__atomic_store_n(&dev->unregistered, true, __ATOMIC_RELEASE);
	if (dev->refcnt == 0) {
		io_device_finish_locked(dev);
	}
}

void
spdk_io_device_unregister(void *io_device, spdk_io_device_unregister_cb unregister_cb)
{
	struct spdk_thread *thread = tls_thread;
	struct io_device *dev;

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_io_device_unregister(%p): called from non-SPDK thread; refused\n",
			    io_device);
		return;
	}

	pthread_mutex_lock(&g_devlist_mutex);
	dev = io_device_find_locked(io_device);
	if (dev == NULL) {
		pthread_mutex_unlock(&g_devlist_mutex);
		SPDK_ERRLOG("io_device %p not found (never registered, or already unregistered); "
			    "unregister from thread %s refused\n",
			    io_device, thread->name);
		return;
	}
	if (dev->unregister_parked) {
		pthread_mutex_unlock(&g_devlist_mutex);
		SPDK_ERRLOG("io_device %s (%p) already has a pending unregister; second unregister "
			    "from thread %s refused\n",
			    dev->name, io_device, thread->name);
		return;
	}

	dev->unregister_cb = unregister_cb;
	dev->unregister_thread = thread;
	thread->pending_unregister_count++;

	if (dev->for_each_count > 0) {
		SPDK_WARNLOG("io_device %s (%p) has %u for_each calls outstanding; it is "
			     "unregistered once they finish\n",
			     dev->name, io_device, dev->for_each_count);
		dev->unregister_parked = true;
		pthread_mutex_unlock(&g_devlist_mutex);
		return;
	}

	io_device_unregister_locked(dev);
	pthread_mutex_unlock(&g_devlist_mutex);
}

/* ---------------------------------------------------------------------- */
/* I/O channels                                                            */
/* ---------------------------------------------------------------------- */

struct spdk_io_channel *
spdk_get_io_channel(void *io_device)
{
	struct spdk_thread *thread = tls_thread;
	struct spdk_io_channel *ch;
	struct io_device *dev;
	int rc;

	if (spdk_unlikely(thread == NULL)) {
		SPDK_ERRLOG("spdk_get_io_channel(%p): no SPDK thread is current on this OS thread "
			    "(a channel belongs to an spdk_thread)\n",
			    io_device);
		return NULL;
	}
	if (spdk_unlikely(thread->state == THREAD_STATE_EXITED)) {
		SPDK_ERRLOG("spdk_get_io_channel(%p): thread %s has exited\n", io_device,
			    thread->name);
		return NULL;
	}

	/* Fast path: this thread already holds the channel. A channel of a device
	 * that was unregistered is skipped: the lookup below then reports the
	 * device as unknown, or finds a new device registered at the same
	 * address, which needs a channel of its own. */
	TAILQ_FOREACH (ch, &thread->io_channels, tailq) {
		if (ch->io_device == io_device &&
		    spdk_likely(!__atomic_load_n(&ch->dev->unregistered, __ATOMIC_ACQUIRE))) {
			ch->ref++;
			return ch;
		}
	}

	pthread_mutex_lock(&g_devlist_mutex);
	dev = io_device_find_locked(io_device);
	if (dev == NULL) {
		pthread_mutex_unlock(&g_devlist_mutex);
		SPDK_ERRLOG("could not find io_device %p (thread %s): never registered, or "
			    "unregistered\n",
			    io_device, thread->name);
		return NULL;
	}

	ch = calloc(1, sizeof(*ch) + dev->ctx_size);
	if (ch == NULL) {
		pthread_mutex_unlock(&g_devlist_mutex);
		SPDK_ERRLOG("could not allocate a channel for io_device %s on thread %s\n",
			    dev->name, thread->name);
		return NULL;
	}
	ch->thread = thread;
	ch->dev = dev;
	ch->io_device = io_device;
	ch->destroy_cb = dev->destroy_cb;
	ch->ref = 1;
	TAILQ_INSERT_TAIL(&thread->io_channels, ch, tailq);
	dev->refcnt++;
	pthread_mutex_unlock(&g_devlist_mutex);

	rc = dev->create_cb(io_device, (uint8_t *)ch + sizeof(*ch));
	if (rc != 0) {
		SPDK_ERRLOG("could not create io_channel for io_device %s (%p) on thread %s: %s "
			    "(rc=%d)\n",
			    dev->name, io_device, thread->name, spdk_strerror(rc < 0 ? -rc : rc),
			    rc);
		pthread_mutex_lock(&g_devlist_mutex);
		TAILQ_REMOVE(&thread->io_channels, ch, tailq);
		dev->refcnt--;
		if (dev->refcnt == 0 && dev->unregistered) {
			io_device_finish_locked(dev);
		}
		pthread_mutex_unlock(&g_devlist_mutex);
		free(ch);
		return NULL;
	}

	return ch;
}

static void
thread_release_channel(struct spdk_io_channel *ch)
{
	struct io_device *dev = ch->dev;

	pthread_mutex_lock(&g_devlist_mutex);
	TAILQ_REMOVE(&ch->thread->io_channels, ch, tailq);
	pthread_mutex_unlock(&g_devlist_mutex);

	ch->destroy_cb(ch->io_device, (uint8_t *)ch + sizeof(*ch));

	pthread_mutex_lock(&g_devlist_mutex);
	dev->refcnt--;
	if (dev->refcnt == 0 && dev->unregistered) {
		io_device_finish_locked(dev);
	}
	pthread_mutex_unlock(&g_devlist_mutex);

	free(ch);
}

static void
put_io_channel_msg(void *arg)
{
	struct spdk_io_channel *ch = arg;

	ch->destroy_ref--;
	if (ch->ref > 0 || ch->destroy_ref > 0) {
		/* Taken again, or a later release message will decide. */
		return;
	}
	thread_release_channel(ch);
}

static bool
channel_check_owner(struct spdk_io_channel *ch, const char *func)
{
	struct spdk_thread *thread = tls_thread;

	if (spdk_likely(ch->thread == thread)) {
		return true;
	}
	SPDK_ERRLOG("%s(ch) called from wrong thread %s:%" PRIu64 " (should be %s:%" PRIu64
		    "); channel for io_device %s; refused\n",
		    func, thread_name_or_none(thread), thread_id_or_zero(thread), ch->thread->name,
		    ch->thread->id, ch->dev->name);
	return false;
}

void
spdk_put_io_channel(struct spdk_io_channel *ch)
{
	if (ch == NULL) {
		SPDK_ERRLOG("spdk_put_io_channel: channel is NULL\n");
		return;
	}
	if (!channel_check_owner(ch, __func__)) {
		return;
	}
	if (ch->ref == 0) {
		SPDK_ERRLOG("spdk_put_io_channel: channel for io_device %s on thread %s has no "
			    "references left (put more often than got); refused\n",
			    ch->dev->name, ch->thread->name);
		return;
	}

	ch->ref--;
	if (ch->ref == 0) {
		ch->destroy_ref++;
		if (spdk_thread_send_msg(ch->thread, put_io_channel_msg, ch) != 0) {
			/* The thread has exited: nothing else will run here. */
			put_io_channel_msg(ch);
		}
	}
}

struct spdk_io_channel *
spdk_io_channel_ref(struct spdk_io_channel *ch)
{
	if (ch == NULL || !channel_check_owner(ch, __func__)) {
		return NULL;
	}
	ch->ref++;
	return ch;
}

struct spdk_io_channel *
spdk_io_channel_from_ctx(void *ctx)
{
	if (ctx == NULL) {
		return NULL;
	}
	return (struct spdk_io_channel *)((uint8_t *)ctx - sizeof(struct spdk_io_channel));
}

struct spdk_thread *
spdk_io_channel_get_thread(struct spdk_io_channel *ch)
{
	return ch->thread;
}

void *
spdk_io_channel_get_io_device(struct spdk_io_channel *ch)
{
	return ch->io_device;
}

const char *
spdk_io_channel_get_io_device_name(struct spdk_io_channel *ch)
{
	return ch->dev->name;
}

int
spdk_io_channel_get_ref_count(struct spdk_io_channel *ch)
{
	return (int)ch->ref;
}

struct spdk_io_channel *
spdk_thread_get_first_io_channel(struct spdk_thread *thread)
{
	return TAILQ_FIRST(&thread->io_channels);
}

struct spdk_io_channel *
spdk_thread_get_next_io_channel(struct spdk_io_channel *prev)
{
	return TAILQ_NEXT(prev, tailq);
}

void
updk_io_channel_set_owner_check(bool enable)
{
	__atomic_store_n(&updk_g_channel_owner_check, enable, __ATOMIC_RELAXED);
}

bool
updk_io_channel_get_owner_check(void)
{
	return __atomic_load_n(&updk_g_channel_owner_check, __ATOMIC_RELAXED);
}

uint64_t
updk_io_channel_get_owner_violations(void)
{
	return __atomic_load_n(&g_owner_violations, __ATOMIC_RELAXED);
}

/* Count a use of \p ch from the calling thread, which does not own it, and
 * log it; \p outcome ends the line. */
static void
channel_report_owner(struct spdk_io_channel *ch, const char *func, const char *outcome)
{
	struct spdk_thread *thread = tls_thread;
	uint64_t n;

	n = __atomic_add_fetch(&g_owner_violations, 1, __ATOMIC_RELAXED);
	/* One line for each of the first violations, then one per 1024, so a
	 * misbehaving loop cannot flood the log. */
	if (n <= 16 || n % 1024 == 0) {
		SPDK_ERRLOG("%s: channel for io_device %s belongs to thread %s:%" PRIu64
			    " but is used from %s:%" PRIu64 " (violation #%" PRIu64 ")%s\n",
			    func, ch->dev->name, ch->thread->name, ch->thread->id,
			    thread_name_or_none(thread), thread_id_or_zero(thread), n, outcome);
	}
}

void
updk_io_channel_check_owner(struct spdk_io_channel *ch, const char *func)
{
	if (ch->thread == tls_thread) {
		return;
	}
	channel_report_owner(ch, func, "");
}

void
updk__io_channel_report_refused(struct spdk_io_channel *ch, const char *func)
{
	if (ch->thread == tls_thread) {
		return;
	}
	channel_report_owner(ch, func, "; refused");
}

/* ---------------------------------------------------------------------- */
/* for_each_channel                                                        */
/* ---------------------------------------------------------------------- */

static void for_each_channel_step(void *arg);

static void
for_each_channel_done(void *arg)
{
	struct spdk_io_channel_iter *i = arg;
	struct io_device *dev = i->dev;

	/* The iteration is over before the completion runs, so a completion
	 * that unregisters the device (a common pattern) is not parked behind
	 * its own iteration. */
	if (dev != NULL) {
		pthread_mutex_lock(&g_devlist_mutex);
		dev->for_each_count--;
		if (dev->for_each_count == 0 && dev->unregister_parked) {
			dev->unregister_parked = false;
			io_device_unregister_locked(dev);
		}
		pthread_mutex_unlock(&g_devlist_mutex);
		i->dev = NULL;
		i->orig_thread->for_each_count--;
	}

	if (i->cpl != NULL) {
		i->cpl(i, i->status);
	}
	free(i);
}

static bool
thread_has_channel_locked(struct spdk_thread *thread, struct io_device *dev)
{
	struct spdk_io_channel *ch;

	TAILQ_FOREACH (ch, &thread->io_channels, tailq) {
		if (ch->dev == dev) {
			return true;
		}
	}
	return false;
}

/* Called with g_devlist_mutex held: visit the next thread holding a channel,
 * or send the completion. */
static void
for_each_channel_advance_locked(struct spdk_io_channel_iter *i)
{
	struct spdk_thread *thread;

	TAILQ_FOREACH (thread, &g_threads, tailq) {
		if (thread->id <= i->cur_thread_id || !thread_has_channel_locked(thread, i->dev)) {
			continue;
		}
		i->cur_thread_id = thread->id;
		if (spdk_thread_send_msg(thread, for_each_channel_step, i) == 0) {
			return;
		}
	}
	if (spdk_thread_send_msg(i->orig_thread, for_each_channel_done, i) != 0) {
		SPDK_ERRLOG("spdk_for_each_channel(%s): the originating thread %s is gone; "
			    "completion dropped\n",
			    i->dev->name, i->orig_thread->name);
	}
}

static void
for_each_channel_step(void *arg)
{
	struct spdk_io_channel_iter *i = arg;
	struct spdk_thread *thread = tls_thread;
	struct spdk_io_channel *ch;

	pthread_mutex_lock(&g_devlist_mutex);
	TAILQ_FOREACH (ch, &thread->io_channels, tailq) {
		if (ch->dev == i->dev) {
			break;
		}
	}
	if (ch == NULL) {
		/* Released before our turn: skip this thread. */
		for_each_channel_advance_locked(i);
		pthread_mutex_unlock(&g_devlist_mutex);
		return;
	}
	pthread_mutex_unlock(&g_devlist_mutex);

	i->cur_thread = thread;
	i->ch = ch;
	i->fn(i);
}

void
spdk_for_each_channel_continue(struct spdk_io_channel_iter *i, int status)
{
	if (tls_thread != i->cur_thread) {
		SPDK_ERRLOG("spdk_for_each_channel_continue(%s) called from thread %s, but the "
			    "thread being visited is %s\n",
			    i->dev->name, thread_name_or_none(tls_thread),
			    thread_name_or_none(i->cur_thread));
	}
	i->ch = NULL;
	i->cur_thread = NULL;

	pthread_mutex_lock(&g_devlist_mutex);
	if (status != 0) {
		i->status = status;
		if (spdk_thread_send_msg(i->orig_thread, for_each_channel_done, i) != 0) {
			SPDK_ERRLOG(
				"spdk_for_each_channel(%s): the originating thread %s is gone\n",
				i->dev->name, i->orig_thread->name);
		}
	} else {
		for_each_channel_advance_locked(i);
	}
	pthread_mutex_unlock(&g_devlist_mutex);
}

void
spdk_for_each_channel(void *io_device, spdk_channel_msg fn, void *ctx,
		      spdk_channel_for_each_cpl cpl)
{
	struct spdk_thread *thread = tls_thread;
	struct spdk_io_channel_iter *i;
	struct io_device *dev;

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_for_each_channel(%p): no SPDK thread is current on this OS "
			    "thread; nothing done\n",
			    io_device);
		return;
	}

	i = calloc(1, sizeof(*i));
	if (i == NULL) {
		SPDK_ERRLOG("spdk_for_each_channel(%p): out of memory on thread %s\n", io_device,
			    thread->name);
		return;
	}
	i->io_device = io_device;
	i->fn = fn;
	i->ctx = ctx;
	i->cpl = cpl;
	i->orig_thread = thread;

	pthread_mutex_lock(&g_devlist_mutex);
	dev = io_device_find_locked(io_device);
	if (dev == NULL || dev->unregister_parked) {
		pthread_mutex_unlock(&g_devlist_mutex);
		if (dev == NULL) {
			SPDK_ERRLOG("spdk_for_each_channel: io_device %p not found (thread %s)\n",
				    io_device, thread->name);
		} else {
			SPDK_ERRLOG("spdk_for_each_channel: io_device %s (%p) has a pending "
				    "unregister\n",
				    dev->name, io_device);
		}
		i->status = -ENODEV;
		if (spdk_thread_send_msg(thread, for_each_channel_done, i) != 0) {
			free(i);
		}
		return;
	}
	i->dev = dev;
	dev->for_each_count++;
	thread->for_each_count++;
	for_each_channel_advance_locked(i);
	pthread_mutex_unlock(&g_devlist_mutex);
}

void *
spdk_io_channel_iter_get_io_device(struct spdk_io_channel_iter *i)
{
	return i->io_device;
}

struct spdk_io_channel *
spdk_io_channel_iter_get_channel(struct spdk_io_channel_iter *i)
{
	return i->ch;
}

void *
spdk_io_channel_iter_get_ctx(struct spdk_io_channel_iter *i)
{
	return i->ctx;
}

/* ---------------------------------------------------------------------- */
/* Exit timeout, interrupt mode                                            */
/* ---------------------------------------------------------------------- */

void
updk_thread_set_exit_timeout(uint64_t timeout_us)
{
	g_exit_timeout_us = timeout_us != 0 ? timeout_us : UPDK_THREAD_EXIT_TIMEOUT_US;
}

uint64_t
updk_thread_get_exit_timeout(void)
{
	return g_exit_timeout_us;
}

int
spdk_interrupt_mode_enable(void)
{
	SPDK_ERRLOG("interrupt mode is not supported by updk; reactors sleep on their own "
		    "when idle\n");
	return -ENOTSUP;
}

bool
spdk_interrupt_mode_is_enabled(void)
{
	return false;
}

void
spdk_thread_set_interrupt_mode(bool enable_interrupt)
{
	if (enable_interrupt) {
		SPDK_ERRLOG("spdk_thread_set_interrupt_mode: interrupt mode is not supported\n");
	}
}

static struct spdk_interrupt *
interrupt_not_supported(const char *name)
{
	SPDK_ERRLOG("interrupt %s: interrupt mode is not supported by updk\n",
		    name ? name : "(unnamed)");
	return NULL;
}

struct spdk_interrupt *
spdk_interrupt_register(int efd, spdk_interrupt_fn fn, void *arg, const char *name)
{
	return interrupt_not_supported(name);
}

struct spdk_interrupt *
spdk_interrupt_register_for_events(int efd, uint32_t events, spdk_interrupt_fn fn, void *arg,
				   const char *name)
{
	return interrupt_not_supported(name);
}

struct spdk_interrupt *
spdk_interrupt_register_ext(int efd, spdk_interrupt_fn fn, void *arg, const char *name,
			    struct spdk_event_handler_opts *opts)
{
	return interrupt_not_supported(name);
}

void
spdk_interrupt_unregister(struct spdk_interrupt **pintr)
{
	if (pintr != NULL) {
		*pintr = NULL;
	}
}

int
spdk_interrupt_set_event_types(struct spdk_interrupt *intr,
			       enum spdk_interrupt_event_types event_types)
{
	return -ENOTSUP;
}

int
spdk_thread_get_interrupt_fd(struct spdk_thread *thread)
{
	return -1;
}

struct spdk_fd_group *
spdk_thread_get_interrupt_fd_group(struct spdk_thread *thread)
{
	return NULL;
}

/* ---------------------------------------------------------------------- */
/* Spinlocks                                                               */
/* ---------------------------------------------------------------------- */

/* A per-OS-thread address identifies the holder, so plain pthreads can use
 * spinlocks too and recursion is caught before it deadlocks. */
static __thread char tls_spin_owner;

#define SPIN_OWNER_ME ((struct spdk_spinlock_internal *)(void *)&tls_spin_owner)

static bool
spin_usable(struct spdk_spinlock *sspin, const char *func)
{
	if (sspin == NULL) {
		SPDK_ERRLOG("%s: lock is NULL\n", func);
		return false;
	}
	if (!sspin->initialized || sspin->destroyed) {
		SPDK_ERRLOG("%s(%p): lock is %s (thread %s); refused\n", func, (void *)sspin,
			    sspin->destroyed ? "destroyed" : "not initialised",
			    thread_name_or_none(tls_thread));
		return false;
	}
	return true;
}

void
spdk_spin_init(struct spdk_spinlock *sspin)
{
	memset(sspin, 0, sizeof(*sspin));
	pthread_spin_init(&sspin->spinlock, PTHREAD_PROCESS_PRIVATE);
	sspin->initialized = true;
}

void
spdk_spin_destroy(struct spdk_spinlock *sspin)
{
	if (!spin_usable(sspin, __func__)) {
		return;
	}
	if (__atomic_load_n(&sspin->internal, __ATOMIC_RELAXED) != NULL) {
		SPDK_ERRLOG("spdk_spin_destroy(%p): the lock is held (by thread %s); refused\n",
			    (void *)sspin, thread_name_or_none(sspin->thread));
		return;
	}
	pthread_spin_destroy(&sspin->spinlock);
	sspin->destroyed = true;
}

void
spdk_spin_lock(struct spdk_spinlock *sspin)
{
	if (!spin_usable(sspin, __func__)) {
		return;
	}
	if (__atomic_load_n(&sspin->internal, __ATOMIC_RELAXED) == SPIN_OWNER_ME) {
		SPDK_ERRLOG("spdk_spin_lock(%p): recursive lock on thread %s; refused\n",
			    (void *)sspin, thread_name_or_none(tls_thread));
		return;
	}
	pthread_spin_lock(&sspin->spinlock);
	__atomic_store_n(&sspin->internal, SPIN_OWNER_ME, __ATOMIC_RELAXED);
	__atomic_store_n(&sspin->thread, tls_thread, __ATOMIC_RELAXED);
	if (tls_thread != NULL) {
		tls_thread->locks_held++;
	}
}

void
spdk_spin_unlock(struct spdk_spinlock *sspin)
{
	if (!spin_usable(sspin, __func__)) {
		return;
	}
	if (!spdk_spin_held(sspin)) {
		SPDK_ERRLOG("spdk_spin_unlock(%p): thread %s does not hold the lock; refused\n",
			    (void *)sspin, thread_name_or_none(tls_thread));
		return;
	}
	if (tls_thread != NULL && tls_thread->locks_held > 0) {
		tls_thread->locks_held--;
	}
	__atomic_store_n(&sspin->thread, NULL, __ATOMIC_RELAXED);
	__atomic_store_n(&sspin->internal, NULL, __ATOMIC_RELAXED);
	pthread_spin_unlock(&sspin->spinlock);
}

/* Held by the calling OS thread and, as in SPDK, by the current SPDK thread:
 * another SPDK thread polled by the same OS thread does not hold it. */
bool
spdk_spin_held(struct spdk_spinlock *sspin)
{
	return sspin != NULL &&
	       __atomic_load_n(&sspin->internal, __ATOMIC_RELAXED) == SPIN_OWNER_ME &&
	       __atomic_load_n(&sspin->thread, __ATOMIC_RELAXED) == tls_thread;
}
