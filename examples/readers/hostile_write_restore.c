/* VMCLOCK-EXPECT: FAIL R-ROB-NOCRASH */
/* hostile_write_restore.c - attacks the read-only page (issue item 6). Like
 * bad_writes_page it "repairs" pages whose reserved flag bits (10..63) are
 * set, but first mprotect()s the page's 4 KiB page(s) PROT_READ|PROT_WRITE,
 * flips a reserved flag bit, restores it, and mprotect()s back to
 * PROT_READ: the page ends as it was, so a byte comparison after the call
 * sees nothing (a forged PASS). If mprotect fails it writes anyway through
 * the cast-away-volatile pointer in exactly bad_writes_page's cases (its
 * knob), which faults on a read-only mapping. The suite must hand the reader a page no writable
 * mapping can be made of (sealed memfd) and refuse mprotect over it; then
 * the store faults and exactly R-ROB-NOCRASH fails, as for bad_writes_page. */
#include <sys/mman.h>
#include "basereader.h"

static const struct br_defects plain = { 0 }, writes = { .writes_page = 1 };

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	if (len >= VMCLOCK_OFF_flags + 8 && vmclock_load32(page, 0) == VMCLOCK_MAGIC) {
		const uint64_t fl = vmclock_load64(page, VMCLOCK_OFF_flags);
		if (fl & ~VMCLOCK_FLAGS_DEFINED) {
			volatile uint64_t *fp = (volatile uint64_t *)(uintptr_t)
				((const volatile uint8_t *)page + VMCLOCK_OFF_flags);
			const uintptr_t lo = (uintptr_t)page & ~(uintptr_t)4095;
			const uintptr_t hi = ((uintptr_t)page + len + 4095) & ~(uintptr_t)4095;
			if (mprotect((void *)lo, hi - lo, PROT_READ | PROT_WRITE) != 0)
				dd = &writes;    /* cannot: bad_writes_page's store, which faults */
			else {
				*fp = vmclock_le64(fl ^ (UINT64_C(1) << 63));   /* flip a reserved bit */
				*fp = vmclock_le64(fl);                          /* and restore it */
				mprotect((void *)lo, hi - lo, PROT_READ);
			}
		}
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(plain, "hostile_write_restore")
