/* schedule.h - running a dynamic case: the reader under the interleaving
 * engine (suite/engine/trap.h), the simulated writer's interventions
 * applied between the reader's own loads, exactly where the case says. Runs
 * in the sandbox child. */
#ifndef VMCLOCK_SCHEDULE_H
#define VMCLOCK_SCHEDULE_H

#include "case.h"
#include "sandbox.h"
#include "engine/trap.h"

/* Run case c (dynamic, or static under the engine for rdtsc readers) with
 * reader fn, engine_run flags ENGINE_F_RDTSC and ENGINE_F_HOOKED; fill res (outcome, readings, committed states, counters with
 * the state current at each). */
void sched_run(struct engine *e, vmclock_iut_read_fn fn, unsigned engine_flags, const struct sc_case *c,
               struct sb_result *res);

/* Describe a case's schedule in a few words ("update@7 bytes", ...). */
void sched_describe(const struct sc_dynamic *d, char *buf, size_t len);

#endif
