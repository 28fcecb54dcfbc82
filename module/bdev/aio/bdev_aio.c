/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The Linux AIO bdev module: a bdev over a regular file or a block device,
 * with one kernel AIO context per I/O channel (so per thread, never shared).
 * submit_request only prepares an iocb inside the I/O's own context; the
 * channel's poller submits every prepared iocb with one io_submit() per poll
 * and reads completions straight from the context's completion ring in user
 * space, the way the kernel lays it out (struct aio_ring), falling back to
 * io_getevents() if the layout is not the one known here. When a few polls in
 * a row find nothing while I/O is in flight, the poller sleeps in
 * io_getevents() until the next completion (for at most
 * updk_bdev_aio_set_poll_wait() microseconds) instead of spinning. Flush is an
 * asynchronous fdatasync (IOCB_CMD_FDSYNC). Unmap and write zeroes, when the
 * bdev was created with fallocate, call fallocate() from submit_request
 * (libaio has no asynchronous form; SPDK does the same) and complete from the
 * poller; where the file system refuses fallocate(), zeroes are written
 * through the context like any write.
 */

#include "spdk/stdinc.h"

#include <libaio.h>

#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "updk_internal/bdev.h"
#include "spdk/util.h"
#include "updk/bdev_aio.h"

#include "../file/bdev_file.h"

/* One aio bdev. Created and destroyed on the app thread; channels only read
 * it, except the zero modes, nowait and sync_flush. */
struct bdev_aio_disk {
	/* First: the io_device, the bdev's ctxt, and one allocation with it. */
	struct bdev_file_disk base;
	/* Unmap and write zeroes go through fallocate() (the "fallocate" parameter). */
	bool falloc;
	/* Reads and writes are submitted with RWF_NOWAIT (cleared for good, by
	 * any channel, when the file turns out not to support it). */
	bool nowait;
	/* The "nowait" parameter as given, for the saved configuration. */
	bool nowait_param;
	/* The kernel refused an asynchronous fdatasync: flush synchronously. */
	int sync_flush;
};
_Static_assert(offsetof(struct bdev_aio_disk, base) == 0, "the disk starts with its base");

/* Events per AIO context: the most I/O a channel has in the kernel. */
#define AIO_QUEUE_DEPTH 512
/* Completions taken off the ring at a time. */
#define AIO_REAP_BATCH 64
/* Polls that found nothing before the poller waits in the kernel. */
#define AIO_IDLE_POLLS_BEFORE_WAIT 4

/*
 * The head of a kernel AIO context's completion ring, which io_setup() maps
 * into the process (fs/aio.c). The kernel writes events and then tail; the
 * process reads tail with acquire ordering, copies the events up to it and
 * publishes its progress by storing head with release ordering, which the
 * kernel reads before reusing slots. Only the channel's thread reads the
 * ring. The layout is trusted only with this magic and no incompatible
 * features.
 */
struct bdev_aio_ring {
	uint32_t id;
	uint32_t size;
	uint32_t head;
	uint32_t tail;
	uint32_t magic;
	uint32_t compat_features;
	uint32_t incompat_features;
	uint32_t header_length;
	struct io_event events[0];
};

#define AIO_RING_MAGIC 0xa10a10a1u

/* What the iocb of a task in flight does. */
enum bdev_aio_task_op {
	/* A read or write of the caller's data. */
	AIO_TASK_RW,
	/* fdatasync(). */
	AIO_TASK_FLUSH,
	/* A write of zeroes from the shared zero buffer. */
	AIO_TASK_ZERO_WRITE,
	/* Done synchronously; the result waits in task->res on the done list. */
	AIO_TASK_DONE,
};

/* Per-I/O context (driver_ctx). A task has at most one iocb in the kernel. */
struct bdev_aio_task {
	struct iocb iocb;
	struct bdev_aio_channel *ch;
	/* Bytes the iocb in flight must transfer. */
	uint64_t len;
	/* Byte offset of the iocb in flight, and end of the I/O's range. */
	uint64_t offset;
	uint64_t end;
	/* Result of a synchronous operation (AIO_TASK_DONE). */
	int res;
	/* enum bdev_aio_task_op */
	uint8_t op;
	/* The task is an unmap (else write zeroes, when zeroing). */
	bool unmap;
};

struct bdev_aio_channel {
	io_context_t ctx;
	struct bdev_aio_disk *disk;
	struct spdk_poller *poller;
	/* iocbs prepared and not yet submitted, oldest first. */
	uint32_t queued;
	/* iocbs in the kernel whose event was not reaped yet. */
	uint32_t inflight;
	/* Tasks on the done list. */
	uint32_t done_count;
	/* Consecutive polls that found nothing to reap. */
	uint32_t idle_polls;
	/* A failed io_submit() was logged (once per channel). */
	bool submit_error_logged;
	/* Tasks finished synchronously, completed by the poller. */
	TAILQ_HEAD(, spdk_bdev_io) done;
	/* A reset waits for this channel to drain. */
	struct spdk_io_channel_iter *reset_iter;
	struct iocb *pending[AIO_QUEUE_DEPTH];
};

static uint32_t g_aio_max_wait_us = UPDK_BDEV_AIO_DEFAULT_WAIT_US;

/* The aio disk of its io_device (or bdev ctxt): its struct bdev_file_disk. */
static inline struct bdev_aio_disk *
bdev_aio_disk_of(void *base)
{
	return SPDK_CONTAINEROF((struct bdev_file_disk *)base, struct bdev_aio_disk, base);
}

static int bdev_aio_module_init(void);
static void bdev_aio_module_fini(void);
static int bdev_aio_get_ctx_size(void);

static struct spdk_bdev_module g_aio_if = {
	.name = "aio",
	.module_init = bdev_aio_module_init,
	.module_fini = bdev_aio_module_fini,
	.get_ctx_size = bdev_aio_get_ctx_size,
};

SPDK_BDEV_MODULE_REGISTER(aio, &g_aio_if)

static int
bdev_aio_module_init(void)
{
	return 0;
}

static void
bdev_aio_module_fini(void)
{
}

static int
bdev_aio_get_ctx_size(void)
{
	return (int)sizeof(struct bdev_aio_task);
}

void
updk_bdev_aio_set_poll_wait(uint32_t max_wait_us)
{
	__atomic_store_n(&g_aio_max_wait_us, max_wait_us, __ATOMIC_RELAXED);
}

/* ---- submission ---- */

static inline struct spdk_bdev_io *
bdev_aio_task_io(struct bdev_aio_task *task)
{
	return spdk_bdev_io_from_ctx(task);
}

static inline void
bdev_aio_task_complete(struct bdev_aio_task *task, int res)
{
	bdev_file_io_complete(bdev_aio_task_io(task), res);
}

/* Finish a task from the poller, never inside submit_request. */
static void
bdev_aio_task_defer(struct bdev_aio_channel *ch, struct bdev_aio_task *task, int res)
{
	task->op = AIO_TASK_DONE;
	task->res = res;
	TAILQ_INSERT_TAIL(&ch->done, bdev_aio_task_io(task), module_link);
	ch->done_count++;
}

static inline void
bdev_aio_queue(struct bdev_aio_channel *ch, struct bdev_aio_task *task)
{
	assert(ch->queued < AIO_QUEUE_DEPTH);
	task->iocb.data = task;
	ch->pending[ch->queued++] = &task->iocb;
}

static void
bdev_aio_prep_rw(struct bdev_aio_channel *ch, struct bdev_aio_task *task, int rw_flags)
{
	struct spdk_bdev_io *bdev_io = bdev_aio_task_io(task);
	int fd = ch->disk->base.file.fd;

	task->op = AIO_TASK_RW;
	if (bdev_io->type == SPDK_BDEV_IO_TYPE_READ) {
		io_prep_preadv2(&task->iocb, fd, bdev_io->u.bdev.iovs, bdev_io->u.bdev.iovcnt,
				(long long)task->offset, rw_flags);
	} else {
		io_prep_pwritev2(&task->iocb, fd, bdev_io->u.bdev.iovs, bdev_io->u.bdev.iovcnt,
				 (long long)task->offset, rw_flags);
	}
	bdev_aio_queue(ch, task);
}

static void
bdev_aio_prep_zero_write(struct bdev_aio_channel *ch, struct bdev_aio_task *task)
{
	task->op = AIO_TASK_ZERO_WRITE;
	task->len = spdk_min(task->end - task->offset, (uint64_t)BDEV_FILE_ZERO_CHUNK);
	io_prep_pwrite(&task->iocb, ch->disk->base.file.fd, (void *)updk__bdev_file_zero_buf(),
		       task->len, (long long)task->offset);
	bdev_aio_queue(ch, task);
}

/* Zero task->offset .. task->end: fallocate() now, walking down the modes
 * the file system refuses, or queue the first write of zeroes. */
static void
bdev_aio_zero(struct bdev_aio_channel *ch, struct bdev_aio_task *task)
{
	struct bdev_aio_disk *disk = ch->disk;
	int *modep = task->unmap ? &disk->base.unmap_mode : &disk->base.zero_mode;
	enum bdev_file_zero_mode mode, next;
	int rc;

	mode = __atomic_load_n(modep, __ATOMIC_RELAXED);
	while (mode != BDEV_FILE_ZERO_WRITE) {
		rc = fallocate(disk->base.file.fd, updk__bdev_file_falloc_flags(mode),
			       (off_t)task->offset, (off_t)(task->end - task->offset));
		if (rc == 0) {
			bdev_aio_task_defer(ch, task, 0);
			return;
		}
		rc = -errno;
		next = updk__bdev_file_zero_fallback(mode, rc);
		if (next == mode) {
			bdev_aio_task_defer(ch, task, rc);
			return;
		}
		mode = next;
		__atomic_store_n(modep, (int)mode, __ATOMIC_RELAXED);
	}
	bdev_aio_prep_zero_write(ch, task);
}

static void
bdev_aio_get_buf_cb(struct spdk_io_channel *_ch, struct spdk_bdev_io *bdev_io, bool success)
{
	struct bdev_aio_channel *ch = spdk_io_channel_get_ctx(_ch);
	struct bdev_aio_task *task = (struct bdev_aio_task *)bdev_io->driver_ctx;

	if (!success) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	bdev_aio_prep_rw(ch, task,
			 __atomic_load_n(&ch->disk->nowait, __ATOMIC_RELAXED) ? RWF_NOWAIT : 0);
}

static void
bdev_aio_reset_channel(struct spdk_io_channel_iter *i)
{
	struct bdev_aio_channel *ch = spdk_io_channel_get_ctx(spdk_io_channel_iter_get_channel(i));

	if (ch->queued == 0 && ch->inflight == 0 && ch->done_count == 0) {
		spdk_for_each_channel_continue(i, 0);
		return;
	}
	/* The poller continues the iteration once this channel has drained. */
	assert(ch->reset_iter == NULL);
	ch->reset_iter = i;
}

static void
bdev_aio_submit_request(struct spdk_io_channel *_ch, struct spdk_bdev_io *bdev_io)
{
	struct bdev_aio_channel *ch = spdk_io_channel_get_ctx(_ch);
	struct bdev_aio_task *task = (struct bdev_aio_task *)bdev_io->driver_ctx;
	struct bdev_aio_disk *disk = ch->disk;
	uint32_t blocklen = bdev_io->bdev->blocklen;

	task->ch = ch;
	if (spdk_unlikely(ch->queued + ch->inflight + ch->done_count >= AIO_QUEUE_DEPTH &&
			  bdev_io->type != SPDK_BDEV_IO_TYPE_RESET)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_NOMEM);
		return;
	}
	if (spdk_unlikely(disk->base.file.readonly && bdev_io->type != SPDK_BDEV_IO_TYPE_READ &&
			  bdev_io->type != SPDK_BDEV_IO_TYPE_FLUSH &&
			  bdev_io->type != SPDK_BDEV_IO_TYPE_RESET)) {
		bdev_aio_task_defer(ch, task, -EBADF);
		return;
	}

	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
		task->offset = bdev_io->u.bdev.offset_blocks * blocklen;
		task->len = bdev_io->u.bdev.num_blocks * blocklen;
		task->end = task->offset + task->len;
		if (spdk_unlikely(bdev_io->u.bdev.iovs[0].iov_base == NULL)) {
			spdk_bdev_io_get_buf(bdev_io, bdev_aio_get_buf_cb, task->len);
			return;
		}
		bdev_aio_prep_rw(ch, task,
				 __atomic_load_n(&disk->nowait, __ATOMIC_RELAXED) ? RWF_NOWAIT : 0);
		return;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		if (__atomic_load_n(&disk->sync_flush, __ATOMIC_RELAXED)) {
			bdev_aio_task_defer(ch, task,
					    fdatasync(disk->base.file.fd) == 0 ? 0 : -errno);
			return;
		}
		task->op = AIO_TASK_FLUSH;
		io_prep_fdsync(&task->iocb, disk->base.file.fd);
		bdev_aio_queue(ch, task);
		return;
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		task->unmap = bdev_io->type == SPDK_BDEV_IO_TYPE_UNMAP;
		task->offset = bdev_io->u.bdev.offset_blocks * blocklen;
		task->end = task->offset + bdev_io->u.bdev.num_blocks * blocklen;
		if (task->end == task->offset) {
			bdev_aio_task_defer(ch, task, 0);
			return;
		}
		bdev_aio_zero(ch, task);
		return;
	case SPDK_BDEV_IO_TYPE_RESET:
		spdk_for_each_channel(&disk->base, bdev_aio_reset_channel, bdev_io,
				      updk__bdev_file_reset_done);
		return;
	default:
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
}

/* ---- completion ---- */

/*
 * A request sent with RWF_NOWAIT came back: EAGAIN means it would have
 * blocked (this one goes again without the flag); EOPNOTSUPP means the file
 * cannot do non-blocking I/O at all, so the bdev stops asking (any thread may
 * clear the flag; a lost race costs one more refusal).
 */
static void
bdev_aio_nowait_refused(struct bdev_aio_channel *ch, struct bdev_aio_task *task, int err)
{
	task->iocb.aio_rw_flags &= ~(unsigned)RWF_NOWAIT;
	if (err == -EOPNOTSUPP && __atomic_exchange_n(&ch->disk->nowait, false, __ATOMIC_RELAXED)) {
		SPDK_NOTICELOG("bdev %s: %s does not support RWF_NOWAIT; submitting without it\n",
			       ch->disk->base.bdev.name, ch->disk->base.filename);
	}
}

/*
 * A read or write stopped short after \p res more bytes (or one piece of the
 * rest of one completed): submit the rest, one buffer at a time, so that the
 * error that stopped the kernel (EIO, ENOSPC, end of file) is the one
 * reported rather than guessed.
 */
static void
bdev_aio_rw_rest(struct bdev_aio_channel *ch, struct bdev_aio_task *task, uint64_t res)
{
	struct spdk_bdev_io *bdev_io = bdev_aio_task_io(task);
	void *buf;

	if (bdev_file_rw_advance(bdev_io, res, &task->offset, task->end, &buf, &task->len)) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
		return;
	}
	if (bdev_io->type == SPDK_BDEV_IO_TYPE_READ) {
		io_prep_pread(&task->iocb, ch->disk->base.file.fd, buf, task->len,
			      (long long)task->offset);
	} else {
		io_prep_pwrite(&task->iocb, ch->disk->base.file.fd, buf, task->len,
			       (long long)task->offset);
	}
	bdev_aio_queue(ch, task);
}

static void
bdev_aio_task_done(struct bdev_aio_task *task, long res)
{
	struct spdk_bdev_io *bdev_io = bdev_aio_task_io(task);
	struct bdev_aio_channel *ch = task->ch;

	switch (task->op) {
	case AIO_TASK_RW:
		if (spdk_likely(res >= 0 && (uint64_t)res == task->len &&
				task->offset + task->len == task->end)) {
			spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
		} else if ((res == -EAGAIN || res == -EOPNOTSUPP) &&
			   (task->iocb.aio_rw_flags & RWF_NOWAIT)) {
			/* The kernel would have blocked, or the file cannot say:
			 * go again, allowed to block. */
			bdev_aio_nowait_refused(ch, task, (int)res);
			bdev_aio_queue(ch, task);
		} else if (res < 0) {
			spdk_bdev_io_complete_aio_status(bdev_io, (int)res);
		} else if (res == 0) {
			/* Nothing more: the file ends before the bdev does, or
			 * the file system takes no more data. */
			spdk_bdev_io_complete_aio_status(
				bdev_io,
				bdev_io->type == SPDK_BDEV_IO_TYPE_READ ? -ENODATA : -ENOSPC);
		} else {
			bdev_aio_rw_rest(ch, task, (uint64_t)res);
		}
		break;
	case AIO_TASK_FLUSH:
		bdev_aio_task_complete(task, res < 0 ? (int)res : 0);
		break;
	case AIO_TASK_ZERO_WRITE:
		if (res <= 0) {
			bdev_aio_task_complete(task, res < 0 ? (int)res : -EIO);
			break;
		}
		task->offset += (uint64_t)res;
		if (task->offset >= task->end) {
			bdev_aio_task_complete(task, 0);
			break;
		}
		bdev_aio_prep_zero_write(ch, task);
		break;
	case AIO_TASK_DONE:
	default:
		assert(false);
		bdev_aio_task_complete(task, -EIO);
		break;
	}
}

/* An iocb that io_submit() refused (it was first in the batch). */
static void
bdev_aio_submit_failed(struct bdev_aio_channel *ch, struct bdev_aio_task *task, int rc)
{
	if (task->op == AIO_TASK_FLUSH && rc == -EINVAL) {
		/* No asynchronous fsync on this file: flush synchronously from now on. */
		__atomic_store_n(&ch->disk->sync_flush, 1, __ATOMIC_RELAXED);
		rc = fdatasync(ch->disk->base.file.fd) == 0 ? 0 : -errno;
	}
	bdev_aio_task_complete(task, rc);
}

/* Submit every prepared iocb: one io_submit() per poll in the common case. */
static void
bdev_aio_flush(struct bdev_aio_channel *ch)
{
	struct bdev_aio_task *task;
	int rc;

	while (ch->queued > 0) {
		rc = io_submit(ch->ctx, (long)ch->queued, ch->pending);
		if (spdk_likely(rc == (int)ch->queued)) {
			ch->inflight += ch->queued;
			ch->queued = 0;
			return;
		}
		if (rc > 0) {
			/* The kernel stopped at an iocb; the next call reports why. */
			ch->inflight += (uint32_t)rc;
			ch->queued -= (uint32_t)rc;
			memmove(ch->pending, ch->pending + rc, ch->queued * sizeof(ch->pending[0]));
			continue;
		}
		task = ch->pending[0]->data;
		if ((rc == -EAGAIN || rc == -EOPNOTSUPP) &&
		    (task->iocb.aio_rw_flags & RWF_NOWAIT) &&
		    task->iocb.aio_lio_opcode != IO_CMD_FDSYNC) {
			bdev_aio_nowait_refused(ch, task, rc);
			continue;
		}
		if (rc == 0 || rc == -EAGAIN || rc == -EINTR) {
			/* Out of kernel resources: retry at the next poll. */
			return;
		}
		if (!ch->submit_error_logged && rc != -EINVAL) {
			ch->submit_error_logged = true;
			SPDK_ERRLOG("bdev %s: io_submit() failed on thread %s: %s\n",
				    ch->disk->base.bdev.name,
				    spdk_thread_get_name(spdk_get_thread()), spdk_strerror(-rc));
		}
		ch->queued--;
		memmove(ch->pending, ch->pending + 1, ch->queued * sizeof(ch->pending[0]));
		bdev_aio_submit_failed(ch, task, rc);
	}
}

static int
bdev_aio_getevents(struct bdev_aio_channel *ch, struct io_event *events, long max, long min_nr,
		   struct timespec *timeout)
{
	struct bdev_aio_ring *ring = (struct bdev_aio_ring *)ch->ctx;
	struct timespec zero = {0, 0};
	uint32_t head, tail, n;

	if (min_nr > 0 ||
	    spdk_unlikely(ring->magic != AIO_RING_MAGIC || ring->incompat_features != 0)) {
		return io_getevents(ch->ctx, min_nr, max, events, min_nr > 0 ? timeout : &zero);
	}
	head = ring->head;
	tail = __atomic_load_n(&ring->tail, __ATOMIC_ACQUIRE);
	if (head == tail) {
		return 0;
	}
	n = tail > head ? tail - head : ring->size - head;
	n = spdk_min(n, (uint32_t)max);
	memcpy(events, &ring->events[head], n * sizeof(events[0]));
	__atomic_store_n(&ring->head, (head + n) % ring->size, __ATOMIC_RELEASE);
	return (int)n;
}

static int
bdev_aio_reap(struct bdev_aio_channel *ch, long min_nr, struct timespec *timeout)
{
	struct io_event events[AIO_REAP_BATCH];
	int n, i, total = 0;

	/* Until the ring is empty: a ring that wraps takes two rounds. */
	for (;;) {
		n = bdev_aio_getevents(ch, events, AIO_REAP_BATCH, min_nr, timeout);
		if (n <= 0) {
			break;
		}
		for (i = 0; i < n; i++) {
			/* One at a time: completion callbacks submit new I/O,
			 * and the tasks not handled yet must still count
			 * against the depth, since some go back to the queue
			 * (RWF_NOWAIT refused, the rest of a short transfer). */
			assert(ch->inflight > 0);
			ch->inflight--;
			bdev_aio_task_done(events[i].data, (long)events[i].res);
		}
		total += n;
		min_nr = 0;
	}
	return total;
}

static int
bdev_aio_poll(void *arg)
{
	struct bdev_aio_channel *ch = arg;
	struct spdk_bdev_io *bdev_io;
	struct timespec ts;
	uint32_t wait_us;
	int reaped = 0;

	if (ch->queued == 0 && ch->inflight == 0 && ch->done_count == 0) {
		return SPDK_POLLER_IDLE;
	}
	while ((bdev_io = TAILQ_FIRST(&ch->done)) != NULL) {
		struct bdev_aio_task *task = (struct bdev_aio_task *)bdev_io->driver_ctx;

		TAILQ_REMOVE(&ch->done, bdev_io, module_link);
		ch->done_count--;
		bdev_aio_task_complete(task, task->res);
		reaped++;
	}
	bdev_aio_flush(ch);
	if (ch->inflight > 0) {
		reaped += bdev_aio_reap(ch, 0, NULL);
	}
	if (reaped == 0 && ch->queued == 0 && ch->inflight > 0) {
		wait_us = __atomic_load_n(&g_aio_max_wait_us, __ATOMIC_RELAXED);
		if (wait_us != 0 && ++ch->idle_polls >= AIO_IDLE_POLLS_BEFORE_WAIT) {
			ts.tv_sec = wait_us / 1000000;
			ts.tv_nsec = (long)(wait_us % 1000000) * 1000;
			reaped = bdev_aio_reap(ch, 1, &ts);
		}
	} else {
		ch->idle_polls = 0;
	}
	if (spdk_unlikely(ch->reset_iter != NULL) && ch->queued == 0 && ch->inflight == 0 &&
	    ch->done_count == 0) {
		struct spdk_io_channel_iter *i = ch->reset_iter;

		ch->reset_iter = NULL;
		spdk_for_each_channel_continue(i, 0);
	}
	return (reaped > 0 || ch->inflight > 0 || ch->queued > 0) ? SPDK_POLLER_BUSY
								  : SPDK_POLLER_IDLE;
}

/* ---- channels ---- */

static int
bdev_aio_channel_create(void *io_device, void *ctx_buf)
{
	struct bdev_aio_disk *disk = bdev_aio_disk_of(io_device);
	struct bdev_aio_channel *ch = ctx_buf;
	int rc;

	memset(ch, 0, offsetof(struct bdev_aio_channel, pending));
	ch->disk = disk;
	TAILQ_INIT(&ch->done);
	rc = io_setup(AIO_QUEUE_DEPTH, &ch->ctx);
	if (rc != 0) {
		SPDK_ERRLOG("bdev %s: cannot create an AIO context for thread %s: %s%s\n",
			    disk->base.bdev.name, spdk_thread_get_name(spdk_get_thread()),
			    spdk_strerror(-rc), rc == -EAGAIN ? " (fs.aio-max-nr is too low)" : "");
		return rc;
	}
	ch->poller = SPDK_POLLER_REGISTER(bdev_aio_poll, ch, 0);
	if (ch->poller == NULL) {
		SPDK_ERRLOG("bdev %s: cannot register the completion poller\n",
			    disk->base.bdev.name);
		io_destroy(ch->ctx);
		return -ENOMEM;
	}
	return 0;
}

static void
bdev_aio_channel_destroy(void *io_device, void *ctx_buf)
{
	struct bdev_aio_channel *ch = ctx_buf;
	struct io_event events[AIO_REAP_BATCH];
	int n;

	if (ch->queued != 0 || ch->inflight != 0 || ch->done_count != 0) {
		/* The bdev layer releases a channel only once its I/O is done;
		 * should that ever fail, still wait for the kernel, which may be
		 * writing into the callers' buffers. */
		SPDK_ERRLOG("bdev %s: channel released with %" PRIu32 " I/O in flight; "
			    "waiting for the kernel\n",
			    ch->disk->base.bdev.name, ch->queued + ch->inflight + ch->done_count);
		while (ch->inflight > 0) {
			n = io_getevents(ch->ctx, 1, AIO_REAP_BATCH, events, NULL);
			if (n < 0 && n != -EINTR) {
				break;
			}
			ch->inflight -= n > 0 ? (uint32_t)n : 0;
		}
	}
	spdk_poller_unregister(&ch->poller);
	io_destroy(ch->ctx);
}

/* ---- bdev function table ---- */

static bool
bdev_aio_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type)
{
	struct bdev_aio_disk *disk = bdev_aio_disk_of(ctx);

	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_FLUSH:
	case SPDK_BDEV_IO_TYPE_RESET:
		return true;
	case SPDK_BDEV_IO_TYPE_WRITE:
		return !disk->base.file.readonly;
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		return disk->falloc && !disk->base.file.readonly;
	default:
		return false;
	}
}

static int
bdev_aio_dump_info_json(void *ctx, struct spdk_json_write_ctx *w)
{
	struct bdev_aio_disk *disk = bdev_aio_disk_of(ctx);

	spdk_json_write_named_object_begin(w, "aio");
	spdk_json_write_named_string(w, "filename", disk->base.filename);
	spdk_json_write_named_bool(w, "block_size_override", !disk->base.file.block_size_auto);
	spdk_json_write_named_bool(w, "readonly", disk->base.file.readonly);
	spdk_json_write_named_bool(w, "fallocate", disk->falloc);
	spdk_json_write_named_bool(w, "nowait", disk->nowait_param);
	spdk_json_write_named_bool(w, "direct_io", disk->base.file.direct);
	spdk_json_write_object_end(w);
	return 0;
}

static void
bdev_aio_write_config_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	struct bdev_aio_disk *disk = bdev_aio_disk_of(bdev->ctxt);

	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", "bdev_aio_create");
	spdk_json_write_named_object_begin(w, "params");
	spdk_json_write_named_string(w, "name", bdev->name);
	if (!disk->base.file.block_size_auto) {
		spdk_json_write_named_uint32(w, "block_size", bdev->blocklen);
	}
	spdk_json_write_named_string(w, "filename", disk->base.filename);
	spdk_json_write_named_bool(w, "readonly", disk->base.file.readonly);
	spdk_json_write_named_bool(w, "fallocate", disk->falloc);
	if (disk->nowait_param) {
		spdk_json_write_named_bool(w, "nowait", true);
	}
	spdk_json_write_named_uuid(w, "uuid", &bdev->uuid);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
}

static const struct spdk_bdev_fn_table g_aio_fn_table = {
	.destruct = updk__bdev_file_disk_destruct,
	.submit_request = bdev_aio_submit_request,
	.io_type_supported = bdev_aio_io_type_supported,
	.get_io_channel = updk__bdev_file_disk_get_io_channel,
	.dump_info_json = bdev_aio_dump_info_json,
	.write_config_json = bdev_aio_write_config_json,
};

/* ---- create, delete, rescan ---- */

static struct bdev_file_module g_aio_file = {
	.module = &g_aio_if,
	.fn_table = &g_aio_fn_table,
	.product_name = "AIO disk",
	.disk_size = sizeof(struct bdev_aio_disk),
	.channel_create = bdev_aio_channel_create,
	.channel_destroy = bdev_aio_channel_destroy,
	.channel_size = sizeof(struct bdev_aio_channel),
	.disks = TAILQ_HEAD_INITIALIZER(g_aio_file.disks),
};

int
create_aio_bdev(const char *name, const char *filename, uint32_t block_size, bool readonly,
		bool falloc, const struct spdk_uuid *uuid, bool nowait)
{
	struct bdev_file_disk *base;
	struct bdev_aio_disk *disk;
	int rc;

	rc = updk__bdev_file_disk_alloc(&g_aio_file, name, filename, block_size, readonly, uuid,
					&base);
	if (rc != 0) {
		return rc;
	}
	disk = bdev_aio_disk_of(base);
	disk->falloc = falloc;
	disk->nowait = nowait;
	disk->nowait_param = nowait;
	return updk__bdev_file_disk_register(base);
}

void
bdev_aio_delete(const char *name, delete_aio_bdev_complete cb_fn, void *cb_arg)
{
	updk__bdev_delete_by_name(name, &g_aio_if, cb_fn, cb_arg);
}

int
bdev_aio_rescan(const char *name)
{
	return updk__bdev_file_disk_rescan(&g_aio_file, name);
}
