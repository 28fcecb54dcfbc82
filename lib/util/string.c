/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * String helpers of spdk/string.h and updk/string.h: error messages, formatting into
 * allocated buffers, checked parsing of numbers, sizes and addresses, in-place trimming and
 * splitting, padded fixed-size fields and string arrays. None of them keeps state except the
 * per-thread buffer of spdk_strerror().
 */

#include "spdk/stdinc.h"

#include "spdk/string.h"
#include "updk/string.h"

/* The size SPDK documents for spdk_strerror()'s buffer. */
#define STRERROR_BUF_SIZE 64

size_t
updk_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size > 0) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

void
spdk_strerror_r(int errnum, char *buf, size_t buflen)
{
	if (buf == NULL || buflen == 0) {
		return;
	}
#if defined(__GLIBC__) && defined(_GNU_SOURCE)
	/* The GNU variant may return a static string instead of filling buf. */
	const char *msg = strerror_r(errnum, buf, buflen);

	if (msg == NULL) {
		snprintf(buf, buflen, "Unknown error %d", errnum);
	} else if (msg != buf) {
		updk_strlcpy(buf, msg, buflen);
	}
#else
	if (strerror_r(errnum, buf, buflen) != 0) {
		snprintf(buf, buflen, "Unknown error %d", errnum);
	}
#endif
}

const char *
spdk_strerror(int errnum)
{
	static _Thread_local char buf[STRERROR_BUF_SIZE];

	spdk_strerror_r(errnum, buf, sizeof(buf));
	return buf;
}

char *
spdk_vsprintf_append_realloc(char *buffer, const char *format, va_list args)
{
	va_list copy;
	size_t old_len = buffer != NULL ? strlen(buffer) : 0;
	char *result;
	int n;

	if (format == NULL) {
		return NULL;
	}
	va_copy(copy, args);
	n = vsnprintf(NULL, 0, format, copy);
	va_end(copy);
	if (n < 0 || (size_t)n > SIZE_MAX - old_len - 1) {
		return NULL;
	}

	/* On failure realloc() leaves buffer alone, which is the documented contract. */
	result = realloc(buffer, old_len + (size_t)n + 1);
	if (result == NULL) {
		return NULL;
	}
	vsnprintf(result + old_len, (size_t)n + 1, format, args);
	return result;
}

char *
spdk_vsprintf_alloc(const char *format, va_list args)
{
	return spdk_vsprintf_append_realloc(NULL, format, args);
}

char *
spdk_sprintf_alloc(const char *format, ...)
{
	va_list args;
	char *result;

	va_start(args, format);
	result = spdk_vsprintf_alloc(format, args);
	va_end(args);
	return result;
}

char *
spdk_sprintf_append_realloc(char *buffer, const char *format, ...)
{
	va_list args;
	char *result;

	va_start(args, format);
	result = spdk_vsprintf_append_realloc(buffer, format, args);
	va_end(args);
	return result;
}

char *
spdk_strlwr(char *s)
{
	if (s == NULL) {
		return NULL;
	}
	for (char *p = s; *p != '\0'; p++) {
		*p = (char)tolower((unsigned char)*p);
	}
	return s;
}

static bool
string_is_delim(char c, const char *delim)
{
	return c != '\0' && strchr(delim, c) != NULL;
}

char *
spdk_strsepq(char **stringp, const char *delim)
{
	char *start, *in, *out, *next;
	char quote = '\0';
	bool escaped = false;

	if (stringp == NULL || *stringp == NULL) {
		return NULL;
	}
	if (delim == NULL) {
		delim = "";
	}

	/* out trails in, since quotes and backslashes are dropped from the field. */
	start = in = out = *stringp;
	for (; *in != '\0' && *in != '\n'; in++) {
		char c = *in;

		if (escaped) {
			*out++ = c;
			escaped = false;
		} else if (quote != '\0') {
			if (c == quote) {
				quote = '\0';
			} else if (c == '\\' && quote == '"') {
				escaped = true;
			} else {
				*out++ = c;
			}
		} else if (c == '\\') {
			escaped = true;
		} else if (c == '"' || c == '\'') {
			quote = c;
		} else if (string_is_delim(c, delim)) {
			break;
		} else {
			*out++ = c;
		}
	}

	if (*in == '\0' || *in == '\n') {
		*out = '\0';
		*stringp = NULL;
		return start;
	}

	next = in + 1;
	*out = '\0';
	while (string_is_delim(*next, delim)) {
		next++;
	}
	*stringp = (*next == '\0' || *next == '\n') ? NULL : next;
	return start;
}

char *
spdk_str_trim(char *s)
{
	char *begin, *end;

	if (s == NULL) {
		return NULL;
	}
	begin = s;
	while (isspace((unsigned char)*begin)) {
		begin++;
	}
	end = begin + strlen(begin);
	while (end > begin && isspace((unsigned char)end[-1])) {
		end--;
	}
	memmove(s, begin, (size_t)(end - begin));
	s[end - begin] = '\0';
	return s;
}

size_t
spdk_str_chomp(char *s)
{
	size_t len, removed = 0;

	if (s == NULL) {
		return 0;
	}
	len = strlen(s);
	while (len > 0 && (s[len - 1] == '\n' || s[len - 1] == '\r')) {
		s[--len] = '\0';
		removed++;
	}
	return removed;
}

void
spdk_strcpy_pad(void *dst, const char *src, size_t size, int pad)
{
	size_t len = strlen(src);

	if (len >= size) {
		memcpy(dst, src, size);
		return;
	}
	memcpy(dst, src, len);
	memset((char *)dst + len, pad, size - len);
}

size_t
spdk_strlen_pad(const void *str, size_t size, int pad)
{
	const uint8_t *bytes = str;

	while (size > 0 && bytes[size - 1] == (uint8_t)pad) {
		size--;
	}
	return size;
}

int
spdk_parse_ip_addr(char *ip, char **host, char **port)
{
	char *p;

	if (ip == NULL || host == NULL || port == NULL) {
		return -EINVAL;
	}
	*host = NULL;
	*port = NULL;

	if (ip[0] == '[') {
		p = strchr(ip, ']');
		if (p == NULL) {
			return -EINVAL;
		}
		*p++ = '\0';
		*host = ip + 1;
		if (*p == '\0') {
			return 0;
		}
		if (*p != ':') {
			*host = NULL;
			return -EINVAL;
		}
		p++;
	} else {
		*host = ip;
		/* More than one colon without brackets is a bare IPv6 address, not a port. */
		p = strchr(ip, ':');
		if (p == NULL || strchr(p + 1, ':') != NULL) {
			return 0;
		}
		*p++ = '\0';
	}
	if (*p != '\0') {
		*port = p;
	}
	return 0;
}

int
spdk_parse_capacity(const char *cap_str, uint64_t *cap, bool *has_prefix)
{
	const char *p;
	char *end;
	unsigned long long value;
	unsigned int shift = 0;
	bool prefix = true;
	int saved_errno = errno, err;

	if (cap_str == NULL || cap == NULL) {
		return -EINVAL;
	}
	p = cap_str;
	while (isspace((unsigned char)*p)) {
		p++;
	}
	/* strtoull() would accept a sign; a size has none. */
	if (!isdigit((unsigned char)*p)) {
		return -EINVAL;
	}

	errno = 0;
	value = strtoull(p, &end, 10);
	err = errno;
	errno = saved_errno;
	if (err == ERANGE) {
		return -ERANGE;
	}

	switch (*end) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	case 't':
	case 'T':
		shift = 40;
		break;
	default:
		prefix = false;
		break;
	}
	if (prefix) {
		end++;
		if (*end == 'b' || *end == 'B') {
			end++;
		}
	}
	while (isspace((unsigned char)*end)) {
		end++;
	}
	if (*end != '\0') {
		return -EINVAL;
	}
	if (value > (UINT64_MAX >> shift)) {
		return -ERANGE;
	}

	*cap = (uint64_t)value << shift;
	if (has_prefix != NULL) {
		*has_prefix = prefix;
	}
	return 0;
}

bool
spdk_mem_all_zero(const void *data, size_t size)
{
	const uint8_t *bytes = data;

	if (size == 0) {
		return true;
	}
	/* Every byte equals the first, and the first is zero. */
	return bytes[0] == 0 && memcmp(bytes, bytes + 1, size - 1) == 0;
}

long int
spdk_strtol(const char *nptr, int base)
{
	char *end;
	long int value;
	int saved_errno = errno, err;

	if (nptr == NULL || base == 1 || base < 0 || base > 36) {
		return -EINVAL;
	}
	errno = 0;
	value = strtol(nptr, &end, base);
	err = errno;
	errno = saved_errno;
	if (end == nptr || *end != '\0') {
		return -EINVAL;
	}
	if (err == ERANGE || value < 0) {
		return -ERANGE;
	}
	if (err != 0) {
		return -err;
	}
	return value;
}

long long int
spdk_strtoll(const char *nptr, int base)
{
	char *end;
	long long int value;
	int saved_errno = errno, err;

	if (nptr == NULL || base == 1 || base < 0 || base > 36) {
		return -EINVAL;
	}
	errno = 0;
	value = strtoll(nptr, &end, base);
	err = errno;
	errno = saved_errno;
	if (end == nptr || *end != '\0') {
		return -EINVAL;
	}
	if (err == ERANGE || value < 0) {
		return -ERANGE;
	}
	if (err != 0) {
		return -err;
	}
	return value;
}

/* Not spdk_strarray_free() itself: GCC ties that one to the public constructors only. */
static void
strarray_free(char **strarray)
{
	if (strarray == NULL) {
		return;
	}
	for (char **p = strarray; *p != NULL; p++) {
		free(*p);
	}
	free(strarray);
}

void
spdk_strarray_free(char **strarray)
{
	strarray_free(strarray);
}

char **
spdk_strarray_from_string(const char *str, const char *delim)
{
	const char *p, *field;
	size_t count = 1, i = 0;
	char **result;

	if (str == NULL || delim == NULL) {
		return NULL;
	}
	for (p = str; *p != '\0'; p++) {
		if (string_is_delim(*p, delim)) {
			count++;
		}
	}

	result = calloc(count + 1, sizeof(*result));
	if (result == NULL) {
		return NULL;
	}
	field = str;
	for (p = str;; p++) {
		if (*p != '\0' && !string_is_delim(*p, delim)) {
			continue;
		}
		result[i] = strndup(field, (size_t)(p - field));
		if (result[i] == NULL) {
			strarray_free(result);
			return NULL;
		}
		i++;
		if (*p == '\0') {
			break;
		}
		field = p + 1;
	}
	assert(i == count);
	return result;
}

char **
spdk_strarray_dup(const char **strarray)
{
	size_t count = 0;
	char **result;

	if (strarray == NULL) {
		return NULL;
	}
	while (strarray[count] != NULL) {
		count++;
	}
	result = calloc(count + 1, sizeof(*result));
	if (result == NULL) {
		return NULL;
	}
	for (size_t i = 0; i < count; i++) {
		result[i] = strdup(strarray[i]);
		if (result[i] == NULL) {
			strarray_free(result);
			return NULL;
		}
	}
	return result;
}

int
spdk_strcpy_replace(char *dst, size_t size, const char *src, const char *search,
		    const char *replace)
{
	size_t search_len, replace_len, result_len;
	const char *p, *hit;
	char *out;

	if (dst == NULL || src == NULL || search == NULL || replace == NULL || search[0] == '\0') {
		return -EINVAL;
	}
	search_len = strlen(search);
	replace_len = strlen(replace);

	/* Measure first, so a result that does not fit leaves dst untouched. */
	result_len = strlen(src);
	for (p = strstr(src, search); p != NULL; p = strstr(p + search_len, search)) {
		if (replace_len > search_len &&
		    result_len > SIZE_MAX - (replace_len - search_len)) {
			return -EINVAL;
		}
		result_len = result_len - search_len + replace_len;
	}
	if (result_len >= size) {
		return -EINVAL;
	}

	out = dst;
	for (p = src; (hit = strstr(p, search)) != NULL; p = hit + search_len) {
		memcpy(out, p, (size_t)(hit - p));
		out += hit - p;
		memcpy(out, replace, replace_len);
		out += replace_len;
	}
	memcpy(out, p, strlen(p) + 1);
	return 0;
}
