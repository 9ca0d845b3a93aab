/* wrecord.c - `trace record`: sample a live page read-only and keep every
 * change seen, as a SAMPLED trace (wtrace.h).
 *
 * Each sample is a seqlock read of the structure (seq_count, the bytes,
 * seq_count again) stamped with the CPU counter: a sample whose two
 * seq_count loads agree and are even is one committed state; one that
 * starts odd is kept as an update in progress (its bytes may be torn: the
 * judge only asks of odd images that seq_count is odd); one whose
 * seq_count moved during the copy is dropped and taken again. A change
 * between samples is an IMAGE record. The judge knows samples can miss
 * images (SAMPLED): it judges seq_count steps only on exact traces.
 * A page whose magic is still 0 is not yet published and not recorded. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "abi.h"
#include "wmain.h"
#include "wtrace.h"

uint64_t wcounter_now(void)
{
#if defined(__x86_64__)
	uint32_t lo, hi;
	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return (uint64_t)hi << 32 | lo;
#else
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
#endif
}

static uint64_t now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static int put(FILE *f, const void *b, size_t n)
{
	return fwrite(b, 1, n, f) == n ? 0 : -1;
}

int wrecord(const char *path, const char *out, unsigned duration_ms)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 && (errno == ENOENT || errno == ENODEV || errno == ENXIO)) {
		fprintf(stderr, "vmclock-cts: no page to record: %s does not exist (%s)%s\n", path, strerror(errno),
		        !strncmp(path, "/dev/vmclock", 12)
		                ? "; no VMClock device on this machine (a guest kernel with the vmclock driver and a hypervisor that offers it)"
		                : "");
		return 3;
	}
	if (fd < 0) {
		fprintf(stderr, "vmclock-cts: error: cannot open %s: %s\n", path, strerror(errno));
		return 2;
	}
	struct stat st;
	size_t len = VMCLOCK_PAGE_SIZE;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		len = st.st_size < (off_t)VMCLOCK_PAGE_SIZE ? (size_t)st.st_size : VMCLOCK_PAGE_SIZE;
	if (len < VMCLOCK_ABI_SIZE) {
		fprintf(stderr, "vmclock-cts: error: %s holds %zu bytes, less than a VMClock structure (%d)\n", path, len,
		        VMCLOCK_ABI_SIZE);
		close(fd);
		return 2;
	}
	const volatile uint8_t *p = mmap(NULL, len, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		fprintf(stderr, "vmclock-cts: error: cannot map %s read-only: %s\n", path, strerror(errno));
		return 2;
	}
	FILE *f = fopen(out, "wb");
	if (!f) {
		fprintf(stderr, "vmclock-cts: error: cannot write --out %s: %s\n", out, strerror(errno));
		return 2;
	}
	uint8_t hdr[WTRACE_HDR_LEN];
	int bad = put(f, hdr, trace_enc_header(hdr, WTRACE_F_SAMPLED, (uint32_t)len, VMCLOCK_ABI_SIZE, 0));
	uint8_t last[VMCLOCK_ABI_SIZE], cur[VMCLOCK_ABI_SIZE];
	int have = 0;
	unsigned long samples = 0, images = 0, dropped = 0;
	static uint8_t rec[WTRACE_REC_HDR + 8 + VMCLOCK_ABI_SIZE];
	uint64_t end = now_ms() + duration_ms, c = 0;
	while (!bad) {
		if ((samples & 1023) == 0 && now_ms() >= end)
			break;
		uint32_t s1 = vmclock_load32(p, VMCLOCK_OFF_seq_count);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		for (size_t i = 0; i < VMCLOCK_ABI_SIZE; i++)
			cur[i] = p[i];
		c = wcounter_now();
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		uint32_t s2 = vmclock_load32(p, VMCLOCK_OFF_seq_count);
		samples++;
		if (s1 != s2) {
			dropped++;
			continue;
		}
		if (vmclock_load32(cur, 0) == 0 && !have)
			continue;               /* not published yet */
		if (have && !memcmp(cur, last, sizeof cur))
			continue;
		memcpy(last, cur, sizeof cur);
		have = 1;
		images++;
		bad |= put(f, rec, trace_enc_image(rec, c, 0, 0, 0, cur, VMCLOCK_ABI_SIZE));
	}
	bad |= put(f, rec, trace_enc_end(rec, c, WTRACE_END_STOPPED, "recording time over"));
	if (fclose(f) != 0 || bad) {
		fprintf(stderr, "vmclock-cts: error: cannot write --out %s: %s\n", out, strerror(errno));
		return 2;
	}
	printf("recorded %lu images of %s in %u ms (%lu samples, %lu retaken while seq_count moved) to %s\n", images, path,
	       duration_ms, samples, dropped, out);
	return 0;
}
