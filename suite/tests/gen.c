/* gen.c - helpers shared by the case generators. */
#include <string.h>
#include "gen.h"

void gen_push(struct sc_case_list *l, enum vmclock_clause clause, const char *name, int random,
              const struct vmclock_fields *f, size_t len, enum vmclock_expect expect, uint64_t delta,
              uint64_t step)
{
	struct sc_case c;
	sc_case_init(&c, clause, name, f, len, expect);
	c.random = random;
	c.counter_start = f->counter_value + delta;
	c.counter_step = step;
	sc_case_push(l, &c);
}

void gen_catalogue(struct sc_case_list *l, enum vmclock_clause clause, int keep_odd)
{
	for (size_t i = 0; i < vmclock_malformed_count; i++) {
		const struct vmclock_malformed *m = &vmclock_malformed_table[i];
		if (clause != R_ROB_NOCRASH && vmclock_clause_find(m->clause) != (int)clause)
			continue;
		struct vmclock_fields f;
		size_t len = VMCLOCK_PAGE_SIZE;
		vmclock_writer_default(&f);
		m->apply(&f, &len);
		if ((f.seq_count & 1) && !keep_odd)
			continue;
		gen_push(l, clause, m->name, 0, &f, len, m->expect, 1000003, 1000);
	}
}

void gen_default(struct vmclock_fields *f)
{
	vmclock_writer_default(f);
}

void gen_random_timed(struct vmclock_rng *r, struct vmclock_fields *f, unsigned max_shift, uint64_t *delta)
{
	vmclock_writer_random(r, f);
	f->clock_status = vmclock_rng_below(r, 2) ? VMCLOCK_STATUS_SYNCHRONIZED : VMCLOCK_STATUS_FREERUNNING;
	f->counter_period_shift %= max_shift;
	*delta = vmclock_rng_edgy64(r);
	if (f->counter_value > UINT64_MAX - *delta)
		f->counter_value = UINT64_MAX - *delta;
}

enum vmclock_expect gen_expect_for_size(uint64_t size, size_t len)
{
	if (size < VMCLOCK_MIN_SIZE || size > len)
		return VMCLOCK_EXPECT_INVALID;
	/* Time needs every field through time_frac_sec (R-HDR-SIZE). */
	return size >= VMCLOCK_END(time_frac_sec) ? VMCLOCK_EXPECT_TIME : VMCLOCK_EXPECT_NO_TIME;
}
