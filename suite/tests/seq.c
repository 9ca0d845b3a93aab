/* seq.c - the R-SEQ family on pages that do not change during the read.
 * A page whose seq_count stays odd is a writer that never finishes: the
 * reader must return nothing from it (R-SEQ-ODD) and give up with BUSY in
 * bounded time (R-SEQ-BOUNDED). Torn reads under concurrent updates are
 * the interleaving engine's (suite/engine). */
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

static void odd(struct vmclock_rng *r, struct sc_case_list *l)
{
	odd_pages(r, l, R_SEQ_ODD, 4);
}

static void bounded(struct vmclock_rng *r, struct sc_case_list *l)
{
	odd_pages(r, l, R_SEQ_BOUNDED, 2);
}

/* Even seq_count values around the wrap, and 0 (a cache keyed on seq_count
 * that starts at 0 returns nothing for such a page). */
static void wrap(struct vmclock_rng *r, struct sc_case_list *l)
{
	static const uint32_t seqs[] = { 0, 0xfffffffeu, 0x7ffffffeu, 0x80000000u, 2 };
	for (unsigned i = 0; i < sizeof seqs / sizeof seqs[0]; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.seq_count = seqs[i];
		gen_push(l, R_SEQ_WRAP, "static even seq_count", 0, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, 1000003, 1000);
	}
	for (int i = 0; i < 20; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.seq_count = (uint32_t)vmclock_rng_edgy64(r) & ~1u;
		f.disruption_marker = vmclock_rng_next(r);
		gen_push(l, R_SEQ_WRAP, "random even seq_count", 1, &f, VMCLOCK_PAGE_SIZE, VMCLOCK_EXPECT_TIME, 1000003, 1000);
	}
}

FAMILY(fam_seq, "R-SEQ", { R_SEQ_ODD, odd }, { R_SEQ_WRAP, wrap }, { R_SEQ_BOUNDED, bounded });
