# Tally — build, test, demo, bench.
#
#   make          build build/tally (optimised)
#   make demo     install what is missing, build, score the Rushan sample
#   make test     install what is missing, build with ASan+UBSan, run every test
#   make bench    throughput figures (VM alone and end to end)
#
# Two trees: build/rel (optimised, for demo and bench) and build/san
# (sanitised, for tests).  Generated lexer/parser sources go to build/gen.

CC      ?= cc
CSTD    := -std=c11 -D_POSIX_C_SOURCE=200809L
WARN    := -Wall -Wextra -Werror
CFLAGS_REL := $(CSTD) $(WARN) -O2 -g
CFLAGS_SAN := $(CSTD) $(WARN) -O1 -g -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
INC     := -I. -Ibuild/gen
LIBS    := -lutf8proc

RUNTIME_SRC  := runtime/dec.c runtime/date.c runtime/text.c runtime/tbc.c runtime/load.c \
                runtime/vm.c runtime/csv.c runtime/record.c runtime/write.c runtime/disasm.c runtime/run.c runtime/pop.c runtime/encoding.c
LANG_SRC     := lang/ast.c lang/diag.c lang/parse.c build/gen/parser.c build/gen/lexer.c
COMPILER_SRC := compiler/check.c compiler/codegen.c compiler/compile.c compiler/examples.c \
                compiler/diff.c compiler/difftext.c compiler/diffout.c compiler/impact.c compiler/fmt.c
CLI_SRC      := tally.c

GEN := build/gen/parser.c build/gen/parser.h build/gen/lexer.c build/gen/lexer.h

.PHONY: all deps demo test bench clean fuzz fuzz-deps fuzz-corpus
all: build/rel/tally

# ---- dependencies -------------------------------------------------------
# Installs flex, bison, cmocka and utf8proc with apt-get when any is missing.
deps:
	@missing=""; \
	command -v flex >/dev/null 2>&1 || missing="$$missing flex"; \
	command -v bison >/dev/null 2>&1 || missing="$$missing bison"; \
	[ -f /usr/include/cmocka.h ] || missing="$$missing libcmocka-dev"; \
	[ -f /usr/include/utf8proc.h ] || missing="$$missing libutf8proc-dev"; \
	command -v $(CC) >/dev/null 2>&1 || missing="$$missing gcc"; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  if [ "$$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# ---- generated front end ------------------------------------------------
build/gen/parser.c build/gen/parser.h &: lang/parser.y
	@mkdir -p build/gen
	bison -Wall -Werror -d -o build/gen/parser.c lang/parser.y

build/gen/lexer.c build/gen/lexer.h &: lang/lexer.l build/gen/parser.h
	@mkdir -p build/gen
	flex --header-file=build/gen/lexer.h -o build/gen/lexer.c lang/lexer.l

# ---- objects, per flavour -----------------------------------------------
# Flex's output trips -Wunused-function and -Wsign-compare; the rules above
# are ours, the scaffolding is flex's.
GEN_FLAGS := -Wno-unused-function -Wno-sign-compare

define flavour
build/$(1)/%.o: %.c $(GEN)
	@mkdir -p $$(dir $$@)
	$(3) $(2) $$(INC) -MMD -MP -c $$< -o $$@

build/$(1)/build/gen/%.o: build/gen/%.c $(GEN)
	@mkdir -p $$(dir $$@)
	$(3) $(2) $(GEN_FLAGS) $$(INC) -MMD -MP -c $$< -o $$@

build/$(1)/libtallyrt.a: $$(RUNTIME_SRC:%.c=build/$(1)/%.o)
	ar rcs $$@ $$^

build/$(1)/libtallyc.a: $$(LANG_SRC:%.c=build/$(1)/%.o) $$(COMPILER_SRC:%.c=build/$(1)/%.o)
	ar rcs $$@ $$^

build/$(1)/tally: build/$(1)/tally.o build/$(1)/libtallyc.a build/$(1)/libtallyrt.a
	$(3) $(2) $$^ $$(LIBS) -o $$@

# Unit tests: tests/test_NAME.c is one cmocka program, linked with both
# libraries.  tests/refeval.c (the reference evaluator) goes with them.
build/$(1)/tests/test_%: tests/test_%.c build/$(1)/tests/refeval.o build/$(1)/libtallyc.a build/$(1)/libtallyrt.a
	@mkdir -p $$(dir $$@)
	$(3) $(2) $$(INC) $$^ -lcmocka $$(LIBS) -o $$@
endef

# Fuzzing: clang's libFuzzer, with the libraries instrumented for coverage.
FUZZ_CC     := clang
CFLAGS_FUZZ := $(CSTD) $(WARN) -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all

$(eval $(call flavour,rel,$(CFLAGS_REL),$$(CC)))
$(eval $(call flavour,san,$(CFLAGS_SAN),$$(CC)))
$(eval $(call flavour,fuzz,$(CFLAGS_FUZZ),$(FUZZ_CC)))

-include $(shell find build -name '*.d' 2>/dev/null)

# ---- tests ----------------------------------------------------------------
UNIT_TESTS := $(patsubst tests/%.c,build/san/tests/%,$(wildcard tests/test_*.c))

# The sanitised build finds leaks too (LeakSanitizer, at every exit), in the
# unit tests and in every command the CLI scripts run.  Each fuzz harness
# then runs briefly (TEST_FUZZ_RUNS inputs each, from a fixed seed, so that
# every run of the tests does the same work); make fuzz runs them longer.
TEST_FUZZ_RUNS ?= 20000
export ASAN_OPTIONS := detect_leaks=1:abort_on_error=0

test: deps fuzz-deps
	@$(MAKE) --no-print-directory build/san/tally $(UNIT_TESTS)
	@failed=0; for t in $(UNIT_TESTS); do \
	  echo "== $$t"; $$t || failed=1; \
	done; \
	echo "== tests/cli.sh"; TALLY=build/san/tally sh tests/cli.sh || failed=1; \
	echo "== tests/badcsv.sh"; TALLY=build/san/tally sh tests/badcsv.sh || failed=1; \
	$(MAKE) --no-print-directory fuzz FUZZ_RUNS=$(TEST_FUZZ_RUNS) || failed=1; \
	if [ $$failed = 0 ]; then echo "all tests passed"; else echo "SOME TESTS FAILED"; exit 1; fi

# ---- bench -------------------------------------------------------------------
BENCH_RECORDS ?= 1000000
BENCH_POLICY  ?= policies/rushan-2020-enterprise.tally

build/rel/bench: bench/bench.c build/rel/libtallyc.a build/rel/libtallyrt.a
	$(CC) $(CFLAGS_REL) $(INC) $^ $(LIBS) -o $@

bench: deps
	@$(MAKE) --no-print-directory build/rel/tally build/rel/bench
	@build/rel/bench $(BENCH_POLICY) $(BENCH_RECORDS) build/bench-records.csv
	@start=$$(date +%s%N); \
	build/rel/tally run $(BENCH_POLICY) build/bench-records.csv -o /dev/null 2>build/bench-summary.txt; \
	end=$$(date +%s%N); \
	awk -v n=$(BENCH_RECORDS) -v ns=$$((end - start)) -v bytes=$$(wc -c < build/bench-records.csv) \
	  'BEGIN { s = ns / 1e9; printf "end to end   %.0f records/s (tally run on a %.0f MB CSV, %d records in %.3f s)\n", n / s, bytes / 1e6, n, s }'; \
	sed 's/^/summary      /' build/bench-summary.txt
	@start=$$(date +%s%N); \
	build/rel/tally diff $(BENCH_POLICY) tests/diff/rushan-2021-enterprise.tally --data build/bench-records.csv \
	  >build/bench-diff.txt 2>/dev/null; \
	end=$$(date +%s%N); \
	awk -v n=$(BENCH_RECORDS) -v ns=$$((end - start)) \
	  'BEGIN { s = ns / 1e9; printf "diff --data %.0f records/s (both standards over %d records in %.3f s)\n", n / s, n, s }'; \
	grep -E 'union|records:' build/bench-diff.txt | sed 's/^ */diff         /'
	@for p in hangzhou-2025 hohhot-2020 guyuan-2023; do echo; build/rel/bench policies/$$p.tally $(BENCH_RECORDS) - 2>/dev/null; done

# ---- fuzz ------------------------------------------------------------------
# make fuzz FUZZ_SECONDS=N: each harness for N seconds, seeded from the
# policies and the test data; prints libFuzzer's final coverage line.  A
# crash leaves its input in build/fuzz/crash-*.
FUZZ_SECONDS ?= 60
FUZZERS := policy tbc csv run
# FUZZ_RUNS=N instead: N inputs each from a fixed seed, the same work on
# every machine (what make test does, so that CI is reproducible).
ifdef FUZZ_RUNS
FUZZ_LENGTH := -runs=$(FUZZ_RUNS) -seed=1
FUZZ_WHAT := $(FUZZ_RUNS) inputs
else
FUZZ_LENGTH := -max_total_time=$(FUZZ_SECONDS)
FUZZ_WHAT := $(FUZZ_SECONDS) s
endif

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c build/fuzz/libtallyc.a build/fuzz/libtallyrt.a
	$(FUZZ_CC) $(CFLAGS_FUZZ) -fsanitize=fuzzer $(INC) $^ $(LIBS) -o $@

fuzz-deps: deps
	@if ! command -v $(FUZZ_CC) >/dev/null 2>&1 || \
	    ! echo 'int LLVMFuzzerTestOneInput(const char *d, long n) { (void)d; (void)n; return 0; }' | \
	      $(FUZZ_CC) -x c -fsanitize=fuzzer - -o /dev/null >/dev/null 2>&1; then \
	  echo "installing: clang libclang-rt-dev"; \
	  if [ "$$(id -u)" != 0 ]; then SUDO=sudo; else SUDO=; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq clang libclang-rt-dev >/dev/null; \
	fi

fuzz-corpus: build/rel/tally
	@rm -rf build/fuzz/corpus && mkdir -p build/fuzz/corpus/policy build/fuzz/corpus/tbc build/fuzz/corpus/csv build/fuzz/corpus/run
	@cp policies/*.tally tests/cli/diag/*.tally build/fuzz/corpus/policy/
	@for p in policies/*.tally; do \
	  n=$$(basename $$p .tally); build/rel/tally build $$p -o build/fuzz/$$n.tbc; \
	  { printf '\000'; cat build/fuzz/$$n.tbc; } > build/fuzz/corpus/tbc/$$n.raw; \
	  { printf '\001'; cat build/fuzz/$$n.tbc; } > build/fuzz/corpus/tbc/$$n.repair; \
	done
	@for f in policies/*.csv tests/cli/data/*.csv $(wildcard tests/badcsv/*.csv); do \
	  n=$$(echo $$f | tr / _); cp $$f build/fuzz/corpus/csv/$$n; \
	  { printf '\001'; cat $$f; } > build/fuzz/corpus/run/$$n; \
	done

fuzz: deps fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZERS:%=build/fuzz/fuzz_%) fuzz-corpus
	@for f in $(FUZZERS); do \
	  echo "== fuzz_$$f for $(FUZZ_WHAT)"; \
	  (cd build/fuzz && ./fuzz_$$f $(FUZZ_LENGTH) -timeout=10 -rss_limit_mb=2048 \
	     -max_len=65536 -print_final_stats=1 corpus/$$f > fuzz_$$f.log 2>&1); st=$$?; \
	  grep -E '^#[0-9]+[[:space:]]+DONE' build/fuzz/fuzz_$$f.log | tail -1 | sed "s/^/fuzz_$$f: /"; \
	  grep -E 'stat::number_of_executed_units' build/fuzz/fuzz_$$f.log | sed "s/^/fuzz_$$f: /"; \
	  if [ $$st != 0 ]; then echo "fuzz_$$f FAILED (exit $$st); see build/fuzz/fuzz_$$f.log"; tail -30 build/fuzz/fuzz_$$f.log; exit 1; fi; \
	done

# ---- demo -------------------------------------------------------------------
demo: deps
	@$(MAKE) --no-print-directory build/rel/tally
	@echo "== tally check policies/rushan-2020-enterprise.tally"
	@build/rel/tally check policies/rushan-2020-enterprise.tally && echo "no errors, no warnings"
	@echo
	@echo "== tally run policies/rushan-2020-enterprise.tally policies/rushan-2020-enterprise.csv --format table"
	@build/rel/tally run policies/rushan-2020-enterprise.tally policies/rushan-2020-enterprise.csv --format table
	@echo
	@echo "== the ledger of one union (--explain)"
	@{ head -1 policies/rushan-2020-enterprise.csv; grep '^乳山市宏远食品有限公司工会,' policies/rushan-2020-enterprise.csv; } > build/demo-one.csv
	@build/rel/tally run policies/rushan-2020-enterprise.tally build/demo-one.csv --explain
	@echo
	@echo "== tally test policies/rushan-2020-enterprise.tally (the policy's own examples)"
	@build/rel/tally test policies/rushan-2020-enterprise.tally
	@echo
	@echo "== Guyuan: ten unions, at most 20% 五星级 (tally run … --summary)"
	@build/rel/tally run policies/guyuan-2023.tally policies/guyuan-2023-quota.csv --summary 2>/dev/null
	@echo
	@echo "== a revised standard: what changed, and which unions it moves (tally diff … --data)"
	@build/rel/tally diff policies/rushan-2020-enterprise.tally tests/diff/rushan-2021-enterprise.tally \
	  --data policies/rushan-2020-enterprise.csv 2>/dev/null; test $$? = 1

clean:
	rm -rf build
