/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * libFuzzer target: the JSON-RPC server's request parser and dispatcher
 * (lib/jsonrpc). The input is the byte stream a client sends on one
 * connection: an in-memory connection receives it, the server splits it into
 * requests and batches, validates them and hands each request to a handler
 * that answers with an error, a result or nothing (notifications), chosen by
 * the method's first letter. Every request must be answered exactly once or
 * the connection closed; any crash, leak or sanitizer report is a bug.
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "jsonrpc/jsonrpc_internal.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_handle_request(struct spdk_jsonrpc_request *request, const struct spdk_json_val *method,
		    const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w;
	char first = method != NULL && method->len > 0 ? ((const char *)method->start)[0] : 'e';

	if (first == 'r') {
		w = spdk_jsonrpc_begin_result(request);
		if (w != NULL) {
			spdk_json_write_object_begin(w);
			spdk_json_write_named_bool(w, "has_params", params != NULL);
			spdk_json_write_object_end(w);
			spdk_jsonrpc_end_result(request, w);
		}
	} else if (first == 'b') {
		spdk_jsonrpc_send_bool_response(request, true);
	} else {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_METHOD_NOT_FOUND,
						 "Method not found");
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct spdk_jsonrpc_server server;
	struct spdk_jsonrpc_server_conn conn;
	int i;

	memset(&server, 0, sizeof(server));
	server.sockfd = -1;
	server.handle_request = fuzz_handle_request;
	server.max_request_size = 256 * 1024;
	TAILQ_INIT(&server.conns);
	memset(&conn, 0, sizeof(conn));
	conn.server = &server;
	conn.sockfd = -1;
	if (updk__jsonrpc_buf_append(&conn.recv, data, size) != 0) {
		return 0;
	}
	for (i = 0; i < 1024; i++) {
		if (updk__jsonrpc_conn_process_input(&conn) <= 0) {
			break;
		}
	}
	if (conn.outstanding != 0) {
		/* The handler answers at once, so nothing may stay outstanding. */
		abort();
	}
	updk__jsonrpc_buf_free(&conn.recv);
	updk__jsonrpc_buf_free(&conn.send);
	return 0;
}
