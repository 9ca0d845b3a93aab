/* case.h - one test case: a page image, a counter script, the clause it
 * tests, and how it was made (for the report and for exact replay). */
#ifndef VMCLOCK_CASE_H
#define VMCLOCK_CASE_H

#include <stdint.h>
#include "clauses.h"
#include "writer.h"

struct sc_case {
	enum vmclock_clause clause;   /* the clause under test: a crash or hang is its FAIL */
	unsigned index;               /* position in the clause's case list (--case N) */
	int random;                   /* 1: drawn from the seed; 0: a fixed vector */
	enum vmclock_expect expect;   /* what a correct reader returns */
	char name[64];                /* "size-31", "random", "shift-200" ... */
	struct vmclock_image img;
	/* Counter script: read k returns counter_start + k * counter_step. */
	uint64_t counter_start, counter_step;
};

/* A clause's case list. gen fills at most max cases (0 = how many there
 * are when out is NULL) from the rng; cases must depend only on the rng so
 * that (seed, index) replays one case exactly. */
struct sc_case_list {
	struct sc_case *v;
	size_t n, cap;
	size_t vectors, randoms;
};
void sc_case_push(struct sc_case_list *l, const struct sc_case *c);
void sc_case_list_free(struct sc_case_list *l);

/* Start a case from the default page (writer.h), mapping length len. */
void sc_case_init(struct sc_case *c, enum vmclock_clause clause, const char *name,
                  const struct vmclock_fields *f, size_t len, enum vmclock_expect expect);

#endif
