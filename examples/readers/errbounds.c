/* VMCLOCK-EXPECT: PASS */
/* errbounds.c - a second correct reader, written differently from both the
 * reference reader and linux_style.c, that also reports error bounds, the VM
 * generation counter and the TAI offset. It models a clock-error-bound
 * daemon (ClockBound-like) and is the "reader that also reports error
 * bounds" the suite must pass without false alarms (spec section 4). The
 * legal choices it makes that the suite must accept:
 *   - no 128-bit integer type: all wide arithmetic is done in 32-bit limbs
 *     with 32x32->64 partial products (portable to 32-bit targets);
 *   - time rounded to the NEAREST ns (ties up), with the carry into seconds
 *     (R-TIME-EXACT allows floor or nearest);
 *   - error bounds rounded UP and saturating at UINT64_MAX (R-ERR-BOUND:
 *     never understated);
 *   - the body is copied byte by byte from the volatile page and decoded as
 *     little-endian from the copy (no struct overlay, endian-independent);
 *   - at most 1000 snapshot attempts, then BUSY (R-SEQ-BOUNDED).
 * Not a bug model: it must PASS. */
#include <stdatomic.h>
#include <stdint.h>
#include <string.h>

#include "abi.h"
#include "vmclock_iut.h"

#define EB_MAX_ATTEMPTS 1000u
#define EB_NS_PER_SEC   1000000000u
#define EB_LIMBS        8              /* 256-bit scratch numbers */

/* Between attempts: let the writer (often the other hyperthread) finish. */
static inline void eb_pause(void)
{
#if defined(__x86_64__) || defined(__i386__)
	__builtin_ia32_pause();
#elif defined(__aarch64__)
	__asm__ __volatile__("yield" ::: "memory");
#endif
}

/* ---- little-endian decoding from the local copy ---- */
static uint64_t eb_get(const uint8_t *buf, unsigned off, unsigned n)
{
	uint64_t v = 0;
	while (n--)
		v = (v << 8) | buf[off + n];
	return v;
}

/* ---- multi-word unsigned arithmetic, 32-bit limbs, least significant first ---- */
struct eb_num {
	uint32_t w[EB_LIMBS];
};

static void eb_set64(struct eb_num *n, uint64_t v)
{
	memset(n, 0, sizeof(*n));
	n->w[0] = (uint32_t)v;
	n->w[1] = (uint32_t)(v >> 32);
}

static uint64_t eb_get64(const struct eb_num *n, unsigned limb)
{
	return (uint64_t)n->w[limb] | (uint64_t)n->w[limb + 1] << 32;
}

/* r = a * b, truncated to EB_LIMBS limbs (callers keep products well inside:
 * at most 64 x 64 x 30 = 158 bits). Each step: 32x32->64 plus two 32-bit
 * addends, which cannot exceed 2^64 - 1. */
static void eb_mul(struct eb_num *r, const struct eb_num *a, const struct eb_num *b)
{
	struct eb_num t;
	memset(&t, 0, sizeof(t));
	for (unsigned i = 0; i < EB_LIMBS; i++) {
		if (!a->w[i])
			continue;
		uint64_t carry = 0;
		for (unsigned j = 0; i + j < EB_LIMBS; j++) {
			uint64_t p = (uint64_t)a->w[i] * b->w[j] + t.w[i + j] + carry;
			t.w[i + j] = (uint32_t)p;
			carry = p >> 32;
		}
	}
	*r = t;
}

/* q = n >> k for any k (bits shifted out of a 256-bit number: all of them
 * once k >= 256). Returns nonzero when a 1 bit was shifted out, for
 * rounding up. No C shift ever reaches the operand width (R-TIME-SHIFT). */
static int eb_shr(struct eb_num *q, const struct eb_num *n, unsigned k)
{
	const unsigned ws = k / 32, bs = k % 32;
	int lost = 0;
	for (unsigned i = 0; i < ws && i < EB_LIMBS; i++)
		lost |= n->w[i] != 0;
	if (ws < EB_LIMBS && bs)
		lost |= (n->w[ws] & ((UINT32_C(1) << bs) - 1)) != 0;
	for (unsigned i = 0; i < EB_LIMBS; i++) {
		const unsigned src = i + ws;
		const uint32_t lo = src < EB_LIMBS ? n->w[src] : 0;
		const uint32_t hi = src + 1 < EB_LIMBS ? n->w[src + 1] : 0;
		q->w[i] = bs ? (lo >> bs) | (uint32_t)(hi << (32 - bs)) : lo;
	}
	return lost;
}

/* Error bound in ns: base + ceil(delta * rate * 10^9 / 2^(64+shift)), where
 * rate is in 2^-(64+shift) s per tick. Rounded up and saturating: a bound
 * must never be understated (R-ERR-BOUND). */
static uint64_t eb_error_ns(uint64_t base, uint64_t rate, unsigned shift, uint64_t delta)
{
	struct eb_num a, b, n, q;
	eb_set64(&a, delta);
	eb_set64(&b, rate);
	eb_mul(&n, &a, &b);
	eb_set64(&b, EB_NS_PER_SEC);
	eb_mul(&n, &n, &b);
	const int lost = eb_shr(&q, &n, 64u + shift);
	for (unsigned i = 2; i < EB_LIMBS; i++)
		if (q.w[i])
			return UINT64_MAX;
	uint64_t grow = eb_get64(&q, 0);
	if (lost) {
		if (grow == UINT64_MAX)
			return UINT64_MAX;
		grow++;
	}
	return grow > UINT64_MAX - base ? UINT64_MAX : base + grow;
}

int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out)
{
	const volatile uint8_t *p = page;
	uint8_t buf[VMCLOCK_ABI_SIZE];
	struct vmclock_iut_reading none;
	if (!out)
		out = &none;
	memset(out, 0, sizeof(*out));

	/* Header (constant fields): R-HDR-MAGIC, R-HDR-VERSION, R-HDR-SIZE.
	 * Never a load before we know 32 bytes are mapped. */
	if (!p || len < VMCLOCK_MIN_SIZE)
		return VMCLOCK_IUT_INVALID;
	for (unsigned i = 0; i < 12; i++)
		buf[i] = p[i];
	if (eb_get(buf, VMCLOCK_OFF_magic, 4) != VMCLOCK_MAGIC ||
	    eb_get(buf, VMCLOCK_OFF_version, 2) != VMCLOCK_VERSION)
		return VMCLOCK_IUT_INVALID;
	const uint64_t size = eb_get(buf, VMCLOCK_OFF_size, 4);
	if (size < VMCLOCK_MIN_SIZE || size > len)
		return VMCLOCK_IUT_INVALID;
	/* Bytes of the structure we may copy: those inside size (R-HDR-SIZE);
	 * a field is used only if it ends inside this. */
	const unsigned have = size < VMCLOCK_ABI_SIZE ? (unsigned)size : VMCLOCK_ABI_SIZE;
#define EB_HAS(name) (VMCLOCK_END(name) <= have)
	const uint8_t counter_id = buf[VMCLOCK_OFF_counter_id];
	const uint8_t time_type = buf[VMCLOCK_OFF_time_type];
	/* R-HDR-COUNTER, R-HDR-TIMETYPE: only our counter and UTC/TAI/MONOTONIC. */
	const int want_time = counter_id == VMCLOCK_COUNTER_NATIVE &&
	                      time_type <= VMCLOCK_TIME_MONOTONIC &&
	                      EB_HAS(time_frac_sec) && counter && counter->read;

	uint64_t cnt = 0;
	unsigned attempt = 0;
	for (;;) {
		if (attempt++ == EB_MAX_ATTEMPTS)
			return VMCLOCK_IUT_BUSY;                  /* R-SEQ-BOUNDED */
		/* seq_count is the one field loaded whole: a byte-wise load of
		 * the synchronisation word itself could tear into a value that
		 * looks even and stable. */
		const uint32_t seq = vmclock_load32(page, VMCLOCK_OFF_seq_count);
		if (seq & 1u) {                               /* R-SEQ-ODD */
			eb_pause();
			continue;
		}
		atomic_thread_fence(memory_order_acquire);
		for (unsigned i = VMCLOCK_OFF_disruption_marker; i < have; i++)
			buf[i] = p[i];
		if (want_time)
			cnt = counter->read(counter->ctx);        /* R-SEQ-WINDOW */
		atomic_thread_fence(memory_order_acquire);
		if (vmclock_load32(page, VMCLOCK_OFF_seq_count) == seq)
			break;                                    /* R-SEQ-TORN, R-SEQ-WRAP */
		eb_pause();
	}

	/* Decode from the copy only. */
	const uint64_t flags = eb_get(buf, VMCLOCK_OFF_flags, 8);
	out->disruption_marker = eb_get(buf, VMCLOCK_OFF_disruption_marker, 8);
	out->filled |= VMCLOCK_IUT_HAS_DISRUPTION;
	uint8_t status = 0;
	if (EB_HAS(leap_indicator)) {
		status = buf[VMCLOCK_OFF_clock_status];
		out->clock_status = status;
		out->leap_indicator = buf[VMCLOCK_OFF_leap_indicator];
		out->flags = flags;
		out->filled |= VMCLOCK_IUT_HAS_STATUS;
	}
	if (EB_HAS(tai_offset_sec) && (flags & VMCLOCK_FLAG_TAI_OFFSET_VALID)) {
		/* R-TIME-TAI: two's complement int16, sign made explicit. */
		const uint32_t raw = (uint32_t)eb_get(buf, VMCLOCK_OFF_tai_offset_sec, 2);
		out->tai_offset_sec = (int32_t)raw - (raw & 0x8000u ? 65536 : 0);
		out->filled |= VMCLOCK_IUT_HAS_TAI_OFFSET;
	}
	if (EB_HAS(vm_generation_counter) && (flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT)) {
		out->vm_generation_counter = eb_get(buf, VMCLOCK_OFF_vm_generation_counter, 8);
		out->filled |= VMCLOCK_IUT_HAS_VMGEN;     /* R-VMGEN */
	}
	if (!want_time || status == VMCLOCK_STATUS_UNRELIABLE)   /* R-STAT-UNRELIABLE */
		return VMCLOCK_IUT_NO_TIME;

	/* R-TIME-EXACT / R-TIME-SHIFT:
	 *   x = time_frac + (delta * period >> shift), 128-bit product, carry
	 *   out of the fraction into the seconds. */
	const unsigned shift = buf[VMCLOCK_OFF_counter_period_shift];
	const uint64_t delta = cnt - eb_get(buf, VMCLOCK_OFF_counter_value, 8);
	struct eb_num a, b, prod, sc;
	eb_set64(&a, delta);
	eb_set64(&b, eb_get(buf, VMCLOCK_OFF_counter_period_frac_sec, 8));
	eb_mul(&prod, &a, &b);
	(void)eb_shr(&sc, &prod, shift);              /* floor, as the spec's >> */
	const uint64_t tfrac = eb_get(buf, VMCLOCK_OFF_time_frac_sec, 8);
	const uint64_t frac = tfrac + eb_get64(&sc, 0);
	uint64_t sec = eb_get(buf, VMCLOCK_OFF_time_sec, 8) + eb_get64(&sc, 2) + (frac < tfrac);

	/* Nearest ns: (frac * 10^9 + 2^63) >> 64, ties up; the result may be
	 * 10^9, which is the next second. */
	struct eb_num f, ns;
	eb_set64(&f, frac);
	eb_set64(&b, EB_NS_PER_SEC);
	eb_mul(&ns, &f, &b);
	eb_set64(&b, UINT64_C(1) << 63);
	/* add 2^63: limb 1 gets 0x80000000, carry upwards */
	{
		uint64_t c = (uint64_t)ns.w[1] + b.w[1];
		ns.w[1] = (uint32_t)c;
		for (unsigned i = 2; i < EB_LIMBS && (c >>= 32); i++) {
			c += ns.w[i];
			ns.w[i] = (uint32_t)c;
		}
	}
	uint64_t nsec = eb_get64(&ns, 2);
	if (nsec >= EB_NS_PER_SEC) {
		nsec -= EB_NS_PER_SEC;
		sec++;
	}
	out->sec = sec;
	out->nsec = (uint32_t)nsec;
	out->counter = cnt;
	out->time_type = time_type;
	out->filled |= VMCLOCK_IUT_HAS_TIME;

	/* R-ERR-FLAGS: a bound only with its TIME_*ERROR_VALID flag (and the
	 * field inside size); the growth term only with PERIOD_*ERROR_VALID.
	 * R-ERR-BOUND: rounded up, saturating. */
	if (EB_HAS(time_esterror_nanosec) && (flags & VMCLOCK_FLAG_TIME_ESTERROR_VALID)) {
		const uint64_t rate = (flags & VMCLOCK_FLAG_PERIOD_ESTERROR_VALID)
		        ? eb_get(buf, VMCLOCK_OFF_counter_period_esterror_rate_frac_sec, 8) : 0;
		out->esterror_ns = eb_error_ns(eb_get(buf, VMCLOCK_OFF_time_esterror_nanosec, 8),
		                               rate, shift, delta);
		out->filled |= VMCLOCK_IUT_HAS_ESTERROR;
	}
	if (EB_HAS(time_maxerror_nanosec) && (flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID)) {
		const uint64_t rate = (flags & VMCLOCK_FLAG_PERIOD_MAXERROR_VALID)
		        ? eb_get(buf, VMCLOCK_OFF_counter_period_maxerror_rate_frac_sec, 8) : 0;
		out->maxerror_ns = eb_error_ns(eb_get(buf, VMCLOCK_OFF_time_maxerror_nanosec, 8),
		                               rate, shift, delta);
		out->filled |= VMCLOCK_IUT_HAS_MAXERROR;
	}
#undef EB_HAS
	return VMCLOCK_IUT_OK;
}

const struct vmclock_iut_info *vmclock_iut_info(void)
{
	static const struct vmclock_iut_info info = {
		.contract_version = VMCLOCK_IUT_CONTRACT_VERSION,
		.name = "vmclock-cts errbounds example",
		.version = "1",
		.provides = VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_ESTERROR |
		            VMCLOCK_IUT_HAS_MAXERROR | VMCLOCK_IUT_HAS_DISRUPTION |
		            VMCLOCK_IUT_HAS_VMGEN | VMCLOCK_IUT_HAS_TAI_OFFSET |
		            VMCLOCK_IUT_HAS_STATUS,
		.caps = 0,
	};
	return &info;
}
