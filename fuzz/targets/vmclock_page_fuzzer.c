/* vmclock_page_fuzzer - arbitrary page bytes and counter value -> the
 * reader under test (in-process, through the contract) -> the oracle.
 *
 * Judged (spec section 2, "How findings are charged"):
 *   - every clause a single read of a quiet page can show, by the oracle
 *     (reference/oracle.c): only FAIL verdicts (MUST) are findings; a
 *     refusal is never one (rule 1), WARN and INFO are not findings;
 *   - R-ROB-NOCRASH: a crash, abort or store to the page, and R-HDR-SIZE: a
 *     load past the mapping (fuzz/common/pageview.c names the fault);
 *   - a differential signal: the reference reader reads the same page; a
 *     value both report that differs where the catalogue allows no
 *     difference is a finding on that value's clause.
 * Input format: fuzz/common/pagein.h. */
#include <stdio.h>
#include <string.h>

#include "abi.h"
#include "finding.h"
#include "iut.h"
#include "oracle.h"
#include "pagein.h"
#include "pageview.h"
#include "reader.h"

#define TARGET "vmclock_page_fuzzer"

struct fz_counter_ctx { uint64_t value; unsigned reads; };

static uint64_t counter_read(void *ctx)
{
	struct fz_counter_ctx *c = ctx;
	c->reads++;
	return c->value;
}

/* Parts both readers report that must be equal, and the clause a
 * difference belongs to. Time and error bounds are not here: the oracle
 * judges them exactly, allowing rounding to nearest and looser bounds. */
static const struct { enum vmclock_part part; const char *clause; } must_equal[] = {
	{ VP_MARKER, "R-DISR-MARKER" }, { VP_VMGEN, "R-VMGEN" },     { VP_TAI, "R-TIME-TAI" },
	{ VP_CLOCK, "R-CONTRACT" },     { VP_LEAP, "R-CONTRACT" },   { VP_FLAGS, "R-CONTRACT" },
};
static const uint32_t part_bit[VP_COUNT] = {
	[VP_MARKER] = VMCLOCK_IUT_HAS_DISRUPTION, [VP_VMGEN] = VMCLOCK_IUT_HAS_VMGEN,
	[VP_TAI] = VMCLOCK_IUT_HAS_TAI_OFFSET,    [VP_CLOCK] = VMCLOCK_IUT_HAS_ANY_CLOCK,
	[VP_LEAP] = VMCLOCK_IUT_HAS_ANY_LEAP,     [VP_FLAGS] = VMCLOCK_IUT_HAS_ANY_FLAGS,
};

static void differential(const volatile void *view, size_t len, uint64_t counter, int status,
                         const struct vmclock_iut_reading *r)
{
	struct fz_counter_ctx cc = { counter, 0 };
	struct vmclock_iut_counter ctr = { counter_read, &cc };
	struct vmclock_iut_reading ref;
	int rs = vmclock_ref_read(view, len, &ctr, &ref);
	unsigned diff = vmclock_reading_diff(status, r, rs, &ref);
	for (size_t i = 0; i < sizeof must_equal / sizeof must_equal[0]; i++) {
		enum vmclock_part p = must_equal[i].part;
		if ((diff & (1u << p)) && (r->filled & part_bit[p]) && (ref.filled & part_bit[p])) {
			char names[64];
			vmclock_part_names(1u << p, names, sizeof names);
			fz_finding(TARGET, must_equal[i].clause,
			           "differs from the reference reader in %s, which the clause catalogue does not allow", names);
		}
	}
}

/* The reader is loaded before the engine forks (AFL++'s fork server), not
 * once per child. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_iut_get();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_set_input(data, size);
	const struct fz_iut *iut = fz_iut_get();
	struct fz_page_input in;
	fz_page_parse(data, size, &in);

	const volatile void *view = fz_view_load(in.page, in.npage, in.len);
	/* An odd seq_count on a quiet page makes a correct reader spend its
	 * whole retry budget (up to 100 ms, R-SEQ-BOUNDED): a campaign that
	 * finds a control bit would run at a few execs per second. So only with
	 * VMCLOCK_FUZZ_ODD=1 and the input's control bit is it kept odd
	 * (R-SEQ-ODD, R-SEQ-BOUNDED); vmclock_schedule_fuzzer covers both. */
	uint8_t *rw = (uint8_t *)(uintptr_t)fz_view_bytes();
	if (!(fz_keep_odd() && (in.ctrl & FZ_CTRL_KEEP_ODD)) && in.len >= VMCLOCK_END(seq_count))
		rw[VMCLOCK_OFF_seq_count] &= 0xfe;

	struct fz_counter_ctx cc = { in.counter, 0 };
	struct vmclock_iut_counter ctr = { counter_read, &cc };
	struct vmclock_iut_reading r;
	memset(&r, 0, sizeof r);
	fz_view_enter(TARGET);
	int status = iut->read(view, in.len, &ctr, &r);
	fz_view_leave();

	struct vmclock_fields f;
	vmclock_decode(fz_view_bytes(), in.len, &f);
	struct vmclock_oracle_input oi = {
		.page = &f, .len = in.len, .counters = &in.counter, .ncounters = cc.reads ? 1 : 0,
		.native_counter_id = VMCLOCK_COUNTER_NATIVE, .declared = iut->declared,
	};
	struct vmclock_judgement j;
	vmclock_oracle_judge(&oi, status, &r, &j);
	int fails = 0;
	for (size_t i = 0; i < j.n; i++)
		if (j.f[i].verdict == VMCLOCK_FAIL) {
			fails++;
			fz_finding(TARGET, vmclock_clauses[j.f[i].clause].id, "%s", j.f[i].evidence);
		}
	/* (returns only in a campaign, VMCLOCK_FUZZ_CONTINUE=1: all clauses are
	 * reported, and the differential is then not needed) */
	if (fails)
		return 0;

	if (!iut->is_reference && !(f.seq_count & 1))
		differential(view, in.len, in.counter, status, &r);
	return 0;
}

/* A hang on a page whose seq_count stays odd is R-SEQ-BOUNDED's (the
 * reader must give up in bounded time); any other hang is R-ROB-NOCRASH's.
 * Used by the replay driver, which classifies the engines' timeouts. */
const char *fz_hang_clause(const uint8_t *data, size_t size);
const char *fz_hang_clause(const uint8_t *data, size_t size)
{
	struct fz_page_input in;
	fz_page_parse(data, size, &in);
	uint8_t page[VMCLOCK_ABI_SIZE] = { 0 };
	if (in.npage)
		memcpy(page, in.page, in.npage < sizeof page ? in.npage : sizeof page);
	struct vmclock_fields f;
	vmclock_decode(page, in.len < sizeof page ? in.len : sizeof page, &f);
	int odd = fz_keep_odd() && (in.ctrl & FZ_CTRL_KEEP_ODD) && (f.seq_count & 1);
	return odd && vmclock_oracle_header_defect(&f, in.len) < 0 ? "R-SEQ-BOUNDED" : "R-ROB-NOCRASH";
}
