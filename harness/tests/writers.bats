#!/usr/bin/env bats
# writers.bats - judging writers (issue 10): the self-test of every bundled
# writer against its VMCLOCK-EXPECT line, the front door's check-writer,
# trace check and trace record, corrupt traces, hostile writers, and the
# acceptance test: a trace recorded from a page another process updates
# gets the verdicts of the linked run of the same writer.
#
# The seed is random per run and printed; rerun with
#   VMCLOCK_SELFTEST_SEED=0x... bats harness/tests/writers.bats
#
# SPDX-License-Identifier: MIT

bats_require_minimum_version 1.5.0

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export CTS=$ROOT/harness/vmclock-cts
	BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
	export BUILD
	export VMCLOCK_CTS_BUILD=$BUILD
	export WSUITE=$BUILD/vmclock-wsuite
	export VMCLOCK_SELFTEST_SEED=${VMCLOCK_SELFTEST_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}
	export T=$BATS_FILE_TMPDIR
}

load expect

need() {
	[ -x "$WSUITE" ] || skip "writer runner not built ($WSUITE): run make"
	local w
	for w in "$@"; do
		[ -f "$BUILD/writers/$w.so" ] || skip "writer not built: $BUILD/writers/$w.so"
	done
}

# verdicts OUTPUT: "ID VERDICT" for every clause line
verdicts() {
	printf '%s\n' "$1" | awk '/^W-[A-Z-]+ +(MUST|SHOULD) / { print $1, $3 }'
}

# wselftest NAME: judge a bundled writer, compare with its VMCLOCK-EXPECT line.
wselftest() {
	need "$1"
	local so=$BUILD/writers/$1.so src=$ROOT/examples/writers/$1.c expect want want_warn got got_warn
	expect=$(expect_line "$src")
	[ -n "$expect" ] || { echo "no VMCLOCK-EXPECT line in $src"; return 1; }
	want=$(clauses_after FAIL "$expect")
	want_warn=$(clauses_after WARN "$expect")
	echo "seed: $VMCLOCK_SELFTEST_SEED (VMCLOCK_SELFTEST_SEED=$VMCLOCK_SELFTEST_SEED to replay)"
	run "$CTS" check-writer "$so" --seed "$VMCLOCK_SELFTEST_SEED" --json "$BATS_TEST_TMPDIR/out.json"
	echo "$output"
	got=$(printf '%s\n' "$output" | awk '/^W-/ && $3 == "FAIL" { print $1 }' | sort | tr '\n' ' ')
	got_warn=$(printf '%s\n' "$output" | awk '/^W-/ && $3 == "WARN" { print $1 }' | sort | tr '\n' ' ')
	echo "expected FAIL: [$want] WARN: [$want_warn]  got FAIL: [$got] WARN: [$got_warn]"
	[ "$got" = "$want" ]
	[ "$got_warn" = "$want_warn" ]
	if [ -z "$want" ]; then
		[ "$status" -eq 0 ]
		grep -q '"conformant":true' "$BATS_TEST_TMPDIR/out.json"
	else
		[ "$status" -eq 1 ]
		grep -q '"conformant":false' "$BATS_TEST_TMPDIR/out.json"
	fi
	# every finding has a replay line, and the replay (one scenario) shows it again
	local clause line cmd
	clause=$(printf '%s\n' "$output" | awk '/^W-/ && ($3 == "FAIL" || $3 == "WARN") { print $1; exit }')
	[ -n "$clause" ] || return 0
	line=$(printf '%s\n' "$output" | awk -v c="$clause" '$1 == c { on = 1; next } on && /^[A-Z]/ { exit } on && /replay: / { print; exit }')
	[ -n "$line" ]
	cmd=${line#*replay: vmclock-cts }
	# shellcheck disable=SC2086
	run "$CTS" $cmd --only "$clause"
	echo "$output"
	printf '%s\n' "$output" | grep -Eq "^$clause +(MUST|SHOULD) +(FAIL|WARN)"
}

@test "writers: every bundled writer is listed here" {
	for src in "$ROOT"/examples/writers/*.c; do
		n=$(basename "$src" .c)
		grep -q "{ wselftest $n; }" "$BATS_TEST_FILENAME" || { echo "examples/writers/$n.c has no self-test"; return 1; }
	done
}

@test "writers: adapter_writer (the README example, not on basewriter.h) passes" { wselftest adapter_writer; }
@test "writers: qemu_like (header and marker, counter INVALID) passes" { wselftest qemu_like; }
@test "writers: firecracker_like (marker and vmgen on restore) passes" { wselftest firecracker_like; }
@test "writers: full_time (error bounds, MONOTONIC, TAI, seq wrap) passes" { wselftest full_time; }
@test "writers: plain_time (error bounds, no MONOTONIC) passes" { wselftest plain_time; }
@test "writers: bad_fields_even fails W-SEQ-PROTOCOL only" { wselftest bad_fields_even; }
@test "writers: bad_seq_step2 fails W-SEQ-PROTOCOL only" { wselftest bad_seq_step2; }
@test "writers: bad_seq_nowrap fails W-SEQ-PROTOCOL only" { wselftest bad_seq_nowrap; }
@test "writers: bad_marker_reuse (marker reused after a restore) fails W-DISR-UNIQUE only" { wselftest bad_marker_reuse; }
@test "writers: bad_mono_calib (MONOTONIC broken at a calibration) fails W-MONO only" { wselftest bad_mono_calib; }
@test "writers: bad_no_disr_step warns W-DISR-STEP only" { wselftest bad_no_disr_step; }
@test "writers: bad_vmgen_no_marker (generation counter without a marker change) warns W-VMGEN-DISR only" { wselftest bad_vmgen_no_marker; }
@test "writers: bad_vmgen_from_page fails W-VMGEN only" { wselftest bad_vmgen_from_page; }
@test "writers: bad_err_slope (breaks an earlier promise) warns W-ERR-BOUNDS only" { wselftest bad_err_slope; }
@test "writers: bad_max_lt_est warns W-ERR-CONSISTENT only" { wselftest bad_max_lt_est; }
@test "writers: bad_tai_positive warns W-TAI-SIGN only" { wselftest bad_tai_positive; }
@test "writers: bad_private_flag (reserved flag bit) fails W-ENUM-RANGE only" { wselftest bad_private_flag; }
@test "writers: bad_header_change (header changed after init) fails W-HDR-CONST only" { wselftest bad_header_change; }
@test "writers: bad_size_two_pages fails W-HDR-VALID only" { wselftest bad_size_two_pages; }

@test "writers: every W clause is failed by some bundled writer" {
	local c
	for c in $("$CTS" list-clauses | awk '/^W-/ { print $1 }'); do
		grep -lq "VMCLOCK-EXPECT:.* $c\\b" "$ROOT"/examples/writers/*.c || { echo "no bundled writer fails $c"; return 1; }
	done
}

# ---- check-writer: outputs and set-up errors -----------------------------------------

@test "check-writer --tap and --junit: one entry per W clause, a failed MUST is not ok / <failure>" {
	need bad_private_flag
	run "$CTS" check-writer "$BUILD/writers/bad_private_flag.so" --seed 1 --scenario boot --tap --junit "$T/w.xml"
	echo "$output"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep -q '^1\.\.12$'
	printf '%s\n' "$output" | grep -q '^not ok [0-9]* - W-ENUM-RANGE FAIL'
	printf '%s\n' "$output" | grep -q '^ok [0-9]* - W-VMGEN NOT_SUPPORTED # SKIP'
	grep -q '<failure type="MUST"' "$T/w.xml"
	grep -q 'name="W-ENUM-RANGE"' "$T/w.xml"
	[ "$(grep -c '<testcase ' "$T/w.xml")" -eq 12 ]
}

@test "check-writer: the same seed gives the same report" {
	need full_time
	run "$CTS" check-writer "$BUILD/writers/full_time.so" --seed 42
	a=$output
	run "$CTS" check-writer "$BUILD/writers/full_time.so" --seed 42
	[ "$output" = "$a" ]
}

# shellcheck disable=SC2154 # stderr is set by bats's run
@test "check-writer: set-up errors exit 2 with one line" {
	need qemu_like
	run --separate-stderr "$CTS" check-writer "$T/missing.so"
	[ "$status" -eq 2 ]
	[[ $stderr == *"does not exist"* ]]
	[ -f "$BUILD/readers/reference.so" ] || skip "reader not built"
	run --separate-stderr "$CTS" check-writer "$BUILD/readers/reference.so"
	[ "$status" -eq 2 ]
	[[ $stderr == *"does not export vmclock_wut_event"* ]]
	[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
	run --separate-stderr "$CTS" check-writer "$BUILD/writers/qemu_like.so" --only R-HDR-MAGIC
	[ "$status" -eq 2 ]
	[[ $stderr == *"unknown writer clause"* ]]
	run --separate-stderr "$CTS" check-writer "$BUILD/writers/qemu_like.so" --scenario nope
	[ "$status" -eq 2 ]
	run --separate-stderr "$CTS" check-writer "$BUILD/writers/qemu_like.so" --seed 1 --seed 2
	[ "$status" -eq 2 ]
	[[ $stderr == *"given twice"* ]]
}

@test "check-writer --list-scenarios names the fixed and random scenarios" {
	need
	run "$CTS" check-writer --list-scenarios
	[ "$status" -eq 0 ]
	for s in boot calibration step migration restore leap freq random; do
		printf '%s\n' "$output" | grep -q "^$s " || { echo "no $s"; return 1; }
	done
}

# ---- hostile and broken writers ---------------------------------------------------------

hostile() { # NAME BODY: a writer whose event function runs BODY
	cat >"$T/$1.c" <<-EOF
	#include <stddef.h>
	#include <stdint.h>
	#include <string.h>
	#include <unistd.h>
	#include <sys/mman.h>
	#include "vmclock_wut.h"
	int vmclock_wut_event(volatile void *page, size_t len, const struct vmclock_wut_event *ev)
	{
		volatile uint8_t *p = page;
		(void)len; (void)p;
		$2
		return 0;
	}
	EOF
	cc -shared -fPIC -I"$ROOT/suite" -o "$T/$1.so" "$T/$1.c"
}

@test "a writer that crashes fails W-SEQ-PROTOCOL with the signal as evidence" {
	need
	hostile crash 'if (ev->kind == VMCLOCK_WUT_TICK) *(volatile int *)0 = 1; p[0] = 0x56;'
	run "$CTS" check-writer "$T/crash.so" --seed 1 --scenario boot
	echo "$output"
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep -Eq '^W-SEQ-PROTOCOL +MUST +FAIL'
	[[ $output == *"the writer crashed"* ]]
}

@test "a writer that hangs is stopped and fails W-SEQ-PROTOCOL" {
	need
	hostile hang 'if (ev->kind == VMCLOCK_WUT_TICK) for (;;) ;'
	run "$CTS" check-writer "$T/hang.so" --seed 1 --scenario boot --timeout-ms 300
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"did not return within 300 ms"* ]]
}

@test "a writer cannot make its page writable to store unseen (the walls' mprotect rule)" {
	need
	hostile unseen 'mprotect((void *)((uintptr_t)page & ~4095ul), 4096, PROT_READ | PROT_WRITE); memcpy((void *)page, "VCLK", 4);'
	run "$CTS" check-writer "$T/unseen.so" --seed 1 --scenario boot
	echo "$output"
	# the mprotect is refused, so the stores trap and are judged: a page
	# never published with a valid header
	[ "$status" -eq 1 ]
	printf '%s\n' "$output" | grep -Eq '^W-HDR-VALID +MUST +FAIL'
	# ...and the evidence is the trapped image (the magic it stored, no
	# version), not an empty trace (what an untrapped store would leave)
	[[ $output == *"version 0 (want 1)"* ]]
}

# ---- trace check ----------------------------------------------------------------------

@test "trace check: a saved linked trace gets the verdicts of its run" {
	need bad_marker_reuse
	run "$CTS" check-writer "$BUILD/writers/bad_marker_reuse.so" --seed 9 --scenario restore --save-trace "$T/m.trc"
	a=$(verdicts "$output")
	run "$CTS" trace check "$T/m.trc" --json "$T/m.json"
	echo "$output"
	[ "$status" -eq 1 ]
	[ "$(verdicts "$output")" = "$a" ]
	grep -q '"id":"W-DISR-UNIQUE","level":"MUST","title":"[^"]*","verdict":"FAIL"' "$T/m.json"
}

@test "trace check: corrupt or truncated traces exit 2 with one line, never crash" {
	need full_time
	"$CTS" check-writer "$BUILD/writers/full_time.so" --seed 3 --scenario boot --save-trace "$T/ok.trc" >/dev/null
	local size
	size=$(wc -c <"$T/ok.trc")
	: >"$T/empty.trc"
	head -c 20 "$T/ok.trc" >"$T/short-header.trc"
	head -c 100 "$T/ok.trc" >"$T/cut-record.trc"
	head -c $((size - 3)) "$T/ok.trc" >"$T/cut-end.trc"
	{ printf 'NOTATRCE'; tail -c +9 "$T/ok.trc"; } >"$T/magic.trc"
	{ head -c 8 "$T/ok.trc"; printf '\002\000'; tail -c +11 "$T/ok.trc"; } >"$T/version.trc"
	{ head -c 32 "$T/ok.trc"; printf '\011'; tail -c +34 "$T/ok.trc"; } >"$T/type.trc"
	{ head -c 36 "$T/ok.trc"; printf '\377\377\377\177'; tail -c +41 "$T/ok.trc"; } >"$T/huge.trc"
	{ head -c 20 "$T/ok.trc"; printf '\001\000\000\000'; tail -c +25 "$T/ok.trc"; } >"$T/imglen.trc"
	for f in empty short-header cut-record cut-end magic version type huge imglen; do
		run --separate-stderr "$CTS" trace check "$T/$f.trc"
		echo "$f: $status $stderr"
		[ "$status" -eq 2 ]
		[ "$(printf '%s\n' "$stderr" | wc -l)" -eq 1 ]
		[[ $stderr == *"is not a valid trace"* ]]
	done
	run "$CTS" trace check "$T/ok.trc"
	[ "$status" -eq 0 ]
}

@test "trace check: random bytes and random cuts never crash the parser" {
	need full_time
	"$CTS" check-writer "$BUILD/writers/full_time.so" --seed 4 --scenario leap --save-trace "$T/l.trc" >/dev/null
	local size i cut
	size=$(wc -c <"$T/l.trc")
	for i in 1 2 3 4 5 6 7 8; do
		cut=$(( (VMCLOCK_SELFTEST_SEED * i * 7919) % size ))
		head -c "$cut" "$T/l.trc" >"$T/cut.trc"
		run --separate-stderr "$CTS" trace check "$T/cut.trc"
		[ "$status" -eq 2 ] || [ "$status" -eq 0 ] || [ "$status" -eq 1 ]
		[[ $stderr != *Sanitizer* ]]
		head -c 4096 /dev/urandom >"$T/rand.trc"
		run --separate-stderr "$CTS" trace check "$T/rand.trc"
		[ "$status" -eq 2 ]
	done
}

# ---- trace record --------------------------------------------------------------------------

@test "trace record: no device here is exit 3 and says so" {
	need
	[ ! -e /dev/vmclock0 ] || skip "this machine has /dev/vmclock0"
	run --separate-stderr "$CTS" trace record /dev/vmclock0 --out "$T/dev.trc" --duration 0.1
	[ "$status" -eq 3 ]
	[[ $stderr == *"no VMClock device on this machine"* ]]
	run --separate-stderr "$CTS" trace record /dev/vmclock0
	[ "$status" -eq 2 ]
	run --separate-stderr "$CTS" trace record "$T/x" --out "$T/x.trc" --duration soon
	[ "$status" -eq 2 ]
	[[ $stderr == *"is not a duration"* ]]
}

# The acceptance test of issue 10: the simulated hypervisor runs a writer on
# a shared file; trace record samples it from another process; trace check
# gives the verdicts of the linked run of the same writer and scenario.
@test "trace record of a simulated hypervisor: the same verdicts as the linked run" {
	need full_time qemu_like bad_tai_positive bad_private_flag bad_header_change
	local w sc a b try
	for w in full_time qemu_like bad_tai_positive bad_private_flag bad_header_change; do
		for sc in migration calibration; do
			run "$CTS" check-writer "$BUILD/writers/$w.so" --seed 5 --scenario "$sc"
			b=$(verdicts "$output")
			for try in 1 2 3; do
				rm -f "$T/page"
				: >"$T/page"
				truncate -s 4096 "$T/page"
				"$CTS" trace record "$T/page" --out "$T/rec.trc" --duration 2 >/dev/null &
				sleep 0.3
				"$WSUITE" --simulate "$BUILD/writers/$w.so" --page "$T/page" --scenario "$sc" --seed 5 --pace-us 5000 >/dev/null
				wait
				run "$CTS" trace check "$T/rec.trc"
				a=$(verdicts "$output")
				# a sample missed on a busy machine is retried, never excused
				[ "$a" != "$b" ] || break
				echo "try $try of $w $sc differs:"; echo "$output"
			done
			echo "$w $sc: recorded [$a] linked [$b]"
			[ "$a" = "$b" ]
		done
	done
}
