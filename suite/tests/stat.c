/* stat.c - R-STAT-UNRELIABLE: no valid time while clock_status is
 * UNRELIABLE; time for UNKNOWN/INITIALIZING without passing the status on is
 * a warning ("should not be relied upon", UAPI.13). */
#include "gen.h"

static void unreliable(struct vmclock_rng *r, struct sc_case_list *l)
{
	gen_catalogue(l, R_STAT_UNRELIABLE, 0);
	for (int i = 0; i < 100; i++) {
		struct vmclock_fields f;
		uint64_t delta;
		gen_random_timed(r, &f, 64, &delta);
		f.clock_status = VMCLOCK_STATUS_UNRELIABLE;
		gen_push(l, R_STAT_UNRELIABLE, "random page, UNRELIABLE", 1, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_NO_TIME,
		         delta, 0);
	}
}

FAMILY(fam_stat, "R-STAT", { R_STAT_UNRELIABLE, unreliable, 0 });
