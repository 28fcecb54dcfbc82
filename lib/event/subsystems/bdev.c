/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The "bdev" subsystem: starts the bdev layer (and with it every linked bdev
 * module) when the application initialises its subsystems, finishes it
 * (unregistering every bdev, then the modules) at shutdown, and writes the
 * bdev part of save_config.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/init.h"
#include "spdk/log.h"
#include "spdk/string.h"

static void
bdev_subsystem_initialized(void *cb_arg, int rc)
{
	if (rc != 0) {
		SPDK_ERRLOG("the bdev layer failed to start: %s\n", spdk_strerror(-rc));
	}
	spdk_subsystem_init_next(rc);
}

static void
bdev_subsystem_init(void)
{
	spdk_bdev_initialize(bdev_subsystem_initialized, NULL);
}

static void
bdev_subsystem_finished(void *cb_arg)
{
	spdk_subsystem_fini_next();
}

static void
bdev_subsystem_fini(void)
{
	spdk_bdev_finish(bdev_subsystem_finished, NULL);
}

static void
bdev_subsystem_write_config(struct spdk_json_write_ctx *w)
{
	spdk_bdev_subsystem_config_json(w);
}

static struct spdk_subsystem g_spdk_subsystem_bdev = {
	.name = "bdev",
	.init = bdev_subsystem_init,
	.fini = bdev_subsystem_fini,
	.write_config_json = bdev_subsystem_write_config,
};

SPDK_SUBSYSTEM_REGISTER(g_spdk_subsystem_bdev)
