/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * libFuzzer target: the parameter decoding of every RPC method registered in
 * the library and the modules. The first input byte picks a method from the
 * table below; the rest is parsed as its params (no params when it does not
 * parse). The method runs on a real app thread with the subsystems
 * initialised and a small malloc bdev "Base0" to build virtual bdevs on, in
 * the RPC state it is allowed in (RUNTIME, or STARTUP for the startup-only
 * methods). The method must answer exactly once, within a bounded number of
 * polls; any crash, leak or sanitizer report is a bug. After every input,
 * every bdev is deleted and Base0 made afresh, and the options and log
 * settings a method may change are restored (fuzz_common.h), so iterations
 * are independent.
 *
 * Costs that grow with a parameter are bounded by the harness, not by leaving
 * methods out: RAM disks above 4 MiB fail with -ENOMEM after their params
 * are decoded and checked, file names must stay in the scratch directory, and
 * timeouts are short (fuzz_common.h). At startup the harness checks that the
 * table names every registered method (save for g_not_fuzzed) and that every
 * entry is registered, and aborts with the names otherwise.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/json.h"
#include "spdk/rpc.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_malloc.h"
#include "updk_internal/rpc.h"

#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* Indexed by the first input byte: append new methods, never reorder (the corpus depends on it). */
static const char *const g_methods[] = {
	"bdev_error_create",
	"bdev_error_delete",
	"bdev_error_inject_error",
	"bdev_delay_create",
	"bdev_delay_delete",
	"bdev_delay_update_latency",
	"bdev_passthru_create",
	"bdev_passthru_delete",
	"bdev_malloc_delete",
	"bdev_null_create",
	"bdev_null_delete",
	"bdev_get_bdevs",
	"bdev_get_iostat",
	"bdev_malloc_create",
	"bdev_reset_iostat",
	"bdev_null_resize",
	"bdev_uring_create",
	"bdev_uring_delete",
	"bdev_uring_rescan",
	"bdev_aio_create",
	"bdev_aio_delete",
	"bdev_aio_rescan",
	"bdev_enable_histogram",
	"bdev_get_histogram",
	"bdev_set_options",
	"bdev_wait_for_examine",
	"bdev_examine",
	"rpc_get_methods",
	"spdk_get_version",
	"log_set_flag",
	"log_clear_flag",
	"log_get_flags",
	"log_set_print_level",
	"log_get_print_level",
	"log_set_level",
	"log_get_level",
	"log_enable_timestamps",
	"spdk_kill_instance",
	"framework_start_init",
	"framework_wait_init",
	"framework_get_subsystems",
	"framework_get_config",
	"save_config",
	"framework_get_reactors",
	"thread_get_stats",
	"thread_get_pollers",
	"thread_get_io_channels",
	"thread_set_cpumask",
	"nbd_stop_disk",
	"nbd_get_disks",
	"bdev_reset",
};

/* Registered methods that are deliberately not fuzzed, each with the reason. */
static const struct {
	const char *method;
	const char *reason;
} g_not_fuzzed[] = {
	{FUZZ_FORBIDDEN_METHOD,
	 "attaches a kernel /dev/nbd device: needs root, changes the machine"},
};

static const char *const g_base_name = "Base0";

static void
fuzz_create_base(void)
{
	struct malloc_bdev_opts opts = {
		.name = (char *)g_base_name, .num_blocks = 256, .block_size = 512};
	struct spdk_bdev *bdev;

	if (create_malloc_disk(&bdev, &opts) != 0) {
		abort();
	}
}

struct call_ctx {
	bool done;
	int calls;
	int code;
	/* The method list, for the table check. */
	char **names;
	size_t count;
};

static void
call_done(void *arg, int code, const char *message)
{
	struct call_ctx *ctx = arg;

	ctx->calls++;
	ctx->code = code;
	ctx->done = true;
}

static void
list_done(void *arg, int code, const char *message, const struct spdk_json_val *result)
{
	/* The JSON helpers take no const; nothing here writes through them. */
	struct spdk_json_val *list = (struct spdk_json_val *)result;
	struct call_ctx *ctx = arg;
	struct spdk_json_val *v;
	size_t n = 0;

	ctx->done = true;
	if (code != 0 || list == NULL || list->type != SPDK_JSON_VAL_ARRAY_BEGIN) {
		return;
	}
	for (v = spdk_json_array_first(list); v != NULL; v = spdk_json_next(v)) {
		n++;
	}
	ctx->names = calloc(n, sizeof(*ctx->names));
	if (ctx->names == NULL) {
		return;
	}
	for (v = spdk_json_array_first(list); v != NULL; v = spdk_json_next(v)) {
		ctx->names[ctx->count++] = spdk_json_strdup(v);
	}
}

static bool
in_table(const char *name)
{
	size_t i;

	for (i = 0; i < SPDK_COUNTOF(g_methods); i++) {
		if (strcmp(g_methods[i], name) == 0) {
			return true;
		}
	}
	for (i = 0; i < SPDK_COUNTOF(g_not_fuzzed); i++) {
		if (strcmp(g_not_fuzzed[i].method, name) == 0) {
			return true;
		}
	}
	return false;
}

/* The table and the registry must name the same methods. */
static void
check_table(void)
{
	struct call_ctx ctx = {};
	uint32_t mask;
	size_t i;
	int bad = 0;

	if (updk__rpc_call_method_ext("rpc_get_methods", NULL, list_done, &ctx) != 0 ||
	    !fuzz_poll_until(&ctx.done, FUZZ_MAX_POLLS) || ctx.names == NULL) {
		fprintf(stderr, "fuzz_rpc_params: rpc_get_methods failed\n");
		abort();
	}
	for (i = 0; i < ctx.count; i++) {
		if (ctx.names[i] == NULL || !in_table(ctx.names[i])) {
			fprintf(stderr,
				"fuzz_rpc_params: RPC method %s is registered but not in g_methods "
				"(test/fuzz/fuzz_rpc_params.c): add it, with a seed in "
				"test/fuzz/corpus/fuzz_rpc_params/, or list it in g_not_fuzzed "
				"with the reason\n",
				ctx.names[i] != NULL ? ctx.names[i] : "(out of memory)");
			bad++;
		}
		free(ctx.names[i]);
	}
	free(ctx.names);
	for (i = 0; i < SPDK_COUNTOF(g_methods); i++) {
		if (spdk_rpc_get_method_state_mask(g_methods[i], &mask) != 0) {
			fprintf(stderr,
				"fuzz_rpc_params: g_methods names %s, which is not registered\n",
				g_methods[i]);
			bad++;
		}
	}
	if (bad != 0) {
		abort();
	}
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	fuzz_app_init("fuzz_rpc_params");
	check_table();
	fuzz_create_base();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spdk_json_val *values = NULL;
	struct call_ctx ctx = {};
	const char *method;
	uint32_t mask = 0;
	char *copy;
	ssize_t n = 0;
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
	if (values != NULL && !fuzz_values_allowed(values, (size_t)n)) {
		free(values);
		free(copy);
		return -1;
	}

	if (spdk_rpc_get_method_state_mask(method, &mask) == 0 && (mask & SPDK_RPC_RUNTIME) == 0) {
		spdk_rpc_set_state(SPDK_RPC_STARTUP);
	}
	fuzz_set_alloc_cap(true);
	rc = updk__rpc_call_method(method, values, call_done, &ctx);
	if (rc == 0 && !fuzz_poll_until(&ctx.done, FUZZ_MAX_POLLS)) {
		fprintf(stderr, "fuzz_rpc_params: %s never answered\n", method);
		abort();
	}
	fuzz_set_alloc_cap(false);
	fuzz_app_reset();
	if (rc == 0 && ctx.calls != 1) {
		fprintf(stderr, "fuzz_rpc_params: %s answered %d times\n", method, ctx.calls);
		abort();
	}
	if (rc != 0 && rc != -ENOMEM) {
		fprintf(stderr, "fuzz_rpc_params: calling %s failed: %d\n", method, rc);
		abort();
	}
	fuzz_create_base();
	free(values);
	free(copy);
	return 0;
}
