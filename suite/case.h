/* case.h - one test case: a page image, a counter script, the clause it
 * tests, and how it was made (for the report and for exact replay). */
#ifndef VMCLOCK_CASE_H
#define VMCLOCK_CASE_H

#include <stdint.h>
#include "clauses.h"
#include "writer.h"

/* ---- dynamic cases: the writer updates the page during the read ----
 * An intervention happens just before the reader's event number `at`
 * (events: its loads from the page and its counter reads, counted from 0
 * across all calls of the case; suite/engine). */
enum sc_iv_what {
	IV_UPDATE,      /* a whole update: seq odd, fields, seq even */
	IV_BEGIN,       /* seq odd and the first `partial` writes, then stop */
	IV_FINISH,      /* the rest of the update begun by the last IV_BEGIN, seq even */
};
enum sc_iv_order {
	ORD_FIELDS,     /* one store per field, in layout order */
	ORD_REVERSE,    /* one store per field, last field first */
	ORD_BYTES,      /* byte by byte, as a non-atomic copy does */
};
enum sc_iv_kind {
	UPD_NORMAL,     /* time and period move on (keeps the MONOTONIC rule) */
	UPD_DISRUPT,    /* ... and a new disruption_marker */
	UPD_RESTORE,    /* ... a new marker and a new vm_generation_counter */
	UPD_LEAP,       /* ... leap_indicator moves to the next phase */
};
struct sc_intervention {
	unsigned at;
	uint8_t what, order, kind, partial;   /* IV_BEGIN: stores made (SC_PARTIAL_TIME_SEC: through time_sec) */
};
#define SC_PARTIAL_TIME_SEC 0xff
#define SC_MAX_IV    4
#define SC_MAX_CALLS 8
/* Kinds of cases: a reader that hangs in cases of one kind is not run on
 * the rest of that kind, and only that kind (spec rule 6). */
enum { SC_KIND_STATIC, SC_KIND_QUIET, SC_KIND_DYNAMIC, SC_KIND_NEVER_FINISH, SC_KIND_COUNT };
struct sc_dynamic {
	unsigned ncalls;          /* reader calls in a row; 0 = a static case */
	unsigned niv;
	struct sc_intervention iv[SC_MAX_IV];
	unsigned free_after;      /* events after this one run untrapped */
	uint64_t seed;            /* new states' random parts */
	/* Spec rule 4: every update also changes the protected fields below,
	 * except the flags in keep_flags (a reader's policy may refuse pages
	 * without them: the writer stays inside the classes it serves) and the
	 * clock statuses not in statuses (bit per VMCLOCK_STATUS_*). */
	uint64_t keep_flags;
	uint8_t statuses;
};

struct sc_case {
	enum vmclock_clause clause;   /* the clause under test: a crash or hang is its FAIL */
	unsigned index;               /* position in the clause's case list (--case N) */
	int random;                   /* 1: drawn from the seed; 0: a fixed vector */
	enum vmclock_expect expect;   /* what a correct reader returns */
	char name[64];                /* "size-31", "random", "shift-200" ... */
	struct vmclock_image img;
	/* Counter script: read k returns counter_start + k * counter_step. */
	uint64_t counter_start, counter_step;
	/* Quiet copies (suite/judge.c): the first nscript reads return script[]
	 * instead, the values a call under the writer was handed, in order. */
	uint8_t nscript;
	uint64_t script[8];
	struct sc_dynamic dyn;        /* writer activity during the read (dyn.ncalls > 0) */
	int twin;                     /* > 0: the reading must equal that of case index - twin
	                                 (the same page but for seq_count: R-SEQ-WRAP) */
	uint8_t kind;                 /* SC_KIND_*: what hangs are counted by (spec rule 6) */
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
/* SC_KIND_* of a case (a writer that never finishes: a static odd page or an
 * update begun and not finished). */
int sc_case_kind(const struct sc_case *c);

/* Start a case from the default page (writer.h), mapping length len. */
void sc_case_init(struct sc_case *c, enum vmclock_clause clause, const char *name,
                  const struct vmclock_fields *f, size_t len, enum vmclock_expect expect);

#endif
