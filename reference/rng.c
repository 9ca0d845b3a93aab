/* rng.c - edge-biased 64-bit values for the random tests (rng.h).
 *
 * Uniform 64-bit values almost never hit the places where integer code
 * breaks (carries, 2^k boundaries, all-ones, zero), so every random test
 * draws from this mix instead: about half edges, half random. */
#include "rng.h"

uint64_t vmclock_rng_edgy64(struct vmclock_rng *r)
{
	/* k in 0..63: every bit position is an edge candidate. */
	unsigned k = (unsigned)vmclock_rng_below(r, 64);
	switch (vmclock_rng_below(r, 12)) {
	case 0:
		return 0;
	case 1:
		return 1;
	case 2:
		return 2;
	case 3:
		return UINT64_MAX;
	case 4:
		return UINT64_C(1) << k;
	case 5:
		/* 2^k - 1 for k = 0..63 (2^64 - 1 is case 3). */
		return (UINT64_C(1) << k) - 1;
	case 6:
		return (UINT64_C(1) << k) + 1;
	case 7:
		/* Just below 2^64: wrap-around of sums and differences. */
		return UINT64_MAX - (vmclock_rng_next(r) >> k);
	case 8:
		/* Small: a random value of random bit width, so every magnitude
		 * from 0 up is about equally likely. */
		return vmclock_rng_next(r) >> k;
	default:
		/* Full-width random. */
		return vmclock_rng_next(r);
	}
}
