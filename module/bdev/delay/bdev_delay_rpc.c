/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * RPC methods of the delay bdev module, with SPDK's names and parameters
 * (latencies in microseconds, unsigned 64-bit):
 *
 *   bdev_delay_create          base_bdev_name R, name R, avg_read_latency R,
 *                              p99_read_latency R, avg_write_latency R,
 *                              p99_write_latency R, uuid O      -> the name
 *   bdev_delay_delete          name R                           -> true
 *   bdev_delay_update_latency  delay_bdev_name R, latency_type R (avg_read,
 *                              p99_read, avg_write or p99_write),
 *                              latency_us R                     -> true
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_delay.h"

struct rpc_delay_create {
	char *base_bdev_name;
	char *name;
	char *uuid;
	uint64_t avg_read_latency;
	uint64_t p99_read_latency;
	uint64_t avg_write_latency;
	uint64_t p99_write_latency;
};

static const struct spdk_json_object_decoder rpc_delay_create_decoders[] = {
	{"base_bdev_name", offsetof(struct rpc_delay_create, base_bdev_name),
	 spdk_json_decode_string},
	{"name", offsetof(struct rpc_delay_create, name), spdk_json_decode_string},
	{"uuid", offsetof(struct rpc_delay_create, uuid), spdk_json_decode_string, true},
	{"avg_read_latency", offsetof(struct rpc_delay_create, avg_read_latency),
	 spdk_json_decode_uint64},
	{"p99_read_latency", offsetof(struct rpc_delay_create, p99_read_latency),
	 spdk_json_decode_uint64},
	{"avg_write_latency", offsetof(struct rpc_delay_create, avg_write_latency),
	 spdk_json_decode_uint64},
	{"p99_write_latency", offsetof(struct rpc_delay_create, p99_write_latency),
	 spdk_json_decode_uint64},
};

static void
rpc_bdev_delay_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_delay_create req = {};
	struct spdk_json_write_ctx *w;
	struct spdk_uuid uuid = {};
	int rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_delay_create_decoders,
				    SPDK_COUNTOF(rpc_delay_create_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_delay_create needs "
						 "base_bdev_name, name and the four latencies");
		goto out;
	}
	if (req.uuid != NULL && spdk_uuid_parse(&uuid, req.uuid) != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, -EINVAL, "Invalid UUID '%s'",
						     req.uuid);
		goto out;
	}
	rc = create_delay_disk(req.base_bdev_name, req.name, &uuid, req.avg_read_latency,
			       req.p99_read_latency, req.avg_write_latency, req.p99_write_latency);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		goto out;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_string(w, req.name);
	spdk_jsonrpc_end_result(request, w);
out:
	free(req.base_bdev_name);
	free(req.name);
	free(req.uuid);
}
SPDK_RPC_REGISTER("bdev_delay_create", rpc_bdev_delay_create, SPDK_RPC_RUNTIME)

struct rpc_delay_delete {
	char *name;
};

static const struct spdk_json_object_decoder rpc_delay_delete_decoders[] = {
	{"name", offsetof(struct rpc_delay_delete, name), spdk_json_decode_string},
};

static void
rpc_bdev_delay_delete_done(void *cb_arg, int bdeverrno)
{
	struct spdk_jsonrpc_request *request = cb_arg;

	if (bdeverrno == 0) {
		spdk_jsonrpc_send_bool_response(request, true);
	} else {
		spdk_jsonrpc_send_error_response(request, bdeverrno, spdk_strerror(-bdeverrno));
	}
}

static void
rpc_bdev_delay_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_delay_delete req = {};

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_delay_delete_decoders,
				    SPDK_COUNTOF(rpc_delay_delete_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: bdev_delay_delete needs name");
		goto out;
	}
	delete_delay_disk(req.name, rpc_bdev_delay_delete_done, request);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_delay_delete", rpc_bdev_delay_delete, SPDK_RPC_RUNTIME)

struct rpc_delay_update_latency {
	char *delay_bdev_name;
	char *latency_type;
	uint64_t latency_us;
};

static const struct spdk_json_object_decoder rpc_delay_update_latency_decoders[] = {
	{"delay_bdev_name", offsetof(struct rpc_delay_update_latency, delay_bdev_name),
	 spdk_json_decode_string},
	{"latency_type", offsetof(struct rpc_delay_update_latency, latency_type),
	 spdk_json_decode_string},
	{"latency_us", offsetof(struct rpc_delay_update_latency, latency_us),
	 spdk_json_decode_uint64},
};

static void
rpc_bdev_delay_update_latency(struct spdk_jsonrpc_request *request,
			      const struct spdk_json_val *params)
{
	static const char *const names[] = {
		[DELAY_AVG_READ] = "avg_read",
		[DELAY_P99_READ] = "p99_read",
		[DELAY_AVG_WRITE] = "avg_write",
		[DELAY_P99_WRITE] = "p99_write",
	};
	struct rpc_delay_update_latency req = {};
	int type, rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_delay_update_latency_decoders,
				    SPDK_COUNTOF(rpc_delay_update_latency_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_delay_update_latency "
						 "needs delay_bdev_name, latency_type and "
						 "latency_us");
		goto out;
	}
	for (type = 0; type < (int)SPDK_COUNTOF(names); type++) {
		if (strcmp(req.latency_type, names[type]) == 0) {
			break;
		}
	}
	if (type == (int)SPDK_COUNTOF(names)) {
		spdk_jsonrpc_send_error_response_fmt(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid latency_type '%s': use avg_read, p99_read, avg_write or "
			"p99_write",
			req.latency_type);
		goto out;
	}
	rc = vbdev_delay_update_latency_value(req.delay_bdev_name, req.latency_us,
					      (enum delay_io_type)type);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		goto out;
	}
	spdk_jsonrpc_send_bool_response(request, true);
out:
	free(req.delay_bdev_name);
	free(req.latency_type);
}
SPDK_RPC_REGISTER("bdev_delay_update_latency", rpc_bdev_delay_update_latency, SPDK_RPC_RUNTIME)
