# vmclock-cts - conformance test suite for the Linux VMClock ABI.
#
#   make            build the reference library, the suite and bundled readers
#   make check      judge READER (default: the bundled reference reader)
#   make test       the project's own tests (unit, harness, self-test), under ASan+UBSan
#   make bench      cost per read of the reference reader
#   make stability  SEEDS x every bundled reader under BUSY busy loops: same verdicts
#   make mutate     mutation testing of the judging code (harness/mutants.def): which planted
#                   defects the unit tests and bundled readers notice; slow (see README), never
#                   part of make test; MUTATE_ARGS="-j 2 --only M01" narrows it
#   make deps       install what is missing (apt-get as root, else print the command)
#   make install    PREFIX=/usr/local DESTDIR= (without DESTDIR it first installs the build's
#                   packages, install-deps --build, then builds)
#
# Every build product goes under $(BUILD); sanitized test builds under build/san.

VERSION := $(shell cat VERSION)
BUILD   ?= build
CC      ?= cc
ifeq ($(origin CC),default)
CC      := gcc
endif
OPT     ?= -O2 -g
SANITIZE ?=
SANFLAGS := $(if $(SANITIZE),-fsanitize=address -fsanitize=undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
CFLAGS  ?= $(OPT)
WARN    := -std=c11 -Wall -Wextra -Werror -D_GNU_SOURCE
CPPFLAGS += -Ireference -Isuite -DVMCLOCK_CTS_VERSION='"$(VERSION)"'
ALL_CFLAGS = $(WARN) $(CFLAGS) $(SANFLAGS) $(CPPFLAGS)
# libseccomp is optional at build time (contain.c says what is missing in
# every report); make deps installs it.
LDLIBS_SUITE := -lcmocka -ldl -lm $(if $(wildcard /usr/include/seccomp.h),-lseccomp)

PREFIX  ?= /usr/local
DESTDIR ?=
READER  ?= $(BUILD)/readers/reference.so
CHECK_FLAGS ?=

# ---- reference library -------------------------------------------------------
REF_SRC  := $(wildcard reference/*.c)
REF_OBJ  := $(REF_SRC:%.c=$(BUILD)/obj/%.o)
REF_PIC  := $(REF_SRC:%.c=$(BUILD)/pic/%.o)
REF_LIB  := $(BUILD)/libvmclock-ref.a
REF_PICLIB := $(BUILD)/libvmclock-ref-pic.a
REF_SO   := $(BUILD)/libvmclock-ref.so

# ---- the suite (runner + cmocka clause tests + engine) -----------------------
SUITE_SRC := $(wildcard suite/*.c suite/tests/*.c suite/engine/*.c)
SUITE_OBJ := $(SUITE_SRC:%.c=$(BUILD)/obj/%.o)
SUITE_BIN := $(BUILD)/vmclock-suite

# ---- bundled readers: examples/readers/NAME.c -> build/readers/NAME.so --------
READER_SRC := $(wildcard examples/readers/*.c)
READER_SO  := $(READER_SRC:examples/readers/%.c=$(BUILD)/readers/%.so)

# ---- unit tests: reference/tests/NAME.c -> build/unit/NAME ---------------------
UNIT_SRC := $(wildcard reference/tests/*.c)
UNIT_BIN := $(UNIT_SRC:reference/tests/%.c=$(BUILD)/unit/%)
# The simulated writer of the schedules, tested in-process (x86_64: the engine).
SUITE_UNIT := $(BUILD)/unit/schedule_kinds
UNIT_BIN += $(SUITE_UNIT)

# ---- writers under test (issue 10): the writer runner and bundled writers -------
# suite/writers/*.c -> build/vmclock-wsuite (with the walls, outfile and sha256
# of the reader suite); examples/writers/NAME.c -> build/writers/NAME.so.
WSUITE_SRC := $(wildcard suite/writers/*.c)
WSUITE_OBJ := $(WSUITE_SRC:%.c=$(BUILD)/obj/%.o)
WSUITE_BIN := $(BUILD)/vmclock-wsuite
WSUITE_SHARED := $(BUILD)/obj/suite/contain.o $(BUILD)/obj/suite/sha256.o $(BUILD)/obj/suite/outfile.o $(BUILD)/obj/suite/escape.o
WRITER_SRC := $(wildcard examples/writers/*.c)
WRITER_SO  := $(WRITER_SRC:examples/writers/%.c=$(BUILD)/writers/%.so)

.PHONY: all check test unit bench stability mutate deps build-first install uninstall clean lint check-writers fuzz afl fuzz-replay
all: $(REF_LIB) $(REF_SO) $(SUITE_BIN) $(READER_SO) $(UNIT_BIN) $(WSUITE_BIN) $(WRITER_SO) fuzz-replay

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -fPIC -MMD -MP -c $< -o $@

$(REF_LIB): $(REF_OBJ)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(REF_PICLIB): $(REF_PIC)
	@mkdir -p $(dir $@)
	rm -f $@ && ar rcs $@ $^
$(REF_SO): $(REF_PIC)
	$(CC) $(ALL_CFLAGS) -shared -Wl,-soname,libvmclock-ref.so.1 -o $@ $^

$(SUITE_BIN): $(SUITE_OBJ) $(REF_LIB)
	$(CC) $(ALL_CFLAGS) -rdynamic -o $@ $^ $(LDLIBS_SUITE)

# Readers are untrusted subjects: built without sanitizers on purpose so a
# bad reader's crash is the suite's verdict, not an ASan abort in the build.
# READER_CFLAGS_<name> lets one reader pick its own flags (e.g. -O2 merges).
$(BUILD)/readers/%.so: examples/readers/%.c $(REF_PICLIB) suite/vmclock_iut.h examples/readers/basereader.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -g -fPIC -shared $(CPPFLAGS) $(READER_CFLAGS_$*) -o $@ $< $(REF_PICLIB)

$(WSUITE_BIN): $(WSUITE_OBJ) $(WSUITE_SHARED) $(REF_LIB)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -ldl $(if $(wildcard /usr/include/seccomp.h),-lseccomp)

# Writers are untrusted subjects too: no sanitizers (a crash is a verdict).
$(BUILD)/writers/%.so: examples/writers/%.c $(REF_PICLIB) suite/vmclock_wut.h examples/writers/basewriter.h
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -g -fPIC -shared $(CPPFLAGS) -o $@ $< $(REF_PICLIB)

$(BUILD)/unit/%: reference/tests/%.c $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $< $(REF_LIB) -lcmocka -lgmp -lm
# cmocka runs each test under its own SIGSEGV handler: the test creates the
# engine inside the test, so the engine's handler is the one installed last.
$(SUITE_UNIT): suite/engine/tests/schedule_kinds.c $(BUILD)/obj/suite/schedule.o $(BUILD)/obj/suite/case.o \
               $(BUILD)/obj/suite/engine/trap.o $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -o $@ $^ -lcmocka -lm

# The pkg-config file names PREFIX, so it is written at install time. Libs
# carries an rpath to libdir: a reader linked with `pkg-config --libs` then
# finds libvmclock-ref.so.1 in any PREFIX, without LD_LIBRARY_PATH and
# without an ld.so.conf entry (the runner loads the reader from a memfd, so
# $ORIGIN could not help it either).
PC_TEXT = 'prefix=%s\nincludedir=$${prefix}/include/vmclock-cts\nlibdir=$${prefix}/lib\n\nName: vmclock-ref\nDescription: VMClock reference reader and time arithmetic (vmclock-cts)\nVersion: %s\nCflags: -I$${includedir}\nLibs: -L$${libdir} -Wl,-rpath,$${libdir} -lvmclock-ref\n' '$(PREFIX)' '$(VERSION)'

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)

# ---- fuzzing (issue 9; docs/fuzzing.md) ------------------------------------------
# fuzz/targets/NAME.c is one target (LLVMFuzzerTestOneInput); adding a
# target is adding that file (and a line in corpus/gen_seeds.c for seeds).
# Three builds of the same sources:
#   $(BUILD)/fuzz/replay/NAME     plain driver, no engine, this build's CC and
#                                 sanitizers: `make test` replays corpora with it
#   $(FUZZ_OUT)/libfuzzer/NAME    clang -fsanitize=fuzzer,address,undefined (make fuzz)
#   $(FUZZ_OUT)/afl/NAME(.cmplog) afl-clang-fast, persistent, shared memory (make afl)
# The engine builds go through fuzz/build.sh, the OSS-Fuzz/ClusterFuzzLite entry.
FUZZ_TARGETS := $(basename $(notdir $(wildcard fuzz/targets/*.c)))
FUZZ_COMMON  := $(filter-out fuzz/common/replay_main.c,$(wildcard fuzz/common/*.c)) corpus/json.c corpus/vectors.c suite/engine/trap.c
FUZZ_REPLAY  := $(FUZZ_TARGETS:%=$(BUILD)/fuzz/replay/%)
FUZZ_CPPFLAGS := -Ifuzz/common -Icorpus
GEN_SEEDS    := $(BUILD)/corpus/gen_seeds
GEN_VECTORS  := $(BUILD)/corpus/gen_vectors
CHECK_VECTORS := $(BUILD)/corpus/check_vectors
FUZZ_OUT     ?= build/fuzz
FUZZ_TIME    ?= 10
FUZZ_LIBS    := -lgmp -ldl -lm

$(BUILD)/fuzz/replay/%: fuzz/targets/%.c $(FUZZ_COMMON) fuzz/common/replay_main.c $(wildcard fuzz/common/*.h) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CPPFLAGS) -o $@ $< $(FUZZ_COMMON) fuzz/common/replay_main.c $(REF_LIB) $(FUZZ_LIBS)

SEED_SRC := corpus/gen_seeds.c corpus/seed_out.c $(wildcard corpus/seeds_*.c)
$(GEN_SEEDS): $(SEED_SRC) $(wildcard corpus/*.h) $(wildcard fuzz/common/*.h) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CPPFLAGS) -o $@ $(SEED_SRC) $(REF_LIB) $(FUZZ_LIBS)
$(GEN_VECTORS): corpus/gen_vectors.c $(wildcard corpus/*.h) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CPPFLAGS) -o $@ $< $(REF_LIB) $(FUZZ_LIBS)
$(CHECK_VECTORS): corpus/check_vectors.c $(FUZZ_COMMON) $(wildcard corpus/*.h) $(wildcard fuzz/common/*.h) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CPPFLAGS) -o $@ corpus/check_vectors.c $(FUZZ_COMMON) $(REF_LIB) $(FUZZ_LIBS)
$(BUILD)/corpus/%: corpus/%.c $(wildcard corpus/*.h) $(wildcard fuzz/common/*.h) $(REF_LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(FUZZ_CPPFLAGS) -o $@ $< $(REF_LIB) $(FUZZ_LIBS)

# The AFL++ custom mutator, built here too so every build compiles it with
# the project's warnings (harness/fuzz uses the one fuzz/build.sh afl makes).
$(BUILD)/fuzz/vmclock_page_mutator.so: fuzz/mutators/page_afl.c fuzz/mutators/page_mutate.c $(wildcard fuzz/mutators/*.h) reference/rng.c reference/abi.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) -O2 -fPIC -shared $(CPPFLAGS) $(FUZZ_CPPFLAGS) -Ifuzz/mutators -o $@ fuzz/mutators/page_afl.c fuzz/mutators/page_mutate.c reference/rng.c reference/abi.c

fuzz-replay: $(FUZZ_REPLAY) $(GEN_SEEDS) $(GEN_VECTORS) $(CHECK_VECTORS) $(BUILD)/fuzz/vmclock_page_mutator.so

# Short libFuzzer smoke against the reference (FUZZ_TIME s per target, no
# finding allowed), then each bundled bad reader with a single-read defect
# must be found on its clause within 60 s (harness/fuzz-smoke).
fuzz: deps
	$(MAKE) all
	fuzz/build.sh libfuzzer $(FUZZ_OUT)/libfuzzer
	VMCLOCK_CTS_BUILD=$(BUILD) harness/fuzz-smoke --engine libfuzzer --out $(FUZZ_OUT)/libfuzzer --time $(FUZZ_TIME)

afl: deps
	$(MAKE) all
	fuzz/build.sh afl $(FUZZ_OUT)/afl
	VMCLOCK_CTS_BUILD=$(BUILD) harness/fuzz-smoke --engine afl --out $(FUZZ_OUT)/afl --time $(FUZZ_TIME)

# ---- the two commands of the README ---------------------------------------------
check: deps
	$(MAKE) all
	harness/vmclock-cts check $(READER) $(CHECK_FLAGS)

test: deps
	$(MAKE) BUILD=build/san SANITIZE=1 all
	VMCLOCK_CTS_BUILD=build/san harness/tests/run-all

# Issue 10: every bundled writer judged against its VMCLOCK-EXPECT line.
check-writers: all
	harness/check-writers

unit: $(UNIT_BIN)
	@for t in $(UNIT_BIN); do $$t || exit 1; done

deps:
	@harness/install-deps

bench: all
	harness/bench
	harness/fuzz-bench

# Issue 7's acceptance: SEEDS seeds x every bundled reader, with BUSY busy
# loops, all verdict sets equal to the VMCLOCK-EXPECT lines.
SEEDS ?= 20
BUSY ?= 2
# BUSY_CPU=0 pins the busy loops to CPU 0; CHECK_ARGS="--stress-ms 2000" adds
# options to every check; READERS="reference linux_style" narrows the set.
BUSY_CPU ?=
CHECK_ARGS ?=
READERS ?=
stability: all
	harness/stability --seeds $(SEEDS) --busy $(BUSY) $(if $(BUSY_CPU),--busy-cpu $(BUSY_CPU)) \
		$(if $(CHECK_ARGS),--check-args "$(CHECK_ARGS)") $(READERS)

# Issue 13: a mutation score for the judging code. Each mutant of
# harness/mutants.def is built in a scratch copy of the tracked tree and
# judged by the unit tests, then the bundled readers (fastest first), until
# one notices. It measures, it does not gate: exit 0 after a complete run.
MUTATE_ARGS ?=
mutate:
	harness/mutate $(MUTATE_ARGS)

lint:
	shellcheck harness/vmclock-cts harness/completion/vmclock-cts.bash harness/install-deps harness/bench harness/stability harness/mutate harness/check-writers harness/bench-writers harness/tests/run-all .ci/run \
	  harness/fuzz harness/fuzz-smoke harness/fuzz-bench fuzz/build.sh

# ldconfig only for the real root and as root: under DESTDIR (a package
# build) the cache is the package manager's business, and a user cannot
# write it. The rpath in vmclock-ref.pc makes readers work without it; the
# cache is for programs linked by hand with -lvmclock-ref.
LDCONFIG = if [ -z "$(DESTDIR)" ] && [ "$$(id -u)" -eq 0 ]; then PATH="$$PATH:/sbin:/usr/sbin" ldconfig; fi

# `make install` is often the first command on a fresh system: without
# DESTDIR it first installs what the build needs (install-deps --build: the
# compiler and libraries, not the test tools; as root, else it prints the
# command), then builds, in that order even under -j. Under DESTDIR (a
# package build) the build dependencies are the packager's business.
build-first:
	@harness/install-deps --build
	$(MAKE) all

install: $(if $(DESTDIR),all,build-first)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/libexec/vmclock-cts \
	  $(DESTDIR)$(PREFIX)/include/vmclock-cts $(DESTDIR)$(PREFIX)/lib/pkgconfig \
	  $(DESTDIR)$(PREFIX)/share/vmclock-cts/readers $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions
	install -m 755 harness/vmclock-cts $(DESTDIR)$(PREFIX)/bin/vmclock-cts
	install -m 755 $(SUITE_BIN) $(DESTDIR)$(PREFIX)/libexec/vmclock-cts/vmclock-suite
	install -m 755 $(WSUITE_BIN) $(DESTDIR)$(PREFIX)/libexec/vmclock-cts/vmclock-wsuite
	install -m 644 VERSION $(DESTDIR)$(PREFIX)/share/vmclock-cts/VERSION
	install -m 644 suite/vmclock_iut.h suite/vmclock_wut.h reference/wtrace.h reference/abi.h reference/fields.def reference/timemath.h \
	  reference/reader.h $(DESTDIR)$(PREFIX)/include/vmclock-cts/
	install -m 644 $(REF_LIB) $(DESTDIR)$(PREFIX)/lib/libvmclock-ref.a
	install -m 755 $(REF_SO) $(DESTDIR)$(PREFIX)/lib/libvmclock-ref.so.1
	ln -sf libvmclock-ref.so.1 $(DESTDIR)$(PREFIX)/lib/libvmclock-ref.so
	printf $(PC_TEXT) > $(DESTDIR)$(PREFIX)/lib/pkgconfig/vmclock-ref.pc
	install -m 644 $(BUILD)/readers/reference.so $(DESTDIR)$(PREFIX)/share/vmclock-cts/readers/
	install -m 644 docs/vmclock-cts.1 $(DESTDIR)$(PREFIX)/share/man/man1/vmclock-cts.1
	install -m 644 harness/completion/vmclock-cts.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/vmclock-cts
	@$(LDCONFIG)

# Every file install writes, and nothing else (install.bats checks that an
# install then an uninstall leaves no file behind). Directories stay: bin,
# lib, share/man... may hold other packages' files.
uninstall:
	rm -rf $(DESTDIR)$(PREFIX)/bin/vmclock-cts $(DESTDIR)$(PREFIX)/libexec/vmclock-cts \
	  $(DESTDIR)$(PREFIX)/include/vmclock-cts $(DESTDIR)$(PREFIX)/lib/libvmclock-ref.a \
	  $(DESTDIR)$(PREFIX)/lib/libvmclock-ref.so.1 $(DESTDIR)$(PREFIX)/lib/libvmclock-ref.so \
	  $(DESTDIR)$(PREFIX)/lib/pkgconfig/vmclock-ref.pc $(DESTDIR)$(PREFIX)/share/vmclock-cts \
	  $(DESTDIR)$(PREFIX)/share/man/man1/vmclock-cts.1 $(DESTDIR)$(PREFIX)/share/bash-completion/completions/vmclock-cts
	@$(LDCONFIG)

clean:
	rm -rf build
