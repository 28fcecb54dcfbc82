/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * JSON: the parsed-value model, decoders that map JSON objects onto C structs,
 * and a streaming writer.
 *
 * A parsed JSON text is a flat array of struct spdk_json_val in document
 * order. Scalars take one element each. An array or object takes a _BEGIN
 * element, its contents, and an _END element; the _BEGIN element's len is the
 * number of elements between the two, so `val + val->len + 1` is the matching
 * _END and spdk_json_val_len() skips a whole value. Inside an object, every
 * member is a SPDK_JSON_VAL_NAME element followed by the member's value. This
 * is SPDK's representation, so RPC handlers and decoder tables written for
 * SPDK work unchanged.
 *
 * Example: `{"a": [1, "x"], "b": null}` parses into 9 elements:
 *
 * | # | type         | start / len                 |
 * |---|--------------|-----------------------------|
 * | 0 | OBJECT_BEGIN | len 7                       |
 * | 1 | NAME         | "a", 1                      |
 * | 2 | ARRAY_BEGIN  | len 2                       |
 * | 3 | NUMBER       | "1", 1 (the number's text)  |
 * | 4 | STRING       | "x", 1 (decoded, no quotes) |
 * | 5 | ARRAY_END    |                             |
 * | 6 | NAME         | "b", 1                      |
 * | 7 | NULL         |                             |
 * | 8 | OBJECT_END   |                             |
 *
 * The writer produces JSON text through a callback, adding separators and
 * escaping strings itself; with SPDK_JSON_WRITE_FLAG_FORMATTED it indents by
 * two spaces per level, one member or element per line.
 *
 * None of these functions keeps global state; a parse result or a write
 * context may be used from any thread, by one thread at a time.
 */

#ifndef SPDK_JSON_H
#define SPDK_JSON_H

#include "spdk/stdinc.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

#ifndef UPDK_ATTR_DEALLOC
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 11
/* Lets GCC check that what a constructor returns reaches the matching destructor. */
#define UPDK_ATTR_DEALLOC(fn) __attribute__((malloc(fn, 1)))
#else
#define UPDK_ATTR_DEALLOC(fn)
#endif
#endif

/** Types of parsed JSON values. The values are bits so that a search can accept several. */
enum spdk_json_val_type {
	/** Not a value; as a search type (SPDK_JSON_VAL_ANY), matches every type. */
	SPDK_JSON_VAL_INVALID = 0,
#define SPDK_JSON_VAL_ANY SPDK_JSON_VAL_INVALID
	/** The literal null. */
	SPDK_JSON_VAL_NULL = 1U << 1,
	/** The literal true. */
	SPDK_JSON_VAL_TRUE = 1U << 2,
	/** The literal false. */
	SPDK_JSON_VAL_FALSE = 1U << 3,
	/** A number; start/len hold its text as written. */
	SPDK_JSON_VAL_NUMBER = 1U << 4,
	/** A string value; start/len hold the decoded UTF-8 bytes, without quotes. */
	SPDK_JSON_VAL_STRING = 1U << 5,
	/** Start of an array; len is the number of elements up to the matching _END. */
	SPDK_JSON_VAL_ARRAY_BEGIN = 1U << 6,
	/** End of an array. */
	SPDK_JSON_VAL_ARRAY_END = 1U << 7,
	/** Start of an object; len is the number of elements up to the matching _END. */
	SPDK_JSON_VAL_OBJECT_BEGIN = 1U << 8,
	/** End of an object. */
	SPDK_JSON_VAL_OBJECT_END = 1U << 9,
	/** The name of an object member; start/len hold the decoded name. */
	SPDK_JSON_VAL_NAME = 1U << 10,
};

/** One element of a parsed JSON value (see the file comment for the layout). */
struct spdk_json_val {
	/**
	 * STRING and NAME: the decoded UTF-8 bytes, without quotes (updk's parser
	 * also puts a NUL after them). NUMBER, TRUE, FALSE and NULL: the text as
	 * written. ARRAY/OBJECT _BEGIN and _END: the bracket in the text.
	 */
	void *start;
	/**
	 * STRING, NAME, NUMBER, TRUE, FALSE, NULL: length in bytes of the bytes at
	 * start. _BEGIN: number of elements between it and its _END. _END: 0.
	 */
	uint32_t len;
	/** What this element is. */
	enum spdk_json_val_type type;
};

/** spdk_json_parse(): the text is not valid JSON. */
#define SPDK_JSON_PARSE_INVALID -1
/** spdk_json_parse(): the text is valid so far but ends before the value does. */
#define SPDK_JSON_PARSE_INCOMPLETE -2
/** spdk_json_parse(): arrays and objects nest deeper than 64 levels. */
#define SPDK_JSON_PARSE_MAX_DEPTH_EXCEEDED -3

/** spdk_json_parse(): decode strings and names into the input buffer. */
#define SPDK_JSON_PARSE_FLAG_DECODE_IN_PLACE 0x000000001
/** spdk_json_parse(): accept C and C++ comments, which count as white space. */
#define SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS 0x000000002

/**
 * Parse the first JSON value in a buffer.
 *
 * Leading white space is skipped; the value ends with its closing bracket or
 * quote, or, for a number or literal at the top level, at the next white space
 * or punctuation (so a number at the very end of the buffer is incomplete:
 * more digits might follow). Bytes after the value are not looked at. Object
 * members with the same name, nesting deeper than 64 levels and numbers beyond
 * the range of a double are rejected.
 *
 * Typical use is two calls: one with \p values NULL to count the elements, and
 * one with an array of that size.
 *
 * \param json The text, UTF-8. With SPDK_JSON_PARSE_FLAG_DECODE_IN_PLACE and a
 * non-NULL \p values, decoded strings are written over their own text (each
 * followed by a NUL), so the buffer must be writable and must outlive the
 * values. Without that flag, STRING and NAME elements point at the raw text
 * between the quotes, escapes undecoded.
 * \param size Bytes in \p json.
 * \param values Array to fill, or NULL to only count.
 * \param num_values Capacity of \p values.
 * \param end If not NULL, set to the byte after the value on success.
 * \param flags SPDK_JSON_PARSE_FLAG_* bits.
 * \return the number of elements, or SPDK_JSON_PARSE_INVALID (syntax error,
 * \p values too small, or out of memory; logged with the line and column),
 * SPDK_JSON_PARSE_INCOMPLETE, or SPDK_JSON_PARSE_MAX_DEPTH_EXCEEDED.
 */
ssize_t spdk_json_parse(void *json, size_t size, struct spdk_json_val *values, size_t num_values,
			void **end, uint32_t flags);

/**
 * Decode one value into the memory at \p out.
 *
 * \return 0 on success, non-zero (a negative errno in updk) when the value has
 * the wrong type or range.
 */
typedef int (*spdk_json_decode_fn)(const struct spdk_json_val *val, void *out);

/** One row of a table that maps object members onto the fields of a C struct. */
struct spdk_json_object_decoder {
	/** Member name. */
	const char *name;
	/** Offset of the field in the output struct (offsetof()). */
	size_t offset;
	/** Decoder for the member's value, called with the field's address. */
	spdk_json_decode_fn decode_func;
	/** Whether the member may be absent (the field is then left untouched). */
	bool optional;
};

/**
 * Decode an object into a struct with a decoder table. Every member must have
 * a row in the table (an unknown member fails), no member may appear twice,
 * and every row that is not optional must be present. Fields of absent
 * optional members are left as they were, so set defaults before the call.
 *
 * Decoding stops at the first failure; fields decoded before it keep their new
 * values (free strings with spdk_json_free_object()).
 *
 * \param values The OBJECT_BEGIN element.
 * \param decoders The table.
 * \param num_decoders Rows in the table.
 * \param out The struct.
 * \return 0 on success; -EINVAL (with one error log naming the member and
 * the problem) when \p values is NULL or not an object, a member is unknown,
 * duplicated, missing or fails its decoder; -ENOMEM for a table of more than
 * 128 rows when memory runs out.
 */
int spdk_json_decode_object(const struct spdk_json_val *values,
			    const struct spdk_json_object_decoder *decoders, size_t num_decoders,
			    void *out);

/**
 * Like spdk_json_decode_object(), but members without a row in the table are
 * ignored.
 *
 * \return 0 on success; -EINVAL as for spdk_json_decode_object(), except for
 * unknown members.
 */
int spdk_json_decode_object_relaxed(const struct spdk_json_val *values,
				    const struct spdk_json_object_decoder *decoders,
				    size_t num_decoders, void *out);

/**
 * Decode the elements of an array with one decoder.
 *
 * \param values The ARRAY_BEGIN element.
 * \param decode_func Decoder for each element.
 * \param out Where the first element goes; element i goes to
 * `(char *)out + i * stride`.
 * \param max_size Most elements \p out can take.
 * \param out_size Set to the number of elements decoded (also on failure: the
 * number decoded before it).
 * \param stride Bytes between two elements in \p out.
 * \return 0 on success; -EINVAL (logged) when \p values is not an array, holds
 * more than \p max_size elements, or an element fails its decoder.
 */
int spdk_json_decode_array(const struct spdk_json_val *values, spdk_json_decode_fn decode_func,
			   void *out, size_t max_size, size_t *out_size, size_t stride);

/** Decode true or false into a bool. \return 0, or -EINVAL for another type. */
int spdk_json_decode_bool(const struct spdk_json_val *val, void *out);

/** Decode an integral number into a uint8_t. \return 0, -EINVAL (not a number) or -ERANGE. */
int spdk_json_decode_uint8(const struct spdk_json_val *val, void *out);

/** Decode an integral number into a uint16_t. \return 0, -EINVAL (not a number) or -ERANGE. */
int spdk_json_decode_uint16(const struct spdk_json_val *val, void *out);

/** Decode an integral number into an int32_t. \return 0, -EINVAL (not a number) or -ERANGE. */
int spdk_json_decode_int32(const struct spdk_json_val *val, void *out);

/** Decode an integral number into a uint32_t. \return 0, -EINVAL (not a number) or -ERANGE. */
int spdk_json_decode_uint32(const struct spdk_json_val *val, void *out);

/** Decode an integral number into a uint64_t. \return 0, -EINVAL (not a number) or -ERANGE. */
int spdk_json_decode_uint64(const struct spdk_json_val *val, void *out);

/** Decode an integral number into an int64_t. \return 0, -EINVAL (not a number) or -ERANGE. */
int spdk_json_decode_int64(const struct spdk_json_val *val, void *out);

/**
 * Decode a string into a `char *` from malloc(), NUL-terminated. The previous
 * value of the field is passed to free() first, so the field must hold NULL or
 * a string from malloc() (a default set with strdup() is replaced cleanly).
 *
 * \return 0, -EINVAL for another type or a string with an embedded NUL (the
 * field is then NULL), or -ENOMEM.
 */
int spdk_json_decode_string(const struct spdk_json_val *val, void *out);

/**
 * Decode a string in the form xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx into a
 * struct spdk_uuid.
 *
 * \return 0, or -EINVAL for another type or a malformed UUID.
 */
int spdk_json_decode_uuid(const struct spdk_json_val *val, void *out);

/**
 * Free the strings that spdk_json_decode_string() put into the fields of
 * \p obj (rows whose decode_func is spdk_json_decode_string) and set them to
 * NULL. \p obj itself is not freed.
 *
 * \param decoders The table used to decode \p obj.
 * \param num_decoders Rows in the table.
 * \param obj The struct; NULL does nothing.
 */
void spdk_json_free_object(const struct spdk_json_object_decoder *decoders, size_t num_decoders,
			   void *obj);

/**
 * Number of elements a value takes: 1 for a scalar or name, the contents plus
 * 2 for an array or object. Adding it to \p val skips the value.
 *
 * \param val An element; NULL gives 0.
 */
size_t spdk_json_val_len(const struct spdk_json_val *val);

/**
 * Compare a STRING or NAME element with a C string.
 *
 * \return true when \p val is a STRING or NAME with exactly the bytes of \p str.
 */
bool spdk_json_strequal(const struct spdk_json_val *val, const char *str);

/**
 * Copy a STRING or NAME element into a NUL-terminated string from malloc().
 *
 * \return the copy (release with free()), or NULL when \p val is not a string,
 * contains a NUL byte, or memory runs out.
 */
char *spdk_json_strdup(const struct spdk_json_val *val);

/**
 * Convert a NUMBER element to an integer. Exponents and fractions are accepted
 * when the value is integral ("1e3", "2.0"); "-0" is 0.
 *
 * \return 0; -EINVAL when \p val is not a number; -ERANGE when the value is
 * not integral or does not fit.
 */
int spdk_json_number_to_uint8(const struct spdk_json_val *val, uint8_t *num);

/** Like spdk_json_number_to_uint8(), for uint16_t. */
int spdk_json_number_to_uint16(const struct spdk_json_val *val, uint16_t *num);

/** Like spdk_json_number_to_uint8(), for int32_t. */
int spdk_json_number_to_int32(const struct spdk_json_val *val, int32_t *num);

/** Like spdk_json_number_to_uint8(), for uint32_t. */
int spdk_json_number_to_uint32(const struct spdk_json_val *val, uint32_t *num);

/** Like spdk_json_number_to_uint8(), for uint64_t. */
int spdk_json_number_to_uint64(const struct spdk_json_val *val, uint64_t *num);

/** Like spdk_json_number_to_uint8(), for int64_t. */
int spdk_json_number_to_int64(const struct spdk_json_val *val, int64_t *num);

/**
 * Find a member of an object by name. Only the object's own members are
 * searched, not nested objects.
 *
 * \param object The OBJECT_BEGIN element.
 * \param key_name The member name.
 * \param key If not NULL, set to the member's NAME element.
 * \param val If not NULL, set to the member's value.
 * \param type Types the value may have (bits of enum spdk_json_val_type; use
 * SPDK_JSON_VAL_ARRAY_BEGIN or SPDK_JSON_VAL_OBJECT_BEGIN for containers), or
 * SPDK_JSON_VAL_ANY.
 * \return 0 if found; -EINVAL when an argument is NULL; -EPROTOTYPE when
 * \p object is not an object; -ENOENT when there is no such member; -EDOM
 * when the member's value has another type.
 */
int spdk_json_find(struct spdk_json_val *object, const char *key_name, struct spdk_json_val **key,
		   struct spdk_json_val **val, enum spdk_json_val_type type);

/** spdk_json_find() with \p type SPDK_JSON_VAL_STRING. */
int spdk_json_find_string(struct spdk_json_val *object, const char *key_name,
			  struct spdk_json_val **key, struct spdk_json_val **val);

/** spdk_json_find() with \p type SPDK_JSON_VAL_ARRAY_BEGIN. */
int spdk_json_find_array(struct spdk_json_val *object, const char *key_name,
			 struct spdk_json_val **key, struct spdk_json_val **value);

/**
 * \return the NAME element of an object's first member, or NULL when
 * \p object is empty or not an object.
 */
struct spdk_json_val *spdk_json_object_first(struct spdk_json_val *object);

/**
 * \return an array's first element, or NULL when \p array_begin is empty or
 * not an array.
 */
struct spdk_json_val *spdk_json_array_first(struct spdk_json_val *array_begin);

/**
 * Step to the next member of an object (from a NAME element) or the next
 * element of an array (from an element).
 *
 * \param pos A member's NAME element or an array element.
 * \return the next member's NAME element or the next array element, or NULL
 * at the end of the object or array.
 */
struct spdk_json_val *spdk_json_next(struct spdk_json_val *pos);

/** A JSON writer (spdk_json_write_begin()). */
struct spdk_json_write_ctx;

/** spdk_json_write_begin(): indent by two spaces, one member or element per line. */
#define SPDK_JSON_WRITE_FLAG_FORMATTED 0x00000001

/**
 * Receives the writer's output, in pieces, in order.
 *
 * \param cb_ctx The cb_ctx given to spdk_json_write_begin().
 * \param data Bytes to append.
 * \param size How many.
 * \return 0, or non-zero to fail the writer (every later write then fails and
 * spdk_json_write_end() reports the failure).
 */
typedef int (*spdk_json_write_cb)(void *cb_ctx, const void *data, size_t size);

/**
 * Flush the output and free the writer.
 *
 * \param w The writer; NULL returns 0.
 * \return 0 when everything was written; -EIO when a write callback failed;
 * -EINVAL when a write was refused (misuse, logged) or an array or object was
 * left open.
 */
int spdk_json_write_end(struct spdk_json_write_ctx *w);

/**
 * Create a writer. Output is buffered and passed to \p write_cb in pieces; the
 * last piece is passed by spdk_json_write_end().
 *
 * \param write_cb Receives the output.
 * \param cb_ctx Passed to \p write_cb.
 * \param flags 0 or SPDK_JSON_WRITE_FLAG_FORMATTED.
 * \return the writer, to be released with spdk_json_write_end(), or NULL when
 * \p write_cb is NULL or memory runs out.
 */
struct spdk_json_write_ctx *spdk_json_write_begin(spdk_json_write_cb write_cb, void *cb_ctx,
						  uint32_t flags)
	UPDK_ATTR_DEALLOC(spdk_json_write_end);

/*
 * Each of the following writes one value (or, for the _begin, _end and _name
 * functions, one structural piece) and returns 0 or a negative errno: -EINVAL
 * when \p w is NULL or the call does not fit the current position (a value
 * inside an object without a name, a name outside an object, an _end that
 * does not match; logged once per writer), -EIO after a write callback
 * failed, -ENOMEM. After any failure, later calls fail too.
 */

/** Write null. */
int spdk_json_write_null(struct spdk_json_write_ctx *w);
/** Write true or false. */
int spdk_json_write_bool(struct spdk_json_write_ctx *w, bool val);
/** Write an unsigned 8-bit number. */
int spdk_json_write_uint8(struct spdk_json_write_ctx *w, uint8_t val);
/** Write an unsigned 16-bit number. */
int spdk_json_write_uint16(struct spdk_json_write_ctx *w, uint16_t val);
/** Write a signed 32-bit number. */
int spdk_json_write_int32(struct spdk_json_write_ctx *w, int32_t val);
/** Write an unsigned 32-bit number. */
int spdk_json_write_uint32(struct spdk_json_write_ctx *w, uint32_t val);
/** Write a signed 64-bit number. */
int spdk_json_write_int64(struct spdk_json_write_ctx *w, int64_t val);
/** Write an unsigned 64-bit number. */
int spdk_json_write_uint64(struct spdk_json_write_ctx *w, uint64_t val);
/** Write the unsigned 128-bit number high_val * 2^64 + low_val, in decimal. */
int spdk_json_write_uint128(struct spdk_json_write_ctx *w, uint64_t low_val, uint64_t high_val);
/**
 * Write a double with the fewest digits that read back as the same value.
 * NaN and infinities, which JSON cannot express, are written as null.
 */
int spdk_json_write_double(struct spdk_json_write_ctx *w, double val);

/**
 * Write a NUL-terminated UTF-8 string. Quotes, backslashes and control
 * characters are escaped and characters beyond ASCII are written as \\uXXXX
 * escapes, so the output is plain ASCII. Bytes that are not valid UTF-8 are
 * written as U+FFFD.
 */
int spdk_json_write_string(struct spdk_json_write_ctx *w, const char *val);
/** Like spdk_json_write_string(), for \p len bytes that may include NULs (written as \\u0000). */
int spdk_json_write_string_raw(struct spdk_json_write_ctx *w, const char *val, size_t len);
/** Write a NUL-terminated UTF-16LE string as a JSON string. Unpaired surrogates become U+FFFD. */
int spdk_json_write_string_utf16le(struct spdk_json_write_ctx *w, const uint16_t *val);
/** Like spdk_json_write_string_utf16le(), for \p len 16-bit units that may include NULs. */
int spdk_json_write_string_utf16le_raw(struct spdk_json_write_ctx *w, const uint16_t *val,
				       size_t len);
/** Write a printf-formatted string. */
int spdk_json_write_string_fmt(struct spdk_json_write_ctx *w, const char *fmt, ...)
	__attribute__((__format__(__printf__, 2, 3)));
/** Like spdk_json_write_string_fmt(), with a va_list. */
int spdk_json_write_string_fmt_v(struct spdk_json_write_ctx *w, const char *fmt, va_list args);
/** Write \p len bytes as a string of lowercase hex digits, two per byte. */
int spdk_json_write_bytearray(struct spdk_json_write_ctx *w, const void *val, size_t len);
/** Write a UUID as a lowercase string xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx. */
int spdk_json_write_uuid(struct spdk_json_write_ctx *w, const struct spdk_uuid *uuid);

/** Start an array; close it with spdk_json_write_array_end(). */
int spdk_json_write_array_begin(struct spdk_json_write_ctx *w);
/** Close the innermost open array. */
int spdk_json_write_array_end(struct spdk_json_write_ctx *w);
/** Start an object; write members as a name followed by a value. */
int spdk_json_write_object_begin(struct spdk_json_write_ctx *w);
/** Close the innermost open object (after a complete member). */
int spdk_json_write_object_end(struct spdk_json_write_ctx *w);
/** Write a member name (escaped like a string); the member's value must follow. */
int spdk_json_write_name(struct spdk_json_write_ctx *w, const char *name);
/** Like spdk_json_write_name(), for \p len bytes. */
int spdk_json_write_name_raw(struct spdk_json_write_ctx *w, const char *name, size_t len);

/**
 * Write a parsed value again: a scalar, or an array or object with everything
 * in it. Strings are escaped again; numbers keep their text. A NAME element
 * writes a member name.
 */
int spdk_json_write_val(struct spdk_json_write_ctx *w, const struct spdk_json_val *val);

/**
 * Write \p len bytes as one value, unchecked: the caller vouches that they are
 * valid JSON (for example, text produced by another writer).
 */
int spdk_json_write_val_raw(struct spdk_json_write_ctx *w, const void *data, size_t len);

/* Each spdk_json_write_named_X() writes the member name \p name, then does what
 * spdk_json_write_X() does; same returns. */

/** Write the member "name": null. */
int spdk_json_write_named_null(struct spdk_json_write_ctx *w, const char *name);
/** Write the member "name": true or false. */
int spdk_json_write_named_bool(struct spdk_json_write_ctx *w, const char *name, bool val);
/** Write a member with an unsigned 8-bit number. */
int spdk_json_write_named_uint8(struct spdk_json_write_ctx *w, const char *name, uint8_t val);
/** Write a member with an unsigned 16-bit number. */
int spdk_json_write_named_uint16(struct spdk_json_write_ctx *w, const char *name, uint16_t val);
/** Write a member with a signed 32-bit number. */
int spdk_json_write_named_int32(struct spdk_json_write_ctx *w, const char *name, int32_t val);
/** Write a member with an unsigned 32-bit number. */
int spdk_json_write_named_uint32(struct spdk_json_write_ctx *w, const char *name, uint32_t val);
/** Write a member with a signed 64-bit number. */
int spdk_json_write_named_int64(struct spdk_json_write_ctx *w, const char *name, int64_t val);
/** Write a member with an unsigned 64-bit number. */
int spdk_json_write_named_uint64(struct spdk_json_write_ctx *w, const char *name, uint64_t val);
/** Write a member with an unsigned 128-bit number (see spdk_json_write_uint128()). */
int spdk_json_write_named_uint128(struct spdk_json_write_ctx *w, const char *name, uint64_t low_val,
				  uint64_t high_val);
/** Write a member with a double (see spdk_json_write_double()). */
int spdk_json_write_named_double(struct spdk_json_write_ctx *w, const char *name, double val);
/** Write a member with a string. */
int spdk_json_write_named_string(struct spdk_json_write_ctx *w, const char *name, const char *val);
/** Write a member with a printf-formatted string. */
int spdk_json_write_named_string_fmt(struct spdk_json_write_ctx *w, const char *name,
				     const char *fmt, ...)
	__attribute__((__format__(__printf__, 3, 4)));
/** Like spdk_json_write_named_string_fmt(), with a va_list. */
int spdk_json_write_named_string_fmt_v(struct spdk_json_write_ctx *w, const char *name,
				       const char *fmt, va_list args);
/** Write a member with bytes as hex digits (see spdk_json_write_bytearray()). */
int spdk_json_write_named_bytearray(struct spdk_json_write_ctx *w, const char *name,
				    const void *val, size_t len);
/** Write a member with a UUID string. */
int spdk_json_write_named_uuid(struct spdk_json_write_ctx *w, const char *name,
			       const struct spdk_uuid *uuid);
/** Write a member name and start an array as its value. */
int spdk_json_write_named_array_begin(struct spdk_json_write_ctx *w, const char *name);
/** Write a member name and start an object as its value. */
int spdk_json_write_named_object_begin(struct spdk_json_write_ctx *w, const char *name);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_JSON_H */
