/* VMCLOCK-EXPECT: FAIL R-VMGEN */
/* bad_vmgen_bit7.c - known-bad reader: tests bit 7 of flags for
 * VM_GEN_COUNTER_PRESENT, as the UAPI.13 v1.0 prose spec numbers it,
 * instead of bit 8, the Linux header's (spec section 3: "Flag bits
 * differ"; the Linux header is canonical). Bit 7 is TIME_MONOTONIC there,
 * so the reader reports vm_generation_counter for every MONOTONIC page,
 * whether or not the host maintains the counter, and never reports it
 * for an ordinary page that has one. Models a reader written from the
 * prose spec. It still checks size >= 112.
 *
 * Reporting the generation without VM_GEN_COUNTER_PRESENT is what breaks
 * R-VMGEN (never reporting it is allowed), so the suite must fail it on a
 * page with bit 7 set and bit 8 clear.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .vmgen_bit7 knob is on, so the suite must fail exactly: R-VMGEN. */
#include "basereader.h"

static const struct br_defects defects = { .vmgen_bit7 = 1 };

BR_EXPORT(defects, "bad_vmgen_bit7")
