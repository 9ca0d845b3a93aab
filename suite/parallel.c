/* parallel.c - -j N; see parallel.h. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "parallel.h"
#include "progress.h"

struct par_stats par_stats;

/* A record: this header, then n struct sb_result. */
struct rec_hdr {
	uint64_t magic, n, hash;
};
#define REC_MAGIC 0x7663747370617231ull   /* "vctspar1" */

enum { S_PENDING, S_RUNNING, S_DONE, S_FAILED };
struct slot {
	int state;
	pid_t pid;
	int fd;                 /* memfd the helper writes its records to */
	const uint8_t *map;     /* the records, mapped while the clause is judged */
	size_t len, pos;
	int off;                /* a record did not match: the rest runs live */
	double cost;            /* estimate, for the launch order */
};

static int in_helper, rec_fd = -1, rec_failed;
static struct slot *slots;
static size_t nslots, cur = SIZE_MAX;
static unsigned running;

/* A hash of the case list's bytes, eight at a time (a long list is tens of
 * MB): the runner and a helper build it with the same code from the same
 * seed, so equal lists hash equal (a padding byte that differed would only
 * cost a live run, never a wrong answer). */
static uint64_t hash_cases(const struct sc_case *c, size_t n)
{
	const uint8_t *p = (const uint8_t *)c;
	size_t len = n * sizeof *c, i = 0;
	uint64_t h = 0xcbf29ce484222325ull ^ len;
	for (; i + 8 <= len; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3ull;
		h ^= h >> 29;
	}
	for (; i < len; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	while (len) {
		ssize_t k = write(fd, p, len);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return -1;
		p += k;
		len -= (size_t)k;
	}
	return 0;
}

void par_record(const struct sc_case *cases, size_t n, const struct sb_result *res)
{
	if (!in_helper || rec_failed)
		return;
	struct rec_hdr h = { REC_MAGIC, n, hash_cases(cases, n) };
	if (write_all(rec_fd, &h, sizeof h) != 0 || write_all(rec_fd, res, n * sizeof *res) != 0)
		rec_failed = 1;   /* the helper ends in failure: the runner runs this clause live */
}

/* Wait for one helper to end; its slot becomes DONE or FAILED. */
static void reap_one(void)
{
	int ws;
	pid_t p;
	/* On a terminal, wake up to draw what the helpers are doing. */
	while ((p = waitpid(-1, &ws, WNOHANG)) == 0 && progress_helpers()) {
		struct timespec ts = { 0, 20 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	if (p == 0)
		p = waitpid(-1, &ws, 0);
	if (p < 0)
		return;
	for (size_t i = 0; i < nslots; i++)
		if (slots[i].state == S_RUNNING && slots[i].pid == p) {
			slots[i].state = WIFEXITED(ws) && WEXITSTATUS(ws) == 0 ? S_DONE : S_FAILED;
			progress_helper_done(i);
			running--;
			return;
		}
	/* anything else is an orphan of a reader that was reparented to us
	 * (the runner is a child subreaper): reaped, nothing more */
}

/* Before anything runs live in the runner: sb_run's clean-up kills every
 * child of the runner it finds (a reader's orphans), helpers included. */
static void quiesce(void)
{
	while (running)
		reap_one();
}

int par_replay(const struct sc_case *cases, size_t n, struct sb_result *res)
{
	if (in_helper || !slots)
		return 0;
	struct slot *s = cur < nslots ? &slots[cur] : NULL;
	if (s && s->map && !s->off && s->len - s->pos >= sizeof(struct rec_hdr)) {
		struct rec_hdr h;
		memcpy(&h, s->map + s->pos, sizeof h);
		size_t need = sizeof h + n * sizeof *res;
		if (h.magic == REC_MAGIC && h.n == n && h.hash == hash_cases(cases, n) && s->len - s->pos >= need) {
			memcpy(res, s->map + s->pos + sizeof h, n * sizeof *res);
			s->pos += need;
			par_stats.replayed++;
			return 1;
		}
	}
	if (s)
		s->off = 1;
	quiesce();
	par_stats.live++;
	return 0;
}

static void launch(const struct clause_test *t, size_t i)
{
	struct slot *s = &slots[i];
	s->fd = memfd_create("", MFD_CLOEXEC);
	if (s->fd < 0) {
		s->state = S_FAILED;
		return;
	}
	fflush(g_out);
	fflush(g_err);
	fflush(stdout);
	fflush(stderr);
	pid_t parent = getpid();
	pid_t pid = fork();
	if (pid < 0) {
		close(s->fd);
		s->fd = -1;
		s->state = S_FAILED;
		return;
	}
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		if (getppid() != parent)
			_exit(1);
		/* A reader's orphan comes to the helper whose child it was, and
		 * that helper's clean-up after each batch kills it. */
		prctl(PR_SET_CHILD_SUBREAPER, 1);
		for (size_t k = 0; k < nslots; k++)
			if (k != i && slots[k].fd >= 0)
				close(slots[k].fd);
		in_helper = 1;
		rec_fd = s->fd;
		/* The report is the runner's: what a helper would print (a
		 * finding line of a replay, a note) goes nowhere. */
		FILE *null = fopen("/dev/null", "we");
		if (!null)
			_exit(1);
		g_out = g_err = null;
		/* One process draws the status line (progress.h): a helper's would
		 * be left on the terminal after the runner cleared its own. */
		progress_helper(i);
		clause_run(t);
		_exit(rec_failed ? 3 : 0);
	}
	s->pid = pid;
	s->state = S_RUNNING;
	running++;
}

/* How long a clause takes, in trapped events: a dynamic case is trapped up
 * to its last intervention point plus a call's worth; a quiet page costs
 * about as much as a few events (a pipe round trip). Only the launch order
 * depends on it (longest first), never a verdict. */
static double estimate(const struct clause_test *t)
{
	struct vmclock_rng rng = { clause_seed(t->clause) };
	struct sc_case_list l = { 0 };
	t->gen(&rng, &l);
	double cost = 0;
	for (size_t i = 0; i < l.n; i++) {
		const struct sc_case *c = &l.v[i];
		cost += c->dyn.ncalls ? (double)(c->dyn.free_after < 4096 ? c->dyn.free_after : 4096) + g_run.dyn_events : 5;
	}
	sc_case_list_free(&l);
	return cost;
}

void par_run_clauses(const struct clause_test *const *tests, size_t n, unsigned jobs)
{
	memset(&par_stats, 0, sizeof par_stats);
	par_stats.jobs = jobs ? jobs : 1;
	if (jobs <= 1 || n <= 1 || g_run.o.case_index >= 0) {
		par_stats.jobs = 1;
		for (size_t i = 0; i < n; i++)
			clause_run(tests[i]);
		return;
	}
	/* The cases of dynamic clauses depend on the reader's event count:
	 * learnt once here, inherited by every helper. */
	for (size_t i = 0; i < n; i++)
		if (tests[i]->dynamic) {
			g_run.dyn_events = judge_discover_events();
			break;
		}
	slots = calloc(n, sizeof *slots);
	size_t *order = calloc(n, sizeof *order);
	if (!slots || !order) {
		perror("vmclock-cts: error");
		exit(2);
	}
	nslots = n;
	progress_share(n);
	for (size_t i = 0; i < n; i++) {
		slots[i].fd = -1;
		slots[i].cost = estimate(tests[i]);
		order[i] = i;
	}
	for (size_t i = 1; i < n; i++)    /* longest first; stable */
		for (size_t j = i; j > 0 && slots[order[j]].cost > slots[order[j - 1]].cost; j--) {
			size_t x = order[j];
			order[j] = order[j - 1];
			order[j - 1] = x;
		}
	size_t next = 0;
	for (size_t i = 0; i < n; i++) {
		for (;;) {
			while (running < jobs && next < n)
				launch(tests[order[next]], order[next]), next++;
			if (slots[i].state != S_RUNNING && slots[i].state != S_PENDING)
				break;
			reap_one();
		}
		struct slot *s = &slots[i];
		struct stat st;
		if (s->state == S_DONE && fstat(s->fd, &st) == 0 && st.st_size > 0) {
			void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, s->fd, 0);
			if (m != MAP_FAILED) {
				s->map = m;
				s->len = (size_t)st.st_size;
				par_stats.helped++;
			}
		}
		cur = i;
		clause_run(tests[i]);
		cur = SIZE_MAX;
		if (s->map)
			munmap((void *)s->map, s->len);
		s->map = NULL;
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
	}
	quiesce();
	free(order);
	progress_unshare();
	free(slots);
	slots = NULL;
	nslots = 0;
}
