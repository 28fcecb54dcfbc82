/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * A deterministic harness for unit tests that need several spdk_threads: it
 * creates N threads that all live on the calling pthread, lets the test choose
 * the current thread and poll one thread or all of them until no message is
 * left, drives a simulated clock (every poll passes the harness's `now` to
 * spdk_thread_poll(), so timed pollers run exactly when the test says), and
 * captures log lines so that a test can assert on them. There are no sleeps
 * and no other pthreads.
 *
 * Use it from a cmocka test by adding test/common/ut_threads.c to the test's
 * sources (target_sources(<test> PRIVATE .../test/common/ut_threads.c)).
 * Typical use:
 *
 *     ut_threads_init(3);            threads 0..2; thread 0 is the app thread
 *     ut_set_thread(1);              make thread 1 current and call the API
 *     ...
 *     ut_poll_threads();             run every queued message on every thread
 *     ut_clock_advance_us(100);      then ut_poll_thread(i) runs due pollers
 *     assert_int_equal(ut_threads_fini(), 0);
 *
 * The harness is not thread safe: call it from one pthread only.
 */

#ifndef UT_THREADS_H
#define UT_THREADS_H

#include "spdk/stdinc.h"
#include "spdk/thread.h"

/** Most threads the harness manages. */
#define UT_THREADS_MAX 16
/** Pass to ut_set_thread() to leave no thread current. */
#define UT_NO_THREAD UINT32_MAX
/** ut_poll_threads() gives up after this many rounds (a message loop). */
#define UT_POLL_MAX_ROUNDS 100000
/** Log lines kept by the capture; later lines are counted but not kept. */
#define UT_LOG_MAX_LINES 512
/** Longest kept log line, terminating NUL included. */
#define UT_LOG_LINE_LEN 512

/**
 * Initialise the thread library (no scheduler hook, no thread context),
 * start the log capture, and create \p count threads named "ut0", "ut1", ...
 * Thread 0 is the app thread. No thread is current afterwards.
 *
 * \return 0, or a negative errno when the library or a thread could not be
 * created (everything already created is torn down again).
 */
int ut_threads_init(uint32_t count);

/**
 * Exit every harness thread (the app thread last), poll until each has
 * exited, destroy them, finalise the thread library and stop the log capture.
 * The clock is not advanced, so a thread that still holds something is never
 * forced out by its exit timeout: it is reported instead.
 *
 * \return 0 when every thread exited cleanly; otherwise the number of threads
 * that did not (their resources are dumped to the log first).
 */
int ut_threads_fini(void);

/** \return the harness's thread \p index (NULL if out of range). */
struct spdk_thread *ut_thread(uint32_t index);

/** \return how many threads the harness manages. */
uint32_t ut_thread_count(void);

/** Make thread \p index current on this pthread; UT_NO_THREAD clears it. */
void ut_set_thread(uint32_t index);

/**
 * Poll thread \p index once at the simulated time.
 *
 * \return what spdk_thread_poll() returned.
 */
int ut_poll_thread(uint32_t index);

/**
 * Poll every harness thread in index order, round after round, until no
 * harness thread has a message queued. Active pollers run once per round.
 * The current thread is left as it was.
 *
 * \return the number of rounds; UT_POLL_MAX_ROUNDS means it did not settle.
 */
uint32_t ut_poll_threads(void);

/** \return the simulated time, in ticks. */
uint64_t ut_clock_now(void);

/** Advance the simulated time by \p ticks. */
void ut_clock_advance_ticks(uint64_t ticks);

/** Advance the simulated time by \p us microseconds. */
void ut_clock_advance_us(uint64_t us);

/** \return \p us microseconds in ticks, rounded as the thread library rounds. */
uint64_t ut_us_to_ticks(uint64_t us);

/**
 * Start capturing log lines (spdk_log_open() with the harness's callback).
 * ut_threads_init() does this itself; the capture is cleared.
 */
void ut_log_capture_start(void);

/** Stop capturing (spdk_log_close()). */
void ut_log_capture_stop(void);

/** Forget every captured line. */
void ut_log_clear(void);

/** \return how many lines at \p level (an enum spdk_log_level) were captured. */
uint32_t ut_log_count(int level);

/**
 * \return how many kept lines at \p level contain every one of the given
 * substrings. The list of substrings ends with NULL.
 */
uint32_t ut_log_count_matching(int level, ...);

/** \return kept line \p index (formatted, with its newline), or NULL. */
const char *ut_log_line(uint32_t index);

/** Print every kept line to stderr (to explain a failing assertion). */
void ut_log_dump(void);

#endif /* UT_THREADS_H */
