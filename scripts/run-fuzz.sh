#!/usr/bin/env bash
# Runs the libFuzzer target BUILD_DIR/tests/fuzz/fuzz_binary for SECONDS on
# one core, starting from a temporary copy of tests/fuzz/corpus/ plus the
# work corpus BUILD_DIR/fuzz-corpus-work/ (kept between runs; new inputs go
# there, never into tests/fuzz/corpus/). Findings (crash-*, leak-*,
# timeout-*, oom-*) are written to BUILD_DIR/fuzz-artifacts/; the log to
# BUILD_DIR/fuzz-run.log. Exits non-zero when libFuzzer reports a finding.
#   scripts/run-fuzz.sh build/fuzz 600
# Extra arguments after SECONDS go to libFuzzer (e.g. -seed=1).
set -uo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [libFuzzer flags...]" >&2
  exit 2
fi
build="$1"
seconds="$2"
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
fuzzer="$build/tests/fuzz/fuzz_binary"
if [ ! -x "$fuzzer" ]; then
  echo "run-fuzz: $fuzzer not found; build it with:" >&2
  echo "  cmake --preset fuzz -DWASMOPS_BUILD_TESTS=ON && cmake --build build/fuzz --target fuzz_binary" >&2
  exit 2
fi

work="$build/fuzz-corpus-work"
artifacts="$build/fuzz-artifacts"
log="$build/fuzz-run.log"
mkdir -p "$work" "$artifacts"
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
cp "$root"/tests/fuzz/corpus/* "$seeds"/

dict=()
[ -f "$root/tests/fuzz/wasm.dict" ] && dict=(-dict="$root/tests/fuzz/wasm.dict")

echo "run-fuzz: $(date -u '+%Y-%m-%dT%H:%M:%SZ') fuzz_binary for ${seconds}s;" \
  "seeds $(find "$seeds" -type f | wc -l), work corpus $(find "$work" -type f | wc -l) files"
# ASan: leaks are findings; UBSan: stop at the first report (-fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$fuzzer" \
  -max_total_time="$seconds" -max_len=65536 -rss_limit_mb=2048 -timeout=10 \
  -print_final_stats=1 -artifact_prefix="$artifacts/" "${dict[@]}" "$@" \
  "$work" "$seeds" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

if [ "$status" -ne 0 ] || grep -qE '^(==[0-9]+==ERROR|SUMMARY: )|deadly signal|ALARM: working on the last Unit|out-of-memory' "$log"; then
  echo "run-fuzz: FINDING (libFuzzer exit status $status); artifacts:" >&2
  ls -l "$artifacts" >&2
  [ "$status" -ne 0 ] || status=1
  exit "$status"
fi
echo "run-fuzz: clean; work corpus now $(find "$work" -type f | wc -l) files; log in $log"
