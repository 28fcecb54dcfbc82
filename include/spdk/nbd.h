/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * Exporting a bdev over the NBD (network block device) protocol.
 *
 * An export serves one bdev. Its path says where:
 * - "/dev/nbdN": attach the bdev to the kernel's nbd driver (needs the nbd
 *   module and the privilege to configure it), so it appears as a block
 *   device of this machine;
 * - "nbd://HOST[:PORT]" (updk): listen on a TCP address (port 10809 when
 *   omitted) for NBD clients using the fixed newstyle handshake;
 * - "nbd+unix:///PATH" (updk): the same on a Unix socket at /PATH.
 * A listening export accepts any number of client connections and serves
 * them concurrently. The protocol has no authentication: listen on loopback
 * or on a trusted network only.
 *
 * The functions run on an SPDK thread; an export does its I/O on a thread of
 * its own, so exports spread over the reactors.
 */

#ifndef SPDK_NBD_H
#define SPDK_NBD_H

#include "spdk/stdinc.h"

#ifdef __cplusplus
extern "C" {
#endif

struct spdk_json_write_ctx;
struct spdk_nbd_disk;

/** Called when spdk_nbd_fini() has stopped every export. */
typedef void (*spdk_nbd_fini_cb)(void *arg);

/**
 * Called on the thread that called spdk_nbd_start() with the new export, or
 * with NULL and a negative errno when it could not be started.
 */
typedef void (*spdk_nbd_start_cb)(void *cb_arg, struct spdk_nbd_disk *nbd, int rc);

/** Initialise the library (the "nbd" subsystem does this). Returns 0. */
int spdk_nbd_init(void);

/** Stop every export, then call \p cb_fn on the calling thread. */
void spdk_nbd_fini(spdk_nbd_fini_cb cb_fn, void *cb_arg);

/**
 * Export \p bdev_name at \p nbd_path (see the file comment). \p cb_fn always
 * runs, later, on the calling thread. Errors: -ENODEV (no such bdev, or no
 * nbd kernel device), -EINVAL (a path that is not one of the forms above),
 * -EBUSY (the path is already exported), -EADDRINUSE and other errnos from
 * the socket calls.
 */
void spdk_nbd_start(const char *bdev_name, const char *nbd_path, spdk_nbd_start_cb cb_fn,
		    void *cb_arg);

/**
 * Stop an export: stop accepting, let the I/O in flight complete, close the
 * connections and the bdev. Returns 0, or -EINVAL for NULL. The export is
 * gone from spdk_nbd_disk_find_by_path() once this returns.
 */
int spdk_nbd_stop(struct spdk_nbd_disk *nbd);

/** The path the export was started with. */
const char *spdk_nbd_get_path(struct spdk_nbd_disk *nbd);

/** The name of the exported bdev. */
const char *spdk_nbd_disk_get_bdev_name(struct spdk_nbd_disk *nbd);

/** The export started with \p nbd_path, or NULL. */
struct spdk_nbd_disk *spdk_nbd_disk_find_by_path(const char *nbd_path);

/** Iterate over the exports, in the order they were started. */
struct spdk_nbd_disk *spdk_nbd_disk_first(void);
struct spdk_nbd_disk *spdk_nbd_disk_next(struct spdk_nbd_disk *prev);

/** Write one nbd_start_disk entry per export (save_config). */
void spdk_nbd_write_config_json(struct spdk_json_write_ctx *w);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_NBD_H */
