/* mono.c - R-MONO: with a TIME_MONOTONIC writer, successive readings by one
 * reader never go backwards. Each case calls the reader several times in a
 * row while the writer publishes updates that keep the MONOTONIC rule (new
 * state at the switch counter >= old state there); the virtual clock moves
 * on with every event, so a reader that pairs a stale counter with a new
 * state, or a new counter with a stale state, goes backwards. */
#include "gen.h"

#define CALLS 4

static void mono(struct vmclock_rng *r, struct sc_case_list *l)
{
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	/* One update before every event of every call. */
	for (unsigned k = 0; k < CALLS * g_run.dyn_events; k++) {
		struct sc_intervention iv = { .at = k, .what = IV_UPDATE, .order = ORD_FIELDS, .kind = UPD_NORMAL };
		gen_dyn(l, R_MONO, r, &f, &iv, 1, CALLS, 0);
	}
	/* Random schedules of up to four updates across the calls. */
	for (int i = 0; i < 300; i++) {
		struct sc_intervention iv[SC_MAX_IV];
		unsigned n = 1 + (unsigned)vmclock_rng_below(r, SC_MAX_IV), at = 0;
		for (unsigned k = 0; k < n; k++) {
			at += (unsigned)vmclock_rng_below(r, CALLS * g_run.dyn_events / n + 1);
			iv[k] = (struct sc_intervention){ .at = at, .what = IV_UPDATE,
			                                  .order = (uint8_t)vmclock_rng_below(r, 3), .kind = UPD_NORMAL };
		}
		gen_dyn(l, R_MONO, r, &f, iv, n, CALLS, 1);
	}
}

FAMILY(fam_mono, "R-MONO", { R_MONO, mono, 1 });
