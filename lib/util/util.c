/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright (C) 2026 the updk authors.
 */

/*
 * The out-of-line part of spdk/util.h: copying and walking iovec arrays, and seeding the
 * xorshift generator. The inline helpers live in the header.
 */

#include "spdk/stdinc.h"

#include "spdk/util.h"

uint64_t
spdk_rand_xorshift64_seed(void)
{
	static uint64_t counter;
	struct timespec ts;
	uint64_t z;

	/* splitmix64 over the time and a call counter: distinct per call, never 0 after the fixup. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	z = (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
	z += __atomic_add_fetch(&counter, 1, __ATOMIC_RELAXED) * 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return z != 0 ? z : 1;
}

void
spdk_iov_one(struct iovec *iov, int *iovcnt, void *buf, size_t buflen)
{
	iov->iov_base = buf;
	iov->iov_len = buflen;
	*iovcnt = 1;
}

void
spdk_iov_memset(struct iovec *iovs, int iovcnt, int c)
{
	for (int i = 0; i < iovcnt; i++) {
		if (iovs[i].iov_len > 0) {
			memset(iovs[i].iov_base, c, iovs[i].iov_len);
		}
	}
}

/* Moves to the next non-empty element, or marks the array exhausted (iov_len 0). */
static void
ioviter_load(struct spdk_single_ioviter *it)
{
	while (it->idx < it->iovcnt && it->iov[it->idx].iov_len == 0) {
		it->idx++;
	}
	if (it->idx < it->iovcnt) {
		it->iov_base = it->iov[it->idx].iov_base;
		it->iov_len = it->iov[it->idx].iov_len;
	} else {
		it->iov_base = NULL;
		it->iov_len = 0;
	}
}

size_t
spdk_ioviter_firstv(struct spdk_ioviter *iter, uint32_t count, struct iovec **iov, size_t *iovcnt,
		    void **out)
{
	iter->count = count;
	for (uint32_t i = 0; i < count; i++) {
		struct spdk_single_ioviter *it = &iter->iters[i];

		it->iov = iov[i];
		it->iovcnt = iovcnt[i];
		it->idx = 0;
		ioviter_load(it);
	}
	return spdk_ioviter_nextv(iter, out);
}

size_t
spdk_ioviter_nextv(struct spdk_ioviter *iter, void **out)
{
	size_t len = SIZE_MAX;
	uint32_t i;

	for (i = 0; i < iter->count; i++) {
		if (iter->iters[i].iov_len == 0) {
			return 0;
		}
		len = spdk_min(len, iter->iters[i].iov_len);
	}
	for (i = 0; i < iter->count; i++) {
		struct spdk_single_ioviter *it = &iter->iters[i];

		out[i] = it->iov_base;
		it->iov_base += len;
		it->iov_len -= len;
		if (it->iov_len == 0) {
			it->idx++;
			ioviter_load(it);
		}
	}
	return len;
}

size_t
spdk_ioviter_first(struct spdk_ioviter *iter, struct iovec *siov, size_t siovcnt,
		   struct iovec *diov, size_t diovcnt, void **src, void **dst)
{
	struct iovec *iovs[2] = {siov, diov};
	size_t iovcnts[2] = {siovcnt, diovcnt};
	void *out[2] = {NULL, NULL};
	size_t len;

	len = spdk_ioviter_firstv(iter, 2, iovs, iovcnts, out);
	*src = out[0];
	*dst = out[1];
	return len;
}

size_t
spdk_ioviter_next(struct spdk_ioviter *iter, void **src, void **dst)
{
	void *out[2] = {NULL, NULL};
	size_t len;

	len = spdk_ioviter_nextv(iter, out);
	*src = out[0];
	*dst = out[1];
	return len;
}

static size_t
iov_copy(struct iovec *siov, size_t siovcnt, struct iovec *diov, size_t diovcnt, bool overlap)
{
	struct spdk_ioviter iter;
	void *src, *dst;
	size_t len, total = 0;

	for (len = spdk_ioviter_first(&iter, siov, siovcnt, diov, diovcnt, &src, &dst); len > 0;
	     len = spdk_ioviter_next(&iter, &src, &dst)) {
		if (overlap) {
			memmove(dst, src, len);
		} else {
			memcpy(dst, src, len);
		}
		total += len;
	}
	return total;
}

size_t
spdk_iovcpy(struct iovec *siov, size_t siovcnt, struct iovec *diov, size_t diovcnt)
{
	return iov_copy(siov, siovcnt, diov, diovcnt, false);
}

size_t
spdk_iovmove(struct iovec *siov, size_t siovcnt, struct iovec *diov, size_t diovcnt)
{
	return iov_copy(siov, siovcnt, diov, diovcnt, true);
}

void
spdk_iov_xfer_init(struct spdk_iov_xfer *ix, struct iovec *iovs, int iovcnt)
{
	ix->iovs = iovs;
	ix->iovcnt = iovcnt;
	ix->cur_iov_idx = 0;
	ix->cur_iov_offset = 0;
}

/* Copies between buf and the array at ix's position; to_iovs picks the direction. */
static size_t
iov_xfer(struct spdk_iov_xfer *ix, uint8_t *buf, size_t buf_len, bool to_iovs)
{
	size_t done = 0;

	while (done < buf_len && ix->cur_iov_idx < ix->iovcnt) {
		struct iovec *iov = &ix->iovs[ix->cur_iov_idx];
		size_t n = spdk_min(iov->iov_len - ix->cur_iov_offset, buf_len - done);

		/* Empty elements may have a NULL base, which must not reach memcpy(). */
		if (n > 0) {
			uint8_t *pos = (uint8_t *)iov->iov_base + ix->cur_iov_offset;

			if (to_iovs) {
				memcpy(pos, buf + done, n);
			} else {
				memcpy(buf + done, pos, n);
			}
		}
		done += n;
		ix->cur_iov_offset += n;
		if (ix->cur_iov_offset == iov->iov_len) {
			ix->cur_iov_idx++;
			ix->cur_iov_offset = 0;
		}
	}
	return done;
}

size_t
spdk_iov_xfer_from_buf(struct spdk_iov_xfer *ix, const void *buf, size_t buf_len)
{
	/* The buffer is only read in this direction. */
	return iov_xfer(ix, (uint8_t *)(uintptr_t)buf, buf_len, true);
}

size_t
spdk_iov_xfer_to_buf(struct spdk_iov_xfer *ix, const void *buf, size_t buf_len)
{
	/* SPDK declares the destination const; it is written all the same. */
	return iov_xfer(ix, (uint8_t *)(uintptr_t)buf, buf_len, false);
}

void
spdk_copy_iovs_to_buf(void *buf, size_t buf_len, struct iovec *iovs, int iovcnt)
{
	struct spdk_iov_xfer ix;

	spdk_iov_xfer_init(&ix, iovs, iovcnt);
	spdk_iov_xfer_to_buf(&ix, buf, buf_len);
}

void
spdk_copy_buf_to_iovs(struct iovec *iovs, int iovcnt, void *buf, size_t buf_len)
{
	struct spdk_iov_xfer ix;

	spdk_iov_xfer_init(&ix, iovs, iovcnt);
	spdk_iov_xfer_from_buf(&ix, buf, buf_len);
}
