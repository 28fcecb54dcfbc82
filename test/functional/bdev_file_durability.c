/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Durability of the uring and aio bdev modules through the application
 * framework: a child process starts an SPDK app from a JSON config that
 * creates a uring bdev and an aio bdev (bdev_uring_create, bdev_aio_create),
 * writes a pattern to both, flushes, reports "flushed" through a pipe and
 * waits; the parent kills it with SIGKILL, then starts the app again from the
 * same config file and reads the pattern back. Exits 0 when the pattern is
 * intact, 1 on failure, 77 when the environment cannot run it.
 */

#include "spdk/stdinc.h"

#include <sys/wait.h>

#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/util.h"

#define FILE_SIZE (32 * 1024 * 1024)
#define CHUNK (256 * 1024)
#define NCHUNKS 16

static const char *g_bdevs[] = {"Durable_uring", "Durable_aio"};

/* The one state of the app run (write or verify). */
static struct {
	bool verify;
	int report_fd;
	int rc;
	uint32_t bdev_idx;
	uint32_t chunk;
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	uint8_t *buf;
	uint8_t *expect;
} g;

static void
pattern(uint8_t *buf, uint32_t bdev_idx, uint32_t chunk)
{
	uint64_t i;

	for (i = 0; i < CHUNK; i += 8) {
		uint64_t v = ((uint64_t)bdev_idx << 56) ^ ((uint64_t)chunk << 32) ^ i ^
			     0x5a5aa5a5f00dULL;

		memcpy(buf + i, &v, 8);
	}
}

static uint64_t
chunk_offset(uint32_t chunk)
{
	/* Spread over the file, not block aligned to the chunk size. */
	return (uint64_t)chunk * (FILE_SIZE / NCHUNKS) + 4096ULL * (chunk % 5);
}

static void next_step(void);

static void
event_cb(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
}

static void
finish(int rc)
{
	if (g.ch != NULL) {
		spdk_put_io_channel(g.ch);
		g.ch = NULL;
	}
	if (g.desc != NULL) {
		spdk_bdev_close(g.desc);
		g.desc = NULL;
	}
	spdk_app_stop(rc);
}

static void
io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	spdk_bdev_free_io(bdev_io);
	if (!success) {
		fprintf(stderr, "%s: I/O %u failed\n", g_bdevs[g.bdev_idx], g.chunk);
		finish(1);
		return;
	}
	if (g.verify && g.chunk < NCHUNKS) {
		pattern(g.expect, g.bdev_idx, g.chunk);
		if (memcmp(g.buf, g.expect, CHUNK) != 0) {
			fprintf(stderr, "%s: chunk %u differs after the restart\n",
				g_bdevs[g.bdev_idx], g.chunk);
			finish(1);
			return;
		}
	}
	g.chunk++;
	next_step();
}

/* Per bdev: NCHUNKS writes (or reads) one after the other, then a flush. */
static void
next_step(void)
{
	int rc;

	if (g.chunk == NCHUNKS + 1 || (g.verify && g.chunk == NCHUNKS)) {
		spdk_put_io_channel(g.ch);
		g.ch = NULL;
		spdk_bdev_close(g.desc);
		g.desc = NULL;
		g.bdev_idx++;
		g.chunk = 0;
	}
	if (g.bdev_idx == SPDK_COUNTOF(g_bdevs)) {
		if (g.verify) {
			finish(0);
			return;
		}
		/* Everything is flushed: tell the parent, which kills us now. */
		if (write(g.report_fd, "flushed\n", 8) != 8) {
			finish(1);
		}
		return;
	}
	if (g.desc == NULL) {
		rc = spdk_bdev_open_ext(g_bdevs[g.bdev_idx], !g.verify, event_cb, NULL, &g.desc);
		if (rc != 0) {
			fprintf(stderr, "cannot open %s: %d\n", g_bdevs[g.bdev_idx], rc);
			finish(1);
			return;
		}
		g.ch = spdk_bdev_get_io_channel(g.desc);
	}
	if (g.chunk == NCHUNKS) {
		rc = spdk_bdev_flush(g.desc, g.ch, 0, FILE_SIZE, io_done, NULL);
	} else if (g.verify) {
		rc = spdk_bdev_read(g.desc, g.ch, g.buf, chunk_offset(g.chunk), CHUNK, io_done,
				    NULL);
	} else {
		pattern(g.buf, g.bdev_idx, g.chunk);
		rc = spdk_bdev_write(g.desc, g.ch, g.buf, chunk_offset(g.chunk), CHUNK, io_done,
				     NULL);
	}
	if (rc != 0) {
		fprintf(stderr, "%s: submit failed: %d\n", g_bdevs[g.bdev_idx], rc);
		finish(1);
	}
}

static void
app_started(void *arg)
{
	g.buf = spdk_dma_zmalloc(CHUNK, 4096, NULL);
	g.expect = spdk_dma_zmalloc(CHUNK, 4096, NULL);
	if (g.buf == NULL || g.expect == NULL) {
		finish(1);
		return;
	}
	next_step();
}

static int
run_app(const char *config, bool verify, int report_fd)
{
	struct spdk_app_opts opts;
	int rc;

	spdk_app_opts_init(&opts, sizeof(opts));
	opts.name = verify ? "durability_verify" : "durability_write";
	opts.json_config_file = config;
	opts.rpc_addr = NULL;
	opts.reactor_mask = "0x1";
	g.verify = verify;
	g.report_fd = report_fd;
	rc = spdk_app_start(&opts, app_started, NULL);
	spdk_app_fini();
	spdk_dma_free(g.buf);
	spdk_dma_free(g.expect);
	return rc;
}

int
main(int argc, char **argv)
{
	char dir[] = "/var/tmp/updk_durability_XXXXXX";
	char config[512], files[2][300], line[16];
	int pipefd[2], status, rc;
	FILE *f;
	pid_t pid;
	ssize_t n;
	size_t i;

	if (mkdtemp(dir) == NULL) {
		return 77;
	}
	for (i = 0; i < 2; i++) {
		snprintf(files[i], sizeof(files[i]), "%s/disk%zu.img", dir, i);
		if (truncate(files[i], FILE_SIZE) != 0) {
			int fd = open(files[i], O_CREAT | O_RDWR, 0600);

			if (fd < 0 || ftruncate(fd, FILE_SIZE) != 0) {
				return 77;
			}
			close(fd);
		}
	}
	snprintf(config, sizeof(config), "%s/config.json", dir);
	f = fopen(config, "w");
	if (f == NULL) {
		return 77;
	}
	fprintf(f,
		"{\"subsystems\": [{\"subsystem\": \"bdev\", \"config\": [\n"
		"  {\"method\": \"bdev_uring_create\", \"params\": {\"name\": \"%s\", "
		"\"filename\": \"%s\"}},\n"
		"  {\"method\": \"bdev_aio_create\", \"params\": {\"name\": \"%s\", "
		"\"filename\": \"%s\", \"fallocate\": true}}\n]}]}\n",
		g_bdevs[0], files[0], g_bdevs[1], files[1]);
	fclose(f);

	if (pipe(pipefd) != 0) {
		return 77;
	}
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		close(pipefd[0]);
		rc = run_app(config, false, pipefd[1]);
		/* Only reached when writing failed: the parent kills us otherwise. */
		_exit(rc == 0 ? 3 : 1);
	}
	close(pipefd[1]);
	n = read(pipefd[0], line, sizeof(line) - 1);
	if (n != 8 || memcmp(line, "flushed\n", 8) != 0) {
		fprintf(stderr, "FAIL: the writer did not finish (read %zd)\n", n);
		kill(pid, SIGKILL);
		waitpid(pid, &status, 0);
		return 1;
	}
	kill(pid, SIGKILL);
	if (waitpid(pid, &status, 0) != pid || !WIFSIGNALED(status)) {
		fprintf(stderr, "FAIL: the writer was not killed\n");
		return 1;
	}
	printf("writer killed with SIGKILL after the flush; restarting from %s\n", config);

	rc = run_app(config, true, -1);
	for (i = 0; i < 2; i++) {
		unlink(files[i]);
	}
	unlink(config);
	rmdir(dir);
	if (rc != 0) {
		printf("FAIL: pattern not intact after kill -9 and restart (rc %d)\n", rc);
		return 1;
	}
	printf("ok: the pattern survived kill -9 on the uring and the aio bdev\n");
	return 0;
}
