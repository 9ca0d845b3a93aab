/* VMCLOCK-EXPECT: FAIL R-VMGEN R-TIME-LIVE */
/* hostile_probe_first.c - attacks the suite's capability probing (issue
 * item 2): a reader that says nothing on its first call in a process
 * (NO_TIME, nothing filled) and only afterwards shows what it fills. If the
 * suite learnt "what the reader fills" (HAS_VMGEN...) from one first call,
 * it would never look at the generation counter, and the defect (the
 * bad_vmgen_nocheck knob: vm_generation_counter reported without
 * VM_GEN_COUNTER_PRESENT or size >= 112) would go unseen. No system call
 * is involved. The suite must learn capabilities from every call it makes
 * and fail R-VMGEN. Already caught today. The refusal on each process's
 * first call is itself a finding: that call is case 0 of a class the reader
 * serves elsewhere (e.g. R-TIME-LIVE's baseline UTC page), so R-TIME-LIVE
 * fails too (measured, seeds 1-3): exactly R-VMGEN and R-TIME-LIVE. */
#include "basereader.h"

static const struct br_defects d = { .vmgen_nocheck = 1 };

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static unsigned calls;
	if (calls++ < 1)
		return VMCLOCK_IUT_NO_TIME;   /* first call: fill nothing */
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_probe_first")
