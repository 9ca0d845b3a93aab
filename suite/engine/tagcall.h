/* tagcall.h - the suite's own tagged system calls, with no tag left behind.
 *
 * The sandbox's seccomp filter (suite/contain.c) lets only calls carrying a
 * secret tag in an argument the kernel ignores change the page view's
 * protection (mprotect's 4th argument) or the handlers of SIGSEGV, SIGBUS
 * and SIGTRAP (rt_sigaction's 5th). The kernel hands those registers back
 * unchanged, so after a plain syscall(2) made outside a signal handler (just
 * before the reader or writer runs) the tag would still sit in r10 or r8,
 * one instruction away from untrusted code. These load the tag from memory
 * straight into its register and zero it after the call: no other register
 * ever holds it. */
#ifndef VMCLOCK_TAGCALL_H
#define VMCLOCK_TAGCALL_H

#include <errno.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
static inline long tagcall_ret(long ret)
{
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* nr(a0, a1, a2, *tag): the tag as the 4th argument (r10). */
static inline long tagcall4(long nr, long a0, long a1, long a2, const volatile uint64_t *tag)
{
	long ret;
	__asm__ volatile("movq %[t], %%r10\n\t"
	                 "syscall\n\t"
	                 "xorl %%r10d, %%r10d"
	                 : "=a"(ret)
	                 : "0"(nr), "D"(a0), "S"(a1), "d"(a2), [t] "m"(*tag)
	                 : "rcx", "r11", "r10", "memory");
	return tagcall_ret(ret);
}

/* nr(a0, a1, a2, a3, *tag): the tag as the 5th argument (r8). */
static inline long tagcall5(long nr, long a0, long a1, long a2, long a3, const volatile uint64_t *tag)
{
	long ret;
	register long r10 __asm__("r10") = a3;
	__asm__ volatile("movq %[t], %%r8\n\t"
	                 "syscall\n\t"
	                 "xorl %%r8d, %%r8d"
	                 : "=a"(ret), "+r"(r10)
	                 : "0"(nr), "D"(a0), "S"(a1), "d"(a2), [t] "m"(*tag)
	                 : "rcx", "r11", "r8", "memory");
	return tagcall_ret(ret);
}
#else
/* Elsewhere the engine does not trap (trap.c), so nothing is at stake. */
static inline long tagcall4(long nr, long a0, long a1, long a2, const volatile uint64_t *tag)
{
	return syscall(nr, a0, a1, a2, *tag);
}
static inline long tagcall5(long nr, long a0, long a1, long a2, long a3, const volatile uint64_t *tag)
{
	return syscall(nr, a0, a1, a2, a3, *tag);
}
#endif

/* rt_sigaction(sig, SIG_DFL) with the tag (the kernel's struct: handler,
 * flags, restorer, mask). */
static inline int tagcall_sig_default(int sig, const volatile uint64_t *tag)
{
	struct { void (*handler)(int); unsigned long flags; void (*restorer)(void); uint64_t mask; } k = { 0, 0, 0, 0 };
	return (int)tagcall5(SYS_rt_sigaction, sig, (long)&k, 0, sizeof k.mask, tag);
}

#endif
