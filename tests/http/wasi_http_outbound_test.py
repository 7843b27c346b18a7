#!/usr/bin/env python3
"""Outbound HTTP of wasi:http components (wasi:http/outgoing-handler) in `wasmops up`, end to end.

tests/data/components/http/fetch.c (C, on examples/hello-http-c/wasi_http.h, built at test time) fetches the
URL its query names. The upstreams are Python HTTP/1.1 servers started here on loopback (keep-alive, counting
connections and recording what they receive): one the manifest allows, one it does not, and an HTTPS one with a
certificate made by openssl (trusted through SSL_CERT_FILE, as OpenSSL's default verify paths read it).
`up` runs with one event loop (--threads 1), so a guest that blocked its thread while it waits would stall the
other requests. Checks: an allowed request (status, a header, a 1 MiB body byte for byte); several requests over
one upstream connection; two requests in one instance; request bodies written before and after
outgoing-handler.handle; the inbound x-request-id upstream; the upstream's status passed through; a host that is
not allowed (HTTP-request-denied to the guest, the log line, no connection upstream, the counter); a component
without allowed_outbound_hosts; a refused connection; an upstream that never answers (the guest's first-byte
timeout, and the request's deadline while the guest waits), with other requests served meanwhile; a request to
the application itself ("http://self"); HTTPS verified against the trusted certificate, and refused without it
(TLS-certificate-error); the outcomes in wasmops_outbound_requests_total.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed, 77 when jco is not installed.
"""
import argparse
import http.server
import os
import pathlib
import random
import re
import shutil
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT / "tests/cli"))
from up_process import FAILURES, check, free_port, metric_value, request, UpProcess  # noqa: E402
import real_components  # noqa: E402

MIB = 1 << 20
DATA = random.Random(21).randbytes(MIB)


class Upstream:
    """A loopback HTTP/1.1 server (keep-alive) that counts connections and records requests.

    /data?n=N  200, N bytes of DATA (repeated), x-test: hello
    /status/N  status N, body "status N"
    /echo      200, the request body back
    /headers   200, the request's headers as "name: value" lines
    /hang      never answers (the connection stays open until the server stops)
    """

    def __init__(self, tls_context=None):
        outer = self
        self.connections = 0
        self.requests = []  # (method, path, headers dict, body length)
        self.lock = threading.Lock()
        self.stop_event = threading.Event()

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def setup(self):
                with outer.lock:
                    outer.connections += 1
                super().setup()

            def reply(self, status, body, extra=()):
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                for k, v in extra:
                    self.send_header(k, v)
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(body)

            def handle_any(self):
                length = int(self.headers.get("Content-Length", "0") or 0)
                body = self.rfile.read(length) if length else b""
                with outer.lock:
                    outer.requests.append((self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                path, _, query = self.path.partition("?")
                if path == "/data":
                    n = int(dict(p.split("=") for p in query.split("&") if "=" in p).get("n", "0"))
                    data = (DATA * (n // MIB + 1))[:n]
                    self.reply(200, data, [("x-test", "hello"), ("Content-Type", "application/octet-stream")])
                elif path.startswith("/status/"):
                    n = int(path[len("/status/"):])
                    self.reply(n, f"status {n}".encode())
                elif path == "/echo":
                    self.reply(200, body)
                elif path == "/headers":
                    self.reply(200, "".join(f"{k.lower()}: {v}\n" for k, v in self.headers.items()).encode())
                elif path == "/hang":
                    outer.stop_event.wait(60)
                    self.close_connection = True
                else:
                    self.reply(404, b"no such path")

            do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = handle_any

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        if tls_context:
            self.server.socket = tls_context.wrap_socket(self.server.socket, server_side=True)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def counts(self):
        with self.lock:
            return self.connections, len(self.requests)

    def last_request(self):
        with self.lock:
            return self.requests[-1] if self.requests else None

    def stop(self):
        self.stop_event.set()
        self.server.shutdown()
        self.server.server_close()


def make_cert(folder):
    cert, key = str(folder / "upstream.pem"), str(folder / "upstream.key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
                    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


MANIFEST = """spin_manifest_version = 2
[application]
name = "outbound-tests"

[[trigger.http]]
route = "/fetch/..."
component = "fetch"
[component.fetch]
source = "fetch.wasm"
allowed_outbound_hosts = ["http://127.0.0.1:{allowed}", "http://127.0.0.1:{refused}", "https://127.0.0.1:{tls}", "http://self"]

[[trigger.http]]
route = "/closed/..."
component = "closed"
[component.closed]
source = "fetch.wasm"

[[trigger.http]]
route = "/hello"
component = "hello"
[component.hello]
source = "hello.wasm"
"""


def scrape(up):
    with urllib.request.urlopen(f"http://127.0.0.1:{up.admin_port}/metrics", timeout=10) as r:
        return r.read().decode()


def run_checks(wasmops, work, allowed, other, tls_up, cert):
    refused_port = free_port()  # nothing listens there
    (work / "spin.toml").write_text(MANIFEST.format(allowed=allowed.port, refused=refused_port,
                                                    tls=tls_up.port if tls_up else 1))
    env = {"SSL_CERT_FILE": cert} if cert else {}
    up = UpProcess(wasmops, str(work / "spin.toml"), extra=["--deadline", "3s", "--threads", "1"], env=env)
    a = f"http://127.0.0.1:{allowed.port}"
    o = f"http://127.0.0.1:{other.port}"
    denied_id = "?"
    try:
        check("up: serving", up.wait_serving(), "\n".join(up.stderr()))
        port = up.port

        s, h, b = request(port, "GET", f"/fetch/fetch?url={a}/data?n={MIB}&header=x-test")
        check("allowed: 200 with the upstream's status", s == 200 and h.get("x-upstream-status") == "200", f"{s} {h} {b[:200]!r}")
        check("allowed: the upstream's header", h.get("x-upstream-header") == "hello", str(h))
        check("allowed: 1 MiB body byte for byte", b == DATA, f"{len(b)} bytes")

        conns, reqs = allowed.counts()
        for i in range(5):
            s, _, b = request(port, "GET", f"/fetch/fetch?url={a}/data?n={1000 + i}")
            if s != 200 or b != DATA[:1000 + i]:
                break
        conns2, reqs2 = allowed.counts()
        check("reuse: 5 requests (5 instances) over at most one new upstream connection",
              reqs2 - reqs == 5 and conns2 - conns <= 1, f"requests {reqs2 - reqs}, new connections {conns2 - conns}")

        s, _, b = request(port, "GET", f"/fetch/fetch-twice?url={a}/data?n=10")
        check("one instance, two requests", s == 200 and b == b"200 10 200 10\n", f"{s} {b!r}")

        s, h, b = request(port, "GET", f"/fetch/fetch?url={a}/headers")
        got = dict(l.split(": ", 1) for l in b.decode().splitlines() if ": " in l)
        check("x-request-id: the inbound request's, upstream", s == 200 and got.get("x-request-id") == h.get("x-request-id")
              and got.get("x-request-id"), f"{s} {h.get('x-request-id')} {got}")
        check("host: the authority", got.get("host") == f"127.0.0.1:{allowed.port}", str(got))

        for late in ("0", "1"):
            s, _, b = request(port, "GET", f"/fetch/fetch?url={a}/echo&method=POST&send=100000&late={late}")
            method, path, headers, body = allowed.last_request()
            check(f"request body ({'after' if late == '1' else 'before'} handle): 100000 bytes upstream and back",
                  s == 200 and b == b"y" * 100000 and method == "POST" and headers.get("content-length") == "100000",
                  f"{s} {len(b)} {method} {headers.get('content-length')}")

        s, h, b = request(port, "GET", f"/fetch/fetch?url={a}/status/404")
        check("status: the upstream's 404 to the guest", s == 404 and h.get("x-upstream-status") == "404" and b == b"status 404",
              f"{s} {h.get('x-upstream-status')} {b!r}")
        s, h, b = request(port, "GET", f"/fetch/fetch?url={a}/status/302")
        check("redirect: returned to the guest, not followed", s == 302, f"{s} {b!r}")

        # A host not in allowed_outbound_hosts: refused before anything is sent.
        s, h, b = request(port, "GET", f"/fetch/fetch?url={o}/data?n=5")
        denied_id = h.get("x-request-id", "?")
        check("denied: HTTP-request-denied to the guest", s == 502 and b == b"error-code HTTP-request-denied\n", f"{s} {b!r}")
        check("denied: nothing reached the other upstream", other.counts() == (0, 0), str(other.counts()))
        s, h, b = request(port, "GET", f"/closed/fetch?url={a}/data?n=5")
        check("denied: a component without allowed_outbound_hosts", s == 502 and b == b"error-code HTTP-request-denied\n",
              f"{s} {b!r}")
        s, h, b = request(port, "GET", f"/fetch/fetch?url=https://127.0.0.1:{allowed.port}/data?n=5")
        check("denied: the allowed host and port under another scheme", s == 502 and b"HTTP-request-denied" in b, f"{s} {b!r}")

        s, _, b = request(port, "GET", f"/fetch/fetch?url=http://127.0.0.1:{refused_port}/")
        check("connection refused: connection-refused", s == 502 and b == b"error-code connection-refused\n", f"{s} {b!r}")

        # An upstream that never answers: the guest's own timeout, with the
        # only event loop serving other requests meanwhile.
        result = {}

        def hang(path, key):
            start = time.monotonic()
            st, _, body = request(port, "GET", path, timeout=30)
            result[key] = (st, body, time.monotonic() - start)
        t1 = threading.Thread(target=hang, args=(f"/fetch/fetch?url={a}/hang&timeout_ms=1000", "guest"))
        t2 = threading.Thread(target=hang, args=(f"/fetch/fetch?url={a}/hang", "deadline"))
        t1.start()
        t2.start()
        time.sleep(0.3)
        served = []
        for _ in range(5):
            start = time.monotonic()
            st = request(port, "GET", "/hello")[0]
            served.append((st, time.monotonic() - start < 1.0))
        t1.join(30)
        t2.join(30)
        st, body, took = result.get("guest", (None, b"", 0))
        check("timeout: HTTP-response-timeout after the guest's 1 s first-byte timeout",
              st == 502 and body == b"error-code HTTP-response-timeout\n" and 0.9 < took < 2.9, f"{st} {body!r} {took:.2f}s")
        st, body, took = result.get("deadline", (None, b"", 0))
        check("timeout: the request's deadline (3 s) ends a guest waiting on its response: 504", st == 504 and 2.5 < took < 6,
              f"{st} {body!r} {took:.2f}s")
        check("timeout: other requests answered at once meanwhile (one event loop)", served == [(200, True)] * 5, str(served))

        s, _, b = request(port, "GET", "/fetch/fetch?url=/hello")
        check("self: a request without an authority reaches the application", s == 200 and b.startswith(b"Hello from a C"),
              f"{s} {b!r}")

        if tls_up:
            s, h, b = request(port, "GET", f"/fetch/fetch?url=https://127.0.0.1:{tls_up.port}/data?n=3000&header=x-test")
            check("https: verified against the trusted certificate", s == 200 and b == DATA[:3000]
                  and h.get("x-upstream-header") == "hello", f"{s} {b[:100]!r}")

        text = scrape(up)
        denied = metric_value(text, "wasmops_outbound_requests_total", {"component": "fetch", "outcome": "denied"})
        ok = metric_value(text, "wasmops_outbound_requests_total", {"component": "fetch", "outcome": "ok"})
        errors = metric_value(text, "wasmops_outbound_requests_total", {"component": "fetch", "outcome": "error"})
        closed = metric_value(text, "wasmops_outbound_requests_total", {"component": "closed", "outcome": "denied"})
        check("metrics: denied counted", denied == 2 and closed == 1, f"fetch {denied}, closed {closed}")
        check("metrics: ok and error counted", (ok or 0) >= 14 and (errors or 0) >= 3, f"ok {ok}, error {errors}")
    except Exception as e:  # a request that got no answer: say so, with the host's log
        check("no request failed on the way", False, f"{e!r}\n" + "\n".join(up.stderr()[-30:]))
    finally:
        rc = up.stop()
    check("up: SIGTERM exits 0", rc == 0, f"rc={rc}")
    err = "\n".join(up.stderr())
    check("log: the denied request with its request id and URL",
          f"request {denied_id} to component 'fetch': outbound request to {o}/data denied (not in allowed_outbound_hosts)" in err,
          err[-3000:])
    check("log: a failed request", re.search(r"outbound request to http://127\.0\.0\.1:\d+/hang failed: HTTP-response-timeout", err)
          is not None, err[-3000:])
    return up


def check_tls_untrusted(wasmops, work, tls_up):
    """Without the upstream's certificate in the trust store: TLS-certificate-error."""
    up = UpProcess(wasmops, str(work / "spin.toml"), extra=["--threads", "1"], admin=False)
    try:
        check("up (no trusted certificate): serving", up.wait_serving(), "\n".join(up.stderr()))
        s, _, b = request(up.port, "GET", f"/fetch/fetch?url=https://127.0.0.1:{tls_up.port}/data?n=5")
        check("https: an untrusted certificate is TLS-certificate-error", s == 502 and b.startswith(b"error-code TLS-certificate-error"),
              f"{s} {b!r}")
    finally:
        up.stop()


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
    real_components.http_c_component(ROOT, jco, args.clang, work, ROOT / "tests/data/components/http/fetch.c")
    real_components.http_c_component(ROOT, jco, args.clang, work, ROOT / "examples/hello-http-c/hello.c")

    allowed, other = Upstream(), Upstream()
    tls_up, cert = None, None
    if shutil.which("openssl"):
        cert, key = make_cert(work)
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        ctx.load_cert_chain(cert, key)
        tls_up = Upstream(ctx)
    else:
        print("note: openssl is not installed; the HTTPS checks are left out")
    try:
        run_checks(args.wasmops, work, allowed, other, tls_up, cert)
        if tls_up:
            check_tls_untrusted(args.wasmops, work, tls_up)
    finally:
        for u in (allowed, other, tls_up):
            if u:
                u.stop()
    print(f"{len(FAILURES)} failed" if FAILURES else "0 failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
