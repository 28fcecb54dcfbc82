/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/json/json_parse.c: JSON text becomes SPDK's flat value
 * array (types, lengths, container sizes, decoded strings, number text kept
 * as written), concatenated values are parsed one per call, unfinished
 * values ask for more input, syntax errors are reported with line and
 * column (early, when the text is broken before its end), nesting is limited,
 * comments are accepted only when asked for, and spdk_json_parse() follows
 * SPDK's contract (counting pass, in-place decoding, raw strings, end).
 */

#include "spdk/stdinc.h"
#include "spdk/util.h"
#include "json/json_parse.c"

#include <setjmp.h>
#include <cmocka.h>

static void
assert_val(const struct spdk_json_val *v, enum spdk_json_val_type type, const char *text)
{
	assert_int_equal(v->type, type);
	if (text != NULL) {
		assert_int_equal(v->len, strlen(text));
		assert_memory_equal(v->start, text, v->len);
	}
}

static void
parse_object_gives_flat_values(void **state)
{
	const char *text = "{\"a\": [1, \"x\"], \"b\": null, \"c\": true, \"d\": false, \"e\": {}}";
	struct spdk_json_val *v;
	size_t n, consumed;
	char err[128];

	assert_int_equal(
		updk__json_parse(text, strlen(text), 0, &v, &n, &consumed, err, sizeof(err)), 0);
	assert_int_equal(n, 16);
	assert_int_equal(consumed, strlen(text));
	assert_val(&v[0], SPDK_JSON_VAL_OBJECT_BEGIN, NULL);
	assert_int_equal(v[0].len, 14);
	assert_val(&v[1], SPDK_JSON_VAL_NAME, "a");
	assert_val(&v[2], SPDK_JSON_VAL_ARRAY_BEGIN, NULL);
	assert_int_equal(v[2].len, 2);
	assert_val(&v[3], SPDK_JSON_VAL_NUMBER, "1");
	assert_val(&v[4], SPDK_JSON_VAL_STRING, "x");
	assert_val(&v[5], SPDK_JSON_VAL_ARRAY_END, NULL);
	assert_val(&v[6], SPDK_JSON_VAL_NAME, "b");
	assert_val(&v[7], SPDK_JSON_VAL_NULL, "null");
	assert_val(&v[8], SPDK_JSON_VAL_NAME, "c");
	assert_val(&v[9], SPDK_JSON_VAL_TRUE, "true");
	assert_val(&v[10], SPDK_JSON_VAL_NAME, "d");
	assert_val(&v[11], SPDK_JSON_VAL_FALSE, "false");
	assert_val(&v[12], SPDK_JSON_VAL_NAME, "e");
	assert_val(&v[13], SPDK_JSON_VAL_OBJECT_BEGIN, NULL);
	assert_int_equal(v[13].len, 0);
	assert_val(&v[14], SPDK_JSON_VAL_OBJECT_END, NULL);
	assert_val(&v[15], SPDK_JSON_VAL_OBJECT_END, NULL);
	/* The text the values point to is a copy: strings are NUL-terminated. */
	assert_string_equal((const char *)v[4].start, "x");
	assert_ptr_not_equal(v[4].start, text + 12);
	assert_int_equal(spdk_json_val_len(&v[0]), n);
	updk__json_free(v);
}

static void
parse_decodes_escapes_and_keeps_number_text(void **state)
{
	const char *text = "[\"a\\\"b\\\\c\\n\\t\\u00e9\\ud83d\\ude00\", \"nul\\u0000in\", "
			   "18446744073709551615, -1.5e10, 0, 1E+2]";
	struct spdk_json_val *v;
	size_t n;

	assert_int_equal(updk__json_parse(text, strlen(text), 0, &v, &n, NULL, NULL, 0), 0);
	assert_int_equal(n, 8);
	assert_val(&v[1], SPDK_JSON_VAL_STRING, "a\"b\\c\n\t\xc3\xa9\xf0\x9f\x98\x80");
	assert_int_equal(v[2].type, SPDK_JSON_VAL_STRING);
	assert_int_equal(v[2].len, 6);
	assert_memory_equal(v[2].start, "nul\0in", 6);
	assert_val(&v[3], SPDK_JSON_VAL_NUMBER, "18446744073709551615");
	assert_val(&v[4], SPDK_JSON_VAL_NUMBER, "-1.5e10");
	assert_val(&v[5], SPDK_JSON_VAL_NUMBER, "0");
	assert_val(&v[6], SPDK_JSON_VAL_NUMBER, "1E+2");
	updk__json_free(v);
}

static void
parse_concatenated_values_one_per_call(void **state)
{
	const char *text = "{\"a\":1}{\"b\":2}\n [3]  \"s\" ";
	size_t off = 0, consumed, n;
	struct spdk_json_val *v;

	assert_int_equal(updk__json_parse(text, strlen(text), 0, &v, &n, &consumed, NULL, 0), 0);
	assert_int_equal(consumed, 7);
	assert_val(&v[1], SPDK_JSON_VAL_NAME, "a");
	updk__json_free(v);
	off += consumed;

	assert_int_equal(
		updk__json_parse(text + off, strlen(text) - off, 0, &v, &n, &consumed, NULL, 0), 0);
	assert_val(&v[1], SPDK_JSON_VAL_NAME, "b");
	updk__json_free(v);
	off += consumed;

	assert_int_equal(
		updk__json_parse(text + off, strlen(text) - off, 0, &v, &n, &consumed, NULL, 0), 0);
	assert_int_equal(n, 3);
	assert_val(&v[1], SPDK_JSON_VAL_NUMBER, "3");
	updk__json_free(v);
	off += consumed;

	assert_int_equal(
		updk__json_parse(text + off, strlen(text) - off, 0, &v, &n, &consumed, NULL, 0), 0);
	assert_int_equal(n, 1);
	assert_val(&v[0], SPDK_JSON_VAL_STRING, "s");
	updk__json_free(v);
	off += consumed;

	/* Only white space is left. */
	assert_int_equal(
		updk__json_parse(text + off, strlen(text) - off, 0, &v, &n, &consumed, NULL, 0),
		-EAGAIN);
}

static void
parse_unfinished_value_asks_for_more(void **state)
{
	static const char *const partial[] = {
		"",
		"   ",
		"{",
		"{\"a\"",
		"{\"a\": [1, 2",
		"{\"a\": \"abc",
		"{\"a\": \"ab\\",
		"{\"a\": tr",
		"[1, 2,",
		"12",
		"-",
		"true",
		"\"abc",
		"[\"\\u12",
	};
	struct spdk_json_val *v = NULL;
	size_t i, n;
	char err[128];

	for (i = 0; i < SPDK_COUNTOF(partial); i++) {
		int rc = updk__json_parse(partial[i], strlen(partial[i]), 0, &v, &n, NULL, err,
					  sizeof(err));

		if (rc != -EAGAIN) {
			fail_msg("'%s' gave %d (%s), expected -EAGAIN", partial[i], rc, err);
		}
	}
	/* A top-level number ends at the next delimiter. */
	assert_int_equal(updk__json_parse("12 ", 3, 0, &v, &n, NULL, NULL, 0), 0);
	assert_val(&v[0], SPDK_JSON_VAL_NUMBER, "12");
	updk__json_free(v);
}

static void
parse_syntax_error_names_line_and_column(void **state)
{
	const char *text = "{\n  \"a\": x\n}";
	struct spdk_json_val *v = NULL;
	size_t n;
	char err[128];

	assert_int_equal(updk__json_parse(text, strlen(text), 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_non_null(strstr(err, "line 2"));
	assert_non_null(strstr(err, "column"));

	assert_int_equal(updk__json_parse("[1}", 3, 0, &v, &n, NULL, err, sizeof(err)), -EINVAL);
	assert_non_null(strstr(err, "line 1 column 3: unexpected '}'"));

	assert_int_equal(updk__json_parse("}", 1, 0, &v, &n, NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(updk__json_parse(",", 1, 0, &v, &n, NULL, err, sizeof(err)), -EINVAL);
	assert_int_equal(updk__json_parse("hello world", 11, 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(updk__json_parse("{\"a\":1,}", 8, 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(updk__json_parse("[1e400]", 7, 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(updk__json_parse("[\"\\ud800\"]", 10, 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
}

static void
parse_error_before_the_end_is_reported_early(void **state)
{
	struct spdk_json_val *v = NULL;
	size_t n;
	char err[128];

	/* Broken long before the value could end: no need to wait for more. */
	assert_int_equal(updk__json_parse("{\"a\" 1 ", 7, 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(updk__json_parse("{garbage\n", 9, 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(updk__json_parse("[1 2 ", 5, 0, &v, &n, NULL, err, sizeof(err)), -EINVAL);
}

static void
parse_duplicate_names_fail(void **state)
{
	struct spdk_json_val *v = NULL;
	size_t n;
	char err[128];

	assert_int_equal(
		updk__json_parse("{\"a\":1,\"a\":2}", 13, 0, &v, &n, NULL, err, sizeof(err)),
		-EINVAL);
	assert_non_null(strstr(err, "duplicate"));
}

static void
parse_nesting_limit(void **state)
{
	char text[2 * (UPDK_JSON_MAX_DEPTH + 1) + 1];
	struct spdk_json_val *v = NULL;
	size_t n, i;
	char err[128];

	for (i = 0; i < UPDK_JSON_MAX_DEPTH; i++) {
		text[i] = '[';
		text[2 * UPDK_JSON_MAX_DEPTH - 1 - i] = ']';
	}
	assert_int_equal(
		updk__json_parse(text, 2 * UPDK_JSON_MAX_DEPTH, 0, &v, &n, NULL, err, sizeof(err)),
		0);
	assert_int_equal(n, 2 * UPDK_JSON_MAX_DEPTH);
	assert_int_equal(v[0].len, 2 * UPDK_JSON_MAX_DEPTH - 2);
	updk__json_free(v);

	memset(text, '[', UPDK_JSON_MAX_DEPTH + 1);
	assert_int_equal(
		updk__json_parse(text, UPDK_JSON_MAX_DEPTH + 1, 0, &v, &n, NULL, err, sizeof(err)),
		-ELOOP);
	assert_non_null(strstr(err, "deeply"));
}

static void
parse_comments_only_when_allowed(void **state)
{
	const char *text = "/* head */ {\"a\": // line\n 1, /* mid \n */ \"b\": \"/*x*/\"} // tail";
	struct spdk_json_val *v = NULL;
	size_t n, consumed;
	char err[128];

	assert_int_equal(updk__json_parse(text, strlen(text), 0, &v, &n, NULL, err, sizeof(err)),
			 -EINVAL);
	assert_int_equal(updk__json_parse(text, strlen(text), SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS,
					  &v, &n, &consumed, err, sizeof(err)),
			 0);
	assert_int_equal(n, 6);
	assert_val(&v[2], SPDK_JSON_VAL_NUMBER, "1");
	assert_val(&v[4], SPDK_JSON_VAL_STRING, "/*x*/");
	assert_int_equal(text[consumed - 1], '}');
	updk__json_free(v);

	/* An unfinished comment is an unfinished text. */
	assert_int_equal(updk__json_parse("[1, /* abc", 10, SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS, &v,
					  &n, NULL, err, sizeof(err)),
			 -EAGAIN);
	assert_int_equal(updk__json_parse("[1, /", 5, SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS, &v, &n,
					  NULL, err, sizeof(err)),
			 -EAGAIN);
	assert_int_equal(updk__json_parse("[1, /x]", 7, SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS, &v, &n,
					  NULL, err, sizeof(err)),
			 -EINVAL);
}

static void
spdk_json_parse_counts_then_decodes_in_place(void **state)
{
	char text[] = "{\"name\": \"a\\nb\", \"n\": [1, 2]} trailing";
	struct spdk_json_val vals[16];
	void *end = NULL;
	ssize_t rc;

	rc = spdk_json_parse(text, strlen(text), NULL, 0, &end, 0);
	assert_int_equal(rc, 9);
	assert_ptr_equal(end, text + strlen("{\"name\": \"a\\nb\", \"n\": [1, 2]}"));
	/* Counting did not touch the text. */
	assert_non_null(strstr(text, "a\\nb"));

	assert_int_equal(spdk_json_parse(text, strlen(text), vals, 3, NULL, 0),
			 SPDK_JSON_PARSE_INVALID);

	rc = spdk_json_parse(text, strlen(text), vals, SPDK_COUNTOF(vals), &end,
			     SPDK_JSON_PARSE_FLAG_DECODE_IN_PLACE);
	assert_int_equal(rc, 9);
	assert_val(&vals[1], SPDK_JSON_VAL_NAME, "name");
	assert_val(&vals[2], SPDK_JSON_VAL_STRING, "a\nb");
	/* Decoded into the caller's buffer. */
	assert_true((char *)vals[2].start > text && (char *)vals[2].start < text + sizeof(text));
	assert_val(&vals[5], SPDK_JSON_VAL_NUMBER, "1");
	assert_int_equal(vals[4].len, 2);
}

static void
spdk_json_parse_without_decode_keeps_raw_strings(void **state)
{
	char text[] = "[\"a\\nb\"]";
	struct spdk_json_val vals[4];

	assert_int_equal(spdk_json_parse(text, strlen(text), vals, SPDK_COUNTOF(vals), NULL, 0), 3);
	assert_val(&vals[1], SPDK_JSON_VAL_STRING, "a\\nb");
	assert_string_equal(text, "[\"a\\nb\"]");
}

static void
spdk_json_parse_reports_incomplete_invalid_and_depth(void **state)
{
	char partial[] = "{\"a\": [1";
	char bad[] = "{\"a\": nope}";
	char deep[UPDK_JSON_MAX_DEPTH + 2];

	memset(deep, '[', sizeof(deep));
	assert_int_equal(spdk_json_parse(partial, strlen(partial), NULL, 0, NULL, 0),
			 SPDK_JSON_PARSE_INCOMPLETE);
	assert_int_equal(spdk_json_parse(bad, strlen(bad), NULL, 0, NULL, 0),
			 SPDK_JSON_PARSE_INVALID);
	assert_int_equal(spdk_json_parse(deep, sizeof(deep), NULL, 0, NULL, 0),
			 SPDK_JSON_PARSE_MAX_DEPTH_EXCEEDED);
	assert_int_equal(spdk_json_parse(NULL, 4, NULL, 0, NULL, 0), SPDK_JSON_PARSE_INVALID);
}

static void
parse_rejects_bad_arguments(void **state)
{
	struct spdk_json_val *v;
	size_t n;

	assert_int_equal(updk__json_parse(NULL, 3, 0, &v, &n, NULL, NULL, 0), -EINVAL);
	assert_int_equal(updk__json_parse("[1]", 3, 0, NULL, &n, NULL, NULL, 0), -EINVAL);
	assert_int_equal(updk__json_parse("[1]", 3, 0, &v, NULL, NULL, NULL, 0), -EINVAL);
	updk__json_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_object_gives_flat_values),
		cmocka_unit_test(parse_decodes_escapes_and_keeps_number_text),
		cmocka_unit_test(parse_concatenated_values_one_per_call),
		cmocka_unit_test(parse_unfinished_value_asks_for_more),
		cmocka_unit_test(parse_syntax_error_names_line_and_column),
		cmocka_unit_test(parse_error_before_the_end_is_reported_early),
		cmocka_unit_test(parse_duplicate_names_fail),
		cmocka_unit_test(parse_nesting_limit),
		cmocka_unit_test(parse_comments_only_when_allowed),
		cmocka_unit_test(spdk_json_parse_counts_then_decodes_in_place),
		cmocka_unit_test(spdk_json_parse_without_decode_keeps_raw_strings),
		cmocka_unit_test(spdk_json_parse_reports_incomplete_invalid_and_depth),
		cmocka_unit_test(parse_rejects_bad_arguments),
	};

	spdk_log_set_print_level(SPDK_LOG_DISABLED);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
