/* timemath_inline.h - the hot parts of timemath.c, inline, for the
 * reference reader's read path (reader.c): its every read needs the time,
 * the ns and two error bounds, and four calls into another object cost as
 * much as the arithmetic itself. timemath.c defines the exported functions
 * with these same bodies, so the unit tests that check them against GMP
 * (test_timemath) check this code. Not installed: an implementation detail
 * of libvmclock-ref. */
#ifndef VMCLOCK_TIMEMATH_INLINE_H
#define VMCLOCK_TIMEMATH_INLINE_H

#include "timemath.h"

/* gcc and clang both provide a 128-bit integer on 64-bit targets; the
 * __extension__ keeps -std=c11 (and -pedantic, if ever added) quiet. */
__extension__ typedef unsigned __int128 vmclock_tm_u128;

static inline struct vmclock_tm_time vmclock_tm_at_inline(uint64_t time_sec, uint64_t time_frac,
                                                          uint64_t counter_value, uint64_t period,
                                                          unsigned shift, uint64_t c)
{
	/* The ABI's delta is a 64-bit difference: a counter below counter_value
	 * wraps to a huge delta, as Linux does (R-TIME-NEGDELTA). */
	uint64_t delta = c - counter_value;
	/* R-TIME-EXACT: shift the full 128-bit product, not the period.
	 * R-TIME-SHIFT: the field is 8 bits; a C shift by >= 128 would be UB,
	 * and mathematically the quotient is 0 because the product < 2^128. */
	vmclock_tm_u128 prod = (vmclock_tm_u128)delta * period;
	vmclock_tm_u128 scaled = shift < 128 ? prod >> shift : 0;
	/* No overflow: scaled <= (2^64-1)^2 = 2^128 - 2^65 + 1, and adding
	 * time_frac < 2^64 stays below 2^128 - 2^64. */
	vmclock_tm_u128 x = scaled + time_frac;
	struct vmclock_tm_time t;
	/* The carry of frac past 2^64 adds whole seconds; seconds wrap mod
	 * 2^64 exactly as a 64-bit reader's addition does. */
	t.sec = time_sec + (uint64_t)(x >> 64);
	t.frac = (uint64_t)x;
	return t;
}

static inline uint32_t vmclock_tm_nsec_floor_inline(uint64_t frac)
{
	/* frac * 10^9 < 2^94: exact in 128 bits; the quotient is < 10^9. */
	return (uint32_t)(((vmclock_tm_u128)frac * 1000000000u) >> 64);
}

/* vmclock_tm_error_ns for the common case on a live page (a small delta,
 * shift < 64): the product fits 64 bits, so N = p * 10^9 < 2^94 fits 128
 * bits and ceil(N / 2^(64+shift)) is a shift and a mask. 1 with *out set,
 * or 0: the general code (timemath.c) must do it. */
static inline int vmclock_tm_error_ns_fast(uint64_t base_ns, uint64_t rate, unsigned shift, uint64_t delta,
                                           uint64_t *out)
{
	vmclock_tm_u128 p = (vmclock_tm_u128)delta * rate;
	if ((uint64_t)(p >> 64) || shift >= 64)
		return 0;
	vmclock_tm_u128 n = (vmclock_tm_u128)(uint64_t)p * 1000000000u;
	uint64_t lo = (uint64_t)n, hi = (uint64_t)(n >> 64);   /* hi < 2^30 */
	uint64_t q = (hi >> shift) + (lo != 0 || (hi & ((UINT64_C(1) << shift) - 1)) != 0);
	*out = q > UINT64_MAX - base_ns ? UINT64_MAX : base_ns + q;   /* saturate (R-ERR-BOUND) */
	return 1;
}

static inline uint64_t vmclock_tm_error_ns_inline(uint64_t base_ns, uint64_t rate, unsigned shift, uint64_t delta)
{
	uint64_t e;
	return vmclock_tm_error_ns_fast(base_ns, rate, shift, delta, &e) ? e
	                                                                 : vmclock_tm_error_ns(base_ns, rate, shift, delta);
}

#endif
