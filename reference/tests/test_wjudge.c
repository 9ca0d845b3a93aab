/* test_wjudge.c - the writer trace parser (wtrace.c) and the W-... judge
 * (wjudge.c) on hand-made traces: one rule per test, each trace correct but
 * for the one thing the test plants, so a judge that charges a finding to
 * the wrong clause (or raises one on a correct trace) fails here. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "timemath.h"
#include "wjudge.h"
#include "wtrace.h"

#define PERIOD 0x89705F4136B4A597ull   /* 1 ns per tick with shift 29 */

/* ---- building traces ----------------------------------------------------- */

struct tb {
	uint8_t buf[1 << 16];
	size_t n;
	uint8_t page[VMCLOCK_ABI_SIZE];
	uint64_t counter;
};

static void tb_start(struct tb *b, uint32_t flags)
{
	memset(b, 0, sizeof *b);
	b->n = trace_enc_header(b->buf, flags, 4096, VMCLOCK_ABI_SIZE, 1);
	b->counter = 1000000000;
}

static void tb_event(struct tb *b, uint32_t kind)
{
	struct vmclock_wut_event ev = { .kind = kind, .counter = b->counter };
	b->n += trace_enc_event(b->buf + b->n, &ev);
}

static void tb_image(struct tb *b, uint8_t flags)
{
	b->n += trace_enc_image(b->buf + b->n, b->counter, flags, 0, 0, b->page, VMCLOCK_ABI_SIZE);
}

/* One store of field i = v (an IMAGE record after it). */
static void tb_store(struct tb *b, size_t i, uint64_t v)
{
	struct vmclock_fields f;
	vmclock_decode(b->page, sizeof b->page, &f);
	vmclock_field_set(&f, i, v);
	vmclock_encode(&f, b->page);
	tb_image(b, 0);
}

static size_t fi(const char *name)
{
	for (size_t i = 0; i < vmclock_field_count; i++)
		if (!strcmp(vmclock_field_table[i].name, name))
			return i;
	fail_msg("no field %s", name);
	return 0;
}

static uint64_t get(struct tb *b, const char *name)
{
	struct vmclock_fields f;
	vmclock_decode(b->page, sizeof b->page, &f);
	return vmclock_field_get(&f, fi(name));
}

/* A correct update: seq odd, the fields, seq even. */
static void tb_update(struct tb *b, const char *const *names, const uint64_t *vals, size_t n)
{
	uint64_t seq = get(b, "seq_count");
	tb_store(b, fi("seq_count"), (seq + 1) & 0xffffffffu);
	for (size_t k = 0; k < n; k++)
		tb_store(b, fi(names[k]), vals[k]);
	tb_store(b, fi("seq_count"), (seq + 2) & 0xffffffffu);
}

/* INIT: a full time page, MONOTONIC, error bounds, marker 7, at counter. */
static void tb_init(struct tb *b, uint64_t flags_extra)
{
	tb_event(b, VMCLOCK_WUT_INIT);
	struct vmclock_fields f = { 0 };
	f.magic = VMCLOCK_MAGIC;
	f.size = 4096;
	f.version = 1;
	f.counter_id = VMCLOCK_COUNTER_NATIVE;
	f.disruption_marker = 7;
	f.flags = VMCLOCK_FLAG_TIME_MONOTONIC | VMCLOCK_FLAG_TIME_MAXERROR_VALID | VMCLOCK_FLAG_PERIOD_MAXERROR_VALID |
	          flags_extra;
	f.clock_status = VMCLOCK_STATUS_SYNCHRONIZED;
	f.counter_value = b->counter;
	f.counter_period_frac_sec = PERIOD;
	f.counter_period_shift = 29;
	f.counter_period_maxerror_rate_frac_sec = PERIOD / 10000000;
	f.time_sec = 1790000000;
	f.time_maxerror_nanosec = 1000;
	vmclock_encode(&f, b->page);
	tb_image(b, 0);
}

/* The old state's time at the current counter, as the new state's time. */
static void tb_tick(struct tb *b, uint64_t advance, int64_t jump_ns)
{
	b->counter += advance;
	tb_event(b, VMCLOCK_WUT_TICK);
	struct vmclock_tm_time t = vmclock_tm_at(get(b, "time_sec"), get(b, "time_frac_sec"), get(b, "counter_value"),
	                                         PERIOD, 29, b->counter);
	__extension__ unsigned __int128 x = ((unsigned __int128)t.sec << 64) | t.frac;
	__extension__ unsigned __int128 j = ((unsigned __int128)(jump_ns < 0 ? -jump_ns : jump_ns) << 64) / 1000000000u;
	x = jump_ns < 0 ? x - j : x + j;
	const char *names[] = { "counter_value", "time_sec", "time_frac_sec" };
	uint64_t vals[] = { b->counter, (uint64_t)(x >> 64), (uint64_t)x };
	tb_update(b, names, vals, 3);
}

static void judge(struct tb *b, struct wj_result *r)
{
	tb_event(b, VMCLOCK_WUT_SHUTDOWN);
	b->n += trace_enc_end(b->buf + b->n, b->counter, WTRACE_END_OK, "done");
	struct wtrace t;
	char err[200];
	assert_int_equal(trace_parse(b->buf, b->n, &t, err, sizeof err), 0);
	wjudge(&t, 0, r);
	trace_free(&t);
}

/* Exactly the clauses in `want` found something; every other one did not. */
static void only(const struct wj_result *r, const enum vmclock_clause *want, size_t n)
{
	for (int c = VMCLOCK_FIRST_WRITER_CLAUSE; c < VMCLOCK_CLAUSE_COUNT; c++) {
		int expect = 0;
		for (size_t k = 0; k < n; k++)
			expect |= want[k] == (enum vmclock_clause)c;
		if (!!r->c[c].findings != expect)
			fail_msg("%s: %u findings (%s), expected %s", vmclock_clauses[c].id, r->c[c].findings,
			         r->c[c].evidence, expect ? "some" : "none");
	}
}

/* ---- the parser ----------------------------------------------------------------- */

static void parse_rejects_every_cut(void **state)
{
	(void)state;
	static struct tb b;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	tb_tick(&b, 1000000, 0);
	b.n += trace_enc_end(b.buf + b.n, b.counter, WTRACE_END_OK, "done");
	struct wtrace t;
	char err[200];
	assert_int_equal(trace_parse(b.buf, b.n, &t, err, sizeof err), 0);
	trace_free(&t);
	/* every shorter prefix that does not end on a record boundary fails,
	 * with a message; the parser never reads past the cut (ASan) */
	for (size_t cut = 0; cut < b.n; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		memcpy(copy, b.buf, cut);
		err[0] = 0;
		int rc = trace_parse(copy, cut, &t, err, sizeof err);
		if (rc == 0)
			trace_free(&t);
		else
			assert_true(err[0] != 0);
		free(copy);
	}
}

static void parse_rejects_bad_fields(void **state)
{
	(void)state;
	static struct tb b;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	struct wtrace t;
	char err[200];
	static const struct { size_t off; uint8_t v; const char *why; } bad[] = {
		{ 0, 'X', "magic" }, { 8, 2, "version" }, { 12, 4, "flags" }, { 12, 3, "both" },
		{ 20, 1, "image length" }, { 32, 9, "record type" }, { 34, 1, "reserved" },
	};
	for (size_t k = 0; k < sizeof bad / sizeof bad[0]; k++) {
		uint8_t save = b.buf[bad[k].off];
		b.buf[bad[k].off] = bad[k].v;
		assert_int_equal(trace_parse(b.buf, b.n, &t, err, sizeof err), -1);
		assert_non_null(strstr(err, bad[k].why));
		b.buf[bad[k].off] = save;
	}
}

/* ---- the judge, one rule each ---------------------------------------------------------- */

static void correct_trace_passes(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	for (int i = 0; i < 5; i++)
		tb_tick(&b, 1000000000, 100);   /* +100 ns: inside max error 1000 */
	judge(&b, &r);
	only(&r, NULL, 0);
	assert_int_equal(r.c[W_MONO].verdict, VMCLOCK_PASS);
	assert_int_equal(r.c[W_VMGEN].verdict, VMCLOCK_NOT_SUPPORTED);
	assert_int_equal(r.updates, 5);
}

static void store_while_even_is_protocol(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	tb_event(&b, VMCLOCK_WUT_TICK);
	tb_store(&b, fi("clock_status"), VMCLOCK_STATUS_FREERUNNING);   /* seq even */
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_SEQ_PROTOCOL };
	only(&r, want, 1);
}

static void seq_step_two_is_protocol(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	tb_event(&b, VMCLOCK_WUT_TICK);
	tb_store(&b, fi("seq_count"), 3);   /* 0 -> 3 */
	tb_store(&b, fi("seq_count"), 4);
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_SEQ_PROTOCOL };
	only(&r, want, 1);
}

static void seq_wrap_passes(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	/* INIT with seq 0xfffffffe, then updates through the wrap */
	struct vmclock_fields f;
	vmclock_decode(b.page, sizeof b.page, &f);
	f.seq_count = 0xfffffffe;
	vmclock_encode(&f, b.page);
	tb_image(&b, 0);
	tb_tick(&b, 1000, 0);
	tb_tick(&b, 1000, 0);
	judge(&b, &r);
	only(&r, NULL, 0);
}

static void backward_time_is_mono(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	tb_tick(&b, 1000000, -200);   /* back 200 ns: inside max error, not a step */
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_MONO };
	only(&r, want, 1);
}

static void step_beyond_max_error_is_disr_step(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	tb_tick(&b, 1000000, 50000);   /* +50 us, max error ~1 us, same marker */
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_DISR_STEP };
	only(&r, want, 1);
}

static void step_with_new_marker_passes(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	b.counter += 1000000;
	tb_event(&b, VMCLOCK_WUT_STEP);
	const char *names[] = { "counter_value", "time_sec", "disruption_marker" };
	uint64_t vals[] = { b.counter, 1790000000 - 5, 8 };   /* back 5 s, new marker */
	tb_update(&b, names, vals, 3);
	judge(&b, &r);
	only(&r, NULL, 0);
}

static void marker_reuse_is_unique(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	const char *names[] = { "disruption_marker" };
	uint64_t v8[] = { 8 }, v7[] = { 7 };
	tb_event(&b, VMCLOCK_WUT_MIGRATE);
	tb_update(&b, names, v8, 1);
	tb_event(&b, VMCLOCK_WUT_MIGRATE);
	tb_update(&b, names, v7, 1);   /* 7 again */
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_DISR_UNIQUE };
	only(&r, want, 1);
}

static void restore_needs_new_vmgen(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT);
	/* the suite puts a snapshot back, the writer changes the marker only */
	tb_event(&b, VMCLOCK_WUT_RESTORE);
	tb_image(&b, WTRACE_IMG_SUITE);
	const char *names[] = { "disruption_marker" };
	uint64_t v9[] = { 9 };
	tb_update(&b, names, v9, 1);
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_VMGEN };
	only(&r, want, 1);
}

static void enum_and_reserved(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 1ull << 12);   /* reserved bit */
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_ENUM_RANGE };
	only(&r, want, 1);
}

static void header_change_is_const(void **state)
{
	(void)state;
	static struct tb b;
	struct wj_result r;
	tb_start(&b, WTRACE_F_EXACT);
	tb_init(&b, 0);
	tb_event(&b, VMCLOCK_WUT_TICK);
	tb_store(&b, fi("size"), 112);
	judge(&b, &r);
	const enum vmclock_clause want[] = { W_HDR_CONST };
	only(&r, want, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_rejects_every_cut),
		cmocka_unit_test(parse_rejects_bad_fields),
		cmocka_unit_test(correct_trace_passes),
		cmocka_unit_test(store_while_even_is_protocol),
		cmocka_unit_test(seq_step_two_is_protocol),
		cmocka_unit_test(seq_wrap_passes),
		cmocka_unit_test(backward_time_is_mono),
		cmocka_unit_test(step_beyond_max_error_is_disr_step),
		cmocka_unit_test(step_with_new_marker_passes),
		cmocka_unit_test(marker_reuse_is_unique),
		cmocka_unit_test(restore_needs_new_vmgen),
		cmocka_unit_test(enum_and_reserved),
		cmocka_unit_test(header_change_is_const),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
