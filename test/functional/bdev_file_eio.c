/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Real I/O errors from the kernel under the uring and aio bdev modules. Each
 * case mounts faultfs (test/functional/faultfs, a FUSE file system that fails
 * requests touching a chosen byte range with EIO) in a temporary directory,
 * creates a bdev over its disk file and, on one descriptor and channel,
 * turns faults on and off through the control file while checking that: a
 * read or a write of the faulty range completes exactly once with
 * SPDK_BDEV_IO_STATUS_AIO_ERROR and -EIO; a flush fails with -EIO when the
 * file system fails fsync, and, where writes only reach the page cache, when
 * writing back the cached data fails; healthy ranges keep returning the right
 * data throughout, also under more load than the channel takes with half of
 * it failing; and the faulty range works again once the faults are off.
 * Every module runs in three mounts: O_DIRECT (FUSE accepts it), O_DIRECT
 * refused (the bdev falls back to buffered I/O with a notice) and FUSE's
 * writeback cache (buffered writes fail only when flushed).
 *
 * Usage: bdev_file_eio <faultfs binary>. Exits 0 on success, 1 on failure
 * and 77 when nothing could run (no faultfs because libfuse3 was missing at
 * build time, no /dev/fuse, or the mount failed, e.g. without privileges).
 */

#include "spdk/stdinc.h"

#include <sys/mount.h>
#include <sys/statfs.h>

#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_aio.h"
#include "updk/bdev_uring.h"

#define POLL_TIMEOUT_S 30
#define MOUNT_TIMEOUT_S 10
#define FUSE_MAGIC 0x65735546
#define BLOCK 4096
#define DISK_SIZE (8 * 1024 * 1024)
/* The healthy range, far from the faulty one so that readahead of one never
 * reaches the other. */
#define H_OFF 0
#define H_LEN (64 * 1024)
/* The faulty range. */
#define F_OFF (4 * 1024 * 1024)
#define F_LEN (64 * 1024)
/* A range that starts healthy and ends inside the faulty one. */
#define S_OFF (F_OFF - 8192)
#define S_LEN 16384

static const char *g_faultfs;
static char g_dir[256];
static struct spdk_thread *g_app;
static const char *g_mod;
static const char *g_mode;
/* Log lines seen through the log callback. */
static int g_direct_notices;
static int g_error_logs;
/* I/O submitted whose callback has not run yet. */
static int g_inflight;

#define CHECK(c)                                                                           \
	do {                                                                               \
		if (!(c)) {                                                                \
			fprintf(stderr, "FAIL %s/%s %s:%d: %s\n", g_mod, g_mode, __FILE__, \
				__LINE__, #c);                                             \
			return false;                                                      \
		}                                                                          \
	} while (0)

#define CHECK_EQ(a, b)                                                                       \
	do {                                                                                 \
		long long _a = (long long)(a), _b = (long long)(b);                          \
		if (_a != _b) {                                                              \
			fprintf(stderr, "FAIL %s/%s %s:%d: %s == %s: %lld != %lld\n", g_mod, \
				g_mode, __FILE__, __LINE__, #a, #b, _a, _b);                 \
			return false;                                                        \
		}                                                                            \
	} while (0)

/* ---- harness ---- */

static void
log_cb(int level, const char *file, const int line, const char *func, const char *format,
       va_list args)
{
	char msg[1024];
	va_list ap;

	va_copy(ap, args);
	vsnprintf(msg, sizeof(msg), format, ap);
	va_end(ap);
	if (strstr(msg, "refuses O_DIRECT") != NULL) {
		g_direct_notices++;
	}
	if (level == SPDK_LOG_ERROR) {
		g_error_logs++;
	}
	fputs(msg, stderr);
}

static bool
poll_until(const int *counter)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (*counter == 0) {
		spdk_thread_poll(g_app, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > POLL_TIMEOUT_S) {
			return false;
		}
	}
	return true;
}

static bool
poll_until_idle(void)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (g_inflight > 0) {
		spdk_thread_poll(g_app, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > POLL_TIMEOUT_S) {
			return false;
		}
	}
	return true;
}

static void
poll_for_ms(int ms)
{
	struct timespec t0, t;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	do {
		spdk_thread_poll(g_app, 0, 0);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000 < ms);
}

static void
init_done(void *arg, int rc)
{
	*(int *)arg = rc == 0 ? 1 : rc;
}

static void
fini_done(void *arg)
{
	*(int *)arg = 1;
}

static int
harness_init(void)
{
	int done = 0;

	spdk_log_open(log_cb);
	if (spdk_thread_lib_init(NULL, 0) != 0) {
		return -1;
	}
	g_app = spdk_thread_create("app", NULL);
	if (g_app == NULL) {
		return -1;
	}
	spdk_set_thread(g_app);
	spdk_bdev_initialize(init_done, &done);
	if (!poll_until(&done) || done != 1) {
		return -1;
	}
	return 0;
}

static int
harness_fini(void)
{
	int done = 0;

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
	spdk_log_close();
	return 0;
}

/* ---- the tables: modules and mounts ---- */

struct module {
	const char *name;
	int (*create)(const char *name, const char *file);
	void (*delete)(const char *name, void (*cb)(void *, int), void *arg);
};

static int
uring_create(const char *name, const char *file)
{
	struct bdev_uring_opts opts = {
		.name = name,
		.filename = file,
		.block_size = BLOCK,
	};
	struct spdk_bdev *bdev;

	return updk_bdev_uring_create(&opts, &bdev);
}

static int
aio_create(const char *name, const char *file)
{
	return create_aio_bdev(name, file, BLOCK, false, false, NULL, false);
}

/* RWF_NOWAIT, which FUSE refuses: the module drops the flag, then meets the
 * real error. */
static int
aio_nowait_create(const char *name, const char *file)
{
	return create_aio_bdev(name, file, BLOCK, false, false, NULL, true);
}

static const struct module g_modules[] = {
	{"uring", uring_create, delete_uring_bdev},
	{"aio", aio_create, bdev_aio_delete},
	{"aio_nowait", aio_nowait_create, bdev_aio_delete},
};

struct mount_mode {
	const char *name;
	/* faultfs options. */
	const char *args[3];
	/* The bdev gets O_DIRECT. */
	bool direct;
	/* Writes land in the page cache and fail when written back. */
	bool writeback;
};

static const struct mount_mode g_mount_modes[] = {
	{"direct", {NULL}, true, false},
	{"buffered", {"--no-direct", NULL}, false, false},
	{"writeback", {"--no-direct", "--writeback", NULL}, false, true},
};

/* ---- one case: a faultfs mount and a bdev on it ---- */

struct io_res {
	/* Callbacks so far: must end at exactly 1. */
	int calls;
	bool success;
	int status;
	int aio;
};

struct fcase {
	const struct module *m;
	const struct mount_mode *mode;
	char backing[300];
	char mnt[300];
	char disk[320];
	char control[320];
	pid_t pid;
	bool mounted;
	bool created;
	char name[32];
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	/* The backing file, read to see what really reached the file system. */
	int backing_fd;
	/* The result of the one I/O do_io() has in flight. */
	struct io_res res;
	uint8_t *buf;
	uint8_t *ref;
};

static void
fill(uint8_t *buf, size_t len, uint64_t seed, uint64_t off)
{
	size_t i;

	for (i = 0; i < len; i += 8) {
		uint64_t v = (seed + 1) * 0x9e3779b97f4a7c15ULL ^ (off + i);

		memcpy(buf + i, &v, spdk_min(8, len - i));
	}
}

static void
io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct io_res *r = arg;

	g_inflight--;
	r->calls++;
	r->success = success;
	r->status = bdev_io->internal.status;
	spdk_bdev_io_get_aio_status(bdev_io, &r->aio);
	spdk_bdev_free_io(bdev_io);
}

enum io_kind {
	IO_READ,
	IO_WRITE,
	/* The same through four iovecs over the buffer. */
	IO_READV,
	IO_WRITEV,
	IO_FLUSH,
};

/* Iovecs of do_io()'s vectored kinds (only one I/O is ever in flight). */
static struct iovec g_iovs[4];

/* Submit one I/O and wait for its callback, then a little longer so that a
 * second callback would be seen; the result is in c->res. Returns false
 * (logged) when the submission fails or the callback does not come. */
static bool
do_io(struct fcase *c, enum io_kind kind, void *buf, uint64_t off, uint64_t len)
{
	struct io_res *r = &c->res;
	int rc, i;

	memset(r, 0, sizeof(*r));
	switch (kind) {
	case IO_READ:
		rc = spdk_bdev_read(c->desc, c->ch, buf, off, len, io_done, r);
		break;
	case IO_WRITE:
		rc = spdk_bdev_write(c->desc, c->ch, buf, off, len, io_done, r);
		break;
	case IO_READV:
	case IO_WRITEV:
		for (i = 0; i < (int)SPDK_COUNTOF(g_iovs); i++) {
			g_iovs[i].iov_base = (uint8_t *)buf + len / SPDK_COUNTOF(g_iovs) * i;
			g_iovs[i].iov_len = len / SPDK_COUNTOF(g_iovs);
		}
		rc = kind == IO_READV
			     ? spdk_bdev_readv(c->desc, c->ch, g_iovs, SPDK_COUNTOF(g_iovs), off,
					       len, io_done, r)
			     : spdk_bdev_writev(c->desc, c->ch, g_iovs, SPDK_COUNTOF(g_iovs), off,
						len, io_done, r);
		break;
	default:
		rc = spdk_bdev_flush(c->desc, c->ch, off, len, io_done, r);
		break;
	}
	CHECK_EQ(rc, 0);
	g_inflight++;
	if (!poll_until(&r->calls)) {
		/* The callback may still come: r must outlive the case. */
		fprintf(stderr, "FAIL %s/%s: I/O at %" PRIu64 " did not complete\n", g_mod, g_mode,
			off);
		return false;
	}
	poll_for_ms(5);
	CHECK_EQ(r->calls, 1);
	return true;
}

static bool
expect_ok(struct fcase *c, enum io_kind kind, void *buf, uint64_t off, uint64_t len)
{
	struct io_res *r = &c->res;

	if (!do_io(c, kind, buf, off, len)) {
		return false;
	}
	CHECK(r->success);
	CHECK_EQ(r->status, SPDK_BDEV_IO_STATUS_SUCCESS);
	return true;
}

static bool
expect_eio(struct fcase *c, enum io_kind kind, void *buf, uint64_t off, uint64_t len)
{
	struct io_res *r = &c->res;

	if (!do_io(c, kind, buf, off, len)) {
		return false;
	}
	CHECK(!r->success);
	CHECK_EQ(r->status, SPDK_BDEV_IO_STATUS_AIO_ERROR);
	CHECK_EQ(r->aio, -EIO);
	return true;
}

static int
control_write(struct fcase *c, const char *cmd)
{
	size_t len = strlen(cmd);
	ssize_t n;
	int fd;

	fd = open(c->control, O_WRONLY);
	if (fd < 0) {
		return -errno;
	}
	n = write(fd, cmd, len);
	close(fd);
	return n == (ssize_t)len ? 0 : -EIO;
}

/* Fail \p kind ("read" or "write") requests touching the faulty range. */
static int
control_fault(struct fcase *c, const char *kind)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "%s %d %d\n", kind, F_OFF, F_LEN);
	return control_write(c, cmd);
}

/* The value of one line of the control file, or -1. */
static long long
control_get(struct fcase *c, const char *key)
{
	char text[512], *p;
	size_t klen = strlen(key);
	ssize_t n;
	int fd;

	fd = open(c->control, O_RDONLY);
	if (fd < 0) {
		return -1;
	}
	n = read(fd, text, sizeof(text) - 1);
	close(fd);
	if (n <= 0) {
		return -1;
	}
	text[n] = '\0';
	for (p = text; p != NULL; p = strchr(p, '\n'), p = p != NULL ? p + 1 : NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ' ') {
			return strtoll(p + klen + 1, NULL, 10);
		}
	}
	return -1;
}

/* The backing file holds \p seed's pattern over [off, off + len). */
static bool
backing_has(struct fcase *c, uint64_t seed, uint64_t off, uint64_t len)
{
	CHECK_EQ(pread(c->backing_fd, c->buf, len, (off_t)off), (ssize_t)len);
	fill(c->ref, len, seed, off);
	CHECK_EQ(memcmp(c->buf, c->ref, len), 0);
	return true;
}

/* Reading [off, off + len) through the bdev (with \p kind) gives \p seed's pattern. */
static bool
bdev_has_kind(struct fcase *c, enum io_kind kind, uint64_t seed, uint64_t off, uint64_t len)
{
	memset(c->buf, 0xa5, len);
	if (!expect_ok(c, kind, c->buf, off, len)) {
		return false;
	}
	fill(c->ref, len, seed, off);
	CHECK_EQ(memcmp(c->buf, c->ref, len), 0);
	return true;
}

static bool
bdev_has(struct fcase *c, uint64_t seed, uint64_t off, uint64_t len)
{
	return bdev_has_kind(c, IO_READ, seed, off, len);
}

static bool
bdev_write_pattern(struct fcase *c, uint64_t seed, uint64_t off, uint64_t len)
{
	fill(c->buf, len, seed, off);
	return expect_ok(c, IO_WRITE, c->buf, off, len);
}

static bool
is_fuse_mount(const char *path)
{
	struct statfs sfs;

	return statfs(path, &sfs) == 0 && sfs.f_type == FUSE_MAGIC;
}

/* Start faultfs on c->mnt and wait until the disk is there. Returns 0, or
 * 77 when the mount cannot be made here. */
static int
faultfs_start(struct fcase *c)
{
	char *argv[6];
	struct timespec t0, t;
	struct stat st;
	int argc = 0, i, status;

	argv[argc++] = (char *)g_faultfs;
	for (i = 0; c->mode->args[i] != NULL; i++) {
		argv[argc++] = (char *)c->mode->args[i];
	}
	argv[argc++] = c->backing;
	argv[argc++] = c->mnt;
	argv[argc] = NULL;
	fflush(NULL);
	c->pid = fork();
	if (c->pid < 0) {
		return 1;
	}
	if (c->pid == 0) {
		execv(argv[0], argv);
		_exit(127);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (is_fuse_mount(c->mnt) && stat(c->disk, &st) == 0) {
			c->mounted = true;
			return 0;
		}
		if (waitpid(c->pid, &status, WNOHANG) == c->pid) {
			fprintf(stderr, "%s/%s: faultfs exited (status %d) before mounting\n",
				g_mod, g_mode, status);
			c->pid = -1;
			return 77;
		}
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > MOUNT_TIMEOUT_S) {
			fprintf(stderr, "%s/%s: faultfs did not mount\n", g_mod, g_mode);
			return 77;
		}
		usleep(10000);
	}
}

/* Stop faultfs (it unmounts on SIGTERM) and make sure the mount is gone. */
static bool
faultfs_stop(struct fcase *c)
{
	struct timespec t0, t;
	int status;
	pid_t pid;
	bool ok = true;

	if (c->pid > 0) {
		kill(c->pid, SIGTERM);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		while (waitpid(c->pid, &status, WNOHANG) != c->pid) {
			clock_gettime(CLOCK_MONOTONIC, &t);
			if (t.tv_sec - t0.tv_sec > MOUNT_TIMEOUT_S) {
				fprintf(stderr, "%s/%s: faultfs ignores SIGTERM\n", g_mod, g_mode);
				kill(c->pid, SIGKILL);
				waitpid(c->pid, &status, 0);
				ok = false;
				break;
			}
			usleep(10000);
		}
		c->pid = -1;
	}
	/* A daemon that died leaves a mount that statfs() no longer sees:
	 * detach whatever is there. */
	if (c->mounted && umount2(c->mnt, MNT_DETACH) == 0) {
		fprintf(stderr, "%s/%s: faultfs left %s mounted\n", g_mod, g_mode, c->mnt);
		ok = false;
	} else if (c->mounted && errno == EPERM && is_fuse_mount(c->mnt)) {
		/* Not root: the FUSE helper may unmount what the user mounted. */
		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			execlp("fusermount3", "fusermount3", "-u", "-z", c->mnt, (char *)NULL);
			_exit(127);
		}
		if (pid > 0) {
			waitpid(pid, &status, 0);
		}
		ok = false;
	}
	c->mounted = false;
	return ok;
}

static void
delete_done(void *arg, int rc)
{
	*(int *)arg = rc == 0 ? 1 : rc;
}

static bool
bdev_close(struct fcase *c)
{
	int done = 0;

	if (g_inflight > 0) {
		/* An I/O hangs: without its daemon FUSE fails every request. */
		kill(c->pid, SIGKILL);
		if (!poll_until_idle()) {
			return false;
		}
	}
	if (c->ch != NULL) {
		spdk_put_io_channel(c->ch);
		c->ch = NULL;
	}
	if (c->desc != NULL) {
		spdk_bdev_close(c->desc);
		c->desc = NULL;
	}
	if (c->created) {
		c->m->delete (c->name, delete_done, &done);
		if (!poll_until(&done)) {
			return false;
		}
		c->created = false;
		CHECK_EQ(done, 1);
	}
	return true;
}

static void
event_cb(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *arg)
{
}

/* ---- the phases ---- */

static bool
phase_open(struct fcase *c)
{
	struct spdk_bdev *bdev;
	int notices = g_direct_notices;

	CHECK_EQ(c->m->create(c->name, c->disk), 0);
	c->created = true;
	CHECK_EQ(spdk_bdev_open_ext(c->name, true, event_cb, c, &c->desc), 0);
	c->ch = spdk_bdev_get_io_channel(c->desc);
	CHECK(c->ch != NULL);
	bdev = spdk_bdev_desc_get_bdev(c->desc);
	CHECK_EQ(spdk_bdev_get_block_size(bdev), BLOCK);
	CHECK_EQ(spdk_bdev_get_num_blocks(bdev), DISK_SIZE / BLOCK);
	/* O_DIRECT means aligned buffers; buffered I/O takes any, and says so. */
	if (c->mode->direct) {
		CHECK(spdk_bdev_get_buf_align(bdev) > 1);
		CHECK_EQ(g_direct_notices, notices);
	} else {
		CHECK_EQ(spdk_bdev_get_buf_align(bdev), 1);
		CHECK_EQ(g_direct_notices, notices + 1);
	}
	/* Healthy I/O before any fault. */
	if (!bdev_has(c, 1, H_OFF, H_LEN) || !bdev_write_pattern(c, 2, H_OFF, H_LEN)) {
		return false;
	}
	return bdev_has(c, 2, H_OFF, H_LEN);
}

/*
 * More I/O than a channel takes (the module answers NOMEM, the bdev layer
 * queues it and resubmits as I/O completes), half of it failing while the
 * read fault is on: reads that start healthy and run into the faulty range
 * (buffered I/O cuts them short, so the module goes on with the rest) between
 * healthy reads. Each completion submits two more, so that the channel stays
 * full while the module requeues the rest of short reads. Every I/O completes
 * once, with the right result, and healthy reads with the right data.
 */
enum {
	LOAD_N = 3000,
	LOAD_FIRST = 600,
};

_Static_assert(LOAD_N / 2 * BLOCK <= DISK_SIZE - S_LEN, "load buffers overlap");

struct load {
	struct fcase *c;
	struct io_res res[LOAD_N];
	/* Healthy reads that returned the right data. */
	bool data_ok[LOAD_N];
	/* Next I/O to submit. */
	int next;
	int submit_errors;
};

static struct load g_load;

static void load_submit(int count);

static uint64_t
load_off(int i)
{
	return i % 2 == 0 ? H_OFF + (uint64_t)(i / 2 % (H_LEN / BLOCK)) * BLOCK : S_OFF;
}

/* A block of its own for each healthy read; the failing reads share one
 * scratch area at the end, whatever lands there. */
static uint8_t *
load_buf(int i)
{
	return g_load.c->buf + (i % 2 == 0 ? (size_t)(i / 2) * BLOCK : (size_t)DISK_SIZE - S_LEN);
}

static void
load_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	struct io_res *r = arg;
	int i = (int)(r - g_load.res);

	io_done(bdev_io, success, arg);
	if (i % 2 == 0 && success) {
		fill(g_load.c->ref, BLOCK, 3, load_off(i));
		g_load.data_ok[i] = memcmp(load_buf(i), g_load.c->ref, BLOCK) == 0;
	}
	load_submit(2);
}

static void
load_submit(int count)
{
	struct load *l = &g_load;
	int i, rc;

	while (count-- > 0 && l->next < LOAD_N) {
		i = l->next;
		rc = spdk_bdev_read(l->c->desc, l->c->ch, load_buf(i), load_off(i),
				    i % 2 == 0 ? BLOCK : S_LEN / 2 + BLOCK, load_done, &l->res[i]);
		if (rc != 0) {
			l->submit_errors++;
			return;
		}
		g_inflight++;
		l->next++;
	}
}

static bool
phase_load(struct fcase *c)
{
	int i;

	memset(&g_load, 0, sizeof(g_load));
	g_load.c = c;
	load_submit(LOAD_FIRST);
	if (!poll_until_idle()) {
		fprintf(stderr, "FAIL %s/%s: %d of the load did not complete\n", g_mod, g_mode,
			g_inflight);
		return false;
	}
	poll_for_ms(5);
	CHECK_EQ(g_load.submit_errors, 0);
	CHECK_EQ(g_load.next, LOAD_N);
	for (i = 0; i < LOAD_N; i++) {
		CHECK_EQ(g_load.res[i].calls, 1);
		if (i % 2 == 0) {
			CHECK(g_load.res[i].success);
			CHECK(g_load.data_ok[i]);
		} else {
			CHECK(!g_load.res[i].success);
			CHECK_EQ(g_load.res[i].status, SPDK_BDEV_IO_STATUS_AIO_ERROR);
			CHECK_EQ(g_load.res[i].aio, -EIO);
		}
	}
	return true;
}

static bool
phase_read_faults(struct fcase *c)
{
	long long before = control_get(c, "read_errors");

	CHECK_EQ(control_fault(c, "read"), 0);
	if (!expect_eio(c, IO_READ, c->buf, F_OFF, F_LEN) ||
	    !expect_eio(c, IO_READ, c->buf, F_OFF + F_LEN - BLOCK, BLOCK) ||
	    !expect_eio(c, IO_READ, c->buf, S_OFF, S_LEN) ||
	    !expect_eio(c, IO_READV, c->buf, S_OFF, S_LEN)) {
		return false;
	}
	/* The errors came from faultfs, not from somewhere else. */
	CHECK(control_get(c, "read_errors") > before);
	/* The rest of the bdev, on the same channel, is untouched. */
	if (!bdev_has(c, 2, H_OFF, H_LEN) || !bdev_write_pattern(c, 3, H_OFF, H_LEN) ||
	    !bdev_has(c, 3, H_OFF, H_LEN)) {
		return false;
	}
	if (!phase_load(c)) {
		return false;
	}
	CHECK_EQ(control_write(c, "clear\n"), 0);
	return true;
}

static bool
phase_write_faults(struct fcase *c)
{
	long long before = control_get(c, "write_errors");

	CHECK_EQ(control_fault(c, "write"), 0);
	fill(c->buf, F_LEN, 4, F_OFF);
	if (c->mode->writeback) {
		/* The page cache takes the write; writing it back fails, and the
		 * flush says so. */
		if (!expect_ok(c, IO_WRITE, c->buf, F_OFF, F_LEN) ||
		    !bdev_write_pattern(c, 5, H_OFF, H_LEN) ||
		    !expect_eio(c, IO_FLUSH, NULL, 0, DISK_SIZE)) {
			return false;
		}
		/* The healthy range was written back by that same flush. */
		if (!backing_has(c, 5, H_OFF, H_LEN)) {
			return false;
		}
	} else {
		if (!expect_eio(c, IO_WRITE, c->buf, F_OFF, F_LEN) ||
		    !expect_eio(c, IO_WRITE, c->buf, F_OFF + F_LEN - BLOCK, BLOCK)) {
			return false;
		}
		fill(c->buf, S_LEN, 4, S_OFF);
		if (!expect_eio(c, IO_WRITE, c->buf, S_OFF, S_LEN) ||
		    !expect_eio(c, IO_WRITEV, c->buf, S_OFF, S_LEN) ||
		    !bdev_write_pattern(c, 5, H_OFF, H_LEN) ||
		    !expect_ok(c, IO_FLUSH, NULL, 0, DISK_SIZE)) {
			return false;
		}
	}
	CHECK(control_get(c, "write_errors") > before);
	/* Nothing of the failed writes reached the file. */
	if (!backing_has(c, 1, F_OFF, F_LEN) || !bdev_has(c, 5, H_OFF, H_LEN)) {
		return false;
	}
	CHECK_EQ(control_write(c, "clear\n"), 0);
	return true;
}

static bool
phase_fsync_fault(struct fcase *c)
{
	long long before = control_get(c, "fsync_errors");

	CHECK_EQ(control_write(c, "fsync 1\n"), 0);
	if (!bdev_write_pattern(c, 6, H_OFF, H_LEN) ||
	    !expect_eio(c, IO_FLUSH, NULL, 0, DISK_SIZE)) {
		return false;
	}
	CHECK(control_get(c, "fsync_errors") > before);
	CHECK_EQ(control_write(c, "fsync 0\n"), 0);
	return expect_ok(c, IO_FLUSH, NULL, 0, DISK_SIZE) && bdev_has(c, 6, H_OFF, H_LEN) &&
	       backing_has(c, 6, H_OFF, H_LEN);
}

static bool
phase_recovered(struct fcase *c)
{
	long long errors = control_get(c, "read_errors") + control_get(c, "write_errors");

	/* What the file held all along (a failed write left it alone)... With
	 * the writeback cache, the page cache still holds the data whose write
	 * back failed (the file does not), so there is nothing to compare. */
	if (!c->mode->writeback && !bdev_has(c, 1, F_OFF, F_LEN)) {
		return false;
	}
	/* ...and new data, through the bdev and into the file. */
	if (!bdev_write_pattern(c, 7, S_OFF, S_LEN + F_LEN - 8192) ||
	    !expect_ok(c, IO_FLUSH, NULL, 0, DISK_SIZE) ||
	    !bdev_has(c, 7, S_OFF, S_LEN + F_LEN - 8192) ||
	    !bdev_has_kind(c, IO_READV, 7, S_OFF, S_LEN) ||
	    !backing_has(c, 7, S_OFF, S_LEN + F_LEN - 8192) || !bdev_has(c, 6, H_OFF, H_LEN)) {
		return false;
	}
	CHECK_EQ(control_get(c, "read_errors") + control_get(c, "write_errors"), errors);
	return true;
}

/* 0 passed, 1 failed, 77 skipped. */
static int
run_case(const struct module *m, const struct mount_mode *mode)
{
	/* Static: a callback that comes after a timeout still finds it. */
	static struct fcase c;
	int rc, errors;
	bool ok;

	memset(&c, 0, sizeof(c));
	c.m = m;
	c.mode = mode;
	c.pid = -1;
	c.backing_fd = -1;

	g_mod = m->name;
	g_mode = mode->name;
	snprintf(c.backing, sizeof(c.backing), "%s/%s_%s.img", g_dir, m->name, mode->name);
	snprintf(c.mnt, sizeof(c.mnt), "%s/mnt_%s_%s", g_dir, m->name, mode->name);
	snprintf(c.disk, sizeof(c.disk), "%s/disk", c.mnt);
	snprintf(c.control, sizeof(c.control), "%s/control", c.mnt);
	snprintf(c.name, sizeof(c.name), "eio_%s_%s", m->name, mode->name);
	c.buf = spdk_dma_zmalloc(DISK_SIZE, BLOCK, NULL);
	c.ref = spdk_dma_zmalloc(DISK_SIZE, BLOCK, NULL);
	c.backing_fd = open(c.backing, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (c.buf == NULL || c.ref == NULL || c.backing_fd < 0 || mkdir(c.mnt, 0700) != 0) {
		fprintf(stderr, "FAIL %s/%s: cannot set up %s\n", g_mod, g_mode, c.backing);
		rc = 1;
		goto out;
	}
	/* The whole disk holds pattern 1 before faultfs serves it. */
	fill(c.buf, DISK_SIZE, 1, 0);
	if (pwrite(c.backing_fd, c.buf, DISK_SIZE, 0) != DISK_SIZE) {
		fprintf(stderr, "FAIL %s/%s: cannot write %s\n", g_mod, g_mode, c.backing);
		rc = 1;
		goto out;
	}
	rc = faultfs_start(&c);
	if (rc != 0) {
		goto out;
	}
	errors = g_error_logs;
	ok = phase_open(&c) && phase_read_faults(&c) && phase_write_faults(&c) &&
	     phase_fsync_fault(&c) && phase_recovered(&c);
	/* Failed I/O is the caller's news: the modules log nothing per I/O. */
	if (ok && g_error_logs != errors) {
		fprintf(stderr, "FAIL %s/%s: %d error lines logged\n", g_mod, g_mode,
			g_error_logs - errors);
		ok = false;
	}
	ok = bdev_close(&c) && ok;
	ok = faultfs_stop(&c) && ok;
	rc = ok ? 0 : 1;
out:
	if (g_inflight == 0) {
		spdk_dma_free(c.buf);
		spdk_dma_free(c.ref);
	}
	if (c.pid > 0 || c.mounted) {
		faultfs_stop(&c);
	}
	rmdir(c.mnt);
	if (c.backing_fd >= 0) {
		close(c.backing_fd);
	}
	unlink(c.backing);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *base = getenv("TMPDIR");
	int passed = 0, failed = 0, skipped = 0, rc;
	size_t mi, di;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc < 2 || access(argv[1], X_OK) != 0) {
		printf("skip: no faultfs (libfuse3 missing at build time)\n");
		return 77;
	}
	g_faultfs = argv[1];
	if (access("/dev/fuse", R_OK | W_OK) != 0) {
		printf("skip: /dev/fuse: %s\n", strerror(errno));
		return 77;
	}
	snprintf(g_dir, sizeof(g_dir), "%s/updk_file_eio_XXXXXX", base ? base : "/var/tmp");
	if (mkdtemp(g_dir) == NULL) {
		perror("mkdtemp");
		return 77;
	}
	if (harness_init() != 0) {
		fprintf(stderr, "FAIL: cannot start the bdev layer\n");
		return 1;
	}
	for (mi = 0; mi < SPDK_COUNTOF(g_modules); mi++) {
		for (di = 0; di < SPDK_COUNTOF(g_mount_modes); di++) {
			rc = run_case(&g_modules[mi], &g_mount_modes[di]);
			printf("%s %s/%s\n",
			       rc == 0    ? "ok  "
			       : rc == 77 ? "skip"
					  : "FAIL",
			       g_modules[mi].name, g_mount_modes[di].name);
			passed += rc == 0;
			skipped += rc == 77;
			failed += rc != 0 && rc != 77;
		}
	}
	if (harness_fini() != 0) {
		fprintf(stderr, "FAIL: teardown\n");
		failed++;
	}
	rmdir(g_dir);
	printf("%d passed, %d failed, %d skipped\n", passed, failed, skipped);
	if (failed > 0) {
		return 1;
	}
	return passed > 0 ? 0 : 77;
}
