/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/json/json_write.c: compact and formatted output, every
 * value type at its limits, string escaping (control characters, quotes,
 * non-ASCII as \u escapes with surrogate pairs, invalid UTF-8, UTF-16LE),
 * re-emitting parsed values, output larger than the internal buffer, and the
 * refusal of misuse and callback failures.
 */

#include "spdk/stdinc.h"
#include "spdk/util.h"
#include "json/json_write.c"
#include "updk_internal/json.h"

#include "ut_threads.h"

#include <setjmp.h>
#include <cmocka.h>

struct out {
	char *buf;
	size_t len;
	size_t cap;
	/* Fail the nth call (1-based); 0 never fails. */
	int fail_at;
	int calls;
	/* Largest piece received. */
	size_t max_piece;
};

static struct out g_out;

static int
out_cb(void *ctx, const void *data, size_t size)
{
	struct out *o = ctx;

	o->calls++;
	if (o->fail_at != 0 && o->calls == o->fail_at) {
		return -1;
	}
	if (size > o->max_piece) {
		o->max_piece = size;
	}
	if (o->len + size + 1 > o->cap) {
		o->cap = (o->len + size + 1) * 2;
		o->buf = realloc(o->buf, o->cap);
		assert_non_null(o->buf);
	}
	memcpy(o->buf + o->len, data, size);
	o->len += size;
	o->buf[o->len] = '\0';
	return 0;
}

static struct spdk_json_write_ctx *
begin(uint32_t flags)
{
	free(g_out.buf);
	memset(&g_out, 0, sizeof(g_out));
	return spdk_json_write_begin(out_cb, &g_out, flags);
}

static void
end_and_expect(struct spdk_json_write_ctx *w, const char *expected)
{
	assert_int_equal(spdk_json_write_end(w), 0);
	assert_non_null(g_out.buf);
	assert_string_equal(g_out.buf, expected);
}

static void
compact_object_with_every_type(void **state)
{
	struct spdk_json_write_ctx *w = begin(0);
	struct spdk_uuid uuid;
	uint8_t bytes[3] = {0x00, 0xab, 0xff};

	spdk_uuid_parse(&uuid, "6BA7B810-9DAD-11D1-80B4-00C04FD430C8");
	spdk_json_write_object_begin(w);
	spdk_json_write_named_null(w, "n");
	spdk_json_write_named_bool(w, "t", true);
	spdk_json_write_named_bool(w, "f", false);
	spdk_json_write_named_uint8(w, "u8", 255);
	spdk_json_write_named_uint16(w, "u16", 65535);
	spdk_json_write_named_int32(w, "i32", INT32_MIN);
	spdk_json_write_named_uint32(w, "u32", UINT32_MAX);
	spdk_json_write_named_int64(w, "i64", INT64_MIN);
	spdk_json_write_named_uint64(w, "u64", UINT64_MAX);
	spdk_json_write_named_uint128(w, "u128", 0, 1);
	spdk_json_write_named_double(w, "d", 0.1);
	spdk_json_write_named_string(w, "s", "x");
	spdk_json_write_named_string_fmt(w, "fmt", "%s-%d", "a", 7);
	spdk_json_write_named_bytearray(w, "bytes", bytes, sizeof(bytes));
	spdk_json_write_named_uuid(w, "uuid", &uuid);
	spdk_json_write_named_array_begin(w, "arr");
	spdk_json_write_uint32(w, 1);
	spdk_json_write_string(w, "two");
	spdk_json_write_array_begin(w);
	spdk_json_write_array_end(w);
	spdk_json_write_object_begin(w);
	spdk_json_write_object_end(w);
	spdk_json_write_array_end(w);
	spdk_json_write_named_object_begin(w, "obj");
	spdk_json_write_named_int32(w, "k", -1);
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
	end_and_expect(w, "{\"n\":null,\"t\":true,\"f\":false,\"u8\":255,\"u16\":65535,"
			  "\"i32\":-2147483648,\"u32\":4294967295,\"i64\":-9223372036854775808,"
			  "\"u64\":18446744073709551615,\"u128\":18446744073709551616,\"d\":0.1,"
			  "\"s\":\"x\",\"fmt\":\"a-7\",\"bytes\":\"00abff\","
			  "\"uuid\":\"6ba7b810-9dad-11d1-80b4-00c04fd430c8\","
			  "\"arr\":[1,\"two\",[],{}],\"obj\":{\"k\":-1}}");
}

static void
formatted_output_indents(void **state)
{
	struct spdk_json_write_ctx *w = begin(SPDK_JSON_WRITE_FLAG_FORMATTED);

	spdk_json_write_object_begin(w);
	spdk_json_write_named_array_begin(w, "subsystems");
	spdk_json_write_object_begin(w);
	spdk_json_write_named_string(w, "subsystem", "bdev");
	spdk_json_write_named_array_begin(w, "config");
	spdk_json_write_array_end(w);
	spdk_json_write_named_object_begin(w, "empty");
	spdk_json_write_object_end(w);
	spdk_json_write_object_end(w);
	spdk_json_write_uint32(w, 2);
	spdk_json_write_array_end(w);
	spdk_json_write_object_end(w);
	end_and_expect(w, "{\n"
			  "  \"subsystems\": [\n"
			  "    {\n"
			  "      \"subsystem\": \"bdev\",\n"
			  "      \"config\": [],\n"
			  "      \"empty\": {}\n"
			  "    },\n"
			  "    2\n"
			  "  ]\n"
			  "}");

	/* A top-level scalar has no decoration. */
	w = begin(SPDK_JSON_WRITE_FLAG_FORMATTED);
	spdk_json_write_string(w, "name");
	end_and_expect(w, "\"name\"");
}

static void
strings_are_escaped(void **state)
{
	struct spdk_json_write_ctx *w = begin(0);
	/* U+00E9, U+20AC, U+1F600, then invalid: a lone continuation byte, a
	 * truncated sequence, an overlong '/', and an encoded surrogate. */
	const char nasty[] = "q\"b\\s/\b\f\n\r\t\x01\x1f\x7f"
			     "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80"
			     "\x80|\xe2\x82|\xc0\xaf|\xed\xa0\x80";
	const uint16_t utf16[] = {'h', 0xe9, 0xd83d, 0xde00, 0xdc00, 0xd800, 'x', 0};

	spdk_json_write_array_begin(w);
	spdk_json_write_string(w, nasty);
	spdk_json_write_string_raw(w, "a\0b", 3);
	spdk_json_write_string_utf16le(w, utf16);
	spdk_json_write_string_utf16le_raw(w, utf16, 1);
	spdk_json_write_array_end(w);
	end_and_expect(w, "[\"q\\\"b\\\\s/\\b\\f\\n\\r\\t\\u0001\\u001f\x7f"
			  "\\u00e9\\u20ac\\ud83d\\ude00"
			  "\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd|\\ufffd\\ufffd\\ufffd\","
			  "\"a\\u0000b\","
			  "\"h\\u00e9\\ud83d\\ude00\\ufffd\\ufffdx\","
			  "\"h\"]");

	/* Names are escaped the same way. */
	w = begin(0);
	spdk_json_write_object_begin(w);
	spdk_json_write_named_bool(w, "a\"b", true);
	spdk_json_write_object_end(w);
	end_and_expect(w, "{\"a\\\"b\":true}");
}

static void
numbers_at_their_limits(void **state)
{
	struct spdk_json_write_ctx *w = begin(0);

	spdk_json_write_array_begin(w);
	spdk_json_write_uint128(w, 0, 0);
	spdk_json_write_uint128(w, UINT64_MAX, UINT64_MAX);
	spdk_json_write_uint128(w, 12345, 0);
	spdk_json_write_double(w, 1e300);
	spdk_json_write_double(w, -0.0);
	spdk_json_write_double(w, 0.1 + 0.2);
	spdk_json_write_double(w, 0.0 / 0.0);
	spdk_json_write_double(w, 1.0 / 0.0);
	spdk_json_write_double(w, 3);
	spdk_json_write_array_end(w);
	end_and_expect(w, "[0,340282366920938463463374607431768211455,12345,1e+300,-0,"
			  "0.30000000000000004,null,null,3]");
}

static void
long_strings_and_big_output(void **state)
{
	struct spdk_json_write_ctx *w = begin(0);
	char *big = malloc(10000);
	size_t i;

	assert_non_null(big);
	memset(big, 'x', 9999);
	big[9999] = '\0';
	spdk_json_write_array_begin(w);
	spdk_json_write_string_fmt(w, "%s", big);
	for (i = 0; i < 2000; i++) {
		spdk_json_write_uint32(w, (uint32_t)i);
	}
	spdk_json_write_val_raw(w, big, 5000);
	spdk_json_write_array_end(w);
	assert_int_equal(spdk_json_write_end(w), 0);
	assert_true(g_out.len > 10000 + 5000 + 2000);
	assert_true(g_out.calls > 2);
	assert_int_equal(g_out.buf[0], '[');
	assert_int_equal(g_out.buf[1], '"');
	assert_int_equal(g_out.buf[g_out.len - 1], ']');
	/* Runs longer than the buffer go to the callback in one piece. */
	assert_int_equal(g_out.max_piece, 9999);
	free(big);
}

static void
write_val_round_trips(void **state)
{
	const char *text = "{\"a\":[1,-2.5e3,\"x\\ny\",true,false,null,{}],\"b\":{\"c\":[]},"
			   "\"big\":18446744073709551616}";
	struct spdk_json_val *v;
	struct spdk_json_write_ctx *w;
	size_t n;

	assert_int_equal(updk__json_parse(text, strlen(text), 0, &v, &n, NULL, NULL, 0), 0);
	w = begin(0);
	assert_int_equal(spdk_json_write_val(w, v), 0);
	end_and_expect(w, text);

	/* Part of a value, inside another structure. */
	w = begin(0);
	spdk_json_write_object_begin(w);
	spdk_json_write_val(w, &v[1]);
	spdk_json_write_val(w, &v[2]);
	spdk_json_write_object_end(w);
	end_and_expect(w, "{\"a\":[1,-2.5e3,\"x\\ny\",true,false,null,{}]}");
	updk__json_free(v);
}

static void
misuse_is_refused_and_logged_once(void **state)
{
	struct spdk_json_write_ctx *w;

	ut_log_clear();
	w = begin(0);
	spdk_json_write_object_begin(w);
	assert_int_equal(spdk_json_write_uint32(w, 1), -EINVAL);
	assert_int_equal(spdk_json_write_name(w, "late"), -EINVAL);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);
	assert_int_equal(ut_log_count(SPDK_LOG_ERROR), 1);
	assert_int_equal(ut_log_count_matching(SPDK_LOG_ERROR, "needs a name", NULL), 1);

	w = begin(0);
	assert_int_equal(spdk_json_write_name(w, "x"), -EINVAL);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);

	w = begin(0);
	spdk_json_write_array_begin(w);
	assert_int_equal(spdk_json_write_object_end(w), -EINVAL);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);

	w = begin(0);
	spdk_json_write_object_begin(w);
	spdk_json_write_name(w, "x");
	assert_int_equal(spdk_json_write_name(w, "y"), -EINVAL);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);

	w = begin(0);
	spdk_json_write_object_begin(w);
	spdk_json_write_name(w, "x");
	assert_int_equal(spdk_json_write_object_end(w), -EINVAL);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);

	w = begin(0);
	spdk_json_write_array_begin(w);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);

	w = begin(0);
	spdk_json_write_uint32(w, 1);
	assert_int_equal(spdk_json_write_uint32(w, 2), -EINVAL);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);

	w = begin(0);
	assert_int_equal(spdk_json_write_string(w, NULL), -EINVAL);
	assert_int_equal(spdk_json_write_end(w), -EINVAL);

	assert_int_equal(spdk_json_write_null(NULL), -EINVAL);
	assert_int_equal(spdk_json_write_named_string(NULL, "a", "b"), -EINVAL);
	assert_int_equal(spdk_json_write_val(NULL, NULL), -EINVAL);
	assert_int_equal(spdk_json_write_end(NULL), 0);
	assert_null(spdk_json_write_begin(NULL, NULL, 0));
}

static void
callback_failure_fails_the_writer(void **state)
{
	struct spdk_json_write_ctx *w = begin(0);
	char big[5000];

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	g_out.fail_at = 1;
	spdk_json_write_array_begin(w);
	/* Overflowing the buffer flushes it, and the callback fails. */
	assert_int_equal(spdk_json_write_string(w, big), -EIO);
	assert_int_equal(spdk_json_write_uint32(w, 1), -EIO);
	assert_int_equal(spdk_json_write_array_end(w), -EIO);
	assert_int_equal(spdk_json_write_end(w), -EIO);

	w = begin(0);
	g_out.fail_at = 1;
	spdk_json_write_uint32(w, 1);
	assert_int_equal(spdk_json_write_end(w), -EIO);
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
	free(g_out.buf);
	memset(&g_out, 0, sizeof(g_out));
	ut_log_capture_stop();
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(compact_object_with_every_type),
		cmocka_unit_test(formatted_output_indents),
		cmocka_unit_test(strings_are_escaped),
		cmocka_unit_test(numbers_at_their_limits),
		cmocka_unit_test(long_strings_and_big_output),
		cmocka_unit_test(write_val_round_trips),
		cmocka_unit_test(misuse_is_refused_and_logged_once),
		cmocka_unit_test(callback_failure_fails_the_writer),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
