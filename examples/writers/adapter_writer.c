/* VMCLOCK-EXPECT: PASS */
/* adapter_writer - the README's example: a complete writer in plain C, not
 * built on basewriter.h. It publishes what QEMU's device does (header and a
 * disruption marker, counter INVALID, no time) and keeps the seqcount
 * protocol: seq_count odd, fields, seq_count even, continued from the page
 * (a restored page carries the snapshot's). */
#include <stdatomic.h>
#include <stdint.h>
#include "abi.h"          /* layout, VMCLOCK_* constants */
#include "vmclock_wut.h"  /* the writer contract */

static void put32(volatile void *p, size_t off, uint32_t v) { *(volatile uint32_t *)((volatile uint8_t *)p + off) = vmclock_le32(v); }
static void put64(volatile void *p, size_t off, uint64_t v) { *(volatile uint64_t *)((volatile uint8_t *)p + off) = vmclock_le64(v); }

int vmclock_wut_event(volatile void *p, size_t len, const struct vmclock_wut_event *ev)
{
	if (len < VMCLOCK_ABI_SIZE)
		return -1;
	if (ev->kind == VMCLOCK_WUT_INIT) {            /* not visible to the guest yet: any order */
		put32(p, VMCLOCK_OFF_magic, VMCLOCK_MAGIC);
		put32(p, VMCLOCK_OFF_size, len < 4096 ? (uint32_t)len : 4096);
		*(volatile uint16_t *)((volatile uint8_t *)p + VMCLOCK_OFF_version) = vmclock_le16(VMCLOCK_VERSION);
		((volatile uint8_t *)p)[VMCLOCK_OFF_counter_id] = VMCLOCK_COUNTER_INVALID;   /* no time offered */
		((volatile uint8_t *)p)[VMCLOCK_OFF_time_type] = VMCLOCK_TIME_UTC;
		put64(p, VMCLOCK_OFF_disruption_marker, ev->entropy);  /* never derived from the page */
		return 0;
	}
	int disrupted = ev->kind == VMCLOCK_WUT_MIGRATE || ev->kind == VMCLOCK_WUT_RESTORE ||
	                ev->kind == VMCLOCK_WUT_CLONE || ev->kind == VMCLOCK_WUT_FREQ_CHANGE;
	if (!disrupted)
		return 0;                                   /* nothing this writer publishes changed */
	uint32_t seq = vmclock_load32(p, VMCLOCK_OFF_seq_count);
	put32(p, VMCLOCK_OFF_seq_count, seq + 1);          /* odd: update in progress (W-SEQ-PROTOCOL) */
	atomic_thread_fence(memory_order_release);
	put64(p, VMCLOCK_OFF_disruption_marker, ev->entropy);  /* a new, never-repeating value (W-DISR-UNIQUE) */
	atomic_thread_fence(memory_order_release);
	put32(p, VMCLOCK_OFF_seq_count, seq + 2);          /* even again; wraps at 2^32 */
	return 0;
}

const struct vmclock_wut_info *vmclock_wut_info(void)
{
	static const struct vmclock_wut_info info = { VMCLOCK_WUT_CONTRACT_VERSION, "adapter_writer", "1.0",
	                                              VMCLOCK_WUT_PUB_MARKER, 0 };
	return &info;
}
