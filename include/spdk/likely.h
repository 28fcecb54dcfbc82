/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Branch prediction hints, for measured hot paths only.
 */

#ifndef SPDK_LIKELY_H
#define SPDK_LIKELY_H

#define spdk_likely(cond) __builtin_expect(!!(cond), 1)
#define spdk_unlikely(cond) __builtin_expect(!!(cond), 0)

#endif /* SPDK_LIKELY_H */
