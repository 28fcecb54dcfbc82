/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/** \file
 * The block device (bdev) API for users of block devices.
 *
 * A bdev is opened by name with spdk_bdev_open_ext(), which returns a
 * descriptor. Each spdk_thread that submits I/O takes its own I/O channel
 * with spdk_bdev_get_io_channel(desc) and submits through it with the calls
 * below. Every submission call follows one contract: a return of 0 means the
 * completion callback will run exactly once, later (never inside the submit
 * call), on the submitting thread, even if the I/O fails; a negative errno
 * means the callback will never run. The callback receives the spdk_bdev_io,
 * which it (or code it calls) must release with spdk_bdev_free_io().
 *
 * Thread rules: a descriptor belongs to the thread that opened it (events are
 * delivered there, and it must be closed there); a channel belongs to the
 * thread that took it, and submissions on a channel from any other thread are
 * refused with -EINVAL. Lookup and query functions may be called from any
 * SPDK thread.
 *
 * Where updk differs from SPDK it says so; the differences are all more
 * permissive or more robust (for example, a NULL event callback is accepted).
 */

#ifndef SPDK_BDEV_H
#define SPDK_BDEV_H

#include "spdk/stdinc.h"
#include "spdk/queue.h"
#include "spdk/thread.h"
#include "spdk/json.h"
#include "spdk/histogram_data.h"
#include "spdk/dif.h"

#ifdef __cplusplus
extern "C" {
#endif

/** Largest buffer taken from the small buffer cache. */
#define SPDK_BDEV_SMALL_BUF_MAX_SIZE 8192
/** Largest buffer spdk_bdev_io_get_buf() gives an I/O that has none. */
#define SPDK_BDEV_LARGE_BUF_MAX_SIZE (64 * 1024)
/** Most interleaved metadata per 512 bytes of data. */
#define SPDK_BDEV_MAX_INTERLEAVED_MD_SIZE (64)
/** Size of a buffer of \p x data bytes grown to hold the largest interleaved metadata. */
#define SPDK_BDEV_BUF_SIZE_WITH_MD(x) (((x) / 512) * (512 + SPDK_BDEV_MAX_INTERLEAVED_MD_SIZE))

/** A block device (its layout is in spdk/bdev_module.h). */
struct spdk_bdev;
/** An open handle on a block device. */
struct spdk_bdev_desc;
/** One I/O request (its layout is in spdk/bdev_module.h). */
struct spdk_bdev_io;
/** A module's function table. */
struct spdk_bdev_fn_table;
/** A UUID (spdk/uuid.h). */
struct spdk_uuid;
/** A memory domain (not supported by updk; always NULL). */
struct spdk_memory_domain;
/** An accel sequence (not supported by updk; always NULL). */
struct spdk_accel_sequence;
/** An NVMe command (NVMe passthrough is not supported by updk). */
struct spdk_nvme_cmd;
/** Per-status error counters, private to the bdev layer. */
struct spdk_bdev_io_error_stat;
/** The cursor of spdk_bdev_for_each_channel(). */
struct spdk_bdev_channel_iter;

/** Events delivered to an open descriptor. */
enum spdk_bdev_event_type {
	/** The bdev is going away: close the descriptor. */
	SPDK_BDEV_EVENT_REMOVE,
	/** The bdev changed size: read spdk_bdev_get_num_blocks() again. */
	SPDK_BDEV_EVENT_RESIZE,
	/** Media events are waiting (spdk_bdev_get_media_events()). */
	SPDK_BDEV_EVENT_MEDIA_MANAGEMENT,
};

/** A media management event. */
struct spdk_bdev_media_event {
	/** First affected block. */
	uint64_t offset;
	/** Number of affected blocks. */
	uint64_t num_blocks;
};

/** Legacy remove callback. */
typedef void (*spdk_bdev_remove_cb_t)(void *remove_ctx);

/**
 * Event callback of a descriptor, run on the thread that opened it.
 *
 * \param type The event.
 * \param bdev The bdev.
 * \param event_ctx The context given at open.
 */
typedef void (*spdk_bdev_event_cb_t)(enum spdk_bdev_event_type type, struct spdk_bdev *bdev,
				     void *event_ctx);

/** Life-cycle state of a bdev. */
enum spdk_bdev_status {
	/** Not registered. */
	SPDK_BDEV_STATUS_INVALID,
	/** Registered and usable. */
	SPDK_BDEV_STATUS_READY,
	/** Unregister started; queued I/O is being aborted. */
	SPDK_BDEV_STATUS_UNREGISTERING,
	/** Waiting for the open descriptors to close. */
	SPDK_BDEV_STATUS_REMOVING,
};

/** I/O types. */
enum spdk_bdev_io_type {
	SPDK_BDEV_IO_TYPE_INVALID = 0,
	SPDK_BDEV_IO_TYPE_READ,
	SPDK_BDEV_IO_TYPE_WRITE,
	SPDK_BDEV_IO_TYPE_UNMAP,
	SPDK_BDEV_IO_TYPE_FLUSH,
	SPDK_BDEV_IO_TYPE_RESET,
	SPDK_BDEV_IO_TYPE_NVME_ADMIN,
	SPDK_BDEV_IO_TYPE_NVME_IO,
	SPDK_BDEV_IO_TYPE_NVME_IO_MD,
	SPDK_BDEV_IO_TYPE_WRITE_ZEROES,
	SPDK_BDEV_IO_TYPE_ZCOPY,
	SPDK_BDEV_IO_TYPE_GET_ZONE_INFO,
	SPDK_BDEV_IO_TYPE_ZONE_MANAGEMENT,
	SPDK_BDEV_IO_TYPE_ZONE_APPEND,
	SPDK_BDEV_IO_TYPE_COMPARE,
	SPDK_BDEV_IO_TYPE_COMPARE_AND_WRITE,
	SPDK_BDEV_IO_TYPE_ABORT,
	SPDK_BDEV_IO_TYPE_SEEK_HOLE,
	SPDK_BDEV_IO_TYPE_SEEK_DATA,
	SPDK_BDEV_IO_TYPE_COPY,
	SPDK_BDEV_IO_TYPE_NVME_IOV_MD,
	SPDK_BDEV_IO_TYPE_NVME_NSSR,
	SPDK_BDEV_IO_TYPE_WRITE_UNCORRECTABLE,
	/** Number of I/O types; keep last. */
	SPDK_BDEV_NUM_IO_TYPES
};

/** QoS rate limit types (QoS is not implemented by updk yet). */
enum spdk_bdev_qos_rate_limit_type {
	/** I/O per second, reads and writes together. */
	SPDK_BDEV_QOS_RW_IOPS_RATE_LIMIT = 0,
	/** Bytes per second, reads and writes together. */
	SPDK_BDEV_QOS_RW_BPS_RATE_LIMIT,
	/** Bytes per second, reads only. */
	SPDK_BDEV_QOS_R_BPS_RATE_LIMIT,
	/** Bytes per second, writes only. */
	SPDK_BDEV_QOS_W_BPS_RATE_LIMIT,
	/** Number of limit types; keep last. */
	SPDK_BDEV_QOS_NUM_RATE_LIMIT_TYPES
};

/** What spdk_bdev_get_io_stat() and spdk_bdev_get_device_stat() reset after reading. */
enum spdk_bdev_reset_stat_mode {
	/** Every counter. */
	SPDK_BDEV_RESET_STAT_ALL,
	/** Only the maximum and minimum latencies. */
	SPDK_BDEV_RESET_STAT_MAXMIN,
	/** Only the error counters. */
	SPDK_BDEV_RESET_STAT_ERROR,
	/** Nothing. */
	SPDK_BDEV_RESET_STAT_NONE,
};

/**
 * Completion callback of an I/O, run once on the submitting thread.
 *
 * \param bdev_io The I/O; release it with spdk_bdev_free_io().
 * \param success Whether the I/O succeeded.
 * \param cb_arg The argument given at submission.
 */
typedef void (*spdk_bdev_io_completion_cb)(struct spdk_bdev_io *bdev_io, bool success,
					   void *cb_arg);

/**
 * I/O statistics. Only successful I/O is counted; latencies are in
 * spdk_get_ticks() ticks from submission to completion. A minimum of
 * UINT64_MAX means that nothing was counted yet.
 */
struct spdk_bdev_io_stat {
	uint64_t bytes_read;
	uint64_t num_read_ops;
	uint64_t bytes_written;
	uint64_t num_write_ops;
	uint64_t bytes_unmapped;
	uint64_t num_unmap_ops;
	uint64_t bytes_copied;
	uint64_t num_copy_ops;
	uint64_t read_latency_ticks;
	uint64_t max_read_latency_ticks;
	uint64_t min_read_latency_ticks;
	uint64_t write_latency_ticks;
	uint64_t max_write_latency_ticks;
	uint64_t min_write_latency_ticks;
	uint64_t unmap_latency_ticks;
	uint64_t max_unmap_latency_ticks;
	uint64_t min_unmap_latency_ticks;
	uint64_t copy_latency_ticks;
	uint64_t max_copy_latency_ticks;
	uint64_t min_copy_latency_ticks;
	/** Ticks per second (spdk_get_ticks_hz()). */
	uint64_t ticks_rate;
	/** Private error counters; updk leaves the caller's pointer untouched. Keep last. */
	struct spdk_bdev_io_error_stat *io_error;
};

/** Options of the bdev layer (spdk_bdev_get_opts(), spdk_bdev_set_opts()). */
struct spdk_bdev_opts {
	/** Number of spdk_bdev_io objects in the global pool (default 65535). */
	uint32_t bdev_io_pool_size;
	/** spdk_bdev_io objects cached per thread (default 256). */
	uint32_t bdev_io_cache_size;
	/** Whether registered bdevs are examined automatically (default true). */
	bool bdev_auto_examine;
	uint8_t reserved9[7];
	/** sizeof(struct spdk_bdev_opts) as the caller knows it. */
	size_t opts_size;
	/** Small buffers cached per thread (default 128). */
	uint32_t iobuf_small_cache_size;
	/** Large buffers cached per thread (default 16). */
	uint32_t iobuf_large_cache_size;
} __attribute__((packed));
#ifndef __cplusplus
_Static_assert(sizeof(struct spdk_bdev_opts) == 32, "the layout of spdk_bdev_opts is ABI");
#endif

/** NVMe controller attributes, as the bdev reports them. */
union spdk_bdev_nvme_ctratt {
	uint32_t raw;
	struct {
		uint32_t reserved : 19;
		/** Flexible data placement. */
		uint32_t fdps : 1;
		uint32_t reserved2 : 12;
	} bits;
};

/** NVMe command dword 12 passed with an I/O. */
union spdk_bdev_nvme_cdw12 {
	uint32_t raw;
	struct {
		uint32_t reserved : 20;
		/** Directive type. */
		uint32_t dtype : 4;
		uint32_t reserved2 : 8;
	} write;
};

/** NVMe command dword 13 passed with an I/O. */
union spdk_bdev_nvme_cdw13 {
	uint32_t raw;
	struct {
		uint32_t reserved : 16;
		/** Directive specific. */
		uint32_t dspec : 16;
	} write;
};

/** Options of the _ext submission calls. */
struct spdk_bdev_ext_io_opts {
	/** sizeof(struct spdk_bdev_ext_io_opts) as the caller knows it. */
	size_t size;
	/** Memory domain of the data; updk supports only NULL (local memory). */
	struct spdk_memory_domain *memory_domain;
	/** Context of the memory domain. */
	void *memory_domain_ctx;
	/** Separate metadata buffer, or NULL. */
	void *metadata;
	/** Accel sequence; updk supports only NULL. */
	struct spdk_accel_sequence *accel_sequence;
	/** DIF checks to skip for this I/O. */
	uint32_t dif_check_flags_exclude_mask;
	/** NVMe command dword 12. */
	union spdk_bdev_nvme_cdw12 nvme_cdw12;
	/** NVMe command dword 13. */
	union spdk_bdev_nvme_cdw13 nvme_cdw13;
} __attribute__((packed));
#ifndef __cplusplus
_Static_assert(sizeof(struct spdk_bdev_ext_io_opts) == 52,
	       "the layout of spdk_bdev_ext_io_opts is ABI");
#endif

/** Options of spdk_bdev_open_ext_v2(). */
struct spdk_bdev_open_opts {
	/** sizeof(struct spdk_bdev_open_opts) as the caller knows it. */
	size_t size;
	/** Present the bdev without its metadata. */
	bool hide_metadata;
	uint8_t reserved[7];
};

/** Options of spdk_bdev_histogram_enable_ext(). */
struct spdk_bdev_enable_histogram_opts {
	/** sizeof(struct spdk_bdev_enable_histogram_opts) as the caller knows it. */
	size_t size;
	/** Smallest latency of interest in ns (0: no limit). */
	uint64_t min_nsec;
	/** Largest latency of interest in ns (0: no limit). */
	uint64_t max_nsec;
	/** Only this I/O type is tallied (SPDK_BDEV_IO_TYPE_INVALID: all). */
	uint8_t io_type;
	/** The histogram's bucket shift (0: SPDK_HISTOGRAM_BUCKET_SHIFT_DEFAULT). */
	uint8_t granularity;
} __attribute__((packed));
#ifndef __cplusplus
_Static_assert(sizeof(struct spdk_bdev_enable_histogram_opts) == 26,
	       "the layout of spdk_bdev_enable_histogram_opts is ABI");
#endif

/** Called by spdk_bdev_queue_io_wait() when an spdk_bdev_io may be available. */
typedef void (*spdk_bdev_io_wait_cb)(void *cb_arg);

/** A wait queue entry owned by the caller (spdk_bdev_queue_io_wait()). */
struct spdk_bdev_io_wait_entry {
	/** The bdev the caller wants to submit to. */
	struct spdk_bdev *bdev;
	/** Called once an spdk_bdev_io may be available. */
	spdk_bdev_io_wait_cb cb_fn;
	/** Argument of cb_fn. */
	void *cb_arg;
	/** Queue at the head instead of the tail. */
	bool dep_unblock;
	uint8_t pad[7];
	TAILQ_ENTRY(spdk_bdev_io_wait_entry) link;
};

/** Completion of spdk_bdev_initialize(). \param cb_arg Argument. \param rc 0 or a negative errno. */
typedef void (*spdk_bdev_init_cb)(void *cb_arg, int rc);
/** Completion of spdk_bdev_finish(). \param cb_arg Argument. */
typedef void (*spdk_bdev_fini_cb)(void *cb_arg);
/** Completion of spdk_bdev_wait_for_examine(). \param arg Argument. */
typedef void (*spdk_bdev_wait_for_examine_cb)(void *arg);
/** Visitor of spdk_for_each_bdev(). \return 0 to go on, a negative errno to stop. */
typedef int (*spdk_for_each_bdev_fn)(void *ctx, struct spdk_bdev *bdev);
/** Called for each I/O outstanding too long (spdk_bdev_set_timeout()). */
typedef void (*spdk_bdev_io_timeout_cb)(void *cb_arg, struct spdk_bdev_io *bdev_io);
/** Completion of spdk_bdev_get_device_stat(). */
typedef void (*spdk_bdev_get_device_stat_cb)(struct spdk_bdev *bdev, struct spdk_bdev_io_stat *stat,
					     void *cb_arg, int rc);
/** Completion of spdk_bdev_histogram_enable(). \param status 0 or a negative errno. */
typedef void (*spdk_bdev_histogram_status_cb)(void *cb_arg, int status);
/** Delivers a histogram. \param status 0, or a negative errno (histogram may be NULL). */
typedef void (*spdk_bdev_histogram_data_cb)(void *cb_arg, int status,
					    struct spdk_histogram_data *histogram);
/** One step of spdk_bdev_for_each_channel(); must end with spdk_bdev_for_each_channel_continue(). */
typedef void (*spdk_bdev_for_each_channel_msg)(struct spdk_bdev_channel_iter *i,
					       struct spdk_bdev *bdev, struct spdk_io_channel *ch,
					       void *ctx);
/** Completion of spdk_bdev_for_each_channel(). */
typedef void (*spdk_bdev_for_each_channel_done)(struct spdk_bdev *bdev, void *ctx, int status);

/* ---------------------------------------------------------------------- */
/* Subsystem                                                               */
/* ---------------------------------------------------------------------- */

/**
 * Copy the bdev layer's options.
 *
 * \param opts Receives the options.
 * \param opts_size sizeof(*opts); fields beyond it are not written.
 */
void spdk_bdev_get_opts(struct spdk_bdev_opts *opts, size_t opts_size);

/**
 * Set the bdev layer's options; the pool sizes take effect at the next
 * spdk_bdev_initialize().
 *
 * \param opts The options; opts->opts_size must be set.
 * \return 0; -EINVAL when opts is NULL, opts_size is 0, or the pool is smaller
 * than bdev_io_cache_size * (number of threads + 1) (with an error log).
 */
int spdk_bdev_set_opts(struct spdk_bdev_opts *opts);

/**
 * Start the bdev layer: create the spdk_bdev_io pool and the per-thread
 * management channels, then initialise every registered module in
 * registration order (modules with async_init finish with
 * spdk_bdev_module_init_done()). Must be called on the app thread.
 *
 * \param cb_fn Called on the calling thread, always after this call returns,
 * with 0 or the first module's negative errno.
 * \param cb_arg Argument of \p cb_fn.
 */
void spdk_bdev_initialize(spdk_bdev_init_cb cb_fn, void *cb_arg);

/**
 * Stop the bdev layer: call every module's fini_start, unregister the bdevs
 * one at a time (always the most recently registered unclaimed one, so
 * virtual bdevs go before their bases), call every module's module_fini in
 * reverse registration order, then release the pool. Must be called on the
 * thread that called spdk_bdev_initialize().
 *
 * \param cb_fn Called on the calling thread once everything is released.
 * \param cb_arg Argument of \p cb_fn.
 */
void spdk_bdev_finish(spdk_bdev_fini_cb cb_fn, void *cb_arg);

/**
 * Run \p cb_fn once no module is examining a bdev.
 *
 * \param cb_fn Called (later, on the calling thread) when examination is done.
 * \param cb_arg Argument of \p cb_fn.
 * \return 0; -EINVAL when cb_fn is NULL; -ENOMEM.
 */
int spdk_bdev_wait_for_examine(spdk_bdev_wait_for_examine_cb cb_fn, void *cb_arg);

/**
 * Examine a bdev explicitly (useful when bdev_auto_examine is off). App thread.
 *
 * \param name Name or alias of the bdev.
 * \return 0; -ENODEV when no such bdev; -EINVAL when auto-examine is on.
 */
int spdk_bdev_examine(const char *name);

/**
 * Write the bdev subsystem's configuration. updk has no JSON writer yet, so
 * this writes nothing.
 *
 * \param w JSON write context.
 */
void spdk_bdev_subsystem_config_json(struct spdk_json_write_ctx *w);

/* ---------------------------------------------------------------------- */
/* Lookup and query                                                        */
/* ---------------------------------------------------------------------- */

/**
 * Find a bdev by name or alias (its UUID string is always an alias).
 *
 * \param bdev_name The name.
 * \return the bdev, or NULL when none has that name. The pointer stays valid
 * only while a descriptor of the bdev is open.
 */
struct spdk_bdev *spdk_bdev_get_by_name(const char *bdev_name);

/** \return the first registered bdev (registration order), or NULL. */
struct spdk_bdev *spdk_bdev_first(void);

/** \param prev A bdev. \return the bdev registered after \p prev, or NULL. */
struct spdk_bdev *spdk_bdev_next(struct spdk_bdev *prev);

/** \return the first unclaimed bdev, or NULL. */
struct spdk_bdev *spdk_bdev_first_leaf(void);

/** \param prev A bdev. \return the next unclaimed bdev after \p prev, or NULL. */
struct spdk_bdev *spdk_bdev_next_leaf(struct spdk_bdev *prev);

/**
 * Call \p fn(\p ctx, bdev) for every registered bdev, each held open by a
 * temporary read-only descriptor around the call. Must be called on an SPDK
 * thread.
 *
 * \param ctx Passed to \p fn.
 * \param fn The visitor; a negative return stops the walk.
 * \return 0, or the visitor's negative return; -EINVAL when fn is NULL.
 */
int spdk_for_each_bdev(void *ctx, spdk_for_each_bdev_fn fn);

/** Like spdk_for_each_bdev(), for unclaimed bdevs only. */
int spdk_for_each_bdev_leaf(void *ctx, spdk_for_each_bdev_fn fn);

/** \param bdev A bdev. \return its name. */
const char *spdk_bdev_get_name(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its product name ("Malloc disk", "Null disk", ...). */
const char *spdk_bdev_get_product_name(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return the name of the module that registered it. */
const char *spdk_bdev_get_module_name(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its logical block size in bytes (interleaved metadata included). */
uint32_t spdk_bdev_get_block_size(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its data block size (block size minus interleaved metadata). */
uint32_t spdk_bdev_get_data_block_size(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its physical block size in bytes. */
uint32_t spdk_bdev_get_physical_block_size(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its size in blocks. */
uint64_t spdk_bdev_get_num_blocks(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its write unit in blocks (at least 1). */
uint32_t spdk_bdev_get_write_unit_size(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return the buffer alignment it needs in bytes (1: none). */
size_t spdk_bdev_get_buf_align(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its optimal I/O boundary in blocks (0: none). */
uint32_t spdk_bdev_get_optimal_io_boundary(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its atomic compare-and-write unit in blocks. */
uint16_t spdk_bdev_get_acwu(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return whether it has a volatile write cache (flush needed). */
bool spdk_bdev_has_write_cache(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its UUID. */
const struct spdk_uuid *spdk_bdev_get_uuid(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its metadata size per block (0: none; all updk bdevs). */
uint32_t spdk_bdev_get_md_size(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return whether its metadata is interleaved with the data. */
bool spdk_bdev_is_md_interleaved(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return whether its metadata is in a separate buffer. */
bool spdk_bdev_is_md_separate(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return whether it is zoned (never, in updk). */
bool spdk_bdev_is_zoned(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its protection information type (SPDK_DIF_DISABLE without metadata). */
enum spdk_dif_type spdk_bdev_get_dif_type(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its protection information format. */
enum spdk_dif_pi_format spdk_bdev_get_dif_pi_format(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return whether the PI sits at the start of the metadata. */
bool spdk_bdev_is_dif_head_of_md(const struct spdk_bdev *bdev);

/**
 * \param bdev A bdev.
 * \param check_type A check.
 * \return whether that check is enabled (never without protection information).
 */
bool spdk_bdev_is_dif_check_enabled(const struct spdk_bdev *bdev,
				    enum spdk_dif_check_type check_type);

/** \param bdev A bdev. \return the largest copy in blocks (0: no limit). */
uint32_t spdk_bdev_get_max_copy(const struct spdk_bdev *bdev);

/** \param bdev A bdev. \return its NUMA node, or SPDK_ENV_NUMA_ID_ANY (-1). */
int32_t spdk_bdev_get_numa_id(struct spdk_bdev *bdev);

/**
 * \param bdev A bdev.
 * \param io_type An I/O type.
 * \return whether the module handles it natively, except that WRITE_ZEROES is
 * reported whenever WRITE is, because the bdev layer emulates it. (COMPARE,
 * COMPARE_AND_WRITE and COPY are also emulated on submission, with READ and
 * WRITE, but reported only when native, as SPDK does.)
 */
bool spdk_bdev_io_type_supported(struct spdk_bdev *bdev, enum spdk_bdev_io_type io_type);

/** \param io_type An I/O type. \return its lower-case name ("read", ...), or NULL when out of range. */
const char *spdk_bdev_get_io_type_name(enum spdk_bdev_io_type io_type);

/** \param io_type_string A lower-case I/O type name. \return the type, or -1 when unknown. */
int spdk_bdev_get_io_type(const char *io_type_string);

/**
 * Write the module's information about \p bdev (dump_info_json).
 *
 * \param bdev The bdev.
 * \param w JSON write context.
 * \return 0, or the module's negative errno.
 */
int spdk_bdev_dump_info_json(struct spdk_bdev *bdev, struct spdk_json_write_ctx *w);

/** \param desc A descriptor. \return the module's context (get_module_ctx), or NULL. */
void *spdk_bdev_get_module_ctx(struct spdk_bdev_desc *desc);

/* ---------------------------------------------------------------------- */
/* Descriptors                                                             */
/* ---------------------------------------------------------------------- */

/**
 * Open a bdev. The descriptor belongs to the calling thread: events are
 * delivered there and spdk_bdev_close() must be called there.
 *
 * \param bdev_name Name or alias of the bdev.
 * \param write Open for writing.
 * \param event_cb Called on this thread on REMOVE and RESIZE. updk accepts
 * NULL (SPDK returns -EINVAL): such a descriptor is told nothing, keeps a
 * removed bdev alive until it is closed, and the removal logs a warning.
 * \param event_ctx Argument of \p event_cb.
 * \param desc Receives the descriptor.
 * \return 0; -EINVAL when bdev_name or desc is NULL; -ENODEV when no bdev has
 * that name or it is being unregistered; -EPERM when opening a claimed bdev
 * for writing; -ENOTSUP when not called on an SPDK thread; -ENOMEM.
 */
int spdk_bdev_open_ext(const char *bdev_name, bool write, spdk_bdev_event_cb_t event_cb,
		       void *event_ctx, struct spdk_bdev_desc **desc);

/**
 * Initialise open options with their defaults.
 *
 * \param opts The options.
 * \param size sizeof(*opts).
 */
void spdk_bdev_open_opts_init(struct spdk_bdev_open_opts *opts, size_t size);

/**
 * spdk_bdev_open_ext() with options.
 *
 * \param bdev_name Name or alias of the bdev.
 * \param write Open for writing.
 * \param event_cb Event callback (NULL accepted, see spdk_bdev_open_ext()).
 * \param event_ctx Argument of \p event_cb.
 * \param opts Options, or NULL for the defaults.
 * \param desc Receives the descriptor.
 * \return as spdk_bdev_open_ext(); also -EINVAL when opts->size is 0.
 */
int spdk_bdev_open_ext_v2(const char *bdev_name, bool write, spdk_bdev_event_cb_t event_cb,
			  void *event_ctx, struct spdk_bdev_open_opts *opts,
			  struct spdk_bdev_desc **desc);

/**
 * Close a descriptor, on the thread that opened it (else an error is logged
 * and the call refused). Releases claims made through it. If the bdev is
 * being removed and this was its last descriptor, the removal continues.
 *
 * \param desc The descriptor (NULL is logged and ignored).
 */
void spdk_bdev_close(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return its bdev, valid while the descriptor is open. */
struct spdk_bdev *spdk_bdev_desc_get_bdev(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return the block size seen through it. */
uint32_t spdk_bdev_desc_get_block_size(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return the metadata size seen through it (0 when hidden). */
uint32_t spdk_bdev_desc_get_md_size(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return whether metadata seen through it is interleaved. */
bool spdk_bdev_desc_is_md_interleaved(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return whether metadata seen through it is separate. */
bool spdk_bdev_desc_is_md_separate(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return the DIF type seen through it. */
enum spdk_dif_type spdk_bdev_desc_get_dif_type(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return the DIF format seen through it. */
enum spdk_dif_pi_format spdk_bdev_desc_get_dif_pi_format(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \return whether the PI is at the head of the metadata. */
bool spdk_bdev_desc_is_dif_head_of_md(struct spdk_bdev_desc *desc);

/** \param desc A descriptor. \param check_type A check. \return whether it is enabled. */
bool spdk_bdev_desc_is_dif_check_enabled(struct spdk_bdev_desc *desc,
					 enum spdk_dif_check_type check_type);

/**
 * Get the calling thread's I/O channel for the descriptor's bdev: the same
 * channel each time (one more reference), created on first use. Release it
 * with spdk_put_io_channel() on the same thread.
 *
 * \param desc An open descriptor.
 * \return the channel, or NULL (with an error log) when desc is NULL, there is
 * no current SPDK thread, the bdev layer is not initialised, or the module
 * cannot create its channel.
 */
struct spdk_io_channel *spdk_bdev_get_io_channel(struct spdk_bdev_desc *desc);

/**
 * Report I/O outstanding longer than \p timeout_s: once a second, \p cb_fn is
 * called for each such I/O submitted through \p desc, on the thread of the
 * channel it was submitted on. Must be called on the descriptor's thread.
 *
 * \param desc The descriptor.
 * \param timeout_s Seconds; 0 turns the check off.
 * \param cb_fn Called for each late I/O (may be NULL when timeout_s is 0).
 * \param cb_arg Argument of \p cb_fn.
 * \return 0; -EINVAL on the wrong thread or with a NULL cb_fn; -ENOMEM.
 */
int spdk_bdev_set_timeout(struct spdk_bdev_desc *desc, uint64_t timeout_s,
			  spdk_bdev_io_timeout_cb cb_fn, void *cb_arg);

/**
 * Copy the media events waiting for \p desc. Call it from the event callback.
 *
 * \param desc The descriptor.
 * \param events Receives up to \p max_events events.
 * \param max_events Size of \p events.
 * \return the number copied (updk bdevs report none, so 0).
 */
size_t spdk_bdev_get_media_events(struct spdk_bdev_desc *desc, struct spdk_bdev_media_event *events,
				  size_t max_events);

/* ---------------------------------------------------------------------- */
/* I/O submission                                                          */
/*                                                                         */
/* Common parameters: desc is an open descriptor; ch is the channel of     */
/* desc's bdev taken on the calling thread; cb runs once, later, on the    */
/* calling thread when a call returns 0, and never when it returns an      */
/* error; cb_arg is passed to cb.                                          */
/*                                                                         */
/* Common errors, checked in this order:                                   */
/*  -EINVAL  byte offset or length not a multiple of the block size        */
/*           (byte-based calls only); desc or ch NULL; ch taken on another */
/*           thread or for another bdev (one error line)                   */
/*  -EBADF   a write-type call on a descriptor opened read-only            */
/*  -EINVAL  offset + length overflows or goes beyond the end of the bdev  */
/*           (a range ending exactly at the end, and length 0, are valid)  */
/*  -ENOTSUP the bdev supports neither the I/O type nor its emulation      */
/*  -ENOMEM  no spdk_bdev_io is available on this thread: wait with       */
/*           spdk_bdev_queue_io_wait() and submit again                    */
/*  -EINVAL  a metadata buffer on a bdev without separate metadata         */
/* ---------------------------------------------------------------------- */

/**
 * Read bytes.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param buf Destination, or NULL to have the bdev layer supply a buffer
 * (read it in the callback with spdk_bdev_io_get_iovec(); it is released by
 * spdk_bdev_free_io()).
 * \param offset Byte offset (a multiple of the block size).
 * \param nbytes Byte count (a multiple of the block size).
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error (see above).
 */
int spdk_bdev_read(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
		   uint64_t offset, uint64_t nbytes, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Read blocks.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param buf Destination, or NULL (see spdk_bdev_read()).
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_read_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
			  uint64_t offset_blocks, uint64_t num_blocks,
			  spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Read blocks with a separate metadata buffer.
 *
 * \param desc Descriptor. \param ch Channel. \param buf Destination.
 * \param md Metadata destination (only for bdevs with separate metadata).
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_read_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				  void *buf, void *md, uint64_t offset_blocks, uint64_t num_blocks,
				  spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Read bytes into a scatter-gather list.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param iov Destination segments; must stay valid until completion.
 * \param iovcnt Number of segments (at least 1).
 * \param offset Byte offset. \param nbytes Byte count.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -EINVAL also when iov is NULL or iovcnt < 1.
 */
int spdk_bdev_readv(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, struct iovec *iov,
		    int iovcnt, uint64_t offset, uint64_t nbytes, spdk_bdev_io_completion_cb cb,
		    void *cb_arg);

/**
 * Read blocks into a scatter-gather list.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param iov Destination segments. \param iovcnt Number of segments.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -EINVAL also for a NULL iov or iovcnt < 1.
 */
int spdk_bdev_readv_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			   struct iovec *iov, int iovcnt, uint64_t offset_blocks,
			   uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * spdk_bdev_readv_blocks() with a separate metadata buffer.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param iov Destination segments. \param iovcnt Number of segments.
 * \param md Metadata destination.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_readv_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				   struct iovec *iov, int iovcnt, void *md, uint64_t offset_blocks,
				   uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
				   void *cb_arg);

/**
 * spdk_bdev_readv_blocks() with extended options.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param iov Destination segments. \param iovcnt Number of segments.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \param opts Options, or NULL. A memory domain or accel sequence is refused
 * with -ENOTSUP; opts->size of 0 with -EINVAL.
 * \return 0, or a common error.
 */
int spdk_bdev_readv_blocks_ext(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			       struct iovec *iov, int iovcnt, uint64_t offset_blocks,
			       uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg,
			       struct spdk_bdev_ext_io_opts *opts);

/**
 * Write bytes.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param buf Source. \param offset Byte offset. \param nbytes Byte count.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error (-EBADF on a read-only descriptor).
 */
int spdk_bdev_write(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
		    uint64_t offset, uint64_t nbytes, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Write blocks.
 *
 * \param desc Descriptor opened for writing. \param ch Channel. \param buf Source.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_write_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
			   uint64_t offset_blocks, uint64_t num_blocks,
			   spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Write blocks with a separate metadata buffer.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param buf Source. \param md Metadata source.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_write_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				   void *buf, void *md, uint64_t offset_blocks, uint64_t num_blocks,
				   spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Write bytes from a scatter-gather list.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param iov Source segments. \param iovcnt Number of segments.
 * \param offset Byte offset. \param len Byte count.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_writev(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, struct iovec *iov,
		     int iovcnt, uint64_t offset, uint64_t len, spdk_bdev_io_completion_cb cb,
		     void *cb_arg);

/**
 * Write blocks from a scatter-gather list.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param iov Source segments. \param iovcnt Number of segments.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_writev_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			    struct iovec *iov, int iovcnt, uint64_t offset_blocks,
			    uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * spdk_bdev_writev_blocks() with a separate metadata buffer.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param iov Source segments. \param iovcnt Number of segments. \param md Metadata.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_writev_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				    struct iovec *iov, int iovcnt, void *md, uint64_t offset_blocks,
				    uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
				    void *cb_arg);

/**
 * spdk_bdev_writev_blocks() with extended options.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param iov Source segments. \param iovcnt Number of segments.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \param opts Options, or NULL (see spdk_bdev_readv_blocks_ext()).
 * \return 0, or a common error.
 */
int spdk_bdev_writev_blocks_ext(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				struct iovec *iov, int iovcnt, uint64_t offset_blocks,
				uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg,
				struct spdk_bdev_ext_io_opts *opts);

/**
 * Write zeroes over a byte range; emulated with writes of a zero buffer when
 * the module lacks WRITE_ZEROES.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param offset Byte offset. \param len Byte count.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when neither WRITE_ZEROES nor WRITE
 * is supported.
 */
int spdk_bdev_write_zeroes(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset,
			   uint64_t len, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Write zeroes over blocks (see spdk_bdev_write_zeroes()).
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP as for spdk_bdev_write_zeroes().
 */
int spdk_bdev_write_zeroes_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				  uint64_t offset_blocks, uint64_t num_blocks,
				  spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Unmap (trim) a byte range. A length of 0 completes successfully.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param offset Byte offset. \param nbytes Byte count.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when UNMAP is unsupported.
 */
int spdk_bdev_unmap(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset,
		    uint64_t nbytes, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Unmap blocks (see spdk_bdev_unmap()).
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when UNMAP is unsupported.
 */
int spdk_bdev_unmap_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			   uint64_t offset_blocks, uint64_t num_blocks,
			   spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Flush a byte range from the device's write cache.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param offset Byte offset. \param length Byte count.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when FLUSH is unsupported.
 */
int spdk_bdev_flush(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, uint64_t offset,
		    uint64_t length, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Flush blocks (see spdk_bdev_flush()).
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when FLUSH is unsupported.
 */
int spdk_bdev_flush_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			   uint64_t offset_blocks, uint64_t num_blocks,
			   spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Reset the bdev: every channel is frozen (new I/O on it is queued, not
 * failed), outstanding I/O drains, the reset goes to the module, then the
 * channels are unfrozen and the queued I/O submitted. Resets of one bdev are
 * serialised.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0; -EINVAL for a NULL or foreign channel; -ENOMEM.
 */
int spdk_bdev_reset(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
		    spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Compare blocks with a buffer. Emulated with a read and memcmp() when the
 * module lacks COMPARE. A mismatch completes with success == false and status
 * SPDK_BDEV_IO_STATUS_MISCOMPARE.
 *
 * \param desc Descriptor. \param ch Channel. \param buf Data to compare with.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when neither COMPARE nor READ is supported.
 */
int spdk_bdev_compare_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *buf,
			     uint64_t offset_blocks, uint64_t num_blocks,
			     spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * spdk_bdev_compare_blocks() with a metadata buffer.
 *
 * \param desc Descriptor. \param ch Channel. \param buf Data. \param md Metadata.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_compare_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				     void *buf, void *md, uint64_t offset_blocks,
				     uint64_t num_blocks, spdk_bdev_io_completion_cb cb,
				     void *cb_arg);

/**
 * spdk_bdev_compare_blocks() with a scatter-gather list.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param iov Data segments. \param iovcnt Number of segments.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_comparev_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			      struct iovec *iov, int iovcnt, uint64_t offset_blocks,
			      uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * spdk_bdev_comparev_blocks() with a metadata buffer.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param iov Data segments. \param iovcnt Number of segments. \param md Metadata.
 * \param offset_blocks First block. \param num_blocks Number of blocks.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error.
 */
int spdk_bdev_comparev_blocks_with_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				      struct iovec *iov, int iovcnt, void *md,
				      uint64_t offset_blocks, uint64_t num_blocks,
				      spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Compare blocks and, when they match, write new data over them. Emulated
 * with a compare followed by a write when the module lacks it; updk does not
 * lock the range against other writers during the emulation.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param compare_iov Expected data. \param compare_iovcnt Its segment count.
 * \param write_iov New data. \param write_iovcnt Its segment count.
 * \param offset_blocks First block.
 * \param num_blocks Number of blocks; at most spdk_bdev_get_acwu().
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -EINVAL also when num_blocks > acwu.
 */
int spdk_bdev_comparev_and_writev_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
					 struct iovec *compare_iov, int compare_iovcnt,
					 struct iovec *write_iov, int write_iovcnt,
					 uint64_t offset_blocks, uint64_t num_blocks,
					 spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Copy blocks inside the bdev. Emulated with reads and writes when the module
 * lacks COPY.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param dst_offset_blocks First destination block.
 * \param src_offset_blocks First source block.
 * \param num_blocks Number of blocks (both ranges are checked).
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when neither COPY nor READ and WRITE
 * are supported.
 */
int spdk_bdev_copy_blocks(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			  uint64_t dst_offset_blocks, uint64_t src_offset_blocks,
			  uint64_t num_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Abort every I/O submitted on \p ch whose callback argument is
 * \p bio_cb_arg. The abort succeeds when every matching I/O was aborted and
 * fails when none matched or one could not be aborted.
 *
 * \param desc Descriptor. \param ch Channel.
 * \param bio_cb_arg Callback argument of the I/O to abort; must not be NULL.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0; -EINVAL when bio_cb_arg is NULL; -ENOTSUP when ABORT is
 * unsupported; -ENOMEM.
 */
int spdk_bdev_abort(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch, void *bio_cb_arg,
		    spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Find the next allocated block (not supported by updk modules).
 *
 * \param desc Descriptor. \param ch Channel. \param offset_blocks Start block.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when SEEK_DATA is unsupported.
 */
int spdk_bdev_seek_data(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			uint64_t offset_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Find the next unallocated block (not supported by updk modules).
 *
 * \param desc Descriptor. \param ch Channel. \param offset_blocks Start block.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return 0, or a common error; -ENOTSUP when SEEK_HOLE is unsupported.
 */
int spdk_bdev_seek_hole(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			uint64_t offset_blocks, spdk_bdev_io_completion_cb cb, void *cb_arg);

/** \param bdev_io A completed seek. \return the offset it found, in blocks. */
uint64_t spdk_bdev_io_get_seek_offset(const struct spdk_bdev_io *bdev_io);

/**
 * Send an NVMe admin command. No updk module supports NVMe passthrough.
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param cmd The command. \param buf Data buffer. \param nbytes Its size.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return -EBADF on a read-only descriptor, else -ENOTSUP.
 */
int spdk_bdev_nvme_admin_passthru(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				  const struct spdk_nvme_cmd *cmd, void *buf, size_t nbytes,
				  spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Send an NVMe I/O command (see spdk_bdev_nvme_admin_passthru()).
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param cmd The command. \param buf Data buffer. \param nbytes Its size.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return -EBADF on a read-only descriptor, else -ENOTSUP.
 */
int spdk_bdev_nvme_io_passthru(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
			       const struct spdk_nvme_cmd *cmd, void *buf, size_t nbytes,
			       spdk_bdev_io_completion_cb cb, void *cb_arg);

/**
 * Send an NVMe I/O command with metadata (see spdk_bdev_nvme_admin_passthru()).
 *
 * \param desc Descriptor opened for writing. \param ch Channel.
 * \param cmd The command. \param buf Data buffer. \param nbytes Its size.
 * \param md_buf Metadata buffer. \param md_len Its size.
 * \param cb Completion callback. \param cb_arg Its argument.
 * \return -EBADF on a read-only descriptor, else -ENOTSUP.
 */
int spdk_bdev_nvme_io_passthru_md(struct spdk_bdev_desc *desc, struct spdk_io_channel *ch,
				  const struct spdk_nvme_cmd *cmd, void *buf, size_t nbytes,
				  void *md_buf, size_t md_len, spdk_bdev_io_completion_cb cb,
				  void *cb_arg);

/**
 * Release a completed I/O: any buffer the bdev layer allocated for it is
 * freed, the object returns to this thread's cache, and entries queued with
 * spdk_bdev_queue_io_wait() on this thread are called (synchronously, in
 * order) while the cache is non-empty. Call it on the submitting thread,
 * usually from the completion callback.
 *
 * \param bdev_io The I/O (NULL is logged and ignored).
 */
void spdk_bdev_free_io(struct spdk_bdev_io *bdev_io);

/**
 * Wait for an spdk_bdev_io after a submission failed with -ENOMEM. The entry
 * is queued on the calling thread (shared by all bdevs there) and its
 * cb_fn(cb_arg) called once an I/O is freed on this thread or, if none is
 * outstanding here, once the global pool has objects again (updk checks that
 * periodically, so a waiter is never stranded).
 *
 * \param bdev The bdev; must equal entry->bdev.
 * \param ch A channel of \p bdev on the calling thread.
 * \param entry Filled in by the caller (bdev, cb_fn, cb_arg, dep_unblock);
 * must stay valid until its callback runs.
 * \return 0; -EINVAL when entry->bdev != bdev ("bdevs do not match"), when an
 * spdk_bdev_io is available in this thread's cache, or for NULL arguments.
 */
int spdk_bdev_queue_io_wait(struct spdk_bdev *bdev, struct spdk_io_channel *ch,
			    struct spdk_bdev_io_wait_entry *entry);

/**
 * Get an I/O's NVMe status. Non-NVMe errors are translated: success gives
 * (0, 0), a miscompare (2, 0x85), an abort (0, 7), anything else (0, 6).
 *
 * \param bdev_io A completed I/O.
 * \param cdw0 Receives completion dword 0 (may be NULL).
 * \param sct Receives the status code type.
 * \param sc Receives the status code.
 */
void spdk_bdev_io_get_nvme_status(const struct spdk_bdev_io *bdev_io, uint32_t *cdw0, int *sct,
				  int *sc);

/**
 * Get an I/O's AIO result.
 *
 * \param bdev_io A completed I/O.
 * \param aio_result Receives the negative errno of an AIO_ERROR completion,
 * 0 on success, -EIO for other failures.
 */
void spdk_bdev_io_get_aio_status(const struct spdk_bdev_io *bdev_io, int *aio_result);

/**
 * Get an I/O's data segments (for a read with a NULL buffer, the buffer the
 * bdev layer supplied).
 *
 * \param bdev_io The I/O.
 * \param iovp Receives the segment array (NULL for types without data).
 * \param iovcntp Receives the segment count.
 */
void spdk_bdev_io_get_iovec(struct spdk_bdev_io *bdev_io, struct iovec **iovp, int *iovcntp);

/** \param bdev_io An I/O. \return its separate metadata buffer, or NULL. */
void *spdk_bdev_io_get_md_buf(struct spdk_bdev_io *bdev_io);

/** \param bdev_io An I/O. \return the callback argument it was submitted with. */
void *spdk_bdev_io_get_cb_arg(struct spdk_bdev_io *bdev_io);

/* ---------------------------------------------------------------------- */
/* Statistics and histograms                                               */
/* ---------------------------------------------------------------------- */

/**
 * Copy the statistics of one channel, then reset what \p reset_mode says.
 * Synchronous; call it on the channel's thread.
 *
 * \param bdev The bdev. \param ch Its channel on the calling thread.
 * \param stat Receives the statistics (its io_error pointer is left alone).
 * \param reset_mode What to reset afterwards.
 */
void spdk_bdev_get_io_stat(struct spdk_bdev *bdev, struct spdk_io_channel *ch,
			   struct spdk_bdev_io_stat *stat,
			   enum spdk_bdev_reset_stat_mode reset_mode);

/**
 * Sum the statistics of the bdev's destroyed channels and every live channel
 * (visiting each channel's thread), resetting each as \p reset_mode says.
 *
 * \param bdev The bdev.
 * \param stat Receives the sum; must stay valid until \p cb runs.
 * \param reset_mode What to reset.
 * \param cb Called on the calling thread with (bdev, stat, cb_arg, rc): rc is
 * 0, or -ENOMEM.
 * \param cb_arg Argument of \p cb.
 */
void spdk_bdev_get_device_stat(struct spdk_bdev *bdev, struct spdk_bdev_io_stat *stat,
			       enum spdk_bdev_reset_stat_mode reset_mode,
			       spdk_bdev_get_device_stat_cb cb, void *cb_arg);

/**
 * Turn latency histograms on or off for every channel of the bdev (channels
 * created later follow).
 *
 * \param bdev The bdev.
 * \param cb_fn Called on the calling thread with 0 or a negative errno.
 * \param cb_arg Argument of \p cb_fn.
 * \param enable On or off.
 */
void spdk_bdev_histogram_enable(struct spdk_bdev *bdev, spdk_bdev_histogram_status_cb cb_fn,
				void *cb_arg, bool enable);

/**
 * Initialise histogram options with their defaults.
 *
 * \param opts The options. \param size sizeof(*opts).
 */
void spdk_bdev_enable_histogram_opts_init(struct spdk_bdev_enable_histogram_opts *opts,
					  size_t size);

/**
 * spdk_bdev_histogram_enable() with options.
 *
 * \param bdev The bdev.
 * \param cb_fn Called with 0 or a negative errno (-EINVAL for bad options,
 * -ENOMEM, -EAGAIN when another enable is under way).
 * \param cb_arg Argument of \p cb_fn.
 * \param enable On or off.
 * \param opts Options, or NULL for the defaults.
 */
void spdk_bdev_histogram_enable_ext(struct spdk_bdev *bdev, spdk_bdev_histogram_status_cb cb_fn,
				    void *cb_arg, bool enable,
				    struct spdk_bdev_enable_histogram_opts *opts);

/**
 * Merge every channel's histogram into \p histogram.
 *
 * \param bdev The bdev.
 * \param histogram Destination, allocated by the caller with the bucket shift
 * the histogram was enabled with (the default unless opts said otherwise).
 * \param cb_fn Called on the calling thread with (cb_arg, status, histogram):
 * status 0, -EFAULT when histograms are off, -EINVAL on a shape mismatch.
 * \param cb_arg Argument of \p cb_fn.
 */
void spdk_bdev_histogram_get(struct spdk_bdev *bdev, struct spdk_histogram_data *histogram,
			     spdk_bdev_histogram_data_cb cb_fn, void *cb_arg);

/**
 * Deliver one channel's histogram, synchronously.
 *
 * \param ch A bdev channel on the calling thread.
 * \param cb_fn Called at once with (cb_arg, 0, histogram), or (cb_arg,
 * -EFAULT, NULL) when histograms are off.
 * \param cb_arg Argument of \p cb_fn.
 */
void spdk_bdev_channel_get_histogram(struct spdk_io_channel *ch, spdk_bdev_histogram_data_cb cb_fn,
				     void *cb_arg);

/**
 * \param type A QoS limit type.
 * \return its RPC name ("rw_ios_per_sec", ...), or NULL.
 */
const char *spdk_bdev_get_qos_rpc_type(enum spdk_bdev_qos_rate_limit_type type);

/**
 * Copy the bdev's QoS limits (updk has no QoS: all zero, meaning unlimited).
 *
 * \param bdev The bdev.
 * \param limits Array of SPDK_BDEV_QOS_NUM_RATE_LIMIT_TYPES entries.
 */
void spdk_bdev_get_qos_rate_limits(struct spdk_bdev *bdev, uint64_t *limits);

/* ---------------------------------------------------------------------- */
/* Channel iteration                                                       */
/* ---------------------------------------------------------------------- */

/**
 * Run \p fn on every thread that holds a channel of \p bdev, one at a time;
 * each step ends with spdk_bdev_for_each_channel_continue(). Then \p cpl runs
 * on the calling thread with the first non-zero status, or 0.
 *
 * \param bdev The bdev. \param fn The step. \param ctx Passed to each step.
 * \param cpl The completion.
 */
void spdk_bdev_for_each_channel(struct spdk_bdev *bdev, spdk_bdev_for_each_channel_msg fn,
				void *ctx, spdk_bdev_for_each_channel_done cpl);

/**
 * Finish one step of spdk_bdev_for_each_channel().
 *
 * \param iter The cursor. \param status Non-zero stops the iteration.
 */
void spdk_bdev_for_each_channel_continue(struct spdk_bdev_channel_iter *iter, int status);

#ifdef __cplusplus
}
#endif

#endif /* SPDK_BDEV_H */
