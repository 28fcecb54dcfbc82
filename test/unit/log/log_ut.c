/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/log/log.c: default thresholds, flag registration, globs and "all", both
 * spellings of SPDK_INFOLOG()'s component, components used before or without registration,
 * the stderr line format (captured through a pipe on fd 2), callbacks, the rate limiter
 * (driven by a fake clock), deprecations, dumps and the per-level counters. log_ut_cxx.cpp
 * checks that the same macros compile and work in C++.
 */

#include "spdk/stdinc.h"
#include "log/log.c"

#include <setjmp.h>
#include <cmocka.h>

/* Defined in log_ut_cxx.cpp. */
int log_ut_cxx_infolog(void);
int log_ut_cxx_ratelimit(int calls);

SPDK_LOG_REGISTER_COMPONENT(ut_comp)
SPDK_LOG_REGISTER_COMPONENT(ut_glob_a)
SPDK_LOG_REGISTER_COMPONENT(ut_glob_b)
SPDK_LOG_REGISTER_COMPONENT(ut_zzz_other)

SPDK_LOG_DEPRECATION_REGISTER(ut_old_api, "the old API", "v99.01", 0)

/* ---- Capture through a callback ---- */

static int g_cb_calls;
static int g_cb_level;
static const char *g_cb_file;
static int g_cb_line;
static const char *g_cb_func;
static char g_cb_text[512];

static void
ut_log_cb(int level, const char *file, const int line, const char *func, const char *format,
	  va_list args)
{
	g_cb_calls++;
	g_cb_level = level;
	g_cb_file = file;
	g_cb_line = line;
	g_cb_func = func;
	vsnprintf(g_cb_text, sizeof(g_cb_text), format, args);
}

static void
cb_capture_start(void)
{
	g_cb_calls = 0;
	g_cb_level = -1;
	g_cb_file = NULL;
	g_cb_line = 0;
	g_cb_func = NULL;
	g_cb_text[0] = '\0';
	spdk_log_open(ut_log_cb);
}

/* ---- Capture of fd 2 through a pipe ---- */

static int g_saved_stderr = -1;
static int g_pipe_read = -1;

static void
stderr_capture_start(void)
{
	int fds[2];

	assert_int_equal(pipe(fds), 0);
	fflush(stderr);
	g_saved_stderr = dup(STDERR_FILENO);
	assert_true(g_saved_stderr >= 0);
	assert_true(dup2(fds[1], STDERR_FILENO) >= 0);
	close(fds[1]);
	g_pipe_read = fds[0];
}

/* Restores fd 2 and returns what was written to it while captured. */
static const char *
stderr_capture_stop(void)
{
	static char buf[8192];
	size_t len = 0;
	ssize_t n;

	fflush(stderr);
	dup2(g_saved_stderr, STDERR_FILENO);
	close(g_saved_stderr);
	g_saved_stderr = -1;
	while (len < sizeof(buf) - 1 &&
	       (n = read(g_pipe_read, buf + len, sizeof(buf) - 1 - len)) > 0) {
		len += (size_t)n;
	}
	close(g_pipe_read);
	g_pipe_read = -1;
	buf[len] = '\0';
	return buf;
}

/* ---- Fake clock for the rate limiters ---- */

#define UT_SEC_NS 1000000000ULL

/* Only ever moves forward, since rate limiter state outlives each test. */
static uint64_t g_ut_now_ns;

static uint64_t
ut_clock_ns(void)
{
	return g_ut_now_ns;
}

static int
test_setup(void **state)
{
	spdk_log_close();
	spdk_log_clear_flag("all");
	spdk_log_set_print_level(SPDK_LOG_ERROR);
	spdk_log_set_level(SPDK_LOG_ERROR);
	spdk_log_enable_timestamps(false);
	updk_log_reset_counts();
	g_log_clock_ns = ut_clock_ns;
	g_ut_now_ns += 1000 * UT_SEC_NS;
	return 0;
}

static int
test_teardown(void **state)
{
	spdk_log_close();
	spdk_log_clear_flag("all");
	spdk_log_set_print_level(SPDK_LOG_ERROR);
	g_log_clock_ns = log_monotonic_ns;
	return 0;
}

/* Runs first, before any setup changes a threshold. */
static void
defaults_are_error_thresholds_and_timestamps(void **state)
{
	const char *out;

	assert_int_equal(spdk_log_get_print_level(), SPDK_LOG_ERROR);
	assert_int_equal(spdk_log_get_level(), SPDK_LOG_ERROR);
	stderr_capture_start();
	SPDK_ERRLOG("stamped by default\n");
	out = stderr_capture_stop();
	assert_int_equal(out[0], '[');
	assert_non_null(strstr(out, "] log_ut.c:"));
}

static void
levels_round_trip(void **state)
{
	spdk_log_set_print_level(SPDK_LOG_DEBUG);
	assert_int_equal(spdk_log_get_print_level(), SPDK_LOG_DEBUG);
	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	assert_int_equal(spdk_log_get_print_level(), SPDK_LOG_DISABLED);
	spdk_log_set_level(SPDK_LOG_NOTICE);
	assert_int_equal(spdk_log_get_level(), SPDK_LOG_NOTICE);
}

static void
syslog_levels_map_as_in_spdk(void **state)
{
	assert_int_equal(spdk_log_to_syslog_level(SPDK_LOG_ERROR), LOG_ERR);
	assert_int_equal(spdk_log_to_syslog_level(SPDK_LOG_WARN), LOG_WARNING);
	assert_int_equal(spdk_log_to_syslog_level(SPDK_LOG_NOTICE), LOG_NOTICE);
	assert_int_equal(spdk_log_to_syslog_level(SPDK_LOG_INFO), LOG_INFO);
	assert_int_equal(spdk_log_to_syslog_level(SPDK_LOG_DEBUG), LOG_INFO);
	assert_int_equal(spdk_log_to_syslog_level(SPDK_LOG_DISABLED), -1);
	assert_int_equal(spdk_log_to_syslog_level((enum spdk_log_level)42), LOG_INFO);
}

static void
infolog_bare_and_quoted_forms_are_gated_by_the_same_flag(void **state)
{
	cb_capture_start();
	SPDK_INFOLOG(ut_comp, "bare %d\n", 1);
	SPDK_INFOLOG("ut_comp", "quoted %d\n", 2);
	assert_int_equal(g_cb_calls, 0);

	assert_int_equal(spdk_log_set_flag("ut_comp"), 0);
	assert_true(__atomic_load_n(&SPDK_LOG_ut_comp.enabled, __ATOMIC_RELAXED));
	SPDK_INFOLOG(ut_comp, "bare %d\n", 1);
	assert_int_equal(g_cb_calls, 1);
	assert_string_equal(g_cb_text, "bare 1\n");
	assert_int_equal(g_cb_level, SPDK_LOG_INFO);
	SPDK_INFOLOG("ut_comp", "quoted %d\n", 2);
	assert_int_equal(g_cb_calls, 2);
	assert_string_equal(g_cb_text, "quoted 2\n");

	assert_int_equal(spdk_log_clear_flag("ut_comp"), 0);
	SPDK_INFOLOG(ut_comp, "bare\n");
	SPDK_INFOLOG("ut_comp", "quoted\n");
	assert_int_equal(g_cb_calls, 2);
}

static void
infolog_site_resolves_to_the_registered_flag(void **state)
{
	struct spdk_log_flag *site = &updk_log_unresolved_flag;

	assert_ptr_equal(updk_log_flag_resolve(&site, "\"ut_comp\""), &SPDK_LOG_ut_comp);
	assert_ptr_equal(site, &SPDK_LOG_ut_comp);
	assert_ptr_equal(updk_log_flag_resolve(NULL, "ut_comp"), &SPDK_LOG_ut_comp);
	assert_ptr_equal(updk_log_flag_resolve(NULL, "UT_COMP"), &SPDK_LOG_ut_comp);
}

static void
infolog_of_unregistered_component_creates_the_flag(void **state)
{
	int i;

	cb_capture_start();
	/* Neither name is registered anywhere; this must compile, link and stay quiet. */
	for (i = 0; i < 2; i++) {
		SPDK_INFOLOG(ut_never_registered, "bare\n");
		SPDK_INFOLOG("ut_literal_only", "quoted\n");
	}
	assert_int_equal(g_cb_calls, 0);
	assert_false(spdk_log_get_flag("ut_never_registered"));

	assert_int_equal(spdk_log_set_flag("ut_never_registered"), 0);
	assert_int_equal(spdk_log_set_flag("ut_literal_only"), 0);
	SPDK_INFOLOG(ut_never_registered, "bare\n");
	assert_int_equal(g_cb_calls, 1);
	SPDK_INFOLOG("ut_literal_only", "quoted\n");
	assert_int_equal(g_cb_calls, 2);
	assert_true(spdk_log_get_flag("ut_literal_only"));
}

static void
add_flag_allows_enabling_before_first_use(void **state)
{
	assert_int_equal(spdk_log_set_flag("ut_declared_early"), -EINVAL);
	assert_int_equal(updk_log_add_flag("ut_declared_early"), 0);
	assert_int_equal(updk_log_add_flag("\"ut_declared_early\""), 0);
	assert_int_equal(spdk_log_set_flag("ut_declared_early"), 0);

	cb_capture_start();
	SPDK_INFOLOG("ut_declared_early", "first use\n");
	assert_int_equal(g_cb_calls, 1);

	assert_int_equal(updk_log_add_flag(NULL), -EINVAL);
	assert_int_equal(updk_log_add_flag(""), -EINVAL);
}

static int
count_flags_named(const char *name, struct spdk_log_flag **found)
{
	struct spdk_log_flag *flag;
	int n = 0;

	for (flag = spdk_log_get_first_flag(); flag != NULL; flag = spdk_log_get_next_flag(flag)) {
		if (strcasecmp(flag->name, name) == 0) {
			*found = flag;
			n++;
		}
	}
	return n;
}

static void
registration_after_first_use_takes_over_the_name(void **state)
{
	static struct spdk_log_flag late = {{NULL, NULL}, "ut_late", false};
	struct spdk_log_flag *placeholder, *found = NULL;

	placeholder = updk_log_flag_resolve(NULL, "ut_late");
	assert_int_equal(spdk_log_set_flag("ut_late"), 0);
	assert_true(placeholder->enabled);

	spdk_log_register_flag("ut_late", &late);
	assert_true(late.enabled);
	assert_int_equal(count_flags_named("ut_late", &found), 1);
	assert_ptr_equal(found, &late);
	assert_ptr_equal(updk_log_flag_resolve(NULL, "ut_late"), &late);

	/* Call sites still holding the placeholder follow the registered flag. */
	assert_int_equal(spdk_log_clear_flag("ut_late"), 0);
	assert_false(late.enabled);
	assert_false(placeholder->enabled);

	/* Registering the same object again changes nothing. */
	spdk_log_register_flag("ut_late", &late);
	assert_int_equal(count_flags_named("ut_late", &found), 1);
}

static void
duplicate_registration_logs_one_error_and_switches_both(void **state)
{
	static struct spdk_log_flag dup = {{NULL, NULL}, "ut_comp", false};
	struct spdk_log_flag *found = NULL;

	cb_capture_start();
	spdk_log_register_flag("ut_comp", &dup);
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 1);
	assert_non_null(strstr(g_cb_text, "ut_comp"));
	assert_int_equal(count_flags_named("ut_comp", &found), 1);
	assert_ptr_equal(found, &SPDK_LOG_ut_comp);

	assert_int_equal(spdk_log_set_flag("ut_comp"), 0);
	assert_true(dup.enabled);
	assert_int_equal(spdk_log_clear_flag("ut_comp"), 0);
	assert_false(dup.enabled);
}

static void
register_without_name_is_refused(void **state)
{
	static struct spdk_log_flag nameless = {{NULL, NULL}, NULL, false};
	struct spdk_log_flag *flag;

	cb_capture_start();
	spdk_log_register_flag(NULL, &nameless);
	spdk_log_register_flag("", &nameless);
	spdk_log_register_flag("ut_no_object", NULL);
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 3);
	for (flag = spdk_log_get_first_flag(); flag != NULL; flag = spdk_log_get_next_flag(flag)) {
		assert_ptr_not_equal(flag, &nameless);
		assert_string_not_equal(flag->name, "ut_no_object");
	}
}

static void
set_flag_matches_case_insensitive_globs(void **state)
{
	assert_int_equal(spdk_log_set_flag("UT_GLOB_*"), 0);
	assert_true(spdk_log_get_flag("ut_glob_a"));
	assert_true(spdk_log_get_flag("ut_glob_b"));
	assert_false(spdk_log_get_flag("ut_zzz_other"));
	assert_false(spdk_log_get_flag("ut_comp"));

	assert_int_equal(spdk_log_clear_flag("ut_glob_?"), 0);
	assert_false(spdk_log_get_flag("ut_glob_a"));
	assert_false(spdk_log_get_flag("ut_glob_b"));

	assert_int_equal(spdk_log_set_flag("ut_glob_[b]"), 0);
	assert_false(spdk_log_get_flag("ut_glob_a"));
	assert_true(spdk_log_get_flag("ut_glob_b"));
}

static void
set_flag_without_match_fails_with_einval(void **state)
{
	assert_int_equal(spdk_log_set_flag("ut_no_such_flag"), -EINVAL);
	assert_int_equal(spdk_log_set_flag("ut_no_such_*"), -EINVAL);
	assert_int_equal(spdk_log_clear_flag("ut_no_such_flag"), -EINVAL);
	assert_int_equal(spdk_log_set_flag(NULL), -EINVAL);
	assert_int_equal(spdk_log_clear_flag(NULL), -EINVAL);
	assert_false(spdk_log_get_flag("ut_no_such_flag"));
	assert_false(spdk_log_get_flag(NULL));
}

static void
all_matches_every_flag(void **state)
{
	struct spdk_log_flag *flag;

	assert_int_equal(spdk_log_set_flag("All"), 0);
	for (flag = spdk_log_get_first_flag(); flag != NULL; flag = spdk_log_get_next_flag(flag)) {
		assert_true(flag->enabled);
	}
	assert_int_equal(spdk_log_clear_flag("ALL"), 0);
	for (flag = spdk_log_get_first_flag(); flag != NULL; flag = spdk_log_get_next_flag(flag)) {
		assert_false(flag->enabled);
	}
}

static void
flags_iterate_in_name_order(void **state)
{
	struct spdk_log_flag *flag, *prev = NULL;
	bool seen_comp = false, seen_other = false;

	for (flag = spdk_log_get_first_flag(); flag != NULL; flag = spdk_log_get_next_flag(flag)) {
		if (prev != NULL) {
			assert_true(strcasecmp(prev->name, flag->name) < 0);
		}
		seen_comp |= flag == &SPDK_LOG_ut_comp;
		seen_other |= flag == &SPDK_LOG_ut_zzz_other;
		prev = flag;
	}
	assert_true(seen_comp);
	assert_true(seen_other);
	assert_null(spdk_log_get_next_flag(NULL));
}

static void
usage_lists_all_and_every_flag(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	spdk_log_usage(fp, "-L");
	fclose(fp);
	assert_non_null(strstr(text, "-L, --logflag <flag>"));
	assert_non_null(strstr(text, "(all, "));
	assert_non_null(strstr(text, ", ut_comp"));
	assert_non_null(strstr(text, ", ut_zzz_other)"));
	free(text);
	spdk_log_usage(NULL, "-L");
}

static void
print_level_decides_what_reaches_stderr(void **state)
{
	const char *out;

	stderr_capture_start();
	SPDK_WARNLOG("warn hidden\n");
	SPDK_NOTICELOG("notice hidden\n");
	SPDK_ERRLOG("error shown\n");
	spdk_log_set_print_level(SPDK_LOG_WARN);
	SPDK_WARNLOG("warn shown\n");
	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	SPDK_ERRLOG("error hidden\n");
	out = stderr_capture_stop();

	assert_null(strstr(out, "hidden"));
	assert_non_null(strstr(out, "error shown"));
	assert_non_null(strstr(out, "warn shown"));
}

static void
stderr_line_has_file_line_function_and_level(void **state)
{
	char expected[256];
	const char *out;
	int line;

	spdk_log_set_print_level(SPDK_LOG_DEBUG);
	stderr_capture_start();
	line = __LINE__ + 1;
	SPDK_ERRLOG("value %d\n", 7);
	out = stderr_capture_stop();
	snprintf(expected, sizeof(expected), "log_ut.c:%4d:%s: *ERROR*: value 7\n", line, __func__);
	assert_string_equal(out, expected);

	stderr_capture_start();
	spdk_log(SPDK_LOG_WARN, "/some/dir/file.c", 5, "fn", "w\n");
	spdk_log(SPDK_LOG_NOTICE, "file.c", 12345, "fn", "n\n");
	spdk_log(SPDK_LOG_INFO, "file.c", 1, "fn", "i\n");
	spdk_log(SPDK_LOG_DEBUG, "file.c", 1, "fn", "d\n");
	out = stderr_capture_stop();
	assert_string_equal(out, "file.c:   5:fn: *WARNING*: w\n"
				 "file.c:12345:fn: *NOTICE*: n\n"
				 "file.c:   1:fn: *INFO*: i\n"
				 "file.c:   1:fn: *DEBUG*: d\n");
}

static void
printf_prints_without_prefix_at_notice(void **state)
{
	const char *out;

	spdk_log_set_print_level(SPDK_LOG_NOTICE);
	stderr_capture_start();
	SPDK_PRINTF("plain %s\n", "text");
	out = stderr_capture_stop();
	assert_string_equal(out, "plain text\n");
	assert_int_equal(updk_log_get_count(SPDK_LOG_NOTICE), 1);
}

static bool
is_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

static void
timestamps_prefix_the_line(void **state)
{
	const char *out;

	spdk_log_enable_timestamps(true);
	stderr_capture_start();
	SPDK_ERRLOG("stamped\n");
	out = stderr_capture_stop();

	/* [YYYY-MM-DD HH:MM:SS.uuuuuu] log_ut.c: */
	assert_true(strlen(out) > 29);
	assert_int_equal(out[0], '[');
	assert_true(is_digits(out + 1, 4));
	assert_int_equal(out[5], '-');
	assert_true(is_digits(out + 6, 2));
	assert_int_equal(out[8], '-');
	assert_true(is_digits(out + 9, 2));
	assert_int_equal(out[11], ' ');
	assert_true(is_digits(out + 12, 2));
	assert_int_equal(out[14], ':');
	assert_true(is_digits(out + 15, 2));
	assert_int_equal(out[17], ':');
	assert_true(is_digits(out + 18, 2));
	assert_int_equal(out[20], '.');
	assert_true(is_digits(out + 21, 6));
	assert_memory_equal(out + 27, "] log_ut.c:", 11);
	assert_non_null(strstr(out, "*ERROR*: stamped\n"));
}

static void
long_message_is_written_whole(void **state)
{
	char big[3000];
	const char *out;

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	stderr_capture_start();
	SPDK_ERRLOG("%s|end\n", big);
	out = stderr_capture_stop();
	assert_non_null(strstr(out, big));
	assert_non_null(strstr(out, "|end\n"));
}

static void
callback_receives_every_message_unfiltered(void **state)
{
	const char *out;
	int line;

	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	cb_capture_start();
	stderr_capture_start();
	line = __LINE__ + 1;
	spdk_log(SPDK_LOG_DEBUG, __FILE__, line, __func__, "debug %s\n", "passes");
	out = stderr_capture_stop();

	assert_int_equal(g_cb_calls, 1);
	assert_int_equal(g_cb_level, SPDK_LOG_DEBUG);
	assert_string_equal(g_cb_file, __FILE__);
	assert_int_equal(g_cb_line, line);
	assert_string_equal(g_cb_func, __func__);
	assert_string_equal(g_cb_text, "debug passes\n");
	assert_string_equal(out, "");

	spdk_log(SPDK_LOG_DISABLED, __FILE__, 1, __func__, "never\n");
	assert_int_equal(g_cb_calls, 1);

	spdk_log_close();
	SPDK_ERRLOG("after close\n");
	assert_int_equal(g_cb_calls, 1);
}

static int g_open_hook_calls;
static int g_close_hook_calls;

static void
ut_open_hook(void *ctx)
{
	assert_ptr_equal(ctx, &g_open_hook_calls);
	g_open_hook_calls++;
}

static void
ut_close_hook(void *ctx)
{
	assert_ptr_equal(ctx, &g_open_hook_calls);
	g_close_hook_calls++;
}

static void
open_ext_calls_open_and_close_hooks(void **state)
{
	struct spdk_log_opts opts = {
		.size = sizeof(opts),
		.log = ut_log_cb,
		.open = ut_open_hook,
		.close = ut_close_hook,
		.user_ctx = &g_open_hook_calls,
	};

	g_cb_calls = 0;
	spdk_log_open_ext(&opts);
	assert_int_equal(g_open_hook_calls, 1);
	SPDK_NOTICELOG("to callback\n");
	assert_int_equal(g_cb_calls, 1);
	spdk_log_close();
	assert_int_equal(g_close_hook_calls, 1);
	spdk_log_close();
	assert_int_equal(g_close_hook_calls, 1);

	/* A caller built against a smaller struct gets defaults past its size. */
	opts.size = offsetof(struct spdk_log_opts, open);
	spdk_log_open_ext(&opts);
	assert_int_equal(g_open_hook_calls, 1);
	spdk_log_close();
	assert_int_equal(g_close_hook_calls, 1);
}

static void
syslog_open_keeps_stderr_output(void **state)
{
	const char *out;

	spdk_log_open(NULL);
	stderr_capture_start();
	SPDK_ERRLOG("both\n");
	out = stderr_capture_stop();
	spdk_log_close();
	assert_non_null(strstr(out, "*ERROR*: both\n"));
}

static void
logging_preserves_errno(void **state)
{
	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	errno = EAGAIN;
	SPDK_ERRLOG("x\n");
	assert_int_equal(errno, EAGAIN);
	cb_capture_start();
	errno = EBUSY;
	SPDK_ERRLOG("x\n");
	assert_int_equal(errno, EBUSY);
}

static void
counts_include_messages_that_were_not_printed(void **state)
{
	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	SPDK_ERRLOG("e\n");
	SPDK_WARNLOG("w1\n");
	SPDK_WARNLOG("w2\n");
	SPDK_INFOLOG(ut_comp, "gated, not counted\n");
	spdk_log_set_flag("ut_comp");
	SPDK_INFOLOG(ut_comp, "counted\n");
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(updk_log_get_count(SPDK_LOG_WARN), 2);
	assert_int_equal(updk_log_get_count(SPDK_LOG_NOTICE), 0);
	assert_int_equal(updk_log_get_count(SPDK_LOG_INFO), 1);
	assert_int_equal(updk_log_get_count(SPDK_LOG_DISABLED), 0);
	assert_int_equal(updk_log_get_count((enum spdk_log_level)9), 0);

	cb_capture_start();
	SPDK_ERRLOG("to callback\n");
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 2);

	updk_log_reset_counts();
	assert_int_equal(updk_log_get_count(SPDK_LOG_ERROR), 0);
	assert_int_equal(updk_log_get_count(SPDK_LOG_WARN), 0);
}

static void
log_from_one_site(int value)
{
	SPDK_ERRLOG_RATELIMIT("failure %d\n", value);
}

static void
errlog_ratelimit_squashes_repeats_within_a_second(void **state)
{
	int i;

	cb_capture_start();
	for (i = 0; i < 5; i++) {
		log_from_one_site(i);
	}
	assert_int_equal(g_cb_calls, 1);
	assert_string_equal(g_cb_text, "failure 0\n");

	g_ut_now_ns += UT_SEC_NS - 1;
	log_from_one_site(5);
	assert_int_equal(g_cb_calls, 1);

	g_ut_now_ns += 1;
	log_from_one_site(6);
	assert_int_equal(g_cb_calls, 3);
	assert_string_equal(g_cb_text, "(same message squashed 5 times)\n");

	/* After a quiet second the next message stands alone. */
	g_ut_now_ns += 2 * UT_SEC_NS;
	log_from_one_site(7);
	assert_int_equal(g_cb_calls, 4);
	assert_string_equal(g_cb_text, "failure 7\n");
}

static void
errlog_ratelimit_sites_are_independent(void **state)
{
	cb_capture_start();
	log_from_one_site(1);
	SPDK_ERRLOG_RATELIMIT("other site\n");
	assert_int_equal(g_cb_calls, 2);
	assert_string_equal(g_cb_text, "other site\n");
}

static void
deprecated_use_is_counted_and_warned(void **state)
{
	cb_capture_start();
	SPDK_LOG_DEPRECATED(ut_old_api);
	SPDK_LOG_DEPRECATED(ut_old_api);
	assert_int_equal(g_cb_calls, 2);
	assert_int_equal(g_cb_level, SPDK_LOG_WARN);
	assert_non_null(strstr(g_cb_text, "ut_old_api"));
	assert_non_null(strstr(g_cb_text, "the old API"));
	assert_non_null(strstr(g_cb_text, "v99.01"));
	assert_int_equal(spdk_deprecation_get_hits(updk_deprecation_ut_old_api), 2);
	assert_string_equal(spdk_deprecation_get_tag(updk_deprecation_ut_old_api), "ut_old_api");
	assert_string_equal(spdk_deprecation_get_description(updk_deprecation_ut_old_api),
			    "the old API");
	assert_string_equal(spdk_deprecation_get_remove_release(updk_deprecation_ut_old_api),
			    "v99.01");
}

static void
deprecation_warnings_are_rate_limited(void **state)
{
	struct spdk_deprecation *dep = NULL;

	assert_int_equal(spdk_log_deprecation_register("ut_limited", "limited", "v1", 10, &dep), 0);
	cb_capture_start();
	spdk_log_deprecated(dep, __FILE__, __LINE__, __func__);
	spdk_log_deprecated(dep, __FILE__, __LINE__, __func__);
	spdk_log_deprecated(dep, __FILE__, __LINE__, __func__);
	assert_int_equal(g_cb_calls, 1);
	assert_int_equal(spdk_deprecation_get_hits(dep), 3);

	g_ut_now_ns += 10 * UT_SEC_NS;
	spdk_log_deprecated(dep, __FILE__, __LINE__, __func__);
	assert_int_equal(g_cb_calls, 2);
	assert_non_null(strstr(g_cb_text, "2 more uses"));

	spdk_log_deprecated(NULL, __FILE__, __LINE__, __func__);
	assert_int_equal(g_cb_calls, 2);
}

static void
deprecation_register_rejects_bad_arguments(void **state)
{
	struct spdk_deprecation *dep = NULL;

	assert_int_equal(spdk_log_deprecation_register("ut_old_api", "x", "v1", 0, &dep), -EEXIST);
	assert_int_equal(spdk_log_deprecation_register(NULL, "x", "v1", 0, &dep), -EINVAL);
	assert_int_equal(spdk_log_deprecation_register("", "x", "v1", 0, &dep), -EINVAL);
	assert_int_equal(spdk_log_deprecation_register("t", NULL, "v1", 0, &dep), -EINVAL);
	assert_int_equal(spdk_log_deprecation_register("t", "x", NULL, 0, &dep), -EINVAL);
	assert_int_equal(spdk_log_deprecation_register("t", "x", "v1", 0, NULL), -EINVAL);
	assert_null(dep);
}

static int
find_tag(void *ctx, struct spdk_deprecation *dep)
{
	return strcmp(spdk_deprecation_get_tag(dep), ctx) == 0 ? 1 : 0;
}

static int
count_deprecations(void *ctx, struct spdk_deprecation *dep)
{
	(*(int *)ctx)++;
	return 0;
}

static void
for_each_deprecation_visits_all_and_stops_early(void **state)
{
	int n = 0;

	assert_int_equal(spdk_log_for_each_deprecation((void *)"ut_old_api", find_tag), 1);
	assert_int_equal(spdk_log_for_each_deprecation((void *)"ut_nonexistent", find_tag), 0);
	assert_int_equal(spdk_log_for_each_deprecation(&n, count_deprecations), 0);
	assert_true(n >= 1);
}

static void
log_dump_writes_offset_hex_and_ascii(void **state)
{
	uint8_t bytes[20];
	char *text = NULL;
	size_t len = 0;
	FILE *fp;

	for (size_t i = 0; i < sizeof(bytes); i++) {
		bytes[i] = (uint8_t)('A' + i);
	}
	bytes[1] = 0x00;
	fp = open_memstream(&text, &len);
	assert_non_null(fp);
	spdk_log_dump(fp, "label", bytes, sizeof(bytes));
	fclose(fp);
	assert_string_equal(text,
			    "label\n"
			    "00000000  41 00 43 44 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  "
			    "A.CDEFGHIJKLMNOP\n"
			    "00000010  51 52 53 54                                       QRST\n");
	free(text);
}

static void
flog_writes_prefix_and_message_to_the_stream(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	assert_non_null(fp);
	spdk_flog(fp, "dir/f.c", 42, "fn", "hello %d\n", 1);
	spdk_flog(fp, NULL, 0, NULL, "bare\n");
	fclose(fp);
	assert_string_equal(text, "f.c:  42:fn: hello 1\nbare\n");
	free(text);
	spdk_flog(NULL, "f.c", 1, "fn", "ignored\n");
}

#ifdef DEBUG
static void
debuglog_is_gated_by_flag_in_debug_builds(void **state)
{
	cb_capture_start();
	SPDK_DEBUGLOG(ut_comp, "hidden\n");
	assert_int_equal(g_cb_calls, 0);
	assert_false(SPDK_DEBUGLOG_FLAG_ENABLED("ut_comp"));
	spdk_log_set_flag("ut_comp");
	assert_true(SPDK_DEBUGLOG_FLAG_ENABLED("ut_comp"));
	SPDK_DEBUGLOG(ut_comp, "shown\n");
	SPDK_DEBUGLOG("ut_comp", "shown too\n");
	assert_int_equal(g_cb_calls, 2);
	assert_int_equal(g_cb_level, SPDK_LOG_DEBUG);
}
#endif

static void
macros_work_in_cxx(void **state)
{
	cb_capture_start();
	assert_int_equal(log_ut_cxx_infolog(), 0);
	assert_int_equal(g_cb_calls, 0);
	spdk_log_set_flag("ut_cxx_comp");
	spdk_log_set_flag("ut_cxx_literal");
	assert_int_equal(log_ut_cxx_infolog(), 0);
	assert_int_equal(g_cb_calls, 2);
	assert_int_equal(log_ut_cxx_ratelimit(3), 0);
	assert_int_equal(g_cb_calls, 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(defaults_are_error_thresholds_and_timestamps),
#define UT(f) cmocka_unit_test_setup_teardown(f, test_setup, test_teardown)
		UT(levels_round_trip),
		UT(syslog_levels_map_as_in_spdk),
		UT(infolog_bare_and_quoted_forms_are_gated_by_the_same_flag),
		UT(infolog_site_resolves_to_the_registered_flag),
		UT(infolog_of_unregistered_component_creates_the_flag),
		UT(add_flag_allows_enabling_before_first_use),
		UT(registration_after_first_use_takes_over_the_name),
		UT(duplicate_registration_logs_one_error_and_switches_both),
		UT(register_without_name_is_refused),
		UT(set_flag_matches_case_insensitive_globs),
		UT(set_flag_without_match_fails_with_einval),
		UT(all_matches_every_flag),
		UT(flags_iterate_in_name_order),
		UT(usage_lists_all_and_every_flag),
		UT(print_level_decides_what_reaches_stderr),
		UT(stderr_line_has_file_line_function_and_level),
		UT(printf_prints_without_prefix_at_notice),
		UT(timestamps_prefix_the_line),
		UT(long_message_is_written_whole),
		UT(callback_receives_every_message_unfiltered),
		UT(open_ext_calls_open_and_close_hooks),
		UT(syslog_open_keeps_stderr_output),
		UT(logging_preserves_errno),
		UT(counts_include_messages_that_were_not_printed),
		UT(errlog_ratelimit_squashes_repeats_within_a_second),
		UT(errlog_ratelimit_sites_are_independent),
		UT(deprecated_use_is_counted_and_warned),
		UT(deprecation_warnings_are_rate_limited),
		UT(deprecation_register_rejects_bad_arguments),
		UT(for_each_deprecation_visits_all_and_stops_early),
		UT(log_dump_writes_offset_hex_and_ascii),
		UT(flog_writes_prefix_and_message_to_the_stream),
#ifdef DEBUG
		UT(debuglog_is_gated_by_flag_in_debug_builds),
#endif
		UT(macros_work_in_cxx),
#undef UT
	};

	return cmocka_run_group_tests_name("log", tests, NULL, NULL);
}
