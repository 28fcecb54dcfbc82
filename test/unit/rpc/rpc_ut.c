/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/rpc/rpc.c: method and alias registration and their
 * checks, the startup/runtime state as seen through a real RPC server (Unix
 * and TCP) and through in-process calls, the built-in rpc_get_methods and
 * spdk_get_version, the allowlist, listen errors, and the in-process call
 * contract (completion always later, exactly once, on the calling thread,
 * for handlers that respond at once or later).
 */

#include "spdk/stdinc.h"
#include "spdk/util.h"
#include "rpc/rpc.c"

#include "rpc_call.h"
#include "ut_rpc_client.h"

#include <setjmp.h>
#include <cmocka.h>

static char g_dir[64];
static char g_path[128];
static struct spdk_jsonrpc_request *g_async_request;

static void
rpc_ut_name(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
	    const char *name)
{
	struct spdk_json_write_ctx *w = spdk_jsonrpc_begin_result(request);

	spdk_json_write_string(w, name);
	spdk_jsonrpc_end_result(request, w);
}

static void
rpc_ut_startup(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_ut_name(request, params, "startup");
}
SPDK_RPC_REGISTER("ut_startup", rpc_ut_startup, SPDK_RPC_STARTUP)

static void
rpc_ut_runtime(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_ut_name(request, params, "runtime");
}
SPDK_RPC_REGISTER("ut_runtime", rpc_ut_runtime, SPDK_RPC_RUNTIME)

static void
rpc_ut_both(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_ut_name(request, params, "both");
}
SPDK_RPC_REGISTER("ut_both", rpc_ut_both, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)
SPDK_RPC_REGISTER_ALIAS_DEPRECATED(ut_both, ut_old_both)

struct ut_add {
	int32_t a;
	int32_t b;
};

static const struct spdk_json_object_decoder ut_add_decoders[] = {
	{"a", offsetof(struct ut_add, a), spdk_json_decode_int32},
	{"b", offsetof(struct ut_add, b), spdk_json_decode_int32},
};

static void
rpc_ut_add(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w;
	struct ut_add req = {};

	if (spdk_json_decode_object(params, ut_add_decoders, SPDK_COUNTOF(ut_add_decoders), &req)) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		return;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_int32(w, "sum", req.a + req.b);
	spdk_json_write_object_end(w);
	spdk_jsonrpc_end_result(request, w);
}
SPDK_RPC_REGISTER("ut_add", rpc_ut_add, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_ut_async(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	g_async_request = request;
}
SPDK_RPC_REGISTER("ut_async", rpc_ut_async, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_ut_fail(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	spdk_jsonrpc_send_error_response(request, -ENODEV, spdk_strerror(ENODEV));
}
SPDK_RPC_REGISTER("ut_fail", rpc_ut_fail, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
poll_default_server(void *ctx)
{
	ut_set_thread(0);
	spdk_rpc_accept();
	ut_poll_threads();
}

static void
poll_server(void *ctx)
{
	ut_set_thread(0);
	spdk_rpc_server_accept(ctx);
	ut_poll_threads();
}

static int
setup(void **state)
{
	snprintf(g_dir, sizeof(g_dir), "/tmp/updk_rpc_ut.XXXXXX");
	if (mkdtemp(g_dir) == NULL) {
		return -1;
	}
	snprintf(g_path, sizeof(g_path), "%s/spdk.sock", g_dir);
	spdk_rpc_set_state(SPDK_RPC_STARTUP);
	return ut_threads_init(1);
}

static int
teardown(void **state)
{
	spdk_rpc_close();
	spdk_rpc_set_allowlist(NULL);
	spdk_rpc_set_state(SPDK_RPC_STARTUP);
	rmdir(g_dir);
	return ut_threads_fini();
}

static char *
request(struct ut_rpc_client *c, const char *text)
{
	char *line;

	assert_int_equal(ut_rpc_client_send_str(c, text), 0);
	line = ut_rpc_client_read_line(c);
	assert_non_null(line);
	return line;
}

static void
expect(struct ut_rpc_client *c, const char *text, const char *response)
{
	char *line = request(c, text);

	assert_string_equal(line, response);
	free(line);
}

static void
registrations_are_consistent(void **state)
{
	uint32_t mask;

	assert_true(spdk_rpc_verify_methods());
	assert_int_equal(spdk_rpc_get_method_state_mask("ut_startup", &mask), 0);
	assert_int_equal(mask, SPDK_RPC_STARTUP);
	assert_int_equal(spdk_rpc_get_method_state_mask("ut_runtime", &mask), 0);
	assert_int_equal(mask, SPDK_RPC_RUNTIME);
	assert_int_equal(spdk_rpc_get_method_state_mask("ut_old_both", &mask), 0);
	assert_int_equal(mask, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME);
	assert_int_equal(spdk_rpc_get_method_state_mask("rpc_get_methods", &mask), 0);
	assert_int_equal(spdk_rpc_get_method_state_mask("nope", &mask), -ENOENT);
	assert_int_equal(spdk_rpc_get_method_state_mask(NULL, &mask), -EINVAL);
	assert_int_equal(spdk_rpc_is_method_allowed("ut_startup", SPDK_RPC_STARTUP), 0);
	assert_int_equal(spdk_rpc_is_method_allowed("ut_startup", SPDK_RPC_RUNTIME), -EPERM);
	assert_int_equal(spdk_rpc_is_method_allowed("ut_both", SPDK_RPC_RUNTIME), 0);
	assert_int_equal(spdk_rpc_is_method_allowed("nope", SPDK_RPC_RUNTIME), -ENOENT);
	assert_int_equal(spdk_rpc_get_state(), SPDK_RPC_STARTUP);
}

static void
server_gates_methods_by_state(void **state)
{
	struct ut_rpc_client c;
	struct stat st;
	char *line;

	assert_int_equal(spdk_rpc_listen(g_path), 0);
	assert_int_equal(stat(g_path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(ut_rpc_client_connect_unix(&c, g_path, poll_default_server, NULL), 0);

	expect(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"ut_startup\",\"id\":1}",
	       "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"startup\"}");
	line = request(&c, "{\"jsonrpc\":\"2.0\",\"method\":\"ut_runtime\",\"id\":2}");
	assert_non_null(strstr(line, "\"id\":2,\"error\":{\"code\":-1,\"message\":\"Method may "
				     "only be called after"));
	free(line);

	/* An alias works and warns once. */
	ut_log_clear();
	expect(&c, "{\"method\":\"ut_old_both\",\"id\":3}",
	       "{\"jsonrpc\":\"2.0\",\"id\":3,\"result\":\"both\"}");
	expect(&c, "{\"method\":\"ut_old_both\",\"id\":4}",
	       "{\"jsonrpc\":\"2.0\",\"id\":4,\"result\":\"both\"}");
	assert_int_equal(ut_log_count_matching(SPDK_LOG_WARN, "ut_old_both is deprecated",
					       "use ut_both", NULL),
			 1);

	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	expect(&c, "{\"method\":\"ut_runtime\",\"id\":5}",
	       "{\"jsonrpc\":\"2.0\",\"id\":5,\"result\":\"runtime\"}");
	line = request(&c, "{\"method\":\"ut_startup\",\"id\":6}");
	assert_non_null(strstr(line, "{\"code\":-1,\"message\":\"Method may only be called "
				     "before"));
	free(line);

	expect(&c, "{\"method\":\"no_such_method\",\"id\":7}",
	       "{\"jsonrpc\":\"2.0\",\"id\":7,\"error\":{\"code\":-32601,"
	       "\"message\":\"Method not found\"}}");
	expect(&c, "{\"method\":\"ut_add\",\"params\":{\"a\":\"x\"},\"id\":8}",
	       "{\"jsonrpc\":\"2.0\",\"id\":8,\"error\":{\"code\":-32602,"
	       "\"message\":\"Invalid parameters\"}}");
	expect(&c, "{\"method\":\"ut_fail\",\"id\":9}",
	       "{\"jsonrpc\":\"2.0\",\"id\":9,\"error\":{\"code\":-19,"
	       "\"message\":\"No such device\"}}");
	ut_rpc_client_close(&c);

	spdk_rpc_close();
	assert_int_not_equal(access(g_path, F_OK), 0);
}

static void
builtin_methods(void **state)
{
	struct ut_call c;

	assert_int_equal(ut_call("spdk_get_version", NULL, &c), 0);
	assert_int_equal(c.code, 0);
	assert_non_null(strstr(c.result, "{\"version\":\"updk v"));
	assert_non_null(strstr(c.result, "\"fields\":{\"major\":"));
	assert_non_null(strstr(c.result, "\"suffix\":\"\"}}"));
	assert_int_equal(ut_call("spdk_get_version", "{}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);

	/* Startup state: runtime-only methods are left out of the current list. */
	assert_int_equal(ut_call("rpc_get_methods", "{\"current\": true}", &c), 0);
	assert_int_equal(c.code, 0);
	assert_non_null(strstr(c.result, "\"ut_startup\""));
	assert_non_null(strstr(c.result, "\"rpc_get_methods\""));
	assert_non_null(strstr(c.result, "\"spdk_get_version\""));
	assert_null(strstr(c.result, "\"ut_runtime\""));
	assert_null(strstr(c.result, "\"ut_old_both\""));

	assert_int_equal(ut_call("rpc_get_methods", NULL, &c), 0);
	assert_non_null(strstr(c.result, "\"ut_runtime\""));
	assert_null(strstr(c.result, "\"ut_old_both\""));
	assert_int_equal(ut_call("rpc_get_methods", "{\"include_aliases\": true}", &c), 0);
	assert_non_null(strstr(c.result, "\"ut_old_both\""));
	assert_int_equal(ut_call("rpc_get_methods", "{\"current\": 1}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
}

static void
listen_errors(void **state)
{
	struct spdk_rpc_server *other;
	char longpath[200];

	assert_int_equal(spdk_rpc_listen(g_path), 0);
	assert_int_equal(spdk_rpc_listen(g_path), -EEXIST);
	/* Somebody (here: the default server) listens there already. */
	ut_log_clear();
	assert_null(spdk_rpc_server_listen(g_path));
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "another process is listening on", NULL), 1);
	spdk_rpc_close();

	/* With it gone, the path is free again. */
	other = spdk_rpc_server_listen(g_path);
	assert_non_null(other);
	assert_int_equal(spdk_rpc_listen(g_path), -EADDRINUSE);
	spdk_rpc_server_close(other);

	assert_int_equal(spdk_rpc_listen(""), -EINVAL);
	assert_int_equal(spdk_rpc_listen(NULL), -EINVAL);
	memset(longpath, 'a', sizeof(longpath) - 1);
	longpath[0] = '/';
	longpath[sizeof(longpath) - 1] = '\0';
	assert_int_equal(spdk_rpc_listen(longpath), -ENAMETOOLONG);
	spdk_rpc_accept();
	spdk_rpc_close();
	spdk_rpc_server_accept(NULL);
	spdk_rpc_server_close(NULL);
}

static void
tcp_address_listens_on_tcp(void **state)
{
	struct spdk_rpc_server *server;
	struct ut_rpc_client c;
	char addr[64];
	uint16_t port = ut_rpc_free_tcp_port();

	assert_true(port != 0);
	snprintf(addr, sizeof(addr), "127.0.0.1:%u", port);
	server = spdk_rpc_server_listen(addr);
	assert_non_null(server);
	/* No Unix socket file of that name appeared. */
	assert_int_not_equal(access(addr, F_OK), 0);
	assert_int_equal(ut_rpc_client_connect_tcp(&c, port, poll_server, server), 0);
	expect(&c, "{\"method\":\"ut_add\",\"params\":{\"a\":20,\"b\":22},\"id\":1}",
	       "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":{\"sum\":42}}");
	ut_rpc_client_close(&c);
	spdk_rpc_server_close(server);

	/* Not IP:PORT, so a Unix path (the port is not a number). */
	assert_false(rpc_parse_ip("127.0.0.1:http", &(struct sockaddr_storage){}, &(socklen_t){0}));
	assert_false(rpc_parse_ip("127.0.0.1:0", &(struct sockaddr_storage){}, &(socklen_t){0}));
	assert_false(
		rpc_parse_ip("127.0.0.1:70000", &(struct sockaddr_storage){}, &(socklen_t){0}));
	assert_false(rpc_parse_ip("host:5260", &(struct sockaddr_storage){}, &(socklen_t){0}));
	assert_true(rpc_parse_ip("[::1]:5260", &(struct sockaddr_storage){}, &(socklen_t){0}));
}

static void
allowlist_limits_servers_only(void **state)
{
	const char *allow[] = {"spdk_get_version", "ut_both", NULL};
	struct ut_rpc_client c;
	struct ut_call call;
	char *line;

	assert_int_equal(spdk_rpc_listen(g_path), 0);
	assert_int_equal(ut_rpc_client_connect_unix(&c, g_path, poll_default_server, NULL), 0);
	spdk_rpc_set_allowlist(allow);
	expect(&c, "{\"method\":\"rpc_get_methods\",\"id\":1}",
	       "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32601,"
	       "\"message\":\"Method not allowed\"}}");
	expect(&c, "{\"method\":\"ut_both\",\"id\":2}",
	       "{\"jsonrpc\":\"2.0\",\"id\":2,\"result\":\"both\"}");
	line = request(&c, "{\"method\":\"spdk_get_version\",\"id\":3}");
	assert_non_null(strstr(line, "\"result\":{\"version\""));
	free(line);
	/* The application's own calls are not restricted. */
	assert_int_equal(ut_call("rpc_get_methods", NULL, &call), 0);
	assert_int_equal(call.code, 0);

	spdk_rpc_set_allowlist(NULL);
	line = request(&c, "{\"method\":\"rpc_get_methods\",\"id\":4}");
	assert_non_null(strstr(line, "\"result\":["));
	free(line);
	ut_rpc_client_close(&c);
}

static void
local_call_completes_later_once(void **state)
{
	struct ut_call c;

	assert_int_equal(ut_call("ut_add", "{\"a\": 1, \"b\": 2}", &c), 0);
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.code, 0);
	assert_string_equal(c.message, "");
	assert_string_equal(c.result, "{\"sum\":3}");

	assert_int_equal(ut_call("ut_add", "{\"a\": 1}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
	assert_string_equal(c.message, "Invalid parameters");
	assert_string_equal(c.result, "");

	assert_int_equal(ut_call("ut_fail", NULL, &c), 0);
	assert_int_equal(c.code, -ENODEV);
	assert_string_equal(c.message, "No such device");

	/* An alias. */
	assert_int_equal(ut_call("ut_old_both", "[1, 2]", &c), 0);
	assert_string_equal(c.result, "\"both\"");
}

static void
plain_done(void *arg, int code, const char *message)
{
	struct ut_call *c = arg;

	c->calls++;
	c->code = code;
	snprintf(c->message, sizeof(c->message), "%s", message != NULL ? message : "(null)");
}

static void
local_call_async_handler(void **state)
{
	struct ut_call c = {};
	struct spdk_json_write_ctx *w;

	ut_set_thread(0);
	g_async_request = NULL;
	assert_int_equal(updk__rpc_call_method("ut_async", NULL, plain_done, &c), 0);
	ut_poll_threads();
	assert_non_null(g_async_request);
	assert_int_equal(c.calls, 0);
	/* The handler answers later, from a poll of its thread. */
	w = spdk_jsonrpc_begin_result(g_async_request);
	spdk_json_write_uint32(w, 5);
	spdk_jsonrpc_end_result(g_async_request, w);
	assert_int_equal(c.calls, 0);
	ut_poll_threads();
	assert_int_equal(c.calls, 1);
	assert_int_equal(c.code, 0);
	assert_string_equal(c.message, "(null)");
}

static void
local_call_refusals(void **state)
{
	struct spdk_json_val str = {
		.start = (void *)(uintptr_t) "x", .len = 1, .type = SPDK_JSON_VAL_STRING};
	struct ut_call c = {};

	ut_set_thread(0);
	assert_int_equal(updk__rpc_call_method("no_such", NULL, plain_done, &c), -ENOENT);
	assert_int_equal(updk__rpc_call_method("ut_runtime", NULL, plain_done, &c), -EPERM);
	assert_int_equal(updk__rpc_call_method("ut_add", &str, plain_done, &c), -EINVAL);
	assert_int_equal(updk__rpc_call_method("ut_add", NULL, NULL, &c), -EINVAL);
	assert_int_equal(updk__rpc_call_method_ext("ut_add", NULL, NULL, &c), -EINVAL);
	assert_int_equal(updk__rpc_call_method(NULL, NULL, plain_done, &c), -EINVAL);
	ut_set_thread(UT_NO_THREAD);
	assert_int_equal(updk__rpc_call_method("ut_add", NULL, plain_done, &c), -EINVAL);
	ut_set_thread(0);
	ut_poll_threads();
	assert_int_equal(c.calls, 0);

	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	assert_int_equal(updk__rpc_call_method("ut_startup", NULL, plain_done, &c), -EPERM);
	assert_int_equal(updk__rpc_call_method("ut_runtime", NULL, plain_done, &c), 0);
	ut_poll_threads();
	assert_int_equal(c.calls, 1);
}

/* Runs last: it leaves bad registrations behind. */
static void
bad_registrations_are_reported(void **state)
{
	ut_log_clear();
	spdk_rpc_register_method("ut_add", rpc_ut_add, SPDK_RPC_RUNTIME);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "ut_add is registered twice", NULL),
			 1);
	assert_false(spdk_rpc_verify_methods());
	g_rpc_registration_failed = false;
	assert_true(spdk_rpc_verify_methods());

	spdk_rpc_register_method(NULL, rpc_ut_add, SPDK_RPC_RUNTIME);
	spdk_rpc_register_method("x", NULL, SPDK_RPC_RUNTIME);
	assert_false(spdk_rpc_verify_methods());
	g_rpc_registration_failed = false;

	spdk_rpc_register_alias_deprecated("ut_add", "ut_add");
	assert_false(spdk_rpc_verify_methods());
	g_rpc_registration_failed = false;

	spdk_rpc_register_alias_deprecated("not_there", "ut_dangling");
	spdk_rpc_register_alias_deprecated("ut_old_both", "ut_alias_of_alias");
	ut_log_clear();
	assert_false(spdk_rpc_verify_methods());
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "ut_dangling", "not_there", NULL),
			 1);
	assert_int_equal(
		ut_log_count_matching(SPDK_LOG_ERROR, "ut_alias_of_alias", "an alias itself", NULL),
		1);
	assert_int_equal(spdk_rpc_is_method_allowed("ut_dangling", SPDK_RPC_STARTUP), -ENOENT);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(registrations_are_consistent, setup, teardown),
		cmocka_unit_test_setup_teardown(server_gates_methods_by_state, setup, teardown),
		cmocka_unit_test_setup_teardown(builtin_methods, setup, teardown),
		cmocka_unit_test_setup_teardown(listen_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(tcp_address_listens_on_tcp, setup, teardown),
		cmocka_unit_test_setup_teardown(allowlist_limits_servers_only, setup, teardown),
		cmocka_unit_test_setup_teardown(local_call_completes_later_once, setup, teardown),
		cmocka_unit_test_setup_teardown(local_call_async_handler, setup, teardown),
		cmocka_unit_test_setup_teardown(local_call_refusals, setup, teardown),
		cmocka_unit_test_setup_teardown(bad_registrations_are_reported, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
