# vigia: the two commands a new user needs are `make run` and `make test`.
# Both install missing Debian packages first (scripts/install-deps).

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
TSAN_BUILD ?= build-tsan
JOBS       ?= $(shell nproc)
WERROR     ?= OFF
FUZZ_SECONDS ?= 30
CMAKE_FLAGS ?=

.PHONY: all deps build test run quality asan tsan fuzz bench format clean

all: build

deps:
	@scripts/install-deps

build: deps
	@cmake -S . -B $(BUILD) -DVIGIA_WERROR=$(WERROR) $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(BUILD) -j $(JOBS)

# Every test: unit, golden (../shared/data), command line, fuzz-corpus replay.
test: build
	@cd $(BUILD) && ctest --output-on-failure -j $(JOBS)

# The main job on the embedded store (see scripts/run-demo).
run: build
	@scripts/run-demo $(BUILD)/vigia

# The quality bar of issue M1-6 on the demo world and three others (scripts/quality): a few
# minutes; not part of `make test` (its --small form is, as cli.quality).
quality: build
	@scripts/quality $(BUILD)/vigia

# The tests again under AddressSanitizer and UndefinedBehaviorSanitizer.
asan: deps
	@cmake -S . -B $(ASAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVIGIA_WERROR=$(WERROR) \
	    -DVIGIA_SANITIZE=address,undefined $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(ASAN_BUILD) -j $(JOBS)
	@cd $(ASAN_BUILD) && ctest --output-on-failure -j $(JOBS)

# The cases that run the ingest's threads (label "threads") under ThreadSanitizer.
tsan: deps
	@cmake -S . -B $(TSAN_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVIGIA_WERROR=$(WERROR) \
	    -DVIGIA_SANITIZE=thread $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(TSAN_BUILD) -j $(JOBS) --target vigia_threaded_tests vigia_xls
	@cd $(TSAN_BUILD) && ctest --output-on-failure -j $(JOBS) -L threads

# libFuzzer targets (clang), each run for FUZZ_SECONDS from its corpus.
fuzz: deps
	@CC=clang cmake -S . -B $(FUZZ_BUILD) -DCMAKE_BUILD_TYPE=Debug -DVIGIA_FUZZ=ON \
	    -DVIGIA_SANITIZE=address,undefined $(CMAKE_FLAGS) >/dev/null
	@cmake --build $(FUZZ_BUILD) -j $(JOBS)
	@scripts/run-fuzzers $(FUZZ_BUILD) $(FUZZ_SECONDS)

# Benchmarks (release build); each prints its figures.
bench: deps
	@cmake -S . -B build-release -DCMAKE_BUILD_TYPE=Release $(CMAKE_FLAGS) >/dev/null
	@cmake --build build-release -j $(JOBS)
	@for b in build-release/bench/bench_*; do [ -x "$$b" ] && "$$b"; done; true
	@build-release/bench/bench_ingest 100000 --csv; true

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(TSAN_BUILD) $(FUZZ_BUILD) build-release var
