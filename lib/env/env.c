/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The env's cores and its lifecycle. A core is a CPU number. Until
 * spdk_env_init() the core set is the process's CPU affinity mask; the
 * options narrow it to a mask or list that is checked against that affinity,
 * so a bad mask fails at start-up with the offending core named instead of
 * failing later when a reactor cannot be pinned. Also the pinned pthreads the
 * reactors run on, and which core the calling pthread serves.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/cpuset.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "updk_internal/env.h"

/* The highest core number plus one; the same limit as struct spdk_cpuset. */
#define ENV_MAX_CORES 1024
#define ENV_MASK_WORDS (ENV_MAX_CORES / 64)

#if UINTPTR_MAX == UINT64_MAX
_Static_assert(sizeof(struct spdk_env_opts) == 128,
	       "struct spdk_env_opts must match SPDK's layout");
#endif
_Static_assert(ENV_MAX_CORES <= CPU_SETSIZE, "cores must fit in a cpu_set_t");

/* A set of cores with the summary values the query functions return. */
struct env_cores {
	/* Bit c of word c / 64 is set when core c is in the set. */
	uint64_t mask[ENV_MASK_WORDS];
	/* Number of cores in the set. */
	uint32_t count;
	/* Lowest and highest core in the set. */
	uint32_t first;
	uint32_t last;
	/* The main core; always in the set. */
	uint32_t main;
};

/* A pthread started by spdk_env_thread_launch_pinned(). */
struct env_launched {
	/* Set by pthread_create() in the launching thread; read under g_env_threads_lock. */
	pthread_t tid;
	/* The core the thread is pinned to. */
	uint32_t core;
	/* What the thread runs. */
	thread_start_fn fn;
	void *arg;
	TAILQ_ENTRY(env_launched) link;
};

/* The affinity-derived set used before spdk_env_init() and after spdk_env_fini(). */
static struct env_cores g_env_default_cores;
static pthread_once_t g_env_default_once = PTHREAD_ONCE_INIT;

/*
 * The set chosen by spdk_env_init(). spdk_env_init() fills g_env_cores, then
 * publishes it with a release store to g_env_active; readers load g_env_active
 * with acquire and never see a half-written set. NULL means "not initialised".
 */
static struct env_cores g_env_cores;
static _Atomic(const struct env_cores *) g_env_active;

/* The last set given to spdk_env_init(), for spdk_env_init(NULL). */
static struct env_cores g_env_saved_cores;
static bool g_env_saved_valid;

/* Copy of spdk_env_opts.name, for log messages. */
static char g_env_name[64] = "spdk";

static __attribute__((tls_model("initial-exec"))) __thread uint32_t g_env_current_core =
	SPDK_ENV_LCORE_ID_ANY;

static pthread_mutex_t g_env_threads_lock = PTHREAD_MUTEX_INITIALIZER;
static TAILQ_HEAD(, env_launched) g_env_threads = TAILQ_HEAD_INITIALIZER(g_env_threads);

static bool
env_cores_has(const struct env_cores *cores, uint32_t core)
{
	return core < ENV_MAX_CORES && (cores->mask[core / 64] & (UINT64_C(1) << (core % 64))) != 0;
}

static void
env_cores_add(struct env_cores *cores, uint32_t core)
{
	assert(core < ENV_MAX_CORES);
	cores->mask[core / 64] |= UINT64_C(1) << (core % 64);
}

/* The lowest core above prev (prev = UINT32_MAX starts from 0), or UINT32_MAX. */
static uint32_t
env_cores_next(const struct env_cores *cores, uint32_t prev)
{
	uint32_t core = prev == UINT32_MAX ? 0 : prev + 1;

	while (core < ENV_MAX_CORES) {
		uint64_t word = cores->mask[core / 64] >> (core % 64);

		if (word != 0) {
			return core + (uint32_t)__builtin_ctzll(word);
		}
		core = (core / 64 + 1) * 64;
	}
	return UINT32_MAX;
}

/* Fills count, first and last from the mask; the main core becomes the first. */
static void
env_cores_summarise(struct env_cores *cores)
{
	uint32_t core;

	cores->count = 0;
	cores->first = env_cores_next(cores, UINT32_MAX);
	cores->last = cores->first;
	for (core = cores->first; core != UINT32_MAX; core = env_cores_next(cores, core)) {
		cores->count++;
		cores->last = core;
	}
	cores->main = cores->first;
}

/* Writes the set as a list of ranges ("0-3,8") for error messages. */
static void
env_cores_format(const struct env_cores *cores, char *buf, size_t len)
{
	uint32_t core = env_cores_next(cores, UINT32_MAX);
	size_t used = 0;

	buf[0] = '\0';
	while (core != UINT32_MAX && used < len) {
		uint32_t end = core;
		int n;

		while (env_cores_next(cores, end) == end + 1) {
			end++;
		}
		if (end == core) {
			n = snprintf(buf + used, len - used, "%s%u", used ? "," : "", core);
		} else {
			n = snprintf(buf + used, len - used, "%s%u-%u", used ? "," : "", core, end);
		}
		if (n < 0) {
			break;
		}
		used += (size_t)n;
		core = env_cores_next(cores, end);
	}
}

/* The CPUs the calling thread may run on. */
static int
env_affinity(struct env_cores *cores)
{
	cpu_set_t set;
	uint32_t cpu;

	memset(cores, 0, sizeof(*cores));
	CPU_ZERO(&set);
	if (sched_getaffinity(0, sizeof(set), &set) != 0) {
		return -errno;
	}
	for (cpu = 0; cpu < ENV_MAX_CORES; cpu++) {
		if (CPU_ISSET(cpu, &set)) {
			env_cores_add(cores, cpu);
		}
	}
	env_cores_summarise(cores);
	return cores->count == 0 ? -ENOENT : 0;
}

static void
env_load_default_cores(void)
{
	int rc = env_affinity(&g_env_default_cores);

	if (rc != 0) {
		SPDK_WARNLOG("cannot read the CPU affinity (%s); using core 0 only\n",
			     strerror(-rc));
		memset(&g_env_default_cores, 0, sizeof(g_env_default_cores));
		env_cores_add(&g_env_default_cores, 0);
		env_cores_summarise(&g_env_default_cores);
	}
}

static const struct env_cores *
env_cores_get(void)
{
	const struct env_cores *cores = atomic_load_explicit(&g_env_active, memory_order_acquire);

	if (cores != NULL) {
		return cores;
	}
	pthread_once(&g_env_default_once, env_load_default_cores);
	return &g_env_default_cores;
}

/* Parses "[0,2-5]": decimal cores and ranges, comma-separated. */
static int
env_parse_list(const char *str, struct env_cores *cores)
{
	const char *p = str + 1;

	for (;;) {
		unsigned long lo, hi, c;
		char *end;

		while (*p == ' ') {
			p++;
		}
		if (!isdigit((unsigned char)*p)) {
			goto bad;
		}
		errno = 0;
		lo = strtoul(p, &end, 10);
		if (errno != 0) {
			goto bad;
		}
		p = end;
		hi = lo;
		if (*p == '-') {
			p++;
			if (!isdigit((unsigned char)*p)) {
				goto bad;
			}
			errno = 0;
			hi = strtoul(p, &end, 10);
			if (errno != 0 || hi < lo) {
				goto bad;
			}
			p = end;
		}
		if (hi >= ENV_MAX_CORES) {
			SPDK_ERRLOG("core %lu in core mask '%s' is above the highest supported "
				    "core (%d)\n",
				    hi, str, ENV_MAX_CORES - 1);
			return -EINVAL;
		}
		for (c = lo; c <= hi; c++) {
			env_cores_add(cores, (uint32_t)c);
		}
		while (*p == ' ') {
			p++;
		}
		if (*p == ',') {
			p++;
			continue;
		}
		if (*p == ']' && p[1] == '\0') {
			return 0;
		}
		goto bad;
	}

bad:
	SPDK_ERRLOG("cannot parse core list '%s' at offset %td; expected e.g. [0,2-3]\n", str,
		    p - str);
	return -EINVAL;
}

/* Parses a hexadecimal mask of any length, with or without 0x. */
static int
env_parse_hex(const char *str, struct env_cores *cores)
{
	const char *digits = str;
	size_t n, i;

	if (digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X')) {
		digits += 2;
	}
	n = strlen(digits);
	if (n == 0) {
		goto bad;
	}
	for (i = 0; i < n; i++) {
		char ch = digits[n - 1 - i];
		uint32_t v, bit;

		if (!isxdigit((unsigned char)ch)) {
			goto bad;
		}
		v = (uint32_t)(isdigit((unsigned char)ch)
				       ? ch - '0'
				       : (tolower((unsigned char)ch) - 'a' + 10));
		for (bit = 0; bit < 4; bit++) {
			size_t core = i * 4 + bit;

			if ((v & (1u << bit)) == 0) {
				continue;
			}
			if (core >= ENV_MAX_CORES) {
				SPDK_ERRLOG(
					"core %zu in core mask '%s' is above the highest supported "
					"core (%d)\n",
					core, str, ENV_MAX_CORES - 1);
				return -EINVAL;
			}
			env_cores_add(cores, (uint32_t)core);
		}
	}
	return 0;

bad:
	SPDK_ERRLOG("cannot parse core mask '%s'; expected a hex mask such as 0x3 or a list "
		    "such as [0,1]\n",
		    str);
	return -EINVAL;
}

/* Builds the core set that the options ask for and checks it against the affinity. */
static int
env_cores_from_opts(const struct spdk_env_opts *opts, struct env_cores *cores)
{
	struct env_cores allowed;
	char allowed_str[256];
	uint32_t core;
	int rc;

	rc = env_affinity(&allowed);
	if (rc != 0) {
		SPDK_ERRLOG("cannot read the CPU affinity of the process: %s\n", strerror(-rc));
		return rc < 0 ? rc : -EINVAL;
	}
	env_cores_format(&allowed, allowed_str, sizeof(allowed_str));

	memset(cores, 0, sizeof(*cores));
	if (opts->core_mask == NULL) {
		env_cores_add(cores, allowed.first);
	} else {
		if (opts->core_mask[0] == '[') {
			rc = env_parse_list(opts->core_mask, cores);
		} else {
			rc = env_parse_hex(opts->core_mask, cores);
		}
		if (rc != 0) {
			return rc;
		}
	}
	env_cores_summarise(cores);
	if (cores->count == 0) {
		SPDK_ERRLOG("core mask '%s' selects no core\n", opts->core_mask);
		return -EINVAL;
	}
	for (core = cores->first; core != UINT32_MAX; core = env_cores_next(cores, core)) {
		if (!env_cores_has(&allowed, core)) {
			SPDK_ERRLOG("core %u in core mask '%s' is not available to this process "
				    "(allowed CPUs: %s)\n",
				    core, opts->core_mask, allowed_str);
			return -EINVAL;
		}
	}

	if (opts->main_core != -1) {
		if (opts->main_core < 0 || !env_cores_has(cores, (uint32_t)opts->main_core)) {
			SPDK_ERRLOG("main_core %d is not in core mask '%s'\n", opts->main_core,
				    opts->core_mask ? opts->core_mask : "(default)");
			return -EINVAL;
		}
		cores->main = (uint32_t)opts->main_core;
	}
	return 0;
}

void
spdk_env_opts_init(struct spdk_env_opts *opts)
{
	if (opts == NULL) {
		return;
	}
	memset(opts, 0, sizeof(*opts));
	opts->name = "spdk";
	opts->shm_id = -1;
	opts->mem_channel = -1;
	opts->main_core = -1;
	opts->mem_size = -1;
	opts->opts_size = sizeof(*opts);
}

int
spdk_env_init(const struct spdk_env_opts *user_opts)
{
	struct spdk_env_opts opts;
	struct env_cores cores;
	size_t min_size = offsetof(struct spdk_env_opts, opts_size) + sizeof(opts.opts_size);
	int rc;

	if (atomic_load_explicit(&g_env_active, memory_order_relaxed) != NULL) {
		SPDK_ERRLOG("the env is already initialised; call spdk_env_fini() first\n");
		return -EINVAL;
	}

	if (user_opts == NULL) {
		if (!g_env_saved_valid) {
			SPDK_ERRLOG("opts is NULL, but there is no earlier spdk_env_init() to "
				    "repeat\n");
			return -EINVAL;
		}
		cores = g_env_saved_cores;
	} else {
		if (user_opts->opts_size < min_size) {
			SPDK_ERRLOG("opts->opts_size %zu is too small (at least %zu); initialise "
				    "the options with spdk_env_opts_init()\n",
				    user_opts->opts_size, min_size);
			return -EINVAL;
		}
		/* Fields the caller's version of the struct lacks keep their defaults. */
		spdk_env_opts_init(&opts);
		memcpy(&opts, user_opts,
		       user_opts->opts_size < sizeof(opts) ? user_opts->opts_size : sizeof(opts));
		opts.opts_size = sizeof(opts);

		if (opts.lcore_map != NULL) {
			SPDK_WARNLOG(
				"lcore_map '%s' is not supported and is ignored; use core_mask\n",
				opts.lcore_map);
		}
		rc = env_cores_from_opts(&opts, &cores);
		if (rc != 0) {
			return rc;
		}
		snprintf(g_env_name, sizeof(g_env_name), "%s", opts.name ? opts.name : "spdk");
	}

	g_env_cores = cores;
	g_env_saved_cores = cores;
	g_env_saved_valid = true;
	atomic_store_explicit(&g_env_active, &g_env_cores, memory_order_release);
	g_env_current_core = cores.main;
	return 0;
}

void
spdk_env_fini(void)
{
	if (atomic_load_explicit(&g_env_active, memory_order_relaxed) == NULL) {
		return;
	}
	atomic_store_explicit(&g_env_active, NULL, memory_order_release);
	g_env_current_core = SPDK_ENV_LCORE_ID_ANY;
}

uint32_t
spdk_env_get_core_count(void)
{
	return env_cores_get()->count;
}

uint32_t
spdk_env_get_current_core(void)
{
	return g_env_current_core;
}

void
updk__env_set_current_core(uint32_t core)
{
	g_env_current_core = core;
}

uint32_t
spdk_env_get_main_core(void)
{
	return env_cores_get()->main;
}

uint32_t
spdk_env_get_first_core(void)
{
	return env_cores_get()->first;
}

uint32_t
spdk_env_get_last_core(void)
{
	return env_cores_get()->last;
}

uint32_t
spdk_env_get_next_core(uint32_t prev_core)
{
	if (prev_core == UINT32_MAX) {
		return UINT32_MAX;
	}
	return env_cores_next(env_cores_get(), prev_core);
}

int32_t
spdk_env_get_numa_id(uint32_t core)
{
	return 0;
}

uint32_t
spdk_env_get_socket_id(uint32_t core)
{
	return 0;
}

int32_t
spdk_env_get_first_numa_id(void)
{
	return 0;
}

int32_t
spdk_env_get_next_numa_id(int32_t prev_numa_id)
{
	return INT32_MAX;
}

int32_t
spdk_env_get_last_numa_id(void)
{
	return 0;
}

void
spdk_env_get_cpuset(struct spdk_cpuset *cpuset)
{
	const struct env_cores *cores = env_cores_get();
	uint32_t core;

	if (cpuset == NULL) {
		SPDK_ERRLOG("cpuset is NULL\n");
		return;
	}
	spdk_cpuset_zero(cpuset);
	for (core = cores->first; core != UINT32_MAX; core = env_cores_next(cores, core)) {
		spdk_cpuset_set_cpu(cpuset, core, true);
	}
}

static void *
env_thread_start(void *ctx)
{
	struct env_launched *t = ctx;
	cpu_set_t set;
	int rc;

	CPU_ZERO(&set);
	CPU_SET(t->core, &set);
	rc = pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	if (rc != 0) {
		SPDK_WARNLOG(
			"%s: cannot pin the thread of core %u to CPU %u (%s); it runs unpinned\n",
			g_env_name, t->core, t->core, strerror(rc));
	}
	g_env_current_core = t->core;
	t->fn(t->arg);
	return NULL;
}

int
spdk_env_thread_launch_pinned(uint32_t core, thread_start_fn fn, void *arg)
{
	const struct env_cores *cores = env_cores_get();
	struct env_launched *t;
	int rc;

	if (fn == NULL) {
		SPDK_ERRLOG("fn is NULL\n");
		return -EINVAL;
	}
	if (!env_cores_has(cores, core)) {
		char set_str[256];

		env_cores_format(cores, set_str, sizeof(set_str));
		SPDK_ERRLOG("core %u is not one of the env's cores (%s)\n", core, set_str);
		return -EINVAL;
	}

	pthread_mutex_lock(&g_env_threads_lock);
	TAILQ_FOREACH (t, &g_env_threads, link) {
		if (t->core == core) {
			pthread_mutex_unlock(&g_env_threads_lock);
			SPDK_ERRLOG("a thread launched on core %u has not been joined yet "
				    "(spdk_env_thread_wait_all())\n",
				    core);
			return -EBUSY;
		}
	}
	t = calloc(1, sizeof(*t));
	if (t == NULL) {
		pthread_mutex_unlock(&g_env_threads_lock);
		SPDK_ERRLOG("cannot allocate a thread record for core %u\n", core);
		return -ENOMEM;
	}
	t->core = core;
	t->fn = fn;
	t->arg = arg;
	rc = pthread_create(&t->tid, NULL, env_thread_start, t);
	if (rc != 0) {
		pthread_mutex_unlock(&g_env_threads_lock);
		free(t);
		SPDK_ERRLOG("cannot create a thread for core %u: %s\n", core, strerror(rc));
		return -rc;
	}
	TAILQ_INSERT_TAIL(&g_env_threads, t, link);
	pthread_mutex_unlock(&g_env_threads_lock);
	return 0;
}

void
spdk_env_thread_wait_all(void)
{
	pthread_t self = pthread_self();
	struct env_launched *t;

	for (;;) {
		pthread_mutex_lock(&g_env_threads_lock);
		TAILQ_FOREACH (t, &g_env_threads, link) {
			if (!pthread_equal(t->tid, self)) {
				break;
			}
		}
		if (t != NULL) {
			TAILQ_REMOVE(&g_env_threads, t, link);
		}
		pthread_mutex_unlock(&g_env_threads_lock);
		if (t == NULL) {
			return;
		}
		pthread_join(t->tid, NULL);
		free(t);
	}
}
