/* seeds_math.c - seeds of vmclock_math_fuzzer: the writer's default page
 * at several deltas, the spec's own shift-first example (section 3), and
 * edge-biased random words (rng.c) at every shift edge. */
#include <stdio.h>

#include "rng.h"
#include "seeds.h"
#include "writer.h"

static void put(struct seed_out *o, const char *name, const uint64_t w[7], unsigned shift)
{
	uint8_t buf[57];
	for (int i = 0; i < 7; i++)
		for (int b = 0; b < 8; b++)
			buf[8 * i + b] = (uint8_t)(w[i] >> (8 * b));
	buf[56] = (uint8_t)shift;
	seed_write(o, name, buf, sizeof buf);
}

void seeds_math(struct seed_out *o, uint64_t seed)
{
	static const uint64_t deltas[] = { 0, 1, 1000000000ull, 1ull << 40, 1000000000000000ull, UINT64_MAX };
	static const unsigned shifts[] = { 0, 1, 29, 63, 64, 65, 127, 128, 255 };
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	char nm[64];
	for (size_t i = 0; i < sizeof deltas / sizeof deltas[0]; i++) {
		uint64_t w[7] = { f.time_sec, f.time_frac_sec, f.counter_value, f.counter_period_frac_sec,
		                  f.counter_value + deltas[i], f.time_maxerror_nanosec,
		                  f.counter_period_maxerror_rate_frac_sec };
		snprintf(nm, sizeof nm, "default-delta-%zu", i);
		put(o, nm, w, (unsigned)f.counter_period_shift);
	}
	struct vmclock_rng r = { seed };
	for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++)
		for (int k = 0; k < 4; k++) {
			uint64_t w[7];
			for (int i = 0; i < 7; i++)
				w[i] = vmclock_rng_edgy64(&r);
			snprintf(nm, sizeof nm, "edgy-shift%u-%d", shifts[s], k);
			put(o, nm, w, shifts[s]);
		}
}
