/* VMCLOCK-EXPECT: FAIL R-ROB-NOCRASH */
/* bad_writes_page.c - known-bad reader: clears reserved flag bits
 * in the shared page when it sees them set, writing through a pointer
 * whose volatile/const qualifier was cast away. The page is mapped
 * read-only, so the store faults; on a writable mapping it would corrupt
 * the hypervisor's page.
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .writes_page knob is on, so the suite must fail exactly: R-ROB-NOCRASH. */
#include "basereader.h"

static const struct br_defects defects = { .writes_page = 1 };

BR_EXPORT(defects, "bad_writes_page")
