/* pageview.h - the page a fuzz target hands a reader: read-only, with a
 * guard page right after the mapping, as the suite's sandbox maps it.
 *
 * One memfd page is mapped twice: read-write for the harness, read-only
 * for the reader, followed by a PROT_NONE page. So, without any system
 * call per input:
 *   - a load past `len` faults in the guard page   (R-HDR-SIZE: never
 *     reads past the mapping);
 *   - a store to the page faults in the read-only view (R-ROB-NOCRASH:
 *     no write to the page).
 * While a reader runs (fz_view_enter/leave) a fault or abort is named by
 * its clause on stderr, then passed on to the handler that was there
 * before (ASan's, libFuzzer's, AFL++'s), which records the crash. */
#ifndef VMCLOCK_FUZZ_PAGEVIEW_H
#define VMCLOCK_FUZZ_PAGEVIEW_H

#include <stddef.h>
#include <stdint.h>

/* Copies n bytes (n <= len) to the end-aligned window of len bytes (the
 * rest zero) and returns the reader's view of it. len <= 4096 and a
 * multiple of 8 keeps every field naturally aligned. */
const volatile void *fz_view_load(const uint8_t *bytes, size_t n, size_t len);

/* The bytes of the last load, as the harness wrote them. */
const uint8_t *fz_view_bytes(void);

/* Bracket the reader call; target names the fuzz target in the finding. */
void fz_view_enter(const char *target);
void fz_view_leave(void);

#endif
