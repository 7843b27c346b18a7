#!/usr/bin/env bash
# Runs a libFuzzer target BUILD_DIR/tests/fuzz/$FUZZ_TARGET for SECONDS on
# one core, starting from a temporary copy of its committed seed corpus plus
# its work corpus in BUILD_DIR (kept between runs; new inputs go there, never
# into tests/fuzz/). Findings (crash-*, leak-*, timeout-*, oom-*) are written
# to its artifact folder, the log to its log file. Exits non-zero when
# libFuzzer reports a finding.
#   FUZZ_TARGET  seeds                   work corpus / artifacts / log in BUILD_DIR
#   fuzz_binary  tests/fuzz/corpus/      fuzz-corpus-work/ fuzz-artifacts/ fuzz-run.log  (the default)
#   fuzz_wasi    tests/fuzz/corpus_wasi/ fuzz-corpus-work-wasi/ fuzz-artifacts-wasi/ fuzz-run-wasi.log
#   fuzz_cgi     tests/fuzz/corpus_cgi/  fuzz-corpus-work-cgi/ fuzz-artifacts-cgi/ fuzz-run-cgi.log
#   fuzz_wit     tests/fuzz/corpus_wit/  fuzz-corpus-work-wit/ fuzz-artifacts-wit/ fuzz-run-wit.log
#   fuzz_runtime_config  tests/fuzz/corpus_runtime_config/  fuzz-corpus-work-runtime-config/ ...-runtime-config
#   fuzz_component  generated into BUILD_DIR/fuzz-seeds-component/ by tests/fuzz/make-component-corpus.py;
#                fuzz-corpus-work-component/ fuzz-artifacts-component/ fuzz-run-component.log
#   scripts/run-fuzz.sh build/fuzz 600
#   FUZZ_TARGET=fuzz_wasi scripts/run-fuzz.sh build/fuzz 600
# Extra arguments after SECONDS go to libFuzzer (e.g. -seed=1); they come
# last, so they override the defaults below (e.g. -max_len=...).
set -uo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR SECONDS [libFuzzer flags...]" >&2
  exit 2
fi
build="$1"
seconds="$2"
shift 2
root="$(cd "$(dirname "$0")/.." && pwd)"
target="${FUZZ_TARGET:-fuzz_binary}"
case "$target" in
  fuzz_binary) suffix="" corpus="corpus" dictfile="wasm.dict" max_len=65536 ;;
  fuzz_wasi) suffix="-wasi" corpus="corpus_wasi" dictfile="wasi.dict" max_len=8192 ;;
  fuzz_component) suffix="-component" corpus="" dictfile="component.dict" max_len=65536 ;;
  fuzz_cgi) suffix="-cgi" corpus="corpus_cgi" dictfile="" max_len=70000 ;;
  fuzz_wit) suffix="-wit" corpus="corpus_wit" dictfile="wit.dict" max_len=8192 ;;
  fuzz_runtime_config) suffix="-runtime-config" corpus="corpus_runtime_config" dictfile="" max_len=4096 ;;
  *) echo "run-fuzz: unknown FUZZ_TARGET '$target' (fuzz_binary, fuzz_wasi, fuzz_component, fuzz_cgi, fuzz_wit, fuzz_runtime_config)" >&2; exit 2 ;;
esac
fuzzer="$build/tests/fuzz/$target"
if [ ! -x "$fuzzer" ]; then
  echo "run-fuzz: $fuzzer not found; build it with:" >&2
  echo "  cmake --preset fuzz -DWASMOPS_BUILD_TESTS=ON && cmake --build build/fuzz --target $target" >&2
  exit 2
fi

work="$build/fuzz-corpus-work$suffix"
artifacts="$build/fuzz-artifacts$suffix"
log="$build/fuzz-run$suffix.log"
mkdir -p "$work" "$artifacts"
seeds="$(mktemp -d)"
trap 'rm -rf "$seeds"' EXIT
if [ -n "$corpus" ]; then
  cp "$root/tests/fuzz/$corpus"/* "$seeds"/
else
  # Seeds built from the project's sources each run (components are never committed).
  python3 "$root/tests/fuzz/make-component-corpus.py" "$build/fuzz-seeds$suffix" >&2
  cp "$build/fuzz-seeds$suffix"/* "$seeds"/
fi

dict=()
[ -f "$root/tests/fuzz/$dictfile" ] && dict=(-dict="$root/tests/fuzz/$dictfile")

echo "run-fuzz: $(date -u '+%Y-%m-%dT%H:%M:%SZ') $target for ${seconds}s;" \
  "seeds $(find "$seeds" -type f | wc -l), work corpus $(find "$work" -type f | wc -l) files"
# ASan: leaks are findings; UBSan: stop at the first report (-fno-sanitize-recover).
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=0:allocator_may_return_null=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
"$fuzzer" \
  -max_total_time="$seconds" -max_len="$max_len" -rss_limit_mb=2048 -timeout=10 \
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
