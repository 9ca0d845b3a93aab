/* progress.c - the status line on a terminal; see progress.h. */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
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

static void draw(size_t done, uint64_t now)
{
	char line[PROGRESS_MAX + 1];
	int k = snprintf(line, sizeof line, "%s  %zu/%zu %s", what, done, total, unit);
	double el = (double)(now - t_begin) / 1e9;
	/* The rate and the time left once there is something to go by. */
	if (done && el >= 0.2 && k > 0 && k < (int)sizeof line) {
		double rate = (double)done / el, left = (double)(total - done) / rate;
		k += snprintf(line + k, sizeof line - (size_t)k, ", %.*f/s", rate < 10 ? 1 : 0, rate);
		/* under a second left says nothing a user can act on */
		if (k > 0 && k < (int)sizeof line && left >= 1)
			k += left < 100 ? snprintf(line + k, sizeof line - (size_t)k, ", %.0f s left", left)
			                : snprintf(line + k, sizeof line - (size_t)k, ", %.0f min left", left / 60);
	}
	if (k < 0)
		return;
	size_t len = (size_t)k < sizeof line - 1 ? (size_t)k : sizeof line - 1;
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

void progress_begin(const struct sc_case *cases, size_t n)
{
	/* A batch of one (the engine's discovery run, a replay) is over too
	 * soon to tell anything: the line keeps the batch before. */
	active = enabled && n >= 2;
	if (!active)
		return;
	size_t dyn = 0, quiet = 0;
	for (size_t i = 0; i < n; i++) {
		dyn += cases[i].dyn.ncalls > 0;
		quiet += cases[i].kind == SC_KIND_QUIET;
	}
	what = label ? label : vmclock_clauses[cases[0].clause].id;
	unit = dyn == n ? "schedules" : quiet == n ? "quiet copies" : "cases";
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
