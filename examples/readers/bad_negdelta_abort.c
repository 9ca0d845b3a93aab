/* VMCLOCK-EXPECT: FAIL R-SEQ-ODD R-SEQ-TORN R-SEQ-WRAP R-SEQ-WINDOW R-TIME-EXACT R-DISR-MARKER R-VMGEN R-MONO R-ROB-NOCRASH */
/* bad_negdelta_abort.c - known-bad reader: abort()s when the counter it
 * reads is below the page's counter_value, as an assert(now >=
 * counter_value) left in a production reader would. The header is silent
 * on such a counter (R-TIME-NEGDELTA is an INFO clause: Linux wraps the
 * 64-bit delta), but a crash is a crash: it is a FAIL of the clause whose
 * case it happened in, and in an INFO clause's case R-ROB-NOCRASH's (spec
 * "How findings are charged" 5), never a PASS. Such counters come up in
 * R-TIME-NEGDELTA's vectors, in random R-TIME-EXACT and R-ROB-NOCRASH
 * pages, and in every concurrency clause (a counter read before the writer
 * published a later counter_value): those are the clauses above.
 * harness/tests/selftest.bats also runs it with --only R-TIME-NEGDELTA,
 * where only the INFO clause's cases run: R-ROB-NOCRASH must still FAIL.
 *
 * Everything else is the correct shared reader (basereader.h), no knob on. */
#include "basereader.h"

static const struct br_defects d = { 0 };

static uint64_t le64(const volatile uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	int st = br_read(page, len, c, out, dd);
	/* after the call: the page is quiet in the cases that matter here */
	if (st == VMCLOCK_IUT_OK && len >= 48 && out->counter < le64((const volatile uint8_t *)page + 40))
		abort();
	return st;
}
#define br_read hostile_read
BR_EXPORT(d, "bad_negdelta_abort")
