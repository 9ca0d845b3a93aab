/* VMCLOCK-EXPECT: FAIL R-HDR-MAGIC R-HDR-VERSION R-HDR-SIZE R-HDR-COUNTER R-HDR-TIMETYPE R-SEQ-ODD R-SEQ-TORN R-SEQ-WRAP R-SEQ-BOUNDED R-SEQ-WINDOW R-TIME-EXACT R-TIME-SHIFT R-TIME-TAI R-ERR-FLAGS R-ERR-BOUND R-STAT-UNRELIABLE R-DISR-MARKER R-VMGEN R-MONO R-ROB-NOCRASH R-TIME-LIVE R-CONTRACT */
/* hostile_start_spam.c - keeps the runner busy from a thread of its own
 * (issue item 12). On its first call in each process it writes the blob
 * below at once (so every batch interferes, however the threads are
 * scheduled: a deterministic verdict), then starts a thread
 * that, every 500 ms, forever, writes a 4096-byte blob whose first int is 0
 * (MSG_START) and second 0 (case index 0) to every pipe among fds 3..63:
 * the runner keeps restarting case 0's clock, or reads the blobs out of
 * step with its own messages. Its defect (the bad_mul64 knob) is always on.
 * Threads stay allowed in the hardened child, so the writes still reach the
 * result pipe: the suite must validate every message (a START only for the
 * next case, once) and treat a bad one as the reader's doing; the run must
 * end in bounded time (harness/tests/contain.bats). It does: a START out of
 * turn is "tried to interfere with the suite", a FAIL of the case in
 * progress, and every clause has such a case (each process starts the
 * thread): every clause FAILs. */
#include <pthread.h>
#include <signal.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "basereader.h"

static const struct br_defects d = { .mul64 = 1 };

static unsigned blob[1024];           /* MSG_START, idx 0 */

static void spam_once(void)
{
	for (int fd = 3; fd < 64; fd++) {
		struct stat st;
		if (fstat(fd, &st) == 0 && S_ISFIFO(st.st_mode) && write(fd, blob, sizeof blob) < 0)
			continue;
	}
}

static void *spam(void *arg)
{
	(void)arg;
	signal(SIGPIPE, SIG_IGN);
	for (;;) {
		spam_once();
		const struct timespec ts = { 0, 500 * 1000 * 1000 };
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static int hostile_read(const volatile void *page, size_t len, const struct vmclock_iut_counter *c,
                        struct vmclock_iut_reading *out, const struct br_defects *dd)
{
	static int started;
	pthread_t t;
	if (!started) {
		started = 1;
		signal(SIGPIPE, SIG_IGN);
		spam_once();   /* at once: every process interferes, whatever the thread's timing */
		if (pthread_create(&t, NULL, spam, NULL) == 0)
			pthread_detach(t);
	}
	return br_read(page, len, c, out, dd);
}
#define br_read hostile_read
BR_EXPORT(d, "hostile_start_spam")
