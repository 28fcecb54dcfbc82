/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * A latency histogram with logarithmic ranges, header-only.
 *
 * Values are unsigned 64-bit numbers (the bdev layer tallies latencies in
 * ticks). With a bucket shift of s, range 0 holds the values below 2^s one per
 * bucket; range r >= 1 holds [2^(s+r-1), 2^(s+r)) in 2^s buckets of width
 * 2^(r-1). There are 65 - s ranges, so every 64-bit value has a bucket, and
 * the relative error of a bucket is at most 2^-s. The default shift, 7, gives
 * 128 buckets per range (under 1% error) in about 59 KiB of counters.
 *
 * A histogram may also be limited to ranges [min_range, max_range]: values
 * below are tallied in min_range's first bucket and values above in
 * max_range's last, which keeps the iteration short when the caller knows
 * the span of interest.
 *
 * Nothing here takes a lock: one thread tallies into a histogram, and merging
 * is done by whoever owns the destination.
 */

#ifndef SPDK_HISTOGRAM_DATA_H
#define SPDK_HISTOGRAM_DATA_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The default bucket shift (128 buckets per range). */
#define SPDK_HISTOGRAM_BUCKET_SHIFT_DEFAULT 7
/** The bucket shift of histogram \p h. */
#define SPDK_HISTOGRAM_BUCKET_SHIFT(h) ((h)->bucket_shift)
/** The lowest bit of a value that selects its range. */
#define SPDK_HISTOGRAM_BUCKET_LSB(h) (64 - SPDK_HISTOGRAM_BUCKET_SHIFT(h))
/** Buckets in each range. */
#define SPDK_HISTOGRAM_NUM_BUCKETS_PER_RANGE(h) (1ULL << SPDK_HISTOGRAM_BUCKET_SHIFT(h))
/** Mask of a bucket index inside its range. */
#define SPDK_HISTOGRAM_BUCKET_MASK(h) (SPDK_HISTOGRAM_NUM_BUCKETS_PER_RANGE(h) - 1)
/** Number of ranges. */
#define SPDK_HISTOGRAM_NUM_BUCKET_RANGES(h) (SPDK_HISTOGRAM_BUCKET_LSB(h) + 1)
/** Total number of buckets. */
#define SPDK_HISTOGRAM_NUM_BUCKETS(h) \
	(SPDK_HISTOGRAM_NUM_BUCKETS_PER_RANGE(h) * SPDK_HISTOGRAM_NUM_BUCKET_RANGES(h))

/** A histogram. Allocate it with spdk_histogram_data_alloc*(). */
struct spdk_histogram_data {
	/** log2 of the number of buckets per range (the granularity). */
	uint32_t bucket_shift;
	/** The counters, SPDK_HISTOGRAM_NUM_BUCKETS() of them. */
	uint64_t *bucket;
	/** Lowest range that gets tallies; smaller values count in its first bucket. */
	uint32_t min_range;
	/** Highest range that gets tallies; larger values count in its last bucket. */
	uint32_t max_range;
};

/**
 * Called by spdk_histogram_data_iterate() for each bucket, in ascending order.
 *
 * \param ctx The caller's context.
 * \param start First value of the bucket.
 * \param end One past the last value of the bucket.
 * \param count Values tallied in the bucket.
 * \param total Values tallied in the whole histogram.
 * \param so_far Values tallied in this bucket and every bucket before it.
 */
typedef void (*spdk_histogram_data_fn)(void *ctx, uint64_t start, uint64_t end, uint64_t count,
				       uint64_t total, uint64_t so_far);

static inline uint32_t
spdk_histogram_data_value_range(const struct spdk_histogram_data *h, uint64_t value)
{
	uint32_t msb;

	if (value >> h->bucket_shift == 0) {
		return 0;
	}
	msb = 63 - (uint32_t)__builtin_clzll(value);
	return msb - h->bucket_shift + 1;
}

/**
 * Count one value.
 *
 * \param h The histogram.
 * \param value The value.
 */
static inline void
spdk_histogram_data_tally(struct spdk_histogram_data *h, uint64_t value)
{
	uint32_t range = spdk_histogram_data_value_range(h, value);
	uint64_t index;

	if (range < h->min_range) {
		range = h->min_range;
		index = 0;
	} else if (range > h->max_range) {
		range = h->max_range;
		index = SPDK_HISTOGRAM_BUCKET_MASK(h);
	} else if (range == 0) {
		index = value;
	} else {
		index = (value >> (range - 1)) & SPDK_HISTOGRAM_BUCKET_MASK(h);
	}
	h->bucket[((uint64_t)range << h->bucket_shift) + index]++;
}

/**
 * \param h A histogram.
 * \param range A range index.
 * \param index A bucket index inside the range.
 * \return the first value of that bucket.
 */
static inline uint64_t
spdk_histogram_data_bucket_start(const struct spdk_histogram_data *h, uint32_t range,
				 uint64_t index)
{
	if (range == 0) {
		return index;
	}
	return (SPDK_HISTOGRAM_NUM_BUCKETS_PER_RANGE(h) + index) << (range - 1);
}

/**
 * Allocate an empty histogram over ranges [\p min_range, \p max_range].
 *
 * \param bucket_shift Buckets per range, as a power of two: 1 to 63.
 * \param min_range Lowest range (0 for no lower limit).
 * \param max_range Highest range (64 - bucket_shift for no upper limit).
 * \return the histogram, to be released with spdk_histogram_data_free(), or
 * NULL when an argument is out of range or memory runs out.
 */
static inline struct spdk_histogram_data *
spdk_histogram_data_alloc_sized_ext(uint32_t bucket_shift, uint32_t min_range, uint32_t max_range)
{
	struct spdk_histogram_data *h;

	if (bucket_shift == 0 || bucket_shift > 63 || min_range > max_range ||
	    max_range > 64 - bucket_shift) {
		return NULL;
	}
	h = (struct spdk_histogram_data *)calloc(1, sizeof(*h));
	if (h == NULL) {
		return NULL;
	}
	h->bucket_shift = bucket_shift;
	h->min_range = min_range;
	h->max_range = max_range;
	h->bucket = (uint64_t *)calloc(SPDK_HISTOGRAM_NUM_BUCKETS(h), sizeof(uint64_t));
	if (h->bucket == NULL) {
		free(h);
		return NULL;
	}
	return h;
}

/**
 * Allocate an empty histogram covering every 64-bit value.
 *
 * \param bucket_shift Buckets per range, as a power of two: 1 to 63.
 * \return the histogram, to be released with spdk_histogram_data_free(), or
 * NULL.
 */
static inline struct spdk_histogram_data *
spdk_histogram_data_alloc_sized(uint32_t bucket_shift)
{
	if (bucket_shift == 0 || bucket_shift > 63) {
		return NULL;
	}
	return spdk_histogram_data_alloc_sized_ext(bucket_shift, 0, 64 - bucket_shift);
}

/**
 * Allocate an empty histogram with the default bucket shift.
 *
 * \return the histogram, to be released with spdk_histogram_data_free(), or
 * NULL.
 */
static inline struct spdk_histogram_data *
spdk_histogram_data_alloc(void)
{
	return spdk_histogram_data_alloc_sized(SPDK_HISTOGRAM_BUCKET_SHIFT_DEFAULT);
}

/**
 * Free a histogram.
 *
 * \param h The histogram, or NULL (which does nothing).
 */
static inline void
spdk_histogram_data_free(struct spdk_histogram_data *h)
{
	if (h == NULL) {
		return;
	}
	free(h->bucket);
	free(h);
}

/**
 * Set every counter of a histogram to zero.
 *
 * \param h The histogram.
 */
static inline void
spdk_histogram_data_reset(struct spdk_histogram_data *h)
{
	memset(h->bucket, 0, SPDK_HISTOGRAM_NUM_BUCKETS(h) * sizeof(uint64_t));
}

/**
 * Call \p fn for every bucket of the histogram's ranges, in ascending order of
 * value, empty buckets included.
 *
 * \param h The histogram.
 * \param fn The function.
 * \param ctx Passed to \p fn.
 */
static inline void
spdk_histogram_data_iterate(const struct spdk_histogram_data *h, spdk_histogram_data_fn fn,
			    void *ctx)
{
	uint64_t total = 0, so_far = 0, i, n = SPDK_HISTOGRAM_NUM_BUCKETS(h);
	uint64_t per_range = SPDK_HISTOGRAM_NUM_BUCKETS_PER_RANGE(h);
	uint64_t start, width, count;
	uint32_t range;

	for (i = 0; i < n; i++) {
		total += h->bucket[i];
	}
	for (range = h->min_range; range <= h->max_range; range++) {
		width = range == 0 ? 1 : 1ULL << (range - 1);
		for (i = 0; i < per_range; i++) {
			count = h->bucket[((uint64_t)range << h->bucket_shift) + i];
			so_far += count;
			start = spdk_histogram_data_bucket_start(h, range, i);
			fn(ctx, start, start + width, count, total, so_far);
		}
	}
}

/**
 * Add the counters of \p src to \p dst.
 *
 * \param dst Destination histogram.
 * \param src Source histogram.
 * \return 0; -EINVAL when the two differ in bucket shift or ranges.
 */
static inline int
spdk_histogram_data_merge(const struct spdk_histogram_data *dst,
			  const struct spdk_histogram_data *src)
{
	uint64_t i, n;

	if (dst->bucket_shift != src->bucket_shift || dst->min_range != src->min_range ||
	    dst->max_range != src->max_range) {
		return -EINVAL;
	}
	n = SPDK_HISTOGRAM_NUM_BUCKETS(dst);
	for (i = 0; i < n; i++) {
		dst->bucket[i] += src->bucket[i];
	}
	return 0;
}

#ifdef __cplusplus
}
#endif

#endif /* SPDK_HISTOGRAM_DATA_H */
