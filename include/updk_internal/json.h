/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * JSON parsing into memory the parser owns, for components that read JSON
 * from a stream or a file (the JSON-RPC server, the configuration loader) and
 * must keep the parsed values after the input buffer is reused.
 */

#ifndef UPDK_INTERNAL_JSON_H
#define UPDK_INTERNAL_JSON_H

#include "spdk/stdinc.h"
#include "spdk/json.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Most levels of nested arrays and objects the parsers accept. */
#define UPDK_JSON_MAX_DEPTH 64

/**
 * Parse the first JSON value in \p buf into a new flat array of values (see
 * spdk/json.h) that owns copies of all the text it points to, so \p buf may be
 * reused at once. Strings and names are decoded and NUL-terminated.
 *
 * Leading white space (and comments, with SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS)
 * is skipped; the value ends with its closing bracket or quote, or, for a
 * number or literal at the top level, at the next white space or punctuation.
 * Whatever follows the value is left for the next call, so concatenated values
 * in a stream are parsed one per call. Nothing is logged: the caller reports
 * errors with the text left in \p errbuf.
 *
 * \param buf The text.
 * \param size Bytes in \p buf (at most UINT32_MAX).
 * \param flags 0 or SPDK_JSON_PARSE_FLAG_ALLOW_COMMENTS.
 * \param values Set to the array on success; release it with updk__json_free().
 * \param num_values Set to the number of elements on success.
 * \param consumed Set to the number of bytes up to the end of the value on
 * success; may be NULL.
 * \param errbuf Receives a one-line description of a failure, with the line
 * and column ("line 3 column 7: ..."); may be NULL.
 * \param errlen Size of \p errbuf.
 * \return 0 on success; -EAGAIN when the buffer holds no complete value yet
 * (only white space, or a value that is valid so far but unfinished: read more
 * and call again with the longer buffer); -EINVAL for a syntax error or an
 * argument error; -ELOOP when nesting exceeds UPDK_JSON_MAX_DEPTH; -ENOMEM.
 */
int updk__json_parse(const void *buf, size_t size, uint32_t flags, struct spdk_json_val **values,
		     size_t *num_values, size_t *consumed, char *errbuf, size_t errlen);

/** Release an array from updk__json_parse(); NULL does nothing. */
void updk__json_free(struct spdk_json_val *values);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_JSON_H */
