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
 * module/bdev/file/bdev_file_rpc.c does the handling, shared with the
 * other file-backed module; this file names the methods and parameters.
 */

#include "spdk/stdinc.h"

#include "spdk/json.h"
#include "spdk/rpc.h"
#include "spdk/util.h"
#include "updk/bdev_aio.h"

#include "../file/bdev_file.h"

static const struct spdk_json_object_decoder rpc_bdev_aio_create_decoders[] = {
	{"name", offsetof(struct bdev_file_rpc_create, name), spdk_json_decode_string},
	{"filename", offsetof(struct bdev_file_rpc_create, filename), spdk_json_decode_string},
	{"block_size", offsetof(struct bdev_file_rpc_create, block_size), spdk_json_decode_uint32,
	 true},
	{"readonly", offsetof(struct bdev_file_rpc_create, readonly), spdk_json_decode_bool, true},
	{"fallocate", offsetof(struct bdev_file_rpc_create, fallocate), spdk_json_decode_bool,
	 true},
	{"uuid", offsetof(struct bdev_file_rpc_create, uuid), spdk_json_decode_uuid, true},
	{"nowait", offsetof(struct bdev_file_rpc_create, nowait), spdk_json_decode_bool, true},
};

static int
rpc_bdev_aio_create_disk(const struct bdev_file_rpc_create *req)
{
	return create_aio_bdev(req->name, req->filename, req->block_size, req->readonly,
			       req->fallocate, &req->uuid, req->nowait);
}

static void
rpc_bdev_aio_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	updk__bdev_file_rpc_create(request, params, rpc_bdev_aio_create_decoders,
				   SPDK_COUNTOF(rpc_bdev_aio_create_decoders),
				   rpc_bdev_aio_create_disk);
}
SPDK_RPC_REGISTER("bdev_aio_create", rpc_bdev_aio_create, SPDK_RPC_RUNTIME)

static void
rpc_bdev_aio_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	updk__bdev_file_rpc_delete(request, params, bdev_aio_delete);
}
SPDK_RPC_REGISTER("bdev_aio_delete", rpc_bdev_aio_delete, SPDK_RPC_RUNTIME)

static void
rpc_bdev_aio_rescan(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	updk__bdev_file_rpc_rescan(request, params, bdev_aio_rescan);
}
SPDK_RPC_REGISTER("bdev_aio_rescan", rpc_bdev_aio_rescan, SPDK_RPC_RUNTIME)
