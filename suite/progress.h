/* progress.h - one status line on a terminal while the reader runs.
 *
 * A slow reader keeps a clause busy for seconds; without a sign of life a
 * user takes the suite for hung. While cases run, one line on stderr says
 * which clause, how many of its cases or schedules are done, the rate and
 * the time left, redrawn in place with \r (no escape codes: it works on any
 * terminal, and a log that catches it by mistake holds no control codes but
 * \r). Drawn only when stderr is a terminal and the runner asked for it
 * (not --quiet, not --tap); at most 10 times a second.
 *
 * The one place that reports is sb_run (sandbox.c), where every case's
 * result arrives; the runner turns it on and clears the line before it
 * prints anything else. One process draws: a child never calls these. */
#ifndef VMCLOCK_PROGRESS_H
#define VMCLOCK_PROGRESS_H

#include <stddef.h>
#include "case.h"

/* on: the run wants a status line; it is drawn only if fd 2 is a terminal. */
void progress_setup(int on);
/* What the next batches are, when it is not a clause's cases (NULL: the
 * clause of the cases, as sb_run hands them). */
void progress_label(const char *what);
/* A batch of n cases begins (sb_run). */
void progress_begin(const struct sc_case *cases, size_t n);
/* done of the batch's cases have a result. Cheap when nothing is due. */
void progress_step(size_t done);
/* Erase the line, if one is shown, so that the next output starts on a
 * clean line. Async-signal-safe (the interrupt handler calls it). */
void progress_clear(void);

/* -j N (parallel.c). The runner, before it starts n helpers: memory they
 * share with it. A helper, first thing: it draws nothing and publishes its
 * batches in slot i instead. The runner, while it waits: one line for every
 * helper busy with a clause, in slot order; when helper i has ended, its
 * part goes. Without a terminal these do nothing (progress_helpers returns
 * 0: the runner may then wait without waking up to draw). */
void progress_share(size_t n);
void progress_helper(size_t i);
int progress_helpers(void);
void progress_helper_done(size_t i);
void progress_unshare(void);

#endif
