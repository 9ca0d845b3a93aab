/* vmclock_math_fuzzer - the reference time arithmetic (reference/timemath.c)
 * against an exact GMP oracle: every result must be the exact integer the
 * spec's formula gives (section 1), with no undefined behaviour (the
 * sanitizers of the build) and error bounds that saturate instead of wrap.
 *
 * Input (missing bytes zero): seven little-endian u64 time_sec, time_frac,
 * counter_value, period, counter, base_ns, rate, then one byte shift.
 * Clauses: R-TIME-EXACT (time, ns conversion; R-TIME-SHIFT when the shift
 * is 64 or more), R-ERR-BOUND (a bound below the exact one), R-ERR-TIGHT
 * (above it: the reference promises the exact ceiling). */
#include <gmp.h>
#include <string.h>

#include "finding.h"
#include "timemath.h"

#define TARGET "vmclock_math_fuzzer"
#define NWORDS 7
#define INPUT_LEN (NWORDS * 8 + 1)

static void set_u64(mpz_t z, uint64_t v)
{
	mpz_set_ui(z, (unsigned long)(v >> 32));
	mpz_mul_2exp(z, z, 32);
	mpz_add_ui(z, z, (unsigned long)(v & 0xffffffffu));
}

static uint64_t get_u64(const mpz_t z)
{
	mpz_t t;
	mpz_init(t);
	mpz_tdiv_q_2exp(t, z, 32);
	uint64_t hi = mpz_get_ui(t) & 0xffffffffu;
	mpz_tdiv_r_2exp(t, z, 32);
	uint64_t v = hi << 32 | (mpz_get_ui(t) & 0xffffffffu);
	mpz_clear(t);
	return v;
}

/* z mod 2^64, as a 64-bit reader's wrapping addition gives it. */
static uint64_t low64(const mpz_t z)
{
	mpz_t t;
	mpz_init(t);
	mpz_fdiv_r_2exp(t, z, 64);
	uint64_t v = get_u64(t);
	mpz_clear(t);
	return v;
}

static void check_time(const uint64_t *w, unsigned shift)
{
	uint64_t ts = w[0], tf = w[1], cv = w[2], period = w[3], c = w[4];
	struct vmclock_tm_time got = vmclock_tm_at(ts, tf, cv, period, shift, c);
	mpz_t x, t;
	mpz_inits(x, t, NULL);
	set_u64(x, c - cv);                 /* the ABI's delta: 64-bit wrap */
	set_u64(t, period);
	mpz_mul(x, x, t);
	mpz_fdiv_q_2exp(x, x, shift);       /* the shift applies to the product */
	set_u64(t, tf);
	mpz_add(x, x, t);
	uint64_t frac = low64(x);
	mpz_fdiv_q_2exp(t, x, 64);          /* carry into seconds */
	uint64_t sec = ts + low64(t);
	mpz_clears(x, t, NULL);
	if (got.sec != sec || got.frac != frac)
		fz_finding(TARGET, shift >= 64 ? "R-TIME-SHIFT" : "R-TIME-EXACT",
		           "vmclock_tm_at(shift %u, delta 0x%llx, period 0x%llx) = %llu + 0x%llx/2^64, exact %llu + 0x%llx/2^64",
		           shift, (unsigned long long)(c - cv), (unsigned long long)period, (unsigned long long)got.sec,
		           (unsigned long long)got.frac, (unsigned long long)sec, (unsigned long long)frac);
}

static void check_ns(uint64_t frac)
{
	mpz_t x, h;
	mpz_inits(x, h, NULL);
	set_u64(x, frac);
	mpz_mul_ui(x, x, 1000000000ul);
	mpz_set_ui(h, 1);
	mpz_mul_2exp(h, h, 63);
	mpz_add(h, h, x);                   /* + half a ns: nearest, ties up */
	mpz_fdiv_q_2exp(x, x, 64);
	mpz_fdiv_q_2exp(h, h, 64);
	uint64_t fl = get_u64(x), near = get_u64(h);
	unsigned want_carry = near == 1000000000u;
	if (want_carry)
		near = 0;
	mpz_clears(x, h, NULL);
	unsigned carry = 2;
	uint32_t gf = vmclock_tm_nsec_floor(frac), gn = vmclock_tm_nsec_nearest(frac, &carry);
	if (gf != fl || gn != near || carry != want_carry)
		fz_finding(TARGET, "R-TIME-EXACT",
		           "frac 0x%llx: floor %u ns (exact %llu), nearest %u carry %u (exact %llu carry %u)",
		           (unsigned long long)frac, gf, (unsigned long long)fl, gn, carry, (unsigned long long)near,
		           want_carry);
}

static void check_error(uint64_t base, uint64_t rate, unsigned shift, uint64_t delta)
{
	uint64_t got = vmclock_tm_error_ns(base, rate, shift, delta);
	mpz_t n, d, q;
	mpz_inits(n, d, q, NULL);
	set_u64(n, delta);
	set_u64(d, rate);
	mpz_mul(n, n, d);
	mpz_mul_ui(n, n, 1000000000ul);
	mpz_cdiv_q_2exp(q, n, 64 + shift);  /* rounded up: never understated */
	set_u64(d, base);
	mpz_add(q, q, d);
	mpz_set_ui(d, 1);
	mpz_mul_2exp(d, d, 64);
	uint64_t want = mpz_cmp(q, d) >= 0 ? UINT64_MAX : get_u64(q);   /* saturates */
	mpz_clears(n, d, q, NULL);
	if (got != want)
		fz_finding(TARGET, got < want ? "R-ERR-BOUND" : "R-ERR-TIGHT",
		           "vmclock_tm_error_ns(base %llu, rate 0x%llx, shift %u, delta 0x%llx) = %llu, exact (saturated) %llu",
		           (unsigned long long)base, (unsigned long long)rate, shift, (unsigned long long)delta,
		           (unsigned long long)got, (unsigned long long)want);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_set_input(data, size);
	uint8_t buf[INPUT_LEN];
	memset(buf, 0, sizeof buf);
	memcpy(buf, data, size < sizeof buf ? size : sizeof buf);
	uint64_t w[NWORDS];
	for (int i = 0; i < NWORDS; i++) {
		w[i] = 0;
		for (int b = 7; b >= 0; b--)
			w[i] = w[i] << 8 | buf[8 * i + b];
	}
	unsigned shift = buf[NWORDS * 8];
	check_time(w, shift);
	check_ns(w[1]);
	check_ns(vmclock_tm_at(w[0], w[1], w[2], w[3], shift, w[4]).frac);
	check_error(w[5], w[6], shift, w[4] - w[2]);
	return 0;
}
