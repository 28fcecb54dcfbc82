/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Functional and fault tests of the uring and aio bdev modules on real files
 * in a temporary directory, driven from one table so that every case runs
 * against both modules: creation errors (nothing registered), write and
 * read-verify at many sizes and offsets, vectored I/O, range checks, unmap
 * and write zeroes reading back zeroes, flush reaching the file, more I/O
 * than a channel holds (NOMEM and retry), reset under load, rescan of a
 * grown file (RESIZE), a read past the end of a file that shrank, a full file
 * system, a file removed under the bdev, buffered I/O where O_DIRECT is
 * refused (ramfs), io_uring forbidden by seccomp (uring fails and says to
 * use aio, aio works), and uring's registered buffers: I/O from large blocks
 * and spdk_mem_register() regions uses them, memory freed and mapped again
 * between I/Os still gets the data, a block larger than a registered buffer
 * and a full table of them are handled, the kernel refusing to pin more memory
 * (RLIMIT_MEMLOCK without CAP_IPC_LOCK) falls back with one notice, and
 * UPDK_URING_FIXED_BUFFERS=0 turns them off. The cases that need mounts or
 * privileges are skipped when not run as root. Exits 0 on success, 1 on
 * failure, 77 when nothing could run.
 */

#include "spdk/stdinc.h"

#include <sys/ioctl.h>
#include <sys/mount.h>
#include <linux/loop.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <linux/audit.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>

#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_aio.h"
#include "updk/bdev_uring.h"
#include "updk_internal/bdev_uring.h"

#define POLL_TIMEOUT_S 30
#define FILE_SIZE (16 * 1024 * 1024)
#define MAX_IO (1024 * 1024)

static struct spdk_thread *g_app;
static int g_failed;
static int g_passed;
static int g_skipped;
static char g_dir[256];
static const char *g_test;
static const char *g_mod;

#define FAIL(fmt, ...)                                                                            \
	do {                                                                                      \
		fprintf(stderr, "FAIL %s/%s %s:%d: " fmt "\n", g_mod, g_test, __FILE__, __LINE__, \
			##__VA_ARGS__);                                                           \
		g_failed++;                                                                       \
		return;                                                                           \
	} while (0)

#define ASSERT_EQ(a, b)                                                 \
	do {                                                            \
		long long _a = (long long)(a), _b = (long long)(b);     \
		if (_a != _b) {                                         \
			FAIL("%s == %s: %lld != %lld", #a, #b, _a, _b); \
		}                                                       \
	} while (0)

#define ASSERT_TRUE(c)                  \
	do {                            \
		if (!(c)) {             \
			FAIL("%s", #c); \
		}                       \
	} while (0)

/* ---- harness ---- */

static bool
poll_until(const bool *flag)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!*flag) {
		spdk_thread_poll(g_app, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > POLL_TIMEOUT_S) {
			return false;
		}
	}
	return true;
}

static void
poll_for_us(uint64_t us)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		spdk_thread_poll(g_app, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((uint64_t)(t.tv_sec - t0.tv_sec) * 1000000 +
			 (uint64_t)(t.tv_nsec - t0.tv_nsec) / 1000 <
		 us);
}

struct io_res {
	bool done;
	bool success;
	int aio;
};

static void
io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct io_res *r = arg;

	r->done = true;
	r->success = success;
	r->aio = 0;
	spdk_bdev_io_get_aio_status(bdev_io, &r->aio);
	spdk_bdev_free_io(bdev_io);
}

static void
bool_done(void *arg, int rc)
{
	int *p = arg;

	*p = rc == 0 ? 1 : rc;
}

struct init_res {
	bool done;
	int rc;
};

static void
init_done(void *arg, int rc)
{
	struct init_res *r = arg;

	r->rc = rc;
	r->done = true;
}

static void
fini_done(void *arg)
{
	*(bool *)arg = true;
}

static int
harness_init(void)
{
	struct init_res r = {};

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		return -1;
	}
	g_app = spdk_thread_create("app", NULL);
	if (g_app == NULL) {
		return -1;
	}
	spdk_set_thread(g_app);
	spdk_bdev_initialize(init_done, &r);
	if (!poll_until(&r.done) || r.rc != 0) {
		return -1;
	}
	return 0;
}

static int
harness_fini(void)
{
	bool done = false;

	spdk_bdev_finish(fini_done, &done);
	if (!poll_until(&done)) {
		return -1;
	}
	spdk_thread_exit(g_app);
	while (!spdk_thread_is_exited(g_app)) {
		spdk_thread_poll(g_app, 0, 0);
	}
	spdk_set_thread(NULL);
	spdk_thread_destroy(g_app);
	spdk_thread_lib_fini();
	return 0;
}

/* ---- the module table ---- */

struct module {
	const char *name;
	int (*create)(const char *name, const char *file, uint32_t block_size);
	void (*delete)(const char *name, void (*cb)(void *, int), void *arg);
	int (*rescan)(const char *name);
	/* Registered-buffer counters; NULL for modules without them. */
	int (*fixed_stats)(const char *name, struct updk_bdev_uring_fixed_stats *stats);
};

static int
uring_create(const char *name, const char *file, uint32_t block_size)
{
	struct bdev_uring_opts opts = {
		.name = name,
		.filename = file,
		.block_size = block_size,
	};
	struct spdk_bdev *bdev;

	return updk_bdev_uring_create(&opts, &bdev);
}

static int
aio_create(const char *name, const char *file, uint32_t block_size)
{
	return create_aio_bdev(name, file, block_size, false, true, NULL, false);
}

/* aio with RWF_NOWAIT: requests the kernel would block on come back with
 * EAGAIN and are resubmitted without the flag. */
static int
aio_nowait_create(const char *name, const char *file, uint32_t block_size)
{
	return create_aio_bdev(name, file, block_size, false, true, NULL, true);
}

static const struct module g_modules[] = {
	{"uring", uring_create, delete_uring_bdev, bdev_uring_rescan,
	 updk__bdev_uring_get_fixed_stats},
	{"aio", aio_create, bdev_aio_delete, bdev_aio_rescan, NULL},
	{"aio_nowait", aio_nowait_create, bdev_aio_delete, bdev_aio_rescan, NULL},
};

/* ---- per-test bdev ---- */

struct ctx {
	const struct module *m;
	char path[300];
	char name[32];
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	uint32_t bs;
	uint64_t blocks;
	int resize_events;
	int remove_events;
};

static void
event_cb(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *arg)
{
	struct ctx *c = arg;

	if (type == SPDK_BDEV_EVENT_RESIZE) {
		c->resize_events++;
	} else if (type == SPDK_BDEV_EVENT_REMOVE) {
		c->remove_events++;
	}
}

static int
make_file(const char *path, uint64_t size)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0) {
		return -errno;
	}
	if (ftruncate(fd, (off_t)size) != 0) {
		close(fd);
		return -errno;
	}
	close(fd);
	return 0;
}

static int
ctx_open(struct ctx *c, const struct module *m, const char *dir, const char *tag, uint64_t size,
	 uint32_t bs)
{
	struct spdk_bdev *bdev;
	int rc;

	memset(c, 0, sizeof(*c));
	c->m = m;
	snprintf(c->path, sizeof(c->path), "%s/%s_%s.img", dir, m->name, tag);
	snprintf(c->name, sizeof(c->name), "%s_%s", m->name, tag);
	rc = make_file(c->path, size);
	if (rc != 0) {
		return rc;
	}
	rc = m->create(c->name, c->path, bs);
	if (rc != 0) {
		return rc;
	}
	rc = spdk_bdev_open_ext(c->name, true, event_cb, c, &c->desc);
	if (rc != 0) {
		return rc;
	}
	c->ch = spdk_bdev_get_io_channel(c->desc);
	if (c->ch == NULL) {
		return -ENOMEM;
	}
	bdev = spdk_bdev_desc_get_bdev(c->desc);
	c->bs = spdk_bdev_get_block_size(bdev);
	c->blocks = spdk_bdev_get_num_blocks(bdev);
	return 0;
}

static int
ctx_close(struct ctx *c)
{
	int done = 0;

	if (c->ch != NULL) {
		spdk_put_io_channel(c->ch);
		c->ch = NULL;
	}
	if (c->desc != NULL) {
		spdk_bdev_close(c->desc);
		c->desc = NULL;
	}
	c->m->delete (c->name, bool_done, &done);
	while (done == 0) {
		spdk_thread_poll(g_app, 0, 0);
	}
	unlink(c->path);
	return done == 1 ? 0 : done;
}

static void *
xbuf(size_t len)
{
	void *p = spdk_dma_zmalloc(len, 4096, NULL);

	if (p == NULL) {
		abort();
	}
	return p;
}

static void
fill(uint8_t *buf, size_t len, uint64_t seed)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t v = seed * 0x9e3779b97f4a7c15ULL + i;

		memcpy(buf + i, &v, spdk_min(8, len - i));
	}
}

/* Submit and wait; returns the submit rc (the callback ran only if 0). */
static int
sync_rw(struct ctx *c, bool write, void *buf, uint64_t off, uint64_t len, struct io_res *r)
{
	int rc;

	memset(r, 0, sizeof(*r));
	rc = write ? spdk_bdev_write(c->desc, c->ch, buf, off, len, io_done, r)
		   : spdk_bdev_read(c->desc, c->ch, buf, off, len, io_done, r);
	if (rc == 0 && !poll_until(&r->done)) {
		return -ETIMEDOUT;
	}
	return rc;
}

/* ---- cases ---- */

static void
t_create_errors(const struct module *m)
{
	char path[300], dirpath[300];
	int rc, fd;

	g_test = "create_errors";
	snprintf(path, sizeof(path), "%s/%s_missing.img", g_dir, m->name);
	ASSERT_EQ(m->create("e_missing", path, 0), -ENOENT);
	ASSERT_TRUE(spdk_bdev_get_by_name("e_missing") == NULL);

	snprintf(dirpath, sizeof(dirpath), "%s/%s_dir", g_dir, m->name);
	ASSERT_EQ(mkdir(dirpath, 0700), 0);
	rc = m->create("e_dir", dirpath, 0);
	rmdir(dirpath);
	ASSERT_EQ(rc, -EISDIR);
	ASSERT_TRUE(spdk_bdev_get_by_name("e_dir") == NULL);

	snprintf(path, sizeof(path), "%s/%s_odd.img", g_dir, m->name);
	ASSERT_EQ(make_file(path, 4096 * 10 + 512), 0);
	ASSERT_EQ(m->create("e_odd", path, 4096), -EINVAL);
	ASSERT_TRUE(spdk_bdev_get_by_name("e_odd") == NULL);
	ASSERT_EQ(m->create("e_bs", path, 1000), -EINVAL);
	ASSERT_EQ(m->create("e_bs2", path, 256), -EINVAL);
	unlink(path);

	snprintf(path, sizeof(path), "%s/%s_empty.img", g_dir, m->name);
	ASSERT_EQ(make_file(path, 0), 0);
	ASSERT_EQ(m->create("e_empty", path, 0), -EINVAL);
	unlink(path);

	ASSERT_EQ(m->create("e_noname", NULL, 0), -EINVAL);
	ASSERT_EQ(m->create("", "/dev/null", 0), -EINVAL);
	ASSERT_EQ(m->create("e_chr", "/dev/null", 0), -EINVAL);

	/* A name in use, by this module or another. */
	snprintf(path, sizeof(path), "%s/%s_dup.img", g_dir, m->name);
	ASSERT_EQ(make_file(path, 1024 * 1024), 0);
	ASSERT_EQ(m->create("e_dup", path, 0), 0);
	ASSERT_EQ(m->create("e_dup", path, 0), -EEXIST);
	fd = 0;
	m->delete ("e_dup", bool_done, &fd);
	while (fd == 0) {
		spdk_thread_poll(g_app, 0, 0);
	}
	ASSERT_EQ(fd, 1);
	fd = 0;
	m->delete ("e_dup", bool_done, &fd);
	while (fd == 0) {
		spdk_thread_poll(g_app, 0, 0);
	}
	ASSERT_EQ(fd, -ENODEV);
	ASSERT_EQ(m->rescan("e_dup"), -ENODEV);
	unlink(path);
	g_passed++;
}

static void
t_rw_verify(const struct module *m)
{
	static const uint64_t sizes[] = {1, 2, 3, 8, 16, 32, 255, 256};
	struct ctx c;
	struct io_res r;
	uint8_t *wbuf, *rbuf, *fbuf;
	uint64_t len, off, nblk;
	int fd;
	size_t i, j;

	g_test = "rw_verify";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "rw", FILE_SIZE, 0), 0);
	ASSERT_EQ(c.bs, 4096);
	ASSERT_EQ(c.blocks, FILE_SIZE / 4096);
	wbuf = xbuf(MAX_IO);
	rbuf = xbuf(MAX_IO);
	fbuf = xbuf(MAX_IO);
	for (i = 0; i < SPDK_COUNTOF(sizes); i++) {
		nblk = sizes[i];
		len = nblk * c.bs;
		const uint64_t offs[] = {0, 1, 7, 1000, c.blocks / 2 + 3, c.blocks - nblk};

		for (j = 0; j < SPDK_COUNTOF(offs); j++) {
			off = offs[j] * c.bs;
			fill(wbuf, len, i * 131 + j + 1);
			ASSERT_EQ(sync_rw(&c, true, wbuf, off, len, &r), 0);
			ASSERT_TRUE(r.success);
			memset(rbuf, 0xee, len);
			ASSERT_EQ(sync_rw(&c, false, rbuf, off, len, &r), 0);
			ASSERT_TRUE(r.success);
			ASSERT_EQ(memcmp(wbuf, rbuf, len), 0);
		}
	}
	/* What the bdev wrote is in the file. */
	fd = open(c.path, O_RDONLY);
	ASSERT_TRUE(fd >= 0);
	fill(wbuf, 64 * 1024, 4242);
	ASSERT_EQ(sync_rw(&c, true, wbuf, 12 * 4096, 64 * 1024, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(pread(fd, fbuf, 64 * 1024, 12 * 4096), 64 * 1024);
	close(fd);
	ASSERT_EQ(memcmp(wbuf, fbuf, 64 * 1024), 0);
	/* Unaligned buffers are bounced by the bdev layer. */
	fill(wbuf + 8, 4096, 77);
	ASSERT_EQ(sync_rw(&c, true, wbuf + 8, 5 * 4096, 4096, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(&c, false, rbuf + 24, 5 * 4096, 4096, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(wbuf + 8, rbuf + 24, 4096), 0);
	spdk_dma_free(wbuf);
	spdk_dma_free(rbuf);
	spdk_dma_free(fbuf);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static void
t_vectored(const struct module *m)
{
	enum {
		NSEG = 32
	};
	struct iovec wiov[NSEG], riov[NSEG];
	struct ctx c;
	struct io_res r;
	uint64_t total = 0;
	int i, rc;

	g_test = "vectored";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "vec", FILE_SIZE, 0), 0);
	for (i = 0; i < NSEG; i++) {
		size_t len = (size_t)c.bs * (size_t)(1 + i % 3);

		wiov[i].iov_base = xbuf(len);
		wiov[i].iov_len = len;
		fill(wiov[i].iov_base, len, (uint64_t)i + 500);
		/* The read side is cut differently: same total, other segments. */
		total += len;
	}
	for (i = 0; i < NSEG; i++) {
		size_t len = (size_t)c.bs * (size_t)(1 + (NSEG - 1 - i) % 3);

		riov[i].iov_base = xbuf(len);
		riov[i].iov_len = len;
	}
	memset(&r, 0, sizeof(r));
	rc = spdk_bdev_writev(c.desc, c.ch, wiov, NSEG, 3 * c.bs, total, io_done, &r);
	ASSERT_EQ(rc, 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	memset(&r, 0, sizeof(r));
	rc = spdk_bdev_readv(c.desc, c.ch, riov, NSEG, 3 * c.bs, total, io_done, &r);
	ASSERT_EQ(rc, 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	{
		uint8_t *a = xbuf(total), *b = xbuf(total);
		uint64_t pa = 0, pb = 0;

		for (i = 0; i < NSEG; i++) {
			memcpy(a + pa, wiov[i].iov_base, wiov[i].iov_len);
			pa += wiov[i].iov_len;
			memcpy(b + pb, riov[i].iov_base, riov[i].iov_len);
			pb += riov[i].iov_len;
		}
		rc = memcmp(a, b, total);
		spdk_dma_free(a);
		spdk_dma_free(b);
		ASSERT_EQ(rc, 0);
	}
	for (i = 0; i < NSEG; i++) {
		spdk_dma_free(wiov[i].iov_base);
		spdk_dma_free(riov[i].iov_base);
	}
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static void
t_boundaries(const struct module *m)
{
	struct ctx c;
	struct io_res r;
	uint8_t *buf;

	g_test = "boundaries";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "bnd", FILE_SIZE, 512), 0);
	ASSERT_EQ(c.bs, 512);
	buf = xbuf(8192);
	fill(buf, 512, 9);
	ASSERT_EQ(sync_rw(&c, true, buf, (c.blocks - 1) * 512, 512, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(&c, false, buf + 4096, (c.blocks - 1) * 512, 512, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(buf, buf + 4096, 512), 0);
	ASSERT_EQ(sync_rw(&c, false, buf, c.blocks * 512, 512, &r), -EINVAL);
	ASSERT_EQ(sync_rw(&c, false, buf, (c.blocks - 1) * 512, 1024, &r), -EINVAL);
	ASSERT_EQ(sync_rw(&c, false, buf, 100, 512, &r), -EINVAL);
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static void
t_unmap_zeroes(const struct module *m)
{
	struct ctx c;
	struct io_res r;
	uint8_t *buf, *zero;
	uint64_t len = 256 * 1024;
	int pass, rc;

	g_test = "unmap_write_zeroes";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "zero", FILE_SIZE, 0), 0);
	buf = xbuf(len);
	zero = xbuf(len);
	for (pass = 0; pass < 2; pass++) {
		fill(buf, len, 1234 + (uint64_t)pass);
		ASSERT_EQ(sync_rw(&c, true, buf, 64 * 4096, len, &r), 0);
		ASSERT_TRUE(r.success);
		memset(&r, 0, sizeof(r));
		if (pass == 0) {
			rc = spdk_bdev_unmap(c.desc, c.ch, 65 * 4096, 16 * 4096, io_done, &r);
		} else {
			rc = spdk_bdev_write_zeroes(c.desc, c.ch, 65 * 4096, 16 * 4096, io_done,
						    &r);
		}
		ASSERT_EQ(rc, 0);
		ASSERT_TRUE(poll_until(&r.done));
		ASSERT_TRUE(r.success);
		ASSERT_EQ(sync_rw(&c, false, buf, 64 * 4096, len, &r), 0);
		ASSERT_TRUE(r.success);
		ASSERT_EQ(memcmp(buf + 4096, zero, 16 * 4096), 0);
		/* Neighbours untouched. */
		fill(zero, len, 1234 + (uint64_t)pass);
		ASSERT_EQ(memcmp(buf, zero, 4096), 0);
		ASSERT_EQ(memcmp(buf + 17 * 4096, zero + 17 * 4096, len - 17 * 4096), 0);
		memset(zero, 0, len);
	}
	/* A large write zeroes over the whole device. */
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(spdk_bdev_write_zeroes(c.desc, c.ch, 0, c.blocks * c.bs, io_done, &r), 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(&c, false, buf, 64 * 4096, len, &r), 0);
	ASSERT_EQ(memcmp(buf, zero, len), 0);
	spdk_dma_free(buf);
	spdk_dma_free(zero);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static void
t_flush(const struct module *m)
{
	struct ctx c;
	struct io_res r;
	uint8_t *buf;

	g_test = "flush";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "flush", FILE_SIZE, 0), 0);
	buf = xbuf(4096);
	fill(buf, 4096, 3);
	ASSERT_EQ(sync_rw(&c, true, buf, 0, 4096, &r), 0);
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(spdk_bdev_flush(c.desc, c.ch, 0, c.blocks * c.bs, io_done, &r), 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

/* More I/O than the channel holds at once: the module answers NOMEM and
 * the bdev layer resubmits; everything must complete, once, and succeed.
 * Then the same load with a reset in the middle: the reset waits for the
 * I/O in the kernel (the bdev layer may abort what it still queues). */
static void
t_queue_overflow_and_reset(const struct module *m)
{
	enum {
		N = 2000
	};
	static struct io_res res[N];
	struct ctx c;
	struct io_res rr;
	uint8_t *buf;
	int i, done, rc, round;

	g_test = "overflow_and_reset";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "load", FILE_SIZE, 0), 0);
	buf = xbuf(4096 * 64);
	for (round = 0; round < 2; round++) {
		memset(res, 0, sizeof(res));
		memset(&rr, 0, sizeof(rr));
		for (i = 0; i < N; i++) {
			uint64_t blk = (uint64_t)i * (i & 1 ? 7 : 13) % c.blocks;

			rc = (i & 1) ? spdk_bdev_write(c.desc, c.ch, buf + (i % 64) * 4096,
						       blk * 4096, 4096, io_done, &res[i])
				     : spdk_bdev_read(c.desc, c.ch, buf + (i % 64) * 4096,
						      blk * 4096, 4096, io_done, &res[i]);
			if (rc == -ENOMEM) {
				/* The bdev_io pool itself ran dry: let some complete. */
				poll_for_us(1000);
				i--;
				continue;
			}
			ASSERT_EQ(rc, 0);
			if (round == 1 && i == N / 2) {
				ASSERT_EQ(spdk_bdev_reset(c.desc, c.ch, io_done, &rr), 0);
			}
		}
		for (i = 0; i < N; i++) {
			ASSERT_TRUE(poll_until(&res[i].done));
		}
		for (done = 0, i = 0; i < N; i++) {
			done += res[i].success ? 1 : 0;
		}
		if (round == 0) {
			ASSERT_EQ(done, N);
		} else {
			ASSERT_TRUE(poll_until(&rr.done));
			ASSERT_TRUE(rr.success);
			ASSERT_TRUE(done > 0);
		}
	}
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static void
t_rescan_grow(const struct module *m)
{
	struct ctx c;
	struct io_res r;
	uint8_t *buf;

	g_test = "rescan_grow";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "grow", FILE_SIZE, 0), 0);
	ASSERT_EQ(m->rescan(c.name), 0);
	ASSERT_EQ(c.resize_events, 0);
	ASSERT_EQ(truncate(c.path, FILE_SIZE * 2 + 1000), 0);
	ASSERT_EQ(m->rescan(c.name), 0);
	poll_for_us(10000);
	ASSERT_EQ(c.resize_events, 1);
	ASSERT_EQ(spdk_bdev_get_num_blocks(spdk_bdev_desc_get_bdev(c.desc)), 2 * FILE_SIZE / 4096);
	buf = xbuf(4096);
	fill(buf, 4096, 55);
	ASSERT_EQ(sync_rw(&c, true, buf, 2 * FILE_SIZE - 4096, 4096, &r), 0);
	ASSERT_TRUE(r.success);
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static void
t_shrunk_file(const struct module *m)
{
	struct ctx c;
	struct io_res r;
	uint8_t *buf;

	g_test = "read_past_shrunk_end";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "shrink", FILE_SIZE, 0), 0);
	buf = xbuf(8192);
	ASSERT_EQ(truncate(c.path, FILE_SIZE / 2), 0);
	ASSERT_EQ(sync_rw(&c, false, buf, FILE_SIZE - 8192, 8192, &r), 0);
	ASSERT_TRUE(!r.success);
	ASSERT_EQ(r.aio, -ENODATA);
	/* Straddling the new end: short read. */
	ASSERT_EQ(sync_rw(&c, false, buf, FILE_SIZE / 2 - 4096, 8192, &r), 0);
	ASSERT_TRUE(!r.success);
	ASSERT_EQ(r.aio, -ENODATA);
	/* The bdev keeps serving what exists. */
	ASSERT_EQ(sync_rw(&c, false, buf, 0, 8192, &r), 0);
	ASSERT_TRUE(r.success);
	/* Shrinking under an open descriptor is refused by rescan. */
	ASSERT_EQ(m->rescan(c.name), -EBUSY);
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static void
t_removed_file(const struct module *m)
{
	struct ctx c;
	struct io_res r;
	uint8_t *buf;

	g_test = "file_removed";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "unlinked", FILE_SIZE, 0), 0);
	buf = xbuf(8192);
	ASSERT_EQ(unlink(c.path), 0);
	/* The open file lives on: the bdev keeps serving its data. */
	fill(buf, 4096, 8);
	ASSERT_EQ(sync_rw(&c, true, buf, 4096, 4096, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(&c, false, buf + 4096, 4096, 4096, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(buf, buf + 4096, 4096), 0);
	ASSERT_EQ(m->rescan(c.name), 0);
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

static bool
mount_fs(const char *type, const char *opts, char *where, size_t len, const char *tag)
{
	snprintf(where, len, "%s/mnt_%s", g_dir, tag);
	if (mkdir(where, 0700) != 0) {
		return false;
	}
	if (mount(type, where, type, 0, opts) != 0) {
		rmdir(where);
		return false;
	}
	return true;
}

static void
umount_fs(const char *where)
{
	umount2(where, MNT_DETACH);
	rmdir(where);
}

/* Whatever a failed case left in the work directory goes: files, and the
 * mounts of the file-system cases (a failure returns before unmounting). */
static void
remove_work_dir(void)
{
	char path[600];
	struct dirent *e;
	DIR *d = opendir(g_dir);

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s", g_dir, e->d_name);
		if (e->d_type == DT_DIR) {
			umount_fs(path);
		} else {
			unlink(path);
		}
	}
	if (d != NULL) {
		closedir(d);
	}
	rmdir(g_dir);
}

static void
t_full_fs(const struct module *m)
{
	char mnt[300];
	struct ctx c;
	struct io_res r;
	uint8_t *buf;
	int i, failed = 0, enospc = 0;

	g_test = "full_file_system";
	if (!mount_fs("tmpfs", "size=2m", mnt, sizeof(mnt), m->name)) {
		g_skipped++;
		return;
	}
	/* A sparse 8 MiB file on a 2 MiB file system. */
	if (ctx_open(&c, m, mnt, "full", 8 * 1024 * 1024, 0) != 0) {
		umount_fs(mnt);
		FAIL("cannot create the bdev on tmpfs");
	}
	buf = xbuf(64 * 1024);
	for (i = 0; i < 128; i++) {
		fill(buf, 64 * 1024, (uint64_t)i);
		ASSERT_EQ(sync_rw(&c, true, buf, (uint64_t)i * 64 * 1024, 64 * 1024, &r), 0);
		if (!r.success) {
			failed++;
			enospc += r.aio == -ENOSPC;
		}
	}
	ASSERT_TRUE(failed > 0);
	ASSERT_EQ(enospc, failed);
	/* Still serving: what fit reads back. */
	ASSERT_EQ(sync_rw(&c, false, buf, 0, 64 * 1024, &r), 0);
	ASSERT_TRUE(r.success);
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	umount_fs(mnt);
	g_passed++;
}

static void
t_buffered_fallback(const struct module *m)
{
	char mnt[300];
	struct ctx c;
	struct io_res r;
	uint8_t *buf;
	int fd;

	g_test = "buffered_fallback";
	/* ramfs has no O_DIRECT. */
	if (!mount_fs("ramfs", "", mnt, sizeof(mnt), m->name)) {
		g_skipped++;
		return;
	}
	fd = open(mnt, O_RDONLY);
	close(fd);
	if (ctx_open(&c, m, mnt, "buf", 4 * 1024 * 1024, 0) != 0) {
		umount_fs(mnt);
		FAIL("cannot create the bdev on ramfs");
	}
	buf = xbuf(16384);
	fill(buf, 8192, 31);
	/* Buffered: no alignment needed, so no bouncing either. */
	ASSERT_EQ(spdk_bdev_get_buf_align(spdk_bdev_desc_get_bdev(c.desc)), 1);
	ASSERT_EQ(sync_rw(&c, true, buf, 8192, 8192, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(&c, false, buf + 8192, 8192, 8192, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(buf, buf + 8192, 8192), 0);
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(spdk_bdev_flush(c.desc, c.ch, 0, 8192, io_done, &r), 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	spdk_dma_free(buf);
	ASSERT_EQ(ctx_close(&c), 0);
	umount_fs(mnt);
	g_passed++;
}

/* A block device: a loop device over a file (root only). BLKSSZGET and
 * BLKGETSIZE64 give the geometry; growing the device is picked up by rescan. */
static void
t_blockdev(const struct module *m)
{
	char file[300], dev[64];
	struct ctx c;
	struct io_res r;
	uint8_t *buf;
	int ctl, lfd, ffd, n;

	g_test = "block_device";
	snprintf(file, sizeof(file), "%s/%s_loop.img", g_dir, m->name);
	if (make_file(file, 8 * 1024 * 1024) != 0) {
		FAIL("cannot create %s", file);
	}
	ctl = open("/dev/loop-control", O_RDWR);
	n = ctl >= 0 ? ioctl(ctl, LOOP_CTL_GET_FREE) : -1;
	if (ctl >= 0) {
		close(ctl);
	}
	snprintf(dev, sizeof(dev), "/dev/loop%d", n);
	lfd = n >= 0 ? open(dev, O_RDWR) : -1;
	ffd = open(file, O_RDWR);
	if (lfd < 0 || ffd < 0 || ioctl(lfd, LOOP_SET_FD, ffd) != 0) {
		if (lfd >= 0) {
			close(lfd);
		}
		if (ffd >= 0) {
			close(ffd);
		}
		unlink(file);
		g_skipped++;
		return;
	}
	memset(&c, 0, sizeof(c));
	c.m = m;
	snprintf(c.path, sizeof(c.path), "%s", dev);
	snprintf(c.name, sizeof(c.name), "%s_blk", m->name);
	if (m->create(c.name, dev, 0) != 0) {
		ioctl(lfd, LOOP_CLR_FD, 0);
		FAIL("cannot create a bdev on %s", dev);
	}
	ASSERT_EQ(spdk_bdev_open_ext(c.name, true, event_cb, &c, &c.desc), 0);
	c.ch = spdk_bdev_get_io_channel(c.desc);
	ASSERT_TRUE(c.ch != NULL);
	ASSERT_EQ(spdk_bdev_get_block_size(spdk_bdev_desc_get_bdev(c.desc)), 512);
	ASSERT_EQ(spdk_bdev_get_num_blocks(spdk_bdev_desc_get_bdev(c.desc)), 16384);
	buf = xbuf(16384);
	fill(buf, 8192, 99);
	ASSERT_EQ(sync_rw(&c, true, buf, 8192 * 3, 8192, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(&c, false, buf + 8192, 8192 * 3, 8192, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(buf, buf + 8192, 8192), 0);
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(spdk_bdev_write_zeroes(c.desc, c.ch, 8192 * 3, 4096, io_done, &r), 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(&c, false, buf, 8192 * 3, 8192, &r), 0);
	ASSERT_TRUE(buf[0] == 0 && buf[4095] == 0 &&
		    memcmp(buf + 4096, buf + 8192 + 4096, 4096) == 0);
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(spdk_bdev_flush(c.desc, c.ch, 0, 8192, io_done, &r), 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	/* Grow the device and rescan. */
	ASSERT_EQ(ftruncate(ffd, 16 * 1024 * 1024), 0);
	ASSERT_EQ(ioctl(lfd, LOOP_SET_CAPACITY, 0), 0);
	ASSERT_EQ(m->rescan(c.name), 0);
	poll_for_us(10000);
	ASSERT_EQ(c.resize_events, 1);
	ASSERT_EQ(spdk_bdev_get_num_blocks(spdk_bdev_desc_get_bdev(c.desc)), 32768);
	spdk_dma_free(buf);
	spdk_put_io_channel(c.ch);
	c.ch = NULL;
	spdk_bdev_close(c.desc);
	c.desc = NULL;
	n = 0;
	m->delete (c.name, bool_done, &n);
	while (n == 0) {
		spdk_thread_poll(g_app, 0, 0);
	}
	ioctl(lfd, LOOP_CLR_FD, 0);
	close(lfd);
	close(ffd);
	unlink(file);
	ASSERT_EQ(n, 1);
	g_passed++;
}

/* ---- registered buffers (uring) ---- */

/* The calling thread's registered-buffer counters of the bdev, or all zero
 * for modules without registered buffers. */
static struct updk_bdev_uring_fixed_stats
fixed_stats(const struct ctx *c)
{
	struct updk_bdev_uring_fixed_stats st = {};

	if (c->m->fixed_stats != NULL && c->m->fixed_stats(c->name, &st) != 0) {
		/* Impossible counters, so that the caller's checks fail. */
		st.fixed_ios = UINT64_MAX;
	}
	return st;
}

/* Reads and writes from a block of 2 MiB or more go through registered
 * buffers, at several sizes and offsets; heap buffers and vectors do not;
 * every transfer reads back what was written. */
static void
t_fixed_buffers(const struct module *m)
{
	static const uint64_t sizes[] = {4096, 8192, 65536, 1024 * 1024};
	struct updk_bdev_uring_fixed_stats st0, st;
	uint8_t *big, *heap;
	struct iovec iov[2];
	struct ctx c;
	struct io_res r;
	uint64_t ios = 0;
	size_t i;

	g_test = "fixed_buffers";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "fixed", FILE_SIZE, 0), 0);
	big = spdk_dma_zmalloc(4 * 1024 * 1024, 4096, NULL);
	heap = xbuf(256 * 1024);
	ASSERT_TRUE(big != NULL);
	st0 = fixed_stats(&c);
	for (i = 0; i < SPDK_COUNTOF(sizes); i++) {
		uint8_t *w = big + i * 8192, *rd = big + 2 * 1024 * 1024 + i * 4096;

		fill(w, sizes[i], 700 + i);
		ASSERT_EQ(sync_rw(&c, true, w, i * 2 * 1024 * 1024, sizes[i], &r), 0);
		ASSERT_TRUE(r.success);
		memset(rd, 0xee, sizes[i]);
		ASSERT_EQ(sync_rw(&c, false, rd, i * 2 * 1024 * 1024, sizes[i], &r), 0);
		ASSERT_TRUE(r.success);
		ASSERT_EQ(memcmp(w, rd, sizes[i]), 0);
		/* The file holds it too (read through the heap buffer). */
		memset(heap, 0, sizes[i] > 256 * 1024 ? 256 * 1024 : sizes[i]);
		ASSERT_EQ(sync_rw(&c, false, heap, i * 2 * 1024 * 1024,
				  sizes[i] > 256 * 1024 ? 256 * 1024 : sizes[i], &r),
			  0);
		ASSERT_TRUE(r.success);
		ASSERT_EQ(memcmp(w, heap, sizes[i] > 256 * 1024 ? 256 * 1024 : sizes[i]), 0);
		ios += 2;
	}
	st = fixed_stats(&c);
	if (m->fixed_stats != NULL) {
		ASSERT_TRUE(st.enabled);
		ASSERT_EQ(st.fixed_ios - st0.fixed_ios, ios);
		ASSERT_EQ(st.registered, 1);
		ASSERT_EQ(st.registrations - st0.registrations, 1);
	}

	/* Heap buffers and vectors take the ordinary path. */
	st0 = st;
	fill(heap, 65536, 801);
	ASSERT_EQ(sync_rw(&c, true, heap, 40 * 4096, 65536, &r), 0);
	ASSERT_TRUE(r.success);
	iov[0].iov_base = big + 3 * 1024 * 1024;
	iov[0].iov_len = 32768;
	iov[1].iov_base = big + 3 * 1024 * 1024 + 65536;
	iov[1].iov_len = 32768;
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(spdk_bdev_readv(c.desc, c.ch, iov, 2, 40 * 4096, 65536, io_done, &r), 0);
	ASSERT_TRUE(poll_until(&r.done));
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(heap, iov[0].iov_base, 32768), 0);
	ASSERT_EQ(memcmp(heap + 32768, iov[1].iov_base, 32768), 0);
	st = fixed_stats(&c);
	ASSERT_EQ(st.fixed_ios, st0.fixed_ios);
	spdk_dma_free(big);
	spdk_dma_free(heap);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

/* Maps len bytes aligned to 2 MiB (at want when not NULL, replacing what is
 * there), as a caller of spdk_mem_register() would. */
static uint8_t *
map_2mib(size_t len, uint8_t *want)
{
	uint8_t *raw, *p;

	if (want != NULL) {
		p = mmap(want, len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED,
			 -1, 0);
		return p == MAP_FAILED ? NULL : p;
	}
	raw = mmap(NULL, len + 2 * 1024 * 1024, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		   -1, 0);
	if (raw == MAP_FAILED) {
		return NULL;
	}
	p = (uint8_t *)(((uintptr_t)raw + 2 * 1024 * 1024 - 1) & ~(uintptr_t)(2 * 1024 * 1024 - 1));
	if (p > raw) {
		munmap(raw, (size_t)(p - raw));
	}
	munmap(p + len, (size_t)(raw + len + 2 * 1024 * 1024 - (p + len)));
	return p;
}

/* Reads into b and checks it holds the pattern of seed; then writes a new
 * pattern from b and checks, through a heap buffer, that the file got it.
 * A registered buffer left over from memory that used to be at b's address
 * would move the data to and from the old pages instead. */
static void
check_fresh_buffer(struct ctx *c, uint8_t *b, uint8_t *heap, uint64_t seed, uint64_t off)
{
	struct io_res r;

	fill(heap, 65536, seed);
	ASSERT_EQ(sync_rw(c, true, heap, off, 65536, &r), 0);
	ASSERT_TRUE(r.success);
	memset(b, 0, 65536);
	ASSERT_EQ(sync_rw(c, false, b, off, 65536, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(b, heap, 65536), 0);
	fill(b, 65536, seed + 1);
	ASSERT_EQ(sync_rw(c, true, b, off, 65536, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(sync_rw(c, false, heap, off, 65536, &r), 0);
	ASSERT_TRUE(r.success);
	ASSERT_EQ(memcmp(b, heap, 65536), 0);
}

/* Memory freed and allocated again (mmap() tends to give the same address
 * back) between I/Os: every I/O still reaches the new memory, through a new
 * registration, and the old one is released. The same for regions given to
 * spdk_mem_register(), unregistered, unmapped and mapped again at the same
 * address. */
static void
t_fixed_region_reused(const struct module *m)
{
	struct updk_bdev_uring_fixed_stats st0, st;
	uint8_t *a, *b, *heap, *mine;
	struct ctx c;
	int round, reused = 0, before = g_failed;

	g_test = "fixed_region_reused";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "reuse", FILE_SIZE, 0), 0);
	heap = xbuf(65536);
	for (round = 0; round < 4 && g_failed == before; round++) {
		st0 = fixed_stats(&c);
		a = spdk_dma_zmalloc(2 * 1024 * 1024, 4096, NULL);
		ASSERT_TRUE(a != NULL);
		check_fresh_buffer(&c, a + 8192, heap, 100 + (uint64_t)round, 4096 * 17);
		spdk_dma_free(a);
		b = spdk_dma_zmalloc(2 * 1024 * 1024, 4096, NULL);
		ASSERT_TRUE(b != NULL);
		reused += b == a;
		check_fresh_buffer(&c, b + 8192, heap, 200 + (uint64_t)round, 4096 * 17);
		st = fixed_stats(&c);
		spdk_dma_free(b);
		if (m->fixed_stats != NULL) {
			ASSERT_TRUE(st.enabled);
			ASSERT_EQ(st.fixed_ios - st0.fixed_ios, 4);
			ASSERT_EQ(st.registrations - st0.registrations, 2);
			/* a's registration was dropped when b's was made. */
			ASSERT_EQ(st.registered, 1);
		}
	}
	if (g_failed != before) {
		return;
	}
	printf("     %s: a freed block's address came back in %d of 4 rounds\n", m->name, reused);

	/* Memory of the caller's own, registered with the env. */
	mine = map_2mib(2 * 1024 * 1024, NULL);
	ASSERT_TRUE(mine != NULL);
	ASSERT_EQ(spdk_mem_register(mine, 2 * 1024 * 1024), 0);
	st0 = fixed_stats(&c);
	check_fresh_buffer(&c, mine, heap, 300, 4096 * 40);
	st = fixed_stats(&c);
	if (m->fixed_stats != NULL) {
		ASSERT_EQ(st.fixed_ios - st0.fixed_ios, 2);
	}
	ASSERT_EQ(spdk_mem_unregister(mine, 2 * 1024 * 1024), 0);
	ASSERT_TRUE(map_2mib(2 * 1024 * 1024, mine) == mine);
	/* Unregistered: the ordinary path. */
	st0 = fixed_stats(&c);
	check_fresh_buffer(&c, mine, heap, 400, 4096 * 40);
	st = fixed_stats(&c);
	ASSERT_EQ(st.fixed_ios, st0.fixed_ios);
	/* Registered again: a registration of its own. */
	ASSERT_EQ(spdk_mem_register(mine, 2 * 1024 * 1024), 0);
	check_fresh_buffer(&c, mine, heap, 500, 4096 * 40);
	st = fixed_stats(&c);
	if (m->fixed_stats != NULL) {
		ASSERT_EQ(st.fixed_ios - st0.fixed_ios, 2);
		ASSERT_EQ(st.registrations - st0.registrations, 1);
	}
	ASSERT_EQ(spdk_mem_unregister(mine, 2 * 1024 * 1024), 0);
	munmap(mine, 2 * 1024 * 1024);
	spdk_dma_free(heap);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

/* A block larger than a registered buffer may be is registered a 64 MiB
 * window at a time, and an I/O across the edge of two windows takes the
 * ordinary path. When every slot of the table holds a live block, a new
 * block's I/O takes the ordinary path too, until a block is freed and its
 * slot is reused. The data is right throughout. */
static void
t_fixed_table_limits(const struct module *m)
{
	enum {
		NBLK = 65
	};
	const size_t win = 64 * 1024 * 1024;
	struct updk_bdev_uring_fixed_stats st0, st;
	static uint8_t *blk[NBLK];
	uint8_t *big, *heap;
	struct ctx c;
	int i;

	g_test = "fixed_table_limits";
	ASSERT_EQ(ctx_open(&c, m, g_dir, "limits", FILE_SIZE, 0), 0);
	heap = xbuf(65536);
	big = spdk_dma_zmalloc(2 * win + 2 * 1024 * 1024, 4096, NULL);
	ASSERT_TRUE(big != NULL);
	st0 = fixed_stats(&c);
	check_fresh_buffer(&c, big + 1024 * 1024, heap, 1100, 0);
	check_fresh_buffer(&c, big + win + 4096, heap, 1101, 65536);
	check_fresh_buffer(&c, big + 2 * win + 8192, heap, 1102, 2 * 65536);
	st = fixed_stats(&c);
	if (m->fixed_stats != NULL && !st.refused) {
		ASSERT_EQ(st.fixed_ios - st0.fixed_ios, 6);
		ASSERT_EQ(st.registrations - st0.registrations, 3);
	}
	st0 = st;
	check_fresh_buffer(&c, big + win - 32768, heap, 1103, 3 * 65536);
	st = fixed_stats(&c);
	ASSERT_EQ(st.fixed_ios, st0.fixed_ios);
	spdk_dma_free(big);

	/* 65 blocks for a table of 64 (big's windows are gone with it). */
	for (i = 0; i < NBLK; i++) {
		blk[i] = spdk_dma_zmalloc(2 * 1024 * 1024, 4096, NULL);
		ASSERT_TRUE(blk[i] != NULL);
	}
	for (i = 0; i < NBLK - 1; i++) {
		check_fresh_buffer(&c, blk[i], heap, 1200 + (uint64_t)i, (uint64_t)i * 65536);
	}
	st0 = fixed_stats(&c);
	check_fresh_buffer(&c, blk[NBLK - 1], heap, 1300, 0);
	st = fixed_stats(&c);
	if (m->fixed_stats != NULL && !st.refused) {
		ASSERT_EQ(st.registered, 64);
		ASSERT_EQ(st.fixed_ios, st0.fixed_ios);
	}
	spdk_dma_free(blk[0]);
	blk[0] = NULL;
	st0 = st;
	check_fresh_buffer(&c, blk[NBLK - 1], heap, 1301, 0);
	st = fixed_stats(&c);
	if (m->fixed_stats != NULL && !st.refused) {
		ASSERT_EQ(st.registered, 64);
		ASSERT_EQ(st.fixed_ios - st0.fixed_ios, 2);
	}
	for (i = 0; i < NBLK; i++) {
		spdk_dma_free(blk[i]);
	}
	spdk_dma_free(heap);
	ASSERT_EQ(ctx_close(&c), 0);
	g_passed++;
}

typedef void (*case_fn)(const struct module *m);

static const case_fn g_cases[] = {
	t_create_errors,
	t_rw_verify,
	t_vectored,
	t_boundaries,
	t_unmap_zeroes,
	t_flush,
	t_queue_overflow_and_reset,
	t_rescan_grow,
	t_shrunk_file,
	t_removed_file,
	t_full_fs,
	t_buffered_fallback,
	t_blockdev,
	t_fixed_buffers,
	t_fixed_region_reused,
	t_fixed_table_limits,
};

/* ---- cases in a child process ---- */

/* io_uring_setup() answers EPERM, as under a container's seccomp profile. */
static int
forbid_io_uring(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_io_uring_setup, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (EPERM & SECCOMP_RET_DATA)),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {.len = SPDK_COUNTOF(filter), .filter = filter};

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		return -errno;
	}
	if (prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		return -errno;
	}
	return 0;
}

static int
child_uring_forbidden(void)
{
	char path[300];
	int rc;

	if (forbid_io_uring() != 0) {
		return 77;
	}
	if (harness_init() != 0) {
		return 1;
	}
	snprintf(path, sizeof(path), "%s/seccomp.img", g_dir);
	if (make_file(path, 1024 * 1024) != 0) {
		return 1;
	}
	rc = uring_create("u_forbidden", path, 0);
	if (rc != -EPERM || spdk_bdev_get_by_name("u_forbidden") != NULL) {
		fprintf(stderr, "uring create under seccomp: %d\n", rc);
		return 1;
	}
	rc = aio_create("a_allowed", path, 0);
	if (rc != 0) {
		return 1;
	}
	harness_fini();
	unlink(path);
	return 0;
}

static int
child_no_permission(const struct module *m)
{
	char path[300];
	int rc;

	snprintf(path, sizeof(path), "%s/%s_perm.img", g_dir, m->name);
	if (make_file(path, 1024 * 1024) != 0 || chmod(g_dir, 0755) != 0) {
		return 1;
	}
	if (setgid(65534) != 0 || setuid(65534) != 0) {
		return 77;
	}
	if (harness_init() != 0) {
		return 1;
	}
	rc = m->create("p_denied", path, 0);
	if (rc != -EACCES || spdk_bdev_get_by_name("p_denied") != NULL) {
		fprintf(stderr, "%s create without permission: %d\n", m->name, rc);
		return 1;
	}
	harness_fini();
	return 0;
}

static unsigned g_fixed_notices;
static unsigned g_fixed_env_warnings;

/* Counts the notices about registering buffers and the warnings about the
 * environment variable; prints everything from notices up. */
static void
count_fixed_logs(int level, const char *file, const int line, const char *func, const char *format,
		 va_list args)
{
	char msg[512];

	vsnprintf(msg, sizeof(msg), format, args);
	if (level == SPDK_LOG_NOTICE && strstr(msg, "cannot register") != NULL) {
		g_fixed_notices++;
	}
	if (level == SPDK_LOG_WARN && strstr(msg, "UPDK_URING_FIXED_BUFFERS") != NULL) {
		g_fixed_env_warnings++;
	}
	if (level <= SPDK_LOG_NOTICE) {
		fprintf(stderr, "(child) %s", msg);
	}
}

/* Without CAP_IPC_LOCK (which exempts root) and with RLIMIT_MEMLOCK at
 * 3 MiB, the kernel pins a first 2 MiB block but refuses a second one: the
 * channel says so once, keeps using the first, and moves the second one's
 * data the ordinary way; the data is right throughout. */
static int
child_fixed_refused(void)
{
	struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct data[_LINUX_CAPABILITY_U32S_3];
	struct rlimit rl = {.rlim_cur = 3 * 1024 * 1024, .rlim_max = 3 * 1024 * 1024};
	struct updk_bdev_uring_fixed_stats st[3] = {};
	uint8_t *first = NULL, *second = NULL, *heap = NULL;
	struct ctx c;
	int i, rc;

	if (syscall(SYS_capget, &hdr, data) != 0) {
		return 77;
	}
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].effective &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	data[CAP_TO_INDEX(CAP_IPC_LOCK)].permitted &= ~CAP_TO_MASK(CAP_IPC_LOCK);
	if (syscall(SYS_capset, &hdr, data) != 0 || setrlimit(RLIMIT_MEMLOCK, &rl) != 0) {
		return 77;
	}
	spdk_log_open(count_fixed_logs);
	if (harness_init() != 0) {
		return 1;
	}
	rc = ctx_open(&c, &g_modules[0], g_dir, "refused", FILE_SIZE, 0);
	if (rc != 0) {
		return rc == -EPERM || rc == -ENOSYS ? 77 : 1;
	}
	rc = 1;
	first = spdk_dma_zmalloc(2 * 1024 * 1024, 4096, NULL);
	second = spdk_dma_zmalloc(2 * 1024 * 1024, 4096, NULL);
	heap = xbuf(65536);
	for (i = 0; i < 3 && g_failed == 0; i++) {
		check_fresh_buffer(&c, first + (size_t)i * 65536, heap, 900 + (uint64_t)i,
				   4096 * (uint64_t)i * 16);
		updk__bdev_uring_get_fixed_stats(c.name, &st[0]);
		check_fresh_buffer(&c, second + (size_t)i * 65536, heap, 950 + (uint64_t)i,
				   4096 * (uint64_t)i * 16);
		updk__bdev_uring_get_fixed_stats(c.name, &st[1]);
	}
	if (g_failed != 0) {
		goto out;
	}
	/* Two fixed I/O per round from the first block, none from the second. */
	if (!st[1].refused || st[1].fixed_ios != 6 || st[0].fixed_ios != 6 ||
	    st[1].registered != 1 || st[1].registrations != 1) {
		fprintf(stderr,
			"refused: refused %d, %" PRIu64 " fixed I/O, %u registered, %" PRIu64
			" registrations\n",
			st[1].refused, st[1].fixed_ios, st[1].registered, st[1].registrations);
		goto out;
	}
	if (g_fixed_notices != 1) {
		fprintf(stderr, "refused: %u notices, expected one\n", g_fixed_notices);
		goto out;
	}
	rc = 0;
out:
	spdk_dma_free(first);
	spdk_dma_free(second);
	spdk_dma_free(heap);
	if (ctx_close(&c) != 0 || harness_fini() != 0) {
		rc = 1;
	}
	spdk_log_close();
	return rc;
}

/* UPDK_URING_FIXED_BUFFERS=0 turns registered buffers off; anything but 0
 * or 1 is reported and leaves them on. */
static int
child_fixed_env(const void *arg)
{
	struct updk_bdev_uring_fixed_stats st;
	const char *value = arg;
	bool want = strcmp(value, "0") != 0;
	uint8_t *big, *heap;
	struct ctx c;
	int rc = 1;

	setenv("UPDK_URING_FIXED_BUFFERS", value, 1);
	spdk_log_open(count_fixed_logs);
	if (harness_init() != 0) {
		return 1;
	}
	rc = ctx_open(&c, &g_modules[0], g_dir, "env", FILE_SIZE, 0);
	if (rc != 0) {
		return rc == -EPERM || rc == -ENOSYS ? 77 : 1;
	}
	rc = 1;
	big = spdk_dma_zmalloc(2 * 1024 * 1024, 4096, NULL);
	heap = xbuf(65536);
	check_fresh_buffer(&c, big, heap, 1000, 4096 * 8);
	if (g_failed != 0) {
		goto out;
	}
	if (updk__bdev_uring_get_fixed_stats(c.name, &st) != 0 || st.enabled != want ||
	    (st.fixed_ios == 2) != want) {
		fprintf(stderr, "UPDK_URING_FIXED_BUFFERS=%s: enabled %d, %" PRIu64 " fixed I/O\n",
			value, st.enabled, st.fixed_ios);
		goto out;
	}
	/* One warning for a value that is neither 0 nor 1, none otherwise. */
	if (g_fixed_env_warnings != (strcmp(value, "0") != 0 && strcmp(value, "1") != 0)) {
		fprintf(stderr, "UPDK_URING_FIXED_BUFFERS=%s: %u warnings\n", value,
			g_fixed_env_warnings);
		goto out;
	}
	rc = 0;
out:
	spdk_dma_free(big);
	spdk_dma_free(heap);
	if (ctx_close(&c) != 0 || harness_fini() != 0) {
		rc = 1;
	}
	spdk_log_close();
	return rc;
}

static void
run_child(const char *mod, const char *test, int (*fn)(const void *), const void *arg)
{
	pid_t pid;
	int status;

	g_mod = mod;
	g_test = test;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		_exit(fn(arg));
	}
	if (pid < 0 || waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
		fprintf(stderr, "FAIL %s/%s: child did not exit\n", mod, test);
		g_failed++;
		return;
	}
	switch (WEXITSTATUS(status)) {
	case 0:
		g_passed++;
		break;
	case 77:
		g_skipped++;
		break;
	default:
		fprintf(stderr, "FAIL %s/%s: child exited with %d\n", mod, test,
			WEXITSTATUS(status));
		g_failed++;
		break;
	}
}

static int
run_uring_forbidden(const void *arg)
{
	return child_uring_forbidden();
}

static int
run_no_permission(const void *arg)
{
	return geteuid() == 0 ? child_no_permission(arg) : 77;
}

static int
run_fixed_refused(const void *arg)
{
	return child_fixed_refused();
}

int
main(int argc, char **argv)
{
	const char *base = getenv("TMPDIR");
	size_t mi, ci;

	setvbuf(stdout, NULL, _IOLBF, 0);
	snprintf(g_dir, sizeof(g_dir), "%s/updk_file_bdev_XXXXXX", base ? base : "/var/tmp");
	if (mkdtemp(g_dir) == NULL) {
		perror("mkdtemp");
		return 77;
	}

	/* Children first, before this process has threads of its own. */
	run_child("uring", "io_uring_forbidden", run_uring_forbidden, NULL);
	for (mi = 0; mi < SPDK_COUNTOF(g_modules); mi++) {
		char perm[300];

		run_child(g_modules[mi].name, "no_permission", run_no_permission, &g_modules[mi]);
		/* The child dropped its privileges and cannot remove its file. */
		snprintf(perm, sizeof(perm), "%s/%s_perm.img", g_dir, g_modules[mi].name);
		unlink(perm);
	}
	run_child("uring", "fixed_buffers_refused", run_fixed_refused, NULL);
	run_child("uring", "fixed_buffers_env_off", child_fixed_env, "0");
	run_child("uring", "fixed_buffers_env_bad", child_fixed_env, "yes");

	if (harness_init() != 0) {
		fprintf(stderr, "FAIL: cannot start the bdev layer\n");
		return 1;
	}
	for (mi = 0; mi < SPDK_COUNTOF(g_modules); mi++) {
		g_mod = g_modules[mi].name;
		for (ci = 0; ci < SPDK_COUNTOF(g_cases); ci++) {
			int before = g_failed;

			g_cases[ci](&g_modules[mi]);
			printf("%s %s/%s\n", g_failed > before ? "FAIL" : "ok  ", g_mod, g_test);
		}
	}
	if (harness_fini() != 0) {
		fprintf(stderr, "FAIL: teardown\n");
		g_failed++;
	}
	remove_work_dir();
	printf("%d passed, %d failed, %d skipped\n", g_passed, g_failed, g_skipped);
	if (g_failed > 0) {
		return 1;
	}
	return g_passed > 0 ? 0 : 77;
}
