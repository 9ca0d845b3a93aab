/* err.c - the R-ERR family: error bounds only with their VALID flags, never
 * below the page's (time error + rate x delta, rounded up), and how tight. */
#include <stdio.h>
#include "gen.h"

#define ERR_FLAGS (VMCLOCK_FLAG_PERIOD_ESTERROR_VALID | VMCLOCK_FLAG_PERIOD_MAXERROR_VALID | \
                   VMCLOCK_FLAG_TIME_ESTERROR_VALID | VMCLOCK_FLAG_TIME_MAXERROR_VALID)

/* Every combination of the four error flags, on the default page and on
 * random ones. */
static void flags(struct vmclock_rng *r, struct sc_case_list *l)
{
	for (unsigned m = 0; m < 16; m++) {
		for (int k = 0; k < 4; k++) {
			struct vmclock_fields f;
			uint64_t delta = 1000003;
			if (k)
				gen_random_timed(r, &f, 64, &delta);
			else
				gen_default(&f);
			f.flags &= ~ERR_FLAGS;
			f.flags |= (m & 1 ? VMCLOCK_FLAG_PERIOD_ESTERROR_VALID : 0) |
			           (m & 2 ? VMCLOCK_FLAG_PERIOD_MAXERROR_VALID : 0) |
			           (m & 4 ? VMCLOCK_FLAG_TIME_ESTERROR_VALID : 0) |
			           (m & 8 ? VMCLOCK_FLAG_TIME_MAXERROR_VALID : 0);
			char name[40];
			snprintf(name, sizeof name, "error flags 0x%llx", (unsigned long long)(f.flags & ERR_FLAGS));
			gen_push(l, R_ERR_FLAGS, name, k != 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, delta, k ? 0 : 1000);
		}
	}
}

static void bound_cases(struct vmclock_rng *r, struct sc_case_list *l, enum vmclock_clause c, int n)
{
	static const struct { const char *name; uint64_t rate, base, delta; unsigned shift; } v[] = {
		{ "rate x delta saturates", ~0ull, 1000, ~0ull >> 1, 0 },
		{ "base saturates", 1, ~0ull, 1000, 0 },
		{ "sub-ns rate rounds up", 1, 0, 1, 29 },
		{ "1 ppm at 1 GHz, 1 s", 0x89705F4136B4A597ull >> 20, 1000, 1000000000, 29 },
		{ "shift 63", ~0ull, 7, ~0ull >> 1, 63 },
		{ "zero delta", ~0ull, 12345, 0, 29 },
	};
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.counter_period_shift = v[i].shift;
		f.counter_period_esterror_rate_frac_sec = f.counter_period_maxerror_rate_frac_sec = v[i].rate;
		f.time_esterror_nanosec = f.time_maxerror_nanosec = v[i].base;
		f.counter_value = 0;
		gen_push(l, c, v[i].name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, v[i].delta, 0);
	}
	for (int i = 0; i < n; i++) {
		struct vmclock_fields f;
		uint64_t delta;
		gen_random_timed(r, &f, 64, &delta);
		f.flags |= ERR_FLAGS;
		/* The two rate flags each on or off on its own: a reader that gates
		 * a rate on the other rate's flag shows it. */
		if (vmclock_rng_below(r, 2))
			f.flags &= ~VMCLOCK_FLAG_PERIOD_ESTERROR_VALID;
		if (vmclock_rng_below(r, 2))
			f.flags &= ~VMCLOCK_FLAG_PERIOD_MAXERROR_VALID;
		gen_push(l, c, "random page, rates and delta", 1, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, delta, 0);
	}
}

static void bound(struct vmclock_rng *r, struct sc_case_list *l)
{
	bound_cases(r, l, R_ERR_BOUND, 1000);
}

static void tight(struct vmclock_rng *r, struct sc_case_list *l)
{
	bound_cases(r, l, R_ERR_TIGHT, 100);
}

FAMILY(fam_err, "R-ERR", { R_ERR_FLAGS, flags, 0 }, { R_ERR_BOUND, bound, 0 }, { R_ERR_TIGHT, tight, 0 });
