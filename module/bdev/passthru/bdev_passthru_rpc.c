/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * RPC methods of the passthru bdev module, with SPDK's names and parameters:
 *
 *   bdev_passthru_create  base_bdev_name (string, required), name (string,
 *                         required), uuid (string, optional)  -> the name
 *   bdev_passthru_delete  name (string, required)             -> true
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_passthru.h"

struct rpc_passthru_create {
	char *base_bdev_name;
	char *name;
	char *uuid;
};

static const struct spdk_json_object_decoder rpc_passthru_create_decoders[] = {
	{"base_bdev_name", offsetof(struct rpc_passthru_create, base_bdev_name),
	 spdk_json_decode_string},
	{"name", offsetof(struct rpc_passthru_create, name), spdk_json_decode_string},
	{"uuid", offsetof(struct rpc_passthru_create, uuid), spdk_json_decode_string, true},
};

static void
rpc_bdev_passthru_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_passthru_create req = {};
	struct spdk_json_write_ctx *w;
	struct spdk_uuid uuid = {};
	int rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_passthru_create_decoders,
				    SPDK_COUNTOF(rpc_passthru_create_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_passthru_create needs "
						 "base_bdev_name and name (strings)");
		goto out;
	}
	if (req.uuid != NULL && spdk_uuid_parse(&uuid, req.uuid) != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, -EINVAL, "Invalid UUID '%s'",
						     req.uuid);
		goto out;
	}
	rc = bdev_passthru_create_disk(req.base_bdev_name, req.name, &uuid);
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
SPDK_RPC_REGISTER("bdev_passthru_create", rpc_bdev_passthru_create, SPDK_RPC_RUNTIME)

struct rpc_passthru_delete {
	char *name;
};

static const struct spdk_json_object_decoder rpc_passthru_delete_decoders[] = {
	{"name", offsetof(struct rpc_passthru_delete, name), spdk_json_decode_string},
};

static void
rpc_bdev_passthru_delete_done(void *cb_arg, int bdeverrno)
{
	struct spdk_jsonrpc_request *request = cb_arg;

	if (bdeverrno == 0) {
		spdk_jsonrpc_send_bool_response(request, true);
	} else {
		spdk_jsonrpc_send_error_response(request, bdeverrno, spdk_strerror(-bdeverrno));
	}
}

static void
rpc_bdev_passthru_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_passthru_delete req = {};

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_passthru_delete_decoders,
				    SPDK_COUNTOF(rpc_passthru_delete_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_passthru_delete needs "
						 "name");
		goto out;
	}
	bdev_passthru_delete_disk(req.name, rpc_bdev_passthru_delete_done, request);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_passthru_delete", rpc_bdev_passthru_delete, SPDK_RPC_RUNTIME)
