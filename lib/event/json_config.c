/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Loading a JSON configuration (SPDK's format) by replaying its entries as RPC
 * method calls, in file order, one at a time, on the init thread.
 *
 * Format (each key is checked; anything else at the top level is ignored):
 *
 *   key                 type              meaning
 *   ------------------  ----------------  --------------------------------------
 *   subsystems          array             one element per subsystem, in order
 *   .subsystem          string            subsystem name ("bdev")
 *   .config             array or null     the entries of that subsystem
 *   .config[i]          object or array   an entry; an array is a batch of entries
 *   .config[i].method   string            the RPC method to call
 *   .config[i].params   object, array,    its parameters (optional)
 *                       or null
 *
 * A configuration is loaded in two passes: before the subsystems are
 * initialised (RPC state STARTUP) only methods allowed in that state run;
 * after it (RUNTIME) the methods allowed at runtime and not at startup. An
 * unknown method is skipped with a notice when its subsystem is not linked
 * into the application, and is an error otherwise. Every error names the
 * source, the entry and the problem; a syntax error also names the line and
 * the column.
 */

#include "spdk/stdinc.h"
#include "spdk/init.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "updk/string.h"
#include "updk_internal/json.h"
#include "updk_internal/rpc.h"

#include "event_internal.h"

/* Largest configuration file accepted. */
#define JSON_CONFIG_MAX_SIZE (64 * 1024 * 1024)

struct json_config_ctx {
	char source[256];
	/* Private copy of the text, for error positions. */
	char *data;
	size_t size;
	struct spdk_json_val *values;
	/* The "subsystems" array, the current subsystem and its entry. */
	struct spdk_json_val *subsystems;
	struct spdk_json_val *subsystem;
	struct spdk_json_val *config;
	struct spdk_json_val *entry;
	/* Inside a batch: the batch and its current element. */
	struct spdk_json_val *batch;
	struct spdk_json_val *batch_entry;
	char subsystem_name[64];
	char method[128];
	uint32_t subsystem_index;
	uint32_t entry_index;
	/* SPDK_RPC_STARTUP or SPDK_RPC_RUNTIME. */
	uint32_t state;
	/* Report unknown methods (only in the first pass over the data). */
	bool report_unknown;
	bool stop_on_error;
	int rc;
	struct spdk_thread *thread;
	spdk_subsystem_init_fn cb_fn;
	void *cb_arg;
};

static void json_config_next_entry(void *arg);

int
json_config_read_file(const char *path, void **data, size_t *size)
{
	struct stat st;
	char *buf;
	size_t done = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		SPDK_ERRLOG("cannot open JSON config file %s: %s\n", path, spdk_strerror(-rc));
		return rc;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		rc = S_ISREG(st.st_mode) ? -errno : -EINVAL;
		SPDK_ERRLOG("JSON config file %s is not a regular file\n", path);
		close(fd);
		return rc;
	}
	if (st.st_size > JSON_CONFIG_MAX_SIZE) {
		SPDK_ERRLOG("JSON config file %s is too large (%lld bytes; at most %d)\n", path,
			    (long long)st.st_size, JSON_CONFIG_MAX_SIZE);
		close(fd);
		return -EFBIG;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		SPDK_ERRLOG("cannot read JSON config file %s: out of memory\n", path);
		close(fd);
		return -ENOMEM;
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			SPDK_ERRLOG("cannot read JSON config file %s: %s\n", path,
				    spdk_strerror(-rc));
			free(buf);
			close(fd);
			return rc;
		}
		done += (size_t)n;
	}
	close(fd);
	buf[done] = '\0';
	*data = buf;
	*size = done;
	return 0;
}

static void
json_config_finish(struct json_config_ctx *ctx, int rc)
{
	spdk_subsystem_init_fn cb_fn = ctx->cb_fn;
	void *cb_arg = ctx->cb_arg;

	updk__json_free(ctx->values);
	free(ctx->data);
	free(ctx);
	if (cb_fn != NULL) {
		cb_fn(rc, cb_arg);
	}
}

/* Line and column (both from 1) of byte \p offset of the text. */
static void
json_config_position(const char *text, size_t offset, uint32_t *line, uint32_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < offset; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

/* Parse ctx->data into ctx->values; a syntax error is logged with its place. */
static int
json_config_parse(struct json_config_ctx *ctx)
{
	char err[256] = "";
	size_t n = 0, consumed = 0;
	uint32_t line, col;
	const char *p;
	int rc;

	rc = updk__json_parse(ctx->data, ctx->size, SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS,
			      &ctx->values, &n, &consumed, err, sizeof(err));
	switch (rc) {
	case 0:
		break;
	case -EAGAIN:
		SPDK_ERRLOG("%s: JSON syntax error: the text ends before the configuration is "
			    "complete%s%s\n",
			    ctx->source, err[0] != '\0' ? ": " : "", err);
		return -EINVAL;
	case -ENOMEM:
		SPDK_ERRLOG("%s: cannot parse the configuration: out of memory\n", ctx->source);
		return -ENOMEM;
	case -ELOOP:
		SPDK_ERRLOG("%s: the JSON nests too deeply: %s\n", ctx->source, err);
		return -EINVAL;
	default:
		SPDK_ERRLOG("%s: JSON syntax error at %s\n", ctx->source,
			    err[0] != '\0' ? err : "an unknown place");
		return -EINVAL;
	}

	/* Only white space may follow the configuration. */
	for (p = ctx->data + consumed; p < ctx->data + ctx->size; p++) {
		if (!isspace((unsigned char)*p)) {
			json_config_position(ctx->data, (size_t)(p - ctx->data), &line, &col);
			SPDK_ERRLOG("%s: JSON syntax error at line %u column %u: unexpected text "
				    "after the configuration\n",
				    ctx->source, line, col);
			return -EINVAL;
		}
	}
	if (n == 0) {
		SPDK_ERRLOG("%s: the configuration is empty\n", ctx->source);
		return -EINVAL;
	}
	return 0;
}

static void
json_config_copy_string(const struct spdk_json_val *val, char *buf, size_t len)
{
	size_t n = val->len < len - 1 ? val->len : len - 1;

	memcpy(buf, val->start, n);
	buf[n] = '\0';
}

/* Record a failure of the current entry; returns whether loading goes on. */
static bool
json_config_entry_failed(struct json_config_ctx *ctx, int rc)
{
	if (ctx->rc == 0) {
		ctx->rc = rc;
	}
	return !ctx->stop_on_error;
}

static void
json_config_continue(struct json_config_ctx *ctx)
{
	/* A message, so that methods that complete at once do not deepen the stack. */
	spdk_thread_send_msg(ctx->thread, json_config_next_entry, ctx);
}

static void
json_config_method_done(void *arg, int code, const char *message)
{
	struct json_config_ctx *ctx = arg;

	if (code != 0) {
		SPDK_ERRLOG("%s: subsystem '%s', entry %u (%s) failed: %s (code %d)\n", ctx->source,
			    ctx->subsystem_name, ctx->entry_index, ctx->method,
			    message != NULL ? message : "no message", code);
		if (!json_config_entry_failed(ctx, code < 0 && code > -4096 ? code : -EINVAL)) {
			json_config_finish(ctx, ctx->rc);
			return;
		}
	}
	json_config_continue(ctx);
}

/* Run one {"method", "params"} entry if the current state allows it. Returns
 * 1 when the method was started (its completion continues the load), 0 when
 * the entry was skipped, or a negative errno when it is malformed. */
static int
json_config_run_entry(struct json_config_ctx *ctx, struct spdk_json_val *entry)
{
	struct spdk_json_val *method = NULL, *params = NULL;
	uint32_t mask = 0;
	int rc;

	if (entry->type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		SPDK_ERRLOG("%s: subsystem '%s', entry %u is not an object\n", ctx->source,
			    ctx->subsystem_name, ctx->entry_index);
		return -EINVAL;
	}
	rc = spdk_json_find_string(entry, "method", NULL, &method);
	if (rc != 0) {
		SPDK_ERRLOG("%s: subsystem '%s', entry %u has no \"method\" string\n", ctx->source,
			    ctx->subsystem_name, ctx->entry_index);
		return -EINVAL;
	}
	json_config_copy_string(method, ctx->method, sizeof(ctx->method));
	rc = spdk_json_find(entry, "params", NULL, &params, SPDK_JSON_VAL_ANY);
	if (rc == 0) {
		if (params->type == SPDK_JSON_VAL_NULL) {
			params = NULL;
		} else if (params->type != SPDK_JSON_VAL_OBJECT_BEGIN &&
			   params->type != SPDK_JSON_VAL_ARRAY_BEGIN) {
			SPDK_ERRLOG(
				"%s: subsystem '%s', entry %u (%s): \"params\" must be an object\n",
				ctx->source, ctx->subsystem_name, ctx->entry_index, ctx->method);
			return -EINVAL;
		}
	} else {
		params = NULL;
	}

	rc = spdk_rpc_get_method_state_mask(ctx->method, &mask);
	if (rc != 0) {
		if (!ctx->report_unknown) {
			return 0;
		}
		if (!spdk_subsystem_exists(ctx->subsystem_name)) {
			SPDK_NOTICELOG("%s: skipping method %s: subsystem '%s' is not linked into "
				       "this application\n",
				       ctx->source, ctx->method, ctx->subsystem_name);
			return 0;
		}
		SPDK_ERRLOG("%s: subsystem '%s', entry %u: unknown method '%s'\n", ctx->source,
			    ctx->subsystem_name, ctx->entry_index, ctx->method);
		return -ENOENT;
	}
	if (ctx->state == SPDK_RPC_STARTUP) {
		if ((mask & SPDK_RPC_STARTUP) == 0) {
			return 0;
		}
	} else if ((mask & SPDK_RPC_RUNTIME) == 0) {
		if (!ctx->report_unknown) {
			/* The startup pass ran it. */
			return 0;
		}
		SPDK_ERRLOG("%s: subsystem '%s', entry %u: method '%s' can only be used at "
			    "startup\n",
			    ctx->source, ctx->subsystem_name, ctx->entry_index, ctx->method);
		return -EPERM;
	} else if ((mask & SPDK_RPC_STARTUP) != 0 && !ctx->report_unknown) {
		/* Allowed in both states: the startup pass ran it. */
		return 0;
	}

	SPDK_INFOLOG(app_config, "%s: running %s\n", ctx->source, ctx->method);
	rc = updk__rpc_call_method(ctx->method, params, json_config_method_done, ctx);
	if (rc != 0) {
		SPDK_ERRLOG("%s: subsystem '%s', entry %u (%s) could not be run: %s\n", ctx->source,
			    ctx->subsystem_name, ctx->entry_index, ctx->method, spdk_strerror(-rc));
		return rc;
	}
	return 1;
}

/* Advance to the next subsystem; returns false at the end or on error (rc). */
static bool
json_config_next_subsystem(struct json_config_ctx *ctx, int *rc)
{
	struct spdk_json_val *name = NULL, *config = NULL;

	*rc = 0;
	ctx->subsystem = ctx->subsystem == NULL ? spdk_json_array_first(ctx->subsystems)
						: spdk_json_next(ctx->subsystem);
	if (ctx->subsystem == NULL) {
		return false;
	}
	ctx->subsystem_index++;
	ctx->entry_index = 0;
	ctx->entry = NULL;
	ctx->config = NULL;
	snprintf(ctx->subsystem_name, sizeof(ctx->subsystem_name), "#%u", ctx->subsystem_index);
	if (ctx->subsystem->type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		SPDK_ERRLOG("%s: element %u of \"subsystems\" is not an object\n", ctx->source,
			    ctx->subsystem_index);
		*rc = -EINVAL;
		return false;
	}
	if (spdk_json_find_string(ctx->subsystem, "subsystem", NULL, &name) != 0) {
		SPDK_ERRLOG("%s: element %u of \"subsystems\" has no \"subsystem\" name\n",
			    ctx->source, ctx->subsystem_index);
		*rc = -EINVAL;
		return false;
	}
	json_config_copy_string(name, ctx->subsystem_name, sizeof(ctx->subsystem_name));
	if (spdk_json_find(ctx->subsystem, "config", NULL, &config, SPDK_JSON_VAL_ANY) == 0) {
		if (config->type == SPDK_JSON_VAL_ARRAY_BEGIN) {
			ctx->config = config;
		} else if (config->type != SPDK_JSON_VAL_NULL) {
			SPDK_ERRLOG("%s: subsystem '%s': \"config\" must be an array or null\n",
				    ctx->source, ctx->subsystem_name);
			*rc = -EINVAL;
			return false;
		}
	}
	return true;
}

static void
json_config_next_entry(void *arg)
{
	struct json_config_ctx *ctx = arg;
	int rc;

	for (;;) {
		struct spdk_json_val *entry;

		if (ctx->batch != NULL) {
			ctx->batch_entry = ctx->batch_entry == NULL
						   ? spdk_json_array_first(ctx->batch)
						   : spdk_json_next(ctx->batch_entry);
			if (ctx->batch_entry == NULL) {
				ctx->batch = NULL;
				continue;
			}
			entry = ctx->batch_entry;
		} else {
			if (ctx->config == NULL) {
				ctx->entry = NULL;
			} else {
				ctx->entry = ctx->entry == NULL ? spdk_json_array_first(ctx->config)
								: spdk_json_next(ctx->entry);
			}
			if (ctx->entry == NULL) {
				if (!json_config_next_subsystem(ctx, &rc)) {
					if (rc != 0 && !json_config_entry_failed(ctx, rc)) {
						json_config_finish(ctx, ctx->rc);
						return;
					}
					if (rc != 0) {
						/* Malformed subsystem element; skip it. */
						ctx->config = NULL;
						continue;
					}
					json_config_finish(ctx, ctx->rc);
					return;
				}
				continue;
			}
			ctx->entry_index++;
			if (ctx->entry->type == SPDK_JSON_VAL_ARRAY_BEGIN) {
				ctx->batch = ctx->entry;
				ctx->batch_entry = NULL;
				continue;
			}
			entry = ctx->entry;
		}

		rc = json_config_run_entry(ctx, entry);
		if (rc == 1) {
			return;
		}
		if (rc < 0 && !json_config_entry_failed(ctx, rc)) {
			json_config_finish(ctx, ctx->rc);
			return;
		}
	}
}

static void
json_config_load_ext(const char *source, const void *json, size_t size, bool report_unknown,
		     spdk_subsystem_init_fn cb_fn, void *cb_arg, bool stop_on_error)
{
	struct json_config_ctx *ctx;
	int rc;

	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		SPDK_ERRLOG("%s: cannot load the configuration: out of memory\n", source);
		cb_fn(-ENOMEM, cb_arg);
		return;
	}
	updk_strlcpy(ctx->source, source, sizeof(ctx->source));
	ctx->cb_fn = cb_fn;
	ctx->cb_arg = cb_arg;
	ctx->stop_on_error = stop_on_error;
	ctx->report_unknown = report_unknown;
	ctx->state = spdk_rpc_get_state();
	ctx->thread = spdk_get_thread();
	if (ctx->thread == NULL) {
		SPDK_ERRLOG("%s: a configuration must be loaded on an SPDK thread\n", source);
		json_config_finish(ctx, -EINVAL);
		return;
	}
	ctx->size = size;
	ctx->data = malloc(size + 1);
	if (ctx->data == NULL) {
		SPDK_ERRLOG("%s: cannot load the configuration: out of memory\n", source);
		json_config_finish(ctx, -ENOMEM);
		return;
	}
	memcpy(ctx->data, json, size);
	ctx->data[size] = '\0';

	rc = json_config_parse(ctx);
	if (rc != 0) {
		json_config_finish(ctx, rc);
		return;
	}
	if (ctx->values[0].type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		SPDK_ERRLOG("%s: the configuration is not enclosed in {}\n", source);
		json_config_finish(ctx, -EINVAL);
		return;
	}
	rc = spdk_json_find(&ctx->values[0], "subsystems", NULL, &ctx->subsystems,
			    SPDK_JSON_VAL_ANY);
	if (rc != 0) {
		if (report_unknown) {
			SPDK_WARNLOG("%s: the configuration has no \"subsystems\" key; nothing to "
				     "load\n",
				     source);
		}
		json_config_finish(ctx, 0);
		return;
	}
	if (ctx->subsystems->type != SPDK_JSON_VAL_ARRAY_BEGIN) {
		SPDK_ERRLOG("%s: \"subsystems\" must be an array\n", source);
		json_config_finish(ctx, -EINVAL);
		return;
	}
	json_config_next_entry(ctx);
}

void
json_config_load(const char *source, const void *json, size_t size, bool first_pass,
		 spdk_subsystem_init_fn cb_fn, void *cb_arg, bool stop_on_error)
{
	json_config_load_ext(source, json, size, first_pass, cb_fn, cb_arg, stop_on_error);
}

void
spdk_subsystem_load_config(void *json, ssize_t json_size, spdk_subsystem_init_fn cb_fn,
			   void *cb_arg, bool stop_on_error)
{
	if (json == NULL || json_size < 0) {
		SPDK_ERRLOG("spdk_subsystem_load_config: invalid JSON buffer\n");
		if (cb_fn != NULL) {
			cb_fn(-EINVAL, cb_arg);
		}
		return;
	}
	json_config_load_ext("JSON config", json, (size_t)json_size, true, cb_fn, cb_arg,
			     stop_on_error);
}

struct init_from_file_ctx {
	char *path;
	void *data;
	size_t size;
	bool stop_on_error;
	spdk_subsystem_init_fn cb_fn;
	void *cb_arg;
};

static void
init_from_file_finish(struct init_from_file_ctx *ctx, int rc)
{
	spdk_subsystem_init_fn cb_fn = ctx->cb_fn;
	void *cb_arg = ctx->cb_arg;

	free(ctx->data);
	free(ctx->path);
	free(ctx);
	if (cb_fn != NULL) {
		cb_fn(rc, cb_arg);
	}
}

static void
init_from_file_runtime_done(int rc, void *arg)
{
	init_from_file_finish(arg, rc);
}

static void
init_from_file_init_done(int rc, void *arg)
{
	struct init_from_file_ctx *ctx = arg;

	if (rc != 0) {
		init_from_file_finish(ctx, rc);
		return;
	}
	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	json_config_load(ctx->path, ctx->data, ctx->size, false, init_from_file_runtime_done, ctx,
			 ctx->stop_on_error);
}

static void
init_from_file_startup_done(int rc, void *arg)
{
	struct init_from_file_ctx *ctx = arg;

	if (rc != 0 && ctx->stop_on_error) {
		init_from_file_finish(ctx, rc);
		return;
	}
	spdk_subsystem_init(init_from_file_init_done, ctx);
}

void
spdk_subsystem_init_from_json_config(const char *json_config_file, const char *rpc_addr,
				     spdk_subsystem_init_fn cb_fn, void *cb_arg, bool stop_on_error)
{
	struct init_from_file_ctx *ctx;
	int rc;

	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL || json_config_file == NULL) {
		SPDK_ERRLOG("spdk_subsystem_init_from_json_config: %s\n",
			    ctx == NULL ? "out of memory" : "no file given");
		free(ctx);
		if (cb_fn != NULL) {
			cb_fn(json_config_file == NULL ? -EINVAL : -ENOMEM, cb_arg);
		}
		return;
	}
	ctx->cb_fn = cb_fn;
	ctx->cb_arg = cb_arg;
	ctx->stop_on_error = stop_on_error;
	ctx->path = strdup(json_config_file);
	if (ctx->path == NULL) {
		init_from_file_finish(ctx, -ENOMEM);
		return;
	}
	rc = json_config_read_file(json_config_file, &ctx->data, &ctx->size);
	if (rc != 0) {
		init_from_file_finish(ctx, rc);
		return;
	}
	spdk_rpc_set_state(SPDK_RPC_STARTUP);
	json_config_load(ctx->path, ctx->data, ctx->size, true, init_from_file_startup_done, ctx,
			 stop_on_error);
}
