/* judge.c - page -> reader -> reading -> oracle -> verdict, for one clause.
 *
 * Every case of the clause runs in the sandbox; each reading goes to the
 * oracle, which may find violations of any clause. A clause's verdict counts
 * only its own findings (the other clauses have their own cases), plus a
 * crash, hang, page write or contract breach in its cases, which the spec
 * charges to the clause under test. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "oracle.h"
#include "runner.h"

struct run_ctx g_run;

uint64_t clause_seed(enum vmclock_clause c)
{
	/* FNV-1a of the clause id, so --only X draws the same cases as a full run. */
	uint64_t h = 0xcbf29ce484222325ull;
	for (const char *p = vmclock_clauses[c].id; *p; p++)
		h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
	return g_run.o.seed ^ h;
}

static const char *outcome_name(enum sb_outcome o)
{
	static const char *const n[] = { "returned", "crashed", "hung", "exited", "wrote to the page" };
	return n[o];
}

static const char *status_name(int s)
{
	static const char *const n[] = { "OK", "NO_TIME", "INVALID", "BUSY" };
	return s >= 0 && s <= 3 ? n[s] : "UNKNOWN";
}

/* The oracle's view of a static case: one committed state (the page), or
 * none when seq_count is odd (the writer never finishes). */
static void judge_case(const struct sc_case *c, const struct sb_result *r, struct vmclock_judgement *j,
                       struct vmclock_fields *page)
{
	static struct vmclock_oracle_counter ctr[SB_MAX_COUNTERS];
	vmclock_decode(c->img.bytes, c->img.len, page);
	unsigned n = r->ncounters < SB_MAX_COUNTERS ? r->ncounters : SB_MAX_COUNTERS;
	for (unsigned i = 0; i < n; i++) {
		ctr[i].value = r->counters[i];
		ctr[i].current = 0;
	}
	struct vmclock_oracle_input in = {
		.header = page,
		.len = c->img.len,
		.states = page,
		.nstates = (c->img.len >= VMCLOCK_END(seq_count) && (page->seq_count & 1)) ? 0 : 1,
		.counters = ctr,
		.ncounters = n,
		.native_counter_id = VMCLOCK_COUNTER_NATIVE,
		.writer_active = 0,
	};
	vmclock_oracle_judge(&in, r->status, &r->reading, j);
}

struct tally {
	struct clause_result *res;
	enum vmclock_verdict worst;
	uint64_t max_busy_ns;
	int have_slack;
	uint64_t max_est_slack, max_max_slack;
	const char *negdelta;
};

static void note(struct tally *t, const struct sc_case *c, enum vmclock_verdict v, const char *fmt, const char *a,
                 const char *b)
{
	struct clause_result *res = t->res;
	int first_fail = v == VMCLOCK_FAIL && t->worst != VMCLOCK_FAIL;
	int first_warn = v == VMCLOCK_WARN && t->worst == VMCLOCK_PASS;
	if (v == VMCLOCK_FAIL)
		res->nfailed++;
	if (first_fail || first_warn) {
		char ev[400];
		snprintf(ev, sizeof ev, fmt, a, b);
		snprintf(res->evidence, sizeof res->evidence, "case %u (%s%s): %s", c->index,
		         c->random ? "random " : "vector ", c->name, ev);
		res->fail_case = c->index;
		t->worst = v;
	}
}

void clause_run(const struct clause_test *t)
{
	enum vmclock_clause cl = t->clause;
	struct clause_result *res = &g_run.res[cl];
	memset(res, 0, sizeof *res);
	res->ran = 1;
	res->fail_case = -1;
	res->seed = clause_seed(cl);

	const struct vmclock_clause_desc *d = &vmclock_clauses[cl];
	if (d->needs && !(g_run.supported & d->needs)) {
		res->verdict = VMCLOCK_NOT_SUPPORTED;
		snprintf(res->how, sizeof res->how, "reader does not report the fields this clause is about");
		return;
	}

	struct vmclock_rng rng = { res->seed };
	struct sc_case_list l = { 0 };
	t->gen(&rng, &l);
	const struct sc_case *cases = l.v;
	size_t n = l.n;
	if (g_run.o.case_index >= 0) {
		if ((size_t)g_run.o.case_index >= l.n) {
			fprintf(g_err, "vmclock-cts: error: %s has %zu cases (0..%zu); no case %ld\n", d->id, l.n,
			        l.n ? l.n - 1 : 0, g_run.o.case_index);
			exit(2);
		}
		/* Run every case up to N in order, as the full run did (a reader may
		 * carry state from one call to the next), and judge only case N. */
		n = (size_t)g_run.o.case_index + 1;
	}
	struct sb_result *rs = calloc(n ? n : 1, sizeof *rs);
	if (!rs || sb_run(&g_run.sb, cases, n, rs) != 0) {
		perror("vmclock-cts: error: running the reader");
		exit(2);
	}

	struct tally ty = { .res = res, .worst = VMCLOCK_PASS };
	size_t first = g_run.o.case_index >= 0 ? (size_t)g_run.o.case_index : 0;
	for (size_t i = first; i < n; i++) {
		const struct sc_case *c = &cases[i];
		const struct sb_result *r = &rs[i];
		if (g_run.o.case_index >= 0)
			report_case_detail(c, r);
		if (r->outcome != SB_RETURNED) {
			note(&ty, c, VMCLOCK_FAIL, "reader %s: %s", outcome_name(r->outcome), r->evidence);
			continue;
		}
		struct vmclock_fields page;
		struct vmclock_judgement j;
		judge_case(c, r, &j, &page);
		for (size_t k = 0; k < j.n; k++)
			if (j.f[k].clause == cl && j.f[k].verdict != VMCLOCK_INFO_V)
				note(&ty, c, j.f[k].verdict, "%s%s", j.f[k].evidence, "");
		if (j.contract_error)
			note(&ty, c, VMCLOCK_FAIL, "contract: %s%s", j.contract_error, "");
		if (c->expect == VMCLOCK_EXPECT_TIME && (g_run.supported & VMCLOCK_IUT_HAS_TIME) &&
		    !(r->status == VMCLOCK_IUT_OK && (r->reading.filled & VMCLOCK_IUT_HAS_TIME)))
			note(&ty, c, VMCLOCK_FAIL, "a valid page with a usable time, but the reader returned %s%s",
			     status_name(r->status), r->reading.filled & VMCLOCK_IUT_HAS_TIME ? "" : " without time");
		if (r->status == VMCLOCK_IUT_BUSY && r->elapsed_ns > ty.max_busy_ns)
			ty.max_busy_ns = r->elapsed_ns;
		if (j.have_slack) {
			ty.have_slack = 1;
			if (j.est_slack_ns > ty.max_est_slack)
				ty.max_est_slack = j.est_slack_ns;
			if (j.max_slack_ns > ty.max_max_slack)
				ty.max_max_slack = j.max_slack_ns;
		}
		if (j.negdelta && !ty.negdelta)
			ty.negdelta = j.negdelta;
		if (g_run.o.case_index >= 0)
			for (size_t k = 0; k < j.n; k++)
				fprintf(g_out, "    finding: %s %s: %s\n", vmclock_clauses[j.f[k].clause].id,
				       vmclock_verdict_name(j.f[k].verdict), j.f[k].evidence);
	}

	res->ncases = (unsigned)(n - first);
	res->verdict = ty.worst;
	if (g_run.o.case_index >= 0)
		snprintf(res->how, sizeof res->how, "replay of case %ld (seed 0x%llx)", g_run.o.case_index,
		         (unsigned long long)res->seed);
	else if (l.randoms)
		snprintf(res->how, sizeof res->how, "%zu vectors + %zu random (seed 0x%llx)", l.vectors, l.randoms,
		         (unsigned long long)res->seed);
	else
		snprintf(res->how, sizeof res->how, "%zu fixed vectors", l.vectors);

	/* INFO clauses report what was seen; they never fail. */
	if (d->level == VMCLOCK_INFO && ty.worst == VMCLOCK_PASS) {
		res->verdict = VMCLOCK_INFO_V;
		if (cl == R_ERR_TIGHT)
			snprintf(res->evidence, sizeof res->evidence,
			         ty.have_slack ? "largest slack above the exact bound: esterror %llu ns, maxerror %llu ns"
			                       : "no bound could be compared",
			         (unsigned long long)ty.max_est_slack, (unsigned long long)ty.max_max_slack);
		else if (cl == R_TIME_NEGDELTA)
			snprintf(res->evidence, sizeof res->evidence, "counter below counter_value: %s",
			         ty.negdelta ? ty.negdelta : "reports no time");
	}
	if (cl == R_SEQ_BOUNDED && ty.worst == VMCLOCK_PASS && ty.max_busy_ns)
		snprintf(res->evidence, sizeof res->evidence, "gave up (BUSY) after at most %.1f ms",
		         (double)ty.max_busy_ns / 1e6);
	free(rs);
	sc_case_list_free(&l);
}
