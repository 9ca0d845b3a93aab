/* finding.c - one clause line and one replay line per finding (finding.h). */
#include "finding.h"

#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t *g_data;
static size_t g_size;
static const char *g_path;
static const char *g_env;

void fz_set_input(const uint8_t *data, size_t size)
{
	g_data = data;
	g_size = size;
}

void fz_set_input_path(const char *path)
{
	g_path = path;
}

void fz_set_replay_env(const char *env)
{
	g_env = env;
}

/* FNV-1a: a stable short name for a saved input (same bytes, same file). */
static uint64_t fnv1a(const uint8_t *p, size_t n)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3ull;
	return h;
}

/* Saves the input under $VMCLOCK_FUZZ_FINDINGS (default: the current
 * directory, like libFuzzer's artifacts) as CLAUSE-HASH.bin. */
static const char *save_input(const char *clause, char *buf, size_t len)
{
	if (g_path)
		return g_path;
	const char *dir = getenv("VMCLOCK_FUZZ_FINDINGS");
	snprintf(buf, len, "%s/%s-%016llx.bin", dir && *dir ? dir : ".", clause,
	         (unsigned long long)fnv1a(g_data, g_size));
	FILE *f = fopen(buf, "wb");
	if (!f || (g_size && fwrite(g_data, 1, g_size, f) != g_size)) {
		if (f)
			fclose(f);
		return "(input not saved: cannot write it)";
	}
	fclose(f);
	return buf;
}

static const char *self_exe(char *buf, size_t len)
{
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0)
		return "FUZZER";
	buf[n] = 0;
	return buf;
}

/* Continue mode: the smallest input size saved per clause so far. */
#define MAX_CLAUSES 64
static struct { const char *clause; size_t size; } g_seen[MAX_CLAUSES];
static int g_continue = -1;

static int already_have(const char *clause)
{
	int i = 0;
	while (i < MAX_CLAUSES && g_seen[i].clause && strcmp(g_seen[i].clause, clause))
		i++;
	if (i == MAX_CLAUSES)
		return 1;
	if (g_seen[i].clause && g_seen[i].size <= g_size)
		return 1;
	g_seen[i].clause = clause;
	g_seen[i].size = g_size;
	return 0;
}

void fz_finding(const char *target, const char *clause, const char *fmt, ...)
{
	if (g_continue < 0) {
		const char *e = getenv("VMCLOCK_FUZZ_CONTINUE");
		g_continue = e && !strcmp(e, "1") && !g_path;
	}
	if (g_continue && already_have(clause))
		return;
	char ev[512], file[PATH_MAX + 64], exe[PATH_MAX];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ev, sizeof ev, fmt, ap);
	va_end(ap);
	char abs[PATH_MAX];
	const char *saved = save_input(clause, file, sizeof file);
	if (saved[0] != '(' && realpath(saved, abs))
		saved = abs;
	fflush(stdout);
	fprintf(stderr, "%s %s %s: %s\n", FZ_MARK, clause, target, ev);
	fprintf(stderr, "replay: %s%s%s %s\n", g_env ? g_env : "", g_env ? " " : "", self_exe(exe, sizeof exe), saved);
	fflush(stderr);
	if (!g_continue)
		abort();
}

static void put(const char *s)
{
	size_t n = strlen(s);
	while (n) {
		ssize_t w = write(2, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

void fz_finding_signal(const char *target, const char *clause, const char *evidence)
{
	char exe[PATH_MAX];
	put(FZ_MARK " ");
	put(clause);
	put(" ");
	put(target);
	put(": ");
	put(evidence);
	put("\nreplay: ");
	if (g_env) {
		put(g_env);
		put(" ");
	}
	put(self_exe(exe, sizeof exe));
	put(" ");
	put(g_path ? g_path : "CRASH-FILE (the input the engine saved: crash-*, crashes/id:*)");
	put("\n");
}
