/* stat.c - R-STAT-UNRELIABLE: no valid time while clock_status is
 * UNRELIABLE; time for UNKNOWN/INITIALIZING without passing the status on is
 * a warning ("should not be relied upon", UAPI.13). */
#include "gen.h"

/* Random pages: mostly UNRELIABLE (no time, R-STAT-UNRELIABLE's MUST),
 * every fourth UNKNOWN or INITIALIZING (time that "should not be relied
 * upon": the clause's WARN when the status is not passed on). Both kinds
 * interleave, so a WARN that came after a FAIL would show if it could
 * hide it (charge() keeps the worse verdict). */
static void unreliable(struct vmclock_rng *r, struct sc_case_list *l)
{
	gen_catalogue(l, R_STAT_UNRELIABLE, 0);
	for (int i = 0; i < 100; i++) {
		struct vmclock_fields f;
		uint64_t delta;
		gen_random_timed(r, &f, 64, &delta);
		int doubtful = i % 4 == 3;
		f.clock_status = !doubtful ? VMCLOCK_STATUS_UNRELIABLE
		                 : i % 8 == 3 ? VMCLOCK_STATUS_UNKNOWN : VMCLOCK_STATUS_INITIALIZING;
		gen_push(l, R_STAT_UNRELIABLE, doubtful ? "random page, UNKNOWN or INITIALIZING" : "random page, UNRELIABLE", 1,
		         &f, VMCLOCK_PAGE_SIZE, doubtful ? VMCLOCK_EXPECT_TIME : VMCLOCK_EXPECT_NO_TIME, delta, 0);
	}
}


FAMILY(fam_stat, "R-STAT", { R_STAT_UNRELIABLE, unreliable, 0 });
