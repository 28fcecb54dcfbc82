/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The deterministic multi-thread harness of ut_threads.h: N spdk_threads on
 * one pthread, a simulated clock and a log capture, for unit tests.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "updk/thread.h"
#include "updk_internal/thread.h"

#include "ut_threads.h"

struct ut_log_line {
	int level;
	char text[UT_LOG_LINE_LEN];
};

static struct spdk_thread *g_ut_threads[UT_THREADS_MAX];
static uint32_t g_ut_thread_count;
static uint64_t g_ut_now;

static struct ut_log_line g_ut_log[UT_LOG_MAX_LINES];
static uint32_t g_ut_log_kept;
/* Every captured line per level, kept or not. */
static uint32_t g_ut_log_counts[SPDK_LOG_DEBUG + 1];

static void
ut_log_cb(int level, const char *file, const int line, const char *func, const char *format,
	  va_list args)
{
	struct ut_log_line *l;

	if (level >= SPDK_LOG_ERROR && level <= SPDK_LOG_DEBUG) {
		g_ut_log_counts[level]++;
	}
	if (g_ut_log_kept == UT_LOG_MAX_LINES) {
		return;
	}
	l = &g_ut_log[g_ut_log_kept++];
	l->level = level;
	vsnprintf(l->text, sizeof(l->text), format, args);
}

void
ut_log_capture_start(void)
{
	ut_log_clear();
	spdk_log_open(ut_log_cb);
}

void
ut_log_capture_stop(void)
{
	spdk_log_close();
}

void
ut_log_clear(void)
{
	g_ut_log_kept = 0;
	memset(g_ut_log_counts, 0, sizeof(g_ut_log_counts));
}

uint32_t
ut_log_count(int level)
{
	if (level < SPDK_LOG_ERROR || level > SPDK_LOG_DEBUG) {
		return 0;
	}
	return g_ut_log_counts[level];
}

uint32_t
ut_log_count_matching(int level, ...)
{
	uint32_t i, count = 0;
	const char *sub;
	bool all;
	va_list ap;

	for (i = 0; i < g_ut_log_kept; i++) {
		if (g_ut_log[i].level != level) {
			continue;
		}
		all = true;
		va_start(ap, level);
		while ((sub = va_arg(ap, const char *)) != NULL) {
			if (strstr(g_ut_log[i].text, sub) == NULL) {
				all = false;
			}
		}
		va_end(ap);
		if (all) {
			count++;
		}
	}
	return count;
}

const char *
ut_log_line(uint32_t index)
{
	return index < g_ut_log_kept ? g_ut_log[index].text : NULL;
}

void
ut_log_dump(void)
{
	uint32_t i;

	for (i = 0; i < g_ut_log_kept; i++) {
		fprintf(stderr, "  log[%u] level %d: %s", i, g_ut_log[i].level, g_ut_log[i].text);
	}
}

uint64_t
ut_clock_now(void)
{
	return g_ut_now;
}

void
ut_clock_advance_ticks(uint64_t ticks)
{
	g_ut_now += ticks;
}

uint64_t
ut_us_to_ticks(uint64_t us)
{
	uint64_t hz = spdk_get_ticks_hz();

	return hz * (us / 1000000) + hz * (us % 1000000) / 1000000;
}

void
ut_clock_advance_us(uint64_t us)
{
	g_ut_now += ut_us_to_ticks(us);
}

struct spdk_thread *
ut_thread(uint32_t index)
{
	return index < g_ut_thread_count ? g_ut_threads[index] : NULL;
}

uint32_t
ut_thread_count(void)
{
	return g_ut_thread_count;
}

void
ut_set_thread(uint32_t index)
{
	spdk_set_thread(index == UT_NO_THREAD ? NULL : ut_thread(index));
}

int
ut_poll_thread(uint32_t index)
{
	struct spdk_thread *thread = ut_thread(index);

	if (thread == NULL) {
		return 0;
	}
	return spdk_thread_poll(thread, 0, g_ut_now);
}

static bool
ut_any_thread_has_msgs(void)
{
	uint32_t i;

	for (i = 0; i < g_ut_thread_count; i++) {
		if (g_ut_threads[i] != NULL && !spdk_thread_is_exited(g_ut_threads[i]) &&
		    updk__thread_has_msgs(g_ut_threads[i])) {
			return true;
		}
	}
	return false;
}

uint32_t
ut_poll_threads(void)
{
	uint32_t i, rounds;

	for (rounds = 1; rounds < UT_POLL_MAX_ROUNDS; rounds++) {
		for (i = 0; i < g_ut_thread_count; i++) {
			if (g_ut_threads[i] != NULL && !spdk_thread_is_exited(g_ut_threads[i])) {
				spdk_thread_poll(g_ut_threads[i], 0, g_ut_now);
			}
		}
		if (!ut_any_thread_has_msgs()) {
			return rounds;
		}
	}
	return UT_POLL_MAX_ROUNDS;
}

int
ut_threads_init(uint32_t count)
{
	char name[16];
	uint32_t i;
	int rc;

	if (count == 0 || count > UT_THREADS_MAX) {
		return -EINVAL;
	}
	ut_log_capture_start();
	rc = spdk_thread_lib_init(NULL, 0);
	if (rc != 0) {
		return rc;
	}
	g_ut_now = spdk_get_ticks();
	for (i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "ut%u", i);
		g_ut_threads[i] = spdk_thread_create(name, NULL);
		if (g_ut_threads[i] == NULL) {
			g_ut_thread_count = i;
			ut_threads_fini();
			return -ENOMEM;
		}
	}
	g_ut_thread_count = count;
	/* Threads remember the real time they were created at; one poll at the
	 * simulated time makes that the base of everything that follows. */
	for (i = 0; i < count; i++) {
		spdk_thread_poll(g_ut_threads[i], 0, g_ut_now);
	}
	spdk_set_thread(NULL);
	return 0;
}

/* Poll until every thread in [first, last) has exited; returns how many did not. */
static int
ut_wait_exited(uint32_t first, uint32_t last)
{
	uint32_t i, round, left = 0;

	for (round = 0; round < UT_POLL_MAX_ROUNDS; round++) {
		left = 0;
		for (i = 0; i < g_ut_thread_count; i++) {
			if (!spdk_thread_is_exited(g_ut_threads[i])) {
				spdk_thread_poll(g_ut_threads[i], 0, g_ut_now);
			}
		}
		for (i = first; i < last; i++) {
			if (!spdk_thread_is_exited(g_ut_threads[i])) {
				left++;
			}
		}
		if (left == 0) {
			break;
		}
	}
	for (i = first; i < last && left > 0; i++) {
		if (!spdk_thread_is_exited(g_ut_threads[i])) {
			fprintf(stderr, "ut_threads_fini: thread %s did not exit; it holds:\n",
				spdk_thread_get_name(g_ut_threads[i]));
			updk_thread_dump_resources(g_ut_threads[i]);
		}
	}
	return (int)left;
}

int
ut_threads_fini(void)
{
	uint32_t i;
	int failed = 0;

	/* The app thread (index 0) exits after every other thread. */
	for (i = 1; i < g_ut_thread_count; i++) {
		if (spdk_thread_is_running(g_ut_threads[i])) {
			spdk_set_thread(g_ut_threads[i]);
			spdk_thread_exit(g_ut_threads[i]);
		}
	}
	spdk_set_thread(NULL);
	if (g_ut_thread_count > 1) {
		failed += ut_wait_exited(1, g_ut_thread_count);
	}
	if (g_ut_thread_count > 0) {
		if (spdk_thread_is_running(g_ut_threads[0])) {
			spdk_set_thread(g_ut_threads[0]);
			spdk_thread_exit(g_ut_threads[0]);
			spdk_set_thread(NULL);
		}
		failed += ut_wait_exited(0, 1);
	}
	if (failed > 0) {
		ut_log_dump();
	}

	/* A thread that did not exit cannot be destroyed; the test has failed
	 * and its leftovers are reported above. */
	for (i = g_ut_thread_count; i > 0; i--) {
		if (spdk_thread_is_exited(g_ut_threads[i - 1])) {
			spdk_thread_destroy(g_ut_threads[i - 1]);
		}
		g_ut_threads[i - 1] = NULL;
	}
	g_ut_thread_count = 0;
	spdk_set_thread(NULL);
	spdk_thread_lib_fini();
	ut_log_capture_stop();
	return failed;
}
