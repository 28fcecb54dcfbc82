/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * updk_tgt, the target daemon: the application framework with every linked
 * subsystem and module, configured by a JSON file (-c) and at run time over
 * JSON-RPC (-r, default /var/tmp/spdk.sock). It runs until SIGINT, SIGTERM or
 * the spdk_kill_instance method, and exits with the application's rc.
 */

#include "spdk/stdinc.h"
#include "spdk/event.h"
#include "spdk/log.h"

static void
tgt_usage(void)
{
	printf(" (no application-specific options)\n");
}

static int
tgt_parse_arg(int ch, char *arg)
{
	return -EINVAL;
}

static void
tgt_started(void *ctx)
{
	SPDK_NOTICELOG("updk_tgt is running; stop it with SIGINT, SIGTERM or the "
		       "spdk_kill_instance RPC\n");
}

int
main(int argc, char **argv)
{
	struct spdk_app_opts opts;
	int rc;

	spdk_app_opts_init(&opts, sizeof(opts));
	opts.name = "updk_tgt";
	rc = spdk_app_parse_args(argc, argv, &opts, NULL, NULL, tgt_parse_arg, tgt_usage);
	if (rc != SPDK_APP_PARSE_ARGS_SUCCESS) {
		return rc == SPDK_APP_PARSE_ARGS_HELP ? 0 : 1;
	}
	rc = spdk_app_start(&opts, tgt_started, NULL);
	spdk_app_fini();
	return rc;
}
