/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * What the parts of the application framework (reactors, app, subsystems,
 * JSON config, framework RPCs) share with each other and nobody else.
 */

#ifndef UPDK_EVENT_INTERNAL_H
#define UPDK_EVENT_INTERNAL_H

#include "spdk/stdinc.h"
#include "spdk/event.h"
#include "spdk/init.h"

/* ---- reactor.c ---- */

/* Start the thread library with the reactors as its scheduler, one reactor
 * per core of the env's core set. */
int reactors_init(void);

/* Free the reactors (after reactors_run() returned). */
void reactors_fini(void);

/* Run the reactors: the main core's on the calling pthread, the others on
 * pinned env threads. Returns once they have all stopped (or were abandoned
 * after the shutdown deadline); returns non-zero if shutdown was not clean
 * (threads forced out, reactors abandoned). */
int reactors_run(void);

/* Begin stopping the reactors: every thread is asked to exit (the app thread
 * last), then the reactors end. Any thread. */
void reactors_stop(void);

/* Tick after which the shutdown is abandoned; 0 means none. Any thread. */
void reactors_set_shutdown_deadline(uint64_t tick);

/* The cores the reactors run on. */
const struct spdk_cpuset *reactors_get_cpuset(void);

/* What framework_get_reactors reports about one reactor. */
struct reactor_lw_info {
	char name[64];
	uint64_t id;
	char cpumask[64];
	uint64_t elapsed;
};

struct reactor_info {
	uint32_t lcore;
	pid_t tid;
	uint64_t busy;
	uint64_t idle;
	uint64_t sleeps;
	bool sleeping;
	uint32_t lw_count;
	/* Up to 64 of the reactor's threads. */
	struct reactor_lw_info lw[64];
};

/* Fill \p info[i] for each reactor, each on its own reactor, then call
 * cpl(ctx, count) on the calling SPDK thread. \p info must hold one entry per
 * core of the core set. */
void reactors_get_info(struct reactor_info *info, void (*cpl)(void *ctx, uint32_t count),
		       void *ctx);

/* ---- subsystem.c ---- */

/* The subsystem registry, for the framework RPCs. */
struct spdk_subsystem *subsystem_get_first(void);
struct spdk_subsystem *subsystem_get_next(struct spdk_subsystem *cur);
struct spdk_subsystem *subsystem_find(const char *name);
struct spdk_subsystem_depend *subsystem_get_first_depend(void);
struct spdk_subsystem_depend *subsystem_get_next_depend(struct spdk_subsystem_depend *cur);

/* Name of the subsystem whose init or fini step is running, or NULL. */
const char *subsystem_get_current(void);

/* Whether spdk_subsystem_init() completed successfully. */
bool subsystem_is_initialized(void);

/* ---- json_config.c ---- */

/* Read a whole file; on success *data is malloc'ed and NUL-terminated. */
int json_config_read_file(const char *path, void **data, size_t *size);

/* Run the entries of \p json allowed in the current RPC state; errors are
 * reported against \p source (a file name or "in-memory config"). \p first_pass
 * is true for the startup pass, or for a single runtime pass over data that
 * had no startup pass: unknown methods are reported then, and a runtime pass
 * runs the methods allowed in both states only if it is the first pass. */
void json_config_load(const char *source, const void *json, size_t size, bool first_pass,
		      spdk_subsystem_init_fn cb_fn, void *cb_arg, bool stop_on_error);

/* ---- app.c ---- */

/* Called once the app thread finished initialising (start_fn has run). */
bool app_init_done(void);

/* Run the delayed initialisation (framework_start_init). */
int app_start_init(void);

/* Whether the start-up waits for framework_start_init. */
bool app_waiting_for_start_init(void);

/* Whether an app is starting and will call app_rpc_init_done() when it is
 * done: it waits for framework_start_init or initialises its subsystems. */
bool app_init_pending(void);

/* ---- app_rpc.c ---- */

/* Answer the framework_wait_init and framework_start_init requests waiting
 * for the end of the start-up: true when rc is 0, else the error. */
void app_rpc_init_done(int rc);

#endif /* UPDK_EVENT_INTERNAL_H */
