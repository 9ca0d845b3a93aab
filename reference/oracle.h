/* oracle.h - judging one reading.
 *
 * Given what the reader could have seen (the page header, the committed
 * states current at some moment of the read, the counter values it was
 * handed and which state was current at each), the oracle decides which
 * clauses a reading violates. It is pure: no page access, no I/O. */
#ifndef VMCLOCK_ORACLE_H
#define VMCLOCK_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include "abi.h"
#include "clauses.h"
#include "vmclock_iut.h"

struct vmclock_oracle_counter {
	uint64_t value;   /* what counter->read returned */
	int current;      /* index into states of the state current at that read,
	                     -1 while an update was in progress (seq odd) */
};

struct vmclock_oracle_input {
	const struct vmclock_fields *header; /* the page as first mapped (constant header) */
	size_t len;                          /* mapping length handed to the reader */
	const struct vmclock_fields *states; /* committed (even seq) states current during the
	                                        read, oldest first; 0 = the writer never finished */
	size_t nstates;
	const struct vmclock_oracle_counter *counters;
	size_t ncounters;
	uint8_t native_counter_id;           /* the counter the reader reads (VMCLOCK_COUNTER_NATIVE) */
	int writer_active;                   /* 0: the page never changed during the read */
};

#define VMCLOCK_ORACLE_MAX_FINDINGS 16
#define VMCLOCK_EVIDENCE_LEN 256

struct vmclock_finding {
	enum vmclock_clause clause;
	enum vmclock_verdict verdict;        /* FAIL (MUST), WARN (SHOULD) or INFO_V */
	char evidence[VMCLOCK_EVIDENCE_LEN];
};

struct vmclock_judgement {
	size_t n;
	struct vmclock_finding f[VMCLOCK_ORACLE_MAX_FINDINGS];
	/* R-ERR-TIGHT measurements: reported - exact, in ns (when judged). */
	int have_slack;
	uint64_t est_slack_ns, max_slack_ns;
	/* R-TIME-NEGDELTA: what the reader did for a counter below counter_value. */
	const char *negdelta;                /* NULL when not applicable */
	int matched_state;                   /* state the reading was matched to, or -1 */
	int accepted;                        /* the reader reported something from the page */
	int reports_time;                    /* ... and that included a time */
	/* Not a clause of its own: the reading breaks the contract (unknown status,
	 * OK without HAS_TIME, nsec >= 10^9, BUSY on a page that never changed).
	 * The caller charges it to the clause under test. NULL when fine. */
	const char *contract_error;
};

/* Judge one reading. status is what vmclock_iut_read returned. */
void vmclock_oracle_judge(const struct vmclock_oracle_input *in, int status,
                          const struct vmclock_iut_reading *r, struct vmclock_judgement *j);

/* Is the header one a reader must accept? Returns the clause a rejection
 * belongs to (R_HDR_MAGIC, R_HDR_VERSION, R_HDR_SIZE) or -1 when valid. */
int vmclock_oracle_header_defect(const struct vmclock_fields *h, size_t len);

/* The findings of one clause, or NULL. */
const struct vmclock_finding *vmclock_judgement_find(const struct vmclock_judgement *j,
                                                     enum vmclock_clause c);

#endif
