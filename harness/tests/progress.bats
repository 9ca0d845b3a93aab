#!/usr/bin/env bats
# progress.bats - the status line of `vmclock-cts check` (suite/progress.c):
# drawn on stderr when stderr is a terminal (here a pseudo-terminal made by
# script(1)), updated in place, at most about 10 times a second; never in a
# pipe, a file, --tap output, or with --quiet; cleared before anything else
# is printed.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export CTS=$ROOT/harness/vmclock-cts
	export VMCLOCK_CTS_BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $VMCLOCK_CTS_BUILD in
	/*) export RD=$VMCLOCK_CTS_BUILD/readers ;;
	*) export RD=$ROOT/$VMCLOCK_CTS_BUILD/readers ;;
	esac
}

setup() {
	[ -f "$RD/reference.so" ] || skip "$RD not built (make BUILD=$VMCLOCK_CTS_BUILD)"
	command -v script >/dev/null || skip "script not installed (make deps: bsdutils)"
	# a bare chroot or container may have no /dev/pts: no terminal to test on
	script -qec true /dev/null >/dev/null 2>&1 </dev/null || skip "script cannot open a pseudo-terminal here (no /dev/pts?)"
	cd "$BATS_TEST_TMPDIR" || return 1
}

# on_tty FILE COMMAND: runs COMMAND (a shell line) with a pseudo-terminal
# as its stdin, stdout and stderr, and writes what reached the terminal to
# FILE; returns COMMAND's exit status. The terminal turns each \n into
# \r\n: those \r are dropped, so that any \r left in FILE is a redraw.
on_tty() {
	local rc
	script -qec "$2" /dev/null >"$1.raw" </dev/null
	rc=$?
	sed 's/\r$//' "$1.raw" >"$1"
	return "$rc"
}

# A status line as drawn: clause (or "policy probes"), done/total and unit.
STATUS_RE='(R-[A-Z]+(-[A-Z]+)*|policy probes)  [0-9]+/[0-9]+ (cases|schedules|quiet copies)'

# The redraws of FILE, one per line.
draws() {
	tr '\r' '\n' <"$1" | grep -E "^$STATUS_RE" || true
}

@test "on a terminal, check draws one updating status line on stderr, never in the report" {
	local t=$BATS_TEST_TMPDIR/tty
	on_tty "$t" "'$CTS' check '$RD/reference.so' --json r.json --junit r.xml >out 2>&1" ||
		{ cat out; return 1; }
	# stdout and stderr to one file: not a terminal, so no status line at all
	! grep -q $'\r' out || { od -c out | head; return 1; }
	if grep -q $'\r' r.json r.xml; then echo "a report file has a CR"; return 1; fi
	[ "$(draws "$t" | wc -l)" -eq 0 ]
	# stderr alone on the terminal, the report in a file
	on_tty "$t" "'$CTS' check '$RD/reference.so' --json r.json --junit r.xml >out" || { cat out; return 1; }
	grep -q "CONFORMANT" out
	! grep -q $'\r' out r.json r.xml || { od -c out | head; return 1; }
	run draws "$t"
	[ "${#lines[@]}" -ge 2 ] || { od -c "$t" | head -20; return 1; }
	# the clauses as they run, the dynamic ones by their schedules
	grep -Eq '^R-SEQ-ODD  [0-9]+/[0-9]+ schedules' <<<"$output" || { echo "$output"; return 1; }
	# redrawn in place: no line feed between two draws, and nothing but
	# \r and text (no escape codes, whatever the terminal)
	if grep -q $'\e' "$t"; then od -c "$t" | head -20; return 1; fi
	[ "$(grep -Ec "$STATUS_RE" "$t")" -eq 1 ] || { od -c "$t" | head -20; return 1; }
	# cleared at the end: the last thing on the terminal is a blank line
	[ -z "$(tr '\r' '\n' <"$t" | tail -n 1 | tr -d ' ')" ]
}

@test "the status line gives the rate once there is one to give" {
	local t=$BATS_TEST_TMPDIR/tty
	# R-SEQ-BOUNDED's cases each wait about 100 ms for a writer that never
	# finishes: long enough for a rate, and short
	on_tty "$t" "'$CTS' check '$RD/reference.so' --only R-SEQ-BOUNDED >out" || { cat out; return 1; }
	run draws "$t"
	grep -Eq "^R-SEQ-BOUNDED  [0-9]+/8 cases, [0-9.]+/s(, [0-9]+ (s|min) left)?\$" <<<"$output" ||
		{ echo "$output"; return 1; }
}

@test "the status line is drawn at most about 10 times a second" {
	local t=$BATS_TEST_TMPDIR/tty t0 t1 n
	t0=$(date +%s%N)
	on_tty "$t" "'$CTS' check '$RD/reference.so' >out" || { cat out; return 1; }
	t1=$(date +%s%N)
	n=$(draws "$t" | wc -l)
	# thousands of cases end in this run; a draw is at most two copies of
	# the line (one padded over a longer one)
	[ "$n" -le $((2 * (10 * (t1 - t0) / 1000000000 + 10))) ] || { echo "$n draws in $(((t1 - t0) / 1000000)) ms"; return 1; }
}

@test "piped or in a file, no progress bytes at all" {
	run "$CTS" check "$RD/reference.so" --only R-SEQ-ODD --only R-SEQ-BOUNDED
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ $output != *$'\r'* ]] || { printf '%s' "$output" | od -c | head; return 1; }
	[[ $output != *$'\e'* ]]
	if grep -Eq "$STATUS_RE" <<<"$output"; then echo "$output"; return 1; fi
	"$CTS" check "$RD/reference.so" --only R-SEQ-BOUNDED >out 2>err
	if grep -q $'\r' out err; then od -c out err | head; return 1; fi
	[ ! -s err ] || { cat err; return 1; }
}

@test "--quiet: no status line on a terminal" {
	local t=$BATS_TEST_TMPDIR/tty
	on_tty "$t" "'$CTS' check '$RD/reference.so' --quiet --only R-SEQ-ODD --only R-SEQ-BOUNDED >out" || { cat out; return 1; }
	grep -q "CONFORMANT" out
	! grep -q $'\r' "$t" || { od -c "$t" | head; return 1; }
	[ ! -s "$t" ] || { cat "$t"; return 1; }
}

@test "--tap: TAP on the terminal carries no status line" {
	local t=$BATS_TEST_TMPDIR/tty
	on_tty "$t" "'$CTS' check '$RD/reference.so' --tap --only R-SEQ-ODD --only R-SEQ-BOUNDED" || { cat "$t"; return 1; }
	! grep -q $'\r' "$t" || { od -c "$t" | head; return 1; }
	[ "$(head -n 1 "$t")" = "TAP version 13" ]
	! grep -Evq '^(TAP version 13|1\.\.[0-9]+|ok [0-9]+ - .*|  # .*)$' "$t" || { cat "$t"; return 1; }
}

@test "the report on the same terminal starts on a clean line" {
	local t=$BATS_TEST_TMPDIR/tty
	on_tty "$t" "'$CTS' check '$RD/reference.so' --only R-SEQ-ODD --only R-SEQ-BOUNDED" || { cat "$t"; return 1; }
	# every report line, once the status lines are cut at their \r, is
	# whole: the header, the clause lines and the summary are there as
	# printed, and none has a status line glued in front of it
	local clean=$BATS_TEST_TMPDIR/clean
	sed 's/.*\r//' "$t" >"$clean"
	grep -q '^vmclock-cts [0-9.]*, reader contract 1$' "$clean" || { od -c "$t" | head -20; return 1; }
	grep -q '^R-SEQ-ODD  *MUST   PASS' "$clean"
	grep -q '^summary: .* CONFORMANT' "$clean"
	! grep -Eq "$STATUS_RE" "$clean" || { cat "$clean"; return 1; }
}

@test "an interruption clears the status line before it says so" {
	[ -f "$RD/errbounds.so" ] || skip "errbounds.so not built"
	command -v timeout >/dev/null || skip "no timeout(1)"
	local t=$BATS_TEST_TMPDIR/tty rc=0
	# errbounds' R-SEQ-ODD runs for many seconds: interrupted in it
	on_tty "$t" "timeout --preserve-status -s INT 2 '$CTS' check '$RD/errbounds.so' --only R-SEQ-ODD >out" || rc=$?
	[ "$rc" -eq 130 ] || { echo "status $rc"; cat "$t"; return 1; }
	[ "$(draws "$t" | wc -l)" -ge 1 ] || { od -c "$t" | head; return 1; }
	# the message is on a line of its own: after the clearing \r
	grep -q $'\r''vmclock-cts: interrupted by signal 2 (SIGINT) from outside; no verdict$' "$t" ||
		{ od -c "$t" | tail -20; return 1; }
	# and what that \r ends is blanks over the status line, not the line itself
	local before
	before=$(tr '\r' '\n' <"$t" | grep -B1 '^vmclock-cts: interrupted' | head -n 1)
	[ -n "$before" ] && [ -z "${before// /}" ] || { od -c "$t" | tail; return 1; }
}
