/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * libFuzzer target: the NBD server (lib/nbd/nbd.c) as a client on the
 * network sees it. Once per process the harness brings up the thread library
 * and the bdev layer (with fewer bdev_ios than the server lets a connection
 * have requests in flight, so that its -ENOMEM path runs), makes a 128 KiB
 * malloc bdev "Nbd0" (512-byte blocks) and exports it on a Unix socket in a
 * private scratch directory. It polls every spdk_thread there is (the app
 * thread and the export's own) itself, and moves the clock on by 1 ms
 * whenever a round of polls found nothing to do, so that the export's idle
 * poller comes due without sleeping.
 *
 * Each input is one client connection. Its first byte holds the harness's
 * options (FUZZ_OPT_*): whether the harness does a valid handshake first
 * (NBD_OPT_GO for the default export, so that the rest of the input is
 * transmission-phase bytes, 28-byte request headers and write payloads), how
 * many bytes each send() carries, whether the client reads the server's
 * output as it goes or lazily, and whether the rest is sent once or
 * FUZZ_REPEAT times (many requests from a short input). The rest is sent as
 * the client's bytes, non-blocking, while the threads are polled and the
 * server's output drained. Then the client shuts down its write side and
 * waits until the server has closed the connection (reads end of file) and
 * has released its side of it (the process has no more sockets open than
 * before the input). Either wait running past its bound is a stuck
 * connection and aborts, as does the server ceasing to take input, as does
 * the server holding more memory for the connection than its limits allow
 * (FUZZ_MAX_HELD, checked after every round of polls when built with
 * AddressSanitizer: a client that does not read its replies must not make
 * the server queue them without bound), as does any sanitizer report.
 *
 * Every FUZZ_HEALTH_EVERY inputs, a well-behaved client connects, completes
 * NBD_OPT_GO, checks the export's size, writes one block and reads it back,
 * and disconnects; the server failing it aborts.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/nbd.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "updk/bdev_malloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);
uint64_t __real_spdk_get_ticks(void);
uint64_t __wrap_spdk_get_ticks(void);
/* The heap in use, from AddressSanitizer; NULL without it (no memory check then). */
size_t __sanitizer_get_current_allocated_bytes(void) __attribute__((weak));

/* The option byte (the input's first). */
/* The harness does the handshake: the rest of the input is transmission-phase bytes. */
#define FUZZ_OPT_GO 0x01u
/* Bits 1-2 index g_chunk_sizes: the most bytes one send() carries. */
#define FUZZ_OPT_CHUNK_SHIFT 1
#define FUZZ_OPT_CHUNK_MASK 0x06u
/*
 * The client reads the server's output only when its own sends would block,
 * and after its last byte only once the server has gone quiet.
 */
#define FUZZ_OPT_LAZY_READER 0x08u
/* The bytes after the option byte are sent FUZZ_REPEAT times. */
#define FUZZ_OPT_REPEAT 0x10u
#define FUZZ_REPEAT 8u

#define FUZZ_BDEV_NAME "Nbd0"
#define FUZZ_BLOCK_SIZE 512u
#define FUZZ_NUM_BLOCKS 256u
#define FUZZ_SOCKET_NAME "nbd.sock"
/* The server's limit of requests per connection in flight or with unsent replies. */
#define FUZZ_SERVER_MAX_REQUESTS 128u
/* bdev_ios in all: fewer than one connection may have in flight. */
#define FUZZ_BDEV_IO_POOL 64u
/*
 * The most heap the server may hold for one connection: a buffer for each
 * request it keeps (a read's no larger than the export, as longer reads fail
 * without one; a write's no larger than the payload sent, which the input
 * size caps), plus 4 MiB for the write whose payload is still arriving and
 * the connection's own buffers.
 */
#define FUZZ_MAX_HELD \
	(FUZZ_SERVER_MAX_REQUESTS * (FUZZ_BLOCK_SIZE * FUZZ_NUM_BLOCKS + 4096u) + 4u * 1024 * 1024)
/* The export's thread and the app thread; room for a few more. */
#define FUZZ_MAX_THREADS 16
/* Rounds of polls (about 1 ms of clock each when idle) before a wait is a hang. */
#define FUZZ_MAX_ROUNDS 200000u
#define FUZZ_HEALTH_EVERY 16u
/* Longer inputs are refused (and FUZZ_REPEAT times this is still little). */
#define FUZZ_MAX_INPUT (64u * 1024)

/* Protocol constants, from the NBD protocol specification. */
#define NBDP_INIT_MAGIC UINT64_C(0x4e42444d41474943)
#define NBDP_OPTS_MAGIC UINT64_C(0x49484156454f5054)
#define NBDP_OPT_REPLY_MAGIC UINT64_C(0x0003e889045565a9)
#define NBDP_REQ_MAGIC UINT32_C(0x25609513)
#define NBDP_SIMPLE_REPLY_MAGIC UINT32_C(0x67446698)
#define NBDP_FLAGS_FIXED_NO_ZEROES 3u
#define NBDP_OPT_GO 7u
#define NBDP_REP_ACK 1u
#define NBDP_REP_INFO 3u
#define NBDP_INFO_EXPORT 0u
#define NBDP_INFO_BLOCK_SIZE 3u
#define NBDP_CMD_READ 0u
#define NBDP_CMD_WRITE 1u
#define NBDP_CMD_DISC 2u

static const size_t g_chunk_sizes[] = {SIZE_MAX, 2, 13, 100};

static struct spdk_thread *g_threads[FUZZ_MAX_THREADS];
static uint32_t g_thread_count;
static struct spdk_thread *g_app_thread;
static char g_dir[PATH_MAX];
static char g_sock_path[PATH_MAX + 16];
/* Added to the clock by idle rounds of polls. */
static uint64_t g_tick_offset;
static uint64_t g_idle_step;
/* Sockets open while no connection exists (the export's listener). */
static int g_base_sockets;
/* The heap in use before the current connection, and whether it is checked. */
static size_t g_heap_base;
static bool g_heap_check;
static uint64_t g_inputs;
static uint32_t g_health_runs;

uint64_t
__wrap_spdk_get_ticks(void)
{
	return __real_spdk_get_ticks() + g_tick_offset;
}

static void fuzz_fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

static void
fuzz_fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "fuzz_nbd: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n");
	abort();
}

/* The thread library's scheduler hook: the harness polls every thread created. */
static int
fuzz_thread_created(struct spdk_thread *thread)
{
	if (g_thread_count == FUZZ_MAX_THREADS) {
		fprintf(stderr, "fuzz_nbd: more than %d threads\n", FUZZ_MAX_THREADS);
		return -ENOMEM;
	}
	g_threads[g_thread_count++] = thread;
	return 0;
}

/*
 * Poll every live thread once; an idle round moves the clock on. Then check
 * what the server holds in memory for the one connection. Returns whether
 * any thread had work.
 */
static bool
fuzz_poll_round(void)
{
	bool busy = false;
	size_t held;
	uint32_t i;

	for (i = 0; i < g_thread_count; i++) {
		if (!spdk_thread_is_exited(g_threads[i]) &&
		    spdk_thread_poll(g_threads[i], 0, 0) > 0) {
			busy = true;
		}
	}
	if (!busy) {
		g_tick_offset += g_idle_step;
	}
	if (g_heap_check) {
		held = __sanitizer_get_current_allocated_bytes();
		if (held > g_heap_base + FUZZ_MAX_HELD) {
			fuzz_fail("the server holds %zu bytes for one connection, more than its "
				  "limits allow (%zu)",
				  held - g_heap_base, (size_t)FUZZ_MAX_HELD);
		}
	}
	return busy;
}

/* From now on, check the heap against what it is now (with AddressSanitizer only). */
static void
fuzz_heap_mark(void)
{
	if (__sanitizer_get_current_allocated_bytes != NULL) {
		g_heap_base = __sanitizer_get_current_allocated_bytes();
		g_heap_check = true;
	}
}

static void
fuzz_poll_until(const bool *done, const char *what)
{
	uint32_t i;

	for (i = 0; i < FUZZ_MAX_ROUNDS && !*done; i++) {
		fuzz_poll_round();
	}
	if (!*done) {
		fuzz_fail("%s never completed", what);
	}
}

/*
 * Visit the process's open descriptors with their targets ("socket:[123]",
 * a path, ...); returns how many are sockets. Only sockets count: the
 * sanitizers and libFuzzer open pipes and files of their own as they go.
 */
static int
fuzz_scan_fds(bool print)
{
	DIR *dir = opendir("/proc/self/fd");
	char path[64], target[PATH_MAX];
	struct dirent *e;
	ssize_t len;
	int n = 0;

	if (dir == NULL) {
		fuzz_fail("cannot list /proc/self/fd: %s", strerror(errno));
	}
	while ((e = readdir(dir)) != NULL) {
		if (e->d_name[0] == '.') {
			continue;
		}
		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		len = readlink(path, target, sizeof(target) - 1);
		target[len > 0 ? len : 0] = '\0';
		if (strncmp(target, "socket:", 7) == 0) {
			n++;
		}
		if (print) {
			fprintf(stderr, "fuzz_nbd: descriptor %s: %s\n", e->d_name, target);
		}
	}
	closedir(dir);
	return n;
}

/* After a client closed its socket: the server must release its end too. */
static void
fuzz_wait_released(const char *who)
{
	uint32_t i;
	int n;

	for (i = 0; i < FUZZ_MAX_ROUNDS; i++) {
		if (fuzz_scan_fds(false) <= g_base_sockets) {
			return;
		}
		fuzz_poll_round();
	}
	n = fuzz_scan_fds(true);
	fuzz_fail("%s: the server never released its end of a closed connection (%d sockets "
		  "open, %d before; the descriptors are listed above)",
		  who, n, g_base_sockets);
}

static int
fuzz_connect(void)
{
	struct sockaddr_un sun = {.sun_family = AF_UNIX};
	int fd;

	snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", g_sock_path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		fuzz_fail("socket: %s", strerror(errno));
	}
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
		fuzz_fail("connect to %s: %s", g_sock_path, strerror(errno));
	}
	return fd;
}

/*
 * Receive exactly len bytes, polling the threads while none are there.
 * Returns false if the server closed the connection first.
 */
static bool
fuzz_recv_exact(int fd, void *buf, size_t len, const char *who)
{
	size_t got = 0;
	uint32_t rounds = 0;
	ssize_t n;

	while (got < len) {
		n = recv(fd, (uint8_t *)buf + got, len - got, MSG_DONTWAIT);
		if (n > 0) {
			got += (size_t)n;
			continue;
		}
		if (n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) {
			return false;
		}
		if (++rounds > FUZZ_MAX_ROUNDS) {
			fuzz_fail("%s: waited in vain for %zu of %zu bytes", who, len - got, len);
		}
		fuzz_poll_round();
	}
	return true;
}

static void
fuzz_send_all(int fd, const void *buf, size_t len, const char *who)
{
	size_t off = 0;
	uint32_t rounds = 0;
	ssize_t n;

	while (off < len) {
		n = send(fd, (const uint8_t *)buf + off, len - off, MSG_DONTWAIT | MSG_NOSIGNAL);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			fuzz_fail("%s: send: %s", who, strerror(errno));
		}
		if (++rounds > FUZZ_MAX_ROUNDS) {
			fuzz_fail("%s: the server stopped taking input", who);
		}
		fuzz_poll_round();
	}
}

static void
put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void
put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, (uint16_t)(v >> 16));
	put_be16(p + 2, (uint16_t)v);
}

static void
put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
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

/*
 * A well-behaved handshake: read the greeting, send fixed newstyle and no
 * zeroes, then NBD_OPT_GO for export \p name asking for the block sizes, and
 * read the replies up to the ACK. Aborts on anything unexpected.
 */
static void
fuzz_client_go(int fd, const char *name, const char *who)
{
	uint8_t buf[64], hdr[20];
	size_t name_len = strlen(name);
	uint64_t size = UINT64_MAX;
	uint32_t type, len;

	if (name_len > sizeof(buf) - 24) {
		fuzz_fail("export name too long");
	}
	if (!fuzz_recv_exact(fd, buf, 18, who)) {
		fuzz_fail("%s: the server closed the connection instead of greeting", who);
	}
	if (get_be64(buf) != NBDP_INIT_MAGIC || get_be64(buf + 8) != NBDP_OPTS_MAGIC) {
		fuzz_fail("%s: bad greeting", who);
	}
	put_be32(buf, NBDP_FLAGS_FIXED_NO_ZEROES);
	put_be64(buf + 4, NBDP_OPTS_MAGIC);
	put_be32(buf + 12, NBDP_OPT_GO);
	put_be32(buf + 16, (uint32_t)(4 + name_len + 2 + 2));
	put_be32(buf + 20, (uint32_t)name_len);
	memcpy(buf + 24, name, name_len);
	put_be16(buf + 24 + name_len, 1);
	put_be16(buf + 26 + name_len, NBDP_INFO_BLOCK_SIZE);
	fuzz_send_all(fd, buf, 28 + name_len, who);
	for (;;) {
		if (!fuzz_recv_exact(fd, hdr, sizeof(hdr), who)) {
			fuzz_fail("%s: the server closed the connection during NBD_OPT_GO", who);
		}
		type = get_be32(hdr + 12);
		len = get_be32(hdr + 16);
		if (get_be64(hdr) != NBDP_OPT_REPLY_MAGIC || get_be32(hdr + 8) != NBDP_OPT_GO ||
		    (type != NBDP_REP_INFO && type != NBDP_REP_ACK) || len > sizeof(buf)) {
			fuzz_fail("%s: unexpected NBD_OPT_GO reply: type 0x%x, length %u", who,
				  type, len);
		}
		if (!fuzz_recv_exact(fd, buf, len, who)) {
			fuzz_fail("%s: the server closed the connection during NBD_OPT_GO", who);
		}
		if (type == NBDP_REP_ACK) {
			break;
		}
		if (len >= 10 && get_be16(buf) == NBDP_INFO_EXPORT) {
			size = get_be64(buf + 2);
		}
	}
	if (size != (uint64_t)FUZZ_BLOCK_SIZE * FUZZ_NUM_BLOCKS) {
		fuzz_fail("%s: the export has %" PRIu64 " bytes, not %u", who, size,
			  FUZZ_BLOCK_SIZE * FUZZ_NUM_BLOCKS);
	}
}

/*
 * Read what the server sent and throw it away. Returns true once the server
 * has closed the connection (end of file, or an error such as a reset).
 */
static bool
fuzz_drain(int fd)
{
	static uint8_t buf[256 * 1024];
	ssize_t n;

	for (;;) {
		n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);
		if (n > 0) {
			continue;
		}
		if (n == 0) {
			return true;
		}
		if (errno == EINTR) {
			continue;
		}
		return errno != EAGAIN && errno != EWOULDBLOCK;
	}
}

/* Shut down the write side, wait for the server to close, close, wait for the release. */
static void
fuzz_hang_up(int fd, bool closed, const char *who)
{
	uint32_t i;

	shutdown(fd, SHUT_WR);
	for (i = 0; !closed; i++) {
		if (i == FUZZ_MAX_ROUNDS) {
			fuzz_fail("%s: stuck connection: the client has hung up, the server "
				  "never closed its side",
				  who);
		}
		fuzz_poll_round();
		closed = fuzz_drain(fd);
	}
	close(fd);
	fuzz_wait_released(who);
}

static void
fuzz_request(uint8_t *hdr, uint16_t type, uint64_t cookie, uint64_t offset, uint32_t len)
{
	put_be32(hdr, NBDP_REQ_MAGIC);
	put_be16(hdr + 4, 0);
	put_be16(hdr + 6, type);
	put_be64(hdr + 8, cookie);
	put_be64(hdr + 16, offset);
	put_be32(hdr + 24, len);
}

static void
fuzz_check_reply(int fd, uint64_t cookie, const char *what)
{
	uint8_t reply[16];

	if (!fuzz_recv_exact(fd, reply, sizeof(reply), "health check")) {
		fuzz_fail("health check: the server closed the connection before replying to "
			  "the %s",
			  what);
	}
	if (get_be32(reply) != NBDP_SIMPLE_REPLY_MAGIC || get_be32(reply + 4) != 0 ||
	    get_be64(reply + 8) != cookie) {
		fuzz_fail("health check: bad reply to the %s: magic 0x%x, error %u, cookie "
			  "%" PRIu64,
			  what, get_be32(reply), get_be32(reply + 4), get_be64(reply + 8));
	}
}

/* A well-behaved client: NBD_OPT_GO, write one block, read it back, disconnect. */
static void
fuzz_check_health(void)
{
	uint8_t req[28 + FUZZ_BLOCK_SIZE], data[FUZZ_BLOCK_SIZE];
	uint64_t offset = (uint64_t)(g_health_runs % FUZZ_NUM_BLOCKS) * FUZZ_BLOCK_SIZE;
	uint32_t i;
	int fd;

	g_health_runs++;
	fuzz_heap_mark();
	fd = fuzz_connect();
	fuzz_client_go(fd, FUZZ_BDEV_NAME, "health check");
	fuzz_request(req, NBDP_CMD_WRITE, 1, offset, FUZZ_BLOCK_SIZE);
	for (i = 0; i < FUZZ_BLOCK_SIZE; i++) {
		req[28 + i] = (uint8_t)(i * 7 + g_health_runs);
	}
	fuzz_send_all(fd, req, sizeof(req), "health check");
	fuzz_check_reply(fd, 1, "write");
	fuzz_request(req, NBDP_CMD_READ, 2, offset, FUZZ_BLOCK_SIZE);
	fuzz_send_all(fd, req, 28, "health check");
	fuzz_check_reply(fd, 2, "read");
	if (!fuzz_recv_exact(fd, data, sizeof(data), "health check")) {
		fuzz_fail("health check: the server closed the connection in the read's data");
	}
	if (memcmp(data, req + 28, sizeof(data)) != 0) {
		fuzz_fail("health check: block %" PRIu64 " reads back other data than written",
			  offset / FUZZ_BLOCK_SIZE);
	}
	fuzz_request(req, NBDP_CMD_DISC, 3, 0, 0);
	fuzz_send_all(fd, req, 28, "health check");
	fuzz_hang_up(fd, false, "health check");
}

/*
 * Send the input's bytes \p repeat times over while polling and reading;
 * returns whether the server closed the connection.
 */
static bool
fuzz_feed(int fd, const uint8_t *data, size_t size, uint32_t repeat, size_t chunk, bool lazy)
{
	size_t off = 0, total = size * repeat, pos;
	uint32_t i, stalled = 0;
	bool blocked;
	ssize_t n;

	while (off < total) {
		pos = off % size;
		n = send(fd, data + pos, spdk_min(chunk, size - pos), MSG_DONTWAIT | MSG_NOSIGNAL);
		blocked = n <= 0;
		if (n > 0) {
			off += (size_t)n;
			stalled = 0;
		} else if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
			/* EPIPE or ECONNRESET: the server hung up. */
			return true;
		} else if (++stalled > FUZZ_MAX_ROUNDS) {
			fuzz_fail("the server stopped taking input with %zu of %zu bytes unsent "
				  "while its output was read",
				  total - off, total);
		}
		fuzz_poll_round();
		if ((!lazy || blocked) && fuzz_drain(fd)) {
			return true;
		}
	}
	/* A lazy reader lets the server do all it will before reading anything. */
	for (i = 0; lazy && fuzz_poll_round(); i++) {
		if (i == FUZZ_MAX_ROUNDS) {
			fuzz_fail("the server never went quiet");
		}
	}
	return false;
}

static void
fuzz_start_done(void *cb_arg, struct spdk_nbd_disk *nbd, int rc)
{
	bool *done = cb_arg;

	if (rc != 0) {
		fuzz_fail("spdk_nbd_start failed: %s", strerror(-rc));
	}
	*done = true;
}

static void
fuzz_bdev_init_done(void *cb_arg, int rc)
{
	bool *done = cb_arg;

	if (rc != 0) {
		fuzz_fail("spdk_bdev_initialize failed: %s", strerror(-rc));
	}
	*done = true;
}

static void
fuzz_remove_scratch(void)
{
	unlink(g_sock_path);
	rmdir(g_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct malloc_bdev_opts opts = {
		.name = FUZZ_BDEV_NAME,
		.num_blocks = FUZZ_NUM_BLOCKS,
		.block_size = FUZZ_BLOCK_SIZE,
	};
	const char *tmp = getenv("TMPDIR");
	struct spdk_bdev_opts bdev_opts;
	struct spdk_bdev *bdev;
	char path[sizeof(g_sock_path) + 16];
	bool done = false;
	int i;

	/* Set UPDK_FUZZ_LOG=1 to see the server's notices (why it hung up on a client). */
	spdk_log_set_print_level(getenv("UPDK_FUZZ_LOG") != NULL ? SPDK_LOG_INFO
								 : SPDK_LOG_DISABLED);
	if (getenv("UPDK_FUZZ_LOG") != NULL) {
		spdk_log_set_flag("nbd");
		spdk_log_set_level(SPDK_LOG_INFO);
	}
	/* A Unix socket's path has to fit in sun_path. */
	if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 64) {
		tmp = "/tmp";
	}
	snprintf(g_dir, sizeof(g_dir), "%s/updk_fuzz_nbd.XXXXXX", tmp);
	if (mkdtemp(g_dir) == NULL) {
		fuzz_fail("cannot make a scratch directory: %s", strerror(errno));
	}
	snprintf(g_sock_path, sizeof(g_sock_path), "%s/%s", g_dir, FUZZ_SOCKET_NAME);
	atexit(fuzz_remove_scratch);

	g_idle_step = spdk_get_ticks_hz() / 1000;
	if (spdk_thread_lib_init(fuzz_thread_created, 0) != 0) {
		fuzz_fail("spdk_thread_lib_init failed");
	}
	g_app_thread = spdk_thread_create("fuzz_nbd", NULL);
	if (g_app_thread == NULL) {
		fuzz_fail("cannot create the app thread");
	}
	spdk_set_thread(g_app_thread);
	/* Fewer bdev_ios than a connection may have requests in flight, so that
	 * submissions fail with -ENOMEM and wait (spdk_bdev_queue_io_wait). */
	spdk_bdev_get_opts(&bdev_opts, sizeof(bdev_opts));
	bdev_opts.bdev_io_pool_size = FUZZ_BDEV_IO_POOL;
	bdev_opts.bdev_io_cache_size = FUZZ_BDEV_IO_POOL / 8;
	if (spdk_bdev_set_opts(&bdev_opts) != 0) {
		fuzz_fail("spdk_bdev_set_opts failed");
	}
	spdk_bdev_initialize(fuzz_bdev_init_done, &done);
	fuzz_poll_until(&done, "spdk_bdev_initialize");
	if (create_malloc_disk(&bdev, &opts) != 0) {
		fuzz_fail("cannot create the malloc bdev");
	}
	snprintf(path, sizeof(path), "nbd+unix://%s", g_sock_path);
	done = false;
	spdk_nbd_start(FUZZ_BDEV_NAME, path, fuzz_start_done, &done);
	fuzz_poll_until(&done, "spdk_nbd_start");
	/* Let the export settle (channels, idle poller) before counting sockets. */
	for (i = 0; i < 100; i++) {
		fuzz_poll_round();
	}
	g_base_sockets = fuzz_scan_fds(false);
	fuzz_check_health();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t opt = size > 0 ? data[0] : 0;
	size_t chunk = g_chunk_sizes[(opt & FUZZ_OPT_CHUNK_MASK) >> FUZZ_OPT_CHUNK_SHIFT];
	bool closed;
	int fd;

	if (size > FUZZ_MAX_INPUT) {
		return -1;
	}
	if (size > 0) {
		data++;
		size--;
	}
	fuzz_heap_mark();
	fd = fuzz_connect();
	if (opt & FUZZ_OPT_GO) {
		fuzz_client_go(fd, "", "harness handshake");
	}
	closed = fuzz_feed(fd, data, size, size > 0 && (opt & FUZZ_OPT_REPEAT) ? FUZZ_REPEAT : 1,
			   chunk, (opt & FUZZ_OPT_LAZY_READER) != 0);
	fuzz_hang_up(fd, closed, "fuzz input");
	if (++g_inputs % FUZZ_HEALTH_EVERY == 0) {
		fuzz_check_health();
	}
	return 0;
}
