/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * CPU sets: a fixed-size bitmap of CPU numbers 0 to SPDK_CPUSET_SIZE - 1, with set operations
 * and conversion from and to the text forms used on command lines ("0x3", "[0-3,8]").
 *
 * A struct spdk_cpuset is a plain value: it may live on the stack or inside another struct,
 * and may be copied with spdk_cpuset_copy(). It is not thread safe; callers that share one
 * protect it themselves.
 */

#ifndef SPDK_CPUSET_H
#define SPDK_CPUSET_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef UPDK_ATTR_DEALLOC
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
/* Lets GCC check that what a constructor returns reaches the matching destructor. */
#define UPDK_ATTR_DEALLOC(fn) __attribute__((malloc(fn, 1)))
#else
#define UPDK_ATTR_DEALLOC(fn)
#endif
#endif

/** Number of CPUs a set can hold. */
#define SPDK_CPUSET_SIZE 1024

/** A set of CPUs. */
struct spdk_cpuset {
	/** Text written by spdk_cpuset_fmt(). */
	char str[SPDK_CPUSET_SIZE / 4 + 1];
	/** The bitmap: CPU n is bit n % 8 of byte n / 8. */
	uint8_t cpus[SPDK_CPUSET_SIZE / 8];
};

/**
 * Free a CPU set from spdk_cpuset_alloc().
 *
 * \param set The set; NULL does nothing.
 */
void spdk_cpuset_free(struct spdk_cpuset *set);

/**
 * Allocate an empty CPU set.
 *
 * \return the set, to be released with spdk_cpuset_free(), or NULL if out of memory.
 */
struct spdk_cpuset *spdk_cpuset_alloc(void) __attribute__((malloc))
UPDK_ATTR_DEALLOC(spdk_cpuset_free);

/**
 * Compare two sets.
 *
 * \param set1 A set.
 * \param set2 Another set.
 * \return true if they hold the same CPUs.
 */
bool spdk_cpuset_equal(const struct spdk_cpuset *set1, const struct spdk_cpuset *set2);

/**
 * Copy a set.
 *
 * \param dst Receives the CPUs of \p src.
 * \param src The set to copy.
 */
void spdk_cpuset_copy(struct spdk_cpuset *dst, const struct spdk_cpuset *src);

/**
 * Intersection: keep in \p dst only the CPUs also in \p src.
 *
 * \param dst The set to modify.
 * \param src The other operand.
 */
void spdk_cpuset_and(struct spdk_cpuset *dst, const struct spdk_cpuset *src);

/**
 * Union: add the CPUs of \p src to \p dst.
 *
 * \param dst The set to modify.
 * \param src The other operand.
 */
void spdk_cpuset_or(struct spdk_cpuset *dst, const struct spdk_cpuset *src);

/**
 * Symmetric difference: keep in \p dst the CPUs in exactly one of the two sets.
 *
 * \param dst The set to modify.
 * \param src The other operand.
 */
void spdk_cpuset_xor(struct spdk_cpuset *dst, const struct spdk_cpuset *src);

/**
 * Complement: every CPU number below SPDK_CPUSET_SIZE that was out is in, and the reverse.
 *
 * \param set The set to modify.
 */
void spdk_cpuset_negate(struct spdk_cpuset *set);

/**
 * Remove every CPU.
 *
 * \param set The set to empty.
 */
void spdk_cpuset_zero(struct spdk_cpuset *set);

/**
 * Add or remove one CPU.
 *
 * \param set The set.
 * \param cpu The CPU number; numbers from SPDK_CPUSET_SIZE up are ignored.
 * \param state true to add, false to remove.
 */
void spdk_cpuset_set_cpu(struct spdk_cpuset *set, uint32_t cpu, bool state);

/**
 * Test one CPU.
 *
 * \param set The set.
 * \param cpu The CPU number.
 * \return true if \p cpu is in the set; false for numbers from SPDK_CPUSET_SIZE up.
 */
bool spdk_cpuset_get_cpu(const struct spdk_cpuset *set, uint32_t cpu);

/**
 * Call a function for every CPU in a set, in increasing order.
 *
 * \param set The set; \p fn must not modify it.
 * \param fn The function, given \p ctx and the CPU number.
 * \param ctx Passed to \p fn.
 */
void spdk_cpuset_for_each_cpu(const struct spdk_cpuset *set, void (*fn)(void *ctx, uint32_t cpu),
			      void *ctx);

/**
 * Count the CPUs in a set.
 *
 * \param set The set.
 * \return the number of CPUs.
 */
uint32_t spdk_cpuset_count(const struct spdk_cpuset *set);

/**
 * Format a set as a hexadecimal mask: lower case, no "0x", no leading zeros, "0" when empty
 * (CPUs 0 and 1 give "3").
 *
 * \param set The set; its str field receives the text.
 * \return set->str, overwritten by the next call on the same set.
 */
const char *spdk_cpuset_fmt(struct spdk_cpuset *set);

/**
 * Parse a set from text: either a hexadecimal mask, with or without "0x" ("3", "0xff"; commas
 * are ignored so that the masks in sysfs parse too), or a list of CPU numbers and ranges in
 * square brackets ("[0,1,10]", "[0-3,5]"). White space around the text and around list items
 * is ignored.
 *
 * \param set Receives the set; unchanged on failure.
 * \param mask The text.
 * \return 0 on success; -EINVAL if an argument is NULL or the text is empty or malformed
 * (including a reversed range or an empty list); -ERANGE if it names a CPU at or above
 * SPDK_CPUSET_SIZE.
 */
int spdk_cpuset_parse(struct spdk_cpuset *set, const char *mask);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_CPUSET_H */
