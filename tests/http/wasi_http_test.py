#!/usr/bin/env python3
"""wasi:http components in `wasmops up` and `wasmops serve`, end to end over real HTTP.

The components are built at test time (tests/cli/real_components.py): examples/hello-http-c and
tests/data/components/http/probe.c, C handlers on hand-written canonical-ABI bindings adapted by jco.
Checks, through `up` with a manifest: the hello response; request headers, the spin-* route headers and
the query as the guest sees them; a 4 MiB request body echoed byte for byte; statuses; a 10 MB response;
a trap (500 with the request id, the host still serving); an error-code answer; a guest past its
deadline (504) while another request is served on the same thread; guest output in the log with the
request id; 50 requests on one keep-alive connection, each in a fresh instance. Through `serve`: the
component on every path, and the errors for what it cannot serve. Then the peer: the same component
files under `jco serve` give the same statuses and bodies.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed, 77 when jco is not installed.
"""
import argparse
import hashlib
import http.client
import os
import pathlib
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests/cli"))
from up_process import FAILURES, check, free_port, raw_exchange, request, status_of, UpProcess  # noqa: E402
import real_components  # noqa: E402


MANIFEST = """spin_manifest_version = 2
[application]
name = "wasi-http-tests"
[application.trigger.http]
base = "/base"

[[trigger.http]]
route = "/hello"
component = "hello"
[component.hello]
source = "hello.wasm"

[[trigger.http]]
route = "/probe/..."
component = "probe"
[component.probe]
source = "probe.wasm"
environment = { GREETING = "hi" }
"""


def check_up(wasmops, work):
    up = UpProcess(wasmops, str(work / "spin.toml"), extra=["--deadline", "2s"])
    try:
        check("up: serving", up.wait_serving(), "\n".join(up.stderr()))
        port = up.port

        s, h, b = request(port, "GET", "/base/hello?x=1")
        check("hello: 200 text/plain", s == 200 and h.get("content-type") == "text/plain", f"{s} {h}")
        check("hello: body", b == b"Hello from a C wasi:http component\nGET /base/hello?x=1\n", repr(b))

        s, h, b = request(port, "GET", "/base/probe/headers?a=1&b=%20",
                          headers={"X-Custom": "v1", "Authorization": "Bearer t"})
        text = b.decode()
        lines = text.splitlines()
        check("headers: 200", s == 200, f"{s} {text}")
        check("headers: the request's own, names lower-case", "x-custom: v1" in lines and "authorization: Bearer t" in lines, text)
        check("headers: no host (the authority carries it)", not any(l.startswith("host:") for l in lines), text)
        check("headers: spin-full-url", f"spin-full-url: http://127.0.0.1:{port}/base/probe/headers?a=1&b=%20" in lines, text)
        check("headers: spin-path-info", "spin-path-info: /headers" in lines, text)
        check("headers: spin-matched-route has the base", "spin-matched-route: /base/probe/..." in lines, text)
        check("headers: spin-base-path", "spin-base-path: /base" in lines, text)
        check("headers: spin-component-route", "spin-component-route: /probe" in lines, text)
        check("headers: spin-raw-component-route", "spin-raw-component-route: /probe/..." in lines, text)
        check("headers: spin-client-addr", any(re.fullmatch(r"spin-client-addr: 127\.0\.0\.1:\d+", l) for l in lines), text)
        check("headers: the query as sent", "query: a=1&b=%20" in lines, text)

        body = random.Random(7).randbytes(4 << 20)
        s, h, b = request(port, "POST", "/base/probe/echo", body=body, headers={"Content-Type": "application/x-test"})
        check("echo: 4 MiB body byte for byte", s == 200 and b == body, f"{s} {len(b)}")
        check("echo: content-type back", h.get("content-type") == "application/x-test", str(h))

        s, _, b = request(port, "GET", "/base/probe/status/418")
        check("status: 418 with its body", s == 418 and b == b"status 418\n", f"{s} {b!r}")
        s, _, b = request(port, "GET", "/base/probe/status/204")
        check("status: 204 without a body", s == 204 and b == b"", f"{s} {b!r}")
        s, _, b = request(port, "GET", "/base/probe/status/100")
        check("status: 100 as a final answer is the host's 500", s == 500, f"{s} {b!r}")

        s, _, b = request(port, "GET", "/base/probe/big?bytes=10000000")
        check("big: 10 MB of x", s == 200 and len(b) == 10_000_000 and b.count(b"x") == 10_000_000, f"{s} {len(b)}")

        s, _, b = request(port, "GET", "/base/probe/trap")
        m = re.search(rb"request id ([0-9a-f]+)", b)
        check("trap: 500 with the request id", s == 500 and m is not None, f"{s} {b!r}")
        s2, _, _ = request(port, "GET", "/base/hello")
        check("trap: the host still serves", s2 == 200)

        s, _, b = request(port, "GET", "/base/probe/error")
        check("error-code: 500", s == 500, f"{s} {b!r}")

        s, _, b = request(port, "GET", "/base/probe/stderr")
        check("stderr: 200", s == 200, f"{s} {b!r}")

        # A guest that never returns: 504 at its deadline, and meanwhile the
        # same host (one event loop per core) keeps answering.
        result = {}

        def slow():
            start = time.monotonic()
            result["status"] = request(port, "GET", "/base/probe/loop", timeout=20)[0]
            result["took"] = time.monotonic() - start
        t = threading.Thread(target=slow)
        t.start()
        time.sleep(0.3)
        served = [request(port, "GET", "/base/hello")[0] for _ in range(5)]
        t.join(30)
        check("loop: 504 at the deadline", result.get("status") == 504 and 1.5 < result.get("took", 0) < 6, str(result))
        check("loop: other requests served meanwhile", served == [200] * 5, str(served))

        c = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        statuses = []
        for i in range(50):
            c.request("GET", f"/base/hello?i={i}")
            r = c.getresponse()
            statuses.append((r.status, r.read() == f"Hello from a C wasi:http component\nGET /base/hello?i={i}\n".encode()))
        c.close()
        check("keep-alive: 50 requests on one connection, a fresh instance each", statuses == [(200, True)] * 50, str(statuses[:3]))
    finally:
        rc = up.stop()
    check("up: SIGTERM exits 0", rc == 0, f"rc={rc}")
    err = "\n".join(up.stderr())
    records = up.guest_records()
    trap_id = m.group(1).decode() if m else "?"
    check("log: the trap with its request id", any(trap_id in l and "trap: unreachable" in l for l in up.stderr()), err[-2000:])
    check("log: the error-code the guest answered", 'internal-error(\\"probe\\")' in err or 'internal-error("probe")' in err, err[-2000:])
    check("log: guest stderr with the request id",
          any(r.get("message", "").startswith("probe: a line on stderr") and r.get("request_id") for r in records), str(records[-5:]))
    check("log: the deadline", "past its deadline" in err, err[-2000:])


def check_serve(wasmops, work):
    probe = work / "probe.wasm"
    sp = UpProcess(wasmops, None, source=[str(probe)], command="serve", admin=False)
    try:
        check("serve: serving", sp.wait_serving(), "\n".join(sp.stderr()))
        s, _, b = request(sp.port, "GET", "/status/201")
        check("serve: the component on every path", s == 201 and b == b"status 201\n", f"{s} {b!r}")
        s, _, b = request(sp.port, "GET", "/headers")
        check("serve: spin-path-info is the whole path", b"spin-path-info: /headers\n" in b, repr(b))
        s, _, b = request(sp.port, "GET", "/nothing")
        check("serve: the guest's own 404", s == 404 and b.startswith(b"no route"), f"{s} {b!r}")
    finally:
        sp.stop()

    # serve REF: the component pushed to a real registry (Debian's docker-registry), pulled and served.
    sys.path.insert(0, str(ROOT / "tests/oci"))
    from registry_fixture import Registry  # noqa: E402
    with Registry() as registry:
        env = dict(os.environ, DOCKER_CONFIG=str(work / "docker"), XDG_CACHE_HOME=str(work / "cache"))
        ref = f"{registry.host}/components/probe:1"
        push = subprocess.run([wasmops, "push", "-q", ref, str(probe)], capture_output=True, text=True, env=env, timeout=120)
        check("serve REF: pushed the component", push.returncode == 0, push.stderr)
        sp = UpProcess(wasmops, None, source=[ref], command="serve", admin=False, env={"DOCKER_CONFIG": str(work / "docker")},
                       cache=str(work / "cache"))
        try:
            ok = sp.wait_serving()
            check("serve REF: serving the pulled component", ok, "\n".join(sp.stderr()))
            if ok:
                s, _, b = request(sp.port, "GET", "/status/202")
                check("serve REF: it answers", s == 202 and b == b"status 202\n", f"{s} {b!r}")
            check("serve REF: said what it pulled", any(l.startswith("Pulled ") and "@sha256:" in l for l in sp.stderr()),
                  str(sp.stderr()[:5]))
        finally:
            sp.stop()

    def refused(argv, pattern, name):
        r = subprocess.run([wasmops, *argv], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, XDG_CACHE_HOME=str(work / "cache")))
        check(name, r.returncode != 0 and re.search(pattern, r.stderr) is not None, f"rc={r.returncode} {r.stderr}")
    jco = real_components.find_jco(ROOT)
    spin = work / "spin-inbound.wasm"
    real_components.run(["node", jco, "parse", str(ROOT / "tests/data/components/http/spin-inbound.wat"), "-o", str(spin)])
    refused(["serve", str(spin), "--addr", "127.0.0.1:0"],
            r"exports fermyon:spin/inbound-http@2\.0\.0, Spin's own HTTP world, which is not supported: use wasi:http",
            "serve: a component for Spin's inbound-http world is refused by name")
    abi = work / "abi.wasm"
    real_components.run(["node", jco, "parse", str(ROOT / "tests/data/components/abi.wat"), "-o", str(abi)])
    refused(["serve", str(abi), "--addr", "127.0.0.1:0"], r"is not a wasi:http handler: it exports no "
            r"wasi:http/incoming-handler@0\.2\.x \(its exports: ", "serve: a component without the handler export")
    core = work / "probe.core.wasm"
    refused(["serve", str(core), "--addr", "127.0.0.1:0"], r"is a core module, and the default executor runs wasi:http components",
            "serve: a core module is refused, naming the executor it needs")
    refused(["serve", str(work / "missing.wasm"), "--addr", "127.0.0.1:0"], r"missing\.wasm: no such file",
            "serve: a missing file")
    wagi = work / "wagi"
    wagi.mkdir(exist_ok=True)
    shutil.copy(probe, wagi / "probe.wasm")
    (wagi / "spin.toml").write_text('spin_manifest_version = 2\n[application]\nname = "x"\n[[trigger.http]]\nroute = "/..."\n'
                                    'component = "p"\nexecutor = { type = "wagi" }\n[component.p]\nsource = "probe.wasm"\n')
    refused(["up", "-f", str(wagi / "spin.toml"), "--listen", "127.0.0.1:0", "--admin", "off"],
            r"is a component, and the WAGI executor runs WASI command modules", "up: a component under the WAGI executor is refused")


def curl(*argv):
    """curl's output (-w) for a transfer; curl sends and reads at once, as a browser or proxy does."""
    r = subprocess.run(["curl", "-sS", "--max-time", "120", *argv], capture_output=True, text=True)
    return r.stdout + r.stderr


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_streaming(wasmops, work):
    """Bodies stream both ways: 100 MB in and out through a guest with the server's memory flat, chunked
    trailers, HTTP/1.0, a slow reader, and a body cut off when the guest passes its deadline mid-stream."""
    probe = work / "probe.wasm"
    big = work / "upload.bin"
    with open(big, "wb") as f:
        rnd = random.Random(21)
        for _ in range(100):
            f.write(rnd.randbytes(1 << 20))
    want = sha256_of(big)
    sp = UpProcess(wasmops, None, source=[str(probe)], command="serve", admin=False,
                   extra=["--max-body", "1GiB", "--access-log", "off"])
    try:
        check("stream: serving", sp.wait_serving(), "\n".join(sp.stderr()))
        base = f"http://127.0.0.1:{sp.port}"
        out = work / "echoed.bin"
        curl("-o", str(out), "-H", "Expect:", "--data-binary", "@" + str(work / "hello.core.wasm"), base + "/echo")
        before = sp.rss_kib("VmHWM")
        w = curl("-o", str(out), "-H", "Expect:", "-w", "%{http_code}", "--data-binary", "@" + str(big), base + "/echo")
        check("stream: 100 MiB request body echoed byte for byte (Content-Length)", w == "200" and sha256_of(out) == want, w)
        w = curl("-o", str(out), "-H", "Transfer-Encoding: chunked", "-w", "%{http_code}", "--data-binary", "@" + str(big),
                 base + "/echo")
        check("stream: 100 MiB chunked request body echoed byte for byte", w == "200" and sha256_of(out) == want, w)
        w = curl("-o", str(out), "-w", "%{http_code} %{size_download}", base + "/big?bytes=104857600")
        check("stream: 100 MiB response body", w == "200 104857600" and out.stat().st_size == 104857600, w)
        grown = sp.rss_kib("VmHWM") - before
        check("stream: the server's peak memory grew < 40 MiB over 300 MiB of bodies", grown < 40 * 1024, f"{grown} KiB")

        raw = raw_exchange(sp.port, b"GET /trailers HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=10)
        head, _, body = raw.partition(b"\r\n\r\n")
        check("trailers: chunked, no Content-Length", b"transfer-encoding: chunked" in head.lower() and
              b"content-length" not in head.lower(), repr(head))
        check("trailers: the guest's trailer after the last chunk", body == b"2\r\nok\r\n0\r\nx-trailer: yes\r\n\r\n", repr(body))

        raw = raw_exchange(sp.port, b"GET /big?bytes=300000 HTTP/1.0\r\n\r\n", timeout=10)
        head, _, body = raw.partition(b"\r\n\r\n")
        check("HTTP/1.0: a streamed body until the connection closes", status_of(raw) == 200 and len(body) == 300000 and
              b"chunked" not in head.lower(), f"{head!r} {len(body)}")

        c = http.client.HTTPConnection("127.0.0.1", sp.port, timeout=30)
        c.request("HEAD", "/big?bytes=50000000")
        r = c.getresponse()
        head_ok = r.status == 200 and r.read() == b"" and r.getheader("x-probe-method") == "HEAD"
        c.request("GET", "/status/200")
        r = c.getresponse()
        check("HEAD of a streamed response: the head only, and the connection serves the next request",
              head_ok and r.status == 200 and r.read() == b"status 200\n", f"{head_ok} {r.status}")
        c.close()

        # A client that stops reading: the guest waits for the network (backpressure), memory stays flat.
        rss = sp.rss_kib()
        with socket.create_connection(("127.0.0.1", sp.port), timeout=10) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
            s.sendall(b"GET /big?bytes=104857600 HTTP/1.1\r\nHost: x\r\n\r\n")
            got = 0
            while got < 1 << 20:
                got += len(s.recv(65536))
            time.sleep(1.5)
            grown = sp.rss_kib() - rss
        check("backpressure: a client that stops reading holds < 16 MiB of a 100 MiB response", grown < 16 * 1024,
              f"{grown} KiB")
        s2, _, b2 = request(sp.port, "GET", "/status/200")
        check("backpressure: the host serves others meanwhile and after", s2 == 200, f"{s2} {b2!r}")
    finally:
        rc = sp.stop()
    check("stream: serve exits 0", rc == 0, f"rc={rc}")

    # The head is out when the guest passes its deadline: the body is cut off (no last chunk), not ended as if complete.
    sp = UpProcess(wasmops, None, source=[str(probe)], command="serve", admin=False, extra=["--deadline", "1s"])
    try:
        check("cut off: serving", sp.wait_serving(), "\n".join(sp.stderr()))
        with socket.create_connection(("127.0.0.1", sp.port), timeout=20) as s:
            s.sendall(b"GET /big?bytes=100000000000 HTTP/1.1\r\nHost: x\r\n\r\n")
            start, tail, total = time.monotonic(), b"", 0
            try:
                while True:
                    b = s.recv(1 << 16)
                    if not b:
                        break
                    total += len(b)
                    tail = (tail + b)[-16:]
            except (socket.timeout, ConnectionResetError):
                pass
            took = time.monotonic() - start
        check("cut off: the connection closes at the deadline without the last chunk",
              total > 1 << 20 and not tail.endswith(b"0\r\n\r\n") and took < 10, f"{total} bytes, {took:.1f} s, {tail!r}")
        s2, _, _ = request(sp.port, "GET", "/status/200")
        check("cut off: the host still serves", s2 == 200)
    finally:
        sp.stop()
    check("cut off: logged as past its deadline", any("past its deadline" in l for l in sp.stderr()),
          "\n".join(sp.stderr()[-5:]))


def check_peer(wasmops, jco, work):
    """The same files under jco serve (one instance, requests in turn) answer the same."""
    cases = [("hello.wasm", "GET", "/p/q?x=1", None), ("probe.wasm", "POST", "/echo", b"peer body \x00\xff" * 1000),
             ("probe.wasm", "GET", "/status/418", None), ("probe.wasm", "GET", "/big?bytes=300000", None),
             ("probe.wasm", "GET", "/nothing?z", None)]
    for comp in ("hello.wasm", "probe.wasm"):
        port = free_port()
        tmp = tempfile.mkdtemp(prefix="jco-serve-")
        peer = subprocess.Popen(["node", jco, "serve", "--port", str(port), str(work / comp)], cwd=tmp,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=dict(os.environ, TMPDIR=tmp),
                                start_new_session=True)
        ours = UpProcess(wasmops, None, source=[str(work / comp)], command="serve", admin=False)
        try:
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    request(port, "GET", "/status/200" if comp == "probe.wasm" else "/", timeout=2)
                    break
                except OSError:
                    time.sleep(0.5)
            check(f"peer: {comp} serving under both", ours.wait_serving() and time.time() < deadline)
            for c, method, path, body in cases:
                if c != comp:
                    continue
                a = request(ours.port, method, path, body=body)
                b = request(port, method, path, body=body)
                check(f"peer: {comp} {method} {path}: same status and body", (a[0], a[2]) == (b[0], b[2]),
                      f"wasmops {a[0]} {a[2][:80]!r} / jco serve {b[0]} {b[2][:80]!r}")
        finally:
            ours.stop()
            os.killpg(peer.pid, signal.SIGKILL)  # jco serve's child node process too
            peer.wait()
            shutil.rmtree(tmp, ignore_errors=True)


def check_js(wasmops, jco, work):
    """examples/hello-http-js (componentize-js: StarlingMonkey, a 14 MB component) under serve: every
    request in a fresh instance, so the fetch-event handler answers each; jco serve needs
    --isolate-requests instance for the same (../shared/notes/component-toolchains.md)."""
    js = real_components.http_js_component(ROOT, jco, work / "js", ROOT / "examples/hello-http-js/hello.js")
    ours = UpProcess(wasmops, None, source=[str(js)], command="serve", admin=False)
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="jco-serve-")
    peer = subprocess.Popen(["node", jco, "serve", "--isolate-requests", "instance", "--port", str(port), str(js)],
                            cwd=tmp, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            env=dict(os.environ, TMPDIR=tmp), start_new_session=True)
    try:
        check("js: serving (its 12 MB core module compiled)", ours.wait_serving(timeout=300), "\n".join(ours.stderr()))
        answers = [request(ours.port, "GET", f"/js/{i}?q={i}") for i in range(3)]
        check("js: three requests, each answered",
              [(s, b) for s, _, b in answers] ==
              [(200, f"Hello from a JS wasi:http component\nGET /js/{i}?q={i}\n".encode()) for i in range(3)],
              str([(s, b[:80]) for s, _, b in answers]))
        s, _, b = request(ours.port, "POST", "/posted", body=b"x" * 1000)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                theirs = request(port, "POST", "/posted", body=b"x" * 1000, timeout=10)
                break
            except OSError:
                time.sleep(0.5)
        else:
            theirs = (None, {}, b"")
        check("peer: js POST /posted: same status and body as jco serve --isolate-requests instance",
              (s, b) == (theirs[0], theirs[2]), f"wasmops {s} {b!r} / jco serve {theirs[0]} {theirs[2]!r}")
    finally:
        ours.stop()
        os.killpg(peer.pid, signal.SIGKILL)
        peer.wait()
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--clang", default="clang")
    ap.add_argument("--work", required=True)
    args = ap.parse_args()
    jco = real_components.jco_or_skip(ROOT)
    if not jco:
        return 77
    work = pathlib.Path(args.work)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    real_components.http_c_component(ROOT, jco, args.clang, work, ROOT / "examples/hello-http-c/hello.c")
    real_components.http_c_component(ROOT, jco, args.clang, work, ROOT / "tests/data/components/http/probe.c")
    (work / "spin.toml").write_text(MANIFEST)
    check_up(args.wasmops, work)
    check_serve(args.wasmops, work)
    check_streaming(args.wasmops, work)
    check_peer(args.wasmops, jco, work)
    check_js(args.wasmops, jco, work)
    print(f"{len(FAILURES)} failed" if FAILURES else "0 failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
