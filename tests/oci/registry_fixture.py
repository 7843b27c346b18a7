"""A real OCI registry for tests: Debian's docker-registry (distribution 2.8)
on 127.0.0.1 with a free port and filesystem storage in a temporary folder,
optionally behind htpasswd (bcrypt) basic auth. Use as a context manager; the
process is stopped and the folder removed on exit, whatever happens."""
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request


def find_registry_binary():
    path = shutil.which("docker-registry") or "/usr/bin/docker-registry"
    if not os.path.exists(path):
        raise RuntimeError("docker-registry is not installed (scripts/install-deps.sh installs it)")
    return path


def free_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Registry:
    def __init__(self, users=None):
        self.users = users or {}  # name -> password: enables htpasswd auth
        self.proc = None
        self.dir = None

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    @property
    def storage(self):
        return os.path.join(self.dir, "storage")

    def blob_data_path(self, digest):
        hexdigest = digest.split(":", 1)[1]
        return os.path.join(self.storage, "docker/registry/v2/blobs/sha256", hexdigest[:2], hexdigest, "data")

    def _write_config(self):
        auth = ""
        if self.users:
            htpasswd = os.path.join(self.dir, "htpasswd")
            for i, (user, password) in enumerate(self.users.items()):
                flags = "-Bbc" if i == 0 else "-Bb"
                subprocess.run(["htpasswd", flags, htpasswd, user, password], check=True, capture_output=True)
            auth = f"auth:\n  htpasswd:\n    realm: wasmops-test\n    path: {htpasswd}\n"
        config = os.path.join(self.dir, "config.yml")
        with open(config, "w") as f:
            f.write(
                "version: 0.1\n"
                "log:\n  level: warn\n"
                f"storage:\n  filesystem:\n    rootdirectory: {self.storage}\n  delete:\n    enabled: true\n"
                f"http:\n  addr: {self.host}\n" + auth)
        return config

    def __enter__(self):
        binary = find_registry_binary()
        self.dir = tempfile.mkdtemp(prefix="wasmops-registry-")
        try:
            for _ in range(3):  # the free port may be taken between probe and bind
                self.port = free_port()
                config = self._write_config()
                self.log = open(os.path.join(self.dir, "registry.log"), "w")
                self.proc = subprocess.Popen([binary, "serve", config], stdout=self.log, stderr=subprocess.STDOUT)
                if self._wait_ready():
                    return self
                self._stop()
            raise RuntimeError("docker-registry did not start:\n" + self.read_log())
        except BaseException:
            self.__exit__(None, None, None)
            raise

    def _wait_ready(self):
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            try:
                urllib.request.urlopen(f"http://{self.host}/v2/", timeout=1)
                return True
            except urllib.error.HTTPError as e:
                if e.code == 401:
                    return True
            except OSError:
                pass
            time.sleep(0.05)
        return False

    def read_log(self):
        try:
            with open(os.path.join(self.dir, "registry.log")) as f:
                return f.read()
        except OSError:
            return ""

    def _stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None
        if getattr(self, "log", None):
            self.log.close()
            self.log = None

    def __exit__(self, *exc):
        self._stop()
        if self.dir:
            shutil.rmtree(self.dir, ignore_errors=True)
            self.dir = None
        return False


class FaultProxy:
    """Fault injection in front of a real registry: forwards every request to
    it, except that `fault(method, path, headers)` may return (status, headers, body)
    to answer instead (a 503, a 429, or a manifest over 4 MiB, which
    docker-registry itself refuses to serve). Counts requests per method."""

    def __init__(self, upstream, fault):
        import http.server
        import threading

        proxy = self
        self.upstream = upstream
        self.fault = fault
        self.requests = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _handle(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                proxy.requests.append((self.command, self.path))
                answer = proxy.fault(self.command, self.path, self.headers)
                if answer is None:
                    answer = proxy._forward(self.command, self.path, self.headers, body)
                status, headers, payload = answer
                self.send_response(status)
                for k, v in headers:
                    if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(payload)

            do_GET = do_HEAD = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        class Server(http.server.ThreadingHTTPServer):
            daemon_threads = True

            def handle_error(self, request, client_address):
                pass  # a client that hangs up early (as wasmops does on an oversized body) is expected

        self.server = Server(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def host(self):
        return f"127.0.0.1:{self.port}"

    def _forward(self, method, path, headers, body):
        import http.client

        conn = http.client.HTTPConnection(self.upstream, timeout=30)
        try:
            fwd = {k: v for k, v in headers.items() if k.lower() not in ("host", "content-length")}
            conn.request(method, path, body=body if method not in ("GET", "HEAD") else None, headers=fwd)
            resp = conn.getresponse()
            payload = resp.read()
            return resp.status, resp.getheaders(), payload
        finally:
            conn.close()

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        return False
