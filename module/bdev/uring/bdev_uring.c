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

#include "../file/bdev_file.h"

/* One uring bdev; also its io_device. Created and destroyed on the app
 * thread; channels only read it, except the zero modes. */
struct bdev_uring_disk {
	struct spdk_bdev bdev;
	struct bdev_file file;
	/* Path as given at creation. */
	char *filename;
	/* enum bdev_file_zero_mode of write zeroes and of unmap; any channel may
	 * lower them (relaxed atomics). */
	int zero_mode;
	int unmap_mode;
	TAILQ_ENTRY(bdev_uring_disk) link;
};

/* Submission queue entries per ring; the completion queue has twice as many,
 * and the channel never has more I/O in the kernel than that. */
#define URING_SQ_ENTRIES 512
#define URING_CQ_ENTRIES (2 * URING_SQ_ENTRIES)
/* Completions taken off the ring at a time. */
#define URING_REAP_BATCH 64
/* Polls that found nothing before the poller starts waiting in the kernel. */
#define URING_IDLE_POLLS_BEFORE_WAIT 4

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
	/* Single-segment reads and writes: the part not transferred yet. */
	uint8_t *buf;
	/* Bytes the SQE in flight must transfer. */
	uint64_t len;
	/* Byte offset of the SQE in flight. */
	uint64_t offset;
	/* End of the range of unmap and write zeroes, in bytes. */
	uint64_t end;
	/* enum bdev_uring_task_op */
	uint8_t op;
	/* enum bdev_file_zero_mode of the fallocate() in flight. */
	uint8_t zero_mode;
	/* The task is an unmap (else write zeroes, when zeroing). */
	bool unmap;
};

struct bdev_uring_channel {
	/* The ring; only this channel's thread touches it. */
	struct io_uring ring;
	struct bdev_uring_disk *disk;
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
};

static TAILQ_HEAD(, bdev_uring_disk) g_uring_disks = TAILQ_HEAD_INITIALIZER(g_uring_disks);
static uint32_t g_uring_max_wait_us = UPDK_BDEV_URING_DEFAULT_WAIT_US;

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
	struct spdk_bdev_io *bdev_io = bdev_uring_task_io(task);

	if (spdk_likely(res == 0)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
	} else {
		spdk_bdev_io_complete_aio_status(bdev_io, res);
	}
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
	if (task->buf != NULL) {
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
	struct bdev_uring_disk *disk = ch->disk;
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
	task->buf = bdev_io->u.bdev.iovcnt == 1 && task->len <= UINT32_MAX
			    ? bdev_io->u.bdev.iovs[0].iov_base
			    : NULL;
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
bdev_uring_reset_done(struct spdk_io_channel_iter *i, int status)
{
	struct spdk_bdev_io *bdev_io = spdk_io_channel_iter_get_ctx(i);

	spdk_bdev_io_complete(bdev_io, status == 0 ? SPDK_BDEV_IO_STATUS_SUCCESS
						   : SPDK_BDEV_IO_STATUS_FAILED);
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
		task->buf = NULL;
		if (spdk_unlikely(bdev_io->u.bdev.iovs[0].iov_base == NULL)) {
			spdk_bdev_io_get_buf(bdev_io, bdev_uring_get_buf_cb, task->len);
			return;
		}
		if (bdev_io->u.bdev.iovcnt == 1 && task->len <= UINT32_MAX) {
			task->buf = bdev_io->u.bdev.iovs[0].iov_base;
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
				      bdev_uring_reset_done);
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

	if (spdk_likely((uint64_t)res == task->len)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
		return;
	}
	if (res < 0) {
		spdk_bdev_io_complete_aio_status(bdev_io, res);
		return;
	}
	if (res > 0 && task->buf != NULL) {
		/* A short transfer: ask for the rest, so that the error that
		 * stopped the kernel (ENOSPC, EFBIG, end of file) is the one
		 * reported. */
		task->buf += res;
		task->len -= (uint64_t)res;
		task->offset += (uint64_t)res;
		if (!bdev_uring_queue_rw(task->ch, task)) {
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
		}
		return;
	}
	/* Nothing more to read: the file ends before the bdev does. */
	spdk_bdev_io_complete_aio_status(bdev_io, read ? -ENODATA : -EIO);
}

static void
bdev_uring_zero_done(struct bdev_uring_task *task, int res)
{
	struct bdev_uring_disk *disk = task->ch->disk;
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
		assert(ch->inflight >= n);
		ch->inflight -= n;
		for (i = 0; i < n; i++) {
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
bdev_uring_ring_init(struct bdev_uring_channel *ch, struct bdev_uring_disk *disk)
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
	struct bdev_uring_disk *disk = io_device;
	struct bdev_uring_channel *ch = ctx_buf;
	int rc;

	memset(ch, 0, sizeof(*ch));
	ch->disk = disk;
	rc = bdev_uring_ring_init(ch, disk);
	if (rc != 0) {
		return rc;
	}
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

static struct bdev_uring_disk *
bdev_uring_find(const char *name)
{
	struct bdev_uring_disk *disk;

	TAILQ_FOREACH (disk, &g_uring_disks, link) {
		if (strcmp(disk->bdev.name, name) == 0) {
			return disk;
		}
	}
	return NULL;
}

static void
bdev_uring_disk_free(struct bdev_uring_disk *disk)
{
	updk__bdev_file_close(&disk->file);
	free(disk->filename);
	free(disk->bdev.name);
	free(disk);
}

static void
bdev_uring_unregister_done(void *io_device)
{
	struct bdev_uring_disk *disk = io_device;

	spdk_bdev_destruct_done(&disk->bdev, 0);
	bdev_uring_disk_free(disk);
}

static void
bdev_uring_unregister_failed(void *io_device)
{
	bdev_uring_disk_free(io_device);
}

static int
bdev_uring_destruct(void *ctx)
{
	struct bdev_uring_disk *disk = ctx;

	TAILQ_REMOVE(&g_uring_disks, disk, link);
	spdk_io_device_unregister(disk, bdev_uring_unregister_done);
	return 1;
}

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

static struct spdk_io_channel *
bdev_uring_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(ctx);
}

static int
bdev_uring_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_uring_disk *disk = ctx;

	spdk_json_write_named_object_begin(w, "uring");
	spdk_json_write_named_string(w, "filename", disk->filename);
	spdk_json_write_named_bool(w, "direct_io", disk->file.direct);
	spdk_json_write_object_end(w);
	return 0;
}

static void
bdev_uring_write_config_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	struct bdev_uring_disk *disk = bdev->ctxt;

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
	.destruct = bdev_uring_destruct,
	.submit_request = bdev_uring_submit_request,
	.io_type_supported = bdev_uring_io_type_supported,
	.get_io_channel = bdev_uring_get_io_channel,
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

int
updk_bdev_uring_create(const struct bdev_uring_opts *opts, struct spdk_bdev **bdev)
{
	struct bdev_uring_disk *disk;
	int rc;

	if (opts == NULL || bdev == NULL || opts->name == NULL || opts->name[0] == '\0') {
		SPDK_ERRLOG("bdev_uring_create: a name is required\n");
		return -EINVAL;
	}
	if (opts->filename == NULL || opts->filename[0] == '\0') {
		SPDK_ERRLOG("bdev %s: a filename is required\n", opts->name);
		return -EINVAL;
	}
	if (bdev_uring_find(opts->name) != NULL || spdk_bdev_get_by_name(opts->name) != NULL) {
		SPDK_ERRLOG("bdev %s: the name is already in use\n", opts->name);
		return -EEXIST;
	}
	rc = bdev_uring_probe(opts->name);
	if (rc != 0) {
		return rc;
	}

	disk = calloc(1, sizeof(*disk));
	if (disk == NULL) {
		SPDK_ERRLOG("bdev %s: out of memory\n", opts->name);
		return -ENOMEM;
	}
	disk->file.fd = -1;
	disk->bdev.name = strdup(opts->name);
	disk->filename = strdup(opts->filename);
	if (disk->bdev.name == NULL || disk->filename == NULL) {
		SPDK_ERRLOG("bdev %s: out of memory\n", opts->name);
		bdev_uring_disk_free(disk);
		return -ENOMEM;
	}
	rc = updk__bdev_file_open(&disk->file, opts->name, opts->filename, opts->block_size, false);
	if (rc != 0) {
		bdev_uring_disk_free(disk);
		return rc;
	}
	disk->zero_mode = BDEV_FILE_ZERO_RANGE;
	disk->unmap_mode = BDEV_FILE_ZERO_PUNCH;

	disk->bdev.product_name = "URING bdev";
	disk->bdev.module = &g_uring_if;
	disk->bdev.fn_table = &g_uring_fn_table;
	disk->bdev.ctxt = disk;
	disk->bdev.write_cache = 1;
	disk->bdev.blocklen = disk->file.block_size;
	disk->bdev.phys_blocklen = disk->file.phys_block_size;
	disk->bdev.blockcnt = disk->file.size / disk->file.block_size;
	disk->bdev.required_alignment =
		disk->file.direct ? (uint8_t)spdk_u32log2(disk->file.dio_align) : 0;
	disk->bdev.max_write_zeroes = UINT32_MAX / disk->file.block_size;
	disk->bdev.max_unmap = UINT32_MAX / disk->file.block_size;
	disk->bdev.max_unmap_segments = 1;
	/* readv() and writev() take at most IOV_MAX segments; the layer splits. */
	disk->bdev.max_num_segments = IOV_MAX;
	spdk_uuid_copy(&disk->bdev.uuid, &opts->uuid);

	spdk_io_device_register(disk, bdev_uring_channel_create, bdev_uring_channel_destroy,
				sizeof(struct bdev_uring_channel), disk->bdev.name);
	rc = spdk_bdev_register(&disk->bdev);
	if (rc != 0) {
		/* spdk_bdev_register() logged why. */
		spdk_io_device_unregister(disk, bdev_uring_unregister_failed);
		return rc;
	}
	TAILQ_INSERT_TAIL(&g_uring_disks, disk, link);
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
	struct bdev_uring_disk *disk = name != NULL ? bdev_uring_find(name) : NULL;

	if (disk == NULL) {
		return -ENODEV;
	}
	return updk__bdev_file_rescan(&disk->file, &disk->bdev);
}
