/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The JSON-RPC handlers behind bdev_uring_* and bdev_aio_* create, delete
 * and rescan. The modules register the methods and keep their parameter
 * tables (in bdev_uring_rpc.c and bdev_aio_rpc.c); the handling is the same
 * for both: parameters that fail to decode get Invalid params, a failing
 * call replies with the negative errno and its strerror (the module logged
 * the detail), create replies with the bdev name once it was examined.
 */

#include "spdk/stdinc.h"

#include "spdk/bdev.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/string.h"
#include "spdk/util.h"

#include "bdev_file.h"

struct bdev_file_rpc_create_ctx {
	struct spdk_jsonrpc_request *request;
	char *name;
};

static void
bdev_file_rpc_create_examined(void *arg)
{
	struct bdev_file_rpc_create_ctx *ctx = arg;
	struct spdk_json_write_ctx *w;

	w = spdk_jsonrpc_begin_result(ctx->request);
	spdk_json_write_string(w, ctx->name);
	spdk_jsonrpc_end_result(ctx->request, w);
	free(ctx->name);
	free(ctx);
}

void
updk__bdev_file_rpc_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
			   const struct spdk_json_object_decoder *decoders, size_t num_decoders,
			   bdev_file_create_fn create_fn)
{
	struct bdev_file_rpc_create req = {};
	struct bdev_file_rpc_create_ctx *ctx;
	int rc;

	if (spdk_json_decode_object(params, decoders, num_decoders, &req)) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		goto out;
	}
	rc = create_fn(&req);
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
	rc = spdk_bdev_wait_for_examine(bdev_file_rpc_create_examined, ctx);
	if (rc != 0) {
		bdev_file_rpc_create_examined(ctx);
	}
out:
	free(req.name);
	free(req.filename);
}

struct bdev_file_rpc_name {
	char *name;
};

static const struct spdk_json_object_decoder g_bdev_file_rpc_name_decoders[] = {
	{"name", offsetof(struct bdev_file_rpc_name, name), spdk_json_decode_string},
};

/* Decode {"name": ...} into *name (the caller frees it), or reply Invalid params. */
static int
bdev_file_rpc_decode_name(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
			  char **name)
{
	struct bdev_file_rpc_name req = {};

	if (spdk_json_decode_object(params, g_bdev_file_rpc_name_decoders,
				    SPDK_COUNTOF(g_bdev_file_rpc_name_decoders), &req)) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		/* The name may have decoded before a later member failed. */
		free(req.name);
		return -EINVAL;
	}
	*name = req.name;
	return 0;
}

static void
bdev_file_rpc_delete_done(void *arg, int rc)
{
	struct spdk_jsonrpc_request *request = arg;

	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		return;
	}
	spdk_jsonrpc_send_bool_response(request, true);
}

void
updk__bdev_file_rpc_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
			   bdev_file_delete_fn delete_fn)
{
	char *name;

	if (bdev_file_rpc_decode_name(request, params, &name) != 0) {
		return;
	}
	delete_fn(name, bdev_file_rpc_delete_done, request);
	free(name);
}

void
updk__bdev_file_rpc_rescan(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
			   bdev_file_rescan_fn rescan_fn)
{
	char *name;
	int rc;

	if (bdev_file_rpc_decode_name(request, params, &name) != 0) {
		return;
	}
	rc = rescan_fn(name);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
	} else {
		spdk_jsonrpc_send_bool_response(request, true);
	}
	free(name);
}
