/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The application lifecycle: spdk_app_start() validates the options, sets up
 * logging, the env's cores and the reactors, creates the app thread and then
 * runs the start-up sequence on it (JSON config startup pass, RPC server,
 * subsystem init, runtime pass, start_fn); spdk_app_stop() runs the shutdown
 * sequence (RPC server off, subsystems finished in reverse order, every
 * thread exited, reactors stopped) under a deadline. Also signals and the
 * standard command line.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/event.h"
#include "spdk/init.h"
#include "spdk/log.h"
#include "spdk/rpc.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "updk/event.h"
#include "updk/string.h"

#include "event_internal.h"

#include <sys/resource.h>

SPDK_LOG_REGISTER_COMPONENT(app_config)

#ifndef UPDK_VERSION_STRING
#define UPDK_VERSION_STRING "updk v0.1.0"
#endif

/* Long-only options; far above any letter and any value an application
 * is likely to give its own long options. */
enum app_long_opt {
	APP_OPT_JSON_IGNORE_INIT_ERRORS = 0x10000,
	APP_OPT_NO_RPC_SERVER,
	APP_OPT_WAIT_FOR_RPC,
	APP_OPT_SILENCE_NOTICELOG,
	APP_OPT_LCORES,
	APP_OPT_DISABLE_CPUMASK_LOCKS,
	APP_OPT_INTERRUPT_MODE,
	APP_OPT_RPCS_ALLOWED,
	APP_OPT_MSG_MEMPOOL_SIZE,
	APP_OPT_NO_HUGE,
	APP_OPT_ENFORCE_NUMA,
	APP_OPT_HUGE_DIR,
	APP_OPT_IOVA_MODE,
	APP_OPT_BASE_VIRTADDR,
	APP_OPT_VFIO_VF_TOKEN,
	APP_OPT_NUM_TRACE_ENTRIES,
	APP_OPT_ENV_CONTEXT,
	APP_OPT_MAX_DELAY,
};

static const struct option g_app_long_opts[] = {
	{"config", required_argument, NULL, 'c'},
	{"json", required_argument, NULL, 'c'},
	{"json-ignore-init-errors", no_argument, NULL, APP_OPT_JSON_IGNORE_INIT_ERRORS},
	{"limit-coredump", no_argument, NULL, 'd'},
	{"tpoint-group", required_argument, NULL, 'e'},
	{"tpoint-group-mask", required_argument, NULL, 'e'},
	{"single-file-segments", no_argument, NULL, 'g'},
	{"help", no_argument, NULL, 'h'},
	{"shm-id", required_argument, NULL, 'i'},
	{"cpumask", required_argument, NULL, 'm'},
	{"mem-channels", required_argument, NULL, 'n'},
	{"main-core", required_argument, NULL, 'p'},
	{"master-core", required_argument, NULL, 'p'},
	{"rpc-socket", required_argument, NULL, 'r'},
	{"mem-size", required_argument, NULL, 's'},
	{"no-pci", no_argument, NULL, 'u'},
	{"version", no_argument, NULL, 'v'},
	{"pci-allowed", required_argument, NULL, 'A'},
	{"pci-whitelist", required_argument, NULL, 'A'},
	{"pci-blocked", required_argument, NULL, 'B'},
	{"pci-blacklist", required_argument, NULL, 'B'},
	{"logflag", required_argument, NULL, 'L'},
	{"huge-unlink", no_argument, NULL, 'R'},
	{"no-rpc-server", no_argument, NULL, APP_OPT_NO_RPC_SERVER},
	{"wait-for-rpc", no_argument, NULL, APP_OPT_WAIT_FOR_RPC},
	{"silence-noticelog", no_argument, NULL, APP_OPT_SILENCE_NOTICELOG},
	{"lcores", required_argument, NULL, APP_OPT_LCORES},
	{"disable-cpumask-locks", no_argument, NULL, APP_OPT_DISABLE_CPUMASK_LOCKS},
	{"interrupt-mode", no_argument, NULL, APP_OPT_INTERRUPT_MODE},
	{"rpcs-allowed", required_argument, NULL, APP_OPT_RPCS_ALLOWED},
	{"msg-mempool-size", required_argument, NULL, APP_OPT_MSG_MEMPOOL_SIZE},
	{"no-huge", no_argument, NULL, APP_OPT_NO_HUGE},
	{"enforce-numa", no_argument, NULL, APP_OPT_ENFORCE_NUMA},
	{"huge-dir", required_argument, NULL, APP_OPT_HUGE_DIR},
	{"iova-mode", required_argument, NULL, APP_OPT_IOVA_MODE},
	{"base-virtaddr", required_argument, NULL, APP_OPT_BASE_VIRTADDR},
	{"vfio-vf-token", required_argument, NULL, APP_OPT_VFIO_VF_TOKEN},
	{"num-trace-entries", required_argument, NULL, APP_OPT_NUM_TRACE_ENTRIES},
	{"env-context", required_argument, NULL, APP_OPT_ENV_CONTEXT},
	{"max-delay", required_argument, NULL, APP_OPT_MAX_DELAY},
};

/* State of the one application a process may run. */
struct app {
	/* Copy of the caller's options, completed with defaults. */
	struct spdk_app_opts opts;
	spdk_msg_fn start_fn;
	void *start_ctx;
	struct spdk_thread *app_thread;
	/* The rc spdk_app_start() returns: the first non-zero one given to stop. */
	int rc;
	/* spdk_app_start() is between its start and its return. */
	bool running;
	/* The app thread has begun the shutdown sequence. */
	bool stopping;
	/* The shutdown deadline runs (app thread only). */
	bool deadline_armed;
	/* spdk_app_start_shutdown() was called (atomic; signal handlers). */
	int shutdown_started;
	/* start_fn ran. */
	bool init_done;
	/* The RPC server is listening. */
	bool rpc_started;
	/* The startup sequence waits for framework_start_init. */
	bool waiting_for_start_init;
	/* Whether the subsystem init step is under way. */
	bool subsystem_init_started;
	/* The JSON config, for the runtime pass; malloc'ed. */
	void *config;
	size_t config_size;
	const char *config_source;
	/* spdk_log_open() was called with opts.log. */
	bool log_opened;
	struct sigaction old_sigint;
	struct sigaction old_sigterm;
	struct sigaction old_sigpipe;
	bool signals_installed;
};

static struct app g_app;
static uint64_t g_shutdown_timeout_ms = UPDK_APP_SHUTDOWN_TIMEOUT_MS;

/* Options spdk_app_parse_args() accepted but that have no effect in updk,
 * reported once by spdk_app_start(). */
static char g_ignored_opts[256];
/* The allowlist built from --rpcs-allowed. */
static char **g_rpcs_allowed;
/* Whether spdk_app_usage() may run (after spdk_app_parse_args()). */
static bool g_usage_valid;
/* The application's usage callback, printed by -h. */
static void (*g_app_usage_fn)(void);
static const char *g_executable_name = "app";

void
updk_app_set_shutdown_timeout(uint64_t timeout_ms)
{
	__atomic_store_n(&g_shutdown_timeout_ms,
			 timeout_ms != 0 ? timeout_ms : UPDK_APP_SHUTDOWN_TIMEOUT_MS,
			 __ATOMIC_RELAXED);
}

/* ---- options ---- */

static void
app_opts_defaults(struct spdk_app_opts *opts)
{
	memset(opts, 0, sizeof(*opts));
	opts->rpc_addr = SPDK_DEFAULT_RPC_ADDR;
	opts->shm_id = -1;
	opts->enable_coredump = true;
	opts->mem_channel = -1;
	opts->main_core = -1;
	opts->mem_size = -1;
	opts->print_level = SPDK_LOG_INFO;
	opts->rpc_log_level = SPDK_LOG_DISABLED;
	opts->opts_size = sizeof(*opts);
}

void
spdk_app_opts_init(struct spdk_app_opts *opts, size_t opts_size)
{
	struct spdk_app_opts defaults;

	if (opts == NULL) {
		SPDK_ERRLOG("spdk_app_opts_init: opts is NULL\n");
		return;
	}
	if (opts_size == 0) {
		SPDK_ERRLOG(
			"spdk_app_opts_init: opts_size is 0; pass sizeof(struct spdk_app_opts)\n");
		return;
	}
	app_opts_defaults(&defaults);
	defaults.opts_size = opts_size;
	memset(opts, 0, opts_size < sizeof(defaults) ? opts_size : sizeof(defaults));
	memcpy(opts, &defaults, opts_size < sizeof(defaults) ? opts_size : sizeof(defaults));
}

/* Copy what the caller's version of the struct holds; the rest keeps defaults. */
static void
app_opts_copy(struct spdk_app_opts *dst, const struct spdk_app_opts *src)
{
	size_t size = src->opts_size < sizeof(*dst) ? src->opts_size : sizeof(*dst);

	app_opts_defaults(dst);
	memcpy(dst, src, size);
	dst->opts_size = sizeof(*dst);
}

int
spdk_app_get_shm_id(void)
{
	return g_app.opts.shm_id;
}

int
spdk_app_parse_core_mask(const char *mask, struct spdk_cpuset *cpumask)
{
	struct spdk_cpuset valid;
	int rc;

	if (mask == NULL || cpumask == NULL) {
		SPDK_ERRLOG("spdk_app_parse_core_mask: %s is NULL\n",
			    mask == NULL ? "mask" : "cpumask");
		return -1;
	}
	rc = spdk_cpuset_parse(cpumask, mask);
	if (rc != 0) {
		SPDK_ERRLOG("cannot parse core mask '%s': %s\n", mask, spdk_strerror(-rc));
		return -1;
	}
	if (g_app.running) {
		spdk_cpuset_copy(&valid, reactors_get_cpuset());
	} else {
		spdk_env_get_cpuset(&valid);
	}
	spdk_cpuset_and(cpumask, &valid);
	return 0;
}

const struct spdk_cpuset *
spdk_app_get_core_mask(void)
{
	return reactors_get_cpuset();
}

int
spdk_app_setup_trace(struct spdk_app_opts *opts)
{
	return 0;
}

/* ---- command line ---- */

static void
app_note_ignored(const char *opt)
{
	size_t used = strlen(g_ignored_opts);

	if (strstr(g_ignored_opts, opt) != NULL) {
		return;
	}
	snprintf(g_ignored_opts + used, sizeof(g_ignored_opts) - used, "%s%s",
		 used != 0 ? ", " : "", opt);
}

void
spdk_app_usage(void)
{
	if (!g_usage_valid) {
		fprintf(stderr,
			"spdk_app_usage() may only be called after spdk_app_parse_args()\n");
		return;
	}
	printf("%s [options]\n\n", g_executable_name);
	printf("CPU options:\n");
	printf(" -m, --cpumask <mask or list>    core mask (like 0x3) or core list (like [0,1]) "
	       "of\n"
	       "                                 the reactors (default: the first usable CPU)\n");
	printf(" -p, --main-core <id>            main (primary) core\n");
	printf("\nConfiguration options:\n");
	printf(" -c, --config, --json <config>   JSON configuration file\n");
	printf("     --json-ignore-init-errors   keep starting when configuration entries fail\n");
	printf("\nRPC options:\n");
	printf(" -r, --rpc-socket <path>         RPC listen address (default %s)\n",
	       SPDK_DEFAULT_RPC_ADDR);
	printf("     --no-rpc-server             do not start the RPC server\n");
	printf("     --wait-for-rpc              wait for the framework_start_init RPC before\n"
	       "                                 initialising the subsystems\n");
	printf("     --rpcs-allowed <list>       comma-separated list of the only RPCs allowed\n");
	printf("\nLog options:\n");
	spdk_log_usage(stdout, "-L");
	printf("     --silence-noticelog         print only warnings and errors to stderr\n");
	printf("\nOther options:\n");
	printf(" -h, --help                      show this usage\n");
	printf(" -v, --version                   print the version\n");
	printf(" -i, --shm-id <id>               shared memory id\n");
	printf(" -d, --limit-coredump            do not raise RLIMIT_CORE\n");
	printf("\nAccepted for compatibility with SPDK and ignored (updk needs no DPDK):\n");
	printf(" -s, -n, -g, -u, -R, -e, -A, -B, --no-huge, --huge-dir, --iova-mode,\n"
	       " --base-virtaddr, --vfio-vf-token, --env-context, --enforce-numa,\n"
	       " --interrupt-mode, --num-trace-entries, --msg-mempool-size,\n"
	       " --disable-cpumask-locks\n");
}

static int
app_parse_int(const char *what, const char *arg, long min, long max, long *out)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(arg, &end, 0);
	if (errno != 0 || end == arg || *end != '\0' || v < min || v > max) {
		fprintf(stderr, "Invalid %s '%s'\n", what, arg);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* The short options: the application's first, then the framework's. */
static int
app_build_getopt_str(const char *app_getopt_str, char **out)
{
	const char *p;
	size_t len;

	if (app_getopt_str != NULL) {
		for (p = app_getopt_str; *p != '\0'; p++) {
			if (*p != ':' && strchr(SPDK_APP_GETOPT_STRING, *p) != NULL) {
				fprintf(stderr,
					"Duplicated option '%c' between app-specific command "
					"line parameter and generic spdk opts.\n",
					*p);
				return -EINVAL;
			}
		}
	}
	len = (app_getopt_str ? strlen(app_getopt_str) : 0) + strlen(SPDK_APP_GETOPT_STRING) + 1;
	*out = malloc(len);
	if (*out == NULL) {
		return -ENOMEM;
	}
	snprintf(*out, len, "%s%s", app_getopt_str ? app_getopt_str : "", SPDK_APP_GETOPT_STRING);
	return 0;
}

static int
app_build_long_opts(const struct option *app_long_opts, struct option **out)
{
	size_t n_app = 0, n_fw = SPDK_COUNTOF(g_app_long_opts), i, j;
	struct option *opts;

	if (app_long_opts != NULL) {
		while (app_long_opts[n_app].name != NULL) {
			for (j = 0; j < n_fw; j++) {
				if (strcmp(app_long_opts[n_app].name, g_app_long_opts[j].name) ==
				    0) {
					fprintf(stderr,
						"Duplicated option '--%s' between app-specific "
						"command line parameter and generic spdk opts.\n",
						app_long_opts[n_app].name);
					return -EINVAL;
				}
			}
			n_app++;
		}
	}
	opts = calloc(n_app + n_fw + 1, sizeof(*opts));
	if (opts == NULL) {
		return -ENOMEM;
	}
	for (i = 0; i < n_app; i++) {
		opts[i] = app_long_opts[i];
	}
	for (j = 0; j < n_fw; j++) {
		opts[n_app + j] = g_app_long_opts[j];
	}
	*out = opts;
	return 0;
}

static void
app_help(void (*usage)(void))
{
	spdk_app_usage();
	if (usage != NULL) {
		printf("\nApplication specific:\n");
		usage();
	}
}

/* Handle one framework option; returns 0, 1 for -h/-v (help), or -EINVAL. */
static int
app_parse_one(int ch, char *arg, struct spdk_app_opts *opts, void (*usage)(void))
{
	long v;
	uint64_t cap;
	bool has_prefix;

	switch (ch) {
	case 'c':
		opts->json_config_file = arg;
		return 0;
	case APP_OPT_JSON_IGNORE_INIT_ERRORS:
		opts->json_config_ignore_errors = true;
		return 0;
	case 'd':
		opts->enable_coredump = false;
		return 0;
	case 'e':
		opts->tpoint_group_mask = arg;
		app_note_ignored("-e");
		return 0;
	case 'g':
		opts->hugepage_single_segments = true;
		app_note_ignored("-g");
		return 0;
	case 'h':
		app_help(usage);
		return 1;
	case 'i':
		if (app_parse_int("shared memory id (-i)", arg, INT_MIN, INT_MAX, &v) != 0) {
			return -EINVAL;
		}
		opts->shm_id = (int)v;
		return 0;
	case 'm':
		if (opts->lcore_map != NULL) {
			fprintf(stderr, "-m and --lcores are mutually exclusive\n");
			return -EINVAL;
		}
		opts->reactor_mask = arg;
		return 0;
	case 'n':
		if (app_parse_int("number of memory channels (-n)", arg, 1, INT_MAX, &v) != 0) {
			return -EINVAL;
		}
		opts->mem_channel = (int)v;
		app_note_ignored("-n");
		return 0;
	case 'p':
		if (app_parse_int("main core (-p)", arg, 0, INT_MAX, &v) != 0) {
			return -EINVAL;
		}
		opts->main_core = (int)v;
		return 0;
	case 'r':
		opts->rpc_addr = arg;
		return 0;
	case APP_OPT_NO_RPC_SERVER:
		opts->rpc_addr = NULL;
		return 0;
	case 's':
		if (spdk_parse_capacity(arg, &cap, &has_prefix) != 0) {
			fprintf(stderr, "Invalid memory size (-s) '%s'\n", arg);
			return -EINVAL;
		}
		if (has_prefix) {
			cap >>= 20;
		}
		opts->mem_size = cap > INT_MAX ? INT_MAX : (int)cap;
		app_note_ignored("-s");
		return 0;
	case 'u':
		opts->no_pci = true;
		app_note_ignored("-u");
		return 0;
	case 'v':
		printf("%s\n", UPDK_VERSION_STRING);
		return 1;
	case 'A':
	case 'B':
		app_note_ignored(ch == 'A' ? "-A" : "-B");
		return 0;
	case 'L':
		if (spdk_log_set_flag(arg) != 0) {
			fprintf(stderr, "unknown log flag '%s'\n", arg);
			spdk_log_usage(stderr, "-L");
			return -EINVAL;
		}
#ifdef DEBUG
		opts->print_level = SPDK_LOG_DEBUG;
#else
		if (opts->print_level < SPDK_LOG_INFO) {
			opts->print_level = SPDK_LOG_INFO;
		}
#endif
		return 0;
	case 'R':
		opts->unlink_hugepage = true;
		app_note_ignored("-R");
		return 0;
	case 'W':
		fprintf(stderr, "-W is a legacy option without effect\n");
		return -EINVAL;
	case APP_OPT_WAIT_FOR_RPC:
		opts->delay_subsystem_init = true;
		return 0;
	case APP_OPT_SILENCE_NOTICELOG:
		opts->print_level = SPDK_LOG_WARN;
		return 0;
	case APP_OPT_LCORES:
		if (opts->reactor_mask != NULL) {
			fprintf(stderr, "-m and --lcores are mutually exclusive\n");
			return -EINVAL;
		}
		opts->lcore_map = arg;
		return 0;
	case APP_OPT_DISABLE_CPUMASK_LOCKS:
		opts->disable_cpumask_locks = true;
		return 0;
	case APP_OPT_INTERRUPT_MODE:
		opts->interrupt_mode = true;
		app_note_ignored("--interrupt-mode");
		return 0;
	case APP_OPT_RPCS_ALLOWED:
		spdk_strarray_free(g_rpcs_allowed);
		g_rpcs_allowed = spdk_strarray_from_string(arg, ",");
		if (g_rpcs_allowed == NULL) {
			fprintf(stderr, "Invalid --rpcs-allowed '%s'\n", arg);
			return -EINVAL;
		}
		opts->rpc_allowlist = (const char **)g_rpcs_allowed;
		return 0;
	case APP_OPT_MSG_MEMPOOL_SIZE:
		if (app_parse_int("message pool size", arg, 1, LONG_MAX, &v) != 0) {
			return -EINVAL;
		}
		opts->msg_mempool_size = (size_t)v;
		return 0;
	case APP_OPT_NO_HUGE:
		opts->no_huge = true;
		app_note_ignored("--no-huge");
		return 0;
	case APP_OPT_ENFORCE_NUMA:
		opts->enforce_numa = true;
		app_note_ignored("--enforce-numa");
		return 0;
	case APP_OPT_HUGE_DIR:
		opts->hugedir = arg;
		app_note_ignored("--huge-dir");
		return 0;
	case APP_OPT_IOVA_MODE:
		opts->iova_mode = arg;
		app_note_ignored("--iova-mode");
		return 0;
	case APP_OPT_BASE_VIRTADDR:
		app_note_ignored("--base-virtaddr");
		return 0;
	case APP_OPT_VFIO_VF_TOKEN:
		opts->vf_token = arg;
		app_note_ignored("--vfio-vf-token");
		return 0;
	case APP_OPT_NUM_TRACE_ENTRIES:
		app_note_ignored("--num-trace-entries");
		return 0;
	case APP_OPT_ENV_CONTEXT:
		opts->env_context = arg;
		app_note_ignored("--env-context");
		return 0;
	case APP_OPT_MAX_DELAY:
		app_note_ignored("--max-delay");
		return 0;
	default:
		return -ENOENT;
	}
}

spdk_app_parse_args_rvals_t
spdk_app_parse_args(int argc, char **argv, struct spdk_app_opts *opts, const char *app_getopt_str,
		    const struct option *app_long_opts, int (*parse)(int ch, char *arg),
		    void (*usage)(void))
{
	spdk_app_parse_args_rvals_t result = SPDK_APP_PARSE_ARGS_FAIL;
	struct option *long_opts = NULL;
	char *getopt_str = NULL;
	int ch, rc, index;

	if (argc < 1 || argv == NULL || opts == NULL) {
		fprintf(stderr, "spdk_app_parse_args: invalid arguments\n");
		return SPDK_APP_PARSE_ARGS_FAIL;
	}
	if ((app_getopt_str != NULL || app_long_opts != NULL) && parse == NULL) {
		fprintf(stderr, "spdk_app_parse_args: application options need a parse function\n");
		return SPDK_APP_PARSE_ARGS_FAIL;
	}
	g_executable_name = argv[0];
	g_usage_valid = true;
	g_app_usage_fn = usage;
	g_ignored_opts[0] = '\0';

	if (app_build_getopt_str(app_getopt_str, &getopt_str) != 0 ||
	    app_build_long_opts(app_long_opts, &long_opts) != 0) {
		goto out;
	}

	optind = 1;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, getopt_str, long_opts, &index)) != -1) {
		if (ch == '?' || ch == ':') {
			app_help(usage);
			goto out;
		}
		rc = app_parse_one(ch, optarg, opts, usage);
		if (rc == 1) {
			result = SPDK_APP_PARSE_ARGS_HELP;
			goto out;
		}
		if (rc == -ENOENT) {
			/* Not ours: the application's. */
			if (parse == NULL || parse(ch, optarg) != 0) {
				if (parse == NULL) {
					fprintf(stderr, "unhandled option %d\n", ch);
				}
				goto out;
			}
			continue;
		}
		if (rc != 0) {
			goto out;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "%s: unexpected argument '%s'\n", argv[0], argv[optind]);
		app_help(usage);
		goto out;
	}
	result = SPDK_APP_PARSE_ARGS_SUCCESS;

out:
	free(getopt_str);
	free(long_opts);
	return result;
}

/* ---- start-up sequence, on the app thread ---- */

static void app_stop_on_app_thread(void *ctx);

static void
app_fail(int rc)
{
	rc = rc != 0 ? rc : -EINVAL;
	app_rpc_init_done(rc);
	spdk_app_stop(rc);
}

static void
app_runtime_config_done(int rc, void *ctx)
{
	if (g_app.stopping) {
		return;
	}
	if (rc != 0 && !g_app.opts.json_config_ignore_errors) {
		app_fail(rc);
		return;
	}
	free(g_app.config);
	g_app.config = NULL;
	if (g_app.rpc_started && g_app.opts.rpc_addr != NULL) {
		spdk_rpc_server_resume(g_app.opts.rpc_addr);
	}
	g_app.init_done = true;
	SPDK_INFOLOG(app_config, "application %s initialised\n", g_app.opts.name);
	app_rpc_init_done(0);
	if (g_app.start_fn != NULL) {
		g_app.start_fn(g_app.start_ctx);
	}
}

static void
app_subsystems_done(int rc, void *ctx)
{
	if (g_app.stopping) {
		return;
	}
	if (rc != 0) {
		SPDK_ERRLOG("subsystem initialisation failed: %s\n", spdk_strerror(-rc));
		app_fail(rc);
		return;
	}
	spdk_rpc_set_state(SPDK_RPC_RUNTIME);
	if (g_app.config != NULL) {
		json_config_load(g_app.config_source, g_app.config, g_app.config_size, false,
				 app_runtime_config_done, NULL,
				 !g_app.opts.json_config_ignore_errors);
		return;
	}
	app_runtime_config_done(0, NULL);
}

int
app_start_init(void)
{
	if (!g_app.waiting_for_start_init) {
		return -EALREADY;
	}
	g_app.waiting_for_start_init = false;
	g_app.subsystem_init_started = true;
	if (g_app.rpc_started && g_app.opts.rpc_addr != NULL) {
		spdk_rpc_server_pause(g_app.opts.rpc_addr);
	}
	spdk_subsystem_init(app_subsystems_done, NULL);
	return 0;
}

bool
app_waiting_for_start_init(void)
{
	return g_app.waiting_for_start_init;
}

bool
app_init_done(void)
{
	return g_app.init_done;
}

bool
app_init_pending(void)
{
	return g_app.running && !g_app.stopping && !g_app.init_done &&
	       (g_app.waiting_for_start_init || g_app.subsystem_init_started);
}

static void
app_startup_config_done(int rc, void *ctx)
{
	if (g_app.stopping) {
		return;
	}
	if (rc != 0 && !g_app.opts.json_config_ignore_errors) {
		app_fail(rc);
		return;
	}
	if (g_app.opts.rpc_addr != NULL) {
		rc = spdk_rpc_initialize(g_app.opts.rpc_addr, NULL);
		if (rc != 0) {
			app_fail(rc);
			return;
		}
		g_app.rpc_started = true;
	}
	g_app.waiting_for_start_init = true;
	if (g_app.opts.delay_subsystem_init) {
		SPDK_NOTICELOG("waiting for the framework_start_init RPC before initialising the "
			       "subsystems\n");
		return;
	}
	app_start_init();
}

static void
app_bootstrap(void *ctx)
{
	int rc;

	spdk_rpc_set_state(SPDK_RPC_STARTUP);
	if (g_app.opts.rpc_allowlist != NULL) {
		spdk_rpc_set_allowlist(g_app.opts.rpc_allowlist);
	}

	if (g_app.opts.json_config_file != NULL) {
		g_app.config_source = g_app.opts.json_config_file;
		rc = json_config_read_file(g_app.opts.json_config_file, &g_app.config,
					   &g_app.config_size);
		if (rc != 0) {
			app_fail(rc);
			return;
		}
	} else if (g_app.opts.json_data != NULL) {
		g_app.config_source = "in-memory JSON config";
		g_app.config = malloc(g_app.opts.json_data_size + 1);
		if (g_app.config == NULL) {
			SPDK_ERRLOG("cannot copy the in-memory JSON config: out of memory\n");
			app_fail(-ENOMEM);
			return;
		}
		memcpy(g_app.config, g_app.opts.json_data, g_app.opts.json_data_size);
		((char *)g_app.config)[g_app.opts.json_data_size] = '\0';
		g_app.config_size = g_app.opts.json_data_size;
	}

	if (g_app.config != NULL) {
		json_config_load(g_app.config_source, g_app.config, g_app.config_size, true,
				 app_startup_config_done, NULL,
				 !g_app.opts.json_config_ignore_errors);
		return;
	}
	app_startup_config_done(0, NULL);
}

/* ---- shutdown ---- */

static void
app_subsystems_finished(void *ctx)
{
	SPDK_INFOLOG(app_config, "subsystems finished; stopping the threads\n");
	reactors_stop();
}

/* Start the shutdown deadline once: at the signal when the application has
 * its own shutdown_cb (which may wait for I/O that never completes), else at
 * spdk_app_stop(). */
static void
app_arm_shutdown_deadline(void)
{
	uint64_t timeout_ms;

	if (g_app.deadline_armed) {
		return;
	}
	g_app.deadline_armed = true;
	timeout_ms = __atomic_load_n(&g_shutdown_timeout_ms, __ATOMIC_RELAXED);
	reactors_set_shutdown_deadline(spdk_get_ticks() +
				       timeout_ms * (spdk_get_ticks_hz() / 1000));
}

static void
app_stop_on_app_thread(void *ctx)
{
	if (g_app.stopping) {
		SPDK_NOTICELOG("spdk_app_stop called twice\n");
		return;
	}
	g_app.stopping = true;
	app_arm_shutdown_deadline();
	app_rpc_init_done(-ECANCELED);
	if (g_app.rpc_started) {
		spdk_rpc_finish();
		g_app.rpc_started = false;
	}
	free(g_app.config);
	g_app.config = NULL;
	spdk_subsystem_fini(app_subsystems_finished, NULL);
}

void
spdk_app_stop(int rc)
{
	int expected = 0;
	struct spdk_thread *app_thread = g_app.app_thread;

	if (rc != 0) {
		SPDK_WARNLOG("spdk_app_stop'd on non-zero (rc %d)\n", rc);
		__atomic_compare_exchange_n(&g_app.rc, &expected, rc, false, __ATOMIC_ACQ_REL,
					    __ATOMIC_RELAXED);
	}
	if (!g_app.running || app_thread == NULL) {
		SPDK_ERRLOG("spdk_app_stop: no application is running\n");
		return;
	}
	spdk_thread_send_msg(app_thread, app_stop_on_app_thread, NULL);
}

static void
app_shutdown_on_app_thread(void *ctx)
{
	if (g_app.opts.shutdown_cb != NULL) {
		app_arm_shutdown_deadline();
		g_app.opts.shutdown_cb();
	} else {
		spdk_app_stop(0);
	}
}

void
spdk_app_start_shutdown(void)
{
	struct spdk_thread *app_thread = g_app.app_thread;

	/* Async-signal-safe: atomics, the critical message slot and a write(). */
	if (app_thread == NULL || !g_app.running) {
		return;
	}
	if (__atomic_exchange_n(&g_app.shutdown_started, 1, __ATOMIC_ACQ_REL) != 0) {
		return;
	}
	if (spdk_thread_send_critical_msg(app_thread, app_shutdown_on_app_thread) != 0) {
		/* The slot is busy; let the next signal try again. */
		__atomic_store_n(&g_app.shutdown_started, 0, __ATOMIC_RELEASE);
	}
}

static void
app_signal_handler(int signo)
{
	spdk_app_start_shutdown();
}

static int
app_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	if (sigaction(SIGPIPE, &sa, &g_app.old_sigpipe) != 0) {
		goto err;
	}
	if (g_app.opts.disable_signal_handlers) {
		g_app.signals_installed = true;
		return 0;
	}
	sa.sa_handler = app_signal_handler;
	if (sigaction(SIGINT, &sa, &g_app.old_sigint) != 0 ||
	    sigaction(SIGTERM, &sa, &g_app.old_sigterm) != 0) {
		goto err;
	}
	g_app.signals_installed = true;
	return 0;

err:
	SPDK_ERRLOG("cannot install the signal handlers: %s\n", spdk_strerror(errno));
	return -errno;
}

static void
app_restore_signals(void)
{
	if (!g_app.signals_installed) {
		return;
	}
	sigaction(SIGPIPE, &g_app.old_sigpipe, NULL);
	if (!g_app.opts.disable_signal_handlers) {
		sigaction(SIGINT, &g_app.old_sigint, NULL);
		sigaction(SIGTERM, &g_app.old_sigterm, NULL);
	}
	g_app.signals_installed = false;
}

static int
app_check_opts(const struct spdk_app_opts *opts)
{
	if (opts->name == NULL) {
		SPDK_ERRLOG("spdk_app_opts::name not specified\n");
		return -EINVAL;
	}
	if (opts->json_config_file != NULL && opts->json_data != NULL) {
		SPDK_ERRLOG("json_config_file and json_data are mutually exclusive\n");
		return -EINVAL;
	}
	if (opts->lcore_map != NULL) {
		SPDK_ERRLOG("--lcores (lcore_map '%s') is not supported by updk; use -m\n",
			    opts->lcore_map);
		return -EINVAL;
	}
	if (opts->rpc_addr != NULL && opts->rpc_addr[0] == '\0') {
		SPDK_ERRLOG("the RPC socket path is empty\n");
		return -EINVAL;
	}
	return 0;
}

int
spdk_app_start(struct spdk_app_opts *opts_user, spdk_msg_fn start_fn, void *ctx)
{
	struct spdk_env_opts env_opts;
	struct spdk_cpuset mask;
	int rc;

	if (opts_user == NULL) {
		SPDK_ERRLOG("spdk_app_start: opts is NULL\n");
		return 1;
	}
	if (opts_user->opts_size == 0) {
		SPDK_ERRLOG("spdk_app_start: opts_size inside opts is 0; initialise the options "
			    "with spdk_app_opts_init()\n");
		return 1;
	}
	if (g_app.running) {
		SPDK_ERRLOG("spdk_app_start: an application is already running\n");
		return 1;
	}

	memset(&g_app, 0, sizeof(g_app));
	app_opts_copy(&g_app.opts, opts_user);
	if (app_check_opts(&g_app.opts) != 0) {
		return 1;
	}
	g_app.start_fn = start_fn;
	g_app.start_ctx = ctx;

	if (g_app.opts.log != NULL) {
		spdk_log_open(g_app.opts.log);
		g_app.log_opened = true;
	}
	spdk_log_set_level(SPDK_LOG_NOTICE);
	spdk_log_set_print_level(g_app.opts.print_level);
	if (g_ignored_opts[0] != '\0') {
		SPDK_NOTICELOG("options without effect in updk (no DPDK, no hugepages) were "
			       "ignored: %s\n",
			       g_ignored_opts);
		g_ignored_opts[0] = '\0';
	}

	if (g_app.opts.enable_coredump) {
		struct rlimit core_limits;

		core_limits.rlim_cur = core_limits.rlim_max = RLIM_INFINITY;
		if (setrlimit(RLIMIT_CORE, &core_limits) != 0 &&
		    getrlimit(RLIMIT_CORE, &core_limits) == 0) {
			core_limits.rlim_cur = core_limits.rlim_max;
			setrlimit(RLIMIT_CORE, &core_limits);
		}
	}

	spdk_env_opts_init(&env_opts);
	env_opts.name = g_app.opts.name;
	env_opts.core_mask = g_app.opts.reactor_mask;
	env_opts.main_core = g_app.opts.main_core;
	env_opts.shm_id = g_app.opts.shm_id;
	rc = spdk_env_init(&env_opts);
	if (rc != 0) {
		SPDK_ERRLOG("cannot start application %s: the cores could not be set up\n",
			    g_app.opts.name);
		return 1;
	}

	rc = reactors_init();
	if (rc != 0) {
		spdk_env_fini();
		return 1;
	}

	g_app.running = true;
	g_app.rc = 0;
	spdk_cpuset_zero(&mask);
	spdk_cpuset_set_cpu(&mask, spdk_env_get_main_core(), true);
	g_app.app_thread = spdk_thread_create("app_thread", &mask);
	if (g_app.app_thread == NULL) {
		SPDK_ERRLOG("cannot create the app thread\n");
		rc = -ENOMEM;
		goto err;
	}
	rc = app_install_signals();
	if (rc != 0) {
		goto err;
	}
	SPDK_NOTICELOG("application %s starting on %u core(s), main core %u\n", g_app.opts.name,
		       spdk_env_get_core_count(), spdk_env_get_main_core());
	spdk_thread_send_msg(g_app.app_thread, app_bootstrap, NULL);

	rc = reactors_run();
	app_restore_signals();
	g_app.running = false;
	if (rc != 0 && g_app.rc == 0) {
		g_app.rc = rc;
	}
	SPDK_INFOLOG(app_config, "application %s stopped with rc %d\n", g_app.opts.name, g_app.rc);
	return g_app.rc;

err:
	app_restore_signals();
	g_app.running = false;
	if (g_app.app_thread != NULL) {
		/* The reactors never ran: release the thread here. */
		spdk_set_thread(g_app.app_thread);
		spdk_thread_exit(g_app.app_thread);
		while (!spdk_thread_is_exited(g_app.app_thread)) {
			spdk_thread_poll(g_app.app_thread, 0, 0);
		}
		spdk_thread_destroy(g_app.app_thread);
		spdk_set_thread(NULL);
		g_app.app_thread = NULL;
	}
	spdk_thread_lib_fini();
	reactors_fini();
	spdk_env_fini();
	return 1;
}

void
spdk_app_fini(void)
{
	if (g_app.running) {
		SPDK_ERRLOG("spdk_app_fini: the application is still running\n");
		return;
	}
	spdk_thread_lib_fini();
	reactors_fini();
	spdk_env_fini();
	g_app.app_thread = NULL;
	spdk_strarray_free(g_rpcs_allowed);
	g_rpcs_allowed = NULL;
	if (g_app.log_opened) {
		spdk_log_close();
		g_app.log_opened = false;
	}
}
