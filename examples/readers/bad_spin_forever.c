/* VMCLOCK-EXPECT: FAIL R-SEQ-BOUNDED */
/* bad_spin_forever.c - known-bad reader: waits without
 * any bound while seq_count is odd. Models the textbook seqlock loop
 * 'while (seq & 1) cpu_relax();' with no timeout: a hypervisor that dies
 * (or a malicious one) mid-update hangs the guest reader forever.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .spin_forever knob is on, so the suite must fail exactly: R-SEQ-BOUNDED
 * (its hangs are in R-SEQ-BOUNDED's cases, whose writer never finishes). */
#include "basereader.h"

static const struct br_defects defects = { .spin_forever = 1 };

BR_EXPORT(defects, "bad_spin_forever")
