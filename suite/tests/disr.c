/* disr.c - R-DISR-MARKER on pages that do not change during a read: the
 * reported marker is the page's. Consecutive cases keep seq_count and
 * change the marker, as a restored snapshot or a new page would, so a
 * reader that caches the marker by seq_count shows it. The first pages have
 * seq_count 0 (a fresh writer, or one just wrapped), each followed by its
 * twin with an ordinary seq_count (spec rule 4: a snapshot cache whose key
 * starts at 0 answers them from the empty cache). */
#include "gen.h"

static void marker(struct vmclock_rng *r, struct sc_case_list *l)
{
	for (int i = 0; i < 200; i++) {
		struct vmclock_fields f;
		gen_default(&f);
		f.disruption_marker = vmclock_rng_edgy64(r);
		int no_time = vmclock_rng_below(r, 4) == 0;
		if (no_time)
			f.counter_id = VMCLOCK_COUNTER_INVALID;  /* R-HDR-COUNTER: marker still reportable */
		int zero = i < 4 || vmclock_rng_below(r, 16) == 0;
		if (zero)
			f.seq_count = 0;
		gen_push(l, R_DISR_MARKER, zero ? "new marker, seq_count 0" : no_time ? "new marker, counter INVALID"
		                                                              : "new marker, same seq_count",
		         1, &f, VMCLOCK_PAGE_SIZE, no_time ? VMCLOCK_EXPECT_NO_TIME : VMCLOCK_EXPECT_TIME, 1000003, 1000);
		if (zero) {
			f.seq_count = 0x40000u + 2u * (uint32_t)l->n;   /* ordinary, and no other case's */
			gen_push(l, R_DISR_MARKER, "twin with an ordinary seq_count", 1, &f, VMCLOCK_PAGE_SIZE,
			         no_time ? VMCLOCK_EXPECT_NO_TIME : VMCLOCK_EXPECT_TIME, 1000003, 1000);
			l->v[l->n - 1].twin = 1;
		}
	}
}

/* Dynamic: disruptions (a new marker with the new time) before every event,
 * one or two of them, and random ones, also across the seq_count wrap to
 * 0: the marker must come from the state the time came from. */
static void marker_dynamic(struct vmclock_rng *r, struct sc_case_list *l)
{
	static const uint8_t orders[] = { ORD_FIELDS, ORD_REVERSE };
	struct vmclock_fields f;
	gen_dynamic_base(&f);
	gen_sweep1(l, R_DISR_MARKER, r, &f, UPD_DISRUPT, orders, 2);
	gen_sweep2(l, R_DISR_MARKER, r, &f, UPD_DISRUPT);
	gen_random_schedules(l, R_DISR_MARKER, r, &f, UPD_DISRUPT, 3, 300, 0);
	f.seq_count = 0xfffffffeu;
	gen_sweep1(l, R_DISR_MARKER, r, &f, UPD_RESTORE, orders, 1);
	gen_random_schedules(l, R_DISR_MARKER, r, &f, UPD_RESTORE, 3, 100, 0);
}

static void markers(struct vmclock_rng *r, struct sc_case_list *l)
{
	marker(r, l);
	marker_dynamic(r, l);
}

FAMILY(fam_disr, "R-DISR", { R_DISR_MARKER, markers, 1 });
