/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Objects shared by the two halves of the JSON-RPC server: the socket side
 * (jsonrpc_server_sock.c: listening, connections, reading, sending) and the
 * protocol side (jsonrpc_server.c: requests, batches, responses).
 *
 * Lifetimes. A connection lives in its server's list until it is finished
 * (peer gone, protocol error or shutdown). A connection with requests still
 * being handled (outstanding > 0) is kept after its socket is closed, so that
 * their late responses find it and are dropped; it is freed when the last one
 * completes. At server shutdown such connections are orphaned (server NULL)
 * and free themselves in the same way. A batch holds one reference on its
 * connection (one outstanding count) until all its requests are answered.
 */

#ifndef JSONRPC_INTERNAL_H
#define JSONRPC_INTERNAL_H

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/queue.h"
#include "updk_internal/jsonrpc.h"

/* Stop reading a connection while this many response bytes wait to be sent. */
#define JSONRPC_SEND_HIGH_WATER (4 * 1024 * 1024)
/* Stop reading a connection while this many of its requests are in progress. */
#define JSONRPC_MAX_OUTSTANDING 128

/* A growable byte buffer. */
struct jsonrpc_buf {
	uint8_t *data;
	size_t len;
	size_t cap;
};

struct spdk_jsonrpc_server_conn {
	/* NULL once the server has shut down (the connection is orphaned). */
	struct spdk_jsonrpc_server *server;
	/* -1 once closed. */
	int sockfd;
	/* Bytes received and not yet parsed. */
	struct jsonrpc_buf recv;
	/* Responses waiting to be sent, from send_off on. */
	struct jsonrpc_buf send;
	size_t send_off;
	/* Requests (and batches) handed out and not yet answered. */
	uint32_t outstanding;
	/* The peer finished sending: answer what was received, then close. */
	bool recv_eof;
	/* A protocol error: send what is queued, then close. */
	bool close_after_send;
	/* The socket is gone: responses are dropped. */
	bool closed;
	spdk_jsonrpc_conn_closed_fn close_cb;
	void *close_cb_ctx;
	TAILQ_ENTRY(spdk_jsonrpc_server_conn) link;
};

struct spdk_jsonrpc_server {
	int sockfd;
	spdk_jsonrpc_handle_request_fn handle_request;
	TAILQ_HEAD(, spdk_jsonrpc_server_conn) conns;
	uint32_t num_conns;
	size_t max_request_size;
	/* Inside spdk_jsonrpc_server_poll(): a shutdown then waits for its end. */
	bool in_poll;
	bool shutdown_requested;
	/* For AF_UNIX: the socket file and its identity, to remove it at shutdown. */
	char unix_path[108];
	dev_t unix_dev;
	ino_t unix_ino;
};

/* The responses of a batch, collected until all its requests are answered. */
struct jsonrpc_batch {
	struct spdk_jsonrpc_server_conn *conn;
	/* The parsed batch; its requests' params point into it. */
	struct spdk_json_val *values;
	/* Requests not yet answered, plus one while requests are being dispatched. */
	uint32_t pending;
	/* The response array being built: "[" and the responses sent so far. */
	struct jsonrpc_buf out;
	uint32_t num_responses;
};

struct spdk_jsonrpc_request {
	/* NULL for a local request. */
	struct spdk_jsonrpc_server_conn *conn;
	/* The batch this request belongs to, or NULL. */
	struct jsonrpc_batch *batch;
	/* Parsed values this request owns (a single request), or NULL. */
	struct spdk_json_val *values;
	/* The id to echo (a STRING, NUMBER or NULL value), or NULL for none. */
	const struct spdk_json_val *id;
	/* No response is sent for a successful result. */
	bool notification;
	/* The response being written is an error. */
	bool is_error;
	/* The response text. */
	struct jsonrpc_buf response;
	/* For a local request: where the response goes. */
	updk_jsonrpc_local_response_fn local_fn;
	void *local_ctx;
};

int updk__jsonrpc_buf_append(struct jsonrpc_buf *buf, const void *data, size_t len);
void updk__jsonrpc_buf_free(struct jsonrpc_buf *buf);

/* Parse and dispatch every complete request in conn->recv; returns how many. */
int updk__jsonrpc_conn_process_input(struct spdk_jsonrpc_server_conn *conn);

/* Queue bytes for sending on a connection (dropped when it is closed). */
void updk__jsonrpc_conn_queue_send(struct spdk_jsonrpc_server_conn *conn, const void *data,
				   size_t len);

/* One request or batch of conn finished; may free an orphaned connection. */
void updk__jsonrpc_conn_put(struct spdk_jsonrpc_server_conn *conn);

/* Log a request or response text when request logging is on. */
void updk__jsonrpc_log_text(const char *what, const void *text, size_t len);

#endif /* JSONRPC_INTERNAL_H */
