#!/usr/bin/env bats
# fuzz.bats - issue 9: the fuzz targets, their replay driver, the corpus and
# regressions, the test vectors, and the campaign front end (harness/fuzz).
#
# The replay binaries are those of the build under test ($VMCLOCK_CTS_BUILD,
# build/san under make test: ASan+UBSan); the libFuzzer build is made here,
# into a temporary directory, when clang with libFuzzer is installed.
#
# SPDX-License-Identifier: MIT

setup_file() {
	ROOT=$(cd -- "$BATS_TEST_DIRNAME/../.." && pwd)
	export ROOT
	export T=$BATS_FILE_TMPDIR
	B=${VMCLOCK_CTS_BUILD:-build}
	case $B in /*) ;; *) B=$ROOT/$B ;; esac
	export B
	export REPLAY=$B/fuzz/replay
	export REG=$ROOT/corpus/regressions
	"$B/corpus/gen_seeds" "$T/seeds" 1 >/dev/null || return 1
	# a reader that loads the byte right after the mapping, without hiding it
	printf '%s\n' '#include "vmclock_iut.h"' \
		'int vmclock_iut_read(const volatile void *p, size_t len, const struct vmclock_iut_counter *c,' \
		'                     struct vmclock_iut_reading *o)' \
		'{ (void)c; (void)o; (void)((const volatile unsigned char *)p)[len]; return 2; }' >"$T/overread.c"
	"${CC:-cc}" -std=c11 -O1 -fPIC -shared -I"$ROOT/suite" -o "$T/overread.so" "$T/overread.c" || return 1
	if command -v clang >/dev/null && [ -f "$(clang -print-file-name=libclang_rt.fuzzer-x86_64.a)" ]; then
		(cd "$ROOT" && FUZZ_TARGETS=vmclock_page_fuzzer fuzz/build.sh libfuzzer "$T/lf") >"$T/lf-build.log" 2>&1 || return 1
	fi
}

@test "replay: every generated seed and every regression input runs clean against the reference reader" {
	for t in "$REPLAY"/*; do
		name=${t##*/}
		dirs=()
		[ ! -d "$T/seeds/$name" ] || dirs+=("$T/seeds/$name")
		[ ! -d "$REG/$name" ] || dirs+=("$REG/$name")
		[ "${#dirs[@]}" -gt 0 ] || continue
		run "$t" "${dirs[@]}"
		echo "$name: $output"
		[ "$status" -eq 0 ]
		[[ $output == *"replayed "*" input(s): no finding"* ]]
	done
}

@test "replay: the seed generator is deterministic and covers the malformed catalogue" {
	"$B/corpus/gen_seeds" "$T/seeds2" 1 >/dev/null
	diff -r "$T/seeds" "$T/seeds2"
	[ -f "$T/seeds/vmclock_page_fuzzer/malformed-magic-0-near.bin" ]
	[ -f "$T/seeds/vmclock_page_fuzzer/malformed-size-4097-len-4096-far.bin" ]
	"$B/corpus/gen_seeds" "$T/seeds3" 2 >/dev/null
	# another seed, other random pages
	if diff -rq "$T/seeds" "$T/seeds3" >/dev/null; then return 1; fi
}

@test "regressions: each input shows its clause against the bad reader it names, with a replay line that reproduces it" {
	n=0
	for f in "$REG"/*/*--*.bin; do
		target=$(basename "$(dirname "$f")")
		base=${f##*/}
		clause=${base%%--*}
		reader=${base#*--}
		reader=${reader%.bin}
		run env VMCLOCK_FUZZ_READER="$B/readers/$reader.so" "$REPLAY/$target" "$f"
		[ "$status" -ne 0 ] || { echo "$base: no finding"; return 1; }
		line=$(grep -m1 '^VMCLOCK-FUZZ-FINDING ' <<<"$output")
		[[ $line == "VMCLOCK-FUZZ-FINDING $clause $target: "* ]] || { echo "$base: $output"; return 1; }
		replay=$(grep -m1 '^replay: ' <<<"$output")
		[[ $replay == *"VMCLOCK_FUZZ_READER=$(readlink -f "$B/readers/$reader.so") "*"$f" ]] || { echo "$replay"; return 1; }
		# the replay line, pasted as is, gives the same finding
		run sh -c "${replay#replay: }"
		[[ $output == *"VMCLOCK-FUZZ-FINDING $clause "* ]] || { echo "$base replayed: $output"; return 1; }
		n=$((n + 1))
	done
	[ "$n" -ge 20 ]
}

@test "page target: a load past the mapping is R-HDR-SIZE, a store to the page R-ROB-NOCRASH, a clean read nothing" {
	run env VMCLOCK_FUZZ_READER="$B/readers/bad_writes_page.so" "$REPLAY/vmclock_page_fuzzer" \
		"$REG/vmclock_page_fuzzer/R-ROB-NOCRASH--bad_writes_page.bin"
	[[ $output == *"VMCLOCK-FUZZ-FINDING R-ROB-NOCRASH vmclock_page_fuzzer: wrote to the read-only page"* ]]
	run env VMCLOCK_FUZZ_READER="$T/overread.so" "$REPLAY/vmclock_page_fuzzer" "$T/seeds/vmclock_page_fuzzer/malformed-map-112-far.bin"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"VMCLOCK-FUZZ-FINDING R-HDR-SIZE vmclock_page_fuzzer: loaded past the end of the mapping (guard page)"* ]]
	run env VMCLOCK_FUZZ_READER="$B/readers/linux_style.so" "$REPLAY/vmclock_page_fuzzer" "$T/seeds/vmclock_page_fuzzer"
	[ "$status" -eq 0 ]
}

@test "page target: a reader loaded as a .so runs beside the reference (differential on): no false alarm on any seed" {
	run env VMCLOCK_FUZZ_READER="$B/readers/reference.so" "$REPLAY/vmclock_page_fuzzer" "$T/seeds/vmclock_page_fuzzer"
	[ "$status" -eq 0 ]
}

@test "page target: a hang on a page left odd is R-SEQ-BOUNDED with VMCLOCK_FUZZ_ODD=1" {
	run env VMCLOCK_FUZZ_ODD=1 VMCLOCK_FUZZ_TIMEOUT=1 VMCLOCK_FUZZ_READER="$B/readers/bad_spin_forever.so" \
		"$REPLAY/vmclock_page_fuzzer" "$T/seeds/vmclock_page_fuzzer/malformed-seq-odd-1-near.bin"
	echo "$output"
	[ "$status" -ne 0 ]
	[[ $output == *"VMCLOCK-FUZZ-FINDING R-SEQ-BOUNDED replay: did not return"* ]]
	[[ $output == *"VMCLOCK_FUZZ_ODD=1"* ]]
	# without VMCLOCK_FUZZ_ODD the page is made even: no hang, no finding
	run env VMCLOCK_FUZZ_TIMEOUT=5 VMCLOCK_FUZZ_READER="$B/readers/bad_spin_forever.so" \
		"$REPLAY/vmclock_page_fuzzer" "$T/seeds/vmclock_page_fuzzer/malformed-seq-odd-1-near.bin"
	[ "$status" -eq 0 ]
}

@test "campaign usage errors exit 2 with one line" {
	run "$ROOT/harness/vmclock-cts" fuzz
	[ "$status" -eq 2 ]
	[[ $output == *"no reader given"* ]]
	run "$ROOT/harness/vmclock-cts" fuzz reference
	[ "$status" -eq 2 ]
	[[ $output == *"no --engine"* ]]
	run "$ROOT/harness/vmclock-cts" fuzz reference --engine honggfuzz
	[ "$status" -eq 2 ]
	run "$ROOT/harness/vmclock-cts" fuzz reference --engine libfuzzer --time 10x
	[ "$status" -eq 2 ]
	[[ $output == *"--time wants N, Ns, Nm or Nh"* ]]
	run "$ROOT/harness/vmclock-cts" fuzz reference --engine libfuzzer --jobs 0
	[ "$status" -eq 2 ]
	run "$ROOT/harness/vmclock-cts" fuzz /nonexistent.so --engine libfuzzer
	[ "$status" -eq 2 ]
	run env VMCLOCK_CTS_FUZZ_DIR="$T/none" "$ROOT/harness/vmclock-cts" fuzz reference --engine libfuzzer
	[ "$status" -eq 2 ]
	[[ $output == *"is not built"* ]]
	run "$ROOT/harness/vmclock-cts" fuzz --help
	[ "$status" -eq 0 ]
	[[ $output == *"--engine E"* ]]
}

@test "fuzz/build.sh libfuzzer: the target, its seed corpus zip, dict and options; every target has a dict, options and seeds" {
	for t in "$ROOT"/fuzz/targets/*.c; do
		name=$(basename "$t" .c)
		[ -f "$ROOT/fuzz/options/$name.options" ]
		[ -f "$ROOT/fuzz/dict/$name.dict" ]
		[ -n "$(ls -A "$T/seeds/$name")" ]
	done
	[ -d "$T/lf" ] || skip "clang with libFuzzer is not installed"
	name=vmclock_page_fuzzer
	[ -x "$T/lf/$name" ]
	[ -f "$T/lf/${name}_seed_corpus.zip" ]
	[ -f "$T/lf/$name.options" ]
	[ -f "$T/lf/$name.dict" ]
	unzip -l "$T/lf/vmclock_page_fuzzer_seed_corpus.zip" | grep -q 'R-HDR-MAGIC--bad_no_magic.bin'
}

@test "campaign (libFuzzer): finds bad_no_magic on R-HDR-MAGIC in seconds, minimized, replay reproduces; the reference has none" {
	[ -d "$T/lf" ] || skip "clang with libFuzzer is not installed"
	run env VMCLOCK_CTS_FUZZ_DIR="$T/lf" "$ROOT/harness/vmclock-cts" fuzz "$B/readers/bad_no_magic.so" \
		--engine libfuzzer --time 20 --stop-on-first --minimize-time 2 --out "$T/c1"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ $output == *"summary: "*" 1 finding(s) by clause"* ]]
	[[ $output == *"FINDING R-HDR-MAGIC ("*" bytes)"* ]]
	replay=$(grep -m1 '^  replay: ' <<<"$output")
	[[ $replay == *"$T/c1/findings/R-HDR-MAGIC.bin" ]]
	run sh -c "${replay#  replay: }"
	[[ $output == *"VMCLOCK-FUZZ-FINDING R-HDR-MAGIC "* ]]
	run env VMCLOCK_CTS_FUZZ_DIR="$T/lf" "$ROOT/harness/vmclock-cts" fuzz reference --engine libfuzzer --time 2 --out "$T/c2"
	echo "$output"
	[ "$status" -eq 0 ]
	[[ $output == *"summary: "*" 0 finding(s) by clause"* ]]
	[[ $output == *"execs "*"exec/s"* ]]
}

@test "vectors: corpus/vectors is what corpus/gen_vectors generates (regenerate with the command below)" {
	mkdir -p "$T/vec"
	run "$B/corpus/gen_vectors" "$T/vec"
	[ "$status" -eq 0 ]
	run diff -r "$T/vec" "$ROOT/corpus/vectors"
	echo "$output"
	[ "$status" -eq 0 ] || { echo "regenerate: $B/corpus/gen_vectors corpus/vectors"; return 1; }
}

@test "vectors: at least 300, every reader clause a single read shows has its file, the reference passes all" {
	for c in R-HDR-MAGIC R-HDR-VERSION R-HDR-SIZE R-HDR-COUNTER R-HDR-TIMETYPE R-SEQ-ODD R-SEQ-WRAP R-TIME-EXACT \
		R-TIME-SHIFT R-TIME-TAI R-TIME-NEGDELTA R-ERR-FLAGS R-ERR-BOUND R-STAT-UNRELIABLE R-DISR-MARKER R-VMGEN \
		R-ROB-NOCRASH R-CONTRACT; do
		[ -f "$ROOT/corpus/vectors/$c.json" ] || { echo "no vectors for $c"; return 1; }
	done
	run "$B/corpus/check_vectors" "$ROOT"/corpus/vectors/*.json
	echo "$output"
	[ "$status" -eq 0 ]
	n=$(sed -n 's/^check_vectors: \([0-9]*\) vectors .*: 0 failed$/\1/p' <<<"$output")
	[ "${n:-0}" -ge 300 ]
}

@test "vectors: good readers pass, each bad reader fails vectors of its own clause" {
	for r in linux_style errbounds linux_v613 loose_bounds; do
		run env VMCLOCK_FUZZ_READER="$B/readers/$r.so" "$B/corpus/check_vectors" "$ROOT"/corpus/vectors/*.json
		[ "$status" -eq 0 ] || { echo "$r: $output"; return 1; }
	done
	run env VMCLOCK_FUZZ_READER="$B/readers/tai_only.so" "$B/corpus/check_vectors" --serves tai "$ROOT"/corpus/vectors/*.json
	[ "$status" -eq 0 ]
	for pair in bad_mul64:R-TIME-EXACT bad_no_magic:R-HDR-MAGIC bad_tai_unsigned:R-TIME-TAI bad_shift_mask:R-TIME-SHIFT \
		bad_err_noflag:R-ERR-FLAGS bad_vmgen_nocheck:R-VMGEN bad_odd_ignored:R-SEQ-ODD bad_unreliable_ok:R-STAT-UNRELIABLE; do
		r=${pair%%:*} c=${pair#*:}
		run env VMCLOCK_FUZZ_READER="$B/readers/$r.so" "$B/corpus/check_vectors" "$ROOT/corpus/vectors/$c.json"
		[ "$status" -eq 1 ] || { echo "$r passed $c.json"; return 1; }
		[[ $output == *"FAIL "*"$c"* ]]
	done
}

@test "vectors: the checker refuses a malformed file with exit 2 and a reason" {
	printf '{"schema": "vmclock-cts-vectors", "schemaVersion": 2, "tests": []}' >"$T/v2.json"
	run "$B/corpus/check_vectors" "$T/v2.json"
	[ "$status" -eq 2 ]
	[[ $output == *"unsupported schemaVersion"* ]]
	printf '{"schema": "vmclock-cts-vectors", "schemaVersion": 1, "tests": [{"tcId": 1.5}]}' >"$T/bad.json"
	run "$B/corpus/check_vectors" "$T/bad.json"
	[ "$status" -eq 2 ]
	[[ $output == *"only integers"* ]]
}
