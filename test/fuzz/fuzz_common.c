/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The app-thread harness shared by fuzz_rpc_params and fuzz_json_config (see
 * fuzz_common.h): setup, bounded polling, the input filter, the reset after
 * every input, and the link-time wrappers (spdk_zmalloc, kill, spdk_get_ticks).
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/env.h"
#include "spdk/init.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/thread.h"
#include "updk_internal/thread.h"
#include "updk_internal/vbdev.h"

#include "fuzz_common.h"

void *__real_spdk_zmalloc(size_t size, size_t align, uint64_t *unused, int numa_id, uint32_t flags);
void *__wrap_spdk_zmalloc(size_t size, size_t align, uint64_t *unused, int numa_id, uint32_t flags);
int __real_kill(pid_t pid, int sig);
int __wrap_kill(pid_t pid, int sig);
uint64_t __real_spdk_get_ticks(void);
uint64_t __wrap_spdk_get_ticks(void);

static struct spdk_thread *g_thread;
static struct spdk_bdev_opts g_bdev_opts;
static enum spdk_log_level g_log_level;
static enum spdk_log_level g_print_level = SPDK_LOG_DISABLED;
static char g_scratch[PATH_MAX];
static bool g_alloc_cap;
/* Set while the harness polls the app thread: only then is a kill() dropped. */
static bool g_polling;
/* Added to the clock, so that the reset need not sleep until a timer is due. */
static uint64_t g_tick_offset;

void *
__wrap_spdk_zmalloc(size_t size, size_t align, uint64_t *unused, int numa_id, uint32_t flags)
{
	if (g_alloc_cap && size > FUZZ_ZMALLOC_CAP) {
		return NULL;
	}
	return __real_spdk_zmalloc(size, align, unused, numa_id, flags);
}

int
__wrap_kill(pid_t pid, int sig)
{
	if (g_polling && pid == getpid()) {
		return 0;
	}
	return __real_kill(pid, sig);
}

uint64_t
__wrap_spdk_get_ticks(void)
{
	return __real_spdk_get_ticks() + g_tick_offset;
}

void
fuzz_set_alloc_cap(bool on)
{
	g_alloc_cap = on;
}

static int
fuzz_poll_once(void)
{
	int rc;

	g_polling = true;
	rc = spdk_thread_poll(g_thread, 0, 0);
	g_polling = false;
	return rc;
}

bool
fuzz_poll_until(const bool *done, uint64_t max_polls)
{
	uint64_t i;

	for (i = 0; i < max_polls && !*done; i++) {
		fuzz_poll_once();
	}
	return *done;
}

bool
fuzz_values_allowed(const struct spdk_json_val *values, size_t count)
{
	uint64_t timeout;
	size_t i;

	for (i = 0; i + 1 < count; i++) {
		const struct spdk_json_val *v = &values[i + 1];

		if (values[i].type == SPDK_JSON_VAL_STRING &&
		    spdk_json_strequal(&values[i], FUZZ_FORBIDDEN_METHOD)) {
			return false;
		}
		if (values[i].type != SPDK_JSON_VAL_NAME) {
			continue;
		}
		if (spdk_json_strequal(&values[i], "filename") && v->type == SPDK_JSON_VAL_STRING &&
		    memchr(v->start, '/', v->len) != NULL) {
			return false;
		}
		if (spdk_json_strequal(&values[i], "timeout") &&
		    spdk_json_decode_uint64(v, &timeout) == 0 && timeout > FUZZ_MAX_TIMEOUT_MS) {
			return false;
		}
	}
	return true;
}

static void
fuzz_remove_scratch(void)
{
	char path[PATH_MAX + 32];

	snprintf(path, sizeof(path), "%s/%s", g_scratch, FUZZ_DISK0);
	unlink(path);
	snprintf(path, sizeof(path), "%s/%s", g_scratch, FUZZ_DISK1);
	unlink(path);
	rmdir(g_scratch);
}

static void
fuzz_make_disk(const char *name)
{
	int fd = open(name, O_RDWR | O_CREAT | O_TRUNC, 0600);

	if (fd < 0 || ftruncate(fd, 1024 * 1024) != 0) {
		fprintf(stderr, "fuzz: cannot create %s/%s: %s\n", g_scratch, name,
			strerror(errno));
		abort();
	}
	close(fd);
}

static void
fuzz_subsystems_done(int rc, void *arg)
{
	bool *done = arg;

	if (rc != 0) {
		fprintf(stderr, "fuzz: subsystem initialisation failed: %d\n", rc);
		abort();
	}
	*done = true;
}

void
fuzz_app_init(const char *name)
{
	const char *tmp = getenv("TMPDIR");
	bool done = false;

	if (getenv("UPDK_FUZZ_LOG") != NULL) {
		/* To see why an input fails: the library's errors on stderr. */
		g_print_level = SPDK_LOG_NOTICE;
	}
	spdk_log_set_print_level(g_print_level);
	spdk_log_enable_timestamps(true);
	g_log_level = spdk_log_get_level();

	snprintf(g_scratch, sizeof(g_scratch), "%s/updk_%s.XXXXXX",
		 tmp != NULL && tmp[0] != '\0' ? tmp : "/tmp", name);
	if (mkdtemp(g_scratch) == NULL || chdir(g_scratch) != 0) {
		fprintf(stderr, "fuzz: cannot make a scratch directory: %s\n", strerror(errno));
		abort();
	}
	atexit(fuzz_remove_scratch);
	fuzz_make_disk(FUZZ_DISK0);
	fuzz_make_disk(FUZZ_DISK1);

	if (spdk_thread_lib_init(NULL, 0) != 0) {
		abort();
	}
	g_thread = spdk_thread_create(name, NULL);
	if (g_thread == NULL) {
		abort();
	}
	spdk_set_thread(g_thread);
	spdk_rpc_set_state(SPDK_RPC_STARTUP);
	spdk_subsystem_init(fuzz_subsystems_done, &done);
	if (!fuzz_poll_until(&done, FUZZ_MAX_POLLS)) {
		fprintf(stderr, "fuzz: the subsystems did not initialise\n");
		abort();
	}
	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	spdk_bdev_get_opts(&g_bdev_opts, sizeof(g_bdev_opts));
}

static bool
fuzz_kill_pending(void)
{
	struct spdk_poller *p;

	for (p = spdk_thread_get_first_timed_poller(g_thread); p != NULL;
	     p = spdk_thread_get_next_timed_poller(p)) {
		if (strcmp(spdk_poller_get_name(p), "rpc_kill_instance_deliver") == 0) {
			return true;
		}
	}
	return false;
}

static void
fuzz_unregister_done(void *arg, int rc)
{
	bool *done = arg;

	*done = true;
}

static void
fuzz_delete_all_bdevs(void)
{
	struct spdk_bdev *bdev, *victim;
	uint32_t count = 0, round;
	bool done;

	for (bdev = spdk_bdev_first(); bdev != NULL; bdev = spdk_bdev_next(bdev)) {
		count++;
	}
	/* A base's removal may take its virtual bdevs with it; each round removes at least one. */
	for (round = 0; round <= count; round++) {
		victim = NULL;
		for (bdev = spdk_bdev_first(); bdev != NULL; bdev = spdk_bdev_next(bdev)) {
			victim = bdev;
		}
		if (victim == NULL) {
			return;
		}
		done = false;
		spdk_bdev_unregister(victim, fuzz_unregister_done, &done);
		if (!fuzz_poll_until(&done, FUZZ_MAX_POLLS)) {
			fprintf(stderr, "fuzz: unregistering bdev %s never completed\n",
				spdk_bdev_get_name(victim));
			abort();
		}
	}
	fprintf(stderr, "fuzz: bdevs remain after %" PRIu32 " unregistrations\n", count + 1);
	abort();
}

void
fuzz_app_reset(void)
{
	uint32_t i;

	/* spdk_kill_instance sends its signal 50 ms after it answers: move the
	 * clock on instead of waiting. */
	for (i = 0; fuzz_kill_pending(); i++) {
		if (i == 1000) {
			fprintf(stderr, "fuzz: spdk_kill_instance never sent its signal\n");
			abort();
		}
		g_tick_offset += spdk_get_ticks_hz() / 10;
		fuzz_poll_once();
	}
	fuzz_delete_all_bdevs();
	/* Virtual bdev configurations outlive their bdevs: without this they
	 * would pile up and come back with the next input's base. */
	updk__vbdev_config_clear();
	if (spdk_bdev_set_opts(&g_bdev_opts) != 0) {
		abort();
	}
	spdk_log_set_print_level(g_print_level);
	spdk_log_set_level(g_log_level);
	spdk_log_enable_timestamps(true);
	(void)spdk_log_clear_flag("all");
	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	/* Released channels go away by message. */
	for (i = 0; i < 1000 && fuzz_poll_once() > 0; i++) {
	}
}
