/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The JSON-RPC methods of the aio bdev module, with SPDK's names and
 * parameters (also replayed from JSON config files):
 *
 * | method          | params                                                  | result        |
 * |-----------------|---------------------------------------------------------|---------------|
 * | bdev_aio_create | name R, filename R, block_size O (0: auto), readonly O,  | the bdev name |
 * |                 | fallocate O, uuid O, nowait O                           |               |
 * | bdev_aio_delete | name R                                                  | true          |
 * | bdev_aio_rescan | name R                                                  | true          |
 *
 * Parameters that fail to decode get Invalid params; a failing call replies
 * with the negative errno and its strerror (the module logged the detail).
 */

#include "spdk/stdinc.h"

#include "spdk/bdev.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_aio.h"

struct rpc_bdev_aio_create {
	char *name;
	char *filename;
	uint32_t block_size;
	bool readonly;
	bool fallocate;
	bool nowait;
	struct spdk_uuid uuid;
};

static const struct spdk_json_object_decoder rpc_bdev_aio_create_decoders[] = {
	{"name", offsetof(struct rpc_bdev_aio_create, name), spdk_json_decode_string},
	{"filename", offsetof(struct rpc_bdev_aio_create, filename), spdk_json_decode_string},
	{"block_size", offsetof(struct rpc_bdev_aio_create, block_size), spdk_json_decode_uint32,
	 true},
	{"readonly", offsetof(struct rpc_bdev_aio_create, readonly), spdk_json_decode_bool, true},
	{"fallocate", offsetof(struct rpc_bdev_aio_create, fallocate), spdk_json_decode_bool, true},
	{"uuid", offsetof(struct rpc_bdev_aio_create, uuid), spdk_json_decode_uuid, true},
	{"nowait", offsetof(struct rpc_bdev_aio_create, nowait), spdk_json_decode_bool, true},
};

struct rpc_bdev_aio_create_ctx {
	struct spdk_jsonrpc_request *request;
	char *name;
};

static void
rpc_bdev_aio_create_examined(void *arg)
{
	struct rpc_bdev_aio_create_ctx *ctx = arg;
	struct spdk_json_write_ctx *w;

	w = spdk_jsonrpc_begin_result(ctx->request);
	spdk_json_write_string(w, ctx->name);
	spdk_jsonrpc_end_result(ctx->request, w);
	free(ctx->name);
	free(ctx);
}

static void
rpc_bdev_aio_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_bdev_aio_create req = {};
	struct rpc_bdev_aio_create_ctx *ctx;
	int rc;

	if (spdk_json_decode_object(params, rpc_bdev_aio_create_decoders,
				    SPDK_COUNTOF(rpc_bdev_aio_create_decoders), &req)) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		goto out;
	}
	rc = create_aio_bdev(req.name, req.filename, req.block_size, req.readonly, req.fallocate,
			     &req.uuid, req.nowait);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		goto out;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL || (ctx->name = strdup(req.name)) == NULL) {
		free(ctx);
		spdk_jsonrpc_send_error_response(request, -ENOMEM, spdk_strerror(ENOMEM));
		goto out;
	}
	ctx->request = request;
	rc = spdk_bdev_wait_for_examine(rpc_bdev_aio_create_examined, ctx);
	if (rc != 0) {
		rpc_bdev_aio_create_examined(ctx);
	}
out:
	free(req.name);
	free(req.filename);
}
SPDK_RPC_REGISTER("bdev_aio_create", rpc_bdev_aio_create, SPDK_RPC_RUNTIME)

struct rpc_bdev_aio_name {
	char *name;
};

static const struct spdk_json_object_decoder rpc_bdev_aio_name_decoders[] = {
	{"name", offsetof(struct rpc_bdev_aio_name, name), spdk_json_decode_string},
};

static void
rpc_bdev_aio_delete_done(void *arg, int rc)
{
	struct spdk_jsonrpc_request *request = arg;

	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		return;
	}
	spdk_jsonrpc_send_bool_response(request, true);
}

static void
rpc_bdev_aio_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_bdev_aio_name req = {};

	if (spdk_json_decode_object(params, rpc_bdev_aio_name_decoders,
				    SPDK_COUNTOF(rpc_bdev_aio_name_decoders), &req)) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		/* The name may have decoded before a later member failed. */
		free(req.name);
		return;
	}
	bdev_aio_delete(req.name, rpc_bdev_aio_delete_done, request);
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_aio_delete", rpc_bdev_aio_delete, SPDK_RPC_RUNTIME)

static void
rpc_bdev_aio_rescan(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_bdev_aio_name req = {};
	int rc;

	if (spdk_json_decode_object(params, rpc_bdev_aio_name_decoders,
				    SPDK_COUNTOF(rpc_bdev_aio_name_decoders), &req)) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		/* The name may have decoded before a later member failed. */
		free(req.name);
		return;
	}
	rc = bdev_aio_rescan(req.name);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
	} else {
		spdk_jsonrpc_send_bool_response(request, true);
	}
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_aio_rescan", rpc_bdev_aio_rescan, SPDK_RPC_RUNTIME)
