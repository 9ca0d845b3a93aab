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

/* The default page, with a status a reader must give time for. */
void gen_default(struct vmclock_fields *f);

/* A random valid page a correct reader must give time for: status
 * SYNCHRONIZED or FREERUNNING, shift below max_shift, counter_value chosen
 * so that counter_value + *delta does not wrap. */
void gen_random_timed(struct vmclock_rng *r, struct vmclock_fields *f, unsigned max_shift, uint64_t *delta);

/* The expectation for a valid header of this size on this mapping. */
enum vmclock_expect gen_expect_for_size(uint64_t size, size_t len);

#define FAMILY(var, fname, ...)                                                        \
	static const struct clause_test var##_tests[] = { __VA_ARGS__ };                  \
	const struct family var = { fname, var##_tests, sizeof var##_tests / sizeof var##_tests[0] }

#endif
