/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * UUIDs (spdk/uuid.h): parsing and formatting of the 8-4-4-4-12 form, and
 * random version 4 generation from /dev/urandom (with a time-seeded fallback
 * when it cannot be read, so generation never fails).
 */

#include "spdk/stdinc.h"
#include "spdk/uuid.h"
#include "spdk/log.h"

/* Byte index at which each hyphen of the string form comes. */
static bool
uuid_is_hyphen_pos(size_t i)
{
	return i == 8 || i == 13 || i == 18 || i == 23;
}

static int
uuid_hex_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'f') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'F') {
		return c - 'A' + 10;
	}
	return -1;
}

int
spdk_uuid_parse(struct spdk_uuid *uuid, const char *uuid_str)
{
	struct spdk_uuid tmp;
	size_t i, byte = 0;
	int hi, lo;

	if (uuid == NULL || uuid_str == NULL || strlen(uuid_str) != SPDK_UUID_STRING_LEN - 1) {
		return -EINVAL;
	}
	for (i = 0; i < SPDK_UUID_STRING_LEN - 1;) {
		if (uuid_is_hyphen_pos(i)) {
			if (uuid_str[i] != '-') {
				return -EINVAL;
			}
			i++;
			continue;
		}
		hi = uuid_hex_value(uuid_str[i]);
		lo = uuid_hex_value(uuid_str[i + 1]);
		if (hi < 0 || lo < 0 || uuid_is_hyphen_pos(i + 1)) {
			return -EINVAL;
		}
		tmp.u.raw[byte++] = (uint8_t)(hi << 4 | lo);
		i += 2;
	}
	if (byte != sizeof(tmp.u.raw)) {
		return -EINVAL;
	}
	*uuid = tmp;
	return 0;
}

int
spdk_uuid_fmt_lower(char *uuid_str, size_t uuid_str_size, const struct spdk_uuid *uuid)
{
	static const char digits[] = "0123456789abcdef";
	size_t i, pos = 0;

	if (uuid_str == NULL || uuid == NULL || uuid_str_size < SPDK_UUID_STRING_LEN) {
		return -EINVAL;
	}
	for (i = 0; i < sizeof(uuid->u.raw); i++) {
		if (uuid_is_hyphen_pos(pos)) {
			uuid_str[pos++] = '-';
		}
		uuid_str[pos++] = digits[uuid->u.raw[i] >> 4];
		uuid_str[pos++] = digits[uuid->u.raw[i] & 0xf];
	}
	uuid_str[pos] = '\0';
	return 0;
}

int
spdk_uuid_compare(const struct spdk_uuid *u1, const struct spdk_uuid *u2)
{
	return memcmp(u1->u.raw, u2->u.raw, sizeof(u1->u.raw));
}

/* Fill \p buf from the kernel's random source; false when it cannot be read. */
static bool
uuid_read_random(uint8_t *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;
	int fd;

	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return false;
	}
	while (done < len) {
		n = read(fd, buf + done, len - done);
		if (n < 0 && errno == EINTR) {
			continue;
		}
		if (n <= 0) {
			break;
		}
		done += (size_t)n;
	}
	close(fd);
	return done == len;
}

/* Fallback source: a splitmix64 sequence seeded from the clock, the pid and a
 * counter, good enough for uniqueness inside one host. */
static void
uuid_fallback_random(uint8_t *buf, size_t len)
{
	static uint64_t counter;
	struct timespec ts;
	uint64_t x, z;
	size_t i;

	clock_gettime(CLOCK_REALTIME, &ts);
	x = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	x ^= (uint64_t)getpid() << 32;
	x += __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 0x9e3779b97f4a7c15ULL;
	for (i = 0; i < len; i++) {
		x += 0x9e3779b97f4a7c15ULL;
		z = x;
		z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
		z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
		buf[i] = (uint8_t)(z ^ (z >> 31));
	}
}

void
spdk_uuid_generate(struct spdk_uuid *uuid)
{
	if (uuid == NULL) {
		return;
	}
	if (!uuid_read_random(uuid->u.raw, sizeof(uuid->u.raw))) {
		uuid_fallback_random(uuid->u.raw, sizeof(uuid->u.raw));
	}
	/* Version 4 in the high nibble of byte 6, RFC 4122 variant in byte 8. */
	uuid->u.raw[6] = (uint8_t)((uuid->u.raw[6] & 0x0f) | 0x40);
	uuid->u.raw[8] = (uint8_t)((uuid->u.raw[8] & 0x3f) | 0x80);
}

void
spdk_uuid_copy(struct spdk_uuid *dst, const struct spdk_uuid *src)
{
	memcpy(dst->u.raw, src->u.raw, sizeof(dst->u.raw));
}

bool
spdk_uuid_is_null(const struct spdk_uuid *uuid)
{
	static const struct spdk_uuid null_uuid;

	return memcmp(uuid->u.raw, null_uuid.u.raw, sizeof(uuid->u.raw)) == 0;
}

void
spdk_uuid_set_null(struct spdk_uuid *uuid)
{
	memset(uuid->u.raw, 0, sizeof(uuid->u.raw));
}
