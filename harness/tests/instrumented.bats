#!/usr/bin/env bats
# instrumented.bats - readers built with load hooks (vmclock-cts build-reader,
# clang's SanitizerCoverage trace-loads) are judged through their hooks,
# with the verdicts of the trapped mode:
#   - every bundled reader but the hostile ones, built with build-reader,
#     gets exactly its VMCLOCK-EXPECT verdict set through its hooks;
#   - for a few of them, a hooked and a --trapped run of the same .so print
#     the same report and JSON (the engine line and timings aside);
#   - a reader whose hooks miss loads is judged trapped, and says why;
#   - build-reader's own errors.
#
# The seed is random per run and printed; rerun with
#   VMCLOCK_INSTR_SEED=0x... bats harness/tests/instrumented.bats
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
	export BUILD
	export VMCLOCK_INSTR_SEED=${VMCLOCK_INSTR_SEED:-$(od -An -N6 -tu8 /dev/urandom | tr -d ' ')}
	export HOOKED=$BATS_FILE_TMPDIR/hooked
	mkdir -p "$HOOKED"
	command -v clang >/dev/null 2>&1 || return 0
	# every bundled reader but the hostile ones (contain.bats judges those),
	# two compilers at a time
	local n
	for src in "$ROOT"/examples/readers/*.c; do
		n=$(basename "$src" .c)
		case $n in hostile_*) continue ;; esac
		printf '%s\n' "$n"
	done | xargs -P 2 -I{} "$ROOT/harness/vmclock-cts" build-reader "$ROOT/examples/readers/{}.c" \
		-o "$HOOKED/{}.so" >"$BATS_FILE_TMPDIR/build.log" 2>&1 || true
}

load expect

setup() {
	[ -x "$BUILD/vmclock-suite" ] || skip "suite not built ($BUILD/vmclock-suite): run make"
	command -v clang >/dev/null 2>&1 || skip "clang not installed (make deps)"
}

check() { # check SO ARGS...: the front door, VMCLOCK_CTS_BUILD set
	env VMCLOCK_CTS_BUILD="$BUILD" "$ROOT/harness/vmclock-cts" check "$@"
}

judge_all() { # every hooked bundled reader against its VMCLOCK-EXPECT line
	local src n so expect want want_warn got got_warn bad=()
	echo "seed: $VMCLOCK_INSTR_SEED (VMCLOCK_INSTR_SEED=$VMCLOCK_INSTR_SEED to replay)"
	for src in "$ROOT"/examples/readers/*.c; do
		n=$(basename "$src" .c)
		case $n in hostile_*) continue ;; esac
		so=$HOOKED/$n.so
		[ -f "$so" ] || { bad+=("$n: not built (see $BATS_FILE_TMPDIR/build.log)"); continue; }
		expect=$(expect_line "$src")
		want=$(clauses_after FAIL "$expect")
		want_warn=$(clauses_after WARN "$expect")
		run check "$so" --seed "$VMCLOCK_INSTR_SEED"
		got=$(printf '%s\n' "$output" | awk '$3 == "FAIL" { print $1 }' | sort | tr '\n' ' ')
		got_warn=$(printf '%s\n' "$output" | awk '$3 == "WARN" { print $1 }' | sort | tr '\n' ' ')
		echo "$n: exit $status, FAIL [$got] WARN [$got_warn], expected [$want] [$want_warn]"
		[ "$status" -le 1 ] || printf '%s\n' "$output" | tail -n 5
		printf '%s\n' "$output" | grep -q '^engine: compiler hooks' ||
			bad+=("$n: not judged through its hooks: $(printf '%s\n' "$output" | grep '^engine:' || true)")
		[ "$got" = "$want" ] && [ "$got_warn" = "$want_warn" ] && [ "$status" -le 1 ] ||
			bad+=("$n: FAIL [$got] WARN [$got_warn], expected FAIL [$want] WARN [$want_warn]")
	done
	[ "${#bad[@]}" -eq 0 ] || { printf 'MISMATCH %s\n' "${bad[@]}"; return 1; }
}

# Only the engine line and timings may differ between the two mechanisms.
mask() {
	sed -E -e '/^engine: /d' -e 's/[0-9]+(\.[0-9]+)? ms/N ms/g' "$@"
}

same_both_ways() { # NAME: hooked and --trapped runs of one .so agree
	local so=$HOOKED/$1.so m args
	[ -f "$so" ] || { echo "$so not built"; return 1; }
	for m in hooked trapped; do
		args=()
		[ "$m" = hooked ] || args=(--trapped)
		run check "$so" --seed "$VMCLOCK_INSTR_SEED" --json "$BATS_TEST_TMPDIR/$m.json" "${args[@]}"
		printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/$m.txt"
		echo "$m: exit $status"
		[ "$status" -le 1 ] || { cat "$BATS_TEST_TMPDIR/$m.txt"; return 1; }
	done
	grep -q '^engine: compiler hooks' "$BATS_TEST_TMPDIR/hooked.txt"
	grep -q '^engine: trapped loads (--trapped' "$BATS_TEST_TMPDIR/trapped.txt"
	diff <(mask "$BATS_TEST_TMPDIR/trapped.txt") <(mask "$BATS_TEST_TMPDIR/hooked.txt")
	diff <(mask "$BATS_TEST_TMPDIR/trapped.json") <(mask "$BATS_TEST_TMPDIR/hooked.json")
}

@test "every bundled reader built with hooks is judged through them, with its VMCLOCK-EXPECT verdicts" { judge_all; }
@test "hooked and trapped: the same report, reference" { same_both_ways reference; }
@test "hooked and trapped: the same report, bad_no_recheck (torn)" { same_both_ways bad_no_recheck; }
@test "hooked and trapped: the same report, bad_odd_ignored (half-done updates)" { same_both_ways bad_odd_ignored; }
@test "hooked and trapped: the same report, bad_seq0_cache (a cache keyed on seq_count)" { same_both_ways bad_seq0_cache; }
@test "hooked and trapped: the same report, bad_lost_carry (arithmetic)" { same_both_ways bad_lost_carry; }

@test "a reader whose hooks miss loads (libc memcpy) is judged trapped, and the report says why" {
	cat >"$BATS_TEST_TMPDIR/memcpy_reader.c" <<'EOF'
#include <string.h>
#include "abi.h"
#include "reader.h"
#include "vmclock_iut.h"
unsigned char vmclock_copy[4096];   /* not static: the copy cannot be optimised away */
/* The seqlock read of the reference reader, but the page is first copied
 * with libc's memcpy: loads no hook sees. */
int vmclock_iut_read(const volatile void *p, size_t len, const struct vmclock_iut_counter *c,
                     struct vmclock_iut_reading *out)
{
	size_t n = len < sizeof vmclock_copy ? len : sizeof vmclock_copy;
	memcpy(vmclock_copy, (const void *)p, n);
	return vmclock_ref_read(p, len, c, out);
}
EOF
	run "$ROOT/harness/vmclock-cts" build-reader "$BATS_TEST_TMPDIR/memcpy_reader.c" -o "$BATS_TEST_TMPDIR/m.so"
	[ "$status" -eq 0 ] || { echo "$output"; return 1; }
	run check "$BATS_TEST_TMPDIR/m.so" --seed 1 --only R-SEQ-TORN
	echo "$output"
	printf '%s\n' "$output" | grep -q '^engine: trapped loads (the reader has load hooks, not trusted: '
}

no_engine_line() {
	local out
	out=$(check "$BUILD/readers/reference.so" --seed 1 --only R-HDR-MAGIC) || return 1
	[ "$(grep -c '^engine:' <<<"$out")" = 0 ]
}

@test "a reader without hooks prints no engine line (trapped, as ever)" { no_engine_line; }

@test "build-reader: usage errors exit 2 with a hint" {
	local vc=$ROOT/harness/vmclock-cts
	run "$vc" build-reader
	[ "$status" -eq 2 ]
	[[ $output == *"needs the reader's sources"* ]]
	run "$vc" build-reader "$ROOT/examples/readers/reference.c"
	[ "$status" -eq 2 ]
	[[ $output == *"needs -o"* ]]
	run "$vc" build-reader "$BATS_TEST_TMPDIR/none.c" -o x.so
	[ "$status" -eq 2 ]
	[[ $output == *"does not exist"* ]]
	run "$vc" build-reader "$ROOT/examples/readers/reference.c" -o a.so -o b.so
	[ "$status" -eq 2 ]
	run "$vc" build-reader "$ROOT/examples/readers/reference.c" -o "$BATS_TEST_TMPDIR/x.so" --bogus
	[ "$status" -eq 2 ]
	[[ $output == *"after --"* ]]
	printf 'int broken(;\n' >"$BATS_TEST_TMPDIR/broken.c"
	run "$vc" build-reader "$BATS_TEST_TMPDIR/broken.c" -o "$BATS_TEST_TMPDIR/broken.so"
	[ "$status" -eq 2 ]
	[[ $output == *"compiling"*"failed"* ]]
}

# hostile_hooked NAME: a hostile reader built with hooks is judged through
# them and still gets its VMCLOCK-EXPECT verdicts: the walls are the same in
# both modes (its mprotect of the view, its store, its own SIGSEGV handler
# are refused as in a trapped run).
hostile_hooked() {
	local n=$1 src=$ROOT/examples/readers/$1.c so=$BATS_TEST_TMPDIR/$1.so out want got
	"$ROOT/harness/vmclock-cts" build-reader "$src" -o "$so" 2>/dev/null || { echo "build-reader $n failed"; return 1; }
	want=$(clauses_after FAIL "$(expect_line "$src")")
	out=$(cd "$BATS_TEST_TMPDIR" && check "$so" --seed "$VMCLOCK_INSTR_SEED") || true   # 1: not conformant, expected
	got=$(printf '%s\n' "$out" | awk '$3 == "FAIL" { print $1 }' | sort | tr '\n' ' ')
	echo "$n: FAIL [$got], expected [$want]"
	printf '%s\n' "$out" | grep '^engine:\|^containment:'
	printf '%s\n' "$out" | grep -q '^engine: compiler hooks'
	[ "$got" = "$want" ]
}

@test "hooked, hostile_mprotect_view: its mprotect of the view is still refused, its bug still caught" { hostile_hooked hostile_mprotect_view; }
@test "hooked, hostile_write_restore: it still cannot write the page" { hostile_hooked hostile_write_restore; }
@test "hooked, hostile_segv_oob: it is still denied its own SIGSEGV handler" { hostile_hooked hostile_segv_oob; }
