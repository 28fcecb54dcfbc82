/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The io_uring bdev module: a bdev over a regular file or a block device,
 * with one io_uring ring per I/O channel (so per thread, never shared).
 * submit_request only fills submission queue entries; the channel's poller
 * hands the whole batch to the kernel with one io_uring_enter() per poll and
 * reaps the completion queue, so the cost of the system call is shared by
 * every I/O of the poll. When a few polls in a row find nothing to reap
 * while I/O is in flight, the device is the limit: the poller then submits
 * and sleeps until the next completion in that same io_uring_enter() (for at
 * most updk_bdev_uring_set_poll_wait() microseconds), so that a slow device
 * costs no CPU spent spinning. Unmap and write zeroes go through fallocate(), or
 * through writes of zeroes where the file system refuses it. Reset waits
 * until every channel has nothing in flight.
 *
 * Ring flags. IORING_SETUP_COOP_TASKRUN with IORING_SETUP_TASKRUN_FLAG
 * (completion work runs when the poller next enters the kernel, which the
 * flag tells it to do), IORING_SETUP_SUBMIT_ALL and a completion queue twice
 * the submission queue; each flag is dropped again when the kernel does not
 * know it. IORING_SETUP_SINGLE_ISSUER and IORING_SETUP_DEFER_TASKRUN are not
 * used: such a ring accepts submissions, and posts completions, only for the
 * OS thread that created it, and an spdk_thread can move to another reactor
 * (spdk_thread_set_cpumask()), which would strand its I/O; on bound threads,
 * which never move, they measured slower here (bench/uring_aio) because every
 * completion batch then needs an io_uring_enter() of its own. The file is a
 * registered file and the ring fd a registered ring fd when the kernel allows.
 *
 * Registered buffers. A read or write of one segment whose buffer lies in a
 * region of lib/env's memory map (a block of 2 MiB or more from
 * spdk_malloc() or spdk_dma_malloc(), or memory given to spdk_mem_register())
 * uses IORING_OP_READ_FIXED or IORING_OP_WRITE_FIXED, which spares the kernel
 * pinning the pages on every I/O. Each channel registers a sparse table of
 * URING_FIXED_SLOTS buffers when it is created (Linux 5.13 and later), and
 * registers a window of a region (the region itself, or URING_FIXED_WINDOW of
 * it) only when an I/O buffer first falls in it, so that memory is pinned
 * only once it is used for I/O. Everything else (vectors, heap buffers, a
 * buffer across a window's edge, a full table) takes the ordinary path. When
 * the kernel refuses a registration (RLIMIT_MEMLOCK, for an unprivileged
 * process), the channel logs one notice and registers no more buffers (those
 * it has stay in use).
 * The environment variable UPDK_URING_FIXED_BUFFERS=0, read at module
 * initialisation, turns them off for channels created afterwards (for
 * comparison; 1, the default, leaves them on).
 *
 * A freed region. A slot holds the pages of its window as they were when it
 * was registered; if the region is freed and the address range mapped again,
 * the slot still points at the old pages. Rule: a slot is used only for the
 * region id (unique, never reused) it was registered for, and that id comes
 * from a memory-map lookup made at submission, when the caller guarantees
 * that the buffer is live; the channel's cache of its last lookup is trusted
 * only while the map's generation is unchanged, and the map changes
 * generation before a freed block is unmapped. A stale slot is thus never
 * used; it is cleared (unpinning the old pages) by the next lookup that sees
 * a new generation.
 */

#include "spdk/stdinc.h"

#include <liburing.h>

#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "updk_internal/bdev.h"
#include "spdk/util.h"
#include "updk/bdev_uring.h"
#include "updk/string.h"
#include "updk_internal/bdev_uring.h"
#include "updk_internal/env.h"

#include "../file/bdev_file.h"

/* Submission queue entries per ring; the completion queue has twice as many,
 * and the channel never has more I/O in the kernel than that. */
#define URING_SQ_ENTRIES 512
#define URING_CQ_ENTRIES (2 * URING_SQ_ENTRIES)
/* Completions taken off the ring at a time. */
#define URING_REAP_BATCH 64
/* Polls that found nothing before the poller starts waiting in the kernel. */
#define URING_IDLE_POLLS_BEFORE_WAIT 4
/* Registered buffers per ring. */
#define URING_FIXED_SLOTS 64
/* Most of a region one registered buffer covers: larger regions are
 * registered a window at a time, so that a small I/O buffer in a large
 * region does not pin all of it. A multiple of 2 MiB (huge pages), and at
 * most the kernel's limit of 1 GiB. */
#define URING_FIXED_WINDOW (UINT64_C(64) * 1024 * 1024)

/* What the SQE of a task in flight does. */
enum bdev_uring_task_op {
	/* A read or write of the caller's data. */
	URING_TASK_RW,
	/* fdatasync(). */
	URING_TASK_FLUSH,
	/* fallocate() with the zero mode in task->zero_mode. */
	URING_TASK_FALLOC,
	/* A write of zeroes from the shared zero buffer. */
	URING_TASK_ZERO_WRITE,
};

/* Per-I/O context (driver_ctx). A task has at most one SQE in the kernel. */
struct bdev_uring_task {
	struct bdev_uring_channel *ch;
	/* The buffer of the SQE in flight, or NULL when it takes the I/O's iovecs. */
	uint8_t *buf;
	/* Bytes the SQE in flight must transfer. */
	uint64_t len;
	/* Byte offset of the SQE in flight. */
	uint64_t offset;
	/* End of the I/O's range in bytes (read, write, unmap, write zeroes). */
	uint64_t end;
	/* enum bdev_uring_task_op */
	uint8_t op;
	/* enum bdev_file_zero_mode of the fallocate() in flight. */
	uint8_t zero_mode;
	/* The task is an unmap (else write zeroes, when zeroing). */
	bool unmap;
	/* Registered buffer holding buf, or -1. */
	int16_t buf_index;
};

/* A registered buffer: a window of a memory-map region. */
struct bdev_uring_fixed_slot {
	/* Region id (struct updk_mem_region); 0 when the slot is free. */
	uint64_t region_id;
	uintptr_t base;
	uintptr_t len;
};

/* A channel's registered buffers; only the channel's thread touches them. */
struct bdev_uring_fixed {
	/* The last lookup: [cache_base, cache_base + cache_len) is in
	 * registered buffer cache_index (-1: in none) while the memory map's
	 * generation is cache_gen (odd: no valid lookup). */
	uint64_t cache_gen;
	uintptr_t cache_base;
	uintptr_t cache_len;
	int32_t cache_index;
	/* The table is registered: registered buffers are in use. */
	bool enabled;
	/* The kernel refused a buffer: no more are registered (the ones
	 * registered stay in use). */
	bool refused;
	/* Slots in the kernel's table (0: no table). */
	uint32_t nslots;
	/* Slots holding a buffer. */
	uint32_t used;
	/* Memory-map generation at which the slots were last checked for
	 * freed regions. */
	uint64_t swept_gen;
	/* SQEs submitted with a registered buffer. */
	uint64_t fixed_ios;
	/* Buffers registered, in total. */
	uint64_t registrations;
	struct bdev_uring_fixed_slot slots[URING_FIXED_SLOTS];
};

struct bdev_uring_channel {
	/* The ring; only this channel's thread touches it. */
	struct io_uring ring;
	struct bdev_file_disk *disk;
	struct spdk_poller *poller;
	/* The fd that SQEs name: index 0 of the registered files, or the file's fd. */
	int fd;
	/* SQEs filled in and not yet handed to the kernel. */
	uint32_t queued;
	/* SQEs in the kernel whose completion was not reaped yet. */
	uint32_t inflight;
	/* Most queued + inflight; more is refused with NOMEM. */
	uint32_t max_outstanding;
	/* Consecutive polls that found nothing to reap. */
	uint32_t idle_polls;
	/* The file is registered with the ring (IOSQE_FIXED_FILE). */
	bool fixed_file;
	/* The kernel takes a timeout with io_uring_enter() (IORING_FEAT_EXT_ARG). */
	bool ext_arg;
	/* A failed io_uring_enter() was logged (logged once per channel). */
	bool submit_error_logged;
	/* A reset waits for this channel to drain. */
	struct spdk_io_channel_iter *reset_iter;
	struct bdev_uring_fixed fixed;
};

static uint32_t g_uring_max_wait_us = UPDK_BDEV_URING_DEFAULT_WAIT_US;
/* New channels use registered buffers (relaxed atomic; any thread). */
static bool g_uring_fixed_buffers = true;

static int bdev_uring_module_init(void);
static void bdev_uring_module_fini(void);
static int bdev_uring_get_ctx_size(void);

static struct spdk_bdev_module g_uring_if = {
	.name = "uring",
	.module_init = bdev_uring_module_init,
	.module_fini = bdev_uring_module_fini,
	.get_ctx_size = bdev_uring_get_ctx_size,
};

SPDK_BDEV_MODULE_REGISTER(uring, &g_uring_if)

static int
bdev_uring_module_init(void)
{
	const char *v = getenv("UPDK_URING_FIXED_BUFFERS");

	if (v == NULL || strcmp(v, "1") == 0) {
		updk__bdev_uring_set_fixed_buffers(true);
	} else if (strcmp(v, "0") == 0) {
		updk__bdev_uring_set_fixed_buffers(false);
	} else {
		/* A tuning knob: a typo should not stop the bdev layer. */
		SPDK_WARNLOG("UPDK_URING_FIXED_BUFFERS=%s is neither 0 nor 1; registered "
			     "buffers stay on\n",
			     v);
		updk__bdev_uring_set_fixed_buffers(true);
	}
	return 0;
}

static void
bdev_uring_module_fini(void)
{
}

static int
bdev_uring_get_ctx_size(void)
{
	return (int)sizeof(struct bdev_uring_task);
}

void
updk_bdev_uring_set_poll_wait(uint32_t max_wait_us)
{
	__atomic_store_n(&g_uring_max_wait_us, max_wait_us, __ATOMIC_RELAXED);
}

void
updk__bdev_uring_set_fixed_buffers(bool enable)
{
	__atomic_store_n(&g_uring_fixed_buffers, enable, __ATOMIC_RELAXED);
}

/* ---- registered buffers ---- */

static void
bdev_uring_fixed_init(struct bdev_uring_channel *ch)
{
	struct bdev_uring_fixed *fx = &ch->fixed;
	struct iovec iovs[URING_FIXED_SLOTS];
	__u64 tags[URING_FIXED_SLOTS];
	int rc;

	fx->cache_gen = 1;
	fx->cache_index = -1;
	fx->swept_gen = 1;
	if (!__atomic_load_n(&g_uring_fixed_buffers, __ATOMIC_RELAXED)) {
		return;
	}
	rc = io_uring_register_buffers_sparse(&ch->ring, URING_FIXED_SLOTS);
	if (rc != 0) {
		/* Before Linux 5.19 there is no sparse flag, but from 5.13 on
		 * a table of empty entries does the same. */
		memset(iovs, 0, sizeof(iovs));
		memset(tags, 0, sizeof(tags));
		rc = io_uring_register_buffers_tags(&ch->ring, iovs, tags, URING_FIXED_SLOTS);
	}
	if (rc != 0) {
		/* Older kernels: no buffer could be registered lazily. */
		return;
	}
	fx->nslots = URING_FIXED_SLOTS;
	fx->enabled = true;
}

/* Points slot i at iov (an empty iovec clears it). Tag 0: the kernel posts
 * no completion when it lets go of the old buffer. */
static int
bdev_uring_fixed_update(struct bdev_uring_channel *ch, uint32_t i, struct iovec *iov)
{
	__u64 tag = 0;
	int rc;

	rc = io_uring_register_buffers_update_tag(&ch->ring, i, iov, &tag, 1);
	return rc == 1 ? 0 : rc < 0 ? rc : -EIO;
}

/* Clears the slots whose region has left the memory map, which unpins the
 * old pages (the kernel keeps them until I/O still using them completes).
 * Returns false when the map was too busy to tell for every slot. */
static bool
bdev_uring_fixed_sweep(struct bdev_uring_channel *ch)
{
	struct bdev_uring_fixed *fx = &ch->fixed;
	struct bdev_uring_fixed_slot *slot;
	struct iovec empty = {NULL, 0};
	struct updk_mem_region r;
	uint64_t gen;
	bool complete = true;
	uint32_t i;
	int rc;

	for (i = 0; i < fx->nslots && fx->used > 0; i++) {
		slot = &fx->slots[i];
		if (slot->region_id == 0) {
			continue;
		}
		rc = updk__mem_region_find((void *)slot->base, slot->len, &r, &gen);
		if (rc == -EAGAIN) {
			complete = false;
			continue;
		}
		if (rc == 0 && r.id == slot->region_id) {
			continue;
		}
		/* Should clearing fail, the slot is overwritten when reused. */
		(void)bdev_uring_fixed_update(ch, i, &empty);
		slot->region_id = 0;
		fx->used--;
	}
	return complete;
}

/* Registers the window [base, base + len) of region id; returns its slot,
 * or -1 when the table is full or the kernel refuses (after which the
 * channel registers no more). */
static int32_t
bdev_uring_fixed_register(struct bdev_uring_channel *ch, uint64_t id, uintptr_t base, uintptr_t len)
{
	struct bdev_uring_fixed *fx = &ch->fixed;
	struct iovec iov = {(void *)base, len};
	uint32_t i;
	int rc;

	if (fx->used == fx->nslots || fx->refused) {
		return -1;
	}
	i = 0;
	while (fx->slots[i].region_id != 0) {
		i++;
	}
	rc = bdev_uring_fixed_update(ch, i, &iov);
	if (rc != 0) {
		fx->refused = true;
		SPDK_NOTICELOG("bdev %s: thread %s cannot register a %" PRIuPTR
			       "-byte I/O buffer with io_uring (%s); it registers no more, and "
			       "I/O from buffers not registered takes the ordinary path "
			       "(RLIMIT_MEMLOCK limits what an unprivileged process may pin; "
			       "UPDK_URING_FIXED_BUFFERS=0 turns registered buffers off)\n",
			       ch->disk->bdev.name, spdk_thread_get_name(spdk_get_thread()), len,
			       spdk_strerror(-rc));
		return -1;
	}
	fx->slots[i].region_id = id;
	fx->slots[i].base = base;
	fx->slots[i].len = len;
	fx->used++;
	fx->registrations++;
	return (int32_t)i;
}

/* The slow path of bdev_uring_fixed_index(): a memory-map lookup, and a
 * registration the first time a window is used. */
static int32_t
bdev_uring_fixed_lookup(struct bdev_uring_channel *ch, const void *buf, uint64_t len)
{
	struct bdev_uring_fixed *fx = &ch->fixed;
	uintptr_t addr = (uintptr_t)buf, wbase, wlen;
	struct updk_mem_region r;
	int32_t index = -1;
	uint64_t gen;
	uint32_t i;
	int rc;

	rc = updk__mem_region_find(buf, len, &r, &gen);
	if (rc == -EAGAIN) {
		/* The map is being changed: this I/O goes the ordinary way. */
		return -1;
	}
	if (gen != fx->swept_gen && bdev_uring_fixed_sweep(ch)) {
		fx->swept_gen = gen;
	}
	if (rc == 0) {
		wbase = r.base + (addr - r.base) / URING_FIXED_WINDOW * URING_FIXED_WINDOW;
		wlen = spdk_min((uintptr_t)URING_FIXED_WINDOW, r.base + r.len - wbase);
		if (addr + len - wbase <= wlen) {
			for (i = 0; i < fx->nslots; i++) {
				if (fx->slots[i].region_id == r.id && fx->slots[i].base == wbase) {
					index = (int32_t)i;
					break;
				}
			}
			if (index < 0) {
				index = bdev_uring_fixed_register(ch, r.id, wbase, wlen);
			}
			r.base = wbase;
			r.len = wlen;
		} else {
			/* Across the edge of a window: not cached. */
			r.len = 0;
		}
	}
	fx->cache_gen = gen;
	fx->cache_base = r.base;
	fx->cache_len = r.len;
	fx->cache_index = index;
	return index;
}

/* The registered buffer that holds [buf, buf + len), or -1. Costs a compare
 * and one atomic load while I/O keeps coming from the same buffer window (or
 * from the same gap between regions). */
static inline int32_t
bdev_uring_fixed_index(struct bdev_uring_channel *ch, const void *buf, uint64_t len)
{
	struct bdev_uring_fixed *fx = &ch->fixed;
	uintptr_t off = (uintptr_t)buf - fx->cache_base;

	if (spdk_likely(off < fx->cache_len && len <= fx->cache_len - off &&
			updk__mem_region_gen() == fx->cache_gen)) {
		return fx->cache_index;
	}
	return bdev_uring_fixed_lookup(ch, buf, len);
}

/* Sets the single buffer of a read or write about to be queued. */
static inline void
bdev_uring_task_set_buf(struct bdev_uring_channel *ch, struct bdev_uring_task *task, void *buf)
{
	task->buf = buf;
	task->buf_index = -1;
	if (ch->fixed.enabled) {
		task->buf_index = (int16_t)bdev_uring_fixed_index(ch, buf, task->len);
	}
}

/* ---- submission ---- */

static void bdev_uring_task_done(struct bdev_uring_task *task, int res);

static inline struct spdk_bdev_io *
bdev_uring_task_io(struct bdev_uring_task *task)
{
	return spdk_bdev_io_from_ctx(task);
}

static inline void
bdev_uring_task_complete(struct bdev_uring_task *task, int res)
{
	bdev_file_io_complete(bdev_uring_task_io(task), res);
}

/*
 * After a hard io_uring_enter() failure the kernel consumed none of the
 * queued SQEs. Take them back (only this thread writes the SQ tail; there is
 * no SQPOLL) and fail their I/O, so that nothing is left waiting forever.
 */
static void
bdev_uring_reclaim_sqes(struct bdev_uring_channel *ch, int err)
{
	struct io_uring_sq *sq = &ch->ring.sq;
	unsigned head = io_uring_smp_load_acquire(sq->khead);
	unsigned tail = sq->sqe_tail;
	unsigned i;

	io_uring_smp_store_release(sq->ktail, head);
	sq->sqe_head = head;
	sq->sqe_tail = head;
	ch->queued = 0;
	for (i = head; i != tail; i++) {
		struct io_uring_sqe *sqe = &sq->sqes[i & sq->ring_mask];

		bdev_uring_task_complete((struct bdev_uring_task *)(uintptr_t)sqe->user_data, err);
	}
}

/*
 * Hand every queued SQE to the kernel and, when \p wait_us is not 0, sleep
 * there until a completion arrives or \p wait_us pass: one system call
 * either way.
 */
static void
bdev_uring_enter(struct bdev_uring_channel *ch, uint32_t wait_us)
{
	struct __kernel_timespec ts;
	struct io_uring_cqe *cqe;
	uint32_t before = ch->queued, left;
	int rc;

	if (wait_us == 0) {
		if (before == 0) {
			return;
		}
		rc = io_uring_submit(&ch->ring);
	} else {
		ts.tv_sec = wait_us / 1000000;
		ts.tv_nsec = (long long)(wait_us % 1000000) * 1000;
		rc = io_uring_submit_and_wait_timeout(&ch->ring, &cqe, 1, &ts, NULL);
	}
	/* Count what the kernel took from the ring itself: a wait that times
	 * out after submitting returns -ETIME, not the count. */
	left = io_uring_sq_ready(&ch->ring);
	if (left < before) {
		ch->queued -= before - left;
		ch->inflight += before - left;
	}
	if (spdk_likely(rc >= 0) || rc == -ETIME || rc == -EAGAIN || rc == -EBUSY || rc == -EINTR ||
	    ch->queued == 0) {
		/* Out of kernel resources or interrupted: what is still queued
		 * goes with the next poll, after some completions are reaped. */
		return;
	}
	if (!ch->submit_error_logged) {
		ch->submit_error_logged = true;
		SPDK_ERRLOG("bdev %s: io_uring_enter() failed on thread %s: %s; failing the "
			    "queued I/O\n",
			    ch->disk->bdev.name, spdk_thread_get_name(spdk_get_thread()),
			    spdk_strerror(-rc));
	}
	bdev_uring_reclaim_sqes(ch, rc);
}

static inline struct io_uring_sqe *
bdev_uring_get_sqe(struct bdev_uring_channel *ch)
{
	struct io_uring_sqe *sqe;

	sqe = io_uring_get_sqe(&ch->ring);
	if (spdk_unlikely(sqe == NULL)) {
		/* A full submission queue is a batch worth a system call. */
		bdev_uring_enter(ch, 0);
		sqe = io_uring_get_sqe(&ch->ring);
		if (sqe == NULL) {
			return NULL;
		}
	}
	ch->queued++;
	return sqe;
}

/* After the prep helper, which clears the flags. */
static inline void
bdev_uring_sqe_finish(struct bdev_uring_channel *ch, struct io_uring_sqe *sqe,
		      struct bdev_uring_task *task)
{
	io_uring_sqe_set_data(sqe, task);
	if (ch->fixed_file) {
		sqe->flags |= IOSQE_FIXED_FILE;
	}
}

/* Queue the next SQE of a read or write (task->buf/len/offset already set
 * for a single segment). Returns false when no SQE is available. */
static bool
bdev_uring_queue_rw(struct bdev_uring_channel *ch, struct bdev_uring_task *task)
{
	struct spdk_bdev_io *bdev_io = bdev_uring_task_io(task);
	bool read = bdev_io->type == SPDK_BDEV_IO_TYPE_READ;
	struct io_uring_sqe *sqe;

	sqe = bdev_uring_get_sqe(ch);
	if (spdk_unlikely(sqe == NULL)) {
		return false;
	}
	task->op = URING_TASK_RW;
	if (task->buf != NULL && task->buf_index >= 0) {
		if (read) {
			io_uring_prep_read_fixed(sqe, ch->fd, task->buf, (unsigned)task->len,
						 task->offset, task->buf_index);
		} else {
			io_uring_prep_write_fixed(sqe, ch->fd, task->buf, (unsigned)task->len,
						  task->offset, task->buf_index);
		}
		ch->fixed.fixed_ios++;
	} else if (task->buf != NULL) {
		if (read) {
			io_uring_prep_read(sqe, ch->fd, task->buf, (unsigned)task->len,
					   task->offset);
		} else {
			io_uring_prep_write(sqe, ch->fd, task->buf, (unsigned)task->len,
					    task->offset);
		}
	} else {
		if (read) {
			io_uring_prep_readv(sqe, ch->fd, bdev_io->u.bdev.iovs,
					    (unsigned)bdev_io->u.bdev.iovcnt, task->offset);
		} else {
			io_uring_prep_writev(sqe, ch->fd, bdev_io->u.bdev.iovs,
					     (unsigned)bdev_io->u.bdev.iovcnt, task->offset);
		}
	}
	bdev_uring_sqe_finish(ch, sqe, task);
	return true;
}

static bool
bdev_uring_queue_zero(struct bdev_uring_channel *ch, struct bdev_uring_task *task)
{
	struct bdev_file_disk *disk = ch->disk;
	struct io_uring_sqe *sqe;
	int mode;

	sqe = bdev_uring_get_sqe(ch);
	if (spdk_unlikely(sqe == NULL)) {
		return false;
	}
	mode = __atomic_load_n(task->unmap ? &disk->unmap_mode : &disk->zero_mode,
			       __ATOMIC_RELAXED);
	task->zero_mode = (uint8_t)mode;
	if (mode != BDEV_FILE_ZERO_WRITE) {
		task->op = URING_TASK_FALLOC;
		io_uring_prep_fallocate(sqe, ch->fd, updk__bdev_file_falloc_flags(mode),
					(off_t)task->offset, (off_t)(task->end - task->offset));
	} else {
		task->op = URING_TASK_ZERO_WRITE;
		task->len = spdk_min(task->end - task->offset, (uint64_t)BDEV_FILE_ZERO_CHUNK);
		io_uring_prep_write(sqe, ch->fd, updk__bdev_file_zero_buf(), (unsigned)task->len,
				    task->offset);
	}
	bdev_uring_sqe_finish(ch, sqe, task);
	return true;
}

static void
bdev_uring_get_buf_cb(struct spdk_io_channel *_ch, struct spdk_bdev_io *bdev_io, bool success)
{
	struct bdev_uring_channel *ch = spdk_io_channel_get_ctx(_ch);
	struct bdev_uring_task *task = (struct bdev_uring_task *)bdev_io->driver_ctx;

	if (!success) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	if (bdev_io->u.bdev.iovcnt == 1 && task->len <= UINT32_MAX) {
		bdev_uring_task_set_buf(ch, task, bdev_io->u.bdev.iovs[0].iov_base);
	}
	if (!bdev_uring_queue_rw(ch, task)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
	}
}

static void
bdev_uring_reset_channel(struct spdk_io_channel_iter *i)
{
	struct bdev_uring_channel *ch =
		spdk_io_channel_get_ctx(spdk_io_channel_iter_get_channel(i));

	if (ch->queued == 0 && ch->inflight == 0) {
		spdk_for_each_channel_continue(i, 0);
		return;
	}
	/* The poller continues the iteration once this channel has drained. */
	assert(ch->reset_iter == NULL);
	ch->reset_iter = i;
}

static void
bdev_uring_submit_request(struct spdk_io_channel *_ch, struct spdk_bdev_io *bdev_io)
{
	struct bdev_uring_channel *ch = spdk_io_channel_get_ctx(_ch);
	struct bdev_uring_task *task = (struct bdev_uring_task *)bdev_io->driver_ctx;
	uint32_t blocklen = bdev_io->bdev->blocklen;
	struct io_uring_sqe *sqe;

	task->ch = ch;
	if (spdk_unlikely(ch->queued + ch->inflight >= ch->max_outstanding &&
			  bdev_io->type != SPDK_BDEV_IO_TYPE_RESET)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
		return;
	}

	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
		task->offset = bdev_io->u.bdev.offset_blocks * blocklen;
		task->len = bdev_io->u.bdev.num_blocks * blocklen;
		task->end = task->offset + task->len;
		task->buf = NULL;
		if (spdk_unlikely(bdev_io->u.bdev.iovs[0].iov_base == NULL)) {
			spdk_bdev_io_get_buf(bdev_io, bdev_uring_get_buf_cb, task->len);
			return;
		}
		if (bdev_io->u.bdev.iovcnt == 1 && task->len <= UINT32_MAX) {
			bdev_uring_task_set_buf(ch, task, bdev_io->u.bdev.iovs[0].iov_base);
		}
		if (spdk_unlikely(!bdev_uring_queue_rw(ch, task))) {
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
		}
		return;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		sqe = bdev_uring_get_sqe(ch);
		if (spdk_unlikely(sqe == NULL)) {
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
			return;
		}
		task->op = URING_TASK_FLUSH;
		io_uring_prep_fsync(sqe, ch->fd, IORING_FSYNC_DATASYNC);
		bdev_uring_sqe_finish(ch, sqe, task);
		return;
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		task->unmap = bdev_io->type == SPDK_BDEV_IO_TYPE_UNMAP;
		task->offset = bdev_io->u.bdev.offset_blocks * blocklen;
		task->end = task->offset + bdev_io->u.bdev.num_blocks * blocklen;
		if (task->end == task->offset) {
			/* Completing inside submit_request is allowed; the layer
			 * defers the callback. */
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
			return;
		}
		if (spdk_unlikely(!bdev_uring_queue_zero(ch, task))) {
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
		}
		return;
	case SPDK_BDEV_IO_TYPE_RESET:
		spdk_for_each_channel(ch->disk, bdev_uring_reset_channel, bdev_io,
				      updk__bdev_file_reset_done);
		return;
	default:
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
}

/* ---- completion ---- */

static void
bdev_uring_rw_done(struct bdev_uring_task *task, int res)
{
	struct spdk_bdev_io *bdev_io = bdev_uring_task_io(task);
	bool read = bdev_io->type == SPDK_BDEV_IO_TYPE_READ;
	void *buf;

	if (spdk_likely((uint64_t)res == task->len && task->offset + task->len == task->end)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
		return;
	}
	if (res < 0) {
		spdk_bdev_io_complete_aio_status(bdev_io, res);
		return;
	}
	if (res == 0) {
		/* Nothing more to read: the file ends before the bdev does. */
		spdk_bdev_io_complete_aio_status(bdev_io, read ? -ENODATA : -EIO);
		return;
	}
	/* A short transfer (or one piece of the rest of one): ask for the rest,
	 * one buffer at a time, so that the error that stopped the kernel (EIO,
	 * ENOSPC, EFBIG, end of file) is the one reported. */
	if (bdev_file_rw_advance(bdev_io, (uint64_t)res, &task->offset, task->end, &buf,
				 &task->len)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
		return;
	}
	bdev_uring_task_set_buf(task->ch, task, buf);
	if (!bdev_uring_queue_rw(task->ch, task)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
	}
}

static void
bdev_uring_zero_done(struct bdev_uring_task *task, int res)
{
	struct bdev_file_disk *disk = task->ch->disk;
	struct spdk_bdev_io *bdev_io = bdev_uring_task_io(task);
	enum bdev_file_zero_mode next;

	if (task->op == URING_TASK_FALLOC) {
		if (res == 0) {
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
			return;
		}
		next = updk__bdev_file_zero_fallback(task->zero_mode, res);
		if (next == task->zero_mode) {
			spdk_bdev_io_complete_aio_status(bdev_io, res);
			return;
		}
		/* Any thread may lower the mode; a lost race costs one retry. */
		__atomic_store_n(task->unmap ? &disk->unmap_mode : &disk->zero_mode, (int)next,
				 __ATOMIC_RELAXED);
	} else {
		if (res <= 0) {
			spdk_bdev_io_complete_aio_status(bdev_io, res < 0 ? res : -EIO);
			return;
		}
		task->offset += (uint64_t)res;
		if (task->offset >= task->end) {
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
			return;
		}
	}
	if (!bdev_uring_queue_zero(task->ch, task)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
	}
}

static void
bdev_uring_task_done(struct bdev_uring_task *task, int res)
{
	switch (task->op) {
	case URING_TASK_RW:
		bdev_uring_rw_done(task, res);
		break;
	case URING_TASK_FLUSH:
		bdev_uring_task_complete(task, res < 0 ? res : 0);
		break;
	case URING_TASK_FALLOC:
	case URING_TASK_ZERO_WRITE:
		bdev_uring_zero_done(task, res);
		break;
	default:
		assert(false);
		bdev_uring_task_complete(task, -EIO);
		break;
	}
}

static int
bdev_uring_reap(struct bdev_uring_channel *ch)
{
	struct io_uring_cqe *cqes[URING_REAP_BATCH];
	struct bdev_uring_task *tasks[URING_REAP_BATCH];
	int res[URING_REAP_BATCH];
	unsigned n, i;
	int total = 0;

	do {
		n = io_uring_peek_batch_cqe(&ch->ring, cqes, URING_REAP_BATCH);
		for (i = 0; i < n; i++) {
			tasks[i] = io_uring_cqe_get_data(cqes[i]);
			res[i] = cqes[i]->res;
		}
		/* Free the CQ slots before completing: completion callbacks
		 * submit new I/O. */
		io_uring_cq_advance(&ch->ring, n);
		for (i = 0; i < n; i++) {
			/* One at a time, so that the tasks not handled yet
			 * still count against max_outstanding while callbacks
			 * submit: some queue another SQE (the rest of a short
			 * transfer, the next chunk of zeroes). */
			assert(ch->inflight > 0);
			ch->inflight--;
			bdev_uring_task_done(tasks[i], res[i]);
		}
		total += (int)n;
	} while (n == URING_REAP_BATCH);
	return total;
}

static int
bdev_uring_poll(void *arg)
{
	struct bdev_uring_channel *ch = arg;
	uint32_t wait_us;
	bool wait;
	int reaped;

	if (ch->queued == 0 && ch->inflight == 0) {
		return SPDK_POLLER_IDLE;
	}
	/* After a few polls that found nothing while I/O was in flight, the
	 * device is the bottleneck: from then on, submit and sleep until the
	 * next completion in one system call instead of spinning. Without
	 * IORING_FEAT_EXT_ARG liburing would queue a timeout SQE for the wait,
	 * whose completion the reaping below does not expect: no waiting then. */
	wait_us = __atomic_load_n(&g_uring_max_wait_us, __ATOMIC_RELAXED);
	wait = wait_us != 0 && ch->ext_arg && ch->idle_polls >= URING_IDLE_POLLS_BEFORE_WAIT &&
	       io_uring_cq_ready(&ch->ring) == 0;
	bdev_uring_enter(ch, wait ? wait_us : 0);
	reaped = bdev_uring_reap(ch);
	if (!wait) {
		if (reaped == 0 && ch->inflight > 0) {
			ch->idle_polls++;
		} else {
			ch->idle_polls = 0;
		}
	}
	if (spdk_unlikely(ch->reset_iter != NULL) && ch->queued == 0 && ch->inflight == 0) {
		struct spdk_io_channel_iter *i = ch->reset_iter;

		ch->reset_iter = NULL;
		spdk_for_each_channel_continue(i, 0);
	}
	/* Busy while I/O is in flight, so that the reactor does not sleep on it. */
	return (reaped > 0 || ch->inflight > 0 || ch->queued > 0) ? SPDK_POLLER_BUSY
								  : SPDK_POLLER_IDLE;
}

/* ---- channels ---- */

static int
bdev_uring_ring_init(struct bdev_uring_channel *ch, struct bdev_file_disk *disk)
{
	const unsigned base = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL;
	unsigned try_flags[3];
	struct io_uring_params p;
	unsigned ntries = 0, t;
	int rc = -EINVAL;

	try_flags[ntries++] = base | IORING_SETUP_COOP_TASKRUN | IORING_SETUP_TASKRUN_FLAG;
	try_flags[ntries++] = IORING_SETUP_CQSIZE;
	try_flags[ntries++] = 0;

	for (t = 0; t < ntries; t++) {
		memset(&p, 0, sizeof(p));
		p.flags = try_flags[t];
		p.cq_entries = URING_CQ_ENTRIES;
		rc = io_uring_queue_init_params(URING_SQ_ENTRIES, &ch->ring, &p);
		if (rc != -EINVAL) {
			break;
		}
	}
	if (rc != 0) {
		SPDK_ERRLOG("bdev %s: cannot create an io_uring for thread %s: %s\n",
			    disk->bdev.name, spdk_thread_get_name(spdk_get_thread()),
			    spdk_strerror(-rc));
		return rc;
	}
	ch->ext_arg = (p.features & IORING_FEAT_EXT_ARG) != 0;
	ch->max_outstanding = (p.flags & IORING_SETUP_CQSIZE) ? p.cq_entries : 2 * p.sq_entries;

	/* A registered file spares the kernel a file reference per I/O, a
	 * registered ring fd one per system call; both are optional. */
	if (io_uring_register_files(&ch->ring, &disk->file.fd, 1) == 0) {
		ch->fixed_file = true;
		ch->fd = 0;
	} else {
		ch->fd = disk->file.fd;
	}
	(void)io_uring_register_ring_fd(&ch->ring);
	return 0;
}

static int
bdev_uring_channel_create(void *io_device, void *ctx_buf)
{
	struct bdev_file_disk *disk = io_device;
	struct bdev_uring_channel *ch = ctx_buf;
	int rc;

	memset(ch, 0, sizeof(*ch));
	ch->disk = disk;
	rc = bdev_uring_ring_init(ch, disk);
	if (rc != 0) {
		return rc;
	}
	bdev_uring_fixed_init(ch);
	ch->poller = SPDK_POLLER_REGISTER(bdev_uring_poll, ch, 0);
	if (ch->poller == NULL) {
		SPDK_ERRLOG("bdev %s: cannot register the completion poller\n", disk->bdev.name);
		io_uring_queue_exit(&ch->ring);
		return -ENOMEM;
	}
	return 0;
}

static void
bdev_uring_channel_destroy(void *io_device, void *ctx_buf)
{
	struct bdev_uring_channel *ch = ctx_buf;
	struct io_uring_cqe *cqe;

	if (ch->queued != 0 || ch->inflight != 0) {
		/* The bdev layer releases a channel only once its I/O is done;
		 * should that ever fail, still wait for the kernel, which may be
		 * writing into the callers' buffers. */
		SPDK_ERRLOG("bdev %s: channel released with %" PRIu32 " I/O in flight; "
			    "waiting for the kernel\n",
			    ch->disk->bdev.name, ch->queued + ch->inflight);
		(void)io_uring_submit(&ch->ring);
		ch->inflight += ch->queued;
		while (ch->inflight > 0 && io_uring_wait_cqe(&ch->ring, &cqe) == 0) {
			io_uring_cqe_seen(&ch->ring, cqe);
			ch->inflight--;
		}
	}
	spdk_poller_unregister(&ch->poller);
	io_uring_queue_exit(&ch->ring);
}

/* ---- bdev function table ---- */

static bool
bdev_uring_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type)
{
	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_FLUSH:
	case SPDK_BDEV_IO_TYPE_RESET:
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		return true;
	default:
		return false;
	}
}

static int
bdev_uring_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_file_disk *disk = ctx;

	spdk_json_write_named_object_begin(w, "uring");
	spdk_json_write_named_string(w, "filename", disk->filename);
	spdk_json_write_named_bool(w, "direct_io", disk->file.direct);
	spdk_json_write_object_end(w);
	return 0;
}

static void
bdev_uring_write_config_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	struct bdev_file_disk *disk = bdev->ctxt;

	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", "bdev_uring_create");
	spdk_json_write_named_object_begin(w, "params");
	spdk_json_write_named_string(w, "name", bdev->name);
	spdk_json_write_named_uint32(w, "block_size", bdev->blocklen);
	spdk_json_write_named_string(w, "filename", disk->filename);
	spdk_json_write_named_uuid(w, "uuid", &bdev->uuid);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
}

static const struct spdk_bdev_fn_table g_uring_fn_table = {
	.destruct = updk__bdev_file_disk_destruct,
	.submit_request = bdev_uring_submit_request,
	.io_type_supported = bdev_uring_io_type_supported,
	.get_io_channel = updk__bdev_file_disk_get_io_channel,
	.dump_info_json = bdev_uring_dump_info_json,
	.write_config_json = bdev_uring_write_config_json,
};

/* ---- create, delete, rescan ---- */

/* Fail early, and say why, where io_uring is not allowed at all. */
static int
bdev_uring_probe(const char *name)
{
	struct io_uring ring;
	char disabled[16] = "?";
	FILE *f;
	int rc;

	rc = io_uring_queue_init(2, &ring, 0);
	if (rc == 0) {
		io_uring_queue_exit(&ring);
		return 0;
	}
	if (rc == -EPERM || rc == -EACCES) {
		f = fopen("/proc/sys/kernel/io_uring_disabled", "r");
		if (f != NULL) {
			if (fgets(disabled, sizeof(disabled), f) == NULL) {
				updk_strlcpy(disabled, "?", sizeof(disabled));
			}
			fclose(f);
			disabled[strcspn(disabled, "\n")] = '\0';
		}
		if (strcmp(disabled, "0") == 0) {
			SPDK_ERRLOG("bdev %s: io_uring is not allowed in this process (a seccomp "
				    "profile, such as a container's default one, refuses "
				    "io_uring_setup): create the bdev with bdev_aio_create "
				    "instead\n",
				    name);
		} else {
			SPDK_ERRLOG("bdev %s: io_uring is not allowed in this process "
				    "(kernel.io_uring_disabled=%s): create the bdev with "
				    "bdev_aio_create instead\n",
				    name, disabled);
		}
		return -EPERM;
	}
	if (rc == -ENOSYS) {
		SPDK_ERRLOG("bdev %s: this kernel has no io_uring: create the bdev with "
			    "bdev_aio_create instead\n",
			    name);
		return rc;
	}
	SPDK_ERRLOG("bdev %s: cannot create an io_uring: %s\n", name, spdk_strerror(-rc));
	return rc;
}

static struct bdev_file_module g_uring_file = {
	.module = &g_uring_if,
	.fn_table = &g_uring_fn_table,
	.product_name = "URING bdev",
	.disk_size = sizeof(struct bdev_file_disk),
	.channel_create = bdev_uring_channel_create,
	.channel_destroy = bdev_uring_channel_destroy,
	.channel_size = sizeof(struct bdev_uring_channel),
	.probe = bdev_uring_probe,
	.disks = TAILQ_HEAD_INITIALIZER(g_uring_file.disks),
};

int
updk_bdev_uring_create(const struct bdev_uring_opts *opts, struct spdk_bdev **bdev)
{
	struct bdev_file_disk *disk;
	int rc;

	if (opts == NULL || bdev == NULL) {
		SPDK_ERRLOG("bdev_uring_create: a name is required\n");
		return -EINVAL;
	}
	rc = updk__bdev_file_disk_alloc(&g_uring_file, opts->name, opts->filename, opts->block_size,
					false, &opts->uuid, &disk);
	if (rc != 0) {
		return rc;
	}
	rc = updk__bdev_file_disk_register(disk);
	if (rc != 0) {
		return rc;
	}
	*bdev = &disk->bdev;
	return 0;
}

struct spdk_bdev *
create_uring_bdev(const struct bdev_uring_opts *opts)
{
	struct spdk_bdev *bdev = NULL;

	if (updk_bdev_uring_create(opts, &bdev) != 0) {
		return NULL;
	}
	return bdev;
}

void
delete_uring_bdev(const char *name, spdk_delete_uring_complete cb_fn, void *cb_arg)
{
	updk__bdev_delete_by_name(name, &g_uring_if, cb_fn, cb_arg);
}

int
bdev_uring_rescan(const char *name)
{
	return updk__bdev_file_disk_rescan(&g_uring_file, name);
}

int
updk__bdev_uring_get_fixed_stats(const char *name, struct updk_bdev_uring_fixed_stats *stats)
{
	struct bdev_file_disk *disk;
	struct spdk_io_channel *_ch;
	struct bdev_uring_channel *ch;

	if (stats == NULL) {
		assert(false);
		return -EINVAL;
	}
	disk = updk__bdev_file_disk_find(&g_uring_file, name);
	if (disk == NULL) {
		SPDK_ERRLOG("no uring bdev named %s\n", name != NULL ? name : "(null)");
		return -ENODEV;
	}
	_ch = spdk_get_io_channel(disk);
	if (_ch == NULL) {
		return -ENOMEM;
	}
	ch = spdk_io_channel_get_ctx(_ch);
	stats->fixed_ios = ch->fixed.fixed_ios;
	stats->registrations = ch->fixed.registrations;
	stats->registered = ch->fixed.used;
	stats->enabled = ch->fixed.enabled;
	stats->refused = ch->fixed.refused;
	spdk_put_io_channel(_ch);
	return 0;
}
