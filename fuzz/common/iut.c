/* iut.c - choose the reader under test (iut.h). */
#include "iut.h"

#include <dlfcn.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "finding.h"
#include "reader.h"

static struct fz_iut g_iut;
static char g_env[PATH_MAX + 64];
static int g_odd = -1;

static void set_env(const char *reader)
{
	snprintf(g_env, sizeof g_env, "%s%s%s", reader ? "VMCLOCK_FUZZ_READER=" : "", reader ? reader : "",
	         g_odd == 1 ? (reader ? " VMCLOCK_FUZZ_ODD=1" : "VMCLOCK_FUZZ_ODD=1") : "");
	fz_set_replay_env(g_env[0] ? g_env : NULL);
}

int fz_keep_odd(void)
{
	if (g_odd < 0) {
		const char *e = getenv("VMCLOCK_FUZZ_ODD");
		g_odd = e && !strcmp(e, "1");
	}
	return g_odd;
}

/* A reader linked into the target (fuzz/build.sh FUZZ_READER_SRC=...: how a
 * fuzzing service runs your reader, without dlopen). */
int vmclock_iut_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *counter,
                     struct vmclock_iut_reading *out) __attribute__((weak));
const struct vmclock_iut_info *vmclock_iut_info(void) __attribute__((weak));

static void load(void)
{
	const char *p = getenv("VMCLOCK_FUZZ_READER");
	if ((!p || !*p) && vmclock_iut_read) {
		g_iut.read = vmclock_iut_read;
		const struct vmclock_iut_info *i = vmclock_iut_info ? vmclock_iut_info() : NULL;
		g_iut.declared = i ? i->provides : 0;
		g_iut.name = i && i->name ? i->name : "linked reader";
		fz_keep_odd();
		set_env(NULL);
		return;
	}
	if (!p || !*p) {
		g_iut.read = vmclock_ref_read;
		g_iut.name = "reference (linked)";
		g_iut.is_reference = 1;
		fz_keep_odd();
		set_env(NULL);
		return;
	}
	char abs[PATH_MAX];
	if (!realpath(p, abs)) {
		fprintf(stderr, "vmclock fuzz: VMCLOCK_FUZZ_READER=%s: no such file\n", p);
		exit(2);
	}
	void *h = dlopen(abs, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		fprintf(stderr, "vmclock fuzz: cannot load %s: %s\n", abs, dlerror());
		exit(2);
	}
	*(void **)&g_iut.read = dlsym(h, "vmclock_iut_read");
	if (!g_iut.read) {
		fprintf(stderr, "vmclock fuzz: %s exports no vmclock_iut_read\n", abs);
		exit(2);
	}
	const struct vmclock_iut_info *(*info)(void);
	*(void **)&info = dlsym(h, "vmclock_iut_info");
	const struct vmclock_iut_info *i = info ? info() : NULL;
	if (i && i->contract_version != VMCLOCK_IUT_CONTRACT_VERSION) {
		fprintf(stderr, "vmclock fuzz: %s declares contract %u, this suite speaks %d\n", abs,
		        i->contract_version, VMCLOCK_IUT_CONTRACT_VERSION);
		exit(2);
	}
	/* A reader that reads the TSC itself cannot be handed a fuzzed
	 * counter value: its time could not be judged. */
	if (i && (i->caps & VMCLOCK_IUT_CAP_RDTSC)) {
		fprintf(stderr, "vmclock fuzz: %s reads rdtsc itself (VMCLOCK_IUT_CAP_RDTSC): use vmclock-cts check\n", abs);
		exit(2);
	}
	g_iut.declared = i ? i->provides : 0;
	g_iut.name = strdup(abs);
	fz_keep_odd();
	set_env(g_iut.name);
}

const struct fz_iut *fz_iut_get(void)
{
	if (!g_iut.read)
		load();
	return &g_iut;
}
