/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The RPC server as the framework runs it (spdk/init.h): a listener from
 * lib/rpc on a Unix socket, polled by a timed poller on the thread that
 * started it (the app thread), which can be paused while the subsystems
 * initialise. One listener at a time.
 */

#include "spdk/stdinc.h"
#include "spdk/init.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "updk/string.h"

#include "event_internal.h"

#include <sys/un.h>

/* How often the listener is polled for connections and requests. */
#define RPC_SERVER_POLL_US 4000

static struct spdk_poller *g_rpc_poller;
static struct spdk_thread *g_rpc_thread;
static char g_rpc_addr[sizeof(((struct sockaddr_un *)0)->sun_path)];
static bool g_rpc_paused;

static int
rpc_server_poll(void *arg)
{
	spdk_rpc_accept();
	return SPDK_POLLER_IDLE;
}

int
spdk_rpc_initialize(const char *listen_addr, const struct spdk_rpc_opts *opts)
{
	int rc;

	if (listen_addr == NULL || listen_addr[0] == '\0') {
		SPDK_ERRLOG("spdk_rpc_initialize: the listen address is empty\n");
		return -EINVAL;
	}
	if (strlen(listen_addr) >= sizeof(g_rpc_addr)) {
		SPDK_ERRLOG("RPC listen address '%s' is too long (at most %zu bytes)\n",
			    listen_addr, sizeof(g_rpc_addr) - 1);
		return -EINVAL;
	}
	if (spdk_get_thread() == NULL) {
		SPDK_ERRLOG("spdk_rpc_initialize must be called on an SPDK thread\n");
		return -EINVAL;
	}
	if (g_rpc_poller != NULL) {
		SPDK_ERRLOG("an RPC server already listens on %s; only one is supported\n",
			    g_rpc_addr);
		return strcmp(listen_addr, g_rpc_addr) == 0 ? -EEXIST : -EBUSY;
	}
	rc = spdk_rpc_listen(listen_addr);
	if (rc != 0) {
		/* lib/rpc logged why. */
		return rc < 0 ? rc : -EIO;
	}
	g_rpc_poller = SPDK_POLLER_REGISTER(rpc_server_poll, NULL, RPC_SERVER_POLL_US);
	if (g_rpc_poller == NULL) {
		SPDK_ERRLOG("cannot register the RPC server poller\n");
		spdk_rpc_close();
		return -ENOMEM;
	}
	g_rpc_thread = spdk_get_thread();
	g_rpc_paused = false;
	updk_strlcpy(g_rpc_addr, listen_addr, sizeof(g_rpc_addr));
	SPDK_NOTICELOG("RPC server listening on %s\n", g_rpc_addr);
	return 0;
}

static bool
rpc_server_matches(const char *listen_addr)
{
	return g_rpc_poller != NULL && listen_addr != NULL && strcmp(listen_addr, g_rpc_addr) == 0;
}

void
spdk_rpc_finish(void)
{
	if (g_rpc_poller == NULL) {
		return;
	}
	if (spdk_get_thread() != g_rpc_thread) {
		SPDK_ERRLOG(
			"spdk_rpc_finish must be called on the thread that started the server\n");
		return;
	}
	spdk_poller_unregister(&g_rpc_poller);
	spdk_rpc_close();
	g_rpc_thread = NULL;
	g_rpc_addr[0] = '\0';
}

void
spdk_rpc_server_finish(const char *listen_addr)
{
	if (rpc_server_matches(listen_addr)) {
		spdk_rpc_finish();
	}
}

void
spdk_rpc_server_pause(const char *listen_addr)
{
	if (rpc_server_matches(listen_addr) && !g_rpc_paused) {
		spdk_poller_pause(g_rpc_poller);
		g_rpc_paused = true;
	}
}

void
spdk_rpc_server_resume(const char *listen_addr)
{
	if (rpc_server_matches(listen_addr) && g_rpc_paused) {
		spdk_poller_resume(g_rpc_poller);
		g_rpc_paused = false;
	}
}
