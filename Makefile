# The two commands a newcomer needs: `make demo` and `make test`.
PRESET ?= release
BUILD := build/$(PRESET)
WASMOPS := $(BUILD)/apps/wasmops/wasmops
JOBS ?= $(shell nproc)

.PHONY: all deps build demo test test-slow fuzz format tidy clean

all: build

deps:
	@scripts/install-deps.sh

$(BUILD)/build.ninja:
	cmake --preset $(PRESET)

build: deps $(BUILD)/build.ninja
	cmake --build $(BUILD) -j $(JOBS)

demo: build
	@scripts/demo.sh $(WASMOPS) $(BUILD)

# Everything except the `slow` label; prints "N passed, N failed".
test: build
	@scripts/run-tests.sh $(BUILD) -LE slow -j $(JOBS)

test-slow: build
	@scripts/run-tests.sh $(BUILD) -L slow -j $(JOBS)

# libFuzzer target under ASan+UBSan: make fuzz FUZZ_SECONDS=600 [FUZZ_TARGET=fuzz_wasi]
FUZZ_SECONDS ?= 60
FUZZ_TARGET ?= fuzz_binary
fuzz: deps
	cmake --preset fuzz
	cmake --build build/fuzz -j $(JOBS) --target $(FUZZ_TARGET)
	FUZZ_TARGET=$(FUZZ_TARGET) scripts/run-fuzz.sh build/fuzz $(FUZZ_SECONDS)

format:
	clang-format -i $$(git ls-files '*.cpp' '*.h')

tidy: build
	clang-tidy -p $(BUILD) $$(git ls-files 'src/*.cpp')

clean:
	rm -rf build
