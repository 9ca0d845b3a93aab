/* wmain.h - the parts of vmclock-wsuite besides judging. */
#ifndef VMCLOCK_WMAIN_H
#define VMCLOCK_WMAIN_H

#include <stdint.h>

/* The CPU counter the guest would read (x86: rdtsc), for samples and the
 * simulated hypervisor alike, so their counters compare. */
uint64_t wcounter_now(void);

/* trace record (wrecord.c): sample PATH read-only for duration_ms into a
 * SAMPLED trace at out. Exit status: 0, 2 (set-up error), 3 (PATH does not
 * exist: no VMClock device here). */
int wrecord(const char *path, const char *out, unsigned duration_ms);

/* The simulated hypervisor (wsimhv.c): run scenario scen of the writer on a
 * shared file (4096 bytes), pace_us between events. 0, or 2. */
int wsimulate(const char *writer, const char *page, int scen, uint64_t seed, unsigned pace_us);

#endif
