#!/usr/bin/env python3
"""`wasmops up` under hostile guests and hostile clients.

- an infinite loop answers 504 at its deadline while a healthy route under
  load keeps 0 errors (time slicing: the loop never holds a thread);
- a memory bomb answers 500 (both the guest that aborts when malloc fails
  and the one that retries forever);
- 1,000 traps in a row leave the host healthy and its memory flat;
- malformed HTTP (conflicting Content-Length and Transfer-Encoding, repeated
  Content-Length, oversized headers, bad chunk sizes, invalid methods, no
  Host, absolute-form targets, NUL in a header) gets 400/431 and
  never reaches a guest (the guest counter does not move);
- a slowloris client is cut off at --request-timeout without blocking others;
- SIGTERM under load drains: every request in flight is answered, exit 0.

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed.
"""
import argparse
import http.client
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from up_process import FAILURES, check, metric_value, raw_exchange, status_of, UpProcess  # noqa: E402


ROUTES = {"/ok": "status", "/loop": "loop", "/bomb": "bomb", "/trap": "trap", "/sleepy": "sleepy"}


def write_app(folder, data):
    text = 'spin_manifest_version = 2\n[application]\nname = "reliability"\n'
    for route, guest in ROUTES.items():
        cid = route.strip("/")
        shutil.copy(os.path.join(data, "wagi", guest + ".wasm"), os.path.join(folder, cid + ".wasm"))
        text += (f'\n[[trigger.http]]\nroute = "{route}"\ncomponent = "{cid}"\nexecutor = {{ type = "wagi" }}\n'
                 f'[component.{cid}]\nsource = "{cid}.wasm"\n')
    with open(os.path.join(folder, "spin.toml"), "w") as f:
        f.write(text)


def get(port, path, method="GET", body=None, timeout=30):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def scrape(up):
    c = http.client.HTTPConnection("127.0.0.1", up.admin_port, timeout=10)
    c.request("GET", "/metrics")
    text = c.getresponse().read().decode()
    c.close()
    return text


def guest_requests(up):
    """Requests a guest answered, summed over components and statuses."""
    total = 0.0
    for line in scrape(up).splitlines():
        if line.startswith("wasmops_http_requests_total{"):
            total += float(line.rsplit(" ", 1)[1])
    return total


class Load:
    """Threads hitting one route until stopped; counts statuses and errors, keeps the worst latency."""

    def __init__(self, port, path, threads=4):
        self.port, self.path = port, path
        self.ok = self.errors = 0
        self.worst = 0.0
        self.details = []
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._threads = [threading.Thread(target=self._run, daemon=True) for _ in range(threads)]
        for t in self._threads:
            t.start()

    def _run(self):
        c = None
        while not self._stop.is_set():
            t0 = time.time()
            try:
                if c is None:
                    c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                c.request("GET", self.path)
                r = c.getresponse()
                r.read()
                good = r.status == 200
                detail = r.status
            except Exception as e:  # noqa: BLE001
                good, detail = False, repr(e)
                c = None
            dt = time.time() - t0
            with self._lock:
                self.worst = max(self.worst, dt)
                if good:
                    self.ok += 1
                else:
                    self.errors += 1
                    self.details.append(detail)

    def stop(self):
        self._stop.set()
        for t in self._threads:
            t.join(15)


def test_loop(up):
    load = Load(up.port, "/ok")
    time.sleep(0.3)
    results = {}

    def hit(i):
        t0 = time.time()
        results[i] = (get(up.port, "/loop")[0], time.time() - t0)

    hitters = [threading.Thread(target=hit, args=(i,)) for i in range(3)]
    for h in hitters:
        h.start()
    for h in hitters:
        h.join(30)
    load.stop()
    check("loop: 504 at the deadline", all(s == 504 and 0.9 < dt < 5 for s, dt in results.values()), results)
    check("loop: the healthy route kept 0 errors", load.errors == 0 and load.ok > 20,
          f"ok={load.ok} errors={load.errors} {load.details[:5]}")
    check("loop: the healthy route was never held up by a loop (worst < 0.5 s)", load.worst < 0.5,
          f"worst {load.worst:.3f} s")
    text = scrape(up)
    check("loop: counted in wasmops_guest_timeouts_total",
          metric_value(text, "wasmops_guest_timeouts_total", {"component": "loop"}) == 3.0)


def test_bomb(up):
    status, body = get(up.port, "/bomb")
    check("bomb: 500", status == 500, (status, body[:200]))
    t0 = time.time()
    status, body = get(up.port, "/bomb?on_fail=retry")
    dt = time.time() - t0
    check("bomb (retrying): 500 at the limit, well before the deadline", status == 500 and dt < 1.0, (status, dt))
    check("bomb: counted in wasmops_guest_memory_limit_kills_total",
          metric_value(scrape(up), "wasmops_guest_memory_limit_kills_total", {"component": "bomb"}) == 2.0)
    check("bomb: the host still serves", get(up.port, "/ok")[0] == 200)


def test_traps(up):
    for _ in range(20):
        get(up.port, "/trap")
    rss0 = up.rss_kib()
    statuses = {}
    c = http.client.HTTPConnection("127.0.0.1", up.port, timeout=10)
    for _ in range(1000):
        c.request("GET", "/trap")
        r = c.getresponse()
        r.read()
        statuses[r.status] = statuses.get(r.status, 0) + 1
    c.close()
    rss1 = up.rss_kib()
    check("traps: 1,000 in a row, all 500", statuses == {500: 1000}, statuses)
    check("traps: the host is healthy after", get(up.port, "/ok")[0] == 200)
    check("traps: RSS flat (< 10 MiB growth)", rss1 - rss0 < 10 * 1024, f"{rss0} -> {rss1} KiB")
    check("traps: counted", metric_value(scrape(up), "wasmops_guest_traps_total", {"component": "trap"}) == 1020.0)


MALFORMED = {
    "content-length and transfer-encoding":
        b"POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
    "two content-lengths":
        b"POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\nContent-Length: 5\r\n\r\nabcde",
    "content-length list": b"POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 4, 5\r\n\r\nabcde",
    "negative content-length": b"POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
    "bad chunk size": b"POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n",
    "chunk size overflow":
        b"POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\na\r\n0\r\n\r\n",
    "gzip transfer-encoding": b"POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
    "obfuscated transfer-encoding":
        b"POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\nContent-Length: 3\r\n\r\nabc",
    "invalid method": b"G(ET /ok HTTP/1.1\r\nHost: x\r\n\r\n",
    "space in target": b"GET /o k HTTP/1.1\r\nHost: x\r\n\r\n",
    "bad version": b"GET /ok HTTP/9.9\r\nHost: x\r\n\r\n",
    "no host": b"GET /ok HTTP/1.1\r\n\r\n",
    "two hosts": b"GET /ok HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n",
    "absolute-form target": b"GET http://evil/ok HTTP/1.1\r\nHost: x\r\n\r\n",
    "NUL in header": b"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n",
    "space before colon": b"GET /ok HTTP/1.1\r\nHost: x\r\nX-A : 1\r\n\r\n",
    "bare LF in header value": b"GET /ok HTTP/1.1\r\nHost: x\r\nX-A: a\nX-B: b\r\n\r\n",
}


def test_malformed(up):
    before = guest_requests(up)
    for name, data in MALFORMED.items():
        raw = raw_exchange(up.port, data, timeout=5)
        st = status_of(raw)
        check(f"malformed {name}: 400 (or refused)", st in (400, None) and b"status test" not in raw,
              raw[:200])
    big = b"GET /ok HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (64 * 1024) + b"\r\n\r\n"
    raw = raw_exchange(up.port, big, timeout=5)
    check("malformed oversized header: 431", status_of(raw) == 431, raw[:200])
    many = b"GET /ok HTTP/1.1\r\nHost: x\r\n" + b"".join(b"X-%d: v\r\n" % i for i in range(5000)) + b"\r\n"
    raw = raw_exchange(up.port, many, timeout=5)
    check("malformed 5,000 headers: 431", status_of(raw) == 431, raw[:200])
    # A smuggling attempt: the second request must never be read out of the first one's body.
    smuggle = (b"POST /ok HTTP/1.1\r\nHost: x\r\nContent-Length: 44\r\nTransfer-Encoding: chunked\r\n\r\n"
               b"0\r\n\r\nGET /trap HTTP/1.1\r\nHost: x\r\n\r\n")
    raw = raw_exchange(up.port, smuggle, timeout=5)
    check("smuggling: one 400, the hidden request is never served", status_of(raw) == 400 and raw.count(b"HTTP/1.1") == 1,
          raw[:300])
    after = guest_requests(up)
    check("malformed: no request reached a guest", after == before, f"{before} -> {after}")
    check("malformed: counted as bad_request",
          (metric_value(scrape(up), "wasmops_http_rejected_total", {"reason": "bad_request"}) or 0) >= len(MALFORMED))
    # A well-formed chunked request is served.
    raw = raw_exchange(up.port, b"POST /ok HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                                b"3\r\nabc\r\n0\r\n\r\n", timeout=5)
    check("chunked request body is served", status_of(raw) == 200, raw[:200])
    # Pipelining: two requests in one write, two responses in order.
    raw = raw_exchange(up.port, b"GET /ok?status=201 HTTP/1.1\r\nHost: x\r\n\r\n"
                                b"GET /ok?status=202 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n", timeout=5)
    check("pipelining: both answered in order", raw.find(b"HTTP/1.1 201") >= 0 and
          raw.find(b"HTTP/1.1 201") < raw.find(b"HTTP/1.1 202"), raw[:400])


def test_slowloris(up):
    socks = []
    for _ in range(20):
        s = socket.create_connection(("127.0.0.1", up.port))
        s.sendall(b"GET /ok HTTP/1.1\r\nHost: x\r\n")
        socks.append(s)
    t0 = time.time()
    ok = sum(1 for _ in range(20) if get(up.port, "/ok", timeout=5)[0] == 200)
    check("slowloris: others are served meanwhile", ok == 20 and time.time() - t0 < 5, ok)
    # Keep trickling header bytes: the whole request must arrive within --request-timeout (2 s).
    closed_at = {}
    t0 = time.time()
    while time.time() - t0 < 6 and len(closed_at) < len(socks):
        for i, s in enumerate(socks):
            if i in closed_at:
                continue
            try:
                s.sendall(b"X-Slow: 1\r\n")
                s.settimeout(0.01)
                if s.recv(4096) == b"":
                    closed_at[i] = time.time() - t0
            except socket.timeout:
                pass
            except OSError:
                closed_at[i] = time.time() - t0
        time.sleep(0.2)
    for s in socks:
        s.close()
    check("slowloris: every slow client cut off within ~2 s", len(closed_at) == len(socks) and
          max(closed_at.values()) < 4, closed_at)
    check("slowloris: counted as timeout",
          (metric_value(scrape(up), "wasmops_http_rejected_total", {"reason": "timeout"}) or 0) >= len(socks))


def test_drain(wasmops, app):
    up = UpProcess(wasmops, app, extra=["--tier", "fast", "--drain-ms", "20000", "--access-log", "off"])
    check("drain: serving", up.wait_serving())
    results, lock = [], threading.Lock()

    def client():
        try:
            st, body = get(up.port, "/sleepy?ms=3000", timeout=40)
        except Exception as e:  # noqa: BLE001
            st, body = repr(e), b""
        with lock:
            results.append((st, body))

    threads = [threading.Thread(target=client) for _ in range(16)]
    for t in threads:
        t.start()
    # SIGTERM once all 16 are in flight (admitted: running or queued). Each computes for 3 s of wall time, so the
    # first cannot finish before the last is admitted even when a loaded CI machine is slow to start 16 clients.
    deadline = time.time() + 10
    in_flight = 0
    while time.time() < deadline:
        text = scrape(up)
        in_flight = (metric_value(text, "wasmops_active_instances") or 0) + \
            (metric_value(text, "wasmops_request_queue_depth") or 0)
        if in_flight >= 16:
            break
        time.sleep(0.01)
    check("drain: 16 requests in flight before SIGTERM", in_flight >= 16, in_flight)
    up.proc.send_signal(signal.SIGTERM)
    time.sleep(0.1)
    try:
        refused = get(up.port, "/ok", timeout=2)[0]
    except OSError:
        refused = "refused"
    for t in threads:
        t.join(40)
    rc = up.stop(timeout=40)
    statuses = [st for st, _ in results]
    check("drain: every request in flight answered 200", statuses == [200] * 16, statuses)
    check("drain: new connections refused while draining", refused == "refused", refused)
    check("drain: exit 0", rc == 0, rc)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--data", required=True)
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="wasmops-reliability-")
    try:
        write_app(work, args.data)
        up = UpProcess(args.wasmops, work, extra=["--tier", "fast", "--deadline", "1s", "--max-memory", "32MiB",
                                                   "--request-timeout", "2s", "--access-log", "off",
                                                   "--guest-log", "off"])
        ok = up.wait_serving()
        check("up: serving", ok, "\n".join(up.stderr()[-20:]))
        if not ok:
            up.stop()
            return 1
        for t in [test_loop, test_bomb, test_traps, test_malformed, test_slowloris]:
            try:
                t(up)
            except Exception as e:  # noqa: BLE001
                check(f"{t.__name__}: no exception", False, repr(e))
            check(f"{t.__name__}: host alive", up.proc.poll() is None)
        rc = up.stop()
        check("up: SIGTERM exits 0", rc == 0, f"{rc}; stderr ends: {up.stderr()[-8:]}")
        test_drain(args.wasmops, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{len(FAILURES)} failed" if FAILURES else "all passed")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
