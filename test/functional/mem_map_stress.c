/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * Multi-pthread stress test of lib/env's memory map (the lock-free lookups
 * the io_uring bdev uses to find registered buffers), meant to run under
 * TSan and ASan. Writer pthreads keep allocating and freeing blocks of 2 MiB
 * and more, and registering and unregistering regions of their own with
 * spdk_mem_register(); every pthread, writers included, keeps looking up
 * the memory it holds. A lookup of a live block or region must always give
 * that block, with the same id for as long as it lives, at an even
 * generation that never goes backwards on one pthread; a lookup of a heap
 * buffer must never give a region; a block freed and allocated again must get
 * a new id. Ends with "N passed, M failed"; exit status 0 when every check
 * passed, 1 otherwise. An optional argument sets the rounds per pthread.
 */

#include "spdk/stdinc.h"
#include "spdk/env.h"
#include "spdk/log.h"
#include "updk_internal/env.h"

#define NUM_WRITERS 3
#define NUM_READERS 2
#define DEFAULT_ROUNDS 3000
#define MIB ((size_t)1024 * 1024)
/* Lookups of the memory a pthread holds, per round. */
#define LOOKUPS_PER_ROUND 50

struct worker {
	pthread_t tid;
	unsigned idx;
	bool writer;
	uint64_t seed;
	uint64_t checks;
	uint64_t failures;
	uint64_t busy;
};

static unsigned g_rounds = DEFAULT_ROUNDS;

#define CHECK(w, cond)                                                                      \
	do {                                                                                \
		(w)->checks++;                                                              \
		if (!(cond)) {                                                              \
			if ((w)->failures++ < 5) {                                          \
				fprintf(stderr, "worker %u: check failed at line %d: %s\n", \
					(w)->idx, __LINE__, #cond);                         \
			}                                                                   \
		}                                                                           \
	} while (0)

static uint64_t
next_rand(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Maps len bytes aligned to 2 MiB. */
static uint8_t *
map_2mib(size_t len)
{
	uint8_t *raw, *p;

	raw = mmap(NULL, len + 2 * MIB, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (raw == MAP_FAILED) {
		return NULL;
	}
	p = (uint8_t *)(((uintptr_t)raw + 2 * MIB - 1) & ~(uintptr_t)(2 * MIB - 1));
	if (p > raw) {
		munmap(raw, (size_t)(p - raw));
	}
	munmap(p + len, (size_t)(raw + len + 2 * MIB - (p + len)));
	return p;
}

/* Looks [buf, buf + len) up again and again while the pthread holds it:
 * always the region [base, base + rlen) of the same id. */
static uint64_t
check_held(struct worker *w, uint8_t *buf, size_t len, uintptr_t base, uintptr_t rlen, uint64_t id,
	   uint64_t *last_gen)
{
	struct updk_mem_region r;
	uint64_t gen;
	int i, rc;

	for (i = 0; i < LOOKUPS_PER_ROUND; i++) {
		size_t off = (size_t)(next_rand(&w->seed) % (len / 4096)) * 4096;

		rc = updk__mem_region_find(buf + off, 4096, &r, &gen);
		if (rc == -EAGAIN) {
			w->busy++;
			continue;
		}
		CHECK(w, rc == 0);
		CHECK(w, r.base == base && r.len == rlen);
		CHECK(w, id == 0 || r.id == id);
		CHECK(w, (gen & 1) == 0 && gen >= *last_gen);
		*last_gen = gen;
		id = r.id;
	}
	return id;
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct updk_mem_region r;
	uint64_t last_gen = 0, gen, id, prev_id = 0;
	uint8_t *heap, *blk, *mine;
	uint8_t *prev_blk = NULL;
	unsigned round;
	size_t len;
	int rc;

	heap = spdk_dma_malloc(64 * 1024, 4096, NULL);
	blk = w->writer ? NULL : spdk_dma_malloc(2 * MIB, 0, NULL);
	if (heap == NULL || (!w->writer && blk == NULL)) {
		w->failures++;
		return NULL;
	}
	for (round = 0; round < g_rounds; round++) {
		if (w->writer) {
			/* A new block, held for one round, then freed. */
			len = (1 + next_rand(&w->seed) % 4) * 2 * MIB + 4096 * (round % 2);
			blk = spdk_dma_malloc(len, 0, NULL);
			CHECK(w, blk != NULL);
			if (blk == NULL) {
				break;
			}
			id = check_held(w, blk, len, (uintptr_t)blk,
					(len + 2 * MIB - 1) & ~(2 * MIB - 1), 0, &last_gen);
			/* Same address as the last block: never the same id. */
			CHECK(w, blk != prev_blk || id != prev_id || id == 0);
			prev_blk = blk;
			prev_id = id;
			spdk_dma_free(blk);
			blk = NULL;
			if (round % 8 == 0) {
				mine = map_2mib(4 * MIB);
				CHECK(w, mine != NULL);
				if (mine == NULL) {
					break;
				}
				CHECK(w, spdk_mem_register(mine, 4 * MIB) == 0);
				check_held(w, mine, 4 * MIB, (uintptr_t)mine, 4 * MIB, 0,
					   &last_gen);
				CHECK(w, spdk_mem_unregister(mine, 4 * MIB) == 0);
				munmap(mine, 4 * MIB);
			}
		} else {
			/* One block held all along. */
			id = check_held(w, blk, 2 * MIB, (uintptr_t)blk, 2 * MIB, prev_id,
					&last_gen);
			prev_id = id;
		}
		rc = updk__mem_region_find(heap, 64 * 1024, &r, &gen);
		CHECK(w, rc == -ENOENT || rc == -EAGAIN);
		CHECK(w, rc == -EAGAIN || (r.id == 0 && (gen & 1) == 0));
	}
	spdk_dma_free(blk);
	spdk_dma_free(heap);
	return NULL;
}

int
main(int argc, char **argv)
{
	struct worker workers[NUM_WRITERS + NUM_READERS] = {};
	uint64_t checks = 0, failures = 0, busy = 0;
	unsigned i;

	if (argc > 1) {
		char *end;
		unsigned long v = strtoul(argv[1], &end, 10);

		if (*end != '\0' || v == 0 || v > 1000000) {
			fprintf(stderr, "usage: %s [rounds per pthread]\n", argv[0]);
			return 1;
		}
		g_rounds = (unsigned)v;
	}
	for (i = 0; i < NUM_WRITERS + NUM_READERS; i++) {
		workers[i].idx = i;
		workers[i].writer = i < NUM_WRITERS;
		workers[i].seed = 0x9e3779b97f4a7c15ULL * (i + 1);
		if (pthread_create(&workers[i].tid, NULL, worker_main, &workers[i]) != 0) {
			fprintf(stderr, "cannot create a pthread\n");
			return 1;
		}
	}
	for (i = 0; i < NUM_WRITERS + NUM_READERS; i++) {
		pthread_join(workers[i].tid, NULL);
		checks += workers[i].checks;
		failures += workers[i].failures;
		busy += workers[i].busy;
	}
	printf("%" PRIu64 " lookups found the map busy\n", busy);
	printf("%" PRIu64 " passed, %" PRIu64 " failed\n", checks - failures, failures);
	return failures == 0 && checks > 0 ? 0 : 1;
}
