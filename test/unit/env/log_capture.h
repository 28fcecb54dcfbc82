/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Log capture for the env unit tests: installs an spdk_log callback that
 * counts error messages and keeps the text of the last one, so a test can
 * check that a refused call logged exactly one line naming the bad argument.
 * Warnings and notices are counted separately and not printed.
 */

#ifndef ENV_UT_LOG_CAPTURE_H
#define ENV_UT_LOG_CAPTURE_H

#include "spdk/stdinc.h"
#include "spdk/log.h"

static pthread_mutex_t g_cap_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned g_cap_errors;
static unsigned g_cap_warnings;
static unsigned g_cap_notices;
static char g_cap_last[512];

static inline void
cap_log(int level, const char *file, const int line, const char *func, const char *format,
	va_list args)
{
	pthread_mutex_lock(&g_cap_lock);
	if (level == SPDK_LOG_ERROR) {
		g_cap_errors++;
		vsnprintf(g_cap_last, sizeof(g_cap_last), format, args);
	} else if (level == SPDK_LOG_WARN) {
		g_cap_warnings++;
	} else if (level == SPDK_LOG_NOTICE) {
		g_cap_notices++;
	}
	pthread_mutex_unlock(&g_cap_lock);
}

static inline void
cap_start(void)
{
	pthread_mutex_lock(&g_cap_lock);
	g_cap_errors = 0;
	g_cap_warnings = 0;
	g_cap_notices = 0;
	g_cap_last[0] = '\0';
	pthread_mutex_unlock(&g_cap_lock);
	spdk_log_open(cap_log);
}

static inline void
cap_stop(void)
{
	spdk_log_close();
}

static inline unsigned
cap_errors(void)
{
	unsigned n;

	pthread_mutex_lock(&g_cap_lock);
	n = g_cap_errors;
	pthread_mutex_unlock(&g_cap_lock);
	return n;
}

static inline unsigned
cap_warnings(void)
{
	unsigned n;

	pthread_mutex_lock(&g_cap_lock);
	n = g_cap_warnings;
	pthread_mutex_unlock(&g_cap_lock);
	return n;
}

static inline unsigned
cap_notices(void)
{
	unsigned n;

	pthread_mutex_lock(&g_cap_lock);
	n = g_cap_notices;
	pthread_mutex_unlock(&g_cap_lock);
	return n;
}

/* Whether the last error message contains s; call with no other thread logging. */
static inline bool
cap_last_has(const char *s)
{
	bool found;

	pthread_mutex_lock(&g_cap_lock);
	found = strstr(g_cap_last, s) != NULL;
	pthread_mutex_unlock(&g_cap_lock);
	return found;
}

#endif /* ENV_UT_LOG_CAPTURE_H */
