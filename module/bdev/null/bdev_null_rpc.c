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
#include "spdk/rpc.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_null.h"
#include "updk_internal/disk.h"

struct rpc_null_create {
	/* Must come first: see struct updk_disk_rpc_params. */
	struct updk_disk_rpc_params disk;
	uint32_t preferred_write_alignment;
	uint32_t preferred_write_granularity;
	uint32_t optimal_write_size;
	uint32_t preferred_unmap_alignment;
	uint32_t preferred_unmap_granularity;
};
_Static_assert(offsetof(struct rpc_null_create, disk) == 0, "disk params come first");

static const struct spdk_json_object_decoder rpc_null_create_decoders[] = {
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

static const struct updk_disk_rpc_create rpc_null_create_params = {
	.invalid_params_msg = "Invalid parameters: bdev_null_create needs name, num_blocks and "
			      "block_size",
	.decoders = rpc_null_create_decoders,
	.decoder_count = SPDK_COUNTOF(rpc_null_create_decoders),
};

static void
rpc_bdev_null_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_null_create req = {};
	struct null_bdev_opts opts = {};
	struct spdk_uuid uuid;
	struct spdk_bdev *bdev = NULL;
	int rc;

	if (updk__disk_rpc_create_decode(request, params, &rpc_null_create_params, &req.disk,
					 &uuid) != 0) {
		goto out;
	}
	opts.name = req.disk.name;
	opts.uuid = req.disk.uuid != NULL ? &uuid : NULL;
	opts.num_blocks = req.disk.num_blocks;
	opts.block_size = req.disk.block_size;
	opts.physical_block_size = req.disk.physical_block_size;
	opts.md_size = req.disk.md_size;
	opts.md_interleave = req.disk.md_interleave;
	opts.dif_type = (enum spdk_dif_type)req.disk.dif_type;
	opts.dif_is_head_of_md = req.disk.dif_is_head_of_md;
	opts.dif_pi_format = (enum spdk_dif_pi_format)req.disk.dif_pi_format;
	opts.preferred_write_alignment = req.preferred_write_alignment;
	opts.preferred_write_granularity = req.preferred_write_granularity;
	opts.optimal_write_size = req.optimal_write_size;
	opts.preferred_unmap_alignment = req.preferred_unmap_alignment;
	opts.preferred_unmap_granularity = req.preferred_unmap_granularity;

	rc = bdev_null_create(&bdev, &opts);
	updk__disk_rpc_create_done(request, rc, bdev);
out:
	updk__disk_rpc_params_free(&req.disk);
}
SPDK_RPC_REGISTER("bdev_null_create", rpc_bdev_null_create, SPDK_RPC_RUNTIME)

static void
rpc_bdev_null_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	updk__disk_rpc_delete(request, params, "bdev_null_delete", bdev_null_delete);
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
	updk__disk_rpc_bool_done(request, rc);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_null_resize", rpc_bdev_null_resize, SPDK_RPC_RUNTIME)
