/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * The RPC method registry and its dispatcher: methods and deprecated aliases
 * registered from constructors, the startup/runtime state that gates them,
 * the allowlist, RPC servers (a JSON-RPC server whose requests go to the
 * registry, on a Unix socket or TCP), in-process calls for the configuration
 * loader, and the two built-in methods that describe the registry itself
 * (rpc_get_methods, spdk_get_version).
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk_internal/json.h"
#include "updk_internal/jsonrpc.h"
#include "updk_internal/rpc.h"

/* Socket headers that spdk/stdinc.h does not provide. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/un.h>

#ifndef UPDK_VERSION_MAJOR
#define UPDK_VERSION_MAJOR 0
#endif
#ifndef UPDK_VERSION_MINOR
#define UPDK_VERSION_MINOR 1
#endif
#ifndef UPDK_VERSION_PATCH
#define UPDK_VERSION_PATCH 0
#endif

struct rpc_method {
	char *name;
	/* The handler; NULL for an alias. */
	spdk_rpc_method_handler func;
	uint32_t state_mask;
	/* For an alias: the name of the method it stands for. */
	char *alias_of;
	/* The alias's deprecation warning was logged. */
	bool warned;
	STAILQ_ENTRY(rpc_method) link;
};

struct spdk_rpc_server {
	struct spdk_jsonrpc_server *jsonrpc;
};

static STAILQ_HEAD(, rpc_method) g_rpc_methods = STAILQ_HEAD_INITIALIZER(g_rpc_methods);
/* Set when a registration failed; reported by spdk_rpc_verify_methods(). */
static bool g_rpc_registration_failed;
static uint32_t g_rpc_state = SPDK_RPC_STARTUP;
static char **g_rpc_allowlist;
static struct spdk_rpc_server *g_rpc_default_server;

static struct rpc_method *
rpc_find(const char *name, size_t len)
{
	struct rpc_method *m;

	STAILQ_FOREACH (m, &g_rpc_methods, link) {
		if (strlen(m->name) == len && memcmp(m->name, name, len) == 0) {
			return m;
		}
	}
	return NULL;
}

/* The method a name stands for (following one alias), or NULL. */
static struct rpc_method *
rpc_resolve(struct rpc_method *m, bool warn)
{
	struct rpc_method *target;

	if (m == NULL || m->alias_of == NULL) {
		return m;
	}
	target = rpc_find(m->alias_of, strlen(m->alias_of));
	if (target == NULL || target->alias_of != NULL) {
		return NULL;
	}
	if (warn && !m->warned) {
		SPDK_WARNLOG("RPC method %s is deprecated; use %s instead\n", m->name,
			     target->name);
		m->warned = true;
	}
	return target;
}

static struct rpc_method *
rpc_add(const char *name)
{
	struct rpc_method *m;

	m = calloc(1, sizeof(*m));
	if (m == NULL || (m->name = strdup(name)) == NULL) {
		free(m);
		SPDK_ERRLOG("RPC: out of memory registering %s\n", name);
		g_rpc_registration_failed = true;
		return NULL;
	}
	/* Keep registration order, which rpc_get_methods reports. */
	STAILQ_INSERT_TAIL(&g_rpc_methods, m, link);
	return m;
}

void
spdk_rpc_register_method(const char *method, spdk_rpc_method_handler func, uint32_t state_mask)
{
	struct rpc_method *m;

	if (method == NULL || method[0] == '\0' || func == NULL) {
		SPDK_ERRLOG("RPC: cannot register a method without a name or handler\n");
		g_rpc_registration_failed = true;
		return;
	}
	if (rpc_find(method, strlen(method)) != NULL) {
		SPDK_ERRLOG("RPC: method %s is registered twice\n", method);
		g_rpc_registration_failed = true;
		return;
	}
	m = rpc_add(method);
	if (m != NULL) {
		m->func = func;
		m->state_mask = state_mask;
	}
}

void
spdk_rpc_register_alias_deprecated(const char *method, const char *alias)
{
	struct rpc_method *m;

	if (method == NULL || alias == NULL || alias[0] == '\0') {
		SPDK_ERRLOG("RPC: cannot register an alias without names\n");
		g_rpc_registration_failed = true;
		return;
	}
	if (rpc_find(alias, strlen(alias)) != NULL) {
		SPDK_ERRLOG("RPC: alias %s of %s is already registered\n", alias, method);
		g_rpc_registration_failed = true;
		return;
	}
	m = rpc_add(alias);
	if (m == NULL) {
		return;
	}
	m->alias_of = strdup(method);
	if (m->alias_of == NULL) {
		SPDK_ERRLOG("RPC: out of memory registering alias %s\n", alias);
		g_rpc_registration_failed = true;
	}
}

bool
spdk_rpc_verify_methods(void)
{
	struct rpc_method *m, *target;
	bool ok = !g_rpc_registration_failed;

	STAILQ_FOREACH (m, &g_rpc_methods, link) {
		if (m->alias_of == NULL) {
			continue;
		}
		target = rpc_find(m->alias_of, strlen(m->alias_of));
		if (target == NULL) {
			SPDK_ERRLOG("RPC: alias %s names the unknown method %s\n", m->name,
				    m->alias_of);
			ok = false;
		} else if (target->alias_of != NULL) {
			SPDK_ERRLOG("RPC: alias %s names %s, which is an alias itself\n", m->name,
				    m->alias_of);
			ok = false;
		}
	}
	return ok;
}

int
spdk_rpc_get_method_state_mask(const char *method, uint32_t *state_mask)
{
	struct rpc_method *m;

	if (method == NULL || state_mask == NULL) {
		return -EINVAL;
	}
	m = rpc_resolve(rpc_find(method, strlen(method)), false);
	if (m == NULL) {
		return -ENOENT;
	}
	*state_mask = m->state_mask;
	return 0;
}

int
spdk_rpc_is_method_allowed(const char *method, uint32_t state_mask)
{
	uint32_t mask;
	int rc = spdk_rpc_get_method_state_mask(method, &mask);

	if (rc != 0) {
		return rc == -EINVAL ? -ENOENT : rc;
	}
	return (mask & state_mask) == state_mask ? 0 : -EPERM;
}

void
spdk_rpc_set_state(uint32_t state_mask)
{
	g_rpc_state = state_mask;
}

uint32_t
spdk_rpc_get_state(void)
{
	return g_rpc_state;
}

void
spdk_rpc_set_allowlist(const char **rpc_allowlist)
{
	spdk_strarray_free(g_rpc_allowlist);
	g_rpc_allowlist = NULL;
	if (rpc_allowlist != NULL) {
		g_rpc_allowlist = spdk_strarray_dup(rpc_allowlist);
		if (g_rpc_allowlist == NULL) {
			SPDK_ERRLOG("RPC: out of memory copying the allowlist\n");
		}
	}
}

static bool
rpc_allowlisted(const char *name, size_t len)
{
	char **p;

	if (g_rpc_allowlist == NULL) {
		return true;
	}
	for (p = g_rpc_allowlist; *p != NULL; p++) {
		if (strlen(*p) == len && memcmp(*p, name, len) == 0) {
			return true;
		}
	}
	return false;
}

static void
rpc_send_invalid_state(struct spdk_jsonrpc_request *request)
{
	if (g_rpc_state == SPDK_RPC_STARTUP) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_STATE,
						 "Method may only be called after the framework is "
						 "initialized (framework_start_init)");
	} else {
		spdk_jsonrpc_send_error_response(
			request, SPDK_JSONRPC_ERROR_INVALID_STATE,
			"Method may only be called before the framework is "
			"initialized (start the application with "
			"--wait-for-rpc and call it before "
			"framework_start_init)");
	}
}

/* The handler of every RPC server's requests. */
static void
rpc_handle_request(struct spdk_jsonrpc_request *request, const struct spdk_json_val *method,
		   const struct spdk_json_val *params)
{
	struct rpc_method *m;

	m = rpc_resolve(rpc_find(method->start, method->len), true);
	if (m == NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_METHOD_NOT_FOUND,
						 "Method not found");
		return;
	}
	if (!rpc_allowlisted(method->start, method->len)) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_METHOD_NOT_FOUND,
						 "Method not allowed");
		return;
	}
	if ((m->state_mask & g_rpc_state) != g_rpc_state) {
		rpc_send_invalid_state(request);
		return;
	}
	m->func(request, params);
}

/* Parse IPV4:PORT or [IPV6]:PORT; false when the address is not one. */
static bool
rpc_parse_ip(const char *addr, struct sockaddr_storage *ss, socklen_t *len)
{
	char host[INET6_ADDRSTRLEN + 2];
	const char *colon, *port_str;
	char *end;
	unsigned long port;
	size_t hlen;

	if (addr[0] == '[') {
		const char *close = strchr(addr, ']');

		if (close == NULL || close[1] != ':') {
			return false;
		}
		hlen = (size_t)(close - addr - 1);
		if (hlen >= sizeof(host)) {
			return false;
		}
		memcpy(host, addr + 1, hlen);
		host[hlen] = '\0';
		port_str = close + 2;
	} else {
		colon = strchr(addr, ':');
		if (colon == NULL || strchr(colon + 1, ':') != NULL) {
			return false;
		}
		hlen = (size_t)(colon - addr);
		if (hlen >= sizeof(host)) {
			return false;
		}
		memcpy(host, addr, hlen);
		host[hlen] = '\0';
		port_str = colon + 1;
	}
	if (!isdigit((unsigned char)port_str[0])) {
		return false;
	}
	errno = 0;
	port = strtoul(port_str, &end, 10);
	if (errno != 0 || *end != '\0' || port == 0 || port > 65535) {
		return false;
	}

	memset(ss, 0, sizeof(*ss));
	if (addr[0] == '[') {
		struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)ss;

		if (inet_pton(AF_INET6, host, &in6->sin6_addr) != 1) {
			return false;
		}
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)port);
		*len = sizeof(*in6);
	} else {
		struct sockaddr_in *in = (struct sockaddr_in *)ss;

		if (inet_pton(AF_INET, host, &in->sin_addr) != 1) {
			return false;
		}
		in->sin_family = AF_INET;
		in->sin_port = htons((uint16_t)port);
		*len = sizeof(*in);
	}
	return true;
}

static int
rpc_server_create(const char *listen_addr, struct spdk_rpc_server **out)
{
	struct sockaddr_storage ss;
	struct sockaddr_un *un = (struct sockaddr_un *)&ss;
	struct spdk_rpc_server *server;
	socklen_t len;
	int rc;

	if (listen_addr == NULL || listen_addr[0] == '\0') {
		SPDK_ERRLOG("RPC: the listen address is empty\n");
		return -EINVAL;
	}
	if (!rpc_parse_ip(listen_addr, &ss, &len)) {
		if (strlen(listen_addr) >= sizeof(un->sun_path)) {
			SPDK_ERRLOG("RPC: the socket path %s is too long (at most %zu bytes)\n",
				    listen_addr, sizeof(un->sun_path) - 1);
			return -ENAMETOOLONG;
		}
		memset(un, 0, sizeof(*un));
		un->sun_family = AF_UNIX;
		memcpy(un->sun_path, listen_addr, strlen(listen_addr));
		len = sizeof(*un);
	}

	server = calloc(1, sizeof(*server));
	if (server == NULL) {
		SPDK_ERRLOG("RPC: out of memory for a server\n");
		return -ENOMEM;
	}
	rc = updk__jsonrpc_server_listen(ss.ss_family, 0, (struct sockaddr *)&ss, len,
					 rpc_handle_request, &server->jsonrpc);
	if (rc != 0) {
		free(server);
		return rc;
	}
	*out = server;
	return 0;
}

struct spdk_rpc_server *
spdk_rpc_server_listen(const char *listen_addr)
{
	struct spdk_rpc_server *server = NULL;

	if (rpc_server_create(listen_addr, &server) != 0) {
		return NULL;
	}
	return server;
}

void
spdk_rpc_server_accept(struct spdk_rpc_server *server)
{
	if (server != NULL) {
		updk__jsonrpc_server_poll(server->jsonrpc);
	}
}

void
spdk_rpc_server_close(struct spdk_rpc_server *server)
{
	if (server == NULL) {
		return;
	}
	spdk_jsonrpc_server_shutdown(server->jsonrpc);
	free(server);
}

int
spdk_rpc_listen(const char *listen_addr)
{
	if (g_rpc_default_server != NULL) {
		SPDK_ERRLOG("RPC: the default server is already listening\n");
		return -EEXIST;
	}
	return rpc_server_create(listen_addr, &g_rpc_default_server);
}

void
spdk_rpc_accept(void)
{
	spdk_rpc_server_accept(g_rpc_default_server);
}

void
spdk_rpc_close(void)
{
	spdk_rpc_server_close(g_rpc_default_server);
	g_rpc_default_server = NULL;
}

struct rpc_call {
	updk_rpc_call_cb cb_fn;
	updk_rpc_call_result_cb result_cb_fn;
	void *cb_arg;
	struct spdk_thread *thread;
	/* The response text, once the handler responded. */
	char *response;
};

static void
rpc_call_deliver(void *arg)
{
	struct rpc_call *call = arg;
	struct spdk_json_val *values = NULL, *error = NULL, *result = NULL, *val;
	size_t num_values;
	char *message = NULL;
	int32_t code = 0;

	if (call->response == NULL) {
		code = -ENOMEM;
		message = strdup("out of memory for the response");
	} else if (updk__json_parse(call->response, strlen(call->response), 0, &values, &num_values,
				    NULL, NULL, 0) != 0) {
		code = SPDK_JSONRPC_ERROR_INTERNAL_ERROR;
		message = strdup("the response could not be parsed");
	} else if (spdk_json_find(values, "error", NULL, &error, SPDK_JSON_VAL_OBJECT_BEGIN) == 0) {
		code = SPDK_JSONRPC_ERROR_INTERNAL_ERROR;
		if (spdk_json_find(error, "code", NULL, &val, SPDK_JSON_VAL_NUMBER) != 0 ||
		    spdk_json_number_to_int32(val, &code) != 0 || code == 0) {
			code = SPDK_JSONRPC_ERROR_INTERNAL_ERROR;
		}
		if (spdk_json_find_string(error, "message", NULL, &val) == 0) {
			message = spdk_json_strdup(val);
		}
	} else if (spdk_json_find(values, "result", NULL, &result, SPDK_JSON_VAL_ANY) != 0) {
		code = SPDK_JSONRPC_ERROR_INTERNAL_ERROR;
		message = strdup("the response has no result");
	}

	if (call->result_cb_fn != NULL) {
		call->result_cb_fn(call->cb_arg, code, code != 0 ? (message ? message : "") : NULL,
				   code == 0 ? result : NULL);
	} else {
		call->cb_fn(call->cb_arg, code, code != 0 ? (message ? message : "") : NULL);
	}
	free(message);
	updk__json_free(values);
	free(call->response);
	free(call);
}

static void
rpc_call_response(void *ctx, char *response, size_t len)
{
	struct rpc_call *call = ctx;
	int rc;

	call->response = response;
	/* Always by message: the handler may be responding inside the call. */
	rc = spdk_thread_send_msg(call->thread, rpc_call_deliver, call);
	if (rc != 0) {
		SPDK_ERRLOG("RPC: cannot return a method's response to its caller (%s); "
			    "completing here\n",
			    spdk_strerror(-rc));
		rpc_call_deliver(call);
	}
}

static int
rpc_call(const char *method, const struct spdk_json_val *params, updk_rpc_call_cb cb_fn,
	 updk_rpc_call_result_cb result_cb_fn, void *cb_arg)
{
	struct spdk_jsonrpc_request *request;
	struct spdk_thread *thread = spdk_get_thread();
	struct rpc_method *m;
	struct rpc_call *call;

	if (method == NULL || (cb_fn == NULL && result_cb_fn == NULL)) {
		SPDK_ERRLOG("RPC call: NULL method name or callback\n");
		return -EINVAL;
	}
	if (thread == NULL) {
		SPDK_ERRLOG("RPC call of %s: not on an SPDK thread\n", method);
		return -EINVAL;
	}
	if (params != NULL && params->type != SPDK_JSON_VAL_OBJECT_BEGIN &&
	    params->type != SPDK_JSON_VAL_ARRAY_BEGIN) {
		SPDK_ERRLOG("RPC call of %s: params must be an object or an array\n", method);
		return -EINVAL;
	}
	m = rpc_resolve(rpc_find(method, strlen(method)), true);
	if (m == NULL) {
		return -ENOENT;
	}
	if ((m->state_mask & g_rpc_state) != g_rpc_state) {
		return -EPERM;
	}

	call = calloc(1, sizeof(*call));
	if (call == NULL) {
		SPDK_ERRLOG("RPC call of %s: out of memory\n", method);
		return -ENOMEM;
	}
	call->cb_fn = cb_fn;
	call->result_cb_fn = result_cb_fn;
	call->cb_arg = cb_arg;
	call->thread = thread;
	request = updk__jsonrpc_request_create_local(rpc_call_response, call);
	if (request == NULL) {
		free(call);
		return -ENOMEM;
	}
	m->func(request, params);
	return 0;
}

int
updk__rpc_call_method(const char *method, const struct spdk_json_val *params,
		      updk_rpc_call_cb cb_fn, void *cb_arg)
{
	if (cb_fn == NULL) {
		SPDK_ERRLOG("RPC call: NULL callback\n");
		return -EINVAL;
	}
	return rpc_call(method, params, cb_fn, NULL, cb_arg);
}

int
updk__rpc_call_method_ext(const char *method, const struct spdk_json_val *params,
			  updk_rpc_call_result_cb cb_fn, void *cb_arg)
{
	if (cb_fn == NULL) {
		SPDK_ERRLOG("RPC call: NULL callback\n");
		return -EINVAL;
	}
	return rpc_call(method, params, NULL, cb_fn, cb_arg);
}

struct rpc_get_methods {
	bool current;
	bool include_aliases;
};

static const struct spdk_json_object_decoder rpc_get_methods_decoders[] = {
	{"current", offsetof(struct rpc_get_methods, current), spdk_json_decode_bool, true},
	{"include_aliases", offsetof(struct rpc_get_methods, include_aliases),
	 spdk_json_decode_bool, true},
};

static void
rpc_rpc_get_methods(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct rpc_get_methods req = {};
	struct spdk_json_write_ctx *w;
	struct rpc_method *m, *target;

	if (params != NULL &&
	    spdk_json_decode_object(params, rpc_get_methods_decoders,
				    SPDK_COUNTOF(rpc_get_methods_decoders), &req) != 0) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "Invalid parameters");
		return;
	}

	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_array_begin(w);
	STAILQ_FOREACH (m, &g_rpc_methods, link) {
		if (m->alias_of != NULL && !req.include_aliases) {
			continue;
		}
		target = rpc_resolve(m, false);
		if (target == NULL) {
			continue;
		}
		if (req.current && (target->state_mask & g_rpc_state) != g_rpc_state) {
			continue;
		}
		spdk_json_write_string(w, m->name);
	}
	spdk_json_write_array_end(w);
	spdk_jsonrpc_end_result(request, w);
}
SPDK_RPC_REGISTER("rpc_get_methods", rpc_rpc_get_methods, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)

static void
rpc_spdk_get_version(struct spdk_jsonrpc_request *request, const struct spdk_json_val *params)
{
	struct spdk_json_write_ctx *w;

	if (params != NULL) {
		spdk_jsonrpc_send_error_response(request, SPDK_JSONRPC_ERROR_INVALID_PARAMS,
						 "spdk_get_version takes no parameters");
		return;
	}
	w = spdk_jsonrpc_begin_result(request);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string_fmt(w, "version", "updk v%d.%d.%d", UPDK_VERSION_MAJOR,
					 UPDK_VERSION_MINOR, UPDK_VERSION_PATCH);
	spdk_json_write_named_object_begin(w, "fields");
	spdk_json_write_named_int32(w, "major", UPDK_VERSION_MAJOR);
	spdk_json_write_named_int32(w, "minor", UPDK_VERSION_MINOR);
	spdk_json_write_named_int32(w, "patch", UPDK_VERSION_PATCH);
	spdk_json_write_named_string(w, "suffix", "");
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
	spdk_jsonrpc_end_result(request, w);
}
SPDK_RPC_REGISTER("spdk_get_version", rpc_spdk_get_version, SPDK_RPC_STARTUP | SPDK_RPC_RUNTIME)
