/* wreport.h - writer verdicts -> report: the same shapes as a reader's
 * (suite/report.c): one text line per clause with how it was obtained, the
 * first finding's evidence and its replay command, a summary line; TAP;
 * JSON; JUnit XML. Only the W-... rows of the one clause table. */
#ifndef VMCLOCK_WREPORT_H
#define VMCLOCK_WREPORT_H

#include <stdio.h>
#include "clauses.h"
#include "wjudge.h"

struct wreport {
	const char *subject;            /* the writer .so or the trace file */
	int is_trace;                   /* trace check (else check-writer) */
	char sha256[65];
	char name[96], version[48], contained[200];
	uint64_t seed;
	struct wj_result res;           /* merged over the scenarios */
	char how[VMCLOCK_CLAUSE_COUNT][200];
	char replay[VMCLOCK_CLAUSE_COUNT][4400];
	int only[VMCLOCK_CLAUSE_COUNT], have_only;
};

void wreport_text(FILE *f, const struct wreport *r);
void wreport_summary(FILE *f, const struct wreport *r);
void wreport_tap(FILE *f, const struct wreport *r);
int wreport_json(FILE *f, const struct wreport *r);   /* writes and closes f */
int wreport_junit(FILE *f, const struct wreport *r);  /* writes and closes f */
int wreport_conformant(const struct wreport *r);
/* The clause is in the report (every W clause, or the --only ones). */
int wreport_shown(const struct wreport *r, int c);

#endif
