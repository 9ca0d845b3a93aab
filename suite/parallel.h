/* parallel.h - -j N: clauses run side by side, verdicts as in a serial run.
 *
 * Why it is exact: every sb_run() call starts a fresh sandboxed child, so
 * its results are a function of the case list alone (the reader's state
 * never crosses from one call to the next). Helpers (forked copies of the
 * runner, outside the walls: the walls are entered by the reader's own
 * children, as before) run whole clauses ahead and record the result of
 * each sb_run() call they make; the runner then runs every clause itself,
 * in the usual order, and its sb_run() calls are answered from the record
 * when the case list is the same one, byte for byte. All judging (charges
 * to other clauses, the liveness ledger, the filled bits) happens in the
 * runner, in the serial order, so verdicts, evidence, seeds and replay
 * lines are those of a serial run. What a helper judged is thrown away. */
#ifndef VMCLOCK_PARALLEL_H
#define VMCLOCK_PARALLEL_H

#include <stddef.h>
#include "runner.h"

/* Run tests[0..n) (clause_run each, in this order) with up to jobs
 * helpers ahead of the runner. jobs <= 1: exactly the serial loop. */
void par_run_clauses(const struct clause_test *const *tests, size_t n, unsigned jobs);

/* From sb_run(): 1 when the results of cases[0..n) were recorded by a
 * helper (res filled), else 0 (run them; any helper still running has
 * finished by then, so nothing of theirs is reaped by the live run). */
int par_replay(const struct sc_case *cases, size_t n, struct sb_result *res);

/* From sb_run(), after a live run: in a helper, record the results. */
void par_record(const struct sc_case *cases, size_t n, const struct sb_result *res);

/* What the last par_run_clauses did, for --verbose: clauses answered from
 * helpers' records, and sb_run calls that had to run live in the runner. */
struct par_stats {
	unsigned jobs, helped, replayed, live;
};
extern struct par_stats par_stats;

#endif
