/* VMCLOCK-EXPECT: PASS */
/* short_refuser.c - a correct reader that serves only complete
 * structures: any page whose size is below 112 (sizeof(struct
 * vmclock_abi)) gets NO_TIME with nothing filled. That is a refusal, which
 * is never a violation (spec "How findings are charged" 1: "a size below
 * the fields it needs"); it is decided by size alone, a page class, so it
 * is consistent (R-TIME-LIVE), and it serves the size-112 baseline page.
 * Sizes below 32 or above the mapping are still rejected as INVALID, as
 * R-HDR-SIZE requires of every reader. Models a daemon built against the
 * current header that does not want to think about older layouts.
 *
 * Otherwise it reports everything, from one snapshot, written differently
 * from the other bundled readers:
 *   - the snapshot is a copy of the 12 aligned 64-bit words from offset 16
 *     to 112 (marker ... vm_generation_counter; all inside size, which is
 *     >= 112 here), made between two 32-bit loads of seq_count with an
 *     odd test and an equality re-check (R-SEQ-ODD, R-SEQ-TORN,
 *     R-SEQ-WRAP), the counter read inside (R-SEQ-WINDOW); fields are
 *     decoded from the copy only (little-endian words, bytes by shifts);
 *   - at most 2^20 tries and 100 ms, then BUSY (R-SEQ-BOUNDED);
 *   - time with the reference arithmetic (reference/timemath.h: 128-bit
 *     product, any shift, carry; R-TIME-EXACT, R-TIME-SHIFT), rounded to
 *     the NEAREST ns with the carry into seconds (allowed by R-TIME-EXACT;
 *     nsec stays < 10^9, R-CONTRACT);
 *   - error bounds only with TIME_ESTERROR_VALID / TIME_MAXERROR_VALID,
 *     the rate x delta term only with the matching PERIOD_*_VALID,
 *     rounded up and saturating (R-ERR-FLAGS, R-ERR-BOUND);
 *   - vm_generation_counter only with VM_GEN_COUNTER_PRESENT (size >= 112
 *     holds for every page it reads; R-VMGEN); tai_offset_sec, signed,
 *     only with TAI_OFFSET_VALID (R-TIME-TAI);
 *   - the disruption marker and HAS_STATUS (clock_status, leap_indicator,
 *     flags), also with NO_TIME;
 *   - no time for a foreign or INVALID counter, time_type 3 and up, or
 *     UNRELIABLE (R-HDR-COUNTER, R-HDR-TIMETYPE, R-STAT-UNRELIABLE).
 *     MONOTONIC pages are served (time_type 2, not converted); UNKNOWN and
 *     INITIALIZING are served with the status passed on. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "timemath.h"
#include "vmclock_iut.h"

#define SR_MAX_TRIES   (1u << 20)
#define SR_TIMEOUT_NS  (100u * 1000u * 1000u)
#define SR_FIRST_WORD  (VMCLOCK_OFF_disruption_marker / 8)      /* 2 */
#define SR_WORDS       (VMCLOCK_ABI_SIZE / 8)                   /* 14 */

/* Word index of a field, and a byte of the word holding the small fields
 * at offsets 32..39 (pad, clock_status, hint, tai_offset_sec, leap, shift;
 * the word is already in host order, so byte k is bits 8k..8k+7). */
#define SR_W(name)      (VMCLOCK_OFF_##name / 8)
#define SR_BYTE(w, name) ((uint8_t)((w) >> (8 * (VMCLOCK_OFF_##name % 8))))

static inline void sr_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static uint64_t sr_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	struct vmclock_iut_reading none;
	if (!out)
		out = &none;
	memset(out, 0, sizeof(*out));

	if (!page || len < VMCLOCK_MIN_SIZE)                      /* R-HDR-SIZE */
		return VMCLOCK_IUT_INVALID;
	if (vmclock_load32(page, VMCLOCK_OFF_magic) != VMCLOCK_MAGIC)
		return VMCLOCK_IUT_INVALID;                          /* R-HDR-MAGIC */
	if (vmclock_load16(page, VMCLOCK_OFF_version) != VMCLOCK_VERSION)
		return VMCLOCK_IUT_INVALID;                          /* R-HDR-VERSION */
	const uint32_t size = vmclock_load32(page, VMCLOCK_OFF_size);
	if (size < VMCLOCK_MIN_SIZE || size > len)                /* R-HDR-SIZE */
		return VMCLOCK_IUT_INVALID;
	if (size < VMCLOCK_ABI_SIZE)
		return VMCLOCK_IUT_NO_TIME;      /* the refusal: not a full structure */

	/* From here size >= 112: every field is present and mapped. */
	const uint8_t time_type = vmclock_load8(page, VMCLOCK_OFF_time_type);
	const int want_time = vmclock_load8(page, VMCLOCK_OFF_counter_id) == VMCLOCK_COUNTER_NATIVE &&
	                      time_type <= VMCLOCK_TIME_MONOTONIC && counter && counter->read;

	const volatile uint64_t *words = page;
	uint64_t w[SR_WORDS];
	uint64_t c = 0, t0 = 0;
	unsigned tries = 0;
	for (;;) {
		if (tries == SR_MAX_TRIES)
			return VMCLOCK_IUT_BUSY;                      /* R-SEQ-BOUNDED */
		if (++tries % 32 == 0) {
			const uint64_t t = sr_now();
			if (!t0)
				t0 = t;
			else if (t - t0 >= SR_TIMEOUT_NS)
				return VMCLOCK_IUT_BUSY;              /* R-SEQ-BOUNDED */
		}
		const uint32_t seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (seq & 1u) {                                       /* R-SEQ-ODD */
			sr_relax();
			continue;
		}
		atomic_thread_fence(memory_order_acquire);
		for (unsigned i = SR_FIRST_WORD; i < SR_WORDS; i++)
			w[i] = vmclock_le64(words[i]);
		if (want_time)
			c = counter->read(counter->ctx);              /* R-SEQ-WINDOW */
		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) == seq)
			break;                                        /* R-SEQ-TORN, R-SEQ-WRAP */
		sr_relax();
	}

	/* Decode the copy. */
	const uint64_t flags = w[SR_W(flags)];
	const uint64_t small = w[SR_W(clock_status)];
	const uint8_t status = SR_BYTE(small, clock_status);
	const unsigned shift = SR_BYTE(small, counter_period_shift);
	const uint16_t tai_raw = (uint16_t)(small >> (8 * (VMCLOCK_OFF_tai_offset_sec % 8)));

	out->disruption_marker = w[SR_W(disruption_marker)];      /* R-DISR-MARKER */
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;
	out->clock_status = status;
	out->leap_indicator = SR_BYTE(small, leap_indicator);
	out->flags = flags;
	out->filled |= VMCLOCK_IUT_HAS_STATUS;
	if (flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) {              /* R-TIME-TAI: signed */
		out->tai_offset_sec = (int16_t)tai_raw;
		out->filled |= VMCLOCK_IUT_HAS_TAI_OFFSET;
	}
	if (flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) {        /* R-VMGEN (size >= 112) */
		out->vm_generation_counter = w[SR_W(vm_generation_counter)];
		out->filled |= VMCLOCK_IUT_HAS_VMGEN;
	}
	if (!want_time || status == VMCLOCK_STATUS_UNRELIABLE)   /* R-STAT-UNRELIABLE */
		return VMCLOCK_IUT_NO_TIME;

	const uint64_t cval = w[SR_W(counter_value)];
	const struct vmclock_tm_time t = vmclock_tm_at(w[SR_W(time_sec)], w[SR_W(time_frac_sec)], cval,
	                                               w[SR_W(counter_period_frac_sec)], shift, c);
	unsigned carry = 0;
	out->nsec = vmclock_tm_nsec_nearest(t.frac, &carry);      /* < 10^9 */
	out->sec = t.sec + carry;
	out->counter = c;
	out->time_type = time_type;
	out->filled |= VMCLOCK_IUT_HAS_TIME;

	/* Error bounds at the same counter, rounded up, saturating. */
	const uint64_t delta = c - cval;
	if (flags & VMCLOCK_FLAG_TIME_ESTERROR_VALID) {
		const uint64_t rate = (flags & VMCLOCK_FLAG_PERIOD_ESTERROR_VALID)
		                      ? w[SR_W(counter_period_esterror_rate_frac_sec)] : 0;
		out->esterror_ns = vmclock_tm_error_ns(w[SR_W(time_esterror_nanosec)], rate, shift, delta);
		out->filled |= VMCLOCK_IUT_HAS_ESTERROR;
	}
	if (flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID) {
		const uint64_t rate = (flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID)
		                      ? w[SR_W(counter_period_maxerror_rate_frac_sec)] : 0;
		out->maxerror_ns = vmclock_tm_error_ns(w[SR_W(time_maxerror_nanosec)], rate, shift, delta);
		out->filled |= VMCLOCK_IUT_HAS_MAXERROR;
	}
	return VMCLOCK_IUT_OK;
}

const struct vmclock_iut_info *vmclock_iut_info(void)
{
	static const struct vmclock_iut_info info = {
		.contract_version = VMCLOCK_IUT_CONTRACT_VERSION,
		.name = "vmclock-cts short_refuser example (full structures only)",
		.version = "1",
		.provides = VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_ESTERROR |
		            VMCLOCK_IUT_HAS_MAXERROR | VMCLOCK_IUT_HAS_DISRUPTION |
		            VMCLOCK_IUT_HAS_VMGEN | VMCLOCK_IUT_HAS_TAI_OFFSET |
		            VMCLOCK_IUT_HAS_STATUS,
		.caps = 0,
	};
	return &info;
}
