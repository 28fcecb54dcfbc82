/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * RPC methods of the malloc (RAM) bdev module: bdev_malloc_create and
 * bdev_malloc_delete, with SPDK's parameter names and results.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/rpc.h"
#include "spdk/util.h"
#include "updk/bdev_malloc.h"
#include "updk_internal/disk.h"

struct rpc_malloc_create {
	/* Must come first: see struct updk_disk_rpc_params. */
	struct updk_disk_rpc_params disk;
	uint32_t optimal_io_boundary;
	int32_t numa_id;
};
_Static_assert(offsetof(struct rpc_malloc_create, disk) == 0, "disk params come first");

static const struct spdk_json_object_decoder rpc_malloc_create_decoders[] = {
	{"optimal_io_boundary", offsetof(struct rpc_malloc_create, optimal_io_boundary),
	 spdk_json_decode_uint32, true},
	{"numa_id", offsetof(struct rpc_malloc_create, numa_id), spdk_json_decode_int32, true},
};

static const struct updk_disk_rpc_create rpc_malloc_create_params = {
	.invalid_params_msg = "Invalid parameters: bdev_malloc_create needs num_blocks and "
			      "block_size (numbers)",
	.decoders = rpc_malloc_create_decoders,
	.decoder_count = SPDK_COUNTOF(rpc_malloc_create_decoders),
	.name_optional = true,
};

static void
rpc_bdev_malloc_create(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_malloc_create req = {.numa_id = -1};
	struct malloc_bdev_opts opts = {};
	struct spdk_bdev *bdev = NULL;
	int rc;

	if (updk__disk_rpc_create_decode(request, params, &rpc_malloc_create_params, &req.disk,
					 &opts.uuid) != 0) {
		goto out;
	}
	opts.name = req.disk.name;
	opts.num_blocks = req.disk.num_blocks;
	opts.block_size = req.disk.block_size;
	opts.physical_block_size = req.disk.physical_block_size;
	opts.optimal_io_boundary = req.optimal_io_boundary;
	opts.md_size = req.disk.md_size;
	opts.md_interleave = req.disk.md_interleave;
	opts.dif_type = (enum spdk_dif_type)req.disk.dif_type;
	opts.dif_is_head_of_md = req.disk.dif_is_head_of_md;
	opts.dif_pi_format = (enum spdk_dif_pi_format)req.disk.dif_pi_format;
	opts.numa_id = req.numa_id;

	rc = create_malloc_disk(&bdev, &opts);
	updk__disk_rpc_create_done(request, rc, bdev);
out:
	updk__disk_rpc_params_free(&req.disk);
}
SPDK_RPC_REGISTER("bdev_malloc_create", rpc_bdev_malloc_create, SPDK_RPC_RUNTIME)

static void
rpc_bdev_malloc_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	updk__disk_rpc_delete(request, params, "bdev_malloc_delete", delete_malloc_disk);
}
SPDK_RPC_REGISTER("bdev_malloc_delete", rpc_bdev_malloc_delete, SPDK_RPC_RUNTIME)
