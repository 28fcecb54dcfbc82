/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * RPC methods of the error bdev module, with SPDK's names and parameters:
 *
 *   bdev_error_create        base_name R, uuid O                  -> true
 *   bdev_error_delete        name R                               -> true
 *   bdev_error_inject_error  name R, io_type R (read, write, unmap, flush,
 *                            write_zeroes, all, clear), error_type R
 *                            (failure, pending, corrupt_data, nomem),
 *                            num O (default 1), queue_depth O,
 *                            corrupt_offset O, corrupt_value O    -> true
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_error.h"

struct rpc_error_create {
	char *base_name;
	char *uuid;
};

static const struct spdk_json_object_decoder rpc_error_create_decoders[] = {
	{"base_name", offsetof(struct rpc_error_create, base_name), spdk_json_decode_string},
	{"uuid", offsetof(struct rpc_error_create, uuid), spdk_json_decode_string, true},
};

static void
rpc_bdev_error_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_error_create req = {};
	struct spdk_uuid uuid = {};
	int rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_error_create_decoders,
				    SPDK_COUNTOF(rpc_error_create_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_error_create needs "
						 "base_name (string)");
		goto out;
	}
	if (req.uuid != NULL && spdk_uuid_parse(&uuid, req.uuid) != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, -EINVAL, "Invalid UUID '%s'",
						     req.uuid);
		goto out;
	}
	rc = vbdev_error_create(req.base_name, &uuid);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		goto out;
	}
	spdk_jsonrpc_send_bool_response(request, true);
out:
	free(req.base_name);
	free(req.uuid);
}
SPDK_RPC_REGISTER("bdev_error_create", rpc_bdev_error_create, SPDK_RPC_RUNTIME)

struct rpc_error_delete {
	char *name;
};

static const struct spdk_json_object_decoder rpc_error_delete_decoders[] = {
	{"name", offsetof(struct rpc_error_delete, name), spdk_json_decode_string},
};

static void
rpc_bdev_error_delete_done(void *cb_arg, int bdeverrno)
{
	struct spdk_jsonrpc_request *request = cb_arg;

	if (bdeverrno == 0) {
		spdk_jsonrpc_send_bool_response(request, true);
	} else {
		spdk_jsonrpc_send_error_response(request, bdeverrno, spdk_strerror(-bdeverrno));
	}
}

static void
rpc_bdev_error_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_error_delete req = {};

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_error_delete_decoders,
				    SPDK_COUNTOF(rpc_error_delete_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: bdev_error_delete needs name");
		goto out;
	}
	vbdev_error_delete(req.name, rpc_bdev_error_delete_done, request);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_error_delete", rpc_bdev_error_delete, SPDK_RPC_RUNTIME)

static int
rpc_error_decode_io_type(const struct spdk_json_val *val, void *out)
{
	static const struct {
		const char *name;
		uint32_t io_type;
	} types[] = {
		{"read", SPDK_BDEV_IO_TYPE_READ},
		{"write", SPDK_BDEV_IO_TYPE_WRITE},
		{"unmap", SPDK_BDEV_IO_TYPE_UNMAP},
		{"flush", SPDK_BDEV_IO_TYPE_FLUSH},
		{"write_zeroes", SPDK_BDEV_IO_TYPE_WRITE_ZEROES},
		{"all", VBDEV_ERROR_IO_TYPE_ALL},
		{"clear", VBDEV_ERROR_IO_TYPE_CLEAR},
	};
	uint32_t *io_type = out;
	size_t i;

	for (i = 0; i < SPDK_COUNTOF(types); i++) {
		if (spdk_json_strequal(val, types[i].name)) {
			*io_type = types[i].io_type;
			return 0;
		}
	}
	return -EINVAL;
}

static int
rpc_error_decode_error_type(const struct spdk_json_val *val, void *out)
{
	static const struct {
		const char *name;
		uint32_t error_type;
	} types[] = {
		{"failure", VBDEV_IO_FAILURE},
		{"pending", VBDEV_IO_PENDING},
		{"corrupt_data", VBDEV_IO_CORRUPT_DATA},
		{"nomem", VBDEV_IO_NOMEM},
	};
	uint32_t *error_type = out;
	size_t i;

	for (i = 0; i < SPDK_COUNTOF(types); i++) {
		if (spdk_json_strequal(val, types[i].name)) {
			*error_type = types[i].error_type;
			return 0;
		}
	}
	return -EINVAL;
}

struct rpc_error_inject {
	char *name;
	uint32_t io_type;
	uint32_t error_type;
	uint32_t num;
	uint64_t queue_depth;
	uint64_t corrupt_offset;
	uint32_t corrupt_value;
};

static const struct spdk_json_object_decoder rpc_error_inject_decoders[] = {
	{"name", offsetof(struct rpc_error_inject, name), spdk_json_decode_string},
	{"io_type", offsetof(struct rpc_error_inject, io_type), rpc_error_decode_io_type},
	{"error_type", offsetof(struct rpc_error_inject, error_type), rpc_error_decode_error_type},
	{"num", offsetof(struct rpc_error_inject, num), spdk_json_decode_uint32, true},
	{"queue_depth", offsetof(struct rpc_error_inject, queue_depth), spdk_json_decode_uint64,
	 true},
	{"corrupt_offset", offsetof(struct rpc_error_inject, corrupt_offset),
	 spdk_json_decode_uint64, true},
	{"corrupt_value", offsetof(struct rpc_error_inject, corrupt_value), spdk_json_decode_uint32,
	 true},
};

static void
rpc_bdev_error_inject_error(struct spdk_jsonrpc_request *request,
			    const struct spdk_json_val *params)
{
	struct rpc_error_inject req = {.num = 1};
	struct vbdev_error_inject_opts opts = {};
	int rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_error_inject_decoders,
				    SPDK_COUNTOF(rpc_error_inject_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: bdev_error_inject_error needs "
			"name, io_type (read, write, unmap, flush, "
			"write_zeroes, all or clear) and error_type "
			"(failure, pending, corrupt_data or nomem)");
		goto out;
	}
	if (req.corrupt_value > UINT8_MAX) {
		spdk_jsonrpc_send_error_response_fmt(request, -EINVAL,
						     "corrupt_value %u is not a byte (0-255)",
						     req.corrupt_value);
		goto out;
	}
	opts.io_type = req.io_type;
	opts.error_type = req.error_type;
	opts.error_num = req.num;
	opts.error_qd = req.queue_depth;
	opts.corrupt_offset = req.corrupt_offset;
	opts.corrupt_value = (uint8_t)req.corrupt_value;
	rc = vbdev_error_inject_error(req.name, &opts);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		goto out;
	}
	spdk_jsonrpc_send_bool_response(request, true);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_error_inject_error", rpc_bdev_error_inject_error, SPDK_RPC_RUNTIME)
