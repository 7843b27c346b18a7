#!/usr/bin/env python3
"""`wasmops up --admin`: the metrics a real Prometheus sees.

Serves the hello-wagi example on free loopback ports, sends it a few requests
(200s, a 404, a POST with a body), then
  (a) scrapes the admin listener itself: `promtool check metrics` accepts the
      text, and the counters and histograms say exactly what was sent; the
      health endpoints answer; the admin listener refuses what it does not serve;
  (b) starts a real `prometheus` scraping the admin listener every second and
      reads the same values back through its HTTP API;
and ends both with SIGTERM (wasmops must exit 0 and say "Stopped").

Prints one line per check ("ok" or "FAIL"); exits 1 if any failed, 77 when
promtool or prometheus is not installed.
"""
import argparse
import json
import os
import queue
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request

FAILURES = []


def check(name, cond, detail=""):
    print(("ok   " if cond else "FAIL ") + name + (f"\n     {detail}" if detail and not cond else ""), flush=True)
    if not cond:
        FAILURES.append(name)
    return cond


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(method, url, body=None, timeout=10):
    """(status, headers, body bytes); HTTP errors are answers too."""
    req = urllib.request.Request(url, data=body, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


class Lines:
    """Collects a pipe's lines on a thread; wait_for() blocks until one matches."""

    def __init__(self, pipe):
        self.lines = []
        self._new = queue.Queue()
        self._thread = threading.Thread(target=self._read, args=(pipe,), daemon=True)
        self._thread.start()

    def _read(self, pipe):
        for raw in pipe:
            line = raw.decode(errors="replace").rstrip("\n")
            self.lines.append(line)
            self._new.put(line)
        self._new.put(None)

    def wait_for(self, pattern, timeout):
        for line in list(self.lines):
            if m := re.search(pattern, line):
                return m
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                line = self._new.get(timeout=left)
            except queue.Empty:
                break
            if line is None:
                break
            if m := re.search(pattern, line):
                return m
        return None

    def join(self, timeout=10):
        self._thread.join(timeout)


def parse_metrics(text):
    """{(name, frozenset of label pairs): value} from the text exposition format."""
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$', line)
        if not m:
            samples[("unparsable", frozenset({("line", line)}))] = 0
            continue
        labels = frozenset(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(2) or ""))
        samples[(m.group(1), labels)] = float(m.group(3))
    return samples


def value(samples, name, **labels):
    return samples.get((name, frozenset(labels.items())))


def expected_series(routes):
    """{(component, route, status): count} the requests below must produce."""
    return {(c, r, "200"): n for (c, r), n in routes.items()}


def check_scrape(samples, routes, no_route, body_len, version):
    for (component, route), n in routes.items():
        got = value(samples, "wasmops_http_requests_total", component=component, route=route, status="200")
        check(f"/metrics: wasmops_http_requests_total{{component={component},route={route},status=200}} == {n}",
              got == n, f"got {got}")
        count = value(samples, "wasmops_http_request_duration_seconds_count", component=component, route=route)
        inf = value(samples, "wasmops_http_request_duration_seconds_bucket", component=component, route=route,
                    le="+Inf")
        check(f"/metrics: request duration histogram of {component}: _count == +Inf bucket == {n}",
              count == n and inf == n, f"_count {count}, +Inf bucket {inf}")
        total = value(samples, "wasmops_http_request_duration_seconds_sum", component=component, route=route)
        check(f"/metrics: request duration _sum of {component} is positive and below 60 s",
              total is not None and 0 < total < 60, f"_sum {total}")
        # Buckets are cumulative: never decreasing towards +Inf.
        buckets = sorted(
            (float(dict(k[1])["le"]), v) for k, v in samples.items()
            if k[0] == "wasmops_http_request_duration_seconds_bucket" and dict(k[1]).get("component") == component)
        check(f"/metrics: request duration buckets of {component} are cumulative",
              len(buckets) > 2 and all(a[1] <= b[1] for a, b in zip(buckets, buckets[1:])), str(buckets))
        inst = value(samples, "wasmops_instantiation_duration_seconds_count", component=component)
        check(f"/metrics: instantiation histogram of {component} counts one instance per request ({n})", inst == n,
              f"got {inst}")
        mem = value(samples, "wasmops_guest_memory_bytes", component=component)
        check(f"/metrics: wasmops_guest_memory_bytes of {component} is whole 64 KiB pages",
              mem is not None and mem > 0 and mem % 65536 == 0, f"got {mem}")
    series = {dict(k[1])["component"] for k in samples if k[0] == "wasmops_http_requests_total"}
    check("/metrics: wasmops_http_requests_total has no other series", series == {c for c, _ in routes},
          f"components {sorted(series)}")
    got = value(samples, "wasmops_http_rejected_total", reason="no_route")
    check(f"/metrics: wasmops_http_rejected_total{{reason=no_route}} == {no_route}", got == no_route, f"got {got}")
    others = {dict(k[1])["reason"]: v for k, v in samples.items()
              if k[0] == "wasmops_http_rejected_total" and dict(k[1])["reason"] != "no_route"}
    check("/metrics: every other reject reason is exported as 0",
          len(others) == 6 and all(v == 0 for v in others.values()), str(others))
    got = value(samples, "wasmops_http_request_bytes_total", direction="in")
    check(f"/metrics: wasmops_http_request_bytes_total{{direction=in}} == {body_len}", got == body_len, f"got {got}")
    got = value(samples, "wasmops_http_request_bytes_total", direction="out")
    check("/metrics: wasmops_http_request_bytes_total{direction=out} > 0", got is not None and got > 0, f"got {got}")
    info = [(dict(k[1]), v) for k, v in samples.items() if k[0] == "wasmops_build_info"]
    check("/metrics: wasmops_build_info{version} == 1, once",
          len(info) == 1 and info[0][1] == 1 and re.fullmatch(r"\d+\.\d+\.\d+.*", info[0][0].get("version", "")) is not None
          and (version is None or version in info[0][0]["version"]),
          f"{info}, wasmops --version: {version}")
    for gauge in ("wasmops_active_instances", "wasmops_request_queue_depth"):
        got = value(samples, gauge)
        check(f"/metrics: {gauge} == 0 when idle", got == 0, f"got {got}")
    check("/metrics: every line parses", not any(k[0] == "unparsable" for k in samples),
          str([dict(k[1]) for k in samples if k[0] == "unparsable"][:3]))


def prometheus_api(port, path, **params):
    url = f"http://127.0.0.1:{port}/api/v1/{path}" + ("?" + urllib.parse.urlencode(params) if params else "")
    status, _, body = http("GET", url, timeout=5)
    if status != 200:
        return None
    return json.loads(body)


def run_prometheus(work, admin, routes, deadline):
    """Scrapes `admin` with a real Prometheus; checks its API sees the host's values."""
    config = os.path.join(work, "prometheus.yml")
    with open(config, "w") as f:
        f.write("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  evaluation_interval: 1s\n"
                "scrape_configs:\n  - job_name: wasmops\n    static_configs:\n"
                f"      - targets: ['{admin}']\n")
    log_path = os.path.join(work, "prometheus.log")
    for _attempt in range(3):  # a free port may be taken again before prometheus binds it
        port = free_port()
        log = open(log_path, "w")
        proc = subprocess.Popen(
            ["prometheus", f"--config.file={config}", f"--storage.tsdb.path={os.path.join(work, 'tsdb')}",
             f"--web.listen-address=127.0.0.1:{port}", "--log.level=warn"],
            stdout=log, stderr=subprocess.STDOUT, cwd=work)
        log.close()
        end = time.monotonic() + 30
        ready = False
        while time.monotonic() < end and proc.poll() is None:
            try:
                if http("GET", f"http://127.0.0.1:{port}/-/ready", timeout=2)[0] == 200:
                    ready = True
                    break
            except OSError:
                pass
            time.sleep(0.2)
        if ready or proc.poll() is None:
            break
        proc.wait()
    try:
        if not check("prometheus: ready", ready, open(log_path).read()[-2000:]):
            return

        target = None
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            got = prometheus_api(port, "targets")
            active = (got or {}).get("data", {}).get("activeTargets", [])
            target = next((t for t in active if t.get("scrapeUrl", "").startswith(f"http://{admin}/")), None)
            if target and target.get("health") == "up":
                break
            time.sleep(0.5)
        check("prometheus: /api/v1/targets shows the admin listener up",
              target is not None and target.get("health") == "up", json.dumps(target))
        check("prometheus: scrape of /metrics without error", target is not None and not target.get("lastError"),
              (target or {}).get("lastError", ""))
        check("prometheus: target scrapes /metrics", target is not None and target["scrapeUrl"] == f"http://{admin}/metrics",
              (target or {}).get("scrapeUrl", ""))

        want = {k: float(v) for k, v in expected_series(routes).items()}
        seen = {}
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            got = prometheus_api(port, "query", query="wasmops_http_requests_total")
            if got and got.get("status") == "success":
                seen = {(r["metric"].get("component"), r["metric"].get("route"), r["metric"].get("status")):
                        float(r["value"][1]) for r in got["data"]["result"]}
                if seen == want:
                    break
            time.sleep(0.5)
        check("prometheus: query wasmops_http_requests_total returns the host's counts", seen == want,
              f"want {want}, got {seen}")

        def scalar(query):
            got = prometheus_api(port, "query", query=query)
            result = (got or {}).get("data", {}).get("result", [])
            return float(result[0]["value"][1]) if len(result) == 1 else None

        got = scalar('wasmops_http_rejected_total{reason="no_route"}')
        check("prometheus: wasmops_http_rejected_total{reason=no_route} == 1", got == 1, f"got {got}")
        got = scalar("sum(wasmops_http_request_duration_seconds_count)")
        check(f"prometheus: sum of the duration histograms' _count == {sum(routes.values())}",
              got == sum(routes.values()), f"got {got}")
        got = scalar('histogram_quantile(0.5, sum by (le) (wasmops_http_request_duration_seconds_bucket))')
        check("prometheus: histogram_quantile over the duration buckets is a number in (0, 10]",
              got is not None and 0 < got <= 10, f"got {got}")
        got = scalar("wasmops_build_info")
        check("prometheus: wasmops_build_info == 1", got == 1, f"got {got}")
        got = scalar('up{job="wasmops"}')
        check("prometheus: up{job=wasmops} == 1", got == 1, f"got {got}")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        check("prometheus: stopped by SIGTERM", proc.returncode == 0, f"exit {proc.returncode}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--app", required=True, help="the built hello-wagi folder (spin.toml, hello.wasm, echo.wasm)")
    a = ap.parse_args()
    missing = [t for t in ("promtool", "prometheus") if shutil.which(t) is None]
    if missing:
        print(f"skipped: {' and '.join(missing)} not installed (Debian: apt-get install prometheus)")
        return 77
    wasmops = os.path.abspath(a.wasmops)
    app = os.path.abspath(a.app)
    with open(os.path.join(app, "spin.toml")) as f:
        has_echo = "[component.echo]" in f.read()
    version = None
    p = subprocess.run([wasmops, "--version"], capture_output=True, text=True, timeout=30)
    if m := re.search(r"(\d+\.\d+\.\d+\S*)", p.stdout + p.stderr):
        version = m.group(1)

    with tempfile.TemporaryDirectory(prefix="wasmops-prometheus-") as work:
        env = dict(os.environ, XDG_CACHE_HOME=os.path.join(work, "cache"), WASMOPS_BACKGROUND_COMPILE="0")
        # Port 0 for both listeners: the kernel's choice, read back from the
        # "Serving" and "Admin" lines, so no other test can race for them.
        proc = subprocess.Popen([wasmops, "up", "-f", app, "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, cwd=work)
        out, err = Lines(proc.stdout), Lines(proc.stderr)
        try:
            serving = out.wait_for(r"^Serving http://(\S+)$", 120)
            admin_m = out.wait_for(r"^Admin: http://(\S+) ", 10)
            if not check("wasmops up: prints 'Serving http://...' and 'Admin: http://...'",
                         serving is not None and admin_m is not None, "\n".join(out.lines + err.lines)[-3000:]):
                return 1
            base, admin = f"http://{serving.group(1)}", admin_m.group(1)

            # The requests whose traces the metrics must show.
            routes = {("hello", "/hello"): 0}
            for path in ("/hello", "/hello", "/hello?name=Prometheus"):
                status, _, body = http("GET", base + path)
                check(f"GET {path}: 200", status == 200, f"{status} {body[:200]!r}")
                routes[("hello", "/hello")] += 1
            check("GET /hello?name=...: greets by name", body == b"Hello, Prometheus!\n", repr(body))
            status, _, body = http("GET", base + "/no/such/route")
            check("GET /no/such/route: 404", status == 404, f"{status} {body[:200]!r}")
            payload = b"x=1&y=" + b"z" * 1000
            if has_echo:
                status, _, body = http("POST", base + "/echo/post?q=1", payload)
                check("POST /echo/post with a body: 200", status == 200, f"{status} {body[:200]!r}")
                echoed = json.loads(body) if status == 200 else {}
                check("POST /echo/post: the guest saw the whole body",
                      echoed.get("env", {}).get("CONTENT_LENGTH") == str(len(payload)), str(echoed)[:300])
                status, _, body = http("GET", base + "/echo/get")
                check("GET /echo/get: 200", status == 200, f"{status} {body[:200]!r}")
                routes[("echo", "/echo/...")] = 2
            else:
                status, _, body = http("POST", base + "/hello", payload)
                check("POST /hello with a body: 200", status == 200, f"{status} {body[:200]!r}")
                routes[("hello", "/hello")] += 1

            # (a) The scrape itself.
            status, headers, body = http("GET", f"http://{admin}/metrics")
            check("admin GET /metrics: 200", status == 200, str(status))
            check("admin GET /metrics: Content-Type text/plain; version=0.0.4",
                  headers.get("Content-Type") == "text/plain; version=0.0.4; charset=utf-8",
                  headers.get("Content-Type"))
            text = body.decode()
            lint = subprocess.run(["promtool", "check", "metrics"], input=text, capture_output=True, text=True,
                                  timeout=60)
            check("promtool check metrics: exit 0, no problems",
                  lint.returncode == 0 and not lint.stdout.strip() and not lint.stderr.strip(),
                  f"exit {lint.returncode}: {lint.stdout}{lint.stderr}")
            check_scrape(parse_metrics(text), routes, 1, len(payload), version)

            access = [json.loads(line) for line in out.lines if line.startswith("{")]
            check(f"access log: one JSON line per request ({sum(routes.values()) + 1})",
                  len(access) == sum(routes.values()) + 1, "\n".join(out.lines))
            check("access log: the 404 has no route and no component",
                  any(r.get("status") == 404 and r.get("route") == "" and r.get("component") == "" for r in access),
                  str(access))

            for path, want in (("/healthz", 200), ("/readyz", 200), ("/nothing-here", 404)):
                status, _, body = http("GET", f"http://{admin}{path}")
                check(f"admin GET {path}: {want}", status == want, f"{status} {body!r}")
            status, headers, _ = http("POST", f"http://{admin}/metrics", b"x")
            check("admin POST /metrics: 405 with Allow: GET, HEAD",
                  status == 405 and headers.get("Allow") == "GET, HEAD", f"{status} Allow: {headers.get('Allow')}")
            status, _, body = http("HEAD", f"http://{admin}/metrics")
            check("admin HEAD /metrics: 200, no body", status == 200 and body == b"", f"{status} {body[:100]!r}")

            # (b) A real Prometheus server.
            run_prometheus(work, admin, routes, deadline=60)

            # Scrapes are not requests: the app's counters did not move.
            status, _, body = http("GET", f"http://{admin}/metrics")
            after = parse_metrics(body.decode())
            check("admin scrapes do not count as app requests",
                  sum(v for k, v in after.items() if k[0] == "wasmops_http_requests_total") == sum(routes.values()),
                  str({k: v for k, v in after.items() if k[0] == "wasmops_http_requests_total"}))
        finally:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            out.join()
            err.join()
        check("wasmops up: SIGTERM exits 0", proc.returncode == 0,
              f"exit {proc.returncode}, stderr: {chr(10).join(err.lines)[-2000:]}")
        check("wasmops up: prints 'Stopped' on stderr", "Stopped" in err.lines, "\n".join(err.lines)[-2000:])

    print(f"{len(FAILURES)} failures")
    return 1 if FAILURES else 0


if __name__ == "__main__":
    sys.exit(main())
