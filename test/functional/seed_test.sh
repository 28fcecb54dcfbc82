#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright (C) 2026 the updk authors.
#
# The seed test: the two C code blocks of the seed note (shared/seed/*.txt,
# next to the repository) are extracted verbatim at test time and compiled,
# unmodified, against the INSTALLED headers and library (cmake --install into
# a temporary prefix, then cc with pkg-config), with only what the seed leaves
# to its user: a prelude that defines struct io_request and declares
# perform_io_operations(), and a driver appended after the blocks. The driver
# starts the bdev layer, creates a malloc bdev, runs init_device_context() and
# read_from_device() on the app thread, then init_shared_device() once and, on
# three pthreads each polling its own spdk_thread, start_io_worker() (whose
# poller reads through perform_io_operations()), get_my_channel() and
# cleanup_thread_channels(), stop_io_worker(), and finally tears everything
# down. The seed relies on things SPDK's headers do not give it (spdk/io_channel.h,
# atomic_int without <stdatomic.h>, spdk_strerror() without spdk/string.h, a
# NULL event callback); updk provides them, and the prelude deliberately
# includes nothing but <stdbool.h>.
#
# Usage: seed_test.sh <build dir> <source dir>
# Exit status: 0 pass, 1 fail, 77 skip (no seed directory).

set -uo pipefail

build_dir=${1:?usage: seed_test.sh <build dir> <source dir>}
src_dir=${2:?usage: seed_test.sh <build dir> <source dir>}

top=$(git -C "$src_dir" rev-parse --show-toplevel 2>/dev/null || echo "$src_dir")
seed_dir="$top/../shared/seed"
if [ ! -d "$seed_dir" ]; then
	echo "SKIP: no seed directory at $seed_dir"
	exit 77
fi
shopt -s nullglob
seeds=("$seed_dir"/*.txt)
if [ ${#seeds[@]} -eq 0 ]; then
	echo "SKIP: no seed note in $seed_dir"
	exit 77
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() {
	echo "FAIL: $*"
	echo "0 passed, 1 failed"
	exit 1
}

# Blocks opened by a line that is exactly ```c, closed by a line that is ```.
nblocks=0
for f in "${seeds[@]}"; do
	n=$(grep -c '^```c[[:space:]]*$' "$f")
	if [ "$n" -gt 0 ]; then
		seed="$f"
		nblocks=$n
		break
	fi
done
[ "$nblocks" -eq 2 ] || fail "expected 2 C code blocks in the seed, found $nblocks"
awk '/^```c[[:space:]]*$/ { inside = 1; n++; print "/* ---- seed block " n " ---- */"; next }
     /^```[[:space:]]*$/ { inside = 0; next }
     inside { print }' "$seed" > "$work/blocks.c"
[ -s "$work/blocks.c" ] || fail "extracted nothing from $seed"

cat > "$work/prelude.c" <<'EOF'
/* Prelude written by seed_test.sh: what the seed leaves to its user. */
#include <stdbool.h>

struct io_request {
	int status;
	bool completed;
	void (*completion_cb)(void *cb_ctx, int status);
	void *cb_ctx;
};

struct per_thread_device;
static bool perform_io_operations(struct per_thread_device *dev);
EOF

cat > "$work/driver.c" <<'EOF'
/* ---- driver written by seed_test.sh ---- */
#include <pthread.h>
#include <stdio.h>
#include "spdk/env.h"
#include "updk/bdev_malloc.h"

#define SEED_BDEV		"SeedMalloc"
#define SEED_BLOCK		512
#define SEED_BLOCKS		8192
#define SEED_PTHREADS		3
#define SEED_QD			8
#define SEED_READS		2000
#define SEED_IO_BYTES		4096

/* One worker pthread's state, touched only by that pthread. */
struct seed_worker {
	pthread_t tid;
	struct spdk_thread *thread;
	struct io_worker worker;
	struct io_request reqs[SEED_QD];
	bool busy[SEED_QD];
	void *bufs[SEED_QD];
	uint32_t submitted;
	uint32_t completed;
	uint32_t failed;
	uint32_t channel_checks_failed;
	uint32_t index;
};

static struct shared_device g_shared;
static atomic_int g_seed_finished;
static struct seed_worker g_seed_workers[SEED_PTHREADS];
static __thread struct seed_worker *g_me;

static void
seed_req_done(void *cb_ctx, int status)
{
	struct seed_worker *w = g_me;
	int slot = (int)(intptr_t)cb_ctx;

	w->busy[slot] = false;
	w->completed++;
	if (status != 0) {
		w->failed++;
	}
}

/* What the seed leaves to its user: issue a read through read_from_device(). */
static bool
perform_io_operations(struct per_thread_device *dev)
{
	struct seed_worker *w = g_me;
	struct device_context ctx;
	uint64_t offset;
	int slot, rc;

	if (w->submitted >= SEED_READS) {
		return false;
	}
	for (slot = 0; slot < SEED_QD; slot++) {
		if (!w->busy[slot]) {
			break;
		}
	}
	if (slot == SEED_QD) {
		return false;
	}
	memset(&ctx, 0, sizeof(ctx));
	ctx.desc = dev->shared->desc;
	ctx.ch = dev->ch;
	ctx.channel_valid = true;
	memset(&w->reqs[slot], 0, sizeof(w->reqs[slot]));
	w->reqs[slot].completion_cb = seed_req_done;
	w->reqs[slot].cb_ctx = (void *)(intptr_t)slot;
	offset = ((uint64_t)(w->submitted * 7 + w->index) % (SEED_BLOCKS / 8)) * SEED_IO_BYTES;
	rc = read_from_device(&ctx, w->bufs[slot], offset, SEED_IO_BYTES, io_complete,
			      &w->reqs[slot]);
	if (rc != 0) {
		return false;
	}
	w->busy[slot] = true;
	w->submitted++;
	return true;
}

static void *
seed_pthread(void *arg)
{
	struct seed_worker *w = arg;
	struct spdk_io_channel *mine;
	char name[32];
	int i;

	g_me = w;
	snprintf(name, sizeof(name), "seed%u", w->index);
	w->thread = spdk_thread_create(name, NULL);
	if (w->thread == NULL) {
		w->failed++;
		atomic_fetch_add(&g_seed_finished, 1);
		return NULL;
	}
	spdk_set_thread(w->thread);
	for (i = 0; i < SEED_QD; i++) {
		w->bufs[i] = spdk_dma_zmalloc(SEED_IO_BYTES, 4096, NULL);
	}
	if (start_io_worker(&w->worker, &g_shared) != 0) {
		w->failed++;
		goto out;
	}
	/* One channel per thread per bdev: the seed's thread-local channel is the
	 * worker's channel, with one more reference. */
	mine = get_my_channel(g_shared.desc);
	if (mine != w->worker.device->ch || get_my_channel(g_shared.desc) != mine) {
		w->channel_checks_failed++;
	}
	while (w->completed < SEED_READS) {
		spdk_thread_poll(w->thread, 0, 0);
	}
	stop_io_worker(&w->worker);
	cleanup_thread_channels();
	if (w->worker.poller != NULL || w->worker.device != NULL) {
		w->channel_checks_failed++;
	}
out:
	for (i = 0; i < SEED_QD; i++) {
		spdk_dma_free(w->bufs[i]);
	}
	spdk_thread_exit(w->thread);
	while (!spdk_thread_is_exited(w->thread)) {
		spdk_thread_poll(w->thread, 0, 0);
	}
	spdk_set_thread(NULL);
	spdk_thread_destroy(w->thread);
	atomic_fetch_add(&g_seed_finished, 1);
	return NULL;
}

static int g_step_rc = 1;

static void
seed_step_done(void *arg, int rc)
{
	g_step_rc = rc;
}

static void
seed_fini_done(void *arg)
{
	g_step_rc = 0;
}

static void
seed_poll_until_done(struct spdk_thread *app)
{
	while (g_step_rc == 1) {
		spdk_thread_poll(app, 0, 0);
	}
}

int
main(void)
{
	struct malloc_bdev_opts mopts;
	struct device_context ctx;
	struct io_request req;
	struct spdk_bdev *bdev = NULL;
	struct spdk_thread *app;
	void *buf;
	uint32_t i, passed = 0, failed = 0;
	uint64_t total = 0;

#define SEED_CHECK(cond, what) do { \
		if (cond) { passed++; } else { failed++; printf("FAIL: %s\n", what); } \
	} while (0)

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		printf("FAIL: spdk_thread_lib_init\n0 passed, 1 failed\n");
		return 1;
	}
	app = spdk_thread_create("app", NULL);
	spdk_set_thread(app);
	g_step_rc = 1;
	spdk_bdev_initialize(seed_step_done, NULL);
	seed_poll_until_done(app);
	SEED_CHECK(g_step_rc == 0, "spdk_bdev_initialize");
	memset(&mopts, 0, sizeof(mopts));
	mopts.name = SEED_BDEV;
	mopts.num_blocks = SEED_BLOCKS;
	mopts.block_size = SEED_BLOCK;
	SEED_CHECK(create_malloc_disk(&bdev, &mopts) == 0, "create_malloc_disk");

	/* The single-thread pattern on the app thread. */
	memset(&ctx, 0, sizeof(ctx));
	SEED_CHECK(init_device_context(&ctx, SEED_BDEV) == 0, "init_device_context");
	buf = spdk_dma_zmalloc(SEED_IO_BYTES, 4096, NULL);
	memset(&req, 0, sizeof(req));
	SEED_CHECK(read_from_device(&ctx, buf, 0, SEED_IO_BYTES, io_complete, &req) == 0,
		   "read_from_device");
	SEED_CHECK(!req.completed, "the callback ran inside the submission");
	while (!req.completed) {
		spdk_thread_poll(app, 0, 0);
	}
	SEED_CHECK(req.status == 0, "the app thread's read failed");
	cleanup_device_context(&ctx);
	SEED_CHECK(ctx.desc == NULL && ctx.ch == NULL && !ctx.channel_valid,
		   "cleanup_device_context");
	spdk_dma_free(buf);
	/* Let the channel release run before the threads start. */
	for (i = 0; i < 10; i++) {
		spdk_thread_poll(app, 0, 0);
	}

	/* The multi-thread pattern: one shared descriptor, a channel per thread. */
	memset(&g_shared, 0, sizeof(g_shared));
	SEED_CHECK(init_shared_device(&g_shared, SEED_BDEV) == 0, "init_shared_device");
	for (i = 0; i < SEED_PTHREADS; i++) {
		g_seed_workers[i].index = i;
		pthread_create(&g_seed_workers[i].tid, NULL, seed_pthread, &g_seed_workers[i]);
	}
	/* Keep the app thread polled while the workers run. */
	while (atomic_load(&g_seed_finished) < SEED_PTHREADS) {
		spdk_thread_poll(app, 0, 0);
	}
	for (i = 0; i < SEED_PTHREADS; i++) {
		pthread_join(g_seed_workers[i].tid, NULL);
	}
	for (i = 0; i < SEED_PTHREADS; i++) {
		struct seed_worker *w = &g_seed_workers[i];

		SEED_CHECK(w->submitted == SEED_READS && w->completed == SEED_READS,
			   "a worker did not complete its reads");
		SEED_CHECK(w->failed == 0, "a worker's read failed");
		SEED_CHECK(w->channel_checks_failed == 0, "a worker's channel checks failed");
		total += w->completed;
	}
	SEED_CHECK(atomic_load(&g_shared.ref_count) == 0, "ref_count did not return to 0");
	spdk_bdev_close(g_shared.desc);
	free(g_shared.device_name);

	g_step_rc = 1;
	delete_malloc_disk(SEED_BDEV, seed_step_done, NULL);
	seed_poll_until_done(app);
	SEED_CHECK(g_step_rc == 0, "delete_malloc_disk");
	g_step_rc = 1;
	spdk_bdev_finish(seed_fini_done, NULL);
	seed_poll_until_done(app);
	spdk_thread_exit(app);
	while (!spdk_thread_is_exited(app)) {
		spdk_thread_poll(app, 0, 0);
	}
	spdk_set_thread(NULL);
	spdk_thread_destroy(app);
	spdk_thread_lib_fini();
	printf("seed: %u threads completed %" PRIu64 " reads\n", SEED_PTHREADS, total);
	printf("%u passed, %u failed\n", passed, failed);
	return failed == 0 ? 0 : 1;
}
EOF

cat "$work/prelude.c" "$work/blocks.c" "$work/driver.c" > "$work/seed.c"

# SEED_PREFIX names an existing installation to use instead (for debugging).
prefix=${SEED_PREFIX:-$work/prefix}
if [ -z "${SEED_PREFIX:-}" ]; then
	cmake --install "$build_dir" --prefix "$prefix" > "$work/install.log" 2>&1 ||
		{ cat "$work/install.log"; fail "cmake --install"; }
fi
libdir=$(dirname "$(find "$prefix" -name updk.pc -path '*pkgconfig*' | head -1)")/..
pcdir="$libdir/pkgconfig"
[ -f "$pcdir/updk.pc" ] || fail "no updk.pc in the installed tree"
cflags=$(PKG_CONFIG_PATH="$pcdir" pkg-config --cflags updk) || fail "pkg-config --cflags updk"
libs=$(PKG_CONFIG_PATH="$pcdir" pkg-config --libs updk) || fail "pkg-config --libs updk"
cc=${CC:-cc}
# A sanitized library needs the same sanitizer in the program.
san=$(sed -n 's/^UPDK_SANITIZE:[A-Z]*=//p' "$build_dir/CMakeCache.txt" 2>/dev/null)
if [ -n "$san" ]; then
	cflags="$cflags -fsanitize=$san -fno-omit-frame-pointer"
fi
# Not -Werror: static functions of the seed that a program does not call
# would only warn. The warnings are shown.
if ! $cc -std=gnu11 -Wall -o "$work/seed" "$work/seed.c" $cflags $libs -lpthread \
	> "$work/cc.log" 2>&1; then
	cat "$work/cc.log"
	fail "the seed does not compile against the installed headers"
fi
if [ -s "$work/cc.log" ]; then
	echo "compiler warnings:"
	cat "$work/cc.log"
fi
LD_LIBRARY_PATH="$(cd "$libdir" && pwd)${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" \
	timeout 120 "$work/seed"
rc=$?
[ $rc -eq 0 ] || fail "the seed program exited with $rc"
exit 0
