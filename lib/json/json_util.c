/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * Working with parsed JSON values: decoder tables that fill C structs from
 * objects (what every RPC handler uses on its params), array decoding, scalar
 * decoders, exact integer conversion of number text, member lookup and
 * iteration over the flat value array.
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/uuid.h"

size_t
spdk_json_val_len(const struct spdk_json_val *val)
{
	if (val == NULL) {
		return 0;
	}
	if (val->type == SPDK_JSON_VAL_ARRAY_BEGIN || val->type == SPDK_JSON_VAL_OBJECT_BEGIN) {
		return (size_t)val->len + 2;
	}
	return 1;
}

bool
spdk_json_strequal(const struct spdk_json_val *val, const char *str)
{
	size_t len;

	if (val == NULL || str == NULL ||
	    (val->type != SPDK_JSON_VAL_STRING && val->type != SPDK_JSON_VAL_NAME)) {
		return false;
	}
	len = strlen(str);
	return val->len == len && memcmp(val->start, str, len) == 0;
}

char *
spdk_json_strdup(const struct spdk_json_val *val)
{
	char *s;

	if (val == NULL || (val->type != SPDK_JSON_VAL_STRING && val->type != SPDK_JSON_VAL_NAME)) {
		return NULL;
	}
	if (memchr(val->start, '\0', val->len) != NULL) {
		return NULL;
	}
	s = malloc((size_t)val->len + 1);
	if (s == NULL) {
		return NULL;
	}
	memcpy(s, val->start, val->len);
	s[val->len] = '\0';
	return s;
}

/*
 * The exact integer value of a number's text: magnitude and sign. -ERANGE
 * when the value has a fractional part or its magnitude exceeds 64 bits,
 * -EINVAL when the text is not a JSON number.
 */
static int
json_number_parse(const struct spdk_json_val *val, uint64_t *magnitude, bool *negative)
{
	const char *p, *end;
	/* Significant digits (integer and fraction parts together). */
	const char *digits[2];
	size_t ndigits[2] = {0, 0};
	int64_t exp = 0;
	int64_t scale;
	uint64_t mag = 0;
	size_t total, i, k;
	bool exp_neg = false;

	if (val == NULL || val->type != SPDK_JSON_VAL_NUMBER || val->len == 0) {
		return -EINVAL;
	}
	p = val->start;
	end = p + val->len;

	*negative = false;
	if (*p == '-') {
		*negative = true;
		p++;
	}
	digits[0] = p;
	while (p < end && isdigit((unsigned char)*p)) {
		p++;
	}
	ndigits[0] = (size_t)(p - digits[0]);
	if (ndigits[0] == 0) {
		return -EINVAL;
	}
	digits[1] = p;
	if (p < end && *p == '.') {
		p++;
		digits[1] = p;
		while (p < end && isdigit((unsigned char)*p)) {
			p++;
		}
		ndigits[1] = (size_t)(p - digits[1]);
		if (ndigits[1] == 0) {
			return -EINVAL;
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-')) {
			exp_neg = *p == '-';
			p++;
		}
		if (p == end) {
			return -EINVAL;
		}
		while (p < end && isdigit((unsigned char)*p)) {
			/* Saturate: anything this large is out of range anyway. */
			if (exp < 100000) {
				exp = exp * 10 + (*p - '0');
			}
			p++;
		}
	}
	if (p != end) {
		return -EINVAL;
	}
	if (exp_neg) {
		exp = -exp;
	}

	/* value = D * 10^scale, D being the concatenated digits. */
	scale = exp - (int64_t)ndigits[1];
	total = ndigits[0] + ndigits[1];
	/* Drop trailing zeros of D into the scale. */
	while (total > 0) {
		char c = total > ndigits[0] ? digits[1][total - ndigits[0] - 1]
					    : digits[0][total - 1];

		if (c != '0') {
			break;
		}
		total--;
		scale++;
	}
	for (i = 0; i < total; i++) {
		char c = i < ndigits[0] ? digits[0][i] : digits[1][i - ndigits[0]];
		unsigned d = (unsigned)(c - '0');

		if (mag > (UINT64_MAX - d) / 10) {
			return -ERANGE;
		}
		mag = mag * 10 + d;
	}
	if (mag != 0 && scale < 0) {
		return -ERANGE;
	}
	if (mag != 0) {
		for (k = 0; k < (size_t)scale; k++) {
			if (mag > UINT64_MAX / 10) {
				return -ERANGE;
			}
			mag *= 10;
		}
	}
	*magnitude = mag;
	return 0;
}

static int
json_number_to_unsigned(const struct spdk_json_val *val, uint64_t max, uint64_t *num)
{
	uint64_t mag;
	bool neg;
	int rc;

	rc = json_number_parse(val, &mag, &neg);
	if (rc != 0) {
		return rc;
	}
	if ((neg && mag != 0) || mag > max) {
		return -ERANGE;
	}
	*num = mag;
	return 0;
}

static int
json_number_to_signed(const struct spdk_json_val *val, int64_t min, int64_t max, int64_t *num)
{
	uint64_t mag;
	bool neg;
	int rc;

	rc = json_number_parse(val, &mag, &neg);
	if (rc != 0) {
		return rc;
	}
	if (neg) {
		/* -(min + 1) + 1 is |min| without overflowing. */
		if (mag > (uint64_t)(-(min + 1)) + 1) {
			return -ERANGE;
		}
		*num = mag == 0 ? 0 : -(int64_t)(mag - 1) - 1;
	} else {
		if (mag > (uint64_t)max) {
			return -ERANGE;
		}
		*num = (int64_t)mag;
	}
	return 0;
}

int
spdk_json_number_to_uint8(const struct spdk_json_val *val, uint8_t *num)
{
	uint64_t v;
	int rc = json_number_to_unsigned(val, UINT8_MAX, &v);

	if (rc == 0) {
		*num = (uint8_t)v;
	}
	return rc;
}

int
spdk_json_number_to_uint16(const struct spdk_json_val *val, uint16_t *num)
{
	uint64_t v;
	int rc = json_number_to_unsigned(val, UINT16_MAX, &v);

	if (rc == 0) {
		*num = (uint16_t)v;
	}
	return rc;
}

int
spdk_json_number_to_uint32(const struct spdk_json_val *val, uint32_t *num)
{
	uint64_t v;
	int rc = json_number_to_unsigned(val, UINT32_MAX, &v);

	if (rc == 0) {
		*num = (uint32_t)v;
	}
	return rc;
}

int
spdk_json_number_to_uint64(const struct spdk_json_val *val, uint64_t *num)
{
	return json_number_to_unsigned(val, UINT64_MAX, num);
}

int
spdk_json_number_to_int32(const struct spdk_json_val *val, int32_t *num)
{
	int64_t v;
	int rc = json_number_to_signed(val, INT32_MIN, INT32_MAX, &v);

	if (rc == 0) {
		*num = (int32_t)v;
	}
	return rc;
}

int
spdk_json_number_to_int64(const struct spdk_json_val *val, int64_t *num)
{
	return json_number_to_signed(val, INT64_MIN, INT64_MAX, num);
}

int
spdk_json_decode_bool(const struct spdk_json_val *val, void *out)
{
	bool *b = out;

	if (val == NULL || (val->type != SPDK_JSON_VAL_TRUE && val->type != SPDK_JSON_VAL_FALSE)) {
		return -EINVAL;
	}
	*b = val->type == SPDK_JSON_VAL_TRUE;
	return 0;
}

int
spdk_json_decode_uint8(const struct spdk_json_val *val, void *out)
{
	return spdk_json_number_to_uint8(val, out);
}

int
spdk_json_decode_uint16(const struct spdk_json_val *val, void *out)
{
	return spdk_json_number_to_uint16(val, out);
}

int
spdk_json_decode_int32(const struct spdk_json_val *val, void *out)
{
	return spdk_json_number_to_int32(val, out);
}

int
spdk_json_decode_uint32(const struct spdk_json_val *val, void *out)
{
	return spdk_json_number_to_uint32(val, out);
}

int
spdk_json_decode_uint64(const struct spdk_json_val *val, void *out)
{
	return spdk_json_number_to_uint64(val, out);
}

int
spdk_json_decode_int64(const struct spdk_json_val *val, void *out)
{
	return spdk_json_number_to_int64(val, out);
}

int
spdk_json_decode_string(const struct spdk_json_val *val, void *out)
{
	char **s = out;

	free(*s);
	*s = NULL;
	if (val == NULL || val->type != SPDK_JSON_VAL_STRING ||
	    memchr(val->start, '\0', val->len) != NULL) {
		return -EINVAL;
	}
	*s = spdk_json_strdup(val);
	return *s != NULL ? 0 : -ENOMEM;
}

int
spdk_json_decode_uuid(const struct spdk_json_val *val, void *out)
{
	char str[SPDK_UUID_STRING_LEN];

	if (val == NULL || val->type != SPDK_JSON_VAL_STRING ||
	    val->len != SPDK_UUID_STRING_LEN - 1) {
		return -EINVAL;
	}
	memcpy(str, val->start, val->len);
	str[val->len] = '\0';
	return spdk_uuid_parse(out, str) == 0 ? 0 : -EINVAL;
}

static const char *
json_type_name(enum spdk_json_val_type type)
{
	switch (type) {
	case SPDK_JSON_VAL_NULL:
		return "null";
	case SPDK_JSON_VAL_TRUE:
	case SPDK_JSON_VAL_FALSE:
		return "a boolean";
	case SPDK_JSON_VAL_NUMBER:
		return "a number";
	case SPDK_JSON_VAL_STRING:
		return "a string";
	case SPDK_JSON_VAL_ARRAY_BEGIN:
		return "an array";
	case SPDK_JSON_VAL_OBJECT_BEGIN:
		return "an object";
	case SPDK_JSON_VAL_NAME:
		return "a name";
	case SPDK_JSON_VAL_INVALID:
	case SPDK_JSON_VAL_ARRAY_END:
	case SPDK_JSON_VAL_OBJECT_END:
	default:
		return "not a value";
	}
}

/* Tables up to this size track seen members on the stack. */
#define JSON_DECODERS_ON_STACK 128

static int
json_decode_members(const struct spdk_json_val *values,
		    const struct spdk_json_object_decoder *decoders, size_t num_decoders, void *out,
		    bool relaxed, bool *seen)
{
	size_t i, d;
	int rc;

	for (i = 1; i <= values->len; i += spdk_json_val_len(&values[i + 1]) + 1) {
		const struct spdk_json_val *name = &values[i];
		const struct spdk_json_val *v = &values[i + 1];

		for (d = 0; d < num_decoders; d++) {
			if (spdk_json_strequal(name, decoders[d].name)) {
				break;
			}
		}
		if (d == num_decoders) {
			if (relaxed) {
				continue;
			}
			SPDK_ERRLOG("JSON decode: unknown key \"%.*s\"\n", (int)name->len,
				    (const char *)name->start);
			return -EINVAL;
		}
		if (seen[d]) {
			SPDK_ERRLOG("JSON decode: duplicate key \"%s\"\n", decoders[d].name);
			return -EINVAL;
		}
		seen[d] = true;
		rc = decoders[d].decode_func(v, (char *)out + decoders[d].offset);
		if (rc != 0) {
			SPDK_ERRLOG("JSON decode: invalid value for \"%s\" (%s)\n",
				    decoders[d].name, json_type_name(v->type));
			return -EINVAL;
		}
	}

	for (d = 0; d < num_decoders; d++) {
		if (!decoders[d].optional && !seen[d]) {
			SPDK_ERRLOG("JSON decode: required key \"%s\" is missing\n",
				    decoders[d].name);
			return -EINVAL;
		}
	}
	return 0;
}

static int
json_decode_object(const struct spdk_json_val *values,
		   const struct spdk_json_object_decoder *decoders, size_t num_decoders, void *out,
		   bool relaxed)
{
	bool seen_stack[JSON_DECODERS_ON_STACK] = {false};
	bool *seen = seen_stack;
	int rc;

	if (values == NULL || values->type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		SPDK_ERRLOG("JSON decode: expected an object, got %s\n",
			    values == NULL ? "nothing" : json_type_name(values->type));
		return -EINVAL;
	}
	if ((decoders == NULL || out == NULL) && num_decoders > 0) {
		SPDK_ERRLOG("JSON decode: NULL decoder table or output\n");
		return -EINVAL;
	}
	if (num_decoders > JSON_DECODERS_ON_STACK) {
		seen = calloc(num_decoders, sizeof(*seen));
		if (seen == NULL) {
			SPDK_ERRLOG("JSON decode: out of memory\n");
			return -ENOMEM;
		}
	}
	rc = json_decode_members(values, decoders, num_decoders, out, relaxed, seen);
	if (seen != seen_stack) {
		free(seen);
	}
	return rc;
}

int
spdk_json_decode_object(const struct spdk_json_val *values,
			const struct spdk_json_object_decoder *decoders, size_t num_decoders,
			void *out)
{
	return json_decode_object(values, decoders, num_decoders, out, false);
}

int
spdk_json_decode_object_relaxed(const struct spdk_json_val *values,
				const struct spdk_json_object_decoder *decoders,
				size_t num_decoders, void *out)
{
	return json_decode_object(values, decoders, num_decoders, out, true);
}

int
spdk_json_decode_array(const struct spdk_json_val *values, spdk_json_decode_fn decode_func,
		       void *out, size_t max_size, size_t *out_size, size_t stride)
{
	size_t i, n = 0;
	int rc;

	if (out_size != NULL) {
		*out_size = 0;
	}
	if (values == NULL || values->type != SPDK_JSON_VAL_ARRAY_BEGIN) {
		SPDK_ERRLOG("JSON decode: expected an array, got %s\n",
			    values == NULL ? "nothing" : json_type_name(values->type));
		return -EINVAL;
	}
	if (decode_func == NULL || out_size == NULL) {
		SPDK_ERRLOG("JSON decode: NULL decoder or size pointer\n");
		return -EINVAL;
	}

	for (i = 1; i <= values->len; i += spdk_json_val_len(&values[i])) {
		if (n == max_size) {
			SPDK_ERRLOG("JSON decode: array has more than %zu elements\n", max_size);
			return -EINVAL;
		}
		rc = decode_func(&values[i], (char *)out + n * stride);
		if (rc != 0) {
			SPDK_ERRLOG("JSON decode: invalid array element %zu (%s)\n", n,
				    json_type_name(values[i].type));
			return -EINVAL;
		}
		n++;
		*out_size = n;
	}
	return 0;
}

void
spdk_json_free_object(const struct spdk_json_object_decoder *decoders, size_t num_decoders,
		      void *obj)
{
	size_t d;

	if (decoders == NULL || obj == NULL) {
		return;
	}
	for (d = 0; d < num_decoders; d++) {
		if (decoders[d].decode_func == spdk_json_decode_string) {
			char **s = (char **)((char *)obj + decoders[d].offset);

			free(*s);
			*s = NULL;
		}
	}
}

int
spdk_json_find(struct spdk_json_val *object, const char *key_name, struct spdk_json_val **key,
	       struct spdk_json_val **val, enum spdk_json_val_type type)
{
	size_t i;

	if (object == NULL || key_name == NULL) {
		return -EINVAL;
	}
	if (object->type != SPDK_JSON_VAL_OBJECT_BEGIN) {
		return -EPROTOTYPE;
	}

	for (i = 1; i <= object->len; i += spdk_json_val_len(&object[i + 1]) + 1) {
		struct spdk_json_val *v = &object[i + 1];

		if (!spdk_json_strequal(&object[i], key_name)) {
			continue;
		}
		if (type != SPDK_JSON_VAL_ANY && (v->type & type) == 0) {
			return -EDOM;
		}
		if (key != NULL) {
			*key = &object[i];
		}
		if (val != NULL) {
			*val = v;
		}
		return 0;
	}
	return -ENOENT;
}

int
spdk_json_find_string(struct spdk_json_val *object, const char *key_name,
		      struct spdk_json_val **key, struct spdk_json_val **val)
{
	return spdk_json_find(object, key_name, key, val, SPDK_JSON_VAL_STRING);
}

int
spdk_json_find_array(struct spdk_json_val *object, const char *key_name, struct spdk_json_val **key,
		     struct spdk_json_val **value)
{
	return spdk_json_find(object, key_name, key, value, SPDK_JSON_VAL_ARRAY_BEGIN);
}

struct spdk_json_val *
spdk_json_object_first(struct spdk_json_val *object)
{
	if (object == NULL || object->type != SPDK_JSON_VAL_OBJECT_BEGIN || object->len == 0) {
		return NULL;
	}
	return object + 1;
}

struct spdk_json_val *
spdk_json_array_first(struct spdk_json_val *array_begin)
{
	if (array_begin == NULL || array_begin->type != SPDK_JSON_VAL_ARRAY_BEGIN ||
	    array_begin->len == 0) {
		return NULL;
	}
	return array_begin + 1;
}

struct spdk_json_val *
spdk_json_next(struct spdk_json_val *pos)
{
	struct spdk_json_val *next;

	if (pos == NULL) {
		return NULL;
	}
	if (pos->type == SPDK_JSON_VAL_NAME) {
		next = pos + 1 + spdk_json_val_len(pos + 1);
	} else {
		next = pos + spdk_json_val_len(pos);
	}
	if (next->type == SPDK_JSON_VAL_ARRAY_END || next->type == SPDK_JSON_VAL_OBJECT_END) {
		return NULL;
	}
	return next;
}
