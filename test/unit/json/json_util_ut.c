/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/json/json_util.c: decoder tables (strict and relaxed,
 * optional members, unknown, duplicate and missing members, wrong types, one
 * error log naming the member), array decoding, scalar decoders including
 * strings that replace a default and UUIDs, exact integer conversion of
 * number text at every type's limits, member lookup and iteration.
 */

#include "spdk/stdinc.h"
#include "spdk/util.h"
#include "json/json_util.c"
#include "updk_internal/json.h"

#include "ut_threads.h"

#include <setjmp.h>
#include <cmocka.h>

static struct spdk_json_val *
parse(const char *text)
{
	struct spdk_json_val *v = NULL;
	size_t n;
	char err[128];
	int rc = updk__json_parse(text, strlen(text), 0, &v, &n, NULL, err, sizeof(err));

	if (rc != 0) {
		fail_msg("parse of '%s' failed: %d %s", text, rc, err);
	}
	return v;
}

struct opts {
	char *name;
	uint64_t num_blocks;
	uint32_t block_size;
	int32_t offset;
	uint16_t port;
	uint8_t level;
	bool enable;
	int64_t delta;
	struct spdk_uuid uuid;
};

static const struct spdk_json_object_decoder opts_decoders[] = {
	{"name", offsetof(struct opts, name), spdk_json_decode_string},
	{"num_blocks", offsetof(struct opts, num_blocks), spdk_json_decode_uint64},
	{"block_size", offsetof(struct opts, block_size), spdk_json_decode_uint32, true},
	{"offset", offsetof(struct opts, offset), spdk_json_decode_int32, true},
	{"port", offsetof(struct opts, port), spdk_json_decode_uint16, true},
	{"level", offsetof(struct opts, level), spdk_json_decode_uint8, true},
	{"enable", offsetof(struct opts, enable), spdk_json_decode_bool, true},
	{"delta", offsetof(struct opts, delta), spdk_json_decode_int64, true},
	{"uuid", offsetof(struct opts, uuid), spdk_json_decode_uuid, true},
};

static void
decode_object_fills_struct(void **state)
{
	struct spdk_json_val *v =
		parse("{\"name\": \"Malloc0\", \"num_blocks\": 18446744073709551615,"
		      " \"offset\": -5, \"port\": 65535, \"level\": 255,"
		      " \"enable\": true, \"delta\": -9223372036854775808,"
		      " \"uuid\": \"6ba7b810-9dad-11d1-80b4-00c04fd430c8\"}");
	struct opts o = {.block_size = 512};
	struct spdk_uuid expected;

	o.name = strdup("default");
	assert_int_equal(spdk_json_decode_object(v, opts_decoders, SPDK_COUNTOF(opts_decoders), &o),
			 0);
	assert_string_equal(o.name, "Malloc0");
	assert_true(o.num_blocks == UINT64_MAX);
	assert_int_equal(o.block_size, 512);
	assert_int_equal(o.offset, -5);
	assert_int_equal(o.port, 65535);
	assert_int_equal(o.level, 255);
	assert_true(o.enable);
	assert_true(o.delta == INT64_MIN);
	assert_int_equal(spdk_uuid_parse(&expected, "6ba7b810-9dad-11d1-80b4-00c04fd430c8"), 0);
	assert_memory_equal(&o.uuid, &expected, sizeof(expected));
	spdk_json_free_object(opts_decoders, SPDK_COUNTOF(opts_decoders), &o);
	assert_null(o.name);
	updk__json_free(v);
}

static void
decode_object_failures_log_the_member(void **state)
{
	static const struct {
		const char *text;
		const char *log;
	} cases[] = {
		{"{\"name\": \"a\", \"num_blocks\": 1, \"bogus\": 1}", "unknown key \"bogus\""},
		{"{\"name\": \"a\"}", "required key \"num_blocks\" is missing"},
		{"{\"name\": 5, \"num_blocks\": 1}", "invalid value for \"name\" (a number)"},
		{"{\"name\": \"a\", \"num_blocks\": -1}", "invalid value for \"num_blocks\""},
		{"{\"name\": \"a\", \"num_blocks\": 1.5}", "invalid value for \"num_blocks\""},
		{"{\"name\": \"a\", \"num_blocks\": 1, \"port\": 65536}",
		 "invalid value for \"port\""},
		{"{\"name\": \"a\", \"num_blocks\": 1, \"enable\": 1}",
		 "invalid value for \"enable\""},
		{"{\"name\": \"a\", \"num_blocks\": 1, \"uuid\": \"xyz\"}",
		 "invalid value for \"uuid\""},
		{"[1]", "expected an object, got an array"},
	};
	struct spdk_json_val *v;
	struct opts o;
	size_t i;

	for (i = 0; i < SPDK_COUNTOF(cases); i++) {
		memset(&o, 0, sizeof(o));
		v = parse(cases[i].text);
		ut_log_clear();
		assert_int_equal(
			spdk_json_decode_object(v, opts_decoders, SPDK_COUNTOF(opts_decoders), &o),
			-EINVAL);
		assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
		if (cases[i].log != NULL &&
		    ut_log_count_matching(SPDK_LOG_ERROR, cases[i].log, NULL) != 1) {
			ut_log_dump();
			fail_msg("case %zu: no log line with '%s'", i, cases[i].log);
		}
		spdk_json_free_object(opts_decoders, SPDK_COUNTOF(opts_decoders), &o);
		updk__json_free(v);
	}
	/* The parser rejects duplicate names; a hand-built array may have them. */
	{
		struct spdk_json_val dup[] = {
			{.type = SPDK_JSON_VAL_OBJECT_BEGIN, .len = 4},
			{.start = (void *)(uintptr_t) "num_blocks",
			 .len = 10,
			 .type = SPDK_JSON_VAL_NAME},
			{.start = (void *)(uintptr_t) "1", .len = 1, .type = SPDK_JSON_VAL_NUMBER},
			{.start = (void *)(uintptr_t) "num_blocks",
			 .len = 10,
			 .type = SPDK_JSON_VAL_NAME},
			{.start = (void *)(uintptr_t) "2", .len = 1, .type = SPDK_JSON_VAL_NUMBER},
			{.type = SPDK_JSON_VAL_OBJECT_END},
		};

		ut_log_clear();
		assert_int_equal(spdk_json_decode_object(dup, opts_decoders,
							 SPDK_COUNTOF(opts_decoders), &o),
				 -EINVAL);
		assert_int_equal(
			ut_log_count_matching(SPDK_LOG_ERROR, "duplicate key \"num_blocks\"", NULL),
			1);
	}

	ut_log_clear();
	assert_int_equal(
		spdk_json_decode_object(NULL, opts_decoders, SPDK_COUNTOF(opts_decoders), &o),
		-EINVAL);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "got nothing", NULL), 1);
}

static void
decode_object_relaxed_ignores_unknown(void **state)
{
	struct spdk_json_val *v = parse("{\"name\": \"a\", \"num_blocks\": 2, \"other\": [1, {}]}");
	struct opts o = {};

	assert_int_equal(spdk_json_decode_object(v, opts_decoders, SPDK_COUNTOF(opts_decoders), &o),
			 -EINVAL);
	spdk_json_free_object(opts_decoders, SPDK_COUNTOF(opts_decoders), &o);
	assert_int_equal(
		spdk_json_decode_object_relaxed(v, opts_decoders, SPDK_COUNTOF(opts_decoders), &o),
		0);
	assert_string_equal(o.name, "a");
	assert_true(o.num_blocks == 2);
	spdk_json_free_object(opts_decoders, SPDK_COUNTOF(opts_decoders), &o);
	updk__json_free(v);
}

static void
decode_object_with_large_table(void **state)
{
	struct spdk_json_object_decoder table[200];
	uint32_t out[200] = {};
	char names[200][8];
	struct spdk_json_val *v;
	size_t i;

	for (i = 0; i < 200; i++) {
		snprintf(names[i], sizeof(names[i]), "k%zu", i);
		table[i].name = names[i];
		table[i].offset = i * sizeof(uint32_t);
		table[i].decode_func = spdk_json_decode_uint32;
		table[i].optional = i != 150;
	}
	v = parse("{\"k150\": 7, \"k199\": 9}");
	assert_int_equal(spdk_json_decode_object(v, table, 200, out), 0);
	assert_int_equal(out[150], 7);
	assert_int_equal(out[199], 9);
	updk__json_free(v);
}

static void
decode_string_rejects_embedded_nul(void **state)
{
	struct spdk_json_val *v = parse("[\"a\\u0000b\", \"ok\", 3]");
	char *s = strdup("old");

	assert_int_equal(spdk_json_decode_string(&v[1], &s), -EINVAL);
	assert_null(s);
	assert_int_equal(spdk_json_decode_string(&v[2], &s), 0);
	assert_string_equal(s, "ok");
	assert_int_equal(spdk_json_decode_string(&v[3], &s), -EINVAL);
	assert_null(s);
	assert_null(spdk_json_strdup(&v[1]));
	assert_null(spdk_json_strdup(&v[3]));
	updk__json_free(v);
}

static void
decode_array_with_stride(void **state)
{
	struct spdk_json_val *v = parse("[\"a\", \"bb\", \"ccc\"]");
	struct {
		char *s;
		int pad;
	} out[3] = {};
	uint32_t nums[2];
	size_t n = 99, i;

	assert_int_equal(spdk_json_decode_array(v, spdk_json_decode_string, &out[0].s, 3, &n,
						sizeof(out[0])),
			 0);
	assert_int_equal(n, 3);
	assert_string_equal(out[0].s, "a");
	assert_string_equal(out[1].s, "bb");
	assert_string_equal(out[2].s, "ccc");
	for (i = 0; i < 3; i++) {
		free(out[i].s);
		out[i].s = NULL;
	}

	ut_log_clear();
	assert_int_equal(spdk_json_decode_array(v, spdk_json_decode_string, &out[0].s, 2, &n,
						sizeof(out[0])),
			 -EINVAL);
	assert_int_equal(n, 2);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "more than 2 elements", NULL), 1);
	free(out[0].s);
	free(out[1].s);
	updk__json_free(v);

	v = parse("[1, \"x\"]");
	assert_int_equal(
		spdk_json_decode_array(v, spdk_json_decode_uint32, nums, 2, &n, sizeof(nums[0])),
		-EINVAL);
	assert_int_equal(n, 1);
	assert_int_equal(nums[0], 1);
	assert_int_equal(spdk_json_decode_array(&v[1], spdk_json_decode_uint32, nums, 2, &n,
						sizeof(nums[0])),
			 -EINVAL);
	updk__json_free(v);

	v = parse("[]");
	assert_int_equal(
		spdk_json_decode_array(v, spdk_json_decode_uint32, nums, 2, &n, sizeof(nums[0])),
		0);
	assert_int_equal(n, 0);
	updk__json_free(v);
}

static struct spdk_json_val
num(const char *text)
{
	struct spdk_json_val v = {
		.start = (void *)(uintptr_t)text,
		.len = (uint32_t)strlen(text),
		.type = SPDK_JSON_VAL_NUMBER,
	};

	return v;
}

static void
number_conversion_limits(void **state)
{
	struct spdk_json_val v;
	uint8_t u8;
	uint16_t u16;
	uint32_t u32;
	uint64_t u64;
	int32_t i32;
	int64_t i64;

	v = num("255");
	assert_int_equal(spdk_json_number_to_uint8(&v, &u8), 0);
	assert_int_equal(u8, 255);
	v = num("256");
	assert_int_equal(spdk_json_number_to_uint8(&v, &u8), -ERANGE);
	v = num("65535");
	assert_int_equal(spdk_json_number_to_uint16(&v, &u16), 0);
	assert_int_equal(u16, 65535);
	v = num("65536");
	assert_int_equal(spdk_json_number_to_uint16(&v, &u16), -ERANGE);
	v = num("4294967295");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), 0);
	assert_true(u32 == UINT32_MAX);
	v = num("4294967296");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), -ERANGE);
	v = num("18446744073709551615");
	assert_int_equal(spdk_json_number_to_uint64(&v, &u64), 0);
	assert_true(u64 == UINT64_MAX);
	v = num("18446744073709551616");
	assert_int_equal(spdk_json_number_to_uint64(&v, &u64), -ERANGE);
	v = num("-1");
	assert_int_equal(spdk_json_number_to_uint64(&v, &u64), -ERANGE);
	v = num("-0");
	assert_int_equal(spdk_json_number_to_uint64(&v, &u64), 0);
	assert_true(u64 == 0);
	v = num("-2147483648");
	assert_int_equal(spdk_json_number_to_int32(&v, &i32), 0);
	assert_true(i32 == INT32_MIN);
	v = num("-2147483649");
	assert_int_equal(spdk_json_number_to_int32(&v, &i32), -ERANGE);
	v = num("2147483648");
	assert_int_equal(spdk_json_number_to_int32(&v, &i32), -ERANGE);
	v = num("-9223372036854775808");
	assert_int_equal(spdk_json_number_to_int64(&v, &i64), 0);
	assert_true(i64 == INT64_MIN);
	v = num("9223372036854775807");
	assert_int_equal(spdk_json_number_to_int64(&v, &i64), 0);
	assert_true(i64 == INT64_MAX);
	v = num("9223372036854775808");
	assert_int_equal(spdk_json_number_to_int64(&v, &i64), -ERANGE);

	/* Exponents and fractions, when the value is integral. */
	v = num("1e3");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), 0);
	assert_int_equal(u32, 1000);
	v = num("2.50E+1");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), 0);
	assert_int_equal(u32, 25);
	v = num("100e-2");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), 0);
	assert_int_equal(u32, 1);
	v = num("0.000");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), 0);
	assert_int_equal(u32, 0);
	v = num("1.5");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), -ERANGE);
	v = num("1e-1");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), -ERANGE);
	v = num("1e20");
	assert_int_equal(spdk_json_number_to_uint64(&v, &u64), -ERANGE);
	v = num("1e99999999999");
	assert_int_equal(spdk_json_number_to_uint64(&v, &u64), -ERANGE);
	v = num("0e99999999999");
	assert_int_equal(spdk_json_number_to_uint64(&v, &u64), 0);

	/* Not numbers. */
	v = num("abc");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), -EINVAL);
	v = num("1e");
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), -EINVAL);
	v.type = SPDK_JSON_VAL_STRING;
	assert_int_equal(spdk_json_number_to_uint32(&v, &u32), -EINVAL);
	assert_int_equal(spdk_json_number_to_uint32(NULL, &u32), -EINVAL);
}

static void
find_and_iterate(void **state)
{
	struct spdk_json_val *v = parse("{\"subsystems\": [{\"subsystem\": \"bdev\", \"config\": "
					"[{\"method\": \"m1\"}, {\"method\": \"m2\", \"params\": "
					"{\"n\": 1}}]}, {\"subsystem\": \"x\", \"config\": null}],"
					" \"other\": 5}");
	struct spdk_json_val *key, *val, *subs, *s, *cfg, *e, *m;
	const char *methods[2] = {"m1", "m2"};
	int count = 0;

	assert_int_equal(spdk_json_find(v, "other", &key, &val, SPDK_JSON_VAL_NUMBER), 0);
	assert_true(spdk_json_strequal(key, "other"));
	assert_int_equal(val->type, SPDK_JSON_VAL_NUMBER);
	assert_int_equal(spdk_json_find(v, "other", NULL, NULL, SPDK_JSON_VAL_ANY), 0);
	assert_int_equal(spdk_json_find(v, "other", NULL, NULL, SPDK_JSON_VAL_STRING), -EDOM);
	assert_int_equal(spdk_json_find(v, "missing", NULL, NULL, SPDK_JSON_VAL_ANY), -ENOENT);
	assert_int_equal(spdk_json_find(v, "subsystem", NULL, NULL, SPDK_JSON_VAL_ANY), -ENOENT);
	assert_int_equal(spdk_json_find(&v[2], "x", NULL, NULL, SPDK_JSON_VAL_ANY), -EPROTOTYPE);
	assert_int_equal(spdk_json_find(NULL, "x", NULL, NULL, SPDK_JSON_VAL_ANY), -EINVAL);
	assert_int_equal(spdk_json_find_string(v, "other", NULL, NULL), -EDOM);

	assert_int_equal(spdk_json_find_array(v, "subsystems", NULL, &subs), 0);
	for (s = spdk_json_array_first(subs); s != NULL; s = spdk_json_next(s)) {
		assert_int_equal(spdk_json_find_string(s, "subsystem", NULL, &val), 0);
		if (!spdk_json_strequal(val, "bdev")) {
			assert_true(spdk_json_strequal(val, "x"));
			assert_int_equal(spdk_json_find_array(s, "config", NULL, &cfg), -EDOM);
			continue;
		}
		assert_int_equal(spdk_json_find_array(s, "config", NULL, &cfg), 0);
		for (e = spdk_json_array_first(cfg); e != NULL; e = spdk_json_next(e)) {
			assert_int_equal(spdk_json_find_string(e, "method", NULL, &m), 0);
			assert_true(spdk_json_strequal(m, methods[count]));
			count++;
		}
	}
	assert_int_equal(count, 2);

	/* Members of an object, by name. */
	count = 0;
	for (key = spdk_json_object_first(v); key != NULL; key = spdk_json_next(key)) {
		assert_int_equal(key->type, SPDK_JSON_VAL_NAME);
		count++;
	}
	assert_int_equal(count, 2);
	assert_null(spdk_json_object_first(subs));
	assert_null(spdk_json_array_first(v));
	assert_int_equal(spdk_json_val_len(v), v[0].len + 2);
	assert_int_equal(spdk_json_val_len(&v[1]), 1);
	assert_int_equal(spdk_json_val_len(NULL), 0);
	updk__json_free(v);

	v = parse("{\"a\": {}, \"b\": []}");
	assert_null(spdk_json_object_first(&v[2]));
	assert_null(spdk_json_array_first(&v[5]));
	updk__json_free(v);
}

static void
strequal_compares_length(void **state)
{
	struct spdk_json_val *v = parse("[\"abc\", \"ab\", 1]");

	assert_true(spdk_json_strequal(&v[1], "abc"));
	assert_false(spdk_json_strequal(&v[1], "ab"));
	assert_false(spdk_json_strequal(&v[2], "abc"));
	assert_false(spdk_json_strequal(&v[3], "1"));
	assert_false(spdk_json_strequal(NULL, "1"));
	updk__json_free(v);
}

static int
setup(void **state)
{
	ut_log_capture_start();
	return 0;
}

static int
teardown(void **state)
{
	ut_log_capture_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(decode_object_fills_struct),
		cmocka_unit_test(decode_object_failures_log_the_member),
		cmocka_unit_test(decode_object_relaxed_ignores_unknown),
		cmocka_unit_test(decode_object_with_large_table),
		cmocka_unit_test(decode_string_rejects_embedded_nul),
		cmocka_unit_test(decode_array_with_stride),
		cmocka_unit_test(number_conversion_limits),
		cmocka_unit_test(find_and_iterate),
		cmocka_unit_test(strequal_compares_length),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
