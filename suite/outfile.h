/* outfile.h - the report files of a run (--json, --junit).
 *
 * A report file says "this is the result of this run", so it must never hold
 * anything else: not a half-written file, not an earlier run's file after a
 * set-up error or an interruption, not something a reader wrote. Each one is
 * checked before the run, written to a temporary NAME.XXXXXX beside it (same
 * directory, so the final rename() is atomic) and renamed over NAME at the
 * end; any other ending removes the temporary and NAME. */
#ifndef VMCLOCK_OUTFILE_H
#define VMCLOCK_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

enum outfile_kind { OUT_JSON, OUT_JUNIT, OUT_KINDS };

/* Check the report files (names[k] is NULL when not asked for) against each
 * other and the reader, and create their temporaries (closed again: no file
 * of ours is open while readers run). 0, or -1 with one line in err. From
 * here on every exit() but the one after outfile_commit() removes them. */
int outfile_prepare(const char *const names[OUT_KINDS], const char *reader, char *err, size_t len);
/* The temporary of kind k (for cmocka's CMOCKA_XML_FILE), NULL if none. */
const char *outfile_tmp(enum outfile_kind k);
/* Open the temporary of kind k for writing (it must exist: not a symlink
 * put in its place). NULL with errno on failure. */
FILE *outfile_open(enum outfile_kind k);
/* Rename every temporary over its report file. 0, or -1 with err. */
int outfile_commit(char *err, size_t len);
/* Remove the temporaries and the report files. Async-signal-safe. */
void outfile_discard(void);

#endif
