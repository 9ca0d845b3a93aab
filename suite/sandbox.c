/* sandbox.c - the reader runs in a child process; see sandbox.h. */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "sandbox.h"
#include "schedule.h"

#if defined(__SANITIZE_ADDRESS__)
#define SB_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define SB_ASAN 1
#endif
#endif

typedef int (*read_fn)(const volatile void *, size_t, const struct vmclock_iut_counter *,
                       struct vmclock_iut_reading *);
typedef const struct vmclock_iut_info *(*info_fn)(void);

/* ---- messages from child to parent (each < PIPE_BUF: one atomic write) ---- */
enum { MSG_START, MSG_DONE, MSG_FAULT };
struct msg {
	int type;
	unsigned idx;
	struct sb_result r;     /* MSG_DONE; MSG_FAULT: evidence only */
};
_Static_assert(sizeof(struct msg) <= 4096, "one atomic pipe write");

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

size_t sb_page_offset(size_t len)
{
	/* Round up to 8 so every field stays naturally aligned; the gap (when
	 * len is not a multiple of 8) is never used by the suite's cases. */
	size_t l8 = (len + 7) & ~(size_t)7;
	return (size_t)VMCLOCK_PAGE_SIZE - l8;
}

/* ---- child side ---- */

static int c_fd = -1;                 /* pipe to the parent */
static uint8_t *c_map;                /* page + guard page */
static const uint8_t *c_page;         /* the structure */
static size_t c_len;
static unsigned c_idx;
static struct sb_result c_res;        /* being filled for case c_idx */
static uint64_t c_counter_next, c_counter_step;
static const struct sc_case *c_case;

static uint64_t child_counter(void *ctx)
{
	(void)ctx;
	uint64_t v = c_res.ncounters < c_case->nscript ? c_case->script[c_res.ncounters] : c_counter_next;
	if (c_res.ncounters >= c_case->nscript)
		c_counter_next += c_counter_step;
	if (c_res.ncounters < SB_MAX_COUNTERS)
		c_res.counters[c_res.ncounters] = v;
	c_res.ncounters++;
	return v;
}

static void put_num(char **p, char *end, const char *s, unsigned long long v, int hex)
{
	char tmp[24];
	int n = 0;
	while (*s && *p < end)
		*(*p)++ = *s++;
	do {
		tmp[n++] = (char)(hex ? "0123456789abcdef"[v % 16] : (char)('0' + v % 10));
		v /= hex ? 16 : 10;
	} while (v && n < 24);
	if (hex && *p + 2 < end) {
		*(*p)++ = '0';
		*(*p)++ = 'x';
	}
	while (n && *p < end)
		*(*p)++ = tmp[--n];
}

/* Async-signal-safe: say what went wrong, then let the signal kill us. */
static void child_fault(int sig, siginfo_t *si, void *uc_)
{
	static struct msg m;
	(void)uc_;
	m.type = MSG_FAULT;
	m.idx = c_idx;
	char *p = m.r.evidence, *end = m.r.evidence + sizeof m.r.evidence - 1;
	const char *what = sig == SIGSEGV ? "SIGSEGV" : sig == SIGBUS ? "SIGBUS" : sig == SIGFPE ? "SIGFPE"
	                 : sig == SIGILL ? "SIGILL" : sig == SIGABRT ? "SIGABRT (abort)" : "signal";
	put_num(&p, end, what, (unsigned long long)sig, 0);
	if (sig == SIGSEGV || sig == SIGBUS) {
		uintptr_t a = (uintptr_t)si->si_addr, pg = (uintptr_t)c_page;
		int write = 0;
#if defined(__x86_64__)
		ucontext_t *uc = uc_;
		write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
#endif
		if (a >= pg && a < pg + c_len)
			put_num(&p, end, write ? " writing the page at offset " : " at page offset ",
			        (unsigned long long)(a - pg), 0);
		else if (a >= pg + c_len && a < (uintptr_t)c_map + 2 * VMCLOCK_PAGE_SIZE)
			put_num(&p, end, " reading past the mapping: offset ", (unsigned long long)(a - pg), 0);
		else
			put_num(&p, end, " at address ", (unsigned long long)a, 1);
		if (a >= pg + c_len && a < (uintptr_t)c_map + 2 * VMCLOCK_PAGE_SIZE)
			put_num(&p, end, ", mapping is ", (unsigned long long)c_len, 0);
	}
	*p = 0;
	if (write(c_fd, &m, sizeof m) < 0) {
		/* nothing to do: the parent still sees the signal */
	}
	signal(sig, SIG_DFL);
	if (sig == SIGABRT)
		raise(sig);
	/* Other signals: returning re-executes the faulting instruction. */
}

static void child_setup(int fd)
{
	c_fd = fd;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	/* The reader's output would garble ours; its stderr (sanitizer
	 * reports) goes to the file the parent gave us as fd 2. */
	int dn = open("/dev/null", O_RDWR);
	if (dn >= 0) {
		dup2(dn, 0);
		dup2(dn, 1);
		close(dn);
	}
	struct rlimit rl = { 0, 0 };
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = rl.rlim_max = 64u << 20;
	setrlimit(RLIMIT_FSIZE, &rl);
#ifndef SB_ASAN
	rl.rlim_cur = rl.rlim_max = (rlim_t)4 << 30;  /* ASan reserves terabytes of address space */
	setrlimit(RLIMIT_AS, &rl);
#endif
	static uint8_t altstack[64 * 1024];
	stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
	sigaltstack(&ss, NULL);
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = child_fault;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
	const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		sigaction(sigs[i], &sa, NULL);
	c_map = mmap(NULL, 2 * VMCLOCK_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (c_map == MAP_FAILED)
		_exit(3);
}

static void *child_open(const char *path, read_fn *rd)
{
	void *dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!dl)
		return NULL;
	*rd = (read_fn)(uintptr_t)dlsym(dl, "vmclock_iut_read");
	return dl;
}

static void send(const struct msg *m)
{
	if (write(c_fd, m, sizeof *m) != (ssize_t)sizeof *m)
		_exit(4);
}

static unsigned sb_skip_kinds;   /* kinds of cases not to run (sb_run; the child reads it) */

static void child_run(const struct sb_config *cfg, const struct sc_case *cases, size_t from, size_t n)
{
	read_fn rd = NULL;
	if (!child_open(cfg->reader, &rd) || !rd)
		_exit(5);
	static struct msg m;
	static struct engine *eng;
	for (size_t i = from; i < n; i++) {
		const struct sc_case *c = &cases[i];
		if (sb_skip_kinds & (1u << c->kind)) {
			m.type = MSG_DONE;
			m.idx = (unsigned)i;
			memset(&m.r, 0, sizeof m.r);
			m.r.outcome = SB_NOT_RUN;
			snprintf(m.r.evidence, sizeof m.r.evidence, "not run: the reader hung in cases of this kind before");
			send(&m);
			continue;
		}
		if (c->dyn.ncalls || cfg->rdtsc) {
			/* Under the interleaving engine: writer steps between the
			 * reader's loads, or the TSC emulated for an rdtsc reader. */
			if (!eng && !(eng = engine_create()))
				_exit(6);
			c_idx = (unsigned)i;
			c_len = c->img.len;
			c_page = (const uint8_t *)engine_reader_view(eng);
			m.type = MSG_START;
			m.idx = c_idx;
			send(&m);
			memset(&m.r, 0, sizeof m.r);
			uint64_t t0 = now_ns();
			sched_run(eng, rd, cfg->rdtsc, c, &m.r);
			m.r.elapsed_ns = now_ns() - t0;
			m.type = MSG_DONE;
			send(&m);
			continue;
		}
		c_idx = (unsigned)i;
		c_len = c->img.len;
		mprotect(c_map, VMCLOCK_PAGE_SIZE, PROT_READ | PROT_WRITE);
		memset(c_map, 0, VMCLOCK_PAGE_SIZE);
		c_page = c_map + sb_page_offset(c_len);
		memcpy((void *)c_page, c->img.bytes, c_len);
		mprotect(c_map, VMCLOCK_PAGE_SIZE, PROT_READ);
		memset(&c_res, 0, sizeof c_res);
		c_counter_next = c->counter_start;
		c_counter_step = c->counter_step;
		c_case = c;

		m.type = MSG_START;
		m.idx = c_idx;
		send(&m);

		struct vmclock_iut_counter ctr = { child_counter, NULL };
		struct vmclock_iut_reading out;
		memset(&out, 0, sizeof out);
		uint64_t t0 = now_ns();
		int st = rd(c_page, c_len, &ctr, &out);
		c_res.elapsed_ns = now_ns() - t0;
		c_res.status = st;
		c_res.reading = out;
		c_res.outcome = memcmp(c_page, c->img.bytes, c_len) ? SB_WROTE_PAGE : SB_RETURNED;
		if (c_res.outcome == SB_WROTE_PAGE)
			snprintf(c_res.evidence, sizeof c_res.evidence,
			         "the page bytes changed during the read (mprotect bypassed)");
		m.type = MSG_DONE;
		m.r = c_res;
		send(&m);
	}
	_exit(0);
}

/* ---- parent side ---- */

static void sanitizer_line(FILE *err, char *out, size_t outlen)
{
	char line[512];
	if (!err)
		return;
	rewind(err);
	while (fgets(line, sizeof line, err))
		if (strstr(line, "ERROR: AddressSanitizer") || strstr(line, "runtime error:") ||
		    strstr(line, "ERROR: LeakSanitizer") || strstr(line, "SUMMARY:")) {
			line[strcspn(line, "\n")] = 0;
			size_t l = strlen(out);
			snprintf(out + l, outlen - l, "; %s", line);
			return;
		}
}

static int read_full(int fd, void *buf, size_t n, int timeout_ms)
{
	size_t got = 0;
	uint64_t deadline = now_ns() + (uint64_t)timeout_ms * 1000000u;
	while (got < n) {
		uint64_t now = now_ns();
		if (now >= deadline)
			return -2;
		struct pollfd p = { fd, POLLIN, 0 };
		int r = poll(&p, 1, (int)((deadline - now) / 1000000u) + 1);
		if (r < 0 && errno == EINTR)
			continue;
		if (r == 0)
			return -2;
		ssize_t k = read(fd, (char *)buf + got, n - got);
		if (k == 0)
			return -1;
		if (k < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)k;
	}
	return 0;
}

static void describe_exit(int ws, struct sb_result *r)
{
	if (WIFSIGNALED(ws)) {
		r->outcome = SB_CRASHED;
		if (!r->evidence[0])
			snprintf(r->evidence, sizeof r->evidence, "killed by signal %d (%s)", WTERMSIG(ws),
			         strsignal(WTERMSIG(ws)));
	} else {
		r->outcome = SB_EXITED;
		snprintf(r->evidence + strlen(r->evidence), sizeof r->evidence - strlen(r->evidence),
		         "%sthe reader ended the process (exit status %d)", r->evidence[0] ? "; " : "",
		         WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
	}
}

/* CPU time (user + system) the process has used, in ms; 0 when unknown. */
static uint64_t proc_cpu_ms(pid_t pid)
{
	char path[64], buf[1024];
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = 0;
	const char *p = strrchr(buf, ')');   /* the command name may hold spaces */
	unsigned long long ut = 0, st = 0;
	if (!p || sscanf(p + 1, " %*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut, &st) != 2)
		return 0;
	long hz = sysconf(_SC_CLK_TCK);
	return (ut + st) * 1000u / (uint64_t)(hz > 0 ? hz : 100);
}

/* Spec rule 6: a case that does not return is rerun once, in a new child;
 * only a second time makes it a hang. "Does not return" is measured in the
 * child's CPU time, so a busy machine does not turn a slow reader into a
 * hung one; a reader that blocks without using the CPU is given ten times
 * the timeout of wall time. After SB_GIVE_UP_HUNG hangs in cases of one
 * kind (SC_KIND_*), the rest of that kind is not run; other kinds are. A
 * reader that crashes in case after case (it blocks SIGSEGV, or replaces
 * the engine's handler) costs a fork per case: after SB_GIVE_UP_CRASHED
 * crashes in a row the rest of the list is not run. */
#define SB_GIVE_UP_HUNG    3
#define SB_GIVE_UP_CRASHED 20
#define SB_WALL_FACTOR     10



static void not_run(struct sb_result *r, const char *why)
{
	memset(r, 0, sizeof *r);
	r->outcome = SB_NOT_RUN;
	snprintf(r->evidence, sizeof r->evidence, "not run: %s", why);
}

int sb_run(const struct sb_config *cfg, const struct sc_case *cases, size_t n, struct sb_result *res)
{
	size_t next = 0;
	unsigned hangs[SC_KIND_COUNT] = { 0 }, crashed = 0;
	long retry = -1;                    /* case being rerun after a first hang */
	static struct msg m;
	sb_skip_kinds = 0;
	while (next < n) {
		if (crashed >= SB_GIVE_UP_CRASHED) {
			for (size_t i = next; i < n; i++)
				not_run(&res[i], "the reader crashed in the cases before");
			return 0;
		}
		int p[2];
		if (pipe(p) < 0)
			return -1;
		FILE *err = tmpfile();
		fflush(stdout);
		fflush(stderr);
		pid_t pid = fork();
		if (pid < 0)
			return -1;
		if (pid == 0) {
			close(p[0]);
			if (err)
				dup2(fileno(err), 2);
			child_setup(p[1]);
			child_run(cfg, cases, next, n);
		}
		close(p[1]);
		long cur = -1;      /* case started, not finished */
		uint64_t cur_t0 = 0, cur_cpu0 = 0;
		int ended = 0;      /* child gone or killed */
		char fault[256] = "";
		while (!ended) {
			int rc = read_full(p[0], &m, sizeof m, cur < 0 ? (int)cfg->timeout_ms + 5000 : 100);
			if (rc == -2 && cur >= 0) {
				/* The case's CPU time is counted from its first 100 ms poll (read
				 * then, not at every start: most cases take microseconds). */
				uint64_t now = proc_cpu_ms(pid), wall = (now_ns() - cur_t0) / 1000000u;
				if (!cur_cpu0)
					cur_cpu0 = now > wall ? now - wall : 1;
				if (now - cur_cpu0 < cfg->timeout_ms && wall < (uint64_t)cfg->timeout_ms * SB_WALL_FACTOR)
					continue;      /* not yet: measured in CPU time */
			}
			if (rc == 0 && m.type == MSG_START) {
				cur = m.idx;
				cur_t0 = now_ns();
				cur_cpu0 = 0;
				fault[0] = 0;
			} else if (rc == 0 && m.type == MSG_DONE) {
				res[m.idx] = m.r;
				if (m.r.outcome == SB_RETURNED)
					crashed = 0;
				else if (m.r.outcome == SB_HUNG)
					hangs[cases[m.idx].kind]++;   /* the engine's own limit: no rerun needed */
				else if (m.r.outcome != SB_NOT_RUN)
					crashed++;
				cur = -1;
				next = m.idx + 1;
			} else if (rc == 0 && m.type == MSG_FAULT) {
				snprintf(fault, sizeof fault, "%s", m.r.evidence);
			} else {
				if (rc == -2)
					kill(pid, SIGKILL);
				int ws = 0;
				while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
					;
				ended = 1;
				if (cur < 0) {
					/* Died between cases: while loading or before the first. */
					if (next >= n)
						break;   /* all cases done: the normal end */
					struct sb_result *r = &res[next];
					memset(r, 0, sizeof *r);
					snprintf(r->evidence, sizeof r->evidence, "%s", fault[0] ? fault : "reader failed to load in the child");
					describe_exit(ws, r);
					next++;
					break;
				}
				struct sb_result *r = &res[cur];
				memset(r, 0, sizeof *r);
				r->elapsed_ns = now_ns() - cur_t0;
				if (rc == -2 && retry != cur) {
					retry = cur;          /* once more, in a new child */
					next = (size_t)cur;
					break;
				}
				if (rc == -2) {
					r->outcome = SB_HUNG;
					snprintf(r->evidence, sizeof r->evidence,
					         "no return within %u ms of CPU time, twice (killed; %.0f ms of wall time the second time)",
					         cfg->timeout_ms, (double)r->elapsed_ns / 1e6);
					if (++hangs[cases[cur].kind] >= SB_GIVE_UP_HUNG)
						sb_skip_kinds |= 1u << cases[cur].kind;
					crashed = 0;
				} else {
					snprintf(r->evidence, sizeof r->evidence, "%s", fault);
					describe_exit(ws, r);
					sanitizer_line(err, r->evidence, sizeof r->evidence);
					crashed++;
				}
				next = (size_t)cur + 1;
			}
		}
		if (!ended) {
			int ws;
			waitpid(pid, &ws, 0);
		}
		close(p[0]);
		if (err)
			fclose(err);
	}
	return 0;
}

int sb_probe_reader(const struct sb_config *cfg, struct sb_reader_info *out, char *err, size_t errlen)
{
	struct {
		int rc;
		struct sb_reader_info info;
		char msg[200];
	} rep;
	memset(out, 0, sizeof *out);
	if (access(cfg->reader, R_OK) != 0) {
		snprintf(err, errlen, "cannot read %s: %s", cfg->reader, strerror(errno));
		return 2;
	}
	int p[2];
	if (pipe(p) < 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return 2;
	}
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		memset(&rep, 0, sizeof rep);
		read_fn rd = NULL;
		void *dl = child_open(cfg->reader, &rd);
		if (!dl) {
			rep.rc = 1;
			snprintf(rep.msg, sizeof rep.msg, "%s", dlerror());
		} else if (!rd) {
			rep.rc = 2;
		} else {
			info_fn inf = (info_fn)(uintptr_t)dlsym(dl, "vmclock_iut_info");
			const struct vmclock_iut_info *i = inf ? inf() : NULL;
			if (i) {
				rep.info.has_info = 1;
				rep.info.info = *i;
				snprintf(rep.info.name, sizeof rep.info.name, "%s", i->name ? i->name : "");
				snprintf(rep.info.version, sizeof rep.info.version, "%s", i->version ? i->version : "");
				rep.info.info.name = rep.info.info.version = NULL;
			}
		}
		if (write(p[1], &rep, sizeof rep) < 0)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	int rc = pid < 0 ? -1 : read_full(p[0], &rep, sizeof rep, 10000);
	int ws = 0;
	if (pid > 0) {
		if (rc != 0)
			kill(pid, SIGKILL);
		waitpid(pid, &ws, 0);
	}
	close(p[0]);
	if (rc != 0) {
		snprintf(err, errlen, "%s crashed or hung while loading or in vmclock_iut_info()%s",
		         cfg->reader, WIFSIGNALED(ws) ? " (killed by a signal)" : "");
		return 2;
	}
	if (rep.rc == 1) {
		snprintf(err, errlen, "cannot load %s: %s (is it a shared object for this machine?)", cfg->reader, rep.msg);
		return 2;
	}
	if (rep.rc == 2) {
		snprintf(err, errlen, "%s does not export vmclock_iut_read (see suite/vmclock_iut.h)", cfg->reader);
		return 2;
	}
	*out = rep.info;
	if (out->has_info && out->info.contract_version != VMCLOCK_IUT_CONTRACT_VERSION) {
		snprintf(err, errlen, "%s was built for reader contract version %u; this suite speaks version %d (rebuild it against this vmclock_iut.h)",
		         cfg->reader, out->info.contract_version, VMCLOCK_IUT_CONTRACT_VERSION);
		return 2;
	}
	return 0;
}
