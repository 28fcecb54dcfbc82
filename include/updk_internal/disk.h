/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * What the bdev modules whose disks are made to a given geometry (malloc and
 * null) share: the checks of that geometry at create time, the part of the
 * save_config entry that writes it, and the RPC glue around their create and
 * delete calls. Each module keeps its own options, I/O path and messages'
 * first word (its "kind": "malloc", "null").
 *
 * The create RPC's request struct of a module starts with struct
 * updk_disk_rpc_params and goes on with the module's own parameters, so that
 * one decoder table can fill both. Everything here runs on the app thread.
 */

#ifndef UPDK_INTERNAL_DISK_H
#define UPDK_INTERNAL_DISK_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Check the geometry of a new disk; logs one line, starting "<kind> bdev
 * <name>:", on failure.
 *
 * \return 0; -EINVAL when \p num_blocks is 0, or \p block_size or
 * \p physical_block_size (which may be 0) is not a multiple of 512;
 * -ENOTSUP when \p md_size is not 0.
 */
int updk__disk_geometry_check(const char *kind, const char *name, uint64_t num_blocks,
			      uint32_t block_size, uint32_t physical_block_size, uint32_t md_size);

/**
 * Open the save_config entry of \p bdev: the object, "method" (\p method) and
 * "params" up to "uuid" (name, num_blocks, block_size, physical_block_size
 * and uuid). The module may write params of its own, then calls
 * updk__disk_write_config_end().
 */
void updk__disk_write_config_begin(struct spdk_json_write_ctx *w, const char *method,
				   const struct spdk_bdev *bdev);

/** Write the metadata params of \p bdev (md_size and the dif ones) and close the entry. */
void updk__disk_write_config_end(struct spdk_json_write_ctx *w, const struct spdk_bdev *bdev);

/** The params every disk create RPC takes; the start of the module's request. */
struct updk_disk_rpc_params {
	/** "name"; required unless the module sets name_optional. */
	char *name;
	/** "uuid", unparsed. */
	char *uuid;
	/** "num_blocks" (required). */
	uint64_t num_blocks;
	/** "block_size" (required). */
	uint32_t block_size;
	/** "physical_block_size". */
	uint32_t physical_block_size;
	/** "md_size". */
	uint32_t md_size;
	/** "md_interleave". */
	bool md_interleave;
	/** "dif_type", 0-3. */
	int32_t dif_type;
	/** "dif_is_head_of_md". */
	bool dif_is_head_of_md;
	/** "dif_pi_format", 0-2. */
	int32_t dif_pi_format;
};

/** How a module's create RPC decodes its params: one static instance per module. */
struct updk_disk_rpc_create {
	/** Message of the Invalid params error. */
	const char *invalid_params_msg;
	/** The module's own params, with offsets into its request struct. */
	const struct spdk_json_object_decoder *decoders;
	/** Rows of decoders; at most UPDK_DISK_RPC_MAX_OWN_PARAMS. */
	size_t decoder_count;
	/** Whether "name" may be left out. */
	bool name_optional;
};

/** How many params of its own a module's create RPC may have. */
#define UPDK_DISK_RPC_MAX_OWN_PARAMS 8

/**
 * Decode the params of a create RPC into \p req, the start of the module's
 * request struct, and check the shared ones. When "uuid" is given it is
 * parsed into \p uuid; otherwise \p uuid is left alone.
 *
 * \return 0; -EINVAL when the request has been answered with an error:
 * Invalid params when the params do not decode, -EINVAL when num_blocks,
 * block_size, dif_type, dif_pi_format or uuid is out of range. Either way
 * the caller frees \p req with updk__disk_rpc_params_free().
 */
int updk__disk_rpc_create_decode(struct spdk_jsonrpc_request *request,
				 const struct spdk_json_val *params,
				 const struct updk_disk_rpc_create *how,
				 struct updk_disk_rpc_params *req, struct spdk_uuid *uuid);

/** Free the strings updk__disk_rpc_create_decode() put into \p req. */
void updk__disk_rpc_params_free(struct updk_disk_rpc_params *req);

/**
 * Answer a create RPC: the name of \p bdev when \p rc is 0, otherwise the
 * error \p rc (a negative errno).
 */
void updk__disk_rpc_create_done(struct spdk_jsonrpc_request *request, int rc,
				const struct spdk_bdev *bdev);

/** Answer an RPC that returns true: true when \p rc is 0, otherwise the error \p rc. */
void updk__disk_rpc_bool_done(struct spdk_jsonrpc_request *request, int rc);

/** A module's delete call (delete_malloc_disk(), bdev_null_delete()). */
typedef void (*updk_disk_delete_fn)(const char *name, spdk_bdev_unregister_cb cb_fn, void *cb_arg);

/**
 * Handle a delete RPC (\p method) whose only param is "name": decode it,
 * call \p delete_fn and answer true, or the error it reports, when it
 * completes. A request without a name gets Invalid params.
 */
void updk__disk_rpc_delete(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
			   const char *method, updk_disk_delete_fn delete_fn);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_DISK_H */
