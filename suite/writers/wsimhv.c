/* wsimhv.c - a simulated hypervisor: runs a writer under test on a shared
 * file, with the real CPU counter, so `trace record` can sample it from
 * another process (the acceptance test of issue 10: a recorded trace gets
 * the verdicts of the linked run of the same writer).
 *
 * Like a hypervisor it fills the page before the guest can see it: INIT
 * runs on a private copy, which is then published with the magic last (a
 * sampler skips pages whose magic is 0). A live page has no guest memory
 * to roll back, so a restore or clone only tells the writer; snapshots are
 * not taken. Events are pace_us apart, so each state lives long enough to
 * be sampled. Not contained: a tool the user runs on a writer they choose. */
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "wmain.h"
#include "wscenario.h"

typedef int (*event_fn)(volatile void *, size_t, const struct vmclock_wut_event *);

int wsimulate(const char *writer, const char *path, int scen, uint64_t seed, unsigned pace_us)
{
	void *dl = dlopen(writer, RTLD_NOW | RTLD_LOCAL);
	event_fn fn = dl ? (event_fn)(uintptr_t)dlsym(dl, "vmclock_wut_event") : NULL;
	if (!fn) {
		fprintf(stderr, "vmclock-cts: error: cannot load %s: %s\n", writer, dl ? "no vmclock_wut_event" : dlerror());
		return 2;
	}
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0 || ftruncate(fd, VMCLOCK_PAGE_SIZE) != 0) {
		fprintf(stderr, "vmclock-cts: error: cannot open --page %s\n", path);
		return 2;
	}
	volatile uint8_t *page = mmap(NULL, VMCLOCK_PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (page == MAP_FAILED) {
		fprintf(stderr, "vmclock-cts: error: cannot map --page %s\n", path);
		return 2;
	}
	static struct wsc_plan_item plan[WSC_MAX_EVENTS];
	size_t n = wsc_plan(scen, seed, plan, WSC_MAX_EVENTS);
	struct wsc_host h;
	wsc_host_init(&h, seed, wcounter_now());
	static uint8_t priv[VMCLOCK_PAGE_SIZE];
	struct timespec pace = { 0, (long)pace_us * 1000 };
	unsigned done = 0;
	for (size_t i = 0; i < n; i++) {
		if (plan[i].kind == VMCLOCK_WUT_SNAPSHOT)
			continue;
		struct vmclock_wut_event ev;
		wsc_host_event(&h, plan[i].kind, wcounter_now(), &ev);
		if (ev.kind == VMCLOCK_WUT_INIT) {
			if (fn(priv, VMCLOCK_PAGE_SIZE, &ev) < 0)
				return 2;
			for (size_t k = 4; k < VMCLOCK_PAGE_SIZE; k++)
				page[k] = priv[k];
			__atomic_thread_fence(__ATOMIC_RELEASE);
			for (size_t k = 0; k < 4; k++)
				page[k] = priv[k];
		} else if (fn(page, VMCLOCK_PAGE_SIZE, &ev) < 0) {
			fprintf(stderr, "vmclock-cts: error: the writer failed event %u (%s)\n", ev.index, wsc_name(scen));
			return 2;
		}
		done++;
		nanosleep(&pace, NULL);
	}
	printf("simulated %s: %u events of scenario %s on %s\n", writer, done, wsc_name(scen), path);
	return 0;
}
