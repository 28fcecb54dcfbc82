/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * libFuzzer target: the parameter decoding of RPC methods. The first input
 * byte picks a method from the table below; the rest is parsed as its params
 * (no params when it does not parse). The method runs on a real app thread
 * with the bdev layer initialised and a small malloc bdev "Base0" to build
 * virtual bdevs on; every bdev it creates is deleted afterwards. The method
 * must answer exactly once (its callback), within a bounded number of polls;
 * any crash, leak or sanitizer report is a bug. Methods that allocate memory
 * proportional to a parameter (bdev_malloc_create) are left out.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/rpc.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_malloc.h"
#include "updk_internal/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

static const char *const g_methods[] = {
	"bdev_error_create",    "bdev_error_delete",    "bdev_error_inject_error",
	"bdev_delay_create",    "bdev_delay_delete",    "bdev_delay_update_latency",
	"bdev_passthru_create", "bdev_passthru_delete", "bdev_malloc_delete",
	"bdev_null_create",     "bdev_null_delete",     "bdev_get_bdevs",
	"bdev_get_iostat",      "bdev_set_qos_limit",   "bdev_reset_iostat",
};

static struct spdk_thread *g_thread;
static bool g_ready;

static void
poll_until(bool *flag, int max_polls)
{
	int i;

	for (i = 0; i < max_polls && !*flag; i++) {
		spdk_thread_poll(g_thread, 0, 0);
	}
}

static void
bdev_init_done(void *arg, int rc)
{
	g_ready = rc == 0;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct malloc_bdev_opts opts = {.name = "Base0", .num_blocks = 256, .block_size = 512};
	struct spdk_bdev *bdev;

	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	if (spdk_thread_lib_init(NULL, 0) != 0) {
		abort();
	}
	g_thread = spdk_thread_create("fuzz_app", NULL);
	if (g_thread == NULL) {
		abort();
	}
	spdk_set_thread(g_thread);
	spdk_bdev_initialize(bdev_init_done, NULL);
	poll_until(&g_ready, 100000);
	if (!g_ready || create_malloc_disk(&bdev, &opts) != 0) {
		abort();
	}
	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	return 0;
}

struct call_ctx {
	bool done;
	int calls;
};

static void
call_done(void *arg, int code, const char *message)
{
	struct call_ctx *ctx = arg;

	ctx->calls++;
	ctx->done = true;
}

static void
unregister_done(void *arg, int rc)
{
	int *pending = arg;

	(*pending)--;
}

/* Delete every bdev but Base0, the newest first (virtual bdevs before bases). */
static void
delete_created_bdevs(void)
{
	struct spdk_bdev *bdev, *victim;
	int pending;
	int round;

	for (round = 0; round < 8; round++) {
		victim = NULL;
		for (bdev = spdk_bdev_first(); bdev != NULL; bdev = spdk_bdev_next(bdev)) {
			if (strcmp(spdk_bdev_get_name(bdev), "Base0") != 0) {
				victim = bdev;
			}
		}
		if (victim == NULL) {
			return;
		}
		pending = 1;
		spdk_bdev_unregister(victim, unregister_done, &pending);
		while (pending > 0) {
			spdk_thread_poll(g_thread, 0, 0);
		}
	}
	abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spdk_json_val *values = NULL;
	struct call_ctx ctx = {};
	const char *method;
	char *copy;
	ssize_t n;
	int rc;

	if (size < 1 || size > 64 * 1024) {
		return 0;
	}
	method = g_methods[data[0] % SPDK_COUNTOF(g_methods)];
	copy = malloc(size);
	if (copy == NULL) {
		return 0;
	}
	memcpy(copy, data + 1, size - 1);
	n = spdk_json_parse(copy, size - 1, NULL, 0, NULL, 0);
	if (n > 0) {
		values = calloc((size_t)n, sizeof(*values));
		if (values != NULL &&
		    (spdk_json_parse(copy, size - 1, values, (size_t)n, NULL, 0) != n ||
		     (values[0].type != SPDK_JSON_VAL_OBJECT_BEGIN &&
		      values[0].type != SPDK_JSON_VAL_ARRAY_BEGIN))) {
			free(values);
			values = NULL;
		}
	}
	rc = updk__rpc_call_method(method, values, call_done, &ctx);
	if (rc == 0) {
		poll_until(&ctx.done, 100000);
		if (!ctx.done || ctx.calls != 1) {
			/* A method that never answers hangs its client. */
			abort();
		}
	}
	delete_created_bdevs();
	free(values);
	free(copy);
	return 0;
}
