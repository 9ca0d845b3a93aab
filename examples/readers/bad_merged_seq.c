/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-DISR-MARKER WARN R-SEQ-WINDOW */
/* bad_merged_seq.c - known-bad reader: the source LOOKS like a correct
 * seqcount loop (load seq, retry if odd, copy, read the counter, compare
 * with a fresh load of seq), but it reads the page through a plain,
 * non-volatile 'const struct vmclock_abi *' and has no compiler barrier
 * between the two seq_count loads. Nothing in between can change the
 * page as far as the C abstract machine knows: the copy goes to a local,
 * and the counter read goes through a wrapper declared pure, the way an
 * rdtsc asm without a "memory" clobber or the __rdtsc() builtin looks to
 * the compiler. At -O2 gcc and clang keep ONE load of seq_count (offset
 * 0xc) and fold the re-check into 'seq == seq'; gcc also proves that an
 * odd seq stays odd and turns the retry into an immediate BUSY. The
 * machine code is bad_no_recheck's: R-SEQ-TORN and R-SEQ-ODD under a
 * concurrent writer. The bug is invisible in review and at -O0, which is
 * why the kernel's READ_ONCE()/smp_rmb() exist.
 *
 * Check the merge: objdump -d build/readers/bad_merged_seq.so and look
 * for the loads of 0xc(%reg) in ms_snapshot: there is exactly one.
 *
 * How the suite charges it (spec "How findings are charged" 3): a reading
 * that matches none of the writer's states is R-SEQ-TORN, one holding a
 * value only a half-done update had R-SEQ-ODD, a marker from another state
 * than the rest R-DISR-MARKER too. Its mixes in the wrap sweeps are mixes
 * without the wrap as well, so they stay R-SEQ-TORN, not R-SEQ-WRAP.
 *
 * Everything except the snapshot loop is the correct shared reader
 * (basereader.h, through its .snapshot hook); the loop itself is correct
 * in every other respect (odd test, every field inside the window,
 * little-endian, fields only when present, bounded retries), so on static
 * pages it passes every clause. */
#include "basereader.h"

/* Declared pure so the compiler may assume it neither reads nor writes
 * the page behind its back: the defect's second half. It is a lie (every
 * call returns a new value), and it is what lets the two seq loads merge. */
__attribute__((pure, noinline)) static uint64_t ms_counter(const struct vmclock_iut_counter *c)
{
	return c->read(c->ctx);
}

/* avail bounds every field (R-HDR-SIZE), as br_read does. */
static int ms_snapshot(const volatile void *page, size_t avail, int time_possible, int vmgen_loadable,
                       const struct vmclock_iut_counter *counter, struct br_snap *out)
{
	/* BUG: volatile cast away; plain loads from here on. */
	const struct vmclock_abi *p = (const struct vmclock_abi *)(uintptr_t)page;

	for (unsigned attempt = 0; attempt < BR_MAX_ATTEMPTS; attempt++) {
		/* A local copy: stores to *out could alias the page and would
		 * force a reload, which would hide the bug being modelled. */
		struct br_snap s;
		memset(&s, 0, sizeof(s));
		s.seq = vmclock_le32(p->seq_count);
		if (s.seq & 1u)
			continue;                                 /* R-SEQ-ODD */
		/* BUG: no atomic_thread_fence / compiler barrier here ... */
		s.marker = vmclock_le64(p->disruption_marker);
		s.flags = vmclock_le64(p->flags);
		if (BR_PRESENT(avail, clock_status))
			s.status = p->clock_status;
		if (BR_PRESENT(avail, tai_offset_sec))
			s.tai_raw = vmclock_le16((uint16_t)p->tai_offset_sec);
		if (BR_PRESENT(avail, leap_indicator))
			s.leap = p->leap_indicator;
		if (BR_PRESENT(avail, counter_period_shift))
			s.shift = p->counter_period_shift;
		if (BR_PRESENT(avail, counter_value))
			s.counter_value = vmclock_le64(p->counter_value);
		if (BR_PRESENT(avail, counter_period_frac_sec))
			s.period = vmclock_le64(p->counter_period_frac_sec);
		if (BR_PRESENT(avail, counter_period_esterror_rate_frac_sec))
			s.period_est = vmclock_le64(p->counter_period_esterror_rate_frac_sec);
		if (BR_PRESENT(avail, counter_period_maxerror_rate_frac_sec))
			s.period_max = vmclock_le64(p->counter_period_maxerror_rate_frac_sec);
		if (BR_PRESENT(avail, time_sec))
			s.time_sec = vmclock_le64(p->time_sec);
		if (BR_PRESENT(avail, time_frac_sec))
			s.time_frac = vmclock_le64(p->time_frac_sec);
		if (BR_PRESENT(avail, time_esterror_nanosec))
			s.time_est = vmclock_le64(p->time_esterror_nanosec);
		if (BR_PRESENT(avail, time_maxerror_nanosec))
			s.time_max = vmclock_le64(p->time_maxerror_nanosec);
		if (vmgen_loadable)
			s.vmgen = vmclock_le64(p->vm_generation_counter);
		/* Inside the window in the source (R-SEQ-WINDOW). */
		if (time_possible)
			s.counter = ms_counter(counter);
		/* ... nor here: so this load is merged with the first one. */
		if (vmclock_le32(p->seq_count) == s.seq) {
			*out = s;
			return 0;
		}
	}
	return VMCLOCK_IUT_BUSY;                                  /* R-SEQ-BOUNDED */
}

static const struct br_defects defects = { .snapshot = ms_snapshot };

BR_EXPORT(defects, "bad_merged_seq")
