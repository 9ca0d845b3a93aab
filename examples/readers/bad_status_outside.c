/* VMCLOCK-EXPECT: FAIL R-SEQ-TORN */
/* bad_status_outside.c - known-bad reader: "check the clock is healthy,
 * then read it". It loads clock_status, and refuses UNRELIABLE with
 * NO_TIME, BEFORE its seqlock section; the seqlock section (correct in
 * itself) then copies the other fields and reads the counter. But
 * clock_status is at offset 34, protected by seq_count like every field
 * from offset 12 on, and the status it acted on belongs to whatever state
 * was current before the section. An update in between (the writer steps
 * the status to UNRELIABLE with its new time) makes it return that
 * UNRELIABLE state's time as OK, labelled with the older state's healthy
 * clock_status; the other way round it refuses a healthy state. Either
 * way the reading is a mix of two committed states: R-SEQ-TORN (spec
 * "How findings are charged" 3). The marker, vmgen and TAI offset all
 * come from the seqlock section, with the time, so the mix never involves
 * the marker (no R-DISR-MARKER).
 *
 * On a page that does not change during the read it is exactly right,
 * including R-STAT-UNRELIABLE: only a concurrent writer that changes the
 * status shows the bug.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .status_outside knob is on, so the suite must fail exactly: R-SEQ-TORN. */
#include "basereader.h"

static const struct br_defects defects = { .status_outside = 1 };

BR_EXPORT(defects, "bad_status_outside")
