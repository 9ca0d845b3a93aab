/* time.c - the R-TIME family: exact arithmetic (128-bit product, shift of
 * the product, carry into seconds), every shift, the TAI offset, and what a
 * reader does for a counter below counter_value. */
#include <stdio.h>
#include "gen.h"

#define RANDOM_CASES 2000
#define SPEC_PERIOD 0x89705F4136B4A597ull  /* the spec's 1 GHz example, shift 29 */

/* R-TIME-EXACT: vectors where a 64-bit product overflows, where shifting the
 * period first loses precision, where the fraction carries; then random
 * pages (shift < 64: larger shifts are R-TIME-SHIFT's). */
static void exact(struct vmclock_rng *r, struct sc_case_list *l)
{
	static const struct { const char *name; uint64_t period; unsigned shift; uint64_t tsec, tfrac, delta; } v[] = {
		{ "spec example, delta 10^15", SPEC_PERIOD, 29, 0, 0, 1000000000000000ull },
		{ "spec example, delta 1", SPEC_PERIOD, 29, 0, 0, 1 },
		{ "64-bit product overflows", SPEC_PERIOD, 29, 1767225600, 0, 1ull << 40 },
		{ "shift-first loses ns", SPEC_PERIOD, 29, 1767225600, 0, 123456789012ull },
		{ "frac carries into sec", 1ull << 63, 0, 1767225600, ~0ull - 5, 3 },
		{ "frac carries, shift 32", ~0ull, 32, 41, 0xffffffff00000000ull, 1ull << 32 },
		{ "product carries 2^64 s", ~0ull, 0, 7, 0, ~0ull },
		{ "seconds wrap mod 2^64", ~0ull, 0, ~0ull, ~0ull, ~0ull },
		{ "period 0", 0, 29, 1767225600, 0x8000000000000000ull, 12345 },
		{ "delta 0", SPEC_PERIOD, 29, 1767225600, 0x123456789abcdef0ull, 0 },
		{ "1 ns before a second", 0, 0, 5, 0xffffffffbb48ff99ull, 10 },
		{ "half ns tie", 0, 0, 5, 0x0000000080000000ull, 10 },
	};
	for (unsigned i = 0; i < sizeof v / sizeof v[0]; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.counter_period_frac_sec = v[i].period;
		f.counter_period_shift = v[i].shift;
		f.time_sec = v[i].tsec;
		f.time_frac_sec = v[i].tfrac;
		f.counter_value = 1000;
		gen_push(l, R_TIME_EXACT, v[i].name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, v[i].delta, 0);
	}
	for (unsigned s = 0; s < 64; s++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.counter_period_shift = s;
		f.counter_period_frac_sec = vmclock_rng_next(r);
		char name[32];
		snprintf(name, sizeof name, "shift %u", s);
		gen_push(l, R_TIME_EXACT, name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, vmclock_rng_next(r) >> 8, 0);
	}
	for (int i = 0; i < RANDOM_CASES; i++) {
		struct vmclock_fields f;
		uint64_t delta;
		gen_random_timed(r, &f, 64, &delta);
		/* Half with a moving counter: a reader that reports a counter its
		 * time was not computed for shows it (R-TIME-EXACT). */
		gen_push(l, R_TIME_EXACT, "random page and delta", 1, &f, f.size < VMCLOCK_PAGE_SIZE ? VMCLOCK_PAGE_SIZE : f.size,
		         VMCLOCK_EXPECT_TIME, delta, (i & 1) * 1000);
	}
}

/* R-TIME-SHIFT: every shift 0..255 with values where the shift is all that
 * can go wrong (below 64: a period that is a multiple of 2^shift; 64 and
 * up: a product below 2^64, so the exact result is 0), and shifts 64..127
 * of a full 128-bit product. */
static void shift(struct vmclock_rng *r, struct sc_case_list *l)
{
	gen_catalogue(l, R_TIME_SHIFT, 0);
	for (unsigned s = 0; s < 256; s++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.counter_period_shift = s;
		f.time_frac_sec = vmclock_rng_next(r) >> 2;                         /* no carry */
		/* Below 64: period = k << s and delta * period < 2^63, so shifting
		 * first, a 64-bit product and a lost carry all still give the exact
		 * value. 64 and up: a product below 2^60, whose shift is 0. */
		unsigned room = s < 63 ? 63 - s : 0;
		unsigned kb = room / 2, db = room - kb;
		uint64_t k = 1, kr = vmclock_rng_next(r);
		if (s >= 64)
			k = (kr >> 34) + 1;
		else if (kb)
			k = (kr >> (64 - kb)) | 1;
		uint64_t delta = s < 64 ? (db ? vmclock_rng_next(r) >> (64 - db) : 0) : (vmclock_rng_next(r) >> 34) + 1;
		f.counter_period_frac_sec = s < 64 ? k << s : k;
		char name[32];
		snprintf(name, sizeof name, "shift %u", s);
		gen_push(l, R_TIME_SHIFT, name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, delta, 0);
	}
	for (unsigned s = 64; s < 128; s++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.counter_period_shift = s;
		f.counter_period_frac_sec = vmclock_rng_next(r) | (1ull << 63);
		char name[40];
		snprintf(name, sizeof name, "shift %u, 128-bit product", s);
		gen_push(l, R_TIME_SHIFT, name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME,
		         vmclock_rng_next(r) | (1ull << 62), 0);
	}
}

/* R-TIME-TAI: the offset is signed (UTC - TAI, about -37) and only valid with
 * TAI_OFFSET_VALID. */
static void tai(struct vmclock_rng *r, struct sc_case_list *l)
{
	static const int16_t v[] = { -37, 37, 0, -1, 1, -32768, 32767, -10 };
	gen_catalogue(l, R_TIME_TAI, 0);
	/* UTC and TAI pages, the flag set and clear, both signs (a reader
	 * may refuse some of these classes: the others still judge it). */
	for (unsigned i = 0; i < 4 * sizeof v / sizeof v[0]; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.tai_offset_sec = (uint16_t)v[i / 4];
		f.time_type = i & 2 ? VMCLOCK_TIME_TAI : VMCLOCK_TIME_UTC;
		if (i & 1)
			f.flags &= ~VMCLOCK_FLAG_TAI_OFFSET_VALID;
		char name[48];
		snprintf(name, sizeof name, "%s page, offset %d, flag %s", i & 2 ? "TAI" : "UTC", v[i / 4],
		         i & 1 ? "clear" : "set");
		gen_push(l, R_TIME_TAI, name, 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, 1000003, 1000);
	}
	for (int i = 0; i < 100; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.tai_offset_sec = vmclock_rng_next(r) & 0xffff;
		f.time_type = vmclock_rng_below(r, 2) ? VMCLOCK_TIME_TAI : VMCLOCK_TIME_UTC;
		if (vmclock_rng_below(r, 2))
			f.flags &= ~VMCLOCK_FLAG_TAI_OFFSET_VALID;
		gen_push(l, R_TIME_TAI, "random offset", 1, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, 1000003, 1000);
	}
}

/* R-TIME-NEGDELTA (INFO): the counter is below counter_value. */
static void negdelta(struct vmclock_rng *r, struct sc_case_list *l)
{
	static const uint64_t back[] = { 1, 1000, 1ull << 32, 1ull << 62 };
	(void)r;
	for (unsigned i = 0; i < sizeof back / sizeof back[0]; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.counter_value = 1ull << 63;
		gen_push(l, R_TIME_NEGDELTA, "counter below counter_value", 0, &f, VMCLOCK_PAGE_SIZE,
		         VMCLOCK_EXPECT_ANY, 0 - back[i], 0);
	}
}

FAMILY(fam_time, "R-TIME", { R_TIME_EXACT, exact, 0 }, { R_TIME_SHIFT, shift, 0 }, { R_TIME_TAI, tai, 0 },
       { R_TIME_NEGDELTA, negdelta, 0 });
