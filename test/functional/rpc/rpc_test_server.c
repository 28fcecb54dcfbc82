/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A minimal RPC server process for rpc_py_test.py: one spdk_thread, the
 * default RPC server (spdk_rpc_listen) on the address given as argv[1], the
 * built-in methods, and three test methods. It runs until ut_shutdown is
 * called (exit 0) or two minutes pass (exit 1), then closes the server, which
 * removes the socket file.
 *
 *   method        params                    result
 *   ------------  ------------------------  ----------------------------------
 *   ut_record     {"x": int32}              true; appends x to the record
 *   ut_get_log    none                      the record, an array of numbers
 *   ut_shutdown   none                      true; the process then exits
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/thread.h"
#include "spdk/util.h"

#define UT_MAX_RECORD 1024

static int32_t g_record[UT_MAX_RECORD];
static size_t g_num_record;
static bool g_stop;

struct ut_record {
	int32_t x;
};

static const struct spdk_json_object_decoder ut_record_decoders[] = {
	{"x", offsetof(struct ut_record, x), spdk_json_decode_int32},
};

static void
rpc_ut_record(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct ut_record req = {};

	if (spdk_json_decode_object(params, ut_record_decoders, SPDK_COUNTOF(ut_record_decoders),
				    &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		return;
	}
	if (g_num_record == UT_MAX_RECORD) {
		spdk_jsonrpc_send_error_response(request, -ENOSPC, spdk_strerror(ENOSPC));
		return;
	}
	g_record[g_num_record++] = req.x;
	spdk_jsonrpc_send_bool_response(request, true);
}
SPDK_RPC_REGISTER("ut_record", rpc_ut_record, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_ut_get_log(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w = spdk_jsonrpc_begin_result(request);
	size_t i;

	spdk_json_write_array_begin(w);
	for (i = 0; i < g_num_record; i++) {
		spdk_json_write_int32(w, g_record[i]);
	}
	spdk_json_write_array_end(w);
	spdk_jsonrpc_end_result(request, w);
}
SPDK_RPC_REGISTER("ut_get_log", rpc_ut_get_log, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_ut_shutdown(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	g_stop = true;
	spdk_jsonrpc_send_bool_response(request, true);
}
SPDK_RPC_REGISTER("ut_shutdown", rpc_ut_shutdown, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

int
main(int argc, char **argv)
{
	struct timespec start, now, pause = {.tv_sec = 0, .tv_nsec = 200000};
	struct spdk_thread *thread;
	int rc, i;

	if (argc != 2) {
		fprintf(stderr, "usage: %s LISTEN_ADDR\n", argv[0]);
		return 2;
	}
	if (spdk_thread_lib_init(NULL, 0) != 0) {
		return 1;
	}
	thread = spdk_thread_create("rpc_test_server", NULL);
	if (thread == NULL) {
		return 1;
	}
	spdk_set_thread(thread);
	/* Runtime, as in an application after initialisation; the framework
	 * methods that the library may register are not used here. */
	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	rc = spdk_rpc_listen(argv[1]);
	if (rc != 0) {
		fprintf(stderr, "cannot listen on %s: %s\n", argv[1], spdk_strerror(-rc));
		return 1;
	}

	clock_gettime(CLOCK_MONOTONIC, &start);
	rc = 1;
	for (;;) {
		spdk_rpc_accept();
		spdk_thread_poll(thread, 0, 0);
		if (g_stop) {
			/* Let the last response go out. */
			for (i = 0; i < 100; i++) {
				spdk_rpc_accept();
				nanosleep(&pause, NULL);
			}
			rc = 0;
			break;
		}
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (now.tv_sec - start.tv_sec > 120) {
			fprintf(stderr, "rpc_test_server: no ut_shutdown within two minutes\n");
			break;
		}
		nanosleep(&pause, NULL);
	}

	spdk_rpc_close();
	spdk_thread_exit(thread);
	while (!spdk_thread_is_exited(thread)) {
		spdk_thread_poll(thread, 0, 0);
	}
	spdk_thread_destroy(thread);
	spdk_thread_lib_fini();
	return rc;
}
