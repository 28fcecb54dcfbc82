/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Zoned block device API. updk has no zoned bdev yet: this header holds what
 * SPDK programs name when they handle zoned devices (as hello_bdev does), and
 * the zone operations report that they are not supported.
 */

#ifndef SPDK_BDEV_ZONE_H
#define SPDK_BDEV_ZONE_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Zone management actions. */
enum spdk_bdev_zone_action {
	/** Close an open zone. */
	SPDK_BDEV_ZONE_CLOSE,
	/** Move a zone to the full state. */
	SPDK_BDEV_ZONE_FINISH,
	/** Open a zone explicitly. */
	SPDK_BDEV_ZONE_OPEN,
	/** Reset a zone's write pointer. */
	SPDK_BDEV_ZONE_RESET,
	/** Take a zone offline. */
	SPDK_BDEV_ZONE_OFFLINE,
};

/**
 * Submit a zone management request. Only meaningful on zoned bdevs
 * (spdk_bdev_is_zoned()), of which updk has none yet.
 *
 * \param desc Descriptor opened for writing.
 * \param ch I/O channel of \p desc on the calling thread.
 * \param zone_id First block of the zone.
 * \param action What to do.
 * \param cb Completion callback (never called by updk today).
 * \param cb_arg Argument of \p cb.
 * \return -ENOTSUP: no updk bdev is zoned; the callback never runs.
 */
int spdk_bdev_zone_management(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			      uint64_t zone_id, enum spdk_bdev_zone_action action,
			      spdk_bdev_io_completion_cb cb, void *cb_arg);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_BDEV_ZONE_H */
