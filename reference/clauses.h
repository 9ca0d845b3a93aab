/* clauses.h - the clause catalogue (clauses.def) as a C table. */
#ifndef VMCLOCK_CLAUSES_H
#define VMCLOCK_CLAUSES_H

#include <stddef.h>
#include <stdint.h>

enum vmclock_level { VMCLOCK_MUST, VMCLOCK_SHOULD, VMCLOCK_INFO };

enum vmclock_clause {
#define CLAUSE(sym, id, level, needs, title, text) sym,
#include "clauses.def"
#undef CLAUSE
	VMCLOCK_CLAUSE_COUNT
};

struct vmclock_clause_desc {
	const char *id;          /* "R-HDR-MAGIC" */
	enum vmclock_level level;
	uint32_t needs;          /* VMCLOCK_IUT_HAS_* bits; 0 = every reader */
	const char *title;
	const char *text;        /* the spec's words */
};

extern const struct vmclock_clause_desc vmclock_clauses[VMCLOCK_CLAUSE_COUNT];

const char *vmclock_level_name(enum vmclock_level l);
/* Index of a clause id ("R-TIME-EXACT"), or -1. */
int vmclock_clause_find(const char *id);



/* Verdicts (spec section 2). */
enum vmclock_verdict {
	VMCLOCK_PASS, VMCLOCK_FAIL, VMCLOCK_WARN, VMCLOCK_NOT_SUPPORTED, VMCLOCK_INFO_V
};
const char *vmclock_verdict_name(enum vmclock_verdict v);

/* The writer clauses (W-...) follow the reader rows in clauses.def; reader
 * runs never run them, writer runs run only them. */
#define VMCLOCK_FIRST_WRITER_CLAUSE W_HDR_VALID
static inline int vmclock_clause_is_writer(int c)
{
	return c >= VMCLOCK_FIRST_WRITER_CLAUSE && c < VMCLOCK_CLAUSE_COUNT;
}
#endif
