/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * RPC methods for logging (spdk/log.h): component flags, the stderr and
 * syslog thresholds by level name, and timestamps. All of them may be called
 * at startup and at runtime.
 *
 *   method                 params                      result
 *   ---------------------  --------------------------  ---------------------------
 *   log_set_flag           flag (string, R)            true
 *   log_clear_flag         flag (string, R)            true
 *   log_get_flags          none                        {"<flag>": bool, ...}
 *   log_set_print_level    level (string, R)           true
 *   log_get_print_level    none                        "<LEVEL>"
 *   log_set_level          level (string, R)           true
 *   log_get_level          none                        "<LEVEL>"
 *   log_enable_timestamps  enabled (bool, R)           true
 *
 * Level names: ERROR, WARNING (or WARN), NOTICE, INFO, DEBUG, and DISABLED;
 * any case. A flag is a name, a glob, or "all" (see spdk_log_set_flag()).
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/util.h"

struct log_level_name {
	const char *name;
	enum spdk_log_level level;
};

/* The first name of each level is the one reported. */
static const struct log_level_name g_log_level_names[] = {
	{"DISABLED", SPDK_LOG_DISABLED}, {"ERROR", SPDK_LOG_ERROR},   {"WARNING", SPDK_LOG_WARN},
	{"WARN", SPDK_LOG_WARN},         {"NOTICE", SPDK_LOG_NOTICE}, {"INFO", SPDK_LOG_INFO},
	{"DEBUG", SPDK_LOG_DEBUG},
};

static int
log_level_from_name(const char *name, enum spdk_log_level *level)
{
	size_t i;

	for (i = 0; i < SPDK_COUNTOF(g_log_level_names); i++) {
		if (strcasecmp(name, g_log_level_names[i].name) == 0) {
			*level = g_log_level_names[i].level;
			return 0;
		}
	}
	return -EINVAL;
}

static const char *
log_level_to_name(enum spdk_log_level level)
{
	size_t i;

	for (i = 0; i < SPDK_COUNTOF(g_log_level_names); i++) {
		if (g_log_level_names[i].level == level) {
			return g_log_level_names[i].name;
		}
	}
	return "UNKNOWN";
}

struct rpc_log_flag {
	char *flag;
};

static const struct spdk_json_object_decoder rpc_log_flag_decoders[] = {
	{"flag", offsetof(struct rpc_log_flag, flag), spdk_json_decode_string},
};

static void
rpc_log_flag_common(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
		    bool set)
{
	struct rpc_log_flag req = {};
	int rc;

	if (spdk_json_decode_object(params, rpc_log_flag_decoders,
				    SPDK_COUNTOF(rpc_log_flag_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: expected {\"flag\": string}");
		goto out;
	}
	rc = set ? spdk_log_set_flag(req.flag) : spdk_log_clear_flag(req.flag);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "No log flag matches '%s'", req.flag);
		goto out;
	}
	spdk_jsonrpc_send_bool_response(request, true);
out:
	spdk_json_free_object(rpc_log_flag_decoders, SPDK_COUNTOF(rpc_log_flag_decoders), &req);
}

static void
rpc_log_set_flag(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_log_flag_common(request, params, true);
}
SPDK_RPC_REGISTER("log_set_flag", rpc_log_set_flag, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_log_clear_flag(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_log_flag_common(request, params, false);
}
SPDK_RPC_REGISTER("log_clear_flag", rpc_log_clear_flag, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_log_get_flags(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w;
	struct spdk_log_flag *flag;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "log_get_flags takes no parameters");
		return;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_object_begin(w);
	for (flag = spdk_log_get_first_flag(); flag != NULL; flag = spdk_log_get_next_flag(flag)) {
		spdk_json_write_named_bool(w, flag->name, spdk_log_get_flag(flag->name));
	}
	spdk_json_write_object_end(w);
	spdk_jsonrpc_end_result(request, w);
}
SPDK_RPC_REGISTER("log_get_flags", rpc_log_get_flags, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

struct rpc_log_level {
	char *level;
};

static const struct spdk_json_object_decoder rpc_log_level_decoders[] = {
	{"level", offsetof(struct rpc_log_level, level), spdk_json_decode_string},
};

static void
rpc_log_set_level_common(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
			 void (*set)(enum spdk_log_level))
{
	struct rpc_log_level req = {};
	enum spdk_log_level level;

	if (spdk_json_decode_object(params, rpc_log_level_decoders,
				    SPDK_COUNTOF(rpc_log_level_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: expected {\"level\": string}");
		goto out;
	}
	if (log_level_from_name(req.level, &level) != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "Invalid log level '%s' (use ERROR, WARNING, "
						     "NOTICE, INFO, DEBUG or DISABLED)",
						     req.level);
		goto out;
	}
	set(level);
	spdk_jsonrpc_send_bool_response(request, true);
out:
	spdk_json_free_object(rpc_log_level_decoders, SPDK_COUNTOF(rpc_log_level_decoders), &req);
}

static void
rpc_log_get_level_common(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
			 const char *method, enum spdk_log_level level)
{
	struct spdk_json_write_ctx *w;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "%s takes no parameters", method);
		return;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_string(w, log_level_to_name(level));
	spdk_jsonrpc_end_result(request, w);
}

static void
rpc_log_set_print_level(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_log_set_level_common(request, params, spdk_log_set_print_level);
}
SPDK_RPC_REGISTER("log_set_print_level", rpc_log_set_print_level,
		  SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_log_get_print_level(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_log_get_level_common(request, params, "log_get_print_level",
				 spdk_log_get_print_level());
}
SPDK_RPC_REGISTER("log_get_print_level", rpc_log_get_print_level,
		  SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_log_set_level(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_log_set_level_common(request, params, spdk_log_set_level);
}
SPDK_RPC_REGISTER("log_set_level", rpc_log_set_level, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_log_get_level(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_log_get_level_common(request, params, "log_get_level", spdk_log_get_level());
}
SPDK_RPC_REGISTER("log_get_level", rpc_log_get_level, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

struct rpc_log_timestamps {
	bool enabled;
};

static const struct spdk_json_object_decoder rpc_log_timestamps_decoders[] = {
	{"enabled", offsetof(struct rpc_log_timestamps, enabled), spdk_json_decode_bool},
};

static void
rpc_log_enable_timestamps(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_log_timestamps req = {};

	if (spdk_json_decode_object(params, rpc_log_timestamps_decoders,
				    SPDK_COUNTOF(rpc_log_timestamps_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: expected {\"enabled\": bool}");
		return;
	}
	spdk_log_enable_timestamps(req.enabled);
	spdk_jsonrpc_send_bool_response(request, true);
}
SPDK_RPC_REGISTER("log_enable_timestamps", rpc_log_enable_timestamps,
		  SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)
