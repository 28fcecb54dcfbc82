/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Private structures of the bdev layer, shared by bdev.c (registry,
 * descriptors, events, subsystem start and stop, statistics) and bdev_io.c
 * (the I/O path: submission, completion, splitting, bouncing, emulation,
 * reset, abort and the per-thread spdk_bdev_io cache).
 *
 * Threading. Everything in struct spdk_bdev_channel and struct
 * bdev_mgmt_channel belongs to the channel's thread and is touched only
 * there, without locks. The registry (bdev list, names, descriptor lists,
 * claims, bdev status, reset queue, stored statistics) is guarded by
 * g_bdev_mgr.mutex; nothing on the I/O path takes it.
 */

#ifndef UPDK_BDEV_INTERNAL_H
#define UPDK_BDEV_INTERNAL_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/histogram_data.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/thread.h"
#include "spdk/util.h"

/* Size of the zero buffer that emulated WRITE_ZEROES writes from. */
#define ZERO_BUFFER_SIZE 0x100000
/* Alignment of buffers the bdev layer allocates (bounce, NULL-buffer reads). */
#define BDEV_BUF_ALIGN 4096
/* Largest buffer kept in the per-thread buffer cache. */
#define BDEV_BUF_CACHE_MAX_SIZE SPDK_BDEV_LARGE_BUF_MAX_SIZE
/* Children of one split I/O in flight at a time. */
#define BDEV_SPLIT_MAX_OUTSTANDING 32
/* Period of the retry poller of NOMEM and io_wait queues, in microseconds. */
#define BDEV_RETRY_POLL_US 200
/* Chunk of an emulated COMPARE or COPY, in bytes. */
#define BDEV_EMULATION_CHUNK SPDK_BDEV_LARGE_BUF_MAX_SIZE

/* bdev->internal.io_path_flags: why reads and writes may need more than a plain submit. */
#define BDEV_PATH_SPLIT_BOUNDARY 0x1u
#define BDEV_PATH_SPLIT_RW_SIZE 0x2u
#define BDEV_PATH_SPLIT_SEGMENTS 0x4u
#define BDEV_PATH_ALIGN 0x8u
#define BDEV_PATH_SPLIT_WRITE_UNIT 0x10u
#define BDEV_PATH_SPLIT_MASK                                                             \
	(BDEV_PATH_SPLIT_BOUNDARY | BDEV_PATH_SPLIT_RW_SIZE | BDEV_PATH_SPLIT_SEGMENTS | \
	 BDEV_PATH_SPLIT_WRITE_UNIT)

/* bdev_io->internal.flags. */
#define BDEV_IO_F_CHILD 0x01u      /* a child of a split or emulated parent */
#define BDEV_IO_F_BOUNCED 0x02u    /* orig_iovs holds the caller's segments */
#define BDEV_IO_F_EMULATED 0x04u   /* the parent of an emulation */
#define BDEV_IO_F_Q_NOMEM 0x08u    /* on the channel's nomem_io queue */
#define BDEV_IO_F_Q_FROZEN 0x10u   /* on the channel's frozen_io queue */
#define BDEV_IO_F_BUF_CACHED 0x20u /* internal.buf may go back to the buffer cache */
#define BDEV_IO_F_SLOW (BDEV_IO_F_CHILD | BDEV_IO_F_BOUNCED)

/* bdev channel flags: any of them sends I/O off the fast path. */
#define BDEV_CH_FROZEN 0x1u      /* a reset is under way: queue new I/O */
#define BDEV_CH_NOMEM 0x2u       /* the nomem queue is not empty */
#define BDEV_CH_DRAIN_WATCH 0x4u /* someone waits for io_outstanding to reach 0 */

/* Error counters, indexed by -status (1 .. -SPDK_MIN_BDEV_IO_STATUS). */
struct spdk_bdev_io_error_stat {
	uint64_t error_status[-SPDK_MIN_BDEV_IO_STATUS + 1];
};

/* Per-thread state shared by every bdev on the thread: the io_device is
 * &g_bdev_mgr. */
struct bdev_mgmt_channel {
	/* Free spdk_bdev_io objects of this thread (a stack through cache_next). */
	struct spdk_bdev_io *cache;
	uint32_t cache_count;
	/* Objects kept before the surplus returns to the pool. */
	uint32_t cache_max;
	/* Entries of spdk_bdev_queue_io_wait(). */
	TAILQ_HEAD(, spdk_bdev_io_wait_entry) io_wait_queue;
	/* Retries io_wait entries when no I/O of this thread completes. */
	struct spdk_poller *io_wait_poller;
	/* Cached buffers of BDEV_BUF_CACHE_MAX_SIZE bytes (a stack through their
	 * first word). */
	void *buf_cache;
	uint32_t buf_cache_count;
	/* I/O waiting in spdk_bdev_io_get_buf() for memory. */
	bdev_io_stailq_t need_buf;
	struct spdk_thread *thread;
};

/* The bdev layer's channel of one bdev on one thread (the context of the
 * io_device bdev + 1). The fields the fast path reads come first. */
struct spdk_bdev_channel {
	struct spdk_bdev *bdev;
	/* The module's channel. */
	struct spdk_io_channel *channel;
	/* Cached bdev->fn_table->submit_request. */
	void (*submit_request)(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io);
	struct bdev_mgmt_channel *mgmt;
	/* The thread's poll clock (updk__thread_clock()): I/O submitted and
	 * completed while the thread polls are stamped with the time their
	 * message batch or poller began, which saves a TSC read per I/O and
	 * keeps latencies exact to within one poller run. */
	const uint64_t *clock;
	struct spdk_thread *thread;
	/* BDEV_CH_* */
	uint32_t flags;
	/* I/O handed to the module (or queued for NOMEM) and not completed. */
	uint64_t io_outstanding;
	/* Submitted and not yet completed, for abort and timeouts. */
	LIST_HEAD(, spdk_bdev_io) io_submitted;
	struct spdk_histogram_data *histogram;
	uint8_t histogram_io_type;
	struct spdk_bdev_io_stat stat;
	struct spdk_bdev_io_error_stat error_stat;
	/* I/O the module completed with NOMEM, oldest first. */
	bdev_io_tailq_t nomem_io;
	/* Retry when io_outstanding falls to this. */
	uint64_t nomem_threshold;
	struct spdk_poller *nomem_poller;
	/* User I/O submitted while frozen by a reset. */
	bdev_io_tailq_t frozen_io;
	/* Number of I/O on frozen_io. */
	uint64_t frozen_count;
	/* The I/O being resubmitted from nomem_io, or NULL. */
	struct spdk_bdev_io *nomem_retrying;
	/* It went back to NOMEM. */
	bool nomem_requeued;
};

/* An open descriptor. */
struct spdk_bdev_desc {
	struct spdk_bdev *bdev;
	struct spdk_thread *thread;
	spdk_bdev_event_cb_t event_cb;
	void *event_ctx;
	bool write;
	/* A temporary descriptor of the bdev layer (for_each_bdev): no warnings. */
	bool internal;
	bool closed;
	/* Messages (events, timeout scans) in flight that still use the descriptor. */
	uint32_t refs;
	struct spdk_bdev_open_opts opts;
	/* Timeout detection. */
	struct spdk_poller *io_timeout_poller;
	uint64_t timeout_in_sec;
	spdk_bdev_io_timeout_cb cb_fn;
	void *cb_arg;
	/* v2 claim made through this descriptor, or NULL. */
	struct spdk_bdev_module_claim *claim;
	TAILQ_ENTRY(spdk_bdev_desc) link;
};

struct bdev_manager {
	pthread_mutex_t mutex;
	TAILQ_HEAD(spdk_bdev_module_list_head, spdk_bdev_module) modules;
	TAILQ_HEAD(spdk_bdev_list_head, spdk_bdev) bdevs;
	struct spdk_mempool *bdev_io_pool;
	/* Bytes of an spdk_bdev_io including the largest module context. */
	size_t bdev_io_size;
	void *zero_buffer;
	struct spdk_thread *app_thread;
	bool initialized;
	bool init_in_progress;
	bool finish_in_progress;
	/* Examinations under way, over all modules. */
	uint32_t examine_in_progress;
};

extern struct bdev_manager g_bdev_mgr;
extern struct spdk_bdev_opts g_bdev_opts;

static inline void *
bdev_to_io_dev(struct spdk_bdev *bdev)
{
	return (uint8_t *)bdev + 1;
}

static inline struct spdk_bdev *
bdev_from_io_dev(void *io_device)
{
	return (struct spdk_bdev *)((uint8_t *)io_device - 1);
}

static inline struct spdk_bdev_channel *
bdev_channel_from_ch(struct spdk_io_channel *ch)
{
	return (struct spdk_bdev_channel *)((uint8_t *)ch + SPDK_IO_CHANNEL_STRUCT_SIZE);
}

/* bdev_io.c */
int updk__bdev_channel_create(void *io_device, void *ctx_buf);
void updk__bdev_channel_destroy(void *io_device, void *ctx_buf);
int updk__bdev_mgmt_channel_create(void *io_device, void *ctx_buf);
void updk__bdev_mgmt_channel_destroy(void *io_device, void *ctx_buf);
void updk__bdev_channel_abort_queued(struct spdk_bdev_channel *ch);
void updk__bdev_channel_stat_add(struct spdk_bdev_io_stat *total,
				 const struct spdk_bdev_io_stat *add);
void updk__bdev_stat_reset(struct spdk_bdev_io_stat *stat, enum spdk_bdev_reset_stat_mode mode);
void updk__bdev_stat_init(struct spdk_bdev_io_stat *stat);
void updk__bdev_timeout_poller_stop(struct spdk_bdev_desc *desc);
void updk__bdev_freeze_abort_nomem(struct spdk_bdev_channel *ch);

/* bdev.c */
void updk__bdev_device_stat_channel_gone_locked(struct spdk_bdev_channel *ch);
void updk__bdev_desc_unref(struct spdk_bdev_desc *desc);
const char *updk__bdev_thread_name(void);

#endif /* UPDK_BDEV_INTERNAL_H */
