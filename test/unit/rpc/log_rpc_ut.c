/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/rpc/log_rpc.c: the log_* RPC methods change and report
 * the log flags and thresholds by name, and reject bad parameters with
 * Invalid params.
 */

#include "spdk/stdinc.h"
#include "spdk/log.h"
#include "rpc/log_rpc.c"

#include "rpc_call.h"

#include <setjmp.h>
#include <cmocka.h>

SPDK_LOG_REGISTER_COMPONENT(log_rpc_ut_flag)

static void
print_level_by_name(void **state)
{
	enum spdk_log_level saved = spdk_log_get_print_level();
	struct ut_call c;

	assert_int_equal(ut_call("log_set_print_level", "{\"level\": \"debug\"}", &c), 0);
	assert_int_equal(c.code, 0);
	assert_string_equal(c.result, "true");
	assert_int_equal(spdk_log_get_print_level(), SPDK_LOG_DEBUG);
	assert_int_equal(ut_call("log_get_print_level", NULL, &c), 0);
	assert_string_equal(c.result, "\"DEBUG\"");

	assert_int_equal(ut_call("log_set_print_level", "{\"level\": \"WARN\"}", &c), 0);
	assert_int_equal(ut_call("log_get_print_level", NULL, &c), 0);
	assert_string_equal(c.result, "\"WARNING\"");

	assert_int_equal(ut_call("log_set_print_level", "{\"level\": \"loud\"}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
	assert_non_null(strstr(c.message, "Invalid log level 'loud'"));
	assert_int_equal(ut_call("log_set_print_level", "{\"level\": 3}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
	assert_int_equal(ut_call("log_set_print_level", NULL, &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
	assert_int_equal(ut_call("log_get_print_level", "{}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
	spdk_log_set_print_level(saved);
}

static void
syslog_level_by_name(void **state)
{
	enum spdk_log_level saved = spdk_log_get_level();
	struct ut_call c;

	assert_int_equal(ut_call("log_set_level", "{\"level\": \"NOTICE\"}", &c), 0);
	assert_int_equal(c.code, 0);
	assert_int_equal(spdk_log_get_level(), SPDK_LOG_NOTICE);
	assert_int_equal(ut_call("log_get_level", NULL, &c), 0);
	assert_string_equal(c.result, "\"NOTICE\"");
	assert_int_equal(ut_call("log_set_level", "{\"level\": \"disabled\"}", &c), 0);
	assert_int_equal(ut_call("log_get_level", NULL, &c), 0);
	assert_string_equal(c.result, "\"DISABLED\"");
	spdk_log_set_level(saved);
}

static void
flags_set_clear_and_list(void **state)
{
	struct ut_call c;

	assert_int_equal(ut_call("log_set_flag", "{\"flag\": \"log_rpc_ut_flag\"}", &c), 0);
	assert_int_equal(c.code, 0);
	assert_true(spdk_log_get_flag("log_rpc_ut_flag"));
	assert_int_equal(ut_call("log_get_flags", NULL, &c), 0);
	assert_non_null(strstr(c.result, "\"log_rpc_ut_flag\":true"));

	assert_int_equal(ut_call("log_clear_flag", "{\"flag\": \"log_rpc_ut_*\"}", &c), 0);
	assert_int_equal(c.code, 0);
	assert_false(spdk_log_get_flag("log_rpc_ut_flag"));
	assert_int_equal(ut_call("log_get_flags", NULL, &c), 0);
	assert_non_null(strstr(c.result, "\"log_rpc_ut_flag\":false"));

	assert_int_equal(ut_call("log_set_flag", "{\"flag\": \"zz_no_such_flag\"}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
	assert_non_null(strstr(c.message, "zz_no_such_flag"));
	assert_int_equal(ut_call("log_set_flag", "{\"name\": \"x\"}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
	assert_int_equal(ut_call("log_get_flags", "[]", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
}

static void
timestamps_switch(void **state)
{
	struct ut_call c;

	assert_int_equal(ut_call("log_enable_timestamps", "{\"enabled\": false}", &c), 0);
	assert_int_equal(c.code, 0);
	assert_int_equal(ut_call("log_enable_timestamps", "{\"enabled\": \"yes\"}", &c), 0);
	assert_int_equal(c.code, SPDK_JSONRPC_ERROR_INVALID_PARAMS);
}

static int
setup(void **state)
{
	return ut_threads_init(1);
}

static int
teardown(void **state)
{
	return ut_threads_fini();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(print_level_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(syslog_level_by_name, setup, teardown),
		cmocka_unit_test_setup_teardown(flags_set_clear_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(timestamps_switch, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
