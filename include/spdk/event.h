/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The application framework: spdk_app_start() turns the calling process into
 * an SPDK application. It starts one reactor (a pinned pthread polling
 * lightweight threads) per core of the core mask, creates the app thread on
 * the main core, loads the JSON configuration, initialises the subsystems,
 * serves JSON-RPC and calls the application's start function; it returns once
 * spdk_app_stop() has shut everything down. Also the standard command line
 * (spdk_app_parse_args()) and lcore-addressed events.
 *
 * Unlike SPDK's reactors, updk's reactors sleep when all of their threads are
 * idle, so an idle application uses almost no CPU (see updk/event.h for the
 * tunables).
 */

#ifndef SPDK_EVENT_H
#define SPDK_EVENT_H

#include "spdk/stdinc.h"
#include "spdk/cpuset.h"
#include "spdk/init.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/thread.h"
#include "spdk/util.h"

#include <getopt.h>

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Function run by an event on the reactor of its core.
 *
 * \param arg1 First argument given to spdk_event_allocate().
 * \param arg2 Second argument given to spdk_event_allocate().
 */
typedef void (*spdk_event_fn)(void *arg1, void *arg2);

/** A function call addressed to the reactor of one core. */
struct spdk_event;

/** Called on SIGINT or SIGTERM instead of spdk_app_stop(0). */
typedef void (*spdk_app_shutdown_cb)(void);

/** A signal handler. */
typedef void (*spdk_sighandler_t)(int signal);

/**
 * Options of spdk_app_start(). Fill with spdk_app_opts_init() first, then set
 * the fields you need. The layout is SPDK's (packed, 253 bytes), so programs
 * built against either header agree on it. Fields that only make sense with
 * DPDK are accepted and ignored, as noted on each.
 */
struct spdk_app_opts {
	/** Name of the application; required (used in log messages). */
	const char *name;
	/** JSON configuration file to load before start_fn runs, or NULL. */
	const char *json_config_file;
	/** Keep starting when entries of the JSON configuration fail. */
	bool json_config_ignore_errors;
	/** Reserved. */
	uint8_t reserved17[7];
	/**
	 * Path of the Unix socket of the JSON-RPC server (default
	 * SPDK_DEFAULT_RPC_ADDR), or NULL for no RPC server.
	 */
	const char *rpc_addr;
	/** Reactor cores: a hex mask ("0x3") or a list ("[0,1]"); NULL means "0x1". */
	const char *reactor_mask;
	/** Trace point groups. Ignored: updk has no trace buffers. */
	const char *tpoint_group_mask;
	/** Shared-memory id. Only reported by spdk_app_get_shm_id(). */
	int shm_id;
	/** Reserved. */
	uint8_t reserved52[4];
	/** Called on SIGINT/SIGTERM; NULL means spdk_app_stop(0). */
	spdk_app_shutdown_cb shutdown_cb;
	/** Raise RLIMIT_CORE to its maximum at start (default true). */
	bool enable_coredump;
	/** Reserved. */
	uint8_t reserved65[3];
	/** Memory channels. Ignored. */
	int mem_channel;
	/** The main core (must be in reactor_mask), or -1 for the first one. */
	int main_core;
	/** Memory size in MiB. Ignored: updk allocates on demand. */
	int mem_size;
	/** Disable PCI. Ignored: updk never touches PCI. */
	bool no_pci;
	/** Hugepage option. Ignored. */
	bool hugepage_single_segments;
	/** Hugepage option. Ignored. */
	bool unlink_hugepage;
	/** Run without hugepages. Ignored: updk never uses hugetlbfs. */
	bool no_huge;
	/** Reserved. */
	uint8_t reserved84[4];
	/** Hugetlbfs mount point. Ignored. */
	const char *hugedir;
	/** Threshold of log messages printed to stderr (default SPDK_LOG_INFO). */
	enum spdk_log_level print_level;
	/** Reserved. */
	uint8_t reserved100[4];
	/** Number of entries of pci_blocked or pci_allowed. Ignored. */
	size_t num_pci_addr;
	/** PCI devices not to use. Ignored. */
	struct spdk_pci_addr *pci_blocked;
	/** PCI devices to use. Ignored. */
	struct spdk_pci_addr *pci_allowed;
	/** DPDK IOVA mode. Ignored. */
	const char *iova_mode;
	/**
	 * Start only the RPC server and wait for the framework_start_init method
	 * before initialising the subsystems and calling start_fn.
	 */
	bool delay_subsystem_init;
	/** Reserved. */
	uint8_t reserved137[7];
	/** Trace entries per core. Ignored. */
	uint64_t num_entries;
	/** Context of the env implementation. Ignored. */
	void *env_context;
	/** Log sink passed to spdk_log_open(), or NULL for stderr. */
	spdk_log_cb *log;
	/** DPDK base virtual address. Ignored. */
	uint64_t base_virtaddr;
	/**
	 * sizeof(struct spdk_app_opts) as the caller knew it; set by
	 * spdk_app_opts_init(). Fields beyond it take their defaults.
	 */
	size_t opts_size;
	/** Do not install the SIGINT/SIGTERM handlers. */
	bool disable_signal_handlers;
	/** SPDK's interrupt mode. Ignored: updk's reactors always sleep when idle. */
	bool interrupt_mode;
	/** NUMA enforcement. Ignored. */
	bool enforce_numa;
	/** Reserved. */
	uint8_t reserved187[1];
	/** Trace threads. Ignored. */
	uint32_t num_trace_threads;
	/** Size of the message pool. Accepted; updk needs no message pool. */
	size_t msg_mempool_size;
	/** NULL-terminated list of the only RPC methods to allow, or NULL for all. */
	const char **rpc_allowlist;
	/** VFIO VF token. Ignored. */
	const char *vf_token;
	/** DPDK lcore map. Refused: spdk_app_start() fails when it is set. */
	const char *lcore_map;
	/** Level of the JSON-RPC request log. Ignored. */
	enum spdk_log_level rpc_log_level;
	/** File of the JSON-RPC request log. Ignored. */
	FILE *rpc_log_file;
	/** A JSON configuration held in memory (instead of json_config_file). */
	void *json_data;
	/** Size in bytes of json_data. */
	size_t json_data_size;
	/** Do not lock the cores. Accepted; updk takes no core locks. */
	bool disable_cpumask_locks;
} __attribute__((packed));
SPDK_STATIC_ASSERT(sizeof(struct spdk_app_opts) == 253, "spdk_app_opts must keep SPDK's layout");

/**
 * Fill \p opts with the defaults: name NULL, rpc_addr SPDK_DEFAULT_RPC_ADDR,
 * shm_id -1, mem_channel -1, main_core -1, mem_size -1, enable_coredump true,
 * print_level SPDK_LOG_INFO, everything else zero, and opts_size =
 * \p opts_size. Only the fields that fit within \p opts_size are written.
 *
 * \param opts Options to fill. NULL is refused with an error log.
 * \param opts_size sizeof(*opts); 0 is refused with an error log.
 */
void spdk_app_opts_init(struct spdk_app_opts *opts, size_t opts_size);

/**
 * Start the framework and block until it has stopped.
 *
 * Sets the log print level, chooses the cores (env), starts one reactor per
 * core (the main core's on the calling pthread, which is pinned to it until
 * this call returns), creates the app thread "app_thread" on the main core,
 * installs the SIGINT/SIGTERM handlers (and ignores SIGPIPE), then on the app
 * thread: reads the JSON configuration and replays its startup methods,
 * starts the RPC server, initialises the subsystems, replays the runtime
 * methods, and calls \p start_fn(\p ctx). A failure at any of these steps is
 * logged once (naming the file, the entry and the problem) and stops the
 * application with a non-zero rc, unless json_config_ignore_errors is set
 * for configuration errors.
 *
 * Only one application may run in a process at a time. Call spdk_app_fini()
 * after it returns.
 *
 * \param opts Options from spdk_app_opts_init(); name must be set.
 * \param start_fn Called on the app thread once the application is up.
 * \param ctx Passed to \p start_fn.
 * \return the rc given to spdk_app_stop() (the first non-zero one), or a
 * non-zero value when the application could not start (bad options, a core
 * that cannot be used, a bad configuration, an RPC socket in use) or when
 * shutdown had to force threads out after the shutdown timeout.
 */
int spdk_app_start(struct spdk_app_opts *opts, spdk_msg_fn start_fn, void *ctx);

/**
 * Release what spdk_app_start() set up: the thread library, the env's core
 * set and the log sink. Call after spdk_app_start() returned.
 */
void spdk_app_fini(void);

/**
 * Start the shutdown, as SIGINT/SIGTERM do: call the shutdown_cb of the
 * options on the app thread, or spdk_app_stop(0) when there is none. Safe
 * from any thread and from signal handlers; only the first call has an
 * effect.
 */
void spdk_app_start_shutdown(void);

/**
 * Stop the application: on the app thread, stop the RPC server, finish the
 * subsystems in reverse order of their initialisation, ask every thread to
 * exit, and stop the reactors; spdk_app_start() then returns. May be called
 * from any thread, SPDK or not; it returns before the shutdown happens.
 *
 * A thread that does not exit within the thread exit timeout is reported by
 * name with what it still holds and forced out; if the whole shutdown takes
 * longer than the shutdown timeout (updk/event.h), it is abandoned and
 * spdk_app_start() returns a non-zero rc.
 *
 * \param rc Returned by spdk_app_start(). The first non-zero rc wins; a
 * non-zero rc logs a warning, a repeated call a notice.
 */
void spdk_app_stop(int rc);

/** \return the shm_id of the running application's options. */
int spdk_app_get_shm_id(void);

/**
 * Parse a core mask (hex mask or list) into \p cpumask, keeping only cores the
 * running application uses (all of the process's CPUs before spdk_app_start()).
 *
 * \return 0 on success; -1 when the text cannot be parsed or an argument is NULL.
 */
int spdk_app_parse_core_mask(const char *mask, struct spdk_cpuset *cpumask);

/** \return the cores the reactors run on (empty before spdk_app_start()). */
const struct spdk_cpuset *spdk_app_get_core_mask(void);

/** The short options spdk_app_parse_args() handles itself. */
#define SPDK_APP_GETOPT_STRING "c:de:ghi:m:n:p:r:s:uvA:B:L:RW:"

/** Results of spdk_app_parse_args(). */
enum spdk_app_parse_args_rvals {
	/** -h or -v was given and handled; exit with status 0. */
	SPDK_APP_PARSE_ARGS_HELP = 0,
	/** The options were parsed; go on to spdk_app_start(). */
	SPDK_APP_PARSE_ARGS_SUCCESS = 1,
	/** An option was wrong (an error was printed); exit with a failure status. */
	SPDK_APP_PARSE_ARGS_FAIL = 2
};
/** The type spdk_app_parse_args() returns. */
typedef enum spdk_app_parse_args_rvals spdk_app_parse_args_rvals_t;

/**
 * Parse the standard options (-c/--json, -m, -r, --no-rpc-server, -L,
 * --wait-for-rpc, --json-ignore-init-errors, --silence-noticelog, -p, -i, -h,
 * -v, ...) into \p opts, and hand the application's own options to \p parse.
 * Options that only make sense with DPDK (-s, -n, -g, -u, -R, --no-huge,
 * --huge-dir, --iova-mode, -A, -B, ...) are accepted and ignored, with one
 * notice listing them.
 *
 * \param argc, argv The command line.
 * \param opts Options from spdk_app_opts_init(); receives the result.
 * \param app_getopt_str The application's short options, or NULL. A letter the
 * framework already uses is refused ("Duplicated option").
 * \param app_long_opts The application's long options, or NULL.
 * \param parse Called as parse(ch, optarg) for each application option; a
 * non-zero return fails the parse. Required when app_getopt_str or
 * app_long_opts is given.
 * \param usage Prints the application's options under "Application
 * specific:", or NULL.
 * \return SPDK_APP_PARSE_ARGS_SUCCESS, SPDK_APP_PARSE_ARGS_HELP after -h/-v, or
 * SPDK_APP_PARSE_ARGS_FAIL.
 */
spdk_app_parse_args_rvals_t spdk_app_parse_args(int argc, char **argv, struct spdk_app_opts *opts,
						const char *app_getopt_str,
						const struct option *app_long_opts,
						int (*parse)(int ch, char *arg),
						void (*usage)(void));

/** Print the standard options to stdout. Valid after spdk_app_parse_args(). */
void spdk_app_usage(void);

/**
 * Allocate an event that runs \p fn(\p arg1, \p arg2) on the reactor of
 * \p lcore, outside any SPDK thread.
 *
 * \return the event, to pass to spdk_event_call(); NULL (with an error log)
 * when \p lcore has no reactor, \p fn is NULL or memory runs out.
 */
struct spdk_event *spdk_event_allocate(uint32_t lcore, spdk_event_fn fn, void *arg1, void *arg2);

/**
 * Queue \p event on its reactor; it runs later, even when that is the calling
 * reactor, and is freed after it ran. May be called from any thread.
 */
void spdk_event_call(struct spdk_event *event);

/** Accepted for compatibility; updk has no context switch monitor. */
void spdk_framework_enable_context_switch_monitor(bool enabled);

/** \return false: updk has no context switch monitor. */
bool spdk_framework_context_switch_monitor_enabled(void);

/**
 * Set up tracing. updk has no trace buffers.
 *
 * \return 0.
 */
int spdk_app_setup_trace(struct spdk_app_opts *opts);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_EVENT_H */
