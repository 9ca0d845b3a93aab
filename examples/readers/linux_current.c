/* VMCLOCK-EXPECT: PASS */
/* linux_current.c - the reading algorithm of the CURRENT Linux
 * ptp_vmclock driver, which gives TAI, rewritten from the spec
 * (VMCLOCK-SPEC.md sections 1, 3 and 4); no driver code is copied. The
 * second form of the Linux port the suite must pass (spec section 4).
 * Written in another style than linux_v613.c and linux_style.c, for a
 * 32-bit-friendly build, with choices the suite must accept:
 *   - no struct overlay and no 64-bit loads of the body: every 64-bit
 *     field is two 32-bit little-endian loads (low word first), every
 *     8-bit field one byte load; seq_count is one 32-bit load, as the
 *     protocol needs (R-SEQ-TORN: the seqlock validates the halves);
 *   - an explicit odd test on the first seq load (pause and retry) and a
 *     plain equality test on the second (R-SEQ-ODD, R-SEQ-TORN,
 *     R-SEQ-WRAP), with only the fields it uses loaded in between;
 *   - 100 ms bound on CLOCK_MONOTONIC, looked at every 64 tries, then
 *     BUSY (R-SEQ-BOUNDED);
 *   - no __int128: the 64x64 -> 128 product from four 32x32 products,
 *     the 128-bit shift done by hand for every shift 0..255, 128 and up
 *     giving 0 (R-TIME-EXACT, R-TIME-SHIFT); floor to ns computed from
 *     32-bit halves, which is exact (floor of a floor);
 *   - no vmclock_iut_info: the suite has to probe what it fills.
 * The current policy, refusals with NO_TIME decided per page class (never
 * a violation; spec "How findings are charged" 1):
 *   - counter_id not its counter, time_type 3 or more, time fields
 *     beyond size (R-HDR-COUNTER, R-HDR-TIMETYPE, R-HDR-SIZE);
 *   - MONOTONIC pages (it outputs TAI);
 *   - UTC pages without TAI_OFFSET_VALID (it cannot turn them into TAI);
 *     TAI pages are served whatever that flag says;
 *   - clock_status UNRELIABLE (R-STAT-UNRELIABLE).
 * Time is reported in the page's own time_type (not converted). It fills
 * the time, the disruption marker and the clock status (contract 1.1's
 * HAS_CLOCK_STATUS), all from one validated snapshot. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "vmclock_iut.h"

#define LC_BOUND_NS   (100ull * 1000 * 1000)
#define LC_CLOCK_EVERY 64u

static inline void lc_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static uint64_t lc_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Loads. A 64-bit field is two aligned 32-bit loads, low word first. */
static inline uint8_t lc_u8(const volatile uint8_t *p, unsigned off)
{
	return p[off];
}
static inline uint32_t lc_u32(const volatile uint8_t *p, unsigned off)
{
	return vmclock_le32(*(const volatile uint32_t *)(p + off));
}
static inline uint64_t lc_u64(const volatile uint8_t *p, unsigned off)
{
	const uint32_t lo = lc_u32(p, off);
	const uint32_t hi = lc_u32(p, off + 4);
	return (uint64_t)hi << 32 | lo;
}

/* 64 x 64 -> 128, as hi:lo. */
static void lc_mul(uint64_t a, uint64_t b, uint64_t *hi, uint64_t *lo)
{
	const uint64_t al = (uint32_t)a, ah = a >> 32, bl = (uint32_t)b, bh = b >> 32;
	const uint64_t ll = al * bl, lh = al * bh, hl = ah * bl, hh = ah * bh;
	const uint64_t mid = (ll >> 32) + (uint32_t)lh + (uint32_t)hl;   /* < 3 * 2^32 */
	*lo = (mid << 32) | (uint32_t)ll;
	*hi = hh + (lh >> 32) + (hl >> 32) + (mid >> 32);
}

/* hi:lo >>= n for any n; nothing is left from 128 on. No C shift reaches
 * 64 (R-TIME-SHIFT). */
static void lc_shr(uint64_t *hi, uint64_t *lo, unsigned n)
{
	if (n >= 128) {
		*hi = *lo = 0;
	} else if (n >= 64) {
		*lo = *hi >> (n - 64);
		*hi = 0;
	} else if (n) {
		*lo = (*lo >> n) | (*hi << (64 - n));
		*hi >>= n;
	}
}

/* floor(frac * 10^9 / 2^64) from 32-bit halves: with frac = h 2^32 + l,
 * floor((h 10^9 2^32 + l 10^9) / 2^64) = floor((h 10^9 + floor(l 10^9 / 2^32)) / 2^32). */
static uint32_t lc_ns_floor(uint64_t frac)
{
	const uint64_t h = frac >> 32, l = (uint32_t)frac;
	return (uint32_t)((h * 1000000000ull + ((l * 1000000000ull) >> 32)) >> 32);
}

int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	const volatile uint8_t *p = page;
	struct vmclock_iut_reading none;
	if (!out)
		out = &none;
	memset(out, 0, sizeof(*out));

	if (!p || len < VMCLOCK_MIN_SIZE)                          /* R-HDR-SIZE */
		return VMCLOCK_IUT_INVALID;
	if (lc_u32(p, VMCLOCK_OFF_magic) != VMCLOCK_MAGIC)         /* R-HDR-MAGIC */
		return VMCLOCK_IUT_INVALID;
	if ((lc_u8(p, VMCLOCK_OFF_version) | lc_u8(p, VMCLOCK_OFF_version + 1) << 8) != VMCLOCK_VERSION)
		return VMCLOCK_IUT_INVALID;                          /* R-HDR-VERSION */
	const uint32_t size = lc_u32(p, VMCLOCK_OFF_size);
	if (size < VMCLOCK_MIN_SIZE || size > len)                 /* R-HDR-SIZE */
		return VMCLOCK_IUT_INVALID;
	const uint8_t time_type = lc_u8(p, VMCLOCK_OFF_time_type);
	const int clock_ok = lc_u8(p, VMCLOCK_OFF_counter_id) == VMCLOCK_COUNTER_NATIVE &&
	                     (time_type == VMCLOCK_TIME_TAI || time_type == VMCLOCK_TIME_UTC) &&
	                     size >= VMCLOCK_END(time_frac_sec) && counter && counter->read;
	const int status_ok = size >= VMCLOCK_END(clock_status);

	uint64_t marker = 0, flags = 0, cval = 0, period = 0, tsec = 0, tfrac = 0, now = 0;
	uint8_t status = 0, shift = 0;
	uint64_t t_start = 0;
	for (unsigned tries = 1;; tries++) {
		if (tries % LC_CLOCK_EVERY == 0) {
			const uint64_t t = lc_mono_ns();
			if (!t_start)
				t_start = t;
			else if (t - t_start > LC_BOUND_NS)
				return VMCLOCK_IUT_BUSY;                  /* R-SEQ-BOUNDED */
		}
		const uint32_t seq = lc_u32(p, VMCLOCK_OFF_seq_count);
		if (seq & 1u) {                                       /* R-SEQ-ODD */
			lc_pause();
			continue;
		}
		atomic_thread_fence(memory_order_acquire);
		marker = lc_u64(p, VMCLOCK_OFF_disruption_marker);
		flags = lc_u64(p, VMCLOCK_OFF_flags);
		if (status_ok)
			status = lc_u8(p, VMCLOCK_OFF_clock_status);
		if (clock_ok) {
			shift = lc_u8(p, VMCLOCK_OFF_counter_period_shift);
			cval = lc_u64(p, VMCLOCK_OFF_counter_value);
			period = lc_u64(p, VMCLOCK_OFF_counter_period_frac_sec);
			tsec = lc_u64(p, VMCLOCK_OFF_time_sec);
			tfrac = lc_u64(p, VMCLOCK_OFF_time_frac_sec);
			now = counter->read(counter->ctx);            /* R-SEQ-WINDOW */
		}
		atomic_thread_fence(memory_order_acquire);
		if (lc_u32(p, VMCLOCK_OFF_seq_count) == seq)          /* R-SEQ-TORN, R-SEQ-WRAP */
			break;
		lc_pause();
	}

	out->disruption_marker = marker;
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;
	if (status_ok) {
		out->clock_status = status;
		out->filled |= VMCLOCK_IUT_HAS_CLOCK_STATUS;
	}
	if (!clock_ok)
		return VMCLOCK_IUT_NO_TIME;
	/* TAI out: a UTC page needs its offset; a TAI page is TAI already. */
	if (time_type == VMCLOCK_TIME_UTC && !(flags & VMCLOCK_FLAG_TAI_OFFSET_VALID))
		return VMCLOCK_IUT_NO_TIME;
	if (status == VMCLOCK_STATUS_UNRELIABLE)                  /* R-STAT-UNRELIABLE */
		return VMCLOCK_IUT_NO_TIME;

	uint64_t hi, lo;
	lc_mul(now - cval, period, &hi, &lo);                     /* delta mod 2^64 */
	lc_shr(&hi, &lo, shift);
	const uint64_t frac = lo + tfrac;
	out->sec = tsec + hi + (frac < lo);                       /* carry into seconds */
	out->nsec = lc_ns_floor(frac);
	out->counter = now;
	out->time_type = time_type;
	out->filled |= VMCLOCK_IUT_HAS_TIME;
	return VMCLOCK_IUT_OK;
}
