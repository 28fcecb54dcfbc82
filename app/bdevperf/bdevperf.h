/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * Declarations shared by the three parts of bdevperf: the engine and command
 * line (bdevperf.c), the job configurations and the INI job file
 * (job_config.c), and the statistics and result printing (output.c). Nothing
 * here is installed; bdevperf is a program, not a library.
 */

#ifndef BDEVPERF_H
#define BDEVPERF_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/cpuset.h"
#include "spdk/histogram_data.h"
#include "spdk/queue.h"
#include "spdk/thread.h"

/* Longest bdev name list of one job file entry. */
#define BP_MAX_FILENAME 1024
/* Period of the reset workload's resets, in seconds. */
#define BP_RESET_PERIOD_S 10

/* The workloads, in the order of their names in the usage text. */
enum bp_workload {
	BP_WL_READ = 0,     /* sequential reads */
	BP_WL_WRITE,        /* sequential writes */
	BP_WL_RANDREAD,     /* random reads */
	BP_WL_RANDWRITE,    /* random writes */
	BP_WL_RW,           /* sequential, -M percent reads */
	BP_WL_RANDRW,       /* random, -M percent reads */
	BP_WL_VERIFY,       /* write a pattern, read it back, compare */
	BP_WL_RESET,        /* verify plus a bdev reset every BP_RESET_PERIOD_S */
	BP_WL_UNMAP,        /* sequential unmaps */
	BP_WL_FLUSH,        /* sequential flushes */
	BP_WL_WRITE_ZEROES, /* sequential write zeroes */
	BP_WL_COUNT,        /* number of workloads */
	BP_WL_UNSET = -1,   /* not given (job file [global] sections) */
	BP_WL_ERROR = -2    /* an unknown name */
};

/* One job configuration: a command line job, or one section of a -j file. */
struct bp_job_config {
	/* Section name (-j) or bdev name. */
	char *name;
	/* Bdev names separated by ':'. */
	char *filename;
	/* Cores the job's thread may run on; empty means every core. */
	struct spdk_cpuset cpumask;
	/* Core of the shared thread with -E. */
	uint32_t lcore;
	/* I/O size in bytes. */
	int bs;
	/* Queue depth. */
	int iodepth;
	/* Read percentage of rw and randrw. */
	int rwmixread;
	/* First block and number of blocks of the job's range; length 0 = all. */
	uint64_t offset;
	uint64_t length;
	enum bp_workload rw;
	TAILQ_ENTRY(bp_job_config) link;
};

TAILQ_HEAD(bp_job_config_list, bp_job_config);

/* Values from the command line (or perform_tests) that job configs start from. */
struct bp_cli {
	const char *workload;  /* -w, or NULL */
	int io_size;           /* -o, 0 when unset */
	int queue_depth;       /* -q, 0 when unset */
	int rw_percentage;     /* -M, -1 when unset */
	const char *bdev_name; /* -T, or NULL */
};

/* Zipf distribution over [0, n) (Gray et al., "Quickly generating
 * billion-record synthetic databases", SIGMOD 1994). */
struct bp_zipf {
	uint64_t n;
	double theta;
	double alpha;
	double zetan;
	double eta;
	uint64_t seed;
};

/* The command line (and what perform_tests changes). */
struct bp_opts {
	struct bp_cli cli;
	/* Owned copy of the workload name cli.workload points to. */
	char *workload;
	int time_in_sec;
	uint64_t time_us;
	/* -k, seconds; 0 = off. */
	int timeout_s;
	/* -M was given. */
	bool mix_specified;
	bool continue_on_failure;
	bool abort;
	bool wait_for_tests;
	bool multithread;
	bool random_map;
	bool unique_writes;
	bool hide_metadata;
	bool thread_per_lcore;
	double zipf_theta;
	const char *job_file;
	const char *rpc_log_name;
	FILE *rpc_log;
	/* -l count. */
	int latency_level;
	/* No -S: a one-line progress display. */
	bool summarize;
	uint64_t period_us;
	/* -P. */
	uint64_t ema_period;
};

extern struct bp_opts g_bp_opts;

/* The hot path a job can take (see bp_io_done()). */
enum bp_fast {
	BP_FAST_NONE = 0, /* anything beyond plain reads or writes */
	BP_FAST_READ,     /* reads only, uniform random or sequential offsets */
	BP_FAST_WRITE,    /* writes only, likewise */
};

struct bp_job;

/* One I/O slot of a job; preallocated, never freed during a run. */
struct bp_task {
	struct bp_job *job;
	/* Data buffer: the write source, the read destination. */
	void *buf;
	/* Separate metadata buffer, or NULL. */
	void *md_buf;
	/* Read-back buffers of verify and reset. */
	void *verify_buf;
	void *verify_md_buf;
	uint64_t offset_blocks;
	enum spdk_bdev_io_type io_type;
	/* Task whose I/O an abort targets. */
	struct bp_task *abort_target;
	/* Next free task of the job. */
	struct bp_task *next_free;
	struct spdk_bdev_io_wait_entry wait;
};

/* Results of a job, computed when it is printed. */
struct bp_stats {
	double run_s;
	double iops;
	double mibps;
	double fail_per_s;
	double timeout_per_s;
	double avg_us;
	double min_us;
	double max_us;
	/* Completed plus failed I/O, and the sum of their latencies in ticks. */
	uint64_t io_count;
	uint64_t latency_ticks;
};

/*
 * A job: one bdev driven from one spdk_thread. The fields of the first block
 * are touched on every I/O, only by the job's thread; the rest is set up on
 * the main thread before the job starts and read there after it ended.
 */
struct bp_job {
	/* ---- hot: the job's thread, every I/O ---- */
	struct spdk_bdev_desc *desc;
	struct spdk_io_channel *ch;
	uint64_t seed;
	uint64_t size_in_ios;
	uint64_t ios_base;
	uint64_t io_size_blocks;
	uint64_t next_seq;
	uint64_t io_completed;
	uint64_t io_failed;
	uint64_t io_timeout;
	struct bp_task *free_tasks;
	uint32_t current_qd;
	/* Percentage of reads (0..100). */
	uint32_t rw_percentage;
	bool is_random;
	bool verify;
	bool reset;
	bool draining;
	/* job_run ran / the job ended (its channel is gone). */
	bool started;
	bool ended;
	enum bp_fast fast;
	bool continue_on_failure;
	bool abort;
	bool unique_writes;
	enum spdk_bdev_io_type fixed_type; /* unmap, flush, write_zeroes, or INVALID */
	struct bp_zipf *zipf;
	/* One bit per I/O slot of the range: in flight (verify) or used (-D). */
	uint64_t *outstanding;
	uint64_t *random_map;
	uint64_t random_map_used;
	uint64_t write_count;

	/* ---- cold ---- */
	char *name;
	struct spdk_bdev *bdev;
	struct spdk_thread *thread;
	enum bp_workload workload;
	int io_size;
	uint32_t queue_depth;
	uint32_t block_size;
	uint32_t data_block_size;
	uint32_t md_size;
	bool md_interleaved;
	bool md_check;
	uint64_t buf_size;
	uint64_t md_buf_size;
	struct bp_task *tasks;
	uint32_t task_count;
	/* One block holding every buffer of the tasks. */
	void *buf_block;
	struct spdk_poller *run_timer;
	struct spdk_poller *reset_timer;
	/* The thread's core mask as spdk_cpuset_fmt() prints it. */
	char core_mask[SPDK_CPUSET_SIZE / 4 + 1];
	/* The bdev was removed during the run. */
	bool removed;
	/* The job ended with an error that fails the run. */
	bool failed;
	/* Time from the test start to the job's drain. */
	uint64_t run_time_us;
	/* The channel's latency histogram, kept when the channel goes. */
	struct spdk_histogram_data *histogram;
	/* EMA of the IOPS display (-P) and its previous count. */
	double ema_iops;
	uint64_t prev_io_completed;
	TAILQ_ENTRY(bp_job) link;
} __attribute__((aligned(64)));

TAILQ_HEAD(bp_job_list, bp_job);

/* job_config.c */
const char *bp_workload_name(enum bp_workload w);
enum bp_workload bp_workload_parse(const char *s);
/* The list of workload names, as the usage shows it. */
extern const char *const bp_workload_list;
int bp_job_file_read(const char *path, const struct bp_cli *cli, struct bp_job_config_list *list,
		     char *err, size_t errlen);
int bp_job_config_add(struct bp_job_config_list *list, const char *bdev_name,
		      const struct bp_cli *cli, uint32_t lcore, uint64_t offset, uint64_t length);
void bp_job_config_list_free(struct bp_job_config_list *list);
int bp_zipf_init(struct bp_zipf *z, uint64_t n, double theta, uint64_t seed);
uint64_t bp_zipf_next(struct bp_zipf *z);

/* output.c */
void bp_job_stats(struct bp_job *job, const struct spdk_histogram_data *hist, uint64_t time_us,
		  uint64_t ema_period, uint64_t period_us, struct bp_stats *st);
void bp_stats_add(struct bp_stats *total, const struct bp_stats *st);
void bp_stats_init_total(struct bp_stats *total);
void bp_print_table_header(bool leading_blank);
void bp_print_job(const struct bp_job *job, const struct bp_stats *st);
void bp_print_total(const struct bp_stats *total);
void bp_print_progress(const struct bp_stats *total);
void bp_print_latency(struct bp_job_list *jobs, int level);
bool bp_job_failed(const struct bp_job *job);
const char *bp_job_core_mask(const struct bp_job *job);
struct spdk_json_write_ctx;
void bp_json_job(struct spdk_json_write_ctx *w, const struct bp_job *job, const struct bp_stats *st,
		 bool terminated);

/* options.c */
void bp_usage(void);
void bp_print_usage(void);
int bp_parse_arg(int ch, char *arg);
int bp_parse_io_size(const char *arg, int *out, char *err, size_t errlen);
int bp_check_params(bool allow_missing, char *err, size_t errlen);

/* xmalloc family: bdevperf is a tool and aborts when memory runs out. */
void *bp_xcalloc(size_t n, size_t size);
char *bp_xstrdup(const char *s);

#endif /* BDEVPERF_H */
