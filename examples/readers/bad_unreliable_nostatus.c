/* VMCLOCK-EXPECT: FAIL R-STAT-UNRELIABLE */
/* bad_unreliable_nostatus.c - known-bad reader: reports time whatever
 * clock_status says, and never passes the status on. For UNRELIABLE that
 * is a FAIL of R-STAT-UNRELIABLE; for UNKNOWN and INITIALIZING it is the
 * same clause's WARN ("should not be relied upon"). Cases of both kinds
 * come in any order, and the clause must stay FAIL: a WARN never hides
 * an earlier FAIL (mutant M28 of harness/mutants.def).
 *
 * Everything else is the correct shared reader (basereader.h). */
#include "basereader.h"

static const struct br_defects defects = { .unreliable_ok = 1, .status_kept = 1 };

BR_EXPORT(defects, "bad_unreliable_nostatus")
