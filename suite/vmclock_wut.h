/* vmclock_wut.h - the contract between the vmclock-cts suite and a VMClock
 * WRITER under test (WUT): the hypervisor or host-daemon code that owns the
 * page and keeps it up to date (spec section 2, the W-... clauses).
 *
 * A writer is a shared object that exports vmclock_wut_event() and,
 * optionally, vmclock_wut_info(). The suite hands it the page (a zeroed
 * mapping of `len` bytes, the region size) and sends it scenario events:
 * boot, host time ticks, calibrations, steps, live migration, snapshot
 * restore, clone, leap seconds, counter frequency changes, shutdown. The
 * writer updates the page as it would in its hypervisor. Every store it
 * makes to the page is trapped and recorded (the trace), and the W-...
 * clauses are judged on that trace.
 *
 * Stability: names, types and values below are frozen for contract version 1
 * (the same rule as vmclock_iut.h): anything added later bumps
 * VMCLOCK_WUT_CONTRACT_VERSION; additions that keep every version-1 writer
 * building and judged as before raise the minor number only. The suite
 * refuses a writer whose vmclock_wut_info() declares another version.
 *
 * SPDX-License-Identifier: MIT */
#ifndef VMCLOCK_WUT_H
#define VMCLOCK_WUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMCLOCK_WUT_CONTRACT_VERSION 1
#define VMCLOCK_WUT_CONTRACT_MINOR 0

/* Scenario events, in the order a VM lives them. Values are frozen (they
 * are also the event markers of the trace format, suite/writers/TRACE.md). */
enum vmclock_wut_kind {
	VMCLOCK_WUT_INIT = 1,        /* boot: publish the header and a first state */
	VMCLOCK_WUT_TICK = 2,        /* host time advanced: refresh the time fields */
	VMCLOCK_WUT_CALIBRATE = 3,   /* new frequency estimate and error (period fields) */
	VMCLOCK_WUT_STEP = 4,        /* the host clock was stepped by step_ns */
	VMCLOCK_WUT_MIGRATE = 5,     /* live migration: new host, the counter is disrupted */
	VMCLOCK_WUT_RESTORE = 6,     /* snapshot restore: the suite has put the snapshot's page back */
	VMCLOCK_WUT_CLONE = 7,       /* this VM is a clone of a snapshot (another copy runs) */
	VMCLOCK_WUT_LEAP_AHEAD = 8,  /* a leap second at the end of this month (leap = +1 or -1) */
	VMCLOCK_WUT_LEAP_PASSED = 9, /* the leap second happened (tai_offset changed) */
	VMCLOCK_WUT_FREQ_CHANGE = 10,/* the counter's frequency changed (new period) */
	VMCLOCK_WUT_SHUTDOWN = 11,   /* the VM stops: leave the page consistent */
	/* Trace-only markers (never sent to a writer): */
	VMCLOCK_WUT_SNAPSHOT = 12,   /* the suite took a snapshot of the page */
};
#define VMCLOCK_WUT_KIND_MAX 12

/* What the host knows when an event happens. Every value comes from the
 * suite's seeded scenario driver, so a run is replayable. */
struct vmclock_wut_event {
	uint32_t kind;                 /* enum vmclock_wut_kind */
	uint32_t index;                /* 0, 1, 2 ... within the run */
	uint64_t counter;              /* the guest-visible counter now (TSC / CNTVCT) */
	/* The host's best estimate of the time at `counter` (UTC, since 1970),
	 * in seconds and 2^-64 s, and its errors. Not the true time: a writer
	 * publishes what the host knows. */
	uint64_t time_sec, time_frac;
	uint64_t time_esterror_ns, time_maxerror_ns;
	/* The host's estimate of the counter period: period_frac / 2^(64+shift)
	 * seconds per tick, and its error rates in the same unit. */
	uint64_t period_frac;
	uint8_t  period_shift;
	uint8_t  clock_status;         /* VMCLOCK_STATUS_* the host's clock is in */
	int16_t  tai_offset_sec;       /* UTC - TAI, e.g. -37 */
	int8_t   leap;                 /* LEAP_AHEAD: +1 or -1; 0 otherwise */
	uint8_t  reserved[3];
	uint64_t period_esterror, period_maxerror;
	int64_t  step_ns;              /* STEP: how far the host clock jumped (signed) */
	uint64_t entropy;              /* 64 random bits from the run's seed, fresh per event:
	                                  for writers that draw markers (never use rand()) */
};

/* React to one event. page/len: the region the writer owns (len bytes are
 * mapped; the structure starts at page). Returns 0, or a negative value when
 * the writer could not handle the event (reported as evidence). The writer
 * must only write the page from this function, on the calling thread. */
int vmclock_wut_event(volatile void *page, size_t len, const struct vmclock_wut_event *ev);

/* What a writer publishes (vmclock_wut_info.publishes). Clauses about what a
 * writer never publishes are NOT_SUPPORTED, never FAIL. */
#define VMCLOCK_WUT_PUB_TIME      (1u << 0)  /* a counter relation and time fields */
#define VMCLOCK_WUT_PUB_ERRORS    (1u << 1)  /* error bounds (esterror / maxerror flags) */
#define VMCLOCK_WUT_PUB_MONOTONIC (1u << 2)  /* VMCLOCK_FLAG_TIME_MONOTONIC */
#define VMCLOCK_WUT_PUB_VMGEN     (1u << 3)  /* VM_GEN_COUNTER_PRESENT and vm_generation_counter */
#define VMCLOCK_WUT_PUB_TAI       (1u << 4)  /* TAI_OFFSET_VALID and tai_offset_sec */
#define VMCLOCK_WUT_PUB_NOTIFY    (1u << 5)  /* NOTIFICATION_PRESENT */
#define VMCLOCK_WUT_PUB_MARKER    (1u << 6)  /* a disruption_marker that changes */

struct vmclock_wut_info {
	uint32_t contract_version;     /* VMCLOCK_WUT_CONTRACT_VERSION */
	const char *name;              /* e.g. "acme-vmm vmclock device" */
	const char *version;           /* e.g. "8.2.0" */
	uint32_t publishes;            /* VMCLOCK_WUT_PUB_* bits; 0 = let the suite infer them from the trace */
	uint32_t caps;                 /* none defined yet: 0 */
};

/* Optional self-description. */
const struct vmclock_wut_info *vmclock_wut_info(void);

#ifdef __cplusplus
}
#endif
#endif
