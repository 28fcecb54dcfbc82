/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Thread-safe pools of fixed-size elements (spdk_mempool). The I/O path takes
 * and returns an element per request, so the common case must cost a few
 * nanoseconds: each pthread has its own cache per pool, and a get or put that
 * the cache can serve touches only that cache, with no lock and no atomic
 * read-modify-write. Only refills and flushes, in batches of half a cache,
 * take the pool's mutex.
 *
 * Ownership and ordering contract:
 *
 * - A cache belongs to one pthread (its owner) and one pool. Its objs[] array
 *   is read and written only by the owner. Its len is written only by the
 *   owner, with relaxed atomic stores (plain moves on every supported CPU), so
 *   that spdk_mempool_count() may read it from other threads with relaxed
 *   loads; the count is a snapshot and needs no stronger ordering.
 *
 * - Each pthread finds its caches through a thread-local table indexed by the
 *   pool's slot number (g_mempool_tls.slots). The owner reads its table without
 *   a lock. The table is grown, and entries are set, by the owner while it
 *   holds g_mempool_lock. spdk_mempool_free() clears the entry of the pool being
 *   freed in every owner's table, also under g_mempool_lock; an owner cannot be
 *   reading that entry at the time, because using a pool while it is freed is
 *   not allowed. A slot freed this way is handed to a new pool only under
 *   g_mempool_lock, so the cleared entry happens-before any use of the new pool.
 *
 * - mp->avail and mp->stack are guarded by mp->lock. mp->caches (the list of
 *   a pool's caches) is changed with both g_mempool_lock and mp->lock held, and
 *   read with either. An owner's list of caches (tls->caches) is changed and
 *   walked only with g_mempool_lock held.
 *
 * - Lock order: g_mempool_lock, then mp->lock.
 *
 * - When a pthread exits, a pthread_key destructor returns the contents of all
 *   its caches to their pools and frees the caches. spdk_mempool_free() frees
 *   every cache of the pool, in whichever pthread's table it sits.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/likely.h"
#include "spdk/log.h"
#include "spdk/queue.h"

/* Largest per-thread cache chosen for SPDK_MEMPOOL_DEFAULT_CACHE_SIZE. */
#define MEMPOOL_DEFAULT_CACHE_MAX 512

struct mempool_tls;

/* One pthread's cache of one pool. */
struct mempool_cache {
	/* Number of elements in objs; written only by the owner (see the top comment). */
	_Atomic uint32_t len;
	/* Capacity of objs. */
	uint32_t cap;
	/* The pool this cache belongs to. */
	struct spdk_mempool *mp;
	/* The owner's thread-local state. */
	struct mempool_tls *owner;
	/* Entry in mp->caches. */
	TAILQ_ENTRY(mempool_cache) mp_link;
	/* Entry in owner->caches. */
	LIST_ENTRY(mempool_cache) tls_link;
	/* Free elements, most recently put last. */
	void *objs[];
};

/* What each pthread keeps: its caches, by pool slot. */
struct mempool_tls {
	/* slots[mp->slot] is this pthread's cache of mp, or NULL. */
	struct mempool_cache **slots;
	/* Entries in slots. */
	uint32_t nslots;
	/* Whether the pthread_key destructor is armed for this pthread. */
	bool key_set;
	/* Every cache this pthread owns. */
	LIST_HEAD(, mempool_cache) caches;
};

struct spdk_mempool {
	/* Read-only after creation; read on every get and put. */
	/* This pool's index in each pthread's cache table. */
	uint32_t slot;
	/* Per-pthread cache capacity; 0 when the pool has no caches. */
	uint32_t cache_size;
	/* The elements: count of them, stride bytes apart, from elts up to elts_end. */
	char *elts;
	char *elts_end;
	size_t stride;
	uint32_t count;
	/* Size the caller asked for. */
	size_t ele_size;
	/* The pool's name (owned). */
	char *name;
	/* Entry in g_mempools. */
	TAILQ_ENTRY(spdk_mempool) link;

	/* Guards the shared stack and the cache list (see the top comment). On
	 * its own cache line, so refills elsewhere do not slow the fields above. */
	pthread_mutex_t lock __attribute__((aligned(SPDK_CACHE_LINE_SIZE)));
	/* Free elements not in any cache: stack[0..avail), top last. */
	void **stack;
	uint32_t avail;
	/* Every pthread's cache of this pool. */
	TAILQ_HEAD(, mempool_cache) caches;
};

_Static_assert(offsetof(struct spdk_mempool, lock) >= SPDK_CACHE_LINE_SIZE,
	       "the fields read on every get and put must not share the mutex's cache line");

static pthread_mutex_t g_mempool_lock = PTHREAD_MUTEX_INITIALIZER;
/* Every live pool, for spdk_mempool_lookup(). */
static TAILQ_HEAD(, spdk_mempool) g_mempools = TAILQ_HEAD_INITIALIZER(g_mempools);
/* g_slot_used[i] is true while a pool holds slot i. */
static bool *g_slot_used;
static uint32_t g_slot_cap;

static pthread_key_t g_mempool_key;
static pthread_once_t g_mempool_key_once = PTHREAD_ONCE_INIT;
static bool g_mempool_key_ok;

static __attribute__((tls_model("initial-exec"))) __thread struct mempool_tls g_mempool_tls;

static inline struct mempool_cache *
mempool_cache_of(const struct spdk_mempool *mp)
{
	struct mempool_tls *tls = &g_mempool_tls;

	if (spdk_likely(mp->slot < tls->nslots)) {
		return tls->slots[mp->slot];
	}
	return NULL;
}

static inline bool
mempool_owns(const struct spdk_mempool *mp, const void *ele)
{
	const char *p = ele;

	return p >= mp->elts && p < mp->elts_end;
}

static __attribute__((noinline, cold)) void
mempool_report_foreign(const struct spdk_mempool *mp, const void *ele, const char *what)
{
	SPDK_ERRLOG("%p %s of mempool %s; not put back\n", ele, what, mp->name);
}

/* Reports an element that does not belong to mp; returns whether it is good. */
static inline bool
mempool_check_ele(const struct spdk_mempool *mp, const void *ele)
{
	if (spdk_unlikely(!mempool_owns(mp, ele))) {
		mempool_report_foreign(mp, ele, "is not an element");
		return false;
	}
#ifdef DEBUG
	if (((const char *)ele - mp->elts) % mp->stride != 0) {
		mempool_report_foreign(mp, ele, "points inside an element");
		return false;
	}
#endif
	return true;
}

/* Pushes n elements on the shared stack. Refuses what would overflow it. */
static void
mempool_push_locked(struct spdk_mempool *mp, void *const *objs, uint32_t n)
{
	if (spdk_unlikely(n > mp->count - mp->avail)) {
		SPDK_ERRLOG("mempool %s: %u elements put back but only %u are out; an element "
			    "was put twice\n",
			    mp->name, n, mp->count - mp->avail);
		n = mp->count - mp->avail;
	}
	memcpy(&mp->stack[mp->avail], objs, n * sizeof(*objs));
	mp->avail += n;
}

static void
mempool_tls_destroy(void *arg)
{
	struct mempool_tls *tls = arg;
	struct mempool_cache *c;

	pthread_mutex_lock(&g_mempool_lock);
	while ((c = LIST_FIRST(&tls->caches)) != NULL) {
		struct spdk_mempool *mp = c->mp;
		uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);

		pthread_mutex_lock(&mp->lock);
		mempool_push_locked(mp, c->objs, len);
		TAILQ_REMOVE(&mp->caches, c, mp_link);
		pthread_mutex_unlock(&mp->lock);
		LIST_REMOVE(c, tls_link);
		tls->slots[mp->slot] = NULL;
		free(c);
	}
	free(tls->slots);
	tls->slots = NULL;
	tls->nslots = 0;
	tls->key_set = false;
	pthread_mutex_unlock(&g_mempool_lock);
}

static void
mempool_key_create(void)
{
	g_mempool_key_ok = pthread_key_create(&g_mempool_key, mempool_tls_destroy) == 0;
}

/*
 * Gives the calling pthread a cache of mp, on its first use of mp. NULL when
 * the pool has no caches or memory runs out; the caller then uses the shared
 * stack directly, which is slower but correct.
 */
static struct mempool_cache *
mempool_cache_create(struct spdk_mempool *mp)
{
	struct mempool_tls *tls = &g_mempool_tls;
	struct mempool_cache *c;
	size_t size;
	void *mem;

	if (mp->cache_size == 0) {
		return NULL;
	}
	pthread_once(&g_mempool_key_once, mempool_key_create);
	if (!g_mempool_key_ok) {
		return NULL;
	}
	size = sizeof(*c) + (size_t)mp->cache_size * sizeof(void *);
	size = (size + SPDK_CACHE_LINE_SIZE - 1) & ~(size_t)(SPDK_CACHE_LINE_SIZE - 1);
	if (posix_memalign(&mem, SPDK_CACHE_LINE_SIZE, size) != 0) {
		return NULL;
	}
	c = mem;
	atomic_init(&c->len, 0);
	c->cap = mp->cache_size;
	c->mp = mp;
	c->owner = tls;

	pthread_mutex_lock(&g_mempool_lock);
	if (mp->slot >= tls->nslots) {
		uint32_t n = tls->nslots ? tls->nslots : 8;
		struct mempool_cache **slots;

		while (n <= mp->slot) {
			n *= 2;
		}
		slots = realloc(tls->slots, n * sizeof(*slots));
		if (slots == NULL) {
			goto fail;
		}
		memset(&slots[tls->nslots], 0, (n - tls->nslots) * sizeof(*slots));
		tls->slots = slots;
		tls->nslots = n;
	}
	if (!tls->key_set) {
		if (pthread_setspecific(g_mempool_key, tls) != 0) {
			goto fail;
		}
		tls->key_set = true;
	}
	pthread_mutex_lock(&mp->lock);
	TAILQ_INSERT_TAIL(&mp->caches, c, mp_link);
	pthread_mutex_unlock(&mp->lock);
	LIST_INSERT_HEAD(&tls->caches, c, tls_link);
	tls->slots[mp->slot] = c;
	pthread_mutex_unlock(&g_mempool_lock);
	return c;

fail:
	pthread_mutex_unlock(&g_mempool_lock);
	free(c);
	return NULL;
}

/* Elements a refill moves into a cache, and a flush moves out of a full one. */
static inline uint32_t
mempool_batch(const struct mempool_cache *c)
{
	return (c->cap + 1) / 2;
}

static __attribute__((noinline)) void *
mempool_get_slow(struct spdk_mempool *mp, struct mempool_cache *c)
{
	uint32_t take;
	void *obj;

	if (c == NULL) {
		c = mempool_cache_create(mp);
	}
	pthread_mutex_lock(&mp->lock);
	if (mp->avail == 0) {
		pthread_mutex_unlock(&mp->lock);
		return NULL;
	}
	/* The top of the stack goes to the caller, the next batch into the cache
	 * in the same order, so elements come out in the order they were put. */
	obj = mp->stack[--mp->avail];
	if (c != NULL) {
		assert(atomic_load_explicit(&c->len, memory_order_relaxed) == 0);
		take = mempool_batch(c);
		if (take > mp->avail) {
			take = mp->avail;
		}
		mp->avail -= take;
		memcpy(c->objs, &mp->stack[mp->avail], take * sizeof(void *));
		atomic_store_explicit(&c->len, take, memory_order_relaxed);
	}
	pthread_mutex_unlock(&mp->lock);
	return obj;
}

void *
spdk_mempool_get(struct spdk_mempool *mp)
{
	struct mempool_cache *c = mempool_cache_of(mp);

	if (spdk_likely(c != NULL)) {
		uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);

		if (spdk_likely(len != 0)) {
			void *obj = c->objs[len - 1];

			atomic_store_explicit(&c->len, len - 1, memory_order_relaxed);
			return obj;
		}
	}
	return mempool_get_slow(mp, c);
}

static __attribute__((noinline)) void
mempool_put_slow(struct spdk_mempool *mp, struct mempool_cache *c, void *ele)
{
	uint32_t len, out;

	if (c == NULL) {
		c = mempool_cache_create(mp);
		if (c == NULL) {
			pthread_mutex_lock(&mp->lock);
			mempool_push_locked(mp, &ele, 1);
			pthread_mutex_unlock(&mp->lock);
			return;
		}
	}
	len = atomic_load_explicit(&c->len, memory_order_relaxed);
	if (len == c->cap) {
		/* Flush the older half; the recently put (cache-hot) half stays. */
		out = mempool_batch(c);
		pthread_mutex_lock(&mp->lock);
		mempool_push_locked(mp, c->objs, out);
		pthread_mutex_unlock(&mp->lock);
		len -= out;
		memmove(c->objs, &c->objs[out], len * sizeof(void *));
	}
	c->objs[len] = ele;
	atomic_store_explicit(&c->len, len + 1, memory_order_relaxed);
}

void
spdk_mempool_put(struct spdk_mempool *mp, void *ele)
{
	struct mempool_cache *c;

	if (spdk_unlikely(!mempool_check_ele(mp, ele))) {
		return;
	}
	c = mempool_cache_of(mp);
	if (spdk_likely(c != NULL)) {
		uint32_t len = atomic_load_explicit(&c->len, memory_order_relaxed);

		if (spdk_likely(len < c->cap)) {
			c->objs[len] = ele;
			atomic_store_explicit(&c->len, len + 1, memory_order_relaxed);
			return;
		}
	}
	mempool_put_slow(mp, c, ele);
}

int
spdk_mempool_get_bulk(struct spdk_mempool *mp, void **ele_arr, size_t count)
{
	struct mempool_cache *c;
	uint32_t len = 0, from_stack, refill;
	size_t i;

	if (count == 0) {
		return 0;
	}
	if (ele_arr == NULL) {
		SPDK_ERRLOG("mempool %s: ele_arr is NULL\n", mp->name);
		return -EINVAL;
	}
	c = mempool_cache_of(mp);
	if (c == NULL) {
		c = mempool_cache_create(mp);
	}
	if (c != NULL) {
		len = atomic_load_explicit(&c->len, memory_order_relaxed);
		if (spdk_likely(count <= len)) {
			for (i = 0; i < count; i++) {
				ele_arr[i] = c->objs[len - 1 - i];
			}
			atomic_store_explicit(&c->len, len - (uint32_t)count, memory_order_relaxed);
			return 0;
		}
	}

	pthread_mutex_lock(&mp->lock);
	if (count > (size_t)len + mp->avail) {
		pthread_mutex_unlock(&mp->lock);
		return -ENOENT;
	}
	/* All of the cache, then the rest from the stack; then refill the cache. */
	for (i = 0; i < len; i++) {
		ele_arr[i] = c->objs[len - 1 - i];
	}
	from_stack = (uint32_t)(count - len);
	for (i = 0; i < from_stack; i++) {
		ele_arr[len + i] = mp->stack[mp->avail - 1 - i];
	}
	mp->avail -= from_stack;
	if (c != NULL) {
		refill = mempool_batch(c);
		if (refill > mp->avail) {
			refill = mp->avail;
		}
		mp->avail -= refill;
		memcpy(c->objs, &mp->stack[mp->avail], refill * sizeof(void *));
		atomic_store_explicit(&c->len, refill, memory_order_relaxed);
	}
	pthread_mutex_unlock(&mp->lock);
	return 0;
}

void
spdk_mempool_put_bulk(struct spdk_mempool *mp, void **ele_arr, size_t count)
{
	struct mempool_cache *c;
	uint32_t len, n = 0;
	size_t i = 0;
	void *batch[64];

	if (count == 0) {
		return;
	}
	if (ele_arr == NULL) {
		SPDK_ERRLOG("mempool %s: ele_arr is NULL\n", mp->name);
		return;
	}
	c = mempool_cache_of(mp);
	if (c == NULL) {
		c = mempool_cache_create(mp);
	}
	if (c != NULL) {
		len = atomic_load_explicit(&c->len, memory_order_relaxed);
		for (; i < count && len < c->cap; i++) {
			if (mempool_check_ele(mp, ele_arr[i])) {
				c->objs[len++] = ele_arr[i];
			}
		}
		atomic_store_explicit(&c->len, len, memory_order_relaxed);
	}
	if (i == count) {
		return;
	}

	/* What the cache cannot hold goes to the stack, under one lock. */
	pthread_mutex_lock(&mp->lock);
	for (; i < count; i++) {
		if (!mempool_check_ele(mp, ele_arr[i])) {
			continue;
		}
		batch[n++] = ele_arr[i];
		if (n == sizeof(batch) / sizeof(batch[0])) {
			mempool_push_locked(mp, batch, n);
			n = 0;
		}
	}
	mempool_push_locked(mp, batch, n);
	pthread_mutex_unlock(&mp->lock);
}

size_t
spdk_mempool_count(const struct spdk_mempool *pool)
{
	/* The lock is not part of the pool's value; taking it does not change the pool. */
	struct spdk_mempool *mp = (struct spdk_mempool *)pool;
	struct mempool_cache *c;
	size_t n;

	pthread_mutex_lock(&mp->lock);
	n = mp->avail;
	TAILQ_FOREACH (c, &mp->caches, mp_link) {
		n += atomic_load_explicit(&c->len, memory_order_relaxed);
	}
	pthread_mutex_unlock(&mp->lock);
	return n;
}

/* Takes a free slot; called with g_mempool_lock held. Returns -ENOMEM when the table cannot grow. */
static int
mempool_slot_alloc_locked(uint32_t *slot)
{
	uint32_t i, n;
	bool *used;

	for (i = 0; i < g_slot_cap; i++) {
		if (!g_slot_used[i]) {
			g_slot_used[i] = true;
			*slot = i;
			return 0;
		}
	}
	n = g_slot_cap ? g_slot_cap * 2 : 16;
	used = realloc(g_slot_used, n * sizeof(*used));
	if (used == NULL) {
		return -ENOMEM;
	}
	memset(&used[g_slot_cap], 0, (n - g_slot_cap) * sizeof(*used));
	g_slot_used = used;
	*slot = g_slot_cap;
	g_slot_used[g_slot_cap] = true;
	g_slot_cap = n;
	return 0;
}

static struct spdk_mempool *
mempool_lookup_locked(const char *name)
{
	struct spdk_mempool *mp;

	TAILQ_FOREACH (mp, &g_mempools, link) {
		if (strcmp(mp->name, name) == 0) {
			return mp;
		}
	}
	return NULL;
}

static uint32_t
mempool_cache_size(size_t count, size_t cache_size)
{
	if (cache_size == SPDK_MEMPOOL_DEFAULT_CACHE_SIZE) {
		uint32_t cores = spdk_env_get_core_count();

		cache_size = count / (2 * (size_t)(cores ? cores : 1));
		if (cache_size > MEMPOOL_DEFAULT_CACHE_MAX) {
			cache_size = MEMPOOL_DEFAULT_CACHE_MAX;
		}
	}
	if (cache_size > count) {
		cache_size = count;
	}
	return (uint32_t)cache_size;
}

struct spdk_mempool *
spdk_mempool_create_ctor(const char *name, size_t count, size_t ele_size, size_t cache_size,
			 int numa_id, spdk_mempool_obj_cb_t *obj_init, void *obj_init_arg)
{
	struct spdk_mempool *mp;
	size_t stride, i;
	int rc;

	if (name == NULL || name[0] == '\0') {
		SPDK_ERRLOG("mempool name is NULL or empty\n");
		return NULL;
	}
	if (count == 0 || count > UINT32_MAX) {
		SPDK_ERRLOG("mempool %s: count %zu is out of range (1 to %" PRIu32 ")\n", name,
			    count, UINT32_MAX);
		return NULL;
	}
	if (ele_size == 0 || ele_size > SIZE_MAX - SPDK_CACHE_LINE_SIZE) {
		SPDK_ERRLOG("mempool %s: ele_size %zu is out of range\n", name, ele_size);
		return NULL;
	}
	stride = (ele_size + SPDK_CACHE_LINE_SIZE - 1) & ~(size_t)(SPDK_CACHE_LINE_SIZE - 1);
	if (stride > SIZE_MAX / count) {
		SPDK_ERRLOG("mempool %s: %zu elements of %zu bytes overflow the address space\n",
			    name, count, ele_size);
		return NULL;
	}

	mp = aligned_alloc(_Alignof(struct spdk_mempool), sizeof(*mp));
	if (mp == NULL) {
		SPDK_ERRLOG("mempool %s: cannot allocate the pool\n", name);
		return NULL;
	}
	memset(mp, 0, sizeof(*mp));
	mp->count = (uint32_t)count;
	mp->ele_size = ele_size;
	mp->stride = stride;
	mp->cache_size = mempool_cache_size(count, cache_size);
	TAILQ_INIT(&mp->caches);
	mp->name = strdup(name);
	mp->stack = calloc(count, sizeof(*mp->stack));
	mp->elts =
		spdk_zmalloc(stride * count, SPDK_CACHE_LINE_SIZE, NULL, numa_id, SPDK_MALLOC_DMA);
	if (mp->name == NULL || mp->stack == NULL || mp->elts == NULL) {
		SPDK_ERRLOG("mempool %s: cannot allocate %zu elements of %zu bytes\n", name, count,
			    ele_size);
		goto err_alloc;
	}
	rc = pthread_mutex_init(&mp->lock, NULL);
	if (rc != 0) {
		SPDK_ERRLOG("mempool %s: cannot create its mutex: %s\n", name, strerror(rc));
		goto err_alloc;
	}
	mp->elts_end = mp->elts + stride * count;

	/* Element 0 on top, so a fresh pool hands out elements in index order. */
	for (i = 0; i < count; i++) {
		mp->stack[i] = mp->elts + (count - 1 - i) * stride;
	}
	mp->avail = (uint32_t)count;
	if (obj_init != NULL) {
		for (i = 0; i < count; i++) {
			obj_init(mp, obj_init_arg, mp->elts + i * stride, (unsigned)i);
		}
	}

	pthread_mutex_lock(&g_mempool_lock);
	if (mempool_lookup_locked(name) != NULL) {
		pthread_mutex_unlock(&g_mempool_lock);
		SPDK_ERRLOG("a mempool named %s already exists\n", name);
		goto err_registered;
	}
	rc = mempool_slot_alloc_locked(&mp->slot);
	if (rc != 0) {
		pthread_mutex_unlock(&g_mempool_lock);
		SPDK_ERRLOG("mempool %s: cannot allocate a cache slot\n", name);
		goto err_registered;
	}
	TAILQ_INSERT_TAIL(&g_mempools, mp, link);
	pthread_mutex_unlock(&g_mempool_lock);
	return mp;

err_registered:
	pthread_mutex_destroy(&mp->lock);
err_alloc:
	spdk_free(mp->elts);
	free(mp->stack);
	free(mp->name);
	free(mp);
	return NULL;
}

struct spdk_mempool *
spdk_mempool_create(const char *name, size_t count, size_t ele_size, size_t cache_size, int numa_id)
{
	return spdk_mempool_create_ctor(name, count, ele_size, cache_size, numa_id, NULL, NULL);
}

char *
spdk_mempool_get_name(struct spdk_mempool *mp)
{
	return mp->name;
}

void
spdk_mempool_free(struct spdk_mempool *mp)
{
	struct mempool_cache *c;
	size_t free_count;

	if (mp == NULL) {
		return;
	}

	pthread_mutex_lock(&g_mempool_lock);
	TAILQ_REMOVE(&g_mempools, mp, link);
	pthread_mutex_lock(&mp->lock);
	free_count = mp->avail;
	while ((c = TAILQ_FIRST(&mp->caches)) != NULL) {
		free_count += atomic_load_explicit(&c->len, memory_order_relaxed);
		TAILQ_REMOVE(&mp->caches, c, mp_link);
		LIST_REMOVE(c, tls_link);
		c->owner->slots[mp->slot] = NULL;
		free(c);
	}
	pthread_mutex_unlock(&mp->lock);
	g_slot_used[mp->slot] = false;
	pthread_mutex_unlock(&g_mempool_lock);

	if (free_count != mp->count) {
		SPDK_ERRLOG("mempool %s freed with %zu of %" PRIu32 " elements still in use\n",
			    mp->name, (size_t)mp->count - free_count, mp->count);
	}
	pthread_mutex_destroy(&mp->lock);
	spdk_free(mp->elts);
	free(mp->stack);
	free(mp->name);
	free(mp);
}

struct spdk_mempool *
spdk_mempool_lookup(const char *name)
{
	struct spdk_mempool *mp;

	if (name == NULL) {
		return NULL;
	}
	pthread_mutex_lock(&g_mempool_lock);
	mp = mempool_lookup_locked(name);
	pthread_mutex_unlock(&g_mempool_lock);
	return mp;
}

uint32_t
spdk_mempool_obj_iter(struct spdk_mempool *mp, spdk_mempool_obj_cb_t obj_cb, void *obj_cb_arg)
{
	uint32_t i;

	if (obj_cb == NULL) {
		SPDK_ERRLOG("mempool %s: obj_cb is NULL\n", mp->name);
		return 0;
	}
	for (i = 0; i < mp->count; i++) {
		obj_cb(mp, obj_cb_arg, mp->elts + (size_t)i * mp->stride, i);
	}
	return mp->count;
}

uint32_t
spdk_mempool_mem_iter(struct spdk_mempool *mp, spdk_mempool_mem_cb_t mem_cb, void *mem_cb_arg)
{
	if (mem_cb == NULL) {
		SPDK_ERRLOG("mempool %s: mem_cb is NULL\n", mp->name);
		return 0;
	}
	mem_cb(mp, mem_cb_arg, mp->elts, (uint64_t)(uintptr_t)mp->elts,
	       (size_t)(mp->elts_end - mp->elts), 0);
	return 1;
}
