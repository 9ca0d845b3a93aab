/* wstores.c - a writer for `make bench` (harness/bench-writers): each TICK
 * is one update of WSTORES stores to time_frac_sec, so the trapped-store
 * cost dominates the run. Correct by the protocol (all stores while odd). */
#include <stdint.h>
#include "abi.h"
#include "vmclock_wut.h"

#define WSTORES 20000

int vmclock_wut_event(volatile void *p, size_t len, const struct vmclock_wut_event *ev)
{
	volatile uint8_t *b = p;
	if (len < VMCLOCK_ABI_SIZE)
		return -1;
	if (ev->kind == VMCLOCK_WUT_INIT) {
		*(volatile uint32_t *)(b + VMCLOCK_OFF_magic) = vmclock_le32(VMCLOCK_MAGIC);
		*(volatile uint32_t *)(b + VMCLOCK_OFF_size) = vmclock_le32(4096);
		*(volatile uint16_t *)(b + VMCLOCK_OFF_version) = vmclock_le16(1);
		b[VMCLOCK_OFF_counter_id] = VMCLOCK_COUNTER_INVALID;
		return 0;
	}
	if (ev->kind != VMCLOCK_WUT_TICK)
		return 0;
	uint32_t seq = vmclock_load32(p, VMCLOCK_OFF_seq_count);
	*(volatile uint32_t *)(b + VMCLOCK_OFF_seq_count) = vmclock_le32(seq + 1);
	for (uint64_t i = 0; i < WSTORES; i++)
		*(volatile uint64_t *)(b + VMCLOCK_OFF_time_frac_sec) = vmclock_le64(i);
	*(volatile uint32_t *)(b + VMCLOCK_OFF_seq_count) = vmclock_le32(seq + 2);
	return 0;
}
