/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The bdev layer's RPC methods (bdev_get_bdevs, bdev_get_iostat,
 * bdev_reset_iostat, bdev_enable_histogram, bdev_get_histogram,
 * bdev_set_options, bdev_wait_for_examine, bdev_examine) and the bdev part of
 * save_config (spdk_bdev_subsystem_config_json). Parameter names and result
 * shapes are SPDK's. Methods that gather statistics open a read-only
 * descriptor on each bdev they visit, so a bdev deleted meanwhile stays valid
 * until the reply is written.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/histogram_data.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"

#include "bdev_internal.h"

/* Most bdev names one bdev_get_iostat request may list. */
#define BDEV_RPC_MAX_NAMES 128

static void
bdev_rpc_event_cb(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
	/* The descriptors here live only for one request. */
}

static void
bdev_rpc_send_errno(struct spdk_jsonrpc_request *request, int rc)
{
	spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
}

/* ---- bdev_get_bdevs ---- */

static void
bdev_rpc_write_bdev(struct spdk_json_write_ctx *w, struct spdk_bdev *bdev)
{
	const struct spdk_bdev_aliases_list *aliases = spdk_bdev_get_aliases(bdev);
	struct spdk_bdev_alias *alias;
	uint64_t limits[SPDK_BDEV_QOS_NUM_RATE_LIMIT_TYPES];
	char uuid[SPDK_UUID_STRING_LEN];
	int i;

	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "name", spdk_bdev_get_name(bdev));
	spdk_json_write_named_array_begin(w, "aliases");
	if (aliases != NULL) {
		TAILQ_FOREACH (alias, aliases, tailq) {
			spdk_json_write_string(w, alias->alias.name);
		}
	}
	spdk_json_write_array_end(w);
	spdk_json_write_named_string(w, "product_name", spdk_bdev_get_product_name(bdev));
	spdk_json_write_named_uint32(w, "block_size", spdk_bdev_get_block_size(bdev));
	spdk_json_write_named_uint64(w, "num_blocks", spdk_bdev_get_num_blocks(bdev));
	spdk_json_write_named_uint32(w, "preferred_write_alignment",
				     bdev->preferred_write_alignment);
	spdk_json_write_named_uint32(w, "preferred_write_granularity",
				     bdev->preferred_write_granularity);
	spdk_json_write_named_uint32(w, "optimal_write_size", bdev->optimal_write_size);
	spdk_json_write_named_uint32(w, "preferred_unmap_alignment",
				     bdev->preferred_unmap_alignment);
	spdk_json_write_named_uint32(w, "preferred_unmap_granularity",
				     bdev->preferred_unmap_granularity);
	if (!spdk_uuid_is_null(spdk_bdev_get_uuid(bdev))) {
		spdk_uuid_fmt_lower(uuid, sizeof(uuid), spdk_bdev_get_uuid(bdev));
		spdk_json_write_named_string(w, "uuid", uuid);
	}
	if (spdk_bdev_get_numa_id(bdev) != SPDK_ENV_NUMA_ID_ANY) {
		spdk_json_write_named_int32(w, "numa_id", spdk_bdev_get_numa_id(bdev));
	}
	if (spdk_bdev_get_md_size(bdev) != 0) {
		spdk_json_write_named_uint32(w, "md_size", spdk_bdev_get_md_size(bdev));
		spdk_json_write_named_bool(w, "md_interleave", spdk_bdev_is_md_interleaved(bdev));
		spdk_json_write_named_uint32(w, "dif_type", (uint32_t)spdk_bdev_get_dif_type(bdev));
	}
	spdk_json_write_named_object_begin(w, "assigned_rate_limits");
	spdk_bdev_get_qos_rate_limits(bdev, limits);
	for (i = 0; i < SPDK_BDEV_QOS_NUM_RATE_LIMIT_TYPES; i++) {
		const char *type =
			spdk_bdev_get_qos_rpc_type((enum spdk_bdev_qos_rate_limit_type)i);

		if (type != NULL) {
			spdk_json_write_named_uint64(w, type, limits[i]);
		}
	}
	spdk_json_write_object_end(w);
	spdk_json_write_named_bool(w, "claimed", bdev->internal.claim_type != SPDK_BDEV_CLAIM_NONE);
	if (bdev->internal.claim_type != SPDK_BDEV_CLAIM_NONE) {
		spdk_json_write_named_string(w, "claim_type",
					     spdk_bdev_claim_get_name(bdev->internal.claim_type));
	}
	spdk_json_write_named_bool(w, "zoned", spdk_bdev_is_zoned(bdev));
	spdk_json_write_named_object_begin(w, "supported_io_types");
	for (i = 0; i < SPDK_BDEV_NUM_IO_TYPES; i++) {
		const char *name = spdk_bdev_get_io_type_name((enum spdk_bdev_io_type)i);

		if (name != NULL) {
			spdk_json_write_named_bool(
				w, name,
				spdk_bdev_io_type_supported(bdev, (enum spdk_bdev_io_type)i));
		}
	}
	spdk_json_write_object_end(w);
	spdk_json_write_named_object_begin(w, "driver_specific");
	spdk_bdev_dump_info_json(bdev, w);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
}

struct rpc_get_bdevs {
	char *name;
	uint64_t timeout;
	struct spdk_jsonrpc_request *request;
	struct spdk_poller *poller;
	uint64_t deadline;
};

static const struct spdk_json_object_decoder rpc_get_bdevs_decoders[] = {
	{"name", offsetof(struct rpc_get_bdevs, name), spdk_json_decode_string, true},
	{"timeout", offsetof(struct rpc_get_bdevs, timeout), spdk_json_decode_uint64, true},
};

static void
rpc_get_bdevs_free(struct rpc_get_bdevs *req)
{
	free(req->name);
	free(req);
}

static void
rpc_get_bdevs_reply(struct rpc_get_bdevs *req, struct spdk_bdev *one)
{
	struct spdk_json_write_ctx *w = spdk_jsonrpc_begin_result(req->request);
	struct spdk_bdev *bdev;

	spdk_json_write_array_begin(w);
	if (one != NULL) {
		bdev_rpc_write_bdev(w, one);
	} else {
		for (bdev = spdk_bdev_first(); bdev != NULL; bdev = spdk_bdev_next(bdev)) {
			bdev_rpc_write_bdev(w, bdev);
		}
	}
	spdk_json_write_array_end(w);
	spdk_jsonrpc_end_result(req->request, w);
	rpc_get_bdevs_free(req);
}

static int
rpc_get_bdevs_wait(void *arg)
{
	struct rpc_get_bdevs *req = arg;
	struct spdk_bdev *bdev = spdk_bdev_get_by_name(req->name);

	if (bdev == NULL && spdk_get_ticks() < req->deadline) {
		return SPDK_POLLER_IDLE;
	}
	spdk_poller_unregister(&req->poller);
	if (bdev == NULL) {
		spdk_jsonrpc_send_error_response_fmt(req->request, -ENODEV, "bdev %s not found",
						     req->name);
		rpc_get_bdevs_free(req);
		return SPDK_POLLER_BUSY;
	}
	rpc_get_bdevs_reply(req, bdev);
	return SPDK_POLLER_BUSY;
}

static void
rpc_bdev_get_bdevs(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_get_bdevs *req = calloc(1, sizeof(*req));
	struct spdk_bdev *bdev = NULL;

	if (req == NULL) {
		bdev_rpc_send_errno(request, -ENOMEM);
		return;
	}
	req->request = request;
	if (params != NULL &&
	    spdk_json_decode_object(params, rpc_get_bdevs_decoders,
				    SPDK_COUNTOF(rpc_get_bdevs_decoders), req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: expected {\"name\": string, "
						 "\"timeout\": number} (both optional)");
		rpc_get_bdevs_free(req);
		return;
	}
	if (req->name != NULL) {
		bdev = spdk_bdev_get_by_name(req->name);
		if (bdev == NULL && req->timeout > 0) {
			req->deadline =
				spdk_get_ticks() + req->timeout * spdk_get_ticks_hz() / 1000;
			req->poller = SPDK_POLLER_REGISTER(rpc_get_bdevs_wait, req, 1000);
			if (req->poller != NULL) {
				return;
			}
		}
		if (bdev == NULL) {
			spdk_jsonrpc_send_error_response_fmt(request, -ENODEV, "bdev %s not found",
							     req->name);
			rpc_get_bdevs_free(req);
			return;
		}
	}
	rpc_get_bdevs_reply(req, bdev);
}
SPDK_RPC_REGISTER("bdev_get_bdevs", rpc_bdev_get_bdevs, SPDK_RPC_RUNTIME)

/* ---- bdev_get_iostat / bdev_reset_iostat ---- */

struct rpc_iostat_names {
	size_t count;
	char *names[BDEV_RPC_MAX_NAMES];
};

struct rpc_iostat {
	char *name;
	struct rpc_iostat_names names;
	bool per_channel;
	char *reset_mode;
	char *mode;
	enum spdk_bdev_reset_stat_mode reset;
	struct spdk_jsonrpc_request *request;
	struct spdk_json_write_ctx *w;
	/* The bdevs to visit, each held open. */
	struct spdk_bdev_desc **descs;
	size_t ndescs;
	size_t next;
	struct spdk_bdev_io_stat stat;
	bool reset_only;
};

static int
rpc_decode_names(const struct spdk_json_val *val, void *out)
{
	struct rpc_iostat_names *names = out;

	return spdk_json_decode_array(val, spdk_json_decode_string, names->names,
				      BDEV_RPC_MAX_NAMES, &names->count, sizeof(char *));
}

static const struct spdk_json_object_decoder rpc_get_iostat_decoders[] = {
	{"name", offsetof(struct rpc_iostat, name), spdk_json_decode_string, true},
	{"names", offsetof(struct rpc_iostat, names), rpc_decode_names, true},
	{"per_channel", offsetof(struct rpc_iostat, per_channel), spdk_json_decode_bool, true},
	{"reset_mode", offsetof(struct rpc_iostat, reset_mode), spdk_json_decode_string, true},
};

static const struct spdk_json_object_decoder rpc_reset_iostat_decoders[] = {
	{"name", offsetof(struct rpc_iostat, name), spdk_json_decode_string, true},
	{"mode", offsetof(struct rpc_iostat, mode), spdk_json_decode_string, true},
};

static void
rpc_iostat_free(struct rpc_iostat *req)
{
	size_t i;

	for (i = 0; i < req->ndescs; i++) {
		spdk_bdev_close(req->descs[i]);
	}
	free(req->descs);
	for (i = 0; i < req->names.count; i++) {
		free(req->names.names[i]);
	}
	free(req->name);
	free(req->reset_mode);
	free(req->mode);
	free(req);
}

static int
rpc_iostat_parse_mode(const char *mode, enum spdk_bdev_reset_stat_mode *out)
{
	if (mode == NULL || strcmp(mode, "none") == 0) {
		*out = SPDK_BDEV_RESET_STAT_NONE;
	} else if (strcmp(mode, "all") == 0) {
		*out = SPDK_BDEV_RESET_STAT_ALL;
	} else if (strcmp(mode, "maxmin") == 0) {
		*out = SPDK_BDEV_RESET_STAT_MAXMIN;
	} else if (strcmp(mode, "error") == 0) {
		*out = SPDK_BDEV_RESET_STAT_ERROR;
	} else {
		return -EINVAL;
	}
	return 0;
}

static int
rpc_iostat_open(struct rpc_iostat *req, const char *name)
{
	int rc;

	rc = spdk_bdev_open_ext(name, false, bdev_rpc_event_cb, NULL, &req->descs[req->ndescs]);
	if (rc == 0) {
		req->ndescs++;
	}
	return rc;
}

/* Open every bdev the request names (or all of them). */
static int
rpc_iostat_collect(struct rpc_iostat *req, const char **bad_name)
{
	struct spdk_bdev *bdev;
	size_t n = 0, i;
	int rc;

	if (req->name != NULL || req->names.count > 0) {
		n = req->names.count + (req->name != NULL ? 1 : 0);
	} else {
		for (bdev = spdk_bdev_first(); bdev != NULL; bdev = spdk_bdev_next(bdev)) {
			n++;
		}
	}
	req->descs = calloc(n + 1, sizeof(*req->descs));
	if (req->descs == NULL) {
		return -ENOMEM;
	}
	if (req->name != NULL || req->names.count > 0) {
		if (req->name != NULL) {
			rc = rpc_iostat_open(req, req->name);
			if (rc != 0) {
				*bad_name = req->name;
				return rc;
			}
		}
		for (i = 0; i < req->names.count; i++) {
			rc = rpc_iostat_open(req, req->names.names[i]);
			if (rc != 0) {
				*bad_name = req->names.names[i];
				return rc;
			}
		}
		return 0;
	}
	for (bdev = spdk_bdev_first(); bdev != NULL && req->ndescs < n;
	     bdev = spdk_bdev_next(bdev)) {
		/* A bdev that is going away is simply left out. */
		rpc_iostat_open(req, spdk_bdev_get_name(bdev));
	}
	return 0;
}

static void
rpc_write_stat(struct spdk_json_write_ctx *w, const struct spdk_bdev_io_stat *stat)
{
#define STAT_MIN(v) ((v) == UINT64_MAX ? 0 : (v))
	spdk_json_write_named_uint64(w, "bytes_read", stat->bytes_read);
	spdk_json_write_named_uint64(w, "num_read_ops", stat->num_read_ops);
	spdk_json_write_named_uint64(w, "bytes_written", stat->bytes_written);
	spdk_json_write_named_uint64(w, "num_write_ops", stat->num_write_ops);
	spdk_json_write_named_uint64(w, "bytes_unmapped", stat->bytes_unmapped);
	spdk_json_write_named_uint64(w, "num_unmap_ops", stat->num_unmap_ops);
	spdk_json_write_named_uint64(w, "bytes_copied", stat->bytes_copied);
	spdk_json_write_named_uint64(w, "num_copy_ops", stat->num_copy_ops);
	spdk_json_write_named_uint64(w, "read_latency_ticks", stat->read_latency_ticks);
	spdk_json_write_named_uint64(w, "max_read_latency_ticks", stat->max_read_latency_ticks);
	spdk_json_write_named_uint64(w, "min_read_latency_ticks",
				     STAT_MIN(stat->min_read_latency_ticks));
	spdk_json_write_named_uint64(w, "write_latency_ticks", stat->write_latency_ticks);
	spdk_json_write_named_uint64(w, "max_write_latency_ticks", stat->max_write_latency_ticks);
	spdk_json_write_named_uint64(w, "min_write_latency_ticks",
				     STAT_MIN(stat->min_write_latency_ticks));
	spdk_json_write_named_uint64(w, "unmap_latency_ticks", stat->unmap_latency_ticks);
	spdk_json_write_named_uint64(w, "max_unmap_latency_ticks", stat->max_unmap_latency_ticks);
	spdk_json_write_named_uint64(w, "min_unmap_latency_ticks",
				     STAT_MIN(stat->min_unmap_latency_ticks));
	spdk_json_write_named_uint64(w, "copy_latency_ticks", stat->copy_latency_ticks);
	spdk_json_write_named_uint64(w, "max_copy_latency_ticks", stat->max_copy_latency_ticks);
	spdk_json_write_named_uint64(w, "min_copy_latency_ticks",
				     STAT_MIN(stat->min_copy_latency_ticks));
#undef STAT_MIN
}

static void rpc_iostat_next(struct rpc_iostat *req);

static void
rpc_iostat_device_done(struct spdk_bdev *bdev, struct spdk_bdev_io_stat *stat, void *cb_arg, int rc)
{
	struct rpc_iostat *req = cb_arg;

	if (!req->reset_only) {
		spdk_json_write_object_begin(req->w);
		spdk_json_write_named_string(req->w, "name", spdk_bdev_get_name(bdev));
		rpc_write_stat(req->w, stat);
		spdk_json_write_object_end(req->w);
	}
	rpc_iostat_next(req);
}

static void
rpc_iostat_channel(struct spdk_bdev_channel_iter *iter, struct spdk_bdev *bdev,
		   struct spdk_io_channel *ch, void *ctx)
{
	struct rpc_iostat *req = ctx;
	struct spdk_bdev_io_stat stat = {};

	spdk_bdev_get_io_stat(bdev, ch, &stat, req->reset);
	spdk_json_write_object_begin(req->w);
	spdk_json_write_named_uint64(req->w, "thread_id", spdk_thread_get_id(spdk_get_thread()));
	rpc_write_stat(req->w, &stat);
	spdk_json_write_object_end(req->w);
	spdk_bdev_for_each_channel_continue(iter, 0);
}

static void
rpc_iostat_channels_done(struct spdk_bdev *bdev, void *ctx, int status)
{
	struct rpc_iostat *req = ctx;

	spdk_json_write_array_end(req->w);
	spdk_json_write_object_end(req->w);
	rpc_iostat_next(req);
}

static void
rpc_iostat_next(struct rpc_iostat *req)
{
	struct spdk_bdev *bdev;

	if (req->next == req->ndescs) {
		if (req->reset_only) {
			spdk_jsonrpc_send_bool_response(req->request, true);
		} else {
			spdk_json_write_array_end(req->w);
			spdk_json_write_object_end(req->w);
			spdk_jsonrpc_end_result(req->request, req->w);
		}
		rpc_iostat_free(req);
		return;
	}
	bdev = spdk_bdev_desc_get_bdev(req->descs[req->next++]);
	if (req->per_channel) {
		spdk_json_write_object_begin(req->w);
		spdk_json_write_named_string(req->w, "name", spdk_bdev_get_name(bdev));
		spdk_json_write_named_array_begin(req->w, "channels");
		spdk_bdev_for_each_channel(bdev, rpc_iostat_channel, req, rpc_iostat_channels_done);
		return;
	}
	memset(&req->stat, 0, sizeof(req->stat));
	spdk_bdev_get_device_stat(bdev, &req->stat, req->reset, rpc_iostat_device_done, req);
}

static void
rpc_iostat_start(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
		 bool reset_only)
{
	struct rpc_iostat *req = calloc(1, sizeof(*req));
	const char *bad_name = NULL;
	int rc;

	if (req == NULL) {
		bdev_rpc_send_errno(request, -ENOMEM);
		return;
	}
	req->request = request;
	req->reset_only = reset_only;
	if (params != NULL) {
		rc = reset_only
			     ? spdk_json_decode_object(params, rpc_reset_iostat_decoders,
						       SPDK_COUNTOF(rpc_reset_iostat_decoders), req)
			     : spdk_json_decode_object(params, rpc_get_iostat_decoders,
						       SPDK_COUNTOF(rpc_get_iostat_decoders), req);
		if (rc != 0) {
			spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
							 "Invalid parameters");
			rpc_iostat_free(req);
			return;
		}
	}
	if (rpc_iostat_parse_mode(reset_only ? (req->mode ? req->mode : "all") : req->reset_mode,
				  &req->reset) != 0) {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
			"Invalid mode: expected all, maxmin, error or none");
		rpc_iostat_free(req);
		return;
	}
	rc = rpc_iostat_collect(req, &bad_name);
	if (rc != 0) {
		if (bad_name != NULL) {
			spdk_jsonrpc_send_error_response_fmt(request, rc, "bdev %s: %s", bad_name,
							     spdk_strerror(-rc));
		} else {
			bdev_rpc_send_errno(request, rc);
		}
		rpc_iostat_free(req);
		return;
	}
	if (!reset_only) {
		req->w = spdk_jsonrpc_begin_result(request);
		spdk_json_write_object_begin(req->w);
		spdk_json_write_named_uint64(req->w, "tick_rate", spdk_get_ticks_hz());
		spdk_json_write_named_uint64(req->w, "ticks", spdk_get_ticks());
		spdk_json_write_named_array_begin(req->w, "bdevs");
	}
	rpc_iostat_next(req);
}

static void
rpc_bdev_get_iostat(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_iostat_start(request, params, false);
}
SPDK_RPC_REGISTER("bdev_get_iostat", rpc_bdev_get_iostat, SPDK_RPC_RUNTIME)

static void
rpc_bdev_reset_iostat(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_iostat_start(request, params, true);
}
SPDK_RPC_REGISTER("bdev_reset_iostat", rpc_bdev_reset_iostat, SPDK_RPC_RUNTIME)

/* ---- histograms ---- */

struct rpc_histogram {
	char *name;
	bool enable;
	struct spdk_jsonrpc_request *request;
	struct spdk_bdev_desc *desc;
	struct spdk_histogram_data *histogram;
};

static const struct spdk_json_object_decoder rpc_enable_histogram_decoders[] = {
	{"name", offsetof(struct rpc_histogram, name), spdk_json_decode_string},
	{"enable", offsetof(struct rpc_histogram, enable), spdk_json_decode_bool},
};

static const struct spdk_json_object_decoder rpc_get_histogram_decoders[] = {
	{"name", offsetof(struct rpc_histogram, name), spdk_json_decode_string},
};

static void
rpc_histogram_free(struct rpc_histogram *req)
{
	if (req->desc != NULL) {
		spdk_bdev_close(req->desc);
	}
	spdk_histogram_data_free(req->histogram);
	free(req->name);
	free(req);
}

static struct rpc_histogram *
rpc_histogram_begin(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
		    const struct spdk_json_object_decoder *decoders, size_t n)
{
	struct rpc_histogram *req = calloc(1, sizeof(*req));
	int rc;

	if (req == NULL) {
		bdev_rpc_send_errno(request, -ENOMEM);
		return NULL;
	}
	req->request = request;
	if (params == NULL || spdk_json_decode_object(params, decoders, n, req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		rpc_histogram_free(req);
		return NULL;
	}
	rc = spdk_bdev_open_ext(req->name, false, bdev_rpc_event_cb, NULL, &req->desc);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, rc, "bdev %s: %s", req->name,
						     spdk_strerror(-rc));
		rpc_histogram_free(req);
		return NULL;
	}
	return req;
}

static void
rpc_enable_histogram_done(void *cb_arg, int status)
{
	struct rpc_histogram *req = cb_arg;

	if (status == 0) {
		spdk_jsonrpc_send_bool_response(req->request, true);
	} else {
		bdev_rpc_send_errno(req->request, status);
	}
	rpc_histogram_free(req);
}

static void
rpc_bdev_enable_histogram(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_histogram *req =
		rpc_histogram_begin(request, params, rpc_enable_histogram_decoders,
				    SPDK_COUNTOF(rpc_enable_histogram_decoders));

	if (req != NULL) {
		spdk_bdev_histogram_enable(spdk_bdev_desc_get_bdev(req->desc),
					   rpc_enable_histogram_done, req, req->enable);
	}
}
SPDK_RPC_REGISTER("bdev_enable_histogram", rpc_bdev_enable_histogram, SPDK_RPC_RUNTIME)

static const char g_base64_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *
bdev_rpc_base64(const uint8_t *data, size_t len)
{
	char *out = malloc((len + 2) / 3 * 4 + 1), *p;
	size_t i;

	if (out == NULL) {
		return NULL;
	}
	p = out;
	for (i = 0; i + 2 < len; i += 3) {
		uint32_t v = (uint32_t)data[i] << 16 | (uint32_t)data[i + 1] << 8 | data[i + 2];

		*p++ = g_base64_chars[(v >> 18) & 63];
		*p++ = g_base64_chars[(v >> 12) & 63];
		*p++ = g_base64_chars[(v >> 6) & 63];
		*p++ = g_base64_chars[v & 63];
	}
	if (i < len) {
		uint32_t v =
			(uint32_t)data[i] << 16 | (i + 1 < len ? (uint32_t)data[i + 1] << 8 : 0);

		*p++ = g_base64_chars[(v >> 18) & 63];
		*p++ = g_base64_chars[(v >> 12) & 63];
		*p++ = i + 1 < len ? g_base64_chars[(v >> 6) & 63] : '=';
		*p++ = '=';
	}
	*p = '\0';
	return out;
}

static void
rpc_get_histogram_done(void *cb_arg, int status, struct spdk_histogram_data *histogram)
{
	struct rpc_histogram *req = cb_arg;
	struct spdk_json_write_ctx *w;
	char *encoded;

	if (status != 0) {
		bdev_rpc_send_errno(req->request, status);
		rpc_histogram_free(req);
		return;
	}
	encoded = bdev_rpc_base64((const uint8_t *)histogram->bucket,
				  SPDK_HISTOGRAM_NUM_BUCKETS(histogram) * sizeof(uint64_t));
	if (encoded == NULL) {
		bdev_rpc_send_errno(req->request, -ENOMEM);
		rpc_histogram_free(req);
		return;
	}
	w = spdk_jsonrpc_begin_result(req->request);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "histogram", encoded);
	spdk_json_write_named_int64(w, "bucket_shift", histogram->bucket_shift);
	spdk_json_write_named_int64(w, "tsc_rate", (int64_t)spdk_get_ticks_hz());
	spdk_json_write_object_end(w);
	spdk_jsonrpc_end_result(req->request, w);
	free(encoded);
	rpc_histogram_free(req);
}

static void
rpc_bdev_get_histogram(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_histogram *req = rpc_histogram_begin(request, params, rpc_get_histogram_decoders,
							SPDK_COUNTOF(rpc_get_histogram_decoders));

	if (req == NULL) {
		return;
	}
	req->histogram = spdk_histogram_data_alloc();
	if (req->histogram == NULL) {
		bdev_rpc_send_errno(request, -ENOMEM);
		rpc_histogram_free(req);
		return;
	}
	spdk_bdev_histogram_get(spdk_bdev_desc_get_bdev(req->desc), req->histogram,
				rpc_get_histogram_done, req);
}
SPDK_RPC_REGISTER("bdev_get_histogram", rpc_bdev_get_histogram, SPDK_RPC_RUNTIME)

/* ---- bdev_set_options / bdev_wait_for_examine / bdev_examine ---- */

struct rpc_set_options {
	uint32_t bdev_io_pool_size;
	uint32_t bdev_io_cache_size;
	bool bdev_auto_examine;
	uint32_t iobuf_small_cache_size;
	uint32_t iobuf_large_cache_size;
};

static const struct spdk_json_object_decoder rpc_set_options_decoders[] = {
	{"bdev_io_pool_size", offsetof(struct rpc_set_options, bdev_io_pool_size),
	 spdk_json_decode_uint32, true},
	{"bdev_io_cache_size", offsetof(struct rpc_set_options, bdev_io_cache_size),
	 spdk_json_decode_uint32, true},
	{"bdev_auto_examine", offsetof(struct rpc_set_options, bdev_auto_examine),
	 spdk_json_decode_bool, true},
	{"iobuf_small_cache_size", offsetof(struct rpc_set_options, iobuf_small_cache_size),
	 spdk_json_decode_uint32, true},
	{"iobuf_large_cache_size", offsetof(struct rpc_set_options, iobuf_large_cache_size),
	 spdk_json_decode_uint32, true},
};

static void
rpc_bdev_set_options(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct spdk_bdev_opts opts;
	struct rpc_set_options req;
	int rc;

	spdk_bdev_get_opts(&opts, sizeof(opts));
	req.bdev_io_pool_size = opts.bdev_io_pool_size;
	req.bdev_io_cache_size = opts.bdev_io_cache_size;
	req.bdev_auto_examine = opts.bdev_auto_examine;
	req.iobuf_small_cache_size = opts.iobuf_small_cache_size;
	req.iobuf_large_cache_size = opts.iobuf_large_cache_size;
	if (params != NULL &&
	    spdk_json_decode_object(params, rpc_set_options_decoders,
				    SPDK_COUNTOF(rpc_set_options_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		return;
	}
	opts.bdev_io_pool_size = req.bdev_io_pool_size;
	opts.bdev_io_cache_size = req.bdev_io_cache_size;
	opts.bdev_auto_examine = req.bdev_auto_examine;
	opts.iobuf_small_cache_size = req.iobuf_small_cache_size;
	opts.iobuf_large_cache_size = req.iobuf_large_cache_size;
	rc = spdk_bdev_set_opts(&opts);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "Pool size %u too small for cache size %u",
						     opts.bdev_io_pool_size,
						     opts.bdev_io_cache_size);
		return;
	}
	spdk_jsonrpc_send_bool_response(request, true);
}
SPDK_RPC_REGISTER("bdev_set_options", rpc_bdev_set_options, SPDK_RPC_STARTUP)

static void
rpc_wait_for_examine_done(void *arg)
{
	spdk_jsonrpc_send_bool_response(arg, true);
}

static void
rpc_bdev_wait_for_examine(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	int rc;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "bdev_wait_for_examine requires no parameters");
		return;
	}
	rc = spdk_bdev_wait_for_examine(rpc_wait_for_examine_done, request);
	if (rc != 0) {
		bdev_rpc_send_errno(request, rc);
	}
}
SPDK_RPC_REGISTER("bdev_wait_for_examine", rpc_bdev_wait_for_examine, SPDK_RPC_RUNTIME)

struct rpc_examine {
	char *name;
};

static const struct spdk_json_object_decoder rpc_examine_decoders[] = {
	{"name", offsetof(struct rpc_examine, name), spdk_json_decode_string},
};

static void
rpc_bdev_examine(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_examine req = {};
	int rc;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_examine_decoders,
				    SPDK_COUNTOF(rpc_examine_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		goto out;
	}
	rc = spdk_bdev_examine(req.name);
	if (rc != 0) {
		bdev_rpc_send_errno(request, rc);
		goto out;
	}
	spdk_jsonrpc_send_bool_response(request, true);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("bdev_examine", rpc_bdev_examine, SPDK_RPC_RUNTIME)

/* ---- save_config ---- */

void
spdk_bdev_subsystem_config_json(struct spdk_json_write_ctx *w)
{
	struct spdk_bdev_module *module;
	struct spdk_bdev *bdev;
	struct spdk_bdev_opts opts;

	spdk_bdev_get_opts(&opts, sizeof(opts));
	spdk_json_write_array_begin(w);

	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", "bdev_set_options");
	spdk_json_write_named_object_begin(w, "params");
	spdk_json_write_named_uint32(w, "bdev_io_pool_size", opts.bdev_io_pool_size);
	spdk_json_write_named_uint32(w, "bdev_io_cache_size", opts.bdev_io_cache_size);
	spdk_json_write_named_bool(w, "bdev_auto_examine", opts.bdev_auto_examine);
	spdk_json_write_named_uint32(w, "iobuf_small_cache_size", opts.iobuf_small_cache_size);
	spdk_json_write_named_uint32(w, "iobuf_large_cache_size", opts.iobuf_large_cache_size);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);

	/* Modules register from constructors and are never removed, so their
	 * list is walked without the lock. */
	TAILQ_FOREACH (module, &g_bdev_mgr.modules, internal.tailq) {
		if (module->config_json != NULL) {
			module->config_json(w);
		}
	}
	for (bdev = spdk_bdev_first(); bdev != NULL; bdev = spdk_bdev_next(bdev)) {
		if (bdev->fn_table->write_config_json != NULL) {
			bdev->fn_table->write_config_json(bdev, w);
		}
		if (bdev->internal.histogram_enabled) {
			spdk_json_write_object_begin(w);
			spdk_json_write_named_string(w, "method", "bdev_enable_histogram");
			spdk_json_write_named_object_begin(w, "params");
			spdk_json_write_named_string(w, "name", spdk_bdev_get_name(bdev));
			spdk_json_write_named_bool(w, "enable", true);
			spdk_json_write_object_end(w);
			spdk_json_write_object_end(w);
		}
	}

	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "method", "bdev_wait_for_examine");
	spdk_json_write_object_end(w);
	spdk_json_write_array_end(w);
}

/* ---- bdev_reset (updk): reset a bdev, answer when the reset has completed ---- */

struct rpc_bdev_reset {
	char *name;
	struct spdk_jsonrpc_request *request;
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
};

static const struct spdk_json_object_decoder rpc_bdev_reset_decoders[] = {
	{"name", offsetof(struct rpc_bdev_reset, name), spdk_json_decode_string},
};

static void
rpc_bdev_reset_free(struct rpc_bdev_reset *req)
{
	if (req->ch != NULL) {
		spdk_put_io_channel(req->ch);
	}
	if (req->desc != NULL) {
		spdk_bdev_close(req->desc);
	}
	free(req->name);
	free(req);
}

static void
rpc_bdev_reset_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct rpc_bdev_reset *req = cb_arg;

	spdk_bdev_free_io(bdev_io);
	if (success) {
		spdk_jsonrpc_send_bool_response(req->request, true);
	} else {
		SPDK_ERRLOG("bdev_reset: the reset of bdev %s failed\n", req->name);
		spdk_jsonrpc_send_error_response_fmt(req->request, -EIO, "bdev %s: reset failed",
						     req->name);
	}
	rpc_bdev_reset_free(req);
}

static void
rpc_bdev_reset(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_bdev_reset *req = calloc(1, sizeof(*req));
	int rc;

	if (req == NULL) {
		bdev_rpc_send_errno(request, -ENOMEM);
		return;
	}
	req->request = request;
	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_bdev_reset_decoders,
				    SPDK_COUNTOF(rpc_bdev_reset_decoders), req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters: bdev_reset needs name");
		rpc_bdev_reset_free(req);
		return;
	}
	rc = spdk_bdev_open_ext(req->name, false, bdev_rpc_event_cb, NULL, &req->desc);
	if (rc == 0) {
		req->ch = spdk_bdev_get_io_channel(req->desc);
		rc = req->ch == NULL
			     ? -ENOMEM
			     : spdk_bdev_reset(req->desc, req->ch, rpc_bdev_reset_done, req);
	}
	if (rc != 0) {
		SPDK_ERRLOG("bdev_reset: bdev %s: %s\n", req->name, spdk_strerror(-rc));
		spdk_jsonrpc_send_error_response_fmt(request, rc, "bdev %s: %s", req->name,
						     spdk_strerror(-rc));
		rpc_bdev_reset_free(req);
	}
}
SPDK_RPC_REGISTER("bdev_reset", rpc_bdev_reset, SPDK_RPC_RUNTIME)
