#!/usr/bin/env python3
"""`wasmops up` as a command: where the application comes from and how it fails.

- the manifest in the current folder, `-f FILE`, `-f FOLDER`;
- `--from REF`: the example pushed to a real registry (Debian's
  docker-registry) and served from the pull, twice (the second pull reuses
  the folder);
- `--build`: each component's build.command runs first, in its folder;
- errors before "Serving", each with a message and exit status 1 or 2: no
  manifest, a wasi:http (default executor) trigger, a module with an
  import the host lacks, a source that is not WebAssembly, a failing build,
  a taken port, a malformed --deadline.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed.
"""
import argparse
import http.client
import os
import shutil
import socket
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "oci"))
from up_process import FAILURES, check, UpProcess  # noqa: E402


def get(port, path):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", path)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def serve_and_get(wasmops, app, path, cwd=None, extra=(), env=None):
    up = UpProcess(wasmops, app, extra=["--tier", "fast", *extra], admin=False, env=env) if cwd is None else None
    if up is None:
        # No -f: the manifest of the current folder.
        old = os.getcwd()
        os.chdir(cwd)
        try:
            up = UpProcess(wasmops, ".", extra=["--tier", "fast", *extra], admin=False, env=env, source=[])
        finally:
            os.chdir(old)
    try:
        if not up.wait_serving():
            return None, "\n".join(up.stderr()[-10:])
        return get(up.port, path)
    finally:
        up.stop()


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)


def wagi_manifest(source, extra="", executor='executor = { type = "wagi" }'):
    return (f'spin_manifest_version = 2\n[application]\nname = "t"\n[[trigger.http]]\nroute = "/hi"\n'
            f'component = "hi"\n{executor}\n[component.hi]\nsource = "{source}"\n{extra}')


def fails(wasmops, args, cwd, expect_text, name, status=1):
    proc = subprocess.run([wasmops, "up", "--admin", "off", "--listen", "127.0.0.1:0", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, XDG_CACHE_HOME=os.path.join(cwd, ".cache")))
    check(f"{name}: exit {status}", proc.returncode == status, (proc.returncode, proc.stderr[-500:]))
    check(f"{name}: says why", expect_text in proc.stderr, proc.stderr[-800:])
    check(f"{name}: never served", "Serving" not in proc.stdout, proc.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--data", required=True)
    ap.add_argument("--example", required=True, help="the built examples/hello-wagi folder")
    args = ap.parse_args()
    w = os.path.abspath(args.wasmops)
    work = tempfile.mkdtemp(prefix="wasmops-up-cli-")
    status_wasm = os.path.join(args.data, "wagi", "status.wasm")
    try:
        # Where the manifest comes from.
        app = os.path.join(work, "app")
        os.makedirs(app)
        shutil.copy(status_wasm, os.path.join(app, "s.wasm"))
        write(os.path.join(app, "spin.toml"), wagi_manifest("s.wasm"))
        st, body = serve_and_get(w, None, "/hi", cwd=app)
        check("current folder's spin.toml", st == 200 and body == b"status test\n", (st, body))
        st, body = serve_and_get(w, os.path.join(app, "spin.toml"), "/hi")
        check("-f FILE", st == 200, (st, body))
        write(os.path.join(app, "wasmops.toml"), wagi_manifest("s.wasm").replace('"/hi"', '"/from-wasmops-toml"'))
        st, _ = serve_and_get(w, app, "/from-wasmops-toml")
        check("-f FOLDER prefers wasmops.toml", st == 200, st)

        # --build runs build.command in the component's folder before loading.
        b = os.path.join(work, "build")
        os.makedirs(b)
        shutil.copy(status_wasm, os.path.join(b, "prebuilt.bin"))
        write(os.path.join(b, "spin.toml"),
              wagi_manifest("out/built.wasm", '[component.hi.build]\ncommand = "mkdir -p out && cp prebuilt.bin out/built.wasm"\n'))
        st, body = serve_and_get(w, b, "/hi", extra=["--build"])
        check("--build: built, then served", st == 200 and body == b"status test\n", (st, body))
        write(os.path.join(b, "spin.toml"), wagi_manifest("out/built.wasm", '[component.hi.build]\ncommand = "exit 3"\n'))
        fails(w, ["-f", b, "--build"], b, "build command", "--build failing")

        # Errors before serving.
        empty = os.path.join(work, "empty")
        os.makedirs(empty)
        fails(w, [], empty, "spin.toml", "no manifest")
        e = os.path.join(work, "errors")
        os.makedirs(e)
        shutil.copy(status_wasm, os.path.join(e, "s.wasm"))
        write(os.path.join(e, "spin.toml"), wagi_manifest("s.wasm", executor=""))
        fails(w, ["-f", e], e, "wagi", "default executor (wasi:http) not served yet")
        write(os.path.join(e, "notwasm.wasm"), "this is not wasm")
        write(os.path.join(e, "spin.toml"), wagi_manifest("notwasm.wasm"))
        fails(w, ["-f", e], e, "notwasm.wasm", "source is not WebAssembly")
        # A module importing a function the host lacks.
        env_import = (b"\0asm\x01\0\0\0" + b"\x01\x04\x01\x60\x00\x00" + b"\x02\x0b\x01\x03env\x03foo\x00\x00"
                      + b"\x03\x02\x01\x00" + b"\x05\x03\x01\x00\x01"
                      + b"\x07\x13\x02\x06memory\x02\x00\x06_start\x00\x01" + b"\x0a\x04\x01\x02\x00\x0b")
        with open(os.path.join(e, "imports.wasm"), "wb") as f:
            f.write(env_import)
        write(os.path.join(e, "spin.toml"), wagi_manifest("imports.wasm"))
        fails(w, ["-f", e], e, "foo", "unknown import")
        write(os.path.join(e, "spin.toml"), wagi_manifest("s.wasm"))
        with socket.socket() as taken:
            taken.bind(("127.0.0.1", 0))
            taken.listen()
            port = taken.getsockname()[1]
            proc = subprocess.run([w, "up", "-f", e, "--admin", "off", "--listen", f"127.0.0.1:{port}"],
                                  capture_output=True, text=True, timeout=120,
                                  env=dict(os.environ, XDG_CACHE_HOME=os.path.join(e, ".cache")))
            check("port taken: exit 1 with the address", proc.returncode == 1 and str(port) in proc.stderr,
                  (proc.returncode, proc.stderr))
        fails(w, ["-f", e, "--deadline", "soon"], e, "soon", "malformed --deadline", status=2)

        # --from: pushed to a real registry, served from the pull.
        try:
            from registry_fixture import Registry  # noqa: E402
            registry = Registry().__enter__()
        except Exception as ex:  # noqa: BLE001
            check("registry started", False, repr(ex))
            registry = None
        if registry:
            try:
                env = dict(os.environ, DOCKER_CONFIG=os.path.join(work, "docker"),
                           XDG_CACHE_HOME=os.path.join(work, "cache"))
                ref = f"{registry.host}/apps/hello-wagi:1"
                push = subprocess.run([w, "push", "-q", ref, "--manifest", os.path.join(args.example, "spin.toml")],
                                      capture_output=True, text=True, env=env, timeout=120)
                check("--from: pushed the example", push.returncode == 0, push.stderr)
                for attempt in (1, 2):
                    up = UpProcessFrom(w, ref, env)
                    ok = up.wait_serving()
                    check(f"--from: serving (pull {attempt})", ok, "\n".join(up.stderr()[-10:]))
                    if ok:
                        st, body = get(up.port, "/hello")
                        check(f"--from: /hello answers (pull {attempt})", st == 200 and body == b"Hello, world!\n",
                              (st, body))
                    # After stop, which reads stderr to its end: "Serving" comes on stdout, whose reader
                    # thread may get there before the stderr reader has the "Pulled" line.
                    up.stop()
                    check(f"--from: said what it pulled (pull {attempt})",
                          any(l.startswith("Pulled ") and "@sha256:" in l for l in up.stderr()), up.stderr()[:5])
            finally:
                registry.__exit__(None, None, None)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


class UpProcessFrom(UpProcess):
    """`wasmops up --from REF` instead of -f."""

    def __init__(self, wasmops, ref, env):
        super().__init__(wasmops, "", extra=["--tier", "fast"], admin=False, cache=env["XDG_CACHE_HOME"],
                         env={"DOCKER_CONFIG": env["DOCKER_CONFIG"]}, source=["--from", ref])


if __name__ == "__main__":
    sys.exit(main())
