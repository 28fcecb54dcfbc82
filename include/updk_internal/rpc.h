/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Calling registered RPC methods from inside the process, without a socket:
 * the configuration loader replays {"method", "params"} entries this way. To
 * find whether a method exists and in which states it may run, use
 * spdk_rpc_get_method_state_mask() and spdk_rpc_is_method_allowed() from
 * spdk/rpc.h.
 */

#ifndef UPDK_INTERNAL_RPC_H
#define UPDK_INTERNAL_RPC_H

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/rpc.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Completion of updk__rpc_call_method().
 *
 * \param cb_arg The cb_arg given to the call.
 * \param code 0 when the method succeeded; otherwise the error code it sent
 * (a SPDK_JSONRPC_ERROR_* code, or a negative errno for most methods).
 * \param message The error message, or NULL on success. Valid only during
 * the call.
 */
typedef void (*updk_rpc_call_cb)(void *cb_arg, int code, const char *message);

/**
 * Completion of updk__rpc_call_method_ext(): like updk_rpc_call_cb, plus the
 * result.
 *
 * \param result On success, the method's result value (flat array, see
 * spdk/json.h); NULL on error. Valid only during the call.
 */
typedef void (*updk_rpc_call_result_cb)(void *cb_arg, int code, const char *message,
					const struct spdk_json_val *result);

/**
 * Call a registered method with already-parsed params, as if a client had
 * sent {"method": method, "params": params} and the current state allowed it
 * (the allowlist of spdk_rpc_set_allowlist() does not apply). Handlers that
 * respond later (after they return) work as well as those that respond at
 * once.
 *
 * Callback contract: if this returns 0, \p cb_fn runs exactly once, later
 * (never inside this call), on the calling thread, even when the method
 * fails. If it returns a negative errno, \p cb_fn never runs.
 *
 * Must be called on an SPDK thread, the one that runs RPC methods (the app
 * thread).
 *
 * \param method Name of a method or alias.
 * \param params The params: an OBJECT_BEGIN or ARRAY_BEGIN element, or NULL
 * for none. They must stay valid until \p cb_fn runs (a handler may read
 * them until it responds).
 * \param cb_fn Called with the outcome.
 * \param cb_arg Passed to \p cb_fn.
 * \return 0 when the method was called; -ENOENT when there is no such method
 * (not logged, so that the caller can decide how to report it); -EPERM when
 * the method may not run in the current state (not logged); -EINVAL (logged)
 * for a NULL method or callback, params that are not an object or array, or
 * no current SPDK thread; -ENOMEM (logged).
 */
int updk__rpc_call_method(const char *method, const struct spdk_json_val *params,
			  updk_rpc_call_cb cb_fn, void *cb_arg);

/** updk__rpc_call_method() whose completion also receives the result. Same returns. */
int updk__rpc_call_method_ext(const char *method, const struct spdk_json_val *params,
			      updk_rpc_call_result_cb cb_fn, void *cb_arg);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_RPC_H */
