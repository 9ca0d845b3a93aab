/* vmclock_iut.h - the contract between the vmclock-cts suite and a VMClock
 * reader implementation under test (IUT).
 *
 * A reader is a shared object that exports vmclock_iut_read() and, optionally,
 * vmclock_iut_info(). The suite maps a page read-only, calls the reader, and
 * judges the reading against the clauses of the VMClock spec.
 *
 * Stability: names, types and values below are frozen for contract version 1.
 * Anything added later bumps VMCLOCK_IUT_CONTRACT_VERSION; the suite refuses a
 * reader whose vmclock_iut_info() declares a different version.
 *
 * SPDX-License-Identifier: MIT */
#ifndef VMCLOCK_IUT_H
#define VMCLOCK_IUT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VMCLOCK_IUT_CONTRACT_VERSION 1
/* Additions that keep every version-1 reader building and judged as before
 * raise the minor number only (1.1: the separate status bits below). */
#define VMCLOCK_IUT_CONTRACT_MINOR 1

enum vmclock_iut_status {
	VMCLOCK_IUT_OK = 0,        /* reading holds a valid time */
	VMCLOCK_IUT_NO_TIME = 1,   /* page valid but offers no usable time (counter INVALID or not ours,
	                              time_type unusable, status UNRELIABLE), or the reader chooses not
	                              to serve it (a refusal: e.g. MONOTONIC or TAI pages, spec "How
	                              findings are charged" 1); other fields may be filled */
	VMCLOCK_IUT_INVALID = 2,   /* page rejected: magic, version, size */
	VMCLOCK_IUT_BUSY = 3,      /* no consistent snapshot within the reader's retry bound */
};

/* The CPU counter (x86 TSC, Arm virtual counter). The suite controls the
 * values it returns; a reader must take every counter reading through it
 * unless it declares VMCLOCK_IUT_CAP_RDTSC (see below). */
struct vmclock_iut_counter {
	uint64_t (*read)(void *ctx);
	void *ctx;
};

/* Bits of vmclock_iut_reading.filled: which parts of the reading are set. */
#define VMCLOCK_IUT_HAS_TIME       (1u << 0)  /* sec, nsec, counter (and time_type) */
#define VMCLOCK_IUT_HAS_ESTERROR   (1u << 1)
#define VMCLOCK_IUT_HAS_MAXERROR   (1u << 2)
#define VMCLOCK_IUT_HAS_DISRUPTION (1u << 3)
#define VMCLOCK_IUT_HAS_VMGEN      (1u << 4)
#define VMCLOCK_IUT_HAS_TAI_OFFSET (1u << 5)
#define VMCLOCK_IUT_HAS_STATUS     (1u << 6)  /* clock_status, leap_indicator and flags (all three) */
/* Contract 1.1: the three parts of HAS_STATUS on their own, for a reader that
 * passes on some of them (e.g. the clock status only). HAS_STATUS implies all
 * three. */
#define VMCLOCK_IUT_HAS_CLOCK_STATUS (1u << 7)
#define VMCLOCK_IUT_HAS_LEAP         (1u << 8)
#define VMCLOCK_IUT_HAS_FLAGS        (1u << 9)

struct vmclock_iut_reading {
	uint32_t filled;               /* VMCLOCK_IUT_HAS_* */
	uint8_t  time_type, clock_status, leap_indicator;
	uint64_t flags;
	uint64_t sec;                  /* in the page's time_type, not converted */
	uint32_t nsec;
	uint64_t counter;              /* the counter value the time is for */
	uint64_t esterror_ns, maxerror_ns;
	uint64_t disruption_marker, vm_generation_counter;
	int32_t  tai_offset_sec;
};

/* Read the page. page points at the start of the structure; len is how many
 * bytes of it are mapped (the region size). Returns enum vmclock_iut_status.
 * The reader must not write to the page. */
int vmclock_iut_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out);

/* Optional self-description. */
#define VMCLOCK_IUT_CAP_RDTSC   (1u << 0)  /* reads the x86 TSC itself with rdtsc/rdtscp
                                              instead of calling counter->read */

struct vmclock_iut_info {
	uint32_t contract_version;     /* VMCLOCK_IUT_CONTRACT_VERSION */
	const char *name;              /* e.g. "acme-clockd reader" */
	const char *version;           /* e.g. "2.1.0" */
	uint32_t provides;             /* VMCLOCK_IUT_HAS_* bits it can ever fill; clauses about
	                                  the others are NOT_SUPPORTED. 0 = let the suite probe. */
	uint32_t caps;                 /* VMCLOCK_IUT_CAP_* */
};

const struct vmclock_iut_info *vmclock_iut_info(void);

#ifdef __cplusplus
}
#endif
#endif
