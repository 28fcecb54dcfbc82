/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * libFuzzer target: the JSON configuration loader (lib/event/json_config.c),
 * the real one. The input is a configuration file's text. It is loaded as
 * spdk_app_start() loads a file: a first pass in the RPC state STARTUP, then
 * a second in RUNTIME, each replaying its entries through the RPC methods on
 * a real app thread that the harness polls until the pass reports back. Both
 * passes stop at the first error when the input's length is even and go on
 * otherwise (json_config_ignore_errors), and the second runs only when the
 * first allows it, as in the app. The subsystems are initialised once, before
 * the first input, so the startup-only methods run on an initialised bdev
 * layer; the harness restores the options they change.
 *
 * A pass that does not report back within a bounded number of polls is a hang
 * and aborts; any crash, leak or sanitizer report is a bug. After every input
 * every bdev the configuration created is deleted and the settings it may
 * have changed are restored (fuzz_common.h), so iterations are independent
 * and memory stays flat. RAM disks above 4 MiB fail with -ENOMEM, and file
 * names must stay in the scratch directory that holds fuzz_disk0 and
 * fuzz_disk1 (for the uring and aio bdevs).
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/rpc.h"
#include "updk_internal/json.h"

#include "event/event_internal.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_app_init("fuzz_json_config");
	return 0;
}

struct load_ctx {
	bool done;
	int calls;
	int rc;
};

static void
load_done(int rc, void *arg)
{
	struct load_ctx *ctx = arg;

	ctx->calls++;
	ctx->rc = rc;
	ctx->done = true;
}

/* One pass of the loader in \p state; returns its result. */
static int
load_pass(const uint8_t *data, size_t size, uint32_t state, bool stop_on_error)
{
	struct load_ctx ctx = {};

	spdk_rpc_set_state(state);
	json_config_load("fuzz", data, size, state == SPDK_RPC_STARTUP, load_done, &ctx,
			 stop_on_error);
	if (!fuzz_poll_until(&ctx.done, FUZZ_MAX_POLLS)) {
		fprintf(stderr, "fuzz_json_config: the %s pass never finished\n",
			state == SPDK_RPC_STARTUP ? "startup" : "runtime");
		abort();
	}
	if (ctx.calls != 1) {
		fprintf(stderr, "fuzz_json_config: the loader reported back %d times\n", ctx.calls);
		abort();
	}
	return ctx.rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spdk_json_val *values = NULL;
	bool stop_on_error = size % 2 == 0;
	size_t n = 0;
	int rc;

	if (size > 256 * 1024) {
		return 0;
	}
	/* The loader parses the text itself; this parse only screens file names and timeouts. */
	if (updk__json_parse(data, size, SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS, &values, &n, NULL,
			     NULL, 0) == 0) {
		bool allowed = fuzz_values_allowed(values, n);

		updk__json_free(values);
		if (!allowed) {
			return -1;
		}
	}

	fuzz_set_alloc_cap(true);
	rc = load_pass(data, size, SPDK_RPC_STARTUP, stop_on_error);
	if (rc == 0 || !stop_on_error) {
		load_pass(data, size, SPDK_RPC_RUNTIME, stop_on_error);
	}
	fuzz_set_alloc_cap(false);
	fuzz_app_reset();
	return 0;
}
