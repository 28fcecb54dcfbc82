/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * T10 protection information (DIF/DIX) types and check flags. updk bdevs carry
 * no metadata yet, so this header holds only what the bdev getters and the
 * bdev structures name; the DIF generation and verification functions of
 * SPDK's dif.h are not provided.
 */

#ifndef SPDK_DIF_H
#define SPDK_DIF_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Check the reference tag. */
#define SPDK_DIF_FLAGS_REFTAG_CHECK (1U << 26)
/** Check the application tag. */
#define SPDK_DIF_FLAGS_APPTAG_CHECK (1U << 27)
/** Check the guard (CRC). */
#define SPDK_DIF_FLAGS_GUARD_CHECK (1U << 28)
/** The device inserts and strips protection information itself. */
#define SPDK_DIF_FLAGS_NVME_PRACT (1U << 29)

/** Protection information type. */
enum spdk_dif_type {
	/** No protection information. */
	SPDK_DIF_DISABLE = 0,
	/** Type 1: the reference tag is the low bits of the LBA. */
	SPDK_DIF_TYPE1 = 1,
	/** Type 2: the reference tag comes from the command. */
	SPDK_DIF_TYPE2 = 2,
	/** Type 3: no reference tag check. */
	SPDK_DIF_TYPE3 = 3,
};

/** Protection information format (size of the guard). */
enum spdk_dif_pi_format {
	/** 16-bit guard (the classic 8-byte PI). */
	SPDK_DIF_PI_FORMAT_16 = 0,
	/** 32-bit guard. */
	SPDK_DIF_PI_FORMAT_32 = 1,
	/** 64-bit guard. */
	SPDK_DIF_PI_FORMAT_64 = 2,
};

/** One kind of protection information check. */
enum spdk_dif_check_type {
	/** The reference tag check. */
	SPDK_DIF_CHECK_TYPE_REFTAG = 1,
	/** The application tag check. */
	SPDK_DIF_CHECK_TYPE_APPTAG = 2,
	/** The guard check. */
	SPDK_DIF_CHECK_TYPE_GUARD = 3,
};

#ifdef __cplusplus
}
#endif

#endif /* SPDK_DIF_H */
