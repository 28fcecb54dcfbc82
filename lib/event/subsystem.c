/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The subsystem registry: components register themselves (and their
 * dependencies) from constructors; spdk_subsystem_init() orders them so that
 * each comes after what it depends on and runs their init steps one after
 * another on the init thread; spdk_subsystem_fini() runs the fini steps of the
 * initialised ones in reverse order. A fini requested while the init chain is
 * still running waits for the current step to report back, then unwinds.
 */

#include "spdk/stdinc.h"
#include "spdk/init.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/thread.h"

#include "event_internal.h"

TAILQ_HEAD(subsystem_list, spdk_subsystem);

static struct subsystem_list g_subsystems = TAILQ_HEAD_INITIALIZER(g_subsystems);
static TAILQ_HEAD(, spdk_subsystem_depend) g_depends = TAILQ_HEAD_INITIALIZER(g_depends);

/* The thread the init and fini chains run on. */
static struct spdk_thread *g_init_thread;
/* Subsystem whose init or fini step runs, or NULL. */
static struct spdk_subsystem *g_current;
/* The last subsystem whose init step succeeded; fini starts there. */
static struct spdk_subsystem *g_last_initialized;
static bool g_init_started;
static bool g_initialized;
static bool g_init_running;
static bool g_fini_running;
/* spdk_subsystem_fini() came while the init chain was running. */
static bool g_fini_pending;
static spdk_subsystem_init_fn g_init_cb;
static void *g_init_cb_arg;
static spdk_subsystem_fini_fn g_fini_cb;
static void *g_fini_cb_arg;

void
spdk_add_subsystem(struct spdk_subsystem *subsystem)
{
	TAILQ_INSERT_TAIL(&g_subsystems, subsystem, tailq);
}

void
spdk_add_subsystem_depend(struct spdk_subsystem_depend *depend)
{
	TAILQ_INSERT_TAIL(&g_depends, depend, tailq);
}

static struct spdk_subsystem *
subsystem_find_in(struct subsystem_list *list, const char *name)
{
	struct spdk_subsystem *s;

	TAILQ_FOREACH (s, list, tailq) {
		if (strcmp(s->name, name) == 0) {
			return s;
		}
	}
	return NULL;
}

struct spdk_subsystem *
subsystem_find(const char *name)
{
	if (name == NULL) {
		return NULL;
	}
	return subsystem_find_in(&g_subsystems, name);
}

bool
spdk_subsystem_exists(const char *name)
{
	return subsystem_find(name) != NULL;
}

struct spdk_subsystem *
subsystem_get_first(void)
{
	return TAILQ_FIRST(&g_subsystems);
}

struct spdk_subsystem *
subsystem_get_next(struct spdk_subsystem *cur)
{
	return TAILQ_NEXT(cur, tailq);
}

struct spdk_subsystem_depend *
subsystem_get_first_depend(void)
{
	return TAILQ_FIRST(&g_depends);
}

struct spdk_subsystem_depend *
subsystem_get_next_depend(struct spdk_subsystem_depend *cur)
{
	return TAILQ_NEXT(cur, tailq);
}

const char *
subsystem_get_current(void)
{
	struct spdk_subsystem *s = __atomic_load_n(&g_current, __ATOMIC_ACQUIRE);

	return s != NULL ? s->name : NULL;
}

bool
subsystem_is_initialized(void)
{
	return g_initialized;
}

/*
 * Order the registry so that every subsystem follows its dependencies
 * (depth-first, keeping registration order where there is no constraint).
 * Fails on a missing dependency or a cycle.
 */
static int
subsystem_sort(void)
{
	struct subsystem_list sorted = TAILQ_HEAD_INITIALIZER(sorted);
	struct spdk_subsystem_depend *dep;
	struct spdk_subsystem *s;
	uint32_t n = 0, placed_before;

	TAILQ_FOREACH (dep, &g_depends, tailq) {
		if (subsystem_find(dep->name) == NULL) {
			SPDK_ERRLOG("subsystem %s, which has a dependency, is not registered\n",
				    dep->name);
			return -ENOENT;
		}
		if (subsystem_find(dep->depends_on) == NULL) {
			SPDK_ERRLOG("subsystem %s depends on subsystem %s, which is not linked "
				    "into this application\n",
				    dep->name, dep->depends_on);
			return -ENOENT;
		}
	}
	TAILQ_FOREACH (s, &g_subsystems, tailq) {
		n++;
	}

	/* Repeatedly move over every subsystem whose dependencies are all placed. */
	while (!TAILQ_EMPTY(&g_subsystems)) {
		struct spdk_subsystem *tmp;

		placed_before = n;
		TAILQ_FOREACH_SAFE (s, &g_subsystems, tailq, tmp) {
			bool ready = true;

			TAILQ_FOREACH (dep, &g_depends, tailq) {
				if (strcmp(dep->name, s->name) == 0 &&
				    subsystem_find_in(&sorted, dep->depends_on) == NULL) {
					ready = false;
					break;
				}
			}
			if (ready) {
				TAILQ_REMOVE(&g_subsystems, s, tailq);
				TAILQ_INSERT_TAIL(&sorted, s, tailq);
				n--;
			}
		}
		if (n == placed_before) {
			s = TAILQ_FIRST(&g_subsystems);
			SPDK_ERRLOG("the dependencies of subsystem %s form a cycle\n", s->name);
			TAILQ_CONCAT(&sorted, &g_subsystems, tailq);
			TAILQ_SWAP(&g_subsystems, &sorted, spdk_subsystem, tailq);
			return -ELOOP;
		}
	}
	TAILQ_SWAP(&g_subsystems, &sorted, spdk_subsystem, tailq);
	return 0;
}

static void subsystem_fini_step(void *ctx);

static void
subsystem_init_complete(int rc)
{
	spdk_subsystem_init_fn cb = g_init_cb;

	__atomic_store_n(&g_current, NULL, __ATOMIC_RELEASE);
	g_init_running = false;
	if (rc == 0) {
		g_initialized = true;
	}
	g_init_cb = NULL;
	if (cb != NULL) {
		cb(rc, g_init_cb_arg);
	}
	if (g_fini_pending) {
		g_fini_pending = false;
		g_fini_running = true;
		g_current = g_last_initialized;
		subsystem_fini_step(NULL);
	}
}

static void
subsystem_init_step(void *ctx)
{
	struct spdk_subsystem *next;

	if (g_fini_pending) {
		subsystem_init_complete(-ECANCELED);
		return;
	}
	next = g_current == NULL ? TAILQ_FIRST(&g_subsystems) : TAILQ_NEXT(g_current, tailq);
	if (next == NULL) {
		subsystem_init_complete(0);
		return;
	}
	__atomic_store_n(&g_current, next, __ATOMIC_RELEASE);
	SPDK_INFOLOG(app_config, "initialising subsystem %s\n", next->name);
	if (next->init != NULL) {
		next->init();
	} else {
		spdk_subsystem_init_next(0);
	}
}

static void
subsystem_init_next_msg(void *ctx)
{
	spdk_subsystem_init_next((int)(intptr_t)ctx);
}

void
spdk_subsystem_init_next(int rc)
{
	if (g_init_thread != NULL && spdk_get_thread() != g_init_thread) {
		spdk_thread_send_msg(g_init_thread, subsystem_init_next_msg, (void *)(intptr_t)rc);
		return;
	}
	if (!g_init_running || g_current == NULL) {
		SPDK_ERRLOG(
			"spdk_subsystem_init_next() called while no subsystem is initialising\n");
		return;
	}
	if (rc != 0) {
		SPDK_ERRLOG("subsystem %s failed to initialise: %s\n", g_current->name,
			    spdk_strerror(rc < 0 ? -rc : rc));
		subsystem_init_complete(rc < 0 ? rc : -rc);
		return;
	}
	g_last_initialized = g_current;
	/* Run the next step from a message so that a synchronous init does not
	 * grow the stack by one frame per subsystem. */
	spdk_thread_send_msg(g_init_thread, subsystem_init_step, NULL);
}

void
spdk_subsystem_init(spdk_subsystem_init_fn cb_fn, void *cb_arg)
{
	int rc;

	if (spdk_get_thread() == NULL) {
		SPDK_ERRLOG("spdk_subsystem_init() must be called on an SPDK thread\n");
		if (cb_fn != NULL) {
			cb_fn(-EINVAL, cb_arg);
		}
		return;
	}
	if (g_init_started) {
		SPDK_ERRLOG("the subsystems are already initialised or initialising\n");
		if (cb_fn != NULL) {
			cb_fn(-EALREADY, cb_arg);
		}
		return;
	}
	g_init_started = true;
	g_init_thread = spdk_get_thread();
	g_init_cb = cb_fn;
	g_init_cb_arg = cb_arg;
	g_current = NULL;
	g_last_initialized = NULL;

	rc = subsystem_sort();
	if (rc != 0) {
		g_init_cb = NULL;
		if (cb_fn != NULL) {
			cb_fn(rc, cb_arg);
		}
		return;
	}
	g_init_running = true;
	subsystem_init_step(NULL);
}

static void
subsystem_fini_complete(void)
{
	spdk_subsystem_fini_fn cb = g_fini_cb;

	__atomic_store_n(&g_current, NULL, __ATOMIC_RELEASE);
	g_fini_running = false;
	g_initialized = false;
	g_init_started = false;
	g_last_initialized = NULL;
	g_init_thread = NULL;
	g_fini_cb = NULL;
	if (cb != NULL) {
		cb(g_fini_cb_arg);
	}
}

/* Finish g_current, then walk backwards. */
static void
subsystem_fini_step(void *ctx)
{
	struct spdk_subsystem *s = g_current;

	if (s == NULL) {
		subsystem_fini_complete();
		return;
	}
	SPDK_INFOLOG(app_config, "finishing subsystem %s\n", s->name);
	if (s->fini != NULL) {
		s->fini();
	} else {
		spdk_subsystem_fini_next();
	}
}

static void
subsystem_fini_next_msg(void *ctx)
{
	spdk_subsystem_fini_next();
}

void
spdk_subsystem_fini_next(void)
{
	if (g_init_thread != NULL && spdk_get_thread() != g_init_thread) {
		spdk_thread_send_msg(g_init_thread, subsystem_fini_next_msg, NULL);
		return;
	}
	if (!g_fini_running || g_current == NULL) {
		SPDK_ERRLOG("spdk_subsystem_fini_next() called while no subsystem is finishing\n");
		return;
	}
	__atomic_store_n(&g_current, TAILQ_PREV(g_current, subsystem_list, tailq),
			 __ATOMIC_RELEASE);
	spdk_thread_send_msg(g_init_thread, subsystem_fini_step, NULL);
}

static void
subsystem_fini_nothing(void *ctx)
{
	subsystem_fini_complete();
}

void
spdk_subsystem_fini(spdk_subsystem_fini_fn cb_fn, void *cb_arg)
{
	if (spdk_get_thread() == NULL) {
		SPDK_ERRLOG("spdk_subsystem_fini() must be called on an SPDK thread\n");
		return;
	}
	if (g_fini_running || g_fini_pending) {
		SPDK_ERRLOG("the subsystems are already finishing\n");
		return;
	}
	g_fini_cb = cb_fn;
	g_fini_cb_arg = cb_arg;
	if (g_init_thread == NULL) {
		g_init_thread = spdk_get_thread();
	}
	if (g_init_running) {
		/* The running init step reports back first; then we unwind. */
		g_fini_pending = true;
		return;
	}
	if (g_last_initialized == NULL) {
		g_fini_running = true;
		spdk_thread_send_msg(g_init_thread, subsystem_fini_nothing, NULL);
		return;
	}
	g_fini_running = true;
	g_current = g_last_initialized;
	spdk_thread_send_msg(g_init_thread, subsystem_fini_step, NULL);
}
