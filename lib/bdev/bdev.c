/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The bdev layer's control plane: the module list, subsystem start and stop,
 * the registry of bdevs and their names, descriptors and their events
 * (REMOVE, RESIZE), unregistration, claims, examination, statistics over all
 * channels, histograms, and the simple getters. The I/O path lives in
 * bdev_io.c.
 *
 * All registry state is guarded by g_bdev_mgr.mutex. Callbacks into modules
 * and users are never made with the mutex held.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/bdev_zone.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"

#include "bdev_internal.h"
#include "updk_internal/bdev.h"

SPDK_LOG_REGISTER_COMPONENT(bdev)

struct bdev_manager g_bdev_mgr = {
	.mutex = PTHREAD_MUTEX_INITIALIZER,
	.modules = TAILQ_HEAD_INITIALIZER(g_bdev_mgr.modules),
	.bdevs = TAILQ_HEAD_INITIALIZER(g_bdev_mgr.bdevs),
};

#define BDEV_IO_POOL_SIZE_DEFAULT (64 * 1024 - 1)
#define BDEV_IO_CACHE_SIZE_DEFAULT 256
#define BDEV_IOBUF_SMALL_CACHE_DEFAULT 128
#define BDEV_IOBUF_LARGE_CACHE_DEFAULT 16

struct spdk_bdev_opts g_bdev_opts = {
	.bdev_io_pool_size = BDEV_IO_POOL_SIZE_DEFAULT,
	.bdev_io_cache_size = BDEV_IO_CACHE_SIZE_DEFAULT,
	.bdev_auto_examine = true,
	.opts_size = sizeof(struct spdk_bdev_opts),
	.iobuf_small_cache_size = BDEV_IOBUF_SMALL_CACHE_DEFAULT,
	.iobuf_large_cache_size = BDEV_IOBUF_LARGE_CACHE_DEFAULT,
};

/* State of spdk_bdev_initialize() and spdk_bdev_finish(), app thread only. */
static struct {
	spdk_bdev_init_cb init_cb;
	void *init_arg;
	int init_rc;
	/* Modules whose async init has not finished. */
	uint32_t init_pending;
	/* All module_init calls were made. */
	bool init_started_all;
	spdk_bdev_fini_cb fini_cb;
	void *fini_arg;
	uint32_t fini_start_pending;
	/* The module whose module_fini runs (async) or NULL. */
	struct spdk_bdev_module *fini_module;
	/* Unregistering bdevs in spdk_bdev_finish(). */
	bool fini_unregistering;
	/* An unregister of spdk_bdev_finish() is under way. */
	bool fini_unregister_busy;
} g_life;

/* Callers waiting in spdk_bdev_wait_for_examine(). */
struct examine_waiter {
	spdk_bdev_wait_for_examine_cb cb_fn;
	void *cb_arg;
	struct spdk_thread *thread;
	TAILQ_ENTRY(examine_waiter) link;
};
static TAILQ_HEAD(, examine_waiter) g_examine_waiters = TAILQ_HEAD_INITIALIZER(g_examine_waiters);

static const char *const g_io_type_names[SPDK_BDEV_NUM_IO_TYPES] = {
	[SPDK_BDEV_IO_TYPE_INVALID] = "invalid",
	[SPDK_BDEV_IO_TYPE_READ] = "read",
	[SPDK_BDEV_IO_TYPE_WRITE] = "write",
	[SPDK_BDEV_IO_TYPE_UNMAP] = "unmap",
	[SPDK_BDEV_IO_TYPE_FLUSH] = "flush",
	[SPDK_BDEV_IO_TYPE_RESET] = "reset",
	[SPDK_BDEV_IO_TYPE_NVME_ADMIN] = "nvme_admin",
	[SPDK_BDEV_IO_TYPE_NVME_IO] = "nvme_io",
	[SPDK_BDEV_IO_TYPE_NVME_IO_MD] = "nvme_io_md",
	[SPDK_BDEV_IO_TYPE_WRITE_ZEROES] = "write_zeroes",
	[SPDK_BDEV_IO_TYPE_ZCOPY] = "zcopy",
	[SPDK_BDEV_IO_TYPE_GET_ZONE_INFO] = "get_zone_info",
	[SPDK_BDEV_IO_TYPE_ZONE_MANAGEMENT] = "zone_management",
	[SPDK_BDEV_IO_TYPE_ZONE_APPEND] = "zone_append",
	[SPDK_BDEV_IO_TYPE_COMPARE] = "compare",
	[SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE] = "compare_and_write",
	[SPDK_BDEV_IO_TYPE_ABORT] = "abort",
	[SPDK_BDEV_IO_TYPE_SEEK_HOLE] = "seek_hole",
	[SPDK_BDEV_IO_TYPE_SEEK_DATA] = "seek_data",
	[SPDK_BDEV_IO_TYPE_COPY] = "copy",
	[SPDK_BDEV_IO_TYPE_NVME_IOV_MD] = "nvme_iov_md",
	[SPDK_BDEV_IO_TYPE_NVME_NSSR] = "nvme_nssr",
	[SPDK_BDEV_IO_TYPE_WRITE_UNCORRECTABLE] = "write_uncorrectable",
};

static void bdev_fini_unregister_next(void *arg);
static void bdev_examine(struct spdk_bdev *bdev);

const char *
updk__bdev_thread_name(void)
{
	struct spdk_thread *thread = spdk_get_thread();

	return thread != NULL ? spdk_thread_get_name(thread) : "(no SPDK thread)";
}

/* ---------------------------------------------------------------------- */
/* Options                                                                 */
/* ---------------------------------------------------------------------- */

void
spdk_bdev_get_opts(struct spdk_bdev_opts *opts, size_t opts_size)
{
	struct spdk_bdev_opts copy = g_bdev_opts;

	if (opts == NULL || opts_size == 0) {
		SPDK_ERRLOG("spdk_bdev_get_opts: opts is NULL or opts_size is 0 (thread %s)\n",
			    updk__bdev_thread_name());
		return;
	}
	copy.opts_size = opts_size;
	memcpy(opts, &copy, spdk_min(opts_size, sizeof(copy)));
}

int
spdk_bdev_set_opts(struct spdk_bdev_opts *opts)
{
	struct spdk_bdev_opts next = g_bdev_opts;
	uint32_t min_pool;

	if (opts == NULL || opts->opts_size == 0) {
		SPDK_ERRLOG(
			"spdk_bdev_set_opts: opts is NULL or opts->opts_size is 0 (thread %s)\n",
			updk__bdev_thread_name());
		return -EINVAL;
	}
	memcpy(&next, opts, spdk_min(opts->opts_size, sizeof(next)));
	next.opts_size = sizeof(next);

	min_pool = next.bdev_io_cache_size * (spdk_thread_get_count() + 1);
	if (next.bdev_io_pool_size == 0 || next.bdev_io_pool_size < min_pool) {
		SPDK_ERRLOG("bdev_io_pool_size %" PRIu32
			    " is too small for bdev_io_cache_size %" PRIu32 " and %" PRIu32
			    " threads: it must be at least %" PRIu32 " (thread %s)\n",
			    next.bdev_io_pool_size, next.bdev_io_cache_size,
			    spdk_thread_get_count(), min_pool, updk__bdev_thread_name());
		return -EINVAL;
	}
	g_bdev_opts = next;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Modules                                                                 */
/* ---------------------------------------------------------------------- */

void
spdk_bdev_module_list_add(struct spdk_bdev_module *bdev_module)
{
	struct spdk_bdev_module *m;

	if (bdev_module == NULL || bdev_module->name == NULL || bdev_module->module_init == NULL) {
		SPDK_ERRLOG("spdk_bdev_module_list_add: module %s has no %s; refused\n",
			    bdev_module == NULL || bdev_module->name == NULL ? "(unnamed)"
									     : bdev_module->name,
			    bdev_module == NULL         ? "struct"
			    : bdev_module->name == NULL ? "name"
							: "module_init");
		return;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
		if (m == bdev_module || strcmp(m->name, bdev_module->name) == 0) {
			pthread_mutex_unlock(&g_bdev_mgr.mutex);
			SPDK_ERRLOG("bdev module %s is already registered; refused\n",
				    bdev_module->name);
			return;
		}
	}
	bdev_module->internal.action_in_progress = 0;
	TAILQ_INSERT_TAIL(&g_bdev_mgr.modules, bdev_module, internal.tailq);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
}

struct spdk_bdev_module *
spdk_bdev_module_list_find(const char *name)
{
	struct spdk_bdev_module *m;

	if (name == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
		if (strcmp(m->name, name) == 0) {
			break;
		}
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return m;
}

/* ---------------------------------------------------------------------- */
/* Subsystem start                                                         */
/* ---------------------------------------------------------------------- */

static void
bdev_init_complete_msg(void *arg)
{
	struct spdk_bdev_module *m;
	spdk_bdev_init_cb cb = g_life.init_cb;
	void *cb_arg = g_life.init_arg;
	int rc = g_life.init_rc;

	g_bdev_mgr.init_in_progress = false;
	g_life.init_cb = NULL;
	if (rc == 0) {
		TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
			if (m->init_complete != NULL) {
				m->init_complete();
			}
		}
	}
	if (cb != NULL) {
		cb(cb_arg, rc);
	}
}

static void
bdev_init_try_complete(void)
{
	if (!g_life.init_started_all || g_life.init_pending > 0 || !g_bdev_mgr.init_in_progress) {
		return;
	}
	/* Only once. */
	g_life.init_started_all = false;
	if (spdk_thread_send_msg(g_bdev_mgr.app_thread, bdev_init_complete_msg, NULL) != 0) {
		bdev_init_complete_msg(NULL);
	}
}

void
spdk_bdev_module_init_done(struct spdk_bdev_module *module)
{
	if (module == NULL || module->internal.action_in_progress == 0 ||
	    g_life.init_pending == 0) {
		SPDK_ERRLOG("spdk_bdev_module_init_done(%s): no async init of this module is "
			    "pending (thread %s)\n",
			    module != NULL ? module->name : "NULL", updk__bdev_thread_name());
		return;
	}
	module->internal.action_in_progress--;
	g_life.init_pending--;
	bdev_init_try_complete();
}

static void
bdev_pool_destroy(void)
{
	size_t count;

	if (g_bdev_mgr.bdev_io_pool != NULL) {
		count = spdk_mempool_count(g_bdev_mgr.bdev_io_pool);
		if (count != g_bdev_opts.bdev_io_pool_size) {
			SPDK_ERRLOG("spdk_bdev_io pool: %zu of %" PRIu32 " objects were not "
				    "returned (an spdk_bdev_io was never freed with "
				    "spdk_bdev_free_io())\n",
				    (size_t)g_bdev_opts.bdev_io_pool_size - count,
				    g_bdev_opts.bdev_io_pool_size);
		}
		spdk_mempool_free(g_bdev_mgr.bdev_io_pool);
		g_bdev_mgr.bdev_io_pool = NULL;
	}
	spdk_free(g_bdev_mgr.zero_buffer);
	g_bdev_mgr.zero_buffer = NULL;
}

void
spdk_bdev_initialize(spdk_bdev_init_cb cb_fn, void *cb_arg)
{
	struct spdk_thread *thread = spdk_get_thread();
	struct spdk_bdev_module *m;
	char pool_name[64];
	int ctx_size, max_ctx = 0;
	int rc;

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_bdev_initialize: not called on an SPDK thread\n");
		if (cb_fn != NULL) {
			cb_fn(cb_arg, -EINVAL);
		}
		return;
	}
	if (g_bdev_mgr.initialized || g_bdev_mgr.init_in_progress) {
		SPDK_ERRLOG("spdk_bdev_initialize: the bdev layer is already initialised "
			    "(thread %s)\n",
			    spdk_thread_get_name(thread));
		g_life.init_rc = -EALREADY;
		goto complete_now;
	}

	TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
		if (m->get_ctx_size != NULL) {
			ctx_size = m->get_ctx_size();
			if (ctx_size > max_ctx) {
				max_ctx = ctx_size;
			}
		}
	}
	g_bdev_mgr.bdev_io_size = sizeof(struct spdk_bdev_io) + (size_t)max_ctx;
	snprintf(pool_name, sizeof(pool_name), "bdev_io_%d", (int)getpid());
	g_bdev_mgr.bdev_io_pool =
		spdk_mempool_create(pool_name, g_bdev_opts.bdev_io_pool_size,
				    g_bdev_mgr.bdev_io_size, 0, SPDK_ENV_NUMA_ID_ANY);
	if (g_bdev_mgr.bdev_io_pool == NULL) {
		SPDK_ERRLOG("spdk_bdev_initialize: could not create the spdk_bdev_io pool (%" PRIu32
			    " objects of %zu bytes) on thread %s\n",
			    g_bdev_opts.bdev_io_pool_size, g_bdev_mgr.bdev_io_size,
			    spdk_thread_get_name(thread));
		g_life.init_rc = -ENOMEM;
		goto complete_now;
	}
	g_bdev_mgr.zero_buffer = spdk_zmalloc(ZERO_BUFFER_SIZE, BDEV_BUF_ALIGN, NULL,
					      SPDK_ENV_NUMA_ID_ANY, SPDK_MALLOC_DMA);
	if (g_bdev_mgr.zero_buffer == NULL) {
		SPDK_ERRLOG("spdk_bdev_initialize: could not allocate the zero buffer (thread "
			    "%s)\n",
			    spdk_thread_get_name(thread));
		bdev_pool_destroy();
		g_life.init_rc = -ENOMEM;
		goto complete_now;
	}
	spdk_io_device_register(&g_bdev_mgr, updk__bdev_mgmt_channel_create,
				updk__bdev_mgmt_channel_destroy, sizeof(struct bdev_mgmt_channel),
				"bdev_mgr");

	g_bdev_mgr.app_thread = thread;
	g_bdev_mgr.initialized = true;
	g_bdev_mgr.init_in_progress = true;
	g_life.init_cb = cb_fn;
	g_life.init_arg = cb_arg;
	g_life.init_rc = 0;
	g_life.init_pending = 0;
	g_life.init_started_all = false;

	TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
		if (m->async_init) {
			m->internal.action_in_progress++;
			g_life.init_pending++;
		}
		rc = m->module_init();
		if (rc != 0) {
			SPDK_ERRLOG("bdev module %s failed to initialise: %s (thread %s)\n",
				    m->name, spdk_strerror(rc < 0 ? -rc : rc),
				    spdk_thread_get_name(thread));
			if (m->async_init) {
				m->internal.action_in_progress--;
				g_life.init_pending--;
			}
			g_life.init_rc = rc < 0 ? rc : -rc;
			break;
		}
	}
	g_life.init_started_all = true;
	bdev_init_try_complete();
	return;

complete_now:
	g_life.init_cb = cb_fn;
	g_life.init_arg = cb_arg;
	if (spdk_thread_send_msg(thread, bdev_init_complete_msg, NULL) != 0) {
		bdev_init_complete_msg(NULL);
	}
}

/* ---------------------------------------------------------------------- */
/* Subsystem stop                                                          */
/* ---------------------------------------------------------------------- */

static void
bdev_mgr_unregistered(void *io_device)
{
	spdk_bdev_fini_cb cb = g_life.fini_cb;
	void *arg = g_life.fini_arg;

	bdev_pool_destroy();
	g_bdev_mgr.initialized = false;
	g_bdev_mgr.finish_in_progress = false;
	g_bdev_mgr.app_thread = NULL;
	g_life.fini_cb = NULL;
	if (cb != NULL) {
		cb(arg);
	}
}

static void
bdev_module_fini_next(struct spdk_bdev_module *m)
{
	for (; m != NULL; m = TAILQ_PREV(m, spdk_bdev_module_list_head, internal.tailq)) {
		if (m->module_fini == NULL) {
			continue;
		}
		if (m->async_fini) {
			g_life.fini_module = m;
			m->module_fini();
			return;
		}
		m->module_fini();
	}
	g_life.fini_module = NULL;
	spdk_io_device_unregister(&g_bdev_mgr, bdev_mgr_unregistered);
}

static void
bdev_module_fini_done_msg(void *arg)
{
	struct spdk_bdev_module *m = g_life.fini_module;

	bdev_module_fini_next(TAILQ_PREV(m, spdk_bdev_module_list_head, internal.tailq));
}

void
spdk_bdev_module_fini_done(void)
{
	if (g_life.fini_module == NULL) {
		SPDK_ERRLOG("spdk_bdev_module_fini_done: no async module_fini is pending (thread "
			    "%s)\n",
			    updk__bdev_thread_name());
		return;
	}
	if (spdk_thread_send_msg(g_bdev_mgr.app_thread, bdev_module_fini_done_msg, NULL) != 0) {
		bdev_module_fini_done_msg(NULL);
	}
}

static void
bdev_fini_unregister_done(void *cb_arg, int rc)
{
	if (rc != 0) {
		SPDK_ERRLOG("spdk_bdev_finish: unregistering a bdev failed: %s\n",
			    spdk_strerror(-rc));
	}
	g_life.fini_unregister_busy = false;
	bdev_fini_unregister_next(NULL);
}

/* Unregister the most recently registered unclaimed bdev, or, once none is
 * left, call the modules' module_fini. Bdevs that are already being removed
 * by someone else are waited for (bdev_unregister_finish() calls back). */
static void
bdev_fini_unregister_next(void *arg)
{
	struct spdk_bdev *bdev, *pick = NULL, *last_ready = NULL;
	bool any = false;

	if (!g_life.fini_unregistering || g_life.fini_unregister_busy) {
		return;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	TAILQ_FOREACH_REVERSE(bdev, &g_bdev_mgr.bdevs, spdk_bdev_list_head, internal.link)
	{
		any = true;
		if (bdev->internal.status != SPDK_BDEV_STATUS_READY) {
			continue;
		}
		if (last_ready == NULL) {
			last_ready = bdev;
		}
		if (bdev->internal.claim_type == SPDK_BDEV_CLAIM_NONE) {
			pick = bdev;
			break;
		}
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	if (pick == NULL && last_ready != NULL) {
		SPDK_WARNLOG("spdk_bdev_finish: every remaining bdev is claimed; unregistering "
			     "%s anyway\n",
			     last_ready->name);
		pick = last_ready;
	}
	if (pick != NULL) {
		g_life.fini_unregister_busy = true;
		spdk_bdev_unregister(pick, bdev_fini_unregister_done, NULL);
		return;
	}
	if (any) {
		/* Every bdev is being removed by its own unregister; wait for them. */
		return;
	}
	g_life.fini_unregistering = false;
	bdev_module_fini_next(TAILQ_LAST(&g_bdev_mgr.modules, spdk_bdev_module_list_head));
}

static void
bdev_fini_start_try_complete(void)
{
	if (g_life.fini_start_pending > 0) {
		return;
	}
	g_life.fini_unregistering = true;
	bdev_fini_unregister_next(NULL);
}

void
spdk_bdev_module_fini_start_done(void)
{
	if (g_life.fini_start_pending == 0) {
		SPDK_ERRLOG("spdk_bdev_module_fini_start_done: no async fini_start is pending "
			    "(thread %s)\n",
			    updk__bdev_thread_name());
		return;
	}
	g_life.fini_start_pending--;
	bdev_fini_start_try_complete();
}

static void
bdev_finish_start_msg(void *arg)
{
	struct spdk_bdev_module *m;

	g_life.fini_start_pending = 1;
	TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
		if (m->fini_start == NULL) {
			continue;
		}
		if (m->async_fini_start) {
			g_life.fini_start_pending++;
		}
		m->fini_start();
	}
	g_life.fini_start_pending--;
	bdev_fini_start_try_complete();
}

static void
bdev_finish_not_initialized_msg(void *arg)
{
	spdk_bdev_fini_cb cb = g_life.fini_cb;

	g_life.fini_cb = NULL;
	if (cb != NULL) {
		cb(g_life.fini_arg);
	}
}

void
spdk_bdev_finish(spdk_bdev_fini_cb cb_fn, void *cb_arg)
{
	struct spdk_thread *thread = spdk_get_thread();

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_bdev_finish: not called on an SPDK thread\n");
		return;
	}
	if (g_bdev_mgr.finish_in_progress) {
		SPDK_ERRLOG("spdk_bdev_finish: already in progress (thread %s)\n",
			    spdk_thread_get_name(thread));
		return;
	}
	g_life.fini_cb = cb_fn;
	g_life.fini_arg = cb_arg;
	if (!g_bdev_mgr.initialized) {
		SPDK_NOTICELOG("spdk_bdev_finish: the bdev layer was not initialised\n");
		if (spdk_thread_send_msg(thread, bdev_finish_not_initialized_msg, NULL) != 0) {
			bdev_finish_not_initialized_msg(NULL);
		}
		return;
	}
	if (thread != g_bdev_mgr.app_thread) {
		SPDK_WARNLOG("spdk_bdev_finish called on thread %s, not on the thread that "
			     "initialised the bdev layer (%s)\n",
			     spdk_thread_get_name(thread),
			     spdk_thread_get_name(g_bdev_mgr.app_thread));
	}
	g_bdev_mgr.finish_in_progress = true;
	if (spdk_thread_send_msg(g_bdev_mgr.app_thread, bdev_finish_start_msg, NULL) != 0) {
		bdev_finish_start_msg(NULL);
	}
}

/* ---------------------------------------------------------------------- */
/* Names                                                                   */
/* ---------------------------------------------------------------------- */

static bool
bdev_has_name_locked(struct spdk_bdev *bdev, const char *name)
{
	struct spdk_bdev_alias *alias;

	if (strcmp(bdev->name, name) == 0) {
		return true;
	}
	TAILQ_FOREACH (alias, &bdev->aliases, tailq) {
		if (strcmp(alias->alias.name, name) == 0) {
			return true;
		}
	}
	return false;
}

static struct spdk_bdev *
bdev_find_locked(const char *name)
{
	struct spdk_bdev *bdev;

	TAILQ_FOREACH (bdev, &g_bdev_mgr.bdevs, internal.link) {
		if (bdev_has_name_locked(bdev, name)) {
			return bdev;
		}
	}
	return NULL;
}

struct spdk_bdev *
spdk_bdev_get_by_name(const char *bdev_name)
{
	struct spdk_bdev *bdev;

	if (bdev_name == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev = bdev_find_locked(bdev_name);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return bdev;
}

static int
bdev_alias_add_locked(struct spdk_bdev *bdev, const char *alias)
{
	struct spdk_bdev_alias *a;

	if (bdev_find_locked(alias) != NULL) {
		return -EEXIST;
	}
	a = calloc(1, sizeof(*a));
	if (a == NULL) {
		return -ENOMEM;
	}
	a->alias.name = strdup(alias);
	if (a->alias.name == NULL) {
		free(a);
		return -ENOMEM;
	}
	a->alias.bdev = bdev;
	TAILQ_INSERT_TAIL(&bdev->aliases, a, tailq);
	return 0;
}

int
spdk_bdev_alias_add(struct spdk_bdev *bdev, const char *alias)
{
	int rc;

	if (bdev == NULL || alias == NULL || alias[0] == '\0') {
		SPDK_ERRLOG("spdk_bdev_alias_add(%s): the alias is NULL or empty (thread %s)\n",
			    bdev != NULL && bdev->name != NULL ? bdev->name : "NULL",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	rc = bdev_alias_add_locked(bdev, alias);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	if (rc == -EEXIST) {
		SPDK_ERRLOG("bdev name or alias %s already exists; cannot add it to bdev %s "
			    "(thread %s)\n",
			    alias, bdev->name, updk__bdev_thread_name());
	} else if (rc != 0) {
		SPDK_ERRLOG("out of memory adding alias %s to bdev %s (thread %s)\n", alias,
			    bdev->name, updk__bdev_thread_name());
	}
	return rc;
}

int
spdk_bdev_alias_del(struct spdk_bdev *bdev, const char *alias)
{
	struct spdk_bdev_alias *a;

	if (bdev == NULL || alias == NULL) {
		return -EINVAL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	TAILQ_FOREACH (a, &bdev->aliases, tailq) {
		if (strcmp(a->alias.name, alias) == 0) {
			TAILQ_REMOVE(&bdev->aliases, a, tailq);
			pthread_mutex_unlock(&g_bdev_mgr.mutex);
			free(a->alias.name);
			free(a);
			return 0;
		}
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	SPDK_INFOLOG(bdev, "alias %s not found on bdev %s\n", alias, bdev->name);
	return -ENOENT;
}

static void
bdev_alias_del_all_locked(struct spdk_bdev *bdev)
{
	struct spdk_bdev_alias *a, *tmp;

	TAILQ_FOREACH_SAFE (a, &bdev->aliases, tailq, tmp) {
		TAILQ_REMOVE(&bdev->aliases, a, tailq);
		free(a->alias.name);
		free(a);
	}
}

void
spdk_bdev_alias_del_all(struct spdk_bdev *bdev)
{
	if (bdev == NULL) {
		return;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev_alias_del_all_locked(bdev);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
}

const struct spdk_bdev_aliases_list *
spdk_bdev_get_aliases(const struct spdk_bdev *bdev)
{
	return &bdev->aliases;
}

/* ---------------------------------------------------------------------- */
/* Registration                                                            */
/* ---------------------------------------------------------------------- */

static void
bdev_compute_io_types(struct spdk_bdev *bdev)
{
	uint64_t native = 0, accepted;
	int t;

	for (t = SPDK_BDEV_IO_TYPE_READ; t < SPDK_BDEV_NUM_IO_TYPES; t++) {
		if (bdev->fn_table->io_type_supported(bdev->ctxt, (enum spdk_bdev_io_type)t)) {
			native |= 1ULL << t;
		}
	}
	accepted = native;
	if (native & (1ULL << SPDK_BDEV_IO_TYPE_WRITE)) {
		accepted |= 1ULL << SPDK_BDEV_IO_TYPE_WRITE_ZEROES;
	}
	if (native & (1ULL << SPDK_BDEV_IO_TYPE_READ)) {
		accepted |= 1ULL << SPDK_BDEV_IO_TYPE_COMPARE;
		if (native & (1ULL << SPDK_BDEV_IO_TYPE_WRITE)) {
			accepted |= 1ULL << SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE;
			accepted |= 1ULL << SPDK_BDEV_IO_TYPE_COPY;
		}
	}
	/* Reset is always accepted: a module without it completes it at once. */
	accepted |= 1ULL << SPDK_BDEV_IO_TYPE_RESET;
	bdev->io_type_supported = native;
	bdev->internal.io_types_accepted = accepted;
}

static void
bdev_compute_path_flags(struct spdk_bdev *bdev)
{
	uint32_t flags = 0;

	if (bdev->split_on_optimal_io_boundary && bdev->optimal_io_boundary != 0) {
		flags |= BDEV_PATH_SPLIT_BOUNDARY;
	}
	if (bdev->split_on_write_unit && bdev->write_unit_size > 1) {
		flags |= BDEV_PATH_SPLIT_WRITE_UNIT;
	}
	if (bdev->max_rw_size != 0) {
		flags |= BDEV_PATH_SPLIT_RW_SIZE;
	}
	if (bdev->max_segment_size != 0 || bdev->max_num_segments != 0) {
		flags |= BDEV_PATH_SPLIT_SEGMENTS;
	}
	if (bdev->required_alignment != 0) {
		flags |= BDEV_PATH_ALIGN;
	}
	bdev->internal.io_path_flags = flags;
}

static int
bdev_register_check(struct spdk_bdev *bdev)
{
	const char *name = bdev->name != NULL ? bdev->name : "(NULL name)";
	const char *what = NULL;

	if (bdev->name == NULL || bdev->name[0] == '\0') {
		what = "the name is NULL or empty";
	} else if (bdev->blocklen == 0) {
		what = "blocklen is 0";
	} else if (bdev->blockcnt == 0) {
		what = "blockcnt is 0";
	} else if (bdev->md_len != 0 && bdev->md_interleave && bdev->md_len >= bdev->blocklen) {
		what = "interleaved md_len is not smaller than blocklen";
	} else if (bdev->module == NULL) {
		what = "module is NULL";
	} else if (bdev->fn_table == NULL) {
		what = "fn_table is NULL";
	} else if (bdev->fn_table->destruct == NULL || bdev->fn_table->submit_request == NULL ||
		   bdev->fn_table->io_type_supported == NULL ||
		   bdev->fn_table->get_io_channel == NULL) {
		what = "fn_table lacks destruct, submit_request, io_type_supported or "
		       "get_io_channel";
	} else if (bdev->required_alignment > 31) {
		what = "required_alignment is above 31";
	} else if (!g_bdev_mgr.initialized) {
		what = "the bdev layer is not initialised (call spdk_bdev_initialize() first)";
	}
	if (what != NULL) {
		SPDK_ERRLOG("spdk_bdev_register(%s): %s; refused (thread %s)\n", name, what,
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	return 0;
}

int
spdk_bdev_register(struct spdk_bdev *bdev)
{
	char uuid_str[SPDK_UUID_STRING_LEN];
	char dev_name[300];
	int rc;

	if (bdev == NULL) {
		SPDK_ERRLOG("spdk_bdev_register: bdev is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	rc = bdev_register_check(bdev);
	if (rc != 0) {
		return rc;
	}
	if (spdk_get_thread() != g_bdev_mgr.app_thread) {
		SPDK_WARNLOG("spdk_bdev_register(%s) called on thread %s, not on the app thread\n",
			     bdev->name, updk__bdev_thread_name());
	}

	if (bdev->write_unit_size == 0) {
		bdev->write_unit_size = 1;
	}
	if (bdev->acwu == 0) {
		bdev->acwu = (uint16_t)spdk_min(bdev->write_unit_size, UINT16_MAX);
	}
	if (bdev->phys_blocklen == 0) {
		bdev->phys_blocklen = spdk_bdev_get_data_block_size(bdev);
	}
	if (spdk_uuid_is_null(&bdev->uuid)) {
		spdk_uuid_generate(&bdev->uuid);
	}
	spdk_uuid_fmt_lower(uuid_str, sizeof(uuid_str), &bdev->uuid);

	memset(&bdev->internal, 0, sizeof(bdev->internal));
	bdev_compute_io_types(bdev);
	bdev_compute_path_flags(bdev);
	TAILQ_INIT(&bdev->internal.open_descs);
	TAILQ_INIT(&bdev->internal.queued_resets);
	TAILQ_INIT(&bdev->internal.claim.v2.claims);
	bdev->internal.claim_type = SPDK_BDEV_CLAIM_NONE;
	bdev->internal.bdev_name.name = bdev->name;
	bdev->internal.bdev_name.bdev = bdev;
	bdev->internal.histogram_shift = SPDK_HISTOGRAM_BUCKET_SHIFT_DEFAULT;
	bdev->internal.stat = calloc(1, sizeof(*bdev->internal.stat));
	if (bdev->internal.stat == NULL) {
		SPDK_ERRLOG("spdk_bdev_register(%s): out of memory (thread %s)\n", bdev->name,
			    updk__bdev_thread_name());
		return -ENOMEM;
	}
	updk__bdev_stat_init(bdev->internal.stat);
	/* The module may have set up aliases before registering; keep them. */
	if (bdev->aliases.tqh_last == NULL) {
		TAILQ_INIT(&bdev->aliases);
	}

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (bdev_find_locked(bdev->name) != NULL) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		SPDK_ERRLOG("bdev name %s already exists (thread %s)\n", bdev->name,
			    updk__bdev_thread_name());
		rc = -EEXIST;
		goto err_stat;
	}
	rc = bdev_alias_add_locked(bdev, uuid_str);
	if (rc != 0) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		if (rc == -EEXIST) {
			SPDK_ERRLOG("spdk_bdev_register(%s): UUID %s is already the name or alias "
				    "of another bdev (thread %s)\n",
				    bdev->name, uuid_str, updk__bdev_thread_name());
		} else {
			SPDK_ERRLOG("spdk_bdev_register(%s): out of memory (thread %s)\n",
				    bdev->name, updk__bdev_thread_name());
		}
		goto err_stat;
	}
	bdev->internal.status = SPDK_BDEV_STATUS_READY;
	TAILQ_INSERT_TAIL(&g_bdev_mgr.bdevs, bdev, internal.link);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	snprintf(dev_name, sizeof(dev_name), "bdev_%s", bdev->name);
	spdk_io_device_register(bdev_to_io_dev(bdev), updk__bdev_channel_create,
				updk__bdev_channel_destroy, sizeof(struct spdk_bdev_channel),
				dev_name);
	bdev->internal.io_device_registered = true;

	SPDK_INFOLOG(bdev,
		     "registered bdev %s (%" PRIu64 " blocks of %" PRIu32 " bytes, "
		     "module %s)\n",
		     bdev->name, bdev->blockcnt, bdev->blocklen, bdev->module->name);

	if (g_bdev_opts.bdev_auto_examine) {
		bdev_examine(bdev);
	}
	return 0;

err_stat:
	free(bdev->internal.stat);
	bdev->internal.stat = NULL;
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Examination                                                             */
/* ---------------------------------------------------------------------- */

static void
bdev_examine_waiter_msg(void *arg)
{
	struct examine_waiter *w = arg;

	w->cb_fn(w->cb_arg);
	free(w);
}

static void
bdev_examine_check_done(void)
{
	struct examine_waiter *w;

	if (g_bdev_mgr.examine_in_progress > 0) {
		return;
	}
	while ((w = TAILQ_FIRST(&g_examine_waiters)) != NULL) {
		TAILQ_REMOVE(&g_examine_waiters, w, link);
		if (spdk_thread_send_msg(w->thread, bdev_examine_waiter_msg, w) != 0) {
			free(w);
		}
	}
}

void
spdk_bdev_module_examine_done(struct spdk_bdev_module *module)
{
	if (module == NULL || module->internal.action_in_progress == 0 ||
	    g_bdev_mgr.examine_in_progress == 0) {
		SPDK_ERRLOG("spdk_bdev_module_examine_done(%s): no examination of this module is "
			    "pending (thread %s)\n",
			    module != NULL ? module->name : "NULL", updk__bdev_thread_name());
		return;
	}
	module->internal.action_in_progress--;
	g_bdev_mgr.examine_in_progress--;
	bdev_examine_check_done();
}

static void
bdev_examine(struct spdk_bdev *bdev)
{
	struct spdk_bdev_module *m;

	/* Hold the count up while the callbacks run, so that a module that is done
	 * at once does not release waiters before the other modules had a look. */
	g_bdev_mgr.examine_in_progress++;
	TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
		if (m->examine_config != NULL) {
			m->internal.action_in_progress++;
			g_bdev_mgr.examine_in_progress++;
			m->examine_config(bdev);
		}
	}
	TAILQ_FOREACH (m, &g_bdev_mgr.modules, internal.tailq) {
		if (m->examine_disk != NULL) {
			m->internal.action_in_progress++;
			g_bdev_mgr.examine_in_progress++;
			m->examine_disk(bdev);
		}
	}
	g_bdev_mgr.examine_in_progress--;
	bdev_examine_check_done();
}

int
spdk_bdev_wait_for_examine(spdk_bdev_wait_for_examine_cb cb_fn, void *cb_arg)
{
	struct examine_waiter *w;
	struct spdk_thread *thread = spdk_get_thread();

	if (cb_fn == NULL || thread == NULL) {
		SPDK_ERRLOG("spdk_bdev_wait_for_examine: %s (thread %s)\n",
			    cb_fn == NULL ? "cb_fn is NULL" : "not called on an SPDK thread",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		return -ENOMEM;
	}
	w->cb_fn = cb_fn;
	w->cb_arg = cb_arg;
	w->thread = thread;
	TAILQ_INSERT_TAIL(&g_examine_waiters, w, link);
	bdev_examine_check_done();
	return 0;
}

int
spdk_bdev_examine(const char *name)
{
	struct spdk_bdev *bdev;

	if (g_bdev_opts.bdev_auto_examine) {
		SPDK_ERRLOG("spdk_bdev_examine(%s): bdev_auto_examine is on; bdevs are examined "
			    "when registered (thread %s)\n",
			    name != NULL ? name : "NULL", updk__bdev_thread_name());
		return -EINVAL;
	}
	bdev = spdk_bdev_get_by_name(name);
	if (bdev == NULL) {
		SPDK_ERRLOG("spdk_bdev_examine: bdev %s not found (thread %s)\n",
			    name != NULL ? name : "NULL", updk__bdev_thread_name());
		return -ENODEV;
	}
	bdev_examine(bdev);
	return 0;
}

/* spdk_bdev_subsystem_config_json() is in bdev_rpc.c, with the RPC methods. */

/* ---------------------------------------------------------------------- */
/* Descriptors                                                             */
/* ---------------------------------------------------------------------- */

static bool
bdev_claim_blocks_writer_locked(struct spdk_bdev *bdev)
{
	return bdev->internal.claim_type != SPDK_BDEV_CLAIM_NONE;
}

static int
bdev_open(const char *bdev_name, bool write, spdk_bdev_event_cb_t event_cb, void *event_ctx,
	  struct spdk_bdev_open_opts *opts, struct spdk_bdev_desc **_desc, bool internal)
{
	struct spdk_thread *thread = spdk_get_thread();
	struct spdk_bdev_desc *desc;
	struct spdk_bdev *bdev;

	if (thread == NULL) {
		SPDK_ERRLOG("spdk_bdev_open_ext(%s): not called on an SPDK thread\n",
			    bdev_name != NULL ? bdev_name : "NULL");
		return -ENOTSUP;
	}
	if (bdev_name == NULL || _desc == NULL) {
		SPDK_ERRLOG("spdk_bdev_open_ext: %s is NULL (thread %s)\n",
			    bdev_name == NULL ? "bdev_name" : "desc", spdk_thread_get_name(thread));
		return -EINVAL;
	}
	desc = calloc(1, sizeof(*desc));
	if (desc == NULL) {
		SPDK_ERRLOG("spdk_bdev_open_ext(%s): out of memory (thread %s)\n", bdev_name,
			    spdk_thread_get_name(thread));
		return -ENOMEM;
	}
	desc->thread = thread;
	desc->event_cb = event_cb;
	desc->event_ctx = event_ctx;
	desc->write = write;
	desc->internal = internal;
	spdk_bdev_open_opts_init(&desc->opts, sizeof(desc->opts));
	if (opts != NULL) {
		memcpy(&desc->opts, opts, spdk_min(opts->size, sizeof(desc->opts)));
		desc->opts.size = sizeof(desc->opts);
	}

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev = bdev_find_locked(bdev_name);
	if (bdev == NULL) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		SPDK_NOTICELOG("Currently unable to find bdev with name: %s\n", bdev_name);
		free(desc);
		return -ENODEV;
	}
	if (bdev->internal.status != SPDK_BDEV_STATUS_READY) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		SPDK_NOTICELOG("bdev %s is being removed; open from thread %s refused\n",
			       bdev->name, spdk_thread_get_name(thread));
		free(desc);
		return -ENODEV;
	}
	if (write && bdev_claim_blocks_writer_locked(bdev)) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		SPDK_ERRLOG("bdev %s already claimed: type %s by module %s\n", bdev->name,
			    spdk_bdev_claim_get_name(bdev->internal.claim_type),
			    bdev->internal.claim_type == SPDK_BDEV_CLAIM_EXCL_WRITE
				    ? bdev->internal.claim.v1.module->name
			    : TAILQ_FIRST(&bdev->internal.claim.v2.claims) != NULL
				    ? TAILQ_FIRST(&bdev->internal.claim.v2.claims)->module->name
				    : "?");
		free(desc);
		return -EPERM;
	}
	desc->bdev = bdev;
	TAILQ_INSERT_TAIL(&bdev->internal.open_descs, desc, link);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	*_desc = desc;
	return 0;
}

int
spdk_bdev_open_ext(const char *bdev_name, bool write, spdk_bdev_event_cb_t event_cb,
		   void *event_ctx, struct spdk_bdev_desc **desc)
{
	return bdev_open(bdev_name, write, event_cb, event_ctx, NULL, desc, false);
}

void
spdk_bdev_open_opts_init(struct spdk_bdev_open_opts *opts, size_t size)
{
	struct spdk_bdev_open_opts def = {.size = sizeof(def), .hide_metadata = false};

	if (opts == NULL || size == 0) {
		return;
	}
	def.size = size;
	memcpy(opts, &def, spdk_min(size, sizeof(def)));
}

int
spdk_bdev_open_ext_v2(const char *bdev_name, bool write, spdk_bdev_event_cb_t event_cb,
		      void *event_ctx, struct spdk_bdev_open_opts *opts,
		      struct spdk_bdev_desc **desc)
{
	if (opts != NULL && opts->size == 0) {
		SPDK_ERRLOG("spdk_bdev_open_ext_v2(%s): opts->size is 0 (thread %s)\n",
			    bdev_name != NULL ? bdev_name : "NULL", updk__bdev_thread_name());
		return -EINVAL;
	}
	return bdev_open(bdev_name, write, event_cb, event_ctx, opts, desc, false);
}

/* Drops a reference taken for a message; frees a closed descriptor at the
 * last one. Called on the descriptor's thread. */
void
updk__bdev_desc_unref(struct spdk_bdev_desc *desc)
{
	bool free_it;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	desc->refs--;
	free_it = desc->closed && desc->refs == 0;
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	if (free_it) {
		free(desc);
	}
}

static void bdev_unregister_continue(struct spdk_bdev *bdev);

static void
bdev_release_desc_claim_locked(struct spdk_bdev_desc *desc)
{
	struct spdk_bdev *bdev = desc->bdev;
	struct spdk_bdev_module_claim *claim = desc->claim;

	if (claim == NULL) {
		return;
	}
	TAILQ_REMOVE(&bdev->internal.claim.v2.claims, claim, link);
	free(claim);
	desc->claim = NULL;
	if (TAILQ_EMPTY(&bdev->internal.claim.v2.claims)) {
		bdev->internal.claim_type = SPDK_BDEV_CLAIM_NONE;
		bdev->internal.claim.v2.key = 0;
	}
}

void
spdk_bdev_close(struct spdk_bdev_desc *desc)
{
	struct spdk_thread *thread = spdk_get_thread();
	struct spdk_bdev *bdev;
	bool last_of_removed, free_it;

	if (desc == NULL) {
		SPDK_ERRLOG("spdk_bdev_close: desc is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return;
	}
	bdev = desc->bdev;
	if (thread != desc->thread) {
		SPDK_ERRLOG("spdk_bdev_close(%s): called on thread %s but the descriptor was "
			    "opened on thread %s; refused\n",
			    bdev->name, updk__bdev_thread_name(),
			    spdk_thread_get_name(desc->thread));
		return;
	}
	if (desc->closed) {
		SPDK_ERRLOG("spdk_bdev_close(%s): descriptor already closed (thread %s)\n",
			    bdev->name, updk__bdev_thread_name());
		return;
	}
	updk__bdev_timeout_poller_stop(desc);

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	TAILQ_REMOVE(&bdev->internal.open_descs, desc, link);
	bdev_release_desc_claim_locked(desc);
	desc->closed = true;
	free_it = desc->refs == 0;
	last_of_removed = bdev->internal.status == SPDK_BDEV_STATUS_REMOVING &&
			  TAILQ_EMPTY(&bdev->internal.open_descs);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	if (free_it) {
		free(desc);
	}
	if (last_of_removed) {
		bdev_unregister_continue(bdev);
	}
}

struct spdk_bdev *
spdk_bdev_desc_get_bdev(struct spdk_bdev_desc *desc)
{
	if (desc == NULL) {
		SPDK_ERRLOG("spdk_bdev_desc_get_bdev: desc is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return NULL;
	}
	return desc->bdev;
}

struct spdk_io_channel *
spdk_bdev_get_io_channel(struct spdk_bdev_desc *desc)
{
	if (desc == NULL) {
		SPDK_ERRLOG("spdk_bdev_get_io_channel: desc is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return NULL;
	}
	if (!g_bdev_mgr.initialized) {
		SPDK_ERRLOG("spdk_bdev_get_io_channel(%s): the bdev layer is not initialised "
			    "(thread %s)\n",
			    desc->bdev->name, updk__bdev_thread_name());
		return NULL;
	}
	return spdk_get_io_channel(bdev_to_io_dev(desc->bdev));
}

void *
spdk_bdev_get_module_ctx(struct spdk_bdev_desc *desc)
{
	struct spdk_bdev *bdev = desc->bdev;

	if (bdev->fn_table->get_module_ctx == NULL) {
		return NULL;
	}
	return bdev->fn_table->get_module_ctx(bdev->ctxt);
}

size_t
spdk_bdev_get_media_events(struct spdk_bdev_desc *desc, struct spdk_bdev_media_event *events,
			   size_t max_events)
{
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Events and unregistration                                               */
/* ---------------------------------------------------------------------- */

struct bdev_event_msg {
	struct spdk_bdev_desc *desc;
	enum spdk_bdev_event_type type;
};

static void
bdev_event_deliver_typed(void *arg)
{
	struct bdev_event_msg *msg = arg;
	struct spdk_bdev_desc *desc = msg->desc;
	enum spdk_bdev_event_type type = msg->type;
	bool closed;

	free(msg);
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	closed = desc->closed;
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	if (!closed) {
		desc->event_cb(type, desc->bdev, desc->event_ctx);
	}
	updk__bdev_desc_unref(desc);
}

/* Called with the mutex held: queue \p type for every descriptor that has a
 * callback. */
static void
bdev_send_event_locked(struct spdk_bdev *bdev, enum spdk_bdev_event_type type)
{
	struct spdk_bdev_desc *desc;
	struct bdev_event_msg *msg;

	TAILQ_FOREACH (desc, &bdev->internal.open_descs, link) {
		if (desc->event_cb == NULL) {
			if (type == SPDK_BDEV_EVENT_REMOVE && !desc->internal) {
				SPDK_WARNLOG("bdev %s is being removed, but the descriptor opened "
					     "on thread %s has no event callback: the bdev stays "
					     "until that descriptor is closed\n",
					     bdev->name, spdk_thread_get_name(desc->thread));
			}
			continue;
		}
		msg = calloc(1, sizeof(*msg));
		if (msg == NULL) {
			SPDK_ERRLOG("out of memory sending event %d of bdev %s to thread %s\n",
				    (int)type, bdev->name, spdk_thread_get_name(desc->thread));
			continue;
		}
		msg->desc = desc;
		msg->type = type;
		desc->refs++;
		if (spdk_thread_send_msg(desc->thread, bdev_event_deliver_typed, msg) != 0) {
			desc->refs--;
			free(msg);
		}
	}
}

struct bdev_unregister_done_ctx {
	spdk_bdev_unregister_cb cb_fn;
	void *cb_arg;
	int rc;
};

static void
bdev_unregister_done_msg(void *arg)
{
	struct bdev_unregister_done_ctx *ctx = arg;

	if (ctx->cb_fn != NULL) {
		ctx->cb_fn(ctx->cb_arg, ctx->rc);
	}
	free(ctx);
	if (g_life.fini_unregistering && !g_life.fini_unregister_busy) {
		bdev_fini_unregister_next(NULL);
	}
}

/* The bdev is gone from the registry and its io_device; tell the caller. */
static void
bdev_unregister_finish(struct spdk_bdev *bdev, spdk_bdev_unregister_cb cb_fn, void *cb_arg,
		       struct spdk_thread *thread, int rc)
{
	struct bdev_unregister_done_ctx *ctx;

	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		SPDK_ERRLOG("out of memory finishing the unregister of a bdev; calling back "
			    "directly\n");
		if (cb_fn != NULL) {
			cb_fn(cb_arg, rc);
		}
		return;
	}
	ctx->cb_fn = cb_fn;
	ctx->cb_arg = cb_arg;
	ctx->rc = rc;
	if (spdk_get_thread() == thread) {
		bdev_unregister_done_msg(ctx);
	} else if (spdk_thread_send_msg(thread, bdev_unregister_done_msg, ctx) != 0) {
		bdev_unregister_done_msg(ctx);
	}
}

void
spdk_bdev_destruct_done(struct spdk_bdev *bdev, int bdeverrno)
{
	if (bdev == NULL) {
		SPDK_ERRLOG("spdk_bdev_destruct_done: bdev is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return;
	}
	bdev_unregister_finish(bdev, bdev->internal.unregister_cb, bdev->internal.unregister_ctx,
			       bdev->internal.unregister_td, bdeverrno);
}

/* Runs on the unregistering thread once the last channel is released. */
static void
bdev_io_device_gone(void *io_device)
{
	struct spdk_bdev *bdev = bdev_from_io_dev(io_device);
	spdk_bdev_unregister_cb cb_fn = bdev->internal.unregister_cb;
	void *cb_arg = bdev->internal.unregister_ctx;
	struct spdk_thread *thread = bdev->internal.unregister_td;
	int rc;

	free(bdev->internal.stat);
	bdev->internal.stat = NULL;
	spdk_bdev_alias_del_all(bdev);
	bdev->internal.status = SPDK_BDEV_STATUS_INVALID;
	SPDK_INFOLOG(bdev, "bdev %s is unregistered; destructing\n", bdev->name);

	rc = bdev->fn_table->destruct(bdev->ctxt);
	if (rc == 1) {
		/* The module finishes with spdk_bdev_destruct_done(). */
		return;
	}
	if (rc > 1) {
		rc = -EIO;
	}
	bdev_unregister_finish(bdev, cb_fn, cb_arg, thread, rc);
}

static void
bdev_unregister_io_device_msg(void *arg)
{
	struct spdk_bdev *bdev = arg;

	spdk_io_device_unregister(bdev_to_io_dev(bdev), bdev_io_device_gone);
}

/* The last descriptor is closed: take the bdev out of the registry and
 * unregister its io_device on the unregistering thread. */
static void
bdev_unregister_continue(struct spdk_bdev *bdev)
{
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	TAILQ_REMOVE(&g_bdev_mgr.bdevs, bdev, internal.link);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	if (spdk_get_thread() == bdev->internal.unregister_td) {
		bdev_unregister_io_device_msg(bdev);
	} else if (spdk_thread_send_msg(bdev->internal.unregister_td, bdev_unregister_io_device_msg,
					bdev) != 0) {
		SPDK_ERRLOG("bdev %s: the unregistering thread is gone; destructing here\n",
			    bdev->name);
		bdev_unregister_io_device_msg(bdev);
	}
}

static void
bdev_unregister_abort_step(struct spdk_io_channel_iter *i)
{
	struct spdk_io_channel *ch = spdk_io_channel_iter_get_channel(i);

	updk__bdev_channel_abort_queued(bdev_channel_from_ch(ch));
	spdk_for_each_channel_continue(i, 0);
}

static void
bdev_unregister_aborted(struct spdk_io_channel_iter *i, int status)
{
	struct spdk_bdev *bdev = spdk_io_channel_iter_get_ctx(i);
	bool none_open;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev->internal.status = SPDK_BDEV_STATUS_REMOVING;
	bdev_send_event_locked(bdev, SPDK_BDEV_EVENT_REMOVE);
	none_open = TAILQ_EMPTY(&bdev->internal.open_descs);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	if (none_open) {
		bdev_unregister_continue(bdev);
	}
}

static void
bdev_unregister_busy_msg(void *arg)
{
	struct bdev_unregister_done_ctx *ctx = arg;

	if (ctx->cb_fn != NULL) {
		ctx->cb_fn(ctx->cb_arg, ctx->rc);
	}
	free(ctx);
}

void
spdk_bdev_unregister(struct spdk_bdev *bdev, spdk_bdev_unregister_cb cb_fn, void *cb_arg)
{
	struct spdk_thread *thread = spdk_get_thread();
	struct bdev_unregister_done_ctx *ctx;

	if (thread == NULL || bdev == NULL) {
		SPDK_ERRLOG("spdk_bdev_unregister(%s): %s\n", bdev != NULL ? bdev->name : "NULL",
			    bdev == NULL ? "bdev is NULL" : "not called on an SPDK thread");
		if (cb_fn != NULL) {
			cb_fn(cb_arg, bdev == NULL ? -EINVAL : -ENOTSUP);
		}
		return;
	}

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (bdev->internal.status != SPDK_BDEV_STATUS_READY) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		SPDK_ERRLOG("spdk_bdev_unregister(%s): already being unregistered (thread %s)\n",
			    bdev->name, spdk_thread_get_name(thread));
		ctx = calloc(1, sizeof(*ctx));
		if (ctx == NULL || cb_fn == NULL) {
			free(ctx);
			if (cb_fn != NULL) {
				cb_fn(cb_arg, -EBUSY);
			}
			return;
		}
		ctx->cb_fn = cb_fn;
		ctx->cb_arg = cb_arg;
		ctx->rc = -EBUSY;
		if (spdk_thread_send_msg(thread, bdev_unregister_busy_msg, ctx) != 0) {
			bdev_unregister_busy_msg(ctx);
		}
		return;
	}
	bdev->internal.status = SPDK_BDEV_STATUS_UNREGISTERING;
	bdev->internal.unregister_cb = cb_fn;
	bdev->internal.unregister_ctx = cb_arg;
	bdev->internal.unregister_td = thread;
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	SPDK_INFOLOG(bdev, "unregistering bdev %s (thread %s)\n", bdev->name,
		     spdk_thread_get_name(thread));
	spdk_for_each_channel(bdev_to_io_dev(bdev), bdev_unregister_abort_step, bdev,
			      bdev_unregister_aborted);
}

int
spdk_bdev_unregister_by_name(const char *bdev_name, struct spdk_bdev_module *module,
			     spdk_bdev_unregister_cb cb_fn, void *cb_arg)
{
	struct spdk_bdev *bdev;

	if (bdev_name == NULL) {
		SPDK_ERRLOG("spdk_bdev_unregister_by_name: bdev_name is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	bdev = spdk_bdev_get_by_name(bdev_name);
	if (bdev == NULL) {
		SPDK_ERRLOG("spdk_bdev_unregister_by_name: bdev %s not found (thread %s)\n",
			    bdev_name, updk__bdev_thread_name());
		return -ENODEV;
	}
	if (bdev->module != module) {
		SPDK_ERRLOG("spdk_bdev_unregister_by_name: bdev %s belongs to module %s, not %s "
			    "(thread %s)\n",
			    bdev_name, bdev->module->name, module != NULL ? module->name : "NULL",
			    updk__bdev_thread_name());
		return -ENODEV;
	}
	spdk_bdev_unregister(bdev, cb_fn, cb_arg);
	return 0;
}

struct bdev_cb_later_ctx {
	spdk_bdev_unregister_cb cb_fn;
	void *cb_arg;
	int rc;
};

static void
bdev_cb_later_msg(void *arg)
{
	struct bdev_cb_later_ctx *ctx = arg;

	ctx->cb_fn(ctx->cb_arg, ctx->rc);
	free(ctx);
}

void
updk__bdev_unregister_cb_later(spdk_bdev_unregister_cb cb_fn, void *cb_arg, int rc)
{
	struct bdev_cb_later_ctx *ctx;

	if (cb_fn == NULL) {
		return;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL || spdk_get_thread() == NULL) {
		free(ctx);
		cb_fn(cb_arg, rc);
		return;
	}
	ctx->cb_fn = cb_fn;
	ctx->cb_arg = cb_arg;
	ctx->rc = rc;
	if (spdk_thread_send_msg(spdk_get_thread(), bdev_cb_later_msg, ctx) != 0) {
		bdev_cb_later_msg(ctx);
	}
}

void
updk__bdev_delete_by_name(const char *name, struct spdk_bdev_module *module,
			  spdk_bdev_unregister_cb cb_fn, void *cb_arg)
{
	int rc;

	rc = spdk_bdev_unregister_by_name(name, module, cb_fn, cb_arg);
	if (rc != 0) {
		updk__bdev_unregister_cb_later(cb_fn, cb_arg, rc);
	}
}

int
spdk_bdev_notify_blockcnt_change(struct spdk_bdev *bdev, uint64_t size)
{
	if (bdev == NULL || size == 0) {
		SPDK_ERRLOG("spdk_bdev_notify_blockcnt_change(%s): %s (thread %s)\n",
			    bdev != NULL ? bdev->name : "NULL",
			    bdev == NULL ? "bdev is NULL" : "size is 0", updk__bdev_thread_name());
		return -EINVAL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (size < bdev->blockcnt && !TAILQ_EMPTY(&bdev->internal.open_descs)) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		SPDK_ERRLOG("bdev %s: cannot shrink from %" PRIu64 " to %" PRIu64 " blocks while "
			    "descriptors are open (thread %s)\n",
			    bdev->name, bdev->blockcnt, size, updk__bdev_thread_name());
		return -EBUSY;
	}
	bdev->blockcnt = size;
	if (bdev->internal.status == SPDK_BDEV_STATUS_READY) {
		bdev_send_event_locked(bdev, SPDK_BDEV_EVENT_RESIZE);
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Iteration                                                               */
/* ---------------------------------------------------------------------- */

static struct spdk_bdev *
bdev_next_ready_locked(struct spdk_bdev *bdev, bool leaf)
{
	for (; bdev != NULL; bdev = TAILQ_NEXT(bdev, internal.link)) {
		if (bdev->internal.status == SPDK_BDEV_STATUS_READY &&
		    (!leaf || bdev->internal.claim_type == SPDK_BDEV_CLAIM_NONE)) {
			return bdev;
		}
	}
	return NULL;
}

struct spdk_bdev *
spdk_bdev_first(void)
{
	struct spdk_bdev *bdev;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev = TAILQ_FIRST(&g_bdev_mgr.bdevs);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return bdev;
}

struct spdk_bdev *
spdk_bdev_next(struct spdk_bdev *prev)
{
	struct spdk_bdev *bdev;

	if (prev == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev = TAILQ_NEXT(prev, internal.link);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return bdev;
}

static struct spdk_bdev *
bdev_leaf_from(struct spdk_bdev *bdev)
{
	for (; bdev != NULL; bdev = TAILQ_NEXT(bdev, internal.link)) {
		if (bdev->internal.claim_type == SPDK_BDEV_CLAIM_NONE) {
			return bdev;
		}
	}
	return NULL;
}

struct spdk_bdev *
spdk_bdev_first_leaf(void)
{
	struct spdk_bdev *bdev;

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev = bdev_leaf_from(TAILQ_FIRST(&g_bdev_mgr.bdevs));
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return bdev;
}

struct spdk_bdev *
spdk_bdev_next_leaf(struct spdk_bdev *prev)
{
	struct spdk_bdev *bdev;

	if (prev == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev = bdev_leaf_from(TAILQ_NEXT(prev, internal.link));
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return bdev;
}

static int
bdev_for_each(void *ctx, spdk_for_each_bdev_fn fn, bool leaf)
{
	struct spdk_bdev_desc *desc = NULL;
	struct spdk_bdev *bdev;
	int rc = 0;

	if (fn == NULL) {
		SPDK_ERRLOG("spdk_for_each_bdev: fn is NULL (thread %s)\n",
			    updk__bdev_thread_name());
		return -EINVAL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev = bdev_next_ready_locked(TAILQ_FIRST(&g_bdev_mgr.bdevs), leaf);
	while (bdev != NULL) {
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		rc = bdev_open(bdev->name, false, NULL, NULL, NULL, &desc, true);
		if (rc == 0) {
			rc = fn(ctx, bdev);
		} else {
			/* It went away meanwhile: skip it. */
			desc = NULL;
			rc = 0;
		}
		pthread_mutex_lock(&g_bdev_mgr.mutex);
		if (rc < 0) {
			break;
		}
		bdev = desc != NULL ? bdev_next_ready_locked(TAILQ_NEXT(bdev, internal.link), leaf)
				    : bdev_next_ready_locked(TAILQ_FIRST(&g_bdev_mgr.bdevs), leaf);
		if (desc != NULL) {
			pthread_mutex_unlock(&g_bdev_mgr.mutex);
			spdk_bdev_close(desc);
			desc = NULL;
			pthread_mutex_lock(&g_bdev_mgr.mutex);
		}
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	if (desc != NULL) {
		spdk_bdev_close(desc);
	}
	return rc < 0 ? rc : 0;
}

int
spdk_for_each_bdev(void *ctx, spdk_for_each_bdev_fn fn)
{
	return bdev_for_each(ctx, fn, false);
}

int
spdk_for_each_bdev_leaf(void *ctx, spdk_for_each_bdev_fn fn)
{
	return bdev_for_each(ctx, fn, true);
}

/* ---------------------------------------------------------------------- */
/* Claims                                                                  */
/* ---------------------------------------------------------------------- */

const char *
spdk_bdev_claim_get_name(enum spdk_bdev_claim_type claim_type)
{
	switch (claim_type) {
	case SPDK_BDEV_CLAIM_NONE:
		return "not_claimed";
	case SPDK_BDEV_CLAIM_EXCL_WRITE:
		return "exclusive_write";
	case SPDK_BDEV_CLAIM_READ_MANY_WRITE_ONE:
		return "read_many_write_one";
	case SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE:
		return "read_many_write_none";
	case SPDK_BDEV_CLAIM_READ_MANY_WRITE_SHARED:
		return "read_many_write_shared";
	default:
		return "invalid_claim";
	}
}

void
spdk_bdev_claim_opts_init(struct spdk_bdev_claim_opts *opts, size_t size)
{
	struct spdk_bdev_claim_opts def;

	if (opts == NULL || size == 0) {
		return;
	}
	memset(&def, 0, sizeof(def));
	def.opts_size = size;
	memcpy(opts, &def, spdk_min(size, sizeof(def)));
}

static const char *
bdev_claimer_name_locked(struct spdk_bdev *bdev)
{
	struct spdk_bdev_module_claim *claim;

	if (bdev->internal.claim_type == SPDK_BDEV_CLAIM_EXCL_WRITE) {
		return bdev->internal.claim.v1.module->name;
	}
	claim = TAILQ_FIRST(&bdev->internal.claim.v2.claims);
	return claim != NULL ? claim->module->name : "?";
}

int
spdk_bdev_module_claim_bdev(struct spdk_bdev *bdev, struct spdk_bdev_desc *desc,
			    struct spdk_bdev_module *module)
{
	if (bdev == NULL || module == NULL) {
		SPDK_ERRLOG("spdk_bdev_module_claim_bdev: %s is NULL (thread %s)\n",
			    bdev == NULL ? "bdev" : "module", updk__bdev_thread_name());
		return -EINVAL;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (bdev->internal.claim_type != SPDK_BDEV_CLAIM_NONE) {
		SPDK_ERRLOG("bdev %s already claimed: type %s by module %s\n", bdev->name,
			    spdk_bdev_claim_get_name(bdev->internal.claim_type),
			    bdev_claimer_name_locked(bdev));
		pthread_mutex_unlock(&g_bdev_mgr.mutex);
		return -EPERM;
	}
	bdev->internal.claim_type = SPDK_BDEV_CLAIM_EXCL_WRITE;
	bdev->internal.claim.v1.module = module;
	if (desc != NULL) {
		desc->write = true;
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return 0;
}

void
spdk_bdev_module_release_bdev(struct spdk_bdev *bdev)
{
	if (bdev == NULL) {
		return;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (bdev->internal.claim_type != SPDK_BDEV_CLAIM_EXCL_WRITE) {
		SPDK_ERRLOG("spdk_bdev_module_release_bdev(%s): not claimed with "
			    "spdk_bdev_module_claim_bdev() (claim: %s)\n",
			    bdev->name, spdk_bdev_claim_get_name(bdev->internal.claim_type));
	} else {
		bdev->internal.claim_type = SPDK_BDEV_CLAIM_NONE;
		bdev->internal.claim.v1.module = NULL;
		TAILQ_INIT(&bdev->internal.claim.v2.claims);
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
}

/* Called with the mutex held: whether a descriptor other than \p self writes. */
static bool
bdev_other_writer_locked(struct spdk_bdev *bdev, struct spdk_bdev_desc *self)
{
	struct spdk_bdev_desc *desc;

	TAILQ_FOREACH (desc, &bdev->internal.open_descs, link) {
		if (desc != self && desc->write) {
			return true;
		}
	}
	return false;
}

int
spdk_bdev_module_claim_bdev_desc(struct spdk_bdev_desc *desc, enum spdk_bdev_claim_type type,
				 struct spdk_bdev_claim_opts *opts, struct spdk_bdev_module *module)
{
	struct spdk_bdev_module_claim *claim;
	struct spdk_bdev *bdev;
	uint64_t key = 0;
	int rc = 0;

	if (desc == NULL || module == NULL) {
		SPDK_ERRLOG("spdk_bdev_module_claim_bdev_desc: %s is NULL (thread %s)\n",
			    desc == NULL ? "desc" : "module", updk__bdev_thread_name());
		return -EINVAL;
	}
	bdev = desc->bdev;
	if (opts != NULL &&
	    opts->opts_size >=
		    offsetof(struct spdk_bdev_claim_opts, shared_claim_key) + sizeof(uint64_t)) {
		key = opts->shared_claim_key;
	}
	if (type == SPDK_BDEV_CLAIM_EXCL_WRITE) {
		return spdk_bdev_module_claim_bdev(bdev, desc, module);
	}
	if (type != SPDK_BDEV_CLAIM_READ_MANY_WRITE_ONE &&
	    type != SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE &&
	    type != SPDK_BDEV_CLAIM_READ_MANY_WRITE_SHARED) {
		SPDK_ERRLOG("bdev %s: invalid claim type %d requested by module %s\n", bdev->name,
			    (int)type, module->name);
		return -EINVAL;
	}
	if (desc->claim != NULL) {
		SPDK_ERRLOG("bdev %s: the descriptor already holds a claim (module %s)\n",
			    bdev->name, module->name);
		return -EPERM;
	}

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (bdev->internal.claim_type != SPDK_BDEV_CLAIM_NONE &&
	    bdev->internal.claim_type != type) {
		SPDK_ERRLOG("bdev %s already claimed: type %s by module %s\n", bdev->name,
			    spdk_bdev_claim_get_name(bdev->internal.claim_type),
			    bdev_claimer_name_locked(bdev));
		rc = -EPERM;
		goto out;
	}
	switch (type) {
	case SPDK_BDEV_CLAIM_READ_MANY_WRITE_ONE:
		if (bdev->internal.claim_type != SPDK_BDEV_CLAIM_NONE ||
		    bdev_other_writer_locked(bdev, desc)) {
			SPDK_ERRLOG("bdev %s: a writer or claim exists; %s claim by module %s "
				    "refused\n",
				    bdev->name, spdk_bdev_claim_get_name(type), module->name);
			rc = -EPERM;
			goto out;
		}
		break;
	case SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE:
		if (desc->write) {
			SPDK_ERRLOG("bdev %s: a %s claim needs a read-only descriptor (module "
				    "%s)\n",
				    bdev->name, spdk_bdev_claim_get_name(type), module->name);
			rc = -EINVAL;
			goto out;
		}
		if (bdev_other_writer_locked(bdev, desc)) {
			SPDK_ERRLOG("bdev %s: a writer exists; %s claim by module %s refused\n",
				    bdev->name, spdk_bdev_claim_get_name(type), module->name);
			rc = -EPERM;
			goto out;
		}
		break;
	case SPDK_BDEV_CLAIM_READ_MANY_WRITE_SHARED:
		if (key == 0) {
			SPDK_ERRLOG("bdev %s: a %s claim needs a non-zero shared_claim_key "
				    "(module %s)\n",
				    bdev->name, spdk_bdev_claim_get_name(type), module->name);
			rc = -EINVAL;
			goto out;
		}
		if (bdev->internal.claim_type == type && bdev->internal.claim.v2.key != key) {
			SPDK_ERRLOG("bdev %s: shared claim key mismatch (module %s)\n", bdev->name,
				    module->name);
			rc = -EPERM;
			goto out;
		}
		if (bdev->internal.claim_type == SPDK_BDEV_CLAIM_NONE &&
		    bdev_other_writer_locked(bdev, desc)) {
			SPDK_ERRLOG("bdev %s: a writer exists; %s claim by module %s refused\n",
				    bdev->name, spdk_bdev_claim_get_name(type), module->name);
			rc = -EPERM;
			goto out;
		}
		break;
	default:
		assert(false);
		rc = -EINVAL;
		goto out;
	}
	claim = calloc(1, sizeof(*claim));
	if (claim == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	claim->module = module;
	claim->desc = desc;
	if (opts != NULL && opts->opts_size >= offsetof(struct spdk_bdev_claim_opts, name) +
						       SPDK_BDEV_CLAIM_NAME_LEN) {
		snprintf(claim->name, sizeof(claim->name), "%s", opts->name);
	}
	if (bdev->internal.claim_type == SPDK_BDEV_CLAIM_NONE) {
		TAILQ_INIT(&bdev->internal.claim.v2.claims);
	}
	TAILQ_INSERT_TAIL(&bdev->internal.claim.v2.claims, claim, link);
	bdev->internal.claim_type = type;
	if (type == SPDK_BDEV_CLAIM_READ_MANY_WRITE_SHARED) {
		bdev->internal.claim.v2.key = key;
	}
	desc->claim = claim;
	if (type != SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE) {
		desc->write = true;
	}
out:
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	return rc;
}

/* ---------------------------------------------------------------------- */
/* Getters                                                                 */
/* ---------------------------------------------------------------------- */

const char *
spdk_bdev_get_name(const struct spdk_bdev *bdev)
{
	return bdev->name;
}

const char *
spdk_bdev_get_product_name(const struct spdk_bdev *bdev)
{
	return bdev->product_name;
}

const char *
spdk_bdev_get_module_name(const struct spdk_bdev *bdev)
{
	return bdev->module->name;
}

uint32_t
spdk_bdev_get_block_size(const struct spdk_bdev *bdev)
{
	return bdev->blocklen;
}

uint32_t
spdk_bdev_get_data_block_size(const struct spdk_bdev *bdev)
{
	if (bdev->md_len != 0 && bdev->md_interleave) {
		return bdev->blocklen - bdev->md_len;
	}
	return bdev->blocklen;
}

uint32_t
spdk_bdev_get_physical_block_size(const struct spdk_bdev *bdev)
{
	return bdev->phys_blocklen;
}

uint64_t
spdk_bdev_get_num_blocks(const struct spdk_bdev *bdev)
{
	return bdev->blockcnt;
}

uint32_t
spdk_bdev_get_write_unit_size(const struct spdk_bdev *bdev)
{
	return bdev->write_unit_size;
}

size_t
spdk_bdev_get_buf_align(const struct spdk_bdev *bdev)
{
	return (size_t)1 << bdev->required_alignment;
}

uint32_t
spdk_bdev_get_optimal_io_boundary(const struct spdk_bdev *bdev)
{
	return bdev->optimal_io_boundary;
}

uint16_t
spdk_bdev_get_acwu(const struct spdk_bdev *bdev)
{
	return bdev->acwu;
}

bool
spdk_bdev_has_write_cache(const struct spdk_bdev *bdev)
{
	return bdev->write_cache != 0;
}

const struct spdk_uuid *
spdk_bdev_get_uuid(const struct spdk_bdev *bdev)
{
	return &bdev->uuid;
}

uint32_t
spdk_bdev_get_md_size(const struct spdk_bdev *bdev)
{
	return bdev->md_len;
}

bool
spdk_bdev_is_md_interleaved(const struct spdk_bdev *bdev)
{
	return bdev->md_len != 0 && bdev->md_interleave;
}

bool
spdk_bdev_is_md_separate(const struct spdk_bdev *bdev)
{
	return bdev->md_len != 0 && !bdev->md_interleave;
}

bool
spdk_bdev_is_zoned(const struct spdk_bdev *bdev)
{
	return bdev->zoned;
}

enum spdk_dif_type
spdk_bdev_get_dif_type(const struct spdk_bdev *bdev)
{
	return bdev->md_len != 0 ? bdev->dif_type : SPDK_DIF_DISABLE;
}

enum spdk_dif_pi_format
spdk_bdev_get_dif_pi_format(const struct spdk_bdev *bdev)
{
	return bdev->dif_pi_format;
}

bool
spdk_bdev_is_dif_head_of_md(const struct spdk_bdev *bdev)
{
	return spdk_bdev_get_dif_type(bdev) != SPDK_DIF_DISABLE && bdev->dif_is_head_of_md;
}

bool
spdk_bdev_is_dif_check_enabled(const struct spdk_bdev *bdev, enum spdk_dif_check_type check_type)
{
	if (spdk_bdev_get_dif_type(bdev) == SPDK_DIF_DISABLE) {
		return false;
	}
	switch (check_type) {
	case SPDK_DIF_CHECK_TYPE_REFTAG:
		return (bdev->dif_check_flags & SPDK_DIF_FLAGS_REFTAG_CHECK) != 0;
	case SPDK_DIF_CHECK_TYPE_APPTAG:
		return (bdev->dif_check_flags & SPDK_DIF_FLAGS_APPTAG_CHECK) != 0;
	case SPDK_DIF_CHECK_TYPE_GUARD:
		return (bdev->dif_check_flags & SPDK_DIF_FLAGS_GUARD_CHECK) != 0;
	default:
		return false;
	}
}

uint32_t
spdk_bdev_get_max_copy(const struct spdk_bdev *bdev)
{
	return bdev->max_copy;
}

int32_t
spdk_bdev_get_numa_id(struct spdk_bdev *bdev)
{
	return bdev->numa.id_valid ? bdev->numa.id : SPDK_ENV_NUMA_ID_ANY;
}

bool
spdk_bdev_io_type_supported(struct spdk_bdev *bdev, enum spdk_bdev_io_type io_type)
{
	if ((unsigned)io_type >= SPDK_BDEV_NUM_IO_TYPES) {
		return false;
	}
	if (io_type == SPDK_BDEV_IO_TYPE_WRITE_ZEROES) {
		return (bdev->internal.io_types_accepted & (1ULL << io_type)) != 0;
	}
	return (bdev->io_type_supported & (1ULL << io_type)) != 0;
}

const char *
spdk_bdev_get_io_type_name(enum spdk_bdev_io_type io_type)
{
	if ((unsigned)io_type >= SPDK_BDEV_NUM_IO_TYPES || io_type == SPDK_BDEV_IO_TYPE_INVALID) {
		return NULL;
	}
	return g_io_type_names[io_type];
}

int
spdk_bdev_get_io_type(const char *io_type_string)
{
	int t;

	if (io_type_string == NULL) {
		return -1;
	}
	for (t = SPDK_BDEV_IO_TYPE_READ; t < SPDK_BDEV_NUM_IO_TYPES; t++) {
		if (strcmp(g_io_type_names[t], io_type_string) == 0) {
			return t;
		}
	}
	return -1;
}

int
spdk_bdev_dump_info_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w)
{
	if (bdev->fn_table->dump_info_json != NULL) {
		return bdev->fn_table->dump_info_json(bdev->ctxt, w);
	}
	return 0;
}

uint32_t
spdk_bdev_desc_get_block_size(struct spdk_bdev_desc *desc)
{
	struct spdk_bdev *bdev = desc->bdev;

	if (desc->opts.hide_metadata && spdk_bdev_is_md_interleaved(bdev)) {
		return bdev->blocklen - bdev->md_len;
	}
	return bdev->blocklen;
}

uint32_t
spdk_bdev_desc_get_md_size(struct spdk_bdev_desc *desc)
{
	return desc->opts.hide_metadata ? 0 : desc->bdev->md_len;
}

bool
spdk_bdev_desc_is_md_interleaved(struct spdk_bdev_desc *desc)
{
	return !desc->opts.hide_metadata && spdk_bdev_is_md_interleaved(desc->bdev);
}

bool
spdk_bdev_desc_is_md_separate(struct spdk_bdev_desc *desc)
{
	return !desc->opts.hide_metadata && spdk_bdev_is_md_separate(desc->bdev);
}

enum spdk_dif_type
spdk_bdev_desc_get_dif_type(struct spdk_bdev_desc *desc)
{
	return desc->opts.hide_metadata ? SPDK_DIF_DISABLE : spdk_bdev_get_dif_type(desc->bdev);
}

enum spdk_dif_pi_format
spdk_bdev_desc_get_dif_pi_format(struct spdk_bdev_desc *desc)
{
	return spdk_bdev_get_dif_pi_format(desc->bdev);
}

bool
spdk_bdev_desc_is_dif_head_of_md(struct spdk_bdev_desc *desc)
{
	return !desc->opts.hide_metadata && spdk_bdev_is_dif_head_of_md(desc->bdev);
}

bool
spdk_bdev_desc_is_dif_check_enabled(struct spdk_bdev_desc *desc,
				    enum spdk_dif_check_type check_type)
{
	return !desc->opts.hide_metadata && spdk_bdev_is_dif_check_enabled(desc->bdev, check_type);
}

const char *
spdk_bdev_get_qos_rpc_type(enum spdk_bdev_qos_rate_limit_type type)
{
	switch (type) {
	case SPDK_BDEV_QOS_RW_IOPS_RATE_LIMIT:
		return "rw_ios_per_sec";
	case SPDK_BDEV_QOS_RW_BPS_RATE_LIMIT:
		return "rw_mbytes_per_sec";
	case SPDK_BDEV_QOS_R_BPS_RATE_LIMIT:
		return "r_mbytes_per_sec";
	case SPDK_BDEV_QOS_W_BPS_RATE_LIMIT:
		return "w_mbytes_per_sec";
	default:
		return NULL;
	}
}

void
spdk_bdev_get_qos_rate_limits(struct spdk_bdev *bdev, uint64_t *limits)
{
	memset(limits, 0, sizeof(*limits) * SPDK_BDEV_QOS_NUM_RATE_LIMIT_TYPES);
}

int
spdk_bdev_zone_management(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t zone_id,
			  enum spdk_bdev_zone_action action, spdk_bdev_io_completion_cb cb,
			  void *cb_arg)
{
	SPDK_ERRLOG("spdk_bdev_zone_management(%s): bdev is not zoned (thread %s)\n",
		    desc != NULL ? desc->bdev->name : "NULL", updk__bdev_thread_name());
	return -ENOTSUP;
}

/* ---------------------------------------------------------------------- */
/* Channel iteration, statistics and histograms                            */
/* ---------------------------------------------------------------------- */

struct spdk_bdev_channel_iter {
	struct spdk_bdev *bdev;
	spdk_bdev_for_each_channel_msg fn;
	spdk_bdev_for_each_channel_done cpl;
	void *ctx;
	struct spdk_io_channel_iter *i;
};

static void
bdev_for_each_channel_step(struct spdk_io_channel_iter *i)
{
	struct spdk_bdev_channel_iter *iter = spdk_io_channel_iter_get_ctx(i);

	iter->i = i;
	iter->fn(iter, iter->bdev, spdk_io_channel_iter_get_channel(i), iter->ctx);
}

static void
bdev_for_each_channel_done(struct spdk_io_channel_iter *i, int status)
{
	struct spdk_bdev_channel_iter *iter = spdk_io_channel_iter_get_ctx(i);

	if (iter->cpl != NULL) {
		iter->cpl(iter->bdev, iter->ctx, status);
	}
	free(iter);
}

void
spdk_bdev_for_each_channel(struct spdk_bdev *bdev, spdk_bdev_for_each_channel_msg fn, void *ctx,
			   spdk_bdev_for_each_channel_done cpl)
{
	struct spdk_bdev_channel_iter *iter;

	if (bdev == NULL || fn == NULL) {
		SPDK_ERRLOG("spdk_bdev_for_each_channel: %s is NULL (thread %s)\n",
			    bdev == NULL ? "bdev" : "fn", updk__bdev_thread_name());
		return;
	}
	iter = calloc(1, sizeof(*iter));
	if (iter == NULL) {
		SPDK_ERRLOG("spdk_bdev_for_each_channel(%s): out of memory (thread %s)\n",
			    bdev->name, updk__bdev_thread_name());
		if (cpl != NULL) {
			cpl(bdev, ctx, -ENOMEM);
		}
		return;
	}
	iter->bdev = bdev;
	iter->fn = fn;
	iter->cpl = cpl;
	iter->ctx = ctx;
	spdk_for_each_channel(bdev_to_io_dev(bdev), bdev_for_each_channel_step, iter,
			      bdev_for_each_channel_done);
}

void
spdk_bdev_for_each_channel_continue(struct spdk_bdev_channel_iter *iter, int status)
{
	spdk_for_each_channel_continue(iter->i, status);
}

void
spdk_bdev_get_io_stat(struct spdk_bdev *bdev, struct spdk_io_channel *ch,
		      struct spdk_bdev_io_stat *stat, enum spdk_bdev_reset_stat_mode reset_mode)
{
	struct spdk_bdev_channel *bch;

	if (ch == NULL || stat == NULL) {
		SPDK_ERRLOG("spdk_bdev_get_io_stat(%s): %s is NULL (thread %s)\n",
			    bdev != NULL ? bdev->name : "NULL", ch == NULL ? "ch" : "stat",
			    updk__bdev_thread_name());
		return;
	}
	bch = bdev_channel_from_ch(ch);
	memcpy(stat, &bch->stat, offsetof(struct spdk_bdev_io_stat, io_error));
	stat->ticks_rate = spdk_get_ticks_hz();
	updk__bdev_stat_reset(&bch->stat, reset_mode);
	if (reset_mode == SPDK_BDEV_RESET_STAT_ALL || reset_mode == SPDK_BDEV_RESET_STAT_ERROR) {
		memset(&bch->error_stat, 0, sizeof(bch->error_stat));
	}
}

/*
 * A device statistics request. Channels released while it runs are the
 * subtle case: each is counted exactly once, either by the visit of its
 * thread or, when it goes away before that visit, by the channel's destroy
 * callback (updk__bdev_device_stat_channel_gone()), which adds it to every
 * request still running that has not visited it. g_bdev_mgr.mutex guards the
 * request list and each request's sum.
 */
struct bdev_device_stat_ctx {
	struct spdk_bdev *bdev;
	struct spdk_bdev_io_stat *stat;
	enum spdk_bdev_reset_stat_mode mode;
	spdk_bdev_get_device_stat_cb cb;
	void *cb_arg;
	/* Channels already counted. */
	const struct spdk_bdev_channel **visited;
	size_t nvisited;
	size_t cap;
	TAILQ_ENTRY(bdev_device_stat_ctx) link;
};

static TAILQ_HEAD(, bdev_device_stat_ctx)
	g_device_stat_requests = TAILQ_HEAD_INITIALIZER(g_device_stat_requests);

/* Called with the mutex held. */
static bool
bdev_device_stat_visited_locked(struct bdev_device_stat_ctx *ctx,
				const struct spdk_bdev_channel *ch)
{
	size_t k;

	for (k = 0; k < ctx->nvisited; k++) {
		if (ctx->visited[k] == ch) {
			return true;
		}
	}
	return false;
}

/* Called with the mutex held: count \p ch in \p ctx once. */
static void
bdev_device_stat_count_locked(struct bdev_device_stat_ctx *ctx, struct spdk_bdev_channel *ch)
{
	const struct spdk_bdev_channel **v;

	if (bdev_device_stat_visited_locked(ctx, ch)) {
		return;
	}
	if (ctx->nvisited == ctx->cap) {
		v = realloc(ctx->visited, (ctx->cap * 2 + 8) * sizeof(*v));
		if (v == NULL) {
			SPDK_ERRLOG("spdk_bdev_get_device_stat(%s): out of memory; a released "
				    "channel may be counted twice\n",
				    ctx->bdev->name);
		} else {
			ctx->visited = v;
			ctx->cap = ctx->cap * 2 + 8;
		}
	}
	if (ctx->nvisited < ctx->cap) {
		ctx->visited[ctx->nvisited++] = ch;
	}
	updk__bdev_channel_stat_add(ctx->stat, &ch->stat);
	updk__bdev_stat_reset(&ch->stat, ctx->mode);
	if (ctx->mode == SPDK_BDEV_RESET_STAT_ALL || ctx->mode == SPDK_BDEV_RESET_STAT_ERROR) {
		memset(&ch->error_stat, 0, sizeof(ch->error_stat));
	}
}

void
updk__bdev_device_stat_channel_gone_locked(struct spdk_bdev_channel *ch)
{
	struct bdev_device_stat_ctx *ctx;

	TAILQ_FOREACH (ctx, &g_device_stat_requests, link) {
		if (ctx->bdev == ch->bdev) {
			bdev_device_stat_count_locked(ctx, ch);
		}
	}
}

static void
bdev_device_stat_step(struct spdk_io_channel_iter *i)
{
	struct bdev_device_stat_ctx *ctx = spdk_io_channel_iter_get_ctx(i);
	struct spdk_bdev_channel *bch = bdev_channel_from_ch(spdk_io_channel_iter_get_channel(i));

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	bdev_device_stat_count_locked(ctx, bch);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	spdk_for_each_channel_continue(i, 0);
}

static void
bdev_device_stat_done(struct spdk_io_channel_iter *i, int status)
{
	struct bdev_device_stat_ctx *ctx = spdk_io_channel_iter_get_ctx(i);

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	TAILQ_REMOVE(&g_device_stat_requests, ctx, link);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	ctx->stat->ticks_rate = spdk_get_ticks_hz();
	ctx->cb(ctx->bdev, ctx->stat, ctx->cb_arg, status == -ENODEV ? 0 : status);
	free(ctx->visited);
	free(ctx);
}

void
spdk_bdev_get_device_stat(struct spdk_bdev *bdev, struct spdk_bdev_io_stat *stat,
			  enum spdk_bdev_reset_stat_mode reset_mode,
			  spdk_bdev_get_device_stat_cb cb, void *cb_arg)
{
	struct bdev_device_stat_ctx *ctx;

	if (bdev == NULL || stat == NULL || cb == NULL) {
		SPDK_ERRLOG("spdk_bdev_get_device_stat(%s): %s is NULL (thread %s)\n",
			    bdev != NULL ? bdev->name : "NULL",
			    bdev == NULL   ? "bdev"
			    : stat == NULL ? "stat"
					   : "cb",
			    updk__bdev_thread_name());
		return;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		SPDK_ERRLOG("spdk_bdev_get_device_stat(%s): out of memory (thread %s)\n",
			    bdev->name, updk__bdev_thread_name());
		cb(bdev, stat, cb_arg, -ENOMEM);
		return;
	}
	ctx->bdev = bdev;
	ctx->stat = stat;
	ctx->mode = reset_mode;
	ctx->cb = cb;
	ctx->cb_arg = cb_arg;

	updk__bdev_stat_init(stat);
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (bdev->internal.stat != NULL) {
		updk__bdev_channel_stat_add(stat, bdev->internal.stat);
		updk__bdev_stat_reset(bdev->internal.stat, reset_mode);
	}
	TAILQ_INSERT_TAIL(&g_device_stat_requests, ctx, link);
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	spdk_for_each_channel(bdev_to_io_dev(bdev), bdev_device_stat_step, ctx,
			      bdev_device_stat_done);
}

void
spdk_bdev_enable_histogram_opts_init(struct spdk_bdev_enable_histogram_opts *opts, size_t size)
{
	struct spdk_bdev_enable_histogram_opts def;

	if (opts == NULL || size == 0) {
		return;
	}
	memset(&def, 0, sizeof(def));
	def.size = size;
	def.granularity = SPDK_HISTOGRAM_BUCKET_SHIFT_DEFAULT;
	memcpy(opts, &def, spdk_min(size, sizeof(def)));
}

struct bdev_histogram_ctx {
	struct spdk_bdev *bdev;
	bool enable;
	int status;
	spdk_bdev_histogram_status_cb status_cb;
	spdk_bdev_histogram_data_cb data_cb;
	void *cb_arg;
	struct spdk_histogram_data *histogram;
};

static void
bdev_histogram_enable_step(struct spdk_io_channel_iter *i)
{
	struct bdev_histogram_ctx *ctx = spdk_io_channel_iter_get_ctx(i);
	struct spdk_bdev_channel *bch = bdev_channel_from_ch(spdk_io_channel_iter_get_channel(i));
	struct spdk_bdev *bdev = ctx->bdev;
	int status = 0;

	if (ctx->enable) {
		if (bch->histogram == NULL) {
			bch->histogram = spdk_histogram_data_alloc_sized_ext(
				bdev->internal.histogram_shift, bdev->internal.histogram_min_range,
				bdev->internal.histogram_max_range);
			if (bch->histogram == NULL) {
				status = -ENOMEM;
			}
		}
		bch->histogram_io_type = bdev->internal.histogram_io_type;
	} else {
		spdk_histogram_data_free(bch->histogram);
		bch->histogram = NULL;
	}
	spdk_for_each_channel_continue(i, status);
}

static void
bdev_histogram_enable_done(struct spdk_io_channel_iter *i, int status)
{
	struct bdev_histogram_ctx *ctx = spdk_io_channel_iter_get_ctx(i);

	if (status == -ENODEV) {
		status = 0;
	}
	pthread_mutex_lock(&g_bdev_mgr.mutex);
	ctx->bdev->internal.histogram_in_progress = false;
	if (status != 0 && ctx->enable) {
		ctx->bdev->internal.histogram_enabled = false;
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);
	if (ctx->status_cb != NULL) {
		ctx->status_cb(ctx->cb_arg, status);
	}
	free(ctx);
}

static uint32_t
bdev_histogram_range_of_ns(uint32_t shift, uint64_t ns)
{
	struct spdk_histogram_data h = {.bucket_shift = shift};
	uint64_t hz = spdk_get_ticks_hz();
	uint64_t ticks = ns / SPDK_SEC_TO_NSEC * hz + ns % SPDK_SEC_TO_NSEC * hz / SPDK_SEC_TO_NSEC;

	return spdk_histogram_data_value_range(&h, ticks);
}

static void
bdev_histogram_status_msg(void *arg)
{
	struct bdev_histogram_ctx *ctx = arg;

	if (ctx->status_cb != NULL) {
		ctx->status_cb(ctx->cb_arg, ctx->status);
	}
	free(ctx);
}

void
spdk_bdev_histogram_enable_ext(struct spdk_bdev *bdev, spdk_bdev_histogram_status_cb cb_fn,
			       void *cb_arg, bool enable,
			       struct spdk_bdev_enable_histogram_opts *opts)
{
	struct spdk_bdev_enable_histogram_opts o;
	struct bdev_histogram_ctx *ctx;
	uint32_t shift, min_range = 0, max_range;
	int status = 0;

	spdk_bdev_enable_histogram_opts_init(&o, sizeof(o));
	if (opts != NULL && opts->size != 0) {
		memcpy(&o, opts, spdk_min(opts->size, sizeof(o)));
	}
	shift = o.granularity != 0 ? o.granularity : SPDK_HISTOGRAM_BUCKET_SHIFT_DEFAULT;

	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL || bdev == NULL) {
		SPDK_ERRLOG("spdk_bdev_histogram_enable(%s): %s (thread %s)\n",
			    bdev != NULL ? bdev->name : "NULL",
			    bdev == NULL ? "bdev is NULL" : "out of memory",
			    updk__bdev_thread_name());
		free(ctx);
		if (cb_fn != NULL) {
			cb_fn(cb_arg, bdev == NULL ? -EINVAL : -ENOMEM);
		}
		return;
	}
	ctx->bdev = bdev;
	ctx->enable = enable;
	ctx->status_cb = cb_fn;
	ctx->cb_arg = cb_arg;

	max_range = 64 - (shift > 63 ? 63 : shift);
	if (enable) {
		if (shift > 63 || o.io_type >= SPDK_BDEV_NUM_IO_TYPES) {
			status = -EINVAL;
		} else {
			if (o.min_nsec != 0) {
				min_range = bdev_histogram_range_of_ns(shift, o.min_nsec);
			}
			if (o.max_nsec != 0) {
				max_range = bdev_histogram_range_of_ns(shift, o.max_nsec);
			}
			if (min_range > max_range) {
				status = -EINVAL;
			}
		}
		if (status != 0) {
			SPDK_ERRLOG("spdk_bdev_histogram_enable(%s): invalid options (granularity "
				    "%u, io_type %u, min_nsec %" PRIu64 ", max_nsec %" PRIu64 ")\n",
				    bdev->name, shift, o.io_type, o.min_nsec, o.max_nsec);
		}
	}

	pthread_mutex_lock(&g_bdev_mgr.mutex);
	if (status == 0 && bdev->internal.histogram_in_progress) {
		status = -EAGAIN;
	}
	if (status == 0) {
		bdev->internal.histogram_in_progress = true;
		bdev->internal.histogram_enabled = enable;
		if (enable) {
			bdev->internal.histogram_shift = (uint8_t)shift;
			bdev->internal.histogram_min_range = min_range;
			bdev->internal.histogram_max_range = max_range;
			bdev->internal.histogram_io_type = o.io_type;
		}
	}
	pthread_mutex_unlock(&g_bdev_mgr.mutex);

	if (status != 0) {
		ctx->status = status;
		if (spdk_get_thread() == NULL ||
		    spdk_thread_send_msg(spdk_get_thread(), bdev_histogram_status_msg, ctx) != 0) {
			bdev_histogram_status_msg(ctx);
		}
		return;
	}
	spdk_for_each_channel(bdev_to_io_dev(bdev), bdev_histogram_enable_step, ctx,
			      bdev_histogram_enable_done);
}

void
spdk_bdev_histogram_enable(struct spdk_bdev *bdev, spdk_bdev_histogram_status_cb cb_fn,
			   void *cb_arg, bool enable)
{
	spdk_bdev_histogram_enable_ext(bdev, cb_fn, cb_arg, enable, NULL);
}

static void
bdev_histogram_get_step(struct spdk_io_channel_iter *i)
{
	struct bdev_histogram_ctx *ctx = spdk_io_channel_iter_get_ctx(i);
	struct spdk_bdev_channel *bch = bdev_channel_from_ch(spdk_io_channel_iter_get_channel(i));
	int status = 0;

	if (bch->histogram != NULL) {
		status = spdk_histogram_data_merge(ctx->histogram, bch->histogram);
	}
	spdk_for_each_channel_continue(i, status);
}

static void
bdev_histogram_get_done(struct spdk_io_channel_iter *i, int status)
{
	struct bdev_histogram_ctx *ctx = spdk_io_channel_iter_get_ctx(i);

	if (status == -ENODEV) {
		status = 0;
	}
	ctx->data_cb(ctx->cb_arg, status, ctx->histogram);
	free(ctx);
}

static void
bdev_histogram_data_msg(void *arg)
{
	struct bdev_histogram_ctx *ctx = arg;

	ctx->data_cb(ctx->cb_arg, ctx->status, ctx->histogram);
	free(ctx);
}

void
spdk_bdev_histogram_get(struct spdk_bdev *bdev, struct spdk_histogram_data *histogram,
			spdk_bdev_histogram_data_cb cb_fn, void *cb_arg)
{
	struct bdev_histogram_ctx *ctx;

	if (bdev == NULL || histogram == NULL || cb_fn == NULL) {
		SPDK_ERRLOG("spdk_bdev_histogram_get(%s): %s is NULL (thread %s)\n",
			    bdev != NULL ? bdev->name : "NULL",
			    bdev == NULL        ? "bdev"
			    : histogram == NULL ? "histogram"
						: "cb_fn",
			    updk__bdev_thread_name());
		return;
	}
	ctx = calloc(1, sizeof(*ctx));
	if (ctx == NULL) {
		cb_fn(cb_arg, -ENOMEM, histogram);
		return;
	}
	ctx->bdev = bdev;
	ctx->data_cb = cb_fn;
	ctx->cb_arg = cb_arg;
	ctx->histogram = histogram;
	if (!bdev->internal.histogram_enabled) {
		ctx->status = -EFAULT;
		if (spdk_get_thread() == NULL ||
		    spdk_thread_send_msg(spdk_get_thread(), bdev_histogram_data_msg, ctx) != 0) {
			bdev_histogram_data_msg(ctx);
		}
		return;
	}
	spdk_for_each_channel(bdev_to_io_dev(bdev), bdev_histogram_get_step, ctx,
			      bdev_histogram_get_done);
}

void
spdk_bdev_channel_get_histogram(struct spdk_io_channel *ch, spdk_bdev_histogram_data_cb cb_fn,
				void *cb_arg)
{
	struct spdk_bdev_channel *bch;

	if (ch == NULL || cb_fn == NULL) {
		SPDK_ERRLOG("spdk_bdev_channel_get_histogram: %s is NULL (thread %s)\n",
			    ch == NULL ? "ch" : "cb_fn", updk__bdev_thread_name());
		return;
	}
	bch = bdev_channel_from_ch(ch);
	if (bch->histogram == NULL) {
		cb_fn(cb_arg, -EFAULT, NULL);
		return;
	}
	cb_fn(cb_arg, 0, bch->histogram);
}
