/* VMCLOCK-EXPECT: FAIL R-VMGEN */
/* bad_vmgen_nocheck.c - known-bad reader: reports vm_generation_counter
 * whenever the mapping is large enough, without VM_GEN_COUNTER_PRESENT and
 * without checking size >= 112. Models a reader that treats the field as
 * always there (it is in the current struct) and so reports zeros or stale
 * bytes as a generation, hiding or faking a snapshot restore.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .vmgen_nocheck knob is on, so the suite must fail exactly: R-VMGEN. */
#include "basereader.h"

static const struct br_defects defects = { .vmgen_nocheck = 1 };

BR_EXPORT(defects, "bad_vmgen_nocheck")
