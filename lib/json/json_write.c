/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * The streaming JSON writer: values go out through the caller's callback as
 * they are written, buffered in 4 KiB pieces. The writer keeps the stack of
 * open arrays and objects so it can place commas, colons and (when formatted)
 * newlines and indentation itself, and so it can refuse calls that would
 * produce invalid JSON. Strings are escaped to plain ASCII.
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/uuid.h"

#define JSON_WRITE_BUF_SIZE 4096

struct spdk_json_write_ctx {
	spdk_json_write_cb write_cb;
	void *cb_ctx;
	uint32_t flags;
	/* Open containers, innermost last: '[' or '{'. */
	uint8_t *stack;
	size_t depth;
	size_t stack_cap;
	/* Nothing written yet in the innermost container (or at the top level). */
	bool first_value;
	/* A member name was written; its value comes next. */
	bool after_name;
	/* The error every call returns from now on, or 0. */
	int error;
	/* Bytes waiting in buf. */
	size_t buf_len;
	uint8_t buf[JSON_WRITE_BUF_SIZE];
};

static int
json_write_flush(struct spdk_json_write_ctx *w)
{
	if (w->buf_len > 0 && w->error == 0) {
		if (w->write_cb(w->cb_ctx, w->buf, w->buf_len) != 0) {
			w->error = -EIO;
		}
	}
	w->buf_len = 0;
	return w->error;
}

static int
json_emit(struct spdk_json_write_ctx *w, const void *data, size_t len)
{
	if (w->error != 0) {
		return w->error;
	}
	if (len > sizeof(w->buf) - w->buf_len) {
		if (json_write_flush(w) != 0) {
			return w->error;
		}
		if (len > sizeof(w->buf)) {
			if (w->write_cb(w->cb_ctx, data, len) != 0) {
				w->error = -EIO;
			}
			return w->error;
		}
	}
	memcpy(w->buf + w->buf_len, data, len);
	w->buf_len += len;
	return 0;
}

static int
json_emit_str(struct spdk_json_write_ctx *w, const char *s)
{
	return json_emit(w, s, strlen(s));
}

static int
json_misuse(struct spdk_json_write_ctx *w, const char *what)
{
	if (w->error == 0) {
		SPDK_ERRLOG("JSON writer misuse: %s\n", what);
		w->error = -EINVAL;
	}
	return w->error;
}

static int
json_emit_indent(struct spdk_json_write_ctx *w)
{
	static const char spaces[] = "                                ";
	size_t n = w->depth * 2;
	int rc = json_emit(w, "\n", 1);

	while (rc == 0 && n > 0) {
		size_t chunk = n < sizeof(spaces) - 1 ? n : sizeof(spaces) - 1;

		rc = json_emit(w, spaces, chunk);
		n -= chunk;
	}
	return rc;
}

static bool
json_in_object(const struct spdk_json_write_ctx *w)
{
	return w->depth > 0 && w->stack[w->depth - 1] == '{';
}

/* Write what goes before a value: comma, newline, indentation. */
static int
json_value_begin(struct spdk_json_write_ctx *w)
{
	if (w == NULL) {
		return -EINVAL;
	}
	if (w->error != 0) {
		return w->error;
	}
	if (w->after_name) {
		w->after_name = false;
		return 0;
	}
	if (json_in_object(w)) {
		return json_misuse(w, "a value inside an object needs a name first");
	}
	if (w->depth == 0 && !w->first_value) {
		return json_misuse(w, "a second value at the top level");
	}
	if (!w->first_value && json_emit(w, ",", 1) != 0) {
		return w->error;
	}
	w->first_value = false;
	if ((w->flags & SPDK_JSON_WRITE_FLAG_FORMATTED) && w->depth > 0) {
		return json_emit_indent(w);
	}
	return 0;
}

static int
json_container_begin(struct spdk_json_write_ctx *w, uint8_t open)
{
	if (json_value_begin(w) != 0) {
		return w != NULL ? w->error : -EINVAL;
	}
	if (w->depth == w->stack_cap) {
		size_t cap = w->stack_cap ? w->stack_cap * 2 : 16;
		uint8_t *stack = realloc(w->stack, cap);

		if (stack == NULL) {
			w->error = -ENOMEM;
			return w->error;
		}
		w->stack = stack;
		w->stack_cap = cap;
	}
	if (json_emit(w, &open, 1) != 0) {
		return w->error;
	}
	w->stack[w->depth++] = open;
	w->first_value = true;
	return 0;
}

static int
json_container_end(struct spdk_json_write_ctx *w, uint8_t open, uint8_t close)
{
	bool empty;

	if (w == NULL) {
		return -EINVAL;
	}
	if (w->error != 0) {
		return w->error;
	}
	if (w->depth == 0 || w->stack[w->depth - 1] != open) {
		return json_misuse(w, close == ']' ? "array end without an open array"
						   : "object end without an open object");
	}
	if (w->after_name) {
		return json_misuse(w, "object end right after a member name");
	}
	empty = w->first_value;
	w->depth--;
	if ((w->flags & SPDK_JSON_WRITE_FLAG_FORMATTED) && !empty && json_emit_indent(w) != 0) {
		return w->error;
	}
	w->first_value = false;
	return json_emit(w, &close, 1);
}

struct spdk_json_write_ctx *
spdk_json_write_begin(spdk_json_write_cb write_cb, void *cb_ctx, uint32_t flags)
{
	struct spdk_json_write_ctx *w;

	if (write_cb == NULL) {
		SPDK_ERRLOG("JSON writer: NULL write callback\n");
		return NULL;
	}
	w = calloc(1, sizeof(*w));
	if (w == NULL) {
		SPDK_ERRLOG("JSON writer: out of memory\n");
		return NULL;
	}
	w->write_cb = write_cb;
	w->cb_ctx = cb_ctx;
	w->flags = flags;
	w->first_value = true;
	return w;
}

int
spdk_json_write_end(struct spdk_json_write_ctx *w)
{
	int rc;

	if (w == NULL) {
		return 0;
	}
	json_write_flush(w);
	if (w->error == 0 && (w->depth > 0 || w->after_name)) {
		json_misuse(w, "write end with an array or object still open");
	}
	rc = w->error;
	free(w->stack);
	free(w);
	return rc;
}

static int
json_write_literal(struct spdk_json_write_ctx *w, const char *text)
{
	if (json_value_begin(w) != 0) {
		return w != NULL ? w->error : -EINVAL;
	}
	return json_emit_str(w, text);
}

int
spdk_json_write_null(struct spdk_json_write_ctx *w)
{
	return json_write_literal(w, "null");
}

int
spdk_json_write_bool(struct spdk_json_write_ctx *w, bool val)
{
	return json_write_literal(w, val ? "true" : "false");
}

int
spdk_json_write_uint8(struct spdk_json_write_ctx *w, uint8_t val)
{
	return spdk_json_write_uint64(w, val);
}

int
spdk_json_write_uint16(struct spdk_json_write_ctx *w, uint16_t val)
{
	return spdk_json_write_uint64(w, val);
}

int
spdk_json_write_uint32(struct spdk_json_write_ctx *w, uint32_t val)
{
	return spdk_json_write_uint64(w, val);
}

int
spdk_json_write_int32(struct spdk_json_write_ctx *w, int32_t val)
{
	return spdk_json_write_int64(w, val);
}

int
spdk_json_write_int64(struct spdk_json_write_ctx *w, int64_t val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRId64, val);
	return json_write_literal(w, buf);
}

int
spdk_json_write_uint64(struct spdk_json_write_ctx *w, uint64_t val)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%" PRIu64, val);
	return json_write_literal(w, buf);
}

int
spdk_json_write_uint128(struct spdk_json_write_ctx *w, uint64_t low_val, uint64_t high_val)
{
	/* Long division by 10 over four 32-bit limbs, most significant first. */
	uint32_t limb[4] = {
		(uint32_t)(high_val >> 32),
		(uint32_t)high_val,
		(uint32_t)(low_val >> 32),
		(uint32_t)low_val,
	};
	char digits[48];
	size_t n = sizeof(digits) - 1;
	bool zero;
	int i;

	digits[n] = '\0';
	do {
		uint64_t rem = 0;

		zero = true;
		for (i = 0; i < 4; i++) {
			uint64_t cur = (rem << 32) | limb[i];

			limb[i] = (uint32_t)(cur / 10);
			rem = cur % 10;
			if (limb[i] != 0) {
				zero = false;
			}
		}
		digits[--n] = (char)('0' + rem);
	} while (!zero);
	return json_write_literal(w, &digits[n]);
}

int
spdk_json_write_double(struct spdk_json_write_ctx *w, double val)
{
	char buf[40];

	if (!__builtin_isfinite(val)) {
		return json_write_literal(w, "null");
	}
	snprintf(buf, sizeof(buf), "%.15g", val);
	if (strtod(buf, NULL) != val) {
		snprintf(buf, sizeof(buf), "%.17g", val);
	}
	return json_write_literal(w, buf);
}

static int
json_emit_u_escape(struct spdk_json_write_ctx *w, uint32_t unit)
{
	char buf[16];

	/* Callers pass one UTF-16 code unit; the mask tells the compiler so. */
	snprintf(buf, sizeof(buf), "\\u%04" PRIx32, unit & 0xffffu);
	return json_emit(w, buf, 6);
}

/* Write one code point (escaped as needed) inside a string. */
static int
json_emit_codepoint(struct spdk_json_write_ctx *w, uint32_t cp)
{
	char c;

	switch (cp) {
	case '"':
		return json_emit(w, "\\\"", 2);
	case '\\':
		return json_emit(w, "\\\\", 2);
	case '\b':
		return json_emit(w, "\\b", 2);
	case '\f':
		return json_emit(w, "\\f", 2);
	case '\n':
		return json_emit(w, "\\n", 2);
	case '\r':
		return json_emit(w, "\\r", 2);
	case '\t':
		return json_emit(w, "\\t", 2);
	default:
		break;
	}
	if (cp < 0x20) {
		return json_emit_u_escape(w, cp);
	}
	if (cp < 0x80) {
		c = (char)cp;
		return json_emit(w, &c, 1);
	}
	if (cp < 0x10000) {
		return json_emit_u_escape(w, cp);
	}
	cp -= 0x10000;
	if (json_emit_u_escape(w, 0xd800 + (cp >> 10)) != 0) {
		return w->error;
	}
	return json_emit_u_escape(w, 0xdc00 + (cp & 0x3ff));
}

/*
 * Decode the UTF-8 sequence at s (n bytes available) into *cp and return its
 * length; invalid or truncated sequences, overlong forms and surrogates give
 * U+FFFD and a length of 1.
 */
static size_t
json_utf8_decode(const uint8_t *s, size_t n, uint32_t *cp)
{
	uint32_t min, c;
	size_t len, i;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		len = 2;
		min = 0x80;
		c = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		len = 3;
		min = 0x800;
		c = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		len = 4;
		min = 0x10000;
		c = s[0] & 0x07;
	} else {
		goto invalid;
	}
	if (len > n) {
		goto invalid;
	}
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			goto invalid;
		}
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff)) {
		goto invalid;
	}
	*cp = c;
	return len;
invalid:
	*cp = 0xfffd;
	return 1;
}

static int
json_emit_string(struct spdk_json_write_ctx *w, const char *val, size_t len)
{
	const uint8_t *s = (const uint8_t *)val;
	size_t i = 0, run = 0;
	uint32_t cp;

	if (json_emit(w, "\"", 1) != 0) {
		return w->error;
	}
	while (i < len) {
		uint8_t c = s[i];

		/* Copy runs of plain ASCII in one piece. */
		if (c >= 0x20 && c < 0x80 && c != '"' && c != '\\') {
			run++;
			i++;
			continue;
		}
		if (run > 0 && json_emit(w, s + i - run, run) != 0) {
			return w->error;
		}
		run = 0;
		i += json_utf8_decode(s + i, len - i, &cp);
		if (json_emit_codepoint(w, cp) != 0) {
			return w->error;
		}
	}
	if (run > 0 && json_emit(w, s + i - run, run) != 0) {
		return w->error;
	}
	return json_emit(w, "\"", 1);
}

int
spdk_json_write_string_raw(struct spdk_json_write_ctx *w, const char *val, size_t len)
{
	if (val == NULL && len > 0) {
		return w != NULL ? json_misuse(w, "NULL string") : -EINVAL;
	}
	if (json_value_begin(w) != 0) {
		return w != NULL ? w->error : -EINVAL;
	}
	return json_emit_string(w, val, len);
}

int
spdk_json_write_string(struct spdk_json_write_ctx *w, const char *val)
{
	if (val == NULL) {
		return w != NULL ? json_misuse(w, "NULL string") : -EINVAL;
	}
	return spdk_json_write_string_raw(w, val, strlen(val));
}

int
spdk_json_write_string_utf16le_raw(struct spdk_json_write_ctx *w, const uint16_t *val, size_t len)
{
	const uint8_t *b = (const uint8_t *)val;
	size_t i;

	if (val == NULL && len > 0) {
		return w != NULL ? json_misuse(w, "NULL string") : -EINVAL;
	}
	if (json_value_begin(w) != 0) {
		return w != NULL ? w->error : -EINVAL;
	}
	if (json_emit(w, "\"", 1) != 0) {
		return w->error;
	}
	for (i = 0; i < len; i++) {
		/* Read as little-endian bytes whatever the host order. */
		uint32_t u = (uint32_t)b[2 * i] | ((uint32_t)b[2 * i + 1] << 8);
		uint32_t cp = u;

		if (u >= 0xd800 && u <= 0xdbff && i + 1 < len) {
			uint32_t lo = (uint32_t)b[2 * i + 2] | ((uint32_t)b[2 * i + 3] << 8);

			if (lo >= 0xdc00 && lo <= 0xdfff) {
				cp = 0x10000 + ((u - 0xd800) << 10) + (lo - 0xdc00);
				i++;
			} else {
				cp = 0xfffd;
			}
		} else if (u >= 0xd800 && u <= 0xdfff) {
			cp = 0xfffd;
		}
		if (json_emit_codepoint(w, cp) != 0) {
			return w->error;
		}
	}
	return json_emit(w, "\"", 1);
}

int
spdk_json_write_string_utf16le(struct spdk_json_write_ctx *w, const uint16_t *val)
{
	size_t len = 0;

	if (val == NULL) {
		return w != NULL ? json_misuse(w, "NULL string") : -EINVAL;
	}
	while (val[len] != 0) {
		len++;
	}
	return spdk_json_write_string_utf16le_raw(w, val, len);
}

int
spdk_json_write_string_fmt_v(struct spdk_json_write_ctx *w, const char *fmt, va_list args)
{
	char stackbuf[256];
	char *s = stackbuf;
	va_list copy;
	int n, rc;

	if (fmt == NULL) {
		return w != NULL ? json_misuse(w, "NULL format") : -EINVAL;
	}
	va_copy(copy, args);
	n = vsnprintf(stackbuf, sizeof(stackbuf), fmt, copy);
	va_end(copy);
	if (n < 0) {
		return w != NULL ? json_misuse(w, "bad format") : -EINVAL;
	}
	if ((size_t)n >= sizeof(stackbuf)) {
		s = malloc((size_t)n + 1);
		if (s == NULL) {
			if (w != NULL && w->error == 0) {
				w->error = -ENOMEM;
			}
			return -ENOMEM;
		}
		va_copy(copy, args);
		vsnprintf(s, (size_t)n + 1, fmt, copy);
		va_end(copy);
	}
	rc = spdk_json_write_string_raw(w, s, (size_t)n);
	if (s != stackbuf) {
		free(s);
	}
	return rc;
}

int
spdk_json_write_string_fmt(struct spdk_json_write_ctx *w, const char *fmt, ...)
{
	va_list args;
	int rc;

	va_start(args, fmt);
	rc = spdk_json_write_string_fmt_v(w, fmt, args);
	va_end(args);
	return rc;
}

int
spdk_json_write_bytearray(struct spdk_json_write_ctx *w, const void *val, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	const uint8_t *b = val;
	char pair[2];
	size_t i;

	if (val == NULL && len > 0) {
		return w != NULL ? json_misuse(w, "NULL byte array") : -EINVAL;
	}
	if (json_value_begin(w) != 0) {
		return w != NULL ? w->error : -EINVAL;
	}
	if (json_emit(w, "\"", 1) != 0) {
		return w->error;
	}
	for (i = 0; i < len; i++) {
		pair[0] = hex[b[i] >> 4];
		pair[1] = hex[b[i] & 0xf];
		if (json_emit(w, pair, 2) != 0) {
			return w->error;
		}
	}
	return json_emit(w, "\"", 1);
}

int
spdk_json_write_uuid(struct spdk_json_write_ctx *w, const struct spdk_uuid *uuid)
{
	char str[SPDK_UUID_STRING_LEN];

	if (uuid == NULL) {
		return w != NULL ? json_misuse(w, "NULL UUID") : -EINVAL;
	}
	if (spdk_uuid_fmt_lower(str, sizeof(str), uuid) != 0) {
		return w != NULL ? json_misuse(w, "UUID formatting failed") : -EINVAL;
	}
	return spdk_json_write_string(w, str);
}

int
spdk_json_write_array_begin(struct spdk_json_write_ctx *w)
{
	return json_container_begin(w, '[');
}

int
spdk_json_write_array_end(struct spdk_json_write_ctx *w)
{
	return json_container_end(w, '[', ']');
}

int
spdk_json_write_object_begin(struct spdk_json_write_ctx *w)
{
	return json_container_begin(w, '{');
}

int
spdk_json_write_object_end(struct spdk_json_write_ctx *w)
{
	return json_container_end(w, '{', '}');
}

int
spdk_json_write_name_raw(struct spdk_json_write_ctx *w, const char *name, size_t len)
{
	if (w == NULL) {
		return -EINVAL;
	}
	if (w->error != 0) {
		return w->error;
	}
	if (name == NULL && len > 0) {
		return json_misuse(w, "NULL name");
	}
	if (!json_in_object(w)) {
		return json_misuse(w, "a name outside an object");
	}
	if (w->after_name) {
		return json_misuse(w, "two names in a row");
	}
	if (!w->first_value && json_emit(w, ",", 1) != 0) {
		return w->error;
	}
	w->first_value = false;
	if ((w->flags & SPDK_JSON_WRITE_FLAG_FORMATTED) && json_emit_indent(w) != 0) {
		return w->error;
	}
	if (json_emit_string(w, name, len) != 0) {
		return w->error;
	}
	w->after_name = true;
	return json_emit_str(w, (w->flags & SPDK_JSON_WRITE_FLAG_FORMATTED) ? ": " : ":");
}

int
spdk_json_write_name(struct spdk_json_write_ctx *w, const char *name)
{
	if (name == NULL) {
		return w != NULL ? json_misuse(w, "NULL name") : -EINVAL;
	}
	return spdk_json_write_name_raw(w, name, strlen(name));
}

int
spdk_json_write_val_raw(struct spdk_json_write_ctx *w, const void *data, size_t len)
{
	if (data == NULL && len > 0) {
		return w != NULL ? json_misuse(w, "NULL raw value") : -EINVAL;
	}
	if (json_value_begin(w) != 0) {
		return w != NULL ? w->error : -EINVAL;
	}
	return json_emit(w, data, len);
}

int
spdk_json_write_val(struct spdk_json_write_ctx *w, const struct spdk_json_val *val)
{
	const struct spdk_json_val *v, *end;
	int rc = 0;

	if (w == NULL) {
		return -EINVAL;
	}
	if (val == NULL) {
		return json_misuse(w, "NULL value");
	}
	end = val + spdk_json_val_len(val);
	for (v = val; v < end && rc == 0; v++) {
		switch (v->type) {
		case SPDK_JSON_VAL_NULL:
			rc = spdk_json_write_null(w);
			break;
		case SPDK_JSON_VAL_TRUE:
			rc = spdk_json_write_bool(w, true);
			break;
		case SPDK_JSON_VAL_FALSE:
			rc = spdk_json_write_bool(w, false);
			break;
		case SPDK_JSON_VAL_NUMBER:
			rc = spdk_json_write_val_raw(w, v->start, v->len);
			break;
		case SPDK_JSON_VAL_STRING:
			rc = spdk_json_write_string_raw(w, v->start, v->len);
			break;
		case SPDK_JSON_VAL_NAME:
			rc = spdk_json_write_name_raw(w, v->start, v->len);
			break;
		case SPDK_JSON_VAL_ARRAY_BEGIN:
			rc = spdk_json_write_array_begin(w);
			break;
		case SPDK_JSON_VAL_ARRAY_END:
			rc = spdk_json_write_array_end(w);
			break;
		case SPDK_JSON_VAL_OBJECT_BEGIN:
			rc = spdk_json_write_object_begin(w);
			break;
		case SPDK_JSON_VAL_OBJECT_END:
			rc = spdk_json_write_object_end(w);
			break;
		case SPDK_JSON_VAL_INVALID:
		default:
			rc = json_misuse(w, "writing an invalid parsed value");
			break;
		}
	}
	return rc;
}

int
spdk_json_write_named_null(struct spdk_json_write_ctx *w, const char *name)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_null(w);
}

int
spdk_json_write_named_bool(struct spdk_json_write_ctx *w, const char *name, bool val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_bool(w, val);
}

int
spdk_json_write_named_uint8(struct spdk_json_write_ctx *w, const char *name, uint8_t val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_uint8(w, val);
}

int
spdk_json_write_named_uint16(struct spdk_json_write_ctx *w, const char *name, uint16_t val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_uint16(w, val);
}

int
spdk_json_write_named_int32(struct spdk_json_write_ctx *w, const char *name, int32_t val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_int32(w, val);
}

int
spdk_json_write_named_uint32(struct spdk_json_write_ctx *w, const char *name, uint32_t val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_uint32(w, val);
}

int
spdk_json_write_named_int64(struct spdk_json_write_ctx *w, const char *name, int64_t val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_int64(w, val);
}

int
spdk_json_write_named_uint64(struct spdk_json_write_ctx *w, const char *name, uint64_t val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_uint64(w, val);
}

int
spdk_json_write_named_uint128(struct spdk_json_write_ctx *w, const char *name, uint64_t low_val,
			      uint64_t high_val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_uint128(w, low_val, high_val);
}

int
spdk_json_write_named_double(struct spdk_json_write_ctx *w, const char *name, double val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_double(w, val);
}

int
spdk_json_write_named_string(struct spdk_json_write_ctx *w, const char *name, const char *val)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_string(w, val);
}

int
spdk_json_write_named_string_fmt_v(struct spdk_json_write_ctx *w, const char *name, const char *fmt,
				   va_list args)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_string_fmt_v(w, fmt, args);
}

int
spdk_json_write_named_string_fmt(struct spdk_json_write_ctx *w, const char *name, const char *fmt,
				 ...)
{
	va_list args;
	int rc;

	va_start(args, fmt);
	rc = spdk_json_write_named_string_fmt_v(w, name, fmt, args);
	va_end(args);
	return rc;
}

int
spdk_json_write_named_bytearray(struct spdk_json_write_ctx *w, const char *name, const void *val,
				size_t len)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_bytearray(w, val, len);
}

int
spdk_json_write_named_uuid(struct spdk_json_write_ctx *w, const char *name,
			   const struct spdk_uuid *uuid)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_uuid(w, uuid);
}

int
spdk_json_write_named_array_begin(struct spdk_json_write_ctx *w, const char *name)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_array_begin(w);
}

int
spdk_json_write_named_object_begin(struct spdk_json_write_ctx *w, const char *name)
{
	int rc = spdk_json_write_name(w, name);

	return rc != 0 ? rc : spdk_json_write_object_begin(w);
}
