/* runner.h - one run of the suite against one reader: options, per-clause
 * results, and the clause runner that the cmocka tests call. */
#ifndef VMCLOCK_RUNNER_H
#define VMCLOCK_RUNNER_H

#include <stdint.h>
#include <stdio.h>
#include "case.h"
#include "clauses.h"
#include "sandbox.h"

struct run_opts {
	const char *reader;
	uint64_t seed;
	int only[VMCLOCK_CLAUSE_COUNT];  /* --only: clauses to run (all when none given) */
	int have_only;
	long case_index;                 /* --case N, or -1 */
	unsigned timeout_ms;
	unsigned stress_ms;               /* --stress-ms: real-thread cross-check, 0 = off */
	const char *json, *junit;
	int tap, verbose;
};

struct clause_result {
	int ran;
	enum vmclock_verdict verdict;
	char how[160];                   /* how it was obtained */
	char bound[200];                 /* what the random schedules promise (PCT-style bound) */
	char evidence[512];
	long fail_case;                  /* first failing case, or -1 */
	unsigned ncases, nfailed;
	uint64_t seed;                   /* the clause's own seed (derived from the run's) */
};

struct run_ctx {
	struct run_opts o;
	struct sb_config sb;
	struct sb_reader_info info;
	char sha256[65];
	uint32_t supported;              /* VMCLOCK_IUT_HAS_* the reader offers */
	struct clause_result res[VMCLOCK_CLAUSE_COUNT];
	unsigned dyn_events;             /* events of one undisturbed call (the sweeps' range) */
};
extern struct run_ctx g_run;
/* Where the report goes: the original stdout (cmocka's own output is sent
 * elsewhere unless --verbose). */
extern FILE *g_out, *g_err;

/* A clause's cases: fixed vectors and/or random ones drawn from r. */
typedef void (*case_gen)(struct vmclock_rng *r, struct sc_case_list *l);

/* One row of a family table: the clause and the generator of its cases. */
struct clause_test {
	enum vmclock_clause clause;
	case_gen gen;
	int dynamic;                     /* some cases update the page during the read */
};

/* The families (one cmocka group each), defined in suite/tests/NAME.c. */
struct family {
	const char *name;                /* "R-HDR" */
	const struct clause_test *tests;
	size_t n;
};
extern const struct family fam_hdr, fam_seq, fam_time, fam_err, fam_stat, fam_disr, fam_vmgen,
	fam_mono, fam_rob;

/* The page dynamic cases start from (suite/tests/gen.c). */
void gen_dynamic_base(struct vmclock_fields *f);

/* Run one clause's cases against the reader and fill g_run.res[c]. */
void clause_run(const struct clause_test *t);

/* The seed a clause's cases are drawn from. */
uint64_t clause_seed(enum vmclock_clause c);

/* Reports (report.c). */
void report_line(enum vmclock_clause c);
void report_summary(void);
int report_json(const char *path);
void report_tap(void);
void report_case_detail(const struct sc_case *c, const struct sb_result *r);
int conformant(void);

#endif
