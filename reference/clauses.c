/* clauses.c - the one clause table, built from clauses.def. */
#include <string.h>
#include "clauses.h"
#include "vmclock_iut.h"
#include "vmclock_wut.h"

#define MUST   VMCLOCK_MUST
#define SHOULD VMCLOCK_SHOULD
#define INFO   VMCLOCK_INFO
#define HAS_TIME       VMCLOCK_IUT_HAS_TIME
#define HAS_ESTERROR   VMCLOCK_IUT_HAS_ESTERROR
#define HAS_MAXERROR   VMCLOCK_IUT_HAS_MAXERROR
#define HAS_DISRUPTION VMCLOCK_IUT_HAS_DISRUPTION
#define HAS_VMGEN      VMCLOCK_IUT_HAS_VMGEN
#define HAS_TAI_OFFSET VMCLOCK_IUT_HAS_TAI_OFFSET
#define HAS_STATUS     VMCLOCK_IUT_HAS_STATUS
/* writer rows: what the writer publishes (vmclock_wut.h) */
#define PUB_ERRORS     VMCLOCK_WUT_PUB_ERRORS
#define PUB_MONOTONIC  VMCLOCK_WUT_PUB_MONOTONIC
#define PUB_VMGEN      VMCLOCK_WUT_PUB_VMGEN
#define PUB_TAI        VMCLOCK_WUT_PUB_TAI

const struct vmclock_clause_desc vmclock_clauses[VMCLOCK_CLAUSE_COUNT] = {
#define CLAUSE(sym, id, level, needs, title, text) [sym] = { id, level, needs, title, text },
#include "clauses.def"
#undef CLAUSE
};

const char *vmclock_level_name(enum vmclock_level l)
{
	static const char *const names[] = { "MUST", "SHOULD", "INFO" };
	return names[l];
}

int vmclock_clause_find(const char *id)
{
	for (int i = 0; i < VMCLOCK_CLAUSE_COUNT; i++)
		if (strcmp(vmclock_clauses[i].id, id) == 0)
			return i;
	return -1;
}

const char *vmclock_verdict_name(enum vmclock_verdict v)
{
	static const char *const names[] = { "PASS", "FAIL", "WARN", "NOT_SUPPORTED", "INFO" };
	return names[v];
}
