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
#include "contain.h"
#include "progress.h"
#include "parallel.h"
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
#define STR_(x) #x
#define STR(x) STR_(x)

/* ---- child side ---- */

static int c_fd = -1;                 /* pipe to the parent */
static struct engine *c_eng;          /* every child has one: it owns the page view */
static uint64_t c_tag;                /* contain.c's tag for our own mprotect/sigaction */
static const uint8_t *c_page;         /* the structure, as the reader sees it */
static uintptr_t c_end;               /* end of the guard page after it */
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
		else if (a >= pg + c_len && a < c_end)
			put_num(&p, end, " reading past the mapping: offset ", (unsigned long long)(a - pg), 0);
		else
			put_num(&p, end, " at address ", (unsigned long long)a, 1);
		if (a >= pg + c_len && a < c_end)
			put_num(&p, end, ", mapping is ", (unsigned long long)c_len, 0);
	}
	*p = 0;
	if (write(c_fd, &m, sizeof m) < 0) {
		/* nothing to do: the parent still sees the signal */
	}
	/* Back to the default action (tagged: the sandbox's filter refuses
	 * the reader a handler for these signals, not us). */
	engine_raw_sig_default(sig, &c_tag);
	if (sig == SIGABRT)
		raise(sig);
	/* Other signals: returning re-executes the faulting instruction. */
}

/* Everything a child needs before the reader's code may run: handlers,
 * the engine (which maps the page view at its fixed low address), then
 * the walls (contain.c), then nothing the reader could find but the pipe. */
static void child_setup(int fd)
{
	c_fd = fd;
	prctl(PR_SET_PDEATHSIG, SIGKILL);
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
	if (!(c_eng = engine_create()))
		_exit(6);
	const int keep[] = { fd, contain_reader_fd() };
	c_tag = contain_child_enter(keep, 2);
	engine_set_protect_tag(c_eng, c_tag);
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

/* A quiet page: the engine's view made readable for one untrapped call. */
static void child_static(read_fn rd, const struct sc_case *c, struct sb_result *r)
{
	size_t l8 = (c->img.len + 7) & ~(size_t)7;   /* every field stays naturally aligned */
	volatile uint8_t *w = engine_page(c_eng, l8);
	if (!w)
		_exit(6);
	for (size_t i = 0; i < l8; i++)
		w[i] = i < c->img.len ? c->img.bytes[i] : 0;
	c_page = (const uint8_t *)engine_reader_view(c_eng);
	c_end = (uintptr_t)c_page + l8 + 4096;
	memset(&c_res, 0, sizeof c_res);
	c_counter_next = c->counter_start;
	c_counter_step = c->counter_step;
	c_case = c;
	struct vmclock_iut_counter ctr = { child_counter, NULL };
	struct vmclock_iut_reading out;
	memset(&out, 0, sizeof out);
	engine_set_readable(c_eng, 1);
	uint64_t t0 = now_ns();
	int st = rd(c_page, c->img.len, &ctr, &out);
	c_res.elapsed_ns = now_ns() - t0;
	engine_set_readable(c_eng, 0);
	c_res.status = st;
	c_res.reading = out;
	/* The view cannot be made writable (sealed, and the filter keeps its
	 * protection ours), but the writer's view is in the same process. */
	int changed = 0;
	for (size_t i = 0; i < l8; i++)
		changed |= w[i] != (i < c->img.len ? c->img.bytes[i] : 0);
	c_res.outcome = changed ? SB_WROTE_PAGE : SB_RETURNED;
	if (changed)
		snprintf(c_res.evidence, sizeof c_res.evidence, "the page bytes changed during the read");
	*r = c_res;
}

static void child_run(const struct sb_config *cfg, const struct sc_case *cases, size_t from, size_t n)
{
	read_fn rd = NULL;
	if (!child_open(contain_reader_path(cfg->reader), &rd) || !rd)
		_exit(5);
	/* anything the reader's constructor opened (a way around the walls) */
	contain_child_loaded(&c_fd, 1);
	static struct msg m;
	for (size_t i = from; i < n; i++) {
		const struct sc_case *c = &cases[i];
		m.idx = (unsigned)i;
		if (sb_skip_kinds & (1u << c->kind)) {
			m.type = MSG_DONE;
			memset(&m.r, 0, sizeof m.r);
			m.r.outcome = SB_NOT_RUN;
			snprintf(m.r.evidence, sizeof m.r.evidence, "not run: the reader hung in cases of this kind before");
			send(&m);
			continue;
		}
		c_idx = (unsigned)i;
		c_len = c->img.len;
		m.type = MSG_START;
		send(&m);
		memset(&m.r, 0, sizeof m.r);
		if (c->dyn.ncalls || cfg->rdtsc) {
			/* Under the interleaving engine: writer steps between the
			 * reader's loads, or the TSC emulated for an rdtsc reader. */
			if (engine_page(c_eng, c->img.len)) {
				c_page = (const uint8_t *)engine_reader_view(c_eng);
				c_end = (uintptr_t)c_page + c->img.len + 4096;
			}
			uint64_t t0 = now_ns();
			sched_run(c_eng, rd, (cfg->rdtsc ? ENGINE_F_RDTSC : 0u) | (cfg->hooked ? ENGINE_F_HOOKED : 0u), c, &m.r);
			m.r.elapsed_ns = now_ns() - t0;
		} else {
			child_static(rd, c, &m.r);
		}
		m.type = MSG_DONE;
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

/* A message being received: bytes are kept across polls, so a slow or
 * split write never loses the framing. */
struct rx {
	size_t got;
	struct msg m;
};

/* 1: a whole message in rx->m; 0: none within timeout_ms; -1: end of file. */
static int rx_read(int fd, struct rx *rx, int timeout_ms)
{
	struct pollfd p = { fd, POLLIN, 0 };
	int r = poll(&p, 1, timeout_ms);
	if (r <= 0)
		return 0;
	ssize_t k = read(fd, (char *)&rx->m + rx->got, sizeof rx->m - rx->got);
	if (k == 0)
		return -1;
	if (k < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -1;
	rx->got += (size_t)k;
	if (rx->got < sizeof rx->m)
		return 0;
	rx->got = 0;
	return 1;
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


/* Spec rule 6: a case that does not return is rerun once, in a new child;
 * only a second time makes it a hang. "Does not return" is measured in the
 * child's CPU time, so a busy machine does not turn a slow reader into a
 * hung one; a reader that blocks without using the CPU is given ten times
 * the timeout of wall time. After SB_GIVE_UP_HUNG hangs in cases of one
 * kind (SC_KIND_*), the rest of that kind is not run; other kinds are. A
 * reader that crashes in case after case (it blocks SIGSEGV, or replaces
 * the engine's handler) costs a fork per case: after SB_GIVE_UP_CRASHED
 * crashes in a row the rest of the list is not run. Between cases (loading,
 * or a thread that keeps the child alive after its last case) the child
 * gets the timeout plus SB_BETWEEN_MS of wall time. */
#define SB_GIVE_UP_HUNG    3
#define SB_GIVE_UP_CRASHED 20
#define SB_WALL_FACTOR     10
#define SB_BETWEEN_MS      5000
#define SB_MEMORY_MB       2048   /* resident; a backstop to contain.c's address-space limit */

static void not_run(struct sb_result *r, enum sb_outcome o, const char *why)
{
	memset(r, 0, sizeof *r);
	r->outcome = o;
	snprintf(r->evidence, sizeof r->evidence, o == SB_NOT_RUN ? "not run: %s" : "%s", why);
}

/* Trust nothing from the child: a message must be the next one the
 * protocol allows, for the case in progress, with every count in range.
 * NULL when it is; else what is wrong with it. */
static const char *invalid(const struct msg *m, long cur, size_t expect, const struct sc_case *cases, size_t n)
{
	const struct sb_result *r = &m->r;
	switch (m->type) {
	case MSG_START:
		if (cur >= 0)
			return "a second start message";
		return m->idx == expect && expect < n ? NULL : "a start message for another case";
	case MSG_FAULT:
		return (cur >= 0 && m->idx == (size_t)cur) || (cur < 0 && m->idx == expect) ? NULL
		       : "a fault report for another case";
	case MSG_DONE:
		if (cur < 0) {
			/* only a case of a kind the sandbox said to skip, unstarted */
			if (m->idx != expect || expect >= n || r->outcome != SB_NOT_RUN ||
			    !(sb_skip_kinds & (1u << cases[expect].kind)))
				return "a result for a case not in progress";
			return NULL;
		}
		if (m->idx != (size_t)cur)
			return "a result for another case";
		if ((unsigned)r->outcome > SB_UNTRAPPABLE || r->outcome == SB_NOT_RUN)
			return "a result with an unknown outcome";
		if (r->nstates > SC_MAX_IV + 1 || r->nodd > SC_MAX_IV || r->ncalls > SC_MAX_CALLS)
			return "a result with counts out of range";
		for (unsigned i = 0; r->nstates && i < r->ncounters && i < SB_MAX_COUNTERS; i++)
			if (r->current[i] < -1 || r->current[i] >= (int)r->nstates)
				return "a result with counts out of range";
		for (unsigned k = 0; k < r->ncalls; k++)
			if (r->call_counter0[k] > r->ncounters)
				return "a result with counts out of range";
		return NULL;
	default:
		return "a message of unknown type";
	}
}

static int sb_run_live(const struct sb_config *cfg, const struct sc_case *cases, size_t n, struct sb_result *res);

/* -j N (parallel.c): a list a helper already ran is answered from its
 * record; a helper records what it runs. */
int sb_run(const struct sb_config *cfg, const struct sc_case *cases, size_t n, struct sb_result *res)
{
	if (par_replay(cases, n, res))
		return 0;
	int rc = sb_run_live(cfg, cases, n, res);
	if (rc == 0)
		par_record(cases, n, res);
	return rc;
}

static int sb_run_live(const struct sb_config *cfg, const struct sc_case *cases, size_t n, struct sb_result *res)
{
	size_t next = 0;
	unsigned hangs[SC_KIND_COUNT] = { 0 }, crashed = 0;
	long retry = -1;                    /* case being rerun after a first hang */
	size_t replay_until = 0;            /* the rerun replays [child start, retry): results dropped */
	static struct rx rx;
	sb_skip_kinds = 0;
	progress_begin(cases, n);
	while (next < n) {
		if (crashed >= SB_GIVE_UP_CRASHED) {
			for (size_t i = next; i < n; i++)
				not_run(&res[i], SB_NOT_RUN, "the reader crashed in the cases before");
			return 0;
		}
		if (cfg->deadline_ns && now_ns() >= cfg->deadline_ns) {
			for (size_t i = next; i < n; i++)
				not_run(&res[i], SB_OVER_BUDGET, "the run's time budget ran out before this case (give a larger --budget-s)");
			return 0;
		}
		int p[2];
		if (pipe2(p, O_CLOEXEC) < 0)
			return -1;
		FILE *err = tmpfile();
		fflush(stdout);
		fflush(stderr);
		const size_t child_from = next;
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
		rx.got = 0;
		long cur = -1;      /* case started, not finished */
		uint64_t cur_t0 = now_ns(), cur_cpu0 = 0;
		uint64_t last_watch = cur_t0;
		char fault[256] = "";
		const char *bad = NULL, *killed = NULL;
		int ws = 0, timed_out = 0;
		for (;;) {
			int rc = rx_read(p[0], &rx, 100), valid = 0;
			if (rc == 1 && !(bad = invalid(&rx.m, cur, next, cases, n))) {
				valid = 1;
				struct msg *m = &rx.m;
				m->r.evidence[sizeof m->r.evidence - 1] = 0;
				if (m->type == MSG_START) {
					cur = (long)m->idx;
					cur_cpu0 = 0;
					fault[0] = 0;
				} else if (m->type == MSG_DONE) {
					if (m->idx < replay_until) {
						cur = -1;           /* a replayed case: its result is already in */
						next = m->idx + 1;
						cur_t0 = now_ns();
						continue;
					}
					res[m->idx] = m->r;
					if (m->r.outcome == SB_RETURNED)
						crashed = 0;
					else if (m->r.outcome == SB_HUNG)
						hangs[cases[m->idx].kind]++;   /* the engine's own limit: no rerun needed */
					else if (m->r.outcome != SB_NOT_RUN)
						crashed++;
					cur = -1;
					next = m->idx + 1;
					progress_step(next);
					if (next >= n)
						break;   /* done: whatever the child does next is not waited for */
				} else {
					snprintf(fault, sizeof fault, "%s", m->r.evidence);
				}
				cur_t0 = now_ns();
			}
			if ((rc == 1 && !valid) || rc < 0)
				break;             /* a bad message, or the child is gone */
			/* Every 100 ms, busy or not: the budget and the memory. */
			uint64_t now = now_ns(), wall = (now - cur_t0) / 1000000u;
			if (now - last_watch >= 100000000u) {
				last_watch = now;
				if (cfg->deadline_ns && now >= cfg->deadline_ns) {
					killed = "the run's time budget ran out during this case (give a larger --budget-s)";
					break;
				}
				if (contain_rss_mb(pid) > SB_MEMORY_MB) {
					killed = "used more than " STR(SB_MEMORY_MB) " MiB of memory (killed)";
					break;
				}
			}
			if (rc == 1)
				continue;      /* a message came: no timeout yet */
			if (cur < 0) {
				if (wall > cfg->timeout_ms + SB_BETWEEN_MS) {
					timed_out = 1;
					break;
				}
				continue;
			}
			/* The case's CPU time is counted from its first 100 ms poll (read
			 * then, not at every start: most cases take microseconds). */
			uint64_t cpu = contain_cpu_ms(pid, 0);
			if (!cur_cpu0)
				cur_cpu0 = cpu > wall ? cpu - wall : 1;
			uint64_t used = cpu > cur_cpu0 ? cpu - cur_cpu0 : 0;   /* 0: unknown */
			if (used >= cfg->timeout_ms || wall >= (uint64_t)cfg->timeout_ms * SB_WALL_FACTOR) {
				timed_out = 1;
				break;
			}
		}
		contain_end(pid, &ws);
		close(p[0]);
		size_t at = cur >= 0 ? (size_t)cur : next;   /* the case to charge */
		if (at < replay_until) {
			/* The replayed cases went another way this time: run the case
			 * that did not return on its own, as its second try. */
			next = replay_until;
			replay_until = 0;
			if (err)
				fclose(err);
			continue;
		}
		replay_until = 0;
		if (at >= n) {
			if (err)
				fclose(err);
			break;   /* all cases done: the normal end (whatever the child did after) */
		}
		struct sb_result *r = &res[at];
		memset(r, 0, sizeof *r);
		r->elapsed_ns = now_ns() - cur_t0;
		next = at + 1;
		if (bad) {
			r->outcome = SB_INTERFERED;
			snprintf(r->evidence, sizeof r->evidence, "it sent %s on the result pipe", bad);
			crashed += SB_GIVE_UP_CRASHED / 4;   /* deliberate: a few are enough to stop */
		} else if (killed && cfg->deadline_ns && now_ns() >= cfg->deadline_ns) {
			not_run(r, SB_OVER_BUDGET, killed);
		} else if (killed) {
			r->outcome = SB_CRASHED;
			snprintf(r->evidence, sizeof r->evidence, "%s", killed);
			crashed += SB_GIVE_UP_CRASHED / 4;   /* it will do it again */
		} else if (timed_out && retry != (long)at) {
			/* Once more, in a new child that first replays the cases this
			 * child ran before it: a reader whose state decides when it
			 * hangs (every third call, say) meets the same state again. */
			retry = (long)at;
			replay_until = at;
			next = child_from;
		} else if (timed_out) {
			r->outcome = SB_HUNG;
			snprintf(r->evidence, sizeof r->evidence,
			         cur >= 0 ? "no return within %u ms of CPU time, twice (killed; %.0f ms of wall time the second time)"
			                  : "stuck while loading or between cases, twice (killed after %u ms + 5 s; %.0f ms of wall time)",
			         cfg->timeout_ms, (double)r->elapsed_ns / 1e6);
			if (++hangs[cases[at].kind] >= SB_GIVE_UP_HUNG)
				sb_skip_kinds |= 1u << cases[at].kind;
			crashed = 0;
		} else {
			snprintf(r->evidence, sizeof r->evidence, "%s", fault[0] ? fault : cur < 0 ? "died while loading or between cases" : "");
			describe_exit(ws, r);
			sanitizer_line(err, r->evidence, sizeof r->evidence);
			crashed++;
		}
		if (err)
			fclose(err);
	}
	return 0;
}

struct probe_rep {
	int rc;
	struct sb_reader_info info;
	char msg[200];
};

/* In the probe's child, behind the walls: load the reader, ask its info. */
static void probe_fill(void *buf, void *ctx)
{
	struct probe_rep *rep = buf;
	const struct sb_config *cfg = ctx;
	snprintf(rep->info.contained, sizeof rep->info.contained, "%s", contain_child_describe());
	read_fn rd = NULL;
	void *dl = child_open(contain_reader_path(cfg->reader), &rd);
	if (!dl) {
		rep->rc = 1;
		snprintf(rep->msg, sizeof rep->msg, "%s", dlerror());
		return;
	}
	if (!rd) {
		rep->rc = 2;
		return;
	}
	/* its constructors ran: an instrumented object announced itself */
	rep->info.instrumented = engine_instrumented_modules();
	info_fn inf = (info_fn)(uintptr_t)dlsym(dl, "vmclock_iut_info");
	const struct vmclock_iut_info *i = inf ? inf() : NULL;
	if (i) {
		rep->info.has_info = 1;
		rep->info.info = *i;
		snprintf(rep->info.name, sizeof rep->info.name, "%s", i->name ? i->name : "");
		snprintf(rep->info.version, sizeof rep->info.version, "%s", i->version ? i->version : "");
		rep->info.info.name = rep->info.info.version = NULL;
	}
}

int sb_probe_reader(const struct sb_config *cfg, struct sb_reader_info *out, char *err, size_t errlen)
{
	struct probe_rep rep;
	int ws = 0;
	memset(out, 0, sizeof *out);
	if (contain_probe(probe_fill, (void *)cfg, &rep, sizeof rep, &ws) != 0) {
		snprintf(err, errlen, "%s crashed or hung while loading or in vmclock_iut_info()%s", cfg->reader,
		         WIFSIGNALED(ws) ? " (killed by a signal)" : "");
		return 2;
	}
	rep.msg[sizeof rep.msg - 1] = 0;
	rep.info.name[sizeof rep.info.name - 1] = 0;
	rep.info.version[sizeof rep.info.version - 1] = 0;
	rep.info.contained[sizeof rep.info.contained - 1] = 0;
	if (rep.rc == 1) {
		/* A root user's first trap: the loading child is uid 65534 by then,
		 * so a library in a 0700 directory (mktemp -d, a home directory)
		 * is "not found" although ldd finds it. */
		int nobody_hint = geteuid() == 0 && strstr(rep.msg, "cannot open shared object file");
		snprintf(err, errlen, "cannot load %s: %s%s", cfg->reader, rep.msg,
		         nobody_hint ? " (run as root, the reader is loaded as uid 65534: its libraries and every directory"
		                       " above them must be readable by others)" : "");
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
