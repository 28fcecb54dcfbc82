/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Env functions shared with other updk components but not part of the public
 * API: the reactors use them to tell the env which core a pthread serves.
 */

#ifndef UPDK_INTERNAL_ENV_H
#define UPDK_INTERNAL_ENV_H

#include "spdk/stdinc.h"
#include "spdk/env.h"

#ifdef __cplusplus
extern "C" {
#endif

/**
 * Set the core that spdk_env_get_current_core() returns on the calling
 * pthread. The core is not checked against the env's core set and the pthread
 * is not pinned.
 *
 * \param core A core, or SPDK_ENV_LCORE_ID_ANY to clear it.
 */
void updk__env_set_current_core(uint32_t core);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_ENV_H */
