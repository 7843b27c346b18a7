#!/usr/bin/env python3
"""Integration tests of push, pull, login and logout against a real registry
(Debian's docker-registry), with skopeo as an independent client. No mocks.

  registry_test.py --wasmops BIN --data FIXTURES --inputs INPUTS GROUP

GROUP is roundtrip, interop, auth, token or faults; each starts its own registry.
DOCKER_CONFIG and XDG_CACHE_HOME point at temporary folders, so the user's
~/.docker and ~/.cache are never touched.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from registry_fixture import FaultProxy, Registry, free_port  # noqa: E402

ARGS = None
DIGEST_REF = re.compile(r"^127\.0\.0\.1:\d+/[a-z0-9/._-]+@sha256:[0-9a-f]{64}$")


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def leb128(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        if n:
            out.append(b | 0x80)
        else:
            out.append(b)
            return bytes(out)


def make_big_module(path, size, seed=b"wasmops"):
    """A valid core module whose bulk is one custom section of pseudo-random bytes."""
    name = b"pad"
    payload = bytearray()
    block = hashlib.sha256(seed).digest()
    while len(payload) < size:
        block = hashlib.sha256(block).digest()
        payload += block * 64
    body = leb128(len(name)) + name + bytes(payload[:size])
    with open(path, "wb") as f:
        f.write(b"\0asm\x01\0\0\0" + b"\0" + leb128(len(body)) + body)


class WasmopsCase(unittest.TestCase):
    users = None

    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wasmops-oci-test-")
        cls.registry = Registry(users=cls.users).__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.registry.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp)
        self.env = dict(os.environ)
        self.env["DOCKER_CONFIG"] = os.path.join(self.dir, "docker")
        self.env["XDG_CACHE_HOME"] = os.path.join(self.dir, "cache")
        self.env["SOURCE_DATE_EPOCH"] = "1700000000"  # stable digests
        self.env.pop("REGISTRY_AUTH_FILE", None)

    @property
    def store(self):
        return os.path.join(self.env["XDG_CACHE_HOME"], "wasmops", "oci", "blobs", "sha256")

    def ref(self, repo):
        return f"{self.registry.host}/{repo}"

    def wasmops(self, *args, stdin=None, expect=0):
        proc = subprocess.run([ARGS.wasmops, *args], input=stdin, capture_output=True, text=True, env=self.env,
                              timeout=120)
        if expect is not None and proc.returncode != expect:
            self.fail(f"wasmops {' '.join(args)}: exit {proc.returncode}, expected {expect}\n"
                      f"stdout: {proc.stdout}\nstderr: {proc.stderr}\nregistry log:\n{self.registry.read_log()[-3000:]}")
        for bad in ("Sanitizer", "runtime error", "terminate called"):
            self.assertNotIn(bad, proc.stderr)
        return proc

    def push_json(self, repo, path, *extra):
        return json.loads(self.wasmops("push", "--json", *extra, self.ref(repo), path).stdout)

    def pull_json(self, ref, out, *extra):
        return json.loads(self.wasmops("pull", "--json", "-o", out, *extra, ref).stdout)

    def registry_get(self, path):
        req = urllib.request.Request(f"http://{self.registry.host}/v2/{path}")
        req.add_header("Accept", "application/vnd.oci.image.manifest.v1+json")
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.read()

    def assert_store_consistent(self):
        """Every entry in the store hashes to its name; no temporaries of dead processes count."""
        if not os.path.isdir(self.store):
            return
        for name in os.listdir(self.store):
            if name.startswith(".partial-"):
                continue
            self.assertEqual(sha256_file(os.path.join(self.store, name)), name, f"corrupt store entry {name}")


def module():
    return os.path.join(ARGS.data, "command.wasm")


def component():
    return os.path.join(ARGS.inputs, "component.wasm")


class RoundTrip(WasmopsCase):
    def test_module_push_pull_inspect(self):
        push = self.wasmops("push", self.ref("demo/hello:v1"), module())
        self.assertRegex(push.stdout.strip(), DIGEST_REF)
        out = os.path.join(self.dir, "out")
        pulled = self.pull_json(self.ref("demo/hello:v1"), out)
        self.assertEqual(pulled["digestReference"], push.stdout.strip())
        self.assertEqual(pulled["file"], os.path.join(out, "hello.wasm"))
        with open(module(), "rb") as a, open(pulled["file"], "rb") as b:
            self.assertEqual(a.read(), b.read())
        self.assertIn("core module", self.wasmops("inspect", pulled["file"]).stdout)
        self.assert_store_consistent()

    def test_references_work_wherever_a_file_does(self):
        digest_ref = self.wasmops("push", self.ref("demo/refs:v1"), module()).stdout.strip()
        for ref in (self.ref("demo/refs:v1"), digest_ref):
            self.assertIn("core module", self.wasmops("inspect", ref).stdout)
            self.assertIn("valid", self.wasmops("validate", ref).stdout)
            run = self.wasmops("run", "--tier", "fast", ref)
            self.assertEqual(run.stdout, "hi\n")
        # A component too: it round-trips and inspects from its reference.
        comp_ref = self.wasmops("push", self.ref("demo/refcomp:v1"), component()).stdout.strip()
        for ref in (self.ref("demo/refcomp:v1"), comp_ref):
            self.assertIn("component", self.wasmops("inspect", ref).stdout)
        # The module is read from the verified store: nothing was written into the working folder.
        self.assertFalse(os.path.exists(os.path.join(self.dir, "refs.wasm")))
        self.assert_store_consistent()
        # A tag that does not exist names the reference; a bare name is only ever a file.
        missing = self.wasmops("run", self.ref("demo/refs:nope"), expect=1)
        self.assertIn("demo/refs:nope", missing.stderr)
        bare = self.wasmops("inspect", "no-such-module", expect=1)
        self.assertIn("no-such-module", bare.stderr)
        self.assertNotIn("docker.io", bare.stderr)

    def test_component_push_pull_inspect(self):
        pushed = self.push_json("demo/comp:1.0", component(), "--annotation", "version=1.0",
                                "--annotation", "org.opencontainers.image.source=https://example.com/src")
        self.assertEqual(pushed["kind"], "component")
        config = json.loads(self.registry_get(f"demo/comp/blobs/{pushed['config']['digest']}"))
        self.assertEqual(config["os"], "wasip2")
        self.assertEqual(config["architecture"], "wasm")
        self.assertEqual(config["layerDigests"], [pushed["layers"][0]["digest"]])
        self.assertEqual(config["component"], {"exports": [], "imports": []})
        manifest = json.loads(self.registry_get("demo/comp/manifests/1.0"))
        self.assertEqual(manifest["artifactType"], "application/vnd.wasm.config.v0+json")
        self.assertEqual(manifest["annotations"]["org.opencontainers.image.version"], "1.0")
        self.assertEqual(manifest["annotations"]["org.opencontainers.image.source"], "https://example.com/src")
        self.assertEqual(manifest["annotations"]["org.opencontainers.image.created"], "2023-11-14T22:13:20Z")
        out = os.path.join(self.dir, "o")
        pulled = self.pull_json(self.ref("demo/comp:1.0"), out)
        with open(component(), "rb") as a, open(pulled["file"], "rb") as b:
            self.assertEqual(a.read(), b.read())
        self.assertIn("component", self.wasmops("inspect", pulled["file"]).stdout)

    def test_second_push_skips_existing_blobs(self):
        first = self.push_json("demo/twice:a", module())
        self.assertEqual([first["config"]["action"], first["layers"][0]["action"]], ["uploaded", "uploaded"])
        second = self.push_json("demo/twice:b", module())
        self.assertEqual([second["config"]["action"], second["layers"][0]["action"]], ["exists", "exists"])
        self.assertEqual(first["digest"], second["digest"])

    def test_cross_repository_mount(self):
        self.push_json("mount/source:v1", module())
        other = self.push_json("mount/target:v1", module())
        self.assertEqual(other["layers"][0]["action"], "mounted")
        self.assertEqual(other["config"]["action"], "mounted")

    def test_chunked_upload(self):
        big = os.path.join(self.dir, "big.wasm")
        make_big_module(big, 300_000)
        push = self.wasmops("-v", "push", "--chunk-size", "65536", self.ref("demo/big:v1"), big)
        self.assertGreaterEqual(push.stderr.count("PATCH "), 5, push.stderr)
        pulled = self.pull_json(self.ref("demo/big:v1"), os.path.join(self.dir, "o"))
        self.assertEqual(sha256_file(pulled["file"]), sha256_file(big))

    def test_pull_by_digest_reuses_the_store(self):
        digest_ref = self.wasmops("push", "-q", self.ref("demo/bydigest:v1"), module()).stdout.strip()
        self.assertRegex(digest_ref, DIGEST_REF)
        first = self.pull_json(digest_ref, os.path.join(self.dir, "a"))
        self.assertEqual([b["cached"] for b in (first["config"], first["layers"][0])], [False, False])
        again = self.pull_json(digest_ref, os.path.join(self.dir, "b"))
        self.assertEqual([b["cached"] for b in (again["config"], again["layers"][0])], [True, True])
        self.assertEqual(sha256_file(again["file"]), sha256_file(module()))
        quiet = self.wasmops("pull", "-q", "-o", os.path.join(self.dir, "c"), digest_ref)
        self.assertEqual(quiet.stdout, "")

    def test_killed_pull_leaves_no_corrupt_entry_and_resumes(self):
        big = os.path.join(self.dir, "huge.wasm")
        make_big_module(big, 24 << 20, seed=b"kill")
        self.wasmops("push", "-q", self.ref("demo/huge:v1"), big)
        out = os.path.join(self.dir, "o")
        for delay in (0.02, 0.05, 0.1, 0.2, 0.4):
            proc = subprocess.Popen([ARGS.wasmops, "pull", "-q", "-o", out, self.ref("demo/huge:v1")], env=self.env,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            self.assert_store_consistent()
        pulled = self.pull_json(self.ref("demo/huge:v1"), out)
        self.assertEqual(sha256_file(pulled["file"]), sha256_file(big))
        self.assert_store_consistent()
        leftovers = [n for n in os.listdir(self.store) if n.startswith(".partial-")]
        self.assertEqual(leftovers, [], "temporaries of killed pulls were not cleaned up")


class Interop(WasmopsCase):
    def skopeo(self, *args):
        proc = subprocess.run(["skopeo", *args], capture_output=True, env=self.env, timeout=120)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        return proc.stdout

    def test_skopeo_reads_the_manifest_byte_for_byte(self):
        for repo, path in (("interop/module:v1", module()), ("interop/component:v1", component())):
            pushed = self.push_json(repo, path)
            raw = self.skopeo("inspect", "--raw", "--tls-verify=false", f"docker://{self.ref(repo)}")
            self.assertEqual("sha256:" + hashlib.sha256(raw).hexdigest(), pushed["digest"])
            # The pulled copy in the store is the same bytes.
            self.pull_json(self.ref(repo), os.path.join(self.dir, "o"))
            with open(os.path.join(self.store, pushed["digest"].split(":")[1]), "rb") as f:
                self.assertEqual(f.read(), raw)

    def test_pull_of_a_skopeo_copy_verifies(self):
        pushed = self.push_json("interop/orig:v1", module())
        self.skopeo("copy", "--src-tls-verify=false", "--dest-tls-verify=false",
                    f"docker://{self.ref('interop/orig:v1')}", f"docker://{self.ref('interop/copied:v2')}")
        pulled = self.pull_json(self.ref("interop/copied:v2"), os.path.join(self.dir, "o"))
        self.assertEqual(pulled["digest"], pushed["digest"])
        self.assertEqual(pulled["file"], os.path.join(self.dir, "o", "copied.wasm"))
        self.assertEqual(sha256_file(pulled["file"]), sha256_file(module()))


class Auth(WasmopsCase):
    users = {"alice": "correct horse"}

    def test_login_push_pull_logout(self):
        host = self.registry.host
        denied = self.wasmops("push", self.ref("private/app:v1"), module(), expect=1)
        self.assertIn("401", denied.stderr)
        self.assertIn(f"wasmops login {host}", denied.stderr)

        wrong = self.wasmops("login", host, "-u", "alice", "--password-stdin", stdin="nope\n", expect=1)
        self.assertIn("rejected", wrong.stderr)
        config = os.path.join(self.env["DOCKER_CONFIG"], "config.json")
        self.assertFalse(os.path.exists(config))

        self.wasmops("login", host, "-u", "alice", "--password-stdin", stdin="correct horse\n")
        self.assertEqual(stat.S_IMODE(os.stat(config).st_mode), 0o600)
        with open(config) as f:
            self.assertEqual(json.load(f)["auths"][host]["auth"], "YWxpY2U6Y29ycmVjdCBob3JzZQ==")

        self.assertRegex(self.wasmops("push", self.ref("private/app:v1"), module()).stdout.strip(), DIGEST_REF)
        pulled = self.pull_json(self.ref("private/app:v1"), os.path.join(self.dir, "o"))
        self.assertEqual(sha256_file(pulled["file"]), sha256_file(module()))
        # skopeo accepts the credentials file wasmops wrote.
        proc = subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", "--authfile", config,
                               f"docker://{self.ref('private/app:v1')}"], capture_output=True, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())

        self.assertIn("Removed", self.wasmops("logout", host).stdout)
        self.assertIn("Not logged in", self.wasmops("logout", host).stdout)
        again = self.wasmops("pull", "-o", os.path.join(self.dir, "p"), self.ref("private/app:v1"), expect=1)
        self.assertIn("401", again.stderr)

    def test_login_usage_errors(self):
        host = self.registry.host
        self.assertIn("--password-stdin", self.wasmops("login", host, "-u", "alice", expect=2).stderr)
        self.assertIn("-u USER", self.wasmops("login", host, "--password-stdin", stdin="x\n", expect=2).stderr)
        self.wasmops("login", "bad host!", "-u", "a", "--password-stdin", stdin="x\n", expect=2)


class Faults(WasmopsCase):
    def test_registry_down(self):
        port = free_port()  # nothing listens there
        start = time.monotonic()
        proc = self.wasmops("push", f"127.0.0.1:{port}/app:v1", module(), expect=1)
        elapsed = time.monotonic() - start
        self.assertIn(f"cannot reach registry 127.0.0.1:{port} after 4 attempts", proc.stderr)
        self.assertLess(elapsed, 30)
        self.wasmops("pull", f"127.0.0.1:{port}/app:v1", expect=1)

    def test_tag_that_does_not_exist(self):
        self.wasmops("push", self.ref("faults/app:v1"), module())
        proc = self.wasmops("pull", "-o", self.dir, self.ref("faults/app:nope"), expect=1)
        self.assertIn("tag nope not found (404", proc.stderr)
        proc = self.wasmops("pull", "-o", self.dir, self.ref("faults/never:v1"), expect=1)
        self.assertIn("not found", proc.stderr)

    def test_invalid_reference_is_a_usage_error(self):
        proc = self.wasmops("pull", f"{self.registry.host}/Bad/app:v1", expect=2)
        self.assertIn("'B' at position", proc.stderr)
        self.assertIn("lowercase", proc.stderr)
        proc = self.wasmops("push", f"{self.registry.host}/app:v1!", module(), expect=2)
        self.assertIn("'!' at position", proc.stderr)
        self.wasmops("push", "--annotation", "novalue", self.ref("faults/app:v1"), module(), expect=2)

    def test_unknown_digest_stores_nothing(self):
        self.wasmops("push", self.ref("faults/d:v1"), module())
        wrong = "sha256:" + "0" * 64
        proc = self.wasmops("pull", "-o", self.dir, self.ref("faults/d") + "@" + wrong, expect=1)
        self.assertIn("not found", proc.stderr)
        self.assertFalse(os.path.exists(os.path.join(self.dir, "d.wasm")))
        self.assertEqual([n for n in os.listdir(self.store) if not n.startswith(".")], [])

    def corrupt_and_pull(self, repo, damage):
        pushed = self.push_json(repo + ":v1", module())
        layer = pushed["layers"][0]["digest"]
        data = self.registry.blob_data_path(layer)
        with open(data, "rb") as f:
            content = f.read()
        with open(data, "wb") as f:
            f.write(damage(content))
        out = os.path.join(self.dir, "o")
        proc = self.wasmops("pull", "-o", out, self.ref(repo + ":v1"), expect=1)
        self.assertFalse(os.path.exists(os.path.join(out, repo.split("/")[-1] + ".wasm")))
        self.assertFalse(os.path.exists(os.path.join(self.store, layer.split(":")[1])))
        self.assertEqual([n for n in os.listdir(self.store) if n.startswith(".partial-")], [])
        self.assert_store_consistent()
        return proc

    def test_digest_mismatch_is_rejected_and_nothing_stored(self):
        proc = self.corrupt_and_pull("faults/tampered", lambda b: bytes([b[0] ^ 0xFF]) + b[1:])
        self.assertIn("digest mismatch", proc.stderr)

    def test_truncated_blob_is_rejected(self):
        proc = self.corrupt_and_pull("faults/truncated", lambda b: b[: len(b) // 2])
        self.assertIn("truncated", proc.stderr)

    def test_manifest_over_4_mib_is_refused(self):
        # docker-registry refuses to serve such a manifest itself ("storage:
        # read exceeds limit"), so a proxy in front of it answers instead.
        self.wasmops("push", self.ref("faults/big-manifest:v1"), module())
        huge = json.dumps({"schemaVersion": 2, "annotations": {"padding": "x" * (5 << 20)}}).encode()

        def fault(method, path, headers):
            if method == "GET" and "/manifests/" in path:
                return 200, [("Content-Type", "application/vnd.oci.image.manifest.v1+json")], huge
            return None

        with FaultProxy(self.registry.host, fault) as proxy:
            proc = self.wasmops("pull", "-o", self.dir, f"{proxy.host}/faults/big-manifest:v1", expect=1)
        self.assertIn("larger than 4 MiB", proc.stderr)
        self.assertEqual([n for n in os.listdir(self.store) if not n.startswith(".")], [])

    def test_retries_429_and_5xx_with_backoff(self):
        faults = [(503, [], b""), (429, [("Retry-After", "1")], b""), (502, [], b"")]

        def fault(method, path, headers):
            if path != "/v2/" and faults:
                return faults.pop(0)
            return None

        with FaultProxy(self.registry.host, fault) as proxy:
            start = time.monotonic()
            proc = self.wasmops("-v", "push", f"{proxy.host}/faults/flaky:v1", module())
            elapsed = time.monotonic() - start
        self.assertEqual(faults, [])
        self.assertEqual(proc.stderr.count("retrying in"), 3, proc.stderr)
        self.assertGreaterEqual(elapsed, 1.0)  # Retry-After: 1 was honoured
        self.assertRegex(proc.stdout.strip(), r"@sha256:[0-9a-f]{64}$")

    def test_persistent_503_gives_up_after_bounded_attempts(self):
        def fault(method, path, headers):
            return None if path == "/v2/" else (503, [], b'{"errors":[{"code":"UNAVAILABLE","message":"busy"}]}')

        with FaultProxy(self.registry.host, fault) as proxy:
            proc = self.wasmops("pull", "-o", self.dir, f"{proxy.host}/faults/down:v1", expect=1)
            attempts = [r for r in proxy.requests if r[1] != "/v2/"]
        self.assertIn("answered 503", proc.stderr)
        self.assertIn("after 4 attempts", proc.stderr)
        self.assertIn("UNAVAILABLE: busy", proc.stderr)
        self.assertEqual(len(attempts), 4)

    def test_forbidden_names_the_repository(self):
        def fault(method, path, headers):
            return None if path == "/v2/" else (403, [], b'{"errors":[{"code":"DENIED","message":"no"}]}')

        with FaultProxy(self.registry.host, fault) as proxy:
            proc = self.wasmops("pull", "-o", self.dir, f"{proxy.host}/faults/secret:v1", expect=1)
        self.assertIn(f"{proxy.host}/faults/secret refused", proc.stderr)
        self.assertIn("403", proc.stderr)


class TokenAuth(WasmopsCase):
    """Docker's bearer-token flow: a proxy in front of the real registry plays
    the token service and checks tokens and their scopes, as Docker Hub,
    GHCR or Harbor do."""

    def setUp(self):
        super().setUp()
        self.tokens = {}  # token -> [scopes, uses left]
        self.token_requests = []
        self.uses_per_token = 1000

    def fault(self, method, path, headers):
        import base64
        import secrets
        import urllib.parse

        url = urllib.parse.urlsplit(path)
        if url.path == "/token":
            query = urllib.parse.parse_qs(url.query)
            self.token_requests.append(query.get("scope", []))
            auth = headers.get("Authorization", "")
            if auth != "Basic " + base64.b64encode(b"bob:hunter2").decode():
                return 401, [], b'{"errors":[{"code":"UNAUTHORIZED","message":"bad credentials"}]}'
            self.assertEqual(query.get("service"), ["test-registry"])
            token = secrets.token_hex(8)
            self.tokens[token] = [set(" ".join(query.get("scope", [])).split(" ")), self.uses_per_token]
            return 200, [("Content-Type", "application/json")], json.dumps({"token": token, "expires_in": 300}).encode()
        needed = ""
        m = re.match(r"^/v2/(.+?)/(blobs|manifests)/", url.path)
        if m:
            action = "pull" if method in ("GET", "HEAD") else "pull,push"
            needed = f"repository:{m.group(1)}:{action}"
        auth = headers.get("Authorization", "")
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        entry = self.tokens.get(token)
        ok = entry is not None and entry[1] > 0 and (
            not needed or needed in entry[0] or needed.replace(":pull", ":pull,push") in entry[0])
        if ok:
            entry[1] -= 1
            return None  # forward to the registry
        scope = f',scope="{needed}"' if needed else ""
        challenge = f'Bearer realm="http://{self.proxy_host}/token",service="test-registry"{scope}'
        return 401, [("WWW-Authenticate", challenge)], b'{"errors":[{"code":"UNAUTHORIZED","message":"token"}]}'

    def run_with_proxy(self, body):
        with FaultProxy(self.registry.host, self.fault) as proxy:
            self.proxy_host = proxy.host
            body(proxy.host)

    def test_login_push_pull_with_tokens(self):
        def body(host):
            self.wasmops("login", host, "-u", "bob", "--password-stdin", stdin="hunter2\n")
            pushed = json.loads(self.wasmops("push", "--json", f"{host}/tok/app:v1", module()).stdout)
            self.assertEqual(pushed["layers"][0]["action"], "uploaded")
            # One token per scope set, reused for every request with it.
            self.assertLessEqual(len(self.token_requests), 3, self.token_requests)
            self.assertIn(["repository:tok/app:pull,push"], self.token_requests)
            pulled = self.pull_json(f"{host}/tok/app:v1", os.path.join(self.dir, "o"))
            self.assertEqual(sha256_file(pulled["file"]), sha256_file(module()))

        self.run_with_proxy(body)

    def test_expired_tokens_are_renewed(self):
        def body(host):
            self.wasmops("login", host, "-u", "bob", "--password-stdin", stdin="hunter2\n")
            self.uses_per_token = 2  # the proxy revokes each token after two requests
            self.assertRegex(self.wasmops("push", f"{host}/tok/renew:v1", module()).stdout.strip(),
                             r"@sha256:[0-9a-f]{64}$")
            self.assertGreater(len(self.token_requests), 3)

        self.run_with_proxy(body)

    def test_wrong_password_and_anonymous_access(self):
        def body(host):
            wrong = self.wasmops("login", host, "-u", "bob", "--password-stdin", stdin="wrong\n", expect=1)
            self.assertIn("rejected", wrong.stderr)
            anon = self.wasmops("pull", "-o", self.dir, f"{host}/tok/app:v1", expect=1)
            self.assertIn(f"run `wasmops login {host}`", anon.stderr)

        self.run_with_proxy(body)


GROUPS = {"roundtrip": RoundTrip, "interop": Interop, "auth": Auth, "token": TokenAuth, "faults": Faults}


def main():
    global ARGS
    ap = argparse.ArgumentParser()
    ap.add_argument("--wasmops", required=True)
    ap.add_argument("--data", required=True, help="compiled test fixtures (command.wasm)")
    ap.add_argument("--inputs", required=True, help="tests/cli/inputs (component.wasm)")
    ap.add_argument("group", choices=sorted(GROUPS))
    ARGS, rest = ap.parse_known_args()
    suite = unittest.defaultTestLoader.loadTestsFromTestCase(GROUPS[ARGS.group])
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    return 0 if result.wasSuccessful() else 1


if __name__ == "__main__":
    sys.exit(main())
