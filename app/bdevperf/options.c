/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * bdevperf's command line: the application options (parsed through
 * spdk_app_parse_args()), their usage text, and the check of the test
 * parameters as a whole, shared by the command line and the perform_tests
 * RPC. Every error is one line on stderr (or the RPC's error message);
 * command-line errors are followed by the usage.
 */

#include "spdk/stdinc.h"
#include "spdk/event.h"
#include "spdk/string.h"
#include "spdk/util.h"

#include "bdevperf.h"

struct bp_opts g_bp_opts = {
	.cli = {.rw_percentage = -1},
	.summarize = true,
	.period_us = SPDK_SEC_TO_USEC,
};

void
bp_usage(void)
{
	printf(" -q <depth>        I/Os each job keeps in flight\n");
	printf(" -o <size>         I/O size in bytes; k and m suffixes allowed (4k, 1m)\n");
	printf(" -w <type>         workload, one of %s\n", bp_workload_list);
	printf(" -t <seconds>      run time\n");
	printf(" -M <percent>      share of reads for rw and randrw (0 = writes only, 100 = reads "
	       "only)\n");
	printf(" -k <seconds>      report I/O outstanding longer than this as timed out (TO/s);\n"
	       "                   0, the default, turns detection off\n");
	printf(" -X                abort timed-out I/O (needs -k)\n");
	printf(" -S <seconds>      print the whole table every <seconds> instead of one\n"
	       "                   progress line a second\n");
	printf(" -P <periods>      with -S, show IOPS as an exponential moving average over\n"
	       "                   <periods> periods (weight 2 / (periods + 1))\n");
	printf(" -T <bdev>         run only on this bdev (default: every bdev nobody claimed)\n");
	printf(" -f                keep going after failed I/O\n");
	printf(" -F <theta>        pick random offsets from a zipf distribution with this theta\n");
	printf(" -D                random workloads use every offset once before any repeats\n");
	printf(" -U                write different data with every write\n");
	printf(" -C                one job per core on every bdev, each on its own slice of it\n");
	printf(" -E                one thread per core shared by its jobs (not with -j)\n");
	printf(" -j <file>         run the jobs of a FIO-like INI job file\n");
	printf(" -l                print latency percentiles after the table; -ll also the\n"
	       "                   full latency histogram\n");
	printf(" -z                start, then wait for the perform_tests RPC to run a test\n"
	       "                   (client: app/bdevperf/bdevperf.py)\n");
	printf(" -J <file>         append the JSON-RPC log to this file\n");
	printf(" -N                open bdevs with their metadata hidden\n");
	printf(" -H                accepted for compatibility: buffers never use hugepages\n");
	printf(" -Z                zero-copy I/O: not available in updk (refused)\n");
}

void
bp_print_usage(void)
{
	spdk_app_usage();
	printf("\nApplication specific:\n");
	bp_usage();
}

/* A positive (or non-negative) int option value; -EINVAL with a message otherwise. */
static int
bp_parse_int(int ch, const char *arg, long long min, int *out)
{
	long long v = spdk_strtoll(arg, 10);

	if (v == -ERANGE || v >= INT_MAX) {
		fprintf(stderr, "Value '%s' of -%c is too large\n", arg, ch);
		return -ERANGE;
	}
	if (v < min) {
		fprintf(stderr, "Invalid value '%s' for -%c: expected %s integer\n", arg, ch,
			min > 0 ? "a positive" : "a non-negative");
		return -EINVAL;
	}
	*out = (int)v;
	return 0;
}

int
bp_parse_io_size(const char *arg, int *out, char *err, size_t errlen)
{
	uint64_t size;

	if (spdk_parse_capacity(arg, &size, NULL) != 0 || size == 0 || size > INT_MAX) {
		snprintf(err, errlen, "Invalid IO size: %s", arg);
		return -EINVAL;
	}
	*out = (int)size;
	return 0;
}

static int
bp_parse_arg_inner(int ch, char *arg)
{
	char err[256];
	int v;

	switch (ch) {
	case 'w':
		if (bp_workload_parse(arg) < 0) {
			fprintf(stderr, "Invalid workload type '%s': must be one of %s\n", arg,
				bp_workload_list);
			return -EINVAL;
		}
		free(g_bp_opts.workload);
		g_bp_opts.workload = bp_xstrdup(arg);
		g_bp_opts.cli.workload = g_bp_opts.workload;
		return 0;
	case 'o':
		if (bp_parse_io_size(arg, &g_bp_opts.cli.io_size, err, sizeof(err)) != 0) {
			fprintf(stderr, "%s\n", err);
			return -EINVAL;
		}
		return 0;
	case 'q':
		return bp_parse_int(ch, arg, 1, &g_bp_opts.cli.queue_depth);
	case 't':
		return bp_parse_int(ch, arg, 1, &g_bp_opts.time_in_sec);
	case 'k':
		return bp_parse_int(ch, arg, 0, &g_bp_opts.timeout_s);
	case 'M':
		if (bp_parse_int(ch, arg, 0, &v) != 0) {
			return -EINVAL;
		}
		if (v > 100) {
			fprintf(stderr, "-M must be a percentage from 0 to 100, not %s\n", arg);
			return -EINVAL;
		}
		g_bp_opts.cli.rw_percentage = v;
		g_bp_opts.mix_specified = true;
		return 0;
	case 'P':
		if (bp_parse_int(ch, arg, 0, &v) != 0) {
			return -EINVAL;
		}
		g_bp_opts.ema_period = (uint64_t)v;
		return 0;
	case 'S':
		if (bp_parse_int(ch, arg, 1, &v) != 0) {
			return -EINVAL;
		}
		g_bp_opts.summarize = false;
		g_bp_opts.period_us = (uint64_t)v * SPDK_SEC_TO_USEC;
		return 0;
	case 'T':
		g_bp_opts.cli.bdev_name = arg;
		return 0;
	case 'F': {
		char *end;

		errno = 0;
		g_bp_opts.zipf_theta = strtod(arg, &end);
		if (errno != 0 || end == arg || *end != '\0' || !(g_bp_opts.zipf_theta > 0) ||
		    g_bp_opts.zipf_theta == 1.0) {
			fprintf(stderr,
				"Illegal zipf theta value %s: expected a number > 0 "
				"other than 1\n",
				arg);
			return -EINVAL;
		}
		return 0;
	}
	case 'j':
		g_bp_opts.job_file = arg;
		return 0;
	case 'J':
		g_bp_opts.rpc_log_name = arg;
		return 0;
	case 'z':
		g_bp_opts.wait_for_tests = true;
		return 0;
	case 'Z':
		fprintf(stderr, "-Z (zero-copy I/O) is not supported: updk's bdev layer has no "
				"zcopy API\n");
		return -ENOTSUP;
	case 'X':
		g_bp_opts.abort = true;
		return 0;
	case 'C':
		g_bp_opts.multithread = true;
		return 0;
	case 'f':
		g_bp_opts.continue_on_failure = true;
		return 0;
	case 'H':
		return 0;
	case 'l':
		g_bp_opts.latency_level++;
		return 0;
	case 'D':
		g_bp_opts.random_map = true;
		return 0;
	case 'E':
		g_bp_opts.thread_per_lcore = true;
		return 0;
	case 'U':
		g_bp_opts.unique_writes = true;
		return 0;
	case 'N':
		g_bp_opts.hide_metadata = true;
		return 0;
	default:
		fprintf(stderr, "Unknown option -%c\n", ch);
		return -EINVAL;
	}
}

int
bp_parse_arg(int ch, char *arg)
{
	int rc = bp_parse_arg_inner(ch, arg);

	if (rc != 0) {
		bp_print_usage();
	}
	return rc;
}

/*
 * Check the test parameters as a whole. Missing ones are fine when
 * allow_missing (-z: perform_tests may still bring them).
 */
int
bp_check_params(bool allow_missing, char *err, size_t errlen)
{
	enum bp_workload w = bp_workload_parse(g_bp_opts.cli.workload);

	err[0] = '\0';
	if (g_bp_opts.job_file == NULL) {
		if (g_bp_opts.cli.queue_depth <= 0 && !allow_missing) {
			snprintf(err, errlen, "Missing -q <depth> (queue depth)");
			return -EINVAL;
		}
		if (g_bp_opts.cli.io_size <= 0 && !allow_missing) {
			snprintf(err, errlen, "Missing -o <size> (I/O size)");
			return -EINVAL;
		}
		if (g_bp_opts.cli.workload == NULL && !allow_missing) {
			snprintf(err, errlen, "Missing -w <type> (workload), one of %s",
				 bp_workload_list);
			return -EINVAL;
		}
	} else if (g_bp_opts.thread_per_lcore) {
		snprintf(err, errlen, "-E cannot be used with a job file (-j)");
		return -EINVAL;
	}
	if (w == BP_WL_ERROR) {
		snprintf(err, errlen, "Invalid workload type '%s': must be one of %s",
			 g_bp_opts.cli.workload, bp_workload_list);
		return -EINVAL;
	}
	if (g_bp_opts.time_in_sec <= 0 && !allow_missing) {
		snprintf(err, errlen, "Missing -t <seconds> (run time)");
		return -EINVAL;
	}
	g_bp_opts.time_us = (uint64_t)g_bp_opts.time_in_sec * SPDK_SEC_TO_USEC;
	if (g_bp_opts.ema_period > 0 && g_bp_opts.summarize) {
		snprintf(err, errlen, "-P option must be specified with -S option");
		return -EINVAL;
	}
	if (g_bp_opts.abort && g_bp_opts.timeout_s == 0) {
		printf("Timeout must be set for abort option, Ignoring g_abort\n");
	}
	if (g_bp_opts.job_file != NULL || w < 0) {
		return 0;
	}
	if ((w == BP_WL_RW || w == BP_WL_RANDRW) &&
	    (g_bp_opts.cli.rw_percentage < 0 || g_bp_opts.cli.rw_percentage > 100)) {
		snprintf(err, errlen, "-M <percent> (0 to 100) is required for rw and randrw");
		return -EINVAL;
	}
	if (w != BP_WL_RW && w != BP_WL_RANDRW && g_bp_opts.mix_specified) {
		fprintf(stderr, "Ignoring -M option... Please use -M option only when using rw or "
				"randrw.\n");
	}
	if (g_bp_opts.random_map && w != BP_WL_RANDREAD && w != BP_WL_RANDWRITE &&
	    w != BP_WL_RANDRW) {
		snprintf(err, errlen, "-D works only with randread, randwrite and randrw");
		return -EINVAL;
	}
	return 0;
}
