/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * The protocol half of the JSON-RPC server: cutting a connection's input into
 * JSON values, checking that each is a valid request (or a batch of them),
 * handing requests to the server's handler, and building the responses that
 * handlers send, whenever they send them. Requests that come from no
 * connection (local requests, for the configuration loader) go through the
 * same response code and end in a callback instead of a socket.
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "updk_internal/json.h"
#include "updk_internal/jsonrpc.h"

#include "jsonrpc_internal.h"

static enum spdk_log_level g_jsonrpc_log_level = SPDK_LOG_DISABLED;
static FILE *g_jsonrpc_log_file;

void
spdk_jsonrpc_set_log_level(enum spdk_log_level level)
{
	if (level < SPDK_LOG_DISABLED || level > SPDK_LOG_DEBUG) {
		SPDK_ERRLOG("JSON-RPC: invalid log level %d\n", (int)level);
		return;
	}
	g_jsonrpc_log_level = level;
}

void
spdk_jsonrpc_set_log_file(FILE *file)
{
	g_jsonrpc_log_file = file;
}

void
updk__jsonrpc_log_text(const char *what, const void *text, size_t len)
{
	int n = len > INT_MAX ? INT_MAX : (int)len;

	if (g_jsonrpc_log_level == SPDK_LOG_DISABLED) {
		return;
	}
	if (g_jsonrpc_log_file != NULL) {
		fprintf(g_jsonrpc_log_file, "%s: %.*s\n", what, n, (const char *)text);
		fflush(g_jsonrpc_log_file);
	} else {
		spdk_log(g_jsonrpc_log_level, __FILE__, __LINE__, __func__, "%s: %.*s\n", what, n,
			 (const char *)text);
	}
}

int
updk__jsonrpc_buf_append(struct jsonrpc_buf *buf, const void *data, size_t len)
{
	if (len > buf->cap - buf->len) {
		size_t cap = buf->cap ? buf->cap : 256;
		uint8_t *p;

		while (cap - buf->len < len) {
			if (cap > SIZE_MAX / 2) {
				return -ENOMEM;
			}
			cap *= 2;
		}
		p = realloc(buf->data, cap);
		if (p == NULL) {
			return -ENOMEM;
		}
		buf->data = p;
		buf->cap = cap;
	}
	if (len > 0) {
		memcpy(buf->data + buf->len, data, len);
	}
	buf->len += len;
	return 0;
}

void
updk__jsonrpc_buf_free(struct jsonrpc_buf *buf)
{
	free(buf->data);
	buf->data = NULL;
	buf->len = 0;
	buf->cap = 0;
}

static struct spdk_jsonrpc_request *
jsonrpc_request_alloc(struct spdk_jsonrpc_server_conn *conn, struct jsonrpc_batch *batch)
{
	struct spdk_jsonrpc_request *req = calloc(1, sizeof(*req));

	if (req == NULL) {
		SPDK_ERRLOG("JSON-RPC: out of memory for a request\n");
		return NULL;
	}
	req->conn = conn;
	req->batch = batch;
	if (batch != NULL) {
		batch->pending++;
	} else if (conn != NULL) {
		conn->outstanding++;
	}
	return req;
}

struct spdk_jsonrpc_request *
updk__jsonrpc_request_create_local(updk_jsonrpc_local_response_fn response_fn, void *ctx)
{
	struct spdk_jsonrpc_request *req;

	if (response_fn == NULL) {
		SPDK_ERRLOG("JSON-RPC: a local request needs a response function\n");
		return NULL;
	}
	req = jsonrpc_request_alloc(NULL, NULL);
	if (req == NULL) {
		return NULL;
	}
	req->local_fn = response_fn;
	req->local_ctx = ctx;
	return req;
}

struct spdk_jsonrpc_server_conn *
spdk_jsonrpc_get_conn(struct spdk_jsonrpc_request *request)
{
	return request != NULL ? request->conn : NULL;
}

static void
jsonrpc_batch_put(struct jsonrpc_batch *batch)
{
	struct spdk_jsonrpc_server_conn *conn = batch->conn;

	assert(batch->pending > 0);
	if (--batch->pending > 0) {
		return;
	}
	if (batch->num_responses > 0 && updk__jsonrpc_buf_append(&batch->out, "]\n", 2) == 0) {
		updk__jsonrpc_log_text("response", batch->out.data, batch->out.len - 1);
		updk__jsonrpc_conn_queue_send(conn, batch->out.data, batch->out.len);
	} else if (batch->num_responses > 0) {
		SPDK_ERRLOG("JSON-RPC: out of memory for a batch response; dropped\n");
	}
	updk__jsonrpc_buf_free(&batch->out);
	updk__json_free(batch->values);
	free(batch);
	updk__jsonrpc_conn_put(conn);
}

/* The response of req is complete (or there is none): deliver it and free req. */
static void
jsonrpc_complete(struct spdk_jsonrpc_request *req)
{
	struct spdk_jsonrpc_server_conn *conn = req->conn;
	struct jsonrpc_batch *batch = req->batch;
	bool send = req->response.len > 0 && !(req->notification && !req->is_error);

	if (req->local_fn != NULL) {
		char *text = NULL;
		size_t len = req->response.len;

		if (updk__jsonrpc_buf_append(&req->response, "", 1) == 0) {
			text = (char *)req->response.data;
			req->response.data = NULL;
		}
		req->local_fn(req->local_ctx, text, text != NULL ? len : 0);
		updk__jsonrpc_buf_free(&req->response);
		free(req);
		return;
	}

	if (send) {
		updk__jsonrpc_log_text("response", req->response.data, req->response.len);
	}
	if (batch != NULL) {
		if (send) {
			if ((batch->num_responses > 0 &&
			     updk__jsonrpc_buf_append(&batch->out, ",", 1) != 0) ||
			    updk__jsonrpc_buf_append(&batch->out, req->response.data,
						     req->response.len) != 0) {
				SPDK_ERRLOG("JSON-RPC: out of memory for a batch response\n");
			} else {
				batch->num_responses++;
			}
		}
		updk__jsonrpc_buf_free(&req->response);
		free(req);
		jsonrpc_batch_put(batch);
		return;
	}

	if (send) {
		if (updk__jsonrpc_buf_append(&req->response, "\n", 1) == 0) {
			updk__jsonrpc_conn_queue_send(conn, req->response.data, req->response.len);
		} else {
			SPDK_ERRLOG("JSON-RPC: out of memory for a response; dropped\n");
		}
	}
	updk__jsonrpc_buf_free(&req->response);
	updk__json_free(req->values);
	free(req);
	if (conn != NULL) {
		updk__jsonrpc_conn_put(conn);
	}
}

static int
jsonrpc_response_write_cb(void *cb_ctx, const void *data, size_t size)
{
	struct spdk_jsonrpc_request *req = cb_ctx;

	return updk__jsonrpc_buf_append(&req->response, data, size);
}

static struct spdk_json_write_ctx *
jsonrpc_begin_response(struct spdk_jsonrpc_request *req)
{
	struct spdk_json_write_ctx *w;

	req->response.len = 0;
	w = spdk_json_write_begin(jsonrpc_response_write_cb, req, 0);
	if (w == NULL) {
		return NULL;
	}
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "jsonrpc", "2.0");
	spdk_json_write_name(w, "id");
	if (req->id != NULL) {
		spdk_json_write_val(w, req->id);
	} else {
		spdk_json_write_null(w);
	}
	return w;
}

/* Last resort when the response cannot be built: a fixed internal error. */
static void
jsonrpc_fallback_error(struct spdk_jsonrpc_request *req)
{
	static const char text[] =
		"{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32603,"
		"\"message\":\"Internal error: the response could not be built\"}}";

	req->response.len = 0;
	req->is_error = true;
	if (updk__jsonrpc_buf_append(&req->response, text, sizeof(text) - 1) != 0) {
		req->response.len = 0;
	}
	jsonrpc_complete(req);
}

void
spdk_jsonrpc_send_error_response(struct spdk_jsonrpc_request *request, int error_code,
				 const char *msg)
{
	struct spdk_json_write_ctx *w;
	int rc;

	if (request == NULL) {
		SPDK_ERRLOG("JSON-RPC: error response for a NULL request\n");
		return;
	}
	request->is_error = true;
	w = jsonrpc_begin_response(request);
	if (w == NULL) {
		jsonrpc_fallback_error(request);
		return;
	}
	spdk_json_write_named_object_begin(w, "error");
	spdk_json_write_named_int32(w, "code", error_code);
	spdk_json_write_named_string(w, "message", msg != NULL ? msg : "");
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
	rc = spdk_json_write_end(w);
	if (rc != 0) {
		jsonrpc_fallback_error(request);
		return;
	}
	jsonrpc_complete(request);
}

void
spdk_jsonrpc_send_error_response_fmt(struct spdk_jsonrpc_request *request, int error_code,
				     const char *fmt, ...)
{
	char stackbuf[256];
	char *msg = stackbuf;
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, args);
	va_end(args);
	if (n < 0) {
		stackbuf[0] = '\0';
	} else if ((size_t)n >= sizeof(stackbuf)) {
		msg = malloc((size_t)n + 1);
		if (msg != NULL) {
			va_start(args, fmt);
			vsnprintf(msg, (size_t)n + 1, fmt, args);
			va_end(args);
		} else {
			/* The truncated message is better than none. */
			msg = stackbuf;
		}
	}
	spdk_jsonrpc_send_error_response(request, error_code, msg);
	if (msg != stackbuf) {
		free(msg);
	}
}

struct spdk_json_write_ctx *
spdk_jsonrpc_begin_result(struct spdk_jsonrpc_request *request)
{
	struct spdk_json_write_ctx *w;

	if (request == NULL) {
		SPDK_ERRLOG("JSON-RPC: result for a NULL request\n");
		return NULL;
	}
	w = jsonrpc_begin_response(request);
	if (w == NULL) {
		SPDK_ERRLOG("JSON-RPC: out of memory for a response\n");
		return NULL;
	}
	spdk_json_write_name(w, "result");
	return w;
}

void
spdk_jsonrpc_end_result(struct spdk_jsonrpc_request *request, struct spdk_json_write_ctx *w)
{
	int rc;

	if (request == NULL) {
		SPDK_ERRLOG("JSON-RPC: end of result for a NULL request\n");
		spdk_json_write_end(w);
		return;
	}
	if (w == NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INTERNAL_ERROR,
						 "Internal error: the result could not be written");
		return;
	}
	spdk_json_write_object_end(w);
	rc = spdk_json_write_end(w);
	if (rc != 0) {
		SPDK_ERRLOG("JSON-RPC: the handler wrote an invalid result (%s)\n",
			    rc == -ENOMEM || rc == -EIO ? "out of memory" : "bad structure");
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INTERNAL_ERROR,
						 "Internal error: the result could not be written");
		return;
	}
	jsonrpc_complete(request);
}

void
spdk_jsonrpc_send_bool_response(struct spdk_jsonrpc_request *request, bool value)
{
	struct spdk_json_write_ctx *w = spdk_jsonrpc_begin_result(request);

	if (request == NULL) {
		return;
	}
	spdk_json_write_bool(w, value);
	spdk_jsonrpc_end_result(request, w);
}

/* Check the request object v and, if it is valid, hand it to the handler. */
static void
jsonrpc_handle_request(struct spdk_jsonrpc_request *req, const struct spdk_json_val *v,
		       spdk_jsonrpc_handle_request_fn handler)
{
	const struct spdk_json_val *method = NULL, *params = NULL, *version = NULL, *id = NULL;
	bool has_params = false;
	const char *why = NULL;
	size_t i;

	if (v->type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		spdk_jsonrpc_send_error_response(req, SPDK_JSONRPC_ERROR_INVALID_REQUEST,
						 "Invalid request: not an object");
		return;
	}

	for (i = 1; i <= v->len; i += spdk_json_val_len(&v[i + 1]) + 1) {
		const struct spdk_json_val *name = &v[i], *value = &v[i + 1];

		if (spdk_json_strequal(name, "id")) {
			id = value;
		} else if (spdk_json_strequal(name, "method")) {
			method = value;
		} else if (spdk_json_strequal(name, "params")) {
			params = value;
			has_params = true;
		} else if (spdk_json_strequal(name, "jsonrpc")) {
			version = value;
		} else if (why == NULL) {
			why = "Invalid request: unknown member";
		}
	}

	if (id != NULL) {
		if (id->type == SPDK_JSON_VAL_STRING || id->type == SPDK_JSON_VAL_NUMBER) {
			req->id = id;
		} else if (id->type != SPDK_JSON_VAL_NULL && why == NULL) {
			why = "Invalid request: id must be a string, a number or null";
		}
	}
	if (why == NULL && version != NULL && !spdk_json_strequal(version, "2.0")) {
		why = "Invalid request: jsonrpc must be \"2.0\"";
	}
	if (why == NULL && method == NULL) {
		why = "Invalid request: no method";
	}
	if (why == NULL && method->type != SPDK_JSON_VAL_STRING) {
		why = "Invalid request: method must be a string";
	}
	if (why == NULL && has_params) {
		if (params->type == SPDK_JSON_VAL_NULL) {
			params = NULL;
		} else if (params->type != SPDK_JSON_VAL_OBJECT_BEGIN &&
			   params->type != SPDK_JSON_VAL_ARRAY_BEGIN) {
			why = "Invalid request: params must be an object, an array or null";
		}
	}
	if (why != NULL) {
		spdk_jsonrpc_send_error_response(req, SPDK_JSONRPC_ERROR_INVALID_REQUEST, why);
		return;
	}

	req->notification = req->id == NULL;
	handler(req, method, params);
}

/* Reply to the connection with an error that belongs to no request. */
static void
jsonrpc_conn_error(struct spdk_jsonrpc_server_conn *conn, int code, const char *msg)
{
	struct spdk_jsonrpc_request *req = jsonrpc_request_alloc(conn, NULL);

	if (req != NULL) {
		spdk_jsonrpc_send_error_response(req, code, msg);
	}
}

static void
jsonrpc_dispatch(struct spdk_jsonrpc_server_conn *conn, struct spdk_json_val *values)
{
	spdk_jsonrpc_handle_request_fn handler = conn->server->handle_request;
	struct spdk_jsonrpc_request *req;
	struct jsonrpc_batch *batch;
	size_t i;

	if (values[0].type != SPDK_JSON_VAL_ARRAY_BEGIN) {
		req = jsonrpc_request_alloc(conn, NULL);
		if (req == NULL) {
			updk__json_free(values);
			return;
		}
		req->values = values;
		jsonrpc_handle_request(req, values, handler);
		return;
	}

	if (values[0].len == 0) {
		updk__json_free(values);
		jsonrpc_conn_error(conn, SPDK_JSONRPC_ERROR_INVALID_REQUEST,
				   "Invalid request: empty batch");
		return;
	}
	batch = calloc(1, sizeof(*batch));
	if (batch == NULL || updk__jsonrpc_buf_append(&batch->out, "[", 1) != 0) {
		free(batch);
		updk__json_free(values);
		jsonrpc_conn_error(conn, SPDK_JSONRPC_ERROR_INTERNAL_ERROR,
				   "Internal error: out of memory for the batch");
		return;
	}
	batch->conn = conn;
	batch->values = values;
	/* Held while dispatching, so that requests answered at once do not
	 * finish the batch before the last one is handed out. */
	batch->pending = 1;
	conn->outstanding++;
	for (i = 1; i <= values[0].len; i += spdk_json_val_len(&values[i])) {
		req = jsonrpc_request_alloc(conn, batch);
		if (req == NULL) {
			break;
		}
		jsonrpc_handle_request(req, &values[i], handler);
	}
	jsonrpc_batch_put(batch);
}

static bool
jsonrpc_all_space(const uint8_t *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != ' ' && p[i] != '\t' && p[i] != '\n' && p[i] != '\r') {
			return false;
		}
	}
	return true;
}

int
updk__jsonrpc_conn_process_input(struct spdk_jsonrpc_server_conn *conn)
{
	struct spdk_json_val *values;
	size_t num_values, consumed;
	char err[192];
	char msg[256];
	int count = 0;
	int rc;

	while (conn->recv.len > 0 && !conn->closed && !conn->close_after_send &&
	       conn->outstanding < JSONRPC_MAX_OUTSTANDING &&
	       conn->send.len - conn->send_off < JSONRPC_SEND_HIGH_WATER) {
		rc = updk__json_parse(conn->recv.data, conn->recv.len, 0, &values, &num_values,
				      &consumed, err, sizeof(err));
		if (rc == -EAGAIN) {
			if (jsonrpc_all_space(conn->recv.data, conn->recv.len)) {
				conn->recv.len = 0;
			} else if (conn->recv.len >= conn->server->max_request_size) {
				SPDK_ERRLOG("JSON-RPC: request larger than %zu bytes; closing the "
					    "connection\n",
					    conn->server->max_request_size);
				snprintf(msg, sizeof(msg),
					 "Parse error: request larger than %zu bytes",
					 conn->server->max_request_size);
				jsonrpc_conn_error(conn, SPDK_JSONRPC_ERROR_PARSE_ERROR, msg);
				conn->close_after_send = true;
				conn->recv.len = 0;
				count++;
			} else if (conn->recv_eof) {
				/* The peer left in the middle of a request. */
				conn->recv.len = 0;
			}
			break;
		}
		if (rc != 0) {
			if (rc == -ENOMEM) {
				SPDK_ERRLOG("JSON-RPC: out of memory parsing a request\n");
				jsonrpc_conn_error(conn, SPDK_JSONRPC_ERROR_INTERNAL_ERROR,
						   "Internal error: out of memory");
			} else {
				SPDK_ERRLOG("JSON-RPC: invalid JSON from a client, closing the "
					    "connection: %s\n",
					    err);
				snprintf(msg, sizeof(msg), "Parse error: %s", err);
				jsonrpc_conn_error(conn, SPDK_JSONRPC_ERROR_PARSE_ERROR, msg);
			}
			conn->close_after_send = true;
			conn->recv.len = 0;
			count++;
			break;
		}

		updk__jsonrpc_log_text("request", conn->recv.data, consumed);
		conn->recv.len -= consumed;
		memmove(conn->recv.data, conn->recv.data + consumed, conn->recv.len);
		count++;

		if (num_values > UPDK_JSONRPC_MAX_VALUES) {
			updk__json_free(values);
			snprintf(msg, sizeof(msg), "Parse error: %zu JSON values, more than %d",
				 num_values, UPDK_JSONRPC_MAX_VALUES);
			jsonrpc_conn_error(conn, SPDK_JSONRPC_ERROR_PARSE_ERROR, msg);
			continue;
		}
		jsonrpc_dispatch(conn, values);
	}
	return count;
}
