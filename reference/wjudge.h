/* wjudge.h - judging a writer's trace against the W-... clauses (spec
 * section 2, "Writer clauses"), with the reference's exact arithmetic
 * (timemath.h). Pure: a parsed trace in, one verdict per W clause out.
 *
 * How a trace is read (the rules every W clause shares):
 *   - publication: the page is judged from the end of the INIT event on
 *     (the first EVENT or END record after an INIT marker); before that the
 *     guest cannot see it, so the writer may fill it in any order. A trace
 *     without an INIT marker (a sample of a live page) is published at its
 *     first image.
 *   - a committed state is an image with seq_count even that differs from
 *     the previous committed state; an update is the step from one
 *     committed state to the next.
 *   - an IMAGE flagged SUITE (a snapshot the hypervisor put back) is not the
 *     writer's: it starts a new stretch and is never itself a finding.
 *   - a new disruption_marker voids the earlier state's promises (spec 1:
 *     the counter was disrupted), so W-MONO and W-ERR-BOUNDS compare states
 *     of one undisrupted stretch; leap second transitions of a UTC page
 *     (leap_indicator changes) are exempt from them and from W-DISR-STEP
 *     ("leap seconds aside").
 *   - a finding counts for the clause whose rule it breaks, the MUST first:
 *     a backward step of a MONOTONIC page without a new marker is W-MONO's;
 *     a step beyond the advertised max error at the update is W-DISR-STEP's
 *     (never also W-ERR-BOUNDS', which judges the rest of the earlier
 *     state's window). */
#ifndef VMCLOCK_WJUDGE_H
#define VMCLOCK_WJUDGE_H

#include <stddef.h>
#include <stdint.h>
#include "clauses.h"
#include "wtrace.h"

#define WJ_EVIDENCE_LEN 1100

struct wj_clause {
	int judged;                   /* 1 for every W clause after wjudge() */
	enum vmclock_verdict verdict;
	unsigned checked;             /* states or updates the rule was applied to */
	unsigned findings;            /* of them, how many broke it */
	long rec;                     /* record index of the first finding, -1 */
	long event;                   /* index of the event it happened in, -1 */
	char evidence[WJ_EVIDENCE_LEN];
};

struct wj_result {
	struct wj_clause c[VMCLOCK_CLAUSE_COUNT]; /* W rows only */
	uint32_t seen;                /* VMCLOCK_WUT_PUB_* inferred from the trace */
	uint32_t declared;            /* as passed in */
	unsigned images, stores, updates, events;
	long published_at;            /* record index, -1: never published */
	uint32_t end_reason;          /* WTRACE_END_* (OK when the trace has no END) */
	char end_text[208];
};

/* Judge trace t. declared: VMCLOCK_WUT_PUB_* from vmclock_wut_info (0 =
 * infer everything from the trace). */
void wjudge(const struct wtrace *t, uint32_t declared, struct wj_result *out);

/* 1 when no MUST writer clause failed. */
int wjudge_conformant(const struct wj_result *r);

#endif
