/* wrun.h - running a writer under test: one contained child per scenario.
 *
 * The child enters the same walls as a reader's (suite/contain.c) before the
 * writer is loaded, maps the write-trapped page (wtrap.h), and drives the
 * scenario (reference/wscenario.h): an EVENT record before each event, one
 * IMAGE record per store, the suite's own restore of a snapshot as a SUITE
 * image, END at the end. The trace streams down a pipe; the runner reads
 * it with a time limit (the writer's CPU time, and ten times that in wall
 * time), parses it with the same parser as `trace check` (a child that
 * sends anything else is reported, never trusted), and judges it. */
#ifndef VMCLOCK_WRUN_H
#define VMCLOCK_WRUN_H

#include <stddef.h>
#include <stdint.h>
#include "vmclock_wut.h"

#define WRUN_REGION 4096            /* the page the writer owns */

struct wrun_info {
	int has_info;
	struct vmclock_wut_info info;
	char name[96], version[48];
	char contained[200];            /* the walls that stood in the probe child */
};

/* Load the writer in a contained child: 0, or 2 with a one-line reason. */
int wrun_probe(const char *path, struct wrun_info *out, char *err, size_t errlen);

/* Run scenario `scen` with seed `seed`; *buf (malloc'd, *len bytes) gets the
 * trace, always complete: when the child crashed, hung or died the runner
 * appends the END record. *stores: trapped stores. 0, or -1 when the suite
 * itself failed (fork, pipe). */
int wrun_scenario(const char *path, int scen, uint64_t seed, unsigned timeout_ms, uint8_t **buf, size_t *len);

#endif
