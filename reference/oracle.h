/* oracle.h - judging one reading of one quiet page.
 *
 * Given the page the reader read (constant while it read), the counter
 * values it was handed during the call and what it returned, the oracle
 * decides which clauses the reading violates. Readings taken while a writer
 * was active are not judged here: they are compared with the same reader's
 * readings of quiet copies of each page image (suite/judge.c, spec "How
 * findings are charged" 3), and those quiet readings are judged here.
 * It is pure: no page access, no I/O. */
#ifndef VMCLOCK_ORACLE_H
#define VMCLOCK_ORACLE_H

#include <stddef.h>
#include <stdint.h>
#include "abi.h"
#include "clauses.h"
#include "vmclock_iut.h"

struct vmclock_oracle_input {
	const struct vmclock_fields *page;   /* what the reader read */
	size_t len;                          /* mapping length handed to the reader */
	const uint64_t *counters;            /* counter values handed out during this call */
	size_t ncounters;
	uint8_t native_counter_id;           /* the counter the reader reads (VMCLOCK_COUNTER_NATIVE) */
	uint32_t declared;                   /* filled bits the reader declared (0: not declared) */
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
	int accepted;                        /* the reader reported something from the page */
	int reports_time;                    /* ... and that included a time */
	int breach;                          /* broke the contract (R-CONTRACT): judged no further */
	int refused;                         /* a valid page with an even seq_count, no time reported */
	/* R-ERR-TIGHT measurements: reported - exact, in ns (when judged). */
	int have_slack;
	uint64_t est_slack_ns, max_slack_ns;
	/* R-TIME-NEGDELTA: what the reader did for a counter below counter_value. */
	const char *negdelta;                /* NULL when not applicable */
};

/* Judge one reading of a quiet page. status is what vmclock_iut_read returned. */
void vmclock_oracle_judge(const struct vmclock_oracle_input *in, int status,
                          const struct vmclock_iut_reading *r, struct vmclock_judgement *j);

/* The contract alone (R-CONTRACT): NULL when the reading keeps it, else why
 * not. Used for readings taken while a writer was active, too. */
const char *vmclock_oracle_contract(const struct vmclock_oracle_input *in, int status,
                                    const struct vmclock_iut_reading *r);

/* Is the header one a reader must accept? Returns the clause a rejection
 * belongs to (R_HDR_MAGIC, R_HDR_VERSION, R_HDR_SIZE) or -1 when valid. */
int vmclock_oracle_header_defect(const struct vmclock_fields *h, size_t len);

/* Exact time (floor ns) of state s at counter c, extrapolating backwards
 * (a signed delta) when c is below counter_value: the true time a reader
 * that used (s, c) stands for, whatever its arithmetic (R-MONO). */
void vmclock_oracle_time_at(const struct vmclock_fields *s, uint64_t c, uint64_t *sec, uint32_t *nsec);

/* Is r's time state s's at r->counter (floor or nearest ns, the 64-bit
 * delta wrapped as Linux does)? */
int vmclock_oracle_time_exact(const struct vmclock_fields *s, const struct vmclock_iut_reading *r);

/* The parts of a reading, for comparing two readings (suite/judge.c). */
enum vmclock_part { VP_STATUS, VP_TIME, VP_ESTERR, VP_MAXERR, VP_MARKER, VP_VMGEN, VP_TAI, VP_CLOCK, VP_LEAP, VP_FLAGS,
                   VP_COUNT };
/* Bit set of parts in which two readings differ (status code, filled bit
 * or value). */
unsigned vmclock_reading_diff(int sa, const struct vmclock_iut_reading *a, int sb,
                              const struct vmclock_iut_reading *b);
/* "time+marker" */
void vmclock_part_names(unsigned mask, char *buf, size_t len);

/* The filled bits that stand for the clock status, leap indicator and
 * flags (contract 1.0's HAS_STATUS counts for all three). */
#define VMCLOCK_IUT_HAS_ANY_CLOCK (VMCLOCK_IUT_HAS_STATUS | VMCLOCK_IUT_HAS_CLOCK_STATUS)
#define VMCLOCK_IUT_HAS_ANY_LEAP  (VMCLOCK_IUT_HAS_STATUS | VMCLOCK_IUT_HAS_LEAP)
#define VMCLOCK_IUT_HAS_ANY_FLAGS (VMCLOCK_IUT_HAS_STATUS | VMCLOCK_IUT_HAS_FLAGS)
#define VMCLOCK_IUT_HAS_ALL ((VMCLOCK_IUT_HAS_FLAGS << 1) - 1)

#endif
