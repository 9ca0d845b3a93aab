/* reader.c - the reference VMClock reader: the model of correctness for the
 * whole suite. Written from shared VMCLOCK-SPEC.md (section 1 and the reader
 * clauses R-*); every decision below cites the clause it serves.
 *
 * Shape (as the Linux PTP driver does it):
 *   1. constant header checks (magic, version, size vs mapping);
 *   2. seqcount loop: seq, acquire fence, copy the present protected fields,
 *      read the counter, acquire fence, seq again; retry on odd or changed
 *      seq, bounded in attempts and wall time;
 *   3. decide what the snapshot offers and compute time and error bounds
 *      from the copy only (never from the live page). */
#include "reader.h"

#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "abi.h"
#include "timemath.h"
#include "timemath_inline.h"

/* Check the wall clock only every this many attempts: the common case
 * (first attempt succeeds) never calls clock_gettime. */
#define REF_CLOCK_CHECK_EVERY 256u

/* The protected fields the reader uses, copied out of one seq window. */
struct snap {
	uint32_t seq;
	uint64_t disruption_marker, flags;
	uint8_t clock_status, leap_indicator, shift;
	int16_t tai_offset_sec;
	uint64_t counter_value, period, period_esterror, period_maxerror;
	uint64_t time_sec, time_frac, time_esterror, time_maxerror;
	uint64_t vmgen;
	uint64_t counter;      /* counter reading taken inside the window */
};

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* A field is present iff it ends at or before `avail` = min(size, len)
 * (R-HDR-SIZE: a field beyond size is absent, and nothing past the mapping
 * is ever loaded). */
#define PRESENT(avail, name) ((size_t)VMCLOCK_END(name) <= (avail))

/* R-SEQ-BOUNDED: 1 when the seqcount loop must give up (attempts, or the
 * wall time, looked at only every REF_CLOCK_CHECK_EVERY attempts). */
static inline int give_up(unsigned *attempts, uint64_t *t0)
{
	if (*attempts >= VMCLOCK_REF_MAX_RETRIES)
		return 1;
	if (*attempts && *attempts % REF_CLOCK_CHECK_EVERY == 0) {
		uint64_t t = now_ns();
		if (!*t0)
			*t0 = t;
		else if (t - *t0 >= VMCLOCK_REF_TIMEOUT_NS)
			return 1;
	}
	(*attempts)++;
	return 0;
}

/* The read path of a page whose size covers the whole structure (every
 * real page; size >= 112 <= len was checked by the caller). The same
 * protocol and the same decisions as the general path below, with every
 * field present: no per-field size checks, the snapshot in registers,
 * bytes 32..39 (pad, clock_status, smearing hint, tai_offset_sec,
 * leap_indicator, counter_period_shift) as one load, and nothing decided
 * twice. Per read: the seqlock, the counter, the arithmetic. */
static int read_full(const volatile void *page, const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out, int time_possible, uint8_t time_type)
{
	uint64_t marker, flags, w, cval, period, per_est, per_max, tsec, tfrac, t_est, t_max, vmgen, c = 0, t0 = 0;
	unsigned attempts = 0;
	for (;;) {
		if (give_up(&attempts, &t0))
			return VMCLOCK_IUT_BUSY;
		uint32_t seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (seq & 1u) {                               /* R-SEQ-ODD */
			cpu_relax();
			continue;
		}
		atomic_thread_fence(memory_order_acquire);
		/* The counter first: inside the window all the same (R-SEQ-WINDOW),
		 * and no loaded field has to live across the call. */
		if (time_possible)
			c = counter->read(counter->ctx);
		marker = vmclock_load64(page, VMCLOCK_OFF_disruption_marker);
		flags = vmclock_load64(page, VMCLOCK_OFF_flags);
		w = vmclock_load64(page, VMCLOCK_OFF_pad);
		cval = vmclock_load64(page, VMCLOCK_OFF_counter_value);
		period = vmclock_load64(page, VMCLOCK_OFF_counter_period_frac_sec);
		per_est = vmclock_load64(page, VMCLOCK_OFF_counter_period_esterror_rate_frac_sec);
		per_max = vmclock_load64(page, VMCLOCK_OFF_counter_period_maxerror_rate_frac_sec);
		tsec = vmclock_load64(page, VMCLOCK_OFF_time_sec);
		tfrac = vmclock_load64(page, VMCLOCK_OFF_time_frac_sec);
		t_est = vmclock_load64(page, VMCLOCK_OFF_time_esterror_nanosec);
		t_max = vmclock_load64(page, VMCLOCK_OFF_time_maxerror_nanosec);
		vmgen = vmclock_load64(page, VMCLOCK_OFF_vm_generation_counter);
		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) == seq)   /* R-SEQ-TORN, -WRAP */
			break;
	}
#define BYTE_AT(off) ((uint8_t)(w >> (8 * ((off) - VMCLOCK_OFF_pad))))
	const uint8_t status = BYTE_AT(VMCLOCK_OFF_clock_status), shift = BYTE_AT(VMCLOCK_OFF_counter_period_shift);
	out->disruption_marker = marker;                  /* R-DISR-MARKER */
	out->clock_status = status;
	out->leap_indicator = BYTE_AT(VMCLOCK_OFF_leap_indicator);
	out->flags = flags;
	uint32_t filled = VMCLOCK_IUT_HAS_DISRUPTION | VMCLOCK_IUT_HAS_STATUS;
	if (flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) {      /* R-TIME-TAI */
		out->tai_offset_sec = (int16_t)(uint16_t)(BYTE_AT(VMCLOCK_OFF_tai_offset_sec) |
		                                          BYTE_AT(VMCLOCK_OFF_tai_offset_sec + 1) << 8);
		filled |= VMCLOCK_IUT_HAS_TAI_OFFSET;
	}
#undef BYTE_AT
	if (flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) { /* R-VMGEN */
		out->vm_generation_counter = vmgen;
		filled |= VMCLOCK_IUT_HAS_VMGEN;
	}
	if (!time_possible || status == VMCLOCK_STATUS_UNRELIABLE) {   /* R-STAT-UNRELIABLE */
		out->filled = filled;
		return VMCLOCK_IUT_NO_TIME;
	}
	struct vmclock_tm_time t = vmclock_tm_at_inline(tsec, tfrac, cval, period, shift, c);   /* R-TIME-EXACT */
	out->sec = t.sec;
	out->nsec = vmclock_tm_nsec_floor_inline(t.frac);
	out->counter = c;
	out->time_type = time_type;
	filled |= VMCLOCK_IUT_HAS_TIME;
	const uint64_t delta = c - cval;                  /* R-ERR-FLAGS, R-ERR-BOUND */
	if (flags & VMCLOCK_FLAG_TIME_ESTERROR_VALID) {
		out->esterror_ns = vmclock_tm_error_ns_inline(t_est, (flags & VMCLOCK_FLAG_PERIOD_ESTERROR_VALID) ? per_est : 0,
		                                              shift, delta);
		filled |= VMCLOCK_IUT_HAS_ESTERROR;
	}
	if (flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID) {
		out->maxerror_ns = vmclock_tm_error_ns_inline(t_max, (flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID) ? per_max : 0,
		                                              shift, delta);
		filled |= VMCLOCK_IUT_HAS_MAXERROR;
	}
	out->filled = filled;
	return VMCLOCK_IUT_OK;
}

int vmclock_ref_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	struct vmclock_iut_reading dummy;
	if (!out)
		out = &dummy;
	memset(out, 0, sizeof(*out));

	/* R-HDR-SIZE: the header itself (through flags) must be mapped before
	 * any load; len < 32 means not even magic/size can be trusted. */
	if (!page || len < VMCLOCK_MIN_SIZE)
		return VMCLOCK_IUT_INVALID;

	/* Constant header (spec: magic, size, version, counter_id, time_type
	 * are not under the seqcount), loaded once, in two loads: bytes 0..7
	 * (magic, size) and 8..11 (version, counter_id, time_type). Every call
	 * checks it again: the same address may hold another page next time
	 * (the suite's own view does), so nothing is cached across calls. */
	uint64_t h0 = vmclock_load64(page, VMCLOCK_OFF_magic);
	uint32_t h1 = vmclock_load32(page, VMCLOCK_OFF_version);
	if ((uint32_t)h0 != VMCLOCK_MAGIC)                 /* R-HDR-MAGIC */
		return VMCLOCK_IUT_INVALID;
	if ((uint16_t)h1 != VMCLOCK_VERSION)              /* R-HDR-VERSION */
		return VMCLOCK_IUT_INVALID;
	uint32_t size = (uint32_t)(h0 >> 32);
	if (size < VMCLOCK_MIN_SIZE || size > len)        /* R-HDR-SIZE */
		return VMCLOCK_IUT_INVALID;
	uint8_t counter_id = (uint8_t)(h1 >> 16);
	uint8_t time_type = (uint8_t)(h1 >> 24);
	const size_t avail = size;                        /* size <= len here */

	/* Can this page give us time at all? Decided from constant fields so
	 * the counter is only read when it could be used.
	 * R-HDR-COUNTER: only the counter we read; R-HDR-TIMETYPE: only UTC, TAI,
	 * MONOTONIC; R-HDR-SIZE: time needs every field through time_frac_sec. */
	const int time_possible = counter_id == VMCLOCK_COUNTER_NATIVE &&
	                          time_type <= VMCLOCK_TIME_MONOTONIC &&
	                          PRESENT(avail, time_frac_sec) &&
	                          counter && counter->read;
	if (avail >= VMCLOCK_ABI_SIZE)
		return read_full(page, counter, out, time_possible, time_type);

	struct snap s;
	uint64_t t0 = 0;
	unsigned attempts = 0;
	for (;;) {
		if (attempts >= VMCLOCK_REF_MAX_RETRIES)      /* R-SEQ-BOUNDED */
			return VMCLOCK_IUT_BUSY;
		if (attempts && attempts % REF_CLOCK_CHECK_EVERY == 0) {
			uint64_t t = now_ns();
			if (!t0)
				t0 = t;
			else if (t - t0 >= VMCLOCK_REF_TIMEOUT_NS)  /* R-SEQ-BOUNDED */
				return VMCLOCK_IUT_BUSY;
		}
		attempts++;

		memset(&s, 0, sizeof(s));
		s.seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (s.seq & 1u) {                             /* R-SEQ-ODD */
			cpu_relax();
			continue;
		}
		/* Loads of the body must not be satisfied before the seq load. */
		atomic_thread_fence(memory_order_acquire);

		/* Only fields that are present (R-HDR-SIZE). size >= 32, so
		 * disruption_marker and flags always are; the rest are checked. */
		if (PRESENT(avail, disruption_marker))
			s.disruption_marker = vmclock_load64(page, VMCLOCK_OFF_disruption_marker);
		if (PRESENT(avail, flags))
			s.flags = vmclock_load64(page, VMCLOCK_OFF_flags);
		if (PRESENT(avail, clock_status))
			s.clock_status = vmclock_load8(page, VMCLOCK_OFF_clock_status);
		if (PRESENT(avail, tai_offset_sec))
			s.tai_offset_sec = (int16_t)vmclock_load16(page, VMCLOCK_OFF_tai_offset_sec);
		if (PRESENT(avail, leap_indicator))
			s.leap_indicator = vmclock_load8(page, VMCLOCK_OFF_leap_indicator);
		if (PRESENT(avail, counter_period_shift))
			s.shift = vmclock_load8(page, VMCLOCK_OFF_counter_period_shift);
		if (PRESENT(avail, counter_value))
			s.counter_value = vmclock_load64(page, VMCLOCK_OFF_counter_value);
		if (PRESENT(avail, counter_period_frac_sec))
			s.period = vmclock_load64(page, VMCLOCK_OFF_counter_period_frac_sec);
		if (PRESENT(avail, counter_period_esterror_rate_frac_sec))
			s.period_esterror = vmclock_load64(page, VMCLOCK_OFF_counter_period_esterror_rate_frac_sec);
		if (PRESENT(avail, counter_period_maxerror_rate_frac_sec))
			s.period_maxerror = vmclock_load64(page, VMCLOCK_OFF_counter_period_maxerror_rate_frac_sec);
		if (PRESENT(avail, time_sec))
			s.time_sec = vmclock_load64(page, VMCLOCK_OFF_time_sec);
		if (PRESENT(avail, time_frac_sec))
			s.time_frac = vmclock_load64(page, VMCLOCK_OFF_time_frac_sec);
		if (PRESENT(avail, time_esterror_nanosec))
			s.time_esterror = vmclock_load64(page, VMCLOCK_OFF_time_esterror_nanosec);
		if (PRESENT(avail, time_maxerror_nanosec))
			s.time_maxerror = vmclock_load64(page, VMCLOCK_OFF_time_maxerror_nanosec);
		if (PRESENT(avail, vm_generation_counter))
			s.vmgen = vmclock_load64(page, VMCLOCK_OFF_vm_generation_counter);

		/* R-SEQ-WINDOW: the counter is read between the two seq loads, so
		 * when the second load matches, the state copied was current at
		 * this counter reading. */
		if (time_possible)
			s.counter = counter->read(counter->ctx);

		/* Body loads (and the counter read) must complete before the
		 * seq re-check. */
		atomic_thread_fence(memory_order_acquire);
		/* R-SEQ-TORN / R-SEQ-WRAP: plain inequality, no ordering
		 * comparison, so 0xffffffff -> 0 needs no special case. */
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) != s.seq)
			continue;
		break;
	}

	/* Everything below works on the copy only. */
	out->disruption_marker = s.disruption_marker;     /* R-DISR-MARKER */
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;

	if (PRESENT(avail, leap_indicator)) {             /* end 39 (brief: end 40) */
		out->clock_status = s.clock_status;
		out->leap_indicator = s.leap_indicator;
		out->flags = s.flags;
		out->filled |= VMCLOCK_IUT_HAS_STATUS;
	}
	/* R-TIME-TAI: only when valid, sign-extended from int16. */
	if (PRESENT(avail, tai_offset_sec) && (s.flags & VMCLOCK_FLAG_TAI_OFFSET_VALID)) {
		out->tai_offset_sec = s.tai_offset_sec;
		out->filled |= VMCLOCK_IUT_HAS_TAI_OFFSET;
	}
	/* R-VMGEN: only with the flag and the field inside size. */
	if (PRESENT(avail, vm_generation_counter) &&
	    (s.flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT)) {
		out->vm_generation_counter = s.vmgen;
		out->filled |= VMCLOCK_IUT_HAS_VMGEN;
	}

	/* R-STAT-UNRELIABLE: the only status Linux refuses. UNKNOWN and
	 * INITIALIZING still give time (Linux does; the suite only warns). */
	if (!time_possible || s.clock_status == VMCLOCK_STATUS_UNRELIABLE)
		return VMCLOCK_IUT_NO_TIME;

	/* R-TIME-EXACT / R-TIME-SHIFT: 128-bit product, shift 0..255, carry;
	 * floored to ns as Linux does. */
	struct vmclock_tm_time t = vmclock_tm_at(s.time_sec, s.time_frac, s.counter_value,
	                                         s.period, s.shift, s.counter);
	out->sec = t.sec;
	out->nsec = vmclock_tm_nsec_floor(t.frac);
	out->counter = s.counter;
	out->time_type = time_type;                       /* R-HDR-TIMETYPE: never converted */
	out->filled |= VMCLOCK_IUT_HAS_TIME;

	/* R-ERR-FLAGS / R-ERR-BOUND: a bound only with its time VALID flag and
	 * the field present; the rate term only with the period flag; rounded
	 * up and saturating in vmclock_tm_error_ns. delta wraps like the time
	 * (R-TIME-NEGDELTA), which only makes the bound larger. */
	const uint64_t delta = s.counter - s.counter_value;
	if ((s.flags & VMCLOCK_FLAG_TIME_ESTERROR_VALID) && PRESENT(avail, time_esterror_nanosec)) {
		uint64_t rate = (s.flags & VMCLOCK_FLAG_PERIOD_ESTERROR_VALID) ? s.period_esterror : 0;
		out->esterror_ns = vmclock_tm_error_ns(s.time_esterror, rate, s.shift, delta);
		out->filled |= VMCLOCK_IUT_HAS_ESTERROR;
	}
	if ((s.flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID) && PRESENT(avail, time_maxerror_nanosec)) {
		uint64_t rate = (s.flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID) ? s.period_maxerror : 0;
		out->maxerror_ns = vmclock_tm_error_ns(s.time_maxerror, rate, s.shift, delta);
		out->filled |= VMCLOCK_IUT_HAS_MAXERROR;
	}
	return VMCLOCK_IUT_OK;
}
