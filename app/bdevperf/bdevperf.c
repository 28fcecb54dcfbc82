/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * bdevperf: drives bdevs with a configurable workload from one lightweight
 * thread per job and prints IOPS, bandwidth and latency in the format of
 * SPDK's bdevperf, with the same command line (including -z and the
 * perform_tests RPC). This file holds the job engine (the per-I/O path,
 * verification, resets, timeouts and aborts, removal), the perform_tests RPC
 * and main(); the options are in options.c, the job configurations in
 * job_config.c and the printing in output.c.
 *
 * Threads. Jobs are set up and torn down on the main (app) thread, which
 * also opens and closes the descriptors. Everything a job does per I/O runs
 * on the job's own thread and touches only the job; the two sides talk by
 * messages. The per-I/O path takes no locks, allocates nothing and makes no
 * system calls: a completion frees the spdk_bdev_io and resubmits the task
 * at once, and latency is measured by the bdev layer's histograms.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"

#include "bdevperf.h"

__extension__ typedef unsigned __int128 bp_u128;

/* The smallest block lib/env maps on its own (see bp_job_alloc_bufs()). */
#define BP_BUF_BLOCK_MIN (2 * 1024 * 1024)

/* A thread shared by the jobs of one core (-E). */
struct bp_lcore_thread {
	struct spdk_thread *thread;
	uint32_t lcore;
	TAILQ_ENTRY(bp_lcore_thread) link;
};

/* Statistics walk of the periodic display: visits each job on its thread. */
struct bp_perf_walk {
	struct bp_job *job;
	struct bp_stats total;
	uint64_t time_us;
};

/* ---- state ---- */

static struct {
	/* Run state; main thread only. */
	struct spdk_thread *main_thread;
	struct spdk_cpuset all_cores;
	struct bp_job_config_list configs;
	struct bp_job_list jobs;
	TAILQ_HEAD(, bp_lcore_thread) lcore_threads;
	uint32_t next_core;
	uint32_t constructing;
	uint32_t hist_pending;
	uint32_t running_jobs;
	int run_rc;
	bool test_active;
	bool running;
	bool shutdown;
	uint64_t start_tsc;
	struct spdk_poller *perf_timer;
	uint64_t period_num;
	bool dump_active;
	struct spdk_jsonrpc_request *request;
} g_bp = {
	.configs = TAILQ_HEAD_INITIALIZER(g_bp.configs),
	.jobs = TAILQ_HEAD_INITIALIZER(g_bp.jobs),
	.lcore_threads = TAILQ_HEAD_INITIALIZER(g_bp.lcore_threads),
	.next_core = UINT32_MAX,
};

static void bp_submit_task(void *arg);
static int bp_queue_wait(struct bp_job *job, struct bp_task *task, spdk_bdev_io_wait_cb cb);
static void bp_submit_next(struct bp_job *job, struct bp_task *task);
static void bp_job_empty(struct bp_job *job);
static void bp_test_done(void *ctx);

/* ---- helpers ---- */

/* A uniform value in [0, n) from one xorshift step (Lemire's multiply-shift,
 * which costs a multiplication where a modulo costs a division). */
static inline uint64_t
bp_rand_below(uint64_t *seed, uint64_t n)
{
	return (uint64_t)(((bp_u128)spdk_rand_xorshift64(seed) * n) >> 64);
}

static inline bool
bit_get(const uint64_t *map, uint64_t i)
{
	return (map[i / 64] >> (i % 64)) & 1;
}

static inline void
bit_set(uint64_t *map, uint64_t i)
{
	map[i / 64] |= 1ULL << (i % 64);
}

static inline void
bit_clear(uint64_t *map, uint64_t i)
{
	map[i / 64] &= ~(1ULL << (i % 64));
}

/* First clear bit at or after start (wrapping), or UINT64_MAX when all are set. */
static uint64_t
bit_find_clear(const uint64_t *map, uint64_t nbits, uint64_t start)
{
	uint64_t words = SPDK_CEIL_DIV(nbits, 64), w, i, n;

	for (n = 0; n <= words; n++) {
		w = (start / 64 + n) % words;
		uint64_t free_bits = ~map[w];

		if (n == 0) {
			free_bits &= ~0ULL << (start % 64);
		}
		while (free_bits != 0) {
			i = w * 64 + (uint64_t)__builtin_ctzll(free_bits);
			if (i < nbits) {
				return i;
			}
			free_bits &= free_bits - 1;
		}
	}
	return UINT64_MAX;
}

static inline struct bp_task *
bp_task_get(struct bp_job *job)
{
	struct bp_task *task = job->free_tasks;

	if (task != NULL) {
		job->free_tasks = task->next_free;
	}
	return task;
}

static inline void
bp_task_put(struct bp_job *job, struct bp_task *task)
{
	task->next_free = job->free_tasks;
	job->free_tasks = task;
}

/* ---- ending jobs (job thread) ---- */

static void
bp_job_drain(struct bp_job *job)
{
	spdk_poller_unregister(&job->run_timer);
	spdk_poller_unregister(&job->reset_timer);
	job->draining = true;
}

/* Drain, and end at once when nothing is in flight. Job thread. */
static void
bp_job_stop(struct bp_job *job)
{
	bp_job_drain(job);
	if (job->started && !job->ended && job->current_qd == 0) {
		bp_job_empty(job);
	}
}

static void
bp_job_stop_msg(void *ctx)
{
	bp_job_stop(ctx);
}

static void
bp_fail_msg(void *ctx)
{
	struct bp_job *job;
	int rc = (int)(intptr_t)ctx;

	if (g_bp.run_rc == 0) {
		g_bp.run_rc = rc;
	}
	if (g_bp_opts.continue_on_failure) {
		return;
	}
	/* A failure stops every job. Their memory lives until bp_test_done(),
	 * which runs only after every job ended, and this message is ordered
	 * before the failing job's end. */
	TAILQ_FOREACH (job, &g_bp.jobs, link) {
		spdk_thread_send_msg(job->thread, bp_job_stop_msg, job);
	}
}

/* Record a failure of the run: the job stops, and so do the others. */
static void
bp_job_fail(struct bp_job *job, int rc)
{
	job->failed = true;
	bp_job_drain(job);
	spdk_thread_send_msg(g_bp.main_thread, bp_fail_msg, (void *)(intptr_t)rc);
}

static void
bp_job_end_msg(void *ctx)
{
	struct bp_job *job = ctx;

	assert(spdk_get_thread() == g_bp.main_thread);
	spdk_bdev_close(job->desc);
	job->desc = NULL;
	assert(g_bp.running_jobs > 0);
	if (--g_bp.running_jobs == 0) {
		bp_test_done(NULL);
	}
}

/* Merge a channel's histogram into the one cb_arg points to. */
static void
bp_histogram_cb(void *cb_arg, int status, struct spdk_histogram_data *histogram)
{
	struct spdk_histogram_data *dst = cb_arg;

	if (status == 0 && histogram != NULL) {
		spdk_histogram_data_merge(dst, histogram);
	}
}

static void
bp_job_empty(struct bp_job *job)
{
	uint64_t ticks = spdk_get_ticks() - g_bp.start_tsc;

	assert(!job->ended);
	job->ended = true;
	job->run_time_us = ticks * SPDK_SEC_TO_USEC / spdk_get_ticks_hz();
	spdk_bdev_channel_get_histogram(job->ch, bp_histogram_cb, job->histogram);
	spdk_put_io_channel(job->ch);
	job->ch = NULL;
	spdk_thread_send_msg(g_bp.main_thread, bp_job_end_msg, job);
}

static inline void
bp_task_done(struct bp_job *job, struct bp_task *task)
{
	job->current_qd--;
	if (spdk_likely(!job->draining)) {
		return;
	}
	bp_task_put(job, task);
	if (job->current_qd == 0) {
		bp_job_empty(job);
	}
}

/* ---- data pattern and verification ---- */

/* Fill a write with a pattern unique to this write and each block's LBA, so
 * that a read of stale, misplaced or torn data cannot match. */
static void
bp_fill_pattern(struct bp_job *job, struct bp_task *task)
{
	uint64_t salt = ++job->write_count * 0x9E3779B97F4A7C15ULL;
	uint64_t blk, w, words = job->block_size / sizeof(uint64_t);
	uint64_t *p = task->buf;

	for (blk = 0; blk < job->io_size_blocks; blk++) {
		uint64_t lba = task->offset_blocks + blk;

		for (w = 0; w < words; w++) {
			*p++ = ((lba << 20) | w) ^ salt;
		}
	}
	if (task->md_buf != NULL) {
		uint8_t *m = task->md_buf;

		for (w = 0; w < job->md_buf_size; w++) {
			m[w] = (uint8_t)(salt >> (8 * (w % 8))) ^ (uint8_t)w;
		}
	}
}

static void
bp_report_mismatch(struct bp_job *job, struct bp_task *task, const uint8_t *wr, const uint8_t *rd,
		   size_t len, size_t stride, size_t cmp_len, const char *what)
{
	size_t i, first = SIZE_MAX, bad = 0;

	for (i = 0; i < len; i++) {
		if (stride != 0 && i % stride >= cmp_len) {
			continue;
		}
		if (wr[i] != rd[i]) {
			if (first == SIZE_MAX) {
				first = i;
			}
			bad++;
		}
	}
	printf("Buffer mismatch! Target: %s Disk Offset: %" PRIu64 "\n", job->name,
	       task->offset_blocks);
	if (first == SIZE_MAX) {
		return;
	}
	printf("First mismatch in %s at LBA %" PRIu64 ", byte %zu of the block (byte %zu of the "
	       "I/O): wrote 0x%02x, read 0x%02x; %zu of %zu bytes differ\n",
	       what, task->offset_blocks + first / (stride != 0 ? stride : len),
	       first % (stride != 0 ? stride : len), first, wr[first], rd[first], bad, len);
}

/* Compare what was written with what was read back, every byte of it. */
static bool
bp_verify(struct bp_job *job, struct bp_task *task)
{
	size_t len = job->buf_size;
	uint64_t blk;
	size_t cmp = job->md_check ? job->block_size : job->data_block_size;

	if (cmp == job->block_size) {
		if (memcmp(task->buf, task->verify_buf, len) != 0) {
			bp_report_mismatch(job, task, task->buf, task->verify_buf, len,
					   job->block_size, job->block_size, "data");
			return false;
		}
	} else {
		for (blk = 0; blk < job->io_size_blocks; blk++) {
			size_t off = blk * job->block_size;

			if (memcmp((uint8_t *)task->buf + off, (uint8_t *)task->verify_buf + off,
				   cmp) != 0) {
				bp_report_mismatch(job, task, task->buf, task->verify_buf, len,
						   job->block_size, cmp, "data");
				return false;
			}
		}
	}
	if (job->md_check && task->md_buf != NULL &&
	    memcmp(task->md_buf, task->verify_md_buf, job->md_buf_size) != 0) {
		bp_report_mismatch(job, task, task->md_buf, task->verify_md_buf, job->md_buf_size,
				   job->md_size, job->md_size, "metadata");
		return false;
	}
	return true;
}

/* ---- the I/O path (job thread) ---- */

/* Completion of anything unusual: failures, verify reads. */
static void __attribute__((noinline))
bp_io_done_slow(struct bp_job *job, struct bp_task *task, bool success)
{
	if (!success) {
		job->io_failed++;
		if (!job->reset && !job->continue_on_failure && !job->removed && !job->failed) {
			printf("task offset: %" PRIu64 " on job bdev=%s fails\n",
			       task->offset_blocks, job->name);
			bp_job_fail(job, -EIO);
		}
	} else {
		job->io_completed++;
		/* After the first mismatch the job is failed and drains; one report. */
		if (job->verify && task->io_type == SPDK_BDEV_IO_TYPE_READ && !job->failed &&
		    !bp_verify(job, task)) {
			bp_job_fail(job, -EILSEQ);
		}
	}
	if (job->verify) {
		bit_clear(job->outstanding,
			  task->offset_blocks / job->io_size_blocks - job->ios_base);
	}
	if (!job->draining) {
		job->current_qd--;
		bp_submit_next(job, task);
		return;
	}
	bp_task_done(job, task);
}

static void bp_submit_failed(struct bp_job *job, struct bp_task *task, int rc);

/*
 * The completion of every I/O, and the hot path of bdevperf: for plain reads
 * or writes at uniform random or sequential offsets (job->fast), free the
 * spdk_bdev_io and submit the task again right here; everything else goes
 * through bp_io_done_slow().
 */
static void
bp_io_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct bp_task *task = cb_arg;
	struct bp_job *job = task->job;
	uint64_t off;
	int rc;

	spdk_bdev_free_io(bdev_io);
	if (spdk_unlikely(!success || job->fast == BP_FAST_NONE || job->draining)) {
		bp_io_done_slow(job, task, success);
		return;
	}
	job->io_completed++;
	if (job->is_random) {
		off = bp_rand_below(&job->seed, job->size_in_ios);
	} else {
		off = job->next_seq++;
		if (job->next_seq == job->size_in_ios) {
			job->next_seq = 0;
		}
	}
	task->offset_blocks = (off + job->ios_base) * job->io_size_blocks;
	if (job->fast == BP_FAST_READ) {
		rc = spdk_bdev_read_blocks(job->desc, job->ch, task->buf, task->offset_blocks,
					   job->io_size_blocks, bp_io_done, task);
	} else {
		rc = spdk_bdev_write_blocks(job->desc, job->ch, task->buf, task->offset_blocks,
					    job->io_size_blocks, bp_io_done, task);
	}
	if (spdk_unlikely(rc != 0)) {
		bp_submit_failed(job, task, rc);
	}
}

/* Retry the task when an spdk_bdev_io is free again. */
static int
bp_queue_wait(struct bp_job *job, struct bp_task *task, spdk_bdev_io_wait_cb cb)
{
	task->wait.bdev = job->bdev;
	task->wait.cb_fn = cb;
	task->wait.cb_arg = task;
	return spdk_bdev_queue_io_wait(job->bdev, job->ch, &task->wait);
}

static void
bp_verify_read(void *arg)
{
	struct bp_task *task = arg;
	struct bp_job *job = task->job;
	int rc;

	task->io_type = SPDK_BDEV_IO_TYPE_READ;
	if (task->verify_md_buf != NULL) {
		rc = spdk_bdev_read_blocks_with_md(job->desc, job->ch, task->verify_buf,
						   task->verify_md_buf, task->offset_blocks,
						   job->io_size_blocks, bp_io_done, task);
	} else {
		rc = spdk_bdev_read_blocks(job->desc, job->ch, task->verify_buf,
					   task->offset_blocks, job->io_size_blocks, bp_io_done,
					   task);
	}
	if (spdk_unlikely(rc == -ENOMEM)) {
		rc = bp_queue_wait(job, task, bp_verify_read);
	}
	if (rc != 0) {
		printf("Failed to submit read: %d\n", rc);
		bit_clear(job->outstanding,
			  task->offset_blocks / job->io_size_blocks - job->ios_base);
		if (!job->removed) {
			bp_job_fail(job, rc);
		}
		bp_job_drain(job);
		bp_task_done(job, task);
	}
}

static void
bp_verify_write_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct bp_task *task = cb_arg;

	if (!success) {
		bp_io_done(bdev_io, success, cb_arg);
		return;
	}
	spdk_bdev_free_io(bdev_io);
	bp_verify_read(task);
}

static void
bp_abort_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct bp_task *task = cb_arg;
	struct bp_job *job = task->job;

	/* An abort that finds nothing to abort fails; that is no error of the run. */
	spdk_bdev_free_io(bdev_io);
	job->current_qd--;
	bp_task_put(job, task);
	if (job->draining && job->current_qd == 0 && !job->ended) {
		bp_job_empty(job);
	}
}

/* Submit task->io_type at task->offset_blocks; the task is already counted
 * in current_qd. Also the io_wait callback after -ENOMEM. */
static void
bp_submit_task(void *arg)
{
	struct bp_task *task = arg;
	struct bp_job *job = task->job;
	struct spdk_bdev_desc *desc = job->desc;
	struct spdk_io_channel *ch = job->ch;
	int rc;

	switch (task->io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
		if (spdk_likely(task->md_buf == NULL)) {
			rc = spdk_bdev_read_blocks(desc, ch, task->buf, task->offset_blocks,
						   job->io_size_blocks, bp_io_done, task);
		} else {
			rc = spdk_bdev_read_blocks_with_md(desc, ch, task->buf, task->md_buf,
							   task->offset_blocks, job->io_size_blocks,
							   bp_io_done, task);
		}
		break;
	case SPDK_BDEV_IO_TYPE_WRITE: {
		spdk_bdev_io_completion_cb cb = job->verify ? bp_verify_write_done : bp_io_done;

		if (spdk_likely(task->md_buf == NULL)) {
			rc = spdk_bdev_write_blocks(desc, ch, task->buf, task->offset_blocks,
						    job->io_size_blocks, cb, task);
		} else {
			rc = spdk_bdev_write_blocks_with_md(desc, ch, task->buf, task->md_buf,
							    task->offset_blocks,
							    job->io_size_blocks, cb, task);
		}
		break;
	}
	case SPDK_BDEV_IO_TYPE_UNMAP:
		rc = spdk_bdev_unmap_blocks(desc, ch, task->offset_blocks, job->io_size_blocks,
					    bp_io_done, task);
		break;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		rc = spdk_bdev_flush_blocks(desc, ch, task->offset_blocks, job->io_size_blocks,
					    bp_io_done, task);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		rc = spdk_bdev_write_zeroes_blocks(desc, ch, task->offset_blocks,
						   job->io_size_blocks, bp_io_done, task);
		break;
	case SPDK_BDEV_IO_TYPE_ABORT:
		rc = spdk_bdev_abort(desc, ch, task->abort_target, bp_abort_done, task);
		if (rc != 0 && rc != -ENOMEM) {
			job->current_qd--;
			bp_task_put(job, task);
			return;
		}
		break;
	default:
		assert(false);
		rc = -EINVAL;
		break;
	}

	if (spdk_unlikely(rc != 0)) {
		bp_submit_failed(job, task, rc);
	}
}

/* A submission returned rc: wait for an spdk_bdev_io, or end the job. */
static void
bp_submit_failed(struct bp_job *job, struct bp_task *task, int rc)
{
	if (rc == -ENOMEM) {
		rc = bp_queue_wait(job, task, bp_submit_task);
		if (rc == 0) {
			return;
		}
	}
	if (!job->removed && !job->failed) {
		printf("Failed to submit bdev_io: %d\n", rc);
		bp_job_fail(job, rc);
	}
	if (job->verify) {
		bit_clear(job->outstanding,
			  task->offset_blocks / job->io_size_blocks - job->ios_base);
	}
	bp_job_drain(job);
	bp_task_done(job, task);
}

/* The next offset of a verify job: sequential, skipping slots in flight. */
static uint64_t
bp_verify_next(struct bp_job *job, uint64_t off)
{
	while (bit_get(job->outstanding, off)) {
		off = job->next_seq++;
		if (job->next_seq == job->size_in_ios) {
			job->next_seq = 0;
		}
	}
	bit_set(job->outstanding, off);
	return off;
}

/* -D: the first offset not used yet at or after off; all used starts over. */
static uint64_t
bp_random_map_take(struct bp_job *job, uint64_t off)
{
	uint64_t found = bit_find_clear(job->random_map, job->size_in_ios, off);

	if (found == UINT64_MAX) {
		memset(job->random_map, 0, SPDK_CEIL_DIV(job->size_in_ios, 64) * sizeof(uint64_t));
		found = off;
	}
	bit_set(job->random_map, found);
	return found;
}

/* Pick the next offset and I/O type of the task and submit it. */
static void
bp_submit_next(struct bp_job *job, struct bp_task *task)
{
	uint64_t off;

	if (job->is_random) {
		if (spdk_unlikely(job->zipf != NULL)) {
			off = bp_zipf_next(job->zipf);
		} else {
			off = bp_rand_below(&job->seed, job->size_in_ios);
			if (spdk_unlikely(job->random_map != NULL)) {
				off = bp_random_map_take(job, off);
			}
		}
	} else {
		off = job->next_seq++;
		if (job->next_seq == job->size_in_ios) {
			job->next_seq = 0;
		}
		if (spdk_unlikely(job->verify)) {
			off = bp_verify_next(job, off);
		}
	}
	task->offset_blocks = (off + job->ios_base) * job->io_size_blocks;

	if (spdk_unlikely(job->fixed_type != SPDK_BDEV_IO_TYPE_INVALID)) {
		task->io_type = job->fixed_type;
	} else if (job->rw_percentage == 100 ||
		   (job->rw_percentage != 0 &&
		    bp_rand_below(&job->seed, 100) < job->rw_percentage)) {
		task->io_type = SPDK_BDEV_IO_TYPE_READ;
	} else {
		if (spdk_unlikely(job->verify || job->unique_writes)) {
			bp_fill_pattern(job, task);
		}
		task->io_type = SPDK_BDEV_IO_TYPE_WRITE;
	}
	job->current_qd++;
	bp_submit_task(task);
}

/* ---- timers, resets, timeouts (job thread) ---- */

static int
bp_run_timer(void *ctx)
{
	bp_job_stop(ctx);
	return SPDK_POLLER_BUSY;
}

static int bp_reset_timer(void *ctx);

static void
bp_reset_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct bp_task *task = cb_arg;
	struct bp_job *job = task->job;

	spdk_bdev_free_io(bdev_io);
	if (!success && !job->removed && !job->failed) {
		printf("Reset blockdev=%s failed\n", spdk_bdev_get_name(job->bdev));
		bp_job_fail(job, -EIO);
	}
	if (!job->draining) {
		job->reset_timer = SPDK_POLLER_REGISTER(bp_reset_timer, job,
							BP_RESET_PERIOD_S * SPDK_SEC_TO_USEC);
	}
	job->current_qd--;
	bp_task_put(job, task);
	if (job->draining && job->current_qd == 0 && !job->ended) {
		bp_job_empty(job);
	}
}

static int
bp_reset_timer(void *ctx)
{
	struct bp_job *job = ctx;
	struct bp_task *task;
	int rc;

	spdk_poller_unregister(&job->reset_timer);
	task = bp_task_get(job);
	if (task == NULL) {
		return SPDK_POLLER_BUSY;
	}
	rc = spdk_bdev_reset(job->desc, job->ch, bp_reset_done, task);
	if (rc != 0) {
		printf("Reset failed: %d\n", rc);
		bp_task_put(job, task);
		bp_job_fail(job, rc);
		return SPDK_POLLER_BUSY;
	}
	job->current_qd++;
	return SPDK_POLLER_BUSY;
}

/* A timed-out I/O: count it, and with -X abort it. */
static void
bp_timeout_on_job(struct bp_job *job, struct bp_task *target)
{
	struct bp_task *task;

	job->io_timeout++;
	if (job->draining || job->ended || !job->abort ||
	    !spdk_bdev_io_type_supported(job->bdev, SPDK_BDEV_IO_TYPE_ABORT)) {
		return;
	}
	task = bp_task_get(job);
	if (task == NULL) {
		return;
	}
	task->abort_target = target;
	task->io_type = SPDK_BDEV_IO_TYPE_ABORT;
	job->current_qd++;
	bp_submit_task(task);
}

struct bp_timeout_ctx {
	struct bp_job *job;
	struct bp_task *target;
};

static void
bp_timeout_msg(void *ctx)
{
	struct bp_timeout_ctx *t = ctx;

	bp_timeout_on_job(t->job, t->target);
	free(t);
}

static void
bp_timeout_cb(void *cb_arg, struct spdk_bdev_io *bdev_io)
{
	struct bp_job *job = cb_arg;
	struct bp_task *target = spdk_bdev_io_get_cb_arg(bdev_io);
	struct bp_timeout_ctx *t;

	if (spdk_get_thread() == job->thread) {
		bp_timeout_on_job(job, target);
		return;
	}
	/* Reported on another thread: count and abort on the job's own. */
	t = bp_xcalloc(1, sizeof(*t));
	t->job = job;
	t->target = target;
	spdk_thread_send_msg(job->thread, bp_timeout_msg, t);
}

static void
bp_job_run(void *ctx)
{
	struct bp_job *job = ctx;
	uint32_t i;

	job->started = true;
	if (job->draining) {
		/* Removed or stopped before it began. */
		bp_job_empty(job);
		return;
	}
	job->run_timer = SPDK_POLLER_REGISTER(bp_run_timer, job, g_bp_opts.time_us);
	if (job->reset) {
		job->reset_timer = SPDK_POLLER_REGISTER(bp_reset_timer, job,
							BP_RESET_PERIOD_S * SPDK_SEC_TO_USEC);
	}
	for (i = 0; i < job->queue_depth && !job->draining; i++) {
		struct bp_task *task = bp_task_get(job);

		assert(task != NULL);
		bp_submit_next(job, task);
	}
	if (job->draining && job->current_qd == 0 && !job->ended) {
		bp_job_empty(job);
	}
}

/* The bdev is going away: end the job (with an error) so its descriptor closes. */
static void
bp_job_removed_msg(void *ctx)
{
	struct bp_job *job = ctx;

	job->removed = true;
	bp_job_stop(job);
}

static void
bp_bdev_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *event_ctx)
{
	struct bp_job *job = event_ctx;

	if (type == SPDK_BDEV_EVENT_REMOVE) {
		spdk_thread_send_msg(job->thread, bp_job_removed_msg, job);
	}
}

/* ---- periodic display (main thread, visiting each job's thread) ---- */

static void
bp_perf_done(void *ctx)
{
	struct bp_perf_walk *walk = ctx;

	if (g_bp_opts.summarize) {
		bp_print_progress(&walk->total);
	} else {
		bp_print_total(&walk->total);
		printf("\n");
		fflush(stdout);
	}
	g_bp.dump_active = false;
	free(walk);
}

static void
bp_perf_job(void *ctx)
{
	struct bp_perf_walk *walk = ctx;
	struct bp_job *job = walk->job;
	struct spdk_histogram_data *hist = NULL;
	struct bp_stats st;
	uint64_t time_us = walk->time_us;

	if (bp_job_failed(job) && job->ended) {
		time_us = job->run_time_us;
	}
	if (!g_bp_opts.summarize && job->ch != NULL) {
		/* The live channel histogram, so -S shows latencies while running. */
		hist = spdk_histogram_data_alloc();
		if (hist != NULL) {
			spdk_bdev_channel_get_histogram(job->ch, bp_histogram_cb, hist);
		}
	}
	bp_job_stats(job, hist != NULL ? hist : job->histogram, time_us, g_bp_opts.ema_period,
		     g_bp_opts.period_us, &st);
	spdk_histogram_data_free(hist);
	bp_stats_add(&walk->total, &st);
	if (!g_bp_opts.summarize) {
		bp_print_job(job, &st);
	}
	walk->job = TAILQ_NEXT(job, link);
	if (walk->job == NULL) {
		spdk_thread_send_msg(g_bp.main_thread, bp_perf_done, walk);
	} else {
		spdk_thread_send_msg(walk->job->thread, bp_perf_job, walk);
	}
}

static int
bp_perf_tick(void *ctx)
{
	struct bp_perf_walk *walk;

	if (g_bp.dump_active || TAILQ_EMPTY(&g_bp.jobs)) {
		return SPDK_POLLER_IDLE;
	}
	g_bp.dump_active = true;
	g_bp.period_num++;
	walk = bp_xcalloc(1, sizeof(*walk));
	bp_stats_init_total(&walk->total);
	walk->time_us = g_bp.period_num * g_bp_opts.period_us;
	walk->job = TAILQ_FIRST(&g_bp.jobs);
	spdk_thread_send_msg(walk->job->thread, bp_perf_job, walk);
	return SPDK_POLLER_BUSY;
}

/* ---- results and teardown (main thread) ---- */

static void
bp_job_free(struct bp_job *job)
{
	spdk_free(job->buf_block);
	free(job->tasks);
	free(job->outstanding);
	free(job->random_map);
	free(job->zipf);
	spdk_histogram_data_free(job->histogram);
	free(job->name);
	free(job);
}

static void
bp_thread_exit_msg(void *ctx)
{
	spdk_thread_exit(spdk_get_thread());
}

/* On the job's thread: drop what the job still holds there and free it. */
static void
bp_job_release_msg(void *ctx)
{
	struct bp_job *job = ctx;
	bool exit_thread = !g_bp_opts.thread_per_lcore;

	if (job->ch != NULL) {
		spdk_put_io_channel(job->ch);
		job->ch = NULL;
	}
	bp_job_free(job);
	if (exit_thread) {
		spdk_thread_exit(spdk_get_thread());
	}
}

static void
bp_release_jobs(void)
{
	struct bp_job *job;
	struct bp_lcore_thread *lt;

	while ((job = TAILQ_FIRST(&g_bp.jobs)) != NULL) {
		TAILQ_REMOVE(&g_bp.jobs, job, link);
		if (job->desc != NULL) {
			/* Never started: its descriptor is still open here. */
			spdk_bdev_close(job->desc);
			job->desc = NULL;
		}
		spdk_thread_send_msg(job->thread, bp_job_release_msg, job);
	}
	while ((lt = TAILQ_FIRST(&g_bp.lcore_threads)) != NULL) {
		TAILQ_REMOVE(&g_bp.lcore_threads, lt, link);
		spdk_thread_send_msg(lt->thread, bp_thread_exit_msg, NULL);
		free(lt);
	}
}

static void
bp_test_done(void *ctx)
{
	struct spdk_json_write_ctx *w = NULL;
	struct spdk_cpuset cores;
	struct bp_stats total, st;
	struct bp_job *job;
	int rc;

	spdk_poller_unregister(&g_bp.perf_timer);
	if (g_bp.dump_active) {
		/* A display walk still visits the jobs; let it finish first. */
		spdk_thread_send_msg(g_bp.main_thread, bp_test_done, NULL);
		return;
	}
	if (g_bp.shutdown && g_bp.running) {
		uint64_t us = (spdk_get_ticks() - g_bp.start_tsc) * SPDK_SEC_TO_USEC /
			      spdk_get_ticks_hz();

		printf("Received shutdown signal, test time was about %.6f seconds\n",
		       (double)spdk_min(us, g_bp_opts.time_us) / SPDK_SEC_TO_USEC);
	}

	if (g_bp.request != NULL && (g_bp.run_rc == 0 || g_bp.shutdown)) {
		w = spdk_jsonrpc_begin_result(g_bp.request);
		spdk_json_write_object_begin(w);
		spdk_json_write_named_array_begin(w, "results");
	}
	bp_stats_init_total(&total);
	spdk_cpuset_zero(&cores);
	if (g_bp.running) {
		bp_print_table_header(true);
	}
	TAILQ_FOREACH (job, &g_bp.jobs, link) {
		if (!job->started) {
			continue;
		}
		spdk_cpuset_or(&cores, spdk_thread_get_cpumask(job->thread));
		bp_job_stats(job, job->histogram, job->run_time_us, 0, 0, &st);
		bp_stats_add(&total, &st);
		bp_print_job(job, &st);
		if (w != NULL) {
			bp_json_job(w, job, &st, g_bp.shutdown);
		}
	}
	if (w != NULL) {
		spdk_json_write_array_end(w);
		spdk_json_write_named_uint32(w, "core_count", spdk_cpuset_count(&cores));
		spdk_json_write_object_end(w);
		spdk_jsonrpc_end_result(g_bp.request, w);
	}
	if (g_bp.running) {
		bp_print_total(&total);
		if (total.io_count != 0) {
			bp_print_latency(&g_bp.jobs, g_bp_opts.latency_level);
		}
	}
	fflush(stdout);

	bp_release_jobs();
	if (g_bp_opts.job_file == NULL) {
		bp_job_config_list_free(&g_bp.configs);
	}
	rc = g_bp.run_rc;
	g_bp.test_active = false;
	g_bp.running = false;
	g_bp.run_rc = 0;
	g_bp.period_num = 0;

	if (g_bp.request != NULL && !g_bp.shutdown) {
		if (rc != 0) {
			spdk_jsonrpc_send_error_response_fmt(
				g_bp.request, SPDK_JSONRPC_ERROR_INTERNAL_ERROR,
				"bdevperf failed with error %s", spdk_strerror(rc < 0 ? -rc : rc));
		}
		g_bp.request = NULL;
		if (rc != 0) {
			spdk_app_stop(rc);
		}
		return;
	}
	g_bp.request = NULL;
	spdk_app_stop(rc);
}

/* ---- starting a test (main thread) ---- */

static void
bp_test_run(void)
{
	struct bp_job *job;

	if (TAILQ_EMPTY(&g_bp.jobs)) {
		if (g_bp.request != NULL && g_bp.run_rc == 0 && !g_bp.shutdown) {
			/* -z: refuse this test, keep serving (a bdev may be created later). */
			spdk_jsonrpc_send_error_response(g_bp.request,
							 SPDK_JSONRPC_ERROR_INVALID_PARAMS,
							 "No jobs defined or bdevs created");
			g_bp.request = NULL;
			g_bp.test_active = false;
			bp_release_jobs();
			if (g_bp_opts.job_file == NULL) {
				bp_job_config_list_free(&g_bp.configs);
			}
			return;
		}
		if (g_bp.run_rc == 0) {
			fprintf(stderr, "No jobs defined or bdevs created\n");
			g_bp.run_rc = -ENODEV;
		}
		bp_test_done(NULL);
		return;
	}
	printf("Running I/O for %" PRIu64 " seconds...\n",
	       g_bp_opts.time_us / (uint64_t)SPDK_SEC_TO_USEC);
	fflush(stdout);
	g_bp.running = true;
	g_bp.start_tsc = spdk_get_ticks();
	if (!g_bp_opts.summarize) {
		bp_print_table_header(false);
	}
	g_bp.perf_timer = SPDK_POLLER_REGISTER(bp_perf_tick, NULL, g_bp_opts.period_us);
	TAILQ_FOREACH (job, &g_bp.jobs, link) {
		if (g_bp_opts.timeout_s > 0) {
			spdk_bdev_set_timeout(job->desc, (uint64_t)g_bp_opts.timeout_s,
					      bp_timeout_cb, job);
		}
		g_bp.running_jobs++;
		spdk_thread_send_msg(job->thread, bp_job_run, job);
	}
}

static void
bp_histogram_enabled(void *cb_arg, int status)
{
	if (status != 0 && g_bp.run_rc == 0) {
		fprintf(stderr, "Could not enable latency histograms: %s\n",
			spdk_strerror(-status));
		g_bp.run_rc = status;
	}
	if (--g_bp.hist_pending != 0) {
		return;
	}
	if (g_bp.run_rc != 0 || g_bp.shutdown) {
		bp_test_done(NULL);
		return;
	}
	bp_test_run();
}

/* Every job has its channel: turn on the histograms of their bdevs. */
static void
bp_jobs_constructed(void)
{
	struct bp_job *job, *prev;

	if (g_bp.run_rc != 0 || g_bp.shutdown) {
		bp_test_done(NULL);
		return;
	}
	if (TAILQ_EMPTY(&g_bp.jobs)) {
		bp_test_run();
		return;
	}
	g_bp.hist_pending = 1;
	TAILQ_FOREACH (job, &g_bp.jobs, link) {
		bool seen = false;

		for (prev = TAILQ_FIRST(&g_bp.jobs); prev != job; prev = TAILQ_NEXT(prev, link)) {
			if (prev->bdev == job->bdev) {
				seen = true;
				break;
			}
		}
		if (!seen) {
			g_bp.hist_pending++;
			spdk_bdev_histogram_enable(job->bdev, bp_histogram_enabled, NULL, true);
		}
	}
	bp_histogram_enabled(NULL, 0);
}

static void
bp_job_constructed_msg(void *ctx)
{
	int rc = (int)(intptr_t)ctx;

	if (rc != 0 && g_bp.run_rc == 0) {
		g_bp.run_rc = rc;
	}
	if (--g_bp.constructing == 0) {
		bp_jobs_constructed();
	}
}

static void
bp_job_get_channel(void *ctx)
{
	struct bp_job *job = ctx;
	int rc = 0;

	job->ch = spdk_bdev_get_io_channel(job->desc);
	if (job->ch == NULL) {
		fprintf(stderr, "Could not get io_channel for device %s\n", job->name);
		rc = -ENOMEM;
	}
	spdk_thread_send_msg(g_bp.main_thread, bp_job_constructed_msg, (void *)(intptr_t)rc);
}

/*
 * Carve every buffer of the job's tasks out of one block of at least 2 MiB:
 * lib/env maps such a block on its own (on huge pages where it can), and
 * the io_uring bdev registers it with the kernel, which then need not pin
 * the pages of every I/O.
 */
static void
bp_job_alloc_bufs(struct bp_job *job, size_t align)
{
	uint64_t buf_stride, md_stride, per_task, total;
	uint8_t *p;
	uint32_t i;

	align = spdk_max(align, (size_t)SPDK_CACHE_LINE_SIZE);
	buf_stride = SPDK_ALIGN_CEIL(job->buf_size, (uint64_t)align);
	md_stride = SPDK_ALIGN_CEIL(job->md_buf_size, (uint64_t)align);
	per_task = (buf_stride + md_stride) * (job->verify ? 2 : 1);
	if (per_task != 0 && job->task_count > SIZE_MAX / per_task) {
		fprintf(stderr,
			"bdevperf: %" PRIu32 " tasks of %" PRIu64 " bytes of buffers "
			"are too many\n",
			job->task_count, per_task);
		abort();
	}
	total = spdk_max(per_task * job->task_count, (uint64_t)BP_BUF_BLOCK_MIN);
	job->buf_block = spdk_zmalloc(total, align, NULL, SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	if (job->buf_block == NULL) {
		fprintf(stderr, "bdevperf: out of memory for %" PRIu64 " bytes of I/O buffers\n",
			total);
		abort();
	}
	p = job->buf_block;
	for (i = 0; i < job->task_count; i++) {
		struct bp_task *task = &job->tasks[i];

		task->buf = p;
		p += buf_stride;
		if (job->md_buf_size != 0) {
			task->md_buf = p;
			p += md_stride;
		}
		if (job->verify) {
			task->verify_buf = p;
			p += buf_stride;
			if (job->md_buf_size != 0) {
				task->verify_md_buf = p;
				p += md_stride;
			}
		}
	}
}

static void
bp_job_setup_workload(struct bp_job *job)
{
	job->fixed_type = SPDK_BDEV_IO_TYPE_INVALID;
	switch (job->workload) {
	case BP_WL_READ:
		job->rw_percentage = 100;
		break;
	case BP_WL_WRITE:
		job->rw_percentage = 0;
		break;
	case BP_WL_RANDREAD:
		job->is_random = true;
		job->rw_percentage = 100;
		break;
	case BP_WL_RANDWRITE:
		job->is_random = true;
		job->rw_percentage = 0;
		break;
	case BP_WL_RW:
		break;
	case BP_WL_RANDRW:
		job->is_random = true;
		break;
	case BP_WL_RESET:
		job->reset = true;
		job->verify = true;
		job->rw_percentage = 0;
		break;
	case BP_WL_VERIFY:
		job->verify = true;
		job->rw_percentage = 0;
		break;
	case BP_WL_UNMAP:
		job->fixed_type = SPDK_BDEV_IO_TYPE_UNMAP;
		break;
	case BP_WL_FLUSH:
		job->fixed_type = SPDK_BDEV_IO_TYPE_FLUSH;
		break;
	case BP_WL_WRITE_ZEROES:
		job->fixed_type = SPDK_BDEV_IO_TYPE_WRITE_ZEROES;
		break;
	default:
		assert(false);
		break;
	}
}

/*
 * Open the bdev, size the job and allocate its tasks; then ask the job's
 * thread for the channel. Returns 0, 1 when the job is skipped, or a negative
 * errno that fails the run.
 */
static int
bp_job_construct(struct spdk_bdev *bdev, const struct bp_job_config *cfg,
		 struct spdk_thread *thread)
{
	struct spdk_bdev_open_opts opts;
	struct bp_job *job;
	uint64_t num_blocks = spdk_bdev_get_num_blocks(bdev);
	size_t align = spdk_bdev_get_buf_align(bdev);
	uint32_t i;
	int rc;

	job = aligned_alloc(64, sizeof(*job));
	if (job == NULL) {
		fprintf(stderr, "bdevperf: out of memory\n");
		abort();
	}
	memset(job, 0, sizeof(*job));
	job->thread = thread;
	job->bdev = bdev;
	job->name = bp_xstrdup(spdk_bdev_get_name(bdev));
	snprintf(job->core_mask, sizeof(job->core_mask), "%s",
		 spdk_cpuset_fmt(spdk_thread_get_cpumask(thread)));

	spdk_bdev_open_opts_init(&opts, sizeof(opts));
	opts.hide_metadata = g_bp_opts.hide_metadata;
	rc = spdk_bdev_open_ext_v2(job->name, true, bp_bdev_event, job, &opts, &job->desc);
	if (rc != 0) {
		fprintf(stderr, "Could not open leaf bdev %s, error=%d\n", job->name, rc);
		goto fail;
	}

	job->workload = cfg->rw;
	job->io_size = cfg->bs;
	job->queue_depth = (uint32_t)cfg->iodepth;
	job->rw_percentage = cfg->rwmixread < 0 ? 0 : (uint32_t)cfg->rwmixread;
	job->continue_on_failure = g_bp_opts.continue_on_failure;
	job->abort = g_bp_opts.abort && g_bp_opts.timeout_s > 0;
	job->unique_writes = g_bp_opts.unique_writes;
	job->block_size = spdk_bdev_desc_get_block_size(job->desc);
	job->md_size = spdk_bdev_desc_get_md_size(job->desc);
	job->md_interleaved = spdk_bdev_desc_is_md_interleaved(job->desc);
	job->data_block_size =
		job->md_interleaved ? job->block_size - job->md_size : job->block_size;
	job->md_check = spdk_bdev_get_dif_type(bdev) == SPDK_DIF_DISABLE;
	bp_job_setup_workload(job);

	if (job->io_size <= 0 || job->io_size % job->data_block_size != 0) {
		fprintf(stderr,
			"IO size (%d) is not a multiple of the data block size of bdev %s "
			"(%" PRIu32 ")\n",
			job->io_size, job->name, job->data_block_size);
		rc = -ENOTSUP;
		goto fail;
	}
	if (job->fixed_type == SPDK_BDEV_IO_TYPE_UNMAP ||
	    job->fixed_type == SPDK_BDEV_IO_TYPE_FLUSH) {
		if (!spdk_bdev_io_type_supported(bdev, job->fixed_type)) {
			printf("Skipping %s because it does not support %s\n", job->name,
			       bp_workload_name(job->workload));
			rc = 1;
			goto fail;
		}
	}
	job->io_size_blocks = (uint64_t)job->io_size / job->data_block_size;
	job->buf_size = job->io_size_blocks * job->block_size;
	job->md_buf_size = spdk_bdev_desc_is_md_separate(job->desc)
				   ? (uint64_t)job->md_size * job->io_size_blocks
				   : 0;

	if (cfg->length != 0) {
		if (cfg->offset >= num_blocks || cfg->length > num_blocks - cfg->offset) {
			fprintf(stderr,
				"Job range of %s (offset %" PRIu64 ", length %" PRIu64
				") exceeds its %" PRIu64 " blocks\n",
				job->name, cfg->offset, cfg->length, num_blocks);
			rc = -EINVAL;
			goto fail;
		}
		job->size_in_ios = cfg->length / job->io_size_blocks;
		job->ios_base = cfg->offset / job->io_size_blocks;
	} else {
		job->size_in_ios = num_blocks / job->io_size_blocks;
		job->ios_base = 0;
	}
	if (job->size_in_ios == 0) {
		fprintf(stderr, "bdev %s is smaller than one %d-byte I/O\n", job->name,
			job->io_size);
		rc = -EINVAL;
		goto fail;
	}
	job->seed = spdk_rand_xorshift64_seed();

	if (job->is_random && g_bp_opts.zipf_theta > 0) {
		job->zipf = bp_xcalloc(1, sizeof(*job->zipf));
		if (bp_zipf_init(job->zipf, job->size_in_ios, g_bp_opts.zipf_theta,
				 spdk_rand_xorshift64_seed()) != 0) {
			fprintf(stderr, "Illegal zipf theta value %g\n", g_bp_opts.zipf_theta);
			rc = -EINVAL;
			goto fail;
		}
	}
	if (job->verify) {
		job->outstanding =
			bp_xcalloc(SPDK_CEIL_DIV(job->size_in_ios, 64), sizeof(uint64_t));
		if (job->queue_depth > job->size_in_ios) {
			fprintf(stderr,
				"Queue depth of verify job %s limited to its %" PRIu64
				" I/O slots\n",
				job->name, job->size_in_ios);
			job->queue_depth = (uint32_t)job->size_in_ios;
		}
	}
	if (g_bp_opts.random_map && job->is_random) {
		job->random_map = bp_xcalloc(SPDK_CEIL_DIV(job->size_in_ios, 64), sizeof(uint64_t));
	}
	if (!job->verify && job->zipf == NULL && job->random_map == NULL &&
	    job->fixed_type == SPDK_BDEV_IO_TYPE_INVALID && job->md_buf_size == 0 &&
	    !job->unique_writes && (job->rw_percentage == 0 || job->rw_percentage == 100)) {
		job->fast = job->rw_percentage == 100 ? BP_FAST_READ : BP_FAST_WRITE;
	}
	job->histogram = spdk_histogram_data_alloc();
	if (job->histogram == NULL) {
		fprintf(stderr, "bdevperf: out of memory\n");
		abort();
	}

	job->task_count =
		job->queue_depth + (job->reset ? 1 : 0) + (job->abort ? job->queue_depth : 0);
	job->tasks = bp_xcalloc(job->task_count, sizeof(*job->tasks));
	bp_job_alloc_bufs(job, align);
	for (i = 0; i < job->task_count; i++) {
		struct bp_task *task = &job->tasks[job->task_count - 1 - i];

		task->job = job;
		bp_task_put(job, task);
	}

	TAILQ_INSERT_TAIL(&g_bp.jobs, job, link);
	g_bp.constructing++;
	spdk_thread_send_msg(thread, bp_job_get_channel, job);
	return 0;

fail:
	if (job->desc != NULL) {
		spdk_bdev_close(job->desc);
	}
	bp_job_free(job);
	return rc;
}

static struct spdk_thread *
bp_lcore_thread(uint32_t lcore)
{
	struct bp_lcore_thread *lt;
	struct spdk_cpuset mask;
	char name[32];

	TAILQ_FOREACH (lt, &g_bp.lcore_threads, link) {
		if (lt->lcore == lcore) {
			return lt->thread;
		}
	}
	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, lcore, true);
	snprintf(name, sizeof(name), "bdevperf_core_%u", lcore);
	lt = bp_xcalloc(1, sizeof(*lt));
	lt->lcore = lcore;
	lt->thread = spdk_thread_create(name, &mask);
	if (lt->thread == NULL) {
		free(lt);
		return NULL;
	}
	TAILQ_INSERT_TAIL(&g_bp.lcore_threads, lt, link);
	return lt->thread;
}

static struct spdk_thread *
bp_job_thread(const struct bp_job_config *cfg)
{
	struct spdk_cpuset mask;

	if (g_bp_opts.thread_per_lcore) {
		return bp_lcore_thread(cfg->lcore);
	}
	spdk_cpuset_copy(&mask, &cfg->cpumask);
	if (spdk_cpuset_count(&mask) == 0) {
		spdk_cpuset_copy(&mask, &g_bp.all_cores);
	} else {
		struct spdk_cpuset tmp;

		spdk_cpuset_copy(&tmp, &mask);
		spdk_cpuset_or(&tmp, &g_bp.all_cores);
		if (!spdk_cpuset_equal(&tmp, &g_bp.all_cores)) {
			fprintf(stderr, "cpumask for '%s' is too big\n", cfg->name);
		}
	}
	return spdk_thread_create(cfg->name, &mask);
}

static void
bp_construct_jobs(void)
{
	struct bp_job_config *cfg;

	g_bp.constructing = 1;
	TAILQ_FOREACH (cfg, &g_bp.configs, link) {
		char *names = bp_xstrdup(cfg->filename), *next = names, *tok;
		struct spdk_thread *thread = bp_job_thread(cfg);
		int constructed = 0;

		if (thread == NULL) {
			fprintf(stderr, "Could not create thread for job '%s'\n", cfg->name);
			g_bp.run_rc = -ENOMEM;
			free(names);
			break;
		}
		while ((tok = next) != NULL) {
			char *name;

			next = strchr(tok, ':');
			if (next != NULL) {
				*next++ = '\0';
			}
			name = spdk_str_trim(tok);
			struct spdk_bdev *bdev;
			int rc;

			if (*name == '\0') {
				continue;
			}
			bdev = spdk_bdev_get_by_name(name);
			if (bdev == NULL) {
				fprintf(stderr, "Unable to find bdev '%s'\n", name);
				g_bp.run_rc = -ENODEV;
				break;
			}
			rc = bp_job_construct(bdev, cfg, thread);
			if (rc < 0) {
				g_bp.run_rc = rc;
				break;
			}
			if (rc == 0) {
				constructed++;
			}
		}
		free(names);
		if (constructed == 0 && !g_bp_opts.thread_per_lcore) {
			/* No job uses the thread (all skipped): let it go. */
			spdk_thread_send_msg(thread, bp_thread_exit_msg, NULL);
		}
		if (g_bp.run_rc != 0) {
			break;
		}
	}
	bp_job_constructed_msg(NULL);
}

static uint32_t
bp_next_core(void)
{
	if (g_bp.next_core == UINT32_MAX) {
		g_bp.next_core = spdk_env_get_first_core();
	} else {
		g_bp.next_core = spdk_env_get_next_core(g_bp.next_core);
		if (g_bp.next_core == UINT32_MAX) {
			g_bp.next_core = spdk_env_get_first_core();
		}
	}
	return g_bp.next_core;
}

static int
bp_config_one(void *ctx, struct spdk_bdev *bdev)
{
	return bp_job_config_add(&g_bp.configs, spdk_bdev_get_name(bdev), &g_bp_opts.cli,
				 bp_next_core(), 0, 0);
}

/* -C: one job per core on each bdev, each on its own slice of the bdev. */
static int
bp_config_per_core(void *ctx, struct spdk_bdev *bdev)
{
	uint32_t core, ncores = spdk_env_get_core_count();
	uint64_t per_job = spdk_bdev_get_num_blocks(bdev) / ncores, offset = 0;
	int rc;

	SPDK_ENV_FOREACH_CORE(core)
	{
		rc = bp_job_config_add(&g_bp.configs, spdk_bdev_get_name(bdev), &g_bp_opts.cli,
				       core, offset, per_job);
		if (rc != 0) {
			return rc;
		}
		offset += per_job;
	}
	return 0;
}

static void
bp_test_begin(void)
{
	spdk_for_each_bdev_fn fn = g_bp_opts.multithread ? bp_config_per_core : bp_config_one;
	int rc = 0;

	g_bp.test_active = true;
	g_bp.run_rc = 0;
	g_bp.shutdown = false;
	g_bp.next_core = UINT32_MAX;
	if (g_bp_opts.job_file == NULL) {
		bp_job_config_list_free(&g_bp.configs);
		if (g_bp_opts.cli.bdev_name != NULL) {
			struct spdk_bdev *bdev = spdk_bdev_get_by_name(g_bp_opts.cli.bdev_name);

			if (bdev == NULL) {
				fprintf(stderr, "Unable to find bdev '%s'\n",
					g_bp_opts.cli.bdev_name);
				rc = -ENODEV;
			} else {
				rc = fn(NULL, bdev);
			}
		} else {
			rc = spdk_for_each_bdev_leaf(NULL, fn);
		}
	}
	g_bp.run_rc = rc;
	if (rc == 0) {
		bp_construct_jobs();
	} else {
		g_bp.constructing = 1;
		bp_job_constructed_msg(NULL);
	}
}

static void
bp_start(void *ctx)
{
	uint32_t core;

	g_bp.main_thread = spdk_get_thread();
	spdk_cpuset_zero(&g_bp.all_cores);
	SPDK_ENV_FOREACH_CORE(core)
	{
		spdk_cpuset_set_cpu(&g_bp.all_cores, core, true);
	}
	if (g_bp_opts.wait_for_tests) {
		return;
	}
	bp_test_begin();
}

static void
bp_shutdown_cb(void)
{
	struct bp_job *job;

	g_bp.shutdown = true;
	if (!g_bp.test_active) {
		if (g_bp.request != NULL) {
			g_bp.request = NULL;
		}
		spdk_app_stop(0);
		return;
	}
	if (!g_bp.running) {
		/* Still constructing: bp_jobs_constructed() sees the flag. */
		return;
	}
	TAILQ_FOREACH (job, &g_bp.jobs, link) {
		spdk_thread_send_msg(job->thread, bp_job_stop_msg, job);
	}
}

/* ---- the perform_tests RPC ---- */

struct bp_rpc_params {
	int32_t time_in_sec;
	char *workload_type;
	uint32_t queue_depth;
	char *io_size;
	int32_t rw_percentage;
};

static const struct spdk_json_object_decoder g_bp_rpc_decoders[] = {
	{"time_in_sec", offsetof(struct bp_rpc_params, time_in_sec), spdk_json_decode_int32, true},
	{"workload_type", offsetof(struct bp_rpc_params, workload_type), spdk_json_decode_string,
	 true},
	{"queue_depth", offsetof(struct bp_rpc_params, queue_depth), spdk_json_decode_uint32, true},
	{"io_size", offsetof(struct bp_rpc_params, io_size), spdk_json_decode_string, true},
	{"rw_percentage", offsetof(struct bp_rpc_params, rw_percentage), spdk_json_decode_int32,
	 true},
};

static void
rpc_perform_tests(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct bp_rpc_params req = {.time_in_sec = -1, .rw_percentage = -1};
	struct bp_cli saved_cli = g_bp_opts.cli;
	char *saved_workload = g_bp_opts.workload ? bp_xstrdup(g_bp_opts.workload) : NULL;
	int saved_time = g_bp_opts.time_in_sec;
	bool saved_mix = g_bp_opts.mix_specified;
	char err[256] = "";
	int rc = 0;

	if (g_bp.test_active) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INTERNAL_ERROR,
						 spdk_strerror(EINPROGRESS));
		free(saved_workload);
		return;
	}
	if (params != NULL && spdk_json_decode_object(params, g_bp_rpc_decoders,
						      SPDK_COUNTOF(g_bp_rpc_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: expected time_in_sec, "
			"workload_type, queue_depth, io_size, rw_percentage");
		goto out;
	}
	if (req.workload_type != NULL) {
		free(g_bp_opts.workload);
		g_bp_opts.workload = bp_xstrdup(req.workload_type);
		g_bp_opts.cli.workload = g_bp_opts.workload;
	}
	if (req.queue_depth != 0) {
		g_bp_opts.cli.queue_depth =
			req.queue_depth > INT_MAX ? INT_MAX : (int)req.queue_depth;
	}
	if (req.io_size != NULL) {
		rc = bp_parse_io_size(req.io_size, &g_bp_opts.cli.io_size, err, sizeof(err));
	}
	if (req.time_in_sec > 0) {
		g_bp_opts.time_in_sec = req.time_in_sec;
	} else if (req.time_in_sec == 0) {
		rc = -EINVAL;
		snprintf(err, sizeof(err), "time_in_sec must be greater than 0");
	}
	if (req.rw_percentage >= 0) {
		g_bp_opts.cli.rw_percentage = req.rw_percentage;
		g_bp_opts.mix_specified = true;
	}
	if (rc == 0) {
		rc = bp_check_params(false, err, sizeof(err));
	}
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS, err);
		/* Keep the previous parameters. */
		free(g_bp_opts.workload);
		g_bp_opts.workload = saved_workload;
		saved_workload = NULL;
		g_bp_opts.cli = saved_cli;
		g_bp_opts.cli.workload = g_bp_opts.workload;
		g_bp_opts.time_in_sec = saved_time;
		g_bp_opts.mix_specified = saved_mix;
		goto out;
	}
	g_bp.request = request;
	bp_test_begin();
out:
	free(saved_workload);
	free(req.workload_type);
	free(req.io_size);
}
SPDK_RPC_REGISTER("perform_tests", rpc_perform_tests, SPDK_RPC_RUNTIME)

/* ---- main ---- */

int
main(int argc, char **argv)
{
	struct spdk_app_opts opts;
	char err[512];
	int rc;

	spdk_app_opts_init(&opts, sizeof(opts));
	opts.name = "bdevperf";
	opts.rpc_addr = NULL;
	opts.shutdown_cb = bp_shutdown_cb;

	rc = spdk_app_parse_args(argc, argv, &opts, "Zzfq:o:t:w:k:CEF:HJ:M:P:S:T:Xlj:DUN", NULL,
				 bp_parse_arg, bp_usage);
	if (rc != SPDK_APP_PARSE_ARGS_SUCCESS) {
		free(g_bp_opts.workload);
		return rc == SPDK_APP_PARSE_ARGS_HELP ? 0 : 1;
	}
	if (g_bp_opts.wait_for_tests && opts.rpc_addr == NULL) {
		opts.rpc_addr = SPDK_DEFAULT_RPC_ADDR;
	}

	rc = bp_check_params(g_bp_opts.wait_for_tests, err, sizeof(err));
	if (rc != 0) {
		fprintf(stderr, "%s\n", err);
		bp_print_usage();
		free(g_bp_opts.workload);
		return 1;
	}
	if (g_bp_opts.job_file != NULL && bp_job_file_read(g_bp_opts.job_file, &g_bp_opts.cli,
							   &g_bp.configs, err, sizeof(err)) != 0) {
		fprintf(stderr, "%s\n", err);
		free(g_bp_opts.workload);
		return 1;
	}
	if (g_bp_opts.rpc_log_name != NULL) {
		g_bp_opts.rpc_log = fopen(g_bp_opts.rpc_log_name, "a");
		if (g_bp_opts.rpc_log == NULL) {
			fprintf(stderr, "Failed to open %s: %s\n", g_bp_opts.rpc_log_name,
				spdk_strerror(errno));
			bp_job_config_list_free(&g_bp.configs);
			free(g_bp_opts.workload);
			return 1;
		}
		opts.rpc_log_file = g_bp_opts.rpc_log;
	}

	rc = spdk_app_start(&opts, bp_start, NULL);
	spdk_app_fini();

	bp_job_config_list_free(&g_bp.configs);
	free(g_bp_opts.workload);
	if (g_bp_opts.rpc_log != NULL) {
		fclose(g_bp_opts.rpc_log);
	}
	return rc;
}
