/* live.c - R-TIME-LIVE and R-CONTRACT's own cases.
 *
 * R-TIME-LIVE: the two baseline pages (cases 0 and 1: size 112, the native
 * counter, SYNCHRONIZED, UTC or TAI with TAI_OFFSET_VALID), the policy grid
 * (profile.c), then pages of one class each that differ only in what a
 * class does not include (time, period, shift, counter, errors, marker),
 * with counters from just past counter_value to 2^48 ticks later: a reader
 * that serves one and refuses its sibling breaks the clause. Refusals are
 * gathered from every clause's quiet pages too (judge.c's ledger).
 *
 * R-CONTRACT: random pages from the served classes, read with a moving
 * counter; every reading of the run is checked against the contract. */
#include <stdio.h>
#include "gen.h"

static void live(struct vmclock_rng *r, struct sc_case_list *l)
{
	for (unsigned tt = VMCLOCK_TIME_UTC; tt <= VMCLOCK_TIME_TAI; tt++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.size = VMCLOCK_ABI_SIZE;
		f.time_type = tt;
		gen_push(l, R_TIME_LIVE, tt ? "baseline TAI" : "baseline UTC", 0, &f, VMCLOCK_PAGE_SIZE,
		         VMCLOCK_EXPECT_TIME, 1000003, 1000);
	}
	profile_grid(l, R_TIME_LIVE);
	for (int i = 0; i < 300; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		if (vmclock_rng_below(r, 2))
			f.size = VMCLOCK_ABI_SIZE;
		gen_fit(&f);
		f.time_sec = vmclock_rng_below(r, 1ull << 40);
		f.time_frac_sec = vmclock_rng_next(r);
		f.counter_period_shift = vmclock_rng_below(r, 64);
		f.counter_period_frac_sec = vmclock_rng_next(r);
		f.counter_value = vmclock_rng_below(r, 1ull << 62);
		f.time_esterror_nanosec = vmclock_rng_below(r, 1000000);
		f.time_maxerror_nanosec = f.time_esterror_nanosec + vmclock_rng_below(r, 1000000);
		f.disruption_marker = vmclock_rng_next(r);
		uint64_t delta = vmclock_rng_below(r, 2) ? vmclock_rng_below(r, 1ull << 20)
		                                         : vmclock_rng_below(r, (1ull << 48) - 1000);
		gen_push(l, R_TIME_LIVE, "same class, other values", 1, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, delta,
		         vmclock_rng_below(r, 2) ? 0 : 1000);
	}
}

static void contract(struct vmclock_rng *r, struct sc_case_list *l)
{
	for (int i = 0; i < 300; i++) {
		struct vmclock_fields f;
		uint64_t delta;
		gen_random_timed(r, &f, 64, &delta);
		if (delta > (1ull << 62))
			delta >>= 4;
		gen_push(l, R_CONTRACT, "random page, moving counter", 1, &f,
		         f.size < VMCLOCK_PAGE_SIZE ? VMCLOCK_PAGE_SIZE : f.size, VMCLOCK_EXPECT_TIME, delta,
		         1 + vmclock_rng_below(r, 1000000));
	}
}

FAMILY(fam_live, "R-LIVE", { R_TIME_LIVE, live, 0 }, { R_CONTRACT, contract, 0 });
