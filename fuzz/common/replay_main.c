/* replay_main.c - the plain replay driver: no fuzzing engine. Runs
 * LLVMFuzzerTestOneInput once per file (directories: every file in them,
 * sorted), so `make test` replays corpora and regressions under ASan+UBSan
 * with the compiler of the rest of the build.
 *
 *   REPLAY-BINARY FILE|DIR...
 * Exit 0 when every input ran clean; a finding aborts (finding.c) with its
 * clause and replay line. VMCLOCK_FUZZ_TIMEOUT (s, default 10) bounds each
 * input: a hang is reported as a finding on the target's hang clause. */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "finding.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));
/* A target may say which clause a hang of its input belongs to. */
const char *fz_hang_clause(const uint8_t *data, size_t size) __attribute__((weak));

static uint8_t *g_buf;
static size_t g_n;

static void on_alarm(int sig)
{
	(void)sig;
	const char *clause = fz_hang_clause ? fz_hang_clause(g_buf, g_n) : "R-ROB-NOCRASH";
	fz_finding_signal("replay", clause, "did not return within VMCLOCK_FUZZ_TIMEOUT (a hang)");
	_exit(3);
}

static int run_file(const char *path, unsigned timeout)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return 2;
	}
	free(g_buf);
	g_buf = NULL;
	g_n = 0;
	size_t cap = 0;
	for (;;) {
		if (g_n == cap) {
			cap = cap ? 2 * cap : 4096;
			uint8_t *nb = realloc(g_buf, cap);
			if (!nb) {
				fclose(f);
				return 2;
			}
			g_buf = nb;
		}
		size_t got = fread(g_buf + g_n, 1, cap - g_n, f);
		if (!got)
			break;
		g_n += got;
	}
	fclose(f);
	/* An exact-size copy: ASan sees a read one past the input. */
	uint8_t *exact = malloc(g_n ? g_n : 1);
	if (!exact)
		return 2;
	memcpy(exact, g_buf, g_n);
	/* the replay line names the file by an absolute path: pasted anywhere */
	static char abs[4096];
	fz_set_input_path(realpath(path, abs) ? abs : path);
	alarm(timeout);
	LLVMFuzzerTestOneInput(exact, g_n);
	alarm(0);
	free(exact);
	return 0;
}

static int cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int run_path(const char *path, unsigned timeout, unsigned *count)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 2;
	}
	if (!S_ISDIR(st.st_mode)) {
		(*count)++;
		return run_file(path, timeout);
	}
	struct dirent **list;
	int n = scandir(path, &list, NULL, NULL);
	if (n < 0) {
		perror(path);
		return 2;
	}
	char **names = calloc((size_t)n + 1, sizeof *names);
	int m = 0, rc = 0;
	for (int i = 0; i < n; i++) {
		if (list[i]->d_name[0] != '.')
			names[m++] = strdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	qsort(names, (size_t)m, sizeof *names, cmp);
	for (int i = 0; i < m && !rc; i++) {
		size_t len = strlen(path) + strlen(names[i]) + 2;
		char *p = malloc(len);
		snprintf(p, len, "%s/%s", path, names[i]);
		rc = run_path(p, timeout, count);
		/* the name is kept for the replay line of a finding: freed only
		 * when the input ran clean */
		if (!rc)
			free(p);
	}
	for (int i = 0; i < m; i++)
		free(names[i]);
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE|DIR...  (replays each input once, no fuzzing engine)\n", argv[0]);
		return 2;
	}
	const char *t = getenv("VMCLOCK_FUZZ_TIMEOUT");
	unsigned timeout = t && atoi(t) > 0 ? (unsigned)atoi(t) : 10;
	signal(SIGALRM, on_alarm);
	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	unsigned count = 0;
	for (int i = 1; i < argc; i++) {
		int rc = run_path(argv[i], timeout, &count);
		if (rc)
			return rc;
	}
	printf("replayed %u input(s): no finding\n", count);
	free(g_buf);
	return 0;
}
