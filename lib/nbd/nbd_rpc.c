/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * RPC methods of the NBD exports: nbd_start_disk, nbd_stop_disk and
 * nbd_get_disks, with SPDK's parameter names and results. nbd_device takes
 * updk's socket addresses (nbd://HOST[:PORT], nbd+unix:///PATH) besides
 * /dev/nbdN.
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/nbd.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/util.h"

struct rpc_nbd_start_disk {
	char *bdev_name;
	char *nbd_device;
	struct spdk_jsonrpc_request *request;
};

static const struct spdk_json_object_decoder rpc_nbd_start_disk_decoders[] = {
	{"bdev_name", offsetof(struct rpc_nbd_start_disk, bdev_name), spdk_json_decode_string},
	{"nbd_device", offsetof(struct rpc_nbd_start_disk, nbd_device), spdk_json_decode_string,
	 true},
};

static void
rpc_nbd_start_disk_free(struct rpc_nbd_start_disk *req)
{
	free(req->bdev_name);
	free(req->nbd_device);
	free(req);
}

static void
rpc_nbd_started(void *cb_arg, struct spdk_nbd_disk *nbd, int rc)
{
	struct rpc_nbd_start_disk *req = cb_arg;
	struct spdk_json_write_ctx *w;

	if (rc != 0) {
		spdk_jsonrpc_send_error_response(req->request, rc, spdk_strerror(-rc));
	} else {
		w = spdk_jsonrpc_begin_result(req->request);
		spdk_json_write_string(w, spdk_nbd_get_path(nbd));
		spdk_jsonrpc_end_result(req->request, w);
	}
	rpc_nbd_start_disk_free(req);
}

static void
rpc_nbd_start_disk(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_nbd_start_disk *req = calloc(1, sizeof(*req));

	if (req == NULL) {
		spdk_jsonrpc_send_error_response(request, -ENOMEM, spdk_strerror(ENOMEM));
		return;
	}
	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_nbd_start_disk_decoders,
				    SPDK_COUNTOF(rpc_nbd_start_disk_decoders), req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: nbd_start_disk needs "
						 "bdev_name (and optionally nbd_device)");
		rpc_nbd_start_disk_free(req);
		return;
	}
	req->request = request;
	spdk_nbd_start(req->bdev_name, req->nbd_device, rpc_nbd_started, req);
}
SPDK_RPC_REGISTER("nbd_start_disk", rpc_nbd_start_disk, SPDK_RPC_RUNTIME)

struct rpc_nbd_device {
	char *nbd_device;
};

static const struct spdk_json_object_decoder rpc_nbd_device_decoders[] = {
	{"nbd_device", offsetof(struct rpc_nbd_device, nbd_device), spdk_json_decode_string},
};

static const struct spdk_json_object_decoder rpc_nbd_device_opt_decoders[] = {
	{"nbd_device", offsetof(struct rpc_nbd_device, nbd_device), spdk_json_decode_string, true},
};

static void
rpc_nbd_stop_disk(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_nbd_device req = {};
	struct spdk_nbd_disk *nbd;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_nbd_device_decoders,
				    SPDK_COUNTOF(rpc_nbd_device_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid parameters: nbd_stop_disk needs nbd_device");
		goto out;
	}
	nbd = spdk_nbd_disk_find_by_path(req.nbd_device);
	if (nbd == NULL) {
		SPDK_ERRLOG("nbd_stop_disk: no export at %s\n", req.nbd_device);
		spdk_jsonrpc_send_error_response_fmt(request, -ENODEV, "No export at %s",
						     req.nbd_device);
		goto out;
	}
	spdk_nbd_stop(nbd);
	spdk_jsonrpc_send_bool_response(request, true);
out:
	free(req.nbd_device);
}
SPDK_RPC_REGISTER("nbd_stop_disk", rpc_nbd_stop_disk, SPDK_RPC_RUNTIME)

static void
rpc_nbd_write_disk(struct spdk_json_write_ctx *w, struct spdk_nbd_disk *nbd)
{
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "nbd_device", spdk_nbd_get_path(nbd));
	spdk_json_write_named_string(w, "bdev_name", spdk_nbd_disk_get_bdev_name(nbd));
	spdk_json_write_object_end(w);
}

static void
rpc_nbd_get_disks(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_nbd_device req = {};
	struct spdk_json_write_ctx *w;
	struct spdk_nbd_disk *nbd = NULL;

	if (params != NULL &&
	    spdk_json_decode_object(params, rpc_nbd_device_opt_decoders,
				    SPDK_COUNTOF(rpc_nbd_device_opt_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: nbd_get_disks takes an "
						 "optional nbd_device");
		goto out;
	}
	if (req.nbd_device != NULL) {
		nbd = spdk_nbd_disk_find_by_path(req.nbd_device);
		if (nbd == NULL) {
			spdk_jsonrpc_send_error_response_fmt(request, -ENODEV, "No export at %s",
							     req.nbd_device);
			goto out;
		}
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_array_begin(w);
	if (nbd != NULL) {
		rpc_nbd_write_disk(w, nbd);
	} else {
		for (nbd = spdk_nbd_disk_first(); nbd != NULL; nbd = spdk_nbd_disk_next(nbd)) {
			rpc_nbd_write_disk(w, nbd);
		}
	}
	spdk_json_write_array_end(w);
	spdk_jsonrpc_end_result(request, w);
out:
	free(req.nbd_device);
}
SPDK_RPC_REGISTER("nbd_get_disks", rpc_nbd_get_disks, SPDK_RPC_RUNTIME)
