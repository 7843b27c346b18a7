#!/usr/bin/env bash
# Installs the npm packages the component tests build real components with
# (../shared/notes/component-toolchains.md): @bytecodealliance/jco, with the
# preview2 shim pinned at top level so the tree holds one copy of it.
# Idempotent: does nothing when the pinned versions are present. Installs
# into a cache folder outside the source tree (never committed):
#   $WASMOPS_NPM_DIR, default ${XDG_CACHE_HOME:-~/.cache}/wasmops-dev/npm
# Set WASMOPS_OFFLINE=1 to skip (tests that need jco then report "skipped").
# Prints the path of jco's entry point on its last line.
set -euo pipefail

JCO_VERSION=1.35.0
SHIM_VERSION=0.26.1
dir="${WASMOPS_NPM_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/wasmops-dev/npm}/jco-$JCO_VERSION"
jco="$dir/node_modules/@bytecodealliance/jco/dist/jco.js"

installed_version() {
  node -e "process.stdout.write(require(process.argv[1]).version)" "$dir/node_modules/$1/package.json" 2>/dev/null || true
}

if [ "$(installed_version @bytecodealliance/jco)" = "$JCO_VERSION" ] &&
   [ "$(installed_version @bytecodealliance/preview2-shim)" = "$SHIM_VERSION" ]; then
  echo "install-npm-deps: jco $JCO_VERSION present"
  echo "$jco"
  exit 0
fi
if [ "${WASMOPS_OFFLINE:-0}" = "1" ]; then
  echo "install-npm-deps: WASMOPS_OFFLINE=1, not installing jco (component tests will be skipped)" >&2
  exit 0
fi
if ! command -v npm >/dev/null 2>&1; then
  echo "install-npm-deps: npm not found (Debian: apt-get install npm); component tests will be skipped" >&2
  exit 0
fi

mkdir -p "$dir"
echo "install-npm-deps: installing @bytecodealliance/jco@$JCO_VERSION into $dir (about 30 s, 340 MB)"
[ -f "$dir/package.json" ] || echo '{"private": true}' > "$dir/package.json"
if ! npm install --prefix "$dir" --no-audit --no-fund --loglevel=error \
    "@bytecodealliance/jco@$JCO_VERSION" "@bytecodealliance/preview2-shim@$SHIM_VERSION"; then
  echo "install-npm-deps: npm install failed; component tests will be skipped" >&2
  exit 0
fi
echo "$jco"
