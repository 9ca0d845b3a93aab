#!/usr/bin/env bats
# contain.bats - the sandbox contains hostile readers (examples/readers/hostile_*.c).
#
# Run alone:  bats harness/tests/contain.bats
#   one:      bats harness/tests/contain.bats -f hostile_daemon
#
# Each hostile reader is the shared known-bad reader (basereader.h) with one
# defect knob, plus an attack on the suite: if the attack works it hides its
# defect (a forged verdict) or takes the run down; if the sandbox stops it,
# the suite gives exactly the reader's VMCLOCK-EXPECT line. These tests hold
# once the sandbox hardening has landed (issue: own session, non-dumpable,
# uid 65534 under root, fds >= 3 closed, Landlock, seccomp, sealed page and
# reader copy, validated result pipe, neutral names, stress exit counted);
# against today's suite most of them fail (the README table says how).
#
# For every reader, in a scratch directory holding victim1/victim2, with
# HOSTILE_TARGET pointing at the --json report:
#   - the run is wrapped in `setsid -w timeout`: a reader that kills its
#     process group or stops the runner cannot take bats with it, and a hang
#     fails the test at CONTAIN_CAP seconds instead of hanging it;
#   - the run ends in bounded time (wall time printed) and not by a signal;
#   - the verdict is exactly the VMCLOCK-EXPECT line;
#   - the report on stdout is small and holds no forged line;
#   - the victims and the --json report are intact;
#   - no process of the reader (its .so path in argv, or comm
#     "hostile-daemon") exists before the run or outlives it.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	BUILD=${VMCLOCK_CTS_BUILD:-build}
	case $BUILD in /*) ;; *) BUILD=$ROOT/$BUILD ;; esac
	export BUILD
	export CONTAIN_SEED=${CONTAIN_SEED:-1}
	export CONTAIN_CAP=${CONTAIN_CAP:-300}
}

# procs SO: live (non-zombie) processes that belong to reader SO.
procs() {
	ps -eo pid=,stat=,comm=,args= | awk -v so="$1" '$2 !~ /^Z/ && (index($0, so) || $3 == "hostile-daemon") && !/awk/'
}

teardown() {
	# Leftovers of this test's reader only (by pid): never a broad kill.
	[ -n "${SO:-}" ] || return 0
	local pid
	for pid in $(procs "$SO" | awk '{ print $1 }'); do
		kill -KILL "$pid" 2>/dev/null || true
	done
}

load expect

# contain NAME [check options...]: run one hostile reader under the checks above.
contain() {
	local name=$1
	shift
	SO=$BUILD/readers/$name.so
	local src=$ROOT/examples/readers/$name.c
	[ -x "$BUILD/vmclock-suite" ] || [ -n "${VMCLOCK_CTS_SUITE:-}" ] || skip "suite not built: run make"
	[ -f "$SO" ] || skip "reader not built: $SO"
	local expect want want_warn
	expect=$(expect_line "$src")
	[ -n "$expect" ] || { echo "no VMCLOCK-EXPECT line in $src"; return 1; }
	want=$(clauses_after FAIL "$expect")
	# a test that judges only some clauses (--only) says which must fail
	if [ -n "${CONTAIN_EXPECT_FAIL:-}" ]; then
		# shellcheck disable=SC2086 # a word list on purpose
		want=$(printf '%s\n' $CONTAIN_EXPECT_FAIL | sort -u | tr '\n' ' ')
		want_warn=
	fi
	# a test may add clauses its options bring in (e.g. --stress-ms: R-ROB-NOCRASH)
	if [ -n "${CONTAIN_EXTRA_FAIL:-}" ]; then
		# shellcheck disable=SC2086 # word lists on purpose
		want=$(printf '%s\n' $want $CONTAIN_EXTRA_FAIL | sort -u | tr '\n' ' ')
	fi
	want_warn=$(clauses_after WARN "$expect")

	local S=$BATS_TEST_TMPDIR/scratch
	mkdir -p "$S"
	echo keep >"$S/victim1"
	echo keep >"$S/victim2"
	local before
	before=$(procs "$SO")
	[ -z "$before" ] || { echo "processes of $SO before the run:"; echo "$before"; return 1; }

	local t0 t1 rc=0
	t0=$(date +%s)
	(cd "$S" && HOSTILE_TARGET=$S/out.json VMCLOCK_CTS_BUILD=$BUILD \
		setsid -w timeout -k 5 "$CONTAIN_CAP" "$ROOT/harness/vmclock-cts" check "$SO" \
		--seed "$CONTAIN_SEED" --json "$S/out.json" "$@" >"$S/stdout" 2>"$S/stderr" 3>&- 4>&-) || rc=$?
	t1=$(date +%s)
	local size
	size=$(stat -c %s "$S/stdout")
	echo "$name: exit $rc, wall $((t1 - t0)) s, stdout $size bytes (cap $CONTAIN_CAP s, seed $CONTAIN_SEED)"
	head -c 20000 "$S/stdout" | tr -d '\000'
	echo "--- stderr:"
	head -c 2000 "$S/stderr" | tr -d '\000'
	echo

	# bounded, and not killed (124: timeout; 128+n: a signal, e.g. kill(0, SIGTERM))
	if [ "$rc" -eq 124 ] || [ "$rc" -ge 128 ]; then echo "run did not end by itself (exit $rc)"; return 1; fi
	# the report: small, no forged line (a real one always carries the cases after PASS)
	[ "$size" -lt 1000000 ] || { echo "stdout is $size bytes"; return 1; }
	! grep -a -q -E '^R-[A-Z-]+ +MUST +PASS *$' "$S/stdout" || { echo "forged report line on stdout"; return 1; }
	# the verdict is the line
	local got got_warn
	got=$(awk '$3 == "FAIL" { print $1 }' "$S/stdout" | sort | tr '\n' ' ')
	got_warn=$(awk '$3 == "WARN" { print $1 }' "$S/stdout" | sort | tr '\n' ' ')
	echo "expected FAIL: [$want] WARN: [$want_warn]  got FAIL: [$got] WARN: [$got_warn]"
	[ "$got" = "$want" ]
	[ "$got_warn" = "$want_warn" ]
	if [ -z "$want" ]; then [ "$rc" -eq 0 ]; else [ "$rc" -eq 1 ]; fi
	# files intact
	[ "$(cat "$S/victim1" "$S/victim2")" = "$(printf 'keep\nkeep')" ] || { echo "victim files damaged"; ls -la "$S"; return 1; }
	[ -f "$S/out.json" ] || { echo "--json report missing or not a file"; ls -la "$S"; return 1; }
	if [ -z "$want" ]; then grep -q '"conformant":true' "$S/out.json"; else grep -q '"conformant":false' "$S/out.json"; fi
	# nothing outlives the run (a daemon may need a moment to be seen: look twice)
	local after
	sleep 1
	after=$(procs "$SO")
	[ -z "$after" ] || { echo "processes of $SO outlived the run:"; echo "$after"; return 1; }
}

@test "contain: hostile_ptrace (ptrace / /proc/<ppid>/mem / process_vm_writev on the runner) is denied" { contain hostile_ptrace; }
@test "contain: hostile_probe_first (silent first call) does not hide its vmgen defect" { contain hostile_probe_first; }
@test "contain: hostile_mprotect_view (makes the engine's PROT_NONE view readable) is denied" { contain hostile_mprotect_view; }
@test "contain: hostile_stress_exit, plain check" { contain hostile_stress_exit; }
@test "contain: hostile_stress_exit with --stress-ms 400: the stress line says the reader ended the process" {
	# ending the process in the stress loop is a crash-like end: R-ROB-NOCRASH
	CONTAIN_EXTRA_FAIL=R-ROB-NOCRASH contain hostile_stress_exit --stress-ms 400
	grep '^stress' "$BATS_TEST_TMPDIR/scratch/stdout"
	grep -q '^stress .*ended the process' "$BATS_TEST_TMPDIR/scratch/stdout"
}
@test "contain: hostile_detect (memfd and thread names) finds no tell" { contain hostile_detect; }
@test "contain: hostile_write_restore (mprotect RW, write, restore) cannot write the page" { contain hostile_write_restore; }
@test "contain: hostile_segv_oob (own SIGSEGV handler hides an over-read) is denied the handler" { contain hostile_segv_oob; }
@test "contain: hostile_fork_twin (a forked twin serves the cases) cannot fork" { contain hostile_fork_twin; }
# The costly ones judge two clauses (a full run: the README's table of bounds).
@test "contain: hostile_pipe_forge (stray bytes and a forged MSG_DONE on the result pipe) neither hangs nor crashes the runner" {
	CONTAIN_EXPECT_FAIL="R-HDR-MAGIC R-TIME-EXACT" contain hostile_pipe_forge --only R-HDR-MAGIC --only R-TIME-EXACT
	grep -q "tried to interfere with the suite" "$BATS_TEST_TMPDIR/scratch/stdout"
}
@test "contain: hostile_daemon (double-forked daemon) leaves nothing behind and cannot touch the report" {
	contain hostile_daemon
	if pgrep -x hostile-daemon >/dev/null; then pgrep -a -x hostile-daemon; return 1; fi
}
@test "contain: hostile_swap (could rewrite its hashed .so) runs from a sealed copy" { contain hostile_swap; }
@test "contain: hostile_start_spam (MSG_START blobs from a thread every 500 ms) does not hang the run" {
	CONTAIN_EXPECT_FAIL="R-HDR-MAGIC R-TIME-EXACT" contain hostile_start_spam --only R-HDR-MAGIC --only R-TIME-EXACT
	grep -q "tried to interfere with the suite" "$BATS_TEST_TMPDIR/scratch/stdout"
}
@test "contain: hostile_stop_parent (SIGSTOP to the runner) is denied" { contain hostile_stop_parent; }
@test "contain: hostile_killpg (kill(0, SIGTERM)) kills nobody else" { contain hostile_killpg; }
@test "contain: hostile_hang_third (hangs on every third call) is reported in bounded time" {
	CONTAIN_EXPECT_FAIL="R-HDR-VERSION R-SEQ-TORN" contain hostile_hang_third --only R-HDR-VERSION --only R-SEQ-TORN
	grep -q "reader hung" "$BATS_TEST_TMPDIR/scratch/stdout"
}
@test "contain: hostile_output (50 MB and a fake report line to fds 1-4) stays out of the report" { contain hostile_output; }
@test "contain: hostile_memory (6 GiB) is stopped by the child's limits" {
	CONTAIN_EXPECT_FAIL=R-TIME-EXACT contain hostile_memory --only R-TIME-EXACT
}
@test "contain: hostile_files (unlink victims, mkdir over the report) cannot touch the filesystem" { contain hostile_files; }
