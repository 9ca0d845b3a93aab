/* wscenario.h - the scenario driver for writers under test: a simulated
 * host (a counter, the true time, the host's estimate of both with errors)
 * and the events a VM lives (vmclock_wut.h). Every value is drawn from a
 * seed, so a scenario is replayable from its name and seed.
 *
 * The host model keeps its promises: its estimate of the time is within a
 * quarter of the max error it states, its period estimate within a quarter
 * of the rate it states, so a writer that publishes what the host knows
 * keeps W-ERR-BOUNDS across ticks and calibrations 20 s apart or closer.
 * Frequency changes, migrations, restores and clones disrupt the counter
 * relation (a correct writer changes disruption_marker); a step corrects a
 * hidden error of the host clock by step_ns; a passed positive leap second
 * moves UTC back by 1 s and tai_offset_sec from -37 to -38. */
#ifndef VMCLOCK_WSCENARIO_H
#define VMCLOCK_WSCENARIO_H

#include <stddef.h>
#include <stdint.h>
#include "vmclock_wut.h"

enum wsc_kind {
	WSC_BOOT, WSC_CALIBRATION, WSC_STEP, WSC_MIGRATION, WSC_RESTORE, WSC_LEAP, WSC_FREQ, WSC_RANDOM,
	WSC_COUNT
};

/* "boot", "calibration", ... ("random": seeded, the others fixed). */
const char *wsc_name(int kind);
int wsc_find(const char *name);                 /* -1 when unknown */
const char *wsc_describe(int kind);

/* The events of scenario `kind` with seed `seed` (random draws: the host's
 * errors, tick lengths, markers' entropy; "random" also the event order).
 * VMCLOCK_WUT_SNAPSHOT entries are for the driver (copy the page), not the
 * writer; RESTORE and CLONE mean "put the last snapshot's page back, then
 * tell the writer". Returns the number of events (<= max). */
size_t wsc_build(int kind, uint64_t seed, struct vmclock_wut_event *out, size_t max);
#define WSC_MAX_EVENTS 600

/* The same, in two halves, for live runs (the simulated hypervisor reads
 * its counter from the CPU at each event instead of the virtual one):
 * the plan (event kinds, and the counter ticks to let pass before each),
 * then the host model, which turns (kind, counter) into an event. */
struct wsc_plan_item { uint32_t kind; uint64_t advance; };
size_t wsc_plan(int kind, uint64_t seed, struct wsc_plan_item *out, size_t max);

struct wsc_host {
	uint64_t rng;                       /* splitmix state */
	uint32_t index;
	/* the true time line: UTC at counter c0, period (shift 29: ~1 ns/tick) */
	uint64_t c0, t0_sec, t0_frac, period;
	/* the host's estimate: time error now (ns, signed), period error */
	int64_t est_err_ns, period_err;
	int64_t hidden_ns;                  /* an error the host does not know of, until a step */
	uint64_t maxerr_ns, esterr_ns, rate_max, rate_est;
	int16_t tai;                        /* UTC - TAI */
	uint8_t status;
};
#define WSC_SHIFT 29
void wsc_host_init(struct wsc_host *h, uint64_t seed, uint64_t counter);
void wsc_host_event(struct wsc_host *h, uint32_t kind, uint64_t counter, struct vmclock_wut_event *ev);

#endif
