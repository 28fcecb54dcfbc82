/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The older name of the I/O channel API, kept because SPDK programs still
 * include it: everything lives in spdk/thread.h.
 */

#ifndef SPDK_IO_CHANNEL_H
#define SPDK_IO_CHANNEL_H

#include "spdk/thread.h"

#endif /* SPDK_IO_CHANNEL_H */
