/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Logging: levels, per-component flags, rate limiting and deprecation notices.
 *
 * Every message carries a level. A message is printed to stderr when its level is at or below
 * the print level, and sent to syslog when its level is at or below the log level and
 * spdk_log_open() was called without a callback. A callback installed with spdk_log_open()
 * receives every message instead, unfiltered.
 *
 * Components register a named flag with SPDK_LOG_REGISTER_COMPONENT(). SPDK_INFOLOG() and
 * SPDK_DEBUGLOG() print only while that flag is enabled (spdk_log_set_flag(), or `-L name` on
 * an application's command line). Both take the component either as a bare name,
 * `SPDK_INFOLOG(bdev, ...)`, or as a string literal, `SPDK_INFOLOG("bdev", ...)`. A component
 * that nobody registered is created on first use, so it can still be enabled by name.
 *
 * Every function here is thread safe, and one message is always written with one system call,
 * so lines from different threads never interleave.
 */

#ifndef SPDK_LOG_H
#define SPDK_LOG_H

#include "spdk/stdinc.h"
#include "spdk/queue.h"
#include "spdk/likely.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * A log sink installed with spdk_log_open().
 *
 * \param level The message's level (an enum spdk_log_level value).
 * \param file Source file of the call site, or NULL for SPDK_PRINTF() messages.
 * \param line Source line of the call site, or -1 for SPDK_PRINTF() messages.
 * \param func Function of the call site, or NULL for SPDK_PRINTF() messages.
 * \param format printf-style format of the message.
 * \param args Arguments for \p format.
 */
typedef void spdk_log_cb(int level, const char *file, const int line, const char *func,
			 const char *format, va_list args);

/**
 * Called once by spdk_log_open_ext() when the log opens.
 *
 * \param ctx The user_ctx of struct spdk_log_opts.
 */
typedef void spdk_log_open_cb(void *ctx);

/**
 * Called once by spdk_log_close() when a log opened with spdk_log_open_ext() closes.
 *
 * \param ctx The user_ctx of struct spdk_log_opts.
 */
typedef void spdk_log_close_cb(void *ctx);

/** Options for spdk_log_open_ext(). */
struct spdk_log_opts {
	/** sizeof(struct spdk_log_opts) as the caller knows it; fields past it are ignored. */
	size_t size;
	/** Sink for every message, or NULL for stderr and syslog. */
	spdk_log_cb *log;
	/** Optional; called by spdk_log_open_ext(). */
	spdk_log_open_cb *open;
	/** Optional; called by spdk_log_close(). */
	spdk_log_close_cb *close;
	/** Passed to open and close. */
	void *user_ctx;
};

/** Message levels, from most to least severe. */
enum spdk_log_level {
	/** As a threshold: nothing passes. A message at this level is never written. */
	SPDK_LOG_DISABLED = -1,
	/** Something failed. */
	SPDK_LOG_ERROR,
	/** Something unexpected that did not fail. */
	SPDK_LOG_WARN,
	/** A significant normal event. */
	SPDK_LOG_NOTICE,
	/** Detail, normally gated by a component flag. */
	SPDK_LOG_INFO,
	/** Debugging detail, compiled in only when DEBUG is defined. */
	SPDK_LOG_DEBUG,
};

/**
 * Open the log.
 *
 * With \p cb NULL, opens syslog (ident "spdk", LOG_PID, facility LOG_LOCAL7); messages go to
 * stderr and syslog according to the two thresholds. With a callback, every message goes to
 * \p cb instead, whatever the thresholds. Messages logged before this call still go to stderr.
 * Calling it again replaces the previous sink.
 *
 * \param cb Optional sink for every message.
 */
void spdk_log_open(spdk_log_cb *cb);

/**
 * Open the log with a sink and open/close hooks.
 *
 * \param opts Options; NULL is the same as spdk_log_open(NULL). Fields past opts->size take
 * their defaults (NULL).
 */
void spdk_log_open_ext(struct spdk_log_opts *opts);

/**
 * Close the log: close syslog, call the close hook given to spdk_log_open_ext(), and remove
 * the callback. Messages logged afterwards still go to stderr according to the print level.
 */
void spdk_log_close(void);

/**
 * Prefix stderr lines with the local time, as `[YYYY-MM-DD HH:MM:SS.uuuuuu] `.
 *
 * \param value true (the default, as in SPDK) to add timestamps, false to leave them out.
 */
void spdk_log_enable_timestamps(bool value);

/**
 * Set the syslog threshold: messages at or below \p level go to syslog (once spdk_log_open()
 * was called without a callback). The default is SPDK_LOG_ERROR; the application framework
 * sets SPDK_LOG_NOTICE.
 *
 * \param level The threshold, SPDK_LOG_DISABLED to SPDK_LOG_DEBUG. Other values are a
 * programming error: they fail an assertion in debug builds and are ignored otherwise.
 */
void spdk_log_set_level(enum spdk_log_level level);

/**
 * Get the syslog threshold.
 *
 * \return the level set by spdk_log_set_level().
 */
enum spdk_log_level spdk_log_get_level(void);

/**
 * Translate a level to the matching syslog(3) priority.
 *
 * \param level The level to translate.
 * \return LOG_ERR, LOG_WARNING or LOG_NOTICE for the first three levels; LOG_INFO for
 * SPDK_LOG_INFO, SPDK_LOG_DEBUG and values outside the enum (as in SPDK); -1 for
 * SPDK_LOG_DISABLED.
 */
int spdk_log_to_syslog_level(enum spdk_log_level level);

/**
 * Set the stderr threshold: messages at or below \p level are printed to stderr. The default
 * is SPDK_LOG_ERROR; the application framework sets SPDK_LOG_INFO.
 *
 * \param level The threshold, SPDK_LOG_DISABLED (print nothing) to SPDK_LOG_DEBUG. Other
 * values are a programming error: they fail an assertion in debug builds and are ignored
 * otherwise.
 */
void spdk_log_set_print_level(enum spdk_log_level level);

/**
 * Get the stderr threshold.
 *
 * \return the level set by spdk_log_set_print_level().
 */
enum spdk_log_level spdk_log_get_print_level(void);

/**
 * Write a message.
 *
 * On stderr the line reads `<file>:<line>:<func>: *<LEVEL>*: <message>`, where file is the
 * base name and LEVEL is ERROR, WARNING, NOTICE, INFO or DEBUG. With \p file NULL only the
 * message is printed. The message is not followed by a newline unless \p format ends with one.
 * errno is preserved.
 *
 * \param level The message's level. A message at SPDK_LOG_DISABLED is never written.
 * \param file Source file, normally __FILE__; NULL leaves out the location prefix.
 * \param line Source line, normally __LINE__.
 * \param func Function name, normally __func__.
 * \param format printf-style format.
 */
void spdk_log(enum spdk_log_level level, const char *file, const int line, const char *func,
	      const char *format, ...) __attribute__((__format__(__printf__, 5, 6)));

/**
 * Like spdk_log(), with the arguments in a va_list.
 *
 * \param level The message's level.
 * \param file Source file, or NULL.
 * \param line Source line.
 * \param func Function name.
 * \param format printf-style format.
 * \param ap Arguments for \p format.
 */
void spdk_vlog(enum spdk_log_level level, const char *file, const int line, const char *func,
	       const char *format, va_list ap);

/**
 * Write one line to \p fp in the stderr format of spdk_log() (location prefix, and the
 * timestamp when enabled), whatever the thresholds and the installed callback.
 *
 * \param fp Stream to write to; NULL writes nothing.
 * \param file Source file, or NULL to leave out the location prefix.
 * \param line Source line.
 * \param func Function name.
 * \param format printf-style format.
 */
void spdk_flog(FILE *fp, const char *file, const int line, const char *func, const char *format,
	       ...) __attribute__((__format__(__printf__, 5, 6)));

/**
 * Like spdk_flog(), with the arguments in a va_list.
 *
 * \param fp Stream to write to; NULL writes nothing.
 * \param file Source file, or NULL.
 * \param line Source line.
 * \param func Function name.
 * \param format printf-style format.
 * \param ap Arguments for \p format.
 */
void spdk_vflog(FILE *fp, const char *file, const int line, const char *func, const char *format,
		va_list ap);

/**
 * Write a hex and ASCII dump of a buffer to \p fp, 16 bytes per line, each line starting with
 * the offset.
 *
 * \param fp Stream to write to; NULL writes nothing.
 * \param label Optional line written before the dump.
 * \param buf The bytes to dump; may be NULL only when \p len is 0.
 * \param len Number of bytes.
 */
void spdk_log_dump(FILE *fp, const char *label, const void *buf, size_t len);

/** A component's log flag. Defined by SPDK_LOG_REGISTER_COMPONENT(). */
struct spdk_log_flag {
	/** Link in the list of registered flags. */
	TAILQ_ENTRY(spdk_log_flag) tailq;
	/** Component name. */
	const char *name;
	/** Whether SPDK_INFOLOG()/SPDK_DEBUGLOG() of this component print. Read and written
	 *  with __atomic builtins by the library. */
	bool enabled;
};

/**
 * Register a log flag so that spdk_log_set_flag() and friends can find it. Normally called by
 * the constructor that SPDK_LOG_REGISTER_COMPONENT() defines.
 *
 * Names are compared without regard to case. Registering a second flag under a name already
 * registered logs an error; both flags are then switched together. If a name was already used
 * by SPDK_INFOLOG() before its registration, the new flag takes over that name and inherits
 * its enabled state.
 *
 * \param name Name of the flag; must stay valid for the life of the process.
 * \param flag The flag; must stay valid for the life of the process.
 */
void spdk_log_register_flag(const char *name, struct spdk_log_flag *flag);

/**
 * Define the log flag `struct spdk_log_flag SPDK_LOG_<flag>` for a component, disabled, and a
 * constructor that registers it under the name `<flag>`. Use it once per component, at file
 * scope, with a bare name (no quotes).
 */
#define SPDK_LOG_REGISTER_COMPONENT(flag)                                            \
	struct spdk_log_flag SPDK_LOG_##flag = {{NULL, NULL}, #flag, false};         \
	__attribute__((constructor)) static void updk_log_register_flag_##flag(void) \
	{                                                                            \
		spdk_log_register_flag(#flag, &SPDK_LOG_##flag);                     \
	}

/**
 * Get the first registered flag, in order of name.
 *
 * \return the flag, or NULL when none is registered.
 */
struct spdk_log_flag *spdk_log_get_first_flag(void);

/**
 * Get the registered flag that follows \p flag.
 *
 * \param flag A flag returned by spdk_log_get_first_flag() or this function.
 * \return the next flag, or NULL at the end or when \p flag is NULL.
 */
struct spdk_log_flag *spdk_log_get_next_flag(struct spdk_log_flag *flag);

/**
 * Check whether a flag is registered and enabled.
 *
 * \param flag Name of the flag, compared without regard to case.
 * \return true if the flag exists and is enabled, false otherwise.
 */
bool spdk_log_get_flag(const char *flag);

/**
 * Enable every flag whose name matches a pattern.
 *
 * \param flag "all" (any case) for every flag, or an fnmatch(3) glob compared without regard
 * to case ("bdev", "bdev*").
 * \return 0 if at least one flag matched, -EINVAL if none did or \p flag is NULL.
 */
int spdk_log_set_flag(const char *flag);

/**
 * Disable every flag whose name matches a pattern.
 *
 * \param flag "all" (any case) for every flag, or an fnmatch(3) glob compared without regard
 * to case.
 * \return 0 if at least one flag matched, -EINVAL if none did or \p flag is NULL.
 */
int spdk_log_clear_flag(const char *flag);

/**
 * Print the help line for the command-line option that enables log flags, listing every
 * registered flag.
 *
 * \param f Stream to print to; NULL prints nothing.
 * \param log_arg The short option, for example "-L".
 */
void spdk_log_usage(FILE *f, const char *log_arg);

#ifdef DEBUG
#define SPDK_DEBUGLOG_FLAG_ENABLED(name) spdk_log_get_flag(name)
#else
#define SPDK_DEBUGLOG_FLAG_ENABLED(name) false
#endif

#define SPDK_NOTICELOG(...) spdk_log(SPDK_LOG_NOTICE, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define SPDK_WARNLOG(...) spdk_log(SPDK_LOG_WARN, __FILE__, __LINE__, __func__, __VA_ARGS__)
#define SPDK_ERRLOG(...) spdk_log(SPDK_LOG_ERROR, __FILE__, __LINE__, __func__, __VA_ARGS__)
/** A NOTICE message without the location prefix. */
#define SPDK_PRINTF(...) spdk_log(SPDK_LOG_NOTICE, NULL, -1, NULL, __VA_ARGS__)

/*
 * What follows up to the deprecation API is updk's machinery behind the macros. It is
 * exported because the macros expand in the caller, but it is not part of the API: do not
 * call it directly.
 */

/*
 * A call site's flag pointer starts at this sentinel, whose enabled field is always true, so
 * the disabled fast path is one load of the pointer, one load of the flag and one branch. The
 * first time the branch is taken the site is resolved by name.
 */
extern struct spdk_log_flag updk_log_unresolved_flag;

/*
 * Find the flag called \p name (which may carry surrounding double quotes), creating and
 * registering it if needed, store it in *site and return it. Never returns NULL; on failure
 * returns a disabled flag and leaves *site unchanged.
 */
struct spdk_log_flag *updk_log_flag_resolve(struct spdk_log_flag **site, const char *name);

/* Per call site state of SPDK_ERRLOG_RATELIMIT(); zero-initialised. */
struct updk_log_ratelimit {
	/* CLOCK_MONOTONIC time in ns before which messages are squashed; 0 before the first. */
	uint64_t next_ns;
	/* Messages squashed since the last one written. */
	uint64_t squashed;
};

/*
 * Decide whether a rate-limited message may be written now (true), and if so return in
 * *squashed how many were squashed since the last one. \p interval_ns is the minimum gap.
 */
bool updk_log_ratelimit_check(struct updk_log_ratelimit *rl, uint64_t interval_ns,
			      uint64_t *squashed);

#define UPDK_LOG_FLAGGED_(name, ...)                                                           \
	do {                                                                                   \
		static struct spdk_log_flag *updk_log_site_ = &updk_log_unresolved_flag;       \
		struct spdk_log_flag *updk_log_f_ =                                            \
			__atomic_load_n(&updk_log_site_, __ATOMIC_ACQUIRE);                    \
		if (spdk_unlikely(__atomic_load_n(&updk_log_f_->enabled, __ATOMIC_RELAXED))) { \
			if (updk_log_f_ == &updk_log_unresolved_flag) {                        \
				updk_log_f_ = updk_log_flag_resolve(&updk_log_site_, name);    \
			}                                                                      \
			if (__atomic_load_n(&updk_log_f_->enabled, __ATOMIC_RELAXED)) {        \
				__VA_ARGS__;                                                   \
			}                                                                      \
		}                                                                              \
	} while (0)

/**
 * Log at INFO when the component's flag is enabled. \p flag is a bare component name or a
 * string literal.
 */
#define SPDK_INFOLOG(flag, ...) \
	UPDK_LOG_FLAGGED_(#flag, spdk_log(SPDK_LOG_INFO, __FILE__, __LINE__, __func__, __VA_ARGS__))

#ifdef DEBUG
/**
 * Log at DEBUG when the component's flag is enabled; compiled to nothing unless DEBUG is
 * defined. \p flag is a bare component name or a string literal.
 */
#define SPDK_DEBUGLOG(flag, ...) \
	UPDK_LOG_FLAGGED_(#flag, \
			  spdk_log(SPDK_LOG_DEBUG, __FILE__, __LINE__, __func__, __VA_ARGS__))
/** Dump a buffer to stderr when the component's flag is enabled; DEBUG builds only. */
#define SPDK_LOGDUMP(flag, label, buf, len) \
	UPDK_LOG_FLAGGED_(#flag, spdk_log_dump(stderr, (label), (buf), (len)))
#else
#define SPDK_DEBUGLOG(...) \
	do {               \
	} while (0)
#define SPDK_LOGDUMP(...) \
	do {              \
	} while (0)
#endif

/**
 * Log at ERROR at most once per second from this call site. Messages within a second of the
 * last one written are dropped and counted; the next one written is followed by
 * "(same message squashed N times)".
 */
#define SPDK_ERRLOG_RATELIMIT(...)                                                                 \
	do {                                                                                       \
		static struct updk_log_ratelimit updk_log_rl_;                                     \
		uint64_t updk_log_squashed_;                                                       \
		if (updk_log_ratelimit_check(&updk_log_rl_, 1000000000ULL, &updk_log_squashed_)) { \
			SPDK_ERRLOG(__VA_ARGS__);                                                  \
			if (updk_log_squashed_ > 0) {                                              \
				SPDK_ERRLOG("(same message squashed %" PRIu64 " times)\n",         \
					    updk_log_squashed_);                                   \
			}                                                                          \
		}                                                                                  \
	} while (0)

/** A deprecated feature, registered with SPDK_LOG_DEPRECATION_REGISTER(). */
struct spdk_deprecation;

/**
 * Register a deprecated feature. Most code uses SPDK_LOG_DEPRECATION_REGISTER() instead.
 *
 * \param tag Unique short name, shown in every warning and in the documentation.
 * \param description What is deprecated.
 * \param remove_release The release that will remove it.
 * \param rate_limit_seconds Minimum interval between two warnings; 0 warns on every use.
 * \param reg Receives the handle, valid for the life of the process.
 * \return 0 on success; -EINVAL if a string is NULL, \p tag is empty or \p reg is NULL;
 * -EEXIST if \p tag is already registered; -ENOMEM if out of memory.
 */
int spdk_log_deprecation_register(const char *tag, const char *description,
				  const char *remove_release, uint32_t rate_limit_seconds,
				  struct spdk_deprecation **reg);

/**
 * Define, at file scope, a deprecation handle for \p tag and a constructor that registers it.
 * \p tag is a bare identifier; \p desc and \p release are strings; \p rate is the minimum
 * number of seconds between two warnings.
 */
#define SPDK_LOG_DEPRECATION_REGISTER(tag, desc, release, rate)                         \
	static struct spdk_deprecation *updk_deprecation_##tag;                         \
	__attribute__((constructor)) static void updk_deprecation_register_##tag(void)  \
	{                                                                               \
		int updk_rc_ = spdk_log_deprecation_register(#tag, desc, release, rate, \
							     &updk_deprecation_##tag);  \
		(void)updk_rc_;                                                         \
		assert(updk_rc_ == 0);                                                  \
	}

/**
 * Record a use of a deprecated feature: count it, and log a WARNING unless one was logged
 * less than the rate limit ago. Most code uses SPDK_LOG_DEPRECATED() instead.
 *
 * \param deprecation The handle; NULL (registration failed) does nothing.
 * \param file Source file of the use.
 * \param line Source line of the use.
 * \param func Function of the use.
 */
void spdk_log_deprecated(struct spdk_deprecation *deprecation, const char *file, uint32_t line,
			 const char *func);

/** Record a use of the deprecated feature \p tag, registered in the same file. */
#define SPDK_LOG_DEPRECATED(tag) \
	spdk_log_deprecated(updk_deprecation_##tag, __FILE__, __LINE__, __func__)

/**
 * Callback of spdk_log_for_each_deprecation().
 *
 * \param ctx The ctx given to spdk_log_for_each_deprecation().
 * \param deprecation The current deprecation.
 * \return 0 to continue, anything else to stop and make the iteration return that value.
 */
typedef int (*spdk_log_for_each_deprecation_fn)(void *ctx, struct spdk_deprecation *deprecation);

/**
 * Call \p fn for every registered deprecation, in order of registration.
 *
 * \param ctx Passed to \p fn.
 * \param fn The callback; it may register further deprecations.
 * \return the first non-zero value returned by \p fn, or 0.
 */
int spdk_log_for_each_deprecation(void *ctx, spdk_log_for_each_deprecation_fn fn);

/**
 * \param deprecation A registered deprecation.
 * \return its tag.
 */
const char *spdk_deprecation_get_tag(const struct spdk_deprecation *deprecation);

/**
 * \param deprecation A registered deprecation.
 * \return its description.
 */
const char *spdk_deprecation_get_description(const struct spdk_deprecation *deprecation);

/**
 * \param deprecation A registered deprecation.
 * \return the release that will remove it.
 */
const char *spdk_deprecation_get_remove_release(const struct spdk_deprecation *deprecation);

/**
 * \param deprecation A registered deprecation.
 * \return how many times the deprecated feature was used, logged or not.
 */
uint64_t spdk_deprecation_get_hits(const struct spdk_deprecation *deprecation);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_LOG_H */
