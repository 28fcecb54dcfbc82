/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The bdev I/O path: argument validation, the per-thread spdk_bdev_io cache
 * and io_wait queue, submission to the module, completion and statistics,
 * NOMEM retries, splitting, bounce buffers, buffers for reads without one,
 * the emulated I/O types (write zeroes, compare, compare-and-write, copy),
 * reset, abort and timeouts.
 *
 * The fast path is a read or write on a channel with no flags set: one check
 * of the channel, one range check, a pop from this thread's cache, a handful
 * of stores, one tick read, then the module; at completion one tick read,
 * counters, the callback; at free a push onto the cache. Everything unusual
 * (a frozen or NOMEM channel, a bdev that needs splitting or alignment, a
 * child or bounced I/O) is behind one flag test on each side.
 *
 * Counting. ch->io_outstanding counts I/O submitted by users on the channel
 * and not completed yet, wherever they are (in the module, on the NOMEM or
 * frozen queue, being split). Children of splits and emulations are not
 * counted and are not on ch->io_submitted; their parent is.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/thread.h"
#include "updk_internal/thread.h"

#include "bdev_internal.h"

/* Emulation phases (bdev_io->internal.sub.phase). */
#define EMU_PHASE_COMPARE 0
#define EMU_PHASE_WRITE 1
#define EMU_PHASE_READ 0

static void bdev_io_complete(struct spdk_bdev_io *bdev_io);
static void bdev_io_submit_slow(struct spdk_bdev_io *bdev_io);
static void bdev_io_do_submit(struct spdk_bdev_io *bdev_io);
static void bdev_io_to_module(struct spdk_bdev_io *bdev_io);
static void bdev_split_continue(struct spdk_bdev_io *parent);
static void bdev_emu_continue(struct spdk_bdev_io *parent);
static void bdev_channel_retry_nomem(struct spdk_bdev_channel *ch);
static void bdev_io_wait_arm(struct bdev_mgmt_channel *mgmt);
static void bdev_reset_start(void *arg);

static inline uint64_t
bdev_io_bytes(const struct spdk_bdev_io *bdev_io)
{
	return bdev_io->u.bdev.num_blocks * bdev_io->bdev->blocklen;
}

/* ---------------------------------------------------------------------- */
/* Statistics helpers                                                      */
/* ---------------------------------------------------------------------- */

void
updk__bdev_stat_init(struct spdk_bdev_io_stat *stat)
{
	memset(stat, 0, offsetof(struct spdk_bdev_io_stat, io_error));
	stat->min_read_latency_ticks = UINT64_MAX;
	stat->min_write_latency_ticks = UINT64_MAX;
	stat->min_unmap_latency_ticks = UINT64_MAX;
	stat->min_copy_latency_ticks = UINT64_MAX;
}

void
updk__bdev_stat_reset(struct spdk_bdev_io_stat *stat, enum spdk_bdev_reset_stat_mode mode)
{
	switch (mode) {
	case SPDK_BDEV_RESET_STAT_ALL:
		updk__bdev_stat_init(stat);
		break;
	case SPDK_BDEV_RESET_STAT_MAXMIN:
		stat->max_read_latency_ticks = 0;
		stat->min_read_latency_ticks = UINT64_MAX;
		stat->max_write_latency_ticks = 0;
		stat->min_write_latency_ticks = UINT64_MAX;
		stat->max_unmap_latency_ticks = 0;
		stat->min_unmap_latency_ticks = UINT64_MAX;
		stat->max_copy_latency_ticks = 0;
		stat->min_copy_latency_ticks = UINT64_MAX;
		break;
	case SPDK_BDEV_RESET_STAT_ERROR:
	case SPDK_BDEV_RESET_STAT_NONE:
		break;
	default:
		assert(false);
		break;
	}
}

void
updk__bdev_channel_stat_add(struct spdk_bdev_io_stat *total, const struct spdk_bdev_io_stat *add)
{
	total->bytes_read += add->bytes_read;
	total->num_read_ops += add->num_read_ops;
	total->bytes_written += add->bytes_written;
	total->num_write_ops += add->num_write_ops;
	total->bytes_unmapped += add->bytes_unmapped;
	total->num_unmap_ops += add->num_unmap_ops;
	total->bytes_copied += add->bytes_copied;
	total->num_copy_ops += add->num_copy_ops;
	total->read_latency_ticks += add->read_latency_ticks;
	total->max_read_latency_ticks =
		spdk_max(total->max_read_latency_ticks, add->max_read_latency_ticks);
	total->min_read_latency_ticks =
		spdk_min(total->min_read_latency_ticks, add->min_read_latency_ticks);
	total->write_latency_ticks += add->write_latency_ticks;
	total->max_write_latency_ticks =
		spdk_max(total->max_write_latency_ticks, add->max_write_latency_ticks);
	total->min_write_latency_ticks =
		spdk_min(total->min_write_latency_ticks, add->min_write_latency_ticks);
	total->unmap_latency_ticks += add->unmap_latency_ticks;
	total->max_unmap_latency_ticks =
		spdk_max(total->max_unmap_latency_ticks, add->max_unmap_latency_ticks);
	total->min_unmap_latency_ticks =
		spdk_min(total->min_unmap_latency_ticks, add->min_unmap_latency_ticks);
	total->copy_latency_ticks += add->copy_latency_ticks;
	total->max_copy_latency_ticks =
		spdk_max(total->max_copy_latency_ticks, add->max_copy_latency_ticks);
	total->min_copy_latency_ticks =
		spdk_min(total->min_copy_latency_ticks, add->min_copy_latency_ticks);
}

/* ---------------------------------------------------------------------- */
/* The per-thread spdk_bdev_io cache                                       */
/* ---------------------------------------------------------------------- */

#define BDEV_IO_BATCH 64

/* Move up to \p n objects from the pool into the cache. */
static uint32_t
bdev_io_cache_refill(struct bdev_mgmt_channel *mgmt, uint32_t n)
{
	void *objs[BDEV_IO_BATCH];
	struct spdk_bdev_io *bdev_io;
	uint32_t got = 0, want, i;

	while (got < n) {
		want = spdk_min(n - got, BDEV_IO_BATCH);
		if (spdk_mempool_get_bulk(g_bdev_mgr.bdev_io_pool, objs, want) != 0) {
			/* Not that many: take them one by one. */
			for (i = 0; i < want; i++) {
				objs[i] = spdk_mempool_get(g_bdev_mgr.bdev_io_pool);
				if (objs[i] == NULL) {
					break;
				}
			}
			want = i;
			if (want == 0) {
				break;
			}
		}
		for (i = 0; i < want; i++) {
			bdev_io = objs[i];
			bdev_io->internal.status = SPDK_BDEV_IO_STATUS_SUCCESS;
			bdev_io->internal.cache_next = mgmt->cache;
			mgmt->cache = bdev_io;
		}
		mgmt->cache_count += want;
		got += want;
	}
	return got;
}

/* Return cached objects to the pool until \p keep remain. */
static void
bdev_io_cache_trim(struct bdev_mgmt_channel *mgmt, uint32_t keep)
{
	void *objs[BDEV_IO_BATCH];
	uint32_t n;

	while (mgmt->cache_count > keep) {
		n = 0;
		while (n < BDEV_IO_BATCH && mgmt->cache_count > keep) {
			objs[n++] = mgmt->cache;
			mgmt->cache = mgmt->cache->internal.cache_next;
			mgmt->cache_count--;
		}
		spdk_mempool_put_bulk(g_bdev_mgr.bdev_io_pool, objs, n);
	}
}

static struct spdk_bdev_io *
bdev_io_get_slow(struct bdev_mgmt_channel *mgmt, bool user)
{
	struct spdk_bdev_io *bdev_io;

	/* Waiters go first: a new submission must not overtake them. */
	if (user && !TAILQ_EMPTY(&mgmt->io_wait_queue)) {
		return NULL;
	}
	if (bdev_io_cache_refill(mgmt, spdk_max(mgmt->cache_max / 2, 1)) == 0) {
		return NULL;
	}
	bdev_io = mgmt->cache;
	mgmt->cache = bdev_io->internal.cache_next;
	mgmt->cache_count--;
	return bdev_io;
}

static inline struct spdk_bdev_io *
bdev_io_get(struct bdev_mgmt_channel *mgmt, bool user)
{
	struct spdk_bdev_io *bdev_io = mgmt->cache;

	if (spdk_likely(bdev_io != NULL)) {
		mgmt->cache = bdev_io->internal.cache_next;
		mgmt->cache_count--;
		return bdev_io;
	}
	return bdev_io_get_slow(mgmt, user);
}

static void
bdev_io_wait_wake(struct bdev_mgmt_channel *mgmt)
{
	struct spdk_bdev_io_wait_entry *entry;

	while (mgmt->cache_count > 0 && (entry = TAILQ_FIRST(&mgmt->io_wait_queue)) != NULL) {
		TAILQ_REMOVE(&mgmt->io_wait_queue, entry, link);
		entry->cb_fn(entry->cb_arg);
	}
}

static inline void
bdev_io_put(struct bdev_mgmt_channel *mgmt, struct spdk_bdev_io *bdev_io)
{
	/* A freed object reads as "in progress" so that a second free is caught. */
	bdev_io->internal.status = SPDK_BDEV_IO_STATUS_PENDING;
	bdev_io->internal.cache_next = mgmt->cache;
	mgmt->cache = bdev_io;
	mgmt->cache_count++;
	if (spdk_unlikely(mgmt->cache_count > mgmt->cache_max)) {
		bdev_io_cache_trim(mgmt, mgmt->cache_max / 2);
	}
	if (spdk_unlikely(!TAILQ_EMPTY(&mgmt->io_wait_queue))) {
		bdev_io_wait_wake(mgmt);
	}
}

static int
bdev_io_wait_poll(void *arg)
{
	struct bdev_mgmt_channel *mgmt = arg;

	if (TAILQ_EMPTY(&mgmt->io_wait_queue)) {
		spdk_poller_unregister(&mgmt->io_wait_poller);
		return SPDK_POLLER_IDLE;
	}
	if (mgmt->cache_count == 0 && bdev_io_cache_refill(mgmt, 1) == 0) {
		return SPDK_POLLER_IDLE;
	}
	bdev_io_wait_wake(mgmt);
	if (TAILQ_EMPTY(&mgmt->io_wait_queue)) {
		spdk_poller_unregister(&mgmt->io_wait_poller);
	}
	return SPDK_POLLER_BUSY;
}

static void
bdev_io_wait_arm(struct bdev_mgmt_channel *mgmt)
{
	if (mgmt->io_wait_poller == NULL) {
		mgmt->io_wait_poller =
			SPDK_POLLER_REGISTER(bdev_io_wait_poll, mgmt, BDEV_RETRY_POLL_US);
	}
}

int
updk__bdev_mgmt_channel_create(void *io_device, void *ctx_buf)
{
	struct bdev_mgmt_channel *mgmt = ctx_buf;

	mgmt->cache = NULL;
	mgmt->cache_count = 0;
	mgmt->cache_max = spdk_max(g_bdev_opts.bdev_io_cache_size, 1);
	TAILQ_INIT(&mgmt->io_wait_queue);
	STAILQ_INIT(&mgmt->need_buf);
	mgmt->io_wait_poller = NULL;
	mgmt->buf_cache = NULL;
	mgmt->buf_cache_count = 0;
	mgmt->thread = spdk_get_thread();
	bdev_io_cache_refill(mgmt, mgmt->cache_max);
	return 0;
}

void
updk__bdev_mgmt_channel_destroy(void *io_device, void *ctx_buf)
{
	struct bdev_mgmt_channel *mgmt = ctx_buf;
	void *buf;

	if (!TAILQ_EMPTY(&mgmt->io_wait_queue)) {
		SPDK_ERRLOG("thread %s releases its bdev management channel with io_wait "
			    "entries still queued; they will never be called\n",
			    spdk_thread_get_name(mgmt->thread));
	}
	spdk_poller_unregister(&mgmt->io_wait_poller);
	bdev_io_cache_trim(mgmt, 0);
	while ((buf = mgmt->buf_cache) != NULL) {
		mgmt->buf_cache = *(void **)buf;
		spdk_dma_free(buf);
	}
	mgmt->buf_cache_count = 0;
}

/* A call on another thread's channel, which it refuses: one line, counted by
 * the ownership check when that is on. */
static void
bdev_log_foreign_channel(struct spdk_bdev_channel *bch, struct spdk_io_channel *ch,
			 const char *func)
{
	if (updk_io_channel_get_owner_check()) {
		updk__io_channel_report_refused(ch, func);
		return;
	}
	SPDK_ERRLOG("%s(%s): the channel belongs to thread %s but is used from thread %s; "
		    "refused\n",
		    func, bch->bdev->name, spdk_thread_get_name(bch->thread),
		    updk__bdev_thread_name());
}

int
spdk_bdev_queue_io_wait(struct spdk_bdev *bdev, struct spdk_io_channel *ch,
			struct spdk_bdev_io_wait_entry *entry)
{
	struct spdk_bdev_channel *bch;
	struct bdev_mgmt_channel *mgmt;

	if (bdev == NULL || ch == NULL || entry == NULL) {
		SPDK_ERRLOG("spdk_bdev_queue_io_wait: %s is NULL (thread %s)\n",
			    bdev == NULL ? "bdev"
			    : ch == NULL ? "ch"
					 : "entry",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	if (entry->bdev != bdev) {
		SPDK_ERRLOG("bdevs do not match (entry->bdev %s, bdev %s, thread %s)\n",
			    entry->bdev != NULL ? entry->bdev->name : "NULL", bdev->name,
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	bch = bdev_channel_from_ch(ch);
	mgmt = bch->mgmt;
	if (bch->thread != spdk_get_thread()) {
		bdev_log_foreign_channel(bch, ch, __func__);
		return -EINVAL;
	}
	if (mgmt->cache_count > 0) {
		SPDK_ERRLOG("Cannot queue io_wait if spdk_bdev_io available in per-thread cache "
			    "(bdev %s, thread %s)\n",
			    bdev->name, updk__bdev_thread_name());
		return -EINVAL;
	}
	if (entry->dep_unblock) {
		TAILQ_INSERT_HEAD(&mgmt->io_wait_queue, entry, link);
	} else {
		TAILQ_INSERT_TAIL(&mgmt->io_wait_queue, entry, link);
	}
	bdev_io_wait_arm(mgmt);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Buffers                                                                 */
/* ---------------------------------------------------------------------- */

static void *
bdev_buf_alloc(struct spdk_bdev_io *bdev_io, uint64_t len, bool *cached)
{
	struct bdev_mgmt_channel *mgmt = bdev_io->internal.ch->mgmt;
	size_t align =
		spdk_max((size_t)BDEV_BUF_ALIGN, (size_t)1 << bdev_io->bdev->required_alignment);
	void *buf;

	if (len <= BDEV_BUF_CACHE_MAX_SIZE && align == BDEV_BUF_ALIGN) {
		*cached = true;
		buf = mgmt->buf_cache;
		if (buf != NULL) {
			mgmt->buf_cache = *(void **)buf;
			mgmt->buf_cache_count--;
			return buf;
		}
		return spdk_dma_malloc(BDEV_BUF_CACHE_MAX_SIZE, BDEV_BUF_ALIGN, NULL);
	}
	*cached = false;
	return spdk_dma_malloc(len == 0 ? 1 : len, align, NULL);
}

static void
bdev_buf_free(struct bdev_mgmt_channel *mgmt, void *buf, bool cached)
{
	if (cached && mgmt->buf_cache_count < g_bdev_opts.iobuf_large_cache_size) {
		*(void **)buf = mgmt->buf_cache;
		mgmt->buf_cache = buf;
		mgmt->buf_cache_count++;
		return;
	}
	spdk_dma_free(buf);
}

/* Give \p bdev_io a buffer of its own of \p len bytes. */
static int
bdev_io_alloc_own_buf(struct spdk_bdev_io *bdev_io, uint64_t len)
{
	bool cached;
	void *buf;

	if (bdev_io->internal.buf != NULL) {
		return 0;
	}
	buf = bdev_buf_alloc(bdev_io, len, &cached);
	if (buf == NULL) {
		SPDK_ERRLOG("bdev %s: out of memory for a %" PRIu64 "-byte I/O buffer (thread "
			    "%s)\n",
			    bdev_io->bdev->name, len, updk__bdev_thread_name());
		return -ENOMEM;
	}
	bdev_io->internal.buf = buf;
	bdev_io->internal.buf_len = len;
	if (cached) {
		bdev_io->internal.flags |= BDEV_IO_F_BUF_CACHED;
	}
	return 0;
}

static void
bdev_io_release_buf(struct spdk_bdev_io *bdev_io)
{
	bdev_buf_free(bdev_io->internal.ch->mgmt, bdev_io->internal.buf,
		      (bdev_io->internal.flags & BDEV_IO_F_BUF_CACHED) != 0);
	bdev_io->internal.buf = NULL;
	bdev_io->internal.flags &= (uint8_t)~BDEV_IO_F_BUF_CACHED;
}

static bool
bdev_iovs_aligned(struct iovec *iovs, int iovcnt, uint8_t required_alignment)
{
	uintptr_t mask = ((uintptr_t)1 << required_alignment) - 1;
	int i;

	for (i = 0; i < iovcnt; i++) {
		if (((uintptr_t)iovs[i].iov_base & mask) != 0) {
			return false;
		}
	}
	return true;
}

static uint64_t
bdev_iovs_len(const struct iovec *iovs, int iovcnt)
{
	uint64_t len = 0;
	int i;

	for (i = 0; i < iovcnt; i++) {
		len += iovs[i].iov_len;
	}
	return len;
}

/* Copy between a flat buffer and the bytes [offset, offset + len) of iovs. */
static void
bdev_iovs_copy(struct iovec *iovs, int iovcnt, uint64_t offset, void *buf, uint64_t len,
	       bool to_iovs)
{
	uint8_t *p = buf;
	uint64_t n;
	int i;

	for (i = 0; i < iovcnt && len > 0; i++) {
		if (offset >= iovs[i].iov_len) {
			offset -= iovs[i].iov_len;
			continue;
		}
		n = spdk_min(iovs[i].iov_len - offset, len);
		if (to_iovs) {
			memcpy((uint8_t *)iovs[i].iov_base + offset, p, n);
		} else {
			memcpy(p, (uint8_t *)iovs[i].iov_base + offset, n);
		}
		p += n;
		len -= n;
		offset = 0;
	}
}

/* Compare the bytes [offset, offset + len) of iovs with buf. */
static bool
bdev_iovs_equal(struct iovec *iovs, int iovcnt, uint64_t offset, const void *buf, uint64_t len)
{
	const uint8_t *p = buf;
	uint64_t n;
	int i;

	for (i = 0; i < iovcnt && len > 0; i++) {
		if (offset >= iovs[i].iov_len) {
			offset -= iovs[i].iov_len;
			continue;
		}
		n = spdk_min(iovs[i].iov_len - offset, len);
		if (memcmp((uint8_t *)iovs[i].iov_base + offset, p, n) != 0) {
			return false;
		}
		p += n;
		len -= n;
		offset = 0;
	}
	return len == 0;
}

/* Replace the I/O's segments by one aligned buffer (copying the data in for
 * writes); bdev_io_complete() copies it back out for reads. */
static int
bdev_io_bounce(struct spdk_bdev_io *bdev_io)
{
	uint64_t len = bdev_iovs_len(bdev_io->u.bdev.iovs, bdev_io->u.bdev.iovcnt);
	int rc;

	rc = bdev_io_alloc_own_buf(bdev_io, len);
	if (rc != 0) {
		return rc;
	}
	bdev_io->internal.orig_iovs = bdev_io->u.bdev.iovs;
	bdev_io->internal.orig_iovcnt = bdev_io->u.bdev.iovcnt;
	bdev_io->internal.bounce_iov.iov_base = bdev_io->internal.buf;
	bdev_io->internal.bounce_iov.iov_len = len;
	if (bdev_io->type == SPDK_BDEV_IO_TYPE_WRITE) {
		bdev_iovs_copy(bdev_io->u.bdev.iovs, bdev_io->u.bdev.iovcnt, 0,
			       bdev_io->internal.buf, len, false);
	}
	bdev_io->u.bdev.iovs = &bdev_io->internal.bounce_iov;
	bdev_io->u.bdev.iovcnt = 1;
	bdev_io->internal.flags |= BDEV_IO_F_BOUNCED;
	return 0;
}

static void
bdev_io_unbounce(struct spdk_bdev_io *bdev_io)
{
	if (bdev_io->type == SPDK_BDEV_IO_TYPE_READ &&
	    bdev_io->internal.status == SPDK_BDEV_IO_STATUS_SUCCESS) {
		bdev_iovs_copy(bdev_io->internal.orig_iovs, bdev_io->internal.orig_iovcnt, 0,
			       bdev_io->internal.bounce_iov.iov_base,
			       bdev_io->internal.bounce_iov.iov_len, true);
	}
	bdev_io->u.bdev.iovs = bdev_io->internal.orig_iovs;
	bdev_io->u.bdev.iovcnt = bdev_io->internal.orig_iovcnt;
	bdev_io->internal.flags &= (uint8_t)~BDEV_IO_F_BOUNCED;
}

void
spdk_bdev_io_get_buf(struct spdk_bdev_io *bdev_io, spdk_bdev_io_get_buf_cb cb, uint64_t len)
{
	struct spdk_bdev_channel *bch = bdev_io->internal.ch;
	struct spdk_bdev *bdev = bdev_io->bdev;
	bool ok = true;

	if (bdev_io->u.bdev.iovs != NULL && bdev_io->u.bdev.iovcnt > 0 &&
	    bdev_io->u.bdev.iovs[0].iov_base != NULL) {
		if (bdev->required_alignment != 0 &&
		    !(bdev_io->internal.flags & BDEV_IO_F_BOUNCED) &&
		    !bdev_iovs_aligned(bdev_io->u.bdev.iovs, bdev_io->u.bdev.iovcnt,
				       bdev->required_alignment)) {
			ok = bdev_io_bounce(bdev_io) == 0;
		}
		cb(bch->channel, bdev_io, ok);
		return;
	}
	if (len > SPDK_BDEV_LARGE_BUF_MAX_SIZE) {
		SPDK_ERRLOG("spdk_bdev_io_get_buf(%s): %" PRIu64 " bytes is more than the %d "
			    "allowed for an I/O without a buffer (thread %s)\n",
			    bdev->name, len, SPDK_BDEV_LARGE_BUF_MAX_SIZE,
			    updk__bdev_thread_name());
		cb(bch->channel, bdev_io, false);
		return;
	}
	if (bdev_io_alloc_own_buf(bdev_io, len) != 0) {
		cb(bch->channel, bdev_io, false);
		return;
	}
	bdev_io->iov.iov_base = bdev_io->internal.buf;
	bdev_io->iov.iov_len = len;
	bdev_io->u.bdev.iovs = &bdev_io->iov;
	bdev_io->u.bdev.iovcnt = 1;
	cb(bch->channel, bdev_io, true);
}

void
spdk_bdev_io_set_buf(struct spdk_bdev_io *bdev_io, void *buf, size_t len)
{
	bdev_io->iov.iov_base = buf;
	bdev_io->iov.iov_len = len;
	bdev_io->u.bdev.iovs = &bdev_io->iov;
	bdev_io->u.bdev.iovcnt = 1;
}

void
spdk_bdev_io_set_md_buf(struct spdk_bdev_io *bdev_io, void *md_buf, size_t len)
{
	bdev_io->u.bdev.md_buf = md_buf;
}

/* ---------------------------------------------------------------------- */
/* Channels                                                                */
/* ---------------------------------------------------------------------- */

int
updk__bdev_channel_create(void *io_device, void *ctx_buf)
{
	struct spdk_bdev *bdev = bdev_from_io_dev(io_device);
	struct spdk_bdev_channel *ch = ctx_buf;
	struct spdk_io_channel *mgmt_ch;

	ch->bdev = bdev;
	ch->thread = spdk_get_thread();
	ch->clock = updk__thread_clock(ch->thread);
	ch->submit_request = bdev->fn_table->submit_request;
	ch->flags = 0;
	ch->io_outstanding = 0;
	ch->frozen_count = 0;
	LIST_INIT(&ch->io_submitted);
	TAILQ_INIT(&ch->nomem_io);
	TAILQ_INIT(&ch->frozen_io);
	updk__bdev_stat_init(&ch->stat);
	memset(&ch->error_stat, 0, sizeof(ch->error_stat));

	ch->channel = bdev->fn_table->get_io_channel(bdev->ctxt);
	if (ch->channel == NULL) {
		SPDK_ERRLOG("bdev %s: module %s could not create its I/O channel on thread %s\n",
			    bdev->name, bdev->module->name, updk__bdev_thread_name());
		return -ENOMEM;
	}
	mgmt_ch = spdk_get_io_channel(&g_bdev_mgr);
	if (mgmt_ch == NULL) {
		spdk_put_io_channel(ch->channel);
		return -ENOMEM;
	}
	ch->mgmt = spdk_io_channel_get_ctx(mgmt_ch);

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (bdev->internal.histogram_enabled) {
		ch->histogram = spdk_histogram_data_alloc_sized_ext(
			bdev->internal.histogram_shift, bdev->internal.histogram_min_range,
			bdev->internal.histogram_max_range);
		ch->histogram_io_type = bdev->internal.histogram_io_type;
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return 0;
}

void
updk__bdev_channel_destroy(void *io_device, void *ctx_buf)
{
	struct spdk_bdev_channel *ch = ctx_buf;
	struct spdk_bdev *bdev = ch->bdev;

	if (ch->io_outstanding != 0) {
		SPDK_ERRLOG("bdev %s: channel on thread %s released with %" PRIu64 " I/O still "
			    "outstanding; their callbacks will not run\n",
			    bdev->name, spdk_thread_get_name(ch->thread), ch->io_outstanding);
	}
	spdk_poller_unregister(&ch->nomem_poller);

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	/* Requests under way count it now (once); then the stored totals keep it. */
	updk__bdev_device_stat_channel_gone_locked(ch);
	if (bdev->internal.stat != NULL) {
		updk__bdev_channel_stat_add(bdev->internal.stat, &ch->stat);
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	spdk_histogram_data_free(ch->histogram);
	ch->histogram = NULL;
	spdk_put_io_channel(ch->channel);
	spdk_put_io_channel(spdk_io_channel_from_ctx(ch->mgmt));
}

/* ---------------------------------------------------------------------- */
/* Completion                                                              */
/* ---------------------------------------------------------------------- */

static void
bdev_io_complete_msg(void *arg)
{
	bdev_io_complete(arg);
}

/* Complete \p bdev_io with \p status from the bdev layer, by a message so
 * that the caller's stack is never re-entered. */
static void
bdev_io_finish_later(struct spdk_bdev_io *bdev_io, enum spdk_bdev_io_status status)
{
	bdev_io->internal.status = (int8_t)status;
	if (spdk_thread_send_msg(bdev_io->internal.ch->thread, bdev_io_complete_msg, bdev_io) !=
	    0) {
		bdev_io_complete(bdev_io);
	}
}

/* Complete a parent (split, emulation, abort): by a message while its
 * submission is still on the stack, else at once. */
static void
bdev_io_finish(struct spdk_bdev_io *bdev_io, int8_t status)
{
	if (bdev_io->internal.in_submit_request) {
		bdev_io_finish_later(bdev_io, (enum spdk_bdev_io_status)status);
		return;
	}
	bdev_io->internal.status = status;
	bdev_io_complete(bdev_io);
}

/* Now, by the channel's thread's poll clock when it runs. */
static inline uint64_t
bdev_channel_now(struct spdk_bdev_channel *ch)
{
	uint64_t tsc = *ch->clock;

	return spdk_likely(tsc != 0) ? tsc : spdk_get_ticks();
}

static inline void
bdev_io_update_stat(struct spdk_bdev_channel *ch, struct spdk_bdev_io *bdev_io, uint64_t tsc)
{
	struct spdk_bdev_io_stat *st = &ch->stat;
	/* Never negative, should the clocks of two cores disagree. */
	uint64_t lat = tsc > bdev_io->internal.submit_tsc ? tsc - bdev_io->internal.submit_tsc : 0;

	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		st->bytes_read += bdev_io_bytes(bdev_io);
		st->num_read_ops++;
		st->read_latency_ticks += lat;
		if (spdk_unlikely(lat > st->max_read_latency_ticks)) {
			st->max_read_latency_ticks = lat;
		}
		if (spdk_unlikely(lat < st->min_read_latency_ticks)) {
			st->min_read_latency_ticks = lat;
		}
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
		st->bytes_written += bdev_io_bytes(bdev_io);
		st->num_write_ops++;
		st->write_latency_ticks += lat;
		if (spdk_unlikely(lat > st->max_write_latency_ticks)) {
			st->max_write_latency_ticks = lat;
		}
		if (spdk_unlikely(lat < st->min_write_latency_ticks)) {
			st->min_write_latency_ticks = lat;
		}
		break;
	case SPDK_BDEV_IO_TYPE_UNMAP:
		st->bytes_unmapped += bdev_io_bytes(bdev_io);
		st->num_unmap_ops++;
		st->unmap_latency_ticks += lat;
		st->max_unmap_latency_ticks = spdk_max(st->max_unmap_latency_ticks, lat);
		st->min_unmap_latency_ticks = spdk_min(st->min_unmap_latency_ticks, lat);
		break;
	case SPDK_BDEV_IO_TYPE_COPY:
		st->bytes_copied += bdev_io_bytes(bdev_io);
		st->num_copy_ops++;
		st->copy_latency_ticks += lat;
		st->max_copy_latency_ticks = spdk_max(st->max_copy_latency_ticks, lat);
		st->min_copy_latency_ticks = spdk_min(st->min_copy_latency_ticks, lat);
		break;
	default:
		break;
	}
	if (spdk_unlikely(ch->histogram != NULL) &&
	    (ch->histogram_io_type == 0 || ch->histogram_io_type == bdev_io->type)) {
		spdk_histogram_data_tally(ch->histogram, lat);
	}
}

static void bdev_reset_complete(struct spdk_bdev_io *bdev_io);

/* Work after a completion on a channel with flags set. */
static void
bdev_channel_after_complete(struct spdk_bdev_channel *ch)
{
	if ((ch->flags & BDEV_CH_NOMEM) && ch->io_outstanding <= ch->nomem_threshold) {
		bdev_channel_retry_nomem(ch);
	}
}

static void
bdev_io_complete(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;
	int8_t status = bdev_io->internal.status;
	uint64_t tsc;

	if (spdk_unlikely(bdev_io->internal.flags & BDEV_IO_F_SLOW)) {
		if (bdev_io->internal.flags & BDEV_IO_F_BOUNCED) {
			bdev_io_unbounce(bdev_io);
		}
		if (bdev_io->internal.flags & BDEV_IO_F_CHILD) {
			bdev_io->internal.cb(bdev_io, status == SPDK_BDEV_IO_STATUS_SUCCESS,
					     bdev_io->internal.caller_ctx);
			return;
		}
	}
	if (spdk_unlikely(bdev_io->type == SPDK_BDEV_IO_TYPE_RESET)) {
		bdev_reset_complete(bdev_io);
		return;
	}

	tsc = bdev_channel_now(ch);
	ch->io_outstanding--;
	LIST_REMOVE(bdev_io, internal.ch_link);
	if (spdk_likely(status == SPDK_BDEV_IO_STATUS_SUCCESS)) {
		bdev_io_update_stat(ch, bdev_io, tsc);
	} else if (status < 0 && status >= SPDK_MIN_BDEV_IO_STATUS) {
		ch->error_stat.error_status[-status]++;
	}

	bdev_io->internal.cb(bdev_io, status == SPDK_BDEV_IO_STATUS_SUCCESS,
			     bdev_io->internal.caller_ctx);

	/* The channel outlives the callback: its release is deferred by a message. */
	if (spdk_unlikely(ch->flags != 0)) {
		bdev_channel_after_complete(ch);
	}
}

static int
bdev_nomem_poll(void *arg)
{
	struct spdk_bdev_channel *ch = arg;

	bdev_channel_retry_nomem(ch);
	return SPDK_POLLER_BUSY;
}

static void
bdev_io_nomem(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;

	bdev_io->num_retries++;
	bdev_io->internal.flags |= BDEV_IO_F_Q_NOMEM;
	if (ch->nomem_retrying == bdev_io) {
		/* Keep the order: it goes back to the head. */
		ch->nomem_requeued = true;
		TAILQ_INSERT_HEAD(&ch->nomem_io, bdev_io, internal.link);
	} else {
		TAILQ_INSERT_TAIL(&ch->nomem_io, bdev_io, internal.link);
	}
	ch->flags |= BDEV_CH_NOMEM;
	/* Retry once a good part of what the module holds has completed. */
	ch->nomem_threshold = spdk_max(ch->io_outstanding / 2,
				       ch->io_outstanding > 8 ? ch->io_outstanding - 8 : 0);
	if (ch->nomem_poller == NULL) {
		/* Retries must progress even when nothing else completes here. */
		ch->nomem_poller = SPDK_POLLER_REGISTER(bdev_nomem_poll, ch, BDEV_RETRY_POLL_US);
	}
}

static void
bdev_channel_retry_nomem(struct spdk_bdev_channel *ch)
{
	struct spdk_bdev_io *bdev_io;

	while ((bdev_io = TAILQ_FIRST(&ch->nomem_io)) != NULL) {
		TAILQ_REMOVE(&ch->nomem_io, bdev_io, internal.link);
		bdev_io->internal.flags &= (uint8_t)~BDEV_IO_F_Q_NOMEM;
		ch->nomem_retrying = bdev_io;
		ch->nomem_requeued = false;
		bdev_io_to_module(bdev_io);
		ch->nomem_retrying = NULL;
		if (ch->nomem_requeued) {
			return;
		}
	}
	ch->flags &= ~BDEV_CH_NOMEM;
	spdk_poller_unregister(&ch->nomem_poller);
}

void
spdk_bdev_io_complete(struct spdk_bdev_io *bdev_io, enum spdk_bdev_io_status status)
{
	if (spdk_unlikely(bdev_io == NULL)) {
		SPDK_ERRLOG("spdk_bdev_io_complete: bdev_io is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return;
	}
	if (spdk_unlikely(bdev_io->internal.status != SPDK_BDEV_IO_STATUS_PENDING ||
			  status == SPDK_BDEV_IO_STATUS_PENDING)) {
		SPDK_ERRLOG("Unexpected completion on IO from %s module, status was %s "
			    "(bdev %s, type %s, new status %d, thread %s)\n",
			    bdev_io->bdev->module->name,
			    bdev_io->internal.status == SPDK_BDEV_IO_STATUS_PENDING
				    ? "PENDING"
				    : "already completed",
			    bdev_io->bdev->name,
			    spdk_bdev_get_io_type_name((enum spdk_bdev_io_type)bdev_io->type),
			    (int)status, updk__bdev_thread_name());
		return;
	}
	if (spdk_unlikely(status == SPDK_BDEV_IO_STATUS_NOMEM)) {
		if (bdev_io->type == SPDK_BDEV_IO_TYPE_RESET) {
			SPDK_ERRLOG("bdev %s: module %s completed a RESET with NOMEM, which is not "
				    "allowed; failing it\n",
				    bdev_io->bdev->name, bdev_io->bdev->module->name);
			status = SPDK_BDEV_IO_STATUS_FAILED;
		} else {
			bdev_io_nomem(bdev_io);
			return;
		}
	}
	bdev_io->internal.status = (int8_t)status;
	if (spdk_unlikely(bdev_io->internal.in_submit_request)) {
		if (spdk_thread_send_msg(bdev_io->internal.ch->thread, bdev_io_complete_msg,
					 bdev_io) == 0) {
			return;
		}
	}
	bdev_io_complete(bdev_io);
}

void
spdk_bdev_io_complete_nvme_status(struct spdk_bdev_io *bdev_io, uint32_t cdw0, int sct, int sc)
{
	enum spdk_bdev_io_status status;

	bdev_io->internal.error.nvme.cdw0 = cdw0;
	bdev_io->internal.error.nvme.sct = (uint8_t)sct;
	bdev_io->internal.error.nvme.sc = (uint8_t)sc;
	if (sct == 0 && sc == 0) {
		status = SPDK_BDEV_IO_STATUS_SUCCESS;
	} else if (sct == 0 && sc == 7) {
		status = SPDK_BDEV_IO_STATUS_ABORTED;
	} else if (sct == 2 && sc == 0x85) {
		status = SPDK_BDEV_IO_STATUS_MISCOMPARE;
	} else {
		status = SPDK_BDEV_IO_STATUS_NVME_ERROR;
	}
	spdk_bdev_io_complete(bdev_io, status);
}

void
spdk_bdev_io_complete_aio_status(struct spdk_bdev_io *bdev_io, int aio_result)
{
	bdev_io->internal.error.aio_result = aio_result;
	spdk_bdev_io_complete(bdev_io, aio_result == 0 ? SPDK_BDEV_IO_STATUS_SUCCESS
						       : SPDK_BDEV_IO_STATUS_AIO_ERROR);
}

void
spdk_bdev_io_complete_base_io_status(struct spdk_bdev_io *bdev_io,
				     const struct spdk_bdev_io *base_io)
{
	bdev_io->internal.error = base_io->internal.error;
	spdk_bdev_io_complete(bdev_io, (enum spdk_bdev_io_status)base_io->internal.status);
}

void
spdk_bdev_free_io(struct spdk_bdev_io *bdev_io)
{
	struct bdev_mgmt_channel *mgmt;

	if (spdk_unlikely(bdev_io == NULL)) {
		SPDK_ERRLOG("spdk_bdev_free_io: bdev_io is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return;
	}
	if (spdk_unlikely(bdev_io->internal.status == SPDK_BDEV_IO_STATUS_PENDING)) {
		SPDK_ERRLOG("spdk_bdev_free_io(%s): the I/O is still in progress or was already "
			    "freed; refused (thread %s)\n",
			    bdev_io->bdev->name, updk__bdev_thread_name());
		return;
	}
	mgmt = bdev_io->internal.ch->mgmt;
	if (spdk_unlikely(bdev_io->internal.buf != NULL)) {
		bdev_io_release_buf(bdev_io);
	}
	if (spdk_unlikely(mgmt->thread != spdk_get_thread())) {
		/* Not this thread's cache: the pool is safe from anywhere. */
		SPDK_ERRLOG("spdk_bdev_free_io(%s): called on thread %s, but the I/O was "
			    "submitted on thread %s\n",
			    bdev_io->bdev->name, updk__bdev_thread_name(),
			    spdk_thread_get_name(mgmt->thread));
		bdev_io->internal.status = SPDK_BDEV_IO_STATUS_PENDING;
		spdk_mempool_put(g_bdev_mgr.bdev_io_pool, bdev_io);
		return;
	}
	bdev_io_put(mgmt, bdev_io);
}

/* ---------------------------------------------------------------------- */
/* Submission                                                              */
/* ---------------------------------------------------------------------- */

static void
bdev_channel_misuse(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, const char *func)
{
	struct spdk_bdev_channel *bch;

	if (desc == NULL || ch == NULL) {
		SPDK_ERRLOG("%s: %s is NULL (thread %s)\n", func, desc == NULL ? "desc" : "ch",
			    updk__bdev_thread_name());
		return;
	}
	bch = bdev_channel_from_ch(ch);
	if (bch->thread != spdk_get_thread()) {
		bdev_log_foreign_channel(bch, ch, func);
		return;
	}
	SPDK_ERRLOG("%s: the channel is a channel of bdev %s, not of the descriptor's bdev %s "
		    "(thread %s)\n",
		    func, bch->bdev->name, desc->bdev->name, updk__bdev_thread_name());
}

/* The checks every submission starts with: the channel is the calling
 * thread's channel of the descriptor's bdev. */
static inline struct spdk_bdev_channel *
bdev_channel_check(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, const char *func)
{
	struct spdk_bdev_channel *bch;

	if (spdk_unlikely(desc == NULL || ch == NULL)) {
		bdev_channel_misuse(desc, ch, func);
		return NULL;
	}
	bch = bdev_channel_from_ch(ch);
	if (spdk_unlikely(bch->thread != spdk_get_thread() || bch->bdev != desc->bdev)) {
		bdev_channel_misuse(desc, ch, func);
		return NULL;
	}
	return bch;
}

static inline bool
bdev_range_valid(const struct spdk_bdev *bdev, uint64_t offset_blocks, uint64_t num_blocks)
{
	uint64_t end;

	if (spdk_unlikely(__builtin_add_overflow(offset_blocks, num_blocks, &end))) {
		return false;
	}
	return end <= bdev->blockcnt;
}

static void
bdev_log_range(const struct spdk_bdev *bdev, uint64_t offset_blocks, uint64_t num_blocks,
	       const char *func)
{
	SPDK_ERRLOG("%s(%s): offset_blocks %" PRIu64 " + num_blocks %" PRIu64 " is beyond the "
		    "%" PRIu64 " blocks of the bdev (thread %s)\n",
		    func, bdev->name, offset_blocks, num_blocks, bdev->blockcnt,
		    updk__bdev_thread_name());
}

static void
bdev_log_readonly(const struct spdk_bdev *bdev, const char *func)
{
	SPDK_ERRLOG("%s(%s): the descriptor was opened read-only (thread %s)\n", func, bdev->name,
		    updk__bdev_thread_name());
}

static void
bdev_log_unsupported(const struct spdk_bdev *bdev, uint8_t type, const char *func)
{
	SPDK_ERRLOG("%s(%s): bdev does not support %s I/O (module %s, thread %s)\n", func,
		    bdev->name, spdk_bdev_get_io_type_name((enum spdk_bdev_io_type)type),
		    bdev->module->name, updk__bdev_thread_name());
}

/* Convert byte offset and length to blocks; false when either is not a
 * multiple of the block size. */
static inline bool
bdev_bytes_to_blocks(struct spdk_bdev_desc *desc, uint64_t offset, uint64_t *offset_blocks,
		     uint64_t length, uint64_t *num_blocks, const char *func)
{
	uint32_t bs = desc != NULL ? spdk_bdev_desc_get_block_size(desc) : 0;

	if (spdk_unlikely(bs == 0)) {
		SPDK_ERRLOG("%s: desc is NULL (thread %s)\n", func, updk__bdev_thread_name());
		return false;
	}
	if (spdk_likely((bs & (bs - 1)) == 0)) {
		uint32_t shift = (uint32_t)__builtin_ctz(bs);

		if (spdk_likely(((offset | length) & (bs - 1)) == 0)) {
			*offset_blocks = offset >> shift;
			*num_blocks = length >> shift;
			return true;
		}
	} else if (offset % bs == 0 && length % bs == 0) {
		*offset_blocks = offset / bs;
		*num_blocks = length / bs;
		return true;
	}
	SPDK_ERRLOG("%s(%s): offset %" PRIu64 " or length %" PRIu64 " is not a multiple of the "
		    "block size %" PRIu32 " (thread %s)\n",
		    func, desc->bdev->name, offset, length, bs, updk__bdev_thread_name());
	return false;
}

/* Set the fields every new I/O needs. */
static inline void
bdev_io_init(struct spdk_bdev_io *bdev_io, struct spdk_bdev_channel *ch,
	     struct spdk_bdev_desc *desc, uint8_t type, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	bdev_io->bdev = ch->bdev;
	bdev_io->type = type;
	bdev_io->num_retries = 0;
	bdev_io->internal.ch = ch;
	bdev_io->internal.desc = desc;
	bdev_io->internal.cb = cb;
	bdev_io->internal.caller_ctx = cb_arg;
	bdev_io->internal.in_submit_request = false;
	bdev_io->internal.status = SPDK_BDEV_IO_STATUS_PENDING;
	bdev_io->internal.split = false;
	bdev_io->internal.flags = 0;
	bdev_io->internal.buf = NULL;
}

static inline void
bdev_io_init_block(struct spdk_bdev_io *bdev_io, struct iovec *iovs, int iovcnt, void *md,
		   uint64_t offset_blocks, uint64_t num_blocks)
{
	bdev_io->u.bdev.iovs = iovs;
	bdev_io->u.bdev.iovcnt = iovcnt;
	bdev_io->u.bdev.md_buf = md;
	bdev_io->u.bdev.num_blocks = num_blocks;
	bdev_io->u.bdev.offset_blocks = offset_blocks;
	bdev_io->u.bdev.memory_domain = NULL;
	bdev_io->u.bdev.accel_sequence = NULL;
}

/* Hand a user I/O to the layer: count it, then send it to the module, or
 * through the slow path when the channel or bdev asks for it. */
static inline void
bdev_io_submit(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;

	bdev_io->internal.submit_tsc = bdev_channel_now(ch);
	LIST_INSERT_HEAD(&ch->io_submitted, bdev_io, internal.ch_link);
	ch->io_outstanding++;
	if (spdk_likely((ch->flags | ch->bdev->internal.io_path_flags) == 0)) {
		bdev_io->internal.in_submit_request = true;
		ch->submit_request(ch->channel, bdev_io);
		bdev_io->internal.in_submit_request = false;
		return;
	}
	bdev_io_submit_slow(bdev_io);
}

/* Hand any other user I/O to the layer; these always take the slow path,
 * which knows about emulation and zero-length requests. */
static void
bdev_io_submit_other(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;

	bdev_io->internal.submit_tsc = bdev_channel_now(ch);
	LIST_INSERT_HEAD(&ch->io_submitted, bdev_io, internal.ch_link);
	ch->io_outstanding++;
	bdev_io_submit_slow(bdev_io);
}

/* Reads and writes of every form. */
static inline int
bdev_rw(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf, struct iovec *iov,
	int iovcnt, void *md, uint64_t offset_blocks, uint64_t num_blocks,
	spdk_bdev_io_completion_cb cb, void *cb_arg, uint8_t type, const char *func, bool vec)
{
	struct spdk_bdev_channel *bch;
	struct spdk_bdev_io *bdev_io;
	struct spdk_bdev *bdev;

	bch = bdev_channel_check(desc, ch, func);
	if (spdk_unlikely(bch == NULL)) {
		return -EINVAL;
	}
	bdev = bch->bdev;
	if (type == SPDK_BDEV_IO_TYPE_WRITE && spdk_unlikely(!desc->write)) {
		bdev_log_readonly(bdev, func);
		return -EBADF;
	}
	if (spdk_unlikely(!bdev_range_valid(bdev, offset_blocks, num_blocks))) {
		bdev_log_range(bdev, offset_blocks, num_blocks, func);
		return -EINVAL;
	}
	if (vec ? (iov == NULL || iovcnt < 1) : (buf == NULL && type == SPDK_BDEV_IO_TYPE_WRITE)) {
		SPDK_ERRLOG("%s(%s): %s (thread %s)\n", func, bdev->name,
			    !vec          ? "the write buffer is NULL"
			    : iov == NULL ? "iov is NULL"
					  : "iovcnt is below 1",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	bdev_io = bdev_io_get(bch->mgmt, true);
	if (spdk_unlikely(bdev_io == NULL)) {
		return -ENOMEM;
	}
	if (spdk_unlikely(md != NULL) && !spdk_bdev_is_md_separate(bdev)) {
		SPDK_ERRLOG("%s(%s): a metadata buffer was given but the bdev has no separate "
			    "metadata (thread %s)\n",
			    func, bdev->name, updk__bdev_thread_name());
		bdev_io_put(bch->mgmt, bdev_io);
		return -EINVAL;
	}
	bdev_io_init(bdev_io, bch, desc, type, cb, cb_arg);
	if (!vec) {
		bdev_io->iov.iov_base = buf;
		bdev_io->iov.iov_len = num_blocks * bdev->blocklen;
		iov = &bdev_io->iov;
		iovcnt = 1;
	}
	bdev_io_init_block(bdev_io, iov, iovcnt, md, offset_blocks, num_blocks);
	bdev_io_submit(bdev_io);
	return 0;
}

int
spdk_bdev_read(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf, uint64_t offset,
	       uint64_t nbytes, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	uint64_t offset_blocks, num_blocks;

	if (!bdev_bytes_to_blocks(desc, offset, &offset_blocks, nbytes, &num_blocks, __func__)) {
		return -EINVAL;
	}
	return bdev_rw(desc, ch, buf, NULL, 1, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_READ, __func__, false);
}

int
spdk_bdev_read_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
		      uint64_t offset_blocks, uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
		      void *cb_arg)
{
	return bdev_rw(desc, ch, buf, NULL, 1, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_READ, __func__, false);
}

int
spdk_bdev_read_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
			      void *md, uint64_t offset_blocks, uint64_t num_blocks,
			      spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_rw(desc, ch, buf, NULL, 1, md, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_READ, __func__, false);
}

int
spdk_bdev_readv(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, struct iovec *iov,
		int iovcnt, uint64_t offset, uint64_t nbytes, spdk_bdev_io_completion_cb cb,
		void *cb_arg)
{
	uint64_t offset_blocks, num_blocks;

	if (!bdev_bytes_to_blocks(desc, offset, &offset_blocks, nbytes, &num_blocks, __func__)) {
		return -EINVAL;
	}
	return bdev_rw(desc, ch, NULL, iov, iovcnt, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_READ, __func__, true);
}

int
spdk_bdev_readv_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, struct iovec *iov,
		       int iovcnt, uint64_t offset_blocks, uint64_t num_blocks,
		       spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_rw(desc, ch, NULL, iov, iovcnt, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_READ, __func__, true);
}

int
spdk_bdev_readv_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			       struct iovec *iov, int iovcnt, void *md, uint64_t offset_blocks,
			       uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_rw(desc, ch, NULL, iov, iovcnt, md, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_READ, __func__, true);
}

/* Options of the _ext calls; sets *md. */
static int
bdev_ext_opts_check(struct spdk_bdev_desc *desc, struct spdk_bdev_ext_io_opts *opts, void **md,
		    const char *func)
{
	*md = NULL;
	if (opts == NULL) {
		return 0;
	}
	if (opts->size == 0) {
		SPDK_ERRLOG("%s(%s): opts->size is 0 (thread %s)\n", func,
			    desc != NULL ? desc->bdev->name : "NULL", updk__bdev_thread_name());
		return -EINVAL;
	}
	if ((opts->size > offsetof(struct spdk_bdev_ext_io_opts, memory_domain) &&
	     opts->memory_domain != NULL) ||
	    (opts->size > offsetof(struct spdk_bdev_ext_io_opts, accel_sequence) &&
	     opts->accel_sequence != NULL)) {
		SPDK_ERRLOG("%s(%s): memory domains and accel sequences are not supported by "
			    "updk (thread %s)\n",
			    func, desc != NULL ? desc->bdev->name : "NULL",
			    updk__bdev_thread_name());
		return -ENOTSUP;
	}
	if (opts->size > offsetof(struct spdk_bdev_ext_io_opts, metadata)) {
		*md = opts->metadata;
	}
	return 0;
}

int
spdk_bdev_readv_blocks_ext(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			   struct iovec *iov, int iovcnt, uint64_t offset_blocks,
			   uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg,
			   struct spdk_bdev_ext_io_opts *opts)
{
	void *md;
	int rc;

	rc = bdev_ext_opts_check(desc, opts, &md, __func__);
	if (rc != 0) {
		return rc;
	}
	return bdev_rw(desc, ch, NULL, iov, iovcnt, md, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_READ, __func__, true);
}

int
spdk_bdev_write(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf, uint64_t offset,
		uint64_t nbytes, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	uint64_t offset_blocks, num_blocks;

	if (!bdev_bytes_to_blocks(desc, offset, &offset_blocks, nbytes, &num_blocks, __func__)) {
		return -EINVAL;
	}
	return bdev_rw(desc, ch, buf, NULL, 1, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_WRITE, __func__, false);
}

int
spdk_bdev_write_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
		       uint64_t offset_blocks, uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
		       void *cb_arg)
{
	return bdev_rw(desc, ch, buf, NULL, 1, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_WRITE, __func__, false);
}

int
spdk_bdev_write_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
			       void *md, uint64_t offset_blocks, uint64_t num_blocks,
			       spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_rw(desc, ch, buf, NULL, 1, md, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_WRITE, __func__, false);
}

int
spdk_bdev_writev(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, struct iovec *iov,
		 int iovcnt, uint64_t offset, uint64_t len, spdk_bdev_io_completion_cb cb,
		 void *cb_arg)
{
	uint64_t offset_blocks, num_blocks;

	if (!bdev_bytes_to_blocks(desc, offset, &offset_blocks, len, &num_blocks, __func__)) {
		return -EINVAL;
	}
	return bdev_rw(desc, ch, NULL, iov, iovcnt, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_WRITE, __func__, true);
}

int
spdk_bdev_writev_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, struct iovec *iov,
			int iovcnt, uint64_t offset_blocks, uint64_t num_blocks,
			spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_rw(desc, ch, NULL, iov, iovcnt, NULL, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_WRITE, __func__, true);
}

int
spdk_bdev_writev_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				struct iovec *iov, int iovcnt, void *md, uint64_t offset_blocks,
				uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_rw(desc, ch, NULL, iov, iovcnt, md, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_WRITE, __func__, true);
}

int
spdk_bdev_writev_blocks_ext(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			    struct iovec *iov, int iovcnt, uint64_t offset_blocks,
			    uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg,
			    struct spdk_bdev_ext_io_opts *opts)
{
	void *md;
	int rc;

	rc = bdev_ext_opts_check(desc, opts, &md, __func__);
	if (rc != 0) {
		return rc;
	}
	return bdev_rw(desc, ch, NULL, iov, iovcnt, md, offset_blocks, num_blocks, cb, cb_arg,
		       SPDK_BDEV_IO_TYPE_WRITE, __func__, true);
}

static inline bool
bdev_accepts(const struct spdk_bdev *bdev, uint8_t type)
{
	return (bdev->internal.io_types_accepted & (1ULL << type)) != 0;
}

static inline bool
bdev_native(const struct spdk_bdev *bdev, uint8_t type)
{
	return (bdev->io_type_supported & (1ULL << type)) != 0;
}

/* The non-read/write block calls: validation in SPDK's order, then an I/O. */
static int
bdev_block_op(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint8_t type,
	      bool needs_write, struct iovec *iov, int iovcnt, uint64_t offset_blocks,
	      uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg,
	      struct spdk_bdev_io **out, const char *func)
{
	struct spdk_bdev_channel *bch;
	struct spdk_bdev_io *bdev_io;
	struct spdk_bdev *bdev;

	bch = bdev_channel_check(desc, ch, func);
	if (bch == NULL) {
		return -EINVAL;
	}
	bdev = bch->bdev;
	if (needs_write && !desc->write) {
		bdev_log_readonly(bdev, func);
		return -EBADF;
	}
	if (!bdev_range_valid(bdev, offset_blocks, num_blocks)) {
		bdev_log_range(bdev, offset_blocks, num_blocks, func);
		return -EINVAL;
	}
	if (!bdev_accepts(bdev, type)) {
		bdev_log_unsupported(bdev, type, func);
		return -ENOTSUP;
	}
	if (iov != NULL && iovcnt < 1) {
		SPDK_ERRLOG("%s(%s): iovcnt is below 1 (thread %s)\n", func, bdev->name,
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	bdev_io = bdev_io_get(bch->mgmt, true);
	if (bdev_io == NULL) {
		return -ENOMEM;
	}
	bdev_io_init(bdev_io, bch, desc, type, cb, cb_arg);
	bdev_io_init_block(bdev_io, iov, iovcnt, NULL, offset_blocks, num_blocks);
	bdev_io->u.bdev.fused_iovs = NULL;
	bdev_io->u.bdev.fused_iovcnt = 0;
	*out = bdev_io;
	return 0;
}

int
spdk_bdev_write_zeroes_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			      uint64_t offset_blocks, uint64_t num_blocks,
			      spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	struct spdk_bdev_io *bdev_io;
	int rc;

	rc = bdev_block_op(desc, ch, SPDK_BDEV_IO_TYPE_WRITE_ZEROES, true, NULL, 0, offset_blocks,
			   num_blocks, cb, cb_arg, &bdev_io, __func__);
	if (rc != 0) {
		return rc;
	}
	bdev_io_submit_other(bdev_io);
	return 0;
}

int
spdk_bdev_write_zeroes(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset,
		       uint64_t len, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	uint64_t offset_blocks, num_blocks;

	if (!bdev_bytes_to_blocks(desc, offset, &offset_blocks, len, &num_blocks, __func__)) {
		return -EINVAL;
	}
	return spdk_bdev_write_zeroes_blocks(desc, ch, offset_blocks, num_blocks, cb, cb_arg);
}

int
spdk_bdev_unmap_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
		       uint64_t offset_blocks, uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
		       void *cb_arg)
{
	struct spdk_bdev_io *bdev_io;
	int rc;

	rc = bdev_block_op(desc, ch, SPDK_BDEV_IO_TYPE_UNMAP, true, NULL, 0, offset_blocks,
			   num_blocks, cb, cb_arg, &bdev_io, __func__);
	if (rc != 0) {
		return rc;
	}
	bdev_io_submit_other(bdev_io);
	return 0;
}

int
spdk_bdev_unmap(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset,
		uint64_t nbytes, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	uint64_t offset_blocks, num_blocks;

	if (!bdev_bytes_to_blocks(desc, offset, &offset_blocks, nbytes, &num_blocks, __func__)) {
		return -EINVAL;
	}
	return spdk_bdev_unmap_blocks(desc, ch, offset_blocks, num_blocks, cb, cb_arg);
}

int
spdk_bdev_flush_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
		       uint64_t offset_blocks, uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
		       void *cb_arg)
{
	struct spdk_bdev_io *bdev_io;
	int rc;

	rc = bdev_block_op(desc, ch, SPDK_BDEV_IO_TYPE_FLUSH, true, NULL, 0, offset_blocks,
			   num_blocks, cb, cb_arg, &bdev_io, __func__);
	if (rc != 0) {
		return rc;
	}
	bdev_io_submit_other(bdev_io);
	return 0;
}

int
spdk_bdev_flush(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset,
		uint64_t length, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	uint64_t offset_blocks, num_blocks;

	if (!bdev_bytes_to_blocks(desc, offset, &offset_blocks, length, &num_blocks, __func__)) {
		return -EINVAL;
	}
	return spdk_bdev_flush_blocks(desc, ch, offset_blocks, num_blocks, cb, cb_arg);
}

static int
bdev_compare(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf, struct iovec *iov,
	     int iovcnt, void *md, uint64_t offset_blocks, uint64_t num_blocks,
	     spdk_bdev_io_completion_cb cb, void *cb_arg, const char *func)
{
	struct spdk_bdev_io *bdev_io;
	int rc;

	if (iov == NULL && buf == NULL) {
		SPDK_ERRLOG("%s(%s): buf is NULL (thread %s)\n", func,
			    desc != NULL ? desc->bdev->name : "NULL", updk__bdev_thread_name());
		return -EINVAL;
	}
	rc = bdev_block_op(desc, ch, SPDK_BDEV_IO_TYPE_COMPARE, false, iov, iovcnt, offset_blocks,
			   num_blocks, cb, cb_arg, &bdev_io, func);
	if (rc != 0) {
		return rc;
	}
	if (md != NULL && !spdk_bdev_is_md_separate(bdev_io->bdev)) {
		SPDK_ERRLOG("%s(%s): a metadata buffer was given but the bdev has no separate "
			    "metadata (thread %s)\n",
			    func, bdev_io->bdev->name, updk__bdev_thread_name());
		bdev_io_put(bdev_io->internal.ch->mgmt, bdev_io);
		return -EINVAL;
	}
	if (iov == NULL) {
		bdev_io->iov.iov_base = buf;
		bdev_io->iov.iov_len = num_blocks * bdev_io->bdev->blocklen;
		bdev_io->u.bdev.iovs = &bdev_io->iov;
		bdev_io->u.bdev.iovcnt = 1;
	}
	bdev_io->u.bdev.md_buf = md;
	bdev_io_submit_other(bdev_io);
	return 0;
}

int
spdk_bdev_compare_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
			 uint64_t offset_blocks, uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
			 void *cb_arg)
{
	return bdev_compare(desc, ch, buf, NULL, 0, NULL, offset_blocks, num_blocks, cb, cb_arg,
			    __func__);
}

int
spdk_bdev_compare_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
				 void *md, uint64_t offset_blocks, uint64_t num_blocks,
				 spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_compare(desc, ch, buf, NULL, 0, md, offset_blocks, num_blocks, cb, cb_arg,
			    __func__);
}

int
spdk_bdev_comparev_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			  struct iovec *iov, int iovcnt, uint64_t offset_blocks,
			  uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_compare(desc, ch, NULL, iov, iovcnt, NULL, offset_blocks, num_blocks, cb,
			    cb_arg, __func__);
}

int
spdk_bdev_comparev_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				  struct iovec *iov, int iovcnt, void *md, uint64_t offset_blocks,
				  uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_compare(desc, ch, NULL, iov, iovcnt, md, offset_blocks, num_blocks, cb, cb_arg,
			    __func__);
}

int
spdk_bdev_comparev_and_writev_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				     struct iovec *compare_iov, int compare_iovcnt,
				     struct iovec *write_iov, int write_iovcnt,
				     uint64_t offset_blocks, uint64_t num_blocks,
				     spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	struct spdk_bdev_io *bdev_io;
	int rc;

	if (compare_iov == NULL || write_iov == NULL || write_iovcnt < 1) {
		SPDK_ERRLOG("%s(%s): %s (thread %s)\n", __func__,
			    desc != NULL ? desc->bdev->name : "NULL",
			    compare_iov == NULL ? "compare_iov is NULL"
						: "write_iov is NULL or empty",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	rc = bdev_block_op(desc, ch, SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE, true, compare_iov,
			   compare_iovcnt, offset_blocks, num_blocks, cb, cb_arg, &bdev_io,
			   __func__);
	if (rc != 0) {
		return rc;
	}
	if (num_blocks > bdev_io->bdev->acwu) {
		SPDK_ERRLOG("%s(%s): num_blocks %" PRIu64 " is above the atomic compare-and-write "
			    "unit %" PRIu16 " (thread %s)\n",
			    __func__, bdev_io->bdev->name, num_blocks, bdev_io->bdev->acwu,
			    updk__bdev_thread_name());
		bdev_io_put(bdev_io->internal.ch->mgmt, bdev_io);
		return -EINVAL;
	}
	bdev_io->u.bdev.fused_iovs = write_iov;
	bdev_io->u.bdev.fused_iovcnt = write_iovcnt;
	bdev_io_submit_other(bdev_io);
	return 0;
}

int
spdk_bdev_copy_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
		      uint64_t dst_offset_blocks, uint64_t src_offset_blocks, uint64_t num_blocks,
		      spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	struct spdk_bdev_channel *bch;
	struct spdk_bdev_io *bdev_io;
	struct spdk_bdev *bdev;

	bch = bdev_channel_check(desc, ch, __func__);
	if (bch == NULL) {
		return -EINVAL;
	}
	bdev = bch->bdev;
	if (!desc->write) {
		bdev_log_readonly(bdev, __func__);
		return -EBADF;
	}
	if (!bdev_range_valid(bdev, dst_offset_blocks, num_blocks)) {
		bdev_log_range(bdev, dst_offset_blocks, num_blocks, __func__);
		return -EINVAL;
	}
	if (!bdev_range_valid(bdev, src_offset_blocks, num_blocks)) {
		bdev_log_range(bdev, src_offset_blocks, num_blocks, __func__);
		return -EINVAL;
	}
	if (!bdev_accepts(bdev, SPDK_BDEV_IO_TYPE_COPY)) {
		bdev_log_unsupported(bdev, SPDK_BDEV_IO_TYPE_COPY, __func__);
		return -ENOTSUP;
	}
	bdev_io = bdev_io_get(bch->mgmt, true);
	if (bdev_io == NULL) {
		return -ENOMEM;
	}
	bdev_io_init(bdev_io, bch, desc, SPDK_BDEV_IO_TYPE_COPY, cb, cb_arg);
	bdev_io_init_block(bdev_io, NULL, 0, NULL, dst_offset_blocks, num_blocks);
	bdev_io->u.bdev.copy.src_offset_blocks = src_offset_blocks;
	bdev_io_submit_other(bdev_io);
	return 0;
}

static int
bdev_seek(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset_blocks,
	  uint8_t type, spdk_bdev_io_completion_cb cb, void *cb_arg, const char *func)
{
	struct spdk_bdev_io *bdev_io;
	int rc;

	rc = bdev_block_op(desc, ch, type, false, NULL, 0, offset_blocks, 0, cb, cb_arg, &bdev_io,
			   func);
	if (rc != 0) {
		return rc;
	}
	bdev_io->u.bdev.seek.offset = offset_blocks;
	bdev_io_submit_other(bdev_io);
	return 0;
}

int
spdk_bdev_seek_data(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset_blocks,
		    spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_seek(desc, ch, offset_blocks, SPDK_BDEV_IO_TYPE_SEEK_DATA, cb, cb_arg,
			 __func__);
}

int
spdk_bdev_seek_hole(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset_blocks,
		    spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_seek(desc, ch, offset_blocks, SPDK_BDEV_IO_TYPE_SEEK_HOLE, cb, cb_arg,
			 __func__);
}

uint64_t
spdk_bdev_io_get_seek_offset(const struct spdk_bdev_io *bdev_io)
{
	return bdev_io->u.bdev.seek.offset;
}

static int
bdev_nvme_passthru(struct spdk_bdev_desc *desc, uint8_t type, const char *func)
{
	if (desc == NULL) {
		SPDK_ERRLOG("%s: desc is NULL (thread %s)\n", func, updk__bdev_thread_name());
		return -EINVAL;
	}
	if (!desc->write) {
		bdev_log_readonly(desc->bdev, func);
		return -EBADF;
	}
	bdev_log_unsupported(desc->bdev, type, func);
	return -ENOTSUP;
}

int
spdk_bdev_nvme_admin_passthru(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			      const struct spdk_nvme_cmd *cmd, void *buf, size_t nbytes,
			      spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_nvme_passthru(desc, SPDK_BDEV_IO_TYPE_NVME_ADMIN, __func__);
}

int
spdk_bdev_nvme_io_passthru(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			   const struct spdk_nvme_cmd *cmd, void *buf, size_t nbytes,
			   spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	return bdev_nvme_passthru(desc, SPDK_BDEV_IO_TYPE_NVME_IO, __func__);
}

int
spdk_bdev_nvme_io_passthru_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			      const struct spdk_nvme_cmd *cmd, void *buf, size_t nbytes,
			      void *md_buf, size_t md_len, spdk_bdev_io_completion_cb cb,
			      void *cb_arg)
{
	return bdev_nvme_passthru(desc, SPDK_BDEV_IO_TYPE_NVME_IO_MD, __func__);
}

/* ---------------------------------------------------------------------- */
/* The slow path: frozen and NOMEM channels, splits, emulation, bouncing   */
/* ---------------------------------------------------------------------- */

/* Whether a read or write must be split to satisfy the bdev's limits. */
static bool
bdev_io_needs_split(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev *bdev = bdev_io->bdev;
	uint32_t flags = bdev->internal.io_path_flags;
	uint64_t off = bdev_io->u.bdev.offset_blocks, n = bdev_io->u.bdev.num_blocks;
	uint32_t max_segs;
	int i;

	if (n == 0) {
		return false;
	}
	if ((flags & BDEV_PATH_SPLIT_BOUNDARY) &&
	    off % bdev->optimal_io_boundary + n > bdev->optimal_io_boundary) {
		return true;
	}
	if ((flags & BDEV_PATH_SPLIT_WRITE_UNIT) && bdev_io->type == SPDK_BDEV_IO_TYPE_WRITE &&
	    n > bdev->write_unit_size) {
		return true;
	}
	if ((flags & BDEV_PATH_SPLIT_RW_SIZE) && n > bdev->max_rw_size) {
		return true;
	}
	if (flags & BDEV_PATH_SPLIT_SEGMENTS) {
		max_segs = bdev->max_num_segments != 0 ? bdev->max_num_segments : UINT32_MAX;
		if ((uint32_t)bdev_io->u.bdev.iovcnt > max_segs) {
			return true;
		}
		if (bdev->max_segment_size != 0) {
			for (i = 0; i < bdev_io->u.bdev.iovcnt; i++) {
				if (bdev_io->u.bdev.iovs[i].iov_len > bdev->max_segment_size) {
					return true;
				}
			}
		}
	}
	return false;
}

/* Blocks a child starting at \p offset may cover, at most \p n, for a child
 * of type \p type. */
static uint64_t
bdev_child_max_blocks(struct spdk_bdev *bdev, uint8_t type, uint64_t offset, uint64_t n)
{
	uint32_t flags = bdev->internal.io_path_flags;

	if (flags & BDEV_PATH_SPLIT_BOUNDARY) {
		n = spdk_min(n, bdev->optimal_io_boundary - offset % bdev->optimal_io_boundary);
	}
	if ((flags & BDEV_PATH_SPLIT_WRITE_UNIT) && type == SPDK_BDEV_IO_TYPE_WRITE) {
		n = spdk_min(n, bdev->write_unit_size - offset % bdev->write_unit_size);
	}
	if (flags & BDEV_PATH_SPLIT_RW_SIZE) {
		n = spdk_min(n, bdev->max_rw_size);
	}
	return n;
}

/* Fill child->child_iov with the bytes [src_off, src_off + bytes) of the
 * source segments, within the bdev's segment limits. \return the bytes
 * covered, a whole number of blocks (0 when not even one block fits). */
static uint64_t
bdev_child_fill_iovs(struct spdk_bdev_io *child, struct iovec *src, int srccnt, uint64_t src_off,
		     uint64_t bytes)
{
	struct spdk_bdev *bdev = child->bdev;
	uint32_t max_segs = SPDK_BDEV_IO_NUM_CHILD_IOV;
	uint64_t max_seg = bdev->max_segment_size != 0 ? bdev->max_segment_size : UINT64_MAX;
	uint64_t total = 0, n, excess;
	int i, cnt = 0;

	if (bdev->max_num_segments != 0) {
		max_segs = spdk_min(max_segs, bdev->max_num_segments);
	}
	for (i = 0; i < srccnt && total < bytes; i++) {
		uint64_t pos;

		if (src_off >= src[i].iov_len) {
			src_off -= src[i].iov_len;
			continue;
		}
		pos = src_off;
		while (pos < src[i].iov_len && total < bytes) {
			if ((uint32_t)cnt == max_segs) {
				goto full;
			}
			n = spdk_min(src[i].iov_len - pos, bytes - total);
			n = spdk_min(n, max_seg);
			child->child_iov[cnt].iov_base = (uint8_t *)src[i].iov_base + pos;
			child->child_iov[cnt].iov_len = n;
			cnt++;
			pos += n;
			total += n;
		}
		src_off = 0;
	}
full:
	excess = total % bdev->blocklen;
	total -= excess;
	while (excess > 0 && cnt > 0) {
		n = spdk_min(excess, child->child_iov[cnt - 1].iov_len);
		child->child_iov[cnt - 1].iov_len -= n;
		excess -= n;
		if (child->child_iov[cnt - 1].iov_len == 0) {
			cnt--;
		}
	}
	child->u.bdev.iovs = child->child_iov;
	child->u.bdev.iovcnt = cnt;
	return total;
}

/* Take a child of \p parent of \p type, or NULL (then the parent waits). */
static struct spdk_bdev_io *
bdev_child_get(struct spdk_bdev_io *parent, uint8_t type, spdk_bdev_io_completion_cb cb)
{
	struct spdk_bdev_channel *ch = parent->internal.ch;
	struct spdk_bdev_io *child;

	child = bdev_io_get(ch->mgmt, false);
	if (child == NULL) {
		return NULL;
	}
	bdev_io_init(child, ch, parent->internal.desc, type, cb, parent);
	child->internal.flags = BDEV_IO_F_CHILD;
	child->internal.parent = parent;
	child->internal.submit_tsc = parent->internal.submit_tsc;
	child->u.bdev.md_buf = NULL;
	child->u.bdev.memory_domain = NULL;
	child->u.bdev.accel_sequence = NULL;
	child->u.bdev.fused_iovs = NULL;
	child->u.bdev.fused_iovcnt = 0;
	return child;
}

static void
bdev_child_put(struct spdk_bdev_io *child)
{
	if (child->internal.buf != NULL) {
		bdev_io_release_buf(child);
	}
	bdev_io_put(child->internal.ch->mgmt, child);
}

static void
bdev_parent_wait(struct spdk_bdev_io *parent, spdk_bdev_io_wait_cb resume)
{
	struct bdev_mgmt_channel *mgmt = parent->internal.ch->mgmt;

	parent->internal.waitq_entry.bdev = parent->bdev;
	parent->internal.waitq_entry.cb_fn = resume;
	parent->internal.waitq_entry.cb_arg = parent;
	parent->internal.waitq_entry.dep_unblock = true;
	TAILQ_INSERT_HEAD(&mgmt->io_wait_queue, &parent->internal.waitq_entry, link);
	bdev_io_wait_arm(mgmt);
}

static void
bdev_child_record(struct spdk_bdev_io *parent, struct spdk_bdev_io *child, bool success)
{
	if (!success && parent->internal.sub.status == SPDK_BDEV_IO_STATUS_SUCCESS) {
		parent->internal.sub.status = child->internal.status;
		parent->internal.error = child->internal.error;
	}
}

static void
bdev_split_child_done(struct spdk_bdev_io *child, bool success, void *cb_arg)
{
	struct spdk_bdev_io *parent = cb_arg;

	bdev_child_record(parent, child, success);
	parent->internal.sub.outstanding--;
	bdev_child_put(child);
	bdev_split_continue(parent);
}

static void
bdev_split_resume(void *arg)
{
	bdev_split_continue(arg);
}

static void
bdev_split_continue(struct spdk_bdev_io *parent)
{
	struct spdk_bdev *bdev = parent->bdev;
	struct spdk_bdev_io *child;
	uint64_t n, bytes;

	while (parent->internal.sub.remaining_blocks > 0 &&
	       parent->internal.sub.status == SPDK_BDEV_IO_STATUS_SUCCESS &&
	       parent->internal.sub.outstanding < BDEV_SPLIT_MAX_OUTSTANDING) {
		child = bdev_child_get(parent, parent->type, bdev_split_child_done);
		if (child == NULL) {
			if (parent->internal.sub.outstanding == 0) {
				bdev_parent_wait(parent, bdev_split_resume);
			}
			return;
		}
		n = bdev_child_max_blocks(bdev, parent->type, parent->internal.sub.current_offset,
					  parent->internal.sub.remaining_blocks);
		bytes = bdev_child_fill_iovs(child, parent->u.bdev.iovs, parent->u.bdev.iovcnt,
					     parent->internal.sub.current_byte, n * bdev->blocklen);
		if (bytes == 0) {
			SPDK_ERRLOG("bdev %s: cannot split an I/O at block %" PRIu64
				    " within %" PRIu32 " segments of at most %" PRIu32
				    " bytes (or the buffers "
				    "are shorter than the I/O)\n",
				    bdev->name, parent->internal.sub.current_offset,
				    bdev->max_num_segments, bdev->max_segment_size);
			parent->internal.sub.status = SPDK_BDEV_IO_STATUS_FAILED;
			bdev_io_put(parent->internal.ch->mgmt, child);
			break;
		}
		n = bytes / bdev->blocklen;
		child->u.bdev.offset_blocks = parent->internal.sub.current_offset;
		child->u.bdev.num_blocks = n;
		parent->internal.sub.remaining_blocks -= n;
		parent->internal.sub.current_offset += n;
		parent->internal.sub.current_byte += bytes;
		parent->internal.sub.outstanding++;
		bdev_io_do_submit(child);
	}
	if (parent->internal.sub.outstanding == 0 &&
	    (parent->internal.sub.remaining_blocks == 0 ||
	     parent->internal.sub.status != SPDK_BDEV_IO_STATUS_SUCCESS)) {
		bdev_io_finish(parent, parent->internal.sub.status);
	}
}

static void
bdev_sub_start(struct spdk_bdev_io *parent, uint64_t offset_blocks)
{
	parent->internal.sub.remaining_blocks = parent->u.bdev.num_blocks;
	parent->internal.sub.current_offset = offset_blocks;
	parent->internal.sub.current_byte = 0;
	parent->internal.sub.outstanding = 0;
	parent->internal.sub.phase = 0;
	parent->internal.sub.status = SPDK_BDEV_IO_STATUS_SUCCESS;
}

static void
bdev_io_split(struct spdk_bdev_io *parent)
{
	uint64_t len;

	/* A read without a buffer gets one first, so the caller sees the data. */
	if (parent->type == SPDK_BDEV_IO_TYPE_READ && parent->u.bdev.iovcnt == 1 &&
	    parent->u.bdev.iovs[0].iov_base == NULL) {
		len = bdev_io_bytes(parent);
		if (bdev_io_alloc_own_buf(parent, len) != 0) {
			bdev_io_finish(parent, SPDK_BDEV_IO_STATUS_FAILED);
			return;
		}
		parent->iov.iov_base = parent->internal.buf;
		parent->iov.iov_len = len;
		parent->u.bdev.iovs = &parent->iov;
	}
	parent->internal.split = true;
	bdev_sub_start(parent, parent->u.bdev.offset_blocks);
	bdev_split_continue(parent);
}

/* Emulation of WRITE_ZEROES, COMPARE, COMPARE_AND_WRITE and COPY with reads
 * and writes, one child at a time. */

static void
bdev_emu_child_done(struct spdk_bdev_io *child, bool success, void *cb_arg)
{
	struct spdk_bdev_io *parent = cb_arg;
	struct spdk_bdev *bdev = parent->bdev;
	uint64_t n = child->u.bdev.num_blocks, bytes = n * bdev->blocklen;
	bool advance = true;

	parent->internal.sub.outstanding--;
	bdev_child_record(parent, child, success);
	if (success) {
		switch (parent->type) {
		case SPDK_BDEV_IO_TYPE_COMPARE:
		case SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE:
			if (parent->internal.sub.phase == EMU_PHASE_COMPARE &&
			    !bdev_iovs_equal(parent->u.bdev.iovs, parent->u.bdev.iovcnt,
					     parent->internal.sub.current_byte,
					     parent->internal.buf, bytes)) {
				parent->internal.sub.status = SPDK_BDEV_IO_STATUS_MISCOMPARE;
			}
			break;
		case SPDK_BDEV_IO_TYPE_COPY:
			/* After the read of a chunk comes its write. */
			if (parent->internal.sub.phase == EMU_PHASE_READ) {
				parent->internal.sub.phase = EMU_PHASE_WRITE;
				advance = false;
			} else {
				parent->internal.sub.phase = EMU_PHASE_READ;
			}
			break;
		default:
			break;
		}
	}
	if (advance) {
		parent->internal.sub.remaining_blocks -= n;
		parent->internal.sub.current_offset += n;
		parent->internal.sub.current_byte += bytes;
	}
	bdev_child_put(child);
	if (!advance) {
		/* The write of a copy covers exactly what the read brought in. */
		parent->internal.bounce_iov.iov_len = bytes;
	}
	bdev_emu_continue(parent);
}

static void
bdev_emu_resume(void *arg)
{
	bdev_emu_continue(arg);
}

static void
bdev_emu_continue(struct spdk_bdev_io *parent)
{
	struct spdk_bdev *bdev = parent->bdev;
	struct spdk_bdev_io *child;
	struct iovec src;
	uint64_t n, bytes, max_chunk, offset;
	uint8_t child_type;
	struct iovec *src_iovs;
	int src_cnt;
	uint64_t src_off;

	if (parent->internal.sub.status != SPDK_BDEV_IO_STATUS_SUCCESS) {
		bdev_io_finish(parent, parent->internal.sub.status);
		return;
	}
	if (parent->internal.sub.remaining_blocks == 0) {
		if (parent->type == SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE &&
		    parent->internal.sub.phase == EMU_PHASE_COMPARE) {
			bdev_sub_start(parent, parent->u.bdev.offset_blocks);
			parent->internal.sub.phase = EMU_PHASE_WRITE;
		} else {
			bdev_io_finish(parent, SPDK_BDEV_IO_STATUS_SUCCESS);
			return;
		}
	}

	max_chunk = parent->type == SPDK_BDEV_IO_TYPE_WRITE_ZEROES ? ZERO_BUFFER_SIZE
								   : BDEV_EMULATION_CHUNK;
	n = spdk_max(max_chunk / bdev->blocklen, 1);
	n = spdk_min(n, parent->internal.sub.remaining_blocks);
	offset = parent->internal.sub.current_offset;
	src_off = 0;
	switch (parent->type) {
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		child_type = SPDK_BDEV_IO_TYPE_WRITE;
		src.iov_base = g_bdev_mgr.zero_buffer;
		src.iov_len = ZERO_BUFFER_SIZE;
		src_iovs = &src;
		src_cnt = 1;
		break;
	case SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE:
		if (parent->internal.sub.phase == EMU_PHASE_WRITE) {
			child_type = SPDK_BDEV_IO_TYPE_WRITE;
			src_iovs = parent->u.bdev.fused_iovs;
			src_cnt = parent->u.bdev.fused_iovcnt;
			src_off = parent->internal.sub.current_byte;
			break;
		}
		/* The compare phase reads like COMPARE. */
		__attribute__((fallthrough));
	case SPDK_BDEV_IO_TYPE_COMPARE:
		child_type = SPDK_BDEV_IO_TYPE_READ;
		src.iov_base = parent->internal.buf;
		src.iov_len = BDEV_EMULATION_CHUNK;
		src_iovs = &src;
		src_cnt = 1;
		break;
	case SPDK_BDEV_IO_TYPE_COPY:
		src.iov_base = parent->internal.buf;
		src.iov_len = BDEV_EMULATION_CHUNK;
		src_iovs = &src;
		src_cnt = 1;
		if (parent->internal.sub.phase == EMU_PHASE_READ) {
			child_type = SPDK_BDEV_IO_TYPE_READ;
			offset = parent->u.bdev.copy.src_offset_blocks +
				 (parent->internal.sub.current_offset -
				  parent->u.bdev.offset_blocks);
		} else {
			/* Write back exactly what the read brought in. */
			child_type = SPDK_BDEV_IO_TYPE_WRITE;
			n = parent->internal.bounce_iov.iov_len / bdev->blocklen;
			src.iov_len = parent->internal.bounce_iov.iov_len;
		}
		break;
	default:
		assert(false);
		bdev_io_finish(parent, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}

	child = bdev_child_get(parent, child_type, bdev_emu_child_done);
	if (child == NULL) {
		bdev_parent_wait(parent, bdev_emu_resume);
		return;
	}
	if (!(parent->type == SPDK_BDEV_IO_TYPE_COPY && child_type == SPDK_BDEV_IO_TYPE_WRITE)) {
		n = bdev_child_max_blocks(bdev, child_type, offset, n);
	}
	bytes = bdev_child_fill_iovs(child, src_iovs, src_cnt, src_off, n * bdev->blocklen);
	if (bytes == 0) {
		SPDK_ERRLOG("bdev %s: cannot build a %s child of an emulated %s at block %" PRIu64
			    "\n",
			    bdev->name, spdk_bdev_get_io_type_name(child_type),
			    spdk_bdev_get_io_type_name(parent->type), offset);
		bdev_io_put(parent->internal.ch->mgmt, child);
		bdev_io_finish(parent, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	child->u.bdev.offset_blocks = offset;
	child->u.bdev.num_blocks = bytes / bdev->blocklen;
	parent->internal.sub.outstanding++;
	bdev_io_do_submit(child);
}

static void
bdev_io_emulate(struct spdk_bdev_io *parent)
{
	parent->internal.flags |= BDEV_IO_F_EMULATED;
	bdev_sub_start(parent, parent->u.bdev.offset_blocks);
	if (parent->type != SPDK_BDEV_IO_TYPE_WRITE_ZEROES &&
	    bdev_io_alloc_own_buf(parent, BDEV_EMULATION_CHUNK) != 0) {
		bdev_io_finish(parent, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	if (parent->u.bdev.num_blocks == 0) {
		bdev_io_finish(parent, SPDK_BDEV_IO_STATUS_SUCCESS);
		return;
	}
	bdev_emu_continue(parent);
}

/* Send an I/O (user or child) to the module, after the NOMEM queue and
 * alignment checks. */
static void
bdev_io_do_submit(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;

	if (ch->flags & BDEV_CH_NOMEM) {
		/* Behind the I/O already waiting, in order. */
		bdev_io->internal.flags |= BDEV_IO_F_Q_NOMEM;
		TAILQ_INSERT_TAIL(&ch->nomem_io, bdev_io, internal.link);
		return;
	}
	bdev_io_to_module(bdev_io);
}

/* Bounce a misaligned read or write, then call the module. */
static void
bdev_io_to_module(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;
	struct spdk_bdev *bdev = bdev_io->bdev;

	if ((bdev->internal.io_path_flags & BDEV_PATH_ALIGN) &&
	    (bdev_io->type == SPDK_BDEV_IO_TYPE_READ || bdev_io->type == SPDK_BDEV_IO_TYPE_WRITE) &&
	    !(bdev_io->internal.flags & BDEV_IO_F_BOUNCED) &&
	    !bdev_iovs_aligned(bdev_io->u.bdev.iovs, bdev_io->u.bdev.iovcnt,
			       bdev->required_alignment)) {
		if (bdev_io_bounce(bdev_io) != 0) {
			bdev_io_finish_later(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
			return;
		}
	}
	bdev_io->internal.in_submit_request = true;
	ch->submit_request(ch->channel, bdev_io);
	bdev_io->internal.in_submit_request = false;
}

static void
bdev_io_submit_slow(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;
	struct spdk_bdev *bdev = bdev_io->bdev;
	uint8_t type = bdev_io->type;

	if (ch->flags & BDEV_CH_FROZEN) {
		bdev_io->internal.flags |= BDEV_IO_F_Q_FROZEN;
		TAILQ_INSERT_TAIL(&ch->frozen_io, bdev_io, internal.link);
		ch->frozen_count++;
		return;
	}

	/* Parents live through their children: keep the caller's stack clean. */
	bdev_io->internal.in_submit_request = true;
	switch (type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
		if ((bdev->internal.io_path_flags & BDEV_PATH_SPLIT_WRITE_UNIT) &&
		    type == SPDK_BDEV_IO_TYPE_WRITE &&
		    (bdev_io->u.bdev.offset_blocks % bdev->write_unit_size != 0 ||
		     bdev_io->u.bdev.num_blocks % bdev->write_unit_size != 0)) {
			SPDK_ERRLOG("bdev %s: write at block %" PRIu64 " of %" PRIu64
				    " blocks is not "
				    "aligned to the write unit of %" PRIu32 " blocks\n",
				    bdev->name, bdev_io->u.bdev.offset_blocks,
				    bdev_io->u.bdev.num_blocks, bdev->write_unit_size);
			bdev_io_finish(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
			break;
		}
		if ((bdev->internal.io_path_flags & BDEV_PATH_SPLIT_MASK) &&
		    bdev_io_needs_split(bdev_io)) {
			bdev_io_split(bdev_io);
			break;
		}
		bdev_io->internal.in_submit_request = false;
		bdev_io_do_submit(bdev_io);
		return;
	case SPDK_BDEV_IO_TYPE_UNMAP:
		if (bdev_io->u.bdev.num_blocks == 0) {
			bdev_io_finish(bdev_io, SPDK_BDEV_IO_STATUS_SUCCESS);
			break;
		}
		bdev_io->internal.in_submit_request = false;
		bdev_io_do_submit(bdev_io);
		return;
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_COMPARE:
	case SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE:
	case SPDK_BDEV_IO_TYPE_COPY:
		if (!bdev_native(bdev, type)) {
			bdev_io_emulate(bdev_io);
			break;
		}
		bdev_io->internal.in_submit_request = false;
		bdev_io_do_submit(bdev_io);
		return;
	default:
		bdev_io->internal.in_submit_request = false;
		bdev_io_do_submit(bdev_io);
		return;
	}
	bdev_io->internal.in_submit_request = false;
}

/* ---------------------------------------------------------------------- */
/* Abort and queued I/O                                                    */
/* ---------------------------------------------------------------------- */

/* Take \p bdev_io off the NOMEM or frozen queue it waits on. \return whether
 * it was on one. */
static bool
bdev_io_dequeue(struct spdk_bdev_io *bdev_io)
{
	struct spdk_bdev_channel *ch = bdev_io->internal.ch;

	if (bdev_io->internal.flags & BDEV_IO_F_Q_NOMEM) {
		TAILQ_REMOVE(&ch->nomem_io, bdev_io, internal.link);
		bdev_io->internal.flags &= (uint8_t)~BDEV_IO_F_Q_NOMEM;
		if (TAILQ_EMPTY(&ch->nomem_io)) {
			ch->flags &= ~BDEV_CH_NOMEM;
			spdk_poller_unregister(&ch->nomem_poller);
		}
		return true;
	}
	if (bdev_io->internal.flags & BDEV_IO_F_Q_FROZEN) {
		TAILQ_REMOVE(&ch->frozen_io, bdev_io, internal.link);
		bdev_io->internal.flags &= (uint8_t)~BDEV_IO_F_Q_FROZEN;
		ch->frozen_count--;
		return true;
	}
	return false;
}

void
updk__bdev_freeze_abort_nomem(struct spdk_bdev_channel *ch)
{
	struct spdk_bdev_io *bdev_io;

	while ((bdev_io = TAILQ_FIRST(&ch->nomem_io)) != NULL) {
		bdev_io_dequeue(bdev_io);
		bdev_io_finish_later(bdev_io, SPDK_BDEV_IO_STATUS_ABORTED);
	}
}

void
updk__bdev_channel_abort_queued(struct spdk_bdev_channel *ch)
{
	struct spdk_bdev_io *bdev_io;

	updk__bdev_freeze_abort_nomem(ch);
	while ((bdev_io = TAILQ_FIRST(&ch->frozen_io)) != NULL) {
		bdev_io_dequeue(bdev_io);
		bdev_io_finish_later(bdev_io, SPDK_BDEV_IO_STATUS_ABORTED);
	}
}

static void
bdev_abort_child_done(struct spdk_bdev_io *child, bool success, void *cb_arg)
{
	struct spdk_bdev_io *parent = cb_arg;

	bdev_child_record(parent, child, success);
	parent->internal.sub.outstanding--;
	bdev_child_put(child);
	if (parent->internal.sub.outstanding == 0) {
		bdev_io_finish(parent, parent->internal.sub.status);
	}
}

int
spdk_bdev_abort(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *bio_cb_arg,
		spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	struct spdk_bdev_io *parent, *bdev_io, *tmp, *child;
	struct spdk_bdev_channel *bch;
	uint32_t matched = 0;

	bch = bdev_channel_check(desc, ch, __func__);
	if (bch == NULL) {
		return -EINVAL;
	}
	if (bio_cb_arg == NULL) {
		SPDK_ERRLOG("spdk_bdev_abort(%s): bio_cb_arg is NULL (thread %s)\n",
			    bch->bdev->name, updk__bdev_thread_name());
		return -EINVAL;
	}
	if (!bdev_native(bch->bdev, SPDK_BDEV_IO_TYPE_ABORT)) {
		bdev_log_unsupported(bch->bdev, SPDK_BDEV_IO_TYPE_ABORT, __func__);
		return -ENOTSUP;
	}
	parent = bdev_io_get(bch->mgmt, true);
	if (parent == NULL) {
		return -ENOMEM;
	}
	bdev_io_init(parent, bch, desc, SPDK_BDEV_IO_TYPE_ABORT, cb, cb_arg);
	parent->u.bdev.abort.bio_cb_arg = bio_cb_arg;
	parent->internal.submit_tsc = bdev_channel_now(bch);
	parent->internal.sub.outstanding = 0;
	parent->internal.sub.status = SPDK_BDEV_IO_STATUS_SUCCESS;
	parent->internal.in_submit_request = true;
	bch->io_outstanding++;

	LIST_FOREACH_SAFE(bdev_io, &bch->io_submitted, internal.ch_link, tmp)
	{
		if (bdev_io->internal.caller_ctx != bio_cb_arg ||
		    bdev_io->type == SPDK_BDEV_IO_TYPE_ABORT ||
		    bdev_io->type == SPDK_BDEV_IO_TYPE_RESET ||
		    bdev_io->internal.status != SPDK_BDEV_IO_STATUS_PENDING) {
			continue;
		}
		matched++;
		if (bdev_io_dequeue(bdev_io)) {
			bdev_io_finish_later(bdev_io, SPDK_BDEV_IO_STATUS_ABORTED);
			continue;
		}
		if (bdev_io->internal.split || (bdev_io->internal.flags & BDEV_IO_F_EMULATED)) {
			/* No more children; those in flight finish, then it completes. */
			if (bdev_io->internal.sub.status == SPDK_BDEV_IO_STATUS_SUCCESS) {
				bdev_io->internal.sub.status = SPDK_BDEV_IO_STATUS_ABORTED;
			}
			continue;
		}
		child = bdev_child_get(parent, SPDK_BDEV_IO_TYPE_ABORT, bdev_abort_child_done);
		if (child == NULL) {
			parent->internal.sub.status = SPDK_BDEV_IO_STATUS_FAILED;
			continue;
		}
		child->u.abort.bio_to_abort = bdev_io;
		parent->internal.sub.outstanding++;
		bdev_io_do_submit(child);
	}
	/* The abort itself is tracked like any I/O (it never matches itself). */
	LIST_INSERT_HEAD(&bch->io_submitted, parent, internal.ch_link);
	if (matched == 0) {
		parent->internal.sub.status = SPDK_BDEV_IO_STATUS_FAILED;
	}
	if (parent->internal.sub.outstanding == 0) {
		bdev_io_finish(parent, parent->internal.sub.status);
	}
	parent->internal.in_submit_request = false;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Reset                                                                   */
/* ---------------------------------------------------------------------- */

static void
bdev_reset_freeze_step(struct spdk_io_channel_iter *i)
{
	struct spdk_bdev_channel *ch = bdev_channel_from_ch(spdk_io_channel_iter_get_channel(i));

	ch->flags |= BDEV_CH_FROZEN;
	updk__bdev_freeze_abort_nomem(ch);
	spdk_for_each_channel_continue(i, 0);
}

static void bdev_reset_check_drain(struct spdk_bdev_io *bdev_io);

static void
bdev_reset_drain_step(struct spdk_io_channel_iter *i)
{
	struct spdk_bdev_io *reset = spdk_io_channel_iter_get_ctx(i);
	struct spdk_bdev_channel *ch = bdev_channel_from_ch(spdk_io_channel_iter_get_channel(i));

	reset->u.reset.wait_poller.outstanding += ch->io_outstanding - ch->frozen_count;
	spdk_for_each_channel_continue(i, 0);
}

static int
bdev_reset_recheck(void *arg)
{
	struct spdk_bdev_io *reset = arg;

	spdk_poller_unregister(&reset->u.reset.wait_poller.poller);
	bdev_reset_check_drain(reset);
	return SPDK_POLLER_BUSY;
}

static void
bdev_reset_drained(struct spdk_io_channel_iter *i, int status)
{
	struct spdk_bdev_io *reset = spdk_io_channel_iter_get_ctx(i);
	struct spdk_bdev_channel *ch = reset->internal.ch;

	if (reset->u.reset.wait_poller.outstanding > 0) {
		reset->u.reset.wait_poller.poller =
			SPDK_POLLER_REGISTER(bdev_reset_recheck, reset, BDEV_RETRY_POLL_US);
		if (reset->u.reset.wait_poller.poller != NULL) {
			return;
		}
	}
	if (!bdev_native(reset->bdev, SPDK_BDEV_IO_TYPE_RESET)) {
		/* Nothing to tell the module; the drain was the reset. */
		reset->internal.status = SPDK_BDEV_IO_STATUS_SUCCESS;
		bdev_io_complete(reset);
		return;
	}
	reset->internal.in_submit_request = true;
	ch->submit_request(ch->channel, reset);
	reset->internal.in_submit_request = false;
}

static void
bdev_reset_check_drain(struct spdk_bdev_io *bdev_io)
{
	bdev_io->u.reset.wait_poller.outstanding = 0;
	spdk_for_each_channel(bdev_to_io_dev(bdev_io->bdev), bdev_reset_drain_step, bdev_io,
			      bdev_reset_drained);
}

static void
bdev_reset_frozen(struct spdk_io_channel_iter *i, int status)
{
	bdev_reset_check_drain(spdk_io_channel_iter_get_ctx(i));
}

static void
bdev_reset_start(void *arg)
{
	struct spdk_bdev_io *bdev_io = arg;

	bdev_io->u.reset.ch_ref =
		spdk_io_channel_ref(spdk_io_channel_from_ctx(bdev_io->internal.ch));
	spdk_for_each_channel(bdev_to_io_dev(bdev_io->bdev), bdev_reset_freeze_step, bdev_io,
			      bdev_reset_frozen);
}

static void
bdev_reset_unfreeze_step(struct spdk_io_channel_iter *i)
{
	struct spdk_bdev_channel *ch = bdev_channel_from_ch(spdk_io_channel_iter_get_channel(i));
	bdev_io_tailq_t queued;
	struct spdk_bdev_io *bdev_io;

	ch->flags &= ~BDEV_CH_FROZEN;
	TAILQ_INIT(&queued);
	TAILQ_SWAP(&queued, &ch->frozen_io, spdk_bdev_io, internal.link);
	ch->frozen_count = 0;
	while ((bdev_io = TAILQ_FIRST(&queued)) != NULL) {
		TAILQ_REMOVE(&queued, bdev_io, internal.link);
		bdev_io->internal.flags &= (uint8_t)~BDEV_IO_F_Q_FROZEN;
		bdev_io_submit_slow(bdev_io);
	}
	spdk_for_each_channel_continue(i, 0);
}

static void
bdev_reset_unfrozen(struct spdk_io_channel_iter *i, int status)
{
	struct spdk_bdev_io *bdev_io = spdk_io_channel_iter_get_ctx(i);
	struct spdk_bdev *bdev = bdev_io->bdev;
	struct spdk_bdev_io *next;
	struct spdk_io_channel *ch_ref = bdev_io->u.reset.ch_ref;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	next = TAILQ_FIRST(&bdev->internal.queued_resets);
	if (next != NULL) {
		TAILQ_REMOVE(&bdev->internal.queued_resets, next, internal.link);
	}
	bdev->internal.reset_in_progress = next;
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	bdev_io->internal.cb(bdev_io, bdev_io->internal.status == SPDK_BDEV_IO_STATUS_SUCCESS,
			     bdev_io->internal.caller_ctx);
	if (ch_ref != NULL) {
		spdk_put_io_channel(ch_ref);
	}
	if (next != NULL &&
	    spdk_thread_send_msg(next->internal.ch->thread, bdev_reset_start, next) != 0) {
		SPDK_ERRLOG("bdev %s: the thread of a queued reset is gone\n", bdev->name);
	}
}

static void
bdev_reset_complete(struct spdk_bdev_io *bdev_io)
{
	spdk_for_each_channel(bdev_to_io_dev(bdev_io->bdev), bdev_reset_unfreeze_step, bdev_io,
			      bdev_reset_unfrozen);
}

int
spdk_bdev_reset(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
		spdk_bdev_io_completion_cb cb, void *cb_arg)
{
	struct spdk_bdev_channel *bch;
	struct spdk_bdev_io *bdev_io;
	struct spdk_bdev *bdev;
	bool start;

	bch = bdev_channel_check(desc, ch, __func__);
	if (bch == NULL) {
		return -EINVAL;
	}
	bdev = bch->bdev;
	bdev_io = bdev_io_get(bch->mgmt, true);
	if (bdev_io == NULL) {
		return -ENOMEM;
	}
	bdev_io_init(bdev_io, bch, desc, SPDK_BDEV_IO_TYPE_RESET, cb, cb_arg);
	bdev_io->internal.submit_tsc = bdev_channel_now(bch);
	bdev_io->u.reset.ch_ref = NULL;
	bdev_io->u.reset.wait_poller.poller = NULL;
	bdev_io->u.reset.wait_poller.outstanding = 0;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	start = bdev->internal.reset_in_progress == NULL;
	if (start) {
		bdev->internal.reset_in_progress = bdev_io;
	} else {
		TAILQ_INSERT_TAIL(&bdev->internal.queued_resets, bdev_io, internal.link);
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	if (start) {
		/* Start from a message: the caller's stack stays clean. */
		if (spdk_thread_send_msg(bch->thread, bdev_reset_start, bdev_io) != 0) {
			bdev_reset_start(bdev_io);
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Timeouts                                                                */
/* ---------------------------------------------------------------------- */

static void
bdev_timeout_step(struct spdk_io_channel_iter *i)
{
	struct spdk_bdev_desc *desc = spdk_io_channel_iter_get_ctx(i);
	struct spdk_bdev_channel *ch = bdev_channel_from_ch(spdk_io_channel_iter_get_channel(i));
	uint64_t now = spdk_get_ticks(), limit;
	struct spdk_bdev_io *bdev_io, *tmp;
	spdk_bdev_io_timeout_cb cb_fn;
	void *cb_arg;
	bool closed;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	closed = desc->closed;
	cb_fn = desc->cb_fn;
	cb_arg = desc->cb_arg;
	limit = desc->timeout_in_sec * spdk_get_ticks_hz();
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	if (!closed && cb_fn != NULL && limit != 0) {
		LIST_FOREACH_SAFE(bdev_io, &ch->io_submitted, internal.ch_link, tmp)
		{
			if (bdev_io->internal.desc == desc &&
			    now - bdev_io->internal.submit_tsc > limit) {
				cb_fn(cb_arg, bdev_io);
			}
		}
	}
	spdk_for_each_channel_continue(i, 0);
}

static void
bdev_timeout_done(struct spdk_io_channel_iter *i, int status)
{
	updk__bdev_desc_unref(spdk_io_channel_iter_get_ctx(i));
}

static int
bdev_timeout_poll(void *arg)
{
	struct spdk_bdev_desc *desc = arg;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	desc->refs++;
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	spdk_for_each_channel(bdev_to_io_dev(desc->bdev), bdev_timeout_step, desc,
			      bdev_timeout_done);
	return SPDK_POLLER_BUSY;
}

void
updk__bdev_timeout_poller_stop(struct spdk_bdev_desc *desc)
{
	spdk_poller_unregister(&desc->io_timeout_poller);
}

int
spdk_bdev_set_timeout(struct spdk_bdev_desc *desc, uint64_t timeout_s,
		      spdk_bdev_io_timeout_cb cb_fn, void *cb_arg)
{
	if (desc == NULL) {
		SPDK_ERRLOG("spdk_bdev_set_timeout: desc is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	if (desc->thread != spdk_get_thread()) {
		SPDK_ERRLOG("spdk_bdev_set_timeout(%s): called on thread %s, but the descriptor "
			    "belongs to thread %s\n",
			    desc->bdev->name, updk__bdev_thread_name(),
			    spdk_thread_get_name(desc->thread));
		return -EINVAL;
	}
	if (timeout_s != 0 && cb_fn == NULL) {
		SPDK_ERRLOG("spdk_bdev_set_timeout(%s): cb_fn is NULL (thread %s)\n",
			    desc->bdev->name, updk__bdev_thread_name());
		return -EINVAL;
	}
	spdk_poller_unregister(&desc->io_timeout_poller);
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	desc->timeout_in_sec = timeout_s;
	desc->cb_fn = cb_fn;
	desc->cb_arg = cb_arg;
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	if (timeout_s == 0) {
		return 0;
	}
	desc->io_timeout_poller = SPDK_POLLER_REGISTER(bdev_timeout_poll, desc, SPDK_SEC_TO_USEC);
	if (desc->io_timeout_poller == NULL) {
		return -ENOMEM;
	}
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Accessors                                                               */
/* ---------------------------------------------------------------------- */

void
spdk_bdev_io_get_nvme_status(const struct spdk_bdev_io *bdev_io, uint32_t *cdw0, int *sct, int *sc)
{
	uint32_t dw0 = 0;

	switch (bdev_io->internal.status) {
	case SPDK_BDEV_IO_STATUS_NVME_ERROR:
		dw0 = bdev_io->internal.error.nvme.cdw0;
		*sct = bdev_io->internal.error.nvme.sct;
		*sc = bdev_io->internal.error.nvme.sc;
		break;
	case SPDK_BDEV_IO_STATUS_SUCCESS:
		*sct = 0;
		*sc = 0;
		break;
	case SPDK_BDEV_IO_STATUS_MISCOMPARE:
		*sct = 2;
		*sc = 0x85;
		break;
	case SPDK_BDEV_IO_STATUS_ABORTED:
		*sct = 0;
		*sc = 7;
		break;
	default:
		*sct = 0;
		*sc = 6;
		break;
	}
	if (cdw0 != NULL) {
		*cdw0 = dw0;
	}
}

void
spdk_bdev_io_get_aio_status(const struct spdk_bdev_io *bdev_io, int *aio_result)
{
	switch (bdev_io->internal.status) {
	case SPDK_BDEV_IO_STATUS_AIO_ERROR:
		*aio_result = bdev_io->internal.error.aio_result;
		break;
	case SPDK_BDEV_IO_STATUS_SUCCESS:
		*aio_result = 0;
		break;
	default:
		*aio_result = -EIO;
		break;
	}
}

void
spdk_bdev_io_get_iovec(struct spdk_bdev_io *bdev_io, struct iovec **iovp, int *iovcntp)
{
	struct iovec *iovs = NULL;
	int iovcnt = 0;

	if (bdev_io == NULL) {
		SPDK_ERRLOG("spdk_bdev_io_get_iovec: bdev_io is NULL (thread %s)\n",
			    updk__bdev_thread_name());
	} else {
		switch (bdev_io->type) {
		case SPDK_BDEV_IO_TYPE_READ:
		case SPDK_BDEV_IO_TYPE_WRITE:
		case SPDK_BDEV_IO_TYPE_COMPARE:
		case SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE:
		case SPDK_BDEV_IO_TYPE_ZCOPY:
			iovs = bdev_io->u.bdev.iovs;
			iovcnt = bdev_io->u.bdev.iovcnt;
			break;
		default:
			break;
		}
	}
	if (iovp != NULL) {
		*iovp = iovs;
	}
	if (iovcntp != NULL) {
		*iovcntp = iovcnt;
	}
}

void *
spdk_bdev_io_get_md_buf(struct spdk_bdev_io *bdev_io)
{
	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_COMPARE:
		return bdev_io->u.bdev.md_buf;
	default:
		return NULL;
	}
}

void *
spdk_bdev_io_get_cb_arg(struct spdk_bdev_io *bdev_io)
{
	if (bdev_io == NULL) {
		SPDK_ERRLOG("spdk_bdev_io_get_cb_arg: bdev_io is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return NULL;
	}
	return bdev_io->internal.caller_ctx;
}

struct spdk_thread *
spdk_bdev_io_get_thread(struct spdk_bdev_io *bdev_io)
{
	return bdev_io->internal.ch->thread;
}

struct spdk_io_channel *
spdk_bdev_io_get_io_channel(struct spdk_bdev_io *bdev_io)
{
	return bdev_io->internal.ch->channel;
}

uint64_t
spdk_bdev_io_get_submit_tsc(struct spdk_bdev_io *bdev_io)
{
	return bdev_io->internal.submit_tsc;
}
