#!/usr/bin/env python3
"""Key-value stores and --runtime-config-file through `wasmops up` and `wasmops serve`, end to end.

examples/counter-http-c (C, over wasi:keyvalue/store and atomics at 0.2.0-draft2; built at test time by
tests/cli/real_components.py) answers every request with `count: N`, N the new value of "counter" in the
"default" store. Checks:
  - `up`: the count goes up across requests, and continues after SIGTERM and a new `up` (the SQLite file in
    <app>/.spin survives the process);
  - `--runtime-config-file` moving "default" to a file relative to the config's folder: the count starts
    afresh there, the file appears there and no .spin beside the manifest;
  - a label the manifest lists and only a runtime config defines: refused without the config, served with it;
  - bad runtime configs (a TOML syntax error, store type "redis", an unknown type, a missing file): a located
    error naming the file, exit status != 0, and no "Serving" line;
  - `serve COMPONENT`: "default" in ./.spin of the working folder, a runtime config honoured; outbound requests
    (tests/data/components/http/fetch.c) refused without --allow-outbound, allowed with it; a malformed
    --allow-outbound is a usage error (exit 2).

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed, 77 when jco is not installed.
"""
import argparse
import http.server
import os
import pathlib
import shutil
import subprocess
import sys
import threading

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests/cli"))
from up_process import FAILURES, check, request, UpProcess  # noqa: E402
import real_components  # noqa: E402


def counts(up, n, path="/counter"):
    """The bodies of n requests, or the first unexpected (status, body)."""
    out = []
    for _ in range(n):
        status, _, body = request(up.port, "GET", path)
        if status != 200:
            return [(status, body)]
        out.append(body.decode())
    return out


def app_folder(work, name, component, labels=("default",)):
    folder = work / name
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    shutil.copy(component, folder / "counter.wasm")
    stores = ", ".join(f'"{label}"' for label in labels)
    (folder / "spin.toml").write_text(
        'spin_manifest_version = 2\n[application]\nname = "counter"\n'
        '[[trigger.http]]\nroute = "/counter"\ncomponent = "counter"\n'
        f'[component.counter]\nsource = "counter.wasm"\nkey_value_stores = [{stores}]\n')
    return folder


def start(wasmops, cache, **kw):
    up = UpProcess(wasmops, kw.pop("app", None), cache=cache, admin=False, **kw)
    if not up.wait_serving():
        up.stop()
        return None, "\n".join(up.stderr())
    return up, ""


def failed_start(wasmops, cache, argv, cwd=None, timeout=120):
    """(exit status, stderr, stdout) of a `wasmops` that must exit on its own before serving."""
    try:
        r = subprocess.run([wasmops, *argv], capture_output=True, text=True, timeout=timeout, cwd=cwd,
                           env=dict(os.environ, XDG_CACHE_HOME=cache))
    except subprocess.TimeoutExpired as e:
        return None, f"still running after {timeout} s: {e.stderr}", e.stdout or ""
    return r.returncode, r.stderr, r.stdout


def test_up_persists(wasmops, work, cache, component):
    app = app_folder(work, "persist", component)
    up, err = start(wasmops, cache, app=str(app))
    check("up: serving the counter", up is not None, err)
    if not up:
        return
    got = counts(up, 3)
    check("up: the count goes up across requests", got == ["count: 1\n", "count: 2\n", "count: 3\n"], repr(got))
    rc = up.stop()
    check("up: SIGTERM stops it with status 0", rc == 0, f"status {rc}")
    db = app / ".spin/sqlite_key_value.db"
    check("up: default lives in <app>/.spin/sqlite_key_value.db", db.is_file())
    up, err = start(wasmops, cache, app=str(app))
    check("up: serving again", up is not None, err)
    if not up:
        return
    got = counts(up, 2)
    check("up: the count continues after a restart", got == ["count: 4\n", "count: 5\n"], repr(got))
    up.stop()


def test_runtime_config(wasmops, work, cache, component):
    app = app_folder(work, "configured", component)
    config_dir = work / "config"
    shutil.rmtree(config_dir, ignore_errors=True)
    config_dir.mkdir()
    config = config_dir / "runtime-config.toml"
    config.write_text('[key_value_store.default]\ntype = "spin"\npath = "data/kv.db"\n')
    up, err = start(wasmops, cache, app=str(app), extra=["--runtime-config-file", str(config)])
    check("runtime config: serving", up is not None, err)
    if not up:
        return
    got = counts(up, 2)
    up.stop()
    check("runtime config: the count starts afresh in the configured store", got == ["count: 1\n", "count: 2\n"],
          repr(got))
    check("runtime config: the database is at data/kv.db beside the config", (config_dir / "data/kv.db").is_file())
    check("runtime config: no .spin beside the manifest", not (app / ".spin").exists())

    # A label only a runtime config defines.
    labelled = app_folder(work, "labelled", component, labels=("default", "cache"))
    rc, stderr, stdout = failed_start(wasmops, cache, ["up", "-f", str(labelled), "--listen", "127.0.0.1:0",
                                                       "--admin", "off"])
    check("label without a runtime config: refused before serving",
          rc not in (0, None) and 'unknown key_value_stores label "cache"' in stderr and "Serving" not in stdout,
          f"status {rc}: {stderr}")
    config.write_text('[key_value_store.cache]\ntype = "spin"\n')
    up, err = start(wasmops, cache, app=str(labelled), extra=["--runtime-config-file", str(config)])
    check("label a runtime config defines: served", up is not None, err)
    if up:
        got = counts(up, 1)
        up.stop()
        check("label a runtime config defines: default still counts", got == ["count: 1\n"], repr(got))


def test_bad_configs(wasmops, work, cache, component):
    app = app_folder(work, "bad", component)
    cases = [
        ("a TOML syntax error", '[key_value_store.default]\ntype = "spin"\npath = \n', ":3:", "", 1),
        ("store type redis", '[key_value_store.default]\ntype = "redis"\nurl = "redis://localhost"\n', ":2:8",
         'store type "redis" is not supported', 1),
        ("an unknown store type", '\n[key_value_store.mine]\ntype = "sqlite"\n', ":3:8",
         'unknown store type "sqlite"', 1),
    ]
    for name, text, where, message, status in cases:
        config = work / "bad-config.toml"
        config.write_text(text)
        rc, stderr, stdout = failed_start(wasmops, cache, ["up", "-f", str(app), "--listen", "127.0.0.1:0",
                                                           "--admin", "off", "--runtime-config-file", str(config)])
        check(f"bad runtime config ({name}): exit {status}, located, before serving",
              rc == status and f"bad-config.toml{where}" in stderr and message in stderr and "Serving" not in stdout,
              f"status {rc}, stderr: {stderr.strip()}")
    missing = work / "no-such-config.toml"
    rc, stderr, stdout = failed_start(wasmops, cache, ["serve", str(app / "counter.wasm"), "--addr", "127.0.0.1:0",
                                                       "--runtime-config-file", str(missing)])
    check("missing runtime config (serve): an error naming the file, before serving",
          rc not in (0, None) and "no-such-config.toml" in stderr and "Serving" not in stdout,
          f"status {rc}, stderr: {stderr.strip()}")


class Upstream(http.server.ThreadingHTTPServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            body = b"upstream says hi\n"
            self.send_response(200)
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    def __init__(self):
        super().__init__(("127.0.0.1", 0), Upstream.Handler)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)
        self.thread.start()


def test_serve(wasmops, work, cache, component, fetch):
    cwd = work / "serve-cwd"
    shutil.rmtree(cwd, ignore_errors=True)
    cwd.mkdir()
    serve = dict(command="serve", source=[str(component)], cwd=str(cwd))
    up, err = start(wasmops, cache, **serve)
    check("serve: serving the counter", up is not None, err)
    if up:
        got = counts(up, 2, path="/anything")
        up.stop()
        check("serve: default is available and counts", got == ["count: 1\n", "count: 2\n"], repr(got))
        check("serve: default lives in ./.spin of the working folder", (cwd / ".spin/sqlite_key_value.db").is_file())
    config = work / "serve-config.toml"
    config.write_text('[key_value_store.default]\ntype = "spin"\npath = "serve-data/kv.db"\n'
                      '[key_value_store."Not.A.Label"]\ntype = "spin"\n')
    up, err = start(wasmops, cache, extra=["--runtime-config-file", str(config)], **serve)
    check("serve --runtime-config-file: serving", up is not None, err)
    if up:
        got = counts(up, 1)
        up.stop()
        check("serve --runtime-config-file: the configured store, counted afresh",
              got == ["count: 1\n"] and (work / "serve-data/kv.db").is_file(), repr(got))
        check("serve --runtime-config-file: a label no component could list is skipped with a located warning",
              any("serve-config.toml:4:1: [key_value_store.Not.A.Label] is not granted" in line
                  for line in up.stderr()), "\n".join(up.stderr()))

    upstream = Upstream()
    target = f"http://127.0.0.1:{upstream.server_address[1]}"
    path = f"/fetch?url={target}/x"
    fetch_serve = dict(command="serve", source=[str(fetch)], cwd=str(cwd))
    up, err = start(wasmops, cache, **fetch_serve)
    check("serve without --allow-outbound: serving", up is not None, err)
    if up:
        status, _, body = request(up.port, "GET", path)
        up.stop()
        check("serve without --allow-outbound: the request is denied",
              status == 502 and b"HTTP-request-denied" in body, f"{status} {body!r}")
    up, err = start(wasmops, cache, extra=["--allow-outbound", "http://127.0.0.1:*"], **fetch_serve)
    check("serve --allow-outbound: serving", up is not None, err)
    if up:
        status, _, body = request(up.port, "GET", path)
        up.stop()
        check("serve --allow-outbound http://127.0.0.1:*: the request goes out",
              status == 200 and body == b"upstream says hi\n", f"{status} {body!r}")
    upstream.shutdown()
    rc, stderr, stdout = failed_start(wasmops, cache, ["serve", str(fetch), "--addr", "127.0.0.1:0",
                                                       "--allow-outbound", "http://example.com/path"], cwd=str(cwd))
    check("serve --allow-outbound with a path: a usage error (exit 2) naming the flag",
          rc == 2 and "--allow-outbound http://example.com/path" in stderr and "Serving" not in stdout,
          f"status {rc}, stderr: {stderr.strip()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--clang", required=True)
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    jco = real_components.jco_or_skip(ROOT)
    if not jco:
        return 77
    args.wasmops = str(pathlib.Path(args.wasmops).resolve())  # the serve checks run in their own folder
    work = pathlib.Path(args.work).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    cache = str(work / "cache")
    component = real_components.counter_c_component(ROOT, jco, args.clang, work / "build")
    fetch = real_components.http_c_component(ROOT, jco, args.clang, work / "build",
                                             ROOT / "tests/data/components/http/fetch.c")
    test_up_persists(args.wasmops, work, cache, component)
    test_runtime_config(args.wasmops, work, cache, component)
    test_bad_configs(args.wasmops, work, cache, component)
    test_serve(args.wasmops, work, cache, component, fetch)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
