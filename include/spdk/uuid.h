/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * 128-bit universally unique identifiers (RFC 4122): parsing, formatting,
 * comparison and random (version 4) generation. Every bdev carries one, and
 * its string form is always one of the bdev's aliases.
 */

#ifndef SPDK_UUID_H
#define SPDK_UUID_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** A UUID, stored as its 16 bytes in network (big-endian) order. */
struct spdk_uuid {
	union {
		/** The raw bytes. */
		uint8_t raw[16];
	} u;
};

/** Length of a UUID's string form, including the terminating NUL. */
#define SPDK_UUID_STRING_LEN 37

/**
 * Parse a UUID in its canonical 8-4-4-4-12 hexadecimal form (either case).
 *
 * \param uuid Receives the UUID; left unchanged on failure.
 * \param uuid_str The string; must be exactly 36 characters long.
 * \return 0 on success; -EINVAL when either argument is NULL or the string is
 * not a UUID.
 */
int spdk_uuid_parse(struct spdk_uuid *uuid, const char *uuid_str);

/**
 * Format a UUID as 36 lower-case characters plus a NUL.
 *
 * \param uuid_str Receives the string.
 * \param uuid_str_size Size of \p uuid_str; at least SPDK_UUID_STRING_LEN.
 * \param uuid The UUID.
 * \return 0 on success; -EINVAL when a pointer is NULL or the buffer is too
 * small.
 */
int spdk_uuid_fmt_lower(char *uuid_str, size_t uuid_str_size, const struct spdk_uuid *uuid);

/**
 * Compare two UUIDs byte by byte.
 *
 * \param u1 First UUID.
 * \param u2 Second UUID.
 * \return a negative value, 0 or a positive value when \p u1 sorts before,
 * equal to or after \p u2.
 */
int spdk_uuid_compare(const struct spdk_uuid *u1, const struct spdk_uuid *u2);

/**
 * Generate a random (version 4, RFC 4122 variant) UUID from the kernel's
 * random source. Thread-safe.
 *
 * \param uuid Receives the UUID.
 */
void spdk_uuid_generate(struct spdk_uuid *uuid);

/**
 * Copy a UUID.
 *
 * \param dst Destination.
 * \param src Source.
 */
void spdk_uuid_copy(struct spdk_uuid *dst, const struct spdk_uuid *src);

/**
 * \param uuid The UUID.
 * \return whether every byte of \p uuid is zero.
 */
bool spdk_uuid_is_null(const struct spdk_uuid *uuid);

/**
 * Set every byte of a UUID to zero.
 *
 * \param uuid The UUID.
 */
void spdk_uuid_set_null(struct spdk_uuid *uuid);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_UUID_H */
