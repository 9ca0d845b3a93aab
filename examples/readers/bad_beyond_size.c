/* VMCLOCK-EXPECT: FAIL R-HDR-SIZE */
/* bad_beyond_size.c - known-bad reader: ignores the size field and
 * uses every field of its compiled-in struct whenever the mapping holds it.
 * Models a reader built against an older draft (sizeof 104, no
 * vm_generation_counter, hence it never reports vmgen) that reads
 * counter_value/time fields from a page that declares a smaller size.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .draft_struct knob is on, so the suite must fail exactly: R-HDR-SIZE. */
#include "basereader.h"

static const struct br_defects defects = { .draft_struct = 1 };

BR_EXPORT(defects, "bad_beyond_size")
