#!/usr/bin/env bash
# expect.bash - shared by selftest.bats and contain.bats (bats `load expect`):
# a bundled reader's expected verdict, from line 1 of examples/readers/NAME.c:
#   /* VMCLOCK-EXPECT: PASS */   or   /* VMCLOCK-EXPECT: FAIL R-X R-Y WARN R-Z */
#
# SPDX-License-Identifier: MIT

# expect_line SRC: the words after "VMCLOCK-EXPECT:" (empty when missing).
expect_line() {
	sed -n 's|.*VMCLOCK-EXPECT: *\([A-Z0-9 -]*[A-Z0-9]\) *\*/.*|\1|p' "$1" | head -n 1
}

# clauses_after WORD EXPECT: the ids that follow WORD up to the next keyword,
# sorted, space-terminated (as the verdict sets are compared).
clauses_after() {
	printf '%s\n' "$2" | tr ' ' '\n' | awk -v w="$1" '/^(PASS|FAIL|WARN)$/ { on = ($0 == w); next } on && NF' | sort | tr '\n' ' '
}
