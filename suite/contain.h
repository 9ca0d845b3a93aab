/* contain.h - the walls around the untrusted reader.
 *
 * The reader under test may be buggy or dishonest (spec section 4: a crash,
 * hang or write to the page is a verdict). Every process that runs its code
 * (the sandbox's case children, the probe, the stress child) enters these
 * walls BEFORE the reader is loaded, so its constructor is inside them too:
 *
 *   - its own session and process group (it cannot signal ours, and the
 *     runner kills the whole group when a batch ends);
 *   - not dumpable, and as root an unprivileged uid with no capabilities
 *     (root's CAP_SYS_PTRACE would ignore "not dumpable"): no ptrace of,
 *     and no /proc/PID/mem access to, the runner;
 *   - no new privileges; limits on core size, file size, open files,
 *     processes, CPU time, and (without ASan) address space;
 *   - Landlock: no file anywhere can be written, created, renamed or
 *     removed (the user's files and the run's outputs are out of reach);
 *   - a seccomp filter (libseccomp) answering EPERM to what a reader never
 *     needs: new processes (threads are allowed), ptrace, process_vm_*,
 *     signals to other processes, pidfd_*, setsid/setpgid, raising limits,
 *     the prctl switches that undo the above, a handler for the signals the
 *     engine uses, io_uring (which bypasses seccomp), and any change to the
 *     mappings below CONTAIN_LOW_END (the page the reader is given lives
 *     there: see ENGINE_VIEW_ADDR) except by the suite's own tagged calls.
 *
 * What is missing on a host (no libseccomp at build, no Landlock in the
 * kernel) is said in the report's "containment:" line, never silently
 * dropped. The runner itself is a child subreaper and not dumpable.
 *
 * VMCLOCK_CTS_NO_WALLS=1 in the environment turns the walls off, to measure
 * what they cost (make bench); the report then says "containment: NONE". */
#ifndef VMCLOCK_CONTAIN_H
#define VMCLOCK_CONTAIN_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* Mappings below this address can only be changed by the suite (tagged
 * mprotect), never by the reader. */
#define CONTAIN_LOW_END 0x100000ul

/* Memory a reader may add to its child (address space), in MiB. */
#define CONTAIN_MEMORY_MB 1024

/* The runner, once at start: child subreaper (orphans of a reader come to
 * us, to be killed), not dumpable. */
void contain_runner_init(void);

/* Open the reader once: check it is an ELF shared object for this machine,
 * copy it into a sealed memfd, and hash that copy (sha256, hex) before any
 * of its code runs. Children load exactly that copy (contain_reader_path).
 * 0, or -1 with a one-line reason in err. */
int contain_reader_open(const char *path, char sha256_hex[65], char *err, size_t errlen);

/* "/proc/self/fd/N" of the sealed copy (valid in the runner and every
 * forked child); the original path when contain_reader_open was not called. */
const char *contain_reader_path(const char *fallback);

/* The sealed copy's descriptor (-1 before contain_reader_open), for a child
 * to keep open across contain_child_enter. */
int contain_reader_fd(void);

/* In a forked child, before the reader is loaded. keep[0..nkeep) are the
 * descriptors to keep beyond 0-2 (the result pipe); stdin and stdout
 * become /dev/null, stderr is left to the caller. Returns the tag the
 * child's own mprotect calls on the low mappings must carry (see
 * engine_set_protect_tag). */
uint64_t contain_child_enter(const int *keep, size_t nkeep);

/* After the reader is loaded: close every descriptor but 0-2 and keep[]
 * (one the constructor may have stashed, e.g. /proc/self/mem). */
void contain_child_loaded(const int *keep, size_t nkeep);

/* What contain_child_enter applied in this process, for the report:
 * e.g. "seccomp, landlock, session, non-dumpable, uid 65534, rlimits". */
const char *contain_child_describe(void);

/* CPU time (user + system) in ms of process pid, or of its thread tid
 * when tid is not 0; resident memory in MiB. 0 when unknown. */
uint64_t contain_cpu_ms(pid_t pid, pid_t tid);
uint64_t contain_rss_mb(pid_t pid);

/* After a batch: kill the child's process group (before reaping it), reap
 * it, then kill and reap every other process that was reparented to us. */
void contain_end(pid_t child, int *wstatus);

/* Ask a question behind the walls: in a forked child that entered them
 * (contain_child_enter), fn(buf, ctx) fills buf (zeroed first), which comes
 * back here. 0 when all len bytes came within 10 s; -1 when the child
 * crashed, hung or could not start (*wstatus: how it ended). The reader
 * probes (its constructors and info function run in there, not here). */
int contain_probe(void (*fn)(void *buf, void *ctx), void *ctx, void *buf, size_t len, int *wstatus);

#endif
