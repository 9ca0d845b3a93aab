/* wtrap.h - trapping every store a writer under test makes to its page.
 *
 * The page is mapped at a fixed address below CONTAIN_LOW_END (the same
 * range the reader's view uses: the sandbox's seccomp filter then refuses
 * the writer any mprotect/munmap/mremap of it, so it cannot make its view
 * writable to store unseen), read-only, with a PROT_NONE guard page after
 * it. A store faults (SIGSEGV, write bit); the handler makes the view
 * writable and sets the trap flag; after the one instruction (SIGTRAP) the
 * handler compares the page with its shadow copy, sends one IMAGE record
 * (offset and length of what changed, the page after the store) down the
 * trace pipe, and makes the view read-only again. So every store is an
 * event, in order, including each one while seq_count is odd: the trace
 * holds the exact sequence of page images. Loads are free (the view is
 * readable). A rep-prefixed store traps once per iteration.
 *
 * Child-only (x86_64 Linux: the trap flag). Handlers are installed by
 * wtrap_init, before the walls go up (the filter refuses later handlers
 * for SIGSEGV/SIGTRAP unless tagged). Stores from other threads while the
 * view is writable for one store are not seen: writers are called on one
 * thread (vmclock_wut.h). */
#ifndef VMCLOCK_WTRAP_H
#define VMCLOCK_WTRAP_H

#include <stddef.h>
#include <stdint.h>

#define WTRAP_ADDR 0x80000ul
#define WTRAP_IMAGE 112              /* bytes of the page in each record (the structure) */

/* Map the page (len bytes, a multiple of 4096, at most 64 KiB, zeroed) and
 * install the handlers. 0, or -1 with errno. */
int wtrap_init(size_t len);
/* The tag the sandbox's filter wants on our own mprotect calls. */
void wtrap_set_tag(uint64_t tag);
/* Where records go, and the counter stamped on them (the event's). */
void wtrap_set_sink(int fd);
void wtrap_set_counter(uint64_t c);
volatile uint8_t *wtrap_page(void);
size_t wtrap_len(void);
/* on: stores trap; off: the suite writes the page itself (a restored
 * snapshot; it sends that image as a SUITE record with wtrap_send_suite). */
void wtrap_arm(int on);
void wtrap_send_suite(void);
/* Stores trapped so far. */
unsigned long wtrap_stores(void);
/* Send the records gathered so far (before any other record, and at the
 * end of every event). */
void wtrap_flush(void);
/* Write all of buf to the sink (async-signal-safe); -1 when the pipe is gone. */
int wtrap_send(const void *buf, size_t n);

#endif
