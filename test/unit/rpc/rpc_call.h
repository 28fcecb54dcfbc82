/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Shared by the lib/rpc unit tests: call a method in-process with params
 * given as JSON text, run the harness thread until the completion arrives,
 * and return the error code, the message and the result as compact JSON text.
 */

#ifndef RPC_UT_CALL_H
#define RPC_UT_CALL_H

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "updk_internal/json.h"
#include "updk_internal/rpc.h"

#include "ut_threads.h"

struct ut_call {
	bool done;
	int calls;
	int code;
	char message[256];
	char result[4096];
	size_t result_len;
};

static int
ut_call_result_write(void *ctx, const void *data, size_t size)
{
	struct ut_call *c = ctx;

	if (c->result_len + size >= sizeof(c->result)) {
		return -1;
	}
	memcpy(c->result + c->result_len, data, size);
	c->result_len += size;
	c->result[c->result_len] = '\0';
	return 0;
}

static void
ut_call_done(void *arg, int code, const char *message, const struct spdk_json_val *result)
{
	struct ut_call *c = arg;
	struct spdk_json_write_ctx *w;

	c->done = true;
	c->calls++;
	c->code = code;
	snprintf(c->message, sizeof(c->message), "%s", message != NULL ? message : "");
	c->result_len = 0;
	c->result[0] = '\0';
	if (result != NULL) {
		w = spdk_json_write_begin(ut_call_result_write, c, 0);
		spdk_json_write_val(w, result);
		spdk_json_write_end(w);
	}
}

/*
 * Call \p method with \p params_text (NULL for none) on harness thread 0 and
 * wait for the completion. Returns what updk__rpc_call_method_ext() returned.
 */
static int
ut_call(const char *method, const char *params_text, struct ut_call *c)
{
	struct spdk_json_val *params = NULL;
	size_t n;
	int rc;

	memset(c, 0, sizeof(*c));
	if (params_text != NULL &&
	    updk__json_parse(params_text, strlen(params_text), 0, &params, &n, NULL, NULL, 0)) {
		return -999;
	}
	ut_set_thread(0);
	rc = updk__rpc_call_method_ext(method, params, ut_call_done, c);
	if (rc == 0) {
		/* Never inside the call. */
		if (c->done) {
			rc = -998;
		}
		ut_poll_threads();
	}
	updk__json_free(params);
	return rc;
}

#endif /* RPC_UT_CALL_H */
