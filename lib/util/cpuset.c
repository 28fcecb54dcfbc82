/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * CPU sets of spdk/cpuset.h: bitmap operations, and conversion from and to the hexadecimal
 * mask and bracketed list forms that core masks take on command lines and over RPC.
 */

#include "spdk/stdinc.h"

#include "spdk/cpuset.h"
#include "spdk/log.h"

#define CPUSET_BYTES (SPDK_CPUSET_SIZE / 8)

/* Negation flips whole bytes, which must not reach past the last CPU. */
_Static_assert(SPDK_CPUSET_SIZE % 8 == 0, "CPU set size must be a multiple of 8");

struct spdk_cpuset *
spdk_cpuset_alloc(void)
{
	return calloc(1, sizeof(struct spdk_cpuset));
}

void
spdk_cpuset_free(struct spdk_cpuset *set)
{
	free(set);
}

bool
spdk_cpuset_equal(const struct spdk_cpuset *set1, const struct spdk_cpuset *set2)
{
	assert(set1 != NULL && set2 != NULL);
	return memcmp(set1->cpus, set2->cpus, sizeof(set1->cpus)) == 0;
}

void
spdk_cpuset_copy(struct spdk_cpuset *dst, const struct spdk_cpuset *src)
{
	assert(dst != NULL && src != NULL);
	memcpy(dst->cpus, src->cpus, sizeof(dst->cpus));
}

void
spdk_cpuset_and(struct spdk_cpuset *dst, const struct spdk_cpuset *src)
{
	assert(dst != NULL && src != NULL);
	for (size_t i = 0; i < CPUSET_BYTES; i++) {
		dst->cpus[i] &= src->cpus[i];
	}
}

void
spdk_cpuset_or(struct spdk_cpuset *dst, const struct spdk_cpuset *src)
{
	assert(dst != NULL && src != NULL);
	for (size_t i = 0; i < CPUSET_BYTES; i++) {
		dst->cpus[i] |= src->cpus[i];
	}
}

void
spdk_cpuset_xor(struct spdk_cpuset *dst, const struct spdk_cpuset *src)
{
	assert(dst != NULL && src != NULL);
	for (size_t i = 0; i < CPUSET_BYTES; i++) {
		dst->cpus[i] ^= src->cpus[i];
	}
}

void
spdk_cpuset_negate(struct spdk_cpuset *set)
{
	assert(set != NULL);
	for (size_t i = 0; i < CPUSET_BYTES; i++) {
		set->cpus[i] = (uint8_t)~set->cpus[i];
	}
}

void
spdk_cpuset_zero(struct spdk_cpuset *set)
{
	assert(set != NULL);
	memset(set->cpus, 0, sizeof(set->cpus));
}

void
spdk_cpuset_set_cpu(struct spdk_cpuset *set, uint32_t cpu, bool state)
{
	assert(set != NULL);
	if (cpu >= SPDK_CPUSET_SIZE) {
		return;
	}
	if (state) {
		set->cpus[cpu / 8] |= (uint8_t)(1u << (cpu % 8));
	} else {
		set->cpus[cpu / 8] &= (uint8_t) ~(1u << (cpu % 8));
	}
}

bool
spdk_cpuset_get_cpu(const struct spdk_cpuset *set, uint32_t cpu)
{
	assert(set != NULL);
	if (cpu >= SPDK_CPUSET_SIZE) {
		return false;
	}
	return (set->cpus[cpu / 8] >> (cpu % 8)) & 1u;
}

void
spdk_cpuset_for_each_cpu(const struct spdk_cpuset *set, void (*fn)(void *ctx, uint32_t cpu),
			 void *ctx)
{
	assert(set != NULL && fn != NULL);
	for (uint32_t byte = 0; byte < CPUSET_BYTES; byte++) {
		uint32_t bits = set->cpus[byte];

		while (bits != 0) {
			uint32_t bit = (uint32_t)__builtin_ctz(bits);

			fn(ctx, byte * 8 + bit);
			bits &= bits - 1;
		}
	}
}

uint32_t
spdk_cpuset_count(const struct spdk_cpuset *set)
{
	uint32_t count = 0;

	assert(set != NULL);
	for (size_t i = 0; i < CPUSET_BYTES; i++) {
		count += (uint32_t)__builtin_popcount(set->cpus[i]);
	}
	return count;
}

const char *
spdk_cpuset_fmt(struct spdk_cpuset *set)
{
	static const char digits[] = "0123456789abcdef";
	char *out;
	bool started = false;

	assert(set != NULL);
	out = set->str;
	for (size_t i = CPUSET_BYTES; i-- > 0;) {
		uint8_t nibbles[2] = {(uint8_t)(set->cpus[i] >> 4), (uint8_t)(set->cpus[i] & 0xf)};

		for (size_t n = 0; n < 2; n++) {
			if (!started && nibbles[n] == 0) {
				continue;
			}
			started = true;
			*out++ = digits[nibbles[n]];
		}
	}
	if (!started) {
		*out++ = '0';
	}
	*out = '\0';
	return set->str;
}

static int
cpuset_hex_value(char c)
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

/* Parses the hexadecimal mask in [p, end), least significant digit last. */
static int
cpuset_parse_mask(struct spdk_cpuset *set, const char *p, const char *end, const char *text)
{
	uint32_t bit = 0;
	bool any_digit = false;

	if (end - p >= 2 && p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
	}
	for (const char *c = end; c-- > p;) {
		int value;

		if (*c == ',') {
			continue;
		}
		value = cpuset_hex_value(*c);
		if (value < 0) {
			SPDK_ERRLOG("invalid character '%c' in CPU mask '%s'\n", *c, text);
			return -EINVAL;
		}
		any_digit = true;
		for (uint32_t j = 0; j < 4; j++, bit++) {
			if (((unsigned int)value >> j) & 1u) {
				if (bit >= SPDK_CPUSET_SIZE) {
					SPDK_ERRLOG("CPU mask '%s' names a CPU above %d\n", text,
						    SPDK_CPUSET_SIZE - 1);
					return -ERANGE;
				}
				spdk_cpuset_set_cpu(set, bit, true);
			}
		}
	}
	if (!any_digit) {
		SPDK_ERRLOG("CPU mask '%s' has no digits\n", text);
		return -EINVAL;
	}
	return 0;
}

static const char *
cpuset_skip_space(const char *p, const char *end)
{
	while (p < end && isspace((unsigned char)*p)) {
		p++;
	}
	return p;
}

/* Parses a decimal CPU number at *p, advancing *p. */
static int
cpuset_parse_cpu(const char **p, const char *end, uint32_t *cpu, const char *text)
{
	uint32_t value = 0;
	const char *start = *p;

	while (*p < end && isdigit((unsigned char)**p)) {
		/* Saturate; anything this large is out of range anyway. */
		if (value < SPDK_CPUSET_SIZE) {
			value = value * 10 + (uint32_t)(**p - '0');
		}
		(*p)++;
	}
	if (*p == start) {
		SPDK_ERRLOG("expected a CPU number at '%.*s' in CPU list '%s'\n",
			    (int)(end - start), start, text);
		return -EINVAL;
	}
	if (value >= SPDK_CPUSET_SIZE) {
		SPDK_ERRLOG("CPU list '%s' names a CPU above %d\n", text, SPDK_CPUSET_SIZE - 1);
		return -ERANGE;
	}
	*cpu = value;
	return 0;
}

/* Parses "[item,item,...]" in [p, end), where an item is "n" or "n-m". */
static int
cpuset_parse_list(struct spdk_cpuset *set, const char *p, const char *end, const char *text)
{
	int rc;

	if (end - p < 2 || end[-1] != ']') {
		SPDK_ERRLOG("CPU list '%s' does not end with ']'\n", text);
		return -EINVAL;
	}
	p++;
	end--;
	for (;;) {
		uint32_t first, last;

		p = cpuset_skip_space(p, end);
		rc = cpuset_parse_cpu(&p, end, &first, text);
		if (rc != 0) {
			return rc;
		}
		last = first;
		p = cpuset_skip_space(p, end);
		if (p < end && *p == '-') {
			p = cpuset_skip_space(p + 1, end);
			rc = cpuset_parse_cpu(&p, end, &last, text);
			if (rc != 0) {
				return rc;
			}
			if (last < first) {
				SPDK_ERRLOG("reversed range %" PRIu32 "-%" PRIu32
					    " in CPU list '%s'\n",
					    first, last, text);
				return -EINVAL;
			}
			p = cpuset_skip_space(p, end);
		}
		for (uint32_t cpu = first; cpu <= last; cpu++) {
			spdk_cpuset_set_cpu(set, cpu, true);
		}
		if (p == end) {
			return 0;
		}
		if (*p != ',') {
			SPDK_ERRLOG("unexpected '%c' in CPU list '%s'\n", *p, text);
			return -EINVAL;
		}
		p++;
	}
}

int
spdk_cpuset_parse(struct spdk_cpuset *set, const char *mask)
{
	struct spdk_cpuset parsed;
	const char *begin, *end;
	int rc;

	if (set == NULL || mask == NULL) {
		return -EINVAL;
	}
	begin = mask;
	while (isspace((unsigned char)*begin)) {
		begin++;
	}
	end = begin + strlen(begin);
	while (end > begin && isspace((unsigned char)end[-1])) {
		end--;
	}
	if (begin == end) {
		SPDK_ERRLOG("empty CPU mask\n");
		return -EINVAL;
	}

	/* Parse into a copy so that a bad mask leaves the caller's set alone. */
	memset(parsed.cpus, 0, sizeof(parsed.cpus));
	if (*begin == '[') {
		rc = cpuset_parse_list(&parsed, begin, end, mask);
	} else {
		rc = cpuset_parse_mask(&parsed, begin, end, mask);
	}
	if (rc != 0) {
		return rc;
	}
	memcpy(set->cpus, parsed.cpus, sizeof(set->cpus));
	return 0;
}
