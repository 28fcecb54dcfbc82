/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The "nbd" subsystem: NBD exports start from the configuration after the
 * bdevs exist, are stopped before the bdev layer finishes, and are written
 * by save_config.
 */

#include "spdk/stdinc.h"
#include "spdk/init.h"
#include "spdk/nbd.h"

static void
nbd_subsystem_init(void)
{
	spdk_subsystem_init_next(spdk_nbd_init());
}

static void
nbd_subsystem_stopped(void *arg)
{
	spdk_subsystem_fini_next();
}

static void
nbd_subsystem_fini(void)
{
	spdk_nbd_fini(nbd_subsystem_stopped, NULL);
}

static struct spdk_subsystem g_spdk_subsystem_nbd = {
	.name = "nbd",
	.init = nbd_subsystem_init,
	.fini = nbd_subsystem_fini,
	.write_config_json = spdk_nbd_write_config_json,
};

SPDK_SUBSYSTEM_REGISTER(g_spdk_subsystem_nbd)
SPDK_SUBSYSTEM_DEPEND(nbd, bdev)
