"""A `wasmops up` process for the HTTP host's end-to-end tests.

Starts the host on free loopback ports with a private artifact cache, waits
for its "Serving http://ADDR" line, and collects its stdout (the JSON access
log) and stderr (guest stderr as JSON lines, warnings) while it runs.
"""
import http.client
import json
import os
import re
import signal
import socket
import subprocess
import tempfile
import threading
import time


# The checks a test made that failed; check() prints one line per check.
FAILURES = []


def check(name, cond, detail=""):
    """Prints "ok   NAME" or "FAIL NAME" (with `detail` under it) and records a failure."""
    print(("ok   " if cond else "FAIL ") + name + (f"\n     {detail}" if detail not in ("", None) and not cond else ""),
          flush=True)
    if not cond:
        FAILURES.append(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class UpProcess:
    def __init__(self, wasmops, app, extra=(), admin=True, cache=None, env=None, source=None, command="up", cwd=None):
        self.cache = cache or tempfile.mkdtemp(prefix="wasmops-up-cache-")
        self.port = free_port()
        self.admin_port = free_port() if admin else None
        argv = [wasmops, command, *(source if source is not None else ["-f", app]), "--listen", f"127.0.0.1:{self.port}",
                "--admin", f"127.0.0.1:{self.admin_port}" if admin else "off", *extra]
        penv = dict(os.environ, XDG_CACHE_HOME=self.cache, **(env or {}))
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=penv,
                                     cwd=cwd)
        self.stdout_lines, self.stderr_lines = [], []
        self._lock = threading.Lock()
        self._serving = threading.Event()
        self._readers = [threading.Thread(target=self._read, args=(self.proc.stdout, self.stdout_lines), daemon=True),
                         threading.Thread(target=self._read, args=(self.proc.stderr, self.stderr_lines), daemon=True)]
        for r in self._readers:
            r.start()

    def _read(self, stream, sink):
        for raw in stream:
            line = raw.decode("utf-8", "replace").rstrip("\n")
            with self._lock:
                sink.append(line)
            if line.startswith("Serving http"):
                self._serving.set()

    def wait_serving(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self._serving.wait(0.1):
                return True
            if self.proc.poll() is not None:
                return False
        return False

    @property
    def base(self):
        return f"http://127.0.0.1:{self.port}"

    def stdout(self):
        with self._lock:
            return list(self.stdout_lines)

    def stderr(self):
        with self._lock:
            return list(self.stderr_lines)

    def access_records(self):
        out = []
        for line in self.stdout():
            if line.startswith("{"):
                out.append(json.loads(line))
        return out

    def guest_records(self):
        out = []
        for line in self.stderr():
            if line.startswith("{"):
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass
        return out

    def rss_kib(self, field="VmRSS"):
        """The process's resident memory in KiB (VmHWM: its peak so far)."""
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        return 0

    def stop(self, sig=signal.SIGTERM, timeout=30):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            rc = self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            rc = self.proc.wait()
        for r in self._readers:
            r.join(5)
        return rc


def raw_exchange(port, data, timeout=5.0, read_all=True):
    """Sends raw bytes; returns everything the server sent until it closed or went quiet."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
        s.sendall(data)
        chunks = []
        try:
            while True:
                b = s.recv(65536)
                if not b:
                    break
                chunks.append(b)
                if not read_all:
                    break
        except (socket.timeout, ConnectionResetError):
            pass
        return b"".join(chunks)


def status_of(raw):
    m = re.match(rb"HTTP/1\.[01] (\d{3})", raw)
    return int(m.group(1)) if m else None


def metric_value(text, name, labels=None):
    """The value of one sample in Prometheus text, or None."""
    for line in text.splitlines():
        if line.startswith("#") or not line.startswith(name):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$", line)
        if not m or m.group(1) != name:
            continue
        got = dict(re.findall(r'([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"', m.group(3) or ""))
        if labels is None or all(got.get(k) == v for k, v in labels.items()):
            return float(m.group(4))
    return None


def request(port, method, path, body=None, headers=None, timeout=30):
    """One request on its own connection: (status, headers with lower-case names, body)."""
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        c.request(method, path, body=body, headers=headers or {})
        r = c.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        c.close()
