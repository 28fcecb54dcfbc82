/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * The socket half of the JSON-RPC server: the listening socket (with the
 * stale-socket check and mode 0600 for Unix sockets), accepting connections
 * up to the limit, non-blocking reads with back-pressure, non-blocking sends,
 * and closing and freeing connections once nothing is left for them. All of
 * it runs from spdk_jsonrpc_server_poll() on the server's thread.
 */

#include "spdk/stdinc.h"
#include "spdk/jsonrpc.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "updk_internal/jsonrpc.h"

#include "jsonrpc_internal.h"

/* Socket headers that spdk/stdinc.h does not provide. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/un.h>

/* Most connections accepted in one poll, so one poll stays short. */
#define JSONRPC_ACCEPTS_PER_POLL 16
/* First size of a connection's receive buffer. */
#define JSONRPC_RECV_BUF_MIN 4096
/* A send buffer larger than this is released once empty. */
#define JSONRPC_SEND_BUF_KEEP (64 * 1024)

/* A printable form of a socket address, for logs. */
static void
jsonrpc_addr_str(const struct sockaddr *addr, socklen_t addrlen, char *buf, size_t buflen)
{
	char ip[INET6_ADDRSTRLEN];

	buf[0] = '\0';
	if (addr->sa_family == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)addr;
		size_t max = addrlen > offsetof(struct sockaddr_un, sun_path)
				     ? addrlen - offsetof(struct sockaddr_un, sun_path)
				     : 0;

		if (max > sizeof(un->sun_path)) {
			max = sizeof(un->sun_path);
		}
		snprintf(buf, buflen, "%.*s", (int)strnlen(un->sun_path, max), un->sun_path);
	} else if (addr->sa_family == AF_INET && addrlen >= sizeof(struct sockaddr_in)) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)addr;

		inet_ntop(AF_INET, &in->sin_addr, ip, sizeof(ip));
		snprintf(buf, buflen, "%s:%u", ip, ntohs(in->sin_port));
	} else if (addr->sa_family == AF_INET6 && addrlen >= sizeof(struct sockaddr_in6)) {
		const struct sockaddr_in6 *in6 = (const struct sockaddr_in6 *)addr;

		inet_ntop(AF_INET6, &in6->sin6_addr, ip, sizeof(ip));
		snprintf(buf, buflen, "[%s]:%u", ip, ntohs(in6->sin6_port));
	} else {
		snprintf(buf, buflen, "(address family %d)", addr->sa_family);
	}
}

/*
 * Make room for a Unix socket at path: nothing there is fine, a socket nobody
 * listens on is removed, anything else is refused.
 */
static int
jsonrpc_unix_prepare(const struct sockaddr_un *addr, socklen_t addrlen, const char *path)
{
	struct stat st;
	int probe, rc;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT) {
			return 0;
		}
		rc = -errno;
		SPDK_ERRLOG("JSON-RPC: cannot check %s: %s\n", path, spdk_strerror(-rc));
		return rc;
	}
	if (!S_ISSOCK(st.st_mode)) {
		SPDK_ERRLOG("JSON-RPC: cannot listen on %s: the file exists and is not a socket\n",
			    path);
		return -EEXIST;
	}

	probe = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (probe < 0) {
		rc = -errno;
		SPDK_ERRLOG("JSON-RPC: socket(): %s\n", spdk_strerror(-rc));
		return rc;
	}
	rc = connect(probe, (const struct sockaddr *)addr, addrlen) == 0 ? 0 : -errno;
	close(probe);
	/* A full backlog (EAGAIN) also means someone is listening. */
	if (rc == 0 || rc == -EAGAIN || rc == -EINPROGRESS) {
		SPDK_ERRLOG("JSON-RPC: another process is listening on %s\n", path);
		return -EADDRINUSE;
	}
	if (rc != -ECONNREFUSED) {
		SPDK_ERRLOG("JSON-RPC: cannot check whether %s is in use: %s\n", path,
			    spdk_strerror(-rc));
		return rc;
	}
	if (unlink(path) != 0 && errno != ENOENT) {
		rc = -errno;
		SPDK_ERRLOG("JSON-RPC: cannot remove the stale socket %s: %s\n", path,
			    spdk_strerror(-rc));
		return rc;
	}
	return 0;
}

int
updk__jsonrpc_server_listen(int domain, int protocol, struct sockaddr *listen_addr,
			    socklen_t addrlen, spdk_jsonrpc_handle_request_fn handle_request,
			    struct spdk_jsonrpc_server **out)
{
	struct spdk_jsonrpc_server *server;
	char desc[160];
	char path[sizeof(((struct sockaddr_un *)0)->sun_path) + 1] = "";
	int fd, rc, one = 1;

	if (listen_addr == NULL || handle_request == NULL || out == NULL ||
	    addrlen < sizeof(sa_family_t)) {
		SPDK_ERRLOG("JSON-RPC listen: NULL address, handler or result pointer\n");
		return -EINVAL;
	}
	if (domain != AF_UNIX && domain != AF_INET && domain != AF_INET6) {
		SPDK_ERRLOG("JSON-RPC listen: unsupported address family %d\n", domain);
		return -EINVAL;
	}
	if (listen_addr->sa_family != domain) {
		SPDK_ERRLOG("JSON-RPC listen: address family %d does not match domain %d\n",
			    listen_addr->sa_family, domain);
		return -EINVAL;
	}
	jsonrpc_addr_str(listen_addr, addrlen, desc, sizeof(desc));

	if (domain == AF_UNIX) {
		const struct sockaddr_un *un = (const struct sockaddr_un *)listen_addr;
		size_t max = addrlen - offsetof(struct sockaddr_un, sun_path);

		if (addrlen <= offsetof(struct sockaddr_un, sun_path) ||
		    addrlen > sizeof(struct sockaddr_un)) {
			SPDK_ERRLOG("JSON-RPC listen: bad Unix address length %u\n",
				    (unsigned)addrlen);
			return -EINVAL;
		}
		if (strnlen(un->sun_path, max) == max && max == sizeof(un->sun_path)) {
			SPDK_ERRLOG("JSON-RPC listen: the socket path is too long\n");
			return -ENAMETOOLONG;
		}
		/* An abstract address (leading NUL) has no file. */
		if (un->sun_path[0] != '\0') {
			memcpy(path, un->sun_path, strnlen(un->sun_path, max));
			rc = jsonrpc_unix_prepare(un, addrlen, path);
			if (rc != 0) {
				return rc;
			}
		}
	}

	fd = socket(domain, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, protocol);
	if (fd < 0) {
		rc = -errno;
		SPDK_ERRLOG("JSON-RPC listen on %s: socket(): %s\n", desc, spdk_strerror(-rc));
		return rc;
	}
	if (domain != AF_UNIX) {
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	}
	if (bind(fd, listen_addr, addrlen) != 0) {
		rc = -errno;
		if (rc == -EADDRINUSE) {
			SPDK_ERRLOG("JSON-RPC: cannot listen on %s: another process is listening "
				    "there\n",
				    desc);
		} else {
			SPDK_ERRLOG("JSON-RPC: cannot bind %s: %s\n", desc, spdk_strerror(-rc));
		}
		close(fd);
		return rc;
	}

	server = calloc(1, sizeof(*server));
	if (server == NULL) {
		SPDK_ERRLOG("JSON-RPC listen on %s: out of memory\n", desc);
		rc = -ENOMEM;
		goto err_unlink;
	}
	server->sockfd = fd;

	if (path[0] != '\0') {
		struct stat st;

		/* Only this user may connect. No client can connect before
		 * listen(), so there is no window with looser permissions. */
		if (chmod(path, 0600) != 0 || stat(path, &st) != 0) {
			rc = -errno;
			SPDK_ERRLOG("JSON-RPC: cannot set the mode of %s: %s\n", path,
				    spdk_strerror(-rc));
			goto err_free;
		}
		memcpy(server->unix_path, path, sizeof(server->unix_path));
		server->unix_dev = st.st_dev;
		server->unix_ino = st.st_ino;
	}

	if (listen(fd, UPDK_JSONRPC_MAX_CONNS) != 0) {
		rc = -errno;
		SPDK_ERRLOG("JSON-RPC: cannot listen on %s: %s\n", desc, spdk_strerror(-rc));
		goto err_free;
	}

	server->handle_request = handle_request;
	server->max_request_size = UPDK_JSONRPC_MAX_REQUEST_SIZE;
	TAILQ_INIT(&server->conns);
	*out = server;
	return 0;

err_free:
	free(server);
err_unlink:
	if (path[0] != '\0') {
		unlink(path);
	}
	close(fd);
	return rc;
}

struct spdk_jsonrpc_server *
spdk_jsonrpc_server_listen(int domain, int protocol, struct sockaddr *listen_addr,
			   socklen_t addrlen, spdk_jsonrpc_handle_request_fn handle_request)
{
	struct spdk_jsonrpc_server *server = NULL;

	if (updk__jsonrpc_server_listen(domain, protocol, listen_addr, addrlen, handle_request,
					&server) != 0) {
		return NULL;
	}
	return server;
}

int
updk__jsonrpc_server_set_max_request_size(struct spdk_jsonrpc_server *server, size_t max_bytes)
{
	if (server == NULL || max_bytes < 64) {
		SPDK_ERRLOG("JSON-RPC: invalid request size limit %zu (at least 64)\n", max_bytes);
		return -EINVAL;
	}
	server->max_request_size = max_bytes;
	return 0;
}

uint32_t
updk__jsonrpc_server_conn_count(struct spdk_jsonrpc_server *server)
{
	return server != NULL ? server->num_conns : 0;
}

int
spdk_jsonrpc_conn_add_close_cb(struct spdk_jsonrpc_server_conn *conn,
			       spdk_jsonrpc_conn_closed_fn cb, void *ctx)
{
	if (conn == NULL || cb == NULL) {
		return -EINVAL;
	}
	if (conn->closed) {
		return -ENOTCONN;
	}
	if (conn->close_cb != NULL) {
		return conn->close_cb == cb && conn->close_cb_ctx == ctx ? -EEXIST : -ENOSPC;
	}
	conn->close_cb = cb;
	conn->close_cb_ctx = ctx;
	return 0;
}

int
spdk_jsonrpc_conn_del_close_cb(struct spdk_jsonrpc_server_conn *conn,
			       spdk_jsonrpc_conn_closed_fn cb, void *ctx)
{
	if (conn == NULL || cb == NULL) {
		return -EINVAL;
	}
	if (conn->close_cb != cb || conn->close_cb_ctx != ctx) {
		return -ENOENT;
	}
	conn->close_cb = NULL;
	conn->close_cb_ctx = NULL;
	return 0;
}

void
updk__jsonrpc_conn_queue_send(struct spdk_jsonrpc_server_conn *conn, const void *data, size_t len)
{
	if (conn == NULL || conn->closed) {
		return;
	}
	if (updk__jsonrpc_buf_append(&conn->send, data, len) != 0) {
		SPDK_ERRLOG("JSON-RPC: out of memory queueing a response; closing the "
			    "connection\n");
		conn->close_after_send = true;
	}
}

/* Close the socket; the connection object stays until its requests finish. */
static void
jsonrpc_conn_close_socket(struct spdk_jsonrpc_server_conn *conn)
{
	spdk_jsonrpc_conn_closed_fn cb = conn->close_cb;

	if (conn->closed) {
		return;
	}
	close(conn->sockfd);
	conn->sockfd = -1;
	conn->closed = true;
	updk__jsonrpc_buf_free(&conn->recv);
	updk__jsonrpc_buf_free(&conn->send);
	conn->send_off = 0;
	if (conn->server != NULL) {
		assert(conn->server->num_conns > 0);
		conn->server->num_conns--;
	}
	conn->close_cb = NULL;
	if (cb != NULL) {
		cb(conn, conn->close_cb_ctx);
	}
}

static void
jsonrpc_conn_free(struct spdk_jsonrpc_server_conn *conn)
{
	assert(conn->closed && conn->outstanding == 0);
	free(conn);
}

void
updk__jsonrpc_conn_put(struct spdk_jsonrpc_server_conn *conn)
{
	assert(conn->outstanding > 0);
	conn->outstanding--;
	/* An orphan has no poll left to free it. */
	if (conn->server == NULL && conn->outstanding == 0) {
		jsonrpc_conn_free(conn);
	}
}

static int
jsonrpc_conn_flush(struct spdk_jsonrpc_server_conn *conn)
{
	int count = 0;
	ssize_t n;

	while (!conn->closed && conn->send_off < conn->send.len) {
		n = send(conn->sockfd, conn->send.data + conn->send_off,
			 conn->send.len - conn->send_off, MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			conn->send_off += (size_t)n;
			count++;
			continue;
		}
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			break;
		}
		/* The peer is gone: what it asked for can no longer be delivered. */
		jsonrpc_conn_close_socket(conn);
		return count + 1;
	}
	if (!conn->closed && conn->send_off == conn->send.len) {
		conn->send.len = 0;
		conn->send_off = 0;
		if (conn->send.cap > JSONRPC_SEND_BUF_KEEP) {
			updk__jsonrpc_buf_free(&conn->send);
		}
	}
	return count;
}

static int
jsonrpc_conn_recv(struct spdk_jsonrpc_server_conn *conn)
{
	size_t max = conn->server->max_request_size;
	int count = 0;
	ssize_t n;

	while (!conn->closed && !conn->recv_eof && conn->recv.len < max) {
		if (conn->recv.len == conn->recv.cap) {
			size_t cap = conn->recv.cap ? conn->recv.cap * 2 : JSONRPC_RECV_BUF_MIN;
			uint8_t *p;

			if (cap > max) {
				cap = max;
			}
			p = realloc(conn->recv.data, cap);
			if (p == NULL) {
				SPDK_ERRLOG("JSON-RPC: out of memory for a receive buffer\n");
				break;
			}
			conn->recv.data = p;
			conn->recv.cap = cap;
		}
		n = recv(conn->sockfd, conn->recv.data + conn->recv.len,
			 conn->recv.cap - conn->recv.len, MSG_DONTWAIT);
		if (n > 0) {
			conn->recv.len += (size_t)n;
			count++;
			continue;
		}
		if (n == 0) {
			conn->recv_eof = true;
			count++;
			break;
		}
		if (errno == EINTR) {
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			jsonrpc_conn_close_socket(conn);
			count++;
		}
		break;
	}
	return count;
}

/*
 * After end of input, tell a peer that only shut down its sending side (it
 * still waits for responses) from one that is gone: a Unix socket whose peer
 * closed reports POLLHUP. (Over TCP the two look alike until a send fails.)
 */
static bool
jsonrpc_peer_gone(int fd)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};

	return poll(&pfd, 1, 0) == 1 && (pfd.revents & (POLLHUP | POLLERR)) != 0;
}

static int
jsonrpc_conn_poll(struct spdk_jsonrpc_server_conn *conn)
{
	int count = 0;

	if (conn->closed) {
		return 0;
	}
	count += jsonrpc_conn_flush(conn);
	if (!conn->close_after_send && conn->outstanding < JSONRPC_MAX_OUTSTANDING &&
	    conn->send.len - conn->send_off < JSONRPC_SEND_HIGH_WATER) {
		count += jsonrpc_conn_recv(conn);
	}
	if (!conn->closed && conn->recv_eof && conn->outstanding > 0 &&
	    jsonrpc_peer_gone(conn->sockfd)) {
		/* Nobody is left to read the responses of what is still running. */
		jsonrpc_conn_close_socket(conn);
		return count + 1;
	}
	if (!conn->closed) {
		count += updk__jsonrpc_conn_process_input(conn);
	}
	count += jsonrpc_conn_flush(conn);
	if (!conn->closed && (conn->recv_eof || conn->close_after_send) && conn->outstanding == 0 &&
	    conn->send.len == conn->send_off) {
		jsonrpc_conn_close_socket(conn);
		count++;
	}
	return count;
}

static int
jsonrpc_server_accept(struct spdk_jsonrpc_server *server)
{
	struct spdk_jsonrpc_server_conn *conn;
	int count = 0, i, fd;

	for (i = 0; i < JSONRPC_ACCEPTS_PER_POLL; i++) {
		fd = accept4(server->sockfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == ECONNABORTED) {
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				SPDK_ERRLOG_RATELIMIT("JSON-RPC: accept(): %s\n",
						      spdk_strerror(errno));
			}
			break;
		}
		count++;
		if (server->num_conns >= UPDK_JSONRPC_MAX_CONNS) {
			SPDK_ERRLOG_RATELIMIT("JSON-RPC: %d connections already open; closing a "
					      "new one\n",
					      UPDK_JSONRPC_MAX_CONNS);
			close(fd);
			continue;
		}
		conn = calloc(1, sizeof(*conn));
		if (conn == NULL) {
			SPDK_ERRLOG_RATELIMIT("JSON-RPC: out of memory for a connection\n");
			close(fd);
			continue;
		}
		conn->server = server;
		conn->sockfd = fd;
		TAILQ_INSERT_TAIL(&server->conns, conn, link);
		server->num_conns++;
	}
	return count;
}

static void jsonrpc_server_teardown(struct spdk_jsonrpc_server *server);

int
updk__jsonrpc_server_poll(struct spdk_jsonrpc_server *server)
{
	struct spdk_jsonrpc_server_conn *conn, *tmp;
	int count;

	if (server == NULL) {
		return -EINVAL;
	}
	if (server->in_poll) {
		SPDK_ERRLOG("JSON-RPC: server polled from inside its own poll\n");
		return -EINVAL;
	}
	server->in_poll = true;
	count = jsonrpc_server_accept(server);
	TAILQ_FOREACH_SAFE (conn, &server->conns, link, tmp) {
		/* A handler may have shut the server down. */
		if (server->shutdown_requested) {
			break;
		}
		count += jsonrpc_conn_poll(conn);
		if (conn->closed && conn->outstanding == 0) {
			TAILQ_REMOVE(&server->conns, conn, link);
			jsonrpc_conn_free(conn);
		}
	}
	server->in_poll = false;
	if (server->shutdown_requested) {
		jsonrpc_server_teardown(server);
	}
	return count;
}

int
spdk_jsonrpc_server_poll(struct spdk_jsonrpc_server *server)
{
	int rc = updk__jsonrpc_server_poll(server);

	return rc < 0 ? rc : 0;
}

static void
jsonrpc_server_teardown(struct spdk_jsonrpc_server *server)
{
	struct spdk_jsonrpc_server_conn *conn;
	struct stat st;

	close(server->sockfd);
	/* Remove the socket file unless someone else's socket replaced it. */
	if (server->unix_path[0] != '\0' && stat(server->unix_path, &st) == 0 &&
	    st.st_dev == server->unix_dev && st.st_ino == server->unix_ino) {
		unlink(server->unix_path);
	}
	while ((conn = TAILQ_FIRST(&server->conns)) != NULL) {
		TAILQ_REMOVE(&server->conns, conn, link);
		jsonrpc_conn_close_socket(conn);
		conn->server = NULL;
		if (conn->outstanding == 0) {
			jsonrpc_conn_free(conn);
		}
	}
	free(server);
}

void
spdk_jsonrpc_server_shutdown(struct spdk_jsonrpc_server *server)
{
	if (server == NULL) {
		return;
	}
	if (server->in_poll) {
		/* Called by a handler: finish when the poll unwinds. */
		server->shutdown_requested = true;
		return;
	}
	jsonrpc_server_teardown(server);
}
