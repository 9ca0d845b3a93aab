/* test_timemath.c - the exact time arithmetic (timemath.h) against an
 * independent oracle written with GMP integers (clauses R-TIME-EXACT,
 * R-TIME-SHIFT, R-ERR-BOUND, spec section 1 "Time from a page").
 *
 * The oracle below follows the spec's formulas literally on unbounded
 * integers (mpz): no 128-bit tricks, no limb juggling, so a shared mistake
 * with timemath.c is unlikely. Random inputs come from vmclock_rng seeded by
 * VMCLOCK_SEED (default below), printed at start so a failure reproduces. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <gmp.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rng.h"
#include "timemath.h"

#define NS_PER_SEC 1000000000u
/* The spec's 1 GHz example (section 3, "Shift applies to the product"). */
#define EX_PERIOD UINT64_C(0x89705F4136B4A597)
#define EX_SHIFT 29u
#define EX_DELTA UINT64_C(1000000000000000)

static uint64_t g_seed = UINT64_C(0x5eed0f7143c10c4a);
static unsigned long long g_compared; /* oracle comparisons, all tests */

/* ---- the GMP oracle ---------------------------------------------------- */

/* Scratch integers, created once: allocation per comparison would dominate
 * the run time under ASan. */
static mpz_t za, zb, zc;

static void z_set_u64(mpz_t z, uint64_t v)
{
	/* Via 32-bit halves: unsigned long may be 32 bits on other hosts. */
	mpz_set_ui(z, (unsigned long)(v >> 32));
	mpz_mul_2exp(z, z, 32);
	mpz_add_ui(z, z, (unsigned long)(v & 0xffffffffu));
}

/* z mod 2^64 (z may be negative: floor remainder is in [0, 2^64)). */
static uint64_t z_get_u64_mod(const mpz_t z)
{
	mpz_t t;
	uint64_t out = 0;
	size_t count = 0;
	mpz_init(t);
	mpz_fdiv_r_2exp(t, z, 64);
	mpz_export(&out, &count, -1, sizeof out, 0, 0, t);
	mpz_clear(t);
	return out;
}

/* Spec section 1: delta = c - counter_value (64-bit), then
 * x = time_frac + floor(delta * period / 2^shift), sec = time_sec + floor(x / 2^64). */
static struct vmclock_tm_time oracle_at(uint64_t ts, uint64_t tf, uint64_t cv,
                                        uint64_t period, unsigned shift, uint64_t c)
{
	struct vmclock_tm_time t;
	z_set_u64(za, c);
	z_set_u64(zb, cv);
	mpz_sub(za, za, zb);
	mpz_fdiv_r_2exp(za, za, 64); /* delta, wrapped as a 64-bit reader does */
	z_set_u64(zb, period);
	mpz_mul(za, za, zb);
	mpz_fdiv_q_2exp(za, za, shift);
	z_set_u64(zb, tf);
	mpz_add(za, za, zb); /* x */
	t.frac = z_get_u64_mod(za);
	mpz_fdiv_q_2exp(zc, za, 64);
	z_set_u64(zb, ts);
	mpz_add(zc, zc, zb);
	t.sec = z_get_u64_mod(zc);
	return t;
}

/* frac * 10^9 as an mpz in za. */
static void z_frac_ns(uint64_t frac)
{
	z_set_u64(za, frac);
	mpz_mul_ui(za, za, NS_PER_SEC);
}

static uint32_t oracle_floor(uint64_t frac)
{
	z_frac_ns(frac);
	mpz_fdiv_q_2exp(za, za, 64);
	return (uint32_t)z_get_u64_mod(za);
}

/* Nearest, ties up, by comparing the remainder with half the divisor (a
 * different route from timemath.c's add-half-then-floor). */
static uint32_t oracle_nearest(uint64_t frac, unsigned *carry)
{
	z_frac_ns(frac);
	mpz_fdiv_r_2exp(zb, za, 64);
	mpz_fdiv_q_2exp(za, za, 64);
	if (mpz_tstbit(zb, 63)) /* remainder >= 2^63: half or more */
		mpz_add_ui(za, za, 1);
	uint64_t q = z_get_u64_mod(za);
	*carry = q == NS_PER_SEC;
	return *carry ? 0 : (uint32_t)q;
}

/* base + ceil(delta * rate * 10^9 / 2^(64+shift)), clamped to UINT64_MAX. */
static uint64_t oracle_error(uint64_t base, uint64_t rate, unsigned shift, uint64_t delta)
{
	z_set_u64(za, delta);
	z_set_u64(zb, rate);
	mpz_mul(za, za, zb);
	mpz_mul_ui(za, za, NS_PER_SEC);
	mpz_cdiv_q_2exp(za, za, 64u + shift);
	z_set_u64(zb, base);
	mpz_add(za, za, zb);
	if (mpz_sizeinbase(za, 2) > 64)
		return UINT64_MAX;
	return z_get_u64_mod(za);
}

/* ---- comparison helpers: print the inputs on a mismatch ----------------- */

static void check_at(uint64_t ts, uint64_t tf, uint64_t cv, uint64_t period,
                     unsigned shift, uint64_t c)
{
	struct vmclock_tm_time got = vmclock_tm_at(ts, tf, cv, period, shift, c);
	struct vmclock_tm_time want = oracle_at(ts, tf, cv, period, shift, c);
	g_compared++;
	if (got.sec != want.sec || got.frac != want.frac)
		fail_msg("vmclock_tm_at(sec=%#" PRIx64 " frac=%#" PRIx64 " cv=%#" PRIx64
		         " period=%#" PRIx64 " shift=%u c=%#" PRIx64 ") = (%#" PRIx64 ", %#" PRIx64
		         "), GMP says (%#" PRIx64 ", %#" PRIx64 ") [seed %#" PRIx64 "]",
		         ts, tf, cv, period, shift, c, got.sec, got.frac, want.sec, want.frac, g_seed);
}

static void check_floor(uint64_t frac)
{
	uint32_t got = vmclock_tm_nsec_floor(frac), want = oracle_floor(frac);
	g_compared++;
	if (got != want)
		fail_msg("vmclock_tm_nsec_floor(%#" PRIx64 ") = %u, GMP says %u [seed %#" PRIx64 "]",
		         frac, got, want, g_seed);
}

static void check_nearest(uint64_t frac)
{
	unsigned gc = 7, wc;
	uint32_t got = vmclock_tm_nsec_nearest(frac, &gc), want = oracle_nearest(frac, &wc);
	g_compared++;
	if (got != want || gc != wc)
		fail_msg("vmclock_tm_nsec_nearest(%#" PRIx64 ") = %u carry %u, GMP says %u carry %u"
		         " [seed %#" PRIx64 "]", frac, got, gc, want, wc, g_seed);
}

static void check_error(uint64_t base, uint64_t rate, unsigned shift, uint64_t delta)
{
	uint64_t got = vmclock_tm_error_ns(base, rate, shift, delta);
	uint64_t want = oracle_error(base, rate, shift, delta);
	g_compared++;
	if (got != want)
		fail_msg("vmclock_tm_error_ns(base=%#" PRIx64 " rate=%#" PRIx64 " shift=%u delta=%#"
		         PRIx64 ") = %#" PRIx64 ", GMP says %#" PRIx64 " [seed %#" PRIx64 "]",
		         base, rate, shift, delta, got, want, g_seed);
}

/* Each test gets its own stream, so tests can run alone or reordered and
 * still see the same values for a given seed. */
static struct vmclock_rng rng_for(uint64_t tag)
{
	struct vmclock_rng r = { g_seed ^ (tag * UINT64_C(0x9e3779b97f4a7c15)) };
	return r;
}

/* Shifts: mostly the realistic 0..63, but every range up to 255 (R-TIME-SHIFT). */
static unsigned pick_shift(struct vmclock_rng *r)
{
	static const unsigned edges[] = { 0, 1, 31, 32, 63, 64, 65, 93, 94, 95,
	                                  127, 128, 129, 191, 192, 254, 255 };
	switch (vmclock_rng_below(r, 10)) {
	case 0: case 1: case 2: case 3: case 4:
		return (unsigned)vmclock_rng_below(r, 64);
	case 5: case 6:
		return 64u + (unsigned)vmclock_rng_below(r, 64);
	case 7:
		return 128u + (unsigned)vmclock_rng_below(r, 128);
	default:
		return edges[vmclock_rng_below(r, sizeof edges / sizeof edges[0])];
	}
}

static const uint64_t edge_values[] = {
	0, 1, 2, UINT64_C(0xffffffff), UINT64_C(0x100000000), UINT64_C(0x7fffffffffffffff),
	UINT64_C(0x8000000000000000), UINT64_C(0x8000000000000001), UINT64_MAX - 1, UINT64_MAX,
	EX_PERIOD, EX_DELTA,
};
#define N_EDGES (sizeof edge_values / sizeof edge_values[0])

/* ---- the spec's worked example ----------------------------------------- */

static void test_at_worked_example_1ghz_delta_1e15_is_999999_999999999(void **state)
{
	(void)state;
	struct vmclock_tm_time t = vmclock_tm_at(0, 0, 0, EX_PERIOD, EX_SHIFT, EX_DELTA);
	assert_int_equal(t.sec, 999999);
	assert_int_equal(vmclock_tm_nsec_floor(t.frac), 999999999);
	check_at(0, 0, 0, EX_PERIOD, EX_SHIFT, EX_DELTA);
}

/* Shifting the period first (a literal UAPI.13 reading) is what R-TIME-EXACT
 * must catch: it is 38 us short, so the exact function must differ from it. */
static void test_at_worked_example_shift_first_is_999999_999961535_and_differs(void **state)
{
	(void)state;
	struct vmclock_tm_time wrong = vmclock_tm_at(0, 0, 0, EX_PERIOD >> EX_SHIFT, 0, EX_DELTA);
	assert_int_equal(wrong.sec, 999999);
	assert_int_equal(vmclock_tm_nsec_floor(wrong.frac), 999961535);
	struct vmclock_tm_time exact = vmclock_tm_at(0, 0, 0, EX_PERIOD, EX_SHIFT, EX_DELTA);
	assert_true(exact.sec != wrong.sec || exact.frac != wrong.frac);
	assert_int_equal(vmclock_tm_nsec_floor(exact.frac) - vmclock_tm_nsec_floor(wrong.frac), 38464);
}

/* ---- vmclock_tm_at ------------------------------------------------------ */

/* Every shift 0..255 against every pair of edge delta x edge period, with
 * fractions and seconds at their edges: the exhaustive part. */
static void test_at_all_shifts_0_255_edge_delta_period_frac_match_gmp(void **state)
{
	(void)state;
	static const uint64_t fracs[] = { 0, 1, UINT64_C(0x8000000000000000), UINT64_MAX };
	static const uint64_t secs[] = { 0, 1700000000, UINT64_MAX };
	unsigned i = 0;
	for (unsigned shift = 0; shift < 256; shift++)
		for (size_t d = 0; d < N_EDGES; d++)
			for (size_t p = 0; p < N_EDGES; p++)
				for (size_t f = 0; f < 4; f++, i++)
					check_at(secs[i % 3], fracs[f], 5, edge_values[p], shift,
					         edge_values[d] + 5);
}

/* Shifts >= 128 drop the whole product: time is exactly the page's time
 * (and a C shift by >= 128 would be UB: R-TIME-SHIFT). */
static void test_at_shift_128_to_255_gives_page_time(void **state)
{
	(void)state;
	for (unsigned shift = 128; shift < 256; shift++) {
		struct vmclock_tm_time t = vmclock_tm_at(42, UINT64_MAX, 0, UINT64_MAX, shift, UINT64_MAX);
		assert_int_equal(t.sec, 42);
		assert_true(t.frac == UINT64_MAX);
	}
}

static void test_at_random_shift_64_to_255_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(1);
	for (int i = 0; i < 100000; i++)
		check_at(vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r),
		         vmclock_rng_edgy64(&r), 64u + (unsigned)vmclock_rng_below(&r, 192),
		         vmclock_rng_edgy64(&r));
}

/* delta within 2^20 of 2^64, including a counter just below counter_value
 * (a wrapped negative delta, R-TIME-NEGDELTA). */
static void test_at_delta_near_2_64_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(2);
	for (int i = 0; i < 100000; i++) {
		uint64_t cv = vmclock_rng_edgy64(&r);
		uint64_t back = 1 + vmclock_rng_below(&r, UINT64_C(1) << 20);
		check_at(vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r), cv, vmclock_rng_edgy64(&r),
		         pick_shift(&r), cv - back);
	}
}

static void test_at_period_near_2_64_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(3);
	for (int i = 0; i < 100000; i++) {
		uint64_t period = UINT64_MAX - vmclock_rng_below(&r, UINT64_C(1) << 20);
		check_at(vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r),
		         period, pick_shift(&r), vmclock_rng_edgy64(&r));
	}
}

/* The carry of frac past 2^64 adds a whole second (spec section 1). */
static void test_at_frac_carries_into_seconds(void **state)
{
	(void)state;
	/* frac all ones plus one unit. */
	struct vmclock_tm_time t = vmclock_tm_at(10, UINT64_MAX, 100, 1, 0, 101);
	assert_int_equal(t.sec, 11);
	assert_int_equal(t.frac, 0);
	/* Half a second plus half a second, through a shift of 1. */
	t = vmclock_tm_at(10, UINT64_C(1) << 63, 0, UINT64_C(1) << 63, 1, 2);
	assert_int_equal(t.sec, 11);
	assert_int_equal(t.frac, 0);
	/* Many seconds carried at once (shift 0: the product's top half). */
	t = vmclock_tm_at(0, 0, 0, UINT64_C(1) << 40, 0, UINT64_C(1) << 40);
	assert_int_equal(t.sec, UINT64_C(1) << 16);
	assert_int_equal(t.frac, 0);
	/* Random fractions that must carry: frac >= 2^64 - scaled product. */
	struct vmclock_rng r = rng_for(4);
	for (int i = 0; i < 50000; i++) {
		uint64_t p = vmclock_rng_edgy64(&r) | 1, d = 1 + vmclock_rng_below(&r, 1000);
		uint64_t tf = UINT64_MAX - vmclock_rng_below(&r, p); /* product d*p >= p > 2^64-1-tf */
		check_at(vmclock_rng_edgy64(&r), tf, 0, p, 0, d);
	}
}

/* Seconds wrap mod 2^64 like a 64-bit reader's addition. */
static void test_at_seconds_wrap_mod_2_64(void **state)
{
	(void)state;
	struct vmclock_tm_time t = vmclock_tm_at(UINT64_MAX, UINT64_MAX, 0, 1, 0, 1);
	assert_int_equal(t.sec, 0);
	assert_int_equal(t.frac, 0);
	/* Largest possible x: (2^64-1)^2 + 2^64-1 = 2^128 - 2^64. */
	t = vmclock_tm_at(1, UINT64_MAX, 0, UINT64_MAX, 0, UINT64_MAX);
	assert_int_equal(t.sec, 0); /* 1 + (2^64 - 1) */
	assert_int_equal(t.frac, 0);
	check_at(1, UINT64_MAX, 0, UINT64_MAX, 0, UINT64_MAX);
	struct vmclock_rng r = rng_for(5);
	for (int i = 0; i < 50000; i++)
		check_at(UINT64_MAX - vmclock_rng_below(&r, 1u << 16), vmclock_rng_edgy64(&r),
		         vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r), (unsigned)vmclock_rng_below(&r, 64),
		         vmclock_rng_edgy64(&r));
}

static void test_at_random_edgy_all_inputs_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(6);
	for (int i = 0; i < 600000; i++)
		check_at(vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r), vmclock_rng_edgy64(&r),
		         vmclock_rng_edgy64(&r), pick_shift(&r), vmclock_rng_edgy64(&r));
}

/* ---- nanoseconds -------------------------------------------------------- */

static void test_nsec_floor_edges(void **state)
{
	(void)state;
	assert_int_equal(vmclock_tm_nsec_floor(0), 0);
	assert_int_equal(vmclock_tm_nsec_floor(UINT64_MAX), 999999999);
	assert_int_equal(vmclock_tm_nsec_floor(UINT64_C(1) << 63), 500000000);
	/* 1 ns = 2^64 / 10^9 = 18446744073.709... units: the first frac that
	 * reaches 1 ns is 18446744074, the one before still floors to 0. */
	assert_int_equal(vmclock_tm_nsec_floor(UINT64_C(18446744074)), 1);
	assert_int_equal(vmclock_tm_nsec_floor(UINT64_C(18446744073)), 0);
	for (size_t i = 0; i < N_EDGES; i++)
		check_floor(edge_values[i]);
}

static void test_nsec_floor_random_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(7);
	for (int i = 0; i < 200000; i++)
		check_floor(vmclock_rng_edgy64(&r));
}

/* 2^54 / 2^64 s = 976562.5 ns exactly: a tie, which rounds up. */
static void test_nsec_nearest_exact_tie_rounds_up(void **state)
{
	(void)state;
	unsigned c = 7;
	assert_int_equal(vmclock_tm_nsec_floor(UINT64_C(1) << 54), 976562);
	assert_int_equal(vmclock_tm_nsec_nearest(UINT64_C(1) << 54, &c), 976563);
	assert_int_equal(c, 0);
	/* One unit below the tie rounds down. */
	assert_int_equal(vmclock_tm_nsec_nearest((UINT64_C(1) << 54) - 1, &c), 976562);
	/* Every 2^54 + m * 2^55 is a tie too (10^9 = 2^9 * odd). */
	for (uint64_t m = 0; m < 512; m++) {
		uint64_t f = (UINT64_C(1) << 54) + m * (UINT64_C(1) << 55);
		assert_int_equal(vmclock_tm_nsec_nearest(f, &c), vmclock_tm_nsec_floor(f) + 1);
		check_nearest(f);
	}
}

/* Within half a ns of the next second the nearest ns is 10^9: reported as
 * 0 with a carry. The threshold is found with GMP, then probed both sides. */
static void test_nsec_nearest_carries_into_second(void **state)
{
	(void)state;
	unsigned c = 0;
	assert_int_equal(vmclock_tm_nsec_nearest(UINT64_MAX, &c), 0);
	assert_int_equal(c, 1);
	/* Smallest frac with frac * 10^9 + 2^63 >= 10^9 * 2^64:
	 * ceil((10^9 * 2^64 - 2^63) / 10^9). */
	mpz_set_ui(za, NS_PER_SEC);
	mpz_mul_2exp(za, za, 64);
	mpz_set_ui(zb, 1);
	mpz_mul_2exp(zb, zb, 63);
	mpz_sub(za, za, zb);
	mpz_cdiv_q_ui(za, za, NS_PER_SEC);
	uint64_t thr = z_get_u64_mod(za);
	assert_int_equal(vmclock_tm_nsec_nearest(thr, &c), 0);
	assert_int_equal(c, 1);
	assert_int_equal(vmclock_tm_nsec_nearest(thr - 1, &c), 999999999);
	assert_int_equal(c, 0);
	for (uint64_t k = 0; k < 1000; k++) {
		check_nearest(thr - 500 + k);
		check_nearest(UINT64_MAX - k);
	}
	/* A NULL carry pointer is tolerated (documented in timemath.c). */
	assert_int_equal(vmclock_tm_nsec_nearest(UINT64_MAX, NULL), 0);
}

static void test_nsec_nearest_random_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(8);
	for (int i = 0; i < 200000; i++)
		check_nearest(vmclock_rng_edgy64(&r));
}

/* ---- error bound (R-ERR-BOUND) ------------------------------------------ */

static void test_error_zero_rate_or_delta_is_base(void **state)
{
	(void)state;
	for (unsigned shift = 0; shift < 256; shift++) {
		assert_int_equal(vmclock_tm_error_ns(123, 0, shift, UINT64_MAX), 123);
		assert_int_equal(vmclock_tm_error_ns(123, UINT64_MAX, shift, 0), 123);
		assert_true(vmclock_tm_error_ns(UINT64_MAX, 0, shift, 0) == UINT64_MAX);
	}
}

/* An exact multiple is not rounded up; one unit more is. */
static void test_error_ceil_exact_multiple_vs_one_more(void **state)
{
	(void)state;
	/* 2^55 ticks * 2^9 units * 10^9 / 2^64 = 10^9 ns exactly. */
	assert_int_equal(vmclock_tm_error_ns(0, UINT64_C(1) << 9, 0, UINT64_C(1) << 55), 1000000000);
	/* rate*delta = 2^64 - 1: just under 10^9, ceil gives 10^9. */
	assert_int_equal(vmclock_tm_error_ns(0, (UINT64_C(1) << 32) + 1, 0, (UINT64_C(1) << 32) - 1)
	                 , 1000000000);
	/* rate*delta = 2^64 + 2^9: 10^9 + ceil(2^9 * 10^9 / 2^64) = 10^9 + 1. */
	assert_int_equal(vmclock_tm_error_ns(5, UINT64_C(1) << 9, 0, (UINT64_C(1) << 55) + 1),
	                 5 + 1000000000 + 1);
	/* Tiny products round up to 1 ns, never down to 0. */
	assert_int_equal(vmclock_tm_error_ns(0, 1, 0, 1), 1);
	assert_int_equal(vmclock_tm_error_ns(0, 1, 255, 1), 1);
	check_error(0, UINT64_C(1) << 9, 0, UINT64_C(1) << 55);
	check_error(5, UINT64_C(1) << 9, 0, (UINT64_C(1) << 55) + 1);
}

/* The spec's example: a 1 GHz period error of 1 ppm (period / 10^6, shift
 * 29) over 10^15 ticks is 10^15 ns * 10^-6 = 10^9 ns, rounded up. */
static void test_error_ppm_example_1ghz(void **state)
{
	(void)state;
	uint64_t rate = EX_PERIOD / 1000000;
	uint64_t e = vmclock_tm_error_ns(0, rate, EX_SHIFT, EX_DELTA);
	assert_true(e >= 999999000 && e <= 1000000001);
	check_error(0, rate, EX_SHIFT, EX_DELTA);
}

/* Never wraps: a bound that overflowed to a small value would understate. */
static void test_error_saturates_at_uint64_max(void **state)
{
	(void)state;
	assert_true(vmclock_tm_error_ns(UINT64_MAX, 1, 0, 1) == UINT64_MAX);
	assert_true(vmclock_tm_error_ns(UINT64_MAX - 1, 1, 0, 1) == UINT64_MAX);
	assert_true(vmclock_tm_error_ns(UINT64_MAX - 2, 1, 0, 1) == UINT64_MAX - 1);
	/* Product alone about 2^64 * 10^9 ns. */
	assert_true(vmclock_tm_error_ns(0, UINT64_MAX, 0, UINT64_MAX) == UINT64_MAX);
	/* The quotient just under / at / over 2^64, found by shift 30 and 29:
	 * (2^64-1)^2 * 10^9 / 2^94 ~ 2^64 * 0.93, / 2^93 ~ 2^64 * 1.86. */
	check_error(0, UINT64_MAX, 30, UINT64_MAX);
	check_error(0, UINT64_MAX, 29, UINT64_MAX);
	check_error(UINT64_MAX / 8, UINT64_MAX, 30, UINT64_MAX);
	struct vmclock_rng r = rng_for(9);
	for (int i = 0; i < 50000; i++)
		check_error(UINT64_MAX - vmclock_rng_edgy64(&r), UINT64_MAX - vmclock_rng_below(&r, 1u << 20),
		            (unsigned)vmclock_rng_below(&r, 40), UINT64_MAX - vmclock_rng_below(&r, 1u << 20));
}

/* Large shifts: N < 2^158 <= 2^(64+94), so from shift 94 on any nonzero
 * product gives exactly 1 ns (ceil), for every shift up to 255. */
static void test_error_shift_94_255_is_base_plus_1_and_edges_all_shifts_match_gmp(void **state)
{
	(void)state;
	for (unsigned shift = 94; shift < 256; shift++) {
		assert_int_equal(vmclock_tm_error_ns(7, UINT64_MAX, shift, UINT64_MAX), 8);
		assert_int_equal(vmclock_tm_error_ns(7, 1, shift, 1), 8);
	}
	for (unsigned shift = 0; shift < 256; shift++)
		for (size_t d = 0; d < N_EDGES; d++)
			for (size_t p = 0; p < N_EDGES; p++)
				check_error(edge_values[(d + p) % N_EDGES], edge_values[p], shift, edge_values[d]);
}

/* delta * rate * 10^9 done in 64-bit pieces has one rare internal carry:
 * (p_hi * 10^9 mod 2^64) + floor(p_lo * 10^9 / 2^64) >= 2^64. Random
 * inputs almost never hit it, so build them: with delta = 2^64 - 1 and
 * rate = h + 1, p_hi = h and p_lo = 2^64 - rate; choose h with
 * h * 10^9 = -512 (mod 2^64), i.e. h = -1/1953125 (mod 2^55) + j * 2^55. */
static void test_error_internal_limb_carry_match_gmp(void **state)
{
	(void)state;
	static const unsigned shifts[] = { 0, 1, 29, 63, 64, 65, 93, 94 };
	mpz_t inv, mod;
	mpz_inits(inv, mod, NULL);
	mpz_set_ui(mod, 1);
	mpz_mul_2exp(mod, mod, 55);
	mpz_set_ui(inv, 1953125);
	assert_true(mpz_invert(inv, inv, mod) != 0);
	mpz_sub(inv, mod, inv);
	uint64_t h0 = z_get_u64_mod(inv);
	mpz_clears(inv, mod, NULL);
	assert_true(h0 * NS_PER_SEC == UINT64_MAX - 511);
	for (uint64_t j = 0; j < 500; j++) {
		uint64_t rate = h0 + (j << 55) + 1;
		for (size_t s = 0; s < sizeof shifts / sizeof shifts[0]; s++) {
			check_error(0, rate, shifts[s], UINT64_MAX);
			check_error(3, UINT64_MAX, shifts[s], rate);
		}
	}
}

static void test_error_random_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(10);
	for (int i = 0; i < 500000; i++) {
		/* Base mostly small (realistic), sometimes anywhere. */
		uint64_t base = vmclock_rng_below(&r, 4) ? vmclock_rng_below(&r, 1u << 30)
		                                          : vmclock_rng_edgy64(&r);
		check_error(base, vmclock_rng_edgy64(&r), pick_shift(&r), vmclock_rng_edgy64(&r));
	}
}

/* The fast path of vmclock_tm_error_ns (delta * rate below 2^64, shift
 * below 64: every live page) against GMP, around its boundaries: products
 * just under and at 2^64, shifts 63 and 64, exact multiples (no rounding
 * up) and one past them, bases near saturation. */
static void test_error_small_product_fast_path_match_gmp(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(12);
	for (unsigned shift = 0; shift < 66; shift++) {
		check_error(0, 1, shift, UINT64_MAX);
		check_error(0, UINT64_MAX, shift, 1);
		check_error(1, UINT64_C(1) << 32, shift, (UINT64_C(1) << 32) - 1);
		check_error(1, UINT64_C(1) << 32, shift, UINT64_C(1) << 32);
		check_error(UINT64_MAX - 1, 3, shift, 5);
	}
	for (int i = 0; i < 300000; i++) {
		unsigned bits = 1 + (unsigned)vmclock_rng_below(&r, 63);
		uint64_t delta = vmclock_rng_next(&r) >> (64 - bits);
		uint64_t lim = delta ? UINT64_MAX / delta : UINT64_MAX;   /* delta * rate <= 2^64 - 1 */
		uint64_t rate = lim == UINT64_MAX ? vmclock_rng_next(&r) : vmclock_rng_next(&r) % (lim + 1);
		uint64_t base = vmclock_rng_below(&r, 8) ? vmclock_rng_below(&r, 1u << 20) : UINT64_MAX - vmclock_rng_below(&r, 1u << 31);
		check_error(base, rate, (unsigned)vmclock_rng_below(&r, 66), delta);
	}
}

/* ---- the edge-biased generator itself ----------------------------------- */

static void test_rng_edgy64_hits_every_edge(void **state)
{
	(void)state;
	struct vmclock_rng r = rng_for(11);
	int zero = 0, one = 0, two = 0, max = 0, other = 0;
	uint64_t pow = 0, powm1 = 0, powp1 = 0; /* bit k: 2^k, 2^k-1, 2^k+1 seen */
	for (int i = 0; i < 100000; i++) {
		uint64_t v = vmclock_rng_edgy64(&r);
		zero |= v == 0;
		one |= v == 1;
		two |= v == 2;
		max |= v == UINT64_MAX;
		if (v && !(v & (v - 1)))
			pow |= v;
		if (v != UINT64_MAX && !((v + 1) & v))
			powm1 |= v + 1;
		if (v >= 2 && !((v - 1) & (v - 2)))
			powp1 |= v - 1;
		other += __builtin_popcountll(v) > 16 && __builtin_popcountll(v) < 48;
	}
	assert_true(zero && one && two && max);
	assert_true(pow == UINT64_MAX);
	assert_true(powm1 == UINT64_MAX); /* 2^k - 1 for k 0..63 */
	assert_true(powp1 == UINT64_MAX); /* 2^k + 1 for k 0..63 */
	assert_true(other > 10000); /* plenty of full-width values too */
}

static void test_rng_same_seed_same_sequence(void **state)
{
	(void)state;
	struct vmclock_rng a = rng_for(12), b = rng_for(12);
	for (int i = 0; i < 1000; i++)
		assert_true(vmclock_rng_edgy64(&a) == vmclock_rng_edgy64(&b));
	/* splitmix64 from seed 0: its published first output. */
	struct vmclock_rng z = { 0 };
	assert_true(vmclock_rng_next(&z) == UINT64_C(0xe220a8397b1dcdaf));
}

/* ---- group -------------------------------------------------------------- */

static int group_setup(void **state)
{
	(void)state;
	mpz_inits(za, zb, zc, NULL);
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	mpz_clears(za, zb, zc, NULL);
	printf("timemath: %llu comparisons with the GMP oracle, seed %#" PRIx64 "\n",
	       g_compared, g_seed);
	return 0;
}

int main(void)
{
	const char *s = getenv("VMCLOCK_SEED");
	if (s && *s) {
		char *end;
		g_seed = strtoull(s, &end, 0);
		if (*end) {
			fprintf(stderr, "VMCLOCK_SEED=%s is not a number\n", s);
			return 2;
		}
	}
	printf("timemath: seed %#" PRIx64 " (set VMCLOCK_SEED to override)\n", g_seed);
	fflush(stdout);

	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_at_worked_example_1ghz_delta_1e15_is_999999_999999999),
		cmocka_unit_test(test_at_worked_example_shift_first_is_999999_999961535_and_differs),
		cmocka_unit_test(test_at_all_shifts_0_255_edge_delta_period_frac_match_gmp),
		cmocka_unit_test(test_at_shift_128_to_255_gives_page_time),
		cmocka_unit_test(test_at_random_shift_64_to_255_match_gmp),
		cmocka_unit_test(test_at_delta_near_2_64_match_gmp),
		cmocka_unit_test(test_at_period_near_2_64_match_gmp),
		cmocka_unit_test(test_at_frac_carries_into_seconds),
		cmocka_unit_test(test_at_seconds_wrap_mod_2_64),
		cmocka_unit_test(test_at_random_edgy_all_inputs_match_gmp),
		cmocka_unit_test(test_nsec_floor_edges),
		cmocka_unit_test(test_nsec_floor_random_match_gmp),
		cmocka_unit_test(test_nsec_nearest_exact_tie_rounds_up),
		cmocka_unit_test(test_nsec_nearest_carries_into_second),
		cmocka_unit_test(test_nsec_nearest_random_match_gmp),
		cmocka_unit_test(test_error_zero_rate_or_delta_is_base),
		cmocka_unit_test(test_error_ceil_exact_multiple_vs_one_more),
		cmocka_unit_test(test_error_ppm_example_1ghz),
		cmocka_unit_test(test_error_saturates_at_uint64_max),
		cmocka_unit_test(test_error_shift_94_255_is_base_plus_1_and_edges_all_shifts_match_gmp),
		cmocka_unit_test(test_error_internal_limb_carry_match_gmp),
		cmocka_unit_test(test_error_small_product_fast_path_match_gmp),
		cmocka_unit_test(test_error_random_match_gmp),
		cmocka_unit_test(test_rng_edgy64_hits_every_edge),
		cmocka_unit_test(test_rng_same_seed_same_sequence),
	};
	return cmocka_run_group_tests_name("timemath", tests, group_setup, group_teardown);
}
