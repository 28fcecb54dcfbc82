/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * bdevperf's results: per-job statistics computed from the I/O counters and
 * the bdev layer's latency histograms, and the text SPDK's bdevperf prints
 * (the table with its fixed column widths, the job lines, the separator and
 * Total row, the one-line progress display, and the -l/-ll latency summary
 * and histogram), and the per-job JSON of the perform_tests result. Users
 * compare this output across tools character by character, so every width
 * here is part of the interface.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/json.h"
#include "spdk/util.h"

#include "bdevperf.h"

/* Percentile cutoffs of the -l summary, as fractions; ends with a negative. */
static const double g_cutoffs[] = {
	0.01, 0.10,  0.25,  0.50,   0.75,    0.90,     0.95,      0.98,
	0.99, 0.995, 0.999, 0.9999, 0.99999, 0.999999, 0.9999999, -1,
};

struct latency_sum {
	uint64_t total;
	uint64_t min;
	uint64_t max;
};

static void
latency_sum_cb(void *ctx, uint64_t start, uint64_t end, uint64_t count, uint64_t total,
	       uint64_t so_far)
{
	struct latency_sum *ls = ctx;

	if (count == 0) {
		return;
	}
	ls->total += (start + end) / 2 * count;
	if (so_far == count) {
		ls->min = start;
	}
	if (so_far == total) {
		ls->max = end;
	}
}

static double
ticks_to_us(uint64_t ticks)
{
	return (double)ticks * SPDK_SEC_TO_USEC / (double)spdk_get_ticks_hz();
}

void
bp_job_stats(struct bp_job *job, const struct spdk_histogram_data *hist, uint64_t time_us,
	     uint64_t ema_period, uint64_t period_us, struct bp_stats *st)
{
	struct latency_sum ls = {};
	double iops = 0;

	memset(st, 0, sizeof(*st));
	if (ema_period != 0 && period_us != 0) {
		double cur = (double)(job->io_completed - job->prev_io_completed) *
			     SPDK_SEC_TO_USEC / (double)period_us;

		job->prev_io_completed = job->io_completed;
		job->ema_iops += (cur - job->ema_iops) * 2 / (double)(ema_period + 1);
		iops = job->ema_iops;
	} else if (time_us != 0) {
		iops = (double)job->io_completed * SPDK_SEC_TO_USEC / (double)time_us;
	}
	if (hist != NULL) {
		spdk_histogram_data_iterate(hist, latency_sum_cb, &ls);
	}

	st->run_s = (double)time_us / SPDK_SEC_TO_USEC;
	st->iops = iops;
	st->mibps = iops * job->io_size / (1024 * 1024);
	if (time_us != 0) {
		st->fail_per_s = (double)job->io_failed * SPDK_SEC_TO_USEC / (double)time_us;
		st->timeout_per_s = (double)job->io_timeout * SPDK_SEC_TO_USEC / (double)time_us;
	}
	st->io_count = job->io_completed + job->io_failed;
	st->latency_ticks = ls.total;
	if (st->io_count != 0) {
		st->avg_us = ticks_to_us(ls.total) / (double)st->io_count;
	}
	st->min_us = ticks_to_us(ls.min);
	st->max_us = ticks_to_us(ls.max);
}

void
bp_stats_init_total(struct bp_stats *total)
{
	memset(total, 0, sizeof(*total));
	total->min_us = (double)UINT64_MAX;
}

void
bp_stats_add(struct bp_stats *total, const struct bp_stats *st)
{
	total->iops += st->iops;
	total->mibps += st->mibps;
	total->fail_per_s += st->fail_per_s;
	total->timeout_per_s += st->timeout_per_s;
	total->io_count += st->io_count;
	total->latency_ticks += st->latency_ticks;
	if (st->min_us < total->min_us) {
		total->min_us = st->min_us;
	}
	if (st->max_us > total->max_us) {
		total->max_us = st->max_us;
	}
}

bool
bp_job_failed(const struct bp_job *job)
{
	return job->removed || job->failed ||
	       (job->io_failed > 0 && !job->reset && !job->continue_on_failure);
}

const char *
bp_job_core_mask(const struct bp_job *job)
{
	return job->core_mask;
}

void
bp_print_table_header(bool leading_blank)
{
	printf("%s%*s\n", leading_blank ? "\n" : "", 107, "Latency(us)");
	printf("\r %-*s: %10s %10s %10s %10s %8s %10s %10s %10s\n", 28, "Device Information",
	       "runtime(s)", "IOPS", "MiB/s", "Fail/s", "TO/s", "Average", "min", "max");
}

void
bp_print_job(const struct bp_job *job, const struct bp_stats *st)
{
	if (job->workload == BP_WL_RW || job->workload == BP_WL_RANDRW) {
		printf("Job: %s (Core Mask 0x%s, workload: %s, percentage: %u, depth: %u, "
		       "IO size: %d)\n",
		       job->name, bp_job_core_mask(job), bp_workload_name(job->workload),
		       job->rw_percentage, job->queue_depth, job->io_size);
	} else {
		printf("Job: %s (Core Mask 0x%s, workload: %s, depth: %u, IO size: %d)\n",
		       job->name, bp_job_core_mask(job), bp_workload_name(job->workload),
		       job->queue_depth, job->io_size);
	}
	if (bp_job_failed(job)) {
		printf("Job: %s ended in about %.2f seconds with error\n", job->name,
		       (double)job->run_time_us / SPDK_SEC_TO_USEC);
	}
	if (job->verify) {
		printf("\t Verification LBA range: start 0x%" PRIx64 " length 0x%" PRIx64 "\n",
		       job->ios_base, job->size_in_ios);
	}
	printf("\t %-20s: %10.2f %10.2f %10.2f %10.2f %8.2f %10.2f %10.2f %10.2f\n", job->name,
	       st->run_s, st->iops, st->mibps, st->fail_per_s, st->timeout_per_s, st->avg_us,
	       st->min_us, st->max_us);
}

static void
print_separator(void)
{
	char line[116];

	memset(line, '=', 115);
	line[115] = '\0';
	printf("\r %s\n", line);
}

void
bp_print_total(const struct bp_stats *total)
{
	double avg = 0, min = total->min_us;

	if (total->io_count != 0) {
		avg = ticks_to_us(total->latency_ticks) / (double)total->io_count;
	}
	if (min == (double)UINT64_MAX) {
		min = 0;
	}
	print_separator();
	printf("\r %-28s: %10s %10.2f %10.2f %10.2f %8.2f %10.2f %10.2f %10.2f\n", "Total", "",
	       total->iops, total->mibps, total->fail_per_s, total->timeout_per_s, avg, min,
	       total->max_us);
}

void
bp_print_progress(const struct bp_stats *total)
{
	printf("%12.2f IOPS, %8.2f MiB/s\r", total->iops, total->mibps);
	fflush(stdout);
}

static void
cutoff_cb(void *ctx, uint64_t start, uint64_t end, uint64_t count, uint64_t total, uint64_t so_far)
{
	const double **cutoff = ctx;
	double pct;

	if (count == 0) {
		return;
	}
	pct = (double)so_far / (double)total;
	while (**cutoff > 0 && pct >= **cutoff) {
		printf("%9.5f%% : %9.3fus\n", **cutoff * 100, ticks_to_us(end));
		(*cutoff)++;
	}
}

static void
bucket_cb(void *ctx, uint64_t start, uint64_t end, uint64_t count, uint64_t total, uint64_t so_far)
{
	if (count == 0) {
		return;
	}
	printf("%9.3f - %9.3f: %9.4f%%  (%9ju)\n", ticks_to_us(start), ticks_to_us(end),
	       (double)so_far * 100 / (double)total, (uintmax_t)count);
}

static void
print_job_banner(const struct bp_job *job)
{
	printf("\r =============================================\n");
	printf("\r Job: %s (Core Mask 0x%s)\n", job->name, bp_job_core_mask(job));
}

void
bp_print_latency(struct bp_job_list *jobs, int level)
{
	struct bp_job *job;

	if (level < 1) {
		return;
	}
	printf("\n Latency summary\n");
	TAILQ_FOREACH (job, jobs, link) {
		const double *cutoff = g_cutoffs;

		print_job_banner(job);
		if (job->histogram != NULL) {
			spdk_histogram_data_iterate(job->histogram, cutoff_cb, &cutoff);
		}
		printf("\n");
	}
	if (level < 2) {
		return;
	}
	printf("\r Latency histogram\n");
	TAILQ_FOREACH (job, jobs, link) {
		print_job_banner(job);
		if (job->histogram != NULL) {
			spdk_histogram_data_iterate(job->histogram, bucket_cb, NULL);
		}
		printf("\n");
	}
}

void
bp_json_job(struct spdk_json_write_ctx *w, const struct bp_job *job, const struct bp_stats *st,
	    bool terminated)
{
	char mask[sizeof(job->core_mask) + 2];

	snprintf(mask, sizeof(mask), "0x%s", job->core_mask);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "job", job->name);
	spdk_json_write_named_string(w, "core_mask", mask);
	spdk_json_write_named_string(w, "workload", bp_workload_name(job->workload));
	if (job->workload == BP_WL_RW || job->workload == BP_WL_RANDRW) {
		spdk_json_write_named_uint32(w, "percentage", job->rw_percentage);
	}
	if (terminated) {
		spdk_json_write_named_string(w, "status", "terminated");
	} else if (bp_job_failed(job)) {
		spdk_json_write_named_string(w, "status", "failed");
	} else {
		spdk_json_write_named_string(w, "status", "finished");
	}
	if (job->verify) {
		spdk_json_write_named_object_begin(w, "verify_range");
		spdk_json_write_named_uint64(w, "start", job->ios_base);
		spdk_json_write_named_uint64(w, "length", job->size_in_ios);
		spdk_json_write_object_end(w);
	}
	spdk_json_write_named_uint32(w, "queue_depth", job->queue_depth);
	spdk_json_write_named_uint32(w, "io_size", (uint32_t)job->io_size);
	spdk_json_write_named_double(w, "runtime", st->run_s);
	spdk_json_write_named_double(w, "iops", st->iops);
	spdk_json_write_named_double(w, "mibps", st->mibps);
	spdk_json_write_named_uint64(w, "io_failed", job->io_failed);
	spdk_json_write_named_uint64(w, "io_timeout", job->io_timeout);
	spdk_json_write_named_double(w, "avg_latency_us", st->avg_us);
	spdk_json_write_named_double(w, "min_latency_us", st->min_us);
	spdk_json_write_named_double(w, "max_latency_us", st->max_us);
	spdk_json_write_object_end(w);
}
