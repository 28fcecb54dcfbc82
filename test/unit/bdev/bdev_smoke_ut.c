/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A quick end-to-end check of the bdev layer with its two real modules,
 * malloc and null, on one app thread that the test polls itself: start the
 * bdev layer, write and read back, read without a buffer, split an I/O on
 * the optimal I/O boundary, unregister bdevs while descriptors are open,
 * and stop with nothing left behind (run it under ASan).
 *
 * With the argument "bench" it instead times the null bdev's path (submit,
 * complete and free at a fixed queue depth) and prints nanoseconds per I/O.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "updk/bdev_malloc.h"
#include "updk/bdev_null.h"

#include <setjmp.h>
#include <cmocka.h>

#define SMOKE_BS 4096u
#define SMOKE_BLOCKS 1024u
#define SMOKE_POLL_MAX 1000000

static struct spdk_thread *g_app;

struct smoke_io {
	bool done;
	bool success;
	int count;
	struct spdk_bdev_io *bdev_io;
};

static void
smoke_poll_until(bool *flag)
{
	int i;

	for (i = 0; i < SMOKE_POLL_MAX && !*flag; i++) {
		spdk_thread_poll(g_app, 0, 0);
	}
	assert_true(*flag);
}

static void
smoke_poll_idle(void)
{
	int i;

	for (i = 0; i < 1000; i++) {
		spdk_thread_poll(g_app, 0, 0);
	}
}

static void
smoke_init_done(void *arg, int rc)
{
	int *out = arg;

	*out = rc;
}

static void
smoke_fini_done(void *arg)
{
	*(bool *)arg = true;
}

static void
smoke_io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct smoke_io *io = arg;

	io->done = true;
	io->success = success;
	io->count++;
	spdk_bdev_free_io(bdev_io);
}

static void
smoke_io_keep(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct smoke_io *io = arg;

	io->done = true;
	io->success = success;
	io->count++;
	io->bdev_io = bdev_io;
}

static int
smoke_setup(void **state)
{
	int rc = 1;
	int i;

	assert_int_equal(spdk_thread_lib_init(NULL, 0), 0);
	g_app = spdk_thread_create("smoke_app", NULL);
	assert_non_null(g_app);
	spdk_set_thread(g_app);
	spdk_bdev_initialize(smoke_init_done, &rc);
	/* The callback never runs inside the call. */
	assert_int_equal(rc, 1);
	for (i = 0; i < 1000 && rc == 1; i++) {
		spdk_thread_poll(g_app, 0, 0);
	}
	assert_int_equal(rc, 0);
	return 0;
}

static int
smoke_teardown(void **state)
{
	bool done = false;
	int i;

	spdk_bdev_finish(smoke_fini_done, &done);
	smoke_poll_until(&done);
	spdk_thread_exit(g_app);
	for (i = 0; i < SMOKE_POLL_MAX && !spdk_thread_is_exited(g_app); i++) {
		spdk_thread_poll(g_app, 0, 0);
	}
	assert_true(spdk_thread_is_exited(g_app));
	spdk_thread_destroy(g_app);
	spdk_set_thread(NULL);
	spdk_thread_lib_fini();
	return 0;
}

static void
smoke_event_ignore(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
}

static void
malloc_write_read_verify(void **state)
{
	struct malloc_bdev_opts opts = {.num_blocks = SMOKE_BLOCKS, .block_size = SMOKE_BS};
	struct spdk_bdev_desc *desc = NULL;
	struct spdk_io_channel *ch;
	struct spdk_bdev *bdev = NULL;
	struct smoke_io io = {};
	uint8_t *wbuf, *rbuf;
	struct iovec *iov;
	int iovcnt, rc;
	bool deleted = false;

	opts.name = "SmokeMalloc";
	assert_int_equal(create_malloc_disk(&bdev, &opts), 0);
	assert_string_equal(spdk_bdev_get_product_name(bdev), "Malloc disk");
	assert_int_equal(spdk_bdev_get_block_size(bdev), SMOKE_BS);
	assert_int_equal(spdk_bdev_get_num_blocks(bdev), SMOKE_BLOCKS);
	assert_ptr_equal(spdk_bdev_get_by_name("SmokeMalloc"), bdev);

	/* The seed's pattern: no event callback. */
	assert_int_equal(spdk_bdev_open_ext("SmokeMalloc", true, NULL, NULL, &desc), 0);
	ch = spdk_bdev_get_io_channel(desc);
	assert_non_null(ch);

	wbuf = spdk_dma_malloc(8 * SMOKE_BS, 4096, NULL);
	rbuf = spdk_dma_zmalloc(8 * SMOKE_BS, 4096, NULL);
	assert_non_null(wbuf);
	assert_non_null(rbuf);
	memset(wbuf, 0x5a, 8 * SMOKE_BS);

	rc = spdk_bdev_write(desc, ch, wbuf, 16 * SMOKE_BS, 8 * SMOKE_BS, smoke_io_done, &io);
	assert_int_equal(rc, 0);
	assert_false(io.done);
	smoke_poll_until(&io.done);
	assert_true(io.success);

	memset(&io, 0, sizeof(io));
	rc = spdk_bdev_read_blocks(desc, ch, rbuf, 16, 8, smoke_io_done, &io);
	assert_int_equal(rc, 0);
	assert_false(io.done);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	assert_memory_equal(wbuf, rbuf, 8 * SMOKE_BS);

	/* Unwritten blocks read as zeroes. */
	memset(&io, 0, sizeof(io));
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, rbuf, 100, 1, smoke_io_done, &io), 0);
	smoke_poll_until(&io.done);
	memset(wbuf, 0, SMOKE_BS);
	assert_memory_equal(wbuf, rbuf, SMOKE_BS);

	/* A read without a buffer gets one from the bdev layer. */
	memset(&io, 0, sizeof(io));
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, NULL, 16, 2, smoke_io_keep, &io), 0);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	spdk_bdev_io_get_iovec(io.bdev_io, &iov, &iovcnt);
	assert_int_equal(iovcnt, 1);
	assert_non_null(iov[0].iov_base);
	assert_int_equal(iov[0].iov_len, 2 * SMOKE_BS);
	assert_int_equal(((uint8_t *)iov[0].iov_base)[SMOKE_BS + 7], 0x5a);
	spdk_bdev_free_io(io.bdev_io);

	/* Validation, in SPDK's order. */
	assert_int_equal(spdk_bdev_read(desc, ch, rbuf, 1, SMOKE_BS, smoke_io_done, &io), -EINVAL);
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, rbuf, SMOKE_BLOCKS, 1, smoke_io_done, &io),
			 -EINVAL);
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, rbuf, UINT64_MAX, 2, smoke_io_done, &io),
			 -EINVAL);
	memset(&io, 0, sizeof(io));
	assert_int_equal(
		spdk_bdev_read_blocks(desc, ch, rbuf, SMOKE_BLOCKS - 1, 1, smoke_io_done, &io), 0);
	smoke_poll_until(&io.done);

	/* Compare (native) and write zeroes. */
	memset(wbuf, 0x5a, SMOKE_BS);
	memset(&io, 0, sizeof(io));
	assert_int_equal(spdk_bdev_compare_blocks(desc, ch, wbuf, 16, 1, smoke_io_done, &io), 0);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	memset(&io, 0, sizeof(io));
	assert_int_equal(spdk_bdev_write_zeroes_blocks(desc, ch, 16, 8, smoke_io_done, &io), 0);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	memset(&io, 0, sizeof(io));
	assert_int_equal(spdk_bdev_compare_blocks(desc, ch, wbuf, 16, 1, smoke_io_done, &io), 0);
	smoke_poll_until(&io.done);
	assert_false(io.success);

	spdk_put_io_channel(ch);
	spdk_bdev_close(desc);
	delete_malloc_disk("SmokeMalloc", (spdk_delete_malloc_complete)smoke_init_done, &rc);
	rc = 1;
	while (rc == 1) {
		spdk_thread_poll(g_app, 0, 0);
	}
	assert_int_equal(rc, 0);
	deleted = spdk_bdev_get_by_name("SmokeMalloc") == NULL;
	assert_true(deleted);
	spdk_dma_free(wbuf);
	spdk_dma_free(rbuf);
}

static void
malloc_split_on_boundary(void **state)
{
	struct malloc_bdev_opts opts = {
		.num_blocks = SMOKE_BLOCKS, .block_size = 512, .optimal_io_boundary = 8};
	struct spdk_bdev_desc *desc = NULL;
	struct spdk_io_channel *ch;
	struct spdk_bdev *bdev = NULL;
	struct smoke_io io = {};
	struct iovec iov[3];
	uint8_t *wbuf, *rbuf;
	uint32_t i;
	int rc = 1;

	assert_int_equal(create_malloc_disk(&bdev, &opts), 0);
	assert_string_equal(spdk_bdev_get_name(bdev), "Malloc0");
	assert_int_equal(
		spdk_bdev_open_ext(spdk_bdev_get_name(bdev), true, smoke_event_ignore, NULL, &desc),
		0);
	ch = spdk_bdev_get_io_channel(desc);
	assert_non_null(ch);

	wbuf = malloc(40 * 512);
	rbuf = calloc(1, 40 * 512);
	for (i = 0; i < 40 * 512; i++) {
		wbuf[i] = (uint8_t)(i * 7 + 3);
	}
	/* 37 blocks from block 5, in three uneven segments: children at 5-7, 8-15, ... */
	iov[0].iov_base = wbuf;
	iov[0].iov_len = 1000;
	iov[1].iov_base = wbuf + 1000;
	iov[1].iov_len = 10000;
	iov[2].iov_base = wbuf + 11000;
	iov[2].iov_len = 37 * 512 - 11000;
	assert_int_equal(spdk_bdev_writev_blocks(desc, ch, iov, 3, 5, 37, smoke_io_done, &io), 0);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	assert_int_equal(io.count, 1);

	memset(&io, 0, sizeof(io));
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, rbuf, 5, 37, smoke_io_done, &io), 0);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	assert_memory_equal(wbuf, rbuf, 37 * 512);

	/* A split read without a buffer. */
	memset(&io, 0, sizeof(io));
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, NULL, 5, 37, smoke_io_keep, &io), 0);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	{
		struct iovec *riov;
		int riovcnt;

		spdk_bdev_io_get_iovec(io.bdev_io, &riov, &riovcnt);
		assert_int_equal(riovcnt, 1);
		assert_memory_equal(riov[0].iov_base, wbuf, 37 * 512);
	}
	spdk_bdev_free_io(io.bdev_io);

	spdk_put_io_channel(ch);
	spdk_bdev_close(desc);
	delete_malloc_disk("Malloc0", (spdk_delete_malloc_complete)smoke_init_done, &rc);
	while (rc == 1) {
		spdk_thread_poll(g_app, 0, 0);
	}
	assert_int_equal(rc, 0);
	free(wbuf);
	free(rbuf);
}

struct smoke_remove {
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	int removes;
};

static void
smoke_remove_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
	struct smoke_remove *r = ctx;

	if (type == SPDK_BDEV_EVENT_REMOVE) {
		/* The test closes once its I/O has completed. */
		r->removes++;
	}
}

static void
smoke_unregister_done(void *arg, int rc)
{
	int *out = arg;

	*out = rc;
}

static void
unregister_with_open_descriptors(void **state)
{
	struct null_bdev_opts opts = {
		.name = "SmokeNull", .num_blocks = 1 << 20, .block_size = 4096};
	struct smoke_remove r = {};
	struct spdk_bdev_desc *silent = NULL, *desc2 = NULL;
	struct spdk_bdev *bdev = NULL;
	struct smoke_io io = {};
	int rc = 1;
	static uint8_t buf[4096];

	assert_int_equal(bdev_null_create(&bdev, &opts), 0);
	assert_int_equal(bdev_null_create(&bdev, &opts), -EEXIST);
	opts.name = "SmokeNull2";
	opts.block_size = 1000;
	assert_int_equal(bdev_null_create(&bdev, &opts), -EINVAL);
	opts.block_size = 4096;
	opts.num_blocks = 0;
	assert_int_equal(bdev_null_create(&bdev, &opts), -EINVAL);

	assert_int_equal(spdk_bdev_open_ext("SmokeNull", true, smoke_remove_event, &r, &r.desc), 0);
	assert_int_equal(spdk_bdev_open_ext("SmokeNull", false, NULL, NULL, &silent), 0);
	r.ch = spdk_bdev_get_io_channel(r.desc);
	assert_non_null(r.ch);
	assert_false(spdk_bdev_io_type_supported(spdk_bdev_desc_get_bdev(r.desc),
						 SPDK_BDEV_IO_TYPE_UNMAP));

	/* I/O in flight when the unregister starts completes normally. */
	assert_int_equal(spdk_bdev_read_blocks(r.desc, r.ch, buf, 0, 1, smoke_io_done, &io), 0);
	assert_int_equal(bdev_null_resize("SmokeNull", 8192), 0);
	bdev_null_delete("SmokeNull", smoke_unregister_done, &rc);
	assert_int_equal(spdk_bdev_open_ext("SmokeNull", false, NULL, NULL, &desc2), -ENODEV);
	smoke_poll_until(&io.done);
	assert_true(io.success);
	smoke_poll_idle();
	assert_int_equal(r.removes, 1);
	spdk_put_io_channel(r.ch);
	spdk_bdev_close(r.desc);
	smoke_poll_idle();
	/* The silent descriptor keeps the bdev. */
	assert_int_equal(rc, 1);
	assert_non_null(spdk_bdev_get_by_name("SmokeNull"));
	spdk_bdev_close(silent);
	smoke_poll_idle();
	assert_int_equal(rc, 0);
	assert_null(spdk_bdev_get_by_name("SmokeNull"));
}

/* ---------------------------------------------------------------------- */
/* Timing loop (argument "bench")                                          */
/* ---------------------------------------------------------------------- */

struct bench {
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	uint64_t submitted;
	uint64_t completed;
	uint64_t target;
	uint64_t offset;
	uint64_t blocks;
	bool write;
	void *buf;
};

static void bench_submit(struct bench *b);

static void
bench_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct bench *b = arg;

	b->completed++;
	spdk_bdev_free_io(bdev_io);
	if (b->submitted < b->target) {
		bench_submit(b);
	}
}

static void
bench_submit(struct bench *b)
{
	int rc;

	b->offset = (b->offset * 6364136223846793005ULL + 1442695040888963407ULL);
	if (b->write) {
		rc = spdk_bdev_write_blocks(b->desc, b->ch, b->buf, (b->offset >> 20) % b->blocks,
					    1, bench_done, b);
	} else {
		rc = spdk_bdev_read_blocks(b->desc, b->ch, b->buf, (b->offset >> 20) % b->blocks, 1,
					   bench_done, b);
	}
	if (rc == 0) {
		b->submitted++;
	}
}

static uint64_t
bench_cpu_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static double
bench_run(const char *name, bool write, uint32_t qd, uint64_t n)
{
	struct bench b = {};
	uint64_t start, end;
	uint32_t i;

	assert_int_equal(spdk_bdev_open_ext(name, true, NULL, NULL, &b.desc), 0);
	b.ch = spdk_bdev_get_io_channel(b.desc);
	b.blocks = spdk_bdev_get_num_blocks(spdk_bdev_desc_get_bdev(b.desc));
	b.buf = spdk_dma_zmalloc(4096, 4096, NULL);
	b.write = write;
	b.target = n / 10;
	for (i = 0; i < qd; i++) {
		bench_submit(&b);
	}
	while (b.completed < b.submitted) {
		spdk_thread_poll(g_app, 0, 0);
	}
	b.submitted = b.completed = 0;
	b.target = n;
	/* Thread CPU time: other processes on the machine do not count. */
	start = bench_cpu_ns();
	for (i = 0; i < qd; i++) {
		bench_submit(&b);
	}
	while (b.completed < b.submitted) {
		spdk_thread_poll(g_app, 0, 0);
	}
	end = bench_cpu_ns();
	spdk_put_io_channel(b.ch);
	spdk_bdev_close(b.desc);
	spdk_dma_free(b.buf);
	smoke_poll_idle();
	return (double)(end - start) / (double)b.completed;
}

static bool g_bench_null_only;

static int
bench_main(void)
{
	struct null_bdev_opts nopts = {
		.name = "BenchNull", .num_blocks = 1 << 20, .block_size = 4096};
	struct malloc_bdev_opts mopts = {
		.name = "BenchMalloc", .num_blocks = 65536, .block_size = 4096};
	struct spdk_bdev *bdev;
	uint32_t qds[] = {1, 32, 128};
	double ns;
	size_t i;
	bool done = false;
	int rc = 1;

	smoke_setup(NULL);
	assert_int_equal(bdev_null_create(&bdev, &nopts), 0);
	assert_int_equal(create_malloc_disk(&bdev, &mopts), 0);
	for (i = 0; i < sizeof(qds) / sizeof(qds[0]); i++) {
		ns = bench_run("BenchNull", false, qds[i], 20000000);
		printf("null   read  qd %3u: %6.1f ns/IO  (%5.1f M IOPS)\n", qds[i], ns, 1e3 / ns);
	}
	for (i = 0; i < sizeof(qds) / sizeof(qds[0]) && !g_bench_null_only; i++) {
		ns = bench_run("BenchMalloc", false, qds[i], 5000000);
		printf("malloc randread  qd %3u: %6.1f ns/IO  (%5.2f M IOPS)\n", qds[i], ns,
		       1e3 / ns);
		ns = bench_run("BenchMalloc", true, qds[i], 5000000);
		printf("malloc randwrite qd %3u: %6.1f ns/IO  (%5.2f M IOPS)\n", qds[i], ns,
		       1e3 / ns);
	}
	bdev_null_delete("BenchNull", smoke_unregister_done, &rc);
	delete_malloc_disk("BenchMalloc", smoke_unregister_done, &rc);
	smoke_poll_idle();
	spdk_bdev_finish(smoke_fini_done, &done);
	smoke_poll_until(&done);
	spdk_thread_exit(g_app);
	while (!spdk_thread_is_exited(g_app)) {
		spdk_thread_poll(g_app, 0, 0);
	}
	spdk_thread_destroy(g_app);
	spdk_set_thread(NULL);
	spdk_thread_lib_fini();
	return 0;
}

/*
 * malloc copies single-buffer reads (and writes to disks of 64 MiB or more)
 * in gangs from its poller: a batch of mixed sizes, block sizes and buffer
 * alignments must land exactly, and an abort sent before the poller ran
 * must stop the copy.
 */
static void
malloc_gang_copies_and_aborts(void **state)
{
	struct malloc_bdev_opts opts = {.num_blocks = (64u << 20) / 512, .block_size = 512};
	static const uint32_t nblocks[] = {8, 1, 3, 8, 16, 2, 8, 5, 1, 8, 9};
	enum {
		N = SPDK_COUNTOF(nblocks)
	};
	struct spdk_bdev_desc *desc = NULL;
	struct smoke_io io[N] = {}, ab = {}, victim = {};
	struct spdk_bdev *bdev = NULL;
	struct spdk_io_channel *ch;
	uint8_t *wbuf, *rbuf, *scratch;
	uint64_t off[N];
	int i, j;

	opts.name = "GangMalloc";
	assert_int_equal(create_malloc_disk(&bdev, &opts), 0);
	assert_int_equal(spdk_bdev_open_ext("GangMalloc", true, smoke_event_ignore, NULL, &desc),
			 0);
	ch = spdk_bdev_get_io_channel(desc);
	assert_non_null(ch);
	/* Each I/O gets its own 8 KiB slot, at an odd 16-byte offset in it. */
	wbuf = spdk_dma_malloc(N * 8192 + 64, 4096, NULL);
	rbuf = spdk_dma_zmalloc(N * 8192 + 64, 4096, NULL);
	scratch = spdk_dma_malloc(4096, 4096, NULL);
	assert_non_null(wbuf);
	assert_non_null(rbuf);
	assert_non_null(scratch);
	for (i = 0; i < N * 8192 + 64; i++) {
		wbuf[i] = (uint8_t)(i * 7 + i / 251);
	}
	/* All the writes at once, to places far apart, then all the reads. */
	for (i = 0; i < N; i++) {
		off[i] = (uint64_t)i * 9973 + 17;
		assert_int_equal(spdk_bdev_write_blocks(desc, ch, wbuf + i * 8192 + 16 * i, off[i],
							nblocks[i], smoke_io_done, &io[i]),
				 0);
	}
	for (i = 0; i < N; i++) {
		smoke_poll_until(&io[i].done);
		assert_true(io[i].success);
	}
	memset(io, 0, sizeof(io));
	for (i = 0; i < N; i++) {
		assert_int_equal(spdk_bdev_read_blocks(desc, ch, rbuf + i * 8192 + 16 * i, off[i],
						       nblocks[i], smoke_io_done, &io[i]),
				 0);
	}
	for (i = 0; i < N; i++) {
		smoke_poll_until(&io[i].done);
		assert_true(io[i].success);
		assert_int_equal(io[i].count, 1);
		assert_memory_equal(rbuf + i * 8192 + 16 * i, wbuf + i * 8192 + 16 * i,
				    nblocks[i] * 512);
		/* Not a byte more. */
		for (j = 0; j < 16; j++) {
			assert_int_equal(rbuf[i * 8192 + 16 * i + nblocks[i] * 512 + j], 0);
		}
	}

	/* A read aborted before the poller ran never fills its buffer. */
	memset(scratch, 0xee, 4096);
	assert_int_equal(
		spdk_bdev_read_blocks(desc, ch, scratch, off[0], 8, smoke_io_done, &victim), 0);
	assert_int_equal(spdk_bdev_abort(desc, ch, &victim, smoke_io_done, &ab), 0);
	smoke_poll_until(&victim.done);
	smoke_poll_until(&ab.done);
	assert_false(victim.success);
	assert_true(ab.success);
	for (j = 0; j < 4096; j++) {
		assert_int_equal(scratch[j], 0xee);
	}
	/* A write aborted before the poller ran never reaches the disk. */
	memset(&victim, 0, sizeof(victim));
	memset(&ab, 0, sizeof(ab));
	assert_int_equal(
		spdk_bdev_write_blocks(desc, ch, scratch, off[1], 1, smoke_io_done, &victim), 0);
	assert_int_equal(spdk_bdev_abort(desc, ch, &victim, smoke_io_done, &ab), 0);
	smoke_poll_until(&victim.done);
	smoke_poll_until(&ab.done);
	assert_false(victim.success);
	assert_true(ab.success);
	memset(&io[0], 0, sizeof(io[0]));
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, rbuf, off[1], 1, smoke_io_done, &io[0]),
			 0);
	smoke_poll_until(&io[0].done);
	assert_memory_equal(rbuf, wbuf + 8192 + 16, 512);

	spdk_dma_free(wbuf);
	spdk_dma_free(rbuf);
	spdk_dma_free(scratch);
	spdk_put_io_channel(ch);
	spdk_bdev_close(desc);
	smoke_poll_idle();
}

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(malloc_write_read_verify, smoke_setup,
						smoke_teardown),
		cmocka_unit_test_setup_teardown(malloc_split_on_boundary, smoke_setup,
						smoke_teardown),
		cmocka_unit_test_setup_teardown(unregister_with_open_descriptors, smoke_setup,
						smoke_teardown),
		cmocka_unit_test_setup_teardown(malloc_gang_copies_and_aborts, smoke_setup,
						smoke_teardown),
	};

	if (argc > 1 && strcmp(argv[1], "bench") == 0) {
		g_bench_null_only = argc > 2 && strcmp(argv[2], "null") == 0;
		return bench_main();
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
