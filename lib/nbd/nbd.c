/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * NBD exports of bdevs (include/spdk/nbd.h).
 *
 * Every export has an SPDK thread of its own that opens the bdev, holds the
 * descriptor and the channel, and runs everything else: accepting clients
 * (listening exports), the option haggling of the fixed newstyle handshake,
 * and the transmission phase, where requests turn into bdev I/O and replies
 * go back in completion order (NBD replies carry the request's cookie, so
 * they need not follow request order). A kernel export (/dev/nbdN) starts
 * in the transmission phase on one end of a socket pair whose other end the
 * kernel's nbd driver owns; a helper pthread sits in the NBD_DO_IT ioctl
 * for as long as the device lives.
 *
 * The list of exports belongs to the thread that started them (normally
 * the app thread, where the RPCs run); an export's own thread tells that
 * thread when it has stopped.
 *
 * Sockets are non-blocking. The export's poller reads requests; while
 * clients are busy it runs on every iteration, and after a quiet spell it
 * falls back to a timed period so that an idle export does not keep its
 * reactor awake. Replies are queued by the completions and written by one
 * message per batch of completions, with as many replies per sendmsg() as
 * fit.
 */

#include "spdk/stdinc.h"

#include <linux/nbd.h>
#include <netdb.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/nbd.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"

SPDK_LOG_REGISTER_COMPONENT(nbd)

/* Protocol constants (the NBD protocol specification). */
#define NBDP_INIT_MAGIC UINT64_C(0x4e42444d41474943)
#define NBDP_OPTS_MAGIC UINT64_C(0x49484156454f5054)
#define NBDP_OPT_REPLY_MAGIC UINT64_C(0x0003e889045565a9)
#define NBDP_REQ_MAGIC UINT32_C(0x25609513)
#define NBDP_SIMPLE_REPLY_MAGIC UINT32_C(0x67446698)

#define NBDP_HS_FIXED_NEWSTYLE (1u << 0)
#define NBDP_HS_NO_ZEROES (1u << 1)

#define NBDP_OPT_EXPORT_NAME 1
#define NBDP_OPT_ABORT 2
#define NBDP_OPT_LIST 3
#define NBDP_OPT_INFO 6
#define NBDP_OPT_GO 7

#define NBDP_REP_ACK 1
#define NBDP_REP_SERVER 2
#define NBDP_REP_INFO 3
#define NBDP_REP_ERR_UNSUP (UINT32_C(1) << 31 | 1)
#define NBDP_REP_ERR_INVALID (UINT32_C(1) << 31 | 3)
#define NBDP_REP_ERR_UNKNOWN (UINT32_C(1) << 31 | 6)

#define NBDP_INFO_EXPORT 0
#define NBDP_INFO_NAME 1
#define NBDP_INFO_BLOCK_SIZE 3

#define NBDP_TF_HAS_FLAGS (1u << 0)
#define NBDP_TF_SEND_FLUSH (1u << 2)
#define NBDP_TF_SEND_FUA (1u << 3)
#define NBDP_TF_SEND_TRIM (1u << 5)
#define NBDP_TF_SEND_WRITE_ZEROES (1u << 6)
#define NBDP_TF_CAN_MULTI_CONN (1u << 8)

#define NBDP_CMD_FLAG_FUA (1u << 0)

#define NBDP_CMD_READ 0
#define NBDP_CMD_WRITE 1
#define NBDP_CMD_DISC 2
#define NBDP_CMD_FLUSH 3
#define NBDP_CMD_TRIM 4
#define NBDP_CMD_WRITE_ZEROES 6

#define NBDP_EPERM 1
#define NBDP_EIO 5
#define NBDP_ENOMEM 12
#define NBDP_EINVAL 22
#define NBDP_ENOSPC 28
#define NBDP_ENOTSUP 95

#define NBD_DEFAULT_PORT "10809"
#define NBD_REQ_HDR_LEN 28
#define NBD_REPLY_HDR_LEN 16
/* The largest request served; clients learn it from NBDP_INFO_BLOCK_SIZE. */
#define NBD_MAX_PAYLOAD (32u * 1024 * 1024)
/*
 * Requests per connection in flight or with a reply not sent yet before the
 * connection stops reading: a client that does not read its replies must not
 * make the server queue them without bound.
 */
#define NBD_MAX_INFLIGHT 128
/* Option haggling: the largest option accepted, and how many. */
#define NBD_MAX_OPTION_LEN 4096
#define NBD_MAX_OPTIONS 64
#define NBD_RECV_BUF (64 * 1024)
#define NBD_SEND_IOVS 64
/* Poll on every reactor iteration while busy; this often after a quiet spell. */
#define NBD_IDLE_POLL_US 1000
#define NBD_IDLE_AFTER_US (50 * 1000)

enum nbd_kind {
	NBD_KIND_KERNEL,
	NBD_KIND_TCP,
	NBD_KIND_UNIX,
};

enum nbd_conn_state {
	/* Handshake: waiting for the client's 4-byte flags. */
	NBD_CONN_CLIENT_FLAGS,
	/* Handshake: an option header, then its data. */
	NBD_CONN_OPTION,
	/* Requests and replies. */
	NBD_CONN_TRANSMISSION,
};

struct nbd_conn;

struct nbd_io {
	struct nbd_conn *conn;
	uint16_t type;
	uint16_t flags;
	uint64_t cookie;
	uint64_t offset;
	uint32_t len;
	/* Write payload bytes still to receive. */
	uint32_t payload_left;
	/* An NBD error number (host order), 0 for success. */
	uint32_t error;
	/* The second half of a FUA write: the flush. */
	bool fua_flush;
	void *buf;
	uint32_t buf_cap;
	/* The reply header, in network byte order. */
	uint8_t reply[NBD_REPLY_HDR_LEN];
	/* Bytes of this reply already sent (header and data). */
	size_t sent;
	struct spdk_bdev_io_wait_entry wait;
	TAILQ_ENTRY(nbd_io) link;
};

struct nbd_conn {
	struct spdk_nbd_disk *disk;
	int fd;
	enum nbd_conn_state state;
	bool fixed;
	bool no_zeroes;
	/* No more reading: disconnect requested, error, or export stopping. */
	bool closing;
	/* Close once the handshake output is sent (option abort, bad export). */
	bool close_after_send;
	/* The client asked to disconnect: no more requests, but the replies to
	 * those in flight are still sent before the connection closes. */
	bool disconnecting;
	bool flush_scheduled;
	uint32_t options_seen;
	uint32_t inflight;
	/* Replies in sendq. */
	uint32_t queued;
	/* Received and not yet consumed bytes. */
	uint8_t *rbuf;
	size_t rstart;
	size_t rend;
	/* A write whose payload is still arriving. */
	struct nbd_io *rx_io;
	/* Handshake output not yet sent. */
	uint8_t *hs_out;
	size_t hs_len;
	size_t hs_sent;
	size_t hs_cap;
	TAILQ_HEAD(, nbd_io) sendq;
	TAILQ_HEAD(, nbd_io) free_ios;
	TAILQ_ENTRY(nbd_conn) link;
};

struct nbd_stop_waiter {
	spdk_nbd_fini_cb cb_fn;
	void *cb_arg;
};

struct spdk_nbd_disk {
	char *bdev_name;
	char *path;
	enum nbd_kind kind;
	/* The thread that started the export and owns the list entry. */
	struct spdk_thread *owner;
	/* The export's own thread. */
	struct spdk_thread *thread;
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	uint32_t block_size;
	uint64_t size;
	uint16_t tflags;
	int listen_fd;
	char *unix_path;
	struct spdk_poller *poller;
	bool poll_busy;
	uint64_t last_activity;
	uint64_t idle_ticks;
	TAILQ_HEAD(, nbd_conn) conns;
	/* Owner-thread state: the start has not been reported yet; stop requested. */
	bool start_pending;
	bool stop_requested;
	/* Export-thread state: stopping; inside the stop function; released. */
	bool stopping;
	bool in_stop;
	bool released;
	/* Kernel exports. */
	int dev_fd;
	int kernel_sock;
	pthread_t kernel_thread;
	bool kernel_thread_started;
	/* Start completion. */
	spdk_nbd_start_cb start_cb;
	void *start_arg;
	int start_rc;
	TAILQ_ENTRY(spdk_nbd_disk) link;
};

static TAILQ_HEAD(, spdk_nbd_disk) g_disks = TAILQ_HEAD_INITIALIZER(g_disks);
/* spdk_nbd_fini() in progress: its callback runs when the list is empty. */
static spdk_nbd_fini_cb g_fini_cb;
static void *g_fini_arg;

static void nbd_conn_flush(struct nbd_conn *conn);
static void nbd_conn_maybe_free(struct nbd_conn *conn);
static void nbd_disk_stop_on_thread(void *arg);
static void nbd_io_submit(struct nbd_io *io);

/* ---- byte order helpers ---- */

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, v >> 32);
	put_be32(p + 4, v);
}

static uint16_t
get_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t
get_be32(const uint8_t *p)
{
	return (uint32_t)get_be16(p) << 16 | get_be16(p + 2);
}

static uint64_t
get_be64(const uint8_t *p)
{
	return (uint64_t)get_be32(p) << 32 | get_be32(p + 4);
}

/* ---- the export list (owner thread) ---- */

struct spdk_nbd_disk *
spdk_nbd_disk_find_by_path(const char *nbd_path)
{
	struct spdk_nbd_disk *disk;

	if (nbd_path == NULL) {
		return NULL;
	}
	TAILQ_FOREACH (disk, &g_disks, link) {
		if (!disk->stop_requested && strcmp(disk->path, nbd_path) == 0) {
			return disk;
		}
	}
	return NULL;
}

struct spdk_nbd_disk *
spdk_nbd_disk_first(void)
{
	struct spdk_nbd_disk *disk = TAILQ_FIRST(&g_disks);

	while (disk != NULL && disk->stop_requested) {
		disk = TAILQ_NEXT(disk, link);
	}
	return disk;
}

struct spdk_nbd_disk *
spdk_nbd_disk_next(struct spdk_nbd_disk *prev)
{
	struct spdk_nbd_disk *disk = prev != NULL ? TAILQ_NEXT(prev, link) : NULL;

	while (disk != NULL && disk->stop_requested) {
		disk = TAILQ_NEXT(disk, link);
	}
	return disk;
}

const char *
spdk_nbd_get_path(struct spdk_nbd_disk *nbd)
{
	return nbd != NULL ? nbd->path : NULL;
}

const char *
spdk_nbd_disk_get_bdev_name(struct spdk_nbd_disk *nbd)
{
	return nbd != NULL ? nbd->bdev_name : NULL;
}

int
spdk_nbd_init(void)
{
	return 0;
}

static void
nbd_disk_free(struct spdk_nbd_disk *disk)
{
	free(disk->bdev_name);
	free(disk->path);
	free(disk->unix_path);
	free(disk);
}

static void
nbd_fini_check(void)
{
	spdk_nbd_fini_cb cb_fn = g_fini_cb;

	if (cb_fn != NULL && TAILQ_EMPTY(&g_disks)) {
		g_fini_cb = NULL;
		cb_fn(g_fini_arg);
	}
}

/* Owner thread: the export's thread has released everything. */
static void
nbd_disk_gone(void *arg)
{
	struct spdk_nbd_disk *disk = arg;

	TAILQ_REMOVE(&g_disks, disk, link);
	SPDK_NOTICELOG("nbd: export %s of bdev %s stopped\n", disk->path, disk->bdev_name);
	nbd_disk_free(disk);
	nbd_fini_check();
}

void
spdk_nbd_fini(spdk_nbd_fini_cb cb_fn, void *cb_arg)
{
	struct spdk_nbd_disk *disk;

	g_fini_cb = cb_fn;
	g_fini_arg = cb_arg;
	TAILQ_FOREACH (disk, &g_disks, link) {
		if (!disk->stop_requested) {
			spdk_nbd_stop(disk);
		}
	}
	if (cb_fn != NULL && TAILQ_EMPTY(&g_disks)) {
		g_fini_cb = NULL;
		cb_fn(cb_arg);
	}
}

int
spdk_nbd_stop(struct spdk_nbd_disk *nbd)
{
	if (nbd == NULL) {
		SPDK_ERRLOG("nbd: stop of a NULL export\n");
		return -EINVAL;
	}
	if (nbd->stop_requested) {
		return 0;
	}
	nbd->stop_requested = true;
	/* A start in progress is stopped as soon as it is reported. */
	if (!nbd->start_pending) {
		spdk_thread_send_msg(nbd->thread, nbd_disk_stop_on_thread, nbd);
	}
	return 0;
}

void
spdk_nbd_write_config_json(struct spdk_json_write_ctx *w)
{
	struct spdk_nbd_disk *disk;

	spdk_json_write_array_begin(w);
	for (disk = spdk_nbd_disk_first(); disk != NULL; disk = spdk_nbd_disk_next(disk)) {
		spdk_json_write_object_begin(w);
		spdk_json_write_named_string(w, "method", "nbd_start_disk");
		spdk_json_write_named_object_begin(w, "params");
		spdk_json_write_named_string(w, "bdev_name", disk->bdev_name);
		spdk_json_write_named_string(w, "nbd_device", disk->path);
		spdk_json_write_object_end(w);
		spdk_json_write_object_end(w);
	}
	spdk_json_write_array_end(w);
}

/* ---- connections ---- */

static struct nbd_conn *
nbd_conn_create(struct spdk_nbd_disk *disk, int fd, enum nbd_conn_state state)
{
	struct nbd_conn *conn;
	int flags = fcntl(fd, F_GETFL);

	if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) {
		SPDK_ERRLOG("nbd: export %s: cannot make a client socket non-blocking: %s\n",
			    disk->path, spdk_strerror(errno));
		return NULL;
	}
	conn = calloc(1, sizeof(*conn));
	if (conn == NULL) {
		return NULL;
	}
	conn->rbuf = malloc(NBD_RECV_BUF);
	if (conn->rbuf == NULL) {
		free(conn);
		return NULL;
	}
	conn->disk = disk;
	conn->fd = fd;
	conn->state = state;
	TAILQ_INIT(&conn->sendq);
	TAILQ_INIT(&conn->free_ios);
	TAILQ_INSERT_TAIL(&disk->conns, conn, link);
	return conn;
}

/*
 * Stop reading from a connection and drop its unsent replies. It is freed by
 * nbd_conn_maybe_free() once its I/O has completed; this never frees it, so
 * the receive and send paths may call it and go on using the connection.
 */
static void
nbd_conn_close(struct nbd_conn *conn)
{
	if (!conn->closing) {
		conn->closing = true;
		/* Tells the client (or the kernel's nbd driver) that we are done. */
		shutdown(conn->fd, SHUT_RDWR);
	}
}

static void
nbd_io_release(struct nbd_io *io)
{
	TAILQ_INSERT_HEAD(&io->conn->free_ios, io, link);
}

static void
nbd_conn_maybe_free(struct nbd_conn *conn)
{
	struct spdk_nbd_disk *disk = conn->disk;
	struct nbd_io *io;

	if (!conn->closing) {
		return;
	}
	if (conn->rx_io != NULL) {
		/* A write whose payload never arrived: counted in flight, never submitted. */
		nbd_io_release(conn->rx_io);
		conn->rx_io = NULL;
		conn->inflight--;
	}
	if (conn->inflight > 0 || conn->flush_scheduled) {
		return;
	}
	while ((io = TAILQ_FIRST(&conn->sendq)) != NULL) {
		TAILQ_REMOVE(&conn->sendq, io, link);
		conn->queued--;
		nbd_io_release(io);
	}
	while ((io = TAILQ_FIRST(&conn->free_ios)) != NULL) {
		TAILQ_REMOVE(&conn->free_ios, io, link);
		spdk_dma_free(io->buf);
		free(io);
	}
	TAILQ_REMOVE(&disk->conns, conn, link);
	close(conn->fd);
	free(conn->rbuf);
	free(conn->hs_out);
	free(conn);
	if (disk->stopping && !disk->in_stop && TAILQ_EMPTY(&disk->conns)) {
		/* Finish the stop from a message: our caller may still use the disk. */
		spdk_thread_send_msg(disk->thread, nbd_disk_stop_on_thread, disk);
	}
}

/* Queue handshake output; false (and the connection closes) without memory. */
static bool
nbd_hs_put(struct nbd_conn *conn, const void *data, size_t len)
{
	if (conn->hs_len + len > conn->hs_cap) {
		size_t cap = spdk_max(conn->hs_cap * 2, conn->hs_len + len + 256);
		uint8_t *p = realloc(conn->hs_out, cap);

		if (p == NULL) {
			nbd_conn_close(conn);
			return false;
		}
		conn->hs_out = p;
		conn->hs_cap = cap;
	}
	memcpy(conn->hs_out + conn->hs_len, data, len);
	conn->hs_len += len;
	return true;
}

static bool
nbd_option_reply(struct nbd_conn *conn, uint32_t option, uint32_t type, const void *data,
		 uint32_t len)
{
	uint8_t hdr[20];

	put_be64(hdr, NBDP_OPT_REPLY_MAGIC);
	put_be32(hdr + 8, option);
	put_be32(hdr + 12, type);
	put_be32(hdr + 16, len);
	return nbd_hs_put(conn, hdr, sizeof(hdr)) && (len == 0 || nbd_hs_put(conn, data, len));
}

static bool
nbd_export_matches(struct spdk_nbd_disk *disk, const uint8_t *name, uint32_t len)
{
	/* The empty name is the default export: the only one there is. */
	return len == 0 ||
	       (strlen(disk->bdev_name) == len && memcmp(disk->bdev_name, name, len) == 0);
}

static void
nbd_start_transmission(struct nbd_conn *conn)
{
	conn->state = NBD_CONN_TRANSMISSION;
	SPDK_INFOLOG(nbd, "nbd: export %s: a client entered transmission\n", conn->disk->path);
}

static void
nbd_option_info(struct nbd_conn *conn, uint32_t option, const uint8_t *data, uint32_t len)
{
	struct spdk_nbd_disk *disk = conn->disk;
	uint32_t name_len, i;
	uint16_t nreq;
	bool want_bs = false, want_name = false;
	uint8_t info[18];

	if (len < 6 || (name_len = get_be32(data)) > len - 6 ||
	    (nreq = get_be16(data + 4 + name_len), len != 6 + name_len + 2u * nreq)) {
		nbd_option_reply(conn, option, NBDP_REP_ERR_INVALID, NULL, 0);
		return;
	}
	for (i = 0; i < nreq; i++) {
		uint16_t what = get_be16(data + 6 + name_len + 2 * i);

		want_bs |= what == NBDP_INFO_BLOCK_SIZE;
		want_name |= what == NBDP_INFO_NAME;
	}
	if (!nbd_export_matches(disk, data + 4, name_len)) {
		SPDK_NOTICELOG("nbd: export %s: a client asked for the unknown export '%.*s'\n",
			       disk->path, (int)spdk_min(name_len, 64u), (const char *)data + 4);
		nbd_option_reply(conn, option, NBDP_REP_ERR_UNKNOWN, NULL, 0);
		return;
	}
	put_be16(info, NBDP_INFO_EXPORT);
	put_be64(info + 2, disk->size);
	put_be16(info + 10, disk->tflags);
	if (!nbd_option_reply(conn, option, NBDP_REP_INFO, info, 12)) {
		return;
	}
	if (want_bs) {
		put_be16(info, NBDP_INFO_BLOCK_SIZE);
		put_be32(info + 2, disk->block_size);
		put_be32(info + 6, spdk_max(disk->block_size, 4096u));
		put_be32(info + 10, NBD_MAX_PAYLOAD);
		if (!nbd_option_reply(conn, option, NBDP_REP_INFO, info, 14)) {
			return;
		}
	}
	if (want_name) {
		size_t n = strlen(disk->bdev_name);
		uint8_t *buf = malloc(2 + n);

		if (buf == NULL) {
			nbd_conn_close(conn);
			return;
		}
		put_be16(buf, NBDP_INFO_NAME);
		memcpy(buf + 2, disk->bdev_name, n);
		if (!nbd_option_reply(conn, option, NBDP_REP_INFO, buf, (uint32_t)(2 + n))) {
			free(buf);
			return;
		}
		free(buf);
	}
	if (!nbd_option_reply(conn, option, NBDP_REP_ACK, NULL, 0)) {
		return;
	}
	if (option == NBDP_OPT_GO) {
		nbd_start_transmission(conn);
	}
}

static void
nbd_option(struct nbd_conn *conn, uint32_t option, const uint8_t *data, uint32_t len)
{
	struct spdk_nbd_disk *disk = conn->disk;
	uint8_t buf[8 + 2 + 124];

	switch (option) {
	case NBDP_OPT_EXPORT_NAME:
		if (!nbd_export_matches(disk, data, len)) {
			/* This option has no error reply: the server hangs up. */
			SPDK_NOTICELOG(
				"nbd: export %s: a client asked for the unknown export '%.*s'\n",
				disk->path, (int)spdk_min(len, 64u), (const char *)data);
			conn->close_after_send = true;
			return;
		}
		memset(buf, 0, sizeof(buf));
		put_be64(buf, disk->size);
		put_be16(buf + 8, disk->tflags);
		if (nbd_hs_put(conn, buf, conn->no_zeroes ? 10 : sizeof(buf))) {
			nbd_start_transmission(conn);
		}
		return;
	case NBDP_OPT_ABORT:
		nbd_option_reply(conn, option, NBDP_REP_ACK, NULL, 0);
		conn->close_after_send = true;
		return;
	case NBDP_OPT_LIST: {
		size_t n = strlen(disk->bdev_name);
		uint8_t *entry;

		if (len != 0) {
			nbd_option_reply(conn, option, NBDP_REP_ERR_INVALID, NULL, 0);
			return;
		}
		entry = malloc(4 + n);
		if (entry == NULL) {
			nbd_conn_close(conn);
			return;
		}
		put_be32(entry, (uint32_t)n);
		memcpy(entry + 4, disk->bdev_name, n);
		if (nbd_option_reply(conn, option, NBDP_REP_SERVER, entry, (uint32_t)(4 + n))) {
			nbd_option_reply(conn, option, NBDP_REP_ACK, NULL, 0);
		}
		free(entry);
		return;
	}
	case NBDP_OPT_INFO:
	case NBDP_OPT_GO:
		nbd_option_info(conn, option, data, len);
		return;
	default:
		/* TLS, structured replies, meta contexts: simple replies only. */
		if (!conn->fixed) {
			conn->close_after_send = true;
			return;
		}
		nbd_option_reply(conn, option, NBDP_REP_ERR_UNSUP, NULL, 0);
		return;
	}
}

/*
 * Consume handshake input from the receive buffer. Returns false when it
 * needs more bytes (or the connection is closing).
 */
static bool
nbd_handshake_step(struct nbd_conn *conn)
{
	const uint8_t *p = conn->rbuf + conn->rstart;
	size_t avail = conn->rend - conn->rstart;
	uint32_t flags, option, len;

	if (conn->state == NBD_CONN_CLIENT_FLAGS) {
		if (avail < 4) {
			return false;
		}
		flags = get_be32(p);
		conn->rstart += 4;
		if (flags & ~(NBDP_HS_FIXED_NEWSTYLE | NBDP_HS_NO_ZEROES)) {
			SPDK_NOTICELOG("nbd: export %s: a client sent unknown flags 0x%x\n",
				       conn->disk->path, flags);
			nbd_conn_close(conn);
			return false;
		}
		conn->fixed = flags & NBDP_HS_FIXED_NEWSTYLE;
		conn->no_zeroes = flags & NBDP_HS_NO_ZEROES;
		conn->state = NBD_CONN_OPTION;
		return true;
	}
	if (avail < 16) {
		return false;
	}
	option = get_be32(p + 8);
	len = get_be32(p + 12);
	if (get_be64(p) != NBDP_OPTS_MAGIC || len > NBD_MAX_OPTION_LEN ||
	    ++conn->options_seen > NBD_MAX_OPTIONS) {
		SPDK_NOTICELOG("nbd: export %s: a client broke the option haggling (option %u, "
			       "length %u); disconnecting it\n",
			       conn->disk->path, option, len);
		nbd_conn_close(conn);
		return false;
	}
	if (avail < 16 + (size_t)len) {
		conn->options_seen--;
		return false;
	}
	conn->rstart += 16 + len;
	nbd_option(conn, option, p + 16, len);
	return !conn->closing && !conn->close_after_send;
}

/* ---- transmission ---- */

static uint32_t
nbd_errno_to_nbd(int err)
{
	switch (err) {
	case EPERM:
	case EACCES:
	case EROFS:
		return NBDP_EPERM;
	case ENOMEM:
		return NBDP_ENOMEM;
	case EINVAL:
		return NBDP_EINVAL;
	case ENOSPC:
	case EFBIG:
	case EDQUOT:
		return NBDP_ENOSPC;
	case ENOTSUP:
		return NBDP_ENOTSUP;
	default:
		return NBDP_EIO;
	}
}

static void
nbd_io_reply(struct nbd_io *io, uint32_t error)
{
	struct nbd_conn *conn = io->conn;

	io->error = error;
	put_be32(io->reply, NBDP_SIMPLE_REPLY_MAGIC);
	put_be32(io->reply + 4, error);
	put_be64(io->reply + 8, io->cookie);
	io->sent = 0;
	if (conn->closing) {
		nbd_io_release(io);
		return;
	}
	TAILQ_INSERT_TAIL(&conn->sendq, io, link);
	conn->queued++;
}

static void
nbd_conn_flush_msg(void *arg)
{
	struct nbd_conn *conn = arg;

	conn->flush_scheduled = false;
	if (conn->closing) {
		nbd_conn_maybe_free(conn);
		return;
	}
	nbd_conn_flush(conn);
}

static void
nbd_conn_schedule_flush(struct nbd_conn *conn)
{
	if (!conn->flush_scheduled) {
		conn->flush_scheduled = true;
		spdk_thread_send_msg(spdk_get_thread(), nbd_conn_flush_msg, conn);
	}
}

static void
nbd_io_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct nbd_io *io = cb_arg;
	struct nbd_conn *conn = io->conn;
	uint32_t error = 0;

	if (!success) {
		int aio_result = 0;

		spdk_bdev_io_get_aio_status(bdev_io, &aio_result);
		error = aio_result < 0 ? nbd_errno_to_nbd(-aio_result) : NBDP_EIO;
	}
	spdk_bdev_free_io(bdev_io);
	if (success && io->type == NBDP_CMD_WRITE && (io->flags & NBDP_CMD_FLAG_FUA) &&
	    !io->fua_flush && !conn->closing) {
		io->fua_flush = true;
		nbd_io_submit(io);
		return;
	}
	conn->inflight--;
	nbd_io_reply(io, error);
	if (conn->closing) {
		nbd_conn_maybe_free(conn);
		return;
	}
	nbd_conn_schedule_flush(conn);
}

static void
nbd_io_retry(void *arg)
{
	nbd_io_submit(arg);
}

static void
nbd_io_submit(struct nbd_io *io)
{
	struct spdk_nbd_disk *disk = io->conn->disk;
	struct nbd_conn *conn = io->conn;
	int rc;

	if (io->fua_flush) {
		rc = spdk_bdev_flush(disk->desc, disk->ch, io->offset, io->len, nbd_io_done, io);
	} else {
		switch (io->type) {
		case NBDP_CMD_READ:
			rc = spdk_bdev_read(disk->desc, disk->ch, io->buf, io->offset, io->len,
					    nbd_io_done, io);
			break;
		case NBDP_CMD_WRITE:
			rc = spdk_bdev_write(disk->desc, disk->ch, io->buf, io->offset, io->len,
					     nbd_io_done, io);
			break;
		case NBDP_CMD_FLUSH:
			rc = spdk_bdev_flush(disk->desc, disk->ch, 0, disk->size, nbd_io_done, io);
			break;
		case NBDP_CMD_TRIM:
			rc = spdk_bdev_unmap(disk->desc, disk->ch, io->offset, io->len, nbd_io_done,
					     io);
			break;
		case NBDP_CMD_WRITE_ZEROES:
			rc = spdk_bdev_write_zeroes(disk->desc, disk->ch, io->offset, io->len,
						    nbd_io_done, io);
			break;
		default:
			rc = -EINVAL;
			break;
		}
	}
	if (rc == 0) {
		return;
	}
	if (rc == -ENOMEM) {
		io->wait.bdev = spdk_bdev_desc_get_bdev(disk->desc);
		io->wait.cb_fn = nbd_io_retry;
		io->wait.cb_arg = io;
		if (spdk_bdev_queue_io_wait(io->wait.bdev, disk->ch, &io->wait) == 0) {
			return;
		}
	}
	conn->inflight--;
	nbd_io_reply(io, nbd_errno_to_nbd(-rc));
	nbd_conn_schedule_flush(conn);
}

static struct nbd_io *
nbd_io_get(struct nbd_conn *conn, uint32_t buf_len)
{
	struct nbd_io *io = TAILQ_FIRST(&conn->free_ios);

	if (io != NULL) {
		TAILQ_REMOVE(&conn->free_ios, io, link);
	} else {
		io = calloc(1, sizeof(*io));
		if (io == NULL) {
			return NULL;
		}
		io->conn = conn;
	}
	if (buf_len > io->buf_cap) {
		uint32_t cap = spdk_max(buf_len, 4096u);
		void *buf = spdk_dma_malloc(cap, 4096, NULL);

		if (buf == NULL) {
			nbd_io_release(io);
			return NULL;
		}
		spdk_dma_free(io->buf);
		io->buf = buf;
		io->buf_cap = cap;
	}
	io->fua_flush = false;
	return io;
}

/* A request header is complete at p: start the request. */
static bool
nbd_request(struct nbd_conn *conn, const uint8_t *p)
{
	struct spdk_nbd_disk *disk = conn->disk;
	uint16_t flags = get_be16(p + 4);
	uint16_t type = get_be16(p + 6);
	uint64_t offset = get_be64(p + 16);
	uint32_t len = get_be32(p + 24);
	bool data_in = type == NBDP_CMD_READ || type == NBDP_CMD_WRITE;
	/* The bdev layer would refuse it too; refused here, it gets no buffer. */
	bool bad_read = type == NBDP_CMD_READ &&
			(len > NBD_MAX_PAYLOAD || offset > disk->size || len > disk->size - offset);
	struct nbd_io *io;

	if (get_be32(p) != NBDP_REQ_MAGIC) {
		SPDK_NOTICELOG(
			"nbd: export %s: bad request magic 0x%08x; disconnecting the client\n",
			disk->path, get_be32(p));
		nbd_conn_close(conn);
		return false;
	}
	if (type == NBDP_CMD_DISC) {
		SPDK_INFOLOG(nbd, "nbd: export %s: a client disconnected\n", disk->path);
		conn->disconnecting = true;
		shutdown(conn->fd, SHUT_RD);
		return false;
	}
	if (type == NBDP_CMD_WRITE && len > NBD_MAX_PAYLOAD) {
		/* Its payload cannot be skipped safely: hang up, as the protocol allows. */
		SPDK_NOTICELOG("nbd: export %s: a write of %u bytes exceeds the %u-byte limit; "
			       "disconnecting the client\n",
			       disk->path, len, NBD_MAX_PAYLOAD);
		nbd_conn_close(conn);
		return false;
	}
	io = nbd_io_get(conn, data_in && !bad_read ? len : 0);
	if (io == NULL) {
		SPDK_ERRLOG("nbd: export %s: out of memory for a %u-byte request; disconnecting\n",
			    disk->path, len);
		nbd_conn_close(conn);
		return false;
	}
	io->type = type;
	io->flags = flags;
	io->cookie = get_be64(p + 8);
	io->offset = offset;
	io->len = len;
	io->payload_left = type == NBDP_CMD_WRITE ? len : 0;
	conn->inflight++;
	if (bad_read) {
		io->len = 0;
		nbd_io_reply(io, NBDP_EINVAL);
		conn->inflight--;
		nbd_conn_schedule_flush(conn);
		return true;
	}
	if (type == NBDP_CMD_FLUSH &&
	    !spdk_bdev_io_type_supported(spdk_bdev_desc_get_bdev(disk->desc),
					 SPDK_BDEV_IO_TYPE_FLUSH)) {
		/* Nothing is cached above the bdev: writes are done when acknowledged. */
		conn->inflight--;
		nbd_io_reply(io, 0);
		nbd_conn_schedule_flush(conn);
		return true;
	}
	if (io->payload_left > 0) {
		conn->rx_io = io;
		return true;
	}
	nbd_io_submit(io);
	return true;
}

/* Consume received bytes; returns false when it needs more input. */
static bool
nbd_transmission_step(struct nbd_conn *conn)
{
	size_t avail = conn->rend - conn->rstart;
	struct nbd_io *io = conn->rx_io;

	if (io != NULL) {
		size_t n = spdk_min(avail, (size_t)io->payload_left);

		memcpy((uint8_t *)io->buf + (io->len - io->payload_left), conn->rbuf + conn->rstart,
		       n);
		conn->rstart += n;
		io->payload_left -= n;
		if (io->payload_left > 0) {
			return false;
		}
		conn->rx_io = NULL;
		nbd_io_submit(io);
		return true;
	}
	if (conn->inflight + conn->queued >= NBD_MAX_INFLIGHT || avail < NBD_REQ_HDR_LEN) {
		return false;
	}
	conn->rstart += NBD_REQ_HDR_LEN;
	return nbd_request(conn, conn->rbuf + conn->rstart - NBD_REQ_HDR_LEN);
}

/* Act on the received bytes; true if any were consumed. */
static bool
nbd_conn_consume(struct nbd_conn *conn)
{
	size_t before = conn->rstart;
	bool more = true;

	while (more && !conn->closing && !conn->close_after_send && !conn->disconnecting) {
		more = conn->state == NBD_CONN_TRANSMISSION ? nbd_transmission_step(conn)
							    : nbd_handshake_step(conn);
	}
	return conn->rstart != before;
}

/*
 * Read what the socket has and act on it. Returns true if anything happened.
 * Never frees the connection (the poller does, once it is closing and idle).
 */
static bool
nbd_conn_receive(struct nbd_conn *conn)
{
	bool progress = nbd_conn_consume(conn);
	struct nbd_io *io;
	ssize_t n;

	while (!conn->closing && !conn->close_after_send && !conn->disconnecting) {
		io = conn->rx_io;
		if (conn->state == NBD_CONN_TRANSMISSION &&
		    conn->inflight + conn->queued >= NBD_MAX_INFLIGHT && io == NULL) {
			break;
		}
		if (io != NULL && conn->rstart == conn->rend && io->payload_left >= 4096) {
			/* Large write payloads go straight into the request's buffer. */
			n = recv(conn->fd, (uint8_t *)io->buf + (io->len - io->payload_left),
				 io->payload_left, MSG_DONTWAIT);
			if (n > 0) {
				io->payload_left -= (uint32_t)n;
				progress = true;
				if (io->payload_left == 0) {
					conn->rx_io = NULL;
					nbd_io_submit(io);
				}
				continue;
			}
		} else {
			if (conn->rstart > 0) {
				memmove(conn->rbuf, conn->rbuf + conn->rstart,
					conn->rend - conn->rstart);
				conn->rend -= conn->rstart;
				conn->rstart = 0;
			}
			n = recv(conn->fd, conn->rbuf + conn->rend, NBD_RECV_BUF - conn->rend,
				 MSG_DONTWAIT);
			if (n > 0) {
				conn->rend += (size_t)n;
				progress = true;
				nbd_conn_consume(conn);
				continue;
			}
		}
		if (n == 0) {
			SPDK_INFOLOG(nbd, "nbd: export %s: a client closed its connection\n",
				     conn->disk->path);
			nbd_conn_close(conn);
			return true;
		}
		if (errno == EINTR) {
			continue;
		}
		if (errno != EAGAIN && errno != EWOULDBLOCK) {
			SPDK_NOTICELOG(
				"nbd: export %s: receive failed: %s; closing the connection\n",
				conn->disk->path, spdk_strerror(errno));
			nbd_conn_close(conn);
			return true;
		}
		break;
	}
	return progress;
}

/* Send the handshake output and as many queued replies as the socket takes. */
static void
nbd_conn_flush(struct nbd_conn *conn)
{
	struct iovec iov[NBD_SEND_IOVS];
	struct msghdr msg = {.msg_iov = iov};
	struct nbd_io *io;
	ssize_t n;

	while (conn->hs_sent < conn->hs_len) {
		n = send(conn->fd, conn->hs_out + conn->hs_sent, conn->hs_len - conn->hs_sent,
			 MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				nbd_conn_close(conn);
			}
			return;
		}
		conn->hs_sent += (size_t)n;
	}
	conn->hs_sent = conn->hs_len = 0;
	if (conn->close_after_send) {
		nbd_conn_close(conn);
		return;
	}
	while (!TAILQ_EMPTY(&conn->sendq)) {
		size_t cnt = 0;

		TAILQ_FOREACH (io, &conn->sendq, link) {
			size_t data_len = io->type == NBDP_CMD_READ && io->error == 0 ? io->len : 0;
			size_t off = io->sent;

			if (cnt + 2 > NBD_SEND_IOVS) {
				break;
			}
			if (off < NBD_REPLY_HDR_LEN) {
				iov[cnt].iov_base = io->reply + off;
				iov[cnt].iov_len = NBD_REPLY_HDR_LEN - off;
				cnt++;
				off = NBD_REPLY_HDR_LEN;
			}
			if (data_len > 0) {
				iov[cnt].iov_base = (uint8_t *)io->buf + (off - NBD_REPLY_HDR_LEN);
				iov[cnt].iov_len = data_len - (off - NBD_REPLY_HDR_LEN);
				cnt++;
			}
		}
		msg.msg_iovlen = cnt;
		n = sendmsg(conn->fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				SPDK_NOTICELOG("nbd: export %s: send failed: %s; closing the "
					       "connection\n",
					       conn->disk->path, spdk_strerror(errno));
				nbd_conn_close(conn);
			}
			return;
		}
		while (n > 0 && (io = TAILQ_FIRST(&conn->sendq)) != NULL) {
			size_t total = NBD_REPLY_HDR_LEN +
				       (io->type == NBDP_CMD_READ && io->error == 0 ? io->len : 0);
			size_t take = spdk_min((size_t)n, total - io->sent);

			io->sent += take;
			n -= (ssize_t)take;
			if (io->sent == total) {
				TAILQ_REMOVE(&conn->sendq, io, link);
				conn->queued--;
				nbd_io_release(io);
			}
		}
	}
}

/* ---- the export thread: poller, accept, start and stop ---- */

static bool
nbd_conn_has_output(const struct nbd_conn *conn)
{
	return conn->hs_sent < conn->hs_len || !TAILQ_EMPTY(&conn->sendq);
}

static void nbd_set_poll_mode(struct spdk_nbd_disk *disk, bool busy);

static void
nbd_accept(struct spdk_nbd_disk *disk)
{
	struct nbd_conn *conn;
	uint8_t greeting[18];
	int fd;

	while ((fd = accept4(disk->listen_fd, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK)) >= 0) {
		if (disk->kind == NBD_KIND_TCP) {
			int one = 1;

			setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		}
		conn = nbd_conn_create(disk, fd, NBD_CONN_CLIENT_FLAGS);
		if (conn == NULL) {
			close(fd);
			continue;
		}
		put_be64(greeting, NBDP_INIT_MAGIC);
		put_be64(greeting + 8, NBDP_OPTS_MAGIC);
		put_be16(greeting + 16, NBDP_HS_FIXED_NEWSTYLE | NBDP_HS_NO_ZEROES);
		if (nbd_hs_put(conn, greeting, sizeof(greeting))) {
			nbd_conn_flush(conn);
		}
		disk->last_activity = spdk_get_ticks();
		SPDK_INFOLOG(nbd, "nbd: export %s: client connected\n", disk->path);
	}
	if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED) {
		SPDK_NOTICELOG("nbd: export %s: accept failed: %s\n", disk->path,
			       spdk_strerror(errno));
	}
}

static int
nbd_poll(void *arg)
{
	struct spdk_nbd_disk *disk = arg;
	struct nbd_conn *conn, *tmp;
	bool progress = false;
	uint64_t now;

	if (disk->listen_fd >= 0) {
		nbd_accept(disk);
	}
	TAILQ_FOREACH_SAFE (conn, &disk->conns, link, tmp) {
		progress |= nbd_conn_receive(conn);
		/* Replies the socket did not take last time are retried here, and a
		 * hang-up decided in the handshake (close_after_send) happens here,
		 * after its output, if any, is out. */
		if (!conn->closing && (nbd_conn_has_output(conn) || conn->close_after_send)) {
			nbd_conn_flush(conn);
		}
		if (conn->disconnecting && !conn->closing && conn->inflight == 0 &&
		    !nbd_conn_has_output(conn)) {
			nbd_conn_close(conn);
		}
		if (conn->closing) {
			nbd_conn_maybe_free(conn);
		}
	}
	now = spdk_get_ticks();
	if (progress) {
		disk->last_activity = now;
		if (!disk->poll_busy) {
			nbd_set_poll_mode(disk, true);
		}
		return SPDK_POLLER_BUSY;
	}
	TAILQ_FOREACH (conn, &disk->conns, link) {
		if (conn->inflight > 0 || nbd_conn_has_output(conn)) {
			disk->last_activity = now;
		}
	}
	if (disk->poll_busy && now - disk->last_activity > disk->idle_ticks) {
		nbd_set_poll_mode(disk, false);
	}
	return SPDK_POLLER_IDLE;
}

static void
nbd_set_poll_mode(struct spdk_nbd_disk *disk, bool busy)
{
	spdk_poller_unregister(&disk->poller);
	disk->poll_busy = busy;
	disk->poller = SPDK_POLLER_REGISTER(nbd_poll, disk, busy ? 0 : NBD_IDLE_POLL_US);
}

static void *
nbd_kernel_thread(void *arg)
{
	struct spdk_nbd_disk *disk = arg;
	int rc;

	rc = ioctl(disk->dev_fd, NBD_DO_IT);
	if (rc < 0 && errno != EBUSY) {
		SPDK_INFOLOG(nbd, "nbd: %s: NBD_DO_IT ended: %s\n", disk->path,
			     spdk_strerror(errno));
	}
	ioctl(disk->dev_fd, NBD_CLEAR_QUE);
	ioctl(disk->dev_fd, NBD_CLEAR_SOCK);
	return NULL;
}

/* Export thread: the last step of stopping, or of a failed start. */
static void
nbd_disk_stop_listening(struct spdk_nbd_disk *disk)
{
	if (disk->listen_fd >= 0) {
		close(disk->listen_fd);
		disk->listen_fd = -1;
		if (disk->unix_path != NULL) {
			unlink(disk->unix_path);
		}
	}
}

static void
nbd_disk_release(struct spdk_nbd_disk *disk)
{
	spdk_poller_unregister(&disk->poller);
	nbd_disk_stop_listening(disk);
	if (disk->kernel_thread_started) {
		ioctl(disk->dev_fd, NBD_DISCONNECT);
		if (disk->kernel_sock >= 0) {
			shutdown(disk->kernel_sock, SHUT_RDWR);
		}
		pthread_join(disk->kernel_thread, NULL);
		disk->kernel_thread_started = false;
	}
	if (disk->kernel_sock >= 0) {
		close(disk->kernel_sock);
		disk->kernel_sock = -1;
	}
	if (disk->dev_fd >= 0) {
		close(disk->dev_fd);
		disk->dev_fd = -1;
	}
	if (disk->ch != NULL) {
		spdk_put_io_channel(disk->ch);
		disk->ch = NULL;
	}
	if (disk->desc != NULL) {
		spdk_bdev_close(disk->desc);
		disk->desc = NULL;
	}
}

static void
nbd_disk_stop_on_thread(void *arg)
{
	struct spdk_nbd_disk *disk = arg;
	struct nbd_conn *conn, *tmp;

	if (!disk->stopping) {
		disk->stopping = true;
		nbd_disk_stop_listening(disk);
		if (disk->kernel_thread_started) {
			/* The kernel stops sending; our end then reads EOF. */
			ioctl(disk->dev_fd, NBD_DISCONNECT);
		}
		disk->in_stop = true;
		TAILQ_FOREACH_SAFE (conn, &disk->conns, link, tmp) {
			nbd_conn_close(conn);
			nbd_conn_maybe_free(conn);
		}
		disk->in_stop = false;
	}
	/* Connections with I/O in flight call us again when they are gone. */
	if (!TAILQ_EMPTY(&disk->conns) || disk->released) {
		return;
	}
	disk->released = true;
	nbd_disk_release(disk);
	spdk_thread_send_msg(disk->owner, nbd_disk_gone, disk);
	spdk_thread_exit(spdk_get_thread());
}

static void
nbd_stop_msg(void *arg)
{
	spdk_nbd_stop(arg);
}

static void
nbd_bdev_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
	struct spdk_nbd_disk *disk = ctx;

	switch (type) {
	case SPDK_BDEV_EVENT_REMOVE:
		SPDK_NOTICELOG("nbd: bdev %s is being removed; stopping export %s\n",
			       disk->bdev_name, disk->path);
		spdk_thread_send_msg(disk->owner, nbd_stop_msg, disk);
		break;
	case SPDK_BDEV_EVENT_RESIZE:
		disk->size = spdk_bdev_get_num_blocks(bdev) * disk->block_size;
		SPDK_NOTICELOG("nbd: bdev %s resized; export %s now has %" PRIu64 " bytes for new "
			       "connections\n",
			       disk->bdev_name, disk->path, disk->size);
		if (disk->kind == NBD_KIND_KERNEL) {
			ioctl(disk->dev_fd, NBD_SET_SIZE_BLOCKS,
			      (unsigned long)spdk_bdev_get_num_blocks(bdev));
		}
		break;
	default:
		break;
	}
}

/* Owner thread: report the start, keep or drop the export. */
static void
nbd_start_done(void *arg)
{
	struct spdk_nbd_disk *disk = arg;
	spdk_nbd_start_cb cb_fn = disk->start_cb;
	void *cb_arg = disk->start_arg;

	disk->start_pending = false;
	if (disk->start_rc != 0) {
		TAILQ_REMOVE(&g_disks, disk, link);
		cb_fn(cb_arg, NULL, disk->start_rc);
		nbd_disk_free(disk);
		nbd_fini_check();
		return;
	}
	SPDK_NOTICELOG("nbd: bdev %s exported at %s\n", disk->bdev_name, disk->path);
	cb_fn(cb_arg, disk, 0);
	if (disk->stop_requested) {
		spdk_thread_send_msg(disk->thread, nbd_disk_stop_on_thread, disk);
	}
}

static int
nbd_listen_tcp(struct spdk_nbd_disk *disk, const char *addr)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
	struct addrinfo *res = NULL;
	char host[256], *port;
	const char *h;
	int fd, rc, one = 1;

	if (strlen(addr) >= sizeof(host)) {
		return -EINVAL;
	}
	snprintf(host, sizeof(host), "%s", addr);
	/* The path part is the export name in client URIs; a listener has none. */
	port = strchr(host, '/');
	if (port != NULL) {
		*port = '\0';
	}
	h = host;
	port = NULL;
	if (host[0] == '[') {
		char *end = strchr(host, ']');

		if (end == NULL) {
			return -EINVAL;
		}
		*end = '\0';
		h = host + 1;
		if (end[1] == ':') {
			port = end + 2;
		} else if (end[1] != '\0') {
			return -EINVAL;
		}
	} else if ((port = strrchr(host, ':')) != NULL) {
		*port++ = '\0';
	}
	if (*h == '\0' || (port != NULL && *port == '\0')) {
		return -EINVAL;
	}
	rc = getaddrinfo(h, port != NULL ? port : NBD_DEFAULT_PORT, &hints, &res);
	if (rc != 0) {
		SPDK_ERRLOG("nbd: cannot resolve the listen address of %s: %s\n", disk->path,
			    gai_strerror(rc));
		return -EINVAL;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		rc = -errno;
		freeaddrinfo(res);
		return rc;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, res->ai_addr, res->ai_addrlen) != 0 || listen(fd, 16) != 0) {
		rc = -errno;
		SPDK_ERRLOG("nbd: cannot listen on %s: %s\n", disk->path, spdk_strerror(-rc));
		close(fd);
		freeaddrinfo(res);
		return rc;
	}
	freeaddrinfo(res);
	disk->listen_fd = fd;
	return 0;
}

static int
nbd_listen_unix(struct spdk_nbd_disk *disk, const char *path)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	struct stat st;
	int fd, rc;

	if (path[0] != '/' || strlen(path) >= sizeof(sun.sun_path)) {
		SPDK_ERRLOG(
			"nbd: %s: the socket path must be absolute and shorter than %zu bytes\n",
			disk->path, sizeof(sun.sun_path));
		return -EINVAL;
	}
	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0) {
		return -errno;
	}
	if (lstat(path, &st) == 0) {
		/* A socket nobody listens on is left over from a dead process. */
		if (!S_ISSOCK(st.st_mode) ||
		    connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == 0 ||
		    errno != ECONNREFUSED) {
			SPDK_ERRLOG("nbd: %s: %s exists and is in use\n", disk->path, path);
			close(fd);
			return -EADDRINUSE;
		}
		close(fd);
		unlink(path);
		fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
		if (fd < 0) {
			return -errno;
		}
	}
	if (bind(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0 || listen(fd, 16) != 0) {
		rc = -errno;
		SPDK_ERRLOG("nbd: cannot listen on %s: %s\n", disk->path, spdk_strerror(-rc));
		close(fd);
		return rc;
	}
	disk->unix_path = strdup(path);
	if (disk->unix_path == NULL) {
		close(fd);
		unlink(path);
		return -ENOMEM;
	}
	disk->listen_fd = fd;
	return 0;
}

static int
nbd_attach_kernel(struct spdk_nbd_disk *disk)
{
	struct nbd_conn *conn;
	int sp[2], rc;

	disk->dev_fd = open(disk->path, O_RDWR | O_CLOEXEC);
	if (disk->dev_fd < 0) {
		rc = -errno;
		if (rc == -ENOENT) {
			SPDK_ERRLOG(
				"nbd: %s does not exist: the kernel's nbd module is not loaded "
				"(modprobe nbd); or export over a socket with nbd://HOST:PORT\n",
				disk->path);
			return -ENODEV;
		}
		SPDK_ERRLOG("nbd: cannot open %s: %s\n", disk->path, spdk_strerror(-rc));
		return rc;
	}
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0) {
		return -errno;
	}
	if (ioctl(disk->dev_fd, NBD_SET_BLKSIZE, (unsigned long)disk->block_size) < 0 ||
	    ioctl(disk->dev_fd, NBD_SET_SIZE_BLOCKS,
		  (unsigned long)(disk->size / disk->block_size)) < 0 ||
	    ioctl(disk->dev_fd, NBD_CLEAR_SOCK) < 0 ||
	    ioctl(disk->dev_fd, NBD_SET_SOCK, sp[1]) < 0) {
		rc = -errno;
		SPDK_ERRLOG("nbd: cannot configure %s (is it in use?): %s\n", disk->path,
			    spdk_strerror(-rc));
		close(sp[0]);
		close(sp[1]);
		return rc;
	}
#ifdef NBD_SET_FLAGS
	ioctl(disk->dev_fd, NBD_SET_FLAGS, (unsigned long)disk->tflags);
#endif
	disk->kernel_sock = sp[1];
	conn = nbd_conn_create(disk, sp[0], NBD_CONN_TRANSMISSION);
	if (conn == NULL) {
		close(sp[0]);
		return -ENOMEM;
	}
	rc = pthread_create(&disk->kernel_thread, NULL, nbd_kernel_thread, disk);
	if (rc != 0) {
		return -rc;
	}
	disk->kernel_thread_started = true;
	return 0;
}

/* Export thread: open the bdev and start listening. */
static void
nbd_start_on_thread(void *arg)
{
	struct spdk_nbd_disk *disk = arg;
	struct spdk_bdev *bdev;
	int rc;

	rc = spdk_bdev_open_ext(disk->bdev_name, true, nbd_bdev_event, disk, &disk->desc);
	if (rc != 0) {
		SPDK_ERRLOG("nbd: cannot open bdev %s for %s: %s\n", disk->bdev_name, disk->path,
			    spdk_strerror(-rc));
		goto fail;
	}
	bdev = spdk_bdev_desc_get_bdev(disk->desc);
	disk->ch = spdk_bdev_get_io_channel(disk->desc);
	if (disk->ch == NULL) {
		SPDK_ERRLOG("nbd: no I/O channel for bdev %s\n", disk->bdev_name);
		rc = -ENOMEM;
		goto fail;
	}
	disk->block_size = spdk_bdev_get_block_size(bdev);
	disk->size = spdk_bdev_get_num_blocks(bdev) * disk->block_size;
	disk->tflags = NBDP_TF_HAS_FLAGS | NBDP_TF_SEND_WRITE_ZEROES | NBDP_TF_CAN_MULTI_CONN;
	if (spdk_bdev_io_type_supported(bdev, SPDK_BDEV_IO_TYPE_FLUSH)) {
		disk->tflags |= NBDP_TF_SEND_FLUSH | NBDP_TF_SEND_FUA;
	}
	if (spdk_bdev_io_type_supported(bdev, SPDK_BDEV_IO_TYPE_UNMAP)) {
		disk->tflags |= NBDP_TF_SEND_TRIM;
	}
	switch (disk->kind) {
	case NBD_KIND_KERNEL:
		rc = nbd_attach_kernel(disk);
		break;
	case NBD_KIND_TCP:
		rc = nbd_listen_tcp(disk, disk->path + strlen("nbd://"));
		break;
	case NBD_KIND_UNIX:
		rc = nbd_listen_unix(disk, disk->path + strlen("nbd+unix://"));
		break;
	}
	if (rc != 0) {
		if (rc == -EINVAL) {
			SPDK_ERRLOG("nbd: '%s' is not a valid address\n", disk->path);
		}
		goto fail;
	}
	disk->idle_ticks = NBD_IDLE_AFTER_US * spdk_get_ticks_hz() / 1000000;
	disk->last_activity = spdk_get_ticks();
	nbd_set_poll_mode(disk, disk->kind == NBD_KIND_KERNEL);
	if (disk->poller == NULL) {
		rc = -ENOMEM;
		goto fail;
	}
	disk->start_rc = 0;
	spdk_thread_send_msg(disk->owner, nbd_start_done, disk);
	return;
fail:
	disk->start_rc = rc;
	/* A kernel export's connection may exist already: it goes with the rest. */
	while (!TAILQ_EMPTY(&disk->conns)) {
		struct nbd_conn *conn = TAILQ_FIRST(&disk->conns);

		conn->closing = true;
		nbd_conn_maybe_free(conn);
	}
	nbd_disk_release(disk);
	spdk_thread_send_msg(disk->owner, nbd_start_done, disk);
	spdk_thread_exit(spdk_get_thread());
}

/* The path of the first /dev/nbdN that no export uses, or NULL. */
static char *
nbd_find_free_kernel_device(void)
{
	char path[32];
	int i;

	for (i = 0; i < 256; i++) {
		snprintf(path, sizeof(path), "/dev/nbd%d", i);
		if (access(path, F_OK) != 0) {
			break;
		}
		if (spdk_nbd_disk_find_by_path(path) == NULL) {
			return strdup(path);
		}
	}
	return NULL;
}

void
spdk_nbd_start(const char *bdev_name, const char *nbd_path, spdk_nbd_start_cb cb_fn, void *cb_arg)
{
	struct spdk_nbd_disk *disk;
	char thread_name[64];
	int rc = 0;

	if (cb_fn == NULL) {
		SPDK_ERRLOG("nbd: spdk_nbd_start needs a callback\n");
		return;
	}
	if (spdk_get_thread() == NULL) {
		SPDK_ERRLOG("nbd: spdk_nbd_start called outside an SPDK thread\n");
		cb_fn(cb_arg, NULL, -EINVAL);
		return;
	}
	disk = calloc(1, sizeof(*disk));
	if (disk == NULL) {
		cb_fn(cb_arg, NULL, -ENOMEM);
		return;
	}
	disk->owner = spdk_get_thread();
	disk->start_pending = true;
	disk->listen_fd = -1;
	disk->dev_fd = -1;
	disk->kernel_sock = -1;
	disk->start_cb = cb_fn;
	disk->start_arg = cb_arg;
	TAILQ_INIT(&disk->conns);
	TAILQ_INSERT_TAIL(&g_disks, disk, link);
	disk->bdev_name = bdev_name != NULL ? strdup(bdev_name) : NULL;
	if (nbd_path == NULL || nbd_path[0] == '\0') {
		disk->path = nbd_find_free_kernel_device();
		if (disk->path == NULL) {
			SPDK_ERRLOG(
				"nbd: no free /dev/nbdN for bdev %s: the kernel's nbd module is "
				"not loaded (modprobe nbd); or give an nbd://HOST:PORT "
				"address\n",
				bdev_name != NULL ? bdev_name : "(null)");
			rc = -ENODEV;
		}
	} else {
		disk->path = strdup(nbd_path);
	}
	if (rc != 0 || disk->path == NULL || bdev_name == NULL || disk->bdev_name == NULL) {
		rc = rc != 0 ? rc : bdev_name == NULL ? -EINVAL : -ENOMEM;
		if (bdev_name == NULL) {
			SPDK_ERRLOG("nbd: no bdev name given\n");
		}
		goto fail;
	}
	if (strncmp(disk->path, "/dev/", 5) == 0) {
		disk->kind = NBD_KIND_KERNEL;
	} else if (strncmp(disk->path, "nbd://", 6) == 0) {
		disk->kind = NBD_KIND_TCP;
	} else if (strncmp(disk->path, "nbd+unix://", 11) == 0) {
		disk->kind = NBD_KIND_UNIX;
	} else {
		SPDK_ERRLOG("nbd: '%s' (bdev %s) is none of /dev/nbdN, nbd://HOST[:PORT] or "
			    "nbd+unix:///PATH\n",
			    disk->path, bdev_name);
		rc = -EINVAL;
		goto fail;
	}
	TAILQ_REMOVE(&g_disks, disk, link);
	if (spdk_nbd_disk_find_by_path(disk->path) != NULL) {
		TAILQ_INSERT_TAIL(&g_disks, disk, link);
		SPDK_ERRLOG("nbd: %s is already exported\n", disk->path);
		rc = -EBUSY;
		goto fail;
	}
	TAILQ_INSERT_TAIL(&g_disks, disk, link);
	if (spdk_bdev_get_by_name(bdev_name) == NULL) {
		SPDK_ERRLOG("nbd: bdev %s not found (export %s)\n", bdev_name, disk->path);
		rc = -ENODEV;
		goto fail;
	}
	snprintf(thread_name, sizeof(thread_name), "nbd_%s", bdev_name);
	disk->thread = spdk_thread_create(thread_name, NULL);
	if (disk->thread == NULL) {
		SPDK_ERRLOG("nbd: cannot create a thread for export %s\n", disk->path);
		rc = -ENOMEM;
		goto fail;
	}
	spdk_thread_send_msg(disk->thread, nbd_start_on_thread, disk);
	return;
fail:
	/* The callback runs later, as for every other outcome. */
	disk->start_rc = rc;
	disk->stop_requested = true;
	spdk_thread_send_msg(disk->owner, nbd_start_done, disk);
}
