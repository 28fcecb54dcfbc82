/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Lightweight threads, messages, pollers and I/O channels.
 *
 * An spdk_thread is a queue of messages plus a set of pollers. It has no stack
 * of its own: it runs only while some OS thread calls spdk_thread_poll() on it,
 * and one OS thread at a time. An I/O device is any unique pointer registered
 * with spdk_io_device_register(); each spdk_thread reaches it through its own
 * reference-counted I/O channel, so per-thread state needs no locks.
 *
 * Misuse (a put or a poller operation from the wrong thread, a channel taken
 * with no current thread, a double unregister, a message to an exited thread)
 * is reported with one error line that names the objects and threads involved,
 * and refused. updk never aborts for these, in debug or release builds.
 */

#ifndef SPDK_THREAD_H
#define SPDK_THREAD_H

#include "spdk/stdinc.h"
#include "spdk/cpuset.h"
#include "spdk/likely.h"
/* Many SPDK programs log and print errno strings having included only this
 * header (through bdev.h or io_channel.h); give them what they use. */
#include "spdk/log.h"
#include "spdk/string.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Poller return values. */
enum spdk_thread_poller_rc {
	/** The poller found no work. */
	SPDK_POLLER_IDLE,
	/** The poller did some work. */
	SPDK_POLLER_BUSY,
};

/** A lightweight thread. */
struct spdk_thread;

/** A function called repeatedly on a thread. */
struct spdk_poller;

/** A thread's handle on an I/O device. */
struct spdk_io_channel;

/** The cursor of spdk_for_each_channel(). */
struct spdk_io_channel_iter;

/** An fd registered for interrupt mode (not supported by updk). */
struct spdk_interrupt;

/** An fd group (not supported by updk). */
struct spdk_fd_group;

/** Options of interrupt event handlers (not supported by updk). */
struct spdk_event_handler_opts;

/** What a thread scheduler is asked to do. */
enum spdk_thread_op {
	/** A thread was created: schedule it. */
	SPDK_THREAD_OP_NEW,
	/** The thread's cpumask changed: move it. */
	SPDK_THREAD_OP_RESCHED,
};

/** Legacy scheduler hook: called for every new thread. Non-zero fails creation. */
typedef int (*spdk_new_thread_fn)(struct spdk_thread *thread);

/** Scheduler hook: called for every new thread and cpumask change. */
typedef int (*spdk_thread_op_fn)(struct spdk_thread *thread, enum spdk_thread_op op);

/** Tells whether the scheduler supports an operation. */
typedef bool (*spdk_thread_op_supported_fn)(enum spdk_thread_op op);

/** A message handler. */
typedef void (*spdk_msg_fn)(void *ctx);

/** Legacy typedef, kept for source compatibility. */
typedef void (*spdk_thread_pass_msg)(spdk_msg_fn fn, void *ctx, void *thread_ctx);

/**
 * A poller function: return a value > 0 when it did work (SPDK_POLLER_BUSY),
 * 0 when it found none (SPDK_POLLER_IDLE). A negative value counts as neither.
 */
typedef int (*spdk_poller_fn)(void *ctx);

/** Called when a poller must switch between poll and interrupt mode. */
typedef void (*spdk_poller_set_interrupt_mode_cb)(struct spdk_poller *poller, void *cb_arg,
						  bool interrupt_mode);

/** Initialises a new channel's context; a non-zero return fails the channel. */
typedef int (*spdk_io_channel_create_cb)(void *io_device, void *ctx_buf);

/** Tears down a channel's context. */
typedef void (*spdk_io_channel_destroy_cb)(void *io_device, void *ctx_buf);

/** Called once an unregistered device is gone. */
typedef void (*spdk_io_device_unregister_cb)(void *io_device);

/** One step of spdk_for_each_channel(), run on the visited thread. */
typedef void (*spdk_channel_msg)(struct spdk_io_channel_iter *i);

/** Completion of spdk_for_each_channel(), run on the originating thread. */
typedef void (*spdk_channel_for_each_cpl)(struct spdk_io_channel_iter *i, int status);

/** An interrupt handler (not supported by updk). */
typedef int (*spdk_interrupt_fn)(void *ctx);

/** A handler run after the current poller returns. */
typedef void (*spdk_post_poller_fn)(void *fn_arg);

/** Interrupt event types (equal to the epoll flags). */
enum spdk_interrupt_event_types {
	/** Readable. */
	SPDK_INTERRUPT_EVENT_IN = 0x001,
	/** Writable. */
	SPDK_INTERRUPT_EVENT_OUT = 0x004,
	/** Edge-triggered. */
	SPDK_INTERRUPT_EVENT_ET = (1u << 31),
};

/** Cumulative time a thread spent busy and idle, in ticks. */
struct spdk_thread_stats {
	uint64_t busy_tsc;
	uint64_t idle_tsc;
};

/** Size of the channel header that precedes every channel's context. */
#define SPDK_IO_CHANNEL_STRUCT_SIZE 96

/** Kept for source compatibility: updk keeps messages in the ring itself. */
#define SPDK_MSG_MEMPOOL_CACHE_SIZE 1024
/** Kept for source compatibility. */
#define SPDK_DEFAULT_MSG_MEMPOOL_SIZE (262144 - 1)

/**
 * Initialise the thread library. Call once, before creating any thread.
 *
 * \param new_thread_fn Called for each new thread so that a scheduler can
 * place it; NULL when the caller polls its threads itself.
 * \param ctx_sz Bytes of scheduler context to reserve in each thread
 * (spdk_thread_get_ctx()).
 * \return 0 on success, -EALREADY if already initialised, -ENOMEM.
 */
int spdk_thread_lib_init(spdk_new_thread_fn new_thread_fn, size_t ctx_sz);

/**
 * Initialise the thread library with an extended scheduler hook.
 *
 * \param thread_op_fn Scheduler hook, or NULL.
 * \param thread_op_supported_fn Tells which operations the hook supports;
 * must be given exactly when thread_op_fn is.
 * \param ctx_sz Bytes of scheduler context per thread.
 * \param msg_mempool_size Accepted for compatibility; updk needs no message pool.
 * \return 0 on success, -EINVAL when only one of the hooks is given,
 * -EALREADY if already initialised, -ENOMEM.
 */
int spdk_thread_lib_init_ext(spdk_thread_op_fn thread_op_fn,
			     spdk_thread_op_supported_fn thread_op_supported_fn, size_t ctx_sz,
			     size_t msg_mempool_size);

/**
 * Release the thread library. Every thread other than the app thread must be
 * destroyed first. Logs an error for each I/O device still registered and each
 * thread still alive, and frees the app thread.
 */
void spdk_thread_lib_fini(void);

/**
 * Create a thread. The first thread created becomes the app thread.
 *
 * \param name Name of the thread (copied; at most 255 characters kept), or
 * NULL for a name made from its address.
 * \param cpumask CPUs the thread may run on, or NULL for all.
 * \return the thread, or NULL when the library is not initialised, memory runs
 * out or the scheduler refuses it.
 */
struct spdk_thread *spdk_thread_create(const char *name, const struct spdk_cpuset *cpumask);

/** \return the app thread (the first thread created), or NULL. */
struct spdk_thread *spdk_thread_get_app_thread(void);

/** \return whether \p thread (NULL: the current thread) is the app thread. */
bool spdk_thread_is_app_thread(struct spdk_thread *thread);

/**
 * Make \p thread the current thread of the calling OS thread (NULL clears it).
 * spdk_thread_poll() does this itself for the duration of a poll.
 */
void spdk_set_thread(struct spdk_thread *thread);

/** Ask the scheduler to keep \p thread on its current core (or release it). */
void spdk_thread_bind(struct spdk_thread *thread, bool bind);

/** \return whether \p thread is bound to its core. */
bool spdk_thread_is_bound(struct spdk_thread *thread);

/**
 * Start the exit of \p thread. Must be called on \p thread itself. The thread
 * becomes exited once it holds no channels, pollers, queued messages or
 * pending device unregistrations; until then it keeps running. If that takes
 * longer than the exit timeout (5 s by default, see updk/thread.h), it logs
 * by name everything it still holds and becomes exited anyway.
 *
 * \return 0; -EINVAL (with an error log) when called from another thread.
 */
int spdk_thread_exit(struct spdk_thread *thread);

/** \return whether \p thread has finished exiting. */
bool spdk_thread_is_exited(struct spdk_thread *thread);

/** \return whether \p thread is running (not exiting or exited). */
bool spdk_thread_is_running(struct spdk_thread *thread);

/**
 * Free an exited thread. A thread that has not exited is refused with an error
 * log. The app thread is freed by spdk_thread_lib_fini() instead.
 */
void spdk_thread_destroy(struct spdk_thread *thread);

/** \return the scheduler context of \p thread, or NULL when ctx_sz was 0. */
void *spdk_thread_get_ctx(struct spdk_thread *thread);

/** \return the thread whose scheduler context is \p ctx. */
struct spdk_thread *spdk_thread_get_from_ctx(void *ctx);

/** \return the cpumask of \p thread. */
struct spdk_cpuset *spdk_thread_get_cpumask(struct spdk_thread *thread);

/**
 * Change the cpumask of the current thread and ask the scheduler to move it.
 *
 * \return 0; -ENOTSUP when the scheduler cannot move threads; -EINVAL outside
 * an SPDK thread or with a NULL mask.
 */
int spdk_thread_set_cpumask(struct spdk_cpuset *cpumask);

/**
 * Run one iteration of \p thread on the calling OS thread: the critical
 * message, up to \p max_msgs messages, every active poller, then every timed
 * poller that is due.
 *
 * \param max_msgs At most this many messages (0 means 8; capped at 8).
 * \param now The current tick count, or 0 to read it.
 * \return > 0 if any work was done, 0 otherwise.
 */
int spdk_thread_poll(struct spdk_thread *thread, uint32_t max_msgs, uint64_t now);

/** \return the tick at which the earliest timed poller is due, or 0 if none. */
uint64_t spdk_thread_next_poller_expiration(struct spdk_thread *thread);

/** \return 1 if \p thread has an active (period 0) poller, else 0. */
int spdk_thread_has_active_pollers(struct spdk_thread *thread);

/** \return whether \p thread has any poller, paused ones included. */
bool spdk_thread_has_pollers(struct spdk_thread *thread);

/** \return whether \p thread has no queued message and no running poller. */
bool spdk_thread_is_idle(struct spdk_thread *thread);

/** \return the number of live threads. */
uint32_t spdk_thread_get_count(void);

/** \return the current thread of the calling OS thread, or NULL. */
struct spdk_thread *spdk_get_thread(void);

/** \return the name of \p thread. */
const char *spdk_thread_get_name(const struct spdk_thread *thread);

/** \return the id of \p thread (ids start at 1 and increase). */
uint64_t spdk_thread_get_id(const struct spdk_thread *thread);

/** \return the live thread with this id, or NULL (with an error log for id 0 or unknown ids). */
struct spdk_thread *spdk_thread_get_by_id(uint64_t id);

/**
 * Copy the current thread's busy and idle time.
 *
 * \return 0; -EINVAL outside an SPDK thread or when \p stats is NULL.
 */
int spdk_thread_get_stats(struct spdk_thread_stats *stats);

/** \return the tick at the end of the last poll of \p thread (NULL: current). */
uint64_t spdk_thread_get_last_tsc(struct spdk_thread *thread);

/** \return the trace id of \p thread (updk: its id truncated to 16 bits). */
uint16_t spdk_thread_get_trace_id(struct spdk_thread *thread);

/**
 * Queue \p fn(\p ctx) to run on \p thread. May be called from any OS thread.
 * The message runs later, never inside this call, in FIFO order with the other
 * messages from the same sender. No memory is allocated on this path.
 *
 * When \p thread's message ring is full, a sender on another thread waits up
 * to 10 us for its consumer to make room (backpressure), then queues the
 * message on an overflow list instead; nothing is dropped.
 *
 * \return 0 on success; -EINVAL for a NULL thread or function; -EIO (with an
 * error log) when \p thread has exited.
 */
int spdk_thread_send_msg(const struct spdk_thread *thread, spdk_msg_fn fn, void *ctx);

/**
 * Queue \p fn(NULL) in \p thread's single critical slot; it runs first in the
 * next poll. Async-signal-safe.
 *
 * \return 0; -EIO when the slot is already taken.
 */
int spdk_thread_send_critical_msg(struct spdk_thread *thread, spdk_msg_fn fn);

/**
 * Run \p fn(\p ctx) now if \p thread is the current thread, else send it.
 *
 * \return 0, or an error of spdk_thread_send_msg().
 */
static inline int
spdk_thread_exec_msg(const struct spdk_thread *thread, spdk_msg_fn fn, void *ctx)
{
	assert(thread != NULL);

	if (spdk_get_thread() == thread) {
		fn(ctx);
		return 0;
	}

	return spdk_thread_send_msg(thread, fn, ctx);
}

/**
 * Run \p fn(\p ctx) on every running thread, one after another in creation
 * order, then \p cpl(\p ctx) on the calling thread. Must be called on an SPDK
 * thread; otherwise an error is logged and \p cpl runs at once.
 */
void spdk_for_each_thread(spdk_msg_fn fn, void *ctx, spdk_msg_fn cpl);

/** Enable or disable interrupt mode of the current thread (updk: not supported; logs an error). */
void spdk_thread_set_interrupt_mode(bool enable_interrupt);

/**
 * Register a poller on the current thread.
 *
 * \param fn The function.
 * \param arg Its argument.
 * \param period_microseconds 0 to run on every poll, else the period.
 * \return the poller, or NULL with an error log when there is no current
 * thread, the thread has exited, or memory runs out.
 */
struct spdk_poller *spdk_poller_register(spdk_poller_fn fn, void *arg,
					 uint64_t period_microseconds);

/** Like spdk_poller_register(), with a name (copied) used in logs and RPCs. */
struct spdk_poller *spdk_poller_register_named(spdk_poller_fn fn, void *arg,
					       uint64_t period_microseconds, const char *name);

/** Register a poller named after its function. */
#define SPDK_POLLER_REGISTER(fn, arg, period_us) spdk_poller_register_named(fn, arg, period_us, #fn)

/**
 * Unregister a poller and set *\p ppoller to NULL. Must be called on the
 * poller's thread, and may be called from inside the poller itself. The memory
 * is freed by a later poll. From the wrong thread: error log, refused (the
 * poller keeps running and *\p ppoller is left as it was).
 */
void spdk_poller_unregister(struct spdk_poller **ppoller);

/** Pause a poller. Owner thread only (else error log, refused). Idempotent. */
void spdk_poller_pause(struct spdk_poller *poller);

/** Resume a paused poller. Owner thread only (else error log, refused). Idempotent. */
void spdk_poller_resume(struct spdk_poller *poller);

/** Declare interrupt support of a poller (updk: no interrupt mode; recorded only). */
void spdk_poller_register_interrupt(struct spdk_poller *poller,
				    spdk_poller_set_interrupt_mode_cb cb_fn, void *cb_arg);

/**
 * Run \p fn(\p fn_arg) once, right after the current poller returns. At most 4
 * may be pending. Must be called from inside a poller.
 */
void spdk_thread_register_post_poller_handler(spdk_post_poller_fn fn, void *fn_arg);

/**
 * Register an I/O device. Must be called on an SPDK thread.
 *
 * \param io_device Any unique pointer; the device's key.
 * \param create_cb Initialises each new channel's context.
 * \param destroy_cb Tears it down.
 * \param ctx_size Bytes of context per channel.
 * \param name Name for logs (copied), or NULL for one made from the pointer.
 *
 * A device already registered, or missing callbacks, is refused with an error log.
 */
void spdk_io_device_register(void *io_device, spdk_io_channel_create_cb create_cb,
			     spdk_io_channel_destroy_cb destroy_cb, uint32_t ctx_size,
			     const char *name);

/**
 * Unregister an I/O device. Must be called on an SPDK thread. New channels can
 * no longer be taken; existing ones keep working. Once the last channel is
 * released, \p unregister_cb(\p io_device) runs as a message on the calling
 * thread (always asynchronously). An unknown device or a second unregister is
 * refused with an error log and \p unregister_cb never runs.
 */
void spdk_io_device_unregister(void *io_device, spdk_io_device_unregister_cb unregister_cb);

/**
 * Get the current thread's channel for \p io_device: the same channel each
 * time (with one more reference), created on first use.
 *
 * \return the channel, or NULL with an error log when there is no current
 * thread, the thread has exited, the device is unknown or unregistered, or the
 * device's create callback fails.
 */
struct spdk_io_channel *spdk_get_io_channel(void *io_device);

/**
 * Drop a reference to a channel. Must be called on the channel's thread (else
 * error log, refused). The channel is released by a message once its count
 * reaches 0, unless it is taken again before that message runs.
 */
void spdk_put_io_channel(struct spdk_io_channel *ch);

/** Add a reference to a channel. Owner thread only. \return \p ch, or NULL (refused). */
struct spdk_io_channel *spdk_io_channel_ref(struct spdk_io_channel *ch);

/* updk extension, see updk/thread.h: when set, channel accesses check the
 * caller's thread. */
extern bool updk_g_channel_owner_check;
void updk_io_channel_check_owner(struct spdk_io_channel *ch, const char *func);

/** \return the context of \p ch (NULL for a NULL channel). */
static inline void *
spdk_io_channel_get_ctx(struct spdk_io_channel *ch)
{
	if (spdk_unlikely(ch == NULL)) {
		return NULL;
	}
	if (spdk_unlikely(__atomic_load_n(&updk_g_channel_owner_check, __ATOMIC_RELAXED))) {
		updk_io_channel_check_owner(ch, __func__);
	}
	return (uint8_t *)ch + SPDK_IO_CHANNEL_STRUCT_SIZE;
}

/** \return the channel whose context is \p ctx. */
struct spdk_io_channel *spdk_io_channel_from_ctx(void *ctx);

/** \return the thread that owns \p ch. */
struct spdk_thread *spdk_io_channel_get_thread(struct spdk_io_channel *ch);

/** \return the device key of \p ch. */
void *spdk_io_channel_get_io_device(struct spdk_io_channel *ch);

/**
 * Run \p fn on every thread that holds a channel for \p io_device, one thread
 * at a time in ascending thread id; \p fn must end with
 * spdk_for_each_channel_continue() on that thread. Then \p cpl runs on the
 * calling thread with the first non-zero status, or 0. An unknown or
 * unregistering device completes with -ENODEV (asynchronously).
 */
void spdk_for_each_channel(void *io_device, spdk_channel_msg fn, void *ctx,
			   spdk_channel_for_each_cpl cpl);

/** Finish the current step of spdk_for_each_channel(); a non-zero status stops it. */
void spdk_for_each_channel_continue(struct spdk_io_channel_iter *i, int status);

/** \return the device being iterated. */
void *spdk_io_channel_iter_get_io_device(struct spdk_io_channel_iter *i);

/** \return the channel being visited (valid only inside the step function). */
struct spdk_io_channel *spdk_io_channel_iter_get_channel(struct spdk_io_channel_iter *i);

/** \return the context given to spdk_for_each_channel(). */
void *spdk_io_channel_iter_get_ctx(struct spdk_io_channel_iter *i);

/* Interrupt mode: updk polls only. These exist so that SPDK programs link;
 * they report that interrupt mode is not available. */

/** \return -ENOTSUP: updk has no interrupt mode. */
int spdk_interrupt_mode_enable(void);

/** \return false. */
bool spdk_interrupt_mode_is_enabled(void);

/** \return NULL (error log): interrupt mode is not supported. */
struct spdk_interrupt *spdk_interrupt_register(int efd, spdk_interrupt_fn fn, void *arg,
					       const char *name);

/** \return NULL (error log): interrupt mode is not supported. */
struct spdk_interrupt *spdk_interrupt_register_for_events(int efd, uint32_t events,
							  spdk_interrupt_fn fn, void *arg,
							  const char *name);

/** \return NULL (error log): interrupt mode is not supported. */
struct spdk_interrupt *spdk_interrupt_register_ext(int efd, spdk_interrupt_fn fn, void *arg,
						   const char *name,
						   struct spdk_event_handler_opts *opts);

/** Sets *\p pintr to NULL. */
void spdk_interrupt_unregister(struct spdk_interrupt **pintr);

/** \return -ENOTSUP. */
int spdk_interrupt_set_event_types(struct spdk_interrupt *intr,
				   enum spdk_interrupt_event_types event_types);

/** \return -1: threads have no interrupt fd. */
int spdk_thread_get_interrupt_fd(struct spdk_thread *thread);

/** \return NULL. */
struct spdk_fd_group *spdk_thread_get_interrupt_fd_group(struct spdk_thread *thread);

#define SPDK_INTERRUPT_REGISTER(efd, fn, arg) spdk_interrupt_register(efd, fn, arg, #fn)
#define SPDK_INTERRUPT_REGISTER_FOR_EVENTS(efd, events, fn, arg) \
	spdk_interrupt_register_for_events(efd, events, fn, arg, #fn)
#define SPDK_INTERRUPT_REGISTER_EXT(efd, fn, arg, opts) \
	spdk_interrupt_register_ext(efd, fn, arg, #fn, opts)

/**
 * A lock for data shared between SPDK threads, to be held only briefly and
 * never across the return of a message or poller.
 */
struct spdk_spinlock {
	pthread_spinlock_t spinlock;
	/** The SPDK thread that holds the lock, or NULL. */
	struct spdk_thread *thread;
	/** updk keeps no extra state here; kept for layout compatibility. */
	struct spdk_spinlock_internal *internal;
	bool initialized;
	bool destroyed;
};

/** Initialise a spinlock. */
void spdk_spin_init(struct spdk_spinlock *sspin);

/** Destroy a spinlock; one that is held is refused with an error log. */
void spdk_spin_destroy(struct spdk_spinlock *sspin);

/**
 * Take a spinlock. Misuse (an uninitialised or destroyed lock, a recursive
 * lock) is reported with an error log and refused instead of deadlocking.
 */
void spdk_spin_lock(struct spdk_spinlock *sspin);

/** Release a spinlock; from a thread that does not hold it: error log, refused. */
void spdk_spin_unlock(struct spdk_spinlock *sspin);

/** \return whether the calling thread holds \p sspin. */
bool spdk_spin_held(struct spdk_spinlock *sspin);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_THREAD_H */
