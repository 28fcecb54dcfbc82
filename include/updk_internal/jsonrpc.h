/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * JSON-RPC server functions shared with other updk components but not part of
 * the public API: listening with the reason of a failure, a poll that reports
 * whether it did anything, tunable limits, and requests that do not come from
 * a socket (lib/rpc uses them to call methods for the configuration loader).
 */

#ifndef UPDK_INTERNAL_JSONRPC_H
#define UPDK_INTERNAL_JSONRPC_H

#include "spdk/stdinc.h"
#include "spdk/jsonrpc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Default limit of one request's size in bytes. */
#define UPDK_JSONRPC_MAX_REQUEST_SIZE (256 * 1024)
/** Most connections a server keeps open. */
#define UPDK_JSONRPC_MAX_CONNS 64
/** Most JSON values (spdk_json_val elements) in one request. */
#define UPDK_JSONRPC_MAX_VALUES 8192

/**
 * spdk_jsonrpc_server_listen() that returns why it failed.
 *
 * \param server Set to the new server on success.
 * \return 0; -EADDRINUSE when another process listens on the address;
 * -EEXIST when a file that is not a socket is in the way; -ENAMETOOLONG;
 * -EINVAL for bad arguments; another negative errno from socket(), bind() or
 * listen(). Each failure is logged once.
 */
int updk__jsonrpc_server_listen(int domain, int protocol, struct sockaddr *listen_addr,
				socklen_t addrlen, spdk_jsonrpc_handle_request_fn handle_request,
				struct spdk_jsonrpc_server **server);

/**
 * spdk_jsonrpc_server_poll() that reports activity.
 *
 * \return the number of things done (connections accepted or closed,
 * requests dispatched, sends), 0 when idle, -EINVAL for a NULL server.
 */
int updk__jsonrpc_server_poll(struct spdk_jsonrpc_server *server);

/**
 * Change the request size limit of \p server (for tests and tuning).
 *
 * \param max_bytes The new limit, at least 64 bytes.
 * \return 0 or -EINVAL.
 */
int updk__jsonrpc_server_set_max_request_size(struct spdk_jsonrpc_server *server, size_t max_bytes);

/** \return how many connections \p server has open. */
uint32_t updk__jsonrpc_server_conn_count(struct spdk_jsonrpc_server *server);

/**
 * Receives the response of a local request: the complete response object
 * text ({"jsonrpc":"2.0","id":null,"result":...} or ...,"error":{...}}),
 * NUL-terminated, without a trailing newline. Ownership passes to the
 * callee, which must free() it. Called on the thread that responded, from
 * inside the handler's response call.
 *
 * \param ctx The ctx given to updk__jsonrpc_request_create_local().
 * \param response The text, or NULL when memory ran out.
 * \param len Its length.
 */
typedef void (*updk_jsonrpc_local_response_fn)(void *ctx, char *response, size_t len);

/**
 * Create a request that belongs to no connection, to pass to a method
 * handler directly. It has no id and is not a notification, so the handler's
 * success response is delivered too. It frees itself once the handler
 * responds.
 *
 * \param response_fn Receives the response.
 * \param ctx Passed to \p response_fn.
 * \return the request, or NULL (logged) when memory runs out or
 * \p response_fn is NULL.
 */
struct spdk_jsonrpc_request *
updk__jsonrpc_request_create_local(updk_jsonrpc_local_response_fn response_fn, void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_JSONRPC_H */
