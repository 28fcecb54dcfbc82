/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * updk string extensions: the bounded copy that replaces strcpy() and strncpy(), which the
 * house style bans.
 */

#ifndef UPDK_STRING_H
#define UPDK_STRING_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Copy a string into a buffer of \p size bytes, cutting it if needed, and always terminate the
 * result when \p size is not 0 (the BSD strlcpy() contract).
 *
 * \param dst The buffer; may be NULL only when \p size is 0.
 * \param src The string to copy.
 * \param size Size of \p dst in bytes.
 * \return strlen(src). The copy was cut if the result is \p size or more.
 */
size_t updk_strlcpy(char *dst, const char *src, size_t size);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_STRING_H */
