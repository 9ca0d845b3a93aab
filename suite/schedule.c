/* schedule.c - a dynamic case in the child: the engine traps every load the
 * reader makes from the page and every counter read; before event `at` of
 * each intervention, the simulated writer changes the page through the
 * engine's writable view, following the seqcount protocol (W-SEQ-PROTOCOL):
 * seq odd, field stores, seq even. New states keep the MONOTONIC rule: the
 * switch counter is the last counter value handed out, so a timestamp from
 * the old state is never later than one from the new state. */
#include <stdio.h>
#include <string.h>
#include "schedule.h"
#include "timemath.h"

enum { MS_BEGIN, MS_WRITE, MS_END };
struct micro {
	uint8_t kind, size;
	uint16_t off;
	uint64_t value;
};

static struct {
	const struct sc_case *c;
	struct sb_result *res;
	unsigned base, top, next_iv;
	struct vmclock_fields cur, next;
	struct micro m[2 + VMCLOCK_ABI_SIZE];
	size_t nm, done;
	int odd;
	struct vmclock_rng rng;
	uint64_t ticks;            /* hook calls so far: the virtual clock */
	unsigned call;             /* the reader call in progress */
	uint32_t lastodd;          /* granules whose last load in this call was while odd */
	int seqload;               /* this call made a trapped load of seq_count */
} D;

static const char *const what_name[] = { "update", "begin", "finish" };
static const char *const order_name[] = { "", " reversed", " bytewise" };
static const char *const kind_name[] = { "", " disrupt", " restore", " leap" };

void sched_describe(const struct sc_dynamic *d, char *buf, size_t len)
{
	size_t n = 0;
	buf[0] = 0;
	if (d->ncalls > 1)
		n += (size_t)snprintf(buf + n, len - n, "%u calls: ", d->ncalls);
	for (unsigned i = 0; i < d->niv && n < len; i++) {
		const struct sc_intervention *v = &d->iv[i];
		n += (size_t)snprintf(buf + n, len - n, "%s%s", i ? ", " : "", what_name[v->what]);
		if (v->what == IV_BEGIN && n < len)
			n += v->partial == SC_PARTIAL_TIME_SEC ? (size_t)snprintf(buf + n, len - n, "+through-time_sec")
			                                       : (size_t)snprintf(buf + n, len - n, "+%u", v->partial);
		if (n < len)
			n += (size_t)snprintf(buf + n, len - n, "@%u%s%s", v->at,
			                      v->what == IV_FINISH ? "" : order_name[v->order],
			                      v->what == IV_FINISH ? "" : kind_name[v->kind]);
	}
	if (!d->niv && n < len)
		snprintf(buf + n, len - n, "undisturbed");
}

/* The next committed state, switching at counter c_sw. */
static void make_next(uint8_t kind, uint64_t c_sw)
{
	const struct vmclock_fields *o = &D.cur;
	struct vmclock_fields *n = &D.next;
	*n = *o;
	n->seq_count = (uint32_t)(o->seq_count + 2);
	struct vmclock_tm_time t = vmclock_tm_at(o->time_sec, o->time_frac_sec, o->counter_value,
	                                         o->counter_period_frac_sec,
	                                         (unsigned)o->counter_period_shift, c_sw);
	/* Steps far larger than a real writer's (up to ~60 us of time, ~0.1% of
	 * period), so that two states' times are never within a few ns. */
	uint64_t step = 1 + vmclock_rng_below(&D.rng, 1ull << 50);
	n->counter_value = c_sw;
	n->time_frac_sec = t.frac + step;
	n->time_sec = t.sec + (n->time_frac_sec < step);
	uint64_t d = o->counter_period_frac_sec >> 10;
	n->counter_period_frac_sec = o->counter_period_frac_sec - d + vmclock_rng_below(&D.rng, 2 * d + 1);
	n->time_esterror_nanosec = 1 + vmclock_rng_below(&D.rng, 10000);
	n->time_maxerror_nanosec = n->time_esterror_nanosec + vmclock_rng_below(&D.rng, 100000);
	n->counter_period_esterror_rate_frac_sec = o->counter_period_esterror_rate_frac_sec ^ (vmclock_rng_next(&D.rng) >> 44);
	n->counter_period_maxerror_rate_frac_sec = o->counter_period_maxerror_rate_frac_sec ^ (vmclock_rng_next(&D.rng) >> 40);
	/* Spec rule 4: flags (each VALID flag on and off), the clock status
	 * (now and then a step to UNRELIABLE), the leap indicator and the TAI
	 * offset change too, so a reader that reads any of them outside its
	 * seqlock section returns a mix. */
	static const uint64_t toggles = VMCLOCK_FLAG_TAI_OFFSET_VALID | VMCLOCK_FLAG_DISRUPTION_SOON |
	                                VMCLOCK_FLAG_DISRUPTION_IMMINENT | VMCLOCK_FLAG_PERIOD_ESTERROR_VALID |
	                                VMCLOCK_FLAG_PERIOD_MAXERROR_VALID | VMCLOCK_FLAG_TIME_ESTERROR_VALID |
	                                VMCLOCK_FLAG_TIME_MAXERROR_VALID;
	uint64_t flip = 0;
	for (int b = 0; b < 64; b++)
		if (((toggles >> b) & 1) && vmclock_rng_below(&D.rng, 3) == 0)
			flip |= 1ull << b;
	n->flags = o->flags ^ (flip & ~D.c->dyn.keep_flags);
	uint8_t sts = D.c->dyn.statuses ? D.c->dyn.statuses : 1u << VMCLOCK_STATUS_SYNCHRONIZED;
	if (vmclock_rng_below(&D.rng, 3) == 0) {
		unsigned s = (unsigned)vmclock_rng_below(&D.rng, VMCLOCK_STATUS_MAX + 1);
		if (sts & (1u << s))
			n->clock_status = s;
	}
	if (vmclock_rng_below(&D.rng, 4) == 0)
		n->leap_indicator = vmclock_rng_below(&D.rng, VMCLOCK_LEAP_MAX + 1);
	if (vmclock_rng_below(&D.rng, 3) == 0)
		n->tai_offset_sec = (uint16_t)(int16_t)(-30 - (int)vmclock_rng_below(&D.rng, 10));
	if (kind == UPD_DISRUPT || kind == UPD_RESTORE) {
		n->disruption_marker = vmclock_rng_next(&D.rng);
		if (n->disruption_marker == o->disruption_marker)
			n->disruption_marker ^= 1;
	}
	if (kind == UPD_RESTORE)
		n->vm_generation_counter = o->vm_generation_counter + 1 + vmclock_rng_below(&D.rng, 1000);
	if (kind == UPD_LEAP)
		n->leap_indicator = (o->leap_indicator + 1) % (VMCLOCK_LEAP_MAX + 1);
}

/* The stores that turn D.cur into D.next, in the intervention's order. */
static void plan(uint8_t order)
{
	D.nm = D.done = 0;
	D.m[D.nm++] = (struct micro){ .kind = MS_BEGIN };
	size_t first = D.nm;
	for (size_t i = 0; i < vmclock_field_count; i++) {
		const struct vmclock_field_desc *f = &vmclock_field_table[i];
		uint64_t v = vmclock_field_get(&D.next, i);
		if (!f->protected_by_seq || f->offset == VMCLOCK_OFF_seq_count || v == vmclock_field_get(&D.cur, i))
			continue;
		if (order == ORD_BYTES)
			for (unsigned b = 0; b < f->size; b++)
				D.m[D.nm++] = (struct micro){ MS_WRITE, 1, (uint16_t)(f->offset + b), (uint8_t)(v >> (8 * b)) };
		else
			D.m[D.nm++] = (struct micro){ MS_WRITE, (uint8_t)f->size, f->offset, v };
	}
	if (order == ORD_REVERSE)
		for (size_t a = first, b = D.nm - 1; a < b; a++, b--) {
			struct micro t = D.m[a];
			D.m[a] = D.m[b];
			D.m[b] = t;
		}
	D.m[D.nm++] = (struct micro){ .kind = MS_END };
}

static void store(volatile uint8_t *wv, size_t off, unsigned size, uint64_t v)
{
	switch (size) {
	case 8: *(volatile uint64_t *)(wv + off) = vmclock_le64(v); break;
	case 4: *(volatile uint32_t *)(wv + off) = vmclock_le32((uint32_t)v); break;
	case 2: *(volatile uint16_t *)(wv + off) = vmclock_le16((uint16_t)v); break;
	default: wv[off] = (uint8_t)v; break;
	}
}

/* Apply planned stores up to (not including) index upto. */
static void apply(volatile uint8_t *wv, size_t upto)
{
	for (; D.done < upto && D.done < D.nm; D.done++) {
		const struct micro *m = &D.m[D.done];
		if (m->kind == MS_WRITE) {
			store(wv, m->off, m->size, m->value);
			continue;
		}
		/* seq_count steps +1, wrapping at 2^32 (R-SEQ-WRAP) */
		D.odd = m->kind == MS_BEGIN;
		store(wv, VMCLOCK_OFF_seq_count, 4, (uint32_t)(D.cur.seq_count + (D.odd ? 1 : 2)));
		if (!D.odd) {
			D.cur = D.next;
			if (D.res->nstates < SC_MAX_IV + 1)
				D.res->states[D.res->nstates++] = D.cur;
		}
	}
}

/* The stores up to and including time_sec's (field order): a half-done
 * update that leaves time_sec new and time_frac_sec old, a time no
 * committed state has (R-SEQ-ODD). */
static size_t through_time_sec(void)
{
	size_t upto = 1;
	while (upto < D.nm && D.m[upto].kind == MS_WRITE && D.m[upto].off <= VMCLOCK_OFF_time_sec)
		upto++;
	return upto;
}

static void intervene(const struct sc_intervention *v, volatile uint8_t *wv)
{
	/* The switch counter is "now" on the virtual clock: no counter read
	 * before this moment is later, none after it is earlier. */
	uint64_t c_sw = D.c->counter_start + D.ticks * D.c->counter_step;
	switch (v->what) {
	case IV_UPDATE:
	case IV_BEGIN:
		if (D.odd)          /* finish a pending update first */
			apply(wv, D.nm);
		make_next(v->kind, c_sw);
		plan(v->order);
		apply(wv, v->what == IV_UPDATE ? D.nm : v->partial == SC_PARTIAL_TIME_SEC ? through_time_sec() : 1u + v->partial);
		if (D.odd && D.res->nodd < SC_MAX_IV) {
			/* The image a half-done update leaves: what a reader that
			 * ignores the odd bit returns (R-SEQ-ODD). */
			uint8_t img[VMCLOCK_ABI_SIZE];
			for (size_t i = 0; i < sizeof img && i < D.c->img.len; i++)
				img[i] = wv[i];
			vmclock_decode(img, D.c->img.len < sizeof img ? D.c->img.len : sizeof img, &D.res->odd[D.res->nodd++]);
		}
		break;
	case IV_FINISH:
		apply(wv, D.nm);
		break;
	}
}

static uint64_t hook(void *ctx, const struct engine_event *ev, volatile uint8_t *wv)
{
	(void)ctx;
	D.ticks++;
	if (!(ev->flags & ENGINE_EVF_FREE)) {
		unsigned g = D.base + ev->index;
		if (ev->index + 1 > D.top)
			D.top = ev->index + 1;
		while (D.next_iv < D.c->dyn.niv && D.c->dyn.iv[D.next_iv].at <= g)
			intervene(&D.c->dyn.iv[D.next_iv++], wv);
	}
	if (!(ev->flags & ENGINE_EVF_FREE)) {
		/* What the engine saw, in order: a trapped and a hooked run of one
		 * reader must see the same (runner.c compares them). Kind and offset
		 * only: a trapped load the engine single-steps has no known size. */
		uint64_t x = (uint64_t)ev->kind << 56 ^ ev->offset;
		D.res->event_sig = (D.res->event_sig ^ x) * 0x100000001b3ull;
	}
	if (!D.odd)
		D.res->call_even[D.call] = 1;
	if (ev->kind == ENGINE_EV_LOAD && !(ev->flags & ENGINE_EVF_FREE) && ev->offset < 16 &&
	    ev->offset + (ev->size ? ev->size : 8) > 12)
		D.seqload = 1;
	if (ev->kind == ENGINE_EV_LOAD && ev->offset < VMCLOCK_ABI_SIZE) {
		/* Which 8-byte granules of the structure were last loaded while
		 * seq_count was odd: the fields a reading can hold from then. */
		size_t last = ev->offset + (ev->size ? ev->size : 8) - 1;
		for (size_t g = ev->offset / 8; g <= last / 8 && g < VMCLOCK_ABI_SIZE / 8; g++)
			D.lastodd = D.odd ? D.lastodd | 1u << g : D.lastodd & ~(1u << g);
	}
	if (ev->kind != ENGINE_EV_COUNTER)
		return 0;
	/* Virtual time passes with every event, so a counter read early and
	 * used late is visibly stale (R-SEQ-WINDOW, R-MONO). */
	uint64_t v = D.c->counter_start + D.ticks * D.c->counter_step;
	if (!D.c->dyn.ncalls && ev->kind_index < D.c->nscript)
		v = D.c->script[ev->kind_index];   /* a quiet copy replaying a call's counter */
	struct sb_result *r = D.res;
	if (r->ncounters < SB_MAX_COUNTERS) {
		r->counters[r->ncounters] = v;
		r->current[r->ncounters] = D.odd ? -1 : (int)r->nstates - 1;
	}
	r->ncounters++;
	return v;
}

void sched_run(struct engine *e, vmclock_iut_read_fn fn, unsigned engine_flags, const struct sc_case *c,
               struct sb_result *res)
{
	memset(&D, 0, sizeof D);
	D.c = c;
	D.res = res;
	D.rng.s = c->dyn.seed;
	vmclock_decode(c->img.bytes, c->img.len, &D.cur);
	res->states[0] = D.cur;
	res->nstates = 1;

	volatile uint8_t *wv = engine_page(e, c->img.len);
	if (!wv) {
		res->outcome = SB_UNTRAPPABLE;
		snprintf(res->evidence, sizeof res->evidence, "engine: cannot map a page of %zu bytes", c->img.len);
		return;
	}
	for (size_t i = 0; i < c->img.len; i++)
		wv[i] = c->img.bytes[i];

	unsigned ncalls = c->dyn.ncalls ? c->dyn.ncalls : 1;
	for (unsigned k = 0; k < ncalls; k++) {
		struct engine_result er;
		struct vmclock_iut_reading out;
		memset(&out, 0, sizeof out);
		/* Trap up to the last intervention point, then let the reader run
		 * free (fast, and a spinning reader spins at full speed). */
		unsigned fa = c->dyn.free_after >= D.base ? c->dyn.free_after - D.base : 0;
		D.top = 0;
		D.call = k;
		D.lastodd = 0;
		D.seqload = 0;
		res->call_counter0[k] = res->ncounters;
		int o = engine_run(e, fn, c->img.len, engine_flags, hook, NULL, &out, fa, &er);
		/* Fields (past seq_count: granules 2..13) last read while odd. Past
		 * free_after the engine no longer sees loads: when the page was left
		 * odd there, assume the reader went on reading fields (judge.c). */
		res->call_odd_loads[k] = (uint8_t)__builtin_popcount(D.lastodd & ~3u);
		if (D.odd && D.top >= fa)
			res->call_odd_loads[k] = 255;
		D.base += D.top;
		res->events = D.base;
		res->ncalls = k + 1;
		res->statuses[k] = er.status;
		res->readings[k] = out;
		res->status = er.status;
		res->reading = out;
		switch (o) {
		case ENGINE_OK:
			/* The engine checks itself: no reading can come from this page
			 * without a load of seq_count, and a call that never ran free was
			 * trapped throughout. None means the loads went around the traps
			 * (e.g. the view made readable where the sandbox's filter is
			 * missing): the run could not be followed, never a pass. */
			if (!D.seqload && D.top <= fa && (er.status == VMCLOCK_IUT_OK || out.filled)) {
				res->outcome = SB_UNTRAPPABLE;
				snprintf(res->evidence, sizeof res->evidence,
				         "call %u returned a reading without a trapped load of seq_count (%u trapped events): its loads went around the engine",
				         k, D.top);
				return;
			}
			res->outcome = SB_RETURNED;
			continue;
		case ENGINE_WROTE:
			res->outcome = SB_WROTE_PAGE;
			snprintf(res->evidence, sizeof res->evidence, "stored to the page at offset %zu", er.write_offset);
			return;
		case ENGINE_EVENT_LIMIT:
			res->outcome = SB_HUNG;
			snprintf(res->evidence, sizeof res->evidence,
			         "kept loading from the page: over the engine's event limit (a spin on seq_count?)");
			return;
		case ENGINE_HANDLER_REPLACED:
			res->outcome = SB_UNTRAPPABLE;
			snprintf(res->evidence, sizeof res->evidence,
			         "the reader replaced or blocked the engine's signal handlers (%s); its loads cannot be trapped",
			         er.detail ? er.detail : "?");
			return;
		default:
			res->outcome = SB_UNTRAPPABLE;
			snprintf(res->evidence, sizeof res->evidence, "engine: %s (outcome %d, errno %d)",
			         er.detail ? er.detail : "cannot run the reader", o, er.err);
			return;
		}
	}
}
