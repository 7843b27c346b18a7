#!/bin/sh
# Builds examples/hello-http-js into OUT (default: build/examples/hello-http-js under the project root):
# OUT/hello.wasm, the wasi:http component, and OUT/spin.toml, this folder's manifest, which serves it.
# The recipe is tests/cli/real_components.py's http_js_component (jco componentize,
# componentize-js 0.22; 15-50 s, about 800 MB of memory); it needs npm's jco (scripts/install-npm-deps.sh).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
out=${1:-$root/build/examples/hello-http-js}
exec python3 -c 'import sys; sys.path.insert(0, sys.argv[1]); import real_components; real_components.build_example("js", sys.argv[2])' \
  "$root/tests/cli" "$out"
