/* test_oracle.c - unit tests of the oracle (reference/oracle.c), one rule
 * per test, each named by the clause it pins down.
 *
 * Every test starts from a correct reading (the reference reader's, on a
 * page from the reference writer) that the oracle must accept without a
 * finding, changes one thing, and asserts the exact clause and verdict the
 * oracle charges, or that it charges none. A rule loosened, dropped or
 * charged to another clause fails one of these in milliseconds (make
 * mutate's first line of defence). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "abi.h"
#include "oracle.h"
#include "reader.h"
#include "writer.h"

static uint64_t fixed_value;
static uint64_t fixed_read(void *ctx)
{
	(void)ctx;
	return fixed_value;
}

struct fx {
	struct vmclock_fields f;      /* the page */
	struct vmclock_image img;     /* its bytes, a whole page mapping */
	uint64_t counter;
	int status;
	struct vmclock_iut_reading r; /* the reference reader's reading */
	struct vmclock_judgement j;
};

/* The page f, read by the reference reader at `delta` ticks after
 * counter_value. */
static void read_page(struct fx *x, uint64_t delta)
{
	vmclock_image_from(&x->img, &x->f, VMCLOCK_PAGE_SIZE, 0);
	x->counter = fixed_value = x->f.counter_value + delta;
	const struct vmclock_iut_counter c = { fixed_read, NULL };
	memset(&x->r, 0, sizeof x->r);
	x->status = vmclock_ref_read(x->img.bytes, x->img.len, &c, &x->r);
}

static void fixture(struct fx *x)
{
	memset(x, 0, sizeof *x);
	vmclock_writer_default(&x->f);
	read_page(x, 1000000);
	assert_int_equal(x->status, VMCLOCK_IUT_OK);
}

static void judge(struct fx *x)
{
	const struct vmclock_oracle_input in = { .page = &x->f, .len = VMCLOCK_PAGE_SIZE, .counters = &x->counter,
	                                         .ncounters = 1, .native_counter_id = VMCLOCK_COUNTER_NATIVE };
	vmclock_oracle_judge(&in, x->status, &x->r, &x->j);
}

/* How many findings of clause c with verdict v. */
static unsigned count(const struct fx *x, enum vmclock_clause c, enum vmclock_verdict v)
{
	unsigned n = 0;
	for (size_t i = 0; i < x->j.n; i++)
		n += x->j.f[i].clause == c && x->j.f[i].verdict == v;
	return n;
}

/* Exactly one finding, of clause c with verdict v. */
static void only(const struct fx *x, enum vmclock_clause c, enum vmclock_verdict v)
{
	for (size_t i = 0; i < x->j.n; i++)
		print_message("finding: %s %d %s\n", vmclock_clauses[x->j.f[i].clause].id, x->j.f[i].verdict,
		              x->j.f[i].evidence);
	assert_int_equal(x->j.n, 1);
	assert_int_equal(count(x, c, v), 1);
}

static void correct_reading_has_no_finding(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	judge(&x);
	assert_int_equal(x.j.n, 0);
	assert_true(x.j.reports_time);
}

/* R-TIME-EXACT: exact to the nanosecond, no tolerance. */
static void time_one_ns_late_is_r_time_exact(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	x.r.nsec = x.r.nsec == 999999999u ? 0 : x.r.nsec + 1;
	judge(&x);
	only(&x, R_TIME_EXACT, VMCLOCK_FAIL);
}

/* R-TIME-SHIFT: the formula with the shift taken modulo 128 at shift 200. */
static void shift_mod_128_is_r_time_shift(void **state)
{
	(void)state;
	struct fx x, m;
	fixture(&x);
	x.f.counter_period_shift = 200;
	m = x;
	m.f.counter_period_shift = 200 & 127;
	/* a delta large enough for the two shifts to differ in the ns */
	read_page(&m, 1000000000000000ull);
	read_page(&x, 1000000000000000ull);
	x.r = m.r;     /* the answer at shift 72, for a page of shift 200 */
	x.r.counter = x.counter;
	judge(&x);
	only(&x, R_TIME_SHIFT, VMCLOCK_FAIL);
}

/* R-HDR-TIMETYPE: time_type 3 (smeared) is not usable time. */
static void time_for_time_type_3_is_r_hdr_timetype(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	x.f.time_type = 3;
	x.r.time_type = 3;
	judge(&x);
	only(&x, R_HDR_TIMETYPE, VMCLOCK_FAIL);
}

/* R-HDR-TIMETYPE: the reported time_type is the page's (a TAI page
 * reported as UTC, whatever the time). */
static void other_time_type_is_r_hdr_timetype(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	x.f.time_type = VMCLOCK_TIME_TAI;
	read_page(&x, 1000000);
	assert_int_equal(x.r.time_type, VMCLOCK_TIME_TAI);
	x.r.time_type = VMCLOCK_TIME_UTC;
	judge(&x);
	only(&x, R_HDR_TIMETYPE, VMCLOCK_FAIL);
}

/* R-HDR-COUNTER: time only for the counter the reader reads, whichever
 * side of it the page's counter_id lies. */
static void time_for_another_counter_is_r_hdr_counter(void **state)
{
	(void)state;
	for (unsigned id = 0; id < 256; id++) {
		if (id == VMCLOCK_COUNTER_NATIVE)
			continue;
		struct fx x;
		fixture(&x);
		x.f.counter_id = (uint8_t)id;
		judge(&x);
		only(&x, R_HDR_COUNTER, VMCLOCK_FAIL);
	}
}

/* R-HDR-SIZE: size one byte over the mapping is a bad header; equal is not. */
static void size_over_mapping_by_one_is_r_hdr_size(void **state)
{
	(void)state;
	struct vmclock_fields h;
	vmclock_writer_default(&h);
	h.size = 200;
	assert_int_equal(vmclock_oracle_header_defect(&h, 200), -1);
	assert_int_equal(vmclock_oracle_header_defect(&h, 199), R_HDR_SIZE);
}

/* R-STAT-UNRELIABLE (SHOULD): time as OK for an INITIALIZING clock,
 * without passing the status on. */
static void ok_for_initializing_without_status_warns(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	x.f.clock_status = VMCLOCK_STATUS_INITIALIZING;
	x.r.filled &= ~(uint32_t)VMCLOCK_IUT_HAS_ANY_CLOCK;
	x.r.clock_status = 0;
	judge(&x);
	only(&x, R_STAT_UNRELIABLE, VMCLOCK_WARN);
}

/* ... and for SYNCHRONIZED, nothing. */
static void ok_for_synchronized_without_status_is_fine(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	x.f.clock_status = VMCLOCK_STATUS_SYNCHRONIZED;
	x.r.filled &= ~(uint32_t)VMCLOCK_IUT_HAS_ANY_CLOCK;
	judge(&x);
	assert_int_equal(x.j.n, 0);
}

/* R-ERR-BOUND: one nanosecond below the bound is a FAIL. */
static void maxerror_one_below_is_r_err_bound(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	assert_true(x.r.filled & VMCLOCK_IUT_HAS_MAXERROR);
	x.r.maxerror_ns--;
	judge(&x);
	only(&x, R_ERR_BOUND, VMCLOCK_FAIL);
}

/* R-ERR-BOUND: each rate counts under its own PERIOD_*_VALID flag: with
 * only PERIOD_MAXERROR_VALID, maxerror grows with delta and esterror does
 * not (a reader that swaps the flags is below on maxerror). */
static void each_rate_under_its_own_flag(void **state)
{
	(void)state;
	struct fx x, plain;
	fixture(&x);
	x.f.flags &= ~VMCLOCK_FLAG_PERIOD_ESTERROR_VALID;
	x.f.flags |= VMCLOCK_FLAG_PERIOD_MAXERROR_VALID;
	read_page(&x, 1000000000ull);
	judge(&x);
	assert_int_equal(x.j.n, 0);
	plain = x;
	plain.f.flags &= ~VMCLOCK_FLAG_PERIOD_MAXERROR_VALID;
	read_page(&plain, 1000000000ull);
	assert_true(plain.r.maxerror_ns < x.r.maxerror_ns);   /* the rate term is there */
	x.r.maxerror_ns = plain.r.maxerror_ns;                 /* ... and now it is not */
	judge(&x);
	only(&x, R_ERR_BOUND, VMCLOCK_FAIL);
}

/* R-DISR-MARKER: the marker is the page's. */
static void other_marker_is_r_disr_marker(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	assert_true(x.r.filled & VMCLOCK_IUT_HAS_DISRUPTION);
	x.r.disruption_marker ^= 1;
	judge(&x);
	only(&x, R_DISR_MARKER, VMCLOCK_FAIL);
}

/* R-VMGEN: reported only when its field ends within `size`, not the mapping. */
static void vmgen_beyond_size_is_r_vmgen(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	assert_true(x.r.filled & VMCLOCK_IUT_HAS_VMGEN);
	x.f.size = 104;        /* the mapping (a whole page) still holds the field */
	judge(&x);
	only(&x, R_VMGEN, VMCLOCK_FAIL);
}

/* R-TIME-NEGDELTA (INFO): a counter below counter_value, delta wrapped. */
static void negative_delta_wrapped_is_reported_as_linux(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	read_page(&x, (uint64_t)-1000);
	if (x.status != VMCLOCK_IUT_OK)
		skip();
	judge(&x);
	assert_non_null(x.j.negdelta);
	assert_string_equal(x.j.negdelta, "wraps the 64-bit delta (as Linux)");
	x.r.sec++;
	judge(&x);
	assert_string_equal(x.j.negdelta, "computes something other than the wrapped delta");
}

/* R-CONTRACT: an OK reading's counter was read during the call. */
static void counter_not_read_breaks_the_contract(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	const struct vmclock_oracle_input in = { .page = &x.f, .len = VMCLOCK_PAGE_SIZE, .counters = &x.counter,
	                                         .ncounters = 1, .native_counter_id = VMCLOCK_COUNTER_NATIVE };
	assert_null(vmclock_oracle_contract(&in, x.status, &x.r));
	x.r.counter++;
	assert_non_null(vmclock_oracle_contract(&in, x.status, &x.r));
}

/* R-CONTRACT: reported flags are the page's. */
static void other_flags_break_the_contract(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	assert_true(x.r.filled & VMCLOCK_IUT_HAS_ANY_FLAGS);
	x.r.flags ^= 1;
	judge(&x);
	only(&x, R_CONTRACT, VMCLOCK_FAIL);
}

/* R-HDR-MAGIC: a bad header accepted, even as NO_TIME with only a marker. */
static void marker_from_bad_magic_is_r_hdr_magic(void **state)
{
	(void)state;
	struct fx x;
	fixture(&x);
	x.f.magic ^= 1;
	x.status = VMCLOCK_IUT_NO_TIME;
	x.r.filled = VMCLOCK_IUT_HAS_DISRUPTION;
	judge(&x);
	assert_int_equal(count(&x, R_HDR_MAGIC, VMCLOCK_FAIL), 1);
	assert_true(x.j.accepted);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(correct_reading_has_no_finding),
		cmocka_unit_test(time_one_ns_late_is_r_time_exact),
		cmocka_unit_test(shift_mod_128_is_r_time_shift),
		cmocka_unit_test(time_for_time_type_3_is_r_hdr_timetype),
		cmocka_unit_test(other_time_type_is_r_hdr_timetype),
		cmocka_unit_test(size_over_mapping_by_one_is_r_hdr_size),
		cmocka_unit_test(time_for_another_counter_is_r_hdr_counter),
		cmocka_unit_test(ok_for_initializing_without_status_warns),
		cmocka_unit_test(ok_for_synchronized_without_status_is_fine),
		cmocka_unit_test(maxerror_one_below_is_r_err_bound),
		cmocka_unit_test(each_rate_under_its_own_flag),
		cmocka_unit_test(other_marker_is_r_disr_marker),
		cmocka_unit_test(vmgen_beyond_size_is_r_vmgen),
		cmocka_unit_test(negative_delta_wrapped_is_reported_as_linux),
		cmocka_unit_test(counter_not_read_breaks_the_contract),
		cmocka_unit_test(other_flags_break_the_contract),
		cmocka_unit_test(marker_from_bad_magic_is_r_hdr_magic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
