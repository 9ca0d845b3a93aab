/* rob.c - R-ROB-NOCRASH: the whole malformed catalogue, then random bytes
 * (some with a valid header so the reader goes deeper), on mappings from 8
 * bytes to a page. Only a crash, hang, exit or page write fails here; what
 * the readings mean is judged by the other clauses. seq_count is forced even:
 * a page that stays odd is R-SEQ-BOUNDED's. */
#include "gen.h"

#define RANDOM_CASES 2000

static void nocrash(struct vmclock_rng *r, struct sc_case_list *l)
{
	gen_catalogue(l, R_ROB_NOCRASH, 0);
	for (int i = 0; i < RANDOM_CASES; i++) {
		struct sc_case c;
		struct vmclock_fields f;
		gen_default(&f);
		size_t len = 8 * (1 + vmclock_rng_below(r, VMCLOCK_PAGE_SIZE / 8));
		sc_case_init(&c, R_ROB_NOCRASH, "random bytes", &f, len, VMCLOCK_EXPECT_ANY);
		c.random = 1;
		for (size_t b = 0; b < VMCLOCK_PAGE_SIZE; b += 8) {
			uint64_t x = vmclock_rng_edgy64(r);
			for (int k = 0; k < 8; k++)
				c.img.bytes[b + k] = (uint8_t)(x >> (8 * k));
		}
		/* Half keep a valid header, so the body is what is random. */
		if (vmclock_rng_below(r, 2)) {
			struct vmclock_fields g;
			vmclock_decode(c.img.bytes, VMCLOCK_ABI_SIZE, &g);
			g.magic = VMCLOCK_MAGIC;
			g.version = VMCLOCK_VERSION;
			g.size = vmclock_rng_below(r, 2) ? len : vmclock_rng_below(r, len + 1);
			g.counter_id = vmclock_rng_below(r, 2) ? VMCLOCK_COUNTER_NATIVE : g.counter_id;
			vmclock_encode(&g, c.img.bytes);
		}
		c.img.bytes[VMCLOCK_OFF_seq_count] &= 0xfe;
		if (vmclock_load32(c.img.bytes, VMCLOCK_OFF_seq_count) == 0)   /* 0: the wrap clauses', with twins */
			c.img.bytes[VMCLOCK_OFF_seq_count] = 2;
		c.counter_start = vmclock_rng_next(r);
		c.counter_step = vmclock_rng_below(r, 2) ? 0 : vmclock_rng_next(r);
		sc_case_push(l, &c);
	}
}

FAMILY(fam_rob, "R-ROB", { R_ROB_NOCRASH, nocrash, 0 });
