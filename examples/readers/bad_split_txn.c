/* VMCLOCK-EXPECT: FAIL R-SEQ-TORN */
/* bad_split_txn.c - known-bad reader: two seqlock transactions where the
 * protocol needs one. The first (correct: odd test, barriers, re-check,
 * bounded) copies the time fields, the marker, the status and reads the
 * counter; a separate get_vmgen() helper, also correct on its own, then
 * runs a second one for the flags and vm_generation_counter (it checks
 * VM_GEN_COUNTER_PRESENT itself). Each transaction is one committed
 * state; together they are two. A snapshot restore between them (a new
 * vm_generation_counter and, in the same update, a new marker) gives the
 * time and marker of the state before the restore with the generation of
 * the state after it: the reading mixes two committed states, R-SEQ-TORN
 * (spec "How findings are charged" 3). The marker is consistent with the
 * time (both from the first transaction), so R-DISR-MARKER's rule holds;
 * the generation is reported only with its state's flag and size >= 112,
 * so R-VMGEN's rule holds too. Both loads of the generation are made in a
 * validated (even) window, so nothing read while seq_count is odd is
 * returned. (With a writer that stores the fields last first, "old state
 * with the new generation" is also the page's image after that update's
 * first store; by value alone such a reading looks like a half-done
 * image, but it was copied after the update had finished.)
 *
 * Everything else is the correct shared reader (basereader.h); only the
 * .split_vmgen knob is on, so the suite must fail exactly: R-SEQ-TORN. */
#include "basereader.h"

static const struct br_defects defects = { .split_vmgen = 1 };

BR_EXPORT(defects, "bad_split_txn")
