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
	unsigned budget_s;                /* --budget-s: the whole run ends by then */
	const char *json, *junit;
	int tap, verbose;
	int quiet;                        /* --quiet: no status line on a terminal (progress.h) */
	unsigned jobs;                    /* -j N: clauses run side by side (parallel.c); 0: online CPUs */
	int trapped;                      /* --trapped: fault every load even of a reader with load hooks */
};

struct clause_result {
	int ran;                         /* the clause was run, or a finding was charged to it */
	enum vmclock_verdict verdict;
	char how[160];                   /* how it was obtained */
	char bound[200];                 /* what the random schedules promise (PCT-style bound) */
	char evidence[512];
	long fail_case;                  /* the case that first showed the verdict, or -1 ... */
	enum vmclock_clause fail_clause; /* ... of this clause's list (its replay line names it) */
	int fail_own;                    /* the evidence comes from one of the clause's own cases */
	unsigned ncases;                 /* own cases run */
	unsigned nfailed;                /* distinct cases (of any clause) with a finding on it */
	unsigned nfailed_own;            /* ... of them, its own */
	unsigned nrefused;               /* own cases where the reader refused a usable page */
	unsigned nnotrun;                /* own cases not run (the reader hung in that kind before) */
	uint64_t last_key;               /* last case counted in nfailed */
	uint64_t seed;                   /* the clause's own seed (derived from the run's) */
};

/* The reader's policy profile (spec "How findings are charged" 1): which
 * page classes it serves, learned by probing quiet pages (suite/profile.c). */
#define PROFILE_NSIZE 4
struct profile {
	int learned;
	uint8_t served[3][2][4][PROFILE_NSIZE]; /* [time_type][TAI_OFFSET_VALID][clock_status 0..3][size class] */
	uint8_t leap_served[VMCLOCK_LEAP_MAX + 1];
	/* Derived: the page dynamic cases start from, and what their writer may change. */
	uint8_t dyn_time_type;
	uint64_t dyn_keep_flags;
	uint8_t dyn_statuses;
};
extern const uint32_t profile_sizes[PROFILE_NSIZE];

struct run_ctx {
	struct run_opts o;
	struct sb_config sb;
	struct sb_reader_info info;
	char sha256[65];
	struct clause_result res[VMCLOCK_CLAUSE_COUNT];
	unsigned dyn_events;             /* events of one undisturbed call (the sweeps' range) */
	struct profile profile;
	uint32_t declared;               /* `provides` from vmclock_iut_info, 0 when not declared */
	uint32_t seen_filled;            /* the filled bits of every reading so far */
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
	fam_mono, fam_rob, fam_live;

/* The page dynamic cases start from (suite/tests/gen.c). */
void gen_dynamic_base(struct vmclock_fields *f);

/* Run one clause's cases against the reader and fill g_run.res[c]. */
void clause_run(const struct clause_test *t);
/* How many events one undisturbed call of the reader makes (learnt once,
 * by its first caller; judge.c). */
unsigned judge_discover_events(void);
/* An instrumented reader (g_run.sb.hooked set): 1 when a hooked and a
 * trapped run of it see the same events; else 0 with the reason in why,
 * and the runner judges it trapped. */
int judge_check_hooks(char *why, size_t len);
/* After every clause ran: R-TIME-LIVE across the run, NOT_SUPPORTED and
 * INFO verdicts (judge.c). */
void judge_finalize(void);

/* The policy profile (profile.c). */
void profile_learn(void);
void profile_grid(struct sc_case_list *l, enum vmclock_clause clause);
int profile_size_class(uint64_t size);
int profile_serves_any(void);
void profile_describe(char *buf, size_t len);

/* The seed a clause's cases are drawn from. */
uint64_t clause_seed(enum vmclock_clause c);

/* Reports (report.c). */
void report_line(enum vmclock_clause c);
void report_summary(void);
int report_json(FILE *f);   /* writes and closes f */
int report_junit(FILE *f);  /* writes and closes f */
void report_tap(void);
void report_case_detail(const struct sc_case *c, const struct sb_result *r);
int conformant(void);

#endif
