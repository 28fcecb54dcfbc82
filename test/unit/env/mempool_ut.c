/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Unit tests of lib/env/mempool.c: creation and lookup, get and put singly
 * and in bulk, exhaustion, counting across caches, constructors and
 * iteration, and the per-pthread caches: that they are flushed back when a
 * pthread exits and when the pool is freed. The cache tests need real
 * pthreads, since the caches belong to pthreads.
 */

#include "spdk/stdinc.h"
#include "env/mempool.c"

#include <setjmp.h>
#include <cmocka.h>

#include "log_capture.h"

static bool
is_cache_aligned(const void *p)
{
	return ((uintptr_t)p & (SPDK_CACHE_LINE_SIZE - 1)) == 0;
}

static void
create_refuses_bad_arguments(void **state)
{
	struct spdk_mempool *mp;

	cap_start();
	assert_null(spdk_mempool_create(NULL, 10, 8, 0, SPDK_ENV_NUMA_ID_ANY));
	assert_true(cap_last_has("name"));
	assert_null(spdk_mempool_create("", 10, 8, 0, SPDK_ENV_NUMA_ID_ANY));
	assert_null(spdk_mempool_create("ut_bad", 0, 8, 0, SPDK_ENV_NUMA_ID_ANY));
	assert_true(cap_last_has("count 0"));
	assert_null(spdk_mempool_create("ut_bad", 10, 0, 0, SPDK_ENV_NUMA_ID_ANY));
	assert_true(cap_last_has("ele_size 0"));
	assert_null(spdk_mempool_create("ut_bad", SIZE_MAX / 2, 64, 0, SPDK_ENV_NUMA_ID_ANY));
	assert_int_equal(cap_errors(), 5);

	mp = spdk_mempool_create("ut_dup", 4, 8, 0, SPDK_ENV_NUMA_ID_ANY);
	assert_non_null(mp);
	assert_null(spdk_mempool_create("ut_dup", 4, 8, 0, SPDK_ENV_NUMA_ID_ANY));
	assert_int_equal(cap_errors(), 6);
	assert_true(cap_last_has("ut_dup"));
	cap_stop();
	spdk_mempool_free(mp);
}

static void
lookup_finds_pool_by_name_until_freed(void **state)
{
	struct spdk_mempool *a = spdk_mempool_create("ut_a", 8, 16, 4, SPDK_ENV_NUMA_ID_ANY);
	struct spdk_mempool *b = spdk_mempool_create("ut_b", 8, 16, 4, 0);

	assert_non_null(a);
	assert_non_null(b);
	assert_string_equal(spdk_mempool_get_name(a), "ut_a");
	assert_ptr_equal(spdk_mempool_lookup("ut_a"), a);
	assert_ptr_equal(spdk_mempool_lookup("ut_b"), b);
	assert_null(spdk_mempool_lookup("ut_c"));
	assert_null(spdk_mempool_lookup(NULL));
	spdk_mempool_free(a);
	assert_null(spdk_mempool_lookup("ut_a"));
	assert_ptr_equal(spdk_mempool_lookup("ut_b"), b);
	spdk_mempool_free(b);
	spdk_mempool_free(NULL);
}

/* Takes every element one by one, checks them, exhausts the pool, returns them. */
static void
check_get_all_then_put_all(size_t count, size_t ele_size, size_t cache_size)
{
	struct spdk_mempool *mp =
		spdk_mempool_create("ut_all", count, ele_size, cache_size, SPDK_ENV_NUMA_ID_ANY);
	void **objs = calloc(count, sizeof(void *));
	size_t i, j;

	assert_non_null(mp);
	assert_non_null(objs);
	assert_int_equal(spdk_mempool_count(mp), count);
	for (i = 0; i < count; i++) {
		objs[i] = spdk_mempool_get(mp);
		assert_non_null(objs[i]);
		assert_true(is_cache_aligned(objs[i]));
		/* The whole element is usable. */
		memset(objs[i], (int)i, ele_size);
		assert_int_equal(spdk_mempool_count(mp), count - i - 1);
	}
	for (i = 0; i < count; i++) {
		for (j = i + 1; j < count; j++) {
			assert_ptr_not_equal(objs[i], objs[j]);
		}
	}
	assert_null(spdk_mempool_get(mp));
	assert_int_equal(spdk_mempool_count(mp), 0);
	for (i = 0; i < count; i++) {
		spdk_mempool_put(mp, objs[i]);
	}
	assert_int_equal(spdk_mempool_count(mp), count);
	free(objs);
	spdk_mempool_free(mp);
}

static void
get_hands_out_every_element_once_then_null(void **state)
{
	check_get_all_then_put_all(100, 24, 16);
	check_get_all_then_put_all(100, 64, 0);
	check_get_all_then_put_all(1, 1, 1);
	check_get_all_then_put_all(300, 200, SPDK_MEMPOOL_DEFAULT_CACHE_SIZE);
	check_get_all_then_put_all(50, 8, 1000);
}

static void
fresh_pool_hands_out_elements_in_index_order(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_order", 10, 100, 4, 0);
	char *first, *second;

	assert_non_null(mp);
	first = spdk_mempool_get(mp);
	second = spdk_mempool_get(mp);
	assert_ptr_equal(first, mp->elts);
	assert_ptr_equal(second, mp->elts + mp->stride);
	assert_int_equal(mp->stride, 128);
	spdk_mempool_put(mp, first);
	spdk_mempool_put(mp, second);
	spdk_mempool_free(mp);
}

static void
get_bulk_is_all_or_nothing(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_bulk", 100, 32, 16, 0);
	void *a[100], *b[100], *c[100];

	assert_non_null(mp);
	assert_int_equal(spdk_mempool_get_bulk(mp, a, 60), 0);
	assert_int_equal(spdk_mempool_count(mp), 40);
	assert_int_equal(spdk_mempool_get_bulk(mp, b, 41), -ENOENT);
	assert_int_equal(spdk_mempool_count(mp), 40);
	assert_int_equal(spdk_mempool_get_bulk(mp, b, 0), 0);
	assert_int_equal(spdk_mempool_get_bulk(mp, b, 40), 0);
	assert_int_equal(spdk_mempool_count(mp), 0);
	assert_int_equal(spdk_mempool_get_bulk(mp, c, 1), -ENOENT);
	assert_null(spdk_mempool_get(mp));

	cap_start();
	assert_int_equal(spdk_mempool_get_bulk(mp, NULL, 1), -EINVAL);
	assert_int_equal(cap_errors(), 1);
	cap_stop();

	spdk_mempool_put_bulk(mp, a, 60);
	assert_int_equal(spdk_mempool_count(mp), 60);
	spdk_mempool_put_bulk(mp, b, 40);
	assert_int_equal(spdk_mempool_count(mp), 100);
	/* Everything can be taken again in one go. */
	assert_int_equal(spdk_mempool_get_bulk(mp, c, 100), 0);
	spdk_mempool_put_bulk(mp, c, 100);
	spdk_mempool_put_bulk(mp, c, 0);
	assert_int_equal(spdk_mempool_count(mp), 100);
	spdk_mempool_free(mp);
}

static void
bulk_and_single_calls_mix_on_a_pool_without_cache(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_nocache", 10, 8, 0, 0);
	void *a[10];
	void *one;

	assert_non_null(mp);
	assert_int_equal(mp->cache_size, 0);
	assert_int_equal(spdk_mempool_get_bulk(mp, a, 9), 0);
	one = spdk_mempool_get(mp);
	assert_non_null(one);
	assert_null(spdk_mempool_get(mp));
	spdk_mempool_put(mp, one);
	spdk_mempool_put_bulk(mp, a, 9);
	assert_int_equal(spdk_mempool_count(mp), 10);
	assert_int_equal(mp->avail, 10);
	spdk_mempool_free(mp);
}

static void
default_cache_size_depends_on_count_and_cores(void **state)
{
	uint32_t cores = spdk_env_get_core_count();
	struct spdk_mempool *big =
		spdk_mempool_create("ut_big", 1000000, 8, SPDK_MEMPOOL_DEFAULT_CACHE_SIZE, 0);
	struct spdk_mempool *small =
		spdk_mempool_create("ut_small", 64, 8, SPDK_MEMPOOL_DEFAULT_CACHE_SIZE, 0);
	struct spdk_mempool *clamped = spdk_mempool_create("ut_clamped", 64, 8, 100000, 0);

	assert_non_null(big);
	assert_non_null(small);
	assert_non_null(clamped);
	assert_int_equal(big->cache_size, MEMPOOL_DEFAULT_CACHE_MAX);
	assert_int_equal(small->cache_size, 64 / (2 * cores) > 512 ? 512 : 64 / (2 * cores));
	assert_int_equal(clamped->cache_size, 64);
	spdk_mempool_free(big);
	spdk_mempool_free(small);
	spdk_mempool_free(clamped);
}

static void
put_beyond_cache_capacity_flushes_to_shared_pool(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_flush", 64, 8, 8, 0);
	void *objs[64];
	struct mempool_cache *c;
	size_t i;

	assert_non_null(mp);
	assert_int_equal(spdk_mempool_get_bulk(mp, objs, 64), 0);
	for (i = 0; i < 64; i++) {
		spdk_mempool_put(mp, objs[i]);
		c = mempool_cache_of(mp);
		assert_non_null(c);
		assert_true(atomic_load(&c->len) <= 8);
	}
	assert_int_equal(spdk_mempool_count(mp), 64);
	c = mempool_cache_of(mp);
	assert_int_equal(mp->avail + atomic_load(&c->len), 64);
	spdk_mempool_free(mp);
}

struct ctor_record {
	unsigned calls;
	unsigned next_idx;
	bool in_order;
	struct spdk_mempool *mp;
};

static void
record_obj(struct spdk_mempool *mp, void *opaque, void *obj, unsigned idx)
{
	struct ctor_record *rec = opaque;

	if (idx != rec->next_idx || !is_cache_aligned(obj)) {
		rec->in_order = false;
	}
	rec->next_idx++;
	rec->calls++;
	rec->mp = mp;
	*(unsigned *)obj = idx + 1000;
}

static void
record_mem(struct spdk_mempool *mp, void *opaque, void *addr, uint64_t iova, size_t len,
	   unsigned idx)
{
	size_t *total = opaque;

	*total += len;
	assert_int_equal(iova, (uint64_t)(uintptr_t)addr);
	assert_int_equal(idx, 0);
}

static void
ctor_and_iterators_visit_every_element_in_order(void **state)
{
	struct ctor_record rec = {.in_order = true};
	struct ctor_record iter = {.in_order = true};
	struct spdk_mempool *mp;
	unsigned *obj;
	size_t mem_total = 0;

	mp = spdk_mempool_create_ctor("ut_ctor", 37, 20, 4, 0, record_obj, &rec);
	assert_non_null(mp);
	assert_int_equal(rec.calls, 37);
	assert_true(rec.in_order);
	assert_ptr_equal(rec.mp, mp);
	obj = spdk_mempool_get(mp);
	assert_int_equal(*obj, 1000);
	spdk_mempool_put(mp, obj);

	assert_int_equal(spdk_mempool_obj_iter(mp, record_obj, &iter), 37);
	assert_int_equal(iter.calls, 37);
	assert_true(iter.in_order);

	assert_int_equal(spdk_mempool_mem_iter(mp, record_mem, &mem_total), 1);
	assert_true(mem_total >= 37 * 20);
	spdk_mempool_free(mp);
}

static void
put_of_foreign_pointer_is_refused(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_foreign", 4, 8, 2, 0);
	char local[64];

	assert_non_null(mp);
	cap_start();
	spdk_mempool_put(mp, local);
	assert_int_equal(cap_errors(), 1);
	assert_true(cap_last_has("not an element"));
	assert_int_equal(spdk_mempool_count(mp), 4);
	cap_stop();
	spdk_mempool_free(mp);
}

static void
free_with_elements_out_logs_one_error(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_leak", 8, 8, 2, 0);
	void *obj;

	assert_non_null(mp);
	obj = spdk_mempool_get(mp);
	assert_non_null(obj);
	cap_start();
	spdk_mempool_free(mp);
	assert_int_equal(cap_errors(), 1);
	assert_true(cap_last_has("1 of 8"));
	cap_stop();
}

/* Takes n elements and puts them back, so they end up in this pthread's cache. */
struct cycle_args {
	struct spdk_mempool *mp;
	unsigned n;
	size_t count_inside;
	size_t cached_inside;
	bool ok;
};

static void *
cycle_elements(void *arg)
{
	struct cycle_args *a = arg;
	void *objs[16];
	struct mempool_cache *c;
	unsigned i;

	a->ok = true;
	for (i = 0; i < a->n; i++) {
		objs[i] = spdk_mempool_get(a->mp);
		a->ok = a->ok && objs[i] != NULL;
	}
	for (i = 0; i < a->n; i++) {
		spdk_mempool_put(a->mp, objs[i]);
	}
	c = mempool_cache_of(a->mp);
	a->cached_inside = c ? atomic_load(&c->len) : 0;
	a->count_inside = spdk_mempool_count(a->mp);
	return NULL;
}

static void
cache_is_flushed_back_when_pthread_exits(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_exit", 64, 16, 32, 0);
	struct cycle_args args = {.mp = mp, .n = 10};
	void *all[64];
	pthread_t t;

	assert_non_null(mp);
	assert_int_equal(pthread_create(&t, NULL, cycle_elements, &args), 0);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(args.ok);
	/* While the pthread lived, its cache held elements and they were counted. */
	assert_true(args.cached_inside > 0);
	assert_int_equal(args.count_inside, 64);
	/* After it exited, they are back in the shared pool and no cache is left. */
	assert_int_equal(mp->avail, 64);
	assert_true(TAILQ_EMPTY(&mp->caches));
	assert_int_equal(spdk_mempool_get_bulk(mp, all, 64), 0);
	spdk_mempool_put_bulk(mp, all, 64);
	spdk_mempool_free(mp);
}

/* A pthread that fills a cache, waits while the pool is freed, then uses a new pool. */
struct survivor_args {
	struct spdk_mempool *mp;
	pthread_barrier_t *barrier;
	bool ok;
};

static void *
survivor(void *arg)
{
	struct survivor_args *a = arg;
	struct spdk_mempool *mp2;
	void *obj;

	obj = spdk_mempool_get(a->mp);
	spdk_mempool_put(a->mp, obj);
	pthread_barrier_wait(a->barrier);
	/* The main thread frees a->mp here. */
	pthread_barrier_wait(a->barrier);

	/* The new pool takes the freed slot; this pthread must not see the old cache. */
	mp2 = spdk_mempool_create("ut_survivor2", 16, 8, 8, 0);
	a->ok = mp2 != NULL && mempool_cache_of(mp2) == NULL;
	if (mp2 != NULL) {
		obj = spdk_mempool_get(mp2);
		a->ok = a->ok && obj != NULL && mempool_owns(mp2, obj);
		spdk_mempool_put(mp2, obj);
		a->ok = a->ok && spdk_mempool_count(mp2) == 16;
		spdk_mempool_free(mp2);
	}
	return NULL;
}

static void
free_releases_caches_of_live_pthreads(void **state)
{
	struct spdk_mempool *mp = spdk_mempool_create("ut_survivor", 16, 8, 8, 0);
	pthread_barrier_t barrier;
	struct survivor_args args = {.mp = mp, .barrier = &barrier};
	pthread_t t;

	assert_non_null(mp);
	assert_int_equal(pthread_barrier_init(&barrier, NULL, 2), 0);
	assert_int_equal(pthread_create(&t, NULL, survivor, &args), 0);
	pthread_barrier_wait(&barrier);
	assert_false(TAILQ_EMPTY(&mp->caches));
	cap_start();
	spdk_mempool_free(mp);
	assert_int_equal(cap_errors(), 0);
	cap_stop();
	pthread_barrier_wait(&barrier);
	assert_int_equal(pthread_join(t, NULL), 0);
	assert_true(args.ok);
	pthread_barrier_destroy(&barrier);
}

#define STRESS_THREADS 4
#define STRESS_ROUNDS 20000
#define STRESS_HOLD 5

struct stress_args {
	struct spdk_mempool *mp;
	unsigned id;
	unsigned failures;
};

/* Each pthread stamps the elements it holds with its id and checks the stamp
 * before giving them back: two holders of one element would clobber it. */
static void *
stress_thread(void *arg)
{
	struct stress_args *a = arg;
	void *held[STRESS_HOLD];
	unsigned r, i;

	for (r = 0; r < STRESS_ROUNDS; r++) {
		unsigned n = 1 + r % STRESS_HOLD;

		if (r % 3 == 0) {
			if (spdk_mempool_get_bulk(a->mp, held, n) != 0) {
				continue;
			}
		} else {
			for (i = 0; i < n; i++) {
				held[i] = spdk_mempool_get(a->mp);
				if (held[i] == NULL) {
					break;
				}
			}
			n = i;
		}
		for (i = 0; i < n; i++) {
			*(unsigned *)held[i] = a->id;
		}
		for (i = 0; i < n; i++) {
			if (*(unsigned *)held[i] != a->id) {
				a->failures++;
			}
		}
		if (r % 2 == 0) {
			spdk_mempool_put_bulk(a->mp, held, n);
		} else {
			for (i = 0; i < n; i++) {
				spdk_mempool_put(a->mp, held[i]);
			}
		}
	}
	return NULL;
}

static void
concurrent_gets_and_puts_never_share_an_element(void **state)
{
	/* A small pool and small caches, so refills and flushes happen often. */
	struct spdk_mempool *mp = spdk_mempool_create("ut_stress", 48, 16, 6, 0);
	struct stress_args args[STRESS_THREADS];
	pthread_t t[STRESS_THREADS];
	unsigned i;

	assert_non_null(mp);
	for (i = 0; i < STRESS_THREADS; i++) {
		args[i] = (struct stress_args){.mp = mp, .id = i + 1};
		assert_int_equal(pthread_create(&t[i], NULL, stress_thread, &args[i]), 0);
	}
	/* Counting while the others work reads their caches' lengths. */
	for (i = 0; i < 1000; i++) {
		assert_true(spdk_mempool_count(mp) <= 48);
	}
	for (i = 0; i < STRESS_THREADS; i++) {
		assert_int_equal(pthread_join(t[i], NULL), 0);
		assert_int_equal(args[i].failures, 0);
	}
	assert_int_equal(spdk_mempool_count(mp), 48);
	assert_int_equal(mp->avail, 48);
	cap_start();
	spdk_mempool_free(mp);
	assert_int_equal(cap_errors(), 0);
	cap_stop();
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(create_refuses_bad_arguments),
		cmocka_unit_test(lookup_finds_pool_by_name_until_freed),
		cmocka_unit_test(get_hands_out_every_element_once_then_null),
		cmocka_unit_test(fresh_pool_hands_out_elements_in_index_order),
		cmocka_unit_test(get_bulk_is_all_or_nothing),
		cmocka_unit_test(bulk_and_single_calls_mix_on_a_pool_without_cache),
		cmocka_unit_test(default_cache_size_depends_on_count_and_cores),
		cmocka_unit_test(put_beyond_cache_capacity_flushes_to_shared_pool),
		cmocka_unit_test(ctor_and_iterators_visit_every_element_in_order),
		cmocka_unit_test(put_of_foreign_pointer_is_refused),
		cmocka_unit_test(free_with_elements_out_logs_one_error),
		cmocka_unit_test(cache_is_flushed_back_when_pthread_exits),
		cmocka_unit_test(free_releases_caches_of_live_pthreads),
		cmocka_unit_test(concurrent_gets_and_puts_never_share_an_element),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
