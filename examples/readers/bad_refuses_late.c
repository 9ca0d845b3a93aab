/* VMCLOCK-EXPECT: FAIL R-TIME-LIVE */
/* bad_refuses_late.c - known-bad reader: returns NO_TIME when the
 * counter is more than 2^32 ticks past counter_value (about 4.3 s at
 * 1 GHz), assuming the host republishes the page every few seconds and a
 * page that old is dead. Nothing in the ABI says so: the time formula
 * holds for any delta, the error bounds grow with it, and a host that
 * does not update (a quiet, well-disciplined clock) is legal. A refusal
 * is never a violation by itself (spec "How findings are charged" 1), but
 * R-TIME-LIVE forbids refusing a page of a class the reader serves
 * elsewhere; the only counter-based refusals it excuses are a counter
 * below counter_value or more than 2^48 ticks past it. This reader serves
 * the same class at small deltas and refuses it between 2^32 and 2^48.
 *
 * (A counter below counter_value wraps the 64-bit delta to a huge value
 * and is refused too: that one is excused.) Marker, status, TAI offset
 * and vmgen are still reported with the NO_TIME, from the same snapshot.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .refuse_late knob is on, so the suite must fail exactly: R-TIME-LIVE. */
#include "basereader.h"

static const struct br_defects defects = { .refuse_late = 1 };

BR_EXPORT(defects, "bad_refuses_late")
