/* vmclock_vector_fuzzer - the suite's own vector file parser
 * (corpus/json.c, corpus/vectors.c) on arbitrary bytes: it must never
 * crash, leak or read out of bounds (R-ROB-NOCRASH is the reader's clause;
 * here a crash is the suite's own defect, reported the same way). Each
 * vector it accepts is judged against a few readings, so the judging code
 * runs on whatever a parsed file can hold. */
#include <string.h>

#include "finding.h"
#include "vectors.h"

static int judge_all(const struct vec *v, void *ctx)
{
	(void)ctx;
	/* A vector must hold its own invariants after parsing. */
	if (v->npage > v->len || v->len > VEC_MAX_PAGE)
		fz_finding("vmclock_vector_fuzzer", "R-ROB-NOCRASH", "vector %lld: page of %zu bytes, len %zu",
		           (long long)v->id, v->npage, v->len);
	static const int statuses[] = { VMCLOCK_IUT_OK, VMCLOCK_IUT_NO_TIME, VMCLOCK_IUT_INVALID, 7 };
	struct vmclock_iut_reading r;
	memset(&r, 0, sizeof r);
	r.filled = (uint32_t)v->id;
	r.sec = v->sec;
	r.nsec = v->nsec;
	r.counter = v->counter;
	char buf[256];
	for (size_t i = 0; i < sizeof statuses / sizeof statuses[0]; i++)
		(void)vec_judge(v, statuses[i], &r, buf, sizeof buf);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fz_set_input(data, size);
	char ebuf[256];
	const char *err;
	(void)vec_load((const char *)data, size, judge_all, NULL, ebuf, sizeof ebuf, &err);
	return 0;
}
