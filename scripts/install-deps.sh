#!/usr/bin/env bash
# Installs every Debian 12 package that building, testing and the demo need.
# Idempotent: does nothing when all are present. Non-interactive.
set -euo pipefail

PACKAGES=(
  # build
  cmake ninja-build g++ pkg-config
  # libraries (DESIGN.md §3)
  libexpected-dev libfmt-dev libspdlog-dev nlohmann-json3-dev libcli11-dev libssl-dev wabt libtomlplusplus-dev
  # key-value stores of Spin applications (src/app/KeyValueStore.cpp)
  libsqlite3-dev
  # tests, fuzzing, tooling
  libgtest-dev libgmock-dev python3 clang-19 libclang-rt-19-dev clang-format clang-tidy
  # engine: fast tier (tcc), optimized tier (gcc above), SIMD in generated C
  tcc libsimde-dev
  # C to wasm for examples and test programs
  clang lld wasi-libc libclang-rt-14-dev-wasm32
  # OCI distribution: HTTP client; a real registry, skopeo and htpasswd for its tests
  libcurl4-openssl-dev docker-registry skopeo apache2-utils
  # engine: guest stacks (fibers)
  libboost-context1.81-dev
  # runtime benchmarks (bench/sightglass.py): whole-process timing
  hyperfine
  # HTTP host: server (Beast/Asio), load generator and peer, metrics checks
  libboost1.81-dev wrk nginx-light prometheus
  # a full-duplex HTTP client for the streamed-body tests (tests/http/wasi_http_test.py)
  curl
  # HTTPS test certificates (tests/http/tls_test.py)
  openssl
  # a second example language: Rust 1.63 for wasm32-wasi (use /usr/bin/rustc)
  rustc libstd-rust-dev-wasm32
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

# npm packages (jco) for the component tests, into a cache folder; never fails the set-up.
npm_deps() { "$(dirname "$0")/install-npm-deps.sh" | grep -v '\.js$' || true; }

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#PACKAGES[@]} packages present"
  npm_deps
  exit 0
fi

if [ ! -r /etc/debian_version ]; then
  echo "install-deps: this is not Debian; install the equivalents of: ${missing[*]}" >&2
  exit 1
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO="sudo"
  else
    echo "install-deps: not root; run as root (or with sudo):" >&2
    echo "  apt-get update && apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "install-deps: done"
npm_deps
