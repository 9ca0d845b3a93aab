/* vmclock_schedule_fuzzer - concurrency bugs by fuzzing, beyond the
 * exhaustive bound: initial state + writer interventions at chosen events
 * of the reader (its page loads and counter reads) -> the interleaving
 * engine (suite/engine/trap.h) -> a judgement by charging rule 3.
 *
 * Input (missing bytes zero):
 *   bytes 0..7   seed of the initial state and of the writer's new states
 *   byte  8      bit 0: random initial state (else the writer's default);
 *                bit 1: mapping 112 bytes (else 4096)
 *   bytes 9..12  counter delta past the current state's counter_value
 *   then up to 4 interventions of 5 bytes: at (u16, event index mod 256),
 *   what (bit 0: BEGIN only, else a whole update), partial (field stores
 *   made by a BEGIN), finish (the BEGIN is finished that many events later,
 *   1..64: the simulated writer always finishes, so a correct reader never
 *   spins for long), kind bits (1 disrupt, 2 restore).
 *
 * Judgement (spec "How findings are charged", 3): a reading taken while
 * the writer updates must equal what the same reader returns for a quiet
 * copy of one committed state at the same counter value. One that matches
 * none: R-SEQ-TORN, or R-SEQ-ODD when it matches the quiet reading of an
 * image left by an unfinished update. A refusal (BUSY, NO_TIME without
 * fields) is never a finding. Arithmetic is not judged here (the page
 * fuzzer does that), so a wrong-arithmetic reader is not charged twice.
 *
 * In-process: the engine longjmps out of a reader it abandons (a store to
 * the page, an event limit); readers under test are then left mid-call.
 * That is sound for stateless readers; the suite's sandbox runs each case
 * in a forked child instead, which is too slow for fuzzing. */
#include <stdlib.h>
#include <string.h>

#include "abi.h"
#include "engine/trap.h"
#include "finding.h"
#include "iut.h"
#include "oracle.h"
#include "writer.h"

#define TARGET "vmclock_schedule_fuzzer"
#define MAX_IV 4
#define IV_BYTES 5
#define HDR 13
#define MAX_STATES (2 * MAX_IV + 1)
#define EVENT_LIMIT 20000

struct iv { unsigned at; int begin_only; unsigned partial, finish, kind; };

struct run {
	struct vmclock_rng rng;
	struct vmclock_fields cur;          /* the page's current committed state */
	struct vmclock_step steps[64];
	size_t nsteps, done;                /* an update in progress: steps[done..] left */
	unsigned finish_at;                 /* event index of the forced finish (0: none) */
	struct iv iv[MAX_IV];
	unsigned niv, next_iv;
	uint64_t delta;
	struct vmclock_fields states[MAX_STATES];
	unsigned nstates;
	struct vmclock_fields odd[MAX_STATES];
	unsigned nodd;
	uint64_t counters[64];
	unsigned ncounters;
};

static struct engine *g_engine;

static void push_state(struct run *r)
{
	if (r->nstates < MAX_STATES)
		r->states[r->nstates++] = r->cur;
}

static void finish_update(struct run *r, volatile uint8_t *wv)
{
	while (r->done < r->nsteps)
		vmclock_step_apply(wv, &r->steps[r->done++]);
	r->nsteps = r->done = 0;
	r->finish_at = 0;
	push_state(r);
}

static void start_update(struct run *r, const struct iv *v, volatile uint8_t *wv)
{
	struct vmclock_fields next;
	vmclock_writer_next(&r->rng, &r->cur, (v->kind & 1) != 0, (v->kind & 2) != 0, &next);
	r->nsteps = vmclock_update_steps(&r->cur, &next, r->steps);
	r->done = 0;
	r->cur = next;
	if (!v->begin_only) {
		finish_update(r, wv);
		return;
	}
	/* BEGIN (seq odd) and the first `partial` stores, the rest later. */
	size_t upto = 1 + (v->partial % r->nsteps);
	if (upto >= r->nsteps)
		upto = r->nsteps - 1;
	while (r->done < upto)
		vmclock_step_apply(wv, &r->steps[r->done++]);
	if (r->nodd < MAX_STATES) {
		uint8_t img[VMCLOCK_ABI_SIZE];
		for (size_t i = 0; i < sizeof img; i++)
			img[i] = wv[i];
		vmclock_decode(img, sizeof img, &r->odd[r->nodd++]);
	}
}

static uint64_t hook(void *ctx, const struct engine_event *ev, volatile uint8_t *wv)
{
	struct run *r = ctx;
	unsigned at = ev->index;
	if (r->nsteps && r->finish_at && at >= r->finish_at)
		finish_update(r, wv);
	while (r->next_iv < r->niv && r->iv[r->next_iv].at <= at) {
		const struct iv *v = &r->iv[r->next_iv++];
		if (r->nsteps)
			finish_update(r, wv);       /* one update at a time, as a writer does */
		start_update(r, v, wv);
		if (r->nsteps)
			r->finish_at = at + v->finish;
	}
	if (ev->kind != ENGINE_EV_COUNTER)
		return 0;
	uint64_t c = r->cur.counter_value + r->delta;
	if (r->ncounters < sizeof r->counters / sizeof r->counters[0])
		r->counters[r->ncounters++] = c;
	return c;
}

static uint64_t g_quiet_counter;
static uint64_t quiet_read(void *ctx)
{
	(void)ctx;
	return g_quiet_counter;
}

/* The same reader on a quiet copy of s (seq_count made even), at counter c. */
static unsigned quiet_diff(const struct fz_iut *iut, size_t len, const struct vmclock_fields *s, uint64_t c,
                           int status, const struct vmclock_iut_reading *rd)
{
	struct vmclock_fields q = *s;
	q.seq_count &= ~1ull;
	volatile uint8_t *wv = engine_page(g_engine, len);
	uint8_t img[VMCLOCK_ABI_SIZE];
	vmclock_encode(&q, img);
	for (size_t i = 0; i < sizeof img && i < len; i++)
		wv[i] = img[i];
	g_quiet_counter = c;
	struct vmclock_iut_counter ctr = { quiet_read, NULL };
	struct vmclock_iut_reading out;
	memset(&out, 0, sizeof out);
	engine_set_readable(g_engine, 1);
	int st = iut->read(engine_reader_view(g_engine), len, &ctr, &out);
	engine_set_readable(g_engine, 0);
	return vmclock_reading_diff(status, rd, st, &out);
}

static void parse(const uint8_t *data, size_t size, struct run *r, size_t *len)
{
	uint8_t h[HDR + MAX_IV * IV_BYTES];
	memset(h, 0, sizeof h);
	memcpy(h, data, size < sizeof h ? size : sizeof h);
	memset(r, 0, sizeof *r);
	for (int b = 7; b >= 0; b--)
		r->rng.s = r->rng.s << 8 | h[b];
	if (h[8] & 1)
		vmclock_writer_random(&r->rng, &r->cur);
	else
		vmclock_writer_default(&r->cur);
	*len = (h[8] & 2) ? VMCLOCK_ABI_SIZE : VMCLOCK_PAGE_SIZE;
	r->cur.size = *len;
	r->delta = (uint64_t)h[9] | (uint64_t)h[10] << 8 | (uint64_t)h[11] << 16 | (uint64_t)h[12] << 24;
	r->niv = size > HDR ? (unsigned)((size - HDR) / IV_BYTES) : 0;
	if (r->niv > MAX_IV)
		r->niv = MAX_IV;
	for (unsigned i = 0; i < r->niv; i++) {
		const uint8_t *p = h + HDR + i * IV_BYTES;
		r->iv[i] = (struct iv){ .at = p[0], .begin_only = p[1] & 1, .partial = p[2],
		                        .finish = 1u + (p[3] % 64u), .kind = p[4] & 3 };
	}
	/* interventions in event order */
	for (unsigned i = 1; i < r->niv; i++)
		for (unsigned k = i; k > 0 && r->iv[k - 1].at > r->iv[k].at; k--) {
			struct iv t = r->iv[k];
			r->iv[k] = r->iv[k - 1];
			r->iv[k - 1] = t;
		}
}

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
	if (!g_engine) {
		g_engine = engine_create();
		if (!g_engine)
			abort();
		engine_set_max_events(g_engine, EVENT_LIMIT);
	}
	static struct run r;
	size_t len;
	parse(data, size, &r, &len);
	push_state(&r);
	volatile uint8_t *wv = engine_page(g_engine, len);
	uint8_t img[VMCLOCK_ABI_SIZE];
	vmclock_encode(&r.cur, img);
	for (size_t i = 0; i < len; i++)
		wv[i] = i < sizeof img ? img[i] : 0;

	struct vmclock_iut_reading rd;
	memset(&rd, 0, sizeof rd);
	struct engine_result res;
	int oc = engine_run(g_engine, iut->read, len, 0, hook, &r, &rd, ENGINE_INDEX_FREE, &res);
	if (oc == ENGINE_WROTE)
		fz_finding(TARGET, "R-ROB-NOCRASH", "stored to the page at offset %zu", res.write_offset);
	if (oc == ENGINE_EVENT_LIMIT)
		/* the writer always finishes, so only a reader that never stops
		 * loading gets here */
		fz_finding(TARGET, "R-SEQ-BOUNDED", "more than %u page loads in one call although every update finished",
		           EVENT_LIMIT);
	if (oc != ENGINE_OK)
		return 0;
	int st = res.status;
	if (st < VMCLOCK_IUT_OK || st > VMCLOCK_IUT_BUSY || (st != VMCLOCK_IUT_OK && !rd.filled))
		return 0;   /* a refusal, or R-CONTRACT's (the page fuzzer judges that) */
	uint64_t c = rd.counter;
	if (!(rd.filled & VMCLOCK_IUT_HAS_TIME) && r.ncounters)
		c = r.counters[0];
	for (unsigned i = 0; i < r.nstates; i++)
		if (!quiet_diff(iut, len, &r.states[i], c, st, &rd))
			return 0;
	char parts[96];
	unsigned least = ~0u;
	for (unsigned i = 0; i < r.nstates; i++) {
		unsigned d = quiet_diff(iut, len, &r.states[i], c, st, &rd);
		if (__builtin_popcount(d) < __builtin_popcount(least))
			least = d;
	}
	vmclock_part_names(least, parts, sizeof parts);
	for (unsigned i = 0; i < r.nodd; i++)
		if (!quiet_diff(iut, len, &r.odd[i], c, st, &rd))
			fz_finding(TARGET, "R-SEQ-ODD", "returned the fields of an unfinished update (%u committed states)",
			           r.nstates);
	fz_finding(TARGET, "R-SEQ-TORN", "reading matches none of the %u committed states (closest differs in %s)",
	           r.nstates, parts);
	return 0;
}
