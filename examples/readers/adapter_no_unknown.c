/* VMCLOCK-EXPECT: WARN R-STAT-UNRELIABLE */
/* adapter_no_unknown.c - the README's 40-line example (adapter_example.c),
 * but it refuses a clock whose status is UNKNOWN ("no clock yet") as well
 * as UNRELIABLE. It still gives time for INITIALIZING without passing the
 * status on, which the spec calls relying on it: the same WARN as the
 * example, from INITIALIZING alone. A judge that warns for UNKNOWN only
 * misses it (mutant M11 of harness/mutants.def).
 *
 * The example itself does the reading; this wrapper then refuses when the
 * status is UNKNOWN. It reads the status in a seq window of its own, so
 * under a writer it may refuse the next state's UNKNOWN: a refusal is
 * never a violation (spec "How findings are charged" 1). */
#define vmclock_iut_read adapter_example_read
#include "adapter_example.c"
#undef vmclock_iut_read

int vmclock_iut_read(const volatile void *p, size_t len, const struct vmclock_iut_counter *ctr,
                     struct vmclock_iut_reading *out)
{
	int st = adapter_example_read(p, len, ctr, out);
	if (st != VMCLOCK_IUT_OK)
		return st;
	for (int tries = 0; tries < 1000000; tries++) {
		uint32_t seq = vmclock_load32(p, VMCLOCK_OFF_seq_count);
		if (seq & 1)
			continue;
		atomic_thread_fence(memory_order_acquire);
		uint8_t status = vmclock_load8(p, VMCLOCK_OFF_clock_status);
		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(p, VMCLOCK_OFF_seq_count) != seq)
			continue;
		if (status == VMCLOCK_STATUS_UNKNOWN) {
			*out = (struct vmclock_iut_reading){ 0 };
			return VMCLOCK_IUT_NO_TIME;
		}
		return st;
	}
	return VMCLOCK_IUT_BUSY;
}
