/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of the bdev layer (lib/bdev) through its public headers. A test
 * module, "ut", registers bdevs whose submit_request only records each I/O
 * and queues it; the test then completes the queued I/O by hand, with the
 * status it wants (success, failure, NOMEM, miscompare), on the I/O's thread.
 * A ut bdev keeps its blocks in RAM so that a successful completion moves
 * data like a real device would, which lets the tests check bounce buffers,
 * splitting and the emulated commands byte for byte. Each ut bdev chooses the
 * I/O types it supports and its limits (optimal I/O boundary, largest I/O,
 * segment limits, buffer alignment, write unit, acwu).
 *
 * Everything is deterministic: three spdk_threads live on this pthread
 * (test/common/ut_threads.h), thread 0 being the app thread; the test says
 * which one is current and polls them, with a simulated clock for timed
 * pollers. Each test starts the bdev layer, ends with spdk_bdev_finish() and
 * checks that every thread exits with nothing left behind.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/histogram_data.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/uuid.h"

#include <setjmp.h>
#include <cmocka.h>

#include "ut_threads.h"

#define UT_COUNTOF(a) (sizeof(a) / sizeof((a)[0]))
#define UT_BIT(t) (1ull << (t))
#define UT_BLOCKLEN 512u
#define UT_BLOCKCNT 256u
#define UT_SUBS_MAX 1024
#define UT_SUB_IOVS 64
#define UT_IO_MAGIC 0x5eedf00du
#define UT_APP 0
#define UT_T1 1
#define UT_T2 2

/* The I/O types of a plain ut bdev: no native COMPARE, COPY or ABORT. */
#define UT_TYPES_DEFAULT                                                     \
	(UT_BIT(SPDK_BDEV_IO_TYPE_READ) | UT_BIT(SPDK_BDEV_IO_TYPE_WRITE) |  \
	 UT_BIT(SPDK_BDEV_IO_TYPE_UNMAP) | UT_BIT(SPDK_BDEV_IO_TYPE_FLUSH) | \
	 UT_BIT(SPDK_BDEV_IO_TYPE_RESET) | UT_BIT(SPDK_BDEV_IO_TYPE_WRITE_ZEROES))

/* ---------------------------------------------------------------------- */
/* Event trace                                                             */
/* ---------------------------------------------------------------------- */

enum ut_event {
	TR_REMOVE = 1, /* REMOVE reached an event callback */
	TR_RESIZE,     /* RESIZE reached an event callback */
	TR_IO_DONE,    /* a user completion callback ran */
	TR_DESTRUCT,   /* the module's destruct ran */
	TR_UNREG_DONE, /* the unregister callback ran */
	TR_RESET_DONE, /* a reset's completion callback ran */
	TR_WAIT_A,     /* io_wait entry A was called */
	TR_WAIT_B,     /* io_wait entry B was called */
	TR_WAIT_C,     /* io_wait entry C was called */
};

#define TRACE_MAX 256

static int g_trace[TRACE_MAX];
static uint32_t g_trace_len;

static void
trace(int event)
{
	if (g_trace_len < TRACE_MAX) {
		g_trace[g_trace_len++] = event;
	}
}

static void
assert_trace(const int *expected, uint32_t count)
{
	uint32_t i;

	if (g_trace_len != count) {
		fprintf(stderr, "trace has %u events, expected %u:", g_trace_len, count);
		for (i = 0; i < g_trace_len; i++) {
			fprintf(stderr, " %d", g_trace[i]);
		}
		fprintf(stderr, "\n");
	}
	assert_int_equal(g_trace_len, count);
	for (i = 0; i < count; i++) {
		assert_int_equal(g_trace[i], expected[i]);
	}
}

#define ASSERT_TRACE(...)                                       \
	do {                                                    \
		const int _expected[] = {__VA_ARGS__};          \
		assert_trace(_expected, UT_COUNTOF(_expected)); \
	} while (0)

/* ---------------------------------------------------------------------- */
/* The "ut" test module                                                    */
/* ---------------------------------------------------------------------- */

/* How a ut bdev is built. Zero fields take the defaults of ut_conf_default(). */
struct ut_conf {
	const char *name;
	uint32_t blocklen;
	uint64_t blockcnt;
	/* Natively supported I/O types, UT_BIT(type) each. */
	uint64_t types;
	uint32_t optimal_io_boundary;
	bool split_on_optimal_io_boundary;
	uint32_t max_rw_size;
	uint32_t max_segment_size;
	uint32_t max_num_segments;
	uint8_t required_alignment;
	uint32_t write_unit_size;
	uint16_t acwu;
};

struct ut_bdev {
	struct spdk_bdev bdev;
	uint64_t types;
	/* The blocks (blocklen * blockcnt bytes). */
	uint8_t *data;
	/* Non-zero: complete every I/O with this status inside submit_request. */
	int complete_in_submit;
};

/* The module's per-I/O context, checked to prove driver_ctx is ours. */
struct ut_io_ctx {
	uint32_t magic;
	struct spdk_thread *thread;
};

/* The module's channel. */
struct ut_channel {
	struct spdk_thread *thread;
	uint32_t submitted;
};

/* What submit_request saw, in submission order. */
struct ut_sub {
	struct ut_bdev *ub;
	uint8_t type;
	uint64_t offset;
	uint64_t num_blocks;
	uint64_t src_offset;
	int iovcnt;
	struct iovec iovs[UT_SUB_IOVS];
	struct spdk_thread *thread;
	struct spdk_thread *ch_thread;
	uint16_t num_retries;
	bool buf_was_null;
	struct spdk_bdev_io *io;
};

static int g_ut_io_device;
static TAILQ_HEAD(, spdk_bdev_io) g_pending = TAILQ_HEAD_INITIALIZER(g_pending);
static uint32_t g_pending_count;
static struct ut_sub g_subs[UT_SUBS_MAX];
static uint32_t g_nsubs;
static uint32_t g_destruct_count;
/* ut bdevs registered and not yet destructed. */
static uint32_t g_live_bdevs;
static uint32_t g_module_init_count;
static uint32_t g_module_fini_count;
static uint32_t g_channels_created;
static uint32_t g_channels_destroyed;

static int
ut_module_init(void)
{
	g_module_init_count++;
	return 0;
}

static void
ut_module_fini(void)
{
	g_module_fini_count++;
}

static int
ut_get_ctx_size(void)
{
	return (int)sizeof(struct ut_io_ctx);
}

static struct spdk_bdev_module g_ut_module = {
	.module_init = ut_module_init,
	.module_fini = ut_module_fini,
	.name = "ut",
	.get_ctx_size = ut_get_ctx_size,
};
SPDK_BDEV_MODULE_REGISTER(ut, &g_ut_module)

/* A second module that only claims bdevs. */
static int
ut_claimer_init(void)
{
	return 0;
}

static struct spdk_bdev_module g_ut_claimer = {
	.module_init = ut_claimer_init,
	.name = "ut_claimer",
};
SPDK_BDEV_MODULE_REGISTER(ut_claimer, &g_ut_claimer)

static int
ut_channel_create(void *io_device, void *ctx_buf)
{
	struct ut_channel *uch = ctx_buf;

	uch->thread = spdk_get_thread();
	uch->submitted = 0;
	g_channels_created++;
	return 0;
}

static void
ut_channel_destroy(void *io_device, void *ctx_buf)
{
	g_channels_destroyed++;
}

static int
ut_destruct(void *ctx)
{
	struct ut_bdev *ub = ctx;

	trace(TR_DESTRUCT);
	g_destruct_count++;
	g_live_bdevs--;
	free(ub->data);
	free(ub->bdev.name);
	free(ub);
	return 0;
}

static bool
ut_io_type_supported(void *ctx, enum spdk_bdev_io_type type)
{
	struct ut_bdev *ub = ctx;

	return (ub->types & UT_BIT(type)) != 0;
}

static struct spdk_io_channel *
ut_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(&g_ut_io_device);
}

/* Copy between the bdev's blocks and an I/O's segments. */
static void
ut_copy_iovs(struct ut_bdev *ub, struct spdk_bdev_io *io, bool to_iovs)
{
	uint64_t pos = io->u.bdev.offset_blocks * ub->bdev.blocklen;
	uint64_t left = io->u.bdev.num_blocks * ub->bdev.blocklen;
	int i;

	for (i = 0; i < io->u.bdev.iovcnt && left > 0; i++) {
		size_t n = io->u.bdev.iovs[i].iov_len < left ? io->u.bdev.iovs[i].iov_len : left;

		if (to_iovs) {
			memcpy(io->u.bdev.iovs[i].iov_base, ub->data + pos, n);
		} else {
			memcpy(ub->data + pos, io->u.bdev.iovs[i].iov_base, n);
		}
		pos += n;
		left -= n;
	}
}

/* Compare an I/O's segments with the bdev's blocks. */
static bool
ut_iovs_match(struct ut_bdev *ub, struct spdk_bdev_io *io)
{
	uint64_t pos = io->u.bdev.offset_blocks * ub->bdev.blocklen;
	uint64_t left = io->u.bdev.num_blocks * ub->bdev.blocklen;
	int i;

	for (i = 0; i < io->u.bdev.iovcnt && left > 0; i++) {
		size_t n = io->u.bdev.iovs[i].iov_len < left ? io->u.bdev.iovs[i].iov_len : left;

		if (memcmp(io->u.bdev.iovs[i].iov_base, ub->data + pos, n) != 0) {
			return false;
		}
		pos += n;
		left -= n;
	}
	return true;
}

/* Do what a successful I/O does to the blocks; may turn it into a miscompare. */
static enum spdk_bdev_io_status
ut_move_data(struct ut_bdev *ub, struct spdk_bdev_io *io)
{
	uint64_t bl = ub->bdev.blocklen;

	switch (io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		ut_copy_iovs(ub, io, true);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
		ut_copy_iovs(ub, io, false);
		break;
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		memset(ub->data + io->u.bdev.offset_blocks * bl, 0, io->u.bdev.num_blocks * bl);
		break;
	case SPDK_BDEV_IO_TYPE_COMPARE:
		if (!ut_iovs_match(ub, io)) {
			return SPDK_BDEV_IO_STATUS_MISCOMPARE;
		}
		break;
	case SPDK_BDEV_IO_TYPE_COPY:
		memmove(ub->data + io->u.bdev.offset_blocks * bl,
			ub->data + io->u.bdev.copy.src_offset_blocks * bl,
			io->u.bdev.num_blocks * bl);
		break;
	default:
		break;
	}
	return SPDK_BDEV_IO_STATUS_SUCCESS;
}

static void
ut_finish(struct spdk_bdev_io *io, enum spdk_bdev_io_status status)
{
	struct ut_bdev *ub = io->bdev->ctxt;

	if (status == SPDK_BDEV_IO_STATUS_SUCCESS) {
		status = ut_move_data(ub, io);
	}
	spdk_bdev_io_complete(io, status);
}

static void
ut_accept(struct spdk_bdev_io *io)
{
	struct ut_bdev *ub = io->bdev->ctxt;

	if (ub->complete_in_submit != 0) {
		ut_finish(io, (enum spdk_bdev_io_status)ub->complete_in_submit);
		return;
	}
	TAILQ_INSERT_TAIL(&g_pending, io, module_link);
	g_pending_count++;
}

static void
ut_get_buf_cb(struct spdk_io_channel *ch, struct spdk_bdev_io *io, bool success)
{
	if (!success) {
		spdk_bdev_io_complete(io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	ut_accept(io);
}

static void
ut_submit_request(struct spdk_io_channel *ch, struct spdk_bdev_io *io)
{
	struct ut_io_ctx *ctx = (struct ut_io_ctx *)io->driver_ctx;
	struct ut_channel *uch = spdk_io_channel_get_ctx(ch);
	struct ut_sub *s;
	int i;

	ctx->magic = UT_IO_MAGIC;
	ctx->thread = spdk_get_thread();
	uch->submitted++;
	if (g_nsubs < UT_SUBS_MAX) {
		s = &g_subs[g_nsubs++];
		memset(s, 0, sizeof(*s));
		s->ub = io->bdev->ctxt;
		s->io = io;
		s->type = io->type;
		s->thread = spdk_get_thread();
		s->ch_thread = uch->thread;
		s->num_retries = io->num_retries;
		if (io->type != SPDK_BDEV_IO_TYPE_RESET && io->type != SPDK_BDEV_IO_TYPE_ABORT) {
			s->offset = io->u.bdev.offset_blocks;
			s->num_blocks = io->u.bdev.num_blocks;
			if (io->type == SPDK_BDEV_IO_TYPE_COPY) {
				s->src_offset = io->u.bdev.copy.src_offset_blocks;
			}
			if (io->u.bdev.iovs != NULL) {
				s->iovcnt = io->u.bdev.iovcnt;
				for (i = 0; i < io->u.bdev.iovcnt && i < UT_SUB_IOVS; i++) {
					s->iovs[i] = io->u.bdev.iovs[i];
				}
			}
		}
	}
	if (io->type == SPDK_BDEV_IO_TYPE_READ && io->u.bdev.iovcnt > 0 &&
	    io->u.bdev.iovs[0].iov_base == NULL) {
		if (g_nsubs <= UT_SUBS_MAX) {
			g_subs[g_nsubs - 1].buf_was_null = true;
		}
		spdk_bdev_io_get_buf(io, ut_get_buf_cb, io->u.bdev.num_blocks * io->bdev->blocklen);
		return;
	}
	ut_accept(io);
}

static const struct spdk_bdev_fn_table g_ut_fn_table = {
	.destruct = ut_destruct,
	.submit_request = ut_submit_request,
	.io_type_supported = ut_io_type_supported,
	.get_io_channel = ut_get_io_channel,
};

static struct ut_conf
ut_conf_default(const char *name)
{
	struct ut_conf c = {
		.name = name,
		.blocklen = UT_BLOCKLEN,
		.blockcnt = UT_BLOCKCNT,
		.types = UT_TYPES_DEFAULT,
	};

	return c;
}

/* Build and register a ut bdev on the app thread; returns it, or NULL with *rc set. */
static struct ut_bdev *
ut_bdev_create_rc(const struct ut_conf *c, int *rc)
{
	struct ut_bdev *ub = calloc(1, sizeof(*ub));

	assert_non_null(ub);
	ub->types = c->types;
	ub->data = calloc(c->blockcnt, c->blocklen);
	assert_non_null(ub->data);
	ub->bdev.name = c->name != NULL ? strdup(c->name) : NULL;
	ub->bdev.product_name = "ut disk";
	ub->bdev.blocklen = c->blocklen;
	ub->bdev.blockcnt = c->blockcnt;
	ub->bdev.optimal_io_boundary = c->optimal_io_boundary;
	ub->bdev.split_on_optimal_io_boundary = c->split_on_optimal_io_boundary;
	ub->bdev.max_rw_size = c->max_rw_size;
	ub->bdev.max_segment_size = c->max_segment_size;
	ub->bdev.max_num_segments = c->max_num_segments;
	ub->bdev.required_alignment = c->required_alignment;
	ub->bdev.write_unit_size = c->write_unit_size;
	ub->bdev.acwu = c->acwu;
	ub->bdev.ctxt = ub;
	ub->bdev.module = &g_ut_module;
	ub->bdev.fn_table = &g_ut_fn_table;

	ut_set_thread(UT_APP);
	*rc = spdk_bdev_register(&ub->bdev);
	ut_poll_threads();
	if (*rc != 0) {
		free(ub->data);
		free(ub->bdev.name);
		free(ub);
		return NULL;
	}
	g_live_bdevs++;
	return ub;
}

static struct ut_bdev *
ut_bdev_create(const struct ut_conf *c)
{
	int rc;
	struct ut_bdev *ub = ut_bdev_create_rc(c, &rc);

	assert_int_equal(rc, 0);
	return ub;
}

static struct ut_bdev *
ut_bdev_create_default(const char *name)
{
	struct ut_conf c = ut_conf_default(name);

	return ut_bdev_create(&c);
}

static void
ut_unregister_done(void *arg, int rc)
{
	int *out = arg;

	trace(TR_UNREG_DONE);
	*out = rc;
}

/* Unregister on the app thread and wait for it; returns the callback's rc. */
static int
ut_bdev_delete(struct ut_bdev *ub)
{
	int rc = 1;

	ut_set_thread(UT_APP);
	spdk_bdev_unregister(&ub->bdev, ut_unregister_done, &rc);
	ut_poll_threads();
	return rc;
}

/* Complete one queued I/O on its own thread. */
static void
ut_complete_io(struct spdk_bdev_io *io, enum spdk_bdev_io_status status)
{
	struct ut_io_ctx *ctx = (struct ut_io_ctx *)io->driver_ctx;
	struct spdk_thread *prev = spdk_get_thread();

	assert_int_equal(ctx->magic, UT_IO_MAGIC);
	TAILQ_REMOVE(&g_pending, io, module_link);
	g_pending_count--;
	spdk_set_thread(ctx->thread);
	ut_finish(io, status);
	spdk_set_thread(prev);
}

static struct spdk_bdev_io *
ut_pending_first(void)
{
	return TAILQ_FIRST(&g_pending);
}

/* Complete the oldest queued I/O, then let messages run. */
static void
ut_complete_next(enum spdk_bdev_io_status status)
{
	struct spdk_bdev_io *io = ut_pending_first();

	assert_non_null(io);
	ut_complete_io(io, status);
	ut_poll_threads();
}

/* Complete queued I/O (and what it leads to) until none is left; returns how many. */
static uint32_t
ut_complete_all(enum spdk_bdev_io_status status)
{
	uint32_t n = 0;

	ut_poll_threads();
	while (!TAILQ_EMPTY(&g_pending)) {
		while (!TAILQ_EMPTY(&g_pending)) {
			ut_complete_io(TAILQ_FIRST(&g_pending), status);
			n++;
		}
		ut_poll_threads();
	}
	return n;
}

/* ---------------------------------------------------------------------- */
/* User side: completion and event recorders                               */
/* ---------------------------------------------------------------------- */

struct io_result {
	uint32_t calls;
	bool success;
	struct spdk_thread *thread;
	int sct;
	int sc;
	/* When set, a read's data is copied here before the I/O is freed. */
	void *copy;
	size_t copy_len;
	/* When set, the I/O is kept (not freed) for the test to inspect. */
	bool keep;
	struct spdk_bdev_io *io;
};

static uint32_t g_io_done_total;
/* Set while the teardown fails what a failed test left behind: the callback
 * arguments then point into dead stack frames and must not be touched. */
static bool g_orphaned;

static void
io_done(struct spdk_bdev_io *io, bool success, void *arg)
{
	struct io_result *r = arg;
	struct iovec *iovs;
	int iovcnt, i;
	size_t pos = 0;

	if (g_orphaned) {
		spdk_bdev_free_io(io);
		return;
	}
	trace(TR_IO_DONE);
	g_io_done_total++;
	r->calls++;
	r->success = success;
	r->thread = spdk_get_thread();
	spdk_bdev_io_get_nvme_status(io, NULL, &r->sct, &r->sc);
	if (r->copy != NULL) {
		spdk_bdev_io_get_iovec(io, &iovs, &iovcnt);
		for (i = 0; i < iovcnt && pos < r->copy_len; i++) {
			size_t n = iovs[i].iov_len < r->copy_len - pos ? iovs[i].iov_len
								       : r->copy_len - pos;

			memcpy((uint8_t *)r->copy + pos, iovs[i].iov_base, n);
			pos += n;
		}
	}
	if (r->keep) {
		r->io = io;
		return;
	}
	spdk_bdev_free_io(io);
}

static void
reset_done(struct spdk_bdev_io *io, bool success, void *arg)
{
	struct io_result *r = arg;

	if (g_orphaned) {
		spdk_bdev_free_io(io);
		return;
	}
	trace(TR_RESET_DONE);
	r->calls++;
	r->success = success;
	r->thread = spdk_get_thread();
	spdk_bdev_free_io(io);
}

struct ev_rec {
	uint32_t remove;
	uint32_t resize;
	struct spdk_thread *thread;
	struct spdk_bdev *bdev;
};

static void
ev_cb(enum spdk_bdev_event_type type, struct spdk_bdev *bdev, void *ctx)
{
	struct ev_rec *r = ctx;

	if (type == SPDK_BDEV_EVENT_REMOVE) {
		trace(TR_REMOVE);
		r->remove++;
	} else if (type == SPDK_BDEV_EVENT_RESIZE) {
		trace(TR_RESIZE);
		r->resize++;
	}
	r->thread = spdk_get_thread();
	r->bdev = bdev;
}

static struct ev_rec g_ev_ignored;

/*
 * Descriptors and channels a test holds, so that the teardown can release
 * what a failed test left behind and the next test starts clean.
 */
#define UT_HELD_MAX 32

struct ut_held {
	uint32_t thread;
	void *obj;
};

static struct ut_held g_held_descs[UT_HELD_MAX];
/* The data buffer of the open vfix, freed by the teardown if a test failed. */
static void *g_vfix_buf;
static struct ut_held g_held_chs[UT_HELD_MAX];

static void
ut_hold(struct ut_held *list, uint32_t t, void *obj)
{
	uint32_t i;

	for (i = 0; i < UT_HELD_MAX; i++) {
		if (list[i].obj == NULL) {
			list[i].thread = t;
			list[i].obj = obj;
			return;
		}
	}
	fail_msg("too many descriptors or channels held");
}

static void
ut_unhold(struct ut_held *list, void *obj)
{
	uint32_t i;

	for (i = 0; i < UT_HELD_MAX; i++) {
		if (list[i].obj == obj) {
			list[i].obj = NULL;
			return;
		}
	}
}

/* Record a descriptor the test opened itself on thread \p t. */
static void
ut_track_desc(uint32_t t, struct spdk_bdev_desc *desc)
{
	ut_hold(g_held_descs, t, desc);
}

/* Open on thread \p t; returns the descriptor. */
static struct spdk_bdev_desc *
ut_open(uint32_t t, const char *name, bool write, struct ev_rec *ev)
{
	struct spdk_bdev_desc *desc = NULL;
	int rc;

	ut_set_thread(t);
	rc = spdk_bdev_open_ext(name, write, ev_cb, ev != NULL ? ev : &g_ev_ignored, &desc);
	assert_int_equal(rc, 0);
	assert_non_null(desc);
	ut_track_desc(t, desc);
	return desc;
}

static void
ut_close(uint32_t t, struct spdk_bdev_desc *desc)
{
	ut_unhold(g_held_descs, desc);
	ut_set_thread(t);
	spdk_bdev_close(desc);
	ut_poll_threads();
}

static struct spdk_io_channel *
ut_get_channel(uint32_t t, struct spdk_bdev_desc *desc)
{
	struct spdk_io_channel *ch;

	ut_set_thread(t);
	ch = spdk_bdev_get_io_channel(desc);
	assert_non_null(ch);
	ut_hold(g_held_chs, t, ch);
	return ch;
}

static void
ut_put_channel(uint32_t t, struct spdk_io_channel *ch)
{
	ut_unhold(g_held_chs, ch);
	ut_set_thread(t);
	spdk_put_io_channel(ch);
	ut_poll_threads();
}

/* After a failed test: fail what the module still holds, drop channels and descriptors. */
static void
ut_release_leftovers(void)
{
	uint32_t i;

	g_orphaned = true;
	if (!TAILQ_EMPTY(&g_pending)) {
		fprintf(stderr, "teardown: failing %u I/O left in the ut module\n",
			g_pending_count);
		ut_complete_all(SPDK_BDEV_IO_STATUS_FAILED);
	}
	for (i = 0; i < UT_HELD_MAX; i++) {
		if (g_held_chs[i].obj != NULL) {
			fprintf(stderr, "teardown: putting a channel left on thread %u\n",
				g_held_chs[i].thread);
			ut_put_channel(g_held_chs[i].thread, g_held_chs[i].obj);
		}
	}
	for (i = 0; i < UT_HELD_MAX; i++) {
		if (g_held_descs[i].obj != NULL) {
			fprintf(stderr, "teardown: closing a descriptor left on thread %u\n",
				g_held_descs[i].thread);
			ut_close(g_held_descs[i].thread, g_held_descs[i].obj);
		}
	}
	ut_clock_advance_us(10 * 1000);
	ut_poll_threads();
	g_orphaned = false;
	free(g_vfix_buf);
	g_vfix_buf = NULL;
}

static void
fill_pattern(void *buf, size_t len, uint32_t seed)
{
	uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		p[i] = (uint8_t)(seed * 131 + i * 7 + (i >> 8));
	}
}

static bool
is_zero(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	size_t i;

	for (i = 0; i < len; i++) {
		if (p[i] != 0) {
			return false;
		}
	}
	return true;
}

/* ---------------------------------------------------------------------- */
/* Fixtures                                                                */
/* ---------------------------------------------------------------------- */

static struct spdk_bdev_opts g_saved_opts;
static bool g_opts_changed;

static void
init_done(void *arg, int rc)
{
	*(int *)arg = rc;
}

static void
fini_done(void *arg)
{
	*(bool *)arg = true;
}

static void
ut_reset_globals(void)
{
	g_trace_len = 0;
	TAILQ_INIT(&g_pending);
	g_pending_count = 0;
	g_nsubs = 0;
	g_destruct_count = 0;
	g_live_bdevs = 0;
	g_module_fini_count = 0;
	g_io_done_total = 0;
	memset(&g_ev_ignored, 0, sizeof(g_ev_ignored));
	memset(g_held_descs, 0, sizeof(g_held_descs));
	memset(g_held_chs, 0, sizeof(g_held_chs));
}

static int
bdev_layer_start(void)
{
	int rc = 1;

	ut_reset_globals();
	g_ut_io_device = 0;
	if (ut_threads_init(3) != 0) {
		return -1;
	}
	ut_set_thread(UT_APP);
	spdk_io_device_register(&g_ut_io_device, ut_channel_create, ut_channel_destroy,
				sizeof(struct ut_channel), "ut_io_device");
	spdk_bdev_initialize(init_done, &rc);
	ut_poll_threads();
	if (rc != 0) {
		fprintf(stderr, "spdk_bdev_initialize: %d\n", rc);
		return -1;
	}
	ut_log_clear();
	return 0;
}

static int
setup_bdev(void **state)
{
	return bdev_layer_start();
}

static int
teardown_bdev(void **state)
{
	bool done = false;
	int rc = 0;

	if (!TAILQ_EMPTY(&g_pending)) {
		fprintf(stderr, "teardown: %u I/O still queued in the ut module\n",
			g_pending_count);
		rc = -1;
	}
	ut_release_leftovers();
	ut_set_thread(UT_APP);
	spdk_bdev_finish(fini_done, &done);
	ut_poll_threads();
	if (!done) {
		fprintf(stderr, "teardown: spdk_bdev_finish did not complete\n");
		ut_log_dump();
		rc = -1;
	}
	if (g_live_bdevs != 0) {
		fprintf(stderr, "teardown: %u ut bdevs were not destructed\n", g_live_bdevs);
		rc = -1;
	}
	if (done && g_module_fini_count == 0) {
		fprintf(stderr, "teardown: the ut module's module_fini was not called\n");
		rc = -1;
	}
	ut_set_thread(UT_APP);
	spdk_io_device_unregister(&g_ut_io_device, NULL);
	ut_poll_threads();
	if (g_opts_changed) {
		spdk_bdev_set_opts(&g_saved_opts);
		g_opts_changed = false;
	}
	if (ut_threads_fini() != 0) {
		fprintf(stderr, "teardown: some threads did not exit\n");
		rc = -1;
	}
	return rc;
}

/* The bdev layer with a pool of 64 spdk_bdev_io and a per-thread cache of 8. */
static int
setup_small_pool(void **state)
{
	struct spdk_bdev_opts opts;
	int rc = 1;

	ut_reset_globals();
	if (ut_threads_init(3) != 0) {
		return -1;
	}
	ut_set_thread(UT_APP);
	spdk_bdev_get_opts(&g_saved_opts, sizeof(g_saved_opts));
	opts = g_saved_opts;
	opts.bdev_io_pool_size = 64;
	opts.bdev_io_cache_size = 8;
	if (spdk_bdev_set_opts(&opts) != 0) {
		return -1;
	}
	g_opts_changed = true;
	spdk_io_device_register(&g_ut_io_device, ut_channel_create, ut_channel_destroy,
				sizeof(struct ut_channel), "ut_io_device");
	spdk_bdev_initialize(init_done, &rc);
	ut_poll_threads();
	if (rc != 0) {
		return -1;
	}
	ut_log_clear();
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Registration, lookup, aliases, options                                  */
/* ---------------------------------------------------------------------- */

static void
register_fills_defaults_and_uuid_alias(void **state)
{
	struct ut_bdev *ub = ut_bdev_create_default("ut0");
	char uuid[SPDK_UUID_STRING_LEN];

	assert_int_equal(g_module_init_count > 0, true);
	assert_ptr_equal(spdk_bdev_get_by_name("ut0"), &ub->bdev);
	assert_string_equal(spdk_bdev_get_name(&ub->bdev), "ut0");
	assert_string_equal(spdk_bdev_get_module_name(&ub->bdev), "ut");
	assert_int_equal(spdk_bdev_get_write_unit_size(&ub->bdev), 1);
	assert_int_equal(spdk_bdev_get_acwu(&ub->bdev), 1);
	assert_int_equal(spdk_bdev_get_physical_block_size(&ub->bdev), UT_BLOCKLEN);
	assert_int_equal(spdk_bdev_get_buf_align(&ub->bdev), 1);
	assert_int_equal(spdk_bdev_get_num_blocks(&ub->bdev), UT_BLOCKCNT);
	assert_false(spdk_uuid_is_null(spdk_bdev_get_uuid(&ub->bdev)));
	assert_int_equal(spdk_uuid_fmt_lower(uuid, sizeof(uuid), spdk_bdev_get_uuid(&ub->bdev)), 0);
	assert_ptr_equal(spdk_bdev_get_by_name(uuid), &ub->bdev);
	assert_null(spdk_bdev_get_by_name("nope"));
	assert_ptr_equal(spdk_bdev_first(), &ub->bdev);
	assert_null(spdk_bdev_next(&ub->bdev));
}

static void
register_duplicate_or_empty_name_fails(void **state)
{
	struct ut_conf c = ut_conf_default("dup");
	struct ut_bdev *ub = ut_bdev_create(&c);
	int rc;

	assert_null(ut_bdev_create_rc(&c, &rc));
	assert_int_equal(rc, -EEXIST);
	c.name = "";
	assert_null(ut_bdev_create_rc(&c, &rc));
	assert_int_equal(rc, -EINVAL);
	c.name = NULL;
	assert_null(ut_bdev_create_rc(&c, &rc));
	assert_int_equal(rc, -EINVAL);
	assert_ptr_equal(spdk_bdev_get_by_name("dup"), &ub->bdev);
	assert_int_equal(ut_bdev_delete(ub), 0);
	assert_null(spdk_bdev_get_by_name("dup"));
	assert_int_equal(g_destruct_count, 1);
}

static void
io_type_supported_reports_write_zeroes_when_write(void **state)
{
	struct ut_conf c = ut_conf_default("wz");
	struct ut_bdev *ub;

	c.types = UT_BIT(SPDK_BDEV_IO_TYPE_READ) | UT_BIT(SPDK_BDEV_IO_TYPE_WRITE);
	ub = ut_bdev_create(&c);
	assert_true(spdk_bdev_io_type_supported(&ub->bdev, SPDK_BDEV_IO_TYPE_READ));
	assert_true(spdk_bdev_io_type_supported(&ub->bdev, SPDK_BDEV_IO_TYPE_WRITE_ZEROES));
	assert_false(spdk_bdev_io_type_supported(&ub->bdev, SPDK_BDEV_IO_TYPE_FLUSH));
	assert_false(spdk_bdev_io_type_supported(&ub->bdev, SPDK_BDEV_IO_TYPE_UNMAP));
	assert_string_equal(spdk_bdev_get_io_type_name(SPDK_BDEV_IO_TYPE_WRITE_ZEROES),
			    "write_zeroes");
	assert_int_equal(spdk_bdev_get_io_type("compare_and_write"),
			 SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE);
	assert_int_equal(spdk_bdev_get_io_type("bogus"), -1);
}

static void
aliases_resolve_and_conflict(void **state)
{
	struct ut_bdev *a = ut_bdev_create_default("alpha");
	struct ut_bdev *b = ut_bdev_create_default("beta");
	struct spdk_bdev_desc *desc;
	const struct spdk_bdev_alias *al;
	uint32_t n = 0;

	ut_set_thread(UT_APP);
	assert_int_equal(spdk_bdev_alias_add(&a->bdev, "alpha_alias"), 0);
	assert_ptr_equal(spdk_bdev_get_by_name("alpha_alias"), &a->bdev);
	assert_int_equal(spdk_bdev_alias_add(&b->bdev, "alpha_alias"), -EEXIST);
	assert_int_equal(spdk_bdev_alias_add(&b->bdev, "alpha"), -EEXIST);
	assert_int_equal(spdk_bdev_alias_add(&b->bdev, ""), -EINVAL);
	assert_int_equal(spdk_bdev_alias_del(&b->bdev, "alpha_alias"), -ENOENT);
	TAILQ_FOREACH (al, spdk_bdev_get_aliases(&a->bdev), tailq) {
		if (strcmp(al->alias.name, "alpha_alias") == 0) {
			n++;
		}
	}
	assert_int_equal(n, 1);

	desc = ut_open(UT_T1, "alpha_alias", false, NULL);
	assert_ptr_equal(spdk_bdev_desc_get_bdev(desc), &a->bdev);
	ut_close(UT_T1, desc);

	ut_set_thread(UT_APP);
	assert_int_equal(spdk_bdev_alias_del(&a->bdev, "alpha_alias"), 0);
	assert_null(spdk_bdev_get_by_name("alpha_alias"));
	assert_int_equal(spdk_bdev_alias_add(&b->bdev, "alpha_alias"), 0);
	assert_ptr_equal(spdk_bdev_get_by_name("alpha_alias"), &b->bdev);
	assert_int_equal(spdk_bdev_unregister_by_name("beta", &g_ut_claimer, NULL, NULL), -ENODEV);
	assert_int_equal(spdk_bdev_unregister_by_name("nobody", &g_ut_module, NULL, NULL), -ENODEV);
}

static void
set_opts_rejects_pool_smaller_than_caches(void **state)
{
	struct spdk_bdev_opts opts, cur;

	ut_set_thread(UT_APP);
	spdk_bdev_get_opts(&opts, sizeof(opts));
	assert_int_equal(opts.bdev_io_pool_size, 65535);
	assert_int_equal(opts.bdev_io_cache_size, 256);
	assert_true(opts.bdev_auto_examine);
	/* Three threads: 8 * (3 + 1) = 32 > 16. */
	opts.bdev_io_pool_size = 16;
	opts.bdev_io_cache_size = 8;
	assert_int_equal(spdk_bdev_set_opts(&opts), -EINVAL);
	spdk_bdev_get_opts(&cur, sizeof(cur));
	assert_int_equal(cur.bdev_io_pool_size, 65535);
	opts.opts_size = 0;
	assert_int_equal(spdk_bdev_set_opts(&opts), -EINVAL);
	assert_int_equal(spdk_bdev_set_opts(NULL), -EINVAL);
}

static void
open_errors(void **state)
{
	struct spdk_bdev_desc *desc = NULL;

	ut_bdev_create_default("ut0");
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_open_ext("missing", false, ev_cb, &g_ev_ignored, &desc),
			 -ENODEV);
	assert_null(desc);
	ut_set_thread(UT_NO_THREAD);
	assert_int_equal(spdk_bdev_open_ext("ut0", false, ev_cb, &g_ev_ignored, &desc), -ENOTSUP);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_open_ext(NULL, false, ev_cb, &g_ev_ignored, &desc), -EINVAL);
}

/* ---------------------------------------------------------------------- */
/* Validation, in the documented order                                     */
/* ---------------------------------------------------------------------- */

struct vfix {
	struct ut_bdev *ub;
	struct spdk_bdev_desc *rw;
	struct spdk_bdev_desc *ro;
	struct spdk_io_channel *ch;
	struct io_result r;
	uint8_t *buf;
};

static void
vfix_open(struct vfix *f, const struct ut_conf *c)
{
	memset(f, 0, sizeof(*f));
	f->ub = ut_bdev_create(c);
	f->rw = ut_open(UT_T1, c->name, true, NULL);
	f->ro = ut_open(UT_T1, c->name, false, NULL);
	f->ch = ut_get_channel(UT_T1, f->rw);
	f->buf = aligned_alloc(4096, 64 * 1024);
	assert_non_null(f->buf);
	g_vfix_buf = f->buf;
	memset(f->buf, 0, 64 * 1024);
}

static void
vfix_close(struct vfix *f)
{
	ut_put_channel(UT_T1, f->ch);
	ut_close(UT_T1, f->rw);
	ut_close(UT_T1, f->ro);
	free(f->buf);
	g_vfix_buf = NULL;
}

static void
validation_byte_unaligned_is_einval_before_ebadf(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	/* Read-only descriptor and misaligned offset: the alignment check wins. */
	assert_int_equal(spdk_bdev_write(f.ro, f.ch, f.buf, 1, UT_BLOCKLEN, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_write(f.ro, f.ch, f.buf, 0, UT_BLOCKLEN + 1, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(
		spdk_bdev_read(f.rw, f.ch, f.buf, UT_BLOCKLEN / 2, UT_BLOCKLEN, io_done, &f.r),
		-EINVAL);
	assert_int_equal(spdk_bdev_read(f.rw, f.ch, f.buf, UINT64_MAX, UT_BLOCKLEN, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_write_zeroes(f.ro, f.ch, 3, UT_BLOCKLEN, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_unmap(f.ro, f.ch, 0, 100, io_done, &f.r), -EINVAL);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 0);
	assert_int_equal(g_nsubs, 0);
	vfix_close(&f);
}

static void
validation_read_only_desc_is_ebadf_before_range(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct iovec iov = {.iov_base = NULL, .iov_len = UT_BLOCKLEN};

	vfix_open(&f, &c);
	iov.iov_base = f.buf;
	ut_set_thread(UT_T1);
	/* In range and out of range alike: -EBADF. */
	assert_int_equal(spdk_bdev_write_blocks(f.ro, f.ch, f.buf, 0, 1, io_done, &f.r), -EBADF);
	assert_int_equal(spdk_bdev_write_blocks(f.ro, f.ch, f.buf, UT_BLOCKCNT, 5, io_done, &f.r),
			 -EBADF);
	assert_int_equal(spdk_bdev_write(f.ro, f.ch, f.buf, 0, UT_BLOCKLEN, io_done, &f.r), -EBADF);
	assert_int_equal(spdk_bdev_writev_blocks(f.ro, f.ch, &iov, 1, 0, 1, io_done, &f.r), -EBADF);
	assert_int_equal(spdk_bdev_write_zeroes_blocks(f.ro, f.ch, UINT64_MAX, 2, io_done, &f.r),
			 -EBADF);
	assert_int_equal(spdk_bdev_unmap_blocks(f.ro, f.ch, 0, 1, io_done, &f.r), -EBADF);
	assert_int_equal(spdk_bdev_flush_blocks(f.ro, f.ch, 0, 1, io_done, &f.r), -EBADF);
	assert_int_equal(spdk_bdev_copy_blocks(f.ro, f.ch, 1, 0, 1, io_done, &f.r), -EBADF);
	assert_int_equal(spdk_bdev_comparev_and_writev_blocks(f.ro, f.ch, &iov, 1, &iov, 1, 0, 1,
							      io_done, &f.r),
			 -EBADF);
	/* Reads through the read-only descriptor are fine. */
	assert_int_equal(spdk_bdev_read_blocks(f.ro, f.ch, f.buf, 0, 1, io_done, &f.r), 0);
	assert_int_equal(ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS), 1);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_int_equal(g_nsubs, 1);
	vfix_close(&f);
}

static void
validation_range_overflow_and_end(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, UINT64_MAX, 2, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 2, UINT64_MAX, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(
		spdk_bdev_read_blocks(f.rw, f.ch, f.buf, UT_BLOCKCNT - 1, 2, io_done, &f.r),
		-EINVAL);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, UT_BLOCKCNT, 1, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_write(f.rw, f.ch, f.buf, (UT_BLOCKCNT - 1) * UT_BLOCKLEN,
					 2 * UT_BLOCKLEN, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_copy_blocks(f.rw, f.ch, UT_BLOCKCNT, 0, 1, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_copy_blocks(f.rw, f.ch, 0, UT_BLOCKCNT, 1, io_done, &f.r),
			 -EINVAL);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 0);
	assert_int_equal(g_nsubs, 0);

	/* A range that ends exactly at the end of the device is valid. */
	assert_int_equal(
		spdk_bdev_read_blocks(f.rw, f.ch, f.buf, UT_BLOCKCNT - 2, 2, io_done, &f.r), 0);
	assert_int_equal(spdk_bdev_write(f.rw, f.ch, f.buf, (UT_BLOCKCNT - 1) * UT_BLOCKLEN,
					 UT_BLOCKLEN, io_done, &f.r),
			 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 2);
	vfix_close(&f);
}

static void
validation_zero_blocks_passes_range_check(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	/* num_blocks == 0 at the very end passes the range check; the callback still runs once. */
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, UT_BLOCKCNT, 0, io_done, &f.r),
			 0);
	assert_int_equal(f.r.calls, 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_ptr_equal(f.r.thread, ut_thread(UT_T1));
	/* An unmap of 0 blocks completes successfully. */
	memset(&f.r, 0, sizeof(f.r));
	assert_int_equal(spdk_bdev_unmap_blocks(f.rw, f.ch, 0, 0, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	vfix_close(&f);
}

static void
validation_unsupported_types_are_enotsup(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	int dummy;

	c.types = UT_BIT(SPDK_BDEV_IO_TYPE_READ);
	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_flush_blocks(f.rw, f.ch, 0, 1, io_done, &f.r), -ENOTSUP);
	assert_int_equal(spdk_bdev_unmap_blocks(f.rw, f.ch, 0, 1, io_done, &f.r), -ENOTSUP);
	/* Neither WRITE_ZEROES nor WRITE. */
	assert_int_equal(spdk_bdev_write_zeroes_blocks(f.rw, f.ch, 0, 1, io_done, &f.r), -ENOTSUP);
	assert_false(spdk_bdev_io_type_supported(&f.ub->bdev, SPDK_BDEV_IO_TYPE_WRITE_ZEROES));
	assert_int_equal(spdk_bdev_abort(f.rw, f.ch, &dummy, io_done, &f.r), -ENOTSUP);
	assert_int_equal(spdk_bdev_abort(f.rw, f.ch, NULL, io_done, &f.r), -EINVAL);
	/* The range check comes before the type check, -EBADF before both. */
	assert_int_equal(spdk_bdev_flush_blocks(f.rw, f.ch, UT_BLOCKCNT, 1, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_flush_blocks(f.ro, f.ch, UT_BLOCKCNT, 1, io_done, &f.r), -EBADF);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 0);
	assert_int_equal(g_nsubs, 0);
	vfix_close(&f);
}

static void
validation_md_buf_without_separate_md_is_einval(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint8_t md[64];
	struct iovec iov;

	vfix_open(&f, &c);
	iov.iov_base = f.buf;
	iov.iov_len = UT_BLOCKLEN;
	ut_set_thread(UT_T1);
	assert_false(spdk_bdev_is_md_separate(&f.ub->bdev));
	assert_int_equal(spdk_bdev_read_blocks_with_md(f.rw, f.ch, f.buf, md, 0, 1, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(spdk_bdev_write_blocks_with_md(f.rw, f.ch, f.buf, md, 0, 1, io_done, &f.r),
			 -EINVAL);
	assert_int_equal(
		spdk_bdev_readv_blocks_with_md(f.rw, f.ch, &iov, 1, md, 0, 1, io_done, &f.r),
		-EINVAL);
	/* Without md the same calls are fine. */
	assert_int_equal(
		spdk_bdev_read_blocks_with_md(f.rw, f.ch, f.buf, NULL, 0, 1, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	vfix_close(&f);
}

static void
validation_compare_and_write_beyond_acwu_is_einval(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct iovec cmp, wr;

	vfix_open(&f, &c);
	cmp.iov_base = f.buf;
	cmp.iov_len = 2 * UT_BLOCKLEN;
	wr.iov_base = f.buf + 4096;
	wr.iov_len = 2 * UT_BLOCKLEN;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_get_acwu(&f.ub->bdev), 1);
	assert_int_equal(spdk_bdev_comparev_and_writev_blocks(f.rw, f.ch, &cmp, 1, &wr, 1, 0, 2,
							      io_done, &f.r),
			 -EINVAL);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 0);
	assert_int_equal(g_nsubs, 0);
	vfix_close(&f);
}

static void
validation_iov_null_or_empty_is_einval(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct iovec iov;

	vfix_open(&f, &c);
	iov.iov_base = f.buf;
	iov.iov_len = UT_BLOCKLEN;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_readv_blocks(f.rw, f.ch, NULL, 1, 0, 1, io_done, &f.r), -EINVAL);
	assert_int_equal(spdk_bdev_readv_blocks(f.rw, f.ch, &iov, 0, 0, 1, io_done, &f.r), -EINVAL);
	assert_int_equal(spdk_bdev_writev_blocks(f.rw, f.ch, &iov, -1, 0, 1, io_done, &f.r),
			 -EINVAL);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 0);
	vfix_close(&f);
}

static void
channel_used_on_wrong_thread_is_einval(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct ut_bdev *other;
	struct spdk_bdev_desc *odesc;
	struct vfix f;

	vfix_open(&f, &c);
	other = ut_bdev_create_default("other");
	odesc = ut_open(UT_T1, "other", true, NULL);
	ut_log_clear();
	/* The channel belongs to thread 1; thread 2 may not submit on it. */
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	/* A channel of another bdev is refused too. */
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(odesc, f.ch, f.buf, 0, 1, io_done, &f.r), -EINVAL);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, NULL, f.buf, 0, 1, io_done, &f.r), -EINVAL);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 0);
	assert_int_equal(g_nsubs, 0);
	ut_close(UT_T1, odesc);
	(void)other;
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* The completion contract                                                 */
/* ---------------------------------------------------------------------- */

static void
completion_deferred_when_module_completes_inside_submit(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	vfix_open(&f, &c);
	f.ub->complete_in_submit = SPDK_BDEV_IO_STATUS_SUCCESS;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), 0);
	/* The module completed already, but the caller's stack is not re-entered. */
	assert_int_equal(g_nsubs, 1);
	assert_int_equal(f.r.calls, 0);
	ut_poll_thread(UT_T2);
	assert_int_equal(f.r.calls, 0);
	ut_poll_thread(UT_T1);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_ptr_equal(f.r.thread, ut_thread(UT_T1));
	ut_poll_threads();
	assert_int_equal(f.r.calls, 1);

	/* Same for a failure inside submit. */
	memset(&f.r, 0, sizeof(f.r));
	f.ub->complete_in_submit = SPDK_BDEV_IO_STATUS_FAILED;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), 0);
	assert_int_equal(f.r.calls, 0);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 1);
	assert_false(f.r.success);
	f.ub->complete_in_submit = 0;
	vfix_close(&f);
}

static void
completion_runs_once_on_submitting_thread(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_io_channel *ch2;
	struct io_result r2 = {0};

	vfix_open(&f, &c);
	ch2 = ut_get_channel(UT_T2, f.rw);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), 0);
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, ch2, f.buf + 4096, 1, 1, io_done, &r2), 0);
	ut_poll_threads();
	assert_int_equal(g_nsubs, 2);
	assert_ptr_equal(g_subs[0].thread, ut_thread(UT_T1));
	assert_ptr_equal(g_subs[0].ch_thread, ut_thread(UT_T1));
	assert_ptr_equal(g_subs[1].thread, ut_thread(UT_T2));
	assert_ptr_equal(spdk_bdev_io_get_thread(g_subs[1].io), ut_thread(UT_T2));
	assert_ptr_equal(spdk_bdev_io_get_cb_arg(g_subs[1].io), &r2);
	/* Completed from the app thread's point of view, delivered on each submitter. */
	ut_set_thread(UT_APP);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_int_equal(r2.calls, 1);
	assert_ptr_equal(f.r.thread, ut_thread(UT_T1));
	assert_ptr_equal(r2.thread, ut_thread(UT_T2));
	ut_put_channel(UT_T2, ch2);
	vfix_close(&f);
}

static void
completion_failure_and_negative_return(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	int aio;

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), 0);
	f.r.keep = true;
	ut_complete_all(SPDK_BDEV_IO_STATUS_FAILED);
	assert_int_equal(f.r.calls, 1);
	assert_false(f.r.success);
	assert_non_null(f.r.io);
	spdk_bdev_io_get_aio_status(f.r.io, &aio);
	assert_int_equal(aio, -EIO);
	ut_set_thread(UT_T1);
	spdk_bdev_free_io(f.r.io);

	/* A refused submission never calls back, however long we poll. */
	memset(&f.r, 0, sizeof(f.r));
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, UT_BLOCKCNT, 1, io_done, &f.r),
			 -EINVAL);
	ut_poll_threads();
	ut_clock_advance_us(1000 * 1000);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 0);
	vfix_close(&f);
}

static void
double_completion_is_logged_and_ignored(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_bdev_io *io;

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	f.r.keep = true;
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), 0);
	ut_poll_threads();
	io = ut_pending_first();
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_ptr_equal(f.r.io, io);
	/* Completing again before the user freed it: an error, no second callback. */
	ut_log_clear();
	ut_set_thread(UT_T1);
	spdk_bdev_io_complete(io, SPDK_BDEV_IO_STATUS_SUCCESS);
	ut_poll_threads();
	assert_int_equal(f.r.calls, 1);
	assert_true(ut_log_count(SPDK_LOG_ERROR) >= 1);
	ut_set_thread(UT_T1);
	spdk_bdev_free_io(io);
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* ENOMEM, io_wait and NOMEM retries                                       */
/* ---------------------------------------------------------------------- */

struct waiter {
	struct spdk_bdev_io_wait_entry entry;
	int event;
	uint32_t calls;
	/* Resubmit from the callback. */
	struct vfix *f;
	struct io_result r;
	int resubmit_rc;
};

static void
waiter_cb(void *arg)
{
	struct waiter *w = arg;

	if (g_orphaned) {
		return;
	}
	trace(w->event);
	w->calls++;
	if (w->f != NULL) {
		w->resubmit_rc =
			spdk_bdev_read_blocks(w->f->rw, w->f->ch, w->f->buf, 0, 1, io_done, &w->r);
	}
}

static void
queue_io_wait_rejects_mismatch_and_available_io(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct ut_bdev *other;
	struct vfix f;
	struct waiter w = {0};

	vfix_open(&f, &c);
	other = ut_bdev_create_default("other");
	ut_set_thread(UT_T1);
	w.entry.bdev = &other->bdev;
	w.entry.cb_fn = waiter_cb;
	w.entry.cb_arg = &w;
	ut_log_clear();
	assert_int_equal(spdk_bdev_queue_io_wait(&f.ub->bdev, f.ch, &w.entry), -EINVAL);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "do not match", NULL), 1);
	/* Nothing is exhausted, so waiting makes no sense. */
	w.entry.bdev = &f.ub->bdev;
	assert_int_equal(spdk_bdev_queue_io_wait(&f.ub->bdev, f.ch, &w.entry), -EINVAL);
	ut_poll_threads();
	assert_int_equal(w.calls, 0);
	vfix_close(&f);
}

#define POOL_IOS 80

static void
enomem_then_io_wait_wakes_in_order(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	static struct io_result r[POOL_IOS];
	static struct waiter a, b, cc;
	int rc = 0;
	uint32_t n = 0, i;

	memset(r, 0, sizeof(r));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&cc, 0, sizeof(cc));
	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	for (n = 0; n < POOL_IOS; n++) {
		rc = spdk_bdev_read_blocks(f.rw, f.ch, f.buf, n % UT_BLOCKCNT, 1, io_done, &r[n]);
		if (rc != 0) {
			break;
		}
	}
	assert_int_equal(rc, -ENOMEM);
	assert_true(n >= 8 && n <= 64);
	ut_poll_threads();
	assert_int_equal(g_pending_count, n);
	assert_int_equal(g_io_done_total, 0);

	/* Three waiters: A, B at the tail, then C at the head (dep_unblock). */
	a.event = TR_WAIT_A;
	b.event = TR_WAIT_B;
	cc.event = TR_WAIT_C;
	a.f = &f;
	b.f = &f;
	cc.f = &f;
	a.entry = (struct spdk_bdev_io_wait_entry){
		.bdev = &f.ub->bdev, .cb_fn = waiter_cb, .cb_arg = &a};
	b.entry = (struct spdk_bdev_io_wait_entry){
		.bdev = &f.ub->bdev, .cb_fn = waiter_cb, .cb_arg = &b};
	cc.entry = (struct spdk_bdev_io_wait_entry){
		.bdev = &f.ub->bdev, .cb_fn = waiter_cb, .cb_arg = &cc, .dep_unblock = true};
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_queue_io_wait(&f.ub->bdev, f.ch, &a.entry), 0);
	assert_int_equal(spdk_bdev_queue_io_wait(&f.ub->bdev, f.ch, &b.entry), 0);
	assert_int_equal(spdk_bdev_queue_io_wait(&f.ub->bdev, f.ch, &cc.entry), 0);
	/* Waiters queued on this thread: a new submission must not jump them. */
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), -ENOMEM);
	ut_poll_threads();
	assert_int_equal(a.calls + b.calls + cc.calls, 0);

	/* Each freed I/O wakes one waiter, which takes it back with its resubmission. */
	g_trace_len = 0;
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r[0].calls, 1);
	assert_int_equal(cc.calls, 1);
	assert_int_equal(cc.resubmit_rc, 0);
	assert_int_equal(a.calls + b.calls, 0);
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(a.calls, 1);
	assert_int_equal(a.resubmit_rc, 0);
	assert_int_equal(b.calls, 0);
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(b.calls, 1);
	assert_int_equal(b.resubmit_rc, 0);
	ASSERT_TRACE(TR_IO_DONE, TR_WAIT_C, TR_IO_DONE, TR_WAIT_A, TR_IO_DONE, TR_WAIT_B);

	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	for (i = 0; i < n; i++) {
		assert_int_equal(r[i].calls, 1);
	}
	assert_int_equal(a.r.calls, 1);
	assert_int_equal(b.r.calls, 1);
	assert_int_equal(cc.r.calls, 1);
	assert_int_equal(f.r.calls, 0);
	vfix_close(&f);
}

static void
io_wait_on_other_thread_woken_when_pool_refills(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_io_channel *ch2;
	static struct io_result r[POOL_IOS];
	static struct waiter w;
	int rc = 0;
	uint32_t n;

	memset(r, 0, sizeof(r));
	memset(&w, 0, sizeof(w));
	vfix_open(&f, &c);
	ch2 = ut_get_channel(UT_T2, f.rw);
	/* Thread 1 takes everything the pool has. */
	ut_set_thread(UT_T1);
	for (n = 0; n < POOL_IOS; n++) {
		rc = spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &r[n]);
		if (rc != 0) {
			break;
		}
	}
	assert_int_equal(rc, -ENOMEM);
	/* Thread 2's cache may still hold some; drain it too. */
	ut_set_thread(UT_T2);
	for (; n < POOL_IOS; n++) {
		rc = spdk_bdev_read_blocks(f.rw, ch2, f.buf, 0, 1, io_done, &r[n]);
		if (rc != 0) {
			break;
		}
	}
	assert_int_equal(rc, -ENOMEM);
	assert_true(n < POOL_IOS);
	/* Thread 2 waits; only thread 1 completes I/O. The waiter is not stranded. */
	w.entry = (struct spdk_bdev_io_wait_entry){
		.bdev = &f.ub->bdev, .cb_fn = waiter_cb, .cb_arg = &w};
	assert_int_equal(spdk_bdev_queue_io_wait(&f.ub->bdev, ch2, &w.entry), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	ut_clock_advance_us(10 * 1000);
	ut_poll_threads();
	assert_int_equal(w.calls, 1);
	ut_put_channel(UT_T2, ch2);
	vfix_close(&f);
}

static void
nomem_status_retried_after_other_io_completes(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct io_result r1 = {0}, r2 = {0};
	struct spdk_bdev_io *first;

	vfix_open(&f, &c);
	fill_pattern(f.ub->data, UT_BLOCKLEN, 9);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &r1), 0);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf + 4096, 1, 1, io_done, &r2), 0);
	ut_poll_threads();
	assert_int_equal(g_pending_count, 2);
	first = ut_pending_first();
	ut_complete_io(first, SPDK_BDEV_IO_STATUS_NOMEM);
	ut_poll_threads();
	/* Not the user's business: no callback, no resubmission yet. */
	assert_int_equal(r1.calls, 0);
	assert_int_equal(g_nsubs, 2);
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r2.calls, 1);
	/* The other completion made room: the first I/O is sent again. */
	assert_int_equal(g_nsubs, 3);
	assert_int_equal(g_subs[2].offset, 0);
	assert_true(g_subs[2].num_retries >= 1);
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r1.calls, 1);
	assert_true(r1.success);
	assert_memory_equal(f.buf, f.ub->data, UT_BLOCKLEN);
	vfix_close(&f);
}

static void
nomem_status_with_nothing_outstanding_is_retried(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint32_t i;

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 3, 2, io_done, &f.r), 0);
	ut_poll_threads();
	assert_int_equal(g_nsubs, 1);
	/* The only I/O gets NOMEM: nothing else will ever complete to trigger a retry. */
	ut_complete_next(SPDK_BDEV_IO_STATUS_NOMEM);
	assert_int_equal(f.r.calls, 0);
	for (i = 0; i < 100 && g_nsubs < 2; i++) {
		ut_clock_advance_us(100);
		ut_poll_threads();
	}
	assert_int_equal(g_nsubs, 2);
	assert_int_equal(g_subs[1].offset, 3);
	assert_int_equal(g_subs[1].num_blocks, 2);
	assert_int_equal(f.r.calls, 0);
	/* Stuck again, then it finally goes through. */
	ut_complete_next(SPDK_BDEV_IO_STATUS_NOMEM);
	for (i = 0; i < 100 && g_nsubs < 3; i++) {
		ut_clock_advance_us(100);
		ut_poll_threads();
	}
	assert_int_equal(g_nsubs, 3);
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* Splitting                                                               */
/* ---------------------------------------------------------------------- */

static void
assert_sub(uint32_t i, uint8_t type, uint64_t offset, uint64_t num_blocks)
{
	assert_true(i < g_nsubs);
	assert_int_equal(g_subs[i].type, type);
	assert_int_equal(g_subs[i].offset, offset);
	assert_int_equal(g_subs[i].num_blocks, num_blocks);
}

/* Every segment sent to the module for subs [first, last) covers the caller's
 * buffer in order, starting at byte \p start of \p buf. */
static void
assert_subs_cover(uint32_t first, uint32_t last, uint8_t *buf, uint64_t start_block,
		  uint64_t blocks)
{
	uint64_t expect_block = start_block;
	uint32_t i;
	int j;

	for (i = first; i < last; i++) {
		uint64_t bytes = 0;
		uint8_t *pos = buf + (g_subs[i].offset - start_block) * UT_BLOCKLEN;

		assert_int_equal(g_subs[i].offset, expect_block);
		for (j = 0; j < g_subs[i].iovcnt; j++) {
			assert_ptr_equal(g_subs[i].iovs[j].iov_base, pos + bytes);
			bytes += g_subs[i].iovs[j].iov_len;
		}
		assert_true(bytes >= g_subs[i].num_blocks * UT_BLOCKLEN);
		expect_block += g_subs[i].num_blocks;
	}
	assert_int_equal(expect_block, start_block + blocks);
}

static void
split_on_optimal_io_boundary(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	c.optimal_io_boundary = 8;
	c.split_on_optimal_io_boundary = true;
	vfix_open(&f, &c);
	assert_int_equal(spdk_bdev_get_optimal_io_boundary(&f.ub->bdev), 8);
	fill_pattern(f.buf, 20 * UT_BLOCKLEN, 1);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 5, 20, io_done, &f.r), 0);
	ut_poll_threads();
	assert_true(g_nsubs >= 1);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 4);
	assert_sub(0, SPDK_BDEV_IO_TYPE_WRITE, 5, 3);
	assert_sub(1, SPDK_BDEV_IO_TYPE_WRITE, 8, 8);
	assert_sub(2, SPDK_BDEV_IO_TYPE_WRITE, 16, 8);
	assert_sub(3, SPDK_BDEV_IO_TYPE_WRITE, 24, 1);
	assert_subs_cover(0, 4, f.buf, 5, 20);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(f.ub->data + 5 * UT_BLOCKLEN, f.buf, 20 * UT_BLOCKLEN);

	/* An I/O inside one boundary window is not split. */
	memset(&f.r, 0, sizeof(f.r));
	g_nsubs = 0;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 8, 8, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_sub(0, SPDK_BDEV_IO_TYPE_READ, 8, 8);
	assert_int_equal(f.r.calls, 1);
	vfix_close(&f);
}

static void
split_boundary_without_flag_does_not_split(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	c.optimal_io_boundary = 8;
	c.split_on_optimal_io_boundary = false;
	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 5, 20, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_sub(0, SPDK_BDEV_IO_TYPE_READ, 5, 20);
	assert_int_equal(f.r.calls, 1);
	vfix_close(&f);
}

static void
split_child_failure_fails_parent_once(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint32_t k = 0;

	c.optimal_io_boundary = 4;
	c.split_on_optimal_io_boundary = true;
	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 16, io_done, &f.r), 0);
	ut_poll_threads();
	/* Fail the second child, succeed every other. */
	while (!TAILQ_EMPTY(&g_pending)) {
		ut_complete_next(k == 1 ? SPDK_BDEV_IO_STATUS_FAILED : SPDK_BDEV_IO_STATUS_SUCCESS);
		k++;
	}
	ut_poll_threads();
	assert_true(k >= 2 && k <= 4);
	assert_int_equal(f.r.calls, 1);
	assert_false(f.r.success);
	vfix_close(&f);
}

static void
split_on_max_rw_size(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	c.max_rw_size = 4;
	vfix_open(&f, &c);
	fill_pattern(f.ub->data, 10 * UT_BLOCKLEN, 2);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 10, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 3);
	assert_sub(0, SPDK_BDEV_IO_TYPE_READ, 0, 4);
	assert_sub(1, SPDK_BDEV_IO_TYPE_READ, 4, 4);
	assert_sub(2, SPDK_BDEV_IO_TYPE_READ, 8, 2);
	assert_subs_cover(0, 3, f.buf, 0, 10);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(f.buf, f.ub->data, 10 * UT_BLOCKLEN);
	vfix_close(&f);
}

static void
split_on_max_segment_size(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint32_t i;
	int j;

	c.max_segment_size = 2 * UT_BLOCKLEN;
	vfix_open(&f, &c);
	fill_pattern(f.buf, 8 * UT_BLOCKLEN, 3);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 16, 8, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_true(g_nsubs >= 1);
	for (i = 0; i < g_nsubs; i++) {
		for (j = 0; j < g_subs[i].iovcnt; j++) {
			assert_true(g_subs[i].iovs[j].iov_len <= 2 * UT_BLOCKLEN);
		}
	}
	assert_subs_cover(0, g_nsubs, f.buf, 16, 8);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(f.ub->data + 16 * UT_BLOCKLEN, f.buf, 8 * UT_BLOCKLEN);
	vfix_close(&f);
}

static void
split_on_max_num_segments(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct iovec iov[5];
	uint32_t i;

	c.max_num_segments = 2;
	vfix_open(&f, &c);
	for (i = 0; i < 5; i++) {
		iov[i].iov_base = f.buf + i * UT_BLOCKLEN;
		iov[i].iov_len = UT_BLOCKLEN;
	}
	fill_pattern(f.ub->data + 40 * UT_BLOCKLEN, 5 * UT_BLOCKLEN, 4);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_readv_blocks(f.rw, f.ch, iov, 5, 40, 5, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 3);
	for (i = 0; i < g_nsubs; i++) {
		assert_true(g_subs[i].iovcnt <= 2);
	}
	assert_subs_cover(0, g_nsubs, f.buf, 40, 5);
	assert_int_equal(f.r.calls, 1);
	assert_memory_equal(f.buf, f.ub->data + 40 * UT_BLOCKLEN, 5 * UT_BLOCKLEN);
	vfix_close(&f);
}

static void
split_many_children_beyond_in_flight_limit(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	/* 100 one-block children: more than can be in flight at once. */
	c.max_rw_size = 1;
	vfix_open(&f, &c);
	fill_pattern(f.buf, 100 * UT_BLOCKLEN, 5);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 100, 100, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 100);
	assert_subs_cover(0, 100, f.buf, 100, 100);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(f.ub->data + 100 * UT_BLOCKLEN, f.buf, 100 * UT_BLOCKLEN);
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* Buffers: bounce and NULL-buffer reads                                   */
/* ---------------------------------------------------------------------- */

static void
bounce_buffer_for_misaligned_write_and_read(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint8_t *mis;

	c.required_alignment = 12;
	vfix_open(&f, &c);
	assert_int_equal(spdk_bdev_get_buf_align(&f.ub->bdev), 4096);
	mis = f.buf + 8;
	fill_pattern(mis, 2 * UT_BLOCKLEN, 6);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, mis, 10, 2, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_int_equal((uintptr_t)g_subs[0].iovs[0].iov_base % 4096, 0);
	assert_ptr_not_equal(g_subs[0].iovs[0].iov_base, mis);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(f.ub->data + 10 * UT_BLOCKLEN, mis, 2 * UT_BLOCKLEN);

	/* The read lands in the caller's misaligned buffer after completion. */
	memset(&f.r, 0, sizeof(f.r));
	g_nsubs = 0;
	fill_pattern(f.ub->data + 30 * UT_BLOCKLEN, 3 * UT_BLOCKLEN, 7);
	memset(f.buf, 0xee, 8192);
	mis = f.buf + 4;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, mis, 30, 3, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_int_equal((uintptr_t)g_subs[0].iovs[0].iov_base % 4096, 0);
	assert_int_equal(f.r.calls, 1);
	assert_memory_equal(mis, f.ub->data + 30 * UT_BLOCKLEN, 3 * UT_BLOCKLEN);
	assert_int_equal(f.buf[0], 0xee);
	assert_int_equal(mis[3 * UT_BLOCKLEN], 0xee);

	/* An aligned buffer goes straight through. */
	memset(&f.r, 0, sizeof(f.r));
	g_nsubs = 0;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 30, 3, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_ptr_equal(g_subs[0].iovs[0].iov_base, f.buf);
	vfix_close(&f);
}

static void
bounce_buffer_for_misaligned_iov_segments(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct iovec iov[3];

	c.required_alignment = 9;
	vfix_open(&f, &c);
	/* The second segment starts at an odd address. */
	iov[0].iov_base = f.buf;
	iov[0].iov_len = UT_BLOCKLEN;
	iov[1].iov_base = f.buf + 8192 + 3;
	iov[1].iov_len = UT_BLOCKLEN;
	iov[2].iov_base = f.buf + 16384;
	iov[2].iov_len = UT_BLOCKLEN;
	fill_pattern(f.ub->data, 3 * UT_BLOCKLEN, 8);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_readv_blocks(f.rw, f.ch, iov, 3, 0, 3, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_true(g_nsubs >= 1);
	assert_int_equal((uintptr_t)g_subs[0].iovs[0].iov_base % 512, 0);
	assert_int_equal(f.r.calls, 1);
	assert_memory_equal(iov[0].iov_base, f.ub->data, UT_BLOCKLEN);
	assert_memory_equal(iov[1].iov_base, f.ub->data + UT_BLOCKLEN, UT_BLOCKLEN);
	assert_memory_equal(iov[2].iov_base, f.ub->data + 2 * UT_BLOCKLEN, UT_BLOCKLEN);
	vfix_close(&f);
}

static void
null_buffer_read_gets_buffer_from_layer(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint8_t out[4 * UT_BLOCKLEN];

	vfix_open(&f, &c);
	fill_pattern(f.ub->data + 7 * UT_BLOCKLEN, sizeof(out), 10);
	memset(out, 0, sizeof(out));
	f.r.copy = out;
	f.r.copy_len = sizeof(out);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, NULL, 7, 4, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_true(g_subs[0].buf_was_null);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(out, f.ub->data + 7 * UT_BLOCKLEN, sizeof(out));
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* Emulated commands                                                       */
/* ---------------------------------------------------------------------- */

static void
write_zeroes_emulated_with_writes(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint32_t i;
	uint64_t covered = 0;

	c.types = UT_BIT(SPDK_BDEV_IO_TYPE_READ) | UT_BIT(SPDK_BDEV_IO_TYPE_WRITE);
	vfix_open(&f, &c);
	memset(f.ub->data, 0xab, UT_BLOCKCNT * UT_BLOCKLEN);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_zeroes_blocks(f.rw, f.ch, 10, 20, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_true(g_nsubs >= 1);
	for (i = 0; i < g_nsubs; i++) {
		assert_int_equal(g_subs[i].type, SPDK_BDEV_IO_TYPE_WRITE);
		covered += g_subs[i].num_blocks;
	}
	assert_int_equal(covered, 20);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_true(is_zero(f.ub->data + 10 * UT_BLOCKLEN, 20 * UT_BLOCKLEN));
	assert_int_equal(f.ub->data[10 * UT_BLOCKLEN - 1], 0xab);
	assert_int_equal(f.ub->data[30 * UT_BLOCKLEN], 0xab);
	vfix_close(&f);
}

static void
write_zeroes_native_is_passed_through(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(
		spdk_bdev_write_zeroes(f.rw, f.ch, 4 * UT_BLOCKLEN, 4 * UT_BLOCKLEN, io_done, &f.r),
		0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_sub(0, SPDK_BDEV_IO_TYPE_WRITE_ZEROES, 4, 4);
	assert_int_equal(f.r.calls, 1);
	vfix_close(&f);
}

static void
compare_emulated_match_and_miscompare(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	vfix_open(&f, &c);
	assert_false(spdk_bdev_io_type_supported(&f.ub->bdev, SPDK_BDEV_IO_TYPE_COMPARE));
	fill_pattern(f.ub->data + 50 * UT_BLOCKLEN, 4 * UT_BLOCKLEN, 11);
	memcpy(f.buf, f.ub->data + 50 * UT_BLOCKLEN, 4 * UT_BLOCKLEN);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_compare_blocks(f.rw, f.ch, f.buf, 50, 4, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_true(g_nsubs >= 1);
	assert_int_equal(g_subs[0].type, SPDK_BDEV_IO_TYPE_READ);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_int_equal(f.r.sct, 0);
	assert_int_equal(f.r.sc, 0);
	/* The caller's buffer is not overwritten by the emulation's read. */
	assert_memory_equal(f.buf, f.ub->data + 50 * UT_BLOCKLEN, 4 * UT_BLOCKLEN);

	memset(&f.r, 0, sizeof(f.r));
	f.buf[3 * UT_BLOCKLEN + 17] ^= 0x40;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_compare_blocks(f.rw, f.ch, f.buf, 50, 4, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_false(f.r.success);
	/* MISCOMPARE translates to NVMe (2, 0x85). */
	assert_int_equal(f.r.sct, 2);
	assert_int_equal(f.r.sc, 0x85);
	vfix_close(&f);
}

static void
compare_native_miscompare_status(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	c.types |= UT_BIT(SPDK_BDEV_IO_TYPE_COMPARE);
	vfix_open(&f, &c);
	fill_pattern(f.ub->data, UT_BLOCKLEN, 12);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_compare_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_int_equal(g_subs[0].type, SPDK_BDEV_IO_TYPE_COMPARE);
	assert_int_equal(f.r.calls, 1);
	assert_false(f.r.success);
	assert_int_equal(f.r.sct, 2);
	assert_int_equal(f.r.sc, 0x85);
	vfix_close(&f);
}

static void
compare_and_write_emulated(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct iovec cmp, wr;

	vfix_open(&f, &c);
	fill_pattern(f.ub->data + 5 * UT_BLOCKLEN, UT_BLOCKLEN, 13);
	memcpy(f.buf, f.ub->data + 5 * UT_BLOCKLEN, UT_BLOCKLEN);
	fill_pattern(f.buf + 4096, UT_BLOCKLEN, 14);
	cmp.iov_base = f.buf;
	cmp.iov_len = UT_BLOCKLEN;
	wr.iov_base = f.buf + 4096;
	wr.iov_len = UT_BLOCKLEN;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_comparev_and_writev_blocks(f.rw, f.ch, &cmp, 1, &wr, 1, 5, 1,
							      io_done, &f.r),
			 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(f.ub->data + 5 * UT_BLOCKLEN, f.buf + 4096, UT_BLOCKLEN);

	/* A mismatch leaves the blocks alone. */
	memset(&f.r, 0, sizeof(f.r));
	fill_pattern(f.buf + 8192, UT_BLOCKLEN, 15);
	wr.iov_base = f.buf + 8192;
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_comparev_and_writev_blocks(f.rw, f.ch, &cmp, 1, &wr, 1, 5, 1,
							      io_done, &f.r),
			 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(f.r.calls, 1);
	assert_false(f.r.success);
	assert_memory_equal(f.ub->data + 5 * UT_BLOCKLEN, f.buf + 4096, UT_BLOCKLEN);
	vfix_close(&f);
}

static void
copy_emulated_with_read_and_write(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	uint32_t i, reads = 0, writes = 0;

	vfix_open(&f, &c);
	assert_false(spdk_bdev_io_type_supported(&f.ub->bdev, SPDK_BDEV_IO_TYPE_COPY));
	fill_pattern(f.ub->data + 20 * UT_BLOCKLEN, 6 * UT_BLOCKLEN, 16);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_copy_blocks(f.rw, f.ch, 100, 20, 6, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	for (i = 0; i < g_nsubs; i++) {
		if (g_subs[i].type == SPDK_BDEV_IO_TYPE_READ) {
			reads++;
			assert_true(g_subs[i].offset >= 20 && g_subs[i].offset < 26);
		} else if (g_subs[i].type == SPDK_BDEV_IO_TYPE_WRITE) {
			writes++;
			assert_true(g_subs[i].offset >= 100 && g_subs[i].offset < 106);
		} else {
			fail_msg("unexpected I/O type %u", g_subs[i].type);
		}
	}
	assert_true(reads >= 1);
	assert_true(writes >= 1);
	assert_int_equal(f.r.calls, 1);
	assert_true(f.r.success);
	assert_memory_equal(f.ub->data + 100 * UT_BLOCKLEN, f.ub->data + 20 * UT_BLOCKLEN,
			    6 * UT_BLOCKLEN);
	vfix_close(&f);
}

static void
copy_native_is_passed_through(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;

	c.types |= UT_BIT(SPDK_BDEV_IO_TYPE_COPY);
	vfix_open(&f, &c);
	fill_pattern(f.ub->data, 2 * UT_BLOCKLEN, 17);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_copy_blocks(f.rw, f.ch, 64, 0, 2, io_done, &f.r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(g_nsubs, 1);
	assert_int_equal(g_subs[0].type, SPDK_BDEV_IO_TYPE_COPY);
	assert_int_equal(g_subs[0].offset, 64);
	assert_int_equal(g_subs[0].src_offset, 0);
	assert_int_equal(f.r.calls, 1);
	assert_memory_equal(f.ub->data + 64 * UT_BLOCKLEN, f.ub->data, 2 * UT_BLOCKLEN);
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* Reset                                                                   */
/* ---------------------------------------------------------------------- */

static bool
pending_has_type(uint8_t type)
{
	struct spdk_bdev_io *io;

	TAILQ_FOREACH (io, &g_pending, module_link) {
		if (io->type == type) {
			return true;
		}
	}
	return false;
}

static void
reset_freezes_drains_and_resumes(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_io_channel *ch2;
	struct io_result ra = {0}, rb = {0}, rr = {0};
	struct spdk_bdev_io *io;

	vfix_open(&f, &c);
	ch2 = ut_get_channel(UT_T2, f.rw);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &ra), 0);
	ut_poll_threads();
	assert_int_equal(g_pending_count, 1);
	g_trace_len = 0;

	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_reset(f.rw, f.ch, reset_done, &rr), 0);
	ut_poll_threads();
	/* The reset waits for the outstanding read. */
	assert_false(pending_has_type(SPDK_BDEV_IO_TYPE_RESET));
	assert_int_equal(rr.calls, 0);

	/* New I/O on a frozen channel is held back, not failed. */
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, ch2, f.buf + 4096, 1, 1, io_done, &rb), 0);
	ut_poll_threads();
	assert_int_equal(g_pending_count, 1);
	assert_int_equal(rb.calls, 0);

	/* The read drains; now the module gets the reset, and only that. */
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	ut_clock_advance_us(1000);
	ut_poll_threads();
	assert_int_equal(ra.calls, 1);
	assert_int_equal(g_pending_count, 1);
	io = ut_pending_first();
	assert_int_equal(io->type, SPDK_BDEV_IO_TYPE_RESET);

	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(rr.calls, 1);
	assert_true(rr.success);
	assert_ptr_equal(rr.thread, ut_thread(UT_T1));
	/* Unfrozen: the held read reaches the module. */
	ut_poll_threads();
	assert_int_equal(g_pending_count, 1);
	assert_int_equal(ut_pending_first()->type, SPDK_BDEV_IO_TYPE_READ);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(rb.calls, 1);
	assert_true(rb.success);
	assert_ptr_equal(rb.thread, ut_thread(UT_T2));
	ASSERT_TRACE(TR_IO_DONE, TR_RESET_DONE, TR_IO_DONE);
	ut_put_channel(UT_T2, ch2);
	vfix_close(&f);
}

static void
resets_are_serialised(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct io_result r1 = {0}, r2 = {0};

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_reset(f.rw, f.ch, reset_done, &r1), 0);
	assert_int_equal(spdk_bdev_reset(f.rw, f.ch, reset_done, &r2), 0);
	ut_clock_advance_us(1000);
	ut_poll_threads();
	assert_int_equal(g_pending_count, 1);
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	ut_clock_advance_us(1000);
	ut_poll_threads();
	assert_int_equal(r1.calls, 1);
	assert_int_equal(r2.calls, 0);
	assert_int_equal(g_pending_count, 1);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r2.calls, 1);
	assert_int_equal(g_nsubs, 2);
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* Hot remove, events, resize                                              */
/* ---------------------------------------------------------------------- */

static void
hot_remove_with_io_in_flight(void **state)
{
	struct ut_bdev *ub = ut_bdev_create_default("hot");
	struct ev_rec ev = {0};
	struct spdk_bdev_desc *desc, *d2 = NULL;
	struct spdk_io_channel *ch;
	struct io_result r = {0};
	uint8_t buf[UT_BLOCKLEN];
	int urc = 1;

	desc = ut_open(UT_T1, "hot", true, &ev);
	ch = ut_get_channel(UT_T1, desc);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, buf, 0, 1, io_done, &r), 0);
	ut_poll_threads();
	assert_int_equal(g_pending_count, 1);
	g_trace_len = 0;

	ut_set_thread(UT_APP);
	spdk_bdev_unregister(&ub->bdev, ut_unregister_done, &urc);
	ut_poll_threads();
	assert_int_equal(ev.remove, 1);
	assert_ptr_equal(ev.thread, ut_thread(UT_T1));
	assert_ptr_equal(ev.bdev, &ub->bdev);
	/* Going away: no new opens. */
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_open_ext("hot", false, ev_cb, &g_ev_ignored, &d2), -ENODEV);
	assert_int_equal(g_destruct_count, 0);
	assert_int_equal(urc, 1);

	/* The in-flight read still completes normally. */
	ut_complete_next(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r.calls, 1);
	assert_true(r.success);
	/* Closing is not enough while the channel lives. */
	ut_close(UT_T1, desc);
	assert_int_equal(g_destruct_count, 0);
	assert_int_equal(urc, 1);
	ut_put_channel(UT_T1, ch);
	assert_int_equal(g_destruct_count, 1);
	assert_int_equal(urc, 0);
	ASSERT_TRACE(TR_REMOVE, TR_IO_DONE, TR_DESTRUCT, TR_UNREG_DONE);
	assert_null(spdk_bdev_get_by_name("hot"));
}

static void
unregister_twice_is_ebusy(void **state)
{
	struct ut_bdev *ub = ut_bdev_create_default("twice");
	struct spdk_bdev_desc *desc = ut_open(UT_T1, "twice", false, NULL);
	int rc1 = 1, rc2 = 1;

	ut_set_thread(UT_APP);
	spdk_bdev_unregister(&ub->bdev, ut_unregister_done, &rc1);
	spdk_bdev_unregister(&ub->bdev, ut_unregister_done, &rc2);
	ut_poll_threads();
	assert_int_equal(rc2, -EBUSY);
	assert_int_equal(rc1, 1);
	ut_close(UT_T1, desc);
	assert_int_equal(rc1, 0);
	assert_int_equal(g_destruct_count, 1);
}

static void
null_event_cb_accepted_and_removal_warns(void **state)
{
	struct ut_bdev *ub = ut_bdev_create_default("quiet");
	struct spdk_bdev_desc *desc = NULL;
	int urc = 1;

	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_open_ext("quiet", true, NULL, NULL, &desc), 0);
	assert_non_null(desc);
	ut_track_desc(UT_T1, desc);
	ut_log_clear();
	ut_set_thread(UT_APP);
	spdk_bdev_unregister(&ub->bdev, ut_unregister_done, &urc);
	ut_poll_threads();
	assert_true(ut_log_count(SPDK_LOG_WARN) >= 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_WARN, "quiet", NULL) >= 1, true);
	/* The bdev stays until the descriptor is closed. */
	assert_int_equal(g_destruct_count, 0);
	assert_int_equal(urc, 1);
	ut_close(UT_T1, desc);
	assert_int_equal(g_destruct_count, 1);
	assert_int_equal(urc, 0);
}

static void
close_on_wrong_thread_is_refused(void **state)
{
	struct spdk_bdev_desc *desc;

	ut_bdev_create_default("owner");
	desc = ut_open(UT_T1, "owner", false, NULL);
	ut_log_clear();
	ut_set_thread(UT_T2);
	spdk_bdev_close(desc);
	ut_poll_threads();
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	/* Still open: the right thread can close it. */
	assert_ptr_equal(spdk_bdev_desc_get_bdev(desc), spdk_bdev_get_by_name("owner"));
	ut_close(UT_T1, desc);
}

static void
resize_notifies_and_shrink_with_open_desc_is_ebusy(void **state)
{
	struct ut_bdev *ub = ut_bdev_create_default("grow");
	struct ev_rec ev = {0};
	struct spdk_bdev_desc *desc = ut_open(UT_T2, "grow", false, &ev);
	struct spdk_io_channel *ch = ut_get_channel(UT_T2, desc);
	struct io_result r = {0};
	uint8_t *data;

	/* The module grows its store first, then tells the layer. */
	data = realloc(ub->data, 2 * UT_BLOCKCNT * UT_BLOCKLEN);
	assert_non_null(data);
	ub->data = data;
	ut_set_thread(UT_APP);
	assert_int_equal(spdk_bdev_notify_blockcnt_change(&ub->bdev, 2 * UT_BLOCKCNT), 0);
	ut_poll_threads();
	assert_int_equal(ev.resize, 1);
	assert_ptr_equal(ev.thread, ut_thread(UT_T2));
	assert_int_equal(spdk_bdev_get_num_blocks(&ub->bdev), 2 * UT_BLOCKCNT);
	/* The new blocks are addressable. */
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_read_blocks(desc, ch, data, 2 * UT_BLOCKCNT - 1, 1, io_done, &r),
			 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r.calls, 1);

	ut_set_thread(UT_APP);
	assert_int_equal(spdk_bdev_notify_blockcnt_change(&ub->bdev, UT_BLOCKCNT), -EBUSY);
	assert_int_equal(spdk_bdev_notify_blockcnt_change(&ub->bdev, 0), -EINVAL);
	assert_int_equal(spdk_bdev_get_num_blocks(&ub->bdev), 2 * UT_BLOCKCNT);
	ut_poll_threads();
	assert_int_equal(ev.resize, 1);
	ut_put_channel(UT_T2, ch);
	ut_close(UT_T2, desc);
	ut_set_thread(UT_APP);
	assert_int_equal(spdk_bdev_notify_blockcnt_change(&ub->bdev, UT_BLOCKCNT), 0);
	assert_int_equal(spdk_bdev_get_num_blocks(&ub->bdev), UT_BLOCKCNT);
}

/* ---------------------------------------------------------------------- */
/* Statistics and histograms                                               */
/* ---------------------------------------------------------------------- */

static void
stats_per_channel_count_successes_and_reset(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_bdev_io_stat st;
	struct io_result r = {0};

	vfix_open(&f, &c);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &r), 0);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 1, 2, io_done, &r), 0);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 0, 4, io_done, &r), 0);
	assert_int_equal(spdk_bdev_unmap_blocks(f.rw, f.ch, 8, 8, io_done, &r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	/* A failed I/O is not counted. */
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 0, 4, io_done, &r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_FAILED);
	assert_int_equal(r.calls, 5);

	memset(&st, 0, sizeof(st));
	ut_set_thread(UT_T1);
	spdk_bdev_get_io_stat(&f.ub->bdev, f.ch, &st, SPDK_BDEV_RESET_STAT_NONE);
	assert_int_equal(st.num_read_ops, 2);
	assert_int_equal(st.bytes_read, 3 * UT_BLOCKLEN);
	assert_int_equal(st.num_write_ops, 1);
	assert_int_equal(st.bytes_written, 4 * UT_BLOCKLEN);
	assert_int_equal(st.num_unmap_ops, 1);
	assert_int_equal(st.bytes_unmapped, 8 * UT_BLOCKLEN);
	assert_true(st.max_read_latency_ticks >= st.min_read_latency_ticks);
	assert_true(st.read_latency_ticks >= st.max_read_latency_ticks);
	assert_int_equal(st.ticks_rate, spdk_get_ticks_hz());

	/* MAXMIN keeps the counters and clears the extremes. */
	spdk_bdev_get_io_stat(&f.ub->bdev, f.ch, &st, SPDK_BDEV_RESET_STAT_MAXMIN);
	spdk_bdev_get_io_stat(&f.ub->bdev, f.ch, &st, SPDK_BDEV_RESET_STAT_NONE);
	assert_int_equal(st.num_read_ops, 2);
	assert_int_equal(st.max_read_latency_ticks, 0);
	assert_int_equal(st.min_read_latency_ticks, UINT64_MAX);
	/* ALL clears everything. */
	spdk_bdev_get_io_stat(&f.ub->bdev, f.ch, &st, SPDK_BDEV_RESET_STAT_ALL);
	assert_int_equal(st.num_read_ops, 2);
	spdk_bdev_get_io_stat(&f.ub->bdev, f.ch, &st, SPDK_BDEV_RESET_STAT_NONE);
	assert_int_equal(st.num_read_ops, 0);
	assert_int_equal(st.bytes_read, 0);
	assert_int_equal(st.num_write_ops, 0);
	assert_int_equal(st.num_unmap_ops, 0);
	assert_int_equal(st.min_read_latency_ticks, UINT64_MAX);
	vfix_close(&f);
}

/* Latency by the poll clock: an I/O submitted from a message and completed
 * from one later takes exactly the simulated time between the two polls. */
static struct vfix *g_clock_fix;

static void
clock_submit_msg(void *arg)
{
	struct vfix *f = g_clock_fix;

	assert_int_equal(spdk_bdev_read_blocks(f->rw, f->ch, f->buf, 0, 1, io_done, arg), 0);
}

static void
clock_complete_msg(void *arg)
{
	ut_complete_io(TAILQ_FIRST(&g_pending), SPDK_BDEV_IO_STATUS_SUCCESS);
}

static void
stats_latency_is_measured_by_the_poll_clock(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_bdev_io_stat st;
	struct io_result r = {0};

	vfix_open(&f, &c);
	g_clock_fix = &f;
	spdk_thread_send_msg(ut_thread(UT_T1), clock_submit_msg, &r);
	assert_int_equal(ut_poll_thread(UT_T1), 1);
	assert_int_equal(g_pending_count, 1);
	ut_clock_advance_ticks(777);
	spdk_thread_send_msg(ut_thread(UT_T1), clock_complete_msg, NULL);
	assert_int_equal(ut_poll_thread(UT_T1), 1);
	assert_int_equal(r.calls, 1);
	assert_true(r.success);

	memset(&st, 0, sizeof(st));
	ut_set_thread(UT_T1);
	spdk_bdev_get_io_stat(&f.ub->bdev, f.ch, &st, SPDK_BDEV_RESET_STAT_NONE);
	assert_int_equal(st.num_read_ops, 1);
	assert_int_equal(st.read_latency_ticks, 777);
	assert_int_equal(st.min_read_latency_ticks, 777);
	assert_int_equal(st.max_read_latency_ticks, 777);
	g_clock_fix = NULL;
	vfix_close(&f);
}

struct devstat_res {
	uint32_t calls;
	int rc;
	struct spdk_thread *thread;
};

static void
devstat_done(struct spdk_bdev *bdev, struct spdk_bdev_io_stat *stat, void *arg, int rc)
{
	struct devstat_res *d = arg;

	d->calls++;
	d->rc = rc;
	d->thread = spdk_get_thread();
}

static void
device_stat_includes_destroyed_channels(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_io_channel *ch2;
	struct spdk_bdev_io_stat st;
	struct devstat_res d = {0};
	struct io_result r = {0};

	vfix_open(&f, &c);
	/* One read on a channel of thread 2 that is then destroyed. */
	ch2 = ut_get_channel(UT_T2, f.rw);
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, ch2, f.buf, 0, 1, io_done, &r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	ut_put_channel(UT_T2, ch2);
	/* Two reads and a write on thread 1's live channel. */
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &r), 0);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &r), 0);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 0, 2, io_done, &r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r.calls, 4);

	memset(&st, 0, sizeof(st));
	ut_set_thread(UT_APP);
	spdk_bdev_get_device_stat(&f.ub->bdev, &st, SPDK_BDEV_RESET_STAT_NONE, devstat_done, &d);
	ut_poll_threads();
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.rc, 0);
	assert_ptr_equal(d.thread, ut_thread(UT_APP));
	assert_int_equal(st.num_read_ops, 3);
	assert_int_equal(st.bytes_read, 3 * UT_BLOCKLEN);
	assert_int_equal(st.num_write_ops, 1);
	assert_int_equal(st.bytes_written, 2 * UT_BLOCKLEN);

	/* Reset ALL through the device stat: live and stored counters start over. */
	memset(&d, 0, sizeof(d));
	ut_set_thread(UT_APP);
	spdk_bdev_get_device_stat(&f.ub->bdev, &st, SPDK_BDEV_RESET_STAT_ALL, devstat_done, &d);
	ut_poll_threads();
	assert_int_equal(st.num_read_ops, 3);
	memset(&d, 0, sizeof(d));
	memset(&st, 0xff, offsetof(struct spdk_bdev_io_stat, io_error));
	ut_set_thread(UT_APP);
	spdk_bdev_get_device_stat(&f.ub->bdev, &st, SPDK_BDEV_RESET_STAT_NONE, devstat_done, &d);
	ut_poll_threads();
	assert_int_equal(d.calls, 1);
	assert_int_equal(st.num_read_ops, 0);
	assert_int_equal(st.num_write_ops, 0);
	vfix_close(&f);
}

/* A channel whose last reference is dropped just before the device statistics
 * are gathered (its release still queued on its thread) must be counted once. */
static void
device_stat_counts_channel_released_during_the_call(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct spdk_io_channel *ch2;
	struct spdk_bdev_io_stat st;
	struct devstat_res d = {0};
	struct io_result r = {0};

	vfix_open(&f, &c);
	ch2 = ut_get_channel(UT_T2, f.rw);
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, ch2, f.buf, 0, 1, io_done, &r), 0);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, ch2, f.buf, 1, 1, io_done, &r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r.calls, 2);
	/* Put without polling: the release is queued on thread 2. */
	ut_unhold(g_held_chs, ch2);
	ut_set_thread(UT_T2);
	spdk_put_io_channel(ch2);
	memset(&st, 0, sizeof(st));
	ut_set_thread(UT_APP);
	spdk_bdev_get_device_stat(&f.ub->bdev, &st, SPDK_BDEV_RESET_STAT_NONE, devstat_done, &d);
	ut_poll_threads();
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.rc, 0);
	assert_int_equal(st.num_read_ops, 2);
	/* Asked again, later: still exactly once. */
	memset(&d, 0, sizeof(d));
	memset(&st, 0, sizeof(st));
	ut_set_thread(UT_APP);
	spdk_bdev_get_device_stat(&f.ub->bdev, &st, SPDK_BDEV_RESET_STAT_NONE, devstat_done, &d);
	ut_poll_threads();
	assert_int_equal(st.num_read_ops, 2);
	vfix_close(&f);
}

struct hist_res {
	uint32_t calls;
	int status;
	bool null_hist;
	uint64_t total;
};

static void
hist_count_cb(void *ctx, uint64_t start, uint64_t end, uint64_t count, uint64_t total,
	      uint64_t so_far)
{
	*(uint64_t *)ctx += count;
}

static void
hist_status_cb(void *arg, int status)
{
	struct hist_res *h = arg;

	h->calls++;
	h->status = status;
}

static void
hist_data_cb(void *arg, int status, struct spdk_histogram_data *hist)
{
	struct hist_res *h = arg;

	h->calls++;
	h->status = status;
	h->null_hist = hist == NULL;
	h->total = 0;
	if (hist != NULL) {
		spdk_histogram_data_iterate(hist, hist_count_cb, &h->total);
	}
}

static void
histograms_enable_get_and_disable(void **state)
{
	struct ut_conf c = ut_conf_default("v");
	struct vfix f;
	struct hist_res h = {0};
	struct io_result r = {0};
	struct spdk_histogram_data *hist;
	struct spdk_io_channel *ch2;

	vfix_open(&f, &c);
	/* Off: the channel reports -EFAULT and no histogram. */
	ut_set_thread(UT_T1);
	spdk_bdev_channel_get_histogram(f.ch, hist_data_cb, &h);
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.status, -EFAULT);
	assert_true(h.null_hist);

	memset(&h, 0, sizeof(h));
	ut_set_thread(UT_APP);
	spdk_bdev_histogram_enable(&f.ub->bdev, hist_status_cb, &h, true);
	ut_poll_threads();
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.status, 0);

	/* A channel created after enabling gets a histogram too. */
	ch2 = ut_get_channel(UT_T2, f.rw);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &r), 0);
	assert_int_equal(spdk_bdev_write_blocks(f.rw, f.ch, f.buf, 0, 1, io_done, &r), 0);
	ut_set_thread(UT_T2);
	assert_int_equal(spdk_bdev_read_blocks(f.rw, ch2, f.buf, 0, 1, io_done, &r), 0);
	ut_complete_all(SPDK_BDEV_IO_STATUS_SUCCESS);
	assert_int_equal(r.calls, 3);

	memset(&h, 0, sizeof(h));
	ut_set_thread(UT_T1);
	spdk_bdev_channel_get_histogram(f.ch, hist_data_cb, &h);
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.status, 0);
	assert_int_equal(h.total, 2);

	hist = spdk_histogram_data_alloc();
	assert_non_null(hist);
	memset(&h, 0, sizeof(h));
	ut_set_thread(UT_APP);
	spdk_bdev_histogram_get(&f.ub->bdev, hist, hist_data_cb, &h);
	ut_poll_threads();
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.status, 0);
	assert_int_equal(h.total, 3);

	memset(&h, 0, sizeof(h));
	ut_set_thread(UT_APP);
	spdk_bdev_histogram_enable(&f.ub->bdev, hist_status_cb, &h, false);
	ut_poll_threads();
	assert_int_equal(h.status, 0);
	memset(&h, 0, sizeof(h));
	ut_set_thread(UT_T1);
	spdk_bdev_channel_get_histogram(f.ch, hist_data_cb, &h);
	assert_int_equal(h.status, -EFAULT);
	assert_true(h.null_hist);
	memset(&h, 0, sizeof(h));
	ut_set_thread(UT_APP);
	spdk_bdev_histogram_get(&f.ub->bdev, hist, hist_data_cb, &h);
	ut_poll_threads();
	assert_int_equal(h.calls, 1);
	assert_int_equal(h.status, -EFAULT);
	spdk_histogram_data_free(hist);
	ut_put_channel(UT_T2, ch2);
	vfix_close(&f);
}

/* ---------------------------------------------------------------------- */
/* Claims                                                                  */
/* ---------------------------------------------------------------------- */

static uint32_t
count_leaves(void)
{
	struct spdk_bdev *b;
	uint32_t n = 0;

	for (b = spdk_bdev_first_leaf(); b != NULL; b = spdk_bdev_next_leaf(b)) {
		n++;
	}
	return n;
}

static int
count_visit(void *ctx, struct spdk_bdev *bdev)
{
	(*(uint32_t *)ctx)++;
	return 0;
}

static void
claim_v1_exclusive_write(void **state)
{
	struct ut_bdev *a = ut_bdev_create_default("base");
	struct ut_bdev *b = ut_bdev_create_default("free");
	struct spdk_bdev_desc *desc = NULL, *ro;
	uint32_t visits = 0;

	ut_set_thread(UT_APP);
	assert_int_equal(count_leaves(), 2);
	assert_int_equal(spdk_bdev_module_claim_bdev(&a->bdev, NULL, &g_ut_claimer), 0);
	ut_log_clear();
	assert_int_equal(spdk_bdev_module_claim_bdev(&a->bdev, NULL, &g_ut_module), -EPERM);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "base", "already claimed", NULL), 1);
	/* Write opens of a claimed bdev fail, read-only opens do not. */
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_open_ext("base", true, ev_cb, &g_ev_ignored, &desc), -EPERM);
	ro = ut_open(UT_T1, "base", false, NULL);
	/* Leaf iteration skips the claimed bdev. */
	assert_ptr_equal(spdk_bdev_first_leaf(), &b->bdev);
	assert_null(spdk_bdev_next_leaf(&b->bdev));
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_for_each_bdev_leaf(&visits, count_visit), 0);
	assert_int_equal(visits, 1);
	visits = 0;
	assert_int_equal(spdk_for_each_bdev(&visits, count_visit), 0);
	assert_int_equal(visits, 2);
	ut_poll_threads();

	ut_set_thread(UT_APP);
	spdk_bdev_module_release_bdev(&a->bdev);
	assert_int_equal(count_leaves(), 2);
	desc = ut_open(UT_T1, "base", true, NULL);
	ut_close(UT_T1, desc);
	ut_close(UT_T1, ro);
}

static void
claim_v2_released_on_close(void **state)
{
	struct spdk_bdev_desc *claimer, *desc = NULL, *ro;

	ut_bdev_create_default("shared");
	claimer = ut_open(UT_T1, "shared", false, NULL);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_module_claim_bdev_desc(claimer,
							  SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE,
							  NULL, &g_ut_claimer),
			 0);
	assert_int_equal(count_leaves(), 0);
	assert_int_equal(spdk_bdev_open_ext("shared", true, ev_cb, &g_ev_ignored, &desc), -EPERM);
	ro = ut_open(UT_T2, "shared", false, NULL);
	/* A v1 claim on top of a v2 claim is refused. */
	ut_set_thread(UT_APP);
	assert_int_equal(
		spdk_bdev_module_claim_bdev(spdk_bdev_get_by_name("shared"), NULL, &g_ut_module),
		-EPERM);
	/* READ_MANY_WRITE_NONE through a writable descriptor is invalid. */
	assert_string_equal(spdk_bdev_claim_get_name(SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE),
			    "read_many_write_none");
	ut_close(UT_T1, claimer);
	assert_int_equal(count_leaves(), 1);
	desc = ut_open(UT_T1, "shared", true, NULL);
	ut_set_thread(UT_T1);
	assert_int_equal(spdk_bdev_module_claim_bdev_desc(
				 desc, SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE, NULL, &g_ut_claimer),
			 -EINVAL);
	/* READ_MANY_WRITE_ONE through the writer works; another writer cannot open. */
	assert_int_equal(spdk_bdev_module_claim_bdev_desc(desc, SPDK_BDEV_CLAIM_READ_MANY_WRITE_ONE,
							  NULL, &g_ut_claimer),
			 0);
	ut_set_thread(UT_T2);
	{
		struct spdk_bdev_desc *w2 = NULL;

		assert_int_equal(spdk_bdev_open_ext("shared", true, ev_cb, &g_ev_ignored, &w2),
				 -EPERM);
	}
	ut_close(UT_T1, desc);
	ut_close(UT_T2, ro);
}

/* ---------------------------------------------------------------------- */
/* Subsystem                                                               */
/* ---------------------------------------------------------------------- */

static void
finish_unregisters_remaining_bdevs(void **state)
{
	ut_bdev_create_default("left1");
	ut_bdev_create_default("left2");
	assert_int_equal(g_destruct_count, 0);
	/* The teardown's spdk_bdev_finish() must destruct both. */
}

static void
buf_align_and_block_getters(void **state)
{
	struct ut_conf c = ut_conf_default("geo");
	struct ut_bdev *ub;
	struct spdk_bdev_desc *desc;

	c.required_alignment = 9;
	c.write_unit_size = 4;
	c.acwu = 2;
	c.optimal_io_boundary = 16;
	ub = ut_bdev_create(&c);
	assert_int_equal(spdk_bdev_get_buf_align(&ub->bdev), 512);
	assert_int_equal(spdk_bdev_get_write_unit_size(&ub->bdev), 4);
	assert_int_equal(spdk_bdev_get_acwu(&ub->bdev), 2);
	assert_int_equal(spdk_bdev_get_optimal_io_boundary(&ub->bdev), 16);
	assert_int_equal(spdk_bdev_get_block_size(&ub->bdev), UT_BLOCKLEN);
	assert_int_equal(spdk_bdev_get_data_block_size(&ub->bdev), UT_BLOCKLEN);
	assert_int_equal(spdk_bdev_get_md_size(&ub->bdev), 0);
	desc = ut_open(UT_T1, "geo", false, NULL);
	assert_int_equal(spdk_bdev_desc_get_block_size(desc), UT_BLOCKLEN);
	ut_close(UT_T1, desc);
}

#define BDEV_TEST(t) cmocka_unit_test_setup_teardown(t, setup_bdev, teardown_bdev)
#define POOL_TEST(t) cmocka_unit_test_setup_teardown(t, setup_small_pool, teardown_bdev)

int
main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
		BDEV_TEST(register_fills_defaults_and_uuid_alias),
		BDEV_TEST(register_duplicate_or_empty_name_fails),
		BDEV_TEST(io_type_supported_reports_write_zeroes_when_write),
		BDEV_TEST(aliases_resolve_and_conflict),
		BDEV_TEST(set_opts_rejects_pool_smaller_than_caches),
		BDEV_TEST(open_errors),
		BDEV_TEST(buf_align_and_block_getters),
		BDEV_TEST(validation_byte_unaligned_is_einval_before_ebadf),
		BDEV_TEST(validation_read_only_desc_is_ebadf_before_range),
		BDEV_TEST(validation_range_overflow_and_end),
		BDEV_TEST(validation_zero_blocks_passes_range_check),
		BDEV_TEST(validation_unsupported_types_are_enotsup),
		BDEV_TEST(validation_md_buf_without_separate_md_is_einval),
		BDEV_TEST(validation_compare_and_write_beyond_acwu_is_einval),
		BDEV_TEST(validation_iov_null_or_empty_is_einval),
		BDEV_TEST(channel_used_on_wrong_thread_is_einval),
		BDEV_TEST(completion_deferred_when_module_completes_inside_submit),
		BDEV_TEST(completion_runs_once_on_submitting_thread),
		BDEV_TEST(completion_failure_and_negative_return),
		BDEV_TEST(double_completion_is_logged_and_ignored),
		BDEV_TEST(queue_io_wait_rejects_mismatch_and_available_io),
		POOL_TEST(enomem_then_io_wait_wakes_in_order),
		POOL_TEST(io_wait_on_other_thread_woken_when_pool_refills),
		BDEV_TEST(nomem_status_retried_after_other_io_completes),
		BDEV_TEST(nomem_status_with_nothing_outstanding_is_retried),
		BDEV_TEST(split_on_optimal_io_boundary),
		BDEV_TEST(split_boundary_without_flag_does_not_split),
		BDEV_TEST(split_child_failure_fails_parent_once),
		BDEV_TEST(split_on_max_rw_size),
		BDEV_TEST(split_on_max_segment_size),
		BDEV_TEST(split_on_max_num_segments),
		BDEV_TEST(split_many_children_beyond_in_flight_limit),
		BDEV_TEST(bounce_buffer_for_misaligned_write_and_read),
		BDEV_TEST(bounce_buffer_for_misaligned_iov_segments),
		BDEV_TEST(null_buffer_read_gets_buffer_from_layer),
		BDEV_TEST(write_zeroes_emulated_with_writes),
		BDEV_TEST(write_zeroes_native_is_passed_through),
		BDEV_TEST(compare_emulated_match_and_miscompare),
		BDEV_TEST(compare_native_miscompare_status),
		BDEV_TEST(compare_and_write_emulated),
		BDEV_TEST(copy_emulated_with_read_and_write),
		BDEV_TEST(copy_native_is_passed_through),
		BDEV_TEST(reset_freezes_drains_and_resumes),
		BDEV_TEST(resets_are_serialised),
		BDEV_TEST(hot_remove_with_io_in_flight),
		BDEV_TEST(unregister_twice_is_ebusy),
		BDEV_TEST(null_event_cb_accepted_and_removal_warns),
		BDEV_TEST(close_on_wrong_thread_is_refused),
		BDEV_TEST(resize_notifies_and_shrink_with_open_desc_is_ebusy),
		BDEV_TEST(stats_per_channel_count_successes_and_reset),
		BDEV_TEST(stats_latency_is_measured_by_the_poll_clock),
		BDEV_TEST(device_stat_includes_destroyed_channels),
		BDEV_TEST(device_stat_counts_channel_released_during_the_call),
		BDEV_TEST(histograms_enable_get_and_disable),
		BDEV_TEST(claim_v1_exclusive_write),
		BDEV_TEST(claim_v2_released_on_close),
		BDEV_TEST(finish_unregisters_remaining_bdevs),
	};

	/* An optional argument runs only the tests whose names match it (cmocka glob). */
	if (argc > 1) {
		cmocka_set_test_filter(argv[1]);
	}
	return cmocka_run_group_tests(tests, NULL, NULL);
}
