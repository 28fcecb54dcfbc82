/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The framework's RPC methods: spdk_kill_instance, framework_start_init,
 * framework_wait_init, framework_get_subsystems, framework_get_config,
 * save_config, framework_get_reactors, thread_get_stats, thread_get_pollers,
 * thread_get_io_channels and thread_set_cpumask. Parameter names and result
 * shapes are SPDK's.
 *
 * Methods that visit every thread write their result with one JSON writer
 * handed from thread to thread by spdk_for_each_thread(), which visits one
 * thread at a time, so the writer is never used by two OS threads at once.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/init.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk_internal/thread.h"

#include "event_internal.h"

/* ---- spdk_kill_instance ---- */

struct rpc_kill_instance {
	char *sig_name;
};

static const struct spdk_json_object_decoder rpc_kill_instance_decoders[] = {
	{"sig_name", offsetof(struct rpc_kill_instance, sig_name), spdk_json_decode_string},
};

static const struct {
	const char *name;
	int signo;
} g_kill_signals[] = {
	{"SIGINT", SIGINT}, {"SIGTERM", SIGTERM}, {"SIGQUIT", SIGQUIT},
	{"SIGHUP", SIGHUP}, {"SIGKILL", SIGKILL}, {"SIGUSR1", SIGUSR1},
};

struct kill_ctx {
	struct spdk_poller *poller;
	int signo;
};

/* The signal goes out a little after the reply, so that the reply is written
 * to the socket before the shutdown closes it. */
static int
rpc_kill_instance_deliver(void *arg)
{
	struct kill_ctx *ctx = arg;

	spdk_poller_unregister(&ctx->poller);
	kill(getpid(), ctx->signo);
	free(ctx);
	return SPDK_POLLER_BUSY;
}

static void
rpc_spdk_kill_instance(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_kill_instance req = {};
	struct kill_ctx *ctx;
	size_t i;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_kill_instance_decoders,
				    SPDK_COUNTOF(rpc_kill_instance_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "spdk_kill_instance requires sig_name (a string)");
		goto out;
	}
	for (i = 0; i < SPDK_COUNTOF(g_kill_signals); i++) {
		if (strcmp(req.sig_name, g_kill_signals[i].name) == 0 ||
		    strcmp(req.sig_name, g_kill_signals[i].name + 3) == 0) {
			break;
		}
	}
	if (i == SPDK_COUNTOF(g_kill_signals)) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "unknown signal '%s'", req.sig_name);
		goto out;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		spdk_jsonrpc_send_error_response(request, -ENOMEM, spdk_strerror(ENOMEM));
		goto out;
	}
	ctx->signo = g_kill_signals[i].signo;
	ctx->poller = SPDK_POLLER_REGISTER(rpc_kill_instance_deliver, ctx, 50 * 1000);
	if (ctx->poller == NULL) {
		free(ctx);
		spdk_jsonrpc_send_error_response(request, -ENOMEM, spdk_strerror(ENOMEM));
		goto out;
	}
	SPDK_NOTICELOG("spdk_kill_instance: sending %s to the process\n", g_kill_signals[i].name);
	spdk_jsonrpc_send_bool_response(request, true);
out:
	free(req.sig_name);
}
SPDK_RPC_REGISTER("spdk_kill_instance", rpc_spdk_kill_instance, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

/* ---- framework_start_init / framework_wait_init ---- */

struct init_waiter {
	struct spdk_jsonrpc_request *request;
	TAILQ_ENTRY(init_waiter) link;
};

static TAILQ_HEAD(, init_waiter) g_init_waiters = TAILQ_HEAD_INITIALIZER(g_init_waiters);

void
app_rpc_init_done(int rc)
{
	struct init_waiter *w;

	while ((w = TAILQ_FIRST(&g_init_waiters)) != NULL) {
		TAILQ_REMOVE(&g_init_waiters, w, link);
		if (rc == 0) {
			spdk_jsonrpc_send_bool_response(w->request, true);
		} else {
			spdk_jsonrpc_send_error_response(w->request, rc, spdk_strerror(-rc));
		}
		free(w);
	}
}

static int
rpc_add_init_waiter(struct spdk_jsonrpc_request *request)
{
	struct init_waiter *w = calloc(1, sizeof(*w));

	if (w == NULL) {
		return -ENOMEM;
	}
	w->request = request;
	TAILQ_INSERT_TAIL(&g_init_waiters, w, link);
	return 0;
}

static void
rpc_framework_start_init(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	int rc;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "framework_start_init requires no parameters");
		return;
	}
	if (!app_waiting_for_start_init()) {
		spdk_jsonrpc_send_error_response(
			request, -EALREADY, "the framework is already initialised or initialising");
		return;
	}
	rc = rpc_add_init_waiter(request);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
		return;
	}
	app_start_init();
}
SPDK_RPC_REGISTER("framework_start_init", rpc_framework_start_init, SPDK_RPC_STARTUP)

static void
rpc_framework_wait_init(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	int rc;

	if (app_init_done() || subsystem_is_initialized()) {
		spdk_jsonrpc_send_bool_response(request, true);
		return;
	}
	if (!app_init_pending()) {
		/* Nothing would ever answer: the caller is the startup pass of the
		 * configuration, which must finish before the subsystems start, or a
		 * program that does not run spdk_app_start(). */
		spdk_jsonrpc_send_error_response(request, -EDEADLK,
						 "framework_wait_init would wait forever: the "
						 "subsystems start only after the startup part of "
						 "the configuration (or never, without an app)");
		return;
	}
	rc = rpc_add_init_waiter(request);
	if (rc != 0) {
		spdk_jsonrpc_send_error_response(request, rc, spdk_strerror(-rc));
	}
}
SPDK_RPC_REGISTER("framework_wait_init", rpc_framework_wait_init,
		  SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

/* ---- subsystems and configuration ---- */

static void
rpc_framework_get_subsystems(struct spdk_jsonrpc_request *request,
			     const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w;
	struct spdk_subsystem *s;
	struct spdk_subsystem_depend *d;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "framework_get_subsystems requires no parameters");
		return;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_array_begin(w);
	for (s = subsystem_get_first(); s != NULL; s = subsystem_get_next(s)) {
		spdk_json_write_object_begin(w);
		spdk_json_write_named_string(w, "subsystem", s->name);
		spdk_json_write_named_array_begin(w, "depends_on");
		for (d = subsystem_get_first_depend(); d != NULL;
		     d = subsystem_get_next_depend(d)) {
			if (strcmp(d->name, s->name) == 0) {
				spdk_json_write_string(w, d->depends_on);
			}
		}
		spdk_json_write_array_end(w);
		spdk_json_write_object_end(w);
	}
	spdk_json_write_array_end(w);
	spdk_jsonrpc_end_result(request, w);
}
SPDK_RPC_REGISTER("framework_get_subsystems", rpc_framework_get_subsystems,
		  SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
app_write_subsystem_config(struct spdk_json_write_ctx *w, struct spdk_subsystem *s)
{
	if (s->write_config_json != NULL && subsystem_is_initialized()) {
		s->write_config_json(w);
	} else {
		spdk_json_write_null(w);
	}
}

struct rpc_get_config {
	char *name;
};

static const struct spdk_json_object_decoder rpc_get_config_decoders[] = {
	{"name", offsetof(struct rpc_get_config, name), spdk_json_decode_string},
};

static void
rpc_framework_get_config(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_get_config req = {};
	struct spdk_json_write_ctx *w;
	struct spdk_subsystem *s;

	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_get_config_decoders,
				    SPDK_COUNTOF(rpc_get_config_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "framework_get_config requires name (a string)");
		goto out;
	}
	s = subsystem_find(req.name);
	if (s == NULL) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "Subsystem '%s' not found", req.name);
		goto out;
	}
	w = spdk_jsonrpc_begin_result(request);
	app_write_subsystem_config(w, s);
	spdk_jsonrpc_end_result(request, w);
out:
	free(req.name);
}
SPDK_RPC_REGISTER("framework_get_config", rpc_framework_get_config,
		  SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

/* The whole configuration in the format of a JSON config file (what rpc.py's
 * save_config assembles from framework_get_config). */
static void
rpc_save_config(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w;
	struct spdk_subsystem *s;

	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_array_begin(w, "subsystems");
	for (s = subsystem_get_first(); s != NULL; s = subsystem_get_next(s)) {
		spdk_json_write_object_begin(w);
		spdk_json_write_named_string(w, "subsystem", s->name);
		spdk_json_write_name(w, "config");
		app_write_subsystem_config(w, s);
		spdk_json_write_object_end(w);
	}
	spdk_json_write_array_end(w);
	spdk_json_write_object_end(w);
	spdk_jsonrpc_end_result(request, w);
}
SPDK_RPC_REGISTER("save_config", rpc_save_config, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

/* ---- framework_get_reactors ---- */

struct rpc_reactors_ctx {
	struct spdk_jsonrpc_request *request;
	struct reactor_info *info;
};

/* utime and stime (clock ticks) of one of our tasks, from /proc. */
static void
app_rpc_task_times(pid_t tid, uint64_t *usr, uint64_t *sys)
{
	char path[64], buf[1024];
	unsigned long long utime = 0, stime = 0;
	const char *p;
	FILE *f;

	*usr = 0;
	*sys = 0;
	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", (int)tid);
	f = fopen(path, "r");
	if (f == NULL) {
		return;
	}
	if (fgets(buf, sizeof(buf), f) != NULL) {
		/* The fields after the command name, which may hold spaces. */
		p = strrchr(buf, ')');
		if (p != NULL &&
		    sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &utime,
			   &stime) == 2) {
			*usr = utime;
			*sys = stime;
		}
	}
	fclose(f);
}

static void
rpc_framework_get_reactors_done(void *arg, uint32_t count)
{
	struct rpc_reactors_ctx *ctx = arg;
	struct spdk_json_write_ctx *w;
	uint32_t i, j;

	w = spdk_jsonrpc_begin_result(ctx->request);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_uint64(w, "tick_rate", spdk_get_ticks_hz());
	spdk_json_write_named_uint64(w, "pid", (uint64_t)getpid());
	spdk_json_write_named_array_begin(w, "reactors");
	for (i = 0; i < count; i++) {
		struct reactor_info *ri = &ctx->info[i];
		uint64_t usr, sys;

		app_rpc_task_times(ri->tid, &usr, &sys);
		spdk_json_write_object_begin(w);
		spdk_json_write_named_uint32(w, "lcore", ri->lcore);
		spdk_json_write_named_uint64(w, "tid", (uint64_t)ri->tid);
		spdk_json_write_named_uint64(w, "busy", ri->busy);
		spdk_json_write_named_uint64(w, "idle", ri->idle);
		spdk_json_write_named_bool(w, "in_interrupt", false);
		spdk_json_write_named_uint64(w, "irq", 0);
		spdk_json_write_named_uint64(w, "sys", sys);
		spdk_json_write_named_uint64(w, "usr", usr);
		spdk_json_write_named_uint64(w, "sleeps", ri->sleeps);
		spdk_json_write_named_array_begin(w, "lw_threads");
		for (j = 0; j < ri->lw_count; j++) {
			spdk_json_write_object_begin(w);
			spdk_json_write_named_string(w, "name", ri->lw[j].name);
			spdk_json_write_named_uint64(w, "id", ri->lw[j].id);
			spdk_json_write_named_string(w, "cpumask", ri->lw[j].cpumask);
			spdk_json_write_named_uint64(w, "elapsed", ri->lw[j].elapsed);
			spdk_json_write_object_end(w);
		}
		spdk_json_write_array_end(w);
		spdk_json_write_object_end(w);
	}
	spdk_json_write_array_end(w);
	spdk_json_write_object_end(w);
	spdk_jsonrpc_end_result(ctx->request, w);
	free(ctx->info);
	free(ctx);
}

static void
rpc_framework_get_reactors(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_reactors_ctx *ctx;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "framework_get_reactors requires no parameters");
		return;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx != NULL) {
		ctx->info = calloc(spdk_env_get_core_count(), sizeof(*ctx->info));
	}
	if (ctx == NULL || ctx->info == NULL) {
		free(ctx);
		spdk_jsonrpc_send_error_response(request, -ENOMEM, spdk_strerror(ENOMEM));
		return;
	}
	ctx->request = request;
	reactors_get_info(ctx->info, rpc_framework_get_reactors_done, ctx);
}
SPDK_RPC_REGISTER("framework_get_reactors", rpc_framework_get_reactors, SPDK_RPC_RUNTIME)

/* ---- thread_get_stats / thread_get_pollers / thread_get_io_channels ---- */

struct rpc_threads_ctx {
	struct spdk_jsonrpc_request *request;
	struct spdk_json_write_ctx *w;
};

static void
rpc_threads_done(void *arg)
{
	struct rpc_threads_ctx *ctx = arg;

	spdk_json_write_array_end(ctx->w);
	spdk_json_write_object_end(ctx->w);
	spdk_jsonrpc_end_result(ctx->request, ctx->w);
	free(ctx);
}

static void
rpc_threads_start(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params,
		  const char *method, spdk_msg_fn fn)
{
	struct rpc_threads_ctx *ctx;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "%s requires no parameters", method);
		return;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		spdk_jsonrpc_send_error_response(request, -ENOMEM, spdk_strerror(ENOMEM));
		return;
	}
	ctx->request = request;
	ctx->w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_object_begin(ctx->w);
	spdk_json_write_named_uint64(ctx->w, "tick_rate", spdk_get_ticks_hz());
	spdk_json_write_named_array_begin(ctx->w, "threads");
	spdk_for_each_thread(fn, ctx, rpc_threads_done);
}

static void
rpc_thread_get_stats_one(void *arg)
{
	struct rpc_threads_ctx *ctx = arg;
	struct spdk_thread *thread = spdk_get_thread();
	struct spdk_json_write_ctx *w = ctx->w;
	struct spdk_thread_stats stats;
	struct spdk_poller *p;
	uint64_t active = 0, timed = 0, paused = 0;

	if (spdk_thread_get_stats(&stats) != 0) {
		return;
	}
	for (p = spdk_thread_get_first_active_poller(thread); p != NULL;
	     p = spdk_thread_get_next_active_poller(p)) {
		active++;
	}
	for (p = spdk_thread_get_first_timed_poller(thread); p != NULL;
	     p = spdk_thread_get_next_timed_poller(p)) {
		timed++;
	}
	for (p = spdk_thread_get_first_paused_poller(thread); p != NULL;
	     p = spdk_thread_get_next_paused_poller(p)) {
		paused++;
	}
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "name", spdk_thread_get_name(thread));
	spdk_json_write_named_uint64(w, "id", spdk_thread_get_id(thread));
	spdk_json_write_named_string(w, "cpumask",
				     spdk_cpuset_fmt(spdk_thread_get_cpumask(thread)));
	spdk_json_write_named_uint64(w, "busy", stats.busy_tsc);
	spdk_json_write_named_uint64(w, "idle", stats.idle_tsc);
	spdk_json_write_named_uint64(w, "active_pollers_count", active);
	spdk_json_write_named_uint64(w, "timed_pollers_count", timed);
	spdk_json_write_named_uint64(w, "paused_pollers_count", paused);
	spdk_json_write_object_end(w);
}

static void
rpc_thread_get_stats(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_threads_start(request, params, "thread_get_stats", rpc_thread_get_stats_one);
}
SPDK_RPC_REGISTER("thread_get_stats", rpc_thread_get_stats, SPDK_RPC_RUNTIME)

static void
rpc_write_poller(struct spdk_json_write_ctx *w, struct spdk_poller *p)
{
	struct spdk_poller_stats stats;

	spdk_poller_get_stats(p, &stats);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "name", spdk_poller_get_name(p));
	spdk_json_write_named_uint64(w, "id", spdk_poller_get_id(p));
	spdk_json_write_named_string(w, "state", spdk_poller_get_state_str(p));
	spdk_json_write_named_uint64(w, "run_count", stats.run_count);
	spdk_json_write_named_uint64(w, "busy_count", stats.busy_count);
	if (spdk_poller_get_period_ticks(p) != 0) {
		spdk_json_write_named_uint64(w, "period_ticks", spdk_poller_get_period_ticks(p));
	}
	spdk_json_write_object_end(w);
}

static void
rpc_thread_get_pollers_one(void *arg)
{
	struct rpc_threads_ctx *ctx = arg;
	struct spdk_thread *thread = spdk_get_thread();
	struct spdk_json_write_ctx *w = ctx->w;
	struct spdk_poller *p;

	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "name", spdk_thread_get_name(thread));
	spdk_json_write_named_uint64(w, "id", spdk_thread_get_id(thread));
	spdk_json_write_named_array_begin(w, "active_pollers");
	for (p = spdk_thread_get_first_active_poller(thread); p != NULL;
	     p = spdk_thread_get_next_active_poller(p)) {
		rpc_write_poller(w, p);
	}
	spdk_json_write_array_end(w);
	spdk_json_write_named_array_begin(w, "timed_pollers");
	for (p = spdk_thread_get_first_timed_poller(thread); p != NULL;
	     p = spdk_thread_get_next_timed_poller(p)) {
		rpc_write_poller(w, p);
	}
	spdk_json_write_array_end(w);
	spdk_json_write_named_array_begin(w, "paused_pollers");
	for (p = spdk_thread_get_first_paused_poller(thread); p != NULL;
	     p = spdk_thread_get_next_paused_poller(p)) {
		rpc_write_poller(w, p);
	}
	spdk_json_write_array_end(w);
	spdk_json_write_object_end(w);
}

static void
rpc_thread_get_pollers(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_threads_start(request, params, "thread_get_pollers", rpc_thread_get_pollers_one);
}
SPDK_RPC_REGISTER("thread_get_pollers", rpc_thread_get_pollers, SPDK_RPC_RUNTIME)

static void
rpc_thread_get_io_channels_one(void *arg)
{
	struct rpc_threads_ctx *ctx = arg;
	struct spdk_thread *thread = spdk_get_thread();
	struct spdk_json_write_ctx *w = ctx->w;
	struct spdk_io_channel *ch;

	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "name", spdk_thread_get_name(thread));
	spdk_json_write_named_array_begin(w, "io_channels");
	for (ch = spdk_thread_get_first_io_channel(thread); ch != NULL;
	     ch = spdk_thread_get_next_io_channel(ch)) {
		spdk_json_write_object_begin(w);
		spdk_json_write_named_string(w, "name", spdk_io_channel_get_io_device_name(ch));
		spdk_json_write_named_uint32(w, "ref", (uint32_t)spdk_io_channel_get_ref_count(ch));
		spdk_json_write_object_end(w);
	}
	spdk_json_write_array_end(w);
	spdk_json_write_object_end(w);
}

static void
rpc_thread_get_io_channels(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	rpc_threads_start(request, params, "thread_get_io_channels",
			  rpc_thread_get_io_channels_one);
}
SPDK_RPC_REGISTER("thread_get_io_channels", rpc_thread_get_io_channels, SPDK_RPC_RUNTIME)

/* ---- thread_set_cpumask ---- */

struct rpc_set_cpumask {
	uint64_t id;
	char *cpumask;
	struct spdk_cpuset set;
	struct spdk_jsonrpc_request *request;
	struct spdk_thread *orig;
	int rc;
};

static const struct spdk_json_object_decoder rpc_set_cpumask_decoders[] = {
	{"id", offsetof(struct rpc_set_cpumask, id), spdk_json_decode_uint64},
	{"cpumask", offsetof(struct rpc_set_cpumask, cpumask), spdk_json_decode_string},
};

static void
rpc_thread_set_cpumask_done(void *arg)
{
	struct rpc_set_cpumask *req = arg;

	if (req->rc == 0) {
		spdk_jsonrpc_send_bool_response(req->request, true);
	} else {
		spdk_jsonrpc_send_error_response(req->request, req->rc, spdk_strerror(-req->rc));
	}
	free(req->cpumask);
	free(req);
}

static void
rpc_thread_set_cpumask_on_thread(void *arg)
{
	struct rpc_set_cpumask *req = arg;

	req->rc = spdk_thread_set_cpumask(&req->set);
	spdk_thread_send_msg(req->orig, rpc_thread_set_cpumask_done, req);
}

static void
rpc_thread_set_cpumask(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_set_cpumask *req = calloc(1, sizeof(*req));
	struct spdk_thread *thread;

	if (req == NULL) {
		spdk_jsonrpc_send_error_response(request, -ENOMEM, spdk_strerror(ENOMEM));
		return;
	}
	if (params == NULL ||
	    spdk_json_decode_object(params, rpc_set_cpumask_decoders,
				    SPDK_COUNTOF(rpc_set_cpumask_decoders), req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "thread_set_cpumask requires id and cpumask");
		goto err;
	}
	if (spdk_app_parse_core_mask(req->cpumask, &req->set) != 0 ||
	    spdk_cpuset_count(&req->set) == 0) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "invalid cpumask '%s' (no reactor core)",
						     req->cpumask);
		goto err;
	}
	thread = spdk_thread_get_by_id(req->id);
	if (thread == NULL) {
		spdk_jsonrpc_send_error_response_fmt(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						     "no thread with id %" PRIu64, req->id);
		goto err;
	}
	req->request = request;
	req->orig = spdk_get_thread();
	spdk_thread_send_msg(thread, rpc_thread_set_cpumask_on_thread, req);
	return;
err:
	free(req->cpumask);
	free(req);
}
SPDK_RPC_REGISTER("thread_set_cpumask", rpc_thread_set_cpumask, SPDK_RPC_RUNTIME)
