/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The logging component: formatting and routing of messages to stderr, syslog or a user
 * callback, the registry of component log flags behind SPDK_INFOLOG()/SPDK_DEBUGLOG(), the
 * per-call-site rate limiter, the deprecation registry and updk's per-level message counters.
 *
 * Concurrency. Messages may be logged from any thread at any time, so everything read on the
 * logging path is atomic: the two thresholds, the timestamp switch, the syslog-open flag, the
 * callback pointer and the counters (all relaxed: a message racing with a threshold change may
 * see either value), and the enabled field of every flag (relaxed, written only under
 * g_flag_lock). The flag lists and the deprecation list are protected by their mutexes;
 * entries are never removed or freed, so a pointer handed out stays valid forever.
 *
 * Call-site cache. Each SPDK_INFOLOG()/SPDK_DEBUGLOG() site owns a static flag pointer that
 * starts at updk_log_unresolved_flag. updk_log_flag_resolve() publishes the resolved flag
 * with a release store after the flag is fully initialised and linked under g_flag_lock; the
 * macro's acquire load pairs with it, so a site that sees the new pointer also sees the
 * flag's name and enabled state. Several threads may resolve the same site at once; they all
 * store the same pointer.
 */

#include "spdk/stdinc.h"

#include "spdk/log.h"
#include "updk/log.h"

/* Messages shorter than this are formatted on the stack. */
#define LOG_STACK_BUF_SIZE 1024
/* Room for "[YYYY-MM-DD HH:MM:SS.uuuuuu] " plus a location prefix. */
#define LOG_PREFIX_SIZE 512
#define LOG_LEVEL_COUNT (SPDK_LOG_DEBUG + 1)

static const char *const g_log_level_names[LOG_LEVEL_COUNT] = {
	[SPDK_LOG_ERROR] = "ERROR", [SPDK_LOG_WARN] = "WARNING", [SPDK_LOG_NOTICE] = "NOTICE",
	[SPDK_LOG_INFO] = "INFO",   [SPDK_LOG_DEBUG] = "DEBUG",
};

static atomic_int g_log_level = SPDK_LOG_ERROR;
static atomic_int g_log_print_level = SPDK_LOG_ERROR;
/* On by default, as in SPDK. */
static atomic_bool g_log_timestamps = true;
static atomic_bool g_log_syslog_open;
static _Atomic(spdk_log_cb *) g_log_cb;
static atomic_uint_least64_t g_log_counts[LOG_LEVEL_COUNT];

/* Serialises spdk_log_open*() and spdk_log_close(); protects g_log_opts. */
static pthread_mutex_t g_log_open_lock = PTHREAD_MUTEX_INITIALIZER;
/* The options of the last spdk_log_open_ext(), for the close hook. */
static struct spdk_log_opts g_log_opts;

/*
 * Flags. g_log_flags holds one flag per name, sorted by name, and is what iteration and
 * lookups see. g_log_shadow_flags holds flags that lost their name to another flag: a second
 * registration of a name, or a placeholder created by a call site before the real flag was
 * registered. Call sites may still point at them, so set and clear switch them too.
 */
TAILQ_HEAD(log_flag_list, spdk_log_flag);
static pthread_mutex_t g_log_flag_lock = PTHREAD_MUTEX_INITIALIZER;
static struct log_flag_list g_log_flags = TAILQ_HEAD_INITIALIZER(g_log_flags);
static struct log_flag_list g_log_shadow_flags = TAILQ_HEAD_INITIALIZER(g_log_shadow_flags);

/* A flag created by name because no component registered it. */
struct log_dyn_flag {
	struct spdk_log_flag flag;
	/* Link in g_log_dyn_flags, to tell placeholders from registered flags. */
	TAILQ_ENTRY(log_dyn_flag) link;
	/* The flag's name; flag.name points here. */
	char name[];
};
TAILQ_HEAD(log_dyn_flag_list, log_dyn_flag);
static struct log_dyn_flag_list g_log_dyn_flags = TAILQ_HEAD_INITIALIZER(g_log_dyn_flags);

struct spdk_log_flag updk_log_unresolved_flag = {{NULL, NULL}, "(unresolved)", true};
/* Returned when a flag cannot be created; never enabled, never listed. */
static struct spdk_log_flag g_log_unavailable_flag = {{NULL, NULL}, "(unavailable)", false};

struct spdk_deprecation {
	TAILQ_ENTRY(spdk_deprecation) link;
	const char *tag;
	const char *description;
	const char *remove_release;
	/* Minimum gap between two warnings; 0 warns every time. */
	uint64_t interval_ns;
	/* Uses so far; atomic. */
	uint64_t hits;
	struct updk_log_ratelimit ratelimit;
	/* The three strings, back to back. */
	char strings[];
};
static pthread_mutex_t g_log_deprecation_lock = PTHREAD_MUTEX_INITIALIZER;
TAILQ_HEAD(log_deprecation_list, spdk_deprecation);
static struct log_deprecation_list g_log_deprecations = TAILQ_HEAD_INITIALIZER(g_log_deprecations);

static uint64_t
log_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* The rate limiters' clock. The unit test replaces it to step time without sleeping. */
static uint64_t (*g_log_clock_ns)(void) = log_monotonic_ns;

static bool
log_level_valid(int level)
{
	return level >= SPDK_LOG_ERROR && level <= SPDK_LOG_DEBUG;
}

static bool
log_threshold_valid(int level)
{
	return level >= SPDK_LOG_DISABLED && level <= SPDK_LOG_DEBUG;
}

void
spdk_log_set_level(enum spdk_log_level level)
{
	if (!log_threshold_valid((int)level)) {
		assert(false);
		return;
	}
	atomic_store_explicit(&g_log_level, (int)level, memory_order_relaxed);
}

enum spdk_log_level
spdk_log_get_level(void)
{
	return (enum spdk_log_level)atomic_load_explicit(&g_log_level, memory_order_relaxed);
}

void
spdk_log_set_print_level(enum spdk_log_level level)
{
	if (!log_threshold_valid((int)level)) {
		assert(false);
		return;
	}
	atomic_store_explicit(&g_log_print_level, (int)level, memory_order_relaxed);
}

enum spdk_log_level
spdk_log_get_print_level(void)
{
	return (enum spdk_log_level)atomic_load_explicit(&g_log_print_level, memory_order_relaxed);
}

int
spdk_log_to_syslog_level(enum spdk_log_level level)
{
	/* SPDK sends DEBUG (and anything unknown) as LOG_INFO; keep that for syslog filters. */
	switch (level) {
	case SPDK_LOG_ERROR:
		return LOG_ERR;
	case SPDK_LOG_WARN:
		return LOG_WARNING;
	case SPDK_LOG_NOTICE:
		return LOG_NOTICE;
	case SPDK_LOG_INFO:
	case SPDK_LOG_DEBUG:
		return LOG_INFO;
	case SPDK_LOG_DISABLED:
		return -1;
	default:
		return LOG_INFO;
	}
}

void
spdk_log_enable_timestamps(bool value)
{
	atomic_store_explicit(&g_log_timestamps, value, memory_order_relaxed);
}

/* Caller holds g_log_open_lock. */
static void
log_close_locked(void)
{
	atomic_store(&g_log_cb, NULL);
	if (atomic_load(&g_log_syslog_open)) {
		atomic_store(&g_log_syslog_open, false);
		closelog();
	}
	if (g_log_opts.close != NULL) {
		g_log_opts.close(g_log_opts.user_ctx);
	}
	memset(&g_log_opts, 0, sizeof(g_log_opts));
}

void
spdk_log_open_ext(struct spdk_log_opts *opts)
{
	struct spdk_log_opts o = {0};

	if (opts != NULL) {
		/* Copy only the fields the caller's version of the struct has. */
		memcpy(&o, opts, opts->size < sizeof(o) ? opts->size : sizeof(o));
	}
	o.size = sizeof(o);

	pthread_mutex_lock(&g_log_open_lock);
	log_close_locked();
	g_log_opts = o;
	if (o.open != NULL) {
		o.open(o.user_ctx);
	}
	if (o.log != NULL) {
		atomic_store(&g_log_cb, o.log);
	} else {
		openlog("spdk", LOG_PID, LOG_LOCAL7);
		atomic_store(&g_log_syslog_open, true);
	}
	pthread_mutex_unlock(&g_log_open_lock);
}

void
spdk_log_open(spdk_log_cb *cb)
{
	struct spdk_log_opts opts = {.size = sizeof(opts), .log = cb};

	spdk_log_open_ext(&opts);
}

void
spdk_log_close(void)
{
	pthread_mutex_lock(&g_log_open_lock);
	log_close_locked();
	pthread_mutex_unlock(&g_log_open_lock);
}

uint64_t
updk_log_get_count(enum spdk_log_level level)
{
	if (!log_level_valid((int)level)) {
		return 0;
	}
	return atomic_load_explicit(&g_log_counts[level], memory_order_relaxed);
}

void
updk_log_reset_counts(void)
{
	for (size_t i = 0; i < LOG_LEVEL_COUNT; i++) {
		atomic_store_explicit(&g_log_counts[i], 0, memory_order_relaxed);
	}
}

static const char *
log_basename(const char *file)
{
	const char *slash = strrchr(file, '/');

	return slash != NULL ? slash + 1 : file;
}

/* Appends to buf at *off, never past len - 1, keeping buf terminated. */
static void log_append(char *buf, size_t len, size_t *off, const char *format, ...)
	__attribute__((__format__(__printf__, 4, 5)));

static void
log_append(char *buf, size_t len, size_t *off, const char *format, ...)
{
	va_list ap;
	int n;

	if (*off >= len - 1) {
		return;
	}
	va_start(ap, format);
	n = vsnprintf(buf + *off, len - *off, format, ap);
	va_end(ap);
	if (n < 0) {
		buf[*off] = '\0';
		return;
	}
	*off += (size_t)n < len - *off ? (size_t)n : len - *off - 1;
}

static void
log_append_timestamp(char *buf, size_t len, size_t *off)
{
	struct timespec ts;
	struct tm tm;
	char date[32];

	clock_gettime(CLOCK_REALTIME, &ts);
	if (localtime_r(&ts.tv_sec, &tm) == NULL ||
	    strftime(date, sizeof(date), "%Y-%m-%d %H:%M:%S", &tm) == 0) {
		return;
	}
	log_append(buf, len, off, "[%s.%06ld] ", date, (long)(ts.tv_nsec / 1000));
}

/*
 * Formats the optional timestamp and the location prefix. *loc_off receives where the
 * location starts, since syslog adds its own time. level < 0 leaves out the level tag.
 */
static size_t
log_format_prefix(char *buf, size_t len, size_t *loc_off, int level, const char *file, int line,
		  const char *func)
{
	size_t off = 0;

	buf[0] = '\0';
	if (atomic_load_explicit(&g_log_timestamps, memory_order_relaxed)) {
		log_append_timestamp(buf, len, &off);
	}
	*loc_off = off;
	if (file == NULL) {
		return off;
	}
	log_append(buf, len, &off, "%s:%4d:%s: ", log_basename(file), line,
		   func != NULL ? func : "");
	if (level >= 0) {
		log_append(buf, len, &off, "*%s*: ", g_log_level_names[level]);
	}
	return off;
}

/* A formatted message body: on the stack when it fits, else on the heap. */
struct log_text {
	char stack[LOG_STACK_BUF_SIZE];
	char *heap;
	const char *text;
	size_t len;
};

static void
log_text_format(struct log_text *t, const char *format, va_list ap)
{
	va_list copy;
	int n;

	t->heap = NULL;
	t->text = t->stack;
	t->len = 0;
	t->stack[0] = '\0';
	if (format == NULL) {
		return;
	}

	va_copy(copy, ap);
	n = vsnprintf(t->stack, sizeof(t->stack), format, copy);
	va_end(copy);
	if (n < 0) {
		t->stack[0] = '\0';
		return;
	}
	if ((size_t)n < sizeof(t->stack)) {
		t->len = (size_t)n;
		return;
	}

	t->heap = malloc((size_t)n + 1);
	if (t->heap == NULL) {
		/* Out of memory: keep the truncated text rather than nothing. */
		t->len = sizeof(t->stack) - 1;
		return;
	}
	vsnprintf(t->heap, (size_t)n + 1, format, ap);
	t->text = t->heap;
	t->len = (size_t)n;
}

static void
log_text_free(struct log_text *t)
{
	free(t->heap);
}

/* One writev, repeated only for the rest of a partial write, so lines never interleave. */
static void
log_write_fd(int fd, const char *prefix, size_t prefix_len, const char *text, size_t text_len)
{
	struct iovec iov[2] = {
		{.iov_base = (void *)prefix, .iov_len = prefix_len},
		{.iov_base = (void *)text, .iov_len = text_len},
	};
	struct iovec *cur = iov;
	int cnt = 2;

	while (cnt > 0) {
		ssize_t n = writev(fd, cur, cnt);

		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return;
		}
		while (cnt > 0 && (size_t)n >= cur->iov_len) {
			n -= (ssize_t)cur->iov_len;
			cur++;
			cnt--;
		}
		if (cnt > 0) {
			cur->iov_base = (char *)cur->iov_base + n;
			cur->iov_len -= (size_t)n;
		}
	}
}

void
spdk_vlog(enum spdk_log_level level, const char *file, const int line, const char *func,
	  const char *format, va_list ap)
{
	char prefix[LOG_PREFIX_SIZE];
	struct log_text text;
	spdk_log_cb *cb;
	size_t prefix_len, loc_off;
	bool to_stderr, to_syslog;
	int saved_errno = errno;

	if (!log_level_valid((int)level)) {
		return;
	}
	atomic_fetch_add_explicit(&g_log_counts[level], 1, memory_order_relaxed);

	cb = atomic_load_explicit(&g_log_cb, memory_order_acquire);
	if (cb != NULL) {
		cb((int)level, file, line, func, format, ap);
		errno = saved_errno;
		return;
	}

	to_stderr = (int)level <= atomic_load_explicit(&g_log_print_level, memory_order_relaxed);
	to_syslog = (int)level <= atomic_load_explicit(&g_log_level, memory_order_relaxed) &&
		    atomic_load_explicit(&g_log_syslog_open, memory_order_relaxed);
	if (!to_stderr && !to_syslog) {
		return;
	}

	prefix_len =
		log_format_prefix(prefix, sizeof(prefix), &loc_off, (int)level, file, line, func);
	log_text_format(&text, format, ap);
	if (to_stderr) {
		log_write_fd(STDERR_FILENO, prefix, prefix_len, text.text, text.len);
	}
	if (to_syslog) {
		syslog(spdk_log_to_syslog_level(level), "%s%s", prefix + loc_off, text.text);
	}
	log_text_free(&text);
	errno = saved_errno;
}

void
spdk_log(enum spdk_log_level level, const char *file, const int line, const char *func,
	 const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	spdk_vlog(level, file, line, func, format, ap);
	va_end(ap);
}

void
spdk_vflog(FILE *fp, const char *file, const int line, const char *func, const char *format,
	   va_list ap)
{
	char prefix[LOG_PREFIX_SIZE];
	struct log_text text;
	size_t loc_off;
	int saved_errno = errno;

	if (fp == NULL) {
		return;
	}
	log_format_prefix(prefix, sizeof(prefix), &loc_off, -1, file, line, func);
	log_text_format(&text, format, ap);
	/* Holding the stream's lock keeps the two parts together. */
	flockfile(fp);
	fputs(prefix, fp);
	fwrite(text.text, 1, text.len, fp);
	funlockfile(fp);
	log_text_free(&text);
	errno = saved_errno;
}

void
spdk_flog(FILE *fp, const char *file, const int line, const char *func, const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	spdk_vflog(fp, file, line, func, format, ap);
	va_end(ap);
}

void
spdk_log_dump(FILE *fp, const char *label, const void *buf, size_t len)
{
	const uint8_t *bytes = buf;
	/* "oooooooo  " + 16 * "xx " + 1 + " " + 16 chars + "\n" fits easily. */
	char line[128];

	if (fp == NULL || (buf == NULL && len > 0)) {
		return;
	}

	flockfile(fp);
	if (label != NULL) {
		fprintf(fp, "%s\n", label);
	}
	for (size_t base = 0; base < len; base += 16) {
		size_t off = 0;
		size_t i;

		log_append(line, sizeof(line), &off, "%08zx  ", base);
		for (i = 0; i < 16; i++) {
			if (base + i < len) {
				log_append(line, sizeof(line), &off, "%02x ", bytes[base + i]);
			} else {
				log_append(line, sizeof(line), &off, "   ");
			}
			if (i == 7) {
				log_append(line, sizeof(line), &off, " ");
			}
		}
		log_append(line, sizeof(line), &off, " ");
		for (i = 0; i < 16 && base + i < len; i++) {
			uint8_t c = bytes[base + i];

			log_append(line, sizeof(line), &off, "%c", isprint(c) ? (char)c : '.');
		}
		log_append(line, sizeof(line), &off, "\n");
		fputs(line, fp);
	}
	funlockfile(fp);
}

/* Caller holds g_log_flag_lock. */
static struct spdk_log_flag *
log_flag_find_locked(const char *name)
{
	struct spdk_log_flag *flag;

	TAILQ_FOREACH (flag, &g_log_flags, tailq) {
		if (strcasecmp(flag->name, name) == 0) {
			return flag;
		}
	}
	return NULL;
}

/* Caller holds g_log_flag_lock. */
static bool
log_flag_listed_locked(const struct spdk_log_flag *flag)
{
	const struct spdk_log_flag *iter;

	TAILQ_FOREACH (iter, &g_log_flags, tailq) {
		if (iter == flag) {
			return true;
		}
	}
	TAILQ_FOREACH (iter, &g_log_shadow_flags, tailq) {
		if (iter == flag) {
			return true;
		}
	}
	return false;
}

/* Caller holds g_log_flag_lock. */
static bool
log_flag_is_dynamic_locked(const struct spdk_log_flag *flag)
{
	const struct log_dyn_flag *dyn;

	TAILQ_FOREACH (dyn, &g_log_dyn_flags, link) {
		if (&dyn->flag == flag) {
			return true;
		}
	}
	return false;
}

/* Caller holds g_log_flag_lock; keeps g_log_flags sorted so usage lists read well. */
static void
log_flag_insert_sorted_locked(struct spdk_log_flag *flag)
{
	struct spdk_log_flag *iter;

	TAILQ_FOREACH (iter, &g_log_flags, tailq) {
		if (strcasecmp(iter->name, flag->name) > 0) {
			TAILQ_INSERT_BEFORE(iter, flag, tailq);
			return;
		}
	}
	TAILQ_INSERT_TAIL(&g_log_flags, flag, tailq);
}

void
spdk_log_register_flag(const char *name, struct spdk_log_flag *flag)
{
	struct spdk_log_flag *existing;
	bool duplicate = false;

	if (name == NULL || name[0] == '\0' || flag == NULL) {
		SPDK_ERRLOG("cannot register a log flag without a name\n");
		return;
	}

	pthread_mutex_lock(&g_log_flag_lock);
	if (log_flag_listed_locked(flag)) {
		pthread_mutex_unlock(&g_log_flag_lock);
		return;
	}
	flag->name = name;
	existing = log_flag_find_locked(name);
	if (existing == NULL) {
		log_flag_insert_sorted_locked(flag);
	} else {
		__atomic_store_n(&flag->enabled,
				 __atomic_load_n(&existing->enabled, __ATOMIC_RELAXED),
				 __ATOMIC_RELAXED);
		if (log_flag_is_dynamic_locked(existing)) {
			/* A call site used the name first; the registered flag takes it over. */
			TAILQ_REMOVE(&g_log_flags, existing, tailq);
			TAILQ_INSERT_TAIL(&g_log_shadow_flags, existing, tailq);
			log_flag_insert_sorted_locked(flag);
		} else {
			duplicate = true;
			TAILQ_INSERT_TAIL(&g_log_shadow_flags, flag, tailq);
		}
	}
	pthread_mutex_unlock(&g_log_flag_lock);

	if (duplicate) {
		SPDK_ERRLOG("log flag '%s' is registered twice\n", name);
	}
}

/*
 * Finds the flag for a name as written at a call site (bdev or "bdev"), creating it when
 * nobody registered it. Returns NULL for an empty name or when out of memory.
 */
static struct spdk_log_flag *
log_flag_get_or_add(const char *name)
{
	struct spdk_log_flag *flag;
	struct log_dyn_flag *dyn;
	size_t len;

	if (name == NULL) {
		return NULL;
	}
	len = strlen(name);
	if (len >= 2 && name[0] == '"' && name[len - 1] == '"') {
		name++;
		len -= 2;
	}
	if (len == 0) {
		return NULL;
	}

	pthread_mutex_lock(&g_log_flag_lock);
	TAILQ_FOREACH (flag, &g_log_flags, tailq) {
		if (strncasecmp(flag->name, name, len) == 0 && flag->name[len] == '\0') {
			pthread_mutex_unlock(&g_log_flag_lock);
			return flag;
		}
	}

	dyn = calloc(1, sizeof(*dyn) + len + 1);
	if (dyn == NULL) {
		pthread_mutex_unlock(&g_log_flag_lock);
		return NULL;
	}
	memcpy(dyn->name, name, len);
	dyn->name[len] = '\0';
	dyn->flag.name = dyn->name;
	dyn->flag.enabled = false;
	TAILQ_INSERT_TAIL(&g_log_dyn_flags, dyn, link);
	log_flag_insert_sorted_locked(&dyn->flag);
	pthread_mutex_unlock(&g_log_flag_lock);
	return &dyn->flag;
}

struct spdk_log_flag *
updk_log_flag_resolve(struct spdk_log_flag **site, const char *name)
{
	struct spdk_log_flag *flag = log_flag_get_or_add(name);

	if (flag == NULL) {
		/* Leave the site unresolved so that a later message tries again. */
		return &g_log_unavailable_flag;
	}
	if (site != NULL) {
		__atomic_store_n(site, flag, __ATOMIC_RELEASE);
	}
	return flag;
}

int
updk_log_add_flag(const char *name)
{
	if (name == NULL || name[0] == '\0') {
		return -EINVAL;
	}
	return log_flag_get_or_add(name) != NULL ? 0 : -ENOMEM;
}

struct spdk_log_flag *
spdk_log_get_first_flag(void)
{
	struct spdk_log_flag *flag;

	pthread_mutex_lock(&g_log_flag_lock);
	flag = TAILQ_FIRST(&g_log_flags);
	pthread_mutex_unlock(&g_log_flag_lock);
	return flag;
}

struct spdk_log_flag *
spdk_log_get_next_flag(struct spdk_log_flag *flag)
{
	struct spdk_log_flag *next;

	if (flag == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&g_log_flag_lock);
	next = TAILQ_NEXT(flag, tailq);
	pthread_mutex_unlock(&g_log_flag_lock);
	return next;
}

bool
spdk_log_get_flag(const char *name)
{
	struct spdk_log_flag *flag;
	bool enabled = false;

	if (name == NULL) {
		return false;
	}
	pthread_mutex_lock(&g_log_flag_lock);
	flag = log_flag_find_locked(name);
	if (flag != NULL) {
		enabled = __atomic_load_n(&flag->enabled, __ATOMIC_RELAXED);
	}
	pthread_mutex_unlock(&g_log_flag_lock);
	return enabled;
}

static bool
log_flag_matches(const char *pattern, bool all, const struct spdk_log_flag *flag)
{
	return all || fnmatch(pattern, flag->name, FNM_CASEFOLD) == 0;
}

static int
log_flag_switch(const char *pattern, bool value)
{
	struct spdk_log_flag *flag;
	bool all, matched = false;

	if (pattern == NULL) {
		return -EINVAL;
	}
	all = strcasecmp(pattern, "all") == 0;

	pthread_mutex_lock(&g_log_flag_lock);
	TAILQ_FOREACH (flag, &g_log_flags, tailq) {
		if (log_flag_matches(pattern, all, flag)) {
			__atomic_store_n(&flag->enabled, value, __ATOMIC_RELAXED);
			matched = true;
		}
	}
	TAILQ_FOREACH (flag, &g_log_shadow_flags, tailq) {
		if (log_flag_matches(pattern, all, flag)) {
			__atomic_store_n(&flag->enabled, value, __ATOMIC_RELAXED);
		}
	}
	pthread_mutex_unlock(&g_log_flag_lock);

	return matched ? 0 : -EINVAL;
}

int
spdk_log_set_flag(const char *flag)
{
	return log_flag_switch(flag, true);
}

int
spdk_log_clear_flag(const char *flag)
{
	return log_flag_switch(flag, false);
}

void
spdk_log_usage(FILE *f, const char *log_arg)
{
	struct spdk_log_flag *flag;

	if (f == NULL) {
		return;
	}
	flockfile(f);
	fprintf(f, " %s, --logflag <flag>    enable a log flag (all",
		log_arg != NULL ? log_arg : "-L");
	pthread_mutex_lock(&g_log_flag_lock);
	TAILQ_FOREACH (flag, &g_log_flags, tailq) {
		fprintf(f, ", %s", flag->name);
	}
	pthread_mutex_unlock(&g_log_flag_lock);
	fprintf(f, ")\n");
	funlockfile(f);
}

bool
updk_log_ratelimit_check(struct updk_log_ratelimit *rl, uint64_t interval_ns, uint64_t *squashed)
{
	uint64_t now = g_log_clock_ns();
	uint64_t next = __atomic_load_n(&rl->next_ns, __ATOMIC_ACQUIRE);

	/* Only the thread that moves next_ns forward writes; the others count as squashed. */
	if ((next != 0 && now < next) ||
	    !__atomic_compare_exchange_n(&rl->next_ns, &next, now + interval_ns, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		__atomic_fetch_add(&rl->squashed, 1, __ATOMIC_RELAXED);
		return false;
	}
	*squashed = __atomic_exchange_n(&rl->squashed, 0, __ATOMIC_ACQ_REL);
	return true;
}

int
spdk_log_deprecation_register(const char *tag, const char *description, const char *remove_release,
			      uint32_t rate_limit_seconds, struct spdk_deprecation **reg)
{
	struct spdk_deprecation *dep, *iter;
	size_t tag_len, desc_len, rel_len;
	char *p;

	if (tag == NULL || tag[0] == '\0' || description == NULL || remove_release == NULL ||
	    reg == NULL) {
		return -EINVAL;
	}
	tag_len = strlen(tag) + 1;
	desc_len = strlen(description) + 1;
	rel_len = strlen(remove_release) + 1;

	dep = calloc(1, sizeof(*dep) + tag_len + desc_len + rel_len);
	if (dep == NULL) {
		return -ENOMEM;
	}
	p = dep->strings;
	dep->tag = memcpy(p, tag, tag_len);
	p += tag_len;
	dep->description = memcpy(p, description, desc_len);
	p += desc_len;
	dep->remove_release = memcpy(p, remove_release, rel_len);
	dep->interval_ns = (uint64_t)rate_limit_seconds * 1000000000ULL;

	pthread_mutex_lock(&g_log_deprecation_lock);
	TAILQ_FOREACH (iter, &g_log_deprecations, link) {
		if (strcmp(iter->tag, tag) == 0) {
			pthread_mutex_unlock(&g_log_deprecation_lock);
			free(dep);
			return -EEXIST;
		}
	}
	TAILQ_INSERT_TAIL(&g_log_deprecations, dep, link);
	pthread_mutex_unlock(&g_log_deprecation_lock);

	*reg = dep;
	return 0;
}

void
spdk_log_deprecated(struct spdk_deprecation *deprecation, const char *file, uint32_t line,
		    const char *func)
{
	uint64_t squashed = 0;

	if (deprecation == NULL) {
		return;
	}
	__atomic_fetch_add(&deprecation->hits, 1, __ATOMIC_RELAXED);
	if (deprecation->interval_ns != 0 &&
	    !updk_log_ratelimit_check(&deprecation->ratelimit, deprecation->interval_ns,
				      &squashed)) {
		return;
	}
	if (squashed > 0) {
		spdk_log(SPDK_LOG_WARN, file, (int)line, func,
			 "deprecated feature %s: %s; it will be removed in %s "
			 "(%" PRIu64 " more uses since the last warning)\n",
			 deprecation->tag, deprecation->description, deprecation->remove_release,
			 squashed);
	} else {
		spdk_log(SPDK_LOG_WARN, file, (int)line, func,
			 "deprecated feature %s: %s; it will be removed in %s\n", deprecation->tag,
			 deprecation->description, deprecation->remove_release);
	}
}

int
spdk_log_for_each_deprecation(void *ctx, spdk_log_for_each_deprecation_fn fn)
{
	struct spdk_deprecation *dep;
	int rc;

	if (fn == NULL) {
		return 0;
	}
	/* The lock is not held across fn, so fn may register deprecations. */
	pthread_mutex_lock(&g_log_deprecation_lock);
	dep = TAILQ_FIRST(&g_log_deprecations);
	pthread_mutex_unlock(&g_log_deprecation_lock);
	while (dep != NULL) {
		rc = fn(ctx, dep);
		if (rc != 0) {
			return rc;
		}
		pthread_mutex_lock(&g_log_deprecation_lock);
		dep = TAILQ_NEXT(dep, link);
		pthread_mutex_unlock(&g_log_deprecation_lock);
	}
	return 0;
}

const char *
spdk_deprecation_get_tag(const struct spdk_deprecation *deprecation)
{
	return deprecation != NULL ? deprecation->tag : NULL;
}

const char *
spdk_deprecation_get_description(const struct spdk_deprecation *deprecation)
{
	return deprecation != NULL ? deprecation->description : NULL;
}

const char *
spdk_deprecation_get_remove_release(const struct spdk_deprecation *deprecation)
{
	return deprecation != NULL ? deprecation->remove_release : NULL;
}

uint64_t
spdk_deprecation_get_hits(const struct spdk_deprecation *deprecation)
{
	return deprecation != NULL ? __atomic_load_n(&deprecation->hits, __ATOMIC_RELAXED) : 0;
}
