/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The server side of JSON-RPC 2.0 over a stream socket (Unix or TCP).
 *
 * Wire format: no length prefix. The server reads one complete JSON value at
 * a time from each connection, so requests may be concatenated or split
 * across writes. Every response is one compact JSON object (or, for a batch,
 * one array of them) followed by a newline:
 *
 *     {"jsonrpc":"2.0","id":<the request's id>,"result":<value>}
 *     {"jsonrpc":"2.0","id":<id or null>,"error":{"code":<int>,"message":"<text>"}}
 *
 * A request is an object with the members "method" (a string, required),
 * "params" (an object or array; null or absent means none), "id" (a string,
 * number or null) and "jsonrpc" (if present, the string "2.0"); any other
 * member makes it invalid. A request without an id, or with a null id, is a
 * notification: its successful result is not sent (errors are, with a null
 * id). A batch is an array of requests, answered by one array holding the
 * responses that are sent, or by nothing when there are none; an empty batch
 * is an invalid request.
 *
 * Limits: 64 connections per server (more are closed at once), 256 KiB per
 * request (a longer one is answered with a parse error and its connection is
 * closed), 8192 JSON values per request. Text that is not JSON is answered
 * with a parse error and the connection is closed after the reply, since the
 * stream cannot be resynchronised. A client that disconnects while requests
 * are in progress is tolerated: their responses are dropped. None of this
 * affects other connections.
 *
 * Threading: everything here, including responding to a request, must happen
 * on the thread that polls the server (handlers may respond later, after
 * they return, from that thread).
 */

#ifndef SPDK_JSONRPC_H
#define SPDK_JSONRPC_H

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/log.h"

#include <sys/socket.h>

#ifdef __cplusplus
extern "C" {
#endif

#ifndef UPDK_ATTR_DEALLOC
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
/* Lets GCC check that what a constructor returns reaches the matching destructor. */
#define UPDK_ATTR_DEALLOC(fn) __attribute__((malloc(fn, 1)))
#else
#define UPDK_ATTR_DEALLOC(fn)
#endif
#endif

/** Parse error: the text is not valid JSON. */
#define SPDK_JSONRPC_ERROR_PARSE_ERROR -32700
/** The JSON is not a valid request object. */
#define SPDK_JSONRPC_ERROR_INVALID_REQUEST -32600
/** No such method. */
#define SPDK_JSONRPC_ERROR_METHOD_NOT_FOUND -32601
/** The params do not fit the method. */
#define SPDK_JSONRPC_ERROR_INVALID_PARAMS -32602
/** The server failed (for example, out of memory). */
#define SPDK_JSONRPC_ERROR_INTERNAL_ERROR -32603
/**
 * The method exists but may not be called in the current state (startup or
 * runtime). Outside -32768..-32000, the range JSON-RPC reserves.
 */
#define SPDK_JSONRPC_ERROR_INVALID_STATE -1

/** A listening JSON-RPC server and its connections. */
struct spdk_jsonrpc_server;

/** One request being handled. */
struct spdk_jsonrpc_request;

/** One client connection of a server. */
struct spdk_jsonrpc_server_conn;

/**
 * Handle one request. The handler must eventually respond exactly once, with
 * spdk_jsonrpc_begin_result() and spdk_jsonrpc_end_result(),
 * spdk_jsonrpc_send_bool_response(), or spdk_jsonrpc_send_error_response(_fmt)(),
 * either before returning or later on the same thread. Until then \p method
 * and \p params stay valid.
 *
 * \param request The request.
 * \param method The method name (a STRING value).
 * \param params The params (an object or array), or NULL when there are none.
 */
typedef void (*spdk_jsonrpc_handle_request_fn)(struct spdk_jsonrpc_request *request,
					       const struct spdk_json_val *method,
					       const struct spdk_json_val *params);

/**
 * Called once when a connection closes (spdk_jsonrpc_conn_add_close_cb()).
 *
 * \param conn The connection, which can no longer send.
 * \param arg The ctx given with the callback.
 */
typedef void (*spdk_jsonrpc_conn_closed_fn)(struct spdk_jsonrpc_server_conn *conn, void *arg);

/**
 * Close the listening socket and every connection, and free the server. For
 * a Unix socket, the socket file is removed (if it is still this server's).
 * Requests still being handled stay valid; their responses are dropped.
 *
 * \param server The server; NULL does nothing.
 */
void spdk_jsonrpc_server_shutdown(struct spdk_jsonrpc_server *server);

/**
 * Create a server listening on a stream socket. The socket is non-blocking;
 * nothing happens until spdk_jsonrpc_server_poll() is called.
 *
 * For AF_UNIX, the socket file is created with mode 0600. An existing file at
 * the path is replaced only when it is a socket nobody listens on (a stale
 * one); a live socket fails with the error "another process is listening on
 * <path>", and a file that is not a socket is left alone and fails. For
 * AF_INET/AF_INET6, SO_REUSEADDR is set.
 *
 * \param domain AF_UNIX, AF_INET or AF_INET6.
 * \param protocol Socket protocol, normally 0.
 * \param listen_addr The address to bind.
 * \param addrlen Its length.
 * \param handle_request Called for every request.
 * \return the server, to be released with spdk_jsonrpc_server_shutdown(), or
 * NULL (with an error log naming the address and the reason).
 */
struct spdk_jsonrpc_server *
spdk_jsonrpc_server_listen(int domain, int protocol, struct sockaddr *listen_addr,
			   socklen_t addrlen, spdk_jsonrpc_handle_request_fn handle_request)
	UPDK_ATTR_DEALLOC(spdk_jsonrpc_server_shutdown);

/**
 * Do whatever is ready without blocking: accept connections, read requests
 * and call the handler for each complete one, send responses, and close
 * connections that are finished. Call it repeatedly, from a poller.
 *
 * \param server The server.
 * \return 0, or -EINVAL when \p server is NULL.
 */
int spdk_jsonrpc_server_poll(struct spdk_jsonrpc_server *server);

/**
 * \return the connection a request came from, or NULL for a request that did
 * not come from a connection (a configuration entry replayed by the app).
 */
struct spdk_jsonrpc_server_conn *spdk_jsonrpc_get_conn(struct spdk_jsonrpc_request *request);

/**
 * Have \p cb called once when \p conn closes (peer gone, protocol error or
 * server shutdown), for example to stop work started for that client. One
 * callback per connection.
 *
 * \return 0; -EINVAL for a NULL argument; -EEXIST when this callback is
 * already registered; -ENOSPC when another one is; -ENOTCONN when the
 * connection is already closed.
 */
int spdk_jsonrpc_conn_add_close_cb(struct spdk_jsonrpc_server_conn *conn,
				   spdk_jsonrpc_conn_closed_fn cb, void *ctx);

/**
 * Remove a callback registered with spdk_jsonrpc_conn_add_close_cb().
 *
 * \return 0, -EINVAL for a NULL argument, or -ENOENT when (\p cb, \p ctx) is
 * not registered.
 */
int spdk_jsonrpc_conn_del_close_cb(struct spdk_jsonrpc_server_conn *conn,
				   spdk_jsonrpc_conn_closed_fn cb, void *ctx);

/**
 * Start a successful response: returns a writer positioned where the result
 * value goes. Write exactly one value, then call spdk_jsonrpc_end_result().
 * For a notification the writer is real but its output is discarded.
 *
 * \param request The request.
 * \return the writer; NULL only when \p request is NULL or memory runs out
 * (then pass NULL to spdk_jsonrpc_end_result() to finish the request; the
 * client gets an internal error).
 */
struct spdk_json_write_ctx *spdk_jsonrpc_begin_result(struct spdk_jsonrpc_request *request);

/**
 * Finish the response started with spdk_jsonrpc_begin_result() and queue it
 * for sending; the request is freed. If the result could not be written
 * (\p w NULL or a writer error), the client gets an internal error instead.
 *
 * \param request The request.
 * \param w The writer from spdk_jsonrpc_begin_result().
 */
void spdk_jsonrpc_end_result(struct spdk_jsonrpc_request *request, struct spdk_json_write_ctx *w);

/**
 * Respond with a boolean result; the request is freed.
 *
 * \param request The request.
 * \param value The result.
 */
void spdk_jsonrpc_send_bool_response(struct spdk_jsonrpc_request *request, bool value);

/**
 * Respond with an error; the request is freed. Errors are sent even for
 * notifications (with a null id).
 *
 * \param request The request.
 * \param error_code A SPDK_JSONRPC_ERROR_* code, or a negative errno.
 * \param msg The message (NULL sends an empty one).
 */
void spdk_jsonrpc_send_error_response(struct spdk_jsonrpc_request *request, int error_code,
				      const char *msg);

/**
 * Like spdk_jsonrpc_send_error_response(), with a printf-formatted message.
 */
void spdk_jsonrpc_send_error_response_fmt(struct spdk_jsonrpc_request *request, int error_code,
					  const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));

/**
 * Log every request and response text at \p level (SPDK_LOG_DISABLED, the
 * default, logs nothing). Process-wide.
 *
 * \param level The level of the log lines.
 */
void spdk_jsonrpc_set_log_level(enum spdk_log_level level);

/**
 * Write the request and response log of spdk_jsonrpc_set_log_level() to
 * \p file instead of the log. Process-wide.
 *
 * \param file The file, or NULL for the log.
 */
void spdk_jsonrpc_set_log_file(FILE *file);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_JSONRPC_H */
