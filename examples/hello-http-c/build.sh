#!/bin/sh
# Builds examples/hello-http-c into OUT (default: build/examples/hello-http-c under the project root):
# OUT/hello.wasm, the wasi:http component, and OUT/spin.toml, this folder's manifest, which serves it.
# The recipe is tests/cli/real_components.py's http_c_component (the tests build their C handlers
# with it too); it needs clang + wasi-libc and npm's jco (scripts/install-npm-deps.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/examples/hello-http-c}
exec python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import real_components; real_components.build_example("c", sys.argv[2])' \
  "$root/tests/cli" "$out"
