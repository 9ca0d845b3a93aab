/* schedule_kinds.c - the simulated writer (suite/schedule.c) really makes
 * every kind of update and every store order the case generators ask for.
 * A bundled bad reader is often caught by more than one mechanism, so a
 * mechanism that silently stopped working (reversed stores applied in
 * field order, a restore without a new vm_generation_counter, a half-done
 * update that is not half done) would go unnoticed by the self-test
 * (issue 13: mutants M40-M49 of harness/mutants.def). Here each one is
 * pinned down by what it leaves on the page.
 *
 * A cmocka unit test (build/unit/schedule_kinds, run by make test under
 * ASan+UBSan and by make mutate). Each case runs sched_run in-process with
 * a reader that copies the page, 8 bytes a load, so the writer acts
 * between its loads exactly as it does for a reader under test. A failed
 * check prints what it saw; a test fails when any of its checks did. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "abi.h"
#include "case.h"
#include "schedule.h"
#include "writer.h"

static unsigned failures;

/* Every fact is checked and printed, not only the first that fails. */
#define CHECK(cond, ...)                                    \
	do {                                                    \
		if (!(cond)) {                                      \
			failures++;                                     \
			printf("FAIL %s:%d: ", __FILE__, __LINE__);     \
			printf(__VA_ARGS__);                            \
			printf("\n");                                   \
		}                                                   \
	} while (0)

/* How many times the reader copies the page per call (1 or 2). */
static unsigned passes = 1;

/* A reader of 14 loads per pass (the whole structure, 8 bytes a load) and
 * one counter read. It returns what its last pass saw of seq_count (sec),
 * the marker, vm_generation_counter, flags, clock_status and leap: a
 * reading taken after the writer is done shows what is on the page. */
static int copy_reader(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                       struct vmclock_iut_reading *out)
{
	uint8_t b[VMCLOCK_ABI_SIZE];
	for (unsigned p = 0; p < passes; p++)
		for (size_t o = 0; o + 8 <= len && o < VMCLOCK_ABI_SIZE; o += 8) {
			uint64_t w = *(const volatile uint64_t *)((const volatile uint8_t *)page + o);
			memcpy(b + o, &w, 8);
		}
	struct vmclock_fields f;
	vmclock_decode(b, sizeof b, &f);
	memset(out, 0, sizeof *out);
	out->counter = c->read(c->ctx);
	out->sec = f.seq_count;
	out->disruption_marker = f.disruption_marker;
	out->vm_generation_counter = f.vm_generation_counter;
	out->flags = f.flags;
	out->clock_status = (uint8_t)f.clock_status;
	out->leap_indicator = (uint8_t)f.leap_indicator;
	return VMCLOCK_IUT_NO_TIME;
}

/* Which bytes of the structure differ between two states. */
static unsigned diff_bytes(const struct vmclock_fields *a, const struct vmclock_fields *b, size_t *first,
                           size_t *last)
{
	uint8_t x[VMCLOCK_ABI_SIZE], y[VMCLOCK_ABI_SIZE];
	struct vmclock_image ia, ib;
	vmclock_image_from(&ia, a, VMCLOCK_PAGE_SIZE, 0);
	vmclock_image_from(&ib, b, VMCLOCK_PAGE_SIZE, 0);
	memcpy(x, ia.bytes, sizeof x);
	memcpy(y, ib.bytes, sizeof y);
	unsigned n = 0;
	*first = SIZE_MAX;
	*last = 0;
	for (size_t i = 16; i < sizeof x; i++)   /* past seq_count (offset 12..15) */
		if (x[i] != y[i]) {
			n++;
			if (*first == SIZE_MAX)
				*first = i;
			*last = i;
		}
	return n;
}

/* What a case may vary beyond its interventions (zero: the defaults). */
struct knobs {
	unsigned ncalls;        /* reader calls (default 2: the last one reads the page the writer left) */
	uint8_t statuses;       /* dyn.statuses (default SYNCHRONIZED only) */
	uint64_t keep_flags;    /* dyn.keep_flags */
	uint64_t seed;          /* dyn.seed (default 0x5eed) */
	int near_carry;         /* time_frac_sec just below a whole second: time_sec changes too */
};

static void run(struct engine *e, const struct sc_intervention *iv, unsigned niv, const struct knobs *k,
                struct sb_result *res)
{
	static const struct knobs none;
	if (!k)
		k = &none;
	struct vmclock_fields f;
	vmclock_writer_default(&f);
	f.flags |= VMCLOCK_FLAG_TIME_MONOTONIC | VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
	f.seq_count = 0x1000;
	if (k->near_carry)
		f.time_frac_sec = UINT64_MAX - 1000;
	struct sc_case c;
	sc_case_init(&c, R_SEQ_TORN, "kinds", &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME);
	c.dyn.ncalls = k->ncalls ? k->ncalls : 2;
	c.dyn.niv = niv;
	c.dyn.seed = k->seed ? k->seed : 0x5eed;
	c.dyn.statuses = k->statuses ? k->statuses : 1u << VMCLOCK_STATUS_SYNCHRONIZED;
	c.dyn.keep_flags = k->keep_flags;
	for (unsigned i = 0; i < niv; i++) {
		c.dyn.iv[i] = iv[i];
		if (iv[i].at > c.dyn.free_after)
			c.dyn.free_after = iv[i].at;
	}
	c.dyn.free_after += 40;
	memset(res, 0, sizeof *res);
	sched_run(e, copy_reader, 0, &c, res);
}

/* The page the writer left (read by the last call) is its last committed
 * state: what the writer recorded is what it stored. */
static void left_as_recorded(const char *what, const struct sb_result *r)
{
	const struct vmclock_fields *s = &r->states[r->nstates - 1];
	const struct vmclock_iut_reading *p = &r->readings[r->ncalls - 1];
	CHECK(p->sec == s->seq_count && p->disruption_marker == s->disruption_marker &&
	      p->vm_generation_counter == s->vm_generation_counter && p->flags == s->flags,
	      "%s: the page holds seq_count 0x%x, marker 0x%llx, vmgen %llu; the writer recorded 0x%x, 0x%llx, %llu", what,
	      (unsigned)p->sec, (unsigned long long)p->disruption_marker, (unsigned long long)p->vm_generation_counter,
	      (unsigned)s->seq_count, (unsigned long long)s->disruption_marker, (unsigned long long)s->vm_generation_counter);
}

/* The four kinds of update: what each one changes, and what it keeps. */
static void kinds(struct engine *e)
{
	static const struct {
		uint8_t kind;
		const char *name;
		int marker, vmgen, leap;   /* 1: must change, 0: must not, -1: either */
	} k[] = {
		{ UPD_NORMAL, "normal", 0, 0, -1 },
		{ UPD_DISRUPT, "disrupt", 1, 0, -1 },
		{ UPD_RESTORE, "restore", 1, 1, -1 },
		{ UPD_LEAP, "leap", 0, 0, 1 },
	};
	for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
		struct sc_intervention iv = { .at = 3, .what = IV_UPDATE, .order = ORD_FIELDS, .kind = k[i].kind };
		struct sb_result r;
		run(e, &iv, 1, NULL, &r);
		CHECK(r.outcome == SB_RETURNED && r.nstates == 2, "%s: outcome %d, %u states", k[i].name, r.outcome, r.nstates);
		if (r.nstates != 2)
			continue;
		const struct vmclock_fields *a = &r.states[0], *b = &r.states[1];
		CHECK(b->seq_count == a->seq_count + 2, "%s: seq_count 0x%x -> 0x%x, not +2", k[i].name, (unsigned)a->seq_count,
		      (unsigned)b->seq_count);
		CHECK(b->time_sec != a->time_sec || b->time_frac_sec != a->time_frac_sec, "%s: time unchanged", k[i].name);
		CHECK(b->counter_value > a->counter_value, "%s: counter_value did not move on", k[i].name);
		CHECK(r.nodd == 0, "%s: a whole update left %u half-done images", k[i].name, r.nodd);
		left_as_recorded(k[i].name, &r);
		if (k[i].marker >= 0)
			CHECK((b->disruption_marker != a->disruption_marker) == k[i].marker, "%s: marker %s", k[i].name,
			      k[i].marker ? "unchanged" : "changed");
		if (k[i].vmgen >= 0)
			CHECK((b->vm_generation_counter != a->vm_generation_counter) == k[i].vmgen, "%s: vm_generation_counter %s",
			      k[i].name, k[i].vmgen ? "unchanged" : "changed");
		if (k[i].leap >= 0)
			CHECK((b->leap_indicator != a->leap_indicator) == k[i].leap, "%s: leap_indicator unchanged", k[i].name);
	}
}

/* A begun update stops after `partial` stores, in the order asked for:
 * the half-done image (seq_count odd) differs from the old state in the
 * first field of the layout (fields), the last (reversed), or one byte
 * (bytewise); FINISH then completes it to the next committed state. */
static void orders(struct engine *e)
{
	static const struct {
		uint8_t order;
		const char *name;
	} o[] = { { ORD_FIELDS, "fields" }, { ORD_REVERSE, "reversed" }, { ORD_BYTES, "bytewise" } };
	size_t lo[3] = { 0 }, hi[3] = { 0 };
	for (size_t i = 0; i < 3; i++) {
		struct sc_intervention iv[2] = {
			{ .at = 2, .what = IV_BEGIN, .order = o[i].order, .kind = UPD_RESTORE, .partial = 1 },
			{ .at = 6, .what = IV_FINISH },
		};
		struct sb_result r;
		run(e, iv, 2, NULL, &r);
		CHECK(r.outcome == SB_RETURNED && r.nstates == 2 && r.nodd == 1, "%s: outcome %d, %u states, %u half-done",
		      o[i].name, r.outcome, r.nstates, r.nodd);
		if (r.nstates != 2 || r.nodd != 1)
			continue;
		const struct vmclock_fields *a = &r.states[0], *h = &r.odd[0], *b = &r.states[1];
		CHECK(h->seq_count == a->seq_count + 1, "%s: half-done seq_count 0x%x, not odd 0x%x", o[i].name, (unsigned)h->seq_count,
		      (unsigned)a->seq_count + 1);
		CHECK(b->seq_count == a->seq_count + 2, "%s: finished seq_count 0x%x", o[i].name, (unsigned)b->seq_count);
		left_as_recorded(o[i].name, &r);
		size_t f0, f1, t0, t1;
		unsigned nh = diff_bytes(a, h, &f0, &f1), nb = diff_bytes(a, b, &t0, &t1);
		CHECK(nh > 0 && nh < nb, "%s: the half-done image differs in %u bytes, the whole update in %u", o[i].name, nh, nb);
		lo[i] = f0;
		hi[i] = f1;
		if (o[i].order == ORD_BYTES)
			CHECK(nh == 1, "%s: one store changed %u bytes", o[i].name, nh);
		else
			CHECK(f1 - f0 < 8, "%s: one store changed bytes %zu..%zu (more than one field)", o[i].name, f0, f1);
		if (o[i].order == ORD_FIELDS || o[i].order == ORD_BYTES)
			CHECK(f0 == t0, "%s: first store at byte %zu, the first changed byte is %zu", o[i].name, f0, t0);
		else
			CHECK(f1 == t1, "%s: first store ends at byte %zu, the last changed byte is %zu", o[i].name, f1, t1);
	}
	CHECK(lo[1] > hi[0], "reversed stores start at byte %zu, field order at %zu..%zu: not reversed", lo[1], lo[0], hi[0]);
}

/* SC_PARTIAL_TIME_SEC: time_sec new and time_frac_sec old, a time no
 * committed state has (R-SEQ-ODD). */
static void through_time_sec(struct engine *e)
{
	struct sc_intervention iv[2] = {
		{ .at = 2, .what = IV_BEGIN, .order = ORD_FIELDS, .kind = UPD_NORMAL, .partial = SC_PARTIAL_TIME_SEC },
		{ .at = 6, .what = IV_FINISH },
	};
	struct sb_result r;
	struct knobs k = { .near_carry = 1 };
	run(e, iv, 2, &k, &r);
	CHECK(r.nodd == 1 && r.nstates == 2, "through-time_sec: %u half-done, %u states", r.nodd, r.nstates);
	if (r.nodd != 1 || r.nstates != 2)
		return;
	const struct vmclock_fields *a = &r.states[0], *h = &r.odd[0], *b = &r.states[1];
	CHECK(b->time_sec != a->time_sec, "through-time_sec: the update kept time_sec (no carry): nothing to see");
	CHECK(h->time_sec == b->time_sec && h->time_frac_sec == a->time_frac_sec,
	      "through-time_sec: time_sec %s, time_frac_sec %s", h->time_sec == b->time_sec ? "new" : "old",
	      h->time_frac_sec == a->time_frac_sec ? "old" : "new");
}

/* A BEGIN never finished leaves the page odd: no second committed state,
 * and the counter read while odd is marked so (-1). */
static void begin_alone(struct engine *e)
{
	struct sc_intervention iv = { .at = 0, .what = IV_BEGIN, .order = ORD_FIELDS, .kind = UPD_NORMAL, .partial = 2 };
	struct sb_result r;
	run(e, &iv, 1, NULL, &r);
	CHECK(r.nstates == 1 && r.nodd == 1, "begin alone: %u states, %u half-done", r.nstates, r.nodd);
	CHECK(r.ncounters >= 1 && r.current[0] == -1, "begin alone: the counter read while odd is not marked (%d)",
	      r.ncounters ? r.current[0] : 99);
}


/* Which fields a call last loaded while seq_count was odd (R-SEQ-ODD's
 * evidence): a field reloaded once the update is finished no longer
 * counts. One pass of 14 loads with an update begun before load 2 and
 * finished before load 6 leaves granules 2..5 odd; a second pass reloads
 * them while even. */
static void odd_loads(struct engine *e)
{
	struct sc_intervention iv[2] = {
		{ .at = 2, .what = IV_BEGIN, .order = ORD_FIELDS, .kind = UPD_NORMAL, .partial = 1 },
		{ .at = 6, .what = IV_FINISH },
	};
	static const unsigned want[3] = { 0, 4, 0 };
	for (passes = 1; passes <= 2; passes++) {
		struct sb_result r;
		run(e, iv, 2, NULL, &r);
		CHECK(r.call_odd_loads[0] == want[passes], "%u pass(es): %u fields last loaded while odd, not %u", passes,
		      r.call_odd_loads[0], want[passes]);
	}
	passes = 1;
}

/* Spec rule 4: updates also change the flags (but never those the case
 * keeps) and, now and then, step the clock status to UNRELIABLE when the
 * case allows it. Forty seeded runs of four updates each. */
static void rule4(struct engine *e)
{
	struct sc_intervention iv[4];
	for (unsigned i = 0; i < 4; i++)
		iv[i] = (struct sc_intervention){ .at = 1 + 3 * i, .what = IV_UPDATE, .order = ORD_FIELDS, .kind = UPD_NORMAL };
	const uint64_t keep = VMCLOCK_FLAG_TAI_OFFSET_VALID;
	unsigned flag_changes = 0, kept_changed = 0, unreliable = 0, outside = 0;
	for (uint64_t seed = 1; seed <= 40; seed++) {
		struct knobs k = { .statuses = (uint8_t)((1u << (VMCLOCK_STATUS_MAX + 1)) - 1), .keep_flags = keep, .seed = seed };
		struct sb_result r;
		run(e, iv, 4, &k, &r);
		left_as_recorded("four updates", &r);
		for (unsigned s = 1; s < r.nstates; s++) {
			flag_changes += r.states[s].flags != r.states[s - 1].flags;
			kept_changed += ((r.states[s].flags ^ r.states[s - 1].flags) & keep) != 0;
			unreliable += r.states[s].clock_status == VMCLOCK_STATUS_UNRELIABLE;
		}
		k.statuses = 1u << VMCLOCK_STATUS_FREERUNNING;
		run(e, iv, 4, &k, &r);
		for (unsigned s = 1; s < r.nstates; s++)
			outside += r.states[s].clock_status != VMCLOCK_STATUS_FREERUNNING &&
			           r.states[s].clock_status != r.states[0].clock_status;
	}
	CHECK(flag_changes > 0, "160 updates never changed the flags");
	CHECK(kept_changed == 0, "%u updates changed a flag the case keeps", kept_changed);
	CHECK(unreliable > 0, "160 updates allowed to step to UNRELIABLE never did");
	CHECK(outside == 0, "%u updates stepped to a clock status the case does not allow", outside);
}
/* The engine is made inside each test: cmocka installs its own SIGSEGV
 * handler as a test starts, and the engine's must be the last installed. */
#define TEST(fn)                                  \
	static void test_##fn(void **state)           \
	{                                             \
		(void)state;                              \
		struct engine *e = engine_create();       \
		assert_non_null(e);                       \
		failures = 0;                             \
		fn(e);                                    \
		engine_destroy(e);                        \
		assert_int_equal(failures, 0);            \
	}
TEST(kinds)
TEST(orders)
TEST(through_time_sec)
TEST(begin_alone)
TEST(odd_loads)
TEST(rule4)

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_orders),
		cmocka_unit_test(test_through_time_sec),
		cmocka_unit_test(test_begin_alone),
		cmocka_unit_test(test_odd_loads),
		cmocka_unit_test(test_rule4),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
