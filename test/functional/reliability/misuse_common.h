/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * What the channel ownership tests (misuse_owner, misuse_owner_bdev) share:
 * their checks, the start that sends the log to a temporary file and turns
 * the check on (by API, or by UPDK_CHANNEL_OWNER_CHECK=1 when run with the
 * argument "env"), the searches of that log, and the end that prints the log
 * when a check failed and reports PASS or FAIL. Each test includes it once.
 */

#ifndef UPDK_TEST_MISUSE_COMMON_H
#define UPDK_TEST_MISUSE_COMMON_H

#include "spdk/stdinc.h"
#include "spdk/thread.h"
#include "updk/thread.h"

static int g_failures;

#define CHECK(cond)                                                                              \
	do {                                                                                     \
		if (!(cond)) {                                                                   \
			fprintf(stdout, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
			g_failures++;                                                            \
		}                                                                                \
	} while (0)

#define CHECK_EQ(a, b)                                                                    \
	do {                                                                              \
		long long _a = (long long)(a), _b = (long long)(b);                       \
		if (_a != _b) {                                                           \
			fprintf(stdout, "%s:%d: check failed: %s == %s (%lld != %lld)\n", \
				__FILE__, __LINE__, #a, #b, _a, _b);                      \
			g_failures++;                                                     \
		}                                                                         \
	} while (0)

/*
 * Send stderr (the log) to a new file made from \p path, a mkstemp()
 * template that receives the name, set up the thread library and turn the
 * ownership check on: through the environment when \p env, else through
 * updk_io_channel_set_owner_check(). \return 0, or 1 (said on stdout, the
 * file removed) when something failed.
 */
static int
misuse_start(char *path, bool env)
{
	int fd = mkstemp(path);

	if (fd < 0 || dup2(fd, STDERR_FILENO) < 0) {
		printf("cannot redirect stderr\n");
		return 1;
	}
	close(fd);
	if (env) {
		setenv("UPDK_CHANNEL_OWNER_CHECK", "1", 1);
	}
	if (spdk_thread_lib_init(NULL, 0) != 0) {
		printf("spdk_thread_lib_init failed\n");
		unlink(path);
		return 1;
	}
	if (!env) {
		updk_io_channel_set_owner_check(true);
	}
	CHECK(updk_io_channel_get_owner_check());
	return 0;
}

/* Whether one line of the log holds every needle (a NULL-terminated list). */
static bool
log_has_line(const char *path, const char *const *needles)
{
	char line[1024];
	bool found = false;
	FILE *f = fopen(path, "r");
	size_t i;

	if (f == NULL) {
		return false;
	}
	while (!found && fgets(line, sizeof(line), f) != NULL) {
		found = true;
		for (i = 0; needles[i] != NULL && found; i++) {
			found = strstr(line, needles[i]) != NULL;
		}
	}
	fclose(f);
	return found;
}

static bool
log_has(const char *path, const char *needle)
{
	const char *const needles[] = {needle, NULL};

	return log_has_line(path, needles);
}

/* Print the log if a check failed, remove it, and report: the exit code. */
static int
misuse_finish(const char *path)
{
	fflush(stderr);
	if (g_failures != 0) {
		FILE *f = fopen(path, "r");
		char line[1024];

		while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
			fputs(line, stdout);
		}
		if (f != NULL) {
			fclose(f);
		}
	}
	unlink(path);
	printf("%s\n", g_failures == 0 ? "PASS" : "FAIL");
	return g_failures == 0 ? 0 : 1;
}

#endif /* UPDK_TEST_MISUSE_COMMON_H */
