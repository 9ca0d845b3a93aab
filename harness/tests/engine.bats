#!/usr/bin/env bats
# engine.bats - the interleaving engine's own test programs
# (suite/engine/tests/), built here under ASan+UBSan like the rest of
# `make test`: demo.c (a torn read is caught at every position where it can
# happen, a correct reader never is) and bench.c (its self-checks: decoder
# emulation equals single-stepping, rdtsc emulation, rep movs coalescing,
# crashes, handler replacement, page writes, guard page; its timings are
# printed, never asserted).
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export T=$BATS_FILE_TMPDIR
	[ "$(uname -m)" = x86_64 ] || return 0
	cd "$ROOT" || return 1
	local src=(suite/engine/trap.c reference/abi.c reference/writer.c reference/rng.c reference/timemath.c
		reference/reader.c)
	local cflags=(-std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE -O1 -g -fsanitize=address -fsanitize=undefined
		-fno-omit-frame-pointer -Ireference -Isuite)
	"${CC:-cc}" "${cflags[@]}" suite/engine/tests/demo.c "${src[@]}" -lm -o "$T/demo" || return 1
	"${CC:-cc}" "${cflags[@]}" suite/engine/tests/bench.c "${src[@]}" -lm -o "$T/bench" || return 1
}

@test "engine demo: a reader without the second seq check is torn, correct readers never" {
	[ "$(uname -m)" = x86_64 ] || skip "the trap engine is x86_64 only"
	run "$T/demo"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"DEMO OK"* ]]
}

@test "engine self-checks: emulation, rdtsc, rep movs, crashes, handler replacement, page writes, guard page" {
	[ "$(uname -m)" = x86_64 ] || skip "the trap engine is x86_64 only"
	run "$T/bench"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"ALL OK (0 failures)"* ]]
}
