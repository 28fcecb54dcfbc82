/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The bdev side of the uring and aio modules, all but the I/O engine: a
 * module's list of bdevs and the lookup by name, the checks and setup of
 * create up to where the module adds its own fields, registration, the
 * teardown that destruct starts and the io_device unregister callback
 * finishes, and rescan. Each module describes itself once in a struct
 * bdev_file_module; log lines name the bdev, or the module's create method.
 */

#include "spdk/stdinc.h"

#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/log.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"

#include "bdev_file.h"

struct bdev_file_disk *
updk__bdev_file_disk_find(struct bdev_file_module *fmod, const char *name)
{
	struct bdev_file_disk *disk;

	if (name == NULL) {
		return NULL;
	}
	TAILQ_FOREACH (disk, &fmod->disks, link) {
		if (strcmp(disk->bdev.name, name) == 0) {
			return disk;
		}
	}
	return NULL;
}

void
updk__bdev_file_disk_free(struct bdev_file_disk *disk)
{
	if (disk == NULL) {
		return;
	}
	updk__bdev_file_close(&disk->file);
	free(disk->filename);
	free(disk->bdev.name);
	/* The module's disk starts with this one: one allocation. */
	free(disk);
}

static void
bdev_file_disk_unregister_done(void *io_device)
{
	struct bdev_file_disk *disk = io_device;

	spdk_bdev_destruct_done(&disk->bdev, 0);
	updk__bdev_file_disk_free(disk);
}

static void
bdev_file_disk_unregister_failed(void *io_device)
{
	updk__bdev_file_disk_free(io_device);
}

int
updk__bdev_file_disk_destruct(void *ctx)
{
	struct bdev_file_disk *disk = ctx;

	TAILQ_REMOVE(&disk->fmod->disks, disk, link);
	spdk_io_device_unregister(disk, bdev_file_disk_unregister_done);
	return 1;
}

struct spdk_io_channel *
updk__bdev_file_disk_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(ctx);
}

void
updk__bdev_file_reset_done(struct spdk_io_channel_iter *i, int status)
{
	struct spdk_bdev_io *bdev_io = spdk_io_channel_iter_get_ctx(i);

	spdk_bdev_io_complete(bdev_io, status == 0 ? SPDK_BDEV_IO_STATUS_SUCCESS
						   : SPDK_BDEV_IO_STATUS_FAILED);
}

static void
bdev_file_disk_fill_bdev(struct bdev_file_disk *disk, const struct spdk_uuid *uuid)
{
	struct bdev_file_module *fmod = disk->fmod;
	struct spdk_bdev *bdev = &disk->bdev;
	uint32_t block_size = disk->file.block_size;

	bdev->product_name = fmod->product_name;
	bdev->module = fmod->module;
	bdev->fn_table = fmod->fn_table;
	bdev->ctxt = disk;
	bdev->write_cache = 1;
	bdev->blocklen = block_size;
	bdev->phys_blocklen = disk->file.phys_block_size;
	bdev->blockcnt = disk->file.size / block_size;
	bdev->required_alignment =
		disk->file.direct ? (uint8_t)spdk_u32log2(disk->file.dio_align) : 0;
	bdev->max_write_zeroes = UINT32_MAX / block_size;
	bdev->max_unmap = UINT32_MAX / block_size;
	bdev->max_unmap_segments = 1;
	/* The vectored read and write calls take at most IOV_MAX segments; the
	 * bdev layer splits larger I/O. */
	bdev->max_num_segments = IOV_MAX;
	if (uuid != NULL) {
		spdk_uuid_copy(&bdev->uuid, uuid);
	}
}

int
updk__bdev_file_disk_alloc(struct bdev_file_module *fmod, const char *name, const char *filename,
			   uint32_t block_size, bool readonly, const struct spdk_uuid *uuid,
			   struct bdev_file_disk **out)
{
	struct bdev_file_disk *disk;
	int rc;

	assert(fmod->disk_size >= sizeof(*disk));
	if (name == NULL || name[0] == '\0') {
		SPDK_ERRLOG("bdev_%s_create: a name is required\n", fmod->module->name);
		return -EINVAL;
	}
	if (filename == NULL || filename[0] == '\0') {
		SPDK_ERRLOG("bdev %s: a filename is required\n", name);
		return -EINVAL;
	}
	if (updk__bdev_file_disk_find(fmod, name) != NULL || spdk_bdev_get_by_name(name) != NULL) {
		SPDK_ERRLOG("bdev %s: the name is already in use\n", name);
		return -EEXIST;
	}
	if (fmod->probe != NULL) {
		rc = fmod->probe(name);
		if (rc != 0) {
			return rc;
		}
	}

	disk = calloc(1, fmod->disk_size);
	if (disk == NULL) {
		SPDK_ERRLOG("bdev %s: out of memory\n", name);
		return -ENOMEM;
	}
	disk->fmod = fmod;
	disk->file.fd = -1;
	disk->bdev.name = strdup(name);
	disk->filename = strdup(filename);
	if (disk->bdev.name == NULL || disk->filename == NULL) {
		SPDK_ERRLOG("bdev %s: out of memory\n", name);
		updk__bdev_file_disk_free(disk);
		return -ENOMEM;
	}
	rc = updk__bdev_file_open(&disk->file, name, filename, block_size, readonly);
	if (rc != 0) {
		updk__bdev_file_disk_free(disk);
		return rc;
	}
	disk->zero_mode = BDEV_FILE_ZERO_RANGE;
	disk->unmap_mode = BDEV_FILE_ZERO_PUNCH;
	bdev_file_disk_fill_bdev(disk, uuid);
	*out = disk;
	return 0;
}

int
updk__bdev_file_disk_register(struct bdev_file_disk *disk)
{
	struct bdev_file_module *fmod = disk->fmod;
	int rc;

	spdk_io_device_register(disk, fmod->channel_create, fmod->channel_destroy,
				fmod->channel_size, disk->bdev.name);
	rc = spdk_bdev_register(&disk->bdev);
	if (rc != 0) {
		/* spdk_bdev_register() logged why. */
		spdk_io_device_unregister(disk, bdev_file_disk_unregister_failed);
		return rc;
	}
	TAILQ_INSERT_TAIL(&fmod->disks, disk, link);
	return 0;
}

int
updk__bdev_file_disk_rescan(struct bdev_file_module *fmod, const char *name)
{
	struct bdev_file_disk *disk = updk__bdev_file_disk_find(fmod, name);

	if (disk == NULL) {
		return -ENODEV;
	}
	return updk__bdev_file_rescan(&disk->file, &disk->bdev);
}
