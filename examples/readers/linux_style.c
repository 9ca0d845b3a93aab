/* VMCLOCK-EXPECT: PASS */
/* linux_style.c - a user-space port of the ALGORITHM of Linux's ptp_vmclock
 * driver, written from the spec (VMCLOCK-SPEC.md sections 1 and 3), not
 * from kernel source. It is one of the two correct readers the suite must
 * not raise a false alarm on (spec section 4): the idioms differ from the
 * reference reader in ways that are legal, and the suite must accept them:
 *   - seq is loaded with the low bit masked off and compared ONCE, after
 *     the body, with a fresh load: an odd fresh load can never equal the
 *     masked (even) value, so an in-progress update is rejected by the same
 *     comparison that rejects a changed seq (R-SEQ-ODD, R-SEQ-TORN);
 *   - the only bound is wall time, 100 ms on CLOCK_MONOTONIC (R-SEQ-BOUNDED);
 *   - fields are read inside the window, the UNRELIABLE decision is taken
 *     after the window validated (the kernel tests it inside the loop; doing
 *     it later never reports a status seen while seq was odd: R-SEQ-ODD).
 * It reports only what the PTP driver uses: time, the disruption marker and
 * the status fields (no error bounds, vmgen or TAI offset), and declares no
 * vmclock_iut_info so the suite has to probe what it fills. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "vmclock_iut.h"

#define LS_TIMEOUT_NS (100ull * 1000 * 1000)   /* Linux: 100 ms, then -ETIMEDOUT */

static uint64_t ls_monotonic_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
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

	/* "Probe": the constant header, as the driver checks it once
	 * (R-HDR-MAGIC, R-HDR-SIZE, R-HDR-VERSION). len < 32 would make even
	 * these loads unsafe. */
	if (!page || len < VMCLOCK_MIN_SIZE)
		return VMCLOCK_IUT_INVALID;
	if (vmclock_load32(page, VMCLOCK_OFF_magic) != VMCLOCK_MAGIC)
		return VMCLOCK_IUT_INVALID;
	const uint32_t size = vmclock_load32(page, VMCLOCK_OFF_size);
	if (size < VMCLOCK_MIN_SIZE || size > len)
		return VMCLOCK_IUT_INVALID;
	if (vmclock_load16(page, VMCLOCK_OFF_version) != VMCLOCK_VERSION)
		return VMCLOCK_IUT_INVALID;

	/* The driver offers a PTP clock only for its own counter and a usable
	 * time type (R-HDR-COUNTER, R-HDR-TIMETYPE); fields ending beyond size
	 * are absent (R-HDR-SIZE), and time needs everything through
	 * time_frac_sec. Without a clock, only the marker/status part remains. */
	const uint8_t time_type = vmclock_load8(page, VMCLOCK_OFF_time_type);
	const int has_clock = vmclock_load8(page, VMCLOCK_OFF_counter_id) == VMCLOCK_COUNTER_NATIVE &&
	                      time_type <= VMCLOCK_TIME_MONOTONIC &&
	                      size >= VMCLOCK_END(time_frac_sec) &&
	                      counter && counter->read;
	const int has_status = size >= VMCLOCK_END(leap_indicator);

	uint64_t marker, flags, cval = 0, period = 0, tsec = 0, tfrac = 0, cycles = 0;
	uint8_t status = 0, leap = 0, shift = 0;
	const uint64_t deadline = ls_monotonic_ns() + LS_TIMEOUT_NS;
	for (;;) {
		/* Masked: an odd seq turns into the even value before it, which
		 * the fresh load below can only match once the update is over. */
		const uint32_t seq = vmclock_load32(page, VMCLOCK_OFF_seq_count) & ~1u;
		atomic_thread_fence(memory_order_acquire);

		marker = vmclock_load64(page, VMCLOCK_OFF_disruption_marker);
		flags = vmclock_load64(page, VMCLOCK_OFF_flags);
		if (has_status) {
			status = vmclock_load8(page, VMCLOCK_OFF_clock_status);
			leap = vmclock_load8(page, VMCLOCK_OFF_leap_indicator);
		}
		if (has_clock) {
			shift = vmclock_load8(page, VMCLOCK_OFF_counter_period_shift);
			cval = vmclock_load64(page, VMCLOCK_OFF_counter_value);
			period = vmclock_load64(page, VMCLOCK_OFF_counter_period_frac_sec);
			tsec = vmclock_load64(page, VMCLOCK_OFF_time_sec);
			tfrac = vmclock_load64(page, VMCLOCK_OFF_time_frac_sec);
			/* get_cycles() inside the window (R-SEQ-WINDOW). */
			cycles = counter->read(counter->ctx);
		}

		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) == seq)
			break;
		if (ls_monotonic_ns() >= deadline)
			return VMCLOCK_IUT_BUSY;                  /* R-SEQ-BOUNDED */
	}

	out->disruption_marker = marker;
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;
	if (has_status) {
		out->clock_status = status;
		out->leap_indicator = leap;
		out->flags = flags;
		out->filled |= VMCLOCK_IUT_HAS_STATUS;
	}
	/* The driver refuses exactly UNRELIABLE (R-STAT-UNRELIABLE). */
	if (!has_clock || (has_status && status == VMCLOCK_STATUS_UNRELIABLE))
		return VMCLOCK_IUT_NO_TIME;

	/* R-TIME-EXACT, R-TIME-SHIFT: 128-bit product, shift it (>= 128 leaves
	 * nothing, and would be undefined in C), add the fraction, carry the
	 * overflow into seconds, floor to ns. */
	const uint64_t delta = cycles - cval;
	const u128 prod = (u128)delta * period;
	const u128 frac = (shift < 128 ? prod >> shift : 0) + tfrac;
	out->sec = tsec + (uint64_t)(frac >> 64);
	out->nsec = (uint32_t)(((u128)(uint64_t)frac * 1000000000u) >> 64);
	out->counter = cycles;
	out->time_type = time_type;       /* reported as is, never converted */
	out->filled |= VMCLOCK_IUT_HAS_TIME;
	return VMCLOCK_IUT_OK;
}
