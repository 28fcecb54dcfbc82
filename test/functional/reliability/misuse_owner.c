/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The channel ownership check (updk's extension) against the seed's world.
 * The seed caches its channel in a `__thread` variable; when one OS thread
 * (one reactor) polls two spdk_threads, both see the same cache, so the
 * second thread uses the first one's channel. With the check on, that use,
 * and a use from another OS thread, must each be counted and logged with the
 * device, the owning thread and the offending thread; the owner's own uses
 * must not be. The check is turned on with updk_io_channel_set_owner_check(),
 * or with UPDK_CHANNEL_OWNER_CHECK=1 when run as `misuse_owner env`. The
 * log goes to a temporary file that the test reads back.
 *
 * Usage: misuse_owner [env]. Exit 0 pass, 1 fail.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/thread.h"
#include "updk/thread.h"

#include "misuse_common.h"

static int g_owned_dev;
/* The seed's per-OS-thread channel cache. */
static __thread struct spdk_io_channel *g_tls_ch;
static struct spdk_io_channel *g_ch;
static struct spdk_thread *g_t1, *g_t2;

static int
dev_create(void *io_device, void *ctx)
{
	return 0;
}

static void
dev_destroy(void *io_device, void *ctx)
{
}

static void
poll_all(void)
{
	int i;

	for (i = 0; i < 10; i++) {
		spdk_thread_poll(g_t1, 0, 0);
		spdk_thread_poll(g_t2, 0, 0);
	}
}

static void
t1_get_channel(void *arg)
{
	if (g_tls_ch == NULL) {
		g_tls_ch = spdk_get_io_channel(&g_owned_dev);
	}
	g_ch = g_tls_ch;
	(void)spdk_io_channel_get_ctx(g_tls_ch);
}

static void
t2_use_cache(void *arg)
{
	/* What the seed does: "my" channel is whatever this OS thread cached. */
	if (g_tls_ch == NULL) {
		g_tls_ch = spdk_get_io_channel(&g_owned_dev);
	}
	(void)spdk_io_channel_get_ctx(g_tls_ch);
}

static void *
other_pthread(void *arg)
{
	struct spdk_thread *t3 = spdk_thread_create("t3_other_pthread", NULL);
	int i;

	if (t3 == NULL) {
		return NULL;
	}
	spdk_set_thread(t3);
	(void)spdk_io_channel_get_ctx(g_ch);
	spdk_thread_exit(t3);
	for (i = 0; i < 100 && !spdk_thread_is_exited(t3); i++) {
		spdk_thread_poll(t3, 0, 0);
	}
	spdk_set_thread(NULL);
	spdk_thread_destroy(t3);
	return NULL;
}

static void
t1_put(void *arg)
{
	spdk_put_io_channel(g_ch);
	g_tls_ch = NULL;
	spdk_io_device_unregister(&g_owned_dev, NULL);
}

int
main(int argc, char **argv)
{
	bool env = argc > 1 && strcmp(argv[1], "env") == 0;
	char path[] = "/tmp/misuse_owner.XXXXXX";
	uint64_t before;
	pthread_t pt;
	int i;

	if (misuse_start(path, env) != 0) {
		return 1;
	}
	g_t1 = spdk_thread_create("t1_owner", NULL);
	g_t2 = spdk_thread_create("t2_same_reactor", NULL);
	CHECK(g_t1 != NULL && g_t2 != NULL);
	if (g_t1 == NULL || g_t2 == NULL) {
		unlink(path);
		return 1;
	}
	spdk_set_thread(g_t1);
	spdk_io_device_register(&g_owned_dev, dev_create, dev_destroy, 8, "owned_dev");
	spdk_set_thread(NULL);

	before = updk_io_channel_get_owner_violations();
	spdk_thread_send_msg(g_t1, t1_get_channel, NULL);
	poll_all();
	CHECK(g_ch != NULL);
	CHECK(updk_io_channel_get_owner_violations() == before);

	spdk_thread_send_msg(g_t2, t2_use_cache, NULL);
	poll_all();
	CHECK(updk_io_channel_get_owner_violations() == before + 1);

	pthread_create(&pt, NULL, other_pthread, NULL);
	pthread_join(pt, NULL);
	CHECK(updk_io_channel_get_owner_violations() == before + 2);

	spdk_thread_send_msg(g_t1, t1_put, NULL);
	poll_all();
	spdk_set_thread(g_t1);
	spdk_thread_exit(g_t1);
	spdk_set_thread(g_t2);
	spdk_thread_exit(g_t2);
	spdk_set_thread(NULL);
	for (i = 0; i < 100 && !(spdk_thread_is_exited(g_t1) && spdk_thread_is_exited(g_t2)); i++) {
		poll_all();
	}
	CHECK(spdk_thread_is_exited(g_t1) && spdk_thread_is_exited(g_t2));
	spdk_thread_destroy(g_t1);
	spdk_thread_destroy(g_t2);
	spdk_thread_lib_fini();
	fflush(stderr);

	CHECK(log_has(path, "channel for io_device owned_dev belongs to thread t1_owner"));
	CHECK(log_has(path, "is used from t2_same_reactor"));
	CHECK(log_has(path, "is used from t3_other_pthread"));
	return misuse_finish(path);
}
