/* gen.h - helpers shared by the case generators of the clause families. */
#ifndef VMCLOCK_GEN_H
#define VMCLOCK_GEN_H

#include "runner.h"

/* Every catalogue entry (writer.h) whose clause is `clause`, skipping pages
 * whose seq_count is odd unless keep_odd. */
void gen_catalogue(struct sc_case_list *l, enum vmclock_clause clause, int keep_odd);

/* Push a case built from fields. delta: counter start - counter_value (the
 * counter steps by `step` per read). */
void gen_push(struct sc_case_list *l, enum vmclock_clause clause, const char *name, int random,
              const struct vmclock_fields *f, size_t len, enum vmclock_expect expect, uint64_t delta,
              uint64_t step);

/* Move a usable page into a class the reader serves (profile.c). */
void gen_fit(struct vmclock_fields *f);

/* The default page, with a status a reader must give time for. */
void gen_default(struct vmclock_fields *f);

/* A random valid page a correct reader must give time for: status
 * SYNCHRONIZED or FREERUNNING, shift below max_shift, counter_value chosen
 * so that counter_value + *delta does not wrap. */
void gen_random_timed(struct vmclock_rng *r, struct vmclock_fields *f, unsigned max_shift, uint64_t *delta);

/* The expectation for a valid header of this size on this mapping. */
enum vmclock_expect gen_expect_for_size(uint64_t size, size_t len);


/* ---- dynamic cases (the writer updates the page during the read) ----
 * Event positions run over 0..g_run.dyn_events-1, the events of one
 * undisturbed call; two-intervention sweeps let the second one fall in the
 * retry (up to twice that). */

/* Push a dynamic case: S0 = f, interventions iv[0..niv), ncalls calls. */
void gen_dyn(struct sc_case_list *l, enum vmclock_clause clause, struct vmclock_rng *r,
             const struct vmclock_fields *f, const struct sc_intervention *iv, unsigned niv, unsigned ncalls,
             int random);

/* One whole update before every event, for each order given. */
void gen_sweep1(struct sc_case_list *l, enum vmclock_clause clause, struct vmclock_rng *r,
                const struct vmclock_fields *f, uint8_t kind, const uint8_t *orders, unsigned norders);

/* Two whole updates at every pair k1 < k2 < 2N. */
void gen_sweep2(struct sc_case_list *l, enum vmclock_clause clause, struct vmclock_rng *r,
                const struct vmclock_fields *f, uint8_t kind);

/* Multi-step: seq odd and `partial` field stores before event k1, the rest
 * and seq even before event k2, for every k1 < k2 < 2N. */
void gen_multistep(struct sc_case_list *l, enum vmclock_clause clause, struct vmclock_rng *r,
                   const struct vmclock_fields *f, uint8_t kind, uint8_t partial);

/* PCT-style random schedules: n cases of 1..depth interventions at random
 * events with random store orders; half-done updates (BEGIN ... FINISH)
 * only when partial_ok (they are R-SEQ-ODD's cases). */
void gen_random_schedules(struct sc_case_list *l, enum vmclock_clause clause, struct vmclock_rng *r,
                          const struct vmclock_fields *f, uint8_t kind, unsigned depth, unsigned n, int partial_ok);

#define FAMILY(var, fname, ...)                                                        \
	static const struct clause_test var##_tests[] = { __VA_ARGS__ };                  \
	const struct family var = { fname, var##_tests, sizeof var##_tests / sizeof var##_tests[0] }

#endif
