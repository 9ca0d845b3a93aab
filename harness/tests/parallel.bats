#!/usr/bin/env bats
# parallel.bats - -j N (suite/parallel.c): clauses run side by side, and the
# report is the serial run's. A -j 1 and a -j 2 run of the same reader and
# seed must print the same text and write the same JSON, timings aside
# (the "... ms" of R-SEQ-BOUNDED's INFO evidence and of hang evidence are
# measured, so they are masked). Good readers, bad ones (arithmetic,
# concurrency, a stateful cache, a hang that needs the rerun rule), and
# the option's own errors.
#
# The seed is random per run and printed; rerun with
#   VMCLOCK_PARALLEL_SEED=0x... bats harness/tests/parallel.bats
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
	export BUILD
	export VMCLOCK_PARALLEL_SEED=${VMCLOCK_PARALLEL_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}
}

setup() {
	[ -x "$BUILD/vmclock-suite" ] || skip "suite not built ($BUILD/vmclock-suite): run make"
}

# Timings are the only thing allowed to differ between two runs.
mask() {
	sed -E 's/[0-9]+(\.[0-9]+)? ms/N ms/g' "$@"
}

# same NAME [ARGS...]: -j 1 and -j 2 give the same report and JSON.
same() {
	local so=$BUILD/readers/$1.so j
	shift
	[ -f "$so" ] || skip "reader not built: $so"
	echo "seed: $VMCLOCK_PARALLEL_SEED (VMCLOCK_PARALLEL_SEED=$VMCLOCK_PARALLEL_SEED to replay)"
	for j in 1 2; do
		run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --seed "$VMCLOCK_PARALLEL_SEED" \
			-j "$j" --json "$BATS_TEST_TMPDIR/j$j.json" "$@"
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/j$j.txt"
		echo "-j $j: exit $status"
		[ "$status" -le 1 ] || { cat "$BATS_TEST_TMPDIR/j$j.txt"; return 1; }
		eval "status_$j=$status"
	done
	# shellcheck disable=SC2154 # set by the eval above
	[ "$status_1" -eq "$status_2" ]
	diff <(mask "$BATS_TEST_TMPDIR/j1.txt") <(mask "$BATS_TEST_TMPDIR/j2.txt")
	diff <(mask "$BATS_TEST_TMPDIR/j1.json") <(mask "$BATS_TEST_TMPDIR/j2.json")
	# the comparison compared a report (every clause, when no --only narrowed it)
	local want=20
	[[ " $* " != *" --only "* ]] || want=3
	[ "$(grep -c '^R-' "$BATS_TEST_TMPDIR/j2.txt")" -ge "$want" ]
}

@test "-j 1 and -j 2: same report, reference reader" { same reference; }
@test "-j 1 and -j 2: same report, linux_style (a port of the Linux driver)" { same linux_style; }
@test "-j 1 and -j 2: same report, bad_mul64 (arithmetic)" { same bad_mul64; }
@test "-j 1 and -j 2: same report, bad_no_recheck (torn reads, findings charged across clauses)" { same bad_no_recheck; }
@test "-j 1 and -j 2: same report, bad_marker_cache (state carried from call to call)" { same bad_marker_cache; }
# --timeout-ms 300: short, so its hangs cost little, yet far above the
# 100 ms a reader may spin in R-SEQ-BOUNDED before it gives up (at 100 a
# correct give-up was taken for a hang on a busy machine)
@test "-j 1 and -j 2: same report, bad_hang_some (hangs: the rerun and give-up rules)" { same bad_hang_some --timeout-ms 300; }

@test "-j 2 with --only: the clauses asked for, as in a serial run" {
	same bad_no_recheck --only R-SEQ-TORN --only R-HDR-MAGIC --only R-MONO
	[ "$(grep -c '^R-' "$BATS_TEST_TMPDIR/j2.txt")" -ge 3 ]
}

@test "a replay line printed by a -j 2 run replays the failure" {
	local so=$BUILD/readers/bad_no_recheck.so line cmd
	[ -f "$so" ] || skip "reader not built: $so"
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --seed "$VMCLOCK_PARALLEL_SEED" -j 2 \
		--only R-SEQ-TORN
	echo "$output"
	[ "$status" -eq 1 ]
	line=$(printf '%s\n' "$output" | grep -m1 'replay: ')
	cmd=${line#*replay: vmclock-cts }
	# shellcheck disable=SC2086 # the replay line is a word list
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" $cmd
	echo "$output"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep -q '^R-SEQ-TORN .* FAIL'
}

@test "-jN, --jobs N and --jobs=N are one option; bad values and a second one are usage errors" {
	local so=$BUILD/readers/reference.so
	[ -f "$so" ] || skip "reader not built: $so"
	for args in "-j2" "--jobs 2" "--jobs=2" "-j 1"; do
		# shellcheck disable=SC2086 # args is a word list on purpose
		run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --seed 1 --only R-HDR-MAGIC $args
		[ "$status" -eq 0 ] || { echo "$args: $output"; return 1; }
	done
	for args in "-j 0" "-j x" "-j 257" "-j" "-j 2 --jobs 2" "-jx"; do
		# shellcheck disable=SC2086
		run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --seed 1 $args
		echo "$args: $status $output"
		[ "$status" -eq 2 ]
		[[ $output == *error* ]]
	done
	# the runner itself refuses them too
	run "$BUILD/vmclock-suite" --reader "$so" -j 0
	[ "$status" -eq 2 ]
}

@test "-j 2: the run's budget still ends it, with the cases left not judged" {
	local so=$BUILD/readers/errbounds.so
	[ -f "$so" ] || skip "reader not built: $so"
	# errbounds (~110 loads per call) needs far more than 10 s here
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --seed 1 -j 2 --budget-s 10
	echo "$output"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep -q 'budget'
	# and no process of the run is left
	run pgrep -f "$BUILD/vmclock-suite --reader $so"
	[ "$status" -ne 0 ]
}

@test "-j 2: every batch of the clauses is answered from a helper's record (none run again in the runner)" {
	local so=$BUILD/readers/bad_no_recheck.so
	[ -f "$so" ] || skip "reader not built: $so"
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --seed "$VMCLOCK_PARALLEL_SEED" -j 2 --verbose
	printf '%s\n' "$output" | grep -- '-j 2: '
	printf '%s\n' "$output" | grep -qE -- '-j 2: [0-9]+ clauses run ahead by helpers, [1-9][0-9]* batches answered from their records, 0 run live'
}
