/* timemath.c - exact VMClock time arithmetic (spec section 1, "Time from a
 * page"; clauses R-TIME-EXACT, R-TIME-SHIFT, R-ERR-BOUND).
 *
 * The suite judges readers against these functions, so they must be exact
 * for every input: no floating point, no undefined shifts, no silent wrap
 * except where the ABI itself wraps (delta and seconds are mod 2^64). */
#include "timemath.h"
#include "timemath_inline.h"

#include <stddef.h>

typedef vmclock_tm_u128 u128;

#define NS_PER_SEC 1000000000u

struct vmclock_tm_time vmclock_tm_at(uint64_t time_sec, uint64_t time_frac,
                                     uint64_t counter_value, uint64_t period,
                                     unsigned shift, uint64_t c)
{
	return vmclock_tm_at_inline(time_sec, time_frac, counter_value, period, shift, c);
}

uint32_t vmclock_tm_nsec_floor(uint64_t frac)
{
	return vmclock_tm_nsec_floor_inline(frac);
}

uint32_t vmclock_tm_nsec_nearest(uint64_t frac, unsigned *carry)
{
	/* Adding half a ns (2^63 in units of 2^-64 ns) before flooring rounds
	 * ties up. The result can reach 10^9 when frac is within half a ns of
	 * the next second: report that as a carry into the seconds. */
	uint64_t ns = (uint64_t)((((u128)frac * NS_PER_SEC) + ((u128)1 << 63)) >> 64);
	unsigned cy = 0;
	if (ns >= NS_PER_SEC) {
		ns = 0;
		cy = 1;
	}
	/* NULL is tolerated for callers that only want the ns (they must then
	 * not use a 0 result without knowing the carry). */
	if (carry)
		*carry = cy;
	return (uint32_t)ns;
}

uint64_t vmclock_tm_error_ns(uint64_t base_ns, uint64_t rate, unsigned shift, uint64_t delta)
{
	uint64_t fast;
	/* The common case on a live page (timemath_inline.h); test_timemath
	 * checks both paths against GMP. */
	if (vmclock_tm_error_ns_fast(base_ns, rate, shift, delta, &fast))
		return fast;
	/* N = delta * rate * 10^9 is up to 158 bits: keep it in three 64-bit
	 * limbs n[0] (low) .. n[2] (high). */
	u128 p = (u128)delta * rate;
	u128 lo = (u128)(uint64_t)p * NS_PER_SEC;
	u128 hi = (u128)(uint64_t)(p >> 64) * NS_PER_SEC;
	uint64_t n[3];
	n[0] = (uint64_t)lo;
	u128 mid = (lo >> 64) + (uint64_t)hi;
	n[1] = (uint64_t)mid;
	n[2] = (uint64_t)(hi >> 64) + (uint64_t)(mid >> 64); /* < 2^30: no wrap */

	/* ceil(N / 2^k), k = 64 + shift in 64..319. */
	unsigned k = 64u + shift;
	unsigned w = k / 64, b = k % 64;
	int rem = 0;
	/* Bits below k: whole limbs below w, then the low b bits of limb w. */
	for (unsigned i = 0; i < w && i < 3; i++)
		rem |= n[i] != 0;
	if (w < 3 && b != 0)
		rem |= (n[w] & ((UINT64_C(1) << b) - 1)) != 0;
	/* k >= 64 so w >= 1: the quotient q = N >> k fits two limbs (q0, q1);
	 * any bit in q1 means q >= 2^64. */
	uint64_t q0 = 0, q1 = 0;
	if (w < 3) {
		q0 = n[w] >> b;
		if (b != 0 && w + 1 < 3)
			q0 |= n[w + 1] << (64 - b);
		if (w + 1 < 3)
			q1 = n[w + 1] >> b; /* w == 1: n[2] is the top limb */
	}
	/* R-ERR-BOUND: a bound must never be understated, so saturate rather
	 * than wrap at every step. */
	if (q1 != 0)
		return UINT64_MAX;
	if (rem) {
		if (q0 == UINT64_MAX)
			return UINT64_MAX;
		q0++;
	}
	if (q0 > UINT64_MAX - base_ns)
		return UINT64_MAX;
	return base_ns + q0;
}
