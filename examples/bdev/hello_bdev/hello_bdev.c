/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * hello_bdev: the smallest bdev program. The application framework creates
 * the bdev from a JSON configuration (the file given with -c, or a built-in
 * one with a 16 MiB RAM disk "Malloc0"); start_fn opens it, writes
 * "Hello World!" to its first block, reads the block back, checks it and
 * stops. Usage: hello_bdev [-c config.json] [-b bdev_name] [standard options].
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/thread.h"

#define HELLO_MESSAGE "Hello World!"

static const char g_default_config[] =
	"{\"subsystems\": [{\"subsystem\": \"bdev\", \"config\": ["
	"{\"method\": \"bdev_malloc_create\", \"params\": "
	"{\"name\": \"Malloc0\", \"num_blocks\": 32768, \"block_size\": 512}}]}]}";

static const char *g_bdev_name = "Malloc0";

/* Everything the program touches; used on the app thread only. */
struct hello_context {
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	char *buf;
	uint32_t buf_len;
	int rc;
};

static struct hello_context g_hello;

static void
hello_finish(struct hello_context *ctx, int rc)
{
	if (ctx->ch != NULL) {
		spdk_put_io_channel(ctx->ch);
		ctx->ch = NULL;
	}
	if (ctx->desc != NULL) {
		spdk_bdev_close(ctx->desc);
		ctx->desc = NULL;
	}
	spdk_dma_free(ctx->buf);
	ctx->buf = NULL;
	spdk_app_stop(rc);
}

static void
hello_read_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct hello_context *ctx = cb_arg;

	spdk_bdev_free_io(bdev_io);
	if (!success) {
		SPDK_ERRLOG("reading from bdev %s failed\n", g_bdev_name);
		hello_finish(ctx, -EIO);
		return;
	}
	printf("Read string from bdev: %s\n", ctx->buf);
	if (strcmp(ctx->buf, HELLO_MESSAGE) != 0) {
		SPDK_ERRLOG("read back '%s', expected '%s'\n", ctx->buf, HELLO_MESSAGE);
		hello_finish(ctx, -EIO);
		return;
	}
	hello_finish(ctx, 0);
}

static void
hello_write_done(struct spdk_bdev_io *bdev_io, bool success, void *cb_arg)
{
	struct hello_context *ctx = cb_arg;
	int rc;

	spdk_bdev_free_io(bdev_io);
	if (!success) {
		SPDK_ERRLOG("writing to bdev %s failed\n", g_bdev_name);
		hello_finish(ctx, -EIO);
		return;
	}
	printf("Wrote \"%s\" to bdev %s\n", HELLO_MESSAGE, g_bdev_name);
	memset(ctx->buf, 0, ctx->buf_len);
	rc = spdk_bdev_read(ctx->desc, ctx->ch, ctx->buf, 0, ctx->buf_len, hello_read_done, ctx);
	if (rc != 0) {
		SPDK_ERRLOG("cannot submit the read: %s\n", spdk_strerror(-rc));
		hello_finish(ctx, rc);
	}
}

static void
hello_bdev_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *event_ctx)
{
	/* A RAM disk that nobody deletes sends no events worth acting on here. */
}

static void
hello_start(void *arg)
{
	struct hello_context *ctx = arg;
	struct spdk_bdev *bdev;
	int rc;

	rc = spdk_bdev_open_ext(g_bdev_name, true, hello_bdev_event, NULL, &ctx->desc);
	if (rc != 0) {
		SPDK_ERRLOG("cannot open bdev %s: %s\n", g_bdev_name, spdk_strerror(-rc));
		hello_finish(ctx, rc);
		return;
	}
	ctx->ch = spdk_bdev_get_io_channel(ctx->desc);
	if (ctx->ch == NULL) {
		SPDK_ERRLOG("cannot get an I/O channel for bdev %s\n", g_bdev_name);
		hello_finish(ctx, -ENOMEM);
		return;
	}
	bdev = spdk_bdev_desc_get_bdev(ctx->desc);
	ctx->buf_len = spdk_bdev_get_block_size(bdev);
	ctx->buf = spdk_dma_zmalloc(ctx->buf_len, spdk_bdev_get_buf_align(bdev), NULL);
	if (ctx->buf == NULL || ctx->buf_len < sizeof(HELLO_MESSAGE)) {
		SPDK_ERRLOG("cannot allocate a %u-byte buffer\n", ctx->buf_len);
		hello_finish(ctx, -ENOMEM);
		return;
	}
	snprintf(ctx->buf, ctx->buf_len, "%s", HELLO_MESSAGE);
	rc = spdk_bdev_write(ctx->desc, ctx->ch, ctx->buf, 0, ctx->buf_len, hello_write_done, ctx);
	if (rc != 0) {
		SPDK_ERRLOG("cannot submit the write: %s\n", spdk_strerror(-rc));
		hello_finish(ctx, rc);
	}
}

static int
hello_parse_arg(int ch, char *arg)
{
	if (ch == 'b') {
		g_bdev_name = arg;
		return 0;
	}
	return -EINVAL;
}

static void
hello_usage(void)
{
	printf(" -b <bdev>                       name of the bdev to use (default Malloc0)\n");
}

int
main(int argc, char **argv)
{
	struct spdk_app_opts opts;
	int rc;

	spdk_app_opts_init(&opts, sizeof(opts));
	opts.name = "hello_bdev";
	opts.rpc_addr = NULL;
	opts.print_level = SPDK_LOG_WARN;
	rc = spdk_app_parse_args(argc, argv, &opts, "b:", NULL, hello_parse_arg, hello_usage);
	if (rc != SPDK_APP_PARSE_ARGS_SUCCESS) {
		return rc == SPDK_APP_PARSE_ARGS_HELP ? 0 : 1;
	}
	if (opts.json_config_file == NULL) {
		opts.json_data = (void *)(uintptr_t)g_default_config;
		opts.json_data_size = sizeof(g_default_config) - 1;
	}
	rc = spdk_app_start(&opts, hello_start, &g_hello);
	spdk_app_fini();
	return rc == 0 ? 0 : 1;
}
