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
 * The early load has no odd test either, so it may see a status that an
 * open update has just stored (or the old one, not yet overwritten). The
 * seqlock section after it only ever returns a state committed after that
 * load, so the status value it reports is always some committed state's;
 * when it differs from the section's state the reading is a mix of two
 * committed states, which rule 3 charges to R-SEQ-TORN (a value-based
 * rule: no value of an unfinished update is returned that a committed
 * state did not also have). If the open update stored UNRELIABLE and
 * never finishes, it refuses (NO_TIME, nothing filled) at once instead of
 * returning BUSY: a refusal, judged by R-TIME-LIVE only (rule 1).
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
