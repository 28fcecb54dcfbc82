/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The test JSON-RPC client of ut_rpc_client.h: non-blocking sockets, reads
 * and writes interleaved with polls of the in-process server.
 */

#include "spdk/stdinc.h"
#include "ut_rpc_client.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>

#define UT_RPC_MAX_ROUNDS 200000
#define UT_RPC_MAX_NS (2ULL * 1000 * 1000 * 1000)
#define UT_RPC_IDLE_ROUNDS 20

static uint64_t
ut_now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static int
ut_rpc_client_init(struct ut_rpc_client *c, int fd, ut_rpc_poll_fn poll, void *poll_ctx)
{
	memset(c, 0, sizeof(*c));
	c->fd = fd;
	c->poll = poll;
	c->poll_ctx = poll_ctx;
	return fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) == 0 ? 0 : -errno;
}

int
ut_rpc_client_connect_unix(struct ut_rpc_client *c, const char *path, ut_rpc_poll_fn poll,
			   void *poll_ctx)
{
	struct sockaddr_un un = {.sun_family = AF_UNIX};
	int fd, rc;

	if (strlen(path) >= sizeof(un.sun_path)) {
		return -ENAMETOOLONG;
	}
	memcpy(un.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	if (connect(fd, (struct sockaddr *)&un, sizeof(un)) != 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return ut_rpc_client_init(c, fd, poll, poll_ctx);
}

int
ut_rpc_client_connect_tcp(struct ut_rpc_client *c, uint16_t port, ut_rpc_poll_fn poll,
			  void *poll_ctx)
{
	struct sockaddr_in in = {.sin_family = AF_INET, .sin_port = htons(port)};
	int fd, rc;

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return -errno;
	}
	if (connect(fd, (struct sockaddr *)&in, sizeof(in)) != 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	return ut_rpc_client_init(c, fd, poll, poll_ctx);
}

int
ut_rpc_client_send(struct ut_rpc_client *c, const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t deadline = ut_now_ns() + UT_RPC_MAX_NS;
	uint32_t rounds = 0;
	ssize_t n;

	while (len > 0) {
		n = send(c->fd, p, len, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			p += n;
			len -= (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			return -errno;
		}
		if (++rounds > UT_RPC_MAX_ROUNDS || ut_now_ns() > deadline) {
			return -ETIMEDOUT;
		}
		c->poll(c->poll_ctx);
	}
	c->poll(c->poll_ctx);
	return 0;
}

int
ut_rpc_client_send_str(struct ut_rpc_client *c, const char *text)
{
	return ut_rpc_client_send(c, text, strlen(text));
}

/* Read what is available; returns 1 on data, 0 on nothing, -1 on EOF or error. */
static int
ut_rpc_client_fill(struct ut_rpc_client *c)
{
	ssize_t n;

	if (c->cap - c->len < 4096) {
		size_t cap = c->cap ? c->cap * 2 : 8192;
		char *p = realloc(c->buf, cap);

		if (p == NULL) {
			return -1;
		}
		c->buf = p;
		c->cap = cap;
	}
	n = recv(c->fd, c->buf + c->len, c->cap - c->len - 1, MSG_DONTWAIT);
	if (n > 0) {
		c->len += (size_t)n;
		return 1;
	}
	if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR)) {
		return 0;
	}
	return -1;
}

char *
ut_rpc_client_read_line(struct ut_rpc_client *c)
{
	uint64_t deadline = ut_now_ns() + UT_RPC_MAX_NS;
	uint32_t rounds;
	char *nl, *line;
	size_t n;
	int rc;

	for (rounds = 0; rounds < UT_RPC_MAX_ROUNDS && ut_now_ns() < deadline; rounds++) {
		nl = c->buf != NULL ? memchr(c->buf, '\n', c->len) : NULL;
		if (nl != NULL) {
			n = (size_t)(nl - c->buf);
			line = malloc(n + 1);
			if (line == NULL) {
				return NULL;
			}
			memcpy(line, c->buf, n);
			line[n] = '\0';
			c->len -= n + 1;
			memmove(c->buf, nl + 1, c->len);
			return line;
		}
		rc = ut_rpc_client_fill(c);
		if (rc < 0) {
			return NULL;
		}
		if (rc == 0) {
			c->poll(c->poll_ctx);
		}
	}
	return NULL;
}

bool
ut_rpc_client_wait_eof(struct ut_rpc_client *c)
{
	uint64_t deadline = ut_now_ns() + UT_RPC_MAX_NS;
	uint32_t rounds;
	int rc;

	for (rounds = 0; rounds < UT_RPC_MAX_ROUNDS && ut_now_ns() < deadline; rounds++) {
		rc = ut_rpc_client_fill(c);
		if (rc < 0) {
			return true;
		}
		if (rc == 0) {
			c->poll(c->poll_ctx);
		}
	}
	return false;
}

bool
ut_rpc_client_idle(struct ut_rpc_client *c)
{
	size_t before = c->len;
	int i;

	for (i = 0; i < UT_RPC_IDLE_ROUNDS; i++) {
		c->poll(c->poll_ctx);
		if (c->fd >= 0 && ut_rpc_client_fill(c) != 0) {
			return false;
		}
	}
	return c->len == before;
}

void
ut_rpc_client_close(struct ut_rpc_client *c)
{
	if (c->fd >= 0) {
		close(c->fd);
	}
	c->fd = -1;
	free(c->buf);
	c->buf = NULL;
	c->len = 0;
	c->cap = 0;
}

uint16_t
ut_rpc_free_tcp_port(void)
{
	struct sockaddr_in in = {.sin_family = AF_INET};
	socklen_t len = sizeof(in);
	uint16_t port = 0;
	int fd;

	in.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		return 0;
	}
	if (bind(fd, (struct sockaddr *)&in, sizeof(in)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&in, &len) == 0) {
		port = ntohs(in.sin_port);
	}
	close(fd);
	return port;
}
