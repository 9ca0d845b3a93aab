/* VMCLOCK-EXPECT: FAIL R-HDR-MAGIC */
/* bad_no_magic.c - known-bad reader: never checks the magic number.
 * Models readers that trust whatever the device node or ACPI resource hands
 * them (the mapping must be a VMClock page, so why check?) and then parse
 * a byte-swapped, zeroed or foreign page as if it were one.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .no_magic knob is on, so the suite must fail exactly: R-HDR-MAGIC. */
#include "basereader.h"

static const struct br_defects defects = { .no_magic = 1 };

BR_EXPORT(defects, "bad_no_magic")
