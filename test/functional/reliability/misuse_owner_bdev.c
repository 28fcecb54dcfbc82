/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The channel ownership check (updk's extension) on bdev I/O, in the seed's
 * world. The seed caches its bdev channel in a `__thread` variable; when one
 * OS thread polls two spdk_threads, the second one submits on the first one's
 * channel. That, a submission from a thread on another OS thread, and an
 * spdk_bdev_queue_io_wait() on the foreign channel must each be refused with
 * -EINVAL (the callback never runs, the data on the bdev does not change),
 * counted by the check, and logged on one line naming the bdev's io_device,
 * the owning thread and the offending thread. The owner's own I/O must
 * complete exactly once and never be reported. With the check off, the same
 * submissions are still refused, with the bdev layer's own line, and are not
 * counted. The check is turned on with updk_io_channel_set_owner_check(), or
 * with UPDK_CHANNEL_OWNER_CHECK=1 when run as `misuse_owner_bdev env`. The
 * log goes to a temporary file that the test reads back.
 *
 * Usage: misuse_owner_bdev [env]. Exit 0 pass, 1 fail.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/thread.h"
#include "updk/bdev_malloc.h"
#include "updk/thread.h"

#include "misuse_common.h"

#define BLOCK_SIZE 512
#define BDEV_NAME "Malloc0"

/* The seed's per-OS-thread channel cache. */
static __thread struct spdk_io_channel *g_tls_ch;
/* t1's channel, for the other pthread (whose cache is empty). */
static struct spdk_io_channel *g_ch;
static struct spdk_bdev_desc *g_desc;
static struct spdk_thread *g_t1, *g_t2;
static uint8_t *g_buf_a, *g_buf_b, *g_buf_read;
/* Completions of the owner's I/O and of the refused I/O (which must stay 0). */
static int g_owner_done, g_owner_ok, g_refused_done;
/* What the misusing thread's calls returned, in order. */
static int g_rc[3];
static bool g_flag;

static void
poll_all(int rounds)
{
	int i;

	for (i = 0; i < rounds; i++) {
		spdk_thread_poll(g_t1, 0, 0);
		spdk_thread_poll(g_t2, 0, 0);
	}
}

/* Run fn on t (a message) and poll both threads until it has run and its work is done. */
static void
run_on(struct spdk_thread *t, spdk_msg_fn fn)
{
	int i;

	g_flag = false;
	spdk_thread_send_msg(t, fn, NULL);
	for (i = 0; i < 100000 && !g_flag; i++) {
		poll_all(1);
	}
	CHECK(g_flag);
}

static void
owner_io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	g_owner_done++;
	g_owner_ok += success ? 1 : 0;
	spdk_bdev_free_io(bdev_io);
	g_flag = true;
}

static void
refused_io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	g_refused_done++;
	spdk_bdev_free_io(bdev_io);
}

static void
io_wait_cb(void *arg)
{
	g_refused_done++;
}

static void
bdev_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
}

static void
init_done(void *arg, int rc)
{
	CHECK_EQ(rc, 0);
	g_flag = true;
}

static void
t1_setup(void *arg)
{
	struct malloc_bdev_opts opts = {
		.name = BDEV_NAME, .num_blocks = 64, .block_size = BLOCK_SIZE};
	struct spdk_bdev *bdev;

	CHECK_EQ(create_malloc_disk(&bdev, &opts), 0);
	CHECK_EQ(spdk_bdev_open_ext(BDEV_NAME, true, bdev_event, NULL, &g_desc), 0);
	/* The seed: "my" channel, cached for this OS thread. */
	if (g_tls_ch == NULL && g_desc != NULL) {
		g_tls_ch = spdk_bdev_get_io_channel(g_desc);
	}
	g_ch = g_tls_ch;
	CHECK(g_ch != NULL);
	g_flag = true;
}

static void
t1_init_bdev(void *arg)
{
	spdk_bdev_initialize(init_done, NULL);
}

static void
t1_write_a(void *arg)
{
	CHECK_EQ(spdk_bdev_write(g_desc, g_tls_ch, g_buf_a, 0, BLOCK_SIZE, owner_io_done, NULL), 0);
}

static void
t1_read(void *arg)
{
	memset(g_buf_read, 0, BLOCK_SIZE);
	CHECK_EQ(spdk_bdev_read(g_desc, g_tls_ch, g_buf_read, 0, BLOCK_SIZE, owner_io_done, NULL),
		 0);
}

/* The seed's pattern on the second spdk_thread of the same OS thread. */
static void
t2_use_cache(void *arg)
{
	static struct spdk_bdev_io_wait_entry entry;

	if (g_tls_ch == NULL) {
		g_tls_ch = spdk_bdev_get_io_channel(g_desc);
	}
	g_rc[0] = spdk_bdev_write(g_desc, g_tls_ch, g_buf_b, 0, BLOCK_SIZE, refused_io_done, NULL);
	g_rc[1] =
		spdk_bdev_read(g_desc, g_tls_ch, g_buf_read, 0, BLOCK_SIZE, refused_io_done, NULL);
	entry.bdev = spdk_bdev_desc_get_bdev(g_desc);
	entry.cb_fn = io_wait_cb;
	entry.cb_arg = NULL;
	g_rc[2] = spdk_bdev_queue_io_wait(entry.bdev, g_tls_ch, &entry);
	g_flag = true;
}

static void *
other_pthread(void *arg)
{
	struct spdk_thread *t3 = spdk_thread_create("t3_other_pthread", NULL);
	int *rc = arg;
	int i;

	if (t3 == NULL) {
		*rc = -ENOMEM;
		return NULL;
	}
	spdk_set_thread(t3);
	*rc = spdk_bdev_write(g_desc, g_ch, g_buf_b, 0, BLOCK_SIZE, refused_io_done, NULL);
	spdk_thread_exit(t3);
	for (i = 0; i < 1000 && !spdk_thread_is_exited(t3); i++) {
		spdk_thread_poll(t3, 0, 0);
	}
	spdk_set_thread(NULL);
	spdk_thread_destroy(t3);
	return NULL;
}

static void
t1_teardown_done(void *arg)
{
	g_flag = true;
}

static void
delete_done(void *arg, int rc)
{
	CHECK_EQ(rc, 0);
	spdk_bdev_finish(t1_teardown_done, NULL);
}

static void
t1_teardown(void *arg)
{
	spdk_put_io_channel(g_tls_ch);
	g_tls_ch = NULL;
	spdk_bdev_close(g_desc);
	delete_malloc_disk(BDEV_NAME, delete_done, NULL);
}

/* The owner's write and read-back, which must complete once each and not be reported. */
static void
owner_io_check(const uint8_t *expect)
{
	int before = g_owner_done;

	run_on(g_t1, t1_read);
	CHECK_EQ(g_owner_done, before + 1);
	CHECK(memcmp(g_buf_read, expect, BLOCK_SIZE) == 0);
}

static void
misuse_round(uint64_t expect_counted)
{
	uint64_t before = updk_io_channel_get_owner_violations();
	pthread_t pt;
	int rc3 = 0;

	g_rc[0] = g_rc[1] = g_rc[2] = 0;
	run_on(g_t2, t2_use_cache);
	CHECK_EQ(g_rc[0], -EINVAL);
	CHECK_EQ(g_rc[1], -EINVAL);
	CHECK_EQ(g_rc[2], -EINVAL);
	CHECK_EQ(updk_io_channel_get_owner_violations(), before + 3 * expect_counted);

	CHECK_EQ(pthread_create(&pt, NULL, other_pthread, &rc3), 0);
	pthread_join(pt, NULL);
	CHECK_EQ(rc3, -EINVAL);
	CHECK_EQ(updk_io_channel_get_owner_violations(), before + 4 * expect_counted);

	/* Refused I/O never completes and never reaches the disk. */
	poll_all(1000);
	CHECK_EQ(g_refused_done, 0);
	owner_io_check(g_buf_a);
}

int
main(int argc, char **argv)
{
	bool env = argc > 1 && strcmp(argv[1], "env") == 0;
	char path[] = "/tmp/misuse_owner_bdev.XXXXXX";
	char owner[96], t2_user[96];
	uint64_t before;
	int i;

	if (misuse_start(path, env) != 0) {
		return 1;
	}
	g_t1 = spdk_thread_create("t1_owner", NULL);
	g_t2 = spdk_thread_create("t2_same_pthread", NULL);
	g_buf_a = spdk_dma_zmalloc(BLOCK_SIZE, 4096, NULL);
	g_buf_b = spdk_dma_zmalloc(BLOCK_SIZE, 4096, NULL);
	g_buf_read = spdk_dma_zmalloc(BLOCK_SIZE, 4096, NULL);
	if (g_t1 == NULL || g_t2 == NULL || g_buf_a == NULL || g_buf_b == NULL ||
	    g_buf_read == NULL) {
		printf("setup failed\n");
		unlink(path);
		return 1;
	}
	/* The line names both threads by name and id. */
	snprintf(owner, sizeof(owner), "belongs to thread t1_owner:%" PRIu64 " ",
		 spdk_thread_get_id(g_t1));
	snprintf(t2_user, sizeof(t2_user), "but is used from t2_same_pthread:%" PRIu64 " ",
		 spdk_thread_get_id(g_t2));
	memset(g_buf_a, 0xa1, BLOCK_SIZE);
	memset(g_buf_b, 0xb2, BLOCK_SIZE);

	run_on(g_t1, t1_init_bdev);
	run_on(g_t1, t1_setup);
	if (g_ch == NULL) {
		printf("FAIL: no channel\n");
		unlink(path);
		return 1;
	}

	/* The owner's I/O: accepted, completed exactly once, not reported. */
	before = updk_io_channel_get_owner_violations();
	run_on(g_t1, t1_write_a);
	CHECK_EQ(g_owner_done, 1);
	owner_io_check(g_buf_a);
	CHECK_EQ(g_owner_ok, g_owner_done);
	CHECK_EQ(updk_io_channel_get_owner_violations(), before);

	/* The check on: refused, counted, and named. */
	misuse_round(1);

	/* The check off: still refused, not counted. */
	if (!env) {
		updk_io_channel_set_owner_check(false);
		misuse_round(0);
		updk_io_channel_set_owner_check(true);
	}
	CHECK_EQ(g_owner_ok, g_owner_done);

	run_on(g_t1, t1_teardown);
	spdk_set_thread(g_t1);
	spdk_thread_exit(g_t1);
	spdk_set_thread(g_t2);
	spdk_thread_exit(g_t2);
	spdk_set_thread(NULL);
	for (i = 0; i < 1000 && !(spdk_thread_is_exited(g_t1) && spdk_thread_is_exited(g_t2));
	     i++) {
		poll_all(1);
	}
	CHECK(spdk_thread_is_exited(g_t1) && spdk_thread_is_exited(g_t2));
	spdk_thread_destroy(g_t1);
	spdk_thread_destroy(g_t2);
	spdk_thread_lib_fini();
	spdk_dma_free(g_buf_a);
	spdk_dma_free(g_buf_b);
	spdk_dma_free(g_buf_read);
	fflush(stderr);

	{
		const char *const same_pthread_write[] = {
			"spdk_bdev_write: channel for io_device bdev_" BDEV_NAME, owner, t2_user,
			"; refused", NULL};
		const char *const same_pthread_read[] = {
			"spdk_bdev_read: channel for io_device bdev_" BDEV_NAME, owner, t2_user,
			"; refused", NULL};
		const char *const same_pthread_wait[] = {
			"spdk_bdev_queue_io_wait: channel for io_device bdev_" BDEV_NAME, owner,
			t2_user, "; refused", NULL};
		const char *const other_pthread_write[] = {
			"spdk_bdev_write: channel for io_device bdev_" BDEV_NAME, owner,
			"but is used from t3_other_pthread:", "; refused", NULL};
		const char *const check_off[] = {"spdk_bdev_write(" BDEV_NAME
						 "): the channel belongs to thread t1_owner",
						 "used from thread t2_same_pthread; refused", NULL};

		CHECK(log_has_line(path, same_pthread_write));
		CHECK(log_has_line(path, same_pthread_read));
		CHECK(log_has_line(path, same_pthread_wait));
		CHECK(log_has_line(path, other_pthread_write));
		CHECK(env || log_has_line(path, check_off));
	}
	CHECK(!log_has(path, "used from t1_owner"));
	return misuse_finish(path);
}
