/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The virtual bdevs (error, delay, passthru) under test, in two parts.
 *
 * First their life cycle, table-driven over the three modules, on one app
 * thread polled from main(): a bdev created before its base waits for it
 * (and save_config lists it), duplicates are refused with -EEXIST, the bdev
 * appears and serves I/O when its base registers, goes with a hot-removed
 * base and comes back (same UUID) when the base registers again, a delete
 * forgets it (also while it waits), and an error bdev on a passthru bdev on
 * a missing base builds up, goes and comes back in one go.
 *
 * Then the bdev suite (../bdev_suite.h: data verification, vectored I/O,
 * boundaries, unmap, write zeroes, flush and reset under load, from several
 * pthreads) against an error bdev with nothing injected, a delay bdev with
 * small latencies and a passthru bdev, each over its own malloc base: each
 * module once created on an existing base and once created before its base
 * (the base then registers and the bdev appears). Each row deletes the
 * virtual bdev, then its base.
 *
 * Usage: vbdev_suite [seed]. Exit status 0 when every check passed, 1 otherwise.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/env.h"
#include "spdk/json.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "updk/bdev_delay.h"
#include "updk/bdev_error.h"
#include "updk/bdev_malloc.h"
#include "updk/bdev_passthru.h"

#include "../bdev_suite.h"

#define CAPS_VBDEV                                                                            \
	(SUITE_CAP_DATA | SUITE_CAP_UNMAP | SUITE_CAP_UNMAP_ZEROES | SUITE_CAP_WRITE_ZEROES | \
	 SUITE_CAP_FLUSH | SUITE_CAP_RESET | SUITE_CAP_ZEROED)

enum vbdev_kind {
	KIND_ERROR,
	KIND_DELAY,
	KIND_PASSTHRU
};

struct vbdev_row_ctx {
	enum vbdev_kind kind;
	const char *base;
	/* Create the virtual bdev first; it appears when the base registers. */
	bool base_last;
};

static int
vbdev_kind_create(enum vbdev_kind kind, const char *base, const char *name,
		  const struct spdk_uuid *uuid)
{
	switch (kind) {
	case KIND_ERROR:
		return vbdev_error_create(base, uuid);
	case KIND_DELAY:
		return create_delay_disk(base, name, uuid, 20, 200, 30, 300);
	case KIND_PASSTHRU:
		return bdev_passthru_create_disk(base, name, uuid);
	}
	return -EINVAL;
}

static void
vbdev_kind_delete(enum vbdev_kind kind, const char *name, spdk_bdev_unregister_cb cb_fn,
		  void *cb_arg)
{
	switch (kind) {
	case KIND_ERROR:
		vbdev_error_delete(name, cb_fn, cb_arg);
		break;
	case KIND_DELAY:
		delete_delay_disk(name, cb_fn, cb_arg);
		break;
	case KIND_PASSTHRU:
		bdev_passthru_delete_disk(name, cb_fn, cb_arg);
		break;
	}
}

static int
vbdev_base_create(const char *name, uint64_t num_blocks, uint32_t block_size)
{
	struct malloc_bdev_opts opts;
	struct spdk_bdev *base;

	memset(&opts, 0, sizeof(opts));
	opts.name = (char *)name;
	opts.num_blocks = num_blocks;
	opts.block_size = block_size;
	return create_malloc_disk(&base, &opts);
}

static int
vbdev_row_create(const struct bdev_suite_row *row, struct spdk_bdev **bdev)
{
	const struct vbdev_row_ctx *ctx = row->ctx;
	int rc;

	if (ctx->base_last) {
		rc = vbdev_kind_create(ctx->kind, ctx->base, row->name, NULL);
		if (rc != 0) {
			return rc;
		}
		if (spdk_bdev_get_by_name(row->name) != NULL) {
			fprintf(stderr, "%s exists before its base %s\n", row->name, ctx->base);
			return -EEXIST;
		}
		rc = vbdev_base_create(ctx->base, row->num_blocks, row->block_size);
		if (rc != 0) {
			vbdev_kind_delete(ctx->kind, row->name, NULL, NULL);
			return rc;
		}
	} else {
		rc = vbdev_base_create(ctx->base, row->num_blocks, row->block_size);
		if (rc != 0) {
			return rc;
		}
		rc = vbdev_kind_create(ctx->kind, ctx->base, row->name, NULL);
		if (rc != 0) {
			delete_malloc_disk(ctx->base, NULL, NULL);
			return rc;
		}
	}
	*bdev = spdk_bdev_get_by_name(row->name);
	return *bdev != NULL ? 0 : -ENODEV;
}

struct vbdev_destroy {
	const struct vbdev_row_ctx *ctx;
	bdev_suite_destroy_cb cb;
	void *cb_arg;
	int rc;
};

static void
vbdev_base_deleted(void *arg, int rc)
{
	struct vbdev_destroy *d = arg;

	d->cb(d->cb_arg, d->rc != 0 ? d->rc : rc);
	free(d);
}

static void
vbdev_top_deleted(void *arg, int rc)
{
	struct vbdev_destroy *d = arg;

	d->rc = rc;
	delete_malloc_disk(d->ctx->base, vbdev_base_deleted, d);
}

static void
vbdev_row_destroy(const struct bdev_suite_row *row, struct spdk_bdev *bdev,
		  bdev_suite_destroy_cb cb, void *cb_arg)
{
	struct vbdev_destroy *d = calloc(1, sizeof(*d));

	if (d == NULL) {
		cb(cb_arg, -ENOMEM);
		return;
	}
	d->ctx = row->ctx;
	d->cb = cb;
	d->cb_arg = cb_arg;
	vbdev_kind_delete(d->ctx->kind, row->name, vbdev_top_deleted, d);
}

static struct vbdev_row_ctx g_error_ctx = {KIND_ERROR, "err_base", false};
static struct vbdev_row_ctx g_delay_ctx = {KIND_DELAY, "delay_base", false};
static struct vbdev_row_ctx g_passthru_ctx = {KIND_PASSTHRU, "pt_base", false};
static struct vbdev_row_ctx g_error_late_ctx = {KIND_ERROR, "err_late", true};
static struct vbdev_row_ctx g_delay_late_ctx = {KIND_DELAY, "dl_late_base", true};
static struct vbdev_row_ctx g_passthru_late_ctx = {KIND_PASSTHRU, "pt_late", true};

/* One row; random_ops 0 takes the suite's default. */
#define VBDEV_ROW(row_name, bs, blocks, ops, row_ctx)                                          \
	{                                                                                      \
		.name = row_name, .create = vbdev_row_create, .destroy = vbdev_row_destroy,    \
		.caps = CAPS_VBDEV, .block_size = bs, .num_blocks = blocks, .random_ops = ops, \
		.ctx = row_ctx                                                                 \
	}

static const struct bdev_suite_row g_rows[] = {
	VBDEV_ROW("EE_err_base", 512, 8192, 0, &g_error_ctx),
	VBDEV_ROW("delay0", 4096, 2048, 4000, &g_delay_ctx),
	VBDEV_ROW("passthru0", 4096, 2048, 0, &g_passthru_ctx),
	VBDEV_ROW("EE_err_late", 4096, 2048, 4000, &g_error_late_ctx),
	VBDEV_ROW("delay_late", 512, 8192, 4000, &g_delay_late_ctx),
	VBDEV_ROW("passthru_late", 4096, 2048, 4000, &g_passthru_late_ctx),
};

/* ---------------------------------------------------------------------- */
/* Life cycle                                                              */
/* ---------------------------------------------------------------------- */

#define LC_BLOCK_SIZE 512
#define LC_NUM_BLOCKS 1024
/* Bound of every wait; each takes a few polls. */
#define LC_WAIT_SEC 10

/* One module's names in the life cycle checks. */
struct lc_kind {
	enum vbdev_kind kind;
	/* Name of the virtual bdev (the error module derives it from the base). */
	const char *name;
	const char *base;
	/* Its create method and base parameter, as save_config writes them. */
	const char *method;
	const char *base_key;
};

static const struct lc_kind g_lc_kinds[] = {
	{KIND_ERROR, "EE_lcb_error", "lcb_error", "bdev_error_create", "base_name"},
	{KIND_DELAY, "lc_delay", "lcb_delay", "bdev_delay_create", "base_bdev_name"},
	{KIND_PASSTHRU, "lc_passthru", "lcb_passthru", "bdev_passthru_create", "base_bdev_name"},
};

static struct spdk_thread *g_lc_thread;
static unsigned int g_lc_passed, g_lc_failed;

struct lc_wait {
	bool done;
	int rc;
};

static bool __attribute__((format(printf, 2, 3))) lc_check(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s ", ok ? "ok  " : "FAIL");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (ok) {
		g_lc_passed++;
	} else {
		g_lc_failed++;
	}
	return ok;
}

/* Poll the app thread until \p w is done. A wait that never ends would leave
 * a callback pointing into a dead stack frame, so it ends the program. */
static void
lc_wait_for(struct lc_wait *w, const char *what)
{
	uint64_t end = spdk_get_ticks() + LC_WAIT_SEC * spdk_get_ticks_hz();

	while (!w->done) {
		spdk_thread_poll(g_lc_thread, 0, 0);
		if (spdk_get_ticks() > end) {
			printf("FAIL %s: no answer within %d s\n", what, LC_WAIT_SEC);
			exit(1);
		}
	}
}

/* Let released channels and other messages go through. */
static void
lc_drain(void)
{
	int i;

	for (i = 0; i < 1000 && spdk_thread_poll(g_lc_thread, 0, 0) != 0; i++) {
	}
}

static void
lc_done(void *arg, int rc)
{
	struct lc_wait *w = arg;

	w->rc = rc;
	w->done = true;
}

static void
lc_done_no_rc(void *arg)
{
	lc_done(arg, 0);
}

static void
lc_io_done(struct spdk_bdev_io *bdev_io, bool success, void *arg)
{
	spdk_bdev_free_io(bdev_io);
	lc_done(arg, success ? 0 : -EIO);
}

static void
lc_event(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
}

/* 0 when \p name opens for writing, -EPERM when it is claimed. */
static int
lc_open_write(const char *name)
{
	struct spdk_bdev_desc *desc;
	int rc;

	rc = spdk_bdev_open_ext(name, true, lc_event, NULL, &desc);
	if (rc == 0) {
		spdk_bdev_close(desc);
	}
	return rc;
}

/* Write a pattern to \p name and read it back. */
static bool
lc_io_works(const char *name, uint8_t pattern)
{
	size_t len = 4 * LC_BLOCK_SIZE, i;
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	struct lc_wait w;
	uint8_t *buf = NULL;
	bool ok = false;

	if (spdk_bdev_open_ext(name, true, lc_event, NULL, &desc) != 0) {
		return false;
	}
	ch = spdk_bdev_get_io_channel(desc);
	buf = spdk_dma_zmalloc(len, 4096, NULL);
	if (ch == NULL || buf == NULL) {
		goto out;
	}
	memset(buf, pattern, len);
	w = (struct lc_wait){0};
	if (spdk_bdev_write_blocks(desc, ch, buf, 8, 4, lc_io_done, &w) != 0) {
		goto out;
	}
	lc_wait_for(&w, "write");
	if (w.rc != 0) {
		goto out;
	}
	memset(buf, 0, len);
	w = (struct lc_wait){0};
	if (spdk_bdev_read_blocks(desc, ch, buf, 8, 4, lc_io_done, &w) != 0) {
		goto out;
	}
	lc_wait_for(&w, "read");
	ok = w.rc == 0;
	for (i = 0; ok && i < len; i++) {
		ok = buf[i] == pattern;
	}
out:
	spdk_dma_free(buf);
	if (ch != NULL) {
		spdk_put_io_channel(ch);
	}
	spdk_bdev_close(desc);
	lc_drain();
	return ok;
}

struct lc_json {
	char text[64 * 1024];
	size_t len;
};

static int
lc_json_write(void *cb_ctx, const void *data, size_t size)
{
	struct lc_json *j = cb_ctx;

	if (j->len + size >= sizeof(j->text)) {
		return -ENOSPC;
	}
	memcpy(j->text + j->len, data, size);
	j->len += size;
	j->text[j->len] = '\0';
	return 0;
}

/* Whether save_config's bdev section has the create method of \p k. */
static bool
lc_config_has(const struct lc_kind *k)
{
	static struct lc_json j;
	struct spdk_json_write_ctx *w;
	char needle[160];

	j.len = 0;
	j.text[0] = '\0';
	w = spdk_json_write_begin(lc_json_write, &j, 0);
	if (w == NULL) {
		return false;
	}
	spdk_bdev_subsystem_config_json(w);
	if (spdk_json_write_end(w) != 0) {
		return false;
	}
	snprintf(needle, sizeof(needle), "\"method\":\"%s\",\"params\":{\"%s\":\"%s\"", k->method,
		 k->base_key, k->base);
	return strstr(j.text, needle) != NULL;
}

static int
lc_delete_base(const char *name)
{
	struct lc_wait w = {0};

	delete_malloc_disk(name, lc_done, &w);
	lc_wait_for(&w, "delete_malloc_disk");
	lc_drain();
	return w.rc;
}

static int
lc_delete(enum vbdev_kind kind, const char *name)
{
	struct lc_wait w = {0};

	vbdev_kind_delete(kind, name, lc_done, &w);
	lc_wait_for(&w, "delete");
	lc_drain();
	return w.rc;
}

static bool
lc_examined(void)
{
	struct lc_wait w = {0};

	if (spdk_bdev_wait_for_examine(lc_done_no_rc, &w) != 0) {
		return false;
	}
	lc_wait_for(&w, "spdk_bdev_wait_for_examine");
	return true;
}

static void
lc_run_kind(const struct lc_kind *k, const struct lc_kind *other)
{
	struct spdk_uuid uuid = {0};
	struct spdk_bdev *bdev;
	int rc;

	/* Created before its base: it waits, and save_config lists it. */
	rc = vbdev_kind_create(k->kind, k->base, k->name, NULL);
	lc_check(rc == 0, "%s: create before its base returns 0 (got %d)", k->name, rc);
	lc_check(spdk_bdev_get_by_name(k->name) == NULL, "%s: no bdev while its base is missing",
		 k->name);
	lc_check(lc_config_has(k), "%s: save_config lists it while it waits", k->name);

	/* Duplicates, while it waits. */
	rc = vbdev_kind_create(k->kind, k->base, k->name, NULL);
	lc_check(rc == -EEXIST, "%s: a second create is refused with -EEXIST (got %d)", k->name,
		 rc);
	rc = vbdev_kind_create(other->kind, k->base, "lc_dup", NULL);
	lc_check(rc == -EEXIST, "%s: a %s bdev on the same base is refused (got %d)", k->name,
		 other->method, rc);
	if (k->kind != KIND_ERROR) {
		rc = vbdev_kind_create(k->kind, "lc_other_base", k->name, NULL);
		lc_check(rc == -EEXIST, "%s: the same name on another base is refused (got %d)",
			 k->name, rc);
		rc = vbdev_kind_create(k->kind, "lc_other_base", "lc_taken", NULL);
		lc_check(rc == -EEXIST, "%s: the name of an existing bdev is refused (got %d)",
			 k->name, rc);
	}

	/* The base registers: the bdev appears on it and serves I/O. */
	rc = vbdev_base_create(k->base, LC_NUM_BLOCKS, LC_BLOCK_SIZE);
	bdev = spdk_bdev_get_by_name(k->name);
	lc_check(rc == 0 && bdev != NULL, "%s: appears when its base registers", k->name);
	lc_check(lc_examined(), "%s: examination of the base finishes", k->name);
	lc_check(lc_open_write(k->base) == -EPERM, "%s: its base is claimed", k->name);
	lc_check(lc_io_works(k->name, 0x5a), "%s: serves I/O", k->name);
	if (bdev != NULL) {
		spdk_uuid_copy(&uuid, spdk_bdev_get_uuid(bdev));
	}
	rc = vbdev_kind_create(k->kind, k->base, k->name, NULL);
	lc_check(rc == -EEXIST, "%s: a second create of the registered bdev is refused (got %d)",
		 k->name, rc);

	/* The base is hot-removed: the bdev goes, and comes back with the base. */
	rc = lc_delete_base(k->base);
	lc_check(rc == 0 && spdk_bdev_get_by_name(k->name) == NULL,
		 "%s: goes when its base is removed (rc %d)", k->name, rc);
	lc_check(lc_config_has(k), "%s: save_config still lists it", k->name);
	rc = vbdev_base_create(k->base, LC_NUM_BLOCKS, LC_BLOCK_SIZE);
	bdev = spdk_bdev_get_by_name(k->name);
	lc_check(rc == 0 && bdev != NULL, "%s: comes back when its base registers again", k->name);
	lc_check(bdev != NULL && spdk_uuid_compare(spdk_bdev_get_uuid(bdev), &uuid) == 0,
		 "%s: comes back with its UUID", k->name);
	lc_check(lc_io_works(k->name, 0xa5), "%s: serves I/O again", k->name);

	/* A delete forgets it: the base is free, and it does not come back. */
	rc = lc_delete(k->kind, k->name);
	lc_check(rc == 0 && spdk_bdev_get_by_name(k->name) == NULL, "%s: deleted (rc %d)", k->name,
		 rc);
	lc_check(lc_open_write(k->base) == 0, "%s: its base is released", k->name);
	lc_check(!lc_config_has(k), "%s: save_config no longer lists it", k->name);
	lc_delete_base(k->base);
	vbdev_base_create(k->base, LC_NUM_BLOCKS, LC_BLOCK_SIZE);
	lc_check(spdk_bdev_get_by_name(k->name) == NULL,
		 "%s: stays deleted when its base registers again", k->name);
	lc_delete_base(k->base);

	/* Deleted while it waits: nothing appears with the base. */
	rc = vbdev_kind_create(k->kind, k->base, k->name, NULL);
	lc_check(rc == 0, "%s: created again before its base (got %d)", k->name, rc);
	rc = lc_delete(k->kind, k->name);
	lc_check(rc == 0, "%s: deleted while it waits (rc %d)", k->name, rc);
	lc_check(!lc_config_has(k), "%s: save_config forgets it", k->name);
	vbdev_base_create(k->base, LC_NUM_BLOCKS, LC_BLOCK_SIZE);
	lc_check(spdk_bdev_get_by_name(k->name) == NULL && lc_open_write(k->base) == 0,
		 "%s: does not appear with its base after the delete", k->name);
	lc_delete_base(k->base);

	rc = lc_delete(k->kind, "lc_nosuch");
	lc_check(rc == -ENODEV, "%s: deleting an unknown name gives -ENODEV (got %d)", k->name, rc);
}

/* An error bdev on a passthru bdev, both created top down before the base:
 * the base's arrival builds the stack, and it goes and comes back with it. */
static void
lc_run_stacked(void)
{
	int rc;

	rc = vbdev_error_create("lc_stack_pt", NULL);
	rc = rc != 0 ? rc : bdev_passthru_create_disk("lc_stack_base", "lc_stack_pt", NULL);
	lc_check(rc == 0, "stack: error bdev, then passthru bdev, before the base (rc %d)", rc);
	rc = vbdev_base_create("lc_stack_base", LC_NUM_BLOCKS, LC_BLOCK_SIZE);
	lc_check(rc == 0 && spdk_bdev_get_by_name("lc_stack_pt") != NULL &&
			 spdk_bdev_get_by_name("EE_lc_stack_pt") != NULL,
		 "stack: both appear when the base registers");
	lc_check(lc_io_works("EE_lc_stack_pt", 0x3c), "stack: the top serves I/O");
	lc_delete_base("lc_stack_base");
	lc_check(spdk_bdev_get_by_name("lc_stack_pt") == NULL &&
			 spdk_bdev_get_by_name("EE_lc_stack_pt") == NULL,
		 "stack: both go with the base");
	vbdev_base_create("lc_stack_base", LC_NUM_BLOCKS, LC_BLOCK_SIZE);
	lc_check(spdk_bdev_get_by_name("EE_lc_stack_pt") != NULL &&
			 lc_io_works("EE_lc_stack_pt", 0xc3),
		 "stack: both come back with the base");
	rc = lc_delete(KIND_ERROR, "EE_lc_stack_pt");
	rc = rc != 0 ? rc : lc_delete(KIND_PASSTHRU, "lc_stack_pt");
	rc = rc != 0 ? rc : lc_delete_base("lc_stack_base");
	lc_check(rc == 0 && spdk_bdev_get_by_name("lc_stack_base") == NULL,
		 "stack: deleted top down (rc %d)", rc);
}

static void
lc_bdev_initialized(void *arg, int rc)
{
	lc_done(arg, rc);
}

/* \return 0 when every life cycle check passed, 1 otherwise. */
static int
lc_run(void)
{
	struct lc_wait w = {0};
	size_t i;
	int rc;

	if (spdk_thread_lib_init(NULL, 0) != 0 ||
	    (g_lc_thread = spdk_thread_create("lc_app", NULL)) == NULL) {
		printf("FAIL life cycle: no app thread\n");
		return 1;
	}
	spdk_set_thread(g_lc_thread);
	spdk_bdev_initialize(lc_bdev_initialized, &w);
	lc_wait_for(&w, "spdk_bdev_initialize");
	if (!lc_check(w.rc == 0, "bdev layer initialised (rc %d)", w.rc)) {
		return 1;
	}
	rc = vbdev_base_create("lc_taken", LC_NUM_BLOCKS, LC_BLOCK_SIZE);
	lc_check(rc == 0, "bdev lc_taken created (rc %d)", rc);

	for (i = 0; i < SPDK_COUNTOF(g_lc_kinds); i++) {
		lc_run_kind(&g_lc_kinds[i], &g_lc_kinds[(i + 1) % SPDK_COUNTOF(g_lc_kinds)]);
	}
	lc_run_stacked();
	lc_delete_base("lc_taken");

	/* One left waiting: the module frees it at shutdown (sanitizers see a leak otherwise). */
	rc = bdev_passthru_create_disk("lc_never", "lc_left", NULL);
	lc_check(rc == 0, "a bdev left waiting for a base that never comes (rc %d)", rc);

	w = (struct lc_wait){0};
	spdk_bdev_finish(lc_done_no_rc, &w);
	lc_wait_for(&w, "spdk_bdev_finish");
	spdk_thread_exit(g_lc_thread);
	spdk_set_thread(NULL);
	while (!spdk_thread_is_exited(g_lc_thread)) {
		spdk_thread_poll(g_lc_thread, 0, 0);
	}
	spdk_thread_destroy(g_lc_thread);
	spdk_thread_lib_fini();
	printf("life cycle: %u passed, %u failed\n", g_lc_passed, g_lc_failed);
	return g_lc_failed > 0 ? 1 : 0;
}

int
main(int argc, char **argv)
{
	struct bdev_suite_opts opts;
	char *end;
	int rc;

	memset(&opts, 0, sizeof(opts));
	if (argc > 1) {
		errno = 0;
		opts.seed = strtoull(argv[1], &end, 0);
		if (errno != 0 || *end != '\0') {
			fprintf(stderr, "usage: %s [seed]\n", argv[0]);
			return 1;
		}
	}
	rc = lc_run();
	return bdev_suite_run(g_rows, SPDK_COUNTOF(g_rows), &opts) == 0 && rc == 0 ? 0 : 1;
}
