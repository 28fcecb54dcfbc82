/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * General helpers: arithmetic and alignment macros, powers of two, a fast pseudo-random
 * generator, serial-number comparison, and copying and walking scatter-gather lists (struct
 * iovec arrays).
 *
 * Macros that take values may evaluate them more than once; pass expressions without side
 * effects. The iovec functions never allocate and are safe to use on the data path.
 */

#ifndef SPDK_UTIL_H
#define SPDK_UTIL_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** The cache line size that per-thread structures are aligned to. */
#define SPDK_CACHE_LINE_SIZE 64

/** The smaller of two values; evaluates them twice. */
#define spdk_min(a, b) (((a) < (b)) ? (a) : (b))
/** The larger of two values; evaluates them twice. */
#define spdk_max(a, b) (((a) > (b)) ? (a) : (b))

/** Number of elements of an array (not a pointer). */
#define SPDK_COUNTOF(arr) (sizeof(arr) / sizeof((arr)[0]))

/** The structure of type \p type whose member \p member is at \p ptr. */
#define SPDK_CONTAINEROF(ptr, type, member) ((type *)((uintptr_t)(ptr)-offsetof(type, member)))

/** Size of the object at \p ptr up to and including \p member. */
#define SPDK_SIZEOF(ptr, member) (offsetof(__typeof__(*(ptr)), member) + sizeof((ptr)->member))

/** Size of member \p member of \p type. */
#define SPDK_SIZEOF_MEMBER(type, member) (sizeof(((type *)0)->member))

/** Number of elements of the array member \p member of \p type. */
#define SPDK_COUNTOF_MEMBER(type, member) (SPDK_COUNTOF(((type *)0)->member))

#ifndef SPDK_STATIC_ASSERT
#ifdef __cplusplus
#define SPDK_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#else
/** Fail the build with \p msg unless the constant expression \p cond is true. */
#define SPDK_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#endif
#endif

#define SPDK_SEC_TO_MSEC 1000ULL
#define SPDK_SEC_TO_USEC 1000000ULL
#define SPDK_SEC_TO_NSEC 1000000000ULL
#define SPDK_MSEC_TO_USEC 1000ULL
#define SPDK_USEC_TO_NSEC 1000ULL

/** Division of unsigned integers, rounded up. */
#define SPDK_CEIL_DIV(x, y) (((x) + (y)-1) / (y))

/**
 * Round \p val down to a multiple of \p align, a power of two. The result has the type of
 * \p val.
 */
#define SPDK_ALIGN_FLOOR(val, align) (__typeof__(val))((val) & (~((__typeof__(val))((align)-1))))

/**
 * Round \p val up to a multiple of \p align, a power of two. The result has the type of
 * \p val.
 */
#define SPDK_ALIGN_CEIL(val, align) SPDK_ALIGN_FLOOR(((val) + ((__typeof__(val))(align)-1)), align)

/** An unsigned long with only bit \p n set. */
#define SPDK_BIT(n) (1ul << (n))

/**
 * Whether the options struct at \p obj, whose caller-known size is (obj)->size or the optional
 * third argument, is large enough to contain \p field.
 */
#define SPDK_FIELD_VALID(obj, field, ...) UPDK_FIELD_VALID_(obj, field, ##__VA_ARGS__, (obj)->size)
#define UPDK_FIELD_VALID_(obj, field, size, ...) \
	((size) >= (offsetof(__typeof__(*(obj)), field) + sizeof((obj)->field)))

/**
 * (obj)->field if SPDK_FIELD_VALID(obj, field) (with the same optional size argument), else
 * \p defval.
 */
#define SPDK_GET_FIELD(obj, field, defval, ...) \
	UPDK_GET_FIELD_(obj, field, defval, ##__VA_ARGS__, (obj)->size)
#define UPDK_GET_FIELD_(obj, field, defval, size, ...) \
	(SPDK_FIELD_VALID(obj, field, size) ? (obj)->field : (defval))

/**
 * Base-2 logarithm, rounded down.
 *
 * \param x The value.
 * \return the index of the highest bit set in \p x; 0 for 0.
 */
static inline uint32_t
spdk_u32log2(uint32_t x)
{
	if (x == 0) {
		return 0;
	}
	return 31u - (uint32_t)__builtin_clz(x);
}

/**
 * Base-2 logarithm, rounded down.
 *
 * \param x The value.
 * \return the index of the highest bit set in \p x; 0 for 0.
 */
static inline uint64_t
spdk_u64log2(uint64_t x)
{
	if (x == 0) {
		return 0;
	}
	return 63u - (uint64_t)__builtin_clzll(x);
}

/**
 * The smallest power of two not below \p x.
 *
 * \param x The value.
 * \return the power of two; 1 for 0 and 1; 0 when the result does not fit (x > 2^31).
 */
static inline uint32_t
spdk_align32pow2(uint32_t x)
{
	if (x <= 1) {
		return 1;
	}
	if (x > (1u << 31)) {
		return 0;
	}
	return 1u << (1 + spdk_u32log2(x - 1));
}

/**
 * The smallest power of two not below \p x.
 *
 * \param x The value.
 * \return the power of two; 1 for 0 and 1; 0 when the result does not fit (x > 2^63).
 */
static inline uint64_t
spdk_align64pow2(uint64_t x)
{
	if (x <= 1) {
		return 1;
	}
	if (x > (1ULL << 63)) {
		return 0;
	}
	return 1ULL << (1 + spdk_u64log2(x - 1));
}

/**
 * \param x The value.
 * \return whether \p x is a power of two (0 is not).
 */
static inline bool
spdk_u32_is_pow2(uint32_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/**
 * \param x The value.
 * \return whether \p x is a power of two (0 is not).
 */
static inline bool
spdk_u64_is_pow2(uint64_t x)
{
	return x != 0 && (x & (x - 1)) == 0;
}

/**
 * Division rounded up.
 *
 * \param num The dividend; num + divisor - 1 must not overflow.
 * \param divisor The divisor, not 0.
 * \return the quotient, rounded up.
 */
static inline uint64_t
spdk_divide_round_up(uint64_t num, uint64_t divisor)
{
	return (num + divisor - 1) / divisor;
}

/**
 * Round up to a multiple.
 *
 * \param num The value.
 * \param divisor The multiple, not 0.
 * \return the smallest multiple of \p divisor not below \p num.
 */
static inline uint64_t
spdk_round_up(uint64_t num, uint64_t divisor)
{
	return divisor * spdk_divide_round_up(num, divisor);
}

/**
 * Next value of a xorshift64 pseudo-random sequence. Fast, not cryptographic.
 *
 * \param state The generator's state, updated; must not be 0 (the sequence would stay 0).
 * \return the next value, also stored in *state.
 */
static inline uint64_t
spdk_rand_xorshift64(uint64_t *state)
{
	uint64_t x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	*state = x;
	return x;
}

/**
 * A seed for spdk_rand_xorshift64(), different on every call. Thread safe.
 *
 * \return a non-zero seed.
 */
uint64_t spdk_rand_xorshift64_seed(void);

/**
 * Add serial numbers (RFC 1982 arithmetic on 32 bits).
 *
 * \param s1 A serial number.
 * \param s2 The amount to add.
 * \return s1 + s2, wrapping.
 */
static inline uint32_t
spdk_sn32_add(uint32_t s1, uint32_t s2)
{
	return (uint32_t)(s1 + s2);
}

/** Half the serial number space: the largest distance that still orders two numbers. */
#define SPDK_SN32_CMPMAX (1U << (32 - 1))

/**
 * Compare serial numbers, allowing for wrap-around.
 *
 * \param s1 A serial number.
 * \param s2 Another one.
 * \return true if \p s1 comes before \p s2.
 */
static inline bool
spdk_sn32_lt(uint32_t s1, uint32_t s2)
{
	return s1 != s2 &&
	       ((s1 < s2 && s2 - s1 < SPDK_SN32_CMPMAX) || (s1 > s2 && s1 - s2 > SPDK_SN32_CMPMAX));
}

/**
 * Compare serial numbers, allowing for wrap-around.
 *
 * \param s1 A serial number.
 * \param s2 Another one.
 * \return true if \p s1 comes after \p s2.
 */
static inline bool
spdk_sn32_gt(uint32_t s1, uint32_t s2)
{
	return s1 != s2 &&
	       ((s1 < s2 && s2 - s1 > SPDK_SN32_CMPMAX) || (s1 > s2 && s1 - s2 < SPDK_SN32_CMPMAX));
}

/**
 * Total length of an iovec array.
 *
 * \param iovs The array.
 * \param iovcnt Number of elements.
 * \return the sum of the elements' lengths.
 */
static inline size_t
spdk_iov_length(struct iovec *iovs, int iovcnt)
{
	size_t len = 0;

	for (int i = 0; i < iovcnt; i++) {
		len += iovs[i].iov_len;
	}
	return len;
}

/** Point a one-element iovec array at a buffer and set the count to 1. */
#define SPDK_IOV_ONE(piov, piovcnt, buf, buflen) \
	do {                                     \
		(piov)->iov_base = (buf);        \
		(piov)->iov_len = (buflen);      \
		*(piovcnt) = 1;                  \
	} while (0)

/**
 * Point a one-element iovec array at a buffer (the function form of SPDK_IOV_ONE()).
 *
 * \param iov The element.
 * \param iovcnt Set to 1.
 * \param buf The buffer.
 * \param buflen Its length.
 */
void spdk_iov_one(struct iovec *iov, int *iovcnt, void *buf, size_t buflen);

/**
 * Fill every buffer of an iovec array with a byte, like memset().
 *
 * \param iovs The array.
 * \param iovcnt Number of elements.
 * \param c The byte.
 */
void spdk_iov_memset(struct iovec *iovs, int iovcnt, int c);

/**
 * Copy the bytes described by one iovec array into the buffers of another, up to the shorter
 * of the two totals. The two must not overlap.
 *
 * \param siov Source array.
 * \param siovcnt Its number of elements.
 * \param diov Destination array.
 * \param diovcnt Its number of elements.
 * \return the number of bytes copied.
 */
size_t spdk_iovcpy(struct iovec *siov, size_t siovcnt, struct iovec *diov, size_t diovcnt);

/**
 * Like spdk_iovcpy(), for buffers that may overlap (each segment is moved with memmove()).
 *
 * \param siov Source array.
 * \param siovcnt Its number of elements.
 * \param diov Destination array.
 * \param diovcnt Its number of elements.
 * \return the number of bytes copied.
 */
size_t spdk_iovmove(struct iovec *siov, size_t siovcnt, struct iovec *diov, size_t diovcnt);

/**
 * Copy the bytes described by an iovec array into one buffer, up to \p buf_len bytes.
 *
 * \param buf The buffer.
 * \param buf_len Its size.
 * \param iovs The array.
 * \param iovcnt Its number of elements.
 */
void spdk_copy_iovs_to_buf(void *buf, size_t buf_len, struct iovec *iovs, int iovcnt);

/**
 * Copy one buffer into the buffers of an iovec array, up to their total length.
 *
 * \param iovs The array.
 * \param iovcnt Its number of elements.
 * \param buf The buffer.
 * \param buf_len Its length.
 */
void spdk_copy_buf_to_iovs(struct iovec *iovs, int iovcnt, void *buf, size_t buf_len);

/** A position in an iovec array, for copying into or out of it piece by piece. */
struct spdk_iov_xfer {
	/** The array. */
	struct iovec *iovs;
	/** Number of elements. */
	int iovcnt;
	/** Element at the position. */
	int cur_iov_idx;
	/** Offset of the position within that element. */
	size_t cur_iov_offset;
};

/**
 * Set a transfer position to the start of an iovec array.
 *
 * \param ix The position.
 * \param iovs The array.
 * \param iovcnt Its number of elements.
 */
void spdk_iov_xfer_init(struct spdk_iov_xfer *ix, struct iovec *iovs, int iovcnt);

/**
 * Copy from a buffer into the iovec array at the position, and advance the position.
 *
 * \param ix The position.
 * \param buf The source.
 * \param buf_len Bytes to copy at most.
 * \return the bytes copied: less than \p buf_len when the array is full.
 */
size_t spdk_iov_xfer_from_buf(struct spdk_iov_xfer *ix, const void *buf, size_t buf_len);

/**
 * Copy from the iovec array at the position into a buffer, and advance the position.
 *
 * \param ix The position.
 * \param buf The destination (declared const as in SPDK, but written to).
 * \param buf_len Bytes to copy at most.
 * \return the bytes copied: less than \p buf_len at the end of the array.
 */
size_t spdk_iov_xfer_to_buf(struct spdk_iov_xfer *ix, const void *buf, size_t buf_len);

/** The state of one array in a struct spdk_ioviter. */
struct spdk_single_ioviter {
	/** The array. */
	struct iovec *iov;
	/** Number of elements. */
	size_t iovcnt;
	/** Current element. */
	size_t idx;
	/** Bytes left in the current element. */
	size_t iov_len;
	/** Next byte of the current element. */
	uint8_t *iov_base;
};

/**
 * Walks several iovec arrays in step, yielding the largest runs that are contiguous in all of
 * them. Room for two arrays is built in; for N arrays allocate SPDK_IOVITER_SIZE(N) bytes.
 */
struct spdk_ioviter {
	/** Number of arrays. */
	uint32_t count;
	union {
		/** Storage for the two arrays of the two-way form. */
		struct spdk_single_ioviter iters_compat[2];
		/** The per-array states; count elements. */
		struct spdk_single_ioviter iters[0];
	};
};

/** Bytes needed for a struct spdk_ioviter over \p count (at least 2) arrays. */
#define SPDK_IOVITER_SIZE(count) \
	(sizeof(struct spdk_single_ioviter) * ((count)-2) + sizeof(struct spdk_ioviter))

/**
 * Start walking two iovec arrays in step; see spdk_ioviter_next().
 *
 * \param iter The iterator.
 * \param siov First (source) array.
 * \param siovcnt Its number of elements.
 * \param diov Second (destination) array.
 * \param diovcnt Its number of elements.
 * \param src Receives the start of the first run in \p siov.
 * \param dst Receives the start of the first run in \p diov.
 * \return the length of the first run, or 0 if either array is empty.
 */
size_t spdk_ioviter_first(struct spdk_ioviter *iter, struct iovec *siov, size_t siovcnt,
			  struct iovec *diov, size_t diovcnt, void **src, void **dst);

/**
 * Start walking \p count iovec arrays in step; see spdk_ioviter_nextv().
 *
 * \param iter The iterator, of at least SPDK_IOVITER_SIZE(count) bytes.
 * \param count Number of arrays, at least 2.
 * \param iov The arrays.
 * \param iovcnt Their numbers of elements.
 * \param out Receives, for each array, the start of the first run.
 * \return the length of the first run, or 0 if any array is empty.
 */
size_t spdk_ioviter_firstv(struct spdk_ioviter *iter, uint32_t count, struct iovec **iov,
			   size_t *iovcnt, void **out);

/**
 * Move to the next run. For example, a single 4 KiB source element and four 1 KiB destination
 * elements give four 1 KiB runs, then 0.
 *
 * \param iter The iterator.
 * \param src Receives the start of the run in the first array.
 * \param dst Receives the start of the run in the second array.
 * \return the length of the run, or 0 when either array is exhausted.
 */
size_t spdk_ioviter_next(struct spdk_ioviter *iter, void **src, void **dst);

/**
 * Move to the next run of an N-way iterator.
 *
 * \param iter The iterator.
 * \param out Receives, for each array, the start of the run.
 * \return the length of the run, or 0 when any array is exhausted.
 */
size_t spdk_ioviter_nextv(struct spdk_ioviter *iter, void **out);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_UTIL_H */
