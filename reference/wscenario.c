/* wscenario.c - scenarios and the simulated host for writers; see wscenario.h. */
#include "wscenario.h"

#include <string.h>
#include "abi.h"
#include "rng.h"
#include "timemath.h"

#define TICKS_PER_SEC 1000000000ull          /* the model's counter runs at ~1 GHz */
/* 2^(64+29) / 10^9: one ns per tick in the ABI's period unit (spec 1's example) */
#define PERIOD_1GHZ 0x89705F4136B4A597ull

static uint64_t rnd(struct wsc_host *h)
{
	struct vmclock_rng r = { h->rng };
	uint64_t v = vmclock_rng_next(&r);
	h->rng = r.s;
	return v;
}
static uint64_t below(struct wsc_host *h, uint64_t n) { return rnd(h) % n; }
static int64_t within(struct wsc_host *h, int64_t m) { return m ? (int64_t)below(h, 2 * (uint64_t)m + 1) - m : 0; }

static void redraw_errors(struct wsc_host *h)
{
	h->maxerr_ns = 1000 + below(h, 4001);
	h->esterr_ns = h->maxerr_ns / 3;
	h->rate_max = h->period / 10000000u;     /* 100 ppb of the period */
	h->rate_est = h->rate_max / 3;
	h->period_err = within(h, (int64_t)(h->rate_max / 4));
	h->est_err_ns = within(h, (int64_t)(h->maxerr_ns / 4));
}

void wsc_host_init(struct wsc_host *h, uint64_t seed, uint64_t counter)
{
	memset(h, 0, sizeof *h);
	h->rng = seed ^ 0x5ce4a710c0ffee11ull;
	h->c0 = counter;
	h->t0_sec = 1790000000ull + below(h, 10000000);   /* 2026 or so */
	h->t0_frac = rnd(h);
	/* a counter within 50 ppm of 1 GHz */
	h->period = PERIOD_1GHZ + (uint64_t)within(h, (int64_t)(PERIOD_1GHZ / 20000));
	h->tai = -37;
	h->status = VMCLOCK_STATUS_SYNCHRONIZED;
	redraw_errors(h);
}

/* Re-anchor the true line at raw counter c (time goes on). */
static void anchor(struct wsc_host *h, uint64_t c)
{
	struct vmclock_tm_time t = vmclock_tm_at(h->t0_sec, h->t0_frac, h->c0, h->period, WSC_SHIFT, c);
	h->c0 = c;
	h->t0_sec = t.sec;
	h->t0_frac = t.frac;
}

static void add_ns(uint64_t *sec, uint64_t *frac, int64_t ns)
{
	/* ns -> 2^-64 s: ns * 2^64 / 10^9, exact enough for a host's error */
	__extension__ unsigned __int128 m = (unsigned __int128)(ns < 0 ? -(uint64_t)ns : (uint64_t)ns);
	__extension__ unsigned __int128 v = (m << 64) / 1000000000u;
	__extension__ unsigned __int128 x = ((unsigned __int128)*sec << 64) | *frac;
	x = ns < 0 ? x - v : x + v;
	*sec = (uint64_t)(x >> 64);
	*frac = (uint64_t)x;
}

void wsc_host_event(struct wsc_host *h, uint32_t kind, uint64_t counter, struct vmclock_wut_event *ev)
{
	memset(ev, 0, sizeof *ev);
	switch (kind) {
	case VMCLOCK_WUT_TICK:
		h->est_err_ns = within(h, (int64_t)(h->maxerr_ns / 4));
		break;
	case VMCLOCK_WUT_CALIBRATE:
		h->period_err = within(h, (int64_t)(h->rate_max / 4));
		h->est_err_ns = within(h, (int64_t)(h->maxerr_ns / 4));
		break;
	case VMCLOCK_WUT_STEP: {
		/* the host finds its clock off: small (inside its max error) or
		 * large (microseconds to 50 ms), either way */
		int64_t s = below(h, 3) == 0 ? within(h, (int64_t)(h->maxerr_ns / 4))
		                             : (int64_t)(10000 + below(h, 50000000));
		if (below(h, 2))
			s = -s;
		h->hidden_ns += s;
		ev->step_ns = s;
		break;
	}
	case VMCLOCK_WUT_MIGRATE:
	case VMCLOCK_WUT_RESTORE:
	case VMCLOCK_WUT_CLONE:
		/* a new host: another counter rate within 50 ppm, new errors */
		anchor(h, counter);
		h->period = PERIOD_1GHZ + (uint64_t)within(h, (int64_t)(PERIOD_1GHZ / 20000));
		redraw_errors(h);
		break;
	case VMCLOCK_WUT_FREQ_CHANGE:
		anchor(h, counter);
		h->period = h->period + (uint64_t)within(h, (int64_t)(h->period / 100));   /* up to 1% */
		redraw_errors(h);
		break;
	case VMCLOCK_WUT_LEAP_AHEAD:
		ev->leap = 1;
		break;
	case VMCLOCK_WUT_LEAP_PASSED:
		/* a positive leap second: UTC repeats a second */
		anchor(h, counter);
		h->t0_sec -= 1;
		h->tai -= 1;
		break;
	default:
		break;
	}
	struct vmclock_tm_time t = vmclock_tm_at(h->t0_sec, h->t0_frac, h->c0, h->period, WSC_SHIFT, counter);
	ev->kind = kind;
	ev->index = h->index++;
	ev->counter = counter;
	ev->time_sec = t.sec;
	ev->time_frac = t.frac;
	add_ns(&ev->time_sec, &ev->time_frac, h->est_err_ns + h->hidden_ns);
	ev->time_esterror_ns = h->esterr_ns;
	ev->time_maxerror_ns = h->maxerr_ns;
	ev->period_frac = h->period + (uint64_t)h->period_err;
	ev->period_shift = WSC_SHIFT;
	ev->period_esterror = h->rate_est;
	ev->period_maxerror = h->rate_max;
	ev->clock_status = h->status;
	ev->tai_offset_sec = h->tai;
	ev->entropy = rnd(h);
}

/* ---- plans ------------------------------------------------------------------------- */

static const struct {
	const char *name, *what;
	const char *plan;   /* one letter per event, see letter_kind */
} scen[WSC_COUNT] = {
	[WSC_BOOT] = { "boot", "boot, 12 ticks, shutdown", "ITTTTTTTTTTTTX" },
	[WSC_CALIBRATION] = { "calibration", "ticks with 8 calibrations (drift)", "ITCTTCTCTTCTCTTCTCTCTX" },
	[WSC_STEP] = { "step", "host clock steps, small and large, both ways", "ITTSTTSTTSTTSTTSTTX" },
	[WSC_MIGRATION] = { "migration", "two live migrations (counter disrupted)", "ITTTMTTTMTTTX" },
	[WSC_RESTORE] = { "restore", "snapshot, migration, two restores of it, a clone", "ITTPTTMTTRTTTRTTCTTX" },
	[WSC_LEAP] = { "leap", "leap second announced, passed", "ITTLTTTTPTTTX" },
	[WSC_FREQ] = { "freq", "counter frequency changes", "ITTFTTTFTTX" },
	[WSC_RANDOM] = { "random", "300 random events (seeded)", NULL },
};

const char *wsc_name(int kind) { return kind >= 0 && kind < WSC_COUNT ? scen[kind].name : "?"; }
const char *wsc_describe(int kind) { return kind >= 0 && kind < WSC_COUNT ? scen[kind].what : "?"; }

int wsc_find(const char *name)
{
	for (int i = 0; i < WSC_COUNT; i++)
		if (!strcmp(scen[i].name, name))
			return i;
	return -1;
}

static uint32_t letter_kind(char c, int *snapshot_leap)
{
	switch (c) {
	case 'I': return VMCLOCK_WUT_INIT;
	case 'T': return VMCLOCK_WUT_TICK;
	case 'C': return VMCLOCK_WUT_CALIBRATE;
	case 'S': return VMCLOCK_WUT_STEP;
	case 'M': return VMCLOCK_WUT_MIGRATE;
	case 'R': return VMCLOCK_WUT_RESTORE;
	case 'K': return VMCLOCK_WUT_CLONE;
	case 'L': *snapshot_leap = 1; return VMCLOCK_WUT_LEAP_AHEAD;
	case 'P': if (*snapshot_leap) { *snapshot_leap = 0; return VMCLOCK_WUT_LEAP_PASSED; } return VMCLOCK_WUT_SNAPSHOT;
	case 'F': return VMCLOCK_WUT_FREQ_CHANGE;
	default: return VMCLOCK_WUT_SHUTDOWN;
	}
}

size_t wsc_plan(int kind, uint64_t seed, struct wsc_plan_item *out, size_t max)
{
	struct wsc_host h = { .rng = seed ^ 0x9a1e5c0de5eedull };
	size_t n = 0;
	if (kind < 0 || kind >= WSC_COUNT)
		return 0;
	if (scen[kind].plan) {
		int leap = 0;
		for (const char *p = scen[kind].plan; *p && n < max; p++) {
			/* "clone" shares the letter C with calibrate in no plan: K */
			uint32_t k = *p == 'C' && kind == WSC_RESTORE ? VMCLOCK_WUT_CLONE : letter_kind(*p, &leap);
			out[n].kind = k;
			out[n].advance = k == VMCLOCK_WUT_TICK ? TICKS_PER_SEC / 2 + below(&h, 3 * TICKS_PER_SEC / 2)
			                                       : below(&h, TICKS_PER_SEC / 2);
			n++;
		}
		return n;
	}
	/* random: INIT, 300 events drawn, SHUTDOWN. A restore or clone needs a
	 * snapshot first; a leap passes only after it was announced. */
	int have_snap = 0, leap = 0;
	out[n++] = (struct wsc_plan_item){ VMCLOCK_WUT_INIT, 0 };
	while (n < max - 1 && n < 301) {
		uint64_t d = below(&h, 100);
		uint32_t k;
		if (d < 55) k = VMCLOCK_WUT_TICK;
		else if (d < 67) k = VMCLOCK_WUT_CALIBRATE;
		else if (d < 74) k = VMCLOCK_WUT_STEP;
		else if (d < 78) k = VMCLOCK_WUT_MIGRATE;
		else if (d < 83) k = VMCLOCK_WUT_SNAPSHOT;
		else if (d < 87) k = have_snap ? VMCLOCK_WUT_RESTORE : VMCLOCK_WUT_SNAPSHOT;
		else if (d < 90) k = have_snap ? VMCLOCK_WUT_CLONE : VMCLOCK_WUT_TICK;
		else if (d < 95) k = leap ? VMCLOCK_WUT_LEAP_PASSED : VMCLOCK_WUT_LEAP_AHEAD;
		else k = VMCLOCK_WUT_FREQ_CHANGE;
		if (k == VMCLOCK_WUT_SNAPSHOT)
			have_snap = 1;
		if (k == VMCLOCK_WUT_LEAP_AHEAD)
			leap = 1;
		if (k == VMCLOCK_WUT_LEAP_PASSED)
			leap = 0;
		out[n].kind = k;
		out[n].advance = k == VMCLOCK_WUT_TICK ? TICKS_PER_SEC / 2 + below(&h, 3 * TICKS_PER_SEC / 2)
		                                       : below(&h, TICKS_PER_SEC / 2);
		n++;
	}
	out[n++] = (struct wsc_plan_item){ VMCLOCK_WUT_SHUTDOWN, below(&h, TICKS_PER_SEC) };
	return n;
}

size_t wsc_build(int kind, uint64_t seed, struct vmclock_wut_event *out, size_t max)
{
	struct wsc_plan_item plan[WSC_MAX_EVENTS];
	size_t n = wsc_plan(kind, seed, plan, max < WSC_MAX_EVENTS ? max : WSC_MAX_EVENTS);
	struct wsc_host h;
	struct vmclock_rng r = { seed ^ 0xc0417e5ull };
	uint64_t raw = (UINT64_C(1) << 36) + vmclock_rng_next(&r) % (UINT64_C(1) << 40);
	uint64_t off = 0;                 /* a new host's counter starts elsewhere */
	wsc_host_init(&h, seed, raw);
	for (size_t i = 0; i < n; i++) {
		raw += plan[i].advance;
		uint32_t k = plan[i].kind;
		int disrupt = k == VMCLOCK_WUT_MIGRATE || k == VMCLOCK_WUT_RESTORE || k == VMCLOCK_WUT_CLONE;
		uint64_t g_same = raw + off;
		if (disrupt)
			off = vmclock_rng_next(&r) % (UINT64_C(1) << 44);
		uint64_t g = raw + off;
		if (disrupt) {
			/* the host's line is in guest counter terms: the time goes on
			 * from the old counter's reading, on the new counter */
			struct vmclock_tm_time t = vmclock_tm_at(h.t0_sec, h.t0_frac, h.c0, h.period, WSC_SHIFT, g_same);
			h.c0 = g;
			h.t0_sec = t.sec;
			h.t0_frac = t.frac;
		}
		if (k == VMCLOCK_WUT_SNAPSHOT) {
			out[i] = (struct vmclock_wut_event){ .kind = k, .index = h.index++, .counter = g };
			continue;
		}
		wsc_host_event(&h, k, g, &out[i]);
	}
	return n;
}
