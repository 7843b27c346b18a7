#!/usr/bin/env bash
# `make demo`: serve the bundled Spin application (examples/hello-wagi: a C
# and a Rust WAGI handler) with `wasmops up`, make one request, print the
# response and the URL, and keep serving until Ctrl-C. When stdin is not a
# terminal (CI, a pipe) it stops after that request.
# DEMO_LISTEN (default 127.0.0.1:3000; port 0: any free port) and
# DEMO_ADMIN (default off) choose the addresses.
set -euo pipefail
wasmops="$1"
build="$2"
app="$build/examples/hello-wagi"
if [ ! -f "$app/spin.toml" ] || [ ! -f "$app/hello.wasm" ]; then
  echo "demo: $app was not built (is clang with wasi-libc installed? run scripts/install-deps.sh)" >&2
  exit 1
fi
listen="${DEMO_LISTEN:-127.0.0.1:3000}"
admin="${DEMO_ADMIN:-off}"

log="$(mktemp -d)"
cleanup() {
  if [ -n "${pid:-}" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  fi
  rm -rf "$log"
}
trap cleanup EXIT
trap 'echo; exit 0' INT TERM

echo "\$ wasmops up -f $app --listen $listen"
"$wasmops" up -f "$app" --listen "$listen" --admin "$admin" --access-log "$log/access.log" >"$log/out" 2>"$log/err" &
pid=$!
url=""
for _ in $(seq 1 600); do
  url="$(sed -n 's/^Serving \(http:[^ ]*\).*/\1/p' "$log/out")"
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    cat "$log/err" >&2
    echo "demo: wasmops up exited before it was ready" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "demo: wasmops up was not ready after 60 s" >&2
  exit 1
fi
cat "$log/err" "$log/out"

hostport="${url#http://}"
host="${hostport%:*}"
port="${hostport##*:}"
echo
echo "\$ curl -i '$url/hello?name=wasmops'"
# bash's /dev/tcp: no HTTP client needed.
exec 3<>"/dev/tcp/$host/$port"
printf 'GET /hello?name=wasmops HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$hostport" >&3
tr -d '\r' <&3
exec 3<&-
echo
echo "access log: $(cat "$log/access.log")"
echo
if [ -t 0 ]; then
  echo "Serving $url (routes /hello and /echo/...); Ctrl-C to stop"
  wait "$pid"
else
  echo "stdin is not a terminal: stopping after one request (serving was at $url)"
fi
