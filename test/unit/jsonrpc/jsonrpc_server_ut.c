/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Tests of lib/jsonrpc (jsonrpc_server.c and jsonrpc_server_sock.c) with a
 * real server on a Unix socket in a temporary directory and real client
 * sockets, all on one pthread: the server is polled from an spdk_thread of
 * the test harness between client reads and writes. Covered: single,
 * split, concatenated and batch requests, notifications, invalid requests,
 * garbage, oversized requests, unknown methods, invalid params, responses
 * sent after the handler returned, clients that leave mid-request, many
 * clients at once, the connection limit, large responses, stale and live
 * socket files, the socket's mode, TCP, and shutdown with requests pending.
 */

#include "spdk/stdinc.h"
#include "spdk/util.h"
#include "jsonrpc/jsonrpc_server.c"
#include "jsonrpc/jsonrpc_server_sock.c"

#include "ut_threads.h"
#include "ut_rpc_client.h"

#include <setjmp.h>
#include <cmocka.h>

#define UT_MAX_PENDING 16

static char g_dir[64];
static char g_path[128];
static struct spdk_jsonrpc_server *g_server;
/* Requests of the "slow" method, answered when the test says so. */
static struct spdk_jsonrpc_request *g_pending[UT_MAX_PENDING];
static int g_num_pending;
static int g_close_cb_calls;

struct add_params {
	int32_t a;
	int32_t b;
};

static const struct spdk_json_object_decoder add_decoders[] = {
	{"a", offsetof(struct add_params, a), spdk_json_decode_int32},
	{"b", offsetof(struct add_params, b), spdk_json_decode_int32},
};

static void
test_handler(struct spdk_jsonrpc_request *request, const struct spdk_json_val *method,
	     const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w;

	if (spdk_json_strequal(method, "add")) {
		struct add_params p = {};

		if (spdk_json_decode_object(params, add_decoders, SPDK_COUNTOF(add_decoders), &p)) {
			spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
							 "Invalid parameters");
			return;
		}
		w = spdk_jsonrpc_begin_result(request);
		spdk_json_write_int32(w, p.a + p.b);
		spdk_jsonrpc_end_result(request, w);
	} else if (spdk_json_strequal(method, "echo")) {
		w = spdk_jsonrpc_begin_result(request);
		if (params != NULL) {
			spdk_json_write_val(w, params);
		} else {
			spdk_json_write_null(w);
		}
		spdk_jsonrpc_end_result(request, w);
	} else if (spdk_json_strequal(method, "slow")) {
		assert_true(g_num_pending < UT_MAX_PENDING);
		g_pending[g_num_pending++] = request;
	} else if (spdk_json_strequal(method, "fail")) {
		spdk_jsonrpc_send_error_response_fmt(request, -ENODEV, "No such device: %s", "x");
	} else if (spdk_json_strequal(method, "bool")) {
		spdk_jsonrpc_send_bool_response(request, true);
	} else if (spdk_json_strequal(method, "broken")) {
		/* A result with an unfinished object. */
		w = spdk_jsonrpc_begin_result(request);
		spdk_json_write_object_begin(w);
		spdk_jsonrpc_end_result(request, w);
	} else {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_METHOD_NOT_FOUND,
						 "Method not found");
	}
}

/* Answer the oldest "slow" request with true. */
static void
finish_slow(void)
{
	struct spdk_jsonrpc_request *req;

	assert_true(g_num_pending > 0);
	req = g_pending[0];
	memmove(g_pending, g_pending + 1, sizeof(g_pending[0]) * (size_t)--g_num_pending);
	spdk_jsonrpc_send_bool_response(req, true);
}

static void
threads_poll(void *ctx)
{
	ut_poll_threads();
}

/* Polls g_server when the client has no server of its own. */
static struct ut_rpc_client g_poller = {.fd = -1};

static void
server_poll(void *ctx)
{
	struct spdk_jsonrpc_server *server = ctx;

	ut_set_thread(0);
	assert_true(updk__jsonrpc_server_poll(server) >= 0);
	ut_poll_thread(0);
}

static int
setup(void **state)
{
	int rc;

	snprintf(g_dir, sizeof(g_dir), "/tmp/updk_jsonrpc_ut.XXXXXX");
	if (mkdtemp(g_dir) == NULL) {
		return -1;
	}
	snprintf(g_path, sizeof(g_path), "%s/rpc.sock", g_dir);
	if (ut_threads_init(1) != 0) {
		return -1;
	}
	ut_set_thread(0);
	g_num_pending = 0;
	g_close_cb_calls = 0;
	rc = updk__jsonrpc_server_listen(AF_UNIX, 0, NULL, 0, test_handler, &g_server);
	assert_int_equal(rc, -EINVAL);
	{
		struct sockaddr_un un = {.sun_family = AF_UNIX};

		memcpy(un.sun_path, g_path, strlen(g_path));
		rc = updk__jsonrpc_server_listen(AF_UNIX, 0, (struct sockaddr *)&un, sizeof(un),
						 test_handler, &g_server);
	}
	return rc;
}

static int
teardown(void **state)
{
	spdk_jsonrpc_server_shutdown(g_server);
	g_server = NULL;
	ut_set_thread(0);
	ut_poll_thread(0);
	/* Shutdown removed the socket file. */
	if (access(g_path, F_OK) == 0) {
		return -1;
	}
	rmdir(g_dir);
	return ut_threads_fini();
}

static void
client(struct ut_rpc_client *c)
{
	assert_int_equal(ut_rpc_client_connect_unix(c, g_path, server_poll, g_server), 0);
}

static void
expect_line(struct ut_rpc_client *c, const char *expected)
{
	char *line = ut_rpc_client_read_line(c);

	assert_non_null(line);
	assert_string_equal(line, expected);
	free(line);
}

static void
single_request_gets_result(void **state)
{
	struct ut_rpc_client c;

	client(&c);
	ut_rpc_client_send_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"add\","
				   "\"params\":{\"a\":1,\"b\":2},\"id\":1}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":3}");
	/* Without "jsonrpc", with a string id, and a bool response. */
	ut_rpc_client_send_str(&c, "{\"method\":\"bool\",\"id\":\"abc\"}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":\"abc\",\"result\":true}");
	/* The id's text is echoed exactly. */
	ut_rpc_client_send_str(&c, "{\"method\":\"bool\",\"id\":18446744073709551616}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":18446744073709551616,\"result\":true}");
	/* A handler's error. */
	ut_rpc_client_send_str(&c, "{\"method\":\"fail\",\"id\":2}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-19,"
			"\"message\":\"No such device: x\"}}");
	ut_rpc_client_close(&c);
}

static void
request_split_across_writes(void **state)
{
	struct ut_rpc_client c;

	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"ad");
	assert_true(ut_rpc_client_idle(&c));
	ut_rpc_client_send_str(&c, "d\",\"params\":{\"a\":40,");
	assert_true(ut_rpc_client_idle(&c));
	ut_rpc_client_send_str(&c, "\"b\":2},\"id\":7}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":7,\"result\":42}");
	ut_rpc_client_close(&c);
}

static void
concatenated_requests_each_answered(void **state)
{
	struct ut_rpc_client c;

	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"add\",\"params\":{\"a\":1,\"b\":1},\"id\":1}"
				   "{\"method\":\"add\",\"params\":{\"a\":2,\"b\":2},\"id\":2}\n"
				   "  {\"method\":\"echo\",\"params\":[1,\"\\u00e9\"],\"id\":3}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":2}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":4}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":[1,\"\\u00e9\"]}");
	ut_rpc_client_close(&c);
}

static void
batch_answered_as_array(void **state)
{
	struct ut_rpc_client c;

	client(&c);
	ut_rpc_client_send_str(&c, "[{\"jsonrpc\":\"2.0\",\"method\":\"add\","
				   "\"params\":{\"a\":1,\"b\":2},\"id\":1},"
				   "{\"method\":\"add\",\"params\":{\"a\":\"x\",\"b\":2},\"id\":2},"
				   "{\"method\":\"add\",\"params\":{\"a\":1,\"b\":2}},"
				   "{\"method\":\"nope\",\"id\":\"s\"},"
				   "5]");
	expect_line(&c, "[{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":3},"
			"{\"jsonrpc\":\"2.0\",\"id\":2,\"error\":{\"code\":-32602,"
			"\"message\":\"Invalid parameters\"}},"
			"{\"jsonrpc\":\"2.0\",\"id\":\"s\",\"error\":{\"code\":-32601,"
			"\"message\":\"Method not found\"}},"
			"{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
			"\"message\":\"Invalid request: not an object\"}}]");

	/* A batch with a request answered later is sent once all are answered. */
	ut_rpc_client_send_str(&c,
			       "[{\"method\":\"slow\",\"id\":1},{\"method\":\"bool\",\"id\":2}]");
	assert_true(ut_rpc_client_idle(&c));
	assert_int_equal(g_num_pending, 1);
	finish_slow();
	expect_line(&c, "[{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":true},"
			"{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}]");

	/* Only notifications: nothing at all. */
	ut_rpc_client_send_str(&c, "[{\"method\":\"bool\"},{\"method\":\"bool\",\"id\":null}]");
	assert_true(ut_rpc_client_idle(&c));

	/* An empty batch is one invalid request. */
	ut_rpc_client_send_str(&c, "[]");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
			"\"message\":\"Invalid request: empty batch\"}}");
	ut_rpc_client_close(&c);
}

static void
notification_gets_no_result(void **state)
{
	struct ut_rpc_client c;

	client(&c);
	ut_rpc_client_send_str(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"add\","
				   "\"params\":{\"a\":1,\"b\":2}}");
	ut_rpc_client_send_str(&c, "{\"method\":\"bool\",\"id\":null}");
	assert_true(ut_rpc_client_idle(&c));
	/* Errors are still reported, with a null id. */
	ut_rpc_client_send_str(&c, "{\"method\":\"nope\"}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32601,"
			"\"message\":\"Method not found\"}}");
	ut_rpc_client_send_str(&c, "{\"method\":\"bool\",\"id\":9}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":9,\"result\":true}");
	ut_rpc_client_close(&c);
}

static void
invalid_requests_get_invalid_request(void **state)
{
	static const struct {
		const char *request;
		const char *response;
	} cases[] = {
		{"{\"id\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32600,"
			       "\"message\":\"Invalid request: no method\"}}"},
		{"{\"method\":5,\"id\":1}",
		 "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":"
		 "-32600,\"message\":\"Invalid request: method must be a string\"}}"},
		{"{\"jsonrpc\":\"1.0\",\"method\":\"bool\",\"id\":1}",
		 "{\"jsonrpc\":\"2.0\","
		 "\"id\":1,\"error\":{\"code\":-32600,\"message\":\"Invalid request: jsonrpc "
		 "must be \\\"2.0\\\"\"}}"},
		{"{\"method\":\"bool\",\"id\":{}}",
		 "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":"
		 "{\"code\":-32600,\"message\":\"Invalid request: id must be a string, a number "
		 "or null\"}}"},
		{"{\"method\":\"bool\",\"params\":\"x\",\"id\":1}",
		 "{\"jsonrpc\":\"2.0\",\"id\":1,"
		 "\"error\":{\"code\":-32600,\"message\":\"Invalid request: params must be an "
		 "object, an array or null\"}}"},
		{"{\"method\":\"bool\",\"extra\":1,\"id\":1}",
		 "{\"jsonrpc\":\"2.0\",\"id\":1,"
		 "\"error\":{\"code\":-32600,\"message\":\"Invalid request: unknown member\"}}"},
		{"\"just a string\"", "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32600,"
				      "\"message\":\"Invalid request: not an object\"}}"},
		{"{\"method\":\"echo\",\"params\":null,\"id\":1}", "{\"jsonrpc\":\"2.0\",\"id\":1,"
								   "\"result\":null}"},
		{"{\"method\":\"broken\",\"id\":1}",
		 "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{"
		 "\"code\":-32603,\"message\":\"Internal error: the result could not be "
		 "written\"}}"},
	};
	struct ut_rpc_client c;
	size_t i;

	client(&c);
	/* The connection stays usable after each. */
	for (i = 0; i < SPDK_COUNTOF(cases); i++) {
		ut_rpc_client_send_str(&c, cases[i].request);
		expect_line(&c, cases[i].response);
	}
	ut_rpc_client_close(&c);
}

static void
garbage_gets_parse_error_and_close(void **state)
{
	struct ut_rpc_client bad, good;
	char *line;

	client(&good);
	client(&bad);
	ut_rpc_client_send_str(&bad, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
	line = ut_rpc_client_read_line(&bad);
	assert_non_null(line);
	assert_non_null(strstr(line, "\"id\":null,\"error\":{\"code\":-32700,"
				     "\"message\":\"Parse error: line 1"));
	free(line);
	assert_true(ut_rpc_client_wait_eof(&bad));
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "invalid JSON", NULL), 1);

	/* Binary junk with NUL bytes. */
	ut_rpc_client_close(&bad);
	client(&bad);
	ut_rpc_client_send(&bad, "{\"a\":\0\xff\xfe}", 10);
	line = ut_rpc_client_read_line(&bad);
	assert_non_null(line);
	assert_non_null(strstr(line, "-32700"));
	free(line);
	assert_true(ut_rpc_client_wait_eof(&bad));
	ut_rpc_client_close(&bad);

	/* The other client never noticed. */
	ut_rpc_client_send_str(&good, "{\"method\":\"bool\",\"id\":1}");
	expect_line(&good, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}");
	ut_rpc_client_close(&good);
}

static void
oversized_request_gets_error_and_close(void **state)
{
	struct ut_rpc_client c, good;
	size_t size = 4096, i;
	char *big;
	char *line;

	assert_int_equal(updk__jsonrpc_server_set_max_request_size(g_server, 16), -EINVAL);
	assert_int_equal(updk__jsonrpc_server_set_max_request_size(g_server, 1024), 0);
	client(&good);
	client(&c);
	big = malloc(size);
	assert_non_null(big);
	i = strlen("{\"method\":\"echo\",\"params\":{\"x\":\"");
	memcpy(big, "{\"method\":\"echo\",\"params\":{\"x\":\"", i);
	for (; i < size; i++) {
		big[i] = 'a';
	}
	ut_rpc_client_send(&c, big, size);
	line = ut_rpc_client_read_line(&c);
	assert_non_null(line);
	assert_string_equal(line, "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-32700,"
				  "\"message\":\"Parse error: request larger than 1024 bytes\"}}");
	free(line);
	assert_true(ut_rpc_client_wait_eof(&c));
	ut_rpc_client_close(&c);

	/* Requests up to the limit still pass. */
	ut_rpc_client_send_str(&good, "{\"method\":\"bool\",\"id\":1}");
	expect_line(&good, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}");
	ut_rpc_client_close(&good);
	free(big);
	updk__jsonrpc_server_set_max_request_size(g_server, UPDK_JSONRPC_MAX_REQUEST_SIZE);
}

static void
response_sent_after_handler_returns(void **state)
{
	struct ut_rpc_client c;

	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"slow\",\"id\":1}{\"method\":\"slow\",\"id\":2}"
				   "{\"method\":\"bool\",\"id\":3}");
	/* The quick one is answered first. */
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":true}");
	assert_true(ut_rpc_client_idle(&c));
	assert_int_equal(g_num_pending, 2);
	finish_slow();
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}");
	finish_slow();
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":true}");
	ut_rpc_client_close(&c);
}

static void
conn_closed(struct spdk_jsonrpc_server_conn *conn, void *arg)
{
	g_close_cb_calls++;
}

static void
close_cb_handler_registers(void **state)
{
	struct ut_rpc_client c;
	struct spdk_jsonrpc_server_conn *conn;

	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"slow\",\"id\":1}");
	assert_true(ut_rpc_client_idle(&c));
	assert_int_equal(g_num_pending, 1);
	conn = spdk_jsonrpc_get_conn(g_pending[0]);
	assert_non_null(conn);
	assert_int_equal(spdk_jsonrpc_conn_add_close_cb(conn, conn_closed, NULL), 0);
	assert_int_equal(spdk_jsonrpc_conn_add_close_cb(conn, conn_closed, NULL), -EEXIST);
	assert_int_equal(spdk_jsonrpc_conn_add_close_cb(conn, conn_closed, &c), -ENOSPC);
	assert_int_equal(spdk_jsonrpc_conn_del_close_cb(conn, conn_closed, &c), -ENOENT);
	ut_rpc_client_close(&c);
	g_poller.poll = server_poll;
	g_poller.poll_ctx = g_server;
	ut_rpc_client_idle(&g_poller);
	assert_int_equal(g_close_cb_calls, 1);
	assert_int_equal(spdk_jsonrpc_conn_add_close_cb(conn, conn_closed, NULL), -ENOTCONN);
	finish_slow();
}

static void
client_disconnect_mid_request(void **state)
{
	struct ut_rpc_client c, good;
	struct ut_rpc_client poller = {.fd = -1, .poll = server_poll};

	poller.poll_ctx = g_server;
	client(&good);

	/* Gone while its request is being handled: the response is dropped. */
	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"slow\",\"id\":1}");
	assert_true(ut_rpc_client_idle(&c));
	assert_int_equal(g_num_pending, 1);
	ut_rpc_client_close(&c);
	ut_rpc_client_idle(&poller);
	assert_int_equal(updk__jsonrpc_server_conn_count(g_server), 1);
	finish_slow();
	ut_rpc_client_idle(&poller);

	/* Gone in the middle of sending a request. */
	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"add\",\"params\":{\"a\":");
	ut_rpc_client_close(&c);
	ut_rpc_client_idle(&poller);
	assert_int_equal(updk__jsonrpc_server_conn_count(g_server), 1);

	/* Sends a request and half-closes: the response still arrives. */
	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"bool\",\"id\":5}");
	shutdown(c.fd, SHUT_WR);
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":true}");
	assert_true(ut_rpc_client_wait_eof(&c));
	ut_rpc_client_close(&c);

	ut_rpc_client_send_str(&good, "{\"method\":\"bool\",\"id\":1}");
	expect_line(&good, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}");
	ut_rpc_client_close(&good);
	ut_rpc_client_idle(&poller);
	assert_int_equal(updk__jsonrpc_server_conn_count(g_server), 0);
}

static void
ten_clients_at_once(void **state)
{
	struct ut_rpc_client c[10];
	char req[128], resp[128];
	int i;

	for (i = 0; i < 10; i++) {
		client(&c[i]);
	}
	/* Every client sends half a request, then the rest, interleaved. */
	for (i = 0; i < 10; i++) {
		snprintf(req, sizeof(req), "{\"method\":\"add\",\"params\":{\"a\":%d,", i);
		ut_rpc_client_send_str(&c[i], req);
	}
	for (i = 9; i >= 0; i--) {
		snprintf(req, sizeof(req), "\"b\":%d},\"id\":%d}", 100 * i, i);
		ut_rpc_client_send_str(&c[i], req);
	}
	for (i = 0; i < 10; i++) {
		snprintf(resp, sizeof(resp), "{\"jsonrpc\":\"2.0\",\"id\":%d,\"result\":%d}", i,
			 101 * i);
		expect_line(&c[i], resp);
	}
	assert_int_equal(updk__jsonrpc_server_conn_count(g_server), 10);
	for (i = 0; i < 10; i++) {
		ut_rpc_client_close(&c[i]);
	}
}

static void
connections_beyond_limit_are_closed(void **state)
{
	struct ut_rpc_client c[UPDK_JSONRPC_MAX_CONNS + 1];
	int i;

	for (i = 0; i <= UPDK_JSONRPC_MAX_CONNS; i++) {
		client(&c[i]);
		server_poll(g_server);
	}
	assert_int_equal(updk__jsonrpc_server_conn_count(g_server), UPDK_JSONRPC_MAX_CONNS);
	assert_true(ut_rpc_client_wait_eof(&c[UPDK_JSONRPC_MAX_CONNS]));
	ut_rpc_client_send_str(&c[0], "{\"method\":\"bool\",\"id\":1}");
	expect_line(&c[0], "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}");
	for (i = 0; i <= UPDK_JSONRPC_MAX_CONNS; i++) {
		ut_rpc_client_close(&c[i]);
	}
}

static void
large_request_and_response(void **state)
{
	size_t n = 200 * 1024, i;
	struct ut_rpc_client c;
	char *req, *line;

	client(&c);
	req = malloc(n + 64);
	assert_non_null(req);
	i = (size_t)snprintf(req, 64, "{\"method\":\"echo\",\"params\":[\"");
	memset(req + i, 'z', n);
	memcpy(req + i + n, "\"],\"id\":1}", 11);
	ut_rpc_client_send(&c, req, strlen(req));
	line = ut_rpc_client_read_line(&c);
	assert_non_null(line);
	assert_int_equal(strlen(line),
			 strlen("{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":[\"\"]}") + n);
	free(line);
	free(req);

	/* Many pipelined requests are all answered, in order. */
	req = malloc(300 * 64);
	assert_non_null(req);
	req[0] = '\0';
	for (i = 0; i < 300; i++) {
		snprintf(req + strlen(req), 64, "{\"method\":\"bool\",\"id\":%zu}", i);
	}
	ut_rpc_client_send_str(&c, req);
	for (i = 0; i < 300; i++) {
		char expected[64];

		snprintf(expected, sizeof(expected),
			 "{\"jsonrpc\":\"2.0\",\"id\":%zu,"
			 "\"result\":true}",
			 i);
		expect_line(&c, expected);
	}
	free(req);
	ut_rpc_client_close(&c);
}

static void
socket_file_mode_and_reuse(void **state)
{
	struct spdk_jsonrpc_server *other = NULL;
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	char path[160];
	struct stat st;
	int fd;

	assert_int_equal(stat(g_path, &st), 0);
	assert_true(S_ISSOCK(st.st_mode));
	assert_int_equal(st.st_mode & 0777, 0600);

	/* A live socket is not taken over. */
	memcpy(un.sun_path, g_path, strlen(g_path));
	ut_log_clear();
	assert_int_equal(updk__jsonrpc_server_listen(AF_UNIX, 0, (struct sockaddr *)&un, sizeof(un),
						     test_handler, &other),
			 -EADDRINUSE);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "another process is listening on",
					       g_path, NULL),
			 1);
	assert_null(spdk_jsonrpc_server_listen(AF_UNIX, 0, (struct sockaddr *)&un, sizeof(un),
					       test_handler));

	/* A stale one (nobody listening) is replaced. */
	snprintf(path, sizeof(path), "%s/stale.sock", g_dir);
	memset(un.sun_path, 0, sizeof(un.sun_path));
	memcpy(un.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&un, sizeof(un)), 0);
	close(fd);
	assert_int_equal(access(path, F_OK), 0);
	assert_int_equal(updk__jsonrpc_server_listen(AF_UNIX, 0, (struct sockaddr *)&un, sizeof(un),
						     test_handler, &other),
			 0);
	spdk_jsonrpc_server_shutdown(other);
	assert_int_not_equal(access(path, F_OK), 0);

	/* A file that is not a socket is left alone. */
	fd = open(path, O_CREAT | O_WRONLY, 0600);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(updk__jsonrpc_server_listen(AF_UNIX, 0, (struct sockaddr *)&un, sizeof(un),
						     test_handler, &other),
			 -EEXIST);
	assert_int_equal(access(path, F_OK), 0);
	unlink(path);
}

static void
tcp_server_works(void **state)
{
	struct sockaddr_in in = {.sin_family = AF_INET};
	struct spdk_jsonrpc_server *tcp = NULL;
	struct ut_rpc_client c;
	socklen_t len = sizeof(in);

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	assert_int_equal(updk__jsonrpc_server_listen(AF_INET, 0, (struct sockaddr *)&in, sizeof(in),
						     test_handler, &tcp),
			 0);
	assert_int_equal(getsockname(tcp->sockfd, (struct sockaddr *)&in, &len), 0);
	assert_int_equal(ut_rpc_client_connect_tcp(&c, ntohs(in.sin_port), server_poll, tcp), 0);
	ut_rpc_client_send_str(&c, "{\"method\":\"add\",\"params\":{\"a\":2,\"b\":3},\"id\":1}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":5}");
	ut_rpc_client_close(&c);
	spdk_jsonrpc_server_shutdown(tcp);
}

static void
shutdown_with_request_pending(void **state)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct spdk_jsonrpc_server *server = NULL;
	struct ut_rpc_client c;
	char path[160];

	snprintf(path, sizeof(path), "%s/other.sock", g_dir);
	memcpy(un.sun_path, path, strlen(path));
	assert_int_equal(updk__jsonrpc_server_listen(AF_UNIX, 0, (struct sockaddr *)&un, sizeof(un),
						     test_handler, &server),
			 0);
	assert_int_equal(ut_rpc_client_connect_unix(&c, path, server_poll, server), 0);
	ut_rpc_client_send_str(&c, "{\"method\":\"slow\",\"id\":1}");
	assert_true(ut_rpc_client_idle(&c));
	assert_int_equal(g_num_pending, 1);
	assert_int_equal(spdk_jsonrpc_get_conn(g_pending[0])->close_cb, NULL);
	spdk_jsonrpc_conn_add_close_cb(spdk_jsonrpc_get_conn(g_pending[0]), conn_closed, NULL);
	g_close_cb_calls = 0;
	spdk_jsonrpc_server_shutdown(server);
	assert_int_equal(g_close_cb_calls, 1);
	assert_int_not_equal(access(path, F_OK), 0);
	/* The late response goes nowhere, and the orphaned connection is freed. */
	finish_slow();
	c.poll = threads_poll;
	assert_true(ut_rpc_client_wait_eof(&c));
	ut_rpc_client_close(&c);
}

static void
shutdown_from_a_handler(void **state)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	struct spdk_jsonrpc_server *server = NULL;
	struct ut_rpc_client c;
	char path[160];

	snprintf(path, sizeof(path), "%s/self.sock", g_dir);
	memcpy(un.sun_path, path, strlen(path));
	assert_int_equal(updk__jsonrpc_server_listen(AF_UNIX, 0, (struct sockaddr *)&un, sizeof(un),
						     test_handler, &server),
			 0);
	assert_int_equal(ut_rpc_client_connect_unix(&c, path, server_poll, server), 0);
	ut_rpc_client_send_str(&c, "{\"method\":\"slow\",\"id\":1}");
	server_poll(server);
	assert_int_equal(g_num_pending, 1);
	/* As if the handler shut the server down while being polled: the server
	 * is then only marked, and stays valid, which GCC cannot see. */
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wuse-after-free"
#endif
	server->in_poll = true;
	spdk_jsonrpc_server_shutdown(server);
	assert_true(server->shutdown_requested);
	server->in_poll = false;
	finish_slow();
	spdk_jsonrpc_server_shutdown(server);
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif
	c.poll = threads_poll;
	assert_true(ut_rpc_client_wait_eof(&c));
	ut_rpc_client_close(&c);
}

static void
local_request_needs_a_response_fn(void **state)
{
	assert_null(updk__jsonrpc_request_create_local(NULL, NULL));
}

static char *g_local_text;

static void
local_response(void *ctx, char *response, size_t len)
{
	assert_int_equal(strlen(response), len);
	g_local_text = response;
}

static void
local_request_gets_result_and_error(void **state)
{
	struct spdk_jsonrpc_request *req;
	struct spdk_json_write_ctx *w;

	req = updk__jsonrpc_request_create_local(local_response, NULL);
	assert_non_null(req);
	assert_null(spdk_jsonrpc_get_conn(req));
	w = spdk_jsonrpc_begin_result(req);
	spdk_json_write_string(w, "done");
	spdk_jsonrpc_end_result(req, w);
	assert_string_equal(g_local_text, "{\"jsonrpc\":\"2.0\",\"id\":null,\"result\":\"done\"}");
	free(g_local_text);

	req = updk__jsonrpc_request_create_local(local_response, NULL);
	spdk_jsonrpc_send_error_response(req, -EEXIST, NULL);
	assert_string_equal(g_local_text,
			    "{\"jsonrpc\":\"2.0\",\"id\":null,\"error\":{\"code\":-17,"
			    "\"message\":\"\"}}");
	free(g_local_text);
	g_local_text = NULL;
}

static void
request_log_goes_to_file(void **state)
{
	struct ut_rpc_client c;
	char buf[512] = "";
	FILE *f = tmpfile();

	assert_non_null(f);
	spdk_jsonrpc_set_log_file(f);
	spdk_jsonrpc_set_log_level(SPDK_LOG_NOTICE);
	client(&c);
	ut_rpc_client_send_str(&c, "{\"method\":\"bool\",\"id\":1}");
	expect_line(&c, "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}");
	ut_rpc_client_close(&c);
	spdk_jsonrpc_set_log_level(SPDK_LOG_DISABLED);
	spdk_jsonrpc_set_log_file(NULL);
	rewind(f);
	assert_true(fread(buf, 1, sizeof(buf) - 1, f) > 0);
	fclose(f);
	assert_non_null(strstr(buf, "request: {\"method\":\"bool\",\"id\":1}"));
	assert_non_null(strstr(buf, "response: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":true}"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(single_request_gets_result, setup, teardown),
		cmocka_unit_test_setup_teardown(request_split_across_writes, setup, teardown),
		cmocka_unit_test_setup_teardown(concatenated_requests_each_answered, setup,
						teardown),
		cmocka_unit_test_setup_teardown(batch_answered_as_array, setup, teardown),
		cmocka_unit_test_setup_teardown(notification_gets_no_result, setup, teardown),
		cmocka_unit_test_setup_teardown(invalid_requests_get_invalid_request, setup,
						teardown),
		cmocka_unit_test_setup_teardown(garbage_gets_parse_error_and_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(oversized_request_gets_error_and_close, setup,
						teardown),
		cmocka_unit_test_setup_teardown(response_sent_after_handler_returns, setup,
						teardown),
		cmocka_unit_test_setup_teardown(close_cb_handler_registers, setup, teardown),
		cmocka_unit_test_setup_teardown(client_disconnect_mid_request, setup, teardown),
		cmocka_unit_test_setup_teardown(ten_clients_at_once, setup, teardown),
		cmocka_unit_test_setup_teardown(connections_beyond_limit_are_closed, setup,
						teardown),
		cmocka_unit_test_setup_teardown(large_request_and_response, setup, teardown),
		cmocka_unit_test_setup_teardown(socket_file_mode_and_reuse, setup, teardown),
		cmocka_unit_test_setup_teardown(tcp_server_works, setup, teardown),
		cmocka_unit_test_setup_teardown(shutdown_with_request_pending, setup, teardown),
		cmocka_unit_test_setup_teardown(shutdown_from_a_handler, setup, teardown),
		cmocka_unit_test_setup_teardown(local_request_needs_a_response_fn, setup, teardown),
		cmocka_unit_test_setup_teardown(local_request_gets_result_and_error, setup,
						teardown),
		cmocka_unit_test_setup_teardown(request_log_goes_to_file, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
