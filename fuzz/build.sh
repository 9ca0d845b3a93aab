#!/bin/sh
# build.sh - build every fuzz target (fuzz/targets/*.c) with a fuzzing engine.
#
#   fuzz/build.sh                  OSS-Fuzz / ClusterFuzzLite: uses $CC $CXX $CFLAGS
#                                  $CXXFLAGS $LIB_FUZZING_ENGINE $OUT as the service sets them
#   fuzz/build.sh libfuzzer DIR    clang -fsanitize=fuzzer,address,undefined into DIR
#   fuzz/build.sh afl DIR          afl-clang-fast (persistent mode, shared-memory test
#                                  cases, ASan+UBSan) into DIR, plus DIR/NAME.cmplog
#
# Into $OUT, per target NAME: NAME, NAME_seed_corpus.zip (generated seeds and
# corpus/regressions/NAME), NAME.dict, NAME.options (fuzz/dict, fuzz/options).
# The seed generator is a host program: built with $HOSTCC (default cc), without
# the engine's flags. See docs/fuzzing.md.
# FUZZ_TARGETS="NAME..." builds only those targets (default: every fuzz/targets/*.c).
# FUZZ_MUTATORS=0 leaves the custom mutators out (byte mutation only, for comparison).
# FUZZ_READER_SRC="reader.c..." links your reader (exporting vmclock_iut_read) into
# every target: fuzzed without dlopen, as a fuzzing service runs it.
#
# SPDX-License-Identifier: MIT
set -eu

ROOT=$(cd -- "$(dirname -- "$0")/.." && pwd)
cd -- "$ROOT"

mode=${1:-oss}
case $mode in
oss)
	: "${CC:?CC is not set (run by OSS-Fuzz, or give a mode: libfuzzer DIR | afl DIR)}"
	: "${OUT:?OUT is not set}"
	: "${LIB_FUZZING_ENGINE:?LIB_FUZZING_ENGINE is not set}"
	CXX=${CXX:-clang++}
	CFLAGS=${CFLAGS:-}
	;;
libfuzzer)
	OUT=${2:?usage: fuzz/build.sh libfuzzer DIR}
	CC=clang
	CXX=clang++
	CFLAGS="-O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer
	;;
afl)
	OUT=${2:?usage: fuzz/build.sh afl DIR}
	CC=afl-clang-fast
	CXX=afl-clang-fast++
	CFLAGS="-O1 -g -fno-omit-frame-pointer"
	# afl-clang-fast links libAFLDriver for -fsanitize=fuzzer: persistent
	# mode with shared-memory test cases around LLVMFuzzerTestOneInput.
	LIB_FUZZING_ENGINE=-fsanitize=fuzzer
	export AFL_USE_ASAN=1 AFL_USE_UBSAN=1 AFL_QUIET=1
	;;
*)
	echo "usage: fuzz/build.sh [libfuzzer DIR | afl DIR]   (no argument: OSS-Fuzz environment)" >&2
	exit 2
	;;
esac
export CC CXX OUT

TARGETS=
for t in ${FUZZ_TARGETS:-$(cd fuzz/targets && ls -- *.c)}; do
	t=${t%.c}
	[ -f "fuzz/targets/$t.c" ] || { echo "fuzz/build.sh: no target fuzz/targets/$t.c" >&2; exit 2; }
	TARGETS="$TARGETS fuzz/targets/$t.c"
done

mkdir -p "$OUT"
OUT=$(cd -- "$OUT" && pwd)
WORK=$(mktemp -d "${TMPDIR:-/tmp}/vmclock-fuzz-build.XXXXXX")
trap 'rm -rf -- "$WORK"' EXIT

INC="-std=c11 -D_GNU_SOURCE -Ireference -Isuite -Ifuzz/common -Ifuzz/mutators -Icorpus"
LIBS="-lgmp -ldl -lm"

# build_all SUFFIX: the objects shared by every target, then the targets.
build_all() { # SUFFIX
	suffix=$1
	objdir=$WORK/obj$suffix
	mkdir -p "$objdir"
	objs=
	for src in reference/*.c fuzz/common/*.c corpus/json.c corpus/vectors.c suite/engine/trap.c; do
		[ "$src" != fuzz/common/replay_main.c ] || continue
		obj=$objdir/$(echo "$src" | tr / _).o
		# shellcheck disable=SC2086 # flag lists on purpose
		$CC $CFLAGS $INC -c "$src" -o "$obj"
		objs="$objs $obj"
	done
	readerobjs=
	for src in ${FUZZ_READER_SRC:-}; do
		obj=$objdir/reader_$(basename "$src" .c).o
		# shellcheck disable=SC2086
		$CC $CFLAGS $INC -c "$src" -o "$obj"
		readerobjs="$readerobjs $obj"
	done
	for t in $TARGETS; do
		name=$(basename "$t" .c)
		# shellcheck disable=SC2086
		$CC $CFLAGS $INC -c "$t" -o "$objdir/$name.o"
		# a structure-aware custom mutator (fuzz/mutators/NAME.c), libFuzzer only:
		# libAFLDriver has no LLVMFuzzerMutate (AFL++ gets its own .so below)
		mutobjs=
		if [ -f "fuzz/mutators/$name.c" ] && [ "$mode" != afl ] && [ "${FUZZ_MUTATORS:-1}" != 0 ]; then
			for src in "fuzz/mutators/$name.c" fuzz/mutators/*_mutate.c; do
				# shellcheck disable=SC2086
				$CC $CFLAGS $INC -c "$src" -o "$objdir/mut_$(basename "$src" .c).o"
				mutobjs="$mutobjs $objdir/mut_$(basename "$src" .c).o"
			done
		fi
		# shellcheck disable=SC2086
		$CXX $CFLAGS $LIB_FUZZING_ENGINE -o "$OUT/$name$suffix" "$objdir/$name.o" $objs $mutobjs $readerobjs $LIBS
	done
}

build_all ""
if [ "$mode" = afl ]; then
	# cmplog: a second binary that logs comparison operands (afl-fuzz -c).
	AFL_LLVM_CMPLOG=1 build_all .cmplog
	# the AFL++ custom mutator library (AFL_CUSTOM_MUTATOR_LIBRARY)
	${HOSTCC:-cc} -std=c11 -D_GNU_SOURCE -O2 -fPIC -shared -Ireference -Ifuzz/common -Ifuzz/mutators \
		-o "$OUT/vmclock_page_mutator.so" fuzz/mutators/page_afl.c fuzz/mutators/page_mutate.c reference/rng.c reference/abi.c
fi

# Seeds, dictionaries, options: the conventions of OSS-Fuzz.
${HOSTCC:-cc} -std=c11 -D_GNU_SOURCE -O1 -Ireference -Isuite -Ifuzz/common -Icorpus \
	-o "$WORK/gen_seeds" corpus/gen_seeds.c corpus/seed_out.c corpus/seeds_*.c reference/*.c -lm
"$WORK/gen_seeds" "$WORK/seeds" 1 >/dev/null
for t in $TARGETS; do
	name=$(basename "$t" .c)
	mkdir -p "$WORK/seeds/$name"
	if [ -d "corpus/regressions/$name" ]; then
		cp corpus/regressions/"$name"/* "$WORK/seeds/$name/" 2>/dev/null || true
	fi
	rm -f "$OUT/${name}_seed_corpus.zip"
	if [ -n "$(ls -A "$WORK/seeds/$name")" ]; then
		(cd "$WORK/seeds/$name" && zip -q -r "$OUT/${name}_seed_corpus.zip" .)
	fi
	[ ! -f "fuzz/dict/$name.dict" ] || cp "fuzz/dict/$name.dict" "$OUT/"
	[ ! -f "fuzz/options/$name.options" ] || cp "fuzz/options/$name.options" "$OUT/"
done
echo "fuzz/build.sh: $mode targets in $OUT"
