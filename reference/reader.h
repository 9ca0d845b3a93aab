/* reader.h - the reference VMClock reader, usable on its own.
 * Same inputs and outputs as the suite contract (vmclock_iut.h). */
#ifndef VMCLOCK_READER_H
#define VMCLOCK_READER_H

#include <stddef.h>
#include <stdint.h>
#include "vmclock_iut.h"

/* Retry budget: at most this many snapshot attempts, and at most
 * VMCLOCK_REF_TIMEOUT_NS of wall time (Linux gives up after 100 ms). */
#define VMCLOCK_REF_MAX_RETRIES  (1u << 20)
#define VMCLOCK_REF_TIMEOUT_NS   (100u * 1000u * 1000u)

/* Reads the page per the spec: header checks (magic, version, size against
 * len, fields present by size), seqcount loop (odd = retry, recheck after a
 * barrier), counter id and time type, status, flags, error bounds rounded up,
 * disruption marker, vm generation counter. Returns enum vmclock_iut_status. */
int vmclock_ref_read(const volatile void *page, size_t len,
                     const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out);

#endif
