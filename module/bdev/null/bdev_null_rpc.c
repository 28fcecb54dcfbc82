/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * RPC methods of the null bdev module: bdev_null_create, bdev_null_delete and
 * bdev_null_resize, with SPDK's parameter names and results.
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
#include "updk/bdev_null.h"

struct rpc_null_create {
	char *name;
	char *uuid;
	uint64_t num_blocks;
	uint32_t block_size;
	uint32_t physical_block_size;
	uint32_t md_size;
	bool md_interleave;
	int32_t dif_type;
	bool dif_is_head_of_md;
	int32_t dif_pi_format;
	uint32_t preferred_write_alignment;
	uint32_t preferred_write_granularity;
	uint32_t optimal_write_size;
	uint32_t preferred_unmap_alignment;
	uint32_t preferred_unmap_granularity;
};

static const struct spdk_json_object_decoder rpc_null_create_decoders[] = {
	{"name", offsetof(struct rpc_null_create, name), spdk_json_decode_string},
	{"uuid", offsetof(struct rpc_null_create, uuid), spdk_json_decode_string, true},
	{"num_blocks", offsetof(struct rpc_null_create, num_blocks), spdk_json_decode_uint64},
	{"block_size", offsetof(struct rpc_null_create, block_size), spdk_json_decode_uint32},
	{"physical_block_size", offsetof(struct rpc_null_create, physical_block_size),
	 spdk_json_decode_uint32, true},
	{"md_size", offsetof(struct rpc_null_create, md_size), spdk_json_decode_uint32, true},
	{"md_interleave", offsetof(struct rpc_null_create, md_interleave), spdk_json_decode_bool,
	 true},
	{"dif_type", offsetof(struct rpc_null_create, dif_type), spdk_json_decode_int32, true},
	{"dif_is_head_of_md", offsetof(struct rpc_null_create, dif_is_head_of_md),
	 spdk_json_decode_bool, true},
	{"dif_pi_format", offsetof(struct rpc_null_create, dif_pi_format), spdk_json_decode_int32,
	 true},
	{"preferred_write_alignment", offsetof(struct rpc_null_create, preferred_write_alignment),
	 spdk_json_decode_uint32, true},
	{"preferred_write_granularity",
	 offsetof(struct rpc_null_create, preferred_write_granularity), spdk_json_decode_uint32,
	 true},
	{"optimal_write_size", offsetof(struct rpc_null_create, optimal_write_size),
	 spdk_json_decode_uint32, true},
	{"preferred_unmap_alignment", offsetof(struct rpc_null_create, preferred_unmap_alignment),
	 spdk_json_decode_uint32, true},
	{"preferred_unmap_granularity",
	 offsetof(struct rpc_null_create, preferred_unmap_granularity), spdk_json_decode_uint32,
	 true},
};

static void
rpc_bdev_null_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_null_create req = {};
	struct null_bdev_opts opts = {};
	struct spdk_json_write_ctx *w;
	struct spdk_uuid uuid;
	struct spdk_bdev *bdev;
	int rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_null_create_decoders,
				    SPDK_COUNTOF(rpc_null_create_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_null_create needs name, "
						 "num_blocks and block_size");
		goto out;
	}
	if (req.block_size == 0 || req.block_size % 512 != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, -EINVAL,
						     "Data block size %u is not a multiple of 512",
						     req.block_size);
		goto out;
	}
	if (req.num_blocks == 0) {
		spdk_jsonrpc_send_error_response(request, -EINVAL,
						 "Disk num_blocks must be greater than 0");
		goto out;
	}
	if (req.dif_type < 0 || req.dif_type > 3 || req.dif_pi_format < 0 ||
	    req.dif_pi_format > 2) {
		spdk_jsonrpc_send_error_response(request, -EINVAL,
						 "dif_type must be 0-3 and dif_pi_format 0-2");
		goto out;
	}
	if (req.uuid != NULL) {
		if (spdk_uuid_parse(&uuid, req.uuid) != 0) {
			spdk_jsonrpc_send_error_response_fmt(request, -EINVAL, "Invalid UUID '%s'",
							     req.uuid);
			goto out;
		}
		opts.uuid = &uuid;
	}
	opts.name = req.name;
	opts.num_blocks = req.num_blocks;
	opts.block_size = req.block_size;
	opts.physical_block_size = req.physical_block_size;
	opts.md_size = req.md_size;
	opts.md_interleave = req.md_interleave;
	opts.dif_type = (enum spdk_dif_type)req.dif_type;
	opts.dif_is_head_of_md = req.dif_is_head_of_md;
	opts.dif_pi_format = (enum spdk_dif_pi_format)req.dif_pi_format;
	opts.preferred_write_alignment = req.preferred_write_alignment;
	opts.preferred_write_granularity = req.preferred_write_granularity;
	opts.optimal_write_size = req.optimal_write_size;
	opts.preferred_unmap_alignment = req.preferred_unmap_alignment;
	opts.preferred_unmap_granularity = req.preferred_unmap_granularity;

	rc = bdev_null_create(&bdev, &opts);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		goto out;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_string(w, spdk_bdev_get_name(bdev));
	spdk_jsonrpc_end_result(request, w);
out:
	free(req.name);
	free(req.uuid);
}
SPDK_RPC_REGISTER("bdev_null_create", rpc_bdev_null_create, SPDK_RPC_RUNTIME)

struct rpc_null_delete {
	char *name;
};

static const struct spdk_json_object_decoder rpc_null_delete_decoders[] = {
	{"name", offsetof(struct rpc_null_delete, name), spdk_json_decode_string},
};

static void
rpc_bdev_null_delete_done(void *cb_arg, int bdeverrno)
{
	struct spdk_jsonrpc_request *request = cb_arg;

	if (bdeverrno == 0) {
		spdk_jsonrpc_send_bool_response(request, true);
	} else {
		spdk_jsonrpc_send_error_response(request, bdeverrno, spdk_strerror(-bdeverrno));
	}
}

static void
rpc_bdev_null_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_null_delete req = {};

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_null_delete_decoders,
				    SPDK_COUNTOF(rpc_null_delete_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_null_delete needs name");
		goto out;
	}
	bdev_null_delete(req.name, rpc_bdev_null_delete_done, request);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_null_delete", rpc_bdev_null_delete, SPDK_RPC_RUNTIME)

struct rpc_null_resize {
	char *name;
	uint64_t new_size;
};

static const struct spdk_json_object_decoder rpc_null_resize_decoders[] = {
	{"name", offsetof(struct rpc_null_resize, name), spdk_json_decode_string},
	{"new_size", offsetof(struct rpc_null_resize, new_size), spdk_json_decode_uint64},
};

static void
rpc_bdev_null_resize(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_null_resize req = {};
	int rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_null_resize_decoders,
				    SPDK_COUNTOF(rpc_null_resize_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: bdev_null_resize needs name and "
			"new_size (MiB)");
		goto out;
	}
	rc = bdev_null_resize(req.name, req.new_size);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		goto out;
	}
	spdk_jsonrpc_send_bool_response(request, true);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_null_resize", rpc_bdev_null_resize, SPDK_RPC_RUNTIME)
