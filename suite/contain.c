/* contain.c - the walls around the untrusted reader; see contain.h. */
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "contain.h"
#include "sha256.h"

#if defined(__has_include)
#if __has_include(<seccomp.h>)
#include <seccomp.h>
#define HAVE_SECCOMP 1
#endif
#if __has_include(<linux/landlock.h>)
#include <linux/landlock.h>
#define HAVE_LANDLOCK 1
#endif
#endif

#define NOBODY 65534
#define STR_(x) #x
#define STR(x) STR_(x)

static int reader_fd = -1;
static char reader_fdpath[32];
static rlim_t nproc_limit;            /* processes of our uid at start + headroom */
static char described[200];
static int no_walls;                  /* VMCLOCK_CTS_NO_WALLS=1: benchmarks only */

/* ---- the runner ---------------------------------------------------------- */

static unsigned count_procs(uid_t uid)
{
	unsigned n = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	if (!d)
		return 0;
	while ((de = readdir(d)))
		if (de->d_name[0] >= '0' && de->d_name[0] <= '9') {
			char p[300];
			struct stat st;
			snprintf(p, sizeof p, "/proc/%s", de->d_name);
			if (stat(p, &st) == 0 && st.st_uid == uid)
				n++;
		}
	closedir(d);
	return n;
}

void contain_runner_init(void)
{
	/* Measuring what the walls cost needs a run without them; such a run
	 * says so on stderr and in its report's containment line. */
	const char *nw = getenv("VMCLOCK_CTS_NO_WALLS");
	no_walls = nw && !strcmp(nw, "1");
	if (no_walls)
		fprintf(stderr, "vmclock-cts: warning: VMCLOCK_CTS_NO_WALLS=1: the reader runs WITHOUT containment (for benchmarks; not a valid run)\n");
	/* Orphans of a reader (a daemon it forked where seccomp is missing)
	 * are reparented to us instead of init: contain_end kills them. */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	/* A child of the same uid cannot ptrace us or open /proc/<us>/mem. */
	prctl(PR_SET_DUMPABLE, 0);
	/* RLIMIT_NPROC counts every process and thread of the uid, ours too:
	 * allow what exists now plus room for a reader's threads. */
	nproc_limit = (rlim_t)count_procs(geteuid() == 0 ? NOBODY : geteuid()) * 2 + 256;
}

/* ---- the reader's file ----------------------------------------------------- */

#if defined(__x86_64__)
#define OUR_MACHINE EM_X86_64
#define OUR_MACHINE_NAME "x86_64"
#elif defined(__aarch64__)
#define OUR_MACHINE EM_AARCH64
#define OUR_MACHINE_NAME "aarch64"
#else
#define OUR_MACHINE EM_NONE
#define OUR_MACHINE_NAME "this machine"
#endif

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_X86_64: return "x86_64";
	case EM_386: return "i386";
	case EM_AARCH64: return "aarch64";
	case EM_ARM: return "arm";
	case EM_RISCV: return "riscv";
	case EM_PPC64: return "ppc64";
	case EM_S390: return "s390";
	default: return "another machine";
	}
}

/* A load error names the real problem, not "No such file or directory"
 * (what dlopen says of an aarch64 object on x86_64). */
static int check_elf(int fd, const char *path, char *err, size_t errlen)
{
	Elf64_Ehdr h;
	ssize_t n = pread(fd, &h, sizeof h, 0);
	if (n < (ssize_t)EI_NIDENT || memcmp(h.e_ident, ELFMAG, SELFMAG) != 0) {
		snprintf(err, errlen, "%s is not an ELF shared object (build the reader with cc -shared -fPIC)", path);
		return -1;
	}
	if (h.e_ident[EI_CLASS] != ELFCLASS64 || n < (ssize_t)sizeof h) {
		snprintf(err, errlen, "%s is a 32-bit ELF object; this suite loads 64-bit %s readers", path, OUR_MACHINE_NAME);
		return -1;
	}
	if (OUR_MACHINE != EM_NONE && h.e_machine != OUR_MACHINE) {
		snprintf(err, errlen, "%s is built for %s (ELF machine %u); this suite runs %s readers (rebuild it for this machine)",
		         path, machine_name(h.e_machine), (unsigned)h.e_machine, OUR_MACHINE_NAME);
		return -1;
	}
	if (h.e_type != ET_DYN) {
		snprintf(err, errlen, "%s is an ELF %s, not a shared object (build the reader with cc -shared -fPIC)", path,
		         h.e_type == ET_EXEC ? "executable" : h.e_type == ET_REL ? "object file (.o)" : "file of another type");
		return -1;
	}
	return 0;
}

int contain_reader_open(const char *path, char sha256_hex[65], char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0) {
		snprintf(err, errlen, "cannot read %s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file (give the path of a shared object)", path);
		close(fd);
		return -1;
	}
	if (check_elf(fd, path, err, errlen) != 0) {
		close(fd);
		return -1;
	}
	/* A sealed copy: whatever happens to the file later (rebuilt, swapped
	 * by a reader's constructor), every child loads these bytes, and the
	 * hash is of these bytes, taken before any of them ran. */
	int m = memfd_create("", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	if (m < 0) {
		snprintf(err, errlen, "memfd_create: %s", strerror(errno));
		close(fd);
		return -1;
	}
	char buf[65536];
	ssize_t k;
	off_t at = 0;
	while ((k = pread(fd, buf, sizeof buf, at)) > 0) {
		if (write(m, buf, (size_t)k) != k) {
			snprintf(err, errlen, "cannot copy %s: %s", path, strerror(errno));
			close(fd);
			close(m);
			return -1;
		}
		at += k;
	}
	close(fd);
	if (k < 0 || fcntl(m, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0) {
		snprintf(err, errlen, "cannot copy and seal %s: %s", path, strerror(errno));
		close(m);
		return -1;
	}
	reader_fd = m;
	snprintf(reader_fdpath, sizeof reader_fdpath, "/proc/self/fd/%d", m);
	if (sha256_file(reader_fdpath, sha256_hex) != 0) {
		snprintf(err, errlen, "cannot hash %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

const char *contain_reader_path(const char *fallback)
{
	return reader_fd >= 0 ? reader_fdpath : fallback;
}

int contain_reader_fd(void)
{
	return reader_fd;
}

/* ---- the child ------------------------------------------------------------- */

static void note(const char *what)
{
	size_t l = strlen(described);
	snprintf(described + l, sizeof described - l, "%s%s", l ? ", " : "", what);
}

static int kept(int fd, const int *keep, size_t nkeep)
{
	for (size_t i = 0; i < nkeep; i++)
		if (keep[i] == fd)
			return 1;
	return 0;
}

static void close_others(const int *keep, size_t nkeep)
{
	DIR *d = opendir("/proc/self/fd");
	if (!d) {
		for (int fd = 3; fd < 1024; fd++)
			if (!kept(fd, keep, nkeep))
				close(fd);
		return;
	}
	int dfd = dirfd(d), fds[1024];
	size_t n = 0;
	struct dirent *de;
	while ((de = readdir(d)) && n < 1024) {
		int fd = atoi(de->d_name);
		if (de->d_name[0] != '.' && fd > 2 && fd != dfd && !kept(fd, keep, nkeep))
			fds[n++] = fd;
	}
	closedir(d);
	for (size_t i = 0; i < n; i++)
		close(fds[i]);
}

static void limits(void)
{
	struct rlimit rl = { 0, 0 };
	setrlimit(RLIMIT_CORE, &rl);
	rl.rlim_cur = rl.rlim_max = 64u << 20;
	setrlimit(RLIMIT_FSIZE, &rl);
	rl.rlim_cur = rl.rlim_max = 256;
	setrlimit(RLIMIT_NOFILE, &rl);
	if (nproc_limit) {
		rl.rlim_cur = rl.rlim_max = nproc_limit;
		setrlimit(RLIMIT_NPROC, &rl);
	}
	/* A backstop: the runner's own deadlines end a child long before. */
	rl.rlim_cur = 3600;
	rl.rlim_max = 3610;
	setrlimit(RLIMIT_CPU, &rl);
	/* Address space: what the child holds now plus CONTAIN_MEMORY. Relative,
	 * so the same limit holds in an ASan build (which reserves terabytes
	 * up front) as in a plain one: the reader's malloc fails alike. */
	unsigned long long pages = 0;
	FILE *f = fopen("/proc/self/statm", "r");
	if (f) {
		if (fscanf(f, "%llu", &pages) != 1)
			pages = 0;
		fclose(f);
	}
	if (pages) {
		rl.rlim_cur = rl.rlim_max = (rlim_t)pages * (rlim_t)sysconf(_SC_PAGESIZE) + ((rlim_t)CONTAIN_MEMORY_MB << 20);
		setrlimit(RLIMIT_AS, &rl);
		note("rlimits (core, file size, files, processes, CPU, address space + " STR(CONTAIN_MEMORY_MB) " MiB)");
	} else {
		note("rlimits (core, file size, files, processes, CPU; no address-space limit: /proc/self/statm unreadable)");
	}
}

static void landlock(void)
{
#if defined(HAVE_LANDLOCK) && defined(SYS_landlock_create_ruleset)
	long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LANDLOCK_CREATE_RULESET_VERSION);
	if (abi < 1) {
		note("no landlock (kernel)");
		return;
	}
	/* Every kind of write is handled and no rule allows any: reads stay
	 * free (the reader's own libraries), writes anywhere are refused. */
	struct landlock_ruleset_attr attr = {
		.handled_access_fs = LANDLOCK_ACCESS_FS_WRITE_FILE | LANDLOCK_ACCESS_FS_REMOVE_DIR |
		                     LANDLOCK_ACCESS_FS_REMOVE_FILE | LANDLOCK_ACCESS_FS_MAKE_CHAR |
		                     LANDLOCK_ACCESS_FS_MAKE_DIR | LANDLOCK_ACCESS_FS_MAKE_REG |
		                     LANDLOCK_ACCESS_FS_MAKE_SOCK | LANDLOCK_ACCESS_FS_MAKE_FIFO |
		                     LANDLOCK_ACCESS_FS_MAKE_BLOCK | LANDLOCK_ACCESS_FS_MAKE_SYM,
	};
	if (abi >= 2)
		attr.handled_access_fs |= 1ull << 13;   /* LANDLOCK_ACCESS_FS_REFER */
	if (abi >= 3)
		attr.handled_access_fs |= 1ull << 14;   /* LANDLOCK_ACCESS_FS_TRUNCATE */
	int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
	if (fd < 0 || syscall(SYS_landlock_restrict_self, fd, 0) != 0) {
		note("no landlock (refused)");
		if (fd >= 0)
			close(fd);
		return;
	}
	close(fd);
	note("landlock (no file writes)");
#else
	note("no landlock (not built in)");
#endif
}

#ifdef HAVE_SECCOMP
static int deny(scmp_filter_ctx c, int nr, unsigned n, ...)
{
	struct scmp_arg_cmp a[3];
	va_list ap;
	va_start(ap, n);
	for (unsigned i = 0; i < n && i < 3; i++)
		a[i] = va_arg(ap, struct scmp_arg_cmp);
	va_end(ap);
	return seccomp_rule_add_array(c, SCMP_ACT_ERRNO(EPERM), nr, n, a);
}
#endif

static void filter(uint64_t tag)
{
#ifdef HAVE_SECCOMP
	scmp_filter_ctx c = seccomp_init(SCMP_ACT_ALLOW);
	if (!c) {
		note("no seccomp (init failed)");
		return;
	}
	const scmp_datum_t me = (scmp_datum_t)getpid();
	int rc = 0;
	/* No new processes: threads only (clone with CLONE_THREAD; clone3's
	 * flags are out of a filter's reach, so it is "not implemented" and
	 * glibc falls back to clone). No other program either. */
	rc |= deny(c, SCMP_SYS(fork), 0);
	rc |= deny(c, SCMP_SYS(vfork), 0);
	rc |= deny(c, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, CLONE_THREAD, 0));
	rc |= seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0);
	rc |= deny(c, SCMP_SYS(execve), 0);
	rc |= deny(c, SCMP_SYS(execveat), 0);
	/* Nobody else's memory or signals. */
	static const int other[] = { SCMP_SYS(ptrace), SCMP_SYS(process_vm_readv), SCMP_SYS(process_vm_writev),
	                             SCMP_SYS(kcmp), SCMP_SYS(pidfd_open), SCMP_SYS(pidfd_send_signal),
	                             SCMP_SYS(pidfd_getfd), SCMP_SYS(tkill), SCMP_SYS(setsid), SCMP_SYS(setpgid),
	                             SCMP_SYS(setrlimit), SCMP_SYS(unshare), SCMP_SYS(setns), SCMP_SYS(shmat),
	                             SCMP_SYS(userfaultfd), SCMP_SYS(pkey_mprotect) };
	for (size_t i = 0; i < sizeof other / sizeof other[0]; i++)
		rc |= deny(c, other[i], 0);
	rc |= deny(c, SCMP_SYS(kill), 1, SCMP_A0(SCMP_CMP_NE, me));
	rc |= deny(c, SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_NE, me));
	rc |= deny(c, SCMP_SYS(rt_sigqueueinfo), 1, SCMP_A0(SCMP_CMP_NE, me));
	rc |= deny(c, SCMP_SYS(rt_tgsigqueueinfo), 1, SCMP_A0(SCMP_CMP_NE, me));
	rc |= deny(c, SCMP_SYS(prlimit64), 1, SCMP_A2(SCMP_CMP_NE, 0));
	static const int prctls[] = { PR_SET_DUMPABLE, PR_SET_PTRACER, PR_SET_MM, PR_SET_CHILD_SUBREAPER,
	                              PR_SET_PDEATHSIG, PR_SET_SECUREBITS, PR_CAP_AMBIENT };
	for (size_t i = 0; i < sizeof prctls / sizeof prctls[0]; i++)
		rc |= deny(c, SCMP_SYS(prctl), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)prctls[i]));
	/* The engine's signals stay the engine's (a handler of the reader's
	 * could hide its own faults, e.g. reads past the mapping); the suite
	 * resets them itself with the tag in the unused 5th argument. */
	static const int sigs[] = { SIGSEGV, SIGBUS, SIGTRAP };
	for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++)
		rc |= deny(c, SCMP_SYS(rt_sigaction), 3, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)sigs[i]),
		           SCMP_A1(SCMP_CMP_NE, 0), SCMP_A4(SCMP_CMP_NE, tag));
	/* The low mappings (the page view) change only by the suite's own
	 * tagged mprotect; no one maps anything else down there, so a range
	 * starting lower cannot reach them either (mprotect stops at a hole). */
	rc |= deny(c, SCMP_SYS(mprotect), 2, SCMP_A0(SCMP_CMP_LT, CONTAIN_LOW_END), SCMP_A3(SCMP_CMP_NE, tag));
	static const int maps[] = { SCMP_SYS(munmap), SCMP_SYS(mremap), SCMP_SYS(madvise), SCMP_SYS(remap_file_pages),
	                            SCMP_SYS(mbind) };
	for (size_t i = 0; i < sizeof maps / sizeof maps[0]; i++)
		rc |= deny(c, maps[i], 1, SCMP_A0(SCMP_CMP_LT, CONTAIN_LOW_END));
	/* mmap at [4 KiB, LOW_END) (a null hint is fine): one power-of-two
	 * band per rule, as a rule may test an argument only once. */
	for (unsigned b = 12; (1ul << b) < CONTAIN_LOW_END; b++) {
		rc |= deny(c, SCMP_SYS(mmap), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, ~((1ul << b) - 1), 1ul << b));
		rc |= deny(c, SCMP_SYS(mremap), 1, SCMP_A4(SCMP_CMP_MASKED_EQ, ~((1ul << b) - 1), 1ul << b));
	}
	/* io_uring runs its operations outside this filter. */
	rc |= seccomp_rule_add(c, SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(io_uring_setup), 0);
	if (rc != 0 || seccomp_load(c) != 0)
		note("no seccomp (filter refused)");
	else
		note("seccomp");
	seccomp_release(c);
#else
	(void)tag;
	note("no seccomp (built without libseccomp)");
#endif
}

uint64_t contain_child_enter(const int *keep, size_t nkeep)
{
	described[0] = 0;
	/* Own session and process group: kill(0, ...) reaches only the
	 * reader's own group, and the runner kills that group when done. */
	if (setsid() >= 0)
		note("own session");
	close_others(keep, nkeep);
	int dn = open("/dev/null", O_RDWR);
	if (dn >= 0) {
		dup2(dn, 0);
		dup2(dn, 1);
		if (dn > 2)
			close(dn);
	}
	/* The runner's name, inherited, would tell the reader where it runs. */
	prctl(PR_SET_NAME, "app");
	if (no_walls) {
		described[0] = 0;
		note("NONE (VMCLOCK_CTS_NO_WALLS=1: a benchmark run, not a valid verdict)");
		return 0;
	}
	if (geteuid() == 0) {
		/* root's capabilities would let it ptrace a non-dumpable runner */
		if (setgroups(0, NULL) == 0 && setgid(NOBODY) == 0 && setuid(NOBODY) == 0)
			note("uid 65534");
		else
			note("STILL ROOT (setuid failed)");
	}
	prctl(PR_SET_DUMPABLE, 0);
	note("non-dumpable");
	prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
	limits();
	landlock();
	uint64_t tag = 0;
	while (!tag)
		if (getrandom(&tag, sizeof tag, 0) != sizeof tag)
			tag = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull ^ (uint64_t)(uintptr_t)&tag;
	filter(tag);
	return tag;
}

void contain_child_loaded(const int *keep, size_t nkeep)
{
	close_others(keep, nkeep);
}

const char *contain_child_describe(void)
{
	return described;
}

/* ---- after a batch --------------------------------------------------------- */

static void reap_strays(void)
{
	pid_t me = getpid();
	for (int round = 0; round < 8; round++) {
		int found = 0;
		DIR *d = opendir("/proc");
		struct dirent *de;
		if (!d)
			return;
		while ((de = readdir(d))) {
			if (de->d_name[0] < '0' || de->d_name[0] > '9')
				continue;
			char p[300], buf[512];
			snprintf(p, sizeof p, "/proc/%s/stat", de->d_name);
			int fd = open(p, O_RDONLY | O_CLOEXEC);
			if (fd < 0)
				continue;
			ssize_t n = read(fd, buf, sizeof buf - 1);
			close(fd);
			if (n <= 0)
				continue;
			buf[n] = 0;
			const char *r = strrchr(buf, ')');
			int ppid = 0;
			if (r && sscanf(r + 1, " %*c %d", &ppid) == 1 && ppid == me) {
				pid_t pid = (pid_t)atoi(de->d_name);
				kill(pid, SIGKILL);
				while (waitpid(pid, NULL, 0) < 0 && errno == EINTR)
					;
				found = 1;
			}
		}
		closedir(d);
		if (!found)
			return;
	}
}

void contain_end(pid_t child, int *wstatus)
{
	int ws = 0;
	/* Kill before wait: the group id stays ours until the child is reaped. */
	kill(-child, SIGKILL);
	kill(child, SIGKILL);
	while (waitpid(child, &ws, 0) < 0 && errno == EINTR)
		;
	if (wstatus)
		*wstatus = ws;
	reap_strays();
}

/* ---- watching a child ------------------------------------------------------ */

/* A number from /proc/PID/FILE: field `field` (1-based) after the command
 * name's closing parenthesis (stat) or from the start (statm); 0 if unknown. */
static unsigned long long proc_field(const char *path, int field)
{
	char buf[1024];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof buf - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	const char *p = strrchr(buf, ')');   /* the command name may hold spaces */
	p = p ? p + 1 : buf;
	unsigned long long v = 0;
	for (int f = 0; f < field; f++) {
		while (*p == ' ')
			p++;
		if (!*p)
			return 0;
		v = strtoull(p, (char **)&p, 10);
		while (*p && *p != ' ')
			p++;
	}
	return v;
}

uint64_t contain_cpu_ms(pid_t pid, pid_t tid)
{
	char path[64];
	if (tid)
		snprintf(path, sizeof path, "/proc/%d/task/%d/stat", (int)pid, (int)tid);
	else
		snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	/* utime and stime: fields 14 and 15 of stat, 12 and 13 after the name */
	unsigned long long t = proc_field(path, 12) + proc_field(path, 13);
	long hz = sysconf(_SC_CLK_TCK);
	return t * 1000u / (uint64_t)(hz > 0 ? hz : 100);
}

uint64_t contain_rss_mb(pid_t pid)
{
	char path[64];
	snprintf(path, sizeof path, "/proc/%d/statm", (int)pid);
	return proc_field(path, 2) * (uint64_t)sysconf(_SC_PAGESIZE) >> 20;
}

/* ---- a question asked behind the walls ------------------------------------ */

int contain_probe(void (*fn)(void *buf, void *ctx), void *ctx, void *buf, size_t len, int *wstatus)
{
	int p[2], ws = 0;
	if (wstatus)
		*wstatus = 0;
	if (pipe2(p, O_CLOEXEC) < 0)
		return -1;
	fflush(stdout);
	fflush(stderr);
	pid_t pid = fork();
	if (pid == 0) {
		close(p[0]);
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		memset(buf, 0, len);
		/* the same walls as the case children, so the report can say
		 * which stood (and a constructor meets them too) */
		const int keep[] = { p[1], contain_reader_fd() };
		contain_child_enter(keep, 2);
		fn(buf, ctx);
		_exit(write(p[1], buf, len) == (ssize_t)len ? 0 : 1);
	}
	close(p[1]);
	/* 10 s: loading and an info function, no more; a hang is the answer */
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t got = 0;
	while (pid > 0 && got < len) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec >= 10)
			break;
		struct pollfd pf = { p[0], POLLIN, 0 };
		if (poll(&pf, 1, 100) <= 0)
			continue;
		ssize_t k = read(p[0], (char *)buf + got, len - got);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	if (pid > 0)
		contain_end(pid, &ws);
	close(p[0]);
	if (wstatus)
		*wstatus = ws;
	return pid > 0 && got == len ? 0 : -1;
}
