/* VMCLOCK-EXPECT: WARN R-STAT-UNRELIABLE */
/* adapter_no_unknown.c - the README's 40-line example (adapter_example.c),
 * but it refuses a clock whose status is UNKNOWN ("no clock yet") as well
 * as UNRELIABLE. It still gives time for INITIALIZING without passing the
 * status on, which the spec calls relying on it: the same WARN as the
 * example, from INITIALIZING alone. A judge that warns for UNKNOWN only
 * misses it (mutant M11 of harness/mutants.def). */
#include <stdatomic.h>
#include "abi.h"          /* layout and little-endian loads */
#include "timemath.h"     /* exact time arithmetic (libvmclock-ref) */
#include "vmclock_iut.h"  /* the contract */

int vmclock_iut_read(const volatile void *p, size_t len, const struct vmclock_iut_counter *ctr,
                     struct vmclock_iut_reading *out)
{
	*out = (struct vmclock_iut_reading){ 0 };
	if (len < VMCLOCK_MIN_SIZE || vmclock_load32(p, 0) != VMCLOCK_MAGIC || vmclock_load16(p, 8) != 1)
		return VMCLOCK_IUT_INVALID;
	uint32_t size = vmclock_load32(p, 4);
	if (size < VMCLOCK_MIN_SIZE || size > len)
		return VMCLOCK_IUT_INVALID;
	if (size < VMCLOCK_END(time_frac_sec) || vmclock_load8(p, 10) != VMCLOCK_COUNTER_NATIVE ||
	    vmclock_load8(p, 11) > VMCLOCK_TIME_MONOTONIC)
		return VMCLOCK_IUT_NO_TIME;
	for (int tries = 0; tries < 1000000; tries++) {
		uint32_t seq = vmclock_load32(p, VMCLOCK_OFF_seq_count);
		if (seq & 1)
			continue;                                  /* writer busy (R-SEQ-ODD) */
		atomic_thread_fence(memory_order_acquire);
		uint8_t status = vmclock_load8(p, VMCLOCK_OFF_clock_status), shift = vmclock_load8(p, 39);
		uint64_t cv = vmclock_load64(p, 40), period = vmclock_load64(p, 48);
		uint64_t sec = vmclock_load64(p, 72), frac = vmclock_load64(p, 80), c = ctr->read(ctr->ctx);
		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(p, VMCLOCK_OFF_seq_count) != seq)
			continue;                                  /* torn: retry (R-SEQ-TORN) */
		if (status == VMCLOCK_STATUS_UNRELIABLE || status == VMCLOCK_STATUS_UNKNOWN)
			return VMCLOCK_IUT_NO_TIME;
		struct vmclock_tm_time t = vmclock_tm_at(sec, frac, cv, period, shift, c);
		out->sec = t.sec;
		out->nsec = vmclock_tm_nsec_floor(t.frac);
		out->counter = c;
		out->time_type = vmclock_load8(p, 11);
		out->filled = VMCLOCK_IUT_HAS_TIME;
		return VMCLOCK_IUT_OK;
	}
	return VMCLOCK_IUT_BUSY;                               /* bounded (R-SEQ-BOUNDED) */
}
