/* gen_vectors.c - corpus/vectors/<CLAUSE>.json from the reference reader
 * (docs/vectors.md). Deterministic: edge tables and a fixed-seed rng.
 *
 *   gen_vectors OUTDIR
 *
 * Each maker below edits the writer's default page (or a random valid page)
 * for one clause a single read can show. The expectation of each vector is
 * what the reference reader returns, cross-checked by the oracle (a vector
 * the oracle would fail the reference on is a generator bug: exit 1), and
 * classified by the charging rules of VMCLOCK-SPEC.md: a refusal is never a
 * violation, so "valid" (must serve) is kept for the baseline class that
 * R-TIME-LIVE names, and every other page with a time is "acceptable". */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oracle.h"
#include "reader.h"
#include "rng.h"
#include "timemath.h"
#include "vectors.h"
#include "writer.h"

#define SEED 0x766563746f7273ull   /* "vectors" */

struct made {
	struct vmclock_fields f;
	size_t len;
	uint64_t counter;
	const char *flag;          /* defect class it is about */
	char comment[128];
};

typedef void maker_fn(unsigned i, struct vmclock_rng *r, struct made *m);

static uint64_t at_delta(const struct made *m, uint64_t d)
{
	return m->f.counter_value + d;
}

/* ---- makers, one idea each; i is 0..count-1 ---- */

static void mk_magic(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint32_t v[] = { 0, 0x564c434b, 0x4b4c4357, 0x4b4c4355, 0xcb4c4356, 0xffffffff, 0x4b4c4356 };
	m->f.magic = i < 7 ? v[i] : (uint32_t)vmclock_rng_next(r) | 1u;   /* odd: never the magic */
	if (m->f.magic == VMCLOCK_MAGIC && i != 6)
		m->f.magic ^= 2;
	m->flag = i == 6 ? "baseline" : "bad-magic";
	snprintf(m->comment, sizeof m->comment, "magic 0x%08x", (unsigned)m->f.magic);
}

static void mk_version(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint16_t v[] = { 0, 1, 2, 3, 0x100, 0x101, 0x8000, 0xffff };
	(void)r;
	m->f.version = v[i];
	m->flag = v[i] == 1 ? "baseline" : "bad-version";
	snprintf(m->comment, sizeof m->comment, "version %u", v[i]);
}

static void mk_size(unsigned i, struct vmclock_rng *r, struct made *m)
{
	/* size, mapping length */
	static const uint32_t v[][2] = {
		{ 0, 4096 }, { 31, 4096 }, { 32, 4096 }, { 39, 4096 }, { 40, 4096 }, { 87, 4096 }, { 88, 4096 },
		{ 95, 4096 }, { 96, 4096 }, { 103, 4096 }, { 104, 4096 }, { 111, 4096 }, { 112, 4096 },
		{ 4096, 4096 }, { 4097, 4096 }, { 0xffffffff, 4096 }, { 120, 112 }, { 112, 104 }, { 33, 32 },
		{ 32, 32 }, { 40, 40 }, { 88, 88 }, { 96, 96 }, { 104, 104 }, { 112, 112 }, { 104, 112 },
		{ 0x80000070, 4096 }, { 0x1070, 4096 },
	};
	(void)r;
	m->f.size = v[i][0];
	m->len = v[i][1];
	m->flag = m->f.size > m->len ? "size-beyond-mapping" : m->f.size < 32 ? "size-too-small" : "size-ladder";
	snprintf(m->comment, sizeof m->comment, "size %u, mapping %zu", (unsigned)m->f.size, m->len);
}

static void mk_counter_id(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint8_t v[] = { VMCLOCK_COUNTER_NATIVE, VMCLOCK_COUNTER_FOREIGN, 2, 0x7f, 0xfe, 0xff };
	(void)r;
	m->f.counter_id = v[i];
	m->flag = i == 0 ? "baseline" : v[i] == 0xff ? "counter-invalid" : "counter-foreign";
	snprintf(m->comment, sizeof m->comment, "counter_id 0x%02x (this machine's counter is 0x%02x)", v[i],
	         VMCLOCK_COUNTER_NATIVE);
}

static void mk_time_type(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint8_t v[] = { 0, 1, 2, 3, 4, 5, 0x80, 0xff };
	(void)r;
	m->f.time_type = v[i];
	m->flag = v[i] <= 1 ? "baseline" : v[i] == 2 ? "monotonic" : "time-type-unusable";
	snprintf(m->comment, sizeof m->comment, "time_type %u", v[i]);
}

static void mk_seq_odd(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint32_t v[] = { 1, 3, 0x7fffffff, 0xfffffffd, 0xffffffff };
	m->f.seq_count = i < 5 ? v[i] : ((uint32_t)vmclock_rng_next(r) | 1u);
	m->flag = "seq-odd";
	snprintf(m->comment, sizeof m->comment, "seq_count 0x%08x (odd: an update that never finishes)",
	         (unsigned)m->f.seq_count);
}

static void mk_seq_wrap(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint32_t v[] = { 0, 0xfffffffe, 2, 0x80000000 };
	(void)r;
	m->f.seq_count = v[i];
	m->flag = "seq-edge";
	snprintf(m->comment, sizeof m->comment, "seq_count 0x%08x", (unsigned)m->f.seq_count);
}

static void mk_exact(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint64_t d[] = { 0, 1, 2, 3, 999999999, 1000000000, 1ull << 32, 1ull << 33, 1ull << 40,
	                              (1ull << 48) - 1, 1ull << 48 };
	if (i < sizeof d / sizeof d[0]) {
		m->counter = at_delta(m, d[i]);
		m->flag = d[i] >= 2 ? "product-over-64-bits" : "small-delta";
		snprintf(m->comment, sizeof m->comment, "default page, delta %llu", (unsigned long long)d[i]);
		return;
	}
	if (i < 20) {
		/* time_frac_sec near 2^64: the fraction carries into seconds */
		m->f.time_frac_sec = UINT64_MAX - (i - 11) * 0x100000000ull;
		m->counter = at_delta(m, 1000000u * (i - 10));
		m->flag = "carry-into-seconds";
		snprintf(m->comment, sizeof m->comment, "time_frac_sec near 2^64, delta %u", 1000000u * (i - 10));
		return;
	}
	/* random valid pages from the writer, in the baseline class */
	vmclock_writer_random(r, &m->f);
	/* UTC and TAI alternate: a reader may serve only one (R-TIME-LIVE) */
	m->f.time_type = i % 2 ? VMCLOCK_TIME_TAI : VMCLOCK_TIME_UTC;
	m->f.clock_status = VMCLOCK_STATUS_SYNCHRONIZED;
	m->f.flags |= VMCLOCK_FLAG_TAI_OFFSET_VALID;
	m->f.counter_period_shift &= 63;
	m->len = VMCLOCK_PAGE_SIZE;
	m->f.size = VMCLOCK_PAGE_SIZE;
	m->counter = m->f.counter_value + (vmclock_rng_edgy64(r) & ((1ull << 48) - 1));
	m->flag = "random-page";
	snprintf(m->comment, sizeof m->comment, "random writer page %u", i - 20);
}

static void mk_shift(unsigned i, struct vmclock_rng *r, struct made *m)
{
	(void)r;
	m->f.counter_period_shift = i;
	m->f.time_type = i % 2 ? VMCLOCK_TIME_TAI : VMCLOCK_TIME_UTC;
	/* a delta whose product has bits on both sides of every shift */
	m->counter = at_delta(m, 0x123456789abcull);
	m->flag = i >= 128 ? "shift-128-or-more" : i >= 64 ? "shift-64-or-more" : "shift";
	snprintf(m->comment, sizeof m->comment, "counter_period_shift %u", i);
}

static void mk_tai(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const int16_t v[] = { -37, 37, 0, -1, -32768, 32767, -37, 37 };
	(void)r;
	m->f.tai_offset_sec = (uint16_t)v[i];
	if (i >= 6)
		m->f.flags &= ~VMCLOCK_FLAG_TAI_OFFSET_VALID;
	m->flag = i >= 6 ? "tai-offset-not-valid" : v[i] < 0 ? "tai-offset-negative" : "tai-offset";
	snprintf(m->comment, sizeof m->comment, "tai_offset_sec %d, TAI_OFFSET_VALID %s", v[i], i >= 6 ? "clear" : "set");
}

static void mk_negdelta(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint64_t back[] = { 1, 1000, 1000000000, 1000000000000ull };
	(void)r;
	m->counter = m->f.counter_value - back[i];
	m->flag = "counter-below-counter-value";
	snprintf(m->comment, sizeof m->comment, "counter %llu ticks below counter_value", (unsigned long long)back[i]);
}

static void mk_err_flags(unsigned i, struct vmclock_rng *r, struct made *m)
{
	(void)r;
	/* bits 3..6: PERIOD_ESTERROR, PERIOD_MAXERROR, TIME_ESTERROR, TIME_MAXERROR */
	m->f.flags = (m->f.flags & ~0x78ull) | (uint64_t)i << 3;
	m->counter = at_delta(m, 1ull << 30);
	m->flag = "error-flags";
	snprintf(m->comment, sizeof m->comment, "error VALID flags 0x%02x", i << 3);
}

static void mk_err_bound(unsigned i, struct vmclock_rng *r, struct made *m)
{
	m->f.counter_period_esterror_rate_frac_sec = vmclock_rng_edgy64(r);
	m->f.counter_period_maxerror_rate_frac_sec = vmclock_rng_edgy64(r);
	m->f.time_esterror_nanosec = i < 4 ? UINT64_MAX - i : vmclock_rng_edgy64(r);
	m->f.time_maxerror_nanosec = i < 4 ? UINT64_MAX - 3 * i : vmclock_rng_edgy64(r);
	m->f.counter_period_shift = (uint8_t)vmclock_rng_below(r, 64);
	m->counter = at_delta(m, vmclock_rng_edgy64(r) & ((1ull << 48) - 1));
	m->flag = i < 4 ? "bound-saturates" : "bound-rate-times-delta";
	snprintf(m->comment, sizeof m->comment, "error bounds case %u", i);
}

static void mk_status(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint8_t v[] = { 0, 1, 2, 3, 4, 5, 0xff };
	(void)r;
	m->f.clock_status = v[i];
	m->flag = v[i] == 4 ? "unreliable" : v[i] > 4 ? "status-unknown-value" : "status";
	snprintf(m->comment, sizeof m->comment, "clock_status %u", v[i]);
}

static void mk_marker(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint64_t v[] = { 0, 1, UINT64_MAX, 1ull << 63 };
	m->f.disruption_marker = i < 4 ? v[i] : vmclock_rng_next(r);
	m->flag = "marker";
	snprintf(m->comment, sizeof m->comment, "disruption_marker 0x%llx", (unsigned long long)m->f.disruption_marker);
}

static void mk_vmgen(unsigned i, struct vmclock_rng *r, struct made *m)
{
	static const uint32_t sizes[] = { 104, 111, 112, 4096 };
	(void)r;
	m->f.size = sizes[i % 4];
	m->len = VMCLOCK_PAGE_SIZE;
	if (i >= 4)
		m->f.flags &= ~VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT;
	if (i >= 8) /* bit 7 (UAPI.13 v1.0's VM_GEN number) set instead */
		m->f.flags |= VMCLOCK_FLAG_TIME_MONOTONIC;
	m->f.vm_generation_counter = 0x1122334455667788ull + i;
	m->flag = i >= 8 ? "vmgen-bit7" : i >= 4 ? "vmgen-flag-clear" : "vmgen";
	snprintf(m->comment, sizeof m->comment, "size %u, VM_GEN_COUNTER_PRESENT %s%s", (unsigned)m->f.size,
	         i >= 4 ? "clear" : "set", i >= 8 ? ", TIME_MONOTONIC (bit 7) set" : "");
}

static void mk_robust(unsigned i, struct vmclock_rng *r, struct made *m)
{
	if (i < (unsigned)vmclock_malformed_count) {
		const struct vmclock_malformed *c = &vmclock_malformed_table[i];
		c->apply(&m->f, &m->len);
		m->flag = c->name;
		snprintf(m->comment, sizeof m->comment, "malformed catalogue: %s (%s)", c->name, c->clause);
		return;
	}
	/* random bytes in every protected field of a valid header */
	for (size_t k = 0; k < vmclock_field_count; k++)
		if (vmclock_field_table[k].protected_by_seq)
			vmclock_field_set(&m->f, k, vmclock_rng_next(r) &
			                  (vmclock_field_table[k].size == 8 ? UINT64_MAX
			                                                    : (1ull << (8 * vmclock_field_table[k].size)) - 1));
	m->f.seq_count &= ~1ull;
	m->f.seq_count &= 0xffffffffu;
	m->flag = "random-fields";
	snprintf(m->comment, sizeof m->comment, "random protected fields %u", i);
}

static void mk_contract(unsigned i, struct vmclock_rng *r, struct made *m)
{
	(void)r;
	/* a fraction within half a ns of the next second: rounding to nearest
	 * must carry into the seconds, nsec stays below 10^9 */
	m->f.time_frac_sec = UINT64_MAX - i * 1000;
	m->counter = m->f.counter_value;
	m->flag = "nsec-rounds-to-1e9";
	snprintf(m->comment, sizeof m->comment, "time_frac_sec 2^64-1-%u at delta 0", i * 1000);
}

static const struct {
	const char *clause;
	unsigned count;
	maker_fn *make;
} makers[] = {
	{ "R-HDR-MAGIC", 12, mk_magic },        { "R-HDR-VERSION", 8, mk_version },
	{ "R-HDR-SIZE", 28, mk_size },          { "R-HDR-COUNTER", 6, mk_counter_id },
	{ "R-HDR-TIMETYPE", 8, mk_time_type },  { "R-SEQ-ODD", 8, mk_seq_odd },
	{ "R-SEQ-WRAP", 4, mk_seq_wrap },       { "R-TIME-EXACT", 60, mk_exact },
	{ "R-TIME-SHIFT", 256, mk_shift },      { "R-TIME-TAI", 8, mk_tai },
	{ "R-TIME-NEGDELTA", 4, mk_negdelta },  { "R-ERR-FLAGS", 16, mk_err_flags },
	{ "R-ERR-BOUND", 24, mk_err_bound },    { "R-STAT-UNRELIABLE", 7, mk_status },
	{ "R-DISR-MARKER", 8, mk_marker },      { "R-VMGEN", 12, mk_vmgen },
	{ "R-ROB-NOCRASH", 0 /* catalogue + 12 */, mk_robust }, { "R-CONTRACT", 4, mk_contract },
};

static uint64_t counter_value;
static uint64_t counter_read(void *ctx)
{
	(void)ctx;
	return counter_value;
}

/* The baseline class of R-TIME-LIVE: a reader that reports time at all must
 * serve these; any other page's time may be refused (charging rule 1). */
static int baseline(const struct vmclock_fields *f, size_t len, uint64_t c)
{
	return f->size >= VMCLOCK_ABI_SIZE && f->size <= len && f->clock_status == VMCLOCK_STATUS_SYNCHRONIZED &&
	       f->time_type <= VMCLOCK_TIME_TAI && (f->flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) &&
	       c >= f->counter_value && c - f->counter_value <= (1ull << 48);
}

static void hex(FILE *o, const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(o, "%02x", b[i]);
}

/* Writes one vector; returns 0, or 1 when the reference fails the oracle. */
static int emit(FILE *o, long id, const char *clause, const struct made *m, int first)
{
	static uint8_t page[VMCLOCK_PAGE_SIZE] __attribute__((aligned(8)));
	memset(page, 0, sizeof page);
	vmclock_encode(&m->f, page);
	counter_value = m->counter;
	struct vmclock_iut_counter ctr = { counter_read, NULL };
	struct vmclock_iut_reading r;
	int st = vmclock_ref_read(page, m->len, &ctr, &r);

	struct vmclock_oracle_input oi = { &m->f, m->len, &m->counter, 1, VMCLOCK_COUNTER_NATIVE, 0 };
	struct vmclock_judgement j;
	vmclock_oracle_judge(&oi, st, &r, &j);
	for (size_t k = 0; k < j.n; k++)
		if (j.f[k].verdict == VMCLOCK_FAIL) {
			fprintf(stderr, "gen_vectors: %s #%ld: the reference fails %s: %s\n", clause, id,
			        vmclock_clauses[j.f[k].clause].id, j.f[k].evidence);
			return 1;
		}

	int accept = st == VMCLOCK_IUT_OK || r.filled;
	int has_time = (r.filled & VMCLOCK_IUT_HAS_TIME) != 0;
	const char *result = !accept || !has_time ? "invalid" : baseline(&m->f, m->len, m->counter) ? "valid" : "acceptable";
	size_t npage = m->len < VMCLOCK_ABI_SIZE ? m->len : VMCLOCK_ABI_SIZE;
	fprintf(o, "%s    {\"tcId\": %ld, \"clause\": \"%s\", \"comment\": \"%s\", \"flags\": [\"%s\"], \"result\": \"%s\",\n",
	        first ? "" : ",\n", id, clause, m->comment, m->flag, result);
	fprintf(o, "     \"len\": %zu, \"counter\": \"0x%llx\", \"page\": \"", m->len, (unsigned long long)m->counter);
	hex(o, page, npage);
	fprintf(o, "\",\n     \"expect\": {\"accept\": %s", accept ? "true" : "false");
	if (accept) {
		if (has_time) {
			unsigned carry = 0;
			struct vmclock_tm_time t = vmclock_tm_at(m->f.time_sec, m->f.time_frac_sec, m->f.counter_value,
			                                         m->f.counter_period_frac_sec,
			                                         (unsigned)m->f.counter_period_shift, m->counter);
			uint32_t nn = vmclock_tm_nsec_nearest(t.frac, &carry);
			fprintf(o, ", \"time\": {\"sec\": \"0x%llx\", \"nsec\": %u, \"sec_nearest\": \"0x%llx\", \"nsec_nearest\": %u, \"time_type\": %u}",
			        (unsigned long long)r.sec, r.nsec, (unsigned long long)(t.sec + carry), nn, r.time_type);
		} else {
			fprintf(o, ", \"time\": null");
		}
		/* The rules each part follows (clause in brackets): present with
		 * its flag and size, else must not be reported. */
		const struct { const char *name; uint32_t bit; int rule_absent; uint64_t v; int is_signed; } parts[] = {
			{ "esterror_ns_min", VMCLOCK_IUT_HAS_ESTERROR,   /* R-ERR-FLAGS, R-HDR-SIZE */
			  !(m->f.flags & VMCLOCK_FLAG_TIME_ESTERROR_VALID) || m->f.size < VMCLOCK_END(time_esterror_nanosec),
			  r.esterror_ns, 0 },
			{ "maxerror_ns_min", VMCLOCK_IUT_HAS_MAXERROR,
			  !(m->f.flags & VMCLOCK_FLAG_TIME_MAXERROR_VALID) || m->f.size < VMCLOCK_END(time_maxerror_nanosec),
			  r.maxerror_ns, 0 },
			{ "disruption_marker", VMCLOCK_IUT_HAS_DISRUPTION, 0, r.disruption_marker, 0 },
			{ "vm_generation_counter", VMCLOCK_IUT_HAS_VMGEN, /* R-VMGEN */
			  !(m->f.flags & VMCLOCK_FLAG_VM_GEN_COUNTER_PRESENT) || m->f.size < VMCLOCK_END(vm_generation_counter),
			  r.vm_generation_counter, 0 },
			{ "tai_offset_sec", VMCLOCK_IUT_HAS_TAI_OFFSET, /* R-TIME-TAI */
			  !(m->f.flags & VMCLOCK_FLAG_TAI_OFFSET_VALID) || m->f.size < VMCLOCK_END(tai_offset_sec),
			  (uint64_t)(int64_t)r.tai_offset_sec, 1 },
		};
		for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
			if (parts[p].rule_absent)
				fprintf(o, ", \"%s\": null", parts[p].name);
			else if ((r.filled & parts[p].bit) && parts[p].is_signed)
				fprintf(o, ", \"%s\": %lld", parts[p].name, (long long)(int64_t)parts[p].v);
			else if (r.filled & parts[p].bit)
				fprintf(o, ", \"%s\": \"0x%llx\"", parts[p].name, (unsigned long long)parts[p].v);
		}
	}
	fprintf(o, "}}");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s OUTDIR\n", argv[0]);
		return 2;
	}
	struct vmclock_rng r = { SEED };
	long total = 0;
	int bad = 0;
	for (size_t k = 0; k < sizeof makers / sizeof makers[0]; k++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s.json", argv[1], makers[k].clause);
		FILE *o = fopen(path, "w");
		if (!o) {
			perror(path);
			return 2;
		}
		unsigned count = makers[k].count ? makers[k].count : (unsigned)vmclock_malformed_count + 12;
		fprintf(o, "{\n  \"schema\": \"%s\",\n  \"schemaVersion\": %d,\n  \"generator\": \"corpus/gen_vectors.c (seed 0x%llx)\",\n"
		           "  \"clause\": \"%s\",\n  \"readerCounterId\": %d,\n  \"numberOfTests\": %u,\n  \"tests\": [\n",
		        VEC_SCHEMA, VEC_SCHEMA_VERSION, (unsigned long long)SEED, makers[k].clause, VMCLOCK_COUNTER_NATIVE, count);
		for (unsigned i = 0; i < count; i++) {
			struct made m;
			vmclock_writer_default(&m.f);
			m.len = VMCLOCK_PAGE_SIZE;
			m.counter = m.f.counter_value + 1000000000u;
			m.flag = "";
			m.comment[0] = 0;
			makers[k].make(i, &r, &m);
			bad |= emit(o, ++total, makers[k].clause, &m, i == 0);
		}
		fprintf(o, "\n  ]\n}\n");
		if (fclose(o) != 0) {
			perror(path);
			return 2;
		}
	}
	printf("gen_vectors: %ld vectors in %s\n", total, argv[1]);
	return bad;
}
