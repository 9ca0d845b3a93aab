/* timemath.h - exact VMClock time arithmetic (spec section 1, "Time from a
 * page"). Pure functions on integers; no page access, no floating point. */
#ifndef VMCLOCK_TIMEMATH_H
#define VMCLOCK_TIMEMATH_H

#include <stdint.h>

/* A point in time: whole seconds (mod 2^64, as a 64-bit reader computes
 * them) and a binary fraction of a second in units of 2^-64 s. */
struct vmclock_tm_time {
	uint64_t sec;
	uint64_t frac;
};

/* Time at counter c of a state (time_sec, time_frac, counter_value, period,
 * shift):
 *   delta = c - counter_value                       (mod 2^64)
 *   x     = time_frac + ((delta * period) >> shift)  (128-bit product; any
 *           shift 0..255, shifts >= 128 give 0)
 *   sec   = time_sec + (x >> 64)   (mod 2^64),  frac = x mod 2^64 */
struct vmclock_tm_time vmclock_tm_at(uint64_t time_sec, uint64_t time_frac,
                                     uint64_t counter_value, uint64_t period,
                                     unsigned shift, uint64_t c);

/* floor(frac * 10^9 / 2^64): nanoseconds, truncated as Linux does. */
uint32_t vmclock_tm_nsec_floor(uint64_t frac);

/* Round to the nearest ns (ties up). May return 10^9: *carry is then 1 and
 * the result is 0, so (sec + carry, nsec) is the normalised time. */
uint32_t vmclock_tm_nsec_nearest(uint64_t frac, unsigned *carry);

/* Error bound in ns at counter delta:
 *   base_ns + ceil(delta * rate * 10^9 / 2^(64 + shift))
 * where rate is in units of 2^-(64+shift) s per tick. Saturates at
 * UINT64_MAX instead of wrapping (spec: bounds must never be understated). */
uint64_t vmclock_tm_error_ns(uint64_t base_ns, uint64_t rate, unsigned shift, uint64_t delta);

#endif
