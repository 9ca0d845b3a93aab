/* VMCLOCK-EXPECT: PASS */
/* linux_v613.c - the reading algorithm of Linux's ptp_vmclock driver as
 * it was in v6.13, which gives UTC, rewritten from the spec
 * (VMCLOCK-SPEC.md sections 1, 3 and 4) in a user-space reader; no driver
 * code is copied. It is one of the correct readers the suite must pass
 * (spec section 4: "a port of the Linux PTP driver's algorithm, in both
 * its forms"). The Linux idioms it keeps, all legal:
 *   - the page seen through the ABI struct (struct vmclock_abi from
 *     reference/abi.h), every field loaded once, little-endian
 *     converted; the constant header checked once up front ("probe");
 *   - the kernel's seq idiom: the first load is masked (seq & ~1) and
 *     compared once, after the body, with a fresh unmasked load. An odd
 *     first load can only match once the update is over, and an odd
 *     second load never matches (R-SEQ-ODD, R-SEQ-TORN, R-SEQ-WRAP:
 *     equality only);
 *   - a do/while retry bounded by 100 ms of CLOCK_MONOTONIC, then BUSY
 *     (Linux: -ETIMEDOUT; R-SEQ-BOUNDED);
 *   - the counter read inside the window (get_cycles; R-SEQ-WINDOW);
 *   - a 128-bit product shifted by counter_period_shift, the fraction's
 *     carry into the seconds, floor to ns (R-TIME-EXACT). The one
 *     departure from the driver, which the spec calls a defect of the
 *     verbatim code: a shift of 128 or more gives 0 instead of an
 *     undefined C shift (R-TIME-SHIFT);
 *   - size >= 32 and <= the mapping, else INVALID; a field that ends
 *     beyond size is absent (R-HDR-SIZE).
 * The v6.13 policy, refusals with NO_TIME (a refusal is never a
 * violation; spec "How findings are charged" 1), decided per page class:
 *   - counter_id not the counter it reads (R-HDR-COUNTER), time_type 3 or
 *     more (R-HDR-TIMETYPE), fields through time_frac_sec absent;
 *   - MONOTONIC pages (it outputs UTC; v6.13 offers no monotonic clock);
 *   - TAI pages without TAI_OFFSET_VALID (it cannot turn them into UTC);
 *   - clock_status UNRELIABLE (R-STAT-UNRELIABLE); UNKNOWN and
 *     INITIALIZING are served, as Linux does, with the status passed on.
 * The time is reported in the page's own time_type (the contract: sec is
 * not converted), so a TAI page's time is TAI. It reports what the PTP
 * driver has: the time, the disruption marker and the clock status only
 * (contract 1.1's HAS_CLOCK_STATUS, not HAS_STATUS: no leap indicator,
 * no flags), and declares them in vmclock_iut_info. The refusal decisions
 * and every reported field come from the one validated snapshot, never
 * from a load outside it. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "vmclock_iut.h"

#define V613_TIMEOUT_NS (100ull * 1000 * 1000)      /* 100 ms, as the driver */
#define NSEC_PER_SEC    1000000000u

__extension__ typedef unsigned __int128 v613_u128;

static uint64_t v613_ktime_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * NSEC_PER_SEC + (uint64_t)ts.tv_nsec;
}

/* The v6.13 clock: UTC from a UTC page, or from a TAI page whose offset
 * is valid. Anything else has no UTC to give. */
static int v613_serves(uint8_t time_type, uint64_t flags)
{
	if (time_type == VMCLOCK_TIME_UTC)
		return 1;
	if (time_type == VMCLOCK_TIME_TAI)
		return (flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) != 0;
	return 0;                                  /* MONOTONIC, 3, 4, unknown */
}

int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	const volatile struct vmclock_abi *clk = page;
	struct vmclock_iut_reading none;
	if (!out)
		out = &none;
	memset(out, 0, sizeof(*out));

	/* Probe: the constant header. Below 32 mapped bytes not even these
	 * loads are safe (R-HDR-SIZE). */
	if (!clk || len < VMCLOCK_MIN_SIZE)
		return VMCLOCK_IUT_INVALID;
	if (vmclock_le32(clk->magic) != VMCLOCK_MAGIC)             /* R-HDR-MAGIC */
		return VMCLOCK_IUT_INVALID;
	const uint32_t size = vmclock_le32(clk->size);
	if (size < VMCLOCK_MIN_SIZE || size > len)                 /* R-HDR-SIZE */
		return VMCLOCK_IUT_INVALID;
	if (vmclock_le16(clk->version) != VMCLOCK_VERSION)         /* R-HDR-VERSION */
		return VMCLOCK_IUT_INVALID;
	const uint8_t counter_id = clk->counter_id;
	const uint8_t time_type = clk->time_type;

	/* Which protected fields exist (R-HDR-SIZE). flags ends at 32, so it
	 * and the marker always do. */
	const int has_status = size >= VMCLOCK_END(clock_status);
	const int has_clock = counter_id == VMCLOCK_COUNTER_NATIVE &&           /* R-HDR-COUNTER */
	                      (time_type == VMCLOCK_TIME_UTC || time_type == VMCLOCK_TIME_TAI) &&
	                      size >= VMCLOCK_END(time_frac_sec) &&
	                      counter && counter->read;

	uint32_t seq;
	int settled;
	uint64_t marker, flags, cycles = 0, cval = 0, period = 0, tsec = 0, tfrac = 0;
	uint8_t status = 0, shift = 0;
	const uint64_t deadline = v613_ktime_ns() + V613_TIMEOUT_NS;
	do {
		seq = vmclock_le32(clk->seq_count) & ~1u;
		atomic_thread_fence(memory_order_acquire);          /* virt_rmb */

		marker = vmclock_le64(clk->disruption_marker);
		flags = vmclock_le64(clk->flags);
		if (has_status)
			status = clk->clock_status;
		if (has_clock) {
			shift = clk->counter_period_shift;
			cval = vmclock_le64(clk->counter_value);
			period = vmclock_le64(clk->counter_period_frac_sec);
			tsec = vmclock_le64(clk->time_sec);
			tfrac = vmclock_le64(clk->time_frac_sec);
			cycles = counter->read(counter->ctx);        /* R-SEQ-WINDOW */
		}

		atomic_thread_fence(memory_order_acquire);          /* virt_rmb */
		settled = vmclock_le32(clk->seq_count) == seq;
	} while (!settled && v613_ktime_ns() < deadline);
	if (!settled)
		return VMCLOCK_IUT_BUSY;                            /* R-SEQ-BOUNDED */

	/* From here on only the snapshot. */
	out->disruption_marker = marker;                            /* R-DISR-MARKER */
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;
	if (has_status) {
		out->clock_status = status;
		out->filled |= VMCLOCK_IUT_HAS_CLOCK_STATUS;
	}

	if (!has_clock || !v613_serves(time_type, flags))
		return VMCLOCK_IUT_NO_TIME;
	if (status == VMCLOCK_STATUS_UNRELIABLE)                    /* R-STAT-UNRELIABLE */
		return VMCLOCK_IUT_NO_TIME;

	/* delta wraps mod 2^64 when the counter is below counter_value, as
	 * Linux does (R-TIME-NEGDELTA). */
	const uint64_t delta = cycles - cval;
	const v613_u128 prod = (v613_u128)delta * period;
	const v613_u128 scaled = shift < 128 ? prod >> shift : 0;  /* R-TIME-SHIFT */
	const v613_u128 frac = scaled + tfrac;                      /* < 2^128 */
	out->sec = tsec + (uint64_t)(frac >> 64);                   /* carry into seconds */
	out->nsec = (uint32_t)(((v613_u128)(uint64_t)frac * NSEC_PER_SEC) >> 64);   /* floor */
	out->counter = cycles;
	out->time_type = time_type;                                 /* not converted */
	out->filled |= VMCLOCK_IUT_HAS_TIME;
	return VMCLOCK_IUT_OK;
}

const struct vmclock_iut_info *vmclock_iut_info(void)
{
	static const struct vmclock_iut_info info = {
		.contract_version = VMCLOCK_IUT_CONTRACT_VERSION,
		.name = "Linux ptp_vmclock v6.13 algorithm (UTC)",
		.version = "6.13",
		.provides = VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_DISRUPTION |
		            VMCLOCK_IUT_HAS_CLOCK_STATUS,
		.caps = 0,
	};
	return &info;
}
