/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The glue the virtual bdev modules (passthru, delay, error) share: their
 * configurations, which wait for a missing base and outlive a removed one,
 * the open and claim of the base, its events, one io_device per bdev with
 * the base's channel in each of its channels, I/O forwarded to the base,
 * and teardown in order. The contract is in include/updk_internal/vbdev.h.
 *
 * The configurations of every virtual bdev module are in one list, in the
 * order they were made, which is the order save_config writes them in; the
 * checks for duplicates run across modules, because each of them claims its
 * base. A bdev and its configuration point at each other while both exist. A
 * delete call forgets the configuration at once and leaves the bdev to go
 * away through the bdev layer; the bdev's destruct leaves the configuration
 * waiting for the base again. Both only run on the app thread, so neither
 * pointer needs a lock.
 */

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/log.h"
#include "spdk/queue.h"
#include "spdk/string.h"
#include "spdk/thread.h"
#include "spdk/uuid.h"
#include "updk_internal/bdev.h"
#include "updk_internal/vbdev.h"

static int vbdev_initialize(void);
static void vbdev_fini_start(void);
static void vbdev_finish(void);
static int vbdev_config_json(struct spdk_json_write_ctx *w);
static void vbdev_examine(struct spdk_bdev *bdev);

static struct spdk_bdev_module vbdev_if = {
	.name = "vbdev",
	.module_init = vbdev_initialize,
	.fini_start = vbdev_fini_start,
	.module_fini = vbdev_finish,
	.config_json = vbdev_config_json,
	.examine_config = vbdev_examine,
};

SPDK_BDEV_MODULE_REGISTER(vbdev, &vbdev_if)

/* Every configuration of every virtual bdev module, oldest first. */
static TAILQ_HEAD(, updk_vbdev_config) g_vbdev_configs = TAILQ_HEAD_INITIALIZER(g_vbdev_configs);

static const char *
vbdev_kind(const struct updk_vbdev_module *mod)
{
	return mod->bdev_module->name;
}

static int
vbdev_initialize(void)
{
	return 0;
}

static void
vbdev_config_free(struct updk_vbdev_config *cfg)
{
	free(cfg->name);
	free(cfg->base_name);
	free(cfg);
}

/* Forget a configuration; its bdev, if any, stays. */
static void
vbdev_config_forget(struct updk_vbdev_config *cfg)
{
	TAILQ_REMOVE(&g_vbdev_configs, cfg, link);
	if (cfg->vbdev != NULL) {
		cfg->vbdev->config = NULL;
	}
	vbdev_config_free(cfg);
}

void
updk__vbdev_config_clear(void)
{
	struct updk_vbdev_config *cfg;

	while ((cfg = TAILQ_FIRST(&g_vbdev_configs)) != NULL) {
		vbdev_config_forget(cfg);
	}
}

/* Every bdev has been unregistered: what is left only waits. */
static void
vbdev_finish(void)
{
	updk__vbdev_config_clear();
}

int
updk__vbdev_config_alloc(const struct updk_vbdev_module *mod, const char *name,
			 const char *base_name, const struct spdk_uuid *uuid,
			 struct updk_vbdev_config **out)
{
	struct updk_vbdev_config *cfg;
	const char *what = NULL;

	if (name == NULL || *name == '\0') {
		what = "the bdev name is NULL or empty";
	} else if (base_name == NULL || *base_name == '\0') {
		what = "the base bdev name is NULL or empty";
	} else if (strcmp(name, base_name) == 0) {
		what = "a bdev cannot be its own base";
	}
	if (what != NULL) {
		SPDK_ERRLOG("%s bdev %s: %s\n", vbdev_kind(mod), name != NULL ? name : "(null)",
			    what);
		return -EINVAL;
	}
	cfg = calloc(1, mod->config_size);
	if (cfg == NULL || (cfg->name = strdup(name)) == NULL ||
	    (cfg->base_name = strdup(base_name)) == NULL) {
		SPDK_ERRLOG("%s bdev %s: out of memory\n", vbdev_kind(mod), name);
		if (cfg != NULL) {
			vbdev_config_free(cfg);
		}
		return -ENOMEM;
	}
	if (uuid != NULL) {
		spdk_uuid_copy(&cfg->uuid, uuid);
	}
	cfg->module = mod;
	*out = cfg;
	return 0;
}

struct updk_vbdev_config *
updk__vbdev_config_find(const struct updk_vbdev_module *mod, const char *name)
{
	struct updk_vbdev_config *cfg;

	if (name == NULL) {
		return NULL;
	}
	TAILQ_FOREACH (cfg, &g_vbdev_configs, link) {
		if (cfg->module == mod && strcmp(cfg->name, name) == 0) {
			return cfg;
		}
	}
	return NULL;
}

/* A new configuration must not share its name, or its base (each of these
 * modules claims its base), with any configuration of any of the modules. */
static int
vbdev_config_check(const struct updk_vbdev_config *cfg)
{
	const char *kind = vbdev_kind(cfg->module);
	struct updk_vbdev_config *c;

	TAILQ_FOREACH (c, &g_vbdev_configs, link) {
		if (strcmp(c->name, cfg->name) == 0) {
			SPDK_ERRLOG(
				"%s bdev %s: refused, the name is already configured (%s bdev on "
				"base %s)\n",
				kind, cfg->name, vbdev_kind(c->module), c->base_name);
			return -EEXIST;
		}
		if (strcmp(c->base_name, cfg->base_name) == 0) {
			SPDK_ERRLOG(
				"%s bdev %s: refused, base bdev %s is already configured for %s "
				"bdev %s\n",
				kind, cfg->name, cfg->base_name, vbdev_kind(c->module), c->name);
			return -EEXIST;
		}
	}
	if (spdk_bdev_get_by_name(cfg->name) != NULL) {
		SPDK_ERRLOG("%s bdev %s: refused, a bdev of that name already exists\n", kind,
			    cfg->name);
		return -EEXIST;
	}
	return 0;
}

static int
vbdev_channel_create(void *io_device, void *ctx_buf)
{
	struct updk_vbdev *vb = io_device;
	struct updk_vbdev_channel *vch = ctx_buf;
	int rc;

	vch->base_ch = spdk_bdev_get_io_channel(vb->base_desc);
	if (vch->base_ch == NULL) {
		SPDK_ERRLOG("%s bdev %s: no channel to base bdev %s on thread %s\n",
			    vbdev_kind(vb->module), vb->bdev.name, vb->base->name,
			    spdk_thread_get_name(spdk_get_thread()));
		return -ENOMEM;
	}
	if (vb->module->channel_init != NULL) {
		rc = vb->module->channel_init(vb, vch);
		if (rc != 0) {
			spdk_put_io_channel(vch->base_ch);
			return rc;
		}
	}
	return 0;
}

static void
vbdev_channel_destroy(void *io_device, void *ctx_buf)
{
	struct updk_vbdev *vb = io_device;
	struct updk_vbdev_channel *vch = ctx_buf;

	if (vb->module->channel_fini != NULL) {
		vb->module->channel_fini(vb, vch);
	}
	spdk_put_io_channel(vch->base_ch);
}

static void
vbdev_free(struct updk_vbdev *vb)
{
	free(vb->bdev.name);
	free(vb);
}

static void
vbdev_io_device_free(void *io_device)
{
	vbdev_free(io_device);
}

static void
vbdev_io_device_gone(void *io_device)
{
	struct updk_vbdev *vb = io_device;
	spdk_bdev_unregister_cb cb_fn = vb->deleted_cb;
	void *cb_arg = vb->deleted_cb_arg;

	spdk_bdev_destruct_done(&vb->bdev, 0);
	vbdev_free(vb);
	if (cb_fn != NULL) {
		cb_fn(cb_arg, 0);
	}
}

int
updk__vbdev_destruct(void *ctx)
{
	struct updk_vbdev *vb = ctx;

	if (vb->config != NULL) {
		vb->config->vbdev = NULL;
		vb->config = NULL;
	}
	spdk_bdev_module_release_bdev(vb->base);
	spdk_bdev_close(vb->base_desc);
	spdk_io_device_unregister(vb, vbdev_io_device_gone);
	return 1;
}

static void
vbdev_unregister(struct updk_vbdev *vb)
{
	if (vb->unregistering) {
		return;
	}
	vb->unregistering = true;
	if (vb->module->unregistering != NULL) {
		vb->module->unregistering(vb);
	}
	spdk_bdev_unregister(&vb->bdev, NULL, NULL);
}

/* Events of the base, on the app thread (where the base was opened). */
static void
vbdev_base_event(enum spdk_bdev_event_type type, struct spdk_bdev *base, void *ctx)
{
	struct updk_vbdev *vb = ctx;
	int rc;

	switch (type) {
	case SPDK_BDEV_EVENT_REMOVE:
		/* Our users get REMOVE in turn; the base descriptor stays open
		 * until destruct, so their in-flight I/O still reaches it. */
		vbdev_unregister(vb);
		break;
	case SPDK_BDEV_EVENT_RESIZE:
		rc = spdk_bdev_notify_blockcnt_change(&vb->bdev, spdk_bdev_get_num_blocks(base));
		if (rc != 0) {
			SPDK_ERRLOG("%s bdev %s: cannot follow the resize of base %s: %s\n",
				    vbdev_kind(vb->module), vb->bdev.name, base->name,
				    spdk_strerror(-rc));
		}
		break;
	default:
		break;
	}
}

/* Create and register the bdev of \p cfg on its base. Logs every failure
 * but -ENODEV, which means the base is not there (yet). */
static int
vbdev_create(struct updk_vbdev_config *cfg)
{
	const struct updk_vbdev_module *mod = cfg->module;
	struct updk_vbdev *vb;
	struct spdk_bdev *base;
	int rc;

	vb = calloc(1, mod->vbdev_size);
	if (vb == NULL || (vb->bdev.name = strdup(cfg->name)) == NULL) {
		SPDK_ERRLOG("%s bdev %s: out of memory\n", vbdev_kind(mod), cfg->name);
		free(vb);
		return -ENOMEM;
	}
	rc = spdk_bdev_open_ext(cfg->base_name, true, vbdev_base_event, vb, &vb->base_desc);
	if (rc != 0) {
		if (rc != -ENODEV) {
			SPDK_ERRLOG("%s bdev %s: cannot open base bdev %s: %s\n", vbdev_kind(mod),
				    cfg->name, cfg->base_name, spdk_strerror(-rc));
		}
		goto err_free;
	}
	base = spdk_bdev_desc_get_bdev(vb->base_desc);
	rc = spdk_bdev_module_claim_bdev(base, vb->base_desc, mod->bdev_module);
	if (rc != 0) {
		goto err_close;
	}
	vb->base = base;
	vb->config = cfg;
	vb->module = mod;

	vb->bdev.product_name = (char *)mod->product_name;
	vb->bdev.write_cache = base->write_cache;
	vb->bdev.blocklen = base->blocklen;
	vb->bdev.phys_blocklen = base->phys_blocklen;
	vb->bdev.blockcnt = base->blockcnt;
	vb->bdev.required_alignment = base->required_alignment;
	vb->bdev.optimal_io_boundary = base->optimal_io_boundary;
	vb->bdev.split_on_optimal_io_boundary = base->split_on_optimal_io_boundary;
	vb->bdev.write_unit_size = base->write_unit_size;
	vb->bdev.max_rw_size = base->max_rw_size;
	spdk_uuid_copy(&vb->bdev.uuid, &cfg->uuid);
	vb->bdev.ctxt = vb;
	vb->bdev.fn_table = mod->fn_table;
	vb->bdev.module = mod->bdev_module;
	if (mod->vbdev_init != NULL) {
		mod->vbdev_init(vb);
	}

	spdk_io_device_register(vb, vbdev_channel_create, vbdev_channel_destroy, mod->channel_size,
				vb->bdev.name);
	/* Registration examines the new bdev, which may build more bdevs on it. */
	cfg->vbdev = vb;
	rc = spdk_bdev_register(&vb->bdev);
	if (rc != 0) {
		cfg->vbdev = NULL;
		spdk_bdev_module_release_bdev(base);
		spdk_bdev_close(vb->base_desc);
		/* No channel exists yet, but the unregister completes later. */
		spdk_io_device_unregister(vb, vbdev_io_device_free);
		return rc;
	}
	/* Keep the UUID it got, so that it comes back with it after its base does. */
	spdk_uuid_copy(&cfg->uuid, &vb->bdev.uuid);
	return 0;

err_close:
	spdk_bdev_close(vb->base_desc);
err_free:
	vbdev_free(vb);
	return rc;
}

int
updk__vbdev_config_add(struct updk_vbdev_config *cfg)
{
	int rc;

	rc = vbdev_config_check(cfg);
	if (rc != 0) {
		vbdev_config_free(cfg);
		return rc;
	}
	TAILQ_INSERT_TAIL(&g_vbdev_configs, cfg, link);
	rc = spdk_bdev_get_by_name(cfg->base_name) != NULL ? vbdev_create(cfg) : -ENODEV;
	if (rc == -ENODEV) {
		SPDK_NOTICELOG("%s bdev %s: base bdev %s does not exist yet; the bdev waits for it "
			       "and is created when it registers\n",
			       vbdev_kind(cfg->module), cfg->name, cfg->base_name);
		return 0;
	}
	if (rc != 0) {
		vbdev_config_forget(cfg);
	}
	return rc;
}

static void
vbdev_examine(struct spdk_bdev *bdev)
{
	struct updk_vbdev_config *cfg;

	/* Creating a bdev examines it at once, which may create more bdevs on
	 * top of it, but never removes a configuration. */
	TAILQ_FOREACH (cfg, &g_vbdev_configs, link) {
		if (cfg->vbdev == NULL && spdk_bdev_get_by_name(cfg->base_name) == bdev &&
		    vbdev_create(cfg) == 0) {
			SPDK_NOTICELOG(
				"%s bdev %s: created on base bdev %s, which has registered\n",
				vbdev_kind(cfg->module), cfg->name, bdev->name);
		}
	}
	spdk_bdev_module_examine_done(&vbdev_if);
}

void
updk__vbdev_delete(const struct updk_vbdev_module *mod, const char *name,
		   spdk_bdev_unregister_cb cb_fn, void *cb_arg)
{
	struct updk_vbdev_config *cfg = updk__vbdev_config_find(mod, name);
	struct updk_vbdev *vb;

	if (cfg == NULL) {
		SPDK_ERRLOG("%s bdev %s: no such bdev is configured\n", vbdev_kind(mod),
			    name != NULL ? name : "(null)");
		updk__bdev_unregister_cb_later(cb_fn, cb_arg, -ENODEV);
		return;
	}
	vb = cfg->vbdev;
	vbdev_config_forget(cfg);
	if (vb == NULL) {
		updk__bdev_unregister_cb_later(cb_fn, cb_arg, 0);
		return;
	}
	/* Answer once the bdev is destroyed, also when its base's removal
	 * had already begun to unregister it. */
	vb->deleted_cb = cb_fn;
	vb->deleted_cb_arg = cb_arg;
	vbdev_unregister(vb);
}

static int
vbdev_config_json(struct spdk_json_write_ctx *w)
{
	struct updk_vbdev_config *cfg;
	char uuid[SPDK_UUID_STRING_LEN];

	TAILQ_FOREACH (cfg, &g_vbdev_configs, link) {
		spdk_json_write_object_begin(w);
		spdk_json_write_named_string(w, "method", cfg->module->create_method);
		spdk_json_write_named_object_begin(w, "params");
		cfg->module->write_params(cfg, w);
		if (!spdk_uuid_is_null(&cfg->uuid)) {
			spdk_uuid_fmt_lower(uuid, sizeof(uuid), &cfg->uuid);
			spdk_json_write_named_string(w, "uuid", uuid);
		}
		spdk_json_write_object_end(w);
		spdk_json_write_object_end(w);
	}
	return 0;
}

/* The bdev layer is about to unregister every bdev: I/O a module holds back
 * would keep its bdev from ever going. */
static void
vbdev_fini_start(void)
{
	struct updk_vbdev_config *cfg;

	TAILQ_FOREACH (cfg, &g_vbdev_configs, link) {
		if (cfg->vbdev != NULL && cfg->module->unregistering != NULL) {
			cfg->module->unregistering(cfg->vbdev);
		}
	}
}

/* ---------------------------------------------------------------------- */
/* I/O                                                                     */
/* ---------------------------------------------------------------------- */

static void
vbdev_io_done(struct spdk_bdev_io *base_io, bool success, void *cb_arg)
{
	struct spdk_bdev_io *bdev_io = cb_arg;
	struct updk_vbdev *vb = bdev_io->bdev->ctxt;
	struct updk_vbdev_channel *vch =
		spdk_io_channel_get_ctx(spdk_bdev_io_get_io_channel(bdev_io));

	vch->at_base--;
	vb->module->io_done(bdev_io, base_io, success);
}

static void
vbdev_forward(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io)
{
	struct updk_vbdev *vb = bdev_io->bdev->ctxt;
	struct updk_vbdev_channel *vch = spdk_io_channel_get_ctx(ch);
	struct spdk_bdev_desc *desc = vb->base_desc;
	uint64_t off = bdev_io->u.bdev.offset_blocks, num = bdev_io->u.bdev.num_blocks;
	int rc;

	vch->at_base++;
	switch (bdev_io->type) {
	case SPDK_BDEV_IO_TYPE_READ:
		rc = spdk_bdev_readv_blocks(desc, vch->base_ch, bdev_io->u.bdev.iovs,
					    bdev_io->u.bdev.iovcnt, off, num, vbdev_io_done,
					    bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE:
		rc = spdk_bdev_writev_blocks(desc, vch->base_ch, bdev_io->u.bdev.iovs,
					     bdev_io->u.bdev.iovcnt, off, num, vbdev_io_done,
					     bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
		rc = spdk_bdev_write_zeroes_blocks(desc, vch->base_ch, off, num, vbdev_io_done,
						   bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_UNMAP:
		rc = spdk_bdev_unmap_blocks(desc, vch->base_ch, off, num, vbdev_io_done, bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_FLUSH:
		rc = spdk_bdev_flush_blocks(desc, vch->base_ch, off, num, vbdev_io_done, bdev_io);
		break;
	case SPDK_BDEV_IO_TYPE_RESET:
		rc = spdk_bdev_reset(desc, vch->base_ch, vbdev_io_done, bdev_io);
		break;
	default:
		/* io_type_supported() keeps other types away. */
		rc = -ENOTSUP;
		break;
	}
	if (rc != 0) {
		vch->at_base--;
		spdk_bdev_io_complete(bdev_io, rc == -ENOMEM ? SPDK_BDEV_IO_STATUS_NOMEM
							     : SPDK_BDEV_IO_STATUS_FAILED);
	}
}

static void
vbdev_read_get_buf_cb(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io, bool success)
{
	if (!success) {
		spdk_bdev_io_complete(bdev_io, SPDK_BDEV_IO_STATUS_FAILED);
		return;
	}
	vbdev_forward(ch, bdev_io);
}

void
updk__vbdev_submit(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io)
{
	if (bdev_io->type == SPDK_BDEV_IO_TYPE_READ && bdev_io->u.bdev.iovs[0].iov_base == NULL) {
		/* The base would allocate a buffer of its own that ours would
		 * never see: get it here, at our layer. */
		spdk_bdev_io_get_buf(bdev_io, vbdev_read_get_buf_cb,
				     bdev_io->u.bdev.num_blocks * bdev_io->bdev->blocklen);
		return;
	}
	vbdev_forward(ch, bdev_io);
}

bool
updk__vbdev_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type)
{
	struct updk_vbdev *vb = ctx;

	switch (io_type) {
	case SPDK_BDEV_IO_TYPE_READ:
	case SPDK_BDEV_IO_TYPE_WRITE:
	case SPDK_BDEV_IO_TYPE_WRITE_ZEROES:
	case SPDK_BDEV_IO_TYPE_UNMAP:
	case SPDK_BDEV_IO_TYPE_FLUSH:
	case SPDK_BDEV_IO_TYPE_RESET:
		return spdk_bdev_io_type_supported(vb->base, io_type);
	default:
		return false;
	}
}

struct spdk_io_channel *
updk__vbdev_get_io_channel(void *ctx)
{
	return spdk_get_io_channel(ctx);
}
