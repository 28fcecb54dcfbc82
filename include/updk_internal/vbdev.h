/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * What the virtual bdev modules (passthru, delay, error) share. Each of their
 * bdevs sits on one base bdev, which it opens and claims, and forwards I/O to
 * it. The parts that are the same in every such module live here:
 *
 *  - Configurations. A create call records a configuration (the bdev's name,
 *    its base's name, its UUID and the module's own parameters) and makes
 *    the bdev at once when the base exists. When the base does not exist yet
 *    the configuration waits, and the bdev is made when a bdev of the base's
 *    name registers. A configuration stays until its delete call: a
 *    hot-removed base takes the bdev with it, and the bdev comes back when a
 *    bdev of that name registers again. save_config writes every
 *    configuration, waiting or not, in the order they were made.
 *  - The bdev's life. The base is opened for writing and claimed, the
 *    geometry is copied from it, and one io_device per bdev has per-thread
 *    channels that hold the thread's channel to the base. The base's REMOVE
 *    event unregisters the bdev, and its RESIZE event resizes it. Teardown
 *    runs in order: destruct runs after the last descriptor and channel are
 *    gone, then releases the claim, closes the base and unregisters the
 *    io_device; the bdev is freed when that completes.
 *  - I/O forwarded to the base unchanged (updk__vbdev_submit()).
 *
 * The helper registers a bdev module of its own, "vbdev", that holds the
 * configurations of every virtual bdev module: its examine_config makes the
 * bdevs that wait for the bdev being examined (each claims its base for its
 * own module), its config_json writes the configurations, its fini_start
 * lets every bdev drop the I/O it holds back, and its module_fini forgets
 * the configurations. A virtual bdev module itself needs only its name,
 * module_init and, if it has per-I/O context, get_ctx_size.
 *
 * A module keeps one static struct updk_vbdev_module. Its own structs start
 * with the helper's ones (struct updk_vbdev_config, struct updk_vbdev and
 * struct updk_vbdev_channel), so a pointer to one is a pointer to the
 * other. Everything here runs on the app thread, except
 * updk__vbdev_submit(), the io_done callback and the channel callbacks,
 * which run on the I/O's thread.
 */

#ifndef UPDK_INTERNAL_VBDEV_H
#define UPDK_INTERNAL_VBDEV_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_module.h"
#include "spdk/json.h"
#include "spdk/queue.h"
#include "spdk/uuid.h"

#ifdef __cplusplus
extern "C" {
#endif

struct updk_vbdev;
struct updk_vbdev_channel;
struct updk_vbdev_module;

/** One configuration: what a create call asked for. */
struct updk_vbdev_config {
	/** Name of the virtual bdev. */
	char *name;
	/** Name (or alias) of its base bdev. */
	char *base_name;
	/** UUID of the virtual bdev: as given, else the one it got when it
	 * first registered (so that it comes back with it); zero until then. */
	struct spdk_uuid uuid;
	/** The registered bdev, or NULL while the configuration waits for its base. */
	struct updk_vbdev *vbdev;
	/** The module the configuration belongs to. */
	const struct updk_vbdev_module *module;
	/** Entry in the list of configurations. */
	TAILQ_ENTRY(updk_vbdev_config) link;
};

/** A virtual bdev; bdev.ctxt and the io_device point here. */
struct updk_vbdev {
	/** The bdev registered with the bdev layer. */
	struct spdk_bdev bdev;
	/** Descriptor of the base, open for writing and claimed. */
	struct spdk_bdev_desc *base_desc;
	/** The base bdev. */
	struct spdk_bdev *base;
	/** The configuration, or NULL once a delete call forgot it. */
	struct updk_vbdev_config *config;
	/** The module the bdev belongs to. */
	const struct updk_vbdev_module *module;
	/** The bdev is being unregistered (its base went, or a delete call). */
	bool unregistering;
	/** Callback of the delete call that waits for the bdev to be destroyed. */
	spdk_bdev_unregister_cb deleted_cb;
	/** Argument of deleted_cb. */
	void *deleted_cb_arg;
};

/** Start of every channel of a virtual bdev. */
struct updk_vbdev_channel {
	/** This thread's channel to the base. */
	struct spdk_io_channel *base_ch;
	/** I/O of this channel forwarded to the base and not completed yet. */
	uint64_t at_base;
};

/** What a module tells the helper: one static instance per module. */
struct updk_vbdev_module {
	/** The module; its name starts the messages ("<name> bdev <bdev>: ..."). */
	struct spdk_bdev_module *bdev_module;
	/** Function table of the module's bdevs. */
	const struct spdk_bdev_fn_table *fn_table;
	/** Product name of the module's bdevs. */
	const char *product_name;
	/** RPC method that creates one (save_config writes it). */
	const char *create_method;
	/** Size of the module's configuration, which starts with struct updk_vbdev_config. */
	size_t config_size;
	/** Size of the module's bdev, which starts with struct updk_vbdev. */
	size_t vbdev_size;
	/** Size of the module's channel, which starts with struct updk_vbdev_channel. */
	size_t channel_size;
	/**
	 * The base completed an I/O that updk__vbdev_submit() forwarded: complete
	 * \p bdev_io (now or later) and free \p base_io. Runs on the I/O's thread.
	 */
	void (*io_done)(struct spdk_bdev_io *bdev_io, struct spdk_bdev_io *base_io, bool success);
	/** Optional: set up the module's part of a new bdev before it registers. */
	void (*vbdev_init)(struct updk_vbdev *vb);
	/** Optional: set up the module's part of a new channel; \return 0 or a negative errno. */
	int (*channel_init)(struct updk_vbdev *vb, struct updk_vbdev_channel *vch);
	/** Optional: tear down what channel_init set up. */
	void (*channel_fini)(struct updk_vbdev *vb, struct updk_vbdev_channel *vch);
	/** Optional: the bdev is about to be unregistered (its base went, a
	 * delete call, or the bdev layer's shutdown): let go of any I/O the
	 * module holds back. May run more than once. */
	void (*unregistering)(struct updk_vbdev *vb);
	/** Write the create method's params of \p cfg, except "uuid". */
	void (*write_params)(const struct updk_vbdev_config *cfg, struct spdk_json_write_ctx *w);
};

/**
 * Allocate a configuration of mod->config_size zeroed bytes with these
 * names. The module fills in its own parameters, then hands it to
 * updk__vbdev_config_add().
 *
 * \return 0; -EINVAL (logged) when a name is NULL or empty, or the two are
 * the same; -ENOMEM (logged).
 */
int updk__vbdev_config_alloc(const struct updk_vbdev_module *mod, const char *name,
			     const char *base_name, const struct spdk_uuid *uuid,
			     struct updk_vbdev_config **cfg);

/**
 * Keep a configuration and create its bdev when the base exists; when it
 * does not, log a notice and keep waiting for it. Takes over \p cfg, and
 * frees it on failure.
 *
 * \return 0; -EEXIST (logged) when a bdev or a configuration of any virtual
 * bdev module has the name, or a configuration of any of them already sits on
 * the base; the errors of creating the bdev (-EPERM when the base is claimed,
 * -ENOMEM, and those of spdk_bdev_register()), which log one line.
 */
int updk__vbdev_config_add(struct updk_vbdev_config *cfg);

/** The configuration of \p mod named \p name, or NULL. */
struct updk_vbdev_config *updk__vbdev_config_find(const struct updk_vbdev_module *mod,
						  const char *name);

/**
 * Forget the configuration \p name and unregister its bdev if it has one.
 * \p cb_fn runs once, later, on the calling thread: with 0 once the bdev is
 * destroyed (when there was none, as soon as the configuration is
 * forgotten), or with -ENODEV (logged) when the module has no configuration
 * of that name. \p cb_fn may be NULL.
 */
void updk__vbdev_delete(const struct updk_vbdev_module *mod, const char *name,
			spdk_bdev_unregister_cb cb_fn, void *cb_arg);

/**
 * Forget every configuration of every module; bdevs that exist stay, but
 * will not come back. The bdev layer's shutdown does this; a test harness
 * that deletes every bdev between runs does it to start the next run clean.
 * Must be called on the app thread.
 */
void updk__vbdev_config_clear(void);

/**
 * Forward \p bdev_io unchanged to the base (after getting a buffer for a
 * read that has none); mod->io_done completes it. A submission the base
 * refuses completes \p bdev_io at once: NOMEM for -ENOMEM (the bdev layer
 * retries it), FAILED otherwise. Usable as submit_request.
 */
void updk__vbdev_submit(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io);

/** io_type_supported: read, write, write zeroes, unmap, flush and reset, as the base. */
bool updk__vbdev_io_type_supported(void *ctx, enum spdk_bdev_io_type io_type);

/** get_io_channel: the bdev's channel on the calling thread. */
struct spdk_io_channel *updk__vbdev_get_io_channel(void *ctx);

/**
 * destruct: detach the bdev from its configuration, release and close the
 * base and unregister the io_device; the bdev is freed afterwards. A module
 * that must wait for something first returns 1 from its own destruct and
 * calls this later. \return 1 (spdk_bdev_destruct_done() follows).
 */
int updk__vbdev_destruct(void *ctx);

#ifdef __cplusplus
}
#endif

#endif /* UPDK_INTERNAL_VBDEV_H */
