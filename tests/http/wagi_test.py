#!/usr/bin/env python3
"""`wasmops up` with WAGI guests (tests/data/wagi/*.c), end to end over real HTTP.

One application of every test guest, each on its own route; checks the CGI
variables and argv a request produces, request and response bodies byte for
byte, Status/Location handling, read-only files, guest stderr in the log with
the request id, malformed guest responses (500, reason logged), header
injection through a guest's response, and traps (500 with the request id,
partial output never sent).

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed.
"""
import argparse
import http.client
import os
import random
import re
import shutil
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from up_process import FAILURES, check, UpProcess  # noqa: E402


GUESTS = ["env", "body", "status", "files", "stderr", "badresponse", "inject", "trap"]

MANIFEST = """spin_manifest_version = 2
[application]
name = "wagi-tests"
[application.trigger.http]
base = "/"
"""


def write_app(folder, data):
    text = MANIFEST
    for g in GUESTS:
        shutil.copy(os.path.join(data, "wagi", g + ".wasm"), os.path.join(folder, g + ".wasm"))
        route = "/env/..." if g == "env" else f"/{g}"
        text += f'\n[[trigger.http]]\nroute = "{route}"\ncomponent = "{g}"\nexecutor = {{ type = "wagi" }}\n'
        text += f'[component.{g}]\nsource = "{g}.wasm"\n'
        if g == "env":
            text += 'environment = { FROM_MANIFEST = "m", OVERRIDDEN = "manifest" }\n'
        if g == "files":
            text += 'files = [{ source = "static", destination = "/static" }]\n'
    # The argv template and entrypoint of a WAGI trigger.
    shutil.copy(os.path.join(data, "wagi", "env.wasm"), os.path.join(folder, "argv.wasm"))
    text += ('\n[[trigger.http]]\nroute = "/argv"\ncomponent = "argv"\n'
             'executor = { type = "wagi", argv = "prog ${SCRIPT_NAME} -- ${ARGS}" }\n'
             '[component.argv]\nsource = "argv.wasm"\n')
    os.makedirs(os.path.join(folder, "static", "sub"))
    with open(os.path.join(folder, "static", "a.txt"), "w") as f:
        f.write("alpha\n")
    with open(os.path.join(folder, "static", "page.html"), "w") as f:
        f.write("<p>hi</p>\n")
    with open(os.path.join(folder, "static", "sub", "deep.json"), "w") as f:
        f.write('{"deep": true}\n')
    with open(os.path.join(folder, "spin.toml"), "w") as f:
        f.write(text)


def request(up, method, path, body=None, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", up.port, timeout=30)
    c.request(method, path, body=body, headers=headers or {})
    r = c.getresponse()
    data = r.read()
    c.close()
    return r.status, r.getheaders(), data


def header(headers, name):
    values = [v for k, v in headers if k.lower() == name.lower()]
    return values[0] if values else None


def fnv1a(data):
    h = 0xcbf29ce484222325
    for b in data:
        h ^= b
        h = (h * 0x100000001b3) & 0xFFFFFFFFFFFFFFFF
    return f"{h:016x}"


def env_lines(body):
    env, argv = {}, []
    for line in body.decode().splitlines():
        if line.startswith("argv["):
            argv.append(line.split("=", 1)[1])
        elif line.startswith("argc="):
            continue
        elif "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    return env, argv


def test_env(up):
    status, headers, body = request(up, "POST", "/env/a%20b/c?x=1&y=two+words", body=b"12345",
                                     headers={"X-Foo": "bar", "Authorization": "Bearer secret",
                                              "Content-Type": "text/plain"})
    env, argv = env_lines(body)
    rid = header(headers, "x-request-id")
    check("env: 200", status == 200, status)
    expect = {
        "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/env", "PATH_INFO": "/a b/c", "X_RAW_PATH_INFO": "/a%20b/c",
        "QUERY_STRING": "x=1&y=two+words", "CONTENT_LENGTH": "5", "CONTENT_TYPE": "text/plain",
        "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": str(up.port),
        "GATEWAY_INTERFACE": "CGI/1.1", "HTTP_X_FOO": "bar", "X_MATCHED_ROUTE": "/env/...",
        "X_COMPONENT_ROUTE": "/env", "X_RAW_COMPONENT_ROUTE": "/env/...", "X_BASE_PATH": "/",
        "X_FULL_URL": f"http://127.0.0.1:{up.port}/env/a%20b/c?x=1&y=two+words", "REMOTE_ADDR": "127.0.0.1",
        "X_REQUEST_ID": rid, "FROM_MANIFEST": "m", "OVERRIDDEN": "from-cli",
    }
    for k, v in expect.items():
        check(f"env: {k}", env.get(k) == v, f"got {env.get(k)!r}, want {v!r}")
    check("env: Authorization not passed", "HTTP_AUTHORIZATION" not in env, env.get("HTTP_AUTHORIZATION"))
    check("env: host environment not leaked", "PATH" not in env and "HOME" not in env and "XDG_CACHE_HOME" not in env)
    # docs/wagi.md: ${SCRIPT_NAME} is the path as received, ${ARGS} the query split at '&', neither decoded.
    check("env: argv from the query", argv == ["/env/a%20b/c", "x=1", "y=two+words"], argv)
    # obs-fold: refused, or unfolded into spaces (RFC 9112 §5.2); never a CR or LF in a variable.
    from up_process import raw_exchange, status_of
    raw = raw_exchange(up.port, b"GET /env HTTP/1.1\r\nHost: x\r\nX-A: one\r\n two\r\nConnection: close\r\n\r\n")
    folded = [l for l in raw.split(b"\r\n\r\n", 1)[-1].split(b"\n") if l.startswith(b"HTTP_X_A=")]
    check("env: obs-fold refused or unfolded", status_of(raw) == 400 or
          (len(folded) == 1 and re.fullmatch(rb"HTTP_X_A=one +two", folded[0]) is not None), raw[:300])
    _, _, body = request(up, "GET", "/argv?one&two")
    _, argv = env_lines(body)
    check("env: argv template", argv == ["prog", "/argv", "--", "one", "two"], argv)


def test_body(up):
    rng = random.Random(7)
    payload = bytes(rng.getrandbits(8) for _ in range(1 << 20))
    status, _, body = request(up, "POST", "/body", body=payload)
    text = body.decode()
    check("body: 1 MiB request arrives whole", status == 200 and f"length={len(payload)}" in text
          and f"fnv1a={fnv1a(payload)}" in text, text)
    status, _, body = request(up, "POST", "/body", body=b"")
    check("body: empty body", status == 200 and "length=0" in body.decode(), body)
    n = 5 * 1024 * 1024 + 3
    status, headers, body = request(up, "GET", f"/body?size={n}")
    want = bytes(ord("a") + i % 26 for i in range(n))
    check("body: 5 MiB response byte-exact", status == 200 and body == want, (status, len(body)))
    check("body: Content-Length framed by the host", header(headers, "content-length") == str(n),
          header(headers, "content-length"))
    status, _, body = request(up, "HEAD", f"/body?size=100")
    check("body: HEAD has no body", status == 200 and body == b"", (status, body[:50]))


def test_status(up):
    status, headers, body = request(up, "GET", "/status?status=302&location=/elsewhere")
    check("status: 302 with Location", status == 302 and header(headers, "location") == "/elsewhere", (status, headers))
    check("status: guest's own header", header(headers, "x-custom") == "yes", headers)
    status, _, _ = request(up, "GET", "/status?status=404%20Not%20Found")
    check("status: '404 Not Found'", status == 404, status)
    status, headers, _ = request(up, "GET", "/status?location=/only")
    check("status: Location alone is a 302", status == 302 and header(headers, "location") == "/only", status)
    status, headers, _ = request(up, "GET", "/status?type=application/json")
    check("status: Content-Type passed", status == 200 and header(headers, "content-type") == "application/json",
          headers)


def test_files(up):
    status, _, body = request(up, "GET", "/files")
    check("files: listing", status == 200 and body.decode().split() == ["a.txt", "page.html", "sub/"], body)
    status, headers, body = request(up, "GET", "/files?file=a.txt")
    check("files: read", status == 200 and body == b"alpha\n" and header(headers, "content-type") == "text/plain",
          (status, body))
    status, _, body = request(up, "GET", "/files?path=/static/sub/deep.json")
    check("files: nested file", status == 200 and body == b'{"deep": true}\n', (status, body))
    status, _, body = request(up, "GET", "/files?write=new.txt")
    check("files: mount is read-only (403)", status == 403, (status, body))
    status, _, body = request(up, "GET", "/files?path=/etc/passwd")
    check("files: nothing outside the mount", status in (403, 404) and b"root:" not in body, (status, body))
    status, _, body = request(up, "GET", "/files?path=/static/../../etc/passwd")
    check("files: no escape with ..", status in (403, 404) and b"root:" not in body, (status, body))


def test_stderr(up):
    status, headers, body = request(up, "GET", "/stderr")
    rid = header(headers, "x-request-id")
    check("stderr: response is stdout only", status == 200 and body == b"ok\n", (status, body))
    import time
    for _ in range(50):
        recs = [r for r in up.guest_records() if r.get("request_id") == rid]
        if len(recs) >= 3:
            break
        time.sleep(0.1)
    msgs = [r.get("message") for r in recs]
    check("stderr: three lines logged with the request id",
          msgs == ["stderr line 1 of 3", "stderr line 2 of 3", "stderr line 3 of 3"], recs)
    check("stderr: tagged with the component", all(r.get("component") == "stderr" for r in recs), recs)


def test_bad_responses(up):
    for kind in ["noblank", "nocolon", "empty", "noheaders", "hugeheader"]:
        status, headers, body = request(up, "GET", f"/badresponse?kind={kind}")
        rid = header(headers, "x-request-id")
        check(f"badresponse {kind}: 500 with the request id", status == 500 and rid and rid.encode() in body,
              (status, body[:200]))
    logged = "\n".join(up.stderr())
    check("badresponse: reason in the log", "badresponse" in logged and "500" in logged, logged[-2000:])


def test_injection(up):
    for case in ["cr", "fold", "nul", "location", "status", "name", "status-junk", "status-range"]:
        status, headers, body = request(up, "GET", f"/inject?case={case}")
        cookies = [v for k, v in headers if k.lower() == "set-cookie"]
        clean = all("\r" not in v and "\n" not in v and "\0" not in v for _, v in headers)
        check(f"inject {case}: no smuggled Set-Cookie", not cookies and clean, (status, headers))
        if case in ("status", "status-junk", "status-range"):
            check(f"inject {case}: 500", status == 500, status)
    status, headers, body = request(up, "GET", "/inject?case=framing")
    cookies = [v for k, v in headers if k.lower() == "set-cookie"]
    check("inject framing: one response, the host frames it", not cookies and
          (status == 500 or body.startswith(b"0\r\n\r\nHTTP/1.1 200 OK")), (status, headers, body[:80]))
    status, headers, _ = request(up, "GET", "/inject?case=crlf")
    check("inject crlf: two separate headers", header(headers, "x-note") == "a" and
          header(headers, "set-cookie") == "evil=1", headers)


def test_traps(up):
    status, headers, body = request(up, "GET", "/trap")
    rid = header(headers, "x-request-id")
    check("trap: 500 with the request id", status == 500 and rid and rid.encode() in body, (status, body))
    status, headers, body = request(up, "GET", "/trap?partial=1")
    check("trap: output before the trap is never sent", status == 500 and b"partial" not in body.lower()
          and header(headers, "x-partial") is None, (status, headers, body))
    status, _, _ = request(up, "GET", "/status")
    check("trap: other routes keep serving", status == 200, status)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="wasmops-wagi-")
    try:
        write_app(work, args.data)
        up = UpProcess(args.wasmops, work, extra=["--env", "OVERRIDDEN=from-cli", "--tier", "fast"], admin=False)
        ok = up.wait_serving()
        check("up: serving", ok, "\n".join(up.stderr()[-20:]))
        if not ok:
            up.stop()
            return 1
        for t in [test_env, test_body, test_status, test_files, test_stderr, test_bad_responses, test_injection,
                  test_traps]:
            try:
                t(up)
            except Exception as e:  # a dropped connection is a failure, not a crash of the test
                check(f"{t.__name__}: no exception", False, repr(e))
        rc = up.stop()
        check("up: SIGTERM exits 0", rc == 0, rc)
        check("up: said it stopped", any(l == "Stopped" for l in up.stderr()), up.stderr()[-5:])
        shutil.rmtree(up.cache, ignore_errors=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
