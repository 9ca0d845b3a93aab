/* outfile.c - the report files of a run (--json, --junit): see outfile.h. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "outfile.h"

static const char *const opt_name[OUT_KINDS] = { "--json", "--junit" };

static struct outfile {
	const char *arg;             /* the name as given (for messages), NULL: not asked for */
	char path[PATH_MAX];         /* the file it names, symlinks resolved */
	char tmp[PATH_MAX + 8];      /* path.XXXXXX */
	struct stat st;              /* of path, when exists */
	int exists;
	volatile sig_atomic_t made;  /* tmp was created (the signal handler reads it) */
} outs[OUT_KINDS];
/* Every report file passed its checks: only then are their names ours to
 * remove (a name refused, e.g. the reader's own, must never be). */
static volatile sig_atomic_t checked;
static pid_t owner;
static int committed;

static int fail(char *err, size_t len, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, len, fmt, ap);
	va_end(ap);
	return -1;
}

/* The file a name stands for, symlinks resolved (a report written through a
 * link lands where the link points, as with fopen()); for a file yet to be
 * made, its resolved directory and its own name. */
static int canon(const char *name, char *buf)
{
	if (realpath(name, buf))
		return 0;
	if (errno != ENOENT)
		return -1;
	const char *slash = strrchr(name, '/');
	const char *base = slash ? slash + 1 : name;
	char dir[PATH_MAX], rdir[PATH_MAX];
	if (!*base) {
		errno = EISDIR;   /* "new/": a directory that does not exist */
		return -1;
	}
	if (!slash)
		strcpy(dir, ".");
	else if (slash == name)
		strcpy(dir, "/");
	else if ((size_t)(slash - name) < sizeof dir)
		snprintf(dir, sizeof dir, "%.*s", (int)(slash - name), name);
	else
		goto too_long;
	if (!realpath(dir, rdir))
		return -1;
	if ((size_t)snprintf(buf, PATH_MAX, "%s/%s", strcmp(rdir, "/") ? rdir : "", base) < PATH_MAX)
		return 0;
too_long:
	errno = ENAMETOOLONG;
	return -1;
}

static int same(const char *p1, const struct stat *s1, int e1, const char *p2, const struct stat *s2, int e2)
{
	return !strcmp(p1, p2) || (e1 && e2 && s1->st_dev == s2->st_dev && s1->st_ino == s2->st_ino);
}

/* Every exit() before the commit is an ending without a verdict (set-up
 * errors found during the run call exit(2) from several files). A reader
 * child forked from us that calls exit() is not us. */
static void at_exit(void)
{
	if (getpid() == owner && !committed)
		outfile_discard();
}

int outfile_prepare(const char *const names[OUT_KINDS], const char *reader, char *err, size_t len)
{
	char rpath[PATH_MAX];
	struct stat rst;
	int have_rpath = canon(reader, rpath) == 0, rexists = stat(reader, &rst) == 0;
	for (int k = 0; k < OUT_KINDS; k++) {
		struct outfile *o = &outs[k];
		o->arg = names[k];
		if (!o->arg)
			continue;
		if (canon(o->arg, o->path) != 0)
			return fail(err, len, "cannot write %s %s: %s", opt_name[k], o->arg, strerror(errno));
		o->exists = stat(o->path, &o->st) == 0;
		if (o->exists && S_ISDIR(o->st.st_mode))
			return fail(err, len, "%s %s is a directory (give a file name)", opt_name[k], o->arg);
		/* a device or a pipe would be replaced by the rename, not written */
		if (o->exists && !S_ISREG(o->st.st_mode))
			return fail(err, len, "%s %s is not a regular file (give the name of a file to create or replace)",
			            opt_name[k], o->arg);
		if (have_rpath && same(o->path, &o->st, o->exists, rpath, &rst, rexists))
			return fail(err, len, "%s %s is the reader itself (give another file name)", opt_name[k], o->arg);
		for (int j = 0; j < k; j++)
			if (outs[j].arg && same(o->path, &o->st, o->exists, outs[j].path, &outs[j].st, outs[j].exists))
				return fail(err, len, "%s %s and %s %s name the same file (give two file names)", opt_name[j],
				            outs[j].arg, opt_name[k], o->arg);
	}

	owner = getpid();
	atexit(at_exit);
	mode_t mask = umask(0);
	umask(mask);
	for (int k = 0; k < OUT_KINDS; k++) {
		struct outfile *o = &outs[k];
		if (!o->arg)
			continue;
		char tmp[sizeof o->tmp];
		if ((size_t)snprintf(tmp, sizeof tmp, "%s.XXXXXX", o->path) >= PATH_MAX)
			return fail(err, len, "cannot write %s %s: %s", opt_name[k], o->arg, strerror(ENAMETOOLONG));
		/* O_CLOEXEC: a reader forked from us never holds it */
		int fd = mkostemp(tmp, O_CLOEXEC);
		if (fd < 0)
			return fail(err, len, "cannot write %s %s: cannot create %s: %s", opt_name[k], o->arg, tmp,
			            strerror(errno));
		memcpy(o->tmp, tmp, sizeof tmp);
		atomic_signal_fence(memory_order_seq_cst);   /* the name is complete before the handler may use it */
		o->made = 1;
		/* mkstemp makes it 0600; a report is an ordinary file */
		if (fchmod(fd, 0666 & ~mask) != 0 || close(fd) != 0)
			return fail(err, len, "cannot write %s %s: %s", opt_name[k], o->arg, strerror(errno));
	}
	atomic_signal_fence(memory_order_seq_cst);
	checked = 1;
	return 0;
}

const char *outfile_tmp(enum outfile_kind k)
{
	return outs[k].made ? outs[k].tmp : NULL;
}

FILE *outfile_open(enum outfile_kind k)
{
	/* O_NOFOLLOW and no O_CREAT: only the file we made, not a symlink or a
	 * new file someone put under its name during the run */
	int fd = open(outs[k].tmp, O_WRONLY | O_TRUNC | O_CLOEXEC | O_NOFOLLOW);
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	if (fd >= 0 && !f)
		close(fd);
	return f;
}

int outfile_commit(char *err, size_t len)
{
	for (int k = 0; k < OUT_KINDS; k++)
		if (outs[k].made && rename(outs[k].tmp, outs[k].path) != 0)
			return fail(err, len, "cannot write %s %s: %s", opt_name[k], outs[k].arg, strerror(errno));
	committed = 1;
	return 0;
}

void outfile_discard(void)
{
	for (int k = 0; k < OUT_KINDS; k++) {
		if (outs[k].made)
			unlink(outs[k].tmp);
		if (checked && outs[k].arg)
			unlink(outs[k].path);
	}
}
