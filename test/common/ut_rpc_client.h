/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A minimal JSON-RPC client for tests that run a server in the same process
 * and on the same pthread: every wait alternates between a poll of the server
 * (a callback the test provides) and a non-blocking read of the client
 * socket, so nothing blocks and no other pthread is needed. Waits give up
 * after a bounded number of rounds (and two seconds), never sleeping.
 */

#ifndef UT_RPC_CLIENT_H
#define UT_RPC_CLIENT_H

#include "spdk/stdinc.h"

/** Polls the server side once. */
typedef void (*ut_rpc_poll_fn)(void *ctx);

/** A client connection with its unread input. */
struct ut_rpc_client {
	int fd;
	char *buf;
	size_t len;
	size_t cap;
	ut_rpc_poll_fn poll;
	void *poll_ctx;
};

/** Connect to a Unix socket. \return 0 or a negative errno. */
int ut_rpc_client_connect_unix(struct ut_rpc_client *c, const char *path, ut_rpc_poll_fn poll,
			       void *poll_ctx);

/** Connect to 127.0.0.1:\p port. \return 0 or a negative errno. */
int ut_rpc_client_connect_tcp(struct ut_rpc_client *c, uint16_t port, ut_rpc_poll_fn poll,
			      void *poll_ctx);

/** Send all of \p data, polling the server while the socket is full. \return 0 or -errno. */
int ut_rpc_client_send(struct ut_rpc_client *c, const void *data, size_t len);

/** Send a NUL-terminated string. */
int ut_rpc_client_send_str(struct ut_rpc_client *c, const char *text);

/**
 * Wait for one line (a response ends with '\n').
 *
 * \return the line without its newline (free() it), or NULL on EOF or timeout.
 */
char *ut_rpc_client_read_line(struct ut_rpc_client *c);

/** \return true if the server closed the connection (after all input was read). */
bool ut_rpc_client_wait_eof(struct ut_rpc_client *c);

/** Poll a few rounds and \return true if nothing arrived (a client with fd -1 only polls). */
bool ut_rpc_client_idle(struct ut_rpc_client *c);

/** Close the connection and free the buffer. */
void ut_rpc_client_close(struct ut_rpc_client *c);

/** Find a free TCP port on 127.0.0.1. \return the port, or 0. */
uint16_t ut_rpc_free_tcp_port(void);

#endif /* UT_RPC_CLIENT_H */
