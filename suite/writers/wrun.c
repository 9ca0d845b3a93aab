/* wrun.c - see wrun.h. */
#include "wrun.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "contain.h"
#include "wscenario.h"
#include "wtrace.h"
#include "wtrap.h"

typedef int (*event_fn)(volatile void *, size_t, const struct vmclock_wut_event *);
typedef const struct vmclock_wut_info *(*info_fn)(void);

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

struct probe_rep {
	int rc;
	struct wrun_info info;
	char msg[200];
};

/* In the probe's child, behind the walls: load the writer, ask its info. */
static void probe_fill(void *buf, void *ctx)
{
	struct probe_rep *rep = buf;
	const char *path = ctx;
	snprintf(rep->info.contained, sizeof rep->info.contained, "%s", contain_child_describe());
	void *dl = dlopen(contain_reader_path(path), RTLD_NOW | RTLD_LOCAL);
	if (!dl) {
		rep->rc = 1;
		snprintf(rep->msg, sizeof rep->msg, "%s", dlerror());
		return;
	}
	if (!dlsym(dl, "vmclock_wut_event")) {
		rep->rc = 2;
		return;
	}
	info_fn inf = (info_fn)(uintptr_t)dlsym(dl, "vmclock_wut_info");
	const struct vmclock_wut_info *i = inf ? inf() : NULL;
	if (i) {
		rep->info.has_info = 1;
		rep->info.info = *i;
		snprintf(rep->info.name, sizeof rep->info.name, "%s", i->name ? i->name : "");
		snprintf(rep->info.version, sizeof rep->info.version, "%s", i->version ? i->version : "");
		rep->info.info.name = rep->info.info.version = NULL;
	}
}

int wrun_probe(const char *path, struct wrun_info *out, char *err, size_t errlen)
{
	struct probe_rep rep;
	memset(out, 0, sizeof *out);
	if (contain_probe(probe_fill, (void *)path, &rep, sizeof rep, NULL) != 0) {
		snprintf(err, errlen, "%s crashed or hung while loading or in vmclock_wut_info()", path);
		return 2;
	}
	rep.msg[sizeof rep.msg - 1] = 0;
	rep.info.name[sizeof rep.info.name - 1] = 0;
	rep.info.version[sizeof rep.info.version - 1] = 0;
	rep.info.contained[sizeof rep.info.contained - 1] = 0;
	if (rep.rc == 1) {
		snprintf(err, errlen, "cannot load %s: %s", path, rep.msg);
		return 2;
	}
	if (rep.rc == 2) {
		snprintf(err, errlen, "%s does not export vmclock_wut_event (see suite/vmclock_wut.h)", path);
		return 2;
	}
	*out = rep.info;
	if (out->has_info && out->info.contract_version != VMCLOCK_WUT_CONTRACT_VERSION) {
		snprintf(err, errlen, "%s was built for writer contract version %u; this suite speaks version %d (rebuild it against this vmclock_wut.h)",
		         path, out->info.contract_version, VMCLOCK_WUT_CONTRACT_VERSION);
		return 2;
	}
	return 0;
}

/* The child: walls, writer, scenario; the trace goes down fd. */
static _Noreturn void child(const char *path, int scen, uint64_t seed, int fd)
{
	prctl(PR_SET_PDEATHSIG, SIGKILL);
	if (wtrap_init(WRUN_REGION) != 0)
		_exit(6);
	const int keep[] = { fd, contain_reader_fd() };
	wtrap_set_tag(contain_child_enter(keep, 2));
	wtrap_set_sink(fd);
	void *dl = dlopen(contain_reader_path(path), RTLD_NOW | RTLD_LOCAL);
	event_fn ev_fn = dl ? (event_fn)(uintptr_t)dlsym(dl, "vmclock_wut_event") : NULL;
	if (!ev_fn)
		_exit(3);
	contain_child_loaded(keep, 2);
	static struct vmclock_wut_event evs[WSC_MAX_EVENTS];
	size_t n = wsc_build(scen, seed, evs, WSC_MAX_EVENTS);
	static uint8_t buf[WTRACE_REC_HDR + WTRACE_EVENT_FULL + WTRACE_END_MAX];
	static uint8_t snap[WRUN_REGION];
	int have_snap = 0;
	wtrap_send(buf, trace_enc_header(buf, WTRACE_F_EXACT, WRUN_REGION, WTRAP_IMAGE, seed));
	volatile uint8_t *page = wtrap_page();
	wtrap_arm(1);
	for (size_t i = 0; i < n; i++) {
		const struct vmclock_wut_event *ev = &evs[i];
		wtrap_set_counter(ev->counter);
		wtrap_flush();
		if (wtrap_send(buf, trace_enc_event(buf, ev)) != 0)
			_exit(5);
		if (ev->kind == VMCLOCK_WUT_SNAPSHOT) {
			for (size_t k = 0; k < WRUN_REGION; k++)
				snap[k] = page[k];
			have_snap = 1;
			continue;
		}
		if ((ev->kind == VMCLOCK_WUT_RESTORE || ev->kind == VMCLOCK_WUT_CLONE) && have_snap) {
			/* the hypervisor loads the guest's memory: the page is the
			 * snapshot's again, then the writer hears of it */
			wtrap_arm(0);
			for (size_t k = 0; k < WRUN_REGION; k++)
				page[k] = snap[k];
			wtrap_send_suite();
			wtrap_flush();
			wtrap_arm(1);
		}
		int rc = ev_fn(page, WRUN_REGION, ev);
		wtrap_flush();
		if (rc < 0) {
			char msg[96];
			snprintf(msg, sizeof msg, "the writer returned %d for event %u (%s)", rc, ev->index,
			         trace_kind_name(ev->kind));
			wtrap_send(buf, trace_enc_end(buf, ev->counter, WTRACE_END_ERROR, msg));
			_exit(0);
		}
	}
	wtrap_send(buf, trace_enc_end(buf, n ? evs[n - 1].counter : 0, WTRACE_END_OK, "scenario complete"));
	_exit(0);
}

static int grow(uint8_t **b, size_t *cap, size_t need)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap : 65536;
	while (c < need)
		c *= 2;
	uint8_t *nb = realloc(*b, c);
	if (!nb)
		return -1;
	*b = nb;
	*cap = c;
	return 0;
}

/* The trace ends with an END record; a dead or stopped child's gets one. */
static int ends(const uint8_t *b, size_t n)
{
	struct wtrace t;
	char e[8];
	if (trace_parse(b, n, &t, e, sizeof e) != 0)
		return 0;
	int r = t.n && t.rec[t.n - 1].type == WTRACE_END;
	trace_free(&t);
	return r;
}

int wrun_scenario(const char *path, int scen, uint64_t seed, unsigned timeout_ms, uint8_t **out, size_t *outlen)
{
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child(path, scen, seed, p[1]);
	}
	close(p[1]);
	uint8_t *b = NULL;
	size_t n = 0, cap = 0;
	uint64_t start = now_ns();
	int hung = 0;
	const size_t limit = 256u << 20;   /* a writer that stores forever is a hang, not a memory exhaustion */
	for (;;) {
		struct pollfd pf = { p[0], POLLIN, 0 };
		int pr = poll(&pf, 1, 100);
		if (pr > 0) {
			if (grow(&b, &cap, n + 65536) != 0)
				break;
			ssize_t k = read(p[0], b + n, 65536);
			if (k < 0 && errno == EINTR)
				continue;
			if (k <= 0)
				break;
			n += (size_t)k;
			if (n > limit) {
				hung = 1;
				break;
			}
			continue;
		}
		/* a hang: its CPU time (a blocked writer: ten times it in wall time) */
		if (contain_cpu_ms(pid, 0) > timeout_ms || now_ns() - start > (uint64_t)timeout_ms * 10000000u) {
			hung = 1;
			break;
		}
	}
	int ws = 0;
	contain_end(pid, &ws);
	close(p[0]);
	if (grow(&b, &cap, n + WTRACE_END_MAX + WTRACE_HDR_LEN) != 0) {
		free(b);
		return -1;
	}
	if (n < WTRACE_HDR_LEN) {
		/* died before its first word: a trace with no records */
		n = trace_enc_header(b, WTRACE_F_EXACT, WRUN_REGION, WTRAP_IMAGE, seed);
	}
	if (!ends(b, n)) {
		char msg[160];
		uint32_t why = WTRACE_END_CRASH;
		if (hung) {
			why = WTRACE_END_HANG;
			snprintf(msg, sizeof msg, "the writer did not return within %u ms of CPU time", timeout_ms);
		} else if (WIFSIGNALED(ws)) {
			snprintf(msg, sizeof msg, "the writer crashed: %s", strsignal(WTERMSIG(ws)));
		} else {
			snprintf(msg, sizeof msg, "the writer's process exited with status %d before the scenario ended",
			         WIFEXITED(ws) ? WEXITSTATUS(ws) : -1);
		}
		/* a record cut in the middle is dropped: keep whole records only */
		struct wtrace t;
		char e[200];
		while (n > WTRACE_HDR_LEN && trace_parse(b, n, &t, e, sizeof e) != 0) {
			size_t at = WTRACE_HDR_LEN, last = WTRACE_HDR_LEN;
			while (at + WTRACE_REC_HDR <= n) {
				uint32_t pl = (uint32_t)b[at + 4] | (uint32_t)b[at + 5] << 8 | (uint32_t)b[at + 6] << 16 |
				              (uint32_t)b[at + 7] << 24;
				if (pl > n - at - WTRACE_REC_HDR)
					break;
				last = at = at + WTRACE_REC_HDR + pl;
			}
			if (last == n)
				break;              /* whole records, yet unparseable: keep, the judge says so */
			n = last;
		}
		if (n >= WTRACE_HDR_LEN && trace_parse(b, n, &t, e, sizeof e) == 0)
			trace_free(&t);
		n += trace_enc_end(b + n, 0, why, msg);
	}
	*out = b;
	*outlen = n;
	return 0;
}
