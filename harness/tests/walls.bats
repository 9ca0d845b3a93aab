#!/usr/bin/env bats
# walls.bats - the sandbox's walls (suite/contain.c), tried from inside by
# suite/contain-tests/walls.c: every attempt a hostile reader would make is
# refused with the expected errno, what a reader needs still works.
# Built here under ASan+UBSan like the rest of `make test`.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export T=$BATS_FILE_TMPDIR
	[ "$(uname -m)" = x86_64 ] || return 0
	cd "$ROOT" || return 1
	local libs=(-lpthread)
	[ -f /usr/include/seccomp.h ] && libs+=(-lseccomp)
	"${CC:-cc}" -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O1 -g -fsanitize=address -fsanitize=undefined \
		-fno-omit-frame-pointer -Ireference -Isuite suite/contain-tests/walls.c suite/contain.c suite/sha256.c \
		suite/engine/trap.c "${libs[@]}" -o "$T/walls" || return 1
}

@test "walls: a contained child cannot reach the runner, spawn, signal, remap its page or write files" {
	[ "$(uname -m)" = x86_64 ] || skip "the page view needs the x86_64 engine"
	local d="$T/scratch"
	mkdir -p "$d"
	: >"$d/victim"
	# Writable by anyone: only the sandbox's own walls can refuse the writes.
	chmod 0777 "$d"
	chmod 0666 "$d/victim"
	run "$T/walls" "$d"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"walls: "*"own session"* ]]
	# every wall this build has is tried, none silently skipped
	if [ -f /usr/include/seccomp.h ]; then
		[[ "$output" != *"skip "*"no seccomp"* ]]
	fi
	[ -f "$d/victim" ]
	[ ! -e "$d/new" ]
}

@test "walls: the report names the walls that stood (text and JSON), none silently missing" {
	BUILD=${VMCLOCK_CTS_BUILD:-build}
	[ -x "$ROOT/$BUILD/vmclock-suite" ] || skip "suite not built"
	run "$ROOT/harness/vmclock-cts" check "$ROOT/$BUILD/readers/reference.so" --only R-HDR-MAGIC --seed 1 --json "$T/r.json"
	echo "$output"
	[ "$status" -eq 0 ]
	line=$(printf '%s\n' "$output" | grep '^containment: ')
	[[ "$line" == *"own session"* && "$line" == *"non-dumpable"* && "$line" == *"rlimits"* ]]
	if [ -f /usr/include/seccomp.h ]; then [[ "$line" == *", seccomp"* ]]; fi
	# a wall the host lacks is named as missing, never left out
	[[ "$line" == *"landlock (no file writes)"* || "$line" == *"no landlock"* ]]
	grep -q '"containment":"own session' "$T/r.json"
}
