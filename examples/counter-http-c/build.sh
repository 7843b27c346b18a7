#!/bin/sh
# Builds examples/counter-http-c into OUT (default: build/examples/counter-http-c under the project root):
# OUT/counter.wasm, the wasi:http component, and OUT/spin.toml, this folder's manifest, which serves it.
# The recipe is tests/cli/real_components.py's counter_c_component (http_c_component with this folder's
# WIT); it needs clang + wasi-libc and npm's jco (scripts/install-npm-deps.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/examples/counter-http-c}
exec python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import real_components; real_components.build_example("counter-c", sys.argv[2])' \
  "$root/tests/cli" "$out"
