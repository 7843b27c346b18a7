#!/usr/bin/env bash
# `make demo`: serve the bundled Spin application with `wasmops up`: the
# WAGI handlers of examples/hello-wagi (C and Rust) and, when npm's jco is
# installed (scripts/install-npm-deps.sh), the wasi:http components of
# examples/hello-http-c (/hello-c) and examples/hello-http-js (/hello-js),
# and the key-value counter of examples/counter-http-c (/counter, requested
# twice), built on first use into the build folder. Makes a request to each route,
# prints the responses and the URL, and keeps serving until Ctrl-C. When
# stdin is not a terminal (CI, a pipe) it stops after those requests.
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
# One application: hello-wagi's manifest and files, then the wasi:http routes.
demo="$build/examples/demo"
mkdir -p "$demo"
cp "$app"/*.wasm "$demo/"
cp "$app/spin.toml" "$demo/spin.toml"
routes="/hello?name=wasmops"
here="$(cd "$(dirname "$0")/.." && pwd)"
if "$here/scripts/install-npm-deps.sh" 2>/dev/null | tail -1 | grep -q 'jco.js$'; then
  for kind in c js; do
    out="$build/examples/hello-http-$kind"
    src="$here/examples/hello-http-$kind"
    # Built once; again when a source is newer than the component.
    if [ ! -f "$out/hello.wasm" ] || [ -n "$(find "$src" -newer "$out/hello.wasm" -type f | head -1)" ]; then
      echo "demo: building examples/hello-http-$kind (jco)"
      "$src/build.sh" "$out" >/dev/null
    fi
    cp "$out/hello.wasm" "$demo/hello-http-$kind.wasm"
    printf '
[[trigger.http]]
route = "/hello-%s"
component = "hello-%s"
[component.hello-%s]
source = "hello-http-%s.wasm"
' \
      "$kind" "$kind" "$kind" "$kind" >>"$demo/spin.toml"
    routes="$routes /hello-$kind"
  done
  # A request counter over Spin's key-value store "default" (examples/counter-http-c): requested twice, the
  # count goes up; it lives in $demo/.spin/sqlite_key_value.db, so the next demo continues it.
  out="$build/examples/counter-http-c"
  src="$here/examples/counter-http-c"
  if [ ! -f "$out/counter.wasm" ] || [ -n "$(find "$src" "$here/examples/hello-http-c" -newer "$out/counter.wasm" -type f | head -1)" ]; then
    echo "demo: building examples/counter-http-c (jco)"
    "$src/build.sh" "$out" >/dev/null
  fi
  cp "$out/counter.wasm" "$demo/counter-http-c.wasm"
  printf '
[[trigger.http]]
route = "/counter"
component = "counter"
[component.counter]
source = "counter-http-c.wasm"
key_value_stores = ["default"]
' >>"$demo/spin.toml"
  routes="$routes /counter /counter"
else
  echo "demo: npm's jco is not installed: serving the WAGI routes only (scripts/install-npm-deps.sh adds the wasi:http ones)"
fi
app="$demo"
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
for _ in $(seq 1 1800); do
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
  echo "demo: wasmops up was not ready after 180 s" >&2
  exit 1
fi
cat "$log/err" "$log/out"

hostport="${url#http://}"
host="${hostport%:*}"
port="${hostport##*:}"
set -f  # the routes hold "?"
for route in $routes; do
  echo
  echo "\$ curl -i '$url$route'"
  # bash's /dev/tcp: no HTTP client needed.
  exec 3<>"/dev/tcp/$host/$port"
  printf 'GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n\r\n' "$route" "$hostport" >&3
  tr -d '\r' <&3 | tee "$log/response"
  exec 3<&-
  if [ "$route" = /counter ]; then counts="${counts:-} $(sed -n 's/^count: //p' "$log/response")"; fi
done
if [ -n "${counts:-}" ]; then
  read -r first second rest <<<"$counts"
  if [ -n "$rest" ] || [ -z "$second" ] || [ "$second" -ne $((first + 1)) ]; then
    echo "demo: the counter did not go up by one:$counts" >&2
    exit 1
  fi
  echo
  echo "counter: $first, then $second (kept in $demo/.spin/sqlite_key_value.db: the next run continues it)"
fi
echo
echo "access log:"
cat "$log/access.log"
echo
if [ -t 0 ]; then
  shown="${routes#/hello?name=wasmops}"
  echo "Serving $url (routes /hello, /echo/...${shown% /counter}); Ctrl-C to stop"
  wait "$pid"
else
  echo "stdin is not a terminal: stopping after these requests (serving was at $url)"
fi
