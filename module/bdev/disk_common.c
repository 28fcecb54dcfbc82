/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The glue the bdev modules whose disks are made to a given geometry (malloc
 * and null) share: the geometry checks of their create calls, the geometry
 * part of their save_config entries and their create and delete RPCs. The
 * contract is in include/updk_internal/disk.h. Messages start with the
 * module's kind, so they read as they did when each module had its own copy.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk_internal/disk.h"

static const char *
disk_thread_name(void)
{
	struct spdk_thread *thread = spdk_get_thread();

	return thread != NULL ? spdk_thread_get_name(thread) : "(no SPDK thread)";
}

int
updk__disk_geometry_check(const char *kind, const char *name, uint64_t num_blocks,
			  uint32_t block_size, uint32_t physical_block_size, uint32_t md_size)
{
	if (num_blocks == 0) {
		SPDK_ERRLOG("%s bdev %s: num_blocks must be greater than 0 (thread %s)\n", kind,
			    name, disk_thread_name());
		return -EINVAL;
	}
	if (block_size == 0 || block_size % 512 != 0) {
		SPDK_ERRLOG("%s bdev %s: block_size %" PRIu32 " is not a multiple of 512 "
			    "(thread %s)\n",
			    kind, name, block_size, disk_thread_name());
		return -EINVAL;
	}
	if (physical_block_size % 512 != 0) {
		SPDK_ERRLOG("%s bdev %s: physical_block_size %" PRIu32 " is not a multiple of "
			    "512 (thread %s)\n",
			    kind, name, physical_block_size, disk_thread_name());
		return -EINVAL;
	}
	if (md_size != 0) {
		SPDK_ERRLOG("%s bdev %s: metadata (md_size %" PRIu32 ") is not supported by "
			    "updk (thread %s)\n",
			    kind, name, md_size, disk_thread_name());
		return -ENOTSUP;
	}
	return 0;
}

void
updk__disk_write_config_begin(struct spdk_json_write_ctx *w, const char *method,
			      const struct spdk_bdev *bdev)
{
	char uuid[SPDK_UUID_STRING_LEN];

	spdk_uuid_fmt_lower(uuid, sizeof(uuid), &bdev->uuid);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", method);
	spdk_json_write_named_object_begin(w, "params");
	spdk_json_write_named_string(w, "name", bdev->name);
	spdk_json_write_named_uint64(w, "num_blocks", bdev->blockcnt);
	spdk_json_write_named_uint32(w, "block_size", bdev->blocklen);
	spdk_json_write_named_uint32(w, "physical_block_size",
				     bdev->phys_blocklen != 0 ? bdev->phys_blocklen
							      : bdev->blocklen);
	spdk_json_write_named_string(w, "uuid", uuid);
}

void
updk__disk_write_config_end(struct spdk_json_write_ctx *w, const struct spdk_bdev *bdev)
{
	spdk_json_write_named_uint32(w, "md_size", bdev->md_len);
	spdk_json_write_named_uint32(w, "dif_type", (uint32_t)bdev->dif_type);
	spdk_json_write_named_bool(w, "dif_is_head_of_md", bdev->dif_is_head_of_md);
	spdk_json_write_named_uint32(w, "dif_pi_format", (uint32_t)bdev->dif_pi_format);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
}

/* The shared params; "name" is made optional for modules that want it. */
static const struct spdk_json_object_decoder disk_rpc_decoders[] = {
	{"name", offsetof(struct updk_disk_rpc_params, name), spdk_json_decode_string},
	{"uuid", offsetof(struct updk_disk_rpc_params, uuid), spdk_json_decode_string, true},
	{"num_blocks", offsetof(struct updk_disk_rpc_params, num_blocks), spdk_json_decode_uint64},
	{"block_size", offsetof(struct updk_disk_rpc_params, block_size), spdk_json_decode_uint32},
	{"physical_block_size", offsetof(struct updk_disk_rpc_params, physical_block_size),
	 spdk_json_decode_uint32, true},
	{"md_size", offsetof(struct updk_disk_rpc_params, md_size), spdk_json_decode_uint32, true},
	{"md_interleave", offsetof(struct updk_disk_rpc_params, md_interleave),
	 spdk_json_decode_bool, true},
	{"dif_type", offsetof(struct updk_disk_rpc_params, dif_type), spdk_json_decode_int32, true},
	{"dif_is_head_of_md", offsetof(struct updk_disk_rpc_params, dif_is_head_of_md),
	 spdk_json_decode_bool, true},
	{"dif_pi_format", offsetof(struct updk_disk_rpc_params, dif_pi_format),
	 spdk_json_decode_int32, true},
};

/* Row of "name" in disk_rpc_decoders. */
#define DISK_RPC_NAME_ROW 0

/* One table of the shared params and the module's own, for one strict decode. */
static int
disk_rpc_decode(const struct spdk_json_val *params, const struct updk_disk_rpc_create *how,
		struct updk_disk_rpc_params *req)
{
	struct spdk_json_object_decoder
		table[SPDK_COUNTOF(disk_rpc_decoders) + UPDK_DISK_RPC_MAX_OWN_PARAMS];
	size_t n = SPDK_COUNTOF(disk_rpc_decoders);

	if (params == NULL) {
		return -EINVAL;
	}
	memcpy(table, disk_rpc_decoders, sizeof(disk_rpc_decoders));
	table[DISK_RPC_NAME_ROW].optional = how->name_optional;
	memcpy(&table[n], how->decoders, how->decoder_count * sizeof(*how->decoders));
	n += how->decoder_count;
	return spdk_json_decode_object(params, table, n, req);
}

int
updk__disk_rpc_create_decode(struct spdk_jsonrpc_request *request,
			     const struct spdk_json_val *params,
			     const struct updk_disk_rpc_create *how,
			     struct updk_disk_rpc_params *req, struct spdk_uuid *uuid)
{
	if (how->decoder_count > UPDK_DISK_RPC_MAX_OWN_PARAMS) {
		assert(false);
		spdk_jsonrpc_send_error_response(request, -EINVAL, spdk_strerror(EINVAL));
		return -EINVAL;
	}
	if (disk_rpc_decode(params, how, req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 how->invalid_params_msg);
		return -EINVAL;
	}
	if (req->block_size == 0 || req->block_size % 512 != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, -EINVAL,
						     "Data block size %u is not a multiple of 512",
						     req->block_size);
		return -EINVAL;
	}
	if (req->num_blocks == 0) {
		spdk_jsonrpc_send_error_response(request, -EINVAL,
						 "Disk num_blocks must be greater than 0");
		return -EINVAL;
	}
	if (req->dif_type < 0 || req->dif_type > 3 || req->dif_pi_format < 0 ||
	    req->dif_pi_format > 2) {
		spdk_jsonrpc_send_error_response(request, -EINVAL,
						 "dif_type must be 0-3 and dif_pi_format 0-2");
		return -EINVAL;
	}
	if (req->uuid != NULL && spdk_uuid_parse(uuid, req->uuid) != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, -EINVAL, "Invalid UUID '%s'",
						     req->uuid);
		return -EINVAL;
	}
	return 0;
}

void
updk__disk_rpc_params_free(struct updk_disk_rpc_params *req)
{
	free(req->name);
	free(req->uuid);
}

void
updk__disk_rpc_create_done(struct spdk_jsonrpc_request *request, int rc,
			   const struct spdk_bdev *bdev)
{
	struct spdk_json_write_ctx *w;

	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		return;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_string(w, spdk_bdev_get_name(bdev));
	spdk_jsonrpc_end_result(request, w);
}

void
updk__disk_rpc_bool_done(struct spdk_jsonrpc_request *request, int rc)
{
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		return;
	}
	spdk_jsonrpc_send_bool_response(request, true);
}

static void
disk_rpc_delete_done(void *cb_arg, int bdeverrno)
{
	updk__disk_rpc_bool_done(cb_arg, bdeverrno);
}

struct disk_rpc_delete {
	char *name;
};

static const struct spdk_json_object_decoder disk_rpc_delete_decoders[] = {
	{"name", offsetof(struct disk_rpc_delete, name), spdk_json_decode_string},
};

void
updk__disk_rpc_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
		      const char *method, updk_disk_delete_fn delete_fn)
{
	struct disk_rpc_delete req = {};

	if (params == NULL ||
	    spdk_json_decode_object(params, disk_rpc_delete_decoders,
				    SPDK_COUNTOF(disk_rpc_delete_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "Invalid parameters: %s needs name", method);
		goto out;
	}
	delete_fn(req.name, disk_rpc_delete_done, request);
out:
	free(req.name);
}
