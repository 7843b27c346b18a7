#!/usr/bin/env bash
# `make demo`: the main job on the bundled example. For now that is inspect
# and validate; `run` and `up` replace it as those commands land.
set -euo pipefail
wasmops="$1"
build="$2"
example="$build/examples/hello/hello.wasm"
if [ ! -f "$example" ]; then
  echo "demo: $example was not built (is clang with wasi-libc installed? run scripts/install-deps.sh)" >&2
  exit 1
fi
echo "\$ wasmops inspect $example"
"$wasmops" inspect "$example"
echo
echo "\$ wasmops validate $example"
"$wasmops" validate "$example"
