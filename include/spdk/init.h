/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Subsystems and the RPC server, for programs that do not use
 * spdk_app_start() (which does all of this itself): initialise and finish the
 * registered subsystems in dependency order, load a JSON configuration, and
 * run the JSON-RPC server. Also how a component registers a subsystem.
 *
 * Every function here must be called on one SPDK thread (the "init thread",
 * normally the app thread), unless its comment says otherwise.
 */

#ifndef SPDK_INIT_H
#define SPDK_INIT_H

#include "spdk/stdinc.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/util.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The default path of the RPC server's Unix socket. */
#define SPDK_DEFAULT_RPC_ADDR "/var/tmp/spdk.sock"

/** Options of spdk_rpc_initialize(). */
struct spdk_rpc_opts {
	/** sizeof(struct spdk_rpc_opts) as the caller knew it. */
	size_t size;
	/** Log of requests. Ignored by updk. */
	FILE *log_file;
	/** Level of the request log. Ignored by updk. */
	enum spdk_log_level log_level;
};
SPDK_STATIC_ASSERT(sizeof(struct spdk_rpc_opts) == 24, "spdk_rpc_opts must keep SPDK's layout");

/**
 * Start the JSON-RPC server on the Unix socket \p listen_addr and poll it for
 * connections and requests from the calling thread.
 *
 * \param listen_addr Socket path. A stale socket file (no server answers on
 * it) is replaced; a live one is not.
 * \param opts Options, or NULL for the defaults.
 * \return 0 on success; -EINVAL for a NULL or too long address; -EADDRINUSE
 * when another server is listening there; -EEXIST when this process already
 * listens there; other negative errnos from socket creation.
 */
int spdk_rpc_initialize(const char *listen_addr, const struct spdk_rpc_opts *opts);

/** Stop every RPC server started with spdk_rpc_initialize() and remove the sockets. */
void spdk_rpc_finish(void);

/** Stop the RPC server listening on \p listen_addr, if any. */
void spdk_rpc_server_finish(const char *listen_addr);

/** Stop serving requests on \p listen_addr until spdk_rpc_server_resume(). */
void spdk_rpc_server_pause(const char *listen_addr);

/** Serve requests on \p listen_addr again. */
void spdk_rpc_server_resume(const char *listen_addr);

/**
 * Completion of spdk_subsystem_init() and spdk_subsystem_load_config().
 *
 * \param rc 0 on success, or the negative errno of the first failure.
 * \param ctx The cb_arg given to the call.
 */
typedef void (*spdk_subsystem_init_fn)(int rc, void *ctx);

/**
 * Initialise every registered subsystem, each after the subsystems it depends
 * on. \p cb_fn runs on the calling thread when all are done or one failed;
 * after a failure, the subsystems already initialised stay initialised
 * (spdk_subsystem_fini() finishes them). A missing dependency fails with
 * -ENOENT, a dependency cycle with -ELOOP, a second call with -EALREADY.
 */
void spdk_subsystem_init(spdk_subsystem_init_fn cb_fn, void *cb_arg);

/**
 * Run the methods of the JSON configuration \p json that are allowed in the
 * current RPC state (see spdk/rpc.h: startup methods before
 * spdk_subsystem_init(), runtime methods after), in file order. The data is
 * copied. Errors are logged with the entry and the problem.
 *
 * \param json The configuration text.
 * \param json_size Its size in bytes.
 * \param cb_fn Called on the calling thread when done: 0, or the negative
 * errno of the first failing entry when \p stop_on_error is true.
 * \param stop_on_error Stop at the first failing entry.
 */
void spdk_subsystem_load_config(void *json, ssize_t json_size, spdk_subsystem_init_fn cb_fn,
				void *cb_arg, bool stop_on_error);

/**
 * spdk_subsystem_load_config() of the file \p json_config_file in the startup
 * state, then spdk_subsystem_init(), then the runtime methods.
 *
 * \param json_config_file The file to read.
 * \param rpc_addr Ignored: updk calls the methods directly, without a socket.
 */
void spdk_subsystem_init_from_json_config(const char *json_config_file, const char *rpc_addr,
					  spdk_subsystem_init_fn cb_fn, void *cb_arg,
					  bool stop_on_error);

/** Completion of spdk_subsystem_fini(). */
typedef void (*spdk_subsystem_fini_fn)(void *ctx);

/**
 * Finish the initialised subsystems in the reverse order of their
 * initialisation; \p cb_fn runs on the calling thread when all are done.
 */
void spdk_subsystem_fini(spdk_subsystem_fini_fn cb_fn, void *cb_arg);

/** \return whether a subsystem called \p name is registered. Any thread. */
bool spdk_subsystem_exists(const char *name);

struct spdk_json_write_ctx;

/**
 * A subsystem: a component with an init and a fini step that runs in
 * dependency order at startup and shutdown, and that writes its part of the
 * configuration for save_config.
 */
struct spdk_subsystem {
	/** Unique name, used in configuration files ("bdev"). */
	const char *name;
	/** Start; must eventually call spdk_subsystem_init_next(rc). NULL: nothing to do. */
	void (*init)(void);
	/** Stop; must eventually call spdk_subsystem_fini_next(). NULL: nothing to do. */
	void (*fini)(void);
	/**
	 * Write the subsystem's configuration: a JSON array of {"method",
	 * "params"} objects that recreate the current state when replayed.
	 * NULL: the subsystem has no configuration (written as null).
	 */
	void (*write_config_json)(struct spdk_json_write_ctx *w);
	/** Registry link. */
	TAILQ_ENTRY(spdk_subsystem) tailq;
};

/** A dependency between two subsystems, by name. */
struct spdk_subsystem_depend {
	/** The dependent subsystem. */
	const char *name;
	/** The subsystem it needs. */
	const char *depends_on;
	/** Registry link. */
	TAILQ_ENTRY(spdk_subsystem_depend) tailq;
};

/** Register \p subsystem (normally from a constructor: SPDK_SUBSYSTEM_REGISTER). */
void spdk_add_subsystem(struct spdk_subsystem *subsystem);

/** Register \p depend (normally from a constructor: SPDK_SUBSYSTEM_DEPEND). */
void spdk_add_subsystem_depend(struct spdk_subsystem_depend *depend);

/**
 * Report that the current subsystem's init step finished. Any thread; the
 * next step runs on the init thread.
 *
 * \param rc 0 on success or a negative errno, which stops the initialisation.
 */
void spdk_subsystem_init_next(int rc);

/** Report that the current subsystem's fini step finished. Any thread. */
void spdk_subsystem_fini_next(void);

/** Register the struct spdk_subsystem variable \p _name from a constructor. */
#define SPDK_SUBSYSTEM_REGISTER(_name)                                  \
	__attribute__((constructor)) static void _name##_register(void) \
	{                                                               \
		spdk_add_subsystem(&_name);                             \
	}

/** Declare that subsystem \p _name needs subsystem \p _depends_on. */
#define SPDK_SUBSYSTEM_DEPEND(_name, _depends_on)                                            \
	static struct spdk_subsystem_depend __subsystem_##_name##_depend_on##_depends_on = { \
		.name = #_name,                                                              \
		.depends_on = #_depends_on,                                                  \
	};                                                                                   \
	__attribute__((constructor)) static void _name##_depend_on##_depends_on(void)        \
	{                                                                                    \
		spdk_add_subsystem_depend(&__subsystem_##_name##_depend_on##_depends_on);    \
	}

#ifdef __cplusplus
}
#endif

#endif /* SPDK_INIT_H */
