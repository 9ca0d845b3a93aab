/* finding.h - how every fuzz target reports a finding.
 *
 * A finding is one line naming the clause of VMCLOCK-SPEC.md section 2 it
 * breaks, then one replay line. The input is saved first, so the replay
 * line names a file that exists (spec: every finding carries a clause id
 * and a replay command that reproduces it). Then the process aborts, so
 * libFuzzer and AFL++ record it as a crash and the campaign keeps the
 * input too. */
#ifndef VMCLOCK_FUZZ_FINDING_H
#define VMCLOCK_FUZZ_FINDING_H

#include <stddef.h>
#include <stdint.h>

/* The input being run (set by each target at the top of
 * LLVMFuzzerTestOneInput): saved with a finding. */
void fz_set_input(const uint8_t *data, size_t size);

/* Set by the replay driver: the file being replayed, so the replay line
 * names it instead of a copy. */
void fz_set_input_path(const char *path);

/* Extra environment for the replay line (e.g. "VMCLOCK_FUZZ_READER=/x.so");
 * NULL for none. The string must outlive the process. */
void fz_set_replay_env(const char *env);

/* The marker every finding line starts with (the campaign greps it). */
#define FZ_MARK "VMCLOCK-FUZZ-FINDING"

/* Print "VMCLOCK-FUZZ-FINDING <clause> <target>: <evidence>" and the replay
 * line, save the input, abort(). With VMCLOCK_FUZZ_CONTINUE=1 (campaigns:
 * one finding must not end a fuzzing process) it returns instead, and
 * only the first input of a clause, or a smaller one later, is saved and
 * printed: a campaign gets each clause once, its inputs shrinking. */
void fz_finding(const char *target, const char *clause, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same two lines from a signal handler (no saving: the engine keeps
 * the crashing input itself; no abort: the caller chains to the engine's
 * handler). Uses only write(2). */
void fz_finding_signal(const char *target, const char *clause, const char *evidence);

#endif
