/* rng.h - the one source of randomness: splitmix64 from a printed seed. */
#ifndef VMCLOCK_RNG_H
#define VMCLOCK_RNG_H
#include <stdint.h>

struct vmclock_rng { uint64_t s; };

static inline uint64_t vmclock_rng_next(struct vmclock_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}
/* Uniform in [0, n), n > 0 (the tiny modulo bias is irrelevant here). */
static inline uint64_t vmclock_rng_below(struct vmclock_rng *r, uint64_t n)
{
	return vmclock_rng_next(r) % n;
}
/* A 64-bit value biased towards edges: 0, 1, 2^k, 2^k +- 1, max. */
uint64_t vmclock_rng_edgy64(struct vmclock_rng *r);
#endif
