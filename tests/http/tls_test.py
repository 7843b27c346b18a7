#!/usr/bin/env python3
"""`wasmops up --tls-cert --tls-key`: HTTPS with a certificate made here by openssl.

Checks: a verified TLS 1.2+ connection (the client trusts only that
certificate, for 127.0.0.1) answers /hello; two requests on one
keep-alive connection; the guest sees https in X_FULL_URL; a plain-HTTP
client on the TLS port is refused without hurting the server; TLS 1.1 is
refused; a key that does not match, a missing file, or only one of the two
options fail before serving with the file named.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed, 77 when
openssl is missing.
"""
import argparse
import http.client
import os
import shutil
import socket
import ssl
import subprocess
import sys
import tempfile
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from up_process import FAILURES, check, raw_exchange, UpProcess  # noqa: E402


def make_cert(folder, name):
    cert, key = os.path.join(folder, name + ".pem"), os.path.join(folder, name + ".key")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True)
    return cert, key


def main():
    warnings.simplefilter("ignore", DeprecationWarning)  # ssl.TLSVersion.TLSv1_1, used on purpose
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--example", required=True)
    args = ap.parse_args()
    if not shutil.which("openssl"):
        print("openssl is not installed")
        return 77
    work = tempfile.mkdtemp(prefix="wasmops-tls-")
    try:
        cert, key = make_cert(work, "server")
        _, other_key = make_cert(work, "other")
        up = UpProcess(args.wasmops, args.example, extra=["--tls-cert", cert, "--tls-key", key, "--tier", "fast"],
                       admin=False)
        ok = up.wait_serving()
        check("serving", ok, up.stderr()[-5:])
        check("says https", any(l.startswith("Serving https://") for l in up.stdout()), up.stdout()[:3])
        if ok:
            ctx = ssl.create_default_context(cafile=cert)
            ctx.minimum_version = ssl.TLSVersion.TLSv1_2
            c = http.client.HTTPSConnection("127.0.0.1", up.port, context=ctx, timeout=10)
            c.request("GET", "/hello")
            r = c.getresponse()
            body = r.read()
            check("verified TLS: /hello 200", r.status == 200 and body == b"Hello, world!\n", (r.status, body))
            check("TLS 1.2 or later", c.sock.version() in ("TLSv1.2", "TLSv1.3"), c.sock.version())
            c.request("GET", "/echo/x?y=1")
            r = c.getresponse()
            body = r.read()
            check("keep-alive: a second request on the connection", r.status == 200, r.status)
            check("the guest sees https", b'"X_FULL_URL": "https://127.0.0.1:' in body, body[:400])
            c.close()
            raw = raw_exchange(up.port, b"GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", timeout=5)
            check("plain HTTP on the TLS port: no HTTP answer", not raw.startswith(b"HTTP/1.1 200"), raw[:100])
            old = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
            old.check_hostname = False
            old.verify_mode = ssl.CERT_NONE
            old.set_ciphers("DEFAULT:@SECLEVEL=0")  # so that it is the server, not this client, saying no
            try:
                old.minimum_version = ssl.TLSVersion.TLSv1_1
                old.maximum_version = ssl.TLSVersion.TLSv1_1
                with socket.create_connection(("127.0.0.1", up.port), timeout=5) as s:
                    with old.wrap_socket(s) as t:
                        refused = t.version() is None
            except (ssl.SSLError, OSError):
                refused = True
            check("TLS 1.1 refused", refused)
            c = http.client.HTTPSConnection("127.0.0.1", up.port, context=ctx, timeout=10)
            c.request("GET", "/hello")
            check("still serving after bad clients", c.getresponse().status == 200)
            c.close()
        rc = up.stop()
        check("SIGTERM exits 0", rc == 0, rc)

        for name, extra, text in [
            ("mismatched key", ["--tls-cert", cert, "--tls-key", other_key], "other.key"),
            ("missing certificate file", ["--tls-cert", os.path.join(work, "nope.pem"), "--tls-key", key], "nope.pem"),
            ("certificate without key", ["--tls-cert", cert], "--tls-key"),
        ]:
            proc = subprocess.run([args.wasmops, "up", "-f", args.example, "--admin", "off", "--listen", "127.0.0.1:0",
                                   *extra], capture_output=True, text=True, timeout=120,
                                  env=dict(os.environ, XDG_CACHE_HOME=up.cache))
            check(f"{name}: refused before serving", proc.returncode in (1, 2) and text in proc.stderr
                  and "Serving" not in proc.stdout, (proc.returncode, proc.stderr[-300:]))
        shutil.rmtree(up.cache, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
