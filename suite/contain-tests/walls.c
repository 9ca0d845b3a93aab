/* walls.c - every wall of suite/contain.c, tried from inside.
 *
 * The runner side calls contain_runner_init; a forked child enters the
 * walls exactly as a sandbox child does (engine first, then
 * contain_child_enter) and tries, one by one, what a hostile reader would:
 * each attempt must be refused with the expected errno, and what a reader
 * legitimately needs (a thread, reading a file, its own signals) must still
 * work. Prints one line per attempt; exits 0 only if every line is "ok".
 * Built and run by harness/tests/walls.bats (under ASan+UBSan). Where a
 * wall is missing on the host (no seccomp, no Landlock) the attempts it
 * guards are reported as "skip", never as passed. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <unistd.h>
#include "contain.h"
#include "engine/trap.h"

static int failures;
static const char *walls;

/* want: the errno expected; 0 = must succeed. needs: the wall it relies on. */
static void expect(const char *what, long rc, int want, const char *needs)
{
	int e = rc < 0 ? errno : 0;
	if (needs && !strstr(walls, needs)) {
		fprintf(stderr, "skip %-40s (no %s here)\n", what, needs);
		return;
	}
	int ok = want ? rc < 0 && e == want : rc >= 0;
	fprintf(stderr, "%s %-40s rc %ld errno %d (%s)\n", ok ? "ok  " : "FAIL", what, rc, e, e ? strerror(e) : "-");
	failures += !ok;
}

static void *thread_main(void *arg)
{
	return arg;
}

static void handler(int sig)
{
	(void)sig;
}

static int child(const char *scratch)
{
	struct engine *e = engine_create();
	if (!e || !engine_page(e, 104)) {
		perror("engine");
		return 2;
	}
	const int keep[] = { 2 };
	engine_set_protect_tag(e, contain_child_enter(keep, 1));
	walls = contain_child_describe();
	fprintf(stderr, "walls: %s\n", walls);
	pid_t pp = getppid();
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/mem", (int)pp);

	/* the runner: not reachable */
	expect("ptrace(ATTACH, runner)", ptrace(PTRACE_ATTACH, pp, 0, 0), EPERM, NULL);
	expect("open(/proc/runner/mem, O_RDWR)", open(path, O_RDWR), EACCES, NULL);
	char b;
	struct iovec l = { &b, 1 }, r = { (void *)&walls, 1 };
	expect("process_vm_readv(runner)", process_vm_readv(pp, &l, 1, &r, 1, 0), EPERM, "seccomp");
	expect("kill(runner, SIGSTOP)", kill(pp, SIGSTOP), EPERM, "seccomp");
	expect("kill(0, SIGTERM)", kill(0, SIGTERM), EPERM, "seccomp");
	expect("kill(-1, SIGTERM)", kill(-1, SIGTERM), EPERM, "seccomp");
	/* no new processes, sessions, programs or limits */
	expect("fork()", fork(), EPERM, "seccomp");
	expect("vfork-like clone(SIGCHLD)", syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0), EPERM, "seccomp");
	expect("execve(/bin/true)", execl("/bin/true", "true", (char *)NULL), EPERM, "seccomp");
	expect("setsid()", setsid(), EPERM, NULL);
	expect("setpgid(0, 0)", setpgid(0, 0), EPERM, "seccomp");
	struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };
	expect("setrlimit(CPU, infinity)", setrlimit(RLIMIT_CPU, &rl), EPERM, NULL);
	expect("prctl(PR_SET_DUMPABLE, 1)", prctl(PR_SET_DUMPABLE, 1), EPERM, "seccomp");
	expect("prctl(PR_SET_PDEATHSIG, 0)", prctl(PR_SET_PDEATHSIG, 0), EPERM, "seccomp");
	expect("io_uring_setup", syscall(SYS_io_uring_setup, 1, NULL), ENOSYS, "seccomp");
	/* the engine's signals stay the engine's */
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = handler;
	expect("sigaction(SIGSEGV, handler)", sigaction(SIGSEGV, &sa, NULL), EPERM, "seccomp");
	expect("sigaction(SIGTRAP, handler)", sigaction(SIGTRAP, &sa, NULL), EPERM, "seccomp");
	expect("sigaction(SIGUSR1, handler) (allowed)", sigaction(SIGUSR1, &sa, NULL), 0, NULL);
	/* the page view: no protection change, no remapping */
	void *view = (void *)((uintptr_t)engine_reader_view(e) & ~4095ul);
	expect("view at its fixed low address", (uintptr_t)view < CONTAIN_LOW_END ? 0 : -1, 0, NULL);
	expect("mprotect(view, READ)", mprotect(view, 4096, PROT_READ), EPERM, "seccomp");
	expect("mprotect(below view .. view, READ)", mprotect((void *)0x1000, (uintptr_t)view, PROT_READ), EPERM, "seccomp");
	expect("munmap(view)", munmap(view, 4096), EPERM, "seccomp");
	expect("mmap(FIXED over view)", (long)mmap(view, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0),
	       EPERM, "seccomp");
	expect("mmap(hint below 1 MiB)", (long)mmap((void *)0x20000, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0),
	       EPERM, "seccomp");
	engine_set_readable(e, 1);   /* the suite itself still can */
	expect("suite's own tagged mprotect works", *(volatile const uint8_t *)engine_reader_view(e) == 0 ? 0 : -1, 0, NULL);
	engine_set_readable(e, 0);
	/* no file can be written, created or removed */
	char f[512];
	snprintf(f, sizeof f, "%s/victim", scratch);
	expect("open(victim, O_WRONLY)", open(f, O_WRONLY), EACCES, "landlock");
	expect("unlink(victim)", unlink(f), EACCES, "landlock");
	snprintf(f, sizeof f, "%s/new", scratch);
	expect("open(new, O_CREAT)", open(f, O_CREAT | O_WRONLY, 0644), EACCES, "landlock");
	expect("mkdir(new)", mkdir(f, 0755), EACCES, "landlock");
	/* what a reader may do */
	pthread_t t;
	expect("pthread_create (allowed)", -pthread_create(&t, NULL, thread_main, NULL), 0, NULL);
	pthread_join(t, NULL);
	expect("open(/etc/hostname, O_RDONLY) (allowed)", open("/etc/hostname", O_RDONLY), 0, NULL);
	expect("kill(self, 0) (allowed)", kill(getpid(), 0), 0, NULL);
	return failures ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: walls SCRATCH-DIR (holding a file named victim)\n");
		return 2;
	}
	contain_runner_init();
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0)
		_exit(child(argv[1]));
	int ws = 0;
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (!WIFEXITED(ws)) {
		fprintf(stderr, "walls: the child died (status 0x%x)\n", ws);
		return 1;
	}
	return WEXITSTATUS(ws);
}
