/* progress.c - the status line on a terminal; see progress.h. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "clauses.h"
#include "progress.h"

/* 10 draws a second at most: a terminal keeps up, and a reader whose cases
 * take microseconds costs one clock read per case, nothing more. */
#define PROGRESS_PERIOD_NS 100000000u
#define PROGRESS_MAX 120                   /* columns, before the terminal's width */

static int enabled, active;
static const char *label;
static const char *what, *unit;
static size_t total;
static uint64_t t_begin, next_draw;
/* Columns of the line on screen (0: none): read by progress_clear, which a
 * signal handler may call in the middle of a draw. */
static volatile sig_atomic_t shown;
static char blank[PROGRESS_MAX];         /* spaces, to erase with */

static uint64_t now_ns(void)
{
	/* The coarse clock (a few ms of resolution) is enough to throttle and
	 * is the cheapest to read, once per case. */
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void put(const char *s, size_t n)
{
	/* Best effort: a terminal that went away must not stop the run. */
	while (n) {
		ssize_t w = write(2, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void progress_setup(int on)
{
	enabled = on && isatty(2);
	memset(blank, ' ', sizeof blank);
	next_draw = 0;
}

void progress_label(const char *w)
{
	label = w;
}

/* One clause's part of the line: "what  done/total unit[, rate/s[, T left]]". */
static size_t format(char *line, size_t cap, const char *w, size_t done, size_t tot, const char *u,
                     uint64_t t0, uint64_t now)
{
	if (done > tot)
		done = tot;   /* a helper's slot read while it changed (progress_helpers) */
	int k = snprintf(line, cap, "%s  %zu/%zu %s", w, done, tot, u);
	double el = (double)(now - t0) / 1e9;
	/* The rate and the time left once there is something to go by. */
	if (done && el >= 0.2 && k > 0 && (size_t)k < cap) {
		double rate = (double)done / el, left = (double)(tot - done) / rate;
		k += snprintf(line + k, cap - (size_t)k, ", %.*f/s", rate < 10 ? 1 : 0, rate);
		/* under a second left says nothing a user can act on */
		if (k > 0 && (size_t)k < cap && left >= 1)
			k += left < 100 ? snprintf(line + k, cap - (size_t)k, ", %.0f s left", left)
			                : snprintf(line + k, cap - (size_t)k, ", %.0f min left", left / 60);
	}
	if (k < 0)
		return 0;
	return (size_t)k < cap - 1 ? (size_t)k : cap - 1;
}

/* Put line on the terminal in place of the one shown. */
static void show(const char *line, size_t len)
{
	/* A line longer than the terminal would wrap, and \r would then go back
	 * to its last row only: cut it to the width. */
	struct winsize ws;
	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 1 && len > (size_t)ws.ws_col - 1)
		len = (size_t)ws.ws_col - 1;
	char buf[2 * PROGRESS_MAX + 4];
	size_t n = 0, was = (size_t)shown;
	buf[n++] = '\r';
	memcpy(buf + n, line, len);
	n += len;
	/* Blanks over the rest of a longer line drawn before, then back. */
	if (was > len) {
		memset(buf + n, ' ', was - len);
		n += was - len;
		buf[n++] = '\r';
		memcpy(buf + n, line, len);
		n += len;
	}
	shown = (sig_atomic_t)len;
	put(buf, n);
}

static void draw(size_t done, uint64_t now)
{
	char line[PROGRESS_MAX + 1];
	size_t len = format(line, sizeof line, what, done, total, unit, t_begin, now);
	if (len)
		show(line, len);
}

/* -j N: what each helper is running, in memory the runner shares with
 * them. A helper only writes its slot; the runner reads them all while it
 * waits and draws one line for all (a torn read of a count shows a number
 * off by a case for a tenth of a second, nothing worse). */
struct slot {
	volatile int clause;          /* -1: nothing shown */
	volatile int unit;            /* index in units[] */
	volatile size_t done, total;
	volatile uint64_t t_begin;
};
static const char *const units[] = { "cases", "schedules", "quiet copies" };
static struct slot *slots;
static size_t nslots;
static long my_slot = -1;

void progress_share(size_t n)
{
	if (!enabled || slots)
		return;
	void *m = mmap(NULL, n * sizeof *slots, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED)
		return;   /* no line for the helpers' clauses: a cosmetic loss */
	slots = m;
	nslots = n;
	for (size_t i = 0; i < n; i++)
		slots[i].clause = -1;
}

void progress_unshare(void)
{
	if (slots)
		munmap(slots, nslots * sizeof *slots);
	slots = NULL;
	nslots = 0;
	my_slot = -1;
}

void progress_helper(size_t i)
{
	enabled = 0;   /* one process draws */
	active = 0;
	my_slot = slots && i < nslots ? (long)i : -1;
}

void progress_helper_done(size_t i)
{
	if (slots && i < nslots)
		slots[i].clause = -1;
}

int progress_helpers(void)
{
	if (!enabled || !slots)
		return 0;
	uint64_t now = now_ns();
	if (now < next_draw)
		return 1;
	next_draw = now + PROGRESS_PERIOD_NS;
	char line[PROGRESS_MAX + 1];
	size_t len = 0;
	/* in the report's order: the clause the runner waits for comes first */
	for (size_t i = 0; i < nslots && len + 3 < sizeof line; i++) {
		struct slot *s = &slots[i];
		int c = s->clause;
		if (c < 0 || c >= VMCLOCK_CLAUSE_COUNT)
			continue;
		if (len) {
			memcpy(line + len, "; ", 2);
			len += 2;
		}
		len += format(line + len, sizeof line - len, vmclock_clauses[c].id, s->done, s->total,
		              units[s->unit], s->t_begin, now);
	}
	if (len)
		show(line, len);
	return 1;
}

void progress_begin(const struct sc_case *cases, size_t n)
{
	/* A batch of one (the engine's discovery run, a replay) is over too
	 * soon to tell anything: the line keeps the batch before. */
	active = (enabled || my_slot >= 0) && n >= 2;
	if (!active)
		return;
	size_t dyn = 0, quiet = 0;
	for (size_t i = 0; i < n; i++) {
		dyn += cases[i].dyn.ncalls > 0;
		quiet += cases[i].kind == SC_KIND_QUIET;
	}
	int u = dyn == n ? 1 : quiet == n ? 2 : 0;
	if (my_slot >= 0) {
		struct slot *s = &slots[my_slot];
		s->clause = -1;
		s->done = 0;
		s->total = n;
		s->unit = u;
		s->t_begin = now_ns();
		s->clause = (int)cases[0].clause;
		return;
	}
	what = label ? label : vmclock_clauses[cases[0].clause].id;
	unit = units[u];
	total = n;
	t_begin = now_ns();
	if (t_begin >= next_draw) {
		draw(0, t_begin);
		next_draw = t_begin + PROGRESS_PERIOD_NS;
	}
}

void progress_step(size_t done)
{
	if (!active)
		return;
	if (my_slot >= 0) {
		slots[my_slot].done = done;
		return;
	}
	uint64_t now = now_ns();
	if (now < next_draw)
		return;
	next_draw = now + PROGRESS_PERIOD_NS;
	draw(done, now);
}

void progress_clear(void)
{
	int e = errno;   /* a perror after it must still say why */
	size_t was = (size_t)shown;
	if (!was)
		return;
	shown = 0;
	if (was > sizeof blank)
		was = sizeof blank;
	put("\r", 1);
	put(blank, was);
	put("\r", 1);
	errno = e;
}
