#!/usr/bin/env python3
"""Spin applications through a real registry (Debian's docker-registry):
push of spin.toml in Spin's layout, pull into an application folder, pull of
artifacts assembled independently (tests/oci/spin_assembler.py) in Spin's
current and older layouts, and located errors for bad manifests.

  spin_app_test.py --wasmops BIN --data FIXTURES --inputs INPUTS
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import tomllib
import unittest
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from registry_fixture import Registry  # noqa: E402
import spin_assembler  # noqa: E402

ARGS = None
MEDIA = {"wasm": "application/vnd.wasm.content.layer.v1+wasm", "data": "application/vnd.wasm.content.layer.v1+data",
         "app": "application/vnd.fermyon.spin.application.v1+config",
         "config": "application/vnd.oci.image.config.v1+json"}


def read(path):
    with open(path, "rb") as f:
        return f.read()


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "wb") as f:
        f.write(data)


def tree(root):
    """{relative path: bytes} of every file below root."""
    out = {}
    for dirpath, _, names in os.walk(root):
        for n in names:
            p = os.path.join(dirpath, n)
            out[os.path.relpath(p, root)] = read(p)
    return out


class SpinCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix="wasmops-spin-test-")
        cls.registry = Registry().__enter__()

    @classmethod
    def tearDownClass(cls):
        cls.registry.__exit__(None, None, None)
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def setUp(self):
        self.dir = tempfile.mkdtemp(dir=self.tmp)
        self.env = dict(os.environ)
        self.env["DOCKER_CONFIG"] = os.path.join(self.dir, "docker")
        self.env["XDG_CACHE_HOME"] = os.path.join(self.dir, "cache")
        self.env["SOURCE_DATE_EPOCH"] = "1700000000"

    def ref(self, repo):
        return f"{self.registry.host}/{repo}"

    def wasmops(self, *args, expect=0):
        proc = subprocess.run([ARGS.wasmops, *args], capture_output=True, text=True, env=self.env, timeout=120)
        if expect is not None and proc.returncode != expect:
            self.fail(f"wasmops {' '.join(args)}: exit {proc.returncode}, expected {expect}\n"
                      f"stdout: {proc.stdout}\nstderr: {proc.stderr}\nregistry log:\n{self.registry.read_log()[-3000:]}")
        for bad in ("Sanitizer", "runtime error", "terminate called"):
            self.assertNotIn(bad, proc.stderr)
        return proc

    def blob(self, repo, digest):
        with urllib.request.urlopen(f"http://{self.registry.host}/v2/{repo}/blobs/{digest}", timeout=10) as r:
            return r.read()

    def skopeo_raw(self, repo):
        proc = subprocess.run(["skopeo", "inspect", "--raw", "--tls-verify=false", f"docker://{self.ref(repo)}"],
                              capture_output=True, env=self.env, timeout=60)
        self.assertEqual(proc.returncode, 0, proc.stderr.decode())
        return proc.stdout

    def pull_app(self, ref, out):
        return json.loads(self.wasmops("pull", "--json", "-o", out, ref).stdout)

    def assert_folder(self, folder, components, locked_bytes):
        """The folder holds exactly spin.toml, spin.lock.json (these bytes),
        components/<id>.wasm and files/<id>/<path> as `components` says."""
        expected = {"spin.lock.json": locked_bytes}
        for c in components:
            expected[f"components/{c['id']}.wasm"] = c["wasm"]
            for path, data in c.get("files", {}).items():
                expected[f"files/{c['id']}/{path}"] = data
        got = tree(folder)
        manifest = got.pop("spin.toml")
        self.assertEqual(sorted(got), sorted(expected))
        for k in expected:
            self.assertEqual(got[k], expected[k], k)
        return tomllib.loads(manifest.decode())


def module():
    return os.path.join(ARGS.data, "command.wasm")


def component():
    return os.path.join(ARGS.inputs, "component.wasm")


APP_TOML = """spin_manifest_version = 2

[application]
name = "demo"
version = "1.2.3"
description = "Two components and some files"
authors = ["A <a@example.com>"]

[variables]
greeting = { default = "hello" }

[[trigger.http]]
route = "/hello"
component = "hello"

[[trigger.http]]
route = "/static/..."
component = "files"

[component.hello]
source = "build/hello.wasm"
files = ["tiny.txt", { source = "assets", destination = "/data" }]
environment = { GREETING = "hi" }
allowed_outbound_hosts = ["https://example.com"]
[component.hello.variables]
greeting = "{{ greeting }}"

[component.files]
source = "build/files.wasm"
files = ["static/**/*"]
"""


class PushAndPull(SpinCase):
    def make_app(self):
        root = os.path.join(self.dir, "app")
        write(os.path.join(root, "spin.toml"), APP_TOML.encode())
        write(os.path.join(root, "build/hello.wasm"), read(component()))
        write(os.path.join(root, "build/files.wasm"), read(module()))
        write(os.path.join(root, "tiny.txt"), b"tiny\n")  # inlined
        write(os.path.join(root, "assets/logo.bin"), hashlib.sha256(b"x").digest() * 300)  # a layer
        write(os.path.join(root, "assets/deep/readme.md"), b"# deep\n")
        write(os.path.join(root, "static/index.html"), b"<h1>hi</h1>" * 20)
        write(os.path.join(root, "static/css/site.css"), b"body{}")
        # What each component sees, and where it comes from.
        sees = {"hello": {"tiny.txt": "tiny.txt", "data/logo.bin": "assets/logo.bin",
                          "data/deep/readme.md": "assets/deep/readme.md"},
                "files": {"static/index.html": "static/index.html", "static/css/site.css": "static/css/site.css"}}
        components = [{"id": cid, "wasm": read(os.path.join(root, f"build/{cid}.wasm")),
                       "files": {guest: read(os.path.join(root, host)) for guest, host in files.items()}}
                      for cid, files in sees.items()]
        return root, components

    def test_push_then_pull_gives_the_application_back(self):
        root, components = self.make_app()
        pushed = json.loads(self.wasmops("push", "--json", self.ref("apps/demo:1.0"), "--manifest",
                                         os.path.join(root, "spin.toml")).stdout)
        self.assertEqual(pushed["kind"], "application")
        raw = self.skopeo_raw("apps/demo:1.0")
        self.assertEqual("sha256:" + hashlib.sha256(raw).hexdigest(), pushed["digest"])
        manifest = json.loads(raw)
        self.assertEqual(manifest["config"]["mediaType"], MEDIA["config"])
        self.assertEqual([l["mediaType"] for l in manifest["layers"]],
                         [MEDIA["wasm"], MEDIA["data"], MEDIA["wasm"], MEDIA["data"], MEDIA["app"]])
        self.assertNotIn("artifactType", manifest)
        self.assertEqual(manifest["annotations"]["org.opencontainers.image.title"], "demo")
        self.assertEqual(manifest["annotations"]["org.opencontainers.image.version"], "1.2.3")
        config = json.loads(self.blob("apps/demo", manifest["config"]["digest"]))
        self.assertEqual((config["architecture"], config["os"]), ("wasm", "wasip1"))
        self.assertEqual(config["config"]["Labels"]["com.fermyon.spin.lockedAppDigest"],
                         manifest["layers"][-1]["digest"])
        locked_bytes = self.blob("apps/demo", manifest["layers"][-1]["digest"])
        locked = json.loads(locked_bytes)
        hello = locked["components"][0]
        self.assertEqual(hello["source"]["digest"], "sha256:" + hashlib.sha256(components[0]["wasm"]).hexdigest())
        tiny = [f for f in hello["files"] if f["path"] == "tiny.txt"][0]
        self.assertEqual(tiny["inline"], "dGlueQo")  # base64 without padding; no layer
        self.assertEqual(locked["triggers"][1]["trigger_config"], {"component": "files", "route": "/static/..."})

        out = os.path.join(self.dir, "out")
        pulled = self.pull_app(self.ref("apps/demo:1.0"), out)
        self.assertEqual(pulled["digest"], pushed["digest"])
        self.assertEqual(pulled["folder"], out)
        self.assertEqual(pulled["layout"], "locked-app-layer")
        spin = self.assert_folder(out, components, locked_bytes)
        self.assertEqual(spin["application"]["name"], "demo")
        self.assertEqual([(t["id"], t["route"], t["component"]) for t in spin["trigger"]["http"]],
                         [("hello-http-trigger", "/hello", "hello"), ("files-http-trigger", "/static/...", "files")])
        self.assertEqual(spin["component"]["hello"]["source"], "components/hello.wasm")
        self.assertEqual(spin["component"]["hello"]["files"], [{"source": "files/hello", "destination": "/"}])
        self.assertEqual(spin["component"]["hello"]["environment"], {"GREETING": "hi"})
        self.assertEqual(spin["component"]["hello"]["variables"], {"greeting": "{{ greeting }}"})
        self.assertEqual(spin["variables"], {"greeting": {"default": "hello"}})

        # The folder is the application: pushed again it is the same artifact.
        again = json.loads(self.wasmops("push", "--json", self.ref("apps/copy:1.0"), "--manifest",
                                        os.path.join(out, "spin.toml")).stdout)
        self.assertEqual(again["digest"], pushed["digest"])
        # Pulling again into the same folder replaces it.
        self.pull_app(self.ref("apps/demo:1.0"), out)
        self.assert_folder(out, components, locked_bytes)

    def test_second_push_skips_existing_blobs(self):
        root, _ = self.make_app()
        args = ("push", "--json", "--manifest", os.path.join(root, "spin.toml"))
        first = json.loads(self.wasmops(*args[:2], self.ref("apps/twice:a"), *args[2:]).stdout)
        self.assertEqual({l["action"] for l in first["layers"]}, {"uploaded"})
        second = json.loads(self.wasmops(*args[:2], self.ref("apps/twice:b"), *args[2:]).stdout)
        self.assertEqual({l["action"] for l in second["layers"]} | {second["config"]["action"]}, {"exists"})
        self.assertEqual(first["digest"], second["digest"])

    def test_pull_refuses_a_folder_with_other_files(self):
        root, _ = self.make_app()
        self.wasmops("push", "-q", self.ref("apps/busy:1"), "--manifest", os.path.join(root, "spin.toml"))
        busy = os.path.join(self.dir, "busy")
        write(os.path.join(busy, "notes.txt"), b"mine")
        proc = self.wasmops("pull", "-o", busy, self.ref("apps/busy:1"), expect=1)
        self.assertIn("not empty", proc.stderr)
        self.assertEqual(sorted(os.listdir(busy)), ["notes.txt"])
        self.assertEqual([n for n in os.listdir(self.dir) if n.startswith(".wasmops-pull-")], [])
        # Commands that want one binary say what the artifact is.
        proc = self.wasmops("inspect", self.ref("apps/busy:1"), expect=1)
        self.assertIn("Spin application", proc.stderr)


ASSEMBLED = {
    "name": "assembled", "version": "0.9.0",
    "variables": {"mode": {"default": "fast"}},
    "components": [
        {"id": "api", "route": "/api/...", "env": {"LEVEL": "debug"},
         "files": {"config/settings.json": b'{"a":1}', "empty": b"", "big.dat": bytes(range(256)) * 8,
                   "same-as-big.dat": bytes(range(256)) * 8}},
        {"id": "web", "route": "/...",
         "files": {"index.html": b"<!doctype html>" * 10, "img/a.svg": b"<svg/>"}},
    ],
}


class AssembledElsewhere(SpinCase):
    def components(self):
        return [{**ASSEMBLED["components"][0], "wasm": read(component())},
                {**ASSEMBLED["components"][1], "wasm": read(module())}]

    def check(self, layout, wasm_type):
        app = {**ASSEMBLED, "components": self.components(), "wasm_type": wasm_type}
        repo = f"assembled/{layout}"
        digest, locked_bytes = spin_assembler.assemble(self.registry.host, repo, "v1", app, layout=layout)
        out = os.path.join(self.dir, layout)
        pulled = self.pull_app(self.ref(f"{repo}:v1"), out)
        self.assertEqual(pulled["digest"], digest)
        self.assertEqual(pulled["layout"], "locked-app-layer" if layout == "layer" else "locked-app-config")
        self.assertEqual([c["id"] for c in pulled["components"]], ["api", "web"])
        spin = self.assert_folder(out, app["components"], locked_bytes)
        self.assertEqual(spin["spin_manifest_version"], 2)
        self.assertEqual(spin["application"], {"name": "assembled", "version": "0.9.0"})
        self.assertEqual(spin["variables"], {"mode": {"default": "fast"}})
        self.assertEqual(spin["trigger"]["http"], [
            {"id": "api-http-trigger", "component": "api", "route": "/api/..."},
            {"id": "web-http-trigger", "component": "web", "route": "/..."}])
        self.assertEqual(spin["component"]["api"], {
            "source": "components/api.wasm", "files": [{"source": "files/api", "destination": "/"}],
            "environment": {"LEVEL": "debug"}})
        # The folder pushes (wasmops' own layout) and pulls back the same.
        pushed = json.loads(self.wasmops("push", "--json", self.ref(f"{repo}-again:v1"), "--manifest",
                                         os.path.join(out, "spin.toml")).stdout)
        again = os.path.join(self.dir, layout + "-again")
        self.pull_app(pushed["digestReference"], again)
        self.assertEqual(tree(again)["spin.toml"], tree(out)["spin.toml"])
        for k, v in tree(out).items():
            if k != "spin.lock.json":
                self.assertEqual(tree(again)[k], v, k)

    def test_current_layout(self):
        self.check("layer", spin_assembler.WASM_LAYER)

    def test_older_layout_with_plain_wasm_layers(self):
        self.check("config", "application/wasm")

    def test_inline_content_must_match_its_digest(self):
        app = {**ASSEMBLED, "components": self.components()}

        def tamper(locked):
            locked["components"][0]["files"][0]["inline"] = spin_assembler.b64(b"forged")
        spin_assembler.assemble(self.registry.host, "assembled/forged", "v1", app, tamper=tamper)
        out = os.path.join(self.dir, "forged")
        proc = self.wasmops("pull", "-o", out, self.ref("assembled/forged:v1"), expect=1)
        self.assertIn("does not match its digest", proc.stderr)
        self.assertFalse(os.path.exists(out))

    def test_content_missing_from_the_manifest_is_an_error(self):
        app = {**ASSEMBLED, "components": self.components()}

        def tamper(locked):
            locked["components"][1]["files"].append({"digest": "sha256:" + "0" * 64, "path": "ghost"})
        spin_assembler.assemble(self.registry.host, "assembled/ghost", "v1", app, tamper=tamper)
        proc = self.wasmops("pull", "-o", os.path.join(self.dir, "ghost"), self.ref("assembled/ghost:v1"), expect=1)
        self.assertIn("neither inline in the locked application nor a layer", proc.stderr)


class Manifests(SpinCase):
    """What push makes of manifests: located errors and warnings, which file a folder means."""

    def push_manifest(self, toml, expect=1):
        root = os.path.join(self.dir, "bad")
        write(os.path.join(root, "spin.toml"), toml.encode())
        write(os.path.join(root, "a.wasm"), read(component()))
        return self.wasmops("push", self.ref("bad/app:1"), "--manifest", os.path.join(root, "spin.toml"),
                            expect=expect).stderr

    HEAD = 'spin_manifest_version = 2\n[application]\nname = "bad"\n'

    def test_missing_source_file(self):
        err = self.push_manifest(self.HEAD + '[[trigger.http]]\nroute = "/"\ncomponent = "a"\n'
                                 '[component.a]\nsource = "target/a.wasm"\n')
        self.assertIn("spin.toml:8:10: component \"a\": source \"target/a.wasm\" does not exist", err)

    def test_unknown_trigger_component(self):
        err = self.push_manifest(self.HEAD + '[[trigger.http]]\nroute = "/"\ncomponent = "nope"\n'
                                 '[component.a]\nsource = "a.wasm"\n')
        self.assertIn('spin.toml:6:13: trigger.http[0]: component "nope" is not defined (components: a)', err)

    def test_toml_syntax_error_has_line_and_column(self):
        err = self.push_manifest(self.HEAD + '[[trigger.http]\nroute = "/"\n')
        self.assertRegex(err, r"spin\.toml:4:\d+: TOML: ")

    def test_url_source_is_unsupported(self):
        err = self.push_manifest(self.HEAD + '[[trigger.http]]\nroute = "/"\ncomponent = "a"\n[component.a]\n'
                                 'source = { url = "https://example.com/a.wasm", digest = "sha256:' + '0' * 64 + '" }\n')
        self.assertIn("URL sources are not supported yet", err)

    def test_every_error_of_a_manifest_is_reported_with_its_position(self):
        # The enterprise-guide manifest of tests/app/manifests/enterprise.toml.
        err = self.push_manifest('[application]\nname = "enterprise-app"\nversion = "1.0.0"\n'
                                 '[application.trigger.http]\nroute = "/api/v1/metrics"\n'
                                 '[component.metrics]\nsource = "src/metrics.rs"\n'
                                 '[component.metrics.build]\ncommand = "cargo build --target wasm32-wasip1 --release"\n'
                                 '[component.metrics.config]\nprometheus_endpoint = "http://prometheus:9090"\n')
        for located in ("spin.toml:1:1: spin_manifest_version = 2 is missing", "spin.toml:1:1: the application has no triggers",
                        "spin.toml:5:9: \"route\" does not belong in [application.trigger.http]",
                        "spin.toml:7:10: component \"metrics\": source \"src/metrics.rs\" is a Rust file",
                        "spin.toml:10:1: [component.metrics.config] is Spin manifest version 1's"):
            self.assertIn(located, err)

    def test_ignored_keys_are_warnings_that_name_them(self):
        err = self.push_manifest(self.HEAD + '[[trigger.http]]\nroute = "/"\ncomponent = "a"\n[component.a]\n'
                                 'source = "a.wasm"\nenviroment = { A = "1" }\n', expect=0)
        self.assertIn('warning: ', err)
        self.assertIn('spin.toml:9:1: unknown key "enviroment" in [component.a] is ignored; '
                      'did you mean "environment"?', err)

    def test_a_folder_means_its_wasmops_toml_before_its_spin_toml(self):
        root = os.path.join(self.dir, "both")
        write(os.path.join(root, "a.wasm"), read(component()))
        app = '[[trigger.http]]\nroute = "/"\ncomponent = "a"\n[component.a]\nsource = "a.wasm"\n'
        write(os.path.join(root, "spin.toml"), (self.HEAD + app).encode())
        write(os.path.join(root, "wasmops.toml"),
              ('spin_manifest_version = 2\n[application]\nname = "from-wasmops-toml"\n' + app).encode())
        proc = self.wasmops("push", "--json", self.ref("both/app:1"), "--manifest", root)
        locked = json.loads(self.blob("both/app", json.loads(proc.stdout)["lockedApp"]))
        self.assertEqual(locked["metadata"]["name"], "from-wasmops-toml")

    def test_push_needs_a_file_or_a_manifest(self):
        proc = self.wasmops("push", self.ref("bad/app:1"), expect=2)
        self.assertIn("--manifest", proc.stderr)


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--wasmops", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--inputs", required=True)
    ARGS, rest = parser.parse_known_args()
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
