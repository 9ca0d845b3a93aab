/* seq.c - the R-SEQ family: the seqcount protocol. Static pages whose
 * seq_count stays odd (a writer that never finishes), then schedules run by
 * the interleaving engine (suite/engine, suite/schedule.c): writer updates
 * injected between the reader's own loads, exhaustively over one and two
 * intervention points, multi-step (half-done) updates, and random schedules
 * drawn from the clause's seed. */
#include "gen.h"

static void odd_pages(struct vmclock_rng *r, struct sc_case_list *l, enum vmclock_clause c, int n)
{
	static const uint32_t odd[] = { 1, 0xffffffffu, 0x80000001u };
	for (int i = 0; i < n; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.seq_count = i < 3 ? odd[i] : ((uint32_t)vmclock_rng_next(r) | 1u);
		gen_push(l, c, i < 3 ? "seq_count stays odd" : "random odd seq_count", i >= 3, &f, VMCLOCK_PAGE_SIZE,
		         VMCLOCK_EXPECT_ANY, 1000003, 1000);
	}
}

static const uint8_t all_orders[] = { ORD_FIELDS, ORD_REVERSE, ORD_BYTES };

/* An update left half done (seq odd, some fields new) across the reader's
 * loads, finished later: a reader that ignores the odd bit passes every
 * whole-update schedule and fails here. (Pages that stay odd are
 * R-SEQ-BOUNDED's cases: a reader that hangs on them is charged there, and
 * one that returns their fields is still R-SEQ-ODD's, rule 2.) */
static void odd(struct vmclock_rng *r, struct sc_case_list *l)
{
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	gen_multistep(l, R_SEQ_ODD, r, &f, UPD_RESTORE, 1);
	gen_multistep(l, R_SEQ_ODD, r, &f, UPD_RESTORE, SC_PARTIAL_TIME_SEC);
	gen_random_schedules(l, R_SEQ_ODD, r, &f, UPD_RESTORE, 3, 500, 1);
}

/* Whole updates before every event (three store orders), two updates at
 * every pair of events, and random schedules: the reading must be one
 * committed state. */
static void torn(struct vmclock_rng *r, struct sc_case_list *l)
{
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	gen_sweep1(l, R_SEQ_TORN, r, &f, UPD_RESTORE, all_orders, 3);
	gen_sweep2(l, R_SEQ_TORN, r, &f, UPD_RESTORE);
	gen_random_schedules(l, R_SEQ_TORN, r, &f, UPD_RESTORE, 3, 500, 0);
}

/* The counter the time is for must be read while that state is current. */
static void window(struct vmclock_rng *r, struct sc_case_list *l)
{
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	gen_sweep1(l, R_SEQ_WINDOW, r, &f, UPD_NORMAL, all_orders, 1);
	gen_sweep2(l, R_SEQ_WINDOW, r, &f, UPD_NORMAL);
}

/* Static: pages that stay odd. Dynamic: a writer that begins an update during
 * the read and never finishes: BUSY in bounded time. */
static void bounded(struct vmclock_rng *r, struct sc_case_list *l)
{
	odd_pages(r, l, R_SEQ_BOUNDED, 2);
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	unsigned at[] = { 0, g_run.dyn_events / 2, g_run.dyn_events - 1 };
	for (unsigned i = 0; i < 3; i++) {
		struct sc_intervention iv = { .at = at[i], .what = IV_BEGIN, .order = ORD_FIELDS, .partial = 2 };
		gen_dyn(l, R_SEQ_BOUNDED, r, &f, &iv, 1, 1, 0);
	}
	/* Warm: a first call reads a quiet page; the writer then begins an
	 * update during the second call and never finishes. A reader that hands
	 * out its last good reading instead of a timeout status fails here. */
	for (unsigned i = 0; i < 3; i++) {
		struct sc_intervention iv = { .at = g_run.dyn_events + at[i], .what = IV_BEGIN, .order = ORD_FIELDS,
		                              .partial = 2 };
		gen_dyn(l, R_SEQ_BOUNDED, r, &f, &iv, 1, 2, 0);
	}
}

/* Even seq_count values around the wrap, and 0 (a cache keyed on seq_count
 * that starts at 0 returns nothing for such a page). */
static void wrap(struct vmclock_rng *r, struct sc_case_list *l)
{
	/* Static: seq_count values at and around the wrap, each followed by its
	 * twin, the same page with an ordinary seq_count: the two readings must
	 * be the same. (A snapshot cache whose key starts at 0 answers a page
	 * with seq_count 0 from the empty cache; a reader with wrong arithmetic
	 * is wrong on both twins alike, which is R-TIME-EXACT's business.) */
	static const uint32_t seqs[] = { 0, 0xfffffffeu, 0x7ffffffeu, 0x80000000u };
	for (int i = 0; i < 24; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		if (i >= 4)
			f.disruption_marker = vmclock_rng_next(r);
		f.seq_count = i < 4 ? seqs[i] : (uint32_t)vmclock_rng_edgy64(r) & ~1u;
		gen_push(l, R_SEQ_WRAP, i < 4 ? "static seq_count at the wrap" : "random even seq_count", i >= 4, &f,
		         VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, 1000003, 1000);
		f.seq_count = 0x40000u + 2u * (uint32_t)l->n;   /* ordinary, and no other case's */
		gen_push(l, R_SEQ_WRAP, "twin with an ordinary seq_count", i >= 4, &f, VMCLOCK_PAGE_SIZE,
		         VMCLOCK_EXPECT_TIME, 1000003, 1000);
		l->v[l->n - 1].twin = 1;
	}
	/* Updates that carry seq_count across 0xffffffff -> 0: a `>` comparison, or a
	 * cache keyed on seq_count, breaks exactly here. */
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	f.seq_count = 0xfffffffeu;
	gen_sweep1(l, R_SEQ_WRAP, r, &f, UPD_RESTORE, all_orders, 3);
	gen_multistep(l, R_SEQ_WRAP, r, &f, UPD_RESTORE, 2);
	f.seq_count = 0xfffffffcu;
	gen_sweep2(l, R_SEQ_WRAP, r, &f, UPD_RESTORE);
}

FAMILY(fam_seq, "R-SEQ", { R_SEQ_ODD, odd, 1 }, { R_SEQ_TORN, torn, 1 }, { R_SEQ_WRAP, wrap, 1 },
       { R_SEQ_BOUNDED, bounded, 1 }, { R_SEQ_WINDOW, window, 1 });
