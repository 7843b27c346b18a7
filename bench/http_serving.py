#!/usr/bin/env python3
"""HTTP serving: `wasmops up` next to nginx, cold start, and 1,000-component density.

    bench/http.sh [--wasmops build/release/apps/wasmops/wasmops] [--build build/release]
                          [--duration 10] [--connections 50] [--skip-density] [--markdown FILE]

1. Throughput: `wrk -t2 -c50 -d10s` on examples/hello-wagi's /hello (a fresh
   instance per request, the optimized tier, admin listener on, access log
   off), on examples/hello-http-c's wasi:http component (the same, through
   the wasi:http executor), and on nginx-light returning the WAGI body with
   access_log off, in turns (nginx, WAGI, wasi:http, nginx, ...) in one
   run; the ratios of the medians are the figures. The components are
   built with jco (tests/cli/real_components.py); without jco the wasi:http
   rows are left out.
2. Latency at 70% of our own maximum: wrk paced by a Lua delay() so that
   the offered rate is about 0.7 x the measured maximum; p50/p99 from
   wrk --latency.
3. Cold start: `wasmops up` started afresh (artifact cached, as after any
   first run), the first request of the component timed from the client
   on a new connection, 15 times; median, next to the second request.
4. The JavaScript wasi:http component (examples/hello-http-js, 14 MB,
   componentize-js) under `wasmops serve` (fast tier: its 12 MB core
   module) and under `jco serve --isolate-requests instance` (what it
   needs to answer more than one request), wrk -t2 -c10.
5. Density: one `up` with 1,000 distinct components (generated modules,
   each answering its own text) on 1,000 routes: idle RSS, RSS per
   component against a 1-component app, time to ready, and the first
   request of every component (median, p99).

Needs wrk and nginx (Debian: wrk, nginx-light); prints a markdown report.
"""
import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "cli"))
from wasm_encoding import leb128, section, sleb128  # noqa: E402
import real_components  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

HELLO_BODY = "Hello, world!\n"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def http_get(port, path, timeout=10):
    """One request on a new connection; returns (status, body, seconds)."""
    t0 = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while True:
            b = s.recv(65536)
            if not b:
                break
            data += b
    dt = time.perf_counter() - t0
    m = re.match(rb"HTTP/1\.1 (\d+)", data)
    return (int(m.group(1)) if m else None), data.split(b"\r\n\r\n", 1)[-1], dt


class Up:
    def __init__(self, wasmops, app, cache, extra=(), command="up"):
        self.port = free_port()
        source = ["-f", app] if command == "up" else [app]
        argv = [wasmops, command, *source, "--listen", f"127.0.0.1:{self.port}", "--admin", f"127.0.0.1:{free_port()}",
                "--access-log", "off", "--quiet", *extra]
        self.t0 = time.perf_counter()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     env=dict(os.environ, XDG_CACHE_HOME=cache))
        self.ready_after = None
        for raw in self.proc.stdout:
            if raw.startswith(b"Serving http://"):
                self.ready_after = time.perf_counter() - self.t0
                break
        if self.ready_after is None:
            raise RuntimeError("wasmops up did not start: " + self.proc.stderr.read().decode()[-2000:])

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


class Nginx:
    def __init__(self, workdir):
        self.port = free_port()
        os.makedirs(os.path.join(workdir, "logs"), exist_ok=True)
        conf = os.path.join(workdir, "nginx.conf")
        with open(conf, "w") as f:
            f.write(f"""
worker_processes auto;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  keepalive_requests 1000000;
  client_body_temp_path {workdir}/body;
  proxy_temp_path {workdir}/proxy;
  fastcgi_temp_path {workdir}/fastcgi;
  uwsgi_temp_path {workdir}/uwsgi;
  scgi_temp_path {workdir}/scgi;
  server {{
    listen 127.0.0.1:{self.port};
    location = /hello {{ default_type text/plain; return 200 "{HELLO_BODY.rstrip()}\\n"; }}
  }}
}}
""")
        self.proc = subprocess.Popen(["nginx", "-p", workdir, "-c", conf, "-g", "daemon off;"],
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        for _ in range(100):
            try:
                if http_get(self.port, "/hello")[0] == 200:
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("nginx did not start")

    def stop(self):
        self.proc.send_signal(signal.SIGQUIT)
        self.proc.wait(30)


def wrk(port, path, duration, connections, threads=2, script=None):
    argv = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{duration}s", "--latency"]
    if script:
        argv += ["-s", script]
    out = subprocess.run(argv + [f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))

    def pct(p):
        m = re.search(rf"^\s+{p}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        v = float(m.group(1))
        return v / 1000 if m.group(2) == "us" else v * 1000 if m.group(2) == "s" else v

    errors = 0
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    if m:
        errors += int(m.group(1))
    m = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    if m:
        errors += sum(int(x) for x in m.groups())
    return {"rps": rps, "p50": pct(50), "p99": pct(99), "errors": errors, "raw": out}


def paced_script(workdir, delay_ms):
    path = os.path.join(workdir, f"pace-{delay_ms}.lua")
    with open(path, "w") as f:
        f.write(f"function delay()\n  return {delay_ms}\nend\n")
    return path


def wagi_module(text):
    """A WASI command that writes `text` (a whole CGI response) to stdout with one fd_write."""
    data = text.encode()
    types = section(1, leb128(2) + b"\x60\x04\x7f\x7f\x7f\x7f\x01\x7f" + b"\x60\x00\x00")
    name = b"wasi_snapshot_preview1"
    imports = section(2, leb128(1) + leb128(len(name)) + name + leb128(8) + b"fd_write" + b"\x00" + leb128(0))
    funcs = section(3, leb128(1) + leb128(1))
    memory = section(5, leb128(1) + b"\x00" + leb128(1))
    exports = section(7, leb128(2) + leb128(6) + b"memory" + b"\x02" + leb128(0) +
                      leb128(6) + b"_start" + b"\x00" + leb128(1))
    body = (b"\x00"
            + b"\x41" + sleb128(0) + b"\x41" + sleb128(16) + b"\x36\x02\x00"
            + b"\x41" + sleb128(4) + b"\x41" + sleb128(len(data)) + b"\x36\x02\x00"
            + b"\x41" + sleb128(1) + b"\x41" + sleb128(0) + b"\x41" + sleb128(1) + b"\x41" + sleb128(8)
            + b"\x10" + leb128(0) + b"\x1a\x0b")
    code = section(10, leb128(1) + leb128(len(body)) + body)
    datas = section(11, leb128(1) + b"\x00\x41" + sleb128(16) + b"\x0b" + leb128(len(data)) + data)
    return b"\0asm\x01\0\0\0" + types + imports + funcs + memory + exports + code + datas


def write_many(folder, n):
    os.makedirs(folder, exist_ok=True)
    text = 'spin_manifest_version = 2\n[application]\nname = "density"\n'
    for i in range(n):
        with open(os.path.join(folder, f"c{i}.wasm"), "wb") as f:
            f.write(wagi_module(f"Content-Type: text/plain\n\ncomponent {i}\n"))
        text += (f'[[trigger.http]]\nroute = "/c{i}"\ncomponent = "c{i}"\nexecutor = {{ type = "wagi" }}\n'
                 f'[component.c{i}]\nsource = "c{i}.wasm"\n')
    with open(os.path.join(folder, "spin.toml"), "w") as f:
        f.write(text)


def component_apps(work):
    """(C app folder, JS component path) built with jco, or (None, None) without it."""
    jco = real_components.find_jco(real_components.pathlib.Path(ROOT))
    clang = shutil.which("clang")
    if not jco or not clang:
        return None, None, None
    folder = os.path.join(work, "hello-http-c")
    comp = real_components.http_c_component(ROOT, jco, clang, folder, os.path.join(ROOT, "examples/hello-http-c/hello.c"))
    with open(os.path.join(folder, "spin.toml"), "w") as f:
        f.write('spin_manifest_version = 2\n[application]\nname = "hello-http-c"\n[[trigger.http]]\nroute = "/hello"\n'
                f'component = "hello"\n[component.hello]\nsource = "{os.path.basename(comp)}"\n')
    js = real_components.http_js_component(ROOT, jco, os.path.join(work, "hello-http-js"),
                                           os.path.join(ROOT, "examples/hello-http-js/hello.js"))
    return folder, str(js), jco


def throughput(args, app, component_app, cache, work, report):
    nginx = Nginx(os.path.join(work, "nginx"))
    servers = {"nginx": nginx, "wasmops WAGI": Up(args.wasmops, app, cache, ["--tier", "optimized"])}
    if component_app:
        servers["wasmops wasi:http (C)"] = Up(args.wasmops, component_app, cache, ["--tier", "optimized"])
    try:
        for name, server in servers.items():  # warm-up; nginx and WAGI give the same body
            st, body, _ = http_get(server.port, "/hello")
            assert st == 200 and (body == HELLO_BODY.encode() or "wasi:http" in name), (name, st, body)
            wrk(server.port, "/hello", 2, args.connections)
        runs = {k: [] for k in servers}
        for _ in range(args.rounds):
            for name, server in servers.items():
                runs[name].append(wrk(server.port, "/hello", args.duration, args.connections))
        med = {k: statistics.median(r["rps"] for r in v) for k, v in runs.items()}
        report.append("### Throughput: a fresh instance per request, vs nginx-light\n")
        report.append(f"`wrk -t2 -c{args.connections} -d{args.duration}s --latency` on /hello, {args.rounds} rounds in turns. "
                      "WAGI: examples/hello-wagi (a WASI command module); wasi:http (C): examples/hello-http-c (a "
                      "component: 4 core modules, the preview1 adapter among them). Optimized tier.\n")
        report.append("| server | req/s (each round) | median req/s | p50 ms | p99 ms | errors | / nginx |")
        report.append("|---|---|---|---|---|---|---|")
        for k, v in runs.items():
            rounds = ", ".join(f"{r['rps']:.0f}" for r in v)
            report.append(f"| {k} | {rounds} | {med[k]:.0f} | "
                          f"{statistics.median(r['p50'] for r in v):.3f} | {statistics.median(r['p99'] for r in v):.3f} | "
                          f"{sum(r['errors'] for r in v)} | {med[k] / med['nginx']:.2f} |")
        report.append("\nGoal: >= 0.50 of nginx's requests/s.\n")

        # 70% of our own maximum, paced: each connection waits `delay` ms between requests.
        up = servers["wasmops WAGI"]
        target = 0.7 * med["wasmops WAGI"]
        delay = 5
        conns = max(2, round(target * (delay + 0.3) / 1000))
        paced = wrk(up.port, "/hello", args.duration, conns, script=paced_script(work, delay))
        for _ in range(2):  # one or two corrections of the connection count
            if abs(paced["rps"] - target) / target < 0.1:
                break
            conns = max(2, round(conns * target / max(paced["rps"], 1)))
            paced = wrk(up.port, "/hello", args.duration, conns, script=paced_script(work, delay))
        # nginx under the same paced load: what the machine (and wrk beside the server) gives.
        paced_nginx = wrk(nginx.port, "/hello", args.duration, conns, script=paced_script(work, delay))
        report.append(f"### Latency at 70% of the WAGI maximum ({target:.0f} req/s offered)\n")
        report.append(f"wrk paced with a {delay} ms Lua delay() on {conns} connections: {paced['rps']:.0f} req/s "
                      f"({paced['rps'] / med['wasmops WAGI'] * 100:.0f}% of max), p50 {paced['p50']:.3f} ms, "
                      f"**p99 {paced['p99']:.3f} ms** (goal <= 2 ms), errors {paced['errors']}. "
                      f"nginx under the same paced load: {paced_nginx['rps']:.0f} req/s, p50 {paced_nginx['p50']:.3f} ms, "
                      f"p99 {paced_nginx['p99']:.3f} ms.\n")
    finally:
        for server in servers.values():
            server.stop()


def javascript(args, js, jco, cache, work, report):
    """The JS component under wasmops serve and under jco serve --isolate-requests instance."""
    ours = Up(args.wasmops, js, cache, ["--tier", "fast"], command="serve")
    port = free_port()
    tmp = tempfile.mkdtemp(prefix="jco-serve-", dir=work)
    peer = subprocess.Popen(["node", jco, "serve", "--isolate-requests", "instance", "--port", str(port), js], cwd=tmp,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=dict(os.environ, TMPDIR=tmp),
                            start_new_session=True)
    try:
        for _ in range(120):
            try:
                if http_get(port, "/hello")[0] == 200:
                    break
            except OSError:
                time.sleep(0.5)
        rows = {}
        for name, p in (("wasmops serve (fast tier)", ours.port), ("jco serve --isolate-requests instance", port)):
            assert http_get(p, "/hello")[0] == 200, name
            rows[name] = wrk(p, "/hello", args.duration, 10)
        report.append("### JavaScript wasi:http component (examples/hello-http-js, componentize-js 0.22)\n")
        report.append(f"`wrk -t2 -c10 -d{args.duration}s --latency`; each request in a fresh instance under both.\n")
        report.append("| server | req/s | p50 ms | p99 ms | errors |\n|---|---|---|---|---|")
        for k, r in rows.items():
            report.append(f"| {k} | {r['rps']:.1f} | {r['p50']:.2f} | {r['p99']:.2f} | {r['errors']} |")
        a, b = rows["wasmops serve (fast tier)"]["rps"], rows["jco serve --isolate-requests instance"]["rps"]
        report.append(f"\nwasmops / jco serve: **{a / b:.1f}x**\n")
    finally:
        ours.stop()
        os.killpg(peer.pid, signal.SIGKILL)
        peer.wait()


def cold_start(args, app, cache, report, what="WAGI hello"):
    firsts, seconds, readies = [], [], []
    for _ in range(args.cold_runs):
        up = Up(args.wasmops, app, cache, ["--tier", "optimized"])
        try:
            st, _, dt = http_get(up.port, "/hello")
            assert st == 200
            firsts.append(dt * 1000)
            seconds.append(http_get(up.port, "/hello")[2] * 1000)
            readies.append(up.ready_after * 1000)
        finally:
            up.stop()
    report.append(f"### Cold start, {what} (artifact cached; process started afresh each time)\n")
    report.append(f"{args.cold_runs} starts: process start to ready {statistics.median(readies):.1f} ms (median); "
                  f"first request after ready **{statistics.median(firsts):.3f} ms** median "
                  f"(min {min(firsts):.3f}, max {max(firsts):.3f}; goal < 1 ms), second request "
                  f"{statistics.median(seconds):.3f} ms. Times are the client's, new TCP connection included.\n")


def density(args, cache, work, report):
    one = os.path.join(work, "one")
    many = os.path.join(work, "many")
    write_many(one, 1)
    write_many(many, args.components)
    base = Up(args.wasmops, one, cache, ["--tier", "fast"])
    time.sleep(0.5)
    rss_one = rss_kib(base.proc.pid)
    base.stop()
    up = Up(args.wasmops, many, cache, ["--tier", "fast"])  # the first start compiles; a second one is timed
    up.stop()
    up = Up(args.wasmops, many, cache, ["--tier", "fast"])
    try:
        time.sleep(0.5)
        rss_idle = rss_kib(up.proc.pid)
        lat = []
        for i in range(args.components):
            st, body, dt = http_get(up.port, f"/c{i}")
            assert st == 200 and body == f"component {i}\n".encode(), (i, st, body)
            lat.append(dt * 1000)
        rss_after = rss_kib(up.proc.pid)
    finally:
        up.stop()
    lat.sort()
    per = (rss_after - rss_one) / (args.components - 1)
    report.append(f"### Density: {args.components} distinct components on {args.components} routes, one process\n")
    report.append(f"| figure | value |\n|---|---|\n"
                  f"| ready after (artifacts cached) | {up.ready_after:.2f} s |\n"
                  f"| RSS, 1-component app | {rss_one / 1024:.1f} MiB |\n"
                  f"| RSS, {args.components} components, idle | {rss_idle / 1024:.1f} MiB |\n"
                  f"| RSS after one request to each | {rss_after / 1024:.1f} MiB |\n"
                  f"| RSS per component | **{per:.0f} KiB** (goal well under 50 MB) |\n"
                  f"| first request per component, median / p99 | {statistics.median(lat):.3f} / "
                  f"{lat[int(len(lat) * 0.99) - 1]:.3f} ms |\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--wasmops", default="build/release/apps/wasmops/wasmops")
    ap.add_argument("--build", default="build/release")
    ap.add_argument("--duration", type=int, default=10)
    ap.add_argument("--connections", type=int, default=50)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--cold-runs", type=int, default=15)
    ap.add_argument("--components", type=int, default=1000)
    ap.add_argument("--skip-density", action="store_true")
    ap.add_argument("--markdown")
    args = ap.parse_args()
    for tool in ("wrk", "nginx"):
        if not shutil.which(tool):
            sys.exit(f"bench/http.py: {tool} is not installed (Debian: wrk, nginx-light)")
    app = os.path.join(args.build, "examples", "hello-wagi")
    work = tempfile.mkdtemp(prefix="wasmops-http-bench-")
    cache = os.path.join(work, "cache")
    report = [f"## HTTP ({time.strftime('%Y-%m-%d')}, {os.cpu_count()} cores, `bench/http.sh`)\n"]
    try:
        up = Up(args.wasmops, app, cache, ["--tier", "optimized"])  # fills the artifact cache
        up.stop()
        component_app, js, jco = component_apps(work)
        if component_app:
            Up(args.wasmops, component_app, cache, ["--tier", "optimized"]).stop()
        throughput(args, app, component_app, cache, work, report)
        cold_start(args, app, cache, report)
        if component_app:
            cold_start(args, component_app, cache, report, "wasi:http C hello")
        if js:
            javascript(args, js, jco, cache, work, report)
        if not args.skip_density:
            density(args, cache, work, report)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    text = "\n".join(report)
    print(text)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
