/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/util/string.c: error messages, allocating formatters, checked number and
 * size parsing, trimming, quoted splitting, padded fields, address splitting, string arrays,
 * replacement and the bounded copy.
 */

#include "spdk/stdinc.h"
#include "util/string.c"

#include <setjmp.h>
#include <cmocka.h>

static void
strerror_gives_the_libc_message(void **state)
{
	assert_string_equal(spdk_strerror(ENOMEM), strerror(ENOMEM));
	assert_string_equal(spdk_strerror(EINVAL), strerror(EINVAL));
}

static void
strerror_of_unknown_or_negative_errno_says_unknown(void **state)
{
	assert_string_equal(spdk_strerror(99999), "Unknown error 99999");
	assert_string_equal(spdk_strerror(-ENOMEM), "Unknown error -12");
}

static void
strerror_reuses_one_buffer_per_thread(void **state)
{
	const char *a = spdk_strerror(EIO);
	const char *b = spdk_strerror(EAGAIN);

	assert_ptr_equal(a, b);
	assert_string_equal(b, strerror(EAGAIN));
}

static void
strerror_r_truncates_and_terminates(void **state)
{
	char buf[8];

	memset(buf, 'z', sizeof(buf));
	spdk_strerror_r(ENOMEM, buf, sizeof(buf));
	assert_int_equal(strlen(buf), sizeof(buf) - 1);
	assert_memory_equal(buf, strerror(ENOMEM), sizeof(buf) - 1);

	spdk_strerror_r(ENOMEM, NULL, 10);
	buf[0] = 'q';
	spdk_strerror_r(ENOMEM, buf, 0);
	assert_int_equal(buf[0], 'q');
}

static void
sprintf_alloc_formats_into_new_buffer(void **state)
{
	char *s = spdk_sprintf_alloc("%s-%d", "bdev", 42);
	char big[5000];
	char *l;

	assert_string_equal(s, "bdev-42");
	free(s);

	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	l = spdk_sprintf_alloc("<%s>", big);
	assert_non_null(l);
	assert_int_equal(strlen(l), sizeof(big) + 1);
	free(l);
}

static void
append_realloc_appends_and_accepts_null(void **state)
{
	char *s = spdk_sprintf_append_realloc(NULL, "a%d", 1);

	assert_string_equal(s, "a1");
	s = spdk_sprintf_append_realloc(s, ",b%d", 2);
	assert_string_equal(s, "a1,b2");
	s = spdk_sprintf_append_realloc(s, "%s", "");
	assert_string_equal(s, "a1,b2");
	free(s);
}

static void
strlwr_lowers_in_place(void **state)
{
	char s[] = "MiXeD-123";

	assert_ptr_equal(spdk_strlwr(s), s);
	assert_string_equal(s, "mixed-123");
	assert_null(spdk_strlwr(NULL));
}

static void
strtol_accepts_only_whole_non_negative_numbers(void **state)
{
	char huge[64];

	assert_int_equal(spdk_strtol("123", 10), 123);
	assert_int_equal(spdk_strtol("0", 10), 0);
	assert_int_equal(spdk_strtol("0x1f", 0), 31);
	assert_int_equal(spdk_strtol("ff", 16), 255);
	assert_int_equal(spdk_strtol("010", 0), 8);
	assert_int_equal(spdk_strtol("  7", 10), 7);
	assert_int_equal(spdk_strtol("-1", 10), -ERANGE);
	assert_int_equal(spdk_strtol("12a", 10), -EINVAL);
	assert_int_equal(spdk_strtol("", 10), -EINVAL);
	assert_int_equal(spdk_strtol(" ", 10), -EINVAL);
	assert_int_equal(spdk_strtol("abc", 10), -EINVAL);
	assert_int_equal(spdk_strtol(NULL, 10), -EINVAL);
	assert_int_equal(spdk_strtol("1", 1), -EINVAL);
	assert_int_equal(spdk_strtol("1", 37), -EINVAL);
	snprintf(huge, sizeof(huge), "%lu0", (unsigned long)LONG_MAX);
	assert_int_equal(spdk_strtol(huge, 10), -ERANGE);
	snprintf(huge, sizeof(huge), "%ld", LONG_MAX);
	assert_int_equal(spdk_strtol(huge, 10), LONG_MAX);
}

static void
strtoll_accepts_only_whole_non_negative_numbers(void **state)
{
	assert_int_equal(spdk_strtoll("9223372036854775807", 10), LLONG_MAX);
	assert_int_equal(spdk_strtoll("9223372036854775808", 10), -ERANGE);
	assert_int_equal(spdk_strtoll("-5", 10), -ERANGE);
	assert_int_equal(spdk_strtoll("5 ", 10), -EINVAL);
	assert_int_equal(spdk_strtoll(NULL, 0), -EINVAL);
	assert_int_equal(spdk_strtoll("0x10", 0), 16);
}

static void
strtol_preserves_errno(void **state)
{
	errno = EAGAIN;
	assert_int_equal(spdk_strtol("99999999999999999999999", 10), -ERANGE);
	assert_int_equal(errno, EAGAIN);
	assert_int_equal(spdk_strtoll("x", 10), -EINVAL);
	assert_int_equal(errno, EAGAIN);
}

static void
parse_capacity_applies_binary_multiples(void **state)
{
	uint64_t cap = 0;
	bool prefix = true;

	assert_int_equal(spdk_parse_capacity("4096", &cap, &prefix), 0);
	assert_int_equal(cap, 4096);
	assert_false(prefix);

	assert_int_equal(spdk_parse_capacity("4k", &cap, &prefix), 0);
	assert_int_equal(cap, 4096);
	assert_true(prefix);
	assert_int_equal(spdk_parse_capacity("4K", &cap, NULL), 0);
	assert_int_equal(cap, 4096);
	assert_int_equal(spdk_parse_capacity("4KB", &cap, NULL), 0);
	assert_int_equal(cap, 4096);
	assert_int_equal(spdk_parse_capacity("64m", &cap, NULL), 0);
	assert_int_equal(cap, 64ULL << 20);
	assert_int_equal(spdk_parse_capacity("2G", &cap, NULL), 0);
	assert_int_equal(cap, 2ULL << 30);
	assert_int_equal(spdk_parse_capacity("3gb", &cap, NULL), 0);
	assert_int_equal(cap, 3ULL << 30);
	assert_int_equal(spdk_parse_capacity("1T", &cap, NULL), 0);
	assert_int_equal(cap, 1ULL << 40);
	assert_int_equal(spdk_parse_capacity(" 8M\n", &cap, NULL), 0);
	assert_int_equal(cap, 8ULL << 20);
	assert_int_equal(spdk_parse_capacity("0k", &cap, &prefix), 0);
	assert_int_equal(cap, 0);
	assert_true(prefix);
}

static void
parse_capacity_rejects_malformed_and_overflowing_sizes(void **state)
{
	uint64_t cap = 77;
	bool prefix = false;

	assert_int_equal(spdk_parse_capacity("", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("k", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("-1", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("+1", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("12x", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("12kk", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("12 k", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("512B", &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity(NULL, &cap, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("1", NULL, &prefix), -EINVAL);
	assert_int_equal(spdk_parse_capacity("18446744073709551616", &cap, &prefix), -ERANGE);
	assert_int_equal(spdk_parse_capacity("16777216T", &cap, &prefix), -ERANGE);
	assert_int_equal(cap, 77);
	assert_false(prefix);
	assert_int_equal(spdk_parse_capacity("16777215T", &cap, &prefix), 0);
	assert_int_equal(cap, 16777215ULL << 40);
}

static void
str_trim_removes_outer_white_space_in_place(void **state)
{
	char a[] = " \t a b \n ";
	char b[] = "   ";
	char c[] = "x";

	assert_ptr_equal(spdk_str_trim(a), a);
	assert_string_equal(a, "a b");
	assert_string_equal(spdk_str_trim(b), "");
	assert_string_equal(spdk_str_trim(c), "x");
	assert_null(spdk_str_trim(NULL));
}

static void
str_chomp_removes_trailing_newlines(void **state)
{
	char a[] = "line\r\n\n";
	char b[] = "line";
	char c[] = "\n";

	assert_int_equal(spdk_str_chomp(a), 3);
	assert_string_equal(a, "line");
	assert_int_equal(spdk_str_chomp(b), 0);
	assert_int_equal(spdk_str_chomp(c), 1);
	assert_string_equal(c, "");
	assert_int_equal(spdk_str_chomp(NULL), 0);
}

static void
strsepq_splits_honouring_quotes_and_escapes(void **state)
{
	char s[] = "a \"b c\" 'd e' f\\ g \"x\\\"y\" 'p\\q'";
	char *p = s;

	assert_string_equal(spdk_strsepq(&p, " "), "a");
	assert_string_equal(spdk_strsepq(&p, " "), "b c");
	assert_string_equal(spdk_strsepq(&p, " "), "d e");
	assert_string_equal(spdk_strsepq(&p, " "), "f g");
	assert_string_equal(spdk_strsepq(&p, " "), "x\"y");
	assert_string_equal(spdk_strsepq(&p, " "), "p\\q");
	assert_null(p);
	assert_null(spdk_strsepq(&p, " "));
	assert_null(spdk_strsepq(NULL, " "));
}

static void
strsepq_skips_repeated_delimiters_and_stops_at_newline(void **state)
{
	char a[] = ",x,,y,,";
	char b[] = "one two\nthree";
	char *p = a;

	assert_string_equal(spdk_strsepq(&p, ","), "");
	assert_string_equal(spdk_strsepq(&p, ","), "x");
	assert_string_equal(spdk_strsepq(&p, ","), "y");
	assert_null(p);

	p = b;
	assert_string_equal(spdk_strsepq(&p, " "), "one");
	assert_string_equal(spdk_strsepq(&p, " "), "two");
	assert_null(p);
}

static void
strcpy_pad_fills_and_cuts_the_field(void **state)
{
	char field[8];

	spdk_strcpy_pad(field, "abc", sizeof(field), ' ');
	assert_memory_equal(field, "abc     ", 8);
	assert_int_equal(spdk_strlen_pad(field, sizeof(field), ' '), 3);

	spdk_strcpy_pad(field, "0123456789", sizeof(field), ' ');
	assert_memory_equal(field, "01234567", 8);
	assert_int_equal(spdk_strlen_pad(field, sizeof(field), ' '), 8);

	memset(field, 0, sizeof(field));
	assert_int_equal(spdk_strlen_pad(field, sizeof(field), 0), 0);
	assert_int_equal(spdk_strlen_pad(field, 0, 0), 0);
}

static void
parse_ip_addr_splits_host_and_port(void **state)
{
	char v4[] = "10.0.0.1:4420";
	char v4_bare[] = "10.0.0.1";
	char v6[] = "[fe80::1]:4420";
	char v6_bare[] = "[::1]";
	char v6_unbracketed[] = "::1";
	char *host, *port;

	assert_int_equal(spdk_parse_ip_addr(v4, &host, &port), 0);
	assert_string_equal(host, "10.0.0.1");
	assert_string_equal(port, "4420");
	assert_int_equal(spdk_parse_ip_addr(v4_bare, &host, &port), 0);
	assert_string_equal(host, "10.0.0.1");
	assert_null(port);
	assert_int_equal(spdk_parse_ip_addr(v6, &host, &port), 0);
	assert_string_equal(host, "fe80::1");
	assert_string_equal(port, "4420");
	assert_int_equal(spdk_parse_ip_addr(v6_bare, &host, &port), 0);
	assert_string_equal(host, "::1");
	assert_null(port);
	assert_int_equal(spdk_parse_ip_addr(v6_unbracketed, &host, &port), 0);
	assert_string_equal(host, "::1");
	assert_null(port);
}

static void
parse_ip_addr_rejects_unclosed_brackets(void **state)
{
	char open[] = "[::1";
	char junk[] = "[::1]x";
	char *host, *port;

	assert_int_equal(spdk_parse_ip_addr(open, &host, &port), -EINVAL);
	assert_int_equal(spdk_parse_ip_addr(junk, &host, &port), -EINVAL);
	assert_int_equal(spdk_parse_ip_addr(NULL, &host, &port), -EINVAL);
}

static void
mem_all_zero_checks_every_byte(void **state)
{
	uint8_t buf[100] = {0};

	assert_true(spdk_mem_all_zero(buf, sizeof(buf)));
	assert_true(spdk_mem_all_zero(buf, 0));
	buf[99] = 1;
	assert_false(spdk_mem_all_zero(buf, sizeof(buf)));
	assert_true(spdk_mem_all_zero(buf, 99));
	buf[0] = 1;
	assert_false(spdk_mem_all_zero(buf, 1));
}

static void
strarray_from_string_keeps_empty_items(void **state)
{
	char **a = spdk_strarray_from_string("a,b;;c", ",;");
	char **e = spdk_strarray_from_string("", ",");
	char **d;

	assert_non_null(a);
	assert_string_equal(a[0], "a");
	assert_string_equal(a[1], "b");
	assert_string_equal(a[2], "");
	assert_string_equal(a[3], "c");
	assert_null(a[4]);

	assert_non_null(e);
	assert_string_equal(e[0], "");
	assert_null(e[1]);

	d = spdk_strarray_dup((const char **)a);
	assert_non_null(d);
	assert_ptr_not_equal(d[0], a[0]);
	assert_string_equal(d[3], "c");
	assert_null(d[4]);

	spdk_strarray_free(a);
	spdk_strarray_free(e);
	spdk_strarray_free(d);
	spdk_strarray_free(NULL);
	assert_null(spdk_strarray_from_string(NULL, ","));
	assert_null(spdk_strarray_dup(NULL));
}

static void
strcpy_replace_replaces_every_occurrence(void **state)
{
	char dst[16];

	assert_int_equal(spdk_strcpy_replace(dst, sizeof(dst), "a-b-c", "-", "--"), 0);
	assert_string_equal(dst, "a--b--c");
	assert_int_equal(spdk_strcpy_replace(dst, sizeof(dst), "aaaa", "aa", "b"), 0);
	assert_string_equal(dst, "bb");
	assert_int_equal(spdk_strcpy_replace(dst, sizeof(dst), "xyz", "q", "r"), 0);
	assert_string_equal(dst, "xyz");
	assert_int_equal(spdk_strcpy_replace(dst, sizeof(dst), "a.b", ".", ""), 0);
	assert_string_equal(dst, "ab");
}

static void
strcpy_replace_that_does_not_fit_leaves_dst_alone(void **state)
{
	char dst[8] = "keep";

	assert_int_equal(spdk_strcpy_replace(dst, sizeof(dst), "a-b-c-d", "-", "---"), -EINVAL);
	assert_string_equal(dst, "keep");
	assert_int_equal(spdk_strcpy_replace(dst, 4, "abcd", "x", "y"), -EINVAL);
	assert_int_equal(spdk_strcpy_replace(dst, sizeof(dst), "abc", "", "y"), -EINVAL);
	assert_int_equal(spdk_strcpy_replace(dst, sizeof(dst), NULL, "a", "y"), -EINVAL);
	assert_string_equal(dst, "keep");
}

static void
strlcpy_cuts_terminates_and_returns_source_length(void **state)
{
	char dst[4];

	assert_int_equal(updk_strlcpy(dst, "ab", sizeof(dst)), 2);
	assert_string_equal(dst, "ab");
	assert_int_equal(updk_strlcpy(dst, "abcdef", sizeof(dst)), 6);
	assert_string_equal(dst, "abc");
	dst[0] = 'z';
	assert_int_equal(updk_strlcpy(dst, "abc", 0), 3);
	assert_int_equal(dst[0], 'z');
	assert_int_equal(updk_strlcpy(NULL, "abc", 0), 3);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(strerror_gives_the_libc_message),
		cmocka_unit_test(strerror_of_unknown_or_negative_errno_says_unknown),
		cmocka_unit_test(strerror_reuses_one_buffer_per_thread),
		cmocka_unit_test(strerror_r_truncates_and_terminates),
		cmocka_unit_test(sprintf_alloc_formats_into_new_buffer),
		cmocka_unit_test(append_realloc_appends_and_accepts_null),
		cmocka_unit_test(strlwr_lowers_in_place),
		cmocka_unit_test(strtol_accepts_only_whole_non_negative_numbers),
		cmocka_unit_test(strtoll_accepts_only_whole_non_negative_numbers),
		cmocka_unit_test(strtol_preserves_errno),
		cmocka_unit_test(parse_capacity_applies_binary_multiples),
		cmocka_unit_test(parse_capacity_rejects_malformed_and_overflowing_sizes),
		cmocka_unit_test(str_trim_removes_outer_white_space_in_place),
		cmocka_unit_test(str_chomp_removes_trailing_newlines),
		cmocka_unit_test(strsepq_splits_honouring_quotes_and_escapes),
		cmocka_unit_test(strsepq_skips_repeated_delimiters_and_stops_at_newline),
		cmocka_unit_test(strcpy_pad_fills_and_cuts_the_field),
		cmocka_unit_test(parse_ip_addr_splits_host_and_port),
		cmocka_unit_test(parse_ip_addr_rejects_unclosed_brackets),
		cmocka_unit_test(mem_all_zero_checks_every_byte),
		cmocka_unit_test(strarray_from_string_keeps_empty_items),
		cmocka_unit_test(strcpy_replace_replaces_every_occurrence),
		cmocka_unit_test(strcpy_replace_that_does_not_fit_leaves_dst_alone),
		cmocka_unit_test(strlcpy_cuts_terminates_and_returns_source_length),
	};

	return cmocka_run_group_tests_name("string", tests, NULL, NULL);
}
