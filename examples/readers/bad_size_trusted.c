/* VMCLOCK-EXPECT: FAIL R-HDR-SIZE */
/* bad_size_trusted.c - known-bad reader: accepts a size larger than
 * the mapping. Models a reader that validates size only against
 * sizeof(struct vmclock_abi) and never against the region it mapped;
 * this one still clamps its loads to the mapping (so it does not crash),
 * but it accepts a page a correct reader must reject.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .size_trusted knob is on, so the suite must fail exactly: R-HDR-SIZE. */
#include "basereader.h"

static const struct br_defects defects = { .size_trusted = 1 };

BR_EXPORT(defects, "bad_size_trusted")
