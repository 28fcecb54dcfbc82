/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The block device API for bdev modules (backends).
 *
 * A module describes itself with a struct spdk_bdev_module registered by
 * SPDK_BDEV_MODULE_REGISTER(), fills in a struct spdk_bdev per device (name,
 * block size and count, function table, context) and hands it to
 * spdk_bdev_register(). The bdev layer then calls fn_table->submit_request()
 * with each struct spdk_bdev_io on the module's own I/O channel, and the
 * module finishes each one with spdk_bdev_io_complete() on that channel's
 * thread, preferably from a poller rather than inside submit_request (a
 * completion inside submit_request is deferred by a message, which costs
 * more).
 *
 * The field names of struct spdk_bdev and struct spdk_bdev_io are SPDK's, so
 * modules written for SPDK port with little or no change. Field order and
 * sizes are updk's own; the "internal" members belong to the bdev layer.
 */

#ifndef SPDK_BDEV_MODULE_H
#define SPDK_BDEV_MODULE_H

#include "spdk/stdinc.h"
#include "spdk/bdev.h"
#include "spdk/bdev_zone.h"
#include "spdk/queue.h"
#include "spdk/thread.h"
#include "spdk/util.h"
#include "spdk/uuid.h"
#include "spdk/dif.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Longest claim name, NUL included. */
#define SPDK_BDEV_CLAIM_NAME_LEN 32

/** A sensible reset_io_drain_timeout for bdevs that share a device. */
#define SPDK_BDEV_RESET_IO_DRAIN_RECOMMENDED_VALUE 5

/** Segments in spdk_bdev_io.child_iov, used by splitting. */
#define SPDK_BDEV_IO_NUM_CHILD_IOV 32

/** A bdev module. */
struct spdk_bdev_module {
	/**
	 * Initialise the module (required). Called by spdk_bdev_initialize() in
	 * registration order. \return 0 or a negative errno, which fails the
	 * initialisation. With async_init, finish with spdk_bdev_module_init_done().
	 */
	int (*module_init)(void);

	/** Optional: called once every module is initialised. */
	void (*init_complete)(void);

	/**
	 * Optional: called at the start of spdk_bdev_finish(), before any bdev is
	 * unregistered. With async_fini_start, finish with
	 * spdk_bdev_module_fini_start_done().
	 */
	void (*fini_start)(void);

	/**
	 * Optional: called once every bdev is unregistered. With async_fini,
	 * finish with spdk_bdev_module_fini_done().
	 */
	void (*module_fini)(void);

	/** Optional: write the RPCs that recreate the module's configuration. */
	int (*config_json)(struct spdk_json_write_ctx *w);

	/** Name of the module. */
	const char *name;

	/** Optional: bytes of per-I/O context the module needs (driver_ctx). */
	int (*get_ctx_size)(void);

	/**
	 * Optional: examine a new bdev synchronously; must call
	 * spdk_bdev_module_examine_done() before returning.
	 */
	void (*examine_config)(struct spdk_bdev *bdev);

	/**
	 * Optional: examine a new bdev, possibly asynchronously; must call
	 * spdk_bdev_module_examine_done() when finished.
	 */
	void (*examine_disk)(struct spdk_bdev *bdev);

	/** module_init finishes with spdk_bdev_module_init_done(). */
	bool async_init;

	/** module_fini finishes with spdk_bdev_module_fini_done(). */
	bool async_fini;

	/** fini_start finishes with spdk_bdev_module_fini_start_done(). */
	bool async_fini_start;

	/** The bdev layer's fields; modules must not touch them. */
	struct __bdev_module_internal_fields {
		/** Initialisations and examinations under way. */
		uint32_t action_in_progress;
		/** Entry in the module list. */
		TAILQ_ENTRY(spdk_bdev_module) tailq;
	} internal;
};

/** Claim types. */
enum spdk_bdev_claim_type {
	/** Not claimed; never requested. */
	SPDK_BDEV_CLAIM_NONE = 0,
	/** One module writes; others may read (spdk_bdev_module_claim_bdev()). */
	SPDK_BDEV_CLAIM_EXCL_WRITE,
	/** The claiming descriptor is the only writer; others may read. */
	SPDK_BDEV_CLAIM_READ_MANY_WRITE_ONE,
	/** Nobody writes. */
	SPDK_BDEV_CLAIM_READ_MANY_WRITE_NONE,
	/** Writers holding the same shared_claim_key. */
	SPDK_BDEV_CLAIM_READ_MANY_WRITE_SHARED,
};

/** Options of a v2 claim. */
struct spdk_bdev_claim_opts {
	/** sizeof(struct spdk_bdev_claim_opts) as the caller knows it. */
	size_t opts_size;
	/** Name of the claim, for messages. */
	char name[SPDK_BDEV_CLAIM_NAME_LEN];
	/** Key of a READ_MANY_WRITE_SHARED claim; non-zero. */
	uint64_t shared_claim_key;
};

/** Called when an unregister finishes. \param cb_arg Argument. \param rc 0 or a negative errno. */
typedef void (*spdk_bdev_unregister_cb)(void *cb_arg, int rc);

/** A module's function table. */
struct spdk_bdev_fn_table {
	/**
	 * Destroy the device context (required). Called on the thread that
	 * registered the bdev once it is unregistered, closed by everyone and
	 * its last channel released. \return 0 when done, 1 when it finishes
	 * later with spdk_bdev_destruct_done(), or a negative errno.
	 */
	int (*destruct)(void *ctx);

	/** Start an I/O (required); finish it with spdk_bdev_io_complete(). */
	void (*submit_request)(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io);

	/** Whether the device handles an I/O type (required); sampled at registration. */
	bool (*io_type_supported)(void *ctx, enum spdk_bdev_io_type type);

	/** The module's I/O channel for the calling thread (required). */
	struct spdk_io_channel *(*get_io_channel)(void *ctx);

	/** Optional: write device information (an object member) to \p w. */
	int (*dump_info_json)(void *ctx, struct spdk_json_write_ctx *w);

	/** Optional: write the RPC that recreates this bdev. */
	void (*write_config_json)(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w);

	/** Optional: spin time of a channel in microseconds. */
	uint64_t (*get_spin_time)(struct spdk_io_channel *ch);

	/** Optional: the module's context for spdk_bdev_get_module_ctx(). */
	void *(*get_module_ctx)(void *ctx);

	/** Optional: memory domains (unused by updk). */
	int (*get_memory_domains)(void *ctx, struct spdk_memory_domain **domains, int array_size);

	/** Optional: reset module-specific statistics. */
	void (*reset_device_stat)(void *ctx);

	/** Optional: write module-specific statistics. */
	void (*dump_device_stat_json)(void *ctx, struct spdk_json_write_ctx *w);

	/** Optional: whether accel sequences are handled (unused by updk). */
	bool (*accel_sequence_supported)(void *ctx, enum spdk_bdev_io_type type);
};

/** Completion status of an I/O. */
enum spdk_bdev_io_status {
	/** The AIO backend failed; see spdk_bdev_io_get_aio_status(). */
	SPDK_BDEV_IO_STATUS_AIO_ERROR = -8,
	/** Aborted. */
	SPDK_BDEV_IO_STATUS_ABORTED = -7,
	/** The first command of a fused pair failed. */
	SPDK_BDEV_IO_STATUS_FIRST_FUSED_FAILED = -6,
	/** A compare found different data. */
	SPDK_BDEV_IO_STATUS_MISCOMPARE = -5,
	/**
	 * The module lacks resources right now: the bdev layer queues the I/O
	 * and submits it again when I/O on the channel completes, or after a
	 * short delay when none does. Not allowed for RESET.
	 */
	SPDK_BDEV_IO_STATUS_NOMEM = -4,
	/** A SCSI error. */
	SPDK_BDEV_IO_STATUS_SCSI_ERROR = -3,
	/** An NVMe error; see spdk_bdev_io_get_nvme_status(). */
	SPDK_BDEV_IO_STATUS_NVME_ERROR = -2,
	/** Failed. */
	SPDK_BDEV_IO_STATUS_FAILED = -1,
	/** Not completed yet. */
	SPDK_BDEV_IO_STATUS_PENDING = 0,
	/** Succeeded. */
	SPDK_BDEV_IO_STATUS_SUCCESS = 1,
	/** The lowest status, for arrays indexed by -status. */
	SPDK_MIN_BDEV_IO_STATUS = SPDK_BDEV_IO_STATUS_AIO_ERROR,
};

/** A name of a bdev (its name or an alias). */
struct spdk_bdev_name {
	/** The name (owned by the bdev layer). */
	char *name;
	/** The bdev it names. */
	struct spdk_bdev *bdev;
};

/** An alias of a bdev. */
struct spdk_bdev_alias {
	/** The alias. */
	struct spdk_bdev_name alias;
	TAILQ_ENTRY(spdk_bdev_alias) tailq;
};

/** A v2 claim. */
struct spdk_bdev_module_claim {
	/** The claiming module. */
	struct spdk_bdev_module *module;
	/** The descriptor the claim was made through. */
	struct spdk_bdev_desc *desc;
	/** Name of the claim. */
	char name[SPDK_BDEV_CLAIM_NAME_LEN];
	TAILQ_ENTRY(spdk_bdev_module_claim) link;
};

/** The bdev layer's per-thread channel of a bdev (private). */
struct spdk_bdev_channel;

/** List of I/O. */
typedef TAILQ_HEAD(, spdk_bdev_io) bdev_io_tailq_t;
/** Singly linked list of I/O. */
typedef STAILQ_HEAD(, spdk_bdev_io) bdev_io_stailq_t;

/** A block device. The module fills in the fields above `internal`. */
struct spdk_bdev {
	/** The module's context, passed to the fn_table functions. */
	void *ctxt;

	/** Unique name (required, non-empty). */
	char *name;

	/** Aliases (managed by spdk_bdev_alias_add() and friends). */
	TAILQ_HEAD(spdk_bdev_aliases_list, spdk_bdev_alias) aliases;

	/** Product name, e.g. "Malloc disk". */
	char *product_name;

	/** Non-zero when the device has a volatile write cache. */
	int write_cache;

	/** Logical block size in bytes (required). */
	uint32_t blocklen;

	/** Physical block size in bytes; 0 means the data block size. */
	uint32_t phys_blocklen;

	/** Number of blocks (required). */
	uint64_t blockcnt;

	/** Supported I/O types, one bit per type (filled in by the bdev layer). */
	uint64_t io_type_supported;

	/** Split writes at write_unit_size boundaries. */
	bool split_on_write_unit;

	/** Split reads and writes at optimal_io_boundary. */
	bool split_on_optimal_io_boundary;

	/** Metadata is interleaved with the data (when md_len > 0). */
	bool md_interleave;

	/** The PI is at the start of the metadata. */
	bool dif_is_head_of_md;

	/** The device is zoned. */
	bool zoned;

	/** The device reports media events. */
	bool media_events;

	/** The module handles memory domains (unused by updk). */
	bool memory_domains_supported;

	/** The module handles accel sequences (unused by updk). */
	bool accel_sequence_supported;

	/** Write unit in blocks; 0 means 1. */
	uint32_t write_unit_size;

	/** Atomic compare-and-write unit in blocks; 0 means write_unit_size. */
	uint16_t acwu;

	/**
	 * Buffer alignment the module needs, as log2 of bytes (0: none). The
	 * bdev layer bounces I/O whose buffers are not aligned.
	 */
	uint8_t required_alignment;

	/** Optimal I/O boundary in blocks (0: none). */
	uint32_t optimal_io_boundary;

	/** Preferred write alignment in blocks. */
	uint32_t preferred_write_alignment;

	/** Preferred write granularity in blocks. */
	uint32_t preferred_write_granularity;

	/** Optimal write size in blocks. */
	uint32_t optimal_write_size;

	/** Preferred unmap alignment in blocks. */
	uint32_t preferred_unmap_alignment;

	/** Preferred unmap granularity in blocks. */
	uint32_t preferred_unmap_granularity;

	/** Largest segment in bytes (0: no limit); the layer splits to respect it. */
	uint32_t max_segment_size;

	/** Most segments per I/O (0: no limit); the layer splits to respect it. */
	uint32_t max_num_segments;

	/** Largest unmap in blocks. */
	uint32_t max_unmap;

	/** Most unmap segments. */
	uint32_t max_unmap_segments;

	/** Largest write-zeroes in blocks. */
	uint32_t max_write_zeroes;

	/** Largest copy in blocks (0: no limit). */
	uint32_t max_copy;

	/** Largest read or write in blocks (0: no limit); the layer splits to respect it. */
	uint32_t max_rw_size;

	/** UUID; generated at registration when all zero. */
	struct spdk_uuid uuid;

	/** Metadata bytes per block. */
	uint32_t md_len;

	/** Protection information type. */
	enum spdk_dif_type dif_type;

	/** Protection information format. */
	enum spdk_dif_pi_format dif_pi_format;

	/** Enabled DIF checks (SPDK_DIF_FLAGS_*). */
	uint32_t dif_check_flags;

	/** Default zone size in blocks (zoned devices). */
	uint64_t zone_size;

	/** Largest zone append in blocks. */
	uint32_t max_zone_append_size;

	/** Most open zones. */
	uint32_t max_open_zones;

	/** Most active zones. */
	uint32_t max_active_zones;

	/** Optimal number of open zones. */
	uint32_t optimal_open_zones;

	/** NVMe controller attributes. */
	union spdk_bdev_nvme_ctratt ctratt;

	/** NVMe namespace id. */
	uint32_t nsid;

	/** Seconds a reset waits for outstanding I/O (0: updk always drains). */
	uint16_t reset_io_drain_timeout;

	/** NUMA node of the device. */
	struct {
		/** Whether id is valid. */
		uint32_t id_valid : 1;
		/** The node. */
		int32_t id : 31;
	} numa;

	/** The module that registered the bdev (required). */
	struct spdk_bdev_module *module;

	/** The module's functions (required). */
	const struct spdk_bdev_fn_table *fn_table;

	/** The bdev layer's fields; modules must not touch them. */
	struct __bdev_internal_fields {
		/** Life-cycle state. */
		enum spdk_bdev_status status;
		/** I/O types accepted through the layer (native or emulated), one bit each. */
		uint64_t io_types_accepted;
		/** Non-zero when reads and writes may need splitting or bouncing. */
		uint32_t io_path_flags;
		/** Current claim type. */
		enum spdk_bdev_claim_type claim_type;
		/** The claim. */
		union __bdev_internal_claim {
			/** spdk_bdev_module_claim_bdev(). */
			struct __bdev_internal_claim_v1 {
				/** The claiming module. */
				struct spdk_bdev_module *module;
			} v1;
			/** spdk_bdev_module_claim_bdev_desc(). */
			struct __bdev_internal_claim_v2 {
				/** The claims. */
				TAILQ_HEAD(v2_claims, spdk_bdev_module_claim) claims;
				/** The shared claim key. */
				uint64_t key;
			} v2;
		} claim;
		/** Called when the unregister finishes. */
		spdk_bdev_unregister_cb unregister_cb;
		/** Its argument. */
		void *unregister_ctx;
		/** The thread that unregistered (the callback runs there). */
		struct spdk_thread *unregister_td;
		/** Open descriptors. */
		TAILQ_HEAD(, spdk_bdev_desc) open_descs;
		/** Entry in the bdev list. */
		TAILQ_ENTRY(spdk_bdev) link;
		/** The reset in progress, or NULL. */
		struct spdk_bdev_io *reset_in_progress;
		/** Resets waiting for the current one. */
		bdev_io_tailq_t queued_resets;
		/** Statistics of destroyed channels. */
		struct spdk_bdev_io_stat *stat;
		/** Histograms are on. */
		bool histogram_enabled;
		/** A histogram enable or disable is under way. */
		bool histogram_in_progress;
		/** Bucket shift of the channel histograms. */
		uint8_t histogram_shift;
		/** I/O type the histograms count (0: all). */
		uint8_t histogram_io_type;
		/** Range limits of the channel histograms. */
		uint32_t histogram_min_range;
		uint32_t histogram_max_range;
		/** The io_device was registered. */
		bool io_device_registered;
		/** The bdev's name entry. */
		struct spdk_bdev_name bdev_name;
	} internal;
};

/**
 * Called when spdk_bdev_io_get_buf() has a buffer for the I/O.
 *
 * \param ch The module's channel the I/O was submitted on.
 * \param bdev_io The I/O.
 * \param success Whether the buffer was provided.
 */
typedef void (*spdk_bdev_io_get_buf_cb)(struct spdk_io_channel *ch, struct spdk_bdev_io *bdev_io,
					bool success);

/** One I/O request. */
struct spdk_bdev_io {
	/** The bdev. */
	struct spdk_bdev *bdev;

	/** The I/O type (enum spdk_bdev_io_type). */
	uint8_t type;

	/** How many times the I/O was resubmitted after NOMEM. */
	uint16_t num_retries;

	/** A single segment, used when the caller gave a plain buffer. */
	struct iovec iov;

	/** Type-specific parameters. */
	union {
		/** Block I/O (read, write, unmap, flush, write zeroes, compare, copy, ...). */
		struct {
			/** Data segments. */
			struct iovec *iovs;
			/** Number of data segments. */
			int iovcnt;
			/** Second set of segments (the write of COMPARE_AND_WRITE). */
			struct iovec *fused_iovs;
			/** Number of fused segments. */
			int fused_iovcnt;
			/** Separate metadata buffer, or NULL. */
			void *md_buf;
			/** Number of blocks. */
			uint64_t num_blocks;
			/** First block. */
			uint64_t offset_blocks;
			/** Memory domain (always NULL in updk). */
			struct spdk_memory_domain *memory_domain;
			/** Memory domain context. */
			void *memory_domain_ctx;
			/** Accel sequence (always NULL in updk). */
			struct spdk_accel_sequence *accel_sequence;
			/** DIF checks to perform. */
			uint32_t dif_check_flags;
			/** NVMe command dword 12. */
			union spdk_bdev_nvme_cdw12 nvme_cdw12;
			/** NVMe command dword 13. */
			union spdk_bdev_nvme_cdw13 nvme_cdw13;
			/** Zero-copy phases. */
			struct {
				uint8_t populate : 1;
				uint8_t commit : 1;
				uint8_t start : 1;
			} zcopy;
			/** ABORT as seen by the submitter. */
			struct {
				/** Callback argument of the I/O to abort. */
				void *bio_cb_arg;
			} abort;
			/** SEEK_DATA and SEEK_HOLE. */
			struct {
				/** The result, in blocks. */
				uint64_t offset;
			} seek;
			/** COPY. */
			struct {
				/** First source block. */
				uint64_t src_offset_blocks;
			} copy;
		} bdev;
		/** RESET. */
		struct {
			/** Channel reference held while the reset runs. */
			struct spdk_io_channel *ch_ref;
			/** Waiting for outstanding I/O to drain. */
			struct {
				/** Poller that checks the channels again. */
				struct spdk_poller *poller;
				/** Outstanding I/O counted in the last check. */
				uint64_t outstanding;
			} wait_poller;
		} reset;
		/** ABORT as seen by the module. */
		struct {
			/** The I/O to abort. */
			struct spdk_bdev_io *bio_to_abort;
		} abort;
		/** NVMe passthrough (not used by updk modules). */
		struct {
			/** The raw 64-byte command. */
			uint8_t cmd[64];
			/** Data buffer. */
			void *buf;
			/** Its size. */
			size_t nbytes;
			/** Metadata buffer. */
			void *md_buf;
			/** Its size. */
			size_t md_len;
		} nvme_passthru;
		/** Zone management. */
		struct {
			/** First block of the zone. */
			uint64_t zone_id;
			/** Number of zones. */
			uint32_t num_zones;
			/** The action. */
			enum spdk_bdev_zone_action zone_action;
			/** Data buffer. */
			void *buf;
		} zone_mgmt;
	} u;

	/** Free for the module's own lists while it owns the I/O. */
	TAILQ_ENTRY(spdk_bdev_io) module_link;

	/** The bdev layer's fields; modules must not touch them. */
	struct __bdev_io_internal_fields {
		/** The bdev channel. */
		struct spdk_bdev_channel *ch;
		/** The descriptor. */
		struct spdk_bdev_desc *desc;
		/** The user's completion callback. */
		spdk_bdev_io_completion_cb cb;
		/** Its argument. */
		void *caller_ctx;
		/** Ticks at submission. */
		uint64_t submit_tsc;
		/** Next free object in the per-thread cache. */
		struct spdk_bdev_io *cache_next;
		/** Entry in the channel's list of submitted I/O. */
		LIST_ENTRY(spdk_bdev_io) ch_link;
		/** submit_request is running for this I/O. */
		bool in_submit_request;
		/** Completion status (enum spdk_bdev_io_status). */
		int8_t status;
		/** The I/O was split into children. */
		bool split;
		/** Private flags of the bdev layer. */
		uint8_t flags;
		/** Entry in the nomem, frozen or reset queues. */
		TAILQ_ENTRY(spdk_bdev_io) link;
		/** Parent of a child I/O (split or emulation). */
		struct spdk_bdev_io *parent;
		/** Buffer owned by the bdev layer, or NULL. */
		void *buf;
		/** Its length. */
		uint64_t buf_len;
		/** The bounce buffer's segment. */
		struct iovec bounce_iov;
		/** The caller's segments while a bounce buffer stands in. */
		struct iovec *orig_iovs;
		/** Their count. */
		int orig_iovcnt;
		/** Pending spdk_bdev_io_get_buf() callback. */
		spdk_bdev_io_get_buf_cb get_buf_cb;
		/** Error details. */
		union {
			struct {
				uint32_t cdw0;
				uint8_t sct;
				uint8_t sc;
			} nvme;
			struct {
				uint8_t sc;
				uint8_t sk;
				uint8_t asc;
				uint8_t ascq;
			} scsi;
			int aio_result;
		} error;
		/** Progress of a split or emulated parent. */
		struct {
			/** Blocks not yet handed to children. */
			uint64_t remaining_blocks;
			/** Next block for a child. */
			uint64_t current_offset;
			/** Byte position in the parent's data reached by children. */
			uint64_t current_byte;
			/** Children in flight. */
			uint32_t outstanding;
			/** Emulation phase. */
			uint8_t phase;
			/** First failure of a child. */
			int8_t status;
		} sub;
		/** Parent waiting for an spdk_bdev_io for its next child. */
		struct spdk_bdev_io_wait_entry waitq_entry;
	} internal;

	/** Segments of split children. */
	struct iovec child_iov[SPDK_BDEV_IO_NUM_CHILD_IOV];

	/** The module's per-I/O context (get_ctx_size() bytes). Keep last. */
	uint8_t driver_ctx[0];
};

/**
 * \param ctx The driver_ctx of an I/O.
 * \return the I/O.
 */
static inline struct spdk_bdev_io *
spdk_bdev_io_from_ctx(void *ctx)
{
	return (struct spdk_bdev_io *)((uintptr_t)ctx - offsetof(struct spdk_bdev_io, driver_ctx));
}

/**
 * Register a bdev. Must be called on the app thread after
 * spdk_bdev_initialize(). Fills in defaults (write_unit_size, acwu,
 * phys_blocklen, a UUID when all zero, which becomes an alias), samples the
 * supported I/O types, registers the bdev's io_device ("bdev_<name>") and
 * runs every module's examine callbacks.
 *
 * \param bdev The bdev, filled in by the module; it must stay valid until
 * its destruct callback has run.
 * \return 0; -EINVAL for a NULL bdev, a missing or empty name, a zero block
 * size or count, a missing fn_table or module, or the bdev layer not started;
 * -EEXIST when the name or UUID is already in use; -ENOMEM. Each error logs
 * one line naming the bdev.
 */
int spdk_bdev_register(struct spdk_bdev *bdev);

/**
 * Unregister a bdev: REMOVE goes to every open descriptor (on its thread);
 * new opens fail with -ENODEV; I/O already submitted completes; once the last
 * descriptor is closed and the last channel released, fn_table->destruct()
 * runs on the calling thread, then \p cb_fn.
 *
 * \param bdev The bdev.
 * \param cb_fn Called later on the calling thread with 0, the destruct's
 * negative errno, or -EBUSY when an unregister is already under way. May be NULL.
 * \param cb_arg Argument of \p cb_fn.
 */
void spdk_bdev_unregister(struct spdk_bdev *bdev, spdk_bdev_unregister_cb cb_fn, void *cb_arg);

/**
 * Unregister a bdev by name (see spdk_bdev_unregister()).
 *
 * \param bdev_name Name or alias.
 * \param module The module that registered it.
 * \param cb_fn Completion (as for spdk_bdev_unregister()).
 * \param cb_arg Its argument.
 * \return 0; -ENODEV when no such bdev or it belongs to another module; -EINVAL
 * for a NULL name.
 */
int spdk_bdev_unregister_by_name(const char *bdev_name, struct spdk_bdev_module *module,
				 spdk_bdev_unregister_cb cb_fn, void *cb_arg);

/**
 * Finish an asynchronous destruct (one that returned 1).
 *
 * \param bdev The bdev.
 * \param bdeverrno 0 or a negative errno, passed to the unregister callback.
 */
void spdk_bdev_destruct_done(struct spdk_bdev *bdev, int bdeverrno);

/** Tell the bdev layer that \p module finished examining a bdev. \param module The module. */
void spdk_bdev_module_examine_done(struct spdk_bdev_module *module);

/** Finish an async_init module's initialisation. \param module The module. */
void spdk_bdev_module_init_done(struct spdk_bdev_module *module);

/** Finish an async_fini module's module_fini. */
void spdk_bdev_module_fini_done(void);

/** Finish an async_fini_start module's fini_start. */
void spdk_bdev_module_fini_start_done(void);

/**
 * Add an alias.
 *
 * \param bdev A registered bdev. \param alias The alias (copied).
 * \return 0; -EEXIST when the name is taken by any bdev; -EINVAL for a NULL or
 * empty alias; -ENOMEM.
 */
int spdk_bdev_alias_add(struct spdk_bdev *bdev, const char *alias);

/**
 * Remove an alias.
 *
 * \param bdev The bdev. \param alias The alias.
 * \return 0; -ENOENT when the bdev has no such alias.
 */
int spdk_bdev_alias_del(struct spdk_bdev *bdev, const char *alias);

/** Remove every alias of \p bdev. \param bdev The bdev. */
void spdk_bdev_alias_del_all(struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its alias list. */
const struct spdk_bdev_aliases_list *spdk_bdev_get_aliases(const struct spdk_bdev *bdev);

/**
 * Give an I/O a data buffer when it has none (a read with a NULL buffer), or
 * a bounce buffer when its segments violate bdev->required_alignment (data
 * is copied in for writes, and out at completion for reads). The buffer is
 * released by spdk_bdev_free_io(). Must be called on the I/O's thread.
 *
 * \param bdev_io The I/O.
 * \param cb Called (now, or once memory is available) with success true, or
 * false when \p len exceeds SPDK_BDEV_LARGE_BUF_MAX_SIZE for an I/O without
 * segments or memory cannot be had.
 * \param len Bytes needed.
 */
void spdk_bdev_io_get_buf(struct spdk_bdev_io *bdev_io, spdk_bdev_io_get_buf_cb cb, uint64_t len);

/**
 * Use \p buf as the I/O's single data segment.
 *
 * \param bdev_io The I/O. \param buf The buffer. \param len Its length.
 */
void spdk_bdev_io_set_buf(struct spdk_bdev_io *bdev_io, void *buf, size_t len);

/**
 * Use \p md_buf as the I/O's metadata buffer.
 *
 * \param bdev_io The I/O. \param md_buf The buffer. \param len Its length.
 */
void spdk_bdev_io_set_md_buf(struct spdk_bdev_io *bdev_io, void *md_buf, size_t len);

/**
 * Complete an I/O, on the thread of the channel it was submitted on. NOMEM
 * queues it for resubmission. A completion inside submit_request is delivered
 * by a message. A second completion is logged and ignored.
 *
 * \param bdev_io The I/O.
 * \param status Its status (not PENDING).
 */
void spdk_bdev_io_complete(struct spdk_bdev_io *bdev_io, enum spdk_bdev_io_status status);

/**
 * Complete an I/O with an NVMe status (success when sct and sc are 0).
 *
 * \param bdev_io The I/O. \param cdw0 Completion dword 0.
 * \param sct Status code type. \param sc Status code.
 */
void spdk_bdev_io_complete_nvme_status(struct spdk_bdev_io *bdev_io, uint32_t cdw0, int sct,
				       int sc);

/**
 * Complete an I/O with an AIO result.
 *
 * \param bdev_io The I/O.
 * \param aio_result 0 for success, else a negative errno (status AIO_ERROR).
 */
void spdk_bdev_io_complete_aio_status(struct spdk_bdev_io *bdev_io, int aio_result);

/**
 * Complete an I/O with the status of another (for virtual bdevs).
 *
 * \param bdev_io The I/O. \param base_io The completed I/O whose status to copy.
 */
void spdk_bdev_io_complete_base_io_status(struct spdk_bdev_io *bdev_io,
					  const struct spdk_bdev_io *base_io);

/** \param bdev_io An I/O. \return the thread it was submitted on. */
struct spdk_thread *spdk_bdev_io_get_thread(struct spdk_bdev_io *bdev_io);

/** \param bdev_io An I/O. \return the module channel it was submitted on. */
struct spdk_io_channel *spdk_bdev_io_get_io_channel(struct spdk_bdev_io *bdev_io);

/** \param bdev_io An I/O. \return its submission time in ticks. */
uint64_t spdk_bdev_io_get_submit_tsc(struct spdk_bdev_io *bdev_io);

/**
 * Change the bdev's size and send RESIZE to its descriptors.
 *
 * \param bdev The bdev. \param size New size in blocks.
 * \return 0; -EBUSY when shrinking while descriptors are open; -EINVAL for a
 * size of 0.
 */
int spdk_bdev_notify_blockcnt_change(struct spdk_bdev *bdev, uint64_t size);

/**
 * Add a module to the module list (used by SPDK_BDEV_MODULE_REGISTER()).
 * Adding a module twice, or one without name or module_init, is logged and
 * refused.
 *
 * \param bdev_module The module.
 */
void spdk_bdev_module_list_add(struct spdk_bdev_module *bdev_module);

/** \param name A module name. \return the module, or NULL. */
struct spdk_bdev_module *spdk_bdev_module_list_find(const char *name);

/**
 * \param claim_type A claim type.
 * \return its name ("not_claimed", "exclusive_write", "read_many_write_one",
 * "read_many_write_none", "read_many_write_shared"), or "invalid_claim".
 */
const char *spdk_bdev_claim_get_name(enum spdk_bdev_claim_type claim_type);

/**
 * Initialise claim options.
 *
 * \param opts The options. \param size sizeof(*opts).
 */
void spdk_bdev_claim_opts_init(struct spdk_bdev_claim_opts *opts, size_t size);

/**
 * Claim a bdev through a descriptor (v2). The claim ends when the descriptor
 * closes. READ_MANY_WRITE_ONE and READ_MANY_WRITE_SHARED make the descriptor
 * writable.
 *
 * \param desc The descriptor.
 * \param type The claim type.
 * \param opts Options, or NULL (READ_MANY_WRITE_SHARED needs a key).
 * \param module The claiming module.
 * \return 0; -EPERM when a conflicting claim or writer exists (with an error
 * log); -EINVAL for bad arguments (a writable descriptor for
 * READ_MANY_WRITE_NONE, a missing key); -ENOMEM.
 */
int spdk_bdev_module_claim_bdev_desc(struct spdk_bdev_desc *desc, enum spdk_bdev_claim_type type,
				     struct spdk_bdev_claim_opts *opts,
				     struct spdk_bdev_module *module);

/**
 * Claim a bdev for exclusive writing (v1). Makes \p desc writable.
 *
 * \param bdev The bdev. \param desc A descriptor of it, or NULL.
 * \param module The claiming module.
 * \return 0; -EPERM when already claimed ("bdev X already claimed: type T by
 * module M").
 */
int spdk_bdev_module_claim_bdev(struct spdk_bdev *bdev, struct spdk_bdev_desc *desc,
				struct spdk_bdev_module *module);

/** Release a v1 claim. \param bdev The bdev. */
void spdk_bdev_module_release_bdev(struct spdk_bdev *bdev);

/** Register \p module (a struct spdk_bdev_module *) when the program starts. */
#define SPDK_BDEV_MODULE_REGISTER(name, module)                                         \
	static void __attribute__((constructor)) spdk_bdev_module_register_##name(void) \
	{                                                                               \
		spdk_bdev_module_list_add(module);                                      \
	}

#ifdef __cplusplus
}
#endif

#endif /* SPDK_BDEV_MODULE_H */
