#!/usr/bin/env bash
# Runs ctest in BUILD with the given arguments and prints "N passed, N failed".
set -uo pipefail
build="$1"; shift
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
ctest --test-dir "$build" --output-on-failure "$@" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
line="$(grep -E '[0-9]+% tests passed, [0-9]+ tests? failed out of [0-9]+' "$log" | tail -1)"
if [ -n "$line" ]; then
  failed="$(echo "$line" | sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/')"
  total="$(echo "$line" | sed -E 's/.* failed out of ([0-9]+).*/\1/')"
  echo "$((total - failed)) passed, ${failed} failed"
elif grep -q 'No tests were found' "$log"; then
  echo "0 passed, 0 failed"
else
  echo "0 passed, 1 failed (ctest did not run)"
  status=1
fi
exit "$status"
