/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 *
 * JSON text to the flat value array of spdk/json.h. Three steps: a small
 * scanner finds where the first value ends (or that it has not ended yet),
 * enforces the nesting limit and records the position of every token; jansson
 * then validates exactly that slice and decodes its strings; finally a walk of
 * jansson's tree, in step with the token list, fills the flat array. Numbers
 * keep their original text (jansson would lose the digits of integers beyond
 * 64 bits), and the values point either into the caller's buffer
 * (spdk_json_parse) or into one block that also holds a copy of the text
 * (updk__json_parse).
 */

#include "spdk/stdinc.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "updk_internal/json.h"

#include <jansson.h>

/* Kinds of tokens the scanner records. Commas and colons are not recorded:
 * they carry no value, and jansson checks that they are where they belong. */
enum json_tok_kind {
	JSON_TOK_OBJECT_BEGIN,
	JSON_TOK_OBJECT_END,
	JSON_TOK_ARRAY_BEGIN,
	JSON_TOK_ARRAY_END,
	/* A string, quotes included. */
	JSON_TOK_STRING,
	/* A number or literal: the run of bytes up to the next delimiter. */
	JSON_TOK_BARE,
};

struct json_tok {
	/* Offset of the token's first byte. */
	uint32_t off;
	/* Length in bytes of its text. */
	uint32_t len;
	/* An enum json_tok_kind. */
	uint8_t kind;
};

struct json_scan {
	/* Tokens of the first value, in document order. */
	struct json_tok *toks;
	size_t ntoks;
	size_t cap;
	/* Byte after the value (when complete). */
	size_t end;
	/* Whether comments occur before the end; jansson must not see them. */
	bool has_comments;
	/* Offset of the offending byte, for scanner errors. */
	size_t err_off;
	/* What was wrong, for scanner errors. */
	const char *err_what;
};

/* jansson flags for validation: any value at the top level, duplicate names
 * rejected (the walk below relies on jansson keeping one entry per token),
 * NUL allowed in strings as SPDK allows it, and integers read as doubles so
 * that big ones are not an error (their digits come from the text anyway). */
#define JSON_JANSSON_FLAGS \
	(JSON_DECODE_ANY | JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL)

static bool
json_is_space(uint8_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool
json_is_delim(uint8_t c, uint32_t flags)
{
	if (json_is_space(c)) {
		return true;
	}
	switch (c) {
	case ',':
	case ':':
	case '[':
	case ']':
	case '{':
	case '}':
	case '"':
		return true;
	case '/':
		return (flags & SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS) != 0;
	default:
		return false;
	}
}

static int
json_scan_push(struct json_scan *s, size_t off, size_t len, enum json_tok_kind kind)
{
	if (s->ntoks == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 64;
		struct json_tok *toks = realloc(s->toks, cap * sizeof(*toks));

		if (toks == NULL) {
			return -ENOMEM;
		}
		s->toks = toks;
		s->cap = cap;
	}
	s->toks[s->ntoks].off = (uint32_t)off;
	s->toks[s->ntoks].len = (uint32_t)len;
	s->toks[s->ntoks].kind = (uint8_t)kind;
	s->ntoks++;
	return 0;
}

/*
 * Skip white space and comments from *pos. Returns 0 with *pos at the next
 * significant byte or at the end, -EAGAIN when the buffer ends inside a
 * comment (or right after a '/' that may start one), -EINVAL for a '/' that
 * starts nothing.
 */
static int
json_skip_space(const uint8_t *buf, size_t size, uint32_t flags, size_t *pos, struct json_scan *s)
{
	size_t i = *pos;

	while (i < size) {
		if (json_is_space(buf[i])) {
			i++;
			continue;
		}
		if (buf[i] != '/' || !(flags & SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS)) {
			break;
		}
		if (i + 1 == size) {
			return -EAGAIN;
		}
		if (buf[i + 1] == '/' || buf[i + 1] == '*') {
			s->has_comments = true;
		}
		if (buf[i + 1] == '/') {
			i += 2;
			while (i < size && buf[i] != '\n') {
				i++;
			}
		} else if (buf[i + 1] == '*') {
			i += 2;
			while (i + 1 < size && !(buf[i] == '*' && buf[i + 1] == '/')) {
				i++;
			}
			if (i + 1 >= size) {
				return -EAGAIN;
			}
			i += 2;
		} else {
			s->err_off = i;
			s->err_what = "'/' that does not start a comment";
			return -EINVAL;
		}
	}
	*pos = i;
	return 0;
}

/*
 * Find the end of the first value and record its tokens. Returns 0 (s->end
 * set), -EAGAIN (no complete value yet), -EINVAL (misplaced bracket or
 * punctuation; s->err_* set), -ELOOP (too deep) or -ENOMEM.
 */
static int
json_scan(const uint8_t *buf, size_t size, uint32_t flags, struct json_scan *s)
{
	uint8_t stack[UPDK_JSON_MAX_DEPTH];
	size_t depth = 0;
	size_t i = 0;
	int rc;

	for (;;) {
		rc = json_skip_space(buf, size, flags, &i, s);
		if (rc != 0) {
			return rc;
		}
		if (i == size) {
			return -EAGAIN;
		}

		switch (buf[i]) {
		case '{':
		case '[':
			if (depth == UPDK_JSON_MAX_DEPTH) {
				s->err_off = i;
				s->err_what = "arrays and objects nested too deeply";
				return -ELOOP;
			}
			stack[depth++] = buf[i];
			rc = json_scan_push(s, i, 1,
					    buf[i] == '{' ? JSON_TOK_OBJECT_BEGIN
							  : JSON_TOK_ARRAY_BEGIN);
			if (rc != 0) {
				return rc;
			}
			i++;
			continue;
		case '}':
		case ']':
			if (depth == 0 || stack[depth - 1] != (buf[i] == '}' ? '{' : '[')) {
				s->err_off = i;
				s->err_what = buf[i] == '}' ? "unexpected '}'" : "unexpected ']'";
				return -EINVAL;
			}
			depth--;
			rc = json_scan_push(
				s, i, 1, buf[i] == '}' ? JSON_TOK_OBJECT_END : JSON_TOK_ARRAY_END);
			if (rc != 0) {
				return rc;
			}
			i++;
			break;
		case ',':
		case ':':
			if (depth == 0) {
				s->err_off = i;
				s->err_what = buf[i] == ',' ? "unexpected ','" : "unexpected ':'";
				return -EINVAL;
			}
			i++;
			continue;
		case '"': {
			size_t j = i + 1;

			while (j < size && buf[j] != '"') {
				j += buf[j] == '\\' ? 2 : 1;
			}
			if (j >= size) {
				return -EAGAIN;
			}
			rc = json_scan_push(s, i, j + 1 - i, JSON_TOK_STRING);
			if (rc != 0) {
				return rc;
			}
			i = j + 1;
			break;
		}
		default: {
			size_t j = i;

			while (j < size && !json_is_delim(buf[j], flags)) {
				j++;
			}
			if (j == size && depth == 0) {
				/* More digits or letters may follow. */
				return -EAGAIN;
			}
			rc = json_scan_push(s, i, j - i, JSON_TOK_BARE);
			if (rc != 0) {
				return rc;
			}
			i = j;
			break;
		}
		}

		if (depth == 0) {
			s->end = i;
			return 0;
		}
	}
}

/* Replace the comments in a copy of the text by spaces, keeping newlines so
 * that jansson's line numbers stay right. The text was scanned already. */
static void
json_blank_comments(char *text, size_t len)
{
	size_t i = 0;

	while (i < len) {
		if (text[i] == '"') {
			i++;
			while (i < len && text[i] != '"') {
				i += text[i] == '\\' ? 2 : 1;
			}
			i++;
		} else if (text[i] == '/' && i + 1 < len && text[i + 1] == '/') {
			while (i < len && text[i] != '\n') {
				text[i++] = ' ';
			}
		} else if (text[i] == '/' && i + 1 < len && text[i + 1] == '*') {
			text[i] = ' ';
			text[i + 1] = ' ';
			i += 2;
			while (i + 1 < len && !(text[i] == '*' && text[i + 1] == '/')) {
				if (text[i] != '\n') {
					text[i] = ' ';
				}
				i++;
			}
			if (i + 1 < len) {
				text[i] = ' ';
				text[i + 1] = ' ';
				i += 2;
			} else {
				/* An unfinished comment at the end of a partial text. */
				for (; i < len; i++) {
					if (text[i] != '\n') {
						text[i] = ' ';
					}
				}
			}
		} else {
			i++;
		}
	}
}

static void
json_pos_of(const uint8_t *buf, size_t off, unsigned *line, unsigned *col)
{
	size_t i, line_start = 0;

	*line = 1;
	for (i = 0; i < off; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			line_start = i + 1;
		}
	}
	*col = (unsigned)(off - line_start + 1);
}

/*
 * Run jansson over buf[0, len). With partial set, the text is known to be an
 * unfinished value: any error at its very end may be the truncation, so it
 * counts as incomplete (-EAGAIN) and only earlier errors are reported.
 */
static int
json_validate(const uint8_t *buf, size_t len, bool has_comments, bool partial, json_t **tree,
	      char *errbuf, size_t errlen)
{
	json_error_t err;
	const char *text = (const char *)buf;
	char *copy = NULL;
	json_t *j;

	if (has_comments) {
		copy = malloc(len ? len : 1);
		if (copy == NULL) {
			return -ENOMEM;
		}
		memcpy(copy, buf, len);
		json_blank_comments(copy, len);
		text = copy;
	}

	j = json_loadb(text, len, JSON_JANSSON_FLAGS | (partial ? JSON_DISABLE_EOF_CHECK : 0),
		       &err);
	free(copy);
	if (j == NULL) {
		if (json_error_code(&err) == json_error_out_of_memory) {
			return -ENOMEM;
		}
		if (partial && (size_t)err.position >= len) {
			return -EAGAIN;
		}
		if (errbuf != NULL && errlen > 0) {
			snprintf(errbuf, errlen, "line %d column %d: %s", err.line, err.column,
				 err.text);
		}
		return -EINVAL;
	}
	if (partial) {
		json_decref(j);
		return -EAGAIN;
	}
	*tree = j;
	return 0;
}

/* Scan and validate the first value of buf; on success *tree is jansson's tree. */
static int
json_parse_common(const uint8_t *buf, size_t size, uint32_t flags, struct json_scan *s,
		  json_t **tree, char *errbuf, size_t errlen)
{
	unsigned line, col;
	int rc;

	if (errbuf != NULL && errlen > 0) {
		errbuf[0] = '\0';
	}
	if (size > UINT32_MAX) {
		if (errbuf != NULL && errlen > 0) {
			snprintf(errbuf, errlen, "text of %zu bytes is too long", size);
		}
		return -EINVAL;
	}

	rc = json_scan(buf, size, flags, s);
	switch (rc) {
	case 0:
		return json_validate(buf, s->end, s->has_comments, false, tree, errbuf, errlen);
	case -EAGAIN:
		if (s->ntoks == 0) {
			return -EAGAIN;
		}
		/* Report a syntax error now rather than when the rest arrives. */
		return json_validate(buf, size, s->has_comments, true, tree, errbuf, errlen);
	case -EINVAL:
	case -ELOOP:
		if (errbuf != NULL && errlen > 0) {
			json_pos_of(buf, s->err_off, &line, &col);
			snprintf(errbuf, errlen, "line %u column %u: %s", line, col, s->err_what);
		}
		return rc;
	default:
		return rc;
	}
}

struct json_emit {
	const struct json_tok *toks;
	size_t ntoks;
	/* Next token to consume. */
	size_t next;
	struct spdk_json_val *vals;
	/* Text the tokens' offsets refer to; the values point into it. */
	char *text;
	/* Write decoded strings over their text. */
	bool decode;
};

static const struct json_tok *
json_emit_take(struct json_emit *e, enum json_tok_kind kind)
{
	const struct json_tok *t;

	if (e->next >= e->ntoks || e->toks[e->next].kind != kind) {
		return NULL;
	}
	t = &e->toks[e->next];
	e->next++;
	return t;
}

static int
json_emit_string(struct json_emit *e, const char *str, size_t len, enum spdk_json_val_type type)
{
	struct spdk_json_val *v = &e->vals[e->next];
	const struct json_tok *t = json_emit_take(e, JSON_TOK_STRING);
	char *raw;

	if (t == NULL) {
		return -EINVAL;
	}
	raw = e->text + t->off + 1;
	v->type = type;
	if (!e->decode) {
		v->start = raw;
		v->len = t->len - 2;
		return 0;
	}
	/* Decoding never makes a valid string longer, so it fits in place, and
	 * the closing quote's byte is free for a terminator. */
	if (len > (size_t)t->len - 2) {
		return -EINVAL;
	}
	memcpy(raw, str, len);
	raw[len] = '\0';
	v->start = raw;
	v->len = (uint32_t)len;
	return 0;
}

static int
json_emit_bare(struct json_emit *e, enum spdk_json_val_type type)
{
	struct spdk_json_val *v = &e->vals[e->next];
	const struct json_tok *t = json_emit_take(e, JSON_TOK_BARE);

	if (t == NULL) {
		return -EINVAL;
	}
	v->type = type;
	v->start = e->text + t->off;
	v->len = t->len;
	return 0;
}

static int
json_emit_value(struct json_emit *e, json_t *j)
{
	struct spdk_json_val *begin;
	const struct json_tok *t;
	size_t first;
	int rc;

	switch (json_typeof(j)) {
	case JSON_OBJECT: {
		const char *key;
		json_t *member;
		void *it;

		begin = &e->vals[e->next];
		first = e->next;
		t = json_emit_take(e, JSON_TOK_OBJECT_BEGIN);
		if (t == NULL) {
			return -EINVAL;
		}
		for (it = json_object_iter(j); it != NULL; it = json_object_iter_next(j, it)) {
			key = json_object_iter_key(it);
			member = json_object_iter_value(it);
			rc = json_emit_string(e, key, strlen(key), SPDK_JSON_VAL_NAME);
			if (rc == 0) {
				rc = json_emit_value(e, member);
			}
			if (rc != 0) {
				return rc;
			}
		}
		begin->type = SPDK_JSON_VAL_OBJECT_BEGIN;
		begin->start = e->text + t->off;
		begin->len = (uint32_t)(e->next - first - 1);
		t = json_emit_take(e, JSON_TOK_OBJECT_END);
		if (t == NULL) {
			return -EINVAL;
		}
		e->vals[e->next - 1].type = SPDK_JSON_VAL_OBJECT_END;
		e->vals[e->next - 1].start = e->text + t->off;
		e->vals[e->next - 1].len = 0;
		return 0;
	}
	case JSON_ARRAY: {
		size_t i;

		begin = &e->vals[e->next];
		first = e->next;
		t = json_emit_take(e, JSON_TOK_ARRAY_BEGIN);
		if (t == NULL) {
			return -EINVAL;
		}
		for (i = 0; i < json_array_size(j); i++) {
			rc = json_emit_value(e, json_array_get(j, i));
			if (rc != 0) {
				return rc;
			}
		}
		begin->type = SPDK_JSON_VAL_ARRAY_BEGIN;
		begin->start = e->text + t->off;
		begin->len = (uint32_t)(e->next - first - 1);
		t = json_emit_take(e, JSON_TOK_ARRAY_END);
		if (t == NULL) {
			return -EINVAL;
		}
		e->vals[e->next - 1].type = SPDK_JSON_VAL_ARRAY_END;
		e->vals[e->next - 1].start = e->text + t->off;
		e->vals[e->next - 1].len = 0;
		return 0;
	}
	case JSON_STRING:
		return json_emit_string(e, json_string_value(j), json_string_length(j),
					SPDK_JSON_VAL_STRING);
	case JSON_INTEGER:
	case JSON_REAL:
		return json_emit_bare(e, SPDK_JSON_VAL_NUMBER);
	case JSON_TRUE:
		return json_emit_bare(e, SPDK_JSON_VAL_TRUE);
	case JSON_FALSE:
		return json_emit_bare(e, SPDK_JSON_VAL_FALSE);
	case JSON_NULL:
		return json_emit_bare(e, SPDK_JSON_VAL_NULL);
	default:
		assert(false);
		return -EINVAL;
	}
}

static int
json_emit_all(struct json_scan *s, json_t *tree, char *text, bool decode,
	      struct spdk_json_val *vals)
{
	struct json_emit e = {
		.toks = s->toks,
		.ntoks = s->ntoks,
		.vals = vals,
		.text = text,
		.decode = decode,
	};
	int rc;

	rc = json_emit_value(&e, tree);
	if (rc == 0 && e.next != s->ntoks) {
		rc = -EINVAL;
	}
	return rc;
}

ssize_t
spdk_json_parse(void *json, size_t size, struct spdk_json_val *values, size_t num_values,
		void **end, uint32_t flags)
{
	struct json_scan s = {};
	json_t *tree = NULL;
	char err[160];
	ssize_t ret;
	int rc;

	if (json == NULL && size > 0) {
		SPDK_ERRLOG("JSON parse: NULL buffer of %zu bytes\n", size);
		return SPDK_JSON_PARSE_INVALID;
	}

	rc = json_parse_common(json, size, flags, &s, &tree, err, sizeof(err));
	switch (rc) {
	case 0:
		break;
	case -EAGAIN:
		ret = SPDK_JSON_PARSE_INCOMPLETE;
		goto out;
	case -ELOOP:
		SPDK_ERRLOG("JSON parse error: %s\n", err);
		ret = SPDK_JSON_PARSE_MAX_DEPTH_EXCEEDED;
		goto out;
	case -ENOMEM:
		SPDK_ERRLOG("JSON parse: out of memory\n");
		ret = SPDK_JSON_PARSE_INVALID;
		goto out;
	default:
		SPDK_ERRLOG("JSON parse error: %s\n", err);
		ret = SPDK_JSON_PARSE_INVALID;
		goto out;
	}

	if (values != NULL) {
		if (num_values < s.ntoks) {
			SPDK_ERRLOG("JSON parse: the value has %zu elements, the array only %zu\n",
				    s.ntoks, num_values);
			ret = SPDK_JSON_PARSE_INVALID;
			goto out;
		}
		rc = json_emit_all(&s, tree, json,
				   (flags & SPDK_JSON_PARSE_FLAG_DECODE_IN_PLACE) != 0, values);
		if (rc != 0) {
			SPDK_ERRLOG("JSON parse: internal mismatch between scanner and parser\n");
			ret = SPDK_JSON_PARSE_INVALID;
			goto out;
		}
	}
	if (end != NULL) {
		*end = (uint8_t *)json + s.end;
	}
	ret = (ssize_t)s.ntoks;
out:
	json_decref(tree);
	free(s.toks);
	return ret;
}

int
updk__json_parse(const void *buf, size_t size, uint32_t flags, struct spdk_json_val **values,
		 size_t *num_values, size_t *consumed, char *errbuf, size_t errlen)
{
	struct json_scan s = {};
	struct spdk_json_val *vals;
	json_t *tree = NULL;
	char *text;
	int rc;

	if ((buf == NULL && size > 0) || values == NULL || num_values == NULL) {
		if (errbuf != NULL && errlen > 0) {
			snprintf(errbuf, errlen, "invalid argument");
		}
		return -EINVAL;
	}

	rc = json_parse_common(buf, size, flags, &s, &tree, errbuf, errlen);
	if (rc != 0) {
		goto out;
	}

	/* One block: the values, then a copy of the text they point into. */
	vals = malloc(s.ntoks * sizeof(*vals) + s.end + 1);
	if (vals == NULL) {
		rc = -ENOMEM;
		goto out;
	}
	text = (char *)(vals + s.ntoks);
	memcpy(text, buf, s.end);
	text[s.end] = '\0';

	rc = json_emit_all(&s, tree, text, true, vals);
	if (rc != 0) {
		if (errbuf != NULL && errlen > 0) {
			snprintf(errbuf, errlen, "internal mismatch between scanner and parser");
		}
		free(vals);
		goto out;
	}
	*values = vals;
	*num_values = s.ntoks;
	if (consumed != NULL) {
		*consumed = s.end;
	}
out:
	json_decref(tree);
	free(s.toks);
	return rc;
}

void
updk__json_free(struct spdk_json_val *values)
{
	free(values);
}
