/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * RPC methods: a process-wide registry of named JSON-RPC methods, the state
 * that decides which of them may run (startup or runtime), and RPC servers
 * that dispatch requests to them.
 *
 * A method is registered once, normally from a constructor:
 *
 *     static void
 *     rpc_bdev_foo_delete(struct spdk_jsonrpc_request *request,
 *                         const struct spdk_json_val *params)
 *     {
 *             ... decode params, do the work, then respond (now or later) ...
 *     }
 *     SPDK_RPC_REGISTER("bdev_foo_delete", rpc_bdev_foo_delete, SPDK_RPC_RUNTIME)
 *
 * A request for an unknown method gets error -32601 "Method not found"; a
 * request for a method whose state mask lacks the current state gets error
 * SPDK_JSONRPC_ERROR_INVALID_STATE (-1) with a message starting "Method may
 * only be called". The state starts as SPDK_RPC_STARTUP; the application
 * framework switches it to SPDK_RPC_RUNTIME once the subsystems are
 * initialised.
 *
 * Built-in methods (allowed in both states): rpc_get_methods {"current":
 * bool, "include_aliases": bool} returns the method names; spdk_get_version
 * returns {"version": "updk vX.Y.Z", "fields": {"major", "minor", "patch",
 * "suffix"}}; log_set_flag / log_clear_flag {"flag"}, log_get_flags,
 * log_set_print_level / log_set_level {"level": "ERROR", "WARNING",
 * "NOTICE", "INFO" or "DEBUG"}, log_get_print_level, log_get_level and
 * log_enable_timestamps {"enabled"} drive spdk/log.h.
 *
 * Threading: registration happens before main() (constructors); everything
 * else must run on one thread, the one that polls the servers (the app
 * thread).
 */

#ifndef SPDK_RPC_H
#define SPDK_RPC_H

#include "spdk/stdinc.h"
#include "spdk/jsonrpc.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef UPDK_ATTR_DEALLOC
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
/* Lets GCC check that what a constructor returns reaches the matching destructor. */
#define UPDK_ATTR_DEALLOC(fn) __attribute__((malloc(fn, 1)))
#else
#define UPDK_ATTR_DEALLOC(fn)
#endif
#endif

/** State bit: before the subsystems are initialised (configuration methods). */
#define SPDK_RPC_STARTUP 0x1
/** State bit: after the subsystems are initialised (normal operation). */
#define SPDK_RPC_RUNTIME 0x2

/** An RPC server: a listener whose requests go to the registered methods. */
struct spdk_rpc_server;

/**
 * Handle a request for a registered method. Same contract as
 * spdk_jsonrpc_handle_request_fn: respond exactly once, now or later, on this
 * thread.
 *
 * \param request The request.
 * \param params The params (an object or array), or NULL when there are none.
 */
typedef void (*spdk_rpc_method_handler)(struct spdk_jsonrpc_request *request,
					const struct spdk_json_val *params);

/**
 * Check the registrations made so far: no name registered twice, every alias
 * names an existing method, no alias names another alias. Each problem is
 * logged.
 *
 * \return true if all registrations are correct.
 */
bool spdk_rpc_verify_methods(void);

/**
 * Close \p server (and remove its Unix socket file) and free it.
 *
 * \param server The server; NULL does nothing.
 */
void spdk_rpc_server_close(struct spdk_rpc_server *server);

/**
 * Start an RPC server. An address that parses as IPV4:PORT or [IPV6]:PORT
 * listens on TCP; anything else is a Unix socket path (see
 * spdk_jsonrpc_server_listen() for how an existing socket file is treated).
 *
 * \param listen_addr The address.
 * \return the server, to be released with spdk_rpc_server_close(), or NULL (logged).
 */
struct spdk_rpc_server *spdk_rpc_server_listen(const char *listen_addr)
	UPDK_ATTR_DEALLOC(spdk_rpc_server_close);

/**
 * Serve \p server without blocking: accept, read, dispatch, send. Call it
 * repeatedly from a poller.
 *
 * \param server The server; NULL does nothing.
 */
void spdk_rpc_server_accept(struct spdk_rpc_server *server);

/**
 * Start the process's default RPC server (spdk_rpc_server_listen()).
 *
 * \param listen_addr The address.
 * \return 0; -EEXIST when the default server is already running;
 * -EADDRINUSE when another process listens on the address; -EINVAL for a
 * NULL, empty or malformed address; -ENAMETOOLONG for a Unix path longer than
 * 107 bytes; another negative errno from the socket calls. Each failure is
 * logged.
 */
int spdk_rpc_listen(const char *listen_addr);

/** Serve the default RPC server once (spdk_rpc_server_accept()); nothing if none. */
void spdk_rpc_accept(void);

/** Close the default RPC server, if any. */
void spdk_rpc_close(void);

/**
 * Register a method. A name registered twice keeps the first registration;
 * the error is logged and spdk_rpc_verify_methods() then returns false.
 *
 * \param method The name (copied).
 * \param func The handler.
 * \param state_mask SPDK_RPC_STARTUP and/or SPDK_RPC_RUNTIME: the states in
 * which the method may run.
 */
void spdk_rpc_register_method(const char *method, spdk_rpc_method_handler func,
			      uint32_t state_mask);

/**
 * Register \p alias as a deprecated second name of \p method. Calling the alias
 * calls the method and logs a deprecation warning (once).
 *
 * \param method The method's name.
 * \param alias The old name (copied).
 */
void spdk_rpc_register_alias_deprecated(const char *method, const char *alias);

/**
 * Check whether \p method may run in \p state_mask.
 *
 * \return 0 if allowed; -EPERM if the method exists but is not allowed;
 * -ENOENT if there is no such method (or alias).
 */
int spdk_rpc_is_method_allowed(const char *method, uint32_t state_mask);

/**
 * Get the states a method may run in.
 *
 * \param method A method or alias name.
 * \param state_mask Set to the method's mask.
 * \return 0, or -ENOENT if there is no such method (or alias), or -EINVAL
 * for a NULL argument.
 */
int spdk_rpc_get_method_state_mask(const char *method, uint32_t *state_mask);

/** Register \p func as the method \p method (a string) from a constructor. */
#define SPDK_RPC_REGISTER(method, func, state_mask)                              \
	static void __attribute__((constructor(1000))) rpc_register_##func(void) \
	{                                                                        \
		spdk_rpc_register_method(method, func, state_mask);              \
	}

/**
 * Register the deprecated alias \p alias (a bare name) of the method \p method
 * (a bare name) from a constructor that runs after those of SPDK_RPC_REGISTER().
 */
#define SPDK_RPC_REGISTER_ALIAS_DEPRECATED(method, alias)                         \
	static void __attribute__((constructor(1001))) rpc_register_##alias(void) \
	{                                                                         \
		spdk_rpc_register_alias_deprecated(#method, #alias);              \
	}

/**
 * Set the current state: methods whose mask contains it may run.
 *
 * \param state_mask SPDK_RPC_STARTUP or SPDK_RPC_RUNTIME.
 */
void spdk_rpc_set_state(uint32_t state_mask);

/** \return the current state (initially SPDK_RPC_STARTUP). */
uint32_t spdk_rpc_get_state(void);

/**
 * Let requests from RPC servers reach only the listed methods; others get
 * error -32601 "Method not allowed". Methods called by the application itself
 * (configuration replay) are not restricted.
 *
 * \param rpc_allowlist NULL-terminated array of method names (copied), or
 * NULL to allow every method again.
 */
void spdk_rpc_set_allowlist(const char **rpc_allowlist);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_RPC_H */
