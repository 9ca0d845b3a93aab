/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-DISR-MARKER WARN R-SEQ-WINDOW */
/* hostile_mprotect_view.c - attacks the interleaving engine's trapping
 * (issue item 3). The engine keeps the reader's view of the page PROT_NONE
 * so that every load faults and the simulated writer can step in between.
 * At each call this reader mprotect()s its view (from the page's 4 KiB
 * boundary to the end of the structure, rounded up; never the guard page)
 * to PROT_READ: its loads then never fault, the writer never runs between
 * them, and its seqcount bug (the bad_no_recheck knob, always on) is never
 * exercised. The suite must refuse mprotect/munmap/mremap/madvise/mmap over
 * its own mappings (seccomp EPERM); then the engine catches the bug and the
 * verdict is exactly bad_no_recheck's line. */
#include <sys/mman.h>
#include "basereader.h"

static const struct br_defects d = { .no_recheck = 1 };

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	const uintptr_t p = (uintptr_t)page, lo = p & ~(uintptr_t)4095;
	const uintptr_t hi = (p + len + 4095) & ~(uintptr_t)4095;
	if (len)
		mprotect((void *)lo, hi - lo, PROT_READ);   /* errors ignored: then it is caught */
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_mprotect_view")
