/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The table-driven bdev suite of bdev_suite.h. The main pthread polls the
 * app thread; worker pthreads each create and poll their own spdk_threads.
 * For each row the app thread creates the bdev and opens one descriptor (as
 * the seed does), then sends every worker thread a message; each worker takes
 * its own channel through that descriptor and runs the phases below on its
 * own slice of the bdev, so that workers never write the same block. A
 * worker keeps the seed each of its blocks was last written with and checks
 * every read against it. When every worker has reported back, the app
 * thread compares the device statistics with the workers' counts, closes the
 * descriptor and deletes the bdev.
 *
 * Phases (a worker moves on when all I/O of the previous one completed):
 * bounds (first and last block of the slice, synchronous refusals past the
 * end), sizes (write then read-verify, 3 rounds of many sizes at shifted
 * offsets), vectored (writev with 2..64 segments, readv back with another
 * split), zeroes (unmap and write zeroes over written data), flush, random
 * (queue-depth traffic of random reads and writes, one I/O per chunk at a
 * time; worker 0 resets the bdev half way through), final (read-verify the
 * whole slice).
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/util.h"
#include "spdk/thread.h"

#include "bdev_suite.h"

#define SUITE_MAX_WORKERS 16
#define SUITE_MAX_QD 32
#define SUITE_MAX_IOVS 64
#define SUITE_MAX_IO_BYTES (128 * 1024)
/* Random traffic locks chunks of this many blocks, one I/O per chunk. */
#define SUITE_CHUNK_BLOCKS 32
#define SUITE_WATCHDOG_SEC 240
#define SUITE_MAX_REPORTS 8
/* shadow[] value of a block whose content is unknown (unmapped, not zeroing). */
#define SEED_UNKNOWN UINT32_MAX

enum suite_op {
	OP_READ,
	OP_WRITE,
	OP_READV,
	OP_WRITEV,
	OP_UNMAP,
	OP_WRITE_ZEROES,
	OP_FLUSH,
	OP_RESET,
};

enum suite_phase {
	PH_BOUNDS,
	PH_BOUNDS_READ,
	PH_SIZES_WRITE,
	PH_SIZES_READ,
	PH_VEC_WRITE,
	PH_VEC_READ,
	PH_ZERO_PREP,
	PH_ZERO_OP,
	PH_ZERO_READ,
	PH_FLUSH,
	PH_RANDOM,
	PH_FINAL,
	PH_DONE,
};

static const char *const g_phase_names[] = {
	"bounds", "bounds", "sizes", "sizes",  "vectored", "vectored", "zeroes",
	"zeroes", "zeroes", "flush", "random", "final",    "done",
};

struct suite_worker;

struct suite_io {
	struct suite_worker *w;
	enum suite_op op;
	/* 2 * SUITE_MAX_IO_BYTES, so that segments can leave gaps between them. */
	uint8_t *buf;
	struct iovec iov[SUITE_MAX_IOVS];
	int iovcnt;
	uint64_t offset;
	uint64_t num_blocks;
	uint32_t seed;
	bool verify;
	bool busy;
	/* Random phase: index of the chunk this I/O locks. */
	uint64_t chunk;
	/* Phase that submitted the I/O, for messages. */
	enum suite_phase phase;
};

struct suite_worker {
	uint32_t idx;
	struct spdk_thread *thread;
	struct spdk_io_channel *ch;
	struct spdk_poller *poller;
	/* This worker's slice of the bdev, in blocks. */
	uint64_t base;
	uint64_t len;
	uint32_t *shadow;
	uint8_t *chunk_busy;
	struct suite_io ios[SUITE_MAX_QD];
	uint8_t *tmp;
	uint32_t inflight;
	enum suite_phase phase;
	/* Phase named by failure messages (that of the I/O being completed). */
	enum suite_phase report_phase;
	uint32_t round;
	uint32_t next_seed;
	uint64_t rng;
	uint64_t final_pos;
	uint32_t random_issued;
	uint64_t random_deadline;
	bool reset_sent;
	bool sync_failed;
	/* Counters, read by the app thread after the worker reported done. */
	uint64_t submitted;
	uint64_t completed;
	uint64_t failed;
	uint64_t mismatches;
	uint64_t enomem;
	uint64_t reads_ok;
	uint64_t writes_ok;
	uint64_t resets_ok;
	uint32_t reports;
	uint32_t checks_passed;
	uint32_t checks_failed;
};

/* One row being run. */
struct suite_run {
	const struct bdev_suite_row *row;
	struct spdk_bdev *bdev;
	struct spdk_bdev_desc *desc;
	uint32_t bs;
	uint64_t num_blocks;
	uint64_t max_blocks;
	uint32_t workers_done;
	uint32_t remove_events;
};

static struct bdev_suite_opts g_opts;
static const struct bdev_suite_row *g_rows;
static size_t g_num_rows;
static size_t g_row_idx;
static size_t g_rows_skipped;
static struct suite_run g_run;
static struct suite_worker g_workers[SUITE_MAX_WORKERS];
static uint32_t g_num_workers;
static struct spdk_thread *g_app_thread;
static _Atomic uint32_t g_ready;
static _Atomic bool g_stop;
static _Atomic bool g_done;
/* Checks made on the app thread. */
static uint32_t g_passed;
static uint32_t g_failed;

static void suite_next_row(void);

/* ---------------------------------------------------------------------- */
/* Helpers                                                                 */
/* ---------------------------------------------------------------------- */

static uint64_t
rng_next(uint64_t *s)
{
	uint64_t x = *s;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*s = x;
	return x;
}

static uint64_t
rng_range(uint64_t *s, uint64_t n)
{
	return n == 0 ? 0 : rng_next(s) % n;
}

static uint64_t
now_ms(void)
{
	return spdk_get_ticks() * 1000 / spdk_get_ticks_hz();
}

static void
app_check(bool ok, const char *what)
{
	if (ok) {
		g_passed++;
	} else {
		g_failed++;
		printf("FAIL [%s] %s\n", g_run.row->name, what);
	}
}

static void
worker_check(struct suite_worker *w, bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok) {
		w->checks_passed++;
		return;
	}
	w->checks_failed++;
	if (w->reports++ < SUITE_MAX_REPORTS) {
		printf("FAIL [%s] worker %u phase %s: ", g_run.row->name, w->idx,
		       g_phase_names[w->report_phase]);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
}

static uint64_t
pattern_word(uint64_t lba, uint32_t seed, uint64_t i)
{
	return (lba << 24) ^ ((uint64_t)seed * 0x9e3779b97f4a7c15ull) ^ i;
}

static void
pattern_block(uint8_t *dst, uint32_t bs, uint64_t lba, uint32_t seed)
{
	uint64_t *p = (uint64_t *)dst;
	uint64_t i;

	if (seed == 0) {
		memset(dst, 0, bs);
		return;
	}
	for (i = 0; i < bs / 8; i++) {
		p[i] = pattern_word(lba, seed, i);
	}
}

/* Copy len bytes at byte position pos of the segments to or from flat. */
static void
iov_xfer(struct iovec *iov, int iovcnt, uint64_t pos, uint8_t *flat, uint64_t len, bool out)
{
	int i;

	for (i = 0; i < iovcnt && len > 0; i++) {
		uint64_t n;

		if (pos >= iov[i].iov_len) {
			pos -= iov[i].iov_len;
			continue;
		}
		n = iov[i].iov_len - pos;
		if (n > len) {
			n = len;
		}
		if (out) {
			memcpy(flat, (uint8_t *)iov[i].iov_base + pos, n);
		} else {
			memcpy((uint8_t *)iov[i].iov_base + pos, flat, n);
		}
		flat += n;
		len -= n;
		pos = 0;
	}
}

/* Lay the I/O's data out as \p nseg segments (0: one plain buffer) with a gap
 * of one block between them. */
static void
io_layout(struct suite_io *io, uint32_t nseg, uint64_t *rng)
{
	uint32_t bs = g_run.bs;
	uint64_t left = io->num_blocks, pos = 0;
	uint32_t i;

	if (nseg == 0 || nseg > io->num_blocks) {
		nseg = nseg == 0 ? 1 : (uint32_t)io->num_blocks;
	}
	if (nseg > SUITE_MAX_IOVS) {
		nseg = SUITE_MAX_IOVS;
	}
	for (i = 0; i < nseg; i++) {
		uint64_t n;

		if (i == nseg - 1) {
			n = left;
		} else {
			/* At least one block for each remaining segment. */
			n = 1 + rng_range(rng, left - (nseg - 1 - i));
			if (n > left - (nseg - 1 - i)) {
				n = left - (nseg - 1 - i);
			}
		}
		io->iov[i].iov_base = io->buf + pos * bs;
		io->iov[i].iov_len = n * bs;
		pos += n + (nseg > 1 ? 1 : 0);
		left -= n;
	}
	io->iovcnt = (int)nseg;
}

static void
io_fill(struct suite_io *io)
{
	struct suite_worker *w = io->w;
	uint32_t bs = g_run.bs;
	uint64_t b;

	for (b = 0; b < io->num_blocks; b++) {
		pattern_block(w->tmp, bs, io->offset + b, io->seed);
		iov_xfer(io->iov, io->iovcnt, b * bs, w->tmp, bs, false);
	}
}

static void
io_verify(struct suite_io *io)
{
	struct suite_worker *w = io->w;
	uint32_t bs = g_run.bs;
	uint8_t *expect = w->tmp + bs;
	uint64_t b;

	for (b = 0; b < io->num_blocks; b++) {
		uint64_t lba = io->offset + b;
		uint32_t seed = w->shadow[lba - w->base];

		if (seed == SEED_UNKNOWN) {
			continue;
		}
		iov_xfer(io->iov, io->iovcnt, b * bs, w->tmp, bs, true);
		pattern_block(expect, bs, lba, seed);
		if (memcmp(w->tmp, expect, bs) != 0) {
			w->mismatches++;
			worker_check(w, false,
				     "block %" PRIu64 " does not hold seed %u "
				     "(read of %" PRIu64 "+%" PRIu64 ", %d segments)",
				     lba, seed, io->offset, io->num_blocks, io->iovcnt);
			return;
		}
	}
	w->checks_passed++;
}

static void
shadow_set(struct suite_worker *w, uint64_t offset, uint64_t n, uint32_t seed)
{
	uint64_t b;

	for (b = 0; b < n; b++) {
		w->shadow[offset + b - w->base] = seed;
	}
}

/* ---------------------------------------------------------------------- */
/* Submission and completion                                               */
/* ---------------------------------------------------------------------- */

static void
io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct suite_io *io = arg;
	struct suite_worker *w = io->w;
	uint32_t caps = g_run.row->caps;

	spdk_bdev_free_io(bdev_io);
	w->report_phase = io->phase;
	worker_check(w, spdk_get_thread() == w->thread, "completion on the wrong thread");
	w->completed++;
	w->inflight--;
	io->busy = false;
	if (io->chunk != UINT64_MAX) {
		w->chunk_busy[io->chunk] = 0;
		io->chunk = UINT64_MAX;
	}
	if (!success) {
		w->failed++;
		worker_check(w, false, "op %d at %" PRIu64 "+%" PRIu64 " failed", io->op,
			     io->offset, io->num_blocks);
		if (io->op == OP_WRITE || io->op == OP_WRITEV || io->op == OP_UNMAP ||
		    io->op == OP_WRITE_ZEROES) {
			shadow_set(w, io->offset, io->num_blocks, SEED_UNKNOWN);
		}
		return;
	}
	switch (io->op) {
	case OP_READ:
	case OP_READV:
		w->reads_ok++;
		if (io->verify && (caps & SUITE_CAP_DATA)) {
			io_verify(io);
		}
		break;
	case OP_WRITE:
	case OP_WRITEV:
		w->writes_ok++;
		shadow_set(w, io->offset, io->num_blocks, io->seed);
		break;
	case OP_UNMAP:
		shadow_set(w, io->offset, io->num_blocks,
			   (caps & SUITE_CAP_UNMAP_ZEROES) ? 0 : SEED_UNKNOWN);
		break;
	case OP_WRITE_ZEROES:
		shadow_set(w, io->offset, io->num_blocks, 0);
		break;
	case OP_RESET:
		w->resets_ok++;
		break;
	case OP_FLUSH:
		break;
	}
}

/* A free I/O among the first \p limit. */
static struct suite_io *
io_get(struct suite_worker *w, uint32_t limit)
{
	uint32_t i;

	for (i = 0; i < limit; i++) {
		if (!w->ios[i].busy) {
			return &w->ios[i];
		}
	}
	return NULL;
}

/* Submit \p io; returns the submission's rc (the I/O stays free unless 0). */
static int
io_submit(struct suite_io *io)
{
	struct suite_worker *w = io->w;
	struct spdk_bdev_desc *desc = g_run.desc;
	int rc;

	switch (io->op) {
	case OP_READ:
		rc = spdk_bdev_read_blocks(desc, w->ch, io->iov[0].iov_base, io->offset,
					   io->num_blocks, io_done, io);
		break;
	case OP_WRITE:
		rc = spdk_bdev_write_blocks(desc, w->ch, io->iov[0].iov_base, io->offset,
					    io->num_blocks, io_done, io);
		break;
	case OP_READV:
		rc = spdk_bdev_readv_blocks(desc, w->ch, io->iov, io->iovcnt, io->offset,
					    io->num_blocks, io_done, io);
		break;
	case OP_WRITEV:
		rc = spdk_bdev_writev_blocks(desc, w->ch, io->iov, io->iovcnt, io->offset,
					     io->num_blocks, io_done, io);
		break;
	case OP_UNMAP:
		rc = spdk_bdev_unmap_blocks(desc, w->ch, io->offset, io->num_blocks, io_done, io);
		break;
	case OP_WRITE_ZEROES:
		rc = spdk_bdev_write_zeroes_blocks(desc, w->ch, io->offset, io->num_blocks, io_done,
						   io);
		break;
	case OP_FLUSH:
		rc = spdk_bdev_flush_blocks(desc, w->ch, io->offset, io->num_blocks, io_done, io);
		break;
	case OP_RESET:
		rc = spdk_bdev_reset(desc, w->ch, io_done, io);
		break;
	default:
		rc = -EINVAL;
		break;
	}
	if (rc == 0) {
		io->busy = true;
		io->phase = w->phase;
		w->inflight++;
		w->submitted++;
	}
	return rc;
}

/* Prepare and submit one I/O of a batch phase; a refusal is a failed check. */
static void
batch_io(struct suite_worker *w, enum suite_op op, uint64_t offset, uint64_t n, uint32_t nseg,
	 bool verify)
{
	struct suite_io *io = io_get(w, SUITE_MAX_QD);
	int rc;

	if (io == NULL) {
		worker_check(w, false, "no free I/O slot");
		return;
	}
	io->op = op;
	io->offset = offset;
	io->num_blocks = n;
	io->verify = verify;
	io->seed = 0;
	io->iovcnt = 0;
	io->chunk = UINT64_MAX;
	if (op == OP_WRITE || op == OP_WRITEV) {
		io->seed = w->next_seed++;
	}
	if (op <= OP_WRITEV) {
		io_layout(io, op == OP_READV || op == OP_WRITEV ? nseg : 0, &w->rng);
		if (op == OP_WRITE || op == OP_WRITEV) {
			io_fill(io);
		} else {
			memset(io->buf, 0xa5, 2 * SUITE_MAX_IO_BYTES);
		}
	}
	rc = io_submit(io);
	worker_check(w, rc == 0, "submission of op %d at %" PRIu64 "+%" PRIu64 " returned %d", op,
		     offset, n, rc);
}

/* ---------------------------------------------------------------------- */
/* Phases                                                                  */
/* ---------------------------------------------------------------------- */

static const uint32_t g_sizes[] = {
	1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 255, 256,
};
static const uint32_t g_shifts[] = {0, 1, 13};
static const uint32_t g_segs[] = {2, 3, 8, 16, 31, 64};

/* Offset of size k of the sizes phase in round r, or UINT64_MAX when it does not fit. */
static uint64_t
sizes_offset(struct suite_worker *w, uint32_t r, uint32_t k, uint64_t *n)
{
	uint64_t off = w->base + g_shifts[r];
	uint32_t i;

	for (i = 0; i <= k; i++) {
		*n = g_sizes[i] < g_run.max_blocks ? g_sizes[i] : g_run.max_blocks;
		if (i < k) {
			off += *n + 1;
		}
	}
	return off + *n <= w->base + w->len ? off : UINT64_MAX;
}

static void
phase_bounds(struct suite_worker *w, bool read)
{
	uint64_t last = w->base + w->len - 1;
	uint8_t *buf = w->ios[0].buf;
	int rc;

	if (!read) {
		/* Refusals are synchronous and never call back. */
		rc = spdk_bdev_read_blocks(g_run.desc, w->ch, buf, g_run.num_blocks, 1, io_done,
					   &w->ios[0]);
		worker_check(w, rc == -EINVAL, "read past the end returned %d", rc);
		rc = spdk_bdev_read_blocks(g_run.desc, w->ch, buf, g_run.num_blocks - 1, 2, io_done,
					   &w->ios[0]);
		worker_check(w, rc == -EINVAL, "read across the end returned %d", rc);
		rc = spdk_bdev_write_blocks(g_run.desc, w->ch, buf, UINT64_MAX, 2, io_done,
					    &w->ios[0]);
		worker_check(w, rc == -EINVAL, "write at an overflowing offset returned %d", rc);
		rc = spdk_bdev_read(g_run.desc, w->ch, buf, 1, g_run.bs, io_done, &w->ios[0]);
		worker_check(w, rc == -EINVAL, "misaligned byte read returned %d", rc);
		batch_io(w, OP_WRITE, w->base, 1, 0, false);
		batch_io(w, OP_WRITE, last, 1, 0, false);
		return;
	}
	batch_io(w, OP_READ, w->base, 1, 0, true);
	batch_io(w, OP_READ, last, 1, 0, true);
}

static void
phase_sizes(struct suite_worker *w, bool read)
{
	uint32_t k;
	uint64_t off, n;

	for (k = 0; k < SPDK_COUNTOF(g_sizes); k++) {
		off = sizes_offset(w, w->round, k, &n);
		if (off == UINT64_MAX) {
			break;
		}
		batch_io(w, read ? OP_READ : OP_WRITE, off, n, 0, read);
	}
}

static void
phase_vectored(struct suite_worker *w, bool read)
{
	uint64_t off = w->base + 3;
	uint32_t k;

	for (k = 0; k < SPDK_COUNTOF(g_segs); k++) {
		uint64_t n = g_run.max_blocks;

		if (off + n > w->base + w->len) {
			break;
		}
		/* Read back with a different split than the write used. */
		batch_io(w, read ? OP_READV : OP_WRITEV, off, n,
			 read ? g_segs[SPDK_COUNTOF(g_segs) - 1 - k] : g_segs[k], read);
		off += n + 2;
	}
}

static void
phase_zeroes(struct suite_worker *w, uint32_t step)
{
	uint32_t caps = g_run.row->caps;
	uint64_t n = g_run.max_blocks < 40 ? g_run.max_blocks : 40;
	uint64_t r1 = w->base + 1, r2 = w->base + 1 + n + 1;
	int rc;

	if (r2 + n > w->base + w->len) {
		return;
	}
	switch (step) {
	case 0:
		batch_io(w, OP_WRITE, r1, n, 0, false);
		batch_io(w, OP_WRITE, r2, n, 0, false);
		break;
	case 1:
		if (caps & SUITE_CAP_UNMAP) {
			batch_io(w, OP_UNMAP, r1, n, 0, false);
		} else {
			rc = spdk_bdev_unmap_blocks(g_run.desc, w->ch, r1, n, io_done, &w->ios[0]);
			worker_check(w, rc == -ENOTSUP, "unmap on a bdev without it returned %d",
				     rc);
		}
		if (caps & SUITE_CAP_WRITE_ZEROES) {
			batch_io(w, OP_WRITE_ZEROES, r2, n, 0, false);
		} else {
			rc = spdk_bdev_write_zeroes_blocks(g_run.desc, w->ch, r2, n, io_done,
							   &w->ios[0]);
			worker_check(w, rc == -ENOTSUP, "write zeroes unsupported returned %d", rc);
		}
		break;
	default:
		batch_io(w, OP_READ, r1, n, 0, true);
		batch_io(w, OP_READ, r2, n, 0, true);
		break;
	}
}

static void
phase_flush(struct suite_worker *w)
{
	int rc;

	if (g_run.row->caps & SUITE_CAP_FLUSH) {
		batch_io(w, OP_FLUSH, w->base, w->len, 0, false);
		return;
	}
	rc = spdk_bdev_flush_blocks(g_run.desc, w->ch, w->base, w->len, io_done, &w->ios[0]);
	worker_check(w, rc == -ENOTSUP, "flush on a bdev without it returned %d", rc);
}

/* Keep the queue full of random reads and writes; one I/O per chunk. */
static void
phase_random(struct suite_worker *w)
{
	uint64_t chunks = w->len / SUITE_CHUNK_BLOCKS;
	uint32_t ops = g_run.row->random_ops != 0 ? g_run.row->random_ops : g_opts.random_ops;
	struct suite_io *io;
	int rc;

	/* Worker 0 resets half way through (or at the end of a short run). */
	if (w->idx == 0 && !w->reset_sent && (g_run.row->caps & SUITE_CAP_RESET) &&
	    (w->random_issued >= ops / 2 || now_ms() >= w->random_deadline) &&
	    (io = io_get(w, g_opts.queue_depth)) != NULL) {
		io->op = OP_RESET;
		io->offset = 0;
		io->num_blocks = 0;
		io->chunk = UINT64_MAX;
		rc = io_submit(io);
		if (rc == -ENOMEM) {
			w->enomem++;
		} else {
			worker_check(w, rc == 0, "reset returned %d", rc);
			w->reset_sent = true;
		}
	}
	while (w->random_issued < ops && now_ms() < w->random_deadline &&
	       (io = io_get(w, g_opts.queue_depth)) != NULL) {
		uint64_t chunk = rng_range(&w->rng, chunks), start, n, max;
		uint32_t tries;
		bool write;

		for (tries = 0; tries < 8 && w->chunk_busy[chunk]; tries++) {
			chunk = rng_range(&w->rng, chunks);
		}
		if (w->chunk_busy[chunk]) {
			break;
		}
		max = SUITE_CHUNK_BLOCKS < g_run.max_blocks ? SUITE_CHUNK_BLOCKS : g_run.max_blocks;
		n = 1 + rng_range(&w->rng, max);
		start = w->base + chunk * SUITE_CHUNK_BLOCKS +
			rng_range(&w->rng, SUITE_CHUNK_BLOCKS - n + 1);
		write = (rng_next(&w->rng) & 1) != 0;
		io->offset = start;
		io->num_blocks = n;
		io->chunk = chunk;
		io->verify = !write;
		io->seed = write ? w->next_seed++ : 0;
		io->op = write ? OP_WRITE : OP_READ;
		if (rng_range(&w->rng, 4) == 0) {
			io->op = write ? OP_WRITEV : OP_READV;
		}
		io_layout(io,
			  io->op == OP_WRITEV || io->op == OP_READV
				  ? 1 + (uint32_t)rng_range(&w->rng, 8)
				  : 0,
			  &w->rng);
		if (write) {
			io_fill(io);
		}
		w->chunk_busy[chunk] = 1;
		rc = io_submit(io);
		if (rc != 0) {
			w->chunk_busy[chunk] = 0;
			if (rc == -ENOMEM) {
				w->enomem++;
				break;
			}
			worker_check(w, false,
				     "random op %d at %" PRIu64 "+%" PRIu64 " returned %d", io->op,
				     start, n, rc);
			w->random_issued++;
			continue;
		}
		w->random_issued++;
	}
}

static void
phase_final(struct suite_worker *w)
{
	while (w->final_pos < w->len && w->inflight < g_opts.queue_depth) {
		uint64_t n = g_run.max_blocks;

		if (n > w->len - w->final_pos) {
			n = w->len - w->final_pos;
		}
		batch_io(w, OP_READ, w->base + w->final_pos, n, 0, true);
		w->final_pos += n;
	}
}

static void worker_finish(struct suite_worker *w);

/* Advance once the previous batch has drained. */
static int
worker_poll(void *arg)
{
	struct suite_worker *w = arg;
	uint32_t ops;

	w->report_phase = w->phase;
	if (w->phase == PH_RANDOM) {
		ops = g_run.row->random_ops != 0 ? g_run.row->random_ops : g_opts.random_ops;
		phase_random(w);
		if ((w->random_issued < ops && now_ms() < w->random_deadline) || w->inflight > 0 ||
		    (w->idx == 0 && (g_run.row->caps & SUITE_CAP_RESET) && !w->reset_sent)) {
			return SPDK_POLLER_BUSY;
		}
		w->phase = PH_FINAL;
		return SPDK_POLLER_BUSY;
	}
	if (w->inflight > 0) {
		if (w->phase == PH_FINAL) {
			phase_final(w);
		}
		return SPDK_POLLER_BUSY;
	}
	switch (w->phase) {
	case PH_BOUNDS:
		phase_bounds(w, false);
		w->phase = PH_BOUNDS_READ;
		break;
	case PH_BOUNDS_READ:
		phase_bounds(w, true);
		w->phase = PH_SIZES_WRITE;
		w->round = 0;
		break;
	case PH_SIZES_WRITE:
		phase_sizes(w, false);
		w->phase = PH_SIZES_READ;
		break;
	case PH_SIZES_READ:
		phase_sizes(w, true);
		if (++w->round < SPDK_COUNTOF(g_shifts)) {
			w->phase = PH_SIZES_WRITE;
		} else {
			w->phase = PH_VEC_WRITE;
		}
		break;
	case PH_VEC_WRITE:
		phase_vectored(w, false);
		w->phase = PH_VEC_READ;
		break;
	case PH_VEC_READ:
		phase_vectored(w, true);
		w->phase = PH_ZERO_PREP;
		break;
	case PH_ZERO_PREP:
		phase_zeroes(w, 0);
		w->phase = PH_ZERO_OP;
		break;
	case PH_ZERO_OP:
		phase_zeroes(w, 1);
		w->phase = PH_ZERO_READ;
		break;
	case PH_ZERO_READ:
		phase_zeroes(w, 2);
		w->phase = PH_FLUSH;
		break;
	case PH_FLUSH:
		phase_flush(w);
		w->phase = PH_RANDOM;
		w->random_deadline = now_ms() + g_opts.random_ms;
		break;
	case PH_FINAL:
		if (w->final_pos < w->len) {
			phase_final(w);
			break;
		}
		w->phase = PH_DONE;
		worker_finish(w);
		return SPDK_POLLER_BUSY;
	case PH_RANDOM:
	case PH_DONE:
		break;
	}
	return SPDK_POLLER_BUSY;
}

/* ---------------------------------------------------------------------- */
/* Row orchestration                                                       */
/* ---------------------------------------------------------------------- */

static void app_worker_done(void *arg);

/* Runs after the deferred release of the worker's channel (messages to a
 * thread run in order), so the device statistics find its counts among those
 * of destroyed channels rather than racing its destruction. */
static void
worker_report(void *arg)
{
	spdk_thread_send_msg(g_app_thread, app_worker_done, arg);
}

static void
worker_finish(struct suite_worker *w)
{
	spdk_poller_unregister(&w->poller);
	spdk_put_io_channel(w->ch);
	w->ch = NULL;
	spdk_thread_send_msg(w->thread, worker_report, w);
}

/* On the worker's thread: take a channel through the shared descriptor and start. */
static void
worker_start(void *arg)
{
	struct suite_worker *w = arg;
	uint64_t i;

	w->ch = spdk_bdev_get_io_channel(g_run.desc);
	if (w->ch == NULL) {
		worker_check(w, false, "spdk_bdev_get_io_channel failed");
		spdk_thread_send_msg(g_app_thread, app_worker_done, w);
		return;
	}
	for (i = 0; i < w->len; i++) {
		w->shadow[i] = (g_run.row->caps & SUITE_CAP_ZEROED) ? 0 : SEED_UNKNOWN;
	}
	w->phase = PH_BOUNDS;
	w->poller = spdk_poller_register(worker_poll, w, 0);
	worker_check(w, w->poller != NULL, "spdk_poller_register failed");
}

static void
desc_event_cb(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
	if (type == SPDK_BDEV_EVENT_REMOVE) {
		g_run.remove_events++;
	}
}

static void
row_destroyed(void *arg, int rc)
{
	app_check(rc == 0, "destroying the bdev failed");
	app_check(spdk_bdev_get_by_name(g_run.row->name) == NULL,
		  "the bdev is still registered after its deletion");
	g_row_idx++;
	suite_next_row();
}

static void
row_device_stat_done(struct spdk_bdev *bdev, struct spdk_bdev_io_stat *stat, void *arg, int rc)
{
	uint64_t reads = 0, writes = 0;
	uint32_t i;
	char what[160];

	for (i = 0; i < g_num_workers; i++) {
		reads += g_workers[i].reads_ok;
		writes += g_workers[i].writes_ok;
	}
	app_check(rc == 0, "spdk_bdev_get_device_stat failed");
	snprintf(what, sizeof(what), "device stat: %" PRIu64 " reads, workers counted %" PRIu64,
		 stat->num_read_ops, reads);
	app_check(stat->num_read_ops == reads, what);
	/* Emulated write zeroes may add writes of its own. */
	snprintf(what, sizeof(what), "device stat: %" PRIu64 " writes, workers counted %" PRIu64,
		 stat->num_write_ops, writes);
	app_check(stat->num_write_ops >= writes &&
			  stat->num_write_ops <= writes + 64 * g_num_workers,
		  what);
	free(stat);

	spdk_bdev_close(g_run.desc);
	g_run.desc = NULL;
	app_check(g_run.remove_events == 0, "unexpected REMOVE event");
	g_run.row->destroy(g_run.row, g_run.bdev, row_destroyed, NULL);
}

static void
app_worker_done(void *arg)
{
	struct suite_worker *w = arg;
	struct spdk_bdev_io_stat *stat;
	uint64_t submitted = 0, completed = 0, failed = 0, mismatches = 0, enomem = 0;
	uint64_t reads = 0, writes = 0, resets = 0;
	uint32_t i;

	(void)w;
	if (++g_run.workers_done < g_num_workers) {
		return;
	}
	for (i = 0; i < g_num_workers; i++) {
		struct suite_worker *x = &g_workers[i];

		submitted += x->submitted;
		completed += x->completed;
		failed += x->failed;
		mismatches += x->mismatches;
		enomem += x->enomem;
		reads += x->reads_ok;
		writes += x->writes_ok;
		resets += x->resets_ok;
		g_passed += x->checks_passed;
		g_failed += x->checks_failed;
		if (x->phase != PH_DONE) {
			app_check(false, "a worker stopped before the end");
		}
	}
	printf("[%s] %u workers: %" PRIu64 " submitted, %" PRIu64 " completed, %" PRIu64
	       " failed, %" PRIu64 " mismatches, %" PRIu64 " reads, %" PRIu64 " writes, %" PRIu64
	       " resets, %" PRIu64 " ENOMEM\n",
	       g_run.row->name, g_num_workers, submitted, completed, failed, mismatches, reads,
	       writes, resets, enomem);
	app_check(submitted == completed, "submissions and completions differ");
	app_check(failed == 0, "some I/O failed");
	app_check(mismatches == 0, "some reads returned wrong data");
	app_check(submitted > 0, "nothing was submitted");
	if (g_run.row->caps & SUITE_CAP_RESET) {
		app_check(resets == 1, "the reset under load did not complete exactly once");
	}

	stat = calloc(1, sizeof(*stat));
	if (stat == NULL) {
		app_check(false, "out of memory");
		row_device_stat_done(g_run.bdev, NULL, NULL, -ENOMEM);
		return;
	}
	spdk_bdev_get_device_stat(g_run.bdev, stat, SPDK_BDEV_RESET_STAT_NONE, row_device_stat_done,
				  NULL);
}

static bool
row_start(const struct bdev_suite_row *row)
{
	uint64_t slice;
	uint32_t i;
	int rc;

	memset(&g_run, 0, sizeof(g_run));
	g_run.row = row;
	rc = row->create(row, &g_run.bdev);
	if (rc != 0 && (rc == -ENOTSUP || row->skip_on_error)) {
		printf("SKIP [%s] create returned %d (%s)\n", row->name, rc, spdk_strerror(-rc));
		g_rows_skipped++;
		return false;
	}
	app_check(rc == 0 && g_run.bdev != NULL, "creating the bdev failed");
	if (rc != 0 || g_run.bdev == NULL) {
		return false;
	}
	rc = spdk_bdev_open_ext(spdk_bdev_get_name(g_run.bdev), true, desc_event_cb, NULL,
				&g_run.desc);
	app_check(rc == 0, "spdk_bdev_open_ext failed");
	if (rc != 0) {
		row->destroy(row, g_run.bdev, row_destroyed, NULL);
		return true;
	}
	g_run.bs = spdk_bdev_get_block_size(g_run.bdev);
	g_run.num_blocks = spdk_bdev_get_num_blocks(g_run.bdev);
	g_run.max_blocks = SUITE_MAX_IO_BYTES / g_run.bs;
	app_check(g_run.bs == row->block_size, "block size differs from the row's");
	app_check(g_run.num_blocks == row->num_blocks, "block count differs from the row's");
	slice = g_run.num_blocks / g_num_workers;
	printf("[%s] %" PRIu64 " blocks of %u bytes, %u workers, %" PRIu64 " blocks each\n",
	       row->name, g_run.num_blocks, g_run.bs, g_num_workers, slice);
	for (i = 0; i < g_num_workers; i++) {
		struct suite_worker *w = &g_workers[i];
		uint32_t q;

		w->idx = i;
		w->base = i * slice;
		/* The last worker's slice ends at the end of the device. */
		w->len = i == g_num_workers - 1 ? g_run.num_blocks - w->base : slice;
		w->shadow = calloc(w->len, sizeof(*w->shadow));
		w->chunk_busy = calloc(w->len / SUITE_CHUNK_BLOCKS + 1, 1);
		w->tmp = malloc(2 * (size_t)g_run.bs);
		if (w->shadow == NULL || w->chunk_busy == NULL || w->tmp == NULL) {
			fprintf(stderr, "out of memory\n");
			exit(1);
		}
		w->inflight = 0;
		w->submitted = w->completed = w->failed = w->mismatches = w->enomem = 0;
		w->reads_ok = w->writes_ok = w->resets_ok = 0;
		w->checks_passed = w->checks_failed = w->reports = 0;
		w->random_issued = 0;
		w->reset_sent = false;
		w->final_pos = 0;
		w->next_seed = 1;
		w->rng = g_opts.seed ^ ((uint64_t)(i + 1) * 0x2545f4914f6cdd1dull);
		for (q = 0; q < SUITE_MAX_QD; q++) {
			w->ios[q].w = w;
			w->ios[q].busy = false;
			w->ios[q].chunk = UINT64_MAX;
		}
		spdk_thread_send_msg(w->thread, worker_start, w);
	}
	return true;
}

static void
row_release_workers(void)
{
	uint32_t i;

	for (i = 0; i < g_num_workers; i++) {
		free(g_workers[i].shadow);
		free(g_workers[i].chunk_busy);
		free(g_workers[i].tmp);
		g_workers[i].shadow = NULL;
		g_workers[i].chunk_busy = NULL;
		g_workers[i].tmp = NULL;
	}
}

static void
bdev_finished(void *arg)
{
	atomic_store(&g_done, true);
}

/* On the app thread: start the next row, or stop the bdev layer after the last. */
static void
suite_next_row(void)
{
	row_release_workers();
	while (g_row_idx < g_num_rows) {
		if (row_start(&g_rows[g_row_idx])) {
			return;
		}
		g_row_idx++;
	}
	spdk_bdev_finish(bdev_finished, NULL);
}

static void
bdev_initialized(void *arg, int rc)
{
	app_check(rc == 0, "spdk_bdev_initialize failed");
	if (rc != 0) {
		atomic_store(&g_done, true);
		return;
	}
	suite_next_row();
}

/* ---------------------------------------------------------------------- */
/* Pthreads                                                                */
/* ---------------------------------------------------------------------- */

struct suite_pthread {
	pthread_t tid;
	uint32_t first;
	uint32_t count;
};

static void *
worker_pthread(void *arg)
{
	struct suite_pthread *p = arg;
	char name[32];
	uint32_t i, left;

	for (i = 0; i < p->count; i++) {
		struct suite_worker *w = &g_workers[p->first + i];

		snprintf(name, sizeof(name), "worker%u", p->first + i);
		w->thread = spdk_thread_create(name, NULL);
		if (w->thread == NULL) {
			fprintf(stderr, "spdk_thread_create failed\n");
			exit(1);
		}
		for (uint32_t q = 0; q < SUITE_MAX_QD; q++) {
			w->ios[q].buf = aligned_alloc(4096, 2 * SUITE_MAX_IO_BYTES);
			if (w->ios[q].buf == NULL) {
				fprintf(stderr, "out of memory\n");
				exit(1);
			}
		}
	}
	atomic_fetch_add(&g_ready, 1);
	while (!atomic_load(&g_stop)) {
		for (i = 0; i < p->count; i++) {
			spdk_thread_poll(g_workers[p->first + i].thread, 0, 0);
		}
	}
	for (i = 0; i < p->count; i++) {
		spdk_set_thread(g_workers[p->first + i].thread);
		spdk_thread_exit(g_workers[p->first + i].thread);
	}
	spdk_set_thread(NULL);
	do {
		left = 0;
		for (i = 0; i < p->count; i++) {
			struct spdk_thread *t = g_workers[p->first + i].thread;

			if (!spdk_thread_is_exited(t)) {
				spdk_thread_poll(t, 0, 0);
				left++;
			}
		}
	} while (left > 0);
	for (i = 0; i < p->count; i++) {
		struct suite_worker *w = &g_workers[p->first + i];

		spdk_thread_destroy(w->thread);
		for (uint32_t q = 0; q < SUITE_MAX_QD; q++) {
			free(w->ios[q].buf);
		}
	}
	return NULL;
}

int
bdev_suite_run(const struct bdev_suite_row *rows, size_t num_rows,
	       const struct bdev_suite_opts *opts)
{
	struct suite_pthread pts[SUITE_MAX_WORKERS];
	uint32_t i, np;

	g_opts = opts != NULL ? *opts : (struct bdev_suite_opts){0};
	if (g_opts.pthreads == 0) {
		g_opts.pthreads = 3;
	}
	if (g_opts.threads_per_pthread == 0) {
		g_opts.threads_per_pthread = 2;
	}
	if (g_opts.random_ops == 0) {
		g_opts.random_ops = 20000;
	}
	if (g_opts.queue_depth == 0 || g_opts.queue_depth > SUITE_MAX_QD) {
		g_opts.queue_depth = 16;
	}
	if (g_opts.random_ms == 0) {
		g_opts.random_ms = 3000;
	}
	if (g_opts.seed == 0) {
		g_opts.seed = (uint64_t)time(NULL) * 2654435761u + 1;
	}
	np = g_opts.pthreads;
	g_num_workers = np * g_opts.threads_per_pthread;
	if (g_num_workers > SUITE_MAX_WORKERS) {
		fprintf(stderr, "too many workers\n");
		return 1;
	}
	printf("bdev suite: %zu rows, %u pthreads x %u threads, queue depth %u, seed %" PRIu64 "\n",
	       num_rows, np, g_opts.threads_per_pthread, g_opts.queue_depth, g_opts.seed);
	alarm(SUITE_WATCHDOG_SEC);
	g_rows = rows;
	g_num_rows = num_rows;
	g_row_idx = 0;
	g_rows_skipped = 0;

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		printf("FAIL spdk_thread_lib_init\n0 passed, 1 failed\n");
		return 1;
	}
	g_app_thread = spdk_thread_create("app", NULL);
	if (g_app_thread == NULL) {
		printf("FAIL spdk_thread_create\n0 passed, 1 failed\n");
		return 1;
	}
	for (i = 0; i < np; i++) {
		pts[i].first = i * g_opts.threads_per_pthread;
		pts[i].count = g_opts.threads_per_pthread;
		if (pthread_create(&pts[i].tid, NULL, worker_pthread, &pts[i]) != 0) {
			fprintf(stderr, "pthread_create failed\n");
			return 1;
		}
	}
	while (atomic_load(&g_ready) < np) {
		sched_yield();
	}

	spdk_set_thread(g_app_thread);
	spdk_bdev_initialize(bdev_initialized, NULL);
	spdk_set_thread(NULL);
	while (!atomic_load(&g_done)) {
		spdk_thread_poll(g_app_thread, 0, 0);
	}

	atomic_store(&g_stop, true);
	for (i = 0; i < np; i++) {
		pthread_join(pts[i].tid, NULL);
	}
	spdk_set_thread(g_app_thread);
	spdk_thread_exit(g_app_thread);
	spdk_set_thread(NULL);
	while (!spdk_thread_is_exited(g_app_thread)) {
		spdk_thread_poll(g_app_thread, 0, 0);
	}
	spdk_thread_destroy(g_app_thread);
	spdk_thread_lib_fini();
	alarm(0);

	printf("%u passed, %u failed\n", g_passed, g_failed);
	if (g_failed > 0) {
		return 1;
	}
	if (g_rows_skipped == num_rows) {
		return 77;
	}
	return 0;
}
