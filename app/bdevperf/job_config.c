/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * bdevperf's job configurations: the workload names, the jobs built from the
 * command line, and the FIO-like INI job file of -j. A job file has a
 * [global] section and named job sections; each line is "key=value" (or
 * "key value"), '#' and ';' start comments. The keys:
 *
 *   key        value                                   default
 *   filename   bdev names separated by ':'             required in a job
 *   cpumask    core mask or list of the job's thread   every core
 *   bs         I/O size in bytes (k, m suffixes)       required
 *   iodepth    queue depth                             required
 *   rwmixread  read percentage of rw and randrw        50
 *   offset     first block of the job's range          0
 *   length     blocks in the range (0 = to the end)    0
 *   rw         workload                                required
 *
 * A [global] section sets the defaults of the job sections after it, and a
 * new [global] starts again from the built-in defaults. Values given on the
 * command line (-w, -o, -q, -M, -T) override the [global] sections. Also the
 * zipf generator of -F, which lives here because it is set up with the jobs.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/string.h"
#include "spdk/util.h"

/* pow() for the zipf generator; spdk/stdinc.h has no math header. */
#include <math.h>

#include "bdevperf.h"

/* ---- allocation ---- */

void *
bp_xcalloc(size_t n, size_t size)
{
	void *p = calloc(n == 0 ? 1 : n, size == 0 ? 1 : size);

	if (p == NULL) {
		fprintf(stderr, "bdevperf: out of memory\n");
		abort();
	}
	return p;
}

char *
bp_xstrdup(const char *s)
{
	char *p = strdup(s);

	if (p == NULL) {
		fprintf(stderr, "bdevperf: out of memory\n");
		abort();
	}
	return p;
}

/* ---- workloads ---- */

static const char *const g_workload_names[BP_WL_COUNT] = {
	[BP_WL_READ] = "read",
	[BP_WL_WRITE] = "write",
	[BP_WL_RANDREAD] = "randread",
	[BP_WL_RANDWRITE] = "randwrite",
	[BP_WL_RW] = "rw",
	[BP_WL_RANDRW] = "randrw",
	[BP_WL_VERIFY] = "verify",
	[BP_WL_RESET] = "reset",
	[BP_WL_UNMAP] = "unmap",
	[BP_WL_FLUSH] = "flush",
	[BP_WL_WRITE_ZEROES] = "write_zeroes",
};

const char *const bp_workload_list =
	"(read, write, randread, randwrite, rw, randrw, verify, reset, unmap, flush, write_zeroes)";

const char *
bp_workload_name(enum bp_workload w)
{
	if (w < 0 || w >= BP_WL_COUNT) {
		return "unknown";
	}
	return g_workload_names[w];
}

enum bp_workload
bp_workload_parse(const char *s)
{
	int i;

	if (s == NULL) {
		return BP_WL_UNSET;
	}
	for (i = 0; i < BP_WL_COUNT; i++) {
		if (strcmp(s, g_workload_names[i]) == 0) {
			return (enum bp_workload)i;
		}
	}
	return BP_WL_ERROR;
}

/* ---- command line jobs ---- */

int
bp_job_config_add(struct bp_job_config_list *list, const char *bdev_name, const struct bp_cli *cli,
		  uint32_t lcore, uint64_t offset, uint64_t length)
{
	struct bp_job_config *cfg;
	enum bp_workload rw = bp_workload_parse(cli->workload);

	if (rw < 0) {
		return -EINVAL;
	}
	cfg = bp_xcalloc(1, sizeof(*cfg));
	cfg->name = bp_xstrdup(bdev_name);
	cfg->filename = bp_xstrdup(bdev_name);
	cfg->lcore = lcore;
	spdk_cpuset_zero(&cfg->cpumask);
	spdk_cpuset_set_cpu(&cfg->cpumask, lcore, true);
	cfg->bs = cli->io_size;
	cfg->iodepth = cli->queue_depth;
	cfg->rwmixread = cli->rw_percentage;
	cfg->offset = offset;
	cfg->length = length;
	cfg->rw = rw;
	TAILQ_INSERT_TAIL(list, cfg, link);
	return 0;
}

void
bp_job_config_list_free(struct bp_job_config_list *list)
{
	struct bp_job_config *cfg;

	while ((cfg = TAILQ_FIRST(list)) != NULL) {
		TAILQ_REMOVE(list, cfg, link);
		free(cfg->name);
		free(cfg->filename);
		free(cfg);
	}
}

/* ---- INI job file ---- */

/* One section of the file as read, before defaults are applied. */
struct ini_kv {
	char *key;
	char *val;
	int line;
};

struct ini_section {
	char *name;
	int line;
	struct ini_kv *kv;
	int nkv;
	int cap;
};

struct ini_file {
	struct ini_section *sec;
	int nsec;
	int cap;
};

static char *
ini_trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t') {
		s++;
	}
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r' || e[-1] == '\n')) {
		*--e = '\0';
	}
	return s;
}

static void
ini_free(struct ini_file *f)
{
	int i, j;

	for (i = 0; i < f->nsec; i++) {
		for (j = 0; j < f->sec[i].nkv; j++) {
			free(f->sec[i].kv[j].key);
			free(f->sec[i].kv[j].val);
		}
		free(f->sec[i].kv);
		free(f->sec[i].name);
	}
	free(f->sec);
	memset(f, 0, sizeof(*f));
}

static void *
ini_grow(void *arr, int *cap, size_t elem)
{
	void *p;

	*cap = *cap == 0 ? 8 : *cap * 2;
	p = realloc(arr, (size_t)*cap * elem);
	if (p == NULL) {
		fprintf(stderr, "bdevperf: out of memory\n");
		abort();
	}
	return p;
}

static int
ini_parse(FILE *fp, const char *path, struct ini_file *f, char *err, size_t errlen)
{
	char line[4096];
	int lineno = 0;

	while (fgets(line, sizeof(line), fp) != NULL) {
		struct ini_section *sec;
		char *s, *eq, *key, *val;

		lineno++;
		if (strchr(line, '\n') == NULL && !feof(fp)) {
			snprintf(err, errlen, "%s:%d: line too long", path, lineno);
			return -EINVAL;
		}
		s = ini_trim(line);
		if (*s == '\0' || *s == '#' || *s == ';') {
			continue;
		}
		if (*s == '[') {
			char *end = strchr(s, ']');

			if (end == NULL || end[1] != '\0' || end == s + 1) {
				snprintf(err, errlen, "%s:%d: malformed section header '%s'", path,
					 lineno, s);
				return -EINVAL;
			}
			*end = '\0';
			if (f->nsec == f->cap) {
				f->sec = ini_grow(f->sec, &f->cap, sizeof(*f->sec));
			}
			sec = &f->sec[f->nsec++];
			memset(sec, 0, sizeof(*sec));
			sec->name = bp_xstrdup(ini_trim(s + 1));
			sec->line = lineno;
			continue;
		}
		if (f->nsec == 0) {
			snprintf(err, errlen, "%s:%d: '%s' appears before any [section]", path,
				 lineno, s);
			return -EINVAL;
		}
		eq = strchr(s, '=');
		if (eq == NULL) {
			eq = strpbrk(s, " \t");
		}
		if (eq == NULL) {
			snprintf(err, errlen, "%s:%d: expected 'key=value', got '%s'", path, lineno,
				 s);
			return -EINVAL;
		}
		*eq = '\0';
		key = ini_trim(s);
		val = ini_trim(eq + 1);
		sec = &f->sec[f->nsec - 1];
		if (sec->nkv == sec->cap) {
			sec->kv = ini_grow(sec->kv, &sec->cap, sizeof(*sec->kv));
		}
		sec->kv[sec->nkv].key = bp_xstrdup(key);
		sec->kv[sec->nkv].val = bp_xstrdup(val);
		sec->kv[sec->nkv].line = lineno;
		sec->nkv++;
	}
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: read error", path);
		return -EIO;
	}
	return 0;
}

/* The last value of key in the section (later lines win), or NULL. */
static const char *
ini_get(const struct ini_section *sec, const char *key)
{
	int i;

	for (i = sec->nkv - 1; i >= 0; i--) {
		if (strcmp(sec->kv[i].key, key) == 0) {
			return sec->kv[i].val;
		}
	}
	return NULL;
}

static int
parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (s == NULL || *s == '\0' || *s == '-') {
		return -EINVAL;
	}
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno != 0 || *end != '\0') {
		return -EINVAL;
	}
	*out = v;
	return 0;
}

/* Read an integer key: 0 and *out set when present, 1 when absent, <0 when bad. */
static int
ini_get_int(const struct ini_section *sec, const char *key, bool capacity, uint64_t max,
	    uint64_t *out, char *err, size_t errlen)
{
	const char *v = ini_get(sec, key);
	uint64_t x;
	int rc;

	if (v == NULL) {
		return 1;
	}
	rc = capacity ? spdk_parse_capacity(v, &x, NULL) : parse_u64(v, &x);
	if (rc != 0 || x > max) {
		snprintf(err, errlen, "Job '%s' has bad '%s' value '%s'", sec->name, key, v);
		return -EINVAL;
	}
	*out = x;
	return 0;
}

static const char *const g_job_keys[] = {
	"filename", "cpumask", "bs", "iodepth", "rwmixread", "offset", "length", "rw",
};

static void
cli_override(struct bp_job_config *cfg, const struct bp_cli *cli)
{
	if (cli->bdev_name != NULL) {
		free(cfg->filename);
		cfg->filename = bp_xstrdup(cli->bdev_name);
	}
	if (cli->io_size > 0) {
		cfg->bs = cli->io_size;
	}
	if (cli->queue_depth > 0) {
		cfg->iodepth = cli->queue_depth;
	}
	if (cli->rw_percentage >= 0) {
		cfg->rwmixread = cli->rw_percentage;
	}
	if (cli->workload != NULL) {
		cfg->rw = bp_workload_parse(cli->workload);
	}
}

static void
config_copy(struct bp_job_config *dst, const struct bp_job_config *src)
{
	free(dst->filename);
	free(dst->name);
	*dst = *src;
	dst->filename = src->filename ? bp_xstrdup(src->filename) : NULL;
	dst->name = src->name ? bp_xstrdup(src->name) : NULL;
}

static int
section_to_config(const struct ini_section *sec, const struct bp_job_config *global, bool is_global,
		  struct bp_job_config *cfg, char *err, size_t errlen)
{
	const char *v;
	uint64_t x;
	int i, rc;
	size_t k;

	for (i = 0; i < sec->nkv; i++) {
		bool known = false;

		for (k = 0; k < SPDK_COUNTOF(g_job_keys); k++) {
			if (strcmp(sec->kv[i].key, g_job_keys[k]) == 0) {
				known = true;
			}
		}
		if (!known) {
			snprintf(err, errlen, "Job '%s' has unknown key '%s' (line %d)", sec->name,
				 sec->kv[i].key, sec->kv[i].line);
			return -EINVAL;
		}
	}

	config_copy(cfg, global);
	free(cfg->name);
	cfg->name = bp_xstrdup(sec->name);

	v = ini_get(sec, "filename");
	if (v != NULL) {
		if (strlen(v) >= BP_MAX_FILENAME) {
			snprintf(err, errlen, "filename for '%s' job is too long. Max length is %d",
				 sec->name, BP_MAX_FILENAME);
			return -EINVAL;
		}
		free(cfg->filename);
		cfg->filename = bp_xstrdup(v);
	}
	if (!is_global && (cfg->filename == NULL || cfg->filename[0] == '\0')) {
		snprintf(err, errlen, "Job '%s' expects 'filename' parameter", sec->name);
		return -EINVAL;
	}

	v = ini_get(sec, "cpumask");
	if (v != NULL && spdk_cpuset_parse(&cfg->cpumask, v) != 0) {
		snprintf(err, errlen, "Job '%s' has bad 'cpumask' value '%s'", sec->name, v);
		return -EINVAL;
	}

	rc = ini_get_int(sec, "bs", true, INT_MAX, &x, err, errlen);
	if (rc < 0) {
		return rc;
	} else if (rc == 0) {
		if (x == 0) {
			snprintf(err, errlen, "'bs' of job '%s' must be greater than 0", sec->name);
			return -EINVAL;
		}
		cfg->bs = (int)x;
	}
	rc = ini_get_int(sec, "iodepth", false, INT_MAX, &x, err, errlen);
	if (rc < 0) {
		return rc;
	} else if (rc == 0) {
		if (x == 0) {
			snprintf(err, errlen, "'iodepth' of job '%s' must be greater than 0",
				 sec->name);
			return -EINVAL;
		}
		cfg->iodepth = (int)x;
	}
	rc = ini_get_int(sec, "rwmixread", false, INT_MAX, &x, err, errlen);
	if (rc < 0) {
		return rc;
	} else if (rc == 0) {
		if (x > 100) {
			snprintf(err, errlen, "'rwmixread' value of '%s' job is not in 0-100 range",
				 sec->name);
			return -EINVAL;
		}
		cfg->rwmixread = (int)x;
	}
	rc = ini_get_int(sec, "offset", false, UINT64_MAX, &x, err, errlen);
	if (rc < 0) {
		return rc;
	} else if (rc == 0) {
		cfg->offset = x;
	}
	rc = ini_get_int(sec, "length", false, UINT64_MAX, &x, err, errlen);
	if (rc < 0) {
		return rc;
	} else if (rc == 0) {
		cfg->length = x;
	}

	v = ini_get(sec, "rw");
	if (v != NULL) {
		cfg->rw = bp_workload_parse(v);
		if (cfg->rw == BP_WL_ERROR) {
			snprintf(err, errlen, "Job '%s' has bad 'rw' value '%s': must be one of %s",
				 sec->name, v, bp_workload_list);
			return -EINVAL;
		}
	}

	if (is_global) {
		return 0;
	}
	if (cfg->rw == BP_WL_UNSET) {
		snprintf(err, errlen, "Job '%s' has no 'rw' assigned", sec->name);
		return -EINVAL;
	}
	if (cfg->bs <= 0) {
		snprintf(err, errlen, "Job '%s' has no 'bs' assigned", sec->name);
		return -EINVAL;
	}
	if (cfg->iodepth <= 0) {
		snprintf(err, errlen, "Job '%s' has no 'iodepth' assigned", sec->name);
		return -EINVAL;
	}
	return 0;
}

int
bp_job_file_read(const char *path, const struct bp_cli *cli, struct bp_job_config_list *list,
		 char *err, size_t errlen)
{
	struct ini_file f = {};
	struct bp_job_config defaults = {}, global = {}, *cfg;
	FILE *fp;
	int i, n = 0, rc;

	fp = fopen(path, "r");
	if (fp == NULL) {
		snprintf(err, errlen, "Cannot open job config file %s: %s", path,
			 spdk_strerror(errno));
		return -errno;
	}
	rc = ini_parse(fp, path, &f, err, errlen);
	fclose(fp);
	if (rc != 0) {
		goto out;
	}

	spdk_cpuset_zero(&defaults.cpumask);
	defaults.bs = -1;
	defaults.iodepth = -1;
	defaults.rwmixread = 50;
	defaults.rw = BP_WL_UNSET;
	cli_override(&defaults, cli);
	if (defaults.rw == BP_WL_ERROR) {
		snprintf(err, errlen, "Invalid workload type '%s': must be one of %s",
			 cli->workload, bp_workload_list);
		rc = -EINVAL;
		goto out;
	}
	config_copy(&global, &defaults);

	for (i = 0; i < f.nsec; i++) {
		bool is_global = strcmp(f.sec[i].name, "global") == 0;

		cfg = bp_xcalloc(1, sizeof(*cfg));
		rc = section_to_config(&f.sec[i], is_global ? &defaults : &global, is_global, cfg,
				       err, errlen);
		if (rc != 0) {
			free(cfg->name);
			free(cfg->filename);
			free(cfg);
			goto out;
		}
		if (is_global) {
			cli_override(cfg, cli);
			config_copy(&global, cfg);
			free(cfg->name);
			free(cfg->filename);
			free(cfg);
		} else {
			TAILQ_INSERT_TAIL(list, cfg, link);
			n++;
		}
	}
	printf("Using job config with %d jobs\n", n);
	rc = 0;
out:
	free(defaults.name);
	free(defaults.filename);
	free(global.name);
	free(global.filename);
	ini_free(&f);
	if (rc != 0) {
		bp_job_config_list_free(list);
	}
	return rc;
}

/* ---- zipf ---- */

static double
zipf_zeta(uint64_t n, double theta)
{
	double sum = 0;
	uint64_t i;

	for (i = 1; i <= n; i++) {
		sum += pow((double)i, -theta);
	}
	return sum;
}

int
bp_zipf_init(struct bp_zipf *z, uint64_t n, double theta, uint64_t seed)
{
	double zeta2;

	if (n == 0 || theta <= 0 || theta == 1.0) {
		return -EINVAL;
	}
	z->n = n;
	z->theta = theta;
	z->alpha = 1.0 / (1.0 - theta);
	z->zetan = zipf_zeta(n, theta);
	zeta2 = zipf_zeta(2, theta);
	z->eta = (1.0 - pow(2.0 / (double)n, 1.0 - theta)) / (1.0 - zeta2 / z->zetan);
	z->seed = seed;
	return 0;
}

uint64_t
bp_zipf_next(struct bp_zipf *z)
{
	double u = (double)(spdk_rand_xorshift64(&z->seed) >> 11) * 0x1.0p-53;
	double uz = u * z->zetan;
	double v;

	if (uz < 1.0) {
		return 0;
	}
	if (uz < 1.0 + pow(0.5, z->theta)) {
		return z->n > 1 ? 1 : 0;
	}
	v = (double)z->n * pow(z->eta * u - z->eta + 1.0, z->alpha);
	if (!(v >= 0) || v >= (double)z->n) {
		return z->n - 1;
	}
	return (uint64_t)v;
}
