/* VMCLOCK-EXPECT: FAIL R-TIME-SHIFT */
/* bad_shift_mask.c - known-bad reader: uses counter_period_shift & 63,
 * which is what an x86 SHR does when C code shifts a 64-bit value by 64
 * or more (undefined behaviour in C; the hardware masks the count). Exact
 * for shift < 64, wrong for every shift 64..255.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .shift_mask knob is on, so the suite must fail exactly: R-TIME-SHIFT. */
#include "basereader.h"

static const struct br_defects defects = { .shift_mask = 1 };

BR_EXPORT(defects, "bad_shift_mask")
