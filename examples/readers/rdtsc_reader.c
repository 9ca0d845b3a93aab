/* VMCLOCK-EXPECT: PASS */
/* rdtsc_reader.c - a correct reader that reads the x86 TSC itself, with
 * the rdtsc instruction, as vDSO-style and most user-space VMClock readers
 * do (a function call per counter read costs more than the whole read).
 * It ignores counter->read and says so: vmclock_iut_info() declares
 * VMCLOCK_IUT_CAP_RDTSC, and the suite must then supply the counter by
 * trapping rdtsc (PR_SET_TSC/PR_TSC_SIGSEGV) and judge it exactly like a
 * callback reader (issue 4). Until the engine does that, the suite's
 * static cases cannot know the counter value it used, so their time check
 * (R-TIME-EXACT) cannot match; the reader is still correct per contract.
 *
 * The algorithm, independent of basereader.h:
 *   - header checks before any protected load (R-HDR-MAGIC, R-HDR-VERSION,
 *     R-HDR-SIZE), time only for the TSC and a usable time_type
 *     (R-HDR-COUNTER, R-HDR-TIMETYPE) with every field through
 *     time_frac_sec inside size;
 *   - seqcount: load, retry while odd (R-SEQ-ODD), acquire fence, fields,
 *     'lfence; rdtsc' (ordered after the field loads, inside the window:
 *     R-SEQ-WINDOW, R-MONO), acquire fence, equality re-check (R-SEQ-TORN,
 *     and R-SEQ-WRAP because only equality is asked);
 *   - bounded: 100 ms of CLOCK_MONOTONIC, as Linux, with 2^20 tries as a
 *     backstop (R-SEQ-BOUNDED); pause while the writer is mid-update;
 *   - 128-bit product, shift 0..255, carry, floor ns (R-TIME-EXACT,
 *     R-TIME-SHIFT); UNRELIABLE gives NO_TIME (R-STAT-UNRELIABLE).
 * It fills time, the disruption marker and the status fields.
 *
 * Not x86: there is no rdtsc, so it falls back to counter->read (Arm's
 * counter is read through the suite) and declares no capability. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "vmclock_iut.h"

#if defined(__x86_64__) || defined(__i386__)
#define RT_HAVE_RDTSC 1
#else
#define RT_HAVE_RDTSC 0
#endif

#define RT_TRIES      (1u << 20)   /* a backstop; the wall-clock bound decides */
#define RT_TIMEOUT_NS (100ull * 1000 * 1000)   /* Linux's bound */

static uint64_t rt_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static inline void rt_relax(void)
{
#if RT_HAVE_RDTSC
	__builtin_ia32_pause();   /* let the writer's CPU run while we wait */
#endif
}

/* The counter, read inside the seq window. */
static inline uint64_t rt_counter(const struct vmclock_iut_counter *counter)
{
#if RT_HAVE_RDTSC
	(void)counter;
	uint32_t lo, hi;
	/* lfence: rdtsc is not ordered after earlier loads, so without it the
	 * TSC could be sampled before the fields were read (Linux's
	 * rdtsc_ordered()). "memory": the compiler must not move page loads
	 * across it either (R-SEQ-WINDOW). */
	__asm__ __volatile__("lfence\n\trdtsc" : "=a"(lo), "=d"(hi) : : "memory");
	return ((uint64_t)hi << 32) | lo;
#else
	return counter->read(counter->ctx);
#endif
}

const struct vmclock_iut_info *vmclock_iut_info(void)
{
	static const struct vmclock_iut_info info = {
		.contract_version = VMCLOCK_IUT_CONTRACT_VERSION,
		.name = "rdtsc_reader",
		.version = "1",
		.provides = VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_DISRUPTION | VMCLOCK_IUT_HAS_STATUS,
		.caps = RT_HAVE_RDTSC ? VMCLOCK_IUT_CAP_RDTSC : 0u,
	};
	return &info;
}

int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	__extension__ typedef unsigned __int128 u128;
	struct vmclock_iut_reading scratch;
	if (!out)
		out = &scratch;
	memset(out, 0, sizeof(*out));

	/* R-HDR-SIZE: nothing may be loaded before 32 bytes are known mapped. */
	if (!page || len < VMCLOCK_MIN_SIZE)
		return VMCLOCK_IUT_INVALID;
	if (vmclock_load32(page, VMCLOCK_OFF_magic) != VMCLOCK_MAGIC)
		return VMCLOCK_IUT_INVALID;                       /* R-HDR-MAGIC */
	if (vmclock_load16(page, VMCLOCK_OFF_version) != VMCLOCK_VERSION)
		return VMCLOCK_IUT_INVALID;                       /* R-HDR-VERSION */
	const uint32_t size = vmclock_load32(page, VMCLOCK_OFF_size);
	if (size < VMCLOCK_MIN_SIZE || size > len)
		return VMCLOCK_IUT_INVALID;                       /* R-HDR-SIZE */

	const uint8_t time_type = vmclock_load8(page, VMCLOCK_OFF_time_type);
	const int has_status = size >= VMCLOCK_END(leap_indicator);
	const int has_time = vmclock_load8(page, VMCLOCK_OFF_counter_id) == VMCLOCK_COUNTER_NATIVE &&
	                     time_type <= VMCLOCK_TIME_MONOTONIC &&
	                     size >= VMCLOCK_END(time_frac_sec) &&
	                     (RT_HAVE_RDTSC || (counter && counter->read));

	uint64_t marker = 0, flags = 0, cval = 0, period = 0, tsec = 0, tfrac = 0, tsc = 0;
	uint8_t status = 0, leap = 0, shift = 0;
	uint64_t t0 = 0;
	for (unsigned tries = 0;; tries++) {
		if (tries >= RT_TRIES)
			return VMCLOCK_IUT_BUSY;                  /* R-SEQ-BOUNDED */
		/* Wall-clock bound too, checked only on retries so the usual
		 * single pass makes no system call. */
		if (tries) {
			const uint64_t now = rt_mono_ns();
			if (!t0)
				t0 = now;
			else if (now - t0 >= RT_TIMEOUT_NS)
				return VMCLOCK_IUT_BUSY;          /* R-SEQ-BOUNDED */
		}

		const uint32_t seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (seq & 1u) {
			rt_relax();
			continue;                                 /* R-SEQ-ODD */
		}
		atomic_thread_fence(memory_order_acquire);

		marker = vmclock_load64(page, VMCLOCK_OFF_disruption_marker);
		flags = vmclock_load64(page, VMCLOCK_OFF_flags);
		if (has_status) {
			status = vmclock_load8(page, VMCLOCK_OFF_clock_status);
			leap = vmclock_load8(page, VMCLOCK_OFF_leap_indicator);
		}
		if (has_time) {
			shift = vmclock_load8(page, VMCLOCK_OFF_counter_period_shift);
			cval = vmclock_load64(page, VMCLOCK_OFF_counter_value);
			period = vmclock_load64(page, VMCLOCK_OFF_counter_period_frac_sec);
			tsec = vmclock_load64(page, VMCLOCK_OFF_time_sec);
			tfrac = vmclock_load64(page, VMCLOCK_OFF_time_frac_sec);
			tsc = rt_counter(counter);                /* R-SEQ-WINDOW */
		}

		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) == seq)
			break;                                    /* R-SEQ-TORN, R-SEQ-WRAP */
		rt_relax();
	}

	out->disruption_marker = marker;                          /* R-DISR-MARKER */
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;
	if (has_status) {
		out->clock_status = status;
		out->leap_indicator = leap;
		out->flags = flags;
		out->filled |= VMCLOCK_IUT_HAS_STATUS;
	}
	if (!has_time || (has_status && status == VMCLOCK_STATUS_UNRELIABLE))
		return VMCLOCK_IUT_NO_TIME;                       /* R-STAT-UNRELIABLE */

	/* R-TIME-EXACT, R-TIME-SHIFT: delta wraps mod 2^64 as Linux's does. */
	const uint64_t delta = tsc - cval;
	const u128 prod = (u128)delta * period;
	const u128 frac = (shift < 128 ? prod >> shift : 0) + tfrac;
	out->sec = tsec + (uint64_t)(frac >> 64);
	out->nsec = (uint32_t)(((u128)(uint64_t)frac * 1000000000u) >> 64);
	out->counter = tsc;
	out->time_type = time_type;
	out->filled |= VMCLOCK_IUT_HAS_TIME;
	return VMCLOCK_IUT_OK;
}
