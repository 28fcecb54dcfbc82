/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A deliberately broken module for the shutdown test (shutdown.sh): it
 * registers the io_device "leaky_device", and its thread "leaky_thread" takes
 * a channel to it that it never puts, nor does it ever call
 * spdk_thread_exit(). When the process gets SIGTERM, the framework must still
 * shut down within its deadline, name the leaked channel (device and thread),
 * and return from spdk_app_start(). The program then prints "returned rc=N"
 * and exits 0; shutdown.sh checks the time, the names and the sanitizers.
 *
 * Usage: leak_channel. It signals itself after 200 ms.
 */

#include "spdk/stdinc.h"
#include "spdk/event.h"
#include "spdk/thread.h"
#include "updk/event.h"
#include "updk/thread.h"

static int g_leaky_device;
static struct spdk_thread *g_leaky_thread;
static struct spdk_io_channel *g_leaked_ch;
static struct spdk_poller *g_kill_poller;

static int
leaky_create(void *io_device, void *ctx)
{
	return 0;
}

static void
leaky_destroy(void *io_device, void *ctx)
{
}

static void
leaky_take_channel(void *arg)
{
	g_leaked_ch = spdk_get_io_channel(&g_leaky_device);
	if (g_leaked_ch == NULL) {
		fprintf(stderr, "could not get the channel\n");
	}
}

static int
kill_self(void *arg)
{
	spdk_poller_unregister(&g_kill_poller);
	kill(getpid(), SIGTERM);
	return SPDK_POLLER_BUSY;
}

static void
start(void *arg)
{
	spdk_io_device_register(&g_leaky_device, leaky_create, leaky_destroy, 0, "leaky_device");
	g_leaky_thread = spdk_thread_create("leaky_thread", NULL);
	if (g_leaky_thread == NULL) {
		spdk_app_stop(1);
		return;
	}
	spdk_thread_send_msg(g_leaky_thread, leaky_take_channel, NULL);
	g_kill_poller = SPDK_POLLER_REGISTER(kill_self, NULL, 200000);
}

int
main(int argc, char **argv)
{
	struct spdk_app_opts opts;
	int rc;

	spdk_app_opts_init(&opts, sizeof(opts));
	opts.name = "leak_channel";
	opts.rpc_addr = NULL;
	updk_thread_set_exit_timeout(500000);
	updk_app_set_shutdown_timeout(3000);
	rc = spdk_app_start(&opts, start, NULL);
	spdk_app_fini();
	printf("returned rc=%d\n", rc);
	return 0;
}
