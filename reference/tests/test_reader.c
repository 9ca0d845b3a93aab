/* test_reader.c - unit tests of the reference reader (reference/reader.c),
 * one fact per test; test names cite the clause they check.
 *
 * Pages are placed at the very end of a read-only mapping followed by a
 * PROT_NONE guard page, so a load past `len` or any store to the page
 * faults (R-HDR-SIZE, R-ROB-NOCRASH). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#include "abi.h"
#include "reader.h"
#include "rng.h"
#include "timemath.h"
#include "writer.h"

/* ---- helpers -------------------------------------------------------------- */

struct fixed_counter {
	uint64_t value;
	unsigned calls;
};
static uint64_t fixed_read(void *ctx)
{
	struct fixed_counter *c = ctx;
	c->calls++;
	return c->value;
}

/* A read-only page of `len` bytes ending right before a guard page. */
struct guarded {
	uint8_t *base;          /* two pages: data page, guard page */
	const volatile void *page;
	size_t len;
};

static void guarded_map(struct guarded *g, const struct vmclock_fields *f, size_t len)
{
	struct vmclock_image img;
	assert_true(len <= VMCLOCK_PAGE_SIZE && len % 8 == 0);
	vmclock_image_from(&img, f, len, 0xa5);
	g->base = mmap(NULL, 2 * VMCLOCK_PAGE_SIZE, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	assert_true(g->base != MAP_FAILED);
	uint8_t *p = g->base + VMCLOCK_PAGE_SIZE - len;
	memcpy(p, img.bytes, len);
	/* Read-only data page: a store by the reader faults. */
	assert_int_equal(mprotect(g->base, VMCLOCK_PAGE_SIZE, PROT_READ), 0);
	assert_int_equal(mprotect(g->base + VMCLOCK_PAGE_SIZE, VMCLOCK_PAGE_SIZE, PROT_NONE), 0);
	g->page = p;
	g->len = len;
}

static void guarded_unmap(struct guarded *g)
{
	munmap(g->base, 2 * VMCLOCK_PAGE_SIZE);
}

static int read_fields(const struct vmclock_fields *f, size_t len, uint64_t counter_value,
                       struct vmclock_iut_reading *out)
{
	struct guarded g;
	struct fixed_counter fc = { counter_value, 0 };
	struct vmclock_iut_counter ctr = { fixed_read, &fc };
	guarded_map(&g, f, len);
	int st = vmclock_ref_read(g.page, g.len, &ctr, out);
	guarded_unmap(&g);
	return st;
}

/* Expected time of state f at counter c, floored to ns (Linux). */
static void expect_time(const struct vmclock_fields *f, uint64_t c,
                        const struct vmclock_iut_reading *r)
{
	struct vmclock_tm_time t = vmclock_tm_at(f->time_sec, f->time_frac_sec, f->counter_value,
	                                         f->counter_period_frac_sec,
	                                         (unsigned)f->counter_period_shift, c);
	assert_true(r->filled & VMCLOCK_IUT_HAS_TIME);
	assert_int_equal(r->sec, t.sec);
	assert_int_equal(r->nsec, vmclock_tm_nsec_floor(t.frac));
	assert_int_equal(r->counter, c);
	assert_int_equal(r->time_type, f->time_type);
}

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* ---- R-TIME-EXACT: the default page --------------------------------------- */

static void r_time_exact_default_page(void **state)
{
	(void)state;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	static const uint64_t deltas[] = { 0, 1, 999, 1000000000ull, 86400ull * 1000000000ull,
	                                   1ull << 40, 1ull << 62 };
	for (size_t i = 0; i < sizeof(deltas) / sizeof(deltas[0]); i++) {
		struct vmclock_iut_reading r;
		uint64_t c = f.counter_value + deltas[i];
		assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, c, &r), VMCLOCK_IUT_OK);
		expect_time(&f, c, &r);
	}
	/* The 1 GHz default: one second of ticks is one second of time. */
	struct vmclock_iut_reading a, b;
	read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value, &a);
	read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value + 1000000000ull, &b);
	assert_int_equal(b.sec, a.sec + 1);
	assert_true(b.nsec == a.nsec || b.nsec + 1 == a.nsec);
}

/* The spec's worked example (section 3): 1 GHz, time 0, delta 10^15 gives
 * exactly 999999.999999999 s (shift applied to the 128-bit product). */
static void r_time_exact_spec_example(void **state)
{
	(void)state;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	f.time_sec = 0;
	f.time_frac_sec = 0;
	f.counter_value = 0;
	struct vmclock_iut_reading r;
	assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, 1000000000000000ull, &r), VMCLOCK_IUT_OK);
	assert_int_equal(r.sec, 999999);
	assert_int_equal(r.nsec, 999999999);
}

static void r_all_fields_default_page(void **state)
{
	(void)state;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	struct vmclock_iut_reading r;
	uint64_t c = f.counter_value + 12345;
	assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, c, &r), VMCLOCK_IUT_OK);
	assert_int_equal(r.filled, VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_ESTERROR |
	                                VMCLOCK_IUT_HAS_MAXERROR | VMCLOCK_IUT_HAS_DISRUPTION |
	                                VMCLOCK_IUT_HAS_VMGEN | VMCLOCK_IUT_HAS_TAI_OFFSET |
	                                VMCLOCK_IUT_HAS_STATUS);
	assert_int_equal(r.disruption_marker, f.disruption_marker);
	assert_int_equal(r.vm_generation_counter, f.vm_generation_counter);
	assert_int_equal(r.flags, f.flags);
	assert_int_equal(r.clock_status, f.clock_status);
	assert_int_equal(r.leap_indicator, f.leap_indicator);
	assert_int_equal(r.tai_offset_sec, -37);
	assert_int_equal(r.esterror_ns, vmclock_tm_error_ns(f.time_esterror_nanosec,
	                 f.counter_period_esterror_rate_frac_sec, 29, 12345));
	assert_int_equal(r.maxerror_ns, vmclock_tm_error_ns(f.time_maxerror_nanosec,
	                 f.counter_period_maxerror_rate_frac_sec, 29, 12345));
}

/* ---- the malformed catalogue: every entry gives its expected status ------ */

static void r_hdr_malformed_catalogue(void **state)
{
	(void)state;
	unsigned n[4] = { 0 };
	for (size_t i = 0; i < vmclock_malformed_count; i++) {
		const struct vmclock_malformed *m = &vmclock_malformed_table[i];
		struct vmclock_fields f;
		size_t len = VMCLOCK_PAGE_SIZE;
		vmclock_writer_default(&f);
		m->apply(&f, &len);
		struct vmclock_iut_reading r;
		uint64_t c = f.counter_value + 1000;
		int st = read_fields(&f, len, c, &r);
		int ok;
		switch (m->expect) {
		case VMCLOCK_EXPECT_INVALID: ok = st == VMCLOCK_IUT_INVALID; break;
		case VMCLOCK_EXPECT_NO_TIME: ok = st == VMCLOCK_IUT_NO_TIME; break;
		case VMCLOCK_EXPECT_TIME:    ok = st == VMCLOCK_IUT_OK; break;
		default:                     ok = st >= VMCLOCK_IUT_OK && st <= VMCLOCK_IUT_BUSY; break;
		}
		if (!ok)
			fail_msg("%s (%s): expect %d, reader returned %d", m->name, m->clause,
			         (int)m->expect, st);
		n[m->expect]++;
		if (st == VMCLOCK_IUT_OK)
			expect_time(&f, c, &r);
		else
			assert_false(r.filled & VMCLOCK_IUT_HAS_TIME);
		if (st == VMCLOCK_IUT_INVALID || st == VMCLOCK_IUT_BUSY)
			assert_int_equal(r.filled, 0);
		/* A valid page always has the marker (size >= 32 covers it). */
		if (st == VMCLOCK_IUT_OK || st == VMCLOCK_IUT_NO_TIME) {
			assert_true(r.filled & VMCLOCK_IUT_HAS_DISRUPTION);
			assert_int_equal(r.disruption_marker, f.disruption_marker);
		}
	}
	print_message("malformed catalogue: %zu entries (INVALID %u, NO_TIME %u, TIME %u, ANY %u)\n",
	              vmclock_malformed_count, n[0], n[1], n[2], n[3]);
}

/* ---- R-HDR-*: direct facts ---------------------------------------------- */

static void r_hdr_size_null_and_short_len(void **state)
{
	(void)state;
	struct vmclock_iut_reading r;
	struct fixed_counter fc = { 0, 0 };
	struct vmclock_iut_counter ctr = { fixed_read, &fc };
	assert_int_equal(vmclock_ref_read(NULL, 4096, &ctr, &r), VMCLOCK_IUT_INVALID);
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	f.size = 24;
	assert_int_equal(read_fields(&f, 24, 0, &r), VMCLOCK_IUT_INVALID);
	assert_int_equal(read_fields(&f, 8, 0, &r), VMCLOCK_IUT_INVALID);
	assert_int_equal(fc.calls, 0);
}

/* No load beyond len: structures at the end of the mapping, guard page
 * after; size = len, and also size < len. A fault would kill the test. */
static void r_hdr_size_no_load_past_mapping(void **state)
{
	(void)state;
	static const size_t lens[] = { 32, 40, 88, 96, 104, 112 };
	for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
		struct vmclock_fields f;
		vmclock_writer_default(&f);
		f.size = lens[i];
		struct vmclock_iut_reading r;
		int st = read_fields(&f, lens[i], f.counter_value + 5, &r);
		assert_int_equal(st, lens[i] >= 88 ? VMCLOCK_IUT_OK : VMCLOCK_IUT_NO_TIME);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_ESTERROR), lens[i] >= 96);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_MAXERROR), lens[i] >= 104);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_VMGEN), lens[i] >= 112);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_STATUS), lens[i] >= 40);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_TAI_OFFSET), lens[i] >= 40);
	}
}

/* A field that ends beyond size is absent even when mapped: size 32 on a
 * full page gives no time although the time fields hold valid data. */
static void r_hdr_size_fields_beyond_size_absent(void **state)
{
	(void)state;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	struct vmclock_iut_reading r;
	struct fixed_counter fc = { f.counter_value, 0 };
	struct vmclock_iut_counter ctr = { fixed_read, &fc };
	for (uint32_t size = 32; size < 88; size++) {
		f.size = size;
		struct guarded g;
		guarded_map(&g, &f, VMCLOCK_PAGE_SIZE);
		assert_int_equal(vmclock_ref_read(g.page, g.len, &ctr, &r), VMCLOCK_IUT_NO_TIME);
		guarded_unmap(&g);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_STATUS), size >= 39);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_TAI_OFFSET), size >= 38);
	}
	/* The counter is never read when no time can come of it. */
	assert_int_equal(fc.calls, 0);
}

/* R-HDR-COUNTER: foreign or INVALID counter -> no time, marker still there,
 * and the counter is not even read. */
static void r_hdr_counter_no_time(void **state)
{
	(void)state;
	static const uint8_t ids[] = { VMCLOCK_COUNTER_FOREIGN, VMCLOCK_COUNTER_INVALID, 2, 0xfe };
	for (size_t i = 0; i < sizeof(ids); i++) {
		struct vmclock_fields f;
		vmclock_writer_default(&f);
		f.counter_id = ids[i];
		struct vmclock_iut_reading r;
		struct fixed_counter fc = { f.counter_value, 0 };
		struct vmclock_iut_counter ctr = { fixed_read, &fc };
		struct guarded g;
		guarded_map(&g, &f, VMCLOCK_PAGE_SIZE);
		assert_int_equal(vmclock_ref_read(g.page, g.len, &ctr, &r), VMCLOCK_IUT_NO_TIME);
		guarded_unmap(&g);
		assert_int_equal(fc.calls, 0);
		assert_false(r.filled & (VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_ESTERROR |
		                         VMCLOCK_IUT_HAS_MAXERROR));
		assert_true(r.filled & VMCLOCK_IUT_HAS_DISRUPTION);
		assert_int_equal(r.disruption_marker, f.disruption_marker);
	}
}

/* R-HDR-TIMETYPE: MONOTONIC is reported as MONOTONIC, 3/4/unknown give no time. */
static void r_hdr_timetype(void **state)
{
	(void)state;
	for (unsigned tt = 0; tt < 256; tt++) {
		struct vmclock_fields f;
		vmclock_writer_default(&f);
		f.time_type = tt;
		struct vmclock_iut_reading r;
		int st = read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value, &r);
		if (tt <= VMCLOCK_TIME_MONOTONIC) {
			assert_int_equal(st, VMCLOCK_IUT_OK);
			assert_int_equal(r.time_type, tt);
		} else {
			assert_int_equal(st, VMCLOCK_IUT_NO_TIME);
		}
	}
}

/* R-STAT-UNRELIABLE: no time, but status and marker are reported. */
static void r_stat_unreliable_no_time(void **state)
{
	(void)state;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	f.clock_status = VMCLOCK_STATUS_UNRELIABLE;
	struct vmclock_iut_reading r;
	assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value, &r), VMCLOCK_IUT_NO_TIME);
	assert_false(r.filled & (VMCLOCK_IUT_HAS_TIME | VMCLOCK_IUT_HAS_ESTERROR |
	                         VMCLOCK_IUT_HAS_MAXERROR));
	assert_true(r.filled & VMCLOCK_IUT_HAS_STATUS);
	assert_int_equal(r.clock_status, VMCLOCK_STATUS_UNRELIABLE);
	assert_true(r.filled & VMCLOCK_IUT_HAS_DISRUPTION);
}

/* ---- R-SEQ-* ---------------------------------------------------------------- */

/* R-SEQ-BOUNDED: a page stuck odd gives BUSY in bounded time. */
static void r_seq_bounded_odd_busy(void **state)
{
	(void)state;
	static const uint32_t odd[] = { 1, 0xffffffffu, 0x80000001u };
	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		struct vmclock_fields f;
		vmclock_writer_default(&f);
		f.seq_count = odd[i];
		struct vmclock_iut_reading r;
		uint64_t t0 = mono_ns();
		int st = read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value, &r);
		uint64_t dt = mono_ns() - t0;
		assert_int_equal(st, VMCLOCK_IUT_BUSY);
		assert_int_equal(r.filled, 0);
		print_message("R-SEQ-BOUNDED: odd seq 0x%08x -> BUSY after %.3f ms\n", odd[i], dt / 1e6);
		/* 2^20 attempts or 100 ms, whichever first; generous for
		 * sanitizers and a loaded CI machine. */
		assert_true(dt < 2000000000ull);
	}
}

/* R-SEQ-WRAP and the cache-keyed-on-seq weakness: seq 0 and 0xfffffffe read
 * like any other even value. */
static void r_seq_wrap_zero_and_top(void **state)
{
	(void)state;
	static const uint32_t seqs[] = { 0, 0xfffffffeu };
	for (size_t i = 0; i < 2; i++) {
		struct vmclock_fields f;
		vmclock_writer_default(&f);
		f.seq_count = seqs[i];
		struct vmclock_iut_reading r;
		uint64_t c = f.counter_value + 77;
		assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, c, &r), VMCLOCK_IUT_OK);
		expect_time(&f, c, &r);
	}
}

/* A counter that plays a writer: on its first call it publishes a whole
 * update (BEGIN, fields, END) to the (writable) page, as an update racing
 * the reader's window would. While the seq is odd a correct reader does
 * not call the counter at all, so a half-done update could never finish
 * from here: the update is whole. */
struct racing_counter {
	volatile uint8_t *page;
	const struct vmclock_fields *next;   /* state published by the update */
	unsigned calls;
	uint64_t values[8];
};
static uint64_t racing_read(void *ctx)
{
	struct racing_counter *rc = ctx;
	unsigned k = rc->calls++;
	if (k == 0) {
		struct vmclock_step steps[2 + 32];
		struct vmclock_fields cur;
		vmclock_decode((const uint8_t *)rc->page, VMCLOCK_ABI_SIZE, &cur);
		size_t n = vmclock_update_steps(&cur, rc->next, steps);
		for (size_t i = 0; i < n; i++)
			vmclock_step_apply(rc->page, &steps[i]);
	}
	return rc->values[k < 8 ? k : 7];
}

/* R-SEQ-TORN / R-SEQ-WINDOW: an update inside the window makes the reader
 * retry; the time returned is the new state's, at a counter value read
 * while the new state was current (the second call), never the first. */
static void r_seq_torn_retry_in_window(void **state)
{
	(void)state;
	_Alignas(8) static uint8_t page[VMCLOCK_PAGE_SIZE];
	struct vmclock_fields a, b;
	struct vmclock_rng rng = { 42 };
	vmclock_writer_default(&a);
	vmclock_writer_next(&rng, &a, 1, 1, &b);
	b.time_sec += 1000;          /* make a torn mix unmistakable */
	struct vmclock_image img;
	vmclock_image_from(&img, &a, VMCLOCK_PAGE_SIZE, 0);
	memcpy(page, img.bytes, sizeof(page));
	struct racing_counter rc = { page, &b, 0, { 0 } };
	for (unsigned i = 0; i < 8; i++)
		rc.values[i] = b.counter_value + 1000 * (i + 1);
	struct vmclock_iut_counter ctr = { racing_read, &rc };
	struct vmclock_iut_reading r;
	assert_int_equal(vmclock_ref_read(page, sizeof(page), &ctr, &r), VMCLOCK_IUT_OK);
	assert_int_equal(rc.calls, 2);
	assert_int_equal(r.counter, rc.values[1]);
	expect_time(&b, r.counter, &r);
	assert_int_equal(vmclock_load32(page, VMCLOCK_OFF_seq_count), a.seq_count + 2);
	assert_int_equal(r.disruption_marker, b.disruption_marker);
	assert_int_equal(r.vm_generation_counter, b.vm_generation_counter);
}

/* ---- R-VMGEN, R-ERR-FLAGS, R-TIME-TAI ---------------------------------------- */

static void r_vmgen_flag_and_size(void **state)
{
	(void)state;
	static const uint32_t sizes[] = { 104, 111, 112, 4096 };
	for (size_t i = 0; i < 4; i++)
		for (int flag = 0; flag < 2; flag++) {
			struct vmclock_fields f;
			vmclock_writer_default(&f);
			f.size = sizes[i];
			if (!flag)
				f.flags &= ~VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
			f.vm_generation_counter = 0xfeedfacecafebeefull;
			struct vmclock_iut_reading r;
			assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value, &r),
			                 VMCLOCK_IUT_OK);
			int want = flag && sizes[i] >= 112;
			assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_VMGEN), want);
			assert_int_equal(r.vm_generation_counter, want ? f.vm_generation_counter : 0);
		}
}

/* Every combination of the four error flags: a bound only with its TIME
 * flag, the rate term only with its PERIOD flag. */
static void r_err_flags_all_combinations(void **state)
{
	(void)state;
	const uint64_t delta = 5000000000ull;    /* 5 s at 1 GHz */
	for (unsigned m = 0; m < 16; m++) {
		struct vmclock_fields f;
		vmclock_writer_default(&f);
		f.flags &= ~(VMCLOCK_FLAG_PERIOD_ESTERROR_VALID | VMCLOCK_FLAG_PERIOD_MAXERROR_VALID |
		             VMCLOCK_FLAG_TIME_ESTERROR_VALID | VMCLOCK_FLAG_TIME_MAXERROR_VALID);
		if (m & 1) f.flags |= VMCLOCK_FLAG_TIME_ESTERROR_VALID;
		if (m & 2) f.flags |= VMCLOCK_FLAG_PERIOD_ESTERROR_VALID;
		if (m & 4) f.flags |= VMCLOCK_FLAG_TIME_MAXERROR_VALID;
		if (m & 8) f.flags |= VMCLOCK_FLAG_PERIOD_MAXERROR_VALID;
		struct vmclock_iut_reading r;
		assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value + delta, &r),
		                 VMCLOCK_IUT_OK);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_ESTERROR), !!(m & 1));
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_MAXERROR), !!(m & 4));
		uint64_t est = (m & 1) ? vmclock_tm_error_ns(f.time_esterror_nanosec,
		               (m & 2) ? f.counter_period_esterror_rate_frac_sec : 0, 29, delta) : 0;
		uint64_t max = (m & 4) ? vmclock_tm_error_ns(f.time_maxerror_nanosec,
		               (m & 8) ? f.counter_period_maxerror_rate_frac_sec : 0, 29, delta) : 0;
		assert_int_equal(r.esterror_ns, est);
		assert_int_equal(r.maxerror_ns, max);
		/* The default rates are about 1 and 15 ppm: 5 s adds ~4.7 us and
		 * ~76 us, never less (R-ERR-BOUND). */
		if ((m & 3) == 3)
			assert_true(r.esterror_ns > f.time_esterror_nanosec + 4000);
		if ((m & 12) == 12)
			assert_true(r.maxerror_ns > f.time_maxerror_nanosec + 70000);
	}
}

/* Errors are for out->counter: no bound without time. */
static void r_err_flags_none_without_time(void **state)
{
	(void)state;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	f.time_type = VMCLOCK_TIME_INVALID_SMEARED;
	struct vmclock_iut_reading r;
	assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value, &r), VMCLOCK_IUT_NO_TIME);
	assert_false(r.filled & (VMCLOCK_IUT_HAS_ESTERROR | VMCLOCK_IUT_HAS_MAXERROR));
}

static void r_time_tai_signed_and_flagged(void **state)
{
	(void)state;
	static const struct { uint16_t raw; int32_t want; } v[] = {
		{ (uint16_t)(int16_t)-37, -37 }, { 37, 37 }, { 0, 0 },
		{ 0x8000, -32768 }, { 0x7fff, 32767 }, { 0xffff, -1 },
	};
	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		for (int flag = 0; flag < 2; flag++) {
			struct vmclock_fields f;
			vmclock_writer_default(&f);
			f.tai_offset_sec = v[i].raw;
			if (!flag)
				f.flags &= ~VMCLOCK_FLAG_TAI_OFFSET_VALID;
			struct vmclock_iut_reading r;
			assert_int_equal(read_fields(&f, VMCLOCK_PAGE_SIZE, f.counter_value, &r),
			                 VMCLOCK_IUT_OK);
			assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_TAI_OFFSET), flag);
			assert_int_equal(r.tai_offset_sec, flag ? v[i].want : 0);
		}
}

/* ---- random pages ------------------------------------------------------------ */

#define RANDOM_PAGES 10000

/* Every random valid page reads OK with exactly vmclock_tm_at's time;
 * the error bounds follow the flags (R-TIME-EXACT, R-TIME-SHIFT,
 * R-ERR-FLAGS). */
static void r_time_exact_random_pages(void **state)
{
	(void)state;
	const uint64_t seed = 0x5eed0001;
	struct vmclock_rng rng = { seed };
	print_message("random pages: seed 0x%llx, count %d\n", (unsigned long long)seed, RANDOM_PAGES);
	for (int i = 0; i < RANDOM_PAGES; i++) {
		struct vmclock_fields f;
		vmclock_writer_random(&rng, &f);
		size_t len = ((size_t)f.size + 7) & ~(size_t)7;
		if (vmclock_rng_below(&rng, 2))
			len = VMCLOCK_PAGE_SIZE;
		uint64_t c = vmclock_rng_below(&rng, 2) ? f.counter_value + vmclock_rng_edgy64(&rng) % 4096
		                                        : vmclock_rng_edgy64(&rng);
		struct vmclock_iut_reading r;
		int st = read_fields(&f, len, c, &r);
		if (st != VMCLOCK_IUT_OK)
			fail_msg("page %d (seed 0x%llx): status %d", i, (unsigned long long)seed, st);
		expect_time(&f, c, &r);
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_ESTERROR),
		                 !!(f.flags & VMCLOCK_FLAG_TIME_ESTERROR_VALID));
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_MAXERROR),
		                 !!(f.flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID));
		assert_int_equal(!!(r.filled & VMCLOCK_IUT_HAS_VMGEN),
		                 !!(f.flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT));
		if (r.filled & VMCLOCK_IUT_HAS_MAXERROR)
			assert_true(r.maxerror_ns >= f.time_maxerror_nanosec);
	}
}

/* ---- W-MONO through the reader: writer_next keeps monotonic time --------- */

/* a <= b for times with seconds mod 2^64 (as the reader computes them). */
static int reading_le(const struct vmclock_iut_reading *a, const struct vmclock_iut_reading *b)
{
	int64_t ds = (int64_t)(b->sec - a->sec);
	return ds > 0 || (ds == 0 && a->nsec <= b->nsec);
}

static void r_mono_writer_next_keeps_time(void **state)
{
	(void)state;
	const uint64_t seed = 0x5eed0002;
	struct vmclock_rng rng = { seed };
	unsigned updates = 0;
	for (int chain = 0; chain < 50; chain++) {
		struct vmclock_fields cur;
		if (chain == 0) {
			vmclock_writer_default(&cur);
		} else {
			vmclock_writer_random(&rng, &cur);
			/* Sane periods so time actually moves (0 ticks per s on edgy
			 * pages would make the check vacuous, not wrong). */
			cur.counter_period_frac_sec = 0x89705F4136B4A597ull + vmclock_rng_below(&rng, 1u << 30);
			cur.counter_period_shift = 29 - (unsigned)vmclock_rng_below(&rng, 4);
			cur.time_sec >>= 2;
		}
		cur.flags |= VMCLOCK_FLAG_TIME_MONOTONIC;
		for (int u = 0; u < 200; u++) {
			struct vmclock_fields next;
			vmclock_writer_next(&rng, &cur, u % 7 == 0, u % 31 == 0, &next);
			assert_int_equal(next.seq_count, (uint32_t)(cur.seq_count + 2));
			assert_true(next.counter_value - cur.counter_value < (1ull << 31));
			/* c1: the old state read right after seq went odd; c2 >= c1:
			 * the new state read right before seq became even. */
			uint64_t c1 = next.counter_value + vmclock_rng_below(&rng, 1ull << 32);
			uint64_t c2 = c1 + vmclock_rng_below(&rng, 3);
			struct vmclock_iut_reading r1, r2;
			assert_int_equal(read_fields(&cur, VMCLOCK_PAGE_SIZE, c1, &r1), VMCLOCK_IUT_OK);
			assert_int_equal(read_fields(&next, VMCLOCK_PAGE_SIZE, c2, &r2), VMCLOCK_IUT_OK);
			if (!reading_le(&r1, &r2))
				fail_msg("chain %d update %d (seed 0x%llx): %llu.%09u > %llu.%09u", chain, u,
				         (unsigned long long)seed, (unsigned long long)r1.sec, r1.nsec,
				         (unsigned long long)r2.sec, r2.nsec);
			/* W-DISR-UNIQUE / W-VMGEN */
			if (u % 7 == 0 || u % 31 == 0)
				assert_true(next.disruption_marker != cur.disruption_marker);
			if (u % 31 == 0)
				assert_true(next.vm_generation_counter != cur.vm_generation_counter);
			cur = next;
			updates++;
		}
	}
	print_message("W-MONO: %u updates (seed 0x%llx) kept monotonic time\n", updates,
	              (unsigned long long)seed);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(r_time_exact_default_page),
		cmocka_unit_test(r_time_exact_spec_example),
		cmocka_unit_test(r_all_fields_default_page),
		cmocka_unit_test(r_hdr_malformed_catalogue),
		cmocka_unit_test(r_hdr_size_null_and_short_len),
		cmocka_unit_test(r_hdr_size_no_load_past_mapping),
		cmocka_unit_test(r_hdr_size_fields_beyond_size_absent),
		cmocka_unit_test(r_hdr_counter_no_time),
		cmocka_unit_test(r_hdr_timetype),
		cmocka_unit_test(r_stat_unreliable_no_time),
		cmocka_unit_test(r_seq_bounded_odd_busy),
		cmocka_unit_test(r_seq_wrap_zero_and_top),
		cmocka_unit_test(r_seq_torn_retry_in_window),
		cmocka_unit_test(r_vmgen_flag_and_size),
		cmocka_unit_test(r_err_flags_all_combinations),
		cmocka_unit_test(r_err_flags_none_without_time),
		cmocka_unit_test(r_time_tai_signed_and_flagged),
		cmocka_unit_test(r_time_exact_random_pages),
		cmocka_unit_test(r_mono_writer_next_keeps_time),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
