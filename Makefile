# svcgen - build, test and run.
#
#   make            the svcgen binaries: build/svcgen, the thin CLI, and
#                   build/svcgen-full, which it runs for `diff` and `local`
#   make run        generate the main example into out/
#   make test       unit tests, bad-input corpus, example checks, then the
#                   whole suite again under ASan + UBSan
#   make asan       only the sanitizer run
#   make bench      benchmarks (print figures; not tests); bench-local: svcgen local's
#   make fuzz       libFuzzer harnesses (tests/fuzz/) in build-fuzz/
#   make install    PREFIX=/usr/local (install-bin: without moto)
#
# Missing system packages are installed by scripts/deps.sh (apt-get when
# root, else it prints the command to run).

PREFIX   ?= /usr/local
V        ?= 0
Q        := $(if $(filter 1,$(V)),,@)
CC       ?= cc
BUILD    ?= build
PKGS     := yaml-0.1 libcjson libgit2 libcurl libmicrohttpd librhonabwy gnutls
# What the thin CLI links (src/tool/tool_exec.c): the rest is svcgen-full's.
THIN_PKGS := yaml-0.1 libcjson
VERSION  := $(shell cat VERSION)

WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
            -Wno-unused-parameter
CFLAGS   ?= -O2 -g
ALL_CFLAGS = -std=c11 -pthread -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(WARN) $(CFLAGS) \
             -Iinclude -I$(BUILD)/gen -DSVCGEN_VERSION='"$(VERSION)"' \
             $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(SANITIZE)
# The GNU build ID (a hash of the linked image) keys generate's fast path
# (emit.h, sg_emit_inputs): asked for, not left to the toolchain's default.
LINK_ID   = -Wl,--build-id=sha1
LIBS      = $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lm -pthread $(LINK_ID)
THIN_LIBS = $(shell pkg-config --libs $(THIN_PKGS) 2>/dev/null) -lm -pthread $(LINK_ID)
TEST_LIBS = $(shell pkg-config --libs cmocka 2>/dev/null)

LIB_SRC  := $(sort $(shell find src -name '*.c' ! -path 'src/tool/*'))
TOOL_SRC := $(sort $(wildcard src/tool/*.c))
TEST_SRC := $(sort $(wildcard tests/unit/test_*.c))
TEMPLATES := $(sort $(wildcard templates/*.mustache))

# The handler runtime (runtime/): C compiled and tested here, embedded
# verbatim into svcgen and copied into every handler project.
RT_PKGS      := libcurl libcjson
RT_FILES     := $(sort $(wildcard runtime/*))
RT_SRC       := $(sort $(wildcard runtime/*.c))
RT_OBJ       := $(RT_SRC:%.c=$(BUILD)/%.o)
RT_TEST_SRC  := $(sort $(wildcard tests/runtime/test_*.c))
RT_TESTS     := $(RT_TEST_SRC:tests/runtime/%.c=$(BUILD)/tests/%)
RT_CFLAGS     = -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) -Iruntime \
                $(shell pkg-config --cflags $(RT_PKGS) cmocka 2>/dev/null) $(SANITIZE)
RT_LIBS       = $(shell pkg-config --libs $(RT_PKGS) 2>/dev/null) -lm

LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o) $(BUILD)/gen/templates.o $(BUILD)/gen/schema.o $(BUILD)/gen/runtime.o
SCHEMA   := specs/svcgen.schema.json
TOOL_OBJ := $(TOOL_SRC:%.c=$(BUILD)/%.o) $(BUILD)/src/tool/tool_main_full.o

# Two binaries from one tool_main.c (src/tool/tool_exec.c says why):
# svcgen, the thin CLI, without src/local/, src/git/ and the commands that
# use them, linking only THIN_LIBS; and svcgen-full, every command and
# library.  Everything else linking the library (tests, fuzz harnesses,
# benchmarks) links all of it, libsvcgen.a.
FULL_ONLY_SRC := src/tool/tool_diff.c src/tool/tool_local.c
TOOL_COMMON_OBJ := $(filter-out $(BUILD)/src/tool/tool_main.o $(FULL_ONLY_SRC:%.c=$(BUILD)/%.o),\
                     $(TOOL_SRC:%.c=$(BUILD)/%.o))
THIN_OBJ := $(BUILD)/src/tool/tool_main.o $(TOOL_COMMON_OBJ) \
            $(filter-out $(BUILD)/src/local/% $(BUILD)/src/git/%,$(LIB_OBJ))
FULL_OBJ := $(BUILD)/src/tool/tool_main_full.o $(TOOL_COMMON_OBJ) $(FULL_ONLY_SRC:%.c=$(BUILD)/%.o)
BINS     := $(BUILD)/svcgen $(BUILD)/svcgen-full
TESTS    := $(TEST_SRC:tests/unit/%.c=$(BUILD)/tests/%) $(RT_TESTS) $(BUILD)/tests/rt_sign

.PHONY: all deps run test check-tests asan bench bench-local fuzz fuzz-harnesses replay install install-bin clean
all: $(BINS)

deps:
	@scripts/deps.sh build

$(BUILD)/.deps-ok: scripts/deps.sh
	@scripts/deps.sh build
	@mkdir -p $(BUILD) && touch $@

$(BUILD)/%.o: %.c $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -c $< -o $@

# Stock templates are compiled into the binary (see scripts/embed.c).
$(BUILD)/embed: scripts/embed.c
	@mkdir -p $(BUILD)
	$(CC) -std=c11 -O2 -Wall -Wextra -Werror $< -o $@

$(BUILD)/gen/templates.c: $(BUILD)/embed $(TEMPLATES)
	@mkdir -p $(dir $@)
	$(BUILD)/embed $@ $(TEMPLATES)

$(BUILD)/gen/templates.o: $(BUILD)/gen/templates.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(BUILD)/gen/runtime.c: $(BUILD)/embed $(RT_FILES)
	@mkdir -p $(dir $@)
	$(BUILD)/embed -s sg_embedded_runtime $@ $(RT_FILES)

$(BUILD)/gen/runtime.o: $(BUILD)/gen/runtime.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

# The runtime as the handler projects compile it (plus svcgen's warnings).
$(BUILD)/runtime/%.o: runtime/%.c $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $<")
	$(Q)$(CC) $(RT_CFLAGS) -MMD -MP -c $< -o $@

# Under `make fuzz` the signer's SHA-256 rounds are built without the
# fuzzer's coverage tracing: no fuzz input reaches them, and traced they
# took most of every input of the AWS client harnesses.
comma := ,
$(BUILD)/runtime/lambda_aws_sigv4.o: override SANITIZE := $(subst fuzzer-no-link$(comma),,$(SANITIZE))

$(BUILD)/libruntime.a: $(RT_OBJ)
	@rm -f $@
	$(Q)ar rcs $@ $^

$(BUILD)/tests/rt_sign: tests/runtime/rt_sign.c tests/runtime/rt_test.h $(BUILD)/libruntime.a
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(RT_CFLAGS) -Itests/runtime $< $(BUILD)/libruntime.a $(RT_LIBS) -o $@

$(BUILD)/tests/test_rt_%: tests/runtime/test_rt_%.c tests/runtime/rt_test.h $(BUILD)/libruntime.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CCLD    $@")
	$(Q)$(CC) $(RT_CFLAGS) -MMD -MP -Itests/runtime $< $(BUILD)/libruntime.a $(RT_LIBS) $(TEST_LIBS) -o $@

$(BUILD)/gen/schema.c: $(BUILD)/embed $(SCHEMA)
	@mkdir -p $(dir $@)
	$(BUILD)/embed -s sg_embedded_schema $@ $(SCHEMA)

$(BUILD)/gen/schema.o: $(BUILD)/gen/schema.c
	$(CC) $(ALL_CFLAGS) -Wno-overlength-strings -c $< -o $@

$(BUILD)/libsvcgen.a: $(LIB_OBJ)
	@rm -f $@
	@$(if $(Q),echo "  AR      $@")
	$(Q)ar rcs $@ $^

$(BUILD)/src/tool/tool_main_full.o: src/tool/tool_main.c $(BUILD)/.deps-ok
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CC      $< (full)")
	$(Q)$(CC) $(ALL_CFLAGS) -DSG_TOOL_FULL -MMD -MP -c $< -o $@

$(BUILD)/svcgen: $(THIN_OBJ)
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(THIN_LIBS) -o $@

$(BUILD)/svcgen-full: $(FULL_OBJ) $(BUILD)/libsvcgen.a
	@$(if $(Q),echo "  LINK    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $^ $(LIBS) -o $@

$(BUILD)/tests/%: tests/unit/%.c $(BUILD)/libsvcgen.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CCLD    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -MMD -MP -Itests/unit $< $(BUILD)/libsvcgen.a $(LIBS) $(TEST_LIBS) -o $@

EXAMPLE ?= examples/users-orders/service.yaml
run: $(BINS)
	$(BUILD)/svcgen validate $(EXAMPLE)
	$(BUILD)/svcgen generate $(EXAMPLE)

# The whole suite, then again under the sanitizers.
test: $(BINS) $(TESTS)
	@scripts/deps.sh test
	@$(MAKE) --no-print-directory replay
	@BUILD=$(BUILD) tests/run.sh
	@$(MAKE) --no-print-directory asan

check-tests: $(BINS) $(TESTS) replay
	@BUILD=$(BUILD) tests/run.sh

asan:
	@$(MAKE) --no-print-directory BUILD=build-asan CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SANITIZE="-fsanitize=address,undefined -fno-sanitize-recover=all" SVCGEN_SANITIZED=1 check-tests

# libFuzzer harnesses, tests/fuzz/fuzz_<name>.c, linked against a build of
# the library instrumented for coverage (build-fuzz/): `make fuzz`.  The
# plain build links each against tests/fuzz/replay.c instead, which runs
# the corpus once (`make replay`); tests/suites/fuzz.sh does both.
FUZZ_SRC   := $(sort $(wildcard tests/fuzz/fuzz_*.c))
FUZZ_BUILD ?= build-fuzz
fuzz:
	@$(MAKE) --no-print-directory BUILD=$(FUZZ_BUILD) CC=clang CFLAGS="-O1 -g -fno-omit-frame-pointer" \
	  SANITIZE="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all" fuzz-harnesses

fuzz-harnesses: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/%)

$(BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(BUILD)/libsvcgen.a
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(ALL_CFLAGS) -fsanitize=fuzzer $< $(BUILD)/libsvcgen.a $(LIBS) -o $@

replay: $(FUZZ_SRC:tests/fuzz/%.c=$(BUILD)/replay_%)

$(BUILD)/replay_%: tests/fuzz/%.c tests/fuzz/replay.c $(BUILD)/libsvcgen.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CCLD    $@")
	$(Q)$(CC) $(ALL_CFLAGS) $< tests/fuzz/replay.c $(BUILD)/libsvcgen.a $(LIBS) -o $@

# The handler runtime's harnesses, tests/fuzz/fuzz_rt_<name>.c, link the
# runtime's sources (libruntime.a), not the library.
$(BUILD)/fuzz_rt_%: tests/fuzz/fuzz_rt_%.c tests/fuzz/rt_fuzz.h $(BUILD)/libruntime.a
	@$(if $(Q),echo "  FUZZ    $@")
	$(Q)$(CC) $(RT_CFLAGS) -fsanitize=fuzzer $< $(BUILD)/libruntime.a $(RT_LIBS) -o $@

$(BUILD)/replay_fuzz_rt_%: tests/fuzz/fuzz_rt_%.c tests/fuzz/rt_fuzz.h tests/fuzz/replay.c $(BUILD)/libruntime.a
	@mkdir -p $(dir $@)
	@$(if $(Q),echo "  CCLD    $@")
	$(Q)$(CC) $(RT_CFLAGS) $< tests/fuzz/replay.c $(BUILD)/libruntime.a $(RT_LIBS) -o $@

bench: $(BINS) $(BUILD)/bench_parse $(BUILD)/bench_gen $(BUILD)/bench_time
	@BUILD=$(BUILD) sh bench/run.sh
	@BUILD=$(BUILD) sh bench/local.sh

# svcgen local's figures alone.
bench-local: $(BINS)
	@BUILD=$(BUILD) sh bench/local.sh

$(BUILD)/bench_parse $(BUILD)/bench_gen: $(BUILD)/bench_%: bench/bench_%.c $(BUILD)/libsvcgen.a
	$(CC) $(ALL_CFLAGS) $< $(BUILD)/libsvcgen.a $(LIBS) -o $@

$(BUILD)/bench_time: bench/bench_time.c
	$(CC) $(ALL_CFLAGS) $< -o $@

# install-bin: the binaries and the schema, no moto (tests/suites/thin_cli.sh
# installs them so).  PREFIX/lib/svcgen is svcgen's libexec: svcgen-full,
# which PREFIX/bin/svcgen runs for `diff` and `local` (src/tool/tool_exec.c).
install-bin: $(BINS)
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/lib/svcgen $(DESTDIR)$(PREFIX)/share/svcgen
	install -m 755 $(BUILD)/svcgen $(DESTDIR)$(PREFIX)/bin/svcgen
	install -m 755 $(BUILD)/svcgen-full $(DESTDIR)$(PREFIX)/lib/svcgen/svcgen-full
	install -m 644 $(SCHEMA) $(DESTDIR)$(PREFIX)/share/svcgen/svcgen.schema.json

install: install-bin
	@# svcgen local's AWS endpoint: moto server, pinned, in its own venv next
	@# to svcgen-full (PREFIX/lib/svcgen/moto), where it looks for it.  svcgen
	@# runs it as moto/bin/python -m moto.server, which works from a DESTDIR
	@# staging copy too once it is moved to PREFIX.
	rm -rf $(DESTDIR)$(PREFIX)/lib/svcgen/moto
	python3 -m venv $(DESTDIR)$(PREFIX)/lib/svcgen/moto
	$(DESTDIR)$(PREFIX)/lib/svcgen/moto/bin/pip install -q --disable-pip-version-check \
	  -r scripts/local-requirements.txt

clean:
	rm -rf build build-asan build-fuzz

-include $(LIB_OBJ:.o=.d) $(TOOL_OBJ:.o=.d) $(RT_OBJ:.o=.d) $(TESTS:=.d)
