#!/usr/bin/env bats
# selftest.bats - the suite judges its own bundled readers.
#
# Each examples/readers/NAME.c starts with a line
#   /* VMCLOCK-EXPECT: PASS */   or   /* VMCLOCK-EXPECT: FAIL R-X R-Y */
# A good reader must fail no clause at all; a bad reader must fail exactly
# the MUST clauses it names (no more, no fewer). This is what proves every
# check can fail, and that a correct reader is not failed.
#
# The seed is random per run and printed; rerun one with
#   VMCLOCK_SELFTEST_SEED=0x... bats harness/tests/selftest.bats
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
	export BUILD
	export VMCLOCK_SELFTEST_SEED=${VMCLOCK_SELFTEST_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}
}

load expect

# selftest NAME: run the front door on one bundled reader and compare.
selftest() {
	local so=$BUILD/readers/$1.so src=$ROOT/examples/readers/$1.c
	[ -x "$BUILD/vmclock-suite" ] || skip "suite not built ($BUILD/vmclock-suite): run make"
	[ -f "$so" ] || skip "reader not built: $so"
	local expect
	expect=$(expect_line "$src")
	[ -n "$expect" ] || { echo "no VMCLOCK-EXPECT line in $src"; return 1; }
	# "FAIL ids... WARN ids...": the MUST clauses that fail, the SHOULD ones that warn.
	local want want_warn
	want=$(clauses_after FAIL "$expect")
	want_warn=$(clauses_after WARN "$expect")
	echo "seed: $VMCLOCK_SELFTEST_SEED (VMCLOCK_SELFTEST_SEED=$VMCLOCK_SELFTEST_SEED to replay)"
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --seed "$VMCLOCK_SELFTEST_SEED" \
		--json "$BATS_TEST_TMPDIR/out.json"
	echo "$output"
	local got got_warn
	got=$(printf '%s\n' "$output" | awk '$3 == "FAIL" { print $1 }' | sort | tr '\n' ' ')
	got_warn=$(printf '%s\n' "$output" | awk '$3 == "WARN" { print $1 }' | sort | tr '\n' ' ')
	echo "expected FAIL: [$want] WARN: [$want_warn]  got FAIL: [$got] WARN: [$got_warn]"
	[ "$got" = "$want" ]
	[ "$got_warn" = "$want_warn" ]
	if [ -z "$want" ]; then
		[ "$status" -eq 0 ]
		grep -q '"conformant":true' "$BATS_TEST_TMPDIR/out.json"
	else
		[ "$status" -eq 1 ]
		grep -q '"conformant":false' "$BATS_TEST_TMPDIR/out.json"
		# every failure carries a replay line (it names the case, which may be in
		# another clause's list: a finding counts for the clause it breaks), and
		# the replay reproduces the failure of that clause
		local line clause cmd
		clause=$(printf '%s\n' "$output" | awk '$3 == "FAIL" { print $1; exit }')
		line=$(printf '%s\n' "$output" | awk -v c="$clause" '$1 == c && $3 == "FAIL" { on = 1; next } on && /^[A-Z]/ { exit } on && /replay: / { print; exit }')
		[ -n "$line" ]
		cmd=${line#*replay: vmclock-cts }
		# shellcheck disable=SC2086
		run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" $cmd
		echo "$output"
		[ "$status" -eq 1 ]
		printf '%s\n' "$output" | grep -q "^$clause .* FAIL"
	fi
}

@test "self-test: every bundled reader is listed here" {
	# Hostile readers (hostile_*, but the two signal ones here) are judged in
	# contain.bats, in a scratch directory under setsid, against the same
	# VMCLOCK-EXPECT line (or, for the costly ones, two clauses of it).
	for src in "$ROOT"/examples/readers/*.c; do
		n=$(basename "$src" .c)
		grep -q "{ selftest $n; }" "$BATS_TEST_FILENAME" ||
			grep -qE "contain $n( |;|$)" "$BATS_TEST_DIRNAME/contain.bats" ||
			{ echo "examples/readers/$n.c has no self-test"; return 1; }
	done
}

@test "self-test: reference passes every clause" { selftest reference; }
@test "self-test: linux_style passes every clause" { selftest linux_style; }
@test "self-test: errbounds passes every clause" { selftest errbounds; }
@test "self-test: adapter_example (the README example) passes, with a WARN on R-STAT-UNRELIABLE" { selftest adapter_example; }
@test "self-test: adapter_no_unknown (the example, refusing UNKNOWN) passes, with a WARN on R-STAT-UNRELIABLE from INITIALIZING" { selftest adapter_no_unknown; }
@test "self-test: tai_only (the reference reader, TAI pages only) passes" { selftest tai_only; }
@test "self-test: rdtsc_reader (reads the TSC itself, emulated by the engine) passes every clause" { selftest rdtsc_reader; }
@test "self-test: linux_v613 (Linux v6.13 policy: refuses MONOTONIC, TAI without TAI_OFFSET_VALID) passes" { selftest linux_v613; }
@test "self-test: linux_current (current Linux policy: refuses MONOTONIC, UTC without TAI_OFFSET_VALID) passes" { selftest linux_current; }
@test "self-test: short_refuser (refuses pages below 112 bytes) passes" { selftest short_refuser; }
@test "self-test: bad_vmgen_bit7 (UAPI.13 v1.0's flag bit) fails R-VMGEN only" { selftest bad_vmgen_bit7; }
@test "self-test: bad_counter_relabel (time of one counter read, labelled with another) fails R-TIME-EXACT only" { selftest bad_counter_relabel; }
@test "self-test: bad_long_double (80-bit arithmetic) fails R-TIME-EXACT only, never a seqcount clause" { selftest bad_long_double; }
@test "self-test: bad_masked_compare (odd bit masked in the recheck) fails R-SEQ-ODD, warns R-SEQ-WINDOW" { selftest bad_masked_compare; }
@test "self-test: bad_status_outside (clock_status read before the seqlock) fails R-SEQ-TORN and R-SEQ-ODD" { selftest bad_status_outside; }
@test "self-test: bad_split_txn (marker and vmgen in two transactions) fails R-SEQ-TORN, not R-VMGEN" { selftest bad_split_txn; }
@test "self-test: bad_last_good (last good reading while the writer never finishes) fails R-SEQ-BOUNDED" { selftest bad_last_good; }
@test "self-test: bad_nsec_1e9 (nsec = 10^9) fails R-CONTRACT only" { selftest bad_nsec_1e9; }
@test "self-test: bad_refuses_late (refuses a class it serves, at large deltas) fails R-TIME-LIVE only" { selftest bad_refuses_late; }
@test "self-test: bad_hang_some (hangs on a few pages, fewer than the give-up limit) fails R-ROB-NOCRASH only" { selftest bad_hang_some; }
@test "self-test: bad_no_magic fails R-HDR-MAGIC only" { selftest bad_no_magic; }
@test "self-test: bad_no_version fails R-HDR-VERSION only" { selftest bad_no_version; }
@test "self-test: bad_size_trusted fails R-HDR-SIZE only" { selftest bad_size_trusted; }
@test "self-test: bad_beyond_size fails R-HDR-SIZE only" { selftest bad_beyond_size; }
@test "self-test: bad_vmgen_nocheck fails R-VMGEN only" { selftest bad_vmgen_nocheck; }
@test "self-test: bad_counter_ignored fails R-HDR-COUNTER only" { selftest bad_counter_ignored; }
@test "self-test: bad_counter_foreign fails R-HDR-COUNTER only" { selftest bad_counter_foreign; }
@test "self-test: bad_timetype fails R-HDR-TIMETYPE only" { selftest bad_timetype; }
@test "self-test: bad_timetype_3 fails R-HDR-TIMETYPE only" { selftest bad_timetype_3; }
@test "self-test: bad_mul64 fails R-TIME-EXACT only (wrong arithmetic is never a seqcount or R-MONO finding)" { selftest bad_mul64; }
@test "self-test: bad_shift_first fails R-TIME-EXACT" { selftest bad_shift_first; }
@test "self-test: bad_lost_carry fails R-TIME-EXACT" { selftest bad_lost_carry; }
@test "self-test: bad_shift_mask fails R-TIME-SHIFT only" { selftest bad_shift_mask; }
@test "self-test: bad_tai_unsigned fails R-TIME-TAI only" { selftest bad_tai_unsigned; }
@test "self-test: bad_tai_noflag fails R-TIME-TAI only" { selftest bad_tai_noflag; }
@test "self-test: bad_err_noflag fails R-ERR-FLAGS only" { selftest bad_err_noflag; }
@test "self-test: bad_err_norate fails R-ERR-BOUND only" { selftest bad_err_norate; }
@test "self-test: bad_unreliable_ok fails R-STAT-UNRELIABLE only" { selftest bad_unreliable_ok; }
@test "self-test: bad_unreliable_nostatus fails R-STAT-UNRELIABLE only (a WARN never hides its FAIL)" { selftest bad_unreliable_nostatus; }
@test "self-test: bad_marker_cache fails R-DISR-MARKER only" { selftest bad_marker_cache; }
@test "self-test: bad_odd_ignored fails R-SEQ-ODD" { selftest bad_odd_ignored; }
@test "self-test: bad_spin_forever fails R-SEQ-BOUNDED only (hangs)" { selftest bad_spin_forever; }
@test "self-test: bad_assert_reserved fails R-ROB-NOCRASH only (abort)" { selftest bad_assert_reserved; }
@test "self-test: bad_writes_page fails R-ROB-NOCRASH only (page write)" { selftest bad_writes_page; }
@test "self-test: bad_no_recheck (no second seq check) fails R-SEQ-TORN and kin" { selftest bad_no_recheck; }
@test "self-test: bad_merged_seq (two seq loads merged at -O2) fails R-SEQ-TORN and kin" { selftest bad_merged_seq; }
@test "self-test: bad_fields_after_check fails R-SEQ-TORN and kin" { selftest bad_fields_after_check; }
@test "self-test: bad_err_after_check fails R-SEQ-ODD and R-SEQ-TORN (torn bounds that are never too small)" { selftest bad_err_after_check; }
@test "self-test: bad_gt_compare (seq2 > seq1) fails R-SEQ-WRAP (and R-DISR-MARKER for the marker it mixes)" { selftest bad_gt_compare; }
@test "self-test: bad_seq0_cache (cache key starts at 0) fails R-SEQ-WRAP and R-DISR-MARKER" { selftest bad_seq0_cache; }
@test "self-test: bad_seq0_timebase fails R-SEQ-WRAP only (its twins differ in the time alone)" { selftest bad_seq0_timebase; }
@test "self-test: bad_counter_early fails R-MONO, warns R-SEQ-WINDOW" { selftest bad_counter_early; }
@test "self-test: bad_negdelta_abort (asserts counter >= counter_value) fails every clause it crashes in" { selftest bad_negdelta_abort; }
@test "self-test: loose_bounds (1000 ns of margin on both error bounds) passes every clause" { selftest loose_bounds; }
# INFO clauses never fail (rule 5), but what they measure is a result too:
# their verdict and evidence are pinned here, for a tight and a loose reader.
@test "self-test: INFO clauses report their measurements (R-ERR-TIGHT slack, R-TIME-NEGDELTA behaviour)" {
	local name want
	for name in reference loose_bounds; do
		run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$BUILD/readers/$name.so" \
			--only R-ERR-TIGHT --only R-TIME-NEGDELTA --seed "$VMCLOCK_SELFTEST_SEED"
		echo "$output"
		[ "$status" -eq 0 ]
		printf '%s\n' "$output" | grep -Eq '^R-ERR-TIGHT +INFO +INFO '
		printf '%s\n' "$output" | grep -Eq '^R-TIME-NEGDELTA +INFO +INFO '
		printf '%s\n' "$output" | grep -q '^    counter below counter_value: wraps the 64-bit delta (as Linux)$'
		want=0
		[ "$name" = loose_bounds ] && want=1000
		printf '%s\n' "$output" |
			grep -q "^    largest slack above the exact bound: esterror $want ns, maxerror $want ns\$"
	done
}
@test "self-test: a crash in an INFO clause's cases fails R-ROB-NOCRASH, the INFO clause stays INFO" {
	local so=$BUILD/readers/bad_negdelta_abort.so
	[ -f "$so" ] || skip "reader not built: $so"
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$so" --only R-TIME-NEGDELTA \
		--seed "$VMCLOCK_SELFTEST_SEED"
	echo "$output"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep -Eq '^R-ROB-NOCRASH +MUST +FAIL'
	printf '%s\n' "$output" | grep -Eq '^R-TIME-NEGDELTA +INFO +INFO'
	printf '%s\n' "$output" | grep -q 'reader crashed: SIGABRT'
}
@test "self-test: hostile_sighandler (tries to replace the engine's SIGSEGV handler) is refused and judged as correct" { selftest hostile_sighandler; }
@test "self-test: hostile_sigblock (blocks SIGSEGV) is reported as crashes, quickly" { selftest hostile_sigblock; }

# Issue 7's acceptance, small: the same verdicts for other seeds while two
# busy loops compete for the cores (the full run: make stability).
@test "stability: 2 seeds x 5 readers under 2 busy loops give the expected verdicts" {
	[ -x "$BUILD/vmclock-suite" ] || skip "suite not built ($BUILD/vmclock-suite): run make"
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/stability" --seeds 2 --busy 2 \
		--first-seed "$VMCLOCK_SELFTEST_SEED" reference linux_v613 bad_long_double bad_no_recheck bad_status_outside
	echo "$output"
	[ "$status" -eq 0 ]
	printf '%s\n' "$output" | grep -q '^5 passed, 0 failed$'
}

# Issue 12: a coverage bound is printed only when it informs: below 1/2,
# beside a PASS or WARN. Beside a FAIL (a bug was found) or a NOT_SUPPORTED
# (nothing the clause is about was ever reported) it says nothing.
@test "coverage: the random schedules' bound only beside a PASS or WARN" {
	local r
	for r in reference bad_odd_ignored adapter_example; do
		[ -f "$BUILD/readers/$r.so" ] || skip "reader not built: $r"
	done
	bound_of() { # CLAUSE: the line under CLAUSE's, if it is a bound
		printf '%s\n' "$output" | awk -v c="$1" '$1 == c { getline; if (/missed with p <= /) print; exit }'
	}
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$BUILD/readers/reference.so" \
		--only R-SEQ-ODD --seed "$VMCLOCK_SELFTEST_SEED" --json "$BATS_TEST_TMPDIR/pass.json"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	[[ $(bound_of R-SEQ-ODD) == "    500 PCT-style random schedules: a bug needing one given intervention is missed with p <= 0."* ]] ||
		{ echo "$output"; return 1; }
	grep -q '"random_bound":"500 PCT-style' "$BATS_TEST_TMPDIR/pass.json"
	# FAIL: R-SEQ-ODD's own bug found
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$BUILD/readers/bad_odd_ignored.so" \
		--only R-SEQ-ODD --seed "$VMCLOCK_SELFTEST_SEED" --json "$BATS_TEST_TMPDIR/fail.json"
	[ "$status" -eq 1 ] || { echo "$output"; return 1; }
	printf '%s\n' "$output" | grep -Eq '^R-SEQ-ODD +MUST +FAIL'
	[ -z "$(bound_of R-SEQ-ODD)" ] || { echo "$output"; return 1; }
	grep -q '"random_bound":""' "$BATS_TEST_TMPDIR/fail.json"
	# NOT_SUPPORTED: a reader that never reports the marker
	run env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$BUILD/readers/adapter_example.so" \
		--only R-DISR-MARKER --seed "$VMCLOCK_SELFTEST_SEED"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	printf '%s\n' "$output" | grep -Eq '^R-DISR-MARKER +MUST +NOT_SUPPORTED'
	[ -z "$(bound_of R-DISR-MARKER)" ] || { echo "$output"; return 1; }
	[[ $output != *"missed with p"* ]] || { echo "$output"; return 1; }
}
